"""Grouped, stratified, deterministic splits."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.corpus.splits import assign_splits, cross_split_groups, leakage_groups


def test_documents_never_span_two_splits_and_ratios_hold() -> None:
    groups = [f"doc{i // 3}" for i in range(300)]  # 100 documents of 3 passages
    strata = ["harmful" if i % 6 < 3 else "none" for i in range(300)]
    splits = assign_splits(groups, strata, seed=1)
    by_doc: dict[str, set[str]] = {}
    for g, s in zip(groups, splits, strict=True):
        by_doc.setdefault(g, set()).add(s)
    assert all(len(s) == 1 for s in by_doc.values())
    counts = Counter(splits)
    assert counts == {"train": 240, "validation": 30, "test": 30}
    for stratum in ("harmful", "none"):
        per = Counter(s for s, st_ in zip(splits, strata, strict=True) if st_ == stratum)
        assert per == {"train": 120, "validation": 15, "test": 15}


def test_deterministic_and_seed_dependent() -> None:
    groups = [f"d{i}" for i in range(50)]
    strata = ["a"] * 50
    assert assign_splits(groups, strata, seed=3) == assign_splits(groups, strata, seed=3)
    assert assign_splits(groups, strata, seed=3) != assign_splits(groups, strata, seed=4)


@pytest.mark.parametrize(
    ("groups", "strata", "expected"),
    [
        (["d1"], ["x"], ["train"]),
        (["d1", "d1"], ["x", "y"], ["train", "train"]),
        ([], [], []),
    ],
)
def test_small_inputs(groups: list[str], strata: list[str], expected: list[str]) -> None:
    assert assign_splits(groups, strata) == expected


def test_bad_ratios() -> None:
    with pytest.raises(ValueError):
        assign_splits(["a"], ["x"], ratios=(1.0, 0.0))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.sampled_from("abc")), max_size=80))
def test_grouping_invariant(pairs: list[tuple[int, str]]) -> None:
    groups = [g for g, _ in pairs]
    strata = [s for _, s in pairs]
    splits = assign_splits(groups, strata)
    seen: dict[int, str] = {}
    for g, s in zip(groups, splits, strict=True):
        assert seen.setdefault(g, s) == s


def test_near_duplicate_groups_join_their_documents_in_one_split() -> None:
    # 200 documents of 5 passages; documents 3k and 3k+1 share a near-duplicate passage
    docs, near = [], []
    for d in range(200):
        for p in range(5):
            docs.append(f"doc-{d:03d}")
            near.append(f"g-{d // 3}" if p == 0 and d % 3 < 2 else None)
    groups = leakage_groups(docs, near)
    splits = assign_splits(groups, ["x"] * len(docs), seed=1)
    assert cross_split_groups(near, splits) == {}
    assert len({g for g, n in zip(groups, near, strict=True) if n}) == 67
    # documents without near-duplicates keep their own id as their group
    alone = [i for i, d in enumerate(docs) if int(d[4:]) % 3 == 2]
    assert all(groups[i] == docs[i] for i in alone)


def test_leakage_groups_are_transitive_and_cross_split_groups_are_named() -> None:
    docs = ["a", "b", "c", "d"]
    near = ["g1", "g1", None, None]
    assert leakage_groups(docs, near) == ["a", "a", "c", "d"]
    assert leakage_groups(["c", "b", "b", "a"], ["g1", "g1", "g2", "g2"]) == ["a", "a", "a", "a"]
    assert cross_split_groups(["g1", "g1", None, "g2"], ["train", "test", "test", "train"]) == {
        "g1": ["test", "train"]
    }
