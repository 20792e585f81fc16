"""Plain `annotate verify` (no --sources) checks what it can of the passage offsets from
the rows alone: end - start is the text's length, a document's passages do not overlap,
a passage that is its whole document starts at 0. Offsets forged in every format with the
manifest resealed verified exit 0 before (audit61: caught only by --sources or
--manifest-sha256)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotate._util.digest import sha256_file
from annotate.audit.offsets_fit import misfits
from annotate.audit.verify import check, content_record, with_digest
from annotate.cli import main
from tests.audit.test_verify_sources import exported  # noqa: F401  (the fixture)


def _reseal(corpus: Path) -> None:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    for rel, meta in manifest["files"].items():
        meta.update(sha256=sha256_file(corpus / rel), bytes=(corpus / rel).stat().st_size)
    manifest["content_sha256"] = content_record(corpus)
    (corpus / "manifest.json").write_text(json.dumps(with_digest(manifest)), encoding="utf-8")


def _move(corpus: Path, input_file: str, position: int, start: int, end: int) -> str:
    """Add ``start``/``end`` to the offsets of passage ``position`` (in the export's row
    order) of ``input_file``, alike in JSONL, Parquet and HF; its id."""
    for path in sorted((corpus / "jsonl").glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        at = [i for i, r in enumerate(rows) if r["input_file"] == input_file]
        if at:
            break
    i, split = at[position], path.stem
    delta = {"start": start, "end": end}
    for key in delta:
        rows[i][key] += delta[key]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    table = pq.read_table(corpus / "parquet" / f"{split}.parquet")
    for key in delta:
        values = table.column(key).to_pylist()
        values[i] += delta[key]
        at_key = table.schema.get_field_index(key)
        field = table.schema.field(key)
        table = table.set_column(at_key, field, pa.array(values, type=field.type))
    pq.write_table(table, corpus / "parquet" / f"{split}.parquet")
    hf = datasets.load_from_disk(str(corpus / "hf" / split))
    moved = hf.map(
        lambda r, k: {
            "start": r["start"] + delta["start"] * (k == i),
            "end": r["end"] + delta["end"] * (k == i),
        },
        with_indices=True,
    )
    moved.save_to_disk(str(corpus / "hf-new"))
    shutil.rmtree(corpus / "hf" / split)
    (corpus / "hf-new").rename(corpus / "hf" / split)
    return str(rows[i]["id"])


def _forged(corpus: Path, tmp_path: Path, input_file: str, position: int, start: int, end: int):
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    shutil.rmtree(copy / "report", ignore_errors=True)
    row_id = _move(copy, input_file, position, start, end)
    _reseal(copy)
    return copy, row_id


def test_the_export_as_written_fits(exported: tuple[Path, Path]) -> None:  # noqa: F811
    _, corpus = exported
    assert check(corpus).ok


@pytest.mark.parametrize(
    ("input_file", "position", "start", "end", "said"),
    [
        # the end moved alone: the offsets no longer span the text
        ("notes/a.txt", 0, 0, 3, "end - start is not the length of the row's text"),
        # the second paragraph moved back onto the first, its length kept
        ("notes/a.txt", 1, -5, -5, "overlaps or comes before the passage before it"),
        # a one-passage document moved on, its length kept: its text is the whole document
        ("posts.jsonl", 0, 1, 1, "its text is the whole document (its SHA-256), yet it does not"),
    ],
)
def test_forged_offsets_resealed_fail_plain_verify(
    exported: tuple[Path, Path],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    input_file: str,
    position: int,
    start: int,
    end: int,
    said: str,
) -> None:
    _, corpus = exported
    copy, row_id = _forged(corpus, tmp_path, input_file, position, start, end)
    with pytest.raises(SystemExit) as failed:
        main(["verify", str(copy), "-q"])
    assert failed.value.code == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "passage offsets do not fit the rows" in err, err
    assert said in err and row_id in err, err
    assert "--sources or --manifest-sha256" in err


def test_masked_texts_are_not_measured_against_the_offsets() -> None:
    rows = [
        {
            "id": "a",
            "doc_id": "d",
            "passage_index": 0,
            "start": 0,
            "end": 20,
            "text": "[EMAIL] wrote",
        },
        {"id": "b", "doc_id": "d", "passage_index": 1, "start": 22, "end": 30, "text": "12345678"},
    ]
    assert misfits(rows, masked=True) == {}
    assert misfits(rows, masked=False) == {"end - start is not the length of the row's text": ["a"]}
    # an older export without offsets is passed over
    assert misfits([{"id": "c", "text": "x"}], masked=False) == {}


def test_two_ingest_runs_cutting_one_document_otherwise_are_not_overlaps() -> None:
    """The same document ingested twice with other settings (another --max-chars), both
    pushed: each run's passages fit, though the two cuts overlap each other."""
    rows = [
        {"id": "a", "doc_id": "d", "passage_index": 0, "start": 0, "end": 5, "text": "abcde"},
        {"id": "b", "doc_id": "d", "passage_index": 1, "start": 6, "end": 9, "text": "ghi"},
    ]
    other = [{**r, "id": r["id"] + "2", "ingest_run": "ir-2"} for r in rows]
    other[0].update(end=3, text="abc")
    other[1].update(start=4, end=9, text="e ghi")  # overlaps run 1's first passage
    assert misfits([*rows, *other], masked=False) == {}


def test_a_tables_own_start_end_are_not_checked_as_offsets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user's own table (a transcript: start/end in seconds) pushed through prelabel,
    no ingest run: its start/end reach the export but are not ingest's offsets. Verify
    called it forged ("end - start is not the length of the row's text", rc 1: reader 62
    finding 3); now only rows a recorded ingest run cut are measured, the rest counted."""
    from annotate.corpus.export import export
    from tests.audit.fakes import FakeStudio, annotation, task
    from tests.integration.helpers import choices

    segments = [
        (0.0, 4.2, "we will find you at the depot tonight and nobody leaves"),
        (4.2, 9.8, "the council met on tuesday to discuss the bus routes"),
    ]
    tasks = []
    for n, (start, end, text) in enumerate(segments):
        made = task(
            100 + n,
            f"seg{n}",
            text,
            doc=f"seg{n}",
            index=0,
            model_labels=["news_reporting"],
            annotations=[
                annotation(
                    1000 + n,
                    1,
                    [choices("category", ["news_reporting"])],
                    minute=n,
                    lead_time=5.0,
                )
            ],
        )
        del made["data"]["passage_index"]
        made["data"]["start"], made["data"]["end"] = start, end
        tasks.append(made)
    corpus = tmp_path / "corpus"
    export("p", corpus, client=FakeStudio(tasks), salt="s")
    result = check(corpus)
    assert result.ok, result.mismatches
    assert (result.offsets_checked, result.offsets_passed_over) == (0, 2)
    with pytest.raises(SystemExit) as done:
        main(["verify", str(corpus)])
    assert done.value.code in (0, None)
    said = " ".join(capsys.readouterr().err.split())
    assert "2 rows whose start/end no recorded ingest run wrote passed over" in said, said
