"""Exposure counts a passage graphic by what its reviewers were shown, as the answers'
tasks record it (``graphic_hidden_by``), not by the labels.yaml of the folder the command
runs in (passA50 P2): two reads of one review state under different wellbeing settings
agree."""

from __future__ import annotations

from annotate.review.exposure import HidingRule, exposure, recorded_hiding

LEVELS = ["none", "low", "medium", "high", "critical"]
MOSQUE = "Someone wrote on the community board that they would burn the mosque down."
NOTICE = "Please remember that the library will be closed on Monday for repairs."


def _row(pid: str, text: str, answers: list[tuple[str, int]]) -> dict:
    return {
        "id": pid,
        "text": text,
        "model_labels": ["news_reporting"],
        "model_scores": {"graphic_violence": 0.02},
        "annotations": [
            {
                "reviewer": who,
                "categories": ["violent_threat"],
                "severity": "medium",
                "created_at": "2026-12-06T04:00:00Z",
                "ls_task_id": task,
            }
            for who, task in answers
        ],
    }


ROWS = [
    _row("mosque", MOSQUE, [("r-ana", 11), ("r-ben", 21)]),
    _row("notice", NOTICE, [("r-cai", 32)]),
]
# pushed under hide_terms [burn]: both copies of the mosque passage hidden, the notice not
TASKS = [
    {"id": 11, "data": {"graphic_hidden_by": "term \u201cburn\u201d"}},
    {"id": 21, "data": {"graphic_hidden_by": "term \u201cburn\u201d"}},
    {"id": 32, "data": {"graphic_hidden_by": ""}},
]
BURN, LIBRARY = HidingRule(0.1, ("burn",)), HidingRule(0.1, ("library",))


def _graphic(record: dict) -> dict[str, int]:
    return {r: sum(d["graphic"] for d in days.values()) for r, days in record["reviewers"].items()}


def test_graphic_is_what_the_tasks_recorded_whatever_labels_yaml_reads_now() -> None:
    recorded = recorded_hiding(TASKS)
    here = exposure(ROWS, LEVELS, rule=LIBRARY, recorded=recorded)  # ./labels.yaml edited
    there = exposure(ROWS, LEVELS, rule=BURN, recorded=recorded)  # the project's labels.yaml
    assert _graphic(here) == {"r-ana": 1, "r-ben": 1, "r-cai": 0}
    assert here == there  # exposure.json of both exports: the same bytes
    assert here["graphic"].startswith("hidden as graphic where it was answered")


def test_one_task_recording_it_hidden_makes_the_passage_graphic_for_every_reader() -> None:
    recorded = {11: "term \u201cburn\u201d", 21: ""}  # ben's copy updated before he answered
    got = exposure(ROWS[:1], LEVELS, rule=LIBRARY, recorded=recorded)
    assert _graphic(got) == {"r-ana": 1, "r-ben": 1}


def test_tasks_pushed_before_the_record_fall_back_to_the_rule_and_say_so() -> None:
    recorded = recorded_hiding([{"id": 11, "data": {}}, {"id": 21, "data": {}}, *TASKS[2:]])
    got = exposure(ROWS, LEVELS, rule=BURN, recorded=recorded)
    # the mosque passage by the rule (no record); the notice by its record, not the rule
    assert _graphic(got) == {"r-ana": 1, "r-ben": 1, "r-cai": 0}
    assert _graphic(exposure(ROWS, LEVELS, rule=LIBRARY, recorded=recorded))["r-cai"] == 0
    assert "1 passage(s) of tasks pushed before that record: model label" in got["graphic"]


def _export_dir(path, graphic: str):  # type: ignore[no-untyped-def]
    import json

    path.mkdir()
    (path / "manifest.json").write_text(json.dumps({"files": {}}), encoding="utf-8")
    (path / "exposure.json").write_text(json.dumps({"graphic": graphic}), encoding="utf-8")
    return path


def test_verify_same_as_reads_the_hiding_rule_exposure_json_writes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """break5 B11: --same-as recovers the rule from exposure.json's sentence; a rewording
    of that sentence would silently turn the comparison off. Pinned to what exposure()
    writes."""
    from annotate.cli.audit import _hiding_rule_said

    recorded = recorded_hiding([{"id": 11, "data": {}}, {"id": 21, "data": {}}, *TASKS[2:]])
    got = exposure(ROWS, LEVELS, rule=BURN, recorded=recorded)
    assert _hiding_rule_said(_export_dir(tmp_path / "a", got["graphic"])) == BURN.describe()


def test_an_export_whose_rule_decided_no_passage_is_no_wellbeing_difference(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """break5 B11: exposure.json names the rule only where it decided a passage (tasks
    pushed before graphic_hidden_by); an export where it decided none ("") was told apart
    from one naming the rule as "exported with other labels.yaml wellbeing settings"."""
    from annotate.cli.audit import _settings_differ

    recorded = recorded_hiding([{"id": 11, "data": {}}, {"id": 21, "data": {}}, *TASKS[2:]])
    named = exposure(ROWS, LEVELS, rule=BURN, recorded=recorded)["graphic"]
    unnamed = exposure(ROWS, LEVELS, rule=BURN, recorded=recorded_hiding(TASKS))["graphic"]
    assert "pushed before that record" not in unnamed
    a, b = _export_dir(tmp_path / "a", named), _export_dir(tmp_path / "b", unnamed)
    assert _settings_differ(a, b, [], [None, None], [False, False]) == []
    other = exposure(ROWS, LEVELS, rule=HidingRule(0.05, ("burn",)), recorded=recorded)["graphic"]
    c = _export_dir(tmp_path / "c", other)
    said = _settings_differ(a, c, [], [None, None], [False, False])
    assert len(said) == 1 and said[0].startswith("labels.yaml wellbeing settings"), said
