"""A changed labels.yaml wellbeing rule reaches the tasks already queued at the next push
(passA50 P1): open tasks get the warning, ``graphic_hidden_by``, neighbour context and
"show" tick of the rule now; answered ones keep what their reviewer saw (no server; the
real-server check is tests/integration/test_wellbeing_repush.py)."""

from __future__ import annotations

from typing import Any

from annotate.cli.review.hiding_lines import hiding_lines
from annotate.review.rehide import refresh_hiding
from annotate.review.view import REVEAL, hidden_neighbour, link_neighbours
from annotate.studio.client import TaskListing
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import row_to_task
from tests.test_graphic_backstop import _row, _with_wellbeing

BURN = _with_wellbeing("wellbeing:\n  hide_terms: [burn]\n")
LIBRARY = _with_wellbeing("wellbeing:\n  hide_terms: [library]\n")
MOSQUE = "Someone wrote on the community board that they would burn the mosque down."
NOTICE = "Please remember that the library will be closed on Monday for repairs."


def _tasks(tax: Any) -> list[dict[str, Any]]:
    config = parse_label_config(tax.render_label_config())
    rows = [
        {**_row(MOSQUE, 0.02, ["news_reporting"]), "id": "mosque"},
        {**_row(NOTICE, 0.02, ["news_reporting"]), "id": "notice", "passage_index": 1},
        {**_row(MOSQUE, 0.02, ["news_reporting"]), "id": "seen", "doc_id": "d2"},
    ]
    tasks = [row_to_task(r, tax, config, where=r["id"]) for r in rows]
    link_neighbours(tasks, tax)
    return tasks


class Queue:
    """A queue's tasks and predictions, as the server would hold them; records updates."""

    def __init__(self, tasks: list[dict[str, Any]]) -> None:
        self.data = {i: t["data"] for i, t in enumerate(tasks, 1)}
        self.preds = [
            {"id": 100 + i, "task": i, "result": t["predictions"][0]["result"]}
            for i, t in enumerate(tasks, 1)
        ]
        self.sent: list[tuple[str, int]] = []
        self.drafts: set[int] = set()  # tasks holding a reviewer's draft

    def iter_tasks(self, project_id: int, *, include: str, query: str) -> list[dict[str, Any]]:
        assert "draft_exists" in query  # annotate.studio.drafts.tasks_with_drafts
        return [{"id": i} for i in sorted(self.drafts)]

    def list_predictions(self, project_id: int) -> list[dict[str, Any]]:
        return self.preds

    def update_task_data(self, task_id: int, data: dict[str, Any]) -> None:
        self.sent.append(("data", task_id))
        self.data[task_id] = data

    def update_prediction(self, prediction_id: int, result: list[Any]) -> None:
        self.sent.append(("prediction", prediction_id))
        next(p for p in self.preds if p["id"] == prediction_id)["result"] = result

    def listed(self, answered: set[int]) -> list[tuple[int, TaskListing]]:
        return [
            (7, TaskListing(i, d["passage_id"], frozenset(), {}, dict(d), i not in answered))
            for i, d in self.data.items()
        ]

    def reveals(self, task_id: int) -> bool:
        pred = next(p for p in self.preds if p["task"] == task_id)
        return any(r.get("from_name") == REVEAL for r in pred["result"])


def test_a_changed_term_list_hides_and_shows_open_tasks_and_keeps_answered_ones() -> None:
    queue = Queue(_tasks(BURN))
    assert queue.data[1]["graphic_hidden_by"] == "term \u201cburn\u201d" and not queue.reveals(1)
    assert queue.data[2]["context_before"] == hidden_neighbour(queue.data[1]["passage_id"])
    assert queue.reveals(2)

    got = refresh_hiding(queue, queue.listed(answered={3}), LIBRARY)

    mosque, notice, seen = queue.data[1], queue.data[2], queue.data[3]
    assert (mosque["warning"], mosque["graphic_hidden_by"]) == ("", "")
    assert mosque["preview"].startswith("Someone wrote") and queue.reveals(1)
    assert mosque["context_after"] == hidden_neighbour(notice["passage_id"])  # hidden now
    assert notice["graphic_hidden_by"] == "term \u201clibrary\u201d" and not queue.reveals(2)
    assert notice["warning"].startswith("Content warning (graphic violence: term \u201clibrary")
    assert notice["preview"] == "[hidden: graphic violence]"
    assert notice["context_before"] == MOSQUE  # the mosque passage is shown now
    # answered: what its reviewer saw stays, and is counted
    assert seen["graphic_hidden_by"] == "term \u201cburn\u201d" and not queue.reveals(3)
    assert (got.hidden, got.shown, got.reason, got.context, got.answered_kept) == (1, 1, 0, 0, 1)
    assert got.examples == {"hidden": ["notice"], "shown": ["mosque"]}
    assert got.now_hidden == [("notice", 2)]  # a push's carried neighbours: hidden now
    lines = hiding_lines(got)
    assert "applied to 2 open task(s) already queued: 1 now hidden behind a content " in lines[0]
    assert "(e.g. notice); 1 now shown at once (e.g. mosque)" in lines[0]
    assert lines[1].startswith("wellbeing: 1 answered or skipped task(s) would be hidden")

    queue.sent.clear()  # the same rule again: nothing to send, nothing to say
    again = refresh_hiding(queue, queue.listed(answered={3}), LIBRARY)
    assert queue.sent == [] and again.updated == 0


def test_an_unchanged_rule_sends_nothing_and_a_listing_without_counts_changes_nothing() -> None:
    queue = Queue(_tasks(BURN))
    got = refresh_hiding(queue, queue.listed(answered=set()), BURN)
    assert queue.sent == [] and not got and hiding_lines(got) == []
    unknown = [
        (p, TaskListing(t.id, t.passage, t.versions, t.meta, t.data))
        for p, t in queue.listed(set())
    ]
    assert not refresh_hiding(queue, unknown, LIBRARY).updated and queue.sent == []


def test_a_task_holding_a_draft_keeps_the_view_its_reviewer_opened() -> None:
    """break4 B4: a reviewer opened the mosque passage behind its warning and saved a
    draft; a looser rule at the next push leaves it hidden (its graphic_hidden_by is what
    the answer submitted from the draft is counted by) and says so."""
    queue = Queue(_tasks(BURN))
    queue.drafts = {1}
    got = refresh_hiding(queue, queue.listed(answered=set()), LIBRARY)

    mosque, notice = queue.data[1], queue.data[2]
    assert mosque["graphic_hidden_by"] == "term \u201cburn\u201d" and not queue.reveals(1)
    assert ("data", 1) not in queue.sent
    assert notice["graphic_hidden_by"] == "term \u201clibrary\u201d"  # no draft: updated
    assert (got.shown, got.drafted_kept, got.answered_kept) == (1, 1, 0)  # task 3 shown
    assert any("1 open task(s) holding a reviewer's draft" in x for x in hiding_lines(got))
