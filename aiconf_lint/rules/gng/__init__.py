"""GNG: gang scheduling (`gang_scheduling`)."""

from __future__ import annotations

from aiconf_lint.rule import Rule
from aiconf_lint.rules.gng.gng001_distributed_job_without_gang import DistributedJobWithoutGang
from aiconf_lint.rules.gng.gng002_gang_minimum_exceeds_members import GangMinimumExceedsMembers
from aiconf_lint.rules.gng.gng003_gang_minimum_below_members import GangMinimumBelowMembers
from aiconf_lint.rules.gng.gng004_gang_scheduler_without_group import GangSchedulerWithoutGroup
from aiconf_lint.rules.gng.gng005_dangling_pod_group import DanglingPodGroup
from aiconf_lint.rules.gng.gng006_incomplete_kueue_pod_group import IncompleteKueuePodGroup
from aiconf_lint.rules.gng.gng007_removed_gang_api import RemovedGangApi

GNG_RULES: tuple[type[Rule], ...] = (
    DistributedJobWithoutGang,
    GangMinimumExceedsMembers,
    GangMinimumBelowMembers,
    GangSchedulerWithoutGroup,
    DanglingPodGroup,
    IncompleteKueuePodGroup,
    RemovedGangApi,
)
