"""A span kept on a passage hidden behind its content warning is saved by Label Studio
with ``text: ''`` (offsets kept): it is read from its offsets without a warning, and no
warning about a span's text quotes the passage (passC50 R3: every later command printed
the gore text of a hidden passage, 4 to 8 times, on the lead's terminal). No server."""

from __future__ import annotations

import logging

import pytest

from annotate.studio.pull import span_offsets

GORE = "The driver's body had been torn open by the steering column, his intestines spilling"


def test_an_empty_region_text_is_read_from_the_offsets_without_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="annotate"):
        got = span_offsets({"start": 0, "end": 40, "text": ""}, GORE, where="task 1")
    assert got == (0, 40)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_region_text_that_differs_is_warned_by_ids_without_the_passage(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="annotate"):
        got = span_offsets({"start": 4, "end": 30, "text": "steering"}, GORE, where="task 1")
    assert got == (4, 30)
    [record] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    message = record.getMessage()
    assert "task 1" in message and "4-30" in message
    assert "driver" not in message and "steering" not in message
