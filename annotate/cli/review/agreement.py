"""`annotate agreement` and `annotate adjudicate`: reviewers' agreement, and the lead's
adjudication of their disagreements."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from annotate.cli.app import (
    AcceptChangedAnswersOpt,
    Bars,
    GoldMinAccuracyOpt,
    GoldSeverityOpt,
    LabelsOpt,
    QuietOpt,
    app,
    echo,
    note,
)
from annotate.cli.review.emails import lead_names
from annotate.cli.review.gold_notes import gold_also_regular_warning
from annotate.cli.review.groups import ProjectOpt
from annotate.review.named import with_email

if TYPE_CHECKING:
    from annotate.review.adjudication import AdjudicationResult


@app.command("agreement")
def agreement_cli(
    project: ProjectOpt,
    labels: LabelsOpt = None,
    gold_min_accuracy: GoldMinAccuracyOpt = None,
    gold_severity: GoldSeverityOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Print inter-reviewer agreement (Krippendorff's alpha, Cohen's kappa, consensus)."""
    from annotate.cli.export import exposure_warning
    from annotate.corpus.salt import reading_salt, unstored_salt_note
    from annotate.review.agreement import summary_lines
    from annotate.review.blindness import after_exposure
    from annotate.review.collect import collect
    from annotate.review.gold import unmeasured_gold_note
    from annotate.review.report import check_gold_severity, check_min_accuracy, review_reports
    from annotate.studio.client import connect
    from annotate.taxonomy import load_taxonomy

    check_min_accuracy(gold_min_accuracy)
    check_gold_severity(gold_severity, gold_min_accuracy)
    tax = load_taxonomy(labels)
    client = connect()
    # a reporting command makes no salt (as `review status`): one for the answers and
    # the e-mails beside them
    salt = reading_salt()
    with Bars(quiet) as bars:
        collected = collect(client, project, tax, salt=salt, progress=bars)
        # answers made or changed after the adjudication project showed their passage, as
        # export records them: left out of the figures (not blind)
        seen = (
            after_exposure(collected.rows, collected.adjudication_shown)
            if collected.review_set
            else None
        )
        report = review_reports(
            collected.rows,
            collected.gold_rows,
            tax,
            min_accuracy=gold_min_accuracy,
            gold_severity=gold_severity,
            progress=bars("agreement", unit="resample"),
            late_answers=seen,
            # categories an older labeling config lacked: out of their figures, as export
            # (read by collect, which resolved the rows without their forced no's)
            not_offered=collected.not_offered,
        )["agreement.json"]
    gold_also_regular_warning(len(collected.gold_also_regular), project)
    if warned := exposure_warning(
        seen,
        "they were not blind, so the agreement figures leave them out (the export states "
        "the review blind only until then)",
    ):
        echo(warned)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    # the lead at this terminal: who each pseudonym is, as `review status` shows them
    named = sorted(
        {
            *report.get("reviewer_vs_consensus", {}),
            *report["gold"]["reviewers"],
            *(report["gold"].get("reviewers_without_gold") or []),
        }
    )
    named += sorted({r for pair in report.get("pairwise_kappa", []) for r in pair["reviewers"]})
    emails = lead_names(list(dict.fromkeys(named)), client, salt) if named else {}
    review_set = project if collected.review_set else None
    k = collected.reviewers_per_task
    for line in summary_lines(report, review_set=review_set, emails=emails, reviewers_per_task=k):
        typer.echo(line)
    for name, g in report["gold"]["reviewers"].items():
        typer.echo(f"  gold: {with_email(name, emails)} {gold_scores(g)}")
    if named and (unstored := unstored_salt_note()) is not None:
        note(unstored, quiet)
    if gold_min_accuracy is not None and report["gold"]["reviewers"]:
        # what the flag checks (passI53 I6: a reviewer who under-rates severity on gold
        # was never flagged, and nothing said so)
        typer.echo(
            f"  gold: FLAGGED = exact categories right on fewer than {gold_min_accuracy:g} of "
            "their gold passages (--gold-min-accuracy, as export checks it); "
            + (
                "--gold-severity: or the gold severity on fewer than that share of those with one"
                if gold_severity
                else "severity accuracy is shown, not checked (--gold-severity checks it too)"
            )
        )
    if unmeasured := unmeasured_gold_note(gold_min_accuracy, report["gold"], emails):
        echo(f"warning: {unmeasured}")
    from collections import Counter

    from annotate.cli.export import answer_version_warnings

    made_under = Counter(a["taxonomy_version"] for r in collected.rows for a in r["annotations"])
    for line in answer_version_warnings(
        dict(made_under),
        tax.version,
        where="each answer's labels.yaml version, as export records it",
    ):
        echo(line)


@app.command("adjudicate")
def adjudicate_cli(
    project: ProjectOpt,
    labels: LabelsOpt = None,
    quiet: QuietOpt = False,
    mid_round: Annotated[
        bool,
        typer.Option(
            "--mid-round",
            help="Adjudicate a review set while reviewer queues still have open tasks "
            "(every member can open the adjudication project and read the answers; the "
            "export records answers made or changed after).",
        ),
    ] = False,
    accept_changed_answers: AcceptChangedAnswersOpt = False,
) -> None:
    """Create/update `PROJECT · adjudication` with the passages reviewers disagree on."""
    from annotate.corpus.salt import keep_salt, reading_salt
    from annotate.review.adjudication import adjudicate
    from annotate.studio.client import connect
    from annotate.taxonomy import load_taxonomy

    salt = reading_salt()  # stored only once adjudicate is about to write (no refused run)
    with Bars(quiet) as bars:
        result = adjudicate(
            connect(),
            project,
            load_taxonomy(labels),
            salt=salt,
            progress=bars,
            mid_round=mid_round,
            accept_changed_answers=accept_changed_answers,
            before_write=lambda: keep_salt(salt),
        )
    if result.project_url is None and result.reviewers_per_task == 1 and not result.compared:
        # lead59 #6: "no disputed passage among the 0 answered by two reviewers" and "may
        # be disputed yet" of a set where no passage ever gets a second answer
        echo(
            f"{project!r}: nothing to adjudicate: the review set gives each passage to 1 "
            "reviewer (pushed with --reviewers-per-task 1, the default: `push --gold` "
            "without -k), so no passage gets two answers to dispute; "
            f"{result.project!r} was not created. For a second opinion on each passage, "
            "push the next batch with --reviewers-per-task 2 into a new review set "
            "(--project NEW: a set keeps its K)."
        )
        return
    if result.project_url is None:
        echo(
            f"{project!r}: no disputed passage among the {result.compared} answered by two "
            f"reviewers or more; {result.project!r} was not created."
        )
        if result.open_in_queues:
            echo(
                f"warning: the round is still open: {result.open_in_queues} task(s) in the "
                "reviewer queues have neither an answer nor a skip, so passages may be "
                "disputed yet; run `annotate adjudicate` again once the reviewers are done "
                f"(`annotate review status --project {project!r}` shows what is open)"
            )
        if result.open_in_shared:
            echo(
                f"warning: the round is still open: {result.open_in_shared} task(s) in "
                f"{project!r} (projects its reviewers share) have neither an answer nor a "
                "skip, so passages may be disputed yet; run `annotate adjudicate` again once "
                f"the reviewers are done (`annotate review status --project {project!r}` "
                "shows what is open)"
            )
        return
    if result.open_in_queues:
        echo(
            f"warning: {result.open_in_queues} task(s) in the reviewer queues are still open "
            "(--mid-round): every member can open the adjudication project and read the "
            "disputed passages' answers; the export records answers made or changed after "
            "and states the review blind only until then"
        )
    echo(adjudication_summary(result))
    if result.open_in_shared:  # not refused (not blind anyway), but the round goes on
        note(
            f"note: {result.open_in_shared} task(s) in {project!r} (projects its reviewers "
            "share) are still open, with neither an answer nor a skip: answers still to "
            "come may dispute more passages, so the adjudication may grow; run `annotate "
            "adjudicate` again once the reviewers are done (it adds the new disputes; "
            f"`annotate review status --project {project!r}` shows what is open)",
            quiet,
        )
    if ordered := adjudication_order_note(result):
        note(ordered, quiet)
    moot = [p for p in result.settled if p not in result.settled_answered]
    if moot:
        now = len(set(result.retired) & set(moot))
        echo(
            f"{len(moot)} task(s) no longer disputed (a reviewer changed an answer, or one was "
            f"deleted in Label Studio; e.g. "
            f"{moot[0]}) are out of the lead's queue ({now} taken out by this run): Label "
            "Studio serves them to nobody, the Queue tab lists them last, marked "
            "no_longer_disputed; nothing is deleted (a lead's draft or skip there stays); "
            "the reviewers' vote decides them, and a passage disputed again comes back"
        )
    if late := result.agreed_only_after_shown:
        echo(
            changed_answers_said(
                late, result.accept_changed_answers, set(result.decided_by_lead) & set(late)
            )
        )
    if waiting := lead_ignored_said(result):
        echo(waiting)
    if result.reopened:
        echo(
            f"{len(result.reopened)} task(s) disputed again (e.g. {result.reopened[0]}) are "
            "back in the lead's queue"
        )
    if result.settled_answered:
        note(
            f"note: {len(result.settled_answered)} task(s) a lead answered are no longer "
            f"disputed (e.g. {result.settled_answered[0]}): they stay, and the lead's answer "
            "still decides the passage (export: review.adjudicated_no_longer_disputed)",
            quiet,
        )


def gold_scores(g: dict[str, Any]) -> str:
    """One reviewer's gold figures (agreement.json's ``gold.reviewers`` entry) for the
    `agreement` line: ``1.000 exact, severity 0.667 (n=3)``; the severity's own count
    where only some gold passages had a gold severity, ``severity n/a`` where none had;
    ``  FLAGGED`` under ``--gold-min-accuracy``."""
    n, sev_n = g["n_items"], g.get("severity_n_items") or 0
    exact = "n/a exact" if g["exact"] is None else f"{g['exact']:.3f} exact"
    if g.get("severity") is None or not sev_n:
        said = f"{exact} (n={n}), severity n/a (no gold severity)"
    elif sev_n == n:
        said = f"{exact}, severity {g['severity']:.3f} (n={n})"
    else:
        said = f"{exact} (n={n}), severity {g['severity']:.3f} (n={sev_n} with a gold severity)"
    return said + ("  FLAGGED" if g["flagged"] else "")


def adjudication_order_note(result: AdjudicationResult) -> str | None:
    """The note for disputes added behind the lead's open tasks of earlier runs, as push
    gives one for reviewer queues (passI53 I11): Label Studio's "Label All Tasks" serves
    by task id (import order), so a critical dispute added today comes after yesterday's
    open ones, whatever its priority; the Queue tab's "Label Tasks As Displayed" serves
    them by dispute priority. None when nothing was added, or nothing waited (tasks the
    lead answered or skipped do not hold the new ones back)."""
    if not result.added or not result.open_before:
        return None
    n, held = result.added, result.open_before
    return (
        f"note: {n} disputed passage{'' if n == 1 else 's'} added behind {held} open "
        f"task{'' if held == 1 else 's'} of earlier runs in {result.project!r} (neither "
        'answered nor skipped): Label Studio\'s "Label All Tasks" serves the new ones '
        "after those (import order, not priority); a lead who should take the riskiest "
        'first uses "Label Tasks As Displayed" on the project\'s Queue tab (sorted by '
        "dispute priority)."
    )


def adjudication_summary(result: AdjudicationResult) -> str:
    """The first line `annotate adjudicate` prints: the disputed passages (added, already
    there, and of those brought up to date), then the tasks of passages no longer disputed
    brought up to date, which are none of the disputed ones."""
    there = result.updated - result.updated_settled
    line = (
        f"{result.project!r}: {result.disputed} disputed passage(s), {result.added} added, "
        f"{result.already} already there ({there} updated)"
    )
    if result.updated_settled:
        line += (
            f"; {result.updated_settled} task(s) no longer disputed brought up to date "
            "(answers panel, reviewers' answers)"
        )
    return f"{line} -> {result.project_url}"


def changed_answers_said(late: list[str], accepted: bool, decided: set[str] | None = None) -> str:
    """What `annotate adjudicate` says of the passages whose dispute ended only through an
    answer made or changed after the adjudication project showed them (``late``), of
    which the lead's answer already decides ``decided`` (break49 B6: they were said to
    stay in the queue "so the lead can confirm it", as if undecided)."""
    decided = decided or set()
    open_ = [p for p in late if p not in decided]
    what = (
        f"{len(late)} passage(s) (e.g. {(open_ or late)[0]}) are no longer disputed only "
        "through an answer made or changed after this project showed their answers (not "
        "blind: it could copy another reviewer's)"
    )
    done = (
        f"{len(decided)} of them already decided by the lead (the lead's answer decides, as "
        "export reads it)"
        if decided
        else ""
    )
    if accepted:
        if not open_:
            return f"{what}: {done}"
        rest = f"{len(open_)} of them" if decided else "them"
        return f"{what}; --accept-changed-answers: the reviewers' vote decides {rest}" + (
            f"; {done}" if done else ""
        )
    if not open_:
        return f"{what}: {done}; they stay in the project, counted as disputed"
    who = f"{len(open_)} not yet decided" if decided else "they"
    return (
        f"{what}: {who} stay in the lead's queue, counted as disputed; each one's answers "
        "panel says who changed what, from what, so the lead can confirm it or decide "
        "otherwise (--accept-changed-answers lets that vote decide them)"
        + (f"; {done}" if done else "")
    )


def lead_ignored_said(result: AdjudicationResult) -> str | None:
    """The warning of `annotate adjudicate` on passages still disputed whose lead's answer
    decides nothing as export reads it (:func:`annotate.review.collect.lead_ignored`): the
    export keeps them waiting; None when there are none."""
    from annotate.review.collect import LEAD_NONE_WITH_OTHER, LEAD_WITHOUT_CATEGORY

    disputed = set(result.passages)
    why = {
        LEAD_NONE_WITH_OTHER: "choose 'none' together with another category",
        LEAD_WITHOUT_CATEGORY: "give no category where the reviewers' vote did not decide one",
    }
    parts, found = [], []
    for reason, said in why.items():
        mine = [p for p in result.lead_answers_ignored.get(reason, []) if p in disputed]
        if mine:
            parts.append(f"{len(mine)} {said}")
            found += mine
    if not found:
        return None
    return (
        f"warning: {len(found)} disputed passage(s) the lead answered (e.g. {sorted(found)[0]}) "
        f"are not decided by that answer: {'; '.join(parts)}. Export keeps them waiting for "
        "the lead (manifest review.lead_answers_none_with_other, "
        "lead_answers_without_category). Fix: the lead opens each in the Data Manager, "
        "chooses the categories and updates the answer"
    )
