"""Links to a hidden folder, and a hidden folder given beside the folder holding it
(break8 M5, M6).

M5: ``docs -> .archive`` and ``docs2 -> .archive``: the hidden folder's files were read
under the link first in name order, so adding ``a-docs -> .archive`` renamed them (new
document and passage ids) while the other link was warned of with "nothing to do". Two
links to one hidden folder (or to folders in it) are now refused with the fix.
M6: ``ingest DIR DIR/.archive`` (read through ``DIR/docs``) read the files twice, under
two document ids, without the overlap error a visible subfolder gets; so did a folder a
link in DIR names outside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest
from tests.test_ingest_linked_subfolder import NEWS, THREAT


def _folder(tmp_path: Path, *links: str) -> Path:
    real = tmp_path / "in"
    (real / ".archive" / "2024").mkdir(parents=True)
    (real / "a.txt").write_text(NEWS, encoding="utf-8")
    (real / ".archive" / "old.txt").write_text(THREAT, encoding="utf-8")
    (real / ".archive" / "2024" / "c.txt").write_text(NEWS + " Again.", encoding="utf-8")
    for link in links:
        name, _, target = link.partition("->")
        (real / name).symlink_to(real / target, target_is_directory=True)
    return real


@pytest.mark.parametrize(
    "links",
    [
        ("docs->.archive", "docs2->.archive"),
        ("docs->.archive", "a-docs->.archive"),
        ("docs->.archive", "old->.archive/2024"),
    ],
)
def test_two_links_to_one_hidden_folder_are_refused(tmp_path: Path, links) -> None:
    real = _folder(tmp_path, *links)
    with pytest.raises(InputError) as err:
        ingest([real], tmp_path / "out.jsonl", min_chars=0, near_dup_threshold=None)
    said = str(err.value)
    names = sorted(f"in/{link.partition('->')[0]}" for link in links)
    assert f"{names[0]} and {names[1]} both link to the hidden folder {real / '.archive'}" in (
        said
    ), said
    assert "document and passage ids" in said, said
    assert "keep one of the links and remove the others" in str(err.value.fix)
    assert not (tmp_path / "out.jsonl").exists()


def test_one_link_to_a_hidden_folder_is_read_under_it(tmp_path: Path) -> None:
    real = _folder(tmp_path, "docs->.archive")
    out = tmp_path / "out.jsonl"
    ingest([real], out, min_chars=0, near_dup_threshold=None)
    assert "in/docs/old.txt" in out.read_text()


@pytest.mark.parametrize("inner", [".archive", ".archive/old.txt", ".archive/2024"])
def test_a_hidden_folder_read_through_a_link_given_too_is_refused(tmp_path, inner) -> None:
    real = _folder(tmp_path, "docs->.archive")
    with pytest.raises(InputError, match="would be read twice, under two document ids") as err:
        ingest([real, real / inner], tmp_path / "o.jsonl", min_chars=0, near_dup_threshold=None)
    rel = inner.replace(".archive", "docs")
    assert f"'in/{rel}" in str(err.value), str(err.value)


def test_a_folder_a_link_names_given_too_is_refused(tmp_path: Path) -> None:
    real = _folder(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.txt").write_text(NEWS + " Outside.", encoding="utf-8")
    (real / "out").symlink_to(outside, target_is_directory=True)
    with pytest.raises(InputError, match="would be read twice"):
        ingest([real, outside], tmp_path / "o.jsonl", min_chars=0, near_dup_threshold=None)


def test_a_hidden_folder_no_link_names_is_no_overlap(tmp_path: Path) -> None:
    real = _folder(tmp_path)
    out = tmp_path / "o.jsonl"
    ingest([real, real / ".archive"], out, min_chars=0, near_dup_threshold=None)
    assert ".archive/old.txt" in out.read_text()
