"""What gives gold tasks away beside a push's regular tasks.

A gold task carries its answer in ``meta`` only, but its data shows in the labeling view
(the provenance line) and in the Data Manager grid (``passage_id``, ``doc_id``,
``source``). A gold table made from a sheet of ``id, text, gold_labels`` (docs/review.md's
way) has no ``doc_id`` or ``source``: every gold task then reads "(no provenance)" where
each regular task names its file and document, and its id (``g1``) is unlike ingest's
``p_…`` ids, so a reviewer can tell the gold tasks from the rest at a glance. So does a
gold table without the regular table's thread and author columns (``meta``): every
regular post of a forum or chat export names its thread and author on the provenance
line, no gold task does (break10 B1); or with them written out beside regular tasks that
show their pseudonyms (``ingest --redact``). Nor do gold documents whose ids or dates
fall outside the regular batch's: the grid's ``doc_id`` column and the provenance line
show them, so gold posts ``g001``... from October among comments ``c001``... of November
form their own cluster (passL54 finding 7). A gold ``doc_id`` stands out when it does
not start with the stem every regular ``doc_id`` shares (:func:`shared_stem`: ``c`` there,
the letters before the digits or the words before a separator, never part of a number, so
``c010`` after ``c001``..``c009`` or ``250`` after ``100``..``199`` does not; none shared,
or fewer than :data:`MIN_DOCS` regular documents, nothing to compare), a gold ``date``
when it is before the earliest regular date or after the latest (a gold task without a
date, where every regular task has one, too). The push warns; it changes nothing.

What no push can change: the answer key itself is in each gold task's ``meta``
(:data:`annotate.review.gold.GOLD_META_KEY`), which Label Studio's task API returns to any
member; docs/review.md ("Gold tasks", **Limit**) says why it stays there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from annotate.studio.tasks import NO_PROVENANCE, PASSAGE_ID_FIELD, context_style

INGEST_ID_PREFIX = "p_"  # annotate.ingestion: "p_" + 20 hex digits
# the fewest regular documents whose ids' shared stem is compared with gold ones (one or
# two documents share a stem by chance: a batch from one article)
MIN_DOCS = 3


# a thread-and-author style gives gold away when at least this share of its tasks is gold
# and that share is over STYLE_GOLD_RATIO times the push's (reader61 #4: comparing counts
# had a cliff: 20 gold comments beside 20 regular ones were no tell, 21 were)
STYLE_GOLD_SHARE = 1 / 3
STYLE_GOLD_RATIO = 2.0


def _style_tells(gold: int, regular: int, overall: float) -> bool:
    """Whether ``gold`` gold and ``regular`` regular tasks of one style tell gold apart
    in a push where ``overall`` (0-1) of the tasks are gold: a reviewer who sees the style
    meets gold much more often than elsewhere (the newsroom batch, 3 gold of 11 comments
    against 3 of 23 tasks, is none: 27 %); a style no regular task shows always tells."""
    share = gold / (gold + regular)
    return not regular or (share >= STYLE_GOLD_SHARE and share > STYLE_GOLD_RATIO * overall)


class GoldTells(NamedTuple):
    """Gold passages that stand out from the push's regular ones: those whose task shows
    no provenance while a regular task shows one, and those whose id lacks ingest's
    ``p_`` prefix while every regular id has it (with the first such id), and those whose
    provenance line names a thread and author in a way (none where the regular ones name
    them, or written out where they show pseudonyms:
    :func:`annotate.studio.tasks.context_style`) of which gold makes a third or more and
    over twice its share of the push (:func:`_style_tells`; a way many regular tasks
    share, such as the comments' among a batch of articles and comments, is no tell)."""

    no_provenance: int
    unlike_ids: int
    example_id: str | None
    unlike_context: int = 0
    # gold doc_ids outside the regular ones' shared stem (shared_stem): how many, one, it
    unlike_doc_ids: int = 0
    example_doc_id: str | None = None
    doc_id_prefix: str = ""
    # gold dates outside the regular dates' range (or none where every regular has one):
    # how many, one, and the range (ISO days)
    unlike_dates: int = 0
    example_date: str | None = None
    date_range: tuple[str, str] | None = None

    def __bool__(self) -> bool:
        return bool(
            self.no_provenance
            or self.unlike_ids
            or self.unlike_context
            or self.unlike_doc_ids
            or self.unlike_dates
        )


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
    # the thread and author parts: a style in which gold is much more common than in the
    # push gives it away (a gold task without them among forum posts that all name
    # theirs); one that many regular tasks share does not, even when it is not the most
    # common (gold comments in a batch of more articles than comments)
    styles = Counter(context_style(t["data"].get("provenance")) for t in regular)
    gold_styles = Counter(context_style(t["data"].get("provenance")) for t in gold)
    overall = len(gold) / (len(gold) + len(regular))
    unlike_context = sum(
        n for style, n in gold_styles.items() if _style_tells(n, styles[style], overall)
    )
    # document ids: outside the stem every regular one shares
    regular_docs = {str(d) for t in regular if (d := t["data"].get("doc_id")) not in (None, "")}
    prefix = shared_stem(regular_docs) if len(regular_docs) >= MIN_DOCS else ""
    gold_docs = [str(d) for t in gold if (d := t["data"].get("doc_id")) not in (None, "")]
    odd_docs = [d for d in gold_docs if prefix and not d.startswith(prefix)]
    # dates: outside the regular dates' range, or none where every regular task has one
    regular_days = [day_of(t["data"].get("date")) for t in regular]
    known = [d for d in regular_days if d is not None]
    odd_days: list[str] = []
    span: tuple[str, str] | None = None
    if known:
        first, last = min(known), max(known)
        span = (first.isoformat(), last.isoformat())
        for t in gold:
            day = day_of(t["data"].get("date"))
            if day is None and len(known) == len(regular_days) and shown(t):
                # (a task showing no provenance at all is counted as such above)
                odd_days.append("(no date)")
            elif day is not None and not first <= day <= last:
                odd_days.append(day.isoformat())
    return GoldTells(
        no_prov,
        len(unlike),
        unlike[0] if unlike else None,
        unlike_context,
        unlike_doc_ids=len(odd_docs),
        example_doc_id=odd_docs[0] if odd_docs else None,
        doc_id_prefix=prefix if odd_docs else "",
        unlike_dates=len(odd_days),
        example_date=odd_days[0] if odd_days else None,
        date_range=span if odd_days else None,
    )


def shared_stem(ids: set[str]) -> str:
    """The part of :func:`shared_prefix` of ``ids`` that ends where each id's words do:
    after a separator (``article-``, ``t1_``) or between letters and the digits after them
    (``c`` of ``c001``); "" for none. The literal prefix reaches into the numbers
    (``c00`` of ``c001``..``c009``, ``1`` of ``100``..``199``) and into the letters of
    random ids (``t1_ab`` of ``t1_abc``, ``t1_abd``), so the next number (``c010``,
    ``250``) or another random id stood out (break13 finding 13)."""
    prefix = shared_prefix(ids)
    for end in range(len(prefix), 0, -1):
        if all(_word_end(i, end) for i in ids):
            return prefix[:end]
    return ""


def _word_end(text: str, end: int) -> bool:
    """Whether ``text[:end]`` ends a word of ``text``: after a separator, or between a
    letter and a digit (not at the end of ``text``: a whole id is no stem)."""
    if end >= len(text):
        return False
    before, after = text[end - 1], text[end]
    return not before.isalnum() or (before.isalpha() and after.isdigit())


def shared_prefix(texts: set[str]) -> str:
    """The longest prefix (in characters) all of ``texts`` start with; "" for none."""
    if not texts:
        return ""
    low, high = min(texts), max(texts)  # the sorted ends differ first where any two do
    n = next((i for i, (a, b) in enumerate(zip(low, high, strict=False)) if a != b), len(low))
    return low[:n]


def day_of(value: Any) -> date | None:
    """The day of a task's ``date`` (ingest writes ISO 8601: ``2026-11-13`` or
    ``2026-11-13T22:45:00``), None when it has none or it does not read as one."""
    text = str(value or "").strip()
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None
