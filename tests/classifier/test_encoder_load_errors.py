"""An encoder that cannot be loaded is a one-line ModelError: a local folder without a
tokenizer (an empty or half-copied folder was a ValueError traceback), and a hub id not
in the cache, whose fix tells to set HF_HUB_OFFLINE=1 only when it is not set."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from huggingface_hub import constants
from huggingface_hub.utils import _detect_agent
from transformers import AutoModel, AutoTokenizer

from annotate.classifier import hub
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
    monkeypatch.setattr(hub, "hub_reachable", lambda: True)  # the hub answered, no file

    def fail(*_a, **_k):  # what from_pretrained raises for a hub id it cannot get
        raise OSError("We couldn't connect to 'https://huggingface.co' to load the files")

    loader = type("Loader", (), {"from_pretrained": staticmethod(fail)})
    with pytest.raises(ModelError) as err:
        from_pretrained_or_fail(loader, "someorg/no-such-model", "encoder")
    assert ("set HF_HUB_OFFLINE=1" in err.value.fix) is not offline
    assert "hf download someorg/no-such-model" in err.value.fix


def _no_network(monkeypatch) -> list[object]:
    """No hub, no proxy and no back-off waits; returns the list of name look-ups made."""
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    for name in (*hub.OFFLINE_ENV, "HF_ENDPOINT", *hub.PROXY_ENV):
        monkeypatch.delenv(name, raising=False)
    lookups: list[object] = []

    def getaddrinfo(host, *_a, **_k):
        lookups.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(time, "sleep", lambda _s: None)  # huggingface_hub's retry waits
    # huggingface_hub 2.x fetches an agent registry once per process (no retries): not ours
    monkeypatch.setattr(
        _detect_agent, "_registry", {"standardEnvVars": [], "harnesses": {}}, raising=False
    )
    return lookups


@pytest.mark.parametrize("loader", [AutoTokenizer, AutoModel])
def test_a_hub_id_without_network_fails_after_one_connect(monkeypatch, loader) -> None:
    """huggingface_hub retried each file five times (about a minute with its waits)
    before the error; one connect to the hub endpoint now tells it is not there."""
    lookups = _no_network(monkeypatch)
    with pytest.raises(ModelError) as err:
        from_pretrained_or_fail(loader, "nobody-x/no-such-model-y", "encoder")
    assert lookups == ["huggingface.co"]
    assert "the hub cannot be reached" in str(err.value)
    assert "hf download nobody-x/no-such-model-y" in err.value.fix


def test_a_hub_id_is_read_from_the_cache_first(monkeypatch) -> None:
    """A hub id is first looked up in the local cache only (local_files_only=True), and a
    cached model loads without any network call; else the hub is asked only if it answers."""
    lookups = _no_network(monkeypatch)
    calls: list[dict] = []

    def cached(ref, **kw):
        calls.append(kw)
        if not kw.get("local_files_only"):
            raise AssertionError("asked the hub for a cached model")
        return ref

    loader = type("Loader", (), {"from_pretrained": staticmethod(cached)})
    assert from_pretrained_or_fail(loader, "org/cached", "encoder", dtype="x") == "org/cached"
    assert calls == [{"local_files_only": True, "dtype": "x"}]
    assert lookups == []

    calls.clear()

    def on_hub(ref, **kw):
        calls.append(kw)
        if kw.get("local_files_only"):
            raise OSError("not in the cache")
        return ref

    monkeypatch.setattr(hub, "hub_reachable", lambda: True)
    loader = type("Loader", (), {"from_pretrained": staticmethod(on_hub)})
    assert from_pretrained_or_fail(loader, "org/on-hub", "encoder") == "org/on-hub"
    assert calls == [{"local_files_only": True}, {}]


@pytest.mark.parametrize("name", ["HTTPS_PROXY", "https_proxy"])
def test_a_proxy_leaves_the_hub_check_to_the_hub_client(monkeypatch, name: str) -> None:
    lookups = _no_network(monkeypatch)
    monkeypatch.setenv(name, "http://proxy.example:3128")
    assert hub.hub_reachable() is True
    assert lookups == []
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert hub.hub_reachable() is False
