"""What an auditor could not answer from report.md: agreement on evidence spans, which
gold passages each reviewer got wrong, and which severity each high-severity count
(workload vs exposure.json) is of."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from annotate.audit.redact import RedactionSettings
from annotate.audit.report import GOLD_MISSED_SHOWN, HIGH_OWN_LINE, HIGH_RESOLVED_LINE
from annotate.corpus.export import export
from annotate.review.gold import GOLD_META_KEY
from tests.integration.helpers import choices, span

from .fakes import THREAT, FakeStudio, annotation, reviewed_tasks, task
from .span_recount import recount


def _rows(corpus: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for p in sorted((corpus / "jsonl").glob("*.jsonl"))
        for line in p.read_text(encoding="utf-8").splitlines()
    ]


def _export(tmp_path: Path, tasks: list[dict[str, Any]], **kw: Any) -> Path:
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(tasks), salt="s", **kw)  # type: ignore[arg-type]
    return out


def test_span_agreement_beside_the_category_agreement(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    # reviewer 2 marks a shorter threat span than reviewer 1: an overlap, no exact match
    tasks[1]["annotations"][1]["result"][1] = span(THREAT, "leaves alive", "threat")
    corpus = _export(tmp_path, tasks)
    numbers = json.loads((corpus / "report" / "report.json").read_text())
    got, want = numbers["span_agreement"], recount(_rows(corpus))
    assert want["threat"]["f1_exact"] == 0.0 and want["threat"]["f1_overlap"] == 0.5
    for label, figures in want.items():
        entry = got["overall"] if label == "all" else got["labels"][label]
        assert {k: entry[k] for k in figures} == figures, label
    # agreement.json (what `annotate agreement` prints) holds the same figures
    assert json.loads((corpus / "agreement.json").read_text())["spans"] == got
    md = (corpus / "report" / "report.md").read_text()
    t = got["labels"]["threat"]
    assert f"| threat | 0.000 | 0.500 | {t['n_passages']} | {t['n_pairs']} | {t['n_spans']} |" in md
    assert "| call_to_violence | n/a | n/a | 0 | 0 | 0 |" in md  # marked on no pair
    assert "Hripcsak & Rothschild 2005" in md and "is not counted for it" in md
    # beside the category agreement: after its alpha table, before the gold figures
    assert md.index("| category | Krippendorff alpha") < md.index("Evidence spans:")
    assert md.index("Evidence spans:") < md.index("## Reviewer workload")
    assert '"spans"' not in md  # not dumped again under "Other agreement figures"


def _gold_task(n: int, labels: list[str], answers: list[tuple[int, list[str]]]) -> dict:
    text = f"Gold passage number {n} with its own words."
    t = task(
        900 + n,
        f"gold-{n:02d}",
        text,
        doc=f"gold-{n:02d}",
        index=0,
        model_labels=labels,
        annotations=[
            annotation(9000 + 10 * n + i, user, [choices("category", cats)], minute=n % 60,
                       lead_time=3.0)
            for i, (user, cats) in enumerate(answers)
        ],
    )  # fmt: skip
    t["meta"] = {GOLD_META_KEY: {"labels": labels, "severity": ""}}
    return t


def test_the_gold_passages_each_reviewer_missed_are_named(tmp_path: Path) -> None:
    extra = GOLD_MISSED_SHOWN + 5
    gold = [_gold_task(n, ["incitement"], [(1, ["none"])]) for n in range(extra)]
    # (a wrong answer of two categories; `none` with another one is read as incomplete since
    # audit 49 A15: tests/corpus/test_none_with_other.py)
    two_cats = ["violent_threat", "incitement"]
    gold.append(_gold_task(extra, ["none"], [(1, ["none"]), (2, two_cats)]))
    corpus = _export(tmp_path, [*reviewed_tasks(), *gold], redact=RedactionSettings())
    numbers = json.loads((corpus / "report" / "report.json").read_text())
    missed = numbers["gold_missed"]
    # recounted with pandas from agreement.json's gold items
    items = json.loads((corpus / "agreement.json").read_text())["gold"]["items"]
    answers = pd.DataFrame(
        [
            {"reviewer": a["reviewer"], "passage": i["passage_id"],
             "wrong": set(a["categories"]) != set(i["gold"]["labels"])}
            for i in items
            for a in i["answers"]
        ]
    )  # fmt: skip
    wrong = answers[answers["wrong"]].groupby("reviewer")["passage"].apply(sorted).to_dict()
    assert {k: [m["passage_id"] for m in v] for k, v in missed.items()} == {
        r: wrong.get(r, []) for r in answers["reviewer"].unique()
    }
    (one,) = [r for r, v in missed.items() if len(v) == extra]
    (two,) = [r for r, v in missed.items() if len(v) == 1]
    assert missed[two][0] == {
        "passage_id": f"gold-{extra:02d}", "expected": ["none"],
        "answered": ["incitement", "violent_threat"], "expected_severity": "",
        "answered_severity": "",
    }  # fmt: skip
    md = (corpus / "report" / "report.md").read_text()
    assert "got wrong (their categories are not the gold's" in md
    assert f"| {one} | gold-00 | incitement | none |" in md
    assert f"| {two} | gold-{extra:02d} | none | incitement, violent_threat |" in md
    shown = [line for line in md.splitlines() if line.startswith(f"| {one} | gold-")]
    assert len(shown) == GOLD_MISSED_SHOWN  # capped; report.json has all
    assert f"... and {one} 5 more (all in `report.json` `gold_missed`)." in md
    for g in gold:  # ids, never text
        assert g["data"]["text"] not in md
        assert g["data"]["text"] not in json.dumps(numbers["gold_missed"])


def _gold_severity_task(
    n: int, labels: list[str], severity: str, answers: list[tuple[int, list[str], str]]
) -> dict:
    """A gold passage with a gold severity; an answer's severity "" answers none."""
    text = f"Gold passage number {n}, graded by severity."
    t = task(
        950 + n,
        f"sev-{n:02d}",
        text,
        doc=f"sev-{n:02d}",
        index=0,
        model_labels=labels,
        annotations=[
            annotation(
                9500 + 10 * n + i,
                user,
                [choices("category", cats)] + ([choices("severity", [sev])] if sev else []),
                minute=n % 60,
                lead_time=3.0,
            )
            for i, (user, cats, sev) in enumerate(answers)
        ],
    )
    t["meta"] = {GOLD_META_KEY: {"labels": labels, "severity": severity}}
    return t


def test_the_gold_passages_each_reviewer_gave_another_severity_are_named(tmp_path: Path) -> None:
    extra = GOLD_MISSED_SHOWN + 3
    threat = ["violent_threat"]
    # reviewer 1: right categories, severity low instead of high, on every one
    gold = [_gold_severity_task(n, threat, "high", [(1, threat, "low")]) for n in range(extra)]
    # reviewer 2: wrong categories but the right severity (a category miss only), then the
    # right categories and no severity (a severity miss only); reviewer 3: all right
    # (incitement, not `none`: `none` with severity high is read as no severity, stop 51)
    gold.append(_gold_severity_task(extra, threat, "high", [(2, ["incitement"], "high")]))
    both = [(2, threat, ""), (3, threat, "critical")]
    gold.append(_gold_severity_task(extra + 1, threat, "critical", both))
    # a gold passage without a severity: its severity is not counted
    gold.append(_gold_task(extra + 2, ["none"], [(3, ["none"])]))
    corpus = _export(tmp_path, [*reviewed_tasks(), *gold], redact=RedactionSettings())
    numbers = json.loads((corpus / "report" / "report.json").read_text())
    missed = numbers["gold_severity_missed"]
    # recounted with pandas from agreement.json's gold items
    agreement = json.loads((corpus / "agreement.json").read_text())["gold"]
    answers = pd.DataFrame(
        [
            {"reviewer": a["reviewer"], "passage": i["passage_id"],
             "expected": i["gold"]["severity"], "answered": a["severity"] or ""}
            for i in agreement["items"]
            for a in i["answers"]
        ]
    )  # fmt: skip
    graded = answers[answers["expected"].fillna("") != ""]
    wrong = graded[graded["expected"] != graded["answered"]]
    assert {r: [m["passage_id"] for m in v] for r, v in missed.items()} == {
        r: sorted(wrong.loc[wrong["reviewer"] == r, "passage"]) for r in graded["reviewer"].unique()
    }
    # ... and each count is what `severity` accuracy leaves out of severity_n_items
    for r, figures in agreement["reviewers"].items():
        if figures["severity_n_items"]:
            n_right = round(figures["severity"] * figures["severity_n_items"])
            assert len(missed[r]) == figures["severity_n_items"] - n_right, r
    (one,) = [r for r, v in missed.items() if len(v) == extra]
    (two,) = [r for r, v in missed.items() if len(v) == 1]
    (three,) = [r for r, v in missed.items() if not v]
    assert missed[two] == [
        {"passage_id": f"sev-{extra + 1:02d}", "expected_severity": "critical",
         "answered_severity": "", "expected": threat, "answered": threat}
    ]  # fmt: skip
    # reviewer 2's category miss is in gold_missed, with its right severity
    assert [m["passage_id"] for m in numbers["gold_missed"][two]] == [f"sev-{extra:02d}"]
    md = (corpus / "report" / "report.md").read_text()
    assert (
        "Gold passages each reviewer gave another severity (their severity is not the "
        "gold's, as `severity` counts, among gold passages with a severity; passage ids "
        f"only, no text): {'; '.join(f'{r} {len(v)}' for r, v in missed.items())}."
    ) in md
    assert "| reviewer | gold passage | expected severity | answered severity |" in md
    assert f"| {one} | sev-00 | high | low |" in md
    assert f"| {two} | sev-{extra + 1:02d} | critical | - |" in md
    assert not [line for line in md.splitlines() if line.startswith(f"| {three} | sev-")]
    shown = [line for line in md.splitlines() if line.startswith(f"| {one} | sev-")]
    assert len(shown) == GOLD_MISSED_SHOWN  # capped; report.json has all
    assert f"... and {one} 3 more (all in `report.json` `gold_severity_missed`)." in md
    for g in gold:  # ids, never text
        assert g["data"]["text"] not in md
        assert g["data"]["text"] not in json.dumps(missed)


def test_each_high_severity_count_says_which_severity_it_counts(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    # doc-a-p1: high, high, low -> resolved high; reviewer 3 answered low
    tasks[1]["annotations"][1]["result"][2] = choices("severity", ["high"])
    tasks[1]["annotations"][2]["result"][1] = choices("severity", ["low"])
    corpus = _export(tmp_path, tasks)
    numbers = json.loads((corpus / "report" / "report.json").read_text())
    rows = pd.DataFrame(
        [{"reviewer": a["reviewer"], "own": a["severity"], "resolved": r["severity"]}
         for r in _rows(corpus) for a in r["annotations"]]
    )  # fmt: skip
    high = ["high", "critical"]
    resolved = rows[rows["resolved"].isin(high)].groupby("reviewer").size()
    own = rows[rows["own"].isin(high)].groupby("reviewer").size()
    differs = [r for r in resolved.index if resolved[r] != own.get(r, 0)]
    assert differs, "the fixture has a reviewer whose two counts differ"
    for r in differs:  # the numbers are unchanged: each is what its line says
        assert numbers["workload"][r]["high_severity"] == resolved[r]
        assert numbers["exposure"][r]["high_severity"] == own.get(r, 0)
    md = (corpus / "report" / "report.md").read_text().splitlines()
    # each line right after its table
    for line, header in ((HIGH_RESOLVED_LINE, "| high/critical |"),
                         (HIGH_OWN_LINE, "| high severity |")):  # fmt: skip
        at = md.index(line)
        table = [i for i, text in enumerate(md) if header in text and text.startswith("|")]
        assert table and table[0] < at
        assert all(text.startswith("|") for text in md[table[0] : at - 1])
        assert md[at - 1] == ""


def test_an_agreement_json_without_gold_items_says_the_misses_are_not_named() -> None:
    from annotate.audit.report import _agreement_lines

    gold = {"n_gold": 2, "min_accuracy": None,
            "reviewers": {"r-a": {"n_items": 2, "exact": 0.5, "severity": None,
                                  "flagged": False}}}  # fmt: skip
    numbers = {
        "raw_agreement": {"multi_reviewed": 0, "unanimous_categories": 0, "label_ties": 0},
        "resolutions": {},
        "agreement": {"n_items": 0, "n_reviewers": 1, "gold": gold},
        "gold": {},
        "gold_missed": None,  # an export before agreement.json listed gold items
        "gold_severity_missed": None,
    }
    text = "\n".join(_agreement_lines(numbers))
    assert "does not list the gold passages each reviewer answered" in text
    assert "got wrong" not in text and "another severity" not in text


def test_a_category_too_rare_to_estimate_says_so_in_the_alpha_table(tmp_path: Path) -> None:
    """passL54 finding 9: alpha of a category chosen once in 48 answers read "0.000" with a
    CI; agreement.json marks such a category and report.md's table says why it has none."""
    corpus = _export(tmp_path, reviewed_tasks())
    cats = json.loads((corpus / "agreement.json").read_text())["categories"]
    rare = [c for c, v in cats.items() if v.get("too_few_positives")]
    assert rare, cats
    md = (corpus / "report" / "report.md").read_text()
    for c in rare:
        # and no bootstrap interval beside it ("[1.0, 1.0]" read as perfect: newuser57 F6)
        assert f"| {c} | too few positives to estimate | n/a |" in md, md
