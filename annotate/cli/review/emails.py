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
