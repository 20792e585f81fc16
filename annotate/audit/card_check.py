"""Whether a model card states what the model's own files say.

``annotate verify MODEL_DIR`` checks the card's version line against the version of the
weights and ``annotate_model.json``; the rest of the card (thresholds, held-out results,
span thresholds, limitations, data sources and their hashes) is text an edit could
change without moving the version: a card stating a threshold of 0.30 where the model
uses 0.20 passed. The card of a frozen-linear or fine-tuned model is a function of
``annotate_model.json`` (and ``cross_source.json``)
(:func:`annotate.training.card.write_card`), so it is rendered again into a temporary
folder and compared section by section (``## `` headings, their ``### `` sub-sections
included).

What is compared is each section's **facts**, in order (:func:`facts`): its numbers,
its text between backticks (hashes, versions, paths, names), file names, hexadecimal
digests, and the record's names (labels, span labels, data sources, licences, the
taxonomy, the device): not its wording. A card rendered by an older annotate whose
sentences this annotate words otherwise (the near-copies line reworded in code) states
the same facts and passes, its sections returned apart as ``reworded`` (a note); an
edited figure, hash, label or data source is a mismatch naming the card's line. A section
whose facts differ is a mismatch whatever its heading (the training-data section
included: a data file's hash or licence is a fact of the record), but in
:data:`LOOSE_SECTIONS` a whole line a mapping file gives may be on one side only (read
from a file that is not here, or a later annotate's extra line: a note), as far as
:func:`_one_sided` allows (not a rule added to a source whose rules the rendering
states). A section only the card has is a note (a reader's own), unless its heading is
one of :data:`BOUND_SECTIONS`. A claim made in words alone
("above", "below") is no fact here, except in the record's own text: the limitation
lines of ``training.limitations`` are compared word for word (whitespace aside) after
their figures are filled in (:func:`limitation_lines`; the record's text as written at
training passes too, ``stale``: a note).
"""

from __future__ import annotations

import contextlib
import difflib
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate.classifier.model_files import CARD_FILE, CONFIG_FILE

# headings (their start) whose text is the model's numbers: thresholds, test figures,
# span thresholds, limitations (the CLI's note names them)
BOUND_SECTIONS = (
    "## Calibration and thresholds",
    "## Held-out results",
    "## Evidence spans",
    "## Known limitations",
)
# sections where a whole line a mapping file gives may be on one side only: a data
# source's description, rules and split, read from its mapping file (whose hash the
# record keeps) when the card is rendered: not here beside a copied model, or rendered
# with more lines by a later annotate (the split lines)
LOOSE_SECTIONS = ("## Training data",)
RENDERED_KINDS = ("annotate.frozen-linear.v1", "annotate.finetuned.v1")
INPUTS = (CONFIG_FILE, "cross_source.json")  # what write_card reads


@dataclass
class CardCheck:
    """``differs``: (section heading, card line number from 1, the card's line, the line
    its files give) for each section whose facts (:func:`facts`) differ; ``reworded``:
    headings of sections this annotate words otherwise with the same facts;
    ``checked``: False when not rendered (a kind annotate renders otherwise, no card, or
    a config it cannot render: ``why``)."""

    checked: bool = True
    why: str = ""
    differs: list[tuple[str, int, str, str]] = field(default_factory=list)
    reworded: list[str] = field(default_factory=list)
    # card line numbers of limitation lines that state the record's text as written at
    # training (a card written before cross_source.json): not its files' figures now
    stale: list[int] = field(default_factory=list)
    # sections only the card has (a reader's own: not checked, no record states them),
    # and rendered sections that state no fact but that the card lacks ("Intended use")
    own: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


# a number: 5,014 / 0.8662 / +0.0004 / 0.6% (a sign only where it starts a word); not
# the digits inside a word (L6, t26). Thousands groups end where no digit follows
# (a comma ending a clause may: "5,014, posts"): "5,0140" is 5 and 0140, not 5014
# and a skipped 0 (break15 A3)
_NUMBER = re.compile(r"(?<![\w.])[-+\u2212]?(?:\d{1,3}(?:,\d{3})+(?!,?\d)|\d+)(?:\.\d+)?%?")
_CODE = re.compile(r"`[^`]+`")
_HEX = re.compile(r"(?<![\w])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,64}(?![\w])")
_FILE = re.compile(
    r"(?<![\w./*\[\]-])[\w.*?\[\]/-]*[\w\]*]\."
    r"(?:tsv|csv|jsonl?|ya?ml|md|py|safetensors|txt|parquet)(?![\w])"
)


def record_names(config: dict[str, Any]) -> list[str]:
    """The names of ``config`` (an ``annotate_model.json``) that a card states as facts:
    labels (the none label aside: an ordinary word in prose, a fact as a table cell),
    span labels, data source names and licences, the taxonomy's name, the encoder, and
    where it was trained (device, precision, torch and annotate versions); longest
    first."""
    tr = config.get("training") if isinstance(config.get("training"), dict) else {}
    none = config.get("none_label")
    names = [n for n in config.get("labels") or [] if n != none]
    names += list(config.get("span_labels") or [])
    for entry in tr.get("data") or []:
        if isinstance(entry, dict):
            names += [entry.get(k) for k in ("name", "license")]
    names += [(config.get("taxonomy") or {}).get("name"), config.get("encoder")]
    names += [tr.get(k) for k in ("device", "precision", "torch", "annotate")]
    found = {str(n) for n in names if isinstance(n, str) and n.strip()}
    return sorted(found, key=lambda n: (-len(n), n))


def _spans(line: str, names: list[str], none: str | None) -> list[tuple[int, int, str]]:
    """(start, end, fact) of ``line``'s facts, in order, none overlapping another: text
    between backticks first, then record names, file names, digests, numbers."""
    taken: list[tuple[int, int, str]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e, _ in taken)

    for m in _CODE.finditer(line):
        taken.append((m.start(), m.end(), m.group(0)))
    for name in names:
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", line):
            if free(m.start(), m.end()):
                taken.append((m.start(), m.end(), name))
    if none and line.startswith("|"):  # the none label as a whole table cell
        for m in re.finditer(rf"(?<=\| ){re.escape(none)}(?= \|)", line):
            if free(m.start(), m.end()):
                taken.append((m.start(), m.end(), none))
    for pattern in (_FILE, _HEX, _NUMBER):
        for m in pattern.finditer(line):
            if free(m.start(), m.end()):
                fact = m.group(0)
                if pattern is _NUMBER:
                    fact = fact.replace(",", "").replace("\u2212", "-")
                taken.append((m.start(), m.end(), fact))
    return sorted(taken)


def facts(
    lines: list[str], first: int, names: list[str], none: str | None = None
) -> list[tuple[str, int]]:
    """(fact, card line number) of each fact in ``lines`` (the first numbered
    ``first``), in order: what a card states of its model, its wording aside
    (``names``: :func:`record_names`; ``none``: the none label, a fact as a table
    cell)."""
    return [
        (fact, first + offset)
        for offset, line in enumerate(lines)
        for _, _, fact in _spans(line, names, none)
    ]


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


def _paired(
    mine: dict[str, tuple[int, list[str]]], theirs: dict[str, tuple[int, list[str]]]
) -> list[tuple[str, str | None, str | None]]:
    """(heading shown, the card's heading, the rendered heading): the same headings
    first, then the rest in order (a heading worded otherwise), then those only one
    side has (None on the other)."""
    same = [h for h in theirs if h in mine]
    only_mine = [h for h in mine if h not in theirs]
    only_theirs = [h for h in theirs if h not in mine]
    out: list[tuple[str, str | None, str | None]] = [(h, h, h) for h in same]
    for a, b in zip(only_mine, only_theirs, strict=False):
        out.append((a, a, b))
    n = min(len(only_mine), len(only_theirs))
    out += [(h, h, None) for h in only_mine[n:]]
    out += [(h, None, h) for h in only_theirs[n:]]
    return out


# where a training-data line a mapping file gives is: (its data source's block, from 0;
# its kind: "split", "mapping", "rule", "text"); None: not such a line
Place = tuple[int, str] | None


def _fact_lines(
    lines: list[str], first: int, names: list[str], none: str | None, loose: bool = False
) -> list[tuple[int, tuple[str, ...], Place]]:
    """(card line number, its facts, where it is when it may be on one side only) of
    each line of ``lines`` that states any fact; with ``loose`` (the training-data
    section), the lines a mapping file gives (:func:`_from_mapping`) may, by
    (:func:`_one_sided`)."""
    out: list[tuple[int, tuple[str, ...], Place]] = []
    block = -1
    for offset, line in enumerate(lines):
        if line.startswith("- "):
            block += 1
        found = tuple(fact for _, _, fact in _spans(line, names, none))
        if found:
            place = (block, _kind(line)) if loose and _from_mapping(line) else None
            out.append((first + offset, found, place))
    return out


def _kind(line: str) -> str:
    if line.startswith("  Split:"):
        return "split"
    if line.startswith("  Mapping "):
        return "mapping"
    return "rule" if line.startswith("  - ") else "text"


# lines of a data source in the training-data section that its record gives (where it
# was, its files and their hashes); its other indented lines come from its mapping file
_RECORD_LINES = ("  Data:", "  - `", "  - ... and", "  Review caveats", "  Licence")


def _from_mapping(line: str) -> bool:
    """Whether a training-data line is one a mapping file gives (its description, rules,
    split: annotate.evaluation.model_card.mapping_lines), not the record."""
    return line.startswith("  ") and not line.startswith(_RECORD_LINES)


def compare_cards(
    actual: str,
    expected: str,
    config: dict[str, Any],
    stated: list[list[str]] | None = None,
) -> CardCheck:
    """Compare a card's text (``actual``) with the one its files render (``expected``)
    section by section, by the facts of their lines (:func:`facts`), lines aligned by
    their facts: lines whose facts are the same in a run of lines (however they are
    worded, split or joined) agree. In the training-data section (:data:`LOOSE_SECTIONS`)
    a whole line a mapping file gives may be on one side only (the card of a model whose
    mapping file is not here, or that a later annotate renders with more lines); a line
    with a fact the other side states otherwise is a mismatch.
    ``config``: the model's ``annotate_model.json`` (its names). ``stated``: for each of
    the record's own limitation lines (``training.limitations``), the card lines that
    state it (:func:`limitation_lines`: the first as rendered); those are the record's
    text, compared word for word in "## Known limitations" (:func:`_record_lines`), the
    section's other lines by their facts."""
    names, none = record_names(config), config.get("none_label")
    mine, theirs = _sections(actual), _sections(expected)
    rendered = expected.splitlines()
    result = CardCheck()
    for heading, a, b in _paired(mine, theirs):
        if a is None or b is None:
            _one_side(result, heading, a, b, mine, theirs, actual, names, none)
            continue
        (start, lines), (want_start, want) = mine[a], theirs[b]
        if stated and a == b and a.startswith(LIMITATIONS):
            lines, want = _record_lines(result, heading, start, lines, want, stated)
        if a == b and _trimmed(lines) == _trimmed(want):
            continue
        if a == b and [x for x in lines if x.strip()] == [x for x in want if x.strip()]:
            continue  # the same but the record's limitation lines, checked above
        if [f for f, _ in facts([a], 0, names, none)] != [f for f, _ in facts([b], 0, names, none)]:
            result.differs.append((heading, start, a, b))
            continue
        # the header's lines start at line 1, a section's after its heading
        loose = heading.startswith(LOOSE_SECTIONS)
        got = _fact_lines(lines, start + (a != "(top)"), names, none, loose)
        should = _fact_lines(want, want_start + (b != "(top)"), names, none, loose)
        found = _first_difference(got, should)
        if found is None:
            result.reworded.append(heading)
            continue
        line, want_line = found
        card_line = actual.splitlines()[line - 1] if line else "(nothing)"
        result.differs.append(
            (heading, line or start, card_line, rendered[want_line - 1] if want_line else "")
        )
    return result


LIMITATIONS = "## Known limitations"


def _said(line: str) -> str:
    return " ".join(line.split())


def limitation_lines(config: dict[str, Any], cross: dict[str, Any] | None) -> list[list[str]]:
    """For each of ``config``'s own limitation lines (``training.limitations``), the card
    lines that state it: as rendered now (with ``cross``, its cross_source.json), as
    rendered before the table (a card written at training), and the record's text as it
    is (:func:`annotate.evaluation.card_values.limitation_text`); duplicates dropped."""
    from annotate.evaluation.card_values import fill_values, limitation_text

    tr = config.get("training") if isinstance(config.get("training"), dict) else {}
    out = []
    for line in tr.get("limitations") or []:
        ways = [limitation_text(line, config, cross), limitation_text(line, config, None)]
        with contextlib.suppress(ValueError):  # a name the record has not: not stated so
            ways.append(fill_values(str(line).strip(), config, None))
        out.append(list(dict.fromkeys(f"- {w}" for w in ways)))
    return out


def _record_lines(
    result: CardCheck,
    heading: str,
    start: int,
    lines: list[str],
    want: list[str],
    stated: list[list[str]],
) -> tuple[list[str], list[str]]:
    """Compare the record's own limitation lines of the card (``lines``, its heading at
    card line ``start``) word for word (whitespace aside) with ``stated``
    (:func:`limitation_lines`): "above" -> "below" is a mismatch though no fact moved
    (break15 A2). Returns ``lines`` and ``want`` (the rendered section) without those
    lines (blank in ``lines``, to keep the line numbers), for the facts of the rest."""
    lines, want = list(lines), list(want)
    for ways in stated:
        said = [_said(w) for w in ways]
        if ways[0] in want:
            want.remove(ways[0])
        at = next((i for i, line in enumerate(lines) if _said(line) in said), None)
        if at is not None:
            if _said(lines[at]) != said[0]:
                result.stale.append(start + 1 + at)
            lines[at] = ""
            continue
        bullets = [(i, line) for i, line in enumerate(lines) if line.startswith("- ")]
        ratio = [
            (difflib.SequenceMatcher(None, _said(line), said[0], autojunk=False).ratio(), i)
            for i, line in bullets
        ]
        best = max(ratio, default=(0.0, -1))
        if best[0] >= 0.6:
            at = best[1]
            result.differs.append((heading, start + 1 + at, lines[at], ways[0]))
            lines[at] = ""
        else:
            result.differs.append((heading, start, "(line missing)", ways[0]))
    return lines, want


def _trimmed(lines: list[str]) -> list[str]:
    """``lines`` without the blank lines that end them (before the next section)."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


def _one_side(
    result: CardCheck,
    heading: str,
    a: str | None,
    b: str | None,
    mine: dict[str, tuple[int, list[str]]],
    theirs: dict[str, tuple[int, list[str]]],
    actual: str,
    names: list[str],
    none: str | None,
) -> None:
    """A section only the card (``a``) or only the rendering (``b``) has: a section the
    card lacks is a mismatch when it states any fact, else ``missing`` (the CLI: a note,
    a mismatch with --strict); one only the card has is ``own`` (a reader's section, not
    checked), but a mismatch under a heading of the model's numbers
    (:data:`BOUND_SECTIONS`)."""
    if a is None and b is not None:
        want = theirs[b][1]
        if facts(want, 0, names, none):
            result.differs.append((heading, 0, "(section missing)", b))
        else:  # no fact to get wrong, but the card no longer says it (break15 A4)
            result.missing.append(b)
    elif a is not None:
        start, lines = mine[a]
        got = facts(lines, start + (a != "(top)"), names, none)
        if not got:
            return
        if not a.startswith(BOUND_SECTIONS):
            result.own.append(heading)  # its figures match nothing: not checked
            return
        line = got[0][1]
        result.differs.append((heading, line, actual.splitlines()[line - 1], "(no such section)"))


def _one_sided(
    run: list[tuple[int, tuple[str, ...], Place]],
    other: list[tuple[int, tuple[str, ...], Place]],
    card: bool,
) -> bool:
    """Whether ``run`` (lines one side has, the other side's lines ``other``) may be on
    one side only: each a mapping file's line of a data source for which the other side
    states no mapping line (its mapping file was not there), or of a kind the other side
    states nowhere (another annotate's lines: the Split lines). A line only the rendering
    has (``card`` False) may also be a rule or description an older annotate stated
    with fewer facts; one only the card has, or a Split line only the rendering has where
    the card states Split lines, may not (break15 A5: a rule added, a Split deleted)."""
    blocks = {o[0] for *_, o in other if o}
    kinds = {o[1] for *_, o in other if o}
    return all(
        o and (o[0] not in blocks or o[1] not in kinds or (not card and o[1] in ("rule", "text")))
        for *_, o in run
    )


def _first_difference(
    got: list[tuple[int, tuple[str, ...], Place]],
    should: list[tuple[int, tuple[str, ...], Place]],
) -> tuple[int, int] | None:
    """(the card's line, the rendered line; 0: none) where the facts of ``got`` and
    ``should`` (:func:`_fact_lines`) first part, or None when they agree: the same facts
    in each run of lines that differ, or whole lines only one side has that may be
    (mapping lines)."""
    matcher = difflib.SequenceMatcher(
        None, [f for _, f, _ in got], [f for _, f, _ in should], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        mine = [f for _, line, _ in got[i1:i2] for f in line]
        theirs = [f for _, line, _ in should[j1:j2] for f in line]
        if mine == theirs:
            continue  # worded, split or joined otherwise
        if (i1 == i2 and _one_sided(should[j1:j2], got, card=False)) or (
            j1 == j2 and _one_sided(got[i1:i2], should, card=True)
        ):
            continue  # mapping lines only one side has
        line = got[i1][0] if i1 < len(got) else (got[-1][0] if got else 0)
        want = should[j1][0] if j1 < len(should) else (should[-1][0] if should else 0)
        return line, want
    return None


def check_card(model: Path, kind: str, version: str | None) -> CardCheck:
    """Render ``model``'s card again from its files (as ``version``) and compare its facts
    with its ``model_card.md`` (:func:`compare_cards`). Never raises for a card it cannot
    render: ``checked`` False."""
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
        config = json.loads((Path(tmp) / CONFIG_FILE).read_text(encoding="utf-8"))
        table = Path(tmp) / "cross_source.json"
        cross = json.loads(table.read_text(encoding="utf-8")) if table.is_file() else None
        try:
            stated = limitation_lines(config, cross)
        except ValueError:  # rendered above with the same values: not reached
            stated = None
    try:
        actual = card.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return CardCheck(False, f"{card} cannot be read ({exc})")
    return compare_cards(actual, expected, config, stated)
