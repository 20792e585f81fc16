"""The one-line summary of `annotate evaluate --model A --model B` said "AUPRC B - A with a
95 % interval clear of 0 (passages resampled): violent_threat +0.667 [0.3333, 0.6667]" on
3 passages with 1 gold positive (stop 48 new-user F9); comparison.md footnotes that fewer
than 5 gold positives say little, the summary did not. Such a label is no longer counted
as clear of 0; it is named apart, with the caveat."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from tests.test_cli import run


def _report(support: int) -> dict:
    return {
        "n": 3,
        "macro_f1": {"a": 0.5, "b": 1.0},
        "bootstrap": {"unit": "passage"},
        "flips": {"passages": 1},
        "per_label": {
            "violent_threat": {
                "support": support,
                "auprc_diff": 0.6667,
                "auprc_diff_ci": [0.3333, 0.6667],
            },
            "incitement": {"support": 0, "auprc_diff": None, "auprc_diff_ci": None},
        },
    }


def _summary(tmp_path: Path, monkeypatch, support: int) -> str:
    data = tmp_path / "d.jsonl"
    data.write_text(
        json.dumps({"id": "a", "text": "Tickets at the kiosk.", "labels": ["none"]}) + "\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(
        "annotate.evaluation.compare.compare",
        lambda *a, **k: SimpleNamespace(report=_report(support)),
    )
    ran = run(
        "evaluate", "--model", "default", "--model", "default",
        "--data", str(data), "--out", str(tmp_path / "o"), "--quiet",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    (line,) = [ln for ln in ran.stderr.splitlines() if ln.startswith("compared ")]
    return line


def test_one_gold_positive_is_not_called_clear_of_zero(tmp_path: Path, monkeypatch) -> None:
    line = _summary(tmp_path, monkeypatch, 1)
    assert "clear of 0 (passages resampled): none (not counted: violent_threat +0.667" in line
    assert "on fewer than 5 gold positives, too few for the interval to say anything" in line


def test_five_gold_positives_are_counted(tmp_path: Path, monkeypatch) -> None:
    line = _summary(tmp_path, monkeypatch, 5)
    assert (
        "clear of 0 (passages resampled): violent_threat +0.667 [0.3333, 0.6667]; 1 passage" in line
    )
    assert "not counted" not in line
