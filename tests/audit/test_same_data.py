"""Two exports of the same review state differ byte for byte (each row records when it was
exported); the manifest's ``content_sha256`` and ``annotate verify --same-as`` say they
hold the same data, and name the rows when they do not."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from annotate.audit.verify import (
    CONTENT_KEY,
    check,
    compare,
    sha256_file,
    verify,
    with_digest,
)
from annotate.cli import main
from annotate.corpus import export as export_module
from annotate.corpus.export import export
from tests.integration.helpers import choices

from .fakes import FakeStudio, reviewed_tasks


def exported_at(monkeypatch: pytest.MonkeyPatch, hour: int) -> None:
    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return datetime(2026, 12, 1, hour, 0, 0, tzinfo=timezone.utc)

    monkeypatch.setattr(export_module, "datetime", Clock)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("same")
    mp = pytest.MonkeyPatch()
    out = {}
    try:
        for name, hour, tasks in (
            ("monday", 9, reviewed_tasks()),
            ("friday", 17, reviewed_tasks()),
            ("changed", 18, reviewed_tasks()),
        ):
            if name == "changed":  # a reviewer changed the museum passage's answer
                tasks[2]["annotations"][0]["result"] = [choices("category", ["incitement"])]
            exported_at(mp, hour)
            export("p", root / name, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
            out[name] = root / name
    finally:
        mp.undo()
    return out


def manifest(corpus: Path) -> dict[str, Any]:
    return json.loads((corpus / "manifest.json").read_text())


def test_two_exports_of_the_same_state_write_the_same_data_files(
    exports: dict[str, Path],
) -> None:
    """Only the manifest (and report/, derived from it) records when: every file it lists,
    rows (JSONL, Parquet, HF) and review reports, is the same bytes (each row recorded
    the time of export: every file differed, and a model's recorded data hashes with it)."""
    a, b = exports["monday"], exports["friday"]
    assert manifest(a)["exported_at"] != manifest(b)["exported_at"]
    files = manifest(a)["files"]
    assert set(files) == set(manifest(b)["files"]) and "jsonl/train.jsonl" in files
    for rel in files:
        assert sha256_file(a / rel) == sha256_file(b / rel), rel
    assert manifest(a)[CONTENT_KEY]["sha256"] == manifest(b)[CONTENT_KEY]["sha256"]
    assert manifest(a)[CONTENT_KEY]["left_out"] == ["exported_at"]
    assert verify(a).content_sha256 == manifest(a)[CONTENT_KEY]["sha256"]
    assert compare(a, b).same


def test_a_changed_answer_is_another_content_naming_the_row(exports: dict[str, Path]) -> None:
    found = compare(exports["monday"], exports["changed"])
    assert not found.same
    assert found.differ == ["doc-b-p0"] and not found.only_in_a and not found.only_in_b


def test_cli_verify_same_as(exports: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ok:
        main(["verify", str(exports["monday"]), "--same-as", str(exports["friday"])])
    said = capsys.readouterr().err
    assert ok.value.code == 0 and "same data" in said and "content SHA-256" in said
    with pytest.raises(SystemExit) as differ:
        main(["verify", str(exports["monday"]), "--same-as", str(exports["changed"])])
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert differ.value.code == 1 and err.startswith("error: ") and "doc-b-p0" in err


def edited(corpus: Path, tmp_path: Path, edit: Any) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    m = manifest(copy)
    edit(m)
    (copy / "manifest.json").write_text(json.dumps(with_digest(m)))
    return copy


def test_an_older_manifest_without_the_field_verifies_and_compares(
    exports: dict[str, Path], tmp_path: Path
) -> None:
    older = edited(exports["monday"], tmp_path, lambda m: m.pop(CONTENT_KEY))
    result = verify(older)
    assert result.ok and not result.content_recorded
    assert result.content_sha256 == manifest(exports["monday"])[CONTENT_KEY]["sha256"]
    assert compare(older, exports["friday"]).same


def test_a_rewritten_content_digest_is_a_mismatch(exports: dict[str, Path], tmp_path: Path) -> None:
    forged = edited(exports["monday"], tmp_path, lambda m: m[CONTENT_KEY].update(sha256="0" * 64))
    found = check(forged).mismatches
    assert [m.path for m in found] == ["jsonl"] and CONTENT_KEY in found[0].what
