"""`annotate verify MODEL_DIR` passed a model whose card had been edited to state another
threshold than the model uses (`extremist_propaganda 0.3043` for 0.2043): only the card's
version line was checked. The card is rendered from the model's files, so verify renders
it again and compares the sections that state the model's numbers (thresholds, test
figures, span thresholds, limitations). Uses the shipped model's files (no training)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.audit.card_check import check_card
from annotate.cli import main
from tests.audit.card_copy import shipped_copy


def test_the_shipped_card_states_its_model_numbers(tmp_path: Path) -> None:
    model, kind, version = shipped_copy(tmp_path)
    found = check_card(model, kind, version)
    assert found.checked and found.differs == []


def test_an_edited_threshold_in_the_card_is_a_mismatch(tmp_path: Path) -> None:
    model, kind, version = shipped_copy(tmp_path)
    config = json.loads((model / "annotate_model.json").read_text())
    value = config["thresholds"]["extremist_propaganda"]
    card = (model / "model_card.md").read_text()
    row = next(line for line in card.splitlines() if line.startswith("| extremist_propaganda |"))
    edited = row.replace(f"| {value} |", f"| {value + 0.1:.4f} |")
    assert edited != row
    (model / "model_card.md").write_text(card.replace(row, edited))
    found = check_card(model, kind, version)
    (heading, line, got, should) = found.differs[0]
    assert heading.startswith("## Calibration and thresholds")
    assert got == edited and should == row
    assert card.splitlines()[line - 1] == row


def test_verify_fails_on_the_edited_card_and_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model, _, _ = shipped_copy(tmp_path)
    card = (model / "model_card.md").read_text()
    (model / "model_card.md").write_text(
        card.replace("| graphic_detail | 53 |", "| graphic_detail | 530 |")
    )
    with pytest.raises(SystemExit) as exc:
        main(["verify", str(model)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "model_card.md line" in err and "(Evidence spans)" in err
    assert "Traceback" not in err


def test_the_reworded_note_does_not_say_an_edited_threshold_matches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A card with a section worded otherwise (another annotate wrote it) and an edited
    threshold: verify listed the threshold's mismatch, then noted "its thresholds, test
    figures and limitations match" - false."""
    from annotate.audit.card_check import BOUND_SECTIONS

    model, _, _ = shipped_copy(tmp_path)
    config = json.loads((model / "annotate_model.json").read_text())
    config["thresholds"]["violent_threat"] = 0.01
    (model / "annotate_model.json").write_text(json.dumps(config))
    card = (model / "model_card.md").read_text()
    heading = next(
        line
        for line in card.splitlines()
        if line.startswith("## ") and not line.startswith(BOUND_SECTIONS)
    )
    (model / "model_card.md").write_text(card.replace(heading, heading + "\n\nWorded otherwise."))
    with pytest.raises(SystemExit) as exc:
        main(["verify", str(model)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "(Calibration and thresholds" in err  # the threshold's mismatch
    assert "words 1 section otherwise" in err or "words 2 sections otherwise" in err
    assert "limitations match" not in err and "match its files" not in err, err
