"""`make test` hands the slowest test files out first (tests/heavy_first.py): the files of
``HEAVY_FIRST`` lead the work queue of ``--dist loadfile``, so that a one-minute file is not
the last one left while the other worker has nothing to do."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.heavy_first import HEAVY_FIRST, heavy_first

ROOT = Path(__file__).resolve().parents[1]
LIGHT = "tests/_util/test_python310.py"  # three quick tests, imports little
HEAVY = "tests/test_notebook_retrain.py"  # one test of ~40 s, listed


@dataclass
class Item:
    nodeid: str


def test_every_listed_file_is_a_test_file_of_the_suite() -> None:
    assert len(set(HEAVY_FIRST)) == len(HEAVY_FIRST)
    assert [n for n in HEAVY_FIRST if not (ROOT / n).is_file()] == []
    assert all(Path(n).name.startswith("test_") for n in HEAVY_FIRST)


def test_listed_files_lead_in_list_order_and_the_rest_keep_theirs() -> None:
    items = [
        Item("tests/a/test_x.py::test_1"),
        Item("tests/test_h2.py::test_1"),
        Item("tests/a/test_x.py::Class::test_2[p]"),
        Item("tests/test_h1.py::test_1"),
        Item("tests/test_y.py::test_1"),
        Item("tests/test_h2.py::test_2"),
    ]
    heavy_first(items, ("tests/test_h1.py", "tests/test_h2.py", "tests/test_gone.py"))
    assert [i.nodeid for i in items] == [
        "tests/test_h1.py::test_1",
        "tests/test_h2.py::test_1",
        "tests/test_h2.py::test_2",
        "tests/a/test_x.py::test_1",
        "tests/a/test_x.py::Class::test_2[p]",
        "tests/test_y.py::test_1",
    ]


def make_test_scheduling() -> list[str]:
    """The options of `make test`'s pytest that choose how files are handed out."""
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\ntest:", 1)[1]
    command = next(line for line in recipe.splitlines() if "-m pytest" in line)
    options = re.findall(r"--dist[ =]\S+|--(?:no-)?loadscope\S*", command)
    assert "--dist loadfile" in options and "--no-loadscope-reorder" in options
    return [part for option in options for part in option.replace("=", " ").split()]


def test_make_test_hands_a_listed_file_out_before_a_file_collected_first() -> None:
    # one worker, tests not run (--setup-plan): its report order is the work queue's.
    # xdist's own queue (most tests per file first) would start with the light file, as
    # would pytest's collection order (the light file is named first)
    assert HEAVY in HEAVY_FIRST and LIGHT not in HEAVY_FIRST
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}
    pytest = [sys.executable, "-m", "pytest", "-n", "1", *make_test_scheduling()]
    done = subprocess.run(
        [*pytest, "--setup-plan", "-v", "-p", "no:cacheprovider", LIGHT, HEAVY],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 5), done.stdout + done.stderr
    ran = [line.split("::")[0] for line in done.stdout.splitlines() if line.startswith("tests/")]
    assert ran and ran[0] == HEAVY, done.stdout
    assert ran.count(HEAVY) == 1 and ran.count(LIGHT) == 3
