"""Every project ``api/projects/`` lists, each once, even while projects are created or
deleted on the server between two page reads.

Label Studio 1.23.2's project listing (``projects/api.py``, ``ProjectListAPI``) pages by
number only (``ProjectListPagination``: a ``PageNumberPagination`` of at most 100) and
filters by ``ids`` (a list of ids, ``id__in``) and ``title`` (``icontains``) only
(``ProjectFilterSet``): unlike the task listing (Data Manager filters, read past the last
id, :meth:`annotate.studio.client.StudioClient._task_pages`) it cannot ask for "the
projects past this id". It does take ``ordering`` (DRF's ``OrderingFilter``, over the
serializer's fields, ``id`` among them), so pages are read in ascending id order: a
project created during the read has the largest id and comes last, shifting no page
(read if it exists when the last page is read). A project deleted during the read, when
it was on a page already read, still shifts the later pages back by one, so the first
project of the next page goes unread, and a creation at the same time can leave every
page's ``count`` unchanged. So after the last page each listing is checked: of the
projects read, as many must still be listed (one request per :data:`IDS_PER_CHECK` ids,
``ids=...``) as the last page's ``count`` says there are; when fewer are, a project was
deleted under the read and the listing is read again, up to :data:`ATTEMPTS` times,
then it is an error rather than a listing that may miss a project. A listing of one page
(one request) needs no check.

A server that ignores ``ordering`` is still read whole: projects are kept once each by id
and the check catches a skipped one (the pages merely shift more often). One that ignores
the ``ids`` filter (it counts more projects than the ids asked) leaves the check to the
counts alone: the listing is read again when the ``count`` changed between its first and
last page."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from annotate.errors import StudioError

log = logging.getLogger(__name__)

# projects per page: the most Label Studio 1.23.2 gives (ProjectListPagination.max_page_size)
PAGE_SIZE = 100
# ids per request of the check (``ids=1,2,...`` in the URL: a few hundred characters)
IDS_PER_CHECK = 100
# readings of a listing before a listing that keeps changing is an error
ATTEMPTS = 3

Get = Callable[..., Any]  # StudioClient._get: (path, action, **params) -> the JSON answer


def read_projects(get: Get, action: str, url: str, **params: Any) -> list[dict[str, Any]]:
    """Every project ``api/projects/`` lists for ``params`` (``include``, ``title``: the
    server's filters), each once, in ascending id (see the module). ``get`` sends one GET
    and returns its JSON answer. Raises StudioError when the listing changed under every
    one of :data:`ATTEMPTS` readings (``url``, the server's, names it), and what ``get``
    raises."""
    for attempt in range(1, ATTEMPTS + 1):
        projects, counts = _pages(get, action, **params)
        if len(counts) <= 1 or _whole(get, action, projects, counts, params):
            return projects
        log.info(
            "%s: the projects changed between two page reads (attempt %d of %d); reading again",
            action,
            attempt,
            ATTEMPTS,
        )
    raise StudioError(
        f"{action}: the projects at {url} changed while they were read, {ATTEMPTS} times in "
        f"a row (projects deleted between two pages of {PAGE_SIZE}, which Label Studio lists "
        "by page number only); a listing read now could miss a project.",
        fix="run the command again once the pushes, hand-overs or deletions running on that "
        "server are done.",
    )


def _pages(get: Get, action: str, **params: Any) -> tuple[list[dict[str, Any]], list[int]]:
    """One reading: the projects of every page (each once, by id, ascending) and each
    page's ``count`` (one per page read; [] for a server that does not page)."""
    seen: dict[int, dict[str, Any]] = {}
    counts: list[int] = []
    page = 1
    while True:
        data = get("api/projects/", action, page=page, page_size=PAGE_SIZE, ordering="id", **params)
        if not isinstance(data, dict):  # a server that lists every project at once
            items = list(data or [])
        else:
            items = list(data.get("results") or [])
            counts.append(int(data.get("count") or 0))
        for proj in items:
            seen.setdefault(int(proj["id"]), proj)
        if not isinstance(data, dict) or not data.get("next") or not items:
            return [seen[i] for i in sorted(seen)], counts
        page += 1


def _whole(
    get: Get,
    action: str,
    projects: list[dict[str, Any]],
    counts: list[int],
    params: dict[str, Any],
) -> bool:
    """Whether ``projects`` (one reading over several pages, whose ``count``s were
    ``counts``) holds every project listed when its last page was read: as many of them
    are listed still as that page counted."""
    filters = {k: v for k, v in params.items() if k != "include"}
    ids = [int(p["id"]) for p in projects]
    listed = 0
    for start in range(0, len(ids), IDS_PER_CHECK):
        chunk = ids[start : start + IDS_PER_CHECK]
        data = get(
            "api/projects/",
            action,
            ids=",".join(map(str, chunk)),
            page=1,
            page_size=1,
            include="id",
            **filters,
        )
        found = int(data.get("count") or 0) if isinstance(data, dict) else len(data or [])
        if found > len(chunk):  # the server ignores ``ids``: compare the counts alone
            log.info("%s: the server does not filter projects by ids; checked by count", action)
            return counts[0] == counts[-1] == len(projects)
        listed += found
    return listed == counts[-1]
