"""`annotate ingest --previous`: a folder is named as a folder (it read "no such file"),
and an earlier run masked differently (--redact in one run, not the other) is refused
before any work: its passages holding an e-mail would never match their copies, so the
batch would send reviewers what they already reviewed, silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import InputError
from annotate.ingestion import ingest

POST = (
    "Write to organiser.harbour@example.org if you want to join the petition against the "
    "bus lane; we meet before the council session on the 14th at the library."
)


@pytest.fixture()
def week1(tmp_path: Path) -> Path:
    folder = tmp_path / "week1"
    folder.mkdir()
    (folder / "post.txt").write_text(POST + "\n")
    return folder


@pytest.fixture()
def week2(tmp_path: Path) -> Path:
    folder = tmp_path / "week2"
    folder.mkdir()
    (folder / "repost.txt").write_text(POST + "\n")
    return folder


def test_a_folder_is_named_a_folder(tmp_path: Path, week2: Path) -> None:
    result = CliRunner().invoke(
        app, ["ingest", str(week2), "--out", str(tmp_path / "o.jsonl"), "--previous", str(tmp_path)]
    )
    assert result.exit_code == 1, result.output
    assert "is a folder" in result.output and "no such file" not in result.output
    assert "Traceback" not in result.output


def test_a_document_given_as_previous_is_named_with_the_option(
    tmp_path: Path, week1: Path, week2: Path
) -> None:
    """A .txt (last week's document, not its passages) was "unsupported input table type
    '.txt' ... Fix: rename the file with the right extension", naming neither --previous
    nor what it wants."""
    doc = week1 / "post.txt"
    result = CliRunner().invoke(
        app, ["ingest", str(week2), "--out", str(tmp_path / "o.jsonl"), "--previous", str(doc)]
    )
    assert result.exit_code == 1, result.output
    assert f"--previous {doc} is a '.txt' file; expected the passages file of an earlier " in (
        " ".join(result.output.split())
    )
    assert "rename the file" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("earlier_redacted", [True, False])
def test_a_run_masked_otherwise_than_the_earlier_one_is_refused(
    tmp_path: Path, week1: Path, week2: Path, earlier_redacted: bool
) -> None:
    from annotate.audit.redact import RedactionSettings

    earlier = tmp_path / "week1.jsonl"
    ingest([week1], earlier, redact=RedactionSettings() if earlier_redacted else None)
    out = tmp_path / "week2.jsonl"
    with pytest.raises(InputError, match="--redact") as err:
        ingest(
            [week2],
            out,
            previous=[earlier],
            redact=None if earlier_redacted else RedactionSettings(),
        )
    assert "would not match" in str(err.value)
    assert not out.exists()


def test_the_same_masking_drops_the_copy(tmp_path: Path, week1: Path, week2: Path) -> None:
    from annotate.audit.redact import RedactionSettings

    earlier = tmp_path / "week1.jsonl"
    ingest([week1], earlier, redact=RedactionSettings())
    stats = ingest([week2], tmp_path / "w2.jsonl", previous=[earlier], redact=RedactionSettings())
    assert stats.duplicates_of_previous == 1 and stats.passages == 0
