"""`annotate evaluate` on a small project-format table with the default model."""

from __future__ import annotations

import json

import pytest

from annotate.classifier import DEFAULT_MODEL_DIR
from annotate.cli import main

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(),
    reason="models/default is not built (run `make model`)",
)

ROWS = [
    (
        "n1",
        0,
        "Attack reported",
        ["news_reporting"],
        'Police said the group urged followers to "burn their cities", according to monitors.',
        [{"text": "burn their cities", "label": "quoted_propaganda"}],
    ),
    (
        "n1",
        1,
        "Attack reported",
        ["news_reporting"],
        "Officials said patrols would continue through the weekend.",
        [],
    ),
    (
        "c1",
        0,
        "",
        ["counter_speech"],
        "When they tell you violence is holy, remember who it kills. Walk away from them.",
        [],
    ),
    (
        "h1",
        0,
        "",
        ["violent_threat"],
        "We know where you live and we are coming for you and your family on Friday.",
        [],
    ),
    ("z1", 0, "", ["none"], "The museum's new wing opens with letters, maps and ration cards.", []),
    ("z2", 0, "", ["none"], "Rehearsals for the winter concert start in October.", []),
]


def _cli(args):
    try:
        main(args)
    except SystemExit as exc:
        assert exc.code in (0, None), exc.code


def test_evaluate_writes_report(tmp_path, capsys):
    data = tmp_path / "gold.jsonl"
    data.write_text(
        "\n".join(
            json.dumps(
                {"doc_id": d, "passage_index": i, "title": t, "labels": lab, "text": x, "spans": s}
            )
            for d, i, t, lab, x, s in ROWS
        )
        + "\n"
    )
    out = tmp_path / "report"
    _cli(["evaluate", "--data", str(data), "--out", str(out), "--quiet"])
    rep = json.loads((out / "report.json").read_text())
    assert rep["n"] == len(ROWS)
    # the headline said "on N passages with gold spans" of N passages holding one span
    err = capsys.readouterr().err
    assert f"on {len(ROWS)} passages reviewed for spans (1 gold span)" in err
    # the macro F1 is over the 4 labels these passages have, which the headline did not say
    assert "macro F1 " in err and " over 4 of 7 labels; evidence spans" in err
    assert (
        "warning: the scored passages (every split) have no example of incitement, "
        "graphic_violence, extremist_propaganda, so the macro F1 says nothing about them"
    ) in err
    assert set(rep["per_label"]) >= {"violent_threat", "news_reporting", "counter_speech"}
    for name, v in rep["per_label"].items():
        if v["support"]:
            assert 0.0 <= v["recall"] <= 1.0 and 0.0 <= v["f1"] <= 1.0
        else:  # undefined without a gold positive: null, not 0.0
            assert v["recall"] is None and v["f1"] is None, name
        assert (v["precision"] is None) == (v["predicted"] == 0), name
    ctx = rep["context_confusion"]
    assert ctx["news_reporting"]["n"] == 2 and ctx["counter_speech"]["n"] == 1
    assert 0.0 <= ctx["news_reporting"]["false_flag_rate"] <= 1.0
    assert rep["spans"]["overall"]["gold"] == 1 and rep["spans"]["passages"] == len(ROWS)
    assert 0.0 <= rep["spans"]["overall"]["precision"] <= 1.0
    assert rep["model_version"].startswith("default@")
    for name in ("report.md", "pr_curves.png", "reliability.png"):
        assert (out / name).stat().st_size > 0
    md = (out / "report.md").read_text()
    assert "| incitement | 0 | " in md and " | – | – | " in md.split("| incitement | 0 | ")[1]
    assert "– undefined, not 0: recall and F1 need at least one gold positive" in md
    assert "\\* fewer than 5 gold positives" in md and "| news_reporting | 2\\* |" in md
    assert f"; {len(ROWS)} passages. Thresholds" in md
    assert "false-flag rate" in md and "recall of `violent_threat`" in md
    assert "## Evidence spans" in md and "overlap >= half of the shorter span" in md
    assert "| quoted_propaganda |" in md
    # every split was scored: the report says which, and that train/validation are held out
    # as well, since the default model was not trained on this table (its training record
    # names no such file; tests/evaluation/test_compare.py scores data a model was trained on)
    counts = rep["split_counts"]
    assert sum(counts.values()) == len(ROWS) and counts.get("train", 0) > 0
    assert rep["trained_on_data"] is False
    assert "already seen them" not in md and "**Held out:** the model's training record" in md


def test_the_seen_note_names_training_rows_and_is_empty_for_held_out_ones():
    from annotate.evaluation.evaluate import seen_note

    note = seen_note({"split_counts": {"train": 11, "validation": 1, "test": 1}})
    assert "12 passages of the train and validation splits (train 11, validation 1, test 1)" in note
    assert seen_note({"split_counts": {"test": 4}}) == ""
    assert seen_note({}) == ""


def test_evaluate_unknown_split_is_an_error(tmp_path):
    from annotate.errors import InputError
    from annotate.evaluation.evaluate import evaluate
    from annotate.training.sources import DataSource
    from tests.conftest import project_taxonomy

    data = tmp_path / "gold.jsonl"
    data.write_text(json.dumps({"text": "x", "labels": ["none"]}) + "\n")
    with pytest.raises(InputError, match="unknown split"):
        evaluate(
            object(),
            project_taxonomy(),
            [DataSource(str(data))],
            tmp_path / "o",
            split="dev",
        )


def test_evaluate_splits_project_tables_with_the_models_own_seed(tmp_path, capsys):
    """A model trained with `seed: 5` was scored on the test split of seed 13 (the
    option's old default): documents it was trained on, figures overstated, no warning."""
    import shutil

    model = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, model)
    cfg = json.loads((model / "annotate_model.json").read_text())
    cfg["training"]["seed"] = 5  # `training` is not part of the model's version hash
    (model / "annotate_model.json").write_text(json.dumps(cfg))
    data = tmp_path / "gold.jsonl"
    data.write_text("".join(json.dumps({"text": r[4], "labels": r[3]}) + "\n" for r in ROWS))
    out = tmp_path / "report"
    _cli(["evaluate", "--model", str(model), "--data", str(data), "--out", str(out), "-q"])
    assert json.loads((out / "report.json").read_text())["split_seed"] == 5
    assert "seed 5" in (out / "report.md").read_text()
    assert "not the seed" not in capsys.readouterr().err
    # another seed given on purpose is used, with a warning naming the model's
    _cli(["evaluate", "--model", str(model), "--data", str(data), "--out", str(out), "-q",
          "--seed", "13"])  # fmt: skip
    assert json.loads((out / "report.json").read_text())["split_seed"] == 13
    err = capsys.readouterr().err
    assert "--seed 13 is not the seed" in err and "(5)" in err


def test_a_seed_given_for_an_export_alone_is_not_warned_about(tmp_path, capsys):
    """`evaluate --data corpus/ --seed 9` warned that the seed puts training documents
    into the test split: an export keeps its own splits, the seed splits nothing."""
    import shutil

    model = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, model)
    cfg = json.loads((model / "annotate_model.json").read_text())
    cfg["training"]["seed"] = 5
    (model / "annotate_model.json").write_text(json.dumps(cfg))
    corpus = tmp_path / "corpus"
    (corpus / "jsonl").mkdir(parents=True)
    (corpus / "manifest.json").write_text(json.dumps({"taxonomy": {"version": "1.0.0"}}))
    rows = [{"id": r[0], "text": r[4], "labels": r[3], "doc_id": r[0]} for r in ROWS]
    for split in ("train", "validation", "test"):
        (corpus / "jsonl" / f"{split}.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in rows) if split == "test" else ""
        )
    out = tmp_path / "report"
    args = ["evaluate", "--model", str(model), "--data", str(corpus), "--split", "test"]
    _cli([*args, "--out", str(out), "-q", "--seed", "9"])
    assert "not the seed" not in capsys.readouterr().err
    # the report said the export's rows were "project tables split by document with seed 9"
    first = (out / "report.md").read_text().splitlines()[2]
    assert first.startswith("Split: test (exports keep the splits they were exported with);")
    assert "seed" not in first
    table = tmp_path / "gold.jsonl"  # a project table beside it is split by the seed
    table.write_text("".join(json.dumps({"text": r[4], "labels": r[3]}) + "\n" for r in ROWS))
    _cli([*args, "--data", str(table), "--out", str(out), "-q", "--seed", "9"])
    assert "--seed 9 is not the seed" in capsys.readouterr().err
    first = (out / "report.md").read_text().splitlines()[2]
    assert first.startswith(
        "Split: test (exports keep the splits they were exported with; project tables split "
        "by document with seed 9);"
    )


def test_the_library_evaluate_splits_with_the_models_seed_too(tmp_path):
    from annotate.evaluation.evaluate import evaluate
    from annotate.training.sources import DataSource
    from tests.conftest import project_taxonomy
    from tests.fakes import KeywordClassifier

    tax = project_taxonomy()
    clf = KeywordClassifier(tax.category_names)
    clf.config = {"training": {"seed": 7}}  # as a model file records it
    data = tmp_path / "gold.jsonl"
    data.write_text("".join(json.dumps({"text": r[4], "labels": r[3]}) + "\n" for r in ROWS))
    rep = evaluate(clf, tax, [DataSource(str(data))], tmp_path / "o").report
    assert rep["split_seed"] == 7


def test_evaluate_refuses_an_out_folder_of_other_files(tmp_path):
    """`--out corpus/` wrote report.json, report.md and two PNGs into the export, which
    then failed `annotate verify` (files not in its manifest)."""
    from annotate.errors import InputError
    from annotate.evaluation.evaluate import evaluate
    from annotate.training.sources import DataSource
    from tests.conftest import project_taxonomy

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.json").write_text("{}")
    data = tmp_path / "gold.jsonl"
    data.write_text(json.dumps({"text": "x", "labels": ["none"]}) + "\n")
    tax = project_taxonomy()
    with pytest.raises(InputError, match=r"holds other files \(manifest\.json\)"):
        evaluate(object(), tax, [DataSource(str(data))], corpus)
    assert sorted(p.name for p in corpus.iterdir()) == ["manifest.json"]
    with pytest.raises(InputError, match="is a file"):
        evaluate(object(), tax, [DataSource(str(data))], data)
