"""`annotate ingest --redact` keeps each speaker's turn apart, as a run without it does,
when the speaker labels themselves are masked: an IRC operator's ``<@ravenclaw>`` becomes
``<[HANDLE-1]>`` and a support chat's ``jane.roe@example.com:`` becomes ``[EMAIL-1]:``.
The turns are found on the unmasked text, so two speakers masked to one kind of
placeholder stay two turns, and their placeholders' numbers tell them apart (both were
``[EMAIL]:``). (Before, masking came first: the masked labels were no turns, and the threat
below shared a passage with the moderator's reply.)

The fixture folder tests/fixtures/redacted_conversations holds the documents: an IRC log
whose operators' nicks are @handles, a support chat whose speakers are e-mail addresses,
and a notice without turns that holds a handle and an address."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from annotate.audit.redact import RedactionSettings, Redactor, speaker_labels
from annotate.cli import app
from annotate.ingestion.splitter import split_passages
from annotate.ingestion.turns import find_turns

FIXTURES = Path(__file__).parent / "fixtures" / "redacted_conversations"
FOLDER = "redacted_conversations"


def _ingest(tmp_path: Path, out: str, *extra: str) -> tuple[pd.DataFrame, str]:
    folder = tmp_path / FOLDER
    if not folder.exists():
        shutil.copytree(FIXTURES, folder)
    result = CliRunner().invoke(
        app, ["ingest", str(folder), "--out", str(tmp_path / out), "--no-near-dups", *extra]
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return pd.read_json(tmp_path / out, lines=True, dtype=False), result.output


def _passages(rows: pd.DataFrame, doc: str) -> list[str]:
    mine = rows[rows["doc_id"] == f"{FOLDER}/{doc}"].sort_values("passage_index")
    return mine["text"].tolist()


def test_masked_speaker_labels_still_split_the_conversation(tmp_path: Path) -> None:
    rows, said = _ingest(tmp_path, "redacted.jsonl", "--redact")
    assert "2 documents split at speaker turns" in said
    irc = _passages(rows, "irc_ops.txt")
    # the threat alone, and the moderator (masked to a handle too) apart from it, told
    # apart by the placeholders' numbers
    assert irc[0] == (
        "[21:02] <[HANDLE-1]> if he shows up at the meetup again im going to smash his face in"
    )
    assert irc[1] == "[21:02] <[HANDLE-2]> that is a threat. you are muted for 24 hours"
    assert not [t for t in irc if "smash" in t and "muted" in t]
    # the same nick, the same number, as a label and in the text (@mod_lena)
    assert irc[3] == "[21:03] <[HANDLE-1]> whatever, ask [HANDLE-2] who started it"
    chat = _passages(rows, "support_chat.txt")
    assert chat[0] == "Support chat, exported 5 Dec 2026"  # the header: a turn of its own
    assert chat[1] == "[EMAIL-1]: my account was hacked and someone is posting as me"
    assert chat[2].startswith("[EMAIL-2]: sorry to hear that")
    assert chat[3].startswith("[EMAIL-1]: they wrote that they know where I live")
    assert len(chat) == 5
    assert not any("@" in t for t in rows["text"])


def test_the_passages_are_those_of_a_run_without_redact_masked(tmp_path: Path) -> None:
    """The conversations' passages, one for one, are those of a run without --redact,
    each masked: the turns do not move (these turns are short: a long one is cut inside
    it by the masked text's length, as a document without turns is); offsets index the
    masked document, whose SHA-256 each row carries, and each row's ``redaction`` counts
    the placeholders in its text."""
    plain, _ = _ingest(tmp_path, "plain.jsonl")
    redacted, _ = _ingest(tmp_path, "redacted.jsonl", "--redact")
    conversations = [f"{FOLDER}/irc_ops.txt", f"{FOLDER}/support_chat.txt"]
    plain = plain[plain["doc_id"].isin(conversations)]
    redacted = redacted[redacted["doc_id"].isin(conversations)]
    redactor = Redactor()
    # a passage masked alone numbers its placeholders from 1: compared without numbers
    plain_redactor = Redactor(RedactionSettings(numbered=False))
    assert len(plain) == len(redacted)
    for a, b in zip(
        plain.sort_values(["doc_id", "passage_index"]).itertuples(),
        redacted.sort_values(["doc_id", "passage_index"]).itertuples(),
        strict=True,
    ):
        assert (a.doc_id, a.passage_index) == (b.doc_id, b.passage_index)
        # the speakers ingest found on the document, masked wherever named (revision 7)
        whole = (tmp_path / b.doc_id).read_text(encoding="utf-8")
        labels = speaker_labels(t.speaker for t in find_turns(whole))
        assert re.sub(r"-\d+\]", "]", b.text) == plain_redactor.redact(a.text, labels=labels).text
        document = redactor.redact(whole, labels=labels).text
        assert document[b.start : b.end] == b.text
        assert b.document_sha256 == hashlib.sha256(document.encode("utf-8")).hexdigest()
        masked = json.loads(b.redaction)["masked_in_text"]
        assert masked["handle"] == b.text.count("[HANDLE-")
        assert masked["email"] == b.text.count("[EMAIL-")


def test_a_document_without_turns_is_split_as_its_masked_text(tmp_path: Path) -> None:
    """A document without turns: its masked text split as one text, as --redact did
    before turns were found on the unmasked text."""
    rows, _ = _ingest(tmp_path, "redacted.jsonl", "--redact")
    text = Redactor().redact((FIXTURES / "club_notice.txt").read_text(encoding="utf-8")).text
    expected = [text[s.start : s.end] for s in split_passages(text, turns=False)]
    assert _passages(rows, "club_notice.txt") == expected
    assert "[HANDLE-1]" in text and "[EMAIL-1]" in text


def test_turns_move_with_the_masking_and_never_cut_a_placeholder() -> None:
    """moved_turns: each turn starts where the masking moved its start; a start inside a
    masked span goes to the placeholder's start; a turn left empty is dropped."""
    from annotate.audit.redact import Match, Redaction
    from annotate.ingestion.turns import Turn, moved_turns

    text = "<@op> hi\n<@kev> yo\n"
    red = Redaction(
        text, "<[HANDLE]> hi\n<[HANDLE]> yo\n", [Match(1, 4, "handle"), Match(10, 14, "handle")]
    )
    turns = [Turn(0, 9, "op"), Turn(9, len(text), "kev")]
    moved = moved_turns(turns, red.map_start, len(red.text))
    assert [red.text[t.start : t.end] for t in moved] == ["<[HANDLE]> hi\n", "<[HANDLE]> yo\n"]
    # a start inside a masked span (a match across a line end) moves to its placeholder
    inside = Redaction("a 555\n1234 b\nc", "a [PHONE] b\nc", [Match(2, 10, "phone")])
    cut = moved_turns([Turn(0, 6, None), Turn(6, 14, "x")], inside.map_start, 13)
    assert [inside.text[t.start : t.end] for t in cut] == ["a ", "[PHONE] b\nc"]
    # a turn wholly inside one masked span is left empty, and dropped
    gone = moved_turns([Turn(0, 3, None), Turn(3, 5, "y"), Turn(5, 14, "z")], inside.map_start, 13)
    assert [(t.start, t.end, t.speaker) for t in gone] == [(0, 2, None), (2, 13, "z")]
    assert moved_turns([], red.map_start, 5) == []
