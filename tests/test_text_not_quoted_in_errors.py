"""An error about a passage's ``text`` cell that is no string names the file, the row and
the type, never the value: training and review text may be graphic or personal, and an
object in the cell may hold it (stop 51; train quoted up to 40 characters of it, prelabel
too)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import InputError, TrainingError
from annotate.prelabeling import prelabel
from annotate.training.sources import read_native
from tests.fakes import KeywordClassifier

SECRET = "call jane on 07700 900123, he bled out"


def _one_row(path: Path, row: dict) -> Path:
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("value", [{"body": SECRET}, [SECRET], 42])
def test_train_names_the_row_and_type_not_the_text(tmp_path: Path, taxonomy, value) -> None:
    path = _one_row(tmp_path / "p.jsonl", {"text": value, "labels": ["none"]})
    with pytest.raises(TrainingError) as err:
        read_native(path, taxonomy, seed=0)
    said = str(err.value)
    kind = type(value).__name__
    assert f"line 1 has {'an' if kind[0] in 'aeiou' else 'a'} {kind} in 'text'" in said
    assert "expected a string" in said
    assert "jane" not in said and "07700" not in said and "42" not in said


@pytest.mark.parametrize("value", [{"body": SECRET}, [SECRET], 3.5])
def test_prelabel_names_the_row_and_type_not_the_text(tmp_path: Path, taxonomy, value) -> None:
    path = _one_row(tmp_path / "in.jsonl", {"id": "p1", "text": value})
    clf = KeywordClassifier(list(taxonomy.category_names))
    with pytest.raises(InputError) as err:
        prelabel(path, tmp_path / "o.jsonl", classifier=clf)
    said = str(err.value)
    assert "line 1 (id 'p1') has a" in said and "in 'text'; expected a string" in said
    assert "jane" not in said and "07700" not in said and "3.5" not in said
