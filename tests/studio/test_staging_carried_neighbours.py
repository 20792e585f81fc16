"""A passage of an edited document re-ingested with ``ingest --previous`` comes without
its unchanged neighbours (they were reviewed in an earlier batch); ingest gives it their
text (``context_before``/``context_after``, annotate.table_schemas.NEIGHBOUR_COLUMNS)
and push shows it as the task's context, exactly as the whole document pushed at once
would have: a neighbour with a content warning (its own task's, pushed before) as the
hidden-neighbour note, one whose task is not in the project as a note too (never its
text in clear). Before, the task showed no context at all."""

from __future__ import annotations

import json
from pathlib import Path

from annotate._util.passage_ids import passage_id
from annotate.review.view import UNKNOWN_NEIGHBOUR, hidden_neighbour
from annotate.studio.label_config import parse_label_config
from annotate.studio.staging import staging
from tests.conftest import FIXTURES

# the changed passages (batch 2) and the neighbour each carries (pushed in batch 1)
CHANGED = {"doc-a-p0": "after", "doc-b-p1": "before", "doc-c-p0": "after"}


def _rows() -> dict[str, dict]:
    """The fixture's rows by their fixture id, with ids as ingest derives them."""
    rows = [json.loads(x) for x in (FIXTURES / "prelabels.jsonl").read_text().splitlines()]
    return {r["id"]: {**r, "id": passage_id(r["doc_id"], r["text"])} for r in rows}


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _tasks(path: Path, taxonomy, present=()) -> dict[str, dict]:
    config = parse_label_config(taxonomy.render_label_config())
    with staging() as stage:
        stage.stage_file(path, taxonomy, config)
        stage.load_present(1, present)
        n = stage.plan()
        unknown = stage.unknown_neighbours()
        tasks = [json.loads(t) for _, t in stage.todo(0, n)]
    return {"unknown": unknown, **{t["data"]["passage_id"]: t["data"] for t in tasks}}


def _batch2(tmp_path: Path, rows: dict[str, dict]) -> Path:
    out = []
    for name, side in CHANGED.items():
        row = rows[name]
        other = f"{name[:-1]}{int(name[-1]) + (1 if side == 'after' else -1)}"
        out.append({**row, f"context_{side}": rows[other]["text"]})
    return _write(tmp_path / "batch2.jsonl", out)


def test_changed_passages_show_the_whole_documents_context(taxonomy, tmp_path: Path) -> None:
    rows = _rows()
    whole = _tasks(_write(tmp_path / "whole.jsonl", list(rows.values())), taxonomy)
    # batch 1's tasks, as the server lists them: (task id, passage id, versions, doc, warning)
    present = [
        (i, row["id"], frozenset({"fm"}), row["doc_id"], bool(whole[row["id"]]["warning"]))
        for i, (name, row) in enumerate(rows.items(), start=1)
        if name not in CHANGED
    ]
    got = _tasks(_batch2(tmp_path, rows), taxonomy, present)
    assert got.pop("unknown") == 0
    assert set(got) == {rows[n]["id"] for n in CHANGED}
    for pid, data in got.items():
        assert (data["context_before"], data["context_after"]) == (
            whole[pid]["context_before"],
            whole[pid]["context_after"],
        )
    # the fixture's neighbours: a graphic one (hidden), plain ones (their text)
    shown = {n: got[rows[n]["id"]][f"context_{s}"] for n, s in CHANGED.items()}
    assert shown["doc-c-p0"] == hidden_neighbour(rows["doc-c-p1"]["id"])
    assert shown["doc-b-p1"] == rows["doc-b-p0"]["text"]


def test_a_neighbour_not_in_the_project_is_a_note(taxonomy, tmp_path: Path) -> None:
    rows = _rows()
    got = _tasks(_batch2(tmp_path, rows), taxonomy)
    assert got.pop("unknown") == len(CHANGED)
    for name, side in CHANGED.items():
        data = got[rows[name]["id"]]
        assert data[f"context_{side}"] == UNKNOWN_NEIGHBOUR
        assert data[f"context_{'before' if side == 'after' else 'after'}"] == ""


def test_a_neighbour_in_the_file_wins_over_the_carried_text(taxonomy, tmp_path: Path) -> None:
    rows = _rows()
    whole = _tasks(_write(tmp_path / "whole.jsonl", list(rows.values())), taxonomy)
    # each row carries a stale text for the neighbour the file holds
    stale = [
        {**r, f"context_{'after' if r['passage_index'] == 0 else 'before'}": "stale"}
        for r in rows.values()
    ]
    got = _tasks(_write(tmp_path / "all.jsonl", stale), taxonomy)
    assert got.pop("unknown") == 0
    assert all(
        (d["context_before"], d["context_after"])
        == (whole[p]["context_before"], whole[p]["context_after"])
        for p, d in got.items()
    )
    assert "stale" not in json.dumps(got)
