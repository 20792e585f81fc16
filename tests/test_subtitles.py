"""Where a subtitle file's cue texts are (annotate.ingestion.subtitles): the header, NOTE
and STYLE blocks, cue numbers and timing lines are no text."""

from __future__ import annotations

from itertools import pairwise

import pytest

from annotate.ingestion.subtitles import cue_texts, cue_turns, is_subtitles, markup_ranges
from annotate.ingestion.turns import Turn, find_turns

ZOOM = (
    "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nJane Doe: Can you hear me?\n\n"
    "2\n00:00:05.000 --> 00:00:07.000\nJohn Smith: Yes.\n\n"
    "3\n00:00:08.000 --> 00:00:09.000\nJane Doe: Good.\n"
)


def _texts(text: str) -> list[str]:
    return [text[a:b] for a, b in cue_texts(text)]


@pytest.mark.parametrize(
    "text, cues",
    [
        (ZOOM, ["Jane Doe: Can you hear me?", "John Smith: Yes.", "Jane Doe: Good."]),
        # SRT, Windows line ends, a cue of two lines
        (
            "1\r\n00:00:01,000 --> 00:00:04,000\r\nHello there\r\nsecond line\r\n\r\n"
            "2\r\n00:00:05,000 --> 00:00:07,000\r\nBye\r\n",
            ["Hello there\r\nsecond line", "Bye"],
        ),
        # WebVTT's header lines, a NOTE, a STYLE, a text identifier, cue settings, hours
        # left out, and cues whose blank line is missing
        (
            "WEBVTT - Meeting\nKind: captions\n\nNOTE written\nby hand\n\nSTYLE\n::cue {}\n\n"
            "intro\n00:01.000 --> 00:04.000 align:start\n<v Jane>Hi</v>\n"
            "00:05.000 --> 00:06.000\nno blank\n7\n00:07.000 --> 00:08.000\nlast",
            ["<v Jane>Hi</v>", "no blank", "last"],
        ),
    ],
)
def test_cue_texts(text: str, cues: list[str]) -> None:
    assert is_subtitles(text, ".txt")
    assert _texts(text) == cues


@pytest.mark.parametrize(
    "text",
    [
        "Just prose.\n\nMore prose.\n",
        "WEBVTT is the format of web captions.\n\nIt has cues.\n",  # prose naming it
        "Meeting at 10:00 - 11:00\n\n00:00:01.000 --> 00:00:02.000\nlater\n",
    ],
)
def test_prose_is_no_subtitle_file(text: str) -> None:
    assert not is_subtitles(text, ".txt")
    assert is_subtitles(text, ".vtt")  # its extension says it is


def test_a_cue_is_cut_where_a_turn_starts_in_it() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:04,000\nJane: are you there\nBob: yes\n\n"
        "2\n00:00:05,000 --> 00:00:07,000\nJane: ok\n\n"
        "3\n00:00:08,000 --> 00:00:09,000\nBob: bye\n"
    )
    pieces = cue_turns(cue_texts(text), find_turns(text))
    assert [(text[p.start : p.end], p.speaker) for p in pieces] == [
        ("Jane: are you there\n", "Jane"),
        ("Bob: yes", "Bob"),
        ("Jane: ok", "Jane"),
        ("Bob: bye", "Bob"),
    ]
    assert cue_turns([(0, 5)], []) == [Turn(0, 5, None)]


# project-written, in the form yt-dlp saves YouTube's automatic captions: each cue shows
# the last cue's line, then the new one with its words' timings; a 10 ms cue flashes the
# finished line alone between two
YOUTUBE = (
    "WEBVTT\nKind: captions\nLanguage: en\n\n"
    "00:00:00.160 --> 00:00:02.230 align:start position:0%\n \n"
    "hi<00:00:00.560><c> everyone</c><00:00:00.799><c> and</c><00:00:00.960><c> welcome</c>\n\n"
    "00:00:02.230 --> 00:00:02.240 align:start position:0%\nhi everyone and welcome\n \n\n"
    "00:00:02.240 --> 00:00:05.150 align:start position:0%\nhi everyone and welcome\n"
    "i<00:00:02.560><c> will</c><00:00:02.800><c> find</c><00:00:03.000><c> you</c>\n\n"
    "00:00:05.150 --> 00:00:05.160 align:start position:0%\ni will find you\n \n\n"
    "00:00:05.160 --> 00:00:07.000 align:start position:0%\ni will find you\n"
    "tonight<00:00:05.500><c> at</c><00:00:05.800><c> home</c>\n"
)


def test_rolling_captions_give_each_line_once() -> None:
    assert _texts(YOUTUBE) == [
        "hi<00:00:00.560><c> everyone</c><00:00:00.799><c> and</c><00:00:00.960><c> welcome</c>",
        "i<00:00:02.560><c> will</c><00:00:02.800><c> find</c><00:00:03.000><c> you</c>",
        "tonight<00:00:05.500><c> at</c><00:00:05.800><c> home</c>",
    ]


def test_a_cue_repeating_the_last_is_kept_unless_a_flash() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nAre you coming?\nNo.\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\nNo.\n\n"  # said twice, each shown a second
        "3\n00:00:03,000 --> 00:00:05,000\n<i>No.</i>\nStop it.\n"
    )
    # an ordinary SRT (no roll-up): cue 3 is kept whole, its repeated line too
    assert _texts(text) == ["Are you coming?\nNo.", "No.", "<i>No.</i>\nStop it."]


def test_an_ordinary_srt_repeating_a_line_is_not_trimmed() -> None:
    """break48b #10: a 2 s cue repeating the line before lost it (the roll-up rule)."""
    text = (
        "1\n00:00:01,000 --> 00:00:03,000\nI will kill you.\n\n"
        "2\n00:00:03,000 --> 00:00:05,000\nI will kill you.\n\n"
        "3\n00:00:05,000 --> 00:00:07,000\nI will kill you.\nAnd nobody will stop me.\n\n"
        "4\n00:00:07,000 --> 00:00:09,000\nGood morning.\n"
    )
    assert _texts(text) == [
        "I will kill you.",
        "I will kill you.",
        "I will kill you.\nAnd nobody will stop me.",
        "Good morning.",
    ]


def test_rolling_captions_without_word_timings_are_trimmed() -> None:
    """Roll-up captions saved without YouTube's word timings: most two-line cues open
    with the line before, so the file reads as rolling."""
    lines = ["hi everyone", "today we cook", "boil the water", "add the salt"]
    text = "WEBVTT\n\n" + "".join(
        f"00:00:0{i}.000 --> 00:00:0{i + 1}.000\n{a}\n{b}\n\n"
        for i, (a, b) in enumerate(pairwise(lines))
    )
    assert _texts("WEBVTT\n\n00:00:00.000 --> 00:00:00.900\nhi everyone\n\n" + text[8:]) == lines


def test_a_cue_holding_only_markup_is_no_passage() -> None:
    """break48b #6: '<i></i>' and '{\\an8}' cues were passages (an empty task)."""
    text = (
        "1\r\n00:00:01,000 --> 00:00:02,000\r\nHello.\r\n\r\n"
        "2\r\n00:00:02,000 --> 00:00:03,000\r\n<i></i>\r\n\r\n"
        "3\r\n00:00:03,000 --> 00:00:04,000\r\n{\\an8}\r\n\r\n"
        "4\r\n00:00:04,000 --> 00:00:05,000\r\n{\\an8}Bye.\r\n"
    )
    spans = cue_texts(text)
    assert [text[a:b] for a, b in spans] == ["Hello.", "{\\an8}Bye."]


def test_markup_ranges() -> None:
    text = '<v.loud Alice>I <i>will</i> {\\an8}<font color="red">find</font> you<00:01.500></v>'
    kept, at = [], 0
    for a, b in markup_ranges(text):
        kept.append(text[at:a])
        at = b
    assert "".join([*kept, text[at:]]) == "I will find you"
    assert markup_ranges("{\\i1\\b1}kill") == [(0, 8)]
    assert markup_ranges("a < b and c > d, <br> <cite>, TeX's {\\bf kill}") == []
