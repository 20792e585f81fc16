"""Checkpointed prelabel, fast cases (a keyword classifier that can be made to fail on a
given call; the real model and real signals: test_prelabel_resume_killed.py)."""

from __future__ import annotations

import json
import logging
import os

import pyarrow.parquet as pq
import pytest

from annotate.errors import InputError
from annotate.prelabel_parts import LOCK_FILE, STATE_FILE, PartsStore, parts_folder
from annotate.prelabeling import Resumed, prelabel
from tests.fakes import KeywordClassifier

WINDOW = 4


class Stopped(Exception):
    pass


class FailingClassifier(KeywordClassifier):
    """Reads one neighbour each side (windows cut documents); raises on its
    ``fail_on``-th call (1-based), as a crash or a signal would."""

    context_passages = 1

    def __init__(self, labels: list[str], fail_on: int | None = None) -> None:
        super().__init__(labels)
        self.fail_on = fail_on
        self.fail_with: type[BaseException] = Stopped

    def predict(self, passages, *, progress=None):
        if self.fail_on is not None and len(self.calls) + 1 == self.fail_on:
            raise self.fail_with
        return super().predict(passages, progress=progress)


@pytest.fixture
def src(tmp_path):
    """10 documents of 3 passages (windows of 4 cut documents)."""
    rows = [
        {
            "id": f"d{d}-p{p}",
            "doc_id": f"d{d}",
            "passage_index": p,
            "text": f"Doc {d} passage {p}: " + ("they said they would kill" if d % 3 == 0 else "x"),
        }
        for d in range(10)
        for p in range(3)
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _interrupted(src, out, taxonomy, fail_on=4):
    clf = FailingClassifier(taxonomy.category_names, fail_on=fail_on)
    with pytest.raises(Stopped):
        prelabel(src, out, classifier=clf, chunk_size=WINDOW)
    return clf


def _clean(src, tmp_path, taxonomy, suffix):
    out = tmp_path / f"clean{suffix}"
    stats = prelabel(
        src, out, classifier=FailingClassifier(taxonomy.category_names), chunk_size=WINDOW
    )
    return out, stats


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_a_run_stopped_midway_resumes_with_the_uninterrupted_output(
    tmp_path, src, taxonomy, suffix
):
    want, want_stats = _clean(src, tmp_path, taxonomy, suffix)
    out = tmp_path / f"pre{suffix}"
    _interrupted(src, out, taxonomy, fail_on=4)  # 3 windows of 4 kept
    assert not out.exists() and parts_folder(out).is_dir()
    seen: list[Resumed] = []
    counted: list[int] = []
    clf = FailingClassifier(taxonomy.category_names)
    stats = prelabel(
        src, out, classifier=clf, chunk_size=WINDOW, on_resume=seen.append, progress=counted.append
    )
    assert [r.done for r in seen] == [12] and counted[0] == 12 and sum(counted) == 30
    assert len(clf.calls) == 5  # the 5 windows left (of 8), no more
    if suffix == ".jsonl":
        assert out.read_bytes() == want.read_bytes()
    else:
        assert pq.read_table(out).equals(pq.read_table(want))
    assert stats == want_stats  # counts of the earlier run's passages kept too
    assert not parts_folder(out).exists()


def test_restart_discards_the_parts(tmp_path, src, taxonomy, caplog):
    out = tmp_path / "pre.parquet"
    _interrupted(src, out, taxonomy)
    clf = FailingClassifier(taxonomy.category_names)
    with caplog.at_level(logging.WARNING):
        prelabel(src, out, classifier=clf, chunk_size=WINDOW, restart=True)
    assert len(clf.calls) == 8 and "(--restart)" in caplog.text
    assert pq.read_table(out).num_rows == 30


def test_an_edited_input_discards_the_parts_with_a_warning(tmp_path, src, taxonomy, caplog):
    out = tmp_path / "pre.jsonl"
    _interrupted(src, out, taxonomy)
    src.write_text(src.read_text().replace("Doc 0 passage 0", "Doc 0 passage zero"))
    clf = FailingClassifier(taxonomy.category_names)
    with caplog.at_level(logging.WARNING):
        prelabel(src, out, classifier=clf, chunk_size=WINDOW)
    assert len(clf.calls) == 8
    assert "discarding the 12 passage(s)" in caplog.text and "content changed" in caplog.text
    assert "passage zero" in out.read_text().splitlines()[0]


def test_another_window_size_or_model_discards_the_parts(tmp_path, src, taxonomy, caplog):
    out = tmp_path / "pre.jsonl"
    _interrupted(src, out, taxonomy)
    clf = FailingClassifier(taxonomy.category_names)
    clf.version = "keyword-fake@1"
    with caplog.at_level(logging.WARNING):
        prelabel(src, out, classifier=clf, chunk_size=WINDOW + 1)
    assert "the model: keyword-fake@0 -> keyword-fake@1" in caplog.text
    assert "the window size: 4 -> 5" in caplog.text
    assert {json.loads(r)["model_version"] for r in out.read_text().splitlines()} == {
        "keyword-fake@1"
    }


def test_a_lost_part_is_scored_again_or_an_unreadable_state_starts_afresh(
    tmp_path, src, taxonomy, caplog
):
    want, _ = _clean(src, tmp_path, taxonomy, ".parquet")
    out = tmp_path / "pre.parquet"
    _interrupted(src, out, taxonomy)
    (parts_folder(out) / "part-000001.parquet").unlink()
    clf = FailingClassifier(taxonomy.category_names)
    with caplog.at_level(logging.WARNING):
        prelabel(src, out, classifier=clf, chunk_size=WINDOW)
    assert "part-000001.parquet is missing or damaged (missing)" in caplog.text
    assert len(clf.calls) == 7  # part 0 kept; parts 1 and 2 scored again, with the rest
    assert pq.read_table(out).equals(pq.read_table(want))
    out.unlink()
    _interrupted(src, out, taxonomy)
    (parts_folder(out) / STATE_FILE).write_text("{not json")
    caplog.clear()
    clf = FailingClassifier(taxonomy.category_names)
    with caplog.at_level(logging.WARNING):
        prelabel(src, out, classifier=clf, chunk_size=WINDOW)
    assert len(clf.calls) == 8 and "cannot be read" in caplog.text
    assert pq.read_table(out).num_rows == 30


def test_a_run_stopped_before_its_first_window_leaves_no_folder(tmp_path, src, taxonomy):
    out = tmp_path / "pre.parquet"
    _interrupted(src, out, taxonomy, fail_on=1)
    assert not parts_folder(out).exists() and not out.exists()


def test_a_second_run_on_the_same_output_is_refused(tmp_path, src, taxonomy):
    out = tmp_path / "pre.parquet"
    with PartsStore(out, "parquet"), pytest.raises(InputError, match="another annotate prelabel"):
        prelabel(src, out, classifier=FailingClassifier(taxonomy.category_names))


def test_a_bad_input_leaves_no_parts(tmp_path, taxonomy):
    """A document out of order is found while scoring: its parts are not kept for the
    fixed input, which is another input."""
    rows = [{"id": f"{i}", "doc_id": "a" if i != 9 else "b", "text": "t"} for i in range(10)]
    rows.append({"id": "10", "doc_id": "a", "text": "t"})
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "pre.parquet"
    clf = FailingClassifier(taxonomy.category_names)
    clf.context_passages = 1
    with pytest.raises(InputError, match="appears again"):
        prelabel(src, out, classifier=clf, chunk_size=2)
    assert not parts_folder(out).exists()


def _garble(path):
    """The same number of lines, none of them JSON: what a line count cannot tell."""
    path.write_text("".join("x" * len(line) + "\n" for line in path.read_text().splitlines()))


@pytest.mark.parametrize("older_record", [False, True])
def test_a_damaged_part_is_never_read_as_data(tmp_path, src, taxonomy, caplog, older_record):
    """A part whose bytes are not the ones recorded (its SHA-256), or, in a record of an
    earlier version (no digest, no counts per part), whose rows do not parse, is treated as
    missing: scored again from there (afresh for an older record), with a warning."""
    want, want_stats = _clean(src, tmp_path, taxonomy, ".jsonl")
    out = tmp_path / "pre.jsonl"
    _interrupted(src, out, taxonomy)
    folder = parts_folder(out)
    if older_record:
        record = json.loads((folder / STATE_FILE).read_text())
        for part in record["parts"]:
            del part["sha256"], part["stats"]
        (folder / STATE_FILE).write_text(json.dumps(record))
    _garble(folder / "part-000002.jsonl")
    clf = FailingClassifier(taxonomy.category_names)
    with caplog.at_level(logging.WARNING):
        stats = prelabel(src, out, classifier=clf, chunk_size=WINDOW)
    assert "part-000002.jsonl is missing or damaged" in caplog.text
    assert len(clf.calls) == (8 if older_record else 6)
    assert out.read_bytes() == want.read_bytes() and stats == want_stats


def test_parts_and_state_reach_the_disk_before_and_after_their_rename(
    tmp_path, src, taxonomy, monkeypatch
):
    """Each part and each state.json is flushed under its partial name before the rename,
    and the folder after it (a power cut cannot leave a recorded part empty)."""
    from annotate._util import atomic

    synced: list[str] = []
    real = atomic.fsync_path

    def recorded(path):
        synced.append(path.name)
        real(path)

    monkeypatch.setattr(atomic, "fsync_path", recorded)
    monkeypatch.setattr("annotate.prelabel_parts.fsync_path", recorded)
    out = tmp_path / "pre.jsonl"
    _interrupted(src, out, taxonomy)
    folder = parts_folder(out).name
    for name in ("part-000000.jsonl", "part-000002.jsonl", STATE_FILE):
        partial = [k for k, s in enumerate(synced) if s.startswith(f".{name}.partial-")]
        assert partial, (name, synced)
        assert synced[partial[-1] + 1] == folder, synced
    assert synced[0] == tmp_path.name  # the parts folder's own entry


def test_an_interruption_before_any_window_does_not_say_parts_were_kept(
    tmp_path, src, taxonomy, monkeypatch
):
    """Ctrl-C while the model loads (seconds, before the first window is scored) keeps
    nothing: the message must not name a parts folder that does not exist, nor promise
    that the same command resumes. Stopped after a window, it says both."""
    from typer.testing import CliRunner

    import annotate.classifier
    from annotate.cli import app

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    out = tmp_path / "pre.jsonl"
    monkeypatch.setattr(annotate.classifier, "load_classifier", interrupted)
    result = CliRunner().invoke(app, ["prelabel", str(src), "--out", str(out), "-q"])
    assert result.exit_code != 0
    said = result.output
    assert "interrupted" in said and not parts_folder(out).exists()
    assert str(parts_folder(out)) not in said and "resumes" not in said, said

    from annotate.prelabeling import CHUNK_SIZE

    big = tmp_path / "big.jsonl"  # two windows of the CLI's size, documents of 3 passages
    rows = ({"id": f"d{i // 3}-p{i % 3}", "doc_id": f"d{i // 3}", "passage_index": i % 3,
             "text": f"passage {i}"} for i in range(CHUNK_SIZE + 30))  # fmt: skip
    big.write_text("".join(json.dumps(r) + "\n" for r in rows))
    clf = FailingClassifier(taxonomy.category_names, fail_on=2)  # Ctrl-C in window 2
    clf.fail_with = KeyboardInterrupt
    monkeypatch.setattr(annotate.classifier, "load_classifier", lambda *a, **k: clf)
    result = CliRunner().invoke(app, ["prelabel", str(big), "--out", str(out), "-q"])
    said = result.output
    assert parts_folder(out).is_dir()
    assert f"kept in {parts_folder(out)}" in said and "it resumes" in said, said


def test_an_interruption_in_the_first_window_says_what_was_lost(
    tmp_path, src, taxonomy, monkeypatch
):
    """Ctrl-C after 1,312 of 4,020 passages were scored (in the first window of 2,048):
    `prelabel --help` had said a run stopped so "keeps what it scored", and the message
    "nothing partial is left ... (it starts afresh)" did not say the 1,312 were lost."""
    from typer.testing import CliRunner

    import annotate.classifier
    from annotate.cli import app
    from annotate.prelabeling import CHUNK_SIZE

    clf = FailingClassifier(taxonomy.category_names, fail_on=1)  # Ctrl-C in window 1
    clf.fail_with = KeyboardInterrupt
    monkeypatch.setattr(annotate.classifier, "load_classifier", lambda *a, **k: clf)
    out = tmp_path / "pre.jsonl"
    said = CliRunner().invoke(app, ["prelabel", str(src), "--out", str(out), "-q"]).output
    assert not parts_folder(out).exists()
    assert f"no window of {CHUNK_SIZE:,} passages was complete" in said, said
    assert "none of the passages scored was kept" in said, said
    shown = CliRunner().invoke(app, ["prelabel", "--help"], env={"COLUMNS": "400"}).output
    assert f"keeps the windows of {CHUNK_SIZE:,} passages it finished" in shown, shown


def test_an_interruption_before_the_parts_are_checked_does_not_promise_a_resume(
    tmp_path, src, taxonomy, monkeypatch
):
    """Parts an earlier run kept are compared with this run's input, model and settings
    only once the model has loaded: stopped before that, the message must not promise
    that the same command resumes from them (parts of another model are discarded); with
    --restart, the same command discards them."""
    from typer.testing import CliRunner

    import annotate.classifier
    from annotate.cli import app

    out = tmp_path / "pre.jsonl"
    _interrupted(src, out, taxonomy)  # an earlier run kept parts
    assert any(parts_folder(out).glob("part-*"))

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(annotate.classifier, "load_classifier", interrupted)
    said = CliRunner().invoke(app, ["prelabel", str(src), "--out", str(out), "-q"]).output
    assert "it resumes from the passages already pre-labelled" not in said, said
    assert "resumes from the passages kept only if an earlier run" in said, said
    assert f"an earlier run pre-labelled are still in {parts_folder(out)}" in said, said
    said = (
        CliRunner().invoke(app, ["prelabel", str(src), "--out", str(out), "-q", "--restart"]).output
    )
    assert "resumes" not in said and "--restart discards the passages kept" in said, said


def test_a_resume_on_another_machine_starts_afresh(tmp_path, src, taxonomy, caplog, monkeypatch):
    """Parts scored on a GPU, or by a CPU with other kernels (AVX-512 against this AVX2
    one), are not mixed with this machine's scores: the run starts afresh, naming what
    changed; the same machine resumes (the test above)."""
    import torch

    out = tmp_path / "pre.jsonl"
    clf = FailingClassifier(taxonomy.category_names, fail_on=4)
    clf.device, clf.precision = "cuda", "bf16"  # as a GPU run records it
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda *a: "NVIDIA H200")
    with pytest.raises(Stopped):
        prelabel(src, out, classifier=clf, chunk_size=WINDOW)
    clf = FailingClassifier(taxonomy.category_names)
    clf.device, clf.precision = "cpu", "fp32"
    with caplog.at_level(logging.WARNING):
        prelabel(src, out, classifier=clf, chunk_size=WINDOW)
    assert len(clf.calls) == 8 and "discarding the 12 passage(s)" in caplog.text
    assert "the device the model ran on: cuda -> cpu" in caplog.text
    assert "the GPU: NVIDIA H200 -> null" in caplog.text
    assert "the precision that ran: bf16 -> fp32" in caplog.text

    out.unlink()
    caplog.clear()
    here = torch.backends.cpu.get_cpu_capability()
    other = "AVX512" if here != "AVX512" else "AVX2"
    with monkeypatch.context() as m:
        m.setattr(torch.backends.cpu, "get_cpu_capability", lambda: other)
        _interrupted(src, out, taxonomy)
    clf = FailingClassifier(taxonomy.category_names)
    with caplog.at_level(logging.WARNING):
        prelabel(src, out, classifier=clf, chunk_size=WINDOW)
    assert len(clf.calls) == 8
    assert f"the CPU instruction set torch used: {other} -> {here}" in caplog.text


def test_a_record_without_the_machine_starts_afresh(tmp_path, src, taxonomy, caplog):
    """A record written before the machine was kept cannot tell where its parts were
    scored: they are discarded, with the reason."""
    out = tmp_path / "pre.jsonl"
    _interrupted(src, out, taxonomy)
    record = json.loads((parts_folder(out) / STATE_FILE).read_text())
    del record["fingerprint"]["compute"]
    (parts_folder(out) / STATE_FILE).write_text(json.dumps(record))
    clf = FailingClassifier(taxonomy.category_names)
    with caplog.at_level(logging.WARNING):
        prelabel(src, out, classifier=clf, chunk_size=WINDOW)
    assert len(clf.calls) == 8 and "the machine the model ran on: null ->" in caplog.text


@pytest.mark.parametrize(
    "reads, said",
    [
        ("text without speaker labels", "reading 2 (text without speaker labels)"),
        (None, "reading 1 (the raw text)"),
    ],
)
def test_parts_of_another_reading_are_scored_again(tmp_path, src, taxonomy, caplog, reads, said):
    """Parts an older annotate wrote (the same version number, 0.1.0) read a passage
    otherwise: before stop 48 a subtitle cue with its markup, alone, a fullwidth letter
    as it is; their record says ``reads`` (or nothing, before speaker labels were left
    out), not this reading's version. They are scored again, the warning naming both
    readings, never resumed into this run's output."""
    from annotate.classifier.turn_text import READING_VERSION

    out = tmp_path / "pre.jsonl"
    _interrupted(src, out, taxonomy)
    record = json.loads((parts_folder(out) / STATE_FILE).read_text())
    assert record["fingerprint"]["reading"] == READING_VERSION
    del record["fingerprint"]["reading"]
    if reads is not None:
        record["fingerprint"]["reads"] = reads
    (parts_folder(out) / STATE_FILE).write_text(json.dumps(record))
    clf = FailingClassifier(taxonomy.category_names)
    with caplog.at_level(logging.WARNING):
        prelabel(src, out, classifier=clf, chunk_size=WINDOW)
    assert len(clf.calls) == 8  # every window scored again, none resumed
    assert "discarding the 12 passage(s)" in caplog.text
    assert f"what the model reads of a passage: {said} -> reading {READING_VERSION} (" in (
        caplog.text
    )


@pytest.mark.parametrize("what", ["file", "dangling link"])
def test_a_file_where_the_parts_folder_goes_is_a_clear_error(
    tmp_path, src, taxonomy, monkeypatch, what
):
    """A file named ``.OUT.resume`` (or a link to nothing) is not taken for the parts
    folder nor replaced: the CLI says what it expected, what it found and the fix, with no
    traceback, and leaves it as it was."""
    from typer.testing import CliRunner

    import annotate.classifier
    from annotate.cli import app

    out = tmp_path / "pre.jsonl"
    there = parts_folder(out)
    if what == "file":
        there.write_text("notes\n")
    else:
        there.symlink_to(tmp_path / "gone")
    loaded: list[object] = []  # the check comes before the model loads (seconds)
    monkeypatch.setattr(annotate.classifier, "load_classifier", lambda *a, **k: loaded.append(a))
    result = CliRunner().invoke(app, ["prelabel", str(src), "--out", str(out), "-q"])
    said = " ".join(result.output.split())
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "should be the folder where annotate keeps the passages" in said, said
    assert ("a file (6 bytes)" if what == "file" else "which does not exist") in said, said
    assert f"move or remove {there}" in said and "another --out" in said, said
    assert not out.exists() and loaded == []
    assert there.is_file() if what == "file" else there.is_symlink()
    with pytest.raises(InputError, match="should be the folder"), PartsStore(out, "jsonl"):
        pass  # the store checks it too (a file made while the model loaded)


def test_the_folder_is_removed_after_its_lock_is_released(tmp_path, src, taxonomy, monkeypatch):
    """On Windows an open file cannot be removed, and filelock removes a lock file itself
    when it releases it: a folder removed while its lock was held kept the lock file, and
    an empty ``.OUT.resume`` was left behind every run. Simulated here (the held lock file
    cannot be unlinked; the release removes it): the run leaves no folder, and the folder
    is removed after the release."""
    import os
    import shutil

    import filelock

    held: set[str] = set()
    events: list[str] = []
    real_unlink, real_rmdir, real_rmtree = os.unlink, os.rmdir, shutil.rmtree
    cls = filelock.FileLock
    real_acquire, real_release = cls.acquire, cls.release

    def unlink(path, *args, **kwargs):
        if os.path.basename(os.fsdecode(path)) == LOCK_FILE and held:
            raise PermissionError(13, "used by another process (as on Windows)", str(path))
        return real_unlink(path, *args, **kwargs)

    def acquire(self, *args, **kwargs):
        got = real_acquire(self, *args, **kwargs)
        held.add(self.lock_file)
        return got

    def release(self, *args, **kwargs):
        real_release(self, *args, **kwargs)
        if not self.is_locked and self.lock_file in held:
            held.discard(self.lock_file)
            events.append("released")
            real_unlink(self.lock_file)  # filelock on Windows, once the file is closed

    def rmdir(path, *args, **kwargs):
        events.append(f"rmdir {os.path.basename(os.fsdecode(path))}")
        return real_rmdir(path, *args, **kwargs)

    def rmtree(path, *args, **kwargs):
        events.append(f"rmtree {os.path.basename(os.fsdecode(path))}")
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)
    monkeypatch.setattr(os, "rmdir", rmdir)
    monkeypatch.setattr(shutil, "rmtree", rmtree)
    monkeypatch.setattr(cls, "acquire", acquire)
    monkeypatch.setattr(cls, "release", release)
    out = tmp_path / "pre.jsonl"
    prelabel(src, out, classifier=FailingClassifier(taxonomy.category_names), chunk_size=WINDOW)
    folder = parts_folder(out).name
    assert out.is_file() and not parts_folder(out).exists(), events
    assert f"rmtree {folder}" not in events, events  # not removed whole while held
    assert events.index("released") < events.index(f"rmdir {folder}"), events
    assert not held


def test_a_folder_removed_while_its_lock_is_taken_is_made_again(tmp_path, monkeypatch):
    """A run of the same output that finishes just as this one starts removes the folder
    between its making and the lock's take: the take is tried again, not a traceback."""
    import filelock

    cls = filelock.FileLock
    real_acquire, tries = cls.acquire, []

    def acquire(self, *args, **kwargs):
        tries.append(self.lock_file)
        if len(tries) == 1:
            raise FileNotFoundError(2, "No such file or directory", self.lock_file)
        return real_acquire(self, *args, **kwargs)

    monkeypatch.setattr(cls, "acquire", acquire)
    out = tmp_path / "pre.jsonl"
    with PartsStore(out, "jsonl") as store:
        assert store._lock.is_locked and len(tries) == 2
        store.remove()
    assert not parts_folder(out).exists()


def test_parts_of_another_thread_count_are_not_mixed_in(
    tmp_path, src, taxonomy, caplog, monkeypatch
):
    """An fp32 embedding can move in its last bits with torch's thread count (1 of 300
    did between 1 and 2 threads: benchmarks/README.md), so a resume at another count
    would not write the uninterrupted run's scores: its parts are discarded, naming the
    change. A record from before the count was kept still resumes; a run whose count
    was chosen by default takes the parts' count (use_threads(resumed=...))."""
    import torch

    from annotate.classifier import threads as threads_module
    from annotate.classifier.threads import Threads, use_threads
    from annotate.prelabel_parts import recorded_threads

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        out = tmp_path / "pre.jsonl"
        _interrupted(src, out, taxonomy)
        assert recorded_threads(out) == 1
        torch.set_num_threads(2)
        clf = FailingClassifier(taxonomy.category_names)
        with caplog.at_level(logging.WARNING):
            prelabel(src, out, classifier=clf, chunk_size=WINDOW)
        assert "the torch threads (--threads): 1 -> 2" in caplog.text
        assert len(clf.calls) == 8  # all scored afresh

        # a record written before the count was kept: resumed, as before
        torch.set_num_threads(1)
        _interrupted(src, out, taxonomy)
        state = parts_folder(out) / STATE_FILE
        record = json.loads(state.read_text())
        del record["fingerprint"]["threads"]
        state.write_text(json.dumps(record))
        assert recorded_threads(out) is None
        torch.set_num_threads(2)
        clf = FailingClassifier(taxonomy.category_names)
        prelabel(src, out, classifier=clf, chunk_size=WINDOW)
        assert len(clf.calls) == 5  # 3 windows came from the parts

        # the default rule gives way to the parts' count; an explicit count does not
        default = Threads(2, "default: 2 usable CPUs, 0.0 other tasks running", True)
        monkeypatch.setattr(threads_module, "resolve_threads", lambda requested: default)
        chosen = use_threads(None, resumed=1)
        assert (chosen.count, chosen.source) == (1, "the interrupted run's, resumed")
        explicit = Threads(2, "--threads")
        monkeypatch.setattr(threads_module, "resolve_threads", lambda requested: explicit)
        assert use_threads(2, resumed=1).count == 2
    finally:
        torch.set_num_threads(before)


@pytest.mark.skipif(os.name != "posix", reason="flock on an unlinked inode: POSIX")
def test_a_lock_file_unlinked_by_its_holder_is_not_taken_by_a_newcomer(tmp_path, monkeypatch):
    """PartsStore.__exit__ unlinks the lock file while it holds it: safe only with a
    filelock that, having flocked a file, checks it is still linked (st_nlink, filelock
    3.20.4, tox-dev/filelock#408; pyproject pins it). A newcomer that opened the file just
    before the holder unlinked it and released the lock must not hold that dead inode
    (a third run would then lock a new file at the same path beside it)."""
    import filelock

    path = str(tmp_path / LOCK_FILE)
    holder = filelock.FileLock(path)
    holder.acquire(timeout=0)
    real_open = os.open
    raced: list[bool] = []

    def open_then_holder_leaves(file, flags, *args, **kwargs):
        fd = real_open(file, flags, *args, **kwargs)
        if os.fsdecode(file) == path and not raced:  # between the newcomer's open and flock
            raced.append(True)
            os.unlink(path)
            holder.release()
        return fd

    monkeypatch.setattr(os, "open", open_then_holder_leaves)
    newcomer = filelock.FileLock(path)
    newcomer.acquire(timeout=2)
    try:
        assert raced and newcomer.is_locked
        assert os.path.exists(path), "the newcomer holds an unlinked lock file"
        third = filelock.FileLock(path)
        with pytest.raises(filelock.Timeout):
            third.acquire(timeout=0)
    finally:
        newcomer.release()


def test_a_run_to_another_out_names_the_parts_an_unfinished_run_left(
    tmp_path, src, taxonomy, monkeypatch
):
    """Re-run with another --out after an interrupted run: its parts (kept beside the
    first --out) were left behind without a word, for good (nothing removes them). The
    CLI names them, with how to finish that run or discard them, and leaves them there;
    the run that resumes them, and parts of another input, are not named."""
    from typer.testing import CliRunner

    import annotate.classifier
    from annotate.cli import app
    from annotate.prelabel_parts import left_behind

    first = tmp_path / "pre.jsonl"
    _interrupted(src, first, taxonomy)  # 12 passages kept in .pre.jsonl.resume
    other_src = tmp_path / "other.jsonl"
    other_src.write_text(src.read_text())
    _interrupted(other_src, tmp_path / "other-pre.jsonl", taxonomy)  # another input's
    clf = FailingClassifier(taxonomy.category_names)
    monkeypatch.setattr(annotate.classifier, "load_classifier", lambda *a, **k: clf)

    second = tmp_path / "pre2.jsonl"
    ran = CliRunner().invoke(app, ["prelabel", str(src), "--out", str(second), "-q"])
    assert ran.exit_code == 0, ran.output
    said = " ".join(ran.output.split())
    folder = parts_folder(first)
    assert (
        f"note: 12 passages of {src} pre-labelled by an earlier run writing {first}, which "
        f"did not finish (it was stopped: no run holds their lock), are kept in {folder}; this run "
        f"(--out {second}) does not use them and leaves them there. To finish that run: "
        f"`annotate prelabel {src} --out {first}`"
    ) in said, said
    assert f"to discard them: `rm -r {folder}`" in said
    assert "other-pre.jsonl" not in said  # another input's parts
    assert second.is_file() and folder.is_dir() and any(folder.glob("part-*"))  # kept
    assert [x.folder for x in left_behind(src, second)] == [folder]
    assert left_behind(src, first) == []  # its own parts: resumed, not left behind

    # while a run of that --out holds the folder's lock (running, or suspended), its parts
    # are named as that run's, with no command that would discard them from under it
    with PartsStore(first, "jsonl"):
        assert [x.running for x in left_behind(src, second)] == [True]
        again = ["prelabel", str(src), "--out", str(second), "-q", "--overwrite"]
        ran = CliRunner().invoke(app, again)
    assert ran.exit_code == 0, ran.output
    said = " ".join(ran.output.split())
    assert (
        f"note: 12 passages of {src} pre-labelled so far by another run writing {first}, still "
        f"running (it holds the lock of {folder}, where they are kept); this run (--out "
        f"{second}) does not use them and leaves them to that run."
    ) in said, said
    assert "rm -r" not in said and any(folder.glob("part-*"))
    assert [x.running for x in left_behind(src, second)] == [False]  # released: left behind

    # that run's own command: no note (its parts are its own; here another window size
    # than the test's, so discarded with a warning), and then nothing is left behind
    ran = CliRunner().invoke(app, ["prelabel", str(src), "--out", str(first), "-q"])
    assert ran.exit_code == 0 and "note:" not in ran.output, ran.output
    assert not folder.exists()


def test_a_full_disk_after_a_kept_window_says_it_is_kept_and_resumes(
    tmp_path, taxonomy, monkeypatch
):
    """A full disk while writing the second window's part: prelabel said "nothing partial
    was left behind" while the first window's 2,048 scored passages were kept in the
    resume folder (stop 49, faults F5). It says what is kept and that a re-run resumes."""
    import errno

    from typer.testing import CliRunner

    import annotate.classifier
    from annotate.cli import app
    from annotate.prelabeling import CHUNK_SIZE

    big = tmp_path / "big.jsonl"  # two windows of the CLI's size
    rows = ({"id": f"d{i // 3}-p{i % 3}", "doc_id": f"d{i // 3}", "passage_index": i % 3,
             "text": f"passage {i}"} for i in range(CHUNK_SIZE + 30))  # fmt: skip
    big.write_text("".join(json.dumps(r) + "\n" for r in rows))
    clf = FailingClassifier(taxonomy.category_names, fail_on=2)  # the disk fills in window 2
    clf.fail_with = OSError(errno.ENOSPC, "No space left on device")  # type: ignore[assignment]
    monkeypatch.setattr(annotate.classifier, "load_classifier", lambda *a, **k: clf)
    out = tmp_path / "pre.jsonl"
    result = CliRunner().invoke(app, ["prelabel", str(big), "--out", str(out), "-q"])
    said = result.output
    assert result.exit_code == 1 and "No space left on device" in said, said
    assert any(parts_folder(out).glob("part-*"))
    assert "nothing partial" not in said, said
    assert f"kept in {parts_folder(out)}" in said and "it resumes" in said, said
