"""`annotate ingest` reads subtitle files (new-user pass of stop 47, #10): a Zoom
recording's WebVTT transcript saved as ``zoom.vtt.txt`` gave a passage of only
``WEBVTT\\n\\n1\\n00:00:01.000 --> 00:00:04.000``, and each turn ended with the next cue's
number and timing; ``.vtt`` and ``.srt`` files were refused as unsupported. Now the
cues' texts are the passages, by extension or (in a ``.txt``) by a ``WEBVTT`` first line
or a first cue, and each passage is still ``text[start:end]`` of the file as read (its
``document_sha256`` the file's own)."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import pytest

from annotate.audit.redact import RedactionSettings
from annotate.errors import InputError
from annotate.ingestion import ingest
from tests.test_subtitles import YOUTUBE

VTT = (
    "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nJane Doe: Can you hear me?\n\n"
    "2\n00:00:05.000 --> 00:00:07.000\nJohn Smith: Yes. Mail me at john@example.org\n\n"
    "3\n00:00:08.000 --> 00:00:09.000\nJane Doe: Good.\n"
)
SRT = (
    "1\r\n00:00:01,000 --> 00:00:04,000\r\nWhere were you\r\nlast night?\r\n\r\n"
    "2\r\n00:00:05,000 --> 00:00:07,000\r\nNowhere.\r\n"
)
CUES = {
    "zoom.vtt": ["Jane Doe: Can you hear me?", "John Smith: Yes. Mail me at john@example.org",
                 "Jane Doe: Good."],
    "zoom.vtt.txt": ["Jane Doe: Can you hear me?",
                     "John Smith: Yes. Mail me at john@example.org", "Jane Doe: Good."],
    "film.srt": ["Where were you\r\nlast night?", "Nowhere."],
}  # fmt: skip
FILES = {"zoom.vtt": VTT, "zoom.vtt.txt": VTT, "film.srt": SRT}


def _rows(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_cue_texts_are_the_passages_at_their_offsets_in_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "subs"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    out = tmp_path / "p.jsonl"
    ingest([folder], out, min_chars=0, dedupe=False)  # the .vtt and .vtt.txt are alike
    rows = _rows(out)
    for name in FILES:
        mine = sorted((r for r in rows if r["doc_id"] == f"subs/{name}"), key=lambda r: r["start"])
        assert [r["text"] for r in mine] == CUES[name]
        raw = (folder / name).read_bytes()
        for r in mine:
            assert raw.decode("utf-8")[r["start"] : r["end"]] == r["text"]
            assert r["document_sha256"] == hashlib.sha256(raw).hexdigest()
            assert r["title"] == name  # not "WEBVTT" nor "1"


def test_a_named_subtitle_file_is_read_and_masked(tmp_path: Path) -> None:
    path = tmp_path / "zoom.vtt"
    path.write_text(VTT, encoding="utf-8")
    out = tmp_path / "p.jsonl"
    ingest([path], out, min_chars=0, redact=RedactionSettings())
    assert [r["text"] for r in _rows(out)] == [  # speakers' names masked (revision 7)
        "[NAME-1]: Can you hear me?",
        "[NAME-2]: Yes. Mail me at [EMAIL-1]",
        "[NAME-1]: Good.",
    ]


@pytest.mark.parametrize("turns", [True, False])
def test_a_turn_of_several_cues_leaves_their_timings_out(tmp_path: Path, turns: bool) -> None:
    path = tmp_path / "talk.vtt"
    path.write_text(
        "WEBVTT\n\n00:01.000 --> 00:04.000\nJane: first part\n\n"
        "00:04.000 --> 00:06.000\nJane: second part\n\n00:06.000 --> 00:08.000\nBob: ok\n",
        encoding="utf-8",
    )
    out = tmp_path / "p.jsonl"
    ingest([path], out, turns=turns)
    assert [r["text"] for r in _rows(out)] == ["Jane: first part", "Jane: second part", "Bob: ok"]


# project-written: a French film's subtitles saved as Latin-1 (cp1252 reads it alike);
# charset-normalizer ranks big5 first on it (each accented letter and the ASCII letter
# after it are one ideograph there), and the suggested --encoding big5 garbled it
LATIN1_SRT = ("1\r\n00:00:01,000 --> 00:00:03,000\r\nJ\u00e9r\u00f4me: \u00c7a va ?\r\n").encode(
    "latin-1"
)


def test_a_latin1_subtitle_file_is_named_cp1252_and_read_with_it(tmp_path: Path) -> None:
    path = tmp_path / "film.srt"
    path.write_bytes(LATIN1_SRT)
    with pytest.raises(InputError) as err:
        ingest([path], tmp_path / "p.jsonl")
    assert "looks like cp1252" in err.value.what and "big5" not in err.value.what
    assert "--encoding cp1252" in str(err.value.fix)
    out = tmp_path / "p.jsonl"
    ingest([path], out, min_chars=0, encoding="cp1252")
    [row] = _rows(out)
    assert row["text"] == "J\u00e9r\u00f4me: \u00c7a va ?"
    assert LATIN1_SRT.decode("cp1252")[row["start"] : row["end"]] == row["text"]


def test_rolling_captions_are_read_once_at_their_offsets(tmp_path: Path) -> None:
    path = tmp_path / "video.en.vtt"
    path.write_text(YOUTUBE, encoding="utf-8")
    out = tmp_path / "p.jsonl"
    ingest([path], out, min_chars=0)
    rows = _rows(out)
    assert [r["text"].split("<")[0] for r in rows] == ["hi", "i", "tonight"]
    for r in rows:
        assert YOUTUBE[r["start"] : r["end"]] == r["text"]


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("note.vtt", "This is just a plain note.\nI will come.\n\nAnother one.\n", True),
        ("film.srt", "Just prose, no cue.\n", True),
        ("ok.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello.\n", False),
    ],
)
def test_a_subtitle_file_with_no_cue_is_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, text: str, said: bool
) -> None:
    """break48b #7: a .vtt holding plain text (no WEBVTT line, no cue) was read silently."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        ingest([path], tmp_path / "p.jsonl", min_chars=0)
    warned = [r.getMessage() for r in caplog.records if "no cue" in r.getMessage()]
    assert bool(warned) is said
    if said:
        assert name in warned[0] and "rename it .txt" in warned[0]
