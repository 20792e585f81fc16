"""One reviewer's stricter hiding rule (labels.yaml ``wellbeing.reviewers``, newuser61
finding 8): a passage the model scores 0.08 for graphic violence, with no graphic-injury
term, opens for every reviewer under the set-wide 0.1 and is hidden for the part-time
reviewer whose own score is 0.02; the task records why, the blind warning names no score,
and a bad entry is refused with a clear error (no server; the real-server check is
tests/integration/test_reviewer_wellbeing_rule.py)."""

from __future__ import annotations

import pytest

from annotate.errors import InputError, TaxonomyError
from annotate.review.reviewer_rule import check_reviewers, for_reviewer, reviewer_taxonomy
from annotate.review.view import OWN_RULE_NOTE, REVEAL
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import row_to_task
from annotate.taxonomy import Taxonomy, parse_taxonomy
from tests.conftest import ROOT
from tests.test_graphic_backstop import _row

PART_TIME = "pat@newsroom.example"
OTHER = "olu@newsroom.example"
# a passage a part-time reviewer must not see unprompted: the model's score is given here
# (0.08, under the set-wide 0.1), and it holds none of the built-in graphic-injury terms
QUOTE = "The men kept arguing at the crates, and one of them was still shouting at the driver."


def _tax(reviewers: str) -> Taxonomy:
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    head = text[: text.index("\nwellbeing:")]
    return parse_taxonomy(
        head + "\nwellbeing:\n  hide_graphic_score: 0.1\n  reviewers:\n" + reviewers
    )


TAX = _tax(f"    {PART_TIME}: {{hide_graphic_score: 0.02}}\n")


def _task(row: dict, tax: Taxonomy = TAX) -> dict:
    config = parse_label_config(tax.render_label_config())
    return row_to_task(row, tax, config, where="p1")


def _reveals(task: dict) -> bool:
    return any(r["from_name"] == REVEAL for r in task["predictions"][0]["result"])


def test_the_part_time_reviewers_copy_is_hidden_and_the_others_is_not() -> None:
    quote = _task({**_row(QUOTE, 0.08, ["news_reporting"]), "id": "q"})
    after = {**_row("The council met on Tuesday.", 0.01, []), "id": "n", "passage_index": 1}
    neighbour = _task(after)
    every = [quote, neighbour]
    # the set-wide rule (and any reviewer without a rule of their own) shows it
    assert quote["data"]["graphic_hidden_by"] == "" and _reveals(quote)
    theirs, hidden = for_reviewer([quote, neighbour], every, reviewer_taxonomy(TAX, OTHER))
    assert hidden == 0 and theirs[0] is quote

    mine, hidden = for_reviewer([quote, neighbour], every, reviewer_taxonomy(TAX, PART_TIME))
    assert hidden == 1
    data = mine[0]["data"]
    assert data["graphic_hidden_by"] == f"model graphic score 0.08 >= 0.02 ({OWN_RULE_NOTE})"
    assert not _reveals(mine[0])  # no "show" tick: it opens behind the warning
    assert "0.08" not in data["warning"] and "0.02" not in data["warning"]  # blind stays blind
    assert data["preview"].startswith("[hidden")
    # the neighbour's context shows the note, not the text hidden for this reviewer
    assert QUOTE not in mine[1]["data"]["context_before"]
    assert QUOTE in neighbour["data"]["context_before"] or not neighbour["data"]["context_before"]
    # the other reviewer's copies are untouched
    assert quote["data"]["graphic_hidden_by"] == "" and _reveals(quote)


def test_a_reviewer_is_named_by_e_mail_case_aside() -> None:
    assert reviewer_taxonomy(TAX, PART_TIME.upper()).wellbeing.hide_graphic_score == 0.02
    assert reviewer_taxonomy(TAX, OTHER) is TAX


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        (f"    {PART_TIME}: {{hide_graphic_score: 1.5}}\n", "between 0 and 1"),
        (f"    {PART_TIME}: {{hide_graphic_score: -0.1}}\n", "between 0 and 1"),
        (f"    {PART_TIME}: {{hide_graphic_score: 0.3}}\n", "can only hide more"),
        ("    pat.newsroom: {hide_graphic_score: 0.02}\n", "e-mail"),
        (f"    {PART_TIME}: {{hide_graphic_scor: 0.02}}\n", "hide_graphic_scor"),
    ],
)
def test_a_bad_entry_is_refused_with_what_was_expected(entry: str, said: str) -> None:
    with pytest.raises(TaxonomyError, match=said):
        _tax(entry)


def test_a_reviewer_with_no_account_is_refused_before_a_push() -> None:
    check_reviewers(TAX, [PART_TIME, OTHER])
    with pytest.raises(InputError, match="no reviewer account") as err:
        check_reviewers(TAX, ["pta@newsroom.example", OTHER])
    assert "reviewers add" in (err.value.fix or "")
