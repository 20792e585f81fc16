"""`annotate train --data corpus --data corpus` (or a config's entry given again with
--data) trained on every passage twice and counted each test passage twice, after a
warning that they "weigh more"; it is refused, naming both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.cli import main
from annotate.errors import TrainingError
from annotate.training.sources import DataSource, load_examples
from tests.conftest import project_taxonomy


def table(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    rows = [{"doc_id": f"d{i}", "text": f"passage {i}", "labels": ["none"]} for i in range(4)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_the_same_source_twice_is_refused_naming_both(tmp_path: Path) -> None:
    data = table(tmp_path)
    twice = [
        DataSource(str(data), given="../gold.jsonl", given_in="cfg.yaml"),
        DataSource(str(tmp_path / "." / "gold.jsonl")),
    ]
    with pytest.raises(TrainingError, match="is given twice") as err:
        load_examples(twice, project_taxonomy(), 13)
    assert "`../gold.jsonl` in cfg.yaml, then --data " in str(err.value)
    assert "pass each data source once" in err.value.fix


def test_one_table_in_two_roles_is_still_read(tmp_path: Path) -> None:
    """A config may read one file twice on purpose, e.g. once into a split of its own."""
    data = table(tmp_path)
    examples, _ = load_examples(
        [DataSource(str(data)), DataSource(str(data), split="test")], project_taxonomy(), 13
    )
    assert len(examples) == 8


def test_cli_refuses_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(table(tmp_path))
    with pytest.raises(SystemExit) as exit_:
        main(["train", "--data", data, "--data", data, "--out", str(tmp_path / "m")])
    err = capsys.readouterr().err
    assert exit_.value.code == 1 and "Traceback" not in err and "is given twice" in err
    assert not (tmp_path / "m").exists()
