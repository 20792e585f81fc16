"""The audit report of a reviewed project exported from a real Label Studio."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from annotate.audit.report import HIGH_OWN_LINE, HIGH_RESOLVED_LINE
from annotate.audit.verify import VerifyError, verify
from annotate.corpus.export import export
from annotate.corpus.schema import corpus_features
from annotate.studio.client import StudioClient
from annotate.studio.push import push

from ..audit.browser import chromium, page_state
from ..audit.span_recount import recount
from .helpers import (
    PRELABELS,
    SALT,
    TAX,
    answer_of,
    choices,
    comment,
    new_reviewer,
    span,
    tasks_by_passage,
)

pytestmark = pytest.mark.integration


def _user(client: StudioClient) -> int:
    return new_reviewer(client)


def _parquet_rows(out: Path) -> list[dict[str, Any]]:
    """The exported rows read from Parquet (ClassLabel ids decoded), not from the JSONL."""
    features = corpus_features(TAX)
    cats = features["labels"].feature
    rows = []
    for split in ("train", "validation", "test"):
        for row in pq.read_table(out / "parquet" / f"{split}.parquet").to_pylist():
            row["labels"] = [cats.int2str(i) for i in row["labels"]]
            row["model_labels"] = [cats.int2str(i) for i in row["model_labels"]]
            row["split"] = split
            rows.append(row)
    return rows


def test_report_of_a_reviewed_project(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    admin = int(client.whoami()["id"])
    rev2, rev3 = _user(client), _user(client)
    pushed = push(PRELABELS, project_name, client=client)
    tasks = tasks_by_passage(client, pushed.project_id)

    def ann(passage: str, user: int, result: list[dict[str, Any]], **kw: Any) -> None:
        answer_of(client, tasks[passage]["id"], user, result, **kw)

    threat = tasks["doc-a-p1"]["data"]["text"]
    for user, cats, sev, lead, evidence in (
        (admin, ["violent_threat"], "high", 31.5, "nobody leaves alive"),
        (rev2, ["violent_threat", "incitement"], "critical", 12.0, "nobody leaves alive"),
        (rev3, ["violent_threat"], "high", 20.0, "leaves alive"),  # overlaps, not exact
    ):
        ann(
            "doc-a-p1",
            user,
            [
                choices("category", cats),
                span(threat, evidence, "threat"),
                choices("severity", [sev]),
            ],
            lead_time=lead,
        )
    ann("doc-b-p0", admin, [choices("category", ["none"])], lead_time=4.0, ground_truth=True)
    ann("doc-b-p0", rev3, [choices("category", ["none"])], lead_time=6.0)
    ann("doc-a-p0", rev2, [choices("category", ["news_reporting"])], lead_time=9.0)
    ann(
        "doc-c-p1",
        rev3,
        [choices("category", ["graphic_violence"]), choices("severity", ["medium"])],
        lead_time=50.0,
    )

    out = tmp_path / "corpus"
    result = export(project_name, out, client=client, salt=SALT)
    assert result.rows == 4 and result.reviewers == 3 and result.annotations == 7
    verify(out)

    report = out / "report"
    numbers = json.loads((report / "report.json").read_text())
    rows = _parquet_rows(out)
    c = numbers["counts"]
    assert c["passages"] == len(rows) == 4
    assert c["annotations"] == sum(len(r["annotations"]) for r in rows) == 7
    for cat in TAX.category_names:
        assert c["by_category"][cat] == sum(cat in r["labels"] for r in rows), cat
    for sev in TAX.severity_names:
        assert c["by_severity"][sev] == sum(r["severity"] == sev for r in rows), sev
    assert c["by_source"] == {"example.org": 4}
    mv = numbers["model_vs_human"]["fixture-model-1"]
    assert mv["passages"] == 4 and mv["exact_agreement"] == sum(r["model_agreed"] for r in rows)
    for cat in TAX.category_names:
        tp = sum(cat in r["labels"] and cat in r["model_labels"] for r in rows)
        fp = sum(cat not in r["labels"] and cat in r["model_labels"] for r in rows)
        assert (mv["categories"][cat]["tp"], mv["categories"][cat]["fp"]) == (tp, fp), cat
    per_reviewer: dict[str, int] = {}
    for r in rows:
        for a in r["annotations"]:
            per_reviewer[a["reviewer"]] = per_reviewer.get(a["reviewer"], 0) + 1
    assert {k: v["annotations"] for k, v in numbers["workload"].items()} == per_reviewer
    assert sorted(per_reviewer.values()) == [2, 2, 3]
    leads = sorted(a["lead_time"] for r in rows for a in r["annotations"])
    assert numbers["lead_time"]["n"] == 7 and numbers["lead_time"]["max"] == max(leads) == 50.0
    assert numbers["lead_time"]["median"] == leads[3]
    for split in ("train", "validation", "test"):
        assert numbers["splits"]["sizes"][split] == sum(r["split"] == split for r in rows)
    assert numbers["splits"]["leakage"]["documents_in_several_splits"] == []
    assert numbers["versions"]["model_versions_in_rows"] == {"fixture-model-1": 4}
    assert numbers["versions"]["taxonomy"]["version"] == TAX.version
    assert numbers["checksums"]["verified"] is True
    manifest = json.loads((out / "manifest.json").read_text())
    assert numbers["checksums"]["files"] == manifest["files"]

    # evidence spans: pairwise F1 between reviewers, recounted with pandas from the rows
    jsonl = [
        json.loads(line)
        for p in sorted((out / "jsonl").glob("*.jsonl"))
        for line in p.read_text(encoding="utf-8").splitlines()
    ]
    want, spans = recount(jsonl), numbers["span_agreement"]
    assert want["threat"] == {"f1_exact": round(2 / 6, 4), "f1_overlap": 1.0,
                              "n_passages": 1, "n_pairs": 3}  # fmt: skip
    assert {k: spans["labels"]["threat"][k] for k in want["threat"]} == want["threat"]
    assert {k: spans["overall"][k] for k in want["all"]} == want["all"]
    assert json.loads((out / "agreement.json").read_text())["spans"] == spans
    md = (report / "report.md").read_text()
    assert f"{len(rows)} reviewed passages" in md
    assert "| threat | 0.333 | 1.000 | 1 | 3 | 6 |" in md
    assert HIGH_RESOLVED_LINE in md and HIGH_OWN_LINE in md
    assert f"| violent_threat | {c['by_category']['violent_threat']} |" in md
    pngs = sorted((report / "figures").glob("*.png"))
    assert len(pngs) == 6 and all(p.stat().st_size > 1000 for p in pngs)
    assert not any("report/" in f for f in manifest["files"])

    if chromium() is None:
        pytest.skip("chromium is not installed (make test installs it): HTML not opened")
    state = page_state(report / "report.html")
    assert state["readyState"] == "complete" and project_name in state["title"]
    assert len(state["images"]) == 6
    assert [i["src"] for i in state["images"] if not i["naturalWidth"]] == []

    # one changed byte: verify names the file
    target = out / "jsonl" / f"{rows[0]['split']}.jsonl"
    data = bytearray(target.read_bytes())
    data[10] ^= 1
    target.write_bytes(bytes(data))
    with pytest.raises(VerifyError, match=f"jsonl/{rows[0]['split']}.jsonl"):
        verify(out)


def test_redacted_export_with_decision_records(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    """Personal data in texts, titles, sources and comments never reaches the export."""
    from annotate.audit.passage_pseudonyms import load_key, pseudonym
    from annotate.audit.redact import RedactionSettings
    from annotate.audit.verify import compare

    from ..audit.fakes import PERSONAL

    base = json.loads(PRELABELS.read_text(encoding="utf-8").splitlines()[0])
    line = {
        **base,
        "id": "doc-p-p0",
        "doc_id": "doc-p",
        "text": PERSONAL,
        "title": "Post by @jane_roe99",
        "source": "https://twitter.com/janeroe99/status/1234567890",
        "start": 0,
        "end": len(PERSONAL),
        "labels": ["incitement"],
        "spans": [],
    }
    prelabels = tmp_path / "prelabels.jsonl"
    prelabels.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    pushed = push(prelabels, project_name, client=client)
    task = tasks_by_passage(client, pushed.project_id)["doc-p-p0"]
    admin = int(client.whoami()["id"])
    client.sdk.annotations.create(
        id=task["id"],
        completed_by=admin,
        result=[
            choices("category", ["incitement"]),
            span(PERSONAL, "kill them all", "call_to_violence"),
            span(PERSONAL, "jane.roe@example.com", "threat"),
            comment("reported by john.smith@example.net, phone 020 7946 0018"),
        ],
    )
    out = tmp_path / "corpus"
    key, id_map = tmp_path / "exporter" / "key", tmp_path / "exporter" / "map.jsonl"
    for folder in (out, tmp_path / "again"):  # the same state twice, with one key
        export(
            project_name,
            folder,
            client=client,
            salt=SALT,
            redact=RedactionSettings(),
            decision_records=True,
            id_key=key,
            id_map=id_map,
        )
    verify(out)
    same = compare(out, tmp_path / "again")
    assert same.same, (same.differ, same.reports_differ, same.report_differs)
    # the ingest id is a hash of the unmasked text: a keyed pseudonym replaces it everywhere
    secrets = ["jane.roe@example.com", "7946 0958", "jane_roe99", "janeroe99",
               "john.smith@example.net", "7946 0018", "doc-p-p0"]  # fmt: skip
    for path in (p for p in out.rglob("*") if p.is_file()):
        if path.suffix == ".parquet":
            content = json.dumps(pq.read_table(path).to_pylist(), ensure_ascii=False, default=str)
        elif path.suffix == ".arrow":
            import pyarrow as pa

            with pa.memory_map(str(path)) as src:
                table = pa.ipc.open_stream(src).read_all()
            content = json.dumps(table.to_pylist(), ensure_ascii=False, default=str)
        else:
            content = path.read_bytes().decode("utf-8", errors="replace")
        for secret in secrets:
            assert secret not in content, f"{secret!r} in {path.relative_to(out)}"
    rows = _parquet_rows(out)
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == pseudonym(load_key(key), "doc-p-p0")
    (mapped,) = [json.loads(x) for x in id_map.read_text(encoding="utf-8").splitlines()]
    assert (mapped["pseudonym"], mapped["passage_id"]) == (row["id"], "doc-p-p0")
    for s in [*row["spans"], *row["annotations"][0]["spans"]]:
        assert row["text"][s["start"] : s["end"]] == s["text"]
    assert {s["text"] for s in row["annotations"][0]["spans"]} == {"kill them all", "[EMAIL-1]"}
    records = (out / "decision_records.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(records[0])
    assert len(records) == 1 and record["category"] == "STATEMENT_CATEGORY_VIOLENCE"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["redaction"]["ran"] is True and manifest["decision_records"]["rows"] == 1
