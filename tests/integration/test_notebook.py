"""The walkthrough notebook runs top to bottom against a real Label Studio and model."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from annotate.studio.connection import KEY_ENV, URL_ENV

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "walkthrough.ipynb"

pytestmark = pytest.mark.integration


def test_walkthrough_notebook_executes(studio, tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATE_NOTEBOOK_WORKDIR", str(tmp_path))
    monkeypatch.setenv(URL_ENV, studio.url)
    monkeypatch.setenv(KEY_ENV, studio.api_key)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute(env=dict(os.environ))
    outputs = "".join(
        o.get("text", "") for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
    )
    assert "passages slice back to their documents" in outputs
    # the sample's documents only: its README.md (with the labels expected) was ingested,
    # pre-labelled and pushed to reviewers as a seventh document
    doc_ids = set(pd.read_parquet(tmp_path / "passages.parquet")["doc_id"])
    assert doc_ids and all(d.endswith(".txt") for d in doc_ids), sorted(doc_ids)
    assert (tmp_path / "scores_by_document.png").stat().st_size > 1000
    assert (tmp_path / "corpus" / "manifest.json").is_file()
