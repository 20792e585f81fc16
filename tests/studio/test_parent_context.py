"""Thread context (passL54 finding 5): a comment whose table row names the comment it
replies to (``parent_id``, ``in_reply_to_id``, ... or ``ingest --parent-column``) shows
that comment's text above it in the labeling view (``context_parent``, under a heading
naming the parent), masked as ingest masked it, a note instead when the parent carries a
content warning or is not in the batch; the parent's id stays in ``meta`` (to the
export) and in the task's ``parent_doc_id``. Before, reviewers of a reply saw no context:
``parent_id`` sat in the raw ``meta`` string only."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from annotate.ingestion import ingest
from annotate.review.parents import (
    PARENT_FIELD,
    PARENT_HEADER_FIELD,
    PARENT_ID_FIELD,
    hidden_parent,
    id_prefix,
    missing_parent,
    parent_doc_id,
    parent_header,
)
from annotate.studio.label_config import parse_label_config
from annotate.studio.push import read_tasks
from annotate.studio.staging import staging

CATS = (
    "violent_threat",
    "incitement",
    "graphic_violence",
    "extremist_propaganda",
    "news_reporting",
    "counter_speech",
    "none",
)
PLAIN = "Mark wrote that the council should close the park on Elm Street at night."
THREAT = "I know where you live, Mark. I will come to your house and slit your throat."
GORE = "The video shows his severed limbs and the blood pooling on the floor."
REPLY = "Reporting this. Nobody should post that kind of thing here."


def _scores(top: str | None) -> dict[str, float]:
    return {c: (0.9 if c == top else 0.02) for c in CATS}


def _row(pid: str, doc: str, text: str, *, parent: str | None = None, top: str = "none") -> dict:
    meta = {"author": "x"} if parent is None else {"author": "x", "parent_id": parent}
    return {
        "id": pid,
        "text": text,
        "scores": _scores(top),
        "labels": [top],
        "spans": [],
        "model_version": "m-1",
        "doc_id": doc,
        "passage_index": 0,
        "start": 0,
        "end": len(text),
        "title": None,
        "source": "comments.csv",
        "date": None,
        "meta": json.dumps(meta),
    }


def _rows() -> list[dict]:
    return [
        _row("p-c001", "c001", PLAIN),
        _row("p-c002", "c002", THREAT, parent="c001", top="violent_threat"),  # hidden
        _row("p-c003", "c003", REPLY, parent="c002"),  # replies to a hidden threat
        _row("p-c004", "c004", REPLY + " Agreed.", parent="c001"),
        _row("p-c005", "c005", GORE, top="graphic_violence"),
        _row("p-c006", "c006", REPLY + " Awful.", parent="c005"),  # replies to a graphic one
        _row("p-c007", "c007", REPLY + " Again.", parent="c099"),  # parent not in the batch
    ]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _staged(path: Path, taxonomy) -> dict[str, dict]:
    config = parse_label_config(taxonomy.render_label_config())
    with staging() as stage:
        stage.stage_file(path, taxonomy, config)
        n = stage.plan()
        tasks = [json.loads(t) for _, t in stage.todo(0, n)]
    return {t["data"]["passage_id"]: t["data"] for t in tasks}


def _in_memory(path: Path, taxonomy) -> dict[str, dict]:
    config = parse_label_config(taxonomy.render_label_config())
    return {t["data"]["passage_id"]: t["data"] for t in read_tasks(path, taxonomy, config)}


@pytest.mark.parametrize("build", [_staged, _in_memory], ids=["staged", "review-set"])
def test_a_reply_shows_its_parent_comment(build, taxonomy, tmp_path: Path) -> None:
    got = build(_write(tmp_path / "pre.jsonl", _rows()), taxonomy)
    reply = got["p-c004"]
    assert reply[PARENT_FIELD] == PLAIN
    assert reply[PARENT_HEADER_FIELD] == parent_header("c001")
    assert "c001" in reply[PARENT_HEADER_FIELD]
    assert reply[PARENT_ID_FIELD] == "c001"
    assert json.loads(reply["meta"])["parent_id"] == "c001"  # provenance, to the export
    # a comment replying to none: no heading, no context, no parent id
    top = got["p-c001"]
    assert (top[PARENT_HEADER_FIELD], top[PARENT_FIELD]) == ("", "")
    assert PARENT_ID_FIELD not in top


@pytest.mark.parametrize("build", [_staged, _in_memory], ids=["staged", "review-set"])
def test_a_hidden_parent_is_a_note_never_its_text(build, taxonomy, tmp_path: Path) -> None:
    got = build(_write(tmp_path / "pre.jsonl", _rows()), taxonomy)
    assert got["p-c002"]["warning"] and got["p-c005"]["warning"]  # the parents are hidden
    # c003 answers the hidden c002, which answers c001: the thread, c002 a note
    assert got["p-c003"][PARENT_FIELD] == (
        f"{id_prefix('c001')}{PLAIN}\n{id_prefix('c002')}{hidden_parent('c002', ['p-c002'])}"
    )
    assert got["p-c006"][PARENT_FIELD] == hidden_parent("c005", ["p-c005"])
    for pid in ("p-c003", "p-c006"):
        shown = got[pid][PARENT_FIELD]
        assert "throat" not in shown and "limbs" not in shown
        assert "content warning" in shown


@pytest.mark.parametrize("build", [_staged, _in_memory], ids=["staged", "review-set"])
def test_a_parent_not_in_the_batch_is_said_plainly(build, taxonomy, tmp_path: Path) -> None:
    got = build(_write(tmp_path / "pre.jsonl", _rows()), taxonomy)
    shown = got["p-c007"][PARENT_FIELD]
    assert shown == missing_parent("c099")
    assert "parent comment c099 not in this batch" in shown
    assert got["p-c007"][PARENT_ID_FIELD] == "c099"


def test_a_long_parent_is_cut(taxonomy, tmp_path: Path) -> None:
    long = " ".join(["The council met again to discuss the park."] * 40)
    rows = [_row("p-a", "a", long), _row("p-b", "b", REPLY, parent="a")]
    got = _staged(_write(tmp_path / "pre.jsonl", rows), taxonomy)
    assert got["p-b"][PARENT_FIELD].endswith("\u2026")
    assert len(got["p-b"][PARENT_FIELD]) <= 601


def test_the_labeling_config_shows_the_parent_above_the_passage(taxonomy) -> None:
    xml = taxonomy.render_label_config()
    config = parse_label_config(xml)
    assert {PARENT_FIELD, PARENT_HEADER_FIELD} <= config.data_fields
    assert xml.index(f"${PARENT_FIELD}") < xml.index("$context_before")


@pytest.mark.parametrize(
    ("meta", "settings", "expected"),
    [
        ({"parent_id": "c002"}, {}, "c002"),
        ({"in_reply_to_id": 1234567}, {}, "1234567"),
        ({"In-Reply-To Status ID": 7.0}, {}, "7"),  # pandas' float of an int column
        ({"reply_to_id": "c1"}, {"id_prefix": "news:"}, "news:c1"),  # as ingest made ids
        ({"parent_id": ""}, {}, None),  # a top-level comment
        ({"parent_id": None}, {}, None),
        ({"reply_to": "@mark_w"}, {}, None),  # the author replied to, not a comment
        ({"in_reply_to_user_id": "u9"}, {}, None),  # an account
        ({"answers": "c9"}, {"parent_column": "answers"}, "c9"),  # ingest --parent-column
        ({"parent_id": "c9", "answers": ""}, {"parent_column": "answers"}, None),
        # break13 #3: a whole number written as a float in text (pandas' CSV of an int
        # column with empty cells) is the id ingest made of the integer
        ({"parent_id": "8.0"}, {}, "8"),
        ({"parent_id": " 12.00 "}, {"id_prefix": "f:"}, "f:12"),
        ({"parent_id": "8.5"}, {}, "8.5"),  # not a whole number: as written
        ({"parent_id": "v1.0"}, {}, "v1.0"),
        # break13 #4: the spellings of "no parent" are a top-level comment
        ({"parent_id": "0"}, {}, None),
        ({"parent_id": 0}, {}, None),
        ({"parent_id": "-1"}, {}, None),
        ({"parent_id": -1.0}, {}, None),
        ({"parent_id": "nan"}, {}, None),
        ({"parent_id": "NaN"}, {}, None),
        ({"parent_id": float("nan")}, {}, None),
        ({"parent_id": "None"}, {}, None),
        ({"parent_id": "NULL"}, {}, None),
        ({"parent_id": "null"}, {}, None),
        ({"parent_id": "NA"}, {}, None),
        ({"parent_id": "0.0"}, {}, None),
        ({"parent_id": "10"}, {}, "10"),
        # an empty first parent-like key does not hide the next one
        ({"parent_id": "", "in_reply_to_id": "9"}, {}, "9"),
        # break13 #11: camelCase / PascalCase names and Twitter's _str form
        ({"parentId": "c1"}, {}, "c1"),
        ({"ParentId": "c1"}, {}, "c1"),
        ({"ParentID": "c1"}, {}, "c1"),
        ({"inReplyToId": "c1"}, {}, "c1"),
        ({"parentCommentId": "c1"}, {}, "c1"),
        ({"in_reply_to_status_id_str": "1790000000000000001"}, {}, "1790000000000000001"),
        ({"inReplyToUserId": "u1"}, {}, None),  # still an account
    ],
)
def test_parent_doc_id(meta: dict, settings: dict, expected: str | None) -> None:
    row = {"meta": json.dumps(meta), "ingest_run": json.dumps({"settings": settings})}
    assert parent_doc_id(row) == expected


def test_a_row_naming_itself_as_parent_shows_no_context() -> None:
    """break13 #6: a comment naming itself as its parent (a data error) was shown its own
    text as "the comment this one replies to"."""
    row = {"doc_id": "c3", "meta": json.dumps({"parent_id": "c3"})}
    assert parent_doc_id(row) is None
    prefixed = {
        "doc_id": "f:c3",
        "meta": json.dumps({"parent_id": "c3"}),
        "ingest_run": json.dumps({"settings": {"id_prefix": "f:"}}),
    }
    assert parent_doc_id(prefixed) is None
    assert parent_doc_id({**row, "doc_id": "c4"}) == "c3"


def _pandas_csv(path: Path) -> Path:
    """Comments as pandas writes them (``to_csv`` of a frame whose ``parent_id`` has
    NaN): parents as ``8.0``, top-level rows empty, ``0`` or ``nan``; one names itself."""
    path.write_text(
        "comment_id,parentId,text\n"
        f"8,,{PLAIN}\n"
        f"c9,8.0,{REPLY}\n"
        f"c10,0,{REPLY} Zero.\n"
        f"c11,nan,{REPLY} Nan.\n"
        f"c3,c3,{REPLY} Myself.\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("build", [_staged, _in_memory], ids=["staged", "review-set"])
def test_ingest_to_push_pandas_parent_ids(build, taxonomy, tmp_path: Path) -> None:
    """break13 #3, #4, #6, #11 end to end: a camelCase parent column is found, ``8.0``
    finds document ``8``, ``0``/``nan`` are top-level comments, a self-reference shows
    nothing."""
    passages = tmp_path / "passages.parquet"
    ingest([_pandas_csv(tmp_path / "a.csv")], passages, id_column="comment_id", min_chars=10)
    got = build(_prelabelled(passages, tmp_path / "pre.jsonl"), taxonomy)
    by_doc = {d["doc_id"]: d for d in got.values()}
    assert by_doc["c9"][PARENT_FIELD] == PLAIN
    assert by_doc["c9"][PARENT_ID_FIELD] == "8"
    for top in ("8", "c10", "c11", "c3"):
        assert (by_doc[top][PARENT_HEADER_FIELD], by_doc[top][PARENT_FIELD]) == ("", ""), top
        assert PARENT_ID_FIELD not in by_doc[top]


def _comments(path: Path) -> Path:
    rows = [
        {"comment_id": "c001", "parent_id": "", "author": "mark_w", "body": PLAIN},
        {
            "comment_id": "c002",
            "parent_id": "c001",
            "author": "anon",
            "body": "@mark_w is wrong. Mail me at jo.doe@example.com or call 07700 900123.",
        },
        {"comment_id": "c003", "parent_id": "c002", "author": "ana", "body": REPLY},
    ]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _prelabelled(passages: Path, out: Path) -> Path:
    """The passages as prelabel would write them (every column carried), scored none."""
    rows = pq.read_table(passages).to_pylist()
    return _write(
        out,
        [
            {**r, "scores": _scores("none"), "labels": ["none"], "spans": [], "model_version": "m"}
            for r in rows
        ],
    )


def test_ingest_to_push_shows_the_masked_parent(taxonomy, tmp_path: Path) -> None:
    """The ingest -> push path: ``ingest --redact`` masks the parent's text, and the reply
    shows it masked, as the parent's own task does."""
    from annotate.audit.redact import RedactionSettings

    passages = tmp_path / "passages.parquet"
    ingest(
        [_comments(tmp_path / "comments.csv")],
        passages,
        text_column="body",
        id_column="comment_id",
        min_chars=10,
        redact=RedactionSettings(),
    )
    got = _staged(_prelabelled(passages, tmp_path / "pre.jsonl"), taxonomy)
    by_doc = {d["doc_id"]: d for d in got.values()}
    shown = by_doc["c003"][PARENT_FIELD]
    # the parent's masked text, under the comment it answers (the thread)
    assert shown == f"{id_prefix('c001')}{PLAIN}\n{id_prefix('c002')}{by_doc['c002']['text']}"
    assert "jo.doe@example.com" not in shown and "07700" not in shown
    assert "mark_w" not in shown
    assert by_doc["c002"][PARENT_FIELD] == PLAIN
    assert by_doc["c001"][PARENT_FIELD] == ""


def test_ingest_parent_column_names_the_column(taxonomy, tmp_path: Path) -> None:
    """``ingest --parent-column`` names a column no built-in name catches; the run records
    it, and push reads the parent from it."""
    table = tmp_path / "posts.jsonl"
    _write(
        table,
        [
            {"id": "p1", "text": PLAIN},
            {"id": "p2", "text": REPLY, "answers": "p1"},
        ],
    )
    passages = tmp_path / "passages.parquet"
    ingest([table], passages, min_chars=10, parent_column="answers")
    rows = pq.read_table(passages).to_pylist()
    assert json.loads(rows[0]["ingest_run"])["settings"]["parent_column"] == "answers"
    got = _staged(_prelabelled(passages, tmp_path / "pre.jsonl"), taxonomy)
    by_doc = {d["doc_id"]: d for d in got.values()}
    assert by_doc["p2"][PARENT_FIELD] == PLAIN


def test_ingest_parent_column_missing_is_an_error(tmp_path: Path) -> None:
    from annotate.errors import InputError

    table = _write(tmp_path / "posts.jsonl", [{"id": "p1", "text": PLAIN}])
    with pytest.raises(InputError) as caught:
        ingest([table], tmp_path / "passages.parquet", min_chars=10, parent_column="answers")
    said = str(caught.value) + str(getattr(caught.value, "fix", ""))
    assert "answers" in said
    assert not (tmp_path / "passages.parquet").exists()


def test_the_grid_keeps_the_parent_out_of_sight(taxonomy) -> None:
    """The Data Manager grid shows no text (a hidden parent's note aside, the parent's
    text would be there in clear): the parent's fields are hidden columns, as the
    neighbours' are."""
    from annotate.review.view import grid_view

    hidden = grid_view(taxonomy)["hiddenColumns"]["explore"]
    for name in (PARENT_FIELD, PARENT_HEADER_FIELD, PARENT_ID_FIELD):
        assert f"tasks:data.{name}" in hidden


def test_parent_column_that_was_taken_as_the_id_column(tmp_path: Path) -> None:
    """break13 #9: ``--parent-column id`` where ``id`` was taken as the id column (no
    --id-column) said the table had no such column."""
    from annotate.errors import InputError

    table = tmp_path / "t.csv"
    table.write_text(f"id,text,in_reply_to_status_id\n1,{PLAIN},\n2,{REPLY},1\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        ingest([table], tmp_path / "p.jsonl", min_chars=10, parent_column="id")
    said = str(caught.value)
    assert "names the text, id or date column" in said
    assert "taken as their id column" in said
    assert "no table of the run has" not in said


def test_ingest_says_which_column_it_took_as_the_parent(tmp_path: Path) -> None:
    """break13 #11: the summary names the column taken as the parent column without
    --parent-column (a camelCase one is found)."""
    from typer.testing import CliRunner

    from annotate.cli import app

    table = tmp_path / "yt.csv"
    table.write_text(f"commentId,parentId,text\nk1,,{PLAIN}\nk2,k1,{REPLY}\n", encoding="utf-8")
    got = CliRunner().invoke(
        app, ["ingest", str(table), "--out", str(tmp_path / "p.jsonl"), "--min-chars", "10"]
    )
    assert got.exit_code == 0, got.output
    assert "column 'parentId' taken as the comment each row replies to" in got.output
    plain = tmp_path / "plain.csv"
    plain.write_text(f"id,text\n1,{PLAIN}\n", encoding="utf-8")
    got = CliRunner().invoke(
        app, ["ingest", str(plain), "--out", str(tmp_path / "q.jsonl"), "--min-chars", "10"]
    )
    assert got.exit_code == 0 and "replies to" not in got.output


@pytest.mark.parametrize("none", [None, 0, "0", -1, "-1.0"])
def test_ingest_says_nothing_of_a_parent_column_empty_in_every_row(
    none: object, tmp_path: Path
) -> None:
    """newuser61 F11: a gold table of top-level comments (parent_id null in every row)
    got "column 'parent_id' taken as the comment each row replies to"; so did one of ``0``
    or ``-1`` in every row, which also mean no parent (reader61 #6)."""
    from typer.testing import CliRunner

    from annotate.cli import app

    table = tmp_path / "gold.jsonl"
    rows = [
        {"id": "g1", "parent_id": none, "text": PLAIN},
        {"id": "g2", "parent_id": none, "text": REPLY},
    ]
    table.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    got = CliRunner().invoke(
        app, ["ingest", str(table), "--out", str(tmp_path / "p.jsonl"), "--min-chars", "10"]
    )
    assert got.exit_code == 0, got.output
    assert "replies to" not in got.output, got.output


@pytest.mark.parametrize("named", [None, "answers"])
def test_redact_keeps_an_email_like_parent_id_matching(
    named: str | None, taxonomy, tmp_path: Path
) -> None:
    """break13 #10: under ``--redact`` an e-mail-like parent id was masked in meta
    (``[EMAIL-1]``) but the parent's doc_id kept as written, so the reply's parent was
    "not in this batch". The parent column is an id and is kept as the id column is; an
    address in the text is still masked."""
    from annotate.audit.redact import RedactionSettings

    column = named or "parent_id"
    table = tmp_path / "r.csv"
    table.write_text(
        f"comment_id,{column},body\n"
        f"anna.smith@example.org,,{PLAIN}\n"
        f"c006,anna.smith@example.org,{REPLY} Mail bo@example.net.\n",
        encoding="utf-8",
    )
    passages = tmp_path / "p.parquet"
    ingest(
        [table],
        passages,
        text_column="body",
        id_column="comment_id",
        min_chars=10,
        redact=RedactionSettings(),
        parent_column=named,
    )
    rows = {r["doc_id"]: r for r in pq.read_table(passages).to_pylist()}
    assert json.loads(rows["c006"]["meta"])[column] == "anna.smith@example.org"
    assert "bo@example.net" not in rows["c006"]["text"]
    got = _staged(_prelabelled(passages, tmp_path / "pre.jsonl"), taxonomy)
    by_doc = {d["doc_id"]: d for d in got.values()}
    assert by_doc["c006"][PARENT_FIELD] == PLAIN


@pytest.mark.parametrize("build", [_staged, _in_memory], ids=["staged", "review-set"])
def test_a_parent_dropped_as_an_exact_copy_shows_the_copy_kept(
    build, taxonomy, tmp_path: Path
) -> None:
    """break13 #5: d1 and d2 are the same spam; ingest keeps d1's passage (its
    exact_copies names d2) and drops d2. A reply to d2 said its parent was "not in this
    batch" (and to filter the Data Manager by a doc_id no task has): it shows the text
    kept, as a reply to d1 does."""
    spam = "Buy cheap followers now at the link in my profile!!!"
    table = tmp_path / "c.csv"
    table.write_text(
        f"comment_id,parent_id,text\nd1,,{spam}\nd2,,{spam}\nd3,d2,{REPLY}\nd4,d1,{REPLY} Again.\n",
        encoding="utf-8",
    )
    passages = tmp_path / "c.parquet"
    ingest([table], passages, id_column="comment_id", min_chars=10, id_prefix="forum1:")
    got = build(_prelabelled(passages, tmp_path / "pre.jsonl"), taxonomy)
    by_doc = {d["doc_id"]: d for d in got.values()}
    assert "forum1:d2" not in by_doc  # dropped as a copy
    assert by_doc["forum1:d4"][PARENT_FIELD] == spam
    assert by_doc["forum1:d3"][PARENT_FIELD] == spam
    assert by_doc["forum1:d3"][PARENT_ID_FIELD] == "forum1:d2"
