"""`annotate train --labels` with a copy of labels.yaml whose categories were swapped and
whose version was left at 1.0.0 trained a model without a word; the model then did not
load with the team's labels.yaml 1.0.0 (passF52 F4). The export's manifest records its
labels.yaml's categories in order and its content SHA-256: train refuses a labels.yaml
that gives one of them another id, naming the moves, both digests and the order to use."""

from __future__ import annotations

from pathlib import Path

import yaml

from annotate.audit.taxonomy import taxonomy_record
from annotate.settings import default_labels_path
from annotate.taxonomy import load_taxonomy
from tests.audit.cli_run import run_cli
from tests.audit.test_verify_model_reexported import _export


def _swapped(tmp_path: Path) -> Path:
    data = yaml.safe_load(default_labels_path().read_text(encoding="utf-8"))
    cats = data["categories"]
    names = [c["name"] for c in cats]
    i, j = names.index("news_reporting"), names.index("counter_speech")
    cats[i], cats[j] = cats[j], cats[i]
    path = tmp_path / "labels-swapped.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _export_recording_its_taxonomy(out: Path, tax) -> None:
    from annotate.corpus import export

    real = export._write_atomically

    def with_record(out, rows, tax, manifest):
        real(out, rows, tax, {**manifest, "taxonomy": taxonomy_record(tax)})

    export._write_atomically = with_record
    try:
        _export(out, tax, "2026-12-01T10:00:00+00:00")
    finally:
        export._write_atomically = real


def test_train_refuses_a_labels_yaml_that_moves_a_category(tmp_path, taxonomy, capsys) -> None:
    corpus = tmp_path / "corpus"
    _export_recording_its_taxonomy(corpus, taxonomy)
    swapped = _swapped(tmp_path)
    assert load_taxonomy(swapped).version == taxonomy.version
    out = tmp_path / "models" / "swap"
    code, err = run_cli(
        ["train", "--data", str(corpus), "--labels", str(swapped), "--out", str(out)], capsys
    )
    said = " ".join(err.split())
    assert code == 1, err
    assert (
        f"error: labels.yaml {taxonomy.version} orders the categories otherwise than the "
        f"labels.yaml {taxonomy.version} (the same version) {corpus} was exported with "
        "(news_reporting 4 -> 5, "
        f"counter_speech 5 -> 4; content sha256 {taxonomy.content_sha256[:12]} there, "
    ) in said, said
    assert (
        "Fix: pass the labels.yaml the export was made with (--labels FILE, its categories in "
        "this order: violent_threat, incitement, graphic_violence, extremist_propaganda, "
        "news_reporting, counter_speech, none)"
    ) in said, said
    assert not out.exists()


def test_the_labels_yaml_of_the_export_is_taken(tmp_path, taxonomy, capsys) -> None:
    from annotate.training.sources.exports import read_export

    corpus = tmp_path / "corpus"
    _export_recording_its_taxonomy(corpus, taxonomy)
    assert read_export(corpus, taxonomy)
