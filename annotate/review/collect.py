"""Everything reviewers answered about a project, as corpus rows with a resolution.

A project is one Label Studio project ``NAME`` (one reviewer per task, or several
answering the same tasks), a push split over numbered projects ``NAME #1``, ``NAME #2``
... (:mod:`annotate.studio.projects` says which projects make up a name), or a *review
set* made by ``annotate push --reviewers-per-task K``: the projects ``NAME · r-…``
(one per reviewer). Each passage's copies are merged into one task carrying every
reviewer's answer. Answers of the lead in ``NAME · adjudication`` override the vote.
Gold passages go to ``gold_rows``. The lead's answers are also listed in ``adjudications``
(one per adjudicated row: pseudonym, categories, severity, times), so exposure and
escalations count what the lead read and decided like any reviewer's answer. A passage
in ``NAME · adjudication`` the lead has not answered waits for the lead
(``awaiting_lead``) while its reviewers dispute it; once they no longer do (a reviewer
changed an answer: the rule of :func:`annotate.corpus.resolve.disputed`, the one
``annotate adjudicate`` sends by) their vote decides it and it is listed in
``no_longer_disputed`` instead, unless their dispute ended only through an answer made or
changed after the adjudication project showed the passage (not blind:
:func:`annotate.review.blindness.agreed_only_after_shown`): such a passage still waits for
the lead, its row undecided (``agreed_only_after_shown``), unless
``accept_changed_answers``.

``resolution`` of a row: ``adjudicated`` (a lead answered it), else
:func:`annotate.corpus.resolve.resolution`: ``unanimous`` (every reviewer chose the same
categories and severity, two or more that chose categories), ``single`` (one answer
that chose categories), ``tie`` (the vote did
not decide the categories, or the severity: e.g. high vs critical from two reviewers),
``majority`` or ``incomplete``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotate._util.progress import ProgressFn, StageFn, advance, set_total, stage
from annotate._util.server_time import recency
from annotate._util.shell import sh
from annotate.corpus.export_reposts import RepostsSeen
from annotate.corpus.licenses import PUSHED_LICENCES, pushed_licences, several_licences
from annotate.corpus.model_view import ModelView, agrees, parent_prediction
from annotate.corpus.resolve import (
    NotOffered,
    ReviewedSpan,
    Unoffered,
    disputed,
    pseudonym,
    resolution,
    resolve_categories,
    severity_tie,
    unoffered_of,
)
from annotate.corpus.rows import (
    HARMFUL_SEVERITY_NONE,
    SEVERITY_WITHOUT_HARM,
    contradiction_of,
    harm_severity_without_harm,
    harmful_with_no_harm_severity,
    none_with_other_answers,
    task_to_row,
)
from annotate.corpus.rows import none_with_other as pairs_none_with_other
from annotate.review.blindness import agreed_only_after_shown, first_shown
from annotate.review.exposure import recorded_hiding
from annotate.review.gold import ALSO_REGULAR, GOLD_META_KEY, gold_key
from annotate.review.mode import ADJUDICATION_PART
from annotate.review.queues import (
    accounts,
    answered_salt_error,
    answers_astray,
    k_of,
    marked_pseudonym,
    recorded_k,
)
from annotate.studio.client import StudioClient
from annotate.studio.projects import project_set, review_set_of
from annotate.studio.pull import (
    LS_TASKS,
    consistent_snapshot,
    ingest_runs,
    latest_annotations,
    merge_duplicate_passages,
    model_encoders,
    model_versions,
    parse_result,
    prelabel_runs,
    project_taxonomy_history,
    project_taxonomy_version,
    stamp_taxonomy_versions,
    task_refs,
    task_text,
    written_by_other,
)
from annotate.studio.pushed_taxonomy import (
    PushedTaxonomy,
    other_content_warning,
    read_pushed_taxonomies,
)
from annotate.studio.tasks import PASSAGE_ID_FIELD
from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)

ADJUDICATION_SUFFIX = " · adjudication"


def adjudication_title(project: str) -> str:
    return f"{project}{ADJUDICATION_SUFFIX}"


@dataclass
class Collected:
    rows: list[dict[str, Any]]
    gold_rows: list[dict[str, Any]]
    annotated: int  # passages with at least one usable answer, as the server reports them
    projects: dict[str, int] = field(default_factory=dict)  # title -> id
    review_set: bool = False
    model_versions: list[str] = field(default_factory=list)  # every version on a task
    # model version -> the encoders it ran with at prelabel (tasks' model_encoder)
    model_encoders: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # ingest run id -> its record (settings, inputs, version), from the tasks' ingest_run
    ingest_runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    # prelabel run id -> its record (time, input SHA-256, model, settings), from the
    # tasks' prelabel_run (annotate.prelabeling.run_record)
    prelabel_runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    # the lead's answer of each adjudicated row: {"passage", "reviewer" (the lead's
    # pseudonym), "categories", "severity", "created_at", "updated_at", "lead_time"}
    adjudications: list[dict[str, Any]] = field(default_factory=list)
    # passages in ``NAME · adjudication`` the lead has not decided yet, still disputed
    awaiting_lead: list[str] = field(default_factory=list)
    # passages in ``NAME · adjudication`` the lead has not decided, that the reviewers no
    # longer dispute (a reviewer changed an answer): their vote decides, no lead is needed
    no_longer_disputed: list[str] = field(default_factory=list)
    # passages the lead has not decided whose dispute ended only through an answer made or
    # changed after the adjudication project showed them (not blind: it could copy
    # another's): in ``awaiting_lead``, their rows undecided (resolution ``tie``,
    # ``label_tie``), or with ``accept_changed_answers`` in ``no_longer_disputed``
    agreed_only_after_shown: list[str] = field(default_factory=list)
    changed_answers_accepted: bool = False
    # of those, as the last `annotate adjudicate` left their lead's tasks: taken out of the
    # lead's queue (marked no longer disputed: it ran with --accept-changed-answers), or
    # kept there with the panel saying who changed what (it ran without); the export
    # warns where its own choice differs (break49 B13: each said the other decides)
    late_taken_out_by_adjudicate: list[str] = field(default_factory=list)
    late_kept_by_adjudicate: list[str] = field(default_factory=list)
    # passages a lead decided that the reviewers no longer dispute (one changed an answer
    # after the lead's): the lead's answer still decides; recorded as moot
    adjudicated_moot: list[str] = field(default_factory=list)
    # reviewers' skips (Label Studio's cancelled annotations) in the reviewers' projects:
    # {"tasks": tasks skipped at least once, "skips": skips in all}
    skipped: dict[str, int] = field(default_factory=dict)
    # the lead's skips in ``NAME · adjudication`` (:func:`_lead_skips`); empty without one
    skipped_in_adjudication: dict[str, Any] = field(default_factory=dict)
    # gold passages that came in regular pre-labels too: kept out of the corpus as gold
    gold_also_regular: list[str] = field(default_factory=list)
    # reviewer project id -> pseudonym of the reviewer it is marked with (its title's),
    # whoever answered in it; a queue made before pseudonyms: of who answered most in it
    # (None: no answers yet there)
    reviewer_projects: dict[int, str | None] = field(default_factory=dict)
    # Label Studio project id -> its tasks with at least one answer (not skipped) in the
    # snapshot read: gold copies, duplicate tasks, each reviewer's copy of a passage and
    # the adjudication tasks the lead answered each count, unlike ``annotated`` (passages)
    tasks_answered: dict[int, int] = field(default_factory=dict)
    # Label Studio task id -> its graphic_hidden_by (None: none recorded), for every task
    # read: what its reviewer was shown, which exposure.json counts from
    graphic_hidden_by: dict[int, str | None] = field(default_factory=dict)
    # a review set's reviewers per passage (K) as its queues record it; None: not a review
    # set, or one pushed before K was recorded
    reviewers_per_task: int | None = None
    # one reviewer's queue of a review set exported alone (``--project "NAME · r-…"``):
    # review_set (NAME), reviewer (the queue's pseudonym), reviewers_per_task (its K); the
    # lead's adjudication project read alone (``--project "NAME · adjudication"``): the
    # same with reviewer None and part "adjudication" (mode.ADJUDICATION_PART); None for
    # any other export (the manifest's review.partial_of)
    queue_of: dict[str, Any] | None = None
    # tasks in the projects read (the lead's left out) with neither an answer nor a skip:
    # open work whose passages this snapshot cannot hold
    tasks_unanswered: int = 0
    # of those: gold tasks, and tasks of passages a row holds (another reviewer answered
    # them); and the passages (gold left out) no row holds, as nobody answered them yet
    tasks_unanswered_gold: int = 0
    tasks_unanswered_exported: int = 0
    # reviewers' earlier answers on a passage they answered again (Label Studio keeps
    # both; the latest of each reviewer counts): e.g. a double submit, or a reviewer
    # answering two copies of one passage
    answers_superseded: int = 0
    passages_unanswered: int = 0
    # passages (gold left out) a reviewer skipped that nobody answered and no task still
    # waits on: not in the corpus, nor in ``passages_unanswered`` (a skip is no open work)
    passages_skipped_unanswered: int = 0
    # of those: pseudonym -> the passages each skipped (a passage counts once per reviewer)
    skipped_unanswered_by: dict[str, int] = field(default_factory=dict)
    # the re-posts push left out, as the tasks holding their text record them (meta
    # annotate_reposts), read from the task listing: the manifest's ``reposts``
    reposts: RepostsSeen = field(default_factory=RepostsSeen)
    # passage id -> when ``NAME · adjudication`` first showed its answers (its earliest
    # task's created_at there; :func:`annotate.review.blindness.first_shown`)
    adjudication_shown: dict[str, str] = field(default_factory=dict)
    # passage id -> the licences its tasks record, oldest push first, for the corpus's
    # passages held by tasks recording more than one (the manifest's
    # licenses.passages_with_several; the row has the latest push's)
    licences_several: dict[str, list[str]] = field(default_factory=dict)
    # tasks of ``NAME · adjudication`` whose passage no row holds, so the lead's answer
    # there is in no row and no escalation (:func:`unplaced_lead_tasks`); None: no
    # adjudication project
    adjudication_unplaced: dict[str, Any] | None = None
    # what each project's labeling config records of the labels.yaml it was pushed with
    # (:mod:`annotate.studio.pushed_taxonomy`): collect warns when the one read with has
    # other content of the same version; the export's manifest records both digests
    pushed_taxonomy: list[PushedTaxonomy] = field(default_factory=list)
    # labels.yaml version of answers -> the categories its labeling config did not offer
    # (annotate.corpus.offered.labels_not_offered): those answers did not vote on them
    not_offered: NotOffered = field(default_factory=dict)
    # passage id -> its reviewers' answers that chose the none label with another category
    # (:func:`annotate.corpus.rows.none_with_other`): read as incomplete, gold included
    none_with_other: dict[str, int] = field(default_factory=dict)
    # passage id -> the Label Studio task ids of its answers pairing a harmful category
    # with severity level 0 (:func:`annotate.corpus.rows.harmful_with_no_harm_severity`):
    # read as no severity, the reviewer's choice kept (``severity_answered``); gold included
    harmful_severity_none: dict[str, list[int]] = field(default_factory=dict)
    # adjudicated passages whose lead's answer paired a harmful category with severity
    # level 0: read as no severity from the lead (the adjudication record keeps it as given)
    lead_harmful_severity_none: list[str] = field(default_factory=list)
    # the reverse (:func:`annotate.corpus.rows.harm_severity_without_harm`): a harmful
    # severity with no harmful category, read as no severity; as the two above
    severity_without_harm: dict[str, list[int]] = field(default_factory=dict)
    lead_severity_without_harm: list[str] = field(default_factory=list)
    # adjudicated passages whose lead marked no evidence span where the reviewers agreed
    # on some: the row keeps the reviewers' spans (the adjudication record's spans_from)
    lead_spans_from_reviewers: list[str] = field(default_factory=list)
    # adjudicated passages whose lead gave no severity: the reviewers' vote stands (or
    # none, when they tied: the adjudication record's severity_from)
    lead_severity_from_vote: list[str] = field(default_factory=list)
    # adjudicated passages whose lead gave no severity where the reviewers tied on it (a
    # severity-only dispute the lead's answer did not settle): the row has no severity
    lead_severity_left_empty: list[str] = field(default_factory=list)
    # passages whose lead's answer chose the none label with another category: no decision
    lead_none_with_other: list[str] = field(default_factory=list)
    # passages whose lead's answer gave no category: the reviewers' categories stand where
    # their vote decided them, else the passage waits for the lead (break3 B16)
    lead_without_category: list[str] = field(default_factory=list)
    # the lead's answers in ``NAME · adjudication`` that decide nothing, by why
    # (:func:`lead_ignored`: ``none_with_other``, ``without_category``): not counted in
    # :attr:`tasks_answered`; empty without an adjudication project
    lead_answers_ignored: dict[str, int] = field(default_factory=dict)
    # reviewer queues of a review set holding answers by another account than their
    # reviewer (:func:`astray_record`): not given blind by the queue's reviewer
    answers_in_other_queues: list[dict[str, Any]] = field(default_factory=list)
    # the answers (gold included) last written by another account than the reviewer they
    # are credited to (:func:`written_by_other_record`): {"passage", "reviewer",
    # "written_by", "updated_at", "ls_annotation_id", "gold"}
    answers_written_by_other: list[dict[str, Any]] = field(default_factory=list)
    # the lead answers in NAME · adjudication likewise last written by another account
    lead_answers_written_by_other: list[dict[str, Any]] = field(default_factory=list)
    # a review set's passages with fewer than K answers by their queues' own reviewers,
    # by why (:func:`short_of_own_reviewers`); None: not a review set, or K not recorded
    short_of_k: dict[str, Any] | None = None

    def tasks_answered_by_project(self) -> dict[str, int]:
        """:attr:`tasks_answered` keyed by the names of :meth:`audit_projects`."""
        return {
            name: self.tasks_answered[pid]
            for name, pid in self.audit_projects().items()
            if pid in self.tasks_answered
        }

    def audit_projects(self) -> dict[str, int]:
        """:attr:`projects` as exports and reports name them: a review set's reviewer
        project (titled ``NAME · r-…``; ``NAME · LOCALPART`` if made before pseudonyms) is
        named by the
        pseudonym of its reviewer, ``reviewer r-…`` (answered or not; ``reviewer project
        ID`` for a queue made before pseudonyms that nobody answered in yet), never by its
        title; other titles as they are."""
        out: dict[str, int] = {}
        for title, pid in self.projects.items():
            if pid in self.reviewer_projects:
                who = self.reviewer_projects[pid]
                title = f"reviewer {who}" if who else f"reviewer project {pid}"
                if title in out:  # one reviewer answering in two projects
                    title = f"{title} (project {pid})"
            out[title] = pid
        return out


def usable_annotations(annotations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The annotations of a task (Label Studio's ``task["annotations"]`` list of dicts)
    that count as answers: those not cancelled (a skip is saved as an annotation with
    ``was_cancelled`` true). Order kept; never raises for a list of dicts."""
    return [a for a in annotations if not a.get("was_cancelled")]


def _late_as_adjudicate_left_them(
    late: Sequence[str], lead_tasks: Sequence[dict[str, Any]]
) -> tuple[list[str], list[str]]:
    """Of the passages ``late`` (agreed on only after the adjudication project showed
    them), those whose lead's task the last ``annotate adjudicate`` took out of the
    lead's queue, marked no longer disputed (it ran with ``--accept-changed-answers``),
    and those it kept there, its panel saying who changed what (it ran without); a
    passage whose task shows neither (no ``adjudicate`` since the change) is in none."""
    from annotate.review.adjudication import CHANGED_FIELD, MOOT_FIELD

    data: dict[str, list[dict[str, Any]]] = {}
    for t in lead_tasks:
        data.setdefault(_pid(t), []).append(t.get("data") or {})
    taken_out = sorted(p for p in late if any(d.get(MOOT_FIELD) for d in data.get(p, [])))
    kept = sorted(
        p
        for p in late
        if p not in taken_out and any(d.get(CHANGED_FIELD) is not None for d in data.get(p, []))
    )
    return taken_out, kept


def _pid(task: dict[str, Any]) -> str:
    data = task.get("data") or {}
    return str(data.get(PASSAGE_ID_FIELD) or f"ls-task-{task['id']}")


def numbered_part(
    client: StudioClient, project: str, proj: dict[str, Any]
) -> tuple[str, str] | None:
    """When ``project`` (the project ``proj``) is ``NAME #k``, one of two or more numbered
    projects a push beyond ``--max-tasks-per-project`` fills: ``(NAME, what)`` with
    ``what`` naming the set ("the 3 numbered projects of 'NAME' (NAME #1 ... NAME #3, 16
    tasks)"); None otherwise (a lone ``X #2`` title included)."""
    base, sep, number = project.rpartition(" #")
    if not sep or not base or not number.isdigit() or number.startswith("0"):
        return None
    members = project_set(client, base)
    if members.kind != "numbered" or int(proj["id"]) not in members.titles.values():
        return None
    if len(members.projects) < 2:  # the part is the whole: `--project NAME` reads the same
        return None
    titles = list(members.titles)
    tasks = [int(p.get("task_number") or 0) for p in members.projects]
    held = f", {sum(tasks):,} tasks" if all(tasks) else ""
    listed = f"{titles[0]} ... {titles[-1]}" if len(titles) > 2 else " and ".join(titles)
    return base, f"the {len(titles)} numbered projects of {base!r} ({listed}{held})"


def _warn_numbered_part(client: StudioClient, project: str, proj: dict[str, Any]) -> None:
    """Warn when ``project`` is ``NAME #k``, one of the numbered projects a push beyond
    ``--max-tasks-per-project`` fills: read alone (a title copied from Label Studio's
    project list) it gave a part of the corpus without a word (passA50 P5)."""
    if (part := numbered_part(client, project, proj)) is None:
        return
    base, what = part
    log.warning(
        "%r is one of %s: only its own tasks are read, so "
        "counts, agreement and splits cover that part alone (a document with passages "
        "in two parts can land in different splits when the parts are exported apart); "
        "--project %r reads them all as one corpus (to look at this part alone on purpose, "
        "as now, keep --project %r)",
        project,
        what,
        base,
        project,
    )


def merged_tasks(
    client: StudioClient,
    project: str,
    *,
    snapshots: ProgressFn | None = None,
    extra: int = 0,
    answered_by: dict[int, Counter[Any]] | None = None,
    salt: str | None = None,
    tasks_answered: dict[int, int] | None = None,
    hidden_by: dict[int, str | None] | None = None,
    queue_of: dict[str, Any] | None = None,
    astray_out: list[dict[str, Any]] | None = None,
    set_k: dict[str, int | None] | None = None,
) -> tuple[list[dict[str, Any]], int, dict[str, int]]:
    """Tasks (one per passage, all reviewers' annotations), their count, projects.

    Each project is read by a snapshot that agrees with the server's annotated-task count
    (:func:`annotate.studio.pull.consistent_snapshot`: taken again while reviewers are
    annotating); a passage in several tasks (of one project, or of a review set's
    reviewer projects) becomes one task with every annotation. ``salt`` (review sets): the
    pseudonym salt the caller names reviewers with; InputError when the queues were
    titled under another one (:func:`annotate.review.queues.answered_salt_error`).
    ``snapshots`` advances by one per project read; its total is the number of projects
    plus ``extra`` (more snapshots the caller takes afterwards). ``answered_by`` (review
    sets) gets, per reviewer project id, how many answers each Label Studio user gave in it.
    ``tasks_answered`` gets, per project id, its tasks with an answer (before merging).
    ``hidden_by`` gets every task's ``graphic_hidden_by`` by task id
    (:func:`annotate.review.exposure.recorded_hiding`). ``queue_of`` gets, when
    ``project`` is one reviewer's queue of a review set, the set's name (``review_set``),
    the queue's reviewer pseudonym (``reviewer``) and the set's K (``reviewers_per_task``).
    ``astray_out`` (review sets) gets one entry per reviewer queue holding answers by
    another account than its reviewer (:func:`astray_record`). ``set_k`` (review sets)
    gets the K its queues record (``reviewers_per_task``: :func:`recorded_k`, None when
    none records one), read from the queues already fetched: no request of its own.
    """
    members = project_set(client, project)  # the one rule: single, numbered or review set
    set_total(snapshots, max(1, len(members.projects)) + extra)
    if members.kind in ("none", "single"):
        # none: require_project raises ProjectNotFoundError naming the title
        proj = members.projects[0] if members.projects else client.require_project(project)
        pid = int(proj["id"])
        if (review_set := review_set_of(proj)) is not None:
            log.warning(
                "%r is one reviewer's queue of the review set %r: only that reviewer's "
                "answers are read; --project %r reads every reviewer's (with agreement "
                "and the adjudication)",
                project,
                review_set,
                review_set,
            )
            if queue_of is not None:
                queue_of.update(
                    review_set=review_set,
                    reviewer=marked_pseudonym(proj, review_set),
                    reviewers_per_task=k_of(proj),
                )
        elif (
            project.endswith(ADJUDICATION_SUFFIX)
            and (
                base_set := project_set(client, base := project.removesuffix(ADJUDICATION_SUFFIX))
            ).kind
            == "review"
        ):
            if queue_of is not None:
                # a part of the review set, as one reviewer's queue is (passH53 H1):
                # the manifest's review.partial_of, and --require-complete refuses it
                queue_of.update(
                    review_set=base,
                    reviewer=None,
                    reviewers_per_task=recorded_k(base_set.projects),
                    part=ADJUDICATION_PART,
                )
            log.warning(
                "%r is the lead's adjudication project of the review set %r: only the "
                "lead's answers are read, as if a reviewer gave them; --project %r reads "
                "every reviewer's with the lead's decisions",
                project,
                base,
                base,
            )
        else:
            _warn_numbered_part(client, project, proj)
        tasks, _ = consistent_snapshot(client, pid, project)
        advance(snapshots, 1)
        if hidden_by is not None:
            hidden_by.update(recorded_hiding(tasks))
        if tasks_answered is not None:
            tasks_answered[pid] = sum(
                1 for t in tasks if usable_annotations(t.get("annotations") or [])
            )
        stamp_project_versions(client, proj, tasks)
        merged_one = merge_duplicate_passages(tasks)
        return merged_one, len(merged_one), {project: pid}
    if set_k is not None and members.kind == "review":
        set_k["reviewers_per_task"] = recorded_k(members.projects)
    merged: dict[str, dict[str, Any]] = {}
    projects = {}
    answered: dict[int, Counter[Any]] = {}  # reviewer project id -> who answered there
    gold_meta: dict[str, dict[str, Any]] = {}  # passage -> the meta of a gold copy
    regular: set[str] = set()  # passages with a regular (not gold) copy
    # passage -> (task id, licence) of every regular task read (those holding an answer:
    # the snapshots'), for the licence a passage is exported under (merged_license)
    licences: dict[str, list[tuple[int, str | None]]] = {}
    for proj in members.projects:
        title, pid = str(proj["title"]), int(proj["id"])
        projects[title] = pid
        tasks, _ = consistent_snapshot(client, pid, title)
        advance(snapshots, 1)
        if hidden_by is not None:
            hidden_by.update(recorded_hiding(tasks))
        if tasks_answered is not None:
            tasks_answered[pid] = sum(
                1 for t in tasks if usable_annotations(t.get("annotations") or [])
            )
        stamp_project_versions(client, proj, tasks)
        users: Counter[Any] = Counter()
        answered[pid] = users
        if answered_by is not None and members.kind == "review":
            answered_by[pid] = users
        for task in merge_duplicate_passages(tasks):
            if gold_key(task) is not None:
                gold_meta.setdefault(_pid(task), dict(task.get("meta") or {}))
            else:
                regular.add(_pid(task))
                licences.setdefault(_pid(task), []).extend(pushed_licences(task))
            usable = usable_annotations(task.get("annotations") or [])
            if not usable:
                continue
            users.update(user for user, _ in latest_annotations(task))
            key = _pid(task)
            if key not in merged:
                merged[key] = {**task, "annotations": list(usable), LS_TASKS: task_refs(task)}
            else:
                merged[key]["annotations"] += usable
                merged[key][LS_TASKS] += task_refs(task)
                merged[key]["predictions"] = list(merged[key].get("predictions") or []) + list(
                    task.get("predictions") or []
                )
    if salt is not None and members.kind == "review":
        answerers = [(t, set(answered.get(i, ()))) for t, i in projects.items()]
        # the accounts' pseudonyms: read only when the answers alone would refuse
        error = answered_salt_error(project, answerers, salt, lambda: set(accounts(client, salt)))
        if error is not None:
            raise error
        if astray := answers_astray(project, answerers, salt):
            _astray_warning(client, project, answerers, astray, salt)
            if astray_out is not None:
                astray_out.extend(astray_record(project, projects, answered, salt))
    for key in merged.keys() & licences.keys():
        merged[key][PUSHED_LICENCES] = sorted(licences[key])
    for key in gold_meta.keys() & regular & merged.keys():
        # gold in one queue, regular in another: gold, whichever queue was read first
        meta = gold_meta[key]
        merged[key]["meta"] = {**meta, GOLD_META_KEY: {**meta[GOLD_META_KEY], ALSO_REGULAR: True}}
    return list(merged.values()), len(merged), projects


def astray_record(
    project: str, projects: Mapping[str, int], answered: Mapping[int, Counter[Any]], salt: str
) -> list[dict[str, Any]]:
    """Each reviewer queue of review set ``project`` (``projects``: title -> id) holding
    answers by another account than its reviewer (``answered``: queue id -> answers per
    Label Studio user), as the manifest records it (``review.answers_in_other_queues``):
    ``queue`` (the reviewer's pseudonym), ``project_id``, ``answers_by`` (pseudonym of
    each other account -> its answers there). Queues titled without a pseudonym are left
    out, as :func:`annotate.review.queues.answers_astray` leaves them."""
    prefix = f"{project} · r-"
    out = []
    for title, pid in projects.items():
        if not title.startswith(prefix):
            continue
        alias = title[len(prefix) - 2 :]
        by: Counter[str] = Counter()
        for user, n in (answered.get(pid) or Counter()).items():
            if (who := pseudonym(user, salt)) != alias:
                by[who] += n
        if by:
            out.append({"queue": alias, "project_id": pid, "answers_by": dict(sorted(by.items()))})
    return out


def _astray_warning(
    client: StudioClient,
    project: str,
    answerers: list[tuple[str, Iterable[int]]],
    astray: list[tuple[str, list[str]]],
    salt: str,
) -> None:
    """Log the warning of review set ``project``'s queues holding answers by another account
    than their reviewer (``astray``: :func:`annotate.review.queues.answers_astray`): by
    reviewers of the set (a colleague's queue opened), or by accounts with no queue in it
    (the admin whose token this is, a lead), named so, with what to do about them."""
    prefix = f"{project} · "
    reviewers = {t[len(prefix) :] for t, _ in answerers if t.startswith(f"{prefix}r-")}
    outsiders = sorted({o for _, others in astray for o in others} - reviewers)
    if outsiders:
        admin = pseudonym(int(client.whoami()["id"]), salt)
        names = [f"{o} (the admin account)" if o == admin else o for o in outsiders]
        where = [alias for alias, others in astray if set(others) - reviewers]
        log.warning(
            "review set %r: answers by %s, not a reviewer of this review set (no queue in "
            "it), in %d reviewer queue(s) (e.g. %s's): they are exported, and count in "
            "agreement and adjudication, as one more reviewer's answers, not given blind. "
            "If they were tests or made for a reviewer, delete them in Label Studio (the "
            "queue's Data Manager) and run again (`annotate review status --project %s` "
            "names each queue's reviewer)",
            project,
            ", ".join(names),
            len(where),
            where[0],
            sh(project),
        )
    inside = [(alias, [o for o in others if o in reviewers]) for alias, others in astray]
    inside = [(alias, others) for alias, others in inside if others]
    if inside:
        alias, others = inside[0]
        log.warning(
            "review set %r: %d reviewer queue(s) hold answers by another account than "
            "their reviewer (e.g. %s's, answered by %s): a reviewer opened a colleague's "
            "queue (Community lets every member open every project) or a lead answered "
            "there; those answers are exported under their own pseudonym, but were not "
            "given blind (`annotate review status --project %s` names each queue's "
            "reviewer)",
            project,
            len(inside),
            alias,
            ", ".join(others),
            sh(project),
        )


def _row_model(row: dict[str, Any]) -> ModelView:
    """The prediction a row credits (``model_*`` fields), to compare a lead's answer with."""
    return ModelView(
        version=str(row.get("model_version") or ""),
        categories=list(row.get("model_labels") or []),
        severity=str(row.get("model_severity") or ""),
        spans=[ReviewedSpan(**s) for s in row.get("model_spans") or []],
    )


def latest_lead_answer(
    task: dict[str, Any], tax: Taxonomy
) -> tuple[Any, dict[str, Any], dict[str, Any]] | None:
    """The latest answer (by ``updated_at``, skips left out) of an adjudication task:
    ``(user id, annotation, parse_result of it)``; None when the task has none. Raises
    :class:`annotate.errors.ExportError` (from ``parse_result``) for a result that does not
    fit the task's text."""
    latest = latest_annotations(task)
    if not latest:
        return None
    user, ann = max(latest, key=lambda kv: recency(kv[1].get("updated_at")))
    # a subtitle cue shown without its markup: the spans given on the passage's text
    text, source = task_text(task.get("data") or {}, tax, where=f"task {task['id']}")
    parsed = parse_result(
        ann.get("result") or [],
        tax,
        text,
        where=f"task {task['id']}",
        version=ann.get("taxonomy_version"),
        source=source,
    )
    return user, ann, parsed


def stamp_project_versions(
    client: StudioClient, proj: dict[str, Any], tasks: list[dict[str, Any]]
) -> None:
    """Stamp ``tasks`` of project ``proj`` with the labels.yaml version of each answer
    (:func:`annotate.studio.pull.stamp_taxonomy_versions`), read from the project's
    labeling config: its version and the versions a push moved it from, with when. The
    project listing (id, title, description) holds no config, so the project is read
    when ``proj`` lacks one; without a config the description's version (the one the
    project was created with) stands, as before."""
    if "label_config" not in proj:
        proj = {**client.get_project(int(proj["id"])), **proj}
    stamp_taxonomy_versions(tasks, project_taxonomy_version(proj), project_taxonomy_history(proj))


def lead_answers(
    client: StudioClient, proj: dict[str, Any], tax: Taxonomy, salt: str
) -> dict[str, dict[str, Any]]:
    """Passage id -> the latest answer in ``proj``, the ``NAME · adjudication`` project
    (parsed + ``lead``)."""
    out: dict[str, dict[str, Any]] = {}
    tasks = client.export_snapshot(int(proj["id"]))
    # the adjudication project's config is set by `annotate adjudicate`, never moved
    # between labels.yaml versions by a push: no history to read
    stamp_taxonomy_versions(tasks, project_taxonomy_version(proj))
    for task in tasks:
        answer = latest_lead_answer(task, tax)
        if answer is None:
            continue
        user, ann, parsed = answer
        parsed["lead"] = pseudonym(user, salt)
        parsed["created_at"] = ann.get("created_at")
        parsed["updated_at"] = ann.get("updated_at")
        parsed["lead_time"] = None if ann.get("lead_time") is None else float(ann["lead_time"])
        parsed["ls_project_id"] = int(proj["id"])
        parsed["ls_task_id"] = int(task["id"])
        parsed["ls_annotation_id"] = None if ann.get("id") is None else int(ann["id"])
        # the account that last wrote it when not the lead's (passM55 #1): None if theirs
        writer = written_by_other(ann)
        parsed["written_by"] = None if writer is None else pseudonym(writer, salt)
        parsed["parent_prediction"], parsed["started_from"] = lead_start(ann, task)
        parsed["decided_on"] = decided_on(task, ann, tax)
        out[_pid(task)] = parsed
    return out


# what ``decided_on``'s ``shown_to_lead`` holds (its ``shown_to_lead_status``): the lead
# saw the answer as given here (not changed after the decision; shown_to_lead null) ...
SHOWN_NOT_CHANGED = "not changed"
# ... an earlier answer, which shown_to_lead holds as the answers panel worded it ...
SHOWN_RECORDED = "recorded"
# ... or an earlier answer not known (shown_to_lead null), and why: the adjudication task
# keeps no earlier answer (brought up to date by an `annotate adjudicate` that did not
# note the change: one made before 2026-12-06, or a dispute the change did not end) ...
SHOWN_UNKNOWN_NOT_KEPT = (
    "unknown: the adjudication task keeps no earlier answer of this reviewer (annotate "
    "adjudicate brought the answer up to date without noting what the panel showed before)"
)
# ... or the change was noted without it (the panel had no answer of theirs that differed,
# or the reviewer answered only after the passage was shown)
SHOWN_UNKNOWN_BLANK = (
    "unknown: annotate adjudicate noted the change but not the earlier answer (the panel "
    "held none of this reviewer's that differed: they may have answered only after the "
    "passage was shown)"
)


def decided_on(task: dict[str, Any], ann: dict[str, Any], tax: Taxonomy) -> list[dict[str, Any]]:
    """The reviewers' answers an adjudication task showed its lead, as the export reads
    them (the adjudication record's ``decided_on``; passH53 H6: a reviewer who changed
    their answer after the lead decided left the export with the new answer only, the
    dispute and what it was decided on only in Label Studio). One per reviewer
    prediction of the task (``annotate adjudicate`` shows each reviewer's answer as a
    prediction under their pseudonym), by pseudonym: ``categories``, ``severity`` and
    ``comment`` of the prediction, and ``changed_after_decision``: the prediction was
    updated after the lead's answer (a later ``annotate adjudicate`` brought it up to date
    with an answer the reviewer changed), so the lead saw an earlier answer, which
    ``shown_to_lead`` gives as the answers panel described it (None: not changed, or not
    known), and ``shown_to_lead_status`` says which (s54: a null read the same whether
    the lead saw this answer or an unknown one): :data:`SHOWN_NOT_CHANGED`,
    :data:`SHOWN_RECORDED`, or ``unknown: `` and why (:data:`SHOWN_UNKNOWN_NOT_KEPT`: the
    task keeps no earlier answer of anyone, :data:`SHOWN_UNKNOWN_BLANK`: it noted the
    change without the earlier answer)."""
    from annotate.review.adjudication import BLANK_START, CHANGED_FIELD

    answered = ann.get("updated_at") or ann.get("created_at")
    data = task.get("data") or {}
    before = data.get(CHANGED_FIELD) if isinstance(data.get(CHANGED_FIELD), dict) else {}
    out = []
    for pred in task.get("predictions") or []:
        if not isinstance(pred, dict):
            continue
        who = str(pred.get("model_version") or "")
        if not who or who == BLANK_START:
            continue
        parsed = _choices_of(pred.get("result") or [], tax)
        changed = pred.get("updated_at") or pred.get("created_at")
        after = bool(answered and changed and recency(changed) > recency(answered))
        shown = (str(before.get(who) or "") or None) if after else None
        if not after:
            status = SHOWN_NOT_CHANGED
        elif shown is not None:
            status = SHOWN_RECORDED
        else:
            status = SHOWN_UNKNOWN_BLANK if who in before else SHOWN_UNKNOWN_NOT_KEPT
        out.append(
            {
                "reviewer": who,
                **parsed,
                "changed_after_decision": after,
                "shown_to_lead": shown,
                "shown_to_lead_status": status,
            }
        )
    return sorted(out, key=lambda a: a["reviewer"])


def _choices_of(result: list[dict[str, Any]], tax: Taxonomy) -> dict[str, Any]:
    """Categories, severity and comment of a reviewer's answer shown as a prediction (its
    spans left out: a hidden passage's predictions lose their evidence text), in the
    label names of ``tax``; names it does not know are kept as written."""
    ui = tax.interface
    out: dict[str, Any] = {"categories": [], "severity": "", "comment": ""}
    for item in result:
        value = item.get("value") or {}
        name = item.get("from_name")
        if name == ui.categories:
            chosen = [str(c) for c in value.get("choices") or []]
            known = [c for c in tax.category_names if c in chosen]
            out["categories"] = known + [c for c in chosen if c not in known]
        elif name == ui.severity:
            out["severity"] = str((value.get("choices") or [""])[0])
        elif name == ui.comment:
            out["comment"] = "\n".join(str(t) for t in value.get("text") or [])
    return out


# what a lead's answer records starting from: the adjudication task's empty prediction
BLANK = "blank"
# where an adjudicated row's severity and spans come from (the adjudication record's
# severity_from and spans_from)
FROM_LEAD = "lead"
SEVERITY_FROM_VOTE = "reviewers' vote (the lead gave none)"
SEVERITY_TIED = "none (the lead gave none, the reviewers tied)"
SPANS_FROM_REVIEWERS = "reviewers' agreement (the lead marked none)"
# the lead overturned the reviewers' categories and gave no severity (break3 B17)
SEVERITY_NO_HARM = (
    "no harm: labels.yaml's level-0 severity, none without one (the lead gave no usable "
    "severity and chose no harmful category)"
)
SEVERITY_OVERTURNED = "none (the lead gave none and overturned the reviewers' categories)"
# what the sources above say of a lead who gave no severity, and what they say instead of
# one whose severity contradicts their categories (:func:`lead_severity_contradicted`)
_GAVE_NONE = (
    "the lead gave no usable severity and chose no harmful category",
    "the lead gave none",
)
# why a lead's severity contradicts their categories
LEAD_GAVE_NONE_WITH_HARM = "the harmful category chosen"
LEAD_GAVE_HARM_WITHOUT_ONE = "no harmful category chosen"


def lead_severity_contradicted(source: str, given: str, why: str) -> str:
    """The adjudication record's ``severity_from`` ``source`` (:data:`SEVERITY_FROM_VOTE`,
    :data:`SEVERITY_TIED`, :data:`SEVERITY_OVERTURNED`, :data:`SEVERITY_NO_HARM`) for a
    lead who gave the severity ``given``, read as none because it contradicts the lead's
    categories (``why``: :data:`LEAD_GAVE_NONE_WITH_HARM`,
    :data:`LEAD_GAVE_HARM_WITHOUT_ONE`): it says what the lead gave and that it
    contradicts, e.g. ``reviewers' vote (the lead gave high, which contradicts no harmful
    category chosen)``, where it said "the lead gave none" of a lead who gave ``high``."""
    for said in _GAVE_NONE:
        if said in source:
            return source.replace(said, f"the lead gave {given}, which contradicts {why}", 1)
    return source


def lead_start(ann: dict[str, Any], task: dict[str, Any]) -> tuple[int | None, str | None]:
    """What a lead's answer ``ann`` in ``NAME · adjudication`` records starting from:
    ``(prediction id, whose)``. The task's predictions are the reviewers' answers (each
    under the reviewer's pseudonym) and an empty one (:data:`BLANK_START`): whose is the
    pseudonym, :data:`BLANK`, or None when the answer records no prediction (answered
    through the API, or the prediction was replaced since: Label Studio then clears it)
    or one the task no longer holds. Never a model: the adjudication project shows none."""
    from annotate.review.adjudication import BLANK_START

    parent = parent_prediction(ann)
    if parent is None:
        return None, None
    for pred in task.get("predictions") or []:
        if isinstance(pred, dict) and pred.get("id") is not None and int(pred["id"]) == parent:
            version = str(pred.get("model_version") or "")
            return parent, (BLANK if version == BLANK_START else version or None)
    return parent, None


def _record_lead(row: dict[str, Any], lead: dict[str, Any]) -> None:
    """Provenance of a lead-decided row (in place): the lead's answer (``adjudication``:
    pseudonym, times, Label Studio project, task and annotation, the lead's comment (the
    decision's stated reason), the lead's categories, severity and spans as given, where
    the row's severity and spans come from (``severity_from``, ``spans_from``: set by
    :func:`collect`) and what the answer started from (:func:`lead_start`)), its task in
    ``ls_tasks``, and its time in ``last_annotated_at`` (the decision is the last review)."""
    ids = {k: lead.get(k) for k in ("ls_project_id", "ls_task_id", "ls_annotation_id")}
    row["adjudication"] = {
        "reviewer": lead["lead"],
        "created_at": None if lead.get("created_at") is None else str(lead["created_at"]),
        "updated_at": None if lead.get("updated_at") is None else str(lead["updated_at"]),
        "lead_time": lead.get("lead_time"),
        **ids,
        "comment": str(lead.get("comment") or ""),
        "categories": list(lead.get("categories") or []),
        "severity": str(lead.get("severity") or ""),
        "spans": [s.as_dict() for s in lead.get("spans") or []],
        "severity_from": lead.get("severity_from") or FROM_LEAD,
        "spans_from": lead.get("spans_from") or FROM_LEAD,
        "parent_prediction": lead.get("parent_prediction"),
        "started_from": lead.get("started_from"),
        # the reviewers' answers the lead was shown (:func:`decided_on`)
        "decided_on": list(lead.get("decided_on") or []),
    }
    ref = {"project_id": ids["ls_project_id"], "task_id": ids["ls_task_id"]}
    if ids["ls_task_id"] is not None and ref not in row["ls_tasks"]:
        row["ls_tasks"] = [*row["ls_tasks"], ref]
    answered = row["adjudication"]["updated_at"] or row["adjudication"]["created_at"]
    times = [t for t in (row.get("last_annotated_at"), answered) if t]
    row["last_annotated_at"] = max(times, key=recency) if times else None


def task_states(
    client: StudioClient,
    project_ids: Iterable[int],
    gold_also_regular: set[str] | None = None,
    open_tasks: list[tuple[str, bool]] | None = None,
    skips_by_project: dict[int, int] | None = None,
    on_task: Callable[[int, str, bool, dict[str, Any]], None] | None = None,
) -> tuple[dict[str, int], int]:
    """``({"tasks", "skips"}, unanswered)`` of the tasks in these projects, in one read of
    their task lists: tasks a reviewer skipped (Label Studio counts a skip as a cancelled
    annotation, which the snapshot leaves out) and the skips in all; and the tasks with
    neither an answer nor a skip (still open: an export made now leaves their passages
    out). ``gold_also_regular`` (given: the lists are read with data and meta) gets the
    gold passages that came in regular pre-labels too, answered or not (a push marked
    them, or one queue holds a passage as gold and another as regular data): the
    snapshot holds answered tasks only, and review status counts them before any answer.
    ``open_tasks`` (given with ``gold_also_regular``) gets each open task's passage id and
    whether it is a gold task. ``skips_by_project`` gets each project's skips.
    ``on_task`` (given with ``gold_also_regular``) is called with each listed task's
    project id, passage id, whether it is a gold task, and the task (with ``meta``): e.g.
    :class:`annotate.corpus.export_reposts.RepostsSeen`."""
    skips: list[int] = []
    unanswered = 0
    include = "id,cancelled_annotations,total_annotations"
    gold: set[str] = set()
    regular: set[str] = set()
    for pid in project_ids:
        listing = client.iter_tasks(
            int(pid), include=include if gold_also_regular is None else f"{include},data,meta"
        )
        for t in listing:
            cancelled = int(t.get("cancelled_annotations") or 0)
            skips.append(cancelled)
            if skips_by_project is not None:
                skips_by_project[int(pid)] = skips_by_project.get(int(pid), 0) + cancelled
            is_open = not cancelled and not int(t.get("total_annotations") or 0)
            unanswered += is_open
            if gold_also_regular is None:
                continue
            key = gold_key(t)
            if on_task is not None:
                on_task(int(pid), _pid(t), key is not None, t)
            if is_open and open_tasks is not None:
                open_tasks.append((_pid(t), key is not None))
            if key is None:
                regular.add(_pid(t))
            else:
                gold.add(_pid(t))
                if key.get(ALSO_REGULAR):
                    gold_also_regular.add(_pid(t))
    if gold_also_regular is not None:
        gold_also_regular |= gold & regular
    return {"tasks": sum(1 for c in skips if c), "skips": sum(skips)}, unanswered


def skipped_by(
    client: StudioClient,
    skips_by_project: dict[int, int],
    salt: str,
    details: dict[str, list[dict[str, Any]]] | None = None,
    *,
    adjudication: bool = False,
) -> tuple[dict[str, list[str]], set[str]]:
    """Passage id -> the pseudonyms (salted like the answers') of the reviewers who skipped
    one of its tasks, each once, sorted; and the gold passages among them: one
    skipped-tasks snapshot (:meth:`StudioClient.skipped_snapshot`) of each project with a
    skip. ``details`` gets, per passage id, each skip: ``{"reviewer", "project_id",
    "task_id", "skipped_at", "adjudication"}`` (a row's ``skips``; ``adjudication``: as
    given, the projects are ``NAME · adjudication``)."""
    found: dict[str, set[str]] = {}
    gold: set[str] = set()
    for pid, n in skips_by_project.items():
        if not n:
            continue
        for task in client.skipped_snapshot(pid):
            if gold_key(task) is not None:
                gold.add(_pid(task))
            for ann in task.get("annotations") or []:
                if not ann.get("was_cancelled"):
                    continue
                by = ann.get("completed_by")
                user = by.get("id") if isinstance(by, dict) else by
                found.setdefault(_pid(task), set()).add(pseudonym(user, salt))
                if details is not None:
                    when = ann.get("updated_at") or ann.get("created_at")
                    details.setdefault(_pid(task), []).append(
                        {
                            "reviewer": pseudonym(user, salt),
                            "project_id": int(pid),
                            "task_id": None if task.get("id") is None else int(task["id"]),
                            "skipped_at": None if when is None else str(when),
                            "adjudication": adjudication,
                        }
                    )
    return {key: sorted(who) for key, who in found.items()}, gold


def _lead_skips(
    client: StudioClient,
    adjudication: dict[str, Any] | None,
    lead_tasks: list[dict[str, Any]],
    leads: dict[str, dict[str, Any]],
    salt: str,
    details: dict[str, list[dict[str, Any]]] | None = None,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The skips in ``NAME · adjudication`` (Label Studio stores a lead's skip as a
    cancelled annotation, as a reviewer's): ``tasks`` skipped at least once, ``skips`` in
    all, ``passages_without_lead_answer`` (skipped and not answered by a lead: their
    reviewers' vote decides them until a lead answers; :func:`collect` leaves out a lead's
    answer that decides nothing and sets ``passages_without_lead_answer_undecided``, those
    of them the vote leaves a tie, undecided) and ``by`` (pseudonym, salted like
    the answers' -> tasks skipped), for the manifest; and per passage id the leads who
    skipped it (pseudonyms, sorted), for its row; ``details`` gets each skip
    (:func:`skipped_by`). Empty without an adjudication project;
    read with one skipped-tasks snapshot only when the task list shows a skip."""
    if adjudication is None:
        return {}, {}
    counts = [int(t.get("cancelled_annotations") or 0) for t in lead_tasks]
    out: dict[str, Any] = {
        "tasks": sum(1 for c in counts if c),
        "skips": sum(counts),
        "passages_without_lead_answer": 0,
        "passages_without_lead_answer_undecided": 0,
        "by": {},
    }
    if not out["skips"]:
        return out, {}
    skippers, _ = skipped_by(
        client, {int(adjudication["id"]): out["skips"]}, salt, details, adjudication=True
    )
    by: Counter[str] = Counter(who for names in skippers.values() for who in names)
    out["by"] = dict(sorted(by.items()))
    out["passages_without_lead_answer"] = len(skippers.keys() - leads.keys())
    return out, skippers


def collect(
    client: StudioClient,
    project: str,
    tax: Taxonomy,
    *,
    salt: str,
    progress: StageFn | None = None,
    accept_changed_answers: bool = False,
) -> Collected:
    """Rows (non-gold, with ``resolution`` and ``adjudicator``) and gold rows of ``project``.

    A passage sent to the lead, not decided, whose dispute ended only through an answer
    made or changed after the adjudication project showed it still waits for the lead, its
    row undecided; ``accept_changed_answers``: the reviewers' vote decides it (listed in
    ``agreed_only_after_shown`` either way).

    ``progress`` (:func:`annotate._util.progress.stage`): stages ``snapshot`` (one per
    Label Studio project read, the adjudication project included) and ``rows`` (one per
    task turned into a row)."""
    adjudication = client.find_project(adjudication_title(project))
    snapshots = stage(progress, "snapshot", unit="project")
    answered_by: dict[int, Counter[Any]] = {}
    tasks_answered: dict[int, int] = {}
    hidden_by: dict[int, str | None] = {}
    queue_of: dict[str, Any] = {}
    astray: list[dict[str, Any]] = []
    tasks, annotated, projects = merged_tasks(
        client,
        project,
        snapshots=snapshots,
        extra=int(adjudication is not None),
        answered_by=answered_by,
        salt=salt,
        tasks_answered=tasks_answered,
        hidden_by=hidden_by,
        queue_of=queue_of,
        astray_out=astray,
    )
    review_set = any(t != project and not t.startswith(f"{project} #") for t in projects)
    members = project_set(client, project) if review_set else None
    k = recorded_k(members.projects) if members is not None and members.kind == "review" else None
    marked = (
        {int(q["id"]): marked_pseudonym(q, project) for q in members.projects} if members else {}
    )
    also_regular: set[str] = set()
    open_tasks: list[tuple[str, bool]] = []
    skips_by_project: dict[int, int] = {}
    reposts = RepostsSeen()
    skipped, unanswered = task_states(
        client, projects.values(), also_regular, open_tasks, skips_by_project, reposts
    )
    skip_details: dict[str, list[dict[str, Any]]] = {}
    skippers, gold_skipped = skipped_by(client, skips_by_project, salt, skip_details)
    leads = {} if adjudication is None else lead_answers(client, adjudication, tax, salt)
    # a lead's answer pairing the none label with another category decides nothing (as a
    # reviewer's is incomplete): the passage waits for the lead (break3 B8, stop 49)
    lead_contradictory = sorted(
        p for p, a in leads.items() if lead_ignored(a["categories"], None, tax)
    )
    for passage in lead_contradictory:
        del leads[passage]
    _warn_lead_answers(
        lead_contradictory,
        adjudication,
        "choose 'none' together with another category",
        "a contradiction, read as no decision, so the passage(s) wait for the lead",
        "unticks one of the two",
    )
    lead_tasks = (
        []
        if adjudication is None
        else list(
            client.iter_tasks(
                int(adjudication["id"]), include="id,data,cancelled_annotations,created_at"
            )
        )
    )
    sent_to_lead = {_pid(t) for t in lead_tasks}
    shown = first_shown((_pid(t), t.get("created_at")) for t in lead_tasks)
    lead_skipped, lead_skippers = _lead_skips(
        client, adjudication, lead_tasks, leads, salt, skip_details
    )
    if adjudication is not None:
        advance(snapshots, 1)
        # read, answered or not: the manifest names it (one with no answers yet was
        # missing from label_studio_projects, only a waiting count showed it)
        projects = {**projects, str(adjudication["title"]): int(adjudication["id"])}
    pushed = read_pushed_taxonomies(client, projects.values(), tax)
    if warned := other_content_warning(pushed, tax):
        log.warning("%s", warned)
    from annotate.corpus.offered import tasks_not_offered

    # answers made under a labels.yaml whose config did not offer a category do not vote
    # on it (annotate.corpus.resolve): read before any row is resolved
    not_offered = tasks_not_offered(client, projects, tasks, tax)
    done = stage(progress, "rows", unit="task", total=len(tasks))
    rows: list[dict[str, Any]] = []
    gold_rows: list[dict[str, Any]] = []
    adjudications: list[dict[str, Any]] = []
    awaiting: list[str] = []
    settled: list[str] = []
    moot_decided: list[str] = []
    not_blind: list[str] = []
    spans_from_reviewers: list[str] = []
    severity_from_vote: list[str] = []
    severity_left_empty: list[str] = []  # the lead gave none and the reviewers tied on it
    without_category: list[str] = []  # the lead's answer gave no category
    without_category_ignored: list[str] = []  # of those: deciding nothing (the vote did not)
    superseded = 0
    licences_several: dict[str, list[str]] = {}
    none_with_other: dict[str, int] = {}  # passage -> its answers pairing none with another
    harmful_severity_none: dict[str, list[int]] = {}  # passage -> tasks of such answers
    lead_harmful_severity_none: list[str] = []
    severity_without_harm: dict[str, list[int]] = {}  # the reverse: passage -> tasks
    lead_severity_without_harm: list[str] = []
    twice: set[str] = set()  # passages one account answered in two queues or more
    for task in tasks:
        advance(done, 1)
        usable = usable_annotations(task.get("annotations") or [])
        if not usable:
            continue
        if _answered_in_two_projects(usable):
            twice.add(_pid(task))
        superseded += len(usable) - len(latest_annotations(task))
        row = task_to_row(task, tax, salt=salt, not_offered=not_offered)
        if contradicted := none_with_other_answers(task, tax):
            none_with_other[row["id"]] = contradicted
        kinds = [
            (contradiction_of(a, tax.no_harm_severity), int(a["ls_task_id"] or 0))
            for a in row["annotations"]
        ]
        if harm_none := [t for kind, t in kinds if kind == HARMFUL_SEVERITY_NONE]:
            harmful_severity_none[row["id"]] = harm_none
        if without_harm := [t for kind, t in kinds if kind == SEVERITY_WITHOUT_HARM]:
            severity_without_harm[row["id"]] = without_harm
        row["skipped_by"] = skippers.get(row["id"], [])
        row["skipped_in_adjudication_by"] = lead_skippers.get(row["id"], [])
        row["skips"] = sorted(
            skip_details.get(row["id"], []),
            key=lambda k: (recency(k["skipped_at"]), k["project_id"], k["task_id"] or 0),
        )
        key = gold_key(task)
        if key is not None:
            row["gold"] = key
            gold_rows.append(row)
            continue
        if several := several_licences(task):
            licences_several[row["id"]] = several
        anns = row["annotations"]
        gaps = unoffered_of(anns, not_offered)
        row["resolution"] = resolution(
            [a["categories"] for a in anns],
            [a["severity"] for a in anns],
            category_order=tax.category_names,
            unoffered=gaps,
        )
        row["adjudicator"] = None
        lead = leads.get(row["id"])
        # the reviewers' vote on the categories alone (label_tie also counts a severity tie)
        vote_labels, _ = resolve_categories(
            [a["categories"] for a in anns], tax.category_names, unoffered=gaps
        )
        if lead is not None and not lead["categories"]:
            # a lead's answer without a category does not decide the categories, as a
            # reviewer's does not vote on them: their vote stands where it decided them
            # (a severity-only dispute), else the passage waits for the lead (break3 B16;
            # lead_ignored: the rule adjudicate reads the lead's answers by too)
            without_category.append(row["id"])
            if lead_ignored(lead["categories"], [a["categories"] for a in anns], tax, gaps):
                without_category_ignored.append(row["id"])
                lead = None
        if lead is not None and not disputed(
            [a["categories"] for a in anns],
            [a["severity"] for a in anns],
            category_order=tax.category_names,
            severity_levels=tax.severity_names,
            unoffered=gaps,
        ):
            moot_decided.append(row["id"])
        if lead is not None:
            decided = list(lead["categories"]) or list(vote_labels)
            # the severity and span fallbacks below keep what the reviewers agreed on only
            # where the lead kept their categories: a lead who overturned them (to
            # counter_speech, say) gets no threat span or critical severity (break3 B17);
            # the vote's categories are those more than half chose, on a category tie too
            kept = sorted(decided) == sorted(vote_labels)
            row["labels"] = decided
            # a lead's answer without a severity (it is not required in the labeling view)
            # does not decide it, as a reviewer's does not vote on it: the reviewers'
            # majority keeps it, where "" erased a severity they agreed on; none when they
            # tied on it (the vote's highest tied level is no decision)
            tied = severity_tie([a["severity"] for a in anns])
            # ... nor does a harmful category with severity "none" (a contradiction: the
            # severity says "no harmful content"), read as no severity (passC50 R1)
            lead_harm_none = harmful_with_no_harm_severity(decided, lead["severity"], tax)
            why = ""  # why the lead's severity is read as none: it contradicts (below)
            if lead_harm_none:
                lead_harmful_severity_none.append(row["id"])
                why = LEAD_GAVE_NONE_WITH_HARM
            # ... nor a harmful severity with no harmful category (the reverse)
            if harm_severity_without_harm(decided, lead["severity"], tax):
                lead_severity_without_harm.append(row["id"])
                lead_harm_none = True
                why = LEAD_GAVE_HARM_WITHOUT_ONE
            if lead["severity"] and not lead_harm_none:
                row["severity"] = lead["severity"]
                lead["severity_from"] = FROM_LEAD
            elif kept:
                row["severity"] = "" if tied else row["severity"]
                lead["severity_from"] = SEVERITY_TIED if tied else SEVERITY_FROM_VOTE
                (severity_left_empty if tied else severity_from_vote).append(row["id"])
            elif any(c in tax.harmful for c in decided):
                row["severity"] = ""
                lead["severity_from"] = SEVERITY_OVERTURNED
                severity_left_empty.append(row["id"])
            else:
                # no harm decided: labels.yaml's level-0 severity, none when it has no
                # level 0 (its lowest level is harmful: giving it would write the very
                # contradiction read above, break5 B8)
                row["severity"] = tax.no_harm_severity or ""
                lead["severity_from"] = SEVERITY_NO_HARM
            if why:  # the record says what the lead gave, not "the lead gave none"
                lead["severity_from"] = lead_severity_contradicted(
                    lead["severity_from"], lead["severity"], why
                )
            # spans alike: a lead's answer without a span keeps the spans the reviewers
            # agreed on (Label Studio cannot tell "no span" from "not marked"), where it
            # wiped them; the lead's spans decide when the lead marked any, and so does a
            # lead who decided that nothing applies (the none label alone: no evidence)
            decided_none = decided == [tax.none_label]
            if lead["spans"] or not row["spans"] or decided_none or not kept:
                row["spans"] = [s.as_dict() for s in lead["spans"]]
                lead["spans_from"] = FROM_LEAD
            else:
                lead["spans_from"] = SPANS_FROM_REVIEWERS
                spans_from_reviewers.append(row["id"])
            row["label_tie"] = False
            row["resolution"] = "adjudicated"
            row["adjudicator"] = lead["lead"]
            row["model_agreed"] = agrees(
                decided,
                row["severity"],
                [ReviewedSpan(**s) for s in row["spans"]],
                _row_model(row),
                tax,
            )
            adjudications.append(
                {
                    "passage": row["id"],
                    "reviewer": lead["lead"],
                    "categories": list(lead.get("categories") or []),
                    "severity": lead["severity"],
                    **{k: lead[k] for k in ("created_at", "updated_at", "lead_time")},
                }
            )
            _record_lead(row, lead)
        elif row["id"] in sent_to_lead:
            still = disputed(
                [a["categories"] for a in anns],
                [a["severity"] for a in anns],
                category_order=tax.category_names,
                severity_levels=tax.severity_names,
                unoffered=gaps,
            )
            # a dispute ended only through an answer made or changed after the adjudication
            # project showed the passage (it could copy another's) is no settlement: the
            # row stays undecided for the lead, unless accept_changed_answers
            late = not still and agreed_only_after_shown(
                row["id"],
                anns,
                shown.get(row["id"]),
                category_order=tax.category_names,
                severity_levels=tax.severity_names,
                not_offered=not_offered,
            )
            if late:
                not_blind.append(row["id"])
            if late and not accept_changed_answers:
                row["resolution"] = "tie"
                row["label_tie"] = True
                still = True
            (awaiting if still else settled).append(row["id"])
        rows.append(row)
    taken_out, kept_for_lead = _late_as_adjudicate_left_them(not_blind, lead_tasks)
    exported = {r["id"] for r in rows}
    gold = gold_skipped | {r["id"] for r in gold_rows}
    ignored = {
        LEAD_NONE_WITH_OTHER: len(lead_contradictory),
        LEAD_WITHOUT_CATEGORY: len(without_category_ignored),
    }
    if adjudication is not None:
        # the adjudication tasks whose lead's answer is taken: those deciding nothing (none
        # with another category, no category where the vote did not decide) are counted
        # apart (lead_answers_ignored), not as answered
        tasks_answered[int(adjudication["id"])] = len(leads) - len(without_category_ignored)
    if lead_skipped.get("skips"):
        # of the skipped passages no lead answered: those whose row the vote leaves
        # undecided (a tie) stay so until a lead answers; the others' vote decides them
        undecided = {r["id"] for r in rows if r["label_tie"]}
        taken = leads.keys() - set(without_category_ignored)
        no_answer = lead_skippers.keys() - taken
        lead_skipped["passages_without_lead_answer"] = len(no_answer)
        lead_skipped["passages_without_lead_answer_undecided"] = len(no_answer & undecided)
    unplaced = (
        None
        if adjudication is None
        else unplaced_lead_tasks(
            lead_tasks,
            leads,
            exported=exported,
            gold=gold | {pid for pid, is_gold in open_tasks if is_gold},
            in_queues={_pid(t) for t in tasks} | {pid for pid, _ in open_tasks} | set(skippers),
        )
    )
    if unplaced and unplaced["tasks"]:
        log.warning(unplaced_sentence(unplaced, project))
    # a skipped passage whose other copy still waits for a reviewer is unanswered work
    still_open = {pid for pid, is_gold in open_tasks if not is_gold}
    only_skipped = skippers.keys() - exported - gold - still_open
    _warn_lead_answers(
        sorted(without_category),
        adjudication,
        "give no category",
        "a category-less answer decides no categories, so the reviewers' vote keeps them "
        "where it decided them, else the passage waits for the lead",
        "chooses the categories",
    )
    queue_reviewers = {
        pid: marked.get(pid) or (pseudonym(users.most_common(1)[0][0], salt) if users else None)
        for pid, users in answered_by.items()
    }
    return Collected(
        short_of_k=None
        if k is None or members is None or members.kind != "review"
        else short_of_own_reviewers(
            rows,
            k,
            queue_reviewers,
            open_passages={pid for pid, is_gold in open_tasks if not is_gold},
            answered_twice=twice,
        ),
        rows=rows,
        gold_rows=gold_rows,
        annotated=annotated,
        projects=projects,
        review_set=review_set,
        model_versions=model_versions(tasks),
        model_encoders=model_encoders(tasks),
        ingest_runs=ingest_runs(tasks),
        prelabel_runs=prelabel_runs(tasks),
        adjudications=adjudications,
        awaiting_lead=sorted(awaiting),
        no_longer_disputed=sorted(settled),
        agreed_only_after_shown=sorted(not_blind),
        changed_answers_accepted=accept_changed_answers,
        late_taken_out_by_adjudicate=taken_out,
        late_kept_by_adjudicate=kept_for_lead,
        adjudicated_moot=sorted(moot_decided),
        skipped=skipped,
        skipped_in_adjudication=lead_skipped,
        # answered or not (a gold task nobody answered is no row yet)
        gold_also_regular=sorted(
            also_regular | {r["id"] for r in gold_rows if r["gold"].get(ALSO_REGULAR)}
        ),
        # each queue's reviewer: the pseudonym its marker records (the one its title
        # shows), whoever answered in it (the admin, a colleague: warned of as astray);
        # a queue made before pseudonyms (marked with an e-mail): who answered most there
        reviewer_projects=queue_reviewers,
        tasks_answered=tasks_answered,
        graphic_hidden_by=hidden_by,
        pushed_taxonomy=pushed,
        not_offered=not_offered,
        none_with_other=none_with_other,
        harmful_severity_none=harmful_severity_none,
        lead_harmful_severity_none=lead_harmful_severity_none,
        severity_without_harm=severity_without_harm,
        lead_severity_without_harm=lead_severity_without_harm,
        reviewers_per_task=k,
        queue_of=queue_of or None,
        tasks_unanswered=unanswered,
        tasks_unanswered_gold=sum(1 for _, gold in open_tasks if gold),
        tasks_unanswered_exported=sum(
            1 for pid, gold in open_tasks if not gold and pid in exported
        ),
        passages_unanswered=len({pid for pid, gold in open_tasks if not gold} - exported),
        answers_superseded=superseded,
        passages_skipped_unanswered=len(only_skipped),
        skipped_unanswered_by=dict(
            sorted(Counter(who for pid in only_skipped for who in skippers[pid]).items())
        ),
        reposts=reposts,
        adjudication_shown=shown,
        licences_several=licences_several,
        adjudication_unplaced=unplaced,
        lead_spans_from_reviewers=sorted(spans_from_reviewers),
        lead_severity_from_vote=sorted(severity_from_vote),
        lead_severity_left_empty=sorted(severity_left_empty),
        lead_none_with_other=lead_contradictory,
        lead_without_category=sorted(without_category),
        lead_answers_ignored=ignored if adjudication is not None else {},
        answers_in_other_queues=astray,
        answers_written_by_other=written_by_other_record([*rows, *gold_rows]),
        lead_answers_written_by_other=sorted(
            (
                {"passage": p, "lead": a["lead"], "written_by": a["written_by"]}
                for p, a in leads.items()
                if a.get("written_by")
            ),
            key=lambda e: e["passage"],
        ),
    )


def _answered_in_two_projects(annotations: Iterable[dict[str, Any]]) -> bool:
    """Whether one account's answers among ``annotations`` (a merged task's, each stamped
    with the project it was read from) lie in two projects or more: it answered the
    passage in two reviewer queues."""
    seen: dict[Any, set[Any]] = {}
    for a in annotations:
        who = a.get("completed_by")
        who = who.get("id") if isinstance(who, dict) else who
        seen.setdefault(who, set()).add(a.get("ls_project_id", a.get("project")))
    return any(len(p) > 1 for p in seen.values())


# why a review set's passage has fewer than K answers by its queues' own reviewers
SHORT_OPEN = "open"  # a task of it is still open
SHORT_ANSWERED_TWICE = "answered_twice_by_one_account"  # one account answered two queues
SHORT_OTHER_ACCOUNT = "answered_by_another_account"  # the admin, a lead, a colleague
SHORT_SKIPPED = "skipped"  # a reviewer skipped theirs
# none of those: no task of it is open or skipped, so the missing task was deleted in
# Label Studio (with any answer it held) or never made (push held it back or stopped)
SHORT_NO_TASK = "no_task_left"
SHORT_KINDS = (SHORT_OPEN, SHORT_ANSWERED_TWICE, SHORT_OTHER_ACCOUNT, SHORT_SKIPPED, SHORT_NO_TASK)


def short_of_own_reviewers(
    rows: Iterable[dict[str, Any]],
    k: int,
    queue_reviewers: Mapping[int, str | None],
    *,
    open_passages: set[str],
    answered_twice: set[str],
) -> dict[str, Any]:
    """The passages of ``rows`` (a review set's corpus rows) with fewer than ``k`` answers
    by their queues' own reviewers (``queue_reviewers``: queue project id -> its
    reviewer's pseudonym; an answer counts when it lies in its own reviewer's queue), by
    the first reason that holds (:data:`SHORT_KINDS`): a task still open
    (``open_passages``), one account answering it in two queues (``answered_twice``),
    another account's answer in a queue, a reviewer's skip, else no task left (deleted in
    Label Studio, or never made). `annotate review status` counts the same (passM55 #3,
    #8): ``{"reviewers_per_task", "passages", "by_reason": {kind: n}, "examples": {kind:
    [ids, first 20]}}``."""
    found: dict[str, list[str]] = {kind: [] for kind in SHORT_KINDS}
    for row in rows:
        anns = row.get("annotations") or []
        own = {
            a.get("reviewer")
            for a in anns
            if a.get("reviewer") is not None
            and a.get("reviewer") == queue_reviewers.get(a.get("ls_project_id"))
        }
        if len(own) >= k:
            continue
        pid = str(row["id"])
        if pid in open_passages:
            kind = SHORT_OPEN
        elif pid in answered_twice:
            kind = SHORT_ANSWERED_TWICE
        elif len(own) < len(anns):
            kind = SHORT_OTHER_ACCOUNT
        elif row.get("skipped_by"):
            kind = SHORT_SKIPPED
        else:
            kind = SHORT_NO_TASK
        found[kind].append(pid)
    return {
        "reviewers_per_task": k,
        "passages": sum(len(v) for v in found.values()),
        "by_reason": {kind: len(v) for kind, v in found.items()},
        "examples": {kind: sorted(v)[:20] for kind, v in found.items() if v},
    }


def written_by_other_record(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The answers of ``rows`` (corpus rows; gold rows carry ``gold``) last written by
    another account than the reviewer they are credited to (each annotation's
    ``written_by``), by passage: ``passage``, ``reviewer``, ``written_by``,
    ``updated_at``, ``ls_annotation_id``, ``gold``."""
    out = []
    for row in rows:
        for a in row.get("annotations") or []:
            if a.get("written_by"):
                out.append(
                    {
                        "passage": str(row["id"]),
                        "reviewer": a.get("reviewer"),
                        "written_by": a["written_by"],
                        "updated_at": a.get("updated_at"),
                        "ls_annotation_id": a.get("ls_annotation_id"),
                        "gold": row.get("gold") is not None,
                    }
                )
    return sorted(out, key=lambda e: (e["passage"], str(e["reviewer"])))


# why a lead's answer in ``NAME · adjudication`` decides nothing (:func:`lead_ignored`)
LEAD_NONE_WITH_OTHER = "none_with_other"
LEAD_WITHOUT_CATEGORY = "without_category"


def lead_ignored(
    lead_categories: Sequence[str],
    votes: Sequence[Sequence[str]] | None,
    tax: Taxonomy,
    unoffered: Unoffered = None,
) -> str | None:
    """Why the lead's answer choosing ``lead_categories`` decides nothing on a passage
    whose reviewers chose ``votes`` (each answer's categories), or None when it decides:
    :data:`LEAD_NONE_WITH_OTHER` (the none label with another category: a contradiction,
    as a reviewer's is incomplete), :data:`LEAD_WITHOUT_CATEGORY` (no category where the
    reviewers' vote did not decide the categories: a tie, or no reviewer chose one; where
    it did, a category-less answer decides the severity and spans and the vote keeps the
    categories). ``votes`` None: only what the answer itself says (the contradiction).
    The one rule export (:func:`collect`) and ``annotate adjudicate`` read a lead's answer
    by, so that both say the same passages wait for the lead."""
    if pairs_none_with_other(list(lead_categories), tax):
        return LEAD_NONE_WITH_OTHER
    if lead_categories or votes is None:
        return None
    labels, tie = resolve_categories(votes, tax.category_names, unoffered=unoffered)
    return LEAD_WITHOUT_CATEGORY if tie or not labels else None


def _warn_lead_answers(
    passages: list[str], adjudication: dict[str, Any] | None, what: str, read: str, fix: str
) -> None:
    """Warn that the lead's answers on ``passages`` (sorted) ``what`` (how each is
    ``read``), with the lead's ``fix`` in Label Studio; nothing when there are none."""
    if not passages:
        return
    log.warning(
        "%d answer(s) of the lead in %r %s (e.g. %s): %s. Fix: the lead %s in Label Studio "
        "and updates the answer, then export again",
        len(passages),
        str(adjudication["title"]) if adjudication else "",
        what,
        ", ".join(passages[:3]),
        read,
        fix,
    )


# why a task of ``NAME · adjudication`` holds a passage no row has (:func:`unplaced_lead_tasks`)
NOT_IN_QUEUES = "passage_in_no_reviewer_task"
NOT_ANSWERED = "passage_not_answered_by_reviewers"
GOLD = "gold_passage"
UNPLACED_IDS = 20  # ids listed per reason in the manifest


def unplaced_lead_tasks(
    lead_tasks: Sequence[dict[str, Any]],
    leads: Mapping[str, Any],
    *,
    exported: set[str],
    gold: set[str],
    in_queues: set[str],
) -> dict[str, Any]:
    """The tasks of ``NAME · adjudication`` that export cannot place: their passage is in
    no row, so the lead's answer there decides nothing and is in no escalation. Why, per
    task: :data:`NOT_IN_QUEUES` (no task of the reviewers holds the passage: a plain push
    straight into the adjudication project, which versions before stop 48 accepted: F22),
    :data:`NOT_ANSWERED` (the reviewers' tasks hold it without an answer: one deleted in
    Label Studio), :data:`GOLD` (a gold passage, scored apart). ``{"tasks", "answered"
    (of them, those the lead answered), "reasons": {reason: {"tasks", "passages" (the
    first :data:`UNPLACED_IDS`, sorted), "task_ids" (the same)}}}``."""
    by_reason: dict[str, list[tuple[str, int]]] = {}
    answered = 0
    for t in lead_tasks:
        pid = _pid(t)
        if pid in exported:
            continue
        why = GOLD if pid in gold else NOT_ANSWERED if pid in in_queues else NOT_IN_QUEUES
        by_reason.setdefault(why, []).append((pid, int(t["id"])))
        answered += pid in leads
    return {
        "tasks": sum(len(v) for v in by_reason.values()),
        "answered": answered,
        "reasons": {
            why: {
                "tasks": len(found),
                "passages": sorted({pid for pid, _ in found})[:UNPLACED_IDS],
                "task_ids": sorted(tid for _, tid in found)[:UNPLACED_IDS],
            }
            for why, found in sorted(by_reason.items())
        },
    }


def unplaced_sentence(unplaced: Mapping[str, Any], project: str) -> str:
    """The warning for :func:`unplaced_lead_tasks`' record: how many tasks, why, a few
    passage ids, and the fix."""
    title = adjudication_title(project)
    n, answered = unplaced["tasks"], unplaced["answered"]
    words = {
        NOT_IN_QUEUES: (
            f"with a passage no reviewer task of {project!r} holds (pushed straight into the "
            "adjudication project, which earlier versions of annotate accepted; a push there "
            "is refused now)"
        ),
        NOT_ANSWERED: "with a passage its reviewers' tasks hold without an answer",
        GOLD: "with a gold passage (gold is scored apart)",
    }
    parts = []
    for why, entry in unplaced["reasons"].items():
        ids = ", ".join(entry["passages"][:3])
        parts.append(f"{entry['tasks']} {words[why]}, e.g. {ids}")
    fix = (
        f"delete those tasks from {title!r} in Label Studio (their passages were never given "
        f"to the reviewers); to have them reviewed, push them into {project!r} "
        f"(`annotate push FILE --project '{project}'`)"
    )
    if NOT_IN_QUEUES not in unplaced["reasons"]:
        fix = "read the listed passages in Label Studio; a lead's answer counts once a row holds it"
    return (
        f"{n} task(s) of {title!r} could not be placed in the corpus ({answered} answered by "
        "the lead: those answers are in no row and no escalation): "
        + "; ".join(parts)
        + f". Fix: {fix} (an export's manifest.json review.adjudication_tasks_unplaced lists them)"
    )
