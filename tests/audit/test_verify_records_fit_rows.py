"""A row's labels rewritten alike in JSONL, Parquet and HF, with the manifest's checksums,
content SHA-256 and digest made to fit (what a dishonest team would do), leaves every
file matching the manifest and the three formats agreeing; only the decision records,
unchanged, still say what was decided. `verify` compares them with the rows whatever
their checksums say (audit61: before, such an export with its report/ removed verified,
exit 0)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotate._util.digest import sha256_file
from annotate.audit.verify import VerifyError, check, content_record, verify, with_digest
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("records_fit") / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s", decision_records=True)  # type: ignore[arg-type]
    return out


def _reseal(corpus: Path) -> None:
    """Rewrite the manifest to fit the files as they are now (what a forger does)."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    for rel, meta in manifest["files"].items():
        meta.update(sha256=sha256_file(corpus / rel), bytes=(corpus / rel).stat().st_size)
    manifest["content_sha256"] = content_record(corpus)
    (corpus / "manifest.json").write_text(json.dumps(with_digest(manifest)), encoding="utf-8")


def _relabel_everywhere(corpus: Path, to: str) -> str:
    """Give train's first row the label ``to`` in all three formats; its id."""
    path = corpus / "jsonl" / "train.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["labels"] != [to]
    rows[0]["labels"] = [to]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    hf = datasets.load_from_disk(str(corpus / "hf" / "train"))
    label = hf.features["labels"].feature.str2int(to)
    table = pq.read_table(corpus / "parquet" / "train.parquet")
    labels = table.column("labels").to_pylist()
    labels[0] = [label]
    at = table.schema.get_field_index("labels")
    field = table.schema.field("labels")
    table = table.set_column(at, field, pa.array(labels, type=field.type))
    pq.write_table(table, corpus / "parquet" / "train.parquet")
    edited = hf.map(
        lambda row, i: {"labels": [label] if i == 0 else row["labels"]}, with_indices=True
    )
    edited.save_to_disk(str(corpus / "hf-new"))
    shutil.rmtree(corpus / "hf" / "train")
    (corpus / "hf-new").rename(corpus / "hf" / "train")
    return str(rows[0]["id"])


def test_the_untouched_export_verifies(corpus: Path) -> None:
    assert check(corpus).mismatches == []


def test_rows_rewritten_in_every_format_with_a_resealed_manifest_fail(
    corpus: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "forged"
    shutil.copytree(corpus, copy)
    shutil.rmtree(copy / "report", ignore_errors=True)
    row_id = _relabel_everywhere(copy, "none")
    _reseal(copy)
    found = {m.path: m.what for m in check(copy).mismatches}
    assert list(found) == ["decision_records.jsonl"], found
    what = found["decision_records.jsonl"]
    assert what.startswith("matches the manifest, but not the rows"), what
    assert f"1 record(s) differ from the rows they name: {row_id} (" in what
    assert "annotate.labels" in what and "--manifest-sha256" in what
    with pytest.raises(VerifyError, match=r"decision_records\.jsonl: matches the manifest"):
        verify(copy)
