"""The same file ingested from another folder level (``ingest docs/sub`` after ``ingest
docs``) gets other document ids (``sub/ar.txt``, not ``docs/sub/ar.txt``: ids are paths
relative to what ingest was given), so other passage ids; push left its passages out as
"re-posted passages" (same text as an existing task), which they are not (passG52 G10).
Push now tells them apart: the same passage of a document whose id ends the task's (or
the task's ends it) is the same document under another id, and the summary says so, with
the fix (give ingest the same folder). Nothing is pushed twice either way."""

from __future__ import annotations

import json
from pathlib import Path

from annotate._util.passage_ids import passage_id, text_key
from annotate.cli.push import moved_documents_note
from annotate.studio.label_config import parse_label_config
from annotate.studio.staging import staging
from tests.conftest import FIXTURES

ROWS = [json.loads(x) for x in (FIXTURES / "prelabels.jsonl").read_text().splitlines() if x]


def _as(row: dict, doc: str, index: int = 0) -> dict:
    return {**row, "id": passage_id(doc, row["text"]), "doc_id": doc, "passage_index": index}


def test_the_same_document_from_another_folder_level_is_told_apart(
    taxonomy, tmp_path: Path
) -> None:
    config = parse_label_config(taxonomy.render_label_config())
    held = [_as(ROWS[1], "docs/sub/ar.txt"), _as(ROWS[2], "forum/thread-9.txt")]
    later = [_as(ROWS[1], "sub/ar.txt"), _as(ROWS[2], "other/post.txt")]
    path = tmp_path / "later.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in later))
    present = [
        (1 + i, r["id"], frozenset({"m"}), r["doc_id"], False, text_key(r["text"]), None, 0)
        for i, r in enumerate(held)
    ]
    with staging() as stage:
        stage.stage_file(path, taxonomy, config)
        stage.load_present(7, present)
        assert stage.plan() == 0
        assert stage.repost_count() == 2  # both left out, as before
        # one is the same document under another id; the other a real re-post
        assert stage.moved_documents() == (1, [("sub/ar.txt", "docs/sub/ar.txt")])


def test_the_push_summary_names_them_with_the_fix(capsys) -> None:
    moved_documents_note(4, [("sub/ar.txt", "docs/sub/ar.txt")])
    err = capsys.readouterr().err
    assert (
        "4 of the re-posted passages are the same document ingested under another id "
        "('sub/ar.txt' here, 'docs/sub/ar.txt' in the project), not a re-post"
    ) in err
    assert "give ingest the same folder each time" in err
