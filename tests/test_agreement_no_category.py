"""An answer that chose no category (a reviewer who submitted only a severity, or an
empty answer: Label Studio's API and imports accept one) abstains from the category
question: the category agreement leaves it out, as export's vote does (resolution
``incomplete``, :mod:`annotate.corpus.resolve`), and counts it apart. It was read as "no"
to every category: a disagreement with every reviewer who chose one."""

from __future__ import annotations

from annotate.review.agreement import agreement, summary_lines

CATS = ["x", "y", "none"]
LEVELS = ["none", "low", "medium", "high", "critical"]
NO_HARM = "none"  # labels.yaml's level-0 severity (agreement requires it)


def ann(reviewer: str, cats: list[str], severity: str) -> dict:
    return {"reviewer": reviewer, "categories": cats, "severity": severity}


def rows(*, empty: bool) -> list[dict]:
    third = [ann("A", ["x"], "high"), ann("C", ["x"], "high")]
    if empty:  # B submitted a severity and no category
        third.insert(1, ann("B", [], "high"))
    return [
        {"id": "p1", "labels": ["x"], "resolution": "unanimous",
         "annotations": [ann("A", ["x"], "low"), ann("B", ["x"], "low")]},
        {"id": "p2", "labels": [], "resolution": "tie",
         "annotations": [ann("A", ["x"], "high"), ann("B", ["y"], "low")]},
        {"id": "p3", "labels": ["x"], "resolution": "unanimous", "annotations": third},
        {"id": "p4", "labels": ["none"], "resolution": "majority",
         "annotations": [ann("A", ["none"], "none"), ann("B", ["none"], "none"),
                         ann("C", ["y"], "low")]},
    ]  # fmt: skip


def test_an_answer_without_a_category_is_left_out_of_the_category_figures() -> None:
    got = agreement(rows(empty=True), CATS, LEVELS, no_harm_severity=NO_HARM, resamples=100, seed=3)
    ref = agreement(
        rows(empty=False), CATS, LEVELS, no_harm_severity=NO_HARM, resamples=100, seed=3
    )
    assert got["categories"] == ref["categories"]  # alpha, interval, counts
    assert got["categories"]["x"]["n_answers"] == 9  # B's empty answer is no "no"
    kappas = {tuple(p["reviewers"]): p["categories"] for p in got["pairwise_kappa"]}
    assert kappas == {tuple(p["reviewers"]): p["categories"] for p in ref["pairwise_kappa"]}
    ab = next(p for p in got["pairwise_kappa"] if p["reviewers"] == ["A", "B"])
    assert ab["n_items"] == 4 and ab["categories_n_items"] == 3
    b, b_ref = got["reviewer_vs_consensus"]["B"], ref["reviewer_vs_consensus"]["B"]
    assert (b["n_items"], b["exact"], b["categories"]) == (
        b_ref["n_items"], b_ref["exact"], b_ref["categories"]
    )  # fmt: skip
    assert b["n_no_category_left_out"] == 1
    # the severity it gave still counts (as in export's vote)
    assert got["severity"]["n_answers"] == ref["severity"]["n_answers"] + 1
    assert got["answers_without_category"] == 1 and ref["answers_without_category"] == 0


def test_the_summary_says_how_many_answers_chose_no_category() -> None:
    lines = summary_lines(
        agreement(rows(empty=True), CATS, LEVELS, no_harm_severity=NO_HARM, resamples=10)
    )
    said = " ".join(" ".join(lines).split())
    assert (
        "1 answer chose no category (a skipped or empty category question): left out of "
        "the category figures, not counted as a disagreement; its severity counts"
    ) in said, said
    ref = summary_lines(
        agreement(rows(empty=False), CATS, LEVELS, no_harm_severity=NO_HARM, resamples=10)
    )
    assert not any("chose no category" in line for line in ref)


def test_a_passage_left_with_one_category_answer_is_not_compared_on_categories() -> None:
    # two answers, one empty: nothing to compare on the categories, the severity pairs
    only = [{"id": "p1", "labels": ["x"], "resolution": "unanimous",
             "annotations": [ann("A", ["x"], "low"), ann("B", [], "low")]}]  # fmt: skip
    got = agreement(only, CATS, LEVELS, no_harm_severity=NO_HARM, resamples=10)
    assert got["categories"]["x"]["n_items"] == 0 and got["categories"]["x"]["n_answers"] == 1
    assert got["severity"]["n_items"] == 1
    assert got["pairwise_kappa"][0]["categories"] == {c: None for c in CATS}
    assert got["reviewer_vs_consensus"]["B"]["n_items"] == 0


def test_the_report_s_unanimity_count_reads_it_as_an_abstention_too() -> None:
    from annotate.audit.stats import raw_agreement

    def unanimous(*cats: list[str]) -> int:
        anns = [ann(f"R{i}", c, "") for i, c in enumerate(cats)]
        return raw_agreement([{"label_tie": False, "annotations": anns}])["unanimous_categories"]

    # x, (none chosen), x: unanimous, as export's resolution says; no category at all: not
    assert unanimous(["x"], [], ["x"]) == 1
    assert unanimous(["x"], ["y"]) == 0
    assert unanimous([], []) == 0


def test_an_answer_pairing_none_with_another_is_counted_apart_from_empty_ones() -> None:
    """break49 B2: it was called "a skipped or empty category question"."""
    data = rows(empty=True)
    b = data[2]["annotations"][1]
    b["categories_answered"] = ["none", "x"]  # export's row: no vote, what was chosen
    got = agreement(data, CATS, LEVELS, no_harm_severity=NO_HARM, resamples=10)
    assert got["answers_without_category"] == 1 and got["answers_none_with_other"] == 1
    said = " ".join(" ".join(summary_lines(got)).split())
    assert "skipped or empty" not in said, said
    assert "1 answer chose `none` together with another category (contradictory" in said
