"""prelabel's progress gets its total from the early row check (precheck_rows) for a
JSONL or CSV input, whose rows no footer counts: a long run in a log said
"prelabel: 20,000 passages, 95 passages/s" with no percentage and no time left."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.prelabeling import prelabel


class Recorder:
    """A progress callable with ``set_total`` (annotate._util.progress)."""

    def __init__(self) -> None:
        self.total: int | None = None
        self.done = 0

    def __call__(self, n: int) -> None:
        self.done += n

    def set_total(self, total: int) -> None:
        self.total = total


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_table_without_a_footer_gives_progress_its_total(tmp_path: Path, suffix: str) -> None:
    rows = [
        {"id": f"p{i}", "text": f"The council met on day {i} to discuss roads."} for i in range(5)
    ]
    src = tmp_path / f"passages{suffix}"
    if suffix == ".jsonl":
        src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    else:
        src.write_text("id,text\n" + "".join(f"{r['id']},{r['text']}\n" for r in rows))
    progress = Recorder()
    stats = prelabel(src, tmp_path / "out.jsonl", progress=progress)
    assert progress.total == stats.passages == progress.done == 5
