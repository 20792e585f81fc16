"""A gold sheet passed as the workbook (`gold.xlsx`) or as a JSON array (`gold.json`) to
`annotate prelabel` or `push --gold` was refused with "Fix: rename the file with the right
extension or convert it" (stop 59 lead): renaming a workbook .csv reads no table. The fix
now says to save it as CSV (a workbook) or write it as JSON Lines (a .json file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.tables import table_format


@pytest.mark.parametrize("name", ["gold.xlsx", "gold.ODS", "gold.xls"])
def test_a_workbook_is_to_be_saved_as_csv(name: str, tmp_path: Path) -> None:
    sheet = tmp_path / name
    sheet.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError) as info:
        table_format(sheet)
    said = str(info.value)
    assert "save the sheet as CSV from the spreadsheet program" in said, said
    assert str(sheet.with_suffix(".csv")) in said and "rename the file" not in said


def test_a_json_file_is_to_be_written_as_json_lines(tmp_path: Path) -> None:
    given = tmp_path / "gold.json"
    given.write_text('[{"id": "g1"}]', encoding="utf-8")
    with pytest.raises(InputError) as info:
        table_format(given)
    said = str(info.value)
    assert "write it as JSON Lines, one object a line" in said and "gold.jsonl" in said, said


def test_another_extension_keeps_the_general_fix(tmp_path: Path) -> None:
    given = tmp_path / "gold.dat"
    given.write_text("x", encoding="utf-8")
    with pytest.raises(InputError) as info:
        table_format(given)
    assert "rename the file with the right extension or convert it" in str(info.value)
