"""`annotate evaluate` and `annotate train` with --out on a full disk (faults61; a 40 KiB
tmpfs): evaluate wrote its report's files straight into --out, so it left report.json and
a cut-short pr_curves.png there while saying "nothing partial is left", and neither named
the disk ("No space left on device; ..."): matplotlib's and safetensors' writes raise a
bare ENOSPC. Now evaluate writes its files in a hidden folder beside --out and moves
them in only when all are written, and both name --out."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

import annotate._util.atomic as atomic
import annotate.evaluation.evaluate as evaluation
from annotate.evaluation.evaluate import evaluate
from annotate.training.sources import DataSource
from tests.audit.cli_run import run_cli
from tests.conftest import project_taxonomy
from tests.evaluation.test_evaluate import ROWS
from tests.fakes import KeywordClassifier
from tests.test_train_loop import _native_rows


def _full(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk of --out is full: statvfs says 4 KiB free, and the plot's write fails
    half-way with a bare ENOSPC, as matplotlib's does."""
    monkeypatch.setattr(atomic.os, "statvfs", lambda _p: SimpleNamespace(f_bavail=1, f_frsize=4096))

    def cut_short(out: Path, *args: object) -> None:
        (out / "pr_curves.png").write_bytes(b"\x89PNG" + bytes(100))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(evaluation, "_plots", cut_short)


def _data(tmp_path: Path) -> list[DataSource]:
    data = tmp_path / "gold.jsonl"
    data.write_text("".join(json.dumps({"text": r[4], "labels": r[3]}) + "\n" for r in ROWS))
    return [DataSource(str(data))]


def test_evaluate_on_a_full_disk_leaves_no_report_and_names_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tax = project_taxonomy()
    data = _data(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    _full(monkeypatch)
    out = tmp_path / "ev"
    with pytest.raises(OSError) as err:
        evaluate(KeywordClassifier(tax.category_names), tax, data, out)
    assert err.value.errno == errno.ENOSPC and err.value.filename == str(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no ev, no hidden partial


def test_evaluate_on_a_full_disk_keeps_the_previous_report_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tax = project_taxonomy()
    data = _data(tmp_path)
    out = tmp_path / "ev"
    evaluate(KeywordClassifier(tax.category_names), tax, data, out)
    old = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(old) == set(evaluation.REPORT_FILES)
    _full(monkeypatch)
    with pytest.raises(OSError):
        evaluate(KeywordClassifier(tax.category_names), tax, data, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ev", "gold.jsonl"]


def test_train_on_a_full_disk_names_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotate.training import card

    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "data").mkdir()
    data = tmp_path / "data" / "base.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in _native_rows()) + "\n")
    cfg = tmp_path / "small.train.yaml"
    cfg.write_text("name: small\ntrainer: frozen\ndata:\n  - path: data/base.jsonl\n")
    out = tmp_path / "models" / "cc"
    out.parent.mkdir()

    def full(tmp: Path, version: str) -> None:
        (tmp / "model_card.md").write_text("# cut short")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as a buffered close does

    monkeypatch.setattr(card, "write_card", full)
    monkeypatch.setattr(atomic.os, "statvfs", lambda _p: SimpleNamespace(f_bavail=1, f_frsize=4096))
    argv = ["train", "--config", str(cfg), "--out", str(out), "-q", "--allow-no-harmful-passages"]
    code, err = run_cli(argv, capsys)
    assert code == 1, err
    assert "Traceback" not in err
    (line,) = [x for x in err.splitlines() if x.startswith("error:")]
    assert line.startswith(f"error: No space left on device writing {out};"), line
    assert list(out.parent.iterdir()) == []  # no model, no hidden partial


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names an fd through /proc")
def test_a_flush_refused_after_staging_keeps_the_previous_report_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reader61 #11: the staged files were flushed and renamed one by one, so a flush
    refused for a later file (ENOSPC or EDQUOT at fsync: NFS, quotas, delayed allocation)
    left --out with the new report.json beside the old report.md and plots."""
    tax = project_taxonomy()
    data = _data(tmp_path)
    out = tmp_path / "ev"
    evaluate(KeywordClassifier(tax.category_names), tax, data, out)
    old = {p.name: p.read_bytes() for p in out.iterdir()}
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(gold.read_text().splitlines(True)[:-3]))  # another report
    real_fsync = os.fsync

    def refused(fd: int) -> None:
        where = Path(os.readlink(f"/proc/self/fd/{fd}"))
        if where.name == "report.md" and where.parent != out:  # the staged copy
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", refused)
    with pytest.raises(OSError):
        evaluate(KeywordClassifier(tax.category_names), tax, data, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old
