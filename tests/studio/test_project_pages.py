"""read_projects against a fake of Label Studio 1.23.2's project listing (page numbers,
``ordering``, ``ids`` and ``title`` filters, as ``projects/api.py`` has them); the real
server: tests/integration/test_stable_project_pages.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from annotate.errors import StudioError, StudioNotFoundError
from annotate.studio import project_pages
from annotate.studio.project_pages import read_projects


class Server:
    """Projects by id; ``between(n)`` runs before the n-th page request (1: the first)."""

    def __init__(self, ids: list[int], *, order: bool = True, ids_filter: bool = True) -> None:
        self.ids = list(ids)
        self.order, self.ids_filter = order, ids_filter
        self.pages = 0
        self.checks = 0
        self.between: Callable[[int], None] = lambda n: None

    def get(self, path: str, action: str, **params: Any) -> Any:
        assert path == "api/projects/"
        rows = sorted(self.ids) if self.order and params.get("ordering") == "id" else self.ids
        if "ids" in params:
            self.checks += 1
            if self.ids_filter:
                wanted = {int(i) for i in params["ids"].split(",")}
                rows = [r for r in rows if r in wanted]
        else:
            self.pages += 1
            self.between(self.pages)
            rows = sorted(self.ids) if self.order and params.get("ordering") == "id" else self.ids
        size, page = int(params["page_size"]), int(params["page"])
        if page > 1 and (page - 1) * size >= len(rows):
            # DRF's PageNumberPagination: a page past the last is 404 "Invalid page."
            raise StudioNotFoundError(
                "Label Studio at http://s answered 404 Not Found while listing projects: "
                "Invalid page."
            )
        chunk = rows[(page - 1) * size : page * size]
        more = page * size < len(rows)
        return {
            "count": len(rows),
            "next": "x" if more else None,
            "results": [{"id": r} for r in chunk],
        }


@pytest.fixture(autouse=True)
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(project_pages, "PAGE_SIZE", 3)
    monkeypatch.setattr(project_pages, "IDS_PER_CHECK", 2)


def _read(server: Server) -> list[int]:
    return [int(p["id"]) for p in read_projects(server.get, "listing projects", "http://s")]


def test_one_page_is_one_request() -> None:
    server = Server([3, 1, 2])
    assert _read(server) == [1, 2, 3]
    assert (server.pages, server.checks) == (1, 0)


def test_a_project_created_between_pages_is_read_once_and_nothing_repeats() -> None:
    server = Server(list(range(1, 8)))

    def create(n: int) -> None:
        if n == 2:
            server.ids.append(8)  # the largest id: it comes last, no page shifts

    server.between = create
    assert _read(server) == list(range(1, 9))
    assert server.pages == 3  # one reading: no page read again


def test_a_read_project_deleted_between_pages_makes_it_read_again() -> None:
    """Deleting project 1 (read on page 1) shifts page 2 back by one, so 4 would go unread;
    creating 10 at once keeps every page's count at 9: only the check sees it."""
    server = Server(list(range(1, 10)))

    def churn(n: int) -> None:
        if n == 2:
            server.ids.remove(1)
            server.ids.append(10)

    server.between = churn
    assert _read(server) == list(range(2, 11))
    assert server.pages == 3 + 3  # the first reading missed 4: read again


def test_a_listing_changing_under_every_reading_is_an_error() -> None:
    server = Server(list(range(1, 40)))

    def churn(n: int) -> None:
        if n % 2 == 0:  # between the first two pages of every reading
            server.ids.remove(min(server.ids))

    server.between = churn
    with pytest.raises(StudioError, match="changed while they were read, 3 times") as err:
        _read(server)
    assert "run the command again" in (err.value.fix or "")


def test_a_server_ignoring_the_ordering_still_reads_each_once() -> None:
    server = Server([9, 2, 7, 4, 5, 1, 8, 3, 6], order=False)

    def create(n: int) -> None:
        if n == 2:
            server.ids.insert(0, 10)  # newest first, as Label Studio orders by default

    server.between = create
    read = _read(server)
    # every project listed throughout, once; 10 came in on a page already read (as one
    # made just after the read, it may be missing)
    assert read[:9] == list(range(1, 10)) and len(read) == len(set(read))


def test_a_server_ignoring_the_ids_filter_falls_back_to_the_counts() -> None:
    server = Server(list(range(1, 8)), ids_filter=False)
    assert _read(server) == list(range(1, 8))
    assert server.pages == 3  # counts unchanged: one reading

    server = Server(list(range(1, 8)), ids_filter=False)
    server.between = lambda n: server.ids.remove(1) if n == 2 else None
    assert _read(server) == list(range(2, 8))
    assert server.pages == 2 + 2  # the count fell (4 went unread): read again


def test_a_last_page_gone_under_the_read_makes_it_read_again() -> None:
    """4 projects make 2 pages of 3; deleting one read on page 1 leaves one page, so page 2
    no longer exists (the server answers 404 "Invalid page.", as DRF's page-number
    pagination does): the listing is read again, not a 404 error."""
    server = Server([1, 2, 3, 4])
    server.between = lambda n: server.ids.remove(1) if n == 2 else None
    assert _read(server) == [2, 3, 4]
    assert server.pages == 2 + 1  # the second reading is one page


def test_a_page_gone_under_every_reading_is_the_changing_listing_error() -> None:
    server = Server(list(range(1, 5)))

    def churn(n: int) -> None:
        if n % 2 == 0:  # before page 2 of every reading: 4 -> 3 projects, one page
            server.ids.remove(min(server.ids))
        elif n > 1:  # before page 1: 4 again, two pages
            server.ids.append(max(server.ids) + 1)

    server.between = churn
    with pytest.raises(StudioError, match="changed while they were read, 3 times"):
        _read(server)
