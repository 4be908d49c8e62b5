"""prometheus-adapter configuration found in a bundle, and which metric names it serves.

The adapter's config file (`rules`, `externalRules`, `resourceRules`) is usually shipped as a
string inside a ConfigMap. For each discovery rule the adapter lists the series its
`seriesQuery` selects, keeps those passing `seriesFilters`, and names each one by running the
Go regexp `name.matches` (default `.*`, unanchored) and expanding `name.as` with Go's
`Regexp.ExpandString` (default `$0` with no capture group, `$1` with one). We repeat that on
the series names a `seriesQuery` spells literally (`DCGM_FI_DEV_GPU_UTIL{...}`,
`{__name__="x"}`); a rule whose series are found by regex is "open": it may serve any name its
`as` template can produce, and we never claim it does not.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator

import yaml

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map
from aiconf_lint.records import field, record

MAX_CONFIG_CHARS = 256 * 1024
_METRIC_NAME = r"[A-Za-z_:][A-Za-z0-9_:]*"
_LITERAL_QUERY = re.compile(rf"^\s*({_METRIC_NAME})\s*(?:\{{[^}}]*\}})?\s*$")
_NAME_EQUALS = re.compile(r"__name__\s*=\s*[\"']([^\"']*)[\"']")
_BARE_SELECTOR = re.compile(r"^\s*\{[^}]*\}\s*$")
_NAME_REGEX = re.compile(r"__name__\s*=~")
_GO_NAME = re.compile(r"[A-Za-z0-9_]+")


def compile_go_regex(pattern: str) -> re.Pattern[str] | None:
    """A Go RE2 pattern as a Python one, or None where the dialects differ or it is invalid."""
    if "[[:" in pattern or "\\p" in pattern or "\\C" in pattern:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return re.compile(pattern.replace("\\z", "\\Z"))
        except (re.error, RecursionError, OverflowError):
            return None


def go_expand(template: str, match: re.Match[str]) -> str:
    """Go's `Regexp.ExpandString`: `$1`, `${1}`, `$name`, `${name}`, `$$`.

    As in Go, `$1x` names the group `1x` (which does not exist, so it expands to nothing),
    which is why the adapter's docs write `${1}_per_second`.
    """
    out: list[str] = []
    i = 0
    while i < len(template):
        char = template[i]
        if char != "$" or i + 1 >= len(template):
            out.append(char)
            i += 1
            continue
        nxt = template[i + 1]
        if nxt == "$":
            out.append("$")
            i += 2
            continue
        if nxt == "{":
            end = template.find("}", i + 2)
            name = template[i + 2 : end] if end != -1 else ""
            if end == -1 or not _GO_NAME.fullmatch(name):
                out.append("$")
                i += 1
                continue
            i = end + 1
        else:
            found = _GO_NAME.match(template, i + 1)
            if found is None:
                out.append("$")
                i += 1
                continue
            name = found.group(0)
            i = found.end()
        out.append(_group(match, name))
    return "".join(out)


def _group(match: re.Match[str], name: str) -> str:
    try:
        value = match.group(int(name)) if name.isdigit() else match.group(name)
    except IndexError:  # no such group: Go expands it to nothing
        return ""
    return value or ""


def template_pattern(template: str) -> re.Pattern[str]:
    """Every name an `as` template can expand to: literal text with `.*` for each reference."""
    parts: list[str] = []
    for piece in re.split(r"(\$\$|\$\{[^}]*\}|\$[A-Za-z0-9_]+)", template):
        if piece == "$$":
            parts.append(re.escape("$"))
        elif piece.startswith("$") and len(piece) > 1:
            parts.append(".*")
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts), re.DOTALL)


@record(frozen=True)
class NamingRule:
    """One discovery rule, reduced to what decides the names it exposes."""

    series: tuple[str, ...] | None
    """Literal series names of `seriesQuery`; None when it selects by regex (open)."""
    filters: tuple[tuple[bool, re.Pattern[str] | None], ...]
    matches: re.Pattern[str] | None
    """None when `name.matches` is not a pattern we can evaluate faithfully."""
    template: str | None
    """The `as` template with the adapter's default applied; None when the adapter rejects
    the rule (more than one capture group and no `as`)."""
    plain_query: bool = True
    """`metricsQuery` reports the series as it is (no arithmetic that could invert it)."""
    rates: bool = True
    """`metricsQuery` takes a rate of the series (`rate`, `increase`, ...); True when unknown."""

    def exposed(self) -> set[str] | None:
        """The names this rule serves, or None when they cannot be listed."""
        if self.series is None or self.matches is None or self.template is None:
            return None
        names: set[str] = set()
        for series in self.series:
            if not self.passes_filters(series):
                continue
            found = self.matches.search(series)
            if found is not None:
                names.add(go_expand(self.template, found))
        return names

    def passes_filters(self, series: str) -> bool:
        for keep, pattern in self.filters:
            if pattern is None:
                return True  # a filter we cannot evaluate: assume the series survives
            if bool(pattern.search(series)) != keep:
                return False
        return True

    def may_serve(self, name: str) -> bool:
        """True unless the rule provably does not serve `name` (case-insensitively)."""
        exposed = self.exposed()
        if exposed is not None:
            return name.lower() in {n.lower() for n in exposed}
        if self.template is None:
            return False
        pattern = template_pattern(self.template).pattern
        return re.fullmatch(pattern, name, re.IGNORECASE | re.DOTALL) is not None


def series_names(query: object) -> tuple[str, ...] | None:
    """Literal series names of a `seriesQuery`, None when it selects names by regex."""
    if not isinstance(query, str):
        return None
    if _NAME_REGEX.search(query):
        return None
    literal = _LITERAL_QUERY.match(query)
    if literal is not None:
        return (literal.group(1),)
    names = _NAME_EQUALS.findall(query)
    if len(names) == 1 and _BARE_SELECTOR.match(query):
        return (names[0],)
    return None


def naming_rule(raw: object) -> NamingRule | None:
    rule = as_map(raw)
    if not rule:
        return None
    name = as_map(rule.get("name"))
    matches_text = name.get("matches")
    matches = compile_go_regex(str(matches_text)) if matches_text else re.compile(".*")
    template = name.get("as")
    if not template:
        groups = matches.groups if matches is not None else 0
        template = "$0" if groups == 0 else "$1" if groups == 1 else None
    filters: list[tuple[bool, re.Pattern[str] | None]] = []
    for item in as_list(rule.get("seriesFilters")):
        entry = as_map(item)
        if "is" in entry:
            filters.append((True, compile_go_regex(str(entry["is"]))))
        elif "isNot" in entry:
            filters.append((False, compile_go_regex(str(entry["isNot"]))))
    return NamingRule(
        series=series_names(rule.get("seriesQuery")),
        filters=tuple(filters),
        matches=matches,
        template=str(template) if template is not None else None,
        plain_query=is_plain_query(rule.get("metricsQuery")),
        rates=takes_rate(rule.get("metricsQuery")),
    )


_QUERY_NOISE = re.compile(r"<<[^>]*>>|\{[^}]*\}|\[[^\]]*\]|\"[^\"]*\"|'[^']*'")


# PromQL functions that turn an ever-growing counter into something that can fall again.
_RANGE_FUNCTIONS = re.compile(
    r"\b(rate|irate|increase|delta|idelta|deriv|changes|resets|\w+_over_time)\s*\("
)
_COUNTER_NAME = re.compile(r"(?<![\w:])[A-Za-z_:][A-Za-z0-9_:]*_total(?![\w:])")


def takes_rate(query: object) -> bool:
    """Whether a PromQL query (or adapter `metricsQuery`) applies a range function; True for
    anything that is not a query string, so that an unknown query is never judged."""
    return not isinstance(query, str) or _RANGE_FUNCTIONS.search(query) is not None


def counter_names(query: str) -> list[str]:
    """Series a query names that are Prometheus counters by convention (`..._total`, which
    OpenMetrics requires of every counter), outside string literals."""
    return _COUNTER_NAME.findall(re.sub(r"\"[^\"]*\"|'[^']*'", "", query))


def is_plain_query(query: object) -> bool:
    """True when a PromQL query has no arithmetic between series (only functions, grouping)."""
    if query is None:
        return True
    if not isinstance(query, str):
        return False
    text = _QUERY_NOISE.sub("", query)
    return not re.search(r"[-+*/%^]|\b(and|or|unless)\b", text)


@record
class AdapterConfig:
    """The adapter rule sets from one ConfigMap."""

    source: K8sObject
    data_key: str
    rules: list[NamingRule] = field(default_factory=list)
    external_rules: list[NamingRule] = field(default_factory=list)
    has_custom: bool = False
    has_external: bool = False


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml when PyYAML has it: the pure-Python loader took 6 ms per adapter config."""


def _parse(text: str) -> object:
    if len(text) > MAX_CONFIG_CHARS or "rules" not in text.lower():
        return None
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError:
        return None


def _is_rule_list(value: object) -> bool:
    return any(isinstance(item, dict) and "seriesQuery" in item for item in as_list(value))


def config_from_configmap(obj: K8sObject) -> AdapterConfig | None:
    """The adapter config a ConfigMap holds in one of its data keys, if any."""
    if obj.kind != "ConfigMap" or obj.group != "":
        return None
    for key, text in as_map(obj.data.get("data")).items():
        if not isinstance(text, str):
            continue
        parsed = as_map(_parse(text))
        custom, external = parsed.get("rules"), parsed.get("externalRules")
        resource = as_map(parsed.get("resourceRules"))
        if not (_is_rule_list(custom) or _is_rule_list(external) or "cpu" in resource):
            continue
        config = AdapterConfig(obj, str(key))
        config.has_custom = _is_rule_list(custom)
        config.has_external = _is_rule_list(external)
        config.rules = [r for r in map(naming_rule, as_list(custom)) if r is not None]
        config.external_rules = [r for r in map(naming_rule, as_list(external)) if r is not None]
        return config
    return None


def adapter_configs(bundle: Bundle) -> list[AdapterConfig]:
    """The run's adapter configs, parsed once per run (SCL011 asks once per autoscaler)."""
    return bundle.cached(
        "prometheus-adapter:configs",
        lambda: [c for c in map(config_from_configmap, bundle.of_kind("ConfigMap")) if c],
    )


def configs_beside(bundle: Bundle, obj: K8sObject) -> list[AdapterConfig]:
    """The adapter configs shipped with `obj`, the first of each set of identical ones (same
    ConfigMap name, namespace, key and text): copies of one chart in a stream serve the same
    names, and naming each copy in a message says nothing more."""
    found: dict[tuple[str, str, str, object], AdapterConfig] = {}
    for config in adapter_configs(bundle):
        if not bundle.are_related(obj, config.source):
            continue
        source = config.source
        text = as_map(source.data.get("data")).get(config.data_key)
        key = (bundle.namespace_of(source), source.name, config.data_key, text)
        found.setdefault(key, config)
    return list(found.values())


def serves(rules: Iterable[NamingRule], name: str) -> bool:
    return any(rule.may_serve(name) for rule in rules)


def exposed_names(rules: Iterable[NamingRule]) -> Iterator[str]:
    """Names the rules provably expose, for "found instead" hints."""
    for rule in rules:
        yield from sorted(rule.exposed() or ())


def source_series(rules: Iterable[NamingRule], name: str) -> set[str]:
    """Literal series that rules expose under `name` (for spotting a renamed free metric)."""
    found: set[str] = set()
    for rule in rules:
        if rule.series is None or rule.matches is None or rule.template is None:
            continue
        if not rule.plain_query:
            continue
        for series in rule.series:
            if not rule.passes_filters(series):
                continue
            match = rule.matches.search(series)
            if match is not None and go_expand(rule.template, match).lower() == name.lower():
                found.add(series)
    return found


def has_external_provider(bundle: Bundle) -> bool:
    """KEDA, or any APIService for `external.metrics.k8s.io`, in the bundle."""
    for obj in bundle.objects:
        if obj.group == "keda.sh":
            return True
        if obj.kind == "APIService" and obj.spec.get("group") == "external.metrics.k8s.io":
            return True
    return False
