"""Verify's split recompute re-runs this annotate's linking (reply threads, near-duplicate
search) over the rows. An export made by a version that linked them otherwise (a parent
key it did not know, other shingling) recomputed to other splits, and verify called the
valid export forged ("the rows were moved after export", rc 1: reader 62 finding 2). Now
the links found again are counted against the manifest's ``splits.reply_threads`` and
``near_duplicates.export_search``: where they differ, or the manifest counts none, the
splits are reported as not recomputed, with why."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pandas as pd
import pytest

from annotate.audit.verify import check, with_digest
from annotate.cli import main

WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
    "quebec",
    "romeo",
    "sierra",
    "tango",
]


def _export(base: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """30 comments in reply threads (a parent_id column) and 2 near-copies of one,
    ingested and exported with export's own near-duplicate search."""
    from annotate.corpus.export import export
    from annotate.ingestion import ingest
    from annotate.tables import iter_rows
    from tests.audit.fakes import FakeStudio, annotation, task
    from tests.integration.helpers import choices

    pick = random.Random(1)
    rows = []
    for i in range(30):
        text = " ".join(pick.choice(WORDS) for _ in range(25)) + "."
        rows.append({"id": f"c{i}", "text": text, "parent_id": f"c{i - 1}" if i % 5 else ""})
    for j in range(2):
        rows.append({"id": f"n{j}", "text": rows[3]["text"][:-1] + f" extra{j}.", "parent_id": ""})
    base.mkdir()
    pd.DataFrame(rows).to_csv(base / "comments.csv", index=False)
    monkeypatch.chdir(base)
    ingest(["comments.csv"], base / "passages.jsonl", min_chars=20)
    tasks = []
    for n, row in enumerate(iter_rows(base / "passages.jsonl")):
        made = task(
            100 + n,
            row["id"],
            row["text"],
            doc=row["doc_id"],
            index=row["passage_index"],
            model_labels=["news_reporting"],
            annotations=[
                annotation(
                    1000 + n, 1, [choices("category", ["news_reporting"])], minute=n, lead_time=5.0
                )
            ],
        )
        for key in ("start", "end", "source", "document_sha256", "input_file", "input_row"):
            made["data"][key] = row[key]
        for key in ("meta", "near_dup_group", "ingest_run"):
            if key in row:
                made["data"][key] = row[key]
        tasks.append(made)
    corpus = base / "corpus"
    export("p", corpus, client=FakeStudio(tasks), salt="s", near_dup_threshold=0.8)
    return corpus


def test_this_versions_export_recomputes_its_splits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _export(tmp_path / "e", monkeypatch)
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["splits"]["reply_threads"]["threads"] > 0
    assert manifest["near_duplicates"]["export_search"]["groups"] > 0
    result = check(corpus)
    assert result.ok and result.splits_unchecked == "", result


def test_an_export_linked_otherwise_is_not_called_forged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exported by a version whose parent keys lacked ``parent_id`` (no reply threads),
    verified by this one (which links 6 threads)."""
    import annotate.review.parents as parents

    known = parents.parent_key
    with monkeypatch.context() as older:
        older.setattr(parents, "parent_key", lambda k: k != "parent_id" and known(k))
        corpus = _export(tmp_path / "e", monkeypatch)
    result = check(corpus)
    assert result.ok, result.mismatches
    assert "links the rows otherwise than annotate" in result.splits_unchecked
    assert "reply threads 0 recorded, 6 now" in result.splits_unchecked


def test_a_manifest_without_thread_counts_is_not_recomputed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _export(tmp_path / "e", monkeypatch)
    path = corpus / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    del manifest["splits"]["reply_threads"]  # an export made before they were counted
    path.write_text(json.dumps(with_digest(manifest)), encoding="utf-8")
    shutil.rmtree(corpus / "report", ignore_errors=True)
    result = check(corpus)
    assert result.ok, result.mismatches
    assert "records no reply-thread counts" in result.splits_unchecked
    with pytest.raises(SystemExit) as done:
        main(["verify", str(corpus)])
    assert done.value.code in (0, None)
    said = " ".join(capsys.readouterr().err.split())
    assert "note: splits not recomputed: the manifest records no reply-thread counts" in said


def test_verify_says_the_splits_were_recomputed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reader 62 finding 7: whether the splits were recomputed was only logged."""
    corpus = _export(tmp_path / "e", monkeypatch)
    with pytest.raises(SystemExit) as done:
        main(["verify", str(corpus)])
    assert done.value.code in (0, None)
    said = " ".join(capsys.readouterr().err.split())
    rows = sum(
        json.loads((corpus / "manifest.json").read_text())["rows"][s]
        for s in ("train", "validation", "test")
    )
    assert f"splits recomputed from the manifest's seed and ratios: all {rows} rows" in said, said
