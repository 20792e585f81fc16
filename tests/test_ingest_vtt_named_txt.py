"""A WebVTT transcript saved as .txt: ingest reads it as subtitles by its content, but
`ingest --redact` masked it as plain text, so an address split by markup
(``jo<i>hn@exam</i>ple.com``) stayed. Ingest now masks it as a subtitle file and records
it as one in its passages' meta, which prelabel and push read
(tests/test_subtitles_by_content.py; it warned to rename it .vtt before they did); a
plain .txt is untouched."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from annotate.audit.redact import RedactionSettings
from annotate.classifier.cue_sentences import META_KEY
from annotate.ingestion import ingest

VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Alice>I know where you live,\n\n"
    "00:00:04.000 --> 00:00:07.000\n<v Alice>mail me at jo<i>hn@exam</i>ple.com tonight.\n"
)


def _texts(out: Path) -> list[str]:
    return [json.loads(line)["text"] for line in out.read_text().splitlines()]


def test_a_webvtt_txt_is_recorded_and_masked_as_subtitles(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    talk = docs / "talk.txt"
    talk.write_text(VTT, encoding="utf-8")
    (docs / "zoom.vtt.txt").write_text(VTT, encoding="utf-8")  # named so
    (docs / "film.vtt").write_text(VTT, encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text("Plain notes.\n\nNothing <i>special</i> here, just text.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="annotate"):
        ingest([docs], tmp_path / "out.jsonl", near_dup_threshold=None, dedupe=False)
    assert not [r for r in caplog.records if "holds subtitles" in r.getMessage()]
    metas = {
        row["doc_id"]: row["meta"]
        for row in map(json.loads, (tmp_path / "out.jsonl").read_text().splitlines())
    }
    # the last cue's times (each passage's cue's, since stop 55) beside the record
    times = {"cue_end": 7.0, "cue_start": 4.0}
    assert metas == {
        "docs/film.vtt": json.dumps(times),
        "docs/talk.txt": json.dumps({**times, META_KEY: True}),
        "docs/zoom.vtt.txt": json.dumps(times),  # told by its name: no record
    }

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="annotate"):
        ingest([plain], tmp_path / "plain.jsonl", near_dup_threshold=None)
    assert not [r for r in caplog.records if "holds subtitles" in r.getMessage()]
    assert _texts(tmp_path / "plain.jsonl") == [plain.read_text().strip()]  # untouched

    out = tmp_path / "masked.jsonl"
    ingest([talk], out, near_dup_threshold=None, redact=RedactionSettings())
    texts = _texts(out)
    # the voice tag's speaker is a name (detection revision 7): masked, the tag kept
    assert texts[0] == "<v [NAME-1]>I know where you live,", texts
    assert "hn@exam" not in texts[1] and "[EMAIL-1]" in texts[1], texts
    # the record survives the masking of meta (a bool: no value to mask), and each cue's
    # times (added after the masking: numbers no detector reads) beside it
    metas = [json.loads(json.loads(line)["meta"]) for line in out.read_text().splitlines()]
    assert {m.pop(META_KEY) for m in metas} == {True}
    assert [m["cue_start"] for m in metas] == [1.0, 4.0]
