"""Inputs given wrongly. An input inside a folder also given (`ingest docs docs/forum`)
was read twice under two document ids (`docs/forum/a.txt`, `forum/a.txt`): counted as two
documents, and with --keep-duplicates its passages written twice, for reviewers to answer
twice. It is an error before any work that names both inputs and the fix. A value given
to --redact (which takes none) is named as such, not as a missing file."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest

TEXT = "If they pass this I swear I will find where the councilman lives and make him pay."


def _docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    (root / "forum").mkdir(parents=True)
    (root / "forum" / "a.txt").write_text(TEXT, encoding="utf-8")
    (root / "news.txt").write_text("Police said the vigil was peaceful.", encoding="utf-8")
    return root


@pytest.mark.parametrize("inner", ["forum", "forum/a.txt"])
@pytest.mark.parametrize("inner_first", [False, True])
def test_an_input_inside_a_folder_also_given_is_refused(
    tmp_path: Path, inner: str, inner_first: bool
) -> None:
    root = _docs(tmp_path)
    paths = [root, root / inner]
    if inner_first:
        paths.reverse()
    out = tmp_path / "p.parquet"
    with pytest.raises(InputError) as err:
        ingest(paths, out, dedupe=False)
    assert f"{root / inner} is inside {root}, also given" in str(err.value)
    assert f"pass {root} alone" in (err.value.fix or "")
    assert not out.exists()


def test_inputs_side_by_side_and_a_hidden_part_are_no_overlap(tmp_path: Path) -> None:
    root = _docs(tmp_path)
    (root / ".drafts").mkdir()
    (root / ".drafts" / "b.txt").write_text("A draft the folder walk skips.", encoding="utf-8")
    stats = ingest([root / "forum", root / "news.txt"], tmp_path / "p.parquet")
    assert stats.documents == 2
    stats = ingest([root, root / ".drafts" / "b.txt"], tmp_path / "q.parquet")
    assert stats.documents == 3


@pytest.mark.parametrize("value", ["email", "emails,phones", "home_user"])
def test_a_value_given_to_redact_is_named_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """`--redact email` read 'email' as an input: "email: no such file or folder. Fix:
    check the path". The error says --redact takes no value."""
    from typer.testing import CliRunner

    from annotate.cli import app

    monkeypatch.chdir(tmp_path)
    root = _docs(tmp_path)
    result = CliRunner().invoke(
        app, ["ingest", str(root), "--redact", value, "--out", str(tmp_path / "p.parquet")]
    )
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert f"'{value}' was read as an input path" in said and "--redact takes no value" in said
    assert not (tmp_path / "p.parquet").exists()
