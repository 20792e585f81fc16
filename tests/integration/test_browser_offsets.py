"""Span offsets in Label Studio's real labeling front end (issue 12, item 1): in a
browser (Debian's chromium driven by playwright), a pushed pre-annotation is highlighted
on exactly its characters, and a span a reviewer selects is stored in code points and
exported back exactly, after emoji, a ZWJ sequence, combining marks and CRLF.

Skipped, with the reason, where playwright or chromium is not installed."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from annotate.corpus.export import export
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection
from annotate.studio.push import push
from tests.studio.test_offsets import CASES, prelabel_row

from .helpers import tasks_by_passage

pytestmark = pytest.mark.integration


def _reveal_highlights(page, timeout_s: float = 90.0) -> None:
    """Wait until the pre-annotated span is visible, clicking "Show the passage" whenever
    the content warning shows. The warning hides the passage once the view's script has
    run, so a highlight seen visible while the page loads can be hidden a moment later (a
    single look, then a wait for the highlight, timed out under load)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if page.locator(".htx-highlight").first.is_visible():
            page.wait_for_timeout(300)  # still visible once the script has run?
            if page.locator(".htx-highlight").first.is_visible():
                return
        reveal = page.locator("label", has_text="Show the passage")
        if reveal.count() and reveal.first.is_visible():
            reveal.first.click()
        page.wait_for_timeout(250)
    raise AssertionError(f"no visible pre-annotated span after {timeout_s:.0f} s")


sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# what the reviewer selects in each case of CASES (not the pre-annotated part)
REVIEWER_PARTS = ["Tom", "warning", "now", "owner", "then", "I will", "ascii"]

SELECT = """([target]) => {
  const hl = document.querySelector('.htx-highlight');
  let root = hl;
  while (root && !root.textContent.includes(target)) root = root.parentElement;
  if (!root) return false;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const i = node.data.indexOf(target);
    if (i < 0) continue;
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + target.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    node.parentElement.dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));
    node.parentElement.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    return true;
  }
  return false;
}"""


@pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on this machine (apt-get install chromium)"
)
def test_the_front_end_counts_code_points(
    studio: Connection, client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    prelabels = tmp_path / "p.jsonl"
    with prelabels.open("w", encoding="utf-8") as fh:
        for n, (text, part) in enumerate(CASES):
            fh.write(json.dumps({**prelabel_row(text, part), "id": f"b-{n}"}, ensure_ascii=False))
            fh.write("\n")
    pushed = push(prelabels, project_name, client=client)
    tasks = tasks_by_passage(client, pushed.project_id)

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(f"{studio.url}/user/login/")
            page.fill("input[name=email]", studio.username or "")
            page.fill("input[name=password]", studio.password or "")
            page.click("button[type=submit], input[type=submit]")
            page.wait_for_load_state("networkidle")
            for n, ((_text, part), mine) in enumerate(zip(CASES, REVIEWER_PARTS, strict=True)):
                task_id = tasks[f"b-{n}"]["id"]
                page.goto(f"{studio.url}/projects/{pushed.project_id}/data?task={task_id}")
                # a threat opens behind the content warning: reveal it as a reviewer does
                _reveal_highlights(page)
                shown = page.evaluate(
                    "() => Array.from(document.querySelectorAll('.htx-highlight'))"
                    ".map(e => e.textContent)"
                )
                assert shown == [part], f"case {n}: pre-annotation highlighted {shown}"
                # span labels show their display names (labels.yaml `title`)
                page.locator(
                    ".lsf-label__text", has_text=re.compile(r"^threat$", re.I)
                ).first.click()
                assert page.evaluate(SELECT, [mine]), f"case {n}: {mine!r} not found"
                page.wait_for_function(
                    "n => document.querySelectorAll('.htx-highlight').length === n", arg=2
                )
                page.click('button:has-text("Submit")')
                deadline = time.monotonic() + 30
                while (
                    time.monotonic() < deadline
                    and not client.sdk.tasks.get(str(task_id)).annotations
                ):
                    time.sleep(0.3)
        finally:
            browser.close()

    for n, ((text, _), mine) in enumerate(zip(CASES, REVIEWER_PARTS, strict=True)):
        stored = client.sdk.tasks.get(str(tasks[f"b-{n}"]["id"])).annotations
        assert stored, f"case {n}: the annotation was not submitted"
        regions = [r["value"] for r in stored[0]["result"] if r["from_name"] == "evidence"]
        # a hidden passage's pre-annotated regions carry offsets, no text
        theirs = next(v for v in regions if v.get("text") == mine)
        start = text.index(mine)
        assert (theirs["start"], theirs["end"]) == (start, start + len(mine)), f"case {n}"

    export(project_name, tmp_path / "out", client=client, salt="s")
    rows = {
        r["id"]: r
        for split in ("train", "validation", "test")
        for line in (tmp_path / "out" / "jsonl" / f"{split}.jsonl").read_text().splitlines()
        for r in [json.loads(line)]
    }
    for n, ((text, part), mine) in enumerate(zip(CASES, REVIEWER_PARTS, strict=True)):
        spans = {(s["start"], s["end"], s["text"]) for s in rows[f"b-{n}"]["spans"]}
        for piece in (part, mine):
            start = text.index(piece)
            assert (start, start + len(piece), piece) in spans, f"case {n}: {piece!r}"
