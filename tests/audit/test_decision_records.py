"""Decision records: DSA statement-of-reasons field names and values, one per reviewed passage."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from annotate.audit.verify import verify
from annotate.cli import main
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks

# allowed values as listed by the DSA Transparency Database API (StatementStoreRequest)
DSA_CATEGORIES = {
    "STATEMENT_CATEGORY_ANIMAL_WELFARE", "STATEMENT_CATEGORY_CONSUMER_INFORMATION",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE", "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN",
    "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE", "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
    "STATEMENT_CATEGORY_PROTECTION_OF_MINORS", "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
    "STATEMENT_CATEGORY_SCAMS_AND_FRAUD", "STATEMENT_CATEGORY_SELF_HARM",
    "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS", "STATEMENT_CATEGORY_VIOLENCE",
}  # fmt: skip
DECISION_GROUNDS = {"DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"}
AUTOMATED_DECISIONS = {
    "AUTOMATED_DECISION_FULLY",
    "AUTOMATED_DECISION_PARTIALLY",
    "AUTOMATED_DECISION_NOT_AUTOMATED",
}
CONTENT_TYPES = {
    "CONTENT_TYPE_APP", "CONTENT_TYPE_AUDIO", "CONTENT_TYPE_IMAGE", "CONTENT_TYPE_PRODUCT",
    "CONTENT_TYPE_SYNTHETIC_MEDIA", "CONTENT_TYPE_TEXT", "CONTENT_TYPE_VIDEO", "CONTENT_TYPE_OTHER",
}  # fmt: skip
SOURCE_TYPES = {
    "SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER", "SOURCE_VOLUNTARY",
    "SOURCE_TYPE_OTHER_NOTIFICATION",
}  # fmt: skip
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DOC = Path(__file__).resolve().parents[2] / "docs" / "decision-records.md"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dr") / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s", decision_records=True)  # type: ignore[arg-type]
    return out


def _records(corpus: Path) -> dict[str, dict[str, Any]]:
    lines = (corpus / "decision_records.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["annotate"]["passage_id"]: r for r in map(json.loads, lines)}


def test_one_record_per_reviewed_passage_listed_in_the_manifest(corpus: Path) -> None:
    records = _records(corpus)
    assert len(records) == 5
    manifest = json.loads((corpus / "manifest.json").read_text())
    assert manifest["decision_records"]["rows"] == 5
    assert "decision_records.jsonl" in manifest["files"]
    verify(corpus)


def test_values_are_the_apis(corpus: Path) -> None:
    for r in _records(corpus).values():
        assert re.fullmatch(r"[A-Za-z0-9_-]+", r["puid"])
        assert (
            r["content_type"] == ["CONTENT_TYPE_TEXT"] and set(r["content_type"]) <= CONTENT_TYPES
        )
        assert r["source_type"] in SOURCE_TYPES
        assert r["automated_detection"] in {"Yes", "No"}
        assert r["automated_decision"] in AUTOMATED_DECISIONS
        assert DAY.match(r["application_date"]) and DAY.match(r["content_date"])
        assert len(r["decision_facts"]) <= 5000
        if r["annotate"]["applies"]:
            assert r["category"] in DSA_CATEGORIES and r["decision_ground"] in DECISION_GROUNDS
            assert set(r["category_addition"]) <= DSA_CATEGORIES
            assert r["incompatible_content_ground"] and r["incompatible_content_explanation"]
        else:
            assert r["category"] is None and r["decision_ground"] is None


def test_decision_facts_are_the_resolved_review(corpus: Path) -> None:
    records = _records(corpus)
    threat = records["doc-a-p1"]
    assert threat["category"] == "STATEMENT_CATEGORY_VIOLENCE"
    assert threat["automated_detection"] == "Yes"  # the model flagged violent_threat
    assert threat["automated_decision"] == "AUTOMATED_DECISION_PARTIALLY"
    assert threat["application_date"] == "2026-06-01" and threat["content_date"] == "2026-05-01"
    assert threat["annotate"]["labels"] == ["violent_threat"]
    assert threat["annotate"]["spans"][0]["text"] == "nobody leaves alive"
    assert '"nobody leaves alive" [threat,' in threat["decision_facts"]
    assert "Human review by 3 reviewers, majority vote." in threat["decision_facts"]
    incite = records["doc-c-p0"]
    assert incite["category_specification"] == ["KEYWORD_INCITEMENT_VIOLENCE_HATRED"]
    assert incite["automated_detection"] == "No"  # the model said none
    museum = records["doc-b-p0"]
    assert museum["annotate"]["applies"] is False and museum["category"] is None
    quiet = records["doc-c-p1"]  # the model flagged it, reviewers resolved none
    assert quiet["annotate"]["applies"] is False and quiet["automated_detection"] == "Yes"


def test_every_field_is_documented(corpus: Path) -> None:
    doc = DOC.read_text(encoding="utf-8")
    record = next(iter(_records(corpus).values()))
    fields = [k for k in record if k != "annotate"] + [f"annotate.{k}" for k in record["annotate"]]
    missing = [f for f in fields if f"`{f}`" not in doc]
    assert not missing, f"undocumented in {DOC.name}: {missing}"


def test_cli_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import annotate.corpus.export as export_module

    monkeypatch.setattr(export_module, "connect", lambda: FakeStudio(reviewed_tasks()))
    with pytest.raises(SystemExit) as done:
        main(["export", "-p", "p", "-o", str(tmp_path / "c"), "--decision-records", "--redact"])
    assert done.value.code == 0
    records = _records(tmp_path / "c")
    assert "jane.roe@example.com" not in json.dumps(records)
    # doc-c-p0's text was masked: its record names it by the same pseudonym as its row
    (masked,) = [r for pid, r in records.items() if pid.startswith("pp_")]
    assert "doc-c-p0" not in records and "[EMAIL-1]" in masked["decision_facts"]


def test_a_passage_a_lead_decided_says_so(tmp_path: Path) -> None:
    from tests.integration.helpers import choices

    from .fakes import THREAT, StudioWithLead, lead_task

    # doc-a-p1: three reviewers, a majority for violent_threat; a lead then decides incitement
    lead = [lead_task("doc-a-p1", THREAT, [choices("category", ["incitement"])])]
    studio = StudioWithLead(reviewed_tasks(), lead)
    export("p", tmp_path / "c", client=studio, salt="s", decision_records=True)  # type: ignore[arg-type]
    records = _records(tmp_path / "c")
    decided = records["doc-a-p1"]
    assert decided["annotate"]["resolution"] == "adjudicated"
    assert decided["annotate"]["labels"] == ["incitement"]
    # it said "Human review by 3 reviewer(s), majority vote" for the lead's decision
    assert "majority vote" not in decided["decision_facts"]
    assert "a lead adjudicator decided" in decided["decision_facts"]
    assert "unanimous" in records["doc-b-p0"]["decision_facts"]  # two reviewers, both none
    # one reviewer: it said "Human review by 1 reviewer(s), majority vote"
    single = records["doc-a-p0"]["decision_facts"]
    assert single.startswith("Human review by 1 reviewer, whose answer decides (no vote).")
    assert "majority" not in single and "reviewer(s)" not in single


def test_a_record_holds_the_adjudication_and_skips_of_its_row(tmp_path: Path) -> None:
    """decision_records.jsonl lacked what the export rows hold of a lead's decision (the
    lead's own answer, where severity and spans came from, what it started from, whether
    it overturned the vote), of skips, and of the changed-answers rule (note49)."""
    from annotate.audit.decision_records import ADDED_6_DEC_2026, records_differing
    from annotate.corpus.resolve import pseudonym
    from tests.integration.helpers import choices

    from .fakes import THREAT, StudioWithLead, annotation, lead_task

    tasks = reviewed_tasks()
    skip = {**annotation(201, 5, [], minute=40, lead_time=1.0), "was_cancelled": True}
    tasks[1]["annotations"].append(skip)  # reviewer 5 skipped doc-a-p1 (task 12)
    lead = [lead_task("doc-a-p1", THREAT, [choices("category", ["incitement"])])]
    out = tmp_path / "c"
    export("p", out, client=StudioWithLead(tasks, lead), salt="s", decision_records=True)  # type: ignore[arg-type]
    rows = {
        r["id"]: r
        for f in (out / "jsonl").glob("*.jsonl")
        for r in map(json.loads, f.read_text().splitlines())
    }
    records = _records(out)
    block = records["doc-a-p1"]["annotate"]
    adj = block["adjudication"]
    assert adj["categories"] == ["incitement"] and adj["severity"] == ""
    assert adj["severity_from"] == rows["doc-a-p1"]["adjudication"]["severity_from"]
    assert adj["spans_from"] == rows["doc-a-p1"]["adjudication"]["spans_from"]
    assert adj["ls_annotation_id"] == 901 and adj["reviewer"] == pseudonym(4, "s")
    assert adj["overturned"] is True  # the reviewers' majority was violent_threat
    assert block["skipped_by"] == [pseudonym(5, "s")]
    assert [(s["project_id"], s["task_id"]) for s in block["skips"]] == [(7, 12)]
    assert block["agreed_only_after_shown"] is False
    assert block["changed_answers_accepted"] is False
    assert records["doc-b-p0"]["annotate"]["adjudication"] is None
    # a lead who kept the vote's categories did not overturn it
    kept = [lead_task("doc-a-p1", THREAT, [choices("category", ["violent_threat"])])]
    export(
        "p", tmp_path / "k", client=StudioWithLead(reviewed_tasks(), kept), salt="s",  # type: ignore[arg-type]
        decision_records=True,
    )  # fmt: skip
    assert _records(tmp_path / "k")["doc-a-p1"]["annotate"]["adjudication"]["overturned"] is False

    # verify reads a records file written before these fields without calling every
    # record changed; a record of today with one of them edited is named
    review = json.loads((out / "manifest.json").read_text())["review"]
    path = out / "decision_records.jsonl"
    old = tmp_path / "old.jsonl"
    lines = []
    for rec in map(json.loads, path.read_text().splitlines()):
        rec["annotate"] = {k: v for k, v in rec["annotate"].items() if k not in ADDED_6_DEC_2026}
        lines.append(json.dumps(rec))
    old.write_text("\n".join(lines) + "\n")
    assert records_differing(old, rows, None, review) == ([], [], [])
    assert records_differing(path, rows, None, review) == ([], [], [])
    edited = tmp_path / "edited.jsonl"
    recs = [json.loads(x) for x in path.read_text().splitlines()]
    for rec in recs:
        if rec["annotate"]["passage_id"] == "doc-a-p1":
            rec["annotate"]["adjudication"]["overturned"] = False
    edited.write_text("\n".join(map(json.dumps, recs)) + "\n")
    differ, _, _ = records_differing(edited, rows, None, review)
    assert differ == [("doc-a-p1", ["annotate.adjudication"])]


def test_two_answers_one_with_categories_is_no_vote() -> None:
    """break4 B5: a row of two answers where one chose no category is ``single`` now; its
    record says one reviewer chose the categories (it read "majority vote")."""
    from annotate.audit.decision_records import _decided_by

    row = {"resolution": "single", "label_tie": False, "n_reviewers": 2}
    assert _decided_by(row) == "one of whom chose the categories (no vote)"
    assert _decided_by({**row, "resolution": "unanimous"}) == "unanimous"
