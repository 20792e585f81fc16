"""Rows of one format put in another order (a sort by hand, a tool that rewrites the
file) fail verify, its bytes no longer the export's, but the error says what happened:
the same rows, by id, in another order than the other formats', none missing, added or
copied (audit61: it said "the formats hold other rows or another order", leaving an
auditor to find out which)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotate.audit.verify import check
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reordered") / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    return out


def _largest_split(corpus: Path) -> str:
    rows = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))["rows"]
    split = max((s for s in rows if s != "total"), key=lambda s: int(rows[s]))
    assert int(rows[split]) >= 2
    return split


def test_a_reordered_jsonl_is_named_as_the_same_rows_in_another_order(
    corpus: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    split = _largest_split(copy)
    path = copy / "jsonl" / f"{split}.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(reversed(lines)), encoding="utf-8")
    found = {m.path: m.what for m in check(copy).mismatches}
    assert f"jsonl/{split}.jsonl" in found  # its bytes changed: it is not the export's file
    what = found[split]
    assert what.startswith(
        f"jsonl/{split}.jsonl holds the same rows (by id) as parquet/{split}.parquet and "
        f"hf/{split}, in another order than theirs: row 1 is "
    ), what
    assert "none is missing, added or copied" in what
