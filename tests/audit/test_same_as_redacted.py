"""`annotate verify HANDOUT --same-as ORIGINAL`, a redacted hand-out (export --redact) and
the in-house export it was made from (stop 56, compliance pass (e)): the hand-out did not
say which export it stood for, and verify refused to compare the two ("compare two exports
made alike: both with --redact, or both without"), so no one could show an auditor's copy
held the reviewed corpus. ``export --redact --original DIR`` records the original's
manifest SHA-256; verify compares the pair by what redaction keeps and names what it
cannot compare."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate._util.digest import sha256_file
from annotate.audit.redact import RedactionSettings
from annotate.cli import main
from annotate.corpus.export import export
from annotate.errors import AnnotateError
from tests.integration.helpers import choices

from .fakes import FakeStudio, reviewed_tasks


def _run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / ".annotate"))  # the pseudonym key
    plain, masked = tmp_path / "plain", tmp_path / "masked"
    export("p", plain, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    export(
        "p",
        masked,
        client=FakeStudio(reviewed_tasks()),  # type: ignore[arg-type]
        salt="s",
        redact=RedactionSettings(),
        original=plain,
    )
    return masked, plain


def test_the_handout_records_the_export_it_was_made_from(pair: tuple[Path, Path]) -> None:
    masked, plain = pair
    recorded = json.loads((masked / "manifest.json").read_text())["redaction"]
    made_from = recorded["original_export"]
    assert made_from["manifest_sha256"] == sha256_file(plain / "manifest.json")
    plain_manifest = json.loads((plain / "manifest.json").read_text())
    assert made_from["content_sha256"] == plain_manifest["content_sha256"]["sha256"]
    assert "original_export" not in plain_manifest["redaction"]


@pytest.mark.parametrize("handout_first", [True, False])
def test_verify_same_as_accepts_a_handout_and_its_original(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str], handout_first: bool
) -> None:
    masked, plain = pair
    args = [str(masked), "--same-as", str(plain)]
    if not handout_first:
        args = [str(plain), "--same-as", str(masked)]
    assert _run(["verify", *args]) == 0
    out = capsys.readouterr()
    said = " ".join((out.out + out.err).split())
    assert f"{masked} was made from {plain}" in said
    assert f"same review state: {masked} (--redact) and {plain} hold the same 5 passage(s)" in (
        said
    )
    assert "not compared: text, shown_text, title, source, meta" in said
    assert "id in 1 row(s)" in said  # the passage whose text was masked: a pseudonym


def test_verify_same_as_names_what_differs(
    pair: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    masked, _ = pair
    tasks = reviewed_tasks()
    for a in tasks[2]["annotations"]:  # the review went on: another label for doc-b-p0
        a["result"] = [choices("category", ["news_reporting"])]
    later = tmp_path / "later"
    export("p", later, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    assert _run(["verify", str(masked), "--same-as", str(later)]) == 1
    out = capsys.readouterr()
    said = " ".join((out.out + out.err).split())
    assert "records another original export" in said
    assert "hold other review states" in said and "doc-b-p0 [" in said
    assert "labels" in said


def test_original_must_be_an_unredacted_export(pair: tuple[Path, Path], tmp_path: Path) -> None:
    masked, plain = pair
    with pytest.raises(AnnotateError, match="was exported with --redact"):
        export(
            "p",
            tmp_path / "again",
            client=FakeStudio(reviewed_tasks()),  # type: ignore[arg-type]
            salt="s",
            redact=RedactionSettings(),
            original=masked,
        )
    with pytest.raises(AnnotateError, match="made without --redact"):
        export(
            "p",
            tmp_path / "plain2",
            client=FakeStudio(reviewed_tasks()),  # type: ignore[arg-type]
            salt="s",
            original=plain,
        )
