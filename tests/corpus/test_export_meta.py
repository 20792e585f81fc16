"""A document's other columns (ingest keeps them in ``meta``: a forum export's channel,
the article URL of a news comment, ...) reached the Label Studio task but not the
exported corpus: a comment's article URL, kept only in ``meta``, was lost to the ML
engineer and the auditor. Export now keeps ``meta`` per row (in the schema, so Parquet and
HF hold it too), and ``export --redact`` masks its string values as ingest --redact does."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from annotate.audit.redact import RedactionSettings
from annotate.audit.verify import verify
from annotate.corpus.export import export
from annotate.corpus.schema import corpus_features
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import FakeStudio, reviewed_tasks

META = {"article_url": "https://news.example.com/a/port-strike", "channel": "sports"}


def _rows(corpus: Path) -> dict[str, dict]:
    return {
        r["id"]: r
        for f in sorted((corpus / "jsonl").glob("*.jsonl"))
        for r in (json.loads(line) for line in f.read_text().splitlines())
    }


def test_export_keeps_the_documents_meta_in_every_format(tmp_path: Path) -> None:
    assert "meta" in corpus_features(load_taxonomy())
    tasks = copy.deepcopy(reviewed_tasks())
    tasks[0]["data"]["meta"] = json.dumps(META, sort_keys=True)  # as push puts it in the task
    export("p", tmp_path / "c", client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    rows = _rows(tmp_path / "c")
    first = str(tasks[0]["data"]["passage_id"])
    assert json.loads(rows[first]["meta"]) == META
    assert all(r["meta"] is None for pid, r in rows.items() if pid != first)  # none: null
    verify(tmp_path / "c")  # Parquet and HF hold the same column


def test_export_redact_masks_the_meta_strings(tmp_path: Path) -> None:
    tasks = copy.deepcopy(reviewed_tasks())
    meta = {**META, "author": {"email": "jane.roe@example.com", "karma": 3}}
    tasks[0]["data"]["meta"] = json.dumps(meta, sort_keys=True)
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(tasks), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    got = json.loads(_rows(out)[str(tasks[0]["data"]["passage_id"])]["meta"])
    assert got["author"] == {"email": "[EMAIL-1]", "karma": 3} and got["channel"] == "sports"
    verify(out)


def test_export_redact_masks_the_keys_of_nested_meta_objects(tmp_path: Path) -> None:
    """A nested object keyed by people (a post's reactions by e-mail) leaked them under
    --redact: only string values were masked. Keys masked alike keep both values."""
    tasks = copy.deepcopy(reviewed_tasks())
    who = {"jane.roe@example.com": "like", "bob.poe@example.org": "love"}
    tasks[0]["data"]["meta"] = json.dumps({"@timestamp": "2026-01-02", "reactions": who})
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(tasks), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    for f in out.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            assert b"jane.roe" not in data and b"bob.poe" not in data, f
    got = json.loads(_rows(out)[str(tasks[0]["data"]["passage_id"])]["meta"])
    assert sorted(got["reactions"].values()) == ["like", "love"], got  # both kept
    assert "@timestamp" in got, got  # a column name stays
    verify(out)


def test_export_writes_a_meta_object_as_json(tmp_path: Path) -> None:
    """A task whose ``meta`` is an object, not JSON text (made by hand or by another tool),
    was exported as Python's repr (``{'channel': 'sports'}``), which no JSON reader parses;
    an empty object as ``{}``. Now JSON, and an empty one none."""
    tasks = copy.deepcopy(reviewed_tasks())
    tasks[0]["data"]["meta"] = dict(META)
    tasks[1]["data"]["meta"] = {}
    export("p", tmp_path / "c", client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    rows = _rows(tmp_path / "c")
    assert json.loads(rows[str(tasks[0]["data"]["passage_id"])]["meta"]) == META
    assert rows[str(tasks[1]["data"]["passage_id"])]["meta"] is None


def test_export_redact_masks_numbers_in_meta(tmp_path: Path) -> None:
    """A phone number a table kept as a number (at the top, under a masked key, in nested
    lists) leaked through export --redact: only strings were masked."""
    tasks = copy.deepcopy(reviewed_tasks())
    meta = {
        "phone": 4155552671,
        "reactions": {"jane.roe@example.com": 14155552671},
        "calls": [[2125550198, 3]],
        "karma": 3,
    }
    tasks[0]["data"]["meta"] = json.dumps(meta)
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(tasks), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    for f in out.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            for secret in (b"4155552671", b"2125550198", b"jane.roe"):
                assert secret not in data, (f, secret)
    got = json.loads(_rows(out)[str(tasks[0]["data"]["passage_id"])]["meta"])
    assert got == {
        "phone": "[PHONE-1]",
        "reactions": {"[EMAIL-1]": "[PHONE-1]"},  # the same number, with its country code
        "calls": [["[PHONE-2]", 3]],
        "karma": 3,
    }
    verify(out)
