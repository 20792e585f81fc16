"""Label Studio's times compared as times: its REST framework writes ``isoformat()`` with
``Z``, and leaves the fraction of a second out when it is zero
(rest_framework/fields.py ``DateTimeField.to_representation``, in the installed server),
so ``...:00Z`` and ``...:00.250000Z`` stand side by side; a server in another
``TIME_ZONE`` writes an offset. As strings they sort wrong."""

from __future__ import annotations

from datetime import datetime, timezone

from annotate._util.server_time import earliest, server_time, time_order

WHOLE = "2026-12-03T10:00:00Z"  # a task made on the second
LATER = "2026-12-03T10:00:00.250000Z"  # a quarter of a second later
OFFSET = "2026-12-03T10:30:00+01:00"  # 09:30 UTC: the earliest


def test_the_server_formats_are_read_as_utc_times() -> None:
    assert server_time(WHOLE) == datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)
    assert server_time(LATER) == datetime(2026, 12, 3, 10, 0, 0, 250000, tzinfo=timezone.utc)
    assert server_time(OFFSET) == datetime(2026, 12, 3, 9, 30, tzinfo=timezone.utc)
    assert server_time("2026-12-03T10:00:00") == server_time(WHOLE)  # no offset: UTC
    assert server_time("2026-12-03 10:00:00.5+00:00") is not None
    for none in (None, "", "yesterday", "0001-01-01T00:00:00+01:00"):
        assert server_time(none) is None


def test_the_earliest_is_chosen_by_time_not_by_text() -> None:
    assert min(WHOLE, LATER) == LATER  # what comparing the text chose
    assert earliest([LATER, WHOLE]) == WHOLE
    assert earliest([LATER, WHOLE, OFFSET]) == OFFSET
    assert earliest(["no time", LATER]) == LATER and earliest([]) is None
    assert sorted([None, LATER, "x", OFFSET, WHOLE], key=time_order)[:3] == [
        OFFSET,
        WHOLE,
        LATER,
    ]
