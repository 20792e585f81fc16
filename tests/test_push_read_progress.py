"""A plain push reads the passage ids its project already holds before it sends
anything (a re-run reads them all: seconds to minutes, showing nothing), and its `push`
stage, made before that reading, said "push: 10 tasks done in 13 s" with the reading in
its time and rate. The reading has its own stage, `read`, and the `push` stage's clock
starts when the sending does (:func:`annotate._util.progress.begin`)."""

from __future__ import annotations

import io

from annotate._util.progress import begin, counted
from annotate.cli.progress_lines import ProgressLines


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_push_stage_counts_its_time_from_the_sending() -> None:
    out, clock = io.StringIO(), _Clock()
    push = ProgressLines("push", unit="task", total=None, out=out, interval=60, clock=clock)
    read = ProgressLines("read", unit="task", total=None, out=out, interval=60, clock=clock)
    for _ in counted(range(3000), read):
        clock.now += 0.01  # 30 s of reading what the project holds
    read.close()
    push.set_total(10)
    begin(push)
    clock.now += 12  # the sending
    push(10)
    assert out.getvalue().splitlines()[-2:] == [
        "read: 3,000 tasks done in 30 s",
        "push: 10 tasks done in 12 s",  # 42 s before: the reading counted too
    ]


def test_begin_and_counted_without_progress() -> None:
    begin(None)
    begin(lambda n: None)  # a plain callable has no clock
    assert list(counted("abc", None)) == ["a", "b", "c"]
