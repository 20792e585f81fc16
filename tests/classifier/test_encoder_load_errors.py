"""An encoder that cannot be loaded is a one-line ModelError: a local folder without a
tokenizer (an empty or half-copied folder was a ValueError traceback), and a hub id not
in the cache, whose fix tells to set HF_HUB_OFFLINE=1 only when it is not set."""

from __future__ import annotations

from pathlib import Path

import pytest
from huggingface_hub import constants
from transformers import AutoTokenizer

from annotate.classifier.encoder import from_pretrained_or_fail
from annotate.errors import ModelError


@pytest.mark.parametrize("files", [[], ["README.md"]])
def test_a_local_folder_without_a_tokenizer(tmp_path: Path, files: list[str]) -> None:
    for name in files:
        (tmp_path / name).write_text('{"model_type": "bert"}', encoding="utf-8")
    with pytest.raises(ModelError) as err:
        from_pretrained_or_fail(AutoTokenizer, str(tmp_path), "encoder tokenizer")
    assert "tokenizer.json, or vocab.txt" in err.value.fix
    assert f"the folder holds {', '.join(files) or 'no files'}" in str(err.value)


@pytest.mark.parametrize("offline", [True, False])
def test_the_offline_hint_only_when_not_offline(monkeypatch, offline: bool) -> None:
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", offline)

    def fail(*_a, **_k):  # what from_pretrained raises for a hub id it cannot get
        raise OSError("We couldn't connect to 'https://huggingface.co' to load the files")

    loader = type("Loader", (), {"from_pretrained": staticmethod(fail)})
    with pytest.raises(ModelError) as err:
        from_pretrained_or_fail(loader, "someorg/no-such-model", "encoder")
    assert ("set HF_HUB_OFFLINE=1" in err.value.fix) is not offline
    assert "hf download someorg/no-such-model" in err.value.fix
