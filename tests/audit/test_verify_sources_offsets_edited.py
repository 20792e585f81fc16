"""`verify --sources` on an export whose offsets were edited (start/end of a passage
moved alike in JSONL, Parquet and HF, the manifest resealed), against source files that
are unchanged: the document's SHA-256 is the one the export records, so the error blames
the export's offsets, not the files, and its fix is --manifest-sha256 (audit61: it said "a
source document no longer holds the text" and "find out who changed the source files")."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotate._util.digest import sha256_file
from annotate.audit.sources import CHANGED, check_sources
from annotate.audit.verify import content_record, with_digest
from annotate.cli import main
from tests.audit.test_verify_sources import exported  # noqa: F401  (the fixture)


def _reseal(corpus: Path) -> None:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    for rel, meta in manifest["files"].items():
        meta.update(sha256=sha256_file(corpus / rel), bytes=(corpus / rel).stat().st_size)
    manifest["content_sha256"] = content_record(corpus)
    (corpus / "manifest.json").write_text(json.dumps(with_digest(manifest)), encoding="utf-8")


def _shift_offsets(corpus: Path, input_file: str) -> tuple[str, str]:
    """Move the offsets of the last passage of ``input_file`` one character on, in every
    format of its split; (its id, the split)."""
    for path in sorted((corpus / "jsonl").glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        at = [i for i, r in enumerate(rows) if r["input_file"] == input_file]
        if at:
            break
    i, split = at[-1], path.stem
    for key in ("start", "end"):
        rows[i][key] += 1
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    table = pq.read_table(corpus / "parquet" / f"{split}.parquet")
    for key in ("start", "end"):
        values = table.column(key).to_pylist()
        values[i] += 1
        at_key = table.schema.get_field_index(key)
        field = table.schema.field(key)
        table = table.set_column(at_key, field, pa.array(values, type=field.type))
    pq.write_table(table, corpus / "parquet" / f"{split}.parquet")
    hf = datasets.load_from_disk(str(corpus / "hf" / split))
    moved = hf.map(
        lambda r, k: {"start": r["start"] + (k == i), "end": r["end"] + (k == i)},
        with_indices=True,
    )
    moved.save_to_disk(str(corpus / "hf-new"))
    shutil.rmtree(corpus / "hf" / split)
    (corpus / "hf-new").rename(corpus / "hf" / split)
    return str(rows[i]["id"]), split


def test_offsets_edited_in_the_export_are_not_blamed_on_the_files(
    exported: tuple[Path, Path],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root, corpus = exported
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    shutil.rmtree(copy / "report", ignore_errors=True)
    row_id, _ = _shift_offsets(copy, "notes/a.txt")
    _reseal(copy)
    (doc,) = [d for d in check_sources(copy, root).documents if d.input_file == "notes/a.txt"]
    assert doc.status == CHANGED and doc.moved == [row_id]
    assert doc.only_offsets
    assert "the export's offsets (start/end) or text of these passages changed" in doc.what
    with pytest.raises(SystemExit) as failed:
        main(["verify", str(copy), "--sources", str(root), "-q"])
    assert failed.value.code == 1
    said = " ".join(capsys.readouterr().err.split())
    assert "the export's start/end or text were changed after ingest" in said, said
    assert "--manifest-sha256" in said
    assert "find out who changed the source files" not in said
