"""Gold tasks that a reviewer can tell from the regular ones (a new user's run: a gold
sheet of id, text, gold_labels, pre-labelled as the README says, gave gold tasks that
read "(no provenance)" in the labeling view and ids `g1` in the grid, beside regular
tasks naming their file and document with `p_…` ids). The push warns."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.cli.review.gold_notes import gold_tells_warning
from annotate.review.gold import read_gold
from annotate.review.gold_tells import GoldTells, gold_tells, shared_stem
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import NO_PROVENANCE, row_to_task
from annotate.taxonomy import load_taxonomy
from tests.conftest import FIXTURES

DOC_FIELDS = ("doc_id", "source", "date", "title", "passage_index", "start", "end", "meta")


def rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def tasks_of(rows_: list[dict[str, Any]], tmp_path: Path, gold: bool) -> list[dict[str, Any]]:
    tax = load_taxonomy()
    config = parse_label_config(tax.render_label_config())
    if gold:
        path = tmp_path / "gold.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows_), encoding="utf-8")
        return read_gold(path, tax, config)
    return [row_to_task(r, tax, config, where=str(i)) for i, r in enumerate(rows_)]


def sheet(rows_: list[dict[str, Any]], ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Gold rows as a sheet of id, text, gold_labels gives them: no document fields."""
    out = [{k: v for k, v in r.items() if k not in DOC_FIELDS} for r in rows_]
    for row, new in zip(out, ids or [], strict=False):
        row["id"] = new
    return out


def test_gold_with_the_regular_passages_fields_does_not_stand_out(tmp_path: Path) -> None:
    gold = tasks_of(rows(FIXTURES / "gold.jsonl"), tmp_path, gold=True)
    regular = tasks_of(rows(FIXTURES / "prelabels.jsonl"), tmp_path, gold=False)
    assert all(t["data"]["provenance"] != NO_PROVENANCE for t in gold)
    assert gold_tells(gold, regular) == GoldTells(0, 0, None)
    assert not gold_tells(gold, regular)


def test_gold_from_a_sheet_without_documents_is_told_apart(tmp_path: Path) -> None:
    gold = tasks_of(sheet(rows(FIXTURES / "gold.jsonl")), tmp_path, gold=True)
    regular = tasks_of(rows(FIXTURES / "prelabels.jsonl"), tmp_path, gold=False)
    assert {t["data"]["provenance"] for t in gold} == {NO_PROVENANCE}
    tells = gold_tells(gold, regular)
    assert tells == GoldTells(2, 0, None) and tells
    # regular passages without provenance either (a bare id, text table): alike, no tell
    bare = tasks_of(sheet(rows(FIXTURES / "prelabels.jsonl")), tmp_path, gold=False)
    assert gold_tells(gold, bare) == GoldTells(0, 0, None)
    assert gold_tells(gold, []) == GoldTells(0, 0, None)


def test_gold_ids_unlike_ingest_ids_are_told_apart(tmp_path: Path) -> None:
    regular_rows = rows(FIXTURES / "prelabels.jsonl")
    for i, row in enumerate(regular_rows):
        row["id"] = f"p_{i:020x}"  # as ingest names passages
    regular = tasks_of(regular_rows, tmp_path, gold=False)
    gold = tasks_of(rows(FIXTURES / "gold.jsonl"), tmp_path, gold=True)
    assert gold_tells(gold, regular) == GoldTells(0, 2, "doc-g-p0")
    named = tasks_of(sheet(rows(FIXTURES / "gold.jsonl"), ["g1", "p_" + "0" * 20]), tmp_path, True)
    assert gold_tells(named, regular) == GoldTells(2, 1, "g1")
    # fixture ids (doc-a-p0) are not ingest's: nothing to compare gold ids with
    assert gold_tells(gold, tasks_of(rows(FIXTURES / "prelabels.jsonl"), tmp_path, False)) == (
        GoldTells(0, 0, None)
    )


def test_the_warning_says_what_stands_out_and_the_fix(capsys) -> None:
    gold_tells_warning(GoldTells(0, 0, None), Path("gold.parquet"))
    assert capsys.readouterr().err == ""
    gold_tells_warning(GoldTells(3, 3, "g1"), Path("gold.parquet"))
    err = capsys.readouterr().err
    assert err.startswith("warning: the gold tasks of gold.parquet stand out"), err
    assert f'3 show "{NO_PROVENANCE}"' in err and "'g1'" in err, err
    assert "Fix: " in err and "doc_id, source and title" in err, err
    assert err.count("\n") == 1, err  # one line


FORUM = (
    "post_id,body,thread,author\n"
    "1,You will regret parking there tonight believe me.,Local roads,angrydriver\n"
    "2,Calm down it is only a parking space mate.,Local roads,janedoe\n"
)


def _ingested(tmp_path: Path, name: str, csv: str, redact: bool) -> list[dict[str, Any]]:
    from annotate.audit.redact import RedactionSettings
    from annotate.ingestion import ingest

    src, out = tmp_path / f"{name}.csv", tmp_path / f"{name}.jsonl"
    src.write_text(csv, encoding="utf-8")
    ingest(
        [src],
        out,
        text_column="body",
        id_column="post_id",
        min_chars=0,
        near_dup_threshold=None,
        redact=RedactionSettings() if redact else None,
    )
    scores = rows(FIXTURES / "prelabels.jsonl")[0]
    keep = ("scores", "labels", "model_version")
    return [{**r, **{k: scores[k] for k in keep}, "spans": []} for r in rows(out)]


def test_gold_without_the_tables_thread_and_author_is_told_apart(tmp_path: Path) -> None:
    """Every regular post of a forum export names its thread and author on the
    provenance line; a gold table without those columns (or with them written out beside
    regular tasks that show pseudonyms) names none: told apart (break10 B1)."""
    regular = tasks_of(_ingested(tmp_path, "forum", FORUM, redact=True), tmp_path, gold=False)
    gold_csv = FORUM.replace("1,You", "7,You").replace("2,Calm", "8,Calm")
    answer = {"gold_labels": ["violent_threat"], "gold_severity": "high"}
    same = [{**r, **answer} for r in _ingested(tmp_path, "gold", gold_csv, redact=True)]
    assert gold_tells(tasks_of(same, tmp_path, gold=True), regular) == GoldTells(0, 0, None)
    bare = [{**r, "meta": None} for r in same]  # no thread or author columns
    tells = gold_tells(tasks_of(bare, tmp_path, gold=True), regular)
    assert tells == GoldTells(0, 0, None, 2) and tells
    written = [{**r, **answer} for r in _ingested(tmp_path, "gw", gold_csv, redact=False)]
    assert gold_tells(tasks_of(written, tmp_path, gold=True), regular) == GoldTells(0, 0, None, 2)
    # regular tasks naming no thread either: alike (their doc_ids and dates differ from
    # these gold posts', told apart since passL54 F7, which is no thread or author)
    plain = tasks_of(rows(FIXTURES / "prelabels.jsonl"), tmp_path, gold=False)
    assert gold_tells(tasks_of(bare, tmp_path, gold=True), plain).unlike_context == 0


def test_the_warning_names_the_thread_and_author_columns(capsys) -> None:
    gold_tells_warning(GoldTells(0, 0, None, 2), Path("gold.parquet"))
    err = capsys.readouterr().err
    assert "2 name a thread and author on the provenance line unlike" in err, err
    assert "thread and author columns" in err and "--redact" in err, err


COMMENTS = (
    "comment_id,body,created_at\n"
    "c001,The council should fix the road before winter comes.,2026-11-02\n"
    "c014,I agree with the last speaker about the bus lanes.,2026-11-13\n"
    "c041,Parking in the centre is impossible on market days.,2026-11-29\n"
)


def _comments(tmp_path: Path, name: str, csv: str) -> list[dict[str, Any]]:
    from annotate.ingestion import ingest

    src, out = tmp_path / f"{name}.csv", tmp_path / f"{name}.jsonl"
    src.write_text(csv, encoding="utf-8")
    ingest(
        [src],
        out,
        text_column="body",
        id_column="comment_id",
        min_chars=0,
        near_dup_threshold=None,
    )
    scores = rows(FIXTURES / "prelabels.jsonl")[0]
    keep = ("scores", "labels", "model_version")
    return [{**r, **{k: scores[k] for k in keep}, "spans": []} for r in rows(out)]


def test_gold_documents_with_other_ids_or_dates_are_told_apart(tmp_path: Path) -> None:
    """passL54 finding 7: gold done as the README says (same columns, same ingest) still
    formed its own cluster: ids g001... from October among comments c0xx of November.
    Nothing warned. A gold doc_id outside the prefix every regular one shares, or a gold
    date outside the regular dates, is told apart; gold from the same ids and dates is not."""
    regular = tasks_of(_comments(tmp_path, "batch", COMMENTS), tmp_path, gold=False)
    assert {t["data"]["doc_id"] for t in regular} == {"c001", "c014", "c041"}
    answer = {"gold_labels": ["none"], "gold_severity": "none"}

    def gold_of(csv: str, name: str) -> list[dict[str, Any]]:
        return tasks_of([{**r, **answer} for r in _comments(tmp_path, name, csv)], tmp_path, True)

    alike = gold_of(
        "comment_id,body,created_at\n"
        "c020,The bus was late again this morning in the rain.,2026-11-20\n",
        "g1",
    )
    assert not gold_tells(alike, regular)
    cluster = gold_of(
        "comment_id,body,created_at\n"
        "g001,The bus was late again this morning in the rain.,2026-10-03\n"
        "g002,Someone should repaint the crossing near the school.,2026-10-04\n",
        "g2",
    )
    tells = gold_tells(cluster, regular)
    assert tells
    assert (tells.unlike_doc_ids, tells.example_doc_id, tells.doc_id_prefix) == (2, "g001", "c")
    assert (tells.unlike_dates, tells.example_date) == (2, "2026-10-03")
    assert tells.date_range == ("2026-11-02", "2026-11-29")


def _doc(doc_id: str) -> dict[str, Any]:
    """A task as gold_tells reads it: same provenance style, id and date as the rest."""
    data = {"passage_id": "p_1", "doc_id": doc_id, "provenance": f"a.csv, {doc_id}"}
    return {"data": {**data, "date": "2026-11-05"}}


@pytest.mark.parametrize(
    ("gold", "regular"),
    [
        ("c010", [f"c{i:03d}" for i in range(1, 10)]),  # the next number
        ("250", [str(i) for i in range(100, 200)]),  # numeric ids
        ("article-43", ["article-42"] * 20),  # a batch from one document
        ("t1_xyz", ["t1_abc", "t1_abd", "t1_abe"]),  # random ids that happen to share letters
        ("g001", ["c001", "c014"]),  # too few regular documents to tell a pattern
    ],
)
def test_an_ordinary_gold_doc_id_does_not_stand_out(gold: str, regular: list[str]) -> None:
    """break13 finding 13: the literal shared prefix ("c00", "1", "article-42") made the
    next number, or any other document of a one-document batch, stand out."""
    assert not gold_tells([_doc(gold)], [_doc(d) for d in regular])


def test_a_gold_doc_id_with_another_stem_stands_out() -> None:
    regular = [_doc(f"c{i:03d}") for i in range(1, 10)]
    tells = gold_tells([_doc("g001"), _doc("c010")], regular)
    assert (tells.unlike_doc_ids, tells.example_doc_id, tells.doc_id_prefix) == (1, "g001", "c")
    tells = gold_tells([_doc("gold-7")], [_doc(f"forum-{i}") for i in (3, 18, 240)])
    assert (tells.unlike_doc_ids, tells.doc_id_prefix) == (1, "forum-")
    assert shared_stem({"t1_abc", "t1_abd"}) == "t1_" and shared_stem({"100", "199"}) == ""


def test_the_warning_names_the_gold_doc_ids_and_dates(capsys) -> None:
    tells = GoldTells(
        0,
        0,
        None,
        unlike_doc_ids=4,
        example_doc_id="g001",
        doc_id_prefix="c0",
        unlike_dates=4,
        example_date="2026-10-03",
        date_range=("2026-11-02", "2026-11-29"),
    )
    gold_tells_warning(tells, Path("gold.parquet"))
    err = capsys.readouterr().err
    assert "4 have a doc_id unlike the regular tasks' (e.g. 'g001', where every regular " in err
    assert "starts with 'c0'" in err, err
    assert "4 are dated outside the regular tasks' dates (e.g. 2026-10-03, the regular ones " in err
    assert "2026-11-02 to 2026-11-29" in err and "same source and dates" in err, err
    assert err.count("\n") == 1, err  # one line


def _task(pid: str, doc: str, provenance: str) -> dict[str, Any]:
    return {"data": {"passage_id": pid, "doc_id": doc, "provenance": provenance}}


def test_gold_comments_in_a_batch_of_articles_and_comments_do_not_stand_out() -> None:
    """A newsroom batch: articles (no thread or author) outnumber reader comments (thread
    and author on the provenance line); gold comments ingested as the comments were look
    like the batch's comments, which is what docs/review.md asks for. Only the most common
    style was compared, so they were said to stand out, with a fix already followed (s61
    newuser finding 2)."""
    article = "articles/a.md · document news:a, passage {} (characters 0–90)"
    comment = (
        "comments.jsonl line {0} · document news:c{0}, passage 0 · thread_id: t1 · author: user_{0}"
    )
    regular = [_task(f"p_a{i}", "news:a", article.format(i)) for i in range(12)]
    regular += [_task(f"p_c{i}", f"news:c{i}", comment.format(i)) for i in range(8)]
    gold = [_task(f"p_g{i}", f"news:c{50 + i}", comment.format(50 + i)) for i in range(3)]
    assert gold_tells(gold, regular).unlike_context == 0
    # a style that fewer regular tasks show than gold ones still gives the gold away
    few = regular[:12] + regular[12:14]
    assert gold_tells(gold, few).unlike_context == 3


def test_gold_half_of_a_style_stands_out_however_many_regular_tasks_share_it() -> None:
    """reader61 #4: the rule "fewer regular tasks show the style than gold ones" had a
    cliff: 20 gold comments beside 20 regular ones (and 200 articles) were no tell, 21
    were; a reviewer who sees a comment there meets gold half the time against 8 % in
    the push. A single gold task of a style many regular tasks share is still none."""
    article = "articles/a.md · document news:a, passage {} (characters 0–90)"
    comment = (
        "comments.jsonl line {0} · document news:c{0}, passage 0 · thread_id: t1 · author: user_{0}"
    )
    regular = [_task(f"p_a{i}", "news:a", article.format(i)) for i in range(200)]
    regular += [_task(f"p_c{i}", f"news:c{i}", comment.format(i)) for i in range(20)]
    gold = [_task(f"p_g{i}", f"news:c{500 + i}", comment.format(500 + i)) for i in range(20)]
    assert gold_tells(gold, regular).unlike_context == 20
    assert gold_tells(gold[:10], regular).unlike_context == 10  # a third of the comments
    assert gold_tells(gold[:1], regular).unlike_context == 0  # 1 of 21 comments
    assert gold_tells(gold[:1], regular[:20] + regular[200:]).unlike_context == 0
