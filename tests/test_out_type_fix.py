"""`annotate ingest ... --out passages.csv` (a spreadsheet user's first guess) said "Fix:
rename the file with the right extension or convert it": there is no file yet to rename
or convert. The fix names the output to pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.tables import table_format


@pytest.mark.parametrize("name", ["passages.csv", "prelabels.xlsx"])
def test_an_output_of_another_type_gets_the_name_to_pass(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    with pytest.raises(InputError) as err:
        table_format(out, output=True)
    fix = err.value.fix or ""
    assert f"--out {out.with_suffix('.parquet')}" in fix
    assert "rename the file" not in fix
