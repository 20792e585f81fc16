"""Ingest's exact and near-copy deduplication keeps each subtitle cue's own place in its
file (stop 54, break8 M9): ``passage_index`` counted only the passages kept, so a cue
dropped as a copy of another file's (or of an earlier cue of its own file) renumbered
the cues after it (the provenance line's "passage N" was not the file's) and made the
cues either side of it neighbours, read as one sentence. A subtitle file's cues now keep
their places (a gap where a copy was dropped, read as a cue missing from the input);
other documents' passage_index still counts the passages kept.

The cues are written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.classifier import turn_text
from annotate.ingestion import ingest
from tests.classifier.test_cue_ellipsis import _Threat
from tests.test_cue_sentences import passage_inputs


def _srt(cues: list[str]) -> str:
    return "".join(
        f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},900\n{text}\n\n"
        for n, text in enumerate(cues, start=1)
    )


def test_cue_dedup_keeps_each_cues_place_in_its_file(tmp_path: Path) -> None:
    folder = tmp_path / "subs"
    folder.mkdir()
    (folder / "a.srt").write_text(_srt(["Yeah, yeah", "Fine."]), encoding="utf-8")
    film = ["Fine.", "Tell him I'll slit his throat", "Yeah, yeah", "see you at dinner."]
    (folder / "b.srt").write_text(_srt(film), encoding="utf-8")
    out = tmp_path / "p.jsonl"
    ingest([folder], out, min_chars=0)
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    mine = [r for r in rows if r["doc_id"] == "subs/b.srt"]
    # "Fine." and "Yeah, yeah" were dropped as copies of a.srt's: the others keep the
    # places the file gives them (the provenance line's "passage N")
    assert [(r["passage_index"], r["text"]) for r in mine] == [(1, film[1]), (3, film[3])]
    # ... and the cues either side of a dropped copy are not read as one sentence
    clf = _Threat()
    preds = turn_text.predict_turns(clf, passage_inputs(mine))
    assert clf.read[:2] == [film[1], film[3]]
    assert [p.labels for p in preds] == [["violent_threat"], ["none"]]


def test_cue_dedup_within_a_file_keeps_places_too(tmp_path: Path) -> None:
    path = tmp_path / "c.srt"
    path.write_text(_srt(["No.", "Run.", "No.", "Stop."]), encoding="utf-8")
    out = tmp_path / "p.jsonl"
    ingest([path], out, min_chars=0)
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    got = [(r["passage_index"], r["text"]) for r in rows]
    assert got == [(0, "No."), (1, "Run."), (3, "Stop.")]


def test_other_documents_still_count_kept_passages(tmp_path: Path) -> None:
    """Only subtitle files keep their places: another document's passage_index counts
    the passages kept (index neighbours are the nearest kept passages), as before."""
    (tmp_path / "a.txt").write_text("Same words here.\n\nOther words there.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Same words here.\n\nThird words.\n", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    ingest([tmp_path / "a.txt", tmp_path / "b.txt"], out, min_chars=0)
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    b = [(r["passage_index"], r["text"]) for r in rows if r["doc_id"].endswith("b.txt")]
    assert b == [(0, "Third words.")]


def test_near_copy_dropped_keeps_places_too(tmp_path: Path) -> None:
    folder = tmp_path / "subs"
    folder.mkdir()
    line = "we meet at the old harbour gate tonight after the last ferry leaves the dock"
    (folder / "a.srt").write_text(_srt([f"{line}."]), encoding="utf-8")
    film = ["Fine.", f"{line}!", "See you."]
    (folder / "b.srt").write_text(_srt(film), encoding="utf-8")
    out = tmp_path / "p.jsonl"
    ingest([folder], out, min_chars=0, drop_near_duplicates=True)
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    mine = [(r["passage_index"], r["text"]) for r in rows if r["doc_id"] == "subs/b.srt"]
    assert mine == [(0, "Fine."), (2, "See you.")]
