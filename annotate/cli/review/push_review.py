"""The K-reviewer branch of `annotate push` (``--reviewers-per-task``): what it prints
of the push :func:`annotate.review.fanout.push_review` makes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from annotate.cli.app import Bars, counted, echo, note
from annotate.cli.review.gold_notes import gold_tells_warning
from annotate.cli.review.held_back_lines import held_graphic_note
from annotate.cli.review.hiding_lines import hiding_lines

if TYPE_CHECKING:
    from annotate.review.fanout import ReviewerShare


def push_review_cli(
    prelabels: Path,
    project: str,
    k: int,
    reviewer: list[str] | None,
    gold: Path | None,
    gold_rate: float,
    labels: Path | None,
    *,
    keep_reposts: bool = False,
    max_graphic: int | None = None,
    new_set: bool = False,
    quiet: bool = False,
    recreate_deleted: bool = False,
) -> None:
    from annotate.cli.push import (
        late_copies_note,
        other_licence_warning,
        other_source_warning,
        other_text_warning,
        other_versions_warning,
        renamed_documents_warning,
        repeated_left_warning,
        reposts_note,
        unknown_neighbours_warning,
    )
    from annotate.review.fanout import push_review

    with Bars(quiet) as bars:  # as a plain push: every queue's tasks, regular and gold
        result = push_review(
            prelabels,
            project,
            k,
            reviewers=reviewer,
            gold=gold,
            gold_rate=gold_rate,
            labels=labels,
            keep_reposts=keep_reposts,
            max_graphic=max_graphic,
            new_set=new_set,
            recreate_deleted=recreate_deleted,
            progress=bars("push", unit="task"),
            reading=bars("read", unit="task"),  # the queues' tasks: a re-run reads them all
        )
    # a re-post is in the file's count but in no queue: the queues' lines sum to the rest
    left_out = f" ({result.reposts} re-posted, left out: see below)" if result.reposts else ""
    echo(
        f"{counted(result.total, 'passage')}{left_out}, {result.k} reviewer(s) each, in "
        f"{counted(len(result.reviewers), 'reviewer project')} (model {result.model_version}):"
    )
    for share in result.reviewers:
        echo(share_line(share))
    if result.k == 1:  # a review set only for its gold (lead59 #6)
        note(
            "note: 1 reviewer per passage (--gold without --reviewers-per-task): gold "
            "checks each reviewer, but no passage gets a second answer, so `annotate "
            "agreement` and `annotate adjudicate` have nothing to compare; for that, push "
            "with --reviewers-per-task 2 into a new review set (a set keeps its K).",
            quiet,
        )
    behind = import_order_note(result.reviewers)
    if behind:
        note(behind, quiet)
    if oversized := oversized_queues_warning(result.reviewers, project):
        echo(oversized)
    for line in hiding_lines(result.hiding):
        echo(line)
    for email, hidden in result.own_rule_hidden.items():
        note(
            f"wellbeing: {hidden} new task(s) hidden for {email} by their own rule "
            "(labels.yaml wellbeing.reviewers)",
            quiet,
        )
    late_copies_note(result.late_copies_removed)
    reposts_note(result.reposts, result.repost_examples)
    renamed_documents_warning(project, result.renamed, result.renamed_examples)
    for email, cap in sorted(result.own_caps.items()):
        note(
            f"wellbeing: {email}'s queue holds at most {cap} open graphic passage(s) "
            "(their own max_graphic, labels.yaml wellbeing.reviewers)",
            quiet,
        )
    if result.held_graphic:
        note(held_graphic_note(result.held_graphic, result.max_graphic, result.own_caps), quiet)
    replaced: dict[str, list[str]] = {}
    for share in result.reviewers:
        if share.model_version_replaced:
            replaced.setdefault(share.model_version_replaced, []).append(share.alias)
    for before, aliases in replaced.items():
        # as a plain push says it: reviewers now start from this model's pre-annotations
        note(
            f"note: the queue(s) of {', '.join(aliases)} now show reviewers the "
            f"pre-annotations of {result.model_version} instead of {before} (both models' "
            f"predictions stay on their tasks); push {before}'s pre-labels again to show "
            "that model's instead.",
            quiet,
        )
    if result.without_queue:
        echo(
            f"  no passage for {', '.join(result.without_queue)} this push: no queue made "
            "(a later push makes it when they get passages)"
        )
    if result.gold_wanted:  # fewer gold tasks than asked: -q too
        echo(
            f"note: --gold-rate {gold_rate} asks for up to {result.gold_wanted} gold task(s) in "
            f"a queue, but {gold} holds {result.gold_available}: every queue got all of them, "
            "below the rate (add gold passages to the table and push again to reach it)"
        )
    gold_tells_warning(result.gold_tells, gold)
    if result.demo_left_out:
        note(
            f"note: the demo accounts ({', '.join(result.demo_left_out)}) were left out; "
            "name them with --reviewer to give them passages.",
            quiet,
        )
    if result.leads_left_out:
        note(
            f"note: {', '.join(result.leads_left_out)} left out: marked lead on this machine "
            "(`annotate reviewers add --lead`), so they get no queue and can adjudicate; "
            "name them with --reviewer to give them passages.",
            quiet,
        )
    if result.leads_named:
        echo(lead_queue_warning(result.leads_named, project))
    if result.away_left_out:
        note(
            f"note: {', '.join(result.away_left_out)} left out: away since `annotate review "
            "reassign` handed on their open tasks in this review set; name them with "
            "--reviewer to give them passages again.",
            quiet,
        )
    if result.joined:
        who = ", ".join(result.joined)
        echo(
            f"warning: {who} joined {project!r} in this push (no queue in it before): a push "
            "without --reviewer gives passages to every reviewer account (`annotate reviewers "
            "list`). If that was not meant, "
            f"hand their open tasks on with `annotate review reassign --project {project!r} "
            "--from EMAIL --to EMAIL` and name the set's reviewers with --reviewer in later "
            "pushes."
        )
    if result.recreated:
        note(
            f"note: the queue(s) of {', '.join(result.recreated)} in {project!r} were made "
            "again (--recreate-deleted): the deleted queue took its answers along, so its "
            "passages are open for review again.",
            quiet,
        )
    if result.back:
        note(
            f"note: {', '.join(result.back)} named with --reviewer: no longer away in this "
            "review set (later pushes include them).",
            quiet,
        )
    other_versions_warning(
        project,
        result.other_version_tasks,
        result.other_version_documents,
        result.other_version_examples,
    )
    unknown_neighbours_warning(project, result.unknown_neighbours)
    other_licence_warning(project, result.other_licence, result.other_licence_examples)
    other_text_warning(project, result.other_text, result.other_text_examples, prelabels)
    other_source_warning(project, result.other_source, result.other_source_examples)
    if result.skipped_gold:
        echo(
            f"warning: {len(result.skipped_gold)} passage(s) skipped because they are gold tasks "
            f"already in this review set (e.g. {result.skipped_gold[0]!r}): they stay gold and "
            "export keeps them out of the corpus (review status, agreement and export say so); "
            "push them under another id to review them."
        )
    if result.repeated_left:
        # another push's copies left in the queues: exit 1, as a plain push does (faults49
        # F7; a review-set push racing one from another machine said nothing of them)
        repeated_left_warning(project, f"{result.repeated_left:,}", "are in a reviewer queue of")
        raise typer.Exit(1)


def lead_queue_warning(leads: list[str], project: str) -> str:
    """The warning of `push --reviewer LEAD` and `review reassign --to LEAD` (lead59 #5):
    an account marked lead (`annotate reviewers add --lead`) given a blind queue in
    ``project`` answers there as a reviewer, and would then adjudicate passages they
    answered (export --strict rejects such decisions)."""
    who = ", ".join(leads)
    one = len(leads) == 1
    return (
        f"warning: {who} {'is' if one else 'are'} marked lead (`annotate reviewers add "
        f"--lead`) and now {'has a queue' if one else 'have queues'} in {project!r}: "
        "their answers there count as a reviewer's, and as lead "
        "they would adjudicate passages they answered themselves (`annotate export --strict` "
        "rejects such decisions). If that was not meant, hand the tasks on: `annotate review "
        f"reassign --project {project!r} --from {leads[0]} --to EMAIL`; if they review "
        f"here and someone else adjudicates: `annotate reviewers add {leads[0]} --not-lead`."
    )


def import_order_note(shares: list[ReviewerShare]) -> str | None:
    """The note for tasks added to queues that hold earlier pushes' tasks: Label Studio's
    "Label All Tasks" serves a queue's open tasks by task id (import order), so a threat
    in today's batch comes after yesterday's open boilerplate, whatever its priority;
    "Label Tasks As Displayed" on the Queue tab (sorted by priority) serves them riskiest
    first. None when no task was added to a queue that held open tasks of earlier pushes
    (a queue whose earlier tasks are all answered or skipped serves the new ones first:
    Label Studio leaves a reviewer's own skipped task out of "Label All Tasks", or with
    the project's "Requeue for me" serves it after every other). Names those queues
    (passI53 I8: a lead who found "0 open" everywhere in `review status` could not tell
    which queue it meant)."""
    behind = [s for s in shares if s.created and s.queued_before > s.already and s.open_before > 0]
    added = sum(s.created for s in behind)
    if not added:
        return None
    named = _first_five([f"{s.email} ({s.alias}): {s.open_before:,} open" for s in behind])
    return (
        f"note: {counted(added, 'task')} added to queues that hold earlier pushes' open tasks "
        f"(neither answered nor skipped; {', '.join(named)}): Label Studio's \"Label All "
        "Tasks\" serves them after those queues' open tasks (import order, not priority); "
        'reviewers who should take the riskiest first use "Label Tasks As Displayed" on '
        "the queue's Queue tab (sorted by priority)."
    )


def _first_five(named: list[str]) -> list[str]:
    """The first five of ``named``, then "and N more" for the rest (a note's queue list)."""
    return named[:5] + ([f"and {len(named) - 5} more"] if len(named) > 5 else [])


def oversized_queues_warning(
    shares: list[ReviewerShare], project: str, limit: int | None = None
) -> str | None:
    """The warning for reviewer queues this push filled past ``limit`` tasks (default:
    the 100,000 a plain push cuts its numbered projects at, the most Label Studio advises
    for one project). A review set is never split, so every batch pushed into it grows
    each queue: at a million passages a month, K=2 over 5 reviewers, about 400,000 a
    month (newuser60 F5). None when no queue is past it."""
    from annotate.defaults import DEFAULT_MAX_TASKS_PER_PROJECT

    cap = DEFAULT_MAX_TASKS_PER_PROJECT if limit is None else limit
    over = [s for s in shares if s.created and s.queued_before + s.created > cap]
    if not over:
        return None
    named = _first_five([f"{s.email} ({s.alias}): {s.queued_before + s.created:,}" for s in over])
    return (
        f"warning: {counted(len(over), 'reviewer queue')} of {project!r} now "
        f"hold{'s' if len(over) == 1 else ''} more than "
        f"{cap:,} tasks, the most Label Studio advises for one project "
        f"({', '.join(named)}): a review set is never split into numbered projects, so each "
        "batch pushed into it grows every queue. Fix: push the next batch as a review set of "
        f"its own (e.g. --project {project + ' 2'!r}), then agreement, adjudicate and export "
        "each set (train takes --data once per export)."
    )


def share_line(share: ReviewerShare) -> str:
    """One reviewer's line of a review push: tasks added (gold among them), already there
    (gold among them: a new batch holds no passage of the queue, so "1 already there"
    alone sent the lead looking for one), the queue's size, predictions added."""
    notes = [f"{share.already_gold} gold"] if share.already_gold else []
    if share.queued_before > share.already:
        notes.append(
            f"queue now {counted(share.queued_before + share.created, 'task')}, earlier "
            "pushes' included"
        )
    line = (
        f"  {share.email} ({share.alias}): {share.created:,} added ({share.gold:,} gold), "
        f"{share.already:,} already there" + (f" ({'; '.join(notes)})" if notes else "")
    )
    if share.predictions_added:
        line += f" ({share.predictions_added} given this model's predictions)"
    return f"{line} -> {share.project_url}"
