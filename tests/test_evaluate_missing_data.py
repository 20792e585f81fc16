"""`annotate evaluate --data corpus-old/` (a typo) said "training data corpus-old not
found" of the data to score (passF52 F9): the error now names --data, before any model
loads, with the near name."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from annotate.cli.evaluate import refuse_missing_data
from annotate.errors import InputError
from tests.test_cli import _error_line, run


def test_evaluate_names_the_missing_data_as_its_data(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "manifest.json").write_text("{}", encoding="utf-8")
    ran = run(
        "evaluate",
        "--model",
        "default",
        "--data",
        str(tmp_path / "corpus-old"),
        "--out",
        str(tmp_path / "r"),
    )
    line = _error_line(ran)
    assert ran.returncode == 1, line
    assert line.startswith(
        f"error: --data {tmp_path / 'corpus-old'} not found (the labeled data to score)."
    ), line
    assert "training data" not in line
    assert "did you mean" in line and "corpus" in line, line
    assert not (tmp_path / "r").exists()


def test_every_missing_data_path_is_named(tmp_path: Path) -> None:
    """`--data A --data B`, both missing: only A was named (break7 L13)."""
    (tmp_path / "corpus").mkdir()
    a, b = tmp_path / "corpus-old", tmp_path / "elsewhere.jsonl"
    given = [SimpleNamespace(path=str(p), mapping=None) for p in (a, tmp_path / "corpus", b)]
    with pytest.raises(InputError) as err:
        refuse_missing_data(given)
    said = str(err.value)
    assert f"2 --data paths not found (the labeled data to score): {a}, {b}." in said, said
    assert f"for {a} did you mean '{tmp_path / 'corpus'}/'?" in err.value.fix, err.value.fix
    assert err.value.fix.endswith("Otherwise check the paths."), err.value.fix
