"""Agreement counts blind answers only: an answer made or changed after the adjudication
project showed its passage's answers to every member (:mod:`annotate.review.blindness`)
is left out of `annotate agreement`, agreement.json and the report's agreement section,
which say how many and which way that leans the figures; `agreement` prints export's
warning. Label Studio Community keeps no earlier version of a changed answer, so leaving
it out is the honest figure (stop 48, F16: an answer PATCHed to match counted as
agreement, with no word in `agreement` or beside the report's alpha table)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import krippendorff
import numpy as np
import pytest
from typer.testing import CliRunner

from annotate.cli.export import exposure_warning
from annotate.review.agreement import agreement, summary_lines
from annotate.review.blindness import after_exposure, blind_answers, left_out_sentence
from annotate.review.report import review_reports
from annotate.taxonomy import load_taxonomy

SHOWN = "2026-12-01T10:00:00Z"  # the adjudication task of p-dispute was made then
BEFORE, AFTER = "2026-12-01T09:00:00Z", "2026-12-01T10:30:00Z"
PAIRS = [("none", "none"), ("incitement", "incitement"), ("none", "none"), ("none", "none")]


def _answer(who: str, cat: str, saved: str = BEFORE, severity: str = "low") -> dict[str, Any]:
    return {
        "reviewer": who,
        "categories": [cat],
        "severity": severity,
        "created_at": BEFORE,
        "updated_at": saved,
        "taxonomy_version": "1",
    }


def _rows() -> list[dict[str, Any]]:
    """Four passages both reviewers answered alike, and p-dispute: ana said
    news_reporting, ben incitement; adjudication showed both, then ben changed his answer
    to news_reporting (its updated_at is after the task's created_at)."""
    rows = [
        {
            "id": f"p-{i}",
            "labels": [a],
            "resolution": "unanimous",
            "annotations": [_answer("r-ana", a), _answer("r-ben", b)],
        }
        for i, (a, b) in enumerate(PAIRS)
    ]
    rows.append(
        {
            "id": "p-dispute",
            "labels": ["news_reporting"],
            "resolution": "unanimous",
            "annotations": [
                _answer("r-ana", "news_reporting"),
                _answer("r-ben", "news_reporting", saved=AFTER),
            ],
        }
    )
    return rows


def test_the_answers_after_exposure_are_taken_out_and_counted() -> None:
    rows = _rows()
    record = after_exposure(rows, {"p-dispute": SHOWN})
    blind, left = blind_answers(rows, record)
    assert left is not None
    assert left["answers"] == 1 and left["passages"] == ["p-dispute"]
    assert left["passages_without_two_blind_answers"] == ["p-dispute"]
    assert left["by_reviewer"] == {"r-ben": 1}
    assert [a["reviewer"] for a in blind[-1]["annotations"]] == ["r-ana"]
    assert blind[-1]["labels"] == ["news_reporting"]  # the corpus label stays
    assert len(rows[-1]["annotations"]) == 2  # the rows given are left as they were
    # no record (a plain project): every answer counts, nothing is said
    same, none = blind_answers(rows, None)
    assert none is None and same == rows
    assert left_out_sentence(none) == ""
    assert left_out_sentence(blind_answers(rows, after_exposure(rows, {}))[1]) == ""


def test_a_passage_keeping_two_blind_answers_stays() -> None:
    row = {
        "id": "p3",
        "labels": ["none"],
        "annotations": [
            _answer("r-a", "none"),
            _answer("r-b", "none"),
            _answer("r-c", "none", saved=AFTER),
        ],
    }
    blind, left = blind_answers([row], after_exposure([row], {"p3": SHOWN}))
    assert left is not None and left["answers"] == 1
    assert left["passages_without_two_blind_answers"] == []
    assert len(blind[0]["annotations"]) == 2
    sentence = left_out_sentence(left)
    assert sentence.startswith("1 answer made or changed after the adjudication project")
    assert "(not blind: p3) is left out of these figures." in sentence
    assert "disputed" not in sentence  # no passage left the figures: nothing leans them


def test_agreement_json_counts_blind_answers_only() -> None:
    """The figures are the library's (krippendorff) over the answers made before the
    passage was shown: p-dispute, with one blind answer left, is out of them."""
    tax = load_taxonomy(None)
    rows = _rows()
    report = review_reports(rows, [], tax, late_answers=after_exposure(rows, {"p-dispute": SHOWN}))[
        "agreement.json"
    ]
    assert report["n_items"] == 4 and report["n_rows"] == 5
    left = report["answers_after_adjudication"]
    assert left["answers"] == 1 and left["passages_without_two_blind_answers"] == ["p-dispute"]
    # by hand: news_reporting over the four blind passages, nobody chose it
    ana = [1.0 if a == "incitement" else 0.0 for a, _ in PAIRS]
    ben = [1.0 if b == "incitement" else 0.0 for _, b in PAIRS]
    expected = krippendorff.alpha(
        reliability_data=np.array([ana, ben]), level_of_measurement="nominal", value_domain=[0, 1]
    )
    assert report["categories"]["incitement"]["alpha"] == pytest.approx(expected, abs=1e-4)
    assert report["categories"]["news_reporting"]["n_items"] == 4
    assert report["categories"]["news_reporting"]["alpha"] is None  # no variation: n/a
    # the same figures as agreement() of the four passages without p-dispute
    alone = agreement(
        rows[:4], tax.category_names, tax.severity_names, no_harm_severity=tax.no_harm_severity
    )
    for key in ("n_items", "reviewers", "categories", "severity", "pairwise_kappa"):
        assert report[key] == alone[key], key
    # without the record (a plain project) the changed answer counts, as before
    assert review_reports(rows, [], tax)["agreement.json"]["n_items"] == 5


def test_the_cli_lines_say_it_beside_the_alpha() -> None:
    tax = load_taxonomy(None)
    rows = _rows()
    report = review_reports(rows, [], tax, late_answers=after_exposure(rows, {"p-dispute": SHOWN}))[
        "agreement.json"
    ]
    lines = summary_lines(report, review_set="Break 1", reviewers_per_task=2)
    assert lines[0].startswith("4 of 5 passages with a submitted answer")
    assert lines[1] == (
        "  1 answer made or changed after the adjudication project showed its passage's "
        "answers (not blind: p-dispute) is left out of these figures; 1 passage no longer "
        "has two blind answers and is out of them. Those passages were disputed when "
        "adjudication showed them, so the figures leave disagreements out and likely read "
        "higher than the round's blind agreement."
    )
    assert lines[2].lstrip().startswith("violent_threat")
    # every passage's second answer was made after: nothing measured, and said why
    late = [
        {**r, "annotations": [r["annotations"][0], {**r["annotations"][1], "updated_at": AFTER}]}
        for r in rows
    ]
    shown = {str(r["id"]): SHOWN for r in rows}
    none = review_reports(late, [], tax, late_answers=after_exposure(late, shown))["agreement.json"]
    lines = summary_lines(none, review_set="Break 1", reviewers_per_task=2)
    assert len(lines) == 2 and "5 answers made or changed" in lines[1], lines


def test_the_agreement_command_warns_as_export_does(monkeypatch: pytest.MonkeyPatch) -> None:
    from annotate.cli import app

    class Users:
        def users(self) -> list[dict[str, Any]]:
            return []

    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "s")
    monkeypatch.setattr("annotate.studio.client.connect", lambda: Users())
    monkeypatch.setattr(
        "annotate.review.collect.collect",
        lambda *a, **k: SimpleNamespace(
            rows=_rows(),
            projects={},
            not_offered={},  # the categories each labeling config did not offer
            gold_rows=[],
            gold_also_regular=[],
            review_set=True,
            reviewers_per_task=2,
            adjudication_shown={"p-dispute": SHOWN},
        ),
    )
    ran = CliRunner().invoke(app, ["agreement", "--project", "Break 1", "-q"])
    assert ran.exit_code == 0, ran.output
    assert (
        "warning: 1 answer(s) (e.g. passage p-dispute) were made or changed after the "
        f"adjudication project, open to every member from {SHOWN}, showed their passage's "
        "answers: they were not blind, so the agreement figures leave them out" in ran.output
    )
    assert "4 of 5 passages with a submitted answer" in ran.output
    assert "(not blind: p-dispute) is left out of these figures" in ran.output
    # --json: the record is in the report, the warning still on stderr
    ran = CliRunner().invoke(app, ["agreement", "--project", "Break 1", "--json", "-q"])
    assert ran.exit_code == 0 and '"answers_after_adjudication": {' in ran.stdout
    assert "were made or changed after" in ran.output


def test_export_and_agreement_share_the_warning() -> None:
    rows = _rows()
    seen = after_exposure(rows, {"p-dispute": SHOWN})
    said = exposure_warning(seen, "THEN")
    assert said == (
        "warning: 1 answer(s) (e.g. passage p-dispute) were made or changed after the "
        f"adjudication project, open to every member from {SHOWN}, showed their passage's "
        "answers: THEN"
    )
    assert exposure_warning(after_exposure(rows, {}), "THEN") is None
    assert exposure_warning(None, "THEN") is None
