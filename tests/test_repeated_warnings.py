"""Per-row warnings: the first few logged, then one line with the count (FirstFew)."""

from __future__ import annotations

import logging

import pytest

from annotate._util.repeated import FirstFew


def test_first_few_logs_the_rest_at_info_and_sums_up_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = logging.getLogger("annotate.test")
    with caplog.at_level("INFO", logger="annotate"), FirstFew() as said:
        for n in range(10_000):
            said.warn(log, "rows like it", "row %d is odd", n)
        said.warn(log, "other rows", "row %d is other", 1)
    levels = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert levels[:3] == [("WARNING", f"row {n} is odd") for n in range(3)]
    assert ("INFO", "row 9999 is odd") in levels and ("WARNING", "row 1 is other") in levels
    assert [m for lv, m in levels if m.startswith("...")] == [
        "... and 9,997 more rows like it (10,000 in all; -v lists each)"
    ]
    said.close()  # once
    assert len([r for r in caplog.records if r.getMessage().startswith("...")]) == 1


def test_push_names_the_first_few_passages_found_twice_then_counts_the_rest(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from annotate.studio.push import _warn_others

    others = [("", [1, 2])] + [(f"p{i}", [10 + i, 100 + i]) for i in range(50)]
    with caplog.at_level("WARNING", logger="annotate"):
        _warn_others(others, "Batch Dec")
    said = [r.getMessage() for r in caplog.records]
    assert said[0].startswith("2 task(s) in 'Batch Dec' have no ")
    assert [m.split(" is in")[0] for m in said[1:4]] == [
        "passage 'p0'",
        "passage 'p1'",
        "passage 'p2'",
    ]
    assert said[4] == (
        "... and 47 more passages in 'Batch Dec' more than once, left alone (50 in all; -v "
        "lists each)"
    )
    # and once, what becomes of them: the push exits 0 (faults49 F7: it said only "left
    # alone", and a user could not tell whether someone had to clean them up)
    assert said[5:] == [
        "50 passage(s) are in 'Batch Dec' more than once, not all made by this push (another "
        "push importing at the same time, e.g. from another machine): that push removes its "
        "own copies when it ends, and the next `annotate push` into 'Batch Dec' removes those "
        "still there (keeping each passage's oldest task and every answered, skipped or "
        "drafted one)"
    ]
