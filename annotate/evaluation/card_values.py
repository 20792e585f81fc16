"""The model's own values in hand-written card text (a training config's ``limitations``).

A limitation that quotes a threshold goes stale when a rebuild moves it (the card said
0.2034 for extremist_propaganda after the model had 0.2043), so the text names the value
instead, and the card writer puts in the built model's number:

- ``{threshold:LABEL}``: a category's threshold (``annotate_model.json`` ``thresholds``);
- ``{span_threshold:SPAN}``: a span label's threshold (``span_thresholds``);
- ``{span_f1:SPAN}``: a span label's validation F1 (``metrics.spans.validation``), 3
  decimals as the card's span table;
- ``{cross_source:SOURCE:LABEL:FIELD}``: a cell of the cross-source table
  (``cross_source.json``, written after training by ``annotate evaluate --cross-source``
  and regenerated apart from the model: a figure typed from it went stale when it was
  run again, 0.8666 vs 0.8635 in the card, 0.8662 vs 0.8627 in its table). FIELD:
  ``model`` / ``baseline`` (AUPRC, 4 decimals), ``margin`` (model - baseline, signed),
  ``base_rate`` (positives / rows scored, 4 decimals), ``positives``, ``n``, ``recall``,
  ``precision`` (the model's, 2 decimals as the table); ``{cross_source:above}``: the
  cells where the model's AUPRC is above the baseline's ("all 11", "8 of 11"; "all 11
  (beyond noise in 6)" where the table has each cell's paired interval). Without a
  ``cross_source.json`` (a card written at training, before the table) each reads
  :data:`NOT_RUN` and the line says why (:func:`limitation_text`).

A number written beside the word "threshold" is refused when the config is read
(:func:`limitation_problems`). Records written before a placeholder existed quote some of
these figures by hand; :data:`annotate.evaluation.card_figures.DERIVED_TEXT` gives the
card the placeholder form of those lines (:func:`limitation_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

# {threshold:violent_threat}, {span_threshold:threat}, {span_f1:threat},
# {cross_source:crowdcounter:counter_speech:model}, {cross_source:above}
PLACEHOLDER = re.compile(
    r"\{(threshold|span_threshold|span_f1|cross_source):([A-Za-z0-9_][A-Za-z0-9_.:-]*)\}"
)
# the values each placeholder kind reads in annotate_model.json
KIND_FIELDS = {"threshold": "thresholds", "span_threshold": "span_thresholds"}
CROSS_FIELDS = ("model", "baseline", "margin", "base_rate", "positives", "n", "recall", "precision")
CROSS_ABOVE = "above"
# a cross-source placeholder of a model without cross_source.json, and what the line
# then says of it (limitation_text)
NOT_RUN = "n/a"
NOT_RUN_NOTE = (
    " (n/a: no cross-source table for this model yet; `annotate evaluate --cross-source` writes it)"
)
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
    """The placeholders in ``texts`` whose name is no category (``threshold``, the LABEL
    of ``cross_source``) or span label (``span_threshold``, ``span_f1``) of the
    taxonomy, or whose ``cross_source`` FIELD is none of :data:`CROSS_FIELDS`, as
    written. A cross-source SOURCE is checked when the card is written (the table may
    hold any data source)."""
    cats, span_names = set(categories), set(spans)
    known = {"threshold": cats, "span_threshold": span_names, "span_f1": span_names}

    def bad(kind: str, name: str) -> bool:
        if kind != "cross_source":
            return name not in known[kind]
        if name == CROSS_ABOVE:
            return False
        parts = name.split(":")
        return len(parts) != 3 or parts[1] not in cats or parts[2] not in CROSS_FIELDS

    return [
        f"{{{kind}:{name}}}"
        for text in texts
        for kind, name in placeholders(text)
        if bad(kind, name)
    ]


def fill_values(
    text: str, config: Mapping[str, object], cross: Mapping[str, Any] | None = None
) -> str:
    """``text`` with each placeholder replaced by the model's value from ``config`` (an
    ``annotate_model.json``; thresholds rounded to 4 decimals as the model records them)
    or ``cross`` (its ``cross_source.json``; None: :data:`NOT_RUN`). Raises ValueError
    naming the placeholder when the model has no such value."""

    def value(m: re.Match[str]) -> str:
        kind, name = m.group(1), m.group(2)
        if kind == "span_f1":
            return _span_f1(m.group(0), name, config)
        if kind == "cross_source":
            return NOT_RUN if cross is None else cross_value(m.group(0), name, cross)
        values = config.get(KIND_FIELDS[kind]) or {}
        if not isinstance(values, Mapping) or name not in values:
            raise ValueError(
                f"the card text names {m.group(0)}, but the model records no such value "
                f"(its {KIND_FIELDS[kind]}: {', '.join(map(str, values)) or 'none'})"
            )
        return f"{round(float(values[name]), 4)}"

    return PLACEHOLDER.sub(value, text)


def _span_f1(written: str, name: str, config: Mapping[str, object]) -> str:
    metrics = config.get("metrics")
    spans = metrics.get("spans") if isinstance(metrics, Mapping) else None
    validation = spans.get("validation") if isinstance(spans, Mapping) else None
    entry = validation.get(name) if isinstance(validation, Mapping) else None
    if not isinstance(entry, Mapping) or entry.get("f1") is None:
        names = ", ".join(map(str, validation or {})) or "none"
        raise ValueError(
            f"the card text names {written}, but the model records no validation F1 for "
            f"that span label (its metrics.spans.validation: {names})"
        )
    return f"{float(entry['f1']):.3f}"


def cross_value(written: str, name: str, cross: Mapping[str, Any]) -> str:
    """The value ``{cross_source:NAME}`` stands for in ``cross`` (a cross_source.json);
    ValueError naming ``written`` when the table has no such cell."""
    cells = [c for c in cross.get("comparison") or [] if isinstance(c, Mapping)]
    if name == CROSS_ABOVE:
        above = sum(1 for c in cells if c.get("model_wins"))
        text = f"all {len(cells)}" if above == len(cells) else f"{above} of {len(cells)}"
        if cells and all("beyond_noise" in c for c in cells):  # a table with paired intervals
            beyond = sum(1 for c in cells if c.get("model_wins") and c.get("beyond_noise"))
            text += f" (beyond noise in {beyond})"
        return text
    source, label, what = [*name.split(":"), "", "", ""][:3]
    if what not in CROSS_FIELDS:
        raise ValueError(
            f"the card text names {written}: its field {what!r} is none of "
            f"{', '.join(CROSS_FIELDS)}"
        )
    cell = next((c for c in cells if c.get("source") == source and c.get("label") == label), None)
    if cell is None:
        shown = ", ".join(f"{c.get('source')}:{c.get('label')}" for c in cells) or "none"
        raise ValueError(
            f"the card text names {written}, but cross_source.json has no such cell "
            f"(its cells: {shown})"
        )
    if what in ("model", "baseline"):
        return f"{float(cell[what]):.4f}"
    if what == "margin":
        return f"{float(cell['model']) - float(cell['baseline']):+.4f}"
    fold = next(
        (
            f
            for f in cross.get("folds") or []
            if isinstance(f, Mapping) and f.get("source") == source
        ),
        {},
    )
    scored = ((fold.get("model") or {}).get("labels") or {}).get(label) or {}
    try:
        if what == "base_rate":
            return f"{int(scored['positives']) / int(scored['n']):.4f}"
        if what in ("positives", "n"):
            return f"{int(scored[what]):,}"
        return f"{float(scored[what]):.2f}"
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
        raise ValueError(
            f"the card text names {written}, but cross_source.json's {source} fold records "
            f"no {what} of the model for {label} ({exc!r})"
        ) from None


def limitation_text(
    text: str, config: Mapping[str, object], cross: Mapping[str, Any] | None
) -> str:
    """A recorded limitation line as the card states it: the placeholder form of a line
    whose figures were typed by hand (:data:`annotate.evaluation.card_figures.DERIVED_TEXT`),
    then :func:`fill_values`. Without ``cross`` (a card written at training, before the
    table) such a line is the record's own text, and a line naming cross-source cells
    says they are not run (:data:`NOT_RUN`, :data:`NOT_RUN_NOTE`)."""
    from annotate.evaluation.card_figures import derived_text

    recorded = text.strip()
    derived = derived_text(recorded)
    if cross is None and derived != recorded:
        return fill_values(recorded, config, None)
    filled = fill_values(derived, config, cross)
    if cross is None and any(kind == "cross_source" for kind, _ in placeholders(derived)):
        filled += NOT_RUN_NOTE
    return filled
