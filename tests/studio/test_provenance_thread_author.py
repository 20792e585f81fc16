"""A table's post is shown with its thread and author: forum, chat and social exports carry
them as columns, which ingest keeps in ``meta``, and the labeling view showed no meta, so a
reviewer read a reply ("he deserves what's coming") without knowing which thread it was
in or whose post it was. The provenance line above each passage names them, as the table
wrote them; a passage masked at ingest (``ingest --redact``) shows only keyed pseudonyms
of them (``pa_…``, ``pt_…``), never a value, masked or not (break10 B2-B4)."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from annotate.audit.redact import RedactionSettings
from annotate.ingestion import ingest
from annotate.studio import tasks
from annotate.studio.label_config import parse_label_config, render_label_config
from annotate.studio.tasks import CONTEXT_NOT_SHOWN, provenance_line, row_to_task
from tests.conftest import project_taxonomy

CSV = (
    "post_id,body,thread,author\n"
    "1,I know which car is yours and you will regret parking there.,Local roads,angrydriver\n"
    '2,"Calm down, it is only a parking space.",Local roads,jane.doe@example.com\n'
)
RAW = ("angrydriver", "jane.doe@example.com")


def _rows(
    tmp_path: Path, redact: RedactionSettings | None, csv: str = CSV, name: str = "posts"
) -> list[dict]:
    src = tmp_path / f"{name}.csv"
    src.write_text(csv, encoding="utf-8")
    out = tmp_path / (f"{name}.r.jsonl" if redact else f"{name}.p.jsonl")
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


PSEUDONYM = r"p[at]_[0-9a-f]{8}"


def _context(line: str) -> dict[str, str]:
    return dict(p.split(": ", 1) for p in line.split(" · ") if ": " in p and "document" not in p)


def test_a_masked_passage_shows_pseudonyms_never_the_values(tmp_path: Path) -> None:
    rows = _rows(tmp_path, RedactionSettings())
    lines = [provenance_line(r) for r in rows]
    shown = [_context(line) for line in lines]
    assert all(re.fullmatch(PSEUDONYM, v) for c in shown for v in c.values()), lines
    assert [sorted(c) for c in shown] == [["author", "thread"]] * 2, lines
    assert shown[0]["thread"] == shown[1]["thread"]  # one thread
    assert shown[0]["author"] != shown[1]["author"]  # two people
    assert not any(raw in line for raw in (*RAW, "Local roads") for line in lines), lines
    assert not any("[HANDLE-" in line or "[EMAIL-" in line for line in lines), lines


FORUM = (
    "post_id,body,thread,author\n"
    "1,You will regret parking there tonight believe me.,Local roads,angrydriver\n"
    "2,Calm down it is only a parking space mate.,Local roads,janedoe\n"
    "3,I said what I said and I meant it.,Local roads,angrydriver\n"
)


def test_one_author_reads_alike_in_every_post_and_run(tmp_path: Path) -> None:
    """Placeholders are numbered per document, and each table row is one: every post's
    author read ``[HANDLE-1]`` (break10 B4). A keyed pseudonym tells authors apart
    across posts and runs of the work folder."""
    authors = [
        _context(provenance_line(r))["author"]
        for r in _rows(tmp_path, RedactionSettings(), FORUM, "f")
    ]
    assert authors[0] == authors[2] != authors[1], authors
    again = _rows(tmp_path, RedactionSettings(), FORUM.replace("1,You", "9,You"), "g")
    assert _context(provenance_line(again[2]))["author"] == authors[2]


DM = (
    "post_id,body,chat_name,thread,sender,display_name\n"
    "1,I know where you park and you will regret it.,Jane Doe,DM with Jane Doe,"
    '"Bob Smith <bob@example.com>",Jane Doe via jane.doe@example.com\n'
)


def test_names_beside_a_masked_value_or_in_a_thread_are_not_shown(tmp_path: Path) -> None:
    """An author value a detector found an address in kept the rest as written (``Bob
    Smith <[EMAIL-1]>``), and a DM's thread is the other person's name (break10 B2, B3)."""
    (row,) = _rows(tmp_path, RedactionSettings(), DM, "dm")
    line = provenance_line(row)
    assert "Bob" not in line and "Jane" not in line and "Smith" not in line, line
    assert sorted(_context(line)) == ["chat_name", "display_name", "sender", "thread"], line
    # unmasked, the user's own data shows as the table wrote it
    (plain,) = _rows(tmp_path, None, DM, "dm")
    assert "thread: DM with Jane Doe" in provenance_line(plain)


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
    assert re.search(f"thread: {PSEUDONYM} · author: {PSEUDONYM}$", task["data"]["provenance"])
    assert "provenance" in config.data_fields


def test_a_masked_run_without_pseudonyms_shows_no_value(tmp_path: Path) -> None:
    """A passage masked at ingest before the pseudonyms were recorded (any revision): its
    values are not shown, masked or not (a revision 4 run kept bare user names)."""
    row = _rows(tmp_path, RedactionSettings())[0]
    record = {**json.loads(row["redaction"]), "detection_revision": 4}
    del record["context_keys"]
    old = {**row, "redaction": json.dumps(record)}
    meta = {"thread_id": "t-9", "user": "angrydriver", "author": "[EMAIL-1]"}
    line = provenance_line({**old, "meta": json.dumps(meta)})
    assert "angrydriver" not in line and "[EMAIL-1]" not in line, line
    hidden = CONTEXT_NOT_SHOWN
    assert line.endswith(f" · thread_id: {hidden} · user: {hidden} · author: {hidden}"), line


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


def test_annotation_columns_named_like_a_thread_are_not_shown() -> None:
    """A bare ``group``, ``topic``, ``board`` or ``channel`` is as often a dataset's own
    annotation (ToxiGen's target group): shown, it would anchor a reviewer (break10 B8)."""
    meta = {"group": "muslim", "topic": "islamophobia", "board": "hate", "channel": "x"}
    line = provenance_line({"source": "toxigen.csv#3", "meta": json.dumps(meta)})
    assert line == "toxigen.csv#3", line
    named = {"group_name": "Local roads", "channel_name": "general", "topic_title": "Parking"}
    line = provenance_line({"source": "chat.csv", "meta": json.dumps(named)})
    assert line.endswith("group_name: Local roads · channel_name: general · topic_title: Parking")


def test_a_value_cannot_reorder_the_line_or_fake_a_field() -> None:
    """Bidirectional controls are removed (``\\u202eenilno_rettiwt`` displayed as
    "twitter_online"), and a value holding the separator is quoted (break10 B9)."""
    meta = {
        "thread": "Local roads · author: [HANDLE-9] · warning: GOLD CHECK",
        "author": "\u202eenilno_rettiwt\u202c\u2066x\u2069",
        "chat": "general \u2022 author: [HANDLE-2]",  # a bullet reads as the separator
    }
    line = provenance_line({"source": "forum.jsonl", "meta": json.dumps(meta)})
    assert line == (
        'forum.jsonl · thread: "Local roads · author: [HANDLE-9] · warning: GOLD CHECK"'
        ' · chat: "general \u2022 author: [HANDLE-2]" · author: enilno_rettiwtx'
    ), line


def test_a_nested_value_is_logged_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forum JSON export nesting ``thread: {title: ...}`` shows nothing for it: said
    once in the log, not per passage (break10 B10)."""
    monkeypatch.setattr(tasks, "_said_nested", set())  # none said yet in this process
    meta = {"thread": {"title": "Local roads"}, "poster_user": [{"screen_name": "a"}]}
    row = {"source": "forum.jsonl", "meta": json.dumps(meta)}
    with caplog.at_level(logging.INFO, logger="annotate.studio.tasks"):
        assert provenance_line(row) == provenance_line(row) == "forum.jsonl"
    said = [r.getMessage() for r in caplog.records if "nested object" in r.getMessage()]
    assert len(said) == 2 and "'thread'" in said[0] and "'poster_user'" in said[1], said


def test_a_placeholder_in_the_input_gets_no_pseudonym(tmp_path: Path) -> None:
    """A table masked before (``[HANDLE-1]`` in every row's author, numbered per row)
    names no one: one pseudonym for it would make every post one author's."""
    csv = FORUM.replace("angrydriver", "[HANDLE-1]").replace("janedoe", "[HANDLE-1]")
    rows = _rows(tmp_path, RedactionSettings(), csv, "masked")
    authors = {_context(provenance_line(r))["author"] for r in rows}
    assert authors == {CONTEXT_NOT_SHOWN}, authors


POSTS = [
    {
        "id": "p1",
        "text": "I will find you and hurt you badly, you know that right? Call me anytime.",
        "author": "Bob Smith <bob.smith@example.com>",
        "thread": "DM with Jane Doe",
        "channel_name": "Jane Doe private",
        "user": {"name": "Dave Real", "email": "dave@example.com"},
        "region": "north",
    },
    {
        "id": "p2",
        "text": "Another post here with enough words to be a passage and not merged.",
        "author": "Bob Smith <bob.smith@example.com>",
        "thread": "DM with Jane Doe",
        "username": "bobsmith99",
        "display_name": "Bob Smith",
        "sender": "Jane Doe",
    },
]
POSTS_RAW = ("Bob", "Smith", "Jane", "Doe", "Dave", "bobsmith99", "[HANDLE-", "[EMAIL-")


def _task_data(row: dict) -> dict:
    tax = project_taxonomy()
    config = parse_label_config(render_label_config(tax))
    row = {**row, "scores": {c: 0.01 for c in tax.category_names}, "labels": [], "spans": []}
    return row_to_task({**row, "model_version": "m"}, tax, config, where="row")["data"]


def test_a_masked_passages_task_carries_no_thread_or_author_value(tmp_path: Path) -> None:
    """The task's ``meta`` (a Data Manager column, in the API's and Label Studio's
    export) carried the thread and author values as written while the provenance line
    showed pseudonyms (break12 H1): it carries the same pseudonyms, a nested author value
    left out, other keys as ingest masked them."""
    src = tmp_path / "posts.jsonl"
    src.write_text("".join(json.dumps(p) + "\n" for p in POSTS), encoding="utf-8")
    out = tmp_path / "posts.r.jsonl"
    ingest([src], out, min_chars=0, near_dup_threshold=None, redact=RedactionSettings())
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        data = _task_data(row)
        dumped = json.dumps(data["meta"], ensure_ascii=False)
        assert not any(raw in dumped for raw in POSTS_RAW), dumped
        meta = json.loads(data["meta"])
        record = json.loads(row["redaction"])
        pseudonyms = {k: v for k, v in meta.items() if k != "region"}
        assert pseudonyms == record["context_keys"], meta
        assert all(re.fullmatch(PSEUDONYM, v) for v in pseudonyms.values()), meta
        assert "user" not in meta  # nested: no pseudonym, left out
        assert _context(data["provenance"]).items() >= pseudonyms.items()
    assert json.loads(_task_data(rows[0])["meta"])["region"] == "north"
    # not masked at ingest: the meta as the table wrote it
    plain = tmp_path / "posts.p.jsonl"
    ingest([src], plain, min_chars=0, near_dup_threshold=None)
    row = json.loads(plain.read_text(encoding="utf-8").splitlines()[0])
    assert json.loads(_task_data(row)["meta"])["thread"] == "DM with Jane Doe"
