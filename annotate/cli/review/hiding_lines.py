"""What a push says of the wellbeing rule it applied to tasks already queued
(:class:`annotate.review.rehide.HidingRefresh`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotate.review.rehide import HidingRefresh


def hiding_lines(h: HidingRefresh) -> list[str]:
    """The lines of a push that brought queued tasks up to labels.yaml ``wellbeing``
    (none when it changed nothing and found no answered task the rule treats otherwise)."""
    if not h:
        return []
    lines = []
    if h.updated:
        parts = []
        for count, kind, what in (
            (h.hidden, "hidden", "now hidden behind a content warning"),
            (h.shown, "shown", "now shown at once"),
            (h.reason, "reason", "hidden with another warning"),
            (h.context, "context", "with a neighbour's context hidden or shown"),
        ):
            if count:
                seen = h.examples.get(kind) or []
                parts.append(f"{count} {what}" + (f" (e.g. {', '.join(seen)})" if seen else ""))
        lines.append(
            f"wellbeing: labels.yaml's hiding rule applied to {h.updated} open task(s) already "
            f"queued: {'; '.join(parts)}. A reviewer who has one open in the browser now sees "
            "the change when it is opened again."
        )
    if h.answered_kept:
        lines.append(
            f"wellbeing: {h.answered_kept} answered or skipped task(s) would be hidden or "
            "shown otherwise under the rule now: kept as their reviewer saw them (their "
            "graphic_hidden_by records it, and exposure counts from it)."
        )
    if h.drafted_kept:
        lines.append(
            f"wellbeing: {h.drafted_kept} open task(s) holding a reviewer's draft would be "
            "hidden or shown otherwise under the rule now: kept as their reviewer opened them "
            "(the answer submitted from the draft is counted by that view)."
        )
    return lines
