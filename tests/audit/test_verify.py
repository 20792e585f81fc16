"""`annotate verify`: a fresh export verifies; one changed byte is found and named."""

from __future__ import annotations

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
    assert "verified" in capsys.readouterr().err
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
