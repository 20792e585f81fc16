"""`annotate verify A --same-as B` verifies both exports, but printed only A's checksums:
an auditor comparing two exports could not check B's manifest SHA-256 against the one
recorded when B was exported, nor see B's row counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.audit.verify import sha256_file, with_digest
from annotate.cli import main
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks


def test_same_as_prints_the_other_exports_checksums(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "monday", tmp_path / "friday"
    for out in (a, b):
        export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    with pytest.raises(SystemExit) as ok:
        main(["verify", str(a), "--same-as", str(b)])
    said = " ".join(capsys.readouterr().err.split())
    assert ok.value.code == 0 and "same data" in said
    assert f"verified {b}:" in said
    assert sha256_file(b / "manifest.json") in said
    assert sha256_file(a / "manifest.json") in said


def test_a_row_with_other_content_names_the_fields_that_differ(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It named the row only: the auditor had to diff two JSON rows by hand to learn that a
    reviewer's answer (and so the resolved labels) changed, not the text or its source."""
    from annotate.audit.verify import compare
    from tests.integration.helpers import choices

    a, b = tmp_path / "monday", tmp_path / "friday"
    export("p", a, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    tasks = reviewed_tasks()
    tasks[2]["annotations"][0]["result"] = [choices("category", ["incitement"])]
    export("p", b, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    found = compare(a, b)
    assert found.differ == ["doc-b-p0"]
    fields = found.differ_fields["doc-b-p0"]
    assert {"annotations", "labels"} <= set(fields) and "text" not in fields
    assert "exported_at" not in fields
    with pytest.raises(SystemExit) as differ:
        main(["verify", str(a), "--same-as", str(b)])
    err = " ".join(capsys.readouterr().err.split())
    assert differ.value.code == 1
    assert f"doc-b-p0 [{', '.join(fields)}]" in err, err


def test_exports_of_two_projects_say_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two exports of different projects were reported as rows only in one or the other,
    as if the review had changed in between, with the fix "export again"."""
    a, b = tmp_path / "batch12", tmp_path / "batch13"
    export("p", a, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    tasks = reviewed_tasks()
    tasks[0]["annotations"][0]["result"] = []  # any difference in the rows
    export("p", b, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((b / "manifest.json").read_text())
    manifest["project"]["title"] = "Batch 13"
    (b / "manifest.json").write_text(json.dumps(with_digest(manifest)))
    with pytest.raises(SystemExit) as differ:
        main(["verify", str(a), "--same-as", str(b)])
    err = " ".join(capsys.readouterr().err.split())
    assert differ.value.code == 1
    assert "they are exports of two projects, 'p' and 'Batch 13'" in err, err


def test_a_field_one_export_lacks_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export made before a row field existed (``license``: null in every row of the
    newer one) against a newer export of the same review state: every row differs, and
    each was listed with an empty field list (``doc-a-p0 []``), the value compared as
    null on both sides. The field is named, and that one export's rows lack it."""
    from annotate.audit import verify as verify_module
    from annotate.audit.verify import VerifyResult, compare, content_sha256
    from annotate.cli.audit import _same_data

    new, old = tmp_path / "new", tmp_path / "old"
    for out in (new, old):
        export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    for path in (old / "jsonl").glob("*.jsonl"):  # the rows as an older annotate wrote them
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        assert rows == [] or all(r["license"] is None for r in rows)
        path.write_text(
            "".join(json.dumps({k: v for k, v in r.items() if k != "license"}) + "\n" for r in rows)
        )
    # both exports verify on their own (the old one against its own manifest, as written
    # then): only the comparison is under test here
    monkeypatch.setattr(
        verify_module,
        "verify",
        lambda corpus, manifest_sha256=None: VerifyResult(
            corpus=Path(corpus), content_sha256=content_sha256(Path(corpus))
        ),
    )
    found = compare(new, old)
    # absent on one side, null on the other: the same value (break8 M4), said as a column
    # the newer export gained; it was "every row with other content", "the review changed"
    assert found.differ == [] and found.only_new_columns
    assert (found.fields_only_in_a, found.fields_only_in_b) == (["license"], [])
    _same_data(new, old)
    said = " ".join("".join(capsys.readouterr()).split())
    assert f"same data: {new} and {old} hold the same rows" in said, said
    assert f"schema gained license: the rows of {new} have it, null on every row" in said, said
    # a value the older export lacks (not null) is a row with other content, and the fix
    # says what differs is the newer version's column, not that the review changed
    path = next(p for p in (new / "jsonl").glob("*.jsonl") if p.read_text().strip())
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    rows[0]["license"] = "CC-BY-4.0"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(verify_module.VerifyError) as differ:
        _same_data(new, old)
    said = str(differ.value) + " " + str(differ.value.fix)
    assert f"{rows[0]['id']} [license]" in said, said
    assert f"schema gained column license: the rows of {new} have it, those of {old}" in said
    assert "the review changed in between" not in said, said
    assert f"export {old} again with this version" in said, said
