"""Export directories written by ``annotate export`` (the retraining loop), and their provenance."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from annotate._util.export_dir import export_holding as export_holding  # re-exported
from annotate._util.export_dir import is_export_dir as is_export_dir
from annotate._util.os_files import without_os_files
from annotate._util.plural import counted
from annotate._util.shown import shown
from annotate.classifier.cue_sentences import recorded_cue_times, recorded_subtitles
from annotate.classifier.turn_text import recorded_conversation
from annotate.corpus.offered import NOT_OFFERED_LEFT_OUT, NOT_OFFERED_VOTE_KEY, row_not_offered
from annotate.corpus.resolve import tied_categories, tied_spans
from annotate.corpus.schema import SPLITS
from annotate.errors import TrainingError
from annotate.taxonomy import Migration, Taxonomy
from annotate.training.sources.examples import Example, gold_spans, locate_spans
from annotate.training.sources.export_taxonomy import (
    export_labels_copy,
    export_migration,
    migrate_rows,
    migrated_names,
    migration_said,
    use_export_labels,
)
from annotate.training.sources.single_label import (
    LABEL_COLUMN,
    check_class_names,
    class_names,
    label_cell,
    one_category,
    single_label,
)
from annotate.training.sources.tables import labels_cell, no_labels_column, parquet_features

log = logging.getLogger(__name__)


def takes_mapping(path: Path) -> bool:
    """Whether the command line's ``--mapping`` applies to the ``--data`` path: every
    path but an ``annotate export`` (a folder with its ``manifest.json``), whose labels
    are already the taxonomy's; a plain ``save_to_disk`` folder takes it."""
    return not (is_export_dir(path) and (path / "manifest.json").is_file())


def _warn_if_altered(path: Path, manifest: dict[str, Any]) -> None:
    """Warn when an export no longer matches its manifest's checksums (`annotate verify`):
    its labels may not be the reviewers' any more. A manifest without checksums (not
    written by export) is not checked."""
    if not isinstance(manifest.get("files"), dict):
        return
    from annotate.audit.verify import VerifyError, check

    try:
        mismatches = check(path).mismatches
        found = [str(m) for m in mismatches]
        changed = sorted({m.path for m in mismatches})
    except VerifyError as exc:
        found, changed = [exc.what], []
    if found:
        log.warning(
            "%s does not match its manifest (%s mismatch(es), e.g. %s): it changed after "
            "export, so its labels may not be the reviewers'; training on it anyway, %s "
            "(`annotate verify %s` names every change; export again to train on what the "
            "reviewers decided)",
            path,
            f"{len(found):,}",
            found[0],
            copy_read_said(path, changed),
            path,
        )


def copy_read(path: Path) -> str:
    """The copy of the export ``path`` that training reads: ``"hf/"`` (the Arrow
    dataset) when it holds one, else ``"jsonl/"`` (:func:`load_export`)."""
    return "hf/" if (path / "hf" / "dataset_dict.json").is_file() else "jsonl/"


def copy_read_said(path: Path, changed: list[str]) -> str:
    """Which copy of the export ``path`` trains, said against ``changed`` (the files,
    relative to ``path``, that no longer match the manifest): "reading hf/ (which
    matches the manifest): the changes in jsonl/train.jsonl are not used (a label is
    corrected in Label Studio, then exported again; or give a corrected table with
    --data)", or "reading hf/, which is among the changed files"."""
    read = copy_read(path)
    mine = [c for c in changed if c.startswith(read)]
    others = [c for c in changed if not c.startswith(read) and c != "manifest.json"]
    if mine:
        return f"reading {read}, which is among the changed files ({', '.join(mine[:3])})"
    if not others:
        return f"reading {read}"
    shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
    return (
        f"reading {read} (which matches the manifest): the changes in {shown} are NOT "
        "used (correct a label in Label Studio and export again, or train on a corrected "
        "copy of the table itself: --data corrected.jsonl)"
    )


def _warn_if_unfinished(path: Path, manifest: dict[str, Any]) -> None:
    """Warn when the export was made while tasks in Label Studio had no answer yet
    (manifest ``tasks_unanswered_in_label_studio``, exports since 2026-12)."""
    open_tasks = manifest.get("tasks_unanswered_in_label_studio")
    rows = (manifest.get("rows") or {}).get("total")
    if rows == 0:  # nothing reviewed: the error that it has no rows says it, without this
        return
    if isinstance(open_tasks, int) and open_tasks > 0:
        log.warning(
            "%s was exported while %s in Label Studio had no answer yet (it holds "
            "%s reviewed passage(s)): a model trained on it learns, and figures scored on "
            "it measure, part of the review; export again once the review is done",
            path,
            counted(open_tasks, "task"),
            f"{rows:,}" if isinstance(rows, int) else "its",
        )


def export_provenance(path: Path) -> dict[str, Any]:
    """What the model card records of an export it was trained on: the project, the export
    time and the SHA-256 of its ``manifest.json`` (which `annotate verify --manifest-sha256`
    checks, so the card names the exact corpus)."""
    manifest = path / "manifest.json"
    if not manifest.is_file():
        return {}
    from annotate.audit.verify import sha256_file

    out: dict[str, Any] = {"manifest_sha256": sha256_file(manifest)}
    try:
        info = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return out
    if isinstance(info, dict):
        project = info.get("project")
        if isinstance(project, dict) and isinstance(project.get("title"), str):
            out["project"] = project["title"]
        if isinstance(info.get("exported_at"), str):
            out["exported_at"] = info["exported_at"]
        if (licences := _export_licences(info.get("licenses"))) is not None:
            out["licenses"] = licences
        if caveats := export_caveats(path, info):
            out["review_caveats"] = caveats
    return out


def export_caveats(path: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """What of an export's review a model trained on it should carry (passD51 D12), from
    its manifest (and, for the flagged reviewers' answers, its JSONL rows); only the
    caveats that hold, empty when none:

    ``flagged_reviewers`` ({pseudonym: answers in the rows}: reviewers who failed the gold
    check, ``gold_min_accuracy``), ``personal_data`` (the export was not ``--redact``ed:
    ``rows_with_email_addresses`` per field, only those holding one), ``masked_text`` (it
    was, and its text holds placeholders: {kind: count}, newuser59), ``label_ties`` and
    ``ties_not_sent_to_adjudication`` (rows no lead decided), ``passages_without_category``,
    ``answers_after_adjudication_exposure`` (not blind), ``answers_changed_after_round``
    (late changes), ``tasks_unanswered`` (the review was under way) and ``partial_of`` (one
    reviewer's queue of a review set)."""
    review = manifest.get("review") if isinstance(manifest.get("review"), dict) else {}
    out: dict[str, Any] = {}
    flagged = [str(n) for n in review.get("flagged_reviewers") or []]
    if flagged:
        out["flagged_reviewers"] = _answers_of(path, flagged)
        out["gold_min_accuracy"] = review.get("gold_min_accuracy")
    redaction = manifest.get("redaction") if isinstance(manifest.get("redaction"), dict) else {}
    if redaction and not redaction.get("ran"):
        emails = redaction.get("rows_with_email_addresses") or {}
        held = {str(k): int(v) for k, v in emails.items() if isinstance(v, int) and v}
        if held:
            out["personal_data"] = {"redacted": False, "rows_with_email_addresses": held}
    if redaction.get("ran") and (masked := _masked_in_text(redaction)):
        out["masked_text"] = masked
    for key, value in (
        ("label_ties", manifest.get("label_ties")),
        ("ties_not_sent_to_adjudication", review.get("ties_not_sent_to_adjudication")),
        ("passages_without_category", manifest.get("passages_without_category")),
        (
            "answers_after_adjudication_exposure",
            ((review.get("mode") or {}).get("adjudication_exposure") or {}).get(
                "answers_after_exposure"
            ),
        ),
        (
            "answers_changed_after_round",
            (review.get("answers_changed_after_round") or {}).get("answers"),
        ),
        ("tasks_unanswered", manifest.get("tasks_unanswered_in_label_studio")),
    ):
        if isinstance(value, int) and value:
            out[key] = value
    if isinstance(review.get("partial_of"), dict):
        out["partial_of"] = dict(review["partial_of"])
    return out


def _masked_in_text(redaction: dict[str, Any]) -> dict[str, int]:
    """Placeholders per kind that ``export --redact`` put in the rows' ``text`` (the
    manifest's ``redaction.masked_at_export.placeholders.text``), those above 0, by kind;
    empty when none or not recorded."""
    at_export = redaction.get("masked_at_export")
    placeholders = at_export.get("placeholders") if isinstance(at_export, dict) else None
    text = placeholders.get("text") if isinstance(placeholders, dict) else None
    if not isinstance(text, dict):
        return {}
    return {str(k): int(v) for k, v in sorted(text.items()) if isinstance(v, int) and v > 0}


def _answers_of(path: Path, reviewers: list[str]) -> dict[str, int]:
    """Answers per reviewer pseudonym of ``reviewers`` in an export's JSONL rows (0 when
    they cannot be read: the manifest still names the reviewer)."""
    from annotate.audit.formats import jsonl_rows

    found = dict.fromkeys(reviewers, 0)
    try:
        for file in sorted((path / "jsonl").glob("*.jsonl")):
            for _, row in jsonl_rows(file):
                for ann in row.get("annotations") or []:
                    if isinstance(ann, dict) and ann.get("reviewer") in found:
                        found[ann["reviewer"]] += 1
    except (OSError, ValueError):
        pass
    return found


def caveats_sentence(caveats: dict[str, Any]) -> str:
    """An export's :func:`export_caveats` in words ("" when none), for the model card and
    train's warning."""
    parts = []
    if flagged := caveats.get("flagged_reviewers"):
        at = caveats.get("gold_min_accuracy")
        who = ", ".join(f"{n} ({counted(a, 'answer')})" for n, a in flagged.items())
        parts.append(
            f"answers of reviewers who failed the gold check"
            f"{f' (min accuracy {at})' if at is not None else ''}: {who}"
        )
    if personal := caveats.get("personal_data"):
        fields = ", ".join(f"{k} {v}" for k, v in personal["rows_with_email_addresses"].items())
        parts.append(
            f"personal data: exported without --redact, rows holding e-mail addresses ({fields}; "
            "other kinds not counted)"
        )
    if masked := caveats.get("masked_text"):
        kinds = ", ".join(f"{k} {v}" for k, v in masked.items())
        parts.append(
            f"text masked by export --redact (placeholders in text: {kinds}): a model "
            "trained on it learns placeholders ([NAME-1], ...) that the raw text it "
            "pre-labels does not hold, and scores on it are on masked text; use the in-house "
            "export (made without --redact) to train or evaluate"
        )
    said = {
        "label_ties": "tied or undecided votes",
        "ties_not_sent_to_adjudication": "ties never sent to a lead",
        "passages_without_category": "passages without a category",
        "answers_after_adjudication_exposure": "answers made or changed after the adjudication "
        "project showed their passage (not blind)",
        "answers_changed_after_round": "answers changed after adjudication started",
        "tasks_unanswered": "tasks unanswered when exported (the review was under way)",
    }
    parts += [f"{caveats[k]} {what}" for k, what in said.items() if caveats.get(k)]
    if partial := caveats.get("partial_of"):
        parts.append(
            f"the lead's adjudication project of the review set {partial.get('review_set')!r} "
            "only (the lead's decisions, no reviewer's answers)"
            if partial.get("part") == "adjudication"
            else f"one reviewer's queue of the review set {partial.get('review_set')!r} only "
            "(no other reviewer's answers, no lead's decisions)"
        )
    return "; ".join(parts)


def _export_licences(tally: Any) -> dict[str, int] | None:
    """Passages per licence of an export's manifest ``licenses`` (``by_license`` and
    ``unknown``, as ingest recorded them), for the model card: ``{"CC-BY-4.0": 10,
    "unknown": 4}``, most first; None when the manifest has no such tally."""
    if not isinstance(tally, dict) or not isinstance(tally.get("by_license"), dict):
        return None
    out = {
        str(name): int(entry["rows"])
        for name, entry in tally["by_license"].items()
        if isinstance(entry, dict) and isinstance(entry.get("rows"), int) and entry["rows"]
    }
    unknown = tally.get("unknown")
    if isinstance(unknown, dict) and isinstance(unknown.get("rows"), int) and unknown["rows"]:
        out["unknown"] = unknown["rows"]
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def read_export(
    path: Path,
    tax: Taxonomy,
    strict_labels: bool = False,
    found: dict[str, Any] | None = None,
    *,
    warn_split: str | None = None,
) -> list[Example]:
    """An ``annotate export`` directory (the retraining loop): its saved DatasetDict
    (``hf/``; ClassLabel ids decoded with the features' own names), else ``jsonl/``.
    Rows keep the export's train/validation/test split.

    A label of the export that labels.yaml lacks is refused (TrainingError), except when
    labels.yaml is an older version of the same major one than the export's (labels added
    since: dropped with a warning naming the export's own labels.yaml; ``strict_labels``
    refuses them too); see :func:`_unknown_labels`. An export made with another labels.yaml
    version is read through the migration labels.yaml declares from it (its rows' labels
    renamed, as `annotate export --labels` renames older answers); another major version
    without one is refused (:func:`~annotate.training.sources.export_taxonomy.
    export_migration`).

    ``found`` (filled when given, for the training record): ``taxonomy_migration`` (the
    migration applied: ``{"from", "to", "categories", "spans", "severity", "passages"}``)
    and ``labels_dropped`` (``{"version", "labels": {name: passages}}``: labels added after
    labels.yaml, left out). ``warn_split``: the split whose rows the per-row warnings
    count (a passage left out unresolved, categories masked on a tie; None: every split),
    e.g. the one `annotate evaluate --split` scores."""
    manifest = path / "manifest.json"
    version = ""
    offered: set[str] | None = None
    recorded: dict[str, set[str]] = {}
    info: dict[str, Any] = {}
    migration = None
    if manifest.is_file():
        info = json.loads(manifest.read_text(encoding="utf-8"))
        _warn_if_altered(path, info)
        _warn_if_unfinished(path, info)
        version = str(info.get("taxonomy", {}).get("version", ""))
        migration = export_migration(path, info, version, tax)
        offered = migrated_names(_offered_categories(info), migration)
        recorded = _not_offered_record(info, migration)
    rows: list[dict[str, Any]] = []
    supervised: set[str] | None = None  # a `label` ClassLabel's names: what its rows supervise
    hf = path / "hf" if (path / "hf" / "dataset_dict.json").is_file() else path
    if (hf / "dataset_dict.json").is_file():
        from datasets import load_from_disk

        for split, ds in load_from_disk(str(hf)).items():
            single = single_label(list(ds.column_names))  # `label`: each row's one category
            if "labels" not in ds.column_names and not single:
                no_labels_column(path, list(ds.column_names))
            if "text" not in ds.column_names:
                raise TrainingError(
                    f"{path}: split {split!r} has no 'text' column (found "
                    f"{', '.join(map(repr, ds.column_names))}).",
                    fix="name the passage text column 'text' (`ds.rename_column(OLD, 'text')`), "
                    "or write the data as a table and pass --mapping FILE.",
                )
            names = _classlabel_names(ds.features)
            ids_named = class_names(ds.features) if single else None
            if ids_named and set(ids_named) != supervised:  # each split's, checked once
                checked = check_class_names(path, ids_named, tax)
                supervised = checked if supervised is None else supervised & checked
            for n, r in enumerate(ds):
                if single:
                    where = f"split {split!r} row {n + 1}"
                    cell = label_cell(r.get(LABEL_COLUMN), ids_named, path, where)
                    r["labels"] = one_category(
                        labels_cell(cell, path, where, LABEL_COLUMN), path, where
                    )
                r = _decode_classlabels(dict(r), names)
                r["split"] = split
                rows.append(r)
    elif (path / "jsonl").is_dir():
        from annotate.tables import iter_jsonl

        for f in without_os_files(sorted((path / "jsonl").glob("*.jsonl"))):
            if f.stat().st_size:
                for r in iter_jsonl(f):
                    r.setdefault("split", f.stem)
                    rows.append(r)
    if not rows:
        raise TrainingError(f"{path}: the export has no rows.", fix="export reviewed tasks first.")
    if migration is not None:
        _apply_migration(path, rows, migration, tax, found)
    exs = _examples_of_export_rows(
        rows,
        path,
        tax,
        version,
        strict_labels,
        offered,
        labels_fix=use_export_labels(path, info, version),
        labels_file=copy.name if (copy := export_labels_copy(path, info)) else "",
        migrated=migration is not None,
        found=found,
        unoffered_record=recorded,
        offered_vote=info.get(NOT_OFFERED_VOTE_KEY) == NOT_OFFERED_LEFT_OUT,
        warn_split=warn_split,
    )
    if supervised is not None:
        for ex in exs:
            ex.known &= supervised
    return exs


def _not_offered_record(info: dict[str, Any], migration: Any) -> dict[str, set[str]]:
    """The manifest's ``labels_not_offered`` (labels.yaml version of answers -> the
    categories its labeling config did not offer), names read through ``migration``; {}
    when it has none."""
    raw = info.get("labels_not_offered")
    if not isinstance(raw, dict):
        return {}
    return {
        str(v): migrated_names({str(c) for c in cats}, migration) or set()
        for v, cats in raw.items()
        if isinstance(cats, list)
    }


def _apply_migration(
    path: Path,
    rows: list[dict[str, Any]],
    migration: Migration,
    tax: Taxonomy,
    found: dict[str, Any] | None,
) -> None:
    """Rename ``rows``' labels through ``migration`` (:func:`migrate_rows`), log it, and
    record it in ``found["taxonomy_migration"]`` (``{"from", "to", "categories", "spans",
    "severity", "passages" (rows with a resolved label renamed),
    "passages_only_answers_renamed" (rows with only an answer's renamed)}``)."""
    record: dict[str, Any] = {**migration.record(), "to": tax.version}
    record["passages"], record["passages_only_answers_renamed"] = migrate_rows(rows, migration, tax)
    log.info("%s: read through labels.yaml's migration: %s", path, migration_said(record))
    if found is not None:
        found["taxonomy_migration"] = record


def refuse_moved_categories(path: Path, tax: Taxonomy) -> None:
    """:func:`refuse_categories_moved` for the export folder ``path`` (its
    ``manifest.json``; nothing when it has none or it cannot be read: reading the export
    says so). `annotate train` checks each export it reads, before reading it."""
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(manifest, dict):
        refuse_categories_moved(path, manifest, tax)


def refuse_categories_moved(path: Path, manifest: dict[str, Any], tax: Taxonomy) -> None:
    """TrainingError when labels.yaml, of the very version the export's labels.yaml had,
    gives one of its categories another id (position): a copy with two categories swapped
    and the version unchanged trained a model without a word, which then loaded with no
    labels.yaml the team had, the error asking for "violent-content 1.0.0", the version
    they passed (passF52 F4). The manifest records the categories in order and the
    content SHA-256, which tell the two files apart where the version cannot. Another
    version that moves ids is refused where the team adopts it (push, export, `taxonomy
    check --against`): train takes it, and the model loads with it."""
    recorded = manifest.get("taxonomy") or {}
    cats = recorded.get("categories")
    if not isinstance(cats, list) or str(recorded.get("version") or "") != tax.version:
        return
    names = [str(c["name"]) for c in cats if isinstance(c, dict) and c.get("name")]
    new = tax.label2id
    moved = [f"{n} {i} -> {new[n]}" for i, n in enumerate(names) if n in new and new[n] != i]
    if not moved:
        return
    sha = str(recorded.get("sha256") or "")
    shas = f"; content sha256 {sha[:12]} there, {tax.content_sha256[:12]} here" if sha else ""
    order = names + [n for n in tax.category_names if n not in names]
    raise TrainingError(
        f"labels.yaml {tax.version} orders the categories otherwise than the labels.yaml "
        f"{tax.version} (the same version) {path} was exported with ({', '.join(moved)}"
        f"{shas}): a category's id is its position, so the model would score its labels "
        "under other ids than the labels.yaml the export and its team use, and would not "
        "load with theirs.",
        fix=f"pass the labels.yaml the export was made with (--labels FILE, its categories "
        f"in this order: {', '.join(order)}); if the new order is meant, give labels.yaml a "
        "new MAJOR version and export again.",
    )


def _offered_categories(manifest: dict[str, Any]) -> set[str] | None:
    """The categories the export's labels.yaml offered its reviewers (manifest
    ``taxonomy.categories[].name``); None when the manifest does not list them."""
    cats = (manifest.get("taxonomy") or {}).get("categories")
    if not isinstance(cats, list):
        return None
    names = {str(c["name"]) for c in cats if isinstance(c, dict) and c.get("name")}
    return names or None


def prelabel_record(row: dict[str, Any]) -> dict[str, Any]:
    """What an export row records of the pre-labels its reviewers were shown: the model
    versions whose predictions its answers' tasks showed (``shown_model_versions``,
    ``annotations[].model_version``) and those an answer records starting from
    (``started_from_versions``, ``started_from_prediction``); empty lists when none (a
    row exported before these were recorded). ``annotate evaluate`` reads them: a model
    scored on labels its own pre-labels anchored is not held out (passD51 D11). Also, per
    answer, ``[model version shown or "", started from its prediction]``
    (``answer_prelabels``), which the training record counts per split
    (:func:`annotate.training.prelabel_answers.counts`)."""
    answers = [a for a in row.get("annotations") or [] if isinstance(a, dict)]
    shown = {str(a["model_version"]) for a in answers if a.get("model_version")}
    started = {
        str(a["model_version"])
        for a in answers
        if a.get("model_version") and a.get("started_from_prediction")
    }
    return {
        "shown_model_versions": sorted(shown),
        "started_from_versions": sorted(started),
        "answer_prelabels": [
            [str(a.get("model_version") or ""), bool(a.get("started_from_prediction"))]
            for a in answers
        ],
    }


def _examples_of_export_rows(
    rows: list[dict[str, Any]],
    path: Path,
    tax: Taxonomy,
    version: str,
    strict_labels: bool,
    offered: set[str] | None = None,
    *,
    labels_fix: str = "--labels FILE",
    labels_file: str = "",
    migrated: bool = False,
    found: dict[str, Any] | None = None,
    unoffered_record: Mapping[str, set[str]] | None = None,
    offered_vote: bool = False,
    warn_split: str | None = None,
) -> list[Example]:
    """Examples of an export's rows (label names, each row's ``split``; a row without one
    trains): a tie no lead decided trains on the categories its reviewers agreed on, those
    they split on evenly masked (and its evenly split spans); a row without a resolved
    category is left out; both with a warning naming ``path``. A category of labels.yaml
    that ``offered`` (the export's own labels.yaml's categories) lacks, one added since,
    is masked on every row, since no reviewer could choose it, with a warning.
    ``labels_fix``: how to pass the export's own labels.yaml (for the fixes), ``labels_file``
    its name in the export folder ("" when it has none); ``migrated``:
    its rows were read through labels.yaml's migration; ``found``: as :func:`read_export`'s.
    ``unoffered_record``: the manifest's ``labels_not_offered`` (version of answers -> the
    categories its labeling config lacked): on a row no lead decided, a category none of
    its answers was offered is masked (undecided, not a "no"), and a tie is read over the
    answers offered each category; ``offered_vote`` False (an export made before its vote
    left those answers out, manifest ``labels_not_offered_vote``): every category any of
    a row's answers was not offered is masked on it (its "no" may rest on forced no's).
    A category the row's labels hold is never masked. ``warn_split``: the split whose
    rows those warnings count (None: every split)."""
    from annotate.corpus.splits import ingest_group_column

    names = set(tax.category_names)
    not_offered = names - offered if offered else set()
    span_names = set(tax.span_names)
    # a group's first passage names it for the others; one of an earlier ingest run
    # (``ingest --previous``) carries none itself: ingest_group_column links it too
    groups = ingest_group_column(rows)
    out = []
    unresolved: dict[str, int] = {}
    undecided: Counter[str] = Counter()  # categories a tied row's reviewers split on
    unasked: Counter[str] = Counter()  # categories a row's answers were not offered
    undecided_spans = 0  # spans a tied row's reviewers split on (masked in span training)
    unknown: Counter[str] = Counter()  # labels this labels.yaml lacks -> passages
    only_unknown = 0
    dropped_from = 0  # passages that carry a label this labels.yaml lacks
    warned_rows = 0  # rows of ``warn_split`` (all: every row)
    warned_out = 0  # examples of them
    for n, (r, group) in enumerate(zip(rows, groups, strict=True)):
        split = r.get("split") if r.get("split") in SPLITS else "train"
        # the per-row warnings below count the rows of warn_split only
        warns = warn_split is None or split == warn_split
        warned_rows += warns
        given = list(r.get("labels") or [])
        labels = [x for x in given if x in names]
        unknown.update({x for x in given if x not in names})
        dropped_from += len(labels) < len(given)
        if given and not labels:
            only_unknown += 1
            continue
        if not labels:  # unresolved (e.g. a tie) rows carry no label
            if warns:
                unresolved[split] = unresolved.get(split, 0) + 1
            continue
        split_on = tied_categories(r, unoffered_record) & names
        if warns:
            undecided.update(split_on)
        # a resolved label is a "yes" among the answers offered it too (a majority of all
        # answers is one of those asked): only a "no" can rest on forced no's
        lacking = _row_unoffered(r, unoffered_record, every=not offered_vote) & names
        lacking -= set(labels)
        if warns:
            unasked.update(lacking)
        text = r["text"]
        open_spans = [
            {"start": a, "end": b, "label": label} for a, b, label in sorted(tied_spans(r))
        ]
        where = f"{path} passage {r.get('id') or f'#{n + 1}'}"  # names it, never its text
        located_open = locate_spans(text, open_spans, span_names, where)
        undecided_spans += len(located_open) if warns else 0
        warned_out += warns
        out.append(
            Example(
                text=text,
                labels=set(labels),
                # a category the vote left tied is neither a label nor a decided "no"
                known=names - split_on - not_offered - lacking,
                split=split,
                source=f"export:{path.name}",
                # a row of a DatasetDict saved without 'doc_id' or 'id' is a document
                # of its own, as a table's (read_native): not one document of every row
                doc_key=f"export:{r.get('doc_id') or r.get('id') or f'#row{n}'}",
                index=int(r.get("passage_index") or 0),
                title=r.get("title") or None,
                spans=gold_spans(text, r.get("spans"), span_names, where),
                undecided_spans=located_open,
                id=str(r.get("id") or ""),
                near_dup_group=f"export:{group}" if group else None,
                conversation=recorded_conversation(r),
                subtitles=recorded_subtitles(r),
                cue_start=(times := recorded_cue_times(r))[0],
                cue_end=times[1],
                meta=prelabel_record(r),
            )
        )
    if unknown:
        _unknown_labels(
            path,
            tax,
            version,
            unknown,
            dropped_from,
            only_unknown,
            strict_labels,
            labels_fix=labels_fix,
            migrated=migrated,
        )
        if found is not None:  # trained without them: the record and the CLI say so
            found["labels_dropped"] = {"version": version, "labels": dict(sorted(unknown.items()))}
            if labels_file:
                found["labels_dropped"]["file"] = labels_file
    if not_offered and warned_out:
        log.warning(
            "%s: labels.yaml %s has categories the export's labels.yaml (%s) did not "
            "offer its reviewers: %s; they are masked on its %s passage(s), neither label "
            "nor negative (not trained or scored on them): push passages with this "
            "labels.yaml and export again to have them reviewed for those",
            path,
            tax.version,
            version or "version not recorded",
            ", ".join(sorted(not_offered)),
            f"{warned_out:,}",
        )
    if unasked:
        log.warning(
            "%s: categories the labeling config of older answers did not offer (manifest "
            "labels_not_offered) are masked where %s, neither label nor negative (%s)%s",
            path,
            "no answer of the passage was offered them"
            if offered_vote
            else "an answer of the passage was not offered them",
            ", ".join(f"{name} on {n:,} passage(s)" for name, n in sorted(unasked.items())),
            ""
            if offered_vote
            else "; the export was made before its vote left those answers out: export "
            "again to have the answers that were offered them decide",
        )
    if unresolved:
        log.warning(
            "%s: %s of %s exported passages have no resolved category (reviewers tied, or "
            "answered without one; `annotate adjudicate` sends ties to a lead) and are left "
            "out (%s)",
            path,
            f"{sum(unresolved.values()):,}",
            f"{warned_rows:,}",
            ", ".join(f"{s} {unresolved[s]:,}" for s in SPLITS if s in unresolved),
        )
    if undecided:
        log.warning(
            "%s: on tied passages whose reviewers agreed on some categories, the ones they "
            "split on evenly are left out of training and scoring (%s), not taken as a "
            "decided no; `annotate adjudicate` sends ties to a lead",
            path,
            ", ".join(f"{name} on {n:,} passage(s)" for name, n in sorted(undecided.items())),
        )
    if undecided_spans:
        log.warning(
            "%s: %s evidence span(s) marked by exactly half of the reviewers of a tied "
            "passage (no lead has decided it yet) are masked in span training: neither "
            "evidence nor a decided no; `annotate adjudicate` sends ties to a lead",
            path,
            f"{undecided_spans:,}",
        )
    return out


def _row_unoffered(
    row: dict[str, Any], not_offered: Mapping[str, set[str]] | None, *, every: bool
) -> set[str]:
    """The categories of ``row`` (no lead decided it) that none of its answers was offered
    (``every``: that any of them was not), from ``not_offered`` (the manifest's record)."""
    if not not_offered or row.get("resolution") == "adjudicated":
        return set()
    if not every:
        return row_not_offered([row], not_offered).get(str(row.get("id")), set())
    answers = row.get("annotations") or []
    return {c for a in answers for c in not_offered.get(str(a.get("taxonomy_version")), ())}


def _version_tuple(version: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(p) for p in version.split("."))
    except ValueError:
        return None


def older_minor(labels_version: str, export_version: str) -> bool:
    """Whether labels.yaml ``labels_version`` is older than ``export_version`` within the
    same major version: labels the export has and it lacks were added since (a minor
    version adds labels; renaming or removing one takes a new major version)."""
    ours, theirs = _version_tuple(labels_version), _version_tuple(export_version)
    return ours is not None and theirs is not None and ours[0] == theirs[0] and ours < theirs


def _unknown_labels(
    path: Path,
    tax: Taxonomy,
    version: str,
    unknown: Counter[str],
    dropped_from: int,
    only_unknown: int,
    strict: bool,
    *,
    labels_fix: str = "--labels FILE",
    migrated: bool = False,
) -> None:
    """Refuse (TrainingError) the export's labels that labels.yaml ``tax`` lacks, or warn
    when ``tax`` is an older labels.yaml of the export's major version and not ``strict``:
    training with it deliberately leaves out the labels added since (they are dropped from
    ``dropped_from`` passages, ``only_unknown`` of which are left out). Any other unknown
    label is a renamed or removed one, or another taxonomy: training would silently lose
    those passages' supervision, which export and evaluate refuse as well. ``labels_fix``
    names the labels.yaml to train with instead (the export's own copy where it has one);
    ``migrated``: the rows were read through labels.yaml's migration, which left these."""
    named = ", ".join(f"{x} ({counted(n, 'passage')})" for x, n in sorted(unknown.items()))
    made = f"labels.yaml {version}" if version else "a labels.yaml it does not record"
    lost = (
        f"{dropped_from:,} passage(s) would lose them, {only_unknown:,} of which have no other "
        "label and would be left out"
    )
    if version and older_minor(tax.version, version) and not strict:
        log.warning(
            "%s: %d label(s) of the export are not in labels.yaml %s, an older version (the "
            "export's is %s): labels added since, dropped: %s; %s passage(s) lose them and "
            "%s passage(s) had no other label and are left out; the model will not learn "
            "them. Train with the labels.yaml the export was made with (%s) to learn them, "
            "or pass --strict-labels (training config `strict_labels: true`) to refuse instead",
            path,
            len(unknown),
            tax.version,
            version,
            named,
            f"{dropped_from:,}",
            f"{only_unknown:,}",
            labels_fix,
        )
        return
    why = (
        f"labels added after labels.yaml {tax.version}: --strict-labels refuses them"
        if version and older_minor(tax.version, version)
        else f"the migration labels.yaml {tax.version} declares from {version} does not map them"
        if migrated
        else "labels.yaml is not an older version of the same major one, so they were "
        "renamed or removed without a new major version, or it is another taxonomy"
    )
    raise TrainingError(
        f"{path}: {len(unknown)} label(s) of the export are not in labels.yaml {tax.version} "
        f"(expected only its categories; the export was made with {made}): {named}; "
        f"{lost} ({why}).",
        fix=f"pass the labels.yaml the export was made with ({labels_fix}); a renamed "
        "or removed label needs a new major version of labels.yaml with a `migrations:` "
        f"entry from {version or 'its version'} mapping it (train reads the export "
        "through it).",
    )


def _decode_classlabels(row: dict[str, Any], names: dict[str, list[str]]) -> dict[str, Any]:
    """An export row with its ClassLabel ids (``labels``, span ``label``s, each
    annotation's ``categories`` and spans) replaced by their names (``names``: of
    :func:`_classlabel_names`); names already written stay as they are."""

    def label(x: Any, kind: str) -> Any:
        known = names.get(kind) or []
        if isinstance(x, int) and not isinstance(x, bool) and 0 <= x < len(known):
            return known[x]
        return x  # a name, or an id with no name: the caller tells

    def spans(items: Any) -> list[Any]:
        return [
            {**sp, "label": label(sp.get("label"), "spans")} if isinstance(sp, dict) else sp
            for sp in items or []
        ]

    row["labels"] = [label(x, "labels") for x in row.get("labels") or []]
    if row.get("spans") is not None:  # no spans column: nothing said about spans
        row["spans"] = spans(row.get("spans"))
    row["annotations"] = [
        {
            **a,
            "categories": [label(x, "labels") for x in a.get("categories") or []],
            "spans": spans(a.get("spans")),
        }
        if isinstance(a, dict)
        else a
        for a in row.get("annotations") or []
    ]
    return row


# columns only `annotate export` rows have: a split file of an export, read alone
EXPORT_ROW_COLUMNS = frozenset({"annotations", "label_tie", "resolution"})


def read_export_rows_file(
    path: Path,
    tax: Taxonomy,
    seed: int,
    *,
    validation: float = 0.15,
    test: float = 0.15,
    found: dict[str, Any] | None = None,
) -> list[Example]:
    """A split file of an ``annotate export`` (``jsonl/{split}.jsonl`` or
    ``parquet/{split}.parquet``) read without its folder, e.g. copied elsewhere: read as
    the export is (:func:`_examples_of_export_rows`: ClassLabel ids decoded with the
    features the Parquet file records, a tie's evenly split categories masked, rows
    without a resolved category left out with a warning), never as a plain table, whose
    empty or tied labels would be an error or a decided no. A row keeps its ``split``
    (JSONL rows carry it), else the file's name when it is a split's (``test.parquet``),
    else its document's seeded hash split (documents ingest's ``near_dup_group`` links
    together, and the comments of one reply thread as the rows' meta and parent-like
    columns name them: :func:`annotate.corpus.export_threads.split_links`; read without
    its folder, the file lacks the manifest's ingest runs, so an ingest's
    ``--parent-column`` / ``--id-prefix`` are not applied). Rows made under another labels.yaml
    (their ``taxonomy_version``) are read through the migration labels.yaml declares from
    it, as :func:`read_export` reads the whole export (recorded in
    ``found["taxonomy_migration"]``, and ``labels_dropped`` likewise); another major version
    without one is refused, naming the fixes. A category of labels.yaml the rows'
    labels.yaml lacked (added since: the rows' categories, :func:`_rows_categories`) is
    masked on every row, as the folder's manifest masks it; a file that records no
    categories is refused where one may have been added
    (:func:`_refuse_unknown_offered`)."""
    from annotate.corpus.export_threads import split_links
    from annotate.corpus.splits import assign_splits
    from annotate.tables import iter_rows_located, table_format

    names: dict[str, list[str]] = {"labels": [], "spans": []}
    if table_format(path) == "parquet":
        features = parquet_features(path)
        if features is not None:
            names = _classlabel_names(features)
    rows = [_decode_classlabels(dict(row), names) for _, row in iter_rows_located(path)]
    ids = sorted(
        {str(x) for r in rows for x in r.get("labels") or [] if isinstance(x, int)}, key=int
    )
    if ids:
        raise TrainingError(
            f"{path}: label ids {ids[:5]} with no names: an export's Parquet file names its "
            "ClassLabel ids in its schema (its `huggingface` metadata), and this copy has "
            "none (rewritten by another tool, e.g. pandas or polars?).",
            fix="copy the export's parquet/SPLIT.parquet as written, or its jsonl/SPLIT.jsonl "
            "(names, not ids), or pass the whole export folder.",
        )
    stem = path.stem.lower()
    todo = [r for r in rows if r.get("split") not in SPLITS]
    if todo and stem in SPLITS:
        for r in todo:
            r["split"] = stem
    elif todo:
        # as export splits: documents linked by ingest's near_dup_group share a split,
        # and so do the comments of one reply thread (the parent column in their meta)
        links = split_links(todo)
        keys = links.groups(keys=[f"export:{d}" for d in links.doc_ids])
        got = assign_splits(keys, ratios=(1 - validation - test, validation, test), seed=seed)
        for r, sp in zip(todo, got, strict=True):
            r["split"] = sp
    if not rows:
        raise TrainingError(f"{path}: the file has no rows.", fix="pass a file with rows.")
    version = _one_version(path, rows)
    _refuse_older_answers(path, rows, version, tax)
    # the export's categories, where labels.yaml may differ: those added since are masked
    offered = None if version == tax.version else _rows_categories(rows, names["labels"])
    if offered is None:
        _refuse_unknown_offered(path, version, tax)
    # the file has no manifest: its rows say the labels.yaml they were exported under
    migration = export_migration(path, {}, version, tax)
    if migration is not None:
        _apply_migration(path, rows, migration, tax, found)
    return _examples_of_export_rows(
        rows,
        path,
        tax,
        version,
        False,
        migrated_names(offered, migration),
        migrated=migration is not None,
        found=found,
    )


def _rows_categories(rows: list[dict[str, Any]], classlabel_names: list[str]) -> set[str] | None:
    """The categories of the labels.yaml an export's split file ``rows`` were exported
    under (those its reviewers were offered): ``classlabel_names`` (a Parquet file's
    ``labels`` ClassLabel names) where given, else the keys of the rows' ``model_scores``
    (export writes one per category of its labels.yaml, null where the model gave no
    score); None where neither records them (no ``model_scores``, or rows that differ)."""
    if classlabel_names:
        return set(classlabel_names)
    keys = {
        frozenset(map(str, scores)) if isinstance(scores := r.get("model_scores"), dict) else None
        for r in rows
    }
    only = next(iter(keys)) if len(keys) == 1 else None
    return set(only) if only else None


def _refuse_unknown_offered(path: Path, version: str, tax: Taxonomy) -> None:
    """Refuse (TrainingError) a split file read alone whose rows do not record their
    export's categories (:func:`_rows_categories`) where labels.yaml ``tax`` may have added
    one since the rows' labels.yaml ``version``: read alone, the file would teach it as a
    decided "no" on passages nobody was offered it for. Read as before where no category
    can have been added: the same or a PATCH version, ``tax`` older in the same major
    one (labels added since are dropped), or rows that record no version."""
    ours, theirs = _version_tuple(tax.version), _version_tuple(version)
    if not version or (ours and theirs and ours[0] == theirs[0] and ours[:2] <= theirs[:2]):
        return
    raise TrainingError(
        f"{path}: its rows were exported under labels.yaml {version}, and labels.yaml "
        f"{tax.version} (trained with) may have added categories since; read alone, the "
        "file does not say which categories its reviewers were offered (expected them as "
        "its rows' `model_scores` keys, or a Parquet file's `labels` ClassLabel names; "
        "found neither), so it would teach a category added since as a decided 'no' on "
        "passages nobody was offered it for.",
        fix="pass the whole export folder (its manifest.json lists the categories "
        f"offered) instead of the split file, or train with the labels.yaml of version "
        f"{version} (--labels FILE), the export's.",
    )


def _refuse_older_answers(
    path: Path, rows: list[dict[str, Any]], version: str, tax: Taxonomy
) -> None:
    """Refuse a split file read alone whose rows hold answers made under an older
    labels.yaml of the same major version than the export's (``version``) that may not
    have offered a category of ``tax`` (the labels.yaml trained with): which categories
    that labeling config did not offer is recorded only in the export's manifest
    (``labels_not_offered``), so this file cannot tell an undecided category (masked)
    from a decided "no". An older version is read as before where it offered every
    category ``tax`` has (reader58b F5): a PATCH version of the export's (a wording
    change adds no category: labels.yaml's versioning rule), a ``tax`` no newer than it
    in its MINOR version (its categories were all there then), or one whose answers in
    the file chose each of ``tax``'s categories (an answer that chose one was offered it)."""
    chosen: dict[str, set[str]] = {}
    answers: Counter[str] = Counter()
    for r in rows:
        for a in r.get("annotations") or []:
            v = str(a.get("taxonomy_version") or "") if isinstance(a, dict) else ""
            if v and v != version and older_minor(v, version):
                answers[v] += 1
                chosen.setdefault(v, set()).update(str(c) for c in a.get("categories") or [])
    ours = _version_tuple(tax.version)
    older = {
        v: n
        for v, n in answers.items()
        if not _offered_all(v, version, ours, set(tax.category_names) - chosen[v])
    }
    if older:
        said = ", ".join(f"{v} ({n} answer(s))" for v, n in sorted(older.items()))
        oldest = min(older, key=lambda v: _version_tuple(v) or ())
        raise TrainingError(
            f"{path}: its rows hold answers made under an older labels.yaml than the "
            f"export's {version} ({said}); a category added since was not offered to them "
            "(undecided on their passages, not a 'no'), and only the export's "
            "manifest.json records which (`labels_not_offered`): read alone, the file "
            f"would teach those categories as negatives with labels.yaml {tax.version}.",
            fix="pass the whole export folder (it holds manifest.json) instead of the split "
            f"file, or train with the labels.yaml of version {oldest} (--labels FILE), "
            "whose categories every answer was offered.",
        )


def _offered_all(
    answered: str, version: str, ours: tuple[int, ...] | None, unchosen: set[str]
) -> bool:
    """Whether answers made under labels.yaml ``answered`` (older than the export's
    ``version``, same major) were offered every category of the labels.yaml of version
    ``ours`` (see :func:`_refuse_older_answers`); ``unchosen``: its categories none of
    those answers chose."""
    theirs, export = _version_tuple(answered), _version_tuple(version)
    if theirs is None or export is None:
        return not unchosen
    if theirs[:2] == export[:2]:  # a PATCH version: wording only
        return True
    if ours is not None and ours[:1] == theirs[:1] and ours[:2] <= theirs[:2]:
        return True
    return not unchosen


def _one_version(path: Path, rows: list[dict[str, Any]]) -> str:
    """The ``taxonomy_version`` every row of split file ``path`` holds ("" for none). A
    file whose rows hold several (split files of exports made under different
    labels.yaml versions, joined) raises TrainingError: it would be migrated all as its
    first row's version (reader57 #6)."""
    counts = Counter(str(r.get("taxonomy_version") or "") for r in rows)
    if len(counts) > 1:
        said = ", ".join(f"{v or 'none'} ({n} row(s))" for v, n in sorted(counts.items()))
        raise TrainingError(
            f"{path}: its rows were exported under {len(counts)} labels.yaml versions "
            f"(taxonomy_version: {said}); a split file read alone is read through one "
            "version's migration, so it must hold rows of one version.",
            fix="pass each export's own split file (or its whole export folder) as a "
            "source of its own, or split this file by `taxonomy_version`.",
        )
    return next(iter(counts), "")


def _classlabel_names(features: Any) -> dict[str, list[str]]:
    """The ClassLabel names of a saved DatasetDict's ``labels`` and span ``label``
    features (an export's); empty for a feature that holds names as strings (a
    DatasetDict written by other code)."""

    def inner(feature: Any) -> Any:
        return feature[0] if isinstance(feature, list) else getattr(feature, "feature", None)

    def names(feature: Any) -> list[str]:
        return list(getattr(feature, "names", None) or [])

    span_feat = inner(features.get("spans"))
    return {
        "labels": names(inner(features.get("labels"))),
        "spans": names(span_feat.get("label") if isinstance(span_feat, dict) else None),
    }


def spans_only(exs: Sequence[Example], path: str) -> None:
    """Mark ``exs`` as evidence-span training only (no label supervised). Raises
    TrainingError when none of them marks an evidence span (it would train nothing)."""
    if not any(ex.spans for ex in exs):
        raise TrainingError(
            f"{shown(path)}: `spans_only: true` but no row marks an evidence span "
            "(`spans`: [{text, label}]), so it would train nothing.",
            fix="annotate the rows' evidence spans, or drop `spans_only` to train the "
            "label heads on them.",
        )
    for ex in exs:
        ex.known = set()
        ex.meta["spans_only"] = True
