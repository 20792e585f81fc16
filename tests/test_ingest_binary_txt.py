"""A binary file named .txt is told as not text, not given an `iconv -f CP1252` fix."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest


def test_random_bytes_are_not_text_in_any_encoding(tmp_path: Path) -> None:
    rng = random.Random(7)
    path = tmp_path / "notes.txt"
    path.write_bytes(bytes(rng.getrandbits(8) for _ in range(4096)))
    with pytest.raises(InputError) as err:
        ingest([path], tmp_path / "p.jsonl")
    said = f"{err.value} {err.value.fix}"
    assert "does not look like a text file in any encoding" in said, said
    assert "iconv" not in said and "looks like" not in said.replace("not look like", "")


def test_a_cp1252_file_still_gets_its_encoding(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes("Caf\u00e9 \u201cnaive\u201d \u2014 \u20ac5 a pint.\n".encode("cp1252"))
    with pytest.raises(InputError) as err:
        ingest([path], tmp_path / "p.jsonl")
    assert "iconv -f CP1252" in str(err.value.fix)
    assert "does not look like a text file" not in str(err.value)
