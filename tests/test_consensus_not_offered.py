"""The resolved (consensus) label counts, per category, only the answers whose labeling
config offered it (reader57b #4): an answer made under labels.yaml 1.0.0, before
``harassment`` was appended in 1.1.0, neither chose nor declined harassment, so its
forced "no" does not vote on it. A passage none of whose answers was offered it is
undecided on it (no tie); training masks such categories, and an older export (whose
labels counted the forced no's) has every category any answer was not offered masked."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from annotate.audit.stats import raw_agreement
from annotate.corpus.offered import row_not_offered
from annotate.corpus.resolve import (
    disputed,
    resolution,
    resolve,
    resolve_categories,
    tied_categories,
    undecided_categories,
    unoffered_of,
)
from annotate.training.sources import read_export
from tests.audit.fakes import reviewed_tasks
from tests.integration.helpers import choices
from tests.test_open_work import export_cli
from tests.test_taxonomy_label_added import (
    UNTIL,
    ChangedStudio,
    _labels_text,
    with_harassment,
)

ORDER = ["violent_threat", "incitement", "harassment", "none"]
LEVELS = ["none", "low", "high", "critical"]
NOT_OFFERED = {"1.0.0": ["harassment"]}  # the manifest's labels_not_offered
OLD, NEW = frozenset({"harassment"}), frozenset()


def test_answers_not_offered_a_category_do_not_vote_on_it() -> None:
    # two answers under 1.0.0 (harassment not offered), one under 1.1.0 that chose it
    votes = [["violent_threat"], ["violent_threat"], ["violent_threat", "harassment"]]
    gaps = [OLD, OLD, NEW]
    # before: the forced no's outvoted the one reviewer who was asked
    assert resolve_categories(votes, ORDER) == (["violent_threat"], False)
    assert resolve_categories(votes, ORDER, unoffered=gaps) == (
        ["violent_threat", "harassment"],
        False,
    )
    sev = ["high", "high", "high"]
    # the answers agree on every category each was offered
    assert resolution(votes, sev, category_order=ORDER, unoffered=gaps) == "unanimous"
    assert resolution(votes, sev, category_order=ORDER) == "majority"
    assert not disputed(votes, sev, category_order=ORDER, severity_levels=LEVELS, unoffered=gaps)
    assert disputed(votes, sev, category_order=ORDER, severity_levels=LEVELS)
    res = resolve(
        votes, sev, [[], [], []], category_order=ORDER, severity_levels=LEVELS, unoffered=gaps
    )
    assert res.labels == ["violent_threat", "harassment"] and not res.tie


def test_an_even_split_among_the_answers_offered_is_a_tie() -> None:
    votes = [["violent_threat"], ["violent_threat", "harassment"], ["violent_threat"]]
    gaps = [OLD, NEW, NEW]
    assert resolve_categories(votes, ORDER) == (["violent_threat"], False)
    assert resolve_categories(votes, ORDER, unoffered=gaps) == (["violent_threat"], True)
    assert undecided_categories(votes, unoffered=gaps) == {"harassment"}
    row = {
        "label_tie": True,
        "resolution": "tie",
        "annotations": [
            {"categories": v, "taxonomy_version": ver}
            for v, ver in zip(votes, ["1.0.0", "1.1.0", "1.1.0"], strict=True)
        ],
    }
    assert tied_categories(row) == set()
    assert tied_categories(row, NOT_OFFERED) == {"harassment"}


def test_a_category_no_answer_was_offered_is_undecided_and_no_tie() -> None:
    votes = [["violent_threat"], ["violent_threat"]]
    gaps = [OLD, OLD]
    assert resolve_categories(votes, ORDER, unoffered=gaps) == (["violent_threat"], False)
    answered = [{"categories": v, "taxonomy_version": "1.0.0"} for v in votes]
    row = {"id": "p", "annotations": answered}
    assert row_not_offered([row], NOT_OFFERED) == {"p": {"harassment"}}
    answers = [{"taxonomy_version": "1.0.0"}, {"taxonomy_version": "1.1.0"}]
    assert unoffered_of(answers, NOT_OFFERED) == [OLD, NEW]
    assert unoffered_of(answers, {}) is None


def test_raw_agreement_compares_only_categories_both_answers_were_offered() -> None:
    row = {
        "label_tie": False,
        "annotations": [
            {"categories": ["violent_threat"], "taxonomy_version": "1.0.0"},
            {"categories": ["violent_threat", "harassment"], "taxonomy_version": "1.1.0"},
        ],
    }
    assert raw_agreement([row])["unanimous_categories"] == 0
    assert raw_agreement([row], NOT_OFFERED)["unanimous_categories"] == 1


def _mixed_studio() -> ChangedStudio:
    """reviewed_tasks() with its config moved from 1.0.0 to 1.1.0 at UNTIL (minute 4.5);
    task 12's three answers: users 1 and 2 under 1.0.0 (violent_threat; + incitement),
    user 3 (minute 5, 1.1.0) violent_threat and harassment."""
    from annotate.studio.label_config import HistoryEntry, with_history

    tasks = reviewed_tasks()
    third = next(t for t in tasks if t["id"] == 12)["annotations"][2]
    stamp = "2026-06-01T10:05:00Z"
    third.update(created_at=stamp, updated_at=stamp)
    third["result"] = [
        choices("category", ["violent_threat", "harassment"]),
        choices("severity", ["high"]),
    ]
    entry = HistoryEntry("1.0.0", UNTIL, ("category:harassment",), "1.1.0")
    config = with_history(with_harassment("1.1.0").render_label_config(), [entry])
    return ChangedStudio(tasks, config)


def _rows(out: Path) -> dict[str, dict]:
    return {
        r["id"]: r
        for split in ("train", "validation", "test")
        for line in (out / "jsonl" / f"{split}.jsonl").read_text().splitlines()
        if (r := json.loads(line))
    }


def test_export_resolves_a_category_over_the_answers_offered_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    labels = tmp_path / "labels.yaml"
    labels.write_text(_labels_text("1.1.0"), encoding="utf-8")
    out = tmp_path / "c"
    ran = export_cli(_mixed_studio(), out, monkeypatch, "--labels", str(labels))
    assert ran.exit_code == 0, ran.stderr
    row = _rows(out)["doc-a-p1"]
    versions = [a["taxonomy_version"] for a in row["annotations"]]
    assert versions == ["1.0.0", "1.0.0", "1.1.0"]
    # harassment: one answer was offered it and chose it (before: 1 of 3, "no")
    assert row["labels"] == ["violent_threat", "harassment"]
    assert not row["label_tie"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["labels_not_offered"] == {"1.0.0": ["harassment"]}
    assert manifest["labels_not_offered_vote"] == "left out"
    # agreement with consensus: the reviewer who was asked agrees with it on harassment
    consensus = json.loads((out / "agreement.json").read_text())["reviewer_vs_consensus"]
    asked = row["annotations"][2]["reviewer"]
    assert consensus[asked]["categories"]["harassment"] == 1.0


def _write(out: Path, tax, rows: list[dict], manifest_extra: dict) -> None:
    from annotate.corpus.export import _write_atomically

    manifest = {
        "format": "annotate-corpus/1",
        "taxonomy": {"name": tax.name, "version": tax.version},
        **manifest_extra,
    }
    _write_atomically(out, rows, tax, manifest)


def _row(tax, i: int, labels: list[str], versions: list[str], **extra) -> dict:
    from tests.test_train_loop import _corpus_row

    row = _corpus_row(tax, i, f"Passage {i}: they will pay for this.", labels, "train", labels)
    first = row["annotations"][0]
    row["annotations"] = [
        {**first, "reviewer": f"r{n}", "categories": labels, "taxonomy_version": v}
        for n, v in enumerate(versions)
    ]
    row["n_reviewers"] = len(versions)
    return {**row, "taxonomy_version": tax.version, **extra}


@pytest.mark.parametrize("vote_recorded", [True, False])
def test_training_masks_categories_the_answers_were_not_offered(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, vote_recorded: bool
) -> None:
    tax = with_harassment("1.1.0")
    rows = [
        _row(tax, 1, ["violent_threat"], ["1.0.0", "1.0.0"]),  # nobody was asked
        _row(tax, 2, ["violent_threat"], ["1.0.0", "1.1.0", "1.1.0"]),  # two were
        # a lead decided (the adjudication project offers every category)
        _row(tax, 3, ["none"], ["1.0.0", "1.0.0"], resolution="adjudicated"),
        _row(tax, 4, ["none"], ["1.1.0", "1.1.0"]),
    ]
    extra = {"labels_not_offered": NOT_OFFERED}
    if vote_recorded:
        extra["labels_not_offered_vote"] = "left out"
    out = tmp_path / "export"
    _write(out, tax, rows, extra)
    with caplog.at_level(logging.WARNING, logger="annotate.training.sources"):
        examples = {e.id: e for e in read_export(out, tax)}
    every = set(tax.category_names)
    assert examples["ls-1"].known == every - {"harassment"}
    # an older export's label may rest on the forced no's: masked there too
    assert examples["ls-2"].known == (every if vote_recorded else every - {"harassment"})
    assert examples["ls-3"].known == every
    assert examples["ls-4"].known == every
    assert "did not offer (manifest labels_not_offered) are masked" in caplog.text
    assert ("export again" in caplog.text) is not vote_recorded


def test_an_export_without_the_record_trains_as_before(tmp_path: Path) -> None:
    tax = with_harassment("1.1.0")
    out = tmp_path / "export"
    _write(out, tax, [_row(tax, 1, ["violent_threat"], ["1.0.0", "1.0.0"])], {})
    (example,) = read_export(out, tax)
    assert example.known == set(tax.category_names)


def test_a_split_file_with_older_answers_read_alone_is_refused(tmp_path: Path) -> None:
    from annotate.errors import TrainingError
    from annotate.training.sources.exports import read_export_rows_file

    tax = with_harassment("1.1.0")
    out = tmp_path / "export"
    _write(out, tax, [_row(tax, 1, ["violent_threat"], ["1.0.0", "1.0.0"])], {})
    alone = tmp_path / "train.jsonl"
    alone.write_bytes((out / "jsonl" / "train.jsonl").read_bytes())
    with pytest.raises(TrainingError) as refused:
        read_export_rows_file(alone, tax, seed=0)
    said = str(refused.value) + str(refused.value.fix)
    assert "1.0.0 (2 answer(s))" in said and "pass the whole export folder" in said
    # answers made under the export's own version: read as before
    again = tmp_path / "export2"
    _write(again, tax, [_row(tax, 1, ["violent_threat"], ["1.1.0", "1.1.0"])], {})
    alone.write_bytes((again / "jsonl" / "train.jsonl").read_bytes())
    (example,) = read_export_rows_file(alone, tax, seed=0)
    assert example.known == set(tax.category_names)


def test_gold_judges_an_answer_on_the_categories_it_was_offered() -> None:
    from annotate.audit.stats import gold_missed
    from annotate.review.gold import gold_accuracy, gold_file_rows

    row = {
        "id": "g1",
        "gold": {"labels": ["violent_threat", "harassment"], "severity": "high"},
        "annotations": [
            # under 1.0.0: harassment could not be chosen
            {"reviewer": "old", "categories": ["violent_threat"], "severity": "high",
             "taxonomy_version": "1.0.0"},
            {"reviewer": "new", "categories": ["violent_threat"], "severity": "high",
             "taxonomy_version": "1.1.0"},
        ],
    }  # fmt: skip
    before = gold_accuracy([row], ORDER)["reviewers"]
    assert before["old"]["exact"] == 0.0
    report = gold_accuracy([row], ORDER, not_offered=NOT_OFFERED)
    judged = report["reviewers"]
    assert judged["old"]["exact"] == 1.0 and judged["old"]["categories"]["harassment"] is None
    assert judged["new"]["exact"] == 0.0 and judged["new"]["categories"]["harassment"] == 0.0
    assert [m["passage_id"] for m in gold_missed(report)["new"]] == ["g1"]
    assert gold_missed(report)["old"] == []
    (line,) = gold_file_rows([row], NOT_OFFERED)
    assert {a["reviewer"]: a["exact"] for a in line["answers"]} == {"old": True, "new": False}


def test_report_reads_a_tie_over_the_answers_offered_each_category() -> None:
    from annotate.audit.stats import counts, model_vs_human

    # harassment: one of the two answers offered it chose it (the 1.0.0 one could not)
    row = {
        "id": "p1",
        "labels": ["violent_threat"],
        "label_tie": True,
        "resolution": "tie",
        "severity": "high",
        "source": "test",
        "annotations": [
            {"categories": ["violent_threat"], "taxonomy_version": "1.0.0", "severity": "high"},
            {"categories": ["violent_threat", "harassment"], "taxonomy_version": "1.1.0",
             "severity": "high"},
            {"categories": ["violent_threat"], "taxonomy_version": "1.1.0", "severity": "high"},
        ],
        "model_labels": ["violent_threat"],
        "model_version": "m",
        "model_agreed": True,
        "model_scores": {c: 0.5 for c in ORDER},
    }  # fmt: skip
    decided = counts([row], ORDER, LEVELS, None, NOT_OFFERED)["by_category_decision"]
    assert decided["harassment"] == {"yes": 0, "no": 0, "undecided": 1}
    assert counts([row], ORDER, LEVELS)["by_category_decision"]["harassment"]["no"] == 1
    cells = model_vs_human([row], ORDER, None, NOT_OFFERED)["m"]["categories"]["harassment"]
    assert cells["undecided"] == 1 and cells["tn"] == 0


def test_adjudicate_sends_only_disputes_among_the_answers_offered() -> None:
    from annotate.review.adjudication import adjudicate
    from annotate.studio.label_config import HistoryEntry, with_history
    from tests.audit.fakes import annotation, task
    from tests.corpus.test_severity_tie import AdjudicationStudio

    def answers(first_id: int, given: list[tuple[int, int, list[str]]]) -> list[dict]:
        return [
            annotation(
                first_id + n,
                user,
                [choices("category", cats), choices("severity", ["high"])],
                minute=minute,  # before 10:04:30 under 1.0.0, after under 1.1.0
                lead_time=5.0,
            )
            for n, (user, minute, cats) in enumerate(given)
        ]

    vt, both = ["violent_threat"], ["violent_threat", "harassment"]
    tasks = [
        # differ only on harassment, which the two 1.0.0 answers were not offered
        task(1, "agreed", "Passage agreed.", doc="a", index=0, model_labels=vt,
             annotations=answers(10, [(1, 1, vt), (2, 2, vt), (3, 5, both)])),
        # the two answers offered harassment split on it: a tie for the lead
        task(2, "split", "Passage split.", doc="b", index=0, model_labels=vt,
             annotations=answers(20, [(1, 1, vt), (3, 5, both), (4, 6, vt)])),
    ]  # fmt: skip
    for t in tasks:
        t["data"].update({"warning": "", "preview": t["data"]["text"]})
    entry = HistoryEntry("1.0.0", UNTIL, ("category:harassment",), "1.1.0")
    config = with_history(with_harassment("1.1.0").render_label_config(), [entry])

    class Studio(AdjudicationStudio):
        def get_project(self, project_id: int) -> dict:
            return {"id": project_id, "title": "p", "label_config": config}

        def users(self) -> list[dict]:
            return []

    result = adjudicate(Studio(tasks), "p", with_harassment("1.1.0"), salt="s")  # type: ignore[arg-type]
    assert sorted(result.passages) == ["split"]


@pytest.mark.parametrize("vote_recorded", [True, False])
def test_training_keeps_a_resolved_label_the_older_answers_were_not_offered(
    tmp_path: Path, vote_recorded: bool
) -> None:
    # reader58b F1: a "yes" by majority of all answers is a yes among those offered it,
    # so it never rests on forced no's; only a "no" can (masked for older exports)
    tax = with_harassment("1.1.0")
    rows = [_row(tax, 1, ["violent_threat", "harassment"], ["1.0.0", "1.1.0", "1.1.0"])]
    extra = {"labels_not_offered": NOT_OFFERED}
    if vote_recorded:
        extra["labels_not_offered_vote"] = "left out"
    out = tmp_path / "export"
    _write(out, tax, rows, extra)
    (example,) = read_export(out, tax)
    assert example.labels == {"violent_threat", "harassment"}
    assert example.known == set(tax.category_names)


def _pre_vote_rule_not_offered(rows, recorded, **_):  # type: ignore[no-untyped-def]
    """row_not_offered as exports before stop 58 read it: over every answer of a row."""
    out = {}
    for row in rows:
        sets = [set(recorded.get(str(a.get("taxonomy_version")), ())) for a in row["annotations"]]
        if sets and (common := set.intersection(*sets)):
            out[str(row["id"])] = common
    return out


def test_verify_passes_an_untouched_export_made_before_the_vote_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """reader58b F2: an export made before stop 58 (labels_not_offered, no
    labels_not_offered_vote; rows and report counted the forced no's) is emulated here:
    verify reads its ties and agreement as they were written, not as "edited"."""
    import annotate.audit.report as audit_report
    import annotate.corpus.export as corpus_export
    import annotate.corpus.rows as corpus_rows
    import annotate.review.collect as collect
    from annotate.audit import stats
    from annotate.cli import main

    studio = _mixed_studio()
    # task 12: both 1.0.0 answers violent_threat only, the 1.1.0 one + harassment
    second = next(t for t in studio.tasks if t["id"] == 12)["annotations"][1]
    second["result"] = [choices("category", ["violent_threat"]), choices("severity", ["high"])]
    with monkeypatch.context() as old:
        old.setattr(corpus_rows, "unoffered_of", lambda *a, **k: None)
        old.setattr(collect, "unoffered_of", lambda *a, **k: None)
        real_write = corpus_export._write_atomically

        def without_vote_key(out, rows, tax, manifest, *a, **k):  # type: ignore[no-untyped-def]
            manifest.pop("labels_not_offered_vote", None)
            return real_write(out, rows, tax, manifest, *a, **k)

        old.setattr(corpus_export, "_write_atomically", without_vote_key)
        old.setattr(audit_report, "row_not_offered", _pre_vote_rule_not_offered)
        # the report's counts as they were: without the record of the answers offered
        for name, given in (("counts", 4), ("model_vs_human", 3), ("raw_agreement", 1)):
            real = getattr(stats, name)
            old.setattr(stats, name, lambda *a, _real=real, _n=given: _real(*a[:_n]))
        labels = tmp_path / "labels.yaml"
        labels.write_text(_labels_text("1.1.0"), encoding="utf-8")
        out = tmp_path / "c"
        ran = export_cli(studio, out, monkeypatch, "--labels", str(labels))
        assert ran.exit_code == 0, ran.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["labels_not_offered"] == {"1.0.0": ["harassment"]}
    assert "labels_not_offered_vote" not in manifest
    assert _rows(out)["doc-a-p1"]["labels"] == ["violent_threat"]  # forced no's counted
    with pytest.raises(SystemExit) as done:
        main(["verify", str(out)])
    said = " ".join(capsys.readouterr().err.split())
    assert done.value.code in (0, None), said
    assert "the report of the verified files" in said, said


def test_an_answer_that_chose_a_category_was_offered_it() -> None:
    # reader58b F3: a push machine's clock ahead of Label Studio's stamps answers made
    # just after the change with the older version; the category they chose was offered
    votes = [["harassment"], ["harassment"]]
    assert resolve_categories(votes, ORDER, unoffered=[OLD, OLD]) == (["harassment"], False)
    assert resolution(votes, ["high", "high"], category_order=ORDER, unoffered=[OLD, OLD]) == (
        "unanimous"
    )
    answers = [{"categories": v, "taxonomy_version": "1.0.0"} for v in votes]
    assert unoffered_of(answers, NOT_OFFERED) is None
    assert row_not_offered([{"id": "p", "annotations": answers}], NOT_OFFERED) == {}
    # one stamped 1.0.0 chose it, the other did not: split evenly among those offered it
    split = [["violent_threat", "harassment"], ["violent_threat"]]
    assert resolve_categories(split, ORDER, unoffered=[OLD, NEW]) == (["violent_threat"], True)
    # gold: the answer chose harassment, which gold does not expect: not exact
    from annotate.review.gold import gold_accuracy

    gold = {
        "id": "g1",
        "gold": {"labels": ["violent_threat"], "severity": "high"},
        "annotations": [{"reviewer": "r", "categories": ["violent_threat", "harassment"],
                         "severity": "high", "taxonomy_version": "1.0.0"}],
    }  # fmt: skip
    judged = gold_accuracy([gold], ORDER, not_offered=NOT_OFFERED)["reviewers"]["r"]
    assert judged["exact"] == 0.0 and judged["categories"]["harassment"] == 0.0
