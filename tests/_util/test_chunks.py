import itertools

from annotate._util.chunks import document_chunks


def test_chunks_never_cut_a_document():
    rows = [{"id": str(i), "doc_id": f"d{i // 5}"} for i in range(23)]
    chunks = list(document_chunks(rows, 7, lambda r: r["doc_id"]))
    assert [r for c in chunks for r in c] == rows
    docs_per_chunk = [{r["doc_id"] for r in c} for c in chunks]
    for a, b in itertools.pairwise(docs_per_chunk):
        assert not a & b


def test_a_huge_document_is_cut_at_four_times_the_size():
    rows = list(range(30))
    chunks = list(document_chunks(rows, 5, lambda r: "one"))
    assert [len(c) for c in chunks] == [20, 10]


def test_rows_without_a_document_are_documents_of_their_own():
    chunks = list(document_chunks(list(range(7)), 3, lambda r: None))
    assert [len(c) for c in chunks] == [3, 3, 1]
