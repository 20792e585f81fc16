"""`annotate review status`'s exposure reads what changed since --since (the passages'
patterns it asks Label Studio for), and the passages a push held back from every queue
are recorded for status to show."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from annotate.review.held_back import held_back, record_held
from annotate.review.recent import passage_patterns

URL = "http://studio.example:8080"


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
    record_held(URL, "Set", first, {"p1": 2, "p2": 2}, max_graphic=0, k=2)
    record_held(URL, "Set", second, {"q1": 1}, max_graphic=3, k=2)
    found = held_back(URL, "Set", queued=frozenset({"p2"}))
    assert [(Path(h.prelabels).name, h.max_graphic, h.passages) for h in found] == [
        ("a.parquet", 0, ("p1",)),
        ("b.parquet", 3, ("q1",)),
    ]
    assert held_back(URL, "Other set", frozenset()) == []
    record_held(URL, "Set", first, {}, max_graphic=1, k=2)  # the same file, nothing held now
    assert [Path(h.prelabels).name for h in held_back(URL, "Set", frozenset())] == ["b.parquet"]
    record_held(URL, "Set", second, {"q1": 2}, max_graphic=None, k=2)  # pushed without the cap
    assert held_back(URL, "Set", frozenset()) == []


def test_held_back_is_kept_per_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One set name on a trial server and on the team's is two review sets: keyed by the
    name only, the trial push's held passages showed in the team set's status, as waiting
    in no queue there."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    record_held("http://localhost:8080", "Batch 12", tmp_path / "a.parquet", {"p1": 2},
                max_graphic=0, k=2)  # fmt: skip
    assert held_back("https://studio.team.example", "Batch 12", frozenset()) == []
    assert [h.passages for h in held_back("http://localhost:8080/", "Batch 12", frozenset())] == [
        ("p1",)
    ]  # the same server, its URL with a trailing slash
    # behind a proxy's basic auth: the same server whoever's credentials the URL carries
    record_held("https://ana:s3cret@studio.team.example", "Batch 12", tmp_path / "b.parquet",
                {"q1": 1}, max_graphic=1, k=2)  # fmt: skip
    found = held_back("https://ben:other@studio.team.example/", "Batch 12", frozenset())
    assert [h.passages for h in found] == [("q1",)]


@pytest.mark.parametrize(
    "ids",
    [
        [f"статья-{i}-абзац-{j}" for i in range(200) for j in range(3)],  # non-ASCII
        [f"https://forum.example/t/{i}.html?p={j}#c-p0" for i in range(200) for j in range(3)],
        ["x" * 5000, "y"],  # one id longer than a pattern: a request alone
    ],
    ids=["cyrillic", "urls", "one-long"],
)
def test_each_passage_look_up_fits_a_request_line_servers_take(ids: list[str]) -> None:
    """The patterns travel JSON-encoded and percent-encoded in the URL: sized by raw
    characters, Cyrillic ids made 8.6 KB request lines, which nginx (8 KB) and gunicorn
    (4 KB) refuse, so `review status` failed behind them."""
    import httpx

    from annotate.review.recent import passage_filter, touched_since
    from annotate.studio.client import _answered_query, after_id_query

    patterns = passage_patterns(ids)
    assert {i for i in ids if any(re.fullmatch(p, i) for p in patterns)} == set(ids)
    since = touched_since(datetime(2026, 12, 1, tzinfo=timezone.utc), before=True)
    http = httpx.Client(base_url="http://studio.example:8080/")
    for pattern in patterns:
        if len(pattern) > 4000:  # the one long id
            continue
        # as a page past the first is asked for: the id limit and the ordering added
        query = after_id_query(_answered_query([since, passage_filter(pattern)]), 10**12)
        params = {"project": 123, "page": 1, "page_size": 200, "fields": "all", "query": query}
        request = http.build_request("GET", "api/tasks/", params=params)
        line = f"GET {request.url.raw_path.decode()} HTTP/1.1"
        assert len(line) <= 4094, (len(line), pattern[:80])


def test_recent_rows_read_answers_as_collect_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Which answers count (a skip, ``was_cancelled``, does not) is collect's
    usable_annotations; recent's rows used a copy of its filter."""
    from annotate.review import collect, recent
    from annotate.taxonomy import load_taxonomy

    def task(tid: int, *cancelled: bool) -> dict:
        return {
            "id": tid,
            "data": {"text": "a plain passage", "passage_id": "p", "model_version": "m"},
            "predictions": [],
            "annotations": [
                {"id": 10 * tid + n, "completed_by": n + 1, "was_cancelled": skip, "result": []}
                for n, skip in enumerate(cancelled)
            ],
        }

    tax = load_taxonomy()
    tasks = [task(1, False, True), task(2, True)]  # one answer, two skips
    (row,) = recent._rows(tasks, tax, "s")
    assert len(row["annotations"]) == 1
    seen: list[int] = []

    def counting(annotations: list[dict]) -> list[dict]:
        seen.append(len(annotations))
        return collect.usable_annotations(annotations)

    monkeypatch.setattr(recent, "usable_annotations", counting)
    assert recent._rows(tasks, tax, "s") == [row]
    assert seen == [2, 1]  # every task's answers went through the one definition
