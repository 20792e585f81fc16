"""`annotate verify MODEL --data-root DIR` with the export the model was trained on kept
as DIR/corpus: it looked in DIR/run/corpus (the export folder's parent kept, as for a
file's folder) and never in DIR/corpus, so every file of it was "not found"."""

from __future__ import annotations

import hashlib
from pathlib import Path

from annotate.audit.model_verify import NOT_FOUND, _find, _hash_found, _places
from annotate.training.data_files import DataFile, DataSourceRecord


def record(kind: str, resolved: str, name: str, data: bytes) -> DataSourceRecord:
    digest = hashlib.sha256(data).hexdigest()
    return DataSourceRecord(
        path=Path(resolved).name,
        kind=kind,
        given=Path(resolved).name,
        root="working directory",
        resolved=resolved,
        files=[DataFile(path=name, role="manifest", sha256=digest, bytes=len(data))],
    )


def test_an_export_kept_under_the_data_root_by_its_own_name_is_found(tmp_path: Path) -> None:
    data = b'{"format": "annotate-corpus/1"}'
    kept = tmp_path / "audit" / "corpus"
    kept.mkdir(parents=True)
    (kept / "manifest.json").write_bytes(data)
    rec = record("export", "../../elsewhere/run/corpus", "manifest.json", data)
    bases, roots = _places(rec, tmp_path / "audit")
    found = _find(rec.path, rec.files[0], bases, roots)
    _hash_found([found], None)
    assert found.status == "match", (found.status, found.looked_in)
    assert found.found_at == kept / "manifest.json"


def test_a_files_own_name_alone_is_still_not_tried(tmp_path: Path) -> None:
    """DIR/x.tsv would be another data set's x.tsv: a file needs its folder's name."""
    data = b"text\tlabel\n"
    (tmp_path / "audit").mkdir()
    (tmp_path / "audit" / "x.tsv").write_bytes(data)
    rec = record("native", "../../elsewhere/set/x.tsv", "x.tsv", data)
    bases, roots = _places(rec, tmp_path / "audit")
    found = _find(rec.path, rec.files[0], bases, roots)
    assert found.status == NOT_FOUND
