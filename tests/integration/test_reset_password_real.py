"""`reviewers add --new-password` against the real Label Studio (reader61 #1): Label
Studio's own `label-studio reset_password` matches the e-mail exactly and exits 0 with
"User ... not found" when nothing matches, so an account stored with capitals (made
through the API or Django admin) was reported as "has a new password" with a password
that did not work, and so was an e-mail with no account. Here the password is set on
the account whatever the case, its stored e-mail comes back, and no account is an error."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from annotate.errors import StudioError
from annotate.review.reviewers import add_reviewer
from annotate.studio.client import StudioClient
from annotate.studio.connection import studio_paths
from annotate.studio.password import reset_password


def _hash(db: str, email: str) -> str:
    with sqlite3.connect(db) as con:
        [(value,)] = con.execute("select password from htx_user where email = ?", (email,))
    return str(value)


def test_the_stored_case_is_matched_and_no_account_fails(client: StudioClient) -> None:
    paths = studio_paths()
    db = str(paths.data / "label_studio.sqlite3")
    lower = f"ben-{uuid.uuid4().hex[:8]}@example.org"
    add_reviewer(client, lower, password=uuid.uuid4().hex)
    stored = lower.capitalize()  # as an account made through the API or Django admin
    with sqlite3.connect(db) as con:
        con.execute("update htx_user set email = ? where email = ?", (stored, lower))
    before = _hash(db, stored)
    assert reset_password(lower, "a-new-Pw-123", paths) == stored
    assert _hash(db, stored) != before
    with pytest.raises(StudioError, match="no account with the e-mail"):
        reset_password(f"nobody-{uuid.uuid4().hex[:8]}@example.org", "a-new-Pw-123", paths)
