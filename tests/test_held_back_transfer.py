"""The held-back record lives on the machine that pushed; `annotate review held-back --out`
writes it and `--merge` adds it on another machine, so a second lead's `review status`
shows the passages waiting in no queue too. Two ANNOTATE_HOMEs stand for two machines."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import InputError
from annotate.review.held_back import held_back, import_record, record_held

URL = "http://studio.team.example"
SET = "Batch 12"


def _on(machine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(machine))


def _cli(monkeypatch: pytest.MonkeyPatch, *args: str, url: str = URL) -> Any:
    monkeypatch.setattr("annotate.studio.client.connect", lambda *a, **k: SimpleNamespace(url=url))
    return CliRunner().invoke(app, ["review", "held-back", "--project", SET, *args])


def test_a_second_lead_merges_the_record_and_sees_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "lead-a", tmp_path / "lead-b"
    _on(first, monkeypatch)
    record_held(URL, SET, tmp_path / "a.parquet", {"p1": 2, "p2": 2}, max_graphic=0, k=2)
    export = tmp_path / "held.json"
    done = _cli(monkeypatch, "--out", str(export))
    assert done.exit_code == 0, done.output
    assert "1 file, 2 passage(s)" in done.output
    doc = json.loads(export.read_text(encoding="utf-8"))
    assert doc["format"] == "annotate-held-back/1" and doc["project"] == SET

    _on(second, monkeypatch)
    assert held_back(URL, SET, frozenset()) == []  # the second machine knew nothing
    record_held(URL, SET, tmp_path / "b.parquet", {"q1": 1}, max_graphic=1, k=2)  # its own
    merged = _cli(monkeypatch, "--merge", str(export))
    assert merged.exit_code == 0, merged.output
    assert "merged 2 held-back passage(s) of 1 file new here" in merged.output
    found = {Path(h.prelabels).name: h.passages for h in held_back(URL, SET, frozenset())}
    assert found == {"a.parquet": ("p1", "p2"), "b.parquet": ("q1",)}  # its own kept
    again = _cli(monkeypatch, "--merge", str(export))
    assert "merged 0 held-back passage(s) of 0 files" in again.output  # nothing twice


def test_merge_keeps_every_entry_of_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _on(tmp_path / "m", monkeypatch)
    key = str((tmp_path / "a.parquet").resolve())
    record_held(URL, SET, tmp_path / "a.parquet", {"p1": 2}, max_graphic=0, k=2)
    doc = {
        "format": "annotate-held-back/1",
        "project": SET,
        "records": {key: {"max_graphic": 3, "k": 2, "passages": ["p1", "p3"]}},
    }
    done = import_record(URL, SET, doc)
    assert (done.files, done.passages) == (1, 1)
    (rec,) = held_back(URL, SET, frozenset())
    assert rec.passages == ("p1", "p3") and rec.max_graphic == 0  # this machine's cap kept


@pytest.mark.parametrize(
    "doc",
    [
        {"format": "something else", "records": {}},
        {"format": "annotate-held-back/1", "records": {"f": {"passages": "p1"}}},
        ["not", "a", "record"],
    ],
)
def test_what_is_no_export_is_refused(
    doc: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _on(tmp_path / "m", monkeypatch)
    with pytest.raises(InputError):
        import_record(URL, SET, doc)
    assert held_back(URL, SET, frozenset()) == []


def test_cli_mistakes_are_clear_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _on(tmp_path / "m", monkeypatch)
    neither = _cli(monkeypatch)
    assert neither.exit_code == 1 and "needs one of --out FILE" in neither.output
    other = tmp_path / "other.json"
    other.write_text(
        json.dumps({"format": "annotate-held-back/1", "project": "Batch 13", "records": {}}),
        encoding="utf-8",
    )
    wrong = _cli(monkeypatch, "--merge", str(other))
    assert wrong.exit_code == 1 and "review set 'Batch 13', not 'Batch 12'" in wrong.output
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    bad = _cli(monkeypatch, "--merge", str(broken))
    assert bad.exit_code == 1 and "cannot read" in bad.output
    assert "Traceback" not in bad.output


def test_files_that_cannot_be_written_are_clear_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--out into a folder that does not exist, and a merge where this machine's record
    cannot be written: the path and the fix, no traceback."""
    _on(tmp_path / "lead-a", monkeypatch)
    record_held(URL, SET, tmp_path / "a.parquet", {"p1": 2}, max_graphic=0, k=2)
    out = _cli(monkeypatch, "--out", str(tmp_path / "no-such-folder" / "held.json"))
    assert out.exit_code == 1 and isinstance(out.exception, SystemExit), out.exception
    assert "cannot write the held-back record to " in out.output, out.output
    assert "Traceback" not in out.output
    good = tmp_path / "held.json"
    assert _cli(monkeypatch, "--out", str(good)).exit_code == 0
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where annotate's folder should be", encoding="utf-8")
    _on(blocked, monkeypatch)
    merged = _cli(monkeypatch, "--merge", str(good))
    assert merged.exit_code == 1, merged.output
    assert "cannot write this machine's held-back record" in merged.output, merged.output
