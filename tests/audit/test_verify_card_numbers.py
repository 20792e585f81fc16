"""A digit appended to a number with thousands groups was no change to `annotate verify`:
"5,014 posts" -> "5,0140 posts" (and "| 5,0149 (test) |") read as the fact 5014, the
appended digit skipped (break15 A3). A thousands group now ends where no digit follows."""

from __future__ import annotations

import json

import pytest

from annotate.audit.card_check import compare_cards, facts, record_names
from annotate.settings import PROJECT_ROOT

CONFIG = json.loads((PROJECT_ROOT / "models" / "default" / "annotate_model.json").read_text())
NAMES = record_names(CONFIG)


def _facts(line: str) -> list[str]:
    return [f for f, _ in facts([line], 1, NAMES, "none")]


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("24 calls for violence in 5,014 posts", ["24", "5014"]),
        ("in 5,014, posts", ["5014"]),  # a comma ending a clause
        ("5,014 and 11,614.5, then 1,2", ["5014", "11614.5", "1", "2"]),
        ("12,345,678 rows", ["12345678"]),
    ],
)
def test_numbers_with_thousands_groups(line: str, said: list[str]) -> None:
    assert _facts(line) == said


@pytest.mark.parametrize(
    "edited",
    [
        "24 calls for violence in 5,0140 posts",
        "24 calls for violence in 5,0149 posts",
        "24 calls for violence in 5,014,0 posts",
        "24 calls for violence in 50,14 posts",
    ],
)
def test_a_digit_added_to_a_grouped_number_is_a_mismatch(edited: str) -> None:
    rendered = "# Model card\n\n## Known limitations\n\n- 24 calls for violence in 5,014 posts\n"
    card = rendered.replace("- 24 calls for violence in 5,014 posts", "- " + edited)
    found = compare_cards(card, rendered, CONFIG)
    assert [d[:2] for d in found.differs] == [("## Known limitations", 5)], found


def test_a_digit_added_in_a_table_cell_is_a_mismatch() -> None:
    rendered = "# Model card\n\n## Cross-source\n\n| gab-hate-corpus | 5014 (test) |\n"
    card = rendered.replace("5014 (test)", "5,0149 (test)")
    found = compare_cards(card, rendered, CONFIG)
    assert [d[:2] for d in found.differs] == [("## Cross-source", 5)], found
    # the same figure grouped otherwise still agrees
    assert compare_cards(rendered.replace("5014", "5,014"), rendered, CONFIG).differs == []
