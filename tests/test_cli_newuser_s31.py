"""A new user's mistakes with stop 31's features: ``push -k K --max-graphic-per-reviewer 0``
told the lead to push again "once reviewers have answered some", which never queues a
graphic passage under a cap of 0."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import average_precision_score

from annotate.cli.review.held_back_lines import held_graphic_note
from annotate.cli.review.status import short_of_k_line
from annotate.errors import InputError
from annotate.evaluation.bootstrap import weighted_auprc
from annotate.review.handover import ShortOfK
from annotate.review.reviewers import add_reviewer
from annotate.settings import PROJECT_ROOT
from tests.test_cli import _error_line, run


def test_a_cap_of_zero_does_not_promise_room_after_answers() -> None:
    note = held_graphic_note({"p1": 2, "p2": 2}, 0)
    assert note.startswith("note: 2 graphic passage(s) held back (4 reviewer task(s) not made)")
    assert "once reviewers have answered" not in note
    assert "cap above 0" in note


def test_a_cap_above_zero_waits_for_answers() -> None:
    note = held_graphic_note({"p1": 1}, 3)
    assert "at most 3 open graphic passage(s)" in note
    assert "once reviewers have answered some" in note


@pytest.mark.parametrize("email", ["zoë@ex.org", "zoe😀@ex.org"])
def test_a_non_ascii_local_part_is_refused_before_the_server(email: str) -> None:
    """Label Studio refused it with 'Enter a valid email address..' and the fix 'use the
    admin token of the organization', which had nothing to do with it."""
    with pytest.raises(InputError, match="sign-up refuses before the @") as caught:
        add_reviewer(None, email)  # type: ignore[arg-type]  # no server is asked
    assert "--name" in (caught.value.fix or "")


def test_auprc_resamples_without_a_negative_are_undefined() -> None:
    """evaluate --model A --model B on passages all positive for a label printed AUPRC
    B - A as '–' beside a 95 % interval [+0.000, +0.000]: the resamples scored 1.0 where the
    point figure (no negative) is undefined."""
    y = np.array([1.0, 1.0, 0.0])
    p = np.array([0.9, 0.2, 0.5])
    w = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 0.0, 3.0]])
    got = weighted_auprc(y, p, w)
    assert np.isnan(got[0]) and np.isnan(got[2])
    assert got[1] == pytest.approx(average_precision_score(y, p))


def test_a_hand_edited_training_record_fails_verify(tmp_path: Path) -> None:
    """A training.data entry edited so that it is no record (a key dropped) was skipped:
    verify passed ('0 of 0 training data files match') under pydantic's four-line error
    with its URL; the version does not hash training.data, so nothing else caught it."""
    model = tmp_path / "model"
    shutil.copytree(PROJECT_ROOT / "models" / "default", model)
    cfg = model / "annotate_model.json"
    config = json.loads(cfg.read_text(encoding="utf-8"))
    config["training"]["data"] = [{"path": "/etc/passwd"}]
    cfg.write_text(json.dumps(config), encoding="utf-8")
    ran = run("verify", str(model))
    assert ran.returncode == 1, ran.stderr
    lines = [ln for ln in ran.stderr.splitlines() if ln.startswith("mismatch: ")]
    # the shipped model (default@84e5e5b3b231) records its training digests (since
    # default@a765349ba88e), so the edited record is also caught as a record that is not
    # the one trained on
    assert any("is not the one recorded at training" in ln for ln in lines), ran.stderr
    (line,) = [ln for ln in lines if "training.data[0]" in ln]
    assert "training.data[0] (kind: field required) is not a record" in line, ran.stderr
    assert "errors.pydantic.dev" not in ran.stderr


def test_passages_short_of_k_because_held_back_are_named_so() -> None:
    """review status said '1 of 5 passage(s) have fewer than 2 answer(s) (their other
    reviewers' tasks are open or skipped)' with every task answered: push
    --max-graphic-per-reviewer had held the passage's second task back."""
    held = short_of_k_line(ShortOfK(2, 5, 1, unqueued=1))
    assert "open or skipped" not in held
    assert "(1 in fewer than 2 queues: held back by push --max-graphic" in held
    both = short_of_k_line(ShortOfK(2, 5, 3, unqueued=1))
    assert "(2 with other reviewers' tasks open or skipped; 1 in fewer than 2" in both
    assert short_of_k_line(ShortOfK(2, 5, 3)).endswith(
        "(their other reviewers' tasks are open or skipped)"
    )


def test_a_model_without_its_weights_is_not_said_to_differ(tmp_path: Path) -> None:
    """A half-copied model folder (no linear.safetensors) summed up as 'version DIFFERS
    from its model card's': no version was computed to differ."""
    model = tmp_path / "model"
    shutil.copytree(PROJECT_ROOT / "models" / "default", model)
    (model / "linear.safetensors").unlink()
    ran = run("verify", str(model))
    assert ran.returncode == 1, ran.stderr
    assert "DIFFERS" not in ran.stderr, ran.stderr
    assert "version not computed (a weights file is missing or unreadable" in ran.stderr


def test_verify_of_a_missing_folder_or_a_folder_of_models(tmp_path: Path) -> None:
    """`verify models/nope` said 'models/nope/manifest.json not found', and `verify models`
    (the folder above a model) only 'pass the --out directory of `annotate export`'."""
    missing = tmp_path / "nope"
    assert _error_line(run("verify", str(missing))).startswith(f"error: {missing}: no such folder")
    shutil.copytree(PROJECT_ROOT / "models" / "default", tmp_path / "models" / "mine")
    line = _error_line(run("verify", str(tmp_path / "models")))
    assert "it holds model folders (mine)" in line, line
    assert f"`annotate verify {tmp_path / 'models' / 'mine'}` checks a model" in line, line


def test_comparing_a_model_with_itself_is_told(tmp_path: Path) -> None:
    """`evaluate --model default --model models/default` (one model under two names) ran
    the comparison and said only 'AUPRC ... clear of 0: none; 0 passages labeled
    differently', as if two models had been found equal."""
    data = tmp_path / "few.jsonl"
    rows = (PROJECT_ROOT / "tests" / "fixtures" / "regression_harmful.jsonl").read_text()
    data.write_text("".join(rows.splitlines(keepends=True)[:6]), encoding="utf-8")
    ran = run(
        "evaluate", "--model", "default", "--model", str(PROJECT_ROOT / "models" / "default"),
        "--data", str(data), "--out", str(tmp_path / "o"), "--quiet",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "are the same model (default@" in ran.stderr + ran.stdout


@pytest.mark.parametrize("name", ["retrain.ipynb", "walkthrough.ipynb"])
def test_a_notebook_makes_the_work_folder_it_is_given(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ANNOTATE_NOTEBOOK_WORKDIR naming a folder not made yet: retrain.ipynb on an export
    (ANNOTATE_EXPORT) failed writing its training config there (FileNotFoundError)."""
    work = tmp_path / "not" / "yet"
    monkeypatch.setenv("ANNOTATE_NOTEBOOK_WORKDIR", str(work))
    cells = json.loads((PROJECT_ROOT / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
    first = next(c for c in cells if c["cell_type"] == "code")
    exec("".join(first["source"]), {})  # the set-up cell: imports, WORK
    assert work.is_dir()
