"""A changed wellbeing rule reaches a reply's thread context too (passL54 finding 5): an
open reply whose parent comment the rule now hides gets the hidden-parent note instead of
the parent's text, and one whose parent the rule now shows gets the text back, as a
neighbour's context does (annotate.review.rehide.plan; no server)."""

from __future__ import annotations

import json
from typing import Any

from annotate.review.parents import hidden_parent, id_prefix, link_parents
from annotate.review.rehide import plan
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import row_to_task
from tests.conftest import project_taxonomy
from tests.test_graphic_backstop import _row, _with_wellbeing

BURN = _with_wellbeing("wellbeing:\n  hide_terms: [burn]\n")
MOSQUE = "Someone wrote on the community board that they would burn the mosque down."
REPLY = "Reported it to the moderators, that kind of talk has no place here."


def _tasks(tax: Any) -> list[dict[str, Any]]:
    config = parse_label_config(tax.render_label_config())
    rows = [
        {**_row(MOSQUE, 0.02, ["news_reporting"]), "id": "mosque", "doc_id": "c1"},
        {
            **_row(REPLY, 0.02, ["news_reporting"]),
            "id": "reply",
            "doc_id": "c2",
            "meta": json.dumps({"parent_id": "c1"}),
        },
    ]
    tasks = [row_to_task(r, tax, config, where=r["id"]) for r in rows]
    link_parents(tasks, tax)
    return [{"id": i, "data": t["data"], "open": True} for i, t in enumerate(tasks, 1)]


def test_a_parent_the_rule_now_hides_becomes_a_note() -> None:
    tasks = _tasks(project_taxonomy())
    assert tasks[1]["data"]["context_parent"] == MOSQUE  # shown under the old rule
    out, _ = plan(tasks, BURN)
    new = {task["data"]["passage_id"]: data for task, data, _ in out}
    assert new["mosque"]["warning"]
    assert new["reply"]["context_parent"] == hidden_parent("c1", ["mosque"])


def test_a_parent_the_rule_now_shows_gets_its_text_back() -> None:
    tasks = _tasks(BURN)
    assert tasks[1]["data"]["context_parent"] == hidden_parent("c1", ["mosque"])
    out, _ = plan(tasks, project_taxonomy())
    new = {task["data"]["passage_id"]: data for task, data, _ in out}
    assert new["reply"]["context_parent"] == MOSQUE


def test_a_comment_above_the_parent_the_rule_now_hides_becomes_a_note() -> None:
    """Up the thread (stop 56): a reply shows its parent and the comment above it; the
    rule now hides the one above, and the reply's thread shows a note in its place, the
    parent's text kept."""
    tax = project_taxonomy()
    config = parse_label_config(tax.render_label_config())
    calm = "The council says the board will be cleaned on Monday morning."
    rows = [
        {**_row(MOSQUE, 0.02, ["news_reporting"]), "id": "mosque", "doc_id": "c1"},
        {**_row(calm, 0.02, ["news_reporting"]), "id": "calm", "doc_id": "c2"},
        {**_row(REPLY, 0.02, ["news_reporting"]), "id": "reply", "doc_id": "c3"},
    ]
    rows[1]["meta"] = json.dumps({"parent_id": "c1"})
    rows[2]["meta"] = json.dumps({"parent_id": "c2"})
    built = [row_to_task(r, tax, config, where=r["id"]) for r in rows]
    link_parents(built, tax)
    tasks = [{"id": i, "data": t["data"], "open": True} for i, t in enumerate(built, 1)]
    thread = f"{id_prefix('c1')}{MOSQUE}\n{id_prefix('c2')}{calm}"
    assert tasks[2]["data"]["context_parent"] == thread
    out, _ = plan(tasks, BURN)
    new = {task["data"]["passage_id"]: data for task, data, _ in out}
    note = hidden_parent("c1", ["mosque"], "comment")
    assert new["reply"]["context_parent"] == f"{id_prefix('c1')}{note}\n{id_prefix('c2')}{calm}"
