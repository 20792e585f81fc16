"""`annotate evaluate` said a model "has already seen" an export it was never trained on
(stop 48 new-user F8): the model's training record and the scored data were tied by any
data file's SHA-256, and an empty split's file (its schema alone, 0 rows) is the same
bytes in every export, so any two small exports with an empty split were "the same
data". A file of no rows ties nothing now; the files that hold rows still do."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from annotate.corpus.export import _write_atomically
from annotate.evaluation.trained_on import trained_on_data
from annotate.training.sources import DataSource, load_examples
from tests.test_train_loop import _corpus_row


def _export(out: Path, tax, project: str, texts: list[str]) -> Path:
    """An export of ``project`` whose passages are all in train and validation: its test
    split is empty."""
    rows = [
        _corpus_row(tax, i, text, ["none"], "train" if i % 2 else "validation", ["none"])
        for i, text in enumerate(texts)
    ]
    manifest = {
        "format": "annotate-corpus/1",
        "taxonomy": {"name": tax.name, "version": tax.version},
        "project": {"title": project},
    }
    _write_atomically(out, rows, tax, manifest)
    return out


def _described(path: Path, tax) -> list[dict]:
    return load_examples([DataSource(path=str(path))], tax, seed=0)[1]


def test_two_exports_with_an_empty_split_are_not_the_same_data(tmp_path, taxonomy) -> None:
    a = _export(
        tmp_path / "corpus",
        taxonomy,
        "Break 1",
        ["Market opens at nine.", "Stalls close at six.", "Bread on Saturdays."],
    )
    b = _export(
        tmp_path / "pii_corpus",
        taxonomy,
        "Break PII",
        ["The match is on Sunday.", "Tickets at the kiosk.", "See you all there."],
    )
    trained = _described(a, taxonomy)
    scored = _described(b, taxonomy)
    # the premise: both exports' test split files are empty and byte-identical
    empty_a = {f["sha256"] for f in trained[0]["files"] if f["rows"] == 0}
    empty_b = {f["sha256"] for f in scored[0]["files"] if f["rows"] == 0}
    assert empty_a and empty_a & empty_b
    model = SimpleNamespace(config={"training": {"data": trained}})
    assert trained_on_data(model, scored) is False
    # the export it was trained on is still recognised, by its files that hold rows
    assert trained_on_data(model, trained) is True
    moved = [{**trained[0], "resolved": "elsewhere", "path": "elsewhere", "project": None}]
    assert trained_on_data(model, moved) is True
