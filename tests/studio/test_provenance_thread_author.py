"""A table's post is shown with its thread and author: forum, chat and social exports carry
them as columns, which ingest keeps in ``meta``, and the labeling view showed no meta, so a
reviewer read a reply ("he deserves what's coming") without knowing which thread it was
in or whose post it was. The provenance line above each passage names them, as ingest
wrote them: masked when the passage was (``ingest --redact``), never what masking hid."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.audit.redact import RedactionSettings
from annotate.ingestion import ingest
from annotate.studio.label_config import parse_label_config, render_label_config
from annotate.studio.tasks import AUTHOR_NOT_MASKED, provenance_line, row_to_task
from tests.conftest import project_taxonomy

CSV = (
    "post_id,body,thread,author\n"
    "1,I know which car is yours and you will regret parking there.,Local roads,angrydriver\n"
    '2,"Calm down, it is only a parking space.",Local roads,jane.doe@example.com\n'
)
RAW = ("angrydriver", "jane.doe@example.com")


def _rows(tmp_path: Path, redact: RedactionSettings | None) -> list[dict]:
    src = tmp_path / "posts.csv"
    src.write_text(CSV, encoding="utf-8")
    out = tmp_path / ("r.jsonl" if redact else "p.jsonl")
    ingest(
        [src],
        out,
        text_column="body",
        id_column="post_id",
        min_chars=0,
        near_dup_threshold=None,
        redact=redact,
    )
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_the_provenance_line_names_a_posts_thread_and_author(tmp_path: Path) -> None:
    rows = _rows(tmp_path, None)
    lines = [provenance_line(r) for r in rows]
    assert lines[0].endswith(" · thread: Local roads · author: angrydriver"), lines
    assert lines[1].endswith(" · thread: Local roads · author: jane.doe@example.com"), lines
    assert lines[0].startswith("posts.csv row 1 (line 2) · document 1, passage 0"), lines


def test_a_masked_passage_shows_its_author_masked_never_the_name(tmp_path: Path) -> None:
    rows = _rows(tmp_path, RedactionSettings())
    lines = [provenance_line(r) for r in rows]
    assert lines[0].endswith(" · thread: Local roads · author: [HANDLE-1]"), lines
    assert lines[1].endswith(" · thread: Local roads · author: [EMAIL-1]"), lines
    assert not any(raw in line for raw in RAW for line in lines), lines


def test_the_labeling_view_shows_it_in_the_task(tmp_path: Path) -> None:
    """The task's ``provenance`` field (the labeling config's provenance text) carries it."""
    tax = project_taxonomy()
    config = parse_label_config(render_label_config(tax))
    row = _rows(tmp_path, RedactionSettings())[0]
    names = list(tax.category_names)
    row.update(
        scores={c: 0.01 for c in names}, labels=[], spans=[], model_version="m", id=row["id"]
    )
    task = row_to_task(row, tax, config, where="row 1")
    assert "thread: Local roads · author: [HANDLE-1]" in task["data"]["provenance"]
    assert "provenance" in config.data_fields


def test_an_author_left_as_written_by_an_older_masking_is_not_shown(tmp_path: Path) -> None:
    """A passage masked at ingest by a detection revision before 5 kept a bare user name
    in ``author`` as written (an e-mail or a phone number there was masked): the line says
    the author is not shown, and shows one that was masked."""
    row = _rows(tmp_path, RedactionSettings())[0]
    record = {**json.loads(row["redaction"]), "detection_revision": 4}
    old = {**row, "redaction": json.dumps(record)}
    meta = {"thread_id": "t-9", "user": "angrydriver", "author": "[EMAIL-1]"}
    line = provenance_line({**old, "meta": json.dumps(meta)})
    assert "angrydriver" not in line, line
    assert line.endswith(f" · thread_id: t-9 · user: {AUTHOR_NOT_MASKED} · author: [EMAIL-1]")
    # a run that did not mask handles at all (its kinds) shows what it chose to keep
    kept = {**record, "kinds": [k for k in record["kinds"] if k != "handle"]}
    line = provenance_line({**old, "redaction": json.dumps(kept), "meta": json.dumps(meta)})
    assert "user: angrydriver" in line, line


def test_only_thread_and_author_keys_are_shown_and_long_values_are_cut() -> None:
    meta = {
        "lang": "en",
        "score": 12,
        "Thread Title": "x" * 100,
        "posted_by": ["[HANDLE-1]", "[HANDLE-2]"],
        "author": {"name": "nested"},
        "channel": "",
    }
    line = provenance_line({"source": "forum.jsonl", "meta": json.dumps(meta)})
    assert line == (
        f"forum.jsonl · Thread Title: {'x' * 80}\u2026 · posted_by: [HANDLE-1], [HANDLE-2]"
    ), line
    assert provenance_line({"source": "a.txt", "meta": "not json"}) == "a.txt"
