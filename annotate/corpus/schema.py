"""The reviewed corpus: one row per reviewed passage, features derived from labels.yaml.

Declared once here; `annotate export` writes it and `annotate train` reads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:
    from annotate.taxonomy import Taxonomy

# The corpus's split names, declared once: the type of a split field (a training
# config's ``split:``) and the tuple, in order, that every other module reads.
SplitName = Literal["train", "validation", "test"]
SPLITS: tuple[str, ...] = get_args(SplitName)
TRAIN, VALIDATION, TEST = SPLITS
# the subsets other modules name, read off SPLITS (never spelled out again):
# the rows a model is fitted (train) and calibrated and thresholded (validation) on
FIT_SPLITS: tuple[str, ...] = (TRAIN, VALIDATION)
# the rows a model is not fitted on: calibrated on (validation), measured on (test)
EVAL_SPLITS: tuple[str, ...] = (VALIDATION, TEST)


def corpus_features(tax: Taxonomy) -> Any:
    """``datasets.Features`` for the reviewed corpus."""
    from datasets import ClassLabel, Features, Sequence, Value

    category = ClassLabel(names=tax.category_names)
    span_label = ClassLabel(names=tax.span_names)
    span = {
        "start": Value("int64"),
        "end": Value("int64"),
        "label": span_label,
        "text": Value("string"),
    }
    annotation = {
        "reviewer": Value("string"),  # pseudonymous: stable hash of the LS user
        "categories": Sequence(category),
        # the categories as chosen: ``categories`` but for an answer pairing the none label
        # with another (contradictory: no vote, ``categories`` empty); absent before
        # 2026-12-06
        "categories_answered": Sequence(category),
        "spans": [span],
        "severity": Value("string"),  # a severity name or "" when not given
        # the severity as chosen: ``severity`` but for an answer pairing a harmful category
        # with severity level 0, or (since stop 51) a harmful severity with no harmful
        # category (contradictory: no vote, ``severity`` ""); absent before 2026-12-06
        # (stop 50)
        "severity_answered": Value("string"),
        "comment": Value("string"),
        "created_at": Value("string"),
        "updated_at": Value("string"),
        "lead_time": Value("float64"),
        # the model whose pre-labels the task showed this reviewer (the prediction the
        # answer started from when it records one, else the one Label Studio showed)
        "model_version": Value("string"),
        # the id of the prediction the answer records starting from (Label Studio's
        # parent_prediction), None when it records none (answered from scratch or through
        # the API); started_from_prediction: whether it records one (absent before
        # 2026-12-06)
        "parent_prediction": Value("int64"),
        "started_from_prediction": Value("bool"),
        "agrees_with_model": Value("bool"),  # same categories, severity and spans as it
        "taxonomy_version": Value("string"),  # the labels.yaml the answer was made under
        # where the answer lives in Label Studio (absent from exports before 2026-12)
        "ls_project_id": Value("int64"),
        "ls_task_id": Value("int64"),
        "ls_annotation_id": Value("int64"),
        # the pseudonym of the account that last wrote the answer (Label Studio's
        # updated_by) when it is not ``reviewer``: changed by the admin or a lead, or made
        # through the API in the reviewer's name; None: the reviewer's own (absent before
        # 2026-12-06 stop 55)
        "written_by": Value("string"),
    }
    ls_task = {"project_id": Value("int64"), "task_id": Value("int64")}
    # the lead's answer in ``NAME · adjudication`` (None unless resolution is adjudicated)
    adjudication = {
        "reviewer": Value("string"),  # the lead's pseudonym (= adjudicator)
        "created_at": Value("string"),
        "updated_at": Value("string"),
        "lead_time": Value("float64"),
        "ls_project_id": Value("int64"),
        "ls_task_id": Value("int64"),
        "ls_annotation_id": Value("int64"),
        "comment": Value("string"),  # the lead's comment on the decision ("" if none)
        # the lead's own answer as given (absent before 2026-12-06): the row's labels are
        # these categories; its severity and spans are the lead's unless the lead gave
        # none (severity_from, spans_from say which)
        "categories": Sequence(category),
        "severity": Value("string"),  # "" when the lead gave none
        "spans": [span],
        # "lead" | "reviewers' vote (the lead gave none)" | "none (the lead gave none,
        # the reviewers tied)" | ...; a lead's severity read as none because it contradicts
        # the lead's categories reads "the lead gave high, which contradicts no harmful
        # category chosen" for "the lead gave none" (collect.lead_severity_contradicted)
        "severity_from": Value("string"),
        # "lead" | "reviewers' agreement (the lead marked none)"
        "spans_from": Value("string"),
        # what the lead's answer records starting from: the prediction id
        # (parent_prediction, None: none recorded) and whose it is: a reviewer's
        # pseudonym (their answer, shown as a prediction), "blank" (the empty start) or
        # None (none recorded); never the model's (the adjudication project shows none)
        "parent_prediction": Value("int64"),
        "started_from": Value("string"),
        # the reviewers' answers the adjudication task showed the lead, one per reviewer
        # (annotate.review.collect.decided_on; absent before 2026-12-06): kept when a
        # reviewer changes their answer after the decision, which the row's annotations
        # then no longer hold
        "decided_on": [
            {
                "reviewer": Value("string"),
                "categories": Sequence(Value("string")),
                "severity": Value("string"),
                "comment": Value("string"),
                # updated after the lead answered: the lead saw an earlier answer,
                # shown_to_lead as the answers panel described it (None: not changed, or
                # not known), and shown_to_lead_status which: "not changed", "recorded",
                # or "unknown: " and why (annotate.review.collect.SHOWN_*; absent before
                # 2026-12-06 stop 54)
                "changed_after_decision": Value("bool"),
                "shown_to_lead": Value("string"),
                "shown_to_lead_status": Value("string"),
            }
        ],
    }
    # one skip of a task of the passage (Label Studio keeps no answer of it)
    skip = {
        "reviewer": Value("string"),  # pseudonym (the lead's in NAME · adjudication)
        "project_id": Value("int64"),
        "task_id": Value("int64"),
        "skipped_at": Value("string"),  # when (the skip's last change), None if unknown
        "adjudication": Value("bool"),  # a lead's skip in NAME · adjudication
    }
    return Features(
        {
            "id": Value("string"),
            "text": Value("string"),
            # the text reviewers were shown when it was not ``text``: a subtitle cue
            # without its markup (``<v Bob><i>I will</i></v>`` shown as ``Bob: I will``;
            # every span is on ``text``, mapped back); None: they saw ``text`` (absent
            # before 2026-12-06)
            "shown_text": Value("string"),
            "doc_id": Value("string"),
            # SHA-256 of the UTF-8 text of the document as ingest split it (the text
            # start/end index into; annotate.ingestion.document_sha256); None for passages
            # ingested before 2026-12
            "document_sha256": Value("string"),
            # the licence or terms the document was obtained under (ingest --license or a
            # table's license column); None: not recorded (absent before 2026-12)
            "license": Value("string"),
            "title": Value("string"),
            "source": Value("string"),
            "date": Value("string"),
            # JSON: the document's other columns as ingest kept them (None: none; absent
            # from exports before 2026-12-03); a subtitle cue's passage also holds where in
            # the video it was said, its cue's "cue_start" and "cue_end" in seconds
            # (annotate.ingestion.subtitles.CUE_START; passages ingested since stop 55)
            "meta": Value("string"),
            "start": Value("int64"),
            "end": Value("int64"),
            "passage_index": Value("int64"),
            # id of the first passage of its near-duplicate group across documents, or None
            "near_dup_group": Value("string"),
            # JSON: settings, library versions and placeholders by kind when the text was
            # masked by `annotate ingest --redact`, else None (absent before 2026-12)
            "ingest_redaction": Value("string"),
            # the run id of the ingest that cut the passage: its settings, input files and
            # version are the manifest's ingest_runs entry; None when not recorded
            # (passages ingested before 2026-12; absent from exports before it)
            "ingest_run": Value("string"),
            # the input file the document was read from, as the run record names it
            # (relative to the input given: "a.csv", "news/a.txt"; a saved dataset's split
            # "NAME[SPLIT]"), and the row of it ("line 3" in JSONL, "row 2 (line 4)" in
            # CSV, "row 2" in Parquet or a dataset; None for a .txt/.md file, one
            # document); None when not recorded (ingested before 2026-12-04; absent from
            # exports before it)
            "input_file": Value("string"),
            "input_row": Value("string"),
            # JSON {"count": N, "copies": [...]}: the exact copies of the passage's text
            # ingest dropped, the first 100, each {"passage_id", "doc_id", "input_file",
            # "input_row", "start", "end"}; None when none was (absent before 2026-12-05);
            # export --redact keeps the count only ({"count": N})
            "exact_copies": Value("string"),
            "annotations": [annotation],
            "n_reviewers": Value("int32"),
            # pseudonyms (salted like ``reviewer``) of the reviewers who skipped a task of
            # the passage in Label Studio, each once, sorted; absent before 2026-12
            "skipped_by": Sequence(Value("string")),
            # pseudonyms (salted alike) of the leads who skipped the passage's task in
            # NAME · adjudication, each once, sorted (a skip decides nothing: a lead who
            # answered is the adjudicator); absent before 2026-12
            "skipped_in_adjudication_by": Sequence(Value("string")),
            # every skip of a task of the passage, reviewers' and leads', by time: who,
            # which Label Studio project and task, when (absent before 2026-12-06)
            "skips": [skip],
            # resolved by majority vote (per category, of the answers whose labeling config
            # offered it: manifest labels_not_offered)
            "labels": Sequence(category),
            "label_tie": Value("bool"),  # no majority for the categories or the severity
            # unanimous (two answers or more, all alike) | majority | tie | adjudicated (a
            # lead decided: labels are theirs) | incomplete (no answer chose a category: no
            # labels, no tie) | single (one answer, or one that chose categories beside
            # answers that chose none: no vote; exports before 2026-12-06 gave it as
            # unanimous)
            "resolution": Value("string"),
            "adjudicator": Value("string"),  # the lead's pseudonym, or None
            # resolved (majority of those who gave one; highest on a tie: label_tie) or ""
            "severity": Value("string"),
            "spans": [span],  # union of reviewer spans agreed by a majority
            # the prediction the latest reviewer started from (Label Studio records it)
            "model_labels": Sequence(category),
            "model_severity": Value("string"),
            "model_spans": [span],
            "model_scores": {name: Value("float32") for name in tax.category_names},
            "model_agreed": Value("bool"),  # resolved categories, severity, spans == the model's
            "model_version": Value("string"),
            # prelabel's finding that this model cannot read the passage: a script or
            # language none of its training languages is ("Arabic script (the model was
            # trained on en text)"); push then pre-selects no category or severity, so
            # model_labels [] and model_severity "" are no suggestion, not "none". None:
            # the model reads it, or another model is credited (absent before 2026-12-06:
            # read as None)
            "model_language_warning": Value("string"),
            "taxonomy_version": Value("string"),
            # the first of ls_tasks: queues by reviewer alias, then task id
            # (docs/export-and-audit.md, "Provenance")
            "ls_task_id": Value("int64"),
            # every Label Studio task holding an answer of the row (each reviewer's project
            # of a review set, duplicates, the adjudication task): absent before 2026-12
            "ls_tasks": [ls_task],
            "adjudication": adjudication,
            "first_annotated_at": Value("string"),
            "last_annotated_at": Value("string"),  # the lead's answer included
            "split": ClassLabel(names=list(SPLITS)),
        }
    )
