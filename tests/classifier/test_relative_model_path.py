"""`--model models/v2` typed in another folder than the one holding models/ is read as a
Hugging Face hub id (it has that shape); offline, the error said only that the hub could
not be reached and proposed `hf download models/v2`. It now names the folder a relative
path is read from, and the fix says to pass the path from there or an absolute one."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.classifier import load_classifier
from annotate.errors import ModelError
from annotate.taxonomy import load_taxonomy


def test_a_relative_model_path_from_another_folder_names_that_folder(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ModelError) as err:
        load_classifier("models/v2", load_taxonomy())
    text = f"{err.value} {err.value.fix}"
    assert f"no such folder in {tmp_path}" in text
    assert "pass the model directory's path from this folder, or an absolute path" in text
