"""A gold passage that later comes in regular pre-labels (the gold table pushed as data,
or pre-labels made from the same documents) stays gold and is skipped by the push,
against a real Label Studio. The warning is printed once (it was printed twice: the
library's log line and the CLI's), and it lasts: `review status`, `agreement` and
export say so every time, not only the push that skipped it.

Skipping, not refusing, is the design: nothing is lost or counted twice, and a batch of
new documents should not wait on a few passages picked for gold earlier; what must not
happen is a lead taking them for reviewed data, so every later command names them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.studio.client import StudioClient

from .helpers import GOLD, gold_pushed_as_data
from .review_team import add_team, answer_as, push_set, reviewer_flags, run

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
WARNED = "gold passage(s) of review set"


def cli(*args: str) -> str:
    """``annotate ARGS`` in a process of its own, as a lead runs it (its logging set up as
    the CLI sets it up, which an in-process run under pytest does not show); stdout and
    stderr together."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "annotate", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


def test_a_gold_passage_pushed_as_data_is_warned_once_and_every_time_after(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben = add_team(("ana", "ben"), "gold.test")
    monday, wednesday = gold_pushed_as_data(tmp_path)
    push_set(name, (ana, ben), "--gold", str(GOLD), "--gold-rate", "0.25", "-q", source=monday)

    out = cli("push", str(wednesday), "--project", name, "-k", "2", *reviewer_flags((ana, ben)))
    assert out.count("gold tasks already in") == 1, out  # the CLI's line, not the log's too
    assert "warning: 1 passage(s) skipped because they are gold tasks" in out, out

    # the reviewers answer the gold passage (export scores it as gold)
    for email, proj in reviewer_projects(client, name).items():
        answer_as(client, email, int(proj["id"]), "doc-h-p0", ["none"])
    status = run("review", "status", "--project", name)
    assert f"warning: 1 {WARNED} {name!r}" in status, status
    # every answered task read for the open contradictions (only the answer fields)
    assert "could not be listed" not in status and "could not be read" not in status, status
    agreement = run("agreement", "--project", name)
    assert f"warning: 1 {WARNED} {name!r}" in agreement, agreement
    shown = run("agreement", "--project", name, "--json")
    assert WARNED in shown  # on stderr: the JSON on stdout stays JSON

    out = cli("export", "--project", name, "--out", str(tmp_path / "corpus"), "-q")
    assert out.count("were skipped because they are gold tasks") == 1, out
    manifest = json.loads((tmp_path / "corpus" / "manifest.json").read_text())
    assert manifest["review"]["gold_passages_also_regular"] == 1
