"""Re-check committed paired false-flag cells with the exact McNemar test (reader58 #1).

Reads every ``benchmarks/results/*.json`` list written by crosssource_paired.py,
threshold_paired.py or threshold_out_of_source.py and prints, per paired-rate cell whose
bootstrap interval (``b_minus_a_ci``) excludes 0, the discordant counts and the exact
McNemar p; cells at p >= 0.05 are within noise whatever the interval says.

    .venv/bin/python benchmarks/mcnemar_recheck.py [results_dir]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from _bootstrap import ALPHA, mcnemar_exact_p


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "results")
    excluded = within = 0
    for path in sorted(root.glob("*.json")):
        try:
            rows = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict) or "a_only" not in row:
                continue
            lo_hi = row.get("b_minus_a_ci")
            if not lo_hi or not (lo_hi[0] > 0 or lo_hi[1] < 0):
                continue
            excluded += 1
            p = mcnemar_exact_p(row["a_only"], row["b_only"])
            if p >= ALPHA:
                within += 1
                cell = row.get("false_flags") or row.get("label")
                print(
                    f"{path.name}\t{row.get('source')}\t{cell}\t"
                    f"{row['a_only']}/{row['b_only']}\tp={p:.4f}"
                )
    print(f"{excluded} cells with an interval excluding 0; {within} within noise by McNemar")


if __name__ == "__main__":
    main()
