"""The labeling view names its parts and lets right-to-left text read in its direction
(no server; the browser side is tests/integration/test_browser_layout.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from annotate.review.view import REVEAL
from annotate.studio.label_config import (
    BIDI_STYLE,
    CONTEXT_AFTER_HEADER,
    CONTEXT_BEFORE_HEADER,
    PASSAGE_HEADER,
    parse_label_config,
)
from annotate.taxonomy import load_taxonomy

TAX = load_taxonomy()


def _order(root: ET.Element) -> list[str]:
    """Headers (by their words) and objects/controls (by name), in document order."""
    return [el.get("value") if el.tag == "Header" else el.get("name") or "" for el in root.iter()]


def test_context_and_the_passage_to_label_are_each_named_in_the_page() -> None:
    root = ET.fromstring(TAX.render_label_config())
    order = _order(root)
    passage = TAX.interface.passage
    for header in (CONTEXT_BEFORE_HEADER, PASSAGE_HEADER, CONTEXT_AFTER_HEADER):
        assert order.count(header) == 1, header
    # each header right above what it names (the span labels belong to the passage)
    assert order.index(CONTEXT_BEFORE_HEADER) + 1 == order.index("context_before")
    assert order.index(CONTEXT_AFTER_HEADER) + 1 == order.index("context_after")
    assert order.index("context_before") < order.index(PASSAGE_HEADER)
    assert order.index(PASSAGE_HEADER) + 1 == order.index(TAX.interface.spans)
    assert order.index(PASSAGE_HEADER) < order.index(passage) < order.index(CONTEXT_AFTER_HEADER)
    assert "not to label" in CONTEXT_BEFORE_HEADER and "not to label" in CONTEXT_AFTER_HEADER
    # inside the view the reveal tick opens: a hidden passage shows none of them
    hidden = next(v for v in root.iter("View") if v.get("whenTagName") == REVEAL)
    inside = _order(hidden)
    assert {CONTEXT_BEFORE_HEADER, PASSAGE_HEADER, CONTEXT_AFTER_HEADER} <= set(inside)
    # a context header is text, no control: nothing for a reviewer to answer or a
    # prediction to target, and the task needs no new field
    parsed = parse_label_config(TAX.render_label_config())
    assert parsed.data_fields == parse_label_config(_without_headers(root)).data_fields
    assert set(parsed.controls) == {
        REVEAL,
        TAX.interface.spans,
        TAX.interface.categories,
        TAX.interface.severity,
        TAX.interface.comment,
    }


def _without_headers(root: ET.Element) -> str:
    copy = ET.fromstring(ET.tostring(root))
    for parent in copy.iter():
        for child in [
            c for c in parent if c.tag == "Header" and not c.get("value", "").startswith("$")
        ]:
            parent.remove(child)
    return ET.tostring(copy, encoding="unicode")


def test_each_line_of_text_takes_the_direction_of_its_first_letter() -> None:
    root = ET.fromstring(TAX.render_label_config())
    styles = [el.text or "" for el in root.iter("Style")]
    # one Style element: the direction rule first (the thread view's empty-bar rule after it)
    assert len(styles) == 1 and styles[0].startswith(BIDI_STYLE), styles
    assert "unicode-bidi: plaintext" in BIDI_STYLE and ".lsf-richtext__line" in BIDI_STYLE


def test_a_hidden_passage_must_be_revealed_before_its_answer_is_submitted() -> None:
    """Label Studio refuses Submit while a required control is unanswered: a passage
    behind its content warning is read (the reveal ticked) or skipped, never answered
    unread; every other passage has the tick pre-set by its pre-annotation."""
    from annotate.studio.label_config import REVEAL_REQUIRED

    root = ET.fromstring(TAX.render_label_config())
    reveal = next(el for el in root.iter("Choices") if el.get("name") == REVEAL)
    assert reveal.get("required") == "true"
    assert reveal.get("requiredMessage") == REVEAL_REQUIRED
    assert "skip" in REVEAL_REQUIRED and "Show the passage" in REVEAL_REQUIRED
    others = [el for el in root.iter("Choices") if el.get("name") != REVEAL]
    assert [el.get("name") for el in others if el.get("required") == "true"] == [
        TAX.interface.categories
    ]
