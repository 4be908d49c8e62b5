"""Apply the planned fixes of one file: dry-run on plain data, then edit only what changed.

Every fix is first applied to a copy of the document's plain data; a failed precondition
skips that fix with its reason and the others go on. The fixes that pass are replayed on the
ruamel tree of the document's own text slice (text mode) or serialised with PyYAML (data
mode, for `--emit-kustomize`, which never writes the user's files). The new text is then
parsed with the checking loader and must hold exactly the data the dry run predicted, or
nothing is written: the fix engine never returns YAML it has not read back.
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import yaml

from aiconf_lint.fix.invariants import keeps_newlines, lost_comments, newline_style
from aiconf_lint.fix.merge import replay
from aiconf_lint.fix.ops import (
    FixConflict,
    PlainNodes,
    RuamelNodes,
    anchor,
    apply_edit,
    nested,
    overlaps,
    owned_path,
    same,
)
from aiconf_lint.fix.slices import document_span, insertion_point
from aiconf_lint.fix.splice import splice_scalars
from aiconf_lint.input.load import load_text
from aiconf_lint.input.source import Document, SourceFile
from aiconf_lint.model import Edit, Finding, Fix
from aiconf_lint.records import field, record

if TYPE_CHECKING:
    from aiconf_lint.fix.yamlio import Loaded

FORMATTING = "formatting cannot be preserved"
NEWLINES = "the line endings of the file cannot be preserved"
_PLAIN = PlainNodes()


class Mode(enum.Enum):
    TEXT = "text"
    """Edit the document's text with ruamel, keeping comments and layout."""
    DATA = "data"
    """Re-serialise with PyYAML: for output that is not the user's file."""
    STREAM = "stream"
    """As TEXT, but a document whose layout cannot be kept is re-emitted rather than skipped:
    a post-renderer's output goes to the API server, not back into anyone's file."""


@record(frozen=True)
class Planned:
    finding: Finding
    fix: Fix

    @property
    def doc_index(self) -> int:
        return self.finding.location.doc_index

    def sort_key(self) -> tuple[int, tuple[tuple[int, str], ...], str]:
        path = self.fix.edits[0].path if self.fix.edits else ()
        steps = tuple((0, f"{s:09d}") if isinstance(s, int) else (1, s) for s in path)
        return (self.doc_index, steps, self.finding.code)


@record
class Outcome:
    applied: list[Planned] = field(default_factory=list)
    skipped: list[tuple[Planned, str]] = field(default_factory=list)
    deferred: list[Planned] = field(default_factory=list)
    text: str | None = None
    error: str | None = None


@record
class _DocPlan:
    doc: Document
    data: object
    accepted: list[Planned] = field(default_factory=list)
    added: list[Mapping[str, object]] = field(default_factory=list)


def _identity(data: object) -> tuple[str, str, str] | None:
    if not isinstance(data, Mapping):
        return None
    meta = data.get("metadata")
    meta = meta if isinstance(meta, Mapping) else {}
    return (str(data.get("kind")), str(meta.get("namespace") or ""), str(meta.get("name") or ""))


def _new_document(
    edit: Edit, existing: dict[tuple[str, str, str], object]
) -> Mapping[str, object] | None:
    """The document an `add_document` edit adds, None when an equal one is already there."""
    value = edit.value
    if not isinstance(value, Mapping) or not value.get("apiVersion") or not value.get("kind"):
        raise FixConflict("`add_document` needs an object with `apiVersion` and `kind`")
    ident = _identity(value)
    if ident is not None and ident in existing:
        if same(existing[ident], value):
            return None
        kind, _, name = ident
        raise FixConflict(f"a different {kind} `{name}` already exists in this file")
    return value


def _plan_document(
    doc: Document,
    fixes: list[Planned],
    existing: dict[tuple[str, str, str], object],
    outcome: Outcome,
) -> _DocPlan:
    plan = _DocPlan(doc, copy.deepcopy(doc.data))
    owned: list[tuple[str, tuple[str | int, ...]]] = []
    anchors: list[tuple[str, tuple[str | int, ...]]] = []
    for planned in sorted(fixes, key=Planned.sort_key):
        claims = [owned_path(edit) for edit in planned.fix.edits]
        here = anchor(planned.fix)
        # Fixes of one rule are written to commute (two containers' claims appended to one
        # list); a fix of another rule on the same part of an object was derived from text
        # the first one changes (ACC002 adds the limit that ACC001 must then move), so it
        # waits for the next pass and is derived again.
        if any(overlaps(claim, other) for claim in claims for other in owned) or any(
            code != planned.finding.code and nested(here, there) for code, there in anchors
        ):
            outcome.deferred.append(planned)
            continue
        trial = copy.deepcopy(plan.data)
        added: list[Mapping[str, object]] = []
        seen = dict(existing)
        try:
            for edit in planned.fix.edits:
                if edit.op == "add_document":
                    new = _new_document(edit, seen)
                    if new is not None:
                        added.append(new)
                        ident = _identity(new)
                        if ident is not None:
                            seen[ident] = new
                else:
                    apply_edit(trial, edit, _PLAIN)
        except FixConflict as exc:
            outcome.skipped.append((planned, str(exc)))
            continue
        if same(trial, plan.data) and not added:
            outcome.skipped.append((planned, "the fix would change nothing"))
            continue
        plan.data = trial
        plan.added.extend(added)
        plan.accepted.append(planned)
        existing.update(seen)
        owned.extend(claims)
        anchors.append((planned.finding.code, here))
    return plan


def _rendered_reason(origin: str) -> str:
    return (
        f"rendered from Helm template `{origin}`: fix the chart, or fix the rendered stream "
        "with `aiconf-lint fix -` (a Helm post-renderer), or pass --force-rendered"
    )


def apply_file(
    source: SourceFile, planned: Iterable[Planned], *, mode: Mode, allow_rendered: bool
) -> Outcome:
    """Apply what can be applied to one file; `Outcome.text` is its new text, if it changed.

    A CRLF file is edited as LF text (ruamel and the line merge speak `\n`) and turned back
    into CRLF at the end; the line-ending style is then checked like the data and comments.
    """
    planned = list(planned)
    crlf = mode is not Mode.DATA and newline_style(source.text) == "\r\n"
    work = load_text(source.path, source.text.replace("\r\n", "\n")) if crlf else source
    outcome = _apply(work, planned, mode=mode, allow_rendered=allow_rendered)
    if outcome.text is not None and crlf:
        outcome.text = outcome.text.replace("\n", "\r\n")
    if outcome.text is not None and not keeps_newlines(source.text, outcome.text):
        outcome.skipped.extend((p, NEWLINES) for p in outcome.applied)
        outcome.applied.clear()
        outcome.text = None
    return outcome


def _apply(
    source: SourceFile, planned: Iterable[Planned], *, mode: Mode, allow_rendered: bool
) -> Outcome:
    outcome = Outcome()
    by_doc: dict[int, list[Planned]] = {}
    for item in planned:
        by_doc.setdefault(item.doc_index, []).append(item)
    if source.problems:
        codes = ", ".join(sorted({p.code for p in source.problems}))
        for items in by_doc.values():
            outcome.skipped.extend((p, f"the file has YAML problems ({codes})") for p in items)
        return outcome
    docs = {doc.index: doc for doc in source.documents}
    existing: dict[tuple[str, str, str], object] = {}
    for doc in source.documents:
        ident = _identity(doc.data)
        if ident is not None:
            existing[ident] = doc.data
    plans: list[_DocPlan] = []
    for index in sorted(by_doc):
        target = docs.get(index)
        if target is None:
            outcome.skipped.extend((p, "the document was not found") for p in by_doc[index])
            continue
        if target.origin and not allow_rendered and mode is Mode.TEXT:
            outcome.skipped.extend((p, _rendered_reason(target.origin)) for p in by_doc[index])
            continue
        plan = _plan_document(target, by_doc[index], existing, outcome)
        if plan.accepted:
            plans.append(plan)
    if not plans:
        return outcome
    if mode is Mode.DATA:
        text: str | None = _render_data(source, plans)
    else:
        text = _render_text(source, plans, outcome, reformat=mode is Mode.STREAM)
    if text is None:
        return outcome
    accepted = [p for plan in plans for p in plan.accepted]
    problem = _verify(source, plans, text)
    if problem is not None:
        codes = ", ".join(sorted({p.finding.code for p in accepted}))
        outcome.error = f"{source.path}: fixes for {codes} not applied: {problem}"
        return outcome
    outcome.applied.extend(accepted)
    outcome.text = text
    return outcome


def _render_text(
    source: SourceFile, plans: list[_DocPlan], outcome: Outcome, *, reformat: bool = False
) -> str | None:
    from aiconf_lint.fix import yamlio

    style = yamlio.guess_style(source.text)
    pieces: list[tuple[int, int, str]] = []
    kept: list[_DocPlan] = []
    for plan in plans:
        start, end = document_span(source.text, plan.doc.node)
        original = source.text[start:end]
        loaded = yamlio.load_document(original, style)
        new_text: str | None = None
        if loaded is not None:
            try:
                edited, new_text = _edit(loaded, original, plan)
            except FixConflict as exc:  # the dry run passed, so this is a bug: write nothing
                outcome.error = f"{source.path}: internal error replaying a fix: {exc}"
                return None
            if new_text is not None and not reformat:  # a stream's comments reach no one
                reason = _comment_loss(source, plan, (start, end), new_text)
                if reason is not None:
                    outcome.skipped.extend((p, reason) for p in plan.accepted)
                    continue
        if new_text is None and reformat:
            # Same data (the read-back check proves it), new layout: fine for a stream.
            new_text = edited if loaded is not None else _dump_plain(plan.data)
        if new_text is None or (loaded is None and not reformat):
            edits = [edit for p in plan.accepted for edit in p.fix.edits]
            spliced = None if plan.added else splice_scalars(plan.doc.node, edits)
            if spliced is None:
                outcome.skipped.extend((p, FORMATTING) for p in plan.accepted)
            else:
                pieces.extend(spliced)
                kept.append(plan)
            continue
        pieces.append((start, end, new_text))
        if plan.added:
            at = insertion_point(source.text, end)
            lead = "" if at == 0 or source.text[at - 1] == "\n" else "\n"
            layout = loaded.style if loaded is not None else style
            new = "".join(f"---\n{yamlio.dump_new_document(d, layout)}" for d in plan.added)
            pieces.append((at, at, lead + new))
        kept.append(plan)
    plans[:] = kept
    if not kept:
        return None
    out: list[str] = []
    position = 0
    for start, end, text in sorted(pieces, key=lambda piece: (piece[0], piece[1] != piece[0])):
        out.append(source.text[position:start])
        out.append(text)
        position = max(position, end)
    out.append(source.text[position:])
    return "".join(out)


def _edit(loaded: Loaded, original: str, plan: _DocPlan) -> tuple[str, str | None]:
    """ruamel's dump of the edited document, and the original text with the same edit (None
    when the edit cannot be carried onto the original's lines)."""
    for planned in plan.accepted:
        nodes = RuamelNodes()  # one per fix: it carries moved keys' comments
        for edit in planned.fix.edits:
            if edit.op != "add_document":
                apply_edit(loaded.tree, edit, nodes)
        nodes.finish()
    edited = loaded.dump()
    if loaded.exact:
        return edited, edited
    new_text = replay(original, loaded.baseline, edited)
    if new_text is not None and not _holds(new_text, plan.data):
        new_text = None  # the merge guessed wrong: skip the document, not the file
    return edited, new_text


def _holds(text: str, data: object) -> bool:
    reloaded = load_text("<fixed>", text)
    return (
        not reloaded.problems
        and len(reloaded.documents) == 1
        and same(reloaded.documents[0].data, data)
    )


def _comment_loss(
    source: SourceFile, plan: _DocPlan, span: tuple[int, int], new_text: str
) -> str | None:
    """Why the document's new text cannot be written because of the comments it loses."""
    edits = [edit for p in plan.accepted for edit in p.fix.edits]
    lost = lost_comments(source.text, plan.doc.node, span, plan.doc.data, edits, new_text)
    if not lost:
        return None
    shown = ", ".join(f"`{c}`" for c in lost[:3]) + (", ..." if len(lost) > 3 else "")
    return f"it would lose the comment{'s' if len(lost) > 1 else ''} {shown}"


def _dump_plain(data: object) -> str:
    return str(yaml.safe_dump(data, sort_keys=False, width=4096))


def _render_data(source: SourceFile, plans: list[_DocPlan]) -> str:
    changed = {plan.doc.index: plan for plan in plans}
    docs: list[object] = []
    for doc in source.documents:
        plan = changed.get(doc.index)
        docs.append(plan.data if plan else doc.data)
        if plan:
            docs.extend(plan.added)
    return str(yaml.safe_dump_all(docs, sort_keys=False, explicit_start=True, width=4096))


def _verify(source: SourceFile, plans: list[_DocPlan], text: str) -> str | None:
    """Read the new text back; None when it holds exactly the predicted documents."""
    reloaded = load_text(source.path, text)
    if reloaded.problems:
        return f"the result does not parse ({reloaded.problems[0].message})"
    changed = {plan.doc.index: plan for plan in plans}
    expected: list[object] = []
    for doc in source.documents:
        plan = changed.get(doc.index)
        expected.append(plan.data if plan else doc.data)
        if plan:
            expected.extend(plan.added)
    actual = [doc.data for doc in reloaded.documents]
    if len(actual) != len(expected) or not all(
        same(a, b) for a, b in zip(actual, expected, strict=True)
    ):
        return "the rewritten text would change data the fixes do not own"
    return None
