"""report.md's "By resolved category" counted a tied passage's agreed categories only:
the category its two reviewers split on (no lead has decided yet) vanished from the
table, read by an auditor as a decided "no". The table shows, per category, the
passages decided yes, decided no and undecided, as report.json does; recounted here
with pandas from the exported rows."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from annotate.corpus.export import export

from .fakes import FakeStudio, annotation, choices, reviewed_tasks, task

TIED = "They will be at the depot tonight, come armed and make them pay."


def _tied_task() -> dict:
    """Two reviewers agree on violent_threat and split on incitement: a tie, no lead."""
    return task(
        20,
        "doc-t-p0",
        TIED,
        doc="doc-t",
        index=0,
        model_labels=["violent_threat", "incitement"],
        annotations=[
            annotation(
                201,
                1,
                [choices("category", ["violent_threat"]), choices("severity", ["high"])],
                minute=10,
                lead_time=5.0,
            ),
            annotation(
                202,
                2,
                [
                    choices("category", ["violent_threat", "incitement"]),
                    choices("severity", ["high"]),
                ],
                minute=11,
                lead_time=6.0,
            ),
        ],
    )


def test_categories_a_tie_left_undecided_are_shown_per_category(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    studio = FakeStudio([*reviewed_tasks(), _tied_task()])
    export("p", out, client=studio, salt="s")  # type: ignore[arg-type]
    frame = pd.concat(
        [pd.read_json(p, lines=True) for p in sorted((out / "jsonl").glob("*.jsonl"))],
        ignore_index=True,
    )
    numbers = json.loads((out / "report" / "report.json").read_text(encoding="utf-8"))
    md = (out / "report" / "report.md").read_text(encoding="utf-8")
    decisions = numbers["counts"]["by_category_decision"]

    def undecided(row: pd.Series, cat: str) -> bool:
        if not row["label_tie"] or row["resolution"] == "adjudicated":
            return False
        chose = sum(cat in a["categories"] for a in row["annotations"])
        return 2 * chose == len(row["annotations"])

    assert set(decisions) == set(numbers["counts"]["by_category"]) - {"(unresolved)"}
    for cat, got in decisions.items():
        yes = int(frame["labels"].map(lambda labels, c=cat: c in labels).sum())
        open_ = int(frame.apply(undecided, axis=1, cat=cat).sum())
        want = {"yes": yes, "no": len(frame) - yes - open_, "undecided": open_}
        assert got == want, cat
        assert f"| {cat} | {yes} | {want['no']} | {open_} |" in md, cat
    # the tied passage's split category is there, not folded into "no"
    assert decisions["incitement"]["undecided"] == 1
    assert numbers["counts"]["undecided_passages"] == 1
    assert "1 passage(s) have an undecided category" in md
