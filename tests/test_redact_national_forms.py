"""`--redact` masks the national form of a number its document writes with ``+country``
(new-user pass of stop 47, #8/#9): in a chat export, a contact named ``+44 7700 900123``
was ``[PHONE-1]``, but ``Dave: reported. and 07700 900123 is blocked`` kept the number
(Ofcom's fictional 07700 900xxx is no valid number, so the national-format detector
skips it; a valid ``07911 123456`` was masked). Now the national form is the same
``[PHONE-1]``, at ingest and at export; a national number whose ``+country`` form the
document does not hold is masked when its length is possible in a configured region
whose trunk prefix is 0 (F7: tests/test_redact_possible_national.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.audit.redact import RedactionSettings, Redactor, national_forms
from annotate.audit.redact_export import iter_redacted
from annotate.ingestion import ingest

CHAT = (
    "12/05/26, 21:02 - +44 7700 900123: is this the right group\n"
    "12/05/26, 21:03 - Dave: reported. and 07700 900123 is blocked\n"
    "12/05/26, 21:04 - +44 7700 900123: why\n"
    "12/05/26, 21:05 - Dave: call 07911 123456\n"
)


def test_ingest_masks_the_national_form_as_the_international_one(tmp_path: Path) -> None:
    chats = tmp_path / "chats"
    chats.mkdir()
    (chats / "chat.txt").write_text(CHAT, encoding="utf-8")
    out = tmp_path / "p.jsonl"
    ingest([chats], out, min_chars=0, redact=RedactionSettings())
    texts = [json.loads(line)["text"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert texts == [
        "12/05/26, 21:02 - [PHONE-1]: is this the right group",
        # a named speaker (Dave) is masked too (detection revision 7, stop 56)
        "12/05/26, 21:03 - [NAME-1]: reported. and [PHONE-1] is blocked",
        "12/05/26, 21:04 - [PHONE-1]: why",
        "12/05/26, 21:05 - [NAME-1]: call [PHONE-2]",
    ]


def test_national_form_before_the_international_one_in_a_text() -> None:
    said = "ring 07700 900123 (or +44 7700 900123 abroad); not 07700 900456"
    # 07700 900456 alone: a possible GB number, masked too (F7, test_redact_possible_national)
    assert Redactor().redact(said).text == "ring [PHONE-1] (or [PHONE-1] abroad); not [PHONE-2]"
    # plain placeholders, and settings that mask only valid +country numbers: the
    # fictional number is masked in neither form
    plain = Redactor(RedactionSettings(numbered=False))
    assert plain.redact(said).text == "ring [PHONE] (or [PHONE] abroad); not [PHONE]"
    valid = Redactor(RedactionSettings(international_possible=False))
    assert valid.redact(said).text == said


def test_only_the_national_form_of_a_number_written_with_plus_country() -> None:
    text = "+1 415 555 0134 and (415) 555-0134, 415 555 0199; +44 7700 900123"
    found = {text[a:b]: e164 for a, b, e164 in national_forms(text, ["+14155550134"])}
    assert found == {"(415) 555-0134": "+14155550134"}
    assert national_forms(text, []) == []


def _row(doc: str, start: int, text: str) -> dict[str, Any]:
    return {
        "id": f"{doc}-{start}",
        "doc_id": doc,
        "start": start,
        "passage_index": start,
        "text": text,
        "title": None,
        "source": doc,
        "meta": None,
        "annotations": [],
        "spans": [],
    }


def test_export_masks_a_national_form_in_another_row_of_the_document() -> None:
    rows = [
        _row("chat.txt", 0, "Dave: reported. and 07700 900123 is blocked"),
        _row("chat.txt", 50, "+44 7700 900123: why"),
        _row("other.txt", 0, "07700 900123 again"),  # another document: its own numbering
    ]
    out = [r["text"] for r in iter_redacted(rows, Redactor())]
    assert out == [
        "[NAME-1]: reported. and [PHONE-1] is blocked",  # a named speaker (revision 7)
        "[PHONE-1]: why",
        "[PHONE-1] again",  # a possible GB number (F7), numbered in its own document
    ]
