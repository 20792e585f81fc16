"""A new review set's name close to an existing one's (a slip: `Batch Dec-3` beside `Batch
Dec-03`) is refused by a push unless --new-set; the next batch's name (other numbers) is
not. The push against the real Label Studio: tests/integration/test_review_set_name_typo.py."""

from __future__ import annotations

import pytest

from annotate.review.set_names import close_set_names

SETS = ["Batch Dec-03", "Batch Nov-03", "Batch Dec-04", "pilots", "Hate Dec-03"]


@pytest.mark.parametrize(
    ("name", "close"),
    [
        ("Batch Dec-3", ["Batch Dec-03"]),  # a number without its leading zero
        ("batch dec 03", ["Batch Dec-03"]),  # case, spaces and punctuation
        ("Bacth Dec-03", ["Batch Dec-03"]),  # two letters swapped
        ("pilot", ["pilots"]),
        ("Batch Dec-05", []),  # the next batch: other numbers
        ("Batch Jan-03", []),  # another month
        ("Spam Dec-03", []),  # another topic
        ("Batch Dec-03", []),  # the set itself (a push into it)
    ],
)
def test_close_set_names(name: str, close: list[str]) -> None:
    assert close_set_names(name, SETS) == close
