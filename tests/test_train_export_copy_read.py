"""retrain56 finding 4: labels hand-edited in an export's jsonl/ copy were silently not
used (training reads hf/); the warning now names the copy read and says the edits are
not used, with how to correct a label."""

from __future__ import annotations

from pathlib import Path

from annotate.corpus.export import export
from annotate.taxonomy import PROJECT_ROOT, load_taxonomy
from annotate.training.sources.exports import read_export
from tests.audit.fakes import FakeStudio, reviewed_tasks


def test_edits_in_the_jsonl_copy_are_said_not_to_train(tmp_path: Path, caplog) -> None:
    taxonomy = load_taxonomy(PROJECT_ROOT / "labels.yaml")
    corpus = tmp_path / "corpus"
    export("p", corpus, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    rows = corpus / "jsonl" / "train.jsonl"
    rows.write_text(rows.read_text().replace('"labels": ["', '"labels": ["none", "', 1))
    with caplog.at_level("WARNING", logger="annotate.training.sources"):
        read_export(corpus, taxonomy)
    said = " ".join(caplog.text.split())
    assert (
        "training on it anyway, reading hf/ (which matches the manifest): the changes in "
        "jsonl/train.jsonl are NOT used (correct a label in Label Studio and export again"
    ) in said, said


def test_an_edited_hf_copy_is_said_to_be_the_one_read(tmp_path: Path, caplog) -> None:
    from annotate.training.sources.exports import copy_read_said

    corpus = tmp_path / "corpus"
    (corpus / "hf").mkdir(parents=True)
    (corpus / "hf" / "dataset_dict.json").write_text("{}")
    assert copy_read_said(corpus, ["hf/train/data-00000-of-00001.arrow"]).startswith(
        "reading hf/, which is among the changed files (hf/train/"
    )
    (corpus / "hf" / "dataset_dict.json").unlink()
    assert copy_read_said(corpus, ["jsonl/train.jsonl"]) == (
        "reading jsonl/, which is among the changed files (jsonl/train.jsonl)"
    )
