"""dropping_lines leaves out of fd 2 only the lines holding a marker: a native
library's other errors, Python's writes, a progress bar's redraws and a last line
without its newline all reach the real standard error, in order. Run in a child process
whose stderr the test reads (the filter works on the process's fd 2)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTICE = (
    "[2026-12-03 06:06:15,462 E 11522 11522] core_worker.cc:2465: Actor with class name: "
    "'MapWorker(MapBatches(_Labeler))' and ID: '0656d2' has constructor arguments in the "
    "object store and max_restarts > 0. If the arguments in the object store go out of "
    "scope or are lost, the actor restart will fail. See "
    "https://github.com/ray-project/ray/issues/53727 for more details.\n"
)
OTHER_ERROR = "[2026-12-03 06:06:16,001 E 11522 11530] core_worker.cc:900: Actor died.\n"

CHILD = textwrap.dedent(
    """
    import os, sys
    from annotate._util.stderr_lines import dropping_lines
    from annotate.prelabeling_ray import RESTART_ARGS_NOTICE

    notice, other = sys.argv[1], sys.argv[2]
    os.write(2, b"before\\n")
    with dropping_lines([RESTART_ARGS_NOTICE]):
        os.write(2, b"\\rprelabel: 1/4")            # a bar's redraw, no newline
        os.write(2, notice.encode())                # Ray's line, as its logger writes it
        os.write(2, other.encode())                 # another error of Ray's: kept
        print("python says", file=sys.stderr)
        os.write(2, notice[:40].encode())           # the line in two writes
        os.write(2, notice[40:].encode())
        os.write(2, b"\\rprelabel: 3/4" + notice.encode())  # one write: the bar stays
        os.write(2, b"\\rprelabel: 4/4\\n")
        os.write(2, b"[no newline at the end")
    os.write(2, b"\\nafter\\n")
    """
)


def test_only_the_marked_lines_are_left_out() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, NOTICE, OTHER_ERROR],
        capture_output=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert proc.stderr.decode() == (
        "before\n\rprelabel: 1/4" + OTHER_ERROR + "python says\n\rprelabel: 3/4\rprelabel: 4/4\n"
        "[no newline at the end\nafter\n"
    )
