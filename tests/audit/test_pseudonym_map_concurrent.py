"""Two `export --redact` runs at once (faults58 #6): the pseudonym map is read, merged and
replaced, and without a lock the later replacement dropped the other export's lines; two
first exports each made a key, and the later rename replaced the key the other had used."""

from __future__ import annotations

import fcntl
import json
from pathlib import Path

import pytest

import annotate.audit.passage_pseudonyms as pp


def pseudonyms(ids: list[str]) -> pp.Pseudonyms:
    made = pp.Pseudonyms(b"k" * 64)
    for passage in ids:
        made.add(passage)
    return made


def test_the_map_is_locked_while_it_is_read_and_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / pp.MAP_FILE
    pp.write_map(pseudonyms(["p_b1"]), "project B", {}, path)  # another export's lines
    real_write = pp.atomic_write_text
    locked: list[bool] = []

    def writing(target: Path, text: str, **kwargs: object) -> None:
        # where another export's write_map would come in: it must find the map locked
        with open(path.with_name(path.name + ".lock"), "a+") as other:
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                locked.append(True)
            else:
                fcntl.flock(other, fcntl.LOCK_UN)
                locked.append(False)
        real_write(target, text, **kwargs)

    monkeypatch.setattr(pp, "atomic_write_text", writing)
    pp.write_map(pseudonyms(["p_a1"]), "project A", {}, path)
    assert locked == [True]
    kept = {(e["project"], e["passage_id"]) for e in map(json.loads, path.open())}
    assert kept == {("project A", "p_a1"), ("project B", "p_b1")}
    assert not path.with_name(path.name + ".lock").exists()


def test_the_maps_lock_leaves_only_its_own_gate_beside_it(tmp_path: Path) -> None:
    """faults58/note60: the map's lock left a bare `.gate` in the user's --id-map folder,
    a file nobody could tell the owner of. Its gate is named after the map, as the Label
    Studio install's is after its venv: `.<map name>.gate` beside it."""
    path = tmp_path / "ids" / "handout-ids.jsonl"
    path.parent.mkdir()
    pp.write_map(pseudonyms(["p_a1"]), "project A", {}, path)
    pp.write_map(pseudonyms(["p_b1"]), "project B", {}, path)
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == [".handout-ids.jsonl.gate", "handout-ids.jsonl"], names
    assert pp.map_gate_path(path) == path.parent / ".handout-ids.jsonl.gate"


def test_a_key_another_run_made_first_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / pp.KEY_FILE
    theirs = "f" * 64
    real_token = pp.secrets.token_hex

    def other_run_first(nbytes: int) -> str:
        path.write_text(theirs + "\n", encoding="utf-8")  # made after our exists() check
        return real_token(nbytes)

    monkeypatch.setattr(pp.secrets, "token_hex", other_run_first)
    assert pp.load_key(path) == theirs.encode()
    assert path.read_text(encoding="utf-8") == theirs + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [pp.KEY_FILE]


def test_a_first_key_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "home" / pp.KEY_FILE
    key = pp.load_key(path)
    assert len(key) == 64 and path.stat().st_mode & 0o777 == 0o600
    assert pp.load_key(path) == key
