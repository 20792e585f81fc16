"""Subtitle cues keep their times (passM55 finding 9): ingest read no cue's time, so a
passage of a transcript could not say where in the video its line was said, and the
classifier joined a cue into a sentence with a cue minutes later (a condition into a
consequence said far away); a run of lines going on in lower case joined up to 17 cues.

Now each cue's passage holds its cue's start and end in seconds in ``meta``
(``cue_start``, ``cue_end``), the provenance line shows them as the file writes times,
export carries them in ``meta``, and cues further apart than ``MAX_GAP`` seconds, more
than ``MAX_CUES`` cues or ``MAX_SECONDS`` in all are not read as one sentence.

The files are written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.classifier import cue_sentences
from annotate.classifier.turn_text import predict_turns
from annotate.corpus.rows import meta_json
from annotate.ingestion import ingest, subtitles
from annotate.prelabeling import passage_input
from annotate.studio.tasks import provenance_line
from tests.test_cue_sentences import _Reads

# WebVTT with hours, speaker voice tags, cue settings after the end time, an identifier
VTT_HOURS = (
    "WEBVTT - livestream\n\n"
    "NOTE re-uploaded 04/12\n\n"
    "intro\n"
    "00:06:11.000 --> 00:06:14.500 align:start position:10%\n"
    "<v Shooter>If you go to the cops\n\n"
    "01:02:03.250 --> 01:02:05.000\n"
    "<v Shooter>I will find you.\n"
)
# WebVTT without hours (mm:ss.ttt), as YouTube and many tools write it
VTT_NO_HOURS = (
    "WEBVTT\n\n"
    "00:01.000 --> 00:03.000\n<v Mira Okafor>Welcome back to the show.\n\n"
    "12:30.125 --> 12:33.000\n<v Tom Reyes>Thanks for having me.\n"
)
SRT = (
    "1\n00:00:01,000 --> 00:00:02,500\nGood evening.\n\n"
    "2\n01:00:00,000 --> 01:00:04,040\nOur top story tonight.\n"
)


@pytest.mark.parametrize(
    ("line", "times"),
    [
        ("00:06:11.000 --> 00:06:14.500", (371.0, 374.5)),
        ("06:11.000 --> 06:14.500", (371.0, 374.5)),  # WebVTT: hours optional
        ("00:06:11,000 --> 00:06:14,500", (371.0, 374.5)),  # SRT's comma
        ("01:02:03.250 --> 01:02:05.000 align:start position:10%", (3723.25, 3725.0)),
        ("100:00:00.001 --> 100:00:00.002", (360000.001, 360000.002)),
        ("00:00:00.100 --> 00:00:00.300", (0.1, 0.3)),  # no float drift (0.30000000000000004)
    ],
)
def test_a_timing_line_is_read_in_seconds(line: str, times: tuple[float, float]) -> None:
    assert subtitles.cue_times(line) == times


def _ingested(tmp_path: Path, name: str, text: str) -> list[dict]:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = tmp_path / f"{name}.jsonl"
    ingest([src], out, min_chars=0, near_dup_threshold=None)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _times(rows: list[dict]) -> list[tuple[float, float]]:
    return [(json.loads(r["meta"])["cue_start"], json.loads(r["meta"])["cue_end"]) for r in rows]


@pytest.mark.parametrize(
    ("name", "text", "times"),
    [
        ("stream.vtt", VTT_HOURS, [(371.0, 374.5), (3723.25, 3725.0)]),
        ("podcast.vtt", VTT_NO_HOURS, [(1.0, 3.0), (750.125, 753.0)]),
        ("news.srt", SRT, [(1.0, 2.5), (3600.0, 3604.04)]),
        ("stream.txt", VTT_HOURS, [(371.0, 374.5), (3723.25, 3725.0)]),  # told by content
    ],
)
def test_each_cue_passage_keeps_its_cue_times(
    tmp_path: Path, name: str, text: str, times: list[tuple[float, float]]
) -> None:
    rows = _ingested(tmp_path, name, text)
    assert _times(rows) == times
    # the provenance line reviewers see says where in the video, as the file writes it
    start, end = times[-1]
    line = provenance_line(rows[-1])
    assert f"cue {_clock(start)}–{_clock(end)}" in line, line
    # ... after the characters, in the same brackets
    assert f"(characters {rows[-1]['start']}–{rows[-1]['end']}; cue " in line


def _clock(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def test_the_provenance_line_writes_the_file_times() -> None:
    row = {"doc_id": "a.vtt", "passage_index": 0, "start": 44, "end": 63}
    row["meta"] = json.dumps({"cue_start": 371.0, "cue_end": 3725.04})
    assert provenance_line(row).endswith("(characters 44–63; cue 00:06:11.000–01:02:05.040)")
    row["meta"] = json.dumps({"genre": "news"})  # no cue times: as before
    assert provenance_line(row).endswith("passage 0 (characters 44–63)")


def test_a_passage_that_is_no_cue_has_no_times(tmp_path: Path) -> None:
    rows = _ingested(tmp_path, "notes.txt", "Plain notes.\n\nNothing special here.\n")
    assert rows and {r["meta"] for r in rows} == {None}


def test_a_cue_split_at_a_speaker_keeps_its_cue_times(tmp_path: Path) -> None:
    """A Zoom transcript's cue holding two speakers' lines is two passages: each has the
    cue's times."""
    text = (
        "WEBVTT\n\n00:00:05.000 --> 00:00:09.000\nJane Doe: Can you hear me?\n"
        "Bob Roe: Yes, loud and clear.\n\n"
        "00:00:10.000 --> 00:00:12.000\nJane Doe: Good.\n"
    )
    rows = _ingested(tmp_path, "zoom.vtt", text)
    assert len(rows) == 3
    assert _times(rows) == [(5.0, 9.0), (5.0, 9.0), (10.0, 12.0)]


def test_the_redacted_handout_keeps_the_times() -> None:
    """``export --redact`` masks what its detectors find in ``meta``'s values, numbers
    read as digits too: the times (no personal data) stay, so a regulator holding only
    the hand-out can still say where in the video a line was said; the masked speaker
    name beside them does not."""
    from annotate.audit.redact import Redactor
    from annotate.audit.redact_export import redact_row

    meta = {"cue_end": 3725.04, "cue_start": 3723.25, "uploader": "jane.doe@example.org"}
    row = {"text": "If you go to the cops", "annotations": [], "spans": []}
    out = redact_row({**row, "meta": json.dumps(meta)}, Redactor())
    kept = json.loads(out["meta"])
    assert (kept["cue_start"], kept["cue_end"]) == (3723.25, 3725.04)
    assert "jane.doe" not in kept["uploader"]
    # ... and the corpus row's meta, JSON text, is what export writes (meta_json)
    assert json.loads(meta_json(meta)) == meta


def _srt(cues: list[tuple[float, float, str]]) -> str:
    def stamp(t: float) -> str:
        return _clock(t).replace(".", ",")  # SRT's comma

    return "".join(
        f"{n}\n{stamp(a)} --> {stamp(b)}\n{text}\n\n"
        for n, (a, b, text) in enumerate(cues, start=1)
    )


def _read(tmp_path: Path, cues: list[tuple[float, float, str]]) -> list[str]:
    """What the model reads of each cue of an .srt of ``cues``, as prelabel gives them
    (ingest's rows, their meta read)."""
    rows = _ingested(tmp_path, "film.srt", _srt(cues))
    clf = _Reads()
    predict_turns(clf, [passage_input(r) for r in rows])
    return clf.read[: len(rows)]


CONDITION = "I swear to God, Danny, if you go to the cops"
THREAT = "I will cut your throat"


def test_cues_seconds_apart_are_read_as_one_sentence(tmp_path: Path) -> None:
    """A slow speaker's pause (2 s) inside a sentence: still one sentence."""
    read = _read(tmp_path, [(1, 4, CONDITION), (6, 8, THREAT), (8.5, 9.5, "- Danny!")])
    assert read[:2] == [f"{CONDITION} {THREAT}"] * 2


def test_cues_minutes_apart_are_not_joined(tmp_path: Path) -> None:
    """The same cues with 4 minutes between them (a cut to another scene): each read
    alone. On HEAD before stop 55 (no times read) both read the joined sentence."""
    read = _read(tmp_path, [(1, 4, CONDITION), (244, 246, THREAT), (246.5, 247, "- Danny!")])
    assert read[:2] == [CONDITION, THREAT]


def test_a_silence_just_over_max_gap_ends_the_sentence(tmp_path: Path) -> None:
    gap = cue_sentences.MAX_GAP
    joined = _read(tmp_path, [(1, 4, CONDITION), (4 + gap, 6 + gap, THREAT), (9, 9.5, "- Hm!")])
    assert joined[0] == f"{CONDITION} {THREAT}"
    late = 4 + gap + 0.5
    apart = _read(tmp_path, [(1, 4, CONDITION), (late, late + 2, THREAT), (20, 21, "- Hm!")])
    assert apart[:2] == [CONDITION, THREAT]


def test_a_sound_cue_between_does_not_hide_the_silence(tmp_path: Path) -> None:
    """The silence is measured between the two cues of speech, a sound cue between them
    passed over as the sentence is."""
    cues = [(1, 4, CONDITION), (100, 101, "[door slams]"), (200, 202, THREAT), (203, 204, "- No!")]
    read = _read(tmp_path, cues)
    assert read[0] == CONDITION and read[2] == THREAT


LOWER_RUN = [
    "Listen to me, Danny,",
    *["and then we drove on" for _ in range(10)],
    "and I will slit your throat.",
]


def test_a_long_lower_case_run_is_read_cue_by_cue() -> None:
    """12 cues going on in lower case (each joined before stop 55: up to REACH + 1 = 17):
    more than MAX_CUES, read cue by cue. No times needed."""
    from tests.test_cue_sentences import passage_inputs

    assert len(LOWER_RUN) > cue_sentences.MAX_CUES
    assert len(" ".join(LOWER_RUN)) < cue_sentences.BUDGET
    rows = [
        {"id": str(i), "text": t, "doc_id": "film.srt", "passage_index": i}
        for i, t in enumerate(["Hi.", *LOWER_RUN, "Bye."])
    ]
    clf = _Reads()
    predict_turns(clf, passage_inputs(rows))
    assert clf.read[: len(rows)] == [r["text"] for r in rows]


def test_a_sentence_over_max_seconds_is_read_cue_by_cue(tmp_path: Path) -> None:
    """5 cues, each gap short, but 40 s from the first's start to the last's end."""
    texts = ["Listen to me, Danny,", "when this is over", "and the money is gone,"]
    texts += ["I will find you", "and slit your throat."]
    cues = [(0, 0.5, "Hi.")] + [(1 + 8 * i, 8 + 8 * i, t) for i, t in enumerate(texts)]
    cues.append((42, 43, "Bye."))
    assert cues[-2][1] - cues[1][0] > cue_sentences.MAX_SECONDS
    assert _read(tmp_path, cues) == [t for _, _, t in cues]
    # the same cues in 20 s: one sentence
    quick = [(0, 0.5, "Hi.")] + [(1 + 4 * i, 4 + 4 * i, t) for i, t in enumerate(texts)]
    quick.append((22, 23, "Bye."))
    assert _read(tmp_path, quick)[1:-1] == [" ".join(texts)] * len(texts)


# break14 findings 3 to 6


def test_cues_out_of_time_order_are_not_joined(tmp_path: Path, caplog) -> None:
    """break14 #3: a cue 10 minutes earlier than the cue before it (two files joined):
    the gap was negative, neither MAX_GAP nor MAX_SECONDS applied, and the two were read
    as one sentence. Ingest warns, once for the file."""
    with caplog.at_level("WARNING"):
        read = _read(tmp_path, [(600, 602, CONDITION), (1, 2, THREAT), (3, 4, "- Danny!")])
    assert read[:2] == [CONDITION, THREAT]
    said = [r.getMessage() for r in caplog.records if "start before the cue" in r.getMessage()]
    assert len(said) == 1 and "1 cue(s)" in said[0] and "cue 2" in said[0], said


def test_overlapping_cues_still_join(tmp_path: Path) -> None:
    """Overlapping cues (1-5 s, 3-6 s: a negative gap, no jump back) are one sentence."""
    read = _read(tmp_path, [(1, 5, CONDITION), (3, 6, THREAT), (7, 8, "- Danny!")])
    assert read[:2] == [f"{CONDITION} {THREAT}"] * 2


def test_the_span_is_measured_on_the_cues_times_in_any_order() -> None:
    """MAX_SECONDS is measured from the earliest start to the latest end."""
    from annotate.classifier.base import PassageInput

    cues = [(100.0, 101.0), (0.0, 1.0), (200.0, 201.0)]
    read = [
        PassageInput(id=str(i), text="x", doc_id="f.srt", passage_index=i, cue_start=a, cue_end=b)
        for i, (a, b) in enumerate(cues)
    ]
    at = {("f.srt", i): i for i in range(3)}
    sentence = cue_sentences._Sentence(at, read, [None] * 3, "f.srt", 1)
    assert sentence.span_seconds([0, 2]) == 201.0  # was 201 - 100 = 101 over cues 0..2 ends
    assert sentence.span_seconds([0, 1]) == 101.0  # was 1 - 100 = -99


@pytest.mark.parametrize(
    "meta",
    [
        {"cue_start": float("nan"), "cue_end": float("inf")},
        {"cue_start": -3, "cue_end": -1},
        {"cue_start": 5.0, "cue_end": 1.0},
    ],
)
def test_times_that_are_no_times_are_not_shown(meta: dict) -> None:
    """break14 #4: NaN or Infinity in a row's meta made push fail (ValueError in clock);
    negative times showed as "-1:59:57.000"."""
    row = {"doc_id": "a.jsonl", "passage_index": 0, "start": 0, "end": 5}
    line = provenance_line({**row, "meta": json.dumps(meta)})  # json writes NaN, Infinity
    assert line.endswith("passage 0 (characters 0–5)"), line
    assert cue_sentences.recorded_cue_times({"meta": meta}) == (None, None)


def test_ingest_writes_no_infinite_cue_times(tmp_path: Path) -> None:
    """break14 #4: a table row's cue_start NaN and cue_end 1e999 went into meta as is."""
    src = tmp_path / "rows.jsonl"
    src.write_text(
        '{"id":"a1","text":"I will find you and hurt you.","cue_start":NaN,"cue_end":1e999}\n'
        '{"id":"a2","text":"Second row here.","cue_start":1.5,"cue_end":2}\n',
        encoding="utf-8",
    )
    out = tmp_path / "rows_p.jsonl"
    ingest([src], out, min_chars=0, near_dup_threshold=None)
    text = out.read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    rows = [json.loads(line) for line in text.splitlines()]
    assert rows[0]["meta"] is None
    assert json.loads(rows[1]["meta"]) == {"cue_start": 1.5, "cue_end": 2}


def test_a_timing_line_with_long_hours_is_a_timing_line(tmp_path: Path) -> None:
    """break14 #5: WebVTT allows two or more hour digits; 1000 hours made the timing
    line passage text."""
    assert subtitles.cue_times("1000:00:03.000 --> 1000:00:04.000") == (3600003.0, 3600004.0)
    text = "WEBVTT\n\n1000:00:03.000 --> 1000:00:04.000\nI will cut your throat.\n"
    rows = _ingested(tmp_path, "hours.vtt", text)
    assert [r["text"] for r in rows] == ["I will cut your throat."]
    assert _times(rows) == [(3600003.0, 3600004.0)]


def test_a_cue_ending_before_it_starts_keeps_no_times(tmp_path: Path, caplog) -> None:
    """break14 #6: ``00:00:05.000 --> 00:00:01.000`` was recorded as is, and such a cue
    repeating the previous line of rolling captions was dropped as a flash. Now its text
    is kept, its times are not, and ingest warns once for the file with the count."""
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nGood evening.\n\n"
        "00:00:05.000 --> 00:00:01.000\nOur top story.\n\n"
        "00:00:09.000 --> 00:00:08.000\nMore later.\n"
    )
    with caplog.at_level("WARNING"):
        rows = _ingested(tmp_path, "rev.vtt", text)
    assert [r["text"] for r in rows] == ["Good evening.", "Our top story.", "More later."]
    assert json.loads(rows[0]["meta"])["cue_start"] == 1.0
    assert [r["meta"] for r in rows[1:]] == [None, None]
    said = [r.getMessage() for r in caplog.records if "end before they start" in r.getMessage()]
    assert len(said) == 1 and "2 cue(s)" in said[0] and "cue 2, 3" in said[0], said
    # a cue with reversed times that only repeats the line before is no flash
    assert (
        len(subtitles.timed_cues("00:01.000 --> 00:02.000\nA\n\n00:05.000 --> 00:01.000\nA\n")) == 2
    )
