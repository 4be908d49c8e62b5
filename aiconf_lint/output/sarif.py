"""SARIF 2.1.0 for GitHub code scanning: the log, its results, and the caps GitHub enforces.

GitHub reads a small subset of SARIF (rule id, descriptions, help, level, message, the first
location with a full region, `partialFingerprints`) and ignores the rest, including
`suppressions`, so suppressed findings never reach this module (the engine drops them) and a
dismissed-in-source finding cannot reappear as an open alert.

The pieces live beside it: `sarif_json` (serialising `sarif-om` objects safely),
`sarif_rules` (rule entries), `sarif_locations` (URIs, Helm templates) and `sarif_identity`
(path text and fingerprints). `sarif_om` itself is imported only when SARIF is asked for.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiconf_lint import __version__
from aiconf_lint.model import Finding, Location, Report, Span
from aiconf_lint.output.sarif_identity import (
    FINGERPRINT_KEY,
    Trees,
    fingerprints,
    qualified_name,
    yaml_path_text,
)
from aiconf_lint.output.sarif_json import to_sarif_json
from aiconf_lint.output.sarif_locations import (
    SRCROOT,
    artifact_uri,
    is_relative,
    region_text,
    template_file,
)
from aiconf_lint.output.sarif_rules import LEVELS, reporting_descriptor
from aiconf_lint.records import field, record

if TYPE_CHECKING:
    from aiconf_lint.profiles import Profile
    from aiconf_lint.rule import Rule

__all__ = ["FINGERPRINT_KEY", "SarifOptions", "category_id", "render_sarif"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "aiconf-lint"

# GitHub's hard limits: a breach rejects the whole upload.
MAX_RESULTS = 25_000
MAX_GZIP_BYTES = 10 * 1024 * 1024
MAX_RELATED = 1000


def warn_stderr(message: str) -> None:
    sys.stderr.write(f"warning: {message}\n")


@record(frozen=True)
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
    trees: Trees | None = None
    """The run's position tables (`Run.trees`): fingerprints without composing files again."""


def _artifact(om: Any, uri: str) -> Any:
    return om.ArtifactLocation(uri=uri, uri_base_id=SRCROOT if is_relative(uri) else None)


def _physical(om: Any, uri: str, span: Span, text: str | None) -> Any:
    snippet = region_text(text, span)
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


_OUTSIDE_NAMED = 3
"""Files outside the SARIF root named one by one in warnings; the rest are counted."""


@record
class _Builder:
    om: Any
    report: Report
    root: Path
    rule_index: dict[str, int]
    warn: Callable[[str], None] = warn_stderr
    _templates: dict[tuple[str, str], str | None] = field(default_factory=dict)
    _uris: dict[str, str] = field(default_factory=dict)
    _template_texts: dict[str, str | None] = field(default_factory=dict)
    _outside: int = 0

    def uri(self, file: str) -> str:
        if file not in self._uris:
            uri = self._uris[file] = artifact_uri(file, self.root)
            if file.startswith("<") and file.endswith(">"):
                self.warn(
                    f"SARIF results for {file} name no file GitHub can show; "
                    "pass --stdin-filename with the path in the repository"
                )
            elif not is_relative(uri):
                self._outside += 1
                if self._outside <= _OUTSIDE_NAMED:
                    self.warn(
                        f"{file} is outside {self.root}, so GitHub cannot place its SARIF "
                        "results; run from inside the repository or set --sarif-root"
                    )
        return self._uris[file]

    def finish(self) -> None:
        """One line for the files outside the root past the first few (a tree named from
        elsewhere printed one warning per file, thousands of them)."""
        more = self._outside - _OUTSIDE_NAMED
        if more > 0:
            self.warn(f"{more:,} more files are outside {self.root} as well")

    def template(self, origin: str, rendered: str) -> str | None:
        key = (origin, rendered)
        if key not in self._templates:
            self._templates[key] = template_file(origin, rendered, self.root)
        return self._templates[key]

    def template_text(self, path: str) -> str | None:
        if path not in self._template_texts:
            try:
                self._template_texts[path] = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self._template_texts[path] = None
        return self._template_texts[path]

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
        physical = _physical(om, uri, loc.span, self.report.texts.get(loc.file))
        if loc.origin:
            props["aiconf/origin"] = loc.origin
            template = self.template(loc.origin, loc.file)
            ident = len(related) + 1
            if loc.origin_file and loc.origin_span and template is not None:
                # The template line is what the user edits and what a pull request shows;
                # the rendered position, which was parsed, becomes the related location.
                rendered = f"{loc.file}:{loc.span.line}"
                related.append(
                    om.Location(
                        id=ident,
                        physical_location=physical,
                        message=om.Message(text=f"rendered as {rendered}"),
                    )
                )
                message += f" (rendered as [{_link_text(rendered)}]({ident}))"
                physical = _physical(
                    om, template, loc.origin_span, self.template_text(loc.origin_file)
                )
            elif template is not None:
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
        if loc.rendered is not None:
            # The finding sits on the source line; the render is no file, so the related
            # location is the chart's Chart.yaml (or kustomization) with the render position.
            render = loc.rendered
            ident = len(related) + 1
            values = f" with values set `{render.values_set}`" if render.values_set else ""
            note = (
                f"rendered by {render.renderer} from {render.target}{values}, "
                f"line {render.span.line} of the render"
            )
            related.append(
                om.Location(
                    id=ident,
                    physical_location=_physical(
                        om, self.uri(render.marker), Span(1, 1, 1, 2), None
                    ),
                    message=om.Message(text=note),
                )
            )
            message += f" ([{_link_text(note)}]({ident}))"
            props["aiconf/rendered"] = render.target
            if render.values_set is not None:
                props["aiconf/values-set"] = render.values_set
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

    from aiconf_lint.rules import ALL_RULES, load

    rules = list(options.rules if options.rules is not None else ALL_RULES)
    listed = {rule.code for rule in rules}
    rules.extend(load(f.code) for f in findings if f.code not in listed)
    rules = sorted(dict.fromkeys(rules), key=lambda rule: rule.code)
    builder = _Builder(
        om,
        report,
        options.root or Path.cwd(),
        {r.code: i for i, r in enumerate(rules)},
        options.warn,
    )
    prints = fingerprints(findings, builder.uri, report.texts, options.trees)
    results = [builder.result(f, fp) for f, fp in zip(findings, prints, strict=True)]
    driver = om.ToolComponent(
        name=TOOL_NAME,
        version=__version__,
        semantic_version=__version__,
        information_uri=docs_home(),
        rules=[reporting_descriptor(om, rule, options.profile) for rule in rules],
    )
    notifications = _notifications(om, report, builder)
    builder.finish()
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
    return data


def docs_home() -> str:
    from aiconf_lint.output.rule_docs import DOCS_BASE_URL

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
    """Compact through the C encoder (five times faster than `indent`, which switches `json` to
    its pure-Python encoder, and a smaller upload), indented only for a terminal, as JSON."""
    if sys.stdout.isatty():
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return json.dumps(data, ensure_ascii=False) + "\n"


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
