"""A passage the model cannot read (prelabel's ``model_language_warning``) on a real Label
Studio (stop 53, browser check): it opened at once with "Show the passage" ticked, its
prediction read "fixture-model-1 · 52.00%" and the lead's grid a prediction score 0.520,
and nothing in the grid said the model cannot read it. Now it opens behind a content
warning saying why, its prediction has no score, the grid's preview marks it, in a plain
project and in a review set's queues, and a later push's hiding refresh keeps it hidden.
The unit tests are tests/studio/test_unreadable_language_pushed.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.review.exposure import HIDDEN_BY_FIELD
from annotate.review.queue_tasks import reviewer_projects
from annotate.review.view import REVEAL
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from annotate.studio.tasks import UNREADABLE_PRIORITY

from .helpers import PRELABELS, tasks_by_passage
from .review_team import add_team, push_set

pytestmark = pytest.mark.integration

ARABIC = "سأقتلك غدا. هذا تهديد حقيقي؟ أعرف أين تسكن وسأجدك قريبا جدا."
PASSAGE = "doc-ar-p0"
# the warning's reason and the grid's preview, as a reviewer reads them
WHY = "the model cannot read this passage, so it cannot tell whether it is graphic"
PREVIEW = "[hidden: model cannot read it]"


def _prelabels(tmp_path: Path) -> Path:
    """The fixture's pre-labels and an Arabic threat the model scored `none` (0.52) and
    `violent_threat` 0.95 (scores that mean nothing), as prelabel writes it."""
    first = json.loads(PRELABELS.read_text(encoding="utf-8").splitlines()[0])
    scores = {c: 0.001 for c in first["scores"]}
    row = {
        **first,
        "id": PASSAGE,
        "text": ARABIC,
        "scores": {**scores, "violent_threat": 0.95, "none": 0.52},
        "labels": ["none"],
        "spans": [{"label": "threat", "start": 0, "end": 6, "score": 0.9}],
        "doc_id": "doc-ar",
        "passage_index": 0,
        "start": 0,
        "end": len(ARABIC),
        "model_language_warning": "Arabic script (the model was trained on en text)",
    }
    out = tmp_path / "prelabels.jsonl"
    rows = PRELABELS.read_text(encoding="utf-8").rstrip("\n") + "\n"
    out.write_text(rows + json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def _check(client: StudioClient, project_id: int) -> None:
    """The Arabic passage's task in ``project_id`` as the server holds it."""
    task = tasks_by_passage(client, project_id)[PASSAGE]
    data = task["data"]
    assert data["warning"].startswith(f"Content warning ({WHY})"), data
    assert data["preview"] == PREVIEW
    assert data[HIDDEN_BY_FIELD] == ""  # not graphic: no graphic count, no cap
    assert data["priority"] == UNREADABLE_PRIORITY  # its 0.95 does not move it
    preds = [p for p in client.list_predictions(project_id) if p.get("task") == task["id"]]
    assert len(preds) == 1, preds
    pred: dict[str, Any] = preds[0]
    assert pred.get("score") is None, pred  # the server's "Prediction score" column
    assert REVEAL not in {r["from_name"] for r in pred["result"]}  # opens hidden
    for r in pred["result"]:
        assert r.get("score") is None and "text" not in r["value"], r


def test_a_passage_the_model_cannot_read_is_pushed_hidden_without_a_score(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    source = _prelabels(tmp_path)
    pushed = push(source, name, client=client)
    assert pushed.failed == 0
    _check(client, pushed.project_id)
    again = push(source, name, client=client)  # the hiding refresh keeps it hidden
    assert again.created == 0
    _check(client, pushed.project_id)


def test_a_review_sets_queues_hide_it_too(client: StudioClient, name: str, tmp_path: Path) -> None:
    team = add_team(("ana", "ben"), "unread.test")
    source = _prelabels(tmp_path)
    push_set(name, team, source=source)
    push_set(name, team, source=source)  # the blind hiding refresh keeps it hidden
    queues = reviewer_projects(client, name)
    assert set(queues) == set(team)
    for project in queues.values():
        _check(client, int(project["id"]))
