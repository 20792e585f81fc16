"""The server's reason for a refused request, as one line (annotate.studio.client._detail)."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.studio.client import _detail


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {
                "detail": "Validation error",
                "validation_errors": {"title": ["Ensure this field has at least 3 characters."]},
            },
            "Validation error; title: Ensure this field has at least 3 characters.",
        ),
        (
            {"validation_errors": {"label_config": ["a", "b"], "title": "x"}},
            "label_config: a b; title: x",
        ),
        ({"detail": "Not found."}, "Not found."),
        ({"message": "bad\n  thing"}, "bad thing"),
        ({"other": 1}, '{"other": 1}'),
        ("plain\ntext", "plain text"),
    ],
)
def test_detail(body: Any, expected: str) -> None:
    assert _detail(body) == expected
