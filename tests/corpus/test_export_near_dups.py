"""Export's own near-duplicate search links passages that no one ingest saw together."""

from __future__ import annotations

from annotate.corpus.export_near_dups import export_near_dup_groups, export_search_report
from annotate.corpus.splits import ingest_group_column, leakage_groups

STATEMENT = (
    "The council confirmed on Tuesday that the footbridge over the river will stay closed "
    "for repairs until the end of the month while engineers replace the rusted railings."
)
REPOST = STATEMENT.replace("railings", "handrails")  # a near-copy in a later batch
OTHER = "Our choir is looking for tenors for the winter concert; rehearsals start in October."


def _report(rows, found, threshold=0.8):
    """export_search_report as export calls it: the rows' split groups without and with
    the search's."""
    docs = [str(r["doc_id"] or r["id"]) for r in rows]
    ingest = ingest_group_column(rows)
    return export_search_report(
        docs, leakage_groups(docs, ingest), leakage_groups(docs, ingest, found), found, threshold
    )


def _row(pid: str, doc: str, text: str, group: str | None = None) -> dict:
    return {"id": pid, "doc_id": doc, "text": text, "near_dup_group": group}


def test_a_near_copy_from_another_ingest_run_is_grouped_with_its_original() -> None:
    rows = [
        _row("a-p0", "a", STATEMENT),
        _row("a-p1", "a", OTHER),
        _row("b-p0", "b", REPOST),
        _row("c-p0", "c", OTHER + " Bring your own music."),
    ]
    found = export_near_dup_groups(rows, 0.8)
    assert found[0] == found[2] == "a-p0"
    assert found[1] is None and found[3] is None  # a short passage changed by 4 words: below 0.8
    docs = [r["doc_id"] for r in rows]
    assert leakage_groups(docs, [None] * 4, found) == ["a", "a", "a", "c"]
    report = _report(rows, found)
    assert report == {
        "threshold": 0.8,
        "groups": 1,
        "passages": 2,
        "documents_linked_beyond_ingest": 1,
    }


def test_links_ingest_already_made_are_not_counted_as_new() -> None:
    rows = [_row("a-p0", "a", STATEMENT, "a-p0"), _row("b-p0", "b", REPOST, "a-p0")]
    found = export_near_dup_groups(rows, 0.8)
    assert found == ["a-p0", "a-p0"]
    assert _report(rows, found)["documents_linked_beyond_ingest"] == 0


def test_passages_of_one_document_are_never_a_group() -> None:
    rows = [_row("a-p0", "a", STATEMENT), _row("a-p1", "a", STATEMENT)]
    assert export_near_dup_groups(rows, 0.8) == [None, None]
