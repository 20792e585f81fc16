"""A batch whose every passage an earlier run already holds writes an empty table, which
prelabel then refuses ("has no rows. Fix: pass a non-empty file"): ingest says at once
that the run has nothing to pre-label, and why."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from annotate.cli import app


def _ingest(*args: str) -> str:
    result = CliRunner().invoke(app, ["ingest", "-q", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_batch_with_nothing_new_says_so(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The minister condemned the attack on the market.\n")
    first, second = tmp_path / "monday.parquet", tmp_path / "friday.parquet"
    said = _ingest(str(docs), "--out", str(first))
    assert "holds no passage" not in said
    said = _ingest(str(docs), "--out", str(second), "--previous", str(first))
    assert "0 passages" in said
    assert (
        f"note: {second} holds no passage (every passage is a copy of an earlier run's "
        "(--previous)): there is nothing to pre-label or push from this run"
    ) in " ".join(said.split())
