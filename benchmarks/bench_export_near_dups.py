"""Export's near-duplicate search (annotate.corpus.export_near_dups) on synthetic rows:
100,000 passages of 20-120 words over a 20,000-word vocabulary, 3 per document, 2 % of
them near-copies (an earlier passage + one word) in another document. Prints seconds,
rows/s, passages grouped and peak RSS; state the machine's load and CPU flags with it.
Run: ``.venv/bin/python benchmarks/bench_export_near_dups.py [N]``.
"""

import random
import resource
import sys
import time

from annotate.corpus.export_near_dups import export_near_dup_groups


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rng = random.Random(0)
    words = [f"w{i}" for i in range(20_000)]
    rows = []
    for i in range(n):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(20, 120)))
        rows.append({"id": f"d{i // 3}-p{i % 3}", "doc_id": f"d{i // 3}", "text": text})
    for i in range(0, n, 50):  # 2 % near-copies of an earlier passage, in another document
        rows[i]["text"] = rows[rng.randrange(0, n)]["text"] + " extra"
    start = time.perf_counter()
    found = export_near_dup_groups(rows, 0.8)
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    grouped = sum(g is not None for g in found)
    print(f"{n} rows: {seconds:.1f} s, {n / seconds:.0f} rows/s, {grouped} grouped, {rss} MiB")


if __name__ == "__main__":
    main()
