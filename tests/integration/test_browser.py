"""A reviewer's view in a real browser: headless Chromium logs into the local Label
Studio and checks what a reviewer sees. Screenshots: build/test-artifacts/browser/."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from annotate.review.view import GRID_OFF_FIELDS
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection
from annotate.studio.push import push

from .browser_view import (
    ARABIC,
    BUILTIN_HIDDEN_TITLES,
    CHROMIUM,
    GORE_SPAN,
    UNREADABLE_ID,
    check_reviewer_view,
    first_screen,
    grid_columns,
)
from .helpers import PRELABELS, tasks_by_passage
from .review_team import add_team, push_set

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


# what the provenance line of a passage the model cannot read tells its reviewer
UNREADABLE_NOTE = (
    "\u26a0 the model cannot read this passage: Arabic script (the model was trained on en "
    "text); its scores mean nothing here and no category or severity is pre-selected: read "
    "it and choose them yourself"
)


THREAD = "Neighbourhood watch"


def _with_unreadable(tmp_path: Path) -> Path:
    """The fixture's pre-labels and an Arabic threat the model scored `none` (0.52), as
    prelabel writes it: with its ``model_language_warning`` (passG52 G2)."""
    first = json.loads(PRELABELS.read_text(encoding="utf-8").splitlines()[0])
    scores = {c: 0.001 for c in first["scores"]}
    row = {
        **first,
        "id": UNREADABLE_ID,
        "text": ARABIC,
        "scores": {**scores, "violent_threat": 0.02, "none": 0.52},
        "labels": ["none"],
        "spans": [],
        "doc_id": "doc-ar",
        "passage_index": 0,
        "start": 0,
        "end": len(ARABIC),
        "title": "Title of doc-ar",
        "source": "https://example.org/doc-ar",
        # a forum export's thread and author, masked at ingest (--redact)
        "meta": json.dumps({"lang": "ar", "thread": THREAD, "author": "[HANDLE-1]"}),
        "model_language_warning": "Arabic script (the model was trained on en text)",
    }
    out = tmp_path / "prelabels.jsonl"
    rows = PRELABELS.read_text(encoding="utf-8").rstrip("\n") + "\n"
    out.write_text(rows + json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def test_reviewer_sees_context_warnings_and_preselected_answers(
    studio: Connection, client: StudioClient, name: str, tmp_path: Path
) -> None:
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    pushed = push(_with_unreadable(tmp_path), name, client=client)
    seen = check_reviewer_view(
        studio, pushed.project_id, tasks_by_passage(client, pushed.project_id), SHOTS
    )
    # the grid keeps graphic text out of sight and says why
    assert seen["grid_gore"] is False and seen["grid_hidden_note"] is True
    # ... and the columns Label Studio hides by default stay hidden (stop 53)
    assert seen["grid_builtin"] == [], seen["grid_builtin"]
    # the lead's first screen at 1400 px: what each passage is and what the model says of
    # it, not the provenance line, the warning and ids before them (break9 N10: title at x
    # 1420, preview 2100, model_labels 2610)
    first = seen["grid_first_screen"]
    assert {"title", "preview", "priority", "model_labels"} <= set(first), seen["grid_columns"]
    assert not set(GRID_OFF_FIELDS) & set(seen["grid_columns"]), seen["grid_columns"]
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
    assert seen["news_categories"] == ["News reporting"]  # as the unreadable one reads them
    assert seen["news_next_hidden"]
    # severity: `none` pre-selected where the model gives no harmful label (every harmful
    # score below 0.1: the news passage scores 0.02); a harmful
    # passage gets none pre-selected (the model scores categories, not severity: stop 48)
    assert len(seen["news_severity_checked"]) == 1
    # propaganda (the model is sure of it): behind a likely-harmful warning; once shown,
    # the previous passage of the document is shown, title and provenance too
    assert seen["prop_warning"]
    assert seen["prop_previous"] and seen["prop_preselected"]
    assert seen["prop_severity_checked"] == []
    assert seen["title"] and seen["provenance"]
    # a passage the model cannot read (an Arabic threat it scored `none`): its provenance
    # line says so, nothing is pre-selected (its `none` is no finding), and it reads right
    # to left: the closing full stop is drawn left of its first letter
    assert seen["unreadable_text"]
    shown = [line for line in seen["unreadable_body"].splitlines() if "document doc-ar" in line]
    assert UNREADABLE_NOTE in seen["unreadable_body"], shown  # the provenance line
    # ... which names the post's thread and author (as masked at ingest)
    assert f"thread: {THREAD} · author: [HANDLE-1]" in seen["unreadable_body"], shown
    ticked = (seen["unreadable_categories"], seen["unreadable_severity"])
    assert ticked == ([], []), ticked
    edges = seen["unreadable_edges"]
    assert edges is not None and edges["last"] < edges["first"], edges
    shots = ("grid", "graphic_before_reveal", "graphic_after_reveal", "news", "propaganda")
    for name in (*shots, "unreadable"):
        assert (SHOTS / f"{name}.png").stat().st_size > 10_000


def _panel_lines(page: Any) -> list[str]:
    """The lines of the labeling view (not the grid beside it) that give a reviewer's
    severity: the "Reviewers' answers" panel's."""
    view = page.locator(".lsf-main-view__annotation").first.inner_text()
    return [line.strip() for line in view.splitlines() if " · severity " in line]


def test_lead_sees_a_passage_reviewers_called_critical_behind_its_warning(
    studio: Connection, client: StudioClient, name: str
) -> None:
    """The adjudication view in a real browser: a passage the model did not flag but two
    reviewers called critical opens behind its content warning, the reviewers' answers
    (which quote it) hidden with it; "Show the passage" shows both. A reviewer's severity
    that contradicts their categories (low with News reporting alone) is shown as picked
    and marked, in the answers panel and the grid, and the lead's answer starts blank."""
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    from annotate.review.adjudication import (
        ADJUDICATION_COLUMN_WIDTHS,
        ADJUDICATION_HIDDEN_COLUMNS,
        CHANGED_FIELD,
        MOOT_FIELD,
        MOOT_MARK,
        REVIEWS_FIELD,
        adjudicate,
        adjudication_config,
    )
    from annotate.review.view import (
        SOURCE_FIELDS,
        hide_in_queue_tab,
        project_view_settings,
        set_up_views,
    )
    from tests.conftest import project_taxonomy
    from tests.corpus.test_severity_tie import AdjudicationStudio
    from tests.test_adjudication_hiding import GORY, tasks

    from .browser_view import checked_severity, login, open_task, visible_text

    tax = project_taxonomy()
    fake = AdjudicationStudio(tasks())  # adjudicate's tasks, as it builds them
    adjudicate(fake, "p", tax, salt="s")  # type: ignore[arg-type]
    config = adjudication_config(tax)
    # set up as adjudicate sets its project up: settings and the Queue tab without text,
    # listed by priority
    project = client.create_project(
        name, config, show_collab_predictions=True, **project_view_settings(tax)
    )
    set_up_views(client, int(project["id"]), tax, by_priority=True)
    hide_in_queue_tab(  # as adjudicate does: no quoted text, fewer built-in columns
        client,
        int(project["id"]),
        tax,
        [REVIEWS_FIELD, CHANGED_FIELD, *SOURCE_FIELDS],
        columns=ADJUDICATION_HIDDEN_COLUMNS,
        widths=ADJUDICATION_COLUMN_WIDTHS,
    )
    for t in fake.imported:  # fields the fake's tasks lack, which the config shows
        for field in re.findall(r'value="\$(\w+)"', config):
            t["data"].setdefault(field, "")
    # a passage a reviewer's changed answer settled: adjudicate marks it (its column, last)
    fake.imported[-1]["data"][MOOT_FIELD] = MOOT_MARK
    client.import_tasks(int(project["id"]), fake.imported)
    by_passage = tasks_by_passage(client, int(project["id"]))
    task_id, calm_id = (by_passage[p]["id"] for p in ("doc-e-p0", "doc-e-p1"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            login(page, studio)
            open_task(page, studio, int(project["id"]), int(task_id))
            page.screenshot(path=str(SHOTS / "lead_before_reveal.png"))
            warning = visible_text(page, "Content warning (graphic violence: chosen by a reviewer)")
            text_before = visible_text(page, GORY)
            panel_before = visible_text(page, "Reviewers' answers")
            page.locator("label", has_text="Show the passage").first.click()
            page.wait_for_timeout(1000)
            page.screenshot(path=str(SHOTS / "lead_after_reveal.png"))
            text_after = visible_text(page, GORY)
            panel_after = visible_text(page, "Reviewers' answers")
            # the calm passage: one reviewer chose News reporting with severity low, a
            # harmful severity with no harmful category (read as no severity given)
            open_task(page, studio, int(project["id"]), int(calm_id))
            page.screenshot(path=str(SHOTS / "lead_contradicted_severity.png"))
            calm_panel = _panel_lines(page)
            calm_ticked = checked_severity(page)  # the lead's own answer, started blank
            page.goto(f"{studio.url}/projects/{project['id']}/data")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(3000)
            page.screenshot(path=str(SHOTS / "lead_grid.png"))
            grid = page.inner_text("body")
            first = first_screen(page)
            columns = grid_columns(page)
        finally:
            browser.close()
    assert warning and not text_before and not panel_before
    assert text_after and panel_after
    # the lead reads what the reviewer picked, marked as contradicting, not "severity -"
    # (as if nothing was picked), in the answers panel and the grid's dispute column, on
    # the first screen at 1400 px with the title, preview and the model's labels (it was
    # the last column, some 1250 px right of the window: break9 N10)
    # ... and the mark of a passage no longer disputed (it ran off the screen: no width)
    wanted = {"title", "preview", "priority", "model_labels", "disputed", MOOT_FIELD}
    assert wanted <= set(first), columns
    assert any(
        line.endswith(": News reporting · severity low (contradicts: no harmful category)")
        for line in calm_panel
    ), calm_panel
    assert any(line.endswith(": None of these · severity none") for line in calm_panel)
    assert not any("severity -" in line for line in calm_panel), calm_panel
    assert "· severity none / low (contradicted)" in grid, grid
    assert not [t for t in BUILTIN_HIDDEN_TITLES if t in grid], grid
    # ... and decides it themselves: their answer starts with no severity ticked
    assert calm_ticked == []


# priorities set on a queue's tasks in id order: neither id order nor a text sort
# ("5e-05" > "1.0") is the riskiest-first order. (On the SQLite server this test starts
# the tab sorts them as numbers even without its "Number" column type, measured: the
# text sort the type guards against, annotate.review.view, is not reproduced here.)
SCRAMBLED = [0.5, 5e-05, 1.0, 0.1, 0.75, 0.25]


def test_a_reviewers_queue_tab_lists_and_serves_the_riskiest_first(
    studio: Connection, client: StudioClient, name: str
) -> None:
    """A reviewer opens their queue in a real browser: its Queue tab lists the tasks by
    ``data.priority``, highest first, as numbers, whatever their ids, and "Label Tasks As
    Displayed" opens the riskiest task first."""
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    from annotate.review.queue_tasks import reviewer_projects
    from annotate.studio.connection import Connection as Conn

    from .browser_view import login

    team = add_team(("ana", "ben"), "queue.test")
    ana = next(iter(team))
    push_set(name, team, "-q")
    queue = int(reviewer_projects(client, name)[ana]["id"])
    tasks = sorted(client.iter_tasks(queue, include="id,data"), key=lambda t: int(t["id"]))
    assert len(tasks) == len(SCRAMBLED)
    for task, value in zip(tasks, SCRAMBLED, strict=True):
        client.update_task_data(int(task["id"]), {**task["data"], "priority": value})
    pairs = list(zip(SCRAMBLED, [int(t["id"]) for t in tasks], strict=True))
    by_risk = [tid for _, tid in sorted(pairs, key=lambda p: -p[0])]
    as_text = [tid for _, tid in sorted(pairs, key=lambda p: str(p[0]), reverse=True)]
    assert by_risk != as_text and by_risk != sorted(by_risk)  # the test can fail
    SHOTS.mkdir(parents=True, exist_ok=True)
    reviewer = Conn(url=studio.url, api_key="", source="local", username=ana,
                    password=team[ana])  # fmt: skip
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            login(page, reviewer)
            page.goto(f"{studio.url}/projects/{queue}/data")
            page.wait_for_load_state("networkidle")
            tab = page.get_by_text("Queue", exact=True).first
            tab.click()
            rows = page.locator("[data-testid=table-row]")
            rows.nth(len(tasks) - 1).wait_for(timeout=60_000)
            page.screenshot(path=str(SHOTS / "queue_by_priority.png"))
            first, columns = first_screen(page), [t for t, _, _ in grid_columns(page)]
            shown = sorted(  # rows are placed by position: read them top to bottom
                (
                    rows.nth(i).bounding_box()["y"],  # type: ignore[index]
                    rows.nth(i).locator("input[type=checkbox]").get_attribute("aria-label"),
                )
                for i in range(rows.count())
            )
            listed = [int(str(label).removeprefix("Select Task ")) for _, label in shown]
            page.get_by_role("button", name="Toggle open").click()
            with page.expect_response(lambda r: "next_task" in r.url) as served:
                page.get_by_text("Label Tasks As Displayed").click()
            served_first = served.value.json()
        finally:
            browser.close()
    assert listed == by_risk, (listed, by_risk)
    assert int(served_first["id"]) == by_risk[0], served_first.get("id")
    assert float(served_first["data"]["priority"]) == max(SCRAMBLED)
    # the reviewer's first screen at 1400 px: title, preview and the model's labels, not
    # the provenance line, the warning and ids before them (break9 N10); the priority
    # (the model's confidence in other words) is not shown to a reviewer
    assert {"title", "preview", "model_labels"} <= set(first), columns
    assert "priority" not in columns and not set(GRID_OFF_FIELDS) & set(columns), columns


# a WebVTT cue with a voice tag, italics and a character reference (WebVTT writes "&" as
# "&amp;"), and the next cue of the file
CUE_VTT = (
    "WEBVTT\n\n"
    "00:00:01.000 --> 00:00:04.000\n<v Alice><i>I will</i> find you &amp; your sister</v>\n\n"
    "00:00:04.000 --> 00:00:06.000\nNobody heard it.\n"
)
CUE_SHOWN = "Alice: I will find you & your sister"


def test_reviewer_sees_a_subtitle_cue_without_markup_and_the_models_span_on_its_words(
    studio: Connection, client: StudioClient, name: str, tmp_path: Path
) -> None:
    """A subtitle cue opened in a real browser: the reviewer reads its words, without the
    ``<v>``/``<i>`` markup and with ``&amp;`` as ``&``, and the model's span (on the
    passage's characters, ``you &amp; your``) is highlighted on the words shown."""
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    from tests.studio.test_shown_text import FIXTURE
    from tests.test_cue_sentences import ingested_rows

    from .browser_view import login, open_task

    pred = json.loads(FIXTURE.read_text().splitlines()[1])  # a violent threat, sure of it
    rows = []
    for row in ingested_rows(tmp_path, "call.vtt", CUE_VTT):
        spans = []
        if "&amp;" in row["text"]:
            start = row["text"].index("you &amp; your")
            spans = [{"start": start, "end": start + 14, "label": "threat", "score": 0.9}]
        keep = ("scores", "labels", "model_version")
        rows.append({**row, **{k: pred[k] for k in keep}, "spans": spans})
    assert len(rows) == 2 and rows[0]["spans"], rows
    path = tmp_path / "prelabels.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    pushed = push(path, name, client=client)
    assert pushed.failed == 0 and pushed.created == 2
    task_id = int(tasks_by_passage(client, pushed.project_id)[rows[0]["id"]]["id"])
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            login(page, studio)
            open_task(page, studio, pushed.project_id, task_id)
            reveal = page.locator("label", has_text="Show the passage")
            if reveal.count() and reveal.first.is_visible():  # behind a likely-harmful warning
                reveal.first.click()
                page.wait_for_timeout(1000)
            page.screenshot(path=str(SHOTS / "subtitle_cue.png"))
            body = page.inner_text("body")
            marks = page.locator(".htx-highlight")
            highlights = [marks.nth(i).inner_text() for i in range(marks.count())]
        finally:
            browser.close()
    assert CUE_SHOWN in body, body
    for markup in ("<v", "<i>", "</i>", "</v>", "&amp;"):
        assert markup not in body, (markup, body)
    assert highlights == ["you & your"], highlights
