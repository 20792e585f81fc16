"""A local Ray started by `annotate prelabel --engine ray` writes nothing the user did not
ask for: Ray 2.60's ray.init() wrote a new token to ~/.ray/auth_token (and left its
session folder in /tmp/ray for good); now its session files go to a temporary folder
removed at the end and its token is passed in the environment. A join the cluster refuses
printed ~20 warnings of Ray's GCS client (one a second while it retried) before the
one-line error; they are dropped. The fakes start nothing; the last test starts a real
local Ray in a subprocess."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import annotate.prelabeling_ray as pr
from annotate.errors import InputError
from tests.test_prelabel_ray_threads import _FakeRay

pytest.importorskip("ray")


class _RecordingRay(_FakeRay):
    """Records the environment at ``init`` and writes into its temp dir, as Ray does."""

    def init(self, **kwargs) -> None:
        super().init(**kwargs)
        self.env = dict(os.environ)
        session = Path(kwargs["_temp_dir"]) / "session_1" / "logs"
        session.mkdir(parents=True)
        (session / "raylet.out").write_text("log\n")
        os.environ["RAY_AUTH_MODE"] = "token"  # Ray 2.60 turns token mode on for the process


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")  # ray_session sets it: restored after
    for key in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH"):
        monkeypatch.delenv(key, raising=False)
    return monkeypatch


def test_a_local_ray_gets_a_temp_folder_and_a_token_in_the_environment(clean_env) -> None:
    fakes = [_RecordingRay(), _RecordingRay()]
    for fake in fakes:
        clean_env.setattr(pr, "_ray", lambda fake=fake: fake)
        with pr.ray_session(workers=1):
            scratch = Path(fake.init_args["_temp_dir"])
            assert scratch.is_absolute() and scratch.name.startswith("annotate-ray-")
        assert not scratch.exists()  # removed with what Ray wrote there
        token = fake.env["RAY_AUTH_TOKEN"]
        assert re.fullmatch(r"[0-9a-f]{64}", token)
        assert fake.env["RAY_USAGE_STATS_ENABLED"] == "0"
        # the process's environment as it was: no token, no auth mode left behind
        assert "RAY_AUTH_TOKEN" not in os.environ and "RAY_AUTH_MODE" not in os.environ
    # one token per process: Ray's driver keeps the first it read
    assert fakes[0].env["RAY_AUTH_TOKEN"] == fakes[1].env["RAY_AUTH_TOKEN"]


def test_a_token_the_user_gives_is_used(clean_env, tmp_path: Path) -> None:
    fake = _RecordingRay()
    clean_env.setattr(pr, "_ray", lambda: fake)
    clean_env.setenv("RAY_AUTH_TOKEN_PATH", str(tmp_path / "token"))
    clean_env.setenv("RAY_AUTH_MODE", "token")
    with pr.ray_session(workers=1):
        pass
    assert "RAY_AUTH_TOKEN" not in fake.env and os.environ["RAY_AUTH_MODE"] == "token"
    clean_env.delenv("RAY_AUTH_TOKEN_PATH")
    clean_env.setenv("RAY_AUTH_TOKEN", "mine")
    with pr.ray_session(workers=1):
        pass
    assert fake.env["RAY_AUTH_TOKEN"] == "mine" == os.environ["RAY_AUTH_TOKEN"]


def test_a_join_leaves_the_environment_and_temp_dir_to_ray(clean_env) -> None:
    fake = _FakeRay()
    clean_env.setattr(pr, "_ray", lambda: fake)
    clean_env.setattr(pr, "_check_reachable", lambda address: None)
    with pr.ray_session("127.0.0.1:6379"):
        pass
    assert "_temp_dir" not in fake.init_args and "RAY_AUTH_TOKEN" not in os.environ


class _Refusing(_FakeRay):
    """Ray refusing a join as 2.60 does for a missing token: a warning a second on fd 2
    from its GCS client, then ConnectionError from the cause."""

    def init(self, **kwargs) -> None:
        for _ in range(3):
            os.write(
                2,
                b"[2026-12-04 W 1 1] gcs_client.cc:210: Failed to get cluster ID from "
                b"GCS server: Unauthenticated: RPC error: InvalidAuthToken\n",
            )
        os.write(2, b"another line of Ray's\n")
        try:
            raise RuntimeError("Failed to connect to GCS. ... InvalidAuthToken: missing")
        except RuntimeError as err:
            raise ConnectionError("Failed to connect to Ray cluster at 127.0.0.1:6379") from err


def test_a_refused_join_prints_no_retry_warnings(clean_env, capfd) -> None:
    clean_env.setattr(pr, "_ray", _Refusing)
    clean_env.setattr(pr, "_check_reachable", lambda address: None)
    with pytest.raises(InputError) as err, pr.ray_session("127.0.0.1:6379"):
        pass
    stderr = capfd.readouterr().err
    assert "Failed to get cluster ID" not in stderr
    assert "another line of Ray's" in stderr  # only the retry warning is dropped
    assert err.value.what == (
        "could not start or join Ray at 127.0.0.1:6379: Failed to connect to Ray cluster at "
        "127.0.0.1:6379 (it refused this process's authentication token, or the lack of one)"
    )


def test_the_temp_folder_is_made_where_ray_would_unless_its_sockets_would_not_fit(
    clean_env, tmp_path: Path
) -> None:
    clean_env.delenv("RAY_TMPDIR", raising=False)
    clean_env.setenv("TMPDIR", "/tmp")
    assert pr._scratch_base() == "/tmp"
    clean_env.setenv("RAY_TMPDIR", "/var/tmp")  # Ray's own setting comes first
    assert pr._scratch_base() == "/var/tmp"
    long = tmp_path / ("x" * 40)  # session_*/sockets/plasma_store below it: > 107 bytes
    clean_env.setenv("RAY_TMPDIR", str(long))
    assert pr._scratch_base() == "/tmp"


@pytest.mark.slow
def test_a_real_local_ray_writes_nothing_in_home_or_the_temp_dir(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    # a short temp dir: one as long as tmp_path would send the folder to /tmp instead
    tmp = Path(tempfile.mkdtemp(prefix="rt", dir="/tmp"))
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(tmp)}
    for key in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH", "RAY_TMPDIR"):
        env.pop(key, None)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    code = (
        "from annotate.prelabeling_ray import ray_session\n"
        "with ray_session(workers=1) as ray:\n"
        "    answer = ray.get(ray.remote(lambda: 6 * 7).remote())\n"
        "print(answer)\n"  # after the session: within it stdout goes to stderr (passE51 E7)
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=300,
            check=False,
        )
        left = sorted(tmp.rglob("*"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    assert proc.returncode == 0 and proc.stdout.strip() == "42", proc.stderr
    assert sorted(home.rglob("*")) == []  # no ~/.ray/auth_token
    assert left == []  # no ray/session_*, no temporary folder left
