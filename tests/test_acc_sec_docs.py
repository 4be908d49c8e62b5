"""Each ACC/SEC rule's documented example fails and its "Use instead" passes, when complete.

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
RULES = [r for r in ALL_RULES if r.code[:3] in ("ACC", "SEC") and r.code != "ACC002"]


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


def _is_python(text: str) -> bool:
    return text.startswith(("from ", "import "))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documented_example(rule: type[Rule]) -> None:
    example = sections(rule)["Example"]
    bad, _, good = example.partition("Use instead:")
    bad_blocks, good_blocks = BLOCK_RE.findall(bad), BLOCK_RE.findall(good)
    assert bad_blocks
    assert good_blocks
    if _complete(bad_blocks[0]):
        assert rule.code in _codes(rule, bad_blocks[0])
    if _complete(good_blocks[0]):
        assert rule.code not in _codes(rule, good_blocks[0])
