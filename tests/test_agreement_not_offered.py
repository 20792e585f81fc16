"""Agreement leaves out the answers made under a labeling config that did not offer a
category (the export manifest's ``labels_not_offered``): their "no" was forced, and
counting it as agreement inflated the category's alpha and kappa. A small fake export
of two labels.yaml versions: 1.0.0 lacked ``harassment``, 1.1.0 appended it."""

from __future__ import annotations

from annotate.audit.report import _agreement_lines, _not_offered_lines
from annotate.review.agreement import agreement, summary_lines

CATS = ["violence", "harassment", "none"]
LEVELS = ["none", "low", "high"]
NOT_OFFERED = {"1.0.0": ["harassment"]}  # manifest.json labels_not_offered


def ann(reviewer: str, cats: list[str], version: str) -> dict:
    sev = "none" if cats == ["none"] else "low"
    return {"reviewer": reviewer, "categories": cats, "severity": sev, "taxonomy_version": version}


def row(pid: str, a: list[str], b: list[str], version: str) -> dict:
    labels = a if a == b else []
    return {
        "id": pid,
        "labels": labels,
        "resolution": "unanimous" if a == b else "tie",
        "annotations": [ann("A", a, version), ann("B", b, version)],
    }


def old_rows() -> list[dict]:
    """10 passages answered under 1.0.0: harassment could not be chosen (both say no)."""
    pairs = [(["violence"], ["violence"])] * 4 + [(["none"], ["none"])] * 4
    pairs += [(["violence"], ["none"]), (["none"], ["violence"])]
    return [row(f"o{i:02d}", a, b, "1.0.0") for i, (a, b) in enumerate(pairs)]


def new_rows() -> list[dict]:
    """8 passages answered under 1.1.0, where reviewers often disagree on harassment."""
    pairs = [
        (["harassment"], ["harassment"]),
        (["harassment"], ["harassment"]),
        (["harassment"], ["none"]),
        (["none"], ["harassment"]),
        (["harassment"], ["violence"]),
        (["violence"], ["violence"]),
        (["none"], ["none"]),
        (["violence", "harassment"], ["harassment"]),
    ]
    return [row(f"n{i:02d}", a, b, "1.1.0") for i, (a, b) in enumerate(pairs)]


def run(rows: list[dict], not_offered: dict | None) -> dict:
    return agreement(
        rows, CATS, LEVELS, no_harm_severity="none", resamples=50, seed=1, not_offered=not_offered
    )


def test_answers_not_offered_a_category_are_left_out_of_its_figures() -> None:
    both = old_rows() + new_rows()
    got = run(both, NOT_OFFERED)
    offered_only = run(new_rows(), None)  # the answers that could choose harassment
    inflated = run(both, None)  # forced "no"s counted as agreement (before)
    h = got["categories"]["harassment"]
    ref = offered_only["categories"]["harassment"]
    assert h["alpha"] == ref["alpha"] and h["ci95"] == ref["ci95"]
    assert (h["n_items"], h["n_answers"]) == (8, 16)
    assert h["n_answers_not_offered"] == 20
    assert inflated["categories"]["harassment"]["alpha"] > h["alpha"]
    # the other categories were offered to every answer: unchanged, nothing counted
    for cat in ("violence", "none"):
        assert got["categories"][cat] == inflated["categories"][cat]
    # the pair's kappa compares only the passages both could choose it on
    pair = got["pairwise_kappa"][0]
    assert (
        pair["categories"]["harassment"]
        == offered_only["pairwise_kappa"][0]["categories"]["harassment"]
    )
    assert pair["categories_not_offered"] == {"harassment": 10}
    # agreement with consensus on harassment: judged on the 1.1.0 answers only
    for name in ("A", "B"):
        mine = got["reviewer_vs_consensus"][name]["categories"]["harassment"]
        assert mine == offered_only["reviewer_vs_consensus"][name]["categories"]["harassment"]
    # `annotate agreement` and report.md say how many were left out
    line = next(s for s in summary_lines(got) if s.strip().startswith("harassment"))
    assert "20 answers made under a labels.yaml version that did not offer it left out" in line
    md = _agreement_lines(
        {
            "raw_agreement": {"multi_reviewed": 18, "unanimous_categories": 0, "label_ties": 0},
            "resolutions": {},
            "gold": {},
            "agreement": got,
        }
    )
    head = "| category | Krippendorff alpha | 95% CI | items | answers |"
    assert f"{head} answers not offered it (left out) |" in md
    assert any(s.startswith("| harassment |") and s.endswith("| 20 |") for s in md)
    said = " ".join(_not_offered_lines(NOT_OFFERED, got))
    assert "agreement on it leaves out the answers that could not choose it" in said


def test_figures_unchanged_when_every_answer_was_offered_every_category() -> None:
    rows = new_rows()
    assert run(rows, NOT_OFFERED) == run(rows, None) == run(rows, {})
    md = _agreement_lines(
        {
            "raw_agreement": {"multi_reviewed": 8, "unanimous_categories": 0, "label_ties": 0},
            "resolutions": {},
            "gold": {},
            "agreement": run(rows, None),
        }
    )
    assert "| category | Krippendorff alpha | 95% CI | items | answers |" in md
    assert not any("not offered it" in s for s in md)
