"""Which model's pre-labels the human answers a model trained on started from.

Reviewers lean towards the pre-labels they are shown (automation bias), so a model
retrained on an export's answers learnt, in part, the choices of the model that
pre-labelled them. ``annotate_model.json`` records, for each export it was trained on,
per split, its answers by the pre-label model version they started from
(:class:`annotate.training.data_files.PrelabelAnswers`), and the model card says it
(newuser59 #7: only ``annotate evaluate`` warned of it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from annotate._util.plural import counted
from annotate.corpus.schema import SPLITS

if TYPE_CHECKING:
    from annotate.training.sources.examples import Example

# a started answer whose model version the export does not record
VERSION_NOT_RECORDED = "(version not recorded)"


def counts(examples: Iterable[Example]) -> dict[str, dict[str, Any]] | None:
    """Per split, the answers of ``examples`` (an export's, whose ``meta`` holds
    ``answer_prelabels``: :func:`annotate.training.sources.exports.prelabel_record`) by
    the pre-labels they started from: ``{split: {"answers", "started_from": {version: n},
    "no_start_recorded", "shown": {version: n}}}``, splits and versions sorted by name.
    None when the examples carry no answer (a source that is no export)."""
    out: dict[str, dict[str, Any]] = {}
    for ex in examples:
        for version, started in ex.meta.get("answer_prelabels") or []:
            c = out.setdefault(
                ex.split, {"answers": 0, "started_from": {}, "no_start_recorded": 0, "shown": {}}
            )
            c["answers"] += 1
            if version:
                c["shown"][version] = c["shown"].get(version, 0) + 1
            if started:
                key = version or VERSION_NOT_RECORDED
                c["started_from"][key] = c["started_from"].get(key, 0) + 1
            else:
                c["no_start_recorded"] += 1
    for c in out.values():
        c["started_from"] = dict(sorted(c["started_from"].items()))
        c["shown"] = dict(sorted(c["shown"].items()))
    return dict(sorted(out.items())) or None


def _by_count(versions: Mapping[str, int]) -> list[tuple[str, int]]:
    """``versions`` most answers first, then by name."""
    return sorted(versions.items(), key=lambda kv: (-kv[1], kv[0]))


def _split_words(split: str, c: Mapping[str, Any]) -> str:
    """One split's counts in words: ``train: 4 answers: 2 started from `A`'s pre-labels,
    1 from `B`'s, 1 recording no pre-label start (their tasks showed `A` 2, `B` 2)``; the
    versions shown are named only where they differ from those started from."""
    started = _by_count(c.get("started_from") or {})
    parts = [
        f"{n:,} started from `{v}`'s pre-labels" if i == 0 else f"{n:,} from `{v}`'s"
        for i, (v, n) in enumerate(started)
    ]
    if c.get("no_start_recorded"):
        parts.append(f"{c['no_start_recorded']:,} recording no pre-label start")
    shown = dict(c.get("shown") or {})
    seen = (
        f" (their tasks showed {', '.join(f'`{v}` {n:,}' for v, n in _by_count(shown))})"
        if shown and shown != dict(c.get("started_from") or {})
        else ""
    )
    return f"{split}: {counted(int(c.get('answers') or 0), 'answer')}: {', '.join(parts)}{seen}"


def card_line(entry: Mapping[str, Any]) -> list[str]:
    """The model card's line for a training-data entry's ``prelabel_answers`` (its
    splits in train, validation, test order); [] for an entry without them (no export,
    or a model trained before they were recorded)."""
    record = entry.get("prelabel_answers")
    if not isinstance(record, Mapping) or not record:
        return []
    order = [s for s in SPLITS if s in record] + sorted(s for s in record if s not in SPLITS)
    said = "; ".join(_split_words(s, record[s]) for s in order)
    return [
        "  Pre-labels its answers started from (reviewers lean towards the pre-labels "
        f"they are shown, automation bias, so these labels carry in part those models' choices): "
        f"{said}."
    ]
