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


def test_two_review_pushes_from_two_lock_folders_end_with_one_queue_per_reviewer(
    studio: Connection, client: StudioClient, name: str, tmp_path: Path
) -> None:
    """The push lock is one machine's: two machines (here two lock folders) pushing into
    one new review set at once each made every reviewer a queue. A queue is now made by
    reading back (annotate.review.queue_tasks.create_queue): whichever push's create came
    second gives way. The copies both pushes import into the one queue are the push's
    own concern (it warns and exits 1; the next push removes them)."""
    ana, ben = add_team(("ana", "ben"), "lockless.test")
    prelabels = tmp_path / "prelabels.jsonl"
    ids = many_prelabels(prelabels, 2)
    cmd = [sys.executable, "-m", "annotate", "push", str(prelabels), "--project", name]
    cmd += ["-k", "2", "--reviewer", ana, "--reviewer", ben, "--quiet"]
    procs = []
    for k in range(2):
        env = {
            **os.environ,
            "LABEL_STUDIO_URL": studio.url,
            "LABEL_STUDIO_API_KEY": studio.api_key,
            "ANNOTATE_LOCK_DIR": str(tmp_path / f"locks{k}"),  # no lock shared
            "PYTHONPATH": str(ROOT),
        }
        procs.append(
            subprocess.Popen(
                cmd, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
        )
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode in (0, 1) and "Traceback" not in err, out + err
    queues = [p for p in list_projects(client) if str(p["title"]).startswith(f"{name} · ")]
    assert len(queues) == 2, [q["title"] for q in queues]
    # the copies both imported go with the next push (one push: no race), exit 0
    again = subprocess.run(cmd, env=env, text=True, capture_output=True, timeout=300)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    holders = Counter(pid for q in queues for pid in tasks_by_passage(client, int(q["id"])))
    assert sorted(holders) == sorted(ids) and set(holders.values()) == {2}
