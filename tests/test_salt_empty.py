"""An empty ``$ANNOTATE_HOME/pseudonym_salt`` (a power cut before its bytes reached the
disk, on an earlier version; a truncated copy) was read as the salt ``""``: every reviewer
pseudonym silently changed, so queues named under the real salt no longer matched their
reviewers (faults59 #4). Now an error naming the file and the fix; the file is left."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.corpus import salt
from annotate.errors import InputError


@pytest.mark.parametrize("text", ["", "\n", "   \n"])
def test_an_empty_salt_file_is_an_error_not_the_salt_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))
    monkeypatch.delenv("ANNOTATE_PSEUDONYM_SALT", raising=False)
    (tmp_path / "pseudonym_salt").write_text(text)
    for read in (salt.stored_salt, salt.reviewer_salt, salt.reading_salt):
        with pytest.raises(InputError, match="pseudonym_salt is empty") as err:
            read()
        assert "ANNOTATE_PSEUDONYM_SALT" in str(err.value.fix)
    assert (tmp_path / "pseudonym_salt").read_text() == text


def test_the_environment_salt_still_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "s3cret")
    (tmp_path / "pseudonym_salt").write_text("")
    assert salt.reviewer_salt() == "s3cret"
