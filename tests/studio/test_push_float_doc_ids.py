"""A table whose id column pandas stored as floats (an integer column with an empty cell)
was ingested, before ingest wrote such an id as the integer (``annotate._util.coerce.
id_str``), under document ids ``7.0``; ingested again now, its documents are ``7`` and
every passage id differs. Pushed into the project that holds the earlier push, the
passages are the same ones (same text, same place in the same document): push leaves them
out whatever ``keep_reposts`` says (they are not re-posts: pushing them made a second task
of every passage), records nothing on their tasks, and says why, once, with a count.
Staging's SQL on real DuckDB; a fake client that lists tasks as the server does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate._util.passage_ids import passage_id, text_key
from annotate.cli.push import renamed_documents_warning
from annotate.studio.push import push
from tests.conftest import FIXTURES
from tests.studio.test_push import RefusingClient

ROWS = [json.loads(x) for x in (FIXTURES / "prelabels.jsonl").read_text().splitlines() if x]
NUMBERS = {"doc-a": 7, "doc-b": 8, "doc-c": 9}


def _as(rows: list[dict], render: str) -> list[dict]:
    """``rows`` with their documents numbered as an id column gives them (``{}``: the
    number, ``{}.0``: as annotate wrote a float id before), passage ids as ingest gives."""
    out = []
    for row in rows:
        doc = render.format(NUMBERS.get(row["doc_id"], 6))
        out.append({**row, "doc_id": doc, "id": passage_id(doc, row["text"])})
    return out


class ListingClient(RefusingClient):
    """Lists tasks as the server's task listing does (text digest, meta, passage index)
    and keeps the meta push writes."""

    def __init__(self, tasks: list[dict]) -> None:
        super().__init__(set())
        self.tasks = [
            {"id": i, "data": row, "predictions": [{"model_version": row["model_version"]}]}
            for i, row in enumerate(tasks, start=1)
        ]
        self.meta: dict[int, dict] = {}

    def iter_task_versions(self, project_id, after=None, text_field=None):
        for t in list(self.tasks):
            if after is not None and t["id"] <= after:
                continue
            data = t["data"]
            yield (
                t["id"],
                data["passage_id"] if "passage_id" in data else data["id"],
                frozenset(p["model_version"] for p in t["predictions"]),
                data.get("doc_id"),
                False,
                text_key(data["text"]),
                dict(self.meta.get(t["id"], {})),
                data.get("passage_index"),
                None,
            )

    def list_projects(self, include=None):
        return [{"id": 1, "title": "Forum"}]

    def get_task_meta(self, task_id):
        return dict(self.meta.get(task_id, {}))

    def update_task_meta(self, task_id, meta):
        self.meta[task_id] = meta


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.parametrize("keep_reposts", [False, True])
def test_passages_pushed_under_float_document_ids_are_not_pushed_again(
    taxonomy, tmp_path: Path, keep_reposts: bool
) -> None:
    client = ListingClient(_as(ROWS, "{}.0"))
    again = _write(tmp_path / "again.jsonl", _as(ROWS, "{}"))
    result = push(again, "Forum", taxonomy=taxonomy, client=client, keep_reposts=keep_reposts)  # type: ignore[arg-type]
    assert (result.created, result.reposts, result.failed) == (0, 0, 0)
    assert len(client.tasks) == len(ROWS)  # no second task of any passage
    assert client.meta == {}  # not recorded as re-posts of themselves
    assert result.renamed == len(ROWS)
    first = _as(ROWS[:1], "{}")[0]
    assert result.renamed_examples[0] == (first["id"], "7", "7.0", 1)


def test_a_statement_posted_in_another_document_is_still_a_repost(taxonomy, tmp_path) -> None:
    client = ListingClient(_as(ROWS, "{}.0"))
    later = _as(ROWS[:1], "{}")[0]
    later = {**later, "doc_id": "70", "id": passage_id("70", later["text"])}
    result = push(_write(tmp_path / "l.jsonl", [later]), "Forum", taxonomy=taxonomy, client=client)  # type: ignore[arg-type]
    assert (result.reposts, result.renamed) == (1, 0)


def test_the_warning_says_what_happened_once_with_a_count(capsys) -> None:
    renamed_documents_warning("Forum", 6, [("p_1", "7", "7.0", 1)])
    err = capsys.readouterr()
    text = err.out + err.err
    assert text.count("warning:") == 1
    assert "6 passages of this file are already in 'Forum'" in text
    assert "document '7' here, '7.0' on task 1" in text


def test_a_review_set_leaves_them_out_of_every_queue_too(tmp_path: Path) -> None:
    """`push -k 2`: the set's queues hold the passages under '7.0'; pushed again under '7'
    they are neither re-posts nor new passages (with keep_reposts, a second pair of tasks
    each)."""
    from annotate.review.fanout import push_review
    from tests.test_review_push_reposts import MetaStudio, _queued

    client = MetaStudio()
    first = _write(tmp_path / "first.jsonl", _as(ROWS, "{}.0"))
    push_review(first, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    before = _queued(client)
    again = _write(tmp_path / "again.jsonl", _as(ROWS, "{}"))
    for keep in (False, True):
        result = push_review(again, "Batch", 2, client=client, salt="s", keep_reposts=keep)  # type: ignore[arg-type]
        assert (result.reposts, result.renamed) == (0, len(ROWS))
        assert sum(s.created for s in result.reviewers) == 0
        assert _queued(client) == before
    assert "annotate_reposts" not in json.dumps([t for ts in client.tasks.values() for t in ts])
