"""`annotate train --out DIR` replaces DIR whole: only a new, empty or model folder."""

from __future__ import annotations

from pathlib import Path

import pytest

import annotate.training.frozen_train as frozen_train
from annotate.classifier.model_files import CONFIG_FILE, require_model_target
from annotate.errors import InputError
from annotate.training import TrainConfig, train
from tests.conftest import project_taxonomy
from tests.test_cli import _error_line, run


def test_a_folder_of_documents_is_refused_before_training(tmp_path, monkeypatch) -> None:
    docs = tmp_path / "articles"
    (docs / "2026-11").mkdir(parents=True)
    (docs / "2026-11" / "raid.txt").write_text("Police raided a warehouse on Tuesday.")
    (docs / "bakery.txt").write_text("A bakery won a prize.")

    def never(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(frozen_train, "train_frozen", never)
    with pytest.raises(
        InputError, match=r"holds other files \(2026-11, bakery.txt\) and is not a model folder"
    ) as err:
        train(TrainConfig(name="m"), docs, project_taxonomy())
    assert "--out models/NAME" in str(err.value.fix)
    assert (docs / "2026-11" / "raid.txt").is_file() and (docs / "bakery.txt").is_file()


def test_the_cli_says_it_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "x", "labels": ["none"]}\n')
    line = _error_line(run("train", "--data", str(data), "--out", str(tmp_path)))
    assert "would be deleted" in line and (tmp_path / "notes.txt").read_text() == "mine"


def test_new_empty_and_previous_model_folders_are_accepted(tmp_path: Path) -> None:
    require_model_target(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    require_model_target(tmp_path / "empty")
    model = tmp_path / "model"
    model.mkdir()
    (model / CONFIG_FILE).write_text("{}")
    (model / "model_card.md").write_text("card")
    require_model_target(model)
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="is a file"):
        require_model_target(tmp_path / "file")


def test_the_console_headline_names_labels_the_test_split_lacks() -> None:
    from annotate.cli.train import split_headline

    per = {n: {"support": 0} for n in ("violent_threat", "incitement")} | {"none": {"support": 1}}
    summary, warning = split_headline({"test": {"macro_f1": 1.0, "n": 1, "per_label": per}})
    # one label with a test example: a "macro" F1 of 1.0 over `none` alone said nothing
    # (retrain56 finding 9)
    assert summary == "macro F1 n/a on 1 test passage: only none has a test example"
    assert warning.startswith("the test split has no example of violent_threat, incitement,")
    per["incitement"] = {"support": 2}
    summary, _ = split_headline({"test": {"macro_f1": 0.5, "n": 4, "per_label": per}})
    assert summary == "macro F1 0.5 on 4 test passages, over the 2 of 3 labels with a test example"
    full = {n: {"support": 3} for n in per}
    assert split_headline({"test": {"macro_f1": 0.8, "n": 9, "per_label": full}}) == (
        "macro F1 0.8 on 9 test passages",
        "",
    )
    summary, warning = split_headline({"test": None})
    assert summary == "no test split"
    assert warning.startswith("no passage of the data is in the test split, so the model was not")


def test_one_label_the_held_out_passages_lack_is_it_not_them() -> None:
    """'the test split has no example of graphic_violence, so the figure says nothing
    about them' (train and evaluate, one label)."""
    from annotate.cli.evaluate import unseen_warning
    from annotate.cli.train import split_headline

    per = {"graphic_violence": {"support": 0}, "none": {"support": 3}}
    _, warning = split_headline({"test": {"macro_f1": 0.5, "n": 3, "per_label": per}})
    assert "so the figure says nothing about it; review" in warning
    said = unseen_warning(["graphic_violence"], "test")
    assert said.startswith("the scored passages (test split) have no example of graphic_violence")
    assert "says nothing about it; evaluate on labeled data that has it (" in said
    assert "nothing about them; evaluate on labeled data that has them" in unseen_warning(
        ["incitement", "graphic_violence"], "all"
    )


def test_a_report_folder_is_named_as_typed_and_the_fix_names_overwrite(
    tmp_path: Path, monkeypatch
) -> None:
    """`annotate train --out reports/bc` (an evaluation report) named it by its absolute
    path and said a previous model folder would be replaced, which now needs --overwrite."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports" / "bc").mkdir(parents=True)
    (tmp_path / "reports" / "bc" / "comparison.md").write_text("# A vs B")
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "x", "labels": ["none"]}\n')
    line = _error_line(run("train", "--data", str(data), "--out", "reports/bc"))
    assert line.startswith("error: --out reports/bc holds other files (comparison.md)"), line
    assert "(or a previous one to replace it, with --overwrite)" in line, line
