"""A push encodes each task with pydantic_core when that gives the standard library's
bytes, else with the standard library (annotate.studio.staging._dumps): the text sent
never depends on which encoder wrote it."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.studio.label_config import parse_label_config
from annotate.studio.staging import _dumps, _plain
from annotate.studio.tasks import row_to_task
from tests.conftest import FIXTURES


def _stdlib(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(min_value=-1.0, max_value=1.0).map(lambda x: round(x, 6))
    | st.sampled_from([0.0, -0.0, 1e-4, 9.9e-5, 1e-5, 1e-06, 3e-06, 7.6e-05, 1e16, 1e15])
    | st.text()
    | st.characters(min_codepoint=0, max_codepoint=0x10FFFF).map(str)
)
_trees = st.recursive(
    _leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=500, deadline=None)
@given(_trees)
def test_the_encoding_is_the_standard_librarys_for_any_json_value(value: Any) -> None:
    task = {"data": value, "predictions": [value]}
    assert _dumps(task) == _stdlib(task)


def test_tasks_of_plain_values_take_the_fast_encoder_and_tiny_floats_do_not(taxonomy) -> None:
    config = parse_label_config(taxonomy.render_label_config())
    row = json.loads((FIXTURES / "prelabels.jsonl").read_text().splitlines()[0])
    task = row_to_task(row, taxonomy, config, where="t")
    assert _plain(task) and _dumps(task) == _stdlib(task)
    for odd in (1e-05, float("nan"), float("inf"), 1e16, 3e-06):
        changed = {**task, "data": {**task["data"], "priority": odd}}
        assert not _plain(changed)
        assert _dumps(changed) == _stdlib(changed)
    lone = {**task, "data": {**task["data"], "passage_id": "a\ud800"}}
    assert _plain(lone) and _dumps(lone) == _stdlib(lone)  # pydantic_core refuses it
