"""Retraining as an ML engineer against a real Label Studio: export, train on it, then
export again into the same folder. `annotate export` replaced the export the model was
trained on without a word, and `annotate verify MODEL` then failed even when the review
state was the same (only manifest.json new). Now export refuses without --overwrite;
with it, the same answers give a verify that passes with a note, and a changed answer a
verify that says the training data changed since training, and how to retrain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.studio.client import StudioClient
from tests.audit.cli_run import run_cli
from tests.test_train_loop import NO_HARM, TRAINERS, _native_rows

from .helpers import PRELABELS, choices, tasks_by_passage

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """:func:`run_cli`, its stderr's white space folded (the messages wrap)."""
    code, err = run_cli(args, capsys)
    return code, " ".join(err.split())


def test_export_again_under_a_trained_model(
    client: StudioClient,
    project_name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    assert _run(["push", str(PRELABELS), "--project", project_name, "-q"], capsys)[0] == 0
    project = client.find_project(project_name)
    assert project is not None
    me = int(client.whoami()["id"])
    answers = [
        client.sdk.annotations.create(
            id=task["id"], result=[choices("category", ["none"])], completed_by=me
        ).id
        for task in tasks_by_passage(client, int(project["id"])).values()
    ]
    corpus = tmp_path / "corpus"
    export = ["export", "--project", project_name, "--out", str(corpus), "-q"]
    code, err = _run(export, capsys)
    assert code == 0, err
    base = tmp_path / "base.jsonl"
    base.write_text("\n".join(json.dumps(r) for r in _native_rows()) + "\n")
    cfg = tmp_path / "small.train.yaml"
    cfg.write_text("name: small\n" + TRAINERS["frozen"][0] + "taxonomy_examples_weight: 0\n")
    model = tmp_path / "model"
    train = ["train", "--config", str(cfg), "--data", str(base), "--data", str(corpus), NO_HARM]
    code, err = _run([*train, "--out", str(model), "-q"], capsys)
    assert code == 0, err

    code, err = _run(export, capsys)  # the export the model was trained on is kept
    assert code == 1 and f"--out {corpus} holds the export of project {project_name!r}" in err
    assert "--overwrite" in err and "Traceback" not in err

    code, err = _run([*export, "--overwrite"], capsys)  # the same answers, exported again
    assert code == 0, err
    code, err = _run(["verify", str(model)], capsys)
    assert code == 0, err
    assert "the rows are the ones the model was trained on" in err, err
    assert "1 manifest(s) written again by a later export of the same rows" in err

    client.sdk.annotations.update(
        id=answers[0], result=[choices("category", ["violent_threat"])]
    )  # a reviewer changed an answer
    code, err = _run([*export, "--overwrite"], capsys)
    assert code == 0, err
    code, err = _run(["verify", str(model)], capsys)
    assert code == 1 and "the training data changed since training" in err, err
    assert "rows at training" in err and "Traceback" not in err
    fix = "Fix: the training data changed since training: retrain on it into a new folder"
    retrain = f"`annotate train --data {base} --data {corpus} --out {model}-2`"
    assert f"{fix} ({retrain}, with the --config it was trained with, if any)" in err, err
