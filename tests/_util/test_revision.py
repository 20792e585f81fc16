"""The tool version manifests record names the git revision of a checkout
(``0.1.0 (git 1a2b3c4)``); it was ``0.1.0`` alone, the same for every commit."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from annotate._util import revision
from annotate._util.revision import describe, git_revision

SHA = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"


def _repo(root: Path, head: str = "ref: refs/heads/main\n") -> Path:
    git = root / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text(head)
    return git


def test_a_branch_ref_loose_or_packed(tmp_path: Path) -> None:
    git = _repo(tmp_path)
    (git / "packed-refs").write_text(f"# pack-refs with: peeled\n{SHA} refs/heads/main\n")
    assert git_revision(tmp_path) == SHA
    other = "f" * 40
    (git / "refs" / "heads" / "main").write_text(other + "\n")  # loose wins over packed
    assert git_revision(tmp_path) == other


def test_a_detached_head_and_a_worktree(tmp_path: Path) -> None:
    main = tmp_path / "main"
    git = _repo(main)
    (git / "refs" / "heads" / "topic").write_text(SHA + "\n")
    wt_git = git / "worktrees" / "wt"
    wt_git.mkdir(parents=True)
    (wt_git / "HEAD").write_text("ref: refs/heads/topic\n")
    (wt_git / "commondir").write_text("../..\n")
    wt = tmp_path / "wt"
    wt.mkdir()
    (wt / ".git").write_text(f"gitdir: {wt_git}\n")
    assert git_revision(wt) == SHA
    (wt_git / "HEAD").write_text(SHA + "\n")
    assert git_revision(wt) == SHA


def test_no_checkout_or_an_unreadable_one_gives_the_version_alone(tmp_path: Path) -> None:
    assert describe("0.1.0", tmp_path) == "0.1.0"
    assert describe("0.1.0", None) == "0.1.0"
    _repo(tmp_path, head="ref: refs/heads/gone\n")  # a branch with no commit yet
    assert describe("0.1.0", tmp_path) == "0.1.0"


def test_the_short_revision_and_dirty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _repo(tmp_path, head=SHA + "\n")
    monkeypatch.setattr(revision, "git_dirty", lambda root: None)  # git unavailable
    assert describe("0.1.0", tmp_path) == "0.1.0 (git 1a2b3c4)"
    monkeypatch.setattr(revision, "git_dirty", lambda root: True)
    assert describe("0.1.0", tmp_path) == "0.1.0 (git 1a2b3c4, dirty)"


def test_git_status_failing_is_unknown_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(*args: object, **kwargs: object) -> None:
        raise subprocess.TimeoutExpired("git", 3)

    monkeypatch.setattr(subprocess, "run", slow)
    assert revision.git_dirty(tmp_path) is None


def test_the_export_manifest_records_the_revision_of_this_checkout(tmp_path: Path) -> None:
    from annotate.corpus.export import export
    from annotate.settings import PROJECT_ROOT
    from tests.audit.fakes import FakeStudio, reviewed_tasks

    sha = git_revision(PROJECT_ROOT)
    if sha is None:
        pytest.skip("not run from a git checkout")
    result = export("p", tmp_path / "c", client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    assert result.manifest["versions"]["annotate"].startswith(f"0.1.0 (git {sha[:7]}")
