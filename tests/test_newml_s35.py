"""A new ML engineer's findings in stop 35 (retrain, evaluate, prelabel with own models)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from annotate.training.sources import read_export, read_native
from tests.test_cli import _error_line, run

THREAT = "I will find you tonight and you will bleed for what you wrote."


def test_a_table_without_spans_is_not_scored_as_reviewed_for_spans(
    tmp_path: Path, taxonomy
) -> None:
    """A table without a ``spans`` column says nothing about evidence spans: its passages
    must not count as "reviewed, no span here" (evaluate scored every predicted span on
    them as a false positive and reported them as reviewed for spans). A row with an
    empty list still does."""
    rows = [
        {"doc_id": "a", "text": THREAT, "labels": ["violent_threat"]},
        {"doc_id": "b", "text": "The bake sale opens at nine.", "labels": ["none"], "spans": []},
        {
            "doc_id": "c",
            "text": THREAT,
            "labels": ["violent_threat"],
            "spans": [{"text": "you will bleed", "label": "threat"}],
        },
    ]
    table = tmp_path / "t.jsonl"
    table.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    got = {ex.doc_key: ex.spans for ex in read_native(table, taxonomy, 13)}
    assert got == {"t:a": None, "t:b": [], "t:c": [(28, 42, "threat")]}, got


def test_a_saved_datasetdict_without_spans_is_not_reviewed_for_spans(
    tmp_path: Path, taxonomy
) -> None:
    import datasets

    ds = datasets.Dataset.from_dict(
        {"doc_id": ["a"], "text": [THREAT], "labels": [["violent_threat"]]}
    )
    datasets.DatasetDict({"train": ds, "test": ds}).save_to_disk(str(tmp_path / "hf"))
    exs = read_export(tmp_path / "hf", taxonomy)
    assert [ex.spans for ex in exs] == [None, None]


def _mapping(tmp_path: Path, extra: str = "") -> Path:
    m = tmp_path / "m.yaml"
    m.write_text(
        f"name: replies\ntext: reply\n{extra}rules:\n  - when: {{kind: cs}}\n"
        "    labels: [counter_speech]\n  - when: {kind: other}\n    labels: ['none']\n",
        encoding="utf-8",
    )
    return m


def test_json_lines_named_json_says_to_set_format_jsonl(tmp_path: Path) -> None:
    data = tmp_path / "Train.json"
    data.write_text(
        '{"reply": "Violence is never the answer.", "kind": "cs"}\n'
        '{"reply": "See you at the match.", "kind": "other"}\n',
        encoding="utf-8",
    )
    args = ["train", "--data", str(data), "--out", str(tmp_path / "m")]
    line = _error_line(run(*args, "--mapping", str(_mapping(tmp_path))))
    assert "looks like JSON Lines" in line and "Fix: add `format: jsonl`" in line, line


def test_a_missing_mapped_table_is_not_found_with_a_near_name(tmp_path: Path) -> None:
    (tmp_path / "Val.json").write_text('{"reply": "x", "kind": "cs"}\n', encoding="utf-8")
    args = ["--data", str(tmp_path / "Val.jsonl"), "--mapping", str(_mapping(tmp_path))]
    line = _error_line(run("train", *args, "--out", str(tmp_path / "m")))
    assert f"training data {tmp_path / 'Val.jsonl'} not found" in line, line
    assert "did you mean" in line and "Val.json" in line, line


def test_a_config_naming_a_missing_absolute_path_names_the_config(tmp_path: Path) -> None:
    (tmp_path / "Val.json").write_text('{"reply": "x", "kind": "cs"}\n', encoding="utf-8")
    cfg = tmp_path / "mine.train.yaml"
    mapping = _mapping(tmp_path, "format: jsonl\n")
    cfg.write_text(
        f"name: mine\ndata:\n  - path: {tmp_path / 'Val.jsonl'}\n    mapping: {mapping}\n",
        encoding="utf-8",
    )
    line = _error_line(run("train", "--config", str(cfg), "--out", str(tmp_path / "m")))
    assert f"training config {cfg}: data[0].path" in line and "does not exist" in line, line
    assert "did you mean" in line, line


def test_prelabel_of_a_saved_dataset_says_how_to_write_it_as_a_table(tmp_path: Path) -> None:
    """A `datasets` save_to_disk folder of passages was told to go through `annotate
    ingest`, which reads its rows as whole documents (and refused this one: one doc_id on
    several rows); the fix now writes it as Parquet, and the command it gives works."""
    import datasets

    ds = datasets.Dataset.from_dict(
        {"id": ["p1", "p2"], "doc_id": ["d", "d"], "passage_index": [0, 1], "text": ["a", "b"]}
    )
    ds.save_to_disk(str(tmp_path / "plain"))
    datasets.DatasetDict({"test": ds}).save_to_disk(str(tmp_path / "dict"))
    for name, pick in (("plain", ""), ("dict", "['test']")):
        line = _error_line(
            run("prelabel", str(tmp_path / name), "--out", str(tmp_path / "o.jsonl"))
        )
        assert "is a `datasets` save_to_disk folder" in line, line
        code = f"datasets.load_from_disk('{tmp_path / name}'){pick}.to_parquet('passages.parquet')"
        assert code in line, line
        # the command as given, run where the user would run it
        command = line.split('`python -c "', 1)[1].split('"`', 1)[0]
        subprocess.run([sys.executable, "-c", command], cwd=tmp_path, check=True)
        assert pq.read_table(tmp_path / "passages.parquet").column("id").to_pylist() == ["p1", "p2"]
        (tmp_path / "passages.parquet").unlink()


def test_ray_transports_span_scores_as_the_local_engine_writes_them(taxonomy) -> None:
    """--engine ray sent span scores through float32, so its JSONL said 0.261000007390975
    where the local engine's said 0.261 (the README: the same scores)."""
    import pyarrow as pa

    from annotate.prelabeling_ray import _transport_schema
    from annotate.table_schemas import prelabel_fields

    schema = pa.schema([pa.field("id", pa.string()), *prelabel_fields(taxonomy)])
    row = {
        "id": "p1",
        "scores": dict.fromkeys(taxonomy.category_names, 0.459105),
        "labels": ["violent_threat"],
        "spans": [{"start": 0, "end": 5, "label": "threat", "score": 0.261}],
        "model_version": "m@1",
        "model_language_warning": None,  # the driver writes it (prelabeling.count_foreign)
    }
    (back,) = pa.Table.from_pylist([row], schema=_transport_schema(schema)).to_pylist()
    assert back == row


def test_verify_finds_a_source_given_as_an_absolute_path_from_another_checkout(
    tmp_path: Path,
) -> None:
    """A model trained with `--data /data/x.json` records the path relative to the
    checkout it was trained in (../../shared/data/...); verified from a clone elsewhere
    that relative path leads nowhere, but the absolute path as given still names the file."""
    from annotate.audit.model_verify import _find, _places
    from annotate.training.data_files import DataFile, DataSourceRecord

    data = tmp_path / "shared" / "Val.json"
    data.parent.mkdir()
    data.write_text('{"reply": "x"}\n', encoding="utf-8")
    record = DataSourceRecord(
        path="../../shared/Val.json",
        kind="mapped",
        given=str(data),
        root="checkout",
        resolved="../../elsewhere/shared/Val.json",  # as the other checkout saw it
        files=[DataFile(path="Val.json", sha256="0" * 64, bytes=15, rows=1)],
    )
    bases, roots = _places(record, None)
    check = _find(record.path, record.files[0], bases, roots)
    assert check.found_at == data, check


def test_a_config_encoder_folder_is_read_relative_to_the_config(
    tmp_path: Path, monkeypatch
) -> None:
    """`encoder: mini` beside the config was looked up from the working directory, then
    on the hub (53 s of retries offline); data paths in a config are relative to it."""
    from annotate.training.config import load_train_config

    (tmp_path / "sub" / "mini").mkdir(parents=True)
    cfg = tmp_path / "sub" / "rel.train.yaml"
    monkeypatch.chdir(tmp_path)
    for ref in ("mini", "./mini"):
        cfg.write_text(f"name: rel\nencoder: {ref}\n", encoding="utf-8")
        assert load_train_config(cfg).encoder == str(tmp_path / "sub" / "mini")
    cfg.write_text("name: rel\nencoder: sentence-transformers/all-MiniLM-L12-v2\n")
    assert load_train_config(cfg).encoder == "sentence-transformers/all-MiniLM-L12-v2"


def test_a_config_encoder_path_that_is_not_there_names_the_config(tmp_path: Path) -> None:
    cfg = tmp_path / "rel.train.yaml"
    cfg.write_text("name: rel\nencoder: ./nomini\n", encoding="utf-8")
    line = _error_line(run("train", "--config", str(cfg), "--out", str(tmp_path / "m")))
    assert f"training config {cfg}: encoder './nomini' names a local folder" in line, line
    assert f"there is none at {tmp_path / 'nomini'}" in line and "hf download" not in line, line


def test_an_encoder_path_that_is_not_there_is_not_looked_up_on_the_hub(tmp_path: Path) -> None:
    """'./nomini' was sent to the hub: 'Repo id must use alphanumeric chars', with the fix
    `hf download ./nomini`."""
    import pytest
    from transformers import AutoTokenizer

    from annotate.classifier.encoder import from_pretrained_or_fail
    from annotate.errors import ModelError

    with pytest.raises(ModelError) as err:
        from_pretrained_or_fail(AutoTokenizer, str(tmp_path / "nomini"), "encoder tokenizer")
    assert "does not exist (a local path, not looked up on the Hugging Face hub" in str(err.value)
    assert "hf download" not in err.value.fix


def test_trained_on_data_ties_sources_by_digest_path_name_or_project() -> None:
    from types import SimpleNamespace

    from annotate.evaluation.trained_on import trained_on_data

    def entry(**kw):
        return {"kind": "mapped", "path": "x", **kw}

    trained = [
        entry(path="a.csv", files=[{"role": "data", "sha256": "aa"}], name="gab"),
        {"kind": "export", "path": "corpus", "project": "Batch 1"},
        {"kind": "taxonomy examples", "path": "labels.yaml"},
    ]
    clf = SimpleNamespace(config={"training": {"data": trained}})
    assert trained_on_data(clf, [entry(path="b.csv", files=[{"role": "data", "sha256": "aa"}])])
    assert trained_on_data(clf, [entry(path="other/test.csv", name="gab")])
    assert trained_on_data(clf, [{"kind": "export", "path": "c2", "project": "Batch 1"}])
    assert trained_on_data(clf, [{"kind": "taxonomy examples", "path": "labels.yaml"}]) is False
    other = entry(path="h.csv", files=[{"role": "data", "sha256": "bb"}], name="hatemoji")
    assert trained_on_data(clf, [other]) is False
    untold = SimpleNamespace(config={"training": {"data": trained[2:]}})
    assert trained_on_data(untold, [other]) is None  # no record of its data: not told


def test_the_card_lists_an_exports_licences_and_says_when_they_are_unknown(tmp_path) -> None:
    """A model trained on an export named its project and manifest but not one licence of
    its passages (the export's manifest tallies them); a mapped source's card line has its
    licence, so an export's should too, and an unknown one is said so."""
    from annotate.evaluation.model_card import training_data_lines
    from annotate.training.sources import export_provenance

    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "project": {"title": "Batch 7"},
                "licenses": {
                    "by_license": {"CC-BY-4.0": {"documents": 2, "rows": 10}},
                    "unknown": {"documents": 3, "rows": 4},
                },
            }
        ),
        encoding="utf-8",
    )
    got = export_provenance(tmp_path)
    assert got["licenses"] == {"CC-BY-4.0": 10, "unknown": 4}
    entry = {"path": "corpus", "kind": "export", "rows": 14, **got}
    first, second = training_data_lines([entry])[:2]
    assert "licences: CC-BY-4.0 10 passages, unknown 4 passages)" in first, first
    assert second.startswith("  Licence unknown for 4 passages:"), second
