"""What a reviewer sees: document context, content warnings, guidelines, a safe grid.

- Task fields added to every passage: ``context_before`` / ``context_after`` (the
  previous and next passage of the same document, shown small and grey), ``warning``
  (a content warning, or "") and ``preview`` (what the Data Manager grid shows instead
  of the text: the first characters, or "[hidden: ...]" for a sensitive passage).
- A passage is *sensitive* when it is hidden as graphic (:func:`hiding_rule`: the model
  labels it ``graphic_violence`` or scores it at least 0.1 for it, or its text holds a
  graphic-injury term; labels.yaml ``wellbeing`` sets both), or the model labels it with a
  harmful category at a calibrated score of 0.5 or more (:func:`harmful_reason`;
  labels.yaml ``wellbeing.hide_harmful_score`` sets it; the model suggests no
  severity). The task's ``graphic_hidden_by`` says why (model label, score or the term
  found; "" when not graphic), as does its warning. Its text and
  neighbours sit in a view that opens only when the reviewer ticks "Show the passage"
  (the ``reveal`` control); every other passage gets that tick as a pre-annotation,
  so it opens at once. Measured in a real browser (Label Studio 1.23.2).
- The instructions (shown before labeling and on demand) are rendered from labels.yaml.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from annotate.review.exposure import (
    DEFAULT_RULE,
    GRAPHIC,
    HIDDEN_BY_FIELD,
    HIDE_GRAPHIC_SCORE,
    HidingRule,
)
from annotate.review.graphic_terms import DEFAULT_HIDE_TERMS
from annotate.review.parents import PARENT_FIELD, PARENT_HEADER_FIELD
from annotate.studio.shown_text import SOURCE_MAP_FIELD, SOURCE_TEXT_FIELD
from annotate.table_schemas import LANGUAGE_WARNING_COLUMN
from annotate.taxonomy import Taxonomy

if TYPE_CHECKING:  # prelabel reads this module's hiding rule without the Label Studio SDK
    from annotate.studio.client import StudioClient

REVEAL = "reveal"
REVEAL_VALUE = "shown"
REVEAL_TEXT = "Show the passage"
CONTEXT_FIELDS = ("context_before", "context_after")
# a subtitle cue's text as ingested, markup and all, and how the text shown maps onto it
# (annotate.studio.shown_text): out of the grid as the text is
SOURCE_FIELDS = (SOURCE_TEXT_FIELD, SOURCE_MAP_FIELD)
HIGH = "high"
# a harmful label predicted at this calibrated score or more (more likely than not) hides
# the passage behind its content warning (:func:`harmful_reason`), unless labels.yaml
# ``wellbeing.hide_harmful_score`` says otherwise (:func:`harmful_score`)
HIDE_HARMFUL_SCORE = 0.5
PREVIEW_CHARS = 80
CONTEXT_CHARS = 600
# what a neighbour hidden behind its content warning shows in the context of the passages
# next to it: never its text (revealed only in its own task, where the reveal counts toward
# the reviewer's graphic limit); the note says where to read it (passC50 R6: a reply that
# answers a hidden threat could not be judged, and nothing said how to reach the threat)
HIDDEN_NEIGHBOUR = (
    "[neighbouring passage hidden: content warning. To read it, open its own task if it is in"
    " your project (the same document, the passage numbered one before or after this one) and"
    " tick “Show the passage” there; if it is not, ask your lead (do not answer it in another"
    " reviewer's project).]"
)


# why a passage the model cannot read (prelabel's model_language_warning: a script or
# language none of its training languages is) opens behind a content warning: its scores
# mean nothing there, so the model's part of the hiding rule cannot clear it (stop 53: an
# Arabic threat the model scored `none` opened at once). Not graphic: its task's
# graphic_hidden_by stays "" unless the rule finds it graphic too, so exposure's graphic
# count and push --max-graphic-per-reviewer leave it out, as they do likely-harmful ones
UNREADABLE_REASON = "the model cannot read this passage, so it cannot tell whether it is graphic"
# what the grid's preview says of it: the provenance cell, cut, does not show the note
UNREADABLE_PREVIEW = "model cannot read it"


def hidden_neighbour(passage: str | None = None) -> str:
    """The note a hidden neighbour shows (:data:`HIDDEN_NEIGHBOUR`), naming the
    neighbour's passage id when known, so a reviewer or lead can find its task (the Data
    Manager filters on ``passage_id``; the note named only "the passage numbered one
    before or after", which no column shows). In a review set the neighbour is often in
    another reviewer's queue (passages are assigned one by one, graphic ones steered by
    the cap): the note says to open it only in the reviewer's own project and otherwise
    to ask the lead, never to answer it in another queue (break5 B19). None or "": the
    note without the id."""
    if not passage:
        return HIDDEN_NEIGHBOUR
    return (
        f"[neighbouring passage {passage} hidden: content warning. To read it, open its own "
        f"task if it is in your project (passage_id {passage}: filter the Data Manager by "
        "passage_id; the same document, the passage one before or after this one) and tick "
        "“Show the passage” there; if it is not, ask your lead (do not answer it in another "
        "reviewer's project).]"
    )


# a neighbour an ingest --previous row carries (a passage of an earlier batch) whose own
# task is not in the project pushed to: whether it carries a content warning is unknown
# the task field of a passage's id (annotate.studio.tasks.PASSAGE_ID_FIELD, which imports
# this module)
PASSAGE_ID = "passage_id"
UNKNOWN_NEIGHBOUR = (
    "[neighbouring passage not shown: it is not in this project, so whether it carries a "
    "content warning is unknown]"
)


# what a score reason adds under one reviewer's stricter rule, so the task's
# graphic_hidden_by tells an audit why that reviewer's copy was hidden (the queue names
# the reviewer by pseudonym: never the e-mail in task data, which exports can carry)
OWN_RULE_NOTE = "this reviewer's own rule, labels.yaml wellbeing.reviewers"


def hiding_rule(tax: Taxonomy) -> HidingRule:
    """The graphic hiding rule labels.yaml ``wellbeing`` sets (its defaults: score 0.1,
    the built-in term list); the default rule object when it sets nothing. Under a copy
    :func:`annotate.review.reviewer_rule.reviewer_taxonomy` made, that reviewer's score,
    and a score reason names the rule (:data:`OWN_RULE_NOTE`)."""
    w = tax.wellbeing
    if w.hide_graphic_score is None and w.hide_terms is None and not w.for_reviewer:
        return DEFAULT_RULE
    return HidingRule(
        HIDE_GRAPHIC_SCORE if w.hide_graphic_score is None else w.hide_graphic_score,
        DEFAULT_HIDE_TERMS if w.hide_terms is None else tuple(w.hide_terms),
        OWN_RULE_NOTE if w.for_reviewer else "",
    )


def graphic_reason(
    labels: Sequence[str], scores: Mapping[str, Any], text: str, tax: Taxonomy
) -> str:
    """Why the passage is hidden as graphic (:meth:`HidingRule.reason` under
    :func:`hiding_rule`); "" when it is not."""
    return hiding_rule(tax).reason(labels, scores, text)


def harmful_score(tax: Taxonomy) -> float:
    """The calibrated score at or above which a harmful label hides a passage: labels.yaml
    ``wellbeing.hide_harmful_score``, else :data:`HIDE_HARMFUL_SCORE`."""
    score = tax.wellbeing.hide_harmful_score
    return HIDE_HARMFUL_SCORE if score is None else score


def harmful_reason(labels: Sequence[str], scores: Mapping[str, Any], tax: Taxonomy) -> str:
    """Why a passage is hidden as a likely harmful one: the model labels it with a harmful
    category at a calibrated score of at least :func:`harmful_score` (labels.yaml; 0.5,
    more likely than not), e.g. "violent_threat score 0.79 >= 0.5" (the highest such
    label); "" when none. The model gives no severity
    (:func:`annotate.studio.tasks.predicted_severity`), so this rule, not a predicted
    severity, hides the threats the model is sure of."""
    at = harmful_score(tax)
    best = ""
    top = -1.0
    for label in labels:
        if label not in tax.harmful or scores.get(label) is None:
            continue
        p = float(scores[label])
        if p >= at and p > top:
            best, top = label, p
    return f"{best} score {top:.2f} >= {at:g}" if best else ""


def is_sensitive(
    labels: Sequence[str],
    scores: Mapping[str, Any],
    tax: Taxonomy,
    text: str = "",
    *,
    graphic: str | None = None,
    unreadable: str = "",
) -> bool:
    """Hidden as graphic (:func:`graphic_reason` of these; ``graphic``: it, when the
    caller has it already), as likely harmful (:func:`harmful_reason`), or because the
    model cannot read it (``unreadable``: prelabel's ``model_language_warning``, "" when
    it can; :data:`UNREADABLE_REASON`)."""
    if unreadable:
        return True
    if graphic is None:
        graphic = graphic_reason(labels, scores, text, tax)
    return bool(graphic) or bool(harmful_reason(labels, scores, tax))


def view_fields(
    text: str,
    labels: Sequence[str],
    scores: Mapping[str, Any],
    tax: Taxonomy,
    *,
    sensitive: bool | None = None,
    graphic: str | None = None,
    blind: bool = False,
    unreadable: str = "",
) -> dict[str, str]:
    """The extra task fields of one passage (context filled later by link_neighbours):
    ``warning``, ``preview``, ``graphic_hidden_by`` (why it is hidden as graphic: "model
    label graphic_violence", "model graphic score 0.12 >= 0.1", "term “limbs”"; "" when
    not), ``context_before``/``context_after``. ``graphic``: :func:`graphic_reason` and
    ``sensitive``: :func:`is_sensitive` of these, when the caller has them already.
    ``blind``: a reviewer's queue (``push -k K``), whose warning names the reason without
    the model's score (:func:`warning_reasons`); ``graphic_hidden_by`` keeps it.
    ``unreadable``: prelabel's ``model_language_warning`` ("" when the model can read the
    passage): hidden whatever the scores say (:data:`UNREADABLE_REASON`)."""
    if graphic is None:
        graphic = graphic_reason(labels, scores, text, tax)
    if sensitive is None or unreadable:
        sensitive = is_sensitive(labels, scores, tax, graphic=graphic, unreadable=unreadable)
    reasons = (
        warning_reasons(labels, scores, tax, graphic, blind=blind, unreadable=unreadable)
        if sensitive
        else []
    )
    return {
        **warning_fields(text, reasons),
        HIDDEN_BY_FIELD: graphic,
        "context_before": "",
        "context_after": "",
    }


# what a blind queue's warning says for a passage hidden by the model's graphic score
# (graphic_hidden_by "model graphic score 0.12 >= 0.1"): the reason without the number
BLIND_GRAPHIC_SCORE = "model graphic score at or above the hiding bar"


def warning_reasons(
    labels: Sequence[str],
    scores: Mapping[str, Any],
    tax: Taxonomy,
    graphic: str,
    *,
    blind: bool = False,
    unreadable: str = "",
) -> list[str]:
    """Why a sensitive passage is hidden, as its content warning says it: graphic
    violence (``graphic``: :func:`graphic_reason`), else likely harmful
    (:func:`harmful_reason`). ``blind`` (a reviewer's queue, ``push -k K``): without the
    model's score, which docs/review.md promises blind reviewers never see ("likely harmful: model
    label violent_threat", not "... violent_threat score 0.56 >= 0.5"); a lead's project
    (a plain push's) keeps it, beside the prediction scores it shows anyway.
    ``unreadable`` (prelabel's ``model_language_warning``; "": the model reads it):
    :data:`UNREADABLE_REASON` first, then the graphic reason where the rule finds one (a
    graphic-injury term is found whatever the model reads), never the likely-harmful one
    (its score means nothing there)."""
    if unreadable:
        rest = warning_reasons(labels, scores, tax, graphic, blind=blind) if graphic else []
        return [UNREADABLE_REASON, *rest]
    if graphic:
        if blind and graphic.startswith("model graphic score"):
            return [f"graphic violence: {BLIND_GRAPHIC_SCORE}"]
        return [f"graphic violence: {graphic}"]
    reason = harmful_reason(labels, scores, tax)
    if blind:
        return [f"likely harmful: model label {reason.split(' ', 1)[0]}"] if reason else []
    return [f"likely harmful: model {reason}"]


def blind_warning(task: Mapping[str, Any], tax: Taxonomy) -> dict[str, Any]:
    """``task`` (a pushed task: ``data`` with ``model_labels``, ``model_scores``,
    ``graphic_hidden_by``) with its content warning as a blind queue shows it
    (:func:`warning_reasons` with ``blind``); a copy. A task shown at once, or not made
    by a push (no ``model_labels``), is returned as it is."""
    data = task.get("data") or {}
    labels = data.get("model_labels")
    if not data.get("warning") or not isinstance(labels, list):
        return dict(task)
    scores = data.get("model_scores")
    scores = scores if isinstance(scores, dict) else {}
    names = [str(x) for x in labels]
    graphic = str(data.get(HIDDEN_BY_FIELD) or "")
    unreadable = str(data.get(LANGUAGE_WARNING_COLUMN) or "")
    reasons = warning_reasons(names, scores, tax, graphic, blind=True, unreadable=unreadable)
    if not reasons:
        return dict(task)
    return {**task, "data": {**data, "warning": warning_fields("", reasons)["warning"]}}


def warning_fields(text: str, reasons: Sequence[str]) -> dict[str, str]:
    """``warning`` and ``preview`` of a passage hidden for ``reasons`` (none: shown)."""
    if reasons:
        return {
            "warning": f"Content warning ({', '.join(reasons)}): the passage is hidden. "
            f"Tick \u201c{REVEAL_TEXT}\u201d when you are ready to read it.",
            # the grid shows the kind only; why (a term, a score) is in the warning
            "preview": f"[hidden: {', '.join(_kind(r) for r in reasons)}]",
        }
    one_line = " ".join(text.split())
    preview = one_line[:PREVIEW_CHARS] + ("\u2026" if len(one_line) > PREVIEW_CHARS else "")
    return {"warning": "", "preview": preview}


def _kind(reason: str) -> str:
    """What the grid's preview says of a warning's reason: its kind ("graphic violence",
    "likely harmful"), or :data:`UNREADABLE_PREVIEW`."""
    return UNREADABLE_PREVIEW if reason == UNREADABLE_REASON else reason.split(":")[0]


def reviewed_reasons(
    labels: Sequence[str],
    scores: Mapping[str, Any],
    answers: Sequence[Mapping[str, Any]],
    tax: Taxonomy,
    text: str = "",
) -> list[str]:
    """Why a reviewed passage is hidden from the lead, by the reviewers' rule applied to
    the model (``labels``, ``scores``) and ``text`` (:func:`graphic_reason`) and to the
    reviewers' ``answers`` (``categories``, ``severity``): graphic violence by that rule or
    chosen by any reviewer, or a reviewer's severity at or above ``high``. Empty: not
    sensitive."""
    reasons = []
    graphic = graphic_reason(labels, scores, text, tax)
    if graphic:
        reasons.append(f"graphic violence: {graphic}")
    elif any(GRAPHIC in (a.get("categories") or []) for a in answers):
        reasons.append("graphic violence: chosen by a reviewer")
    levels = tax.severity_names
    high = levels.index(HIGH) if HIGH in levels else len(levels) - 1
    given = [levels.index(a["severity"]) for a in answers if a.get("severity") in levels]
    if given and max(given) >= high and not reasons:
        reasons.append(f"reviewer severity {levels[max(given)]}")
    return reasons


def reveal_result(tax: Taxonomy) -> dict[str, Any]:
    """The pre-annotation that opens a non-sensitive passage at once."""
    return {
        "id": REVEAL,
        "from_name": REVEAL,
        "to_name": tax.interface.passage,
        "type": "choices",
        "value": {"choices": [REVEAL_VALUE]},
    }


def link_neighbours(tasks: Sequence[dict[str, Any]], tax: Taxonomy) -> None:
    """Fill ``context_before``/``context_after`` from passages of the same document.

    Only neighbours present in the same table are known; a sensitive neighbour is
    replaced by a note, so context never shows hidden text in clear.
    """
    field = tax.interface.text_field
    by_doc: dict[str, dict[int, dict[str, Any]]] = {}
    for task in tasks:
        data = task["data"]
        if data.get("doc_id") in (None, "") or data.get("passage_index") is None:
            continue
        by_doc.setdefault(str(data["doc_id"]), {})[int(data["passage_index"])] = data
    for passages in by_doc.values():
        for index, data in passages.items():
            for side, other in (("before", index - 1), ("after", index + 1)):
                neighbour = passages.get(other)
                if neighbour is not None:
                    data[f"context_{side}"] = neighbour_context(neighbour, field, side=side)


def neighbour_context(data: Mapping[str, Any], field: str, *, side: str = "after") -> str:
    """What a passage's neighbours show of it (:func:`context_text`; ``side``: which
    neighbour it is to them), or a note when it carries a content warning (``data``: a
    task's data; ``field``: its text key)."""
    passage = data.get(PASSAGE_ID)
    return context_text(
        str(data[field]),
        sensitive=bool(data.get("warning")),
        side=side,
        passage=None if passage is None else str(passage),
    )


def context_text(
    text: str, *, sensitive: bool, side: str = "after", passage: str | None = None
) -> str:
    """What a neighbour shows of a passage with ``text``, or a note when it is
    ``sensitive`` (carries a content warning): :func:`hidden_neighbour`, naming
    ``passage`` (its passage id) when given. A text longer than CONTEXT_CHARS is cut on
    its far side, so the words next to the passage labelled stay: ``side`` "after" (the
    passage after it: its first CONTEXT_CHARS characters, then "…") or "before" (the
    passage before it: "…", then its last CONTEXT_CHARS). Raises ValueError for another
    ``side``."""
    if side not in ("before", "after"):
        raise ValueError(f"side must be 'before' or 'after', not {side!r}")
    if sensitive:
        return hidden_neighbour(passage)
    if len(text) <= CONTEXT_CHARS:
        return text
    if side == "before":
        return "\u2026" + text[-CONTEXT_CHARS:]
    return text[:CONTEXT_CHARS] + "\u2026"


def carried_context(
    text: str, hidden: bool | None, *, side: str = "after", passage: str | None = None
) -> str:
    """What a task shows of a neighbour its row carries (``ingest --previous``: a passage
    of an earlier batch, not in the file): as the neighbour would show itself
    (:func:`context_text`, ``side`` as there), ``hidden`` being whether its own task
    carries a content warning; None (no task of it found) gives
    :data:`UNKNOWN_NEIGHBOUR`, never the text; ``passage``: the neighbour's passage id,
    named by the note of a hidden one."""
    if hidden is None:
        return UNKNOWN_NEIGHBOUR
    return context_text(text, sensitive=hidden, side=side, passage=passage)


# Label Studio's stylesheet resets lists (``list-style: none``, no padding), so the
# instructions' includes, excludes, examples, spans and severity levels rendered as run-on
# lines without bullets (seen in a browser, stop 46). The server keeps a ``<style>``
# element in a project's instructions but strips ``style`` attributes (1.23.2 cleans them
# with bleach: tags and attributes from its safe lists, ``class`` kept, ``style`` not), so
# the instructions sit in a block of their own class and bring a rule for its lists: one
# class more specific than the reset, and nothing outside the block changes.
INSTRUCTIONS_CLASS = "annotate-instructions"
INSTRUCTIONS_STYLE = (
    f".{INSTRUCTIONS_CLASS} ul {{ list-style: disc outside; padding-left: 1.5em; "
    "margin: 0.25em 0 0.75em; }} "
    f".{INSTRUCTIONS_CLASS} li {{ display: list-item; list-style: inherit; margin: 0.15em 0; }}"
)


def instructions_html(tax: Taxonomy) -> str:
    """The project instructions: every category's definition, includes, excludes and
    examples, the evidence spans and the severity scale, from labels.yaml (HTML: a block
    of class :data:`INSTRUCTIONS_CLASS` after the ``<style>`` that bullets its lists,
    :data:`INSTRUCTIONS_STYLE`)."""
    e = html.escape
    out = [
        f"<style>{INSTRUCTIONS_STYLE}</style>",
        f'<div class="{INSTRUCTIONS_CLASS}">',
        f"<h2>{e(tax.name)} {e(tax.version)}: what does this passage <em>do</em>?</h2>",
        f"<p>{e(tax.description)}</p>",
        "<p>Read the title and the neighbouring passages (grey) for context; label only the "
        "passage in the middle. A passage with a content warning stays hidden until you tick "
        f"\u201c{REVEAL_TEXT}\u201d. Take breaks; skip a task if you need to.</p>",
        "<h3>Categories</h3>",
    ]
    for cat in tax.categories:
        out.append(f"<h4>{e(cat.title)} <small>({e(cat.group)})</small></h4>")
        out.append(f"<p>{e(cat.definition)}</p>")
        if cat.includes:
            items = "".join(f"<li>{e(i)}</li>" for i in cat.includes)
            out.append(f"<p><b>Includes</b></p><ul>{items}</ul>")
        if cat.excludes:
            items = "".join(f"<li>{e(i)}</li>" for i in cat.excludes)
            out.append(f"<p><b>Excludes</b></p><ul>{items}</ul>")
        if cat.examples:
            titles = {c.name: c.title for c in tax.categories}
            items = "".join(
                f"<li>\u201c{e(x.text)}\u201d \u2192 "
                f"{e(', '.join(titles.get(label, label) for label in x.labels))}</li>"
                for x in cat.examples
            )
            out.append(f"<p><b>Examples</b></p><ul>{items}</ul>")
    out.append("<h3>Evidence spans</h3><ul>")
    out += [f"<li><b>{e(s.title)}</b>: {e(s.definition)}</li>" for s in tax.spans]
    out.append("</ul><h3>Severity</h3><ul>")
    out += [
        f"<li><b>{e(s.name)}</b> ({s.level}): {e(s.definition)}</li>"
        for s in sorted(tax.severity, key=lambda s: s.level)
    ]
    out.append("</ul></div>")
    return "\n".join(out)


def without_scores(prediction: Mapping[str, Any]) -> dict[str, Any]:
    """A prediction as a reviewer's queue gets it: no ``score`` of its own nor on any
    result. Label Studio shows a prediction's ``score`` as a percentage on its tab and in
    the Data Manager's "Prediction score" column, and a result's as a number beside each
    evidence span in the Regions panel (measured on 1.23.2 in a browser): a reviewer who
    sees the model's confidence is anchored on it, and their answer is no longer an
    independent check of the model. The labels themselves stay (the pre-annotation the
    reviewer corrects); the scores stay in the task's ``model_scores`` (hidden from the
    grid) and in the export. ``prediction`` (a task's prediction dict) is not changed."""
    out = {k: v for k, v in prediction.items() if k != "score"}
    if "result" in out:
        out["result"] = [
            {k: v for k, v in r.items() if k != "score"} if isinstance(r, Mapping) else r
            for r in out["result"] or []
        ]
    return out


def blind_task(task: Mapping[str, Any], tax: Taxonomy | None = None) -> dict[str, Any]:
    """``task`` (a task to import: ``data``, ``predictions``, ...) with its predictions
    :func:`without_scores` and, given ``tax``, its content warning without the model's
    score (:func:`blind_warning`); a copy, ``task`` is not changed."""
    out = blind_warning(task, tax) if tax is not None else dict(task)
    if not out.get("predictions"):
        return out
    return {**out, "predictions": [without_scores(p) for p in out["predictions"]]}


QUEUE_TAB = "Queue"
# riskiest first, as numbers: the grid casts data.priority to a number (the tab's column
# type); a request without it (the label stream's next_task) orders what the database
# reads from the JSON: a number on SQLite, jsonb's plain-decimal text on PostgreSQL
# ("1e-05" reads "0.00001"), which orders priorities in [0, 1] as numbers too
# (tests/integration/helpers.py: check_queue_order)
QUEUE_ORDERING = ["-tasks:data.priority"]
QUEUE_COLUMN_TYPES = {"tasks:data.priority": "Number"}
# what a reviewer's grid keeps out of sight besides: the "Prediction score" column (empty
# in a queue pushed since predictions went without scores, :func:`without_scores`; a
# queue pushed before holds them) and the priority the queue is ordered by (the model's
# risk and its doubt about harm: the model's confidence in other words). The tab
# still orders by it (the server sorts; a hidden column only is not drawn). A hidden
# column is a default: Label Studio lets each user show it again from the column menu.
REVIEWER_HIDDEN_COLUMNS = ("tasks:predictions_score", "tasks:data.priority")


# Label Studio's own task columns it keeps out of a grid by default (its Data Manager's
# visibility_defaults, explore false, label_studio/data_manager/functions.py). A tab that
# names its hidden columns replaces those defaults, so the Queue tab showed them all
# (Upload filename, Storage filename, Created at, Updated at, and "Annotation results":
# a reviewer's own answer as raw JSON, span text and all, beside the preview of a
# passage hidden behind its content warning), and the columns a reviewer or lead reads
# first (title, preview, model_labels, disputed) sat some 30 columns to the right
# (passI53 I9). The model's score column stays a reviewer's only (a lead may show it).
STUDIO_HIDDEN_COLUMNS = (
    "tasks:inner_id",
    "tasks:annotations_results",
    "tasks:annotations_ids",
    "tasks:predictions_model_versions",
    "tasks:predictions_results",
    "tasks:file_upload",
    "tasks:storage_filename",
    "tasks:created_at",
    "tasks:updated_at",
    "tasks:updated_by",
    "tasks:avg_lead_time",
    "tasks:draft_exists",
)
# the task's own fields for an audit trail, not for choosing the next task: out of the
# grid too (each user can show any of them again from the column menu; exports keep them)
TRAIL_FIELDS = (
    "passage_index",
    "start",
    "end",
    "near_dup_group",
    "document_sha256",
    "ingest_run",
    "input_file",
    "input_row",
    "model_encoder",
    "graphic_hidden_by",
    "license",
    "redaction",
    "parent_doc_id",  # annotate.review.parents.PARENT_ID_FIELD: the comment replied to
)


# task fields a reviewer or lead reads elsewhere, whose columns pushed title, preview,
# model_labels and disputed off the first screen of the grid at 1400 px (break9 N10: they
# sat at x 1420-2780, behind provenance, warning and an opaque passage_id). Label Studio
# 1.23 orders the data columns itself: the labeling config's fields first, then every
# other key as first imported (SQLite keeps a task's key order; PostgreSQL's jsonb keeps
# none of its own), all after its own columns; the order a user drags columns into is kept
# in their browser only (localStorage "dm:columnorder"), no tab setting orders them. So the
# tab hides these: the provenance line and the content warning are in the labeling view
# (the preview says "[hidden: ...]" of a hidden passage), the rest are ids and settings.
# Hidden columns still filter (the Data Manager lists every column under Filters, a hidden
# one too: a hidden neighbour's note says to filter by passage_id), and each user can show
# any of them again from the Columns menu.
GRID_OFF_FIELDS = (
    "provenance",
    "warning",
    PASSAGE_ID,
    "doc_id",
    "source",
    "date",
    "model_version",
    "exact_copies",
    LANGUAGE_WARNING_COLUMN,
)
# Label Studio's own columns of no use in the queue: the count of predictions (one per
# task, the model's; a lead's adjudication task holds one per reviewer and a blank one)
GRID_OFF_COLUMNS = ("tasks:total_predictions",)
# widths of the columns left, so that every one of them fits a 1400 px window in any
# order, the lead's adjudication grid (disputed, the model's labels, priority) included:
# unless the tab says otherwise (its ``columnsWidth``, where a user's resizing is saved
# too), Label Studio 1.23.2 draws ID 130 px wide, Completed 200, each count 80, Annotated
# by 170, Prediction score 130 and each data field 170; it draws a column 20 px wider than
# the width set (a count at least 80 px): measured in Chromium, the widths below are drawn
# 70, 140, 80, 80, 130, 120, 160, 240, 90, 160 and 180 px wide
QUEUE_COLUMN_WIDTHS = {
    "tasks:id": 50,
    "tasks:completed_at": 120,
    "tasks:total_annotations": 60,
    "tasks:cancelled_annotations": 60,
    "tasks:annotators": 110,
    "tasks:predictions_score": 100,
    "tasks:data.title": 140,
    "tasks:data.preview": 220,
    "tasks:data.priority": 70,
    "tasks:data.model_labels": 140,
    "tasks:data.disputed": 160,
}


def grid_view(
    tax: Taxonomy, *, by_priority: bool = False, reviewer: bool = False
) -> dict[str, Any]:
    """A Data Manager tab whose grid hides passage text and context (``preview`` shows);
    ``by_priority`` (a reviewer queue): it lists the tasks riskiest first by
    ``data.priority`` whatever their ids, so tasks added later (a hand-over, a later push)
    take their place there and in "Label Tasks As Displayed" (Label Studio's "Label All
    Tasks" serves open tasks by id: import order); ``reviewer``: it hides the model's
    scores too (:data:`REVIEWER_HIDDEN_COLUMNS`). Label Studio's own columns it hides by
    default stay hidden (:data:`STUDIO_HIDDEN_COLUMNS`), and so do the audit-trail
    fields (:data:`TRAIL_FIELDS`) and the fields read elsewhere (:data:`GRID_OFF_FIELDS`,
    :data:`GRID_OFF_COLUMNS`), and the columns left are sized
    (:data:`QUEUE_COLUMN_WIDTHS`), so that title, preview, priority, model_labels and
    disputed are on the first screen of a 1400 px window."""
    shown_in_view = (tax.interface.text_field, *CONTEXT_FIELDS, PARENT_HEADER_FIELD, PARENT_FIELD)
    hidden = [f"tasks:data.{f}" for f in (*shown_in_view, *SOURCE_FIELDS)]
    hidden += ["tasks:data.model_scores", "tasks:data.meta", "tasks:data.taxonomy_version"]
    hidden += [f"tasks:data.{f}" for f in (*TRAIL_FIELDS, *GRID_OFF_FIELDS)]
    hidden += [*STUDIO_HIDDEN_COLUMNS, *GRID_OFF_COLUMNS]
    if reviewer:
        hidden += REVIEWER_HIDDEN_COLUMNS
    tab: dict[str, Any] = {
        "title": QUEUE_TAB,
        "hiddenColumns": {"explore": hidden, "labeling": hidden},
        "columnsWidth": dict(QUEUE_COLUMN_WIDTHS),
    }
    if by_priority:
        tab.update(ordering=QUEUE_ORDERING, columnsDisplayType=QUEUE_COLUMN_TYPES)
    return tab


def order_queue_tab(client: StudioClient, project_id: int, tax: Taxonomy) -> None:
    """Make a queue's tab list it riskiest first (a queue made before tabs were ordered,
    or one a lead re-sorted): its ``Queue`` tab gets the priority ordering, or is made."""
    tabs = [
        v for v in client.list_views(project_id) if (v.get("data") or {}).get("title") == QUEUE_TAB
    ]
    if not tabs:
        client.create_view(project_id, grid_view(tax, by_priority=True))
        return
    data = dict(tabs[0].get("data") or {})
    if (
        data.get("ordering") == QUEUE_ORDERING
        and data.get("columnsDisplayType", {}).get(QUEUE_ORDERING[0][1:]) == "Number"
    ):
        return
    types = {**(data.get("columnsDisplayType") or {}), **QUEUE_COLUMN_TYPES}
    client.update_view(
        int(tabs[0]["id"]),
        project_id,
        {**data, "ordering": QUEUE_ORDERING, "columnsDisplayType": types},
    )


def hide_in_queue_tab(
    client: StudioClient,
    project_id: int,
    tax: Taxonomy,
    fields: Sequence[str],
    *,
    columns: Sequence[str] = (),
    widths: Mapping[str, int] | None = None,
) -> None:
    """Keep the data ``fields`` out of the grid of the project's ``Queue`` tab (made when
    missing): the adjudication project's ``reviews`` quotes the reviewers' evidence, the
    text of passages hidden behind a content warning, and the grid showed it as a column.
    ``columns``: other columns to hide, by their Data Manager ids (``tasks:...``). A tab
    made before this keeps its other settings. A tab made before its columns were sized
    (no ``columnsWidth`` holding every column of :data:`QUEUE_COLUMN_WIDTHS`: the lead's
    adjudication project of an earlier batch, whose ``disputed`` was the last column, off
    the screen: break9 N10; one whose lead resized a column of it: break10 B11) gets the
    sizes (the lead's kept) and hides the columns read elsewhere (:data:`GRID_OFF_FIELDS`)
    once; its sizes then mark it, so a column its user shows again stays shown (unless
    Label Studio drops the sizes: the next run then hides those columns again).
    ``widths``: column sizes (by Data Manager id) this tab takes instead of, or besides,
    :data:`QUEUE_COLUMN_WIDTHS`; a tab already there gets each one it lacks or holds at
    annotate's default size (a size its user set is kept)."""
    want = [f"tasks:data.{f}" for f in fields] + list(columns)
    tabs = [
        v for v in client.list_views(project_id) if (v.get("data") or {}).get("title") == QUEUE_TAB
    ]
    if not tabs:
        tab = grid_view(tax)
        tab["hiddenColumns"] = {k: [*v, *want] for k, v in tab["hiddenColumns"].items()}
        tab["columnsWidth"].update(widths or {})
        client.create_view(project_id, tab)
        return
    data = dict(tabs[0].get("data") or {})
    hidden = {k: list(v) for k, v in (data.get("hiddenColumns") or {}).items()}
    changed = False
    sized = data.get("columnsWidth")
    sized = dict(sized) if isinstance(sized, dict) else {}
    if not all(k in sized for k in QUEUE_COLUMN_WIDTHS):  # not sized by annotate: once
        want += [f"tasks:data.{f}" for f in GRID_OFF_FIELDS] + list(GRID_OFF_COLUMNS)
        sized = {**QUEUE_COLUMN_WIDTHS, **sized}  # the lead's sizes kept
        data["columnsWidth"] = sized
        changed = True
    for column, size in (widths or {}).items():
        # missing, or at annotate's default size (not one its user set): this tab's
        now = sized.get(column)
        if now != size and now in (None, QUEUE_COLUMN_WIDTHS.get(column)):
            sized[column] = size
            data["columnsWidth"] = sized
            changed = True
    for mode in ("explore", "labeling"):
        have = hidden.setdefault(mode, [])
        missing = [c for c in want if c not in have]
        have += missing
        changed = changed or bool(missing)
    if changed:
        client.update_view(int(tabs[0]["id"]), project_id, {**data, "hiddenColumns": hidden})


def project_view_settings(tax: Taxonomy) -> dict[str, Any]:
    """Project fields: the guidelines as instructions, shown before labeling."""
    return {"expert_instruction": instructions_html(tax), "show_instruction": True}


def set_up_views(
    client: StudioClient,
    project_id: int,
    tax: Taxonomy,
    *,
    by_priority: bool = False,
    reviewer: bool = False,
) -> None:
    """Give a new project a Data Manager tab that keeps passage text out of the grid
    (``by_priority``: listed riskiest first; ``reviewer``: a reviewer queue, the model's
    scores hidden too; see :func:`grid_view`)."""
    client.create_view(project_id, grid_view(tax, by_priority=by_priority, reviewer=reviewer))


def set_up_views_unless_made(
    client: StudioClient,
    project_id: int,
    tax: Taxonomy,
    *,
    by_priority: bool = False,
    reviewer: bool = False,
) -> None:
    """:func:`set_up_views` for a project this run did not make but takes as its own (the
    oldest of several made at the same time,
    :func:`annotate.studio.project_copies.keep_oldest`) unless it has its ``Queue`` tab:
    the server's first copy of a creation it repeated has none."""
    views = client.list_views(project_id)
    if not any((v.get("data") or {}).get("title") == QUEUE_TAB for v in views):
        set_up_views(client, project_id, tax, by_priority=by_priority, reviewer=reviewer)
