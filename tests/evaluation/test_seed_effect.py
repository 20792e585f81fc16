"""`annotate evaluate --seed 5 --data EXPORT` printed nothing about the seed, which only
splits project tables: an export (or a table whose rows name their split) keeps its
splits whatever the seed. It now says the seed has no effect."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.evaluation.seed_effect import carries_its_splits, seed_has_no_effect
from tests.test_cli import _error_line, run


def _table(path: Path, splits: list[str | None]) -> Path:
    rows = [
        {"doc_id": f"d{i}", "text": f"passage {i}", "labels": ["none"]}
        | ({} if s is None else {"split": s})
        for i, s in enumerate(splits)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_which_data_keeps_its_splits(tmp_path):
    export = tmp_path / "export"
    (export / "jsonl").mkdir(parents=True)
    (export / "manifest.json").write_text("{}")
    split_file = _table(export / "jsonl" / "test.jsonl", [None])
    named = _table(tmp_path / "named.jsonl", ["train", "test"])
    partly = _table(tmp_path / "partly.jsonl", ["train", None])
    plain = _table(tmp_path / "plain.jsonl", [None, None])
    assert carries_its_splits(export) and carries_its_splits(split_file)
    assert carries_its_splits(named) and not carries_its_splits(named, mapped=True)
    assert not carries_its_splits(partly) and not carries_its_splits(plain)
    assert not carries_its_splits(tmp_path / "missing.jsonl")
    assert seed_has_no_effect([export, named]) and not seed_has_no_effect([export, plain])
    assert not seed_has_no_effect([])


def test_evaluate_says_the_seed_has_no_effect_on_an_export(tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    (export / "manifest.json").write_text("{}")
    not_a_model = tmp_path / "not-a-model"
    not_a_model.mkdir()
    args = ["evaluate", "--data", str(export), "--model", str(not_a_model)]
    # the note comes before the model is read (this one is no model: an error follows)
    ran = run(*args, "--seed", "5", "--out", str(tmp_path / "r"))
    assert (
        "note: --seed 5 has no effect: every --data keeps the splits it was written with"
        in ran.stderr
    ), ran.stderr
    _error_line(ran)
    plain = _table(tmp_path / "plain.jsonl", [None])
    ran = run(*args[:2], str(plain), *args[3:], "--seed", "5", "--out", str(tmp_path / "r"))
    assert "has no effect" not in ran.stderr
    ran = run(*args, "--out", str(tmp_path / "r"))
    assert "has no effect" not in ran.stderr


def test_a_semicolon_csv_naming_its_splits_keeps_them(tmp_path):
    """train/evaluate read a ';'-separated CSV as such (F11): so does this check."""
    semi = tmp_path / "semi.csv"
    semi.write_bytes("\ufefftext;labels;split\na;none;train\nb;none;test\n".encode())
    assert carries_its_splits(semi)
