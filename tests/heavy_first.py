"""The slowest test files first, for `make test`'s pytest-xdist run.

``--dist loadfile`` hands each worker one whole test file at a time, in the order of the
work queue; `make test` passes ``--no-loadscope-reorder`` so that this queue is the
collection order, which :func:`heavy_first` sets: the files of :data:`HEAVY_FIRST`
first, the rest in pytest's own order. A file of a minute or more handed out last keeps
one worker busy while the other has nothing left to do; handed out first, the many small
files that follow even the two workers out. (xdist's default queue, most tests per file
first, put one-test files such as test_notebook_retrain.py, 40 s, at the very end.)

The list is the files that took 40 test-seconds or more (setup included: a Label Studio
start counts in the first test of a worker that needs one) in the median of five full CI
runs (c56a-c58d, stop 59), slowest first. It only orders: a file missing from it runs
where pytest collects it, and a listed file that is renamed or removed fails
tests/test_heavy_first.py, so the list cannot go stale silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

HEAVY_FIRST: tuple[str, ...] = (
    "tests/integration/test_handover.py",
    "tests/test_prelabel_ray.py",
    "tests/integration/test_concurrency.py",
    "tests/integration/test_postgres.py",
    "tests/test_train_loop.py",
    "tests/integration/test_slow_server.py",
    "tests/test_prelabel_resume_killed.py",
    "tests/integration/test_review_lost_answers.py",
    "tests/integration/test_fault_suite.py",
    "tests/integration/test_review.py",
    "tests/integration/test_handover_unfinished.py",
    "tests/integration/test_browser.py",
    "tests/integration/test_adjudication_blindness.py",
    "tests/integration/test_browser_layout.py",
    "tests/test_embedding_cache_reproducible.py",
    "tests/evaluation/test_compare.py",
    "tests/integration/test_review_answers_astray.py",
    "tests/test_notebook_retrain.py",
    "tests/integration/test_deletion_guard_stale.py",
    "tests/integration/test_export_snapshot_left.py",
    "tests/audit/test_redact_passage_pseudonyms.py",
)


class Item(Protocol):
    """What :func:`heavy_first` reads of a collected test (a ``pytest.Item``)."""

    @property
    def nodeid(self) -> str: ...


def file_of(item: Item) -> str:
    """The file of a collected test, as xdist's ``loadfile`` groups it:
    ``tests/x/test_y.py`` of ``tests/x/test_y.py::Class::test[param]``."""
    return item.nodeid.split("::", 1)[0]


def heavy_first(items: list[Item], heavy: Sequence[str] = HEAVY_FIRST) -> None:
    """Reorder ``items`` in place: the tests of the files in ``heavy``, in that order of
    files, then every other test; each file's tests, and the other files, keep their
    order (a stable sort)."""
    rank = {name: i for i, name in enumerate(heavy)}
    items.sort(key=lambda item: rank.get(file_of(item), len(rank)))
