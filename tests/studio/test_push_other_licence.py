"""A passage already in the project is left as it is by a push, licence included: a file
ingested again with ``--license`` (its first push had none, or another) pushed the same
passages as "already there" and said nothing, and the export kept the task's licence
(unknown) without anyone being told. Push now counts and names such passages (real
DuckDB staging; the licence read from each task's data as export reads it)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from annotate.studio.client import StudioClient
from annotate.studio.label_config import parse_label_config
from annotate.studio.staging import staging
from tests.conftest import FIXTURES

PRELABELS = FIXTURES / "prelabels.jsonl"


def _licensed(tmp_path: Path) -> tuple[Path, list[dict]]:
    rows = [json.loads(x) for x in PRELABELS.read_text().splitlines() if x.strip()]
    for r in rows:
        r["license"] = "CC-BY-4.0" if r["doc_id"] == "doc-a" else None
    path = tmp_path / "licensed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path, rows


def test_staging_counts_passages_already_there_under_another_licence(taxonomy, tmp_path) -> None:
    path, rows = _licensed(tmp_path)
    a0, a1 = [r["id"] for r in rows if r["doc_id"] == "doc-a"][:2]
    other = next(r["id"] for r in rows if r["doc_id"] != "doc-a")
    config = parse_label_config(taxonomy.render_label_config())
    with staging() as stage:
        stage.stage_file(path, taxonomy, config)
        stage.load_present(
            7,
            [
                (1, a0, frozenset(), "doc-a", False, None, {}, 0, None),  # pushed without
                (2, a1, frozenset(), "doc-a", False, None, {}, 1, "CC-BY-4.0"),  # the same
                (3, other, frozenset(), None, False, None, {}, 0, "MIT"),  # file has none
                (4, "not-in-file", frozenset(), None, False, None, {}, 0, "MIT"),
            ],
        )
        assert stage.other_licences() == (1, [(a0, 1, None, "CC-BY-4.0")])


def test_the_listing_reads_the_licence_as_export_does() -> None:
    """The task listing push reads gives each task's licence: its data's ``license``,
    else (a task pushed before the column) its table's licence kept in ``meta``."""

    class Listing(StudioClient):
        def __init__(self, tasks: list[dict]) -> None:
            self._tasks = tasks

        def iter_tasks(self, project_id, include=None, query=None):  # type: ignore[override]
            return iter(self._tasks)

    tasks = [
        {"id": 1, "data": {"passage_id": "p1", "text": "a", "license": "MIT"}},
        {"id": 2, "data": {"passage_id": "p2", "text": "b", "meta": '{"Licence": "CC0-1.0"}'}},
        {"id": 3, "data": {"passage_id": "p3", "text": "c"}},
    ]
    got = [row[8] for row in Listing(tasks).iter_task_versions(1, text_field="text")]
    assert got == ["MIT", "CC0-1.0", None]


def test_push_warns_and_counts_them(taxonomy, tmp_path, caplog) -> None:
    from annotate.studio.push import push
    from tests.studio.test_push import ReadCountingClient

    path, rows = _licensed(tmp_path)

    class Client(ReadCountingClient):
        def iter_task_versions(self, project_id, after=None, text_field=None):
            for t in list(self.tasks):
                if after is None or t["id"] > after:
                    versions = frozenset(p["model_version"] for p in t["predictions"])
                    data = t["data"]
                    yield (
                        t["id"],
                        data["passage_id"],
                        versions,
                        data.get("doc_id"),
                        False,
                        None,
                        {},
                        data.get("passage_index"),
                        data.get("license"),
                    )

    client = Client()
    plain = tmp_path / "plain.jsonl"  # the first push: ingested without --license
    plain.write_text("".join(json.dumps({**r, "license": None}) + "\n" for r in rows))
    first = push(plain, "pro", taxonomy=taxonomy, client=client)  # type: ignore[arg-type]
    assert first.created == len(rows) and first.other_licence == 0
    with caplog.at_level(logging.INFO, logger="annotate.studio.push"):
        again = push(path, "pro", taxonomy=taxonomy, client=client)  # type: ignore[arg-type]
    licensed = [r["id"] for r in rows if r["doc_id"] == "doc-a"]
    assert again.created == 0 and again.other_licence == len(licensed)
    assert again.other_licence_examples[0][2:] == (None, "CC-BY-4.0")
    said = " ".join(r.getMessage() for r in caplog.records)
    assert f"{len(licensed)} passage(s) of this file are already in 'pro' under another" in said
    assert "the export keeps the task's licence" in said


def test_the_cli_warns_with_the_fix(capsys) -> None:
    from annotate.cli.push import other_licence_warning

    other_licence_warning("pro", 0, [])
    other_licence_warning("pro", 2, [("p1", 3, None, "MIT")])
    said = " ".join(capsys.readouterr().err.split())
    assert said.startswith("warning: 2 passages of this file are already in 'pro' under another")
    assert "'p1': task 3 'none', file 'MIT'" in said and "the export keeps the task's" in said


def test_a_review_set_push_runs_the_same_rule_on_its_listing(taxonomy, tmp_path) -> None:
    """One rule (:mod:`annotate.studio.other_licences`, SQL): the plain push runs it on its
    staging database, a review-set push on its listing loaded into DuckDB. The same
    passages give the same answer both ways: a row without a licence is not counted, a
    passage held by several tasks once, examples in file order with the lowest task id and
    that task's own licence (the staging SQL named the lowest task with another task's)."""
    from annotate.studio.other_licences import other_licences_of

    path, rows = _licensed(tmp_path)
    a0, a1 = [r["id"] for r in rows if r["doc_id"] == "doc-a"][:2]
    other = next(r["id"] for r in rows if r["doc_id"] != "doc-a")
    there = [  # (passage, task id, the task's licence)
        (a0, 9, "MIT"),
        (a0, 1, None),
        (a1, 2, "CC-BY-4.0"),
        (a1, 5, "CC-BY-4.0"),
        (other, 3, "MIT"),  # the file records none: not counted
        ("not-in-file", 4, "MIT"),
    ]
    want = (1, [(a0, 1, None, "CC-BY-4.0")])
    file = {r["id"]: r["license"] for r in rows}
    assert other_licences_of(file, there) == want
    config = parse_label_config(taxonomy.render_label_config())
    with staging() as stage:
        stage.stage_file(path, taxonomy, config)
        stage.load_present(
            7, [(t, pid, frozenset(), None, False, None, {}, 0, lic) for pid, t, lic in there]
        )
        assert stage.other_licences() == want
    # examples follow the file's order; "" in the file is no licence
    file = {"c": "MIT", "b": "", "a": "CC-BY-4.0"}
    got = other_licences_of(file, [("a", 8, None), ("b", 2, "MIT"), ("c", 9, "CC0-1.0")])
    assert got == (2, [("c", 9, "CC0-1.0", "MIT"), ("a", 8, None, "CC-BY-4.0")])
