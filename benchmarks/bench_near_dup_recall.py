"""Recall and precision of the near-duplicate search (annotate.ingestion.near_dups, which
ingest and export share) on synthetic posts, by true Jaccard similarity.

Corpus (seeded): N one-passage documents of 30-45 pseudo-words from a 20,000-word
vocabulary plus a short templated sentence (as a forum corpus of short posts); 5 % are a
copy of one of the previous 5,000 posts with 1 to 4 words replaced (so the planted pairs
spread from about 0.6 to 0.95 true Jaccard). The true Jaccard of each planted pair is
computed exactly on the same shingles (lower-cased word 3-grams).

Prints: recall by true-Jaccard bucket (planted pairs whose two passages share a group),
the false-group rate (grouped passages with no group-mate of another document at true
Jaccard >= the threshold), seconds and peak RSS.
Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_near_dup_recall.py [N] [threshold]``.
"""

from __future__ import annotations

import collections
import random
import resource
import sys
import time

from annotate.ingestion.near_dups import near_dup_index, shingles

TEMPLATES = [
    "I will {} the {} at the {} on {}.",
    "The report said {} {} were seen near {} {}.",
    "We must {} them all before {} {} {}.",
    "Nobody cares about {} or {} or {} or {}.",
]
DAYS = ["Monday", "Tuesday", "Sunday", "Saturday"]


def corpus(n: int, seed: int = 7) -> tuple[list[str], list[tuple[int, int]]]:
    """(texts, planted pairs (earlier, later))."""
    rng = random.Random(seed)
    syl = ["ka", "lo", "mi", "ra", "ten", "vor", "sil", "dun", "pe", "ax", "qui", "zor"]
    syl += ["bel", "tra", "nu", "fen", "gor", "hal", "ist", "mon"]
    words = sorted(
        {"".join(rng.choice(syl) for _ in range(rng.randint(2, 4))) for _ in range(20_000)}
    )
    texts: list[str] = []
    pairs = []
    for i in range(n):
        if i > 1000 and rng.random() < 0.05:
            src = rng.randrange(max(0, i - 5000), i)
            ws = texts[src].split()
            for j in rng.sample(range(len(ws)), rng.choice([1, 1, 2, 2, 3, 4])):
                ws[j] = rng.choice(words)
            texts.append(" ".join(ws))
            pairs.append((src, i))
        else:
            body = " ".join(rng.choice(words) for _ in range(rng.randint(30, 45))).capitalize()
            tail = rng.choice(TEMPLATES).format(
                *(rng.choice(words) for _ in range(3)), rng.choice(DAYS)
            )
            texts.append(f"{body}. {tail}")
    return texts, pairs


def jaccard(a: str, b: str) -> float:
    x, y = set(shingles(a)), set(shingles(b))
    return len(x & y) / len(x | y)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40_000
    threshold = float(sys.argv[2]) if len(sys.argv) > 2 else 0.8
    texts, pairs = corpus(n)
    ids = [f"p{i}" for i in range(n)]
    start = time.perf_counter()
    with near_dup_index(threshold) as index:
        for s in range(0, n, 5000):
            index.add(ids[s : s + 5000], ids[s : s + 5000], texts[s : s + 5000])
        index.group()
        groups = index.groups_of(0, n)
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

    total: collections.Counter[float] = collections.Counter()
    found: collections.Counter[float] = collections.Counter()
    for a, b in pairs:
        j = jaccard(texts[a], texts[b])
        bucket = min(int(j * 50) / 50, 0.98)  # 0.02 wide
        total[bucket] += 1
        found[bucket] += bool(groups.get(a) and groups.get(a) == groups.get(b))
    print(f"{n} posts, threshold {threshold}: {len(pairs)} planted pairs")
    print("| true Jaccard | pairs | found | recall |")
    print("|---|---|---|---|")
    for k in sorted(total):
        print(f"| {k:.2f}-{k + 0.02:.2f} | {total[k]} | {found[k]} | {found[k] / total[k]:.3f} |")
    above = [k for k in total if k >= threshold]
    t_above, f_above = sum(total[k] for k in above), sum(found[k] for k in above)
    print(f"recall at true Jaccard >= {threshold}: {f_above}/{t_above} = {f_above / t_above:.3f}")

    members = collections.defaultdict(list)
    for key, g in groups.items():
        members[g].append(key)
    false = sum(
        1
        for ks in members.values()
        for k in ks
        if not any(o != k and jaccard(texts[k], texts[o]) >= threshold for o in ks)
    )
    print(
        f"grouped passages {len(groups)} in {len(members)} groups; with no group-mate at "
        f"true Jaccard >= {threshold}: {false} ({false / max(1, len(groups)):.3%})"
    )
    print(f"search {seconds:.1f} s ({n / seconds:.0f} passages/s), peak RSS {rss} MiB")


if __name__ == "__main__":
    main()
