"""A gold sheet whose `gold_labels` misspells a category (`news_reportng`) was refused
with every category listed and none picked out, where a title (`Violent threat`) or a
word of a name (`threat`) gets the name meant; a misspelt name now gets it too."""

from __future__ import annotations

import pytest

from annotate.errors import InputError
from annotate.review.gold import gold_answer


def test_a_misspelt_gold_label_names_the_category_meant(taxonomy) -> None:
    row = {"gold_labels": "violent_threat; news_reportng"}
    with pytest.raises(InputError, match=r"found \['violent_threat', 'news_reportng'\]") as err:
        gold_answer(row, taxonomy, "gold.csv row 3 (line 4)")
    assert err.value.fix.startswith("did you mean news_reporting for 'news_reportng'? "), (
        err.value.fix
    )
    assert "the title reviewers see" not in err.value.fix


def test_a_title_still_gets_its_own_hint_and_a_far_word_none(taxonomy) -> None:
    with pytest.raises(InputError) as err:
        gold_answer({"gold_labels": "Violent threat"}, taxonomy, "row 1")
    assert err.value.fix.startswith("write violent_threat for 'Violent threat' (the name, not")
    with pytest.raises(InputError) as err:
        gold_answer({"gold_labels": "weather"}, taxonomy, "row 1")
    assert "did you mean" not in err.value.fix and err.value.fix.startswith("use some of")
