"""OPR: AI operator APIs (`robust_controller`)."""

from __future__ import annotations

from aiconf_lint.rule import Rule
from aiconf_lint.rules.opr.opr001_deprecated_operator_api import DeprecatedOperatorApi

OPR_RULES: tuple[type[Rule], ...] = (DeprecatedOperatorApi,)
