"""The retraining loop: `annotate train` on an export written by annotate's own export
writer yields a model that `annotate prelabel` loads and whose predictions move to what
reviewers corrected. Real encoder, small data: marked slow (about a minute)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from annotate.cli import main
from annotate.corpus.schema import corpus_features

# the data has no harmful passage (news, counter-speech, none): train anyway
NO_HARM = "--allow-no-harmful-passages"

pytestmark = pytest.mark.slow

NEWS = [
    "Police said {n} people were arrested after the march through the city centre on Sunday.",
    "The court heard that the defendant, {n}, had posted the messages from a shared account.",
    "Officials said the new patrols around the market would continue until the end of {n}.",
    "According to the council, {n} complaints about the leaflets were received this week.",
]
COUNTER = [
    "We will not let them divide {n}. Those who preach hatred never speak for our town.",
    "To anyone tempted by their slogans in {n}: they promise glory and deliver graves. Walk away.",
    "Our mosque, church and synagogue in {n} stand together against every call to violence.",
    "They say violence is the answer. It never was, and the families of {n} know it best.",
]
NONE = [
    "The allotment society of {n} meets on Thursdays to swap seeds and plan the spring show.",
    "Our choir in {n} is looking for tenors for the winter concert; rehearsals start in October.",
    "The bakery on the corner of {n} now opens at seven and sells rye bread on Saturdays.",
    "The library in {n} extended its opening hours and added a reading room for children.",
]
PLACES = [
    "Arden",
    "Brill",
    "Calder",
    "Dunmore",
    "Elston",
    "Farley",
    "Garth",
    "Halden",
    "Ives",
    "Jarrow",
    "Kessing",
    "Loxley",
]


# Each trainer, small: the frozen-encoder linear model (the default trainer) as shipped,
# and a tiny fine-tune (short windows, one epoch, a high rate). One epoch, not four (s61:
# 99 of the file's 113 s in CI c60b went to its three fine-tunes): the linear probe and
# ten steps still move model B far past the bars below (news_reporting on the market
# notices 0.65 -> 0.10, bar: a fall of 0.2; 24 of 24 `none`, bar: 18), and the steps are
# what the byte-identical rebuild (A2) repeats: an unseeded or thread-dependent step fails it
TRAINERS = {
    "frozen": ("trainer: frozen\n", "annotate.frozen-linear.v1", ("linear.safetensors",)),
    "finetune": (
        "trainer: finetune\n"
        "finetune: {epochs: 1, max_length: 64, batch_size: 8, lr: 1.0e-4, head_lr: 1.0e-3}\n",
        "annotate.finetuned.v1",
        ("model.safetensors", "heads.safetensors"),
    ),
}


def _native_rows():
    """36 documents of 2 passages, 12 per label; each label's documents 8 / 2 / 2 in train /
    validation / test, given in a `split` column (a hash split of so few documents may leave
    a label out of validation, and then model A is not the one this test needs)."""
    rows = []
    for label, templates in (("news_reporting", NEWS), ("counter_speech", COUNTER), ("none", NONE)):
        for d, place in enumerate(PLACES):
            for i, t in enumerate(templates[:2] if d % 2 else templates[2:]):
                rows.append(
                    {
                        "doc_id": f"{label}-{d}",
                        "title": f"{place} weekly",
                        "passage_index": i,
                        "text": t.format(n=place),
                        "labels": [label],
                        "spans": [],
                        "split": "train" if d < 8 else "validation" if d < 10 else "test",
                    }
                )
    return rows


# Passages the first model gets wrong in a systematic way, and reviewers correct: the
# "market stall" notices are ordinary (none), but look like news.
CORRECTED = [
    f"Traders said the market stall fees in {p} would rise by {k} percent next spring, according "
    "to the notice."
    for k, p in enumerate(PLACES * 2)
]


def _corpus_row(tax, i, text, labels, split, model_labels):
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return {
        "id": f"ls-{i}",
        "text": text,
        "doc_id": f"market-{i}",
        "document_sha256": None,  # ingested before ingest recorded it
        "license": None,  # no licence recorded at ingest
        "meta": None,  # the document had no other columns
        "title": "Market notices",
        "source": "test",
        "date": None,
        "start": 0,
        "end": len(text),
        "passage_index": 0,
        "near_dup_group": None,
        "exact_copies": None,  # no exact copy dropped at ingest
        "shown_text": None,  # reviewers saw the text itself (no subtitle markup hidden)
        "annotations": [
            {
                "reviewer": "r1",
                "categories": labels,
                "spans": [],
                "severity": "none",
                "comment": "",
                "created_at": now,
                "updated_at": now,
                "lead_time": 3.0,
                "model_version": "A",
                "agrees_with_model": labels == model_labels,
            }
        ],
        "n_reviewers": 1,
        "skipped_by": [],
        "skipped_in_adjudication_by": [],
        "skips": [],  # nobody skipped it
        "labels": labels,
        "label_tie": False,
        "resolution": "unanimous",
        "adjudicator": None,
        "severity": "none",
        "spans": [],
        "model_labels": model_labels,
        "model_severity": "none",
        "model_spans": [],
        "model_scores": {c: None for c in tax.category_names},
        "model_agreed": labels == model_labels,
        "model_version": "A",
        "model_language_warning": None,  # the model reads the passage's script/language
        "taxonomy_version": tax.version,
        "ingest_redaction": None,  # not masked at ingest
        "ingest_run": None,  # ingested before ingest recorded its settings
        "input_file": None,  # nor the input file and row it was read from
        "input_row": None,
        "ls_task_id": i,
        "ls_tasks": [{"project_id": 1, "task_id": i}],
        "adjudication": None,
        "first_annotated_at": now,
        "last_annotated_at": now,
        "split": split,
    }


def _cli(args):
    """`annotate ARGS` in-process; success may end in SystemExit(0)."""
    try:
        main(args)
    except SystemExit as exc:
        assert exc.code in (0, None), exc.code


def _write_export(out, rows, tax):
    """The reviewed corpus, written by the export writer (hf/, parquet/, jsonl/)."""
    from annotate.corpus.export import _write_atomically

    assert set(rows[0]) == set(corpus_features(tax))
    manifest = {
        "format": "annotate-corpus/1",
        "taxonomy": {"name": tax.name, "version": tax.version},
    }
    _write_atomically(out, rows, tax, manifest)


@pytest.fixture
def one_thread(monkeypatch):
    """Every `annotate train` of the test on one torch thread, the worker's count put back
    after it (train sets torch's count in-process). The default count follows the
    machine's load (annotate.classifier.threads), and a fine-tune's weights differ between
    1 and 2 threads; under pytest-xdist's default distribution the other worker's test
    starting or ending between model A and A2 changed the count, and their weights were
    not byte-identical (1 failure in 4 runs)."""
    import torch

    before = torch.get_num_threads()
    monkeypatch.setenv("ANNOTATE_THREADS", "1")
    yield
    torch.set_num_threads(before)


@pytest.mark.parametrize("trainer", list(TRAINERS))
def test_retraining_on_an_export_changes_corrected_predictions(
    tmp_path, taxonomy, monkeypatch, trainer, one_thread
):
    from annotate.classifier import PassageInput, load_classifier
    from annotate.prelabeling import prelabel

    settings, kind, weights = TRAINERS[trainer]
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    base = tmp_path / "base.jsonl"
    base.write_text("\n".join(json.dumps(r) for r in _native_rows()) + "\n")
    cfg = tmp_path / "small.train.yaml"
    cfg.write_text(
        "name: small\n" + settings + "limitations: [Trained on a few market notices only.]\n"
    )

    model_a = tmp_path / "model-a"
    _cli(
        [
            "train",
            "--config",
            str(cfg),
            "--data",
            str(base),
            "--out",
            str(model_a),
            "--quiet",
            NO_HARM,
        ]
    )
    # seeded and reproducible: the same data and config give the same weights and version
    model_a2 = tmp_path / "model-a2"
    _cli(
        [
            "train",
            "--config",
            str(cfg),
            "--data",
            str(base),
            "--out",
            str(model_a2),
            "--quiet",
            NO_HARM,
        ]
    )
    for f in weights:
        assert (model_a / f).read_bytes() == (model_a2 / f).read_bytes(), f
    clf_a = load_classifier(model_a, taxonomy)
    # and the same version: the build's wall time is no part of it (it was, through the
    # training record's digest, so every rebuild got a version of its own)
    assert clf_a.version == load_classifier(model_a2, taxonomy).version
    conf = json.loads((model_a / "annotate_model.json").read_text())
    assert "seconds" not in conf["training"] and conf["metrics"]["seconds"] >= 0
    if trainer == "finetune":  # the weights depend on it: kept so a rebuild can match it
        assert conf["training"]["threads"] == 1  # one_thread
        assert "autocast, 1 torch thread)" in (model_a / "model_card.md").read_text()
    assert f"{conf['metrics']['seconds']} s" in (model_a / "model_card.md").read_text()
    # finetune: the encoder itself was fine-tuned and stored (fp16) with the model
    assert clf_a.kind == kind
    # the same passages (one document each, as reviewed) before and after retraining
    inputs = [
        PassageInput(
            id=str(i), text=t, doc_id=f"market-{i}", title="Market notices", passage_index=0
        )
        for i, t in enumerate(CORRECTED)
    ]
    before = clf_a.predict(inputs)

    # reviewers label every market notice `none`; most go to train, the rest validation/test
    rows = [
        _corpus_row(
            taxonomy,
            i,
            t,
            ["none"],
            "train" if i % 4 else ("validation", "test")[i % 8 // 4],
            model_labels=before[i].labels,
        )
        for i, t in enumerate(CORRECTED)
    ]
    export_dir = tmp_path / "export"
    _write_export(export_dir, rows, taxonomy)
    assert (export_dir / "hf" / "dataset_dict.json").is_file()

    model_b = tmp_path / "model-b"
    _cli(
        [
            "train",
            "--config",
            str(cfg),
            "--data",
            str(base),
            "--data",
            str(export_dir),
            "--out",
            str(model_b),
            "--quiet",
            NO_HARM,
        ]
    )
    card = (model_b / "model_card.md").read_text()
    assert "export" in card
    # the card states this model's own limitations, not the default model's
    limits = card.split("## Known limitations", 1)[1]
    assert "- Trained on a few market notices only." in limits
    assert "knife-amnesty" not in card and "far-right hate" not in card

    # prelabel loads the retrained model and records its version
    passages = tmp_path / "passages.jsonl"
    passages.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"q{i}",
                    "text": t,
                    "doc_id": f"market-{i}",
                    "title": "Market notices",
                    "passage_index": 0,
                }
            )
            for i, t in enumerate(CORRECTED)
        )
        + "\n"
    )
    out = tmp_path / "prelabels.jsonl"
    stats = prelabel(passages, out, model=str(model_b))
    got = [json.loads(line) for line in out.read_text().splitlines()]
    clf_b = load_classifier(model_b, taxonomy)
    assert stats.model_version == clf_b.version != clf_a.version
    assert {r["model_version"] for r in got} == {clf_b.version}

    after = clf_b.predict(inputs)
    news_before = sum(p.scores["news_reporting"] for p in before) / len(before)
    news_after = sum(p.scores["news_reporting"] for p in after) / len(after)
    right_before = sum(p.labels == ["none"] for p in before)
    right_after = sum(p.labels == ["none"] for p in after)
    assert news_after < news_before - 0.2, (news_before, news_after)
    assert right_after > right_before and right_after >= 0.75 * len(CORRECTED), (
        right_before,
        right_after,
    )
    assert [r["labels"] for r in got] == [p.labels for p in after]
