"""`annotate export --gold-min-accuracy` over a round where a reviewer left and
`review reassign` handed their open gold tasks on warned "r-5534fa38d5 answered no gold
passage ... their queues' gold tasks may be unanswered yet, or their queues have none
(`annotate push ... --gold GOLD --gold-rate R` gives each queue gold tasks)" (stop 59
lead): the pseudonym alone, where the flagged reviewers beside it are named with their
e-mail, and a push suggested for a queue whose gold was handed on. The note now names
each reviewer as `review status` pairs them and says that gold handed on counts too."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.corpus.resolve import pseudonym
from annotate.review.gold import unmeasured_gold_note
from tests.corpus.test_flagged_warning import Users

GOLD = {"reviewers": {"r-aaa": {"exact": 1.0}}, "reviewers_without_gold": ["r-bbb"]}


def test_the_reviewer_without_gold_is_named_with_their_email() -> None:
    said = unmeasured_gold_note(0.8, GOLD, {"r-bbb": "ben@example.org"})
    assert "checked 1 of 2 reviewers: r-bbb (ben@example.org) answered no gold passage" in said
    assert "handed to another reviewer with their open tasks (`annotate review reassign`" in said


def test_without_emails_the_pseudonym_alone() -> None:
    said = unmeasured_gold_note(0.8, GOLD)
    assert "checked 1 of 2 reviewers: r-bbb answered no gold passage" in said, said


def test_agreement_names_them_by_email_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "s")
    eve, ben = pseudonym(3, "s"), pseudonym(4, "s")
    users = [{"id": 3, "email": "eve@ngo.example"}, {"id": 4, "email": "ben@ngo.example"}]
    monkeypatch.setattr("annotate.studio.client.connect", lambda: Users(users))
    monkeypatch.setattr(
        "annotate.review.collect.collect",
        lambda *a, **k: SimpleNamespace(
            rows=[],
            projects={},
            not_offered={},
            gold_rows=[],
            gold_also_regular=[],
            review_set=True,
            reviewers_per_task=2,
            adjudication_shown={},
        ),
    )
    one = {"flagged": False, "exact": 1.0, "n_items": 2, "severity": None, "severity_n_items": 0}
    gold = {"reviewers": {eve: one}, "reviewers_without_gold": [ben]}
    monkeypatch.setattr(
        "annotate.review.report.review_reports",
        lambda *a, **k: {"agreement.json": {"gold": gold}},
    )
    monkeypatch.setattr("annotate.review.agreement.summary_lines", lambda *a, **k: [])
    ran = CliRunner().invoke(app, ["agreement", "--project", "P", "--gold-min-accuracy", "0.8"])
    assert ran.exit_code == 0, ran.output
    said = " ".join(ran.output.split())
    assert f"checked 1 of 2 reviewers: {ben} (ben@ngo.example) answered no gold" in said, said
