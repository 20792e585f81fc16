"""Whether a document is a conversation (its lines open with the plain ``Dave: `` labels
of 2 or more speakers, which prelabel then reads as no words of the message) was judged
from the passages prelabel is given alone. ``ingest --previous`` writes only an edited
chat's new passages (and the neighbour it drops, as context), so a chat that ends
``Dave: yeah, why`` and gets ``Dave: not joking, I will break his legs`` read the threat
with its label, as one speaker's words, and missed it (the whole chat labels it). Ingest
now records it per document on the whole text (the passages' ``conversation`` column)
and prelabel goes by it; a table without the column is judged as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate import ingest, prelabel
from annotate.classifier import DEFAULT_MODEL_DIR
from annotate.classifier.base import PassageInput
from annotate.classifier.turn_text import without_labels
from annotate.prelabeling import recorded_conversation

THREAT = "not joking, I will break his legs"
CHAT = "Sam: you coming tonight?\n\nDave: yeah, is that guy from the bar going to be there\n\n"


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def _edited_chat(tmp_path: Path) -> Path:
    """The passages `ingest --previous` writes of the chat once Dave's threat is added."""
    src = tmp_path / "in" / "chat.txt"
    src.parent.mkdir(parents=True)
    src.write_text(CHAT, encoding="utf-8")
    ingest([src.parent], tmp_path / "w1.jsonl", min_chars=1, near_dup_threshold=None)
    src.write_text(CHAT + f"Dave: {THREAT}\n", encoding="utf-8")
    ingest(
        [src.parent],
        tmp_path / "w2.jsonl",
        min_chars=1,
        near_dup_threshold=None,
        previous=[tmp_path / "w1.jsonl"],
    )
    return tmp_path / "w2.jsonl"


def test_ingest_records_whether_a_document_is_a_conversation(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "chat.txt").write_text(CHAT, encoding="utf-8")
    (tmp_path / "in" / "news.txt").write_text(
        "UK: prices rose again in March.\n\nThe council met on Tuesday.\n", encoding="utf-8"
    )
    ingest([tmp_path / "in"], tmp_path / "p.jsonl", min_chars=1, near_dup_threshold=None)
    got = {r["doc_id"]: r["conversation"] for r in _rows(tmp_path / "p.jsonl")}
    assert got == {"in/chat.txt": True, "in/news.txt": False}
    # the edited chat's one new passage: a conversation, though it names one speaker
    (row,) = _rows(_edited_chat(tmp_path / "e"))
    assert row["text"] == f"Dave: {THREAT}" and row["conversation"] is True


def test_prelabel_reads_the_label_off_by_the_recorded_column() -> None:
    alone = PassageInput(id="a", text=f"Dave: {THREAT}", doc_id="chat.txt", passage_index=2)
    (read,), _ = without_labels([alone])
    assert read.text == f"Dave: {THREAT}"  # unknown: one speaker given, read as written
    marked = PassageInput(
        id="a", text=f"Dave: {THREAT}", doc_id="chat.txt", passage_index=2, conversation=True
    )
    (read,), _ = without_labels([marked])
    assert read.text == THREAT
    # recorded False: a headline's attribution stays, even beside another "speaker"
    prose = [
        PassageInput(id="b", text="UK: prices rose.", doc_id="n", conversation=False),
        PassageInput(id="c", text="Police: two arrested.", doc_id="n", conversation=False),
    ]
    assert [p.text for p in without_labels(prose)[0]] == [p.text for p in prose]
    assert [recorded_conversation({"conversation": v}) for v in (True, "false", None, 1)] == [
        True,
        False,
        None,
        None,
    ]


@pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(),
    reason="models/default is not built (run `make model`)",
)
def test_an_edited_chats_new_threat_is_labelled(tmp_path: Path) -> None:
    passages = _edited_chat(tmp_path)
    prelabel(passages, tmp_path / "l.jsonl")
    (turn,) = _rows(tmp_path / "l.jsonl")
    assert turn["text"] == f"Dave: {THREAT}"
    assert "violent_threat" in turn["labels"], turn["scores"]
    # the same passages without the column (a table ingested before it): as before
    old = tmp_path / "old.jsonl"
    old.write_text(
        "".join(
            json.dumps({k: v for k, v in r.items() if k != "conversation"}) + "\n"
            for r in _rows(passages)
        ),
        encoding="utf-8",
    )
    prelabel(old, tmp_path / "l_old.jsonl")
    (before,) = _rows(tmp_path / "l_old.jsonl")
    assert "violent_threat" not in before["labels"], before["scores"]


def test_a_csv_of_the_passages_keeps_the_column_as_booleans(tmp_path: Path, taxonomy) -> None:
    """A CSV holds ingest's true/false as text ("True"): written as booleans, as the
    Parquet of ingest has them; a table's own column of that name (a thread id) is
    carried as it is and read as not recorded."""
    import pyarrow.parquet as pq

    from tests.fakes import KeywordClassifier

    table = tmp_path / "p.csv"
    table.write_text(
        "id,text,doc_id,passage_index,conversation\n"
        "a,Dave: see you,chat,0,True\nb,Sam: ok,chat,1,False\nc,hi,other,0,\n",
        encoding="utf-8",
    )
    clf = KeywordClassifier(taxonomy.category_names)
    prelabel(table, tmp_path / "l.parquet", classifier=clf, taxonomy=taxonomy)
    got = pq.read_table(tmp_path / "l.parquet").column("conversation").to_pylist()
    assert got == [True, False, None]
    own = tmp_path / "own.csv"
    own.write_text("id,text,conversation\na,hello,thread-12\n", encoding="utf-8")
    prelabel(own, tmp_path / "own.parquet", classifier=clf, taxonomy=taxonomy)
    assert pq.read_table(tmp_path / "own.parquet").column("conversation").to_pylist() == [
        "thread-12"
    ]
