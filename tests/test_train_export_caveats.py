"""A model trained on an export carries the export's review caveats (passD51 D12):
flagged reviewers and their answers, personal data left unredacted, ties; train warned of
none of them and the card's data entry held only the manifest's SHA-256 and licences."""

from __future__ import annotations

import logging

from annotate.corpus.export import _write_atomically
from annotate.evaluation.model_card import training_data_lines
from annotate.training.sources import DataSource, load_examples
from tests.conftest import project_taxonomy
from tests.test_train_loop import _corpus_row


def _export(tmp_path, manifest_extra):
    tax = project_taxonomy()
    rows = [
        _corpus_row(tax, 1, "I will kill you tonight.", ["violent_threat"], "train", ["none"]),
        _corpus_row(tax, 2, "The market opens at nine.", ["none"], "train", ["none"]),
    ]
    rows[0]["annotations"][0]["reviewer"] = "r-ben"
    out = tmp_path / "corpus"
    manifest = {
        "format": "annotate-corpus/1",
        "taxonomy": {"name": tax.name, "version": tax.version},
        **manifest_extra,
    }
    _write_atomically(out, rows, tax, manifest)
    return tax, out


def test_the_exports_caveats_reach_the_card_and_a_warning(tmp_path, caplog):
    tax, out = _export(
        tmp_path,
        {
            "label_ties": 1,
            "review": {
                "flagged_reviewers": ["r-ben"],
                "gold_min_accuracy": 0.8,
                "ties_not_sent_to_adjudication": 1,
            },
            "redaction": {"ran": False, "rows_with_email_addresses": {"text": 3, "comments": 1}},
        },
    )
    with caplog.at_level(logging.WARNING, logger="annotate.training.sources"):
        _, described = load_examples([DataSource(str(out))], tax, 13)
    (entry,) = described
    assert entry["review_caveats"] == {
        "flagged_reviewers": {"r-ben": 1},
        "gold_min_accuracy": 0.8,
        "personal_data": {
            "redacted": False,
            "rows_with_email_addresses": {"text": 3, "comments": 1},
        },
        "label_ties": 1,
        "ties_not_sent_to_adjudication": 1,
    }
    assert "its review has caveats" in caplog.text and "r-ben (1 answer)" in caplog.text
    card = "\n".join(training_data_lines(described))
    assert "Review caveats (from the export's manifest.json): answers of reviewers who" in card
    assert "failed the gold check (min accuracy 0.8): r-ben (1 answer)" in card
    assert "exported without --redact, rows holding e-mail addresses (text 3, comments 1" in card
    assert "1 tied or undecided votes; 1 ties never sent to a lead" in card


def test_a_clean_export_adds_nothing(tmp_path, caplog):
    tax, out = _export(tmp_path, {"review": {}, "redaction": {"ran": True}})
    with caplog.at_level(logging.WARNING, logger="annotate.training.sources"):
        _, described = load_examples([DataSource(str(out))], tax, 13)
    assert "review_caveats" not in described[0]
    assert "caveats" not in caplog.text
    assert "Review caveats" not in "\n".join(training_data_lines(described))
