"""Task building: prelabel rows -> Label Studio tasks with predictions.

Each result is checked against the parsed labeling config
(:func:`annotate.studio.label_config.validate_results`) before it is sent; span offsets
are code points, Label Studio's unit (:mod:`annotate.studio.offsets`).
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from annotate._util.coerce import json_cell
from annotate._util.encoding import bad_characters
from annotate._util.gold_keys import gold_name, nested_gold_paths
from annotate._util.licence_tally import pushed_license
from annotate._util.shell import sh
from annotate.audit.redact import thread_key
from annotate.errors import PredictionError
from annotate.review.parents import parent_fields
from annotate.review.view import graphic_reason, is_sensitive, reveal_result, view_fields
from annotate.studio.copy_keys import pushed_copies, pushed_run
from annotate.studio.label_config import LabelConfig, validate_results
from annotate.studio.offsets import to_ls_offset
from annotate.studio.shown_text import (
    SOURCE_MAP_FIELD,
    SOURCE_TEXT_FIELD,
    ShownText,
    shown_for_row,
)
from annotate.table_schemas import (
    INPUT_COLUMNS,
    LANGUAGE_WARNING_COLUMN,
    PRELABEL_COLUMNS,
    PRELABEL_REQUIRED_INPUT,
)
from annotate.tables import documents_table_fix, refuse_document, require_columns, table_columns
from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)

PRIORITY_FIELD = "priority"
PASSAGE_ID_FIELD = "passage_id"
PROVENANCE_FIELDS = (
    "doc_id",
    "passage_index",
    "start",
    "end",
    "title",
    "source",
    "date",
    "meta",
    "near_dup_group",
)
# the passage's ingest redaction record (JSON), in a task only when ingest --redact ran
INGEST_REDACTION_FIELD = "redaction"
# SHA-256 of the passage's source document as ingested (annotate.ingestion.document_sha256),
# in a task only when the passages file has it (ingests before 2026-12 do not)
DOCUMENT_SHA256_FIELD = "document_sha256"
# what the ingest run that cut the passage ran with (JSON: settings, input files' SHA-256,
# annotate version; annotate.ingestion.record), when the passages file has it
INGEST_RUN_FIELD = "ingest_run"
# the prelabel run that scored the passage (annotate.prelabeling.run_record), to the export
PRELABEL_RUN_FIELD = "prelabel_run"
# the licence or terms the passage's document was obtained under (ingest --license or a
# table's license column), when the passages file records one; a Data Manager column,
# not in the labeling view
LICENSE_FIELD = "license"
# the encoder prelabel ran (JSON: ref, package, version, weights sha256), when recorded
MODEL_ENCODER_FIELD = "model_encoder"
# the task data a prediction gives (the grid's model columns): a re-push with a newer
# model puts its values in the tasks already there, as it adds its prediction, so the
# columns follow the pre-annotation shown (annotate.studio.push; passJ54 M3). The
# priority, the wellbeing warning and the preview stay the first push's: reviewers'
# queue order and what is hidden from them do not move under them.
MODEL_DATA_FIELDS = ("model_version", "model_labels", "model_scores", MODEL_ENCODER_FIELD)
# the input file the passage's document was read from (as ingest's run record names it)
# and the row of it ("line 3", "row 2 (line 4)"), for an auditor tracing a row back to
# the raw input (annotate.table_schemas.INPUT_COLUMNS): in the task's data only, when
# the passages file has them (ingests before 2026-12-04 do not; a text file's row is
# None), never in the labeling view
INPUT_FILE_FIELD, INPUT_ROW_FIELD = INPUT_COLUMNS
# the exact copies of the passage's text ingest dropped (JSON: count and the first 100,
# each by passage id, document, input file, row and offsets; annotate.table_schemas), in
# the task's data when there were any, for export and escalations; never in the view
EXACT_COPIES_FIELD = "exact_copies"
# the provenance line's note on a subtitle cue shown without its markup: in a reviewer's
# words (passC50 R7: the field name, source_text, meant nothing to a reviewer); the file's
# characters stay in the task's SOURCE_TEXT_FIELD
SHOWN_NOTE = "subtitle markup hidden (tags and positions; the words are the file's)"


# ---- prelabel rows -> tasks ---------------------------------------------------------
def check_row(row: Mapping[str, Any], tax: Taxonomy, where: str) -> None:
    """A prelabel row has id, text, scores for every category, known labels and spans."""
    fix_labels = (
        "pre-label with the same labels.yaml (`annotate prelabel --labels ...`) or pass the "
        "labels.yaml the file was made with (--labels)."
    )
    if row.get("id") in (None, ""):
        raise PredictionError(f"{where}: the passage id is empty.", fix="give every row an id.")
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise PredictionError(f"{where}: the text is empty.", fix="drop rows without text.")
    for field_name in ("text", "title", "source", "doc_id"):
        value = row.get(field_name)
        bad = bad_characters(value) if isinstance(value, str) else []
        if bad:
            pos, char = bad[0]
            raise PredictionError(
                f"{where}: {field_name} holds {len(bad)} control character(s) a server may "
                f"refuse (first U+{ord(char):04X} at character {pos}).",
                fix="re-run `annotate ingest` (it removes them) and `annotate prelabel`.",
            )
    licence = row.get(LICENSE_FIELD)
    if licence is not None and not isinstance(licence, str):  # str() made "4" a licence
        raise PredictionError(
            f"{where}: {LICENSE_FIELD!r} holds {type(licence).__name__} "
            f"({str(licence)[:40]!r}), expected the licence the document was obtained under "
            "as text (an SPDX identifier such as CC-BY-4.0), or null when unknown.",
            fix="write the licence as a string (or leave it empty), or ingest the documents "
            "again with `annotate ingest --license` and pre-label them.",
        )
    scores = json_cell(row.get("scores"))
    if isinstance(scores, str):  # a CSV's cell that is not JSON (pandas writes Python's repr)
        raise _text_not_object(where, "scores", scores)
    if not isinstance(scores, Mapping):
        raise PredictionError(
            f"{where}: 'scores' must be an object {{category: probability}}, found "
            f"{type(scores).__name__}.",
            fix="pass a file written by `annotate prelabel`.",
        )
    names = tax.category_names
    # the usual case, every category once and nothing else, at the cost of one lookup each
    if len(scores) != len(names) or not all([c in scores for c in names]):
        unknown = sorted(set(scores) - set(names))
        if unknown:
            raise PredictionError(
                f"{where}: scores for {', '.join(map(repr, unknown))}, not a category of the "
                f"taxonomy (known: {', '.join(names)}).",
                fix=fix_labels,
            )
        missing = [c for c in names if c not in scores]
        if missing:
            # a category added to labels.yaml after the model was trained: pre-labelling
            # again with this labels.yaml fails too (the model does not score it), so the
            # fix names what works rather than that loop
            model = row.get("model_version")
            by = f" (model {model})" if model else ""
            raise PredictionError(
                f"{where}: no score for {', '.join(map(repr, missing))}: the model that made "
                f"these pre-labels{by} does not score {'it' if len(missing) == 1 else 'them'}, "
                f"and labels.yaml ({tax.name} {tax.version}) has "
                f"{'it' if len(missing) == 1 else 'them'}.",
                fix="pass the labels.yaml the file was made with (--labels FILE; the project "
                "keeps its labels); a new category reaches reviewers only with pre-labels "
                "that score it: train a model with this labels.yaml (`annotate train --labels "
                "FILE`: its examples of the new category and reviewed data holding it), then "
                "`annotate prelabel --model DIR --labels FILE` (the default model refuses it).",
            )
    for cat, p in scores.items():
        if type(p) is float and 0.0 <= p <= 1.0:  # the usual case (False for NaN)
            continue
        if not isinstance(p, (int, float)) or math.isnan(p) or not 0.0 <= p <= 1.0:
            raise PredictionError(
                f"{where}: score of {cat!r} is {p!r}, expected a probability in [0, 1].",
                fix="pass probabilities (sigmoid outputs), not logits.",
            )
    labels = json_cell(row.get("labels")) or []
    if isinstance(labels, str):  # was read letter by letter
        raise _text_not_object(where, "labels", labels)
    bad = [label for label in labels if label not in tax.category_names]
    if bad:
        raise PredictionError(
            f"{where}: label(s) {', '.join(map(repr, bad))} not in the taxonomy "
            f"(known: {', '.join(tax.category_names)}).",
            fix=fix_labels,
        )
    spans = json_cell(row.get("spans")) or []
    if isinstance(spans, str):
        raise _text_not_object(where, "spans", spans)
    for span in spans:
        label = span.get("label")
        if label not in tax.span_names:
            raise PredictionError(
                f"{where}: span label {label!r} not in the taxonomy "
                f"(known: {', '.join(tax.span_names)}).",
                fix=fix_labels,
            )
        start, end = span.get("start"), span.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise PredictionError(
                f"{where}: span [{start}, {end}) is outside the text (length {len(text)}).",
                fix="span offsets are code-point offsets into the passage text.",
            )
        score = span.get("score")
        if score is not None and not _is_number(score):
            raise PredictionError(
                f"{where}: span score {score!r} is not a number.",
                fix="give span scores as probabilities, or leave them out.",
            )


def _text_not_object(where: str, column: str, value: str) -> PredictionError:
    """The error of a ``scores``, ``labels`` or ``spans`` cell of text that is not JSON: a
    CSV's, most likely pre-labels saved as CSV (pandas writes a dict as Python's repr)."""
    shown = value if len(value) <= 40 else value[:39] + "…"
    return PredictionError(
        f"{where}: {column!r} holds text ({shown!r}), expected JSON; pre-labels must "
        "be the Parquet or JSONL that `annotate prelabel` writes: a CSV cannot hold the "
        "scores and spans objects.",
        fix="pre-label the passages again into Parquet and push that file: "
        "`annotate prelabel PASSAGES --out NAME.parquet`, then `annotate push NAME.parquet`.",
    )


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def risk(scores: Mapping[str, float], tax: Taxonomy) -> float:
    """The highest harmful-category probability."""
    return max(float(scores[c]) for c in tax.harmful)


def confidence(scores: Mapping[str, float]) -> float:
    """How sure the model is of its least sure yes/no decision: min over max(p, 1-p)."""
    return min(max(float(p), 1.0 - float(p)) for p in scores.values())


def harm_confidence(scores: Mapping[str, float], tax: Taxonomy) -> float:
    """:func:`confidence` over the harmful categories only (labels.yaml's ``group:
    harmful``): doubt about a context label (counter_speech, news_reporting) or ``none``
    does not count."""
    return min(max(float(scores[c]), 1.0 - float(scores[c])) for c in tax.harmful)


RISK_WEIGHT = 0.75  # priority's weight of risk; its harm uncertainty gets the rest


def priority(scores: Mapping[str, float], tax: Taxonomy) -> float:
    """Review order, highest first, in [0, 1]: harm first, then doubt about harm.

    ``priority = 0.75 * risk + 0.25 * uncertainty``, where ``risk`` is the highest
    harmful-category probability (:func:`risk`) and ``uncertainty = 2 - 2 *``
    :func:`harm_confidence` (1 where a harmful score is 0.5, 0 where every harmful score
    is 0 or 1). Only the harmful categories count: the context labels and ``none`` do not
    move a passage (passC50 R4: a harmless line scored counter_speech 0.47 came before a
    threat scored violent_threat 0.12 when every category's doubt counted). No published
    source: the weight is chosen so that, for a passage with one harmful score p, the
    priority rises with p over all of [0, 1] (``1.25 p`` below 0.5, ``0.5 + 0.25 p``
    above; any weight above 2/3 does), so a likely threat always comes before a doubtful
    one, and doubt decides between passages of near-equal risk (a second harmful score
    near 0.5 puts a passage first)."""
    uncertainty = 2.0 - 2.0 * harm_confidence(scores, tax)
    return round(RISK_WEIGHT * risk(scores, tax) + (1.0 - RISK_WEIGHT) * uncertainty, 6)


# the priority of a passage the model cannot read (prelabel's model_language_warning: a
# script or language none of its training languages is): that of a passage with a harmful
# score of 0.5 (0.75 * 0.5 + 0.25 * 1), the least certain a score can be, since the
# model's probabilities mean nothing there (passG52 G2: an Arabic "I will kill you
# tomorrow" scored none at 0.52 and came near the end of the queue, priority 0.08). A
# passage the model reads and flags more likely than not comes first; every passage it
# is surer about comes after. Its own scores do not move it: a 0.95 there means no more
# than the 0.52 (stop 53)
UNREADABLE_PRIORITY = round(RISK_WEIGHT * 0.5 + (1.0 - RISK_WEIGHT), 6)


def unreadable(row: Mapping[str, Any]) -> str:
    """Prelabel's finding that the model cannot read ``row``'s passage (its
    ``model_language_warning``: "Arabic script (the model was trained on en text)"), ""
    when none."""
    said = row.get(LANGUAGE_WARNING_COLUMN)
    return str(said).strip() if said else ""


def unreadable_note(said: str) -> str:
    """What a task's provenance line tells reviewers of a passage the model cannot read
    (``said``: :func:`unreadable`)."""
    return (
        f"\u26a0 the model cannot read this passage: {said}; its scores mean nothing here and "
        "no category or severity is pre-selected: read it and choose them yourself"
    )


# the highest harmful-category score at which a passage the model labels with no harmful
# category still gets severity "none" pre-selected: below it the model is sure (>= 0.9)
# that no harmful label applies. At or above it the reviewer chooses the severity: a
# threat the model misses opened with "None of these" and "none" ticked, and a reviewer
# who corrected the category but not the severity submitted a contradiction (passC50 R1:
# a forum threat scored violent_threat 0.12, a caller's threat 0.21; the ordinary
# passages of that corpus the model labelled with no harmful category scored 0.001 to 0.057)
SURE_NONE_BELOW = 0.1


def predicted_severity(scores: Mapping[str, float], labels: list[str], tax: Taxonomy) -> str:
    """The severity pre-selected for reviewers: level 0 ("none": no harmful content;
    none in a labels.yaml without level 0, whose lowest level is harmful) when no
    harmful label is predicted and every harmful category scores below
    :data:`SURE_NONE_BELOW`, otherwise "" (no suggestion: the reviewer chooses).

    The model scores categories (a calibrated probability that each label applies), not
    severity: the taxonomy's levels turn on the target, the means and how imminent a
    threat is, which no score measures. On the project's fixtures
    (tests/fixtures/regression_harmful.jsonl, gold ``high``/``critical``) the scores do
    not order the levels (critical threats score 0.22 to 0.92, high ones 0.28 to 0.71),
    and the earlier mapping of the top score over [0.5, 1] pre-selected ``low`` for 9 of
    16 flagged high/critical passages. So a harmful passage gets no pre-selected severity:
    the reviewer chooses it; nor does one the model is unsure is harmless (the scores say
    only whether "none" is safe to suggest).
    """
    return _severity_of(labels, scores, tax)


def _severity_of(labels: list[str], scores: Mapping[str, Any], tax: Taxonomy) -> str:
    """:func:`predicted_severity` of the row's predicted ``labels`` and ``scores``."""
    no_harm = tax.no_harm_severity  # level 0; none in a labels.yaml without one (B8)
    if any(label in tax.harmful for label in labels) or not no_harm:
        return ""
    if any(float(scores.get(c) or 0.0) >= SURE_NONE_BELOW for c in tax.harmful):
        return ""
    return no_harm


def prediction_results(
    row: Mapping[str, Any], tax: Taxonomy, shown: ShownText | None = None
) -> list[dict[str, Any]]:
    """One result per control: categories, each evidence span, severity. ``shown``: the
    text reviewers are shown instead of the row's (:func:`annotate.studio.shown_text.
    shown_for_row`), the spans moved onto it."""
    return _results(row, tax, json_cell(row["scores"]), _labels(row, tax), shown)


def _labels(row: Mapping[str, Any], tax: Taxonomy) -> list[str]:
    """The row's categories, in the taxonomy's order."""
    row_labels = json_cell(row.get("labels")) or []
    return [c for c in tax.category_names if c in row_labels]


def _results(
    row: Mapping[str, Any],
    tax: Taxonomy,
    scores: Mapping[str, Any],
    labels: list[str],
    shown: ShownText | None = None,
) -> list[dict[str, Any]]:
    """:func:`prediction_results` given the row's scores as written and its
    :func:`_labels`. With ``shown``, each span (the row's offsets) is put on the text
    shown (:meth:`annotate.studio.shown_text.ShownText.to_shown`); one on markup alone
    is left out."""
    ui = tax.interface
    text: str = row["text"] if shown is None else shown.shown
    results: list[dict[str, Any]] = []
    # a passage the model cannot read: no category or severity pre-selected (its "none"
    # is no finding), its spans kept as evidence the reviewer may reject
    blank = bool(unreadable(row))
    if labels and not blank:
        results.append(
            {
                "id": "category",
                "from_name": ui.categories,
                "to_name": ui.passage,
                "type": "choices",
                "value": {"choices": labels},
                "score": round(min([float(scores[c]) for c in labels]), 4),
            }
        )
    for i, span in enumerate(json_cell(row.get("spans")) or []):
        start, end = int(span["start"]), int(span["end"])
        if shown is not None:
            moved = shown.to_shown(start, end)
            if moved is None:  # on the subtitle markup alone: nothing of it is shown
                log.debug("span %d-%d of %s is on markup alone: left out", start, end, row["id"])
                continue
            start, end = moved
        result: dict[str, Any] = {
            "id": f"span{i}",
            "from_name": ui.spans,
            "to_name": ui.passage,
            "type": "labels",
            "value": {
                "start": to_ls_offset(text, start),
                "end": to_ls_offset(text, end),
                "text": text[start:end],
                "labels": [span["label"]],
            },
        }
        if span.get("score") is not None and not blank:  # no confidence where it cannot read
            result["score"] = round(float(span["score"]), 4)
        results.append(result)
    severity = "" if blank else _severity_of(labels, scores, tax)
    if severity:  # no suggestion for a harmful passage: the reviewer chooses (see above)
        top = max([float(scores[c]) for c in tax.harmful])  # risk(scores, tax)
        results.append(
            {
                "id": "severity",
                "from_name": ui.severity,
                "to_name": ui.passage,
                "type": "choices",
                "value": {"choices": [severity]},
                "score": round(top, 4),
            }
        )
    return results


def without_region_text(result: dict[str, Any]) -> dict[str, Any]:
    """A span result without its copy of the text: Label Studio's Regions panel shows
    ``value.text`` even while the passage is hidden behind its content warning, so a
    sensitive passage's spans carry offsets only (the editor reads the text from the
    passage once the reviewer reveals it). ``result`` is one prediction or annotation
    result dict; one that is not a span (``type`` other than ``"labels"``) or has no
    ``value.text`` is returned as it is, otherwise a copy (``result`` is not changed).
    Never raises for a dict."""
    value = result.get("value") or {}
    if result.get("type") != "labels" or "text" not in value:
        return result
    return {**result, "value": {k: v for k, v in value.items() if k != "text"}}


def source_name(source: Any) -> str:
    """A URL as it is; a local file path reduced to its file name (never an absolute path)."""
    text = str(source)
    if "://" in text:
        return text
    return text.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


NO_PROVENANCE = "(no provenance)"  # a row without source, date or document id


def cue_time_range(row: Mapping[str, Any]) -> str | None:
    """Where in the video a subtitle cue's passage was said, as its file writes times:
    ``00:06:11.000–00:06:14.500`` (its ``meta``'s cue start and end, recorded by ingest
    since stop 55: :func:`annotate.classifier.cue_sentences.recorded_cue_times`); None
    where none is recorded."""
    from annotate.classifier.cue_sentences import recorded_cue_times

    start, end = recorded_cue_times(row)
    if start is None or end is None:
        return None
    return f"{clock(start)}–{clock(end)}"


def clock(seconds: float) -> str:
    """``seconds`` as a subtitle file writes a time, ``HH:MM:SS.mmm`` (62.5:
    ``00:01:02.500``)."""
    ms = round(seconds * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    return f"{hours:02d}:{minutes:02d}:{ms // 1000:02d}.{ms % 1000:03d}"


def provenance_line(row: Mapping[str, Any]) -> str:
    """The line above each passage in the labeling view: source (a file path as its
    name), date, document id, passage index and characters. A passage masked at ingest
    whose document id holds its input file's masked name (``ingest --redact``: a text
    file named ``WhatsApp Chat with +44 7700 900123.txt``) shows the id as masked (its
    ``redaction`` record's ``shown_doc_id``), as its title is. A table row named by its
    position (``blank.jsonl#0``, counted from 0) is named by its line alone (``blank.jsonl
    line 2 · passage 0 ...``): its document id beside that line read as a second row
    (break9 N11). A subtitle cue's passage shows where in the video it was said, its cue's
    start and end as ingest recorded them (``cue 00:06:11.000–00:06:14.500``:
    :func:`cue_time_range`; passM55 9)."""
    parts = [
        _source_shown(row) if k == "source" else str(row[k])
        for k in ("source", "date")
        if row.get(k)
    ]
    if row.get("doc_id") not in (None, ""):
        where = _document_said(row)
        if row.get("passage_index") is not None:
            where += f"{', ' if where else ''}passage {row['passage_index']}"
        said = []
        if row.get("start") is not None and row.get("end") is not None:
            said.append(f"characters {row['start']}–{row['end']}")
        if (when := cue_time_range(row)) is not None:
            said.append(f"cue {when}")
        if said:
            where += f" ({'; '.join(said)})"
        parts.append(where)
    parts += thread_and_author(row)
    return SEPARATOR.join(parts) or NO_PROVENANCE


# a value longer than this is cut ("…") in the provenance line
CONTEXT_VALUE_CHARS = 80
# what the provenance line shows for a thread or author of a passage masked at ingest
# (``ingest --redact``) that has no pseudonym (a run before 6 Dec 2026, or a value that
# was a placeholder already): the value itself is never shown (a DM's thread is the
# other person's name, and an author placeholder is numbered per post: every post's
# reads [HANDLE-1])
CONTEXT_NOT_SHOWN = "not shown (masked at ingest)"
# the line's separator; a value holding it is shown quoted, so it reads as one value
SEPARATOR = " · "
# bidirectional control characters (and marks), which would reorder what is shown
# (``\u202eenilno_rettiwt`` reads "twitter_online"): removed from a shown value
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# the separator's dot and the dots that read like it (a bullet, a katakana middle dot ...)
_SEPARATOR_LIKE = re.compile("[\u00b7\u0387\u2022\u2027\u2219\u22c5\u30fb\uff65]")
_said_nested: set[str] = set()  # nested meta keys already logged (once per key)


def _context_value(value: Any) -> str:
    """A meta value as the provenance line shows it: a text or number on one line, a list
    of them joined, without bidirectional controls, quoted when it holds the line's
    separator "·" or a dot like it (a thread named ``x · author: y`` would read as two
    fields), cut at
    :data:`CONTEXT_VALUE_CHARS`; "" for anything else or nothing."""
    from annotate.audit.redact import context_value

    one_line = " ".join(_BIDI_CONTROLS.sub("", context_value(value)).split())
    if len(one_line) > CONTEXT_VALUE_CHARS:
        one_line = one_line[:CONTEXT_VALUE_CHARS] + "\u2026"
    if _SEPARATOR_LIKE.search(one_line) or one_line.startswith('"'):
        one_line = json.dumps(one_line, ensure_ascii=False)
    return one_line


def thread_and_author(row: Mapping[str, Any]) -> list[str]:
    """The provenance line's parts for the thread and the author of a table's post, from
    the row's ``meta`` (``KEY: VALUE``, the key as the file names it, threads first):
    its :func:`thread_key` and :func:`annotate.audit.redact.author_key` keys at the top
    level (a nested object is not shown: logged once per key); [] when it has none.

    A passage masked at ingest (``ingest --redact``: its ``redaction`` record says
    ``at: ingest``) shows no value of them, masked or not, only the keyed pseudonym its
    record holds (``context_keys``: ``author: pa_3f9c1a2b``, ``thread: pt_…``; the same
    author or thread reads alike in every post of the work folder's runs): a masked
    author is numbered per post (every post's would read ``[HANDLE-1]``), a value that a
    detector found something in keeps the rest as written (``Bob Smith <[EMAIL-1]>``),
    and a thread is often a person's name (a DM's ``chat_name``). A run that recorded no
    pseudonym shows :data:`CONTEXT_NOT_SHOWN`. Rows not masked at ingest show the values
    as the table wrote them (:func:`_context_value`)."""
    from annotate.audit.redact import CONTEXT_KEYS, author_key

    meta = json_cell(row.get("meta"))
    if not isinstance(meta, dict):
        return []
    record = json_cell(row.get(INGEST_REDACTION_FIELD)) if row.get(INGEST_REDACTION_FIELD) else None
    masked = isinstance(record, dict) and record.get("at") == "ingest"
    pseudonyms = record.get(CONTEXT_KEYS) if masked and isinstance(record, dict) else None
    pseudonyms = pseudonyms if isinstance(pseudonyms, dict) else {}
    threads, authors = [], []
    for key, value in meta.items():
        kind = threads if thread_key(key) else authors if author_key(key) else None
        if kind is None:
            continue
        if isinstance(value, dict) or (
            isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
        ):
            if str(key) not in _said_nested:
                _said_nested.add(str(key))
                log.info(
                    "meta key %r holds a nested object: the provenance line shows only "
                    "text and number values (flatten it into a column to show it)",
                    key,
                )
            continue
        shown = _context_value(value)
        if not shown:
            continue
        if masked:
            named = pseudonyms.get(str(key))
            shown = named if isinstance(named, str) and named else CONTEXT_NOT_SHOWN
        name = _context_value(str(key))
        kind.append(f"{name}: {shown}")
    return [*threads, *authors]


_PSEUDONYM = re.compile(r"p[at]_[0-9a-f]{8}")  # annotate.audit.redact.context_pseudonyms


def context_style(line: object) -> str:
    """How a provenance line (:func:`provenance_line`) names a post's thread and author:
    "none" (no such part), "pseudonyms" (every value a keyed pseudonym or
    :data:`CONTEXT_NOT_SHOWN`: ``ingest --redact``) or "written" (values as written)."""
    from annotate.audit.redact import author_key

    parts = [p.split(": ", 1) for p in str(line or "").split(SEPARATOR) if ": " in p]
    values = [v for k, v in parts if thread_key(k) or author_key(k)]
    if not values:
        return "none"
    hidden = all(_PSEUDONYM.fullmatch(v) or v == CONTEXT_NOT_SHOWN for v in values)
    return "pseudonyms" if hidden else "written"


_BY_POSITION = re.compile(r"^(?P<file>.+)#\d+$")  # a table row's source: FILE#N, N from 0


def _source_shown(row: Mapping[str, Any]) -> str:
    """The row's source as the provenance line names it (:func:`source_name`); a table
    row named by its position (``forum.jsonl#3``, counted from 0, as its document id may
    be) by its place in the file as ``input_row`` counts it from 1 (``forum.jsonl line
    4``, ``forum.csv row 3 (line 4)``): an auditor opens the file at that line, and the
    two numberings side by side read as two rows (passH53 H11). The stored ``source`` is
    unchanged."""
    shown = source_name(row["source"])
    found = _BY_POSITION.match(shown)
    where, named = row.get("input_row"), row.get("input_file")
    if (
        found
        and isinstance(where, str)
        and where
        and isinstance(named, str)
        and found.group("file") == source_name(named)  # not a URL's #fragment
    ):
        return f"{found.group('file')} {where}"
    return shown


def pushed_doc_id(row: Mapping[str, Any]) -> Any:
    """The ``doc_id`` a row's task carries: the row's, or, for a document whose id holds
    its input file's name masked at ingest (``ingest --redact``: a file named by an
    e-mail address or phone number), the keyed pseudonym its ``redaction`` record holds
    (``doc_key``, ``pd_…``): Label Studio's Data Manager lists ``doc_id`` as a column,
    and the raw id holds the unmasked name. Push compares the tasks already there by it."""
    record = json_cell(row.get(INGEST_REDACTION_FIELD)) if row.get(INGEST_REDACTION_FIELD) else None
    key = record.get("doc_key") if isinstance(record, dict) else None
    return key if isinstance(key, str) and key else row.get("doc_id")


def _ingest_record(row: Mapping[str, Any]) -> Any:
    """The row's ``redaction`` record, parsed (None: none)."""
    return json_cell(row.get(INGEST_REDACTION_FIELD)) if row.get(INGEST_REDACTION_FIELD) else None


def exact_copies_of(row: Mapping[str, Any]) -> str | None:
    """The ``exact_copies`` a row's task carries (None: none): the row's, each copy named
    as its own task would be under ``ingest --redact`` (an id holding personal data by its
    keyed pseudonym, also where an older ingest wrote the raw id:
    :func:`annotate.studio.copy_keys.pushed_copies`). Push links a reply to a parent
    dropped as a copy by it."""
    value = row.get(EXACT_COPIES_FIELD)
    if not value:
        return None
    return str(pushed_copies(str(value), _ingest_record(row)))


def pushed_meta(row: Mapping[str, Any]) -> Any:
    """The ``meta`` a row's task carries: the row's, or, for a passage masked at ingest
    (``ingest --redact``: its ``redaction`` record says ``at: ingest``), the row's with
    each top-level thread (:func:`thread_key`) and author
    (:func:`annotate.audit.redact.author_key`) value replaced by the keyed pseudonym the
    record holds (``context_keys``, as the provenance line shows it), and left out where
    the record has none (a nested object, a value that was a placeholder, a run before
    pseudonyms): the Data Manager can show ``meta`` as a column, and the API and Label
    Studio's export return it, so a DM's thread (``DM with Jane Doe``) or an author
    ingest found an address in (``Bob Smith <[EMAIL-1]>``) would reach the server as
    written (break12 H1). Other keys stay as ingest masked them. The export reads the
    pseudonyms back from the task."""
    from annotate.audit.redact import CONTEXT_KEYS, PARENT_KEYS, author_key

    value = row.get("meta")
    record = json_cell(row.get(INGEST_REDACTION_FIELD)) if row.get(INGEST_REDACTION_FIELD) else None
    if not (isinstance(record, dict) and record.get("at") == "ingest"):
        return value
    meta = json_cell(value)
    if not isinstance(meta, dict):
        return value
    pseudonyms = record.get(CONTEXT_KEYS)
    pseudonyms = pseudonyms if isinstance(pseudonyms, dict) else {}
    # a parent id that holds personal data (ingest keeps it as doc_id is kept) goes as
    # the keyed pseudonym its parent's task carries as doc_id (PARENT_KEYS)
    parents = record.get(PARENT_KEYS)
    parents = parents if isinstance(parents, dict) else {}
    out: dict[str, Any] = {}
    for key, item in meta.items():
        if thread_key(key) or author_key(key):
            named = pseudonyms.get(str(key))
            if isinstance(named, str) and named:
                out[key] = named
            continue
        keyed = parents.get(str(key))
        out[key] = keyed if isinstance(keyed, str) and keyed else item
    return out


def _shown_doc_id(row: Mapping[str, Any]) -> str:
    """The row's ``doc_id``, or the one its ingest redaction record shows reviewers: the
    id with its file name masked (``shown_doc_id``), else the keyed pseudonym of an id
    that holds personal data (``doc_key``: an id column's ``anna.smith@example.org``,
    which the task's ``doc_id`` carries as ``pd_…`` too; reader57b #1)."""
    record = json_cell(row.get(INGEST_REDACTION_FIELD))
    if not isinstance(record, dict):
        return str(row["doc_id"])
    shown = record.get("shown_doc_id") or record.get("doc_key")
    return str(shown) if shown else str(row["doc_id"])


def _document_said(row: Mapping[str, Any]) -> str:
    """``document ID`` (:func:`_shown_doc_id`), or "" where the provenance line names the
    row's document by its line already and a passage follows: its source is its position
    (``FILE#N``), shown as its line (:func:`_source_shown`), and its document id is that
    position (after an ``--id-prefix``)."""
    shown = _shown_doc_id(row)
    if row.get("source") and row.get("passage_index") is not None:
        source = source_name(row["source"])
        if _source_shown(row) != source and shown.endswith(source):
            return ""
    return f"document {shown}"


class RowValues(NamedTuple):
    """What a checked row's keys and task are computed from (once per row)."""

    scores: dict[str, float]  # every category's score rounded to 6 places, taxonomy order
    labels: list[str]  # the row's categories, taxonomy order
    severity: str  # :func:`predicted_severity` ("" for a harmful or unsure passage)
    priority: float  # :func:`priority` of ``scores``
    confidence: float  # :func:`confidence` of ``scores``
    sensitive: bool  # :func:`annotate.review.view.is_sensitive`
    graphic: str  # why it is hidden as graphic, "" if not (view.graphic_reason)
    unreadable: str = ""  # :func:`unreadable`: the model cannot read it ("" if it can)


class RowKeys(NamedTuple):
    """What a push sorts and links a checked row by, before its task is built, and what
    the task is built from (``row_to_task(row, ..., checked=keys.values)``)."""

    passage_id: str
    priority: float  # :func:`priority`, review order, highest first
    model_version: str
    sensitive: bool  # the task carries a content warning (neighbours hide its text)
    values: RowValues


def _derive(row: Mapping[str, Any], tax: Taxonomy) -> RowValues:
    """The row's :class:`RowValues` values (as :func:`predicted_severity`,
    :func:`priority` and :func:`confidence` compute them, each input computed once)."""
    written = json_cell(row["scores"])
    names = tax.category_names
    rounded = [round(float(written[c]), 6) for c in names]
    scores = dict(zip(names, rounded, strict=True))
    labels = _labels(row, tax)
    sure = min([p if p >= 1.0 - p else 1.0 - p for p in rounded])  # confidence(scores)
    harm = [scores[c] for c in tax.harmful]
    top = max(harm)  # risk(scores, tax)
    harm_sure = min([p if p >= 1.0 - p else 1.0 - p for p in harm])  # harm_confidence
    cannot = unreadable(row)
    severity = "" if cannot else _severity_of(labels, scores, tax)
    graphic = graphic_reason(labels, scores, str(row["text"]), tax)
    rank = round(RISK_WEIGHT * top + (1.0 - RISK_WEIGHT) * (2.0 - 2.0 * harm_sure), 6)
    return RowValues(
        scores,
        labels,
        severity,
        UNREADABLE_PRIORITY if cannot else rank,  # its scores mean nothing: the floor
        sure,
        is_sensitive(labels, scores, tax, graphic=graphic, unreadable=cannot),
        graphic,
        cannot,
    )


def check_task_row(row: Mapping[str, Any], tax: Taxonomy, *, where: str) -> RowKeys:
    """Check a row as :func:`row_to_task` does, without building its task; returns the
    row's sort keys. A push checks every row this way, and the labeling config once
    (:func:`check_config_fits`), before it imports anything, and builds each task
    (``row_to_task(..., checked=True)``) only when its batch is sent.

    With :func:`check_config_fits` passed, a row that passes here passes every check of
    ``row_to_task``: the prediction's per-row checks (known labels and span labels, span
    offsets inside the text) are :func:`check_row`'s; the rest depends on the taxonomy
    and config alone. Raises PredictionError (the row, what was expected, what was found).
    """
    check_row(row, tax, where)
    derived = _derive(row, tax)
    return RowKeys(
        passage_id=str(row["id"]),
        priority=derived.priority,
        model_version=str(row.get("model_version") or "unknown"),
        sensitive=derived.sensitive,
        values=derived,
    )


def check_config_fits(tax: Taxonomy, config: LabelConfig) -> None:
    """PredictionError unless ``config`` takes every prediction :func:`row_to_task` can
    build for ``tax``: every category at once, a span of each span label, each severity
    level, and the reveal choice (what :func:`validate_results` checks of each row,
    beyond what :func:`check_row` checks)."""
    text = "probe"
    names = list(tax.category_names)
    probe = {
        "id": "probe",
        "text": text,
        "scores": {c: 1.0 for c in names},
        "labels": names,
        "spans": [{"label": s, "start": 0, "end": 1, "score": 1.0} for s in tax.span_names],
    }
    results = prediction_results(probe, tax)
    ui = tax.interface
    severity = {"from_name": ui.severity, "to_name": ui.passage, "type": "choices"}
    results += [
        {**severity, "id": "severity", "value": {"choices": [s]}} for s in tax.severity_names
    ]
    results.append(reveal_result(tax))
    validate_results(
        results, config, text, where=f"the labeling config for labels.yaml {tax.version}"
    )


# a gold sheet's answers (annotate.review.gold): a table's columns, or kept in ``meta`` by
# ingest as its other columns (annotate.ingestion.readers.GOLD_ANSWER_KEYS)
GOLD_ANSWER_KEYS = ("gold_labels", "gold_severity")


def gold_answer_keys(row: Mapping[str, Any]) -> list[str]:
    """Where ``row`` holds a gold answer: ``gold_labels`` / ``gold_severity`` as columns
    with a value, and ``meta.gold_labels`` / ``meta.gold_severity`` (a gold sheet
    ingested: its columns kept in ``meta``); also a column or a key spelt otherwise
    (``Gold_Labels``, ``gold_label``, ``goldLabels``: break14 finding 12) and a key at any
    depth of ``meta`` (``meta.meta.gold_labels``, a JSONL row's own ``meta`` object:
    finding 11), each as spelt (:func:`annotate._util.gold_keys.nested_gold_paths`);
    [] when nowhere."""
    found = [k for k in row if gold_name(k) is not None and not _empty_cell(row.get(k))]
    meta = row.get("meta")
    if isinstance(meta, str) and "gold" not in meta.lower():
        return found
    return found + list(nested_gold_paths(json_cell(meta), "meta"))


def _empty_cell(value: Any) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return isinstance(value, str) and not value.strip()


def refuse_gold_answer(row: Mapping[str, Any], where: str) -> None:
    """Refuse a row that holds a gold answer (:func:`gold_answer_keys`) as a regular
    task's: ``meta`` goes into the task's data, which every reviewer of it can read (the
    API, the Data Manager's ``meta`` column), and a gold table pushed as regular
    pre-labels is no gold (passL54 finding 3). ``push --gold`` reads the answers and
    builds the task from the row without them (:func:`annotate.review.gold.read_gold`)."""
    found = gold_answer_keys(row)
    if not found:
        return
    raise PredictionError(
        f"{where}: the row holds a gold answer ({', '.join(found)}); pushed as a regular "
        "task it would be in the task's data, where reviewers can read the answer key.",
        fix="pass this table as the gold table of a review push: `annotate push "
        "PRELABELS --project NAME --reviewers-per-task K --gold THIS_TABLE`; if it holds "
        "regular passages, ingest them from a table without the gold_labels and "
        "gold_severity columns (under any spelling, at any depth of a JSONL row's "
        "objects) and pre-label them again.",
    )


def row_to_task(
    row: Mapping[str, Any],
    tax: Taxonomy,
    config: LabelConfig,
    *,
    where: str,
    checked: bool | RowValues = False,
) -> dict[str, Any]:
    """A Label Studio task (data + one prediction) for a prelabel row.

    The row is checked first (:func:`check_row`), and the prediction and task fields
    against the config (:func:`validate_results`), unless ``checked``: the caller has
    already run :func:`check_task_row` on this very row with the same taxonomy and
    :func:`check_config_fits` with the config, which together make every check here (the
    task's fields are the same for every row: a caller checks them by building one task
    unchecked). ``checked`` may be the ``values`` that :func:`check_task_row` returned:
    the task is then built from them instead of computing them again. Raises PredictionError
    for a row that does not fit.
    """
    refuse_gold_answer(row, where)
    if not checked:
        check_row(row, tax, where)
    derived = checked if isinstance(checked, RowValues) else _derive(row, tax)
    labels, scores = derived.labels, derived.scores
    # a subtitle cue is shown without its markup (the passage's text kept beside it)
    source = shown_for_row(row)
    text = row["text"] if source is None else source.shown
    results = _results(row, tax, json_cell(row["scores"]), labels, source)
    if not checked:
        validate_results(results, config, text, where=where)
    model_version = str(row.get("model_version") or "unknown")
    data: dict[str, Any] = {
        tax.interface.text_field: text,
        PASSAGE_ID_FIELD: str(row["id"]),
        "title": str(row.get("title") or ""),
        "provenance": provenance_line(row),
    }
    if derived.unreadable:  # prelabel's language warning, to the reviewers, kept in the data
        data["provenance"] += f" · {unreadable_note(derived.unreadable)}"
        data[LANGUAGE_WARNING_COLUMN] = derived.unreadable
    if source is not None:  # the file's characters, and how the text shown maps onto them
        data["provenance"] += f" · {SHOWN_NOTE}"
        data[SOURCE_TEXT_FIELD] = source.raw
        data[SOURCE_MAP_FIELD] = source.map_json()
    for key in PROVENANCE_FIELDS:
        if key == "title":
            continue
        value = pushed_doc_id(row) if key == "doc_id" else row.get(key)
        if key == "meta":
            value = pushed_meta(row)
        if key == "meta" and value is not None and not isinstance(value, str):
            value = json.dumps(value, ensure_ascii=False, default=str)
        data[key] = value
    if row.get("redaction"):  # ingest --redact: what was masked, carried to the export
        data[INGEST_REDACTION_FIELD] = str(row["redaction"])
    if row.get(DOCUMENT_SHA256_FIELD):  # which version of the source document, to the export
        data[DOCUMENT_SHA256_FIELD] = str(row[DOCUMENT_SHA256_FIELD])
    if row.get(INGEST_RUN_FIELD):  # how ingest cut the passage, to the export's manifest
        from annotate.studio.run_folders import for_task

        # without the lead's absolute folders, which reviewers could read (passL54 6)
        run = for_task(str(row[INGEST_RUN_FIELD]))
        # the copies it lists named as their tasks would be (ingest --redact: keyed)
        data[INGEST_RUN_FIELD] = pushed_run(run, _ingest_record(row))
    if row.get(PRELABEL_RUN_FIELD):  # when and how prelabel scored it, to the manifest
        data[PRELABEL_RUN_FIELD] = str(row[PRELABEL_RUN_FIELD])
    for key in INPUT_COLUMNS:  # which input file and row, to the export's rows
        if row.get(key):
            data[key] = str(row[key])
    if row.get(EXACT_COPIES_FIELD):  # where else the text was posted, to export/escalations
        data[EXACT_COPIES_FIELD] = exact_copies_of(row)
    # under which terms the document was obtained, to the export: as ingest records it
    # (canonical SPDX, or free text as given), whatever wrote the file
    if licence := pushed_license(row.get(LICENSE_FIELD)):
        data[LICENSE_FIELD] = licence
    if row.get(MODEL_ENCODER_FIELD):  # prelabel's record of the encoder that ran
        data[MODEL_ENCODER_FIELD] = str(row[MODEL_ENCODER_FIELD])
    # context, warning, preview
    view = view_fields(
        text,
        labels,
        scores,
        tax,
        sensitive=derived.sensitive,
        graphic=derived.graphic,
        unreadable=derived.unreadable,
    )
    data.update(view)
    # the comment it replies to (a table's parent column): heading and a note until the
    # push finds the parent among its passages (annotate.review.parents)
    data.update(parent_fields(row))
    if not view["warning"]:
        results = [*results, reveal_result(tax)]  # opens at once; sensitive ones stay hidden
    else:
        results = [without_region_text(r) for r in results]
    data.update(
        {
            PRIORITY_FIELD: derived.priority,
            "model_version": model_version,
            "model_labels": labels,
            "model_scores": scores,
            # the labels.yaml the prediction's names belong to (export reads it by this)
            "taxonomy_version": tax.version,
        }
    )
    if not checked:
        missing = config.data_fields - set(data)
        if missing:
            raise PredictionError(
                f"{where}: the labeling config shows task field(s) {sorted(missing)} the task "
                "lacks.",
                fix="add them to the prelabel file or the push mapping.",
            )
    prediction: dict[str, Any] = {"model_version": model_version}
    if not derived.unreadable:  # Label Studio shows it as the model's confidence ("52.00%")
        prediction["score"] = round(derived.confidence, 4)
    prediction["result"] = results  # after the score: the bytes a push sends, key order too
    return {"data": data, "predictions": [prediction]}


def require_prelabels(path: Path) -> None:
    """SchemaError unless ``path`` has the columns `annotate prelabel` writes; passages
    not yet pre-labelled (ingest output) get the command that pre-labels them."""
    if path.is_file():
        refuse_document(
            path,
            f"`annotate ingest {sh(path)} --out passages.parquet`, `annotate prelabel "
            "passages.parquet --out prelabels.parquet`, then push prelabels.parquet",
        )
    have = table_columns(path)
    fix = None
    if all(c in have for c in PRELABEL_REQUIRED_INPUT):
        # a name of its own (prelabels.parquet may hold the batch already: newuser57 F5)
        out = path.with_name(f"{path.stem}.prelabels.parquet")
        if "gold_labels" in have:  # a gold sheet: pushed beside a batch, with --gold
            fix = (
                f"pre-label it first (`annotate prelabel {sh(path)} --out {sh(out)}`), then "
                f"push it as gold beside the pre-labelled batch: `annotate push "
                f"prelabels.parquet --project NAME --gold {sh(out)}`."
            )
        else:
            fix = (
                f"pre-label it first (`annotate prelabel {sh(path)} --out {sh(out)}`), "
                f"then push {sh(out)}."
            )
    else:
        fix = documents_table_fix(
            path,
            have,
            "`annotate prelabel passages.parquet --out prelabels.parquet` and push "
            "prelabels.parquet",
        )
    require_columns(path, have, PRELABEL_COLUMNS, produced_by="annotate prelabel", fix=fix)
