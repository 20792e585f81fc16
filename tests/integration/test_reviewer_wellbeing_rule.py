"""One reviewer's stricter hiding rule (labels.yaml ``wellbeing.reviewers``, newuser61
finding 8) through ``annotate push -k 2`` into a real Label Studio: a passage the model
scores 0.08 for graphic violence opens at once in one reviewer's queue and behind its
content warning in the part-time reviewer's, whose task records why; a rule for an
e-mail with no account is refused before anything is pushed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.review.view import OWN_RULE_NOTE
from annotate.studio.client import StudioClient
from tests.conftest import ROOT
from tests.test_graphic_backstop import _row
from tests.test_reviewer_wellbeing_rule import QUOTE

from .review_team import add_team, push_set, run
from .test_wellbeing_repush import _view

pytestmark = pytest.mark.integration


def _labels(tmp_path: Path, email: str) -> Path:
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    head = text[: text.index("\nwellbeing:")]
    path = tmp_path / "labels.yaml"
    own = f"    {email}: {{hide_graphic_score: 0.02}}\n"
    path.write_text(head + "\nwellbeing:\n  reviewers:\n" + own, encoding="utf-8")
    return path


def test_the_part_time_reviewers_copy_is_hidden_and_the_others_is_not(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    rows = [{**_row(QUOTE, 0.08, ["news_reporting"]), "id": "pt-quote"}]
    path = tmp_path / "prelabels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    team = add_team(("pat", "olu"), "parttime.test")
    pat, olu = team

    out = push_set(
        name, team, "--labels", str(_labels(tmp_path, "nobody@parttime.test")), code=1, source=path
    )
    assert "nobody@parttime.test" in out and "no reviewer account" in out, out
    assert not reviewer_projects(client, name)  # refused before any queue was made

    push_set(name, team, "--labels", str(_labels(tmp_path, pat.upper())), source=path)
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, name).items()}
    assert _view(client, queues[olu])["pt-quote"] == ("", True)  # opens at once
    why = f"model graphic score 0.08 >= 0.02 ({OWN_RULE_NOTE})"
    assert _view(client, queues[pat])["pt-quote"] == (why, False)  # behind its warning
    task = next(iter(client.iter_tasks(queues[pat])))
    assert "0.0" not in task["data"]["warning"]  # the warning names no score


def test_a_rule_added_later_hides_the_open_copies_already_in_that_queue(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    path = tmp_path / "prelabels.jsonl"
    path.write_text(json.dumps({**_row(QUOTE, 0.08, ["news_reporting"]), "id": "pt-old"}) + "\n")
    team = add_team(("pat", "olu"), "parttime.test")
    pat, olu = team
    push_set(name, team, source=path)  # the set-wide rule: open in both queues
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, name).items()}
    assert _view(client, queues[pat])["pt-old"] == ("", True)

    out = push_set(name, team, "--labels", str(_labels(tmp_path, pat)), source=path)
    assert "1 now hidden behind a content warning (e.g. pt-old)" in out, out
    why = f"model graphic score 0.08 >= 0.02 ({OWN_RULE_NOTE})"
    assert _view(client, queues[pat])["pt-old"] == (why, False)
    assert _view(client, queues[olu])["pt-old"] == ("", True)


def test_a_hand_over_to_that_reviewer_moves_the_tasks_under_their_rule(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    path = tmp_path / "prelabels.jsonl"
    path.write_text(json.dumps({**_row(QUOTE, 0.08, ["news_reporting"]), "id": "pt-move"}) + "\n")
    ana, ben, pat = add_team(("ana", "ben", "pat"), "parttime.test")
    push_set(name, (ana, ben), source=path)  # the set-wide rule: open in both queues
    labels = str(_labels(tmp_path, pat))
    run("review", "reassign", "--project", name, "--from", ana, "--to", pat, "--labels", labels)
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, name).items()}
    why = f"model graphic score 0.08 >= 0.02 ({OWN_RULE_NOTE})"
    assert _view(client, queues[pat])["pt-move"] == (why, False)
    assert _view(client, queues[ben])["pt-move"] == ("", True)


def test_her_own_graphic_cap_holds_her_queue_and_a_hand_over_to_her(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    """A reviewer back from leave gets at most 1 open graphic passage (labels.yaml
    ``max_graphic: 1``), the set pushed without --max-graphic-per-reviewer: the others'
    queues take the rest, a re-push adds her none, and a hand-over to her is refused."""
    rows = [
        {**_row(f"{QUOTE} ({i})", 0.5, ["news_reporting"]), "id": f"cap-{i}", "doc_id": f"d{i}"}
        for i in range(4)
    ]
    path = tmp_path / "prelabels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    pat, olu, ana = add_team(("pat", "olu", "ana"), "leave.test")
    labels = tmp_path / "labels.yaml"
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    own = f"    {pat}: {{max_graphic: 1}}\n"
    labels.write_text(text[: text.index("\nwellbeing:")] + "\nwellbeing:\n  reviewers:\n" + own)

    def graphic_in(queue: int) -> int:
        return sum(1 for why, _ in _view(client, queue).values() if why)

    out = push_set(name, (pat, olu, ana), "--labels", str(labels), source=path)
    said = " ".join(out.split())
    assert f"{pat}'s queue holds at most 1 open graphic passage(s)" in said, said
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, name).items()}
    assert graphic_in(queues[pat]) == 1
    assert graphic_in(queues[olu]) + graphic_in(queues[ana]) == 7  # K=2 of 4, less hers
    push_set(name, (pat, olu, ana), "--labels", str(labels), source=path)  # a re-run
    assert graphic_in(queues[pat]) == 1
    out = run(
        "review", "reassign", "--project", name, "--from", olu, "--to", pat,
        "--labels", str(labels), code=1,
    )  # fmt: skip
    said = " ".join(out.split())
    assert f"above {pat}'s own cap of 1 (labels.yaml wellbeing.reviewers: max_graphic 1)" in (
        said
    ), said
    assert graphic_in(queues[pat]) == 1  # nothing moved
