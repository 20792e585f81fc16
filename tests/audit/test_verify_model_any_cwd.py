"""A freshly trained model verifies --strict from any working directory (passJ M1): the
export it was trained on was recorded relative to the folder `annotate train` ran in and
looked for under the working directory of `verify` (4 not found from the checkout), and
the public sets' mapping files (recorded relative to the checkout) were looked for under
the working directory when their source was recorded by an absolute path (7 not found
from the run folder). The model records the run folder relative to itself
(``training.run_folder``), and a mapping is looked for under the checkout, the working
directory and the run folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.cli import main
from annotate.settings import PROJECT_ROOT
from tests.test_train_loop import _native_rows

# the fixture rows hold no harmful label (train refuses those unless told)
NO_HARM = "--allow-no-harmful-passages"

pytestmark = pytest.mark.slow  # trains a real (small) model once


def _main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    try:
        main(args)
        got = 0
    except SystemExit as exc:
        got = int(exc.code or 0)
    return got, capsys.readouterr().err


def test_a_model_trained_in_a_run_folder_verifies_strict_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    run = tmp_path / "run"
    (run / "corpus").mkdir(parents=True)
    data = run / "corpus" / "reviewed.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in _native_rows()) + "\n")
    (run / "small.train.yaml").write_text("name: small\ntrainer: frozen\ndata: []\n")
    monkeypatch.chdir(run)
    code, err = _main(
        [
            "train",
            "--config",
            "small.train.yaml",
            "--data",
            "corpus/reviewed.jsonl",
            "--out",
            "models/small-1",
            "--quiet",
            NO_HARM,
        ],
        capsys,
    )
    assert code == 0, err
    record = json.loads((run / "models/small-1/annotate_model.json").read_text())
    assert record["training"]["run_folder"] == "../.."
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for cwd, model in (
        (run, "models/small-1"),
        (tmp_path, "run/models/small-1"),
        (elsewhere, str(run / "models/small-1")),
        (PROJECT_ROOT, str(run / "models/small-1")),
    ):
        monkeypatch.chdir(cwd)
        code, err = _main(["verify", model, "--strict"], capsys)
        assert code == 0, (cwd, err)
        assert "1 of 1 training data file match, 0 differ, 0 not found" in err, (cwd, err)


def test_a_checkout_mapping_of_an_absolute_source_is_found_from_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotate.audit.model_verify import _find, _places
    from annotate.training.data_files import DataFile, DataSourceRecord

    mapping = "models/mappings/implicit-hate.yaml"
    assert (PROJECT_ROOT / mapping).is_file()
    posts = tmp_path / "data" / "posts.tsv"
    posts.parent.mkdir()
    posts.write_text("post\tclass\n")
    record = DataSourceRecord(
        path=str(posts),
        kind="mapped",
        root="absolute",
        resolved=str(posts),
        files=[DataFile(path=mapping, role="mapping", sha256="0" * 64, bytes=1)],
    )
    monkeypatch.chdir(tmp_path)
    bases, roots = _places(record, None)
    found = _find(str(posts), record.files[0], bases, roots)
    assert found.found_at == PROJECT_ROOT / mapping, found.looked_in
