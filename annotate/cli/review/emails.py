"""Reviewer pseudonyms named by e-mail, as the commands show them to the lead."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotate.studio.client import StudioClient


def emails_of(
    pseudonyms: list[str], client: StudioClient | None = None, salt: str | None = None
) -> dict[str, str | None]:
    """Pseudonym -> e-mail of the accounts Label Studio lists, made with ``salt``, as
    `annotate review status` shows them; {} when the server cannot tell (the warning then
    names pseudonyms only). ``client``: the command's own (its account list is read once
    per client), else a new one. ``salt``: the one the command made its pseudonyms with
    (a reading command passes :func:`annotate.corpus.salt.reading_salt`'s, so it makes no
    salt file and keys every pseudonym of its run alike: reader57 #1); None: this
    machine's :func:`annotate.corpus.salt.reviewer_salt` (made on first use)."""
    from annotate.corpus.salt import reviewer_salt
    from annotate.errors import AnnotateError
    from annotate.review.queues import accounts
    from annotate.studio.client import connect

    try:
        found = accounts(client or connect(), salt if salt is not None else reviewer_salt())
    except AnnotateError:
        return {}
    return {p: found[p][1] for p in pseudonyms if p in found}


def lead_names(
    pseudonyms: list[str], client: StudioClient | None = None, salt: str | None = None
) -> dict[str, str | None]:
    """What to show beside each pseudonym at the lead's terminal
    (:func:`annotate.review.named.with_email`): the account's e-mail (:func:`emails_of`),
    or, for an account removed from the organization (Label Studio blanks its e-mail, or
    no longer lists it) that this machine's record of removed reviewers holds
    (`reviewers list --removed`), ``ana@example.org, account removed``: such a reviewer
    read as an unknown pseudonym (s56 left #4). ``salt``: as :func:`emails_of`'s, one for
    both look-ups."""
    from annotate.corpus.salt import reviewer_salt
    from annotate.review.removed_record import removed_emails

    salt = salt if salt is not None else reviewer_salt()
    named = emails_of(pseudonyms, client, salt)
    unnamed = [p for p in pseudonyms if not named.get(p)]
    if unnamed:
        for alias, email in removed_emails(unnamed, salt).items():
            named[alias] = f"{email}, account removed"
    return named
