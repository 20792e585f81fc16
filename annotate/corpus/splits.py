"""Deterministic train/validation/test splits by a seeded hash of each split group.

All passages of a document go to the same split (no leakage between splits), and so do
documents linked by a near-duplicate group (``near_dup_group`` from ingest: passages of
different documents that are almost the same text; :func:`leakage_groups`) and the
comments of one reply thread (a table's parent column: a reply quoting a threat is in the
threat's split; :func:`thread_roots`), as splitting by conversation is the field's norm. A group's
split depends on its own id and the seed only: SHA-256 of ``"{seed}\\0{group}"`` read as a
number in [0, 1) and cut at the cumulative ratios: the usual hash-based splitting that keeps
splits stable as a dataset grows (e.g. Google's ML data-preparation guide recommends
splitting on a hash of an id rather than at random). So a document
keeps its split across exports when other documents are added, reviewed, adjudicated or
relabelled: a model trained on one export's train split is never tested on it by a later
export's test split.

The one exception is a new link (a near-duplicate, or a reply joining a thread): the
merged group is named by its smallest document id (:func:`leakage_groups`) and takes that
id's split, so the documents of the other group move with it (deterministically: the
same links always give the same split). A document in no thread and with no
near-duplicate keeps its own id, and split. Exports of threaded data made before reply
threads were linked (7 Dec 2026) may differ from newer ones: rows move only to keep a
thread in one split. A thread is linked through the parents the exported rows name: two
replies to a comment not exported share its thread; a chain broken by a comment that is
not exported (a reply to a reply no one reviewed) is two threads until it is.

This replaced a stratified assignment (each document to the split furthest below its
target share, per most common label) which put rare labels in every split of a small
corpus but moved documents whenever any other document or label changed. The price: the
split sizes only approximate the ratios, and a small corpus may have no passage of a label
(or none at all) in validation or test; the export, ``annotate train`` and ``annotate
evaluate`` say so.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from annotate.corpus.schema import SPLITS

DEFAULT_RATIOS = (0.8, 0.1, 0.1)
SPLIT_METHOD = (
    "seeded SHA-256 hash of the split group id, cut at the ratios; the group: the document, "
    "merged with the documents it shares a near-duplicate group or a reply thread with"
)


def ingest_group_column(rows: Sequence[Mapping[str, Any]]) -> list[str | None]:
    """Each row's ingest near-duplicate group: its ``near_dup_group``, or its own id when
    another row names it as theirs. Within one ingest run a group's first passage carries
    its own id; a passage of an earlier run (``annotate ingest --previous``) does not, yet
    a later batch's near-copy names it: without this the two would not be linked."""
    named = {r.get("near_dup_group") for r in rows} - {None}
    return [
        r.get("near_dup_group") or (str(r["id"]) if r.get("id") in named else None) for r in rows
    ]


def thread_roots(doc_ids: Sequence[str], parents: Sequence[str | None]) -> list[str | None]:
    """Each row's reply thread, for :func:`leakage_groups`: the document id at the top of
    its chain of parents (``parents``: each row's parent document id, None when it replies
    to none), or None for a row whose document neither replies nor is replied to.

    The top may be a document no row holds (a comment not exported): replies to it share
    its thread all the same. The chain follows the first parent any row of a document
    names, ignores a document named as its own parent, and ends in a cycle (a data error)
    at the cycle's smallest id, so every document of a thread gets the same top.
    ``doc_ids`` and ``parents`` are per row, of equal length (ValueError otherwise)."""
    up: dict[str, str] = {}
    for doc, parent in zip(doc_ids, parents, strict=True):
        if parent is not None and parent != doc:
            up.setdefault(doc, parent)
    named = set(up.values())
    tops: dict[str, str] = {}

    def top(doc: str) -> str:
        chain: list[str] = []
        seen: set[str] = set()  # the chain's ids: a list lookup made deep chains quadratic
        at = doc
        while at not in tops and at in up and at not in seen:
            chain.append(at)
            seen.add(at)
            at = up[at]
        if at in tops:
            found = tops[at]
        elif at in seen:  # a cycle: its smallest id, whichever member the walk began at
            found = min(chain[chain.index(at) :])
        else:
            found = at
        for d in chain:
            tops[d] = found
        return found

    return [top(doc) if doc in up or doc in named else None for doc in doc_ids]


def leakage_groups(doc_ids: Sequence[str], *near_dup_groups: Sequence[str | None]) -> list[str]:
    """Each row's split group: its document, merged with every document it shares a
    near-duplicate group with (connected components); named by the smallest document id
    of the component, so a document without near-duplicates keeps its own id (and split).
    Each of ``near_dup_groups`` is one link per row (ingest's ``near_dup_group``,
    export's own search, the reply thread of :func:`thread_roots`); a document linked by
    any of them is merged.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc in doc_ids:
        find(doc)
    for column in near_dup_groups:
        first_doc: dict[str, str] = {}  # near-dup group -> a document holding it
        for doc, group in zip(doc_ids, column, strict=True):
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
    """Near-duplicate group (or reply thread, :func:`thread_roots`) -> its splits, for
    every group found in more than one split."""
    seen: dict[str, set[str]] = defaultdict(set)
    for group, split in zip(near_dup_groups, splits, strict=True):
        if group is not None:
            seen[group].add(split)
    return {g: sorted(s) for g, s in sorted(seen.items()) if len(s) > 1}


def hash_unit(group: Hashable, seed: int) -> float:
    """A number in [0, 1) from the group id and the seed only (first 64 bits of SHA-256)."""
    digest = hashlib.sha256(f"{seed}\x00{group}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def _check_ratios(ratios: Sequence[float], names: Sequence[str]) -> list[float]:
    if len(ratios) != len(names) or any(r < 0 for r in ratios) or sum(ratios) <= 0:
        raise ValueError(f"expected {len(names)} non-negative ratios, found {list(ratios)}")
    total = float(sum(ratios))
    return [r / total for r in ratios]


def split_of(
    group: Hashable,
    *,
    ratios: Sequence[float] = DEFAULT_RATIOS,
    seed: int = 0,
    names: Sequence[str] = SPLITS,
) -> str:
    """The split of one group: its seeded hash cut at the cumulative ratios."""
    shares = _check_ratios(ratios, names)
    u = hash_unit(group, seed)
    edge = 0.0
    for name, share in zip(names, shares, strict=True):
        edge += share
        if share and u < edge:
            return name
    # float rounding at the top end: the last split with a share
    return next(n for n, s in zip(reversed(names), reversed(shares), strict=True) if s)


def assign_splits(
    groups: Sequence[Hashable],
    *,
    ratios: Sequence[float] = DEFAULT_RATIOS,
    seed: int = 0,
    names: Sequence[str] = SPLITS,
) -> list[str]:
    """The split of each row, given each row's group (document, or :func:`leakage_groups`).
    Each group's split is :func:`split_of` it: independent of every other row."""
    _check_ratios(ratios, names)
    cache: dict[Hashable, str] = {}
    out = []
    for g in groups:
        if g not in cache:
            cache[g] = split_of(g, ratios=ratios, seed=seed, names=names)
        out.append(cache[g])
    return out
