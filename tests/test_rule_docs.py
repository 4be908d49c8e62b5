"""Each rule's documented example fails and its "Use instead" passes, when complete.

Examples that are fragments (a `resources` block, a `nodeSelector`) cannot be linted alone
and are skipped; complete manifests must behave as the documentation says.
"""

from __future__ import annotations

import re

import pytest
import yaml

from aiconf_lint.engine import lint
from aiconf_lint.input.load import load_bytes
from aiconf_lint.input.python_source import load_python
from aiconf_lint.output.rule_docs import sections
from aiconf_lint.rule import Rule
from aiconf_lint.rules import ALL_RULES
from aiconf_lint.runner import enabled_rules
from aiconf_lint.settings import Settings, with_overrides

BLOCK_RE = re.compile(r"```(?:yaml|python)\n(.*?)```", re.DOTALL)
RULES = [r for r in ALL_RULES if not r.source_level]


def _is_python(text: str) -> bool:
    return text.startswith(("from ", "import "))


def _complete(text: str) -> bool:
    if _is_python(text):
        return True
    docs = [d for d in yaml.safe_load_all(text) if d is not None]
    return bool(docs) and all(isinstance(d, dict) and "apiVersion" in d for d in docs)


def _codes(rule: type[Rule], text: str) -> list[str]:
    settings = with_overrides(Settings(), select=(rule.code,))
    source = (
        load_python("example.py", text)
        if _is_python(text)
        else load_bytes("example.yaml", text.encode())
    )
    report = lint([source], settings, enabled_rules(settings))
    return [f.code for f in report.findings]


USE_INSTEAD_RE = re.compile(r"^(Use instead[^:\n]*):", re.MULTILINE)


def _identities(text: str) -> set[tuple[object, object]]:
    if _is_python(text):
        return set()
    return {
        (d.get("kind"), (d.get("metadata") or {}).get("name"))
        for d in yaml.safe_load_all(text)
        if isinstance(d, dict)
    }


def _with_context(good: str, bad: str) -> str:
    """A "use instead (the same Deployment)" that shows only the changed object is linted
    with the bad example's other objects, as the reader is meant to read it."""
    if not _complete(bad) or _is_python(bad):
        return good
    replaced = _identities(good)
    kept = [
        doc for doc in bad.split("\n---\n") if _complete(doc) and not _identities(doc) & replaced
    ]
    return "\n---\n".join([*kept, good])


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documented_example(rule: type[Rule]) -> None:
    parts = USE_INSTEAD_RE.split(sections(rule)["Example"], maxsplit=1)
    assert len(parts) == 3, "no `Use instead:` part"
    bad, header, good = parts
    bad_blocks, good_blocks = BLOCK_RE.findall(bad), BLOCK_RE.findall(good)
    assert bad_blocks
    for block in bad_blocks:
        if _complete(block):
            assert rule.code in _codes(rule, block), "the bad example does not fire"
    for block in good_blocks:
        if _complete(block):
            text = _with_context(block, bad_blocks[0]) if "same" in header else block
            assert rule.code not in _codes(rule, text), "the example to use instead fires"


CHECKED_AT_LEAST = 21
"""Rules whose bad example is a complete manifest, so the test above runs it (a ratchet)."""


def test_examples_stay_complete_manifests() -> None:
    complete = [rule for rule in RULES if _complete(BLOCK_RE.findall(sections(rule)["Example"])[0])]
    assert len(complete) >= CHECKED_AT_LEAST, "fragments cannot be checked; write manifests"
