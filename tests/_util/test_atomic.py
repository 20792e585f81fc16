import os
import stat

import pytest

from annotate._util.atomic import atomic_output, atomic_write_text


def test_write_text_replaces_and_leaves_no_partial(tmp_path):
    path = tmp_path / "sub" / "state.json"
    atomic_write_text(path, "one\n")
    atomic_write_text(path, "two\n")
    assert path.read_text() == "two\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["state.json"]


def test_private_file_is_0600(tmp_path):
    path = tmp_path / "secret"
    atomic_write_text(path, "s3cret\n", private=True)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_failure_keeps_the_old_file_and_removes_the_partial(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    with pytest.raises(RuntimeError), atomic_output(path) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_directory_output_replaces_a_previous_directory(tmp_path):
    out = tmp_path / "corpus"
    for content in ("first", "second"):
        with atomic_output(out) as tmp:
            tmp.mkdir()
            (tmp / "data.txt").write_text(content)
    assert (out / "data.txt").read_text() == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]


def test_a_run_killed_while_it_replaces_a_folder_leaves_one_at_its_name(tmp_path, monkeypatch):
    """The folder replaced was renamed aside, then the new one renamed onto its name: a
    run killed between the two (here: the second rename never happens) left no folder
    there, the previous export only under a hidden ``.NAME.old-…`` name. Where Linux
    can swap the two in one step, no rename of that kind is made."""
    from annotate._util import atomic

    probe_a, probe_b = tmp_path / "a", tmp_path / "b"
    probe_a.mkdir()
    probe_b.mkdir()
    if not atomic.exchange(probe_a, probe_b):
        pytest.skip("this system or file system cannot swap two paths in one step")
    out = tmp_path / "corpus"
    with atomic_output(out) as tmp:
        tmp.mkdir()
        (tmp / "manifest.json").write_text("old")
    calls = []

    def killed_after_the_first(src, dst):
        calls.append((src, dst))
        if len(calls) > 1:
            raise SystemExit(137)  # killed between the two renames
        os.rename(src, dst)

    monkeypatch.setattr(atomic.os, "replace", killed_after_the_first)
    with atomic_output(out) as tmp:
        tmp.mkdir()
        (tmp / "manifest.json").write_text("new")
    assert (out / "manifest.json").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "corpus"]


def test_a_file_system_without_fsync_is_skipped_for_files_too(
    tmp_path, monkeypatch, caplog
) -> None:
    """Some network and FUSE file systems answer fsync with EINVAL (or ENOTSUP): only
    folders were skipped, so a file's flush raised and every durable write failed there.
    Skipped and logged (a warning once); another error still raises."""
    import errno
    import logging

    from annotate._util import atomic

    f = tmp_path / "part.jsonl"
    f.write_text("{}\n")

    def no_fsync(fd: int) -> None:
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(os, "fsync", no_fsync)
    monkeypatch.setattr(atomic, "_UNSYNCED", [], raising=False)  # not warned yet
    with caplog.at_level(logging.DEBUG, logger="annotate._util.atomic"):
        atomic.fsync_path(f)
        atomic.fsync_path(tmp_path)  # a folder, as before
        atomic.fsync_path(f)
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "does not flush files to the disk" in warned[0].getMessage()

    def broken(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError):
        atomic.fsync_path(f)


def test_commit_without_replace_takes_only_a_missing_or_empty_folder(tmp_path) -> None:
    """``replace=False`` (an export without --overwrite): a folder another process wrote at
    the target while this run worked is never replaced (faults49 F6)."""
    from annotate._util.atomic import commit

    for target in (tmp_path / "new", tmp_path / "empty"):
        if target.name == "empty":
            target.mkdir()
        tmp = tmp_path / f".{target.name}.partial"
        tmp.mkdir()
        (tmp / "mine.txt").write_text("mine")
        commit(tmp, target, replace=False)
        assert (target / "mine.txt").read_text() == "mine" and not tmp.exists()
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "manifest.json").write_text("theirs")
    tmp = tmp_path / ".theirs.partial"
    tmp.mkdir()
    (tmp / "mine.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        commit(tmp, theirs, replace=False)
    assert sorted(p.name for p in theirs.iterdir()) == ["manifest.json"]
    assert (tmp / "mine.txt").is_file()  # the caller's to remove
