"""Span agreement recounted with pandas from exported rows, independently of
:mod:`annotate.review.span_agreement` (for rows where a reviewer marks at most one span
of a label per passage, so that overlap matches need no one-to-one assignment)."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pandas as pd


def recount(rows: list[dict[str, Any]]) -> dict[str, dict[str, float | int | None]]:
    """``{label or "all": {"f1_exact", "f1_overlap", "n_passages", "n_pairs"}}``."""
    spans = pd.DataFrame(
        [
            {"passage": r["id"], "reviewer": a["reviewer"], "label": s["label"],
             "start": s["start"], "end": s["end"]}
            for r in rows
            if len(r["annotations"]) >= 2
            for a in r["annotations"]
            for s in a["spans"]
        ],
        columns=["passage", "reviewer", "label", "start", "end"],
    )  # fmt: skip
    assert not spans.duplicated(["passage", "reviewer", "label"]).any(), "one span a label"
    pairs = pd.DataFrame(
        [
            {"passage": r["id"], "a": a, "b": b}
            for r in rows
            for a, b in combinations(sorted(x["reviewer"] for x in r["annotations"]), 2)
        ],
        columns=["passage", "a", "b"],
    )
    units = []
    for label in spans["label"].unique():
        of = spans[spans["label"] == label]
        for side in ("a", "b"):
            pairs = pairs.merge(
                of.rename(
                    columns={"reviewer": side, "start": f"s_{side}", "end": f"e_{side}"}
                ).drop(columns="label"),
                on=["passage", side],
                how="left",
            )
        counted = pairs[pairs["s_a"].notna() | pairs["s_b"].notna()].copy()
        counted["label"] = label
        counted["n"] = counted["s_a"].notna().astype(int) + counted["s_b"].notna().astype(int)
        counted["exact"] = (counted["s_a"] == counted["s_b"]) & (counted["e_a"] == counted["e_b"])
        shared = counted[["e_a", "e_b"]].min(axis=1, skipna=False) - counted[["s_a", "s_b"]].max(
            axis=1, skipna=False
        )
        counted["overlap"] = shared.fillna(0) > 0
        units.append(counted[["passage", "a", "b", "label", "n", "exact", "overlap"]])
        pairs = pairs.drop(columns=["s_a", "e_a", "s_b", "e_b"])
    table = (
        pd.concat(units)
        if units
        else pd.DataFrame(columns=["passage", "a", "b", "label", "n", "exact", "overlap"])
    )

    def figure(part: pd.DataFrame) -> dict[str, float | int | None]:
        n = int(part["n"].sum())
        return {
            "f1_exact": round(2 * int(part["exact"].sum()) / n, 4) if n else None,
            "f1_overlap": round(2 * int(part["overlap"].sum()) / n, 4) if n else None,
            "n_passages": int(part["passage"].nunique()),
            "n_pairs": len(part[["passage", "a", "b"]].drop_duplicates()),
        }

    out = {str(label): figure(part) for label, part in table.groupby("label")}
    out["all"] = figure(table)
    return out
