"""Run the `annotate` CLI and write its peak RSS (KiB) to $PEAK_RSS_FILE at exit."""

from __future__ import annotations

import atexit
import os
import resource
import sys


def _write() -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    with open(os.environ["PEAK_RSS_FILE"], "w") as fh:
        fh.write(str(peak))


if __name__ == "__main__":
    atexit.register(_write)
    from annotate.cli import main

    sys.argv = ["annotate", *sys.argv[1:]]
    main()
