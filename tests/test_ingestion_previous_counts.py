"""`annotate ingest --previous`: the summary says how many of the dropped exact copies and
the marked near-copies are copies of the earlier runs' passages. Before, it read
"12 exact duplicates removed, earlier runs' 1 passages file(s) included, 0 near-duplicate
groups across documents (6 passages marked in near_dup_group)": no count of what came
from the earlier batch, and "0 groups" beside 6 marked passages."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from annotate.cli import app
from annotate.ingestion import ingest

STATEMENT = (
    "The council confirmed on Tuesday that the footbridge over the river will stay closed "
    "for repairs until the end of the month while engineers replace the rusted railings."
)
CHOIR = "Our choir is looking for tenors for the winter concert; rehearsals start in October."
MARKET = "The farmers market moves to the school car park for the summer, every Saturday."
FERRY = "The ferry timetable changes in March: the last boat leaves the harbour at ten."


def _folder(root: Path, docs: dict[str, str]) -> Path:
    root.mkdir()
    for name, text in docs.items():
        (root / f"{name}.txt").write_text(text + "\n")
    return root


def _batches(tmp_path: Path) -> tuple[Path, Path]:
    week1 = _folder(tmp_path / "week1", {"statement": STATEMENT, "choir": CHOIR})
    week2 = _folder(
        tmp_path / "week2",
        {
            "a-repost": STATEMENT.replace("railings", "handrails"),  # near-copy of week 1
            "b-choir": CHOIR,  # exact copy of week 1
            "c-market": MARKET,
            "d-market-again": MARKET,  # exact copy within week 2 only
            "e-ferry": FERRY,
        },
    )
    return week1, week2


def test_counts_tell_copies_of_earlier_runs_from_this_runs(tmp_path: Path) -> None:
    week1, week2 = _batches(tmp_path)
    earlier = tmp_path / "week1.jsonl"
    ingest([week1], earlier)
    stats = ingest([week2], tmp_path / "week2.jsonl", previous=[earlier])
    assert stats.duplicates == 2  # the choir (week 1's) and the market (this run's)
    assert stats.duplicates_of_previous == 1
    assert stats.near_copies_of_previous == 1


def test_summary_names_what_the_earlier_runs_took(tmp_path: Path) -> None:
    week1, week2 = _batches(tmp_path)
    earlier = tmp_path / "week1.jsonl"
    ingest([week1], earlier)
    args = ["ingest", str(week2), "--out", str(tmp_path / "w2.jsonl"), "-q"]
    out = CliRunner().invoke(app, [*args, "--previous", str(earlier)]).output
    said = "against the passages of 1 --previous file: 1 exact copy dropped, 1 passage marked"
    assert said in out
    # the copy of week 1's passage is counted there only, not with this run's duplicates
    # too (it read "2 exact duplicates removed: ...; ...: 1 exact copy dropped", 3 in all)
    assert "(1 exact duplicate of this run removed: -v names each," in out, out
    assert "passages file(s) included" not in out
    dropped = (
        CliRunner()
        .invoke(
            app,
            [
                *args[:3],
                str(tmp_path / "w3.jsonl"),
                "-q",
                "--previous",
                str(earlier),
                "--drop-near-duplicates",
            ],
        )
        .output
    )
    assert "1 exact copy dropped, 1 near-copy of an earlier run's passage dropped" in dropped


def test_two_files_of_one_run_are_counted_as_files_not_runs(tmp_path: Path) -> None:
    # an export's jsonl/train.jsonl and jsonl/test.jsonl are two files of one ingest run:
    # the summary said "against the passages of 2 earlier runs"
    week1, week2 = _batches(tmp_path)
    earlier = tmp_path / "week1.jsonl"
    ingest([week1], earlier)
    lines = earlier.read_text().splitlines(keepends=True)
    half = tmp_path / "half.jsonl"
    half.write_text("".join(lines[1:]))
    (tmp_path / "first.jsonl").write_text(lines[0])
    args = ["ingest", str(week2), "--out", str(tmp_path / "w2.jsonl"), "-q"]
    prev = ["--previous", str(tmp_path / "first.jsonl"), "--previous", str(half)]
    out = CliRunner().invoke(app, [*args, *prev]).output
    assert "against the passages of 2 --previous files:" in out, out
    assert "earlier runs:" not in out
