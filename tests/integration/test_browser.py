"""A reviewer's view in a real browser: headless Chromium logs into the local Label
Studio and checks what a reviewer sees. Screenshots: build/test-artifacts/browser/."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection
from annotate.studio.push import push

from .browser_view import CHROMIUM, GORE_SPAN, check_reviewer_view
from .helpers import PRELABELS, tasks_by_passage

pytestmark = pytest.mark.integration
SHOTS = Path(__file__).resolve().parents[2] / "build" / "test-artifacts" / "browser"


def _browser_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright; `make test` does)"
    if not Path(CHROMIUM).is_file() and not shutil.which("chromium"):
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium; `make test` tries)"
    return None


@pytest.fixture()
def short_project(client: StudioClient) -> Iterator[str]:
    name = f"browser-{uuid.uuid4().hex[:8]}"
    yield name
    project = client.find_project(name)
    if project is not None:
        client.sdk.projects.delete(int(project["id"]))


def test_reviewer_sees_context_warnings_and_preselected_answers(
    studio: Connection, client: StudioClient, short_project: str
) -> None:
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    pushed = push(PRELABELS, short_project, client=client)
    seen = check_reviewer_view(
        studio, pushed.project_id, tasks_by_passage(client, pushed.project_id), SHOTS
    )
    # the grid keeps graphic text out of sight and says why
    assert seen["grid_gore"] is False and seen["grid_hidden_note"] is True
    # a graphic passage opens behind a content warning, readable after "Show the passage"
    assert seen["gore_warning"] and not seen["gore_visible_before"]
    assert seen["gore_visible_after"]
    # ... and so do its evidence spans: no region text in the Regions panel before the
    # reveal, the highlight in the passage after it
    assert not seen["gore_span_before"]
    assert any(GORE_SPAN in mark for mark in seen["gore_highlights_after"])
    # news: pre-selected category (display name), highlighted evidence, hidden neighbour noted
    assert seen["news_text"] and seen["news_preselected"] and not seen["news_not_preselected"]
    assert seen["news_highlights"] == ["burn their cities"]
    assert seen["news_next_hidden"]
    # propaganda: the previous passage of the document is shown, title and provenance too
    assert seen["prop_previous"] and seen["prop_preselected"]
    assert seen["title"] and seen["provenance"]
    for name in ("grid", "graphic_before_reveal", "graphic_after_reveal", "news", "propaganda"):
        assert (SHOTS / f"{name}.png").stat().st_size > 10_000
