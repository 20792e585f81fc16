"""Shared fixtures. Tests never reach a model hub; user paths point at a tmp dir."""

from __future__ import annotations

import functools
import itertools
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.heavy_first import heavy_first

# A test run started in the background by a shell without job control (`(make test &)`)
# inherits SIGINT ignored, and so would every process a test starts: the tests that
# send Ctrl-C to a child (tests/test_stderr_lines.py, tests/test_prelabel_resume_killed.py)
# then wait in vain (CI 47c/47d, launched so). Caught here, it is default again after exec.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# `precision: auto` takes bf16 on a CPU only where a matmul measurement finds it clearly
# faster (annotate.classifier.bf16_speed): a test's precision must not hang on a timing,
# so the suite takes native bf16 as faster (the rule by flags alone); the measurement's
# own tests (tests/classifier/test_bf16_speed.py) unset this
os.environ.setdefault("ANNOTATE_BF16_FASTER", "1")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def known_miss_params(
    rows: list[dict], misses: dict[str, str], ident: Callable[[dict], str]
) -> list[Any]:
    """``pytest.param(row, id=ident(row))`` per fixture row, a strict xfail where its
    ``doc_id`` is a known miss (the test fails as soon as one passes: the list cannot go
    stale)."""
    out = []
    for row in rows:
        reason = misses.get(row["doc_id"])
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(row, id=ident(row), marks=marks))
    return out


LABELS = ROOT / "labels.yaml"


@pytest.fixture(autouse=True)
def _isolated_user_paths(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep caches and settings of a test run out of the user's home."""
    home = tmp_path_factory.getbasetemp() / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HF_DATASETS_CACHE", str(home / "hf-datasets"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("ANNOTATE_LABELS", str(ROOT / "labels.yaml"))
    # Push, hand-over and pseudonym locks (annotate.studio.lock.lock_dir) of this worker
    # only: with the user's /tmp/annotate-locks-UID, a fake-server push into project "pro"
    # on one pytest-xdist worker made the same push on the other wait and warn (CI 59b,
    # tests/studio/test_push_server_failing.py). Tests of the default folder unset it.
    monkeypatch.setenv("ANNOTATE_LOCK_DIR", str(tmp_path_factory.getbasetemp() / "locks"))


STUDIO_FIXTURES = ("studio",)  # tests/integration/conftest.py: the server's ANNOTATE_HOME
_homes = itertools.count()


@pytest.fixture(autouse=True)
def _own_home_and_state(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
):
    """Each test has a work folder (``$ANNOTATE_HOME``: salt, pseudonym key, escalations,
    held-back and push records, ``state/``) and a user state folder (``$XDG_STATE_HOME``:
    :func:`annotate.settings.state_dir` without ``$ANNOTATE_HOME``) of its own, never the
    user's nor the repository's, and never another test's: the Label Studio session
    fixture sets ``$ANNOTATE_HOME`` for the rest of its pytest-xdist worker, and records
    one test left in its ``state/`` were read by a later one (CI 54a). A test that uses
    that server (it asks for ``studio``) keeps the server's home (where its credentials
    are), as does one marked ``shares_home`` (a wider fixture of its own set it); a test
    may still set or clear ``ANNOTATE_HOME`` itself. The folders are named,
    not made (the code makes what it writes): a test reading its ``tmp_path`` sees no
    more there. tests/test_state_isolation.py checks it."""
    n = next(_homes)
    base = tmp_path_factory.getbasetemp() / "test-homes"
    shares = request.node.get_closest_marker("shares_home") is not None
    if not shares and not any(name in request.fixturenames for name in STUDIO_FIXTURES):
        monkeypatch.setenv("ANNOTATE_HOME", str(base / f"home-{n}"))
    monkeypatch.setenv("XDG_STATE_HOME", str(base / f"state-{n}"))


@pytest.fixture(autouse=True)
def _no_held_back_record_in_the_repo(monkeypatch: pytest.MonkeyPatch):
    """Fail a test that writes a held-back record (and its ``.lock``) under the
    repository's own ``.annotate/review-held`` (the work folder found from the current
    folder when ``$ANNOTATE_HOME`` is not set): such a test sets ``ANNOTATE_HOME`` to a
    tmp_path. Checked where a writer takes the record's lock, so it names the test (a
    listing of the folder after each test would blame another worker's under xdist)."""
    from annotate.review import held_back

    real = held_back._lock
    repo_home = (ROOT / ".annotate").resolve()

    def guarded(path: Path, timeout: float):
        if path.resolve().is_relative_to(repo_home):
            pytest.fail(f"this test writes a held-back record in the repository: {path}")
        return real(path, timeout)

    monkeypatch.setattr(held_back, "_lock", guarded)


@pytest.fixture(autouse=True)
def _no_id_key_in_the_repo(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
):
    """The pseudonym key (annotate.audit.passage_pseudonyms.default_key_path, made on first
    use in the work folder) and export --redact's pseudonym map (default_map_path) go to
    a folder of the test run's where they would be made in the repository's own
    ``.annotate``: an ``ingest --redact`` of a file named by an address keys its
    document's ``doc_key`` with it, from whatever folder a test runs."""
    from annotate.audit import passage_pseudonyms

    repo_home = (ROOT / ".annotate").resolve()
    home = tmp_path_factory.getbasetemp() / "home"
    for name in ("default_key_path", "default_map_path"):
        real = getattr(passage_pseudonyms, name)

        def guarded(real: Callable[[], Path] = real) -> Path:
            path = real()
            return home / path.name if path.resolve().is_relative_to(repo_home) else path

        monkeypatch.setattr(passage_pseudonyms, name, guarded)


@pytest.fixture(autouse=True)
def _no_contradictions_record_in_the_repo(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
):
    """`review status`'s contradictions record (annotate.review.contradiction_memory,
    written in the work folder) goes to a folder of the test run's where it would be
    written in the repository's own ``.annotate`` (a test without ``ANNOTATE_HOME``): one
    folder per test, so no test reads another's record."""
    from annotate.review import contradiction_memory

    repo_home = (ROOT / ".annotate").resolve()
    real = contradiction_memory.memory_path
    made: list[Path] = []

    def guarded(server: str, project: str) -> Path:
        path = real(server, project)
        if not path.resolve().is_relative_to(repo_home):
            return path
        if not made:
            made.append(tmp_path_factory.mktemp("contradictions"))
        return made[0] / path.name

    monkeypatch.setattr(contradiction_memory, "memory_path", guarded)


REPO_SALT = ROOT / ".annotate" / "pseudonym_salt"


@pytest.fixture(autouse=True)
def _no_pseudonym_salt_in_the_repo(monkeypatch: pytest.MonkeyPatch):
    """Fail a test that makes the pseudonym salt (annotate.corpus.salt.reviewer_salt, made
    on first use in the work folder) in the repository's own ``.annotate``: the work
    folder found from the current folder when neither ``$ANNOTATE_HOME`` nor
    ``$ANNOTATE_PSEUDONYM_SALT`` is set. Such a test sets ``ANNOTATE_HOME`` to a tmp_path
    (or passes ``salt=``). Checked where the salt is written, so it names the test;
    :func:`_no_pseudonym_salt_left_in_the_repo` catches a command run in a subprocess."""
    from annotate.corpus import salt

    real = salt.atomic_output

    def guarded(path: Path, *args: Any, **kwargs: Any):
        if Path(path).resolve() == REPO_SALT.resolve():
            pytest.fail(f"this test makes the pseudonym salt in the repository: {path}")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(salt, "atomic_output", guarded)


@pytest.fixture(scope="session", autouse=True)
def _no_pseudonym_salt_left_in_the_repo():
    """A test run that leaves a ``.annotate/pseudonym_salt`` in the repository where
    there was none (a CLI run in a subprocess from the repository without
    ``ANNOTATE_HOME``, which the guard above cannot see) fails at the end of the run.
    A salt already there (``make demo`` in the checkout makes one) is left alone."""
    there = REPO_SALT.exists()
    yield
    if not there and REPO_SALT.exists():
        pytest.fail(
            f"a test made the pseudonym salt in the repository ({REPO_SALT}): a command it "
            "ran from the repository needs ANNOTATE_HOME set to a tmp_path"
        )


@pytest.fixture(autouse=True)
def _push_records_apart(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test's review pushes record what they mean (annotate.review.push_intent) in a
    folder of its own: pushes into fakes share a server URL and set names, and a push a
    test stops on purpose would leave its record to the next test (or in the repository's
    ``.annotate``)."""
    from annotate.review import push_intent

    folder = tmp_path_factory.mktemp("review-pushing")
    monkeypatch.setattr(push_intent, "records_folder", lambda: folder)


@pytest.fixture(autouse=True)
def _pushed_projects_apart(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
):
    """Each test's pushes record the projects they made (annotate.studio.pushed_projects)
    in a folder of their own: pushes into fakes share a server URL and project names, and
    a project one test made and deleted would be reported gone to the next. The folder
    earlier versions kept records in (the work folder's, read and moved by a push) is the
    test's own too: never the repository's ``.annotate``."""
    from annotate.studio import pushed_projects

    folder = tmp_path_factory.mktemp("pushed-projects")
    monkeypatch.setattr(pushed_projects, "records_folder", lambda: folder)
    legacy = tmp_path_factory.mktemp("pushed-projects-legacy")
    monkeypatch.setattr(pushed_projects, "legacy_folder", lambda: legacy)
    # the user's folder, read while $ANNOTATE_HOME's has no record: none of a test's own
    monkeypatch.setattr(pushed_projects, "shared_folder", lambda: None)


@functools.cache
def project_taxonomy():
    """The project's labels.yaml, loaded once for the whole run: the one way tests get
    the taxonomy (the ``taxonomy`` fixture, or this at module level)."""
    from annotate.taxonomy import load_taxonomy

    return load_taxonomy(LABELS)


@pytest.fixture(scope="session")
def taxonomy():
    return project_taxonomy()


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist each worker's torch gets its share of the CPUs (torch's default is
    one OpenMP thread per CPU in every process: two workers would each spin two threads on
    two cores, which measured several times slower than one thread each; see
    annotate/classifier/threads.py). A test that sets torch's threads sets them back."""
    workers = os.environ.get("PYTEST_XDIST_WORKER_COUNT")
    if workers and workers.isdigit() and int(workers) > 1:
        import torch

        from annotate.classifier.threads import usable_cpus

        torch.set_num_threads(max(1, usable_cpus() // int(workers)))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist, the slowest test files first (tests/heavy_first.py): `make test`
    hands files out in this order (``--dist loadfile --no-loadscope-reorder``). A run
    without workers keeps pytest's order."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        heavy_first(items)
