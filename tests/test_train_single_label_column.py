"""A labeled table whose labels are one `label` column, the Hugging Face convention
(stop 58 new-user #6): `annotate train --data own.csv` was refused ("rename the column
'label' to 'labels'"). Now a single-label column is read as each row's one category when
its values are labels.yaml category names: strings, or ClassLabel ids decoded with the
names `datasets` records (a Parquet file's schema, a saved DatasetDict's features); a
ClassLabel naming other classes, or ids with no names to read them by, is refused with
the fix (a mapping)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import TrainingError
from annotate.taxonomy import load_taxonomy
from annotate.training.sources import DataSource, load_examples, read_native

TEXTS = [
    "They will burn the mosque tonight and all of them",
    "The council met on Tuesday about the new bus routes",
    "Police said the attack on the market left two people hurt",
    "We stand with our neighbours against this hatred",
]
NAMES = ["violent_threat", "none", "news_reporting", "counter_speech"]


def _dataset(names: list[str], labels: list[int]):
    from datasets import ClassLabel, Dataset, Features, Value

    features = Features(
        {"id": Value("string"), "text": Value("string"), "label": ClassLabel(names=names)}
    )
    return Dataset.from_dict(
        {
            "id": [f"r{i}" for i in range(len(labels))],
            "text": TEXTS[: len(labels)],
            "label": labels,
        },
        features=features,
    )


def test_a_csv_label_column_of_category_names_is_read(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    rows = "".join(f"{i},{t},{n}\n" for i, (t, n) in enumerate(zip(TEXTS, NAMES, strict=True)))
    path.write_text("id,text,label\n" + rows, encoding="utf-8")
    tax = load_taxonomy()
    exs = read_native(path, tax, 13)
    assert [sorted(ex.labels) for ex in exs] == [[n] for n in NAMES]
    assert all(ex.known == set(tax.category_names) for ex in exs)


def test_parquet_classlabel_ids_are_decoded_by_their_names(tmp_path: Path) -> None:
    """`Dataset.to_parquet` records the ClassLabel names in the file's schema; a ClassLabel
    of only some categories supervises those alone (as a mapping's `known`)."""
    path = tmp_path / "hf.parquet"
    _dataset(["none", "violent_threat"], [1, 0, 0, 1]).to_parquet(str(path))
    exs = read_native(path, load_taxonomy(), 13)
    assert [sorted(ex.labels) for ex in exs] == [
        ["violent_threat"],
        ["none"],
        ["none"],
        ["violent_threat"],
    ]
    assert all(ex.known == {"none", "violent_threat"} for ex in exs)


def test_classlabel_names_that_are_no_categories_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "sentiment.parquet"
    _dataset(["neg", "pos"], [0, 1]).to_parquet(str(path))
    with pytest.raises(TrainingError) as err:
        read_native(path, load_taxonomy(), 13)
    said = str(err.value)
    assert "'label'" in said and "neg, pos" in said and "labels.yaml" in said, said
    assert "--mapping" in (err.value.fix or ""), said


def test_ids_without_names_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text(f"text,label\n{TEXTS[0]},1\n{TEXTS[1]},0\n", encoding="utf-8")
    with pytest.raises(TrainingError) as err:
        read_native(path, load_taxonomy(), 13)
    said = str(err.value)
    assert "numbers" in said and "no ClassLabel names" in said, said
    assert "--mapping" in (err.value.fix or "") and "names" in (err.value.fix or ""), said


def test_a_saved_datasetdict_with_a_classlabel_label_is_read(tmp_path: Path) -> None:
    from datasets import DatasetDict

    folder = tmp_path / "saved"
    names = load_taxonomy().category_names
    ids = [names.index(n) for n in NAMES]
    DatasetDict({"train": _dataset(names, ids[:3]), "test": _dataset(names, ids[3:])}).save_to_disk(
        str(folder)
    )
    exs, _ = load_examples([DataSource(path=str(folder))], load_taxonomy(), 13)
    got = sorted((ex.split, sorted(ex.labels)) for ex in exs)
    assert got == sorted(
        [
            ("train", ["violent_threat"]),
            ("train", ["none"]),
            ("train", ["news_reporting"]),
            ("test", ["counter_speech"]),
        ]
    )
    other = tmp_path / "other"
    DatasetDict({"train": _dataset(["neg", "pos"], [0, 1])}).save_to_disk(str(other))
    with pytest.raises(TrainingError, match="neg, pos"):
        load_examples([DataSource(path=str(other))], load_taxonomy(), 13)


def _single(tmp_path: Path, cell: str) -> Path:
    path = tmp_path / "own.csv"
    path.write_text(f'id,text,label\n0,{TEXTS[0]},"{cell}"\n1,{TEXTS[1]},none\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("cell", ["", "[none", "[]"])
def test_errors_name_the_label_column_the_file_has(tmp_path: Path, cell: str) -> None:
    """reader59 #3: a bad `label` cell was reported as the 'labels' of a file that has no
    such column, and the fix (write it in 'labels') would switch every row to a new column."""
    with pytest.raises(TrainingError) as err:
        read_native(_single(tmp_path, cell), load_taxonomy(), 13)
    said = f"{err.value} {err.value.fix}"
    assert "'label'" in said and "'labels'" not in said, said
    assert "row 1" in said, said


@pytest.mark.parametrize("cell", ["violent_threat,incitement", "violent_threat;incitement"])
def test_several_categories_in_a_label_cell_are_refused(tmp_path: Path, cell: str) -> None:
    """reader59 #4: the single-label column is each row's one category; a comma there was
    read as two categories."""
    with pytest.raises(TrainingError) as err:
        read_native(_single(tmp_path, cell), load_taxonomy(), 13)
    said = str(err.value)
    assert "row 1" in said and "violent_threat" in said and "one" in said, said
    assert "'labels'" in (err.value.fix or ""), said


def test_a_jsonl_label_list_of_several_is_refused_and_of_one_is_read(tmp_path: Path) -> None:
    import json

    path = tmp_path / "own.jsonl"
    rows = [{"text": TEXTS[0], "label": ["violent_threat"]}, {"text": TEXTS[1], "label": "none"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    exs = read_native(path, load_taxonomy(), 13)
    assert [sorted(ex.labels) for ex in exs] == [["violent_threat"], ["none"]]
    rows[0]["label"] = ["violent_threat", "incitement"]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(TrainingError, match="2 categories in its single-label column"):
        read_native(path, load_taxonomy(), 13)
