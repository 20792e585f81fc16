"""Inter-reviewer agreement over exported rows: Krippendorff's alpha, Cohen's kappa.

Input: corpus rows (see :mod:`annotate.corpus.export`), each with ``annotations`` (one per
reviewer: ``reviewer`` pseudonym, ``categories`` list, ``severity`` name or "") and the
resolved ``labels``. Only passages answered by two reviewers or more are *pairable*
and enter the figures. Every figure carries the number of items behind it.

- alpha per category: nominal, a reviewer's value is 1 if they chose the category, else
  0 (``krippendorff.alpha``); an answer that chose no category at all (a skipped or empty
  category question: Label Studio's API and imports accept one) abstains, as in
  export's vote (:mod:`annotate.corpus.resolve`, resolution ``incomplete``): it is
  missing in the category figures (alpha, kappa, agreement with consensus), not a "no"
  to every category, and ``answers_without_category`` counts it; its severity counts.
  For severity: ordinal over the taxonomy's levels (an empty severity is missing).
  95 % confidence intervals are percentile bootstraps over passages (``resamples``
  draws with replacement, fixed ``seed``; passages in id order, so the same rows in any
  order give the same interval).
- pairwise Cohen's kappa (``sklearn.metrics.cohen_kappa_score``) per category and for
  severity (unweighted), over the passages both reviewers answered.
- evidence spans: pairwise F1 between the reviewers of a passage, per span label and
  overall, exact and overlap match (:mod:`annotate.review.span_agreement`; kappa is
  ill-defined for spans, Hripcsak & Rothschild 2005).
- answers made or changed after the adjudication project showed their passage's answers
  are not blind; :func:`annotate.review.report.review_reports` leaves them out before
  calling :func:`agreement` (:func:`annotate.review.blindness.blind_answers`) and records
  how many in the report's ``answers_after_adjudication``, which :func:`summary_lines`
  states beside the figures. So are answers last written by another account than the
  reviewer credited (annotations' ``written_by``: not that reviewer's own judgement;
  :func:`annotate.review.own_answers.own_answers`, the report's
  ``answers_written_by_another_account``).
- each reviewer's agreement with the consensus: the share of their pairable passages
  whose category set equals the resolved labels (and per category: same yes/no). Tied
  passages (no majority, not adjudicated) have no consensus and are left out, counted in
  ``n_ties_left_out``. So are passages whose consensus is the vote of exactly two answers
  with a category, not adjudicated (``n_two_answer_votes_left_out``): two answers either
  agree, and the consensus is the reviewer's own answer, or they tie; on them the figure
  is 1.0 by construction (passL54 finding 9: every reviewer of a set of two reviewers per
  passage read "agrees with consensus on 1.000"). With two reviewers per passage and no
  adjudication nothing is left, so the figure is ``None`` (the CLI says why: read the
  kappas); after adjudication it is the share of adjudicated passages where the reviewer
  chose what the lead decided.
- too few positives: a category whose rarer value (chosen, or not chosen) among the
  pairable answers is too rare to expect :data:`MIN_CHANCE_AGREEMENTS` agreements on it
  by chance gets ``too_few_positives`` (or ``too_few_negatives``) true in its entry, and
  the CLI prints "too few ... to estimate" in place of alpha (its value stays in the
  JSON). The rule is the rule of thumb of ATLAS.ti's inter-coder agreement manual
  ("Sample Size and Decision Rules", after Krippendorff 2019, *Content Analysis*, 4th
  ed., and Bloch & Kraemer 1989): the codings of a code should yield at least five
  agreements by chance. Expected chance agreements on a value chosen ``n_c`` times among
  ``n`` pairable values are Krippendorff's expected coincidence ``n_c (n_c - 1) / (n - 1)``.
  (passL54 finding 9: one positive in 48 answers printed "alpha 0.000 [-0.044, 0.000]".)
  The same rule marks a reviewer pair's category kappas (``categories_too_few``, over
  the two reviewers' answers), and ``categories_mean`` is the mean of the others: kappa
  has the same prevalence problem, and the mean over every category sent a set of two
  reviewers per passage to a figure as thin as the alphas (break13 finding 15).

- categories not offered: an answer made under a labels.yaml version whose labeling config
  lacked a category (export manifest's ``labels_not_offered``: version -> categories,
  :mod:`annotate.corpus.offered`) could not choose it, so its "no" is forced, not a
  judgement: it is missing in that category's figures (alpha, kappa, agreement with
  consensus; ``exact`` compares the categories it was offered), and the category's entry
  counts it in ``n_answers_not_offered`` (a pair's kappa: ``categories_not_offered``,
  passages left out). With no record every answer counts, as before.

A figure that is undefined (e.g. every reviewer gave the same value everywhere, so alpha
has no variation to explain) is ``None``, never a made-up number.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

import krippendorff
import numpy as np

from annotate._util.progress import ProgressFn, advance, set_total
from annotate.corpus.rows import (
    HARMFUL_SEVERITY_NONE,
    SEVERITY_WITHOUT_HARM,
    contradiction_of,
    harmful_severity_none_line,
    severity_without_harm_line,
)
from annotate.review.blindness import left_out_sentence
from annotate.review.named import with_email
from annotate.review.own_answers import left_out_sentence as not_own_sentence
from annotate.review.span_agreement import span_agreement

log = logging.getLogger(__name__)

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 0
# a category's rarer value must be expected to agree by chance at least this often for its
# alpha to be read (module doc: ATLAS.ti's rule of thumb after Krippendorff 2019)
MIN_CHANCE_AGREEMENTS = 5


def chance_agreements(n_value: int, n_values: int) -> float:
    """Krippendorff's expected coincidences of a value with itself: ``n_c (n_c - 1) / (n - 1)``
    for a value given ``n_value`` times among ``n_values`` pairable values."""
    return n_value * (n_value - 1) / (n_values - 1) if n_values > 1 else 0.0


def too_few(cat_items: np.ndarray) -> str | None:
    """``"positives"`` or ``"negatives"`` when that value of a category (a reviewers x
    passages 0/1 matrix, nan missing) is too rare for alpha to be read (module doc), else
    None."""
    values = cat_items[np.isfinite(cat_items)]
    n, yes = int(values.size), int((values == 1).sum())
    if n < 2:
        return None  # no alpha at all: n/a says it
    rarer, which = (yes, "positives") if yes <= n - yes else (n - yes, "negatives")
    return which if chance_agreements(rarer, n) < MIN_CHANCE_AGREEMENTS else None


def pairable(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows answered by at least two reviewers."""
    return [r for r in rows if len(r.get("annotations") or []) >= 2]


def _alpha(data: np.ndarray, level: str, domain: Sequence[int] | None) -> float | None:
    """``krippendorff.alpha`` of a reviewers x items matrix (nan = missing); None if undefined."""
    if data.shape[1] == 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _alpha_or_none(
            reliability_data=data, level_of_measurement=level, value_domain=domain
        )


def _alpha_or_none(**arguments: Any) -> float | None:
    """``krippendorff.alpha(**arguments)``; None where it is undefined (it raises, or gives
    nan or an infinity). The caller silences numpy's warnings of the undefined ones."""
    try:
        value = krippendorff.alpha(**arguments)
    except (ValueError, ZeroDivisionError):
        return None
    return None if value is None or not np.isfinite(value) else float(value)


def value_counts(data: np.ndarray, domain: Sequence[int]) -> np.ndarray:
    """Passages x values: how many reviewers gave each value of ``domain`` to each passage
    of ``data`` (reviewers x passages, nan missing), as ``krippendorff.alpha`` counts
    ``reliability_data``: alpha of ``value_counts=`` these is alpha of the data, to the bit
    (it reads the same counts; tests/test_agreement_bootstrap_counts.py)."""
    return (data.T[..., np.newaxis] == np.asarray(domain)[np.newaxis, np.newaxis, :]).sum(axis=1)


def _bootstrap(
    data: np.ndarray,
    level: str,
    domain: Sequence[int],
    resamples: int,
    seed: int,
    progress: ProgressFn | None = None,
) -> list[float] | None:
    """Percentile 95 % interval of alpha over passages resampled with replacement;
    ``progress`` advances by ``resamples`` in all (one per resample).

    A resample's alpha is computed from its passages' value counts (:func:`value_counts`,
    counted once), the same number as from its reliability data in half the time: an export
    computes ``resamples`` alphas per category and for severity."""
    n = data.shape[1]
    if n < 2 or resamples < 1:
        advance(progress, max(0, resamples))
        return None
    rng = np.random.default_rng(seed)
    counts = value_counts(data, domain)
    values = []
    # numpy's floating-point warnings off (an undefined alpha is None), not every warning:
    # ``progress`` runs in this loop
    with np.errstate(all="ignore"):
        for _ in range(resamples):
            value = _alpha_or_none(
                value_counts=counts[rng.integers(0, n, size=n)],
                level_of_measurement=level,
                value_domain=domain,
            )
            advance(progress, 1)
            if value is not None:
                values.append(value)
    if len(values) < max(10, resamples // 10):
        return None
    lo, hi = np.percentile(values, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _kappa(a: Sequence[int], b: Sequence[int], labels: Sequence[int]) -> float | None:
    if not a:
        return None
    # imported here: scikit-learn takes seconds to import, and a project with one
    # reviewer a passage (most exports) has no pair to compare
    from sklearn.metrics import cohen_kappa_score

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = cohen_kappa_score(list(a), list(b), labels=list(labels))
    return None if not np.isfinite(value) else round(float(value), 4)


def agreement(
    rows: Sequence[dict[str, Any]],
    categories: Sequence[str],
    severity_levels: Sequence[str],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    progress: ProgressFn | None = None,
    span_labels: Sequence[str] = (),
    no_harm_severity: str | None,
    not_offered: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """The agreement report (a JSON-ready dict) of ``rows``; see the module docstring.

    ``no_harm_severity``: labels.yaml's level-0 severity (:attr:`Taxonomy.no_harm_severity`,
    None when it has none), which tells the two severity contradictions apart. Required:
    a caller that left it out got the lowest of ``severity_levels``, wrong for a
    labels.yaml whose lowest level is harmful (break5 B8; stop 52).

    ``not_offered``: labels.yaml version of answers -> the categories its labeling config
    did not offer (export manifest's ``labels_not_offered``; None or {}: every answer was
    offered every category): an answer's forced "no" on them is left out (module doc).

    ``progress`` counts bootstrap resamples: ``resamples`` per category and for
    severity (its total is set when there are passages to resample).

    Shape: ``{"n_items", "n_reviewers", "reviewers", "categories": {name: {"alpha",
    "ci95", "n_items", "n_answers", "n_compared_answers", "n_positive", and
    "too_few_positives" or "too_few_negatives" and "n_answers_not_offered" where true
    (non-zero)}}, "severity": {...},
    "pairwise_kappa": [{"reviewers", "n_items", "categories": {name: kappa},
    "categories_too_few": {name: "positives" | "negatives"}, "categories_not_offered":
    {name: passages left out} (where any), "categories_mean", "categories_mean_n" (the
    categories it is over), "categories_mean_of" (the pair's categories), "severity"}],
    "reviewer_vs_consensus": {pseudonym: {"n_items", "n_ties_left_out",
    "n_two_answer_votes_left_out", "n_no_category_left_out", "exact", "categories": {name:
    share}}}, "bootstrap"}``.
    """
    # in passage-id order: the bootstrap draws passages by position, so the interval of
    # a seed must not depend on the order rows come in (export's splits vs Label Studio's)
    items = sorted(pairable(rows), key=lambda r: str(r.get("id") or ""))
    reviewers = sorted({a["reviewer"] for r in items for a in r["annotations"]})
    index = {name: i for i, name in enumerate(reviewers)}
    level_of = {name: i for i, name in enumerate(severity_levels)}
    n_rev, n_items = len(reviewers), len(items)

    answers: list[dict[str, dict[str, Any]]] = [
        {a["reviewer"]: a for a in r["annotations"]} for r in items
    ]
    answered_by = {a["reviewer"] for r in rows for a in r.get("annotations") or []}
    lacking = {str(v): set(cats) for v, cats in (not_offered or {}).items()}

    def offered(ann: dict[str, Any], cat: str) -> bool:
        # the answer's labeling config offered ``cat`` (module doc: categories not offered);
        # it did if the answer chose it, whatever its version says
        return cat not in lacking.get(str(ann.get("taxonomy_version")), ()) or cat in (
            ann.get("categories") or ()
        )

    # answers that chose no category abstain from the category question (module doc)
    no_category = sum(not a.get("categories") for by_rev in answers for a in by_rev.values())
    # ... of them, those that chose `none` with another category (contradictory)
    contradictory = sum(
        not a.get("categories") and bool(a.get("categories_answered"))
        for by_rev in answers
        for a in by_rev.values()
    )
    # answers pairing a harmful category with severity `none`, and the reverse (a harmful
    # severity with no harmful category), both read as no severity (annotate.corpus.rows.
    # severity_contradicted), every row's, by task id
    no_harm = no_harm_severity

    def contradicted(kind: str) -> list[int]:
        # one task id per such answer: two reviewers' answers on one task count twice
        return [
            int(a.get("ls_task_id") or 0)
            for r in rows
            for a in r.get("annotations") or []
            if contradiction_of(a, no_harm) == kind
        ]

    harm_none = contradicted(HARMFUL_SEVERITY_NONE)
    without_harm = contradicted(SEVERITY_WITHOUT_HARM)
    if n_items:
        set_total(progress, resamples * (len(categories) + 1))
    else:
        progress = None  # nothing to resample: the stage stays empty
    report: dict[str, Any] = {
        "n_items": n_items,
        "n_reviewers": n_rev,
        "n_reviewers_all": len(answered_by),
        "n_rows": len(rows),
        "reviewers": reviewers,
        # answers of the pairable passages that chose no category: left out of the
        # category figures (not a disagreement), their severity counted
        "answers_without_category": no_category,
        # ... of them, answers pairing `none` with another category (contradictory)
        "answers_none_with_other": contradictory,
        # tasks holding an answer that paired a harmful category with severity `none`:
        # its severity left out of the severity figures (read as not given)
        "tasks_harmful_severity_none": sorted(set(harm_none)),
        # ... and tasks holding one that chose a harmful severity with no harmful category
        "tasks_severity_without_harm": sorted(set(without_harm)),
        # the answers of each kind (a task two reviewers answered so counts twice), the
        # count export's manifest and warning give (answers_..., ``answers``)
        "answers_harmful_severity_none": len(harm_none),
        "answers_severity_without_harm": len(without_harm),
        "categories": {},
        "severity": {},
        "pairwise_kappa": [],
        "reviewer_vs_consensus": {},
        # evidence spans: pairwise F1 between reviewers (exact and overlap match)
        "spans": span_agreement(items, span_labels),
        "bootstrap": {"resamples": resamples, "seed": seed, "unit": "passage", "interval": 0.95},
    }
    for cat in categories:
        data = np.full((n_rev, n_items), np.nan)
        unoffered = 0
        for j, by_rev in enumerate(answers):
            for name, ann in by_rev.items():
                if not offered(ann, cat):  # could not choose it: missing, not a "no"
                    unoffered += 1
                elif ann.get("categories"):  # no category chosen: missing, not a "no"
                    data[index[name], j] = 1.0 if cat in ann["categories"] else 0.0
        # the passages with two category answers or more (the others compare nothing)
        cat_items = data[:, (np.isfinite(data).sum(axis=0) >= 2)]
        entry = report["categories"][cat] = {
            "alpha": _round(_alpha(cat_items, "nominal", [0, 1])),
            "ci95": _bootstrap(cat_items, "nominal", [0, 1], resamples, seed, progress),
            "n_items": int(cat_items.shape[1]),
            "n_answers": int(np.isfinite(data).sum()),
            # answers of the compared passages, and those of them that chose it
            "n_compared_answers": int(np.isfinite(cat_items).sum()),
            "n_positive": int((cat_items == 1).sum()),
        }
        if rare := too_few(cat_items):
            entry[f"too_few_{rare}"] = True
        if unoffered:
            # answers of the pairable passages whose labeling config lacked it: left out
            entry["n_answers_not_offered"] = unoffered
    sev = np.full((n_rev, n_items), np.nan)
    for j, by_rev in enumerate(answers):
        for name, ann in by_rev.items():
            if ann.get("severity") in level_of:
                sev[index[name], j] = level_of[ann["severity"]]
    sev_items = sev[:, (np.isfinite(sev).sum(axis=0) >= 2)]
    domain = list(range(len(severity_levels)))
    report["severity"] = {
        "level": "ordinal",
        "alpha": _round(_alpha(sev_items, "ordinal", domain)),
        "ci95": _bootstrap(sev_items, "ordinal", domain, resamples, seed, progress),
        "n_items": int(sev_items.shape[1]),
        "n_answers": int(np.isfinite(sev_items).sum()),
    }

    for a, b in combinations(reviewers, 2):
        both = [r for r in answers if a in r and b in r]
        pair: dict[str, Any] = {"reviewers": [a, b], "n_items": len(both), "categories": {}}
        chose = [r for r in both if r[a].get("categories") and r[b].get("categories")]
        thin: dict[str, str] = {}
        pair_unoffered: dict[str, int] = {}
        for cat in categories:
            # passages where either answer could not choose it: left out (module doc)
            both_offered = [r for r in chose if offered(r[a], cat) and offered(r[b], cat)]
            if len(both_offered) < len(chose):
                pair_unoffered[cat] = len(chose) - len(both_offered)
            mine = [int(cat in r[a]["categories"]) for r in both_offered]
            theirs = [int(cat in r[b]["categories"]) for r in both_offered]
            pair["categories"][cat] = _kappa(mine, theirs, [0, 1])
            if both_offered and (rare := too_few(np.array([mine, theirs], dtype=float))):
                thin[cat] = rare
        pair["categories_n_items"] = len(chose)
        if pair_unoffered:
            pair["categories_not_offered"] = pair_unoffered
        # the categories whose kappa rests on too few positives (or negatives) by the
        # rule alpha's are read by (module doc), and the mean over the others: the mean
        # over every category sent a K=2 set to a kappa as thin as the alphas it
        # declined (break13 finding 15)
        pair["categories_too_few"] = thin
        read = [v for c, v in pair["categories"].items() if v is not None and c not in thin]
        pair["categories_mean"] = _round(sum(read) / len(read)) if read else None
        # how many categories the mean is over, of how many: "mean over categories 0.867"
        # over 1 of 7 read as overall agreement (newuser62 #7)
        pair["categories_mean_n"] = len(read)
        pair["categories_mean_of"] = len(pair["categories"])
        sev_both = [r for r in both if r[a].get("severity") and r[b].get("severity")]
        pair["severity"] = _kappa(
            [level_of[r[a]["severity"]] for r in sev_both],
            [level_of[r[b]["severity"]] for r in sev_both],
            domain,
        )
        pair["severity_n_items"] = len(sev_both)
        report["pairwise_kappa"].append(pair)

    def two_answer_vote(r: dict[str, Any], by_rev: dict[str, dict[str, Any]]) -> bool:
        # a consensus two answers made without a lead: it agrees with each by construction
        with_category = sum(1 for a in by_rev.values() if a.get("categories"))
        return with_category == 2 and r.get("resolution") != "adjudicated"

    def seen(cats: Sequence[str], ann: dict[str, Any]) -> set[str]:
        # the categories of ``cats`` the answer's labeling config offered
        return {c for c in cats if offered(ann, c)}

    def share(mine: Sequence[tuple[Sequence[str], dict[str, Any]]], cat: str) -> float | None:
        # agreement with consensus on ``cat``, over the answers offered it
        judged = [(c, a) for c, a in mine if offered(a, cat)]
        if not judged:
            return None
        return _round(sum((cat in c) == (cat in a["categories"]) for c, a in judged) / len(judged))

    for name in reviewers:
        counted = [
            (r, by_rev)
            for r, by_rev in zip(items, answers, strict=True)
            if name in by_rev and r.get("resolution") != "tie" and by_rev[name].get("categories")
        ]
        mine = [
            (r["labels"], by_rev[name]) for r, by_rev in counted if not two_answer_vote(r, by_rev)
        ]
        two_votes = len(counted) - len(mine)
        abstained = sum(
            1 for by_rev in answers if name in by_rev and not by_rev[name].get("categories")
        )
        ties = sum(
            1
            for r, by_rev in zip(items, answers, strict=True)
            if name in by_rev and r.get("resolution") == "tie"
        )
        n = len(mine)
        report["reviewer_vs_consensus"][name] = {
            "n_items": n,
            "n_ties_left_out": ties,
            "n_two_answer_votes_left_out": two_votes,
            "n_no_category_left_out": abstained,
            "exact": _round(sum(seen(c, a) == seen(a["categories"], a) for c, a in mine) / n)
            if n
            else None,
            "categories": {cat: share(mine, cat) for cat in categories},
        }
    return report


def summary_lines(
    report: dict[str, Any],
    *,
    review_set: str | None = None,
    emails: Mapping[str, str | None] | None = None,
    reviewers_per_task: int | None = None,
) -> list[str]:
    """Human-readable lines of a report (for the CLI); ``review_set``: the name of the
    review set (pushed with ``--reviewers-per-task``) the report is of, None for a plain
    project (the hint for an empty report differs); ``emails``: pseudonym -> the e-mail of
    its account, shown beside the pseudonym (``r-… (ana@example.org)``, as `annotate
    review status` pairs them) where known; ``reviewers_per_task``: the review set's K
    (None: not recorded), 1 tells a set that will never have two answers on a passage."""

    def who(name: str) -> str:
        return with_email(name, emails)

    def fmt(entry: dict[str, Any]) -> str:
        for rare, chose in (("positives", "chose it"), ("negatives", "left it out")):
            if entry.get(f"too_few_{rare}"):
                n = entry.get("n_compared_answers", 0)
                k = entry.get("n_positive", 0) if rare == "positives" else n - entry["n_positive"]
                count = f"none of {n} answers {chose}" if not k else f"{k} of {n} answers {chose}"
                return (
                    f"alpha n/a: too few {rare} to estimate ({count}; "
                    f"fewer than {MIN_CHANCE_AGREEMENTS} agreements on it expected by chance) "
                    f"(n={entry['n_items']})"
                )
        alpha = "n/a" if entry["alpha"] is None else f"{entry['alpha']:.3f}"
        ci = entry.get("ci95")
        ci_s = f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
        return f"alpha {alpha}{ci_s} (n={entry['n_items']})"

    n_all = report.get("n_reviewers_all", report["n_reviewers"])
    lines = [
        # of the passages with an answer, not of those pushed: "0 of 3 passages" mid-round
        # read as a set of 3 passages (its other passages not answered yet are no rows)
        f"{report['n_items']} of {report.get('n_rows', report['n_items'])} passages with a "
        f"submitted answer were answered by 2+ reviewers ({n_all} reviewer(s) in all)",
    ]
    left_out = [
        said
        for said in (
            left_out_sentence(report.get("answers_after_adjudication")),
            not_own_sentence(report.get("answers_written_by_another_account")),
        )
        if said
    ]
    if left_out:
        # beside the figures it changes, not only in a warning above them
        lines += [f"  {said}" for said in left_out]
        if not report["n_items"]:
            return lines
    if not report["n_items"] and review_set is not None and reviewers_per_task == 1:
        lines.append(
            f"  review set {review_set!r} gives each passage to 1 reviewer (pushed with "
            "--reviewers-per-task 1), so no passage will have two answers to compare. Fix: "
            "push the next batch with --reviewers-per-task 2 into a new review set "
            "(--project NEW: a set keeps its K)"
        )
    elif not report["n_items"] and review_set is not None:
        lines.append(
            "  no passage has two submitted answers yet: agreement is computed once two or "
            "more reviewers have answered the same passage (open tasks per reviewer: "
            f"`annotate review status --project '{review_set}'`)"
        )
    elif not report["n_items"]:
        lines.append(
            "  no passage has two answers yet: agreement needs a team of 2+ reviewers per "
            "passage (`annotate push ... --reviewers-per-task 2`) and their submitted answers"
        )
    # the answers, not their tasks (a report before the answer counts: one per task)
    if harm_none := report.get("tasks_harmful_severity_none"):
        answers = report.get("answers_harmful_severity_none") or len(harm_none)
        lines.append(
            "  "
            + harmful_severity_none_line(
                answers, harm_none, 0, where="left out of the severity figures"
            )
        )
    if without_harm := report.get("tasks_severity_without_harm"):
        answers = report.get("answers_severity_without_harm") or len(without_harm)
        lines.append(
            "  "
            + severity_without_harm_line(
                answers, without_harm, 0, where="left out of the severity figures"
            )
        )
    if not report["n_items"]:
        return lines  # nothing to compute: one n/a line per category would say no more
    both = report.get("answers_none_with_other") or 0
    if n := (report.get("answers_without_category") or 0) - both:
        lines.append(
            f"  {n} answer{'' if n == 1 else 's'} chose no category (a skipped or empty "
            "category question): left out of the category figures, not counted as a "
            f"disagreement; {'its' if n == 1 else 'their'} severity counts"
        )
    if both:
        lines.append(
            f"  {both} answer{'' if both == 1 else 's'} chose `none` together with another "
            "category (contradictory: no vote): left out of the category figures, not "
            f"counted as a disagreement; {'its' if both == 1 else 'their'} severity counts"
        )
    for cat, entry in report["categories"].items():
        lines.append(f"  {cat:<22} {fmt(entry)}{not_offered_note(entry)}")
    lines.append(f"  {'severity (ordinal)':<22} {fmt(report['severity'])}")
    lines += span_lines(report.get("spans"))
    apart = [pair for pair in report["pairwise_kappa"] if not pair["n_items"]]
    for pair in report["pairwise_kappa"]:
        if not pair["n_items"]:
            continue  # counted below: a line of n/a figures per pair says nothing
        sev = "n/a" if pair["severity"] is None else f"{pair['severity']:.3f}"
        a, b = (who(r) for r in pair["reviewers"])
        lines.append(
            f"  kappa {a} vs {b}: {kappa_mean(pair)}, severity {sev} (n={pair['n_items']})"
        )
    if apart:
        lines.append(
            f"  ({len(apart)} reviewer pair(s) answered no passage in common, so no kappa, "
            f"e.g. {' and '.join(who(r) for r in apart[0]['reviewers'])})"
        )
    consensus = report["reviewer_vs_consensus"]
    if consensus and all(
        entry["exact"] is None and entry.get("n_two_answer_votes_left_out")
        for entry in consensus.values()
    ):
        # two reviewers per passage, nothing adjudicated: the figure is 1.000 by
        # construction for everyone (passL54 finding 9), so it is not shown per reviewer
        read = "read the kappas above"
        if all(thin_kappas(p) for p in report["pairwise_kappa"]):
            read = (
                "the kappas above rest on as few positives as the alphas: no category "
                "agreement can be read from these answers yet (more answered passages, or "
                "a batch with more of the rare categories, will give one)"
            )
        lines.append(
            "  agreement with consensus: n/a with 2 reviewers per passage (two answers agree, "
            "and the consensus is theirs, or tie, with no consensus until a lead "
            f"adjudicates): {read}"
        )
        consensus = {}
    for name, entry in consensus.items():
        exact = "n/a" if entry["exact"] is None else f"{entry['exact']:.3f}"
        flag = "  FLAGGED (gold accuracy)" if entry.get("flagged") else ""
        ties = entry.get("n_ties_left_out", 0)
        tie_note = f"; {ties} tied passage(s) without a consensus left out" if ties else ""
        if two := entry.get("n_two_answer_votes_left_out", 0):
            tie_note += f"; {two} passage(s) decided by two agreeing answers left out"
        if abstained := entry.get("n_no_category_left_out", 0):
            tie_note += f"; {abstained} answer(s) without a category left out"
        lines.append(
            f"  {who(name)} agrees with consensus on {exact} (n={entry['n_items']}{tie_note}){flag}"
        )
    if consensus and all(entry.get("n_ties_left_out") for entry in consensus.values()):
        lines.append(
            "  note: where two reviewers disagree there is no consensus until adjudication, so "
            "agreement with consensus leaves those passages out; read the kappas above"
        )
    return lines


def not_offered_note(entry: dict[str, Any]) -> str:
    """The words a category's line ends with when answers whose labeling config did not
    offer it were left out (``n_answers_not_offered``); "" when none."""
    n = entry.get("n_answers_not_offered") or 0
    if not n:
        return ""
    return (
        f"; {n} answer{'' if n == 1 else 's'} made under a labels.yaml version that did not "
        "offer it left out (a forced no)"
    )


def thin_kappas(pair: dict[str, Any]) -> bool:
    """Whether no category kappa of ``pair`` (an entry of ``pairwise_kappa``) can be read:
    none defined, or every defined one on a category too rare (``categories_too_few``)."""
    thin = pair.get("categories_too_few") or {}
    return all(v is None or c in thin for c, v in pair["categories"].items())


TOO_FEW = "too few positives (or negatives) to estimate"


def mean_counts(pair: dict[str, Any]) -> tuple[list[str], list[str]]:
    """A pair's categories (an entry of ``pairwise_kappa``) split into those its
    ``categories_mean`` is over (a kappa, not too rare) and the others, each sorted."""
    thin = pair.get("categories_too_few") or {}
    cats = pair.get("categories") or {}
    kept = sorted(c for c, v in cats.items() if v is not None and c not in thin)
    return kept, sorted(set(cats) - set(kept))


def kappa_mean(pair: dict[str, Any]) -> str:
    """The category part of a pair's kappa line: the mean over the categories with enough
    positives and negatives to read (the rule alpha's follow), as "mean over N of M
    categories", naming the others; where N is 0 or 1, that no category mean is
    meaningful (a pilot's "mean over categories 0.867" was one category's kappa of 7,
    read as overall agreement: newuser62 #7). A report written before
    ``categories_mean`` means every defined kappa, as it did then."""
    if "categories_mean" not in pair:
        kappas = [v for v in pair["categories"].values() if v is not None]
        return (
            f"mean over categories {sum(kappas) / len(kappas):.3f}"
            if kappas
            else ("mean over categories n/a")
        )
    kept, others = mean_counts(pair)
    m = len(kept) + len(others)
    thin = pair.get("categories_too_few") or {}
    defined = {c for c, v in pair["categories"].items() if v is not None}
    rare = len(defined & thin.keys())
    if not kept:
        if not rare:
            return "mean over categories n/a"
        return (
            f"no category mean is meaningful: {TOO_FEW} in each of the {rare} with a kappa "
            f"(fewer than {MIN_CHANCE_AGREEMENTS} agreements on each expected by chance, the "
            "rule the alphas follow)"
        )
    rare_ones = [c for c in others if c in thin]
    said = "; ".join(
        [
            *([f"the others: {TOO_FEW}: {', '.join(rare_ones)}"] if rare_ones else []),
            *(
                [f"no kappa: {', '.join(c for c in others if c not in thin)}"]
                if len(rare_ones) < len(others)
                else []
            ),
        ]
    )
    if len(kept) == 1:
        return (
            f"no category mean is meaningful: only {kept[0]} of the {m} categories can be "
            f"read (kappa {pair['categories'][kept[0]]:.3f}){f'; {said}' if said else ''}"
        )
    out = f"mean over {len(kept)} of {m} categories {pair['categories_mean']:.3f}"
    return f"{out} ({', '.join(kept)}; {said})" if others else out


def span_lines(spans: dict[str, Any] | None) -> list[str]:
    """The CLI's lines on evidence-span agreement (``report["spans"]``): per span label
    with a counted pair, and overall, pairwise F1 exact / overlap with its counts."""
    if not spans:
        return []

    def f1(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.3f}"

    def _n(n: int, noun: str) -> str:
        return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

    def fmt(e: dict[str, Any]) -> str:
        return (
            f"F1 exact {f1(e['f1_exact'])}, overlap {f1(e['f1_overlap'])} "
            f"({_n(e['n_passages'], 'passage')}, {_n(e['n_pairs'], 'reviewer pair')})"
        )

    lines = [
        "  evidence spans, pairwise F1 between reviewers (a passage where neither of a pair "
        "marked the label is not counted):"
    ]
    lines += [
        f"    {'span ' + label:<20} {fmt(e)}"
        for label, e in spans["labels"].items()
        if e["n_pairs"]
    ]
    lines.append(f"    {'all span labels':<20} {fmt(spans['overall'])}")
    return lines
