"""Gold tasks: passages with a known answer, mixed into each reviewer's queue.

A gold table is a prelabel table (the columns `annotate prelabel` writes, so a gold
task carries the same fields, scores and pre-annotations as any other task) plus
``gold_labels`` (the correct category names) and optionally ``gold_severity``. The
answer travels in the task's ``meta`` (not shown in the labeling view, nor as a Data
Manager column), never in its data. Export keeps gold passages out of the corpus and
scores each reviewer on them. A gold passage that later came in regular pre-labels
stays gold; the push marks its gold key ``also_regular`` (:data:`ALSO_REGULAR`) so the
export can say how many passages of the regular data it kept out for that reason.
"""

from __future__ import annotations

import difflib
import json
import logging
import math
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from shlex import quote
from typing import Any

from annotate._util.coerce import json_cell
from annotate.corpus.resolve import NotOffered
from annotate.errors import InputError, PredictionError
from annotate.review.named import with_email
from annotate.studio.label_config import LabelConfig
from annotate.studio.tasks import GOLD_ANSWER_KEYS, gold_answer_keys, row_to_task
from annotate.table_schemas import PRELABEL_COLUMNS
from annotate.tables import iter_rows_located, require_columns, table_columns, table_format
from annotate.taxonomy import Taxonomy, category_meant

log = logging.getLogger(__name__)

GOLD_META_KEY = "annotate_gold"
GOLD_COLUMNS = (*PRELABEL_COLUMNS, "gold_labels")
ALSO_REGULAR = "also_regular"  # in a gold key: the passage came in regular pre-labels too


def read_gold(path: str | os.PathLike[str], tax: Taxonomy, config: LabelConfig) -> list[dict]:
    """Tasks of a gold table, each with ``meta.annotate_gold = {labels, severity}``.

    Raises InputError/SchemaError for a missing column, an unknown category or severity.
    """
    path = Path(path)
    if not path.is_file():
        found = "a folder, not a file" if path.is_dir() else "no such file"
        raise InputError(
            f"--gold {path}: {found}.",
            fix="check the path: --gold takes a gold table, pre-labels with a gold_labels "
            "column (`annotate prelabel gold.csv --out gold.parquet` makes one from a sheet "
            "of id, text and gold_labels).",
        )
    columns = table_columns(path)
    # a gold sheet ingested (its gold columns kept in meta, as its other columns) and
    # pre-labelled: the answers are read from meta (passL54 finding 3)
    in_meta = "gold_labels" not in columns and "meta" in columns and _gold_in_meta(path)
    needed = PRELABEL_COLUMNS if in_meta else GOLD_COLUMNS
    if not in_meta and "gold_labels" not in columns and "meta" in columns:
        _refuse_gold_elsewhere(path)
    require_columns(path, columns, needed, fix=_gold_columns_fix(path, columns))
    if in_meta:
        log.info("%s: gold answers read from each row's meta (gold_labels)", path)
    out = []
    for located, row in iter_rows_located(path):
        where = f"{path} {located} (id {row.get('id')!r})"
        row = _answer_lifted(row) if in_meta else row
        labels, severity = gold_answer(row, tax, where)
        # the task is built without the answer: neither as columns nor in meta, which
        # goes into the task's data
        row = _without_answer(row)
        try:
            task = row_to_task(row, tax, config, where=where)
        except PredictionError as err:
            if table_format(path) != "csv":
                raise
            # a CSV keeps the pre-labels as text (pandas writes a dict as Python's repr,
            # not JSON): pre-labelling the sheet again writes them anew
            made = path.with_name(f"{path.stem}.prelabels.parquet")
            raise PredictionError(
                err.what,
                fix=f"a gold table saved as CSV holds the pre-labels as text that may not "
                f"read back; pre-label it again, which keeps gold_labels and gold_severity: "
                f"`annotate prelabel {quote(str(path))} --out {quote(str(made))}`, then pass "
                f"--gold {quote(str(made))} (or save the gold table as Parquet or JSONL).",
            ) from None
        task["meta"] = {GOLD_META_KEY: {"labels": labels, "severity": severity}}
        out.append(task)
    return out


def _gold_in_meta(path: Path) -> bool:
    """Whether a row of ``path`` holds ``gold_labels`` in its ``meta``."""
    return any("meta.gold_labels" in gold_answer_keys(row) for _, row in iter_rows_located(path))


def _refuse_gold_elsewhere(path: Path) -> None:
    """Refuse a gold table whose answers are in ``meta`` but not where push reads them:
    spelt otherwise (``meta.Gold_Labels``) or deeper (``meta.meta.gold_labels``, a JSONL
    row's own ``meta`` object: break14 findings 11, 12), which the gold_labels column
    missing would not explain."""
    for located, row in iter_rows_located(path):
        found = [k for k in gold_answer_keys(row) if k.startswith("meta.")]
        if found:
            raise InputError(
                f"--gold {path} {located} (id {row.get('id')!r}): the gold answer is at "
                f"{', '.join(found)}, where push does not read it; it reads gold_labels "
                "(and gold_severity) as columns or as top-level keys of meta.",
                fix="give the answers as top-level gold_labels and gold_severity columns "
                "(or fields of each JSONL row) of the gold sheet, then ingest and pre-label "
                "it again.",
            )


def _answer_lifted(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with the gold answer its ``meta`` holds as the gold columns."""
    meta = json_cell(row.get("meta"))
    if not isinstance(meta, dict):
        return row
    return {**row, **{k: meta[k] for k in GOLD_ANSWER_KEYS if k in meta}}


def _without_answer(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` without the gold columns and without the gold keys of its ``meta``."""
    out = {k: v for k, v in row.items() if k not in GOLD_ANSWER_KEYS}
    meta = json_cell(out.get("meta"))
    if isinstance(meta, dict) and any(k in meta for k in GOLD_ANSWER_KEYS):
        kept = {k: v for k, v in meta.items() if k not in GOLD_ANSWER_KEYS}
        out["meta"] = json.dumps(kept, ensure_ascii=False)
    return out


def gold_answer(row: dict[str, Any], tax: Taxonomy, where: str) -> tuple[list[str], str]:
    """A gold row's answer: (``gold_labels`` as category names, ``gold_severity``; "" when
    none). ``where``: the row as errors name it. Raises InputError for no label, a label
    that is no category name of ``tax`` (naming the category it likely stands for:
    :func:`annotate.taxonomy.category_meant`) or a severity that is no level of ``tax``."""
    labels = _gold_labels(row.get("gold_labels"))
    if not labels:
        raise InputError(
            f"{where}: gold_labels names no category ({_no_labels_said(row.get('gold_labels'))}); "
            "a gold passage needs its true answer to score reviewers against.",
            fix=f"write the passage's categories there (some of {', '.join(tax.category_names)}"
            f"; {tax.none_label} for a passage in none of the others), or leave the row out "
            "of the gold table.",
        )
    bad = [c for c in labels if c not in tax.category_names]
    if bad:
        meant = [(c, m) for c in bad if (m := category_meant(c, tax)) is not None]
        hint = "; ".join(f"{m} for {c!r}" for c, m in meant)
        typos = [
            (c, m)
            for c in bad
            if category_meant(c, tax) is None
            and (m := category_meant(c, tax, typos=True)) is not None
        ]
        typo = "; ".join(f"{m} for {c!r}" for c, m in typos)
        raise InputError(
            f"{where}: gold_labels must be category names of labels.yaml, found {labels}.",
            fix=(f"did you mean {typo}? Otherwise " if typo else "")
            + (f"write {hint} (the name, not the title reviewers see); " if hint else "")
            + f"use some of {', '.join(tax.category_names)}.",
        )
    severity = str(row.get("gold_severity") or "")
    if severity and severity not in tax.severity_names:
        raise InputError(
            f"{where}: gold_severity {severity!r} is not a severity level.",
            fix=f"use one of {', '.join(tax.severity_names)}.",
        )
    return labels, severity


def misspelt_gold_columns(columns: Sequence[str]) -> dict[str, str]:
    """Columns of ``columns`` that look like a gold column but are not spelt as one
    (``gold_label``, ``Gold Labels``, ``gold_lables``, ``gold severity``): column ->
    the name meant. Empty when none, or when the name meant is there too."""
    from annotate._util.gold_keys import GOLD_NAMES
    from annotate._util.gold_keys import name_key as key

    keys = {key(name): name for name in GOLD_NAMES}
    out = {}
    for column in columns:
        if column in GOLD_NAMES or not key(column).startswith("gold"):
            continue
        close = difflib.get_close_matches(key(column), list(keys), n=1, cutoff=0.8)
        if close and keys[close[0]] not in columns:
            out[column] = keys[close[0]]
    return out


def _misspelt_said(misspelt: dict[str, str]) -> str:
    return ", ".join(f"{found!r} (expected {meant!r})" for found, meant in misspelt.items())


def check_gold_answers(path: Path, tax: Taxonomy) -> int:
    """Check every row's gold answer (:func:`gold_answer`) of a table with a
    ``gold_labels`` column (a gold sheet given to `annotate prelabel`, which carries the
    column through to `push --gold`): a wrong label is refused by the first command that
    reads it, not after the model ran. Returns the rows checked (0: no such column).
    Raises InputError at the first wrong row, and for a gold column spelt otherwise
    (``gold_label``: :func:`misspelt_gold_columns`), which would be carried through as
    any other column and leave the table no gold table."""
    columns = table_columns(path)
    misspelt = misspelt_gold_columns(columns)
    if misspelt:
        raise InputError(
            f"{path}: column {_misspelt_said(misspelt)} is no gold column as written; "
            "a gold sheet's answers are read from gold_labels (and gold_severity) only.",
            fix="rename the column in the sheet to the name expected, then run the "
            "command again (a table that is no gold sheet: rename the column to a name "
            "not starting with gold).",
        )
    if "gold_labels" not in columns and "meta" not in columns:
        return 0
    n = 0
    for located, row in iter_rows_located(path):
        if "gold_labels" not in columns:  # an ingested gold sheet: its answers in meta
            if "meta.gold_labels" not in gold_answer_keys(row):
                continue
            row = _answer_lifted(row)
        gold_answer(row, tax, f"{path} {located} (id {row.get('id')!r})")
        n += 1
    return n


def _gold_columns_fix(path: Path, columns: Sequence[str]) -> str:
    """How to make ``path`` a gold table: a sheet of passages and their answers (``id``,
    ``text``, ``gold_labels``: a spreadsheet) is pre-labelled, which keeps its other
    columns; anything else gets the columns named."""
    misspelt = misspelt_gold_columns(columns)
    if misspelt:
        return (
            f"its column {_misspelt_said(misspelt)} is no gold column as written: rename "
            "it in the sheet, pre-label the sheet again (`annotate prelabel SHEET --out "
            "gold.parquet`) and pass that file."
        )
    if {"id", "text", "gold_labels"} <= set(columns):
        made = path.with_name(f"{path.stem}.prelabels.parquet")
        return (
            f"pre-label it first, which keeps gold_labels and gold_severity: `annotate "
            f"prelabel {quote(str(path))} --out {quote(str(made))}`, then pass "
            f"--gold {quote(str(made))}."
        )
    return (
        "a gold table is a prelabel table with a gold_labels column (the true category "
        "names) and optionally gold_severity: add them to the output of `annotate prelabel`, "
        "or pre-label a table of id, text and gold_labels (prelabel keeps the gold columns)."
    )


def _no_labels_said(value: Any) -> str:
    """What a ``gold_labels`` cell that names no category holds, in words: ``the cell is
    empty``, ``an empty list``, ``only separators (',')``."""
    value = json_cell(value)
    if isinstance(value, str):
        return f"only separators ({value!r})" if value.strip() else "the cell is empty"
    if value is None or isinstance(value, float):  # null, NaN
        return "the cell is empty"
    return "an empty list"


def _gold_labels(value: Any) -> list[str]:
    """``gold_labels`` as a list of names: a list, a JSON list, or plain text naming one
    category or several separated by commas, semicolons or ``|`` (a spreadsheet's cell;
    read as a list, ``"violent_threat"`` was its letters)."""
    value = json_cell(value)
    if isinstance(value, str):
        return [name.strip() for name in re.split(r"[,;|]", value) if name.strip()]
    if value is None or (isinstance(value, float) and math.isnan(value)):  # an empty cell
        return []
    return [str(name) for name in value]


def gold_key(task: dict[str, Any]) -> dict[str, Any] | None:
    meta = task.get("meta") or {}
    key = meta.get(GOLD_META_KEY) if isinstance(meta, dict) else None
    return key if isinstance(key, dict) else None


def gold_accuracy(
    gold_rows: Sequence[dict[str, Any]],
    categories: Sequence[str],
    *,
    min_accuracy: float | None = None,
    severity_too: bool = False,
    not_offered: NotOffered | None = None,
) -> dict[str, Any]:
    """Each reviewer's accuracy on gold passages.

    ``gold_rows``: corpus rows with ``gold`` = ``{labels, severity}`` and ``annotations``.
    Per category: share of gold passages where the reviewer's yes/no for the category
    equals the gold answer; ``exact``: share with the whole category set right;
    ``severity``: share right among gold passages with a gold severity. ``flagged``
    when ``exact`` < ``min_accuracy``, or with ``severity_too`` (export and agreement's
    ``--gold-severity``) ``severity`` < ``min_accuracy`` too. Shape: ``{"n_gold",
    "min_accuracy", "severity_checked",
    "reviewers": {pseudonym: {"n_items", "exact", "categories", "severity",
    "severity_n_items", "flagged"}}, "items": [...]}``; ``items`` lists each gold passage
    (``passage_id``, ``doc_id``, the ``gold`` answer) with every answer to it
    (``reviewer``, ``categories``, ``severity``, ``created_at``, ``exact``, and its Label
    Studio ``ls_project_id``, ``ls_task_id``, ``ls_annotation_id``; the item's
    ``ls_tasks``: the tasks holding them), so that the
    accuracies can be recomputed from the export and an auditor sees which passages were
    gold and who missed which. ``not_offered`` (labels.yaml version of answers -> the
    categories its labeling config did not offer, the manifest's ``labels_not_offered``):
    an answer is judged only on the categories it was offered (a gold category it could
    not choose is no miss; a category's share is over the answers offered it, None when
    none was); one offered none of the gold's categories is not judged on its categories
    at all (its item's ``exact`` None; ``exact`` over the others, counted in
    ``exact_n_items`` where it differs from ``n_items``; None when none is left).
    """
    per: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for row in gold_rows:
        for ann in row["annotations"]:
            per.setdefault(ann["reviewer"], []).append((row["gold"], ann))
    reviewers: dict[str, Any] = {}
    for name in sorted(per):
        pairs = per[name]
        n = len(pairs)
        sev = [(g, a) for g, a in pairs if g.get("severity")]
        # an answer whose config offered none of the gold categories is not judged on them
        judged = [v for g, a in pairs if (v := _exact(a, g["labels"], not_offered)) is not None]
        exact = round(sum(judged) / len(judged), 4) if judged else None
        severity = (
            round(sum(g["severity"] == a["severity"] for g, a in sev) / len(sev), 4)
            if sev
            else None
        )
        low = min_accuracy is not None and (
            (exact is not None and exact < min_accuracy)
            or (severity_too and severity is not None and severity < min_accuracy)
        )
        reviewers[name] = {
            "n_items": n,
            "exact": exact,
            # the answers judged on their categories, where some were not (see _exact)
            **({"exact_n_items": len(judged)} if len(judged) != n else {}),
            "categories": {c: _share(pairs, c, not_offered) for c in categories},
            "severity": severity,
            "severity_n_items": len(sev),
            "flagged": low,
        }
    items = [
        {
            "passage_id": row["id"],
            "doc_id": row.get("doc_id"),
            # every Label Studio task (project_id, task_id) holding an answer of it
            "ls_tasks": list(row.get("ls_tasks") or []),
            "gold": {
                "labels": list(row["gold"]["labels"]),
                "severity": row["gold"].get("severity"),
            },
            "answers": [
                {
                    "reviewer": a["reviewer"],
                    "categories": list(a["categories"]),
                    "severity": a["severity"],
                    "created_at": a.get("created_at"),
                    "exact": _exact(a, row["gold"]["labels"], not_offered),
                    # the answer's Label Studio record (None: a row made without them)
                    "ls_project_id": a.get("ls_project_id"),
                    "ls_task_id": a.get("ls_task_id"),
                    "ls_annotation_id": a.get("ls_annotation_id"),
                }
                for a in sorted(row["annotations"], key=lambda a: a["reviewer"])
            ],
        }
        for row in sorted(gold_rows, key=lambda r: str(r["id"]))
    ]
    return {
        "n_gold": len(gold_rows),
        "min_accuracy": min_accuracy,
        # whether ``flagged`` counts the severity too (``--gold-severity``)
        "severity_checked": severity_too,
        "reviewers": reviewers,
        "items": items,
    }


GOLD_FILE = "gold.jsonl"  # beside manifest.json: the gold passages, never in a split
GOLD_FILE_OF = (
    "the gold (known-answer) passages mixed into the reviewers' queues, one JSON line each "
    "(sorted by id), kept out of the splits: id, doc_id, text and the corpus rows' "
    "provenance fields, gold (the expected answer: labels, severity, also_regular), answers "
    "(every reviewer's answer as in the corpus rows' annotations, with its Label Studio "
    "ls_project_id, ls_task_id, ls_annotation_id, plus exact: categories equal the gold "
    "labels), ls_tasks and ls_task_id (as in the corpus rows), skipped_by and skips; "
    "masked and pseudonymised by --redact as the corpus rows are"
)
# row fields of the vote, the split and the lead: none applies to a gold passage
_NOT_GOLD_FIELDS = frozenset(
    {
        "labels",
        "label_tie",
        "severity",
        "spans",
        "split",
        "resolution",
        "adjudicator",
        "adjudication",
        "model_agreed",
        "skipped_in_adjudication_by",
        "annotations",
        "gold",
    }
)


def _exact(
    answer: dict[str, Any], expected: Sequence[str], not_offered: NotOffered | None
) -> bool | None:
    """Whether ``answer`` chose the ``expected`` categories, on the categories its labeling
    config offered (``not_offered``: the manifest's ``labels_not_offered``; one it chose
    was offered it, whatever its version says). None when the gold expects categories
    and its config offered none of them (gold expecting only a category added since,
    answered under the older config): the reviewer could not give the gold answer, so
    the answer is not judged (reader58b F7)."""
    gap = set((not_offered or {}).get(str(answer.get("taxonomy_version")), ()))
    gap -= set(answer["categories"])
    if expected and not set(expected) - gap:
        return None
    return set(answer["categories"]) - gap == set(expected) - gap


def _share(
    pairs: Sequence[tuple[dict[str, Any], dict[str, Any]]],
    category: str,
    not_offered: NotOffered | None,
) -> float | None:
    """The share of (gold, answer) ``pairs`` right on ``category``, over the answers
    offered it; None when none was."""
    asked = [
        (g, a)
        for g, a in pairs
        if category not in (not_offered or {}).get(str(a.get("taxonomy_version")), ())
        or category in a["categories"]
    ]
    if not asked:
        return None
    right = sum((category in g["labels"]) == (category in a["categories"]) for g, a in asked)
    return round(right / len(asked), 4)


def gold_file_rows(
    gold_rows: Sequence[dict[str, Any]], not_offered: NotOffered | None = None
) -> list[dict[str, Any]]:
    """The lines of :data:`GOLD_FILE` (:data:`GOLD_FILE_OF`) for ``gold_rows`` (corpus
    rows of gold passages, with ``gold``: the key the push put in the task's meta), in
    id order: what reviewers were tested on, the expected answer and their answers,
    so that an auditor can re-check a gold judgement without the live server. An
    answer's ``exact`` compares the categories its labeling config offered
    (``not_offered``, as :func:`gold_accuracy`)."""
    out = []
    for row in sorted(gold_rows, key=lambda r: str(r["id"])):
        key = row.get("gold") or {}
        expected = [str(c) for c in key.get("labels") or []]
        line = {k: v for k, v in row.items() if k not in _NOT_GOLD_FIELDS}
        line["gold"] = {
            "labels": expected,
            "severity": key.get("severity"),
            "also_regular": bool(key.get(ALSO_REGULAR)),
        }
        line["answers"] = [
            {**a, "exact": _exact(a, expected, not_offered)}
            for a in sorted(row["annotations"], key=lambda a: str(a["reviewer"]))
        ]
        out.append(line)
    return out


def unmeasured_gold_note(
    min_accuracy: float | None,
    gold: dict[str, Any],
    emails: Mapping[str, str | None] | None = None,
) -> str:
    """What ``--gold-min-accuracy`` did when it could not check every reviewer (``gold``:
    the :func:`gold_accuracy` report, agreement.json's ``gold``, with
    ``reviewers_without_gold``: the corpus's reviewers who answered no gold passage;
    ``emails``: pseudonym -> e-mail, to name them as the flagged ones are named):
    "" when no minimum was given or every reviewer answered a gold passage. Without an
    answered gold passage (the project has no gold task, or none was answered yet) the
    minimum flags nobody, which read as every reviewer having passed; a reviewer without
    one among reviewers with one was passed over the same way, unnamed."""
    if min_accuracy is None:
        return ""
    if gold.get("reviewers"):
        missing = list(gold.get("reviewers_without_gold") or [])
        if not missing:
            return ""
        checked = len(gold["reviewers"])
        return (
            f"--gold-min-accuracy {min_accuracy:g} checked {checked} of "
            f"{checked + len(missing)} reviewers: "
            f"{', '.join(with_email(m, emails) for m in missing)} answered no gold "
            "passage, so their accuracy is not measured and they are not flagged "
            "(agreement.json gold.reviewers_without_gold); their queues' gold tasks may be "
            "unanswered yet, handed to another reviewer with their open tasks (`annotate "
            "review reassign`: a reviewer who left), or their queues have none (`annotate "
            "push ... --gold GOLD --gold-rate R` gives each queue gold tasks)"
        )
    return (
        f"--gold-min-accuracy {min_accuracy:g} checked no reviewer: no gold passage has an "
        "answer (the project has no gold task, or none was answered yet), so no reviewer's "
        "accuracy is measured and none is flagged; `annotate push PRELABELS --project NAME "
        "--gold GOLD --gold-rate R` gives each queue gold tasks"
    )
