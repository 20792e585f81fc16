"""`annotate prelabel p.jsonl --out p.jsonl` replaced the passages with their pre-labels
(exit 0: the ingest output was gone), and `annotate train --data models/x/data.jsonl
--out models/x` deleted its own training data with the model folder it replaced. An
output that is an input (however typed: a relative path, a symlink, a hard link) or a
folder replaced whole that holds one is refused before any work, naming the fix, as
ingest refuses it (tests/test_ingest_out_among_inputs.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annotate._util.paths import same_path
from annotate.errors import InputError
from annotate.prelabeling import prelabel
from tests.test_cli import _error_line, run

ROW = {"id": "d1-0", "doc_id": "d1", "text": "They said the depot would burn tonight."}


def _passages(path: Path) -> Path:
    path.write_text(json.dumps(ROW) + "\n", encoding="utf-8")
    return path


def test_prelabel_out_typed_another_way_is_refused_and_the_input_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _passages(tmp_path / "passages.jsonl")
    before = src.read_bytes()
    monkeypatch.chdir(tmp_path)
    ran = run("prelabel", "./passages.jsonl", "--out", str(src))
    line = _error_line(ran)
    assert ran.stderr.startswith("error:"), ran.stderr  # no progress bar drawn before it
    assert "--out" in line and "is also the input passages.jsonl;" in line, line
    assert "would replace the passages" in line
    assert "Fix: pass another --out, e.g. --out" in line and "passages.prelabels.jsonl" in line
    assert src.read_bytes() == before


def test_prelabel_out_through_a_symlink_is_refused(tmp_path: Path) -> None:
    src = _passages(tmp_path / "passages.jsonl")
    before = src.read_bytes()
    link = tmp_path / "latest.jsonl"
    link.symlink_to(src)
    with pytest.raises(InputError, match="is also the input"):
        prelabel(src, link)
    assert link.is_symlink() and src.read_bytes() == before


def test_a_hard_link_is_the_same_file(tmp_path: Path) -> None:
    src = _passages(tmp_path / "passages.jsonl")
    os.link(src, tmp_path / "again.jsonl")
    assert same_path(src, tmp_path / "again.jsonl")
    assert not same_path(src, tmp_path / "other.jsonl")  # not there yet: not the same


def test_train_refuses_data_inside_the_model_folder_it_replaces(tmp_path: Path) -> None:
    model = tmp_path / "models" / "x"
    model.mkdir(parents=True)
    (model / "annotate_model.json").write_text("{}", encoding="utf-8")  # a previous model
    data = model / "reviewed.jsonl"
    data.write_text(json.dumps({**ROW, "labels": ["violent_threat"]}) + "\n", encoding="utf-8")
    line = _error_line(run("train", "--data", str(data), "--out", str(model), "-q"))
    assert f"the data source {data} is inside --out {model}" in line, line
    assert "Fix: move reviewed.jsonl out of" in line
    assert data.is_file()


def test_train_refuses_a_config_inside_the_model_folder(tmp_path: Path) -> None:
    model = tmp_path / "x"
    model.mkdir()
    (model / "annotate_model.json").write_text("{}", encoding="utf-8")  # a previous model
    config = model / "train.yaml"
    config.write_text("name: x\ndata: []\n", encoding="utf-8")
    line = _error_line(run("train", "--config", str(config), "--out", str(model), "-q"))
    assert f"--config {config} is inside --out {model}" in line, line
    assert config.is_file()


def test_evaluate_out_that_is_its_data_is_refused(tmp_path: Path) -> None:
    """(Refused before too, as "--out is a file"; now it says which input it is.)"""
    data = _passages(tmp_path / "labelled.jsonl")
    line = _error_line(run("evaluate", "--data", str(data), "--out", str(data), "-q"))
    assert f"--out {data} is also --data {data}" in line, line
    assert "Fix: pass another --out, e.g. --out reports/NAME" in line


def test_prelabel_out_beside_the_input_is_not_refused(tmp_path: Path) -> None:
    """The check looks at paths only: another name in the same folder passes it (the
    command then fails later, here on a model that does not exist)."""
    src = _passages(tmp_path / "passages.jsonl")
    with pytest.raises(Exception) as err:
        prelabel(src, tmp_path / "prelabels.jsonl", model=str(tmp_path / "no-model"))
    assert "is also the input" not in str(err.value)


def test_train_refuses_a_model_folder_inside_its_data_folder(tmp_path: Path) -> None:
    """`train --data export/ --out export/model` wrote the model into the exported
    corpus (its `verify` then fails on the extra files)."""
    corpus = tmp_path / "export"
    corpus.mkdir()
    (corpus / "reviewed.jsonl").write_text(
        json.dumps({**ROW, "labels": ["violent_threat"]}) + "\n", encoding="utf-8"
    )
    out = corpus / "model"
    line = _error_line(run("train", "--data", str(corpus), "--out", str(out), "-q"))
    assert f"--out {out} is inside the data source {corpus}" in line, line
    assert "Fix: pass an --out outside" in line
    assert not out.exists()
    assert sorted(p.name for p in corpus.iterdir()) == ["reviewed.jsonl"]
