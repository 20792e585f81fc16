"""Who answered in each reviewer queue, read against the salt: a queue answered only by
a colleague (every member can open every project in Community) is no sign of another
salt when the salt names that colleague's queue; another salt is still told apart."""

from __future__ import annotations

from annotate.corpus.resolve import pseudonym
from annotate.review.queues import answered_salt_error, answers_astray

SALT = "s"
ANA, BEN = 11, 12
A, B = pseudonym(ANA, SALT), pseudonym(BEN, SALT)


def _queues(ana_queue: set[int], ben_queue: set[int]) -> list[tuple[str, set[int]]]:
    return [(f"Batch · {A}", ana_queue), (f"Batch · {B}", ben_queue)]


def test_answers_crossed_between_queues_are_astray_not_another_salt() -> None:
    crossed = _queues({BEN}, {ANA})
    assert answered_salt_error("Batch", crossed, SALT) is None
    assert answers_astray("Batch", crossed, SALT) == [(A, [B]), (B, [A])]


def test_one_queue_answered_also_by_a_colleague() -> None:
    mixed = _queues({ANA, BEN}, {BEN})
    assert answered_salt_error("Batch", mixed, SALT) is None
    assert answers_astray("Batch", mixed, SALT) == [(A, [B])]
    assert answers_astray("Batch", _queues({ANA}, {BEN}), SALT) == []


def test_another_salt_is_still_an_error() -> None:
    error = answered_salt_error("Batch", _queues({ANA}, {BEN}), "another")
    assert error is not None and "pushed with another salt" in error.what
    # nobody of the queues' pseudonyms answered anywhere: a salt, not a stray answer
    error = answered_salt_error("Batch", _queues({13}, {14}), SALT)
    assert error is not None and "pushed with another salt" in error.what


def test_answers_only_by_an_account_with_no_queue_are_astray_when_the_salt_names_a_queue() -> None:
    """Stop 46's new-user pass (#15): the admin answered in the reviewer queues, nobody else
    yet: export, agreement and adjudicate refused with "pushed with another salt", run from
    the pushing folder. The queues' titles are the pseudonyms of accounts under this salt,
    so the salt is right and the admin's answers are astray, said as such."""
    admin = 1
    by_admin = _queues({admin}, {admin})
    known = {A, B, pseudonym(admin, SALT)}
    assert answered_salt_error("Batch", by_admin, SALT, lambda: known) is None
    assert answers_astray("Batch", by_admin, SALT) == [
        (A, [pseudonym(admin, SALT)]),
        (B, [pseudonym(admin, SALT)]),
    ]
    # under another salt no queue is titled with an account's pseudonym: the salt error
    other = {pseudonym(u, "another") for u in (ANA, BEN, admin)}
    error = answered_salt_error("Batch", by_admin, "another", lambda: other)
    assert error is not None and "pushed with another salt" in error.what
