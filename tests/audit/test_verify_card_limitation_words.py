"""A model's own limitation lines (``training.limitations``) are its record's text, yet
`annotate verify` compared only their facts: "its AUPRC is above the baseline's" ->
"below" passed with a note saying the figures match (break15 A2). They are now compared
word for word (whitespace aside) after the card's figures are filled in; the record's
text as written at training (a card written before cross_source.json, such as the
unedited card of fa5d8f71, break15 A6) passes with a note that says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.audit.card_check import check_card
from annotate.cli import main
from tests.audit.card_copy import shipped_copy


def _edit(model: Path, old: str, new: str) -> int:
    card = (model / "model_card.md").read_text()
    assert card.count(old) == 1, old
    (model / "model_card.md").write_text(card.replace(old, new))
    return next(n for n, line in enumerate(card.splitlines(), 1) if old in line)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("its AUPRC is above the frozen-MiniLM", "its AUPRC is below the frozen-MiniLM"),
        ("Sort by\nscore.", "Sort by\nlabel."),
        ("Threats, incitement and propaganda stay weak", "Threats are caught reliably"),
    ],
)
def test_a_reworded_limitation_of_the_record_is_a_mismatch(
    tmp_path: Path, old: str, new: str, capsys: pytest.CaptureFixture[str]
) -> None:
    model, kind, version = shipped_copy(tmp_path)
    card = (model / "model_card.md").read_text()
    if old not in card:  # a line break in the example: the card's own line
        old, new = old.replace("\n", " "), new.replace("\n", " ")
    number = _edit(model, old, new)
    found = check_card(model, kind, version)
    assert [(h, n) for h, n, *_ in found.differs] == [("## Known limitations", number)]
    with pytest.raises(SystemExit) as exc:
        main(["verify", str(model)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert f"line {number} (Known limitations)" in err and "match its files" not in err


def test_a_deleted_limitation_of_the_record_is_a_mismatch(tmp_path: Path) -> None:
    model, kind, version = shipped_copy(tmp_path)
    card = (model / "model_card.md").read_text()
    lines = [x for x in card.splitlines() if not x.startswith("- At their thresholds the context")]
    (model / "model_card.md").write_text("\n".join(lines) + "\n")
    found = check_card(model, kind, version)
    assert [d[2] for d in found.differs] == ["(line missing)"]


def test_the_record_s_text_as_written_at_training_passes_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The card of fa5d8f71 (the same record) stated limitations 2 and 4 as recorded
    (0.8666 vs 0.8635), not from cross_source.json: not an edit."""
    model, kind, version = shipped_copy(tmp_path)
    record = json.loads((model / "annotate_model.json").read_text())["training"]["limitations"]
    card = (model / "model_card.md").read_text().splitlines()
    at = [i for i, x in enumerate(card) if x.startswith(("- A linear read", "- Threats, inc"))]
    assert len(at) == 2
    card[at[0]] = "- " + record[1]
    card[at[1]] = "- " + record[3].replace(
        "{span_threshold:threat}",
        str(json.loads((model / "annotate_model.json").read_text())["span_thresholds"]["threat"]),
    )
    (model / "model_card.md").write_text("\n".join(card) + "\n")
    found = check_card(model, kind, version)
    assert found.differs == [] and found.stale == [at[0] + 1, at[1] + 1]
    with pytest.raises(SystemExit) as exc:
        main(["verify", str(model)])
    assert exc.value.code == 0
    err = capsys.readouterr().err
    assert f"lines {at[0] + 1}, {at[1] + 1} (Known limitations)" in err
    assert "as written at training" in err
