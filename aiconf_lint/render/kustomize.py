"""Build a kustomize overlay with origins: `kustomize build`, else `kubectl kustomize`.

The user's files are never edited: a temporary kustomization wraps the overlay folder and sets
`buildMetadata: [originAnnotations, transformerAnnotations]`, so each object says which
resource file it came from and which kustomizations patched it. Those annotations are read and
then stripped from every object before linting, so no rule and no output ever sees them.
Plugins (exec, KRM functions) and `--enable-helm` stay off, and remote bases are refused
before the build, because building them would fetch.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from aiconf_lint.records import field, record
from aiconf_lint.render.process import RenderError, run, sandbox_env
from aiconf_lint.render.targets import Kustomization, closure

INSTALL_HINT = (
    "rendering kustomize overlays needs `kustomize` or `kubectl` (which has kustomize built in) "
    "on PATH"
)
ORIGIN = "config.kubernetes.io/origin"
TRANSFORMATIONS = "alpha.config.kubernetes.io/transformations"
_PLUGIN_FIELDS = ("generators", "transformers", "validators")


@record
class BuiltObject:
    """Where one built object came from: its resource file, the kustomizations that patched it."""

    resource: Path | None
    kustomizations: list[Path] = field(default_factory=list)


@record
class Build:
    text: str
    objects: dict[int, BuiltObject]
    """By document index in `text`, filled by `take_origins`."""
    kustomizations: list[Kustomization]
    base: str


def renderer() -> list[str] | None:
    binary = shutil.which("kustomize")
    if binary:
        return [binary, "build"]
    kubectl = shutil.which("kubectl")
    if kubectl:
        return [kubectl, "kustomize"]
    return None


def _plugin_config(k: Kustomization, entry: object) -> bool:
    """A generator/transformer entry that is not a builtin needs a plugin."""
    if isinstance(entry, dict):
        docs: list[Any] = [entry]
    elif isinstance(entry, str):
        path = k.folder / entry
        if path.is_dir():
            return False  # a kustomization used as generator: built by kustomize itself
        try:
            docs = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return False
    else:
        return False
    return any(isinstance(d, dict) and d.get("apiVersion") != "builtin" for d in docs)


def preflight(display: str, folder: Path) -> list[Kustomization]:
    """Refuse what would fetch or run code, with a message saying which file asks for it."""
    _, kustomizations = closure(folder)
    for k in kustomizations:
        if k.remote:
            raise RenderError(
                display,
                f"{k.file} refers to remote resources, which aiconf-lint never fetches: "
                + ", ".join(k.remote),
            )
        if k.data.get("helmCharts") or k.data.get("helmChartInflationGenerator"):
            raise RenderError(
                display,
                f"{k.file} inflates Helm charts (`helmCharts`), which needs kustomize "
                "--enable-helm; aiconf-lint keeps it off: point aiconf-lint at the chart itself",
            )
        for key in _PLUGIN_FIELDS:
            if any(_plugin_config(k, e) for e in k.data.get(key) or ()):
                raise RenderError(
                    display,
                    f"{k.file} `{key}` needs kustomize plugins (exec or KRM functions), which "
                    "aiconf-lint keeps off",
                )
    return kustomizations


def _path_in(block: object, key: str, base: str) -> Path | None:
    if not isinstance(block, str):
        return None
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError:
        return None
    if isinstance(data, dict) and isinstance(data.get(key), str):
        return Path(os.path.normpath(os.path.join(base, data[key])))
    return None


def _origins(doc: dict[str, Any], base: str) -> BuiltObject:
    """Read and remove the build-metadata annotations of one object."""
    metadata = doc.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    if not isinstance(annotations, dict):
        return BuiltObject(None)
    origin = annotations.pop(ORIGIN, None)
    transformations = annotations.pop(TRANSFORMATIONS, None)
    if not annotations and isinstance(metadata, dict):
        del metadata["annotations"]
    built = BuiltObject(_path_in(origin, "path", base) or _path_in(origin, "configuredIn", base))
    try:
        steps = yaml.safe_load(transformations) if isinstance(transformations, str) else None
    except yaml.YAMLError:
        steps = None
    for step in steps if isinstance(steps, list) else ():
        if isinstance(step, dict) and isinstance(step.get("configuredIn"), str):
            found = Path(os.path.normpath(os.path.join(base, step["configuredIn"])))
            if found not in built.kustomizations:
                built.kustomizations.append(found)
    return built


def restrictor_flags(value: object) -> list[str]:
    """`load-restrictor = "none"`: let an overlay read files outside its folder (as some
    published samples need); kustomize's own default, `rootOnly`, otherwise."""
    if value is None or value == "rootOnly":
        return []
    if value == "none":
        return ["--load-restrictor", "LoadRestrictionsNone"]
    from aiconf_lint.errors import ConfigError

    raise ConfigError('[tool.aiconf-lint.kustomize] load-restrictor must be "rootOnly" or "none"')


def build(display: str, folder: Path, timeout: float, flags: tuple[str, ...] = ()) -> Build:
    command = renderer()
    if command is None:
        raise RenderError(display, INSTALL_HINT)
    kustomizations = preflight(display, folder)
    with tempfile.TemporaryDirectory(prefix="aiconf-kustomize-") as tmp_name:
        tmp = Path(tmp_name).resolve()
        wrapper = tmp / "wrap"
        wrapper.mkdir()
        relative = os.path.relpath(folder.resolve(), wrapper)
        (wrapper / "kustomization.yaml").write_text(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
            f"resources:\n- {json_string(relative)}\n"
            "buildMetadata: [originAnnotations, transformerAnnotations]\n",
            encoding="utf-8",
        )
        try:
            argv = [*command, *flags, str(wrapper)]
            out = run(display, argv, tmp, timeout, env=sandbox_env(tmp))
        except RenderError as exc:
            reason = _clean(exc.reason, str(wrapper), relative, display)
            raise RenderError(display, reason) from None
    # The wrapper is gone after the build, but origins are relative to it: keep its path.
    return Build(out.decode("utf-8", "replace"), {}, kustomizations, str(wrapper))


_KLOG_RE = re.compile(r'^[EWI]\d{4} [\d:.]+\s+\d+ \S+\] "command failed" err=<?\s*', re.M)


def _clean(message: str, wrapper: str, relative: str, display: str) -> str:
    """kubectl's log prefix off, and no mention of the temporary wrapper: kustomize names the
    overlay by its path from the wrapper (`../../home/me/repo/overlays/prod`), which is the
    overlay the user named."""
    message = _KLOG_RE.sub("", message).rstrip("> \n")
    return message.replace(f"'{relative}'", f"'{display}'").replace(wrapper, "<overlay>")


def take_origins(build: Build, documents: list[tuple[int, object]]) -> None:
    """Read each built object's origins and strip the annotations from its data.

    Done on the data the linter already parsed (one parse of a build that can run to
    megabytes of CRDs); the rendered text itself is never shown to anyone.
    """
    for index, data in documents:
        if isinstance(data, dict):
            build.objects[index] = _origins(data, build.base)


def json_string(text: str) -> str:
    """A YAML-safe scalar for a path (JSON strings are YAML)."""
    import json

    return json.dumps(text)
