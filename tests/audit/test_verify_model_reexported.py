"""`annotate verify MODEL_DIR` on a model trained on an export that was exported again
since (same folder, `annotate export --out` run once more): every file differs, and each
mismatch said "same size: edited in place", which reads as tampering to an auditor. It now
says the export was written again, with both export times and how to compare the rows;
and the files are named by their normalised path (no `checkout/../../tmp/...`)."""

from __future__ import annotations

import json

import pytest

from annotate.cli import main
from tests.test_train_loop import _corpus_row

pytestmark = pytest.mark.slow  # trains a real (small) model


def _export(out, tax, exported_at, reviewed_again=False):
    from annotate.corpus.export import _write_atomically

    texts = ["Market opens at nine.", "They will pay for this, I swear.", "Police said two men"]
    if reviewed_again:  # a passage's text as another answer changed its row
        texts[0] = "Market opens at ten."
    labels = [["none"], ["violent_threat"], ["news_reporting"]]
    rows = [
        _corpus_row(tax, i, f"{texts[i % 3]} ({i})", labels[i % 3], split, labels[i % 3])
        for i, split in enumerate(["train"] * 12 + ["validation"] * 6 + ["test"] * 3)
    ]
    answered = "2026-11-30T09:00:00+00:00"  # once, before every export (_corpus_row: now)
    for r in rows:
        r["first_annotated_at"] = r["last_annotated_at"] = answered
        for a in r["annotations"]:
            a["created_at"] = a["updated_at"] = answered
    manifest = {
        "format": "annotate-corpus/1",
        "exported_at": exported_at,
        "project": {"title": "p"},
        "taxonomy": {"name": tax.name, "version": tax.version},
    }
    _write_atomically(out, rows, tax, manifest)


def _run(args, capsys):
    capsys.readouterr()
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


def test_an_export_written_again_is_named_as_such(tmp_path, taxonomy, monkeypatch, capsys):
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    corpus = tmp_path / "corpus"
    _export(corpus, taxonomy, "2026-12-01T10:00:00+00:00")
    model = tmp_path / "model"
    code, err = _run(["train", "--data", str(corpus), "--out", str(model), "--quiet"], capsys)
    assert code == 0, err
    recorded = json.loads((model / "annotate_model.json").read_text())["training"]["data"]
    assert recorded[0]["exported_at"] == "2026-12-01T10:00:00+00:00"

    # the same rows, exported again: the same data files, a manifest with another time
    _export(corpus, taxonomy, "2026-12-02T10:00:00+00:00")
    code, err = _run(["verify", str(model)], capsys)
    assert code == 1
    mismatches = [line for line in err.splitlines() if line.startswith("mismatch: ")]
    assert mismatches and all("the export was written again" in m for m in mismatches), err
    assert "edited in place" not in err
    head = next(m for m in mismatches if "manifest.json" in m)
    assert "exported_at 2026-12-02T10:00:00+00:00" in head
    assert "trained on the export of 2026-12-01T10:00:00+00:00" in head
    assert "data file(s) match: the rows are the ones the model was trained on" in head, err
    assert mismatches == [head]  # every data file matches
    assert f"mismatch: {corpus}/manifest.json:" in head  # normalised, as found
    assert "/../" not in err

    _export(corpus, taxonomy, "2026-12-03T10:00:00+00:00", reviewed_again=True)
    code, err = _run(["verify", str(model)], capsys)
    mismatches = [line for line in err.splitlines() if line.startswith("mismatch: ")]
    assert code == 1 and len(mismatches) > 1, err
    assert all("the export was written again" in m for m in mismatches), err
    head = next(m for m in mismatches if "manifest.json" in m)
    assert "its rows changed" in head and "--same-as" in head
