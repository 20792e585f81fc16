"""`annotate taxonomy check` without --against compares with the records of the taxonomy
it already has (stop 58 new-user #5).

`taxonomy check --labels edited.yaml` with a category inserted before `graphic_violence`,
version left at 1.0.0, passed (exit 0): only `--against`, push, export and prelabel
caught that every later category changed id. Now, without --against, a labels.yaml is
checked against the project's labels.yaml and the default model's record (the
categories, in order, it was trained for) when they are of the same taxonomy name; with
--against a model folder, against that model's record."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from tests.conftest import ROOT

SELF_HARM = (
    "  - name: self_harm\n    group: harmful\n    title: Self-harm\n"
    "    definition: Encourages or instructs self-injury.\n\n"
)


def _write(tmp_path: Path, name: str, *, before: str | None, version: str = "1.0.0") -> Path:
    """The project's labels.yaml with ``self_harm`` inserted before category ``before``
    (None: appended after the last category), at ``version``."""
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    if before is None:
        edited = text.replace("\nspans:", "\n" + SELF_HARM + "spans:", 1)
    else:
        edited = text.replace(f"  - name: {before}\n", SELF_HARM + f"  - name: {before}\n", 1)
    assert edited != text
    edited = edited.replace("version: 1.0.0", f"version: {version}", 1)
    path = tmp_path / name
    path.write_text(edited, encoding="utf-8")
    return path


def _check(*args: str) -> tuple[int, str]:
    ran = CliRunner().invoke(app, ["taxonomy", "check", *args])
    return ran.exit_code, " ".join(ran.output.split())


def test_a_category_inserted_mid_list_at_the_same_version_is_refused(tmp_path: Path) -> None:
    edited = _write(tmp_path, "edited.yaml", before="graphic_violence")
    code, said = _check("--labels", str(edited))
    assert code == 1, said
    assert "moves the id of 5 category(ies)" in said, said
    assert "graphic_violence 2 -> 3" in said and "none 6 -> 7" in said, said
    assert str(ROOT / "labels.yaml") in said, said  # what it was compared with
    assert "Fix:" in said and "after the existing ones" in said, said
    assert "another `name:`" in said, said  # a taxonomy of one's own is no new version
    assert "Traceback" not in said


def test_appended_or_another_major_or_another_name_passes_and_says_what_was_compared(
    tmp_path: Path,
) -> None:
    appended = _write(tmp_path, "appended.yaml", before=None, version="1.1.0")
    code, said = _check("--labels", str(appended))
    assert code == 0, said
    assert f"category ids kept: compared with labels.yaml {ROOT / 'labels.yaml'}" in said, said
    assert "model" in said and "models/default" in said, said
    major = _write(tmp_path, "major.yaml", before="graphic_violence", version="2.0.0")
    assert _check("--labels", str(major))[0] == 0
    own = tmp_path / "own.yaml"
    own.write_text(
        _write(tmp_path, "x.yaml", before="none")
        .read_text(encoding="utf-8")
        .replace("name: violent-content", "name: our-policy", 1),
        encoding="utf-8",
    )
    code, said = _check("--labels", str(own))
    assert code == 0, said
    assert "no earlier record of taxonomy 'our-policy'" in said, said
    code, said = _check("--labels", str(ROOT / "labels.yaml"))  # itself: the model only
    assert code == 0 and "category ids kept: compared with model" in said, said


def test_same_version_other_content_is_warned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    reworded = tmp_path / "reworded.yaml"
    reworded.write_text(text.replace("title: Incitement", "title: Incitement to harm", 1))
    assert reworded.read_text() != text
    code, said = _check("--labels", str(reworded))
    assert code == 0, said
    warned = " ".join(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert "same version 1.0.0" in warned and "bump `version:`" in warned, warned


def test_against_a_model_folder_reads_its_recorded_categories(tmp_path: Path) -> None:
    model = tmp_path / "mine"
    model.mkdir()
    shutil.copy(ROOT / "models" / "default" / "annotate_model.json", model)
    edited = _write(tmp_path, "edited.yaml", before="none", version="1.1.0")
    code, said = _check("--labels", str(edited), "--against", str(model))
    assert code == 1, said
    assert f"--against {str(model)!r}" in said and "none 6 -> 7" in said, said
    info = json.loads((model / "annotate_model.json").read_text())
    del info["labels"]
    (model / "annotate_model.json").write_text(json.dumps(info))
    code, said = _check("--labels", str(edited), "--against", str(model))
    assert code == 1 and "without a record of its categories" in said, said
