"""`annotate verify MODEL_DIR` on a model trained on an export that was exported again
since (same folder, `annotate export --out` run once more): every file differs, and each
mismatch said "same size: edited in place", which reads as tampering to an auditor. It
said the export was written again, with both export times; the files are named by their
normalised path (no `checkout/../../tmp/...`). Since stop 46 the same rows exported again
(every data file matches, only manifest.json is new) are no mismatch but a note, and fail
only with --strict (they failed verify although the model's training data was intact);
changed rows are said to be training data changed since training, naming the changed
split files with their rows then and now, and the fix retrains into a new folder."""

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
    assert code == 0, err
    assert "mismatch" not in err and "edited in place" not in err
    said = " ".join(err.split())
    assert f"note: {corpus}/manifest.json: the export was written again" in said  # normalised
    assert "exported_at 2026-12-02T10:00:00+00:00" in said
    assert "trained on the export of 2026-12-01T10:00:00+00:00" in said
    assert "data file(s) match: the rows are the ones the model was trained on" in said
    assert "1 manifest(s) written again by a later export of the same rows" in said
    assert "/../" not in err
    code, err = _run(["verify", str(model), "--strict", "-q"], capsys)
    assert code == 1 and "written again since, the same rows with a new manifest.json" in err

    _export(corpus, taxonomy, "2026-12-03T10:00:00+00:00", reviewed_again=True)
    code, err = _run(["verify", str(model)], capsys)
    mismatches = [line for line in err.splitlines() if line.startswith("mismatch: ")]
    assert code == 1 and len(mismatches) > 1, err
    assert all("the export was written again" in m for m in mismatches), err
    head = next(m for m in mismatches if "manifest.json" in m)
    assert "the training data changed since training" in head
    assert "its rows changed in hf/" in head and "hf/train/" in head, head
    assert "rows at training" in head, head
    assert "--same-as" in head
    said = " ".join(err.split())
    fix = "Fix: the training data changed since training: retrain on it into a new folder"
    assert f"{fix} (`annotate train --data {corpus}" in said, said
    assert f"--out {model.parent / 'model-2'}`, with the --config it was trained with" in said
    assert "restore the export of 2026-12-01T10:00:00+00:00" in said


def test_the_old_export_kept_elsewhere_is_found_with_data_root(
    tmp_path, taxonomy, monkeypatch, capsys
):
    """The old export moved aside (`mv corpus corpus-old`) and a new one written as
    corpus/: `verify MODEL --data-root corpus-old` looked for corpus-old/corpus/... and
    hashed the new corpus/, failing. The export's own folder is taken as --data-root when
    its manifest records the project and export time the model records."""
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    corpus = tmp_path / "corpus"
    _export(corpus, taxonomy, "2026-12-01T10:00:00+00:00")
    model = tmp_path / "model"
    code, err = _run(["train", "--data", str(corpus), "--out", str(model), "--quiet"], capsys)
    assert code == 0, err
    kept = tmp_path / "kept" / "corpus-old"
    kept.parent.mkdir()
    corpus.rename(kept)
    _export(corpus, taxonomy, "2026-12-03T10:00:00+00:00", reviewed_again=True)
    code, err = _run(["verify", str(model)], capsys)
    assert code == 1 and "or pass its folder as --data-root DIR" in " ".join(err.split())
    code, err = _run(["verify", str(model), "--data-root", str(kept), "--strict"], capsys)
    assert code == 0, err
    assert "4 of 4 training data files match" in err
    # another export of the project (since stop 47: --data-root is looked in first, and
    # what was compared is said): the same rows, its manifest written later
    other = tmp_path / "other"
    _export(other, taxonomy, "2026-12-04T10:00:00+00:00")
    code, err = _run(["verify", str(model), "--data-root", str(other)], capsys)
    said = " ".join(err.split())
    assert code == 0 and f"{corpus}/manifest.json" not in err, err
    assert f"note: export {corpus}: compared {other} (exported_at 2026-12-04T10:00:00" in said
    assert "the model was trained on the export of 2026-12-01T10:00:00+00:00)" in said, said
