"""The numbers of the audit report, computed from a corpus's rows (no I/O, no plotting).

Every function takes the exported rows (JSONL shape: label names) and returns plain
dicts/lists, so the report, its JSON twin and the tests read the same values.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

from annotate._util.folding import folded
from annotate.corpus.resolve import (
    INCOMPLETE,
    SINGLE,
    NotOffered,
    agree_where_offered,
    severity_tie,
    tied_categories,
    unoffered_of,
)
from annotate.corpus.schema import SPLITS

Row = dict[str, Any]
HIGH_SEVERITIES = ("high", "critical")


# what a source named in the report is: its kind, as the "By source" table shows it
HOST, FOLDER, FILE, DATASET, AS_GIVEN, NONE = (
    "web host",
    "folder",
    "file",
    "dataset",
    "named by the input",
    "not recorded",
)
_FILE_SUFFIX = re.compile(r"\.(txt|md|markdown|text|jsonl|ndjson|csv|tsv|parquet)$", re.I)


def source_of(source: str | None) -> tuple[str, str]:
    """``(name, kind)``: where a passage came from, coarse enough to count, named the same
    way for every kind of input: a URL's host (``https://example.org/a`` ->
    ``example.org``, a web host); else the input given to ``annotate ingest``, by the
    name ingest gave it: a folder (``articles/2026-11/raid.txt`` -> ``articles``), a file
    (a text file ``bakery.txt``; a table without its row, ``forum.csv#12`` ->
    ``forum.csv``), a saved dataset (``posts[train]#3`` -> ``posts``); else a table's
    own source value, as it is (``reddit``, a named-by-the-input kind)."""
    if not source:
        return "(none)", NONE
    parsed = urlparse(source)
    if parsed.netloc:
        return parsed.netloc, HOST
    name, row = re.subn(r"#\d+$", "", source)
    head, sep, _ = name.partition("/")
    if sep and head:
        return head, FOLDER
    if split := re.fullmatch(r"(.+)\[[^\]]+\]", name):
        return split.group(1), DATASET
    return name, FILE if row or _FILE_SUFFIX.search(name) else AS_GIVEN


def _source_key(source: str | None) -> str:
    """The name :func:`source_of` gives ``source``."""
    return source_of(source)[0]


def incomplete_answers(rows: Sequence[Row]) -> int:
    """Reviewer answers (in the rows' ``annotations``) with no category: incomplete
    (:data:`annotate.corpus.resolve.INCOMPLETE`), counted apart from ties."""
    return sum(not a.get("categories") for r in rows for a in r.get("annotations") or [])


def counts(
    rows: Sequence[Row],
    categories: Sequence[str],
    severities: Sequence[str],
    not_offered: Mapping[str, set[str]] | None = None,
    offered_record: NotOffered | None = None,
) -> Row:
    """Passages per resolved category, per resolved severity, per source (a web host or
    the input given to ingest: :func:`source_of`; ``source_kinds`` says which).

    ``by_category_decision``: per category, the passages whose vote (or lead) decided it
    ``yes`` (= ``by_category``), ``no``, or left it ``undecided``: a tie no lead has
    decided yet whose reviewers split evenly on it
    (:func:`annotate.corpus.resolve.tied_categories`). ``yes + no + undecided`` is every
    passage. ``by_severity_undecided``: per resolved severity, its passages whose
    reviewers split evenly on the severity with no lead decision yet (the vote then gives
    the highest tied level). ``not_offered``: passage id -> the categories none of its
    answers could choose (:func:`annotate.corpus.offered.row_not_offered`): such a
    passage without the category counts in its ``not_offered``, not its ``no`` (the key
    is there only for a category with some). ``offered_record``: the manifest's
    ``labels_not_offered``, by which a tie is read over the answers offered each category."""
    lacking = not_offered or {}
    by_category = {c: sum(c in r["labels"] for r in rows) for c in categories}
    by_category["(unresolved)"] = sum(not r["labels"] for r in rows)
    tied = [tied_categories(r, offered_record) for r in rows]
    # per category: the vote (or the lead) decided yes / decided no / left it undecided
    decisions: dict[str, dict[str, int]] = {}
    for c in categories:
        unoffered = [c in lacking.get(str(r.get("id")), ()) for r in rows]
        decisions[c] = {
            "yes": by_category[c],
            "no": sum(
                c not in r["labels"] and c not in t and not u
                for r, t, u in zip(rows, tied, unoffered, strict=True)
            ),
            "undecided": sum(c in t for t in tied),
        }
        if any(u and c not in r["labels"] for r, u in zip(rows, unoffered, strict=True)):
            decisions[c]["not_offered"] = sum(
                u and c not in r["labels"] for r, u in zip(rows, unoffered, strict=True)
            )
    by_severity = {s: sum(r["severity"] == s for r in rows) for s in severities}
    by_severity["(not given)"] = sum(not r["severity"] for r in rows)
    # a tie no lead decided yet whose reviewers split evenly on the severity: counted at
    # the highest tied level (the vote's pick), which no one decided
    undecided_severity = Counter(r["severity"] for r in rows if severity_undecided(r))
    sources = [source_of(r.get("source")) for r in rows]
    by_source = Counter(name for name, _ in sources)
    kinds: dict[str, str] = {}
    for name, kind in sources:  # one name of two kinds (a folder and a file): both said
        kinds[name] = kind if kinds.get(name, kind) == kind else f"{kinds[name]}, {kind}"
    return {
        "passages": len(rows),
        "documents": len({r.get("doc_id") or r["id"] for r in rows}),
        "annotations": sum(len(r["annotations"]) for r in rows),
        "label_ties": sum(bool(r["label_tie"]) for r in rows),
        # answers with no category (possible through the API or an import): they do not
        # vote on the categories and are no tie; the passages none of whose answers has one
        "incomplete_answers": incomplete_answers(rows),
        "passages_without_category": sum(r.get("resolution") == INCOMPLETE for r in rows),
        "by_category": by_category,
        "by_category_decision": decisions,
        # passages with a category the vote left undecided (a tie no lead decided yet)
        "undecided_passages": sum(bool(t) for t in tied),
        "by_severity": by_severity,
        # per resolved severity: those of its passages whose severity is an undecided tie
        # (only severities with one; absent from reports before 2026-12)
        "by_severity_undecided": {
            s: undecided_severity[s] for s in by_severity if undecided_severity.get(s)
        },
        "by_source": dict(sorted(by_source.items(), key=lambda kv: (-kv[1], kv[0]))),
        "source_kinds": dict(sorted(kinds.items())),  # name -> what it is (source_of)
    }


def model_vs_human(
    rows: Sequence[Row],
    categories: Sequence[str],
    not_offered: Mapping[str, set[str]] | None = None,
    offered_record: NotOffered | None = None,
) -> Row:
    """Per model version: a 2x2 confusion per category (model label vs resolved label).

    Passages without a resolved category (a tie, or answers without one) have no label
    to compare with: they are left out of the confusion and counted in ``unresolved``
    (read as "no category", every model label on them was a false positive). A tie that
    resolved some categories leaves out, per category, only the ones its reviewers split
    on evenly (:func:`annotate.corpus.resolve.tied_categories`): neither a reviewer label
    nor a decided "no", they are counted in the category's ``undecided`` and the passages
    in ``partly_undecided``.
    Shape: ``{version: {"passages", "unresolved", "same_categories", "exact_agreement",
    "partly_undecided", "categories": {name: {"tp", "fp", "fn", "tn", "precision",
    "recall", "undecided"}}}}``;
    precision/recall are None when undefined. ``same_categories``: resolved passages whose
    categories are the model's; ``exact_agreement``: those the export marks
    ``model_agreed`` (the same categories, severity and evidence spans).
    Passages the model cannot read (a row's ``model_language_warning``: push pre-selected
    no category for them, so their empty ``model_labels`` is no "none" of the model) are
    left out too and counted in ``cannot_read`` (0 in exports before the column).
    Per category, passages whose reviewers could not choose it (``not_offered``, as
    :func:`counts`) are left out of its cells and counted in its ``not_offered``, and
    those of a model version that scored no passage on it (``model_scores`` holding
    others' but none for it: a model trained before the category) in its
    ``not_scored`` (each key there only when not 0). ``offered_record``: as
    :func:`counts`.
    """
    lacking = not_offered or {}
    out: Row = {}
    by_version: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_version[r.get("model_version") or "(none)"].append(r)
    for version, every in sorted(by_version.items()):
        unread = [r for r in every if r.get("model_language_warning")]
        part = [r for r in every if r["labels"] and not r.get("model_language_warning")]
        tied = [tied_categories(r, offered_record) for r in part]
        per: Row = {}
        never_scored = _unscored(every, categories)
        for c in categories:
            undecided = [r for r, t in zip(part, tied, strict=True) if c in t]
            rest = [r for r, t in zip(part, tied, strict=True) if c not in t]
            unoffered = [r for r in rest if c in lacking.get(str(r.get("id")), ())]
            rest = [r for r in rest if c not in lacking.get(str(r.get("id")), ())]
            unscored = rest if c in never_scored else []
            decided = [] if c in never_scored else rest
            model = [c in r["model_labels"] for r in decided]
            human = [c in r["labels"] for r in decided]
            tp = sum(m and h for m, h in zip(model, human, strict=True))
            fp = sum(m and not h for m, h in zip(model, human, strict=True))
            fn = sum(h and not m for m, h in zip(model, human, strict=True))
            tn = len(decided) - tp - fp - fn
            per[c] = {
                "tp": tp,
                "fp": fp,
                "fn": fn,
                "tn": tn,
                "precision": round(tp / (tp + fp), 4) if tp + fp else None,
                "recall": round(tp / (tp + fn), 4) if tp + fn else None,
                # tied passages whose reviewers split evenly on it: no cell counts them
                "undecided": len(undecided),
            }
            if unoffered:
                per[c]["not_offered"] = len(unoffered)
            if unscored:
                per[c]["not_scored"] = len(unscored)
        out[version] = {
            "passages": len(every),
            "unresolved": len(every) - len(unread) - len(part),
            # the model cannot read them: no suggestion to compare (left out of the table)
            "cannot_read": len(unread),
            # resolved passages of a tie with categories the vote left undecided
            "partly_undecided": sum(bool(t) for t in tied),
            "same_categories": sum(set(r["model_labels"]) == set(r["labels"]) for r in part),
            "exact_agreement": sum(bool(r["model_agreed"]) for r in part),
            "categories": per,
        }
    return out


def _unscored(rows: Sequence[Row], categories: Sequence[str]) -> set[str]:
    """The ``categories`` one model version's ``rows`` hold no score for while they hold
    others' (``model_scores``: a model trained before the category was added); none when
    the rows hold no scores at all (a task pushed without them)."""
    scored: set[str] = set()
    for row in rows:
        scores = row.get("model_scores")
        if isinstance(scores, dict):
            scored.update(k for k, v in scores.items() if v is not None)
    return set(categories) - scored if scored else set()


def model_cannot_read(rows: Sequence[Row], shown: int = 10) -> Row | None:
    """The passages the model cannot read (rows' ``model_language_warning``: a script or
    language none of its training languages is; their reviewers were shown no pre-selected
    category or severity): ``passages``, ``by_warning`` (warning -> passages), ``by_label``
    (resolved category -> passages: what the model could not flag) and ``examples`` (the
    first ``shown`` ids); None for an export whose rows have no such column (made before
    2026-12-06: not recorded)."""
    if rows and not any("model_language_warning" in r for r in rows):
        return None
    found = sorted(
        ((str(r["id"]), r) for r in rows if r.get("model_language_warning")), key=lambda x: x[0]
    )
    by_label: Counter[str] = Counter(c for _, r in found for c in r.get("labels") or [])
    return {
        "passages": len(found),
        "by_warning": dict(
            sorted(Counter(str(r["model_language_warning"]) for _, r in found).items())
        ),
        "by_label": dict(sorted(by_label.items(), key=lambda kv: (-kv[1], kv[0]))),
        "examples": [pid for pid, _ in found[:shown]],
    }


def reviewers_per_passage(rows: Sequence[Row]) -> dict[str, int]:
    """Passages by their number of reviewer answers (the lead's not counted), as
    ``{"1": 3, "2": 40}`` (string keys: the manifest and report.json are JSON)."""
    counts = Counter(len(r["annotations"]) for r in rows)
    return {str(k): counts[k] for k in sorted(counts)}


def more_than_k(answers: int, k: int | None) -> bool:
    """Whether a passage with ``answers`` reviewer answers has more than the review set's
    K (``k``; None: not recorded, never). A review set gives a passage to K reviewers; a
    hand-over that stopped midway after copying a task, whose copy and original were then
    both answered, leaves K+1."""
    return k is not None and answers > k


def passages_over_k(per_passage: dict[str, int], k: int | None) -> int:
    """How many passages of ``per_passage`` (:func:`reviewers_per_passage`) have more
    reviewer answers than the review set's K (:func:`more_than_k`; ``k`` None: 0)."""
    return sum(v for n, v in per_passage.items() if more_than_k(int(n), k))


def over_k_record(rows: Sequence[Row], k: int | None) -> Row | None:
    """The manifest's ``passages_over_reviewers_per_task``: ``{"reviewers_per_task": K,
    "passages": count, "passage_ids": [sorted ids]}`` of the rows with more reviewer
    answers than K (:func:`more_than_k`; the count is :func:`passages_over_k` of the
    rows' :func:`reviewers_per_passage`); None when ``k`` is None (K not recorded)."""
    if k is None:
        return None
    ids = sorted(str(r["id"]) for r in rows if more_than_k(len(r["annotations"]), k))
    return {"reviewers_per_task": k, "passages": len(ids), "passage_ids": ids}


def categorised(row: Row) -> int:
    """How many of a row's answers chose a category (the others abstain from the vote on
    the categories: :func:`annotate.corpus.resolve.complete`)."""
    return sum(bool(a.get("categories")) for a in row.get("annotations") or [])


def severity_undecided(row: Row) -> bool:
    """Whether a row is a tie no lead decided yet whose reviewers split evenly on the
    severity: only among two answers or more that chose a category (break4 B5: with one,
    resolution ``single``, there is no vote to split, and an answer without a category is
    compared with nobody; rows of exports before stop 51 may carry ``label_tie`` then)."""
    return (
        bool(row.get("label_tie"))
        and row.get("resolution") != "adjudicated"
        and categorised(row) >= 2
        and severity_tie([a.get("severity") or "" for a in row["annotations"]])
    )


def raw_agreement(rows: Sequence[Row], not_offered: NotOffered | None = None) -> Row:
    """Agreement visible in the rows themselves: unanimity among multi-reviewed passages,
    ``single_answer``: the passages of one reviewer answer, resolution ``single`` (rows
    of exports before 6 Dec 2026 give them as ``unanimous``; the report shows them apart:
    one answer agrees with nobody), and ``one_with_categories``: the passages of two
    answers or more of which only one chose categories (resolution ``single`` too, break4
    B5: no vote; counted apart from one-answer passages, whose row they shared).
    ``not_offered`` (the manifest's ``labels_not_offered``): answers agree when they chose
    alike every category both were offered (an answer made under a labeling config that
    lacked a category does not differ from one that chose it)."""
    multi = [r for r in rows if len(r["annotations"]) >= 2]
    # an answer that chose no category abstains (as in export's vote and the agreement
    # figures): unanimous when every answer that chose categories, two or more, chose the
    # same ones (one alone agrees with nobody: break4 B5)
    unanimous = sum(
        categorised(r) >= 2
        and agree_where_offered(
            [a["categories"] for a in r["annotations"]],
            unoffered=unoffered_of(r["annotations"], not_offered),
        )
        for r in multi
    )
    return {
        "multi_reviewed": len(multi),
        "unanimous_categories": unanimous,
        "label_ties": sum(bool(r["label_tie"]) for r in rows),
        "reviewers_per_passage": reviewers_per_passage(rows),
        # one answer: nobody agreed with anybody (resolution single; "unanimous" in
        # exports before 6 Dec 2026)
        "single_answer": sum(
            (r.get("resolution") == SINGLE and len(r["annotations"]) < 2)
            or (len(r["annotations"]) == 1 and r.get("resolution") == "unanimous")
            for r in rows
        ),
        # two answers or more, only one with categories (resolution single: no vote)
        "one_with_categories": sum(
            r.get("resolution") == SINGLE and len(r["annotations"]) >= 2 for r in rows
        ),
    }


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def lead_times(rows: Sequence[Row]) -> Row:
    """Seconds per reviewer annotation: count, missing, min/median/p90/max, total hours;
    ``adjudication``: the lead's answers on adjudicated rows (``answers``, ``timed``,
    ``seconds`` summed, None when none is timed), which the other figures leave out."""
    values = [
        float(a["lead_time"]) for r in rows for a in r["annotations"] if a["lead_time"] is not None
    ]
    missing = sum(a["lead_time"] is None for r in rows for a in r["annotations"])
    # the lead's answers on adjudicated rows (not in the figures above: reviewers' only)
    lead = [
        (r.get("adjudication") or {}).get("lead_time")
        for r in rows
        if r.get("resolution") == "adjudicated"
    ]
    timed = [float(t) for t in lead if t is not None]
    adjudication = {
        "answers": len(lead),
        "timed": len(timed),
        "seconds": round(sum(timed), 2) if timed else None,
    }
    if not values:
        return {"n": 0, "missing": missing, "values": [], "adjudication": adjudication}
    return {
        "adjudication": adjudication,
        "n": len(values),
        "missing": missing,
        "min": round(min(values), 2),
        "median": round(statistics.median(values), 2),
        "p90": round(_percentile(values, 0.9), 2),
        "max": round(max(values), 2),
        "total_hours": round(sum(values) / 3600, 4),
        "values": values,
    }


def workload(rows: Sequence[Row], harmful: Sequence[str]) -> Row:
    """Per pseudonymous reviewer: annotations, harmful exposure, high-severity exposure, time.

    Exposure counts the passages a reviewer annotated whose *resolved* labels include a
    harmful category (and, separately, whose resolved severity is high or critical).
    The lead's decision on an adjudicated row (``adjudicator``) counts as an annotation
    of the lead's too (``adjudications`` counts those; ``role`` is ``reviewer``,
    ``adjudication`` or both). ``lead_time_s`` sums the lead times Label Studio recorded
    for a pseudonym's answers, the lead's from each row's ``adjudication`` record (None
    when it recorded none of them: an answer sent through the API may have none, an export
    older than that record has none of the lead's), never a made-up 0.
    """
    out: dict[str, Row] = {}

    def entry(name: str) -> Row:
        return out.setdefault(
            name,
            {
                "annotations": 0,
                "harmful": 0,
                "high_severity": 0,
                "lead_time_s": None,
                "adjudications": 0,
                "role": "",
            },
        )

    def add_role(w: Row, role: str) -> None:
        roles = [
            r for r in ("reviewer", "adjudication") if r in w["role"].split(" + ") or r == role
        ]
        w["role"] = " + ".join(roles)

    for r in rows:
        is_harmful = any(c in harmful for c in r["labels"])
        is_high = r["severity"] in HIGH_SEVERITIES
        for a in r["annotations"]:
            w = entry(a["reviewer"])
            add_role(w, "reviewer")
            w["annotations"] += 1
            w["harmful"] += is_harmful
            w["high_severity"] += is_high
            if a["lead_time"] is not None:
                w["lead_time_s"] = (w["lead_time_s"] or 0.0) + float(a["lead_time"])
        if r.get("adjudicator"):
            w = entry(r["adjudicator"])
            add_role(w, "adjudication")
            w["annotations"] += 1
            w["adjudications"] += 1
            w["harmful"] += is_harmful
            w["high_severity"] += is_high
            lead_time = (r.get("adjudication") or {}).get("lead_time")
            if lead_time is not None:
                w["lead_time_s"] = (w["lead_time_s"] or 0.0) + float(lead_time)
    for w in out.values():  # rounded once: rounding each partial sum drifts by 0.005 a step
        if w["lead_time_s"] is not None:
            w["lead_time_s"] = round(w["lead_time_s"], 2)
    return dict(sorted(out.items()))


def splits(rows: Sequence[Row], categories: Sequence[str]) -> Row:
    """Split sizes, labels per split, and leakage: documents or texts in several splits."""
    names = sorted({r["split"] for r in rows})
    sizes = {s: sum(r["split"] == s for r in rows) for s in SPLITS}
    labels = {
        s: {c: sum(r["split"] == s and c in r["labels"] for r in rows) for c in categories}
        for s in sizes
    }
    doc_splits: dict[str, set[str]] = defaultdict(set)
    text_splits: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        doc_splits[r.get("doc_id") or r["id"]].add(r["split"])
        text_splits[folded(r["text"])].add(r["split"])
    ids = Counter(r["id"] for r in rows)
    return {
        "splits_present": names,
        "sizes": sizes,
        "labels": labels,
        "leakage": {
            "documents_in_several_splits": sorted(d for d, s in doc_splits.items() if len(s) > 1),
            "texts_in_several_splits": sum(len(s) > 1 for s in text_splits.values()),
            "duplicate_ids": sorted(i for i, n in ids.items() if n > 1),
        },
    }


def versions(rows: Sequence[Row], manifest: Row) -> Row:
    """Taxonomy and model versions: the manifest's, and what the rows themselves carry."""
    return {
        "taxonomy": manifest.get("taxonomy") or {},
        "taxonomy_versions_in_rows": dict(
            Counter(r.get("taxonomy_version") or "(none)" for r in rows)
        ),
        "model_versions_in_rows": dict(Counter(r.get("model_version") or "(none)" for r in rows)),
        "model_versions_in_manifest": manifest.get("model_versions") or [],
        # per model version: the encoder(s) it ran with at prelabel (exports from 2026-12)
        "model_encoders": manifest.get("model_encoders") or {},
        "tools": manifest.get("versions") or {},
    }


def encoder_line(encoder: Row) -> str:
    """One encoder of ``model_encoders``: reference, package and version, weights SHA-256,
    whether those are the weights the model was trained with, and the precision it ran at
    against the one its heads were calibrated with (prelabels from 2026-12-02 on)."""
    package = " ".join(str(encoder[k]) for k in ("package", "package_version") if encoder.get(k))
    text = str(encoder.get("ref") or "(unnamed encoder)") + (f" ({package})" if package else "")
    if encoder.get("weights_sha256"):
        text += f", weights SHA-256 {encoder['weights_sha256']}"
    if encoder.get("same_as_trained") is False:
        text += ", NOT the weights the model was trained with"
    ran, calibrated = encoder.get("precision"), encoder.get("calibrated_precision")
    if ran:
        text += f", ran at {ran}"
        if calibrated and ran.removeprefix("openvino-") != calibrated:
            text += f" (calibrated at {calibrated}: scores drift slightly)"
    return text


def resolutions(rows: Sequence[Row]) -> dict[str, int]:
    """Rows per ``resolution`` (adjudicated, unanimous, majority, tie), where exports carry it."""
    found = Counter(r["resolution"] for r in rows if r.get("resolution"))
    return dict(sorted(found.items()))


def exposure_totals(exposure: Row | None) -> dict[str, Row]:
    """Per reviewer from ``exposure.json``: days, answers, graphic, high severity, busiest day."""
    out: dict[str, Row] = {}
    for reviewer, days in ((exposure or {}).get("reviewers") or {}).items():
        cells = list(days.values())
        out[reviewer] = {
            "days": len(cells),
            "answers": sum(c.get("answers", 0) for c in cells),
            "graphic": sum(c.get("graphic", 0) for c in cells),
            "high_severity": sum(c.get("high_severity", 0) for c in cells),
            "max_answers_per_day": max((c.get("answers", 0) for c in cells), default=0),
            "adjudications": sum(c.get("adjudications", 0) for c in cells),
            "role": " + ".join(((exposure or {}).get("roles") or {}).get(reviewer) or ["reviewer"]),
        }
    return out


def adjudications(rows: Sequence[Row], offered_record: NotOffered | None = None) -> Row:
    """The passages a lead decided and the ties still waiting for one, for the report's
    adjudication section.

    Shape: ``{"decided": [{"id", "adjudicator", "labels", "severity", "comment",
    "decided_at"}], "undecided": [{"id", "categories", "severity_tied", "answers"}]}``,
    each sorted by passage id. ``comment`` is the lead's, as exported (masked when the
    export ran with ``--redact``; "" when none). ``undecided``: rows still ``label_tie``
    (no lead decided), with the categories their reviewers split on evenly
    (:func:`annotate.corpus.resolve.tied_categories`, over the answers offered each
    category where ``offered_record``, the manifest's ``labels_not_offered`` of an
    export resolved so, is given; empty when only the severity, or no category at all,
    was tied)."""
    decided, undecided = [], []
    for r in rows:
        adj = r.get("adjudication") if isinstance(r.get("adjudication"), dict) else {}
        if r.get("resolution") == "adjudicated":
            decided.append(
                {
                    "id": str(r["id"]),
                    "adjudicator": r.get("adjudicator") or adj.get("reviewer"),
                    "labels": list(r["labels"]),
                    "severity": r.get("severity") or "",
                    "comment": adj.get("comment") or "",
                    "decided_at": adj.get("updated_at") or adj.get("created_at"),
                }
            )
        elif r.get("label_tie") and categorised(r) >= 2:  # one: no vote (break4 B5)
            undecided.append(
                {
                    "id": str(r["id"]),
                    "categories": sorted(tied_categories(r, offered_record)),
                    "severity_tied": severity_undecided(r),
                    "answers": len(r["annotations"]),
                }
            )
    return {
        "decided": sorted(decided, key=lambda d: d["id"]),
        "undecided": sorted(undecided, key=lambda d: d["id"]),
    }


def reviewer_answers(rows: Sequence[Row], categories: Sequence[str]) -> Row:
    """Who labelled what: per pseudonym, the answers given (the lead's decisions on
    adjudicated rows count as the lead's answers), how often each category was chosen,
    the model versions whose pre-labels those answers started from (the annotation's
    ``model_version``, counted only where the answer records starting from a prediction:
    ``started_from_prediction``), the answers that record no starting prediction (an
    export before 2026-12-06 records none), and the lead's adjudications with what each
    started from (the adjudication record's ``started_from``: a reviewer's pseudonym,
    ``blank`` or ``(none recorded)``; never a model, which the adjudication project does
    not show). Shape: ``{pseudonym: {"answers": n, "categories": {name: n},
    "started_from": {version: n}, "no_start_recorded": n, "adjudications": n,
    "adjudication_started_from": {whose: n}}}``, sorted by pseudonym."""
    out: dict[str, Row] = {}

    def add(name: str, chosen: Sequence[str]) -> Row:
        e = out.setdefault(
            name,
            {
                "answers": 0,
                "categories": dict.fromkeys(categories, 0),
                "started_from": {},
                "no_start_recorded": 0,
                "adjudications": 0,
                "adjudication_started_from": {},
            },
        )
        e["answers"] += 1
        for c in set(chosen):
            e["categories"][c] = e["categories"].get(c, 0) + 1
        return e

    for r in rows:
        for a in r["annotations"]:
            e = add(a["reviewer"], a.get("categories") or [])
            if a.get("started_from_prediction"):
                key = a.get("model_version") or "(none)"
                e["started_from"][key] = e["started_from"].get(key, 0) + 1
            else:
                e["no_start_recorded"] += 1
        if r.get("adjudicator") and r.get("resolution") == "adjudicated":
            e = add(r["adjudicator"], r["labels"])
            e["adjudications"] += 1
            whose = (r.get("adjudication") or {}).get("started_from") or "(none recorded)"
            e["adjudication_started_from"][whose] = e["adjudication_started_from"].get(whose, 0) + 1
    return dict(sorted(out.items()))


def gold_missed(gold: Row | None) -> dict[str, list[Row]] | None:
    """Per reviewer pseudonym, the gold passages whose categories they got wrong (their
    category set is not the gold's: what ``exact`` accuracy counts), from
    ``agreement.json``'s ``gold.items``. Shape: ``{pseudonym: [{"passage_id",
    "expected", "answered", "expected_severity", "answered_severity"}]}``, pseudonyms
    sorted, each list by passage id; a reviewer who answered gold and missed none has an
    empty list. Ids and label names only, never text (safe under ``--redact``). None when
    the export recorded no gold items (no gold, or an export before they were recorded)."""
    items = (gold or {}).get("items")
    if not isinstance(items, list):
        return None
    out: dict[str, list[Row]] = {str(name): [] for name in (gold or {}).get("reviewers") or {}}
    for item in items:
        expected = list((item.get("gold") or {}).get("labels") or [])
        for answer in item.get("answers") or []:
            mine = out.setdefault(str(answer["reviewer"]), [])
            answered = list(answer.get("categories") or [])
            # the item's own verdict where recorded: it compares only the categories the
            # answer was offered (gold.gold_accuracy); older exports: the category sets
            exact = answer.get("exact")
            if "exact" in answer and exact is None:  # not judged: offered no gold category
                continue
            if exact if isinstance(exact, bool) else set(answered) == set(expected):
                continue
            mine.append(
                {
                    "passage_id": str(item.get("passage_id")),
                    "expected": sorted(expected),
                    "answered": sorted(answered),
                    "expected_severity": (item.get("gold") or {}).get("severity") or "",
                    "answered_severity": answer.get("severity") or "",
                }
            )
    return {name: sorted(v, key=lambda m: m["passage_id"]) for name, v in sorted(out.items())}


def gold_severity_missed(gold: Row | None) -> dict[str, list[Row]] | None:
    """Per reviewer pseudonym, the gold passages whose severity they got wrong (their
    severity is not the gold's, among gold passages that have one: what ``severity``
    accuracy counts), from ``agreement.json``'s ``gold.items``. Shape: ``{pseudonym:
    [{"passage_id", "expected_severity", "answered_severity", "expected",
    "answered"}]}`` (``expected``/``answered``: the category sets, for context; an
    unanswered severity is ``""``), pseudonyms sorted, each list by passage id; a
    reviewer who answered a gold passage with a severity and missed none has an empty
    list. Ids and label names only, never text. None when the export recorded no gold
    items."""
    items = (gold or {}).get("items")
    if not isinstance(items, list):
        return None
    out: dict[str, list[Row]] = {}
    for item in items:
        key = item.get("gold") or {}
        expected = key.get("severity")
        if not expected:  # no gold severity: not counted by `severity`
            continue
        for answer in item.get("answers") or []:
            mine = out.setdefault(str(answer["reviewer"]), [])
            answered = answer.get("severity") or ""
            if answered == expected:
                continue
            mine.append(
                {
                    "passage_id": str(item.get("passage_id")),
                    "expected_severity": expected,
                    "answered_severity": answered,
                    "expected": sorted(key.get("labels") or []),
                    "answered": sorted(answer.get("categories") or []),
                }
            )
    return {name: sorted(v, key=lambda m: m["passage_id"]) for name, v in sorted(out.items())}
