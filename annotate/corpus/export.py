"""`annotate export`: every reviewed task of a project -> the reviewed corpus.

One row per reviewed passage (see :func:`annotate.corpus.schema.corpus_features`),
written as an HF DatasetDict (``hf/``, ClassLabel ids with names in the features),
Parquet (``parquet/{split}.parquet``, the same encoding) and JSONL
(``jsonl/{split}.jsonl``, label names), plus ``manifest.json`` with row counts, a
SHA-256 of every file, versions and the export time (and, for a corpus read from more
input files than the manifest lists, ``input_files.jsonl``:
:mod:`annotate.corpus.input_files`).

Everything is written to a hidden temporary directory next to ``out`` and renamed into
place at the end, so a failed export never leaves a directory that looks complete.
The snapshot must agree with the number of tasks Label Studio reports as annotated; a
snapshot taken while reviewers work is taken again, and the export fails (writing
nothing) if they still differ. A passage found in several tasks is written once; a
re-post push left out (its text held by another passage's task) is no row, and the
manifest's ``reposts`` maps it to that passage (:mod:`annotate.corpus.export_reposts`).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from annotate._util.atomic import atomic_output
from annotate._util.os_files import is_os_file
from annotate._util.progress import ProgressFn, StageFn, advance, stage
from annotate._util.revision import tool_version
from annotate.audit.decision_records import manifest_entry as records_entry
from annotate.audit.decision_records import write_records
from annotate.audit.passage_pseudonyms import (
    Pseudonyms,
    default_key_path,
    default_map_path,
    previous_key_fingerprint,
    refuse_inside,
    write_map,
)
from annotate.audit.redact import NOT_DETECTED, RedactionSettings, Redactor, ingest_summary
from annotate.audit.redact_export import (
    MaskTally,
    iter_redacted,
    redact_run_records,
    unredacted_record,
)
from annotate.audit.report import write_report
from annotate.audit.reports_digest import REPORTS_KEY, report_files, reports_record
from annotate.audit.stats import incomplete_answers, over_k_record, reviewers_per_passage
from annotate.audit.taxonomy import TAXONOMY_FILE, taxonomy_record, taxonomy_yaml
from annotate.audit.verify import CONTENT_KEY, content_record, with_digest
from annotate.audit.verify import sha256_file as _sha256
from annotate.corpus.export_held_back import held_back_record
from annotate.corpus.export_near_dups import export_near_dup_groups, export_search_report
from annotate.corpus.export_reposts import reposts_record
from annotate.corpus.export_threads import split_links, threads_report
from annotate.corpus.input_files import input_files_report, write_input_files_listing
from annotate.corpus.licenses import licenses_report
from annotate.corpus.previous_export import (
    PreviousRow,
    answers_lost_since_previous,
    licences_changed_since_previous,
    previous_rows,
)
from annotate.corpus.resolve import INCOMPLETE, pseudonym
from annotate.corpus.salt import reviewer_salt
from annotate.corpus.schema import EVAL_SPLITS, SPLITS, corpus_features
from annotate.corpus.splits import (
    DEFAULT_RATIOS,
    SPLIT_METHOD,
    assign_splits,
    cross_split_groups,
    ingest_group_column,
)
from annotate.defaults import DEFAULT_NEAR_DUP_THRESHOLD
from annotate.errors import ExportError
from annotate.review.gold import GOLD_FILE, GOLD_FILE_OF, gold_file_rows
from annotate.review.gone_queues import gone_queues
from annotate.studio.client import StudioClient, connect
from annotate.taxonomy import Taxonomy, TaxonomyRef, as_taxonomy

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
FORMAT = "annotate-corpus/1"
# the steps of _write_atomically a progress bar counts: hf, read back, parquet, jsonl,
# review reports, checksums + manifest, report (decision records: one more)
WRITE_STEPS = 7


@dataclass
class ExportResult:
    out: Path
    rows: int
    splits: dict[str, int]
    annotations: int
    reviewers: int
    ties: int
    manifest: dict[str, Any] = field(default_factory=dict)
    # per held-out split with passages (validation, test): the corpus's categories none of
    # its passages has (splits are not stratified: see :func:`labels_missing_from_splits`)
    labels_missing: dict[str, list[str]] = field(default_factory=dict)
    # agreement.json's ``gold`` as written (gold accuracy per reviewer pseudonym,
    # ``reviewers_without_gold``): the CLI's --gold-min-accuracy warnings read it from here
    gold: dict[str, Any] = field(default_factory=dict)
    # files of the previous export's report/ the tool did not write (a sign-off, notes),
    # kept in the new one; relative to ``out``
    kept: list[str] = field(default_factory=list)
    # of those, the folder (``report/kept-from-export-…``) the files written against the
    # export this one replaced were moved to (None: no such file; passH53 H4)
    kept_aside: str | None = None


def none_with_other_record(found: dict[str, int], shown: int = 20) -> dict[str, Any]:
    """The manifest's ``answers_none_with_other``: ``answers`` (how many reviewer answers
    chose the none label with another category, gold included), ``passages`` (how many
    passages hold one) and ``examples`` (the first ``shown`` of them, by id)."""
    return {
        "answers": sum(found.values()),
        "passages": len(found),
        "examples": sorted(found)[:shown],
    }


def model_cannot_read_record(rows: Sequence[dict[str, Any]], shown: int = 20) -> dict[str, Any]:
    """The manifest's ``passages_model_cannot_read``: the rows whose
    ``model_language_warning`` says the model cannot read the passage (a script or
    language none of its training languages is: push pre-selected no category or
    severity, so their ``model_labels`` are empty without the model saying none):
    ``passages`` (how many), ``by_warning`` (warning text -> passages) and ``examples``
    (the first ``shown`` ids)."""
    found = sorted(
        (str(r["id"]), str(r["model_language_warning"]))
        for r in rows
        if r.get("model_language_warning")
    )
    return {
        "passages": len(found),
        "by_warning": dict(sorted(Counter(w for _, w in found).items())),
        "examples": [pid for pid, _ in found[:shown]],
    }


def harmful_severity_none_record(
    found: dict[str, list[int]], lead: list[str], shown: int = 20
) -> dict[str, Any]:
    """The manifest's ``answers_harmful_severity_none``: ``answers`` (reviewer answers
    pairing a harmful category with severity level 0, gold included), ``passages``,
    ``examples`` (the first ``shown`` passage ids), ``tasks`` (their Label Studio task
    ids, as many) and ``lead`` (adjudicated passages whose lead's answer did so: read as
    no severity from the lead)."""
    return {
        "answers": sum(len(t) for t in found.values()),
        "passages": len(found),
        "examples": sorted(found)[:shown],
        "tasks": sorted({t for p in sorted(found)[:shown] for t in found[p] if t})[:shown],
        "lead": sorted(lead)[:shown],
    }


def labels_not_migrated(
    lacking: list[str], pushed: str | None, tax: Taxonomy
) -> tuple[list[str], list[str]]:
    """``lacking`` (a project config's labels ``tax`` lacks, ``control:name``: :func:`annotate.
    studio.pull.labels_the_taxonomy_lacks`) split into those the migration ``tax`` declares
    from ``pushed`` (the config's labels.yaml version) does not map, and those it does, as
    ``control:old -> new``: export reads the answers that chose those under their new
    name, so they need no other labels.yaml."""
    migration = tax.migration_from_declared(pushed) if pushed else None
    if migration is None:
        return lacking, []
    ui = tax.interface
    maps = {
        ui.categories: migration.categories,
        ui.spans: migration.spans,
        ui.severity: migration.severity,
    }
    left, mapped = [], []
    for label in lacking:
        control, _, name = label.partition(":")
        new = maps.get(control, {}).get(name)
        if new is None:
            left.append(label)
        else:
            mapped.append(f"{label} -> {new}")
    return left, mapped


def _warn_config_newer_than(
    client: StudioClient, projects: dict[str, int], rows: list[dict[str, Any]], tax: Taxonomy
) -> None:
    """Warn when a project read has a labeling config with labels ``tax`` lacks (a push of
    a newer labels.yaml added them) while no answer was made under it yet (answers made
    under a newer labels.yaml are warned about by the CLI from the manifest): the export
    reads the project, and writes the corpus schema, without them, silently, until a
    reviewer chooses one and the export fails. One warning, for the first such project."""
    from annotate.studio.pull import (
        labels_the_taxonomy_lacks,
        newer_version,
        project_taxonomy_version,
    )

    made = {str(a.get("taxonomy_version")) for r in rows for a in r.get("annotations") or []}
    if any(newer_version(v, tax.version) for v in made):
        return
    for title, pid in projects.items():
        proj = client.get_project(int(pid))
        pushed = project_taxonomy_version(proj)
        lacking, migrated = labels_not_migrated(labels_the_taxonomy_lacks(proj, tax), pushed, tax)
        if migrated:  # renamed by the migration labels.yaml declares: read under tax
            log.info(
                "project %r has the labeling config of labels.yaml %s; labels.yaml %s reads "
                "its answers through its migration from %s (%s)",
                title,
                pushed,
                tax.version,
                pushed,
                ", ".join(migrated),
            )
        if not lacking:
            continue
        version = pushed or "a newer version"
        if pushed and tax.migration_from_declared(pushed):
            log.warning(
                "project %r has the labeling config of labels.yaml %s, with label(s) %s that "
                "labels.yaml %s, the one this export reads with, lacks and its migration from "
                "%s does not map: the corpus schema has no such label, and an answer that "
                "chooses one would stop the export. Map them in labels.yaml's `migrations:` "
                "entry from %s (OLD: NEW) and export again",
                title,
                version,
                ", ".join(lacking),
                tax.version,
                version,
                version,
            )
            return
        log.warning(
            "project %r has the labeling config of labels.yaml %s, with label(s) %s that "
            "labels.yaml %s, the one this export reads with, lacks: the corpus schema has no "
            "such label, and an answer that chooses one would stop the export. Pass the "
            "labels.yaml the project was pushed with (--labels PATH, version %s) and export "
            "again",
            title,
            version,
            ", ".join(lacking),
            tax.version,
            version,
        )
        return


def export(
    project: str,
    out: str | os.PathLike[str],
    *,
    taxonomy: TaxonomyRef = None,
    client: StudioClient | None = None,
    seed: int = 0,
    ratios: Sequence[float] = DEFAULT_RATIOS,
    salt: str | None = None,
    gold_min_accuracy: float | None = None,
    gold_severity: bool = False,
    redact: RedactionSettings | None = None,
    decision_records: bool = False,
    near_dup_threshold: float | None = DEFAULT_NEAR_DUP_THRESHOLD,
    progress: StageFn | None = None,
    id_key: Path | None = None,
    id_map: Path | None = None,
    accept_changed_answers: bool = False,
    overwrite: bool = True,
    original: Path | None = None,
) -> ExportResult:
    """Pull every annotation of ``project`` and write the reviewed corpus into ``out``.

    ``out`` (a new directory, or a previous export, which is replaced atomically) gets
    ``hf/`` (a ``datasets.DatasetDict`` with train/validation/test splits, features from
    :func:`annotate.corpus.schema.corpus_features`), ``parquet/``, ``jsonl/`` and
    ``manifest.json`` (counts, versions, sha256 of every file). One row per reviewed
    passage: text and provenance, each reviewer's labels under a pseudonym (salted with
    ``salt``, default :func:`reviewer_salt`), the resolved labels (majority), the model's
    labels and the split (by document, ``ratios`` train/validation/test, ``seed``).
    ``taxonomy``: a loaded Taxonomy or a taxonomy file (None: the default labels.yaml);
    ``client``: default :func:`annotate.studio.client.connect`. ``progress``
    (:func:`annotate._util.progress.stage`, e.g. the CLI's bars) gets the stages
    ``snapshot`` (Label Studio projects read), ``rows`` (tasks turned into rows),
    ``redact`` (rows, with ``redact``), ``agreement`` (bootstrap resamples, when passages
    have two reviewers or more) and ``write`` (the steps of writing the corpus), and
    ``near-duplicates`` (rows hashed). ``near_dup_threshold``: the Jaccard
    similarity at which exported passages of two documents count as near-duplicates and
    share a split, whatever ingest run they came from
    (:mod:`annotate.corpus.export_near_dups`); None: only ingest's ``near_dup_group``.
    With ``redact``, the rows whose text it masks get a pseudonymous id (an HMAC keyed by
    the secret in ``id_key``, default ``$ANNOTATE_HOME/passage_id_key``, made on first use)
    in every file written, and so do gold passages of such text and document ids holding
    personal data (with every passage of such a document), one mapping for the export;
    the mapping back is merged into ``id_map`` (default
    ``$ANNOTATE_HOME/passage_pseudonyms.jsonl``), outside the export
    (:mod:`annotate.audit.passage_pseudonyms`).
    A passage sent to adjudication whose dispute ended only through an answer made or
    changed after the adjudication project showed it stays undecided for the lead
    (:func:`annotate.review.collect.collect`); ``accept_changed_answers``: the reviewers'
    vote decides it (the manifest's ``review.agreed_only_after_shown`` names them).
    ``original`` (with ``redact``): the in-house export, made without it, that this
    hand-out stands for; verified, and its manifest and content SHA-256 recorded in the
    manifest's ``redaction.original_export``
    (:func:`annotate.audit.redacted_pair.original_record`; ``verify --same-as`` compares
    the two by what redaction keeps).

    The export holds ``out``'s lock while it runs (:func:`annotate.studio.lock.output_lock`):
    a second export into the same folder meanwhile is refused at once (InputError).
    ``overwrite=False`` (the CLI without ``--overwrite``): a previous export in ``out`` is
    refused, and so is a folder that appeared there while this export ran (another
    machine's export, an older annotate's): nothing of it is replaced.

    Raises ExportError (``out`` is not a previous export or ends like a file name such as
    ``corpus.parquet``, an annotation does not fit the taxonomy, the written rows differ
    from the annotated tasks), ProjectNotFoundError, StudioError, TaxonomyError.
    """
    from annotate.studio.lock import output_lock

    out = Path(out)
    original_export = None
    if original is not None:
        from annotate.audit.redacted_pair import original_record

        if redact is None:
            raise ExportError(
                f"--original {original} names the in-house export a redacted hand-out "
                "stands for; this export is made without --redact.",
                fix="pass --redact too, or leave --original out.",
            )
        original_export = original_record(Path(original), project)
    with output_lock(out):
        return _export(
            project,
            out,
            taxonomy=taxonomy,
            client=client,
            seed=seed,
            ratios=ratios,
            salt=salt,
            gold_min_accuracy=gold_min_accuracy,
            gold_severity=gold_severity,
            redact=redact,
            decision_records=decision_records,
            near_dup_threshold=near_dup_threshold,
            progress=progress,
            id_key=id_key,
            id_map=id_map,
            accept_changed_answers=accept_changed_answers,
            overwrite=overwrite,
            original_export=original_export,
        )


def _token_account(client: StudioClient, salt: str) -> str | None:
    """The pseudonym of the account whose token ``client`` uses (the admin account annotate
    works with); None for a client that cannot say (a test's fake)."""
    whoami = getattr(client, "whoami", None)
    return pseudonym(int(whoami()["id"]), salt) if callable(whoami) else None


def _export(
    project: str,
    out: Path,
    *,
    taxonomy: TaxonomyRef,
    client: StudioClient | None,
    seed: int,
    ratios: Sequence[float],
    salt: str | None,
    gold_min_accuracy: float | None,
    gold_severity: bool,
    redact: RedactionSettings | None,
    decision_records: bool,
    near_dup_threshold: float | None,
    progress: StageFn | None,
    id_key: Path | None,
    id_map: Path | None,
    accept_changed_answers: bool,
    overwrite: bool,
    original_export: dict[str, Any] | None = None,
) -> ExportResult:
    """:func:`export`, holding ``out``'s lock."""
    _check_target(out, project)
    if not overwrite and (out / MANIFEST).is_file():
        raise ExportError(
            f"--out {out} holds a previous export; this export would replace it.",
            fix="pass another --out, or --overwrite to replace it.",
        )
    if redact is not None:  # the key and the way back never travel with the corpus
        refuse_inside(out, key=id_key or default_key_path(), map=id_map or default_map_path())
    tax = as_taxonomy(taxonomy)
    client = client or connect()
    from annotate.review.agreement import pairable
    from annotate.review.blindness import (
        after_exposure,
        late_answer_keys,
        late_changes,
        late_gold_changes,
        round_closed_at,
    )
    from annotate.review.collect import (
        ADJUDICATION_SUFFIX,
        adjudication_title,
        collect,
    )  # review sets: one project per reviewer
    from annotate.review.mode import review_mode
    from annotate.review.report import adjudicated_by_account, review_reports

    exported_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    salt = salt if salt is not None else reviewer_salt()

    collected = collect(
        client,
        project,
        tax,
        salt=salt,
        progress=progress,
        accept_changed_answers=accept_changed_answers,
    )
    # ids stable within a MAJOR version: no labels.yaml that renumbers the reviewed
    # projects' (F26; the lead's project is made by adjudicate from the labels.yaml given)
    from annotate.studio.push import check_projects_ids
    from annotate.studio.pushed_taxonomy import manifest_record as pushed_manifest_record

    reviewed = [i for t, i in collected.projects.items() if not t.endswith(ADJUDICATION_SUFFIX)]
    check_projects_ids(client, reviewed, tax)
    project_id = collected.projects.get(project)
    annotated = collected.annotated - len(collected.gold_rows)
    rows = collected.rows
    if len(rows) != annotated:
        raise ExportError(
            f"Label Studio reports {annotated} annotated task(s) in project {project!r} but the "
            f"export snapshot gave {len(rows)}; nothing was written.",
            fix="annotations probably changed during the export: run the export again.",
        )
    _warn_config_newer_than(client, collected.projects, rows, tax)
    rows.sort(key=lambda r: (r["doc_id"] or r["id"], r["passage_index"] or 0, r["id"]))
    # a document's split group: the documents it shares an ingest near-duplicate group
    # or a reply thread (a table's parent column) with
    links = split_links(rows, collected.ingest_runs)
    doc_ids = links.doc_ids
    groups = links.groups()
    export_search = None
    if near_dup_threshold is not None:
        hashing = stage(progress, "near-duplicates", unit="passage", total=len(rows))
        found = export_near_dup_groups(rows, near_dup_threshold, lambda n: advance(hashing, n))
        linked = links.groups(found)
        export_search = export_search_report(doc_ids, groups, linked, found, near_dup_threshold)
        groups = linked
    splits = assign_splits(groups, ratios=ratios, seed=seed)
    for row, split in zip(rows, splits, strict=True):
        row["split"] = split
    # read before --redact empties the column: a hash of the unmasked document would
    # confirm a guessed masked value (the rest of a one-passage document is in the row)
    source_hashes = document_sha256_report(rows, left_out_by_redact=redact is not None)
    tally: MaskTally | None = None  # what --redact masked, per field and kind
    redactor: Redactor | None = None
    if redact is not None:
        redacting = stage(progress, "redact", unit="passage", total=len(rows))
        redactor = Redactor(redact)
        tally = MaskTally(redact.kinds)
        # a row at a time as it is masked (in document order; given back in the rows')
        rows = list(iter_redacted(rows, redactor, tally, lambda n: advance(redacting, n)))
    # ids made from text export masked (and ids made from the same or a near text), gold
    # passages of such text and document ids holding personal data get a keyed pseudonym,
    # applied below to the rows and every record written beside them (one mapping)
    pseudonyms = Pseudonyms.of_rows(
        rows,
        tally.masked_text_ids if tally else [],
        id_key,
        gold_rows=collected.gold_rows if redactor is not None else (),
        personal=(lambda text: bool(redactor.find(text))) if redactor is not None else None,
    )
    reposts = reposts_record(collected.reposts, {r["id"] for r in rows})
    pseudonyms.add_reposts(reposts)
    # the gold passages (their texts, expected answers and the reviewers' answers) for
    # gold.jsonl, masked as the rows are (their ids renamed by the same mapping below)
    gold_rows = list(collected.gold_rows)
    gold_tally = MaskTally(redact.kinds) if redact is not None else None
    if redactor is not None and gold_rows:
        gold_rows = list(iter_redacted(gold_rows, redactor, gold_tally))

    # the export in ``out`` this one replaces, if any, keyed by ingest id: a masked row it
    # holds under the pseudonym of the same key is found under its ingest id too (one made
    # without --redact holds the ingest id itself)
    previous = previous_rows(out)
    if previous is not None and pseudonyms.mapping:
        previous = {
            **{pid: previous[pp] for pid, pp in pseudonyms.mapping.items() if pp in previous},
            **previous,
        }
    before_salt = _previous_fingerprint(out)  # None: no previous export, or not recorded
    same_salt = None if before_salt is None else before_salt == salt_fingerprint(salt)
    answers_lost_since_previous(out, rows, previous, same_salt=same_salt)
    runs_report = ingest_runs_report(rows, collected.ingest_runs)
    run_names_masked = 0  # file names in the ingest runs' records masked by --redact
    if redactor is not None:
        runs_report["runs"], run_names_masked = redact_run_records(runs_report["runs"], redactor)
    from annotate.corpus.offered import NOT_OFFERED_LEFT_OUT, NOT_OFFERED_VOTE_KEY

    # read by collect before the rows were resolved (their answers did not vote on them;
    # gold answers' versions included: gold accuracy reads them too)
    not_offered = {v: list(c) for v, c in collected.not_offered.items()}
    shown_versions = sorted(
        {a["model_version"] for r in rows for a in r["annotations"] if a["model_version"]}
    )
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "exported_at": exported_at,
        "project": {"title": project, "id": project_id, "label_studio_url": client.url},
        # by id; a reviewer project by its reviewer's pseudonym, never by its title
        # (``NAME · LOCALPART`` carries the reviewer's e-mail name)
        "label_studio_projects": collected.audit_projects(),
        # the labels.yaml read with (sha256), and the content digest the projects'
        # labeling configs record of the one they were pushed with (sha256_pushed; "not
        # recorded" for projects pushed before 6 Dec 2026): the two differ when
        # labels.yaml was edited without a version bump (collect warned)
        "taxonomy": {
            **taxonomy_record(tax),
            **pushed_manifest_record(collected.pushed_taxonomy, tax),
        },
        # which labels.yaml each answer was made under, and the declared mappings that
        # read older answers under this one (see Taxonomy.migration_from)
        "taxonomy_versions_of_answers": dict(
            sorted(Counter(a["taxonomy_version"] for r in rows for a in r["annotations"]).items())
        ),
        # per version of answers: the categories of this labels.yaml their labeling config
        # did not offer (a MINOR version appended them): neither a decided no nor the
        # model's tn on those passages (report.md); absent when none
        **({"labels_not_offered": not_offered} if not_offered else {}),
        # ... and that those answers did not vote on them in the rows' labels (absent in
        # exports before stop 58, whose labels counted their forced "no")
        **({NOT_OFFERED_VOTE_KEY: NOT_OFFERED_LEFT_OUT} if not_offered else {}),
        "taxonomy_migrations_applied": [
            m.record()
            for m in tax.migrations
            if any(a["taxonomy_version"] == m.from_version for r in rows for a in r["annotations"])
        ],
        "model_versions": collected.model_versions,
        # the encoder each version ran with at prelabel: ref, package + version, weights
        # sha256 (pushed from prelabel's model_encoder; versions pushed before 2026-12: none)
        "model_encoders": collected.model_encoders,
        # the versions whose pre-labels the answers' tasks showed (each annotation's
        # model_version), whether or not the reviewer started from them ...
        "model_versions_shown": shown_versions,
        # ... the same list under its former name, kept for the readers of exports made
        # before 6 Dec 2026: it never meant the reviewers started from those pre-labels
        "model_versions_credited": shown_versions,
        # per version, the answers that record starting from its prediction (Label Studio's
        # parent_prediction: annotations[].started_from_prediction); the others record no
        # start (answered from a blank start, or through the API)
        "model_versions_started_from": dict(
            sorted(
                Counter(
                    a["model_version"]
                    for r in rows
                    for a in r["annotations"]
                    if a["model_version"] and a.get("started_from_prediction")
                ).items()
            )
        ),
        # passages the model cannot read (rows' model_language_warning): their reviewers
        # were shown no pre-selected category or severity, so model_labels [] there is
        # no suggestion, not the model saying none (absent before 2026-12-06)
        "passages_model_cannot_read": model_cannot_read_record(rows),
        "rows": {"total": len(rows), **{s: splits.count(s) for s in SPLITS}},
        # passages (gold left out) with an answer: the rows, before merging duplicates
        "passages_annotated_in_label_studio": annotated,
        # Label Studio tasks with an answer in every project read: a passage answered in
        # two reviewers' projects, in a duplicate task or in the adjudication project, and
        # every gold copy, is one task each (exports before 2026-12 counted passages here)
        "tasks_annotated_in_label_studio": sum(collected.tasks_answered.values()),
        "tasks_annotated_by_project": collected.tasks_answered_by_project(),
        # the lead's answers in the adjudication project that decide nothing, by why
        # (none_with_other: `none` with another category; without_category: no category
        # where the reviewers' vote did not decide them): not counted in the two above,
        # which count the answers taken ({}: no adjudication project; absent before 6 Dec
        # 2026, when the adjudication project's count held them)
        "adjudication_answers_ignored": collected.lead_answers_ignored,
        # tasks (the lead's left out) with neither an answer nor a skip when this was read:
        # their passages are not in the corpus (a review still under way)
        "tasks_unanswered_in_label_studio": collected.tasks_unanswered,
        # of those: gold tasks; tasks of passages in the corpus (another reviewer answered
        # them: rows resolved by fewer answers than asked for); and the passages no row
        # holds since nobody answered them yet
        "tasks_unanswered_gold": collected.tasks_unanswered_gold,
        "tasks_unanswered_of_exported_passages": collected.tasks_unanswered_exported,
        "passages_unanswered_in_label_studio": collected.passages_unanswered,
        # passages a reviewer skipped and nobody answered (gold left out): not in the
        # corpus; the rows' skipped_by names who skipped the passages that are
        "passages_skipped_without_answer": collected.passages_skipped_unanswered,
        # of those, per reviewer pseudonym: the passages each skipped
        "passages_skipped_without_answer_by": collected.skipped_unanswered_by,
        "annotations": sum(len(r["annotations"]) for r in rows),  # reviewers' answers in rows
        # earlier answers of a reviewer who answered the same passage again (the latest
        # counts; Label Studio keeps both): not in the rows
        "answers_superseded_by_same_reviewer": collected.answers_superseded,
        # the lead's answers in the adjudication project, which decide a row's labels
        "adjudication_answers": len(collected.adjudications),
        "gold_annotations": sum(len(r["annotations"]) for r in collected.gold_rows),
        "reviewers": len({a["reviewer"] for r in rows for a in r["annotations"]}),
        # which salt named the reviewers (never the salt): the same in every export of a
        # project, review set or not; compared with the previous export in ``out``
        "pseudonym_salt": salt_record(salt, out),
        "reviewers_per_passage": reviewers_per_passage(rows),
        # a review set's passages with more answers than its K (a stopped hand-over's copy
        # and original both answered): K, count, ids; None: K not recorded
        "passages_over_reviewers_per_task": over_k_record(rows, collected.reviewers_per_task),
        # the passages push left out as re-posts of a text a task already held, each
        # mapped to the passage and task holding it (not rows: the corpus has the text once)
        "reposts": reposts,
        "label_ties": sum(r["label_tie"] for r in rows),
        # answers with no category (the API or an import accepts one): no tie, no vote on
        # the categories; and the passages with no other answer (resolution "incomplete")
        "incomplete_answers": incomplete_answers(rows),
        "passages_without_category": sum(r.get("resolution") == INCOMPLETE for r in rows),
        # answers pairing the none label ("Nothing above applies") with another category:
        # contradictory, read as incomplete (counted in incomplete_answers too); the
        # passages holding them, the first 20 (their reviewers correct them in Label Studio)
        "answers_none_with_other": none_with_other_record(collected.none_with_other),
        # answers pairing a harmful category with severity `none` (level 0): read as no
        # severity (each answer's severity_answered keeps the choice); the passages and
        # their Label Studio task ids, the first 20 (absent before 2026-12-06)
        "answers_harmful_severity_none": harmful_severity_none_record(
            collected.harmful_severity_none, collected.lead_harmful_severity_none
        ),
        # the reverse: answers choosing a harmful severity (low and up) with no harmful
        # category (only none or context labels), read as no severity alike; the same
        # shape (absent before stop 51)
        "answers_severity_without_harm": harmful_severity_none_record(
            collected.severity_without_harm, collected.lead_severity_without_harm
        ),
        "near_duplicates": {
            **near_dup_report(rows, splits),
            # export's own search over every exported passage (None: not run)
            "export_search": export_search,
        },
        # which version of each source document the rows come from (ingest's hash)
        "document_sha256": source_hashes,
        # under which licence or terms the documents were obtained (ingest --license or a
        # license column): per licence, and the documents and rows without one
        "licenses": {
            **licenses_report(rows, collected.licences_several),
            # passages whose licence differs from the previous export's in ``out``
            "changed_since_previous_export": licences_changed_since_previous(out, rows, previous),
        },
        # how the passages were cut: each ingest run's settings, inputs and version
        "ingest_runs": runs_report,
        # each prelabel run that scored rows of the corpus: when, on which input (SHA-256),
        # with which model and settings (annotate.prelabeling.run_record)
        "prelabel_runs": collected.prelabel_runs,
        # which input file each row was read from (rows' input_file, masked by --redact
        # as the rows are), rows per file (beyond INPUT_FILES_INLINE files: in a listing
        # beside the manifest), and the rows ingested before it was recorded
        # and the input files of the runs that gave no row, with why (the runs' records)
        "input_files": input_files_report(
            rows, masked_by_export_redact=redact is not None, runs=runs_report["runs"]
        ),
        "splits": {
            "ratios": dict(zip(SPLITS, ratios, strict=True)),
            "seed": seed,
            "grouped_by": (
                "doc_id, merged by near-duplicate group and by reply thread (named by the "
                "smallest doc_id)"
            ),
            "method": SPLIT_METHOD,
            # the reply threads linked (a table's parent column), and any in two splits
            "reply_threads": threads_report(doc_ids, links.threads, splits),
            "moved_since_previous_export": moved_since_previous(out, rows, previous),
            "stable": "a document's split depends on its group id and the seed only",
        },
        "label_encoding": {
            "hf": "ClassLabel ids, names in the dataset features",
            "parquet": "ClassLabel ids, HF features in the schema metadata",
            "jsonl": "label names",
        },
        "versions": _versions(client),
        "redaction": {
            **(
                {
                    **redact.record(),
                    # what no detector finds: left as written (docs/privacy.md, "What it misses")
                    "not_detected": list(NOT_DETECTED),
                    "masked_at_export": {
                        **tally.record(),
                        "pseudonymised_ids": pseudonyms_record(pseudonyms, out),
                        # names of files (ingest --previous, --skip-bad-files) in
                        # ingest_runs that held personal data, masked
                        "ingest_run_file_names": run_names_masked,
                    },
                    # the in-house export this hand-out stands for (export --original)
                    **({"original_export": original_export} if original_export else {}),
                }
                if redact is not None and tally is not None
                # what --redact would mask, counted with its detectors (no value quoted)
                else unredacted_record(rows, Redactor(RedactionSettings()))
            ),
            # what `annotate ingest --redact` masked before the passages were pushed
            "at_ingest": ingest_summary(rows),
        },
    }
    resampling = stage(progress, "agreement", unit="resample") if pairable(rows) else None
    # answers made or changed after the adjudication project showed their passage: stated
    # in review.mode, and left out of the agreement figures (not blind)
    exposure = after_exposure(rows, collected.adjudication_shown) if collected.review_set else None
    # answers made or changed after the round closed (adjudication started), on any passage,
    # and after the previous export in ``out``: late changes that can reopen a settled vote
    # each change is said once (passH53 H10): the round's record marks those the exposure
    # names, the previous export's those either names (counted, not said again)
    said = dict.fromkeys(late_answer_keys(exposure, rows), "adjudication_exposure")
    # an answer made on a passage short of K then (a task still open) is new work, not late
    per_task = collected.reviewers_per_task
    late_round = late_changes(
        rows, round_closed_at(collected.adjudication_shown), said, reviewers_per_task=per_task
    )
    previous_at = (_previous_manifest(out) or {}).get("exported_at")
    round_keys = late_answer_keys(late_round, rows)
    said = {**dict.fromkeys(round_keys, "answers_changed_after_round"), **said}
    late_since_export = late_changes(rows, previous_at, said, reviewers_per_task=per_task)
    # gold answers by the same rule, apart: they move gold accuracy, not a vote (H7)
    for late, since in (
        (late_round, round_closed_at(collected.adjudication_shown)),
        (late_since_export, previous_at),
    ):
        if late is not None:
            late["gold"] = late_gold_changes(collected.gold_rows, since)
    reports = review_reports(
        rows,
        collected.gold_rows,
        tax,
        min_accuracy=gold_min_accuracy,
        gold_severity=gold_severity,
        progress=resampling,
        adjudications=collected.adjudications,
        gold_also_regular=collected.gold_also_regular,
        awaiting_lead=collected.awaiting_lead,
        no_longer_disputed=collected.no_longer_disputed,
        skipped=collected.skipped,
        reviewers_per_task=collected.reviewers_per_task,
        adjudicated_moot=collected.adjudicated_moot,
        late_answers=exposure,
        graphic_hidden_by=collected.graphic_hidden_by,
        agreed_only_after_shown=collected.agreed_only_after_shown,
        changed_answers_accepted=collected.changed_answers_accepted,
        not_offered=not_offered,
        late_lead_queue={
            "taken_out": collected.late_taken_out_by_adjudicate,
            "kept": collected.late_kept_by_adjudicate,
        },
    )
    if collected.gold_also_regular:  # the CLI prints it (from the manifest): once
        log.info(
            "%d passage(s) of the regular data were skipped because they are gold tasks "
            "(e.g. %r): kept out of the corpus, scored as gold",
            len(collected.gold_also_regular),
            collected.gold_also_regular[0],
        )
    manifest["review"] = reports.pop("manifest")
    # what reviewers were tested on: gold.jsonl (None: no gold passage was answered)
    manifest["gold_file"] = {
        "file": GOLD_FILE if gold_rows else None,
        "passages": len(gold_rows),
        "answers": sum(len(r["annotations"]) for r in gold_rows),
        "of": GOLD_FILE_OF,
        **({"masked_at_export": gold_tally.record()} if gold_tally is not None else {}),
        # without --redact: what it would mask in gold.jsonl, counted as for the rows
        **(
            {
                "rows_with_personal_data": unredacted_record(
                    gold_rows, Redactor(RedactionSettings())
                )["rows_with_personal_data"]
            }
            if gold_tally is None and gold_rows
            else {}
        ),
    }
    # graphic passages pushes held back from every queue: in no task, so in no count above
    # and not in the corpus (this machine's record of the pushes; absent before 2026-12-04)
    manifest["passages_held_back"] = held_back_record(
        client.url, project, {str(r["id"]) for r in rows}, redactor
    )
    # reviewer queues a push from this machine made that are gone from the server (deleted
    # in Label Studio): their answers are in no count above (absent before 2026-12-05)
    if collected.review_set:
        gone = gone_queues(client, project, collected.projects.values(), None)
        manifest["reviewer_queues_deleted"] = [] if gone is None else gone.manifest_dicts(project)
    # adjudicated passages whose lead marked no evidence span where the reviewers agreed on
    # some (the rows keep the reviewers' spans), and whose lead gave no severity (the
    # reviewers' vote stands): each row's adjudication.spans_from / severity_from
    manifest["review"]["adjudicated_spans_from_reviewers"] = len(
        collected.lead_spans_from_reviewers
    )
    manifest["review"]["adjudicated_severity_from_vote"] = len(collected.lead_severity_from_vote)
    # ... and no severity at all where the reviewers tied on it: the first passages named
    # the lead's answers pairing none with another category (no decision: they wait)
    manifest["review"]["lead_answers_none_with_other"] = collected.lead_none_with_other[:20]
    # the lead's answers with no category: the vote's categories stand, or the passage waits
    manifest["review"]["lead_answers_without_category"] = collected.lead_without_category[:20]
    # passages decided in adjudication under the admin account annotate works with (the
    # login `studio start` prints, shared: no person), which docs/review.md tells the lead not
    # to answer as; the export warns (passK54 K3: only `review status` showed it)
    manifest["review"]["adjudicated_by_admin"] = adjudicated_by_account(
        rows, _token_account(client, salt)
    )
    left_empty = collected.lead_severity_left_empty
    manifest["review"]["adjudicated_severity_left_empty"] = {
        "passages": len(left_empty),
        "examples": left_empty[:20],
    }
    # the lead's skips in NAME · adjudication (None: no adjudication project)
    manifest["review"]["skipped_in_adjudication"] = collected.skipped_in_adjudication or None
    # tasks of NAME · adjudication whose passage no row holds (collect warned of them):
    # the lead's answers there are in no row (None: no adjudication project)
    manifest["review"]["adjudication_tasks_unplaced"] = collected.adjudication_unplaced
    # answers not given as the review states (passM55 #1, #3): reviewer queues holding
    # answers by another account than their reviewer (a colleague who opened the queue,
    # the admin, a lead), and answers last written by another account than the reviewer
    # they are credited to (Label Studio's updated_by: changed by the admin or a lead, or
    # made through the API in the reviewer's name); each is named, the row's annotation
    # carries written_by. The review mode's statement names them, and `export --strict`
    # fails on them
    manifest["review"]["answers_in_other_queues"] = other_queues_record(
        collected.answers_in_other_queues
    )
    manifest["review"]["answers_written_by_another_account"] = written_by_record(
        collected.answers_written_by_other, collected.lead_answers_written_by_other
    )
    # a review set's passages with fewer than K answers by their queues' own reviewers,
    # by why (open, answered twice by one account, another account's answer, skipped, no
    # task left: deleted or never made); `review status` counts the same (passM55 #3, #8);
    # None: not a review set, or K not recorded
    manifest["review"]["passages_short_of_own_reviewers"] = collected.short_of_k
    # blind (one project per reviewer) or one shared project, stated for an auditor
    manifest["review"]["mode"] = review_mode(
        review_set=collected.review_set,
        reviewer_projects=len(collected.reviewer_projects),
        reviewers_per_task=collected.reviewers_per_task,
        shared=sum(1 for t in collected.projects if t != adjudication_title(project)),
        exposure=exposure,
        queue_of=collected.queue_of,
        late=late_round,
        other_queues=manifest["review"]["answers_in_other_queues"],
        written_by=manifest["review"]["answers_written_by_another_account"],
    )
    # late changes (None: no adjudication project task yet / no previous export in ``out``)
    manifest["review"]["answers_changed_after_round"] = late_round
    manifest["review"]["answers_changed_since_previous_export"] = late_since_export
    # one reviewer's queue of a review set exported alone: the set, the reviewer, K (None:
    # the whole review set or a plain project was read)
    manifest["review"]["partial_of"] = collected.queue_of
    if decision_records:
        manifest["decision_records"] = records_entry(len(rows))
    steps = WRITE_STEPS + int(decision_records)
    doc_of = {str(r["id"]): r["doc_id"] for r in (*rows, *collected.gold_rows)}
    for repost, entry in (reposts.get("by_passage") or {}).items():
        doc_of.setdefault(str(repost), entry.get("doc_id") if isinstance(entry, dict) else None)
    # the same ids renamed in every file: the rows (hence every format and the decision
    # records), the manifest and the review reports (report/ is derived from them)
    rows = [pseudonyms.row(r) for r in rows]
    gold_lines = sorted(
        (pseudonyms.row(r) for r in gold_file_rows(gold_rows, not_offered)),
        key=lambda r: str(r["id"]),
    )
    manifest = pseudonyms.apply(manifest)
    reports = pseudonyms.apply(reports)
    aside, aside_why = previous_export_aside(out, manifest.get("exported_at"))
    # the mapping back before the hand-out: written after it, a map a full disk refused left
    # a hand-out nobody could map back while the error said nothing was left (faults58 #8);
    # lines written for an export that then fails name the same key's pseudonyms, which
    # its re-run gives again
    kept = write_map(pseudonyms, project, doc_of, id_map)
    kept_in_report = _write_atomically(
        out,
        rows,
        tax,
        manifest,
        extra=reports,
        progress=stage(progress, "write", unit="step", total=steps),
        replace=overwrite,
        gold=gold_lines,
        aside=aside,
        aside_why=aside_why,
    )
    log.info("exported %d rows of project %r to %s", len(rows), project, out)
    if kept:
        log.info(
            "%d passage id(s) pseudonymised (%d row(s)); the mapping back is in %s",
            len(pseudonyms.mapping),
            pseudonyms.rows,
            kept,
        )
    return ExportResult(
        out=out,
        rows=len(rows),
        splits={s: splits.count(s) for s in SPLITS},
        annotations=manifest["annotations"],
        reviewers=manifest["reviewers"],
        ties=manifest["label_ties"],
        manifest=manifest,
        labels_missing=labels_missing_from_splits(
            [r["labels"] for r in rows], list(splits), tax.category_names
        ),
        gold=(reports.get("agreement.json") or {}).get("gold") or {},
        kept=kept_in_report,
        kept_aside=(
            f"report/{aside}"
            if aside and any(k.startswith(f"report/{aside}/") for k in kept_in_report)
            else None
        ),
    )


def other_queues_record(queues: list[dict[str, Any]]) -> dict[str, Any]:
    """The manifest's ``review.answers_in_other_queues`` of
    :attr:`annotate.review.collect.Collected.answers_in_other_queues`: ``answers`` (in
    all), ``queues`` (how many hold any), ``by`` (each other account's pseudonym -> its
    answers there), ``queues_listed`` (each queue: its reviewer, project id, the other
    accounts' answers in it)."""
    by: dict[str, int] = {}
    for q in queues:
        for who, n in q["answers_by"].items():
            by[who] = by.get(who, 0) + int(n)
    return {
        "answers": sum(by.values()),
        "queues": len(queues),
        "by": dict(sorted(by.items())),
        "queues_listed": queues,
    }


def written_by_record(answers: list[dict[str, Any]], lead: list[dict[str, Any]]) -> dict[str, Any]:
    """The manifest's ``review.answers_written_by_another_account``: the reviewers' answers
    (``answers``, :func:`annotate.review.collect.written_by_other_record`) and the lead's
    (``lead``) last written by another account than the one they are credited to, counted
    (``answers``, ``passages``, ``by``: writer -> answers, ``lead_answers``) and listed
    (``listed``, the first 100; ``lead_listed``)."""
    by: dict[str, int] = {}
    for a in [*answers, *lead]:
        by[str(a["written_by"])] = by.get(str(a["written_by"]), 0) + 1
    return {
        "answers": len(answers),
        "passages": len({a["passage"] for a in answers}),
        "lead_answers": len(lead),
        "by": dict(sorted(by.items())),
        "listed": answers[:100],
        "lead_listed": lead[:100],
    }


def previous_export_aside(out: Path, exported_at: object) -> tuple[str | None, str]:
    """The sub-folder of ``report/`` that the files an auditor put into the previous
    export's ``report/`` (a sign-off, notes) move to when ``out`` is replaced by the export
    made at ``exported_at``, and the note put beside them naming the export they were
    written against (passH53 H4: a sign-off stayed beside numbers it never approved);
    (None, "") when ``out`` holds no previous export."""
    from annotate.audit.report_files import aside_name

    try:
        data = (out / MANIFEST).read_bytes()
    except OSError:
        return None, ""
    try:
        before = json.loads(data)
    except ValueError:
        before = {}
    before = before if isinstance(before, dict) else {}
    when = before.get("exported_at")
    title = (
        (before.get("project") or {}).get("title")
        if isinstance(before.get("project"), dict)
        else None
    )
    digest = hashlib.sha256(data).hexdigest()
    why = (
        "These files were in report/ of the previous export in this folder"
        + (f" (project {title!r})" if isinstance(title, str) else "")
        + f", exported at {when or 'an unknown time'}, manifest.json SHA-256 {digest}. "
        f"That export was replaced by the export made at {exported_at} (export --overwrite). "
        "They were written against the previous export, not the report in the folder "
        "above: a sign-off here approves that export's numbers only."
    )
    return aside_name(when, digest), why


def labels_missing_from_splits(
    labels: Sequence[Sequence[str]], splits: Sequence[str], categories: Sequence[str]
) -> dict[str, list[str]]:
    """For validation and test, when they hold passages: the categories (in taxonomy
    order) some passage of the corpus has and none of theirs has. A document's split is
    a hash draw, not stratified by label, so a small corpus often leaves a label out of
    validation (where training calibrates it and picks its threshold) or test (where
    train and evaluate measure it)."""
    present = {c for row in labels for c in row}
    out: dict[str, list[str]] = {}
    for split in EVAL_SPLITS:
        held = [row for row, s in zip(labels, splits, strict=True) if s == split]
        if held:
            seen = {c for row in held for c in row}
            if missing := [c for c in categories if c in present and c not in seen]:
                out[split] = missing
    return out


# ---- reading ----------------------------------------------------------------------------
# ---- writing --------------------------------------------------------------------------
def near_dup_report(rows: list[dict[str, Any]], splits: list[str]) -> dict[str, Any]:
    """Near-duplicate groups of the exported rows and any that spans two splits.

    Splits are assigned so that a group stays in one split; a group found in several
    (e.g. passages pushed before ingest marked near-duplicates) is named here and logged.
    """
    groups = ingest_group_column(rows)
    cross = cross_split_groups(groups, splits)
    for group, where in cross.items():
        log.warning("near-duplicate group %s spans splits %s", group, ", ".join(where))
    marked = [g for g in groups if g is not None]
    return {
        "groups": len(set(marked)),
        "passages": len(marked),
        "cross_split_groups": cross,
    }


DOCUMENT_SHA256_OF = (
    "the UTF-8 bytes of the document's text as `annotate ingest` split it (the text start/end "
    "index into): decoded, a UTF-8 BOM dropped, control characters removed, masked by "
    "ingest --redact when it ran; a UTF-8 text file's own SHA-256 when it has none of these"
)


def document_sha256_report(
    rows: list[dict[str, Any]], *, left_out_by_redact: bool = False
) -> dict[str, Any]:
    """The manifest's ``document_sha256``: what the rows' hash is of, the rows without one
    (passages ingested before ingest recorded it: their column is null) and the documents
    whose rows carry several hashes (passages of two versions of one file), logged once;
    ``left_out_by_redact``: export --redact writes the column null in every row (counted
    here from the rows before)."""
    missing = sum(1 for r in rows if not r.get("document_sha256"))
    hashes: dict[str, set[str]] = {}
    for r in rows:
        if r.get("document_sha256"):
            hashes.setdefault(str(r["doc_id"] or r["id"]), set()).add(str(r["document_sha256"]))
    several = sorted(doc for doc, found in hashes.items() if len(found) > 1)
    if missing:
        log.info(
            "%d of %d row(s) have no document_sha256 (their passages were ingested before "
            "ingest recorded it): the column is null for them",
            missing,
            len(rows),
        )
    if several:
        replaced = _replaced_passages(rows, set(several))
        if replaced:
            doc, index, ids = replaced[0]
            log.warning(
                "%d document(s) have passages from more than one version of their text "
                "(several document_sha256): %d passage(s) of an earlier version share a "
                "doc_id and passage_index with a later version's passage (e.g. %r passage "
                "%s: %s): a document edited after it was pushed, pushed again; reviewers "
                "answered both texts and the corpus holds both; if the earlier text "
                "should not count, delete its task(s) in Label Studio (Data Manager, filter "
                "by passage_id; deleting a task deletes its answers) and export again",
                len(several),
                sum(len(found) - 1 for _, _, found in replaced),
                doc,
                index,
                " and ".join(map(repr, ids)),
            )
        else:
            log.warning(
                "%d document(s) have passages from more than one version of their text "
                "(several document_sha256, e.g. doc_id %r): edited and ingested again, the "
                "passages the edit left unchanged keep the earlier version's hash (`ingest "
                "--previous` leaves them out of the new batch); manifest.json "
                "document_sha256 names them",
                len(several),
                several[0],
            )
    return {
        "of": DOCUMENT_SHA256_OF,
        "left_out_by_export_redact": left_out_by_redact,
        "rows_without": missing,
        "documents_with_several": len(several),
        "documents_with_several_examples": several[:5],
    }


def _replaced_passages(
    rows: list[dict[str, Any]], docs: set[str]
) -> list[tuple[str, Any, list[str]]]:
    """Of the documents ``docs`` (several document_sha256), each position held by passages
    of two versions: ``(doc_id, passage_index, passage ids)``, the ids in row order, for
    the positions where rows of different hashes share a passage_index (the earlier
    text's passage beside the one an edit replaced it with), sorted by doc and index."""
    held: dict[tuple[str, Any], list[tuple[str, str]]] = {}
    for r in rows:
        doc = str(r["doc_id"] or r["id"])
        if doc in docs and r.get("document_sha256") and r.get("passage_index") is not None:
            held.setdefault((doc, r["passage_index"]), []).append(
                (str(r["id"]), str(r["document_sha256"]))
            )
    return [
        (doc, index, [pid for pid, _ in found])
        for (doc, index), found in sorted(held.items(), key=lambda kv: (kv[0][0], kv[0][1]))
        if len({sha for _, sha in found}) > 1
    ]


def ingest_runs_report(
    rows: list[dict[str, Any]], records: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The manifest's ``ingest_runs``: each ingest run that cut rows of the corpus (its
    record, :mod:`annotate.ingestion.record`, with the ``rows`` it gave), and the rows
    whose task carries no readable record (``rows_without_record``: passages ingested
    before ingest recorded its settings, or pre-labels not made from ingest's output),
    logged once: their settings are not known, and none are guessed."""
    from annotate.studio.run_folders import restore

    # the folders push kept out of the tasks, as this machine recorded them (passL54 6)
    records = {run: restore(record) for run, record in records.items()}
    counts = Counter(r.get("ingest_run") for r in rows)
    missing = sum(n for run, n in counts.items() if run is None or run not in records)
    if missing:
        log.info(
            "%d of %d row(s) have no ingest record (ingested before ingest recorded its "
            "settings, or pre-labels not made from `annotate ingest` output): how their "
            "passages were cut is unknown",
            missing,
            len(rows),
        )
    return {
        "runs": [
            {**records[run], "rows": n}
            for run, n in sorted(counts.items(), key=lambda kv: str(kv[0]))
            if run is not None and run in records
        ],
        "rows_without_record": missing,
    }


def moved_since_previous(
    out: Path, rows: list[dict[str, Any]], previous: dict[str, PreviousRow] | None
) -> dict[str, Any] | None:
    """The passages of the previous export in ``out`` (about to be replaced) that change
    split in this one, counted by move (``train->test``), and logged: a model trained on
    the previous export's train split has seen them. Splits are a hash of each document's
    group and the seed, so this happens only with another seed or ratios, a new
    near-duplicate or reply-thread link (the merged group takes its smallest document
    id's split), or a previous export made before splits were stable or before reply
    threads were linked. None without a previous export.
    ``previous``: its rows (:func:`annotate.corpus.previous_export.previous_rows`; None:
    ``out`` holds no previous export)."""
    if previous is None:
        return None
    before = {pid: p.split for pid, p in previous.items()}
    moves: Counter[str] = Counter()
    examples: list[str] = []
    for r in rows:
        was = before.get(str(r["id"]))
        if was is not None and was != r["split"]:
            moves[f"{was}->{r['split']}"] += 1
            if len(examples) < 5:
                examples.append(str(r["id"]))
    moved = sum(moves.values())
    if moved:
        log.warning(
            "%d passage(s) of the previous export in %s change split in this one (%s; e.g. %s): "
            "a model trained on the previous export's train split has seen those now held "
            "out. Splits depend only on each document and --seed: a new near-duplicate or "
            "reply-thread link, another --seed or ratios, or a previous export made before "
            "splits were stable (or before reply threads were kept in one split) moves them",
            moved,
            out,
            ", ".join(f"{k} {n}" for k, n in sorted(moves.items())),
            ", ".join(examples),
        )
    return {
        "passages_compared": sum(str(r["id"]) in before for r in rows),
        "moved": moved,
        "moves": dict(sorted(moves.items())),
        "examples": examples,
    }


def pseudonyms_record(pseudonyms: Pseudonyms, out: Path) -> dict[str, Any]:
    """The manifest's ``redaction.masked_at_export.pseudonymised_ids``, compared with the
    previous export in ``out``: another key is logged (every pseudonym differs, so the two
    exports' masked rows no longer match by id)."""
    before = previous_key_fingerprint(_previous_manifest(out))
    record = pseudonyms.record(before)
    if record["same_key_as_previous_export"] is False:
        log.warning(
            "the previous export in %s pseudonymised passage ids with another key "
            "(fingerprint %s, now %s): the ids of rows whose text was masked differ between "
            "the two. Export with the key it used (--id-key) unless the change is meant",
            out,
            before,
            record["key_fingerprint"],
        )
    return record


SALT_FINGERPRINT_OF = (
    "the first 16 hex digits of SHA-256('annotate pseudonym salt' NUL salt): equal for "
    "exports whose reviewer ids were made with the same salt; the salt cannot be read from it"
)


def salt_fingerprint(salt: str) -> str:
    """A short, one-way fingerprint of the pseudonym salt (:data:`SALT_FINGERPRINT_OF`).
    It tells whether two exports name reviewers alike; guessing a weak salt from it is no
    easier than from the pseudonyms themselves (a hash of salt and a small user id)."""
    return hashlib.sha256(f"annotate pseudonym salt\x00{salt}".encode()).hexdigest()[:16]


def salt_record(salt: str, out: Path) -> dict[str, Any]:
    """The manifest's ``pseudonym_salt``: the salt's fingerprint, what it is, and whether
    the previous export in ``out`` (about to be replaced) was made with the same salt (None:
    no previous export, or one made before exports recorded it). Another salt is logged:
    every reviewer id of the new export differs from the previous one's."""
    fingerprint = salt_fingerprint(salt)
    before = _previous_fingerprint(out)
    same = None if before is None else before == fingerprint
    if same is False:
        log.warning(
            "the previous export in %s named reviewers with another pseudonym salt "
            "(fingerprint %s, now %s): every reviewer id differs between the two, so they "
            "cannot be matched across them. Export with the salt it used "
            "(ANNOTATE_PSEUDONYM_SALT, or the .annotate/pseudonym_salt of where it ran) unless "
            "the change is meant",
            out,
            before,
            fingerprint,
        )
    return {"fingerprint": fingerprint, "of": SALT_FINGERPRINT_OF, "same_as_previous_export": same}


def _previous_manifest(out: Path) -> Any:
    """The manifest of the previous export in ``out`` as parsed JSON; None where there is
    none or it does not parse (verify says what is wrong with it)."""
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _previous_fingerprint(out: Path) -> str | None:
    try:
        value = _previous_manifest(out)["pseudonym_salt"]["fingerprint"]
    except (KeyError, TypeError):
        return None
    return value if isinstance(value, str) else None


FILE_SUFFIXES = (".parquet", ".jsonl", ".json", ".csv")


def _check_target(out: Path, project: str) -> None:
    """ExportError unless ``out`` may become the export folder: new, empty or a previous
    export of ``project``; a new name ending like a file (``corpus.parquet``) is refused,
    since the export is a folder (a user who typed it expects one file), and so is a
    folder inside another export (its files would fail that export's verify)."""
    for parent in out.resolve().parents:
        # an export's own layout (a web project's manifest.json alone is no export)
        if (parent / MANIFEST).is_file() and (parent / "hf" / "dataset_dict.json").is_file():
            outside = os.path.relpath(parent.parent / out.name)
            raise ExportError(
                f"--out {out} is inside the export {os.path.relpath(parent)} (it holds "
                f"{MANIFEST}); an export written there would fail that one's `annotate "
                "verify` and stop the next export into it.",
                fix=f"pass an --out outside it, e.g. --out {outside}.",
            )
    previous = (out / MANIFEST).is_file()
    if previous:
        try:
            manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
            before = (manifest.get("project") or {}).get("title")
        except (OSError, ValueError, AttributeError):
            before = None  # not readable as a manifest: verify says what is wrong with it
        if isinstance(before, str) and before != project:
            raise ExportError(
                f"{out} holds the export of project {before!r}; this export is of project "
                f"{project!r}, and writing it there would replace that corpus.",
                fix=f"pass another --out for {project!r}, or remove {out} if that corpus is "
                "no longer needed.",
            )
        _check_no_foreign_files(out, manifest if before is not None else {})
    if out.suffix.lower() in FILE_SUFFIXES and not previous:
        raise ExportError(
            f"--out {out} names a {out.suffix} file, but export writes a folder (HF dataset "
            "+ Parquet + JSONL + manifest.json).",
            fix=f"pass a folder name, e.g. --out {out.with_suffix('')}/ (its Parquet files "
            "are in parquet/).",
        )
    if out.exists() and (
        not out.is_dir() or (any(out.iterdir()) and not (out / MANIFEST).is_file())
    ):
        raise ExportError(
            f"{out} exists and is not a previous export (no {MANIFEST}); refusing to replace it.",
            fix="pass a new --out directory, or remove that one.",
        )


def _check_no_foreign_files(out: Path, manifest: dict[str, Any]) -> None:
    """ExportError when the previous export ``out`` holds files it did not write (not in
    its manifest, nor in ``report/``): replacing the folder whole would delete them (an
    auditor's notes, a sign-off). Those in ``report/`` are kept by the new export (see
    :mod:`annotate.audit.report_files`)."""
    listed = manifest.get("files")
    if not isinstance(listed, dict):
        return
    from annotate.audit.verify import DERIVED_DIRS

    foreign = sorted(
        rel
        for p in out.rglob("*")
        if p.is_file()
        and (rel := p.relative_to(out).as_posix()) not in listed
        and rel != MANIFEST
        and p.relative_to(out).parts[0] not in DERIVED_DIRS
        and not is_os_file(rel)  # .DS_Store, Thumbs.db ...: nobody's work, replaced too
    )
    if foreign:
        more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        named = ", ".join(foreign[:5]) + more
        raise ExportError(
            f"{out} is a previous export, but {len(foreign)} file(s) in it are not part of it "
            f"({named}); the new export replaces the folder whole and would delete them.",
            fix="move them out of the folder (or pass another --out), then export again.",
        )


def _versions(client: StudioClient) -> dict[str, str | None]:
    def pkg(name: str) -> str | None:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return None

    return {
        # with the git revision when run from a checkout: "0.1.0 (git 1a2b3c4)"
        "annotate": tool_version(),
        "label_studio_server": client.server_version(),
        "label_studio_sdk": pkg("label-studio-sdk"),
        "datasets": pkg("datasets"),
        "pyarrow": pkg("pyarrow"),
    }


def _verify(tmp: Path, counts: dict[str, int]) -> None:
    """Read the dataset back: what is renamed into place must load, with every row."""
    from datasets import load_from_disk

    loaded = load_from_disk(str(tmp / "hf"))
    found = {s: len(loaded[s]) for s in loaded}
    if found != counts:
        raise ExportError(
            f"the written dataset reads back with {found} rows, expected {counts}.",
            fix="check free disk space and run the export again.",
        )


def _encodable(column: str, value: Any, tax: Taxonomy) -> Any:
    """``value`` of ``column`` with the label names inside each annotation given as
    ClassLabel ids (the lead's answer, ``adjudication``, alike).

    ``datasets`` encodes a nested list only when encoding changes its first element, so
    an annotation with no categories and no spans first in the list (a reviewer may
    submit an empty answer) left the names of the annotations after it unencoded, and
    the export failed on the cast to int64.
    """
    if column not in ("annotations", "adjudication") or value is None:
        return value
    cat = {n: i for i, n in enumerate(tax.category_names)}
    span = {n: i for i, n in enumerate(tax.span_names)}

    def encoded(a: dict[str, Any]) -> dict[str, Any]:
        out = {
            **a,
            "categories": [cat[c] for c in a.get("categories") or []],
            "spans": [{**sp, "label": span[sp["label"]]} for sp in a.get("spans") or []],
        }
        if "categories_answered" in a:  # as ticked (none with another: no vote), alike
            out["categories_answered"] = [cat[c] for c in a.get("categories_answered") or []]
        return out

    # the lead's answer (adjudication): its own categories and spans, encoded alike
    return encoded(value) if column == "adjudication" else [encoded(a) for a in value]


@contextmanager
def _kept_from_racing(out: Path) -> Iterator[None]:
    """ExportError for the FileExistsError of a commit that would have replaced a folder
    written at ``out`` while this export ran (see :func:`_write_atomically`)."""
    try:
        yield
    except FileExistsError as exc:
        if Path(exc.filename or "") != out:
            raise
        raise ExportError(
            f"{out} was written by another process while this export ran (another machine's "
            "export, or an older annotate's); it was left as it is and this export was not "
            "kept.",
            fix="check what is in it; to replace it, export again with --overwrite, or pass "
            "another --out.",
        ) from None


def _write_atomically(
    out: Path,
    rows: list[dict[str, Any]],
    tax: Taxonomy,
    manifest: dict[str, Any],
    extra: dict[str, Any] | None = None,
    progress: ProgressFn | None = None,
    replace: bool = True,
    gold: Sequence[dict[str, Any]] = (),
    aside: str | None = None,
    aside_why: str = "",
) -> list[str]:
    """Write the corpus into a temporary folder renamed to ``out`` at the end;
    ``progress`` advances by one per step (``WRITE_STEPS``, one more with decision
    records). Returns the files of the previous ``report/`` the tool did not write, kept
    in the new one (relative to ``out``). ``replace=False``: ExportError, the corpus
    written discarded, when ``out`` is no longer missing or empty at the end (a folder
    another process wrote meanwhile is never replaced). ``gold``: the lines of
    ``gold.jsonl`` (none: no such file), beside the manifest, in no split."""
    from datasets import Dataset, DatasetDict
    from datasets.utils import logging as ds_logging

    ds_logging.disable_progress_bar()  # library code: no bars of its own on the user's terminal
    try:
        with _kept_from_racing(out), atomic_output(out, replace=replace) as tmp:
            features = corpus_features(tax)
            by_split = {s: [r for r in rows if r["split"] == s] for s in SPLITS}
            dsd = DatasetDict(
                {
                    s: Dataset.from_dict(
                        {k: [_encodable(k, r[k], tax) for r in part] for k in features},
                        features=features,
                    )
                    for s, part in by_split.items()
                }
            )
            # one shard at least per split: datasets cannot load a split saved with zero shards
            dsd.save_to_disk(
                str(tmp / "hf"), num_shards={s: max(1, len(ds) // 100_000) for s, ds in dsd.items()}
            )
            advance(progress, 1)
            _verify(tmp, {s: len(part) for s, part in by_split.items()})
            advance(progress, 1)
            (tmp / "parquet").mkdir()
            (tmp / "jsonl").mkdir()
            for split, ds in dsd.items():
                ds.to_parquet(str(tmp / "parquet" / f"{split}.parquet"))
            advance(progress, 1)
            for split in dsd:
                with (tmp / "jsonl" / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
                    for row in by_split[split]:
                        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            advance(progress, 1)
            # the rows without their export time: equal for two exports of the same state
            manifest[CONTENT_KEY] = content_record(tmp)
            for name, content in (extra or {}).items():  # review reports: agreement.json ...
                (tmp / name).write_text(
                    json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
                )
            if gold:  # the gold passages: listed in manifest files, in no split
                with (tmp / GOLD_FILE).open("w", encoding="utf-8") as fh:
                    for line in gold:
                        fh.write(json.dumps(line, ensure_ascii=False) + "\n")
            # the taxonomy the export was labelled under, listed and checksummed with the rest
            (tmp / TAXONOMY_FILE).write_text(taxonomy_yaml(tax), encoding="utf-8")
            if isinstance(manifest.get("taxonomy"), dict):
                manifest["taxonomy"]["file"] = TAXONOMY_FILE
            advance(progress, 1)
            if manifest.get("decision_records"):
                from annotate.corpus.offered import vote_record

                write_records(
                    tmp / manifest["decision_records"]["file"],
                    rows,
                    tax,
                    manifest.get("review"),
                    vote_record(manifest),
                )
                advance(progress, 1)
            # a corpus from more input files than the manifest lists: their listing
            listing = (manifest.get("input_files") or {}).get("listing")
            if isinstance(listing, dict):
                listing.update(write_input_files_listing(tmp / listing["file"], rows))
            # the review reports beside the rows, without their export time
            written = [p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file()]
            manifest[REPORTS_KEY] = reports_record(tmp, report_files(written))
            manifest["files"] = {
                str(p.relative_to(tmp)): {"sha256": _sha256(p), "bytes": p.stat().st_size}
                for p in sorted(tmp.rglob("*"))
                if p.is_file()
            }
            manifest.update(with_digest(manifest))  # an edit by hand is found by verify
            (tmp / MANIFEST).write_text(
                json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            advance(progress, 1)
            # derived from the files above, not in the manifest; it records the final folder
            # the previous report/'s files it did not write (a sign-off) are kept
            kept = write_report(
                tmp,
                tmp / "report",
                location=out.resolve(),
                keep_from=out / "report",
                aside=aside,
                aside_why=aside_why,
            ).kept
            advance(progress, 1)
    finally:
        ds_logging.enable_progress_bar()
    return [f"report/{rel}" for rel in kept]
