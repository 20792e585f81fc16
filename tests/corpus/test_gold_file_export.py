"""audit49 A14: the gold passages (the known-answer tasks mixed into reviewers' queues)
were nowhere in an export but as ids and answers in agreement.json: an auditor could not
see what reviewers were tested on. Export writes them to gold.jsonl (text, expected
answer, every reviewer's answer with its Label Studio ids, provenance), in no split,
listed in the manifest and the report, and masked by --redact as the corpus rows are."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.audit.redact import RedactionSettings
from annotate.corpus.export import export
from annotate.review.gold import GOLD_META_KEY
from tests.audit.fakes import PERSONAL, THREAT, FakeStudio, reviewed_tasks


def _gold_tasks() -> list[dict]:
    tasks = reviewed_tasks()
    for t in tasks:
        if t["data"]["text"] in (PERSONAL, THREAT):
            t["meta"] = {GOLD_META_KEY: {"labels": ["violent_threat"], "severity": "high"}}
    return tasks


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _split_ids(out: Path) -> set[str]:
    return {r["id"] for f in (out / "jsonl").glob("*.jsonl") for r in _lines(f)}


def test_gold_passages_are_exported_beside_the_corpus_not_in_it(tmp_path: Path) -> None:
    tasks = _gold_tasks()
    gold_tasks = sorted((t for t in tasks if "meta" in t), key=lambda t: t["data"]["passage_id"])
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    lines = _lines(out / "gold.jsonl")
    assert [g["id"] for g in lines] == [t["data"]["passage_id"] for t in gold_tasks]
    assert not {g["id"] for g in lines} & _split_ids(out)
    for line, task in zip(lines, gold_tasks, strict=True):
        assert line["text"] == task["data"]["text"]
        assert line["doc_id"] == task["data"]["doc_id"]
        assert line["source"] == task["data"]["source"] and line["start"] is not None
        assert line["gold"] == {
            "labels": ["violent_threat"],
            "severity": "high",
            "also_regular": False,
        }
        assert line["ls_tasks"] == [{"project_id": 7, "task_id": task["id"]}]
        got = sorted(
            (a["ls_project_id"], a["ls_task_id"], a["ls_annotation_id"]) for a in line["answers"]
        )
        assert got == sorted((7, task["id"], a["id"]) for a in task["annotations"])
        for a in line["answers"]:
            assert a["reviewer"].startswith("r-") and a["created_at"]
            assert a["exact"] == (set(a["categories"]) == {"violent_threat"})
        assert "labels" not in line and "split" not in line and "resolution" not in line
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["gold_file"]["file"] == "gold.jsonl"
    assert manifest["gold_file"]["passages"] == 2
    assert manifest["gold_file"]["answers"] == sum(len(t["annotations"]) for t in gold_tasks)
    assert "gold.jsonl" in manifest["files"]
    report = (out / "report" / "report.md").read_text()
    said = "What reviewers were tested on is in `gold.jsonl` (2 gold passage(s), in no split)"
    assert said in report, report


def test_no_gold_no_file(tmp_path: Path) -> None:
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    assert not (out / "gold.jsonl").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["gold_file"]["file"] is None and manifest["gold_file"]["passages"] == 0


def test_redact_masks_the_gold_file_as_the_rows(tmp_path: Path) -> None:
    tasks = _gold_tasks()
    personal = next(t["data"]["passage_id"] for t in tasks if t["data"]["text"] == PERSONAL)
    # a near-duplicate group named after a passage near the masked text, not exported:
    # its id (a hash of that text) would confirm a guess, as for the corpus rows
    next(t for t in tasks if t["data"]["text"] == PERSONAL)["data"]["near_dup_group"] = "p_near"
    out = tmp_path / "c"
    export(  # type: ignore[arg-type]
        "p", out, client=FakeStudio(tasks), salt="s", redact=RedactionSettings(),
        id_key=tmp_path / "key", id_map=tmp_path / "map.jsonl",
    )  # fmt: skip
    text = (out / "gold.jsonl").read_text(encoding="utf-8")
    assert "jane.roe@example.com" not in text and "7946" not in text
    assert personal not in text  # its id is made from the text: pseudonymised
    assert "p_near" not in text
    (masked,) = [g for g in _lines(out / "gold.jsonl") if "[EMAIL" in g["text"]]
    assert masked["id"].startswith("pp_")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["gold_file"]["masked_at_export"]["rows_with_a_placeholder"] >= 1
    assert personal not in (out / "manifest.json").read_text()


def test_personal_data_in_the_gold_file_is_counted_without_redact(tmp_path: Path) -> None:
    """An export without --redact counted what --redact would mask in the corpus rows
    only: a gold passage holding an address, a phone number, a handle and a user URL was
    in gold.jsonl unmentioned (no count, no warning, nothing in the report)."""
    from annotate.cli.export import personal_data_warning

    tasks = _gold_tasks()
    personal = next(t["data"]["passage_id"] for t in tasks if t["data"]["text"] == PERSONAL)
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    assert PERSONAL in (out / "gold.jsonl").read_text(encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text())
    held = manifest["gold_file"]["rows_with_personal_data"]
    assert held["rows"] == 1 and held["passages"] == [personal]
    assert {k: n for k, n in held["fields"]["text"].items() if n} == {
        "email": 1,
        "phone": 1,
        "user_url": 1,
        "handle": 1,
    }
    said: list[str] = []
    personal_data_warning(manifest["redaction"], said.append, manifest["gold_file"])
    (warning,) = said
    assert "1 gold passage(s) in gold.jsonl hold personal data that --redact would mask" in (
        warning
    ), warning
    assert "gold passages per field and kind: text: email 1, phone 1, user url 1, handle 1" in (
        warning
    ), warning
    assert "gold_file.rows_with_personal_data" in warning
    report = " ".join((out / "report" / "report.md").read_text().split())
    assert "**1 of them hold personal data that `--redact` would mask**" in report, report
    for secret in ("jane.roe@example.com", "7946", "jane_roe99"):
        assert secret not in json.dumps(manifest) and secret not in warning


def test_a_redacted_export_says_what_it_masked_in_the_gold_file(tmp_path: Path) -> None:
    out = tmp_path / "c"
    export(  # type: ignore[arg-type]
        "p", out, client=FakeStudio(_gold_tasks()), salt="s", redact=RedactionSettings(),
        id_key=tmp_path / "key", id_map=tmp_path / "map.jsonl",
    )  # fmt: skip
    manifest = json.loads((out / "manifest.json").read_text())
    assert "rows_with_personal_data" not in manifest["gold_file"]  # masked instead
    report = " ".join((out / "report" / "report.md").read_text().split())
    assert "`--redact` put placeholders into 1 of them." in report, report
