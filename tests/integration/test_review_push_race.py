"""Two `annotate push -k 2` into one new review set at the same time, on one machine:
each found no queue and made its own, so every reviewer had two queues and every passage
four holders (seen by a lead who ran the push twice in two terminals). The review push now
takes the push lock of the set's name, as a plain push does: the second waits, then finds
every passage there. Against the session's real Label Studio."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from annotate.review.queue_tasks import list_projects
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection

from .helpers import tasks_by_passage
from .review_team import add_team
from .test_concurrency import ROOT, many_prelabels

pytestmark = pytest.mark.integration


def test_two_review_pushes_at_once_make_one_queue_per_reviewer(
    studio: Connection, client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben = add_team(("ana", "ben"), "race.test")
    prelabels = tmp_path / "prelabels.jsonl"
    ids = many_prelabels(prelabels, 4)
    env = {
        **os.environ,
        "LABEL_STUDIO_URL": studio.url,
        "LABEL_STUDIO_API_KEY": studio.api_key,
        "ANNOTATE_LOCK_DIR": str(tmp_path / "locks"),
        "PYTHONPATH": str(ROOT),
    }
    cmd = [sys.executable, "-m", "annotate", "push", str(prelabels), "--project", name]
    cmd += ["-k", "2", "--reviewer", ana, "--reviewer", ben, "--quiet"]
    procs = [
        subprocess.Popen(cmd, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and "Traceback" not in err, out + err
    queues = [p for p in list_projects(client) if str(p["title"]).startswith(f"{name} · ")]
    assert len(queues) == 2, [q["title"] for q in queues]
    holders = Counter(pid for q in queues for pid in tasks_by_passage(client, int(q["id"])))
    assert sorted(holders) == sorted(ids) and set(holders.values()) == {2}
