"""`--mapping` that applies to no --data path (only exports, or a config alone) is an
error before any work: it was silently ignored, and the table it was meant for unread."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import _error_line, run


def _export(folder: Path) -> Path:
    (folder / "hf").mkdir(parents=True)
    (folder / "hf" / "dataset_dict.json").write_text('{"splits": ["train"]}')
    (folder / "manifest.json").write_text(json.dumps({"format": "annotate-corpus/1"}))
    return folder


@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_a_mapping_for_an_export_only(tmp_path: Path, command: str) -> None:
    corpus = _export(tmp_path / "corpus")
    (tmp_path / "m.yaml").write_text("name: m\nrules:\n  - labels: ['none']\n")
    args = [command, "--data", str(corpus), "--mapping", str(tmp_path / "m.yaml")]
    args += ["--out", str(tmp_path / "out")]
    args += ["--model", "default"] if command == "evaluate" else []
    ran = run(*args)
    assert ran.returncode == 1
    assert f"but {corpus} is an `annotate export` folder" in _error_line(ran)
    assert not (tmp_path / "out").exists()


def test_a_mapping_with_a_config_and_no_data(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("text,k\nhello,1\n")
    (tmp_path / "m.yaml").write_text("name: m\nrules:\n  - labels: ['none']\n")
    (tmp_path / "c.yaml").write_text("name: c\ndata:\n  - {path: t.csv, mapping: m.yaml}\n")
    ran = run(
        "train", "--config", str(tmp_path / "c.yaml"), "--mapping", str(tmp_path / "m.yaml"),
        "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert ran.returncode == 1
    assert "and no --data was given" in _error_line(ran)
