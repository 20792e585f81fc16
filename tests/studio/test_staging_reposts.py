"""A push leaves out re-posts: passages whose exact text a task already holds under
another passage id (the same statement in another document, ingested without
``--previous``). Staging (real DuckDB) with the tasks as the reader gives them; the real
server: tests/integration/test_push_reposts.py."""

from __future__ import annotations

import json
from pathlib import Path

from annotate._util.passage_ids import passage_id, text_key
from annotate.studio.label_config import parse_label_config
from annotate.studio.push import PushResult, push
from annotate.studio.staging import staging
from tests.conftest import FIXTURES
from tests.studio.test_push import RefusingClient
from tests.test_cli import run

PRELABELS = FIXTURES / "prelabels.jsonl"
ROWS = [json.loads(x) for x in PRELABELS.read_text().splitlines() if x.strip()]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _present(rows: list[dict], first: int = 1) -> list[tuple]:
    """The tasks of ``rows`` as :func:`annotate.studio.push._reader` reads them."""
    return [
        (first + i, r["id"], frozenset({"m"}), r["doc_id"], False, text_key(r["text"]))
        for i, r in enumerate(rows)
    ]


def _reposted(row: dict, doc: str) -> dict:
    """``row``'s statement re-posted in document ``doc`` (a new id, as ingest gives it)."""
    return {**row, "id": passage_id(doc, row["text"]), "doc_id": doc, "passage_index": 0}


def test_a_text_held_under_another_passage_id_is_left_out(taxonomy, tmp_path: Path) -> None:
    config = parse_label_config(taxonomy.render_label_config())
    threat = ROWS[1]  # "We will come for you at the depot tonight ..."
    later = [_reposted(threat, "forum-thread-9"), _reposted(ROWS[2], "doc-new")]
    later[1]["text"] += " (a new sentence)"  # another text: pushed
    path = _write(tmp_path / "later.jsonl", later)
    with staging() as stage:
        stage.stage_file(path, taxonomy, config)
        stage.load_present(7, _present(ROWS[:2]))
        stage.load_present(8, _present(ROWS[2:], first=3))  # a numbered project
        assert stage.plan() == 1
        assert [pid for pid, _ in stage.todo(0, 10)] == [later[1]["id"]]
        assert stage.repost_count() == 1
        # the task holding the text is named, with where the passage is in the file
        shown = (later[0]["id"], "line 1", 7, 2, threat["id"], "forum-thread-9")
        assert list(stage.reposts()) == [shown]
        # not a failure (the other passage is: nothing was imported here)
        assert [pid for pid, _ in stage.problems()] == [later[1]["id"]]
        held = [(2, [(later[0]["id"], "forum-thread-9")], None, set())]  # meta not read
        assert list(stage.reposts_by_task()) == held
        # asked to keep them: pushed
        assert stage.plan(keep_reposts=True) == 2
        assert stage.repost_count() == 0


def test_only_tasks_of_passages_outside_the_file_count(taxonomy, tmp_path: Path) -> None:
    """A file holding the same text twice (ingest --keep-duplicates) pushed in two goes
    (cut short, run again) leaves out what one push would: nothing; a task without a
    text read (None) matches nothing."""
    config = parse_label_config(taxonomy.render_label_config())
    twice = [ROWS[0], _reposted(ROWS[0], "doc-copy")]
    path = _write(tmp_path / "twice.jsonl", twice)
    with staging() as stage:
        stage.stage_file(path, taxonomy, config)
        stage.load_present(7, _present(twice[:1]))  # the first go pushed one of them
        stage.load_present(7, [(9, "other", frozenset(), None, None, None)])
        assert stage.plan() == 1
        assert stage.repost_count() == 0


def test_text_keys_are_ingests_exact_duplicate_key() -> None:
    from annotate.ingestion.seen import text_digest

    text = ROWS[1]["text"]
    assert text_key(text) == int.from_bytes(text_digest(text), "big", signed=True)
    assert text_key(text) != text_key(text + " ")  # exact: one space more is another text


class TextListingClient(RefusingClient):
    """Lists its project once it holds tasks, each with its text's key, as the real
    client's listing does when asked for the text field."""

    def list_projects(self, include=None):
        return [{"id": 1, "title": "pro"}] if self.tasks else []

    def iter_task_versions(self, project_id, after=None, text_field=None):
        for t in list(self.tasks):
            if after is None or t["id"] > after:
                data = t["data"]
                versions = frozenset(p["model_version"] for p in t["predictions"])
                key = text_key(data[text_field]) if text_field else None
                meta = dict(t.get("meta") or {})
                index = data.get("passage_index")
                yield t["id"], data["passage_id"], versions, data["doc_id"], False, key, meta, index

    def get_task_meta(self, task_id):
        return dict(self.tasks[task_id - 1].get("meta") or {})

    def update_task_meta(self, task_id, meta):
        self.tasks[task_id - 1]["meta"] = meta


def test_push_counts_them_and_keep_reposts_pushes_them(taxonomy, tmp_path: Path) -> None:
    client = TextListingClient(set())
    push(PRELABELS, "pro", taxonomy=taxonomy, client=client)
    later = _write(tmp_path / "later.jsonl", [_reposted(ROWS[1], "thread-2")])
    result = push(later, "pro", taxonomy=taxonomy, client=client)
    assert (result.total, result.created, result.skipped, result.reposts) == (1, 0, 0, 1)
    assert (result.failed, len(client.tasks)) == (0, 6)
    pid = passage_id("thread-2", ROWS[1]["text"])
    held = next(t["id"] for t in client.tasks if t["data"]["passage_id"] == ROWS[1]["id"])
    # named as a review push names it: passage id, document and line of the pushed file (the
    # line is the table's, not the document's: "document D, row 2" read as the document's)
    where = f"document thread-2; line 1 of {later}"
    assert result.repost_examples == [(pid, where, 1, held)]
    # the task holding the text records it, once however often the push runs
    record = {"annotate_reposts": [{"passage_id": pid, "doc_id": "thread-2"}]}
    assert client.tasks[held - 1]["meta"] == record and result.reposts_recorded == 1
    assert push(later, "pro", taxonomy=taxonomy, client=client).reposts_recorded == 0
    assert client.tasks[held - 1]["meta"] == record
    again = push(later, "pro", taxonomy=taxonomy, client=client, keep_reposts=True)
    assert (again.created, again.reposts, len(client.tasks)) == (1, 0, 7)
    # it has a task of its own now: the holder no longer lists it as left out
    assert client.tasks[held - 1]["meta"] == {} and again.reposts_recorded == 1
    # pushed now: a re-run finds it by passage id, whatever it is asked
    last = push(later, "pro", taxonomy=taxonomy, client=client)
    assert (last.created, last.skipped, last.reposts) == (0, 1, 0)


def test_the_cli_says_how_many_and_how_to_push_them(monkeypatch, tmp_path: Path) -> None:
    done = PushResult(1, "pro", "http://fake/projects/1/data", "m", total=5, created=3)
    done.reposts, done.repost_examples = 2, [("p_1", "line 4", 1, 17)]
    seen: dict = {}

    def fake_push(*args, **kwargs):
        seen.update(kwargs)
        return done

    monkeypatch.setattr("annotate.studio.push.push", fake_push)
    path = _write(tmp_path / "b.jsonl", [])
    out = run("push", str(path), "--project", "pro", "-q")
    assert out.returncode == 0, out.stderr
    assert (
        "2 re-posted passages already in the project left out (same text as an existing "
        "task); --keep-reposts pushes them. E.g. 'p_1' (line 4): task 17 of project 1"
    ) in out.stdout + out.stderr
    assert seen["keep_reposts"] is False
    out = run("push", str(path), "--project", "pro", "-q", "--keep-reposts")
    assert out.returncode == 0, out.stderr
    assert seen["keep_reposts"] is True


def test_the_record_keeps_what_a_task_held_and_adds_each_re_post_once() -> None:
    from annotate.studio.reposts import MAX_RECORDED, merged

    gold = {"gold": {"labels": ["none"]}}
    once = merged(gold, [("p1", "d1"), ("p1", "d1")])
    assert once == {**gold, "annotate_reposts": [{"passage_id": "p1", "doc_id": "d1"}]}
    assert merged(once, [("p1", "d1")]) is None  # nothing new: no request
    many = merged({}, [(f"p{i}", None) for i in range(MAX_RECORDED + 5)])
    assert many is not None and len(many["annotate_reposts"]) == MAX_RECORDED


def test_a_placed_passage_leaves_the_record_in_the_same_request() -> None:
    from annotate.studio.reposts import merged

    held = {"gold": 1, "annotate_reposts": [{"passage_id": "p1"}, {"passage_id": "p2"}]}
    # p1 got a task of its own, p3 is a new re-post: one write does both
    assert merged(held, [("p3", "d3")], {"p1"}) == {
        "gold": 1,
        "annotate_reposts": [{"passage_id": "p2"}, {"passage_id": "p3", "doc_id": "d3"}],
    }
    assert merged(held, [], {"p1", "p2"}) == {"gold": 1}  # the list emptied: no key
    assert merged(held, [("p3", None)], {"p3"}) is None  # placed: not recorded, no request
    assert merged(held, [], {"p9"}) is None  # nothing listed placed: no request


def test_staging_names_a_holder_whose_re_post_has_a_task_now(taxonomy, tmp_path: Path) -> None:
    """A passage left out before, pushed with --keep-reposts (or read with a task of its
    own): its holder, read with its record, is named to drop it; not when the server
    refused it."""
    config = parse_label_config(taxonomy.render_label_config())
    copy = _reposted(ROWS[1], "thread-2")
    path = _write(tmp_path / "later.jsonl", [copy])
    record = {"annotate_reposts": [{"passage_id": copy["id"], "doc_id": "thread-2"}]}
    holder = (2, ROWS[1]["id"], frozenset({"m"}), "doc-a", False, text_key(ROWS[1]["text"]))
    for failed, expected in ((False, [(2, [], record, {copy["id"]})]), (True, [])):
        with staging() as stage:
            stage.stage_file(path, taxonomy, config)
            stage.load_present(7, [(*holder, record, 1)])
            assert stage.plan(keep_reposts=True) == 1
            if failed:
                stage.add_failed({copy["id"]: "refused"})
            assert list(stage.reposts_by_task()) == expected
