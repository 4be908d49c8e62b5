"""ACC: accelerator requests (portability, `dra_support`, `gpu_sharing`)."""

from __future__ import annotations

from aiconf_lint.rule import Rule
from aiconf_lint.rules.acc.acc001_device_plugin_accelerator_request import (
    DevicePluginAcceleratorRequest,
)
from aiconf_lint.rules.acc.acc002_invalid_accelerator_quantity import InvalidAcceleratorQuantity
from aiconf_lint.rules.acc.acc003_provider_specific_accelerator_placement import (
    ProviderSpecificAcceleratorPlacement,
)
from aiconf_lint.rules.acc.acc004_provider_specific_accelerator_resource import (
    ProviderSpecificAcceleratorResource,
)
from aiconf_lint.rules.acc.acc005_exact_gpu_product_selector import ExactGpuProductSelector
from aiconf_lint.rules.acc.acc006_shared_gpu_request_over_one import SharedGpuRequestOverOne
from aiconf_lint.rules.acc.acc007_mig_profile_resource import MigProfileResource
from aiconf_lint.rules.acc.acc008_kfp_accelerator_limit import KfpAcceleratorLimit

ACC_RULES: tuple[type[Rule], ...] = (
    InvalidAcceleratorQuantity,
    DevicePluginAcceleratorRequest,
    ProviderSpecificAcceleratorPlacement,
    ProviderSpecificAcceleratorResource,
    ExactGpuProductSelector,
    SharedGpuRequestOverOne,
    MigProfileResource,
    KfpAcceleratorLimit,
)
