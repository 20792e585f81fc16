"""newuser59 #7: the model card and ``annotate_model.json`` of a model trained on an
export did not say which model's pre-labels the human answers it trained on started
from (only ``annotate evaluate`` warned of anchoring). Reviewers lean towards the
pre-labels they are shown (automation bias), so the training record now counts, per
split, an export's answers per pre-label model version they started from, those that
record no start, and the versions their tasks showed; the card states it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.evaluation.model_card import training_data_lines
from annotate.training.data_files import DataSourceRecord, read_records
from annotate.training.sources import DataSource, load_examples
from tests.conftest import project_taxonomy
from tests.test_train_loop import _corpus_row, _write_export

A = "default@513fc60ad5d5"
B = "batch1@14fa78093a7e"
# per passage: its text, labels, split and its answers' (model shown, started from it)
ROWS = [
    ("I will kill you tonight.", ["violent_threat"], "train", [(A, True), (A, True)]),
    ("Police said the market reopened.", ["news_reporting"], "train", [(B, True)]),
    ("We will kill them all.", ["violent_threat"], "train", [(B, False)]),
    ("The mayor said the road is closed.", ["news_reporting"], "test", [(A, True)]),
]


def _export(tmp_path: Path) -> Path:
    tax = project_taxonomy()
    rows = []
    for i, (text, labels, split, answers) in enumerate(ROWS):
        row = _corpus_row(tax, i, text, labels, split, labels)
        first = row["annotations"][0]
        row["annotations"] = [
            {**first, "reviewer": f"r{n}", "model_version": v, "started_from_prediction": s}
            for n, (v, s) in enumerate(answers)
        ]
        row["n_reviewers"] = len(answers)
        row["model_version"] = answers[0][0]
        rows.append(row)
    out = tmp_path / "corpus"
    _write_export(out, rows, tax)
    return out


def test_the_record_counts_answers_per_prelabel_model_and_split(tmp_path: Path) -> None:
    corpus = _export(tmp_path)
    _, described = load_examples([DataSource(str(corpus))], project_taxonomy(), seed=0)
    assert described[0]["prelabel_answers"] == {
        "test": {"answers": 1, "started_from": {A: 1}, "no_start_recorded": 0, "shown": {A: 1}},
        "train": {
            "answers": 4,
            "started_from": {B: 1, A: 2},
            "no_start_recorded": 1,
            "shown": {B: 2, A: 2},
        },
    }
    card = "\n".join(training_data_lines(described))
    assert (
        f"train: 4 answers: 2 started from `{A}`'s pre-labels, 1 from `{B}`'s, 1 recording "
        f"no pre-label start (their tasks showed `{B}` 2, `{A}` 2)" in card
    )
    assert f"test: 1 answer: 1 started from `{A}`'s pre-labels" in card
    assert "automation bias" in card


def test_a_record_without_it_still_loads_and_says_nothing(tmp_path: Path) -> None:
    old: dict[str, Any] = {
        "path": "corpus",
        "kind": "export",
        "rows": 3,
        "label_counts": {"train": {"violent_threat": 2}},
    }
    assert read_records([old])[0].prelabel_answers is None
    assert "pre-label" not in "\n".join(training_data_lines([old]))
    # a source that is no export records none (not a null field in every entry)
    assert "prelabel_answers" not in DataSourceRecord.dump(old)


@pytest.mark.slow  # trains a real (small) model
def test_a_trained_models_card_states_it_and_verify_checks_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotate.corpus.export import _write_atomically

    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    tax = project_taxonomy()
    texts = ["Market opens at nine.", "They will pay for this, I swear.", "Police said two men"]
    labels = [["none"], ["violent_threat"], ["news_reporting"]]
    rows = []
    for i, split in enumerate(["train"] * 12 + ["validation"] * 6 + ["test"] * 3):
        row = _corpus_row(tax, i, f"{texts[i % 3]} ({i})", labels[i % 3], split, labels[i % 3])
        version = A if i % 2 else B
        row["annotations"] = [
            {**row["annotations"][0], "model_version": version, "started_from_prediction": i != 0}
        ]
        row["model_version"] = version
        rows.append(row)
    corpus, model = tmp_path / "corpus", tmp_path / "model"
    _write_atomically(
        corpus,
        rows,
        tax,
        {"format": "annotate-corpus/1", "taxonomy": {"name": tax.name, "version": tax.version}},
    )
    assert _run(["train", "--data", str(corpus), "--out", str(model), "--quiet"], capsys) == 0
    data = json.loads((model / "annotate_model.json").read_text())["training"]["data"]
    assert data[0]["prelabel_answers"]["train"] == {
        "answers": 12,
        "started_from": {B: 5, A: 6},
        "no_start_recorded": 1,
        "shown": {B: 6, A: 6},
    }
    card = (model / "model_card.md").read_text()
    said = f"train: 12 answers: 6 started from `{A}`'s pre-labels, 5 from `{B}`'s, 1 recording"
    assert said in card
    assert _run(["verify", str(model), "--strict", "-q"], capsys) == 0
    (model / "model_card.md").write_text(card.replace(said, said.replace("6 started", "9 started")))
    assert _run(["verify", str(model), "--strict", "-q"], capsys) != 0


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> int:
    from annotate.cli import main

    capsys.readouterr()
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
