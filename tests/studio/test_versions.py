"""Tasks of an earlier version of a pushed document, as every push path counts them."""

from __future__ import annotations

import json
from pathlib import Path

from annotate._util.passage_ids import passage_id
from annotate.studio.label_config import parse_label_config
from annotate.studio.staging import staging
from annotate.studio.versions import DocCover, other_versions
from tests.conftest import FIXTURES


def _whole(*positions: int) -> DocCover:
    return DocCover(True, set(positions))


def test_each_document_counts_once_with_its_lowest_task() -> None:
    listed = [
        ("doc-a", 9, "a-old", 1),  # two queues of a review set hold the earlier passage
        ("doc-a", 4, "a-old", 1),
        ("doc-a", 5, "a-p0", 0),  # still in the file
        ("doc-b", 7, "b-old", 0),
        ("doc-z", 2, "z-p0", 0),  # a document the file does not hold
        (None, 1, "x", 0),
        ("", 3, "y", 0),
    ]
    docs = {"doc-a": _whole(0, 1), "doc-b": _whole(0)}
    tasks, n, shown = other_versions(docs, {"a-p0", "a-new"}, listed)
    assert (tasks, n) == (3, 2)
    assert shown == [("doc-a", 4), ("doc-b", 7)]
    assert other_versions({"doc-a": _whole(0)}, set(), listed, examples=1)[2] == [("doc-a", 4)]


def test_nothing_of_the_file_s_documents_names_nothing() -> None:
    listed = [("doc-a", 1, "a-p0", 0), ("doc-b", 2, "b", 0)]
    assert other_versions({"doc-a": _whole(0)}, {"a-p0"}, listed) == (0, 0, [])


def test_a_partial_batch_counts_only_the_positions_it_rewrites() -> None:
    """``ingest --previous`` leaves a document's unchanged passages out (their ids stay
    the same): their tasks are not an earlier version, only the rewritten position's is.
    Before, all of them were counted and the warning's fix deleted work to review."""
    partial = DocCover()
    partial.add(5, "a-p4", "a-p6")  # the edited passage, its neighbours carried
    listed = [("doc-a", 10 + i, f"a-p{i}", i) for i in range(17)]  # the first push
    assert other_versions({"doc-a": partial}, {"a-p5-edited"}, listed) == (1, 1, [("doc-a", 15)])
    # a task without a position (pushed by hand) of a partially held document: not counted
    assert other_versions({"doc-a": partial}, set(), [("doc-a", 3, "x", None)])[0] == 0


def test_a_partial_batch_that_ends_the_document_counts_the_positions_past_its_end() -> None:
    """An edit that made a document shorter: its last passage rewritten, the file's row
    there carries no neighbour after it, so the document ends there and the earlier
    version's tasks past that end are of the earlier version. Before, only the rewritten
    position's task was counted, and the fix left the removed passages to be reviewed."""
    listed = [("doc-a", 10 + i, f"a-p{i}", i) for i in range(5)]  # the first push: 0 .. 4
    ended = DocCover()
    ended.add(2, "a-p1", None)  # a-p2 edited, a-p3 and a-p4 removed
    assert other_versions({"doc-a": ended}, {"a-p2-edited"}, listed) == (3, 1, [("doc-a", 12)])
    # the row carries the passage after it: the document goes on past it, length unknown
    going_on = DocCover()
    going_on.add(2, "a-p1", "a-p3")
    assert other_versions({"doc-a": going_on}, {"a-p2-edited"}, listed)[0] == 1


def test_a_passage_a_row_carries_is_not_an_earlier_version() -> None:
    """a-p1 removed, a-p4 edited: the document ends at 3, where the edited passage is, its
    neighbour before it the unchanged a-p3, moved up from 3 to 2. a-p3's task is at a
    rewritten position but holds a passage the document still has: not counted (before,
    the warning named it, and its fix deleted reviewed work); a-p4's task, past the end, is."""
    listed = [("doc-a", 10 + i, f"a-p{i}", i) for i in range(5)]
    cover = DocCover()
    cover.add(3, "a-p3", None)
    assert other_versions({"doc-a": cover}, {"a-p4-edited"}, listed) == (1, 1, [("doc-a", 14)])


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_staging_counts_as_the_shared_rule_does(taxonomy, tmp_path: Path) -> None:
    """The staging database's SQL (plain and numbered projects) and the Python rule
    (review sets) agree: doc-a pushed whole with p1 edited, doc-b as ``ingest --previous``
    writes it with p1 edited (its unchanged p0 left out, carried as context), doc-c made
    shorter (pushed with two more passages; p0 removed, p1 moved up to 0 and carried, a new
    passage at 1, the last)."""
    rows = [json.loads(x) for x in (FIXTURES / "prelabels.jsonl").read_text().splitlines()]
    rows = [{**r, "id": passage_id(r["doc_id"], r["text"])} for r in rows]
    first = {(r["doc_id"], r["passage_index"]): r for r in rows}
    present = [
        (i, r["id"], frozenset(), r["doc_id"], False, None, {}, r["passage_index"])
        for i, r in enumerate(rows, start=1)
    ]
    present += [(7, "c-old2", frozenset(), "doc-c", False, None, {}, 2)]
    present += [(8, "c-old3", frozenset(), "doc-c", False, None, {}, 3)]

    def edited(doc: str, index: int, **more: str) -> dict:
        text = first[(doc, index)]["text"] + " (edited)"
        return {**first[(doc, index)], "id": passage_id(doc, text), "text": text, **more}

    file_rows = [
        first[("doc-a", 0)],
        edited("doc-a", 1),
        edited("doc-b", 1, context_before=first[("doc-b", 0)]["text"]),
        edited("doc-c", 1, context_before=first[("doc-c", 1)]["text"]),
    ]
    path = _write(tmp_path / "w2.jsonl", file_rows)
    config = parse_label_config(taxonomy.render_label_config())
    with staging() as stage:
        stage.stage_file(path, taxonomy, config)
        stage.load_present(7, present)
        stage.plan()
        sql = stage.other_versions()
    covers: dict[str, DocCover] = {}
    for r in file_rows:
        before, after = (
            passage_id(r["doc_id"], r[c]) if r.get(c) else None
            for c in ("context_before", "context_after")
        )
        covers.setdefault(r["doc_id"], DocCover()).add(r["passage_index"], before, after)
    listed = [(doc, t, pid, index) for t, pid, _, doc, _, _, _, index in present]
    python = other_versions(covers, {r["id"] for r in file_rows}, listed)
    # doc-a's and doc-b's earlier p1; not doc-b's unchanged p0 (task 3); doc-c's tasks
    # past its end (7, 8), not its p1 (task 6), carried
    assert sql == python == (4, 3, [("doc-a", 2), ("doc-b", 4), ("doc-c", 7)])
