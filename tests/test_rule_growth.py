"""Copies of a rule's fixture in one stream: what the rule reports grows with the copies.

A stream of unrenamed copies (one chart rendered per environment, a kustomize build of many
overlays) is where cross-document rules go quadratic: every route reaches every copy's pool,
every monitor every copy's Service. Several rules yielded one violation per pair, which the
engine then deduplicated, so the output looked right while the work grew with the square.
Counted, not timed: the violations a rule yields for 12 copies are at most 4x those for 3;
and three copies say what one copy says, unless the rule counts across copies on purpose.
`bench/rule_growth.py` times the same inputs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aiconf_lint import engine
from aiconf_lint.engine import lint
from aiconf_lint.input.load import load_bytes
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Finding, Violation
from aiconf_lint.selection import select_rules
from aiconf_lint.settings import Settings, with_overrides

FIXTURES = Path(__file__).parent / "rules" / "fixtures"
CASES = sorted(FIXTURES.glob("*/*.yaml"))


def stream_of_copies(text: str, copies: int) -> bytes:
    part = text if text.startswith("---") else "---\n" + text
    return "\n".join([part] * copies).encode()


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_violations_grow_with_the_copies(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = case.parent.name
    settings = with_overrides(Settings(), select=(code,))
    rules = select_rules([code])
    yielded = 0
    original = engine._Emitter.finding

    def counting(self: engine._Emitter, obj: K8sObject, violation: Violation) -> Finding:
        nonlocal yielded
        yielded += 1
        return original(self, obj, violation)

    monkeypatch.setattr(engine._Emitter, "finding", counting)
    counts = []
    for copies in (3, 12):
        yielded = 0
        lint([load_bytes("s.yaml", stream_of_copies(case.read_text(), copies))], settings, rules)
        counts.append(yielded)
    assert counts[1] <= 4 * counts[0], (
        f"{code}: {counts[0]} violations for 3 copies, {counts[1]} for 12"
    )


def test_the_cases_reach_their_rules() -> None:
    """Most fixtures report something: the growth test judges real violations."""
    reporting = 0
    for case in CASES:
        code = case.parent.name
        settings = with_overrides(Settings(), select=(code,))
        report = lint([load_bytes("s.yaml", case.read_bytes())], settings, select_rules([code]))
        reporting += any(f.code == code for f in report.findings)
    assert reporting >= len(CASES) // 2


SAYS_MORE_WITH_COPIES = {
    "GNG002": "a Kueue pod group's pods are counted across the copies in one stream",
    "GNG005": "a PodGroup one copy lacks may be another copy's",
    "NET003": "a pool selects every copy's pods, and the message counts the others",
    "SCL008": "each copy's NodePool gives its own reason, by name",
    "SYN001": "a parse error ends the file, and the message counts the documents left unread",
}


def test_copies_say_what_one_copy_says() -> None:
    """Three copies of a fixture in one stream report the messages one copy reports: no name
    listed once per copy ('Deployment `triton`, Deployment `triton`, ...')."""
    differing = []
    for case in CASES:
        code = case.parent.name
        if code in SAYS_MORE_WITH_COPIES:
            continue
        settings = with_overrides(Settings(), select=(code,))
        rules = select_rules([code])
        said = [
            {f.message for f in lint([load_bytes("s.yaml", raw)], settings, rules).findings}
            for raw in (
                stream_of_copies(case.read_text(), 1),
                stream_of_copies(case.read_text(), 3),
            )
        ]
        if said[0] != said[1]:
            differing.append(f"{code}/{case.name}: {sorted(said[1] - said[0])[:1]}")
    assert differing == []
