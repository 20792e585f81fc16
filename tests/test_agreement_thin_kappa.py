"""break13 finding 15: with two reviewers per passage `agreement` declined alpha for every
rare category ("too few positives to estimate") and then sent the user to "the kappas
above", whose mean over categories (0.549) rested on the same two passages. The pairwise
kappas follow the alphas' rule now: a category too rare for the pair is left out of the
mean (kept in the JSON, marked in ``categories_too_few``), and where every one is, the
mean is n/a and the consensus line no longer points at it."""

from __future__ import annotations

from annotate.audit.report import _category_kappas, _kappa_mean_cell
from annotate.review.agreement import agreement, kappa_mean, summary_lines
from tests.test_review_agreement import LEVELS, NO_HARM, _rare_rows, ann

CATS = ["violent_threat", "incitement", "counter_speech", "none"]


def _sparse_rows() -> list[dict]:
    """The finding's set: 25 passages, one both violent_threat, one violent_threat vs
    counter_speech, 23 both none."""
    rows = [
        {
            "id": "p00",
            "labels": ["violent_threat"],
            "annotations": [
                ann("A", ["violent_threat"], "high"),
                ann("B", ["violent_threat"], "high"),
            ],
        },
        {
            "id": "p01",
            "labels": [],
            "resolution": "tie",
            "annotations": [
                ann("A", ["violent_threat"], "high"),
                ann("B", ["counter_speech"], "none"),
            ],
        },
    ]
    for i in range(2, 25):
        both = [ann("A", ["none"], "none"), ann("B", ["none"], "none")]
        rows.append({"id": f"p{i:02}", "labels": ["none"], "annotations": both})
    return rows


def test_every_category_too_rare_gives_no_kappa_mean_and_no_pointer_to_it() -> None:
    rep = agreement(_sparse_rows(), CATS, LEVELS, no_harm_severity=NO_HARM, resamples=10)
    (pair,) = rep["pairwise_kappa"]
    assert pair["categories_too_few"] == {
        "violent_threat": "positives",
        "incitement": "positives",  # nobody chose it: no kappa either
        "counter_speech": "positives",
        "none": "negatives",
    }
    assert pair["categories"]["violent_threat"] is not None  # the values stay in the JSON
    assert pair["categories_mean"] is None
    text = "\n".join(summary_lines(rep))
    assert "no category mean is meaningful: too few positives (or negatives) to estimate" in text
    assert (pair["categories_mean_n"], pair["categories_mean_of"]) == (0, 4)
    assert "0.549" not in text, text
    # a category nobody chose says so (it read "0 of 50 answers chose it")
    assert (
        "incitement             alpha n/a: too few positives to estimate (none of 50 answers "
        in text
    )
    assert "read the kappas above" not in text, text
    assert "the kappas above rest on as few positives as the alphas" in text, text
    # the audit report's table says so too
    assert _kappa_mean_cell(pair) == "too few positives/negatives to estimate"
    cells = _category_kappas(pair)
    assert cells[0] == "too few positives to estimate" and cells[1] is None
    assert cells[3] == "too few negatives to estimate"


def test_the_kappa_mean_leaves_out_the_rare_categories_only() -> None:
    rows = _rare_rows(16)  # x: 16 of 48 positives, y: 16 of 48 negatives: both readable
    rows[20]["annotations"][0]["categories"] = ["y", "z"]  # z: once, too rare
    rep = agreement(rows, ["x", "y", "z"], LEVELS, no_harm_severity=NO_HARM, resamples=10)
    (pair,) = rep["pairwise_kappa"]
    assert pair["categories_too_few"] == {"z": "positives"}
    x, y = pair["categories"]["x"], pair["categories"]["y"]
    assert pair["categories_mean"] == round((x + y) / 2, 3)
    text = "\n".join(summary_lines(rep))
    want = f"mean over 2 of 3 categories {pair['categories_mean']:.3f} (x, y; the others: "
    assert want + "too few positives (or negatives) to estimate: z)" in text, text
    assert "read the kappas above" in text, text  # something to read there
    assert (pair["categories_mean_n"], pair["categories_mean_of"]) == (2, 3)
    assert _kappa_mean_cell(pair) == (
        f"{pair['categories_mean']:.3f} (over 2 of 3; the others too few positives)"
    )
    assert _category_kappas(pair)[:2] == [x, y]


def test_a_report_written_before_keeps_its_mean_over_every_category() -> None:
    pair = {"reviewers": ["A", "B"], "n_items": 3, "categories": {"x": 0.5, "y": None}}
    rep = {"n_items": 3, "n_reviewers": 2, "reviewers": ["A", "B"], "categories": {},
           "severity": {"alpha": None, "n_items": 3},
           "pairwise_kappa": [{**pair, "severity": None}],
           "reviewer_vs_consensus": {}}  # fmt: skip
    assert "  kappa A vs B: mean over categories 0.500, severity n/a (n=3)" in summary_lines(rep)


def test_the_kappa_mean_names_the_categories_it_is_over() -> None:
    """newuser61 F4: a three-reviewer newsroom round printed "mean over categories 1.000
    (1 of 7; 6 too rare ...)" for one pair and "(2 of 5; ...)" for another: a mean over one
    category read as one over the taxonomy, and 7 against 5 was unexplained (the
    categories with a kappa). The line names the categories the mean is over."""
    rows = _rare_rows(16)
    rows[20]["annotations"][0]["categories"] = ["y", "z"]
    rep = agreement(rows, ["x", "y", "z"], LEVELS, no_harm_severity=NO_HARM, resamples=10)
    (pair,) = rep["pairwise_kappa"]
    x = pair["categories"]["x"]  # as if y were too rare too: the mean is x's alone
    thin = {"y": "negatives", "z": "positives"}
    line = kappa_mean({**pair, "categories_too_few": thin, "categories_mean": x})
    assert line == (
        f"no category mean is meaningful: only x of the 3 categories can be read (kappa {x:.3f}); "
        "the others: too few positives (or negatives) to estimate: y, z"
    ), line


def test_a_mean_over_one_category_is_not_called_a_mean() -> None:
    """newuser62 #7: on a 60-passage pilot every category but `none` was too rare, and the
    kappa line read "mean over categories 0.867", one category's kappa of 7, which a lead
    took for overall agreement. The line, the JSON and the report's table say so."""
    rows = _rare_rows(16)
    rows[20]["annotations"][0]["categories"] = ["y", "z"]
    rep = agreement(rows, ["x", "y", "z"], LEVELS, no_harm_severity=NO_HARM, resamples=10)
    (pair,) = rep["pairwise_kappa"]
    pair = {**pair, "categories_too_few": {"y": "negatives", "z": "positives"}}
    pair["categories_mean"] = pair["categories"]["x"]
    rep = {**rep, "pairwise_kappa": [pair]}
    text = "\n".join(summary_lines(rep))
    assert "kappa A vs B: no category mean is meaningful: only x of the 3 categories" in text
    assert "mean over categories" not in text, text
    cell = _kappa_mean_cell(pair)
    assert cell == "no meaningful mean: 1 of 3 categories readable, the others too few positives"


def test_the_kappa_mean_cell_tells_no_kappa_from_too_few_positives() -> None:
    """Reader 62 finding 10: the report's cell called every category left out of the
    mean "too few positives", also those with no kappa at all (undefined, not offered),
    which kappa_mean keeps apart; and kappa_mean ended in a dangling "; " where one
    category was kept and no other was named."""
    pair = {
        "categories": {"x": 0.8, "y": None, "z": None},
        "categories_too_few": {},
        "categories_mean": 0.8,
    }
    cell = _kappa_mean_cell(pair)
    assert cell == "no meaningful mean: 1 of 3 categories readable, the others no kappa", cell
    pair = {
        "categories": {"w": 0.6, "x": 0.8, "y": 0.5, "z": None},
        "categories_too_few": {"y": "positives"},
        "categories_mean": 0.7,
    }
    assert _kappa_mean_cell(pair) == "0.700 (over 2 of 4; 1 too few positives, 1 no kappa)"
    line = kappa_mean({"categories": {"x": 0.8}, "categories_too_few": {}, "categories_mean": 0.8})
    assert not line.rstrip().endswith(";"), line
