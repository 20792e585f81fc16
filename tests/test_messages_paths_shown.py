"""Messages named a data file relative to the checkout annotate runs from
(`../../../tmp/x/gold.jsonl` for /tmp/x/gold.jsonl, from a checkout in /work/a/b): a path
the user never typed and cannot use from where they are (stop 46). A message shows a path
relative to the working directory when it lies under it, else absolute."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate._util.shown import shown
from annotate.errors import TrainingError
from annotate.training.sources import DataSource, load_examples
from tests.conftest import project_taxonomy
from tests.test_train_repeated_source import table


def test_shown_is_relative_under_the_working_directory_else_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "here" / "data").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "here")
    assert shown(tmp_path / "here" / "data" / "x.csv") == "data/x.csv"
    assert shown("data/../data/x.csv") == "data/x.csv"
    assert shown(tmp_path / "here") == "."
    assert shown("../elsewhere/x.csv") == str(tmp_path / "elsewhere" / "x.csv")
    assert shown(tmp_path / "elsewhere") == str(tmp_path / "elsewhere")


def test_a_data_file_outside_the_checkout_is_named_by_its_absolute_path(tmp_path: Path) -> None:
    data = table(tmp_path)
    with pytest.raises(TrainingError) as err:
        load_examples([DataSource(str(data)), DataSource(str(data))], project_taxonomy(), 13)
    assert str(err.value.what).startswith(f"{data} is given twice"), err.value.what
    assert "../" not in str(err.value.what)
