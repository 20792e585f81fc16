"""export --redact on a disk that fills when the pseudonym map is written (faults58 #8):
the map was written after the hand-out folder was renamed into place, so the hand-out
stayed, its pseudonyms mapped back nowhere, while the error said nothing was left (and its
re-run was refused, --out being a previous export). The map is now written first: a
refused map leaves no hand-out."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

import annotate.audit.passage_pseudonyms as pp
from tests.audit.test_redact_passage_pseudonyms import MASKED, _export


def test_a_map_that_cannot_be_written_leaves_no_hand_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(path: Path, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(pp, "atomic_write_text", full)
    out = tmp_path / "corpus"
    with pytest.raises(OSError) as err:
        _export(out, tmp_path / "secret" / "key", tmp_path)
    assert err.value.errno == errno.ENOSPC
    assert not out.exists()
    # (the map's lock leaves its gate, named after the map: no bare .gate, reader60)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".map.jsonl.gate", "secret"]


def test_the_map_names_the_hand_outs_pseudonyms(tmp_path: Path) -> None:
    key_file = tmp_path / "secret" / "key"
    _export(tmp_path / "corpus", key_file, tmp_path)
    lines = (tmp_path / "map.jsonl").read_text(encoding="utf-8")
    assert pp.pseudonym(pp.load_key(key_file), MASKED) in lines
