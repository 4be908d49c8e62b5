"""SARIF 2.1.0 for GitHub code scanning, built with `sarif-om` and serialised here.

GitHub reads a small subset of SARIF (rule id, descriptions, help, level, message, the first
location with a full region, `partialFingerprints`) and ignores the rest, including
`suppressions`, so suppressed findings never reach this module (the engine drops them) and a
dismissed-in-source finding cannot reappear as an open alert.

`sarif-om` was generated from the pre-final `2.1.0-rtm.4` schema, so its objects are never
serialised blindly: `to_sarif_json` walks the attrs fields by their `schema_property_name`, drops
the sentinel defaults the generator invented (`ruleIndex: -1`, `rank: -1.0`, `kind: "fail"`),
and refuses `Suppression.state`, which the final schema renamed to `status`.

`primaryLocationLineHash`, the fingerprint GitHub matches alerts by, is left to `upload-sarif`
(it hashes line content, not numbers). Our own `aiconfLogicalId/v1`, for other consumers, hashes
the rule, the file, the object's identity and the YAML path with list items named, never a line
number, so it survives moved lines, inserted sidecars and API version bumps.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import yaml

from aiconf_lint import __version__
from aiconf_lint.model import Finding, Location, ObjectRef, Report, Severity, Span, YamlPath

if TYPE_CHECKING:
    from aiconf_lint.profiles import Profile
    from aiconf_lint.rule import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "aiconf-lint"
FINGERPRINT_KEY = "aiconfLogicalId/v1"
SRCROOT = "%SRCROOT%"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# GitHub's hard limits (a breach rejects the whole upload) and display limits.
MAX_RESULTS = 25_000
MAX_GZIP_BYTES = 10 * 1024 * 1024
MAX_TAGS = 20
MAX_NAME = 255
MAX_DESCRIPTION = 1024
MAX_RELATED = 1000

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "recommendation",
}
# Only SEC rules are security alerts; the score follows the level (GitHub: >=7 high, 4-6.9
# medium, <4 low) because the catalog grades impact by level, not by a separate score.
SECURITY_SEVERITY = {Severity.ERROR: "7.5", Severity.WARNING: "5.0", Severity.INFO: "2.0"}
FAMILIES = {
    "SYN": "syntax",
    "ACC": "accelerators",
    "DRA": "dynamic-resource-allocation",
    "GNG": "gang-scheduling",
    "MET": "metrics",
    "SCL": "autoscaling",
    "SEC": "security",
    "OPR": "ai-operators",
}

# Fields whose value must be written even when it equals sarif-om's default: GitHub reads
# `level`, and an omitted level means "warning" only to readers who know the spec default.
_ALWAYS_EMIT = frozenset({"level"})
# Properties of the pre-final schema that the final 2.1.0 schema rejects.
_NEVER_EMIT = frozenset({("Suppression", "state")})


def warn_stderr(message: str) -> None:
    sys.stderr.write(f"warning: {message}\n")


@dataclass(frozen=True, slots=True)
class SarifOptions:
    """What the report alone does not say: the enabled rules, the profile, the category."""

    rules: Sequence[type[Rule]] | None = None
    """Enabled rules for `tool.driver.rules`; None lists every rule that exists."""
    profile: Profile | None = None
    category: str | None = None
    root: Path | None = None
    """Directory URIs are made relative to (the repository root in CI); default: cwd."""
    max_results: int = MAX_RESULTS
    max_gzip_bytes: int = MAX_GZIP_BYTES
    warn: Callable[[str], None] = field(default=warn_stderr)


# --- serialisation ---------------------------------------------------------------------------


def to_sarif_json(value: object) -> object:
    """Plain JSON data from sarif-om objects, keyed by the schema's property names."""
    import attr

    if isinstance(value, dict):
        return {str(k): to_sarif_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_sarif_json(v) for v in value]
    if not attr.has(type(value)):
        return value
    cls: Any = type(value)
    cls_name = cls.__name__
    out: dict[str, object] = {}
    names: set[str] = set()
    for attribute in attr.fields(cls):
        names.add(attribute.name)
        key = attribute.metadata.get("schema_property_name", attribute.name)
        current = getattr(value, attribute.name)
        if current is None:
            continue
        if (cls_name, key) in _NEVER_EMIT:
            raise ValueError(f"`{cls_name}.{key}` is not SARIF 2.1.0 (sarif-om schema drift)")
        if key not in _ALWAYS_EMIT and _is_default(attribute.default, current):
            continue
        out[key] = to_sarif_json(current)
    if cls_name == "PropertyBag":
        # Property bags are open: `precision`, `problem.severity`, `aiconf/origin` are set as
        # extra attributes because their names are not Python identifiers.
        for key, extra in vars(value).items():
            if key not in names and extra is not None:
                out[key] = to_sarif_json(extra)
    return out


def _is_default(default: object, current: object) -> bool:
    import attr

    if default is attr.NOTHING:
        return False
    factory: Callable[[], object] | None = getattr(default, "factory", None)
    if factory is not None:  # attr.Factory: compare with a fresh default
        return bool(current == factory())
    return type(current) is type(default) and current == default


# --- paths -----------------------------------------------------------------------------------


def artifact_uri(file: str, root: Path) -> str:
    """A repo-relative URI when `file` is below `root` (symlinks resolved), else a file URI.

    GitHub resolves relative URIs against the checkout; an absolute path inside the checkout
    would lose its fingerprint and its file preview, and one outside it cannot be shown at all.
    """
    if file.startswith("<") and file.endswith(">"):  # <stdin> without --stdin-filename
        return quote(file.strip("<>"))
    path = Path(file)
    absolute = path if path.is_absolute() else root / path
    for candidate in (absolute.resolve(), Path(os.path.abspath(absolute))):
        for base in (root.resolve(), Path(os.path.abspath(root))):
            if candidate.is_relative_to(base):
                return quote(candidate.relative_to(base).as_posix())
    return Path(os.path.abspath(absolute)).as_uri()


def _is_relative(uri: str) -> bool:
    return "://" not in uri and not uri.startswith("/")


def template_file(origin: str, rendered: str, root: Path) -> str | None:
    """The repo path of a Helm `# Source:` template, when it can be found; else None.

    Helm prefixes the path with the chart *name*, which need not be its directory's name
    (kube-linter#212), so every directory from the rendered file up to `root` is tried with
    the path as written, under `charts/`, and, when the directory is a chart (it has a
    `Chart.yaml`), with the chart-relative rest (`templates/job.yaml`).
    """
    origin_path = PurePosixPath(origin)
    parts = origin_path.parts
    if not parts or origin_path.is_absolute() or ".." in parts:
        return None
    rest = PurePosixPath(*parts[1:]) if len(parts) > 1 else None
    rendered_path = Path(rendered)
    start = rendered_path if rendered_path.is_absolute() else root / rendered_path
    folders = [f for f in start.parents if f.is_relative_to(root)] or [root]
    for folder in folders:
        candidates = [folder / origin, folder / "charts" / origin]
        if rest is not None and (folder / "Chart.yaml").is_file():
            candidates.append(folder / rest)
        for candidate in candidates:
            if candidate.is_file():
                uri = artifact_uri(str(candidate), root)
                if _is_relative(uri):
                    return uri
    return None


# --- rules -----------------------------------------------------------------------------------


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def family_of(rule: type[Rule]) -> str:
    return FAMILIES.get(rule.code[:3], rule.code[:3].lower())


def rule_tags(rule: type[Rule]) -> list[str]:
    tags = [family_of(rule), *rule.requirements]
    if rule.code.startswith("SEC"):
        tags.append("security")
    unique = list(dict.fromkeys(tags))
    return unique[:MAX_TAGS]


def unwrap(text: str) -> str:
    """Docstring paragraphs as single lines: GitHub shows descriptions as flowing text."""
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _help_text(sections: dict[str, str]) -> str:
    return "\n\n".join(f"{title}\n{body}" for title, body in sections.items()).strip()


def reporting_descriptor(om: Any, rule: type[Rule], profile: Profile | None) -> Any:
    from aiconf_lint import docs

    sections = docs.sections(rule)
    level = rule().severity_for(profile) if profile is not None else rule.severity
    bag = om.PropertyBag(tags=rule_tags(rule))
    bag.precision = "very-high" if rule.source_level else "high"
    if rule.code.startswith("SEC"):
        setattr(bag, "security-severity", SECURITY_SEVERITY[level])
    else:
        setattr(bag, "problem.severity", PROBLEM_SEVERITY[level])
    return om.ReportingDescriptor(
        id=rule.code,
        name=_clip(rule.name, MAX_NAME),
        short_description=om.MultiformatMessageString(text=_clip(rule.summary, MAX_DESCRIPTION)),
        full_description=om.MultiformatMessageString(
            text=_clip(unwrap(sections.get("What it does") or rule.summary), MAX_DESCRIPTION)
        ),
        help=om.MultiformatMessageString(text=_help_text(sections), markdown=docs.markdown(rule)),
        help_uri=f"{docs.DOCS_BASE_URL}{rule.code}.md",
        default_configuration=om.ReportingConfiguration(level=LEVELS[level]),
        properties=bag,
    )


# --- results ---------------------------------------------------------------------------------


def _segment(step: str | int, first: bool) -> str:
    if isinstance(step, int):
        return f"[{step}]"
    if step and all(c.isalnum() or c in "_-" for c in step):
        return step if first else f".{step}"
    return f"[{json.dumps(step)}]"


def yaml_path_text(path: YamlPath) -> str:
    """`spec.containers[0].resources.limits["nvidia.com/gpu"]`: readable and unambiguous."""
    return "".join(_segment(step, i == 0) for i, step in enumerate(path))


def qualified_name(obj: ObjectRef) -> str:
    parts = [obj.api_version, obj.kind]
    if obj.namespace:
        parts.append(obj.namespace)
    parts.append(obj.name)
    return "/".join(parts)


def _object_identity(obj: ObjectRef | None) -> str:
    # The API group, not the version: moving `resource.k8s.io/v1beta1` to `v1` (what several
    # rules ask for) must not close the alert and open a new one.
    if obj is None:
        return ""
    group = obj.api_version.rpartition("/")[0]
    return "/".join((group, obj.kind, obj.namespace or "", obj.name))


def _region_text(text: str | None, span: Span) -> str | None:
    if text is None:
        return None
    lines = text.splitlines()
    if not 0 < span.line <= len(lines) or not 0 < span.end_line <= len(lines):
        return None
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1] or None
    chunk = [lines[span.line - 1][span.column - 1 :], *lines[span.line : span.end_line - 1]]
    chunk.append(lines[span.end_line - 1][: span.end_column - 1])
    return "\n".join(chunk) or None


def documents(text: str) -> list[yaml.Node]:
    """The document nodes of `text`, numbered as the loader numbers them (`Location.doc_index`).

    Composing builds nodes only (no alias expansion); documents after a syntax error are lost,
    and findings in them fall back to plain indices.
    """
    loader = _LOADER(text)
    nodes: list[yaml.Node] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                nodes.append(node)
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return nodes


def _item_name(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "name" and isinstance(value, yaml.ScalarNode) and value.value:
                return str(value.value)
    return None


def identity_path(root: yaml.Node | None, path: YamlPath) -> str:
    """`path` with each list index replaced by the item's `name` where it has one.

    `containers[name="trainer"]` stays the same when a sidecar is inserted before `trainer`;
    `containers[0]` would not.
    """
    node = root
    out = ""
    for i, step in enumerate(path):
        child: yaml.Node | None = None
        name = None
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            child = node.value[step] if 0 <= step < len(node.value) else None
            name = None if child is None else _item_name(child)
        elif isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(step)), None)
        out += f"[name={json.dumps(name)}]" if name is not None else _segment(step, i == 0)
        node = child
    return out


def fingerprint_base(finding: Finding, uri: str, text: str | None, root: yaml.Node | None) -> str:
    """Everything that identifies a finding except where it sits in the file."""
    loc = finding.location
    anchor = identity_path(root, loc.path)
    if loc.obj is None:
        # File-level problems (SYN) have no object or path: use the offending line's text.
        lines = (text or "").splitlines()
        anchor = lines[loc.span.line - 1].strip() if 0 < loc.span.line <= len(lines) else ""
    return "\x1f".join((finding.code, uri, _object_identity(loc.obj), anchor))


def _artifact(om: Any, uri: str) -> Any:
    return om.ArtifactLocation(uri=uri, uri_base_id=SRCROOT if _is_relative(uri) else None)


def _physical(om: Any, uri: str, span: Span, text: str | None) -> Any:
    snippet = _region_text(text, span)
    region = om.Region(
        start_line=max(1, span.line),
        start_column=max(1, span.column),
        end_line=max(span.line, span.end_line, 1),
        end_column=max(1, span.end_column),
        snippet=None if snippet is None else om.ArtifactContent(text=snippet),
    )
    return om.PhysicalLocation(
        artifact_location=_artifact(om, uri),
        region=region,
    )


def _note(loc: Location) -> str:
    return loc.note or (loc.obj.display() if loc.obj else "related location")


def _link_text(text: str) -> str:
    """SARIF embedded-link text: literal `\\`, `[` and `]` are backslash-escaped (3.11.6)."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


@dataclass(slots=True)
class _Builder:
    om: Any
    report: Report
    root: Path
    rule_index: dict[str, int]
    _templates: dict[tuple[str, str], str | None] = field(default_factory=dict)
    _uris: dict[str, str] = field(default_factory=dict)

    def uri(self, file: str) -> str:
        if file not in self._uris:
            self._uris[file] = artifact_uri(file, self.root)
        return self._uris[file]

    def template(self, origin: str, rendered: str) -> str | None:
        key = (origin, rendered)
        if key not in self._templates:
            self._templates[key] = template_file(origin, rendered, self.root)
        return self._templates[key]

    def related(self, loc: Location, ident: int) -> Any:
        note = _note(loc)
        return self.om.Location(
            id=ident,
            physical_location=_physical(
                self.om, self.uri(loc.file), loc.span, self.report.texts.get(loc.file)
            ),
            message=self.om.Message(text=note),
        )

    def result(self, finding: Finding, fingerprint: str) -> Any:
        om = self.om
        loc = finding.location
        uri = self.uri(loc.file)
        shown = finding.related[:MAX_RELATED]
        related = [self.related(r, i) for i, r in enumerate(shown, 1)]
        message = finding.message
        if shown:
            # GitHub shows related locations only where the message links to them.
            links = ", ".join(f"[{_link_text(_note(r))}]({i})" for i, r in enumerate(shown, 1))
            message += f" (see {links})"
        props: dict[str, str] = {}
        if loc.path:
            props["aiconf/path"] = yaml_path_text(loc.path)
        if loc.origin:
            props["aiconf/origin"] = loc.origin
            template = self.template(loc.origin, loc.file)
            ident = len(related) + 1
            if template is not None:
                related.append(
                    om.Location(
                        id=ident,
                        physical_location=om.PhysicalLocation(
                            artifact_location=_artifact(om, template)
                        ),
                        message=om.Message(text="Helm template this object was rendered from"),
                    )
                )
                message += f" (rendered from [{_link_text(loc.origin)}]({ident}))"
            else:
                message += f" (rendered from {loc.origin})"
        if finding.fix is not None:
            props["aiconf/fix"] = str(finding.fix.applicability)
        logical = None
        if loc.obj is not None:
            logical = [
                om.LogicalLocation(
                    name=loc.obj.name,
                    fully_qualified_name=qualified_name(loc.obj),
                    kind="resource",
                )
            ]
        physical = _physical(om, uri, loc.span, self.report.texts.get(loc.file))
        return om.Result(
            rule_id=finding.code,
            rule_index=self.rule_index[finding.code],
            level=LEVELS[finding.severity],
            message=om.Message(text=message),
            locations=[om.Location(physical_location=physical, logical_locations=logical)],
            related_locations=related or None,
            partial_fingerprints={FINGERPRINT_KEY: fingerprint},
            properties=_bag(om, props) if props else None,
        )


def _bag(om: Any, props: dict[str, str]) -> Any:
    bag = om.PropertyBag()
    for key, value in props.items():
        setattr(bag, key, value)
    return bag


def fingerprints(
    findings: Sequence[Finding], uri_of: Callable[[str], str], texts: dict[str, str]
) -> list[str]:
    """One stable hash per finding; repeats of the same identity get `:2`, `:3` in file order."""
    seen: Counter[str] = Counter()
    parsed: dict[str, list[yaml.Node]] = {}
    out = []
    for finding in findings:
        loc = finding.location
        text = texts.get(loc.file)
        root = None
        if loc.obj is not None and text is not None:
            if loc.file not in parsed:
                parsed[loc.file] = documents(text)
            nodes = parsed[loc.file]
            root = nodes[loc.doc_index] if 0 <= loc.doc_index < len(nodes) else None
        base = fingerprint_base(finding, uri_of(loc.file), text, root)
        seen[base] += 1
        digest = hashlib.sha256(base.encode("utf-8")).hexdigest()[:32]
        out.append(f"{digest}:{seen[base]}")
    return out


def _keep_most_severe(findings: Sequence[Finding], limit: int) -> list[Finding]:
    """The `limit` most severe findings, still in file order (GitHub shows the top by severity)."""
    ranked = sorted(range(len(findings)), key=lambda i: -findings[i].severity)[:limit]
    return [findings[i] for i in sorted(ranked)]


def _notifications(om: Any, report: Report, builder: _Builder) -> list[Any]:
    out = []
    for error in report.errors:
        region = om.Region(start_line=error.line) if error.line else None
        out.append(
            om.Notification(
                level="error",
                message=om.Message(text=error.message),
                locations=[
                    om.Location(
                        physical_location=om.PhysicalLocation(
                            artifact_location=_artifact(om, builder.uri(error.file)),
                            region=region,
                        )
                    )
                ],
            )
        )
    return out


def build_log(report: Report, options: SarifOptions, findings: Sequence[Finding]) -> dict[str, Any]:
    """The SARIF log as plain JSON data, for `findings` (already capped)."""
    import sarif_om as om  # type: ignore[import-untyped]

    from aiconf_lint.rules import ALL_RULES, RULES_BY_CODE

    rules = list(options.rules if options.rules is not None else ALL_RULES)
    listed = {rule.code for rule in rules}
    rules.extend(RULES_BY_CODE[f.code] for f in findings if f.code not in listed)
    rules = sorted(dict.fromkeys(rules), key=lambda rule: rule.code)
    builder = _Builder(
        om, report, options.root or Path.cwd(), {r.code: i for i, r in enumerate(rules)}
    )
    prints = fingerprints(findings, builder.uri, report.texts)
    results = [builder.result(f, fp) for f, fp in zip(findings, prints, strict=True)]
    driver = om.ToolComponent(
        name=TOOL_NAME,
        version=__version__,
        semantic_version=__version__,
        information_uri=docs_home(),
        rules=[reporting_descriptor(om, rule, options.profile) for rule in rules],
    )
    notifications = _notifications(om, report, builder)
    run = om.Run(
        tool=om.Tool(driver=driver),
        results=results,
        automation_details=None
        if not (options.category or "").strip()
        else om.RunAutomationDetails(id=category_id(options.category or "")),
        invocations=[
            om.Invocation(
                execution_successful=not report.errors,
                tool_execution_notifications=notifications or None,
            )
        ],
        original_uri_base_ids={SRCROOT: om.ArtifactLocation(uri=_root_uri(builder.root))},
        column_kind="unicodeCodePoints",
    )
    log = om.SarifLog(runs=[run], version="2.1.0", schema_uri=SCHEMA_URI)
    data = to_sarif_json(log)
    assert isinstance(data, dict)
    # `$schema` and `version` first, as every SARIF example does; then the attrs field order.
    return {"$schema": data.pop("$schema"), "version": data.pop("version"), **data}


def docs_home() -> str:
    from aiconf_lint.docs import DOCS_BASE_URL

    return DOCS_BASE_URL.split("/blob/")[0]


def _root_uri(root: Path) -> str:
    uri = Path(os.path.abspath(root)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def category_id(category: str) -> str:
    """GitHub reads `automationDetails.id` as `category/run-id`; end with `/` so all of it is
    the category (what `upload-sarif` does with its own `category` input)."""
    category = category.strip()
    return category if category.endswith("/") else category + "/"


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_sarif(report: Report, options: SarifOptions | None = None) -> str:
    """The SARIF log for `report`, capped to what GitHub accepts (with a warning on stderr)."""
    options = options or SarifOptions()
    findings = list(report.findings)
    if len(findings) > options.max_results:
        options.warn(
            f"SARIF output keeps the {options.max_results:,} most severe of {len(findings):,} "
            "findings (GitHub's limit per run); lint fewer files per run or use --select"
        )
        findings = _keep_most_severe(findings, options.max_results)
    text = _dump(build_log(report, options, findings))
    size = len(gzip.compress(text.encode("utf-8")))
    total = len(findings)
    while size > options.max_gzip_bytes and findings:
        keep = max(
            0, min(len(findings) - 1, int(len(findings) * options.max_gzip_bytes / size * 0.95))
        )
        findings = _keep_most_severe(findings, keep)
        text = _dump(build_log(report, options, findings))
        size = len(gzip.compress(text.encode("utf-8")))
    if len(findings) < total:
        options.warn(
            f"SARIF output keeps {len(findings):,} of {total:,} findings to stay under GitHub's "
            f"{options.max_gzip_bytes / 1024 / 1024:g} MB gzip upload limit"
        )
    return text
