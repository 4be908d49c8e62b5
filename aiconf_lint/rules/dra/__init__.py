"""DRA rules; see the catalog in the README's rule index."""

from __future__ import annotations

from aiconf_lint.rule import Rule
from aiconf_lint.rules.dra.dra001_deprecated_dra_api_version import DeprecatedDraApiVersion
from aiconf_lint.rules.dra.dra002_undefined_claim_reference import UndefinedClaimReference
from aiconf_lint.rules.dra.dra003_unused_pod_claim import UnusedPodClaim
from aiconf_lint.rules.dra.dra004_missing_claim_source import MissingClaimSource
from aiconf_lint.rules.dra.dra005_invalid_cel_selector import InvalidCelSelector
from aiconf_lint.rules.dra.dra006_unqualified_constraint_attribute import (
    UnqualifiedConstraintAttribute,
)
from aiconf_lint.rules.dra.dra007_dra_api_limits_exceeded import DraApiLimitsExceeded
from aiconf_lint.rules.dra.dra008_mixed_device_plugin_and_claim import MixedDevicePluginAndClaim

DRA_RULES: tuple[type[Rule], ...] = (
    DeprecatedDraApiVersion,
    UndefinedClaimReference,
    UnusedPodClaim,
    MissingClaimSource,
    InvalidCelSelector,
    UnqualifiedConstraintAttribute,
    DraApiLimitsExceeded,
    MixedDevicePluginAndClaim,
)
