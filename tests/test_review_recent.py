"""`annotate review status`'s exposure reads what changed since --since (the passages'
patterns it asks Label Studio for), and the passages a push held back from every queue
are recorded for status to show."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotate.review.held_back import held_back, record_held
from annotate.review.recent import passage_patterns


def test_patterns_match_exactly_the_passages_in_short_chunks() -> None:
    ids = [f"doc-{i}.p{i % 7}" for i in range(300)] + ["a+b", "x|y", "(z)"]
    patterns = passage_patterns(ids, limit=200)
    assert len(patterns) > 1 and all(len(p) < 260 for p in patterns)
    matched = {i for i in ids if any(re.search(p, i) for p in patterns)}
    assert matched == set(ids)
    # whole ids only: a prefix, a suffix or a regex reading of the dot does not match
    for other in ["doc-1.p", "xdoc-1.p1", "doc-1Xp1", "a", "x", "ab"]:
        assert not any(re.search(p, other) for p in patterns), other
    assert passage_patterns(reversed(ids), limit=200) == patterns
    assert passage_patterns([]) == []


def test_held_back_is_replaced_per_file_and_left_out_once_queued(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    first, second = tmp_path / "a.parquet", tmp_path / "b.parquet"
    record_held("Set", first, {"p1": 2, "p2": 2}, max_graphic=0, k=2)
    record_held("Set", second, {"q1": 1}, max_graphic=3, k=2)
    found = held_back("Set", queued=frozenset({"p2"}))
    assert [(Path(h.prelabels).name, h.max_graphic, h.passages) for h in found] == [
        ("a.parquet", 0, ("p1",)),
        ("b.parquet", 3, ("q1",)),
    ]
    assert held_back("Other set", frozenset()) == []
    record_held("Set", first, {}, max_graphic=1, k=2)  # the same file, nothing held now
    assert [Path(h.prelabels).name for h in held_back("Set", frozenset())] == ["b.parquet"]
    record_held("Set", second, {"q1": 2}, max_graphic=None, k=2)  # pushed without the cap
    assert held_back("Set", frozenset()) == []
