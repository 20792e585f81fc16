"""break15 A4: a deleted "Intended use" section (it states no fact) passed with no note
at all, and a section of the card's own with invented figures passed with a note saying
its figures "match its files". The first is now a note (a mismatch with --strict), the
second a note saying it is not checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.audit.card_check import check_card
from annotate.cli import main
from tests.audit.card_copy import shipped_copy


def _drop_section(model: Path, heading: str) -> None:
    lines = (model / "model_card.md").read_text().splitlines()
    start = lines.index(heading)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("## "))
    (model / "model_card.md").write_text("\n".join(lines[:start] + lines[end:]) + "\n")


def test_a_deleted_intended_use_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model, kind, version = shipped_copy(tmp_path)
    _drop_section(model, "## Intended use")
    found = check_card(model, kind, version)
    assert found.differs == [] and found.missing == ["## Intended use"]
    with pytest.raises(SystemExit) as exc:
        main(["verify", str(model)])
    assert exc.value.code == 0
    assert "lacks 1 section its files give (Intended use)" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["verify", str(model), "--strict"])
    assert exc.value.code == 1
    assert "lacks Intended use (--strict)" in capsys.readouterr().err


def test_an_invented_section_is_not_said_to_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model, kind, version = shipped_copy(tmp_path)
    card = (model / "model_card.md").read_text()
    (model / "model_card.md").write_text(
        card + "\n## Independent audit\n\nAudited 2026: recall of violent_threat 0.99, "
        "false-flag rate 0.001 on 50,000 posts.\n"
    )
    found = check_card(model, kind, version)
    assert found.differs == [] and found.own == ["## Independent audit"]
    assert found.reworded == []
    with pytest.raises(SystemExit) as exc:
        main(["verify", str(model)])
    assert exc.value.code == 0
    err = capsys.readouterr().err
    assert "(Independent audit): not checked, no record of the model states it" in err
    assert "match its files" not in err


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # a rule added under a source whose rules the rendering states (break15 A5)
        (
            "  - class=not_hate -> none\n",
            "  - class=not_hate -> none\n  - class=not_hate -> violent_threat\n",
        ),
        # a source's Split line deleted while the card states the others'
        ("  Split: seeded hash, by text (validation 12%, test 0%, the rest train).\n", ""),
    ],
)
def test_a_mapping_line_added_or_a_split_deleted_is_a_mismatch(
    tmp_path: Path, old: str, new: str
) -> None:
    model, kind, version = shipped_copy(tmp_path)
    card = (model / "model_card.md").read_text()
    assert card.count(old) == 1
    (model / "model_card.md").write_text(card.replace(old, new))
    found = check_card(model, kind, version)
    assert [d[0][:16] for d in found.differs] == ["## Training data"], found
