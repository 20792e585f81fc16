"""`--redact` leftovers (break helper's #8 and the redaction notes of stop 46):

- a chat speaker named by a phone number that ``phonenumbers`` calls invalid (Ofcom's
  fictional ``+44 7700 900123``, an unassigned country code) stayed unmasked although the
  turn reader had read it as a speaker: a speaker that is a number is masked wherever it
  occurs, and a ``+country`` number of a possible length is masked valid or not;
- a title was masked before its control characters were removed (the text after): an
  address split by a NUL was no address to the detector, then joined;
- speakers masked to one placeholder could not be told apart (``alice@...:`` and
  ``bob@...:`` both ``[EMAIL]:``): placeholders are numbered per document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.audit.redact import RedactionSettings, Redactor
from annotate.audit.redact_export import iter_redacted
from annotate.ingestion import ingest


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_possible_international_number_is_masked_though_not_valid() -> None:
    said = "call +44 7700 900123 or +44 20 7946 0958"
    assert Redactor().redact(said).text == "call [PHONE-1] or [PHONE-2]"
    # as before (records made before the rule): only the valid one
    before = Redactor(RedactionSettings(international_possible=False, numbered=False))
    assert before.redact(said).text == "call +44 7700 900123 or [PHONE]"


def test_a_speaker_that_is_a_number_is_masked_wherever_it_occurs(tmp_path: Path) -> None:
    chats = tmp_path / "chats"
    chats.mkdir()
    (chats / "wa.txt").write_text(
        "12/05/26, 21:02 - +999 123 4567: leave him alone\n"
        "12/05/26, 21:04 - +44 7700 900123: or what\n"
        "12/05/26, 21:05 - +999 123 4567: you heard me. save +999 123 4567\n",
        encoding="utf-8",
    )
    out = tmp_path / "p.jsonl"
    ingest([chats], out, min_chars=0, redact=RedactionSettings())
    rows = _rows(out)
    assert [r["text"] for r in rows] == [
        "12/05/26, 21:02 - [PHONE-1]: leave him alone",
        "12/05/26, 21:04 - [PHONE-2]: or what",
        "12/05/26, 21:05 - [PHONE-1]: you heard me. save [PHONE-1]",
    ]
    assert "4567" not in out.read_text() and "7700" not in out.read_text()
    assert rows[0]["title"] == "wa.txt"  # a conversation's: its file's name, no turn


def test_speakers_masked_alike_are_told_apart_within_a_document(tmp_path: Path) -> None:
    chats = tmp_path / "chats"
    chats.mkdir()
    (chats / "support.txt").write_text(
        "alice@example.org: someone posts as me\n"
        "bob@example.org: we locked it\n"
        "Alice@Example.org: thanks bob@example.org\n",
        encoding="utf-8",
    )
    (chats / "other.txt").write_text(
        "bob@example.org: hi\ncarol@example.org: hello\n", encoding="utf-8"
    )
    out = tmp_path / "p.jsonl"
    ingest([chats], out, min_chars=0, redact=RedactionSettings())
    texts = {(r["doc_id"], r["passage_index"]): r["text"] for r in _rows(out)}
    assert texts[("chats/support.txt", 0)] == "[EMAIL-1]: someone posts as me"
    assert texts[("chats/support.txt", 1)] == "[EMAIL-2]: we locked it"
    assert texts[("chats/support.txt", 2)] == "[EMAIL-1]: thanks [EMAIL-2]"  # any case
    # numbers start again in each document: they link nothing across documents
    assert texts[("chats/other.txt", 0)] == "[EMAIL-1]: hi"
    redaction = json.loads(_rows(out)[0]["redaction"])
    assert redaction["placeholders"]["email"] == "[EMAIL-n]"
    assert redaction["phone_international"] == "possible"


def test_a_title_is_masked_after_its_control_characters_are_removed(tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    row = {"id": "a", "title": "from jane\u0000.roe@example.org", "text": "A post, no data."}
    src.write_text(json.dumps(row) + "\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    ingest([src], out, min_chars=0, redact=RedactionSettings())
    (got,) = _rows(out)
    assert got["title"] == "from [EMAIL-1]"
    assert "jane" not in out.read_text()


def _row(doc: str, start: int, text: str) -> dict[str, Any]:
    return {
        "id": f"{doc}-{start}",
        "doc_id": doc,
        "start": start,
        "passage_index": start,
        "text": text,
        "title": None,
        "source": None,
        "annotations": [{"spans": [], "comment": "about bob@example.org"}],
        "spans": [],
    }


def test_export_numbers_a_documents_placeholders_across_its_rows() -> None:
    """export --redact masks a row at a time: a document's rows are numbered together,
    in document order whatever the rows' order (a row's own numbering gave alice and bob
    both [EMAIL-1], in two rows of one chat)."""
    rows = [
        _row("d", 50, "bob@example.org: hi"),
        _row("d", 0, "alice@example.org: hello"),
        _row("e", 0, "bob@example.org: yo"),
    ]
    out = list(iter_redacted(rows, Redactor()))
    assert [r["text"] for r in out] == ["[EMAIL-2]: hi", "[EMAIL-1]: hello", "[EMAIL-1]: yo"]
    # bob is d's [EMAIL-2] in its comments too, e's [EMAIL-1]
    comments = [r["annotations"][0]["comment"] for r in out]
    assert comments == ["about [EMAIL-2]", "about [EMAIL-2]", "about [EMAIL-1]"]
    plain = list(iter_redacted(rows, Redactor(RedactionSettings(numbered=False))))
    assert [r["text"] for r in plain] == ["[EMAIL]: hi", "[EMAIL]: hello", "[EMAIL]: yo"]


def test_a_record_made_before_reads_as_it_was_masked() -> None:
    """verify --sources masks again with the settings an ingest run recorded: a record
    made before numbered placeholders and possible numbers reads without them."""
    old = {"kinds": ["email", "phone"], "placeholders": {"email": "[EMAIL]", "phone": "[PHONE]"}}
    settings = RedactionSettings.from_record({**old, "phone_regions": ["GB"]})
    assert (settings.numbered, settings.international_possible) == (False, False)
    now = RedactionSettings.from_record(RedactionSettings().record())
    assert now == RedactionSettings()


def test_export_numbers_new_values_after_those_masked_at_ingest() -> None:
    """A passage masked at ingest holds [EMAIL-1] and [EMAIL-2]: an address export finds
    in a reviewer's comment is numbered after them, not claimed to be the speaker
    [EMAIL-1] (export's own numbering started at 1 again)."""
    rows = [
        {**_row("d", 0, "[EMAIL-1]: you will pay"), "annotations": []},
        _row("d", 30, "[EMAIL-2]: reported"),
    ]
    rows[1]["annotations"][0]["comment"] = "sent by carol@example.org, cc bob@example.org"
    out = list(iter_redacted(rows, Redactor()))
    assert [r["text"] for r in out] == ["[EMAIL-1]: you will pay", "[EMAIL-2]: reported"]
    assert out[1]["annotations"][0]["comment"] == "sent by [EMAIL-3], cc [EMAIL-4]"


def test_new_numbers_follow_placeholders_already_in_the_text(tmp_path: Path) -> None:
    """Stop 46's break helper: a document that already held ``[EMAIL-1]`` and
    ``[HANDLE-1]`` (a masked copy read again) gave a new address and handle the same
    numbers, two people shown as one."""
    said = (
        'Forwarded: "[EMAIL-1] said it". Now bob.k@example.com says it of [HANDLE-1] and @realuser.'
    )
    want = 'Forwarded: "[EMAIL-1] said it". Now [EMAIL-2] says it of [HANDLE-1] and [HANDLE-2].'
    assert Redactor().redact(said).text == want
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "fwd.txt").write_text(said + "\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    ingest([docs], out, min_chars=0, redact=RedactionSettings())
    assert [r["text"] for r in _rows(out)] == [want]


def test_a_comment_naming_the_texts_values_keeps_their_numbers_when_export_masks_it() -> None:
    """Stop 46's new-user pass (#13), the README's rule: a value of a text export masks
    keeps its number in a comment, whatever order or form the comment names it in. (A
    text masked at ingest holds only placeholders: a comment's value is numbered after
    them, the test above.)"""
    text = "[12:01] jane.roe@example.com: call agent.kim@example.org on +44 20 7946 0958"
    row = _row("chat", 0, text)
    row["annotations"][0]["comment"] = "Agent.Kim@example.org, jane.roe@example.com, 020 7946 0958"
    (out,) = iter_redacted([row], Redactor())
    assert out["text"] == "[12:01] [EMAIL-1]: call [EMAIL-2] on [PHONE-1]"
    assert out["annotations"][0]["comment"] == "[EMAIL-2], [EMAIL-1], [PHONE-1]"
