"""`[tool.aiconf-lint]` in pyproject.toml or `.aiconf-lint.toml`, merged with the command line.

The nearest config file wins and files are never merged (ruff's rule: one file tells the whole
story). Every unknown key is an error naming the key, because a misspelt `ignore` that is
silently dropped is worse than no config at all.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from aiconf_lint.errors import ConfigError
from aiconf_lint.model import Severity
from aiconf_lint.profiles import DEFAULT_PROFILE, PROFILES, Profile

CONFIG_FILES = (".aiconf-lint.toml", "pyproject.toml")
_LIST_KEYS = ("select", "extend-select", "ignore", "exclude", "extend-exclude")
_SCALAR_KEYS = {
    "profile": str,
    "fail-on": str,
    "preview": bool,
    "unsafe-fixes": bool,
    "force-exclude": bool,
    "default-namespace": str,
    "max-file-size-mib": int,
    "render": bool,
}
# Sub-tables owned by rule families, with the keys each accepts.
SECTIONS: dict[str, dict[str, type]] = {
    "accelerators": {"resources": dict},
    "gang": {"kueue-queue": str},
    "security": {"exempt-images": list, "exempt-names": list},
    # Charts and overlays (aiconf_lint/render/config.py checks the per-chart tables).
    "helm": {
        "release-name": str,
        "namespace": str,
        "kube-version": str,
        "api-versions": list,
        "timeout": int,
        "charts": dict,
    },
    "kustomize": {"load-restrictor": str},
}

DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
)


@dataclass(frozen=True, slots=True)
class Settings:
    select: tuple[str, ...] = ("ALL",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    profile: Profile = PROFILES[DEFAULT_PROFILE]
    fail_on: Severity = Severity.WARNING
    preview: bool = False
    unsafe_fixes: bool = False
    default_namespace: str = "default"
    max_file_size_mib: int = 20
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    config_file: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    render: bool = True
    """Render Helm charts and kustomize overlays found among the inputs (`--no-render`: off)."""
    helm_cli: Mapping[str, Any] = field(default_factory=dict)
    """Helm options from the command line (`-f`, `--set`, ...), which win over the config."""

    def section(self, name: str) -> Mapping[str, Any]:
        return self.sections.get(name, {})


def find_config(start: Path) -> Path | None:
    """The nearest `.aiconf-lint.toml`, or `pyproject.toml` with a `[tool.aiconf-lint]` table."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml":
                table = _read_toml(candidate).get("tool", {})
                if "aiconf-lint" not in table:
                    continue
            return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc


def _strings(path: Path, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: `{key}` must be a list of strings")
    return tuple(value)


def _profile(version: str, where: str) -> Profile:
    profile = PROFILES.get(version.removeprefix("v"))
    if profile is None:
        known = ", ".join(PROFILES)
        raise ConfigError(f"{where}: unknown profile `{version}` (known: {known})")
    return profile


def _fail_on(text: str, where: str) -> Severity:
    try:
        return Severity.parse(text)
    except KeyError:
        raise ConfigError(f"{where}: `fail-on` must be error, warning or info") from None


def _sections(path: Path, table: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    sections: dict[str, Mapping[str, Any]] = {}
    for name, allowed in SECTIONS.items():
        raw = table.get(name)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: `{name}` must be a table")
        for key, value in raw.items():
            expected = allowed.get(key)
            if expected is None:
                raise ConfigError(f"{path}: unknown key `{name}.{key}`")
            if not isinstance(value, expected):
                raise ConfigError(f"{path}: `{name}.{key}` must be a {expected.__name__}")
        sections[name] = raw
    return sections


def settings_from_table(path: Path, table: Mapping[str, Any]) -> Settings:
    known = {*_LIST_KEYS, *_SCALAR_KEYS, "per-file-ignores", *SECTIONS}
    for key in table:
        if key not in known:
            raise ConfigError(f"{path}: unknown key `{key}` in [tool.aiconf-lint]")
    for key, kind in _SCALAR_KEYS.items():
        if key in table and not isinstance(table[key], kind):
            raise ConfigError(f"{path}: `{key}` must be a {kind.__name__}")
    settings = Settings(config_file=path, root=path.parent)
    changes: dict[str, Any] = {}
    for key in _LIST_KEYS:
        if key in table:
            value = _strings(path, key, table[key])
            if key == "exclude":
                value = (*DEFAULT_EXCLUDE, *value)
            changes[key.replace("-", "_")] = value
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError(f"{path}: `per-file-ignores` must be a table of glob = [codes]")
    changes["per_file_ignores"] = tuple(
        (glob, _strings(path, f"per-file-ignores.{glob}", codes)) for glob, codes in pfi.items()
    )
    if "profile" in table:
        changes["profile"] = _profile(table["profile"], str(path))
    if "fail-on" in table:
        changes["fail_on"] = _fail_on(table["fail-on"], str(path))
    for key in ("preview", "unsafe-fixes", "force-exclude", "default-namespace", "render"):
        if key in table:
            changes[key.replace("-", "_")] = table[key]
    if "max-file-size-mib" in table:
        changes["max_file_size_mib"] = table["max-file-size-mib"]
    changes["sections"] = _sections(path, table)
    return replace(settings, **changes)


def load_settings(config: Path | None, start: Path | None = None) -> Settings:
    """Settings from an explicit `--config`, else from the nearest config file, else defaults."""
    path = config or find_config((start or Path.cwd()).resolve())
    if path is None:
        return Settings()
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("aiconf-lint", {})
    return settings_from_table(path, data)


def with_overrides(settings: Settings, **overrides: Any) -> Settings:
    """Apply command-line options, which always win over the config file."""
    changes: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    if isinstance(changes.get("profile"), str):
        changes["profile"] = _profile(changes["profile"], "--profile")
    if isinstance(changes.get("fail_on"), str):
        changes["fail_on"] = _fail_on(changes["fail_on"], "--fail-on")
    return replace(settings, **changes)
