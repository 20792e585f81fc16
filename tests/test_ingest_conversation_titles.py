"""A text file read as a conversation takes its file's name for its title (new-user pass
of stop 47, #8): the title was guessed from the first line, which in a chat is a
speaker's header (``kevin_r — Today at 10:02 PM``) or first message (``Mod: welcome to
the channel``), and Label Studio shows it above every passage of the document; with
``--redact`` it read ``[12:01] [EMAIL-1]: hi, user [HANDLE-1] ...``. A title from front
matter is kept, and an ordinary document's title is its first line or Markdown heading
as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.audit.redact import RedactionSettings
from annotate.ingestion import ingest

CHATS = {
    "discord.txt": "kevin_r — Today at 10:02 PM\nanyone seen the new policy\n\n"
    "mia — Today at 10:03 PM\nyes and it is bad\n",
    "mod.txt": "Mod: welcome to the channel, read the rules\nalice: hi all\n"
    "Mod: no slurs here\nalice: ok\n",
    "otter.txt": "Jane Doe  0:03\nCan you hear me?\n\nJohn Smith  0:05\nYes, loud and clear.\n",
    "stamped.txt": "[12:01] jane@example.com: hi, user @ravenclaw99 here\n"
    "[12:02] bob: hello jane\n[12:03] jane@example.com: ok\n",
}


def _titles(out: Path) -> dict[str, set[str | None]]:
    titles: dict[str, set[str | None]] = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        titles.setdefault(row["doc_id"], set()).add(row["title"])
    return titles


@pytest.mark.parametrize("redact", [None, RedactionSettings()])
def test_a_conversation_is_titled_by_its_file_name(
    tmp_path: Path, redact: RedactionSettings | None
) -> None:
    chats = tmp_path / "chats"
    chats.mkdir()
    for name, text in CHATS.items():
        (chats / name).write_text(text, encoding="utf-8")
    out = tmp_path / "p.jsonl"
    ingest([chats], out, min_chars=0, redact=redact)
    assert _titles(out) == {f"chats/{name}": {name} for name in CHATS}


def test_an_ordinary_document_keeps_its_first_line_or_heading(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Council votes on budget\n\nThe council met.\n", encoding="utf-8")
    (docs / "b.md").write_text("# Moderation policy\n\nNo threats.\n", encoding="utf-8")
    chat = "---\ntitle: Night shift log\n---\nalice: hi\nbob: hey\nalice: bye\n"
    (docs / "c.md").write_text(chat, encoding="utf-8")  # a conversation, titled by its author
    out = tmp_path / "p.jsonl"
    ingest([docs], out, min_chars=0)
    assert _titles(out) == {
        "docs/a.txt": {"Council votes on budget"},
        "docs/b.md": {"Moderation policy"},
        "docs/c.md": {"Night shift log"},
    }


def test_without_turns_the_first_line_stays_the_title(tmp_path: Path) -> None:
    """``--no-turns``: the file is not read as a conversation, and is titled as before."""
    chat = tmp_path / "mod.txt"
    chat.write_text(CHATS["mod.txt"], encoding="utf-8")
    out = tmp_path / "p.jsonl"
    ingest([chat], out, min_chars=0, turns=False)
    assert _titles(out) == {"mod.txt": {"Mod: welcome to the channel, read the rules"}}
