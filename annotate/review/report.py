"""The review reports every export writes: agreement.json (with gold accuracy) and
exposure.json, plus the summary that goes into the manifest."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from annotate._util.progress import ProgressFn
from annotate.review.agreement import agreement
from annotate.review.blindness import blind_answers
from annotate.review.exposure import exposure
from annotate.review.gold import gold_accuracy
from annotate.review.own_answers import own_answers
from annotate.review.view import hiding_rule
from annotate.taxonomy import Taxonomy


def check_min_accuracy(value: float | None) -> None:
    """``--gold-min-accuracy`` is a share in [0, 1]; InputError otherwise (``80`` for 80 %
    would flag every reviewer, even one with every gold answer right)."""
    if value is None or 0.0 <= value <= 1.0:
        return
    from annotate.errors import InputError

    raise InputError(
        f"--gold-min-accuracy is {share_found(value)}.",
        fix="e.g. --gold-min-accuracy 0.8 to flag reviewers below 80 % on gold tasks.",
    )


def check_gold_severity(severity_too: bool, min_accuracy: float | None) -> None:
    """``--gold-severity`` says what ``--gold-min-accuracy`` checks: InputError without it
    (nothing would be flagged, and the lead would believe severity was checked)."""
    if severity_too and min_accuracy is None:
        from annotate.errors import InputError

        raise InputError(
            "--gold-severity was given without --gold-min-accuracy: it makes the minimum "
            "accuracy count severity too, and without a minimum no reviewer is checked.",
            fix="pass --gold-min-accuracy A too (e.g. --gold-min-accuracy 0.8 --gold-severity).",
        )


def share_found(value: float) -> str:
    """``a share between 0 and 1, found 80 (for 80 % pass 0.8)``: what a minimum accuracy
    outside [0, 1] should have been, naming the share meant when it reads as a percentage."""
    hint = f" (for {value:g} % pass {value / 100:g})" if 1 < value <= 100 else ""
    return f"a share between 0 and 1, found {value:g}{hint}"


def review_reports(
    rows: Sequence[dict[str, Any]],
    gold_rows: Sequence[dict[str, Any]],
    tax: Taxonomy,
    *,
    min_accuracy: float | None = None,
    gold_severity: bool = False,
    progress: ProgressFn | None = None,
    adjudications: Sequence[dict[str, Any]] = (),
    gold_also_regular: Sequence[str] = (),
    awaiting_lead: Sequence[str] = (),
    no_longer_disputed: Sequence[str] = (),
    skipped: dict[str, int] | None = None,
    reviewers_per_task: int | None = None,
    adjudicated_moot: Sequence[str] = (),
    late_answers: dict[str, Any] | None = None,
    agreed_only_after_shown: Sequence[str] = (),
    changed_answers_accepted: bool = False,
    late_lead_queue: dict[str, list[str]] | None = None,
    graphic_hidden_by: Mapping[int, str | None] | None = None,
    not_offered: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, dict[str, Any]]:
    """``{"agreement.json": ..., "exposure.json": ..., "manifest": ...}`` (JSON-ready).

    ``progress`` counts the agreement's bootstrap resamples
    (:func:`annotate.review.agreement.agreement`); ``adjudications`` (the lead's answers,
    :attr:`annotate.review.collect.Collected.adjudications`) count in the exposure;
    ``gold_also_regular``: gold passages that came in regular pre-labels too (counted in
    the manifest); ``awaiting_lead`` (passages sent to the lead, not yet decided),
    ``no_longer_disputed`` (sent to the lead, not decided, and no longer disputed by the
    reviewers: their vote decides) and ``skipped`` (reviewers' skips,
    :func:`annotate.review.collect.task_states`) too; ``reviewers_per_task``: the review
    set's K (recorded by its push), stated in the manifest with the passages answered by
    fewer reviewers; ``adjudicated_moot``: passages a lead decided that the reviewers no
    longer dispute (counted); ``late_answers``: the answers made or changed after the
    adjudication project showed their passage (:func:`annotate.review.blindness.
    after_exposure`; None: not a review set), which the agreement figures leave out
    (:func:`annotate.review.blindness.blind_answers`; agreement.json's
    ``answers_after_adjudication`` says how many, and which passages); so do the answers
    last written by another account than their reviewer (annotations' ``written_by``;
    :func:`annotate.review.own_answers.own_answers`; agreement.json's
    ``answers_written_by_another_account``);
    ``agreed_only_after_shown``: passages sent to the lead, not decided, whose dispute
    ended only through such an answer (in ``awaiting_lead``, or in ``no_longer_disputed``
    when ``changed_answers_accepted``: the export's ``--accept-changed-answers``);
    ``late_lead_queue``: ``{"taken_out": [...], "kept": [...]}``, those of them the last
    ``annotate adjudicate`` took out of the lead's queue or kept there.
    ``not_offered``: labels.yaml version of answers -> categories its labeling config
    lacked (the manifest's ``labels_not_offered``): those answers' forced "no" is left out
    of the category's agreement figures (:func:`annotate.review.agreement.agreement`).

    Raises InputError when ``min_accuracy`` is not in [0, 1].
    """
    check_min_accuracy(min_accuracy)
    # independent answers only: not those made or changed once others' were on show, nor
    # those another account than the credited reviewer last wrote (s56 left #1)
    blind, left_out = blind_answers(rows, late_answers)
    own, not_own = own_answers(blind)
    report = agreement(
        own,
        tax.category_names,
        tax.severity_names,
        progress=progress,
        span_labels=tax.span_names,
        no_harm_severity=tax.no_harm_severity,
        not_offered=not_offered,
    )
    # None: no record (a plain project, whose answers every member sees anyway)
    report["answers_after_adjudication"] = left_out
    # answers written by another account than their reviewer (annotations' written_by)
    report["answers_written_by_another_account"] = not_own
    gold = gold_accuracy(
        gold_rows,
        tax.category_names,
        min_accuracy=min_accuracy,
        severity_too=gold_severity,
        not_offered=not_offered,
    )
    flagged = sorted(name for name, g in gold["reviewers"].items() if g["flagged"])
    # reviewers of the corpus with no answered gold passage: no accuracy, never flagged
    gold["reviewers_without_gold"] = sorted(
        set(report["reviewer_vs_consensus"]) - set(gold["reviewers"])
    )
    for name, entry in report["reviewer_vs_consensus"].items():
        entry["flagged"] = name in flagged
    report["gold"] = gold
    report["flagged_reviewers"] = flagged
    waiting = set(awaiting_lead)
    return {
        "agreement.json": report,
        # graphic as the answers' tasks record it (what reviewers were shown), the rule
        # of labels.yaml only for tasks pushed before that record
        "exposure.json": exposure(
            [*rows, *gold_rows],
            tax.severity_names,
            adjudications,
            rule=hiding_rule(tax),
            recorded=graphic_hidden_by,
        ),
        "manifest": {
            "resolutions": dict(sorted(Counter(r.get("resolution") for r in rows).items())),
            "gold_passages": len(gold_rows),
            # passages of the regular data kept out of the corpus because they are gold tasks
            "gold_passages_also_regular": len(gold_also_regular),
            "awaiting_adjudication": len(awaiting_lead),
            # of those, the ties (label_tie) by what the reviewers split on evenly
            "awaiting_adjudication_ties": awaiting_ties(rows, waiting, not_offered),
            # sent to the lead, not decided, and the reviewers no longer dispute it (one
            # changed an answer): the reviewers' vote decides, the lead's task is moot
            "adjudication_no_longer_needed": len(no_longer_disputed),
            # of those two: passages whose dispute ended only through an answer made or
            # changed after the adjudication project showed them (not blind); they wait
            # for the lead unless changed answers were accepted (then their vote decides)
            "agreed_only_after_shown": sorted(agreed_only_after_shown),
            "changed_answers_accepted": changed_answers_accepted,
            # of those, as the last `annotate adjudicate` left the lead's tasks: taken out
            # of the queue (it ran with --accept-changed-answers) or kept there (without)
            "agreed_only_after_shown_lead_queue": dict(
                late_lead_queue or {"taken_out": [], "kept": []}
            ),
            # decided by the lead, and the reviewers no longer dispute it (one changed an
            # answer since): the lead's answer still decides
            "adjudicated_no_longer_disputed": len(adjudicated_moot),
            # ties (no majority: a lead must decide) not in an adjudication project yet
            "ties_not_sent_to_adjudication": sum(
                r.get("resolution") == "tie" and r.get("id") not in waiting for r in rows
            ),
            "skipped_by_reviewers": dict(skipped or {"tasks": 0, "skips": 0}),
            # K of `push --reviewers-per-task` (None: no review set, or pushed before K was
            # recorded). The passages short of K are counted once, by their queues' own
            # reviewers' answers, with why: review.passages_short_of_own_reviewers (export
            # writes it). The count of any account's answers that stood beside it
            # (passages_short_of_reviewers) is no longer written: an answer by another
            # account made it up, so the two disagreed with nothing saying why (s56 left
            # #2); reviewers_per_passage still counts every answer
            "reviewers_per_task": reviewers_per_task,
            "gold_min_accuracy": min_accuracy,
            # --gold-severity: the flag counts severity accuracy on gold too
            "gold_flag_checks_severity": gold_severity,
            "flagged_reviewers": flagged,
            "reviewers_without_gold": gold["reviewers_without_gold"],
            "adjudicated_by_own_reviewer": adjudicated_by_own_reviewer(rows),
        },
    }


def awaiting_ties(
    rows: Sequence[Mapping[str, Any]],
    waiting: set[str],
    not_offered: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, int]:
    """The passages of ``rows`` waiting for the lead (ids in ``waiting``) whose vote is a
    tie (``label_tie``), by what the reviewers split on evenly: ``categories`` (some
    categories tied: the row's labels leave them out), of them ``no_categories`` (none
    left), and ``severity_only`` (the categories agreed, the severity tied: the row's is
    the highest tied level). Export's note said every tie was one "on categories ... no
    categories", a severity-only tie too (passH53 H3)."""
    from annotate.corpus.resolve import tied_categories

    found = {"categories": 0, "no_categories": 0, "severity_only": 0}
    for row in rows:
        if row.get("id") not in waiting or not row.get("label_tie"):
            continue
        if tied_categories(row, not_offered) or not row.get("labels"):
            found["categories"] += 1
            found["no_categories"] += not row.get("labels")
        else:
            found["severity_only"] += 1
    return found


def adjudicated_by_own_reviewer(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Passages a lead decided (resolution ``adjudicated``) whose reviewers' answers
    include the lead's own (the same pseudonym: an account that got a queue, a push
    without ``--reviewer`` gives every account one, and then adjudicated): the lead's
    answer was one side of the dispute it settled. ``{"passages": N, "ids": [...]}`` (the
    first 100 ids, sorted) and ``by`` (lead pseudonym -> passages)."""
    own: list[str] = []
    by: Counter[str] = Counter()
    for r in rows:
        lead = r.get("adjudicator")
        if r.get("resolution") != "adjudicated" or not lead:
            continue
        if lead in {a.get("reviewer") for a in r.get("annotations") or []}:
            own.append(str(r.get("id")))
            by[str(lead)] += 1
    return {"passages": len(own), "ids": sorted(own)[:100], "by": dict(sorted(by.items()))}


def adjudicated_by_account(rows: Sequence[dict[str, Any]], account: str | None) -> dict[str, Any]:
    """Passages decided in adjudication (resolution ``adjudicated``) by the account of
    pseudonym ``account``: the admin account annotate works with (the one whose token it
    uses: the login `annotate studio start` prints), shared by whoever holds the token, so
    its decisions name no person. ``{"account": pseudonym, "passages": N, "ids": [...]}``
    (the first 100 ids, sorted); ``account`` None (not known): none."""
    ids = sorted(
        str(r.get("id"))
        for r in rows
        if account is not None
        and r.get("resolution") == "adjudicated"
        and r.get("adjudicator") == account
    )
    return {"account": account, "passages": len(ids), "ids": ids[:100]}
