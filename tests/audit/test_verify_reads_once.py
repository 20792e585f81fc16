"""`annotate verify` parses each JSONL file of an export once for all its checks of the
rows (content digest, formats side by side, offsets, split recompute: four reads of the
largest files before, issue 11), and reports progress on its long steps: the files
hashed, the rows read and the near-duplicate search the split recompute repeats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import annotate.audit.formats as formats
from annotate.audit import offsets_fit, rows_read, splits_fit, verify
from annotate.audit.verify import check, content_sha256
from annotate.cli import main
from tests.audit.test_verify_sources import exported  # noqa: F401  (the fixture)


def test_each_jsonl_file_is_parsed_once(
    exported: tuple[Path, Path],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, corpus = exported
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
    """A StageFn that records each stage's total and the units it was told of."""

    def __init__(self) -> None:
        self.totals: dict[str, int | None] = {}
        self.done: Counter[str] = Counter()

    def __call__(self, desc: str, *, unit: str, total: int | None = None) -> Any:
        self.totals[desc] = total

        def progress(n: int) -> None:
            self.done[desc] += n

        return progress


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
