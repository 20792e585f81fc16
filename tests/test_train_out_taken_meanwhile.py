"""Two `annotate train` runs into one new --out both exited 0 and the second replaced the
first's model without --overwrite (the guard ran before training, when the folder did not
exist yet); both wrote one fixed visible `models/NAME.partial`, which either could delete,
and a run killed with kill -9 left it there (passF52 F2, F3). A run now writes its own
hidden `.NAME.partial-PID-HEX@HOST`, removes (and names) those of killed runs, and checks
--out again at the rename: a model that appeared meanwhile is not replaced without
--overwrite, and this run's model is kept beside it, named in the error."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from annotate._util.atomic import lock_path, release_partial
from annotate.errors import TrainingError
from annotate.training import model_folder
from annotate.training.model_folder import partial_model_folder, put_model_in_place
from tests.audit.cli_run import run_cli
from tests.test_train_loop import _native_rows

# the data has no harmful passage (news, counter-speech, none): train anyway
NO_HARM = "--allow-no-harmful-passages"


def _model(folder: Path, version: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "annotate_model.json").write_text("{}")
    (folder / "model_card.md").write_text(f"# m\n\n- version: `{version}`\n")
    return folder


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_the_partial_folder_is_hidden_and_per_run(tmp_path: Path) -> None:
    out = tmp_path / "models" / "cc"
    a, b = partial_model_folder(out), partial_model_folder(out)
    assert a != b
    assert re.fullmatch(r"\.cc\.partial-\d+-[0-9a-f]{6}@.+", a.name), a.name
    assert a.parent == out.parent


def test_a_killed_runs_partial_is_removed_and_said(tmp_path, caplog) -> None:
    out = tmp_path / "cc"
    own = partial_model_folder(out)  # this process: running, kept
    host = own.name.rpartition("@")[2]
    stale = tmp_path / f".cc.partial-{_dead_pid()}-abcdef@{host}"
    (stale / "x").mkdir(parents=True)
    lock_path(stale).touch()  # a killed run's: nobody holds it
    own.mkdir()
    with caplog.at_level(logging.WARNING):
        partial_model_folder(out)
    assert not stale.exists()
    assert own.exists()
    assert f"removed {stale}, the partial output of an interrupted run" in caplog.text


def test_a_model_written_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    out = _model(tmp_path / "cc", "cc@aaaaaaaaaaaa")
    tmp = _model(tmp_path / ".cc.partial-1-abcdef@h", "cc@bbbbbbbbbbbb")
    with pytest.raises(TrainingError) as err:
        put_model_in_place(tmp, out, "cc@bbbbbbbbbbbb", replace=False)
    said = str(err.value)
    kept = tmp_path / "cc-bbbbbbbbbbbb"
    assert "while it trained another run wrote cc@aaaaaaaaaaaa there" in said, said
    assert (
        "this run's model cc@bbbbbbbbbbbb did not replace it (no --overwrite) and is kept in "
        f"{kept}." in said
    )
    assert "cc@aaaaaaaaaaaa" in (out / "model_card.md").read_text()
    assert "cc@bbbbbbbbbbbb" in (kept / "model_card.md").read_text()
    assert not tmp.exists()


def test_a_folder_made_at_the_rename_is_not_replaced(tmp_path, monkeypatch) -> None:
    """The one rename onto a missing --out fails when a model lands there at that moment."""
    out = tmp_path / "cc"
    tmp = _model(tmp_path / ".cc.partial-1-abcdef@h", "cc@bbbbbbbbbbbb")
    real = model_folder.carry_user_files

    def racing(old: Path, new: Path) -> list[str]:
        kept = real(old, new)
        _model(out, "cc@aaaaaaaaaaaa")  # the other run, just before this one's rename
        return kept

    monkeypatch.setattr(model_folder, "carry_user_files", racing)
    with pytest.raises(TrainingError, match="another run wrote cc@aaaaaaaaaaaa there"):
        put_model_in_place(tmp, out, "cc@bbbbbbbbbbbb", replace=False)
    assert "cc@aaaaaaaaaaaa" in (out / "model_card.md").read_text()
    assert (tmp_path / "cc-bbbbbbbbbbbb" / "annotate_model.json").is_file()


def test_overwrite_replaces_what_is_there(tmp_path: Path) -> None:
    out = _model(tmp_path / "cc", "cc@aaaaaaaaaaaa")
    tmp = _model(tmp_path / ".cc.partial-1-abcdef@h", "cc@bbbbbbbbbbbb")
    put_model_in_place(tmp, out, "cc@bbbbbbbbbbbb", replace=True)
    assert "cc@bbbbbbbbbbbb" in (out / "model_card.md").read_text()


@pytest.mark.slow  # trains a real (small) model
def test_train_refuses_a_model_another_run_wrote_meanwhile(tmp_path, monkeypatch, capsys, caplog):
    from annotate.training import card

    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "data").mkdir()
    data = tmp_path / "data" / "base.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in _native_rows()) + "\n")
    cfg = tmp_path / "small.train.yaml"
    cfg.write_text("name: small\ntrainer: frozen\ndata:\n  - path: data/base.jsonl\n")
    out = tmp_path / "models" / "cc"
    real = card.write_card

    def other_run_finishes_first(tmp: Path, version: str) -> None:
        real(tmp, version)
        assert re.fullmatch(r"\.cc\.partial-\d+-[0-9a-f]{6}@.+", tmp.name), tmp.name
        _model(out, "cc@aaaaaaaaaaaa")

    monkeypatch.setattr(card, "write_card", other_run_finishes_first)
    out.parent.mkdir()
    probe = partial_model_folder(out)
    release_partial(probe)  # only its name was wanted: no lock file left
    host = probe.name.rpartition("@")[2]
    stale = out.parent / f".cc.partial-{_dead_pid()}-abcdef@{host}"
    stale.mkdir()
    lock_path(stale).touch()
    code, err = run_cli(["train", "--config", str(cfg), "--out", str(out), "-q", NO_HARM], capsys)
    said = " ".join(err.split())
    assert code == 1, err
    # the CLI writes annotate's warnings as `warning: ...` (pytest's log capture has them)
    assert f"removed {stale}, the partial output of an interrupted run" in caplog.text
    assert "while it trained another run wrote cc@aaaaaaaaaaaa there" in said, said
    assert "cc@aaaaaaaaaaaa" in (out / "model_card.md").read_text()
    kept = [p for p in out.parent.iterdir() if p.name.startswith("cc-")]
    assert len(kept) == 1 and (kept[0] / "annotate_model.json").is_file(), kept
    assert f"is kept in {kept[0]}" in said, said
    assert sorted(p.name for p in out.parent.iterdir()) == ["cc", kept[0].name]  # no partial


def test_an_older_versions_visible_partial_is_named_with_the_command_to_remove_it(
    tmp_path, caplog
) -> None:
    """annotate before passF52 wrote its model in a visible ``NAME.partial`` beside --out;
    a run killed outright left it, and this version never looked at it again. Whether an
    older annotate still writes it cannot be told (it took no lock), so it is not removed:
    each run into that --out warns of it with the command that removes it. A folder of
    that name holding anything a model does not write is no partial of ours: not named."""
    out = tmp_path / "my models" / "cc"
    old = _model(tmp_path / "my models" / "cc.partial", "cc@aaaaaaaaaaaa")
    (old / "head.safetensors").write_bytes(b"\0")
    with caplog.at_level(logging.WARNING):
        release_partial(partial_model_folder(out))
    said = " ".join(caplog.text.split())
    assert old.is_dir()  # left: nothing proves no older run writes it
    assert f"{old} looks like the partial model folder of an interrupted `annotate train`" in said
    assert f"remove it: `rm -r '{old}'`" in said, said
    caplog.clear()
    (old / "eval").mkdir()
    (old / "eval" / "r.md").write_text("my notes")
    with caplog.at_level(logging.WARNING):
        release_partial(partial_model_folder(out))
    assert "cc.partial" not in caplog.text
    assert (old / "eval" / "r.md").is_file()
