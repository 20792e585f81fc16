"""`annotate verify` parses each JSONL file of an export once for all its checks of the
rows (content digest, formats side by side, offsets, split recompute: four reads of the
largest files before, issue 11), and reports progress on its long steps: the files
hashed, the rows read and the near-duplicate search the split recompute repeats."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import annotate.audit.formats as formats
from annotate.audit import offsets_fit, rows_read, splits_fit, verify
from annotate.audit.verify import check, content_sha256
from annotate.cli import main
from annotate.corpus.export import export
from annotate.ingestion import ingest
from tests.audit.fakes import FakeStudio
from tests.audit.test_verify_sources import (
    _inputs,
    _tasks,
    exported,  # noqa: F401  (the fixture)
)


@pytest.fixture(scope="module")
def exported_with_records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The export of the ``exported`` fixture's passages, with decision records (their
    check against the rows read the rows a second time, reader63 #1)."""
    base = tmp_path_factory.mktemp("records")
    root = base / "in"
    root.mkdir()
    inputs = _inputs(root)
    passages = base / "passages.jsonl"
    cwd = os.getcwd()
    os.chdir(root)
    try:
        ingest(inputs, passages, min_chars=20, dedupe=False, near_dup_threshold=None)
    finally:
        os.chdir(cwd)
    out = base / "corpus"
    client = FakeStudio(_tasks(passages))
    export("p", out, client=client, salt="s", decision_records=True)  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize("records", [False, True], ids=["plain", "decision_records"])
def test_each_jsonl_file_is_parsed_once(
    records: bool,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if records:
        corpus = request.getfixturevalue("exported_with_records")
        assert (corpus / "decision_records.jsonl").is_file()
    else:
        _, corpus = request.getfixturevalue("exported")
    want = content_sha256(corpus)  # read before the reads are counted
    reads: Counter[str] = Counter()
    real = formats.jsonl_rows

    def counting(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
        reads[Path(path).name] += 1
        return real(path)

    for module in (formats, offsets_fit, splits_fit, rows_read, verify):
        if hasattr(module, "jsonl_rows"):
            monkeypatch.setattr(module, "jsonl_rows", counting)
    result = check(corpus)
    assert result.ok, result.mismatches
    names = sorted(p.name for p in (corpus / "jsonl").glob("*.jsonl"))
    assert names and dict(reads) == dict.fromkeys(names, 1)
    # every check of the rows still ran on that one read
    assert result.content_sha256 == want
    assert sorted(result.formats_compared) == sorted(result.rows)
    assert result.offsets_checked == sum(result.rows.values())
    assert result.splits_recomputed


class _Stages:
    """A StageFn that records each stage's total (grown by its ``add_total``), the units
    it was told of and the stages closed."""

    def __init__(self) -> None:
        self.totals: dict[str, int | None] = {}
        self.done: Counter[str] = Counter()
        self.closed: list[str] = []

    def __call__(self, desc: str, *, unit: str, total: int | None = None) -> Any:
        self.totals[desc] = total
        stages = self

        class Progress:
            def __call__(self, n: int) -> None:
                stages.done[desc] += n

            def add_total(self, n: int) -> None:
                stages.totals[desc] = (stages.totals[desc] or 0) + n

            def close(self) -> None:
                stages.closed.append(desc)

        return Progress()


def test_progress_counts_files_rows_and_near_duplicate_passages(
    exported: tuple[Path, Path],  # noqa: F811
) -> None:
    _, corpus = exported
    stages = _Stages()
    result = check(corpus, progress=stages)
    rows = sum(result.rows.values())
    assert stages.totals == {
        "checksums": result.files,
        "rows": rows,
        "near-duplicates": rows,
    }
    assert stages.done == Counter(checksums=result.files, rows=rows, **{"near-duplicates": rows})
    assert stages.closed == ["checksums", "rows", "near-duplicates"]


def test_the_rows_total_grows_with_rows_the_manifest_does_not_count(
    exported: tuple[Path, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    _, corpus = exported
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    train = (copy / "jsonl" / "train.jsonl").read_text(encoding="utf-8")
    (copy / "jsonl" / "extra.jsonl").write_text(train, encoding="utf-8")  # a file of no split
    stages = _Stages()
    result = check(copy, progress=stages)
    assert any(m.path == "jsonl/extra.jsonl" for m in result.mismatches)
    extra = len(train.splitlines())
    rows = sum(result.rows.values()) + extra
    assert stages.done["rows"] == rows
    assert stages.totals["rows"] == rows  # not the manifest's count: the bar stops at 100 %


def test_the_near_duplicates_stage_is_closed_when_the_recompute_raises(
    exported: tuple[Path, Path],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, corpus = exported

    def raising(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("a row that cannot be split")

    monkeypatch.setattr(splits_fit, "split_misfits_of", raising)
    stages = _Stages()
    result = check(corpus, progress=stages)
    assert not result.splits_recomputed
    assert "near-duplicates" in stages.totals
    assert stages.closed == ["checksums", "rows", "near-duplicates"]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    with pytest.raises(SystemExit) as done:
        main(args)
    assert done.value.code in (0, None)
    said = capsys.readouterr()
    return said.out, said.err


def test_the_cli_shows_progress_unless_quiet(
    exported: tuple[Path, Path],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, corpus = exported
    monkeypatch.setenv("ANNOTATE_PROGRESS_INTERVAL", "1e-9")  # a line however quick
    out, err = _run(["verify", str(corpus)], capsys)
    done = [line.split(":")[0] for line in err.splitlines() if " done in " in line]
    assert done == ["checksums", "rows", "near-duplicates"], err
    quiet_out, quiet_err = _run(["verify", str(corpus), "--quiet"], capsys)
    assert "near-duplicates" not in quiet_err
    assert quiet_out == out  # what verify says of the export is the same either way


@pytest.mark.parametrize("run_bytes", [1, 7, 10**9])
def test_the_sorted_digest_is_the_digest_of_the_lines_sorted_spilled_or_not(
    run_bytes: int,
) -> None:
    lines = ['{"a":"zeta"}', '{"a":"é"}', '{"a":"e"}', '{"a":"😀"}', '{"a":"\uffff"}', "{}"]
    lines += ['{"a":"e"}', '{"a":"ab"}', '{"a":"a"}', '{"a":"文"}']  # a repeat, a prefix
    digest = rows_read.SortedDigest(run_bytes=run_bytes)
    for line in lines:
        digest.add(line)
    spilled = len(digest.runs)
    assert digest.hexdigest() == verify.lines_sha256([("", line) for line in lines])
    assert (spilled > 1) == (run_bytes < 100)  # the small caps wrote runs to merge


def test_a_line_that_cannot_be_encoded_leaves_no_digest() -> None:
    digest = rows_read.SortedDigest(run_bytes=1)
    for line in ("{}", '{"a":"\ud800"}', '{"b":1}'):
        digest.add(line)
    assert digest.hexdigest() is None
    with pytest.raises(UnicodeEncodeError):  # as the digest of the lines whole
        verify.lines_sha256([("", '{"a":"\ud800"}')])
