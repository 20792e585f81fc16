"""`annotate train --labels other.yaml` on an export with a label that labels.yaml lacks.

A renamed label (or another taxonomy) is refused, as export and evaluate refuse it: train
used to warn and drop those passages. Only an older labels.yaml of the export's major
version, which lacks the labels added since, still trains (deliberately: a minor version
adds labels, renaming one takes a major version), with a warning that counts the passages
and says how to refuse; ``--strict-labels`` refuses that too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.cli import main
from annotate.errors import TrainingError
from annotate.taxonomy import Taxonomy, load_taxonomy
from annotate.training.sources import older_minor, read_export
from tests.conftest import ROOT

ROWS = [
    {
        "id": "a",
        "text": "They answered the call to burn it with facts.",
        "labels": ["counter_speech"],
    },
    {
        "id": "b",
        "text": "We will burn it down tonight.",
        "labels": ["incitement", "counter_speech"],
    },
    {"id": "c", "text": "The weather is mild.", "labels": ["none"]},
]


def corpus(tmp_path: Path, version: str, rows: list[dict[str, Any]] = ROWS) -> Path:
    out = tmp_path / "corpus"
    (out / "jsonl").mkdir(parents=True)
    (out / "manifest.json").write_text(json.dumps({"taxonomy": {"version": version}}))
    (out / "jsonl" / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return out


def renamed(tmp_path: Path, version: str = "1.0.0") -> Path:
    """The project's labels.yaml with counter_speech renamed to rebuttal (no major bump)."""
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    assert "\nversion: 1.0.0\n" in text
    text = text.replace("counter_speech", "rebuttal").replace(
        "\nversion: 1.0.0\n", f"\nversion: {version}\n"
    )
    path = tmp_path / "other.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_renamed_label_is_refused_naming_what_was_expected_and_found(tmp_path: Path) -> None:
    tax = load_taxonomy(renamed(tmp_path))
    with pytest.raises(TrainingError) as err:
        read_export(corpus(tmp_path, "1.0.0"), tax)
    said = str(err.value)
    assert "1 label(s) of the export are not in labels.yaml 1.0.0" in said
    assert "the export was made with labels.yaml 1.0.0" in said
    assert "counter_speech (2 passages)" in said
    assert "2 passage(s) would lose them, 1 of which have no other label" in said
    assert "--labels FILE" in err.value.fix and "migrations:" in err.value.fix


def test_an_export_without_a_recorded_version_is_refused_too(tmp_path: Path) -> None:
    with pytest.raises(TrainingError, match=r"a labels\.yaml it does not record"):
        read_export(corpus(tmp_path, ""), load_taxonomy(renamed(tmp_path)))


def test_a_newer_labels_yaml_of_the_same_major_lacking_a_label_is_refused(tmp_path: Path) -> None:
    """A minor version only adds labels: the export's label is a rename without a bump."""
    with pytest.raises(TrainingError, match="renamed or removed"):
        read_export(corpus(tmp_path, "1.0.0"), load_taxonomy(renamed(tmp_path, "1.3.0")))


def test_an_older_labels_yaml_of_the_same_major_warns_with_counts(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tax: Taxonomy = load_taxonomy(renamed(tmp_path))  # 1.0.0; the export's labels.yaml 1.2.0
    data = corpus(tmp_path, "1.2.0")
    with caplog.at_level("WARNING", logger="annotate.training.sources"):
        examples = read_export(data, tax)
    assert [(e.id, e.labels) for e in examples] == [("b", {"incitement"}), ("c", {"none"})]
    assert "counter_speech (2 passages)" in caplog.text
    assert "2 passage(s) lose them and 1 passage(s) had no other label" in caplog.text
    assert "--strict-labels" in caplog.text
    with pytest.raises(TrainingError, match="--strict-labels refuses them"):
        read_export(data, tax, strict_labels=True)


def test_version_order() -> None:
    assert older_minor("1.0.0", "1.2.0") and older_minor("1.2.0", "1.10.0")
    assert not older_minor("1.2.0", "1.2.0") and not older_minor("1.3.0", "1.2.0")
    assert not older_minor("1.0.0", "2.0.0") and not older_minor("1.0.0", "x")


def test_cli_train_refuses_in_one_line_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = renamed(tmp_path)
    data = corpus(tmp_path, "1.0.0")
    with pytest.raises(SystemExit) as exit_:
        main(["train", "--out", str(tmp_path / "m"), "--data", str(data), "--labels", str(other)])
    err = capsys.readouterr().err
    assert exit_.value.code == 1 and "Traceback" not in err
    assert "error: " in err and "counter_speech (2 passages)" in err
    assert not (tmp_path / "m").exists()


def test_cli_strict_labels_refuses_an_older_labels_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = renamed(tmp_path)
    data = corpus(tmp_path, "1.2.0")
    argv = ["train", "--out", str(tmp_path / "m"), "--data", str(data), "--labels", str(other)]
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--strict-labels"])
    err = capsys.readouterr().err
    assert exit_.value.code == 1 and "--strict-labels refuses them" in err


def added_label(tmp_path: Path) -> Path:
    """The project's labels.yaml a minor version up (1.1.0) with a category added."""
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    anchor = "\n  - name: none\n    group: none\n"
    assert anchor in text and "\nversion: 1.0.0\n" in text
    added = (
        "\n  - name: self_harm\n    group: harmful\n    title: Self-harm\n"
        "    definition: >-\n      The author encourages self-harm.\n"
        "    examples:\n"
        '      - text: "You should just hurt yourself again, nobody would notice."\n'
        "        labels: [self_harm]\n"
    )
    text = text.replace(anchor, added + anchor, 1).replace(
        "\nversion: 1.0.0\n", "\nversion: 1.1.0\n"
    )
    path = tmp_path / "newer.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_category_added_after_the_export_is_masked_not_a_negative(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An export made with labels.yaml 1.0.0, trained with 1.1.0 that adds self_harm: its
    reviewers could not choose self_harm, so no passage of it is a self_harm negative (it
    was one on every row, `none` passages that may well be self-harm included)."""
    old = load_taxonomy(ROOT / "labels.yaml")
    newer = load_taxonomy(added_label(tmp_path))
    assert "self_harm" in newer.category_names and "self_harm" not in old.category_names
    data = corpus(tmp_path, "1.0.0")
    manifest = json.loads((data / "manifest.json").read_text())
    manifest["taxonomy"]["categories"] = [{"name": n} for n in old.category_names]
    (data / "manifest.json").write_text(json.dumps(manifest))
    with caplog.at_level("WARNING", logger="annotate.training.sources"):
        examples = read_export(data, newer)
    assert len(examples) == 3
    for e in examples:
        assert "self_harm" not in e.known
        assert e.known == set(old.category_names)
    assert "did not offer its reviewers: self_harm" in caplog.text
    assert "masked on its 3 passage(s)" in caplog.text
    # the export's own labels.yaml: every category supervised, no warning
    caplog.clear()
    with caplog.at_level("WARNING", logger="annotate.training.sources"):
        same = read_export(data, old)
    assert all(e.known == set(old.category_names) for e in same)
    assert "did not offer" not in caplog.text
