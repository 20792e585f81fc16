"""What a compliance pass found kept in an ``export --redact`` hand-out (stop 56): person
names of private people, postal addresses, WebVTT speakers (voice tags and ``NAME:``
prefixes) and permalinks of posts, in the text and in ``source``/``meta``. Detection
revision 7 masks them (annotate.audit.redact_people); records made before read as the
revision they were made with and mask as they did."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from annotate.audit.redact import RedactionSettings, Redactor
from annotate.corpus.export import export
from tests.audit.fakes import FakeStudio, annotation, task
from tests.integration.helpers import choices

NAMES = "My neighbour John Whitaker said Mrs. Eleanor Price and Dr Ahmed Khan will pay."
ADDRESSES = (
    "Come to 221B Baker Street, London NW1 6XE or 1600 Pennsylvania Avenue NW, "
    "Washington, DC 20500. Also 42 Elm Road, Leeds LS6 2AB."
)
VOICE = "<v Maria Lopez>I know where you live.</v>"
PREFIXES = "MARIA LOPEZ: we will find you\nJohn Whitaker: see you at the depot"
LINKS = (
    "see https://twitter.com/jdoe77/status/1790000000000000000, reddit.com/user/throwaway_joe, "
    "https://www.reddit.com/r/london/comments/abc123/some_title/, https://facebook.com/"
    "john.whitaker.5, https://t.me/hatechannel/4521, https://www.youtube.com/@angryjoe, "
    "https://www.youtube.com/channel/UCabcdefghijk, https://youtu.be/dQw4w9WgXcQ"
)
PERMALINK = "https://www.reddit.com/r/london/comments/abc123/x/"
SECRETS = (
    "Whitaker", "Eleanor", "Ahmed Khan", "Baker Street", "NW1 6XE", "Pennsylvania",
    "20500", "Elm Road", "LS6 2AB", "Maria", "MARIA", "LOPEZ", "jdoe77", "throwaway_joe",
    "abc123", "hatechannel", "angryjoe", "UCabcdefghijk", "dQw4w9WgXcQ",
)  # fmt: skip


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


def test_person_names_are_masked(redactor: Redactor) -> None:
    out = redactor.redact(NAMES + " Whitaker knows.").text
    assert out == (
        "My neighbour [NAME-1] said Mrs. [NAME-2] and Dr [NAME-3] will pay. [NAME-4] knows."
    )


def test_postal_addresses_are_masked(redactor: Redactor) -> None:
    out = redactor.redact(ADDRESSES).text
    assert not [s for s in SECRETS if s in out], out
    assert out.startswith("Come to [ADDRESS-1] or [ADDRESS-2]")


def test_speakers_are_masked_and_roles_left(redactor: Redactor) -> None:
    assert redactor.redact(VOICE + " <v Host>hi</v>").text == (
        "<v [NAME-1]>I know where you live.</v> <v Host>hi</v>"
    )
    assert redactor.redact(PREFIXES + "\nNote: x\nPrice: 1,250 euros").text == (
        "[NAME-1]: we will find you\n[NAME-2]: see you at the depot\nNote: x\nPrice: 1,250 euros"
    )


@pytest.mark.parametrize(
    "text",
    [
        "The attack happened on 2026-11-30 and 12 people were hurt.",
        "We will burn 10 houses on Main Street tonight.",
        "Christian Democrats met in Baker Street. Mark my words.",
        "Read reddit.com/r/news and https://www.youtube.com/results?search_query=attack",
    ],
)
def test_what_is_not_personal_stays(redactor: Redactor, text: str) -> None:
    assert redactor.redact(text).text == text


def test_records_made_before_revision_7_mask_as_they_did() -> None:
    older = Redactor(RedactionSettings(revision=6))
    for text in (NAMES, ADDRESSES, VOICE, PREFIXES, PERMALINK):
        assert older.redact(text).text == text


def test_permalinks_are_masked(redactor: Redactor) -> None:
    out = redactor.redact(LINKS).text
    assert not [s for s in SECRETS if s in out], out
    assert "/" not in out.replace("[USER_URL-", "")  # every link masked whole


def _task(n: int, text: str, **data: object) -> dict[str, object]:
    made = task(
        200 + n,
        f"doc-{n}-p0",
        text,
        doc=f"doc-{n}",
        index=0,
        model_labels=["none"],
        annotations=[
            annotation(300 + n, 1, [choices("category", ["none"])], minute=1, lead_time=3)
        ],
    )
    made["data"].update(data)  # type: ignore[union-attr]
    return made


def test_a_redacted_export_keeps_none_of_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / ".annotate"))
    tasks = [
        _task(0, NAMES),
        _task(1, ADDRESSES),
        _task(2, VOICE),
        _task(3, PREFIXES),
        _task(
            4,
            LINKS,
            source="https://twitter.com/jdoe77/status/1790000000000000001",
            meta={"permalink": PERMALINK, "url": "t.me/hatechannel/4521"},
        ),
    ]
    out = tmp_path / "masked"
    export("p", out, client=FakeStudio(tasks), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    for path in (p for p in out.rglob("*") if p.is_file() and p.suffix != ".png"):
        content = path.read_bytes().decode("utf-8", errors="replace")
        left = [s for s in SECRETS if s in content]
        assert not left, f"{left} left in {path.relative_to(out)}"
    rows = pd.concat([pd.read_parquet(p) for p in (out / "parquet").glob("*.parquet")])
    voice = rows[rows["doc_id"] == "doc-2"].iloc[0]
    assert voice["text"] == "<v [NAME-1]>I know where you live.</v>"
    links = rows[rows["doc_id"] == "doc-4"].iloc[0]
    assert json.loads(links["meta"])["permalink"].startswith("[USER_URL-")
    redaction = json.loads((out / "manifest.json").read_text())["redaction"]
    assert redaction["detection_revision"] == 7
    assert redaction["masked_at_export"]["placeholders"]["text"]["name"] >= 6
    assert redaction["masked_at_export"]["placeholders"]["text"]["address"] >= 4
    assert set(redaction["library"]) >= {"faker", "pyap"}


def test_ingest_masks_a_subtitle_files_speakers(tmp_path: Path) -> None:
    from annotate.ingestion import ingest

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "talk.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n" + VOICE + "\n\n"
        "00:00:04.000 --> 00:00:08.000\n<v Maria Lopez>Meet me at 42 Elm Road.</v>\n",
        encoding="utf-8",
    )
    (folder / "call.srt").write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nMARIA LOPEZ: we will find you\n\n"
        "2\n00:00:04,000 --> 00:00:08,000\nJohn Whitaker: see you at the depot\n",
        encoding="utf-8",
    )
    out = tmp_path / "p.parquet"
    ingest([folder], out, redact=RedactionSettings())
    texts = " ".join(pd.read_parquet(out)["text"])
    assert "<v [NAME-1]>" in texts and "[ADDRESS-1]" in texts
    assert not [s for s in SECRETS if s in texts], texts


def test_ingest_masks_a_conversations_named_speakers(tmp_path: Path) -> None:
    """A chat export's speakers (``21:04 - Jane Roe: ...``: the turn reader's) are masked
    wherever the text names them, a name in no list too; roles and "You" are not."""
    from annotate.ingestion import ingest

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "WhatsApp Chat with Jane.txt").write_text(
        "12/05/26, 21:04 - Jane Roe: I will find you\n"
        "12/05/26, 21:05 - Siobhan Ni Bhriain: ask Jane Roe\n"
        "12/05/26, 21:06 - You: ok\n",
        encoding="utf-8",
    )
    out = tmp_path / "p.parquet"
    ingest([folder], out, redact=RedactionSettings(), min_chars=0)
    texts = " ".join(pd.read_parquet(out)["text"])
    assert "Jane" not in texts and "Siobhan" not in texts and "Roe" not in texts, texts
    assert "- [NAME-1]: I will find you" in texts and "ask [NAME-1]" in texts
    assert "- You: ok" in texts


def test_export_masks_a_chat_passages_named_speakers(redactor: Redactor) -> None:
    """export --redact of a passage ingested without --redact: its turns' speakers are
    found on the passage as ingest finds them, and masked where it names them."""
    from annotate.audit.redact_export import redact_row

    text = "12/05/26, 21:04 - Jane Roe: I will find you\n12/05/26, 21:05 - Bo Dee: ask Jane Roe\n"
    row = {"text": text, "title": None, "source": None, "annotations": [], "spans": []}
    out = redact_row(row, redactor)["text"]
    assert out == (
        "12/05/26, 21:04 - [NAME-1]: I will find you\n12/05/26, 21:05 - [NAME-2]: ask [NAME-1]\n"
    )
