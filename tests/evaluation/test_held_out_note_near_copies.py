"""`annotate evaluate` on a renamed copy of a model's training rows noted that their train
and validation splits were held out for it (its training record names no such source),
then warned that every one was a near-copy of its training passages (passF52 F11): with
near-copies found, the note says the record is belied."""

from __future__ import annotations

from annotate.evaluation.evaluate import held_out_note


def _rep(copies: int) -> dict:
    return {
        "trained_on_data": False,
        "split_counts": {"train": 49, "test": 7},
        "training_near_copies": copies,
    }


def test_the_note_stands_without_near_copies() -> None:
    said = held_out_note(_rep(0))
    assert "so their train and validation splits are held out for it as well" in said


def test_near_copies_belie_the_record() -> None:
    said = held_out_note(_rep(49))
    assert "are held out for it as well" not in said
    assert "so by that record their train and validation splits would be held out" in said
    assert "but 49 scored passages are near-copies of its training passages" in said
    assert "the data is not held out as its record says" in said
    assert "but 1 scored passage is a near-copy of" in held_out_note(_rep(1))
