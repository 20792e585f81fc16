"""An answer in a control annotate's labeling config does not have (a project made by
hand, or whose config was edited in Label Studio) is an export error, not a reviewed
passage with no label."""

from __future__ import annotations

import pytest

from annotate.errors import ExportError
from annotate.review.view import reveal_result
from annotate.studio.pull import parse_result
from annotate.taxonomy import load_taxonomy
from tests.integration.helpers import choices

TAX = load_taxonomy()
TEXT = "They deserve to die, every last one of them."


def test_an_answer_in_a_foreign_control_is_one_clear_error() -> None:
    with pytest.raises(ExportError, match="task 7: the answer uses control 'sentiment'") as exc:
        parse_result([choices("sentiment", ["pos"])], TAX, TEXT, where="task 7")
    assert "\n" not in str(exc.value) and "Label Studio's own Export" in str(exc.value)


def test_annotates_own_controls_and_the_reveal_tick_are_read() -> None:
    result = [
        choices("category", ["incitement"]),
        choices("severity", ["high"]),
        reveal_result(TAX),
    ]
    parsed = parse_result(result, TAX, TEXT, where="task 7")
    assert parsed["categories"] == ["incitement"] and parsed["severity"] == "high"
