"""One migrated Label Studio database per test run, copied into each test server's fresh
data dir before its first start.

A first start of Label Studio on SQLite runs its database migrations (396 of them in
1.23.2: ~43 CPU-s, a minute or more on the 2-core CI machine), then creates the admin, its
token and the organization (~9 CPU-s with the server's start-up). `make test` started
three such servers (one per xdist worker and test_deletion_guard_stale's own), each
migrating an empty database the same way. Here Label Studio's own migration step runs
once per run, into a template: ``label-studio version`` migrates exactly as ``label-studio
start`` does before it serves (its ``_apply_database_migrations``), then prints its version
and exits, creating no account. Each server then gets its own copy of that file
(:func:`seed`): ``label-studio start`` finds the schema up to date, skips the migrations,
and creates its own admin, token and organization; its secret key (``.env``) and the rest
of its data dir are its own too. The servers stay real and independent: only the schema
is shared, as a copy.

The template is built under a file lock in a folder the run's pytest processes share
(:func:`template_root`): under pytest-xdist the run's base temporary folder (every
worker's parent), else this process's own. It is keyed by the Label Studio venv, so a
server from another install (test_studio_compat.py) is not seeded from it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

from annotate.studio import server
from annotate.studio.connection import StudioPaths

from .studio_env import with_test_settings

DATABASE = "label_studio.sqlite3"  # Label Studio's SQLite file in its data dir
# what `label-studio start` (and `version`) prints when it runs the migrations
MIGRATING = "Initializing database.."
BUILD_TIMEOUT_S = 900  # migrations: a minute or more on 2 busy cores


def template_root(factory: pytest.TempPathFactory) -> Path:
    """The folder the run's pytest processes share: the base temporary folder of the run
    (under xdist every worker's basetemp is a folder in it), else this process's own."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def template(
    root: Path,
    venv: Path,
    env: Callable[..., dict[str, str]] | None = None,
) -> Path:
    """The migrated, account-free ``label_studio.sqlite3`` of ``venv``'s Label Studio
    (which must be installed), made in ``root`` by the first caller; a caller in another
    process waits for it (a file lock), then uses it. ``env``: the server environment
    (default: ``server.server_env`` with the tests' settings, studio_env.py).

    Raises RuntimeError with Label Studio's output when the migrations fail."""
    key = hashlib.sha256(str(venv.absolute()).encode()).hexdigest()[:12]
    done = root / f"studio-template-{key}" / DATABASE
    with FileLock(str(root / f"studio-template-{key}.lock")):
        if done.is_file():
            return done
        build = root / f"studio-template-{key}.build"
        shutil.rmtree(build, ignore_errors=True)
        paths = StudioPaths(root=build / "studio", venv=venv)
        creds = server.ensure_credentials(paths)  # unused: `version` makes no account
        paths.data.mkdir(parents=True)
        make_env = env or with_test_settings(server.server_env)
        ran = subprocess.run(
            [str(paths.executable), "version", "--data-dir", str(paths.data)],
            env=make_env(paths, creds),
            cwd=str(paths.data),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            check=False,
        )
        made = paths.data / DATABASE
        if ran.returncode != 0 or MIGRATING not in ran.stdout or not made.is_file():
            raise RuntimeError(
                f"migrating a template Label Studio database failed ({ran.returncode}): "
                f"{(ran.stdout + ran.stderr)[-3000:]}"
            )
        done.parent.mkdir()
        os.replace(made, done)  # whole or absent
        shutil.rmtree(build, ignore_errors=True)
        return done


def seed(paths: StudioPaths, database: Path) -> None:
    """Give the server of ``paths`` a copy of the migrated ``database`` before its first
    start, after its credentials (``server.start`` refuses a database without them, whose
    token it cannot know). Nothing when it has a database already (not a first start)."""
    target = paths.data / DATABASE
    if target.exists():
        return
    server.ensure_credentials(paths)
    paths.data.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f"{DATABASE}.part")
    shutil.copyfile(database, part)
    os.replace(part, target)


def seeded(paths: StudioPaths, root: Path) -> None:
    """Install Label Studio (a fresh clone has none), then :func:`seed` the server of
    ``paths`` from the template in ``root`` (made first if needed)."""
    server.install(paths)
    seed(paths, template(root, paths.venv))
