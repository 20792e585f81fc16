"""Pre-label orchestration with a fake classifier (the real model: test_classifier*)."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from annotate.errors import InputError, ModelError, SchemaError
from annotate.ingestion import ingest
from annotate.prelabeling import prelabel
from tests.fakes import KeywordClassifier


@pytest.fixture
def passages(tmp_path):
    src = tmp_path / "docs"
    src.mkdir()
    (src / "a.txt").write_text(
        "Local news\n\nPolice said a man threatened to kill staff at the depot on Monday.\n\n"
        "The depot reopened on Tuesday after an inspection by the city council.\n"
    )
    (src / "b.txt").write_text("Hunting season opens in October across the northern counties.\n")
    out = tmp_path / "passages.parquet"
    ingest([src], out, min_chars=0)
    return out


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_prelabel_writes_schema_and_carries_columns(tmp_path, passages, taxonomy, suffix):
    out = tmp_path / f"pre{suffix}"
    clf = KeywordClassifier(taxonomy.category_names)
    stats = prelabel(passages, out, classifier=clf)
    df = pd.read_json(out, lines=True) if suffix == ".jsonl" else pq.read_table(out).to_pandas()
    src = pq.read_table(passages).to_pandas()
    assert list(df.id) == list(src.id) and stats.passages == len(src)
    for col in ("doc_id", "start", "end", "title", "source", "passage_index"):
        assert list(df[col]) == list(src[col])
    threat = df[df.text.str.contains("kill")].iloc[0]
    assert set(threat["scores"]) == set(taxonomy.category_names)
    assert all(0 <= v <= 1 for v in threat["scores"].values())
    assert list(threat["labels"]) == ["violent_threat", "news_reporting"]
    span = threat["spans"][0]
    assert threat["text"][span["start"] : span["end"]] == "kill" and span["label"] == "threat"
    assert set(df.model_version) == {"keyword-fake@0"}
    assert stats.flagged == 1


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_passages_saved_as_csv_keep_their_offsets_as_numbers(tmp_path, passages, taxonomy, suffix):
    """Ingest's passages round-tripped through a spreadsheet (CSV: every cell text) made
    prelabel fail with a pyarrow traceback (`Could not convert '0' with type str: tried to
    convert to int32`) when it wrote passage_index, start and end; they are numbers
    again, as ingest wrote them."""
    src = tmp_path / "passages.csv"
    want = pq.read_table(passages).to_pandas()
    want.to_csv(src, index=False)
    out = tmp_path / f"pre{suffix}"
    prelabel(src, out, classifier=KeywordClassifier(taxonomy.category_names))
    df = pd.read_json(out, lines=True) if suffix == ".jsonl" else pq.read_table(out).to_pandas()
    for col in ("passage_index", "start", "end"):
        assert [int(v) for v in want[col]] == list(df[col])
        assert all(isinstance(v, int) for v in df[col].tolist()), col


def test_a_csv_offset_that_is_no_number_is_named_before_the_model_loads(tmp_path, taxonomy):
    src = tmp_path / "edited.csv"
    src.write_text("id,text,start,end\np1,I will kill you,0,fifteen\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        prelabel(src, tmp_path / "o.parquet", classifier=KeywordClassifier(taxonomy.category_names))
    assert f"{src}: row 1 (line 2) (id 'p1') has 'end' 'fifteen'" in str(err.value)
    assert not (tmp_path / "o.parquet").exists()


def test_plain_table_with_id_and_text_and_extra_columns(tmp_path, taxonomy):
    src = tmp_path / "in.csv"
    pd.DataFrame(
        {"id": ["x", "y"], "text": ["I will kill you", "hello"], "lang": ["en", "de"]}
    ).to_csv(src, index=False)
    out = tmp_path / "o.parquet"
    prelabel(src, out, classifier=KeywordClassifier(taxonomy.category_names))
    df = pq.read_table(out).to_pandas()
    assert list(df.lang) == ["en", "de"] and list(df.columns[-6:]) == [
        "scores",
        "labels",
        "spans",
        "model_version",
        "model_language_warning",
        "prelabel_run",  # how the run scored it (passM55 finding 10)
    ]


def test_label_mismatch_is_model_error_and_no_output(tmp_path, passages, taxonomy):
    out = tmp_path / "o.jsonl"
    clf = KeywordClassifier([*taxonomy.category_names[:-1], "hate"])
    with pytest.raises(ModelError, match=r"missing \['none'\], unknown \['hate'\]"):
        prelabel(passages, out, classifier=clf)
    assert not out.exists()


@pytest.mark.parametrize(
    ("rows", "error", "needle"),
    [
        ([{"id": "1", "body": "x"}], SchemaError, "missing column(s) 'text'"),
        ([{"id": "1", "text": "a"}, {"id": "1", "text": "b"}], InputError, "appears twice"),
        ([{"id": "1", "text": ""}], InputError, "has no text"),
        # a number was reported as "has no text"
        ([{"id": "1", "text": 3.5}], InputError, "has a float in 'text'; expected a string"),
        # was accepted and ordered as passage 0
        (
            [{"id": "1", "text": "a", "doc_id": "d", "passage_index": "one"}],
            InputError,
            "has 'passage_index' 'one'; expected a whole number",
        ),
    ],
)
def test_bad_prelabel_input(tmp_path, taxonomy, rows, error, needle):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "o.jsonl"
    with pytest.raises(error) as info:
        prelabel(src, out, classifier=KeywordClassifier(taxonomy.category_names))
    assert needle in str(info.value)
    assert not out.exists()


def test_bad_output_extension_fails_before_work(tmp_path, passages, taxonomy):
    clf = KeywordClassifier(taxonomy.category_names)
    with pytest.raises(InputError, match=r"unsupported output type '\.csv'"):
        prelabel(passages, tmp_path / "o.csv", classifier=clf)
    assert clf.calls == []


@pytest.mark.parametrize("make", [True, False])
def test_an_out_folder_gets_a_file_name_in_it(tmp_path, passages, taxonomy, make):
    """`--out some_folder/` (a folder, or a new name without extension: the trailing / is
    gone from the Path) said "unsupported output type '(no extension)' ... rename the
    file"."""
    folder = tmp_path / "some_folder"
    if make:
        folder.mkdir()
    clf = KeywordClassifier(taxonomy.category_names)
    with pytest.raises(InputError) as err:
        prelabel(passages, folder, classifier=clf)
    assert "(no extension)" not in str(err.value)
    assert "folder" in str(err.value)
    assert f"--out {folder / 'prelabels'}.parquet" in err.value.fix, err.value.fix
    assert clf.calls == []


def test_a_folder_of_documents_as_input_is_named_a_folder_not_a_missing_file(tmp_path, taxonomy):
    """`annotate prelabel docs/` said 'docs: no such file' of a folder that exists."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("We will come for you.")
    clf = KeywordClassifier(taxonomy.category_names)
    with pytest.raises(InputError) as info:
        prelabel(docs, tmp_path / "o.jsonl", classifier=clf)
    assert "is a folder" in str(info.value) and "annotate ingest" in str(info.value)
    assert "no such file" not in str(info.value) and clf.calls == []


def test_passages_longer_than_the_model_reads_are_counted_and_named(tmp_path, taxonomy, capsys):
    """A 3,400-character passage with a threat at its end came out `none` with no word
    that the default model reads only its first 256 tokens (tables given to prelabel
    directly, not split by ingest)."""
    from annotate.classifier import DEFAULT_MODEL_DIR
    from annotate.cli import main

    if not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file():
        pytest.skip("models/default is not built")
    benign = "The city council met on Tuesday to discuss the budget for parks. " * 50
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "long", "text": benign + "I will kill you tonight."})
        + "\n"
        + json.dumps({"id": "short", "text": "Rehearsals start in October."})
        + "\n"
    )
    out = tmp_path / "out.jsonl"
    try:
        main(["prelabel", str(src), "--out", str(out), "-q"])
    except SystemExit as exc:
        assert exc.code in (0, None)
    err = capsys.readouterr().err
    assert "warning: 1 passage(s) (the first: long) are longer than the 256 tokens" in err
    assert len(out.read_text().splitlines()) == 2


def test_a_parquet_table_with_integer_ids_gives_parquet_output(tmp_path, taxonomy):
    """Integer ids (written as strings) did not fit the input's int64 column: ArrowInvalid."""
    src = tmp_path / "in.parquet"
    pd.DataFrame({"id": [1, 2], "text": ["I will kill you", "hello"]}).to_parquet(src)
    out = tmp_path / "o.parquet"
    prelabel(src, out, classifier=KeywordClassifier(taxonomy.category_names))
    assert pq.read_table(out).column("id").to_pylist() == ["1", "2"]


def test_a_bad_row_is_found_before_the_model_loads(tmp_path, monkeypatch):
    """An empty text or an id given twice far down the file was reported only after the
    model had loaded (~20 s) and every window before it had been scored."""
    import annotate.classifier

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded before the input was checked")

    monkeypatch.setattr(annotate.classifier, "load_classifier", no_model)
    rows = [{"id": str(i), "text": f"passage {i}"} for i in range(5000)]
    rows[4321]["text"] = " "
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(InputError, match=r"line 4322 \(id '4321'\) has no text"):
        prelabel(src, tmp_path / "o.jsonl")
    assert not (tmp_path / "o.jsonl").exists()
    from annotate.prelabeling_ray import prelabel_ray

    with pytest.raises(InputError, match=r"line 4322 \(id '4321'\) has no text"):
        prelabel_ray(src, tmp_path / "o.parquet")  # before Ray or the model starts
    assert not (tmp_path / "o.parquet").exists()
