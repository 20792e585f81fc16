"""faults59: a passage id key file holding too few characters (emptied by a crash, or
cut short by an edit) was refused with "remove the file so that export makes one",
without saying that a new key renames every pseudonymised passage and document (the
hand-outs made before no longer match the pseudonym map, nor the ones made after), nor
that restoring the key from a backup keeps them."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.audit.passage_pseudonyms import load_key
from annotate.errors import ExportError


@pytest.mark.parametrize("held", ["", "secret\n"])
def test_a_short_key_says_what_removing_it_changes_and_to_restore_it(
    tmp_path: Path, held: str
) -> None:
    key = tmp_path / "passage_id_key"
    key.write_text(held)
    with pytest.raises(ExportError) as caught:
        load_key(key)
    err = caught.value
    assert f"holds {len(held.strip())} character(s)" in err.what
    assert err.fix is not None
    assert err.fix.startswith(f"restore {key} from a backup")
    assert "renames every pseudonymised passage and document" in err.fix
    assert "secrets.token_hex(32)" in err.fix  # a new long key, with the same warning
    assert key.read_text() == held  # nothing removed or rewritten


def test_the_unreadable_key_message_says_the_same(tmp_path: Path) -> None:
    key = tmp_path / "passage_id_key"
    key.write_bytes(b"\xff\xfe not text")
    with pytest.raises(ExportError) as caught:
        load_key(key)
    assert caught.value.fix is not None
    assert caught.value.fix.startswith(f"restore {key} from a backup")
    assert "renames every pseudonymised passage and document" in caught.value.fix


def test_ingest_says_to_restore_a_short_key_not_to_make_its_folder_writable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotate.audit.redact import ingest_key
    from annotate.errors import InputError

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))
    (tmp_path / "passage_id_key").write_text("short\n")
    with pytest.raises(InputError) as caught:
        ingest_key()
    assert "holds 5 character(s)" in caught.value.what
    assert caught.value.fix is not None
    assert caught.value.fix.startswith(f"restore {tmp_path / 'passage_id_key'} from a backup")
    assert "writable" not in caught.value.fix and "--id-key" not in caught.value.fix
    assert "renames every pseudonymised passage and document" in caught.value.fix
