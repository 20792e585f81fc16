"""One reviewer's own graphic cap (labels.yaml ``wellbeing.reviewers.EMAIL.max_graphic``:
a reviewer back from leave, a new hire): push and reassign hold their queue to it as
``push --max-graphic-per-reviewer`` holds every queue, the stricter of the two applying;
the over-cap passages go to other reviewers with room, else wait; a bad entry is refused
with a clear error. No server here (the real one: tests/integration/
test_reviewer_wellbeing_rule.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.cli.review.held_back_lines import held_graphic_note
from annotate.errors import InputError, TaxonomyError
from annotate.review import handover
from annotate.review.assignment import assign
from annotate.review.graphic_cap import UNCAPPED, reviewer_cap, room_left
from annotate.review.held_back import record_held
from tests.test_reassign_graphic_cap_refused import (
    DEST,
    FULL,
    HELD,
    MEMBERS,
    MOVING,
    SET,
    SRC,
    URL,
    Tasks,
)
from tests.test_reviewer_wellbeing_rule import _tax

NEW = "new@x.org"
TAX = _tax(f"    {NEW.upper()}: {{max_graphic: 1}}\n")


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ("{max_graphic: -1}", "found -1"),
        ("{max_graphic: five}", "found 'five'"),
        ("{max_graphic: true}", "found True"),
        ("{max_graphic: 2.5}", "found 2.5"),
        ("{}", "expected hide_graphic_score (e.g. 0.02), max_graphic (e.g. 5) or both"),
    ],
)
def test_a_bad_entry_is_refused_naming_it(entry: str, said: str) -> None:
    with pytest.raises(TaxonomyError) as err:
        _tax(f"    {NEW}: {entry}\n")
    text = str(err.value)
    assert f"wellbeing.reviewers.{NEW}" in text and said in text, text
    if "max_graphic:" in entry:
        assert "whole number of open graphic passages, 0 or more" in text, text


def test_a_cap_alone_leaves_the_hiding_rule_alone() -> None:
    assert TAX.wellbeing.of_reviewer(NEW) is TAX.wellbeing


def test_the_stricter_cap_wins() -> None:
    assert reviewer_cap(None, TAX, NEW) == 1
    assert reviewer_cap(5, TAX, NEW) == 1
    assert reviewer_cap(0, TAX, NEW) == 0
    assert reviewer_cap(5, TAX, "olu@x.org") == 5
    assert reviewer_cap(None, TAX, "olu@x.org") is None


def test_only_her_queue_is_capped_and_the_rest_go_to_the_others() -> None:
    people = [NEW, "olu@x.org", "ana@x.org"]
    graphic = [f"g{i}" for i in range(4)]
    caps = {p: reviewer_cap(None, TAX, p) for p in people}
    room = room_left({NEW: 0}, caps, people)
    assert room == {NEW: 1, "olu@x.org": UNCAPPED, "ana@x.org": UNCAPPED}
    held: dict[str, int] = {}
    todo = assign(graphic, people, 2, {}, graphic=graphic, room=room, held_back=held)
    assert sum(NEW in who for who in todo.values()) == 1
    assert all(len(who) == 2 for who in todo.values()) and not held  # the others took them
    # a queue already holding one: no room, however many the others take
    room = room_left({NEW: 1}, caps, people)
    todo = assign(graphic, people, 3, {}, graphic=graphic, room=room, held_back=held)
    assert not any(NEW in who for who in todo.values())
    assert held == dict.fromkeys(graphic, 1)  # short of K=3: left for a later push


def test_the_push_summary_names_her_cap() -> None:
    line = held_graphic_note({"g1": 1, "g2": 1}, None, {NEW: 1})
    assert "by the reviewers' own max_graphic in labels.yaml (new@x.org 1)" in line, line
    line = held_graphic_note({"g1": 1}, 3, {NEW: 1})
    assert "by --max-graphic-per-reviewer 3 and the reviewers' own max_graphic" in line, line


def test_a_hand_over_above_her_own_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The set was pushed without a cap (or a looser one): her own cap of 1 refuses a
    move that leaves her 2 open graphic tasks, and names it."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    record_held(URL, SET, tmp_path / "pre.jsonl", {}, max_graphic=5, k=2)
    tax = _tax("    cai@x.org: {max_graphic: 1}\n")
    client = Tasks({3: []})  # ana's queue: room
    with pytest.raises(InputError) as err:
        handover._check_graphic_room(
            client,  # type: ignore[arg-type]
            SET,
            [SRC, DEST, FULL],
            MEMBERS,
            SRC,
            "cai@x.org",
            HELD,
            MOVING,
            tax=tax,
        )
    said = " ".join(str(err.value).split())
    assert "above cai@x.org's own cap of 1 (labels.yaml wellbeing.reviewers: max_graphic 1)" in (
        said
    ), said
    assert "room for 1 more (dan@x.org, ana@x.org" in said, said  # ana (set cap 5) has room
    # without her own cap the set's 5 lets it through
    handover._check_graphic_room(
        client,  # type: ignore[arg-type]
        SET,
        [SRC, DEST, FULL],
        MEMBERS,
        SRC,
        "cai@x.org",
        HELD,
        MOVING,
        tax=_tax("    pat@x.org: {max_graphic: 1}\n"),
    )


def test_passages_held_by_own_caps_alone_are_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No --max-graphic-per-reviewer, every member with an own cap (0 for new hires):
    the passages held from every queue went unrecorded, so `review status` and the
    export's held-back report never showed them (reader 62 finding 5)."""
    from annotate.cli.review.held_back_lines import held_back_lines
    from annotate.review.held_back import held_back, recorded_cap

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    caps = {"new@x.org": 0, "cai@x.org": 0}
    record_held(URL, SET, tmp_path / "pre.jsonl", {"g1": 2}, max_graphic=None, k=2, own_caps=caps)
    [entry] = held_back(URL, SET, queued=set())
    assert entry.passages == ("g1",) and entry.k == 2
    assert recorded_cap(URL, SET) is None  # the set-wide cap stays "none"
    [line] = held_back_lines(URL, SET, frozenset())
    line = " ".join(line.split())
    assert "held back by the reviewers' own max_graphic in labels.yaml (cai@x.org 0" in line
    assert "raise that max_graphic in labels.yaml" in line, line
    # nothing held back any more: the entry goes
    record_held(URL, SET, tmp_path / "pre.jsonl", {}, max_graphic=None, k=2, own_caps=caps)
    assert held_back(URL, SET, queued=set()) == []


def test_the_note_for_an_own_cap_of_0_names_the_fix() -> None:
    """An own cap of 0 never gets room: "push again once reviewers have answered some"
    was the wrong advice (reader 62 finding 9)."""
    line = " ".join(held_graphic_note({"g1": 2}, None, {NEW: 0}).split())
    assert "answered some" not in line, line
    assert "new@x.org (own max_graphic 0 in labels.yaml) never take(s)" in line, line
    assert "raise that max_graphic in labels.yaml wellbeing.reviewers" in line, line
    mixed = " ".join(held_graphic_note({"g1": 1}, None, {NEW: 0, "cai@x.org": 2}).split())
    assert "answered some" in mixed and "new@x.org (own max_graphic 0" in mixed, mixed


def test_an_unknown_reviewer_with_only_a_cap_is_refused_naming_the_cap() -> None:
    """Reader 62 finding 12: the reason named a hiding rule the entry does not have."""
    from annotate.review.reviewer_rule import check_reviewers

    with pytest.raises(InputError) as err:
        check_reviewers(TAX, ["ana@x.org"])
    said = " ".join(str(err.value).split())
    assert "their own graphic cap (max_graphic 1) would apply to nobody" in said, said
    assert "hiding rule" not in said, said


def test_an_own_caps_entry_travels_with_the_held_back_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`review held-back --out` / `--import`: the entry still says own caps held it."""
    from annotate.review.held_back import export_record, held_back, import_record

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "lead"))
    caps = {NEW: 0}
    record_held(URL, SET, tmp_path / "pre.jsonl", {"g1": 2}, max_graphic=None, k=2, own_caps=caps)
    doc = export_record(URL, SET)
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "other"))
    import_record(URL, SET, doc)
    [entry] = held_back(URL, SET, queued=set())
    assert entry.own_caps == caps and entry.set_cap is None
