"""Export against a real Label Studio: two reviewers, every field checked."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pyarrow.parquet as pq
import pytest
from datasets import Dataset, load_from_disk

from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from annotate.corpus.schema import corpus_features
from annotate.errors import ExportError
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from tests.conftest import project_taxonomy
from tests.fakes import StageRecorder

from .helpers import (
    PRELABELS,
    SALT,
    answer_of,
    choices,
    comment,
    new_reviewer,
    span,
    tasks_by_passage,
)

pytestmark = pytest.mark.integration
TAX = project_taxonomy()


@pytest.fixture(scope="module")
def reviewers(studio: Any) -> tuple[int, int]:
    """The admin and a second reviewer created through the API."""
    client = StudioClient(studio)
    admin = int(client.whoami()["id"])
    return admin, new_reviewer(client)


def annotate(client: StudioClient, task_id: int, user: int, result: list[dict], **kw: Any) -> None:
    answer_of(client, task_id, user, result, **kw)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_writes_every_reviewed_field(
    client: StudioClient, project_name: str, reviewers: tuple[int, int], tmp_path: Path
) -> None:
    admin, rev = reviewers
    pushed = push(PRELABELS, project_name, client=client)
    tasks = tasks_by_passage(client, pushed.project_id)
    threat = tasks["doc-a-p1"]
    threat_text = threat["data"]["text"]
    lion = tasks["doc-b-p1"]
    lion_text = lion["data"]["text"]

    # two reviewers on the threat: categories differ on incitement (a tie), severity tie
    annotate(
        client,
        threat["id"],
        admin,
        [
            choices("category", ["violent_threat"]),
            span(threat_text, "nobody leaves alive", "threat"),
            choices("severity", ["high"]),
            comment("credible, names a place"),
        ],
        lead_time=31.5,
    )
    annotate(
        client,
        threat["id"],
        rev,
        [
            choices("category", ["violent_threat", "incitement"]),
            span(threat_text, "nobody leaves alive", "threat"),
            span(threat_text, "We will come for you", "threat"),
            choices("severity", ["critical"]),
        ],
        lead_time=12.0,
    )
    # one reviewer, a span after an astral emoji
    annotate(
        client,
        lion["id"],
        rev,
        [
            choices("category", ["extremist_propaganda"]),
            span(lion_text, "the lions have shown the way", "glorification"),
            choices("severity", ["medium"]),
        ],
        lead_time=8.25,
    )
    # both agree with the model
    annotate(client, tasks["doc-b-p0"]["id"], admin, [choices("category", ["none"])])
    annotate(client, tasks["doc-b-p0"]["id"], rev, [choices("category", ["none"])])
    # a skipped (cancelled) annotation is not a review
    annotate(client, tasks["doc-c-p0"]["id"], rev, [], was_cancelled=True)

    out = tmp_path / "corpus"
    stages = StageRecorder()
    result = export(project_name, out, client=client, salt=SALT, progress=stages)
    assert result.rows == 3 and result.reviewers == 2 and result.annotations == 5
    # progress: one project read, each task turned into a row, the bootstrap of the one
    # passage two reviewers answered, the writing steps, the near-duplicate search over
    # the exported passages; every stage ends at its total
    assert stages.units == {
        "snapshot": "project",
        "rows": "task",
        "near-duplicates": "passage",
        "agreement": "resample",
        "write": "step",
    }
    assert stages.totals == {
        "snapshot": 1,
        "rows": 3,
        "near-duplicates": 3,
        "agreement": 1000 * (len(TAX.category_names) + 1),
        "write": 7,
    }
    assert stages.done == stages.totals

    rows = {
        r["id"]: r
        for s in ("train", "validation", "test")
        for r in read_jsonl(out / "jsonl" / f"{s}.jsonl")
    }
    assert set(rows) == {"doc-a-p1", "doc-b-p1", "doc-b-p0"}

    r = rows["doc-a-p1"]
    cp = threat_text.index("nobody leaves alive")
    cp2 = threat_text.index("We will come for you")
    threat_span = {"start": cp, "end": cp + 19, "label": "threat", "text": "nobody leaves alive"}
    assert r["text"] == threat_text
    assert (r["doc_id"], r["title"], r["source"], r["date"]) == (
        "doc-a",
        "Title of doc-a",
        "https://example.org/doc-a",
        "2026-05-01",
    )
    assert (r["start"], r["end"], r["passage_index"]) == (80, 80 + len(threat_text), 1)
    assert r["n_reviewers"] == 2
    by_reviewer = {a["reviewer"]: a for a in r["annotations"]}
    a_admin = by_reviewer[pseudonym(admin, SALT)]
    a_rev = by_reviewer[pseudonym(rev, SALT)]
    assert a_admin["categories"] == ["violent_threat"]
    assert a_admin["spans"] == [threat_span]
    assert a_admin["severity"] == "high" and a_admin["comment"] == "credible, names a place"
    assert a_admin["lead_time"] == 31.5 and a_admin["agrees_with_model"] is False
    assert a_admin["created_at"] and a_admin["updated_at"]
    # each answer written by the account it is credited to (the reviewer's made logged in
    # as them: helpers.answer_of), so none is marked as another account's (passM55 #1)
    assert a_admin.get("written_by") is None and a_rev.get("written_by") is None
    assert a_rev["categories"] == ["violent_threat", "incitement"]
    assert a_rev["spans"] == [
        {"start": cp2, "end": cp2 + 20, "label": "threat", "text": "We will come for you"},
        threat_span,
    ]
    assert a_rev["severity"] == "critical" and a_rev["comment"] == ""
    # same categories as the model, but an extra span: not agreeing
    assert a_rev["lead_time"] == 12.0 and a_rev["agrees_with_model"] is False
    assert a_rev["model_version"] == a_admin["model_version"] == "fixture-model-1"
    assert r["labels"] == ["violent_threat"] and r["label_tie"] is True
    assert r["severity"] == "critical"  # tie -> the highest
    assert r["spans"] == [threat_span]  # only the span both marked
    assert r["model_labels"] == ["violent_threat", "incitement"]
    assert r["model_severity"] == ""  # no severity suggested for a harmful passage (F19)
    assert r["model_spans"] == [threat_span]
    assert r["model_scores"]["violent_threat"] == pytest.approx(0.97)
    assert r["model_agreed"] is False
    assert r["model_version"] == "fixture-model-1"
    assert r["taxonomy_version"] == TAX.version
    assert r["ls_task_id"] == threat["id"]
    assert r["first_annotated_at"] == min(a["created_at"] for a in r["annotations"])
    assert r["last_annotated_at"] == max(a["updated_at"] for a in r["annotations"])
    assert "exported_at" not in r  # the manifest's: a re-export of this state is the same rows

    r = rows["doc-b-p1"]
    cp = lion_text.index("the lions have shown the way")
    assert "🦁" in lion_text[:cp]
    assert r["spans"] == [
        {
            "start": cp,
            "end": cp + 28,
            "label": "glorification",
            "text": "the lions have shown the way",
        }
    ]
    assert r["labels"] == ["extremist_propaganda"] and r["label_tie"] is False
    # the model suggests no severity for a harmful passage (stop 48 F19; it said "low"
    # before): the reviewer's severity cannot disagree with it
    assert r["severity"] == "medium" and r["model_severity"] == ""
    assert r["model_agreed"] is True and r["model_spans"] == r["spans"]
    assert r["annotations"][0]["lead_time"] == 8.25

    r = rows["doc-b-p0"]
    assert r["labels"] == ["none"] and r["model_agreed"] is True and r["n_reviewers"] == 2
    assert all(a["agrees_with_model"] for a in r["annotations"]) and r["severity"] == ""

    # a document never spans two splits
    assert rows["doc-b-p1"]["split"] == rows["doc-b-p0"]["split"]

    # the HF DatasetDict and Parquet hold the same rows with ClassLabel features
    dsd = load_from_disk(str(out / "hf"))
    features = corpus_features(TAX)
    total = 0
    for split, ds in dsd.items():
        assert ds.features == features
        total += len(ds)
        parquet = out / "parquet" / f"{split}.parquet"
        assert pq.read_table(parquet).num_rows == len(ds)
        if len(ds):
            pq_ds = Dataset.from_parquet(str(parquet))
            assert pq_ds.features == features
            assert pq_ds.to_list() == ds.to_list()
        names = features["labels"].feature
        for row in ds:
            want = rows[row["id"]]
            assert [names.int2str(i) for i in row["labels"]] == want["labels"]
            assert features["split"].int2str(row["split"]) == split == want["split"]
            assert row["annotations"][0]["reviewer"] == want["annotations"][0]["reviewer"]
    assert total == 3

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["rows"]["total"] == 3 == manifest["tasks_annotated_in_label_studio"]
    assert manifest["taxonomy"]["version"] == TAX.version
    assert manifest["model_versions"] == ["fixture-model-1"]
    assert manifest["review"]["answers_written_by_another_account"]["answers"] == 0
    # the server's own release (1.23.2 for the one `annotate studio start` installs; another
    # with ANNOTATE_STUDIO_VENV pointing at an older Label Studio)
    served = httpx.get(f"{client.url}/api/version", timeout=30).json()["release"]
    assert manifest["versions"]["label_studio_server"] == served
    assert served.count(".") == 2
    written = {  # report/ is derived from these files and not in the manifest
        str(p.relative_to(out))
        for p in out.rglob("*")
        if p.is_file() and p.relative_to(out).parts[0] != "report"
    } - {"manifest.json"}
    assert (out / "report" / "report.html").is_file()
    assert set(manifest["files"]) == written
    for rel, meta in manifest["files"].items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == meta["sha256"]
    assert pq.read_table(out / "parquet" / "train.parquet").num_rows == manifest["rows"]["train"]

    # the same review state exported a second later: the same data files, another manifest
    from annotate.audit.verify import compare

    time.sleep(1.1)  # exported_at has a resolution of one second
    twin = export(project_name, tmp_path / "twin", client=client, salt=SALT)
    assert twin.manifest["exported_at"] != manifest["exported_at"]
    assert twin.manifest["files"] == manifest["files"]
    assert twin.manifest["content_sha256"] == manifest["content_sha256"]
    assert compare(out, tmp_path / "twin").same

    # a task annotated after the first export appears in the next one (same --out)
    graphic = tasks["doc-c-p1"]
    annotate(client, graphic["id"], admin, [choices("category", ["graphic_violence"])])
    again = export(project_name, out, client=client, salt=SALT)
    assert again.rows == 4
    ids = {
        r["id"]
        for s in ("train", "validation", "test")
        for r in read_jsonl(out / "jsonl" / f"{s}.jsonl")
    }
    assert "doc-c-p1" in ids
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_export_fails_whole_when_counts_differ(
    client: StudioClient,
    project_name: str,
    reviewers: tuple[int, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pushed = push(PRELABELS, project_name, client=client)
    task = next(iter(tasks_by_passage(client, pushed.project_id).values()))
    annotate(client, task["id"], reviewers[0], [choices("category", ["none"])])
    assert client.count_annotated_tasks(pushed.project_id) == 1
    monkeypatch.setattr(client, "count_annotated_tasks", lambda project_id: 2)
    out = tmp_path / "corpus"
    with pytest.raises(ExportError, match="reports 2 annotated task"):
        export(project_name, out, client=client, salt=SALT)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_export_of_a_project_with_no_reviews_is_empty_but_complete(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    pushed = push(PRELABELS, project_name, client=client)
    result = export(project_name, tmp_path / "c", client=client, salt=SALT)
    assert result.rows == 0
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["rows"]["total"] == 0
    # the server's task list says every pushed task is still open
    assert manifest["tasks_unanswered_in_label_studio"] == pushed.created > 0
