"""Tasks of an earlier version of a pushed document, as every push path counts them."""

from __future__ import annotations

from annotate.studio.versions import other_versions


def test_each_document_counts_once_with_its_lowest_task() -> None:
    listed = [
        ("doc-a", 9, "a-old"),  # two queues of a review set hold the earlier passage
        ("doc-a", 4, "a-old"),
        ("doc-a", 5, "a-p0"),  # still in the file
        ("doc-b", 7, "b-old"),
        ("doc-z", 2, "z-p0"),  # a document the file does not hold
        (None, 1, "x"),
        ("", 3, "y"),
    ]
    tasks, docs, shown = other_versions({"doc-a", "doc-b"}, {"a-p0", "a-new"}, listed)
    assert (tasks, docs) == (3, 2)
    assert shown == [("doc-a", 4), ("doc-b", 7)]
    assert other_versions({"doc-a"}, set(), listed, examples=1)[2] == [("doc-a", 4)]


def test_nothing_of_the_file_s_documents_names_nothing() -> None:
    assert other_versions({"doc-a"}, {"a-p0"}, [("doc-a", 1, "a-p0"), ("doc-b", 2, "b")]) == (
        0,
        0,
        [],
    )
