"""The model's own values in hand-written card text (a training config's ``limitations``).

A limitation that quotes a threshold goes stale when a rebuild moves it (the card said
0.2034 for extremist_propaganda after the model had 0.2043), so the text names the value
instead: ``{threshold:LABEL}`` (a category's threshold, ``annotate_model.json``
``thresholds``) or ``{span_threshold:SPAN}`` (``span_thresholds``), and the card writer
puts in the built model's number. A number written beside the word "threshold" is
refused when the config is read (:func:`limitation_problems`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# {threshold:violent_threat}, {span_threshold:threat}
PLACEHOLDER = re.compile(r"\{(threshold|span_threshold):([A-Za-z_][A-Za-z0-9_]*)\}")
# the values each placeholder kind reads in annotate_model.json
KIND_FIELDS = {"threshold": "thresholds", "span_threshold": "span_thresholds"}
_BRACE = re.compile(r"\{[^{}]*\}")
# "threshold 0.215", "threshold of 0.2", "thresholds 0.2 and", "its 0.20 threshold"
_LITERAL = re.compile(
    r"\bthresholds?\s+(?:(?:of|at|is|was|to)\s+)?\d*\.\d+|\d*\.\d+\s+thresholds?\b",
    re.IGNORECASE,
)


def placeholders(text: str) -> list[tuple[str, str]]:
    """The (kind, name) pairs ``text`` names, in order: kind ``threshold`` (a category)
    or ``span_threshold`` (a span label)."""
    return [(m.group(1), m.group(2)) for m in PLACEHOLDER.finditer(text)]


def limitation_problems(text: str) -> list[str]:
    """Why ``text`` cannot be a limitation line (empty when it can): a ``{...}`` that is
    no placeholder, or a threshold written as a number (it goes stale on a rebuild)."""
    out = []
    for m in _BRACE.finditer(text):
        if not PLACEHOLDER.fullmatch(m.group(0)):
            out.append(
                f"{m.group(0)!r} is not a value the card can fill in (write "
                "{threshold:LABEL} or {span_threshold:SPAN})"
            )
    for m in _LITERAL.finditer(PLACEHOLDER.sub("", text)):
        out.append(
            f"{m.group(0)!r} writes a threshold as a number, which a rebuild makes stale "
            "(write {threshold:LABEL} or {span_threshold:SPAN} for this model's value; "
            "another build's threshold as e.g. 'against its own 0.2034')"
        )
    return out


def unknown_names(
    texts: Iterable[str], categories: Iterable[str], spans: Iterable[str]
) -> list[str]:
    """The placeholders in ``texts`` whose name is no category (``threshold``) or span
    label (``span_threshold``) of the taxonomy, as written."""
    known = {"threshold": set(categories), "span_threshold": set(spans)}
    return [
        f"{{{kind}:{name}}}"
        for text in texts
        for kind, name in placeholders(text)
        if name not in known[kind]
    ]


def fill_values(text: str, config: Mapping[str, object]) -> str:
    """``text`` with each placeholder replaced by the model's value from ``config`` (an
    ``annotate_model.json``), rounded to 4 decimals as the model records them. Raises
    ValueError naming the placeholder when the model has no such value."""

    def value(m: re.Match[str]) -> str:
        kind, name = m.group(1), m.group(2)
        values = config.get(KIND_FIELDS[kind]) or {}
        if not isinstance(values, Mapping) or name not in values:
            raise ValueError(
                f"the card text names {m.group(0)}, but the model records no such value "
                f"(its {KIND_FIELDS[kind]}: {', '.join(map(str, values)) or 'none'})"
            )
        return f"{round(float(values[name]), 4)}"

    return PLACEHOLDER.sub(value, text)
