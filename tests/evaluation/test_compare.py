"""`annotate evaluate --model A --model B`: two real frozen-encoder models, trained in
seconds on the project's fixtures, compared on the same labeled passages; every figure
rechecked here with sklearn/pandas."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, f1_score

from annotate.cli import main
from tests.test_cli import _error_line, run

pytestmark = pytest.mark.slow  # real (small) models are trained

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TRAIN = [FIXTURES / "regression_short.jsonl", FIXTURES / "regression_context.jsonl"]
SCORED = FIXTURES / "regression_harmful.jsonl"
CONFIGS = {  # one member each, no span model: the frozen trainer takes seconds
    "a": "name: small-a\ntrainer: frozen\nfrozen: {members: [{c: 1.0}], spans: false}\n",
    "b": "name: small-b\ntrainer: frozen\nfrozen: {members: [{c: 0.05}], spans: false}\n",
}


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANNOTATE_CACHE_DIR", str(root / "cache"))
        for side, text in CONFIGS.items():
            cfg = root / f"{side}.train.yaml"
            cfg.write_text(text, encoding="utf-8")
            args = ["train", "--config", str(cfg), "--out", str(root / side), "--quiet"]
            for p in TRAIN:
                args += ["--data", str(p)]
            _cli(args)
            out[side] = root / side
    return out


def _cli(args):
    try:
        main(args)
    except SystemExit as exc:
        assert exc.code in (0, None), exc.code


def _scores(model: Path, rows: pd.DataFrame, taxonomy):
    """(n, L) scores and (n, L) 0/1 labels of ``model`` on ``rows``, as prelabel gets them."""
    from annotate.classifier import PassageInput, load_classifier

    clf = load_classifier(model, taxonomy)
    preds = clf.predict(
        [
            PassageInput(
                id=str(i),
                text=r.text,
                doc_id=str(r.doc_id),
                title=r.title or None,
                passage_index=int(r.passage_index),
            )
            for i, r in enumerate(rows.itertuples())
        ]
    )
    names = taxonomy.category_names
    return (
        np.array([[p.scores[n] for n in names] for p in preds]),
        np.array([[n in p.labels for n in names] for p in preds], int),
    )


def test_two_models_compared_per_label_with_sklearn_figures(models, tmp_path, taxonomy, capsys):
    out = tmp_path / "cmp"
    _cli(
        [
            *("evaluate", "--model", str(models["a"]), "--model", str(models["b"])),
            *("--data", str(SCORED), "--out", str(out), "--quiet"),
        ]
    )
    rep = json.loads((out / "comparison.json").read_text())
    rows = pd.read_json(SCORED, lines=True)
    assert rep["n"] == len(rows)
    assert rep["models"][0]["version"].startswith("small-a@")
    # one passage per document: the bootstrap resamples passages, and says so
    assert rep["bootstrap"]["unit"] == "passage" and rep["bootstrap"]["units"] == len(rows)
    names = taxonomy.category_names
    gold = np.array([[n in labs for n in names] for labs in rows["labels"]], int)
    (pa, la), (pb, lb) = (_scores(models[s], rows, taxonomy) for s in "ab")
    checked = 0
    for j, name in enumerate(names):
        m = rep["per_label"][name]
        assert m["support"] == gold[:, j].sum()
        for side, lab in (("a", la), ("b", lb)):
            if not gold[:, j].any():  # undefined without a gold positive: null, not 0
                assert m[side]["f1"] is None and m[side]["recall"] is None
            else:
                assert m[side]["f1"] == pytest.approx(
                    f1_score(gold[:, j], lab[:, j], zero_division=0), abs=1e-4
                )
            assert (m[side]["precision"] is None) == (not lab[:, j].any())
        assert m["flips"] == {
            "a_only": int((la[:, j] & ~lb[:, j]).sum()),
            "b_only": int((lb[:, j] & ~la[:, j]).sum()),
        }
        if 0 < gold[:, j].sum() < len(rows):
            ap_a = average_precision_score(gold[:, j], pa[:, j])
            ap_b = average_precision_score(gold[:, j], pb[:, j])
            assert m["a"]["auprc"] == pytest.approx(ap_a, abs=1e-4)
            assert m["b"]["auprc"] == pytest.approx(ap_b, abs=1e-4)
            assert m["auprc_diff"] == pytest.approx(ap_b - ap_a, abs=2e-4)
            lo, hi = m["auprc_diff_ci"]
            assert lo <= m["auprc_diff"] + 1e-4 and m["auprc_diff"] - 1e-4 <= hi
            checked += 1
        else:  # no positive: no AUPRC, no interval
            assert m["a"]["auprc"] is None and m["auprc_diff_ci"] is None
    assert checked >= 3
    flipped = (la != lb).any(axis=1)
    assert rep["flips"]["passages"] == int(flipped.sum()) > 0
    sample = pd.read_json(out / "flips.jsonl", lines=True)
    assert len(sample) == rep["flips"]["sample_size"] == min(200, int(flipped.sum()))
    assert set(sample["text"]) <= set(rows.loc[flipped, "text"])
    assert all(
        sorted(a) != sorted(b) for a, b in zip(sample["labels_a"], sample["labels_b"], strict=True)
    )
    md = (out / "comparison.md").read_text()
    assert "| violent_threat | 6 |" in md and "paired bootstrap 95 % interval" in md
    assert f"{int(flipped.sum())} of {len(rows)} passages get different labels" in md
    err = capsys.readouterr().err
    assert "compared small-a@" in err and "(B) on 24 passages" in err and "comparison.md" in err


def test_the_interval_is_a_paired_bootstrap_over_documents(models, tmp_path, taxonomy):
    """Documents of two passages: whole documents are resampled (the same draws for both
    models); the interval equals a naive bootstrap of sklearn's figures on those draws."""
    from annotate.classifier import load_classifier
    from annotate.evaluation.compare import compare
    from annotate.training.sources import DataSource

    rows = pd.read_json(SCORED, lines=True)
    rows["doc_id"] = [f"d{i // 2}" for i in range(len(rows))]
    rows["passage_index"] = [i % 2 for i in range(len(rows))]
    data = tmp_path / "paired.jsonl"
    rows.to_json(data, orient="records", lines=True)
    clfs = [load_classifier(models[s], taxonomy) for s in "ab"]
    n = 300
    rep = compare(
        clfs, taxonomy, [DataSource(str(data))], tmp_path / "o", seed=13, resamples=n
    ).report
    assert rep["bootstrap"]["unit"] == "document" and rep["bootstrap"]["units"] == 12
    (pa, la), (pb, lb) = (_scores(models[s], rows, taxonomy) for s in "ab")
    names = taxonomy.category_names
    j = names.index("violent_threat")
    y = np.array(["violent_threat" in labs for labs in rows["labels"]], int)
    docs = sorted(set(rows["doc_id"]))  # the clusters in the order compare draws them
    rng = np.random.default_rng(0)
    d_ap, d_f1 = [], []
    for _ in range(n):
        idx = [
            i
            for d in rng.integers(0, len(docs), len(docs))
            for i in np.nonzero(rows["doc_id"] == docs[d])[0]
        ]
        if y[idx].sum() in (0, len(idx)):  # undefined without a positive or a negative
            d_ap.append(np.nan)
        else:
            d_ap.append(
                average_precision_score(y[idx], pb[idx, j])
                - average_precision_score(y[idx], pa[idx, j])
            )
        d_f1.append(
            f1_score(y[idx], lb[idx, j], zero_division=0)
            - f1_score(y[idx], la[idx, j], zero_division=0)
        )
    d_ap = np.array(d_ap)
    want = np.round(np.percentile(d_ap[np.isfinite(d_ap)], [2.5, 97.5]), 4)
    got = rep["per_label"]["violent_threat"]
    assert got["auprc_diff_ci"] == pytest.approx(list(want), abs=1e-4)
    assert got["f1_diff_ci"] == pytest.approx(
        list(np.round(np.percentile(d_f1, [2.5, 97.5]), 4)), abs=1e-4
    )


def test_models_of_different_categories_are_refused(models, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(models["b"], other)
    cfg = json.loads((other / "annotate_model.json").read_text())
    cfg["labels"] = [x for x in cfg["labels"] if x != "graphic_violence"] + ["gore"]
    (other / "annotate_model.json").write_text(json.dumps(cfg))
    ran = run(
        "evaluate",
        "--model",
        str(models["a"]),
        "--model",
        str(other),
        "--data",
        str(SCORED),
        "--out",
        str(tmp_path / "r"),
    )
    line = _error_line(ran)
    assert "the two models were trained for different categories" in line
    assert "only" in line and "has graphic_violence" in line and "has gore" in line
    assert "same labels.yaml" in line
    assert not (tmp_path / "r").exists()


def test_data_without_labels_and_a_third_model_are_refused(models, tmp_path):
    a, b = str(models["a"]), str(models["b"])
    unlabeled = FIXTURES / "regression_colon_quote.jsonl"  # text, no labels column
    ran = run(
        "evaluate",
        "--model",
        a,
        "--model",
        b,
        "--data",
        str(unlabeled),
        "--out",
        str(tmp_path / "r"),
    )
    line = _error_line(ran)
    assert "has no 'labels' column" in line and "Fix:" in line
    ran = run(
        "evaluate",
        "--model",
        a,
        "--model",
        b,
        "--model",
        a,
        "--data",
        str(SCORED),
        "--out",
        str(tmp_path / "r"),
    )
    assert "--model was given 3 times; a comparison takes two models" in _error_line(ran)
    assert not (tmp_path / "r").exists()


def test_flipped_passages_of_a_dataset_without_ids_are_named(models, tmp_path):
    """A saved DatasetDict without an 'id' column (the retrain notebook's stand-in export)
    left every flipped passage's id empty: `comparison.md`'s passage column was blank."""
    import datasets

    rows = pd.read_json(SCORED, lines=True)[["doc_id", "passage_index", "text", "labels"]]
    test = datasets.Dataset.from_pandas(rows, preserve_index=False)
    datasets.DatasetDict({"test": test}).save_to_disk(str(tmp_path / "hf"))
    out = tmp_path / "cmp"
    _cli(
        [
            *("evaluate", "--model", str(models["a"]), "--model", str(models["b"])),
            *("--data", str(tmp_path / "hf"), "--out", str(out), "--quiet"),
        ]
    )
    flips = pd.read_json(out / "flips.jsonl", lines=True)
    assert len(flips) > 0
    assert flips["id"].str.len().min() > 0 and flips["id"].is_unique, flips["id"]
    first = flips.iloc[0]
    assert first["id"] == f"{first['doc_id']}:{first['passage_index']}"
    table = (out / "comparison.md").read_text(encoding="utf-8")
    assert f"| {first['id']} |" in table


def test_data_the_model_was_not_trained_on_is_held_out_in_every_split(models, tmp_path, capsys):
    """Scoring a model on data its training record does not name warned that the train
    and validation rows 'overstate it' (the model never saw them) and sent the user to
    --split test, which drops most of the held-out data; data it was trained on still
    gets that warning."""
    out = tmp_path / "other"
    _cli(["evaluate", "--model", str(models["a"]), "--data", str(SCORED), "--out", str(out)])
    err = capsys.readouterr().err
    rep = json.loads((out / "report.json").read_text())
    assert rep["trained_on_data"] is False
    assert set(rep["split_counts"]) > {"test"}  # train/validation rows are scored too
    assert "overstate" not in err and "note: the model's training record" in err, err
    assert "**Held out:**" in (out / "report.md").read_text(encoding="utf-8")

    out = tmp_path / "same"
    _cli(["evaluate", "--model", str(models["a"]), "--data", str(TRAIN[0]), "--out", str(out)])
    err = capsys.readouterr().err
    assert json.loads((out / "report.json").read_text())["trained_on_data"] is True
    assert "so they overstate it" in err and "note: the model's training record" not in err
    assert "**Not held out:**" in (out / "report.md").read_text(encoding="utf-8")


def test_compare_warns_only_for_a_model_trained_on_the_data(models, tmp_path, capsys, monkeypatch):
    """`evaluate` with two --model always warned that the train/validation rows overstate
    the models, also on data neither was trained on (single-model evaluate checks the
    training record since 9bb46d6); now each model's record is checked, and the warning
    names the one model trained on the data when the other was not."""
    out = tmp_path / "neither"
    _cli(
        [
            "evaluate",
            "--model",
            str(models["a"]),
            "--model",
            str(models["b"]),
            "--data",
            str(SCORED),
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    rep = json.loads((out / "comparison.json").read_text())
    assert [m["trained_on_data"] for m in rep["models"]] == [False, False]
    assert set(rep["split_counts"]) > {"test"}  # train/validation rows are scored too
    assert "overstate" not in err and "note: neither model's training record" in err, err
    assert "**Held out:**" in (out / "comparison.md").read_text(encoding="utf-8")

    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    cfg = tmp_path / "c.train.yaml"
    cfg.write_text(CONFIGS["b"].replace("small-b", "small-c"), encoding="utf-8")
    _cli(
        [
            "train",
            "--config",
            str(cfg),
            "--out",
            str(tmp_path / "c"),
            "--quiet",
            "--data",
            str(TRAIN[0]),
        ]
    )
    capsys.readouterr()
    out = tmp_path / "one"
    _cli(
        [
            "evaluate",
            "--model",
            str(models["a"]),
            "--model",
            str(tmp_path / "c"),
            "--data",
            str(TRAIN[1]),
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    rep = json.loads((out / "comparison.json").read_text())
    assert [m["trained_on_data"] for m in rep["models"]] == [True, False]
    assert "so they overstate it" in err and "concerns model A only" in err, err
    assert "note: neither" not in err
    assert "**Not held out:**" in (out / "comparison.md").read_text(encoding="utf-8")


def test_held_out_near_copies_of_training_rows_are_counted_per_model(models, tmp_path, capsys):
    """A test passage that near-copies a training row of the model (another document,
    another file) is counted in report.json and comparison.json, with a warning; a
    passage seen by neither model is not (tests/evaluation/test_near_copies.py has the
    rules)."""
    from annotate.training.sources import DataSource, load_examples
    from tests.conftest import project_taxonomy

    trained, _ = load_examples([DataSource(str(TRAIN[1]))], project_taxonomy(), 13)
    seen = next(e for e in trained if e.split == "train" and len(e.text.split()) > 30)
    rows = [
        {"doc_id": "copy", "text": seen.text + " Updated.", "labels": sorted(seen.labels)},
        {"doc_id": "new", "text": "The library opens late on Thursdays.", "labels": ["none"]},
    ]
    scored = tmp_path / "scored.jsonl"
    scored.write_text("".join(json.dumps({**r, "split": "test"}) + "\n" for r in rows))

    out = tmp_path / "one"
    _cli(["evaluate", "--model", str(models["a"]), "--data", str(scored), "--out", str(out)])
    err = capsys.readouterr().err
    rep = json.loads((out / "report.json").read_text())
    assert rep["training_near_copies"] == 1
    search = rep["training_near_copy_search"]
    assert search["examples"][0]["id"] == "scored:1" and search["threshold"] == 0.8
    assert "warning: 1 scored passage is a near-copy (Jaccard >= 0.8 of word 3-grams" in err, err
    assert "**Near-copies:** 1 scored passage" in (out / "report.md").read_text()

    out = tmp_path / "two"
    args = ["evaluate", "--model", str(models["a"]), "--model", str(models["b"])]
    _cli([*args, "--data", str(scored), "--out", str(out)])
    err = capsys.readouterr().err
    rep = json.loads((out / "comparison.json").read_text())
    assert rep["training_near_copies"] == {"a": 1, "b": 1}
    assert "warning: model A: 1 scored passage is a near-copy" in err, err
    assert "**Near-copies (B):** 1 scored passage" in (out / "comparison.md").read_text()


def test_progress_counts_passages_per_model_not_model_passes(models, tmp_path, monkeypatch):
    """passJ L3: "evaluate: 12 passages done" for 6 passages scored by two models (each
    model's pass counted as passages). A line per model now, each of the passages."""
    monkeypatch.setenv("ANNOTATE_PROGRESS_INTERVAL", "1e-9")  # a line however quick
    rows = pd.read_json(SCORED, lines=True)
    ran = run(
        *("evaluate", "--model", str(models["a"]), "--model", str(models["b"])),
        *("--data", str(SCORED), "--out", str(tmp_path / "cmp")),
    )
    assert ran.returncode == 0, ran.stderr
    done = [ln for ln in ran.stderr.splitlines() if " done in " in ln and "evaluate" in ln]
    assert len(done) == 2, ran.stderr
    for side, line in zip("AB", done, strict=True):
        assert line.startswith(f"evaluate (model {side}): {len(rows):,} passages done in"), line


def test_the_summary_line_says_how_many_passages_are_not_held_out(models, tmp_path, capsys):
    """New-user pass 62: `evaluate --model default --model models/new --data corpus/` (the
    default split, all) led with "macro F1 0.75 -> 0.9283; AUPRC B - A ... clear of 0" and
    only the next line said that 50 of the 60 passages were B's training rows: read alone,
    the summary took a fit to its own training data for a win. It now says so itself."""
    out = tmp_path / "both"
    _cli(
        [
            "evaluate",
            "--model",
            str(models["a"]),
            "--model",
            str(models["b"]),
            "--data",
            str(TRAIN[1]),
            "--out",
            str(out),
        ]
    )
    said = capsys.readouterr()
    rep = json.loads((out / "comparison.json").read_text())
    seen = rep["split_counts"].get("train", 0) + rep["split_counts"].get("validation", 0)
    assert seen > 0
    summary = next(
        line for line in (said.out + said.err).splitlines() if line.startswith("compared ")
    )
    assert (
        f"passages ({seen} of them in the train and validation splits both models were "
        "trained on: not held out)" in summary
    ), summary
