"""Which taxonomy an export was labelled under (passM55 finding 8): `taxonomy check
--against EXPORT` compared category ids only, so a labels.yaml with an edited definition
passed as the export's; and the hand-out held no labels.yaml, so a regulator could not
read the guidelines reviewers applied. Now the check prints the content SHA-256
(definitions included) and refuses one of the export's version with other content, and
every export holds its taxonomy as labels.yaml, listed in the manifest (so verify catches
an edit) and loading back to the content the manifest records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.audit.taxonomy import TAXONOMY_FILE
from annotate.audit.verify import VerifyError, verify
from annotate.cli import app
from annotate.corpus.export import export
from annotate.taxonomy import load_taxonomy
from tests.conftest import ROOT

from .fakes import FakeStudio, reviewed_tasks

EDIT = ("The author states an intent to kill", "The author states a wish to kill")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tax") / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    return out


def _check(labels: Path, against: Path) -> tuple[int, str]:
    ran = CliRunner().invoke(
        app, ["taxonomy", "check", "--labels", str(labels), "--against", str(against)]
    )
    return ran.exit_code, " ".join(ran.output.split())


def test_the_export_holds_its_taxonomy_covered_by_the_manifest(corpus: Path) -> None:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    assert TAXONOMY_FILE in manifest["files"] and manifest["taxonomy"]["file"] == TAXONOMY_FILE
    copy = load_taxonomy(corpus / TAXONOMY_FILE)
    assert copy.content_sha256 == manifest["taxonomy"]["sha256"]
    assert "states an intent to kill" in (corpus / TAXONOMY_FILE).read_text(encoding="utf-8")
    # checked against the export: the same taxonomy
    code, said = _check(corpus / TAXONOMY_FILE, corpus)
    assert code == 0 and "same taxonomy as --against" in said, said
    assert f"content SHA-256 {copy.content_sha256}" in said


def test_an_edited_definition_is_not_the_exports_taxonomy(corpus: Path, tmp_path: Path) -> None:
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    assert EDIT[0] in text
    edited = tmp_path / "labels.yaml"
    edited.write_text(text.replace(*EDIT), encoding="utf-8")
    code, said = _check(edited, corpus)
    assert code == 1 and "Traceback" not in said, said
    assert "is version 1.0.0 like --against" in said and "but not the taxonomy it records" in said
    assert "bump `version:`" in said and "labels.yaml in its folder" in said
    # against the export's manifest.json too
    assert _check(edited, corpus / "manifest.json")[0] == 1
    # another version: said, not refused (ids are what --against guards across versions)
    bumped = tmp_path / "bumped.yaml"
    bumped.write_text(edited.read_text().replace("version: 1.0.0", "version: 1.1.0", 1))
    code, said = _check(bumped, corpus)
    assert code == 0 and "not the taxonomy --against" in said and "version 1.1.0 here" in said


def test_verify_catches_an_edit_of_the_exports_taxonomy(corpus: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    path = copy / TAXONOMY_FILE
    path.write_text(path.read_text(encoding="utf-8").replace(*EDIT), encoding="utf-8")
    with pytest.raises(VerifyError, match=TAXONOMY_FILE):
        verify(copy)
