"""Default values the CLI shows in ``--help`` and the library uses.

A module without imports: ``annotate --help`` and every command's option parsing read
these without loading the library behind them (DuckDB, pyarrow, the Label Studio SDK,
torch), which each command imports only when it runs. The library modules named below
re-export them; change a value here.
"""

from __future__ import annotations

# annotate.ingestion.splitter: passage length in characters
DEFAULT_MAX_CHARS = 700
DEFAULT_MIN_CHARS = 80

# annotate.ingestion.near_dups: Jaccard similarity of word 3-gram sets (MinHash LSH)
DEFAULT_NEAR_DUP_THRESHOLD = 0.8

# annotate.studio.push: tasks per import request; what a refused batch does
DEFAULT_BATCH_SIZE = 1000
ON_ERROR = ("continue", "stop", "raise")

# annotate.studio.projects: Label Studio's advised size of one project
DEFAULT_MAX_TASKS_PER_PROJECT = 100_000

# annotate.studio.lock: seconds to wait for another push into the same project
DEFAULT_WAIT_S = 3600.0

# annotate.demo: the demo project's title
DEMO_PROJECT = "annotate demo"

# annotate.review.status_summary: reviewer queues `review status` lists by default
DEFAULT_STATUS_TOP = 10
