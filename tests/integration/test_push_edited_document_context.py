"""An edited document re-ingested with ``ingest --previous`` keeps only its changed
passages; pushed, their tasks showed no context (the neighbours, reviewed in the earlier
batch, are not in the file). Ingest now gives them their neighbours' text and push shows
it as the whole document pushed at once would have: through a real Label Studio, the
changed passage's task shows the same ``context_before``/``context_after`` as that of a
push of the whole edited document (a neighbour with a content warning as the note)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.ingestion import ingest
from annotate.prelabeling import prelabel
from annotate.review.queue_tasks import list_projects
from annotate.review.view import UNKNOWN_NEIGHBOUR, hidden_neighbour
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from tests.fakes import KeywordClassifier

from .helpers import tasks_by_passage
from .review_team import add_team, run

pytestmark = pytest.mark.integration

PARAS = [
    "Thread: new parking rules on Harbour Street, and the residents are not happy at all.",
    "Reply from Dan: whoever wrote these rules, I will kill him with my own hands tonight.",
    "Reply from Tom: honestly the bus lane might help, the number 6 is always stuck behind "
    "delivery vans on the corner by the bakery and the school, and the morning buses are "
    "twenty minutes late most days of the week, so anything that gets them moving is welcome "
    "to me. But the permit price is ridiculous for pensioners. I will sign the petition.",
    "Reply from the moderator: please keep the discussion to the petition and the council "
    "meeting on the fourteenth of next month.",
]
EDITED = [*PARAS[:2], PARAS[2].replace("I will sign", "I shall sign"), PARAS[3]]


def _prelabelled(tmp_path: Path, name: str, paras: list[str], previous: list[Path]) -> Path:
    docs = tmp_path / f"{name}.docs.jsonl"
    docs.write_text(json.dumps({"id": "thread-991", "text": "\n\n".join(paras)}) + "\n")
    passages = tmp_path / f"{name}.passages.jsonl"
    ingest([docs], passages, min_chars=20, max_chars=500, previous=previous)
    out = tmp_path / f"{name}.prelabels.jsonl"
    prelabel(passages, out, classifier=KeywordClassifier(_labels()))
    return out


def _labels() -> list[str]:
    from tests.conftest import project_taxonomy

    return list(project_taxonomy().category_names)


def test_the_changed_passage_shows_its_whole_documents_context(
    client: StudioClient, project_name: str, tmp_path: Path, taxonomy
) -> None:
    week1 = _prelabelled(tmp_path, "week1", PARAS, [])
    week2 = _prelabelled(tmp_path, "week2", EDITED, [tmp_path / "week1.passages.jsonl"])
    whole = _prelabelled(tmp_path, "whole", EDITED, [])
    assert len(week2.read_text().splitlines()) == 1  # only the edited reply

    push(week1, project_name, client=client, taxonomy=taxonomy)
    batch = push(week2, project_name, client=client, taxonomy=taxonomy)
    assert batch.created == 1
    reference = f"{project_name} whole"
    alone = f"{project_name} alone"
    try:
        ref = push(whole, reference, client=client, taxonomy=taxonomy, new_name=True)
        # the edited reply pushed into a project without the earlier batch
        fresh = push(week2, alone, client=client, taxonomy=taxonomy, new_name=True)
        pid = json.loads(week2.read_text())["id"]
        got = tasks_by_passage(client, batch.project_id)[pid]["data"]
        expected = tasks_by_passage(client, ref.project_id)[pid]["data"]
        assert (got["context_before"], got["context_after"]) == (
            expected["context_before"],
            expected["context_after"],
        )
        # the threat before it carries a content warning; the moderator's reply is shown
        threat = hidden_neighbour(_before(week1, week2))  # the note names its passage id
        assert (got["context_before"], got["context_after"]) == (threat, PARAS[3])
        unknown = tasks_by_passage(client, fresh.project_id)[pid]["data"]
        assert (unknown["context_before"], unknown["context_after"]) == (UNKNOWN_NEIGHBOUR,) * 2
    finally:
        for title in (reference, alone):
            project = client.find_project(title)
            if project is not None:
                client.sdk.projects.delete(int(project["id"]))


def test_a_review_sets_changed_passage_shows_its_whole_documents_context(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben = add_team(("ana", "ben"), "context.test")
    week1 = _prelabelled(tmp_path, "week1", PARAS, [])
    week2 = _prelabelled(tmp_path, "week2", EDITED, [tmp_path / "week1.passages.jsonl"])
    options = ["--project", name, "-k", "2", "--reviewer", ana, "--reviewer", ben]
    run("push", str(week1), *options)
    out = run("push", str(week2), *options)
    assert "show a note instead of a neighbouring passage" not in out, out
    pid = json.loads(week2.read_text())["id"]
    queues = [p for p in list_projects(client) if str(p["title"]).startswith(name)]
    assert len(queues) == 2
    for queue in queues:
        data = tasks_by_passage(client, int(queue["id"]))[pid]["data"]
        threat = hidden_neighbour(_before(week1, week2))
        assert (data["context_before"], data["context_after"]) == (threat, PARAS[3])


def _before(week1: Path, week2: Path) -> str:
    """The passage id of week1's passage just before week2's one passage (its document,
    the index before it)."""
    edited = json.loads(week2.read_text())
    rows = [json.loads(line) for line in week1.read_text().splitlines()]
    return next(
        str(r["id"])
        for r in rows
        if r["doc_id"] == edited["doc_id"] and r["passage_index"] == edited["passage_index"] - 1
    )
