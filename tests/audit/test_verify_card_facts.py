"""`annotate verify MODEL_DIR` renders the card again from the model's files and
compares it with model_card.md. It compared the words of the sections that state the
model's numbers, so a sentence a newer annotate words otherwise (the near-copies line
reworded in code) made `verify --strict` fail on a model whose card still stated its
record exactly; and it compared the header and the training-data section not at all (a
note), so an edited training-record digest or data file hash in the card passed. It now
compares each section's facts (numbers, text between backticks, file names, digests,
the record's labels, data sources and licences): a rewording is a note, an edited fact a
mismatch naming the card's line. Uses the shipped model's files (no training)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.audit.card_check import check_card, compare_cards, facts, record_names
from annotate.cli import main
from tests.audit.card_copy import SHIPPED, shipped_copy


def _reword_copy_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """A later annotate's wording of the near-copies limitation: other words, the same
    figures and examples."""
    import annotate.training.held_out_copies as copies

    original = copies.copy_warning

    def reworded(record: dict[str, Any] | None) -> str:
        text = original(record)
        assert "are copies of a training or validation row" in text
        return text.replace(
            "are copies of a training or validation row",
            "repeat a passage the model was trained or validated on",
        ).replace("so the held-out figures count", "which means the held-out figures include")

    monkeypatch.setattr(copies, "copy_warning", reworded)


def _edit(model: Path, old: str, new: str) -> tuple[int, str]:
    """Replace ``old`` by ``new`` once in the card; (its line number, the edited line)."""
    card = (model / "model_card.md").read_text()
    assert card.count(old) >= 1, old
    edited = card.replace(old, new, 1)
    (model / "model_card.md").write_text(edited)
    number = next(n for n, line in enumerate(edited.splitlines(), 1) if new in line)
    return number, edited.splitlines()[number - 1]


def test_a_sentence_reworded_in_code_is_a_note_not_a_mismatch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    model, kind, version = shipped_copy(tmp_path)
    _reword_copy_line(monkeypatch)
    found = check_card(model, kind, version)
    assert found.checked and found.differs == [], found.differs
    assert found.reworded == ["## Known limitations"]
    with pytest.raises(SystemExit) as exc:
        main(["verify", str(model)])
    assert exc.value.code == 0
    err = capsys.readouterr().err
    assert "mismatch" not in err, err
    assert "words 1 section otherwise" in err and "(Known limitations)" in err
    assert "match its files" in err


def test_an_edited_figure_fails_naming_its_line_even_when_reworded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    model, kind, version = shipped_copy(tmp_path)
    _reword_copy_line(monkeypatch)
    number, line = _edit(model, "219 of 11,614 test passages", "21 of 11,614 test passages")
    found = check_card(model, kind, version)
    assert [(h, n, got) for h, n, got, _ in found.differs] == [
        ("## Known limitations", number, line)
    ]
    with pytest.raises(SystemExit) as exc:
        main(["verify", str(model)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert f"model_card.md line {number} (Known limitations)" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("old", "new", "section"),
    [
        # the training record's digest in the header (the header was not compared)
        ("SHA-256 `630471133651", "SHA-256 `630471133652", "(top)"),
        # a data file's hash and a source's licence (the training-data section was a note)
        ("SHA-256 `00811aca26d0", "SHA-256 `00811aca26d1", "## Training data"),
        ("licence MIT (repository licence; no separate", "licence CC0 (no separate", "## Train"),
        ("**implicit-hate: implicit", "**hatemoji-build: implicit", "## Training data"),
        # a label in a table, a cross-source figure
        ("| violent_threat | 63 | 0.565", "| incitement | 63 | 0.565", "## Held-out"),
        ("| 0.8662 | 0.8627 |", "| 0.8672 | 0.8627 |", "## Cross-source"),
    ],
)
def test_an_edited_hash_licence_source_or_label_is_a_mismatch(
    tmp_path: Path, old: str, new: str, section: str
) -> None:
    model, kind, version = shipped_copy(tmp_path)
    number, line = _edit(model, old, new)
    found = check_card(model, kind, version)
    assert len(found.differs) == 1, found.differs
    heading, at, got, _ = found.differs[0]
    assert heading.startswith(section) and (at, got) == (number, line)


def test_facts_leave_the_words_out() -> None:
    config = json.loads((SHIPPED / "annotate_model.json").read_text())
    names = record_names(config)
    said = facts(
        [
            "- 188 of 11,614 test passages (e.g. implicit-hate:22 of implicit-hate), "
            "threshold 0.2204 for `threat`; none of them",
            "| none | 790 | 0.970 |",
        ],
        1,
        names,
        "none",
    )
    assert [f for f, _ in said] == [
        "188",
        "11614",
        "implicit-hate",
        "22",
        "implicit-hate",
        "0.2204",
        "`threat`",
        "none",
        "790",
        "0.970",
    ]
    assert [n for _, n in said][-3:] == [2, 2, 2]


def test_a_later_annotate_stating_more_of_a_data_source_is_a_note() -> None:
    """A card rendered before the per-source Split lines (read from the mapping file,
    whose hash the record keeps) lacks facts the rendering now has: a note, not a
    mismatch; the sections of the model's numbers must state the same facts."""
    config = json.loads((SHIPPED / "annotate_model.json").read_text())
    rendered = (
        "# Model card\n\n## Training data, licences and label mapping\n\n- a: 10 rows\n"
        "  Split: seeded hash (validation 10%)\n\n## Known limitations\n\n- 3 of 4\n"
    )
    older = rendered.replace("  Split: seeded hash (validation 10%)\n", "")
    found = compare_cards(older, rendered, config)
    assert found.differs == [] and found.reworded == [
        "## Training data, licences and label mapping"
    ]
    found = compare_cards(older.replace("- 3 of 4", "- 3"), rendered, config)
    assert [d[0] for d in found.differs] == ["## Known limitations"]


def test_a_section_of_the_reader_s_own_is_a_note_one_of_the_model_s_numbers_is_not() -> None:
    config = json.loads((SHIPPED / "annotate_model.json").read_text())
    rendered = "# Model card\n\n## Known limitations\n\n- 3 of 4\n"
    notes = rendered + "\n## Reviewed\n\nChecked by A. on 4 Dec 2026.\n"
    found = compare_cards(notes, rendered, config)
    assert found.differs == [] and found.own == ["## Reviewed"] and found.reworded == []
    extra = rendered + "\n## Held-out results (again)\n\n| none | 790 | 0.99 |\n"
    found = compare_cards(extra, rendered, config)
    assert [d[:2] for d in found.differs] == [("## Held-out results (again)", 9)]


def test_a_data_file_line_added_to_the_card_is_a_mismatch_a_mapping_line_missing_is_not(
    tmp_path: Path,
) -> None:
    """The training-data section's lines from a mapping file (description, rules, split)
    may be missing (the mapping file is not beside a copied model) or added (a later
    annotate); a line of the record (a data file and its hash) may not."""
    model, kind, version = shipped_copy(tmp_path)
    card = (model / "model_card.md").read_text()
    rule = "  - cv=1 -> incitement (not supervised: violent_threat"
    lines = [line for line in card.splitlines() if not line.startswith(rule)]
    assert len(lines) == len(card.splitlines()) - 2  # the two gab-hate-corpus sources
    (model / "model_card.md").write_text("\n".join(lines) + "\n")
    found = check_card(model, kind, version)
    assert found.differs == [] and found.reworded == [
        "## Training data, licences and label mapping"
    ]
    first = next(line for line in lines if line.startswith("  - `"))
    forged = "  - `more.tsv` (data, 10 rows, 200 bytes): SHA-256 `" + "ab" * 32 + "`"
    (model / "model_card.md").write_text(
        "\n".join(lines).replace(first, first + "\n" + forged, 1) + "\n"
    )
    found = check_card(model, kind, version)
    assert len(found.differs) == 1 and found.differs[0][2] == forged, found.differs
