"""`annotate evaluate --data corpus-old/` (a typo) said "training data corpus-old not
found" of the data to score (passF52 F9): the error now names --data, before any model
loads, with the near name."""

from __future__ import annotations

from pathlib import Path

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
