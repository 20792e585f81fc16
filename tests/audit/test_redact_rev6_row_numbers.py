"""Detection revision 6 as amended after break10 B6 (settings that leave user URLs as
written, their account ids as written too): a number masked in one field of a row (a
``phone`` column) is masked where the text writes it as an account id
(``/u/4155550123/``); a digit run first in a Telegram link's path is a phone number
(Telegram user names cannot be all digits); a number written percent-encoded in an
address (``?q=%2B1%20415%20555%200123``) is masked, with any settings. Revision 5 records
mask as they did. The texts are written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.audit.redact import KINDS, RedactionSettings, Redactor
from annotate.ingestion import ingest

NO_USER_URL = tuple(k for k in KINDS if k != "user_url")


def _redact(text: str, revision: int = 6, **fields: object) -> str:
    settings = RedactionSettings(revision=revision, **fields)  # type: ignore[arg-type]
    return Redactor(settings).redact(text).text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("ping me: https://t.me/2025550187", "ping me: https://t.me/[PHONE-1]"),
        ("https://telegram.me/2025550187/", "https://telegram.me/[PHONE-1]/"),
    ],
)
def test_a_digit_run_first_on_telegram_is_a_phone_number(text: str, masked: str) -> None:
    assert _redact(text, kinds=NO_USER_URL) == masked
    assert _redact(text, revision=5, kinds=NO_USER_URL) == masked  # as revision 5 did


def test_a_telegram_user_name_is_still_left_as_written() -> None:
    text = "https://t.me/harbour_watch and t.me/harbour_watch"
    assert _redact(text, kinds=NO_USER_URL) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "https://shop.example/find?q=%2B1%20202%20555%200187&lang=en",
            "https://shop.example/find?q=[PHONE-1]&lang=en",
        ),
        (
            "https://forum.example/profile.php?id=+1%20202%20555%200187",
            "https://forum.example/profile.php?id=[PHONE-1]",
        ),
        ("https://shop.example/c?tel=%28202%29%20555-0187", "https://shop.example/c?tel=[PHONE-1]"),
    ],
)
def test_a_percent_encoded_number_is_masked(text: str, masked: str) -> None:
    assert _redact(text, kinds=NO_USER_URL) == masked
    # the default settings too (a user URL, ?id=, masked whole)
    assert "555" not in _redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "https://shop.example/find?q=red%20shoes%2042",
        "https://shop.example/find?q=size%2010%20to%2012",
        "https://shop.example/a%20b/2025550187%20x",  # an id's digits, no separator in it
    ],
)
def test_encoded_text_that_is_no_number_is_left(text: str) -> None:
    assert _redact(text, kinds=NO_USER_URL) == text


def test_revision_5_leaves_an_encoded_number_as_it_did() -> None:
    text = "https://shop.example/find?q=%2B1%20202%20555%200187"
    assert _redact(text, revision=5) == text


def _ingest_row(tmp_path: Path, revision: int) -> dict:
    src = tmp_path / "rows.jsonl"
    row = {
        "id": "r1",
        "text": "Find me at https://forum.example/u/2025550187/about, any time.",
        "phone": "(202) 555-0187",
    }
    src.write_text(json.dumps(row) + "\n", encoding="utf-8")
    out = tmp_path / f"out{revision}.jsonl"
    settings = RedactionSettings(kinds=NO_USER_URL, revision=revision)
    ingest([src], out, min_chars=0, near_dup_threshold=None, redact=settings)
    return json.loads(out.read_text(encoding="utf-8").splitlines()[0])


@pytest.mark.parametrize("revision", [5, 6])
def test_a_number_masked_in_the_rows_meta_is_masked_in_its_text_url(
    tmp_path: Path, revision: int
) -> None:
    got = _ingest_row(tmp_path, revision)
    assert "2025550187" not in got["text"], got["text"]
    assert got["text"] == "Find me at https://forum.example/u/[PHONE-1]/about, any time."
    assert json.loads(got["meta"])["phone"] == "[PHONE-1]"


def test_an_account_id_no_field_gives_as_a_number_is_still_left(tmp_path: Path) -> None:
    src = tmp_path / "rows.jsonl"
    row = {"id": "r1", "text": "See https://forum.example/u/2025550187/about", "phone": "n/a"}
    src.write_text(json.dumps(row) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    ingest([src], out, min_chars=0, near_dup_threshold=None,
           redact=RedactionSettings(kinds=NO_USER_URL))  # fmt: skip
    got = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert got["text"] == row["text"]
