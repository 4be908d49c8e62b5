"""ACC: accelerator requests (portability, `dra_support`, `gpu_sharing`)."""

from __future__ import annotations

from aiconf_lint.rule import Rule
from aiconf_lint.rules.acc.acc002_invalid_accelerator_quantity import InvalidAcceleratorQuantity

ACC_RULES: tuple[type[Rule], ...] = (InvalidAcceleratorQuantity,)
