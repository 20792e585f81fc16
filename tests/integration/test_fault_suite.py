"""The fault suite of issue 12 against the session's real Label Studio: the push process
killed (SIGKILL, SIGTERM) and run again, a full disk (a small real tmpfs) during export
and prelabel, export while a reviewer annotates. Each case ends with every passage once
with its prediction, reviewed work intact and exportable, one error line for the user,
and no file that looks complete or partial after the failure.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection
from annotate.studio.lock import LOCK_DIR_ENV, lock_path

from .helpers import (
    MODEL,
    PRELABELS,
    assert_each_passage_once_with_its_prediction,
    choices,
    many_prelabels,
    passage_ids,
    run_main,
    tasks_by_passage,
)

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


# ---- helpers -----------------------------------------------------------------------------


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "Fix:" in lines[0], err
    assert "Traceback" not in err, err
    return lines[0]


def review(client: StudioClient, task_id: int, labels: list[str]) -> None:
    client.sdk.annotations.create(
        id=task_id, result=[choices("category", labels)], completed_by=int(client.whoami()["id"])
    )


def leftovers(folder: Path) -> list[str]:
    """Files of a failed run that look complete or partial (hidden temporaries included)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name != "filler")


def export_rows(out: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for split in ("train", "validation", "test")
        for line in (out / "jsonl" / f"{split}.jsonl").read_text().splitlines()
    ]


@pytest.fixture()
def as_user(studio: Connection, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """The environment a user's shell has after `eval "$(annotate studio env)"`, with a
    private lock folder (to see what a run leaves there)."""
    env = {
        "LABEL_STUDIO_URL": studio.url,
        "LABEL_STUDIO_API_KEY": studio.api_key,
        LOCK_DIR_ENV: str(tmp_path / "locks"),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


# ---- the push process killed -------------------------------------------------------------
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_push_process_killed_midway_then_run_again(
    sig: signal.Signals,
    client: StudioClient,
    project_name: str,
    as_user: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    prelabels = tmp_path / "prelabels.jsonl"
    expected = many_prelabels(prelabels, copies=10)  # 60 passages, 30 batches of 2
    argv = ["push", str(prelabels), "--project", project_name, "--batch-size", "2", "-q"]
    env = {**os.environ, **as_user, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotate", *argv],
        env=env,
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    landed = 0
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            project = client.find_project(project_name)
            landed = len(passage_ids(client, int(project["id"]))) if project else 0
            if landed >= 4:
                break
            time.sleep(0.05)
        assert proc.poll() is None, f"the push ended before it was killed: {proc.stderr}"
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if sig == signal.SIGTERM:  # handled like Ctrl-C: one line, the fix, exit 128 + 15
        assert proc.returncode == 143
        assert "interrupted (SIGTERM)" in one_error_line(err)
    else:
        assert proc.returncode == -signal.SIGKILL
    pid = int(client.require_project(project_name)["id"])
    before = len(passage_ids(client, pid))
    assert 4 <= before < len(expected)

    # a reviewer answers one of the tasks that landed before the push is run again
    reviewed = next(iter(tasks_by_passage(client, pid).items()))
    review(client, int(reviewed[1]["id"]), ["violent_threat"])

    # no lock is held (the kernel drops a killed process's lock), nothing partial is left
    lock = FileLock(str(lock_path(client.url, project_name)))
    lock.acquire(timeout=0)
    lock.release()
    assert [p for p in tmp_path.rglob("*") if ".partial" in p.name] == []

    code, err = run_main(argv, capsys)
    assert code == 0, err
    assert_each_passage_once_with_its_prediction(client, project_name, expected)
    out = tmp_path / "corpus"
    code, err = run_main(["export", "--project", project_name, "--out", str(out)], capsys)
    assert code == 0, err
    rows = export_rows(out)
    assert [r["id"] for r in rows] == [reviewed[0]]
    assert rows[0]["labels"] == ["violent_threat"] and rows[0]["model_version"] == MODEL


# ---- a full disk ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_disk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A real 4 MiB tmpfs (unmounted afterwards); skipped where mounting is not allowed."""
    where = tmp_path_factory.mktemp("small-disk")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): {done.stderr}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.fixture()
def full_disk(small_disk: Path) -> Iterator[Any]:
    """``leave(n)``: fill the small disk until ``n`` bytes are free; emptied afterwards."""

    def leave(free: int) -> Path:
        filler = small_disk / "filler"
        filler.unlink(missing_ok=True)
        st = os.statvfs(small_disk)
        size = max(0, st.f_bavail * st.f_frsize - free)
        with filler.open("wb") as fh:
            fh.write(b"\0" * size)
        return small_disk

    yield leave
    for p in sorted(small_disk.iterdir()):
        subprocess.run(["rm", "-rf", str(p)], check=True)


@pytest.fixture(scope="module")
def reviewed_project(studio: Connection) -> Iterator[tuple[str, list[str]]]:
    """A project of the fixture's six passages, three of them reviewed."""
    client = StudioClient(studio)
    from annotate.studio.push import push

    title = f"test-disk-{os.getpid()}-{time.monotonic_ns()}"
    result = push(PRELABELS, title, client=client)
    tasks = tasks_by_passage(client, result.project_id)
    reviewed = sorted(tasks)[:3]
    for pid in reviewed:
        review(client, int(tasks[pid]["id"]), ["news_reporting"])
    yield title, reviewed
    client.delete_project(result.project_id)


# where the disk fills: before anything is written, inside the dataset, near the end
EXPORT_FREE_BYTES = [0, 64 * 1024, 256 * 1024]


@pytest.mark.parametrize("free", EXPORT_FREE_BYTES)
def test_export_to_a_full_disk(
    free: int,
    reviewed_project: tuple[str, list[str]],
    full_disk: Any,
    as_user: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project, reviewed = reviewed_project
    disk = full_disk(free)
    code, err = run_main(["export", "--project", project, "--out", str(disk / "corpus")], capsys)
    assert code == 1
    line = one_error_line(err)
    assert "No space left on device" in line and "free disk space" in line
    assert leftovers(disk) == []
    # run again to a disk with room: every reviewed passage is exported
    out = tmp_path / "corpus"
    code, err = run_main(["export", "--project", project, "--out", str(out)], capsys)
    assert code == 0, err
    assert sorted(r["id"] for r in export_rows(out)) == reviewed


def test_a_failed_export_to_a_full_disk_keeps_the_previous_export(
    reviewed_project: tuple[str, list[str]],
    full_disk: Any,
    as_user: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    project, reviewed = reviewed_project
    disk = full_disk(4 * 1024 * 1024)
    out = disk / "corpus"
    code, err = run_main(["export", "--project", project, "--out", str(out)], capsys)
    assert code == 0, err
    before = (out / "manifest.json").read_bytes()
    full_disk(4096)  # no room for a second copy beside the first
    code, err = run_main(["export", "--project", project, "--out", str(out), "--overwrite"], capsys)
    assert code == 1 and "No space left" in one_error_line(err)
    assert (out / "manifest.json").read_bytes() == before
    assert sorted(r["id"] for r in export_rows(out)) == reviewed
    assert [p for p in disk.iterdir() if p.name.startswith(".")] == []


COPIES = 5  # 30 passages: about 20 KB of JSONL, several times the space left


@pytest.fixture(scope="module")
def real_classifier() -> Any:
    """The shipped default model, loaded once for the module (a real transformers model)."""
    from annotate.classifier import DEFAULT_MODEL_DIR, load_classifier

    if not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file():
        pytest.skip("models/default is not built (run `make model`)")
    from annotate.taxonomy import load_taxonomy

    return load_classifier(None, load_taxonomy())


# a disk full before the first row, and one that fills while rows are written or closed
@pytest.mark.parametrize(("fmt", "free"), [("jsonl", 0), ("jsonl", 4096), ("parquet", 4096)])
def test_prelabel_to_a_full_disk(
    fmt: str,
    free: int,
    real_classifier: Any,
    full_disk: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import annotate.classifier

    monkeypatch.setattr(annotate.classifier, "load_classifier", lambda *a, **k: real_classifier)
    passages = tmp_path / "passages.jsonl"
    rows = [json.loads(line) for line in PRELABELS.read_text().splitlines() if line.strip()]
    keep = ("id", "text", "doc_id", "passage_index", "start", "end", "title", "source")
    passages.write_text(
        "".join(
            json.dumps(
                {k: r[k] for k in keep} | {"id": f"{r['id']}-{k}", "doc_id": f"{r['doc_id']}-{k}"}
            )
            + "\n"
            for k in range(COPIES)
            for r in rows
        )
    )
    disk = full_disk(free)
    code, err = run_main(["prelabel", str(passages), "-o", str(disk / f"pre.{fmt}"), "-q"], capsys)
    assert code == 1
    line = one_error_line(err)
    assert "No space left on device" in line or "errno 28" in line, line
    assert leftovers(disk) == []
    out = tmp_path / f"pre.{fmt}"
    code, err = run_main(["prelabel", str(passages), "-o", str(out), "-q"], capsys)
    assert code == 0, err
    from annotate.tables import iter_rows

    assert Counter(r["id"] for r in iter_rows(out)) == Counter(
        f"{r['id']}-{k}" for k in range(COPIES) for r in rows
    )


# ---- export while a reviewer annotates -----------------------------------------------------
class Reviewer(threading.Thread):
    """Answers one task after another through the API, ``per_s`` answers a second."""

    def __init__(self, client: StudioClient, task_ids: list[int], per_s: float) -> None:
        super().__init__(daemon=True)
        self.client, self.task_ids, self.per_s = client, task_ids, per_s
        self.stop = threading.Event()
        self.done: list[int] = []
        self.errors: list[BaseException] = []

    def run(self) -> None:
        try:
            me = int(self.client.whoami()["id"])
            for task_id in self.task_ids:
                if self.stop.is_set():
                    return
                self.client.sdk.annotations.create(
                    id=task_id, result=[choices("category", ["none"])], completed_by=me
                )
                self.done.append(task_id)
                time.sleep(1.0 / self.per_s)
        except BaseException as exc:  # surfaced by the test
            self.errors.append(exc)


def test_export_while_a_reviewer_annotates(
    studio: Connection,
    client: StudioClient,
    project_name: str,
    as_user: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    prelabels = tmp_path / "prelabels.jsonl"
    expected = many_prelabels(prelabels, copies=20)  # 120 passages
    code, err = run_main(["push", str(prelabels), "--project", project_name, "-q"], capsys)
    assert code == 0, err
    pid = assert_each_passage_once_with_its_prediction(client, project_name, expected)
    tasks = sorted(int(t["id"]) for t in tasks_by_passage(client, pid).values())
    first = tasks[:5]
    for task_id in first:
        review(client, task_id, ["news_reporting"])

    reviewer = Reviewer(StudioClient(studio), tasks[5:], per_s=4.0)
    reviewer.start()
    try:
        while len(reviewer.done) < 3:  # the reviewer is under way
            time.sleep(0.05)
        out = tmp_path / "corpus"
        code, err = run_main(["export", "--project", project_name, "--out", str(out)], capsys)
        answered_by_then = len(reviewer.done)
    finally:
        reviewer.stop.set()
        reviewer.join(timeout=30)
    assert reviewer.errors == []
    assert answered_by_then > 3, "the reviewer did not annotate during the export"
    assert code == 0, err  # a consistent snapshot, not "602 annotated, snapshot gave 600"
    manifest = json.loads((out / "manifest.json").read_text())
    rows = export_rows(out)
    ids = [r["ls_task_id"] for r in rows]
    assert len(ids) == len(set(ids)) == manifest["rows"]["total"]
    assert set(first) <= set(ids)  # reviewed before the export: all there
    assert set(ids) <= set(first) | set(reviewer.done)  # nothing that was not answered
    assert all(r["annotations"] for r in rows)

    # once the reviewer pauses, a second export holds every answer
    again = tmp_path / "corpus2"
    code, err = run_main(["export", "--project", project_name, "--out", str(again)], capsys)
    assert code == 0, err
    assert sorted(r["ls_task_id"] for r in export_rows(again)) == sorted(first + reviewer.done)


# ---- a request the server refuses ----------------------------------------------------------
def test_a_refused_request_names_the_field_and_the_reason(
    as_user: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Label Studio refuses a project title under 3 characters; the error used to say only
    "Validation error". (A push refuses such a new name itself now, before the server:
    that check is switched off here to reach the server's.)"""
    import annotate.studio.push

    monkeypatch.setattr(annotate.studio.push, "short_name_error", lambda members: None)
    code, err = run_main(["push", str(PRELABELS), "--project", "ab", "-q"], capsys)
    assert code == 1
    line = one_error_line(err)
    assert "HTTP 400" in line and "title: Ensure this field has at least 3 characters" in line


def test_a_new_name_under_3_characters_is_refused_before_the_server_and_an_old_one_works(
    as_user: dict[str, str],
    client: StudioClient,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A 2-character name: a push that fits one project failed on the server's HTTP 400
    ("check the input; see the server log"), while the same push with
    --max-tasks-per-project (projects 'NAME #1', ...) or as a review set worked. A new
    name is refused by the push in every form, with the fix; numbered projects made under
    one before are still pushed into and exported."""
    import annotate.studio.push

    name = f"{uuid.uuid4().hex[:2]}"
    while any(str(p["title"]).startswith(name) for p in client.list_projects(include="id,title")):
        name = f"{uuid.uuid4().hex[:2]}"
    said = (
        f"error: --project {name!r} has 2 characters; Label Studio refuses a project title "
        f"of fewer than 3. Fix: pass a name of 3 to 50 characters, e.g. --project "
        f"'{name} 2026-12'."
    )
    try:
        for extra in ([], ["--max-tasks-per-project", "3"], ["--reviewers-per-task", "2"]):
            code, err = run_main(["push", str(PRELABELS), "--project", name, "-q", *extra], capsys)
            assert code == 1 and one_error_line(err) == said, err
        # titles a push under it would make start with it ("NAME", "NAME #1", review
        # queues); another test's title may hold the two characters anywhere (CI 44d:
        # 'test-disk-28142-30263644516058' for the name '30', made while this ran)
        made = client.list_projects(include="id,title")
        assert not [p for p in made if str(p["title"]).startswith(name)]

        # numbered projects made under it before the check: pushed into, as before
        with monkeypatch.context() as mp:
            mp.setattr(annotate.studio.push, "short_name_error", lambda members: None)
            code, err = run_main(
                ["push", str(PRELABELS), "--project", name, "--max-tasks-per-project", "3"],
                capsys,
            )
            assert code == 0, err
        code, err = run_main(["push", str(PRELABELS), "--project", name], capsys)
        assert code == 0, err
        # a title of its own: another test's may hold the two characters anywhere (CI 46b:
        # 'test-disk-4174-54434298288869' for the name '88')
        made = [
            p
            for p in client.list_projects(include="id,title")
            if p["title"] == name or str(p["title"]).startswith(f"{name} #")
        ]
        assert sorted(p["title"] for p in made) == [f"{name} #1", f"{name} #2"]
        tasks = [pid for p in made for pid in passage_ids(client, int(p["id"]))]
        assert sorted(tasks) == sorted(set(tasks)) and len(tasks) == 6  # none added again
    finally:
        for proj in client.list_projects(include="id,title"):
            if str(proj["title"]).startswith(f"{name} #"):
                client.sdk.projects.delete(int(proj["id"]))
