"""Grouped, stratified, deterministic splits."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.corpus.splits import assign_splits


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
