"""Agreement figures against values computed by hand (see the comments)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotate.review.agreement import agreement, summary_lines

CATS = ["x", "y"]
LEVELS = ["none", "low", "medium", "high", "critical"]
NO_HARM = "none"  # labels.yaml's level-0 severity (agreement requires it)


def ann(reviewer: str, cats: list[str], severity: str) -> dict:
    return {"reviewer": reviewer, "categories": cats, "severity": severity}


ROWS = [
    {
        "labels": ["x"],
        "resolution": "unanimous",
        "annotations": [ann("A", ["x"], "low"), ann("B", ["x"], "low")],
    },
    {
        "labels": [],
        "resolution": "tie",
        "annotations": [ann("A", ["x"], "high"), ann("B", ["y"], "low")],
    },
    {
        "labels": ["y"],
        "resolution": "majority",
        "annotations": [
            ann("A", ["y"], "none"),
            ann("B", ["y"], "none"),
            ann("C", ["x", "y"], "medium"),
        ],
    },
    {
        "labels": ["x"],
        "resolution": "adjudicated",
        "annotations": [ann("A", ["x", "y"], "low"), ann("C", ["x"], "low")],
    },
    # one reviewer only: not pairable, left out of every figure
    {"labels": ["y"], "resolution": "unanimous", "annotations": [ann("A", ["y"], "high")]},
]


@pytest.fixture(scope="module")
def report() -> dict:
    return agreement(ROWS, CATS, LEVELS, no_harm_severity=NO_HARM, resamples=200, seed=1)


def test_counts(report: dict) -> None:
    assert report["n_items"] == 4
    assert report["reviewers"] == ["A", "B", "C"]
    assert report["categories"]["x"]["n_answers"] == 9


def test_alpha_nominal_by_hand(report: dict) -> None:
    # x: coincidences o00=1, o01=o10=2, o11=4; n0=3, n1=6, n=9
    # D_o = 4/9, D_e = 2*3*6/(9*8) = 1/2 -> alpha = 1 - 8/9 = 1/9
    assert report["categories"]["x"]["alpha"] == pytest.approx(1 / 9, abs=1e-4)
    # y: o00=2, o01=o10=2, o11=3; n0=4, n1=5 -> D_e = 40/72 -> alpha = 1 - 4/5 = 0.2
    assert report["categories"]["y"]["alpha"] == pytest.approx(0.2, abs=1e-4)
    lo, hi = report["categories"]["x"]["ci95"]
    assert -1.0 <= lo <= hi <= 1.0


def test_alpha_ordinal_severity_by_hand(report: dict) -> None:
    # levels 0..4; n0=2, n1=5, n2=1, n3=1, n=9; disagreeing pairs (1,3) and (0,2)
    # delta^2(1,3) = (7-3)^2 = 16, delta^2(0,2) = (8-1.5)^2 = 42.25
    # sum o*delta^2 = 2*16 + 2*42.25 = 116.5; sum n_c n_k delta^2 (ordered) = 891
    # alpha = 1 - 8 * 116.5 / 891
    assert report["severity"]["alpha"] == pytest.approx(1 - 8 * 116.5 / 891, abs=1e-4)
    assert report["severity"]["n_items"] == 4


def test_pairwise_kappa_by_hand(report: dict) -> None:
    pairs = {tuple(p["reviewers"]): p for p in report["pairwise_kappa"]}
    ab = pairs[("A", "B")]
    assert ab["n_items"] == 3
    # x: po=2/3, pe=4/9 -> 0.4; y likewise; severity: po=2/3, pe=1/3 -> 0.5
    assert ab["categories"] == {"x": pytest.approx(0.4), "y": pytest.approx(0.4)}
    assert ab["severity"] == pytest.approx(0.5)
    ac = pairs[("A", "C")]
    assert ac["n_items"] == 2
    assert ac["categories"]["x"] == pytest.approx(0.0)
    assert ac["severity"] == pytest.approx(1 / 3, abs=1e-4)
    bc = pairs[("B", "C")]
    assert bc["n_items"] == 1
    assert bc["categories"]["y"] is None  # both said yes: kappa undefined, not invented


def test_reviewer_vs_consensus_by_hand(report: dict) -> None:
    cons = report["reviewer_vs_consensus"]
    # the tied passage p2 is left out, and so is p1, decided by two agreeing answers (a
    # consensus that is each one's own answer); A: right on p3, not on p4 (adjudicated)
    assert cons["A"]["n_items"] == 2
    assert cons["A"]["exact"] == 0.5
    assert cons["A"]["categories"] == {"x": 1.0, "y": 0.5}
    assert cons["B"] == {
        "n_items": 1,
        "n_ties_left_out": 1,
        "n_two_answer_votes_left_out": 1,
        "n_no_category_left_out": 0,
        "exact": 1.0,
        "categories": {"x": 1.0, "y": 1.0},
    }
    assert cons["C"]["exact"] == 0.5  # p3 (three answers) and p4 (adjudicated) both count
    assert cons["A"]["n_ties_left_out"] == 1
    assert cons["C"]["n_two_answer_votes_left_out"] == 0


def test_no_variation_gives_none_not_a_number() -> None:
    rows = [{"labels": ["x"], "annotations": [ann("A", ["x"], "low"), ann("B", ["x"], "low")]}]
    rep = agreement(rows, CATS, LEVELS, no_harm_severity=NO_HARM, resamples=50)
    assert rep["categories"]["x"]["alpha"] is None
    assert rep["categories"]["x"]["ci95"] is None
    assert any("n/a" in line for line in summary_lines(rep))


def test_empty() -> None:
    rep = agreement([], CATS, LEVELS, no_harm_severity=NO_HARM, resamples=10)
    assert rep["n_items"] == 0 and rep["pairwise_kappa"] == []


def test_one_reviewer_is_counted_and_told_what_agreement_needs() -> None:
    """The count is of the passages with an answer (the rows), not of those pushed: "0 of
    3 passages answered by 2+ reviewers" read, mid-round in a review set of 10 passages, as
    a set of 3 (found as a team lead on a real server)."""
    rows = [{"labels": ["x"], "annotations": [ann("A", ["x"], "low")]} for _ in range(3)]
    lines = summary_lines(agreement(rows, CATS, LEVELS, no_harm_severity=NO_HARM, resamples=10))
    assert lines[0] == (
        "0 of 3 passages with a submitted answer were answered by 2+ reviewers "
        "(1 reviewer(s) in all)"
    )
    assert any("--reviewers-per-task 2" in line for line in lines)


def test_nothing_to_compare_prints_the_hint_and_no_na_lines() -> None:
    """A project whose tasks nobody answered printed the hint, then one "alpha n/a (n=0)"
    line per category and for severity: noise under the one line that matters."""
    for rows in ([], [{"labels": ["x"], "annotations": [ann("A", ["x"], "low")]}]):
        lines = summary_lines(agreement(rows, CATS, LEVELS, no_harm_severity=NO_HARM, resamples=10))
        assert len(lines) == 2, lines
        assert not any("n/a" in line for line in lines)


def test_a_review_set_without_overlapping_answers_is_not_told_to_push_with_k() -> None:
    """A set already pushed with --reviewers-per-task 2 whose reviewers have not both
    answered a passage was told to push with `--reviewers-per-task 2`: it names
    `review status` instead."""
    rows = [{"labels": ["x"], "annotations": [ann("A", ["x"], "low")]} for _ in range(3)]
    lines = summary_lines(
        agreement(rows, CATS, LEVELS, no_harm_severity=NO_HARM, resamples=10), review_set="Batch 3"
    )
    assert not any("--reviewers-per-task" in line for line in lines)
    assert any("annotate review status --project 'Batch 3'" in line for line in lines)


def test_a_review_set_of_one_reviewer_per_passage_is_not_told_to_wait() -> None:
    """A set pushed with --reviewers-per-task 1 (gold tasks only), every task answered, was
    told "no passage has two submitted answers yet ... once two or more reviewers have
    answered" and sent to `review status` for open tasks: none will ever have two. It says
    so, with K, and how to get agreement (a new set: a set keeps its K)."""
    rows = [{"labels": ["x"], "annotations": [ann("A", ["x"], "low")]} for _ in range(3)]
    rep = agreement(rows, CATS, LEVELS, no_harm_severity=NO_HARM, resamples=10)
    lines = summary_lines(rep, review_set="Solo", reviewers_per_task=1)
    assert len(lines) == 2, lines
    assert "yet" not in lines[1] and "review status" not in lines[1], lines
    assert "gives each passage to 1 reviewer" in lines[1], lines
    assert "--reviewers-per-task 2" in lines[1] and "--project NEW" in lines[1], lines
    # K = 2: the set is waiting for answers, as before
    two = summary_lines(rep, review_set="Solo", reviewers_per_task=2)
    assert "annotate review status --project 'Solo'" in two[1], two


def test_two_reviewers_without_adjudication_have_no_consensus_figure() -> None:
    """passL54 finding 9: with two reviewers per passage `agreement` printed "agrees with
    consensus on 1.000" for every reviewer: two answers either agree (the consensus is
    each one's own answer) or tie (no consensus), so the figure was 1.000 by construction.
    It is n/a, said once, pointing to the kappas; no per-reviewer 1.000."""
    rows = [
        {"labels": ["x"], "annotations": [ann("A", ["x"], "low"), ann("B", ["x"], "low")]},
        {
            "labels": [],
            "resolution": "tie",
            "annotations": [ann("A", ["x"], "low"), ann("B", ["y"], "low")],
        },
    ]
    rep = agreement(rows, CATS, LEVELS, no_harm_severity=NO_HARM, resamples=10)
    cons = rep["reviewer_vs_consensus"]["A"]
    assert (cons["exact"], cons["n_items"], cons["n_two_answer_votes_left_out"]) == (None, 0, 1)
    lines = summary_lines(rep, emails={"A": "ana@ex.org"})
    assert not [ln for ln in lines if "agrees with consensus" in ln], lines
    assert "  agreement with consensus: n/a with 2 reviewers per passage" in "\n".join(lines)
    # two passages: the kappas are as thin as the alphas (break13 finding 15), so the line
    # says so rather than "read the kappas above" (tests/test_agreement_thin_kappa.py)
    assert any("the kappas above rest on as few positives" in line for line in lines)


def test_two_reviewers_with_adjudication_count_the_adjudicated_passages() -> None:
    """Once a lead has decided a tie, the consensus can differ from a reviewer's answer:
    the figure is the share of such passages where the reviewer chose what the lead did."""
    rows = [
        {"labels": ["x"], "annotations": [ann("A", ["x"], "low"), ann("B", ["x"], "low")]},
        {
            "labels": ["y"],
            "resolution": "adjudicated",
            "annotations": [ann("A", ["x"], "low"), ann("B", ["y"], "low")],
        },
    ]
    rep = agreement(rows, CATS, LEVELS, no_harm_severity=NO_HARM, resamples=10)
    cons = rep["reviewer_vs_consensus"]
    assert (cons["A"]["exact"], cons["A"]["n_items"]) == (0.0, 1)
    assert (cons["B"]["exact"], cons["B"]["n_items"]) == (1.0, 1)
    text = "\n".join(summary_lines(rep))
    assert "  A agrees with consensus on 0.000 (n=1; 1 passage(s) decided by two" in text, text
    assert "n/a with 2 reviewers per passage" not in text


def _rare_rows(positives: int, passages: int = 24) -> list[dict]:
    """Two reviewers a passage; ``positives`` answers chose x (each on its own passage,
    the other reviewer saying y), the rest y from both."""
    rows = []
    for i in range(passages):
        a = ["x"] if i < positives else ["y"]
        rows.append(
            {
                "id": f"p{i:02}",
                "labels": a if i >= positives else [],
                "resolution": "tie" if i < positives else "unanimous",
                "annotations": [ann("A", a, "low"), ann("B", ["y"], "low")],
            }
        )
    return rows


def test_a_category_with_too_few_positives_says_so_not_an_alpha() -> None:
    """passL54 finding 9: one positive answer in 48 printed "extremist_propaganda alpha
    0.000 [-0.044, 0.000] (n=24)": a figure with nothing behind it. Under 5 chance
    agreements expected on the rarer value (ATLAS.ti's rule after Krippendorff 2019) it
    reads "too few positives to estimate"; the JSON keeps the value and says why."""
    rep = agreement(_rare_rows(1), CATS, LEVELS, no_harm_severity=NO_HARM, resamples=20)
    x = rep["categories"]["x"]
    assert x["too_few_positives"] is True
    assert (x["n_positive"], x["n_compared_answers"]) == (1, 48)
    assert x["alpha"] is not None  # the value is kept in the JSON
    line = next(ln for ln in summary_lines(rep) if ln.strip().startswith("x "))
    assert "alpha n/a: too few positives to estimate (1 of 48 answers chose it;" in line, line
    assert "0.000" not in line, line
    # y is chosen by 47 of 48: its rare value is "not chosen"
    line = next(ln for ln in summary_lines(rep) if ln.strip().startswith("y "))
    assert "too few negatives to estimate (1 of 48 answers left it out;" in line, line


def test_a_category_with_enough_positives_keeps_its_alpha() -> None:
    # 12 of 48 positives: 12 * 11 / 47 = 2.8 chance agreements (too few); 16: 16*15/47 = 5.1
    assert agreement(_rare_rows(12), CATS, LEVELS, no_harm_severity=NO_HARM, resamples=5)[
        "categories"
    ]["x"].get("too_few_positives")
    rep = agreement(_rare_rows(16), CATS, LEVELS, no_harm_severity=NO_HARM, resamples=20)
    assert "too_few_positives" not in rep["categories"]["x"]
    line = next(ln for ln in summary_lines(rep) if ln.strip().startswith("x "))
    assert "too few" not in line and f"alpha {rep['categories']['x']['alpha']:.3f}" in line


def test_progress_counts_every_bootstrap_resample_against_its_total() -> None:
    from tests.fakes import StageRecorder

    stages = StageRecorder()
    with_pairs = agreement(
        ROWS,
        CATS,
        LEVELS,
        no_harm_severity=NO_HARM,
        resamples=50,
        seed=1,
        progress=stages("a", unit="r"),
    )
    assert stages.totals["a"] == 50 * (len(CATS) + 1) == stages.done["a"]
    # the figures do not depend on whether progress is watched
    assert with_pairs == agreement(
        ROWS, CATS, LEVELS, no_harm_severity=NO_HARM, resamples=50, seed=1
    )
    agreement(
        ROWS[-1:],
        CATS,
        LEVELS,
        no_harm_severity=NO_HARM,
        resamples=50,
        progress=stages("b", unit="r"),
    )
    assert stages.totals["b"] is None and stages.done["b"] == 0  # nothing to resample


def test_scikit_learn_is_imported_only_when_two_reviewers_answered_a_passage() -> None:
    """scikit-learn (Cohen's kappa) takes seconds to import: an export of a project with
    one reviewer a passage does not pay for it."""
    code = (
        "import sys\n"
        "from tests.test_review_agreement import ROWS, CATS, LEVELS, NO_HARM\n"
        "from annotate.review.agreement import agreement\n"
        "agreement(ROWS[-1:], CATS, LEVELS, no_harm_severity=NO_HARM, resamples=5)\n"
        "print('sklearn' in sys.modules)\n"
        "agreement(ROWS, CATS, LEVELS, no_harm_severity=NO_HARM, resamples=5)\n"
        "print('sklearn' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[1]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, env=env, check=True
    )
    assert proc.stdout.split() == ["False", "True"]


def test_the_same_rows_in_another_order_give_the_same_report() -> None:
    # `annotate agreement` reads rows in Label Studio's order, export in split order;
    # README: `--json` is the same as the export's agreement.json. The bootstrap draws
    # passages by position, so its intervals moved with the order (0.450 vs 0.462).
    split = {
        "labels": [],
        "resolution": "tie",
        "annotations": [ann("A", ["x"], "low"), ann("B", [], "none")],
    }
    rows = [{**r, "id": f"p{i:02}"} for i, r in enumerate(ROWS * 3 + [split] * 4)]
    forward = agreement(rows, CATS, LEVELS, no_harm_severity=NO_HARM, resamples=200, seed=1)
    backward = agreement(rows[::-1], CATS, LEVELS, no_harm_severity=NO_HARM, resamples=200, seed=1)
    assert forward["categories"]["x"]["ci95"] is not None
    assert backward == forward


def test_summary_lines_name_each_pseudonym_s_account_where_known(report: dict) -> None:
    """`annotate agreement` printed kappas and consensus by pseudonym only: a lead of four
    could not tell who agreed with whom without pairing them by hand with `review status`."""
    text = "\n".join(summary_lines(report, emails={"A": "ana@ex.org", "B": None}))
    assert "kappa A (ana@ex.org) vs B:" in text, text
    assert "  A (ana@ex.org) agrees with consensus" in text, text
    assert "  B agrees with consensus" in text, text
    assert "(ana@ex.org)" not in "\n".join(summary_lines(report)), "no e-mail unless given"


def test_a_pair_with_no_passage_in_common_is_counted_not_listed() -> None:
    """A hand-over (dee -> eve) left a pair that never shared a passage: agreement printed
    'kappa eve vs dee: mean over categories n/a, severity n/a (n=0)' among the pairs."""
    rows = [
        {
            "labels": ["x"],
            "resolution": "unanimous",
            "annotations": [ann("A", ["x"], "low"), ann("B", ["x"], "low")],
        },
        {
            "labels": ["y"],
            "resolution": "unanimous",
            "annotations": [ann("A", ["y"], "none"), ann("C", ["y"], "none")],
        },
    ]
    rep = agreement(rows, CATS, LEVELS, no_harm_severity=NO_HARM, resamples=10)
    assert [p["n_items"] for p in rep["pairwise_kappa"]] == [1, 1, 0]  # the JSON keeps it
    lines = summary_lines(rep, emails={"B": "ben@ex.org"})
    assert not [ln for ln in lines if "kappa B" in ln], lines
    want = (
        "  (1 reviewer pair(s) answered no passage in common, so no kappa, "
        "e.g. B (ben@ex.org) and C)"
    )
    assert want in lines, lines


def test_agreement_requires_the_taxonomys_no_harm_severity() -> None:
    """Stop 52: a caller that left ``no_harm_severity`` out got the lowest severity level
    as "no harm", wrong for a labels.yaml whose lowest level is harmful (break5 B8): an
    answer choosing that level with no harmful category was counted as a harmful category
    with severity `none`. It is required now, so every caller passes the taxonomy's."""
    with pytest.raises(TypeError, match="no_harm_severity"):
        agreement(ROWS, CATS, LEVELS, resamples=0)  # type: ignore[call-arg]
