"""A file deleted from an export is one mismatch: verify named it as missing and then
again as unreadable by the row count ("2 mismatch(es)" for one file, with pyarrow's
"[Errno 2] Failed to open local file" text)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotate.audit.verify import VerifyError, check, verify
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("verify-missing") / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize(
    "rel",
    [
        "parquet/train.parquet",
        "jsonl/train.jsonl",
        "hf/train/data-00000-of-00001.arrow",
    ],
)
def test_a_deleted_file_is_one_mismatch(corpus: Path, tmp_path: Path, rel: str) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    (copy / rel).unlink()
    found = check(copy).mismatches
    assert [(m.path, m.what) for m in found] == [(rel, "listed in the manifest but missing")]
    with pytest.raises(VerifyError) as err:
        verify(copy)
    said = str(err.value)
    assert "more mismatch" not in said and "Errno" not in said, said
