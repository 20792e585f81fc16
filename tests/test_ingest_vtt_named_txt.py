"""A WebVTT transcript saved as .txt: ingest reads it as subtitles by its content, but
the cue logic downstream (prelabel's cue sentences, push's text shown without markup)
goes by the file's name, so its cues were scored one by one and shown to reviewers with
their markup, without a word; and `ingest --redact` masked it as plain text, so an
address split by markup (``jo<i>hn@exam</i>ple.com``) stayed. Ingest now masks it as a
subtitle file and warns, naming the fix (rename it .vtt); a plain .txt is untouched."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from annotate.audit.redact import RedactionSettings
from annotate.ingestion import ingest

VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Alice>I know where you live,\n\n"
    "00:00:04.000 --> 00:00:07.000\n<v Alice>mail me at jo<i>hn@exam</i>ple.com tonight.\n"
)


def _texts(out: Path) -> list[str]:
    return [json.loads(line)["text"] for line in out.read_text().splitlines()]


def test_a_webvtt_txt_is_warned_of_and_masked_as_subtitles(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    talk = docs / "talk.txt"
    talk.write_text(VTT, encoding="utf-8")
    (docs / "zoom.vtt.txt").write_text(VTT, encoding="utf-8")  # named so: no warning
    (docs / "film.vtt").write_text(VTT, encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text("Plain notes.\n\nNothing <i>special</i> here, just text.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="annotate"):
        ingest([docs], tmp_path / "out.jsonl", near_dup_threshold=None, dedupe=False)
    warned = [r.getMessage() for r in caplog.records if "holds subtitles" in r.getMessage()]
    assert len(warned) == 1, warned
    assert warned[0].startswith(f"{talk}: holds subtitles (WebVTT) though its name does not")
    assert "reviewers are shown their markup" in warned[0]
    assert f"Fix: rename it .vtt (e.g. mv {talk} {docs / 'talk.vtt'})" in warned[0]

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="annotate"):
        ingest([plain], tmp_path / "plain.jsonl", near_dup_threshold=None)
    assert not [r for r in caplog.records if "holds subtitles" in r.getMessage()]
    assert _texts(tmp_path / "plain.jsonl") == [plain.read_text().strip()]  # untouched

    out = tmp_path / "masked.jsonl"
    ingest([talk], out, near_dup_threshold=None, redact=RedactionSettings())
    texts = _texts(out)
    assert texts[0] == "<v Alice>I know where you live,", texts
    assert "hn@exam" not in texts[1] and "[EMAIL-1]" in texts[1], texts
