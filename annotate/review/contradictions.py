"""The answers of a project whose severity contradicts their categories, all of them, for
`annotate review status`: a harmful category with severity `none`
(:func:`annotate.corpus.rows.harmful_with_no_harm_severity`) and a harmful severity with
no harmful category (:func:`annotate.corpus.rows.harm_severity_without_harm`). Export and
agreement read both as no severity given; status names them so the lead can have them
corrected. The same read finds the answers last written by another account than the one
credited (Label Studio's ``updated_by``; export's ``written_by``): they vote, but agreement
leaves them out (:mod:`annotate.review.own_answers`), so status names them too.

Status counts exposure from ``--since`` on (:mod:`annotate.review.recent`), but a
contradiction stays open until its reviewer corrects it, whenever it was made: a lead
running status with the default ``--since`` (today) saw none of yesterday's, although the
export still reads them as no severity. So every answered task of the project (its
reviewer queues, its plain or numbered projects, and ``NAME · adjudication``) is read,
page by page (:meth:`annotate.studio.client.StudioClient.iter_answered_tasks`, 200 tasks a
request, only the fields an answer is read with: not the predictions): memory holds one
page and the names kept, at most ``shown`` of each kind, with their totals; the requests
grow with the answered tasks (about 30 s per 10,000 from a local server, as an export's
task list, before predictions were left out). That is the first run: it remembers what it
found (:mod:`annotate.review.contradiction_memory`), so a later one reads only the tasks
changed since (``updated_at``), and the ids of the answered tasks of a project holding a
remembered contradiction (one whose task or answers were deleted goes). A project whose
labeling config changed since (a re-push with another labels.yaml: its answers are read
under the versions the config records) is read whole again, with a line in the log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from annotate._util.server_time import recency, server_time
from annotate.corpus.resolve import pseudonym
from annotate.corpus.rows import (
    HARMFUL_SEVERITY_NONE,
    SEVERITY_WITHOUT_HARM,
    contradiction_of,
    harm_severity_without_harm,
    harmful_with_no_harm_severity,
    task_to_row,
)
from annotate.errors import AnnotateError, ExportError, TaxonomyError
from annotate.review.collect import (
    adjudication_title,
    latest_lead_answer,
    stamp_project_versions,
    usable_annotations,
)
from annotate.review.contradiction_memory import (
    config_digest,
    load_memory,
    memory_key,
    save_memory,
)
from annotate.review.recent import task_filter, touched_since
from annotate.studio.client import ANSWER_FIELDS, FULL_PAGE_SIZE, LIST_PAGE_SIZE, StudioClient
from annotate.studio.projects import project_set
from annotate.studio.pull import latest_annotations, project_taxonomy_version, written_by_other
from annotate.studio.tasks import PASSAGE_ID_FIELD
from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)

SHOWN = 10  # answers named of each kind; the others are counted
# the fields an answered task is read with: an answer's (not the predictions), and the
# task's updated_at, the record's mark (annotate.review.contradiction_memory)
FIELDS = f"{ANSWER_FIELDS},updated_at"
# seconds before a record's mark a next run reads from, besides the time the run that set
# it took: a task answered while that run read has an updated_at before the latest it read
MARGIN_S = 60.0
UNREADABLE = "unreadable"  # a finding: the task's answers cannot be read
# findings that are no contradiction, read with the same answers: a reviewer's answer (a
# lead's, in NAME · adjudication) last written by another account than the one credited
# (Label Studio's updated_by; export's written_by: it votes, agreement leaves it out)
WRITTEN_BY = "written_by_another_account"
LEAD_WRITTEN_BY = "lead_written_by_another_account"
# remembered tasks looked up one by one, per page of the answered ids' listing they spare
# (:func:`_still_answered`): about 13 such look-ups cost one page (measured, 3,000 tasks)
ID_CHECKS_PER_PAGE = 10


@dataclass
class Found:
    """One kind of contradiction: the first answers named (``task ID (r-…)``, a lead's
    ``passage ID (lead r-…)``) and how many in all."""

    named: list[str] = field(default_factory=list)
    total: int = 0

    def add(self, name: str, shown: int) -> None:
        self.total += 1
        if len(self.named) < shown:
            self.named.append(name)


@dataclass
class Contradictions:
    """What :func:`open_contradictions` found."""

    harmful_severity_none: Found = field(default_factory=Found)
    severity_without_harm: Found = field(default_factory=Found)
    # answered tasks whose answers the labels.yaml cannot read (a label since removed, a
    # config edited by hand): skipped, named by task id, the first one's reason kept
    unreadable: Found = field(default_factory=Found)
    unreadable_why: str = ""
    tasks: int = 0  # answered tasks read by this run
    # answered tasks the listing covers (read by this run or remembered from an earlier
    # one): what ``tasks`` counted before a run's record was kept (break6 K11)
    answered: int = 0
    # every answered task was read (no record of an earlier run used): else only those
    # changed since it, the others' findings remembered
    full_read: bool = True
    # the Label Studio projects (titles) read whole again because their labeling config
    # is not the one the record's findings were read under (a re-push with another
    # labels.yaml: their answers may read differently)
    config_changed: list[str] = field(default_factory=list)
    # the reviewers' answers (``task ID (r-…)``) and the lead's latest answers (``passage
    # ID (lead r-…)``) last written by another account than the one credited, whenever
    # made (as export's ``review.answers_written_by_another_account``), with who wrote
    # them (pseudonym -> answers), whose the reviewer answers are, and the first one's writer
    written_by_other: Found = field(default_factory=Found)
    lead_written_by_other: Found = field(default_factory=Found)
    written_by: dict[str, int] = field(default_factory=dict)
    written_for: dict[str, int] = field(default_factory=dict)
    first_writer: str = ""

    def skip(self, where: str, err: AnnotateError, shown: int) -> None:
        """Count an answered task that cannot be read and go on with the others."""
        self.unreadable.add(where, shown)
        if not self.unreadable_why:
            self.unreadable_why = str(err)


def _pages(tasks: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(tasks)
    while page := list(islice(it, size)):
        yield page


def open_contradictions(
    client: StudioClient,
    project: str,
    tax: Taxonomy,
    *,
    salt: str,
    shown: int = SHOWN,
    memory: Path | None = None,
    full: bool = False,
) -> Contradictions:
    """Every reviewer answer (each reviewer's latest on a task, gold tasks included, as
    export reads them) and every lead answer (the latest of each adjudication task) of
    ``project`` (a review set, a plain or numbered project) whose severity contradicts its
    categories, whenever made; by Label Studio task id and pseudonym, never by text (see
    the module). Raises StudioError (ProjectNotFoundError for a name that is no project).
    A task with an answer the labels.yaml cannot read (ExportError, TaxonomyError: an
    export would stop there) is counted in ``unreadable`` and skipped, so one old answer
    does not hide every other contradiction.

    ``memory``: the record of an earlier run (:mod:`annotate.review.contradiction_memory`,
    None: none kept): the tasks it remembers are not read again unless changed since (a
    task's ``updated_at`` moves whenever an answer on it is saved), so a corrected answer's
    contradiction goes and a new one comes; a remembered task no longer answered (deleted,
    or its answers deleted) goes too. ``full``: read every answered task whatever the
    record says (and write it anew)."""
    started = time.monotonic()
    members = project_set(client, project)
    projects = members.projects or [client.require_project(project)]
    lead = client.find_project(adjudication_title(project))
    key = memory_key(tax.content_sha256, salt)
    remembered = {} if memory is None or full else load_memory(memory, key)
    found = Contradictions()
    kinds = {
        HARMFUL_SEVERITY_NONE: found.harmful_severity_none,
        SEVERITY_WITHOUT_HARM: found.severity_without_harm,
    }
    parts = [(proj, False) for proj in projects]
    if lead is not None:
        parts.append((client.get_project(int(lead["id"])), True))
    kept: dict[str, Any] = {}
    for proj, is_lead in parts:
        proj = proj if "label_config" in proj else client.get_project(int(proj["id"]))
        config, version = config_digest(proj), project_taxonomy_version(proj)
        old = remembered.get(str(int(proj["id"])))
        if old is not None and old.get("config") != config:
            # answers are read under the version the config records (and the versions it
            # was moved from): what the record found under another config is stale
            log.info(
                "project %r (id %s) has another labeling config than when review status last "
                "read it (labels.yaml %s, was %s): its answers may read differently, so "
                "every answered task of it is read again",
                proj.get("title"),
                proj["id"],
                version or "not recorded",
                old.get("labels_version") or "not recorded",
            )
            found.config_changed.append(str(proj.get("title") or proj["id"]))
            old = None
        findings, mark, read, answered = _read_part(client, proj, tax, salt, old, is_lead)
        found.tasks += read
        found.answered += answered
        found.full_read = found.full_read and not (old or {}).get("mark")
        kept[str(int(proj["id"]))] = {
            "mark": mark,
            "tasks": {str(t): f for t, f in sorted(findings.items())},
            "config": config,
            "labels_version": version,
        }
        for task_id in sorted(findings):
            for kind, name, why, *credited in findings[task_id]:
                if kind in (WRITTEN_BY, LEAD_WRITTEN_BY):
                    _written_by(found, kind, name, why, credited, shown)
                elif kind == UNREADABLE:
                    found.unreadable.add(name, shown)
                    found.unreadable_why = found.unreadable_why or why
                else:
                    kinds[kind].add(name, shown)
    if memory is not None:
        margin = round(time.monotonic() - started + MARGIN_S, 3)
        for part in kept.values():
            part["margin_s"] = margin
        save_memory(memory, project, key, kept)
    return found


def _read_part(
    client: StudioClient,
    proj: dict[str, Any],
    tax: Taxonomy,
    salt: str,
    old: dict[str, Any] | None,
    is_lead: bool,
) -> tuple[dict[int, list[list[str]]], str | None, int, int]:
    """One Label Studio project's findings (task id -> ``[kind, name, why]`` items), the
    latest ``updated_at`` read (the record's ``mark``), how many tasks were read and how
    many answered tasks it has (those read, on a full read; else counted on the server).
    ``old``: what the record remembers of it (None: every answered task is read); its
    tasks touched since its mark, less the seconds the run that set it took and
    :data:`MARGIN_S` (a task answered while that run read the others has an ``updated_at``
    before the latest one it read), are read again."""
    pid = int(proj["id"])
    findings: dict[int, list[list[str]]] = {}
    filters: list[dict[str, Any]] = []
    mark = None if old is None else old.get("mark")
    since = server_time(mark)
    answered: int | None = None  # the project's answered tasks, where counted
    if old is not None and since is not None:
        back = timedelta(seconds=max(float(old.get("margin_s") or 0), MARGIN_S))
        filters = [touched_since(since - back)]
        findings = {int(t): list(f) for t, f in (old.get("tasks") or {}).items()}
        answered = client.count_answered_tasks(pid, [])
        if findings:  # a remembered task no longer answered: deleted, or its answers
            still = _still_answered(client, pid, list(findings), answered)
            findings = {t: f for t, f in findings.items() if t in still}
    else:
        mark = None
    read = 0
    for page in _pages(client.iter_answered_tasks(pid, filters, FIELDS), FULL_PAGE_SIZE):
        read += len(page)
        stamp_project_versions(client, proj, page)
        for task in page:
            task_id = int(task["id"])
            findings.pop(task_id, None)  # changed: what it holds now replaces what it held
            if recency(task.get("updated_at")) > recency(mark):
                mark = str(task["updated_at"])
            got = _lead_findings(task, tax, salt) if is_lead else _task_findings(task, tax, salt)
            got += _written_by_findings(task, salt, is_lead)
            if got:
                findings[task_id] = got
    return findings, mark, read, read if answered is None else answered


def _still_answered(
    client: StudioClient, pid: int, remembered: list[int], answered: int
) -> set[int]:
    """Which of the ``remembered`` task ids of project ``pid`` still have an answer: one
    small request each where they are few beside the project's answered tasks (an ids
    listing takes about 1.3 s per 1,000 answered tasks from a local server, one look-up
    about 0.1 s), else the ids of every answered task (``answered``: how many the project
    has)."""
    pages = -(-answered // LIST_PAGE_SIZE)
    if len(remembered) <= ID_CHECKS_PER_PAGE * pages:
        return {
            t
            for t in remembered
            if any(True for _ in client.iter_answered_ids(pid, [task_filter(t)]))
        }
    return set(client.iter_answered_ids(pid, []))


def _written_by(
    found: Contradictions, kind: str, name: str, writer: str, credited: list[str], shown: int
) -> None:
    """Count one answer last written by ``writer`` (pseudonym) for ``credited`` into
    ``found``."""
    (found.written_by_other if kind == WRITTEN_BY else found.lead_written_by_other).add(name, shown)
    found.written_by[writer] = found.written_by.get(writer, 0) + 1
    if kind == WRITTEN_BY and credited:
        found.written_for[credited[0]] = found.written_for.get(credited[0], 0) + 1
    found.first_writer = found.first_writer or writer


def _written_by_findings(task: dict[str, Any], salt: str, is_lead: bool) -> list[list[str]]:
    """The answers of ``task`` that export reads (each reviewer's latest; of an
    adjudication task, the latest lead answer) last written by another account than the
    one credited (:func:`annotate.studio.pull.written_by_other`): ``[kind, name, writer,
    credited]`` items, pseudonyms; read from the raw answers, so a task the labels.yaml
    cannot read is counted too."""
    latest = latest_annotations(task)
    if is_lead and latest:
        latest = [max(latest, key=lambda kv: recency(kv[1].get("updated_at")))]
    out = []
    for user, ann in latest:
        writer = written_by_other(ann)
        if writer is None:
            continue
        credited = pseudonym(user, salt)
        name = (
            f"passage {(task.get('data') or {}).get(PASSAGE_ID_FIELD)} (lead {credited})"
            if is_lead
            else f"task {task.get('id')} ({credited})"
        )
        kind = LEAD_WRITTEN_BY if is_lead else WRITTEN_BY
        out.append([kind, name, pseudonym(writer, salt), credited])
    return out


def _task_findings(task: dict[str, Any], tax: Taxonomy, salt: str) -> list[list[str]]:
    """A reviewer task's contradictions (or why it cannot be read)."""
    if not usable_annotations(task.get("annotations") or []):
        return []
    try:
        row = task_to_row(task, tax, salt=salt)
    except (ExportError, TaxonomyError) as err:
        return [[UNREADABLE, f"task {task.get('id')}", str(err)]]
    out = []
    for a in row["annotations"]:
        kind = contradiction_of(a, tax.no_harm_severity)
        if kind is not None:
            out.append([kind, f"task {a.get('ls_task_id')} ({a.get('reviewer')})", ""])
    return out


def _lead_findings(task: dict[str, Any], tax: Taxonomy, salt: str) -> list[list[str]]:
    """An adjudication task's contradiction: its latest lead answer's (or why it cannot
    be read)."""
    try:
        answer = latest_lead_answer(task, tax)
    except (ExportError, TaxonomyError) as err:
        return [[UNREADABLE, f"adjudication task {task.get('id')}", str(err)]]
    if answer is None:
        return []
    user, _, parsed = answer
    cats, severity = list(parsed["categories"]), str(parsed["severity"] or "")
    name = (
        f"passage {(task.get('data') or {}).get(PASSAGE_ID_FIELD)} (lead {pseudonym(user, salt)})"
    )
    if harmful_with_no_harm_severity(cats, severity, tax):
        return [[HARMFUL_SEVERITY_NONE, name, ""]]
    if harm_severity_without_harm(cats, severity, tax):
        return [[SEVERITY_WITHOUT_HARM, name, ""]]
    return []
