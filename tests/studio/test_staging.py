"""The out-of-core staging of a push gives the same tasks, in the same order, with the same
neighbour context as the in-memory reading it replaces (real DuckDB)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import PredictionError
from annotate.studio.label_config import parse_label_config
from annotate.studio.push import read_tasks
from annotate.studio.staging import staging
from tests.conftest import FIXTURES

PRELABELS = FIXTURES / "prelabels.jsonl"


def _copies(tmp_path: Path, copies: int) -> Path:
    """The fixture rows ``copies`` times under new ids: same documents and positions."""
    rows = [json.loads(x) for x in PRELABELS.read_text().splitlines() if x.strip()]
    path = tmp_path / "p.jsonl"
    path.write_text(
        "".join(
            json.dumps({**r, "id": f"{r['id']}-{k}"}) + "\n" for k in range(copies) for r in rows
        )
    )
    return path


@pytest.mark.parametrize("copies", [1, 3])
def test_staged_plan_equals_the_in_memory_tasks(taxonomy, tmp_path: Path, copies: int) -> None:
    path = _copies(tmp_path, copies)
    config = parse_label_config(taxonomy.render_label_config())
    expected = read_tasks(path, taxonomy, config)
    with staging() as stage:
        assert stage.stage_file(path, taxonomy, config) == len(expected)
        assert stage.plan() == len(expected)
        got = [json.loads(t) for _, t in stage.todo(0, 4) + stage.todo(4, 10_000)]
        assert list(stage.todo_pids(len(expected) - 2)) == [
            t["data"]["passage_id"] for t in expected[-2:]
        ]
    if copies == 1:
        assert got == expected
        return
    # the in-memory reading gave context only to the last copy of a document position;
    # staging gives every copy its neighbours' (the file's last copy of each position)
    strip = ("context_before", "context_after")
    assert [{**t, "data": {k: v for k, v in t["data"].items() if k not in strip}} for t in got] == [
        {**t, "data": {k: v for k, v in t["data"].items() if k not in strip}} for t in expected
    ]
    last = {(t["data"]["doc_id"], t["data"]["passage_index"]): t for t in expected}
    for task in got:
        data = task["data"]
        twin = last[(data["doc_id"], data["passage_index"])]["data"]
        assert (data.get("context_before"), data.get("context_after")) == (
            twin.get("context_before"),
            twin.get("context_after"),
        )


def test_passages_already_there_are_left_out_and_repeated_ids_refused(taxonomy, tmp_path) -> None:
    config = parse_label_config(taxonomy.render_label_config())
    with staging() as stage:
        stage.stage_file(PRELABELS, taxonomy, config)
        stage.load_present(7, [(1, "doc-a-p0", frozenset()), (2, "doc-b-p1", frozenset({"m"}))])
        assert stage.present_count(7) == 2
        assert stage.plan() == 4
        pids = {pid for pid, _ in stage.todo(0, 10)}
        assert all(json.loads(t)["data"]["passage_id"] == pid for pid, t in stage.todo(0, 10))
        assert "doc-a-p0" not in pids and "doc-b-p1" not in pids
    twice = tmp_path / "twice.jsonl"
    twice.write_text(PRELABELS.read_text() * 2)
    with staging() as stage, pytest.raises(PredictionError, match="repeat a passage id"):
        stage.stage_file(twice, taxonomy, config)


def test_a_bad_row_is_named_by_its_line_in_both_pushes(taxonomy, tmp_path: Path) -> None:
    """A blank line above: the row with the bad label is the third row but on line 4."""
    path = tmp_path / "bad.jsonl"
    path.write_text("\n" + (FIXTURES / "prelabels_bad_label.jsonl").read_text())
    config = parse_label_config(taxonomy.render_label_config())
    with pytest.raises(PredictionError, match=r"bad\.jsonl line 4 \(id "):
        read_tasks(path, taxonomy, config)
    with staging() as stage, pytest.raises(PredictionError, match=r"bad\.jsonl line 4 \(id "):
        stage.stage_file(path, taxonomy, config)


def test_tasks_built_later_name_their_row_as_staging_did(
    taxonomy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tasks of the plan (and of missing predictions) are built after staging; an
    error there names the row as an editor counts it (line M), not by its sequence."""
    import annotate.studio.staging as staging_module

    path = tmp_path / "p.jsonl"
    path.write_text("\n\n" + PRELABELS.read_text())  # two blank lines above the rows
    ids = [json.loads(x)["id"] for x in PRELABELS.read_text().splitlines() if x.strip()]
    expected = {pid: f"{path} line {n + 3} (id {pid!r})" for n, pid in enumerate(ids)}
    seen: dict[str, str] = {}
    build = staging_module.row_to_task

    def spy(row, tax, config, *, where, checked=False):  # type: ignore[no-untyped-def]
        if checked:
            seen[str(row["id"])] = where
        return build(row, tax, config, where=where, checked=checked)

    monkeypatch.setattr(staging_module, "row_to_task", spy)
    config = parse_label_config(taxonomy.render_label_config())
    with staging() as stage:
        stage.stage_file(path, taxonomy, config)
        stage.plan()
        stage.todo(0, 10_000)
        assert seen == expected
        seen.clear()
        stage.load_present(7, [(i, pid, frozenset()) for i, pid in enumerate(ids, start=1)])
        list(stage.missing_predictions())  # every kept task lacks this file's model
        assert seen == expected


def test_a_push_computes_each_rows_values_once(
    taxonomy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scores, severity and priority are computed when a row is checked; its task is built
    later from those values (spooled with the row), not from the row again."""
    import annotate.studio.tasks as tasks_module

    path = _copies(tmp_path, 2)
    derive = tasks_module._derive
    calls: list[str] = []

    def spy(row, tax):  # type: ignore[no-untyped-def]
        calls.append(str(row["id"]))
        return derive(row, tax)

    monkeypatch.setattr(tasks_module, "_derive", spy)
    config = parse_label_config(taxonomy.render_label_config())
    with staging() as stage:
        rows = stage.stage_file(path, taxonomy, config)
        stage.plan()
        assert len(stage.todo(0, 10_000)) == rows
    # every row once when checked, and the first row once more: staging builds its task
    # unchecked to check the task fields the config shows
    assert len(calls) == rows + 1 and len(set(calls)) == rows


def test_a_repeated_passage_id_is_named_with_both_rows_in_both_pushes(
    taxonomy, tmp_path: Path
) -> None:
    """Like prelabel's check, push's names the first id given twice and where: a user
    with thousands of rows cannot find the repeat from a count alone."""
    rows = PRELABELS.read_text().splitlines(keepends=True)
    first = json.loads(rows[0])["id"]
    path = tmp_path / "twice.jsonl"
    path.write_text("".join(rows) + rows[0] + rows[1])  # ids of lines 1 and 2 again
    config = parse_label_config(taxonomy.render_label_config())
    again = len(rows) + 1
    expected = rf"passage id '{first}' is on line 1 and again on line {again} \(2 row\(s\) "
    with pytest.raises(PredictionError, match=expected):
        read_tasks(path, taxonomy, config)
    with staging() as stage, pytest.raises(PredictionError, match=expected):
        stage.stage_file(path, taxonomy, config)


def test_the_repeated_id_fix_says_ids_come_from_document_and_text(taxonomy, tmp_path) -> None:
    """It said ingest derives ids 'from document id and position', where a passage's id
    changes with its text (break48b #9): one read so expects an edited text to keep it."""
    from annotate._util.passage_ids import passage_id

    assert passage_id("d1", "first text") != passage_id("d1", "edited text")  # what it says
    rows = PRELABELS.read_text().splitlines(keepends=True)
    path = tmp_path / "twice.jsonl"
    path.write_text("".join(rows) + rows[0])
    with pytest.raises(PredictionError) as err:
        read_tasks(path, taxonomy, parse_label_config(taxonomy.render_label_config()))
    assert "from its document id and its text, not its position" in err.value.fix
    assert "an edited text gets another id" in err.value.fix


def test_a_clear_threat_is_staged_before_a_doubtful_counter_speech_line(
    taxonomy, tmp_path: Path
) -> None:
    """passC50 R4 through the out-of-core sort (DuckDB): the push's order puts harm
    first; doubt about a context label (counter_speech 0.47) no longer comes first."""
    base = dict.fromkeys(taxonomy.category_names, 0.0)
    rows = [
        {
            "id": "call",
            "doc_id": "call",
            "passage_index": 0,
            "text": "AGENT: Sir, this call is recorded.",
            "scores": {**base, "violent_threat": 0.02, "counter_speech": 0.47, "none": 0.4},
            "labels": ["none"],
        },
        {
            "id": "forum",
            "doc_id": "forum",
            "passage_index": 0,
            "text": "Wait for him with a bat and break both his legs.",
            "scores": {**base, "violent_threat": 0.12, "none": 0.31},
            "labels": ["violent_threat"],
        },
        {
            "id": "calm",
            "doc_id": "calm",
            "passage_index": 0,
            "text": "The council met on Tuesday.",
            "scores": {**base, "none": 0.99},
            "labels": ["none"],
        },
    ]
    path = tmp_path / "p.jsonl"
    path.write_text(
        "".join(json.dumps({**r, "spans": [], "model_version": "m"}) + "\n" for r in rows)
    )
    config = parse_label_config(taxonomy.render_label_config())
    with staging() as stage:
        stage.stage_file(path, taxonomy, config)
        stage.plan()
        order = [json.loads(t)["data"]["passage_id"] for _, t in stage.todo(0, 10)]
    assert order == ["forum", "call", "calm"]
