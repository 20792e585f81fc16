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
