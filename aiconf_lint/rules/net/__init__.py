"""NET rules: Gateway API and Inference Extension wiring; see the README's rule index."""

from __future__ import annotations

from aiconf_lint.rule import Rule
from aiconf_lint.rules.net.net001_route_reference_not_found import RouteReferenceNotFound
from aiconf_lint.rules.net.net002_pool_selects_nothing import PoolSelectsNothing
from aiconf_lint.rules.net.net003_pool_port_mismatch import PoolPortMismatch
from aiconf_lint.rules.net.net004_endpoint_picker_not_found import EndpointPickerNotFound
from aiconf_lint.rules.net.net005_provider_specific_gateway_class import (
    ProviderSpecificGatewayClass,
)
from aiconf_lint.rules.net.net006_inference_server_without_route import (
    InferenceServerWithoutRoute,
)
from aiconf_lint.rules.net.net007_pre_ga_inference_api import PreGaInferenceApi
from aiconf_lint.rules.net.net008_invalid_backend_weights import InvalidBackendWeights
from aiconf_lint.rules.net.net009_disaggregated_role_unreachable import (
    DisaggregatedRoleUnreachable,
)
from aiconf_lint.rules.net.net010_model_header_not_served import ModelHeaderNotServed

NET_RULES: tuple[type[Rule], ...] = (
    RouteReferenceNotFound,
    PoolSelectsNothing,
    PoolPortMismatch,
    EndpointPickerNotFound,
    ProviderSpecificGatewayClass,
    InferenceServerWithoutRoute,
    PreGaInferenceApi,
    InvalidBackendWeights,
    DisaggregatedRoleUnreachable,
    ModelHeaderNotServed,
)
