"""Gold tasks made from a sheet of id, text, gold_labels (the README's way) read
"(no provenance)" in the labeling view where every regular task names its file and
document: a new user's run found reviewers could tell the gold tasks apart. The push
says so, against the real Label Studio: what it warns of is what the server holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.studio.client import StudioClient
from annotate.studio.tasks import NO_PROVENANCE

from .helpers import FIXTURES, PRELABELS
from .review_team import add_team, run

pytestmark = pytest.mark.integration
DOC_FIELDS = ("doc_id", "source", "date", "title", "passage_index", "start", "end", "meta")


def test_gold_without_provenance_is_warned_of_and_what_reviewers_see_differs(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben = add_team(("ana", "ben"), "gold-tells.test")
    sheet = tmp_path / "gold.jsonl"
    rows = [json.loads(line) for line in (FIXTURES / "gold.jsonl").read_text().splitlines()]
    sheet.write_text(
        "".join(
            json.dumps({k: v for k, v in r.items() if k not in DOC_FIELDS}) + "\n" for r in rows
        )
    )
    opts = ["--project", name, "-k", "2", "--reviewer", ana, "--reviewer", ben, "-q"]
    out = run("push", str(PRELABELS), *opts, "--gold", str(sheet), "--gold-rate", "0.25")
    line = [x for x in out.splitlines() if "stand out" in x]
    assert len(line) == 1 and f'2 show "{NO_PROVENANCE}"' in line[0], out
    assert "Fix: " in line[0], out
    # what the reviewer's queue holds: gold without a provenance line, the rest with one
    proj = reviewer_projects(client, name)[ana]
    shown = {
        bool((t.get("meta") or {}).get("annotate_gold")): t["data"]["provenance"]
        for t in client.iter_tasks(int(proj["id"]), include="id,data,meta")
    }
    assert shown[True] == NO_PROVENANCE and shown[False] != NO_PROVENANCE, shown

    # a lower gold rate adds one of the sheet's two gold passages: the warning counts the
    # gold tasks the push added, not the sheet's rows
    one = run(
        "push",
        str(PRELABELS),
        "--project",
        f"{name}-c",
        "--new-set",
        *opts[2:],
        "--gold",
        str(sheet),
        "--gold-rate",
        "0.1",
    )
    line = [x for x in one.splitlines() if "stand out" in x]
    assert len(line) == 1 and f'1 show "{NO_PROVENANCE}"' in line[0], one

    # the fixture gold table, with its documents: nothing stands out, no warning
    other = run(
        "push",
        str(PRELABELS),
        "--project",
        f"{name}-b",
        "--new-set",
        *opts[2:],
        "--gold",
        str(FIXTURES / "gold.jsonl"),
        "--gold-rate",
        "0.25",
    )
    assert "stand out" not in other, other
