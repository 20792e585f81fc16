"""Pre-label: passages in, the model's view of each passage out.

Streams the input table and predicts in windows of passages that carry each passage's
document context (its neighbours and title, as far as the classifier reads them: see
:func:`context_passages`), so the passages held at once are bounded however long a
document is and every passage gets the result it would get with its whole document.
A passage of an ``ingest --previous`` batch is read with the neighbours its row carries
(``context_before``/``context_after``: :func:`window_inputs`), as in its whole document.
Writes one row per passage: the input columns, then ``scores``, ``labels``, ``spans``
and ``model_version``.
The same row logic serves the Ray engine (:mod:`annotate.prelabeling_ray`).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from annotate._util.coerce import as_text, opt_int, opt_str
from annotate._util.licence_tally import LicenceTally, pushed_license
from annotate._util.near_paths import missing_path_fix
from annotate._util.paths import require_out_apart
from annotate._util.progress import ProgressFn, advance, resume_at, set_total
from annotate._util.progress import kept as kept_so_far
from annotate._util.shell import sh
from annotate._util.windows import DocumentOrderError, Window, checked_documents, document_windows
from annotate.classifier.base import Classifier, PassageInput, context_passages
from annotate.classifier.cue_sentences import (
    recorded_cue_times,
    recorded_subtitles,
    sentence_reach,
)
from annotate.classifier.encoder_identity import as_json
from annotate.classifier.language_id import (
    foreign_language,
    identifier_version,
    language_name,
    model_languages,
)
from annotate.classifier.turn_text import (
    CONVERSATION_COLUMN,
    predict_turns,
    read_texts,
    recorded_conversation,
)
from annotate.classifier.writing_system import (
    dominant_script,
    foreign_script,
    model_scripts,
    trained_languages,
    uses_script,
)
from annotate.errors import EmptyTableError, InputError, ModelError
from annotate.prelabel_parts import Part, PartsStore, fingerprint, require_folder_free
from annotate.table_schemas import (
    FALLBACK_THRESHOLDS_KEY,
    LANGUAGE_WARNING_COLUMN,
    NEIGHBOUR_COLUMNS,
    PASSAGE_SCHEMA,
    PRELABEL_COLUMNS,
    PRELABEL_REQUIRED_INPUT,
    PRELABEL_RUN_COLUMN,
    prelabel_fields,
)
from annotate.tables import (
    documents_table_fix,
    iter_rows_located,
    refuse_document,
    require_columns,
    table_columns,
    table_format,
)
from annotate.taxonomy import Taxonomy, TaxonomyRef, as_taxonomy

log = logging.getLogger(__name__)

# JSON: the encoder that ran (ref, package, version, weights sha256, same_as_trained)
MODEL_ENCODER = "model_encoder"
# replaced when a table is relabelled
ADDED_COLUMNS = (*PRELABEL_COLUMNS[2:], LANGUAGE_WARNING_COLUMN, MODEL_ENCODER)

# passages per classifier call (plus context): bounds memory; the engine sorts a call's
# passages by length before batching, so a larger window pads less (2,048: 3.6 % of
# tokens, 512: 10.8 %; +12 % passages per CPU second, benchmarks/README.md)
CHUNK_SIZE = 2048


@dataclass
class PrelabelStats:
    passages: int = 0
    flagged: int = 0  # passages with at least one harmful label
    model_version: str = ""
    # passages longer than the model reads (its token limit): text past it is unseen
    cut: int = 0
    token_limit: int | None = None
    first_cut: str = ""  # the id of the first such passage
    # passages mostly in a script none of the model's training languages is written in
    # (annotate.classifier.writing_system): their scores mean little
    foreign: int = 0
    first_foreign: str = ""
    first_foreign_document: str = ""  # its document (source file, else doc_id)
    foreign_scripts: dict[str, int] = field(default_factory=dict)
    trained_languages: list[str] = field(default_factory=list)
    # the model's labels whose threshold is the fallback, not fitted on validation (a
    # model trained on a small export): the warning to give, "" when none
    # (annotate.evaluation.model_card.fallback_warning)
    fallback_warning: str = ""
    # the model's examples were read otherwise than prelabel reads a passage: the warning
    # (annotate.evaluation.model_card.reading_warning), "" when none
    reading_warning: str = ""
    # passages in one of the model's scripts but identified as a language none of its
    # training languages is (annotate.classifier.language_id: German, French... for an
    # English model), by language code, and the first of them
    foreign_languages: dict[str, int] = field(default_factory=dict)
    # the run's record, as every row's prelabel_run holds it (run_record)
    run_record: str = ""
    first_foreign_language: str = ""
    first_foreign_language_document: str = ""  # its document (source file, else doc_id)
    # --engine ray: the actors started (fewer than --workers where the input has fewer
    # windows, or a local Ray fewer CPUs); None: the local engine
    actors: int | None = None


def fallback_warning_of(classifier: Any) -> str:
    """The warning on a loaded classifier whose ``annotate_model.json`` records labels
    with the fallback threshold (:func:`annotate.evaluation.model_card.fallback_warning`;
    "" when none does, or the model records no threshold sources); the CLI says it."""
    from annotate.classifier.base import threshold_record
    from annotate.evaluation.model_card import fallback_warning

    return fallback_warning(threshold_record(classifier), classifier.version)


def reading_warning_of(classifier: Any) -> str:
    """The warning on a loaded classifier trained on examples read otherwise than prelabel
    reads a passage (:func:`annotate.evaluation.model_card.reading_warning`; "" when none,
    or the model records no training); the CLI says it."""
    from annotate.classifier.base import training_record
    from annotate.evaluation.model_card import reading_warning

    return reading_warning(training_record(classifier), classifier.version)


def token_limit(classifier: Any) -> tuple[Any, int] | None:
    """(tokenizer, tokens) when ``classifier`` reads only the first ``tokens`` tokens of a
    passage and ignores the rest (a frozen encoder: the default kind and encoder-head,
    through their ``encoder``; a transformers sequence classifier); None when it reads
    every passage whole (the fine-tuned kind reads overlapping windows) or cannot say."""
    if getattr(classifier, "kind", None) == "annotate.finetuned.v1":
        return None
    holder = getattr(classifier, "encoder", None) or classifier
    tokenizer = getattr(holder, "tokenizer", None)
    limit = getattr(holder, "max_length", None)
    if tokenizer is None or not isinstance(limit, int):
        return None
    return tokenizer, limit


def count_cut(limit: tuple[Any, int] | None, rows: Sequence[dict[str, Any]]) -> list[str]:
    """The ids of ``rows`` whose text has more tokens than ``limit`` allows."""
    if limit is None:
        return []
    tokenizer, n = limit
    # a token covers at least one character: shorter texts cannot exceed the limit
    long = [r for r in rows if len(r.get("text") or "") > n - 2]
    if not long:
        return []
    ids = tokenizer([r["text"] for r in long], truncation=False, verbose=False)["input_ids"]
    return [str(r["id"]) for r, t in zip(long, ids, strict=True) if len(t) > n]


def count_foreign(
    stats: PrelabelStats, scripts: frozenset[str] | None, rows: Sequence[dict[str, Any]]
) -> None:
    """Add to ``stats`` the ``rows`` mostly written in a script none of the model's
    training languages uses (``scripts``: :func:`model_scripts`; None: not judged), and
    the other rows identified as a language none of them is (``stats.trained_languages``;
    :func:`annotate.classifier.language_id.foreign_language`: long enough and sure); and
    write each row's finding in its :data:`LANGUAGE_WARNING_COLUMN` (None for none),
    which push carries to the passage's task (passG52 G2: the console alone said it).

    Each row is judged on the text the model reads
    (:func:`annotate.classifier.turn_text.read_texts`: a conversation's speaker labels,
    ``Дмитрий: ok``, are not read; break6 K4). A language identified that is not written
    in the text's main script is not named (break6 K5: "I love 방탄소년단 so much!!",
    Korean 0.99 by py3langid, is mostly Latin letters): the script check speaks for the
    letters of other scripts."""
    languages = model_languages(stats.trained_languages)
    trained = ", ".join(stats.trained_languages)
    if scripts is None and languages is None:  # nothing to judge against
        for row in rows:
            row[LANGUAGE_WARNING_COLUMN] = None
        return
    texts = read_texts([passage_input(_with_text(row)) for row in rows])
    for row, text in zip(rows, texts, strict=True):
        row[LANGUAGE_WARNING_COLUMN] = None
        found = foreign_script(text, scripts)
        if found is not None:
            stats.foreign += 1
            if not stats.first_foreign:
                stats.first_foreign = str(row["id"])
                stats.first_foreign_document = document_of(row)
            stats.foreign_scripts[found] = stats.foreign_scripts.get(found, 0) + 1
            row[LANGUAGE_WARNING_COLUMN] = (
                f"{found.title()} script (the model was trained on {trained} text)"
            )
            continue
        lang = foreign_language(text, languages)
        if lang is not None and uses_script(lang, dominant_script(text)):
            if not stats.first_foreign_language:
                stats.first_foreign_language = str(row["id"])
                stats.first_foreign_language_document = document_of(row)
            stats.foreign_languages[lang] = stats.foreign_languages.get(lang, 0) + 1
            row[LANGUAGE_WARNING_COLUMN] = (
                f"{language_name(lang)}, identified by {identifier_version()} (the model was "
                f"trained on {trained} text)"
            )


def _with_text(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with a text and an id to read (a missing or null text as "")."""
    if isinstance(row.get("text"), str) and "id" in row:
        return row
    return {**row, "id": row.get("id"), "text": str(row.get("text") or "")}


def document_of(row: dict[str, Any]) -> str:
    """The document a row is a passage of, as a warning names it: its source file, else
    its ``doc_id``; "" when it has neither."""
    return str(row.get("source") or row.get("doc_id") or "")


OFFSET_COLUMNS = ("start", "end")  # ingest's character offsets, whole numbers
LICENSE_COLUMN = "license"  # ingest's licence of the passage's document: text or null


def _kind(value: Any, article: bool = False) -> str:
    """What a cell holds, for an error: ``list``, ``dict``; with ``article``: ``an int``."""
    kind = {"tuple": "list"}.get(type(value).__name__, type(value).__name__)
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}" if article else kind


# ingest's text columns, which a JSONL table may hold as numbers (a date 20240101, a
# title 5) or objects (a news API's source {"id": ..., "name": ...}): written as text, as
# ingest writes them (a number as its digits, an object or a list as its JSON); under the
# passages' string type they failed as a pyarrow traceback ("Expected bytes, got a 'int'
# object")
TEXT_CELLS = ("title", "source", "date", "meta")
DOC_ID_COLUMN = "doc_id"


def _coerce_text_cells(row: dict[str, Any], path: Path, where: str, pid: str) -> None:
    """Write ``row``'s :data:`TEXT_CELLS` that hold a number, a boolean, an object or a
    list as text (:func:`annotate._util.coerce.as_text`), and a number ``doc_id`` as its
    digits: the types ingest writes. A JSONL input's cells keep their JSON types; a
    Parquet input's column types are carried as they are, so its cells are left alone.
    Raises InputError for an object or a list in ``doc_id`` (no document id)."""
    if table_format(path) == "parquet":
        return
    doc = row.get(DOC_ID_COLUMN)
    if isinstance(doc, list | tuple | dict):
        raise InputError(
            f"{path}: {where} (id {pid!r}) has {_kind(doc, article=True)} in "
            f"{DOC_ID_COLUMN!r} ({str(doc)[:40]!r}); expected a string or a whole number.",
            fix="give each row the id of its document (annotate ingest writes it), or drop "
            "the column.",
        )
    for name in (DOC_ID_COLUMN, *TEXT_CELLS):
        if name in row:
            row[name] = as_text(row[name])


def _validated(
    rows: Iterable[tuple[str, dict[str, Any]]],
    path: Path,
    at: list[str],
    licences: LicenceTally | None = None,
) -> Iterator[dict[str, Any]]:
    """The rows of ``(where, row)`` pairs (:func:`annotate.tables.iter_rows_located`)
    with a non-empty id and text and no id twice, each ``license`` as ingest records it
    (canonical SPDX, or free text as given: :class:`LicenceTally`, which counts them when
    given); ``at[0]`` is kept at the ``where`` of the row last yielded (for errors found
    downstream). Raises InputError."""
    seen: set[str] = set()
    for where, row in rows:
        at[:] = [where]
        pid, text = row.get("id"), row.get("text")
        if pid is None or str(pid).strip() == "":
            raise InputError(
                f"{path}: {where} has no 'id'.",
                fix="give every row a unique id (annotate ingest assigns them).",
            )
        if isinstance(pid, list | tuple | dict):  # str() would make "['a']" its id
            raise InputError(
                f"{path}: {where} has a {_kind(pid)} in 'id' ({str(pid)[:40]!r}); expected "
                "a string or a whole number.",
                fix="give every row one id of its own (annotate ingest assigns them).",
            )
        pid = str(pid)
        if text is not None and not isinstance(text, str):
            raise InputError(
                # the row and the type only: a passage's text may be graphic or personal,
                # and an object or list in the cell may hold it (stop 51)
                f"{path}: {where} (id {pid!r}) has {_kind(text, article=True)} in 'text'; "
                "expected a string (its value is not shown).",
                fix="store the text column as strings.",
            )
        licence = row.get(LICENSE_COLUMN)
        if licence is not None and not isinstance(licence, str):
            # a number or a list is no licence (ingest refuses it too); written to Parquet
            # under the passages' string type it failed as a pyarrow traceback
            raise InputError(
                f"{path}: {where} (id {pid!r}) has {_kind(licence, article=True)} in "
                f"{LICENSE_COLUMN!r} ({str(licence)[:40]!r}); expected the licence the "
                "document was obtained under as text (an SPDX identifier such as CC-BY-4.0), "
                "or null when unknown.",
                fix="write the licence as a string (or leave it empty), or ingest the "
                "documents again with `annotate ingest --license`.",
            )
        if licence is not None:  # as ingest records it, so export keeps what push sent
            row[LICENSE_COLUMN] = (licences or pushed_license)(licence)
        _coerce_text_cells(row, path, where, pid)
        index = row.get("passage_index")
        if index not in (None, "") and opt_int(index) is None:
            raise InputError(
                f"{path}: {where} (id {pid!r}) has 'passage_index' {str(index)[:40]!r}; "
                "expected a whole number (the passage's position in its document).",
                fix="number each document's passages 0, 1, 2, ... (as `annotate ingest` "
                "does), or drop the column.",
            )
        for name in OFFSET_COLUMNS:
            offset = row.get(name)
            if offset not in (None, "") and opt_int(offset) is None:
                raise InputError(
                    f"{path}: {where} (id {pid!r}) has {name!r} {str(offset)[:40]!r}; "
                    "expected a whole number (a character offset into the document).",
                    fix=f"give {name} as `annotate ingest` wrote it, or drop the column.",
                )
        for name in ("passage_index", *OFFSET_COLUMNS):
            # a CSV holds every cell as text: "3" is written as ingest's number (the output
            # schema's int), "" as null
            if isinstance(row.get(name), str):
                row[name] = opt_int(row[name])
        said = row.get(CONVERSATION_COLUMN)
        if isinstance(said, str) and said.strip().lower() in ("true", "false", ""):
            row[CONVERSATION_COLUMN] = recorded_conversation(row)  # a CSV's "True": a bool
        if not isinstance(text, str) or not text.strip():
            raise InputError(
                f"{path}: {where} (id {pid!r}) has no text; expected a non-empty string in 'text'.",
                fix="drop empty rows or fill their text.",
            )
        if pid in seen:
            raise InputError(
                f"{path}: id {pid!r} appears twice (again at {where}); ids must be unique.",
                fix="deduplicate the table or re-create it with `annotate ingest`.",
            )
        seen.add(pid)
        row["id"] = pid
        yield row


def precheck_rows(path: Path) -> int:
    """One pass over ``path`` with the row checks of :func:`_validated` (an id and a
    non-empty text per row, no id twice, a whole-number ``passage_index``), run before a
    model loads: a bad row is reported then, not after the model's ~20 s of loading and
    the hours of scoring before its window (1.5 CPU s per 200,000 rows, AMD EPYC).
    Returns the number of rows (= passages to predict: the progress total of a JSONL or
    CSV input, whose rows no footer counts). Raises InputError."""
    _warn_replaced(path)
    rows = 0
    for _ in _validated(iter_rows_located(path), path, [""]):
        rows += 1
    return rows


def _warn_replaced(path: Path) -> None:
    """Warn when ``path`` has columns prelabel writes (``labels``, ``scores`` ...) and is
    no pre-label table (no ``model_version``): e.g. a team's own ``labels`` column, which
    the output carries no more (it was replaced without a word). A pre-label table
    relabelled by a newer model has them by design: no warning."""
    columns = table_columns(path)
    clash = [c for c in ADDED_COLUMNS if c in columns]
    if clash and "model_version" not in columns:
        names = ", ".join(repr(c) for c in clash)
        log.warning(
            "%s has column(s) %s, which prelabel writes: the output holds the model's "
            "instead (%s keeps them); rename them in the input to keep them in the output",
            path,
            names,
            path,
        )


def check_classifier(clf: Classifier, tax: Taxonomy) -> None:
    if list(clf.labels) != tax.category_names:
        missing = [c for c in tax.category_names if c not in clf.labels]
        extra = [c for c in clf.labels if c not in tax.category_names]
        raise ModelError(
            f"model {clf.version!r} labels do not match labels.yaml {tax.version}: "
            f"missing {missing}, unknown {extra}, model order {list(clf.labels)}.",
            fix="retrain the model with `annotate train` on this taxonomy, or pass the "
            "labels.yaml it was trained with (--labels).",
        )
    trained = trained_taxonomy(clf)
    digest = trained.get("sha256")
    if digest and digest != tax.content_sha256:
        log.warning(
            "model %s was trained with labels.yaml %s %s (content sha256 %s), this one is %s %s "
            "with other content (sha256 %s): the categories match, but their descriptions, "
            "examples, spans or severity levels differ; retrain the model on this labels.yaml "
            "(`annotate train`) or pass the one it was trained with (--labels)",
            clf.version,
            trained.get("name", "?"),
            trained.get("version", "?"),
            digest[:12],
            tax.name,
            tax.version,
            tax.content_sha256[:12],
        )


def trained_taxonomy(clf: Classifier) -> dict[str, str]:
    """What a model recorded of the labels.yaml it was trained for (``{"name", "version",
    "sha256"}``; models before 3 Dec 2026 lack ``sha256``), ``{}`` for a model that records
    none (a plain transformers model)."""
    config = getattr(clf, "config", None)
    tax = config.get("taxonomy") if isinstance(config, dict) else getattr(config, "taxonomy", None)
    return {str(k): str(v) for k, v in tax.items()} if isinstance(tax, dict) else {}


def encoder_json(classifier: Classifier) -> str | None:
    """The ``model_encoder`` value of ``classifier``'s rows: the identity of the encoder
    that ran (:func:`annotate.classifier.encoder_identity.running_identity`), as JSON;
    None for a classifier that records none (no encoder, or an older backend)."""
    identity = getattr(classifier, "encoder_identity", None)
    return None if identity is None else as_json(identity)


def cpu_threads(compute: dict[str, Any]) -> int | None:
    """torch's intra-op thread count where ``compute`` (:func:`runs_on`) is a CPU, else
    None (a GPU's scores do not depend on it)."""
    import torch

    device = str(compute.get("device") or "cpu")
    return torch.get_num_threads() if device.split(":")[0] == "cpu" else None


def runs_on(classifier: Classifier) -> dict[str, Any]:
    """Where ``classifier`` computes its scores: its encoder's (or its own) ``device`` and
    ``precision`` (None when it names none), as
    :func:`annotate.classifier.device.compute_identity`."""
    import torch

    from annotate.classifier.device import compute_identity

    holder = getattr(classifier, "encoder", None) or classifier
    device = getattr(holder, "device", None)
    precision = getattr(holder, "precision", None)
    return compute_identity(
        device if isinstance(device, str | torch.device) else None,
        precision if isinstance(precision, str) and precision else None,
    )


def fallback_harmful_of(classifier: Any) -> list[str]:
    """The harmful labels of ``classifier`` when none of them has a fitted threshold (all
    the fallback: :func:`annotate.evaluation.model_card.all_harmful_fall_back`), else []."""
    from annotate.classifier.base import threshold_record
    from annotate.evaluation.model_card import all_harmful_fall_back

    record = threshold_record(classifier)
    if not all_harmful_fall_back(record):
        return []
    return [str(n) for n in record.get("harmful") or []]


def run_record(
    fp: dict[str, Any],
    path: Path,
    fallback_harmful: Sequence[str] = (),
    engine: str = "local",
    precision_choice: dict[str, Any] | None = None,
) -> str:
    """The record of a prelabel run (compact JSON, on every row it writes as
    ``prelabel_run``; push carries it to the task and export lists each run once in the
    manifest's ``prelabel_runs``, as ingest's ``ingest_run``): ``run`` (an id derived from
    the rest), ``engine`` ("local", or "ray": each Ray actor records where it ran),
    ``annotate_version`` (with the git revision from a checkout), the
    ``input`` (file name, bytes, SHA-256: ``sha256sum`` of the passages file), and what
    the scores depend on, as the checkpoint's fingerprint has it
    (:func:`annotate.prelabel_parts.fingerprint`: ``model_version``, ``model_encoder``,
    ``taxonomy_sha256``, ``context``, ``compute``, ``threads``, ``reading``; not
    ``chunk_size``, which changes no row). The input's folder is left out (it names the
    user's machine). ``fallback_harmful``: the model's harmful labels when none has a
    fitted threshold (:func:`fallback_harmful_of`), recorded as ``fallback_thresholds``
    (left out when empty) so that `annotate push` can warn. ``precision_choice``: why the
    model runs at its precision (:func:`precision_choice_of`: asked, chose, why, and the
    bf16/fp32 matmul rates measured where ``auto`` decided by them), recorded as
    ``precision_choice`` but left out of the run id (the precision that ran is in
    ``compute``; a measurement's rates vary between machines' runs, not its scores). No
    time: like ingest's record, it is a function of the input and settings, so a run
    resumed after a stop writes the bytes an uninterrupted run writes (the push's time
    says when the pre-labels reached review)."""
    import hashlib

    from annotate._util.revision import tool_version

    body: dict[str, Any] = {
        "engine": engine,
        "annotate_version": tool_version(),
        "input": {
            "name": path.name,
            "bytes": fp["input"]["size"],
            "sha256": fp["input"]["sha256"],
        },
        # not env: the precision that ran is model_encoder's (ANNOTATE_PRECISION=fp32 where
        # auto runs fp32 writes the same pre-labels)
        # nor chunk_size: the window a run reads at a time gives the same rows (tests/
        # test_prelabel_windows.py), so a run cut in other windows is the same run
        **{k: v for k, v in fp.items() if k not in ("input", "annotate", "env", "chunk_size")},
    }
    if fallback_harmful:
        body[FALLBACK_THRESHOLDS_KEY] = list(fallback_harmful)
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    body = {"run": "pr-" + hashlib.sha256(canonical.encode()).hexdigest()[:12], **body}
    if precision_choice:
        body[PRECISION_CHOICE_KEY] = precision_choice
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=str)


# the run record's field saying why the model ran at its precision (not in the run id)
PRECISION_CHOICE_KEY = "precision_choice"


def precision_choice_of(classifier: Any) -> dict[str, Any] | None:
    """Why ``classifier`` (its encoder, or itself) runs at its precision: its
    ``precision_choice`` (:meth:`annotate.classifier.device.PrecisionChoice.record`),
    None for a classifier that records none."""
    holder = getattr(classifier, "encoder", None) or classifier
    choice = getattr(holder, "precision_choice", None)
    return choice if isinstance(choice, dict) else None


def output_schema(
    path: Path, first_rows: list[dict[str, Any]], tax: Taxonomy, encoder: bool = False
) -> pa.Schema:
    """The Arrow schema of a prelabel output for the passages file ``path``: its carried
    input columns (typed: a Parquet input's own schema with ``id`` as a string; for JSONL
    and CSV, every key of ``first_rows``, the first window's rows, with the known passage
    columns' types and null-only columns as strings), then the prelabel columns of
    ``tax`` (:func:`annotate.table_schemas.prelabel_fields`), then ``model_encoder`` when
    ``encoder`` (the classifier records its encoder). Both engines (this one and
    :mod:`annotate.prelabeling_ray`) write with it. Raises as pyarrow does for a Parquet
    file it cannot read."""
    added = prelabel_fields(tax)
    if encoder:
        added.append(pa.field(MODEL_ENCODER, pa.string()))
    added.append(pa.field(PRELABEL_RUN_COLUMN, pa.string()))
    added_names = {f.name for f in added} | {MODEL_ENCODER}
    if table_format(path) == "parquet":
        carried = [
            # ids are written as strings whatever the input's type (see _validated)
            pa.field("id", pa.string()) if f.name == "id" else f
            for f in pq.ParquetFile(path).schema_arrow
            if f.name not in added_names
        ]
    else:
        known = {f.name: f for f in PASSAGE_SCHEMA}
        # every key of the first window's rows (from_pylist reads the first row's only)
        names = list(dict.fromkeys(k for row in first_rows for k in row))
        inferred = pa.Table.from_pydict({n: [r.get(n) for r in first_rows] for n in names}).schema
        carried = []
        for f in inferred:
            if f.name in added_names:
                continue
            if f.name in known and (
                # a table's own column of that name (not ingest's true/false) keeps its type
                f.name != CONVERSATION_COLUMN
                or pa.types.is_boolean(f.type)
                or pa.types.is_null(f.type)
            ):
                carried.append(known[f.name].with_nullable(True))
            elif pa.types.is_null(f.type):
                carried.append(pa.field(f.name, pa.string()))
            else:
                carried.append(f)
    return pa.schema([*carried, *added])


def document_key(row: dict[str, Any]) -> str | None:
    """The document a row belongs to, as the classifiers group passages (None: alone)."""
    return opt_str(row.get("doc_id"))


def cue_reach(row: dict[str, Any]) -> int:
    """The passages each side of a window's edge a row's document needs
    (:func:`annotate.classifier.cue_sentences.sentence_reach`: a subtitle file, by its
    name or as ingest recorded it in its meta, more than its neighbours)."""
    return sentence_reach(document_key(row), recorded_subtitles(row))


def order_key(row: dict[str, Any]) -> int:
    """A row's position in its document, as the classifiers order neighbours."""
    return opt_int(row.get("passage_index")) or 0


def checked_rows(
    rows: Iterable[tuple[str, dict[str, Any]]],
    path: Path,
    context: int | None,
    licences: LicenceTally | None = None,
) -> Iterator[dict[str, Any]]:
    """Valid rows (see :func:`_validated`) whose documents are contiguous and, when the
    classifier reads neighbours (``context`` not None), in ``passage_index`` order.
    ``rows``: ``(where, row)`` pairs as :func:`annotate.tables.iter_rows_located` gives
    them; errors name a row by its ``where`` (``line M``, ``row N (line M)``, ``row N``).

    A classifier that reads each passage alone (``context`` 0) puts no condition on
    the order of rows.

    Raises InputError at the first row that breaks it."""
    at = [""]
    if context == 0:
        yield from _validated(rows, path, at, licences)
        return
    ordered = order_key if context is not None else None
    try:  # the order checks raise at the row _validated last yielded
        yield from checked_documents(_validated(rows, path, at, licences), document_key, ordered)
    except DocumentOrderError as err:
        if err.reason == "apart":
            raise InputError(
                f"{path}: document {err.doc!r} appears again at {at[0]} after "
                "other documents; a document's passages must be together.",
                fix="sort the table by doc_id, passage_index (as `annotate ingest` writes it), "
                "or give different documents different doc_id values.",
            ) from None
        raise InputError(
            f"{path}: document {err.doc!r} has its passages out of passage_index order at {at[0]}.",
            fix="sort the table by doc_id, passage_index (as `annotate ingest` writes it).",
        ) from None


def passage_input(row: dict[str, Any]) -> PassageInput:
    return PassageInput(
        id=row["id"],
        text=row["text"],
        doc_id=document_key(row),
        title=opt_str(row.get("title")),
        passage_index=opt_int(row.get("passage_index")),
        conversation=recorded_conversation(row),
        subtitles=recorded_subtitles(row),
        cue_start=(times := recorded_cue_times(row))[0],
        cue_end=times[1],
    )


def window_inputs(
    rows: Sequence[dict[str, Any]], carried: bool = True
) -> tuple[list[PassageInput], list[int]]:
    """The classifier's inputs for ``rows`` (a window, in document order) and the
    position of each row among them.

    With ``carried``, the text of a neighbour a row carries (:data:`NEIGHBOUR_COLUMNS`,
    written by ``ingest --previous`` for a passage of an edited document whose neighbour
    was dropped as already seen) goes in as a passage of its own, of the row's document
    and title, at ``passage_index`` - 1 (``context_before``) or + 1 (``context_after``),
    unless ``rows`` hold that passage; so the changed passage is read among the
    neighbours it has in the whole document. A row without ``doc_id`` or
    ``passage_index`` has no place for them: its carried text is not read."""
    inputs: list[PassageInput] = []
    positions: list[int] = []
    placed = {(document_key(r), opt_int(r.get("passage_index"))) for r in rows}

    def add_carried(row: dict[str, Any], name: str, step: int) -> None:
        text, doc, index = row.get(name), document_key(row), opt_int(row.get("passage_index"))
        if not carried or not isinstance(text, str) or not text or doc is None or index is None:
            return
        if (doc, index + step) in placed:
            return
        placed.add((doc, index + step))
        inputs.append(
            PassageInput(
                id=f"{row['id']}:{name}",
                text=text,
                doc_id=doc,
                title=opt_str(row.get("title")),
                passage_index=index + step,
                conversation=recorded_conversation(row),
                subtitles=recorded_subtitles(row),
            )
        )

    for row in rows:
        add_carried(row, NEIGHBOUR_COLUMNS[0], -1)
        positions.append(len(inputs))
        inputs.append(passage_input(row))
        add_carried(row, NEIGHBOUR_COLUMNS[1], 1)
    return inputs, positions


def label_window(
    classifier: Classifier,
    tax: Taxonomy,
    window: Window[dict[str, Any]],
    progress: ProgressFn | None = None,
) -> list[dict[str, Any]]:
    """The output rows of a window's core: carried columns + the prelabel columns.

    The classifier reads the window's passages with the neighbours they carry
    (:func:`window_inputs`), unless it reads each passage alone (:func:`context_passages`
    0), each without the speaker labels a conversation's turn opens with
    (:func:`annotate.classifier.turn_text.predict_turns`: the rows keep their text, the
    spans are on its characters). ``progress(n)`` counts the core's passages only.
    Raises ModelError when the classifier returns the wrong number of predictions."""
    inputs, positions = window_inputs(window.items, carried=context_passages(classifier) != 0)
    left = window.stop - window.start  # progress counts the core, not the context

    def forward(n: int) -> None:
        nonlocal left
        k = min(n, left)
        left -= k
        advance(progress, k)

    # a conversation turn's words without its speaker label (break47 F14)
    preds = predict_turns(classifier, inputs, progress=forward if progress is not None else None)
    if len(preds) != len(inputs):
        raise ModelError(
            f"model {classifier.version!r} returned {len(preds)} predictions for "
            f"{len(inputs)} passages.",
            fix="this is a bug in the classifier backend; report it.",
        )
    out_rows = []
    identity = encoder_json(classifier)
    core = [preds[i] for i in positions[window.start : window.stop]]
    for row, pred in zip(window.core, core, strict=True):
        carried = {k: v for k, v in row.items() if k not in ADDED_COLUMNS}
        carried.update(
            scores={k: round(float(pred.scores[k]), 6) for k in tax.category_names},
            labels=list(pred.labels),
            spans=[s.as_dict() for s in pred.spans],
            model_version=classifier.version,
        )
        if identity is not None:
            carried[MODEL_ENCODER] = identity
        out_rows.append(carried)
    advance(progress, left)
    return out_rows


def _holds_no_row(path: Path) -> bool:
    """An empty file, a Parquet file of no rows (as ingest writes when it keeps none), or
    a JSONL or CSV table without one (blank lines only, a header alone): each the same
    mistake, said in one wording by :func:`check_paths`. Reads up to the first row."""
    if path.stat().st_size == 0:
        return True
    if path.suffix.lower() != ".parquet":
        try:
            next(iter(iter_rows_located(path)), None)
        except EmptyTableError:
            return True
        except InputError as exc:  # not UTF-8, a broken line: the column check names it
            log.debug("%s: first row not read (%s)", path, exc.what)
        return False
    import pyarrow.parquet as pq

    try:
        return bool(pq.ParquetFile(path).metadata.num_rows == 0)
    except (OSError, ValueError):  # not readable Parquet: the column check names it
        return False


def _saved_dataset(path: Path) -> str | None:
    """For a ``datasets`` ``save_to_disk`` folder, the indexing that picks one table out of
    it (``""`` for a Dataset, ``['train']`` for a DatasetDict's first split); else None."""
    if (path / "state.json").is_file():
        return ""
    info = path / "dataset_dict.json"
    if info.is_file():
        try:
            splits = json.loads(info.read_text(encoding="utf-8")).get("splits") or ["train"]
        except (OSError, ValueError, AttributeError):
            splits = ["train"]
        return f"[{str(splits[0])!r}]"
    return None


def check_paths(path: Path, out_path: Path) -> None:
    """Fail before any work: bad output name, an output that is the input, missing or
    empty input, missing columns."""
    table_format(out_path, output=True, stem="prelabels")
    require_out_apart(
        out_path,
        [("the input", path)],
        consequence="the pre-labels would replace the passages they are scored from",
        example=str(out_path.with_name(f"{out_path.stem}.prelabels{out_path.suffix}")),
    )
    split = _saved_dataset(path) if path.is_dir() else None
    if split is not None:
        # a `datasets` save_to_disk folder: ingest would read its rows as whole documents
        raise InputError(
            f"{path} is a `datasets` save_to_disk folder; prelabel reads one table of "
            "passages (JSONL, CSV or Parquet, with 'id' and 'text').",
            fix='write it as a Parquet table: `python -c "import datasets; '
            f"datasets.load_from_disk('{path}'){split}.to_parquet('passages.parquet')\"`, then "
            "`annotate prelabel passages.parquet --out ...` (if its rows are whole documents, "
            f"not passages: `annotate ingest {sh(path)} --out passages.parquet` first).",
        )
    if path.is_dir():
        raise InputError(
            f"{path} is a folder; prelabel reads one table of passages.",
            fix=f"split the documents first: `annotate ingest {sh(path)} --out passages.parquet`, "
            "then `annotate prelabel passages.parquet --out ...`.",
        )
    if not path.is_file():
        fix = missing_path_fix(path, "check the path (ingest writes it).")
        raise InputError(f"{path}: no such file.", fix=fix)
    refuse_document(
        path,
        f"`annotate ingest {sh(path)} --out passages.parquet`, then pre-label passages.parquet",
    )
    if _holds_no_row(path):
        # a weekly batch whose passages were all copies of earlier runs' (`ingest
        # --previous`) is written empty: "re-run ingest" would write it empty again
        raise InputError(
            f"{path} holds no passage, so there is nothing to pre-label: it has no rows "
            "(expected a table with one passage per row).",
            fix="if its `annotate ingest` dropped every passage as a copy of a --previous "
            "file (its summary says so), this batch has nothing new to review; otherwise "
            "re-run `annotate ingest` on the documents, or add the passages to the table.",
        )
    have = table_columns(path)
    require_columns(
        path,
        have,
        PRELABEL_REQUIRED_INPUT,
        produced_by="annotate ingest",
        fix=documents_table_fix(path, have, "pre-label passages.parquet"),
    )


def refuse_replacing_out(out_path: Path) -> None:
    """InputError when ``out_path`` exists (the CLI without ``--overwrite``): it was
    replaced without a word, while ``export`` refused (faults49 F8). An interrupted run's
    passages kept beside it (``--overwrite`` was given to it, as the same command again
    gives it) are named: ``--overwrite`` resumes from them."""
    from annotate._util.paths import refuse_replacing
    from annotate.prelabel_parts import parts_folder

    folder = parts_folder(out_path)
    kept = (
        f" The passages an interrupted run writing it pre-labelled are kept in {folder}: "
        "with --overwrite the run resumes from them."
        if any(folder.glob("part-*"))
        else ""
    )
    refuse_replacing(
        out_path,
        what="the pre-labels of this run",
        example=str(out_path.with_name(f"{out_path.stem}-2{out_path.suffix}")),
        kept=kept,
    )


def prelabel(
    input_path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    model: str | os.PathLike[str] | None = None,
    taxonomy: TaxonomyRef = None,
    classifier: Classifier | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: ProgressFn | None = None,
    restart: bool = False,
    on_resume: Callable[[Resumed], None] | None = None,
    on_checked: Callable[[], None] | None = None,
    overwrite: bool = True,
) -> PrelabelStats:
    """Pre-label every passage of ``input_path`` and write ``out`` atomically.

    ``input_path``: ingest output, or any JSONL/CSV/Parquet table with ``id`` and
    ``text`` (other columns are carried through); a document's passages (rows sharing a
    ``doc_id``) must be together and in ``passage_index`` order, as ingest writes them.
    ``out``: .jsonl or .parquet, one row per passage in input order: the input columns,
    ``scores`` {category: probability in [0, 1]}, ``labels`` [category names], ``spans``
    [{start, end, label, score}] (character offsets into ``text``) and ``model_version``.
    ``model``: a model directory or hub id (default: the shipped default model, see
    :func:`annotate.settings.default_model_dir`); ``classifier`` replaces ``model`` with
    a loaded one. ``taxonomy``: a loaded Taxonomy or the path of a taxonomy file (None:
    the default labels.yaml). ``progress(n)`` is called as passages are scored.
    Passages go to the model in windows of at most ``chunk_size`` passages plus their
    neighbours as context (:func:`context_passages`), so the passages held at once do not
    grow with a document's length and results equal those of the whole document; a classifier that
    reads whole documents gets whole documents.

    Checkpointed (:mod:`annotate.prelabel_parts`): each window's rows are kept in a
    hidden folder beside ``out`` (``.NAME.resume``) until ``out`` is written, so a call
    after an interrupted one with the same input, model and settings scores only the
    windows not done yet and writes the output an uninterrupted call writes (same rows,
    order and scores); it logs what it resumes, tells ``on_resume`` (a
    :class:`Resumed`), and its ``progress`` starts at the passages done
    (:func:`annotate._util.progress.resume_at`). Parts of another input, model or
    settings are discarded with a warning; ``restart`` discards them in any case.
    ``on_checked()`` is called once the parts an earlier call kept have been checked
    against this call's input, model and settings (after the model loads): from then on,
    the parts in the folder are this call's, which the same call again resumes from.
    ``overwrite``: False (the CLI without ``--overwrite``) refuses an ``out`` that exists
    (:func:`refuse_replacing_out`), before the model loads.

    Raises InputError (missing/empty input, bad output name, a document's passages
    apart or out of order, another run writing the same ``out``), SchemaError (missing
    columns), TaxonomyError, ModelError (model unloadable or not matching the taxonomy).
    """
    path = Path(input_path)
    out_path = Path(out)
    check_paths(path, out_path)
    if not overwrite:
        refuse_replacing_out(out_path)
    require_folder_free(out_path)  # before the model loads
    tax = as_taxonomy(taxonomy)
    from annotate.review.gold import check_gold_answers  # a gold sheet: before the model

    check_gold_answers(path, tax)
    total: int | None = None
    if classifier is None:
        from annotate.classifier import load_classifier

        total = precheck_rows(path)
        set_total(progress, total)

        classifier = load_classifier(model, tax)
    check_classifier(classifier, tax)
    context = context_passages(classifier)
    harmful = set(tax.harmful)
    identity = encoder_json(classifier)
    fp = fingerprint(
        path,
        model_version=classifier.version,
        encoder=identity,
        taxonomy_sha256=tax.content_sha256,
        chunk_size=chunk_size,
        context=context,
        compute=(compute := runs_on(classifier)),
        threads=cpu_threads(compute),
    )
    fmt = table_format(out_path, output=True)
    with PartsStore(out_path, fmt) as store:
        try:
            state = store.open(fp, restart=restart)
        except BaseException:
            # e.g. a full disk while the state is first written: with no part on disk
            # there is nothing to resume, so no folder is left behind
            if not store.holds_parts():
                store.remove()
            raise
        if on_checked is not None:
            on_checked()
        done = state.rows
        stats = PrelabelStats(**state.stats) if done else PrelabelStats()
        stats.model_version = classifier.version
        # a resumed run keeps the record (and start time) of the run it finishes
        stats.run_record = stats.run_record or run_record(
            fp,
            path,
            fallback_harmful=fallback_harmful_of(classifier),
            precision_choice=precision_choice_of(classifier),
        )
        limit = token_limit(classifier)
        stats.token_limit = limit[1] if limit else None
        stats.trained_languages = trained_languages(classifier)
        stats.fallback_warning = fallback_warning_of(classifier)
        stats.reading_warning = reading_warning_of(classifier)
        scripts = model_scripts(stats.trained_languages)
        if done:
            resumed = Resumed(done, total, store.folder)
            log.info("%s", resumed.said())
            resume_at(progress, done)
            if on_resume is not None:
                on_resume(resumed)
        kept_so_far(progress, done)  # a stop says how many of the passages scored are kept
        licences = LicenceTally()
        schema: pa.Schema | None = None
        kept = iter(state.parts)
        try:
            rows = checked_rows(iter_rows_located(path), path, context, licences)
            # a subtitle cue is read within its sentence: a window that cuts a subtitle
            # file carries the cues its edge cuts off
            windows = document_windows(rows, chunk_size, context, document_key, cue_reach)
            for window in windows:
                if schema is None and fmt == "parquet":
                    schema = output_schema(path, window.core, tax, encoder=identity is not None)
                part = next(kept, None)
                if part is not None:  # scored by an earlier run: the same window, replayed
                    _require_same(window.core, part, store)
                    continue
                out_rows = label_window(classifier, tax, window, progress)
                if cut := count_cut(limit, out_rows):
                    stats.first_cut = stats.first_cut or cut[0]
                    stats.cut += len(cut)
                count_foreign(stats, scripts, out_rows)
                stats.flagged += sum(bool(harmful.intersection(r["labels"])) for r in out_rows)
                stats.passages += len(out_rows)
                for r in out_rows:
                    r[PRELABEL_RUN_COLUMN] = stats.run_record
                store.add(out_rows, schema, asdict(stats))
                kept_so_far(progress, stats.passages)
        except InputError:
            store.remove()  # a fixed input is another input: nothing of this one is reused
            raise
        except BaseException:
            if not store.state or not store.state.parts:
                store.remove()  # nothing kept: no folder left behind
            raise
        store.assemble(schema)
    licences.log(log, str(path))
    log.info(
        "pre-labelled %d passages with %s (%d flagged harmful%s)",
        stats.passages,
        stats.model_version,
        stats.flagged,
        f"; {done} of them by an earlier run" if done else "",
    )
    return stats


@dataclass
class Resumed:
    """A resumed pre-label: ``done`` passages scored by an earlier run (of ``total``, when
    the input's rows were counted), kept in ``folder``."""

    done: int
    total: int | None
    folder: Path

    def said(self) -> str:
        of = f" of {self.total:,}" if self.total is not None else ""
        return (
            f"resuming: {self.done:,}{of} passages already pre-labelled in a previous run "
            f"(kept in {self.folder})"
        )


def _require_same(core: Sequence[dict[str, Any]], part: Part, store: PartsStore) -> None:
    """InputError when a replayed window is not the one a part holds (never expected: the
    fingerprint binds the input and the windows)."""
    if (
        len(core) == part.rows
        and str(core[0]["id"]) == part.first_id
        and (str(core[-1]["id"]) == part.last_id)
    ):
        return
    raise InputError(
        f"{store.folder}/{part.file} holds passages {part.first_id!r}..{part.last_id!r} "
        f"({part.rows}), but the input's window there is {core[0]['id']!r}..{core[-1]['id']!r} "
        f"({len(core)}): the parts do not match the input.",
        fix="run the command again with --restart (the parts are discarded and the input "
        "is scored afresh).",
    )
