"""Render a Helm chart: the `helm` binary when it is on PATH, else helm-python-sdk.

Both run as a subprocess in a temporary folder with the sandbox environment of `process`.
`helm template` is called without `--dependency-update`, post-renderers or plugins, so nothing
is fetched and nothing from the checked repository runs; `lookup` renders empty. A chart whose
declared dependencies are not in `charts/` is an error listing what is missing, because
rendering without them would silently drop their objects.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from aiconf_lint.render.config import HelmOptions, ValuesSet
from aiconf_lint.render.process import RenderError, run, sandbox_env

INSTALL_HINT = (
    "rendering Helm charts needs the `helm` binary on PATH or the helm-python-sdk package "
    "(`pip install 'aiconf-lint[helm]'`)"
)


def renderer() -> list[str] | None:
    """The command that renders, or None when neither renderer is installed."""
    binary = shutil.which("helm")
    if binary:
        return [binary]
    if importlib.util.find_spec("helm_python") is not None:
        # -I: isolated, so neither the checked repository nor PYTHONPATH can shadow a module.
        return [sys.executable, "-I", str(Path(__file__).with_name("_helm_sdk.py"))]
    return None


def import_path() -> list[str]:
    """Where this process imports from, for the SDK worker (never the working directory)."""
    here = Path.cwd().resolve()
    return [p for p in sys.path if p and Path(p).is_dir() and Path(p).resolve() != here]


def chart_yaml(chart: Path) -> dict[str, object]:
    """`Chart.yaml` as data; {} when it cannot be read."""
    try:
        data = yaml.safe_load((chart / "Chart.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _absent(chart: Path, name: str) -> bool:
    folder = chart / "charts" / name
    return not folder.is_dir() and not any((chart / "charts").glob(f"{name}-*.tgz"))


def _enabled(dep: dict[str, object], values: dict[str, object]) -> bool:
    """A dependency's `condition` against the values: the first path that exists decides."""
    condition = dep.get("condition")
    if not isinstance(condition, str):
        return True
    for path in condition.split(","):
        node: object = values
        for part in path.strip().split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, bool):
            return node
    return True


def _values(chart: Path, files: tuple[Path, ...]) -> dict[str, object]:
    from aiconf_lint.render._helm_sdk import merge

    values: dict[str, object] = {}
    for file in (chart / "values.yaml", *files):
        try:
            loaded = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(loaded, dict):
            values = merge(values, loaded)
    return values


def disabled_missing(chart: Path, files: tuple[Path, ...]) -> list[str]:
    """Missing dependencies the values switch off: rendering can go without them."""
    values = _values(chart, files)
    return [
        dep["name"]
        for dep in chart_yaml(chart).get("dependencies") or ()  # type: ignore[attr-defined]
        if isinstance(dep, dict)
        and isinstance(dep.get("name"), str)
        and _absent(chart, dep["name"])
        and not _enabled(dep, values)
    ]


def _without(chart: Path, names: list[str], tmp: Path) -> Path:
    """A copy of the chart whose Chart.yaml no longer declares `names` (never the user's)."""
    copy = tmp / "chart"
    shutil.copytree(chart, copy, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    data = chart_yaml(chart)
    deps = data.get("dependencies")
    data["dependencies"] = [
        d
        for d in (deps if isinstance(deps, list) else [])
        if not (isinstance(d, dict) and d.get("name") in names)
    ]
    (copy / "Chart.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    (copy / "Chart.lock").unlink(missing_ok=True)
    return copy


def missing_dependencies(chart: Path, skip: tuple[str, ...] = ()) -> list[str]:
    """Declared dependencies with no folder or archive under `charts/`, in this chart and below."""
    missing: list[str] = []
    data = chart_yaml(chart)
    for dep in data.get("dependencies") or ():  # type: ignore[attr-defined]
        if not isinstance(dep, dict) or not isinstance(dep.get("name"), str):
            continue
        name = dep["name"]
        if name in skip or not _absent(chart, name):
            continue
        where = f" {dep.get('version', '')} from {dep.get('repository', '?')}".rstrip()
        missing.append(f"{name}{where}")
    subcharts = chart / "charts"
    if subcharts.is_dir():
        for sub in sorted(subcharts.iterdir()):
            if (sub / "Chart.yaml").is_file():
                missing.extend(f"{sub.name} -> {m}" for m in missing_dependencies(sub))
    return missing


def chart_name(chart: Path) -> str:
    name = chart_yaml(chart).get("name")
    return name if isinstance(name, str) and name else chart.resolve().name


def render_chart(display: str, chart: Path, values_set: ValuesSet, options: HelmOptions) -> str:
    """The `helm template` stream of `chart` with one values set."""
    command = renderer()
    if command is None:
        raise RenderError(display, INSTALL_HINT)
    disabled = disabled_missing(chart, values_set.files)
    missing = missing_dependencies(chart, tuple(disabled))
    if missing:
        raise RenderError(
            display,
            "subchart dependencies missing from charts/ (aiconf-lint never fetches; run "
            f"`helm dependency build {display}` first): {', '.join(missing)}",
        )
    for file in values_set.files:
        if not file.is_file():
            raise RenderError(display, f"values file not found: {file}")
    config = options.chart(chart)
    release = (config and config.release_name) or options.release_name
    namespace = (config and config.namespace) or options.namespace
    with tempfile.TemporaryDirectory(prefix="aiconf-helm-") as tmp_name:
        tmp = Path(tmp_name)
        env = sandbox_env(tmp)
        if disabled:
            # Helm refuses a chart with any dependency missing, even one its values switch
            # off; render a copy that does not declare those (the templates are the same).
            chart = _without(chart, disabled, tmp)
        if len(command) == 1:
            argv = [*command, "template", release, str(chart.resolve()), "--namespace", namespace]
            for file in values_set.files:
                argv += ["--values", str(file.resolve())]
            for expression in values_set.set_values:
                argv += ["--set", expression]
            if options.kube_version:
                argv += ["--kube-version", options.kube_version]
            for api in options.api_versions:
                argv += ["--api-versions", api]
            out = run(display, argv, tmp, options.timeout, env=env)
        else:
            request = {
                "chart": str(chart.resolve()),
                "values_files": [str(f.resolve()) for f in values_set.files],
                "set": list(values_set.set_values),
                "release_name": release,
                "namespace": namespace,
                "kube_version": options.kube_version,
                "api_versions": list(options.api_versions),
                "import_path": import_path(),
            }
            out = run(display, command, tmp, options.timeout, json.dumps(request).encode(), env=env)
    return out.decode("utf-8", "replace")
