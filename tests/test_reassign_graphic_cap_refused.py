"""`annotate review reassign` into a review set pushed with --max-graphic-per-reviewer N
only warned when the move left the reviewer handed to above N open graphic tasks (stop 47's
new-user pass): the cap is a wellbeing limit the lead set, and a hand-over moves every open
task. The hand-over is now refused before anything changes, naming the reviewer, their
count, the cap and reviewers with room, unless --allow-over-graphic-cap. No server here:
the check reads the queues' tasks from a fake (the real Label Studio runs in
tests/integration/test_reassign_graphic_cap.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from annotate.errors import InputError
from annotate.review import handover
from annotate.review.held_back import record_held
from tests.test_handover_leftovers import SET, URL, queue


def task(tid: int, passage: str, graphic: bool, answered: bool = False) -> dict[str, Any]:
    return {
        "id": tid,
        "data": {"passage_id": passage, "graphic_hidden_by": "model" if graphic else ""},
        "meta": {},
        "total_annotations": int(answered),
        "cancelled_annotations": 0,
    }


class Tasks:
    """A server that lists each queue's tasks."""

    url = URL

    def __init__(self, by_project: dict[int, list[dict[str, Any]]]) -> None:
        self.by_project = by_project

    def iter_tasks(self, project_id: int, include: str = "id,data", **_: Any):
        return iter(self.by_project.get(project_id, []))


@pytest.fixture
def capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The set's latest push from this machine ran with --max-graphic-per-reviewer 1."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    record_held(URL, SET, tmp_path / "pre.jsonl", {}, max_graphic=1, k=2)


SRC, DEST, FULL = (
    queue(1, "r-ben", "ben@x.org"),
    queue(2, "r-cai", "cai@x.org"),
    queue(3, "r-ana", "ana@x.org"),
)
MEMBERS = {"ana@x.org", "ben@x.org", "cai@x.org", "dan@x.org"}
MOVING = [task(11, "g1", True), task(12, "p1", False)]
HELD = {"g0": task(21, "g0", True), "a0": task(22, "a0", True, answered=True)}


def check(client: Tasks, held: dict[str, Any], to_copy: list[dict[str, Any]]) -> None:
    handover._check_graphic_room(
        client,  # type: ignore[arg-type]
        SET,
        [SRC, DEST, FULL],
        MEMBERS,
        SRC,
        "cai@x.org",
        held,
        to_copy,
    )


def test_a_move_above_the_cap_is_refused_naming_count_cap_and_room(capped: None) -> None:
    client = Tasks({3: [task(31, "g2", True)]})  # ana is at the cap; dan has no queue
    with pytest.raises(InputError) as err:
        check(client, HELD, MOVING)
    said = " ".join(str(err.value).split())
    assert (
        "handing ben@x.org (r-ben)'s 2 open task(s) in 'Batch 12' to cai@x.org would leave "
        "cai@x.org with 2 open graphic task(s) (1 now, 1 of those moved), above the cap of 1 "
        "the set was pushed with (push --max-graphic-per-reviewer 1). Nothing was moved."
    ) in said, said
    assert (
        "with room for 1 more (dan@x.org: `annotate review reassign --project 'Batch 12' " in said
    )
    assert "--from ben@x.org --to dan@x.org`)" in said and "ana@x.org" not in said
    assert "--allow-over-graphic-cap" in said


def test_within_the_cap_without_a_graphic_move_or_without_a_cap_it_goes_on(
    capped: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Tasks({})
    check(client, {"a0": HELD["a0"]}, MOVING)  # an answered graphic task is not open
    check(client, HELD, [task(12, "p1", False)])  # nothing graphic moves
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "other"))  # no cap recorded here
    check(client, HELD, MOVING)


def test_the_option_reaches_the_hand_over(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake(*_: Any, **kw: Any) -> Any:
        seen.update(kw)
        raise handover.graphic_cap_error(
            SET, "ben@x.org (r-ben)", "ben@x.org", "cai@x.org", 1, 1, 2, 1, []
        )

    monkeypatch.setattr("annotate.studio.client.connect", lambda: SimpleNamespace(url=URL))
    monkeypatch.setattr(handover, "reassign", fake)
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "test-salt")
    from typer.testing import CliRunner

    from annotate.cli import app

    args = ["review", "reassign", "--project", SET, "--from", "ben@x.org", "--to", "cai@x.org"]
    done = CliRunner().invoke(app, args, terminal_width=400)
    assert done.exit_code != 0 and seen["allow_over_graphic_cap"] is False
    said = " ".join(done.output.split())
    assert "above the cap of 1" in said and "Traceback" not in said, said
    assert "none of the set's other reviewers has room for 1 more" in said
    CliRunner().invoke(app, [*args, "--allow-over-graphic-cap"])
    assert seen["allow_over_graphic_cap"] is True
