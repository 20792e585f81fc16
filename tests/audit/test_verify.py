"""`annotate verify`: a fresh export verifies; one changed byte is found and named."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from annotate.audit.verify import VerifyError, check, verify
from annotate.cli import main
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("verify") / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    return out


def _copy(corpus: Path, tmp_path: Path) -> Path:
    import shutil

    dst = tmp_path / "copy"
    shutil.copytree(corpus, dst)
    return dst


def test_a_fresh_export_verifies(corpus: Path) -> None:
    result = verify(corpus)
    assert result.ok and result.files >= 7
    assert sum(result.rows.values()) == 5


def _flip_one_byte(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "rel", ["jsonl/train.jsonl", "parquet/train.parquet", "hf/train/data-00000-of-00001.arrow"]
)
def test_one_changed_byte_fails_naming_the_file(corpus: Path, tmp_path: Path, rel: str) -> None:
    copy = _copy(corpus, tmp_path)
    _flip_one_byte(copy / rel, len((copy / rel).read_bytes()) // 2)
    with pytest.raises(VerifyError, match=rel.replace(".", r"\.")) as err:
        verify(copy)
    assert "SHA-256" in str(err.value) and "\n" not in str(err.value)


def test_cli_verify_exit_codes(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as ok:
        main(["verify", str(corpus)])
    assert ok.value.code == 0
    said = capsys.readouterr().err
    assert "verified" in said
    # report/ is written again from the verified files and compared (passM55 finding 5)
    assert "report: the report of the verified files (9 files written again" in said
    copy = _copy(corpus, tmp_path)
    _flip_one_byte(copy / "jsonl" / "train.jsonl", 3)
    with pytest.raises(SystemExit) as exit_:
        main(["verify", str(copy)])
    assert exit_.value.code == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "jsonl/train.jsonl" in err and len(err.splitlines()) == 1


def test_missing_added_and_recounted_files(corpus: Path, tmp_path: Path) -> None:
    copy = _copy(corpus, tmp_path)
    (copy / "jsonl" / "validation.jsonl").unlink()
    (copy / "jsonl" / "extra.jsonl").write_text("{}\n")
    found = {m.path: m.what for m in check(copy).mismatches}
    assert "missing" in found["jsonl/validation.jsonl"]
    assert "not listed" in found["jsonl/extra.jsonl"]


def test_row_counts_are_recounted(corpus: Path, tmp_path: Path) -> None:
    """A manifest whose checksums match but whose row counts lie is caught too."""
    import json

    copy = _copy(corpus, tmp_path)
    manifest: dict[str, Any] = json.loads((copy / "manifest.json").read_text())
    manifest["rows"]["train"] += 1
    manifest["rows"]["total"] += 1
    (copy / "manifest.json").write_text(json.dumps(manifest))
    paths = {m.path for m in check(copy).mismatches}
    assert {"jsonl/train.jsonl", "parquet/train.parquet", "hf/train"} <= paths


def test_not_a_corpus(tmp_path: Path) -> None:
    with pytest.raises(VerifyError, match="not an exported corpus"):
        verify(tmp_path)


def test_an_export_without_its_manifest_is_named_so(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An export whose manifest.json was deleted (tampering, a partial copy) was "not an
    exported corpus" to `verify` and `report` (stop 48 new-user F24), hiding that."""
    copy = _copy(corpus, tmp_path)
    (copy / "manifest.json").unlink()
    with pytest.raises(VerifyError) as err:
        verify(copy)
    said = str(err.value)
    assert "holds an export's files (jsonl/, parquet/, hf/)" in said
    assert "removed or not copied" in said and "nothing in it can be verified" in said
    assert "not an exported corpus" not in said
    assert "manifest SHA-256 recorded at export" in err.value.fix
    for command in ("verify", "report"):
        with pytest.raises(SystemExit) as exit_:
            main([command, str(copy)])
        assert exit_.value.code != 0
        told = " ".join(capsys.readouterr().err.split())
        assert "removed or not copied" in told and "Traceback" not in told


def _edit_manifest(copy: Path, edit: Any) -> None:
    import json

    manifest: dict[str, Any] = json.loads((copy / "manifest.json").read_text())
    edit(manifest)
    (copy / "manifest.json").write_text(json.dumps(manifest, indent=2))


def test_a_manifest_edited_by_hand_fails(corpus: Path, tmp_path: Path) -> None:
    """The manifest's own claims (flagged reviewers, redaction) were not covered by any
    checksum: removing a flagged reviewer or claiming redaction verified."""
    copy = _copy(corpus, tmp_path)

    def hide(manifest: dict[str, Any]) -> None:
        manifest["redaction"] = {"ran": True}
        manifest.setdefault("review", {})["flagged_reviewers"] = []

    _edit_manifest(copy, hide)
    with pytest.raises(VerifyError, match=r"manifest\.json: edited after export"):
        verify(copy)


def test_manifest_sha256_catches_a_manifest_rewritten_with_its_digest(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotate.audit.verify import sha256_file, with_digest

    recorded = sha256_file(corpus / "manifest.json")
    assert verify(corpus, manifest_sha256=recorded.upper()).ok
    copy = _copy(corpus, tmp_path)
    _edit_manifest(copy, lambda m: m.update(with_digest({**m, "redaction": {"ran": True}})))
    assert verify(copy).ok  # a forger who recomputes the digest passes the self-check ...
    with pytest.raises(VerifyError, match="the manifest was replaced"):
        verify(copy, manifest_sha256=recorded)  # ... but not the digest kept elsewhere
    with pytest.raises(SystemExit) as exit_:
        main(["verify", str(copy), "--manifest-sha256", recorded])
    assert exit_.value.code == 1
    with pytest.raises(SystemExit) as ok:
        main(["verify", str(corpus), "--manifest-sha256", recorded])
    said = capsys.readouterr().err
    assert ok.value.code == 0 and f"SHA-256 {recorded} is the one recorded" in said


def test_an_older_manifest_without_digest_still_verifies(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _copy(corpus, tmp_path)
    _edit_manifest(copy, lambda m: m.pop("manifest_digest"))
    # its report names the manifest's SHA-256 before the edit: not this manifest's report
    # (an older export's report was written by an older annotate: a warning, not checked)
    shutil.rmtree(copy / "report")
    result = verify(copy)
    assert result.ok and not result.self_digest
    with pytest.raises(SystemExit) as ok:
        main(["verify", str(copy)])
    assert ok.value.code == 0 and "records no digest" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda m: m["rows"].update(train="abc"), "rows['train']"),
        (lambda m: m["rows"].update(total="x"), "rows['total']"),
        (lambda m: m["files"].update({"jsonl/train.jsonl": 5}), "files['jsonl/train.jsonl']"),
        (lambda m: m.update(rows=[1]), "rows is [1]"),
    ],
)
def test_malformed_manifest_values_are_one_line_errors(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: Any, named: str
) -> None:
    copy = _copy(corpus, tmp_path)
    _edit_manifest(copy, edit)
    with pytest.raises(SystemExit) as exit_:  # was a ValueError traceback
        main(["verify", str(copy)])
    err = capsys.readouterr().err.strip()
    assert exit_.value.code == 1 and err.startswith("error: ") and named in err, err
    assert len(err.splitlines()) == 1


def test_paths_outside_the_corpus_are_not_read(corpus: Path, tmp_path: Path) -> None:
    copy = _copy(corpus, tmp_path)
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("x")
    from annotate.audit.verify import sha256_file, with_digest

    entry = {"sha256": sha256_file(outside), "bytes": outside.stat().st_size}

    def point_outside(m: dict[str, Any]) -> None:
        m["files"]["../elsewhere.txt"] = entry
        m["rows"]["../jsonl/train"] = 0
        m.update(with_digest(m))

    _edit_manifest(copy, point_outside)
    found = {m.path: m.what for m in check(copy).mismatches}
    assert "outside the corpus" in found["../elsewhere.txt"]
    assert "not a split name" in found["manifest.json"]


def test_verify_names_every_file_that_differs(corpus: Path, tmp_path: Path) -> None:
    copy = _copy(corpus, tmp_path)
    (copy / "parquet" / "test.parquet").unlink()
    (copy / "jsonl" / "extra.jsonl").write_text("{}\n")
    with pytest.raises(VerifyError) as err:
        verify(copy)
    message = str(err.value)
    assert "jsonl/extra.jsonl" in message and "parquet/test.parquet" in message, message
    assert "\n" not in message


def test_a_recorded_digest_that_differs_late_is_shown_whole(corpus: Path) -> None:
    """A recorded manifest digest mistyped in its last digit: the message shows both
    digests whole (cut to 12 digits they read the same: 'be894392378f… is not the
    recorded be894392378f…')."""
    from annotate.audit.verify import sha256_file

    actual = sha256_file(corpus / "manifest.json")
    typo = actual[:-1] + ("0" if actual[-1] != "0" else "1")
    with pytest.raises(VerifyError) as err:
        verify(corpus, manifest_sha256=typo)
    assert f"SHA-256 {actual} does not match the SHA-256 given, {typo}" in str(err.value)


def test_a_model_folder_is_named_as_a_model(tmp_path: Path) -> None:
    """An auditor who passes a model to verify is told what checks a model instead."""
    (tmp_path / "annotate_model.json").write_text("{}", encoding="utf-8")
    with pytest.raises(VerifyError, match="is a model") as err:
        verify(tmp_path)
    assert "model_card.md" in str(err.value)
    assert f"`annotate verify {tmp_path}` alone" in str(err.value)
