import datetime

import pytest

from annotate._util.coerce import opt_int, opt_str


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (float("nan"), None),
        ("", ""),
        (3, "3"),
        (datetime.date(2026, 1, 2), "2026-01-02"),
    ],
)
def test_opt_str(value, expected):
    assert opt_str(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(None, None), ("", None), ("7", 7), (7.0, 7), ("x", None)]
)
def test_opt_int(value, expected):
    assert opt_int(value) == expected
