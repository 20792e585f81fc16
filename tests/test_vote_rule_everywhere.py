"""The places that still read a vote by the rule before stop 58, where every answer votes
on every category (reader58b F7): a lead's decision record's ``overturned``, the report's
list of ties awaiting a lead, and gold accuracy for gold expecting only a category added
since. In an export whose rows were resolved over the answers offered each category
(manifest ``labels_not_offered_vote: left out``) they read the vote the same way; an
export made before that rule is read as it was written."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.audit.decision_records import records_differing, row_fields
from annotate.audit.stats import adjudications, gold_missed
from annotate.cli.review.agreement import gold_scores
from annotate.corpus.offered import vote_record
from annotate.review.gold import gold_accuracy, gold_file_rows
from tests.test_consensus_not_offered import NOT_OFFERED, ORDER, _row, _write
from tests.test_taxonomy_label_added import with_harassment

VOTE = {"labels_not_offered": NOT_OFFERED, "labels_not_offered_vote": "left out"}


def _adjudicated(tax) -> dict:
    """Two answers under 1.0.0 (harassment not offered) and one under 1.1.0 that chose
    it; the lead decided violent_threat and harassment, as the vote among those asked."""
    row = _row(tax, 1, ["violent_threat"], ["1.0.0", "1.0.0", "1.1.0"])
    row["annotations"][2]["categories"] = ["violent_threat", "harassment"]
    lead = {"reviewer": "lead", "categories": ["violent_threat", "harassment"]}
    return {
        **row,
        "labels": ["violent_threat", "harassment"],
        "resolution": "adjudicated",
        "adjudicator": "lead",
        "adjudication": lead,
    }


def test_vote_record_only_for_exports_resolved_over_the_answers_offered() -> None:
    assert vote_record(VOTE) == NOT_OFFERED
    assert vote_record({"labels_not_offered": NOT_OFFERED}) is None  # before stop 58
    assert vote_record({}) is None


def test_a_lead_agreeing_with_the_vote_of_those_asked_did_not_overturn_it() -> None:
    row = _adjudicated(with_harassment("1.1.0"))
    assert row_fields(row, None, NOT_OFFERED)["annotate"]["adjudication"]["overturned"] is False
    # an export before the rule: its rows counted every answer, as the record did
    assert row_fields(row)["annotate"]["adjudication"]["overturned"] is True


def test_export_writes_and_verify_reads_overturned_by_the_export_rule(tmp_path: Path) -> None:
    from annotate.audit.decision_records import manifest_entry

    tax = with_harassment("1.1.0")
    out = tmp_path / "export"
    _write(out, tax, [_adjudicated(tax)], {**VOTE, "decision_records": manifest_entry(1)})
    path = out / "decision_records.jsonl"
    (record,) = [json.loads(line) for line in path.read_text().splitlines()]
    assert record["annotate"]["adjudication"]["overturned"] is False
    rows = {"ls-1": _adjudicated(tax)}
    assert records_differing(path, rows, None, None, NOT_OFFERED) == ([], [], [])


def test_the_ties_awaiting_a_lead_are_read_over_the_answers_offered() -> None:
    # harassment: chosen by one of the two answers offered it (a tie among those asked);
    # by one of three answers when the 1.0.0 answer's forced "no" counts (no tie)
    tax = with_harassment("1.1.0")
    row = _row(tax, 1, ["violent_threat"], ["1.0.0", "1.1.0", "1.1.0"], label_tie=True)
    row["annotations"][1]["categories"] = ["violent_threat", "harassment"]
    row["resolution"] = "tie"
    (waiting,) = adjudications([row], NOT_OFFERED)["undecided"]
    assert waiting["categories"] == ["harassment"]
    assert adjudications([row])["undecided"][0]["categories"] == []


def test_gold_expecting_only_an_added_category_does_not_judge_older_answers() -> None:
    row = {
        "id": "g1",
        "gold": {"labels": ["harassment"], "severity": "high"},
        "annotations": [
            # under 1.0.0 harassment could not be chosen: "none" was the answer left
            {"reviewer": "old", "categories": ["none"], "severity": "high",
             "taxonomy_version": "1.0.0"},
            {"reviewer": "new", "categories": ["none"], "severity": "high",
             "taxonomy_version": "1.1.0"},
        ],
    }  # fmt: skip
    report = gold_accuracy([row], ORDER, min_accuracy=0.5, not_offered=NOT_OFFERED)
    old, new = report["reviewers"]["old"], report["reviewers"]["new"]
    assert old["exact"] is None and old["exact_n_items"] == 0 and not old["flagged"]
    assert old["severity"] == 1.0  # the severity was asked: still judged
    assert new["exact"] == 0.0 and new["flagged"] and "exact_n_items" not in new
    assert gold_missed(report)["old"] == []
    assert [m["passage_id"] for m in gold_missed(report)["new"]] == ["g1"]
    (line,) = gold_file_rows([row], NOT_OFFERED)
    assert {a["reviewer"]: a["exact"] for a in line["answers"]} == {"old": None, "new": False}
    assert gold_scores(old).startswith("n/a exact")
    # gold expecting no category at all is judged as before
    nothing = {**row, "gold": {"labels": [], "severity": "high"}}
    both = gold_accuracy([nothing], ORDER, not_offered=NOT_OFFERED)["reviewers"]
    assert both["old"]["exact"] == 0.0 and both["new"]["exact"] == 0.0
