"""A held-back entry goes stale once another push queues its passage, against a real Label
Studio: a push of file A with --max-graphic-per-reviewer 0 records the graphic passage as
waiting in no queue; a push of file B (the same passages, no cap) queues it, and A's entry
stayed in the record for good. `review status` now prunes it and says so; an entry whose
passage no queue holds stays, however often status runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotate.review.held_back import _path
from annotate.studio.client import StudioClient

from .helpers import PRELABELS
from .review_team import add_team, push_set, run
from .test_reassign_graphic_cap import with_two_graphic

pytestmark = pytest.mark.integration
GRAPHIC = "doc-c-p1"  # the fixture's one passage the model flags graphic_violence


def test_status_prunes_an_entry_another_push_queued(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben = add_team(("ana", "ben"), "heldback.test")
    push_set(name, (ana, ben), "--max-graphic-per-reviewer", "0")
    record = _path(client.url, name)
    assert GRAPHIC in record.read_text(encoding="utf-8")
    for _ in range(2):  # still waiting: kept, run after run
        held = run("review", "status", "--project", name)
        assert "1 graphic passage(s) in no queue" in held and "pruned" not in held, held
    assert record.is_file()

    other = tmp_path / "same-passages.jsonl"
    shutil.copy(PRELABELS, other)
    push_set(name, (ana, ben), source=other)  # no cap: it is queued
    status = run("review", "status", "--project", name)
    assert "in no queue" not in status, status
    assert (
        f"note: 1 held-back record entr(ies) pruned: passages a queue holds now (e.g. {GRAPHIC!r})"
        in status
    ), status
    assert not record.exists()  # A's only entry went, and the record with it
    assert "pruned" not in run("review", "status", "--project", name)


def test_a_passage_held_back_from_some_queues_only_is_no_entry_to_prune(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    """Stop 46's new-user pass (#12): pushed to three reviewers, two per passage, at most
    one open graphic passage each, the second graphic passage went to one queue only;
    `review reassign`, then `review status` said "1 held-back record entr(ies) pruned:
    ... queued since by another push", though no push had run: the push recorded a
    passage it had queued (held back from one queue only) as held back. It now records
    only those held back from every queue (the other is short of K, counted so)."""
    team = list(add_team(("ana", "ben", "cai"), "heldsome.test"))
    pushed = run(
        "push",
        str(with_two_graphic(tmp_path)),
        "--project",
        name,
        "-k",
        "2",
        "--max-graphic-per-reviewer",
        "1",
        *[f"--reviewer={e}" for e in team],
    )
    assert "1 graphic passage(s) held back (1 reviewer task(s) not made)" in pushed, pushed
    # over the cap on purpose: the held-back record is what this test reads (reassign
    # refuses a hand-over above the cap unless told)
    run(
        "review", "reassign", "--project", name, "--from", team[1], "--to", team[2],
        "--allow-over-graphic-cap",
    )  # fmt: skip
    status = run("review", "status", "--project", name)
    assert "pruned" not in status and "in no queue" not in status, status
    assert "in fewer than 2 queues: held back by push --max-graphic-per-reviewer" in " ".join(
        status.split()
    ), status
