"""Two first commands at once each made a pseudonym salt, and the later rename replaced
the salt the other had already named reviewers (and their queues) with (faults58 #7).
Now the salt is made under its name only where none is, and the other's is used."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.corpus import salt


def test_a_salt_another_command_made_first_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANNOTATE_PSEUDONYM_SALT", raising=False)
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))
    path = tmp_path / "pseudonym_salt"
    theirs = "a" * 32
    real_token = salt.secrets.token_hex

    def other_command_first(nbytes: int) -> str:
        path.write_text(theirs + "\n", encoding="utf-8")  # made after the stored_salt() check
        return real_token(nbytes)

    monkeypatch.setattr(salt.secrets, "token_hex", other_command_first)
    assert salt.reviewer_salt() == theirs
    assert path.read_text(encoding="utf-8") == theirs + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pseudonym_salt"]


def test_a_first_salt_is_made_private_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANNOTATE_PSEUDONYM_SALT", raising=False)
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    made = salt.reviewer_salt()
    path = tmp_path / "home" / "pseudonym_salt"
    assert len(made) == 32 and path.stat().st_mode & 0o777 == 0o600
    assert salt.reviewer_salt() == made
