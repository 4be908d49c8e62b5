"""Helm render options: `[tool.aiconf-lint.helm]`, its per-chart tables, and CLI flags.

```toml
[tool.aiconf-lint.helm]
release-name = "lint"          # default "release-name", as `helm template`
namespace = "ml"               # .Release.Namespace, default "default"
kube-version = "1.33.0"        # .Capabilities.KubeVersion
api-versions = ["monitoring.coreos.com/v1"]
timeout = 60                   # seconds per render

[tool.aiconf-lint.helm.charts."charts/trainer"]    # folder, relative to the config file
values = ["charts/trainer/values-prod.yaml"]       # one values set on top of values.yaml
set = ["replicas=2"]

[tool.aiconf-lint.helm.charts."charts/server".values-sets]
small = { values = ["charts/server/values-small.yaml"] }
large = { values = ["charts/server/values-large.yaml"], set = ["gpus=8"] }
```

Paths in the config are relative to the config file's folder, as everywhere else in it. A
chart with several values sets is rendered and linted once per set, each as its own bundle.
Command-line flags win: `--values/-f` files apply to the chart that holds them (or to every
chart when they are outside all charts), `--set` to every chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aiconf_lint.errors import ConfigError
from aiconf_lint.records import record
from aiconf_lint.render.process import DEFAULT_TIMEOUT

_CHART_KEYS = {"values", "set", "values-sets", "release-name", "namespace"}
_SET_KEYS = {"values", "set"}


@record(frozen=True)
class ValuesSet:
    name: str
    files: tuple[Path, ...] = ()
    set_values: tuple[str, ...] = ()


@record(frozen=True)
class ChartConfig:
    sets: tuple[ValuesSet, ...]
    release_name: str | None = None
    namespace: str | None = None


@record(frozen=True)
class HelmOptions:
    release_name: str = "release-name"
    namespace: str = "default"
    kube_version: str | None = None
    api_versions: tuple[str, ...] = ()
    timeout: float = DEFAULT_TIMEOUT
    charts: Mapping[Path, ChartConfig] | None = None
    cli_values: tuple[Path, ...] = ()
    cli_set: tuple[str, ...] = ()

    def chart(self, folder: Path) -> ChartConfig | None:
        return (self.charts or {}).get(folder.resolve())

    def values_sets(self, folder: Path, all_charts: list[Path]) -> list[ValuesSet]:
        """The values sets to render a chart with; the chart's own defaults when none."""
        resolved = folder.resolve()
        charts = [c.resolve() for c in all_charts]
        own = [f for f in self.cli_values if f.resolve().is_relative_to(resolved)]
        loose = [
            f for f in self.cli_values if not any(f.resolve().is_relative_to(c) for c in charts)
        ]
        cli = own or loose
        if cli or self.cli_set:
            name = ", ".join(f.name for f in cli) or "--set"
            return [ValuesSet(name, tuple(cli), self.cli_set)]
        config = self.chart(folder)
        if config is not None and config.sets:
            return list(config.sets)
        return [ValuesSet("default")]


def _strings(where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def _values_set(where: str, name: str, raw: object, base: Path) -> ValuesSet:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table with `values` and/or `set`")
    for key in raw:
        if key not in _SET_KEYS:
            raise ConfigError(f"{where}: unknown key `{key}`")
    files = tuple(base / f for f in _strings(f"{where}.values", raw.get("values", [])))
    return ValuesSet(name, files, _strings(f"{where}.set", raw.get("set", [])))


def _chart_config(where: str, raw: object, base: Path) -> ChartConfig:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table")
    for key in raw:
        if key not in _CHART_KEYS:
            raise ConfigError(f"{where}: unknown key `{key}`")
    sets: list[ValuesSet] = []
    if "values" in raw or "set" in raw:
        one = _values_set(where, "", {k: raw[k] for k in _SET_KEYS if k in raw}, base)
        name = ", ".join(f.name for f in one.files) or "--set"
        sets.append(ValuesSet(name, one.files, one.set_values))
    named = raw.get("values-sets", {})
    if not isinstance(named, dict):
        raise ConfigError(f"{where}.values-sets must be a table of name = {{ values, set }}")
    sets.extend(_values_set(f"{where}.values-sets.{n}", n, v, base) for n, v in named.items())
    for key in ("release-name", "namespace"):
        if key in raw and not isinstance(raw[key], str):
            raise ConfigError(f"{where}.{key} must be a string")
    return ChartConfig(tuple(sets), raw.get("release-name"), raw.get("namespace"))


def helm_options(
    section: Mapping[str, Any], base: Path, cli: Mapping[str, Any] | None = None
) -> HelmOptions:
    """Options from `[tool.aiconf-lint.helm]` (paths against `base`) and the command line."""
    where = "[tool.aiconf-lint.helm]"
    cli = cli or {}
    charts_raw = section.get("charts", {})
    if not isinstance(charts_raw, dict):
        raise ConfigError(f"{where}: `charts` must be a table of folder = {{ ... }}")
    charts = {
        (base / folder).resolve(): _chart_config(f"{where} charts.{folder!r}", raw, base)
        for folder, raw in charts_raw.items()
    }
    api_versions = _strings(f"{where} api-versions", section.get("api-versions", []))
    timeout = section.get("timeout", DEFAULT_TIMEOUT)
    if not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ConfigError(f"{where}: `timeout` must be a positive number of seconds")
    return HelmOptions(
        release_name=str(cli.get("release_name") or section.get("release-name") or "release-name"),
        namespace=str(cli.get("namespace") or section.get("namespace") or "default"),
        kube_version=cli.get("kube_version") or section.get("kube-version"),
        api_versions=tuple(cli.get("api_versions") or ()) + api_versions,
        timeout=float(timeout),
        charts=charts,
        cli_values=tuple(Path(v) for v in cli.get("values") or ()),
        cli_set=tuple(cli.get("set") or ()),
    )
