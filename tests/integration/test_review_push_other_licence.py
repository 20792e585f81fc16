"""A review-set push (`push -k K`) warns, as a plain push does, of passages already in
the set's queues under another licence than the file records (or none): a file ingested
again with --license pushed them as "already there" and said nothing, and the export
kept each task's licence. Against the session's real Label Studio."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.studio.client import StudioClient

from .helpers import PRELABELS
from .review_team import add_team, push_set

pytestmark = pytest.mark.integration


def test_a_review_push_warns_of_passages_there_under_another_licence(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben = add_team(("ana", "ben"), "review-licence.test")
    rows = [json.loads(x) for x in PRELABELS.read_text().splitlines() if x.strip()]
    plain, licensed = tmp_path / "plain.jsonl", tmp_path / "licensed.jsonl"
    plain.write_text("".join(json.dumps({**r, "license": None}) + "\n" for r in rows))
    licensed.write_text("".join(json.dumps({**r, "license": "CC-BY-4.0"}) + "\n" for r in rows))
    out = push_set(name, (ana, ben), "-q", source=plain)
    assert "another licence" not in out, out
    out = " ".join(push_set(name, (ana, ben), "-q", source=licensed).split())
    n = len({r["id"] for r in rows})
    assert f"warning: {n} passages of this file are already in '{name}' under another" in out
    assert "file 'CC-BY-4.0'" in out and "the export keeps the task's licence" in out, out
