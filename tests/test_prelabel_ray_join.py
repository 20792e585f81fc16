"""`annotate prelabel --engine ray` beside a cluster of `ray start --head` (README's
--address): without --address the tool starts a Ray of its own (ray.init() joined the
`ray start` one and failed: num_cpus may not be given there); a join refused for a missing
token says how to give it; the input path reaches the cluster absolute; a cluster with
too few CPUs for the actors is refused instead of waiting for ever. No Ray starts here
(tried by hand against a real `ray start --head`: see the commit)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

import annotate.prelabeling_ray as pr
from annotate.errors import InputError
from tests.test_prelabel_ray_threads import _FakeRay

pytest.importorskip("ray")


def test_without_address_a_ray_of_its_own_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _FakeRay()
    monkeypatch.setattr(pr, "_ray", lambda: fake)
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")  # ray_session sets it: restored after
    with pr.ray_session(workers=1):
        pass
    assert fake.init_args["address"] == "local" and fake.init_args["num_cpus"] == 2


class _Refusing(_FakeRay):
    def init(self, **kwargs) -> None:
        raise ConnectionError("Failed to connect to Ray cluster at 127.0.0.1:6379")


@pytest.mark.parametrize("mode", [None, "token"])
def test_a_refused_join_names_the_token_setting(
    monkeypatch: pytest.MonkeyPatch, mode: str | None
) -> None:
    monkeypatch.setattr(pr, "_ray", _Refusing)
    monkeypatch.setattr(pr, "_check_reachable", lambda address: None)
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    if mode is None:
        monkeypatch.delenv("RAY_AUTH_MODE", raising=False)
    else:
        monkeypatch.setenv("RAY_AUTH_MODE", mode)
    with pytest.raises(InputError) as err, pr.ray_session("127.0.0.1:6379"):
        pass
    assert "could not start or join Ray at 127.0.0.1:6379" in err.value.what
    assert ("RAY_AUTH_MODE=token" in err.value.fix) is (mode is None), err.value.fix


def test_the_input_reaches_ray_as_an_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []

    class Data:
        def read_json(self, path: str, **kwargs) -> None:
            read.append(path)

        read_parquet = read_json

    class Ray:
        data = Data()

    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.jsonl").write_text("")
    (tmp_path / "in.parquet").write_text("")
    pr._read(Ray(), Path("in.jsonl"), pa.schema([]))
    pr._read(Ray(), Path("in.parquet"), pa.schema([]))
    assert read == [str(tmp_path / "in.jsonl"), str(tmp_path / "in.parquet")]


class _Cluster:
    def __init__(self, cpus: float) -> None:
        self.cpus = cpus

    def cluster_resources(self) -> dict[str, float]:
        return {"CPU": self.cpus}


@pytest.mark.parametrize(
    ("cpus", "workers", "threads", "fits"),
    [
        (1, 1, 1, "start the cluster with more (`ray start --head --num-cpus 2`)"),
        (3, 2, 2, "--workers 2 --threads 1 fits"),
    ],
)
def test_a_cluster_without_a_cpu_besides_the_actors_is_refused(
    cpus: int, workers: int, threads: int, fits: str
) -> None:
    with pytest.raises(InputError) as err:
        pr.check_cpus(_Cluster(cpus), workers, threads, "127.0.0.1:6379")
    assert f"at 127.0.0.1:6379 has {cpus} CPU(s)" in err.value.what
    assert "waits for ever" in err.value.what and fits in err.value.fix
    pr.check_cpus(_Cluster(workers * threads + 1), workers, threads)  # enough: no error
