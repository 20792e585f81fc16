"""`annotate report`: a corpus export -> a Markdown report, PNG figures and an HTML page.

Written into ``out``: ``report.md``, ``report.html`` (the same Markdown rendered by the
``markdown`` package, figures referenced relatively), ``figures/*.png`` and
``report.json`` (every number shown, for machines and tests). Every number comes from
the exported files (see :mod:`annotate.audit.corpus`); the checksums are recomputed.
The directory is written next to ``out`` and renamed into place at the end.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate._util.atomic import atomic_output, require_replaceable
from annotate._util.progress import ProgressFn, advance
from annotate.audit import licenses, plots, provenance, stats
from annotate.audit.corpus import Corpus, load_corpus, taxonomy_view
from annotate.audit.markdown import code_span, escape_markdown, markdown_table
from annotate.audit.report_files import (
    WRITTEN_KEY,
    carry_foreign,
    record_written,
    refuse_unowned,
    slug,
)
from annotate.audit.verify import DERIVED_DIRS, against_recorded, check, read_manifest
from annotate.corpus.offered import NOT_OFFERED_LEFT_OUT, NOT_OFFERED_VOTE_KEY, row_not_offered
from annotate.corpus.resolve import SINGLE
from annotate.errors import InputError
from annotate.review.blindness import blind_answers, left_out_sentence
from annotate.review.own_answers import left_out_sentence as not_own_sentence
from annotate.review.own_answers import own_answers
from annotate.review.span_agreement import span_agreement

log = logging.getLogger(__name__)

REPORT_STEPS = 4  # write_report's progress: read, compute, figures, write

CSS = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:0.5rem 0 1rem}
th,td{border:1px solid #ccc;padding:0.2rem 0.5rem;text-align:left;font-size:0.9rem}
td code{font-size:0.8rem} img{max-width:100%;height:auto;display:block;margin:0.5rem 0}
"""


@dataclass
class ReportResult:
    out: Path
    markdown: Path
    html: Path
    figures: list[Path]
    numbers: dict[str, Any]
    # files of the previous report folder the report did not write (a sign-off, notes):
    # carried into the new one, relative to it
    kept: list[str] = field(default_factory=list)


def compute(
    corpus: Corpus, *, location: Path | None = None, manifest_sha256: str | None = None
) -> dict[str, Any]:
    """Every number of the report, as a JSON-serialisable dict. ``location``: the corpus
    folder the report names (default: the one it is read from), by its name only: the
    report travels with the corpus, and an absolute path would name the lead's machine
    (``/home/jane/...``); ``manifest_sha256``: the SHA-256 of ``manifest.json`` recorded
    at export (another one is a mismatch)."""
    tax = taxonomy_view(corpus)
    rows = corpus.rows
    # answers made or changed after the adjudication project showed their passage (the
    # manifest's record): not blind, so out of the agreement counts (review.mode states it)
    mode = (corpus.manifest.get("review") or {}).get("mode") or {}
    blind, left_out = blind_answers(rows, mode.get("adjudication_exposure"))
    verification = against_recorded(check(corpus.path), manifest_sha256)
    offered_record = corpus.manifest.get("labels_not_offered") or {}
    # ties and agreement over the answers offered each category only where the rows were
    # resolved so (NOT_OFFERED_VOTE_KEY); an export before it is read as it was written
    voted_offered = corpus.manifest.get(NOT_OFFERED_VOTE_KEY) == NOT_OFFERED_LEFT_OUT
    vote_record = offered_record if voted_offered else None
    not_offered = row_not_offered(rows, offered_record, left_out=voted_offered)
    return {
        "corpus": (location or corpus.path).resolve().name,
        "format": corpus.manifest.get("format"),
        "exported_at": corpus.manifest.get("exported_at"),
        "project": corpus.manifest.get("project"),
        "label_studio_projects": audit_projects(corpus.manifest),
        "taxonomy_recorded": tax.recorded,
        "harmful_categories": tax.harmful,
        "counts": stats.counts(rows, tax.categories, tax.severities, not_offered, vote_record),
        "model_vs_human": stats.model_vs_human(rows, tax.categories, not_offered, vote_record),
        # per version of answers, the categories its labeling config did not offer
        # (manifest labels_not_offered; absent when none)
        **({"labels_not_offered": offered_record} if offered_record else {}),
        # passages the model cannot read (rows' model_language_warning; None: an export
        # before the column), left out of model_vs_human
        "model_cannot_read": stats.model_cannot_read(rows),
        "raw_agreement": stats.raw_agreement(rows, vote_record),
        # the same counts of blind answers only, and the answers left out (None: no record)
        "raw_agreement_blind": stats.raw_agreement(blind, vote_record)
        if (left_out or {}).get("answers")
        else None,
        "answers_after_adjudication": left_out,
        "agreement": corpus.agreement,
        # evidence spans: pairwise F1 between reviewers of a passage, from the rows' blind
        # answers (as agreement.json's)
        # ... and only answers their reviewer last wrote (no written_by), as agreement.json
        "span_agreement": span_agreement(own_answers(blind)[0], tax.spans),
        # per reviewer: the gold passages whose categories they got wrong (None: no gold)
        "gold_missed": stats.gold_missed((corpus.agreement or {}).get("gold")),
        # per reviewer: the gold passages whose severity they got wrong (None: no gold)
        "gold_severity_missed": stats.gold_severity_missed((corpus.agreement or {}).get("gold")),
        "gold": corpus.gold,
        # gold.jsonl: the gold passages' texts and answers (None: an export before it)
        "gold_file": corpus.manifest.get("gold_file"),
        "resolutions": stats.resolutions(rows),
        # the lead's decisions (with the lead's comment) and the ties still undecided
        "adjudications": stats.adjudications(rows, vote_record),
        # passages of the regular data kept out of the corpus because they are gold tasks
        "gold_also_regular": (corpus.manifest.get("review") or {}).get(
            "gold_passages_also_regular"
        ),
        # sent to the lead, not yet decided; tasks reviewers skipped (None: not recorded)
        "awaiting_adjudication": (corpus.manifest.get("review") or {}).get("awaiting_adjudication"),
        # of those two: the dispute ended only through an answer made or changed after the
        # adjudication project showed the passage (not blind); waiting for the lead unless
        # the export accepted changed answers (None: not recorded)
        "agreed_only_after_shown": (corpus.manifest.get("review") or {}).get(
            "agreed_only_after_shown"
        ),
        "changed_answers_accepted": (corpus.manifest.get("review") or {}).get(
            "changed_answers_accepted"
        ),
        # sent to the lead, not decided, no longer disputed: the reviewers' vote decides
        "adjudication_no_longer_needed": (corpus.manifest.get("review") or {}).get(
            "adjudication_no_longer_needed"
        ),
        # decided by a lead, though the reviewers no longer dispute it (one changed an
        # answer after it went to the lead): the lead's answer still decides
        "adjudicated_no_longer_disputed": (corpus.manifest.get("review") or {}).get(
            "adjudicated_no_longer_disputed"
        ),
        "ties_not_sent_to_adjudication": (corpus.manifest.get("review") or {}).get(
            "ties_not_sent_to_adjudication"
        ),
        # of the passages waiting for the lead, those tied: on categories (no_categories:
        # none left) or on the severity only (None: an export before it)
        "awaiting_adjudication_ties": (corpus.manifest.get("review") or {}).get(
            "awaiting_adjudication_ties"
        ),
        "skipped_by_reviewers": (corpus.manifest.get("review") or {}).get("skipped_by_reviewers"),
        # who skipped what: rows' skipped_by, passages only skipped, the lead's skips
        "skips": provenance.skip_numbers(rows, corpus.manifest),
        # documents with / without their source hash (rows' document_sha256)
        "document_sha256": provenance.document_hash_numbers(rows, corpus.manifest),
        # rows by the input file (and row of it) they were read from (rows' input_file)
        "input_files": provenance.input_file_numbers(rows, corpus.manifest),
        # documents per licence recorded at ingest, and those without one (rows' license)
        "licenses": licenses.license_numbers(rows, corpus.manifest),
        # the ingest runs that cut the passages (manifest ingest_runs; None: not recorded)
        "ingest_runs": provenance.ingest_run_numbers(rows, corpus.manifest),
        # the re-posts push left out (manifest reposts; None: not recorded)
        "reposts": provenance.repost_numbers(corpus.manifest),
        # a review set's passages with more answers than K (None: K not recorded)
        "passages_over_reviewers_per_task": stats.over_k_record(
            rows, (corpus.manifest.get("review") or {}).get("reviewers_per_task")
        ),
        # a review set's K (push --reviewers-per-task; None: not recorded)
        "reviewers_per_task": (corpus.manifest.get("review") or {}).get("reviewers_per_task"),
        # blind (one project per reviewer) or shared (None: exports before 2026-12)
        "review_mode": (corpus.manifest.get("review") or {}).get("mode"),
        # passages decided under the admin account annotate works with (None: an export
        # before 6 Dec 2026)
        "adjudicated_by_admin": (corpus.manifest.get("review") or {}).get("adjudicated_by_admin"),
        # answers made in another reviewer's queue, and answers last written by another
        # account than the one credited (None: an export before stop 55)
        "answers_in_other_queues": (corpus.manifest.get("review") or {}).get(
            "answers_in_other_queues"
        ),
        "answers_written_by_another_account": (corpus.manifest.get("review") or {}).get(
            "answers_written_by_another_account"
        ),
        # a review set's passages short of K answers by their queues' own reviewers, by
        # why (None: not a review set, or an export before stop 55)
        "passages_short_of_own_reviewers": (corpus.manifest.get("review") or {}).get(
            "passages_short_of_own_reviewers"
        ),
        # answers made or changed after the previous export into the same folder (None:
        # none was there, or an export before 6 Dec 2026)
        "answers_changed_since_previous_export": (corpus.manifest.get("review") or {}).get(
            "answers_changed_since_previous_export"
        ),
        "exposure": stats.exposure_totals(corpus.exposure),
        "workload": stats.workload(rows, tax.harmful),
        # who labelled what: categories chosen and model pre-labels started from
        "reviewer_answers": stats.reviewer_answers(rows, tax.categories),
        "lead_time": stats.lead_times(rows),
        "splits": stats.splits(rows, tax.categories),
        "versions": stats.versions(rows, corpus.manifest),
        "redaction": corpus.manifest.get("redaction"),
        "decision_records": corpus.manifest.get("decision_records"),
        "checksums": {
            "files": corpus.manifest.get("files") or {},
            "verified": verification.ok,
            "mismatches": [str(m) for m in verification.mismatches],
            # the rows without their export time: equal for exports of one review state
            "content_sha256": verification.content_sha256,
            "manifest_sha256": verification.manifest_sha256,
            # given with --manifest-sha256 (checked above); None: not checked
            "manifest_sha256_recorded": manifest_sha256,
        },
        # what the manifest counted in Label Studio (absent before 2026-12: None)
        "label_studio_counts": {k: corpus.manifest.get(k) for k in LS_COUNTS},
        # graphic passages pushes held back from every queue: in no task, not in the
        # corpus (the exporting machine's record; None: not recorded, before 2026-12-04)
        "passages_held_back": corpus.manifest.get("passages_held_back"),
        "answers_none_with_other": corpus.manifest.get("answers_none_with_other"),
        # answers whose severity contradicts their categories, read as no severity given
        # (None: an export before these keys)
        "answers_harmful_severity_none": corpus.manifest.get("answers_harmful_severity_none"),
        "answers_severity_without_harm": corpus.manifest.get("answers_severity_without_harm"),
        # reviewer queues a push from the exporting machine made, gone from the server:
        # their answers went with them (None: not recorded, before 2026-12-05)
        "reviewer_queues_deleted": corpus.manifest.get("reviewer_queues_deleted"),
    }


# ---- Markdown ---------------------------------------------------------------------------
def _cannot_read_lines(found: dict[str, Any] | None) -> list[str]:
    """The "Model vs reviewers" paragraph on the passages the model cannot read (rows'
    ``model_language_warning``); none when there are none or the export did not record it
    (before 2026-12-06)."""
    if not found or not found.get("passages"):
        return []
    why = "; ".join(f"{w}: {k}" for w, k in (found.get("by_warning") or {}).items())
    labels = ", ".join(f"`{c}` {k}" for c, k in (found.get("by_label") or {}).items())
    return [
        f"**{found['passages']} passage(s) the model cannot read** (`model_language_warning`: "
        f"{why}). Push pre-selected no category or severity for them, so their empty "
        "`model_labels` and `model_severity` are no suggestion, not the model saying `none`; "
        "they are left out of the tables below"
        + (f" (the reviewers resolved them as {labels})" if labels else "")
        + ". The manifest counts them in `passages_model_cannot_read`.",
        "",
    ]


def _img(name: str, alt: str) -> list[str]:
    return [f"![{alt}](figures/{name})", ""]


def _none_with_other_note(found: Any) -> str:
    """The Counts line's note on answers that chose the none label with another category
    (manifest ``answers_none_with_other``; "" when none, or an export before it)."""
    if not isinstance(found, dict) or not found.get("answers"):
        return ""
    examples = [f"`{e}`" for e in (found.get("examples") or [])[:5]]
    more = int(found.get("passages") or 0) - len(examples)
    return (
        f" {found['answers']} answer(s) chose `none` (nothing above applies) together with "
        "another category, a contradiction: read as incomplete (counted above), they do not "
        f"vote on the categories (passages {', '.join(examples)}"
        + (f" and {more} more" if more > 0 else "")
        + ")."
    )


def _severity_contradiction_lines(n: dict[str, Any]) -> list[str]:
    """The Agreement section's line on answers whose severity contradicts their
    categories (manifest ``answers_harmful_severity_none``: a harmful category with
    severity `none`; ``answers_severity_without_harm``: a harmful severity with no harmful
    category): read as no severity given, so the severity figures hold fewer answers and
    some passages no severity. [] when there are none, or the export predates the keys."""
    parts: list[str] = []
    passages: list[str] = []
    for key, what in (
        ("answers_harmful_severity_none", "chose a harmful category with severity `none`"),
        ("answers_severity_without_harm", "a harmful severity with no harmful category"),
    ):
        found = n.get(key)
        if not isinstance(found, dict):
            continue
        answers, lead = int(found.get("answers") or 0), len(found.get("lead") or [])
        if not answers and not lead:
            continue
        parts.append(
            f"{answers} {what}"
            + (f" (and {lead} lead answer(s))" if lead else "")
            + f" (manifest `{key}`)"
        )
        passages += [str(p) for p in found.get("examples") or [] if str(p) not in passages]
    if not parts:
        return []
    shown = ", ".join(f"`{p}`" for p in passages[:5]) + (", ..." if len(passages) > 5 else "")
    return [
        "Answers whose severity contradicts their categories were read as no severity "
        f"given: {'; '.join(parts)}. They do not vote on the severity (their categories "
        "and spans count), so the severity figures hold fewer answers and a passage with "
        "no other severity has none" + (f" (passages {shown})." if shown else "."),
        "",
    ]


def _incomplete_note(c: dict[str, Any]) -> str:
    """The Counts line's note on answers without a category ("" when none): they are no
    tie and do not vote on the categories."""
    n = c.get("incomplete_answers") or 0
    if not n:
        return ""
    whole = c.get("passages_without_category") or 0
    return (
        f" {n} answer(s) chose no category (incomplete: possible through Label Studio's API "
        "or an import); they do not vote on the categories and are not counted as ties"
        + (
            f"; {whole} passage(s) have no other answer, so no category (resolution "
            "`incomplete`; training leaves them out)."
            if whole
            else "."
        )
    )


def ties_kinds_said(kinds: Any) -> str:
    """What tied passages hold until a lead decides them, by what was tied (a manifest's
    ``review.awaiting_adjudication_ties``, or counts of the same keys): categories split
    evenly (left out of the labels) or the severity only (the categories agreed; the
    highest tied level); "" when none (or not recorded)."""
    if not isinstance(kinds, dict):
        return ""
    parts = []
    if cats := kinds.get("categories"):
        none = kinds.get("no_categories") or 0
        left = f", {none} of them with no category left" if none else ""
        parts.append(f"{cats} tied on categories: the categories split evenly are left out{left}")
    if sev := kinds.get("severity_only"):
        parts.append(
            f"{sev} tied on severity only: the categories agreed, the severity is the highest "
            "tied level"
        )
    return "; ".join(parts)


def _open_work_lines(n: dict[str, Any]) -> list[str]:
    """What reviewers and the lead left open, as the export recorded it."""
    waiting, skipped = n.get("awaiting_adjudication"), n.get("skipped_by_reviewers")
    unsent = n.get("ties_not_sent_to_adjudication")
    moot = n.get("adjudication_no_longer_needed")
    lines = []
    if waiting is not None:
        kinds = ties_kinds_said(n.get("awaiting_adjudication_ties"))
        lines.append(
            f"Waiting for the lead: {waiting} passage(s) sent to adjudication and not yet "
            "decided (their labels are the reviewers' vote until the lead answers"
            + (f"; {kinds}" if kinds else "")
            + ")."
        )
    if moot:
        lines.append(
            f"Adjudication no longer needed: {moot} passage(s) sent to the lead and not "
            "decided are no longer disputed (a reviewer changed an answer); the reviewers' "
            "vote decides them."
        )
    if late := n.get("agreed_only_after_shown"):
        named = ", ".join(late[:5]) + (f" and {len(late) - 5} more" if len(late) > 5 else "")
        lines.append(
            f"Not blind: {len(late)} passage(s) sent to the lead and not decided ({named}) "
            "are no longer disputed only through "
            "an answer made or changed after the adjudication project showed the passage's "
            "answers (not blind): "
            + (
                "the export accepted them (`--accept-changed-answers`), so the reviewers' "
                "vote decides them."
                if n.get("changed_answers_accepted")
                else "they stay disputed, their rows `tie` until the lead answers."
            )
        )
    decided_moot = n.get("adjudicated_no_longer_disputed")
    if decided_moot:
        lines.append(
            f"Decided by a lead after the dispute ended: {decided_moot} passage(s) resolved "
            "`adjudicated` are no longer disputed by their reviewers (a reviewer changed an "
            "answer after the passage was sent to the lead); the lead's answer still decides "
            "them and may differ from the reviewers' current vote."
        )
    if unsent:
        lines.append(
            f"Not sent to a lead: {unsent} tie(s) (no majority among the reviewers) are in "
            "no adjudication project yet; `annotate adjudicate` sends them."
        )
    if isinstance(skipped, dict):
        lines.append(
            f"Skipped by reviewers: {skipped.get('tasks', 0)} task(s) "
            f"({skipped.get('skips', 0)} skip(s)); a skip is no answer, so a passage only "
            "skipped is not in the corpus."
        )
    if not lines:
        return []
    return [" ".join(lines), ""]


SHOWN = 100  # passages listed per adjudication table (report.json lists them all)


def _adjudication_lines(adj: dict[str, Any] | None, redaction: dict[str, Any] | None) -> list[str]:
    """The "Adjudication" subsection: each passage a lead decided (the lead's pseudonym,
    the decided categories and severity, the lead's comment: masked when the export ran
    with ``--redact``), and each tie no lead has decided yet with the categories its
    reviewers split on. Up to :data:`SHOWN` passages a table."""
    if not isinstance(adj, dict):
        return []
    decided, undecided = adj.get("decided") or [], adj.get("undecided") or []
    masked = bool((redaction or {}).get("ran"))
    lines = [
        "### Adjudication",
        "",
        f"Decided by a lead: {len(decided)} passage(s); the lead's answer decides their "
        "labels. The comment is the lead's, from the adjudication task"
        + (
            " (masked: the export ran with `--redact`)."
            if masked
            else " (as written: the export did not run `--redact`)."
        ),
        "",
    ]

    def more(items: list[Any]) -> list[str]:
        if len(items) <= SHOWN:
            return []
        return [f"... and {len(items) - SHOWN} more (`report.json` `adjudications`).", ""]

    if decided:
        lines += markdown_table(
            ["passage", "lead", "decided categories", "severity", "decided at", "comment"],
            (
                [d["id"], d.get("adjudicator"), ", ".join(d.get("labels") or []) or "-",
                 d.get("severity") or "-", d.get("decided_at"), d.get("comment") or "-"]
                for d in decided[:SHOWN]
            ),
        )  # fmt: skip
        lines += more(decided)
    on_categories = sum(bool(u.get("categories")) for u in undecided)
    kinds = ties_kinds_said(
        {"categories": on_categories, "severity_only": len(undecided) - on_categories}
    )
    lines += [
        f"Undecided: {len(undecided)} tied passage(s) no lead has decided yet; their labels "
        "are the reviewers' vote" + (f" ({kinds})." if kinds else "."),
        "",
    ]
    if undecided:
        lines += markdown_table(
            ["passage", "categories split evenly", "severity tied", "reviewer answers"],
            (
                [u["id"], ", ".join(u.get("categories") or []) or "-",
                 u.get("severity_tied"), u.get("answers")]
                for u in undecided[:SHOWN]
            ),
        )  # fmt: skip
        lines += more(undecided)
    return lines


def _short_of_reviewers_lines(
    per_passage: dict[str, int],
    k: int | None = None,
    over_ids: Sequence[str] = (),
    astray: int = 0,
    own: Mapping[str, Any] | None = None,
) -> list[str]:
    """Passages with fewer reviewer answers than the review set's K (``k``, as its push
    recorded it), or, where none is recorded, than the most any passage has: their other
    tasks are open or skipped, and a single answer is no agreement. With ``k``, also
    those with more than K (a stopped hand-over's copy and original both answered: the
    extra answer votes), named by ``over_ids`` (their passage ids: up to 10 shown).
    ``astray``: answers made in a reviewer's queue by another account (the manifest's
    ``review.answers_in_other_queues``), which can leave a passage short too: one account
    answering it twice counts once (passM55 #3). ``own``: the manifest's
    ``review.passages_short_of_own_reviewers`` (exports since stop 55): the one count of
    passages short of K, by their queues' own reviewers' answers, as export and `review
    status` say it, with why; an export without it is counted from ``per_passage``, as
    before (an answer by another account then makes up the count)."""
    if not per_passage:
        return []
    shown = ", ".join(f"{n}: {v}" for n, v in per_passage.items())
    line = f"Reviewer answers per passage (answers: passages): {shown}."
    if k is not None:
        line += f" The review set gives each passage to {k} reviewer(s)."
        if own is not None and own.get("passages") is not None:
            if short := int(own["passages"]):
                reasons = (own.get("by_reason") or {}).items()
                why = ", ".join(f"{code_span(kind)} {n}" for kind, n in reasons if n)
                line += (
                    f" {short} passage(s) have fewer than {k} answers by their queues' own "
                    f"reviewers (by why: {why}; `manifest.json` "
                    "`review.passages_short_of_own_reviewers`; `annotate review status` counts "
                    "the same), and their resolution is that of the answers given (one answer is "
                    f"counted as `{SINGLE_ANSWER}`, not as unanimous)."
                )
        else:
            short = sum(v for n, v in per_passage.items() if int(n) < k)
            if short:
                line += (
                    f" {short} passage(s) have fewer than {k} answers: their other reviewers' "
                    "tasks are still open or were skipped"
                    + (
                        f", or were answered by an account that had answered the passage "
                        f"already ({astray} answer(s) were made in another reviewer's queue: "
                        "`manifest.json` `review.answers_in_other_queues`)"
                        if astray
                        else ""
                    )
                    + " (`annotate review status`), and their "
                    "resolution is that of the answers given (one answer is counted as "
                    f"`{SINGLE_ANSWER}`, not as unanimous)."
                )
        over = stats.passages_over_k(per_passage, k)
        if over:
            line += (
                f" {over} passage(s) have more than {k} answers: a hand-over that stopped "
                "midway copied them into a second reviewer's queue and both the copy and the "
                "original were answered. Every answer counts: the extra answer votes (it can "
                "break a tie the others would have left, or make one) and counts in agreement; "
                "`annotate review status` names them"
            )
            if over_ids:
                more = f" and {len(over_ids) - 10} more" if len(over_ids) > 10 else ""
                line += (
                    f" ({', '.join(code_span(i) for i in over_ids[:10])}{more}; `manifest.json` "
                    "`passages_over_reviewers_per_task`)"
                )
            line += "."
        return [line, ""]
    most = max(int(n) for n in per_passage)
    short = sum(v for n, v in per_passage.items() if int(n) < most)
    if short and most >= 2:
        line += (
            f" {short} passage(s) have fewer answers than the {most} the most-reviewed have: "
            "in a review set their other reviewers' tasks are still open or were skipped "
            "(`annotate review status`), and their resolution is that of the answers given "
            f"(one answer is counted as `{SINGLE_ANSWER}`, not as unanimous)."
        )
    return [line, ""]


SINGLE_ANSWER = "one answer (no agreement to measure)"  # the resolutions table's row
# ... and the passages of resolution ``single`` with more answers, only one of which chose
# categories (break4 B5): they shared the row above, which said "one answer"
ONE_WITH_CATEGORIES = "one answer with categories, the others without (no agreement to measure)"


def _resolution_rows(
    resolutions: dict[str, int], single: int | None, with_categories: int | None = None
) -> list[list[Any]]:
    """The resolutions table's rows: a passage of one reviewer answer (resolution
    ``single``; ``unanimous`` in exports before 6 Dec 2026) is counted apart
    (:data:`SINGLE_ANSWER`), never as unanimous; a passage of resolution ``single`` with
    several answers, only one of which chose categories (``with_categories`` of them:
    :func:`annotate.audit.stats.raw_agreement` ``one_with_categories``; None: a report of
    numbers without it), in a row of its own (:data:`ONE_WITH_CATEGORIES`)."""
    rows: list[list[Any]] = []
    several = with_categories or 0
    # the one-answer passages an older export gave as unanimous
    single = (single or 0) - (resolutions.get(SINGLE, 0) - several)
    for name, count in resolutions.items():
        if name == SINGLE:
            if count - several > 0 or not several:
                rows.append([SINGLE_ANSWER, count - several])
            if several:
                rows.append([ONE_WITH_CATEGORIES, several])
        elif name == "unanimous" and single > 0:
            if count > single:
                rows.append([name, count - single])
            rows.append([SINGLE_ANSWER, single])
        else:
            rows.append([name, count])
    return rows


def _unmeasured_lines(per_passage: dict[str, int], k: int | None) -> list[str]:
    """The agreement section of an export where no passage has two reviewer answers: with
    one reviewer per passage (K = 1, or no K recorded and one answer each) agreement cannot
    be measured, and the option that gives passages more reviewers; in a review set of
    K >= 2, that no passage has its second answer yet."""
    passages = sum(per_passage.values())
    if k is not None and k >= 2:
        return [
            f"Agreement is not measured yet: none of the {passages} passage(s) has two "
            f"reviewer answers (the review set gives each to {k} reviewers; `annotate review "
            "status` shows the open tasks).",
            "",
        ]
    return [
        f"Agreement cannot be measured: each of the {passages} passage(s) has one reviewer "
        "answer, and agreement compares two answers or more to the same passage. To measure "
        "it, push with `--reviewers-per-task 2` (or more: `annotate push PRELABELS --project "
        "NAME --reviewers-per-task 2`), which gives each passage to that many reviewers, "
        "blind to each other's answers.",
        "",
    ]


def _not_own_lines(n: dict[str, Any]) -> list[str]:
    """The answers last written by another account than their reviewer (annotations'
    ``written_by``) that ``agreement.json`` left out of its figures, in words; where an
    ``agreement.json`` written before they were left out has none of that record while
    the manifest lists such answers, that its figures count them (s56 left #1)."""
    recorded = n.get("agreement") or {}
    if not recorded:
        return []
    if "answers_written_by_another_account" in recorded:
        said = not_own_sentence(
            recorded["answers_written_by_another_account"],
            "the agreement figures below (`agreement.json`)",
        )
        return [said, ""] if said else []
    k = int((n.get("answers_written_by_another_account") or {}).get("answers") or 0)
    if not k:
        return []
    return [
        f"{k} reviewer answer{'' if k == 1 else 's'} last written by another account than "
        "the reviewer credited (`manifest.json` `review.answers_written_by_another_account`) "
        f"{'counts' if k == 1 else 'count'} in the agreement figures below: this export's "
        "`agreement.json` was written before such answers were left out. Export again for "
        "figures of the reviewers' own answers only.",
        "",
    ]


def _not_blind_lines(n: dict[str, Any]) -> list[str]:
    """The answers made or changed after the adjudication project showed their passage
    (none: nothing): left out of the agreement figures, with the blind-only counts; an
    ``agreement.json`` written before export left them out counts them, and says so."""
    entry = n.get("answers_after_adjudication")
    if not entry or not entry.get("answers"):
        return []
    recorded = n.get("agreement") or {}
    if recorded and "answers_after_adjudication" not in recorded:
        k = int(entry["answers"])
        return [
            f"Not every answer above was blind: {k} answer{'' if k == 1 else 's'} "
            f"({', '.join(entry['passages'][:10])}) {'was' if k == 1 else 'were'} made or "
            "changed after the adjudication project showed the passage's answers "
            "(`manifest.json` `review.mode`). This export's `agreement.json` was written "
            "before such answers were left out, so its figures below count them: export "
            "again for figures of blind answers only.",
            "",
        ]
    blind = n.get("raw_agreement_blind") or {}
    figures = "the agreement figures below (`agreement.json`)" if recorded else "these counts"
    return [
        "Not every answer above was blind: "
        + left_out_sentence(entry, figures)
        + f" Counting only blind answers: passages with two or more reviewers: "
        f"{blind.get('multi_reviewed')}; of those with the same categories from every "
        f"reviewer: {blind.get('unanimous_categories')}.",
        "",
    ]


def _agreement_lines(n: dict[str, Any]) -> list[str]:
    raw = n["raw_agreement"]
    lines = [
        "## Agreement and gold",
        "",
        f"Passages with two or more reviewers: {raw['multi_reviewed']}; of those with the same "
        f"categories from every reviewer: {raw['unanimous_categories']}. Passages whose vote "
        f"was tied or undecided: {raw['label_ties']}.",
        "",
    ]
    lines += _severity_contradiction_lines(n)
    lines += _not_blind_lines(n)
    lines += _not_own_lines(n)
    over = n.get("passages_over_reviewers_per_task") or {}
    lines += _short_of_reviewers_lines(
        raw.get("reviewers_per_passage") or {},
        n.get("reviewers_per_task"),
        over.get("passage_ids") or (),
        int((n.get("answers_in_other_queues") or {}).get("answers") or 0),
        n.get("passages_short_of_own_reviewers"),
    )
    if n["resolutions"]:
        lines += markdown_table(
            ["resolution", "passages"],
            _resolution_rows(
                n["resolutions"], raw.get("single_answer"), raw.get("one_with_categories")
            ),
        )
    lines += _open_work_lines(n)
    lines += _adjudication_lines(n.get("adjudications"), n.get("redaction"))
    if n.get("skips"):
        lines += provenance.skip_lines(n["skips"])
    agreement = dict(n["agreement"] or {})
    gold = agreement.pop("gold", None)
    agreement.pop("spans", None)  # the same figures as span_agreement (from the rows)
    agreement.pop("answers_after_adjudication", None)  # said above (_not_blind_lines)
    agreement.pop("answers_written_by_another_account", None)  # ... (_not_own_lines)
    if not agreement:
        lines += ["No `agreement.json` in this export (no agreement statistics were exported).", ""]
        lines += _span_agreement_lines(n.get("span_agreement"))
    elif not agreement.get("n_items"):  # no passage with two answers: nothing measured
        lines += _unmeasured_lines(
            raw.get("reviewers_per_passage") or {}, n.get("reviewers_per_task")
        )
    else:
        lines += [
            f"From `agreement.json`: {agreement.get('n_items')} passages, "
            f"{agreement.get('n_reviewers')} reviewers.",
            "",
        ]
        cats = agreement.pop("categories", None) or {}
        if cats:
            # answers whose labeling config lacked the category (a forced no): left out
            # of its figures, counted in a column only where any was
            unoffered = any(v.get("n_answers_not_offered") for v in cats.values())
            lines += markdown_table(
                ["category", "Krippendorff alpha", "95% CI", "items", "answers"]
                + (["answers not offered it (left out)"] if unoffered else []),
                (
                    [c, _category_alpha(v), _category_ci(v), v.get("n_items"), v.get("n_answers")]
                    + ([v.get("n_answers_not_offered", 0)] if unoffered else [])
                    for c, v in cats.items()
                ),
            )
        sev = agreement.pop("severity", None) or {}
        if sev:
            # as the category table shows them: 3 decimals, n/a where there is none (it
            # printed "0.0 (95% CI None, 1 items)")
            alpha, ci = sev.get("alpha"), sev.get("ci95")
            alpha_s = "n/a" if alpha is None else f"{alpha:.3f}"
            ci_s = f"[{ci[0]}, {ci[1]}]" if ci else "n/a"
            items = sev.get("n_items") or 0
            lines += [
                f"Severity ({sev.get('level', '')} alpha): {alpha_s} "
                f"(95% CI {ci_s}, {items} item{'' if items == 1 else 's'}).",
                "",
            ]
        lines += _span_agreement_lines(n.get("span_agreement"))
        pairs = agreement.pop("pairwise_kappa", None) or []
        if pairs:
            lines += markdown_table(
                ["reviewers", "items", "severity kappa", *(pairs[0].get("categories") or {}),
                 "category kappa mean"],
                (
                    [" / ".join(p.get("reviewers", [])), p.get("n_items"), p.get("severity"),
                     *_category_kappas(p), _kappa_mean_cell(p)]
                    for p in pairs
                ),
            )  # fmt: skip
        vs = agreement.pop("reviewer_vs_consensus", None) or {}
        if vs:
            lines += markdown_table(
                ["reviewer", "items", "same categories as consensus", "flagged"],
                ([r, v.get("n_items"), v.get("exact"), v.get("flagged")] for r, v in vs.items()),
            )
        for key in ("n_items", "n_reviewers", "reviewers"):
            agreement.pop(key, None)
        if agreement:
            dumped = json.dumps(agreement, indent=1, ensure_ascii=False)[:4000]
            lines += ["Other agreement figures:", "", "```json", dumped, "```", ""]
    if isinstance(gold, dict):
        floor = gold.get("min_accuracy")
        n_gold = gold.get("n_gold")
        lines += [
            f"Gold: {n_gold} gold passage{'' if n_gold == 1 else 's'}, minimum accuracy "
            + (
                f"{floor}."
                if floor is not None
                else "not set (export --gold-min-accuracy A), so no reviewer is flagged."
            ),
            "",
        ]
        held = n.get("gold_file") or {}
        if held.get("file"):
            lines += [
                f"What reviewers were tested on is in `{held['file']}` ({held.get('passages')} "
                "gold passage(s), in no split): each passage's text and provenance, the "
                "expected answer and every reviewer's answer with its Label Studio ids."
                + _gold_personal_data(held),
                "",
            ]
        if gold.get("reviewers"):  # no gold answer: no table without rows
            lines += markdown_table(
                ["reviewer", "gold items", "exact", "severity", "flagged"],
                (
                    [r, g.get("n_items"), g.get("exact"), g.get("severity"), g.get("flagged")]
                    for r, g in gold["reviewers"].items()
                ),
            )
            lines += _gold_missed_lines(n.get("gold_missed"))
            lines += _gold_severity_missed_lines(n.get("gold_severity_missed"))
        else:
            lines += ["No reviewer answered a gold task, so no gold accuracy is measured.", ""]
    elif not n["gold"]:
        lines += ["No gold results in this export (no gold accuracy was exported).", ""]
    if n.get("gold_also_regular"):
        lines += [
            f"{n['gold_also_regular']} passage(s) of the regular data were skipped because they "
            "are gold tasks (pushed earlier as gold): kept out of the corpus and scored as gold.",
            "",
        ]
    for name, content in n["gold"].items():
        scalars = [(k, v) for k, v in content.items() if isinstance(v, int | float | str)]
        lines += [f"Gold (`{name}`):", ""]
        lines += markdown_table(["measure", "value"], scalars) if scalars else []
    return lines


GOLD_MISSED_SHOWN = 20  # gold passages listed per reviewer (report.json lists them all)


def _gold_missed_lines(missed: dict[str, list[dict[str, Any]]] | None) -> list[str]:
    """Which gold passages each reviewer got wrong (categories not the gold's), up to
    :data:`GOLD_MISSED_SHOWN` a reviewer; passage ids and label names, never text."""
    if missed is None:
        return [
            "This export does not list the gold passages each reviewer answered (an "
            "`agreement.json` without gold `items`), so the passages missed are not named.",
            "",
        ]
    lines = [
        "Gold passages each reviewer got wrong (their categories are not the gold's, as "
        "`exact` counts; passage ids only, no text): "
        + (
            "; ".join(f"{name} {len(v)}" for name, v in missed.items())
            if missed
            else "no reviewer answered a gold task"
        )
        + ".",
        "",
    ]
    shown = [
        [name, m["passage_id"], ", ".join(m["expected"]) or "-", ", ".join(m["answered"]) or "-"]
        for name, v in missed.items()
        for m in v[:GOLD_MISSED_SHOWN]
    ]
    if shown:
        lines += markdown_table(["reviewer", "gold passage", "expected", "answered"], shown)
    return lines + _more_missed_lines(missed, "gold_missed")


def _gold_severity_missed_lines(missed: dict[str, list[dict[str, Any]]] | None) -> list[str]:
    """Which gold passages each reviewer gave another severity than the gold's (among
    those with a gold severity), up to :data:`GOLD_MISSED_SHOWN` a reviewer; passage ids
    and severity names, never text. Nothing when the export lists no gold items (the
    category misses say so)."""
    if missed is None:
        return []
    if not missed:
        return ["No reviewer answered a gold passage that has a severity, so none is missed.", ""]
    lines = [
        "Gold passages each reviewer gave another severity (their severity is not the "
        "gold's, as `severity` counts, among gold passages with a severity; passage ids "
        "only, no text): " + "; ".join(f"{name} {len(v)}" for name, v in missed.items()) + ".",
        "",
    ]
    shown = [
        [name, m["passage_id"], m["expected_severity"] or "-", m["answered_severity"] or "-"]
        for name, v in missed.items()
        for m in v[:GOLD_MISSED_SHOWN]
    ]
    if shown:
        lines += markdown_table(
            ["reviewer", "gold passage", "expected severity", "answered severity"], shown
        )
    return lines + _more_missed_lines(missed, "gold_severity_missed")


def _more_missed_lines(missed: dict[str, list[dict[str, Any]]], key: str) -> list[str]:
    """The line naming how many misses past :data:`GOLD_MISSED_SHOWN` a table left out."""
    more = [
        f"{name} {len(v) - GOLD_MISSED_SHOWN} more"
        for name, v in missed.items()
        if len(v) > GOLD_MISSED_SHOWN
    ]
    return [f"... and {', '.join(more)} (all in `report.json` `{key}`).", ""] if more else []


def _category_alpha(entry: dict[str, Any]) -> Any:
    """A category's alpha cell: its value, or "too few positives/negatives to estimate"
    where agreement.json marks its rarer value too rare (passL54 finding 9; the rule is
    :data:`annotate.review.agreement.MIN_CHANCE_AGREEMENTS`)."""
    for rare in ("positives", "negatives"):
        if entry.get(f"too_few_{rare}"):
            return f"too few {rare} to estimate"
    return entry.get("alpha")


def _category_ci(entry: dict[str, Any]) -> Any:
    """A category's 95% CI cell: agreement.json's ``ci95``, "n/a" where the alpha is not
    estimated (too few positives or negatives: a bootstrap interval of ``[1.0, 1.0]``
    beside it read as perfect agreement; newuser57 F6)."""
    if entry.get("too_few_positives") or entry.get("too_few_negatives"):
        return "n/a"
    return entry.get("ci95")


def _category_kappas(pair: dict[str, Any]) -> list[Any]:
    """A reviewer pair's category kappa cells: each value, or "too few positives/negatives
    to estimate" where agreement.json marks the category too rare for the pair, as the
    alpha table does (break13 finding 15)."""
    thin = pair.get("categories_too_few") or {}
    return [
        f"too few {thin[c]} to estimate" if c in thin and v is not None else v
        for c, v in (pair.get("categories") or {}).items()
    ]


def _kappa_mean_cell(pair: dict[str, Any]) -> Any:
    """The pair's mean category kappa over the categories not too rare (agreement.json's
    ``categories_mean``), with "(over N of M)" where some are; "too few positives to
    estimate" where every one is, and "no meaningful mean" where one only is (its kappa
    alone, read as overall agreement: newuser62 #7)."""
    from annotate.review.agreement import mean_counts, thin_kappas

    if "categories_mean" not in pair:
        return None  # written before the mean was kept
    if pair["categories_mean"] is None and pair.get("categories_too_few") and thin_kappas(pair):
        return "too few positives/negatives to estimate"
    kept, others = mean_counts(pair)
    if pair["categories_mean"] is None or not others:
        return pair["categories_mean"]
    m = len(kept) + len(others)
    why = _others_why(pair, others)
    if len(kept) == 1:
        return f"no meaningful mean: 1 of {m} categories readable, {why}"
    return f"{pair['categories_mean']:.3f} (over {len(kept)} of {m}; {why})"


def _others_why(pair: dict[str, Any], others: list[str]) -> str:
    """Why the categories left out of the kappa mean are: too few positives/negatives
    (agreement.json's ``categories_too_few``) or no kappa at all (undefined, or not
    offered), kept apart as :func:`annotate.review.agreement.kappa_mean` keeps them; all
    were called too few positives (reader 62 finding 10)."""
    thin = pair.get("categories_too_few") or {}
    rare = sum(c in thin for c in others)
    none = len(others) - rare
    parts = [
        *([f"{'the others' if not none else rare} too few positives"] if rare else []),
        *([f"{'the others' if not rare else none} no kappa"] if none else []),
    ]
    return ", ".join(parts)


def _span_agreement_lines(spans: dict[str, Any] | None) -> list[str]:
    """Evidence-span agreement (:func:`annotate.review.span_agreement.span_agreement`):
    pairwise F1 between reviewers, exact and overlap, per span label and overall."""
    if not spans:
        return []
    overall = spans["overall"]
    lines = [
        "Evidence spans: pairwise F1 between two reviewers of the same passage (the "
        "F-measure of Hripcsak & Rothschild 2005, JAMIA 12(3); kappa is ill-defined for "
        "spans), exact (same label, start and end) and overlap (same label, a character in "
        "common, matched one to one), summed over passages and reviewer pairs. A passage "
        "where neither reviewer of a pair marked a span of the label is not counted for it.",
        "",
    ]
    if not overall["n_pairs"]:
        return [*lines, "No two reviewers of a passage marked an evidence span: no span F1.", ""]
    rows = [
        [label, e["f1_exact"], e["f1_overlap"],
         e["n_passages"], e["n_pairs"], e["n_spans"]]
        for label, e in [*spans["labels"].items(), ("all span labels", overall)]
    ]  # fmt: skip
    return lines + markdown_table(
        ["span label", "F1 exact", "F1 overlap", "passages", "reviewer pairs", "spans"], rows
    )


# what each high-severity figure counts, said beside it: the two differ by design
HIGH_RESOLVED_LINE = (
    "`high/critical` above counts passages whose *resolved* severity (the reviewers' vote, "
    "or the lead's decision) is high or critical, whatever this reviewer answered; "
    "`exposure.json`'s `high severity` below counts the reviewer's *own* answers instead."
)
HIGH_OWN_LINE = (
    "`high severity` above counts the answers in which this reviewer *themselves* chose "
    "high or critical (gold tasks included), whatever the resolved severity; the workload "
    "table's `high/critical` counts *resolved* severity instead, so a reviewer outvoted on "
    "severity (or answering gold) gets different numbers in the two."
)


def _reviewer_answer_lines(answers: dict[str, Any] | None) -> list[str]:
    """Who labelled what: per pseudonym, how often each category was chosen, the model
    versions whose pre-labels the answers started from, the answers recording no
    starting prediction, and the lead's adjudications with what each started from (none
    for an old report.json; the last two columns absent from a report.json before
    2026-12-06)."""
    if not answers:
        return []
    cats = list(next(iter(answers.values()))["categories"])
    new = all("no_start_recorded" in e for e in answers.values())
    lines = [
        "Who labelled what: the categories each pseudonym chose, in how many answers (the "
        "lead's: the decided categories of each adjudicated passage), and the model version "
        "whose pre-labels those answers started from (`annotations[].model_version`"
        + (
            ", counted only for answers that record starting from a prediction: "
            "`annotations[].started_from_prediction`, Label Studio's `parent_prediction`"
            if new
            else ""
        )
        + "). Which passage each answered is in the rows' `annotations` and `adjudicator`.",
    ]
    if new:
        lines += [
            "",
            "`no starting prediction`: answers that record none (answered from scratch, "
            "through the API, or the prediction was deleted since): whether the reviewer saw "
            "the model's suggestion is not recorded for them. `adjudications`: the lead's "
            "answers in the adjudication project, whose tasks show the reviewers' answers "
            "and a blank start, not the model's; each is listed by what it started from (a "
            "reviewer's pseudonym, `blank`, or `(none recorded)`: `adjudication.started_from`)"
            " and none is credited to a model.",
        ]
    head = ["reviewer", "answers", *cats, "started from model"]
    if new:
        head += ["no starting prediction", "adjudications (started from)"]

    def cells(e: dict[str, Any]) -> list[Any]:
        out = [
            e["answers"],
            *(e["categories"].get(c, 0) for c in cats),
            ", ".join(f"{v} ({k})" for v, k in e["started_from"].items()) or "-",
        ]
        if new:
            starts = ", ".join(
                f"from {whose}: {n}" for whose, n in e["adjudication_started_from"].items()
            )
            adj = f"{e['adjudications']} ({starts})" if e["adjudications"] else 0
            out += [e["no_start_recorded"], adj]
        return out

    table = markdown_table(head, ([name, *cells(e)] for name, e in answers.items()))
    return [*lines, "", *table]


def _category_lines(c: dict[str, Any]) -> list[str]:
    """The "By resolved category" table: per category, the passages decided yes, decided
    no and undecided (a tie no lead decided yet, its reviewers split evenly on the
    category), and the passages without any resolved category."""
    decisions = c.get("by_category_decision") or {}
    undecided = c.get("undecided_passages") or 0
    lines = [
        "Per category: passages whose resolved label has it (decided yes: the reviewers' "
        "majority or the lead), whose vote decided against it (decided no), and tied "
        "passages no lead has decided yet whose reviewers split evenly on it (undecided: "
        "neither a yes nor a no until a lead decides; left out of training and of the "
        f"model's scores). {undecided} passage(s) have an undecided category; "
        f"{c['by_category'].get('(unresolved)', 0)} have no resolved category at all (a "
        "tie, or answers without one).",
        "",
    ]
    if not decisions:  # a report.json written before the decisions were counted
        return lines + markdown_table(["category", "passages"], c["by_category"].items())
    if any("not_offered" in v for v in decisions.values()):  # newuser57 F2
        rows = [
            [name, v["yes"], v["no"], v["undecided"], v.get("not_offered", 0)]
            for name, v in decisions.items()
        ]
        return lines + markdown_table(
            ["category", "decided yes", "decided no", "undecided", "not offered"], rows
        )
    rows = [[name, v["yes"], v["no"], v["undecided"]] for name, v in decisions.items()]
    return lines + markdown_table(["category", "decided yes", "decided no", "undecided"], rows)


def _not_offered_lines(recorded: Any, agreement: Any = None) -> list[str]:
    """What report.md says of the categories the answers' labeling configs did not offer
    (report.json ``labels_not_offered``: version of answers -> categories); [] for none.
    ``agreement``: agreement.json, whose categories count the answers left out
    (``n_answers_not_offered``) when it was written since they are."""
    if not isinstance(recorded, dict) or not recorded:
        return []
    cats = (agreement or {}).get("categories") if isinstance(agreement, dict) else None
    left_out = isinstance(cats, dict) and any(
        isinstance(v, dict) and v.get("n_answers_not_offered") for v in cats.values()
    )
    agreed = (
        "agreement on it leaves out the answers that could not choose it (the agreement "
        "table's `answers not offered it` column)"
        if left_out
        else "`agreement.json` left no such answer out of agreement: none of the passages "
        "two reviewers answered was answered without it, or it was written before 7 Dec "
        "2026, when such an answer counted as a no"
    )
    said = "; ".join(
        f"answers made under labels.yaml {v} could not choose {', '.join(map(str, names))}"
        for v, names in sorted(recorded.items())
    )
    return [
        f"Categories not offered to reviewers: {said} (their labeling config did not have "
        "them; the taxonomy above is the one the export read with). On passages none of "
        "whose answers could choose a category, it is counted as `not offered`, neither a "
        f"decided no nor, below, a model true negative; {agreed}.",
        "",
    ]


def _severity_lines(c: dict[str, Any], n: dict[str, Any] | None = None) -> list[str]:
    """The "By resolved severity" table; when some passages' severity is an undecided
    tie (``by_severity_undecided``), a column marks the rows holding them and a line
    says where they are counted."""
    ties = c.get("by_severity_undecided") or {}
    if not ties:
        return markdown_table(["severity", "passages"], c["by_severity"].items())
    rows = [[s, n, ties.get(s) or ""] for s, n in c["by_severity"].items()]
    total = sum(ties.values())
    return [
        *markdown_table(["severity", "passages", "of them undecided ties"], rows),
        f"{total} passage(s) whose reviewers split evenly on the severity, with no lead "
        "decision yet, are counted at the highest tied severity (the last column); "
        "a lead decides them" + _sent_said(n or {}) + ".",
        "",
    ]


def _sent_said(n: dict[str, Any]) -> str:
    """Where undecided ties stand: waiting in the adjudication project (all sent), or
    some not sent yet (`annotate adjudicate` sends them); the old words when the export
    did not record it."""
    unsent = n.get("ties_not_sent_to_adjudication")
    if unsent is None:
        return " (`annotate adjudicate` sends them)"
    if unsent:
        return f" ({unsent} tie(s) not sent yet: `annotate adjudicate` sends them)"
    return " (sent to adjudication: they wait for the lead's answer)"


def _top(counts: dict[str, int], n: int) -> list[tuple[str, int]]:
    """The ``n`` largest entries (the dict is sorted by count), the rest summed in one row."""
    items = list(counts.items())
    if len(items) <= n:
        return items
    rest = items[n - 1 :]
    return [*items[: n - 1], (f"({len(rest)} other sources)", sum(v for _, v in rest))]


def _source_rows(c: dict[str, Any], n: int = 30) -> list[tuple[str, str, int]]:
    """The "By source" table's rows: the ``n`` largest sources with their kind (an
    export's report made before kinds were counted leaves it empty)."""
    kinds = c.get("source_kinds") or {}
    top = _top(c["by_source"], n)
    return [(name, kinds.get(name, ""), count) for name, count in top]


def audit_projects(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest's ``label_studio_projects`` as the report shows them: a review set's
    reviewer project titled ``NAME · LOCALPART`` (recorded by exports made before they
    were named by pseudonym) becomes ``reviewer project ID``, so the report never shows
    a reviewer's e-mail name."""
    prefix = f"{(manifest.get('project') or {}).get('title')} · "
    out: dict[str, Any] = {}
    for title, pid in (manifest.get("label_studio_projects") or {}).items():
        if title.startswith(prefix) and title != f"{prefix}adjudication":
            title = f"reviewer project {pid}"
        out[title] = pid
    return out


def _projects_read(project: dict[str, Any], n: dict[str, Any]) -> str:
    """The Label Studio projects an export read, by title and id, and the server."""
    read = n.get("label_studio_projects") or {}
    if not read and project.get("id") is not None:
        read = {str(project.get("title")): project["id"]}
    url = project.get("label_studio_url")
    where = f" at {escape_markdown(str(url))}" if url else ""
    if not read:
        return "Label Studio (projects not recorded)" + where
    named = ", ".join(_project_named(str(t), i) for t, i in read.items())
    if len(read) == 1:
        return f"the Label Studio project {named}{where}"
    return f"{len(read)} Label Studio projects{where}: {named}"


def _project_named(name: str, pid: Any) -> str:
    """A project the export read, as the report names it: a reviewer's queue (named
    ``reviewer r-…`` or ``reviewer project ID`` by :func:`audit_projects`) as `review
    status` names a queue of a removed account, ``r-…'s queue``, never as if that were its
    title (its title is ``NAME · r-…``); any other by its title, quoted."""
    alias = re.fullmatch(r"reviewer (r-[0-9a-f]+)(?: \(project \d+\))?", name)
    if alias:
        return f"{alias.group(1)}'s queue (id {pid})"
    if re.fullmatch(r"reviewer project \d+", name):
        return f"a reviewer's queue (id {pid})"
    return f"'{escape_markdown(name)}' (id {pid})"


def _review_mode_line(mode: Any) -> str:
    """How the review was run (blind or shared), as the export recorded it."""
    if isinstance(mode, dict) and mode.get("statement"):
        return f"How the review was run: {escape_markdown(str(mode['statement']))}"
    return (
        "How the review was run: not recorded (an export made before the manifest stated "
        "whether the review was blind)."
    )


def _admin_decisions_lines(record: Any) -> list[str]:
    """The passages a lead decided under the admin account annotate works with (the
    manifest's ``review.adjudicated_by_admin``): a paragraph when there are any."""
    if not isinstance(record, dict) or not record.get("passages"):
        return []
    ids = ", ".join(escape_markdown(str(i)) for i in (record.get("ids") or [])[:10])
    more = f" and {record['passages'] - 10} more" if record["passages"] > 10 else ""
    return [
        "",
        f"Lead decisions under the shared admin account: {record['passages']} passage(s) "
        f"were decided in adjudication by {escape_markdown(str(record.get('account')))}, "
        "the admin account annotate works with (the login `annotate studio start` prints), "
        f"not by a person's own account: {ids}{more}. Who made those decisions is not "
        "recorded.",
    ]


def _written_by_lines(record: Any) -> list[str]:
    """The answers last written by another account than the one they are credited to
    (the manifest's ``review.answers_written_by_another_account``): a paragraph naming
    each (the first 10) when there are any (passM55 #1)."""
    if not isinstance(record, dict):
        return []
    listed = [*(record.get("listed") or []), *(record.get("lead_listed") or [])]
    if not listed:
        return []
    named = "; ".join(
        f"{escape_markdown(str(e.get('passage')))}: "
        + (
            f"{escape_markdown(str(e.get('reviewer')))}'s answer"
            if "reviewer" in e
            else f"lead {escape_markdown(str(e.get('lead')))}'s decision"
        )
        + f" written by {escape_markdown(str(e.get('written_by')))}"
        + (f" ({e['updated_at']})" if e.get("updated_at") else "")
        + (" (gold)" if e.get("gold") else "")
        for e in listed[:10]
    )
    total = int(record.get("answers") or 0) + int(record.get("lead_answers") or 0)
    more = f" and {total - 10} more" if total > 10 else ""
    return [
        "",
        f"Answers not written by the account credited: {total} answer(s) were last "
        "written by another account than the reviewer or lead they are credited to "
        "(Label Studio's `updated_by`: the admin or a lead changed them, or made them "
        "through the API in that person's name), so the corpus cannot show they are "
        f"that person's answers: {named}{more} (each row annotation's `written_by`; "
        "`manifest.json` `review.answers_written_by_another_account`).",
    ]


def _since_export_lines(record: Any) -> list[str]:
    """The answers made or changed since the previous export into the same folder (the
    manifest's ``review.answers_changed_since_previous_export``): a paragraph when there
    are any, and one saying none when the record says none."""
    from annotate.review.blindness import late_gold_sentence, late_sentence, new_work_sentence

    if not isinstance(record, dict):
        return []
    when = f"the previous export into this folder ({record.get('since')})"
    new = new_work_sentence(record, when)
    new = f" {escape_markdown(new[0].upper() + new[1:])}." if new else ""
    # gold answers changed since (passH53 H7): they move the gold accuracy figures
    gold = late_gold_sentence(record, when)
    also = (
        [
            "",
            f"**Late gold changes:** {escape_markdown(gold)} (manifest.json "
            "review.answers_changed_since_previous_export.gold).",
        ]
        if gold
        else []
    )
    if not record.get("answers"):
        k = record.get("reviewers_per_task")
        answered = (
            f"that already had {k} answers" if isinstance(k, int) and k > 1 else "already answered"
        )
        what = f"changed, nor made on a passage {answered}," if new else "made or changed"
        return [
            "",
            f"Late changes: no answer was {what} since the previous export into this folder "
            f"({escape_markdown(str(record.get('since')))}).{new}",
            *also,
        ]
    said = late_sentence(record, when)
    if not said:  # each one said above already (passH53 H10: said once)
        n = int(record["answers"])
        said = (
            f"the {n} answer{'' if n == 1 else 's'} made or changed since the previous export "
            f"into this folder ({record.get('since')}) on passages already answered then "
            f"{'is' if n == 1 else 'are'} among the late changes said above"
        )
    return [
        "",
        f"**Late changes:** {escape_markdown(said)} (manifest.json "
        f"review.answers_changed_since_previous_export).{new}",
        *also,
    ]


def _pushed_content_note(tax: dict[str, Any]) -> str:
    """What the manifest records of the labels.yaml content the projects were pushed with
    (:func:`annotate.studio.pushed_taxonomy.manifest_record`), after the taxonomy's
    digest: "" for an export made before it was recorded, a short note when not recorded
    by the projects, and the projects' digest, in capitals, when it differs from the one
    read with (labels.yaml edited without a version bump: the guidelines named here are
    not the ones reviewers saw)."""
    if "sha256_pushed" not in tax:
        return ""
    pushed = tax.get("sha256_pushed")
    if tax.get("content_as_pushed") is False:
        shown = f"`{pushed[:12]}`" if isinstance(pushed, str) and len(pushed) == 64 else "other"
        return (
            f"; NOT the content the projects were pushed with (content sha256 {shown} in "
            "their labeling config, same version): reviewers saw other guidelines "
            "(manifest.json taxonomy.sha256_pushed_by_project)"
        )
    if pushed == "not recorded":
        return (
            "; the content the projects were pushed with: not recorded (pushed before 6 Dec 2026)"
        )
    if tax.get("content_as_pushed"):
        return ", the content the projects were pushed with"
    return ""


def _versions_apart_lines(per_version: dict[str, Any]) -> list[str]:
    """The "Model vs reviewers" caveat ([] for one model version): each passage was
    pre-labelled by one version, so the versions' tables are on different passages
    (other batches, of other difficulty) and do not compare the models."""
    if len(per_version) < 2:
        return []
    counts = ", ".join(f"`{v}` {mv['passages']}" for v, mv in per_version.items())
    return [
        f"{len(per_version)} model versions pre-labelled these passages, each passage by "
        f"one of them (passages per version: {counts}): the tables below are on different "
        "passages, from different batches and of different difficulty, and do not compare "
        "the models. To compare models on the same passages, run `annotate evaluate --data "
        "EXPORT --model A --model B`.",
        "",
    ]


def to_markdown(n: dict[str, Any]) -> str:
    """The report text (figures referenced as ``figures/NAME.png``)."""
    c = n["counts"]
    project = n["project"] or {}
    tax = n["versions"]["taxonomy"]
    lines = [
        f"# Review report: {escape_markdown(str(project.get('title', '(unknown project)')))}",
        "",
        f"Exported {n['exported_at']} from {_projects_read(project, n)} "
        f"(format `{n['format']}`). Taxonomy `{tax.get('name')}` {tax.get('version')}"
        + (f" (content sha256 `{tax['sha256'][:12]}`)" if tax.get("sha256") else "")
        + _pushed_content_note(tax)
        + ". "
        "Every figure below is computed from the exported files; `annotate report` "
        "regenerates this report from them.",
        "",
        f"Integrity: {'all checksums and row counts match the manifest' if n['checksums']['verified'] else 'MISMATCHES against the manifest: ' + '; '.join(n['checksums']['mismatches'])}.",  # noqa: E501
        "",
        *_recorded_digest_lines(n["checksums"]),
        *_not_offered_lines(n.get("labels_not_offered"), n.get("agreement")),
        _review_mode_line(n.get("review_mode")),
        *_admin_decisions_lines(n.get("adjudicated_by_admin")),
        *_written_by_lines(n.get("answers_written_by_another_account")),
        *_since_export_lines(n.get("answers_changed_since_previous_export")),
        "",
        "## Counts",
        "",
        f"{c['passages']} reviewed passages from {c['documents']} documents, "
        f"{c['annotations']} annotations, {c['label_ties']} tied or undecided votes."
        + _incomplete_note(c)
        + _none_with_other_note(n.get("answers_none_with_other")),
        *_ls_counts_lines(n.get("label_studio_counts") or {}, n.get("passages_held_back")),
        *_deleted_queues_lines(n.get("reviewer_queues_deleted")),
        "",
        *provenance.repost_lines(n.get("reposts")),
        *provenance.document_hash_lines(n.get("document_sha256") or {}),
        *provenance.input_file_lines(n.get("input_files") or {}),
        "### By resolved category",
        "",
        *_category_lines(c),
        *_img("categories.png", "passages per resolved category"),
        "### By resolved severity",
        "",
        *_severity_lines(c, n),
        *_img("severity.png", "passages per resolved severity"),
        "### By source",
        "",
        "A passage's source is where its document came from: the host of its URL (a "
        "table's `source` or `url` column), else the input given to `annotate ingest` it "
        "was read from, by its name: a folder (every file under it), a file (every row of "
        "a table) or a saved dataset; a table's own source value that is neither is shown "
        "as it is.",
        "",
        *markdown_table(["source", "kind", "passages"], _source_rows(c)),
        *licenses.license_lines(n.get("licenses") or {}),
        "## Model vs reviewers",
        "",
        "Per model version and category: passages the model labelled and the reviewers' "
        "resolved label kept (tp), the model labelled but reviewers did not (fp), reviewers "
        "labelled but the model did not (fn).",
        "",
        *_cannot_read_lines(n.get("model_cannot_read")),
        *_versions_apart_lines(n["model_vs_human"]),
    ]
    cells_left = any(
        "not_offered" in v or "not_scored" in v
        for mv in n["model_vs_human"].values()
        for v in mv["categories"].values()
    )
    for version, mv in n["model_vs_human"].items():
        lines += [
            f"### Model `{version}`",
            "",
            f"{mv['passages']} passages; the model's categories equal the resolved ones on "
            f"{mv['same_categories']}, and its categories, severity (where it suggested "
            "one: none for a harmful passage) and evidence spans "
            f"(`model_agreed`) on {mv['exact_agreement']}."
            + (
                f" {mv['unresolved']} passages without a resolved category (a tied vote, "
                "or no category given) are left out of the table."
                if mv.get("unresolved")
                else ""
            )
            + (
                f" {mv['cannot_read']} passage(s) the model cannot read are left out of the "
                "table (no suggestion to compare: see above)."
                if mv.get("cannot_read")
                else ""
            )
            + (
                f" On {mv['partly_undecided']} tied passage(s) that resolved some categories, "
                "each category the reviewers split on evenly is left out of that category's "
                "row (`undecided`): neither their label nor a decided no."
                if mv.get("partly_undecided")
                else ""
            ),
            "",
            *(
                [
                    "`not offered`: passages none of whose answers could choose the "
                    "category; `not scored`: passages the model gave no score for it (a "
                    "model trained before it): left out of its tp/fp/fn/tn.",
                    "",
                ]
                if cells_left
                else []
            ),
            *markdown_table(
                ["category", "tp", "fp", "fn", "tn", "precision", "recall"]
                + (["undecided"] if mv.get("partly_undecided") else [])
                + (["not offered", "not scored"] if cells_left else []),
                (
                    [k, v["tp"], v["fp"], v["fn"], v["tn"], v["precision"], v["recall"]]
                    + ([v.get("undecided", 0)] if mv.get("partly_undecided") else [])
                    + ([v.get("not_offered", 0), v.get("not_scored", 0)] if cells_left else [])
                    for k, v in mv["categories"].items()
                ),
            ),
            *_img(f"confusion-{slug(version)}.png", f"model {version} vs reviewers"),
        ]
    lines += _agreement_lines(n)
    w = n["workload"]
    lines += [
        "## Reviewer workload and exposure",
        "",
        "Reviewers are pseudonyms (salted hashes of Label Studio user ids). Exposure counts "
        "the passages a reviewer annotated whose resolved label is harmful "
        f"({', '.join(n['harmful_categories']) or 'not recorded in this export'}), and those "
        "resolved as high or critical severity. The lead's decisions in the adjudication "
        "project count as the lead's annotations (role `adjudication`; its lead time is "
        "the one each row's `adjudication` record carries, none for an export made before "
        "rows had that record).",
        "",
        *markdown_table(
            [
                "reviewer",
                "role",
                "annotations",
                "of which adjudications",
                "harmful passages",
                "high/critical",
                "lead time (s)",
            ],
            (
                [
                    r,
                    v.get("role") or "reviewer",
                    v["annotations"],
                    v.get("adjudications", 0),
                    v["harmful"],
                    v["high_severity"],
                    v["lead_time_s"],
                ]
                for r, v in w.items()
            ),
        ),
        HIGH_RESOLVED_LINE,
        "",
        *_img("workload.png", "reviewer workload and exposure"),
        *_reviewer_answer_lines(n.get("reviewer_answers")),
    ]
    if n["exposure"]:
        lines += [
            "From `exposure.json` (per reviewer over all days; it counts every answer a "
            "reviewer gave, gold tasks included, so its answers can exceed the annotations "
            "above, which are of corpus passages only; the lead's answers count as "
            "adjudications):",
            "",
            *markdown_table(
                ["reviewer", "role", "days", "answers", "adjudications", "graphic",
                 "high severity", "most in a day"],
                (
                    [r, v["role"], v["days"], v["answers"], v["adjudications"], v["graphic"],
                     v["high_severity"], v["max_answers_per_day"]]
                    for r, v in n["exposure"].items()
                ),
            ),
            HIGH_OWN_LINE,
            "",
        ]  # fmt: skip
    lt = n["lead_time"]
    lines += ["## Lead time", ""]
    adj = lt.get("adjudication") or {}
    if adj.get("answers"):
        took = f"{adj['seconds']} s" if adj.get("seconds") is not None else "no recorded time"
        lines += [
            f"The reviewers' answers only; the lead's {adj['answers']} adjudication answer(s) "
            f"({adj.get('timed', 0)} timed) took {took} in all.",
            "",
        ]
    if lt["n"]:
        lines += markdown_table(
            [
                "annotations timed",
                "without a time",
                "min (s)",
                "median (s)",
                "p90 (s)",
                "max (s)",
                "total (h)",
            ],
            [
                [
                    lt["n"],
                    lt["missing"],
                    lt["min"],
                    lt["median"],
                    lt["p90"],
                    lt["max"],
                    lt["total_hours"],
                ]
            ],
        )
    else:
        lines += [f"No annotation carries a lead time ({lt['missing']} without one).", ""]
    lines += _img("lead_time.png", "lead time distribution")
    lines += provenance.ingest_run_lines(n.get("ingest_runs"))
    s = n["splits"]
    leak = s["leakage"]
    lines += [
        "## Splits and leakage",
        "",
        *markdown_table(["split", "passages"], s["sizes"].items()),
        *markdown_table(
            ["category", *s["labels"]],
            (
                [cat, *(s["labels"][sp][cat] for sp in s["labels"])]
                for cat in next(iter(s["labels"].values()), {})
            ),
        ),
        *_img("splits.png", "resolved categories per split"),
        "Leakage checks:",
        "",
        *markdown_table(
            ["check", "found"],
            [
                ["documents in more than one split", len(leak["documents_in_several_splits"])],
                [
                    "identical texts (case/space folded) in more than one split",
                    leak["texts_in_several_splits"],
                ],
                ["passage ids that occur twice", len(leak["duplicate_ids"])],
            ],
        ),
    ]
    v = n["versions"]
    lines += [
        "## Versions",
        "",
        *markdown_table(
            ["what", "value"],
            [
                ["taxonomy (manifest)", f"{tax.get('name')} {tax.get('version')}"],
                *(
                    ["taxonomy in rows", f"{k}: {c_} rows"]
                    for k, c_ in v["taxonomy_versions_in_rows"].items()
                ),
                *(
                    ["model in rows", f"{k}: {c_} rows"]
                    for k, c_ in v["model_versions_in_rows"].items()
                ),
                *(
                    [f"encoder of {k}", stats.encoder_line(e)]
                    for k, encoders in (v.get("model_encoders") or {}).items()
                    for e in encoders
                    if isinstance(e, dict)
                ),
                *([f"tool: {k}", val] for k, val in v["tools"].items()),
            ],
        ),
    ]
    if n["redaction"]:
        lines += [
            "## Redaction",
            "",
            *_redaction_lines(n["redaction"]),
            "",
            "```json",
            json.dumps(n["redaction"], indent=1, ensure_ascii=False),
            "```",
            "",
        ]
    if n["decision_records"]:
        dr = n["decision_records"]
        lines += [
            "## Decision records",
            "",
            f"`{dr.get('file')}`: {dr.get('rows')} records ({dr.get('schema', '')}).",
            "",
        ]
    lines += [
        "## Checksums (manifest.json)",
        "",
        f"Content SHA-256 (the rows without their export time, the same for every export "
        f"of this review state; `annotate verify --same-as` compares two exports): "
        f"`{n['checksums'].get('content_sha256')}`.",
        "",
        *markdown_table(
            ["file", "bytes", "sha256"],
            (
                [f"`{f}`", meta.get("bytes"), f"`{meta.get('sha256')}`"]
                for f, meta in n["checksums"]["files"].items()
            ),
        ),
    ]
    return "\n".join(lines).rstrip() + "\n"


def to_html(markdown_text: str, title: str) -> str:
    """The Markdown rendered as a standalone page (tables extension, inline CSS)."""
    import html

    import markdown

    body = markdown.markdown(markdown_text, extensions=["tables", "fenced_code"])
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )


# report.json: what drew the figures (pixels depend on the matplotlib version; its rc
# settings are not the user's: plots draws under matplotlib's default style)
FIGURES_KEY = "figures_drawn_with"


def installed_matplotlib() -> str:
    import matplotlib

    return str(matplotlib.__version__)


def _figures(n: dict[str, Any], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    c = n["counts"]
    out = [
        plots.bar(c["by_category"], folder / "categories.png", title="Resolved category"),
        plots.bar(c["by_severity"], folder / "severity.png", title="Resolved severity"),
    ]
    for version, mv in n["model_vs_human"].items():
        out.append(
            plots.confusion(
                mv["categories"],
                folder / f"confusion-{slug(version)}.png",
                title=f"Model {version} vs reviewers",
            )
        )
    out.append(plots.workload(n["workload"], folder / "workload.png"))
    out.append(
        plots.histogram(
            n["lead_time"].get("values", []),
            folder / "lead_time.png",
            title="Lead time per annotation",
            xlabel="seconds",
        )
    )
    out.append(plots.split_labels(n["splits"]["labels"], folder / "splits.png"))
    return out


def _recorded_digest_lines(checksums: dict[str, Any]) -> list[str]:
    """Whether ``manifest.json`` is the one recorded at export (``--manifest-sha256``):
    without it, a manifest rewritten with its checksums and digest passes the checks."""
    recorded = checksums.get("manifest_sha256_recorded")
    now = checksums.get("manifest_sha256")
    if not recorded:
        return [
            f"manifest.json SHA-256 `{now}`: not checked against the one recorded at export "
            "(`annotate report --manifest-sha256 HEX` checks it).",
            "",
        ]
    if recorded == now:
        return [f"manifest.json SHA-256 `{now}` is the one recorded at export.", ""]
    return [
        f"manifest.json SHA-256 `{now}` does NOT match the one given as recorded at export "
        f"(`{recorded}`): either the manifest was replaced since export, or the SHA-256 "
        "given is another export's or mistyped (compare it with the one `annotate export` "
        "printed).",
        "",
    ]


def _outside_the_corpus(corpus: Path, out: Path) -> None:
    """InputError when ``out`` lies inside ``corpus`` but is not its ``report/``: its files
    would be files the manifest does not list, so the corpus would fail `annotate verify`
    (and a later export over it would refuse)."""
    root, target = corpus.resolve(), out.resolve()
    if target == root or root not in target.parents:
        return
    if target.relative_to(root).parts[0] in DERIVED_DIRS:
        return
    raise InputError(
        f"--out {out} is inside the corpus {corpus}: the report's files there are not in its "
        "manifest, so the corpus would fail `annotate verify`.",
        fix=f"pass a folder outside the corpus, or leave --out out (default {corpus / 'report'}).",
    )


# what the user may have meant as the report's file itself: the report is a folder
FILE_SUFFIXES = (".md", ".html", ".htm", ".json", ".pdf", ".txt")


def _a_folder(out: Path) -> None:
    """InputError when ``out`` does not exist yet and is named like a file (``rep.md``):
    the report is a folder (report.md, report.html, report.json, figures/), and
    ``--out rep.md`` made a folder ``rep.md`` holding ``rep.md/report.md``."""
    if out.exists() or out.suffix.lower() not in FILE_SUFFIXES:
        return
    raise InputError(
        f"--out {out} is named like a file; the report is a folder (report.md, report.html, "
        "report.json and figures/ are written into it).",
        fix=f"pass a folder name, e.g. --out {out.with_suffix('')}, or leave --out out "
        "(default: the corpus's report/).",
    )


def write_report(
    corpus: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    location: str | os.PathLike[str] | None = None,
    progress: ProgressFn | None = None,
    manifest_sha256: str | None = None,
    keep_from: str | os.PathLike[str] | None = None,
    overwrite: bool = False,
    aside: str | None = None,
    aside_why: str = "",
    matplotlib_version: str | None = None,
) -> ReportResult:
    """Compute the report of the corpus at ``corpus`` and write it into ``out`` (replaced;
    the files of the previous folder the report did not write are kept: see
    :mod:`annotate.audit.report_files`).
    ``progress`` is called once per step done (:data:`REPORT_STEPS`: read, compute,
    figures, write).

    ``location``: the corpus folder the report records by its name (``corpus`` in
    report.json), when ``corpus`` is not where it will stay (export writes the report in
    its partial folder, renamed into place afterwards); default: ``corpus``.
    ``manifest_sha256``: the SHA-256 of ``manifest.json`` recorded at export; the report
    records whether the manifest is still that one.
    ``keep_from``: the previous report folder whose other files are kept (default:
    ``out``; export writes into a new folder and passes the previous ``report/``).
    ``overwrite``: replace files named as the report's in an ``out`` that holds no
    report (:func:`annotate.audit.report_files.refuse_unowned`).
    ``aside``, ``aside_why``: the sub-folder the kept files go into, and the note put
    there (export replacing a previous export: they were written against that one;
    :func:`annotate.audit.report_files.carry_foreign`).
    ``matplotlib_version``: the matplotlib version report.json records as the figures'
    (``figures_drawn_with``); default: the installed one. `annotate verify` passes the
    shipped report's, to compare report.json with it byte for byte.

    Raises:
        VerifyError: ``corpus`` is not an export (no manifest) or holds invalid JSON.
        InputError: ``out`` holds other files (it is replaced whole), or files named as
            a report's but no report, without ``overwrite``; a new ``out`` named like a
            file (``rep.md``).
    """
    out = Path(out)
    # not a corpus: say so, before --out (default inside it)
    read_manifest(Path(corpus), command="report")
    _outside_the_corpus(Path(corpus), out)
    _a_folder(out)
    require_replaceable(out.resolve(), ("report.json", "report.md"), "a report folder", "report/")
    if not overwrite and keep_from is None:
        refuse_unowned(out)
    loaded = load_corpus(Path(corpus))
    advance(progress, 1)
    numbers = compute(
        loaded, location=Path(location or corpus).resolve(), manifest_sha256=manifest_sha256
    )
    advance(progress, 1)
    with atomic_output(out) as tmp:
        tmp.mkdir()
        figures = _figures(numbers, tmp / "figures")
        advance(progress, 1)
        text = to_markdown(numbers)
        title = f"Review report: {(numbers['project'] or {}).get('title', '')}"
        (tmp / "report.md").write_text(text, encoding="utf-8")
        (tmp / "report.html").write_text(to_html(text, title), encoding="utf-8")
        # what was written, so a later run tells a hand-edited report.md from its own
        numbers[FIGURES_KEY] = {
            "matplotlib": matplotlib_version or installed_matplotlib(),
            "style": "matplotlib default",
        }
        numbers[WRITTEN_KEY] = record_written(tmp)
        (tmp / "report.json").write_text(
            json.dumps(numbers, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        kept = carry_foreign(
            Path(keep_from) if keep_from is not None else out, tmp, aside=aside, why=aside_why
        )
    advance(progress, 1)
    log.info("wrote the report of %s to %s (%d figures)", corpus, out, len(figures))
    return ReportResult(
        out=out,
        markdown=out / "report.md",
        html=out / "report.html",
        figures=[out / "figures" / f.name for f in figures],
        numbers=numbers,
        kept=kept,
    )


def _not_detected_line(redaction: dict[str, Any]) -> str:
    """What redaction left as written, as the manifest's ``not_detected`` names it (an
    export made before 2026-12-06 names none: no detector of that time found them either,
    so this version's list, :data:`annotate.audit.redact.NOT_DETECTED`)."""
    from annotate.audit.redact import NOT_DETECTED

    listed = redaction.get("not_detected")
    missed = [str(x) for x in listed] if isinstance(listed, list) else list(NOT_DETECTED)
    return (
        "**Not masked** (no detector finds them, so they stay as written): "
        + "; ".join(missed)
        + ". A redacted export is pseudonymised, not anonymous."
    )


def _gold_personal_data(held: dict[str, Any]) -> str:
    """The report's sentence on personal data in gold.jsonl ("" when the manifest says
    nothing of it): what ``--redact`` masked there, or, without it, the gold passages
    holding what it would mask (``gold_file.rows_with_personal_data``: counts only)."""
    masked = held.get("masked_at_export")
    if isinstance(masked, dict):
        return (
            f" `--redact` put placeholders into {masked.get('rows_with_a_placeholder', 0)} of them."
        )
    personal = held.get("rows_with_personal_data")
    if not isinstance(personal, dict):
        return ""
    if not personal.get("rows"):
        return " None of them holds personal data that `--redact` would mask."
    parts = [
        f"{name.replace('_', ' ')}: "
        + ", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in kinds.items() if n)
        for name, kinds in (personal.get("fields") or {}).items()
        if any(kinds.values())
    ]
    return (
        f" **{personal['rows']} of them hold personal data that `--redact` would mask** "
        f"(gold passages per field and kind, found by its detectors: {'; '.join(parts)}; "
        "their ids are in manifest.json `gold_file.rows_with_personal_data`)."
    )


def _redaction_lines(redaction: dict[str, Any]) -> list[str]:
    """One sentence each on the redaction at export and at ingest (``at_ingest``, absent
    from manifests before 2026-12); without it, what it would have masked
    (``rows_with_personal_data``, since stop 51; before, the rows with e-mail addresses)."""
    from annotate.audit.redact import NOT_DETECTED

    at_export = "ran" if redaction.get("ran") else "did not run"
    out = [f"Redaction at export (`annotate export --redact`) {at_export}."]
    masked = redaction.get("masked_at_export")
    if redaction.get("ran") and isinstance(masked, dict):
        parts = [
            f"{name.replace('_', ' ')}: "
            + ", ".join(f"{kind} {n}" for kind, n in kinds.items() if n)
            for name, kinds in (masked.get("placeholders") or {}).items()
            if any(kinds.values())
        ]
        out.append(
            f"It put placeholders into {masked.get('rows_with_a_placeholder', 0)} row(s) "
            f"({'; '.join(parts) or 'none'}; comments are the reviewers', lead comment the "
            "lead's adjudication comment, meta the document's other columns kept by ingest"
            + (
                ", doc id what the document ids held (rows counted; each such id became a "
                "`pd_…` pseudonym, no placeholder)"
                if any(((masked.get("placeholders") or {}).get("doc_id") or {}).values())
                else ""
            )
            + "; the kinds masked are listed below)."
        )
        pseudonymised = masked.get("pseudonymised_ids")
        ids = masked.get("ids_of_unmasked_text")  # exports of 2026-12-03, before pseudonyms
        if isinstance(pseudonymised, dict) and pseudonymised.get("key_fingerprint"):
            other = pseudonymised.get("other_ids") or 0
            docs = pseudonymised.get("documents") or 0
            out.append(
                f"The passage ids of the {pseudonymised.get('rows', 0)} row(s) whose text it "
                + ("masked or whose document id holds personal data " if docs else "masked ")
                + "were pseudonymised (`pp_…`, keyed by a secret the exporter keeps"
                + (
                    f"; {other} other id(s) of such text (gold, re-posts, groups) too"
                    if other
                    else ""
                )
                + (f"; {docs} document id(s) holding personal data as `pd_…`" if docs else "")
                + f"; key fingerprint `{pseudonymised.get('key_fingerprint')}`): an ingest id "
                "is a hash of the unmasked text and would confirm a guessed value. The other "
                "rows keep their ingest id."
            )
        elif isinstance(ids, dict) and ids.get("rows"):
            out.append(
                f"**{ids['rows']} of them keep a passage id made from their unmasked text**: "
                f"{ids.get('why')}."
            )
    elif redaction.get("ran"):
        out.append("The manifest does not count what it masked (an export made before 2026-12-03).")
    at_ingest = redaction.get("at_ingest")
    if redaction.get("ran") or (isinstance(at_ingest, dict) and at_ingest.get("ran")):
        out.append(_not_detected_line(redaction))
    elif isinstance(redaction.get("rows_with_personal_data"), dict):
        personal = redaction["rows_with_personal_data"]
        parts = [
            f"{name.replace('_', ' ')}: "
            + ", ".join(f"{kind.replace('_', ' ')} {n}" for kind, n in kinds.items() if n)
            for name, kinds in (personal.get("fields") or {}).items()
            if any(kinds.values())
        ]
        out.append(
            f"**{personal['rows']} row(s) hold personal data that `--redact` would mask** "
            f"(rows per field and kind, found by its detectors: {'; '.join(parts)}; comments "
            "are the reviewers' and the lead's; their passage ids are in manifest.json "
            "`redaction.rows_with_personal_data`)."
            if personal.get("rows")
            else "No row holds personal data that `--redact` would mask (found by its "
            "detectors in the rows' text, title, source, meta, document id, input file and "
            "comments)."
        )
        missed = redaction.get("not_detected")
        out.append(
            "**Not counted** (no detector finds them, so `--redact` would leave them too): "
            + "; ".join(str(x) for x in (missed if isinstance(missed, list) else NOT_DETECTED))
            + "."
        )
    elif isinstance(redaction.get("rows_with_email_addresses"), dict):
        found = redaction["rows_with_email_addresses"]
        out.append(
            "Rows holding a written e-mail address, per field: "
            + ", ".join(f"{k} {v}" for k, v in found.items())
            + "."
        )
    ingest = redaction.get("at_ingest")
    if not isinstance(ingest, dict):
        out.append("The manifest does not say whether the text was masked at ingest.")
    elif not ingest.get("ran"):
        out.append("No exported row was masked at ingest (`annotate ingest --redact`).")
    else:
        from annotate.audit.redact import ingest_masking_said

        kinds = sorted({k for s in ingest.get("settings") or [] for k in s.get("kinds") or []})
        out.append(
            f"{ingest_masking_said(ingest)} (`annotate ingest --redact`; kinds "
            f"{', '.join(kinds)}); {ingest.get('rows_not_redacted_at_ingest')} row(s) did "
            "not (ingested without --redact)."
        )
    return out


LS_COUNTS = (
    "tasks_annotated_in_label_studio",
    "passages_annotated_in_label_studio",
    "adjudication_answers",
    "gold_annotations",
    "tasks_unanswered_in_label_studio",
    "passages_unanswered_in_label_studio",
    "tasks_unanswered_of_exported_passages",
    "tasks_unanswered_gold",
)


def _ls_counts_lines(counts: dict[str, Any], held: Any = None) -> list[str]:
    """The manifest's Label Studio counts as one sentence (none for older exports), with
    what was still open: open tasks, and the passages in no task (``held``: the manifest's
    ``passages_held_back``; :func:`_held_back_lines`)."""
    if counts.get("passages_annotated_in_label_studio") is None:
        return []
    return [
        f"In Label Studio: {counts['tasks_annotated_in_label_studio']} tasks with an answer "
        f"({counts['passages_annotated_in_label_studio']} passages; each reviewer's copy, "
        "gold copies and the lead's adjudication tasks count apart), "
        f"{counts.get('adjudication_answers')} adjudication answer(s) by the lead, "
        f"{counts.get('gold_annotations')} answer(s) on gold tasks.",
        *_open_tasks_lines(counts),
        *_held_back_lines(held),
    ]


def _held_back_lines(held: Any) -> list[str]:
    """The graphic passages pushes held back from every queue (``push
    --max-graphic-per-reviewer``; the manifest's ``passages_held_back``, see
    :mod:`annotate.corpus.export_held_back`): in no task, so no open-task count includes
    them, and not in the corpus. No line when it records none, or nothing (older
    exports)."""
    if not isinstance(held, dict) or not held.get("passages"):
        return []
    pushes = [p for p in held.get("pushes") or [] if isinstance(p, dict)]
    by = "; ".join(
        f"the push of {escape_markdown(str(p.get('prelabels')))} with a cap of "
        f"{p.get('max_graphic_per_reviewer')}: {p.get('passages')}"
        for p in pushes
    )
    return [
        f"**Passages in no task:** {int(held['passages']):,} graphic passage(s) were held back "
        "from every reviewer queue by push --max-graphic-per-reviewer"
        + (f" ({by})" if by else "")
        + ": no reviewer has them, no count above includes them, and they are not in this "
        "corpus (the record of the pushes made on the machine that exported). The same "
        "pre-labels pushed again with a cap above 0, or once queues have room, queues them "
        "(`annotate review status` names the push); export again once they are answered "
        "before training or auditing on this corpus."
    ]


def _deleted_queues_lines(deleted: Any) -> list[str]:
    """The reviewer queues of the review set that a push from the exporting machine made
    and that were gone from the server (the manifest's ``reviewer_queues_deleted``, each
    ``project_id`` and ``reviewer`` pseudonym): their answers are in no count above and not
    in the corpus. No line when it records none, or nothing (older exports)."""
    if not isinstance(deleted, list) or not deleted:
        return []
    named = ", ".join(
        f"{escape_markdown(str(q.get('reviewer')))}'s queue (id {q.get('project_id')})"
        if q.get("reviewer")
        else f"reviewer project {q.get('project_id')}"
        for q in deleted
        if isinstance(q, dict)
    )
    return [
        f"**Reviewer queues deleted:** {len(deleted)} queue(s) of this review set that a "
        f"push made were no longer on the server when it was exported ({named}): their "
        "tasks and answers went with them, so no count above includes them and their "
        "passages have fewer reviewers here (the record of the pushes made on the machine "
        "that exported)."
    ]


def _open_tasks_lines(counts: dict[str, Any]) -> list[str]:
    """What was still open in Label Studio when the export read it (the export's warning,
    for the auditor who reads the report, not the terminal): none for older exports."""
    open_tasks = counts.get("tasks_unanswered_in_label_studio")
    if open_tasks is None:
        return []
    if not open_tasks:
        return [
            "No task was open when the export read Label Studio (each had an answer or a skip)."
        ]
    parts = []
    missing = counts.get("passages_unanswered_in_label_studio")
    if missing is not None:
        parts.append(f"{int(missing):,} passage(s) nobody had answered yet, not in this corpus")
    if held := counts.get("tasks_unanswered_of_exported_passages"):
        parts.append(
            f"{int(held):,} open task(s) of passages in this corpus, resolved by fewer answers "
            "than asked for"
        )
    if gold := counts.get("tasks_unanswered_gold"):
        parts.append(f"{int(gold):,} open gold task(s) (gold is never in the corpus)")
    detail = f": {'; '.join(parts)}" if parts else ""
    return [
        f"**The review was still under way:** {int(open_tasks):,} task(s) had neither an answer "
        f"nor a skip when the export read Label Studio{detail}. Export again once they are "
        "answered before training or auditing on this corpus."
    ]
