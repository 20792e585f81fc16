"""The split names (train, validation, test) are declared once, in
``annotate.corpus.schema`` (``SplitName`` and ``SPLITS``); before, six modules kept their
own tuple of them (and two more listed them inline), so a renamed or added split would
have been missed by some."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic import ValidationError

from annotate.corpus.schema import SPLITS

PACKAGE = Path(__file__).parents[2] / "annotate"
SCHEMA = PACKAGE / "corpus" / "schema.py"


def _all_split_literals(tree: ast.AST) -> list[int]:
    """Line numbers of tuples, lists or sets of string constants naming every split (a
    ``Literal[...]`` subscript's tuple included)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            names = {e.value for e in node.elts if isinstance(e, ast.Constant)}
            if set(SPLITS) <= names:
                found.append(node.lineno)
    return found


def test_no_module_but_the_schema_lists_the_split_names():
    assert SPLITS == ("train", "validation", "test")
    found = {
        str(path.relative_to(PACKAGE.parent)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != SCHEMA
        and (lines := _all_split_literals(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}, "read SPLITS / SplitName from annotate.corpus.schema"
    assert _all_split_literals(ast.parse(SCHEMA.read_text(encoding="utf-8")))


def test_the_modules_that_had_their_own_tuple_read_the_schemas():
    from annotate.audit import corpus as audit_corpus
    from annotate.corpus import previous_export
    from annotate.evaluation import evaluate, trained_splits
    from annotate.training import row_training

    for module in (audit_corpus, previous_export, trained_splits, row_training):
        assert module.SPLITS is SPLITS, module.__name__
    assert ("all", *SPLITS) == evaluate.SPLIT_CHOICES


def test_a_config_entry_split_still_takes_only_a_split_name():
    from annotate.training.config import DataEntry

    assert DataEntry(path="a.jsonl", split="test").split == "test"
    assert DataEntry(path="a.jsonl").split is None
    with pytest.raises(ValidationError, match="'train', 'validation' or 'test'"):
        DataEntry(path="a.jsonl", split="dev")
