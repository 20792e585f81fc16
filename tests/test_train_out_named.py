"""`annotate train --out .` ended in a traceback (``PosixPath('.') has an empty name``), and
``--out sub/..`` trained the whole model, then failed at the final rename (``Device or
resource busy``) with a traceback, the trained model lost (break8 M7). --out is now
resolved before any work, the current folder (or one above it) refused with what/found/fix,
and a finished model that cannot be renamed into place is kept, its folder named."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

import annotate.training.frozen_train as frozen_train
from annotate._util import atomic
from annotate.errors import InputError, TrainingError
from annotate.training import TrainConfig, model_folder, train
from annotate.training.model_folder import discard_on_failure, put_model_in_place
from tests.conftest import project_taxonomy
from tests.test_cli import _error_line, run


def _never(*args, **kwargs):
    raise AssertionError("training started")


@pytest.mark.parametrize("given", [".", "sub/..", "./", "x/../.."])
def test_the_current_folder_and_above_are_refused_before_training(
    given, tmp_path, monkeypatch
) -> None:
    work = tmp_path / "work"  # empty, as in the break (`sub` missing)
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(frozen_train, "train_frozen", _never)
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "x", "labels": ["none"]}\n')
    line = _error_line(run("train", "--data", str(data), "--out", given))
    assert "the current folder" in line or "a folder above the current one" in line, line
    assert "expected a folder for the model" in line and "--out ./my-model" in line, line
    with pytest.raises(InputError, match="expected a folder for the model"):
        train(TrainConfig(name="m"), Path(given), project_taxonomy())


def test_a_nameless_out_elsewhere_is_resolved(tmp_path, monkeypatch) -> None:
    from annotate.training.model_folder import model_out_folder

    monkeypatch.chdir(tmp_path)
    (tmp_path / "models").mkdir()
    assert model_out_folder(Path("models/new/..")) == tmp_path / "models"
    assert model_out_folder(Path("models/m")) == Path("models/m")  # as typed otherwise


def test_a_model_the_final_rename_fails_for_is_kept_and_named(tmp_path, monkeypatch) -> None:
    out = tmp_path / "cc"
    tmp = tmp_path / ".cc.partial-1-abcdef@h"
    tmp.mkdir()
    (tmp / "annotate_model.json").write_text("{}")

    def busy(*args, **kwargs):
        raise OSError(errno.EBUSY, "Device or resource busy", str(out))

    monkeypatch.setattr(atomic, "commit", busy)
    with pytest.raises(TrainingError) as err:
        try:
            put_model_in_place(tmp, out, "cc@bbbbbbbbbbbb", replace=False)
        finally:
            discard_on_failure(tmp)  # as train() does on the way out
    kept = tmp_path / "cc-bbbbbbbbbbbb"
    said = str(err.value)
    assert f"could not be put in place at --out {out} (Device or resource busy)" in said
    assert f"it is kept in {kept}" in said and f"--model {kept}" in str(err.value.fix)
    assert (kept / "annotate_model.json").is_file()


def test_a_model_left_in_its_partial_folder_is_not_removed(tmp_path, monkeypatch) -> None:
    out = tmp_path / "cc"
    tmp = tmp_path / ".cc.partial-1-abcdef@h"
    tmp.mkdir()
    (tmp / "annotate_model.json").write_text("{}")

    def busy(*args, **kwargs):
        raise OSError(errno.EBUSY, "Device or resource busy")

    monkeypatch.setattr(atomic, "commit", busy)
    monkeypatch.setattr(model_folder.os, "rename", busy)
    with pytest.raises(TrainingError, match=f"it is kept in {tmp}"):
        try:
            put_model_in_place(tmp, out, "cc@bbbbbbbbbbbb", replace=True)
        finally:
            discard_on_failure(tmp)
    assert (tmp / "annotate_model.json").is_file()
