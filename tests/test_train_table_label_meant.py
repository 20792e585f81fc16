"""An engineer's own labeled table (`--data mine.csv`) whose `labels` cell holds a
category's title (`Violent threat`, as reviewers see it) or a misspelt name
(`violent_thret`) was refused with every category listed and none picked out; a gold
sheet's `gold_labels` already named the category meant. The training table's error now
names it too."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import TrainingError
from annotate.training.sources import read_native


@pytest.mark.parametrize(
    ("cell", "meant"),
    [("Violent threat", "violent_threat"), ("violent_thret", "violent_threat")],
)
def test_an_unknown_label_names_the_category_meant(
    tmp_path: Path, taxonomy, cell: str, meant: str
) -> None:
    table = tmp_path / "mine.csv"
    table.write_text(f'id,text,labels\nx1,"I will hurt you at the gate.",{cell}\n')
    with pytest.raises(TrainingError, match="has unknown label") as err:
        read_native(table, taxonomy, seed=0)
    assert err.value.fix.startswith(f"did you mean {meant} for {cell!r}? Otherwise "), err.value.fix


def test_a_far_label_keeps_the_plain_fix(tmp_path: Path, taxonomy) -> None:
    table = tmp_path / "mine.csv"
    table.write_text('id,text,labels\nx1,"Lovely day at the park.",weather\n')
    with pytest.raises(TrainingError) as err:
        read_native(table, taxonomy, seed=0)
    assert err.value.fix.startswith("fix the labels"), err.value.fix
