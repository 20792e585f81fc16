"""Pre-labels saved as CSV (pandas `to_csv` of prelabel output, to look at in a
spreadsheet) hold scores and spans as Python's repr, not JSON. `annotate push` said
"'scores' must be an object {category: probability}, found str. Fix: pass a file
written by `annotate prelabel`", which it was. It now says that pre-labels must be the
Parquet or JSONL prelabel writes, and how to make one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from annotate.errors import PredictionError
from annotate.studio.label_config import parse_label_config
from annotate.studio.push import read_tasks
from annotate.studio.staging import staging


def _csv(tmp_path: Path, taxonomy, spans: list | str) -> Path:
    sheet = tmp_path / "prelabels.csv"
    pd.DataFrame(
        {
            "id": ["p1"],
            "doc_id": ["d1"],
            "passage_index": [0],
            "start": [0],
            "end": [16],
            "text": ["I will hurt you."],
            "scores": [dict.fromkeys(taxonomy.category_names, 0.1)],
            "labels": [["none"]],
            "spans": [spans],
            "model_version": ["default@1"],
        }
    ).to_csv(sheet, index=False)
    return sheet


def test_a_csv_of_pre_labels_is_told_to_be_parquet(taxonomy, tmp_path: Path) -> None:
    sheet = _csv(tmp_path, taxonomy, [])
    config = parse_label_config(taxonomy.render_label_config())
    with pytest.raises(PredictionError) as read:
        read_tasks(sheet, taxonomy, config)
    with staging() as stage, pytest.raises(PredictionError) as staged:
        stage.stage_file(sheet, taxonomy, config)
    for exc in (read, staged):
        said = str(exc.value)
        assert "prelabels.csv row 1 (line 2) (id 'p1'): 'scores' holds text" in said
        assert "must be the Parquet or JSONL that `annotate prelabel` writes" in said
        assert "--out NAME.parquet" in (exc.value.fix or "")


def test_spans_as_text_are_refused_not_read_letter_by_letter(taxonomy, tmp_path: Path) -> None:
    """Scores written as JSON text but spans as Python's repr: each letter was a span
    (AttributeError: 'str' object has no attribute 'get')."""
    sheet = _csv(tmp_path, taxonomy, "[{'label': 'x', 'start': 0, 'end': 1}]")
    frame = pd.read_csv(sheet)
    for column in ("scores", "labels"):  # JSON text, which a CSV may hold
        frame[column] = frame[column].str.replace("'", '"')
    frame.to_csv(sheet, index=False)
    config = parse_label_config(taxonomy.render_label_config())
    with pytest.raises(PredictionError, match=r"'spans' holds text"):
        read_tasks(sheet, taxonomy, config)
