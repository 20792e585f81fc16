"""Training into a previous model's folder replaces it whole and keeps no copy; `train`
said nothing of it, so an ML engineer who retrained into models/batch-1 to compare lost
batch-1@e2ba0f6e4db0 (the version prelabels and exports credited) without a word. It now
names the version it replaced and how to keep one."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from tests.test_cli import run


def _fake(monkeypatch, version: str) -> None:
    def fake_train(cfg, out, tax, progress=None):
        return SimpleNamespace(metrics={}, version=version, seconds=0.0)

    monkeypatch.setattr("annotate.training.train", fake_train)


def test_train_names_the_model_it_replaced(tmp_path: Path, monkeypatch):
    data = tmp_path / "rows.jsonl"
    data.write_text('{"text": "a", "labels": ["none"]}\n', encoding="utf-8")
    out = tmp_path / "models" / "batch-1"
    out.mkdir(parents=True)
    (out / "annotate_model.json").write_text("{}", encoding="utf-8")
    (out / "model_card.md").write_text("# Model card\n\n- version: `batch-1@aaa`\n", "utf-8")
    _fake(monkeypatch, "batch-1@bbb")
    ran = run("train", "--data", str(data), "--out", str(out), "-q")
    assert ran.returncode == 0, ran.stderr
    assert f"note: {out} held batch-1@aaa, which this model replaced; no copy" in ran.stderr
    assert f"--out {out.parent / 'batch-1-2'}" in ran.stderr
    _fake(monkeypatch, "batch-1@aaa")
    ran = run("train", "--data", str(data), "--out", str(out), "-q")
    assert "the same version: nothing changed" in ran.stderr


def test_a_new_folder_gets_no_note(tmp_path: Path, monkeypatch):
    data = tmp_path / "rows.jsonl"
    data.write_text('{"text": "a", "labels": ["none"]}\n', encoding="utf-8")
    _fake(monkeypatch, "new@1")
    ran = run("train", "--data", str(data), "--out", str(tmp_path / "new"), "-q")
    assert ran.returncode == 0, ran.stderr
    assert "note:" not in ran.stderr
