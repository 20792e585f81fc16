"""`annotate push`: pre-labelled passages -> a Label Studio project."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annotate.cli.app import (
    Bars,
    LabelsOpt,
    QuietOpt,
    app,
    between_zero_and_one,
    counted,
    echo,
    note,
    project_name,
)
from annotate.cli.review.hiding_lines import hiding_lines
from annotate.defaults import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_TASKS_PER_PROJECT,
    DEFAULT_WAIT_S,
    ON_ERROR,
)

if TYPE_CHECKING:
    from annotate.studio.push import PushResult

OnErrorChoice = Enum("OnErrorChoice", {v.upper(): v for v in ON_ERROR}, type=str)


@app.command("push")
def push_cli(
    ctx: typer.Context,
    prelabels: Annotated[
        Path, typer.Argument(help="Prelabel table (JSONL or Parquet) from `annotate prelabel`.")
    ],
    project: Annotated[
        str,
        typer.Option(
            "--project",
            "-p",
            # a ' #NUMBER' or ' · ' ending is checked against the server (push: a project
            # of that title made before they were refused is still pushed into)
            callback=project_name,
            help="Label Studio project title.",
        ),
    ],
    labels_file: LabelsOpt = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Tasks per import request.")
    ] = DEFAULT_BATCH_SIZE,
    on_error: Annotated[
        OnErrorChoice,
        typer.Option(
            "--on-error",
            help="A batch the server refuses: continue (record it, go on), stop (record "
            "it, import no more) or raise (fail at once).",
        ),
    ] = OnErrorChoice.CONTINUE,
    stop_on_error: Annotated[
        bool, typer.Option("--stop-on-error", help="Same as --on-error stop.")
    ] = False,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            min=0,
            help="Seconds to wait for another push into the same project to finish (0: fail).",
        ),
    ] = DEFAULT_WAIT_S,
    max_tasks_per_project: Annotated[
        int | None,
        typer.Option(
            "--max-tasks-per-project",
            min=1,
            help="Beyond this many tasks a push continues in numbered projects "
            "`PROJECT #1`, `PROJECT #2`, ..., which export, agreement and adjudicate read "
            "as one. Recorded with the projects: a later push without it keeps the size "
            f"(default {DEFAULT_MAX_TASKS_PER_PROJECT:,}, the most Label Studio advises).",
            show_default=False,
        ),
    ] = None,
    keep_reposts: Annotated[
        bool,
        typer.Option(
            "--keep-reposts",
            help="Push re-posts too: passages whose exact text a task of the project (its "
            "numbered projects, or the review set) already holds under another passage "
            "id (the same statement in another document), which a push leaves out.",
        ),
    ] = False,
    quiet: QuietOpt = False,
    reviewers_per_task: Annotated[
        int,
        typer.Option(
            "--reviewers-per-task",
            "-k",
            min=1,
            help="K > 1: each passage goes to K different reviewers, each in a project of "
            "their own (`PROJECT · r-…`, by pseudonym), blind to the others' answers.",
        ),
    ] = 1,
    reviewer: Annotated[
        list[str] | None,
        typer.Option(
            "--reviewer",
            help="Reviewer email (repeatable; default: every account but the admin, the "
            "demo ones, the leads (`annotate reviewers add --lead`) and those away from the "
            "review set since `annotate review reassign` handed on their tasks; naming an "
            "away reviewer brings them back).",
        ),
    ] = None,
    gold: Annotated[
        Path | None,
        typer.Option("--gold", help="Gold table: prelabel columns + gold_labels.", dir_okay=False),
    ] = None,
    gold_rate: Annotated[
        float,
        typer.Option(
            "--gold-rate",
            callback=between_zero_and_one,
            help="Share of gold tasks in each queue (above 0, below 1).",
        ),
    ] = 0.1,
    max_graphic_per_reviewer: Annotated[
        int | None,
        typer.Option(
            "--max-graphic-per-reviewer",
            min=0,
            help="A review set: at most N open graphic passages in a reviewer's queue (model "
            "flags graphic_violence); the rest wait for a later push, once some are answered. "
            "A cap for one reviewer: `max_graphic` under wellbeing.reviewers in labels.yaml "
            "(the stricter of the two applies).",
        ),
    ] = None,
    new_set: Annotated[
        bool,
        typer.Option(
            "--new-set",
            help="The --project name is a new review set or project on purpose: a push "
            "refuses a new name close to an existing one's (`Batch Dec-3` beside `Batch "
            "Dec-03`: same numbers, alike words), which would queue its passages again.",
        ),
    ] = False,
    recreate_deleted: Annotated[
        bool,
        typer.Option(
            "--recreate-deleted",
            help="A project (a review set's queue) an earlier push from this machine made "
            "and that was deleted in Label Studio since, its answers with it, is made again "
            "(empty) as needed; without it such a push is refused and sends nothing (the "
            "record: $XDG_STATE_HOME/annotate/pushed-projects, and with ANNOTATE_HOME "
            "set $ANNOTATE_HOME/state/pushed-projects).",
        ),
    ] = False,
) -> None:
    """Create/update the project from labels.yaml and import the passages with predictions.

    Idempotent and resumable: passages already in the project are skipped.
    """
    from annotate.review.fallback_models import fallback_models, fallback_push_warning
    from annotate.studio.push import push

    review_set = reviewers_per_task > 1 or gold is not None
    _refuse_unused_options(ctx, review_set, gold is not None)
    for said in fallback_push_warning(fallback_models(prelabels)):
        echo(f"warning: {said}")
    if review_set:
        from annotate.cli.review.push_review import push_review_cli
        from annotate.studio.projects import new_project_name

        new_project_name(project)

        push_review_cli(
            prelabels,
            project,
            reviewers_per_task,
            reviewer,
            gold,
            gold_rate,
            labels_file,
            keep_reposts=keep_reposts,
            max_graphic=max_graphic_per_reviewer,
            new_set=new_set,
            quiet=quiet,
            recreate_deleted=recreate_deleted,
        )
        return
    with Bars(quiet) as bars:
        # the stages in the order they run (a terminal shows the bars in this order)
        # the file's rows, checked and staged before anything is read or sent
        checking = bars("check", unit="row")
        # the tasks the project holds: a re-run reads them all before it sends
        reading = bars("read", unit="task")
        result = push(
            prelabels,
            project,
            taxonomy=labels_file,
            batch_size=batch_size,
            on_error="stop" if stop_on_error else on_error.value,  # type: ignore[arg-type]
            progress=bars("push", unit="task"),
            reading=reading,
            checking=checking,
            lock_wait_s=wait,
            max_tasks_per_project=max_tasks_per_project,
            keep_reposts=keep_reposts,
            new_name=new_set,
            recreate_deleted=recreate_deleted,
        )
    new = result.projects_created
    subject = f"project {result.project!r}"
    if result.projects and result.project not in result.projects:
        # a push into NAME #1, #2 ... (no project of the plain title): "project 'NAME'
        # created" named one the lead looks for in vain in Label Studio (passA50 P6)
        subject = f"projects {_titles(list(result.projects))}"
    if result.project_created and new and len(new) < len(result.projects):
        # a numbered set that existed, continued in a new project: not "'NAME' created"
        verb = f"updated (new: {', '.join(repr(t) for t in new)})"
    else:
        verb = "created" if result.project_created else "updated"
    # passages another push imported at the same time as this one (another machine's, or
    # one with another lock folder): counted apart, so the numbers add up to the file's
    # ("0 created, 1,000 skipped, 0 failed, of 4,500" left 3,500 unsaid; faults49 F7)
    raced = (
        f"{result.duplicates_removed:,} imported by another push at the same time as this one "
        "(this push's copies removed, the other's kept), "
        if result.duplicates_removed
        else ""
    )
    echo(
        f"{subject} {verb}: {result.created:,} created, "
        f"{result.skipped:,} skipped (already there), {raced}{result.failed:,} failed, "
        f"of {counted(result.total, 'passage')} (model {result.model_version})"
    )
    for line in hiding_lines(result.hiding):
        echo(line)
    reposts_note(result.reposts, result.repost_examples)
    moved_documents_note(result.moved, result.moved_examples)
    renamed_documents_warning(result.project, result.renamed, result.renamed_examples)
    if result.predictions_added:
        added = counted(result.predictions_added, "prediction")
        echo(f"added {added} of this model to tasks already there")
    if result.task_data_updated:
        # the grid's columns follow the pre-annotation shown (passJ54 M3)
        echo(
            f"set the model columns (model_version, model_labels, model_scores) of "
            f"{counted(result.task_data_updated, 'task')} to this model's; their answers, "
            "priority and warnings are unchanged"
        )
    for title, before in result.model_version_replaced.items():
        note(f"note: {model_switch_note(repr(title), result.model_version, before)}", quiet)
    other_versions_warning(
        result.project,
        result.other_version_tasks,
        result.other_version_documents,
        result.other_version_examples,
    )
    unknown_neighbours_warning(result.project, result.unknown_neighbours)
    other_licence_warning(result.project, result.other_licence, result.other_licence_examples)
    other_text_warning(result.project, result.other_text, result.other_text_examples, prelabels)
    other_source_warning(result.project, result.other_source, result.other_source_examples)
    if result.predictions_repaired:
        repaired = counted(result.predictions_repaired, "prediction")
        echo(f"re-sent {repaired} Label Studio dropped on import")
    late_copies_note(result.late_copies_removed)
    for error in result.errors:
        echo(f"failed: {error}")
    for line in size_lines(result, max_tasks_per_project):
        echo(line)
    if len(result.projects) > 1:
        # it named only the last project's URL: reviewers sent that one link never saw
        # the first, which holds the riskiest passages
        base = result.project_url.rsplit("/projects/", 1)[0]
        echo(
            f"{result.project!r} spans {len(result.projects)} projects of at most "
            f"{result.max_tasks:,} tasks (a push fills the first with room, then new ones, "
            "its riskiest passages first); review at each:"
        )
        for title, pid in result.projects.items():
            echo(f"  {title}: {base}/projects/{pid}/data{_placed(result, title)}")
        if (riskiest := riskiest_line(result)) is not None:
            echo(riskiest)
    else:
        echo(f"review at {result.project_url}")
    if (behind := import_order_line(result)) is not None:
        note(behind, quiet)
    if result.repeated_left:
        # the project is left with passages twice, made by another push: exit 1, as the
        # user must see that it is cleaned up (faults49 F7: it exited 0, and had the other
        # push been killed before its clean-up, the copies stayed unsaid)
        many = "100 or more" if result.repeated_left >= 100 else f"{result.repeated_left:,}"
        repeated_left_warning(result.project, many, "are in")
    if result.failed:
        echo(
            f"error: {result.failed} passage(s) failed (named above); fix the cause and run "
            "the same push again to resume."
        )
        raise typer.Exit(1)
    if result.repeated_left:
        raise typer.Exit(1)


def _placed(result: PushResult, title: str) -> str:
    """`` (N tasks; +M now, priority HI..LO; K of this file already there, priority
    HI..LO)``: what ``title`` holds after the push, what this push put there and what of
    the file it held already (passE51 E2/E6: the result line named the projects, not which
    got the tasks, nor where this push's riskiest went; passK54 K2: a push run again after
    an interruption said nothing of where the first run had put the riskiest)."""
    held = result.held.get(title)
    if held is None:
        return ""
    got = result.placed.get(title)
    now = f"; +{got[0]:,} now, priority {got[1]:.4g}..{got[2]:.4g}" if got else ""
    there = result.already.get(title)
    before = (
        f"; {there[0]:,} of this file already there, priority {there[1]:.4g}..{there[2]:.4g}"
        if there
        else ""
    )
    return f"  ({counted(held, 'task')}{now}{before})"


def riskiest_line(result: PushResult) -> str | None:
    """The note of a push into a set whose file's riskiest passages are in a project after
    its first: a team working the projects in order would reach them last. They are where
    this push put them (`#1` holds the riskiest of an earlier push, not of this one), or
    where an earlier run of the same push, cut short, did (``result.already``); a re-run
    whose first run filled `#1` with the file's riskiest gets no note (passK54 K2: it
    said to work `#2` first, which held passages 6x less risky)."""
    titles = list(result.projects)
    if not titles:
        return None
    top: dict[str, float] = {}  # title -> the highest priority of the file's passages there
    for title, (_, hi, _) in [*result.already.items(), *result.placed.items()]:
        top[title] = max(top.get(title, hi), hi)
    if not top:
        return None
    # the highest; of equal ones, the first in fill order
    where = max(top, key=lambda t: (top[t], -titles.index(t) if t in titles else 0))
    if where == titles[0]:
        return None
    sent = result.placed.get(where)
    if sent is not None and sent[1] >= top[where]:
        what = (
            f"this push's riskiest passages (priority up to {top[where]:.4g}) went to "
            f"{where!r}, the first project with room"
        )
    else:
        what = (
            f"this file's riskiest passages (priority up to {top[where]:.4g}) are in "
            f"{where!r}, which held {result.already[where][0]:,} of them before this push "
            "(an earlier run of it, cut short, or of a file holding them)"
        )
    first = result.already.get(titles[0]) or result.placed.get(titles[0])
    if first is None:
        held = f"{titles[0]!r} holds the riskiest of earlier pushes"
    else:
        held = (
            f"{titles[0]!r} holds less risky passages of this file (priority up to {first[1]:.4g})"
        )
    return (
        f"note: {what}; {held}. Have {where!r} worked first for this batch's urgent "
        f"passages (`annotate escalations --project {result.project!r}` lists what "
        "reviewers escalate)."
    )


def import_order_line(result: PushResult) -> str | None:
    """The note of a push that added tasks to a project holding earlier pushes' tasks: its
    Queue tab lists every task by priority, riskiest first, whatever the push that made
    it, but Label Studio's "Label All Tasks" serves open tasks by task id (its front end
    sends no ordering, and the project's Sequential sampling takes the lowest id; Uniform
    would serve at random, and no Community setting follows the tab), so a riskier
    passage of this push comes after the open tasks earlier pushes left there. None when
    no project that held tasks got new ones, nor one whose tasks before were all of this
    file and at least as risky as those it got (a push cut short, run again: its first
    run's riskier tasks come first, as they should; passS57), nor one whose tasks before
    were all answered (Label Studio serves the new ones first; newuser60 F6)."""
    behind = []
    for title, (made, top, _) in result.placed.items():
        held = result.held.get(title)
        there = result.already.get(title)
        if there is not None and held is not None and there[0] >= held - made and there[2] >= top:
            continue
        served = result.open_before.get(title)
        if served == 0:  # every task there answered: Label All Tasks serves the new first
            continue
        if made and held is not None and held > made:
            of = "" if served is None else f", {served:,} of them open"
            behind.append(f"{title!r}: +{made:,} after {held - made:,} there before{of}")
    if not behind:
        return None
    return (
        f"note: tasks added to a project holding earlier pushes' tasks ({'; '.join(behind)}): "
        "its Queue tab lists them by priority, riskiest first, but Label Studio's \"Label All "
        'Tasks" serves them after the open tasks already there (task id: import order, not '
        'priority); reviewers who should take the riskiest first use "Label Tasks As '
        'Displayed" on the Queue tab.'
    )


def size_lines(result: PushResult, given: int | None) -> list[str]:
    """The note on the part size of a push into a set that records one: kept from the
    record (no --max-tasks-per-project), or changed by the option."""
    recorded = result.max_tasks_recorded
    if result.max_tasks_inferred:
        return [
            f"note: {result.project!r} recorded no part size (cut by an earlier annotate); "
            f"its first project holds {result.max_tasks:,} tasks, taken as the size and "
            "recorded (--max-tasks-per-project changes it)"
        ]
    if recorded is None:
        return []
    if given is None:
        return [
            f"note: {result.project!r} is cut at {recorded:,} tasks a project (recorded by "
            "an earlier push's --max-tasks-per-project; pass it to change that)"
        ]
    if given != recorded:
        return [
            f"note: {result.project!r} was cut at {recorded:,} tasks a project; this push "
            f"used {given:,} (--max-tasks-per-project), recorded for the next pushes"
        ]
    return []


def repeated_left_warning(project: str, many: str, where: str) -> None:
    """The warning of a push that leaves passages more than once in ``project``, copies
    another push made (``many``: how many, ``where``: "are in" a project, "are twice in a
    queue of" a review set); the caller exits 1."""
    echo(
        f"warning: {many} passage(s) {where} {project!r} more than once, as copies "
        "another push made (one importing at the same time, e.g. from another machine, "
        "or one stopped before it removed them); this push left them alone, so reviewers "
        f"may be served a passage twice. Fix: once no other push into {project!r} runs, "
        "run the same `annotate push` again: it removes the copies still there (keeping "
        "each passage's oldest task and every answered, skipped or drafted one) and says so"
    )


def _titles(titles: list[str]) -> str:
    """Project titles for a line: each one quoted, or the first and last of more than four
    ("'W #1' ... 'W #12' (12)")."""
    if len(titles) <= 4:
        return ", ".join(repr(t) for t in titles)
    return f"{titles[0]!r} ... {titles[-1]!r} ({len(titles)})"


def other_licence_warning(
    project: str, count: int, examples: list[tuple[str, int, str | None, str]]
) -> None:
    """The push summary's warning on passages already there under another licence than
    the file records (none: no line)."""
    if not count:
        return
    shown = ", ".join(
        f"{pid!r}: task {task} {theirs or 'none'!r}, file {ours!r}"
        for pid, task, theirs, ours in examples
    )
    echo(
        f"warning: {counted(count, 'passage')} of this file {'is' if count == 1 else 'are'} "
        f"already in {project!r} under another licence than the file records, or none (e.g. "
        f"{shown}): push leaves tasks already there as they are, so the export keeps the "
        "task's licence. Fix: if the file's is right, set `license` in those tasks' data in "
        "Label Studio (Data Manager, filter by passage_id) before exporting."
    )


def other_text_warning(
    project: str, count: int, examples: list[tuple[str, int, str]], path: Path
) -> None:
    """The push summary's warning on passages already there under their id whose task holds
    another text than the file's row (none: no line). The texts are not shown: they may
    hold personal data (a hand-masked e-mail address)."""
    if not count:
        return
    from annotate._util.shown import shown as shown_path

    listed = "; ".join(f"{pid!r} ({where}): task {task}" for pid, task, where in examples)
    echo(
        f"warning: {counted(count, 'passage')} already in {project!r} "
        f"{'holds' if count == 1 else 'hold'} other text than {shown_path(path)} under the "
        f"same id (e.g. {listed}): push leaves tasks already there as they are (counted as "
        "skipped), so reviewers label the old text. Fix: delete those tasks in Label Studio "
        "(Data Manager, filter by passage_id; answers on them go with them) and push again, "
        "which sends this file's text; or give each changed passage a new id and push again "
        "(the old task then stays, with the old text)."
    )


def other_source_warning(
    project: str, count: int, examples: list[tuple[str, int, str, str]]
) -> None:
    """The push summary's warning on passages already there under their id whose task was
    ingested from another input file (none: no line). An ingest passage id hashes the
    document id and the text, so both rows hold the same text: most often one source's
    export taken again (a weekly batch overlapping the last, ingested without
    ``--previous``: nothing is lost, and ``--id-prefix`` would push those passages again
    as new ones), else two sources' colliding document ids (the second one's provenance
    recorded nowhere: the fix is ``ingest --id-prefix``). Nothing recorded tells the two
    apart, so the line gives the first case's advice first (newuser60 #7)."""
    if not count:
        return
    listed = "; ".join(
        f"{pid!r}: task {task} from {theirs!r}, this file's row from {ours!r}"
        for pid, task, theirs, ours in examples
    )
    more = f" and {count - len(examples)} more" if count > len(examples) else ""
    are = "is" if count == 1 else "are"
    echo(
        f"warning: {counted(count, 'passage')} of this file {are} already in {project!r} "
        f"under the same passage id from another input file (e.g. {listed}{more}), "
        "counted as skipped: the task keeps the other file's source (files are compared by "
        "name and, where ingest recorded it, the folder they were read from). If both files "
        "are one source's (an export taken again under another name or from another folder, "
        "e.g. this week's batch overlapping last week's), nothing is lost: those passages "
        "are the rows already pushed, and none was pushed twice. Fix: ingest this file "
        "again, and each later batch, with `--previous` naming the earlier runs' --out "
        "files (e.g. `annotate ingest week2.csv --previous week1.parquet --out "
        "...`), which drops the rows already ingested before prelabel; not with "
        "--id-prefix, which would push them again as new passages. Only if the files are "
        "two sources whose document ids coincide (two platforms' tables whose ids both "
        "count from 1, a row of each with the same text) is this row's source recorded "
        "nowhere: then ingest each source with its own --id-prefix (e.g. `annotate ingest "
        "discord.jsonl --id-prefix discord: --out ...`), pre-label and push again: its "
        "passages then get ids of their own."
    )


def late_copies_note(count: int) -> None:
    """The push summary's line on late copies it deleted (none: no line)."""
    if count:
        echo(
            f"removed {counted(count, 'late copy', 'late copies')}: a second, unanswered task "
            "of a passage, made by an earlier run's import request that a slow server "
            "carried out after that run ended, or by another push importing at the same time"
        )


def reposts_note(count: int, examples: list[tuple[str, str, int, int]]) -> None:
    """The summary line of a push that left re-posts out (each is logged: -v lists them)."""
    if not count:
        return
    shown = "; ".join(
        f"{pid!r} ({where}): task {task} of project {project}"
        for pid, where, project, task in examples
    )
    more = " (-v lists each)" if count > len(examples) else ""
    them = "it" if count == 1 else "them"
    echo(
        f"{counted(count, 're-posted passage')} already in the project left out (same text "
        f"as an existing task); --keep-reposts pushes {them}. E.g. {shown}{more}"
    )


def moved_documents_note(count: int, examples: list[tuple[str, str]]) -> None:
    """The push summary's line on re-posts that are the same document ingested under
    another path (none: no line; passG52 G10)."""
    if not count:
        return
    shown = ", ".join(f"{here!r} here, {held!r} in the project" for here, held in examples)
    are = "is" if count == 1 else "are"
    echo(
        f"{count:,} of the re-posted passages {are} the same document ingested under "
        f"another id ({shown}), not a re-post: a document id is the file's path relative to "
        "the folder given to `annotate ingest`, so ingesting a sub-folder, or the folder "
        "from another level, names the same file otherwise. Nothing was pushed twice. Fix: "
        "give ingest the same folder each time (or the same --id-prefix and folder)."
    )


def renamed_documents_warning(
    project: str, count: int, examples: list[tuple[str, str, str, int]]
) -> None:
    """The push summary's warning on passages already there under the document id an
    earlier annotate wrote for a whole-number id read as a float (none: no line)."""
    if not count:
        return
    shown = ", ".join(
        f"document {doc!r} here, {held!r} on task {task}" for _, doc, held, task in examples
    )
    echo(
        f"warning: {counted(count, 'passage')} of this file {'is' if count == 1 else 'are'} "
        f"already in {project!r} under another document id (e.g. {shown}): the same text at "
        "the same place of the document, pushed when annotate wrote a whole-number id that "
        "pandas stored as a float (an integer column with an empty cell) as '7.0'; it writes "
        "'7' now, so these passages have new ids. Left out, as already there (not re-posts, "
        "and --keep-reposts does not push them: each would get a second task); their tasks "
        "keep their answers and earlier predictions, and the export their earlier ids. Fix: "
        "nothing to do for these; an edited document's new passages are pushed under the new "
        "id, so before exporting check such documents in Label Studio (Data Manager, filter "
        "by doc_id, both forms)."
    )


def unknown_neighbours_warning(project: str, tasks: int) -> None:
    """The warning of every push path that made tasks showing a note for a neighbour their
    row carries (``ingest --previous``) with no task in the project (set)."""
    if not tasks:
        return
    echo(
        f"warning: {tasks} task(s) show a note instead of a neighbouring passage: their "
        "file (of `ingest --previous`) gives the text of unchanged neighbours reviewed in an "
        f"earlier batch, but those have no task in {project!r}, so whether they carry a "
        "content warning is unknown. Fix: push the earlier batch's pre-labels into this "
        "project before the later batch's (tasks already created keep the note)."
    )


def other_versions_warning(
    project: str, tasks: int, documents: int, examples: list[tuple[str, int]]
) -> None:
    """The warning of every push path (one project, numbered ones, a review set) that finds
    tasks of an earlier version of a document of the file (:mod:`annotate.studio.versions`):
    once a push, each document counted once."""
    if not tasks:
        return
    shown = ", ".join(f"{doc!r}: task {task}" for doc, task in examples)
    echo(
        f"warning: {project!r} already holds {tasks} task(s) "
        f"of {documents} document(s) of this file with a passage "
        f"this file does not have (e.g. {shown}): an earlier version of the document "
        "(edited, or split otherwise, since it was pushed) or another document given the "
        "same id; the push leaves those tasks in place, so reviewers get both texts and "
        "the export holds both. Counted: tasks of a document the file holds whole, and of "
        "one a file of `ingest --previous` holds in part, only those at a passage_index "
        "the file rewrites or past the document's end, when the file ends it (the passages "
        "an edit did not change are left out of such a file and keep their tasks: not "
        "counted; keep them). Fix: if the earlier text should not be reviewed, delete its "
        "tasks that hold no answer in Label Studio (Data Manager, filter by doc_id and by "
        "the passage_index of the file's rows of that document, or past its last; deleting "
        "a task deletes its answers too, so keep the answered ones "
        "or export first). Documents that only share an id: give them distinct ids "
        "(--id-column) and ingest again."
    )


# options that only one kind of push reads: (option, parameter name)
_PLAIN_ONLY = (
    ("--batch-size", "batch_size"),
    ("--on-error", "on_error"),
    ("--stop-on-error", "stop_on_error"),
    ("--wait", "wait"),
    ("--max-tasks-per-project", "max_tasks_per_project"),
)
_REVIEW_ONLY = (("--reviewer", "reviewer"),)


def _refuse_unused_options(ctx: typer.Context, review_set: bool, has_gold: bool) -> None:
    """InputError for an option given on the command line that this push would ignore."""
    from annotate.errors import InputError

    def given(param: str) -> bool:
        source = ctx.get_parameter_source(param)
        return source is not None and source.name != "DEFAULT"

    if given("gold_rate") and not has_gold:
        raise InputError(
            "--gold-rate was given without --gold, so no gold task would be mixed in.",
            fix="add --gold GOLD_TABLE (a prelabel table with gold_labels), or drop --gold-rate.",
        )
    if review_set:
        unused = [opt for opt, param in _PLAIN_ONLY if given(param)]
        if unused:
            raise InputError(
                f"{', '.join(unused)} only {'applies' if len(unused) == 1 else 'apply'} to a "
                "push into one project; a push with --reviewers-per-task or --gold (a review "
                f"set) does not read {'it' if len(unused) == 1 else 'them'}.",
                fix=f"drop {', '.join(unused)}.",
            )
    elif unused := [opt for opt, param in _REVIEW_ONLY if given(param)]:
        what = "picks the reviewers of a review set"
        raise InputError(
            f"{unused[0]} {what}, but this push has neither --reviewers-per-task K (K > 1) "
            "nor --gold, so it would be ignored.",
            fix=f"add --reviewers-per-task 2 (or more), or drop {unused[0]}.",
        )
    elif given("max_graphic_per_reviewer"):
        raise InputError(
            "--max-graphic-per-reviewer caps the graphic passages of each reviewer's queue "
            "in a review set, but this push has neither --reviewers-per-task K (K > 1) nor "
            "--gold (every reviewer shares one project), so it would be ignored.",
            fix="add --reviewers-per-task 2 (or more), or drop --max-graphic-per-reviewer.",
        )


def model_switch_note(where: str, now: str, before: str, *, shows: str = "shows") -> str:
    """What a push that changed the model ``where`` shows reviewers says: ``now`` instead
    of ``before``, and how to show ``before``'s again. ``before`` may be no model but the
    blank start of an adjudication project (:data:`annotate.review.adjudication.
    BLANK_START`), which `annotate adjudicate` shows, not a push."""
    from annotate.review.adjudication import BLANK_START

    if before == BLANK_START:
        return (
            f"{where} now {shows} the lead the pre-annotations of {now} instead of a blank "
            "start; `annotate adjudicate` of the review set puts the blank start back on the "
            "passages its reviewers disagree on (a push into it is refused since stop 48)."
        )
    return (
        f"{where} now {shows} reviewers the pre-annotations of {now} instead of {before} "
        f"(both models' predictions stay on its tasks); push {before}'s pre-labels again to "
        "show that model's instead."
    )
