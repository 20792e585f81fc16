"""A folder given through a symlink (``latest -> batch-12``) named its documents by the
link (``latest/a.txt``) and by the folder itself when given by its path (``batch-12/a.txt``):
two spellings of one document, other passage ids, so a re-ingest by the other spelling was
pushed again. A folder is now named by its real name; a file keeps the name it was given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest

TEXT = "Officials said the attack on the depot killed nine people, police confirmed today."


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "batch-12"
    (folder / "forum").mkdir(parents=True)
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "forum" / "b.txt").write_text(TEXT.replace("nine", "ten"), encoding="utf-8")
    (tmp_path / "latest").symlink_to(folder, target_is_directory=True)
    return folder


def test_a_symlinked_folder_gives_the_ids_of_the_folder_itself(
    batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runs = {}
    for given in ("data/batch-12", "latest", "latest/", str(tmp_path / "latest"), "./latest"):
        out = tmp_path / f"out-{len(runs)}.jsonl"
        ingest([Path(given)], out, min_chars=0, near_dup_threshold=None)
        runs[given] = [(r["doc_id"], r["id"], r["source"]) for r in _rows(out)]
    # the normal case keeps the ids it always had
    assert [d for d, _, _ in runs["data/batch-12"]] == ["batch-12/a.txt", "batch-12/forum/b.txt"]
    assert all(got == runs["data/batch-12"] for got in runs.values()), runs
    # the run records its input files under the same names
    record = json.loads(_rows(tmp_path / "out-1.jsonl")[0]["ingest_run"])
    assert (
        record["inputs"] == json.loads(_rows(tmp_path / "out-0.jsonl")[0]["ingest_run"])["inputs"]
    )
    assert record["run"] == json.loads(_rows(tmp_path / "out-0.jsonl")[0]["ingest_run"])["run"]


def test_a_file_given_through_a_link_keeps_the_links_name(tmp_path: Path) -> None:
    """git-annex and DVC link a file to a content-hashed name that changes with each
    version: the name given is the stable one."""
    store = tmp_path / ".git" / "annex" / "objects" / "SHA256E-s80--3f2a.csv"
    store.parent.mkdir(parents=True)
    store.write_text(f'text\n"{TEXT}"\n', encoding="utf-8")
    link = tmp_path / "posts.csv"
    link.symlink_to(store)
    out = tmp_path / "out.jsonl"
    ingest([link], out, min_chars=0)
    assert [(r["doc_id"], r["source"]) for r in _rows(out)] == [("posts.csv#0", "posts.csv#0")]


def test_one_folder_given_twice_by_a_symlink_is_an_error(batch: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        ingest([batch, tmp_path / "latest"], tmp_path / "out.jsonl", min_chars=0)
    said = str(err.value)
    assert "given twice" in said and "batch-12/..." in said and "pass " in err.value.fix
