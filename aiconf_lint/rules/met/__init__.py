"""MET rules; see the catalog in the README's rule index."""

from __future__ import annotations

from aiconf_lint.rule import Rule
from aiconf_lint.rules.met.met001_monitor_selects_nothing import MonitorSelectsNothing
from aiconf_lint.rules.met.met002_monitor_port_not_found import MonitorPortNotFound
from aiconf_lint.rules.met.met003_inference_server_not_scraped import InferenceServerNotScraped
from aiconf_lint.rules.met.met004_dcgm_monitor_drops_pod_labels import DcgmMonitorDropsPodLabels
from aiconf_lint.rules.met.met005_scrape_annotation_port_mismatch import (
    ScrapeAnnotationPortMismatch,
)
from aiconf_lint.rules.met.met006_provider_specific_monitoring_api import (
    ProviderSpecificMonitoringApi,
)
from aiconf_lint.rules.met.met007_scrape_misses_metrics_endpoint import (
    ScrapeMissesMetricsEndpoint,
)

MET_RULES: tuple[type[Rule], ...] = (
    MonitorSelectsNothing,
    MonitorPortNotFound,
    InferenceServerNotScraped,
    DcgmMonitorDropsPodLabels,
    ScrapeAnnotationPortMismatch,
    ProviderSpecificMonitoringApi,
    ScrapeMissesMetricsEndpoint,
)
