"""A JSONL file cut short (a copy, a download or its writer stopped midway: the last line
broken at its end, without a line end) read as any broken line: "fix or delete that
line". The error now says the file looks cut short and that getting it again is the
fix (deleting the line loses that row); a broken line elsewhere keeps its error."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.tables import iter_rows

ROW = '{"id": "1", "text": "The council met on Tuesday."}\n'


@pytest.mark.parametrize(
    "tail",
    ['{"id": "2", "text": "We will come for', '{"id": "2", "text": "x", ', '{"id": "2"'],
)
def test_a_last_line_cut_short_is_named_so(tmp_path: Path, tail: str) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(ROW + tail)
    with pytest.raises(InputError) as err:
        list(iter_rows(path))
    assert "line 2, the last" in err.value.what and "looks cut short" in err.value.what
    assert "get the whole file again" in (err.value.fix or "")
    assert f"sed -i '$d' {path}" in (err.value.fix or "")


@pytest.mark.parametrize(
    "text",
    [
        ROW + '{"id": "2", "text": "x"} trailing',  # complete, then more: no cut
        ROW + '{"id": "2", "text": "cut\n' + ROW,  # broken, but not the last line
        ROW + '{"id": "2", "text": "x", \n',  # broken last line with its line end
    ],
)
def test_other_broken_lines_keep_their_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        list(iter_rows(path))
    assert "cut short" not in err.value.what
    assert (err.value.fix or "").startswith(
        "fix or delete that line; every line must be one JSON object."
    )
