"""An edited review report is named by what changed in it, not only by its file (as the
rows of an edited data file are): the decision records that differ from the rows they
name, with their fields, and the keys of agreement.json / exposure.json whose digests
differ from those the manifest records (``reports_sha256.keys``). An export made before
the per-key digests says they cannot be named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from annotate.audit.reports_digest import REPORTS_KEY, key_digests, keys_changed
from annotate.audit.verify import VerifyError, check, verify, with_digest
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("edits") / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s", decision_records=True)  # type: ignore[arg-type]
    return out


def _copy(corpus: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "copy"
    shutil.copytree(corpus, dst)
    return dst


def _said(copy: Path, rel: str) -> str:
    return " | ".join(m.what for m in check(copy).mismatches if m.path == rel)


def _edit_records(path: Path, edit: Any) -> None:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    edit(lines)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines))


def test_a_fresh_export_verifies_and_records_key_digests(corpus: Path) -> None:
    verify(corpus)
    keys = json.loads((corpus / "manifest.json").read_text())[REPORTS_KEY]["keys"]
    assert sorted(keys) == ["agreement.json", "exposure.json"]
    assert "gold" in keys["agreement.json"] and "bootstrap.seed" in keys["agreement.json"]


def test_an_edited_decision_record_is_named_with_its_fields(corpus: Path, tmp_path: Path) -> None:
    copy = _copy(corpus, tmp_path)

    def edit(records: list[dict[str, Any]]) -> None:
        records[1]["category"] = "STATEMENT_CATEGORY_SCAMS_AND_FRAUD"
        records[1]["annotate"]["labels"] = ["none"]
        records[3]["decision_facts"] = "Nothing to see."

    _edit_records(copy / "decision_records.jsonl", edit)
    ids = [
        json.loads(line)["annotate"]["passage_id"]
        for line in (copy / "decision_records.jsonl").read_text().splitlines()
    ]
    said = _said(copy, "decision_records.jsonl")
    assert (
        f"2 record(s) differ from the rows they name: {ids[1]} (category, annotate.labels), "
        f"{ids[3]} (decision_facts)"
    ) in said, said
    with pytest.raises(
        VerifyError, match=r"decision_records\.jsonl: \d+ bytes, .*2 record\(s\) differ"
    ):
        verify(copy)


def test_a_deleted_and_a_copied_record_are_named(corpus: Path, tmp_path: Path) -> None:
    copy = _copy(corpus, tmp_path)
    gone: list[str] = []

    def edit(records: list[dict[str, Any]]) -> None:
        gone.append(records.pop(0)["annotate"]["passage_id"])
        records.append(records[0])

    _edit_records(copy / "decision_records.jsonl", edit)
    said = _said(copy, "decision_records.jsonl")
    first = json.loads((copy / "decision_records.jsonl").read_text().splitlines()[0])
    assert f"lacks the record(s) of 1 row(s): {gone[0]}" in said, said
    assert "holds 1 record(s) of no row, or of a row named before (added or copied): " in said
    assert first["annotate"]["passage_id"] in said.split("copied): ")[1]


def test_an_edited_agreement_key_is_named(corpus: Path, tmp_path: Path) -> None:
    copy = _copy(corpus, tmp_path)
    path = copy / "agreement.json"
    data = json.loads(path.read_text())
    data["bootstrap"]["seed"] = 7
    data["flagged_reviewers"] = ["r-someone"]
    path.write_text(json.dumps(data, indent=2))
    said = _said(copy, "agreement.json")
    assert (
        "2 key(s) differ from the manifest's per-key digests: bootstrap.seed, flagged_reviewers"
    ) in said, said

    # an export made before the per-key digests: the file is named, and why no key is
    manifest = json.loads((copy / "manifest.json").read_text())
    del manifest[REPORTS_KEY]["keys"]
    (copy / "manifest.json").write_text(json.dumps(with_digest(manifest)))
    said = _said(copy, "agreement.json")
    assert "bytes, the manifest records" in said, said
    assert "per-key digests of it (an export made before them)" in said, said


def test_keys_changed_names_the_deepest_paths() -> None:
    before = key_digests({"a": {"b": 1, "c": [1, 2]}, "d": 2, "exported_at": "x"})
    after = key_digests({"a": {"b": 1, "c": [1, 3]}, "e": 2})
    assert "exported_at" not in before
    assert keys_changed(before, after) == ["a.c[1]", "d (removed)", "e (added)"]
