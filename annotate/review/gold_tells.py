"""What gives gold tasks away beside a push's regular tasks.

A gold task carries its answer in ``meta`` only, but its data shows in the labeling view
(the provenance line) and in the Data Manager grid (``passage_id``, ``doc_id``,
``source``). A gold table made from a sheet of ``id, text, gold_labels`` (the README's
way) has no ``doc_id`` or ``source``: every gold task then reads "(no provenance)" where
each regular task names its file and document, and its id (``g1``) is unlike ingest's
``p_…`` ids, so a reviewer can tell the gold tasks from the rest at a glance. So does a
gold table without the regular table's thread and author columns (``meta``): every
regular post of a forum or chat export names its thread and author on the provenance
line, no gold task does (break10 B1); or with them written out beside regular tasks that
show their pseudonyms (``ingest --redact``). The push warns; it changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple

from annotate.studio.tasks import NO_PROVENANCE, PASSAGE_ID_FIELD, context_style

INGEST_ID_PREFIX = "p_"  # annotate.ingestion: "p_" + 20 hex digits


class GoldTells(NamedTuple):
    """Gold passages that stand out from the push's regular ones: those whose task shows
    no provenance while a regular task shows one, and those whose id lacks ingest's
    ``p_`` prefix while every regular id has it (with the first such id), and those whose
    provenance line names a thread and author unlike most regular ones do (none where
    they name them, or written out where they show pseudonyms:
    :func:`annotate.studio.tasks.context_style`)."""

    no_provenance: int
    unlike_ids: int
    example_id: str | None
    unlike_context: int = 0

    def __bool__(self) -> bool:
        return bool(self.no_provenance or self.unlike_ids or self.unlike_context)


def gold_tells(gold: Sequence[dict[str, Any]], regular: Sequence[dict[str, Any]]) -> GoldTells:
    """Count the gold tasks (``gold``: tasks as :func:`annotate.review.gold.read_gold`
    makes them) that differ from the regular tasks (``regular``) in what a reviewer sees.

    Only a difference counts: gold tasks without provenance beside regular tasks without
    it either (a table of bare ``id, text``) are not told apart, and so on for ids."""
    if not gold or not regular:
        return GoldTells(0, 0, None)

    def shown(task: dict[str, Any]) -> bool:
        return task["data"].get("provenance") not in (None, "", NO_PROVENANCE)

    no_prov = sum(not shown(t) for t in gold) if any(shown(t) for t in regular) else 0
    ids = [str(t["data"][PASSAGE_ID_FIELD]) for t in gold]
    unlike: list[str] = []
    if all(str(t["data"][PASSAGE_ID_FIELD]).startswith(INGEST_ID_PREFIX) for t in regular):
        unlike = [i for i in ids if not i.startswith(INGEST_ID_PREFIX)]
    # the thread and author parts: as most regular tasks show them (a gold task without
    # them among forum posts that all name theirs stands out)
    styles = Counter(context_style(t["data"].get("provenance")) for t in regular)
    usual = styles.most_common(1)[0][0]
    unlike_context = sum(context_style(t["data"].get("provenance")) != usual for t in gold)
    return GoldTells(no_prov, len(unlike), unlike[0] if unlike else None, unlike_context)
