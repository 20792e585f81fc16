"""Personal data split by subtitle markup (break3 B3, stop 49): found in the words a cue
reads as (the text reviewers are shown) and masked on the raw characters it covers, at
ingest and at export; the row's raw text never keeps what its shown text masks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from annotate.audit.redact import RedactionSettings, Redactor, redact_through_markup
from annotate.audit.redact_export import MaskTally, redact_row
from annotate.studio.shown_text import shown_text

HOST = "<v Host>Write to <i>jane.roe</i>@example.com or call <b>+44 20</b> 7946 0958 today.</v>"
GUEST = (
    "<v Guest>Follow me at twitter.com/<i>guest_handle</i> and @<b>guest2</b>, my files are "
    "in /home/<i>grover</i>/notes.</v>"
)
YOUTUBE = (
    "call<00:00:01.200><c> me</c><00:00:01.400><c> on</c><00:00:01.600><c> +44</c>"
    "<00:00:01.800><c> 20</c><00:00:02.000><c> 7946</c><00:00:02.200><c> 0958</c>"
    "<00:00:02.400><c> or</c><00:00:02.600><c> I</c><00:00:02.800><c> will</c>"
    "<00:00:03.000><c> kill</c><00:00:03.200><c> you</c>"
)
SECRETS = ("jane.roe", "7946", "0958", "guest_handle", "guest2", "grover")


def _redactor() -> Redactor:
    return Redactor()


def test_values_split_by_markup_are_masked_in_the_raw_text() -> None:
    red = _redactor()
    for raw in (HOST, GUEST, YOUTUBE):
        out = redact_through_markup(red, raw)
        assert not any(s in out.text for s in SECRETS), out.text
        # what reviewers would be shown of the masked text holds no value either
        assert not any(s in shown_text(out.text).shown for s in SECRETS)
    host = redact_through_markup(red, HOST).text
    assert "[EMAIL-1]" in host and "[PHONE-1]" in host and host.startswith("<v Host>")


def test_text_without_markup_is_redacted_as_before() -> None:
    red = _redactor()
    plain = "Write to jane.roe@example.com or call +44 20 7946 0958."
    assert redact_through_markup(red, plain).text == red.redact(plain).text


def test_export_masks_the_raw_text_where_the_shown_text_is_masked() -> None:
    red = _redactor()
    tally = MaskTally(red.settings.kinds)
    row = {
        "id": "p_1",
        "doc_id": "talk.vtt",
        "text": HOST,
        "shown_text": shown_text(HOST).shown,
        "title": None,
        "source": None,
        "input_file": "talk.vtt",
        "meta": None,
        "annotations": [],
        "spans": [],
    }
    out = redact_row(row, red, tally)
    assert not any(s in out["text"] for s in SECRETS), out["text"]
    assert not any(s in out["shown_text"] for s in SECRETS), out["shown_text"]
    counts = tally.record()["placeholders"]
    assert counts["text"]["email"] == 1 and counts["text"]["phone"] == 1
    assert counts["shown_text"]["email"] == 1  # the shown text's masks are counted too
    assert tally.masked_text_ids == ["p_1"]  # its ingest id is replaced by a pseudonym


def test_ingest_redact_masks_a_subtitle_files_split_values(tmp_path: Path) -> None:
    from annotate.ingestion import ingest

    folder = tmp_path / "in"
    folder.mkdir()
    cues = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n" + HOST + "\n\n"
    cues += "00:00:04.000 --> 00:00:08.000\n" + GUEST + "\n"
    (folder / "talk.vtt").write_text(cues, encoding="utf-8")
    out = tmp_path / "p.parquet"
    ingest([folder], out, redact=RedactionSettings())
    texts = " ".join(pd.read_parquet(out)["text"])
    assert "[EMAIL-1]" in texts
    assert not any(s in texts for s in SECRETS), texts
