"""A long document pre-labelled in windows of passages (with their neighbours as
context) gets exactly the results of the whole document (issue 12 item 12)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from annotate.classifier.base import PassageInput, Prediction
from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.prelabeling import context_passages, prelabel
from annotate.tables import write_table

# a project-written news article of many passages (a fresh clone has no ../shared)
ARTICLE = Path(__file__).resolve().parent / "fixtures" / "long_article.txt"


class NeighbourClassifier:
    """Fake whose score of a passage depends on its title and both neighbours (as the
    fine-tuned model's does), and which records the size of every call."""

    version = "neighbour-fake@0"
    context_passages = 1

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self.calls: list[int] = []

    def predict(self, passages: Sequence[PassageInput], *, progress=None) -> list[Prediction]:
        self.calls.append(len(passages))
        docs: dict[str, list[int]] = {}
        for i, p in enumerate(passages):
            if p.doc_id is not None:
                docs.setdefault(p.doc_id, []).append(i)
        ctx = [p.title or "" for p in passages]
        for members in docs.values():
            members.sort(key=lambda i: (passages[i].passage_index or 0, i))
            for k, i in enumerate(members):
                prev = passages[members[k - 1]].text if k else ""
                nxt = passages[members[k + 1]].text if k + 1 < len(members) else ""
                ctx[i] = f"{passages[i].title}|{prev}|{nxt}"
        out = []
        for p, c in zip(passages, ctx, strict=True):
            s = (hash(p.text + c) % 1000) / 1000
            scores = dict.fromkeys(self.labels, 0.0)
            scores[self.labels[0]] = s
            out.append(Prediction(scores=scores, labels=[self.labels[-1]]))
        if progress is not None:
            progress(len(passages))
        return out


def _doc_rows(n_docs: int, length: int) -> list[dict]:
    rows = []
    for d in range(n_docs):
        n = length if d % 2 == 0 else 1 + d % 3
        for i in range(n):
            rows.append(
                {
                    "id": f"d{d}p{i}",
                    "text": f"passage {i} of document {d}",
                    "doc_id": f"d{d}",
                    "title": f"T{d}" if d % 3 else None,
                    "passage_index": i,
                }
            )
    rows.append({"id": "alone", "text": "a row without a document", "doc_id": None})
    return rows


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 50])
def test_windows_give_the_whole_document_results(tmp_path, taxonomy, chunk_size):
    src = tmp_path / "in.jsonl"
    write_table(src, _doc_rows(6, 23))
    whole, windowed = tmp_path / "whole.jsonl", tmp_path / "win.jsonl"
    big = NeighbourClassifier(taxonomy.category_names)
    prelabel(src, whole, classifier=big, chunk_size=10_000)
    assert big.calls == [len(_doc_rows(6, 23))]
    small = NeighbourClassifier(taxonomy.category_names)
    seen: list[int] = []
    prelabel(src, windowed, classifier=small, chunk_size=chunk_size, progress=seen.append)
    assert windowed.read_text() == whole.read_text()
    assert max(small.calls) <= chunk_size + 2  # bounded: a window and one neighbour each side
    assert sum(seen) == len(_doc_rows(6, 23))  # progress counts each passage once


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        (
            [
                {"id": "1", "text": "a", "doc_id": "A", "passage_index": 0},
                {"id": "2", "text": "b", "doc_id": "B", "passage_index": 0},
                {"id": "3", "text": "c", "doc_id": "A", "passage_index": 1},
            ],
            "document 'A' appears again at line 3",
        ),
        (
            [
                {"id": "1", "text": "a", "doc_id": "A", "passage_index": 1},
                {"id": "2", "text": "b", "doc_id": "A", "passage_index": 0},
            ],
            "out of passage_index order at line 2",
        ),
    ],
)
def test_documents_apart_or_out_of_order_are_one_line_errors(tmp_path, taxonomy, rows, needle):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_table(src, rows)
    with pytest.raises(InputError, match=needle):
        prelabel(src, out, classifier=NeighbourClassifier(taxonomy.category_names))
    assert not out.exists()


def test_a_classifier_reading_passages_alone_takes_rows_in_any_order(tmp_path, taxonomy):
    class Alone(NeighbourClassifier):
        context_passages = 0

    rows = [
        {"id": "1", "text": "a", "doc_id": "A", "passage_index": 1},
        {"id": "2", "text": "b", "doc_id": "B", "passage_index": 0},
        {"id": "3", "text": "c", "doc_id": "A", "passage_index": 0},
    ]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_table(src, rows)
    prelabel(src, out, classifier=Alone(taxonomy.category_names))
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["1", "2", "3"]


@pytest.fixture(scope="module")
def long_document(tmp_path_factory) -> Path:
    """A news article as one document of several passages, and a short one."""
    tmp = tmp_path_factory.mktemp("long")
    docs = tmp / "docs"
    docs.mkdir()
    (docs / "long.txt").write_text(ARTICLE.read_text(encoding="utf-8"))
    (docs / "short.txt").write_text("Hunting season opens in October across the north.\n")
    out = tmp / "passages.parquet"
    ingest([docs], out, dedupe=False)
    return out


@pytest.mark.slow
def test_real_model_windows_equal_whole_documents(tmp_path, long_document, taxonomy):
    """The shipped model run one passage per batch, so that no padding differs:
    windows of 3 passages give the output of whole documents (scores within 1e-5). (With
    batches of several passages, dynamic padding moves scores by float noise: see
    benchmarks/README.md.)"""
    from annotate.classifier import load_classifier

    clf = load_classifier(None, taxonomy, batch_size=1)
    assert context_passages(clf) is not None  # windows, not whole documents
    n = pq.ParquetFile(long_document).metadata.num_rows
    assert n > 8
    whole, windowed = tmp_path / "whole.jsonl", tmp_path / "win.jsonl"
    prelabel(long_document, whole, classifier=clf, chunk_size=n)
    prelabel(long_document, windowed, classifier=clf, chunk_size=3)
    got = [json.loads(line) for line in windowed.read_text().splitlines()]
    want = [json.loads(line) for line in whole.read_text().splitlines()]
    assert len(got) == len(want) > 8
    for g, w in zip(got, want, strict=True):
        # scores within 1e-5: the evidence-span pooling is one matrix product per call,
        # whose summation order depends on the call's passages (float noise, ~1e-6)
        assert g.pop("scores") == pytest.approx(w.pop("scores"), abs=1e-5)
        for s in g["spans"] + w["spans"]:
            s.pop("score", None)
        assert g == w  # ids, labels, span offsets and everything else identical


def test_evaluate_reads_long_documents_in_windows_with_the_same_scores(monkeypatch):
    """`annotate evaluate` sends passages as prelabel does: windows with the neighbours
    the model reads, so scores equal those of whole documents and calls stay bounded."""
    from annotate.evaluation import evaluate as ev
    from annotate.training.sources import Example

    labels = ["violent_threat", "none"]
    examples = [
        Example(
            text=f"d{d} p{i}",
            labels={"none"},
            known=set(labels),
            split="test",
            source="s",
            doc_key=f"d{d}",
            index=i,
            title=f"t{d}",
        )
        for d in range(3)
        for i in range(23 if d == 1 else 4)
    ][::-1]  # not in document order: predict_examples sorts them
    whole = NeighbourClassifier(labels)
    monkeypatch.setattr(ev, "CHUNK_SIZE", 10_000)
    want = [p.scores for p in ev.predict_examples(whole, examples)]
    windowed = NeighbourClassifier(labels)
    monkeypatch.setattr(ev, "CHUNK_SIZE", 5)
    got = [p.scores for p in ev.predict_examples(windowed, examples)]
    assert got == want
    assert max(windowed.calls) <= 5 + 2  # a window: its core plus one neighbour each side
    assert len(windowed.calls) > 1


def test_bad_rows_are_named_where_an_editor_finds_them(tmp_path) -> None:
    """As ingest names them (annotate.tables.iter_rows_located): a CSV row by its number
    and line (a quoted newline makes them differ), a JSONL row by its line."""
    from annotate.prelabeling import checked_rows
    from annotate.tables import iter_rows_located

    csv = tmp_path / "p.csv"
    csv.write_text('id,text\n1,"two\nlines"\n2,\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"p\.csv: row 2 \(line 4\) \(id '2'\) has no text"):
        list(checked_rows(iter_rows_located(csv), csv, 0))
    jsonl = tmp_path / "p.jsonl"
    rows = [{"id": "1", "text": "a", "doc_id": "A"}, {"id": "1", "text": "b", "doc_id": "B"}]
    jsonl.write_text("\n" + "\n\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"appears twice \(again at line 4\)"):
        list(checked_rows(iter_rows_located(jsonl), jsonl, None))
