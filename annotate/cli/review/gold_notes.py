"""The warnings about a review set's gold tasks that push, `review status` and
`agreement` print."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from annotate.cli.app import echo

if TYPE_CHECKING:
    from annotate.review.gold_tells import GoldTells


def gold_tells_warning(tells: GoldTells, gold: Path | None) -> None:
    """The warning of a push whose gold tasks a reviewer can tell from the regular ones
    (:func:`annotate.review.gold_tells.gold_tells`)."""
    if not tells:
        return
    from annotate.studio.tasks import NO_PROVENANCE

    what = []
    if tells.no_provenance:
        what.append(
            f'{tells.no_provenance} show "{NO_PROVENANCE}" in the labeling view where every '
            "regular task names its source and document (and leave the grid's doc_id and "
            "source columns empty)"
        )
    if tells.unlike_ids:
        what.append(
            f"{tells.unlike_ids} have an id unlike the regular passages' p_… ids (e.g. "
            f"{tells.example_id!r}; the grid shows passage_id)"
        )
    if tells.unlike_context:
        what.append(
            f"{tells.unlike_context} name a thread and author on the provenance line unlike "
            "the regular tasks, fewer of which show theirs so (none where they name theirs, "
            "or written out where they show pseudonyms)"
        )
    if tells.unlike_doc_ids:
        what.append(
            f"{tells.unlike_doc_ids} have a doc_id unlike the regular tasks' (e.g. "
            f"{tells.example_doc_id!r}, where every regular doc_id starts with "
            f"{tells.doc_id_prefix!r}; the grid shows doc_id)"
        )
    if tells.unlike_dates and tells.date_range:
        first, last = tells.date_range
        within = first if first == last else f"{first} to {last}"
        what.append(
            f"{tells.unlike_dates} are dated outside the regular tasks' dates (e.g. "
            f"{tells.example_date}, the regular ones {within}; the provenance line shows it)"
        )
    echo(
        f"warning: the gold tasks of {gold} stand out from the regular ones: "
        f"{'; '.join(what)}, so a reviewer can tell which tasks check them. Fix: for later "
        "pushes, give the gold table doc_id, source and title columns (the documents its "
        "passages came from), the regular table's thread and author columns, and ids like "
        "the regular passages' (e.g. ingest the gold documents with `annotate ingest` as "
        "the regular ones were, --redact too, add gold_labels) and pre-label it again; "
        "pick gold documents from the same source and dates as the batch (or give them "
        "ids and dates like its own); the gold tasks already queued stay as they are."
    )


def gold_also_regular_warning(n: int, project: str) -> None:
    """The lasting warning of a review set holding gold passages that came in regular
    pre-labels too (a push skipped them): status and agreement print it, as export does,
    so a lead does not take them for reviewed data."""
    if n:
        echo(
            f"warning: {n} gold passage(s) of review set {project!r} came in regular "
            "pre-labels too (the push skipped them): they stay gold, are not reviewed as "
            "regular data and export keeps them out of the corpus; push them under another "
            "id to have them reviewed"
        )
