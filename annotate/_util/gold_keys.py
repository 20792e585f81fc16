"""Where a row holds a gold answer under any spelling of its key (break14 findings 11, 12).

A gold sheet's answer columns are ``gold_labels`` and ``gold_severity``
(:mod:`annotate.review.gold`). Spelt otherwise (``Gold_Labels``, ``gold_label``,
``goldLabels``, ``gold-labels``), or kept one or more levels down in a JSONL row's
objects (``{"meta": {"review": {"gold_labels": ...}}}``), they are still the answer key,
and a regular push must not hand them to reviewers. Shared by ingest (its warning) and
push (its refusal), so both see the same keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

GOLD_NAMES = ("gold_labels", "gold_severity")
# a key's letters and digits, lower case -> the gold column it spells
_SPELT = {
    "goldlabels": "gold_labels",
    "goldlabel": "gold_labels",
    "goldseverity": "gold_severity",
    "goldseverities": "gold_severity",
}
MAX_DEPTH = 8  # levels of objects searched below the cell
MAX_NODES = 10_000  # values looked at per cell: a huge object is searched that far


def name_key(text: str) -> str:
    """``text``'s letters and digits in lower case: how a gold key is compared, case and
    separators aside (``Gold_Labels`` -> ``goldlabels``)."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def gold_name(key: Any) -> str | None:
    """The gold column ``key`` spells, case and separators aside and singular too
    (``Gold_Labels``, ``gold-label``, ``goldLabels`` -> ``gold_labels``); None for
    another key."""
    if not isinstance(key, str):
        return None
    # a push asks for every key of every row, the same few column names: kept per key
    return _gold_of(key) if len(key) <= _KEPT_KEY else _SPELT.get(name_key(key))


_KEPT_KEY = 64  # longest key whose answer gold_name keeps


@lru_cache(maxsize=4096)
def _gold_of(key: str) -> str | None:
    return _SPELT.get(name_key(key))


def nested_gold_paths(value: Any, prefix: str) -> Iterator[str]:
    """The paths (``prefix.review.gold_labels``, ``prefix.items[0].Gold_Label``: keys as
    spelt) of the gold keys (:func:`gold_name`) anywhere in ``value``, a parsed JSON
    value, searched :data:`MAX_DEPTH` levels down and :data:`MAX_NODES` values far."""
    stack: list[tuple[Any, str, int]] = [(value, prefix, 0)]
    seen = 0
    while stack and seen < MAX_NODES:
        node, path, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, dict):
            items = [(f"{path}.{k}", k, v) for k, v in node.items()]
            for where, key, _ in items:
                if gold_name(key) is not None:
                    yield where
            stack.extend((v, where, depth + 1) for where, _, v in reversed(items))
        elif isinstance(node, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in reversed(list(enumerate(node))))
