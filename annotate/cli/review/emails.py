"""Reviewer pseudonyms named by e-mail, as the commands show them to the lead."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotate.studio.client import StudioClient


def emails_of(pseudonyms: list[str], client: StudioClient | None = None) -> dict[str, str | None]:
    """Pseudonym -> e-mail of the accounts Label Studio lists, made with this machine's
    salt, as `annotate review status` shows them; {} when the server cannot tell (the
    warning then names pseudonyms only). ``client``: the command's own (its account list
    is read once per client), else a new one."""
    from annotate.corpus.salt import reviewer_salt
    from annotate.errors import AnnotateError
    from annotate.review.queues import accounts
    from annotate.studio.client import connect

    try:
        found = accounts(client or connect(), reviewer_salt())
    except AnnotateError:
        return {}
    return {p: found[p][1] for p in pseudonyms if p in found}


def lead_names(pseudonyms: list[str], client: StudioClient | None = None) -> dict[str, str | None]:
    """What to show beside each pseudonym at the lead's terminal
    (:func:`annotate.review.named.with_email`): the account's e-mail (:func:`emails_of`),
    or, for an account removed from the organization (Label Studio blanks its e-mail, or
    no longer lists it) that this machine's record of removed reviewers holds
    (`reviewers list --removed`), ``ana@example.org, account removed``: such a reviewer
    read as an unknown pseudonym (s56 left #4)."""
    from annotate.corpus.salt import reviewer_salt
    from annotate.review.removed_record import removed_emails

    named = emails_of(pseudonyms, client)
    unnamed = [p for p in pseudonyms if not named.get(p)]
    if unnamed:
        for alias, email in removed_emails(unnamed, reviewer_salt()).items():
            named[alias] = f"{email}, account removed"
    return named
