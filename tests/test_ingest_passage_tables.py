"""A table of passages (ingest's output, an export's rows, pre-labels) given to ingest
stopped at "document id ... on row 1 and again on row 2" with a fix that does not fit
(give each row its own id): its rows are passages, several per document. The error now
says which table it is and what to do; each way it names is tried here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.corpus.export import export
from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.prelabeling import prelabel
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.fakes import KeywordClassifier

DOC = "\n\n".join(
    f"Paragraph {i}. " + "The council met and spoke at length about the market and the roads. " * 3
    for i in range(4)
)


@pytest.fixture
def passages(tmp_path: Path) -> Path:
    src = tmp_path / "long.txt"
    src.write_text(DOC)
    out = tmp_path / "passages.parquet"
    ingest([src], out)
    return out


def test_ingest_output_given_again_says_it_is_passages(tmp_path: Path, passages: Path) -> None:
    with pytest.raises(InputError) as err:
        ingest([passages], tmp_path / "again.jsonl")
    what, fix = err.value.what, str(err.value.fix)
    # refused before any row is read (see the last test), its document ids not reached
    assert "looks like a passages table, annotate ingest's output" in what
    assert f"annotate prelabel {passages}" in fix and f"--previous {passages}" in fix
    assert "--id-column id" in fix and "give each row its own id" not in fix
    assert not (tmp_path / "again.jsonl").exists()
    # read by its doc_id column on purpose, its repeated ids get the same fix
    with pytest.raises(InputError) as err:
        ingest([passages], tmp_path / "again.jsonl", id_column="doc_id")
    what, fix = err.value.what, str(err.value.fix)
    assert "document id 'long.txt' is on row 1 and again on row 2" in what
    assert "looks like a passages table, annotate ingest's output" in what
    assert f"--previous {passages}" in fix and "give each row its own id" not in fix


def test_each_way_the_fix_names_works(tmp_path: Path, passages: Path, taxonomy) -> None:
    # pre-label it as it is
    pre = tmp_path / "pre.jsonl"
    assert prelabel(passages, pre, classifier=KeywordClassifier(taxonomy.category_names)).passages
    # give it as --previous: the same document again gives nothing new
    src = tmp_path / "again" / "long.txt"
    src.parent.mkdir()
    src.write_text(DOC)
    stats = ingest([src], tmp_path / "batch.jsonl", previous=[passages])
    assert stats.passages == 0 and stats.duplicates_of_previous > 0
    # each passage as a document of its own
    out = tmp_path / "each.jsonl"
    ingest([passages], out, id_column="id")
    assert len(out.read_text().splitlines()) == stats.duplicates_of_previous


def test_an_exports_rows_are_told_as_such(tmp_path: Path, taxonomy) -> None:
    corpus = tmp_path / "b12"
    export("p", corpus, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    train = corpus / "parquet" / "train.parquet"
    with pytest.raises(InputError) as err:
        ingest([train], tmp_path / "x.jsonl")
    assert "looks like an annotate export's rows" in err.value.what
    assert f"annotate prelabel {train}" in str(err.value.fix)
    pre = tmp_path / "pre.jsonl"  # the fix holds: prelabel reads an export's rows as they are
    clf = KeywordClassifier(taxonomy.category_names)
    assert prelabel(train, pre, classifier=clf).passages == len(pre.read_text().splitlines())
    with pytest.raises(InputError) as again:  # and its pre-labels are pushed, not ingested
        ingest([pre], tmp_path / "y.jsonl")
    assert "looks like a pre-label table" in again.value.what
    assert f"annotate push {pre} --project NAME" in str(again.value.fix)


def test_a_table_of_documents_keeps_its_own_fix(tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    rows = [{"id": "a", "text": "The first post about the market."}] * 2
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(InputError) as err:
        ingest([src], tmp_path / "p.jsonl")
    assert "give each row its own id" in str(err.value.fix)
    assert "looks like" not in err.value.what


def test_a_passages_table_of_one_passage_a_document_is_refused_too(tmp_path: Path) -> None:
    """A second batch ingested with `--previous week1.parquet week2.parquet` (the second
    file meant as a --previous too) read week2.parquet, an earlier batch of one-passage
    posts, as 240 new documents, with nothing said: its document ids do not repeat, so the
    error above never came. Every passages table given as an input is refused now, before
    any row is read, naming --previous written once per file."""
    posts = tmp_path / "posts.jsonl"
    posts.write_text(
        "".join(
            json.dumps({"id": f"b{i}", "text": f"Post {i} about the market and the roads."}) + "\n"
            for i in range(5)
        )
    )
    week1 = tmp_path / "week1.parquet"
    ingest([posts], week1)
    new = tmp_path / "new.jsonl"
    new.write_text(json.dumps({"id": "n1", "text": "A new post about the bus lane."}) + "\n")
    with pytest.raises(InputError) as err:
        ingest([new, week1], tmp_path / "batch.jsonl")  # `--previous EARLIER week1.parquet`
    what, fix = err.value.what, str(err.value.fix)
    assert what.startswith(f"{week1} looks like a passages table, annotate ingest's output"), what
    assert f"--previous EARLIER --previous {week1}`, not `--previous EARLIER {week1}`" in fix, fix
    assert "--id-column id" in fix
    assert not (tmp_path / "batch.jsonl").exists()
    # cutting each passage again on purpose still works
    assert ingest([week1], tmp_path / "each.jsonl", id_column="id").passages == 5
