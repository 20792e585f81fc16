"""One reviewer's stricter hiding rule (labels.yaml ``wellbeing.reviewers``), applied to
that reviewer's queue.

A part-time reviewer who must see less graphic text gets a lower
``hide_graphic_score`` than the set's: the passages of their queue scored between the
two open behind the content warning for them only. A review push applies it to the tasks
it adds to that queue (:func:`for_reviewer`, before they are sent: no reviewer ever
sees them open) and to the open tasks already there (:func:`annotate.review.rehide.
refresh_hiding`'s ``tax_of``); ``annotate review reassign`` to the tasks it moves into
that reviewer's queue. The task's ``graphic_hidden_by`` records why, ending with
:data:`annotate.review.view.OWN_RULE_NOTE`; the blind warning names no score
(:func:`annotate.review.view.warning_reasons`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from annotate.errors import InputError
from annotate.review.rehide import plan, prediction_result
from annotate.review.reviewers import did_you_mean
from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)


def reviewer_taxonomy(tax: Taxonomy, email: str) -> Taxonomy:
    """``tax`` with ``email``'s own ``hide_graphic_score`` in its wellbeing rule (a copy
    whose score reasons name the rule), or ``tax`` itself when labels.yaml gives that
    reviewer none."""
    wellbeing = tax.wellbeing.of_reviewer(email)
    return tax if wellbeing is tax.wellbeing else tax.model_copy(update={"wellbeing": wellbeing})


def check_reviewers(tax: Taxonomy, accounts: Iterable[str], where: str = "labels.yaml") -> None:
    """Raise InputError when ``wellbeing.reviewers`` names an e-mail no account of the
    server has (``accounts``: the organization's e-mails): a typo would leave that
    reviewer under the set-wide rule without a word."""
    known = {a.lower(): a for a in accounts}
    for email in tax.wellbeing.reviewers:
        if email.lower() not in known:
            hint = did_you_mean(email, sorted(known.values()))
            raise InputError(
                f"{where} wellbeing.reviewers names {email!r}, which is no reviewer account "
                f"on this Label Studio server: {_applies_to_nobody(tax, email)}.",
                fix=f"{hint}write the e-mail as `annotate reviewers list` shows it, or add the "
                f"account with `annotate reviewers add {email}`. Nothing was pushed.",
            )


def _applies_to_nobody(tax: Taxonomy, email: str) -> str:
    """What of ``email``'s entry would apply to nobody: their hiding rule, their own
    graphic cap, or both (reader 62 finding 12: a max_graphic-only entry was said to
    be a hiding rule)."""
    own = tax.wellbeing.reviewers[email]
    parts = [
        *(["their stricter hiding rule"] if own.hide_graphic_score is not None else []),
        *(
            [f"their own graphic cap (max_graphic {own.max_graphic})"]
            if own.max_graphic is not None
            else []
        ),
    ]
    return f"{' and '.join(parts) or 'their entry'} would apply to nobody"


def for_reviewer(
    batch: Sequence[dict[str, Any]], every: Iterable[Mapping[str, Any]], tax: Taxonomy
) -> tuple[list[dict[str, Any]], int]:
    """The tasks of ``batch`` (to push to one reviewer: ``{"data", "predictions"}``) under
    that reviewer's rule (``tax``: :func:`reviewer_taxonomy`): warning, preview,
    ``graphic_hidden_by``, the neighbours' context (from ``every``: the tasks of the
    push, so a neighbour hidden for this reviewer shows its note, not its text) and the
    reveal tick; and how many it hides that the set-wide rule shows."""
    if not tax.wellbeing.for_reviewer:
        return list(batch), 0
    items = [{"id": i, "data": t["data"], "open": True} for i, t in enumerate(every)]
    todo, _ = plan(items, tax, blind=True)
    wanted = {id(items[int(t["id"])]["data"]): (new, change) for t, new, change in todo}
    out: list[dict[str, Any]] = []
    hidden = 0
    for task in batch:
        found = wanted.get(id(task["data"]))
        if found is None:
            out.append(task)
            continue
        new, change = found
        hidden += change == "hidden"
        preds = [
            {**p, "result": prediction_result(p.get("result") or [], change == "hidden", tax)}
            if change in ("hidden", "shown")
            else p
            for p in task.get("predictions") or []
        ]
        if task.get("predictions") is None:  # none to send: none made
            out.append({**task, "data": new})
        else:
            out.append({**task, "data": new, "predictions": preds})
    if hidden:
        log.info(
            "%d passage(s) hidden for %s by their own wellbeing rule (score >= %g)",
            hidden,
            tax.wellbeing.for_reviewer,
            tax.wellbeing.hide_graphic_score,
        )
    return out, hidden
