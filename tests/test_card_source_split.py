"""The card says how each mapped public source was split (passJ54 L4): HatemojiBuild is
published as train/validation/test files, read together and split again by a seeded
hash (its contrastive pairs kept together), so its "test" rows in the card are not its
published test set (593 rows); the card said nothing, and an engineer comparing with the
paper's figures would assume the published split. A file the config puts in one split
(Gab's ghc_test.tsv) says so."""

from __future__ import annotations

from annotate.evaluation.model_card import training_data_lines


def _entry(**extra):
    return {
        "path": "/data/hatemoji-build/*.csv",
        "kind": "mapped",
        "rows": 5349,
        "label_counts": {"test": {"none": 790, "violent_threat": 33}},
        "given": "../data/hatemoji-build/*.csv",
        "root": "absolute",
        "resolved": "/data/hatemoji-build/*.csv",
        "files": [
            {"path": n, "role": "data", "sha256": "0" * 64, "bytes": 1, "rows": r}
            for n, r in (("test.csv", 593), ("train.csv", 4728), ("validation.csv", 591))
        ],
        "mapping": "models/mappings/hatemoji-build.yaml",
        **extra,
    }


def test_a_source_published_with_its_own_split_is_said_to_be_split_again():
    lines = [ln for ln in training_data_lines([_entry()]) if "Split:" in ln]
    assert lines == [
        "  Split: seeded hash, rows linked through `entry_id` / `matched_id` kept together "
        "(validation 15%, test 15%, the rest train); the source's own split (`test.csv`, "
        "`train.csv`, `validation.csv`) is not kept: its files are read together and split "
        "again, so the test rows here are not its published test set."
    ]


def test_a_file_the_config_puts_in_one_split_says_so():
    entry = _entry(split="test", files=[], path="/data/ghc_test.tsv")
    entry["mapping"] = "models/mappings/gab-hate-corpus.yaml"
    lines = [ln for ln in training_data_lines([entry]) if "Split:" in ln]
    assert lines == ["  Split: every row in the test split (set in the config or mapping)."]


def test_the_held_out_section_says_how_its_tables_were_scored():
    """passJ54 M2: a card's test tables made as evaluate makes them say so; heads-only
    tables (the encoder-head trainer) say they are; a model trained before the record
    keeps its card as written (verify compares that section line by line)."""
    from annotate.evaluation.model_card import held_out_lines

    rep = {"n": 2, "per_label": {}, "macro_f1": None, "ece": None}
    evaluated = held_out_lines({**rep, "scored_as": "evaluate"}, [], [], detailed=False)
    assert evaluated[0].startswith("Each test passage is predicted as `annotate evaluate")
    heads = held_out_lines({**rep, "scored_as": "heads"}, [], [], detailed=False)
    assert heads[0].startswith("Heads only: each test passage is scored by the fitted heads")
    before = held_out_lines(rep, [], [], detailed=False)
    assert before[0] == "All test sources together (n=2):"
