"""Reviewer answers last written by another account than the reviewer they are credited
to, left out of inter-reviewer agreement.

Export keeps such an answer credited to its reviewer, as Label Studio records it, and it
votes; its annotation's ``written_by`` names the account that last wrote it (Label
Studio's ``updated_by``: the admin or a lead changed it, or made it through the API in
the reviewer's name; None: the reviewer's own). Agreement measures how far reviewers'
independent judgements agree: an answer another account wrote is not the reviewer's
judgement (and an admin who rewrote two reviewers' answers alike made "agreement" out of
nothing), so :func:`own_answers` takes it out of the figures and records how many, as
:func:`annotate.review.blindness.blind_answers` does for answers that were not blind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

RULE = (
    "a reviewer's answer last written by another account than the reviewer it is "
    "credited to (its written_by: Label Studio's updated_by; the admin or a lead changed "
    "it, or made it through the API in the reviewer's name)"
)


def own_answers(
    rows: Sequence[Mapping[str, Any]],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """``rows`` (corpus rows: ``id``, ``annotations`` with ``reviewer`` and ``written_by``)
    with only the answers their credited reviewer last wrote; the rows' resolved labels
    stay (the vote is export's, not this).

    Returns the rows (copies) and what was left out: ``{"rule", "answers" (count),
    "passages" (ids with an answer taken out, sorted), "passages_without_two_own_answers"
    (those of them answered by two reviewers or more that now have fewer, so out of every
    pairwise figure), "by_reviewer" ({pseudonym credited: answers}), "by_writer"
    ({pseudonym of the account that wrote them: answers})}``. Rows of an export made
    before annotations carried ``written_by`` have nothing to leave out."""
    out: list[dict[str, Any]] = []
    dropped: list[tuple[str, str, str]] = []
    fewer: list[str] = []
    for row in rows:
        answers = list(row.get("annotations") or [])
        kept = [a for a in answers if not a.get("written_by")]
        if len(kept) == len(answers):
            out.append(dict(row))
            continue
        pid = str(row["id"])
        dropped += [
            (pid, str(a.get("reviewer")), str(a["written_by"]))
            for a in answers
            if a.get("written_by")
        ]
        if len(answers) >= 2 > len(kept):
            fewer.append(pid)
        out.append({**row, "annotations": kept})
    by_reviewer: dict[str, int] = {}
    by_writer: dict[str, int] = {}
    for _, reviewer, writer in sorted(dropped):
        by_reviewer[reviewer] = by_reviewer.get(reviewer, 0) + 1
        by_writer[writer] = by_writer.get(writer, 0) + 1
    return out, {
        "rule": f"left out: {RULE}",
        "answers": len(dropped),
        "passages": sorted({p for p, _, _ in dropped}),
        "passages_without_two_own_answers": sorted(fewer),
        "by_reviewer": dict(sorted(by_reviewer.items())),
        "by_writer": dict(sorted(by_writer.items())),
    }


def left_out_sentence(entry: Mapping[str, Any] | None, figures: str = "these figures") -> str:
    """The answers :func:`own_answers` left out of the agreement figures, in words (""
    when none): how many, who wrote them, on which passages (the first 5), and how many
    passages that leaves without two answers by their own reviewers (``figures``: what
    they are left out of)."""
    if not entry or not entry.get("answers"):
        return ""
    n, passages = int(entry["answers"]), list(entry.get("passages") or [])
    shown = ", ".join(passages[:5]) + (
        f" and {len(passages) - 5} more" if len(passages) > 5 else ""
    )
    writers = ", ".join(f"{who}: {k}" for who, k in (entry.get("by_writer") or {}).items())
    sentence = (
        f"{n} answer{'' if n == 1 else 's'} last written by another account than the "
        f"reviewer credited ({writers}; on {shown}) {'is' if n == 1 else 'are'} left out of "
        f"{figures}: not that reviewer's own judgement"
    )
    fewer = len(entry.get("passages_without_two_own_answers") or [])
    if fewer:
        sentence += (
            f"; {fewer} passage{'' if fewer == 1 else 's'} no longer "
            f"{'has' if fewer == 1 else 'have'} two reviewers' own answers and "
            f"{'is' if fewer == 1 else 'are'} out of them"
        )
    return sentence + " (each row annotation's written_by)."
