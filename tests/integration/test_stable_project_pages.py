"""Project listings stay whole while projects are created and deleted on the server: Label
Studio 1.23.2 pages its project listing by number only (no "past this id" filter), so
StudioClient reads it in id order (``ordering=id``) and checks it after the last page
(``ids=...``: as many of the projects read are listed still as the last page counted),
reading it again when a project read earlier was deleted under it.

Paged by number in the server's default order (newest first), as before, a project
created between two page reads repeated a project (two "projects titled ..." and an
error) and one deleted made the next page skip one: a numbered part or a review queue
went unseen, and a push could make a second project of a title it did not find. Small
pages make it cheap."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from annotate.errors import StudioError
from annotate.studio import project_pages
from annotate.studio.client import StudioClient
from annotate.studio.projects import project_set

pytestmark = pytest.mark.integration

CONFIG = '<View><Text name="text" value="$text"/></View>'


@pytest.fixture()
def name(client: StudioClient) -> Iterator[str]:
    name = f"pages-{uuid.uuid4().hex[:8]}"
    yield name
    for proj in client.list_projects(include="id,title"):
        if str(proj["title"]).startswith(name):
            client.sdk.projects.delete(int(proj["id"]))


@pytest.fixture(autouse=True)
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(project_pages, "PAGE_SIZE", 2)


def _make(client: StudioClient, title: str) -> int:
    return int(client.create_project(title, CONFIG)["id"])


def _between_pages(
    client: StudioClient, monkeypatch: pytest.MonkeyPatch, change: Any, after: Any
) -> list[int]:
    """Run ``change(n)`` in the n-th reading of a listing (n from 1) before the page request
    that follows the page holding project ``after(n)`` (an id; the server's other projects
    may come before it). Returns the page numbers requested, to count readings by."""
    pages: list[int] = []
    due = [False]
    original = client._get

    def get(path: str, action: str, **params: Any) -> Any:
        if path != "api/projects/" or "ids" in params:
            return original(path, action, **params)
        pages.append(int(params["page"]))
        reading = pages.count(1)
        if params["page"] == 1:
            due[0] = False
        elif due[0]:
            due[0] = False
            change(reading)
        data = original(path, action, **params)
        if any(int(p["id"]) == after(reading) for p in data.get("results", [])):
            due[0] = True
        return data

    monkeypatch.setattr(client, "_get", get)
    return pages


def test_numbered_parts_are_found_whole_while_projects_come_and_go(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A push reads the numbered parts of NAME while another push creates a part and a lead
    deletes a project the read has passed: every part is found once."""
    gone = _make(client, f"{name} scratch")  # read before the parts (ids ascending)
    parts = [_make(client, f"{name} #{k}") for k in range(1, 6)]
    made: list[int] = []

    def change(reading: int) -> None:
        if reading == 1:
            client.sdk.projects.delete(gone)
            made.append(_make(client, f"{name} #6"))  # the count stays as it was

    pages = _between_pages(client, monkeypatch, change, lambda n: gone)
    found = project_set(client, name)
    assert found.kind == "numbered"
    titles = [str(p["title"]) for p in found.projects]
    assert titles == [f"{name} #{k}" for k in range(1, 7)], titles
    assert [int(p["id"]) for p in found.projects] == parts + made
    assert pages.count(1) >= 2, pages  # the first reading missed a project: read again


def test_a_title_on_a_shifted_page_is_still_found(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """find_projects (push's "does this project exist?") with the server's title filter: a
    project deleted on the first page moved the title's project onto the page already
    read; not finding it, a push would have made a second project of that title."""
    first = _make(client, f"{name} #1")
    _make(client, f"{name} #2")
    wanted = _make(client, name)  # third by id: the first project of page 2
    _make(client, f"{name} #3")
    _make(client, f"{name} #4")

    pages = _between_pages(
        client,
        monkeypatch,
        lambda n: client.sdk.projects.delete(first) if n == 1 else None,
        lambda n: first,
    )
    assert [int(p["id"]) for p in client.find_projects(name)] == [wanted]
    assert pages.count(1) == 2, pages


def test_a_listing_that_keeps_changing_is_an_error(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Projects read on the first page deleted under every reading: after the last
    attempt a clear error, not a listing that may lack a project."""
    pool = [_make(client, f"{name} #{k}") for k in range(1, 9)]

    def change(reading: int) -> None:
        client.sdk.projects.delete(pool[reading - 1])  # read by this reading already
        _make(client, f"{name} new {reading}")

    _between_pages(client, monkeypatch, change, lambda n: pool[n - 1])
    with pytest.raises(StudioError) as err:
        client.find_projects(name)
    assert f"changed while they were read, {project_pages.ATTEMPTS} times" in str(err.value)
    assert "run the command again" in (err.value.fix or "")
    monkeypatch.undo()  # the fixture's clean-up lists the projects unchanged


def test_a_last_page_gone_under_the_read_is_read_again(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three projects of a title make two pages of 2; one read on the first page deleted
    before the second is read leaves one page, and Label Studio answers the second with 404
    "Invalid page." (DRF's page-number pagination): the listing is read again, not a 404
    error that tells the user to check the server's URL."""
    first, *rest = [_make(client, name) for _ in range(3)]

    pages = _between_pages(
        client,
        monkeypatch,
        lambda n: client.sdk.projects.delete(first) if n == 1 else None,
        lambda n: first,
    )
    assert [int(p["id"]) for p in client.find_projects(name)] == rest
    assert pages == [1, 2, 1], pages


def test_a_listing_of_some_fields_without_id_still_reads_every_project(
    client: StudioClient, name: str
) -> None:
    """``include="title"`` (no ``id``): the server then returns no id, and the page
    reader, which orders and checks projects by id, raised KeyError('id') as soon as a
    project existed (a test asked for titles only)."""
    made = {_make(client, f"{name} a"), _make(client, f"{name} b")}
    listed = client.list_projects(include="title")
    assert made <= {int(p["id"]) for p in listed}
    assert {p["title"] for p in listed if int(p["id"]) in made} == {f"{name} a", f"{name} b"}
