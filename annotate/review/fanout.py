"""K blind reviewers per passage on Label Studio Community: one project per reviewer.

Measured on Label Studio 1.23.2 Community (see docs/review.md, "Several reviewers"):
``maximum_annotations=K`` on one project does make the labeling stream serve each task
to K different users, and the stream (``/api/projects/{id}/next/``) only returns the
reviewer's own annotations, but the same project's Data Manager and ``/api/tasks/``
show every reviewer's answer to every member. So each reviewer gets a project of their
own, ``NAME · r-…`` (the reviewer's pseudonym, marked in its description; see
:mod:`annotate.review.queues`), holding the passages assigned
to them (each passage to K of them) plus gold tasks; nothing another reviewer
answered is ever in it.

Assignment is deterministic and resumable: a passage already in some reviewers'
projects stays there; it is added to the least-loaded others (ties broken by a hash
of passage id and email) until K hold it. Re-running a push adds nothing.

A passage of the pre-labels that is already a gold task in the review set (pushed
earlier from a gold table) is not pushed again as a regular task: it stays gold, so
export keeps it out of the corpus. It is not refused: nothing is lost or counted twice,
and a batch of new documents should not wait on a few passages picked for gold earlier.
But a lead must not take it for reviewed data, so the warning lasts: the push marks its
gold key ``also_regular``, and review status, agreement and export say so (the push's
own warning: :attr:`ReviewPushResult.skipped_gold`).

A re-post is not pushed either (unless ``keep_reposts``): a passage of the pre-labels whose
exact text (:func:`annotate._util.passage_ids.text_key`, ingest's exact-duplicate key) a
task of the set already holds under the id of a passage the file does not have, a gold
task's included (the same statement in another document). The check is by text across
passage ids only: a passage already queued under its own id still goes to K reviewers
(a push cut short tops it up), and the gold table's tasks, which every queue holds on
purpose, are never left out.

Who gets which passage and how much gold is reckoned in :mod:`annotate.review.assignment`;
the queues are read and filled through :mod:`annotate.review.queue_tasks`; re-posts and
passages of renamed documents are found with :mod:`annotate.review.repost_texts`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate._util.passage_ids import text_key
from annotate._util.progress import (
    ProgressFn,
    advance,
    begin,
    finish,
    in_flight,
    set_total,
)
from annotate.corpus.licenses import task_license
from annotate.corpus.resolve import pseudonym
from annotate.errors import AnnotateError, InputError
from annotate.review import push_intent
from annotate.review.assignment import (
    assign,
    gold_share,
    pick_reviewers,
    tiebreak,
    within_room,
)
from annotate.review.gold import ALSO_REGULAR, GOLD_META_KEY, gold_key, read_gold
from annotate.review.gold_tells import GoldTells, gold_tells
from annotate.review.graphic_cap import (
    graphic_of,
    open_graphic,
    own_cap,
    reviewer_cap,
    riskiest_first,
    room_left,
)
from annotate.review.held_back import record_held
from annotate.review.late_copies import passage_of
from annotate.review.leads import leads_of
from annotate.review.parents import earlier_threads, link_parents
from annotate.review.push_intent import PushIntent
from annotate.review.queue_tasks import (
    add_new_predictions,
    check_import_answer,
    counted_listing,
    create_queue,
    listing_reader,
    note_hidden,
    without_late_copies,
)
from annotate.review.queues import (
    find_queues,
    k_mismatch_error,
    migrate,
    queue_owners,
    record_k,
    recorded_k,
    set_away,
    unknown_salt_error,
)
from annotate.review.rehide import HidingRefresh, refresh_hiding
from annotate.review.repost_texts import HeldText, doc_of, note_text, renamed_passages, reposts_in
from annotate.review.reviewer_rule import check_reviewers, for_reviewer, reviewer_taxonomy
from annotate.review.reviewers import (
    DEMO_EMAILS,
    list_reviewers,
    signed_up_elsewhere,
)
from annotate.review.set_names import close_set_names
from annotate.review.view import (
    SOURCE_FIELDS,
    blind_task,
    hide_in_queue_tab,
)
from annotate.studio import pushed_projects
from annotate.studio.client import StudioClient, TaskListing, connect
from annotate.studio.connection import resolve_connection
from annotate.studio.input_sources import input_file_of, other_source
from annotate.studio.label_config import parse_label_config
from annotate.studio.lock import project_lock
from annotate.studio.other_licences import other_licences_of
from annotate.studio.projects import (
    LIST_FIELDS,
    MAX_TITLE,
    REVIEW_MARKER,
    project_set,
    review_set_of,
    short_name_error,
    twin_error,
)
from annotate.studio.push import (
    DEFAULT_BATCH_SIZE,
    ensure_project,
    fill_carried,
    import_retrying,
    made_by_annotate,
    read_carried,
    read_tasks,
)
from annotate.studio.reposts import listed_reposts, record_reposts
from annotate.studio.shown_text import SOURCE_TEXT_FIELD, passage_text
from annotate.studio.tasks import LICENSE_FIELD, PASSAGE_ID_FIELD, PRIORITY_FIELD
from annotate.studio.versions import DocCover, other_versions, task_index
from annotate.table_schemas import NEIGHBOUR_COLUMNS
from annotate.taxonomy import Taxonomy, as_taxonomy

log = logging.getLogger(__name__)

MARKER = REVIEW_MARKER
REPOST_EXAMPLES = 3  # re-posts a push result names (all are logged)


def _check_new_set_name(project: str, listing: list[dict[str, Any]]) -> None:
    """InputError when ``project``, the name of a review set not there yet, is close to
    the name of one of the review sets in ``listing`` (Label Studio's projects): a slip
    of that name would queue its passages, reviewed there already, again."""
    sets = sorted({name for p in listing if (name := review_set_of(p)) is not None})
    near = close_set_names(project, sets)
    if near:
        raise InputError(
            f"{project!r} is no review set yet, and its name is close to the review set "
            f"{near[0]!r}: a new set would queue passages again that reviewers may have "
            "answered there.",
            fix=f"pass --project {near[0]!r} to push into it, or add --new-set if "
            f"{project!r} is a new review set on purpose.",
        )


@dataclass
class ReviewerShare:
    email: str
    alias: str  # the reviewer's pseudonym, which the queue's title shows
    project_id: int
    project_url: str
    created: int = 0
    gold: int = 0
    already: int = 0  # passages of this push (gold ones included) already in the queue
    already_gold: int = 0  # of ``already``: gold tasks (the gold table's, queued before)
    queued_before: int = 0  # tasks in the queue before this push (earlier batches' too)
    # of ``queued_before``: tasks neither answered nor skipped (Label Studio serves them
    # before this push's tasks, whatever their priority; a reviewer's own skipped task it
    # leaves out of "Label All Tasks", or serves after every other with the project's
    # "Requeue for me"); 0 for a new queue
    open_before: int = 0
    predictions_added: int = 0  # a newer model's predictions on tasks already there
    # the model version the queue showed reviewers before this push made it show this
    # push's (an older model's pre-labels pushed after a newer one's too); None: unchanged
    model_version_replaced: str | None = None


@dataclass
class ReviewPushResult:
    project: str
    k: int
    total: int
    model_version: str
    reviewers: list[ReviewerShare] = field(default_factory=list)
    # passages of the pre-labels already gold tasks in the review set: not pushed as
    # regular tasks (they stay gold, so export keeps them out of the corpus)
    skipped_gold: list[str] = field(default_factory=list)
    # reviewers without a queue who got no passage this push: no (empty) queue made
    without_queue: list[str] = field(default_factory=list)
    # demo accounts (`annotate demo`) left out of a push that named no --reviewer
    demo_left_out: list[str] = field(default_factory=list)
    # reviewers marked away by a hand-over (`review reassign`), left out of a push that
    # named no --reviewer; and those named although away: back, no longer marked away
    away_left_out: list[str] = field(default_factory=list)
    back: list[str] = field(default_factory=list)
    # lead accounts (`annotate reviewers add --lead`) left out of a push that named no
    # --reviewer
    leads_left_out: list[str] = field(default_factory=list)
    # lead accounts named with --reviewer: given a queue, they answer blind as reviewers and
    # would then adjudicate passages they answered (lead59 #5: the CLI warns)
    leads_named: list[str] = field(default_factory=list)
    # reviewers a push that named no --reviewer gave a first queue in a review set that
    # had queues already: every account takes part by default (a lead's or an auditor's
    # account too), so the CLI names them. A re-run of a stopped push judges by what the
    # stopped run meant (:mod:`annotate.review.push_intent`): the queues it had not made
    # yet are no joining
    joined: list[str] = field(default_factory=list)
    # reviewers whose queue, deleted in Label Studio since a push from here made it, this
    # push made again (--recreate-deleted): no joining, their passages go to review again
    recreated: list[str] = field(default_factory=list)
    # the most gold tasks --gold-rate asked for in one queue, when the gold table holds
    # fewer (every queue then holds all of them, below the rate); 0: the rate was met
    gold_wanted: int = 0
    gold_available: int = 0
    # gold tasks a reviewer can tell from the regular ones by what they see (no
    # provenance line, an id unlike ingest's): :func:`annotate.review.gold_tells.gold_tells`
    gold_tells: GoldTells = field(default_factory=lambda: GoldTells(0, 0, None))
    # tasks already in the set's queues holding a passage of a document of the file that
    # the file no longer holds (an edited document pushed again), as a plain push counts
    # them (:func:`annotate.studio.versions.other_versions`): tasks, documents, examples
    other_version_tasks: int = 0
    other_version_documents: int = 0
    other_version_examples: list[tuple[str, int]] = field(default_factory=list)
    # tasks this push creates (a passage sent to K reviewers: K) showing a note for a
    # neighbour their row carries that has no task in the set (ingest --previous; see
    # annotate.studio.push.fill_carried); passages already queued are not counted
    unknown_neighbours: int = 0
    # passages of the file whose exact text a task of the set already holds under another
    # passage id (a re-post), not pushed (keep_reposts pushes them): how many, and the
    # first few (passage id, its document, project id, task id holding the text)
    reposts: int = 0
    repost_examples: list[tuple[str, str, int, int]] = field(default_factory=list)
    # passages of the file the set holds under the document id an earlier annotate gave
    # a whole-number id read as a float ('7.0', now '7'; annotate._util.renamed_ids):
    # left out, not re-posts; how many, and the first few (passage id, its document id,
    # the task's, task id)
    renamed: int = 0
    renamed_examples: list[tuple[str, str, str, int]] = field(default_factory=list)
    # --max-graphic-per-reviewer: the cap (None: none), and graphic passage id -> the
    # reviewers it lacks (of K) for want of room in their queues (a later push adds them)
    max_graphic: int | None = None
    # reviewer -> their own cap (labels.yaml wellbeing.reviewers.EMAIL.max_graphic) where
    # it is stricter than --max-graphic-per-reviewer (or there is none): what capped them
    own_caps: dict[str, int] = field(default_factory=dict)
    held_graphic: dict[str, int] = field(default_factory=dict)
    # of ``held_graphic``, the passages no queue holds after the push (none had a task of
    # them before, none got one): what the held-back record keeps for `review status`; a
    # passage held back from some queues only is in a queue, short of K
    held_from_every_queue: dict[str, int] = field(default_factory=dict)
    # unanswered extra tasks of a passage in a queue, made by an earlier push's lost
    # import request after that push ended (a slow server): deleted by this push
    late_copies_removed: int = 0
    # passages in a queue more than once after this push, not there twice before it:
    # copies another push into the set made at the same time (another machine's, or one
    # with another lock folder), summed over the queues; left alone (the next push's
    # start removes the unanswered ones), as a plain push's ``repeated_left``
    repeated_left: int = 0
    # passages of the file already in the set's queues whose task records another licence
    # (or none) than the file's row, as a plain push counts them
    # (:func:`annotate.studio.other_licences.other_licences_of`): left as they are, so the
    # export keeps the task's; how many, and the first few (passage id, task id, theirs, file's)
    other_licence: int = 0
    other_licence_examples: list[tuple[str, int, str | None, str]] = field(default_factory=list)
    # passages of the file already in the set under their id whose task holds another text
    # than the file's row (:func:`other_texts_of`): left as they are; how many, and the
    # first few (passage id, task id, where in the file)
    other_text: int = 0
    other_text_examples: list[tuple[str, int, str]] = field(default_factory=list)
    # passages of the file already in the set under their id whose task was ingested from
    # another input file (:func:`other_sources_of`: two sources' colliding ids, most
    # likely): left as they are; how many, and the first few (passage id, task id, the
    # task's input file, the row's)
    other_source: int = 0
    other_source_examples: list[tuple[str, int, str, str]] = field(default_factory=list)
    # the wellbeing rule of labels.yaml applied to the tasks already queued: open ones
    # brought up to it, answered ones kept as seen (annotate.review.rehide)
    hiding: HidingRefresh = field(default_factory=HidingRefresh)
    # reviewer -> tasks this push adds to their queue hidden by their own stricter rule
    # (labels.yaml wellbeing.reviewers) that the set-wide rule shows
    own_rule_hidden: dict[str, int] = field(default_factory=dict)


def _text_key_of(data: dict[str, Any], field_name: str) -> int | None:
    text = passage_text(data, field_name)  # a subtitle cue's: as ingested
    return text_key(text) if isinstance(text, str) else None


def other_texts_of(
    tasks: list[dict[str, Any]],
    there: list[tuple[str, int, int | None]],
    field_name: str,
    located: dict[str, str],
    examples: int = 3,
) -> tuple[int, list[tuple[str, int, str]]]:
    """Passages of the file (``tasks``, in file order) already in the set under their id
    whose task holds another text than the file's row (``there``: (passage id, task id,
    its text's ``text_key``) of the regular tasks read; compared by digest, never the
    texts): push leaves such tasks as they are, so reviewers label the old text. Returns
    (passages, the first ``examples`` as (passage id, its lowest such task id, where its
    row is in the file: ``located``)), as the plain push's
    :meth:`annotate.studio.staging.Staging.other_texts`."""
    ours = {str(t["data"][PASSAGE_ID_FIELD]): _text_key_of(t["data"], field_name) for t in tasks}
    differing: dict[str, int] = {}
    for pid, task_id, key in there:
        mine = ours.get(pid)
        if mine is not None and key is not None and key != mine:
            differing[pid] = min(task_id, differing.get(pid, task_id))
    order = [pid for pid in ours if pid in differing]
    return len(order), [(pid, differing[pid], located.get(pid, "")) for pid in order[:examples]]


def other_sources_of(
    tasks: list[dict[str, Any]], there: list[tuple[str, int, str | None]], examples: int = 3
) -> tuple[int, list[tuple[str, int, str, str]]]:
    """Passages of the file (``tasks``, in file order) already in the set under their id
    whose task was ingested from another input file (``there``: (passage id, task id, its
    data's ``input_file``) of the tasks read; both recorded): most likely two sources whose
    document ids coincide. Returns (passages, the first ``examples`` as (passage id, its
    lowest such task id, that task's input file, the row's)), as the plain push's
    :meth:`annotate.studio.staging.Staging.other_sources`."""
    ours = {str(t["data"][PASSAGE_ID_FIELD]): input_file_of(t["data"]) for t in tasks}
    differing: dict[str, tuple[int, str]] = {}
    for pid, task_id, theirs in there:
        mine = ours.get(pid)
        other = mine is not None and theirs is not None and other_source(theirs, mine)
        if other and (pid not in differing or task_id < differing[pid][0]):
            differing[pid] = (task_id, str(theirs))
    order = [pid for pid in ours if pid in differing]
    return len(order), [
        (pid, differing[pid][0], differing[pid][1], str(ours[pid])) for pid in order[:examples]
    ]


def _repeated(keys: Iterable[tuple[str, bool]]) -> set[tuple[str, bool]]:
    """The keys (passage id, gold or not) met more than once."""
    seen: set[tuple[str, bool]] = set()
    twice: set[tuple[str, bool]] = set()
    for key in keys:
        (twice if key in seen else seen).add(key)
    return twice


def repeated_left(
    client: StudioClient,
    expected: Mapping[int, int],
    kept_before: Mapping[int, set[tuple[str, bool]]],
) -> int:
    """Passages in a queue more than once after a push (as regular tasks, or as gold
    tasks), counted over the queues of ``expected`` (queue id -> the tasks it should hold:
    those there before the push plus those it made), less those ``kept_before`` (queue id
    -> passages twice that the push's start kept). Another push importing into the set
    at the same time (another machine's, or one with another lock folder) makes them; the
    next push's start removes the unanswered ones (:func:`without_late_copies`). A queue
    holding no more tasks than expected (one request for its count) is not listed."""
    left = 0
    for project_id, wanted in expected.items():
        held = client.get_project(project_id).get("task_number")
        if not isinstance(held, int) or held <= wanted:
            continue
        tasks = client.iter_tasks(project_id, include="id,data,meta")
        twice = _repeated(
            (pid, GOLD_META_KEY in (t.get("meta") or {}))
            for t in tasks
            if (pid := passage_of(t)) is not None
        )
        left += len(twice - kept_before.get(project_id, set()))
    return left


def push_review(
    prelabels: str | os.PathLike[str],
    project: str,
    k: int,
    *,
    reviewers: list[str] | None = None,
    gold: str | os.PathLike[str] | None = None,
    gold_rate: float = 0.0,
    labels: str | os.PathLike[str] | None = None,
    taxonomy: Taxonomy | None = None,
    client: StudioClient | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    salt: str | None = None,
    keep_reposts: bool = False,
    max_graphic: int | None = None,
    new_set: bool = False,
    progress: ProgressFn | None = None,
    reading: ProgressFn | None = None,
    recreate_deleted: bool = False,
) -> ReviewPushResult:
    """:func:`_push_review` holding the push lock of ``project`` on this server
    (:func:`annotate.studio.lock.project_lock`, as a plain push does): two pushes into one
    review set at once each found no queues and made every reviewer two of them. A second
    push waits for the first, then finds its passages there."""
    if k < 1:
        raise InputError(f"--reviewers-per-task must be at least 1, found {k}.", fix="use 2 or 3.")
    if len(project) > MAX_TITLE - 15:  # "NAME · adjudication" must fit too
        raise InputError(
            f"project name {project!r} has {len(project)} characters; a review set's name may "
            f"have {MAX_TITLE - 15} (Label Studio titles hold {MAX_TITLE}).",
            fix="use a shorter --project name.",
        )
    if max_graphic is not None and max_graphic < 0:
        raise InputError(
            f"--max-graphic-per-reviewer must be 0 or more, found {max_graphic}.",
            fix="e.g. --max-graphic-per-reviewer 10 (0 holds every graphic passage back).",
        )
    if gold is not None and not 0 < gold_rate < 1:
        raise InputError(
            f"--gold-rate must be between 0 and 1 (exclusive), found {gold_rate}.",
            fix="e.g. --gold-rate 0.1 for one gold task in ten.",
        )
    try:  # the server's URL without a request: a bad table is still named before it
        url: str | None = client.url if client is not None else resolve_connection().url
    except AnnotateError:  # no server configured: _push_review says so after its input checks
        url = None
    with project_lock(url, project) if url else contextlib.nullcontext():
        result = _push_review(
            prelabels,
            project,
            k,
            reviewers=reviewers,
            gold=gold,
            gold_rate=gold_rate,
            labels=labels,
            taxonomy=taxonomy,
            client=client,
            batch_size=batch_size,
            salt=salt,
            keep_reposts=keep_reposts,
            max_graphic=max_graphic,
            new_set=new_set,
            progress=progress,
            reading=reading,
            recreate_deleted=recreate_deleted,
        )
        # status shows what waits in no queue (a cap of 0 holds it out of every queue); a
        # passage held back from some queues only is in a queue: status counts it short
        # of K, and a record of it would be pruned as if a push had queued it since
        if url:  # None: no server configured, and _push_review raised before
            held = result.held_from_every_queue
            record_held(
                url,
                project,
                prelabels,
                held,
                max_graphic=max_graphic,
                k=k,
                own_caps=result.own_caps,
            )
        return result


def _push_review(
    prelabels: str | os.PathLike[str],
    project: str,
    k: int,
    *,
    reviewers: list[str] | None = None,
    gold: str | os.PathLike[str] | None = None,
    gold_rate: float = 0.0,
    labels: str | os.PathLike[str] | None = None,
    taxonomy: Taxonomy | None = None,
    client: StudioClient | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    salt: str | None = None,
    keep_reposts: bool = False,
    max_graphic: int | None = None,
    new_set: bool = False,
    progress: ProgressFn | None = None,
    reading: ProgressFn | None = None,
    recreate_deleted: bool = False,
) -> ReviewPushResult:
    """Give each passage of ``prelabels`` to K reviewers, each in their own project.

    ``reviewers``: emails (default: every user of the organization but the admin, the demo
    accounts and reviewers a hand-over marked away in this review set; named ones are
    included, and no longer away).
    ``gold``/``gold_rate``: a gold table (see :mod:`annotate.review.gold`) and the share
    of gold tasks in each reviewer's queue (0 < R < 1; each reviewer gets the same gold
    passages, at least one). Raises InputError when there are fewer reviewers than K.
    ``salt``: the pseudonym salt naming the queues (default: this machine's, see
    :func:`annotate.corpus.salt.reviewer_salt`). Passages of ``prelabels`` that are gold
    tasks in the review set already are skipped (they stay gold), listed in
    :attr:`ReviewPushResult.skipped_gold`, and their gold keys marked so review status,
    agreement and export keep saying so. A re-post (see the module docstring) is not
    pushed unless ``keep_reposts``; :attr:`ReviewPushResult.reposts` counts them.
    ``max_graphic``: at most this many open graphic passages per queue, the rest held
    back for a later push (:mod:`annotate.review.graphic_cap`; None: no cap), counted in
    :attr:`ReviewPushResult.held_graphic`; a reviewer's own cap (labels.yaml
    ``wellbeing.reviewers.EMAIL.max_graphic``) applies to their queue the same way, the
    stricter of the two (:attr:`ReviewPushResult.own_caps`).
    A new review set whose name is close to an existing one's
    (:func:`annotate.review.set_names.close_set_names`: ``Batch Dec-3`` beside ``Batch
    Dec-03``) is refused with InputError naming it, unless ``new_set``. Late copies in
    the queues (tasks an earlier push's lost request made after it ended) are deleted
    first (:attr:`ReviewPushResult.late_copies_removed`). ``progress(n)`` is called with
    the tasks of each batch imported into a queue, once their number in all (regular and
    gold tasks of every queue) is known (:func:`annotate._util.progress.set_total`);
    ``reading(n)`` before that, with the tasks read from the queues already there (what
    they hold: the whole of a re-run), timed from when the reading starts.
    A queue of the set that a push from this machine made or filled and that is gone
    from the server (deleted in Label Studio, its answers with it) raises StudioError
    before anything is sent, unless ``recreate_deleted`` (made again as needed):
    :mod:`annotate.studio.pushed_projects`.
    """
    tax = taxonomy if taxonomy is not None else as_taxonomy(labels)
    label_config = tax.render_label_config()
    config = parse_label_config(label_config)
    located: dict[str, str] = {}  # passage id -> where its row is in the file
    tasks = read_tasks(Path(prelabels), tax, config, located)
    # neighbours rows carry (ingest --previous): their own tasks' content warnings
    carried = read_carried(Path(prelabels))
    wanted = {n for sides in carried.values() for n, _ in sides.values()}
    hidden_of: dict[str, bool | None] = {}
    gold_tasks = read_gold(gold, tax, config) if gold is not None else []
    model_version = Counter(t["data"]["model_version"] for t in tasks).most_common(1)[0][0]
    overlap = {t["data"][PASSAGE_ID_FIELD] for t in tasks} & {
        t["data"][PASSAGE_ID_FIELD] for t in gold_tasks
    }
    if overlap:
        raise InputError(
            f"{len(overlap)} gold passage(s) are also in {prelabels}, e.g. {sorted(overlap)[0]!r}.",
            fix="remove gold passages from the pre-labels.",
        )

    client = client or connect()
    users = list_reviewers(client)
    accounts = [u["email"].lower() for u in users]
    check_reviewers(tax, accounts)  # a stricter rule for nobody: refused before anything
    for email in dict.fromkeys(r.strip().lower() for r in reviewers or []):
        if email not in accounts and signed_up_elsewhere(client, email):
            raise InputError(
                f"{email} was removed from the organization of {client.url} (Label Studio "
                "keeps the account, so `annotate reviewers add` cannot sign it up again).",
                fix=f"leave {email} out of --reviewer (their queue and answers stay; hand its "
                "open tasks on with `annotate review reassign`), or add the reviewer under "
                "another e-mail.",
            )
    members = project_set(client, project)  # raises on a mixed name
    if (twin := twin_error(members)) is not None:
        raise twin
    if (short := short_name_error(members)) is not None:
        raise short
    if members.kind == "single":
        single = members.projects[0]
        made = made_by_annotate(single.get("label_config"), tax)  # project_set reads in full
        what = (
            "a project pushed without --reviewers-per-task"
            if made
            else "a project annotate did not make (no labels.yaml labeling config)"
        )
        raise InputError(
            f"{project!r} is {what} (id {single['id']}); a review set of the same name "
            "would leave its answers out of export and agreement.",
            fix="push the review set under another --project name.",
        )
    if members.kind == "numbered":
        raise InputError(
            f"{project!r} is a push split over numbered projects ({project} #1, ...); a review "
            "set is one project per reviewer and is not split.",
            fix="push the review set under another --project name.",
        )
    listing = client.list_projects(include=LIST_FIELDS)
    if members.kind != "review" and not new_set:  # no queue of it yet: a new review set
        _check_new_set_name(project, listing)
    # the salt names the queues: this machine's is made (on first use) only once the push
    # is accepted, so a refused one leaves none behind; until then a throwaway one, which
    # names no account, finds the queues (a set pushed under a salt, where this machine
    # has none, is refused as pushed with another salt)
    if salt is None:
        from annotate.corpus.salt import stored_salt

        kept = stored_salt()
    else:
        kept = salt
    queues = find_queues(client, project, kept if kept is not None else secrets.token_hex(16))
    error = unknown_salt_error(queues, project)
    if error is not None:
        raise error
    recorded = recorded_k([q.project for q in queues])
    if recorded is not None and recorded != k:
        raise k_mismatch_error(project, recorded, k)
    # a queue a push from here made, deleted in Label Studio since: said (with whose it
    # was), not remade unless told; those remade are no reviewers joining the set
    server = pushed_projects.server_of(client)
    owners = queue_owners(client, project, kept) if kept is not None else {}
    gone = pushed_projects.check_deleted(
        server,
        project,
        [int(q.project["id"]) for q in queues],
        recreate=recreate_deleted,
        what="review set",
        owners=owners,
    )
    recreated = frozenset(owners[title] for title in gone.values() if title in owners)
    queued = {int(q.project["id"]): str(q.project.get("title") or "") for q in queues}
    pushed_projects.remember(server, project, queued)
    # reviewers a hand-over marked away (`annotate review reassign`): left out unless named
    away = {q.email for q in queues if q.email and q.away}
    # lead accounts (`annotate reviewers add --lead`, kept on this machine): no queue
    # unless named (passL54 finding 4: the lead got a queue, then adjudicated her own)
    lead_accounts = leads_of(client) & set(accounts) - DEMO_EMAILS
    leads = lead_accounts - away
    people, demo_left_out = pick_reviewers(accounts, reviewers, k, client.url, away, leads)
    if demo_left_out:
        log.info("demo accounts left out (name them with --reviewer): %s", demo_left_out)
    away_left_out = [] if reviewers else sorted(away & set(accounts) - DEMO_EMAILS)
    leads_left_out = [] if reviewers else sorted(leads)
    # named with --reviewer: a queue all the same (one marked away too: back, a lead still)
    leads_named = sorted(lead_accounts & set(people))
    back = sorted(away & set(people))  # named with --reviewer: back from leave
    if kept is None:
        from annotate.corpus.salt import reviewer_salt

        salt = reviewer_salt()
        if queues:  # e-mail queues of a set pushed before pseudonyms: named under it now
            queues = find_queues(client, project, salt)
    else:
        salt = kept
    existing = {q.email: q for q in queues if q.email}
    # what a stopped run of this push meant (its re-run finishes it), else this run's
    inputs = push_intent.inputs_digest(prelabels, gold)  # a re-run reads the same files
    stopped = push_intent.unfinished(client.url, project, inputs)
    intent = stopped or PushIntent(
        bool(queues) or bool(recreated), frozenset(existing) | recreated, frozenset(people), inputs
    )
    user_ids = {str(u["email"]).lower(): int(u["id"]) for u in users}
    taken = {str(p.get("title")) for p in listing}
    projects: dict[str, dict[str, Any]] = {}
    present: dict[str, set[str]] = {}
    versions: dict[str, dict[str, tuple[int, frozenset[str]]]] = {}
    read = counted_listing(listing_reader(client, comma_free="," not in model_version), reading)
    begin(reading)  # its time: the reading, not the file's loading and checks before it
    gold_present: dict[str, list[dict[str, Any]]] = {}  # passage -> its gold tasks
    # regular tasks: (doc id, task id, passage, passage index)
    listed: list[tuple[str | None, int, str, int | None]] = []
    # regular tasks: (passage, task id, the licence the task records)
    licences_there: list[tuple[str, int, str | None]] = []
    # the text_key of every task's text -> (its passage id, project id, task id, meta,
    # document id, passage index): the oldest task of each text (one per distinct text)
    texts: dict[int, HeldText] = {}
    # regular tasks: (passage, task id, the text_key of its text; None: no text)
    texts_there: list[tuple[str, int, int | None]] = []
    # (passage id, task id, the input file its data records) of the tasks there
    sources_there: list[tuple[str, int, str | None]] = []
    field_name = tax.interface.text_field
    late_copies: list[int] = []  # tasks an earlier push's lost request made after it ended
    # per queue there before: its tasks, and the passages in it twice that the clean-up
    # above kept (answered, skipped or drafted copies: no push removes them)
    held_before: dict[int, int] = {}
    kept_before: dict[int, set[tuple[str, bool]]] = {}
    shown_cues = any(SOURCE_TEXT_FIELD in t["data"] for t in tasks)
    queued_tasks: list[tuple[int, TaskListing]] = []  # every queue's: the wellbeing rule's
    open_in: dict[str, int | None] = {}  # per queue there before: its open tasks
    for email in people:
        versions[email] = {}
        present[email] = set()
        queue = existing.get(email)
        if queue is None:  # made below, if this push gives them a passage
            continue
        queue = migrate(client, queue, project, taken, recorded)  # e-mail -> pseudonym
        existing[email] = queue
        proj, _ = ensure_project(
            client, str(queue.project["title"]), label_config, tax, model_version, config
        )
        projects[email] = proj
        if shown_cues:  # a subtitle cue's source_text kept out of the grid as its text is
            hide_in_queue_tab(client, int(proj["id"]), tax, SOURCE_FIELDS)
        # one listing per queue: model versions, and gold tasks known by their meta
        listing = without_late_copies(client, int(proj["id"]), read, late_copies)
        held_before[int(proj["id"])] = len(listing)
        kept_before[int(proj["id"])] = _repeated(
            (t.passage, GOLD_META_KEY in t.meta) for t in listing if t.passage
        )
        for task in listing:
            queued_tasks.append((int(proj["id"]), task))
            note_text(texts, field_name, int(proj["id"]), task)
            if not task.passage:  # a task without a passage id is not annotate's
                continue
            versions[email][task.passage] = (task.id, task.versions)
            note_hidden(hidden_of, wanted, task)
            t = {"id": task.id, "data": task.data, "meta": task.meta}
            if gold_key(t) is not None:
                gold_present.setdefault(task.passage, []).append(t)
            else:
                listed.append((doc_of(task.data), task.id, task.passage, task_index(task.data)))
                licences_there.append((task.passage, task.id, task_license(task.data)))
                texts_there.append((task.passage, task.id, _text_key_of(task.data, field_name)))
                sources_there.append((task.passage, task.id, input_file_of(task.data)))
        present[email] = set(versions[email])
        # tasks neither answered nor skipped (None: the listing did not say)
        states = [task.open for task in listing if task.passage]
        open_in[email] = None if None in states else sum(bool(s) for s in states)
    holders: dict[str, set[str]] = {}
    for email, pids in present.items():
        for pid in pids:
            holders.setdefault(pid, set()).add(email)
    # queues of reviewers this push does not name, or who left the organization: their
    # passages are held too (answered ones count in export), so none goes to K + 1
    for queue in queues:
        if queue.email in present:
            continue
        for task in without_late_copies(client, int(queue.project["id"]), read, late_copies):
            queued_tasks.append((int(queue.project["id"]), task))
            note_text(texts, field_name, int(queue.project["id"]), task)
            if task.passage:
                note_hidden(hidden_of, wanted, task)
                holders.setdefault(task.passage, set()).add(queue.email or queue.alias)
                t = {"id": task.id, "data": task.data, "meta": task.meta}
                if gold_key(t) is not None:
                    gold_present.setdefault(task.passage, []).append(t)
                else:
                    listed.append((doc_of(task.data), task.id, task.passage, task_index(task.data)))
                    licences_there.append((task.passage, task.id, task_license(task.data)))
                texts_there.append((task.passage, task.id, _text_key_of(task.data, field_name)))
                sources_there.append((task.passage, task.id, input_file_of(task.data)))
    # a changed labels.yaml wellbeing rule reaches the tasks already waiting too (before
    # the cap counts the open graphic passages of each queue, and before a row's carried
    # neighbour is shown by whether its task carries a warning: one hidden now does)
    # (a reviewer with a stricter rule of their own, labels.yaml wellbeing.reviewers: theirs)
    own_rule = {
        int(q.project["id"]): reviewer_taxonomy(tax, q.email)
        for q in [*queues, *existing.values()]
        if q.email and tax.wellbeing.reviewer(q.email) is not None
    }
    hiding = refresh_hiding(client, queued_tasks, tax, blind=True, tax_of=own_rule)
    # the comments the file's replies answer that an earlier push queued (their thread)
    earlier = earlier_threads(
        tasks,
        (t.data for _, t in queued_tasks),
        field_name,
        {passage for passage, _ in hiding.now_hidden},
    )
    if earlier:
        link_parents(tasks, tax, earlier)
    del queued_tasks, earlier
    for passage, _ in hiding.now_hidden:
        if passage in wanted:
            hidden_of[passage] = True
    noted = fill_carried(tasks, carried, hidden_of)
    pids = [t["data"][PASSAGE_ID_FIELD] for t in tasks]
    covers: dict[str, DocCover] = {}
    for t in tasks:
        if (d := doc_of(t["data"])) and (index := task_index(t["data"])) is not None:
            sides = carried.get(str(t["data"][PASSAGE_ID_FIELD]), {})
            before, after = (sides.get(c, (None,))[0] for c in NEIGHBOUR_COLUMNS)
            covers.setdefault(d, DocCover()).add(index, before, after)
    other_tasks, other_docs, other_examples = other_versions(covers, set(pids), listed)
    del listed
    if other_tasks:
        log.info(
            "review set %r holds %d task(s) of %d document(s) of this file whose passage the "
            "file does not hold (an earlier version of the document), e.g. %s",
            project,
            other_tasks,
            other_docs,
            ", ".join(f"{d!r} task {t}" for d, t in other_examples),
        )
    other_licence, licence_examples = other_licences_of(
        {t["data"][PASSAGE_ID_FIELD]: t["data"].get(LICENSE_FIELD) for t in tasks}, licences_there
    )
    del licences_there
    other_text, text_examples = other_texts_of(tasks, texts_there, field_name, located)
    del texts_there
    other_source, source_examples = other_sources_of(tasks, sources_there)
    del sources_there
    if other_source:
        log.info(  # the CLI warns (from the result)
            "%d passage(s) of this file are already in review set %r under their id from "
            "another input file, e.g. %s: push leaves tasks already there as they are",
            other_source,
            project,
            ", ".join(
                f"{pid!r} task {t} from {a!r}, here {b!r}" for pid, t, a, b in source_examples
            ),
        )
    if other_text:
        log.info(  # the CLI warns (from the result); never the texts (personal data)
            "%d passage(s) of this file are already in review set %r under their id with "
            "another text, e.g. %s: push leaves tasks already there as they are",
            other_text,
            project,
            ", ".join(f"{pid!r} task {task}" for pid, task, _ in text_examples),
        )
    if other_licence:
        log.info(
            "%d passage(s) of this file are already in review set %r under another licence "
            "than the file records (or none), e.g. %s: push leaves tasks already there as they "
            "are, so the export keeps the task's licence",
            other_licence,
            project,
            ", ".join(
                f"{pid!r} task {task} {theirs or 'none'!r}, file {ours!r}"
                for pid, task, theirs, ours in licence_examples
            ),
        )
    skipped_gold = sorted(set(pids) & gold_present.keys())
    if recorded is None and queues:  # pushed before K was recorded: it holds a K
        most = max((len(h) for p, h in holders.items() if p not in gold_present), default=0)
        if most > k:
            raise k_mismatch_error(project, most, k, legacy=True)
    for queue in queues:  # every queue records K (a set pushed before K was recorded too)
        current = existing.get(queue.email or "", queue)
        if int(current.project["id"]) == int(queue.project["id"]):
            current = record_k(client, current, project, k)
            if current.email in back:  # named with --reviewer: no longer away
                set_away(client, current, project, None)
    if skipped_gold:
        # the CLI prints it (from the result): logged, not warned, so it is shown once
        log.info(
            "%d passage(s) of %s are gold tasks already in review set %r (e.g. %r): not pushed "
            "as regular tasks; they stay gold and export keeps them out of the corpus",
            len(skipped_gold),
            prelabels,
            project,
            skipped_gold[0],
        )
        pids = [pid for pid in pids if pid not in gold_present]
        for pid in skipped_gold:  # export counts them (ALSO_REGULAR) to say so too
            for t in gold_present[pid]:
                key = gold_key(t) or {}
                if not key.get(ALSO_REGULAR):
                    meta = {**t["meta"], GOLD_META_KEY: {**key, ALSO_REGULAR: True}}
                    client.update_task_meta(int(t["id"]), meta)
    renamed = renamed_passages(tasks, set(pids) - holders.keys(), texts, field_name)
    if renamed:
        log.info(  # the CLI warns (from the result)
            "%d passage(s) of %s are already in review set %r under the document id an "
            "earlier annotate wrote for a whole-number id read as a float, e.g. %s; left out",
            len(renamed),
            prelabels,
            project,
            ", ".join(f"{d!r} here, {h!r} on task {t}" for _, d, h, t in renamed[:3]),
        )
        gone = {pid for pid, *_ in renamed}
        pids = [pid for pid in pids if pid not in gone]
    reposts: list[tuple[str, str, int, int]] = []
    by_task: dict[int, list[tuple[str, str | None]]] = {}
    if not keep_reposts:
        by_id_all = {t["data"][PASSAGE_ID_FIELD]: t for t in tasks}
        unqueued = set(pids) - holders.keys()
        reposts = reposts_in(tasks, unqueued, texts, field_name, prelabels, located)
        left_out = {pid for pid, *_ in reposts}
        pids = [pid for pid in pids if pid not in left_out]
        for pid, _, _, task_id in reposts:
            by_task.setdefault(task_id, []).append((pid, doc_of(by_id_all[pid]["data"])))
    # a holder's record of re-posts left out loses those that have (or get, below) a
    # task of their own: pushed with --keep-reposts, or before; one request a holder
    meta_of = {held[2]: held[3] for held in texts.values()}
    placed = set(pids) | holders.keys()
    stale = {
        t: found
        for t, meta in meta_of.items()
        if (found := placed.intersection(listed_reposts(meta)))
    }
    record_reposts(
        client,
        [
            (t, by_task.get(t, []), meta_of.get(t), stale.get(t, set()))
            for t in sorted(by_task.keys() | stale.keys())
        ],
    )
    by_id = {t["data"][PASSAGE_ID_FIELD]: t for t in tasks}
    held: dict[str, int] = {}
    # the regular passages the queues hold: a queue's load is its regular tasks (its gold
    # tasks counted in it, a queue a stopped push had partly filled, its gold sorted among
    # its first tasks, was given fewer of the passages left than the others)
    regular_holders = {pid: who for pid, who in holders.items() if pid not in gold_present}
    # every reviewer gets gold passages in the same order, so the same ones
    gold_by_id = {
        t["data"][PASSAGE_ID_FIELD]: t
        for t in sorted(gold_tasks, key=lambda t: tiebreak(t["data"][PASSAGE_ID_FIELD], ""))
    }
    # graphic gold this push adds counts against --max-graphic-per-reviewer too (a queue's
    # gold first): reviewer -> room left for graphic gold (None: no cap)
    gold_room: dict[str, int] | None = None
    # each reviewer's cap: the stricter of --max-graphic-per-reviewer and their own
    # (labels.yaml wellbeing.reviewers.EMAIL.max_graphic); None: no cap for that queue
    caps = {e: reviewer_cap(max_graphic, tax, e) for e in people}
    if all(c is None for c in caps.values()):
        todo = assign(pids, people, k, regular_holders)
    else:  # the room left in the queues now: a re-run finds none where this push used it
        open_now = {
            e: open_graphic(client, int(projects[e]["id"]))
            for e in projects
            if caps.get(e) is not None
        }

        def capped_assign(busy: Mapping[str, int]) -> dict[str, list[str]]:
            held.clear()
            return assign(
                riskiest_first(pids, by_id),
                people,
                k,
                regular_holders,
                graphic=graphic_of(by_id),
                room=room_left(busy, caps, people),
                held_back=held,
            )

        todo = capped_assign(open_now)
        graphic_gold = graphic_of(gold_by_id)
        adding = gold_share(todo, people, projects, present, list(gold_by_id), gold_rate).adds
        reserved = {e: sum(p in graphic_gold for p in add) for e, add in adding.items()}
        if gold_tasks and any(reserved.values()):
            # a second pass with the gold's room taken first: it can only hold more back,
            # so no queue gains more graphic gold than reserved here
            todo = capped_assign(Counter(open_now) + Counter(reserved))
        regular_graphic = Counter(
            r for pid, who in todo.items() if pid in graphic_of(by_id) for r in who
        )
        gold_room = room_left(Counter(open_now) + regular_graphic, caps, people)
        if held:
            log.info(
                "%d graphic passage(s) held back from %d queue(s) by the caps of open "
                "graphic passages per queue (%s)",
                len(held),
                sum(held.values()),
                ", ".join(f"{e}: {c}" for e, c in caps.items() if c is not None),
            )
    # the tasks this push creates that show the note: a passage already in the queues (or
    # gold) is not sent again, so its earlier tasks are not counted
    unknown_neighbours = sum(len(todo.get(pid, ())) for pid in noted)
    if unknown_neighbours:
        log.info(
            "%d task(s) to create show a note for a neighbouring passage their row carries: "
            "no task of it in review set %r",
            unknown_neighbours,
            project,
        )

    result = ReviewPushResult(
        project=project,
        k=k,
        total=len(tasks),
        model_version=model_version,
        skipped_gold=skipped_gold,
        demo_left_out=demo_left_out,
        away_left_out=away_left_out,
        leads_left_out=leads_left_out,
        leads_named=leads_named,
        back=back,
        other_version_tasks=other_tasks,
        other_version_documents=other_docs,
        other_version_examples=other_examples,
        unknown_neighbours=unknown_neighbours,
        late_copies_removed=len(late_copies),
        other_licence=other_licence,
        other_licence_examples=licence_examples,
        other_text=other_text,
        other_source=other_source,
        other_source_examples=source_examples,
        other_text_examples=text_examples,
        reposts=len(reposts),
        repost_examples=reposts[:REPOST_EXAMPLES],
        renamed=len(renamed),
        renamed_examples=renamed[:REPOST_EXAMPLES],
        max_graphic=max_graphic,
        own_caps={
            e: c
            for e in people
            if (c := own_cap(tax, e)) is not None and (max_graphic is None or c < max_graphic)
        },
        held_graphic=held,
        held_from_every_queue={
            pid: n for pid, n in held.items() if not regular_holders.get(pid) and not todo.get(pid)
        },
    )
    result.hiding = hiding
    if stopped is None and any(email not in projects for email in people):
        push_intent.begin(client.url, project, intent)  # before its first queue is made
    made: list[str] = []
    share = gold_share(todo, people, projects, present, list(gold_by_id), gold_rate)
    adding = share.adds
    batches: dict[str, list[dict[str, Any]]] = {}  # each reviewer's tasks to import
    for email in people:
        batch = [by_id[pid] for pid, who in todo.items() if email in who]
        if email not in projects and not batch:  # no queue of gold tasks only
            continue
        if gold_tasks:
            add = adding[email]
            if gold_room is not None:  # graphic gold beyond the cap waits for a later push
                add = within_room(add, graphic_of(gold_by_id), gold_room.get(email, 0))
                if len(add) < len(adding[email]):
                    log.info(
                        "%s: %d graphic gold passage(s) held back by the cap of %d",
                        email,
                        len(adding[email]) - len(add),
                        caps[email],
                    )
            if share.wanted > len(gold_by_id):
                result.gold_wanted = max(result.gold_wanted, share.wanted)
                result.gold_available = len(gold_by_id)
            batch += [gold_by_id[pid] for pid in add]
        if tax.wellbeing.reviewer(email) is not None:  # their own stricter rule
            batch, hidden = for_reviewer(
                batch, [*tasks, *gold_by_id.values()], reviewer_taxonomy(tax, email)
            )
            if hidden:
                result.own_rule_hidden[email] = hidden
        batches[email] = batch
    # what gives away the gold tasks this push adds (not the gold table's other rows)
    added_gold = {t["data"][PASSAGE_ID_FIELD] for b in batches.values() for t in b}
    result.gold_tells = gold_tells([t for p, t in gold_by_id.items() if p in added_gold], tasks)
    if result.gold_tells:
        log.info("gold tasks that stand out from the regular ones: %s", result.gold_tells)
    finish(reading)
    set_total(progress, sum(len(b) for b in batches.values()))
    begin(progress)  # its time and rate: the sending, not the reading above
    # the file this set was filled from: review status names it in the push that makes a
    # deleted queue again (recorded before the first task is sent: a stopped push counts)
    pushed_projects.remember_file(server, project, prelabels)
    for email in people:
        proj = projects.get(email)
        if email not in batches:  # nothing to review there: no queue made
            result.without_queue.append(email)
            log.info("%s: no passage this push, no queue made", email)
            continue
        batch = batches[email]
        if proj is None:
            alias = pseudonym(user_ids[email], salt)
            proj = create_queue(client, project, alias, label_config, model_version, tax, taken, k)
            made.append(email)
        share = ReviewerShare(
            email=email,
            alias=pseudonym(user_ids[email], salt),
            project_id=int(proj["id"]),
            project_url=f"{client.url}/projects/{proj['id']}/data",
            already=len(present[email] & (set(by_id) | set(gold_by_id))),
            already_gold=len(present[email] & set(gold_by_id)),
            queued_before=len(present[email]),
        )
        if present[email] and batch and (there := open_in.get(email)) is not None:
            share.open_before = there  # from the listing: a skipped task is not open
        elif present[email] and batch:
            # one Data Manager count of answered tasks (a skipped one counts as open)
            answered = client.count_annotated_tasks(share.project_id)
            share.open_before = max(0, len(present[email]) - answered)
        # riskiest first, gold tasks sorted among the others by the same priority
        batch.sort(key=lambda t: (-t["data"][PRIORITY_FIELD], t["data"][PASSAGE_ID_FIELD]))
        for start in range(0, len(batch), batch_size):
            part = batch[start : start + batch_size]
            in_flight(progress, len(part))  # a lost answer: sent, done or not unknown
            # a lost answer is retried, sending only what the server did not create
            answer = import_retrying(
                client,
                int(proj["id"]),
                # the model's labels as pre-annotations, never its scores (view.without_scores)
                [(str(t["data"][PASSAGE_ID_FIELD]), blind_task(t, tax)) for t in part],
                f"{proj['title']!r}, tasks {start + 1}-{start + len(part)}",
                sole=True,
            )
            check_import_answer(answer, part, str(proj["title"]))
            in_flight(progress, 0)
            advance(progress, len(part))
            share.created += len(answer.task_ids)
        share.gold = sum(1 for t in batch if GOLD_META_KEY in (t.get("meta") or {}))
        share.predictions_added = add_new_predictions(
            client, int(proj["id"]), versions[email], {**gold_by_id, **by_id}, batch_size
        )
        holds_version = (
            share.created
            or share.predictions_added
            or any(model_version in found for _, found in versions[email].values())
        )
        # Label Studio refuses a model version of which the project has no prediction
        if proj.get("model_version") != model_version and holds_version:
            client.update_project(int(proj["id"]), model_version=model_version)
            share.model_version_replaced = str(proj.get("model_version") or "") or None
        log.info("%s: %d tasks added (%d gold)", email, share.created, share.gold)
        result.reviewers.append(share)
    # every queue of this push's reviewers (those it made too): what each should hold
    made_here = {s.project_id: s.created for s in result.reviewers}
    touched = {int(p["id"]) for p in projects.values()} | set(made_here)
    result.repeated_left = repeated_left(
        client,
        {q: held_before.get(q, 0) + made_here.get(q, 0) for q in sorted(touched)},
        kept_before,
    )
    result.recreated = sorted(set(made) & recreated)
    if not reviewers:  # named with --reviewer, a newcomer is meant
        result.joined = push_intent.joined(intent, made, existing)
    push_intent.finish(client.url, project)
    return result
