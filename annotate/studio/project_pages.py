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
page's ``count`` unchanged: only a project read before the last page, deleted before
the last page was read, makes the read skip one. So after the last page each listing is
checked: the projects read on the pages before it must all still be listed (``ids=...``,
one request per :data:`IDS_PER_CHECK` of them, counting those the server lists); when
fewer are, the listing is read again, up to :data:`ATTEMPTS` times, then it is an error
rather than a listing that may miss a project. A listing of one page (one request) needs
no check. Deletions that leave fewer pages than the read expected make the page it asks
for next not exist (404 "Invalid page."): that reading is read again too.

A server that ignores ``ordering`` still gives every project listed from the first page
to the last, once: projects are kept once each by id and the check catches a skipped one
(a project created during the read may then land on a page already read and go unread,
as one created just after the read would). One that ignores
the ``ids`` filter (it counts more projects than the ids asked) leaves the check to the
counts alone: the listing is read again when the ``count`` changed between its first and
last page."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from annotate.errors import StudioError, StudioNotFoundError

log = logging.getLogger(__name__)

# projects per page: the most Label Studio 1.23.2 gives (ProjectListPagination.max_page_size)
PAGE_SIZE = 100
# ids per request of the check (``ids=1,2,...`` in the URL: up to about 1.5 KB, well below
# the 4 KB request lines that gunicorn and uWSGI accept by default)
IDS_PER_CHECK = 200
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
        reading = _pages(get, action, **params)
        if reading is not None:
            projects, counts, before_last = reading
            if len(counts) <= 1 or _whole(get, action, before_last, counts, params):
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


def _pages(
    get: Get, action: str, **params: Any
) -> tuple[list[dict[str, Any]], list[int], list[int]] | None:
    """One reading: the projects of every page (each once, by id, ascending), each page's
    ``count`` (one per page read; [] for a server that does not page) and the ids read on
    the pages before the last. None when a page after the first is gone (404 "Invalid
    page.", as DRF's page-number pagination answers a page past the last): projects were
    deleted under the read, so that the listing has fewer pages now."""
    seen: dict[int, dict[str, Any]] = {}
    counts: list[int] = []
    before_last: list[int] = []
    page = 1
    while True:
        try:
            data = get(
                "api/projects/", action, page=page, page_size=PAGE_SIZE, ordering="id", **params
            )
        except StudioNotFoundError:
            if page == 1:
                raise  # no listing at all: not a change under the read
            return None
        if not isinstance(data, dict):  # a server that lists every project at once
            items = list(data or [])
        else:
            items = list(data.get("results") or [])
            counts.append(int(data.get("count") or 0))
        for proj in items:
            seen.setdefault(int(proj["id"]), proj)
        if not isinstance(data, dict) or not data.get("next") or not items:
            return [seen[i] for i in sorted(seen)], counts, sorted(set(before_last))
        before_last += [int(p["id"]) for p in items]
        page += 1


def _whole(
    get: Get,
    action: str,
    before_last: list[int],
    counts: list[int],
    params: dict[str, Any],
) -> bool:
    """Whether one reading over several pages (``counts``: each page's ``count``) skipped
    no project: every project it read before its last page (``before_last``, ids) is listed
    still, so none of them was deleted and shifted a later page."""
    filters = {k: v for k, v in params.items() if k != "include"}
    listed = 0
    for start in range(0, len(before_last), IDS_PER_CHECK):
        chunk = before_last[start : start + IDS_PER_CHECK]
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
            return counts[0] == counts[-1]
        listed += found
    return listed == len(before_last)
