"""An answer made through the API with a choice's display value (its title, "Graphic
violence") where Label Studio's UI stores the alias (``graphic_violence``) broke
agreement and export with "category 'Graphic violence' is not in labels.yaml. Fix:
declare a migration" (passJ L1): the title is labels.yaml's own for that category. Such
an answer is read as the category (and span label) so titled, when the title is one
label's only."""

from __future__ import annotations

import pytest

from annotate.errors import ExportError
from annotate.studio.pull import parse_result
from annotate.taxonomy import load_taxonomy
from tests.integration.helpers import choices, span

TAX = load_taxonomy()
TEXT = "He described the bodies in the street and said they deserve to die."


def test_category_and_span_titles_are_read_as_their_names() -> None:
    graphic = next(c for c in TAX.categories if c.name == "graphic_violence")
    first_span = TAX.spans[0]
    result = [
        choices("category", [graphic.title, "incitement"]),
        span(TEXT, "deserve to die", first_span.title),
    ]
    parsed = parse_result(result, TAX, TEXT, where="task 1")
    assert parsed["categories"] == [
        c for c in TAX.category_names if c in ("graphic_violence", "incitement")
    ]
    assert [s.label for s in parsed["spans"]] == [first_span.name]


def test_an_unknown_value_is_still_an_error() -> None:
    with pytest.raises(ExportError, match=r"category 'Gore' is not in labels\.yaml") as exc:
        parse_result([choices("category", ["Gore"])], TAX, TEXT, where="task 1")
    # a script's value first, then a former category's migration
    assert "an answer stores a category's name (the labeling config's `alias`" in str(exc.value)
    assert "graphic_violence" in str(exc.value) and "declare a migration" in str(exc.value)


def test_an_ambiguous_title_or_one_that_is_another_name_is_no_label() -> None:
    from annotate.studio.pull import titles_to_names

    pairs = [("a", "Shared"), ("b", "Shared"), ("c", "a"), ("d", "Own")]
    assert titles_to_names(pairs) == {"Own": "d"}
