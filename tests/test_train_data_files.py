"""A trained model's `annotate_model.json` named its data by paths relative to the
checkout (`../../tmp/x/base.jsonl`): an auditor holding only the model could not tell
which files it was trained on. Each data source now records the path as given (and the
config it was written in), the resolved path relative to a stated root, and per file
read its SHA-256, bytes and rows; the model card shows them. Models written before are
still read (their entries have no files)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import datasets
import pandas as pd
import pytest

from annotate.settings import PROJECT_ROOT
from annotate.training.data_files import (
    ROOT_ABSOLUTE,
    ROOT_CHECKOUT,
    ROOT_CWD,
    located,
    location,
    read_records,
)
from tests.test_train_loop import _cli, _corpus_row, _native_rows, _write_export

# the data has no harmful passage (news, counter-speech, none): train anyway
NO_HARM = "--allow-no-harmful-passages"

pytestmark = pytest.mark.slow  # a real encoder, small data (about 15 s)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_model_records_each_data_file_by_digest_and_rows(tmp_path, taxonomy, monkeypatch):
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "cfg"
    (folder / "data").mkdir(parents=True)
    base = folder / "data" / "base.jsonl"
    base.write_text("\n".join(json.dumps(r) for r in _native_rows()) + "\n")
    cfg = folder / "small.train.yaml"
    cfg.write_text("name: small\ntrainer: frozen\ndata:\n  - path: data/base.jsonl\n")
    export = tmp_path / "corpus"
    _write_export(
        export,
        [
            _corpus_row(taxonomy, 1, "Market opens at nine.", ["none"], "train", ["none"]),
            _corpus_row(taxonomy, 2, "Stalls close at six.", ["none"], "validation", ["none"]),
        ],
        taxonomy,
    )
    model = tmp_path / "model"
    _cli(
        [
            "train",
            "--config",
            str(cfg),
            "--data",
            str(export),
            "--out",
            str(model),
            "--quiet",
            NO_HARM,
        ]
    )

    data = json.loads((model / "annotate_model.json").read_text())["training"]["data"]
    native, exported = data[0], data[1]
    card = (model / "model_card.md").read_text()
    for entry, path in ((native, base), (exported, export)):
        root = PROJECT_ROOT if entry["root"] == ROOT_CHECKOUT else Path.cwd()
        assert entry["root"] in (ROOT_CHECKOUT, ROOT_CWD, ROOT_ABSOLUTE)
        assert located(root, entry["resolved"]).resolve() == path.resolve()
        assert not entry["resolved"].startswith("../..")  # break49 B12
        assert f"resolved `{entry['resolved']}`" in card
        for f in entry["files"]:
            assert f"SHA-256 `{f['sha256']}`" in card
    # the path as written in the config, and the config
    assert native["given"] == "data/base.jsonl"
    assert native["given_in"].endswith("cfg/small.train.yaml")
    assert exported["given"] == str(export) and exported["given_in"] is None
    # a table: its digest and rows, recounted
    (f,) = native["files"]
    assert (f["path"], f["role"], f["sha256"]) == ("base.jsonl", "data", _sha(base))
    assert f["rows"] == len(pd.read_json(base, lines=True)) and f["bytes"] == base.stat().st_size
    # an export: its manifest and the split files training read (hf/), rows per split
    files = {f["path"]: f for f in exported["files"]}
    assert files["manifest.json"]["sha256"] == _sha(export / "manifest.json")
    assert files["manifest.json"]["role"] == "manifest"
    splits = datasets.load_from_disk(str(export / "hf"))
    for split, ds in splits.items():
        arrows = [f for p, f in files.items() if p.startswith(f"hf/{split}/")]
        assert arrows and sum(f["rows"] for f in arrows) == len(ds), split
        for a in arrows:
            assert a["sha256"] == _sha(export / a["path"])
    assert read_records(data)[0].files[0].sha256 == _sha(base)


def test_a_model_written_before_the_files_were_recorded_is_read(tmp_path):
    """A model written before (the shipped model with its training.data records cut back
    to the old fields: no given/root/files): its card is written, and the records read,
    without them."""
    from annotate.training.card import write_card

    shipped = PROJECT_ROOT / "models" / "default"
    copy = tmp_path / "model"
    shutil.copytree(shipped, copy)
    config = json.loads((copy / "annotate_model.json").read_text())
    new_fields = ("given", "given_in", "root", "resolved", "files")
    config["training"]["data"] = [
        {k: v for k, v in entry.items() if k not in new_fields}
        for entry in config["training"]["data"]
    ]
    (copy / "annotate_model.json").write_text(json.dumps(config))
    records = read_records(config["training"]["data"])
    assert records and all(r.files == [] and r.given is None for r in records)
    write_card(copy, "v")
    assert "Data: given as" not in (copy / "model_card.md").read_text()


def test_a_mapping_outside_the_data_folder_is_named_from_the_root(tmp_path):
    """Data in one folder and its mapping in another (``../shared/data/x.tsv`` beside
    ``models/mappings/x.yaml``): the mapping is named as ``location`` resolves it, not
    relative to the parent the two folders share (which named it ``main/models/...``)."""
    from annotate.training.data_files import describe_files

    data = tmp_path / "shared" / "data" / "x.tsv"
    mapping = tmp_path / "main" / "models" / "mappings" / "x.yaml"
    for f in (data, mapping):
        f.parent.mkdir(parents=True)
    data.write_text("text\tlabel\na\tb\n")
    mapping.write_text("labels: {}\n")
    got = {f.role: f.path for f in describe_files([(data, "data"), (mapping, "mapping")])}
    assert got["data"] == "x.tsv"
    assert got["mapping"] == location(mapping)["resolved"]
    assert not got["mapping"].startswith("main/")


def test_data_under_the_working_directory_is_recorded_from_there_not_from_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shared model's card named the trainer's folders: `annotate train --data corpus2`
    run in /tmp/audit/w was recorded as ``../../tmp/audit/w/corpus2`` relative to the
    checkout (stop 49 audit A11). Data beside the checkout (../shared/data) stays relative
    to the checkout, so the shipped models' records do not change."""
    from annotate.settings import in_checkout

    if not in_checkout() or tmp_path.resolve().is_relative_to(PROJECT_ROOT.resolve().parent):
        pytest.skip("needs a checkout and a temporary folder outside the checkout's parent")
    table = tmp_path / "w" / "corpus.csv"
    table.parent.mkdir()
    table.write_text("text,labels\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "w")
    assert location(table) == {"root": ROOT_CWD, "resolved": "corpus.csv"}
    beside = PROJECT_ROOT.resolve().parent / "data-beside" / "x.csv"  # as ../shared/data
    assert location(beside) == {"root": ROOT_CHECKOUT, "resolved": "../data-beside/x.csv"}
    inside = PROJECT_ROOT / "data" / "project" / "x.jsonl"
    assert location(inside) == {"root": ROOT_CHECKOUT, "resolved": "data/project/x.jsonl"}


def test_data_outside_the_checkout_and_the_working_directory_is_recorded_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`annotate train --data /tmp/t/nd.jsonl` run from the checkout recorded the data as
    ``../../../../tmp/t/nd.jsonl`` relative to the checkout, in ``path`` and ``resolved``
    alike (the model card, evaluate's messages); data under a home folder as
    ``../../../home/NAME/...`` (break49 B12). It is recorded absolute now, ``~/...``
    under the home folder (no user name), and found again from there."""
    from annotate.settings import display_path, in_checkout

    if not in_checkout() or tmp_path.resolve().is_relative_to(PROJECT_ROOT.resolve().parent):
        pytest.skip("needs a checkout and a temporary folder outside the checkout's parent")
    table = tmp_path / "t" / "nd.jsonl"
    table.parent.mkdir()
    table.write_text("{}\n", encoding="utf-8")
    monkeypatch.chdir(PROJECT_ROOT)
    monkeypatch.setenv("HOME", str(tmp_path / "elsewhere"))
    full = table.resolve().as_posix()
    assert location(table) == {"root": ROOT_ABSOLUTE, "resolved": full}
    assert display_path(table.resolve()) == full
    assert located(PROJECT_ROOT, location(table)["resolved"]) == table.resolve()
    monkeypatch.setenv("HOME", str(tmp_path))  # the data is under the home folder
    assert location(table) == {"root": ROOT_ABSOLUTE, "resolved": "~/t/nd.jsonl"}
    assert display_path(table.resolve()) == "~/t/nd.jsonl"
    assert located(PROJECT_ROOT, "~/t/nd.jsonl") == table.resolve()
    inside = PROJECT_ROOT / "data" / "project" / "x.jsonl"  # unchanged
    assert display_path(inside.resolve()) == "data/project/x.jsonl"


def test_data_under_a_work_folder_beside_the_checkout_is_recorded_relative_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """newuser59: `annotate train --data audit/corpus` run in /tmp/nu59/work, beside the
    checkout /tmp/nu59/main, recorded the export as ``../work/audit/corpus`` relative to
    the checkout (root "checkout"): `annotate verify MODEL` from another clone, even run in
    that work folder, found none of its 4 files (the run_folder fallback is only for data
    recorded relative to the folder training ran in). Data under the working directory is
    recorded relative to it unless it is inside the checkout; ../shared/data stays
    relative to the checkout."""
    from annotate.training import data_files

    checkout, work = tmp_path / "main", tmp_path / "work"
    (work / "audit" / "corpus").mkdir(parents=True)
    checkout.mkdir()
    monkeypatch.setattr(data_files, "PROJECT_ROOT", checkout)
    monkeypatch.setattr(data_files, "in_checkout", lambda: True)
    monkeypatch.chdir(work)
    assert location("audit/corpus") == {"root": ROOT_CWD, "resolved": "audit/corpus"}
    shared = tmp_path / "shared" / "data"
    assert location(shared) == {"root": ROOT_CHECKOUT, "resolved": "../shared/data"}
    monkeypatch.chdir(checkout)
    assert location(shared) == {"root": ROOT_CHECKOUT, "resolved": "../shared/data"}
    monkeypatch.chdir(tmp_path)  # the checkout's parent: the checkout's files stay its own
    assert location(checkout / "data" / "x.jsonl") == {
        "root": ROOT_CHECKOUT,
        "resolved": "data/x.jsonl",
    }
