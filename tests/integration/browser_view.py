"""What a reviewer sees in Label Studio, driven in headless Chromium (Playwright).

Used by test_browser.py; kept apart so it can be run against any server while
developing. Screenshots go to ``shots``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotate.studio.connection import Connection
from annotate.taxonomy import load_taxonomy

GORE = "His jaw was hanging"
GORE_SPAN = "floor was slick"  # the fixture's evidence span inside the graphic passage
CHROMIUM = "/usr/bin/chromium"
# titles of Label Studio's built-in grid columns hidden by default (the Queue tab showed
# them, its own hidden columns replacing the defaults: annotate.review.view)
BUILTIN_HIDDEN_TITLES = ("Upload filename", "Storage filename", "Created at", "Lead Time")
# a passage the model cannot read (prelabel's model_language_warning): test_browser.py
# pushes it beside the fixture's rows; an Arabic threat ending with a full stop
UNREADABLE_ID = "doc-ar-p0"
ARABIC = "سأقتلك غدا. هذا تهديد حقيقي؟ أعرف أين تسكن وسأجدك قريبا جدا."
# where the first and the last character of ``text`` are drawn in the labeling view
# (the horizontal middle of each), None where it is not there
EDGES = """([text]) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const i = node.data.indexOf(text);
    if (i < 0 || !node.parentElement.closest('.lsf-main-view__annotation')) continue;
    const box = (from) => {
      const r = document.createRange();
      r.setStart(node, from);
      r.setEnd(node, from + 1);
      const b = r.getBoundingClientRect();
      return b.left + b.width / 2;
    };
    return {first: box(i), last: box(i + text.length - 1)};
  }
  return null;
}"""


# the grid's column headers, each as (title, left, right) in px: a data field's title is
# its key (its type badge on a line of its own), a count column's is "" (an icon)
HEADERS = """() => [...document.querySelectorAll('.lsf-table-head .lsf-table__cell')].map(e => {
  const b = e.getBoundingClientRect();
  return [e.innerText.trim().split('\\n')[0], Math.round(b.left), Math.round(b.right)];
})"""


def grid_columns(page: Any) -> list[tuple[str, int, int]]:
    """The Data Manager grid's column headers (:data:`HEADERS`), left to right."""
    return [(str(t), int(a), int(b)) for t, a, b in page.evaluate(HEADERS)]


def first_screen(page: Any) -> list[str]:
    """The titles of the grid's columns drawn whole within the window's width (what a
    reviewer or lead reads without scrolling right)."""
    width = int(page.viewport_size["width"])
    return [t for t, left, right in grid_columns(page) if t and left >= 0 and right <= width]


def login(page: Any, conn: Connection) -> None:
    page.goto(f"{conn.url}/user/login/")
    page.fill("input[name=email]", str(conn.username))
    page.fill("input[name=password]", str(conn.password))
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state("networkidle")


def open_task(page: Any, conn: Connection, project_id: int, task_id: int) -> None:
    page.goto(f"{conn.url}/projects/{project_id}/data?task={task_id}")
    page.get_by_text("What does this passage do?").wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # pre-annotations are applied after the first render


def visible_text(page: Any, text: str) -> bool:
    loc = page.get_by_text(text, exact=False)
    return any(loc.nth(i).is_visible() for i in range(loc.count()))


def checked(page: Any, label: str) -> bool:
    box = page.locator("label", has_text=label).locator("input[type=checkbox]").first
    return bool(box.is_checked())


def checked_severity(page: Any) -> list[str]:
    """The checked choices of the severity question (the config's only single-radio
    question; Label Studio's own settings have radio buttons too, e.g. 'comfortable')."""
    levels = set(load_taxonomy().severity_names)
    boxes = page.locator("input[type=radio]:checked")
    values = [str(boxes.nth(i).get_attribute("value")) for i in range(boxes.count())]
    return [v for v in values if v.lower() in levels]


def checked_categories(page: Any) -> list[str]:
    """The checked categories of the labeling view, by title (its other ticks, "Show
    the passage", left out)."""
    out = []
    for title in (c.title for c in load_taxonomy().categories):
        box = page.locator(".lsf-main-view__annotation label", has_text=title)
        if any(box.nth(i).locator("input").first.is_checked() for i in range(box.count())):
            out.append(title)
    return out


def check_reviewer_view(
    conn: Connection, project_id: int, tasks: dict[str, dict[str, Any]], shots: Path
) -> dict[str, Any]:
    """Open the gore task, a news task and a propaganda task, and the passage the model
    cannot read where ``tasks`` has it (:data:`UNREADABLE_ID`); return what was seen."""
    from playwright.sync_api import sync_playwright

    shots.mkdir(parents=True, exist_ok=True)
    seen: dict[str, Any] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            login(page, conn)
            page.goto(f"{conn.url}/projects/{project_id}/data")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(3000)
            page.screenshot(path=str(shots / "grid.png"))
            body = page.inner_text("body")
            seen["grid_gore"] = GORE in body
            seen["grid_hidden_note"] = "[hidden: graphic violence]" in body
            seen["grid_builtin"] = [t for t in BUILTIN_HIDDEN_TITLES if t in body]
            seen["grid_columns"] = [t for t, _, _ in grid_columns(page)]
            seen["grid_first_screen"] = first_screen(page)

            gore = tasks["doc-c-p1"]
            open_task(page, conn, project_id, int(gore["id"]))
            page.screenshot(path=str(shots / "graphic_before_reveal.png"))
            seen["gore_warning"] = visible_text(
                page, "Content warning (graphic violence: model label graphic_violence)"
            )
            seen["gore_visible_before"] = visible_text(page, GORE)
            seen["gore_span_before"] = visible_text(page, GORE_SPAN)
            page.locator("label", has_text="Show the passage").first.click()
            page.wait_for_timeout(1000)
            page.screenshot(path=str(shots / "graphic_after_reveal.png"))
            seen["gore_visible_after"] = visible_text(page, GORE)
            marks = page.locator(".htx-highlight")
            seen["gore_highlights_after"] = [
                marks.nth(i).inner_text() for i in range(marks.count())
            ]

            news = tasks["doc-a-p0"]
            open_task(page, conn, project_id, int(news["id"]))
            page.screenshot(path=str(shots / "news.png"))
            seen["news_text"] = visible_text(page, "Police said the suspect")
            seen["news_preselected"] = checked(page, "News reporting")
            seen["news_not_preselected"] = checked(page, "Violent threat")
            seen["news_categories"] = checked_categories(page)
            marks = page.locator(".htx-highlight")
            seen["news_highlights"] = [marks.nth(i).inner_text() for i in range(marks.count())]
            seen["news_next_hidden"] = visible_text(
                page, "hidden: content warning. To read it, open its own task if it is in your"
            )
            # severity is the only single-choice (radio) question of the config
            seen["news_severity_checked"] = checked_severity(page)

            prop = tasks["doc-b-p1"]
            open_task(page, conn, project_id, int(prop["id"]))
            page.screenshot(path=str(shots / "propaganda.png"))
            # extremist_propaganda 0.62: hidden as likely harmful (stop 48 F19)
            seen["prop_warning"] = visible_text(page, "Content warning (likely harmful")
            page.locator("label", has_text="Show the passage").first.click()
            page.wait_for_timeout(1000)
            seen["prop_previous"] = visible_text(page, "The museum's new wing")
            seen["prop_preselected"] = checked(page, "Violent-extremist propaganda")
            seen["prop_severity_checked"] = checked_severity(page)
            seen["title"] = visible_text(page, "Title of doc-b")
            seen["provenance"] = visible_text(page, "document doc-b")

            if UNREADABLE_ID in tasks:  # a passage the model cannot read
                open_task(page, conn, project_id, int(tasks[UNREADABLE_ID]["id"]))
                reveal = page.locator("label", has_text="Show the passage")
                seen["unreadable_hidden"] = reveal.first.is_visible() and not visible_text(
                    page, ARABIC
                )
                if seen["unreadable_hidden"]:
                    reveal.first.click()
                    page.wait_for_timeout(1000)
                page.screenshot(path=str(shots / "unreadable.png"))
                seen["unreadable_body"] = page.inner_text("body")
                seen["unreadable_text"] = visible_text(page, ARABIC)
                seen["unreadable_categories"] = checked_categories(page)
                seen["unreadable_severity"] = checked_severity(page)
                seen["unreadable_edges"] = page.evaluate(EDGES, [ARABIC])
        finally:
            browser.close()
    return seen
