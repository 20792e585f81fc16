"""A labeled example and the seeded, stable split and sampling helpers every source uses."""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from annotate.errors import TrainingError

log = logging.getLogger(__name__)


@dataclass
class Example:
    text: str
    labels: set[str]
    known: set[str]  # labels this example supervises (the others are masked out)
    split: str  # train / validation / test
    source: str
    doc_key: str
    index: int = 0
    title: str | None = None
    # gold evidence spans: (start, end, span label); None = not annotated
    spans: list[tuple[int, int, str]] | None = None
    # evidence spans a tied vote left undecided (marked by exactly half of the reviewers,
    # no lead yet): masked in span training, neither evidence nor a decided "no"
    undecided_spans: list[tuple[int, int, str]] = field(default_factory=list)
    weight: float = 1.0
    id: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    # near-duplicate group as the data gives it (an export's ``near_dup_group``: ingest's
    # MinHash LSH group across documents), None when it gives none; examples sharing one
    # are held out together (:mod:`annotate.training.validation_split`)
    near_dup_group: str | None = None
    # whether the passage's document is a conversation, as ingest recorded it (the row's
    # ``conversation`` column; None: not recorded): evaluate reads the passage as prelabel
    # does (annotate.classifier.turn_text.recorded_conversation)
    conversation: bool | None = None
    # whether the passage's document is a subtitle file though its name does not say so,
    # as ingest recorded it in its meta (None: told by its name): evaluate reads its cues
    # within their sentences as prelabel does (annotate.classifier.cue_sentences.
    # recorded_subtitles)
    subtitles: bool | None = None
    # a subtitle cue's start and end in seconds, as ingest recorded them in its meta
    # (annotate.classifier.cue_sentences.recorded_cue_times); None: not recorded
    cue_start: float | None = None
    cue_end: float | None = None


# ---- splitting and sampling -----------------------------------------------------------
def stable_unit(*parts: object) -> float:
    """A deterministic number in [0, 1) from its arguments."""
    h = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64


def assign_split(key: str, seed: int, validation: float, test: float) -> str:
    u = stable_unit("split", seed, key)
    if u < test:
        return "test"
    if u < test + validation:
        return "validation"
    return "train"


def sample_train(examples: list[Example], caps: dict[str, int], seed: int) -> list[Example]:
    """Keep at most ``caps[label set]`` training examples per label set ("none", or
    "a+b" for several labels); validation and test rows are never sampled."""
    if not caps:
        return examples
    groups: dict[str, list[int]] = {}
    for i, ex in enumerate(examples):
        if ex.split == "train":
            groups.setdefault("+".join(sorted(ex.labels)), []).append(i)
    drop: set[int] = set()
    for key, cap in caps.items():
        idx = groups.get(key, [])
        if len(idx) > cap:
            rng = random.Random(f"{seed}:{key}")
            keep = set(rng.sample(idx, cap))
            drop.update(i for i in idx if i not in keep)
    return [ex for i, ex in enumerate(examples) if i not in drop]


def gold_spans(
    text: str, spans: Any, span_names: set[str], where: str
) -> list[tuple[int, int, str]] | None:
    """A row's gold evidence spans, or None when the row says nothing about spans (no
    ``spans`` column, or a missing value): such a passage is neither scored for spans by
    `evaluate` nor taught "no evidence here" by span training. An empty list means the
    passage was reviewed and holds no span."""
    if spans is None or (isinstance(spans, float) and spans != spans):
        return None
    return locate_spans(text, spans, span_names, where)


def locate_spans(text: str, spans: Iterable[Any], span_names: set[str], where: str) -> list:
    """The ``(start, end, label)`` of each of ``spans`` in ``text`` (``where``: the
    example's file and row or id, naming it in what is said). Training data may be
    graphic or personal: what is said names a span by its position in the list, its label
    and its length, never quoting its text."""
    out = []
    if spans and (isinstance(spans, (str, bytes)) or not isinstance(spans, Iterable)):
        raise TrainingError(
            f"{where}: 'spans' is {_kind(spans)}; expected a list of {{text, label}} or "
            "{start, end, label} objects.",
            fix="write the spans as a JSON list, or leave the column out.",
        )
    for i, s in enumerate(spans or [], 1):
        if not isinstance(s, dict):
            log.warning("%s: span %d is %s, not an object; skipped", where, i, _kind(s))
            continue
        label = s.get("label")
        if isinstance(label, list):
            label = label[0] if label else None
        if label not in span_names:
            log.warning("%s: span label %r is not in the taxonomy; skipped", where, label)
            continue
        if s.get("start") is not None and s.get("end") is not None:
            a, b = _offset(s["start"], where), _offset(s["end"], where)
        else:
            st = str(s.get("text", ""))
            a = text.find(st) if st else -1
            if a < 0:
                log.warning(
                    "%s: span %d (%s, a text of %d characters) is not found in the passage; "
                    "skipped",
                    where,
                    i,
                    label,
                    len(st),
                )
                continue
            b = a + len(st)
        if 0 <= a < b <= len(text):
            out.append((a, b, label))
        else:
            log.warning(
                "%s: span %d-%d is outside the passage (%d characters); skipped",
                where,
                a,
                b,
                len(text),
            )
    return out


def _kind(value: Any) -> str:
    """What ``value`` is, without quoting it: ``a str of 12 characters``, ``a list of 3``,
    ``an int``."""
    name = type(value).__name__
    article = "an" if name[:1] in "aeiou" else "a"
    if isinstance(value, (str, bytes)):
        return f"{article} {name} of {len(value)} characters"
    if isinstance(value, (list, tuple, dict)):
        return f"{article} {name} of {len(value)}"
    return f"{article} {name}"


def whole_number(value: Any) -> int | None:
    """``value`` as a whole number >= 0 (an int, a float such as 3.0, a digit string), or
    None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return int(value) if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _offset(value: Any, where: str) -> int:
    """A span offset as an int; TrainingError naming the row when it is not a whole number."""
    got = whole_number(value)
    if got is not None:
        return got
    raise TrainingError(
        f"{where}: span offset {value!r} is not a whole number.",
        fix="give span start/end as character offsets into the text (0-based), or give the "
        "span's text instead.",
    )
