"""How the review of an export was run, stated for an auditor (the manifest's
``review.mode``, the report's header).

A *review set* (``annotate push --reviewers-per-task K``) gives each reviewer a Label
Studio project of their own: a reviewer sees only their own answers, never another's
(blind review), and each passage goes to K of them. A plain project (or numbered projects
``NAME #2`` … for a large batch) is shared by every reviewer: its Data Manager (the task
list a project opens on) shows every reviewer's answers to every member, so the review is
not blind.

A review set stays blind only while no reviewer answers after ``NAME · adjudication``
shows their passage: every member of the Label Studio organization can open that project,
which lists each disputed passage's answers by pseudonym. ``adjudication_exposure``
(:func:`annotate.review.blindness.after_exposure`) says which answers were made or changed
after; the statement is then "blind until adjudication started", naming them.

One reviewer's queue of a review set exported alone (``--project "NAME · r-…"``) is
neither: kind :data:`QUEUE`, whose statement names the review set, the reviewer and K, and
says what such an export leaves out (the other reviewers' answers, the lead's decisions),
so the folder handed on says it, not only the terminal that made it (passD51 D1).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annotate.review.blindness import exposure_sentence, late_sentence

BLIND = "blind_review_set"
SHARED = "shared_project"
QUEUE = "single_queue_of_review_set"
# ``partial_of["part"]`` of an export of the lead's adjudication project read alone
# (``--project "NAME · adjudication"``); a reviewer's queue has no ``part``
ADJUDICATION_PART = "adjudication"


def review_mode(
    *,
    review_set: bool,
    reviewer_projects: int,
    reviewers_per_task: int | None,
    shared: int,
    exposure: Mapping[str, Any] | None = None,
    queue_of: Mapping[str, Any] | None = None,
    late: Mapping[str, Any] | None = None,
    other_queues: Mapping[str, Any] | None = None,
    written_by: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest's ``review.mode``: ``kind`` (:data:`BLIND`, :data:`SHARED` or
    :data:`QUEUE`, whose ``blind`` is None: the export does not describe the review),
    ``blind`` (a review set: False when an answer was made or changed after the
    adjudication project showed its passage), ``reviewers_per_task`` (K; None: not
    recorded), the number of reviewer projects (review sets) or shared projects, and
    ``statement`` (a sentence). ``exposure`` (review sets: :func:`annotate.review.
    blindness.after_exposure`) is kept as ``adjudication_exposure``. ``queue_of``
    (:attr:`annotate.review.collect.Collected.queue_of`): the project read is one
    reviewer's queue of that review set, kind :data:`QUEUE`, kept as ``partial_of``.
    ``late`` (:func:`annotate.review.blindness.late_changes` since adjudication started):
    the answers made or changed after the round closed, on any passage, named in the
    statement (the rule of ``adjudication_exposure`` counts only passages it showed).
    ``other_queues`` (the manifest's ``review.answers_in_other_queues``): answers made in
    a reviewer's queue by another account, not given blind by its reviewer: the review
    set is then stated not blind (``blind`` False), naming them. ``written_by`` (the
    manifest's ``review.answers_written_by_another_account``): answers last written by
    another account than the one credited; stated, and ``blind`` False (passM55 #1, #3)."""
    if queue_of:
        return _queue_mode(queue_of)
    if review_set:
        k = (
            f"each passage was given to {reviewers_per_task} reviewers"
            if reviewers_per_task
            else "the number of reviewers per passage was not recorded at push"
        )
        own = (
            "every reviewer answered in a Label Studio project of their own "
            f"({reviewer_projects} reviewer project{'' if reviewer_projects == 1 else 's'})"
        )
        # what holds on Label Studio Community (docs/review.md "Limits"): no queue holds another's
        # answers, but nothing stops a member from opening a colleague's queue (passD51 D7)
        limits = (
            " Label Studio Community lets any member who opens a colleague's queue read it; "
            "annotate cannot prevent or detect that (only answers made there, which export "
            "names)."
        )
        started = (exposure or {}).get("adjudication_started_at")
        after = int((exposure or {}).get("answers_after_exposure") or 0)
        if not started:
            statement = (
                f"Blind review: {own}, so no reviewer was shown another reviewer's answers in "
                f"their own queue; {k}."
            )
        elif not after:
            statement = (
                f"Blind review throughout: {own}, and no answer was made or changed after the "
                f"adjudication project (from {started}), which shows each disputed passage's "
                "answers to every member of the Label Studio organization, showed its "
                f"passage; {k}."
            )
        else:
            statement = (
                f"Blind until adjudication started at {started}: {own}, but the adjudication "
                "project shows each disputed passage's answers to every member of the Label "
                f"Studio organization, and {after} answer{'' if after == 1 else 's'} "
                f"{'was' if after == 1 else 'were'} made or changed after its passage "
                f"appeared there ({exposure_sentence(exposure or {})}), so "
                f"{'it' if after == 1 else 'they'} could have been influenced by another "
                f"reviewer's answers; {k}."
            )
        if said := late_sentence(
            late, f"adjudication started at {late.get('since')}" if late else ""
        ):
            statement += f" {said[0].upper()}{said[1:]}."
        statement += limits
        astray = int((other_queues or {}).get("answers") or 0)
        rewritten = int((written_by or {}).get("answers") or 0) + int(
            (written_by or {}).get("lead_answers") or 0
        )
        statement = integrity_sentences(other_queues, written_by) + statement
        return {
            "kind": BLIND,
            "blind": not after and not astray and not rewritten,
            "reviewers_per_task": reviewers_per_task,
            "reviewer_projects": reviewer_projects,
            "statement": statement,
            # answers made or changed after the adjudication project showed their passage
            "adjudication_exposure": None if exposure is None else dict(exposure),
        }
    where = "one Label Studio project" if shared <= 1 else f"{shared} Label Studio projects"
    statement = (
        f"Not blind: every reviewer answered in {where} shared by all reviewers, whose "
        "task list in Label Studio shows every reviewer's answers to every member; the "
        "number of reviewers per passage was not fixed."
    )
    if said := late_sentence(late, f"adjudication started at {late.get('since')}" if late else ""):
        statement += f" {said[0].upper()}{said[1:]}."
    statement = integrity_sentences(None, written_by) + statement
    return {
        "kind": SHARED,
        "blind": False,
        "reviewers_per_task": None,
        "shared_projects": shared,
        "statement": statement,
    }


def integrity_sentences(
    other_queues: Mapping[str, Any] | None, written_by: Mapping[str, Any] | None
) -> str:
    """The sentences put first in ``review.mode``'s statement when answers were not
    given as the review states: made in a reviewer's queue by another account
    (``other_queues``), or last written by another account than the one credited
    (``written_by``); "" when neither (passM55 #1, #3)."""
    out = ""
    astray = int((other_queues or {}).get("answers") or 0)
    if astray:
        by = ", ".join(f"{who}: {n}" for who, n in ((other_queues or {}).get("by") or {}).items())
        queues = int((other_queues or {}).get("queues") or 0)
        out += (
            f"Not blind as run: {astray} answer{'' if astray == 1 else 's'} in {queues} "
            f"reviewer queue{'' if queues == 1 else 's'} {'was' if astray == 1 else 'were'} "
            f"made by another account than the queue's reviewer ({by}), who could have "
            "seen that reviewer's other work; a passage answered twice by one account "
            "counts that account once, so it has fewer distinct reviewers than asked for "
            "(manifest.json review.answers_in_other_queues). "
        )
    rewritten = int((written_by or {}).get("answers") or 0)
    lead = int((written_by or {}).get("lead_answers") or 0)
    if rewritten or lead:
        by = ", ".join(f"{who}: {n}" for who, n in ((written_by or {}).get("by") or {}).items())
        parts = []
        if rewritten:
            parts.append(
                f"{rewritten} reviewer answer{'' if rewritten == 1 else 's'} on "
                f"{(written_by or {}).get('passages')} passage(s)"
            )
        if lead:
            parts.append(f"{lead} lead answer{'' if lead == 1 else 's'} in adjudication")
        one = rewritten + lead == 1
        out += (
            f"Not the credited reviewers' own: {' and '.join(parts)} "
            f"{'was' if one else 'were'} last written by another account than the one "
            f"credited ({by}; Label Studio's updated_by: changed by that account, or made "
            "through the API in the reviewer's name), so they may not be what the reviewer "
            "answered (each row annotation's written_by; manifest.json "
            "review.answers_written_by_another_account). "
            + (
                "They vote, but the agreement figures leave the reviewer answers out "
                "(agreement.json answers_written_by_another_account). "
                if rewritten
                else ""
            )
        )
    return out


def _queue_mode(queue_of: Mapping[str, Any]) -> dict[str, Any]:
    """``review.mode`` of an export that read one reviewer's queue of a review set."""
    name = str(queue_of.get("review_set"))
    k = queue_of.get("reviewers_per_task")
    if queue_of.get("part") == ADJUDICATION_PART:
        return {
            "kind": QUEUE,
            "blind": None,
            "reviewers_per_task": k,
            "partial_of": dict(queue_of),
            "statement": (
                f"Only part of the review: this export read the lead's adjudication project "
                f"of the review set '{name}' alone ('{name} · adjudication'), so each row "
                "holds the lead's decision as if one reviewer had given it (resolution "
                "'single'); the reviewers' answers, the passages they agreed on and their "
                f"agreement are not in it. Export --project '{name}' for the review as it "
                "was run, with the lead's decisions."
            ),
        }
    who = queue_of.get("reviewer")
    per = (
        f"each passage given to {k} reviewers"
        if k
        else "the number of reviewers per passage not recorded at push"
    )
    reviewer = f"reviewer {who}'s" if who else "one reviewer's"
    return {
        "kind": QUEUE,
        # the queue itself was its reviewer's own project; the review as a whole is not
        # described by this export (its other queues and the adjudication were not read)
        "blind": None,
        "reviewers_per_task": k,
        "partial_of": dict(queue_of),
        "statement": (
            f"Only part of the review: this export read {reviewer} queue alone, one of the "
            f"Label Studio projects of the blind review set '{name}' ({per}). The other "
            "reviewers' answers and the lead's decisions are not in it, so every row holds "
            "this one reviewer's answer (resolution 'single') and no agreement between "
            f"reviewers is measured; export --project '{name}' for the review as it was run."
        ),
    }
