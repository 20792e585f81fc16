"""The split names are declared once (annotate.corpus.schema: SPLITS and the subsets read
off it, FIT_SPLITS and EVAL_SPLITS); five modules spelled a subset out again
(("train", "validation"), ("validation", "test"), all three with their caps), and the
encoder-head trainer keyed its metrics by the names written out."""

from __future__ import annotations

import ast
from pathlib import Path

from annotate.corpus.schema import EVAL_SPLITS, FIT_SPLITS, SPLITS, TEST, TRAIN, VALIDATION

ROOT = Path(__file__).resolve().parents[1] / "annotate"
SCHEMA = ROOT / "corpus" / "schema.py"


def _spelled(tree: ast.AST) -> list[int]:
    """Lines of a tuple, list, set or dict (keys) naming two or more splits as literals
    (or a tuple of ``(split, value)`` pairs doing so)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            elts = [k for k in node.keys if k is not None]
        elif isinstance(node, ast.Tuple | ast.List | ast.Set):
            elts = node.elts
        else:
            continue
        firsts = [e.elts[0] if isinstance(e, ast.Tuple) and e.elts else e for e in elts]
        names = {e.value for e in firsts if isinstance(e, ast.Constant)} & set(SPLITS)
        if len(names) >= 2:
            found.append(node.lineno)
    return found


def test_the_subsets_are_read_off_splits() -> None:
    assert (TRAIN, VALIDATION, TEST) == SPLITS == ("train", "validation", "test")
    assert SPLITS[:2] == FIT_SPLITS and SPLITS[1:] == EVAL_SPLITS


def test_no_module_spells_the_splits_out_again() -> None:
    spelled = {
        str(path.relative_to(ROOT.parent)): lines
        for path in sorted(ROOT.rglob("*.py"))
        if path != SCHEMA and (lines := _spelled(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert spelled == {}, spelled
