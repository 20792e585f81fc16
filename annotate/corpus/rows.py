"""One reviewed task -> one corpus row: provenance, each reviewer's vote under a
pseudonym, the resolved labels (:mod:`annotate.corpus.resolve`) and the prediction the
reviewers started from (:mod:`annotate.corpus.model_view`).
The row's columns are :func:`annotate.corpus.schema.corpus_features`."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from annotate._util.coerce import opt_int, opt_str
from annotate._util.server_time import earliest, recency
from annotate.corpus.licenses import merged_license
from annotate.corpus.model_view import (
    ModelView,
    agrees,
    annotation_model_view,
    parent_prediction,
    task_model_view,
)
from annotate.corpus.resolve import NotOffered, pseudonym, resolve, unoffered_of
from annotate.ingestion.record import run_id
from annotate.studio.pull import (
    latest_annotations,
    parse_result,
    task_refs,
    task_text,
    written_by_other,
)
from annotate.studio.tasks import (
    DOCUMENT_SHA256_FIELD,
    EXACT_COPIES_FIELD,
    INGEST_REDACTION_FIELD,
    INGEST_RUN_FIELD,
    INPUT_FILE_FIELD,
    INPUT_ROW_FIELD,
    PASSAGE_ID_FIELD,
    unreadable,
)
from annotate.taxonomy import Taxonomy


def none_with_other(categories: list[str], tax: Taxonomy) -> bool:
    """Whether an answer's ``categories`` pair the taxonomy's none label ("Nothing above
    applies") with another category: a contradiction Label Studio cannot prevent (its
    Choices tag has no exclusive choice), read as an incomplete answer (docs/review.md,
    "Export")."""
    return tax.none_label in categories and len(categories) > 1


def harmful_with_no_harm_severity(categories: list[str], severity: str, tax: Taxonomy) -> bool:
    """Whether an answer pairs a harmful category (labels.yaml ``group: harmful``) with a
    severity of level 0 (labels.yaml: ``none``, "No harmful content"): a contradiction the
    labeling view cannot prevent (severity is not required, and a passage the model was
    unsure of may open with "none" ticked), read as no severity given (docs/review.md, "Export";
    passC50 R1: a threat exported as ``violent_threat`` with severity ``none``)."""
    if not severity or not any(c in tax.harmful for c in categories):
        return False
    return severity in {s.name for s in tax.severity if s.level == 0}


def harm_severity_without_harm(categories: list[str], severity: str, tax: Taxonomy) -> bool:
    """Whether an answer chose categories none of which is harmful (labels.yaml ``group:
    harmful``: only ``none``, or only context labels such as ``news_reporting``) with a
    severity above level 0 (``low`` and up: harmful content): the reverse contradiction of
    :func:`harmful_with_no_harm_severity`, read the same way, as no severity given. An
    answer without categories is not one (incomplete: it contradicts nothing)."""
    if not severity or not categories or any(c in tax.harmful for c in categories):
        return False
    return severity in {s.name for s in tax.severity if s.level > 0}


def severity_contradicted(categories: list[str], severity: str, tax: Taxonomy) -> bool:
    """Either contradiction between an answer's categories and its severity
    (:func:`harmful_with_no_harm_severity`, :func:`harm_severity_without_harm`): the
    severity is read as not given."""
    return harmful_with_no_harm_severity(categories, severity, tax) or harm_severity_without_harm(
        categories, severity, tax
    )


# the two contradictions an exported answer's ``severity_answered`` beside an empty
# ``severity`` records (:func:`contradiction_of`)
HARMFUL_SEVERITY_NONE = "harmful_severity_none"
SEVERITY_WITHOUT_HARM = "severity_without_harm"


def contradiction_of(answer: dict[str, Any], no_harm: str | None) -> str | None:
    """Which contradiction an exported answer (a row's ``annotations`` item) was read as
    no severity for: :data:`HARMFUL_SEVERITY_NONE` (it chose ``no_harm``, labels.yaml's
    level-0 severity, :attr:`Taxonomy.no_harm_severity`, beside a harmful category),
    :data:`SEVERITY_WITHOUT_HARM` (a harmful level with no harmful category); None: its
    severity counts as chosen (or it has none). ``no_harm`` is None for a labels.yaml
    without level 0 (its lowest level is harmful: not the lowest, break5 B8)."""
    chosen = answer.get("severity_answered", answer.get("severity"))
    if not chosen or chosen == answer.get("severity"):
        return None
    return (
        HARMFUL_SEVERITY_NONE
        if no_harm is not None and chosen == no_harm
        else SEVERITY_WITHOUT_HARM
    )


def harmful_severity_none_line(answers: int, tasks: list[int], lead: int, *, where: str) -> str:
    """The one line export, agreement and review status give on answers pairing a harmful
    category with severity `none`: how many, their task ids (the first 10), what was done
    (read as no severity) and the fix."""
    return (
        f"warning: {_who(answers, tasks, lead)} chose a harmful category with severity `none` "
        "(labels.yaml: no harmful content): a contradiction, read as no severity given (the "
        f"answer keeps its choice; {where}). Fix: have them choose the severity in Label "
        "Studio (open the task, choose a severity, update), then run the command again"
    )


def severity_without_harm_line(answers: int, tasks: list[int], lead: int, *, where: str) -> str:
    """The one line export, agreement and review status give on answers choosing a harmful
    severity (``low`` and up) with no harmful category (:func:`harm_severity_without_harm`),
    as :func:`harmful_severity_none_line` does for the reverse."""
    return (
        f"warning: {_who(answers, tasks, lead)} chose a harmful severity (`low` or above) with "
        "no harmful category (only `none` or context labels such as `news_reporting`): a "
        f"contradiction, read as no severity given (the answer keeps its choice; {where}). "
        "Fix: have them choose the harmful category, or severity `none`, in Label Studio "
        "(open the task, correct it, update), then run the command again"
    )


def _who(answers: int, tasks: list[int], lead: int) -> str:
    """The answers a contradiction line names: reviewer answers by task id (the first 10)
    and lead answers by count."""
    parts = []
    if answers:
        shown = ", ".join(str(t) for t in tasks[:10]) + (" ..." if len(tasks) > 10 else "")
        parts.append(f"{answers} reviewer answer(s) (task(s) {shown})")
    if lead:
        parts.append(f"{lead} lead answer(s) in the adjudication project")
    return " and ".join(parts)


def none_with_other_answers(task: dict[str, Any], tax: Taxonomy) -> int:
    """How many of ``task``'s latest reviewer answers pair the none label with another
    category (:func:`none_with_other`), as :func:`task_to_row` reads them."""
    text = str((task.get("data") or {}).get(tax.interface.text_field) or "")
    return sum(
        none_with_other(
            parse_result(
                ann.get("result") or [],
                tax,
                text,
                where=f"task {task.get('id')}",
                version=ann.get("taxonomy_version"),
            )["categories"],
            tax,
        )
        for _, ann in latest_annotations(task)
    )


def task_to_row(
    task: dict[str, Any], tax: Taxonomy, *, salt: str, not_offered: NotOffered | None = None
) -> dict[str, Any]:
    """The corpus row of one reviewed task (label names; ``split`` is set later). It
    records no time of export (the manifest's ``exported_at`` does), so two exports of the
    same review state write the same rows. ``not_offered``: labels.yaml version of
    answers -> the categories its labeling config did not offer (the manifest's
    ``labels_not_offered``): those answers do not vote on them in ``labels``."""
    data = task.get("data") or {}
    task_id = int(task["id"])
    # a subtitle cue shown without its markup: spans read on the text shown, given on
    # the passage's (source.raw), which the row keeps
    shown, source = task_text(data, tax, where=f"task {task_id}")
    parse = parse_result if source is None else partial(parse_result, source=source)
    text = shown if source is None else source.raw
    annotations: list[dict[str, Any]] = []
    parsed: list[dict[str, Any]] = []
    views: list[ModelView] = []
    for user, ann in latest_annotations(task):
        # the answer's own task and project: a passage's copies in several reviewer
        # projects are merged into one task, whose id is the first copy's
        ann_task = opt_int(ann.get("ls_task_id")) or opt_int(ann.get("task")) or task_id
        ann_project = opt_int(ann.get("ls_project_id", ann.get("project"))) or opt_int(
            task.get("project")
        )
        in_project = f"project {ann_project}, " if ann_project is not None else ""
        where = f"{in_project}task {ann_task}, annotation {ann.get('id')}"
        made_under = ann.get("taxonomy_version")
        p = parse(ann.get("result") or [], tax, shown, where=where, version=made_under)
        answered = list(p["categories"])
        if none_with_other(p["categories"], tax):
            # "nothing above applies" and a category at once: which one the reviewer meant
            # is unknown, so the answer is incomplete (no vote on the categories; its
            # severity and spans count) rather than a vote for either; export counts them
            # (manifest answers_none_with_other) and names their passages
            p = {**p, "categories": []}
        severity_answered = p["severity"]
        if severity_contradicted(answered, p["severity"], tax):
            # a harmful category with severity "none" ("no harmful content"), or a harmful
            # severity with no harmful category: read as no severity given (it does not
            # vote on the severity; its categories and spans count); ``severity_answered``
            # keeps the reviewer's choice, and export, review status and agreement name
            # these answers (manifest answers_harmful_severity_none and
            # answers_severity_without_harm)
            p = {**p, "severity": ""}
        view = annotation_model_view(ann, task, tax, parse)
        parsed.append(p)
        views.append(view)
        annotations.append(
            {
                "reviewer": pseudonym(user, salt),
                "categories": p["categories"],
                # the categories as the reviewer chose them: ``categories`` but for `none`
                # with another (contradictory, no vote: ``categories`` is empty)
                "categories_answered": answered,
                "spans": [s.as_dict() for s in p["spans"]],
                "severity": p["severity"],
                # the severity as chosen: ``severity`` but for a harmful category with a
                # level-0 severity, or a harmful severity with no harmful category
                # (contradictory: no vote, ``severity`` empty)
                "severity_answered": severity_answered,
                "comment": p["comment"],
                "created_at": opt_str(ann.get("created_at")),
                "updated_at": opt_str(ann.get("updated_at")),
                "lead_time": None if ann.get("lead_time") is None else float(ann["lead_time"]),
                # the model whose pre-labels the task showed (Label Studio records it)
                "model_version": view.version,
                # the prediction the answer records starting from (Label Studio's
                # parent_prediction), None when it records none: then the reviewer may
                # have answered from scratch, or through the API
                "parent_prediction": parent_prediction(ann),
                "started_from_prediction": parent_prediction(ann) is not None,
                "agrees_with_model": agrees(p["categories"], p["severity"], p["spans"], view, tax),
                # the labels.yaml the answer was made under (its names are read in tax's)
                "taxonomy_version": made_under or tax.version,
                # the Label Studio record of this answer (project, task, annotation)
                "ls_project_id": ann_project,
                "ls_task_id": ann_task,
                "ls_annotation_id": opt_int(ann.get("id")),
                # the pseudonym of the account that last wrote this answer (Label Studio's
                # updated_by) when it is not the reviewer it is credited to: the admin or
                # a lead who changed it, or made it through the API in the reviewer's name;
                # None: the reviewer's own (passM55 #1)
                "written_by": None
                if (other := written_by_other(ann)) is None
                else pseudonym(other, salt),
            }
        )
    # the row credits the prediction the latest reviewer started from
    model = views[-1] if views else task_model_view(task, tax, parse)
    res = resolve(
        [p["categories"] for p in parsed],
        [p["severity"] for p in parsed],
        [p["spans"] for p in parsed],
        category_order=tax.category_names,
        severity_levels=tax.severity_names,
        unoffered=unoffered_of(annotations, not_offered),
    )
    # the task holds the scores of the model it was pushed with; another model's are unknown
    pushed_model = model.version == data.get("model_version")
    scores = (data.get("model_scores") or {}) if pushed_model else {}
    created = [a["created_at"] for a in annotations if a["created_at"]]
    updated = [a["updated_at"] or a["created_at"] for a in annotations if a["created_at"]]
    return {
        "id": str(data.get(PASSAGE_ID_FIELD) or f"ls-task-{task_id}"),
        "text": text,
        # the text reviewers were shown when it was not ``text``: a subtitle cue without
        # its markup (spans are on ``text`` all the same); None: they saw ``text``
        "shown_text": None if source is None else shown,
        "doc_id": opt_str(data.get("doc_id")),
        # SHA-256 of the document's text as ingested (None: ingested before 2026-12)
        "document_sha256": opt_str(data.get(DOCUMENT_SHA256_FIELD)),
        # the licence the document was obtained under (None: not recorded at ingest); a
        # task of passages ingested before the column: its table's licence kept in meta;
        # a passage in several tasks: the latest push's (merged_license)
        "license": merged_license(task),
        "title": opt_str(data.get("title")),
        "source": opt_str(data.get("source")),
        "date": opt_str(data.get("date")),
        # the document's other columns as ingest kept them (JSON: a forum export's channel,
        # article URL, author...); None when the task has none
        "meta": meta_json(data.get("meta")),
        "start": opt_int(data.get("start")),
        "end": opt_int(data.get("end")),
        "passage_index": opt_int(data.get("passage_index")),
        "near_dup_group": opt_str(data.get("near_dup_group")),
        # what ingest --redact masked in the text (JSON), None when it did not run
        "ingest_redaction": opt_str(data.get(INGEST_REDACTION_FIELD)),
        # the ingest run that cut the passage (its record: the manifest's ingest_runs),
        # None when the task has none (ingested before 2026-12)
        "ingest_run": run_id(data.get(INGEST_RUN_FIELD)),
        # the input file (as the run record names it) and row of it ingest read the
        # document from; None when the task has none (ingested before 2026-12-04; the row
        # of a file that is one document)
        "input_file": opt_str(data.get(INPUT_FILE_FIELD)) or None,
        "input_row": opt_str(data.get(INPUT_ROW_FIELD)) or None,
        # the exact copies of the text ingest dropped (JSON, annotate.table_schemas); None
        # when none was (or the task has none: ingested before 2026-12-05)
        "exact_copies": opt_str(data.get(EXACT_COPIES_FIELD)) or None,
        "annotations": annotations,
        "n_reviewers": len(annotations),
        # pseudonyms of the reviewers who skipped a task of the passage (set by
        # annotate.review.collect, which reads the skips)
        "skipped_by": [],
        # pseudonyms of the leads who skipped its adjudication task (set by collect too)
        "skipped_in_adjudication_by": [],
        # each skip of a task of the passage: who, where, when (set by collect too)
        "skips": [],
        "labels": res.labels,
        "label_tie": res.tie,
        "severity": res.severity,
        "spans": [s.as_dict() for s in res.spans],
        "model_labels": model.categories,
        "model_severity": model.severity,
        "model_spans": [s.as_dict() for s in model.spans],
        "model_scores": {
            c: (None if scores.get(c) is None else float(scores[c])) for c in tax.category_names
        },
        "model_agreed": agrees(res.labels, res.severity, res.spans, model, tax),
        "model_version": model.version,
        # prelabel's finding that the model the task was pushed with cannot read the
        # passage (push keeps it in the task's data), so model_labels [] is no suggestion;
        # None when it can, the task has none (pushed before 2026-12-06) or another model
        # is credited (its reading unknown, as its scores are)
        "model_language_warning": (unreadable(data) or None) if pushed_model else None,
        "taxonomy_version": tax.version,
        "ls_task_id": task_id,  # the first task (older exports' only provenance)
        "ls_tasks": task_refs(task),  # every Label Studio task holding an answer of the row
        "adjudication": None,  # the lead's answer, set by annotate.review.collect
        # as times, not text: the server's stamps vary in form (annotate._util.server_time)
        "first_annotated_at": earliest(created),
        "last_annotated_at": max(updated, key=recency) if updated else None,
        "split": None,
    }


def meta_json(value: Any) -> str | None:
    """A task's ``meta`` as the export keeps it: JSON text (push writes it so; an object,
    as a task made by hand or by another tool may hold, is written as JSON with sorted
    keys, not as Python's repr); None for none, an empty string or an empty object."""
    if value is None or value == "" or value == {}:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
