"""Whether a model card states what the model's own files say.

``annotate verify MODEL_DIR`` checks the card's version line against the version of the
weights and ``annotate_model.json``; the rest of the card (thresholds, held-out results,
span thresholds, limitations) is text an edit could change without moving the version:
a card stating a threshold of 0.30 where the model uses 0.20 passed. The card of a
frozen-linear or fine-tuned model is a function of ``annotate_model.json`` (and
``cross_source.json``) (:func:`annotate.training.card.write_card`), so it is rendered
again into a temporary folder and compared section by section (``## `` headings, their
``### `` sub-sections included).

Sections that state the numbers the model runs with (:data:`BOUND_SECTIONS`) must be
equal: a difference is a mismatch. Other sections may differ because a later annotate
words them otherwise (the training-data section of a card written before ingest licences
were recorded): they are returned apart, as notes.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from annotate.classifier.model_files import CARD_FILE, CONFIG_FILE

# headings (their start) whose text is the model's numbers: thresholds, test figures,
# span thresholds, limitations filled with thresholds
BOUND_SECTIONS = (
    "## Calibration and thresholds",
    "## Held-out results",
    "## Evidence spans",
    "## Known limitations",
)
RENDERED_KINDS = ("annotate.frozen-linear.v1", "annotate.finetuned.v1")
INPUTS = (CONFIG_FILE, "cross_source.json")  # what write_card reads


@dataclass
class CardCheck:
    """``differs``: (section heading, card line number from 1, the card's line, the line
    its files give) for each bound section that differs; ``reworded``: headings of other
    sections this annotate renders otherwise; ``checked``: False when not rendered (a
    kind annotate renders otherwise, no card, or a config it cannot render: ``why``)."""

    checked: bool = True
    why: str = ""
    differs: list[tuple[str, int, str, str]] = field(default_factory=list)
    reworded: list[str] = field(default_factory=list)


def _sections(text: str) -> dict[str, tuple[int, list[str]]]:
    """``## `` heading -> (line number of the heading from 1, its lines up to the next)."""
    out: dict[str, tuple[int, list[str]]] = {}
    current, start, lines = "(top)", 1, []
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("## "):
            out[current] = (start, lines)
            current, start, lines = line, number, []
        else:
            lines.append(line)
    out[current] = (start, lines)
    return out


def check_card(model: Path, kind: str, version: str | None) -> CardCheck:
    """Render ``model``'s card again from its files (as ``version``) and compare it with
    its ``model_card.md``. Never raises for a card it cannot render: ``checked`` False."""
    card = model / CARD_FILE
    if kind not in RENDERED_KINDS or version is None or not card.is_file():
        return CardCheck(False, "not rendered for this kind" if card.is_file() else "no card")
    from annotate.training.card import write_card

    with tempfile.TemporaryDirectory(prefix="annotate-card-") as tmp:
        for name in INPUTS:
            if (model / name).is_file():
                shutil.copyfile(model / name, Path(tmp) / name)
        try:
            write_card(Path(tmp), version)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            return CardCheck(False, f"its {CONFIG_FILE} cannot be rendered ({exc!r})")
        expected = (Path(tmp) / CARD_FILE).read_text(encoding="utf-8")
    try:
        actual = card.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return CardCheck(False, f"{card} cannot be read ({exc})")
    result = CardCheck()
    mine, theirs = _sections(actual), _sections(expected)
    for heading in dict.fromkeys([*theirs, *mine]):
        start, lines = mine.get(heading, (0, []))
        want = theirs.get(heading, (0, []))[1]
        if lines == want:
            continue
        if heading.startswith(BOUND_SECTIONS):
            if heading not in mine:
                result.differs.append((heading, 0, "(section missing)", want[0] if want else ""))
                continue
            for offset, (got, should) in enumerate(zip([*lines, ""], [*want, ""], strict=False)):
                if got != should:
                    result.differs.append((heading, start + 1 + offset, got, should))
                    break
        else:
            result.reworded.append(heading)
    return result
