"""Detection revision 6 as amended after break12 M2: the author-like columns of Twitter
and chat exports (``from``, ``recipient``, ``in_reply_to_screen_name``, ``participants``
...), flattened objects' keys (``user.screen_name``) and the name in a nested author
object are masked whole under ``--redact``; revision 5 masks as it did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.audit.redact import RedactionSettings, Redactor, author_key
from annotate.ingestion import ingest

TWEET = {
    "user": {"name": "Bob Real", "screen_name": "bobreal", "id": 123},
    "from": "Bob Real",
    "owner": "Alice Real",
    "created_by": "carol_real",
    "in_reply_to_screen_name": "dave_real",
    "reply_to": "erin_real",
    "mentions": ["frank_real", "@gina_real"],
    "participants": ["Hank Real", "Ivy Real"],
    "user.screen_name": "flat_real",
    "author.name": "Judy Real",
    "recipient": "Bob Smith",
    "subreddit": "r/something",
    "lang": "en",
}
RAW = ("Real", "real", "Smith")


def test_author_like_columns_are_masked_whole() -> None:
    masked = json.loads(Redactor(RedactionSettings()).json_strings(json.dumps(TWEET)))
    dumped = json.dumps(masked)
    assert not any(raw in dumped for raw in RAW), dumped
    assert masked["from"] == masked["user"]["name"]  # one person, one number
    assert masked["user"]["id"] == 123 and masked["lang"] == "en"
    assert masked["subreddit"] == "r/something"


def test_revision_5_masks_as_it_did() -> None:
    old = Redactor(RedactionSettings(revision=5)).json_strings(json.dumps(TWEET))
    masked = json.loads(old)
    assert masked["from"] == "Bob Real" and masked["user.screen_name"] == "flat_real"
    assert masked["user"]["name"] == "Bob Real"
    assert masked["user"]["screen_name"].startswith("[HANDLE-")  # nested, as revision 5


@pytest.mark.parametrize(
    ("key", "is_author"),
    [
        ("recipient", True),
        ("In-Reply-To Screen Name", True),
        ("user.screen_name", True),
        ("author.name", True),
        ("profile.full_name", True),
        ("user.id", False),
        ("user.location", False),
        ("name", False),
        ("tags", False),
    ],
)
def test_which_keys_name_an_author(key: str, is_author: bool) -> None:
    assert author_key(key) is is_author
    assert author_key("recipient", revision=5) is False


def test_ingest_gives_them_pseudonyms_and_masks_them(tmp_path: Path) -> None:
    src = tmp_path / "tw.jsonl"
    src.write_text(json.dumps({"id": "t1", "text": "a post long enough.", **TWEET}) + "\n")
    out = tmp_path / "tw.r.jsonl"
    ingest([src], out, min_chars=0, near_dup_threshold=None, redact=RedactionSettings())
    row = json.loads(out.read_text().splitlines()[0])
    meta = row["meta"] if isinstance(row["meta"], str) else json.dumps(row["meta"])
    assert not any(raw in meta for raw in RAW), meta
    keys = json.loads(row["redaction"])["context_keys"]
    assert {"from", "recipient", "in_reply_to_screen_name", "user.screen_name"} <= set(keys)
