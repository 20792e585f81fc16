"""The record a review push keeps of the reviewers it meant (annotate.review.push_intent):
a re-run of a push stopped midway judges who "joined" the set against what the stopped
run meant, not against the queues the stopped run left (the integration test,
tests/integration/test_push_resumed_joined.py, runs it against Label Studio)."""

from __future__ import annotations

from annotate.review import push_intent
from annotate.review.push_intent import PushIntent

URL = "http://admin:secret@localhost:8080/"


def _intent(existed: bool, before: set[str], meant: set[str], inputs: str = "f1") -> PushIntent:
    return PushIntent(existed, frozenset(before), frozenset(meant), inputs)


def test_a_new_set_names_nobody_but_accounts_the_push_did_not_mean() -> None:
    began = _intent(False, set(), {"ana", "ben", "cai"})
    # the stopped run made ana's queue; the re-run makes ben's and cai's, and dan's
    assert push_intent.joined(began, ["ben", "cai"], ["ana"]) == []
    assert push_intent.joined(began, ["ben", "dan"], ["ana"]) == ["dan"]


def test_a_set_with_queues_names_every_first_queue_of_the_push_its_stopped_runs_too() -> None:
    began = _intent(True, {"ana", "ben"}, {"ana", "ben", "lea", "max"})
    # the stopped run gave lea her first queue (never said), the re-run max
    assert push_intent.joined(began, ["max"], ["ana", "ben", "lea"]) == ["lea", "max"]
    fresh = _intent(True, {"ana", "ben"}, {"ana", "ben", "lea"})
    assert push_intent.joined(fresh, ["lea"], ["ana", "ben"]) == ["lea"]


def test_a_queue_made_again_for_a_reviewer_queued_before_is_no_joining() -> None:
    """break45 #4: `push --recreate-deleted` made ben's deleted queue again and the push
    warned that ben "joined" the set; fanout counts a remade queue's reviewer as queued
    before (a re-run of that push, stopped before it made the queue, too)."""
    began = _intent(True, {"ana", "ben"}, {"ana", "ben"})
    assert push_intent.joined(began, ["ben"], ["ana"]) == []
    assert push_intent.joined(began, ["ben", "lea"], ["ana"]) == ["lea"]


def test_the_first_record_stays_until_the_push_ends() -> None:
    assert push_intent.unfinished(URL, "Batch", "f1") is None
    first = _intent(False, set(), {"ana", "ben"})
    assert push_intent.begin(URL, "Batch", first) == first
    # a re-run stopped again keeps the first run's record; the same server however the
    # URL names its user, another set or server has none
    later = _intent(True, {"ana"}, {"ana", "ben", "dan"})
    assert push_intent.begin("http://lead:other@localhost:8080", "Batch", later) == first
    assert push_intent.unfinished(URL, "Batch", "f1") == first
    assert push_intent.unfinished(URL, "Batch 2", "f1") is None
    assert push_intent.unfinished("http://localhost:8081", "Batch", "f1") is None
    push_intent.finish(URL, "Batch")
    assert push_intent.unfinished(URL, "Batch", "f1") is None
    assert push_intent.begin(URL, "Batch", later) == later


def test_a_record_that_cannot_be_read_is_no_record(caplog) -> None:
    path = push_intent.record_path(URL, "Batch")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    assert push_intent.unfinished(URL, "Batch", "f1") is None
    assert "could not read the record of an unfinished push" in caplog.text


def test_a_record_serves_only_a_re_run_of_the_same_files(tmp_path, caplog) -> None:
    """A push stopped and never re-run left its record; a later push of other pre-labels
    judged "joined" against it (and named nobody it had meant). It is discarded instead,
    with a log line, and the later push records its own."""
    file = tmp_path / "pre.jsonl"
    file.write_text('{"id": 1}\n', encoding="utf-8")
    first = push_intent.inputs_digest(file, None)
    assert push_intent.inputs_digest(file, None) == first  # a re-run: the same digest
    stale = _intent(False, set(), {"ana", "ben"}, first)
    assert push_intent.begin(URL, "Batch", stale) == stale
    file.write_text('{"id": 2}\n', encoding="utf-8")  # next week's pre-labels
    other = push_intent.inputs_digest(file, None)
    assert other != first and other != push_intent.inputs_digest(file, file)
    later = _intent(True, {"ana", "ben"}, {"ana", "ben", "lea"}, other)
    with caplog.at_level("INFO", logger="annotate.review.push_intent"):
        assert push_intent.begin(URL, "Batch", later) == later
    assert "discarded the record of an unfinished push of 'Batch'" in caplog.text
    assert push_intent.unfinished(URL, "Batch", other) == later
    # a record of an older annotate, without input files: no push's re-run
    path = push_intent.record_path(URL, "Batch")
    path.write_text(
        '{"set_existed": false, "queued_before": [], "intended": ["ana"]}', encoding="utf-8"
    )
    assert push_intent.unfinished(URL, "Batch", other) is None
    assert not path.exists()
