"""Re-running an interrupted `prelabel` with another --threads (to "go faster") discarded
the kept windows at once with a warning, so the tweak lost the crashed job's work, and a
second stop lost it all (passE51 E9). The thread count can move a score's last digit
(README "Threads"), so a resume never mixes two: the CLI now refuses before discarding,
naming both ways on (--threads N resumes, --restart discards), as --engine ray does."""

from __future__ import annotations

import torch
from typer.testing import CliRunner

from annotate.prelabel_parts import kept_rows, parts_folder, recorded_threads
from tests.fakes import KeywordClassifier
from tests.test_prelabel_stop_counts import ScoredThenStopped, _rows


def _run(tmp_path, monkeypatch, clf, *extra: str):  # type: ignore[no-untyped-def]
    import annotate.classifier
    from annotate.cli import app

    monkeypatch.setattr(annotate.classifier, "load_classifier", lambda *a, **k: clf)
    src, out = tmp_path / "in.jsonl", tmp_path / "pre.jsonl"
    return CliRunner().invoke(app, ["prelabel", str(src), "--out", str(out), *extra])


def test_another_thread_count_is_refused_before_the_kept_passages_go(
    tmp_path, taxonomy, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from annotate.prelabeling import CHUNK_SIZE

    before = torch.get_num_threads()
    try:
        _rows(tmp_path / "in.jsonl", CHUNK_SIZE + 30)
        out = tmp_path / "pre.jsonl"
        stopped = _run(tmp_path, monkeypatch, ScoredThenStopped(taxonomy.category_names, 2))
        assert stopped.exit_code != 0
        was, kept = recorded_threads(out), kept_rows(out)
        assert was is not None and kept >= CHUNK_SIZE
        other = was + 1
        clf = KeywordClassifier(taxonomy.category_names)
        refused = _run(tmp_path, monkeypatch, clf, "--threads", str(other))
        assert refused.exit_code == 1, refused.stderr
        said = " ".join(refused.stderr.split())
        assert (
            f"error: {kept:,} passages pre-labelled by an interrupted run are kept in "
            f"{parts_folder(out)}, scored with {was} torch thread"
        ) in said, said
        assert f"this run would use {other} (--threads)" in said
        assert (
            f"Fix: run the same command with --threads {was} to resume from them, or add "
            f"--restart to discard them and score everything with {other}."
        ) in said, said
        assert kept_rows(out) == kept and not out.exists()  # nothing lost, nothing scored
        # the count they were scored with resumes them
        resumed = _run(tmp_path, monkeypatch, clf, "--threads", str(was))
        assert resumed.exit_code == 0, resumed.stderr
        assert f"resuming: {kept:,} of {CHUNK_SIZE + 30:,} passages" in resumed.stderr
        assert out.exists()
    finally:
        torch.set_num_threads(before)


def test_restart_with_another_count_starts_afresh(tmp_path, taxonomy, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from annotate.prelabeling import CHUNK_SIZE

    before = torch.get_num_threads()
    try:
        _rows(tmp_path / "in.jsonl", CHUNK_SIZE + 30)
        _run(tmp_path, monkeypatch, ScoredThenStopped(taxonomy.category_names, 2))
        was = recorded_threads(tmp_path / "pre.jsonl")
        assert was is not None
        clf = KeywordClassifier(taxonomy.category_names)
        again = _run(tmp_path, monkeypatch, clf, "--threads", str(was + 1), "--restart")
        assert again.exit_code == 0, again.stderr
        assert "resuming:" not in again.stderr and (tmp_path / "pre.jsonl").exists()
    finally:
        torch.set_num_threads(before)
