"""`annotate review status`: a review set's queues, hand-overs and held-back passages."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

import typer

from annotate.cli.app import Bars, LabelsOpt, QuietOpt, counted, echo, note
from annotate.cli.review.exposure import exposure_json, print_exposure
from annotate.cli.review.gold_notes import gold_also_regular_warning
from annotate.cli.review.groups import ProjectOpt, review_app
from annotate.cli.review.held_back_lines import held_back_dicts, held_back_lines, pruned_line
from annotate.defaults import DEFAULT_STATUS_TOP as DEFAULT_TOP

if TYPE_CHECKING:
    from annotate.review.gone_queues import GoneQueues
    from annotate.review.handover import QueueStatus, ShortOfK
    from annotate.review.project_status import LeadStatus, PartStatus
    from annotate.review.status_summary import QueueRow, Summary
    from annotate.studio.client import StudioClient


@review_app.command("status")
def review_status(
    project: ProjectOpt,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Count exposure from this ISO date or time on (UTC unless it has an offset, "
            "as escalations --since; default: today, UTC).",
        ),
    ] = None,
    graphic_limit: Annotated[
        int | None,
        typer.Option(
            "--graphic-limit",
            min=0,
            help="Graphic passages a reviewer may read in a UTC day; status flags those "
            "above it (default: $ANNOTATE_GRAPHIC_LIMIT, else 25, a team choice).",
        ),
    ] = None,
    labels_file: LabelsOpt = None,
    list_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="List every reviewer queue (and every numbered project); by default a set "
            "of more than --top lists the counts over all of them and the --top queues with "
            "the most open tasks.",
        ),
    ] = False,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            min=1,
            help="Queues (or numbered projects) listed by default: those with the most open "
            "tasks, plus removed or away reviewers' queues holding open tasks; and reviewers "
            "in the exposure lines: the most graphic, plus everyone above the limit.",
        ),
    ] = DEFAULT_TOP,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print one JSON document (every queue, the totals, the lead, passages short "
            "of K, held-back passages, exposure) on stdout instead of the lines; warnings "
            "stay on stderr.",
        ),
    ] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Read every answered task to list the contradictions (a severity that "
            "contradicts its categories), as the first run does; by default a run reads "
            "only those changed since the last run and remembers the others' (in the "
            "work folder's review-contradictions).",
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Per reviewer queue: tasks, answered, skipped, open, drafts (removed reviewers flagged);
    for a project pushed without --reviewers-per-task, per project (numbered ones too).
    A set of more than --top queues shows the counts over all of them, the oldest open
    task and the --top queues with the most open tasks (--all: every queue; --json: all of
    it for scripts). Then each reviewer's exposure since --since (today): answers, graphic
    passages, high-severity answers, flagging days above --graphic-limit."""
    from annotate.corpus.salt import reading_salt, unstored_salt_note
    from annotate.errors import InputError
    from annotate.review.gone_queues import gone_queues
    from annotate.review.handover import queue_status, short_of_k, unknown_name_error
    from annotate.review.held_back import prune_held, written_stamps
    from annotate.review.live_exposure import graphic_limit as limit_of
    from annotate.review.live_exposure import since_time
    from annotate.review.project_status import lead_status
    from annotate.review.status_json import projects_document, review_set_document
    from annotate.review.status_summary import queue_rows, summarise
    from annotate.review.unfinished import open_counts
    from annotate.studio.client import connect

    day, limit = since_time(since), limit_of(graphic_limit)  # bad input: before any request
    shown_top = None if list_all or as_json else top
    client = connect()
    stamps = written_stamps(client.url, project)  # before the queues: see prune_held
    salt = reading_salt()  # a reading command makes no salt (newuser57 F8)
    try:
        with Bars(quiet) as bars:  # every queue's tasks: minutes for a large review set
            found = queue_status(client, project, salt, progress=bars)
    except InputError as err:
        parts = _plain_status(client, project, shown_top, quiet=as_json)
        if parts is None:  # a review set's error, or no such name
            # a push that held back every passage made no queue: its record is all there is
            for line in held_back_lines(client.url, project, frozenset()):
                echo(line)
            raise unknown_name_error(client, project) or err from None
        if not as_json:
            _lead_status(client, project)
            print_exposure(
                client, project, {}, day, limit, labels_file, shown_top, frozenset(), full
            )
            if (unstored := unstored_salt_note()) is not None:
                note(unstored, quiet)
        else:
            lead = lead_status(client, project)
            _print_json(
                projects_document(
                    project,
                    parts=parts,
                    lead=lead,
                    held_back=held_back_dicts(client.url, project, frozenset()),
                    exposure=exposure_json(client, project, {}, day, limit, labels_file, full),
                )
            )
        return
    counts = short_of_k(found)
    per = (
        f"{counts.k} reviewer(s) per passage"
        if counts.k is not None
        else "reviewers per passage not recorded (pushed by an older annotate; the next push "
        "records it)"
    )
    if not as_json:
        echo(f"review set {project!r}: {len(found)} reviewer queue(s), {per}")
    # a passage a stopped hand-over left in two queues counts once (see the warning)
    opened = open_counts(found)
    rows = queue_rows(found, opened)
    summary = summarise(rows, shown_top)
    if not as_json:
        for line in queue_lines(summary, top):
            typer.echo(line)
    if by_others := answered_by_others_line(rows, project):
        echo(by_others)  # stderr: a warning, with --json too
    lead = lead_status(client, project) if as_json else _lead_status(client, project)
    gone = gone_queues(client, project, [int(st.queue.project["id"]) for st in found], salt)
    if counts.k is not None and not as_json:
        echo(short_of_k_line(counts, deleted=gone is not None))
    if gone is not None:  # stderr: a warning, with --json too
        echo(gone_queues_line(gone, project, counts.k))
    queued = frozenset().union(*(st.passages for st in found))
    if not as_json:
        for line in held_back_lines(client.url, project, queued):
            echo(line)
    pruned = prune_held(client.url, project, queued, stamps=stamps)
    if pruned is not None and not as_json:
        note(pruned_line(pruned), quiet)
    gold_also_regular_warning(
        len(frozenset().union(*(st.gold_also_regular for st in found))), project
    )
    drafts = sum(c.drafts for c in opened.values())
    if drafts:
        echo(
            f"{drafts} open task(s) hold a draft: an answer started and not submitted (Label "
            "Studio shows it to its author only); `annotate review reassign` leaves them with "
            "their reviewer unless --discard-drafts"
        )
    _unfinished_lines(found, project)
    _answered_twice_lines(found, project, counts.k)
    _twin_queue_lines(found, project)

    def regular(st: QueueStatus) -> int:
        c = opened[int(st.queue.project["id"])]
        return c.open - c.gold

    orphans = [st for st in found if not st.member and regular(st)]
    if orphans:
        echo(
            f"{sum(regular(st) for st in orphans):,} open task(s) (gold not counted: "
            "it is no passage short of an answer) in queue(s) of removed reviewers: "
            f"annotate review reassign --project {project!r} --from {orphans[0].queue.alias} "
            "--to EMAIL"
        )
    names = {st.queue.alias: st.queue.name for st in found}
    if not as_json:
        gone = frozenset(st.queue.alias for st in found if not st.member)
        print_exposure(client, project, names, day, limit, labels_file, shown_top, gone, full)
    else:
        _print_json(
            review_set_document(
                project,
                k=counts.k,
                summary=summary,
                rows=rows,
                lead=lead,
                short_of_k=asdict(counts),
                held_back=held_back_dicts(client.url, project, queued),
                held_back_pruned=None if pruned is None else asdict(pruned),
                exposure=exposure_json(client, project, names, day, limit, labels_file, full),
                deleted_queues=[] if gone is None else gone.dicts(),
            )
        )


def queue_lines(summary: Summary, top: int) -> list[str]:
    """`review status`'s lines on the queues (each indented): every queue's line when
    ``summary`` hides none (and, of several, the counts over them and the oldest open
    task); else those counts, the oldest open task, the queues shown and one line counting
    the others."""
    from annotate.review.status_summary import age, totals

    t, hidden = summary.totals, summary.hidden
    lines = [] if hidden else [_queue_line(r) for r in summary.shown]
    if t.queues > 1 or hidden:
        among = [f"{t.gold} gold"] if t.gold else []
        if t.drafts:
            among.append(f"{t.drafts} with a draft")
        extra = f" ({', '.join(among)})" if among else ""
        lines.append(
            f"  in all: {counted(t.tasks, 'task')}, {t.answered:,} answered, "
            f"{t.skipped:,} skipped, {t.open:,} open{extra}"
        )
    if summary.oldest is not None and summary.oldest.oldest_open:
        when = summary.oldest.oldest_open
        lines.append(
            f"  oldest open task: made {age(when)} ago ({when}), in {summary.oldest.name}'s queue"
        )
    if hidden and not summary.shown:  # nothing open: no queue is the busiest
        rest = totals(hidden)
        lines.append(
            f"  no queue holds an open task: {len(hidden)} queue(s), "
            f"{counted(rest.tasks, 'task')}, {rest.answered:,} answered, {rest.skipped:,} "
            "skipped (--all lists them, --json for scripts)"
        )
    elif hidden:
        busiest = min(top, len(summary.shown))
        extra = len(summary.shown) - busiest
        besides = (
            f", and {extra} more of a removed or away reviewer, holding open tasks" if extra else ""
        )
        lines.append(
            f"  the {busiest} queue(s) with the most open tasks{besides} (of "
            f"{t.queues}; --all lists every one):"
        )
        lines += [_queue_line(r) for r in summary.shown]
        rest = totals(hidden)
        lines.append(
            f"  {len(hidden)} more queue(s): {counted(rest.tasks, 'task')}, {rest.answered:,} "
            f"answered, {rest.skipped:,} skipped, {rest.open:,} open (--all lists them, --json for "
            "scripts)"
        )
    return lines


def _queue_line(r: QueueRow) -> str:
    among = [f"{r.gold:,} gold"] if r.gold else []
    if r.drafts:
        among.append(f"{r.drafts:,} with a draft")
    gold = f" ({', '.join(among)})" if among else ""
    twice = (
        f", {r.held_twice:,} held in another queue too (not counted here: a hand-over "
        "stopped midway, see below)"
        if r.held_twice
        else ""
    )
    gone = "" if r.member else " [account removed]"
    if r.member and r.away:
        gone = f" [away since {r.away}: pushes without --reviewer skip them]"
    others = (
        f" (+{r.answered_by_others:,} by another account, see below)"
        if r.answered_by_others
        else ""
    )
    return (
        f"  {r.name}{gone}: {counted(r.tasks, 'task')}, {r.answered:,} answered{others}, "
        f"{r.skipped:,} skipped, {r.open:,} open{gold}{twice} -> {r.url}"
    )


def answered_by_others_line(rows: Sequence[QueueRow], project: str) -> str | None:
    """Review status's warning on reviewer queues holding tasks answered only by another
    account than the queue's reviewer (:attr:`QueueRow.answered_by_others`: the admin, a
    lead, a colleague who opened it), which the queue lines do not count as the
    reviewer's; None when no queue holds any."""
    astray = [r for r in rows if r.answered_by_others]
    if not astray:
        return None
    first = astray[0]
    return (
        f"warning: {sum(r.answered_by_others for r in astray):,} task(s) in "
        f"{counted(len(astray), 'reviewer queue')} of {project!r} were answered by another "
        f"account than the queue's reviewer (e.g. {first.name}'s queue: "
        f"{first.answered_by_others:,}): the admin account, a lead, or a colleague who "
        "opened it (the exposure lines below name who answered); they are not counted as "
        "the reviewer's answers. `annotate export` counts them as one more reviewer's "
        "answers, not given blind: if they were tests or made for a reviewer, delete them "
        f"in Label Studio (the queue's Data Manager: {first.url})"
    )


def _print_json(doc: dict[str, Any]) -> None:
    typer.echo(json.dumps(doc, indent=1, sort_keys=True, default=str))


def _twin_queue_lines(found: list[QueueStatus], project: str) -> None:
    """`review status`'s warning for a reviewer with two queues in the set (made by two
    pushes or hand-overs at once): status lists both, but export and push refuse the set
    until one is deleted, so it says so here rather than at export time."""
    by_alias: dict[str, list[QueueStatus]] = {}
    for st in found:
        by_alias.setdefault(st.queue.alias, []).append(st)
    for alias, twins in by_alias.items():
        if len(twins) < 2:
            continue
        shown = ", ".join(
            f"{st.queue.project['id']} ({counted(st.tasks, 'task')}, {st.answered:,} answered)"
            for st in twins
        )
        echo(
            f"warning: {alias} has {len(twins)} queues in {project!r} (project ids {shown}): "
            "made by two pushes or hand-overs at once; export and push refuse the review set "
            "until one is gone. Fix: in Label Studio, delete the queue that holds no answers "
            "(or move its answered tasks by hand first)."
        )


def _unfinished_lines(found: list[QueueStatus], project: str) -> None:
    """`review status`'s warning for each hand-over that stopped midway: its passages sit
    in two reviewers' queues until it is run again."""
    from annotate.review.unfinished import unfinished_handovers

    for stop in unfinished_handovers(found):
        src, dst, n = stop.source.name, stop.target.name, len(stop.passages)
        found_line = (
            f"warning: a hand-over from {src} to {dst} stopped midway: {n:,} passage(s) (e.g. "
            f"{stop.passages[0]!r}) sit in both their queues (copied into {dst}'s, not yet "
            "removed from the other): two holders where one is expected, each of whom may "
            "answer (the open counts above count each once)"
        )
        command = stop.command(project)
        if command is not None:
            echo(
                f"{found_line}. Finish it (no passage is copied twice, none lost; one "
                f"answered meanwhile stays with its reviewer): {command}"
            )
        else:
            echo(
                f"{found_line}; {dst}'s account was removed from the organization, so no "
                f"hand-over can finish it: delete the open tasks of those {n} passage(s) from "
                f"{dst}'s queue in Label Studio (Data Manager: select them, Delete tasks), "
                f"then hand {src}'s open tasks to a member: annotate review reassign --project "
                f"{project!r} --from {stop.source.email or stop.source.alias} --to EMAIL"
            )


def _answered_twice_lines(found: list[QueueStatus], project: str, k: int | None) -> None:
    """`review status`'s warning for passages a stopped hand-over left in two queues that
    were answered in both: K+1 answers, which every later step counts."""
    from annotate.review.unfinished import answered_twice

    more, of = (f"{k + 1}", f"the review set's {k}") if k else ("K+1", "its K")
    for pair in answered_twice(found):
        src, dst, n = pair.source.name, pair.target.name, len(pair.passages)
        shown = ", ".join(repr(p) for p in pair.passages[:5]) + (", ..." if n > 5 else "")
        echo(
            f"warning: {n} passage(s) answered both in {src}'s queue and in {dst}'s ({shown}): "
            f"a hand-over from {src} to {dst} copied them and stopped before removing the "
            f"originals, and both were answered, so each has {more} answers, one more than "
            f"{of} (finishing the hand-over leaves both). Every answer counts: export keeps "
            f"all {more} in the passage's row (manifest.json reviewers_per_passage counts it "
            f"under {more}), the vote that resolves it and `annotate agreement` use all of "
            "them (one voter more: it can break a tie), and `annotate adjudicate` sends it to "
            f"the lead only when those {more} answers dispute it. Nothing to do to keep them; "
            "to keep one answer out, delete its task in Label Studio (e.g. the copy in "
            f"{dst}'s queue: Data Manager, filter by passage_id, Delete tasks): its answer then "
            "leaves export, agreement and the reviewer's exposure record"
        )


def _lead_status(client: StudioClient, project: str) -> LeadStatus | None:
    """`review status`'s line on the lead's adjudication project (none: no line); returns
    what it read."""
    from annotate.review.project_status import lead_status

    lead = lead_status(client, project)
    if lead is None:
        return None
    out = (
        f", {lead.out_of_queue} no longer disputed (out of the lead's queue)"
        if lead.out_of_queue
        else ""
    )
    typer.echo(
        f"  lead, {lead.title}: {counted(lead.tasks, 'task')}, {lead.answered:,} answered, "
        f"{lead.waiting:,} waiting for a lead{out} -> {lead.url}"
    )
    return lead


def _plain_status(
    client: StudioClient, project: str, top: int | None, *, quiet: bool = False
) -> list[PartStatus] | None:
    """`review status` of a project that is no review set (one project, or numbered ones):
    its work per project (of more than ``top``, those with the most open tasks; None:
    every one); None when ``project`` is none of those. Returns what it read (``quiet``:
    prints nothing)."""
    from annotate.review.project_status import project_status

    parts = project_status(client, project)
    if not parts:
        return None
    if quiet:
        return parts
    echo(
        f"{project!r}: {len(parts)} project(s), no review set (pushed without "
        "--reviewers-per-task: every reviewer answers in the same tasks, so there are no "
        "reviewer queues; answered counts tasks with anyone's answer)"
    )
    shown = parts
    if top is not None and len(parts) > top:
        shown = sorted(parts, key=lambda p: -p.open)[:top]
        typer.echo(f"  the {top} project(s) with the most open tasks (--all lists every one):")
    for p in shown:
        drafts = f" ({p.open_drafts} with a draft)" if p.open_drafts else ""
        typer.echo(
            f"  {p.title}: {counted(p.tasks, 'task')}, {p.answered:,} answered, "
            f"{p.skipped:,} skipped, {p.open:,} open{drafts} -> {p.url}"
        )
    if len(shown) < len(parts):
        typer.echo(f"  {len(parts) - len(shown)} more project(s) (--all lists them)")
    if len(parts) > 1:
        tasks, answered, skipped, left = (
            sum(getattr(p, f) for p in parts) for f in ("tasks", "answered", "skipped", "open")
        )
        echo(
            f"in all: {counted(tasks, 'task')}, {answered:,} answered, {skipped:,} skipped, "
            f"{left:,} open"
        )
    return parts


def short_of_k_line(counts: ShortOfK, *, deleted: bool = False) -> str:
    """Review status's line on the passages short of K answers: open or skipped tasks, and
    tasks never made (``--max-graphic-per-reviewer`` held them back, too few reviewers,
    or a push that stopped midway), which no reviewer can answer until the pre-labels are
    pushed again; ``deleted``: a queue of the set was deleted (:func:`gone_queues_line`),
    so that push needs ``--recreate-deleted`` (refused without it)."""
    line = (
        f"{counts.short:,} of {counts.passages:,} passage(s) have fewer than {counts.k} answer(s)"
    )
    queued = counts.short - counts.unqueued
    skipped = (
        f"; {counts.skipped} of them with no task open, as a reviewer skipped theirs: a "
        "skipped task keeps its reviewer's place, so no push or hand-over gives the passage "
        "another reviewer (to have it answered, delete the skipped task in Label Studio's "
        "Data Manager, which drops its skip from the export's counts, and push the same "
        "pre-labels again, with --reviewer naming who may take it: the reviewer who skipped "
        "it may be given it back)"
        if counts.skipped
        else ""
    )
    # answered in a queue by another account: neither open nor skipped, said apart (it
    # was counted among the skips too: s56 left #5)
    open_or_skipped = queued - counts.by_others
    parts = []
    if open_or_skipped:
        parts.append(
            (
                "their other reviewers' tasks are open or skipped"
                if open_or_skipped == counts.short
                else f"{open_or_skipped} with other reviewers' tasks open or skipped"
            )
            + skipped
        )
    if counts.by_others:
        parts.append(
            f"{counts.by_others} of them answered in a queue by another account than its "
            "reviewer, with no task open: not a skip, and not that reviewer's answer (see "
            "the warning on answers by another account; export counts alike)"
        )
    if counts.unqueued:
        why = (
            f"{counts.unqueued} in fewer than {counts.k} queues: held back by push "
            "--max-graphic-per-reviewer, pushed to fewer reviewers, a task deleted in Label "
            "Studio (with any answer it held), or left so by a push that stopped midway "
            "(killed, the server gone); push the same pre-labels again to queue them"
        )
        if deleted:
            why = (
                f"{counts.unqueued} in fewer than {counts.k} queues: a reviewer queue was "
                "deleted in Label Studio (named below), or they were held back by push "
                "--max-graphic-per-reviewer, pushed to fewer reviewers, or left so by a push "
                "that stopped midway; push the same pre-labels again with --recreate-deleted "
                "to queue them (refused without it while a queue is deleted)"
            )
        parts.append(why)
    return f"{line} ({'; '.join(parts)})" if parts else line  # none short: no "()"


def gone_queues_line(gone: GoneQueues, project: str, k: int | None) -> str:
    """Review status's warning on the queues of ``project`` that a push from this machine
    made and that are gone from the server (:mod:`annotate.review.gone_queues`): which,
    whose, and the push that makes them again."""
    import shlex

    n = len(gone.projects)
    reviewers = f" -k {k}" if k is not None else ""
    files = gone.prelabels
    # the file pushes from here sent (the record's); a placeholder where none is recorded
    first = shlex.quote(files[0]) if files else "PRELABELS"
    more = ""
    if len(files) > 1:
        shown_files = ", ".join(shlex.quote(f) for f in files[1:6])
        rest = f" and {len(files) - 6} more (listed in the record)" if len(files) > 6 else ""
        more = (
            f", then push each other pre-labels file pushed into the set the same way: "
            f"{shown_files}{rest}"
        )
    return (
        f"warning: {counted(n, 'reviewer queue')} of {project!r} that a push from this "
        f"machine made {'is' if n == 1 else 'are'} no longer on the server: {gone.shown()} "
        "(deleted in Label Studio, renamed, or the server's data restored from an older "
        f"backup; recorded in {gone.record}). A deleted queue took its tasks and answers "
        "along; its passages are in fewer queues until it is made again, and a push into "
        "the set is refused until then. If it was deleted by mistake, restore Label "
        "Studio's data from a backup; else make it again with the same pre-labels (and "
        f"--reviewer options, if any): annotate push {first} --project "
        f"{shlex.quote(project)}{reviewers} --recreate-deleted{more}"
    )
