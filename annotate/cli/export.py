"""`annotate export`: a Label Studio project -> the reviewed corpus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from annotate._util.shell import sh
from annotate.cli.app import (
    AcceptChangedAnswersOpt,
    Bars,
    GoldMinAccuracyOpt,
    GoldSeverityOpt,
    LabelsOpt,
    QuietOpt,
    app,
    between_zero_and_one,
    counted,
    echo,
    note,
    project_name,
)
from annotate.cli.audit import RedactOpt, redaction
from annotate.defaults import DEFAULT_NEAR_DUP_THRESHOLD


def waiting_ties_said(manifest: dict[str, Any]) -> str:
    """What the ties among the passages waiting for the lead hold until the lead answers,
    by what was tied (the manifest's ``review.awaiting_adjudication_ties``): categories
    split evenly (left out of the row's labels) or the severity only (the highest tied
    level); "" when none is a tie. An export made before that record: the count alone."""
    review = manifest.get("review") or {}
    kinds = review.get("awaiting_adjudication_ties")
    if not isinstance(kinds, dict):
        ties = (manifest.get("label_ties") or 0) - (
            review.get("ties_not_sent_to_adjudication") or 0
        )
        if ties <= 0:
            return ""
        return (
            f" (the {ties} tied, label_tie true: without the categories split evenly, with "
            "the highest tied severity)"
        )
    from annotate.audit.report import ties_kinds_said

    said = ties_kinds_said(kinds)
    return f" (label_tie true; {said})" if said else ""


@app.command("export")
def export_cli(
    project: Annotated[
        str,
        typer.Option("--project", "-p", callback=project_name, help="Label Studio project title."),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Output directory: new or empty (a previous export only with --overwrite); "
            "a name ending in .parquet/.jsonl/.json/.csv is refused (the export is a folder).",
        ),
    ],
    labels_file: LabelsOpt = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the split assignment.")] = 0,
    gold_min_accuracy: GoldMinAccuracyOpt = None,
    gold_severity: GoldSeverityOpt = False,
    redact: RedactOpt = False,
    decision_records: Annotated[
        bool,
        typer.Option(
            "--decision-records",
            help="Also write decision_records.jsonl: one DSA-style statement of reasons per "
            "reviewed passage (docs/decision-records.md).",
        ),
    ] = False,
    near_dup_threshold: Annotated[
        float,
        typer.Option(
            "--near-dup-threshold",
            callback=between_zero_and_one,
            help="Exported passages of different documents whose word 3-grams (character "
            "n-grams in Chinese, Japanese, Thai) overlap this much (Jaccard, MinHash LSH, "
            "as at ingest) go to one split, whatever ingest run they came from (above 0, "
            "below 1).",
        ),
    ] = DEFAULT_NEAR_DUP_THRESHOLD,
    near_dups: Annotated[
        bool,
        typer.Option(
            "--near-dups/--no-near-dups",
            help="Search the exported passages for near-duplicates (off: ingest's "
            "near_dup_group only).",
        ),
    ] = True,
    id_key: Annotated[
        Path | None,
        typer.Option(
            "--id-key",
            help="With --redact: the secret that pseudonymises the ids of rows whose text is "
            "masked, of such gold passages and of document ids holding personal data (default "
            "$ANNOTATE_HOME/passage_id_key, made on first use); the same key "
            "gives the same ids in every export. Kept outside --out.",
        ),
    ] = None,
    id_map: Annotated[
        Path | None,
        typer.Option(
            "--id-map",
            help="With --redact: the JSONL file where export keeps each pseudonym's ingest id "
            "(default $ANNOTATE_HOME/passage_pseudonyms.jsonl). Kept outside --out.",
        ),
    ] = None,
    original: Annotated[
        Path | None,
        typer.Option(
            "--original",
            help="With --redact: the in-house export (made without --redact) this hand-out "
            "stands for; verified, and its manifest SHA-256 recorded in the hand-out's "
            "manifest.json (redaction.original_export), so `annotate verify HANDOUT "
            "--same-as ORIGINAL` can tell it was made from it.",
        ),
    ] = None,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="Let --out be a previous export of the project and replace it whole "
            "(atomically; no copy is kept); without it such a folder is refused.",
        ),
    ] = False,
    accept_changed_answers: AcceptChangedAnswersOpt = False,
    require_complete: Annotated[
        bool,
        typer.Option(
            "--require-complete",
            help="Exit 1 (after writing the export and its warnings) when the review is "
            "not complete: tasks still open, disputes waiting for the lead or never sent "
            "to one, passages without a category, or one reviewer's queue read alone. For "
            "scripted and audited pipelines that must not take a partial review as done.",
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="--require-complete, and exit 1 too on what an auditor would reject in "
            "a finished review: answers last written by another account than the one "
            "credited, answers made in another reviewer's queue, passages short of K "
            "answers by their own reviewers (other than by a skip), lead decisions under "
            "the admin account or by a lead who reviewed the passage, reviewers flagged by "
            "--gold-min-accuracy whose answers count. For audits.",
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Write every reviewed passage as an HF DatasetDict, Parquet and JSONL, with a manifest."""
    from annotate.audit.passage_pseudonyms import default_key_path
    from annotate.audit.report_files import kept_note
    from annotate.cli.review.emails import emails_of
    from annotate.corpus.export import MANIFEST, export
    from annotate.ingestion.near_dups import check_threshold
    from annotate.review.report import check_gold_severity, check_min_accuracy

    check_min_accuracy(gold_min_accuracy)
    check_gold_severity(gold_severity, gold_min_accuracy)
    if (id_key or id_map) and not redact:
        raise typer.BadParameter(
            "--id-key and --id-map name the key and map of the passage ids --redact "
            "pseudonymises; without --redact no id is pseudonymised (pass --redact too)",
            param_hint="--id-key/--id-map",
        )
    if original is not None and not redact:
        raise typer.BadParameter(
            "--original names the in-house export a redacted hand-out stands for; this "
            "export is made without --redact (pass --redact too, or leave --original out)",
            param_hint="--original",
        )
    if near_dups:
        check_threshold(near_dup_threshold)  # outside (0, 1): one line, before any work
    replacing = (out / MANIFEST).is_file()
    if replacing and not overwrite:
        refuse_previous_export(out, project)
    with Bars(quiet) as bars:
        result = export(
            project,
            out,
            taxonomy=labels_file,
            seed=seed,
            redact=redaction(redact),
            decision_records=decision_records,
            gold_min_accuracy=gold_min_accuracy,
            gold_severity=gold_severity,
            near_dup_threshold=near_dup_threshold if near_dups else None,
            progress=bars,
            id_key=id_key,
            id_map=id_map,
            accept_changed_answers=accept_changed_answers,
            overwrite=overwrite,
            original=original,
        )
    splits = ", ".join(f"{k} {v}" for k, v in result.splits.items())
    echo(
        f"exported {counted(result.rows, 'reviewed passage')} ({splits}) with "
        f"{counted(result.annotations, 'annotation')} by {counted(result.reviewers, 'reviewer')}"
        + (
            f" and {lead} adjudication answer(s)"
            if (lead := result.manifest.get("adjudication_answers"))
            else ""
        )
        + f", {result.ties} tie(s)"
        + (
            f", {n} answer(s) without a category (incomplete: not ties; they do not vote "
            "on the categories)"
            if (n := result.manifest.get("incomplete_answers"))
            else ""
        )
        + f", to {result.out}"
        f" (report: {result.out / 'report' / 'report.html'}"
        + ("; personal data masked" if redact else "")
        + ("; decision_records.jsonl" if decision_records else "")
        + ")"
    )
    if kept := kept_note(result.kept, result.out, aside=result.kept_aside):
        note(kept, quiet)
    if open_tasks := result.manifest.get("tasks_unanswered_in_label_studio"):
        echo(open_tasks_warning(result.manifest, open_tasks))
    if rewritten := written_by_warning(result.manifest, project):
        echo(rewritten)
    if held := held_back_warning(result.manifest, project):
        echo(held)
    if contradicted := none_with_other_warning(result.manifest):
        echo(contradicted)
    if harm_none := harmful_severity_none_warning(result.manifest):
        echo(harm_none)
    if without_harm := severity_without_harm_warning(result.manifest):
        echo(without_harm)
    for line in answer_version_warnings(
        result.manifest.get("taxonomy_versions_of_answers") or {},
        str((result.manifest.get("taxonomy") or {}).get("version") or ""),
        where="manifest.json taxonomy_versions_of_answers; each annotation's taxonomy_version",
        then="; export again then",
    ):
        echo(line)
    if migrated := migrations_note(result.manifest):
        note(migrated, quiet)
    if again := result.manifest.get("answers_superseded_by_same_reviewer"):
        note(
            f"note: {again} answer(s) were replaced by a later answer of the same reviewer on "
            "the same passage (a second submit, or two copies of one passage); only each "
            "reviewer's latest counts (manifest.json answers_superseded_by_same_reviewer)",
            quiet,
        )
    seen = ((result.manifest.get("review") or {}).get("mode") or {}).get("adjudication_exposure")
    if warned := exposure_warning(
        seen,
        "the review is stated blind only until then, and agreement.json's figures leave "
        "them out (manifest.json review.mode; agreement.json answers_after_adjudication)",
    ):
        echo(warned)
    from annotate.review.blindness import late_gold_sentence, late_sentence, new_work_sentence

    review = result.manifest.get("review") or {}
    for key, after in (
        ("answers_changed_after_round", "adjudication started at {since}"),
        ("answers_changed_since_previous_export", "the previous export into this folder ({since})"),
    ):
        late = review.get(key)
        when = after.format(since=(late or {}).get("since"))
        if said := late_sentence(late, when):
            echo(f"warning: {said} (manifest.json review.{key})")
        # first answers to passages nobody had answered then: new work, not a warning
        if said := new_work_sentence(late, when):
            note(f"note: {said} (manifest.json review.{key}.new_answers)", quiet)
        if said := late_gold_sentence(late, when):
            echo(f"warning: {said} (manifest.json review.{key}.gold)")
    if (result.out / MANIFEST).is_file():
        from annotate.audit.verify import sha256_file

        echo(
            f"manifest.json SHA-256 {sha256_file(result.out / MANIFEST)}: keep it outside "
            f"the folder; `annotate verify {sh(result.out)} --manifest-sha256 <it>` then shows the "
            "corpus unchanged"
        )
    content = (result.manifest.get("content_sha256") or {}).get("sha256")
    if content:
        echo(
            f"content SHA-256 {content} (the rows without their export time): an export of "
            f"the same review state has the same; `annotate verify {sh(result.out)} --same-as "
            "OTHER` compares two"
        )
    made_from = (result.manifest.get("redaction") or {}).get("original_export") or {}
    if made_from and original is not None:
        echo(
            f"made from {original} (manifest.json SHA-256 {made_from.get('manifest_sha256')}, "
            "recorded as redaction.original_export): `annotate verify "
            f"{sh(result.out)} --same-as {sh(original)}` compares what redaction keeps"
        )
    at_ingest = (result.manifest.get("redaction") or {}).get("at_ingest") or {}
    if at_ingest.get("ran"):
        from annotate.audit.redact import ingest_masking_said

        note(
            f"note: {ingest_masking_said(at_ingest, result.rows)} (`annotate ingest --redact`; "
            "manifest.json redaction.at_ingest)",
            quiet,
        )
    search = (result.manifest.get("near_duplicates") or {}).get("export_search") or {}
    if linked := search.get("documents_linked_beyond_ingest"):
        note(
            f"note: {linked} document(s) share a split with near-copies that another ingest "
            "run holds (manifest.json near_duplicates.export_search)",
            quiet,
        )
    if only_skipped := result.manifest.get("passages_skipped_without_answer"):
        note(
            f"note: {only_skipped} passage(s) were skipped by reviewers and answered by nobody: "
            "not in the corpus (manifest.json passages_skipped_without_answer; each row's "
            "skipped_by names who skipped it)",
            quiet,
        )
    unhashed = (result.manifest.get("document_sha256") or {}).get("rows_without")
    if unhashed:
        note(
            f"note: {unhashed} of {result.rows} passage(s) have no document_sha256 (ingested "
            "before ingest recorded the source document's hash): the column is null for them; "
            "ingest, prelabel and push them again to record it",
            quiet,
        )
    unlicensed = ((result.manifest.get("licenses") or {}).get("unknown") or {}).get("rows")
    if unlicensed:
        docs = result.manifest["licenses"]["unknown"].get("documents")
        note(
            f"note: {unlicensed} of {result.rows} passage(s) ({docs} document(s)) have no "
            "licence recorded: the license column is null for them (manifest.json "
            "licenses.unknown); `annotate ingest --license` records it for the next batch",
            quiet,
        )
    for line in licence_warnings(result.manifest.get("licenses") or {}, result.out):
        echo(line)
    unrecorded = (result.manifest.get("ingest_runs") or {}).get("rows_without_record")
    if unrecorded:
        note(
            f"note: {unrecorded} of {result.rows} passage(s) carry no ingest record (ingested "
            "before ingest recorded its settings, or not cut by `annotate ingest`): how they "
            "were cut is unknown (manifest.json ingest_runs.rows_without_record)",
            quiet,
        )
    if cannot_read := model_cannot_read_note(result.manifest, result.rows):
        note(cannot_read, quiet)
    if replacing:
        note(f"note: this export replaced the previous one in {result.out}", quiet)
    waiting = result.manifest.get("review", {}).get("awaiting_adjudication")
    if waiting:
        review = result.manifest.get("review") or {}
        tied = waiting_ties_said(result.manifest)
        note(
            f"note: {waiting} passage(s) sent to adjudication still wait for the lead; until "
            f"the lead answers, the corpus has the reviewers' vote for them{tied}",
            quiet,
        )
    if changed := changed_answers_line(result.manifest.get("review") or {}, project):
        echo(changed)
    lead_skips = result.manifest.get("review", {}).get("skipped_in_adjudication") or {}
    if said := lead_skips_note(lead_skips):
        note(said, quiet)
    review = result.manifest.get("review") or {}
    if severity_left := lead_severity_warning(review, project):
        echo(severity_left)
    if spans_kept := lead_spans_note(review):
        note(spans_kept, quiet)
    moot = (review.get("adjudication_no_longer_needed") or 0) - (
        len(review.get("agreed_only_after_shown") or [])
        if review.get("changed_answers_accepted")
        else 0
    )
    if moot:
        note(
            f"note: {moot} passage(s) sent to adjudication and not decided are no longer "
            "disputed (a reviewer changed an answer, or one was deleted in Label Studio): "
            "adjudication is no longer needed, the "
            "reviewers' vote decides them (a lead's answer there would still override it; "
            f"`annotate adjudicate --project '{project}'` names them)",
            quiet,
        )
    decided = result.manifest.get("review", {}).get("adjudicated_no_longer_disputed")
    if decided:
        note(
            f"note: {decided} passage(s) a lead decided are no longer disputed by their "
            "reviewers (one changed an answer since): the lead's answer still decides them "
            "(manifest.json review.adjudicated_no_longer_disputed)",
            quiet,
        )
    own = result.manifest.get("review", {}).get("adjudicated_by_own_reviewer") or {}
    if own.get("passages"):
        echo(own_adjudication_warning(own, project, emails_of(list(own.get("by") or {}))))
    by_admin = result.manifest.get("review", {}).get("adjudicated_by_admin") or {}
    if by_admin.get("passages"):
        echo(admin_adjudication_warning(by_admin, project, emails_of([by_admin["account"]])))
    unsent = result.manifest.get("review", {}).get("ties_not_sent_to_adjudication")
    if unsent:
        from annotate.review.mode import BLIND

        review_set = (result.manifest["review"].get("mode") or {}).get("kind") == BLIND
        when = (
            # adjudicate refuses a review set whose queues hold open tasks (not mid-round)
            " once the reviewers' open tasks are answered (it refuses while any is open; "
            "--mid-round sends them now)"
            if review_set and result.manifest.get("tasks_unanswered_in_label_studio")
            else ""
        )
        note(
            f"note: {unsent} tie(s) (no majority among the reviewers) were never sent to a "
            f"lead; the corpus marks them resolution 'tie'. Send them with `annotate "
            f"adjudicate --project '{project}'`{when}, then export again",
            quiet,
        )
    personal_data_warning(
        result.manifest.get("redaction") or {}, echo, result.manifest.get("gold_file")
    )
    masked = result.manifest.get("redaction", {}).get("masked_at_export") or {}
    renamed = masked.get("pseudonymised_ids") or {}
    if renamed.get("rows"):
        from annotate.audit.passage_pseudonyms import default_map_path

        note(
            f"note: {renamed['rows']} row(s) had their text masked by --redact; their passage "
            "ids were pseudonymised (pp_…, an HMAC keyed by "
            f"{id_key or default_key_path()}, since an ingest id is a hash of the unmasked "
            f"text); the mapping back is in {id_map or default_map_path()}, not in the export "
            "(manifest.json redaction.masked_at_export.pseudonymised_ids)",
            quiet,
        )
    per_passage = result.manifest.get("reviewers_per_passage") or {}
    k = result.manifest.get("review", {}).get("reviewers_per_task")
    most = max((int(n) for n in per_passage), default=0)
    short = sum(v for n, v in per_passage.items() if int(n) < (k or most))
    deleted = result.manifest.get("reviewer_queues_deleted") or []
    if deleted:
        echo(deleted_queues_warning(deleted, project))
    short_record = (result.manifest.get("review") or {}).get("passages_short_of_own_reviewers")
    if isinstance(short_record, dict) and short_record.get("passages"):
        note(short_note(short_record, project, deleted), quiet)
    elif k is not None and short:
        why = (
            f"{deleted_queues_named(deleted)} {'was' if len(deleted) == 1 else 'were'} "
            "deleted from the server with its tasks and answers (see the warning above); "
            "else their other reviewers' tasks are open or skipped"
            if deleted
            else "their other reviewers' tasks are open or skipped, or not made: push "
            "--max-graphic-per-reviewer holds graphic passages back (as does a reviewer's "
            "own max_graphic in labels.yaml)"
        )
        note(
            f"note: {short} passage(s) have answers from fewer than the {k} reviewers per "
            f"passage of this review set ({why}; "
            f"`annotate review status --project '{project}'`); they are resolved by the "
            "answers given (manifest.json reviewers_per_passage, review.reviewers_per_task)",
            quiet,
        )
    elif k is None and short and most >= 2:
        note(
            f"note: {short} passage(s) have answers from fewer reviewers than the {most} the "
            f"most-reviewed have ({_why_fewer(result.manifest)}; `annotate review status "
            f"--project '{project}'`); they are resolved by the answers given "
            "(manifest.json reviewers_per_passage)",
            quiet,
        )
    over = result.manifest.get("passages_over_reviewers_per_task") or {}
    if over.get("passages"):
        note(
            f"note: {over['passages']} passage(s) have answers from more than the "
            f"{over['reviewers_per_task']} reviewers per passage of this review set (a "
            "hand-over that stopped midway copied them and both the copy and the original "
            "were answered); every answer counts: the extra answer votes (it can break a tie "
            "the other answers would have left, or make one) and counts in agreement. "
            f"`annotate review status --project '{project}'` names them and how to keep an "
            "answer out (manifest.json passages_over_reviewers_per_task)",
            quiet,
        )
    if reposts_line := reposts_note(result.manifest.get("reposts") or {}):
        note(reposts_line, quiet)
    flagged = result.manifest.get("review", {}).get("flagged_reviewers")
    if flagged:
        severity = flagged_severity_answers(result.out, flagged)
        echo(flagged_warning(flagged, gold_min_accuracy, emails_of(flagged), severity))
    if gold_min_accuracy is not None:
        from annotate.review.gold import unmeasured_gold_note

        # agreement.json's gold as export wrote it, handed back: not read again from disk
        without = list(result.gold.get("reviewers_without_gold") or [])
        if unmeasured := unmeasured_gold_note(
            gold_min_accuracy, result.gold, emails_of(without) if without else None
        ):
            echo(f"warning: {unmeasured}")
    also_regular = result.manifest.get("review", {}).get("gold_passages_also_regular")
    if also_regular:
        echo(
            f"warning: {also_regular} passage(s) of the regular data were skipped because they "
            "are gold tasks: kept out of the corpus and scored as gold (manifest.json "
            "review.gold_passages_also_regular; push them under another id to review them)"
        )
    if not result.rows:  # the result (an empty corpus): -q too
        # lead59 #7: exit 0 still, as ingest's empty table (train refuses it; a script
        # exporting a round under way keeps working), but a warning: nothing was exported
        still_open = result.manifest.get("tasks_unanswered_in_label_studio") or 0
        stop = (
            f" ({counted(still_open, 'task')} still open: a script that must stop here "
            "passes --require-complete, which exits 1 then)"
            if still_open and not (require_complete or strict)
            else ""
        )
        echo(
            f"warning: the export is EMPTY: no passage of {project!r} has a submitted "
            f"answer yet, so {result.out} holds no row and `annotate train` refuses it; "
            + (
                f"export again when reviewers have answered{stop}"
                if still_open
                else "no task is open either (every task skipped, or none found): answer "
                "the skipped ones, or check that --project names the project reviewers "
                "answered"
            )
        )
    empty = [name for name, n in result.splits.items() if not n]
    if result.rows and empty:
        note(
            f"note: no passage in {', '.join(empty)}: splits keep whole documents together, "
            f"and {counted(result.rows, 'passage')} {'is' if result.rows == 1 else 'are'} too "
            "few to fill every split; export again when "
            "more documents are reviewed before evaluating on these splits",
            quiet,
        )
    if result.rows and (gaps := missing_labels_note(result.labels_missing)):
        note(gaps, quiet)
    if strict and (found := integrity_findings(result.manifest, gold_min_accuracy)):
        from annotate.corpus.export import ExportError

        raise ExportError(
            f"--strict: the review of {project!r} has what an auditor would reject: "
            + "; ".join(what for what, _ in found)
            + f". The export was written to {result.out} (manifest.json names each "
            "finding), but it is not a review to hand on as it stands.",
            fix="; ".join(dict.fromkeys(fix for _, fix in found))
            + "; then export again (drop --strict to take this review as it is, its "
            "report saying what it holds).",
        )
    if (require_complete or strict) and not result.rows and not incomplete_review(result.manifest):
        raise empty_refusal(result.manifest, project, result.out, require_complete)
    if (require_complete or strict) and (open_work := incomplete_review(result.manifest)):
        from annotate.corpus.export import ExportError

        # the option given: --strict takes --require-complete in, and its message told a
        # user who gave only --strict to drop an option they never gave (s56 left #6)
        given = "--require-complete" if require_complete else "--strict"
        named = given if require_complete else "--strict (which includes --require-complete)"
        raise ExportError(
            f"{named}: the review of {project!r} is not complete: "
            f"{'; '.join(open_work)}. The export was written to {result.out}, but it is not "
            "the finished review.",
            fix=(
                f"export the whole review set: --project {partial['review_set']!r}"
                if (partial := (result.manifest.get("review") or {}).get("partial_of"))
                else "finish the review (answer the open tasks; `annotate adjudicate`, then "
                "the lead decides the disputes) and export again"
            )
            + f"; drop {given} to take a partial export on purpose.",
        )


def written_by_warning(manifest: dict[str, Any], project: str) -> str | None:
    """The export's warning on answers last written by another account than the one they
    are credited to (the manifest's ``review.answers_written_by_another_account``:
    Label Studio's ``updated_by``); None when there are none (passM55 #1)."""
    record = (manifest.get("review") or {}).get("answers_written_by_another_account") or {}
    listed = [*(record.get("listed") or []), *(record.get("lead_listed") or [])]
    if not listed:
        return None
    first = listed[0]
    whose = f"{first['reviewer']}'s answer" if "reviewer" in first else f"lead {first['lead']}'s"
    by = ", ".join(f"{who}: {n}" for who, n in (record.get("by") or {}).items())
    total = int(record.get("answers") or 0) + int(record.get("lead_answers") or 0)
    return (
        f"warning: {total} answer(s) were last written by another account than the one "
        f"they are credited to ({by}; e.g. {whose} on {first['passage']}, written by "
        f"{first['written_by']}): changed by that account in Label Studio, or made through "
        "the API in the reviewer's name, so the corpus cannot show they are the "
        "reviewer's own; they are exported under the reviewer's pseudonym, each marked "
        "(annotation written_by; manifest.json review.answers_written_by_another_account), "
        "they vote but the agreement figures leave them out (agreement.json "
        "answers_written_by_another_account), and the review is stated not blind. Fix: "
        "have the reviewer answer them again "
        f"from their own login in '{project}' (their latest answer counts), or delete "
        "them in Label Studio, then export again"
    )


def short_note(
    record: dict[str, Any], project: str, deleted: list[dict[str, Any]] | None = None
) -> str:
    """The export's note on a review set's passages with fewer than K answers by their
    queues' own reviewers (the manifest's ``review.passages_short_of_own_reviewers``), by why:
    what `annotate review status` counts too (passM55 #3, #8); ``deleted``: the manifest's
    ``reviewer_queues_deleted``, named first as a cause."""
    from annotate.review.collect import (
        SHORT_ANSWERED_TWICE,
        SHORT_NO_TASK,
        SHORT_OPEN,
        SHORT_OTHER_ACCOUNT,
        SHORT_SKIPPED,
    )

    said = {
        SHORT_OPEN: "a task of theirs still open",
        SHORT_SKIPPED: "skipped by a reviewer",
        SHORT_ANSWERED_TWICE: "answered by one account in two queues (counted once)",
        SHORT_OTHER_ACCOUNT: "answered in a queue by another account than its reviewer",
        SHORT_NO_TASK: "with no task open or skipped to account for it: a task deleted in "
        "Label Studio (with any answer it held) or not made ("
        + (
            "a push stopped midway)"
            if deleted
            else "push --max-graphic-per-reviewer holds "
            "graphic passages back (as does a reviewer's own max_graphic in labels.yaml); "
            "a push stopped midway)"
        ),
    }
    reasons = record.get("by_reason") or {}
    examples = record.get("examples") or {}
    parts = [
        f"{n} {said.get(kind, kind)}"
        + (f" (e.g. {examples[kind][0]})" if examples.get(kind) else "")
        for kind, n in reasons.items()
        if n
    ]
    k = record.get("reviewers_per_task")
    gone = (
        f"{deleted_queues_named(deleted)} {'was' if len(deleted) == 1 else 'were'} deleted "
        "from the server with its tasks and answers (see the warning above); else "
        if deleted
        else ""
    )
    return (
        f"note: {record['passages']} passage(s) have answers from fewer than the {k} "
        f"reviewers per passage of this review set ({gone}counting each queue's own "
        f"reviewer's answers: {'; '.join(parts)}; `annotate review status --project "
        f"{sh(project)}` counts the same); they are resolved by the answers given (manifest.json "
        "review.passages_short_of_own_reviewers, reviewers_per_passage)"
    )


def integrity_findings(
    manifest: dict[str, Any], gold_min_accuracy: float | None = None
) -> list[tuple[str, str]]:
    """What ``--strict`` fails on besides :func:`incomplete_review`, from an export's
    manifest: ``(what, fix)`` per finding an auditor would reject in a finished review
    (passM55 #1, #3, #8); empty when none."""
    review = manifest.get("review") or {}
    out: list[tuple[str, str]] = []
    written = review.get("answers_written_by_another_account") or {}
    if n := int(written.get("answers") or 0) + int(written.get("lead_answers") or 0):
        out.append(
            (
                f"{counted(n, 'answer')} last written by another account than the one "
                "credited (review.answers_written_by_another_account)",
                "have each reviewer answer them again from their own login, or delete them",
            )
        )
    astray = review.get("answers_in_other_queues") or {}
    if n := int(astray.get("answers") or 0):
        out.append(
            (
                f"{counted(n, 'answer')} made in "
                f"{counted(int(astray.get('queues') or 0), 'reviewer queue')} "
                "by another account than its reviewer (review.answers_in_other_queues)",
                "delete the answers made in another reviewer's queue in Label Studio (the "
                "queue's Data Manager) and have its reviewer answer them",
            )
        )
    short = review.get("passages_short_of_own_reviewers") or {}
    reasons = short.get("by_reason") or {}
    gone = int(reasons.get("no_task_left") or 0)
    if gone:
        out.append(
            (
                f"{counted(gone, 'passage')} short of {short.get('reviewers_per_task')} "
                "answers with no task open or skipped to account for it: a task deleted in "
                "Label Studio or never made (review.passages_short_of_own_reviewers)",
                "push the same pre-labels again (it queues the passages short of their "
                "reviewers) and have them answered; restore a deleted answer from a backup",
            )
        )
    by_admin = review.get("adjudicated_by_admin") or {}
    if n := int(by_admin.get("passages") or 0):
        out.append(
            (
                f"{counted(n, 'passage')} decided in adjudication under the shared admin "
                "account (review.adjudicated_by_admin)",
                "have the lead answer them again from her own login",
            )
        )
    own = review.get("adjudicated_by_own_reviewer") or {}
    if n := int(own.get("passages") or 0):
        out.append(
            (
                f"{counted(n, 'passage')} decided in adjudication by a lead who also "
                "reviewed them (review.adjudicated_by_own_reviewer)",
                "have another lead answer them in the adjudication project",
            )
        )
    if flagged := review.get("flagged_reviewers") or []:
        out.append(
            (
                f"{counted(len(flagged), 'reviewer')} below --gold-min-accuracy "
                f"{gold_min_accuracy} whose answers count in the vote ({', '.join(flagged)}; "
                "review.flagged_reviewers)",
                "have the flagged reviewers' passages answered by others, or delete their "
                "answers, and adjudicate again",
            )
        )
    return out


def incomplete_review(manifest: dict[str, Any]) -> list[str]:
    """What keeps the review of an export from being complete, in words (empty: it is),
    from its manifest: open tasks, disputes waiting for the lead, ties never sent to one,
    passages without a category, one reviewer's queue read alone (``--require-complete``)."""
    review = manifest.get("review") or {}
    out = []
    if n := manifest.get("tasks_unanswered_in_label_studio"):
        out.append(f"{counted(n, 'task')} still open in Label Studio")
    if n := review.get("awaiting_adjudication"):
        out.append(f"{counted(n, 'passage')} waiting for the lead")
    if n := review.get("ties_not_sent_to_adjudication"):
        out.append(f"{counted(n, 'tie')} never sent to a lead")
    if n := manifest.get("passages_without_category"):
        out.append(f"{counted(n, 'passage')} without a category")
    if partial := review.get("partial_of"):
        out.append(f"{partial_read(partial)} was read")
    return out


def empty_refusal(
    manifest: dict[str, Any], project: str, out: Path, require_complete: bool
) -> Exception:
    """The ``--require-complete``/``--strict`` error for an export without a row and with
    nothing open (no open task, nothing waiting for a lead): every task skipped, or none
    found. An empty corpus is no evidence of a finished review (newuser60: it passed with
    exit 0). The ExportError names what was found (skipped passages, gold answers) and the
    fix for each case."""
    from annotate.corpus.export import ExportError

    given = "--require-complete" if require_complete else "--strict"
    named = given if require_complete else "--strict (which includes --require-complete)"
    skipped = int(manifest.get("passages_skipped_without_answer") or 0)
    gold = int(manifest.get("gold_annotations") or 0)
    found = [f"{counted(skipped, 'passage')} skipped without an answer"] if skipped else []
    found += [f"{counted(gold, 'gold answer')} (scored, never exported)"] if gold else []
    seen = "; found: " + ", ".join(found) if found else "; it found no task to answer"
    fix = (
        f"have the skipped passages answered (a skip is no answer; `annotate review status "
        f"--project {sh(project)}` names who skipped them) and export again"
        if skipped
        else f"check that --project {sh(project)} names the project the reviewers answered "
        "(`annotate review status` lists them), push the passages if it holds none, and "
        "export again"
    )
    return ExportError(
        f"{named}: the export of {project!r} is EMPTY: no passage has a submitted answer "
        f"and no task is open{seen}. An empty corpus is no evidence of a complete review. "
        f"The export was written to {out}, but it holds no row.",
        fix=f"{fix}; drop {given} to take the empty export on purpose.",
    )


def partial_read(partial: dict[str, Any]) -> str:
    """What part of a review set an export read alone (the manifest's
    ``review.partial_of``), in words: one reviewer's queue, or the lead's adjudication
    project (passH53 H1)."""
    from annotate.review.mode import ADJUDICATION_PART

    name = partial.get("review_set")
    if partial.get("part") == ADJUDICATION_PART:
        return (
            f"only the lead's adjudication project of the review set {name!r} (its "
            "decisions as if one reviewer gave them, without the reviewers' answers)"
        )
    return f"only one reviewer's queue of the review set {name!r}"


def refuse_previous_export(out: Path, project: str) -> None:
    """InputError, before any work, for an ``out`` that holds a previous export of
    ``project`` (its ``manifest.json``) when ``--overwrite`` is not given: exporting
    replaces it whole and keeps no copy, and a model trained on it records its files'
    digests, so `annotate verify MODEL` would find every file changed and the corpus it was
    trained on gone. Another project's export is left to the export's own refusal (which
    --overwrite does not lift)."""
    import json
    from datetime import datetime, timezone

    from annotate.corpus.export import MANIFEST
    from annotate.errors import InputError

    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        before = (manifest.get("project") or {}).get("title")
        when = manifest.get("exported_at")
    except (OSError, ValueError, AttributeError):
        before = when = None  # an unreadable manifest: still an export folder
    if isinstance(before, str) and before != project:
        return  # another project's export: the export refuses it, --overwrite or not
    held = f"the export of project {before!r}" if isinstance(before, str) else "an export"
    held += f" exported at {when}" if isinstance(when, str) else ""
    today = datetime.now(timezone.utc).date().isoformat()
    folder = out if out.name else out.resolve()  # --out . names the folder by its name
    name = f"{folder.name}-{today}" if not folder.name.endswith(today) else f"{folder.name}-2"
    raise InputError(
        f"--out {out} holds {held} ({MANIFEST}); exporting would replace it whole and keep "
        "no copy, and a model trained on it would fail `annotate verify MODEL` (it records "
        "the digests of the files it was trained on); expected a new or empty folder.",
        fix=f"export into a new folder, e.g. --out {folder.parent / name}, to keep this one; or "
        "add --overwrite to replace it.",
    )


def licence_warnings(licenses: dict[str, Any], out: Path) -> list[str]:
    """The warnings on licences the manifest's ``licenses`` records: passages whose licence
    differs from the previous export's in ``out`` (``changed_since_previous_export``) and
    passages pushed under more than one licence (``passages_with_several``)."""
    lines = []
    changed = licenses.get("changed_since_previous_export") or {}
    if changed.get("changed"):
        moves = ", ".join(f"{k}: {n}" for k, n in changed["changes"].items())
        lines.append(
            f"warning: {changed['changed']} passage(s) have another licence than in the "
            f"previous export in {out} ({moves}; e.g. {changed['examples'][0]['passage']}): "
            "whoever approved the previous export's licences should look again (manifest.json "
            "licenses.changed_since_previous_export)"
        )
    several = licenses.get("passages_with_several") or {}
    if several.get("passages"):
        first = several["examples"][0]
        lines.append(
            f"warning: {several['passages']} passage(s) were pushed under more than one "
            f"licence (e.g. {first['passage']}: {' then '.join(first['licenses'])}); each is "
            "exported under the licence of its latest push (manifest.json "
            "licenses.passages_with_several lists them)"
        )
    return lines


def missing_labels_note(missing: dict[str, list[str]]) -> str:
    """The note for labels a held-out split lacks ("" if none): training calibrates each
    label and picks its threshold on validation, and measures it on test."""
    if not missing:
        return ""
    parts = [f"{split} has no passage of {', '.join(names)}" for split, names in missing.items()]
    return (
        f"note: {'; '.join(parts)} (splits keep whole documents together and are not "
        "stratified by label): `annotate train` cannot calibrate a label without validation "
        "passages of it, and its test figures say nothing about a label test lacks; export "
        "again when more documents are reviewed, or evaluate on other labeled data "
        "(report.md lists labels per split)"
    )


def own_adjudication_warning(
    own: dict[str, Any], project: str, emails: dict[str, str | None]
) -> str:
    """The warning of an export whose passages a lead decided in adjudication after
    answering them as one of their reviewers (``own``: the manifest's
    ``review.adjudicated_by_own_reviewer``): each lead by pseudonym and, where ``emails``
    has it, the e-mail of the account, with how many passages."""
    from annotate.review.named import with_email

    leads = ", ".join(f"{with_email(p, emails)}: {n}" for p, n in (own.get("by") or {}).items())
    return (
        f"warning: {own['passages']} passage(s) were decided in adjudication by a lead who "
        f"also reviewed them ({leads}): the lead's own answer was one side of the dispute "
        "it settled (manifest.json review.adjudicated_by_own_reviewer names them). Fix: have "
        f"another lead answer them in '{project} · adjudication'; for later review sets, "
        "mark each lead's account with `annotate reviewers add EMAIL --lead` (a push "
        "without --reviewer then gives it no queue), or push with --reviewer for each reviewer"
    )


def flagged_severity_answers(out: Path, flagged: list[str]) -> dict[str, tuple[int, int]]:
    """For each of the ``flagged`` reviewers (pseudonyms), in the export's JSONL rows:
    (severity answers that voted on a passage's exported severity, those on passages a
    lead adjudicated, whose severity is the lead's). An answer votes on the severity when
    it gives one (``severity``; one contradicting its categories gives none). ``{}`` when
    the rows cannot be read (the warning then says the rule only)."""
    from annotate.audit.formats import jsonl_rows

    found = {name: [0, 0] for name in flagged}
    if not (out / "jsonl").is_dir():
        return {}
    try:
        for file in sorted((out / "jsonl").glob("*.jsonl")):
            for _, row in jsonl_rows(file):
                decided = row.get("resolution") == "adjudicated"
                for ann in row.get("annotations") or []:
                    if (
                        isinstance(ann, dict)
                        and ann.get("severity")
                        and ann.get("reviewer") in found
                    ):
                        found[ann["reviewer"]][decided] += 1
    except (OSError, ValueError):
        return {}
    return {name: (voted, decided) for name, (voted, decided) in found.items()}


def admin_adjudication_warning(
    by_admin: dict[str, Any], project: str, emails: dict[str, str | None]
) -> str:
    """The warning of an export whose passages were decided in adjudication under the admin
    account annotate works with (``by_admin``: the manifest's ``review.adjudicated_by_admin``;
    ``emails``: its pseudonym's e-mail where the server has it): a shared login, so the
    decisions name no person (passK54 K3)."""
    email = emails.get(str(by_admin["account"]))
    account = by_admin["account"] if email is None else f"{by_admin['account']}, {email}"
    return (
        f"warning: {by_admin['passages']} passage(s) were decided in adjudication under the "
        f"admin account annotate works with ({account}; the login `annotate studio start` "
        "prints, whose token LABEL_STUDIO_API_KEY holds), shared by whoever has it: the "
        "corpus credits those decisions to no person (manifest.json "
        "review.adjudicated_by_admin names them). Fix: have the lead log in as herself "
        "(`annotate reviewers add EMAIL --name NAME` makes her account) and answer them "
        f"again in '{project} · adjudication' (her latest answer decides), then export again"
    )


def flagged_warning(
    flagged: list[str],
    threshold: float | None,
    emails: dict[str, str | None],
    severity: dict[str, tuple[int, int]] | None = None,
) -> str:
    """The warning naming the reviewers under --gold-min-accuracy: each by pseudonym, as the
    corpus names them, and, for the lead at this terminal, by the e-mail of its account
    where ``emails`` has it (a lead told only "r-e19c4fd334" had to look it up in `annotate
    review status`). Whether their severity answers counted in the exported severity is
    said too (s54: "count in the vote" left the severity open): they do, as every
    answer's, but on a passage a lead adjudicated, whose severity is the lead's;
    ``severity``: :func:`flagged_severity_answers`, each reviewer's counts."""
    from annotate.review.named import with_email

    named = [with_email(p, emails) for p in flagged]
    said = (
        f"warning: {len(flagged)} reviewer(s) scored below --gold-min-accuracy {threshold} "
        f"on the gold tasks: {', '.join(named)}; their answers are in the corpus and count "
        "in the vote, their severity answers in the exported severity too (a passage's "
        "severity is the most given level among its answers that give one; a passage a "
        "lead adjudicated has the lead's)"
    )
    if severity:
        parts = []
        for name in flagged:
            voted, decided = severity.get(name, (0, 0))
            part = f"{name}: {voted} counted"
            parts.append(
                part + (f", {decided} on adjudicated passages (not counted)" if decided else "")
            )
        said += f" (severity answers: {'; '.join(parts)})"
    return said + (
        " (manifest.json review.flagged_reviewers, agreement.json gold; the corpus names "
        "reviewers by pseudonym only)"
    )


def _minor(version: str) -> tuple[int, int] | None:
    """(major, minor) of a labels.yaml version such as ``1.2.0``; None when it is none."""
    parts = version.split(".")
    try:
        return int(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        return None


def exposure_warning(seen: dict[str, Any] | None, then: str) -> str | None:
    """The warning `annotate export` and `annotate agreement` print when answers were made
    or changed after the adjudication project showed their passage's answers (``seen``:
    :func:`annotate.review.blindness.after_exposure`'s record), ending with ``then`` (what
    the command did about them); None when there are none."""
    if not seen or not seen.get("answers_after_exposure"):
        return None
    return (
        f"warning: {seen['answers_after_exposure']} answer(s) (e.g. passage "
        f"{seen['passages'][0]}) were made or changed after the adjudication project, "
        f"open to every member from {seen['adjudication_started_at']}, showed their "
        f"passage's answers: {then}"
    )


def migrations_note(manifest: dict[str, Any]) -> str | None:
    """The export's note on the answers it read through labels.yaml's ``migrations:``
    (manifest ``taxonomy_migrations_applied``, with ``taxonomy_versions_of_answers``): which
    labels were renamed, from which version, for how many answers; None when none was."""
    applied = manifest.get("taxonomy_migrations_applied")
    if not isinstance(applied, list) or not applied:
        return None
    current = str((manifest.get("taxonomy") or {}).get("version") or "")
    counts = manifest.get("taxonomy_versions_of_answers") or {}
    said = []
    for m in applied:
        if not isinstance(m, dict):
            continue
        kinds = (("categories", "category"), ("spans", "span"), ("severity", "severity"))
        renamed = [
            f"{word} {old} -> {new}"
            for kind, word in kinds
            for old, new in (m.get(kind) or {}).items()
        ]
        n = counts.get(m.get("from")) if isinstance(counts, dict) else None
        answers = f"{n} answer(s)" if isinstance(n, int) else "the answers"
        said.append(
            f"{answers} made under labels.yaml {m.get('from')} read through its migration "
            f"({', '.join(renamed) or 'no label renamed'})"
        )
    return (
        f"note: {'; '.join(said)}: the export is labels.yaml {current}'s, which it carries "
        "(labels.yaml; manifest.json taxonomy_migrations_applied)"
    )


def answer_version_warnings(
    counts: dict[str, int], current: str, *, where: str, then: str = ""
) -> list[str]:
    """The warnings on answers made under another minor version of labels.yaml (same
    major) than ``current``, the one the command reads them with (``counts``: answers
    per version, as export's ``taxonomy_versions_of_answers``, stamped per answer from
    the project's labeling config and the history a push keeps in it): answers made
    before labels were added could not choose them, and their passages read as without
    them; answers made under a newer labels.yaml may hold labels ``current`` lacks.
    ``where`` names the record the lead reads them in; ``then`` ends the first warning
    (what to run once they are updated)."""
    at = _minor(current)
    if at is None or not isinstance(counts, dict):
        return []
    older, newer = {}, {}
    for version, n in counts.items():
        made = _minor(str(version))
        if made is None or made[0] != at[0] or made == at:
            continue
        (older if made < at else newer)[str(version)] = int(n)
    lines = []
    if older:
        said = ", ".join(f"{n} under {v}" for v, n in sorted(older.items()))
        lines.append(
            f"warning: {sum(older.values())} answer(s) were made under an older labels.yaml "
            f"than {current}, the one read with ({said}), before the labels added since were "
            "in the project's labeling config: their reviewers could not choose those "
            f"labels, so their passages read as without them ({where}). To have them judged "
            f"on the new labels, reviewers open and update those answers in Label Studio{then}"
        )
    if newer:
        said = ", ".join(f"{n} under {v}" for v, n in sorted(newer.items()))
        lines.append(
            f"warning: {sum(newer.values())} answer(s) were made under a newer labels.yaml "
            f"than {current}, the one read with ({said}): the labels that version added are "
            "not in the label set read; use that labels.yaml (update labels.yaml, or pass "
            "--labels)"
        )
    return lines


def none_with_other_warning(manifest: dict[str, Any]) -> str | None:
    """The export's warning on reviewer answers that chose the none label ("Nothing above
    applies") together with another category (manifest ``answers_none_with_other``): read
    as incomplete, they do not vote on the categories. None when there are none."""
    found = manifest.get("answers_none_with_other")
    if not isinstance(found, dict) or not found.get("answers"):
        return None
    examples = [str(e) for e in found.get("examples") or []][:3]
    more = int(found.get("passages") or 0) - len(examples)
    named = ", ".join(examples) + (f" and {more} more" if more > 0 else "")
    return (
        f"warning: {found['answers']} answer(s) chose `none` (Nothing above applies) together "
        f"with another category, in passage(s) {named}: a contradiction, read as incomplete "
        "(they do not vote on the categories; their severity and spans count; manifest.json "
        "answers_none_with_other). Fix: have their reviewers untick one of the two in Label "
        "Studio, then export again"
    )


def _why_fewer(manifest: dict[str, Any]) -> str:
    """Why passages of an export without a recorded K have fewer answers than the
    most-reviewed: in projects shared by every reviewer (a plain push, numbered projects
    too) nothing was due, as nothing fixed a number (newuser60 F3: the note said their
    "other reviewers' tasks are open or skipped", tasks such a project does not have);
    in a review set pushed before K was recorded, their reviewers' tasks are open or
    skipped."""
    mode = (manifest.get("review") or {}).get("mode") or {}
    if isinstance(mode, dict) and mode.get("kind") == "shared_project":
        return (
            "projects shared by every reviewer fix no number of reviewers per passage: "
            'Label Studio\'s "Label All Tasks" serves a task to one reviewer, others answer '
            "it only when they open it from the task list; for K blind answers per passage, "
            "push with --reviewers-per-task K"
        )
    return "their other reviewers' tasks are open or skipped"


def harmful_severity_none_warning(manifest: dict[str, Any]) -> str | None:
    """The export's one warning on answers pairing a harmful category with severity `none`
    ("no harmful content", labels.yaml level 0; manifest ``answers_harmful_severity_none``):
    read as no severity, each answer's ``severity_answered`` keeps the choice. Names task
    ids only (never the text: the passages may be hidden behind a content warning). None
    when there are none."""
    from annotate.corpus.rows import harmful_severity_none_line

    found = manifest.get("answers_harmful_severity_none")
    if not isinstance(found, dict) or not (found.get("answers") or found.get("lead")):
        return None
    return harmful_severity_none_line(
        int(found.get("answers") or 0),
        [int(t) for t in found.get("tasks") or []],
        len(found.get("lead") or []),
        where="manifest.json answers_harmful_severity_none",
    )


def severity_without_harm_warning(manifest: dict[str, Any]) -> str | None:
    """The export's one warning on answers choosing a harmful severity (``low`` and up)
    with no harmful category (manifest ``answers_severity_without_harm``), as
    :func:`harmful_severity_none_warning` gives for the reverse. None when there are none."""
    from annotate.corpus.rows import severity_without_harm_line

    found = manifest.get("answers_severity_without_harm")
    if not isinstance(found, dict) or not (found.get("answers") or found.get("lead")):
        return None
    return severity_without_harm_line(
        int(found.get("answers") or 0),
        [int(t) for t in found.get("tasks") or []],
        len(found.get("lead") or []),
        where="manifest.json answers_severity_without_harm",
    )


def held_back_warning(manifest: dict[str, Any], project: str) -> str | None:
    """The export's warning on graphic passages a push on this machine held back from every
    queue of review set ``project`` (``--max-graphic-per-reviewer``), as the manifest
    records them (``passages_held_back``, :mod:`annotate.corpus.export_held_back`): they
    are in no task, so neither the export nor its open-task count sees them, and the corpus
    looked complete. None when it records none."""
    held = manifest.get("passages_held_back")
    if not isinstance(held, dict) or not held.get("passages"):
        return None
    example = f" (e.g. {held['example']!r})" if held.get("example") else ""
    return (
        f"warning: {int(held['passages']):,} graphic passage(s){example} were held back "
        "from every queue by the graphic caps (push --max-graphic-per-reviewer, or "
        "reviewers' own max_graphic in labels.yaml): no reviewer has them, so they "
        "are in no task and not in this export (this machine's record of the pushes); "
        f"`annotate review status --project {sh(project)}` names the push that queues them; "
        "export again once they are answered before training or auditing on it"
    )


def deleted_queues_named(deleted: list[dict[str, Any]]) -> str:
    """``reviewer queue r-…'s (id 3)`` / ``2 reviewer queues: r-…'s (id 3), ...`` of
    the manifest's ``reviewer_queues_deleted`` (each ``project_id``, ``reviewer``: the
    pseudonym, None for a queue titled before pseudonyms)."""
    parts = [
        f"{q['reviewer']}'s (id {q['project_id']})"
        if q.get("reviewer")
        else f"id {q['project_id']}"
        for q in deleted
    ]
    what = "reviewer queue" if len(parts) == 1 else f"{len(parts)} reviewer queues:"
    return f"{what} {', '.join(parts)}"


def deleted_queues_warning(deleted: list[dict[str, Any]], project: str) -> str:
    """The export's warning on reviewer queues of review set ``project`` that a push from
    this machine made and that are gone from the server (the manifest's
    ``reviewer_queues_deleted``, :mod:`annotate.review.gone_queues`): their answers went
    with them, so this export lacks them and nothing else in it says so."""
    one = len(deleted) == 1
    return (
        f"warning: {deleted_queues_named(deleted)} of {project!r}, made by a push from this "
        f"machine, {'is' if one else 'are'} no longer on the server (deleted in Label "
        "Studio, renamed, or the server's data restored from an older backup): "
        f"{'its' if one else 'their'} tasks and answers are not in this export, and "
        f"{'its' if one else 'their'} passages have fewer reviewers. If "
        f"{'it was' if one else 'they were'} deleted by mistake, "
        "restore Label Studio's data from a backup and export again; `annotate review "
        f"status --project {sh(project)}` names the push that makes "
        f"{'it' if one else 'them'} again (manifest.json reviewer_queues_deleted)"
    )


def open_tasks_warning(manifest: dict[str, Any], open_tasks: int) -> str:
    """The warning of an export made while tasks had neither an answer nor a skip: how many
    passages are missing from it (nobody answered them), apart from open tasks of passages
    it holds (another reviewer answered them) and open gold tasks (never in the corpus)."""
    missing = manifest.get("passages_unanswered_in_label_studio")
    gold = int(manifest.get("tasks_unanswered_gold") or 0)
    if missing is None:  # a manifest of an older export
        return (
            f"warning: {open_tasks:,} task(s) in Label Studio had neither an answer nor a skip: "
            "their passages are not in this export (the review is still under way); export "
            "again once they are answered before training or auditing on it"
        )
    parts = [
        f"{int(missing):,} passage(s) nobody has answered yet are not in this export"
        if missing
        else "each of their passages is in this export (another reviewer answered it)"
    ]
    if held := int(manifest.get("tasks_unanswered_of_exported_passages") or 0):
        parts.append(
            f"{held:,} open task(s) are of passages it holds, resolved by fewer answers than "
            "asked for"
        )
    if gold:
        parts.append(f"{gold:,} open gold task(s) (gold is never in the corpus)")
    return (
        f"warning: {open_tasks:,} task(s) in Label Studio had neither an answer nor a skip "
        f"(the review is still under way): {'; '.join(parts)}; export again once they are "
        "answered before training or auditing on it"
    )


def model_cannot_read_note(manifest: dict[str, Any], rows: int) -> str | None:
    """The note on the passages the model cannot read (the manifest's
    ``passages_model_cannot_read``, :func:`annotate.corpus.export.model_cannot_read_record`);
    None when there are none (or the manifest does not count them)."""
    unread = (manifest.get("passages_model_cannot_read") or {}).get("passages")
    if not unread:
        return None
    return (
        f"note: {unread} of {rows} passage(s) are in a script or language the model cannot "
        "read (rows' model_language_warning; manifest.json passages_model_cannot_read): their "
        "reviewers were shown no pre-selected category or severity, so their empty "
        "model_labels is no suggestion, not the model saying none"
    )


def reposts_note(reposts: dict[str, Any]) -> str | None:
    """The note on the passages push left out as re-posts (the manifest's ``reposts``,
    :func:`annotate.corpus.export_reposts.reposts_record`); None when there are none."""
    n = int(reposts.get("passages") or 0)
    if not n:
        return None
    texts, held = int(reposts.get("texts") or 0), int(reposts.get("texts_in_corpus") or 0)
    line = (
        f"note: {n} ingested passage(s) have no row: push left them out as re-posts (the "
        f"exact text of another passage already pushed, {texts} text(s) in all; "
        f"{held} of those passages are in the corpus"
    )
    line += ", the rest gold or not answered yet)" if held < texts else ")"
    line += "; manifest.json reposts.by_passage maps each to the passage it repeats"
    if capped := len(reposts.get("tasks_at_cap") or []):
        line += (
            f"; {capped} task(s) hold the most a task lists ({reposts.get('max_listed_per_task')}"
            "): later re-posts of their text, if any, are not listed (manifest.json "
            "reposts.tasks_at_cap)"
        )
    return line


def lead_skips_note(lead_skips: dict[str, Any]) -> str | None:
    """The note on adjudication tasks the lead skipped and no lead answered (manifest
    ``review.skipped_in_adjudication``): the reviewers' vote decides them until a lead
    answers, but those the vote leaves a tie stay undecided (break49 B7); None: none."""
    n = int(lead_skips.get("passages_without_lead_answer") or 0)
    if not n:
        return None
    tied = min(n, int(lead_skips.get("passages_without_lead_answer_undecided") or 0))
    undecided = "stay undecided (a tie: resolution tie, label_tie) until a lead answers"
    if not tied:
        fates = ["the reviewers' vote decides them until a lead answers"]
    elif tied == n:
        fates = [f"they {undecided}"]
    else:
        fates = [
            f"the reviewers' vote decides {n - tied} of them until a lead answers",
            f"{tied} {undecided}",
        ]
    return (
        f"note: {n} adjudication task(s) were skipped by the lead and not answered: "
        + "; ".join(fates)
        + " (manifest.json review.skipped_in_adjudication; each row's "
        "skipped_in_adjudication_by names who skipped it)"
    )


def lead_spans_note(review: dict[str, Any]) -> str | None:
    """The summary's note on adjudicated passages whose lead marked no evidence span where
    the reviewers agreed on some (manifest ``review.adjudicated_spans_from_reviewers``);
    None when there is none."""
    n = review.get("adjudicated_spans_from_reviewers")
    if not n:
        return None
    return (
        f"note: {n} adjudicated passage(s) got no evidence span from the lead where the "
        "reviewers agreed on some: they keep the reviewers' spans, as a lead's answer "
        "without a severity keeps their severity (each row's adjudication.spans_from; "
        "manifest.json review.adjudicated_spans_from_reviewers). Label Studio cannot tell "
        "'no span' from 'not marked': see docs/review.md#export-with-several-reviewers"
    )


def lead_severity_warning(review: dict[str, Any], project: str) -> str | None:
    """The summary's warning on adjudicated passages left with no severity: the lead gave
    none and the reviewers tied on it, or the lead overturned their categories to a
    harmful one (break3 B17) (manifest ``review.adjudicated_severity_left_empty``;
    a dispute over the severity alone that the lead's answer did not settle: stop 49
    break3 B1). None when there is none."""
    left = review.get("adjudicated_severity_left_empty") or {}
    n = left.get("passages") if isinstance(left, dict) else None
    if not n:
        return None
    examples = ", ".join(left.get("examples", [])[:3])
    return (
        f"warning: {n} adjudicated passage(s) have no severity (e.g. {examples}): the lead's "
        "answer gave none, and the reviewers tied on it or the lead overturned their "
        "categories to a harmful one, so nothing decided it. Fix: the lead "
        f"answers their severity in '{project} · adjudication' (open the task, choose a "
        "severity, update), then export again"
    )


def changed_answers_line(review: dict[str, Any], project: str) -> str:
    """What export says of the passages sent to adjudication whose dispute ended only
    through an answer made or changed after the adjudication project showed them
    (manifest ``review.agreed_only_after_shown``): kept undecided for the lead, or, with
    ``--accept-changed-answers``, settled by that vote. "" when none."""
    late = review.get("agreed_only_after_shown") or []
    if not late:
        return ""
    named = ", ".join(late[:5]) + (f" and {len(late) - 5} more" if len(late) > 5 else "")
    what = (
        f"warning: {len(late)} passage(s) sent to adjudication ({named}) are no longer "
        "disputed only through an answer made or changed after the adjudication project "
        "showed their answers (not blind: it could copy another reviewer's)"
    )
    queue = review.get("agreed_only_after_shown_lead_queue") or {}
    if review.get("changed_answers_accepted"):
        said = (
            f"{what}; --accept-changed-answers: the reviewers' vote decides them "
            "(manifest.json review.agreed_only_after_shown, review.changed_answers_accepted)"
        )
        if kept := queue.get("kept") or []:  # the lead is still asked to decide them
            said += (
                f". But the last `annotate adjudicate` ran without --accept-changed-answers "
                f"and keeps {_some(kept)} in the lead's queue, asking the lead to decide "
                "what this export takes as decided (a lead's answer decides them at the next "
                f"export). Fix: run `annotate adjudicate --project {sh(project)} "
                "--accept-changed-answers` to take them out of the lead's queue, or export "
                "without --accept-changed-answers to leave them to the lead"
            )
        return said
    said = (
        f"{what}: they stay disputed, undecided (resolution tie, label_tie) until the lead "
        f"answers them in the adjudication project (`annotate adjudicate --project "
        f"{sh(project)}` keeps them in the lead's queue); --accept-changed-answers lets the "
        "reviewers' vote decide them (manifest.json review.agreed_only_after_shown)"
    )
    if taken_out := queue.get("taken_out") or []:  # nobody is asked to decide them
        said += (
            f". But the last `annotate adjudicate` ran with --accept-changed-answers and "
            f"took {_some(taken_out)} out of the lead's queue (its task says there is "
            "nothing to decide), so nobody is asked to decide them. Fix: export with "
            "--accept-changed-answers too (the reviewers' vote decides them, as adjudicate "
            f"was told), or run `annotate adjudicate --project {sh(project)}` without it to "
            "put them back in the lead's queue"
        )
    return said


def _some(ids: list[str]) -> str:
    """``N of them (a, b, c and 2 more)``."""
    named = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
    return f"{len(ids)} of them ({named})"


def personal_fields(personal: dict[str, Any]) -> str:
    """``text: phone 1; comments: handle 1``: the fields and kinds of a
    ``rows_with_personal_data`` record holding any (counts only)."""
    return "; ".join(
        f"{name.replace('_', ' ')}: "
        + ", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in kinds.items() if n)
        for name, kinds in (personal.get("fields") or {}).items()
        if any(kinds.values())
    )


def personal_data_warning(
    redaction: dict[str, Any], say: Callable[[str], None], gold: dict[str, Any] | None = None
) -> None:
    """Warn of what an export made without ``--redact`` holds that ``--redact`` would mask:
    rows per field and kind (``rows_with_personal_data``; a manifest of before stop 51: its
    e-mail count) and, with ``gold`` (the manifest's ``gold_file``), the gold passages of
    ``gold.jsonl`` holding any (its ``rows_with_personal_data``), counts and field names
    only, no value."""
    personal = redaction.get("rows_with_personal_data")
    held = (gold or {}).get("rows_with_personal_data")
    rows = int(personal.get("rows") or 0) if isinstance(personal, dict) else 0
    golds = int(held.get("rows") or 0) if isinstance(held, dict) else 0
    if rows or golds:
        parts, where = [], []
        if rows:  # "of the corpus" beside gold.jsonl's: "N row(s) ... of gold.jsonl"
            parts.append(f"{rows} row(s) of the corpus" if golds else f"{rows} row(s)")
            where.append(f"rows per field and kind: {personal_fields(personal)}")
        if golds:
            parts.append(f"{golds} gold passage(s) in {(gold or {}).get('file') or 'gold.jsonl'}")
            where.append(f"gold passages per field and kind: {personal_fields(held)}")
        ids = ["manifest.json redaction.rows_with_personal_data"] if rows else []
        ids += ["manifest.json gold_file.rows_with_personal_data"] if golds else []
        say(
            f"warning: {' and '.join(parts)} hold personal data that --redact would mask "
            f"({'; '.join(where)}) and the corpus was exported without "
            "--redact; export again with --redact to mask them (their passage ids: "
            f"{', '.join(ids)}). Addresses without a house number or postcode, most "
            "person names and bare user names are not detected (docs/privacy.md#what-it-misses)"
        )
        return
    emails = redaction.get("rows_with_email_addresses") or {}
    if any(emails.values()):
        where = ", ".join(f"{k} {v}" for k, v in emails.items() if v)
        say(
            f"warning: the corpus holds e-mail addresses (rows per field: {where}) and was "
            "exported without --redact; export again with --redact to mask them (manifest.json "
            "redaction)"
        )
