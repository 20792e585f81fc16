"""A later batch's near-copy (``ingest --previous``) names an earlier passage as its
``near_dup_group``; the earlier passage itself has no group. Export must still keep the
two documents in one split group (also with ``--no-near-dups``) and name the group when
it spans two splits."""

from __future__ import annotations

from annotate.corpus.export import near_dup_report
from annotate.corpus.splits import ingest_group_column, leakage_groups
from tests.corpus.test_export_near_dups import _report

ROWS = [
    # week 1: reviewed before any near-copy existed, so no group
    {"id": "p_week1", "doc_id": "week1-post", "near_dup_group": None, "text": "a"},
    # week 2: ingest --previous week1.jsonl gave it the earlier passage's id
    {"id": "p_week2", "doc_id": "week2-repost", "near_dup_group": "p_week1", "text": "a"},
    {"id": "p_other", "doc_id": "zz-other", "near_dup_group": None, "text": "b"},
]


def test_a_near_copy_of_an_earlier_batch_shares_the_earlier_documents_split_group():
    docs = [r["doc_id"] for r in ROWS]
    groups = leakage_groups(docs, ingest_group_column(ROWS))
    assert groups[0] == groups[1] == "week1-post"
    assert groups[2] == "zz-other"


def test_export_search_does_not_claim_links_ingest_already_made():
    found = [None, None, None]  # export's own search found nothing more
    report = _report(ROWS, found)
    assert report["documents_linked_beyond_ingest"] == 0
    # what export's search finds in addition is still counted
    found = ["p_week1", "p_week1", "p_week1"]
    assert _report(ROWS, found)["documents_linked_beyond_ingest"] == 1


def test_a_group_across_batches_in_two_splits_is_named():
    report = near_dup_report(ROWS, ["train", "test", "train"])
    assert report["cross_split_groups"] == {"p_week1": ["test", "train"]}
    assert report["groups"] == 1 and report["passages"] == 2
