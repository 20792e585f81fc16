"""break47 F14: a speaker or timestamp label in front of a chat turn hid its threat from
the default model (violent_threat 0.27 bare, 0.06 after ``Dave: ``, 0.01 after a
WhatsApp stamp). A chat file ingested, then pre-labelled: the turn's threat is labelled
as the bare message is, the passage's text stays as ingested and its threat span lies on
the threat's own characters. A table's row that opens with a stamped label scores as its
bare message (a plain ``Dave: `` alone is read as written: tests/test_turn_labels.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate import ingest, prelabel
from annotate.classifier import DEFAULT_MODEL_DIR

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(),
    reason="models/default is not built (run `make model`)",
)

THREAT = "not joking, I will break his legs"
CHAT = (
    "12/05/26, 21:02 - Sam: you coming tonight?\n"
    "12/05/26, 21:03 - Dave: yeah, is that guy from the bar going to be there\n"
    "12/05/26, 21:04 - Sam: think so, why\n"
    f"12/05/26, 21:05 - Dave: {THREAT}\n"
)


def _prelabelled(tmp_path: Path, name: str, content: str) -> list[dict]:
    src = tmp_path / "in" / name
    src.parent.mkdir()
    src.write_text(content, encoding="utf-8")
    ingest([src.parent], tmp_path / "p.jsonl", min_chars=1, near_dup_threshold=None)
    prelabel(tmp_path / "p.jsonl", tmp_path / "l.jsonl")
    return [json.loads(x) for x in (tmp_path / "l.jsonl").read_text().splitlines()]


def test_a_whatsapp_turns_threat_is_labelled(tmp_path: Path) -> None:
    rows = _prelabelled(tmp_path, "WhatsApp Chat with Dave.txt", CHAT)
    (turn,) = [r for r in rows if THREAT in r["text"]]
    assert turn["text"] == f"12/05/26, 21:05 - Dave: {THREAT}"  # as ingested
    assert "violent_threat" in turn["labels"]
    for span in turn["spans"]:  # on the turn's words, never on its label
        assert span["start"] >= len("12/05/26, 21:05 - Dave: ")
        assert turn["text"][span["start"] : span["end"]] in THREAT


def test_a_plain_labelled_chats_threat_is_labelled(tmp_path: Path) -> None:
    chat = "Sam: you coming tonight?\n\nDave: yeah, why\n\nSam: that guy is there\n\n"
    rows = _prelabelled(tmp_path, "chat.txt", chat + f"Dave: {THREAT}\n")
    (turn,) = [r for r in rows if THREAT in r["text"]]
    assert turn["text"] == f"Dave: {THREAT}"
    assert "violent_threat" in turn["labels"]


@pytest.mark.parametrize("label", ["[12:05] dave: ", "12/05/26, 21:05 - Dave: "])
def test_a_stamped_row_scores_as_its_bare_message(tmp_path: Path, label: str) -> None:
    table = "".join(
        json.dumps({"id": i, "text": t}) + "\n"
        for i, t in (("bare", THREAT), ("lab", label + THREAT))
    )
    rows = {r["text"]: r for r in _prelabelled(tmp_path, "rows.jsonl", table)}
    labelled, bare = rows[label + THREAT], rows[THREAT]
    assert "violent_threat" in labelled["labels"]
    assert labelled["scores"] == bare["scores"]
