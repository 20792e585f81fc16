"""`annotate push`: pre-labelled passages -> a Label Studio project, with predictions.

The project (title = ``--project``) is created or updated from labels.yaml. Tasks are
imported in batches, likeliest harm first, then the most doubt about harm
(:func:`annotate.studio.tasks.priority`; task ids follow import order, and
``data.priority`` is a sortable column). A push is idempotent and resumable: the
passage ids already in the project are read back from the server before anything is
imported, and only the missing passages are sent; so is no re-post (a passage whose
exact text a task already holds under another passage id: the same statement in another
document) unless asked for. Pushes into one project from this
machine run one at a time (:mod:`annotate.studio.lock`). After importing, the server's
own task and prediction counts are checked against what each project held before plus
what this run created; only when they disagree (or an import answer reported less than
was sent) is the project re-read and reconciled (one task per passage, each with its
prediction).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from annotate import defaults
from annotate._util.licence_tally import pushed_license
from annotate._util.passage_ids import passage_id, text_key
from annotate._util.progress import (
    ProgressFn,
    advance,
    begin,
    counted,
    finish,
    in_flight,
    set_total,
)
from annotate._util.repeated import FirstFew
from annotate.corpus.licenses import task_license
from annotate.errors import (
    InputError,
    StudioAuthError,
    StudioError,
    StudioNotFoundError,
    StudioServerError,
    StudioUnavailableError,
    TaxonomyError,
)
from annotate.review.parents import link_parents
from annotate.review.rehide import HidingRefresh
from annotate.review.rehide_pages import refresh_projects
from annotate.review.view import (
    SOURCE_FIELDS,
    carried_context,
    hide_in_queue_tab,
    link_neighbours,
    order_queue_tab,
    project_view_settings,
    set_up_views,
    set_up_views_unless_made,
)
from annotate.studio import pushed_projects
from annotate.studio.client import (
    ImportAnswer,
    StudioClient,
    connect,
    storage_said,
    task_hidden,
)
from annotate.studio.drafts import tasks_with_drafts
from annotate.studio.label_config import (
    HistoryEntry,
    LabelConfig,
    config_taxonomy_name,
    config_taxonomy_sha256,
    config_taxonomy_version,
    label_words,
    parse_label_config,
    project_label_config,
    same_label_config,
    taxonomy_history,
    with_history,
)
from annotate.studio.lock import DEFAULT_WAIT_S, project_lock
from annotate.studio.prior_parents import read_prior_parents
from annotate.studio.project_copies import delete_gone_ok, keep_oldest
from annotate.studio.projects import (
    DEFAULT_MAX_TASKS_PER_PROJECT,
    LIST_FIELDS,
    ProjectSet,
    adjudication_set_of,
    check_numbered_titles,
    next_numbered_title,
    part_size_of,
    project_set,
    recorded_part_size,
    reserved_name_error,
    review_set_of,
    short_name_error,
    title_on_server,
    twin_error,
    with_part_size,
)
from annotate.studio.reposts import record_reposts, repost_where
from annotate.studio.retry import late_loss, read_back, retry_lost
from annotate.studio.shown_text import passage_text
from annotate.studio.staging import CHUNK_ROWS, Staging, input_file_of, repeated_ids_error, staging
from annotate.studio.tasks import (
    MODEL_DATA_FIELDS,
    PASSAGE_ID_FIELD,
    PRIORITY_FIELD,
    require_prelabels,
    row_to_task,
)
from annotate.studio.versions import task_index
from annotate.table_schemas import NEIGHBOUR_COLUMNS
from annotate.tables import iter_rows_located
from annotate.taxonomy import Taxonomy, TaxonomyRef, as_taxonomy, check_stable_ids

log = logging.getLogger(__name__)

OnError = Literal["continue", "stop", "raise"]
# project id, after (a task id or None) -> (task id, passage id, model versions[,
# document id[, content warning[, text_key of the text[, meta[, passage index]]]]])
Reader = Callable[..., Iterator[tuple[Any, ...]]]
ON_ERROR: tuple[OnError, ...] = defaults.ON_ERROR  # type: ignore[assignment]
DEFAULT_BATCH_SIZE = defaults.DEFAULT_BATCH_SIZE


@dataclass
class PushResult:
    project_id: int
    project: str
    project_url: str
    model_version: str
    total: int = 0
    created: int = 0
    skipped: int = 0
    predictions_added: int = 0  # new-model predictions added to tasks already there
    # tasks already there whose model columns (model_version, model_labels, model_scores)
    # were set to the model of the prediction added to them
    task_data_updated: int = 0
    predictions_repaired: int = 0  # predictions the server dropped on import, sent again
    duplicates_removed: int = 0  # tasks of this run that another run had also created
    # passages in the project more than once, not all made by this push (another push's
    # copies, made at the same time, or left by one stopped before it removed them): left
    # alone, at most the first 100 counted; the next push removes those still there
    repeated_left: int = 0
    # passages more than once before this push began, whose copies the start's clean-up
    # keeps (answered, skipped or drafted ones): not in ``repeated_left`` (no push removes them)
    repeated_before: set[str] = field(default_factory=set)
    # unanswered extra tasks of a passage an earlier run's lost request made after that
    # run ended (a slow server), deleted by this one
    late_copies_removed: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    project_created: bool = False
    projects: dict[str, int] = field(default_factory=dict)  # title -> id, fill order
    projects_created: list[str] = field(default_factory=list)  # titles this push made
    # title -> the model version the project showed before this push made it show this one
    model_version_replaced: dict[str, str] = field(default_factory=dict)
    # tasks already there holding a passage of a document of the file that the file no
    # longer holds (an edited document pushed again): tasks, documents, (doc id, task id)
    other_version_tasks: int = 0
    other_version_documents: int = 0
    other_version_examples: list[tuple[str, int]] = field(default_factory=list)
    # tasks created showing a note for a neighbour their row carries (ingest --previous:
    # an unchanged passage of an edited document) that has no task in the projects read,
    # so whether it carries a content warning is unknown
    unknown_neighbours: int = 0
    # passages left out because a task of another passage already holds their exact text
    # (a statement re-posted in another document; keep_reposts pushes them): how many,
    # and the first few (passage id, where in the file, project id, task id holding it)
    reposts: int = 0
    repost_examples: list[tuple[str, str, int, int]] = field(default_factory=list)
    # of them, the same passage of the same document ingested under another path (its
    # document id here ends the task's, or the task's ends it: ingest given another
    # folder level): how many, and the first few (document id here, the task's)
    moved: int = 0
    moved_examples: list[tuple[str, str]] = field(default_factory=list)
    reposts_recorded: int = 0  # tasks given a record of them (annotate.studio.reposts)
    # passages of the file already there under the document id an earlier annotate gave
    # a whole-number id read as a float ('7.0', now '7'): left out, not re-posts; how
    # many, and the first few (passage id, its document id, the task's, task id)
    renamed: int = 0
    renamed_examples: list[tuple[str, str, str, int]] = field(default_factory=list)
    # passages of the file already there whose task records another licence (or none)
    # than the file's row: left as they are, so the export keeps the task's; how many,
    # and the first few (passage id, task id, the task's licence, the file's)
    other_licence: int = 0
    other_licence_examples: list[tuple[str, int, str | None, str]] = field(default_factory=list)
    # passages of the file already there under their id whose task holds another text
    # than the file's row (compared by digest): left as they are, so reviewers label the
    # task's text; how many, and the first few (passage id, task id, where in the file)
    other_text: int = 0
    other_text_examples: list[tuple[str, int, str]] = field(default_factory=list)
    # passages of the file already there under their id whose task was ingested from
    # another input file (Staging.other_sources: most likely two sources' colliding
    # document ids; ingest --id-prefix keeps them apart): left as they are; how many, and
    # the first few (passage id, task id, the task's input file, the row's)
    other_source: int = 0
    other_source_examples: list[tuple[str, int, str, str]] = field(default_factory=list)
    # the wellbeing rule of labels.yaml applied to the tasks already there: open ones
    # brought up to it, answered ones kept as seen (annotate.review.rehide)
    hiding: HidingRefresh = field(default_factory=HidingRefresh)
    # the part size the push used (--max-tasks-per-project, else the one the set records,
    # else the default) and the one the set recorded before it (None: none)
    max_tasks: int = DEFAULT_MAX_TASKS_PER_PROJECT
    max_tasks_recorded: int | None = None
    # no size given nor recorded: the one of a set's first project (a set cut before the
    # size was recorded), then recorded
    max_tasks_inferred: bool = False
    # title -> (tasks this push created there, the highest and lowest priority among
    # them), fill order: where this push's riskiest passages went
    placed: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    # title -> the tasks each project of the name holds after the push (as counted)
    held: dict[str, int] = field(default_factory=dict)
    # title -> the tasks of each project there before the push that Label Studio still
    # serves ("Label All Tasks": not finished, by its own count), None where the server
    # did not say: a push's new tasks come after them only
    open_before: dict[str, int | None] = field(default_factory=dict)
    # title -> (passages of the file each project held before this push, left out as
    # already there, and their highest and lowest priority): an earlier run of the same
    # push (one cut short) put them there, its riskiest first (passK54 K2)
    already: dict[str, tuple[int, float, float]] = field(default_factory=dict)


def push(
    prelabels: str | os.PathLike[str],
    project: str,
    *,
    taxonomy: TaxonomyRef = None,
    client: StudioClient | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_error: OnError = "continue",
    progress: ProgressFn | None = None,
    after_batch: Callable[[int, list[int]], None] | None = None,
    lock_wait_s: float = DEFAULT_WAIT_S,
    reading: ProgressFn | None = None,
    recreate_deleted: bool = False,
    max_tasks_per_project: int | None = None,
    keep_reposts: bool = False,
    new_name: bool = False,
    checking: ProgressFn | None = None,
) -> PushResult:
    """Create/update ``project`` and import the passages of ``prelabels`` not yet in it.

    ``prelabels``: a prelabel table (JSONL/Parquet, see :func:`annotate.prelabeling.prelabel`).
    The project's labeling config is rendered from ``taxonomy`` (a loaded Taxonomy or a
    taxonomy file; None: the default labels.yaml). Tasks are imported riskiest first, in
    batches of ``batch_size`` (one request each). Passages already in the project (by
    ``passage_id``) are skipped, so a re-run resumes. ``client``: default
    :func:`annotate.studio.client.connect`.

    A re-post is left out too, unless ``keep_reposts``: a passage whose exact text (the
    key ingest drops exact duplicates by, :func:`annotate._util.passage_ids.text_key`) a
    task of the project (or its numbered projects) holds under the id of a passage the
    file does not have: the same statement in another document (a new URL or thread),
    ingested without ``--previous``, which reviewers have already seen. Counted in
    ``PushResult.reposts`` (a few in ``repost_examples``), each logged with the task that
    holds its text, and recorded on that task (its ``meta``,
    :mod:`annotate.studio.reposts`); neither pushed nor a failure. Tasks of the file's own
    passages do not count, so a re-run after an interruption leaves out the same ones.
    A passage a task holds under the document id an earlier annotate wrote for a
    whole-number id read as a float (``7.0``; ``7`` now) is left out always, and is no
    re-post: ``PushResult.renamed`` (:meth:`annotate.studio.staging.Staging.renamed`).

    Memory does not grow with the file: rows are checked and staged chunk by chunk in a
    temporary DuckDB database (:mod:`annotate.studio.staging`), which sorts them and
    leaves out the passages the server already holds (read page by page).

    A project holds at most ``max_tasks_per_project`` tasks: a push that does not fit
    fills ``project`` (if it exists) and then numbered projects ``project #1``,
    ``project #2``, ... (:mod:`annotate.studio.projects`), which export, agreement and
    adjudicate read as one. ``PushResult.project_id`` is the last project written to.
    The size given is recorded in each project's description
    (:data:`annotate.studio.projects.PART_SIZE_PREFIX`); None (not given): the size the
    set records, else :data:`DEFAULT_MAX_TASKS_PER_PROJECT` (then nothing is recorded).
    ``PushResult.placed`` says how many tasks each project got and their priority range.

    ``on_error`` says what a batch the server refuses does: ``"continue"`` splits it until
    only the bad rows fail, records each in ``PushResult.failed``/``errors`` and goes on;
    ``"stop"`` does the same and imports no more; ``"raise"`` raises its StudioError at
    once.

    Pushes into the same project from this machine run one at a time: a second one
    waits up to ``lock_wait_s`` seconds, then raises StudioError. After importing, every
    passage of the file must be there exactly once with this model's prediction. That
    holds when each import answer reported every task and prediction sent and each
    project's task and prediction counts (the server's) equal what it held before plus
    what this run created; otherwise the projects are re-read: duplicates this run made
    (a push elsewhere at the same time) are removed, predictions the server dropped are
    sent again, and whatever is still missing is counted in ``failed`` and named in
    ``errors``. A title shared by several
    projects raises StudioError naming them, and so does a review set's name
    (``--reviewers-per-task``); dropping or renaming labels of a project with
    annotations raises TaxonomyError. An unreachable server or a refused token always
    raises. ``progress(n)`` is called with each batch's size; ``after_batch(batch_number,
    task_ids)`` after each imported batch. ``reading(n)`` is called before any of that,
    with each task read from the projects already there (what they hold: the passage ids
    a re-run leaves out, read page by page), and closed once they are read
    (:func:`annotate._util.progress.finish`); its clock starts when the reading does
    (:func:`annotate._util.progress.begin`), ``progress``'s when the sending does, so each
    one's time and rate count its own work. ``checking(n)`` is called before both, with
    the rows of the file checked and staged (a chunk at a time), and closed then: a push
    into a new name read nothing, and its ``read`` stage showed the checking's time
    ("read: 0 tasks done in 34 s", passK54 K4).

    A project of ``project`` that a push from this machine made or filled and that is
    gone from the server (deleted in Label Studio: its answers with it) raises StudioError
    before anything is sent, unless ``recreate_deleted`` (it is made again as needed):
    :mod:`annotate.studio.pushed_projects`.

    Raises InputError (bad table, batch_size or max_tasks_per_project < 1, unknown
    on_error), SchemaError, PredictionError (a row that does not fit the labeling
    config), TaxonomyError, StudioError and its subclasses.
    """
    if batch_size < 1:
        raise InputError(
            f"batch size must be at least 1, found {batch_size}.", fix="--batch-size 500"
        )
    if max_tasks_per_project is not None and max_tasks_per_project < 1:
        raise InputError(
            f"max tasks per project must be at least 1, found {max_tasks_per_project}.",
            fix=f"--max-tasks-per-project {DEFAULT_MAX_TASKS_PER_PROJECT}",
        )
    if on_error not in ON_ERROR:
        raise InputError(
            f"on_error must be one of {', '.join(ON_ERROR)}, found {on_error!r}.",
            fix="--on-error continue",
        )
    path = Path(prelabels)
    tax = as_taxonomy(taxonomy)
    label_config = tax.render_label_config()
    config = parse_label_config(label_config)

    with staging() as stage:
        begin(checking)
        total = stage.stage_file(path, tax, config, checking)
        finish(checking)
        versions = stage.model_versions()
        model_version = versions[0][0]
        if len(versions) > 1:
            log.warning(
                "%s holds %d model versions; the project shows %r",
                path,
                len(versions),
                model_version,
            )
        client = client or connect()
        with project_lock(client.url, project, wait_s=lock_wait_s):
            return _push_locked(
                client,
                project,
                stage,
                total,
                tax,
                label_config,
                model_version,
                config=config,
                batch_size=batch_size,
                on_error=on_error,
                progress=progress,
                after_batch=after_batch,
                max_tasks=max_tasks_per_project,
                reading=reading,
                recreate_deleted=recreate_deleted,
                comma_free=all("," not in v for v, _ in versions),
                keep_reposts=keep_reposts,
                new_name=new_name,
            )


def near_name_error(client: StudioClient, project: str) -> InputError | None:
    """The error of a push into ``project``, a name no project has yet, when the name is
    a slip of an existing project's or review set's (the rule of
    :func:`annotate.review.set_names.close_set_names`: the same numbers, alike words, so
    ``Batch Dec-3`` beside ``Batch Dec-03``, not ``Batch 13`` beside ``Batch 12``): a new
    project would hold its passages again, to be reviewed a second time. None otherwise."""
    from annotate.review.set_names import close_set_names

    names: dict[str, str] = {}  # name -> "project" or "review set"
    for proj in client.list_projects(include=LIST_FIELDS):
        if (name := review_set_of(proj)) is not None:
            names[name] = "review set"
            continue
        title = str(proj.get("title") or "")
        if title.endswith(" · adjudication"):  # a review set's lead project
            continue
        head, sep, number = title.rpartition(" #")
        names.setdefault(head if sep and number.isdigit() else title, "project")
    near = close_set_names(project, sorted(names))
    if not near:
        return None
    return InputError(
        f"no project {project!r} yet, and its name is close to the {names[near[0]]} "
        f"{near[0]!r}: a new project would hold passages again that reviewers may have "
        "answered there.",
        fix=f"pass --project {near[0]!r} to push into it, or add --new-set if {project!r} is "
        "a new project on purpose.",
    )


def _push_locked(
    client: StudioClient,
    project: str,
    stage: Staging,
    total: int,
    tax: Taxonomy,
    label_config: str,
    model_version: str,
    *,
    config: LabelConfig,
    batch_size: int,
    on_error: OnError,
    progress: ProgressFn | None,
    after_batch: Callable[[int, list[int]], None] | None,
    max_tasks: int | None,
    comma_free: bool,
    keep_reposts: bool = False,
    new_name: bool = False,
    reading: ProgressFn | None = None,
    recreate_deleted: bool = False,
) -> PushResult:
    members = project_set(client, project)
    if (reserved := reserved_name_error(client, project, members)) is not None:
        raise reserved
    if (twin := twin_error(members)) is not None:
        raise twin
    if (short := short_name_error(members)) is not None:
        raise short
    if members.kind != "review":  # a review set's queues: refused below, recorded by -k
        ids = [int(p["id"]) for p in members.projects]
        pushed_projects.check_deleted(
            pushed_projects.server_of(client),
            project,
            ids,
            recreate=recreate_deleted,
            what="project",
            title_now=lambda pid: title_on_server(client, pid),
        )
    near = None if members.kind != "none" or new_name else near_name_error(client, project)
    if near is not None:
        raise near
    if members.kind == "review":
        from annotate.review.queues import recorded_k

        k = recorded_k(members.projects)
        same = "the same --reviewers-per-task" if k is None else f"--reviewers-per-task {k}"
        raise StudioError(
            f"{project!r} is a review set ({len(members.projects)} reviewer projects made by "
            "`annotate push --reviewers-per-task`"
            + ("" if k is None else f", {k} per passage")
            + "); a plain push would make a project its export ignores.",
            fix=f"push with {same}, or use another --project name.",
        )
    queue_of = [review_set_of(p) for p in members.projects if review_set_of(p) is not None]
    if queue_of:
        raise StudioError(
            f"{project!r} is one reviewer's queue of the review set {queue_of[0]!r}; a plain "
            "push would give that reviewer every passage, outside the set's assignment.",
            fix=f"push with --project {queue_of[0]!r} and its --reviewers-per-task.",
        )
    lead_of = [adjudication_set_of(p) for p in members.projects if adjudication_set_of(p)]
    if lead_of:
        raise StudioError(
            f"{project!r} is the lead's adjudication project of the review set "
            f"{lead_of[0]!r}; a plain push would show the lead the model's pre-labels "
            "instead of a blank start and add passages of no dispute, whose answers the "
            "set's export and escalations never read.",
            fix=f"push into the review set with --project {lead_of[0]!r} and its "
            f"--reviewers-per-task; `annotate adjudicate --project {lead_of[0]!r}` fills "
            f"{project!r} with the passages its reviewers disagree on.",
        )
    projects = [dict(p) for p in members.projects]
    recorded_size = recorded_part_size(projects)
    given_size = max_tasks
    max_tasks = given_size or recorded_size or DEFAULT_MAX_TASKS_PER_PROJECT
    # the size to record in each project of the set: the one given, or kept; none when
    # neither (a push that never chose one records nothing)
    keep_size = given_size or recorded_size
    if given_size and recorded_size and given_size != recorded_size:
        log.info(
            "%r was cut at %d tasks a project; this push uses %d (recorded for the next)",
            project,
            recorded_size,
            given_size,
        )
    if stage.shown_cues:  # a subtitle cue's source_text kept out of the grid as its text is
        for proj in projects:
            hide_in_queue_tab(client, int(proj["id"]), tax, SOURCE_FIELDS)
    remembered = {int(p["id"]): str(p["title"]) for p in projects}
    pushed_projects.remember(pushed_projects.server_of(client), project, remembered)
    read = _reader(client, comma_free, tax.interface.text_field)
    begin(reading)  # its time: the reading below, not the checks and requests before it
    before: dict[int, tuple[int, int]] = {}  # project id -> (tasks, predictions) it held
    late_copies = 0  # tasks a lost request of an earlier run made after it ended
    repeated_before: set[str] = set()  # kept by the clean-up: no push removes them
    open_before: dict[int, int | None] = {}  # project id -> its tasks still served
    for proj in projects:
        before[int(proj["id"])] = _counts(client, int(proj["id"]))
        stage.load_present(int(proj["id"]), counted(read(int(proj["id"])), reading))
        gone = _drop_late_copies_of_earlier_runs(client, stage, int(proj["id"]))
        if gone:
            late_copies += gone
            before[int(proj["id"])] = _counts(client, int(proj["id"]))
        repeated_before |= stage.repeated_passages(int(proj["id"]))
        open_before[int(proj["id"])] = _served(client, int(proj["id"]))
    # the comments replies answer that an earlier batch pushed: their tasks, read by id
    read_prior_parents(client, stage, tax.interface.text_field)
    finish(reading)
    already = stage.already_there()  # the file's passages each project holds: left out
    # a changed labels.yaml wellbeing rule reaches the tasks already there too
    # the tasks it hides are marked for the neighbours rows carry, a page at a time
    hiding = (
        refresh_projects(
            client, list(before), tax, stage.pending_passages(), on_hidden=stage.mark_hidden
        )
        if before
        else HidingRefresh()
    )
    todo = stage.plan(keep_reposts=keep_reposts)
    set_total(progress, todo)
    begin(progress)  # its time and rate: the sending, not the reading above
    reposts, repost_examples = _log_reposts(stage, project)
    moved, moved_examples = stage.moved_documents() if reposts else (0, [])
    skipped = total - todo - reposts  # the renamed among them: they are there
    renamed, renamed_examples = stage.renamed()
    if renamed:
        log.info(  # the CLI warns (from the result)
            "%d passage(s) of this file are already in %r under the document id an earlier "
            "annotate wrote for a whole-number id read as a float, e.g. %s; left out",
            renamed,
            project,
            ", ".join(f"{d!r} here, {h!r} on task {t}" for _, d, h, t in renamed_examples),
        )
    other_tasks, other_docs, other_examples = stage.other_versions()
    if other_tasks:
        log.info(
            "%r holds %d task(s) of %d document(s) of this file whose passage the file does "
            "not hold (an earlier version of the document), e.g. %s",
            project,
            other_tasks,
            other_docs,
            ", ".join(f"{d!r} task {t}" for d, t in other_examples),
        )
    other_licence, licence_examples = stage.other_licences()
    other_text, text_examples = stage.other_texts()
    other_source, source_examples = stage.other_sources()
    if other_source:
        log.info(  # the CLI warns (from the result)
            "%d passage(s) of this file are already in %r under their id from another input "
            "file, e.g. %s: push leaves tasks already there as they are",
            other_source,
            project,
            ", ".join(
                f"{pid!r} task {t} from {a!r}, here {b!r}" for pid, t, a, b in source_examples
            ),
        )
    if other_text:
        log.info(  # the CLI warns (from the result); never the texts (personal data)
            "%d passage(s) of this file are already in %r under their id with another text, "
            "e.g. %s: push leaves tasks already there as they are",
            other_text,
            project,
            ", ".join(f"{pid!r} task {task}" for pid, task, _ in text_examples),
        )
    if other_licence:
        log.info(
            "%d passage(s) of this file are already in %r under another licence than the file "
            "records (or none), e.g. %s: push leaves tasks already there as they are, so the "
            "export keeps the task's licence",
            other_licence,
            project,
            ", ".join(
                f"{pid!r} task {task} {theirs or 'none'!r}, file {ours!r}"
                for pid, task, theirs, ours in licence_examples
            ),
        )
    unknown = stage.unknown_neighbours()
    if unknown:
        log.info(
            "%d task(s) to import show a note for a neighbouring passage their row carries: "
            "no task of it in %r",
            unknown,
            project,
        )
    counts = {int(p["id"]): stage.present_count(int(p["id"])) for p in projects}
    inferred = None
    if given_size is None and recorded_size is None and len(projects) >= 2:
        # a set cut before the size was recorded: its first project was filled to it (a
        # push fills one before the next), so that is the size, kept and recorded now
        inferred = counts[int(projects[0]["id"])] or None
        if inferred is not None:
            max_tasks = keep_size = inferred
            log.info("%r records no part size: its first project's %d taken", project, inferred)
    # a title too long for a numbered project is refused now, before any task is sent
    room = sum(max(0, max_tasks - n) for n in counts.values())
    # a push that may fill a project to its size asks the server what the project holds
    # before each batch: another push (from another machine: those of this one wait for
    # the lock) filling it at the same time would otherwise take it past the size
    split = sum(counts.values()) + todo > max_tasks
    check_numbered_titles(ProjectSet(project, members.kind, tuple(projects)), room, todo, max_tasks)
    log.info(
        "%r (%d project(s)): %d passages, %d already there, %d re-posts left out, %d to import",
        project,
        len(projects),
        total,
        skipped,
        reposts,
        todo,
    )

    created_project = False
    created_titles: list[str] = []
    made: list[dict[str, Any]] = []  # projects this push wrote to (created or not)

    def next_title() -> str:
        if not projects and todo <= max_tasks:
            return project  # everything fits one project: the plain name, as always
        return next_numbered_title(ProjectSet(project, "numbered", tuple(projects)))

    def register(proj: dict[str, Any], fresh: bool) -> dict[str, Any]:
        nonlocal created_project
        created_project = created_project or fresh
        if fresh:
            created_titles.append(str(proj["title"]))
        projects.append(proj)
        mark_size(proj)
        pushed_projects.remember(
            pushed_projects.server_of(client), project, {int(proj["id"]): str(proj["title"])}
        )
        counts.setdefault(int(proj["id"]), stage.present_count(int(proj["id"])))
        # a project made now is empty; one another run made meanwhile (taken instead of
        # ours) is not known to be: the check after the import re-reads it
        before.setdefault(int(proj["id"]), (0, 0) if fresh else (-1, -1))
        return proj

    def mark_size(proj: dict[str, Any]) -> None:
        """Record the part size in ``proj``'s description, where it differs."""
        if keep_size is not None and part_size_of(proj) != keep_size:
            description = with_part_size(str(proj.get("description") or ""), keep_size)
            client.update_project(int(proj["id"]), description=description)
            proj["description"] = description

    def open_project() -> dict[str, Any]:
        """The project the next task goes to: the first of the name with room, or a new one."""
        for proj in projects:
            if counts[int(proj["id"])] < max_tasks:
                return proj
        return register(
            *ensure_project(client, next_title(), label_config, tax, model_version, config)
        )

    def set_up() -> tuple[dict[str, Any], bool] | None:
        """Requests only (it runs beside the staging database's work): config and settings
        of the projects already there from labels.yaml, or the first project."""
        for proj in projects:
            ensure_project(client, str(proj["title"]), label_config, tax, model_version, config)
            # its Queue tab riskiest first, across pushes (a project made before plain
            # pushes' tabs were ordered, or one re-sorted in the Data Manager)
            order_queue_tab(client, int(proj["id"]), tax)
            mark_size(proj)
        if projects:
            return None
        return ensure_project(client, next_title(), label_config, tax, model_version, config)

    failed: dict[str, str] = {}
    refusals = Refusals()  # rows refused alone with one server error, in a row
    sent: dict[int, tuple[int, int]] = {}  # project id -> (tasks, predictions) created
    answers_short = False  # an import answer reported fewer than were sent
    start, number = 0, 0
    ahead = _Ahead(stage)
    # one request in flight at a time, on a worker thread: while the server sets the
    # project up, and then while it imports batch k, this thread builds the next batch
    # (the client's share of the work overlaps the server's); a batch is sent only once
    # the previous one's answer is in, so what a failure leaves behind is what a
    # sequential push leaves
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="annotate-import") as pool:
        setup = pool.submit(set_up)
        ahead.fill(0, min(batch_size, todo))
        first = setup.result()
        if first is not None:
            register(*first)
        pending: Future[tuple[list[int], dict[str, str], bool]] | None = None
        pending_batch: list[tuple[str, str]] = []
        project_id = 0
        top: dict[int, int] = {}  # project id -> the largest task id known to be there
        placed: dict[int, list[float]] = {}  # project id -> [tasks, top, bottom priority]
        while True:
            if pending is not None:
                ahead.fill(start, min(batch_size, todo - start))  # while the import runs
                ids, refused, short = pending.result()
                pending = None
                in_flight(progress, 0)
                top[project_id] = max([top[project_id], *ids])
                answers_short = answers_short or short
                done = sent.get(project_id, (0, 0))
                sent[project_id] = (done[0] + len(ids), done[1] + len(ids))  # one prediction each
                stage.add_mine(ids)
                failed.update(refused)
                counts[project_id] += len(ids)
                advance(progress, len(pending_batch))
                client.progress = f"{number} batch(es) imported ({start} of {todo} passages)"
                if refused and on_error == "stop":
                    for pid in stage.todo_pids(start):
                        failed[pid] = "not sent (--on-error stop)"
                    stage.add_failed(failed)
                    failed = {}
                    break
                if after_batch is not None:
                    after_batch(number, ids)
                if len(failed) >= CHUNK_ROWS:
                    stage.add_failed(failed)
                    failed = {}
            if start >= todo:
                break
            proj = open_project()
            project_id = int(proj["id"])
            while split and _filled_meanwhile(client, project_id, counts, project):
                proj = open_project()  # full with another push's tasks: the next with room
                project_id = int(proj["id"])
            if not made or made[-1] is not proj:
                made.append(proj)
            size = min(batch_size, max_tasks - counts[project_id], todo - start)
            pending_batch = ahead.take(start, size)
            if pending_batch:  # riskiest first: the batch's first and last bound it
                hi, lo = (_priority_of(t) for _, t in (pending_batch[0], pending_batch[-1]))
                got = placed.setdefault(project_id, [0, hi, lo])
                got[0] += len(pending_batch)
                got[2] = lo
            number += 1
            start += size
            if project_id not in top:
                top[project_id] = stage.max_task_id(project_id)
            # a lost answer leaves this batch's tasks made or not: the error and the
            # progress line say so, not "0 done" (a re-run skips those made)
            in_flight(progress, size)
            client.progress = sending(number, start - size, todo, size)
            pending = pool.submit(
                _import_bisecting,
                client,
                project_id,
                pending_batch,
                number,
                on_error,
                top[project_id],
                refusals,
            )
    refusals.say()
    stage.add_failed(failed)

    last = made[-1] if made else projects[-1]
    result = PushResult(
        project_id=int(last["id"]),
        project=project,
        project_url=f"{client.url}/projects/{last['id']}/data",
        model_version=model_version,
        total=total,
        skipped=skipped,
        project_created=created_project,
        projects_created=created_titles,
        projects={str(p["title"]): int(p["id"]) for p in projects},
        other_version_tasks=other_tasks,
        other_version_documents=other_docs,
        other_version_examples=other_examples,
        unknown_neighbours=unknown,
        other_licence=other_licence,
        other_licence_examples=licence_examples,
        other_text=other_text,
        other_text_examples=text_examples,
        other_source=other_source,
        other_source_examples=source_examples,
        reposts=reposts,
        repost_examples=repost_examples,
        moved=moved,
        moved_examples=moved_examples,
        renamed=renamed,
        renamed_examples=renamed_examples,
        late_copies_removed=late_copies,
        repeated_before=repeated_before,
        hiding=hiding,
        max_tasks=max_tasks,
        max_tasks_recorded=recorded_size,
        max_tasks_inferred=inferred is not None,
        placed={
            str(p["title"]): (int(placed[pid][0]), placed[pid][1], placed[pid][2])
            for p in projects
            if (pid := int(p["id"])) in placed
        },
        held={str(p["title"]): counts.get(int(p["id"]), 0) for p in projects},
        open_before={
            str(p["title"]): open_before[int(p["id"])]
            for p in projects
            if int(p["id"]) in open_before
        },
        already={
            str(p["title"]): already[int(p["id"])] for p in projects if int(p["id"]) in already
        },
    )
    result.created = stage.mine_count()
    if answers_short or not _check_counts(
        client, stage, projects, before, sent, result, batch_size
    ):
        # re-read only the tasks created since the projects were read, where what was
        # read then matched the server's count (None: the whole project)
        since = {
            int(p["id"]): (
                stage.max_task_id(int(p["id"]))
                if before.get(int(p["id"]), (-1, -1))[0] == stage.present_count(int(p["id"]))
                else None
            )
            for p in projects
        }
        _reconcile(client, stage, projects, result, batch_size, read, since)

    # the task holding a left-out re-post's text records it (an audit finds it there)
    result.reposts_recorded = record_reposts(client, stage.reposts_by_task())

    # predictions of this model version are shown to reviewers as pre-annotations
    for proj in projects:
        if proj.get("model_version") != model_version:
            client.update_project(int(proj["id"]), model_version=model_version)
            if proj.get("model_version"):
                result.model_version_replaced[str(proj["title"])] = str(proj["model_version"])
    # a project of a title this run made, made a second time meanwhile and left empty
    drop_extra_projects(client, projects, set(remembered))
    return result


def _drop_late_copies_of_earlier_runs(client: StudioClient, stage: Staging, project_id: int) -> int:
    """Delete the late copies in ``project_id`` (as read into ``stage``): tasks a slow
    server made of a lost import request after the push that sent it ended
    (:func:`annotate.review.late_copies.drop_repeated`: never an answered, skipped or
    drafted one, nor the oldest of a passage); how many were deleted."""
    from annotate.review.late_copies import drop_repeated

    gone = drop_repeated(client, project_id, stage.repeated_passages(project_id))
    stage.drop_present(sorted(gone))
    return len(gone)


REPOST_EXAMPLES = 3  # re-posts a push result names (all are logged)


def _log_reposts(stage: Staging, project: str) -> tuple[int, list[tuple[str, str, int, int]]]:
    """Log each passage the plan left out as a re-post, with the task that holds its text
    (page by page); returns how many and the first :data:`REPOST_EXAMPLES`."""
    count = stage.repost_count()
    examples: list[tuple[str, str, int, int]] = []
    if not count:
        return 0, examples
    log.info(  # the CLI prints it (from the result): logged, not warned, so it shows once
        "%d re-posted passage(s) left out of %r: a task of another passage holds the same "
        "text (keep_reposts pushes them)",
        count,
        project,
    )
    for pid, located, project_id, task_id, held, doc in stage.reposts():
        where = repost_where(doc, located, stage.path)
        if len(examples) < REPOST_EXAMPLES:
            examples.append((pid, where, project_id, task_id))
        log.info(
            "re-post left out: passage %r (%s) has the text of task %d (passage %r) of project %d",
            pid,
            where,
            task_id,
            held,
            project_id,
        )
    return count, examples


def _priority_of(task: str) -> float:
    """The priority of a task of the plan (its JSON as :meth:`Staging.todo` builds it)."""
    return float(json.loads(task)["data"][PRIORITY_FIELD])


class _Ahead:
    """Tasks of the plan built ahead of sending: positions ``start`` .. ``start + n - 1``.

    :meth:`fill` builds the next batch while the last one is being imported; :meth:`take`
    hands it over (building what is missing, e.g. when a batch is cut short at a project
    boundary, the rest is kept for the next). Holds at most one batch.
    """

    def __init__(self, stage: Staging) -> None:
        self.stage = stage
        self.start = 0
        self.tasks: list[tuple[str, str]] = []

    def fill(self, start: int, size: int) -> None:
        if start != self.start:  # not where the last batch ended: start over
            self.start, self.tasks = start, []
        end = self.start + len(self.tasks)
        if end < start + size:
            self.tasks += self.stage.todo(end, start + size - end)

    def take(self, start: int, size: int) -> list[tuple[str, str]]:
        self.fill(start, size)
        batch, self.tasks = self.tasks[:size], self.tasks[size:]
        self.start += size
        return batch


def _reader(client: StudioClient, comma_free: bool, text_field: str) -> Reader:
    """(task id, passage id, model versions, document id, content warning,
    :func:`annotate._util.passage_ids.text_key` of ``data[text_field]``, meta, passage
    index: :func:`annotate.studio.versions.task_index`, licence:
    :func:`annotate.corpus.licenses.task_license`, input file) of a project's
    tasks, page by page (with ``after``: only tasks of a larger id, created since).

    Model versions holding a comma cannot be read from the task list (the server joins
    them with commas); then the project's predictions are listed at once instead.
    """
    if comma_free:

        def listed(project_id: int, after: int | None = None) -> Iterator[tuple[Any, ...]]:
            return client.iter_task_versions(project_id, after, text_field=text_field)

        return listed

    def read(project_id: int, after: int | None = None) -> Iterator[tuple[Any, ...]]:
        versions = client.prediction_versions(project_id)
        for task in client.iter_tasks(project_id, include="id,data,meta"):
            task_id, data = int(task["id"]), task.get("data") or {}
            if after is None or task_id > after:
                pid = data.get(PASSAGE_ID_FIELD)
                text = passage_text(data, text_field)  # a subtitle cue's: as ingested
                yield (
                    task_id,
                    "" if pid is None else str(pid),
                    frozenset(versions.get(task_id, set())),
                    data.get("doc_id"),
                    task_hidden(data),
                    text_key(text) if isinstance(text, str) else None,
                    dict(task.get("meta") or {}),
                    task_index(data),
                    # compared with the file's, both as ingest records them ('mit' is 'MIT')
                    pushed_license(task_license(data)),
                    input_file_of(data),
                )

    return read


def task_passages(client: StudioClient, project_id: int) -> Iterator[tuple[int, str]]:
    """(task id, passage id) of every task of a project, page by page."""
    for task in client.iter_tasks(project_id):
        pid = (task.get("data") or {}).get(PASSAGE_ID_FIELD)
        yield int(task["id"]), "" if pid is None else str(pid)


# single passages sent one after another that the server refuses with one and the same
# server error (HTTP 5xx, the same reason), nothing imported between them, before a push
# takes the server, not the rows, to be failing: it stops there with that reason rather
# than sending each row of the batch alone (2N requests, a log line for each). Rows a
# server cannot store seldom come five in a row: their neighbours are imported between
# them (PostgreSQL's refusal of a NUL: tests/integration/test_postgres.py)
SERVER_FAILING_ROWS = 5


class Refusals:
    """The passages a push's split batches saw refused alone in a row with the same
    server error, nothing imported between them: their log lines wait until something
    is imported or refused otherwise (bad rows, then: :meth:`say`), or until
    :data:`SERVER_FAILING_ROWS` of them say that the server fails every import."""

    def __init__(self) -> None:
        self.reason: tuple[int | None, str] | None = None
        self.held: list[tuple[int, str, str]] = []  # (batch number, passage id, error)

    def say(self) -> None:
        """Log the refusals held: they were bad rows."""
        for number, pid, what in self.held:
            log.error("batch %d: passage %r refused: %s", number, pid, what)
        self.held, self.reason = [], None

    def refused(self, client: StudioClient, number: int, pid: str, exc: StudioError) -> None:
        """Passage ``pid``, sent alone, was refused with ``exc``; raises
        StudioUnavailableError (``gone``: not retried) once :data:`SERVER_FAILING_ROWS`
        passages in a row were refused with the same server error."""
        reason = (
            (exc.status, exc.reason)
            if isinstance(exc, StudioServerError) and (exc.status or 500) >= 500
            else None
        )
        if reason is None or reason != self.reason:
            self.say()
        if reason is None:  # a refusal of this row (HTTP 400): said at once
            log.error("batch %d: passage %r refused: %s", number, pid, exc.what)
            return
        self.reason = reason
        self.held.append((number, pid, exc.what))
        if len(self.held) < SERVER_FAILING_ROWS:
            return
        status, why = reason
        raise StudioUnavailableError(
            f"Label Studio at {client.url} fails every import with the same server error "
            f"(HTTP {status}: {why.rstrip('.')}): the last {len(self.held)} passages sent "
            "one at a time were each refused, nothing imported between them, so the server "
            "is failing, not the rows.",
            fix=f"see the server's log for the cause{storage_said(client)}: most often a "
            "full disk (free space where the server keeps its database) or a database it "
            "cannot write",
            gone=True,
        )


def _import_bisecting(
    client: StudioClient,
    project_id: int,
    batch: list[tuple[str, str]],
    number: int,
    on_error: OnError = "continue",
    floor: int | None = None,
    refusals: Refusals | None = None,
    *,
    depth: int = 0,
) -> tuple[list[int], dict[str, str], bool]:
    """Import ``batch`` ((passage id, task JSON) pairs, one prediction each); when the
    server refuses it, split it until only bad rows fail. An answer lost on the way is
    retried without duplicates (:func:`import_retrying`; ``floor``: a task id the
    project held before the batch was sent).

    A server that fails every import is not split row by row: a reason naming its
    storage or database (:meth:`StudioClient._database_gone`) is never split, and
    :data:`SERVER_FAILING_ROWS` passages in a row refused alone with the same server
    error stop the push (:class:`Refusals`, kept across the push's batches; None: this
    batch's own, whose held refusals are logged at its end). Both raise
    StudioUnavailableError; a re-run resumes.

    Returns the created task ids, {passage id: the server's reason} for each refused
    row, and whether an answer reported fewer tasks or predictions than were sent
    (logged; :func:`_reconcile` repairs or reports the shortfall).
    """
    own = refusals is None
    refusals = refusals if refusals is not None else Refusals()
    try:
        answer = import_retrying(client, project_id, batch, f"batch {number}", floor)
    except (StudioUnavailableError, StudioAuthError):
        raise
    except StudioError as exc:
        if on_error == "raise":
            raise
        if len(batch) == 1:
            pid = batch[0][0]
            refusals.refused(client, number, pid, exc)
            if own:
                refusals.say()
            return [], {pid: exc.what}, False
        (log.warning if depth == 0 else log.debug)(
            "batch %d (%d tasks) refused; splitting it to find the bad rows", number, len(batch)
        )
        half = len(batch) // 2
        left = _import_bisecting(
            client, project_id, batch[:half], number, on_error, floor, refusals, depth=depth + 1
        )
        right = _import_bisecting(
            client, project_id, batch[half:], number, on_error, floor, refusals, depth=depth + 1
        )
        if own:
            refusals.say()
        return left[0] + right[0], {**left[1], **right[1]}, left[2] or right[2]
    refusals.say()  # something was imported: the refusals held were bad rows
    created = len(answer.task_ids) if answer.task_count is None else answer.task_count
    short = False
    if created != len(batch) or len(answer.task_ids) != len(batch):
        short = True
        log.warning(
            "batch %d: sent %d tasks, Label Studio created %d (returned %d ids)",
            number,
            len(batch),
            created,
            len(answer.task_ids),
        )
    if answer.prediction_count is None or answer.prediction_count != len(batch):
        short = True
        log.warning(
            "batch %d: sent %d predictions, Label Studio created %s; they are re-checked "
            "and sent again after the import",
            number,
            len(batch),
            answer.prediction_count,
        )
    return answer.task_ids, {}, short


def sending(number: int, imported: int, todo: int, size: int) -> str:
    """How far a push is while batch ``number`` (``size`` passages) is in flight, after
    ``imported`` of its ``todo`` passages (the client's ``progress``, which the error of
    a lost answer quotes)."""
    return (
        f"{number - 1} batch(es) imported ({imported:,} of {todo:,} passages); batch {number} "
        f"({size:,} passages) sent, its answer lost: how many of them the server created "
        "is unknown"
    )


def import_retrying(
    client: StudioClient,
    project_id: int,
    batch: Sequence[tuple[str, dict[str, Any] | str]],
    what: str,
    floor: int | None = None,
    *,
    sole: bool = False,
) -> ImportAnswer:
    """Import ``batch`` ((passage id, task) pairs; a passage once) in one request; when
    its answer is lost (StudioUnavailableError: the connection dropped or was refused, a
    gateway answered 502/503/504, the answer did not come within the client's timeout),
    the server may or may not have created the tasks: wait, read the tasks created since
    ``floor`` (a task id the project held before the batch was sent; None: read them
    all), and send again only the passages still missing
    (:func:`annotate.studio.retry.retry_lost`). After a timeout or a gateway's 502/504
    the server may still be at work on the lost request: the read-back is repeated a few
    times before sending again (:func:`annotate.studio.retry.read_back`). ``what`` names
    the batch in the log.

    ``sole``: one task per passage is this project's rule and no other run imports into
    it meanwhile (a review queue, an adjudication project): after sending again past
    such a loss, the tasks above ``floor`` are read once more and a task of the batch's
    passages the late request made beside the one kept is deleted
    (:func:`drop_late_copies`; a plain push reconciles its projects itself).

    Returns the answer for the whole batch: tasks found created count as created, with
    the predictions they hold (None when an answer did not say); ``task_ids`` in the
    order of ``batch`` and ``by_passage`` (passage id -> task id) when every task's id is
    known (after a loss, the tasks the answer names no id of are read back by passage),
    else the ids known, ascending, and ``by_passage`` empty. Raises StudioUnavailableError when
    the last try fails too, naming the tries and the time.
    """
    landed: dict[str, tuple[int, int]] = {}  # passage id -> (task, predictions) of a lost request
    resent = False  # sent again after a loss the server may still have been working on

    def read(wanted: set[str]) -> set[str]:
        for row in client.iter_task_versions(project_id, after=floor):
            if row[1] in wanted and row[1] not in landed:
                landed[row[1]] = (int(row[0]), len(row[2]))
        return wanted - set(landed)

    def send(attempt: int) -> ImportAnswer:
        nonlocal resent
        if attempt > 1:
            wanted = {pid for pid, _ in batch}
            read_back(lambda: read(wanted), lambda missing: not missing, what)
        rest = [task for pid, task in batch if pid not in landed]
        resent = resent or (bool(rest) and late_loss())
        return client.import_tasks(project_id, rest) if rest else ImportAnswer([], 0, 0)

    answer = retry_lost(send, what)
    if landed:
        log.warning(
            "%s: %d task(s) were created by a request whose answer was lost; not sent again",
            what,
            len(landed),
        )
        sent = len(answer.task_ids) if answer.task_count is None else answer.task_count
        predictions = answer.prediction_count
        rest = [pid for pid, _ in batch if pid not in landed]
        found = {pid: task for pid, (task, _) in landed.items()}
        if len(answer.task_ids) == len(rest):  # the rest's ids, in the order they were sent
            found.update(zip(rest, answer.task_ids, strict=True))
        else:  # the answer does not say which task is whose: read them back, by passage
            found.update(_tasks_of(client, project_id, set(rest), floor, set(found.values())))
        if len(found) == len(batch):
            ids = [found[pid] for pid, _ in batch]  # in batch order, by passage
        else:
            log.warning(
                "%s: the task of %d passage(s) is not known",
                what,
                len(batch) - len(found),
            )
            ids = sorted(set(found.values()) | set(answer.task_ids))
        answer = ImportAnswer(
            task_ids=ids,
            task_count=len(landed) + sent,
            prediction_count=None
            if predictions is None
            else predictions + sum(n for _, n in landed.values()),
            by_passage=found if len(found) == len(batch) else {},
        )
    elif len(answer.task_ids) == len(batch):
        answer = ImportAnswer(
            answer.task_ids,
            answer.task_count,
            answer.prediction_count,
            by_passage={pid: task for (pid, _), task in zip(batch, answer.task_ids, strict=True)},
        )
    if sole and resent:
        if len(set(answer.task_ids)) == len(batch):
            drop_late_copies(client, project_id, {pid for pid, _ in batch}, answer.task_ids, floor)
        else:  # without the ids of the tasks kept, a late copy is not told from them
            log.warning(
                "%s: the server named %d task id(s) for %d passage(s); tasks a late request "
                "may have made are not looked for",
                what,
                len(set(answer.task_ids)),
                len(batch),
            )
    return answer


def _tasks_of(
    client: StudioClient,
    project_id: int,
    passages: set[str],
    floor: int | None,
    taken: set[int],
) -> dict[str, int]:
    """Passage id -> the oldest task above ``floor`` of each of ``passages`` (but those
    ``taken``): one listing of the tasks created since ``floor``."""
    out: dict[str, int] = {}
    for row in client.iter_task_versions(project_id, after=floor):
        task, pid = int(row[0]), row[1]
        if pid in passages and task not in taken and (pid not in out or task < out[pid]):
            out[pid] = task
    return out


def drop_late_copies(
    client: StudioClient,
    project_id: int,
    passages: set[str],
    kept: Sequence[int],
    floor: int | None,
) -> list[int]:
    """Delete the tasks above ``floor`` of ``passages`` other than those in ``kept``: the
    work of a request whose answer was lost and which the server carried out after the
    batch was sent again. A task that holds an answer, a skip or a draft by then (its
    reviewer took it up: :func:`annotate.studio.drafts.tasks_with_drafts`) is left
    (logged). Returns the ids deleted."""
    keep = set(kept)
    late: list[int] = []
    for task in client.iter_tasks(
        project_id, include="id,data,total_annotations,cancelled_annotations"
    ):
        if floor is not None and int(task["id"]) <= floor:
            continue
        pid = (task.get("data") or {}).get(PASSAGE_ID_FIELD)
        if pid is None or str(pid) not in passages or int(task["id"]) in keep:
            continue
        if int(task.get("total_annotations") or 0) or int(task.get("cancelled_annotations") or 0):
            _left(project_id, task["id"], pid, "an answer or a skip")
            continue
        late.append(int(task["id"]))
    held = tasks_with_drafts(client, project_id) if late else set()
    for task_id in sorted(held.intersection(late)):
        _left(project_id, task_id, "of this batch", "a draft")
    late = [t for t in late if t not in held]
    if late:
        log.warning(
            "project %s: %d task(s) were made by a lost request the server carried out after "
            "it was sent again; deleting them",
            project_id,
            len(late),
        )
        client.delete_tasks(late, project_id=project_id)
    return late


def _left(project_id: int, task_id: object, pid: object, what: str) -> None:
    log.warning(
        "project %s: task %s repeats passage %s but holds %s; left",
        project_id,
        task_id,
        pid,
        what,
    )


def _filled_meanwhile(
    client: StudioClient, project_id: int, counts: dict[int, int], project: str
) -> bool:
    """Whether ``project_id`` holds more tasks on the server than ``counts`` says (this
    push's reading plus what it made): another push added them meanwhile. ``counts`` then
    takes the server's number, so the project fills sooner; True tells the caller to pick
    the project again."""
    held = _counts(client, project_id)[0]
    if held <= counts[project_id]:
        return False
    log.info(
        "a project of %r (id %d) holds %d tasks, %d more than this push made or read: "
        "another push is filling it at the same time",
        project,
        project_id,
        held,
        held - counts[project_id],
    )
    counts[project_id] = held
    return True


def _counts(client: StudioClient, project_id: int) -> tuple[int, int]:
    """(tasks, predictions) a project holds, as the server counts them now."""
    proj = client.get_project(project_id)
    return int(proj.get("task_number") or 0), int(proj.get("total_predictions_number") or 0)


def _served(client: StudioClient, project_id: int) -> int | None:
    """The tasks of a project Label Studio still serves in "Label All Tasks" (its
    ``task_number`` less its ``finished_task_number``: tasks short of the project's
    answers per task), as the server counts them now; None when it gives no count."""
    proj = client.get_project(project_id)
    tasks, finished = proj.get("task_number"), proj.get("finished_task_number")
    if not isinstance(tasks, int) or not isinstance(finished, int):
        return None
    return max(tasks - finished, 0)


def _named(proj: dict[str, Any]) -> str:
    """A project as the push's lines name it: ``'Daily #3' (id 12)``; ``project 12`` when
    the server gave no title."""
    title = proj.get("title")
    return f"{str(title)!r} (id {proj['id']})" if title else f"project {proj['id']}"


def _check_counts(
    client: StudioClient,
    stage: Staging,
    projects: list[dict[str, Any]],
    before: dict[int, tuple[int, int]],
    sent: dict[int, tuple[int, int]],
    result: PushResult,
    batch_size: int,
) -> bool:
    """The cheap check after an import: True when every project holds exactly what it
    held before plus what this run created (tasks and predictions, as the server counts
    them), so nothing needs re-reading; then the new model's predictions are added to
    tasks already there, and the result's errors are the refused rows. False (nothing
    changed): the counts disagree, or a project's count before did not match the tasks
    read from it (another run wrote meanwhile); :func:`_reconcile` re-reads and repairs.
    """
    for proj in projects:
        project_id = int(proj["id"])
        tasks0, preds0 = before.get(project_id, (-1, -1))
        # named as the summary names it (a numbered set's last project was named by id)
        named = _named(proj)
        if tasks0 != stage.present_count(project_id):
            log.info("%s changed while it was read; re-reading it", named)
            return False
        made, predicted = sent.get(project_id, (0, 0))
        now = _counts(client, project_id)
        if now != (tasks0 + made, preds0 + predicted):
            log.warning(
                "%s holds %d tasks and %d predictions, expected %d and %d; re-reading it to repair",
                named,
                now[0],
                now[1],
                tasks0 + made,
                preds0 + predicted,
            )
            return False
    _, others = stage.extra_tasks()  # among the tasks there before this run
    _warn_others(others, result.project)
    result.repeated_left = sum(1 for pid, _ in others if pid and pid not in result.repeated_before)
    added = 0
    for project_id, predictions in stage.missing_predictions():
        for start in range(0, len(predictions), batch_size):
            part = predictions[start : start + batch_size]
            batch = [{k: v for k, v in p.items() if not k.startswith("_")} for p in part]
            created = client.import_predictions(project_id, batch)
            added += created
            if created != len(batch):  # re-read to find the ones missing
                log.warning("Label Studio created %d of %d predictions", created, len(batch))
                result.predictions_added = added
                return False
            result.task_data_updated += follow_model(client, part)
    if added:
        log.info("added %d predictions of a new model to existing tasks", added)
    result.predictions_added = added
    result.errors = [f"passage {pid!r}: {why}" for pid, why in stage.failures()]
    result.failed = len(result.errors)
    return True


def follow_model(client: StudioClient, predictions: list[dict[str, Any]]) -> int:
    """Put the model columns of each prediction's row (``_model_data``: the task data of
    :data:`annotate.studio.tasks.MODEL_DATA_FIELDS`) in its task (``task``), which this
    push has just given the prediction: the grid's ``model_labels`` and ``model_version``
    then follow the pre-annotation shown, not the first push's model (passJ54 M3). Each
    task's data is read and written back with those fields alone changed (its other
    fields, answers, predictions and id stay). Returns how many tasks changed; a task
    that cannot be updated keeps its columns (a warning)."""
    changed = 0
    for pred in predictions:
        task_id, want = int(pred["task"]), pred.get("_model_data")
        if not want:
            continue
        try:
            data = client.get_task_data(task_id)
            new = {k: v for k, v in data.items() if k not in MODEL_DATA_FIELDS}
            new.update(want)
            if new == data:
                continue
            client.update_task_data(task_id, new)
        except (StudioUnavailableError, StudioAuthError):
            raise  # the server is gone, or refuses this account: not one task's matter
        except StudioError as exc:
            log.warning(
                "task %s keeps the model columns of an earlier push (%s): its pre-annotation "
                "is %s's",
                task_id,
                exc,
                want.get("model_version"),
            )
            continue
        changed += 1
    if changed:
        log.info("model columns of %d task(s) set to the model now shown", changed)
    return changed


def _warn_others(others: list[tuple[str, list[int]]], project: str) -> None:
    """Warn of tasks this push left alone: those without a passage id, and each passage
    in the project more than once (the first few by name, then one line with the count)."""
    with FirstFew() as said:
        for pid, ids in others:
            _warn_other(said, pid, ids, project)
    if repeated := sum(1 for pid, _ in others if pid):
        # said once: the push exits 0, and the copies are not left for good (faults49 F7)
        log.warning(
            "%d passage(s) are in %r more than once, not all made by this push (another push "
            "importing at the same time, e.g. from another machine): that push removes its "
            "own copies when it ends, and the next `annotate push` into %r removes those "
            "still there (keeping each passage's oldest task and every answered, skipped or "
            "drafted one)",
            repeated,
            project,
            project,
        )


def _warn_other(said: FirstFew, pid: str, ids: list[int], project: str) -> None:
    if not pid:  # tasks imported by hand or by another tool: no passage id
        log.warning(
            "%d task(s) in %r have no %s (not imported by annotate push; task ids %s); left alone",
            len(ids),
            project,
            PASSAGE_ID_FIELD,
            ids[:20],
        )
        return
    said.warn(
        log,
        f"passages in {project!r} more than once, left alone",
        "passage %r is in %r %d times (task ids %s), not all made by this push; left alone",
        pid,
        project,
        len(ids),
        ids,
    )


def _reconcile(
    client: StudioClient,
    stage: Staging,
    projects: list[dict[str, Any]],
    result: PushResult,
    batch_size: int,
    read: Reader,
    since: dict[int, int | None] | None = None,
) -> None:
    """Re-read the projects: one task per passage, each with its prediction, or an error.

    Page by page into the staging database; ``since``: project id -> the largest task id
    read before the import, so only tasks created after it (this run's, and any another
    run made meanwhile) are read again; None or missing: the whole project. When the
    tasks then known differ from the server's count (something older changed), the whole
    project is read. Duplicates this run made are deleted, predictions missing from a
    kept task are sent (again), and what is still wrong is counted in ``result.failed``
    and named in ``result.errors``.
    """

    def reread() -> None:
        for proj in projects:
            project_id = int(proj["id"])
            after = (since or {}).get(project_id)
            stage.clear_present(project_id, after)
            stage.load_present(project_id, read(project_id, after))
            if (
                after is not None
                and stage.present_count(project_id) != (_counts(client, project_id)[0])
            ):
                log.info("%s changed beyond this push; re-reading all of it", _named(proj))
                stage.clear_present(project_id)
                stage.load_present(project_id, read(project_id, None))

    reread()
    extra, others = stage.extra_tasks()
    _warn_others(others, result.project)
    result.repeated_left = sum(1 for pid, _ in others if pid and pid not in result.repeated_before)
    if extra:
        log.warning(
            "%d task(s) of this push duplicate passages another run imported at the same "
            "time; deleting them",
            len(extra),
        )
        titles = {pid: title for title, pid in result.projects.items()}
        for project_id, ids in stage.by_project(extra).items():
            client.delete_tasks(ids, project_id=project_id)
            _unplace(result, titles.get(project_id), len(ids))
        stage.drop_present(extra)
        result.duplicates_removed = len(extra)
        result.created -= len(extra)

    added, repaired, sent = result.predictions_added, 0, 0
    for project_id, predictions in stage.missing_predictions():
        for start in range(0, len(predictions), batch_size):
            part = predictions[start : start + batch_size]
            ours = sum(1 for p in part if p["_ours"])
            batch = [{k: v for k, v in p.items() if not k.startswith("_")} for p in part]
            created = client.import_predictions(project_id, batch)
            sent += len(batch)
            if created < len(batch):
                log.warning("Label Studio created %d of %d predictions", created, len(batch))
            else:  # (a batch not all created: the tasks keep their columns; re-read below)
                result.task_data_updated += follow_model(client, part)
            repaired_here = min(ours, created)
            repaired += repaired_here
            added += created - repaired_here
    if sent:
        log.info(
            "added %d predictions of a new model to existing tasks, re-sent %d dropped ones",
            added,
            repaired,
        )
        reread()  # what the server now holds decides what failed
    result.predictions_added, result.predictions_repaired = added, repaired
    result.errors = [f"passage {pid!r}: {why}" for pid, why in stage.problems()]
    result.failed = len(result.errors)
    # what each project holds now, as re-read (another push's tasks counted, ours removed)
    result.held = {title: stage.present_count(pid) for title, pid in result.projects.items()}


def _unplace(result: PushResult, title: str | None, removed: int) -> None:
    """Take ``removed`` tasks this push made in ``title`` and then deleted (another push
    made them too) off ``result.placed``: a project left with none of them is not named
    as holding any (its priority range is that of the tasks sent)."""
    if title is None or title not in result.placed:
        return
    placed, hi, lo = result.placed[title]
    if placed > removed:
        result.placed[title] = (placed - removed, hi, lo)
    else:
        del result.placed[title]


def read_tasks(
    path: Path, tax: Taxonomy, config: Any, located: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Every row of the prelabel file ``path`` converted to a Label Studio task dict
    (:func:`annotate.studio.tasks.row_to_task` against the parsed labeling ``config``,
    a :class:`annotate.studio.label_config.LabelConfig`) and validated, in memory, with
    neighbours linked, riskiest first (then by passage id): for review sets, which are
    not split over numbered projects; :func:`push` stages out of core instead.
    ``located``, when given, gets passage id -> where the row is in the file (``line M``,
    as :func:`annotate.tables.iter_rows_located` names it). Raises InputError
    (SchemaError) for a file that is not a prelabel table or cannot be read,
    PredictionError for a row that does not convert or a passage id given twice."""
    require_prelabels(path)
    tasks: list[dict[str, Any]] = []
    seen: dict[str, str] = {}  # passage id -> where its first row is
    duplicates = 0
    repeat: tuple[str, str, str] | None = None  # the first repeat: id, first row, repeat
    for where_in_file, row in iter_rows_located(path):
        where = f"{path} {where_in_file} (id {row.get('id')!r})"
        task = row_to_task(row, tax, config, where=where)
        pid = task["data"][PASSAGE_ID_FIELD]
        if pid in seen:
            duplicates += 1
            repeat = repeat or (str(pid), seen[pid], where_in_file)
            continue
        seen[pid] = where_in_file
        tasks.append(task)
        if located is not None:
            located[str(pid)] = where_in_file
    if repeat is not None:
        raise repeated_ids_error(path, *repeat, duplicates)
    link_neighbours(tasks, tax)  # previous/next passage of the same document
    link_parents(tasks, tax)  # the comment each reply answers (a table's parent column)
    tasks.sort(key=lambda t: (-t["data"][PRIORITY_FIELD], t["data"][PASSAGE_ID_FIELD]))
    return tasks


def read_carried(path: Path) -> dict[str, dict[str, tuple[str, str]]]:
    """Passage id -> {task field: (neighbour's passage id, its text)} of the rows of
    ``path`` that carry a neighbour's text (``ingest --previous``,
    :data:`annotate.table_schemas.NEIGHBOUR_COLUMNS`); rows carrying none are left out."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for _, row in iter_rows_located(path):
        doc = row.get("doc_id")
        for column in NEIGHBOUR_COLUMNS:
            text = row.get(column)
            if isinstance(text, str) and text and doc not in (None, ""):
                out.setdefault(str(row["id"]), {})[column] = (passage_id(str(doc), text), text)
    return out


def fill_carried(
    tasks: list[dict[str, Any]],
    carried: dict[str, dict[str, tuple[str, str]]],
    hidden_of: dict[str, bool | None],
) -> set[str]:
    """Give each task without a neighbour in its file (context "") the neighbour its row
    carries (:func:`read_carried`), shown by :func:`annotate.review.view.carried_context`
    with ``hidden_of`` its own task's content warning (a passage id not there: unknown).
    Returns the passage ids of the tasks that show the note for an unknown one."""
    unknown: set[str] = set()
    for task in tasks:
        data = task["data"]
        sides = carried.get(str(data[PASSAGE_ID_FIELD]))
        if not sides:
            continue
        noted = False
        for name, (neighbour, text) in sides.items():
            if data.get(name):
                continue  # the file holds that neighbour
            hidden = hidden_of.get(neighbour)
            data[name] = carried_context(
                text, hidden, side=name.removeprefix("context_"), passage=neighbour
            )
            noted = noted or hidden is None
        if noted:
            unknown.add(str(data[PASSAGE_ID_FIELD]))
    return unknown


def ensure_project(
    client: StudioClient,
    title: str,
    label_config: str,
    tax: Taxonomy,
    model_version: str,
    config: LabelConfig | None = None,
) -> tuple[dict[str, Any], bool]:
    """The project titled ``title`` with the labeling config ``label_config`` (XML;
    ``config``: it parsed, as the caller already has it, else parsed here once) and
    ``tax``'s view settings: made when there is none (with its views; the oldest kept if
    another run, or the server repeating our request, made one meanwhile:
    :func:`_keep_oldest`), else its config and settings brought up to date.
    Returns (the project as the API gives it, whether this call made it). Raises
    StudioError when several projects have the title or the project is not one annotate
    can take over (:func:`check_foreign_project`), TaxonomyError when the new labels.yaml
    drops labels its annotations use (:func:`check_label_change`; the config is then left
    unchanged); a request that fails raises as :class:`StudioClient` does."""
    description = (
        f"{tax.name} {tax.version}: pre-labelled passages, likeliest harm first. "
        "Created by annotate push."
    )
    proj = client.find_project(title)  # several with this title: an error naming them
    if proj is None:
        check_server_ids(client, tax)
        proj = client.create_project(
            title,
            label_config,
            description=description,
            model_version=model_version,
            show_collab_predictions=True,
            sampling="Sequential sampling",
            show_skip_button=True,
            **project_view_settings(tax),
        )
        log.info("created project %r (id %s)", title, proj["id"])
        return _keep_oldest(client, title, proj, tax)
    if not same_label_config(proj.get("label_config", ""), label_config):
        # each config parsed once for the checks below
        old = project_label_config(proj.get("label_config"))
        check_foreign_project(client, proj, tax, old)
        new = config if config is not None else parse_label_config(label_config)
        added = check_label_change(client, proj, new, tax, old)
        log.info("updating the labeling config of project %r from labels.yaml", title)
        client.update_project(
            int(proj["id"]),
            label_config=with_history(label_config, config_history(proj, tax, added)),
        )
    if proj.get("expert_instruction") != project_view_settings(tax)["expert_instruction"]:
        client.update_project(int(proj["id"]), **project_view_settings(tax))
    if not proj.get("show_collab_predictions", True):
        client.update_project(int(proj["id"]), show_collab_predictions=True)
    return proj, False


def config_history(
    proj: dict[str, Any], tax: Taxonomy, added: list[str], now: str | None = None
) -> list[HistoryEntry]:
    """The history a project's new labeling config keeps (:func:`annotate.studio.
    label_config.taxonomy_history`): its old config's, and, when the old config was made
    from another labels.yaml version than ``tax``'s, that version until ``now`` (default:
    this moment, UTC) with the labels (``control:name``) ``tax`` ``added``: what an export
    reads to tell answers made before the change from answers made after it."""
    old = str(proj.get("label_config") or "")
    history = taxonomy_history(old)
    was = config_taxonomy_version(old)
    if was and was != tax.version:
        when = now or datetime.now(timezone.utc).isoformat(timespec="seconds")
        history.append(HistoryEntry(was, when, tuple(added), tax.version))
    return history


def _keep_oldest(
    client: StudioClient, title: str, proj: dict[str, Any], tax: Taxonomy
) -> tuple[dict[str, Any], bool]:
    """Server-side re-check after creating the project ``proj`` of ``title`` (a title that
    had no project when this run looked): another project of the title may have been made
    meanwhile, by a run elsewhere or by the server itself (Label Studio on SQLite re-runs
    a project creation that found its database locked, up to 15 times, a project each
    run). The oldest of the title is kept and every other empty one deleted
    (:func:`annotate.studio.project_copies.keep_oldest`); one holding tasks is left for
    :func:`drop_extra_projects` or the user (:meth:`StudioClient.find_project` names a
    title of several projects). The project kept gets its Data Manager tab
    (:func:`set_up_views`) unless it has one: the server's first copy of our request has
    none. Returns (the project, whether it is ours)."""
    mine = int(proj["id"])
    found = keep_oldest(client, title, mine)
    if found.kept == mine:
        set_up_views(client, mine, tax, by_priority=True)
        return proj, True
    _say_not_ours(title, mine, found.kept, found.listed)
    set_up_views_unless_made(client, found.kept, tax, by_priority=True)
    return client.get_project(found.kept), False


def _say_not_ours(title: str, mine: int, oldest: int, listed: bool) -> None:
    """Warn that the project ``oldest`` of ``title`` is taken instead of ours (``mine``,
    still ``listed`` or deleted already by another run)."""
    if listed:
        log.warning(
            "another project titled %r (id %s) was made at the same time as ours (id %s), by "
            "a run elsewhere or by the server repeating our request; using it and deleting "
            "ours",
            title,
            oldest,
            mine,
        )
    else:
        log.warning(
            "project %r (id %s) made by this run is gone (deleted as a copy by a run that "
            "made the same title at the same time); using that run's project (id %s)",
            title,
            mine,
            oldest,
        )


def drop_extra_projects(
    client: StudioClient, used: Sequence[dict[str, Any]], known: set[int]
) -> list[tuple[str, int]]:
    """After a push: the projects of each title in ``used`` (the projects this run made
    or took, ``known``: the ids of those there before it began) other than the one the
    run used, made during the run (their id not in ``known``) and holding no task: a
    project the server made twice (:func:`_keep_oldest`), or a creation whose answer was
    lost and that the server carried out after this run had read it back and made the
    project again. Each is deleted, with a warning; returns (title, id) of each.

    Raises StudioError naming them when another project of such a title holds tasks (two
    runs that filled one title each into a project of their own): which one to keep is
    the user's choice, as :meth:`StudioClient.find_project` says for a title of several
    projects."""
    dropped: list[tuple[str, int]] = []
    for proj in used:
        mine, title = int(proj["id"]), str(proj["title"])
        if mine in known:
            continue
        same = client.find_projects(title)
        held: list[int] = []
        for other in same:
            pid = int(other["id"])
            if pid == mine or pid in known:
                continue
            try:
                tasks = int(client.get_project(pid).get("task_number") or 0)
            except StudioNotFoundError:  # deleted meanwhile (its own run's check)
                continue
            if tasks:
                held.append(pid)
                continue
            log.warning(
                "deleting project %r (id %s), made at the same time as the one this push "
                "filled (id %s) and empty: a project made twice by the server or by a lost "
                "request carried out late",
                title,
                pid,
                mine,
            )
            delete_gone_ok(client, pid)
            dropped.append((title, pid))
        if held:
            ids = ", ".join(str(i) for i in sorted([mine, *held]))
            raise StudioError(
                f"{len(held) + 1} projects in Label Studio at {client.url} are titled "
                f"{title!r} (ids {ids}), each holding tasks: this push filled project "
                f"{mine}, another push made and filled the other(s) at the same time.",
                fix="rename or delete all but one of them in Label Studio (a deleted one's "
                "passages are pushed again by the next push), then run again.",
            )
    return dropped


def label_values(config: LabelConfig) -> dict[str, frozenset[str]]:
    """Control name -> the values (choices, labels) it offers, from a parsed labeling
    config."""
    return {name: c.values for name, c in config.controls.items() if c.values}


def made_by_annotate(label_config: str | LabelConfig | None, tax: Taxonomy) -> bool:
    """Whether a project's labeling config (XML, or parsed) has labels.yaml's category
    control (annotate rendered it); False for an empty or unparsable config."""
    if not isinstance(label_config, LabelConfig):
        label_config = project_label_config(label_config)
    return tax.interface.categories in label_values(label_config)


def check_foreign_project(
    client: StudioClient, proj: dict[str, Any], tax: Taxonomy, old: LabelConfig | None = None
) -> None:
    """Refuse to push into a project whose labeling config annotate did not make (no
    control of labels.yaml's categories) while it holds tasks: the push would replace the
    config its tasks were made for and mix annotate's passages with them. An empty one
    (e.g. made in the Label Studio UI to push into) is taken over. ``old``: ``proj``'s
    config parsed (None: parsed here). Raises StudioError."""
    if made_by_annotate(old if old is not None else proj.get("label_config"), tax):
        return
    tasks = int(client.get_project(int(proj["id"])).get("task_number") or 0)
    if tasks == 0:
        log.warning(
            "project %r has a labeling config annotate did not make and no task: its "
            "config is replaced by labels.yaml's",
            proj.get("title"),
        )
        return
    raise StudioError(
        f"project {proj.get('title')!r} (id {proj['id']}) was not made by annotate: its "
        f"labeling config has no {tax.interface.categories!r} control of labels.yaml, and "
        f"it holds {tasks} task(s) of its own. Pushing would replace its labeling config and "
        "mix annotate's passages with its tasks; nothing was changed.",
        fix="push into a new project (--project 'NEW NAME'), or into an empty one.",
    )


def warn_added_labels(
    client: StudioClient, proj: dict[str, Any], added: list[str], tax: Taxonomy
) -> None:
    """Warn, once per project, when labels.yaml adds ``added`` (``control:name``) to a
    project that already holds answers: their reviewers could not choose the new labels,
    so export, agreement and training read those passages as without them. The new
    config records when the old version ended (:func:`config_history`), so the export
    tells those answers apart and warns too; nothing is lost or changed in the answers."""
    annotated = client.count_annotated_tasks(int(proj["id"]))
    if not annotated:
        return
    was = config_taxonomy_version(str(proj.get("label_config") or "")) or "an older version"
    log.warning(
        "labels.yaml %s adds %s to project %r, which holds %d answered task(s) made under "
        "labels.yaml %s: their reviewers could not choose the new label(s), so export, "
        "agreement and training read those passages as without them (the answers are kept; "
        "the export counts them by version: manifest.json taxonomy_versions_of_answers). "
        "To have them judged on the new label(s), reviewers open and update those answers "
        "in Label Studio (an answer updated from now on counts under %s)",
        tax.version,
        ", ".join(added),
        proj.get("title"),
        annotated,
        was,
        tax.version,
    )


def reworded_labels(
    proj: dict[str, Any], new: LabelConfig, tax: Taxonomy, old: LabelConfig | None = None
) -> list[str]:
    """The labels (``control:name``) whose title, definition or colour in the parsed
    labeling config ``new`` differs from project ``proj``'s labeling config (``old``:
    it parsed; None: parsed here), made from the same labels.yaml
    version (the caller checks that): each is logged in one warning, as a model trained
    on other content of the same version is at prelabel (labels.yaml was edited without a
    version bump, so answers made before and after the push record one version for two
    wordings, and an export cannot tell them apart). Labels added or removed are
    :func:`check_label_change`'s. Returns them ([]: the same wording)."""
    ui = tax.interface
    names = (ui.categories, ui.spans, ui.severity)
    if old is None:
        old = project_label_config(proj.get("label_config"))
    before, after = label_words(old, names), label_words(new, names)
    reworded = sorted(k for k in before.keys() & after.keys() if before[k] != after[k])
    if reworded:
        shown = ", ".join(reworded[:5]) + (
            f" and {len(reworded) - 5} more" if len(reworded) > 5 else ""
        )
        log.warning(
            "labels.yaml %s words %s otherwise (title, definition or colour) than project "
            "%r, whose labeling config was made from labels.yaml %s too: answers made before "
            "and after this push record the same version, so an export cannot tell the two "
            "wordings apart. Bump `version` in labels.yaml (PATCH for a change of wording) "
            "before pushing it",
            tax.version,
            shown,
            proj.get("title"),
            tax.version,
        )
        return reworded
    recorded = config_taxonomy_sha256(str(proj.get("label_config") or ""))
    if recorded and recorded != tax.content_sha256:
        # the same wording in the view, other content (an example, a span's or severity
        # level's details): the digest the config records tells them apart (audit 49 A10)
        log.warning(
            "labels.yaml %s (content sha256 %s) has other content than the one project %r "
            "was pushed with (content sha256 %s recorded in its labeling config), though "
            "the version and the labels' wording are the same (an example, a guideline or "
            "another detail changed): answers made before and after this push record the "
            "same version, so an export cannot tell the two apart. Bump `version` in "
            "labels.yaml (PATCH for a change of wording) before pushing it",
            tax.version,
            tax.content_sha256[:12],
            proj.get("title"),
            recorded[:12],
        )
    return reworded


def check_same_version_content(
    client: StudioClient, proj: dict[str, Any], tax: Taxonomy, reworded: list[str] = ()
) -> None:
    """Refuse to replace the labeling config of ``proj``, made from labels.yaml
    ``tax.version`` too, with other content of that version while the project holds
    answers: the config's content digest would then certify the new content for answers
    made under the old (break49 B15, B11), and nothing could tell them apart. Other
    content: the digest the config records differs from ``tax``'s, or (none recorded)
    the labels' wording differs (``reworded``, :func:`reworded_labels`). A project with
    no answer yet takes the new content (the caller has warned). Raises TaxonomyError."""
    xml = str(proj.get("label_config") or "")
    if config_taxonomy_version(xml) != tax.version:
        return
    recorded = config_taxonomy_sha256(xml)
    if recorded is not None and recorded == tax.content_sha256:
        return
    if recorded is None and not reworded:
        return
    annotated = client.count_annotated_tasks(int(proj["id"]))
    if not annotated:
        return
    what = (
        f"content sha256 {tax.content_sha256} instead of {recorded}, recorded in its "
        "labeling config"
        if recorded is not None
        else f"other wording of {', '.join(reworded)} (its config records no content digest)"
    )
    raise TaxonomyError(
        f"labels.yaml {tax.name} {tax.version} has other content than the labels.yaml "
        f"{tax.version} project {proj.get('title')!r} (id {proj['id']}) was pushed with "
        f"({what}); it holds {annotated} answered task(s). Replacing its labeling config "
        "would record the new content for answers made under the old, so an export would "
        "certify guidelines their reviewers did not see; its labeling config was left "
        "unchanged.",
        fix="bump `version` in labels.yaml (PATCH for a change of wording or examples) so the "
        "change is recorded, or pass --labels with the labels.yaml the project was pushed "
        "with.",
    )


def check_project_ids(
    proj: dict[str, Any], tax: Taxonomy, project_config: LabelConfig | None = None
) -> None:
    """Refuse ``tax`` when it gives a category of the labels.yaml ``proj``'s labeling
    config was made from (same name, same MAJOR version) another id (position): exports
    of the two versions would read one category as another
    (:func:`annotate.taxonomy.check_stable_ids`). A config of another taxonomy, or
    written by hand, is no such record: nothing checked. ``project_config``: ``proj``'s
    config, parsed (None: parsed here)."""
    xml = str(proj.get("label_config") or "")
    if config_taxonomy_name(xml) != tax.name:
        return
    if project_config is None:
        project_config = project_label_config(xml)
    control = project_config.controls.get(tax.interface.categories)
    if control is None:
        return
    check_stable_ids(
        list(control.order),
        config_taxonomy_version(xml),
        tax,
        where=f"the labeling config of project {proj.get('title')!r}",
    )


def check_server_ids(client: StudioClient, tax: Taxonomy) -> None:
    """:func:`check_project_ids` for every project on the server: a new project made from
    a labels.yaml that renumbers the categories of an older project's (the next batch,
    pushed after a category was inserted before ``none``) is refused before it is made."""
    for proj in client.list_projects(include="id,title,label_config"):
        check_project_ids(proj, tax)


def check_projects_ids(client: StudioClient, project_ids: Iterable[int], tax: Taxonomy) -> None:
    """:func:`check_project_ids` for each project of ``project_ids`` (read from the server):
    an export with a labels.yaml that renumbers the categories of the version its projects
    were made from would write ids that read as other categories beside earlier exports."""
    for project_id in project_ids:
        check_project_ids(client.get_project(int(project_id)), tax)


def check_label_change(
    client: StudioClient,
    proj: dict[str, Any],
    config: LabelConfig,
    tax: Taxonomy,
    project_config: LabelConfig | None = None,
) -> list[str]:
    """Refuse to drop or rename labels of a project that already holds annotations.

    Adding labels is allowed (old answers still read); removing or renaming one would
    make reviewed answers unreadable under the new labels.yaml. ``config``: the new
    labeling config, parsed; ``project_config``: ``proj``'s, parsed (None: parsed here).
    Labels added under a new version to a project with answers are warned
    (:func:`warn_added_labels`). Returns the labels added (``control:name``, sorted).
    Raises :class:`TaxonomyError` naming the labels that would disappear.
    """
    if project_config is None:
        project_config = project_label_config(proj.get("label_config"))
    check_project_ids(proj, tax, project_config)
    old = label_values(project_config)
    new = label_values(config)
    # the taxonomy's own labels (other controls, such as the reveal tick, come and go
    # with annotate's versions, not with labels.yaml's)
    ui = tax.interface
    names = (ui.categories, ui.spans, ui.severity)
    changed = sorted(
        f"{sign}{name}:{value}"
        for sign, a, b in (("+", new, old), ("-", old, new))
        for name in names
        for value in a.get(name, frozenset()) - b.get(name, frozenset())
    )
    same_version = config_taxonomy_version(str(proj.get("label_config") or "")) == tax.version
    if changed and same_version:
        raise TaxonomyError(
            f"labels.yaml {tax.version} has other labels than project {proj.get('title')!r}, "
            f"whose labeling config was made from labels.yaml {tax.version} too "
            f"({', '.join(changed)}); answers would record one version for two label sets.",
            fix="bump `version` in labels.yaml (MINOR when adding a label, MAJOR when removing "
            "or renaming one) and push again.",
        )
    if same_version:
        reworded = reworded_labels(proj, config, tax, project_config)
        check_same_version_content(client, proj, tax, reworded)
    added = sorted(c[1:] for c in changed if c.startswith("+"))
    lost = sorted(
        f"{name}:{value}" for name, values in old.items() for value in values - new.get(name, set())
    )
    if not lost:
        if added:
            warn_added_labels(client, proj, added, tax)
        return added
    annotated = client.count_annotated_tasks(int(proj["id"]))
    if annotated == 0:
        log.warning("labels %s leave project %r (no annotations yet)", lost, proj.get("title"))
        return added
    # controls labels.yaml renders none of: added to the project's config in Label
    # Studio by hand, which no labels.yaml (the one it was made with included) brings back
    rendered = set(new) | set(names)
    edited = sorted({label.split(":", 1)[0] for label in lost} - rendered)
    if edited:
        raise TaxonomyError(
            f"the labeling config of project {proj.get('title')!r} has control(s) "
            f"{', '.join(repr(c) for c in edited)} ({', '.join(lost)}) that labels.yaml "
            f"{tax.version} does not render: the config was edited in Label Studio. A push "
            f"would drop them while the project holds {annotated} annotated task(s); its "
            "labeling config was left unchanged.",
            fix="remove those controls from the project's labeling config in Label Studio "
            "(Settings > Labeling Interface) and push again, or push into a new project "
            "(--project).",
        )
    raise TaxonomyError(
        f"labels.yaml {tax.version} drops or renames label(s) {', '.join(lost)} that project "
        f"{proj.get('title')!r} uses; it holds {annotated} annotated task(s) and its labeling "
        "config was left unchanged.",
        fix="push with the labels.yaml the project was made with (--labels), or push into a new "
        "project (--project); the reviewed work stays exportable with the new labels.yaml when "
        "it declares `migrations` from the project's version (docs/export-and-audit.md, "
        "`annotate export`).",
    )
