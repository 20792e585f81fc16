"""The answers of a project whose severity contradicts their categories, all of them, for
`annotate review status`: a harmful category with severity `none`
(:func:`annotate.corpus.rows.harmful_with_no_harm_severity`) and a harmful severity with
no harmful category (:func:`annotate.corpus.rows.harm_severity_without_harm`). Export and
agreement read both as no severity given; status names them so the lead can have them
corrected.

Status counts exposure from ``--since`` on (:mod:`annotate.review.recent`), but a
contradiction stays open until its reviewer corrects it, whenever it was made: a lead
running status with the default ``--since`` (today) saw none of yesterday's, although the
export still reads them as no severity. So every answered task of the project (its
reviewer queues, its plain or numbered projects, and ``NAME · adjudication``) is read,
page by page (:meth:`annotate.studio.client.StudioClient.iter_answered_tasks`, 200 tasks a
request, only the fields an answer is read with: not the predictions): memory holds one
page and the names kept, at most ``shown`` of each kind, with their totals; the requests
grow with the answered tasks (about 30 s per 10,000 from a local server, as an export's
task list, before predictions were left out).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

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
from annotate.studio.client import ANSWER_FIELDS, FULL_PAGE_SIZE, StudioClient
from annotate.studio.projects import project_set
from annotate.studio.tasks import PASSAGE_ID_FIELD
from annotate.taxonomy import Taxonomy

SHOWN = 10  # answers named of each kind; the others are counted


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
    tasks: int = 0  # answered tasks read

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
    client: StudioClient, project: str, tax: Taxonomy, *, salt: str, shown: int = SHOWN
) -> Contradictions:
    """Every reviewer answer (each reviewer's latest on a task, gold tasks included, as
    export reads them) and every lead answer (the latest of each adjudication task) of
    ``project`` (a review set, a plain or numbered project) whose severity contradicts its
    categories, whenever made; by Label Studio task id and pseudonym, never by text (see
    the module). Raises StudioError (ProjectNotFoundError for a name that is no project).
    A task with an answer the labels.yaml cannot read (ExportError, TaxonomyError: an
    export would stop there) is counted in ``unreadable`` and skipped, so one old answer
    does not hide every other contradiction."""
    members = project_set(client, project)
    projects = members.projects or [client.require_project(project)]
    lead = client.find_project(adjudication_title(project))
    found = Contradictions()
    kinds = {
        HARMFUL_SEVERITY_NONE: found.harmful_severity_none,
        SEVERITY_WITHOUT_HARM: found.severity_without_harm,
    }
    for proj in projects:
        proj = proj if "label_config" in proj else client.get_project(int(proj["id"]))
        for page in _pages(
            client.iter_answered_tasks(int(proj["id"]), [], ANSWER_FIELDS), FULL_PAGE_SIZE
        ):
            found.tasks += len(page)
            stamp_project_versions(client, proj, page)
            for task in page:
                if not usable_annotations(task.get("annotations") or []):
                    continue
                try:
                    row = task_to_row(task, tax, salt=salt)
                except (ExportError, TaxonomyError) as err:
                    found.skip(f"task {task.get('id')}", err, shown)
                    continue
                for a in row["annotations"]:
                    kind = contradiction_of(a, tax.no_harm_severity)
                    if kind is not None:
                        kinds[kind].add(f"task {a.get('ls_task_id')} ({a.get('reviewer')})", shown)
    if lead is not None:
        lead = client.get_project(int(lead["id"]))
        for page in _pages(
            client.iter_answered_tasks(int(lead["id"]), [], ANSWER_FIELDS), FULL_PAGE_SIZE
        ):
            found.tasks += len(page)
            stamp_project_versions(client, lead, page)
            for task in page:
                try:
                    answer = latest_lead_answer(task, tax)
                except (ExportError, TaxonomyError) as err:
                    found.skip(f"adjudication task {task.get('id')}", err, shown)
                    continue
                if answer is None:
                    continue
                user, _, parsed = answer
                cats, severity = list(parsed["categories"]), str(parsed["severity"] or "")
                name = (
                    f"passage {(task.get('data') or {}).get(PASSAGE_ID_FIELD)} "
                    f"(lead {pseudonym(user, salt)})"
                )
                if harmful_with_no_harm_severity(cats, severity, tax):
                    found.harmful_severity_none.add(name, shown)
                elif harm_severity_without_harm(cats, severity, tax):
                    found.severity_without_harm.add(name, shown)
    return found
