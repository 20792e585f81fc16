"""Stale entries of the held-back record (:mod:`annotate.review.held_back`): a passage a
queue holds now is no longer held back and its entry goes (review status prunes them and
says so); a passage no queue holds is never dropped, whatever became of its file; a push
writing the record meanwhile is waited for, or the record is left alone. The real server:
tests/integration/test_held_back_prune.py."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from filelock import FileLock
from typer.testing import CliRunner

from annotate.cli import app
from annotate.review import handover, held_back
from annotate.review.handover import QueueStatus
from annotate.review.held_back import _path, prune_held, record_held, written_stamps
from annotate.review.queues import Queue, description

URL = "http://studio.example:8080"
SET = "Set"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    return tmp_path


def _record() -> dict[str, object]:
    return json.loads(_path(URL, SET).read_text(encoding="utf-8"))


def test_queued_passages_are_pruned_and_the_waiting_ones_kept(home: Path) -> None:
    a, b = home / "a.parquet", home / "b.parquet"
    record_held(URL, SET, a, {"p1": 2, "p2": 2, "p3": 1}, max_graphic=0, k=2)
    record_held(URL, SET, b, {"q1": 1}, max_graphic=3, k=2)
    pruned = prune_held(URL, SET, queued={"p2", "q1", "other"}, stamps=written_stamps(URL, SET))
    assert pruned is not None
    assert (pruned.entries, pruned.passages) == (2, ("p2", "q1"))
    assert pruned.files == (str(b.resolve()),)  # nothing of b's left: its record goes
    record = _record()
    assert record.keys() == {"project", held_back.CAP_KEY, str(a.resolve())}
    assert record[held_back.CAP_KEY] == 3  # the latest push's cap (b's)
    assert record[str(a.resolve())] == {
        "k": 2,
        "max_graphic": 0,
        "passages": ["p1", "p3"],
        "written": written_stamps(URL, SET)[str(a.resolve())],
    }
    # the files are gone (never written here): their waiting passages stay all the same
    assert [h.passages for h in held_back.held_back(URL, SET, frozenset())] == [("p1", "p3")]
    # nothing stale: nothing written
    assert prune_held(URL, SET, queued={"x"}, stamps=written_stamps(URL, SET)) is None
    last = prune_held(URL, SET, queued={"p1", "p3"}, stamps=written_stamps(URL, SET))
    assert last is not None and last.entries == 2
    # no entry left: the record holds the set's latest cap only
    assert _record() == {"project": SET, held_back.CAP_KEY: 3}


def test_a_record_written_since_status_read_the_queues_keeps_its_new_entries(home: Path) -> None:
    """Status reads the queues, a push then records a new hold, status prunes: the prune
    reads the record again under its lock and drops only passages of ``queued``."""
    record_held(URL, SET, home / "a.parquet", {"p1": 2}, max_graphic=0, k=2)
    stamps = written_stamps(URL, SET)
    queued = {"p1"}  # what status read
    record_held(URL, SET, home / "c.parquet", {"r1": 2}, max_graphic=0, k=2)  # a push
    pruned = prune_held(URL, SET, queued, stamps=stamps)
    assert pruned is not None and pruned.passages == ("p1",)
    assert [h.passages for h in held_back.held_back(URL, SET, frozenset())] == [("r1",)]


def test_a_passage_a_push_held_back_again_since_status_read_the_queues_is_kept(
    home: Path,
) -> None:
    """Status reads the queues (p1 in one), p1's task is deleted and a push of the same
    file holds p1 back again, then status prunes: p1 waits for a push, and its entry, newer
    than the queues status read, stays."""
    a = home / "a.parquet"
    record_held(URL, SET, a, {"p1": 2, "p2": 2}, max_graphic=0, k=2)
    stamps = written_stamps(URL, SET)  # status, before it reads the queues
    queued = {"p1"}  # what status read
    record_held(URL, SET, a, {"p1": 2, "p2": 2}, max_graphic=0, k=2)  # the push since
    assert prune_held(URL, SET, queued, stamps=stamps) is None
    assert [h.passages for h in held_back.held_back(URL, SET, frozenset())] == [("p1", "p2")]
    # the next status, whose queues were read after that push, prunes what is queued then
    assert prune_held(URL, SET, queued, stamps=written_stamps(URL, SET)) is not None


def test_a_record_a_push_is_writing_is_left_alone(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_held(URL, SET, home / "a.parquet", {"p1": 2}, max_graphic=0, k=2)
    before = _path(URL, SET).read_bytes()
    monkeypatch.setattr(held_back, "PRUNE_WAIT_S", 0.2)
    with FileLock(str(_path(URL, SET).with_suffix(".lock"))):  # another process's push
        assert prune_held(URL, SET, {"p1"}, stamps=written_stamps(URL, SET)) is None
    assert _path(URL, SET).read_bytes() == before
    assert (
        prune_held(URL, SET, {"p1"}, stamps=written_stamps(URL, SET)) is not None
    )  # the next status prunes it


def test_no_record_is_nothing_to_prune() -> None:
    assert prune_held(URL, "Never pushed", {"p1"}, stamps={}) is None


def test_review_status_prunes_and_says_so(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record_held(URL, SET, home / "a.parquet", {"p1": 2, "p9": 2}, max_graphic=0, k=2)
    queue = Queue(
        "r-aaaaaaaaaa",
        "ana@x.org",
        1,
        {"id": 5, "description": description(SET, "r-aaaaaaaaaa", 2)},
    )
    found = [
        QueueStatus(
            queue=queue, url="http://ls/projects/5/data", tasks=1, answered=1, skipped=0,
            open=0, open_gold=0, passages=frozenset({"p1"}), answered_passages=frozenset({"p1"}),
        )
    ]  # fmt: skip
    monkeypatch.setattr("annotate.studio.client.connect", lambda: SimpleNamespace(url=URL))
    monkeypatch.setattr(handover, "queue_status", lambda client, project, salt, **_: found)
    monkeypatch.setattr("annotate.cli.review.status._lead_status", lambda client, project: None)
    monkeypatch.setattr("annotate.cli.review.status.print_exposure", lambda *a: None)
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "test-salt")
    out = CliRunner().invoke(app, ["review", "status", "--project", SET], terminal_width=400)
    assert out.exit_code == 0, out.output
    assert "note: 1 held-back record entr(ies) pruned: passages a queue holds now (e.g. 'p1')" in (
        out.output
    )
    assert "1 graphic passage(s) in no queue: held back by push " in out.output  # p9 waits
    assert "The pre-labels file is no longer at " in out.output  # a.parquet never existed
    again = CliRunner().invoke(app, ["review", "status", "--project", SET], terminal_width=400)
    assert "pruned" not in again.output and "1 graphic passage(s) in no queue" in again.output


def test_a_set_with_no_queue_yet_still_shows_what_its_push_held_back(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A push whose every passage was held back (a cap of 0, all graphic) made no queue:
    status finds no review set, and the record is the one trace of the push; it is shown
    (and kept) beside the error."""
    from annotate.errors import InputError

    record_held(URL, SET, home / "a.parquet", {"p1": 2}, max_graphic=0, k=2)

    def no_queues(client: object, project: str, salt: str, **_: object) -> list[QueueStatus]:
        raise InputError(f"no review set named {project!r}.", fix="check the name.")

    monkeypatch.setattr("annotate.studio.client.connect", lambda: SimpleNamespace(url=URL))
    monkeypatch.setattr(handover, "queue_status", no_queues)
    monkeypatch.setattr(handover, "unknown_name_error", lambda client, project: None)
    monkeypatch.setattr("annotate.cli.review.status._plain_status", lambda *a, **k: None)
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "test-salt")
    out = CliRunner().invoke(app, ["review", "status", "--project", SET], terminal_width=400)
    assert out.exit_code == 1, out.output
    assert "1 graphic passage(s) in no queue: held back by push " in out.output
    assert "no review set named 'Set'" in out.output
    assert _path(URL, SET).is_file()  # kept: nothing queued it
