"""prometheus-adapter naming: Go's regexp expansion and the names a rule exposes."""

from __future__ import annotations

import re

import pytest

from aiconf_lint.k8s.prometheus_adapter import (
    go_expand,
    is_plain_query,
    naming_rule,
    series_names,
    source_series,
)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("${1}_per_second", "http_requests_per_second"),
        ("$1_per_second", ""),  # Go reads `$1_per_second` as the group `1_per_second`
        ("$0", "http_requests_total"),
        ("${name}", "http_requests"),
        ("$$1", "$1"),
        ("x$", "x$"),
        ("${3}", ""),
    ],
)
def test_go_expand(template: str, expected: str) -> None:
    match = re.search(r"^(?P<name>(.*))_total$", "http_requests_total")
    assert match is not None
    assert go_expand(template, match) == expected


def test_series_names_from_queries() -> None:
    assert series_names('DCGM_FI_DEV_GPU_UTIL{namespace!="",pod!=""}') == ("DCGM_FI_DEV_GPU_UTIL",)
    assert series_names("vllm:num_requests_waiting") == ("vllm:num_requests_waiting",)
    assert series_names('{__name__="up",job="x"}') == ("up",)
    assert series_names('{__name__=~"^container_.*",pod!=""}') is None
    assert series_names(42) is None
    assert series_names('foo{a="1"} or bar{b="2"}') is None
    assert series_names('{__name__="x"} or {__name__="y"}') is None


def test_default_as_follows_capture_groups() -> None:
    none = naming_rule({"seriesQuery": "foo_total", "name": {"matches": "_total$"}})
    one = naming_rule({"seriesQuery": "foo_total", "name": {"matches": "^(.*)_total$"}})
    two = naming_rule({"seriesQuery": "foo_total", "name": {"matches": "^(.*)_(total)$"}})
    bare = naming_rule({"seriesQuery": "foo_total"})
    assert none is not None
    assert none.exposed() == {"_total"}
    assert one is not None
    assert one.exposed() == {"foo"}
    assert two is not None
    assert two.template is None
    assert not two.may_serve("foo")
    assert bare is not None
    assert bare.exposed() == {"foo_total"}


def test_open_rules_serve_what_their_template_allows() -> None:
    rule = naming_rule(
        {
            "seriesQuery": '{__name__=~"^tgi_.*"}',
            "name": {"matches": "^tgi_(.*)$", "as": "tgi_${1}"},
        }
    )
    assert rule is not None
    assert rule.exposed() is None
    assert rule.may_serve("tgi_queue_size")
    assert not rule.may_serve("vllm_queue")


def test_names_compare_case_insensitively_and_filters_apply() -> None:
    rule = naming_rule(
        {
            "seriesQuery": "DCGM_FI_DEV_GPU_UTIL",
            "seriesFilters": [{"isNot": "GPU_UTIL$"}],
        }
    )
    assert rule is not None
    assert not rule.may_serve("DCGM_FI_DEV_GPU_UTIL")
    plain = naming_rule({"seriesQuery": "DCGM_FI_DEV_GPU_UTIL"})
    assert plain is not None
    assert plain.may_serve("dcgm_fi_dev_gpu_util")


def test_posix_classes_are_not_judged() -> None:
    rule = naming_rule({"seriesQuery": "abc", "name": {"matches": "[[:alpha:]]+", "as": "x"}})
    assert rule is not None
    assert rule.matches is None
    assert rule.may_serve("x")


def test_source_series_skips_arithmetic_queries() -> None:
    plain = naming_rule(
        {
            "seriesQuery": "DCGM_FI_DEV_FB_FREE",
            "name": {"as": "mem"},
            "metricsQuery": "avg(<<.Series>>{<<.LabelMatchers>>})",
        }
    )
    derived = naming_rule(
        {
            "seriesQuery": "DCGM_FI_DEV_FB_FREE",
            "name": {"as": "used"},
            "metricsQuery": "1 - avg(<<.Series>>)",
        }
    )
    assert plain is not None
    assert derived is not None
    assert source_series([plain, derived], "MEM") == {"DCGM_FI_DEV_FB_FREE"}
    assert source_series([plain, derived], "used") == set()
    assert is_plain_query("sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)")
    assert not is_plain_query("sum(a) / sum(b)")
