"""What an ingest run finds out as it reads, in its run record (stop 48 new-user pass):

- the exact copies it dropped (``exact_copies_dropped``: the count and the first few,
  passage id, doc id, input file, row and offsets; the rest are named on the kept
  passages' ``exact_copies``): before, the record did not say how many were dropped nor
  which, only the kept passages did;
- the input files no passage was written of (``files_without_passages``: empty, exact
  copies only, near-duplicates dropped), which the export manifest's ``input_files``
  lists beside the files left out at ingest (``files_without_rows``, each with why): before,
  ``input_files`` counted only files that gave rows, so an auditor could not see every
  file that went in.

Both are on the run's first passage in full and on the others as their count, and are no
part of the run id (the id stays what the inputs and settings make it)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import annotate.ingestion as ingestion
from annotate.corpus.export import export
from annotate.ingestion import ingest, passage_id
from annotate.ingestion.record import recorded_runs
from annotate.tables import iter_rows
from tests.test_ingest_html import _export

THREAT = (
    "If you show your face at the depot again I will break your legs, I swear. Everyone "
    "on the night shift knows what you did to my brother."
)
NOTES = (
    "Depot notes from Monday: the loading bay was closed for repairs all afternoon and "
    "the forklift was serviced by the contractor before the evening shift began."
)
NEAR = NOTES.replace("evening", "night")  # a near-duplicate of NOTES (one word)


def _runs(rows: list[dict]) -> list[dict]:
    return [json.loads(r["ingest_run"]) for r in rows]


def test_the_run_record_counts_and_names_the_exact_copies_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingestion, "COPIES_LISTED", 2)  # bounded: the first 2 named
    table = tmp_path / "posts.jsonl"
    table.write_text(
        "".join(
            json.dumps({"id": f"r{n}", "text": THREAT if n else NOTES}) + "\n" for n in range(5)
        ),
        encoding="utf-8",
    )
    out = tmp_path / "p.jsonl"
    stats = ingest([table], out, near_dup_threshold=None)
    assert stats.duplicates == 3  # r2, r3, r4 are copies of r1
    rows = list(iter_rows(out))
    first, *others = _runs(rows)
    dropped = first["exact_copies_dropped"]
    assert dropped["count"] == 3
    assert dropped["first"] == [
        {
            "passage_id": passage_id(f"r{n}", THREAT),
            "doc_id": f"r{n}",
            "input_file": "posts.jsonl",
            "input_row": f"line {n + 1}",
            "start": 0,
            "end": len(THREAT),
        }
        for n in (2, 3)
    ]
    assert "exact_copies" in dropped["rest"]  # where the others are named
    assert [r["exact_copies_dropped"] for r in others] == [{"count": 3}]
    assert len({r["run"] for r in (first, *others)}) == 1  # one run id, as before
    # a later --previous (or export) reading the file finds the record in full
    (record,) = recorded_runs(out).records.values()
    assert record is not None and record["exact_copies_dropped"]["count"] == 3
    assert len(record["exact_copies_dropped"]["first"]) == 2
    # the run id is not derived from them: a run without copies keeps its id form
    table.write_text(json.dumps({"id": "r0", "text": NOTES}) + "\n", encoding="utf-8")
    ingest([table], tmp_path / "q.jsonl", near_dup_threshold=None)
    (alone,) = _runs(list(iter_rows(tmp_path / "q.jsonl")))
    assert "exact_copies_dropped" not in alone and "files_without_passages" not in alone


def _folder(root: Path) -> Path:
    docs = root / "in" / "docs"
    docs.mkdir(parents=True)
    (docs / "a.txt").write_text(f"{NOTES}\n\n{THREAT}\n", encoding="utf-8")
    (docs / "copy.txt").write_text(f"{THREAT}\n", encoding="utf-8")  # exact copies only
    (docs / "near.txt").write_text(f"{NEAR}\n", encoding="utf-8")  # a near-duplicate only
    (docs / "empty.txt").write_text("\n\n", encoding="utf-8")
    (docs / "blank.html").write_text("<html><body><script>x=1</script></body></html>")
    (docs / "scan.pdf").write_bytes(b"%PDF-1.4 not read")  # a type ingest does not read
    (docs / "bad.txt").write_bytes(bytes(range(256)) * 4)  # binary: --skip-bad-files
    return docs


def test_files_without_passages_are_recorded_and_listed_by_export(tmp_path: Path) -> None:
    docs = _folder(tmp_path)
    passages = tmp_path / "p.jsonl"
    cwd = os.getcwd()
    os.chdir(docs.parent)
    try:
        ingest(
            ["docs"],
            passages,
            min_chars=20,
            near_dup_threshold=0.5,
            drop_near_duplicates=True,
            skip_bad_files=True,
        )
    finally:
        os.chdir(cwd)
    rows = list(iter_rows(passages))
    assert {r["input_file"] for r in rows} == {"docs/a.txt"}
    first, *others = _runs(rows)
    without = first["files_without_passages"]
    whys = {f["file"]: f["why"] for f in without["first"]}
    assert list(whys) == ["docs/blank.html", "docs/copy.txt", "docs/empty.txt", "docs/near.txt"]
    assert without["count"] == 4
    assert whys["docs/copy.txt"].startswith("exact copies only: its 1 passage(s)")
    assert whys["docs/near.txt"].startswith("near-duplicates only: its 1 passage(s)")
    assert whys["docs/empty.txt"].startswith("no text")
    assert whys["docs/blank.html"].startswith("no text")
    assert [r["files_without_passages"] for r in others] == [{"count": 4}]
    # the export lists every file that went in: with rows, without rows (and why), and
    # those ingest left out (its skipped_files)
    corpus = tmp_path / "corpus"
    _export(docs.parent, passages, corpus)
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["input_files"]
    assert files["files"] == {"docs/a.txt": len(rows)}
    listed = {f["file"]: f["why"] for f in files["files_without_rows"]["files"]}
    assert listed == {
        "docs/bad.txt": "left out at ingest: binary",
        "docs/blank.html": whys["docs/blank.html"],
        "docs/copy.txt": whys["docs/copy.txt"],
        "docs/empty.txt": whys["docs/empty.txt"],
        "docs/near.txt": whys["docs/near.txt"],
        "docs/scan.pdf": "left out at ingest: unsupported type '.pdf'",
    }
    assert files["files_without_rows"]["count"] == 6
    assert files["files_without_rows"]["not_listed"] == 0
    assert {f["run"] for f in files["files_without_rows"]["files"]} == {first["run"]}
    assert files["files_read_by_runs"]["count"] == 7  # 5 fingerprinted + 2 left out
    from annotate.audit.verify import verify

    verify(corpus)  # the manifest with them still verifies
    # the audit report says so in its input-files paragraph
    from annotate.audit.provenance import input_file_lines, input_file_numbers

    said = " ".join(input_file_lines(input_file_numbers(rows, manifest)))
    assert (
        "6 input file(s) of the ingest runs gave no row (`docs/bad.txt (left out at ingest)`, "
        "`docs/blank.html (no text)`, `docs/copy.txt (exact copies only)`"
    ) in said, said


def test_export_redact_masks_the_names_and_counts_the_copies(tmp_path: Path) -> None:
    from annotate.audit.redact import RedactionSettings
    from tests.audit.fakes import FakeStudio
    from tests.audit.test_verify_sources import _tasks

    docs = tmp_path / "in" / "inbox"
    docs.mkdir(parents=True)
    (docs / "a.txt").write_text(f"{THREAT}\n", encoding="utf-8")
    (docs / "jane.doe@example.org.txt").write_text(f"{THREAT}\n", encoding="utf-8")
    passages = tmp_path / "p.jsonl"
    ingest([str(docs)], passages, min_chars=20, near_dup_threshold=None)
    out = tmp_path / "redx"
    export(
        "p",
        out,
        client=FakeStudio(_tasks(passages)),  # type: ignore[arg-type]
        salt="s",
        redact=RedactionSettings(),
    )
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    text = json.dumps(manifest)
    assert "jane.doe" not in text
    (run,) = manifest["ingest_runs"]["runs"]
    assert run["exact_copies_dropped"] == {"count": 1}  # its doc ids and files: not kept
    (entry,) = manifest["input_files"]["files_without_rows"]["files"]
    assert entry["file"].startswith("inbox/[EMAIL") and entry["why"].startswith("exact copies")
