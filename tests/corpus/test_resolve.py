"""Majority vote, ties and pseudonyms (table-driven)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.corpus.resolve import (
    ReviewedSpan,
    pseudonym,
    resolution,
    resolve,
    resolve_categories,
    resolve_severity,
    resolve_spans,
    severity_tie,
)

ORDER = ["violent_threat", "incitement", "news_reporting", "none"]
LEVELS = ["none", "low", "medium", "high", "critical"]


@pytest.mark.parametrize(
    ("votes", "labels", "tie"),
    [
        ([], [], False),
        ([["incitement"]], ["incitement"], False),
        ([["incitement"], ["incitement"]], ["incitement"], False),
        ([["incitement"], ["news_reporting"]], [], True),
        ([["incitement", "violent_threat"], ["incitement"]], ["incitement"], True),
        ([["none"], ["none"], ["incitement"]], ["none"], False),
        ([["none"], ["news_reporting"], ["incitement"]], [], True),  # no majority
        ([["incitement", "violent_threat"]] * 3, ["violent_threat", "incitement"], False),
        ([["incitement", "incitement"], ["none"], ["incitement"]], ["incitement"], False),
    ],
)
def test_resolve_categories(votes: list[list[str]], labels: list[str], tie: bool) -> None:
    assert resolve_categories(votes, ORDER) == (labels, tie)


@pytest.mark.parametrize(
    ("votes", "expected"),
    [
        ([], ""),
        (["", ""], ""),
        (["low"], "low"),
        (["low", "high"], "high"),  # tie: the highest
        (["low", "low", "high"], "low"),
        (["", "medium"], "medium"),
        (["critical", "none", "none"], "none"),
    ],
)
def test_resolve_severity(votes: list[str], expected: str) -> None:
    assert resolve_severity(votes, LEVELS) == expected


@pytest.mark.parametrize(
    ("votes", "tie"),
    [
        ([], False),
        (["", ""], False),
        (["high"], False),
        (["high", ""], False),  # an answer without a severity does not vote on it
        (["high", "critical"], True),  # 1-1: no majority
        (["high", "critical", "high"], False),  # 2 of 3
        (["low", "medium", "high"], True),
        (["low", "low", "high", "high"], True),
        (["low", "low", "high", "medium"], True),  # 2 of 4 is not more than half
    ],
)
def test_severity_tie(votes: list[str], tie: bool) -> None:
    assert severity_tie(votes) is tie


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # audit49 A14: one answer agrees with nobody: "single" (it read "unanimous")
        ([(["none"], "none")], "single"),
        ([(["incitement"], "high"), (["incitement"], "high")], "unanimous"),
        ([(["incitement"], "high"), (["incitement"], "critical")], "tie"),  # severity 1-1
        ([(["incitement"], "high"), (["incitement"], "")], "majority"),  # severity from one
        # passI53 I7: an answer without a severity (or read as none given) does not vote on
        # it: two agreeing severities and three agreeing category sets are unanimous
        ([(["none"], "none"), (["none"], "none"), (["none"], "")], "unanimous"),
        ([(["incitement"], ""), (["incitement"], "")], "unanimous"),  # no severity at all
        ([(["none"], "none"), (["none"], "low"), (["none"], "")], "tie"),
        ([(["incitement"], "high"), (["incitement"], "critical")] * 2, "tie"),  # 2-2
        ([(["incitement"], s) for s in ("high", "critical", "high")], "majority"),  # 2 of 3
        ([(["incitement"], "low"), (["none"], "low")], "tie"),  # categories 1-1
        ([(["none"], "low"), (["none"], "low"), (["incitement"], "low")], "majority"),
        # stop 48 F21: an answer with no category (the API accepts one) is incomplete: one
        # alone is no tie and not unanimous; beside a complete answer it does not vote
        ([([], "low")], "incomplete"),
        ([([], "low"), ([], "low")], "incomplete"),
        # break4 B5: so one answer that chose categories beside one that chose none is
        # no vote: "single" (it read "unanimous", and "majority" for a vote of one)
        ([(["incitement"], "high"), ([], "high")], "single"),
        ([(["incitement"], "high"), ([], "")], "single"),
        ([(["incitement"], "high"), (["none"], "high"), ([], "high")], "tie"),
        # stop 51: the severity of an answer without categories is compared with nobody:
        # beside one answer with categories it is no severity tie (the row was "single"
        # and label_tie at once, a tie no lead was ever sent), and it does not stop two
        # agreeing answers from being unanimous (its severity still votes)
        ([(["incitement"], "high"), ([], "low")], "single"),
        ([(["incitement"], "high"), (["incitement"], "high"), ([], "low")], "unanimous"),
        ([(["incitement"], "high"), (["incitement"], "critical"), ([], "critical")], "majority"),
        ([(["incitement"], "high"), (["incitement"], "critical"), ([], "low")], "tie"),
    ],
)
def test_resolution_and_tie_agree(answers: list[tuple[list[str], str]], expected: str) -> None:
    cats, sevs = [c for c, _ in answers], [s for _, s in answers]
    assert resolution(cats, sevs, category_order=ORDER) == expected
    res = resolve(cats, sevs, [[] for _ in answers], category_order=ORDER, severity_levels=LEVELS)
    assert res.tie is (expected == "tie")


A = ReviewedSpan(0, 4, "threat", "kill")
B = ReviewedSpan(10, 14, "quoted_propaganda", "burn")
C = ReviewedSpan(0, 4, "call_to_violence", "kill")


@pytest.mark.parametrize(
    ("votes", "expected"),
    [
        ([[A]], [A]),
        ([[A], [A]], [A]),
        ([[A], [B]], []),
        ([[B, A], [A], [C]], [A]),
        ([[A, B], [A, B], []], [A, B]),
    ],
)
def test_resolve_spans(votes: list[list[ReviewedSpan]], expected: list[ReviewedSpan]) -> None:
    assert resolve_spans(votes) == expected


def test_pseudonyms_are_stable_salted_and_short() -> None:
    assert pseudonym(7, "salt") == pseudonym(7, "salt")
    assert pseudonym(7, "salt") != pseudonym(8, "salt")
    assert pseudonym(7, "salt") != pseudonym(7, "other")
    assert pseudonym(7, "salt").startswith("r-") and len(pseudonym(7, "salt")) == 12
    assert "7" not in pseudonym(7, "salt")[2:] or pseudonym(7, "salt") != "r-7"


def test_a_one_answer_row_is_single_in_the_export_and_its_report(tmp_path: Path) -> None:
    """A consumer filtering ``resolution == "unanimous"`` as checked by several reviewers
    got one-answer rows (audit49 A14); the report's table already counted them apart."""
    from annotate.corpus.export import export
    from tests.audit.fakes import FakeStudio, reviewed_tasks

    out = tmp_path / "c"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    rows = {
        r["id"]: r
        for f in (out / "jsonl").glob("*.jsonl")
        for r in map(json.loads, f.read_text().splitlines())
    }
    assert {r["resolution"] for r in rows.values() if r["n_reviewers"] == 1} == {"single"}
    assert rows["doc-b-p0"]["resolution"] == "unanimous"  # two answers alike
    resolutions = json.loads((out / "manifest.json").read_text())["review"]["resolutions"]
    assert resolutions["single"] == sum(r["n_reviewers"] == 1 for r in rows.values())
    assert resolutions["unanimous"] == 1
    md = (out / "report" / "report.md").read_text()
    assert f"| one answer (no agreement to measure) | {resolutions['single']} |" in md
    assert "| unanimous | 1 |" in md
