"""`aiconf-lint rules`: every rule with the level `check` gives it under one profile."""

from __future__ import annotations

import json

from aiconf_lint.profiles import Profile

_FIX_MARKS = {"always": "[*]", "sometimes": "[-]"}
LEGEND = (
    "Fix: [*] always fixable, [-] sometimes fixable, [ ] no fix "
    "(`aiconf-lint rule CODE` tells whether a fix is safe)."
)


def render_rules(profile: Profile, as_json: bool = False) -> str:
    from aiconf_lint.output.rule_docs import rule_json
    from aiconf_lint.rules import ALL_RULES

    rows = [(rule, str(rule().severity_for(profile))) for rule in ALL_RULES]
    if as_json:
        payload = [{**rule_json(rule, full=False), "level": level} for rule, level in rows]
        return json.dumps(payload, indent=2) + "\n"
    lines = [f"Rules and their levels under profile {profile.version}:", ""]
    lines.append(f"{'CODE':<6}  FIX {'NAME':<42} {'LEVEL':<8} SUMMARY")
    for rule, level in rows:
        mark = _FIX_MARKS.get(str(rule.fix_availability), "[ ]")
        lines.append(f"{rule.code:<6}  {mark} {rule.name:<42} {level:<8} {rule.summary}")
    lines += ["", LEGEND]
    return "\n".join(lines) + "\n"
