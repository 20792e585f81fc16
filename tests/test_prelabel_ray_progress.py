"""`prelabel --engine ray`'s progress moves as the actors score model batches, not once
per bucket (up to 2,048 passages) as its rows come back: the labelers tell a tally actor
what they scored, the driver reads it twice a second. These tests run the pieces on a
stand-in for Ray (no Ray started); tests/test_prelabel_ray.py runs them on a local Ray."""

from __future__ import annotations

import threading
import time
from typing import Any

from annotate import prelabeling_ray as pr


class _Method:
    def __init__(self, fn: Any) -> None:
        self.fn = fn

    def remote(self, *args: Any) -> Any:
        return self.fn(*args)


class _Handle:
    """An actor handle of the stand-in: ``handle.add.remote(n)`` calls ``add(n)``."""

    def __init__(self, obj: Any) -> None:
        self._obj = obj

    def __getattr__(self, name: str) -> _Method:
        return _Method(getattr(self._obj, name))


class _FakeRay:
    def remote(self, **options: Any) -> Any:
        assert options == {"num_cpus": 0}  # the tally takes no CPU from the actors

        def wrap(cls: type) -> Any:
            return _Method(lambda *a: _Handle(cls(*a)))

        return wrap

    def get(self, value: Any, timeout: float | None = None) -> Any:
        return value


def test_a_buckets_batches_reach_progress_before_its_rows(monkeypatch) -> None:
    monkeypatch.setattr(pr, "POLL_EVERY", 0.01)
    seen: list[int] = []
    lock = threading.Lock()

    def progress(n: int) -> None:
        with lock:
            seen.append(n)

    with pr._Progress(_FakeRay(), progress, total=96) as told:
        telling = pr._Telling(told.tally, every=0)  # a labeler: tells every batch
        for i in range(1, 4):  # three model batches of 32 of one bucket
            telling(32)
            deadline = time.monotonic() + 5
            while sum(seen) < 32 * i and time.monotonic() < deadline:
                time.sleep(0.005)
        assert seen == [32, 32, 32]  # before the rows came back: one call per batch
        told.wrote(96)  # the bucket's rows: nothing more to count
    assert seen == [32, 32, 32]
    assert not told.thread.is_alive()


def test_progress_never_passes_the_total_nor_goes_back(monkeypatch) -> None:
    monkeypatch.setattr(pr, "POLL_EVERY", 60)  # the thread never reads: rows only
    seen: list[int] = []
    with pr._Progress(_FakeRay(), seen.append, total=10) as told:
        told.wrote(4)
        told._reach(3)  # behind what was shown: nothing
        told.wrote(4)
        told._reach(25)  # a restarted actor's bucket scored twice: capped
    assert seen == [4, 4, 2]


def test_a_labeler_tells_at_most_every_interval_and_at_its_end() -> None:
    added: list[int] = []
    tally = _Handle(type("T", (), {"add": lambda self, n: added.append(n)})())
    telling = pr._Telling(tally, every=3600)
    for _ in range(5):
        telling(8)
    assert added == []  # within the interval: kept
    telling.flush()
    assert added == [40]
    telling.flush()
    assert added == [40]  # nothing pending: nothing told
