"""An export over a previous one counts and names the passages that change split (a model
trained on the previous train split has seen those now held out)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from annotate.corpus.export import export
from tests.audit.fakes import FakeStudio, reviewed_tasks


def _splits(out: Path) -> dict[str, str]:
    return {
        json.loads(line)["id"]: f.stem
        for f in sorted((out / "jsonl").glob("*.jsonl"))
        for line in f.read_text(encoding="utf-8").splitlines()
    }


def test_passages_that_change_split_since_the_previous_export_are_counted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "corpus"
    run = export("p", out, client=FakeStudio(reviewed_tasks()), salt="s", seed=0)  # type: ignore[arg-type]
    assert run.manifest["splits"]["moved_since_previous_export"] is None
    first = _splits(out)
    # the same corpus and seed again: nothing moves
    again = export("p", out, client=FakeStudio(reviewed_tasks()), salt="s", seed=0)  # type: ignore[arg-type]
    same = again.manifest["splits"]["moved_since_previous_export"]
    assert same["moved"] == 0 and same["passages_compared"] == len(first)
    # another seed moves some: counted, by move, and logged
    with caplog.at_level(logging.WARNING, logger="annotate.corpus.export"):
        other = export("p", out, client=FakeStudio(reviewed_tasks()), salt="s", seed=5)  # type: ignore[arg-type]
    second = _splits(out)
    moved = {i for i in first if first[i] != second[i]}
    assert moved
    info = other.manifest["splits"]["moved_since_previous_export"]
    assert info["moved"] == len(moved) == sum(info["moves"].values())
    assert set(info["examples"]) <= moved
    assert f"{len(moved)} passage(s) of the previous export in {out} change split" in caplog.text
