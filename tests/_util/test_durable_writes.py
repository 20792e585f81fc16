"""Power-cut durability of the files a later run trusts (faults59 #1).

A rename is atomic but not durable: after a power cut the new name may point at a file
whose bytes never reached the disk (an empty credentials.json, an empty pseudonym key or
salt, which later runs read as "no key" or as the salt ""), or the rename may be lost.
The well-known rule: flush the new file before the rename, and the folder after it.
Checked by recording ``os.fsync`` (which path, from its descriptor) and every rename or
link, in order.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest


class Recorder:
    """The fsyncs (by path), renames and links, in the order they happened."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.events: list[tuple[str, str, str]] = []
        real_fsync, real_replace = os.fsync, os.replace
        real_rename, real_link = os.rename, os.link

        def fsync(fd: int) -> None:
            self.events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}"), ""))
            real_fsync(fd)

        def moved(kind: str, real):
            def call(src, dst, *args, **kwargs):
                real(src, dst, *args, **kwargs)
                self.events.append((kind, os.path.abspath(src), os.path.abspath(dst)))

            return call

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", moved("rename", real_replace))
        monkeypatch.setattr(os, "rename", moved("rename", real_rename))
        monkeypatch.setattr(os, "link", moved("link", real_link))

    def assert_durable(self, target: Path) -> None:
        """``target`` was renamed (or linked) into place from a file flushed before, and
        its folder flushed after."""
        target = Path(os.path.abspath(target))
        moves = [
            i
            for i, (kind, _, dst) in enumerate(self.events)
            if kind != "fsync" and dst == str(target)
        ]
        assert moves, f"{target} was never renamed into place: {self.events}"
        at = moves[-1]
        src = self.events[at][1]
        flushed = [
            i for i, (kind, path, _) in enumerate(self.events) if kind == "fsync" and path == src
        ]
        assert flushed and flushed[0] < at, (
            f"{target}: its new content ({src}) was not flushed before the rename: {self.events}"
        )
        after = [
            i
            for i, (kind, path, _) in enumerate(self.events)
            if kind == "fsync" and path == str(target.parent) and i > at
        ]
        assert after, f"{target}: its folder was not flushed after the rename: {self.events}"


@pytest.fixture
def rec(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    return Recorder(monkeypatch)


def test_atomic_write_text_is_durable(tmp_path: Path, rec: Recorder) -> None:
    from annotate._util.atomic import atomic_write_text

    atomic_write_text(tmp_path / "state.json", "{}\n")
    rec.assert_durable(tmp_path / "state.json")


@pytest.mark.parametrize("name", ["out.jsonl", "out.parquet"])
def test_table_writer_is_durable(tmp_path: Path, rec: Recorder, name: str) -> None:
    """ingest's passages, prelabel's and export's tables: a later run resumes from them or
    refuses to replace them, so an empty one after a power cut is mistaken for output."""
    from annotate.tables import TableWriter

    with TableWriter(tmp_path / name) as writer:
        writer.write([{"id": "a", "text": "x"}])
    rec.assert_durable(tmp_path / name)


def test_secrets_and_records_are_durable(
    tmp_path: Path, rec: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pseudonym key, the reviewer salt, the pseudonym map and Label Studio's admin
    token: lost or empty after a power cut, pseudonyms no longer map back, reviewers'
    queues no longer match, the server's token is unknown."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ANNOTATE_PSEUDONYM_SALT", raising=False)
    from annotate.audit import passage_pseudonyms as pp
    from annotate.corpus.salt import reviewer_salt
    from annotate.studio.connection import studio_paths
    from annotate.studio.server import ensure_credentials

    key = pp.load_key()
    rec.assert_durable(pp.default_key_path())
    reviewer_salt()
    rec.assert_durable(tmp_path / "home" / "pseudonym_salt")
    names = pp.Pseudonyms(key)
    names.mapping["p1"] = "pp_1"
    pp.write_map(names, "proj", {"p1": "d1"})
    rec.assert_durable(pp.default_map_path())
    paths = studio_paths(tmp_path / "home" / "studio")
    ensure_credentials(paths)
    rec.assert_durable(paths.credentials)


def test_review_records_are_durable(
    tmp_path: Path, rec: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records a later review command trusts (escalations already sent, contradictions
    read, passages held back): written with their own rename, unflushed."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    from annotate.review import contradiction_memory, escalations, held_back

    path = tmp_path / "home" / "escalations" / "x.json"
    escalations._save(path, {"k": "2026-01-01"})
    rec.assert_durable(path)
    path = tmp_path / "memory.json"
    contradiction_memory.save_memory(path, "proj", {"k": 1}, {"proj": {}})
    rec.assert_durable(path)
    path = tmp_path / "held.json"
    held_back._write(path, "proj", {"a": {"passages": ["p"]}})
    rec.assert_durable(path)


def test_cross_source_report_is_durable(tmp_path: Path, rec: Recorder, monkeypatch) -> None:
    from annotate.training import crosssource

    monkeypatch.setattr(crosssource, "markdown", lambda report: "# r\n")
    crosssource.write_report({"r": 1}, tmp_path / "out")
    rec.assert_durable(tmp_path / "out" / "cross_source.json")
    rec.assert_durable(tmp_path / "out" / "cross_source.md")
    assert json.loads((tmp_path / "out" / "cross_source.json").read_text()) == {"r": 1}


@pytest.mark.parametrize("existing", [False, True])
def test_model_folder_is_durable(tmp_path: Path, rec: Recorder, existing: bool) -> None:
    """A trained model renamed into place: after a power cut, an empty weights file under
    the model's name is loaded as a model (or fails with a torch traceback)."""
    from annotate._util.atomic import temp_sibling
    from annotate.training.model_folder import put_model_in_place

    out = tmp_path / "model"
    if existing:
        out.mkdir()
        (out / "annotate_model.json").write_text("{}")
    tmp = temp_sibling(out)
    tmp.mkdir()
    (tmp / "annotate_model.json").write_text("{}")
    (tmp / "model.safetensors").write_bytes(b"w")
    put_model_in_place(tmp, out, "m@abc", replace=existing)
    fsyncs = [path for kind, path, _ in rec.events if kind == "fsync"]
    # the weights flushed under the partial name (before any rename), the folder last
    assert str(tmp / "model.safetensors") in fsyncs, rec.events
    assert fsyncs and fsyncs[-1] == str(tmp_path), rec.events
    assert (out / "model.safetensors").read_bytes() == b"w"


def test_a_folder_that_cannot_be_opened_is_not_flushed_and_the_write_stands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every atomic write now flushes its folder, which needs the folder opened for
    reading: a write-only folder (mode 0300, a drop box) refused that with EACCES, so a
    write that worked before the flush became the default failed. Skipped there."""
    import errno

    from annotate._util.atomic import atomic_write_text

    real_open = os.open

    def no_reading_folders(path, flags, *args, **kwargs):
        if os.path.isdir(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", no_reading_folders)
    atomic_write_text(tmp_path / "out.json", "{}\n")
    assert (tmp_path / "out.json").read_text() == "{}\n"
