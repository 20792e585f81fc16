"""A Hugging Face dataset folder (``save_to_disk``) without the text column or the
``--id-column`` failed late: ingest's pre-check of tables (CSV, Parquet, JSONL) passed it
over, so the run read every file before it and ``--skip-bad-files`` could not skip it.
The pre-check reads its features (``dataset_info.json``, no data loaded) and names it
as it names a table. And a DatasetDict inside a folder given was read twice: as the
dataset and once more per split folder."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.ingestion.bad_files import find_bad_files

GOOD = "The council condemned the attack on the market and promised a full inquiry."
ROW = "Police said two men were arrested after the threats against the mosque."


def _dict(path: Path, **columns: list[str]) -> Path:
    datasets.DatasetDict({"train": datasets.Dataset.from_dict(columns)}).save_to_disk(path)
    return path


def test_a_dataset_without_the_text_column_is_named_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hf = _dict(tmp_path / "hf", body=[GOOD], post_id=["1"])

    def no_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("the dataset was loaded before the pre-check named it")

    monkeypatch.setattr(datasets, "load_from_disk", no_load)
    out = tmp_path / "p.jsonl"
    with pytest.raises(InputError) as err:
        ingest([hf], out)
    what, fix = err.value.what, str(err.value.fix)
    assert "hf[train]: missing column(s) 'text'" in what and "found 'body', 'post_id'" in what
    assert "--text-column 'body'" in fix, fix
    assert not out.exists()
    bad = find_bad_files([hf], text_column="body", id_column="postid")
    assert [(b.name, b.problem) for b in bad] == [("hf[train]", "no id column")]
    assert "--id-column 'post_id'" in str(bad[0].error.fix), bad[0].error


def test_one_in_a_folder_is_skipped_with_the_bad_files_and_a_dict_is_read_once(
    tmp_path: Path,
) -> None:
    root = tmp_path / "posts"
    root.mkdir()
    (root / "a.csv").write_text(f"post_id,text\n7,{GOOD}\n", encoding="utf-8")
    _dict(root / "good", text=[ROW], post_id=["8"])
    _dict(root / "other", message=[ROW], post_id=["9"])
    out = tmp_path / "p.jsonl"
    with pytest.raises(InputError) as err:
        ingest([root], out, id_column="post_id")
    assert "other[train]" in str(err.value) and "--skip-bad-files" in str(err.value.fix)
    stats = ingest([root], out, id_column="post_id", skip_bad_files=True)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["doc_id"] for r in rows) == ["7", "8"]  # the dict once, not per split
    assert stats.documents == 2
    assert stats.bad_files_skipped == [f"{root}/other (no text column)"]


def test_ids_that_restart_in_each_split_get_a_fix_for_the_splits(tmp_path: Path) -> None:
    """A DatasetDict whose `id` restarts in each split (`train_test_split`, most Hub
    datasets): the error's fix spoke of files ("prefix each file's id column", "ingest
    each input into its own passages file"); it names the splits, and a fix that works."""
    folder = tmp_path / "posts"
    datasets.DatasetDict(
        {
            "train": datasets.Dataset.from_dict({"id": [1, 2], "text": [GOOD, ROW]}),
            "test": datasets.Dataset.from_dict({"id": [1], "text": [ROW + " Again."]}),
        }
    ).save_to_disk(folder)
    with pytest.raises(InputError) as raised:
        ingest([folder], tmp_path / "p.parquet")
    err = raised.value
    assert "document id '1' is used by two inputs" in err.what
    assert "posts[train]" in err.what and "posts[test]" in err.what
    assert "unique across its splits" in err.fix and "--id-column" in err.fix
    assert "each file's id column" not in err.fix
    # the fix as written: prefix each split's ids, save to a new folder, ingest that
    dd = datasets.load_from_disk(str(folder))
    for s in dd:
        dd[s] = dd[s].map(lambda r, s=s: {"id": f"{s}-{r['id']}"})
    dd.save_to_disk(str(tmp_path / "fixed"))
    assert ingest([tmp_path / "fixed"], tmp_path / "p.parquet").documents == 3
