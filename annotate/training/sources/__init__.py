"""Labeled examples for training and evaluation, from three kinds of source.

1. An export directory written by ``annotate export`` (the retraining loop): rows of
   the corpus schema with resolved ``labels``, ``spans`` and a ``split``.
2. A table in the project's own format (JSONL/CSV/Parquet with ``text`` and ``labels``
   as taxonomy category names, optional ``doc_id``, ``title``, ``passage_index`` and
   ``spans`` as ``{text, label}`` or ``{start, end, label}``); split by document.
3. Any other table (TSV too) with a declared mapping file (YAML/JSON, see
   :class:`Mapping`) from its columns to the taxonomy.

Every example carries which labels it actually supervises (``known``): a public set
that only says "threatening or not" says nothing about news_reporting.

Modules: :mod:`.examples` (the example, splits, span location), :mod:`.tables` (reading
table files and list cells), :mod:`.mapped` (kind 3), :mod:`.native` (kind 2),
:mod:`.exports` (kind 1); this module resolves a configured :class:`DataSource` to one of
them (:func:`load_examples`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate._util.near_paths import missing_path_fix
from annotate._util.plural import counted
from annotate._util.shown import shown
from annotate.errors import TrainingError
from annotate.settings import display_path
from annotate.taxonomy import Taxonomy
from annotate.training import prelabel_answers
from annotate.training.data_files import (
    DataSourceRecord,
    describe_files,
    export_files,
    location,
)
from annotate.training.sources.examples import Example, assign_split, sample_train, stable_unit
from annotate.training.sources.exports import (
    caveats_sentence,
    export_holding,
    export_provenance,
    is_export_dir,
    older_minor,
    read_export,
    read_export_rows_file,
    spans_only,
    takes_mapping,
)
from annotate.training.sources.mapped import Mapping, load_mapping, looks_english, read_mapped
from annotate.training.sources.native import read_native
from annotate.training.sources.tables import (
    SAVED_DATASET,
    glob_paths,
    is_pattern,
    native_delimiter,
    saved_dataset_files,
)
from annotate.training.table_licences import (
    PROJECT_LICENCE_SOURCE,
    project_data_licence,
    table_licences,
)

__all__ = [
    "SAVED_DATASET",
    "DataSource",
    "Example",
    "Mapping",
    "assign_split",
    "export_holding",
    "export_provenance",
    "is_export_dir",
    "load_examples",
    "load_mapping",
    "looks_english",
    "native_delimiter",
    "older_minor",
    "read_export",
    "read_export_rows_file",
    "read_mapped",
    "read_native",
    "sample_train",
    "stable_unit",
    "takes_mapping",
]

log = logging.getLogger(__name__)


@dataclass
class DataSource:
    path: str
    mapping: str | None = None
    split: str | None = None  # force every row of this source into one split
    weight: float = 1.0
    # the rows train only the evidence-span model: they supervise no label (``known``
    # emptied, ``meta["spans_only"]``); a source without span annotations is an error
    spans_only: bool = False
    # the labels the rows supervise (``known`` cut down to them); None: as read
    supervises: tuple[str, ...] | None = None
    # the path as the user gave it and the config it was written in (None: ``path`` as
    # given, with --data); recorded in the model's training.data
    given: str | None = None
    given_in: str | None = None
    # a project table without `split` and `near_dup_group` columns: documents that share
    # a near-duplicate passage (a MinHash search) are split together (read_native)
    near_dups: bool = True
    # the name a project table's rows are split, keyed and named by (None: its file's
    # stem): `evaluate` gives the name a model was trained with for the same bytes
    split_name: str | None = None


def _check_supervises(names: Sequence[str], tax: Taxonomy, path: str) -> None:
    bad = [n for n in names if n not in tax.category_names]
    if bad or not names:
        raise TrainingError(
            f"{path}: `supervises` names {bad or 'no label'}; expected categories of "
            f"labels.yaml: {', '.join(tax.category_names)}.",
            fix="list the labels this source's rows supervise (or leave `supervises` out).",
        )


def _export_part_as_given(src: DataSource, p: Path, whole: Path) -> tuple[str, str]:
    """(the data source ``p``, the export folder ``whole`` that holds it) as the user wrote
    them: ``corpus/jsonl/train.jsonl`` and ``corpus`` as a config beside the export names
    them, not by their path from the checkout (``../../../tmp/.../corpus``). The folder is
    the path as given less its parts below the export; where it cannot be (``train.jsonl``
    from inside ``corpus/jsonl``), it is named from the working directory (a --data path),
    else as recorded."""
    given = Path(src.given or src.path)
    try:
        depth = len(p.resolve().relative_to(whole.resolve()).parts)
    except ValueError:
        depth = 0
    if 0 < depth < len(given.parts) and ".." not in given.parts[-depth:]:
        return given.as_posix(), given.parents[depth - 1].as_posix()
    folder = os.path.relpath(whole) if not src.given_in else display_path(whole)
    return given.as_posix(), Path(folder).as_posix()


def _given_as(src: DataSource) -> str:
    given = src.given or src.path
    return f"`{given}` in {src.given_in}" if src.given_in else f"--data {given}"


def _refuse_repeated_sources(sources: Sequence[DataSource]) -> None:
    """Raise TrainingError for a data source given twice with the same settings (the same
    --data twice, or a config's entry again with --data): every passage of it would be
    read twice, trained on twice, or scored twice."""
    seen: dict[tuple[Any, ...], DataSource] = {}
    for src in sources:
        key = (
            os.path.realpath(src.path),
            os.path.realpath(src.mapping) if src.mapping else None,
            src.split,
            src.weight,
            src.spans_only,
            src.supervises,
        )
        if key in seen:
            raise TrainingError(
                f"{shown(src.path)} is given twice ({_given_as(seen[key])}, then "
                f"{_given_as(src)}): each of its passages would be read twice, so trained on "
                "or scored twice and counted twice in the held-out figures.",
                fix="pass each data source once (--data adds to a config's `data:`).",
            )
        seen[key] = src


TABLES_NAMED = 3  # table files of a folder named in its error (then a count)


def folder_of_tables_error(p: Path, given: str | Path) -> TrainingError:
    """The error for a folder given as data that is not an export: one ``--data`` per
    table file, the folder's table files named (the first few, then a count) with the
    options to pass them (passJ54 M4: `evaluate --data data/project` said "pass a table
    file", not that each of its 20 tables could be passed)."""
    from annotate._util.shell import sh
    from annotate.tables import TABLE_SUFFIXES

    tables = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in TABLE_SUFFIXES)
    if not tables:
        return TrainingError(
            f"{p} is a directory but not an `annotate export` output, and it holds no table "
            f"file ({', '.join(sorted(TABLE_SUFFIXES))}).",
            fix="pass the export directory, or a table file.",
        )
    base = Path(given)
    shown_tables = " ".join(f"--data {sh(base / f.name)}" for f in tables[:TABLES_NAMED])
    more = f" ... ({len(tables)} in all)" if len(tables) > TABLES_NAMED else ""
    return TrainingError(
        f"{p} is a directory but not an `annotate export` output: a folder of tables is "
        f"not read as one source (it holds {len(tables)} table file"
        f"{'' if len(tables) == 1 else 's'}).",
        fix=f"pass each table with its own --data: {shown_tables}{more}; in a training "
        "config, one `data:` entry per table.",
    )


def load_examples(
    sources: Sequence[DataSource],
    tax: Taxonomy,
    seed: int,
    strict_labels: bool = False,
    *,
    warn_split: str | None = None,
) -> tuple[list[Example], list[dict[str, Any]]]:
    """All examples, and a description of each source for the model card.
    ``strict_labels``: refuse an export's labels that an older labels.yaml of its major
    version lacks (:func:`read_export`; default: dropped with a warning). ``warn_split``:
    the split an export's per-row warnings count (None: every split; evaluate scoring one
    split is told of its rows only)."""
    _refuse_repeated_sources(sources)
    # per source: its examples and, for an export, its export time (newest passage wins)
    per_source: list[tuple[list[Example], str | None]] = []
    described = []
    for src in sources:
        p = Path(src.path)
        if not p.exists() and not (src.mapping and is_pattern(p) and glob_paths(p)):
            raise TrainingError(f"training data {p} not found.", fix=missing_path_fix(p))
        info: dict[str, Any] = {"path": display_path(src.path)}
        files: list[tuple[Path, str]] = []
        is_export = False
        if src.mapping:
            m = load_mapping(src.mapping, tax)
            exs = read_mapped(p, m, tax, seed)
            files = [(f, "data") for f in glob_paths(p)]
            files += [(files[0][0].parent / j.path, "join") for j in m.join if files]
            if p.is_dir():  # a save_to_disk folder: its Arrow files
                files[:1] = [(f, "data") for f in saved_dataset_files(p)]
            files.append((Path(src.mapping), "mapping"))
            info.update(
                kind="mapped",
                mapping=display_path(src.mapping),
                name=m.name,
                license=m.license,
                citation=m.citation,
            )
        elif (whole := export_holding(p)) is not None:
            part, folder = _export_part_as_given(src, p, whole)
            raise TrainingError(
                f"{part} is part of the `annotate export` {folder}, "
                "which is read whole (its train/validation/test splits, its manifest's "
                "checks, its label names); read alone as a table, a file of it would have "
                "its rows split again by a hash of their documents, putting passages of "
                "the export's train split into test.",
                fix=f"name the export folder itself in the config's data: `path: {folder}`."
                if src.given_in
                else f"pass the export folder: `--data {folder}`.",
            )
        elif is_export_dir(p):
            read: dict[str, Any] = {}  # the migration applied, the labels dropped
            exs = read_export(p, tax, strict_labels, found=read, warn_split=warn_split)
            # a DatasetDict another tool saved is no export: no manifest, no review record
            kind = "export" if (p / "manifest.json").is_file() else SAVED_DATASET
            is_export = kind == "export"
            info.update(kind=kind, **export_provenance(p), **read)
            if caveats := info.get("review_caveats"):  # carried into the model card too
                log.warning(
                    "%s: its review has caveats a model trained or scored on it carries (its "
                    "model card lists them): %s",
                    src.path,
                    caveats_sentence(caveats),
                )
            files = export_files(p)
        elif p.is_file():
            found: dict[str, Any] = {}
            exs = read_native(
                p, tax, seed, near_dups=src.near_dups, name=src.split_name, found=found
            )
            info.update(kind="native")
            if src.split_name and src.split_name != p.stem:  # evaluate: as trained (named)
                info["split_as"] = src.split_name
            if found.get("near_dup_documents"):  # recorded only where it moved a split group:
                # evaluate splits the same bytes so again (absent: as without the search)
                info["near_dup_documents"] = found["near_dup_documents"]
            for key in ("taxonomy_migration", "labels_dropped"):  # a split file of an export
                if key in found:
                    info[key] = found[key]
            if (
                licences := table_licences(p, native_delimiter(p))
            ) is not None:  # the card: else not recorded
                info["licenses"] = licences
            elif (own := project_data_licence(p)) is not None:  # the project wrote it
                info["licenses"] = {own: len(exs)}
                info["license_source"] = PROJECT_LICENCE_SOURCE
            files = [(p, "data")]
        elif saved_dataset_files(p):
            raise TrainingError(
                f"{p} is a `datasets` Dataset saved with save_to_disk, without splits: as "
                "training data it needs the project's columns in a DatasetDict, or a mapping.",
                fix="save it as a DatasetDict (`DatasetDict({'train': ds}).save_to_disk(...)`) "
                "or as Parquet (`ds.to_parquet('data.parquet')`), with 'text' and 'labels' "
                "(category names) or a single-label 'label' (a category name or a ClassLabel "
                "of them); or pass --mapping FILE mapping its columns.",
            )
        else:
            raise folder_of_tables_error(p, src.path)
        if src.split:
            info["split"] = src.split  # evaluate puts this source's rows in it again
        if src.supervises is not None:
            _check_supervises(src.supervises, tax, src.path)
            info["supervises"] = list(src.supervises)
        for ex in exs:
            if src.split:
                ex.split = src.split
            ex.weight *= src.weight
            if src.supervises is not None:
                ex.known &= set(src.supervises)
        if src.spans_only:
            spans_only(exs, src.path)
            info["spans_only"] = True
        info.update(_count_fields(exs, tax))
        info.update(given=src.given or src.path, given_in=src.given_in, **location(p))
        try:
            info["files"] = describe_files([f for f in files if f[0].is_file()])
        except OSError as exc:
            raise TrainingError(f"{shown(p)}: cannot read it ({exc}).") from None
        # validated by the schema annotate_model.json's training.data is read with
        described.append(DataSourceRecord.dump(info))
        per_source.append((exs, str(info.get("exported_at") or "") if is_export else None))
        log.info("%s: %d examples", p, len(exs))
    _warn_repeated_passages([ex for exs, _ in per_source for ex in exs])
    for i, (exs, _) in enumerate(per_source):
        kept = drop_repeated_passages(per_source, i)
        if len(kept) != len(exs):
            per_source[i] = (kept, per_source[i][1])
            described[i].pop("prelabel_answers", None)  # none left: not recorded
            described[i].update(_count_fields(kept, tax))
    examples = [ex for exs, _ in per_source for ex in exs]
    if not examples:
        raise TrainingError("no training examples were read.", fix="pass --data.")
    return examples, described


def _count_fields(exs: Sequence[Example], tax: Taxonomy) -> dict[str, Any]:
    """A data source's record fields that count its examples ``exs``: ``rows``,
    ``label_counts`` (per split, per label), for a source of negatives only
    ``unlabelled_counts`` and ``negatives_for``, and for an export ``prelabel_answers``
    (per split, its answers by the pre-label model they started from:
    :func:`annotate.training.prelabel_answers.counts`)."""
    counts: dict[str, dict[str, int]] = {}
    unlabelled: dict[str, int] = {}  # rows with no label (negatives), per split
    negatives: set[str] = set()  # the labels those rows are negatives for
    for ex in exs:
        c = counts.setdefault(ex.split, {})
        for lab in ex.labels:
            c[lab] = c.get(lab, 0) + 1
        if not ex.labels:
            unlabelled[ex.split] = unlabelled.get(ex.split, 0) + 1
            negatives |= ex.known
    out: dict[str, Any] = {}
    if unlabelled and not any(counts.values()):
        # a source of negatives only (a mapped rule with `labels: []`): the card
        # counts its rows per split, not an empty label list (passD51 D3)
        out["unlabelled_counts"] = dict(sorted(unlabelled.items()))
        out["negatives_for"] = [n for n in tax.category_names if n in negatives]
    out["rows"] = len(exs)
    # sorted, so that a rebuild writes the same annotate_model.json (labels are sets)
    out["label_counts"] = {split: dict(sorted(c.items())) for split, c in sorted(counts.items())}
    if (answers := prelabel_answers.counts(exs)) is not None:
        out["prelabel_answers"] = answers
    return out


def drop_repeated_passages(
    per_source: Sequence[tuple[Sequence[Example], str | None]], i: int
) -> list[Example]:
    """The examples of source ``i`` of ``per_source`` ((examples, exported_at) per
    ``--data``, exported_at None for a source that is no export) without the passages
    (by id) that a newer export also holds: each passage of overlapping exports trains
    (and is scored) once, as the newest export has it (by ``exported_at``; of two
    exports of the same time, the one given later). Logs how many were dropped, and the
    passages whose labels the exports disagree on (the newer one's are kept)."""
    exs, when = per_source[i]
    if when is None:
        return list(exs)
    newer: dict[str, Example] = {}
    for k, (other, other_when) in enumerate(per_source):
        if k == i or other_when is None or (other_when, k) < (when, i):
            continue
        for ex in other:
            if ex.id:
                newer.setdefault(ex.id, ex)
    if not newer:
        return list(exs)
    kept, dropped, differ = [], 0, []
    for ex in exs:
        if ex.id and ex.id in newer:
            dropped += 1
            if ex.labels != newer[ex.id].labels:
                differ.append(ex.id)
            continue
        kept.append(ex)
    if dropped:
        log.warning(
            "%s: %s also in a newer --data export left out, so that each trains and is "
            "scored once, as the newest export has it%s",
            exs[0].source if exs else "an export",
            counted(dropped, "passage"),
            f"; {len(differ):,} of them have other labels there (e.g. {differ[0]}): the newer "
            "export's labels are used"
            if differ
            else "",
        )
    return kept


def _warn_repeated_passages(examples: Sequence[Example]) -> None:
    """A passage of two exports (the same export twice, or two exports of one project at
    different times, whose splits differ as the reviewed set grows) would be trained on
    twice, or be in train in one and held out in the other: said here, and kept once, as
    the newest export has it (:func:`drop_repeated_passages`)."""
    splits: dict[str, list[str]] = {}
    for ex in examples:
        if ex.id and ex.source.startswith("export:"):
            splits.setdefault(ex.id, []).append(str(ex.split))
    repeated = {pid: s for pid, s in splits.items() if len(s) > 1}
    if not repeated:
        return
    crossing = sorted(pid for pid, s in repeated.items() if len(set(s)) > 1)
    log.warning(
        "%s passage(s) are in more than one --data export (e.g. %s): each is trained on "
        "and scored once, as the newest export (by its exported_at) has it, the other "
        "copies left out%s. The latest export of a project holds every passage reviewed "
        "so far: pass it alone",
        f"{len(repeated):,}",
        (crossing or sorted(repeated))[0],
        f"; {len(crossing):,} of them are in train in one and held out in another, so "
        "their split is the newest export's"
        if crossing
        else "",
    )
