"""Thread context across batches and up the thread (stop 56): a reply whose parent an
earlier batch pushed shows the parent's text, read by id from its task (gap 1: it showed
"not in this batch"); a reply shows up to THREAD_DEPTH comments of its thread, oldest
first (gap 2: one level only); a comment replying to none draws no thread view (gap 3:
an empty grey bar). No server: a fake client answers the reads by id."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from annotate.review.parents import (
    ANCESTOR_CHARS,
    PARENT_FIELD,
    PARENT_HEADER_FIELD,
    THREAD_DEPTH,
    hidden_parent,
    id_prefix,
    missing_parent,
    parent_header,
    thread_chain,
    thread_header,
    thread_text,
)
from annotate.studio.client import task_hidden
from annotate.studio.label_config import THREAD_CLASS, THREAD_STYLE, parse_label_config
from annotate.studio.prior_parents import read_prior_parents
from annotate.studio.staging import staging
from tests.studio.test_parent_context import PLAIN, REPLY, THREAT, _row, _write

PROJECT = 7


class FakeClient:
    """The tasks of one project, answered by id as Label Studio's selected items are;
    each request's ids recorded."""

    def __init__(self, tasks: dict[int, dict[str, Any]]) -> None:
        self.tasks = tasks
        self.asked: list[list[int]] = []

    def iter_tasks_by_id(
        self, project_id: int, task_ids: Sequence[int], include: str = "id,data"
    ) -> Iterator[dict[str, Any]]:
        assert project_id == PROJECT
        self.asked.append(sorted(task_ids))
        for task_id in sorted(task_ids):
            if task_id in self.tasks:
                yield {"id": task_id, "data": self.tasks[task_id]}


def _task(pid: str, doc: str, text: str, *, parent: str | None = None, warning: str = "") -> dict:
    data = {"text": text, "passage_id": pid, "doc_id": doc, "passage_index": 0, "warning": warning}
    if parent:
        data["parent_doc_id"] = parent
    return data


def _push(
    rows: list[dict], earlier: dict[int, dict[str, Any]], taxonomy, tmp_path: Path, **kw: Any
) -> tuple[dict[str, dict], FakeClient]:
    """The tasks a push of ``rows`` builds into a project holding ``earlier`` (task id ->
    data: an earlier batch), reading that batch's tasks as push does."""
    config = parse_label_config(taxonomy.render_label_config())
    client = FakeClient(earlier)
    with staging() as stage:
        stage.stage_file(_write(tmp_path / "day2.jsonl", rows), taxonomy, config)
        stage.load_present(
            PROJECT,
            [
                (tid, d["passage_id"], frozenset({"m-1"}), d["doc_id"], task_hidden(d))
                for tid, d in earlier.items()
            ],
        )
        read_prior_parents(client, stage, "text")
        if kw.get("hide"):
            stage.mark_hidden(kw["hide"])  # the push's wellbeing refresh hid them after
        n = stage.plan()
        tasks = [json.loads(t) for _, t in stage.todo(0, n)]
    return {t["data"]["passage_id"]: t["data"] for t in tasks}, client


def test_a_parent_of_an_earlier_batch_shows_its_text(taxonomy, tmp_path: Path) -> None:
    earlier = {
        1: _task("p-c001", "c001", PLAIN),
        2: _task("p-c010", "c010", "Unrelated comment of yesterday, not replied to."),
    }
    rows = [_row("p-d1", "d1", REPLY, parent="c001"), _row("p-d2", "d2", REPLY + " Hm.")]
    got, client = _push(rows, earlier, taxonomy, tmp_path)
    assert got["p-d1"][PARENT_FIELD] == PLAIN
    assert got["p-d1"][PARENT_HEADER_FIELD] == parent_header("c001")
    assert got["p-d2"][PARENT_FIELD] == ""
    # only the parent's task was read, by id (not every task's text)
    assert client.asked == [[1]]


def test_a_hidden_parent_of_an_earlier_batch_stays_a_note(taxonomy, tmp_path: Path) -> None:
    earlier = {1: _task("p-c001", "c001", THREAT, warning="Content warning (likely harmful)")}
    got, _ = _push([_row("p-d1", "d1", REPLY, parent="c001")], earlier, taxonomy, tmp_path)
    assert got["p-d1"][PARENT_FIELD] == hidden_parent("c001", ["p-c001"])
    assert "throat" not in got["p-d1"][PARENT_FIELD]


def test_a_parent_the_refresh_hides_stays_a_note(taxonomy, tmp_path: Path) -> None:
    """A parent's task the push's wellbeing refresh hides after reading (mark_hidden)."""
    earlier = {1: _task("p-c001", "c001", THREAT)}
    rows = [_row("p-d1", "d1", REPLY, parent="c001")]
    got, _ = _push(rows, earlier, taxonomy, tmp_path, hide=[1])
    assert got["p-d1"][PARENT_FIELD] == hidden_parent("c001", ["p-c001"])


def test_a_task_without_a_warning_field_is_not_shown(taxonomy, tmp_path: Path) -> None:
    """A task annotate did not make (no ``warning``): whether it is harmful is unknown."""
    data = _task("p-c001", "c001", THREAT)
    del data["warning"]
    got, _ = _push([_row("p-d1", "d1", REPLY, parent="c001")], {1: data}, taxonomy, tmp_path)
    assert got["p-d1"][PARENT_FIELD] == hidden_parent("c001", ["p-c001"])


def test_the_thread_goes_up_through_batches(taxonomy, tmp_path: Path) -> None:
    earlier = {
        1: _task("p-c001", "c001", "Top post: the park closes at night."),
        2: _task("p-c002", "c002", "Second: who decided this?", parent="c001"),
        3: _task("p-c003", "c003", "Third: the council did.", parent="c002"),
    }
    rows = [
        _row("p-d1", "d1", "Fourth: then call them.", parent="c003"),
        _row("p-d2", "d2", "Fifth: I did.", parent="d1"),
    ]
    got, client = _push(rows, earlier, taxonomy, tmp_path)
    assert got["p-d1"][PARENT_FIELD] == (
        f"{id_prefix('c001')}Top post: the park closes at night.\n"
        f"{id_prefix('c002')}Second: who decided this?\n"
        f"{id_prefix('c003')}Third: the council did."
    )
    assert got["p-d1"][PARENT_HEADER_FIELD] == thread_header(["c003", "c002", "c001"])
    # the parent in the file, the two above it in yesterday's tasks; THREAD_DEPTH in all
    assert got["p-d2"][PARENT_FIELD] == (
        f"{id_prefix('c002')}Second: who decided this?\n"
        f"{id_prefix('c003')}Third: the council did.\n"
        f"{id_prefix('d1')}Fourth: then call them."
    )
    assert THREAD_DEPTH == 3
    assert sorted(t for ids in client.asked for t in ids) == [1, 2, 3]


def test_a_parent_in_neither_is_said_plainly(taxonomy, tmp_path: Path) -> None:
    got, client = _push([_row("p-d1", "d1", REPLY, parent="c099")], {}, taxonomy, tmp_path)
    assert got["p-d1"][PARENT_FIELD] == missing_parent("c099")
    assert got["p-d1"][PARENT_HEADER_FIELD] == parent_header("c099")
    assert client.asked == []


def test_thread_chain_stops_at_a_cycle_and_at_the_depth() -> None:
    up = {"a": "b", "b": "c", "c": "d", "d": "e"}
    assert thread_chain("a", up) == ["a", "b", "c"]
    assert thread_chain("a", {"a": "b", "b": "a"}) == ["a", "b"]
    assert thread_chain("a", {"a": "r"}, own="r") == ["a"]  # back to the reply itself
    assert thread_chain("a", {}) == ["a"]


def test_thread_text_cuts_the_comments_above_and_ends_at_one_not_found() -> None:
    long = "word " * 200
    text = thread_text([("p", [("reply to it", False, "pp")]), ("g", [(long, False, "pg")])])
    first, second = text.split("\n")
    assert (
        first.startswith(id_prefix("g")) and len(first) == len(id_prefix("g")) + ANCESTOR_CHARS + 1
    )
    assert second == f"{id_prefix('p')}reply to it"
    # a comment above not found ends the thread; one found above it is not shown
    chain = [("p", [("x", False, "pp")]), ("g", None), ("h", [("y", False, "ph")])]
    assert thread_text(chain) == "x"
    # a hidden one above: a note naming it as a comment, never its text
    hidden = thread_text([("p", [("x", False, "pp")]), ("g", [(THREAT, True, "pg")])])
    assert hidden.startswith(f"{id_prefix('g')}[comment g hidden") and "throat" not in hidden


def test_a_comment_replying_to_none_draws_no_thread_view(taxonomy) -> None:
    """The thread's view carries the class whose Style rule hides it when its text is
    empty (Label Studio shows an element by the answer's state only)."""
    xml = taxonomy.render_label_config()
    assert f'<View className="{THREAD_CLASS}"' in xml
    assert THREAD_STYLE in xml and "display: none" in THREAD_STYLE
    line = next(x for x in xml.splitlines() if THREAD_CLASS in x and "<View" in x)
    after = xml.splitlines()[xml.splitlines().index(line) + 1]
    assert "$parent_header" in after


def test_a_review_set_finds_the_thread_in_its_queues(taxonomy, tmp_path: Path) -> None:
    """A review set's push (in memory): the parent and the comment above it are tasks its
    queues already hold (each passage in K queues: the first listed taken); one the push's
    wellbeing refresh hid is a note; the file's own passages win over the queues'."""
    from annotate.review.parents import earlier_threads, link_parents
    from annotate.studio.push import read_tasks

    config = parse_label_config(taxonomy.render_label_config())
    rows = [
        _row("p-d1", "d1", REPLY, parent="c002"),
        _row("p-d2", "d2", REPLY + " Hm.", parent="c009"),
    ]
    tasks = read_tasks(_write(tmp_path / "day2.jsonl", rows), taxonomy, config)
    assert tasks[0]["data"][PARENT_FIELD] in (missing_parent("c002"), missing_parent("c009"))
    listed = [
        _task("p-c001", "c001", PLAIN),
        _task("p-c002", "c002", "Second: who decided this?", parent="c001"),
        _task("p-c002", "c002", "Second: who decided this?", parent="c001"),  # 2nd queue
        _task("p-c009", "c009", THREAT),
        _task("p-x", "unrelated", "Not in any thread."),
    ]
    earlier = earlier_threads(tasks, listed, "text", now_hidden={"p-c009"})
    assert set(earlier) == {"c001", "c002", "c009"}
    link_parents(tasks, taxonomy, earlier)
    got = {t["data"]["passage_id"]: t["data"] for t in tasks}
    assert (
        got["p-d1"][PARENT_FIELD]
        == f"{id_prefix('c001')}{PLAIN}\n{id_prefix('c002')}Second: who decided this?"
    )
    assert got["p-d1"][PARENT_HEADER_FIELD] == thread_header(["c002", "c001"])
    assert got["p-d2"][PARENT_FIELD] == hidden_parent("c009", ["p-c009"])


def test_an_rtl_comment_in_a_thread_keeps_its_direction() -> None:
    """break15 B1: each thread line starts with its id ("c004: "), whose Latin letters
    set the line's direction (the view's unicode-bidi: plaintext); the id is isolated
    (FSI ... PDI), which the first-strong-letter rule skips."""
    text = thread_text([("c004", [("مرحبا بكم", False, "p4")]), ("c003", [("hi", False, "p3")])])
    assert text.split("\n") == ["\u2068c003: \u2069hi", "\u2068c004: \u2069مرحبا بكم"]
