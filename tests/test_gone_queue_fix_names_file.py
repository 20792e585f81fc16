"""`review status`'s warning on a deleted reviewer queue named its fix as `annotate push
PRELABELS --project NAME -k K --recreate-deleted` (stop 47's new-user pass, F11): the
lead had to remember which file filled the set. A review push records the pre-labels
file it sent (annotate.studio.pushed_projects), and the warning names it, quoted for the
shell; the placeholder stays only where no file is recorded (a push by an earlier
version, or from another machine)."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

from annotate.cli.review.status import gone_queues_line
from annotate.review.fanout import push_review
from annotate.review.gone_queues import GoneQueues, gone_queues
from annotate.studio import pushed_projects as pp
from tests.test_review_fanout import PRELABELS, ReviewStudio

URL = "http://127.0.0.1:8080"


def test_the_record_lists_the_files_pushed_latest_last_and_keeps_them() -> None:
    pp.remember(URL, "Batch", {3: "Batch · r-a"})
    assert pp.pushed_files(URL, "Batch") == []
    pp.remember_file(URL, "Batch", "/data/a.jsonl")
    pp.remember_file(URL, "Batch", "/data/b.jsonl")
    pp.remember_file(URL, "Batch", "/data/a.jsonl")  # pushed again: last now
    assert pp.pushed_files(URL, "Batch") == ["/data/b.jsonl", "/data/a.jsonl"]
    pp.remember(URL, "Batch", {4: "Batch · r-b"})  # the projects' record keeps the files
    pp.forget(URL, "Batch", [3])
    assert pp.recorded(URL, "Batch") == {4: "Batch · r-b"}
    assert pp.pushed_files(URL, "Batch") == ["/data/b.jsonl", "/data/a.jsonl"]
    assert pp.pushed_files(URL, "Other") == []


def test_status_names_the_file_the_push_sent(tmp_path: Path) -> None:
    pushed = tmp_path / "week 49's pre-labels.jsonl"  # a space and a quote: quoted
    shutil.copy(PRELABELS, pushed)
    client = ReviewStudio()
    result = push_review(pushed, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    kept = result.reviewers[0].project_id
    gone = gone_queues(client, "Batch", [kept], "s")  # type: ignore[arg-type]
    assert gone is not None and gone.prelabels == (str(pushed.resolve()),)
    line = " ".join(gone_queues_line(gone, "Batch", 2).split())
    assert line.endswith(
        f"annotate push {shlex.quote(str(pushed.resolve()))} --project Batch -k 2 "
        "--recreate-deleted"
    ), line
    assert "PRELABELS" not in line


def test_several_files_are_each_named_and_none_keeps_the_placeholder() -> None:
    record = Path("/state/x.json")
    files = tuple(f"/data/b{i}.jsonl" for i in range(8))
    line = " ".join(gone_queues_line(GoneQueues({4: "B · r-b"}, {}, record, files), "B", 2).split())
    first = "annotate push /data/b0.jsonl --project B -k 2 --recreate-deleted, then push each"
    assert first in line
    assert "/data/b1.jsonl, /data/b2.jsonl, /data/b3.jsonl, /data/b4.jsonl, /data/b5.jsonl" in line
    assert line.endswith("and 2 more (listed in the record)")
    bare = gone_queues_line(GoneQueues({4: "B · r-b"}, {}, record), "B", None)
    assert " ".join(bare.split()).endswith("annotate push PRELABELS --project B --recreate-deleted")
