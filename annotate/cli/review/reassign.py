"""`annotate review reassign`: one reviewer's open tasks handed to another."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from annotate.cli.app import LabelsOpt, QuietOpt, echo, note
from annotate.cli.review.groups import ProjectOpt, review_app

if TYPE_CHECKING:
    from annotate.review.handover import Handover


# the help as typer shows it: a paragraph after the first keeps its line breaks there (rich
# markup), so each is one string, not a wrapped docstring paragraph
REASSIGN_HELP = (
    "Move one reviewer's open tasks into another's queue (never a passage they hold); the "
    "reviewer handed from is then away in the review set, unless --not-away.\n\n"
    "The reviewer handed from is marked away even when they have no open task left (all "
    "answered or skipped: a reviewer who finished before leaving); the command then says "
    "that nothing moved and that they are marked. The reviewer handed to is marked back "
    "only when tasks come to them. A run that stopped midway (copies made, originals not "
    "yet removed: `annotate review status` shows it) is finished by running it again."
)


@review_app.command("reassign", help=REASSIGN_HELP)
def review_reassign(
    project: ProjectOpt,
    source: Annotated[
        str,
        typer.Option(
            "--from",
            help="The reviewer whose open tasks move: e-mail, or pseudonym r-… of a "
            "removed account (`annotate review status` lists them).",
        ),
    ],
    target: Annotated[str, typer.Option("--to", help="E-mail of the reviewer who takes them.")],
    labels: LabelsOpt = None,
    discard_drafts: Annotated[
        bool,
        typer.Option(
            "--discard-drafts",
            help="Move open tasks holding a draft (an answer started, not submitted) too; "
            "their drafts are deleted (default: they stay with the reviewer).",
        ),
    ] = False,
    not_away: Annotated[
        bool,
        typer.Option(
            "--not-away",
            help="Do not mark the reviewer handed from away (a rebalance: they are still "
            "at work, so later pushes without --reviewer still give them passages); clears "
            "an earlier hand-over's away mark. Default: marked away, also when they have "
            "no open task left.",
        ),
    ] = False,
    allow_over_graphic_cap: Annotated[
        bool,
        typer.Option(
            "--allow-over-graphic-cap",
            help="Move the tasks even where the reviewer handed to would then hold more "
            "open graphic tasks than the set's cap (push --max-graphic-per-reviewer N, as "
            "pushed from this machine). Default: such a hand-over is refused before "
            "anything moves, naming the reviewer, their count and the cap.",
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """``annotate review reassign``: its help is ``REASSIGN_HELP``."""
    from annotate.corpus.salt import keep_salt, reading_salt
    from annotate.review.handover import reassign
    from annotate.studio.client import connect
    from annotate.taxonomy import load_taxonomy

    salt = reading_salt()  # stored only once the hand-over is about to write
    result = reassign(
        connect(),
        project,
        source,
        target,
        load_taxonomy(labels),
        salt=salt,
        before_write=lambda: keep_salt(salt),
        discard_drafts=discard_drafts,
        not_away=not_away,
        allow_over_graphic_cap=allow_over_graphic_cap,
    )
    made = " (new queue)" if result.created_queue else ""
    where = f" -> {result.target_url}" if result.target_url else " (no queue made)"
    if result.nothing_open:
        kept = (
            f"{result.source_closed} answered or skipped, which stay theirs"
            if result.source_closed
            else "their queue is empty"
        )
        echo(
            f"nothing to hand on: {result.source.name} has no open task in {project!r} "
            f"({kept}); nothing moved to {result.target.name}{where}"
        )
    elif (
        not result.moved
        and result.gold_removed
        and not (result.already_held or result.with_draft or result.gold_kept)
    ):
        echo(
            f"nothing moved from {result.source.name} to {result.target.name}{where}: "
            f"only gold tasks were open in {project!r} (why below)"
        )
    elif not result.moved:
        # the target holds them, they hold a draft, or gold only was left (gold moves only
        # along with passages): the lines below say why each stays, and what to run
        echo(
            f"nothing moved from {result.source.name} to {result.target.name}{where}: "
            f"their open tasks in {project!r} stay with {result.source.name} (why below)"
        )
    else:
        echo(
            f"{len(result.moved):,} open task(s) ({result.gold_moved:,} gold) moved from "
            f"{result.source.name} to {result.target.name}{made}{where}"
        )
    echo(_away_line(result, project))
    if result.target_is_lead and result.moved and result.target.email:
        from annotate.cli.review.push_review import lead_queue_warning

        echo(lead_queue_warning([result.target.email], project))
    if result.target_was_away:
        echo(
            f"{result.target.name} was marked away in {project!r} (since "
            f"{result.target_was_away}): no longer, as they take tasks (later pushes into it "
            "give them passages)"
        )
    if result.already_held:
        _already_held_line(result, project, not_away)
    if result.with_draft:
        echo(
            f"{len(result.with_draft)} left with {result.source.name}: they hold a draft, an "
            f"answer started and not submitted (e.g. {result.with_draft[0]!r}; moving deletes "
            "it). Ask them to submit it and run again, or pass --discard-drafts to move them"
        )
    if result.drafts_discarded:
        echo(f"{result.drafts_discarded} draft(s) deleted with the tasks moved (--discard-drafts)")
    if (
        result.graphic_cap is not None
        and result.target_open_graphic is not None
        and result.target_open_graphic > result.graphic_cap
    ):
        echo(
            f"warning: {result.target.name} now holds {result.target_open_graphic} open graphic "
            f"task(s) in {project!r}, above "
            + (
                f"their own cap of {result.graphic_cap} (labels.yaml wellbeing.reviewers: "
                f"max_graphic {result.graphic_cap}; moved as "
                if result.own_graphic_cap
                else f"the cap of {result.graphic_cap} it was pushed with "
                f"(push --max-graphic-per-reviewer {result.graphic_cap}; moved as "
            )
            + "--allow-over-graphic-cap allows, or above it before this hand-over): tell them, "
            "or hand some on to a reviewer with room"
        )
    _gold_kept_lines(result)
    if result.gold_removed:
        back = (
            ""  # a removed account gets no passages again
            if result.source.email is None
            else "; a push that names them with --reviewer gives them gold again"
        )
        echo(
            f"{len(result.gold_removed)} open gold task(s) removed from {result.source.name}'s "
            "queue: gold moves only along with passages short of an answer, and they hold no "
            "open one now, so nobody would answer these (left open, they would keep the round "
            f"open: adjudicate refuses, every export says the review is under way){back}"
        )
    if result.answered_meanwhile:
        echo(
            f"{len(result.answered_meanwhile)} answered during the move: left with "
            f"{result.source.name}"
        )
    if result.answered_twice:
        note(
            f"note: {len(result.answered_twice)} passage(s) (e.g. {result.answered_twice[0]!r}) "
            f"were answered both by {result.source.name} and, in the copy an earlier, "
            f"interrupted run made, by {result.target.name}: both answers stay and count "
            "(one more than the review set's reviewers per passage; `annotate review status "
            f"--project {project!r}` says what that means)",
            quiet,
        )


def _gold_kept_lines(result: Handover) -> None:
    """`review reassign`'s lines on the open gold tasks left in the source queue, by why:
    the target holds the same gold passage, or no passage short of an answer moved."""
    held = set(result.gold_held)
    same = [pid for pid in result.gold_kept if pid in held]
    alone = [pid for pid in result.gold_kept if pid not in held]
    if same:
        echo(
            f"{len(same)} open gold task(s) left with {result.source.name}: "
            f"{result.target.name} holds the same gold passage(s) already (e.g. {same[0]!r}; "
            "every queue of a review set gets the same gold, and nobody answers a passage "
            "twice)"
        )
    if alone:
        echo(
            f"{len(alone)} open gold task(s) left with {result.source.name}: gold "
            "moves only along with passages short of an answer (no gold-only queue), "
            "nothing to hand on"
        )


def _already_held_line(result: Handover, project: str, not_away: bool) -> None:
    """`review reassign`'s line on the open passages the target holds already (they stay:
    nobody answers a passage twice), with the command that hands them to someone else."""
    n, src, dst = len(result.already_held), result.source, result.target.name
    them = "all of them" if not result.moved else "them"
    command = (
        f"annotate review reassign --project {project!r} --from {src.email or src.alias} "
        f"--to EMAIL{' --not-away' if not_away else ''}"
    )
    if result.free_reviewers:
        who = f" (holding none of them: {', '.join(result.free_reviewers)})"
    else:
        who = (
            " (every other reviewer not away holds some of them: add one first, annotate "
            "reviewers add EMAIL)"
        )
    drafted = len(set(result.already_held) & set(result.with_draft))
    also = f"; {drafted} of them hold a draft too (below)" if drafted else ""
    echo(
        f"{n} open passage(s) left with {src.name}: {dst} already holds {them} "
        f"(e.g. {result.already_held[0]!r}; nobody answers a passage twice{also}). Hand "
        f"them to a reviewer who holds none of them: {command}{who}"
    )


def _away_line(result: Handover, project: str) -> str:
    """Whether `review reassign` left the reviewer handed from away in the review set."""
    who = result.source.name
    if result.source.email is None:
        return (
            f"{who} is not marked away: the account was removed from the organization, so "
            "no push gives them passages anyway"
        )
    if result.marked_away and result.nothing_open:
        return (
            f"{who} is marked away in {project!r} all the same (a hand-over marks whom it "
            "hands from, open tasks or not): later pushes into it without --reviewer give "
            "them no passages. Still at work? Run it again with --not-away to clear the mark"
        )
    if result.marked_away:
        return (
            f"{who} is now marked away in {project!r}: later pushes into it without "
            "--reviewer give them no passages; name them with --reviewer (or hand them "
            "tasks with --to) to bring them back (--not-away hands over without marking)"
        )
    if result.away_cleared:
        return (
            f"{who} is no longer marked away in {project!r} (--not-away): later pushes into "
            "it without --reviewer give them passages again"
        )
    if result.source.away:
        return (
            f"{who} stays marked away in {project!r} (since {result.source.away}): later "
            "pushes into it without --reviewer give them no passages (--not-away clears it)"
        )
    return (
        f"{who} is not marked away (--not-away): later pushes into {project!r} without "
        "--reviewer still give them passages"
    )
