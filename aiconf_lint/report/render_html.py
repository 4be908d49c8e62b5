"""A single self-contained HTML page: the Markdown report's content and a chart per category.

No script, no stylesheet or font from the network: the page is one file a CI job can keep as
an artifact and anyone can open offline. The chart is inline SVG, one bar per checklist
category showing how many of its requirements have evidence.
"""

from __future__ import annotations

import html
import re

from aiconf_lint.model import Finding
from aiconf_lint.report.model import Readiness, RequirementResult, Status, count

COLORS = {
    Status.MET: "#1a7f37",
    Status.PARTIAL: "#bf8700",
    Status.BLOCKED: "#cf222e",
    Status.NONE: "#6e7781",
}
STYLE = " ".join(
    (
        "body{font:14px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;",
        "padding:0 1rem;color:#1f2328}",
        "table{border-collapse:collapse;width:100%}",
        "td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}",
        "th{background:#f6f8fa}.status{font-weight:600}",
        "code{background:#f6f8fa;padding:0 .2rem;border-radius:3px}",
        "section{border-top:1px solid #d0d7de;margin-top:1.5rem}",
        "blockquote{color:#59636e;margin:0;padding-left:1rem;border-left:3px solid #d0d7de}",
        ".missing{color:#cf222e}.optional{color:#59636e}",
    )
)
_CODE = re.compile(r"`([^`]+)`")
BAR_WIDTH = 320


def text(value: str) -> str:
    """Escaped text whose `backticked` parts become <code>."""
    return _CODE.sub(r"<code>\1</code>", html.escape(value, quote=True))


def chart(readiness: Readiness) -> str:
    """Inline SVG: per category, a bar split by status, labelled `met/total`."""
    categories: dict[str, list[RequirementResult]] = {}
    for result in readiness.results:
        categories.setdefault(result.requirement.category, []).append(result)
    row, label_width, legend_step = 28, 190, 150
    height = row * len(categories) + 30
    width = max(label_width + BAR_WIDTH + 60, legend_step * len(Status))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" role="img" aria-label="Requirements with evidence per category">'
    ]
    for i, (name, results) in enumerate(categories.items()):
        y = i * row + 4
        parts.append(f'<text x="0" y="{y + 15}" font-size="13">{html.escape(name)}</text>')
        x = float(label_width)
        for status in Status:
            count = sum(r.status is status for r in results)
            if count:
                bar = BAR_WIDTH * count / len(results)
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{bar:.1f}" height="20" '
                    f'fill="{COLORS[status]}"><title>{count} {status.label.lower()}</title></rect>'
                )
                x += bar
        met = sum(r.status is Status.MET for r in results)
        parts.append(
            f'<text x="{label_width + BAR_WIDTH + 8}" y="{y + 15}" font-size="13">'
            f"{met}/{len(results)}</text>"
        )
    legend_y = len(categories) * row + 20
    x = 0.0
    for status in Status:
        parts.append(
            f'<rect x="{x:.0f}" y="{legend_y - 10}" width="10" height="10" '
            f'fill="{COLORS[status]}"/>'
            f'<text x="{x + 14:.0f}" y="{legend_y}" font-size="12">{status.label}</text>'
        )
        x += legend_step
    parts.append("</svg>")
    return "".join(parts)


def _finding(finding: Finding) -> str:
    loc = finding.location
    return (
        f"<li><code>{html.escape(loc.file)}:{loc.span.line}</code> "
        f"<strong>{finding.code}</strong> ({finding.severity}) {text(finding.message)}</li>"
    )


def _section(result: RequirementResult) -> str:
    req = result.requirement
    color = COLORS[result.status]
    out = [
        f'<section id="{req.id}"><h3><code>{req.id}</code> ({req.level}): '
        f'<span class="status" style="color:{color}">{result.status.label}</span></h3>',
        f"<blockquote>{html.escape(req.description)}</blockquote><ul>",
    ]
    for facet in result.facets:
        cls = "" if facet.found else ' class="missing"' if facet.required else ' class="optional"'
        optional = "" if facet.required else " (optional)"
        out.append(f"<li{cls}><strong>{html.escape(facet.name)}</strong>{optional}<ul>")
        out.extend(
            f"<li><code>{html.escape(e.place())}</code> {text(e.note)}</li>" for e in facet.evidence
        )
        if not facet.found:
            out.append(f"<li>missing: {text(facet.missing)}</li>")
        out.append("</ul></li>")
    out.append("</ul>")
    if result.blockers:
        out.append(
            f"<p><strong>Blocked by {count(len(result.blockers), 'finding')}:</strong></p><ul>"
        )
        out.extend(_finding(f) for f in result.blockers)
        out.append("</ul>")
    if result.advice:
        out.append(
            f"<details><summary>{count(len(result.advice), 'informational finding')}</summary><ul>"
        )
        out.extend(_finding(f) for f in result.advice)
        out.append("</ul></details>")
    out.append("</section>")
    return "\n".join(out)


def _unreadable(readiness: Readiness) -> str:
    if not readiness.unreadable:
        return ""
    items = "".join(_finding(f) for f in readiness.unreadable)
    return (
        f"<p><strong>{count(len(readiness.unreadable), 'input finding')}</strong>: evidence in "
        f"these files cannot be seen until they parse.</p><ul>{items}</ul>"
    )


def render_html(readiness: Readiness) -> str:
    musts = [r for r in readiness.results if r.requirement.level == "MUST"]
    met = sum(r.status is Status.MET for r in musts)
    paths = ", ".join(f"<code>{html.escape(p)}</code>" for p in readiness.paths)
    rows = "\n".join(
        f'<tr><td><a href="#{r.requirement.id}"><code>{r.requirement.id}</code></a></td>'
        f"<td>{r.requirement.level}</td><td>{r.requirement.category}</td>"
        f'<td class="status" style="color:{COLORS[r.status]}">{r.status.label}</td>'
        f"<td>{len(r.evidence)}</td><td>{len(r.blockers)}</td></tr>"
        for r in readiness.results
    )
    errors = "".join(
        f"<li>could not read <code>{html.escape(e.file)}</code>: {html.escape(e.message)}</li>"
        for e in readiness.errors
    )
    title = f"AI Conformance readiness: Kubernetes {readiness.profile}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>
<body><h1>{title}</h1>
<p><strong>{met} of {len(musts)} MUST requirements</strong> have evidence in {paths}.
{readiness.totals()}.</p>
<h2>Requirements with evidence per category</h2>
{chart(readiness)}
{_unreadable(readiness)}
<h2>Requirements</h2>
<table><thead><tr><th>Requirement</th><th>Level</th><th>Category</th><th>Status</th>
<th>Evidence</th><th>Blocking findings</th></tr></thead><tbody>
{rows}
</tbody></table>
{"".join(_section(r) for r in readiness.results)}
{f"<ul>{errors}</ul>" if errors else ""}
<p><em>Evidence is what the manifests show; the checklist asks for proof on a running cluster.
Generated by aiconf-lint.</em></p>
</body></html>
"""
