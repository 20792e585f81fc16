"""A long neighbour is cut on its far side: the passage after a long one shows that
one's *end* as its context_before (the words right before the passage), the passage
before it shows its *start* as context_after. Before, both showed the first
CONTEXT_CHARS characters, so a reviewer read the opening of the previous passage and
never the sentence leading into the one to label (seen in a browser, stop 46). Through
push's staging (what `annotate push` sends), link_neighbours and a carried neighbour."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.review.view import (
    CONTEXT_CHARS,
    HIDDEN_NEIGHBOUR,
    carried_context,
    context_text,
    link_neighbours,
    neighbour_context,
)
from annotate.studio.label_config import parse_label_config
from annotate.studio.staging import staging
from tests.conftest import FIXTURES

OPENING = "The committee opened the session at nine. "
LEADING_IN = "Then a visitor stood up and shouted at the chair."
LONG = OPENING + "Routine items were read out one by one. " * 30 + LEADING_IN
assert len(LONG) > 2 * CONTEXT_CHARS


def _rows() -> list[dict]:
    """Three passages of one document, the middle one long, as the fixture's shown row."""
    shown = json.loads((FIXTURES / "prelabels.jsonl").read_text().splitlines()[0])
    texts = ["A short first passage.", LONG, "He left before the vote."]
    return [
        {**shown, "id": f"cut-p{n}", "text": t, "spans": [], "doc_id": "cut", "passage_index": n}
        for n, t in enumerate(texts)
    ]


def test_context_text_keeps_the_side_next_to_the_passage() -> None:
    before = context_text(LONG, sensitive=False, side="before")
    after = context_text(LONG, sensitive=False, side="after")
    assert before == "\u2026" + LONG[-CONTEXT_CHARS:] and before.endswith(LEADING_IN)
    assert after == LONG[:CONTEXT_CHARS] + "\u2026" and after.startswith(OPENING)
    assert context_text("short", sensitive=False, side="before") == "short"
    assert context_text(LONG, sensitive=True, side="before") == HIDDEN_NEIGHBOUR
    assert carried_context(LONG, False, side="before") == before
    assert neighbour_context({"text": LONG, "warning": ""}, "text", side="before") == before
    with pytest.raises(ValueError):
        context_text(LONG, sensitive=False, side="middle")


def test_a_pushed_task_shows_the_end_of_the_long_passage_before_it(
    taxonomy, tmp_path: Path
) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _rows()))
    config = parse_label_config(taxonomy.render_label_config())
    with staging() as stage:
        stage.stage_file(path, taxonomy, config)
        stage.load_present(1, [])
        n = stage.plan()
        tasks = {
            t["data"]["passage_id"]: t["data"] for t in (json.loads(x) for _, x in stage.todo(0, n))
        }
    after_long = tasks["cut-p2"]["context_before"]
    assert after_long.endswith(LEADING_IN) and OPENING not in after_long
    assert after_long == "\u2026" + LONG[-CONTEXT_CHARS:]
    before_long = tasks["cut-p0"]["context_after"]
    assert before_long.startswith(OPENING) and LEADING_IN not in before_long
    # the long passage's own neighbours, short, whole
    assert tasks["cut-p1"]["context_before"] == "A short first passage."
    assert tasks["cut-p1"]["context_after"] == "He left before the vote."


def test_link_neighbours_cuts_the_same_way(taxonomy) -> None:
    tasks = [{"data": {**r, "warning": ""}} for r in _rows()]
    link_neighbours(tasks, taxonomy)
    assert tasks[2]["data"]["context_before"].endswith(LEADING_IN)
    assert tasks[0]["data"]["context_after"].startswith(OPENING)


def test_a_hidden_neighbours_note_says_how_to_read_it() -> None:
    """passC50 R6: a reply ("I understand. I won't say anything.") cannot be judged without
    the threat before it, hidden behind its warning, and the note gave no way to it. The
    neighbour's text never travels in this task (its own task counts the reveal toward
    the reviewer's graphic limit): the note says where to read it."""
    note = context_text(LONG, sensitive=True, side="before")
    assert note == HIDDEN_NEIGHBOUR and LONG not in note
    assert "open its own task" in note and "Show the passage" in note
