"""The import direction the README's Develop section describes, checked on the source.

Every `import` and `from ... import` of the package is read with `ast` (type-only imports
included: a cycle that only the type checker sees is still a cycle in the design).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "aiconf_lint"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path).rsplit(".", 0 if path.name == "__init__.py" else 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("aiconf_lint")}


GRAPH: dict[str, set[str]] = {
    _module_name(path): _imports(path) for path in sorted(PACKAGE.rglob("*.py"))
}


def _under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _importers(*prefixes: str) -> list[tuple[str, set[str]]]:
    return [(module, imports) for module, imports in GRAPH.items() if _under(module, *prefixes)]


# (who, what it must not import, why)
FORBIDDEN: list[tuple[tuple[str, ...], tuple[str, ...], str]] = [
    (
        ("aiconf_lint.model", "aiconf_lint.profiles", "aiconf_lint.errors"),
        ("aiconf_lint.input", "aiconf_lint.k8s", "aiconf_lint.rules", "aiconf_lint.engine"),
        "plain data at the bottom: findings refer to objects by key, not by a live view",
    ),
    (
        ("aiconf_lint.input",),
        ("aiconf_lint.k8s", "aiconf_lint.rules", "aiconf_lint.engine", "aiconf_lint.fix"),
        "reading input knows nothing of Kubernetes or rules",
    ),
    (
        ("aiconf_lint.k8s",),
        (
            "aiconf_lint.rules",
            "aiconf_lint.rule",
            "aiconf_lint.engine",
            "aiconf_lint.fix",
            "aiconf_lint.output",
            "aiconf_lint.cli",
        ),
        "the shared Kubernetes model serves the rules, never the other way round",
    ),
    (
        ("aiconf_lint.rules",),
        (
            "aiconf_lint.engine",
            "aiconf_lint.runner",
            "aiconf_lint.cli",
            "aiconf_lint.output",
            "aiconf_lint.docs",
        ),
        "rules yield violations; the engine and the outputs call them",
    ),
    (
        ("aiconf_lint.output",),
        ("aiconf_lint.fix", "aiconf_lint.engine", "aiconf_lint.cli"),
        "formats render a finished report",
    ),
    (
        ("aiconf_lint.engine", "aiconf_lint.runner", "aiconf_lint.rule", "aiconf_lint.selection"),
        ("aiconf_lint.docs", "aiconf_lint.schemas", "aiconf_lint.output", "aiconf_lint.cli"),
        "the runtime does not carry the documentation generators or the front end",
    ),
    (
        (
            "aiconf_lint.cli",
            "aiconf_lint.output",
            "aiconf_lint.fix",
            "aiconf_lint.runner",
            "aiconf_lint.engine",
        ),
        ("aiconf_lint.docs", "aiconf_lint.schemas"),
        "page and schema generators are development tools; `output/rule_docs` renders at run time",
    ),
]


@pytest.mark.parametrize(("who", "banned", "why"), FORBIDDEN, ids=[f[0][0] for f in FORBIDDEN])
def test_import_direction(who: tuple[str, ...], banned: tuple[str, ...], why: str) -> None:
    bad = sorted(
        f"{module} imports {name}"
        for module, imports in _importers(*who)
        for name in imports
        if _under(name, *banned)
    )
    assert not bad, why


def _family_private(name: str) -> tuple[str, str] | None:
    """(family, module) for `aiconf_lint.rules.<family>._<private>`."""
    parts = name.split(".")
    if len(parts) >= 4 and parts[:2] == ["aiconf_lint", "rules"] and parts[3].startswith("_"):
        return parts[2], parts[3]
    return None


def test_families_keep_their_private_helpers() -> None:
    """A helper a second family needs moves to `k8s/`; nobody else reads `rules/<f>/_*.py`."""
    bad = []
    for module, imports in GRAPH.items():
        parts = module.split(".")
        own = parts[2] if len(parts) > 2 and parts[1] == "rules" else None
        for name in imports:
            private = _family_private(name)
            if private is not None and private[0] != own:
                bad.append(f"{module} imports {name}")
    assert not bad


def test_outputs_and_fix_read_the_rule_table_not_rule_modules() -> None:
    """`aiconf_lint.rules` (the table, `load`) is the only way in from outside the rules."""
    bad = [
        f"{module} imports {name}"
        for module, imports in _importers("aiconf_lint.output", "aiconf_lint.fix")
        for name in imports
        if name.startswith("aiconf_lint.rules.") and name.split(".")[2] not in _TABLE_NAMES
    ]
    assert not bad


_TABLE_NAMES = {
    "CATALOG",
    "ENTRIES_BY_CODE",
    "RuleEntry",
    "RuleSpec",
    "load",
    "load_all",
    "ALL_RULES",
}
