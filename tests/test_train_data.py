"""Reading labeled data for training: mapping files, project tables, export dirs."""

from __future__ import annotations

import json
import re

import pytest

from annotate.errors import TrainingError
from annotate.training.sources import (
    DataSource,
    load_examples,
    load_mapping,
    read_export,
    read_mapped,
    read_native,
    sample_train,
)
from tests.conftest import ROOT

MAPPINGS = ROOT / "models" / "mappings"


@pytest.mark.parametrize("name", ["implicit-hate.yaml", "gab-hate-corpus.yaml"])
def test_shipped_mappings_are_valid(name, taxonomy):
    m = load_mapping(MAPPINGS / name, taxonomy)
    assert m.license and m.rules


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_mapping_errors_are_one_line(tmp_path, taxonomy):
    bad = _write(tmp_path / "m.yaml", "name: x\nrules:\n  - when: {a: 1}\n    labels: [hate]\n")
    with pytest.raises(TrainingError, match=r"rules\[0\]\.labels: 'hate' is not a category") as err:
        load_mapping(bad, taxonomy)
    assert "\n" not in str(err.value)
    typo = _write(tmp_path / "t.yaml", "name: x\nrulez: []\n")
    with pytest.raises(TrainingError, match="rulez"):
        load_mapping(typo, taxonomy)


def test_a_misspelled_mapping_key_gets_the_closest_key(tmp_path, taxonomy):
    """`txt:` for `text:` (top level) and `lables:` in a rule got no hint of the key meant."""
    typo = _write(tmp_path / "t.yaml", "name: x\ntxt: post\nrules:\n  - labels: [none]\n")
    with pytest.raises(TrainingError, match="unknown key 'txt'") as err:
        load_mapping(typo, taxonomy)
    assert err.value.fix.startswith("did you mean 'text'?"), err.value.fix
    rule = _write(tmp_path / "r.yaml", "name: x\nrules:\n  - lables: [none]\n")
    with pytest.raises(TrainingError, match=r"unknown key 'rules\[0\]\.lables'") as err:
        load_mapping(rule, taxonomy)
    assert err.value.fix.startswith("did you mean 'labels'?"), err.value.fix
    far = _write(tmp_path / "f.yaml", "name: x\ncolour: red\nrules:\n  - labels: [none]\n")
    with pytest.raises(TrainingError, match="unknown key 'colour'") as err:
        load_mapping(far, taxonomy)
    assert "did you mean" not in err.value.fix


def test_a_mapping_file_that_is_a_list_says_so(tmp_path, taxonomy):
    """A YAML list at the top level read '<top level>: Input should be a valid dictionary'."""
    listed = _write(tmp_path / "l.yaml", "- name: x\n- text: post\n")
    with pytest.raises(TrainingError) as err:
        load_mapping(listed, taxonomy)
    assert "must be a YAML mapping (`key: value` lines); it holds a list" in str(err.value)
    assert "<top level>" not in str(err.value)
    assert "without a leading `- `" in err.value.fix


GAB_LIKE = "text\thd\tcv\n" + "\n".join(
    [
        "we should shoot them all\t1\t1",
        "hateful but not violent\t1\t0",
        "nice weather today\t0\t0",
        "another ordinary post\t0\t0",
    ]
)


@pytest.mark.parametrize(
    ("text", "labels", "unknown"),
    [
        ("we should shoot them all", {"incitement"}, {"violent_threat", "news_reporting"}),
        ("nice weather today", {"none"}, {"news_reporting", "counter_speech"}),
    ],
)
def test_mapped_rows_get_labels_and_masks(tmp_path, taxonomy, text, labels, unknown):
    data = _write(tmp_path / "gab.tsv", GAB_LIKE)
    m = load_mapping(MAPPINGS / "gab-hate-corpus.yaml", taxonomy)
    exs = {e.text: e for e in read_mapped(data, m, taxonomy, seed=1)}
    assert "hateful but not violent" not in exs  # dropped by the mapping
    ex = exs[text]
    assert ex.labels == labels
    assert not (unknown & ex.known)
    assert labels <= ex.known


def test_mapped_join(tmp_path, taxonomy):
    _write(tmp_path / "stg1.tsv", "post\tclass\na threat\timplicit_hate\nplain\tnot_hate\n")
    _write(tmp_path / "stg2_posts.tsv", "post\timplicit_class\na threat\tthreatening\n")
    m = load_mapping(MAPPINGS / "implicit-hate.yaml", taxonomy)
    m.join[0].path = "stg2_posts.tsv"
    exs = {e.text: e for e in read_mapped(tmp_path / "stg1.tsv", m, taxonomy, seed=1)}
    assert exs["a threat"].labels == {"violent_threat"}
    assert exs["a threat"].spans == [(0, 8, "threat")]
    assert exs["plain"].labels == {"none"}


def test_native_split_keeps_documents_together(tmp_path, taxonomy):
    rows = []
    for d in range(30):
        for i in range(3):
            rows.append(
                {
                    "doc_id": f"d{d}",
                    "passage_index": i,
                    "title": f"T{d}",
                    "text": f"passage {i} of doc {d}",
                    "labels": ["news_reporting" if d % 2 else "none"],
                    "spans": [{"text": "passage", "label": "quoted_propaganda"}],
                }
            )
    p = _write(tmp_path / "p.jsonl", "\n".join(json.dumps(r) for r in rows))
    a = read_native(p, taxonomy, seed=3)
    b = read_native(p, taxonomy, seed=3)
    assert [e.split for e in a] == [e.split for e in b]
    by_doc: dict[str, set[str]] = {}
    for e in a:
        by_doc.setdefault(e.doc_key, set()).add(e.split)
    assert all(len(s) == 1 for s in by_doc.values())
    assert {e.split for e in a} == {"train", "validation", "test"}
    assert a[0].spans == [(0, 7, "quoted_propaganda")]


def test_native_split_of_a_document_never_moves_when_rows_are_added_or_relabelled(
    tmp_path, taxonomy
):
    """`annotate train` on a project table grown between runs: earlier documents keep
    their split (the label-stratified split moved them, so a later model's test split
    held passages an earlier model trained on)."""
    labels = ["none", "news_reporting", "incitement", "violent_threat"]

    def table(docs: int, relabel: bool) -> list[dict]:
        return [
            {
                "doc_id": f"d{d}",
                "passage_index": i,
                "text": f"passage {i} of doc {d}",
                "labels": [labels[3 if relabel and d % 5 == 0 else (d * (i + 1)) % 4]],
            }
            for d in range(docs)
            for i in range(1 + d % 3)
        ]

    def splits(rows: list[dict]) -> dict[str, str]:
        p = _write(tmp_path / "p.jsonl", "\n".join(json.dumps(r) for r in rows))
        return {e.doc_key: e.split for e in read_native(p, taxonomy, seed=13)}

    before = splits(table(40, relabel=False))
    after = splits(table(70, relabel=True))
    assert {k: after[k] for k in before} == before


def test_native_bad_label_names_the_row(tmp_path, taxonomy):
    p = _write(tmp_path / "p.jsonl", json.dumps({"text": "x", "labels": ["hate"]}))
    with pytest.raises(TrainingError, match="line 1 has unknown label"):
        read_native(p, taxonomy, seed=0)


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("p.jsonl", "line 4"),  # a blank line above counts, as in an editor
        ("p.csv", "row 2 (line 4)"),  # the header is line 1; a quoted field spans two
        ("p.tsv", "row 2 (line 4)"),
        ("p.parquet", "row 2"),
    ],
)
@pytest.mark.parametrize("bad", ["label", "text"])
def test_native_errors_name_the_row_as_an_editor_counts_it(tmp_path, taxonomy, name, where, bad):
    import pandas as pd

    rows = [
        {"text": "first\nover two lines", "labels": "none"},
        {"text": "" if bad == "text" else "x", "labels": "hate" if bad == "label" else "none"},
    ]
    p = tmp_path / name
    if name.endswith(".jsonl"):
        _write(p, "\n".join(["", json.dumps(rows[0]), "", json.dumps(rows[1])]))
    elif name.endswith(".parquet"):
        pd.DataFrame(rows).to_parquet(p)
    else:
        pd.DataFrame(rows).to_csv(p, index=False, sep="\t" if name.endswith(".tsv") else ",")
    says = "has unknown label" if bad == "label" else "needs a non-empty 'text'"
    with pytest.raises(TrainingError, match=rf"{p.name}: {re.escape(where)} {says}"):
        read_native(p, taxonomy, seed=0)


def test_sample_train_caps_only_train(taxonomy):
    from annotate.training.sources import Example

    exs = [
        Example(
            text=str(i),
            labels={"none"},
            known=set(),
            split="train" if i < 80 else "test",
            source="s",
            doc_key=str(i),
        )
        for i in range(100)
    ]
    out = sample_train(exs, {"none": 10}, seed=0)
    assert sum(e.split == "train" for e in out) == 10
    assert sum(e.split == "test" for e in out) == 20


def test_missing_data_path(tmp_path, taxonomy):
    with pytest.raises(TrainingError, match="not found"):
        load_examples([DataSource(str(tmp_path / "nope.jsonl"))], taxonomy, seed=0)


def test_mixed_documents_keep_each_passage_labels(taxonomy):
    from annotate.training.derived import mixed_documents
    from annotate.training.sources import Example

    exs = [
        Example(
            text=f"{d}-{i}",
            labels={lab},
            known=set(),
            split="train",
            source="s",
            doc_key=d,
            index=i,
            title=d.upper(),
        )
        for d, lab in (("a", "news_reporting"), ("b", "violent_threat"), ("c", "none"))
        for i in range(3)
    ]
    out = mixed_documents(exs, 5, seed=1)
    docs: dict[str, list] = {}
    for e in out:
        docs.setdefault(e.doc_key, []).append(e)
    assert len(docs) == 5
    by_text = {e.text: e.labels for e in exs}
    for members in docs.values():
        assert len(members) == 4  # a host document of 3 + one guest
        assert [e.index for e in members] == [0, 1, 2, 3]
        assert len({e.text.split("-")[0] for e in members}) == 2
        assert all(e.labels == by_text[e.text] and e.split == "train" for e in members)
    assert mixed_documents(exs, 5, seed=1) == out  # seeded


def test_tied_export_rows_left_out_of_training_are_counted(tmp_path, taxonomy, caplog):
    """An export of 3 passages, 2 of them tied, trained on 1 row without a word (the
    model card said 1 row, the export 3; a test split holding only a tie read as 'no
    test split')."""
    corpus = tmp_path / "corpus"
    (corpus / "jsonl").mkdir(parents=True)
    (corpus / "manifest.json").write_text(json.dumps({"taxonomy": {"version": "1.0.0"}}))
    rows = {
        "train": [{"id": "a", "text": "We will burn it down.", "labels": ["incitement"]}],
        "validation": [{"id": "b", "text": "A tie.", "labels": [], "label_tie": True}],
        "test": [{"id": "c", "text": "Another tie.", "labels": [], "label_tie": True}],
    }
    for split, items in rows.items():
        (corpus / "jsonl" / f"{split}.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in items)
        )
    with caplog.at_level("WARNING", logger="annotate.training.sources"):
        examples = read_export(corpus, taxonomy)
    assert [e.id for e in examples] == ["a"]
    assert "2 of 3 exported passages have no resolved category" in caplog.text
    assert "(validation 1, test 1)" in caplog.text


def test_export_labels_an_older_labels_yaml_lacks_are_warned_about(tmp_path, taxonomy, caplog):
    """`annotate train` with an older labels.yaml (same major version) dropped the export's
    newer labels without a word, and counted passages left without one as ties."""
    corpus = tmp_path / "corpus"
    (corpus / "jsonl").mkdir(parents=True)
    newer = f"{taxonomy.version.split('.')[0]}.99.0"
    (corpus / "manifest.json").write_text(json.dumps({"taxonomy": {"version": newer}}))
    rows = [
        {"id": "a", "text": "We will burn it down.", "labels": ["incitement", "doxxing"]},
        {"id": "b", "text": "Here is her address.", "labels": ["doxxing"]},
        {"id": "c", "text": "Buy now.", "labels": ["spam"]},
        {"id": "d", "text": "A tie.", "labels": [], "label_tie": True},
    ]
    (corpus / "jsonl" / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    with caplog.at_level("WARNING", logger="annotate.training.sources"):
        examples = read_export(corpus, taxonomy)
    assert [(e.id, e.labels) for e in examples] == [("a", {"incitement"})]
    assert "2 label(s) of the export are not in labels.yaml" in caplog.text
    assert f"(the export's is {newer})" in caplog.text
    assert "doxxing (2 passages), spam (1 passage)" in caplog.text
    assert "2 passage(s) had no other label and are left out" in caplog.text
    assert "1 of 4 exported passages have no resolved category" in caplog.text


def test_prelabel_output_is_refused_as_training_data(taxonomy):
    """`annotate train --data prelabels.parquet` trained on the model's own predictions
    as if reviewers had given them (and evaluate scored a model against itself)."""
    from tests.conftest import FIXTURES

    with pytest.raises(TrainingError, match="is `annotate prelabel` output") as err:
        read_native(FIXTURES / "prelabels.jsonl", taxonomy, 13)
    assert "annotate export" in str(err.value) and "\n" not in str(err.value)


def _export(folder, splits):
    (folder / "jsonl").mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"taxonomy": {"version": "1.0.0"}}))
    for split, items in splits.items():
        (folder / "jsonl" / f"{split}.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in items)
        )
    return folder


def test_a_passage_of_two_exports_in_two_splits_is_warned_about(tmp_path, taxonomy, caplog):
    """Two exports of one project taken at different times put a passage in train in one
    and in test in the other; training on both said nothing (held-out figures leaked)."""
    a = {"id": "p1", "text": "We will burn it down.", "labels": ["incitement"]}
    b = {"id": "p2", "text": "The council met today.", "labels": ["none"]}
    first = _export(tmp_path / "first", {"train": [a, b]})
    later = _export(tmp_path / "later", {"train": [b], "test": [a]})
    with caplog.at_level("WARNING", logger="annotate.training.sources"):
        load_examples([DataSource(str(first)), DataSource(str(later))], taxonomy, 13)
    assert "2 passage(s) are in more than one --data export (e.g. p1)" in caplog.text
    assert "1 of them are in train in one and held out in another" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="annotate.training.sources"):
        load_examples([DataSource(str(later))], taxonomy, 13)
    assert "more than one --data export" not in caplog.text


@pytest.mark.parametrize(
    ("row", "says"),
    [
        # each was a TypeError/ValueError traceback, or (spans as a string) silently ignored
        ({"text": "x", "labels": 5}, "has 'labels' 5 (int); expected a list of category names"),
        ({"text": "x", "labels": {"none": 1}}, "has 'labels' {'none': 1} (dict)"),
        ({"text": 42, "labels": ["none"]}, "has an int in 'text'; expected a string"),
        ({"text": "x", "labels": ["none"], "passage_index": "abc"}, "'passage_index' 'abc'"),
        ({"text": "burn it", "labels": ["none"], "spans": "burn"}, "'spans' is a str of 4"),
        (
            {"text": "burn", "labels": "none", "spans": [dict(start="a", end=4, label="threat")]},
            "span offset 'a' is not a whole number",
        ),
    ],
)  # fmt: skip
def test_native_values_of_the_wrong_type_are_one_line_errors(tmp_path, taxonomy, row, says):
    p = _write(tmp_path / "p.jsonl", json.dumps(row) + "\n")
    with pytest.raises(TrainingError, match=re.escape(says)) as err:
        read_native(p, taxonomy, seed=0)
    assert "line 1" in str(err.value)


def test_native_parquet_with_float_passage_index_and_out_of_range_span(tmp_path, taxonomy, caplog):
    import pandas as pd

    p = tmp_path / "p.parquet"
    pd.DataFrame(
        {
            "text": ["We will burn it.", "Calm day."],
            "labels": [["violent_threat"], ["none"]],
            "doc_id": ["d", "d"],
            "passage_index": [0.0, 1.0],  # a float column (pandas with a missing value)
            "spans": [[{"start": 3, "end": 99, "label": "threat"}], []],
        }
    ).to_parquet(p)
    exs = read_native(p, taxonomy, seed=0)
    assert [e.index for e in exs] == [0, 1] and exs[0].spans == []
    assert "span 3-99 is outside the passage (16 characters); skipped" in caplog.text


def test_native_split_column_values_are_read_or_refused(tmp_path, taxonomy):
    """'Test' and 'dev' in a table's split column were silently replaced by the hash
    split: rows the user held out could be trained on."""
    rows = [{"text": "a", "labels": ["none"], "split": " Test "}]
    p = _write(tmp_path / "p.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    assert [e.split for e in read_native(p, taxonomy, seed=0)] == ["test"]
    rows.append({"text": "b", "labels": ["none"], "split": "dev"})
    p = _write(tmp_path / "p.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(TrainingError, match=r"line 2 has 'split' 'dev'; expected train"):
        read_native(p, taxonomy, seed=0)


def test_training_on_an_export_changed_since_export_is_warned_about(tmp_path, taxonomy, caplog):
    """A colleague changed a label in an export; `annotate train` learnt from it without a
    word (only `annotate verify` would have said the corpus was altered)."""
    from annotate.corpus.export import export
    from tests.audit.fakes import FakeStudio, reviewed_tasks

    corpus = tmp_path / "corpus"
    export("p", corpus, client=FakeStudio(reviewed_tasks()), salt="s")
    with caplog.at_level("WARNING", logger="annotate.training.sources"):
        read_export(corpus, taxonomy)
    assert "does not match its manifest" not in caplog.text  # a fresh export: no word
    rows = corpus / "jsonl" / "train.jsonl"
    rows.write_text(rows.read_text().replace('"labels": ["', '"labels": ["none", "', 1))
    caplog.clear()
    with caplog.at_level("WARNING", logger="annotate.training.sources"):
        read_export(corpus, taxonomy)
    assert "does not match its manifest (1 mismatch(es), e.g. jsonl/train.jsonl" in caplog.text
    assert "annotate verify" in caplog.text


def test_the_model_card_names_the_exact_export_it_was_trained_on(tmp_path, taxonomy):
    """The card said only `corpus (export): N rows`: an auditor could not tell which export
    (of which project, when) a model learnt from, nor check it with `annotate verify`."""
    from annotate.audit.verify import sha256_file
    from annotate.corpus.export import export
    from annotate.evaluation.model_card import training_data_lines
    from annotate.training.sources import DataSource, load_examples
    from tests.audit.fakes import FakeStudio, reviewed_tasks

    corpus = tmp_path / "corpus"
    export("p", corpus, client=FakeStudio(reviewed_tasks()), salt="s")
    _, described = load_examples([DataSource(path=str(corpus))], taxonomy, 0)
    digest = sha256_file(corpus / "manifest.json")
    exported_at = json.loads((corpus / "manifest.json").read_text())["exported_at"]
    assert described[0]["manifest_sha256"] == digest
    assert described[0]["project"] == "p" and described[0]["exported_at"] == exported_at
    line = training_data_lines(described)[0]
    assert f"project 'p', exported {exported_at}, manifest.json SHA-256 `{digest}`" in line


def test_a_source_supervising_some_labels_leaves_the_others_open(tmp_path, taxonomy):
    rows = [
        {"doc_id": "a", "passage_index": 0, "title": "", "text": "ok thanks", "labels": ["none"]},
        {
            "doc_id": "b",
            "passage_index": 0,
            "title": "",
            "text": "ur dead",
            "labels": ["violent_threat"],
        },
    ]
    p = _write(tmp_path / "p.jsonl", "\n".join(json.dumps(r) for r in rows))
    harmful = ("violent_threat", "incitement", "graphic_violence", "extremist_propaganda")
    plain, _ = load_examples([DataSource(str(p))], taxonomy, seed=0)
    cut, described = load_examples([DataSource(str(p), supervises=harmful)], taxonomy, seed=0)
    assert all(e.known == set(taxonomy.category_names) for e in plain)
    assert all(e.known == set(harmful) for e in cut)  # none, news, counter-speech left open
    assert [e.labels for e in cut] == [e.labels for e in plain]
    assert described[0]["supervises"] == list(harmful)
    with pytest.raises(TrainingError, match="`supervises` names \\['threat'\\]") as err:
        load_examples([DataSource(str(p), supervises=("threat",))], taxonomy, seed=0)
    assert "\n" not in str(err.value)


def test_an_export_of_a_newer_major_version_names_the_labels_yaml_to_pass(tmp_path, taxonomy):
    """An export made with labels.yaml 2.0.0, trained with ./labels.yaml 1.0.0: the fix
    said "re-export the project with the current labels.yaml, or pass the old one", and
    the one to pass was the newer one, 2.0.0."""
    corpus = tmp_path / "corpus"
    (corpus / "jsonl").mkdir(parents=True)
    (corpus / "manifest.json").write_text(json.dumps({"taxonomy": {"version": "2.0.0"}}))
    with pytest.raises(TrainingError) as err:
        read_export(corpus, taxonomy)
    assert "--labels FILE, version 2.0.0" in err.value.fix, err.value.fix
    assert "the old one" not in err.value.fix, err.value.fix


def test_a_semicolon_csv_with_a_bom_is_read_as_such(tmp_path, taxonomy, caplog):
    """A European Excel "CSV" (';' between fields, a BOM) was refused as having no
    'labels' column, with a fix sending the user to pre-label and push it (F11)."""
    p = tmp_path / "semi.csv"
    p.write_bytes(
        "\ufefftext;labels;doc_id\n"
        '"I will find you, and hurt you";violent_threat;d1\n'
        "nice weather;none;d2\n"
        "kill them, he said;incitement,violent_threat;d3\n".encode()
    )
    exs, described = load_examples([DataSource(str(p))], taxonomy, seed=0)
    assert [(e.text, sorted(e.labels)) for e in exs] == [
        ("I will find you, and hurt you", ["violent_threat"]),
        ("nice weather", ["none"]),
        ("kill them, he said", ["incitement", "violent_threat"]),
    ]
    assert "its header is separated by ';', not by commas: read it so" in caplog.text
    assert described[0]["rows"] == 3


def test_a_semicolon_csv_without_labels_says_how_it_is_separated(tmp_path, taxonomy):
    p = _write(tmp_path / "semi.csv", "text;label\nx;none\n")
    with pytest.raises(TrainingError, match="looks separated by ';', not by ','") as err:
        read_native(p, taxonomy, seed=0)
    assert "pre-label" not in err.value.fix


@pytest.mark.parametrize(
    "cell",
    [
        '["incitement", "violent_threat"]',  # JSON, as most tools write a list to CSV
        "['incitement', 'violent_threat']",  # a Python list's repr (pandas' to_csv)
    ],
)
def test_a_list_in_a_csv_labels_cell_is_read_as_a_list(tmp_path, taxonomy, cell):
    """It was split on commas, with a did-you-mean of '["incitement"' (F12)."""
    import pandas as pd

    p = tmp_path / "p.csv"
    pd.DataFrame([{"text": "kill them", "labels": cell}, {"text": "hi", "labels": "none"}]).to_csv(
        p, index=False
    )
    assert [sorted(e.labels) for e in read_native(p, taxonomy, seed=0)] == [
        ["incitement", "violent_threat"],
        ["none"],
    ]


def test_a_nested_list_labels_column_is_read_as_a_list(tmp_path, taxonomy):
    import pandas as pd

    p = tmp_path / "p.parquet"
    pd.DataFrame(
        {"text": ["kill them", "hi"], "labels": [[["violent_threat"]], [["none"]]]}
    ).to_parquet(p)
    assert [sorted(e.labels) for e in read_native(p, taxonomy, seed=0)] == [
        ["violent_threat"],
        ["none"],
    ]


def test_a_labels_cell_like_a_broken_list_says_what_it_looks_like(tmp_path, taxonomy):
    p = _write(tmp_path / "p.csv", 'text,labels\nx,"[incitement, none]"\n')
    with pytest.raises(TrainingError, match="looks like a list but is not a JSON list") as err:
        read_native(p, taxonomy, seed=0)
    assert "row 1 (line 2)" in str(err.value) and "comma-separated" in err.value.fix


@pytest.mark.parametrize(("sep", "said"), [(";", True), ("|", False), ("\t", False)])
def test_only_a_semicolon_csv_is_said_to_be_a_decimal_comma_spreadsheets(
    tmp_path, taxonomy, caplog, sep, said
):
    """A '|'-separated CSV was explained as 'a spreadsheet's CSV where the comma is the
    decimal mark', the reason of ';' only (break48b #4a)."""
    p = _write(tmp_path / "p.csv", f"text{sep}labels\nkill them{sep}violent_threat\n")
    assert [sorted(e.labels) for e in read_native(p, taxonomy, seed=0)] == [["violent_threat"]]
    assert "not by commas: read it so" in caplog.text
    assert ("the comma is the decimal mark" in caplog.text) is said


@pytest.mark.parametrize(
    ("cell", "missing", "mended"),
    [
        ('["violent_threat"', "closing ']'", '["violent_threat"]'),
        ("none]", "opening '['", "[none]"),
    ],
)
def test_a_labels_cell_missing_a_bracket_is_said_to_be_a_broken_list(
    tmp_path, taxonomy, cell, missing, mended
):
    """'["violent_threat"' was called an unknown label, with 'did you mean violent_threat'
    (break48b #4b)."""
    import pandas as pd

    p = tmp_path / "p.csv"
    pd.DataFrame([{"text": "kill them", "labels": cell}]).to_csv(p, index=False)
    with pytest.raises(TrainingError) as err:
        read_native(p, taxonomy, seed=0)
    assert f"has 'labels' {cell!r}, a list with no {missing} (a broken list" in str(err.value)
    assert "unknown label" not in str(err.value)
    assert f"add the missing bracket ({mended})" in err.value.fix


@pytest.mark.parametrize(
    ("name", "labels", "shown"),
    [("p.csv", "[]", "'[]'"), ("p.jsonl", [], "[]"), ("p.csv", "", "empty")],
)
def test_a_row_with_no_label_shows_the_cell_and_names_the_none_label(
    tmp_path, taxonomy, name, labels, shown
):
    """A '[]' labels cell (pandas' empty list) got 'needs a non-empty text and labels',
    showing neither the '[]' nor that the none label is the one for no harm (break48b #4c)."""
    import pandas as pd

    p = tmp_path / name
    rows = [{"text": "hello", "labels": "none"}, {"text": "hi there", "labels": labels}]
    if name.endswith(".jsonl"):
        _write(p, "\n".join(json.dumps(r) for r in rows) + "\n")
    else:
        pd.DataFrame(rows).to_csv(p, index=False)
    with pytest.raises(TrainingError) as err:
        read_native(p, taxonomy, seed=0)
    none = taxonomy.none_label
    where = "line 2" if name.endswith(".jsonl") else "row 2 (line 3)"
    msg = str(err.value)
    if shown == "empty":
        assert f"{where} has no label (its 'labels' is empty)" in msg
    else:
        assert f"{where} has no label (its 'labels' is {shown})" in msg
    assert f"({none!r} for a passage with no harm)" in msg
    assert f"write {none} in the 'labels' of a passage with no harm" in err.value.fix


def test_span_warnings_name_the_example_never_quote_its_text(tmp_path, taxonomy, caplog):
    """A span whose text is not in its passage was warned of with its first 40
    characters quoted (and a span that is no object, a 'spans' string, with theirs):
    training data may be graphic or personal, and logs travel. Now the warning names the
    example (file and line, an export's passage id) and the span's position, label and
    length; never its text."""
    secret = "Jane Roe lives at 12 Elm St"
    rows = [
        {"text": "We will burn it.", "labels": ["violent_threat"],
         "spans": [{"text": "burn", "label": "threat"}, {"text": secret, "label": "threat"},
                   secret]},
    ]  # fmt: skip
    p = _write(tmp_path / "p.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    with caplog.at_level("WARNING", logger="annotate.training.sources"):
        (ex,) = read_native(p, taxonomy, seed=0)
    assert ex.spans == [(8, 12, "threat")]
    assert "Jane" not in caplog.text and "Elm" not in caplog.text, caplog.text
    assert "line 1: span 2 (threat, a text of 27 characters) is not found" in caplog.text
    assert "line 1: span 3 is a str of 27 characters, not an object" in caplog.text
    with pytest.raises(TrainingError) as err:
        read_native(_write(tmp_path / "s.jsonl", json.dumps({**rows[0], "spans": secret})),
                    taxonomy, seed=0)  # fmt: skip
    assert "Jane" not in str(err.value) and "a str of 27 characters" in str(err.value)
    caplog.clear()
    row = {"id": "p9", **rows[0], "spans": rows[0]["spans"][1:2]}
    with caplog.at_level("WARNING", logger="annotate.training.sources"):
        read_export(_export(tmp_path / "e", {"train": [row]}), taxonomy)
    assert "Jane" not in caplog.text, caplog.text
    assert "passage p9: span 1 (threat, a text of 27 characters) is not found" in caplog.text
