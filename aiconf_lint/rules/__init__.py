"""ALL_RULES: the explicit registry. Each family lists its rules, one line per rule.

No import magic: a rule exists when it is listed in its family's tuple, and the meta-test
fails when a Rule subclass is defined but not listed.
"""

from __future__ import annotations

from aiconf_lint.rule import Rule
from aiconf_lint.rules.acc import ACC_RULES
from aiconf_lint.rules.dra import DRA_RULES
from aiconf_lint.rules.gng import GNG_RULES
from aiconf_lint.rules.met import MET_RULES
from aiconf_lint.rules.net import NET_RULES
from aiconf_lint.rules.opr import OPR_RULES
from aiconf_lint.rules.scl import SCL_RULES
from aiconf_lint.rules.sec import SEC_RULES
from aiconf_lint.rules.syn import SYN_RULES

ALL_RULES: tuple[type[Rule], ...] = (
    *SYN_RULES,
    *ACC_RULES,
    *DRA_RULES,
    *GNG_RULES,
    *MET_RULES,
    *NET_RULES,
    *SCL_RULES,
    *SEC_RULES,
    *OPR_RULES,
)
# Listed by family above; sorted by code here so every listing (rules, docs, SARIF) agrees.
ALL_RULES = tuple(sorted(ALL_RULES, key=lambda rule: (rule.code[:3] != "SYN", rule.code)))

RULES_BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in ALL_RULES}
