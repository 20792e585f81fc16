"""What a push sends is byte for byte what the push code sent before it computed each
row's derived values once: tests/fixtures/push_golden/expected.jsonl, written by that
older code (make.py beside it), holds the task JSON of every row in plan order and what
``row_to_task`` builds for each row on its own. Changed on purpose since: the hidden
neighbour's note (passC50 R6 named the neighbour's passage id, break5 B19 the "if it is
in your project" condition), rewritten in the "sent" strings only after checking that
the note was the one difference from the older code's bytes."""

from __future__ import annotations

import json

from annotate.studio.label_config import parse_label_config
from annotate.studio.staging import staging
from annotate.studio.tasks import row_to_task
from tests.conftest import FIXTURES

GOLDEN = FIXTURES / "push_golden"


def _expected() -> tuple[list[list[str]], list[dict]]:
    lines = [json.loads(x) for x in (GOLDEN / "expected.jsonl").read_text("utf-8").splitlines()]
    return [x["sent"] for x in lines if "sent" in x], [x["built"] for x in lines if "built" in x]


def test_the_staged_push_sends_the_same_bytes_in_the_same_order(taxonomy) -> None:
    sent, _ = _expected()
    config = parse_label_config(taxonomy.render_label_config())
    with staging() as stage:
        stage.stage_file(GOLDEN / "rows.jsonl", taxonomy, config)
        total = stage.plan()
        got = [list(t) for t in stage.todo(0, 7) + stage.todo(7, total)]
    assert total == len(sent) == 60
    assert got == sent  # the strings themselves: key order, number format, escaping


def test_row_to_task_builds_the_same_task_for_every_row(taxonomy) -> None:
    _, built = _expected()
    config = parse_label_config(taxonomy.render_label_config())
    rows = (GOLDEN / "rows.jsonl").read_text("utf-8").splitlines()
    for n, (line, expected) in enumerate(zip(rows, built, strict=True), start=1):
        task = row_to_task(json.loads(line), taxonomy, config, where=f"line {n}")
        assert json.dumps(task, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
