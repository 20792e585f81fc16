"""`annotate review status` of a project that is no review set: one project ``NAME``, or a
push split over numbered projects ``NAME``, ``NAME #2`` ... (pushed without
``--reviewers-per-task``: every reviewer answers in the same tasks). Per project: its
tasks, those answered (by anyone), skipped (and not answered), open, and of the open ones
those holding a draft; a review set's status is per reviewer queue
(:func:`annotate.review.handover.queue_status`). Either way, the lead's work in ``NAME ·
adjudication`` (:func:`lead_status`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from annotate._util.server_time import earliest
from annotate.review.collect import ADJUDICATION_SUFFIX, adjudication_title, numbered_part
from annotate.studio.client import StudioClient
from annotate.studio.drafts import tasks_with_drafts
from annotate.studio.projects import project_set, review_set_of

log = logging.getLogger(__name__)

FIELDS = "id,total_annotations,cancelled_annotations,created_at"


@dataclass(frozen=True)
class PartStatus:
    """The work of one Label Studio project of a plain or numbered project."""

    title: str
    url: str
    tasks: int
    answered: int  # tasks with an answer (of anyone)
    skipped: int  # tasks skipped and not answered
    open: int  # neither answered nor skipped
    open_drafts: int  # of ``open``, tasks holding a draft (started, not submitted)
    project_id: int = 0
    oldest_open: str | None = None  # when its oldest open task was made (the server's time)


def project_status(client: StudioClient, project: str) -> list[PartStatus]:
    """The status of each project of ``project`` when it is a plain project or numbered
    projects, in fill order; empty when it is a review set, one reviewer's queue, an
    adjudication project or nothing of that name (their errors say what to pass)."""
    if project.endswith(ADJUDICATION_SUFFIX):  # the lead's project: pass its review set's
        return []
    members = project_set(client, project)
    if members.kind not in ("single", "numbered") or any(
        review_set_of(p) is not None
        for p in members.projects  # one reviewer's queue
    ):
        return []
    if members.kind == "single" and (part := numbered_part(client, project, members.projects[0])):
        # `Weekly #2` copied from Label Studio's project list: that part's counts alone
        base, what = part
        log.warning(
            "%r is one of %s: only its own tasks are counted; --project %r lists every "
            "part with the totals (to look at this part alone on purpose, as now, keep "
            "--project %r)",
            project,
            what,
            base,
            project,
        )
    out = []
    for proj in members.projects:
        pid = int(proj["id"])
        answered = skipped = 0
        open_ids: set[int] = set()
        made: list[str] = []
        for t in client.iter_tasks(pid, include=FIELDS):
            if int(t.get("total_annotations") or 0):
                answered += 1
            elif int(t.get("cancelled_annotations") or 0):
                skipped += 1
            else:
                open_ids.add(int(t["id"]))
                if t.get("created_at"):
                    made.append(str(t["created_at"]))
        drafted = tasks_with_drafts(client, pid) & open_ids if open_ids else set()
        out.append(
            PartStatus(
                title=str(proj["title"]),
                url=f"{client.url}/projects/{pid}/data",
                tasks=answered + skipped + len(open_ids),
                answered=answered,
                skipped=skipped,
                open=len(open_ids),
                open_drafts=len(drafted),
                project_id=pid,
                oldest_open=earliest(made),  # as times: the stamps vary in form
            )
        )
    return out


@dataclass(frozen=True)
class LeadStatus:
    """The work of the lead in ``NAME · adjudication``."""

    title: str
    url: str
    tasks: int
    answered: int  # a lead answered
    waiting: int  # in the lead's queue, not answered (a skipped one waits for another lead)
    # not answered and taken out of the lead's queue: no longer disputed when `annotate
    # adjudicate` last ran (:func:`annotate.review.adjudication._retire`)
    out_of_queue: int


def lead_status(client: StudioClient, project: str) -> LeadStatus | None:
    """The adjudication project of ``project``; None when there is none."""
    proj = client.find_project(adjudication_title(project))
    if proj is None:
        return None
    pid = int(proj["id"])
    answered = waiting = out = 0
    for t in client.iter_tasks(pid, include="id,overlap,total_annotations"):
        if int(t.get("total_annotations") or 0):
            answered += 1
        elif t.get("overlap") is not None and int(t["overlap"]) == 0:
            out += 1
        else:
            waiting += 1
    return LeadStatus(
        title=str(proj["title"]),
        url=f"{client.url}/projects/{pid}/data",
        tasks=answered + waiting + out,
        answered=answered,
        waiting=waiting,
        out_of_queue=out,
    )
