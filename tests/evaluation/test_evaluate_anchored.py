"""`annotate evaluate` of a model on an export whose reviewers were shown that model's own
pre-labels says the scores are not held out (anchoring), in its output and report
(passD51 D11: the report called them held out and said nothing of it)."""

from __future__ import annotations

import json

from annotate.evaluation.evaluate import anchored_note, evaluate
from annotate.training.sources import DataSource
from tests.conftest import project_taxonomy
from tests.fakes import KeywordClassifier
from tests.test_train_loop import _corpus_row, _write_export

TEXTS = [
    ("I will kill you tonight.", ["violent_threat"]),
    ("Police said the market reopened.", ["news_reporting"]),
    ("We will kill them all.", ["violent_threat"]),
    ("The mayor said the road is closed.", ["news_reporting"]),
]


def _export(tmp_path, tax, versions, started):
    rows = []
    for i, ((text, labels), version, start) in enumerate(
        zip(TEXTS, versions, started, strict=True)
    ):
        row = _corpus_row(tax, i, text, labels, "test", labels)
        row["annotations"] = [
            {**row["annotations"][0], "model_version": version, "started_from_prediction": start}
        ]
        row["model_version"] = version
        rows.append(row)
    out = tmp_path / "corpus"
    _write_export(out, rows, tax)
    return out


def test_labels_anchored_by_the_models_own_prelabels_are_named(tmp_path):
    tax = project_taxonomy()
    clf = KeywordClassifier(tax.category_names)
    own, other = clf.version, "other@123456789abc"
    corpus = _export(tmp_path, tax, [own, own, other, other], [True, False, True, False])
    rep = evaluate(clf, tax, [DataSource(str(corpus))], tmp_path / "ev", split="test").report
    assert rep["anchored"] == {
        "model_version": own,
        "passages": 2,
        "started_from": 1,
        "scored": 4,
    }
    assert set(rep["by_anchoring"]) == {"shown_this_model", "not_shown_this_model"}
    assert rep["by_anchoring"]["shown_this_model"]["n"] == 2
    note = anchored_note(rep)
    assert note.startswith("2 of 4 scored passages were labelled by reviewers shown this model's")
    assert "not a held-out measure" in note and "blind" in note
    md = (tmp_path / "ev" / "report.md").read_text()
    assert "**Not held out (anchoring):** 2 of 4" in md
    assert "were shown this model's pre-labels (n=2)" in md
    assert json.loads((tmp_path / "ev" / "report.json").read_text())["anchored"]["passages"] == 2


def test_another_models_prelabels_give_no_warning(tmp_path):
    tax = project_taxonomy()
    clf = KeywordClassifier(tax.category_names)
    corpus = _export(tmp_path, tax, ["other@123456789abc"] * 4, [True] * 4)
    rep = evaluate(clf, tax, [DataSource(str(corpus))], tmp_path / "ev", split="test").report
    assert rep["anchored"]["passages"] == 0 and "by_anchoring" not in rep
    assert anchored_note(rep) == ""
    assert "anchoring" not in (tmp_path / "ev" / "report.md").read_text()


def _fake(tax, version):
    clf = KeywordClassifier(tax.category_names)
    clf.version = version
    return clf


def test_a_comparison_names_the_model_whose_prelabels_anchored_the_labels(tmp_path):
    """`evaluate --model A --model B` said nothing of anchoring (only one model's
    evaluation warned): each model's record, warning and report line name it."""
    from annotate.evaluation.compare import anchor_notes, compare

    tax = project_taxonomy()
    a, b = _fake(tax, "small-a@aaaaaaaaaaaa"), _fake(tax, "small-b@bbbbbbbbbbbb")
    corpus = _export(tmp_path, tax, [b.version, b.version, "x@1", "x@1"], [True, False] * 2)
    rep = compare(
        [a, b],
        tax,
        [DataSource(str(corpus))],
        tmp_path / "cmp",
        split="test",
        seed=13,
        resamples=20,
    ).report
    assert [m["anchored"]["passages"] for m in rep["models"]] == [0, 2]
    assert rep["models"][1]["anchored"]["started_from"] == 1
    notes = anchor_notes(rep)
    assert [side for side, _ in notes] == ["b"]
    text = notes[0][1]
    assert text.startswith("2 of 4 scored passages were labelled by reviewers shown this model's")
    assert b.version in text and "not a held-out measure" in text
    assert "model A was shown on none of them, so the comparison favours model B" in text
    md = (tmp_path / "cmp" / "comparison.md").read_text()
    assert "**Not held out (anchoring, B):** 2 of 4" in md
    assert "anchoring, A" not in md


def test_a_comparison_without_anchoring_says_nothing_of_it(tmp_path):
    from annotate.evaluation.compare import anchor_notes, compare

    tax = project_taxonomy()
    a, b = _fake(tax, "small-a@aaaaaaaaaaaa"), _fake(tax, "small-b@bbbbbbbbbbbb")
    corpus = _export(tmp_path, tax, ["x@1"] * 4, [True] * 4)
    rep = compare(
        [a, b],
        tax,
        [DataSource(str(corpus))],
        tmp_path / "cmp",
        split="test",
        seed=13,
        resamples=20,
    ).report
    assert [m["anchored"]["passages"] for m in rep["models"]] == [0, 0]
    assert anchor_notes(rep) == []
    assert "anchoring" not in (tmp_path / "cmp" / "comparison.md").read_text()


def test_the_compare_command_warns_per_anchored_model(tmp_path, monkeypatch):
    import annotate.classifier as classifier_pkg
    from tests.test_cli import run

    tax = project_taxonomy()
    fakes = {"A": _fake(tax, "small-a@aaaaaaaaaaaa"), "B": _fake(tax, "small-b@bbbbbbbbbbbb")}
    corpus = _export(
        tmp_path, tax, [fakes["A"].version] * 2 + [fakes["B"].version] * 2, [False] * 4
    )
    for side in fakes:  # model folders the command finds; the fakes stand in when loading
        (tmp_path / side).mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(classifier_pkg, "load_classifier", lambda ref, tax=None: fakes[str(ref)])
    ran = run(
        "evaluate",
        "--model",
        "A",
        "--model",
        "B",
        "--data",
        str(corpus),
        "--split",
        "test",
        "--out",
        str(tmp_path / "cmp"),
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out = ran.stdout + ran.stderr
    for side in "AB":
        assert (
            f"warning: model {side}: 2 of 4 scored passages were labelled by reviewers shown "
            f"this model's ({fakes[side].version}) own pre-labels"
        ) in out, out
    # both were shown on as many: the comparison leans neither way (break6 K10)
    assert "favours model" not in out
    assert "model A on 2 and model B on 2, about as many" in " ".join(out.split())


def _anchored_rep(a: int, b: int) -> dict:
    def model(name: str, n: int) -> dict:
        anchored = {"passages": n, "scored": 600, "model_version": f"{name}@1"}
        return {"name": name, "version": f"{name}@1", "anchored": anchored}

    return {"models": [model("a", a), model("b", b)]}


def test_a_comparison_says_which_model_it_favours_when_both_were_shown():
    """break6 K10: with A shown on 500 passages and B on 3, both notes gave the generic
    warning and nothing said that B - A leans towards A."""
    from annotate.evaluation.compare import anchor_notes

    notes = dict(anchor_notes(_anchored_rep(500, 3)))
    for side in ("a", "b"):
        assert (
            "reviewers were shown model A on 500 and model B on 3, so the comparison "
            "favours model A" in notes[side]
        )
    notes = dict(anchor_notes(_anchored_rep(40, 50)))
    assert "model A on 40 and model B on 50, about as many" in notes["a"]
    assert "favours neither clearly" in notes["b"]
    # the other on none: as before
    assert list(dict(anchor_notes(_anchored_rep(0, 2)))) == ["b"]
