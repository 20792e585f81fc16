"""A hand-over whose copy request loses its answer after the server made only some of
the copies (every second one), the retry's answer naming no task ids, against the real
Label Studio. The fault is made in the client here: the fault proxy loses whole answers,
and Label Studio imports a batch whole, so a partial landing and an answer without ids
are simulated around the real requests.

The read-back finds the copies made, the rest is sent again; import_retrying returned
the found ids first, then the answer's (none here), and the hand-over paired them with
its source tasks by position (a traceback here; with other counts, a copy taken for
another passage's). Now the ids come by passage: a task answered while the move ran
keeps its passage with its reviewer and its own copy is the one deleted."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from annotate.errors import StudioUnavailableError
from annotate.review.queue_tasks import reviewer_projects
from annotate.studio import retry as retry_mod
from annotate.studio.client import ImportAnswer, StudioClient

from .helpers import passage_ids
from .review_team import add_team, answer_as, push_set, run

pytestmark = pytest.mark.integration


def test_a_hand_over_pairs_copies_by_passage_after_a_partly_landed_lost_request(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retry_mod, "LOST_RETRY_S", 0.1)
    ana, ben, cai = add_team(("ana", "ben", "cai"), "mixed-loss.test")
    push_set(name, (ana, ben))
    ana_q = int(reviewer_projects(client, name)[ana]["id"])
    originals = {t["data"]["passage_id"]: int(t["id"]) for t in client.iter_tasks(ana_q)}
    answered: list[str] = []
    real = StudioClient.import_tasks
    calls: list[list[Any]] = []

    def partly(self: StudioClient, project_id: int, tasks: Any) -> ImportAnswer:
        calls.append(list(tasks))
        if len(calls) == 1:  # every second copy made, then the answer lost
            real(self, project_id, tasks[1::2])
            raise StudioUnavailableError("no answer.", fix="wait.", still_working=False)
        made = real(self, project_id, tasks)
        if len(calls) == 2:  # ana answers the first passage sent again, while it runs
            answered.append(str(tasks[0]["data"]["passage_id"]))
            answer_as(client, ana, ana_q, answered[0], ["none"])
        return ImportAnswer([], made.task_count, made.prediction_count)  # no ids named

    monkeypatch.setattr(StudioClient, "import_tasks", partly)
    out = run("review", "reassign", "--project", name, "--from", ana, "--to", cai)
    assert len(calls) == 2 and len(calls[1]) == len(calls[0]) - len(calls[0][1::2]), calls
    assert "5 open task(s) (0 gold) moved" in out and "1 answered during the move" in out, out
    cai_q = int(reviewer_projects(client, name)[cai]["id"])
    # the answered passage's copy went, not another passage's
    assert Counter(passage_ids(client, cai_q)) == Counter(p for p in originals if p != answered[0])
    assert passage_ids(client, ana_q) == answered
    for task in client.iter_tasks(cai_q, include="id,data,meta"):
        record = task["meta"]["annotate_handover"]
        assert record["from_task"] == originals[task["data"]["passage_id"]]
