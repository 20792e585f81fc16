"""Deterministic train/validation/test splits, grouped by document, stratified by label.

All passages of a document go to the same split (no leakage between splits), and so do
documents linked by a near-duplicate group (``near_dup_group`` from ingest: passages of
different documents that are almost the same text; :func:`leakage_groups`). Documents
are taken in a seeded hash order and, within each stratum (the document's most common
primary label), each goes to the split that is furthest below its target share of
passages. The same input and seed always give the same assignment.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence

from annotate.corpus.schema import SPLITS

DEFAULT_RATIOS = (0.8, 0.1, 0.1)


def leakage_groups(doc_ids: Sequence[str], near_dup_groups: Sequence[str | None]) -> list[str]:
    """Each row's split group: its document, merged with every document it shares a
    near-duplicate group with (connected components); named by the smallest document id
    of the component, so a document without near-duplicates keeps its own id (and split).
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_doc: dict[str, str] = {}  # near-dup group -> a document holding it
    for doc, group in zip(doc_ids, near_dup_groups, strict=True):
        find(doc)
        if group is None:
            continue
        other = first_doc.setdefault(group, doc)
        a, b = find(doc), find(other)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return [find(doc) for doc in doc_ids]


def cross_split_groups(
    near_dup_groups: Sequence[str | None], splits: Sequence[str]
) -> dict[str, list[str]]:
    """Near-duplicate group -> its splits, for every group found in more than one split."""
    seen: dict[str, set[str]] = defaultdict(set)
    for group, split in zip(near_dup_groups, splits, strict=True):
        if group is not None:
            seen[group].add(split)
    return {g: sorted(s) for g, s in sorted(seen.items()) if len(s) > 1}


def _order_key(group: Hashable, seed: int) -> str:
    return hashlib.sha256(f"{seed}\x00{group}".encode()).hexdigest()


def assign_splits(
    groups: Sequence[Hashable],
    strata: Sequence[str],
    *,
    ratios: Sequence[float] = DEFAULT_RATIOS,
    seed: int = 0,
    names: Sequence[str] = SPLITS,
) -> list[str]:
    """The split of each row, given each row's group (document) and stratum (label)."""
    if len(groups) != len(strata):
        raise ValueError("groups and strata must have the same length")
    if len(ratios) != len(names) or any(r < 0 for r in ratios) or sum(ratios) <= 0:
        raise ValueError(f"expected {len(names)} non-negative ratios, found {list(ratios)}")
    total = float(sum(ratios))
    shares = [r / total for r in ratios]

    size: Counter[Hashable] = Counter(groups)
    labels: dict[Hashable, Counter[str]] = defaultdict(Counter)
    for group, stratum in zip(groups, strata, strict=True):
        labels[group][stratum] += 1
    # a document's stratum: its most common label (ties: alphabetical, for determinism)
    stratum_of = {g: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for g, c in labels.items()}
    by_stratum: dict[str, list[Hashable]] = defaultdict(list)
    for g in sorted(size, key=lambda g: _order_key(g, seed)):
        by_stratum[stratum_of[g]].append(g)

    split_of: dict[Hashable, str] = {}
    for stratum in sorted(by_stratum):
        members = by_stratum[stratum]
        n = sum(size[g] for g in members)
        filled = [0] * len(names)
        for g in members:
            # the split with the largest shortfall after adding this group (first wins ties)
            best = max(
                range(len(names)),
                key=lambda k: (shares[k] * n - filled[k], shares[k], -k),
            )
            if shares[best] == 0:
                best = shares.index(max(shares))
            split_of[g] = names[best]
            filled[best] += size[g]
    return [split_of[g] for g in groups]
