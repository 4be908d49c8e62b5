"""SEC: secure accelerator access (`secure_accelerator_access`)."""

from __future__ import annotations

from aiconf_lint.rule import Rule
from aiconf_lint.rules.sec.sec001_manual_visible_devices import ManualVisibleDevices
from aiconf_lint.rules.sec.sec002_raw_device_access import RawDeviceAccess
from aiconf_lint.rules.sec.sec003_admin_access_claim import AdminAccessClaim

SEC_RULES: tuple[type[Rule], ...] = (
    ManualVisibleDevices,
    RawDeviceAccess,
    AdminAccessClaim,
)
