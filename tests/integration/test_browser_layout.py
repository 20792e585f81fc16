"""What the labeling page shows of a passage's parts, in a real browser (headless
Chromium logs into the local Label Studio): the neighbours are named as context and the
passage as the one to label, each above its text; a right-to-left passage reads right to
left (its closing full stop left of its first word). Screenshot:
build/test-artifacts/browser/layout_rtl.png. Skipped where playwright or Chromium is
missing."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection
from annotate.studio.label_config import (
    CONTEXT_AFTER_HEADER,
    CONTEXT_BEFORE_HEADER,
    PASSAGE_HEADER,
)
from annotate.studio.push import push

from .browser_view import EDGES  # where the first and last character of a text are drawn
from .helpers import PRELABELS, tasks_by_passage

pytestmark = pytest.mark.integration
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(__file__).resolve().parents[2] / "build" / "test-artifacts" / "browser"

BEFORE = "The neighbourhood meeting moved to the library hall on Friday."
HEBREW = "שלום לכולם, מחר בבוקר ננקה את הגן ביחד."  # ends with a full stop
AFTER = "Bring gloves; the council lends rakes and bags."


def _rows() -> list[dict[str, Any]]:
    """Three passages of one document, pre-labelled as the fixture's shown news row."""
    shown = json.loads(PRELABELS.read_text(encoding="utf-8").splitlines()[0])
    out = []
    for n, text in enumerate((BEFORE, HEBREW, AFTER)):
        out.append(
            {
                **shown,
                "id": f"layout-p{n}",
                "text": text,
                "spans": [],
                "doc_id": "layout-doc",
                "passage_index": n,
                "start": None,
                "end": None,
                "title": "Neighbourhood notes",
            }
        )
    return out


def _top(page: Any, text: str) -> float:
    """The top of ``text`` in the labeling view (not the grid's preview column)."""
    loc = page.locator(".lsf-main-view__annotation").get_by_text(text, exact=False)
    for i in range(loc.count()):
        if loc.nth(i).is_visible():
            return float(loc.nth(i).bounding_box()["y"])
    raise AssertionError(f"{text!r} is not visible")


@contextmanager
def task_page(studio: Connection, project_id: int, task_id: int) -> Iterator[Any]:
    """A headless Chromium page (1400 x 1000 px) logged into ``studio`` as its admin and
    opened on task ``task_id`` of project ``project_id``; the browser is closed after.
    SHOTS, where the tests put their screenshots, is made first."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{studio.url}/user/login/")
            page.fill("input[name=email]", studio.username or "")
            page.fill("input[name=password]", studio.password or "")
            page.click("button[type=submit], input[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(f"{studio.url}/projects/{project_id}/data?task={task_id}")
            yield page
        finally:
            browser.close()


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")
def test_context_is_named_and_right_to_left_text_reads_right_to_left(
    studio: Connection, client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    prelabels = tmp_path / "layout.jsonl"
    prelabels.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _rows()), encoding="utf-8"
    )
    pushed = push(prelabels, project_name, client=client)
    task_id = int(tasks_by_passage(client, pushed.project_id)["layout-p1"]["id"])
    with task_page(studio, pushed.project_id, task_id) as page:
        page.get_by_text(HEBREW).first.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(SHOTS / "layout_rtl.png"))
        parts = [CONTEXT_BEFORE_HEADER, BEFORE, PASSAGE_HEADER, HEBREW]
        tops = [_top(page, text) for text in (*parts, CONTEXT_AFTER_HEADER, AFTER)]
        edges = page.evaluate(EDGES, [HEBREW])
    # each name right above what it names, in reading order
    assert tops == sorted(tops), tops
    # right to left: the closing full stop is drawn left of the first letter
    assert edges is not None
    assert edges["last"] < edges["first"], edges


# the fixture's graphic passage (the model labels it graphic_violence): hidden on opening
GRAPHIC_ID = "doc-c-p1"


def _answers(client: StudioClient, task_id: int) -> list[dict[str, Any]]:
    return [a for a in client.sdk.tasks.get(str(task_id)).annotations or []]


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")
def test_a_hidden_passage_cannot_be_submitted_unread(
    studio: Connection, client: StudioClient, project_name: str
) -> None:
    """Submit on a passage still behind its content warning stores nothing and says to
    reveal it or skip; once revealed, the same Submit stores the answer. Before, the
    model's pre-selected labels went in as the reviewer's answer, the text never shown."""
    from annotate.studio.label_config import REVEAL_REQUIRED

    pushed = push(PRELABELS, project_name, client=client)
    task_id = int(tasks_by_passage(client, pushed.project_id)[GRAPHIC_ID]["id"])
    with task_page(studio, pushed.project_id, task_id) as page:
        page.get_by_text("What does this passage do?").wait_for(timeout=60_000)
        page.wait_for_timeout(1500)  # pre-annotations are applied after the first render
        page.get_by_role("button", name="Submit").click()
        page.wait_for_timeout(2500)
        page.screenshot(path=str(SHOTS / "hidden_submit_refused.png"))
        told = page.get_by_text(REVEAL_REQUIRED[:40]).count() > 0
        unread = _answers(client, task_id)
        if told:
            page.get_by_role("button", name="OK").click()  # Label Studio's warning dialog
        page.locator("label", has_text="Show the passage").first.click()
        page.wait_for_timeout(1000)
        page.get_by_role("button", name="Submit").click()
        page.wait_for_timeout(2500)
        read = _answers(client, task_id)
    assert unread == [] and told
    assert len(read) == 1
    chosen = {r["from_name"]: r["value"].get("choices") for r in read[0]["result"]}
    assert chosen.get("reveal") == ["shown"]


def _login(page: Any, studio: Connection) -> None:
    page.goto(f"{studio.url}/user/login/")
    page.fill("input[name=email]", studio.username or "")
    page.fill("input[name=password]", studio.password or "")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state("networkidle")


def _open(page: Any, studio: Connection, project_id: int, task_id: int) -> str:
    """Open a task in the Data Manager's labeling view; the text the page shows."""
    page.goto(f"{studio.url}/projects/{project_id}/data?task={task_id}")
    page.get_by_text("What does this passage do?").first.wait_for(timeout=60_000)
    page.wait_for_timeout(2000)  # pre-annotations are applied after the first render
    return str(page.inner_text("body"))


def _ticked(page: Any, label: str) -> bool:
    """Whether the labeling view's choice ``label`` is ticked."""
    box = page.locator(".lsf-main-view__annotation label", has_text=label)
    return any(box.nth(i).locator("input").first.is_checked() for i in range(box.count()))


def _grid_headers(page: Any, studio: Connection, project_id: int) -> str:
    page.goto(f"{studio.url}/projects/{project_id}/data")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(2500)
    return str(page.inner_text("body"))


# where each list item of the instructions is drawn: display and bullet of each <li>
# holding ``text``, and those of a bare <li> put beside the instructions (Label Studio's
# reset, which the instructions' own style must override)
BULLETS = """([text]) => {
  const items = [...document.querySelectorAll('li')].filter(li => li.textContent.includes(text));
  const style = (el) => {
    const s = getComputedStyle(el);
    return {display: s.display, bullet: s.listStyleType};
  };
  const found = items.map(style);
  let bare = null;
  if (items.length) {
    const ul = document.createElement('ul');
    const li = document.createElement('li');
    li.textContent = 'x';
    ul.appendChild(li);
    items[0].closest('.annotate-instructions').parentElement.appendChild(ul);
    bare = style(li);
    ul.remove();
  }
  return {found, bare};
}"""


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")
def test_reviewers_see_no_model_score_and_the_lead_starts_blank(
    studio: Connection, client: StudioClient, name: str
) -> None:
    """What a reviewer's queue and the lead's adjudication project show, in a browser.

    A reviewer's queue: no model score anywhere (the prediction's score, shown on its tab,
    "93.00%", and in the grid's "Prediction score" column; a span's score, shown in the
    Regions panel: 0.81 for the news passage's quoted words), while a plain project, the
    lead's, shows them. The instructions' lists are bulleted (Label Studio's CSS resets
    lists). The adjudication project: the lead's answer starts blank (it was one
    reviewer's, the newest prediction: the pseudonym last in order), the passage shown;
    the answers panel names categories as the labeling view does ("News reporting", not
    news_reporting)."""
    from annotate.review.adjudication import REVIEWS_FIELD, adjudicate
    from annotate.review.fanout import push_review

    from .helpers import SALT, TAX, dispute, new_reviewer, tasks_by_passage

    reviewer, other = new_reviewer(client), new_reviewer(client)
    email = next(str(u["email"]) for u in client.users() if int(u["id"]) == reviewer)
    (share,) = push_review(PRELABELS, name, 1, reviewers=[email], client=client).reviewers
    queue = tasks_by_passage(client, share.project_id)
    lead = push(PRELABELS, f"{name}-lead", client=client, new_name=True)  # beside the set
    plain = tasks_by_passage(client, lead.project_id)
    queued = [p for p in client.list_predictions(share.project_id)]
    assert queued and all(p.get("score") is None for p in queued)
    assert not any("score" in r for p in queued for r in p["result"])
    dispute(client, int(queue["doc-b-p0"]["id"]), reviewer, other)  # none vs news_reporting
    adj = adjudicate(client, name, TAX, salt=SALT, mid_round=True)
    assert adj.project_id is not None and adj.passages == ["doc-b-p0"]
    (adj_task,) = tasks_by_passage(client, adj.project_id).values()
    panel = str(adj_task["data"][REVIEWS_FIELD])
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            _login(page, studio)
            lead_view = _open(page, studio, lead.project_id, int(plain["doc-a-p0"]["id"]))
            page.screenshot(path=str(SHOTS / "scores_lead.png"))
            queue_view = _open(page, studio, share.project_id, int(queue["doc-a-p0"]["id"]))
            page.screenshot(path=str(SHOTS / "scores_queue.png"))
            lead_grid = _grid_headers(page, studio, lead.project_id)
            queue_grid = _grid_headers(page, studio, share.project_id)
            page.screenshot(path=str(SHOTS / "scores_queue_grid.png"))
            shown = _open(page, studio, adj.project_id, int(adj_task["id"]))
            page.screenshot(path=str(SHOTS / "adjudication_blank.png"))
            blank = {c.title: _ticked(page, c.title) for c in TAX.categories}
            # the label stream opens on the instructions (shown before labeling)
            page.goto(f"{studio.url}/projects/{share.project_id}/data?labeling=1")
            item = TAX.categories[0].includes[0]
            page.get_by_text(item[:30]).first.wait_for(timeout=60_000)
            page.wait_for_timeout(1000)
            page.screenshot(path=str(SHOTS / "instructions.png"))
            bullets = page.evaluate(BULLETS, [item])
        finally:
            browser.close()
    # the lead's project shows the model's scores: what the queue must not
    # (the prediction's tab: "seconds ago · 93.00%"; the span in Regions: 0.81)
    assert "93.00%" in lead_view and "0.81" in lead_view, "scores not drawn where expected"
    assert "93.00%" not in queue_view and "0.81" not in queue_view
    assert "Prediction score" in lead_grid
    assert "Prediction score" not in queue_grid
    assert "Police said the suspect" in queue_view  # the pre-annotated passage itself shows
    # the lead's answer starts blank, the passage shown
    assert not any(blank.values()), blank
    assert "The museum's new wing" in shown
    assert "News reporting" in panel and "None of these" in panel
    assert "news_reporting" not in panel
    # each item of the instructions' lists is drawn with a bullet, over the reset
    assert bullets["bare"]["bullet"] == "none" or bullets["bare"]["display"] != "list-item"
    assert bullets["found"] and all(
        b == {"display": "list-item", "bullet": "disc"} for b in bullets["found"]
    ), bullets
