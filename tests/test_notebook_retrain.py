"""notebooks/retrain.ipynb runs top to bottom offline, without Label Studio: a stand-in
export from the fixture tables, a frozen model trained on it, compared with the default
model, a few passages pre-labeled."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from annotate.classifier import DEFAULT_MODEL_DIR

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "retrain.ipynb"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(),
        reason="models/default is not built (run `make model`)",
    ),
]


def test_retrain_notebook_executes_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATE_NOTEBOOK_WORKDIR", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("ANNOTATE_EXPORT", raising=False)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    t0 = time.monotonic()
    client.execute(env=dict(os.environ))
    assert time.monotonic() - t0 < 180  # "about a minute" on a laptop; 2 shared cores here
    outputs = "".join(
        o.get("text", "") for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
    )
    assert "trained retrained@" in outputs
    rep = json.loads((tmp_path / "compare" / "comparison.json").read_text())
    assert rep["models"][0]["version"].startswith("default@")
    assert rep["models"][1]["version"].startswith("retrained@")
    assert rep["split"] == "test" and rep["n"] > 0 and rep["split_counts"] == {"test": rep["n"]}
    assert f"of {rep['n']} passages are labeled differently by A and B" in outputs
    assert (tmp_path / "model" / "model_card.md").is_file()
    assert "model retrained@" in outputs  # the pre-labeling cell ran with the new model
