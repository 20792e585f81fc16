"""Recall and precision of the near-duplicate search (annotate.ingestion.near_dups, which
ingest and export share) on synthetic posts, by true Jaccard similarity.

Corpus (seeded): N one-passage documents of 30-45 pseudo-words from a 20,000-word
vocabulary plus a short templated sentence (as a forum corpus of short posts); 5 % are a
copy of one of the previous 5,000 posts with 1 to 4 words replaced (so the planted pairs
spread from about 0.6 to 0.95 true Jaccard). The true Jaccard of each planted pair is
computed exactly on the same shingles (lower-cased word 3-grams).

Scripts written without spaces (``script`` zh or th): the same corpus in pseudo-Chinese
(words of 1-3 Han characters, no spaces, a comma or full stop every 4-9 words) or
pseudo-Thai (words of 2-6 code points: consonants, vowel letters and marks, tone marks;
a space every 4-9 words), 1 to 4 words replaced in a copy. Their true Jaccard is on the
same shingles (character 3-grams, 5-grams for Thai), so the table by planted edits
(words replaced) is the one to compare with a shingling that differs.

Prints: recall by true-Jaccard bucket and by words replaced (planted pairs whose two
passages share a group), the false-group rate (grouped passages with no group-mate of
another document at true Jaccard >= the threshold), seconds and peak RSS.
Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_near_dup_recall.py [N] [threshold]
[words|zh|th]``.
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


def corpus(n: int, seed: int = 7) -> tuple[list[str], list[tuple[int, int, int]]]:
    """(texts, planted pairs (earlier, later, words replaced))."""
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
            edits = rng.choice([1, 1, 2, 2, 3, 4])
            for j in rng.sample(range(len(ws)), edits):
                ws[j] = rng.choice(words)
            texts.append(" ".join(ws))
            pairs.append((src, i, edits))
        else:
            body = " ".join(rng.choice(words) for _ in range(rng.randint(30, 45))).capitalize()
            tail = rng.choice(TEMPLATES).format(
                *(rng.choice(words) for _ in range(3)), rng.choice(DAYS)
            )
            texts.append(f"{body}. {tail}")
    return texts, pairs


def _unspaced_words(script: str, rng: random.Random) -> list[str]:
    """20,000 pseudo-words: 1-3 of 3,000 Han characters (zh), or Thai syllables of a
    consonant, a vowel (letter or mark) and now and then a tone mark, 1-2 a word (th)."""
    if script == "zh":
        chars = [chr(c) for c in rng.sample(range(0x4E00, 0x9FA6), 3000)]
        make = lambda: "".join(rng.choice(chars) for _ in range(rng.choice([1, 2, 2, 2, 3])))  # noqa: E731
    else:
        consonants = [chr(c) for c in range(0x0E01, 0x0E2F)]
        vowels = ["\u0e32", "\u0e34", "\u0e35", "\u0e36", "\u0e38", "\u0e39", "\u0e31"]
        leading = ["\u0e40", "\u0e41", "\u0e42", "\u0e43", "\u0e44"]
        tones = ["\u0e48", "\u0e49", "\u0e4a", "\u0e4b"]

        def syllable() -> str:
            c, v = rng.choice(consonants), rng.choice(vowels + leading)
            s = f"{v}{c}" if v in leading else f"{c}{v}"
            if rng.random() < 0.3:
                s += rng.choice(tones)
            return s + (rng.choice(consonants) if rng.random() < 0.5 else "")

        make = lambda: "".join(syllable() for _ in range(rng.choice([1, 2, 2])))  # noqa: E731
    return sorted({make() for _ in range(20_000)})


def corpus_unspaced(
    n: int, script: str, seed: int = 7
) -> tuple[list[str], list[tuple[int, int, int]]]:
    """The corpus of :func:`corpus` in a script written without spaces: (texts, planted
    pairs (earlier, later, words replaced)). Each post is kept as its words and the
    breaks between them (punctuation, or a space in Thai), so a copy replaces words."""
    rng = random.Random(seed)
    words = _unspaced_words(script, rng)
    breaks = ["，", "。"] if script == "zh" else [" "]
    posts: list[list[str]] = []  # words with their break (or "") after them
    pairs = []
    for i in range(n):
        if i > 1000 and rng.random() < 0.05:
            src = rng.randrange(max(0, i - 5000), i)
            post = list(posts[src])
            edits = rng.choice([1, 1, 2, 2, 3, 4])
            for j in rng.sample(range(len(post)), edits):
                post[j] = rng.choice(words) + post[j][len(post[j].rstrip("，。 ")) :]
            posts.append(post)
            pairs.append((src, i, edits))
        else:
            post, until = [], rng.randint(4, 9)
            for j in range(rng.randint(30, 45)):
                w = rng.choice(words)
                if j == until:
                    w, until = w + rng.choice(breaks), j + rng.randint(4, 9)
                post.append(w)
            posts.append(post)
    return ["".join(p).strip() + ("。" if script == "zh" else "") for p in posts], pairs


def jaccard(a: str, b: str) -> float:
    x, y = set(shingles(a)), set(shingles(b))
    return len(x & y) / len(x | y)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40_000
    threshold = float(sys.argv[2]) if len(sys.argv) > 2 else 0.8
    script = sys.argv[3] if len(sys.argv) > 3 else "words"
    if script not in ("words", "zh", "th"):
        raise SystemExit(f"script: words, zh or th, found {script!r}")
    texts, pairs = corpus(n) if script == "words" else corpus_unspaced(n, script)
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
    by_edits: collections.Counter[tuple[int, bool]] = collections.Counter()
    for a, b, edits in pairs:
        j = jaccard(texts[a], texts[b])
        bucket = min(int(j * 50) / 50, 0.98)  # 0.02 wide
        total[bucket] += 1
        same = bool(groups.get(a) and groups.get(a) == groups.get(b))
        found[bucket] += same
        by_edits[edits, same] += 1
    print(f"{n} posts ({script}), threshold {threshold}: {len(pairs)} planted pairs")
    print("| words replaced | pairs | found |")
    print("|---|---|---|")
    for e in sorted({e for e, _ in by_edits}):
        print(f"| {e} | {by_edits[e, True] + by_edits[e, False]} | {by_edits[e, True]} |")
    print("| true Jaccard | pairs | found | recall |")
    print("|---|---|---|---|")
    for k in sorted(total):
        print(f"| {k:.2f}-{k + 0.02:.2f} | {total[k]} | {found[k]} | {found[k] / total[k]:.3f} |")
    above = [k for k in total if k >= threshold]
    t_above, f_above = sum(total[k] for k in above), sum(found[k] for k in above)
    print(
        f"recall at true Jaccard >= {threshold}: {f_above}/{t_above} = "
        f"{f_above / max(1, t_above):.3f}"
    )

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
