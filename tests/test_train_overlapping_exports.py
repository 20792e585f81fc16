"""retrain56 finding 5: `train --data corpus1/ --data corpus3/` (two exports of one
project) trained on 258 passages twice and scored 22 test passages twice. Each passage
now trains and is scored once, as the newest export has it; a label the exports
disagree on is the newer one's, and both are said."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.training.sources import DataSource, load_examples


def _export(folder: Path, when: str, splits: dict) -> Path:
    (folder / "jsonl").mkdir(parents=True)
    (folder / "manifest.json").write_text(
        json.dumps({"taxonomy": {"version": "1.0.0"}, "exported_at": when})
    )
    for split, items in splits.items():
        (folder / "jsonl" / f"{split}.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in items)
        )
    return folder


def test_each_passage_of_overlapping_exports_counts_once_as_the_newest_has_it(
    tmp_path: Path, taxonomy, caplog
) -> None:
    a = {"id": "p1", "text": "We will burn it down.", "labels": ["none"]}
    b = {"id": "p2", "text": "The council met today.", "labels": ["none"]}
    c = {"id": "p3", "text": "Another reviewed passage.", "labels": ["news_reporting"]}
    fixed = {**a, "labels": ["incitement"]}
    newer = _export(tmp_path / "corpus3", "2026-12-06T10:00:00Z", {"train": [fixed, b, c]})
    older = _export(tmp_path / "corpus1", "2026-12-01T10:00:00Z", {"train": [a, b]})
    # the newer export given first: its copies are kept all the same
    with caplog.at_level("WARNING", logger="annotate.training.sources"):
        exs, described = load_examples(
            [DataSource(str(newer)), DataSource(str(older))], taxonomy, 13
        )
    assert sorted(e.id for e in exs) == ["p1", "p2", "p3"]
    assert next(e for e in exs if e.id == "p1").labels == {"incitement"}
    said = " ".join(caplog.text.split())
    assert "2 passages also in a newer --data export left out" in said, said
    assert "1 of them have other labels there (e.g. p1): the newer export's labels are used" in said
    # the older export's record counts what it trained with
    assert described[1]["rows"] == 0 and described[0]["rows"] == 3
