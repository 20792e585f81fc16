"""A Hugging Face hub id that cannot be fetched cost about 7 s before its error (torch and
transformers imported first, then one connect of up to 3 s). The check now runs before
those imports, answers at once where HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE is set or the
hub's name does not resolve, and does not call a slow resolver offline; an encoder hub id
from a training config is named with its key and file."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from huggingface_hub import constants

from annotate.classifier import hub
from annotate.classifier.loader import check_hub_model
from annotate.errors import ModelError, TrainingError
from annotate.training.config import TrainConfig, check_hub_encoders

ROOT = Path(__file__).resolve().parents[2]
REAL_GETADDRINFO = socket.getaddrinfo


def _online_env(monkeypatch) -> list[str]:
    """No offline or proxy variable; name look-ups recorded and answered with a failure."""
    for name in (*hub.OFFLINE_ENV, "HF_ENDPOINT", *hub.PROXY_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(hub, "_reached_at", None)
    lookups: list[str] = []

    def getaddrinfo(host, *_a, **_k):
        lookups.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


@pytest.mark.parametrize("name", hub.OFFLINE_ENV)
def test_an_offline_variable_answers_without_a_lookup(monkeypatch, name: str) -> None:
    lookups = _online_env(monkeypatch)
    monkeypatch.setenv(name, "1")
    assert hub.unreachable_reason() == f"{name} is set"
    assert lookups == []


def test_a_name_that_does_not_resolve_is_offline_without_a_connect(monkeypatch) -> None:
    lookups = _online_env(monkeypatch)
    monkeypatch.setattr(socket.socket, "connect", lambda *_a: pytest.fail("connected"))
    assert "huggingface.co does not resolve" in str(hub.unreachable_reason())
    assert lookups == ["huggingface.co"]


def test_a_slow_resolver_is_not_called_offline(monkeypatch) -> None:
    _online_env(monkeypatch)
    monkeypatch.setattr(hub, "DNS_TIMEOUT_S", 0.2)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *_a, **_k: time.sleep(1.0) or [])
    started = time.monotonic()
    assert hub.unreachable_reason() is None  # the hub client decides
    assert time.monotonic() - started < 0.9


def test_a_refused_connect_is_offline_and_a_reached_hub_is_not_asked_again(monkeypatch) -> None:
    _online_env(monkeypatch)
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setattr(socket, "getaddrinfo", REAL_GETADDRINFO)  # the literal address
    assert hub.unreachable_reason(timeout=1) == f"no connection to 127.0.0.1:{port} within 1 s"
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.getsockname()[1]}")
        assert hub.unreachable_reason(timeout=1) is None
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    assert hub.unreachable_reason(timeout=1) is None  # reached a moment ago


def test_a_cached_hub_id_is_not_refused_offline(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(ModelError) as err:
        check_hub_model("someorg/some-model")
    assert "offline: HF_HUB_OFFLINE is set" in str(err.value)
    assert "hf download someorg/some-model" in str(err.value.fix)
    snap = tmp_path / "models--someorg--some-model" / "snapshots" / "abc"
    snap.mkdir(parents=True)
    (snap / "config.json").write_text("{}", encoding="utf-8")
    check_hub_model("someorg/some-model")  # in the cache: the loader reads it
    check_hub_model(str(tmp_path))  # a folder, a local path: not hub ids
    check_hub_model("./no/such/folder")
    check_hub_model(None)


def test_a_config_encoder_is_named_with_its_key_and_file(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "cache"))
    config = tmp_path / "small.train.yaml"
    cfg = TrainConfig(name="small", encoder="someorg/enc", baseline_encoder="otherorg/base")
    with pytest.raises(TrainingError) as err:
        check_hub_encoders(cfg, config, ("encoder",))
    assert f"training config {config}: encoder 'someorg/enc' is a Hugging Face hub id" in str(
        err.value
    )
    fix = str(err.value.fix)
    assert f"set `encoder:` in {config}" in fix and "pass a local model directory" not in fix
    assert f"--local-dir {tmp_path}/encoders/enc" in fix and "`encoder: ./encoders/enc`" in fix
    with pytest.raises(TrainingError) as err:
        check_hub_encoders(cfg, config)
    assert "encoder 'someorg/enc'" in str(err.value)
    with pytest.raises(TrainingError) as err:
        check_hub_encoders(cfg, config, ("baseline_encoder",))
    assert "baseline_encoder 'otherorg/base'" in str(err.value)
    check_hub_encoders(TrainConfig(name="small"), config)  # pkg: encoders: nothing to get


def _run(args: list[str], cwd: Path) -> str:
    """``annotate ARGS`` in a fresh interpreter; its output, ending with whether torch and
    transformers were imported and the exit code."""
    code = (
        "import sys\n"
        "from annotate.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit as e:\n"
        "    rc = e.code\n"
        "print('torch' in sys.modules, 'transformers' in sys.modules, 'rc', rc)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True
    )
    return done.stdout + done.stderr


def test_the_cli_says_it_before_importing_torch(tmp_path: Path) -> None:
    passages = tmp_path / "p.jsonl"
    passages.write_text(json.dumps({"id": "a", "text": "hello"}) + "\n", encoding="utf-8")
    out = _run(
        ["prelabel", str(passages), "--out", str(tmp_path / "o.jsonl"), "--model", "nobody/x"],
        tmp_path,
    )
    assert "the hub cannot be reached (offline: HF_HUB_OFFLINE is set)" in out, out
    assert "False False rc 1" in out.splitlines(), out
    config = tmp_path / "t.train.yaml"
    config.write_text("name: t\nencoder: nobody/enc\ndata: []\n", encoding="utf-8")
    out = _run(["train", "--config", str(config), "--out", str(tmp_path / "m")], tmp_path)
    assert f"training config {config}: encoder 'nobody/enc'" in out, out
    # annotate.training imports torch; transformers (and the encoder) not yet
    assert any(line.endswith(" False rc 1") for line in out.splitlines()), out
