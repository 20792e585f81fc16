"""Every passage says which input file, and which row of it, its document was read from
(``input_file``: the file's name as the ingest run record names it, a saved dataset's
split as ``NAME[SPLIT]``; ``input_row``: the readers' own location text, null for a file
that is one document), so an auditor can trace an exported row back to the raw input.
Prelabel (local engine; the Ray engine in tests/test_prelabel_ray.py) carries both, push
puts them in the task's data and not in the labeling view. Passage tables written before
the columns stay readable (nothing is guessed for them)."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import pyarrow as pa
import pyarrow.parquet as pq

from annotate.ingestion import ingest
from annotate.ingestion.record import input_files
from annotate.prelabeling import prelabel
from annotate.studio.label_config import parse_label_config, render_label_config
from annotate.studio.tasks import row_to_task
from annotate.table_schemas import PASSAGE_SCHEMA
from annotate.tables import iter_rows
from annotate.taxonomy import load_taxonomy
from tests.fakes import KeywordClassifier

TEXT = "The ferry to the island leaves at noon on weekdays, the harbour office said."


def _inputs(root: Path) -> list[Path]:
    """One input of each reader kind: a folder (a .txt, a .md and a JSONL in a subfolder),
    a CSV with a cell over two lines, a TSV, a Parquet table, a saved DatasetDict and a
    saved Dataset (no splits)."""
    docs = root / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "note.txt").write_text(f"Note\n\n{TEXT} One.\n", encoding="utf-8")
    (docs / "sub" / "post.md").write_text(f"# Post\n\n{TEXT} Two.\n", encoding="utf-8")
    (docs / "sub" / "rows.jsonl").write_text(
        json.dumps({"id": "j1", "text": f"{TEXT} Three."})
        + "\n\n"  # a blank line: the second row is on line 3
        + json.dumps({"id": "j2", "text": f"{TEXT} Four."})
        + "\n",
        encoding="utf-8",
    )
    (root / "table.csv").write_text(
        f'id,text\nc1,"{TEXT}\nFive."\nc2,"{TEXT} Six."\n', encoding="utf-8"
    )
    (root / "table.tsv").write_text(f"id\ttext\nt1\t{TEXT} Seven.\n", encoding="utf-8")
    pq.write_table(
        pa.table({"id": ["q1", "q2"], "text": [f"{TEXT} Eight.", f"{TEXT} Nine."]}),
        root / "table.parquet",
    )
    split = {"id": ["h1", "h2"], "text": [f"{TEXT} Ten.", f"{TEXT} Eleven."]}
    datasets.DatasetDict(
        {"train": datasets.Dataset.from_dict(split), "test": datasets.Dataset.from_dict(
            {"id": ["h3"], "text": [f"{TEXT} Twelve."]}
        )}
    ).save_to_disk(str(root / "dsd"))  # fmt: skip
    datasets.Dataset.from_dict({"id": ["s1"], "text": [f"{TEXT} Thirteen."]}).save_to_disk(
        str(root / "single")
    )
    return [
        docs,
        root / "table.csv",
        root / "table.tsv",
        root / "table.parquet",
        root / "dsd",
        root / "single",
    ]


def test_each_reader_names_the_input_file_and_row(tmp_path: Path) -> None:
    paths = _inputs(tmp_path / "in")
    out = tmp_path / "passages.parquet"
    ingest(paths, out, min_chars=10, near_dup_threshold=None, dedupe=False)
    got = {r["doc_id"]: (r["input_file"], r["input_row"]) for r in iter_rows(out)}
    assert got == {
        "docs/note.txt": ("docs/note.txt", None),  # a text file is one document
        "docs/sub/post.md": ("docs/sub/post.md", None),
        "j1": ("docs/sub/rows.jsonl", "line 1"),
        "j2": ("docs/sub/rows.jsonl", "line 3"),
        "c1": ("table.csv", "row 1 (line 2)"),
        "c2": ("table.csv", "row 2 (line 4)"),  # row 1 spans lines 2-3
        "t1": ("table.tsv", "row 1 (line 2)"),
        "q1": ("table.parquet", "row 1"),
        "q2": ("table.parquet", "row 2"),
        "h1": ("dsd[train]", "row 1"),
        "h2": ("dsd[train]", "row 2"),
        "h3": ("dsd[test]", "row 1"),
        "s1": ("single", "row 1"),
    }
    # a file's name is the one the run record's inputs digest is made of
    recorded = {f.name for f in input_files(paths)}
    for name, _ in got.values():
        file = name.split("[")[0]
        assert file in recorded or any(r.startswith(f"{file}/") for r in recorded), name
    schema = pq.read_schema(out)
    for column in ("input_file", "input_row"):
        assert schema.field(column).type == pa.string()
        assert PASSAGE_SCHEMA.field(column).type == pa.string()


def test_a_file_named_on_the_command_line_is_named_by_its_file_name(tmp_path: Path) -> None:
    """Not by the path as typed (an absolute path would name the lead's machine), and in
    JSONL output too."""
    src = tmp_path / "deep" / "er" / "posts.jsonl"
    src.parent.mkdir(parents=True)
    src.write_text(json.dumps({"id": "a", "text": TEXT}) + "\n", encoding="utf-8")
    note = tmp_path / "deep" / "note.txt"
    note.write_text(TEXT.replace("noon", "dawn") + "\n", encoding="utf-8")
    out = tmp_path / "passages.jsonl"
    ingest([src, note], out, min_chars=10)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["input_file"], r["input_row"]) for r in rows] == [
        ("posts.jsonl", "line 1"),
        ("note.txt", None),
    ]
    assert {f.name for f in input_files([src, note])} == {"posts.jsonl", "note.txt"}


def _task_data(rows_file: Path, out: Path) -> dict:
    tax = load_taxonomy()
    prelabel(rows_file, out, classifier=KeywordClassifier(tax.category_names), taxonomy=tax)
    (row,) = list(iter_rows(out))
    config = parse_label_config(render_label_config(tax))
    return row_to_task(row, tax, config, where="row 1")["data"]


def test_prelabel_carries_them_and_push_puts_them_in_the_task_data_only(tmp_path: Path) -> None:
    src = tmp_path / "posts.csv"
    src.write_text(f'id,text\na,"{TEXT}"\n', encoding="utf-8")
    passages = tmp_path / "passages.parquet"
    ingest([src], passages, min_chars=10)
    data = _task_data(passages, tmp_path / "prelabels.parquet")
    assert (data["input_file"], data["input_row"]) == ("posts.csv", "row 1 (line 2)")
    # the labeling view never shows them: no tag of the config reads them
    tax = load_taxonomy()
    config = render_label_config(tax)
    assert "input_file" not in config and "input_row" not in config
    assert not {"input_file", "input_row"} & parse_label_config(config).data_fields


def test_passage_tables_from_before_the_columns_stay_readable(tmp_path: Path) -> None:
    """An older ingest's passages: pre-labelled and pushed without the fields (export
    then writes null and counts them), and read as ``ingest --previous``."""
    src = tmp_path / "posts.jsonl"
    src.write_text(json.dumps({"id": "a", "text": TEXT}) + "\n", encoding="utf-8")
    passages = tmp_path / "passages.jsonl"
    ingest([src], passages, min_chars=10)
    rows = list(iter_rows(passages))
    for r in rows:
        del r["input_file"], r["input_row"]
    old = tmp_path / "old.jsonl"
    old.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    data = _task_data(old, tmp_path / "prelabels.jsonl")
    assert "input_file" not in data and "input_row" not in data
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"id": "b", "text": TEXT + " Again."}) + "\n", encoding="utf-8")
    again = tmp_path / "again.jsonl"
    ingest([more], again, min_chars=10, previous=[old])
    (new,) = list(iter_rows(again))
    assert (new["input_file"], new["input_row"]) == ("more.jsonl", "line 1")
