"""A Hugging Face Hub dataset given to ingest (hf://datasets/owner/name, or owner/name)
was 'hf:/datasets/owner/name: no such file or folder. Fix: check the path.': the address
mangled (Path folds '//') and nothing said that ingest reads local data only, nor how to
get a Hub dataset in. It is named as a Hub address, with the save_to_disk command."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.ingestion.readers import read_documents


def _error(path: str) -> InputError:
    with pytest.raises(InputError) as err:
        list(read_documents([Path(path)]))
    return err.value


@pytest.mark.parametrize("given", ["hf://datasets/owner/hate-posts", "hf://owner/hate-posts/"])
def test_a_hub_address_is_named_with_the_way_to_save_it(given: str) -> None:
    err = _error(given)
    assert err.what.startswith("hf://")
    assert "is a Hugging Face Hub address; expected a local file or folder" in err.what
    assert "load_dataset('owner/hate-posts').save_to_disk('hate-posts')" in err.fix
    assert "then ingest the folder hate-posts" in err.fix


def test_an_owner_slash_name_gets_the_hub_fix_unless_its_folder_is_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    err = _error("owner/hate-posts")
    assert "owner/hate-posts: no such file or folder" in err.what
    assert err.fix.startswith("check the path; if owner/hate-posts is a Hugging Face Hub")
    (tmp_path / "docs").mkdir()
    err = _error("docs/forum")  # a typo in a local folder: no Hub fix
    assert err.fix == "check the path."
