"""What push and `review status` print of the graphic passages a push held back from
every queue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotate.cli.app import counted

if TYPE_CHECKING:
    from annotate.review.held_back import HeldBack, Pruned


def held_graphic_note(
    held: Mapping[str, int], max_graphic: int | None, own_caps: Mapping[str, int] | None = None
) -> str:
    """The push's note on the graphic passages ``--max-graphic-per-reviewer`` held back
    (``held``: passage id -> reviewer tasks not made for it), and the reviewers' own caps
    (``own_caps``: e-mail -> labels.yaml ``wellbeing.reviewers.EMAIL.max_graphic``, where
    stricter). With a cap of 0 no queue ever has room, so answering some does not let a
    re-push queue them."""
    own = ", ".join(f"{e} {c}" for e, c in sorted((own_caps or {}).items()))
    by = " and ".join(
        [
            *([f"--max-graphic-per-reviewer {max_graphic}"] if max_graphic is not None else []),
            *([f"the reviewers' own max_graphic in labels.yaml ({own})"] if own else []),
        ]
    )
    head = (
        f"note: {len(held)} graphic passage(s) held back "
        f"({sum(held.values())} reviewer task(s) not made) by {by}"
    )
    if max_graphic == 0:
        return (
            f"{head} (no queue takes a graphic passage): push the same pre-labels again "
            "with a cap above 0, or without the option, when reviewers may read them "
            "(nothing already queued is added twice)."
        )
    zero = sorted(e for e, c in (own_caps or {}).items() if c == 0)
    if zero and max_graphic is None and len(zero) == len(own_caps or {}):
        return f"{head} (no queue takes a graphic passage): {own_cap_zero_fix(zero)}."
    most = (
        "a queue holds at most its cap of open graphic passages"
        if own
        else f"a queue holds at most {max_graphic} open graphic passage(s)"
    )
    never = f"; {own_cap_zero_fix(zero)}" if zero else ""
    return (
        f"{head} ({most}, the riskiest first): push the same pre-labels again once "
        f"reviewers have answered some (nothing already queued is added twice){never}."
    )


def own_cap_zero_fix(zero: list[str]) -> str:
    """The advice for reviewers whose own cap is 0: answering tasks never gives their
    queue room (reader 62 finding 9: the note said "push again once reviewers have
    answered some")."""
    return (
        f"{', '.join(zero)} (own max_graphic 0 in labels.yaml) never take(s) a graphic "
        "passage however many tasks are answered: raise that max_graphic in labels.yaml "
        "wellbeing.reviewers when they may read them, or push to a set with other reviewers, "
        "then push the same pre-labels again"
    )


def held_back_lines(server: str, project: str, queued: frozenset[str]) -> list[str]:
    """Review status's lines on the graphic passages a push held back from every queue
    of ``project`` on the Label Studio at ``server`` (``queued``: the passages the queues
    hold): how many, why, and the push that queues
    them (:mod:`annotate.review.held_back`; pushes made on this machine)."""
    import shlex

    from annotate.review.held_back import held_back

    lines = []
    for rec in held_back(server, project, queued):
        push = (
            f"annotate push {shlex.quote(rec.prelabels)} --project {shlex.quote(project)} "
            f"-k {rec.k}"
        )
        if rec.own_caps and rec.set_cap is None:
            lines.append(_own_caps_line(rec, push))
            continue
        if rec.max_graphic == 0:
            why = "a cap of 0 queues none"
            release = (
                "to queue them when reviewers may read them, push the same pre-labels again "
                f"with a cap above 0 (or without it): {push} --max-graphic-per-reviewer N"
            )
        else:
            why = f"every queue held {rec.max_graphic} open graphic passage(s)"
            release = (
                "they are queued by the same push once reviewers have answered some: "
                f"{push} --max-graphic-per-reviewer {rec.max_graphic}"
            )
        moved = (
            ""
            if Path(rec.prelabels).is_file()
            else f". The pre-labels file is no longer at {rec.prelabels}: push it from where "
            "it is now (the passages are known by id)"
        )
        lines.append(
            f"{len(rec.passages)} graphic passage(s) in no queue: held back by push "
            f"--max-graphic-per-reviewer {rec.max_graphic} ({why}; e.g. "
            f"{rec.passages[0]!r}); {release} (with the same --reviewer options, if any; "
            f"nothing queued is added twice){moved}"
        )
    return lines


def _own_caps_line(rec: HeldBack, push: str) -> str:
    """Review status's line on passages held back by the reviewers' own caps alone
    (labels.yaml ``wellbeing.reviewers``; no --max-graphic-per-reviewer)."""
    own = ", ".join(f"{e} {c}" for e, c in sorted(rec.own_caps.items()))
    zero = sorted(e for e, c in rec.own_caps.items() if c == 0)
    release = (
        own_cap_zero_fix(zero)
        if len(zero) == len(rec.own_caps)
        else f"they are queued by the same push once reviewers have answered some: {push}"
    )
    return (
        f"{len(rec.passages)} graphic passage(s) in no queue: held back by the reviewers' own "
        f"max_graphic in labels.yaml ({own}; e.g. {rec.passages[0]!r}); {release} (with the "
        "same --reviewer options, if any; nothing queued is added twice)"
    )


def pruned_line(pruned: Pruned) -> str:
    """Review status's note on the held-back entries it pruned (:func:`annotate.review.
    held_back.prune_held`)."""
    files = f", the record of {counted(len(pruned.files), 'file')} with it" if pruned.files else ""
    return (
        f"note: {pruned.entries} held-back record entr(ies) pruned: passages a queue holds now "
        f"(e.g. {pruned.passages[0]!r}), queued since by a push (of another file, or from "
        "another machine), or held back from some queues only (an older annotate recorded "
        f"those too){files}; record "
        f"{pruned.path}"
    )


def held_back_dicts(server: str, project: str, queued: frozenset[str]) -> list[dict[str, Any]]:
    """The held-back records :func:`held_back_lines` tells of, as the JSON status lists
    them (each file's passages that no queue holds)."""
    from annotate.review.held_back import held_back

    return [asdict(rec) for rec in held_back(server, project, queued)]
