"""A blind queue's content warning names why the passage is hidden without the model's
score (passC50 R2: "likely harmful: model violent_threat score 0.56 >= 0.5" in every
reviewer's queue, where README promises reviewers never see the model's confidence); the
lead's plain project keeps the score. No server."""

from __future__ import annotations

import re

from annotate.review.fanout import push_review
from annotate.review.rehide import plan
from annotate.review.view import BLIND_GRAPHIC_SCORE, blind_task
from tests.test_graphic_backstop import COUNCIL, TAX, _harmful_task, _task
from tests.test_review_fanout import PRELABELS, ReviewStudio

SCORE = re.compile(r"\d\.\d+ >= ")


def test_a_blind_queue_warning_names_the_label_without_the_score() -> None:
    task = _harmful_task(0.62)
    assert "likely harmful: model violent_threat score 0.62 >= 0.5" in task["data"]["warning"]
    blind = blind_task(task, TAX)
    assert "likely harmful: model label violent_threat)" in blind["data"]["warning"]
    assert not SCORE.search(blind["data"]["warning"])
    assert task["data"]["warning"] != blind["data"]["warning"]  # the lead's copy unchanged


def test_a_blind_queue_warning_of_a_low_graphic_score_gives_no_number() -> None:
    task = _task(COUNCIL, 0.12, ["news_reporting"])
    assert task["data"]["graphic_hidden_by"] == "model graphic score 0.12 >= 0.1"
    blind = blind_task(task, TAX)
    assert f"graphic violence: {BLIND_GRAPHIC_SCORE}" in blind["data"]["warning"]
    assert not SCORE.search(blind["data"]["warning"])
    # the record of why it was hidden (exposure counts by it) keeps the reason
    assert blind["data"]["graphic_hidden_by"] == "model graphic score 0.12 >= 0.1"


def test_a_review_push_queues_warnings_without_scores_and_a_re_push_keeps_them() -> None:
    client = ReviewStudio()
    push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    queued = [t for tasks in client.tasks.values() for t in tasks if t["data"]["warning"]]
    assert queued and not any(SCORE.search(t["data"]["warning"]) for t in queued)
    # a queue task pushed before (its warning with the score) is brought up to the rule
    # at the next push; one pushed since is left alone
    listed = [{"id": t["id"], "data": t["data"], "open": True} for t in queued]
    assert plan(listed, TAX, blind=True)[0] == []
    old = _harmful_task(0.62)
    todo, counts = plan([{"id": 1, "data": old["data"], "open": True}], TAX, blind=True)
    assert counts.reason == 1 and not SCORE.search(todo[0][1]["warning"])
