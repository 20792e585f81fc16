"""`annotate evaluate --model corpus --data corpus` (an export swapped in for the model)
said only that the folder is no model directory; it now says it is an export and how
to pass it."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.classifier.loader import model_kind
from annotate.errors import ModelError


def test_an_export_given_as_the_model_is_named_as_an_export(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.json").write_text("{}")
    with pytest.raises(ModelError) as got:
        model_kind(corpus)
    assert "it is an `annotate export`" in str(got.value)
    assert f"--data {corpus}" in got.value.fix


def test_another_folder_is_not_called_an_export(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as got:
        model_kind(tmp_path)
    assert "export" not in str(got.value) and "--data" not in got.value.fix
