"""The comments of one reply thread share a split (newuser61 #9: a call to violence in test
while the reply quoting it was in train, 3 of 13 threads split). A comments table's parent
column links the documents of a thread like near-duplicates; a corpus without threads gets
exactly the splits it got before (golden below, from the export before threads)."""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from annotate.corpus.export import export
from annotate.corpus.export_threads import thread_column, threads_report
from annotate.corpus.splits import SPLIT_METHOD, leakage_groups, split_of, thread_roots
from tests.audit.fakes import FakeStudio, annotation, reviewed_tasks, task
from tests.integration.helpers import choices

# thread -> (document, parent): t00..t12 each a call, a reply quoting it and a reply to the
# reply; "gone" is a comment not exported (two replies to it); "solo-*" reply to none
THREADS = {
    f"t{n:02d}": [
        (f"t{n:02d}-call", None),
        (f"t{n:02d}-reply", f"t{n:02d}-call"),
        (f"t{n:02d}-reply2", f"t{n:02d}-reply"),
    ]
    for n in range(13)
}
THREADS["gone"] = [("gone-a", "gone-top"), ("gone-b", "gone-top")]
SOLO = [f"solo-{n:02d}" for n in range(12)]


def _comment(n: int, doc: str, meta: dict[str, Any] | None) -> dict[str, Any]:
    t = task(
        1000 + n,
        f"p-{doc}",
        f"Comment {doc}: strike the invaders where they sleep.",
        doc=doc,
        index=0,
        model_labels=["incitement"],
        annotations=[annotation(5000 + n, 1, [choices("category", ["incitement"])], minute=1,
                                lead_time=3.0)],
    )  # fmt: skip
    if meta is not None:
        t["data"]["meta"] = json.dumps(meta, sort_keys=True)  # as push puts it in the task
    return t


def threaded_tasks(parent_key: str = "parent_id") -> list[dict[str, Any]]:
    docs = [d for thread in THREADS.values() for d in thread] + [(d, None) for d in SOLO]
    return [
        _comment(n, doc, {parent_key: parent or "", "channel": "news"})
        for n, (doc, parent) in enumerate(docs)
    ]


def _splits_by_doc(out: Path) -> dict[str, set[str]]:
    got: dict[str, set[str]] = {}
    for f in sorted((out / "jsonl").glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            got.setdefault(json.loads(line)["doc_id"], set()).add(f.stem)
    return got


def test_thread_roots_follow_parents_to_the_top_even_when_the_top_is_not_exported() -> None:
    docs = ["a", "b", "c", "x", "y", "z", "s", "k1", "k2", "self"]
    parents = ["", "a", "b", "gone", "gone", None, None, "k2", "k1", "self"]
    parents = [p or None for p in parents]
    got = thread_roots(docs, parents)
    assert got[:3] == ["a", "a", "a"]  # the chain c -> b -> a
    assert got[3:5] == ["gone", "gone"]  # siblings under a comment no row holds
    assert got[5:7] == [None, None]  # in no thread
    assert got[7:9] == ["k1", "k1"]  # a cycle (a data error): its smallest id
    assert got[9] is None  # its own parent (a data error): no thread
    with pytest.raises(ValueError):
        thread_roots(["a"], [])


def test_leakage_groups_merge_a_thread_and_leave_other_documents_alone() -> None:
    docs = ["t-call", "t-reply", "m-reply2", "solo", "zz-near"]
    threads = thread_roots(docs, [None, "t-call", "t-reply", None, None])
    near = [None, None, None, "g", "g"]
    groups = leakage_groups(docs, near, threads)
    # the thread is named by its smallest document id; solo and its near-copy as before
    assert groups == ["m-reply2", "m-reply2", "m-reply2", "solo", "solo"]
    assert leakage_groups(docs, near, [None] * 5) == leakage_groups(docs, near)


def test_rows_parents_read_the_runs_parent_column_and_id_prefix() -> None:
    run = {"run": "ingest-aaaa", "settings": {"parent_column": "reply_of", "id_prefix": "fb:"}}
    rows = [
        {"id": "p1", "doc_id": "fb:1", "meta": json.dumps({"reply_of": ""}), "ingest_run": None},
        {
            "id": "p2",
            "doc_id": "fb:2",
            "meta": json.dumps({"reply_of": 1, "parent_id": 9}),
            "ingest_run": "ingest-aaaa",
        },
        # no run record: a parent-like key is read, as push reads it
        {"id": "p3", "doc_id": "x3", "meta": json.dumps({"parent_id": "x9"}), "ingest_run": None},
        {"id": "p4", "doc_id": "x4", "meta": None, "ingest_run": None},
    ]
    assert thread_column(rows, {"ingest-aaaa": run}) == ["fb:1", "fb:1", "x9", None]


def test_a_thread_found_in_two_splits_is_named_by_its_smallest_exported_document(
    caplog: pytest.LogCaptureFixture,
) -> None:
    docs = ["b-reply", "a-reply", "solo"]
    threads = ["top@example.com", "top@example.com", None]  # the top is not exported
    with caplog.at_level(logging.WARNING, logger="annotate.corpus.export_threads"):
        report = threads_report(docs, threads, ["train", "test", "train"])
    assert report == {
        "threads": 1,
        "documents": 2,
        "passages": 2,
        "cross_split_threads": {"a-reply": ["test", "train"]},
    }
    assert "top@example.com" not in json.dumps(report)
    assert "reply thread of document a-reply spans splits test, train" in caplog.text
    assert threads_report(docs, threads, ["test", "test", "train"])["cross_split_threads"] == {}


def test_export_keeps_each_reply_thread_in_one_split(tmp_path: Path) -> None:
    out = tmp_path / "c"
    run = export("p", out, client=FakeStudio(threaded_tasks()), salt="s")  # type: ignore[arg-type]
    by_doc = _splits_by_doc(out)
    for name, thread in THREADS.items():
        assert len(set().union(*(by_doc[d] for d, _ in thread))) == 1, name
    # a comment in no thread keeps the split of its own document id
    for doc in SOLO:
        assert by_doc[doc] == {split_of(doc)}
    # each thread is named by its smallest document id, so the call keeps its split
    for name, thread in THREADS.items():
        assert by_doc[thread[0][0]] == {split_of(min(d for d, _ in thread))}, name
    splits = run.manifest["splits"]
    assert splits["method"] == SPLIT_METHOD and "reply thread" in SPLIT_METHOD
    assert "reply thread" in splits["grouped_by"]
    assert splits["reply_threads"] == {
        "threads": 14,
        "documents": 13 * 3 + 2,
        "passages": 13 * 3 + 2,
        "cross_split_threads": {},
    }


def test_export_links_a_camel_case_parent_column_as_push_reads_it(tmp_path: Path) -> None:
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(threaded_tasks("inReplyToId")), salt="s")  # type: ignore[arg-type]
    by_doc = _splits_by_doc(out)
    for name, thread in THREADS.items():
        assert len(set().union(*(by_doc[d] for d, _ in thread))) == 1, name


# splits of the fixtures' passages exported before reply threads were linked (seed 0)
GOLDEN_REVIEWED = {
    "doc-a-p0": "train",
    "doc-a-p1": "train",
    "doc-b-p0": "train",
    "doc-c-p0": "train",
    "doc-c-p1": "train",
}


def test_a_corpus_without_threads_gets_the_splits_it_got_before(tmp_path: Path) -> None:
    out = tmp_path / "c"
    run = export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    got = {
        json.loads(line)["id"]: f.stem
        for f in sorted((out / "jsonl").glob("*.jsonl"))
        for line in f.read_text(encoding="utf-8").splitlines()
    }
    assert got == GOLDEN_REVIEWED
    assert run.manifest["splits"]["reply_threads"]["threads"] == 0
    # the threaded comments with their parent column emptied: every document its own split
    tasks = copy.deepcopy(threaded_tasks())
    for t in tasks:
        t["data"]["meta"] = json.dumps({"channel": "news", "parent_id": None})
    export("p", tmp_path / "d", client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    golden = {doc: {"train"} for doc in _splits_by_doc(tmp_path / "d")}
    golden.update({doc: {"test"} for doc in GOLDEN_TEST})
    golden.update({doc: {"validation"} for doc in GOLDEN_VALIDATION})
    assert _splits_by_doc(tmp_path / "d") == golden
    assert len(golden) == 13 * 3 + 2 + len(SOLO)


# the documents of threaded_tasks() in test and validation when exported before reply
# threads were linked (seed 0); every other one in train. Their parent column emptied,
# they get the same splits now
GOLDEN_TEST = {
    "solo-03", "t00-call", "t00-reply2", "t02-reply2", "t04-reply2", "t05-call",
    "t07-reply2", "t08-reply", "t12-call",
}  # fmt: skip
GOLDEN_VALIDATION = {"t02-reply", "t05-reply", "t06-call", "t09-reply2", "t10-reply2"}


class _Counted(str):
    """A document id that counts its equality tests (a list lookup makes one per item)."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        _Counted.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_a_deep_reply_chain_is_walked_in_linear_steps() -> None:
    """reader61 #5: the walk looked each document up in the chain so far (a list), so a
    chat export where each message replies to the one before took the square of its
    depth (40k messages: 28 s). Counted, not timed: equality tests per document."""
    n = 2000
    docs = [_Counted(f"d{i:06d}") for i in range(n)]
    parents: list[str | None] = [None, *docs[:-1]]
    _Counted.compared = 0
    roots = thread_roots(docs[::-1], parents[::-1])
    assert roots == ["d000000"] * n
    assert _Counted.compared < 10 * n, _Counted.compared
