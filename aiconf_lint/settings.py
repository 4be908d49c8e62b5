"""`[tool.aiconf-lint]` in pyproject.toml or `.aiconf-lint.toml`, merged with the command line.

The nearest config file wins and files are never merged (ruff's rule: one file tells the whole
story). Every unknown key is an error naming the key, because a misspelt `ignore` that is
silently dropped is worse than no config at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from aiconf_lint.config_keys import KEYS, SECTIONS, check
from aiconf_lint.errors import ConfigError
from aiconf_lint.model import Severity
from aiconf_lint.profiles import DEFAULT_PROFILE, PROFILES, Profile
from aiconf_lint.records import field, record, replace

CONFIG_FILES = (".aiconf-lint.toml", "pyproject.toml")


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


@record(frozen=True)
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
    unsafe_fixes: bool = False
    default_namespace: str = "default"
    max_file_size_mib: int = 20
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    config_file: Path | None = None
    render: bool = True
    """Render Helm charts and kustomize overlays found among the inputs (`--no-render`: off)."""
    helm_cli: Mapping[str, Any] = field(default_factory=dict)
    """Helm options from the command line (`-f`, `--set`, ...), which win over the config."""

    @property
    def base_dir(self) -> Path:
        """Where relative paths of the configuration resolve: its file's folder, else `.`."""
        return self.config_file.parent if self.config_file is not None else Path.cwd()

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
    import tomllib  # only when a config file exists: most pre-commit runs have none

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc


def _profile(version: str, where: str) -> Profile:
    wanted = version.strip().removeprefix("v")
    profile = PROFILES.get(wanted) or PROFILES.get(wanted.removesuffix(".0"))
    if profile is None:
        known = ", ".join(PROFILES)
        raise ConfigError(f"{where}: unknown profile `{version}` (known: {known})")
    return profile


def _fail_on(text: str, where: str) -> Severity:
    try:
        return Severity.parse(text)
    except KeyError:
        raise ConfigError(f"{where}: `fail-on` must be error, warning or info") from None


def _table_keys(path: Path, table: Mapping[str, Any]) -> None:
    """Reject unknown keys and wrong values, from the one key table the schema is made of."""
    known = {key.name: key for key in KEYS}
    for name, value in table.items():
        if name in SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: `{name}` must be a table")
            section_keys = {key.name: key for key in SECTIONS[name]}
            for sub, sub_value in value.items():
                if sub not in section_keys:
                    raise ConfigError(f"{path}: unknown key `{name}.{sub}`")
                check(section_keys[sub], sub_value, f"{path}: [{name}]")
            continue
        if name not in known:
            hint = ""
            if name == "tool":
                hint = " (write the keys at the top level of .aiconf-lint.toml)"
            raise ConfigError(f"{path}: unknown key `{name}` in [tool.aiconf-lint]{hint}")
        check(known[name], value, str(path))


def anchored(patterns: Iterable[str], base: Path) -> tuple[str, ...]:
    """Path globs made absolute at `base`, the directory of the config that declares them."""
    from aiconf_lint.input.excludes import anchor_pattern

    return tuple(anchor_pattern(pattern, base) for pattern in patterns)


def settings_from_table(path: Path, table: Mapping[str, Any]) -> Settings:
    _table_keys(path, table)
    base = path.parent
    settings = Settings(config_file=path)
    changes: dict[str, Any] = {}
    for key in ("select", "extend-select", "ignore"):
        if key in table:
            changes[key.replace("-", "_")] = tuple(table[key])
    if "extend-ignore" in table:
        changes["ignore"] = (*changes.get("ignore", ()), *table["extend-ignore"])
    if "exclude" in table:
        changes["exclude"] = (*DEFAULT_EXCLUDE, *anchored(table["exclude"], base))
    if "extend-exclude" in table:
        changes["extend_exclude"] = anchored(table["extend-exclude"], base)
    changes["per_file_ignores"] = tuple(
        (anchored([glob], base)[0], tuple(codes))
        for glob, codes in table.get("per-file-ignores", {}).items()
    )
    if "profile" in table:
        changes["profile"] = _profile(table["profile"], str(path))
    if "fail-on" in table:
        changes["fail_on"] = _fail_on(table["fail-on"], str(path))
    for key in ("unsafe-fixes", "force-exclude", "default-namespace", "render"):
        if key in table:
            changes[key.replace("-", "_")] = table[key]
    if "max-file-size-mib" in table:
        changes["max_file_size_mib"] = table["max-file-size-mib"]
    changes["sections"] = {name: table[name] for name in SECTIONS if name in table}
    return replace(settings, **changes)


def load_settings(config: Path | None, start: Path | None = None) -> Settings:
    """Settings from an explicit `--config`, else from the nearest config file, else defaults."""
    path = config or find_config((start or Path.cwd()).resolve())
    if path is None:
        return Settings()
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    data = _read_toml(path)
    if path.name == "pyproject.toml" or set(data) == {"tool"}:
        # `.aiconf-lint.toml` copied from a pyproject.toml keeps its `[tool.aiconf-lint]`
        # header; that table is unambiguous, so it is read rather than rejected.
        data = data.get("tool", {}).get("aiconf-lint", {})
    return settings_from_table(path, data)


def with_overrides(settings: Settings, **overrides: Any) -> Settings:
    """Apply command-line options, which always win over the config file."""
    changes: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    for key in ("exclude", "extend_exclude"):
        if key in changes:  # command-line globs are relative to the working directory
            changes[key] = anchored(changes[key], Path.cwd())
    if isinstance(changes.get("profile"), str):
        changes["profile"] = _profile(changes["profile"], "--profile")
    if isinstance(changes.get("fail_on"), str):
        changes["fail_on"] = _fail_on(changes["fail_on"], "--fail-on")
    return replace(settings, **changes)
