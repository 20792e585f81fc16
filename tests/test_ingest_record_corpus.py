"""``ingest --corpus NAME`` records the corpus's name in ``ingest_run`` (shown in the export
manifest's ``ingest_runs`` and the audit report); ``--previous`` warns of an earlier file
recorded under another name. Before, two corpora ingested with the same settings could
not be told apart by their records. And the run id no longer follows the git revision
annotate runs from (two commits gave one ingest two ids): the revision is recorded
beside the release, outside the id."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

import annotate._util.revision as revision
from annotate.ingestion import ingest
from annotate.ingestion.record import IngestRecord, IngestSettings, InputFile
from tests.test_ingest_record import _inputs, _runs

SETTINGS = IngestSettings("text", None, None, False, 700, 80, True, 0.8, False, None)
FILES = [InputFile("a.txt", "ab" * 32, 10)]


def test_the_corpus_name_is_recorded_and_names_the_run(tmp_path: Path) -> None:
    paths = _inputs(tmp_path / "in")
    ingest(paths, tmp_path / "named.jsonl", delimiter=";", corpus=" forum-2026 ")
    ingest(paths, tmp_path / "plain.jsonl", delimiter=";")
    named, plain = _runs(tmp_path / "named.jsonl")[0], _runs(tmp_path / "plain.jsonl")[0]
    assert named["corpus"] == "forum-2026" and "corpus" not in plain
    # the same inputs and settings under a name: another run (its record differs)
    assert named["run"] != plain["run"]
    ingest(paths, tmp_path / "again.jsonl", delimiter=";", corpus="forum-2026")
    assert _runs(tmp_path / "again.jsonl")[0]["run"] == named["run"]


def _batches(tmp_path: Path, earlier: str | None, now: str | None, caplog: Any) -> str:
    paths = _inputs(tmp_path / "in")
    first = tmp_path / "week1.jsonl"
    ingest(paths[:1], first, corpus=earlier)
    later = tmp_path / "b2"
    later.mkdir(exist_ok=True)
    (later / "c.txt").write_text("A new text about the harbour.\n", encoding="utf-8")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="annotate.ingestion.previous"):
        ingest([later], tmp_path / "week2.jsonl", previous=[first], corpus=now)
    return caplog.text


def test_previous_warns_of_another_corpus_name(tmp_path: Path, caplog: Any) -> None:
    said = _batches(tmp_path, "forum-2026", "tweets-2026", caplog)
    assert "week1.jsonl was ingested as corpus 'forum-2026' and this run as 'tweets-2026'" in said
    assert "give this run the same --corpus" in said


@pytest.mark.parametrize(("earlier", "now"), [("forum", "forum"), (None, "forum"), ("forum", None)])
def test_previous_of_the_same_or_an_unnamed_corpus_is_quiet(
    tmp_path: Path, caplog: Any, earlier: str | None, now: str | None
) -> None:
    assert "ingested as corpus" not in _batches(tmp_path, earlier, now, caplog)


def test_a_bad_corpus_name_is_a_one_line_error(tmp_path: Path) -> None:
    from tests.test_cli import _error_line, run

    paths = _inputs(tmp_path / "in")
    out = tmp_path / "p.jsonl"
    line = _error_line(run("ingest", str(paths[0]), "--out", str(out), "--corpus", "  "))
    assert "--corpus '  ': expected a name for the corpus" in line
    assert "Fix: pass a short printable name" in line
    assert not out.exists()


def test_the_run_id_does_not_follow_the_git_revision(monkeypatch: Any) -> None:
    one = IngestRecord("0.1.0", SETTINGS, FILES, revision="git " + "1" * 40).as_dict()
    two = IngestRecord("0.1.0", SETTINGS, FILES, revision="git " + "2" * 40 + ", dirty")
    none = IngestRecord("0.1.0", SETTINGS, FILES).as_dict()
    assert one["run"] == two.as_dict()["run"] == none["run"]
    assert two.as_dict()["revision"] == "git " + "2" * 40 + ", dirty"
    assert "revision" not in none
    # another release may cut other passages (splitter, cleaning): another id
    assert IngestRecord("0.2.0", SETTINGS, FILES).as_dict()["run"] != none["run"]


def test_ingest_from_two_commits_gives_one_run_id(tmp_path: Path, monkeypatch: Any) -> None:
    paths = _inputs(tmp_path / "in")
    ids = []
    for sha in ("a" * 40, "b" * 40):
        monkeypatch.setattr(revision, "checkout_revision", lambda sha=sha: f"git {sha}")
        out = tmp_path / f"{sha[0]}.jsonl"
        ingest(paths, out, delimiter=";")
        run = _runs(out)[0]
        assert run["revision"] == f"git {sha}"
        ids.append(run["run"])
    assert ids[0] == ids[1]


def test_the_report_shows_the_corpus_and_revision(tmp_path: Path) -> None:
    from annotate.corpus.export import export
    from tests.audit.fakes import FakeStudio, reviewed_tasks
    from tests.corpus.test_ingest_runs_export import record

    tasks = reviewed_tasks()
    named = {**record("ingest-aaaa", 700), "corpus": "forum-2026", "revision": "git " + "c" * 40}
    for t in tasks:
        t["data"]["ingest_run"] = json.dumps(named)
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    (listed,) = json.loads((out / "manifest.json").read_text())["ingest_runs"]["runs"]
    assert (listed["corpus"], listed["revision"]) == ("forum-2026", "git " + "c" * 40)
    text = (out / "report" / "report.md").read_text()
    assert "| previous runs | corpus |" in text
    assert f"| `ingest-aaaa` | {len(tasks)} | 0.1.0 (git ccccccc) | 700/80, splitter 1 |" in text
    assert "| forum-2026 |" in text
