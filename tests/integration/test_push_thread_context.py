"""Thread context through a real Label Studio (passL54 finding 5): a comments export whose
rows name the comment they reply to (``parent_id``), ingested with ``--redact``,
pre-labelled and pushed: each reply's task shows its parent comment's masked text
(``context_parent``, under a heading naming the parent, both in the project's labeling
config), a hidden parent as a note without its text, a parent not in the batch as a plain
note; the parent id stays in the task's ``meta`` (what the export writes) and
``parent_doc_id``. Before, reviewers saw no thread context at all."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from annotate.audit.redact import RedactionSettings
from annotate.ingestion import ingest
from annotate.prelabeling import prelabel
from annotate.review.parents import (
    hidden_parent,
    id_prefix,
    missing_parent,
    parent_header,
    thread_header,
)
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from tests.fakes import KeywordClassifier

from .helpers import tasks_by_passage

pytestmark = pytest.mark.integration

COMMENTS = [
    ("c001", "", "The council plans to close the park on Elm Street at night from next month."),
    ("c002", "c001", "Call the council on 07700 900123 or mail parks@example.org before Friday."),
    ("c003", "c002", "Thanks, I called them this morning and they listened."),
    ("c004", "c001", "I will kill whoever voted for this, you know who you are."),
    ("c005", "c004", "Reported. Threats like that have no place on this site."),
    ("c006", "c099", "Nobody asked for this plan anyway, it is a waste of money."),
]


def _labels() -> list[str]:
    from tests.conftest import project_taxonomy

    return list(project_taxonomy().category_names)


def test_replies_show_their_parent_comment(
    client: StudioClient, project_name: str, tmp_path: Path, taxonomy
) -> None:
    table = tmp_path / "comments.csv"
    with table.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["comment_id", "parent_id", "body"])
        writer.writerows(COMMENTS)
    passages = tmp_path / "passages.parquet"
    ingest(
        [table],
        passages,
        text_column="body",
        id_column="comment_id",
        min_chars=10,
        redact=RedactionSettings(),
    )
    pre = tmp_path / "prelabels.jsonl"
    prelabel(passages, pre, classifier=KeywordClassifier(_labels()))
    result = push(pre, project_name, client=client, taxonomy=taxonomy)
    assert result.created == len(COMMENTS)

    config = client.get_project(result.project_id)["label_config"]
    assert "$context_parent" in config and "$parent_header" in config
    tasks = tasks_by_passage(client, result.project_id)
    by_doc = {t["data"]["doc_id"]: t["data"] for t in tasks.values()}
    pid = {doc: pid for pid, t in tasks.items() for doc in [t["data"]["doc_id"]]}

    # a plain parent: its text as ingest masked it
    masked = by_doc["c002"]["text"]
    assert "07700" not in masked and "parks@example.org" not in masked
    # c003 answers c002, which answers c001: the thread, oldest first
    assert (
        by_doc["c003"]["context_parent"]
        == f"{id_prefix('c001')}{COMMENTS[0][2]}\n{id_prefix('c002')}{masked}"
    )
    assert by_doc["c003"]["parent_header"] == thread_header(["c002", "c001"])
    assert by_doc["c002"]["parent_header"] == parent_header("c001")  # one up: as before
    assert by_doc["c002"]["context_parent"] == COMMENTS[0][2]
    # a parent behind its content warning: a note naming its task, never its text
    assert by_doc["c004"]["warning"]
    assert by_doc["c005"]["context_parent"] == (
        f"{id_prefix('c001')}{COMMENTS[0][2]}\n"
        f"{id_prefix('c004')}{hidden_parent('c004', [pid['c004']])}"
    )
    assert "kill" not in by_doc["c005"]["context_parent"]
    # a parent not in the batch: said plainly
    assert by_doc["c006"]["context_parent"] == missing_parent("c099")
    # a top-level comment: no heading, no context
    assert (by_doc["c001"]["parent_header"], by_doc["c001"]["context_parent"]) == ("", "")
    # provenance: the parent id in meta (the export's) and in parent_doc_id
    assert json.loads(by_doc["c005"]["meta"])["parent_id"] == "c004"
    assert by_doc["c005"]["parent_doc_id"] == "c004"


def _old_config(xml: str) -> str:
    """A labeling config as rendered before thread context: without the parent's view."""
    lines = xml.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "$parent_header" in line)
    return "".join(lines[: at - 1] + lines[at + 3 :])


def test_a_project_made_before_thread_context_takes_the_new_config(
    client: StudioClient,
    project_name: str,
    tmp_path: Path,
    taxonomy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A project pushed before (its config without the parent's view, its tasks without
    the fields) takes the new config at the next push: Label Studio accepts it, the old
    tasks stay, the new replies show their parent."""
    import annotate.studio.tasks as tasks_module

    docs = tmp_path / "comments.jsonl"
    docs.write_text(
        "".join(
            json.dumps({"id": cid, "parent_id": parent, "text": text}) + "\n"
            for cid, parent, text in COMMENTS[:3]
        )
    )
    passages = tmp_path / "passages.jsonl"
    ingest([docs], passages, min_chars=10)
    pre = tmp_path / "prelabels.jsonl"
    prelabel(passages, pre, classifier=KeywordClassifier(_labels()))
    rows = pre.read_text().splitlines()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(rows[0] + "\n")
    second.write_text("\n".join(rows[1:]) + "\n")

    old = _old_config(taxonomy.render_label_config())
    assert "$context_parent" not in old and old.count("<View") == old.count("</View>")
    with monkeypatch.context() as m:  # the code before: old config, tasks without fields
        m.setattr(type(taxonomy), "render_label_config", lambda self: old)
        m.setattr(tasks_module, "parent_fields", lambda row: {})
        made = push(first, project_name, client=client, taxonomy=taxonomy)
    assert "$context_parent" not in client.get_project(made.project_id)["label_config"]
    result = push(second, project_name, client=client, taxonomy=taxonomy)
    assert result.project_id == made.project_id and result.created == 2
    assert "$context_parent" in client.get_project(made.project_id)["label_config"]
    by_doc = {
        t["data"]["doc_id"]: t["data"] for t in tasks_by_passage(client, made.project_id).values()
    }
    assert set(by_doc) == {"c001", "c002", "c003"}
    assert "context_parent" not in by_doc["c001"]  # the old task, as it was
    # c002's parent, c001, was pushed before: read from its task (stop 56 gap 1)
    assert by_doc["c002"]["context_parent"] == COMMENTS[0][2]
    assert (
        by_doc["c003"]["context_parent"]
        == f"{id_prefix('c001')}{COMMENTS[0][2]}\n{id_prefix('c002')}{COMMENTS[1][2]}"
    )


PARENT_TEXT = "The council plans to close the park on Elm Street at night from next month."
REPLY_TEXT = "Good, the noise at night has been awful for the whole street."


def _browser_rows() -> list[dict]:
    from .helpers import PRELABELS

    shown = json.loads(PRELABELS.read_text(encoding="utf-8").splitlines()[0])
    common = {"spans": [], "passage_index": 0, "start": None, "end": None, "title": "Park"}
    return [
        {**shown, **common, "id": "thread-c1", "text": PARENT_TEXT, "doc_id": "c1", "meta": "{}"},
        {
            **shown,
            **common,
            "id": "thread-c2",
            "text": REPLY_TEXT,
            "doc_id": "c2",
            "meta": json.dumps({"parent_id": "c1"}),
        },
    ]


def test_the_parent_is_drawn_above_the_passage_in_a_browser(
    studio, client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    """In a real browser (headless Chromium): the reply's page shows the heading naming
    its parent, then the parent's text, above the passage to label; the parent's own page
    (a comment replying to none) shows no such heading, nor the thread's grey bar (stop
    56: an empty bar was drawn above every top-level comment). Screenshot:
    build/test-artifacts/browser/thread_context.png."""
    from annotate.studio.label_config import PASSAGE_HEADER, THREAD_CLASS

    from .test_browser_layout import CHROMIUM, SHOTS, _top, task_page

    if CHROMIUM is None:
        pytest.skip("no chromium (apt-get install chromium)")
    pre = tmp_path / "thread.jsonl"
    pre.write_text("".join(json.dumps(r) + "\n" for r in _browser_rows()), encoding="utf-8")
    pushed = push(pre, project_name, client=client)
    tasks = tasks_by_passage(client, pushed.project_id)
    heading = parent_header("c1")
    with task_page(studio, pushed.project_id, int(tasks["thread-c2"]["id"])) as page:
        page.get_by_text(REPLY_TEXT).first.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(SHOTS / "thread_context.png"))
        tops = [_top(page, text) for text in (heading, PARENT_TEXT, PASSAGE_HEADER, REPLY_TEXT)]
        thread = page.locator(f".lsf-main-view__annotation .{THREAD_CLASS}")
        assert thread.count() == 1 and thread.first.is_visible()
    assert tops == sorted(tops), tops
    with task_page(studio, pushed.project_id, int(tasks["thread-c1"]["id"])) as page:
        page.get_by_text(PARENT_TEXT).first.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        shown = page.locator(".lsf-main-view__annotation").get_by_text("replies to")
        assert not any(shown.nth(i).is_visible() for i in range(shown.count()))
        # nor the thread's grey bar, empty (stop 56 gap 3): the view is not drawn at all
        bar = page.locator(f".lsf-main-view__annotation .{THREAD_CLASS}")
        assert bar.count() == 1 and not bar.first.is_visible()


def _daily(tmp_path: Path, name: str, rows: list[tuple[str, str, str]], taxonomy) -> Path:
    """One day's comments (comment_id, parent_id, body), ingested with ``--redact`` and
    pre-labelled: a prelabel file as a moderation team pushes it."""
    table = tmp_path / f"{name}.csv"
    with table.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["comment_id", "parent_id", "body"])
        writer.writerows(rows)
    passages = tmp_path / f"{name}.parquet"
    ingest(
        [table],
        passages,
        text_column="body",
        id_column="comment_id",
        min_chars=10,
        redact=RedactionSettings(),
    )
    pre = tmp_path / f"{name}.jsonl"
    prelabel(passages, pre, classifier=KeywordClassifier(_labels()))
    return pre


def test_replies_to_an_earlier_batch_show_their_parent(
    client: StudioClient, project_name: str, tmp_path: Path, taxonomy
) -> None:
    """Gap 1 of stop 56: day 1's comments pushed, then day 2's replies to them into the same
    project. Each reply shows its parent's text, read from the parent's task (masked as
    ingest masked it), and the comment above that (the thread); a parent whose task carries
    a content warning stays a note; a parent in neither batch is still said to be missing.
    Before, every reply to day 1 showed "not in this batch"."""
    day1 = _daily(tmp_path, "day1", COMMENTS[:5], taxonomy)
    first = push(day1, project_name, client=client, taxonomy=taxonomy)
    assert first.created == 5
    day2_rows = [
        ("d101", "c003", "Glad it worked out, they never answer my calls."),
        ("d102", "c004", "This account keeps posting threats, please ban it."),
        ("d103", "c099", "Nobody asked for this plan anyway, it is a waste of money."),
        ("d104", "d101", "Same here, I waited on hold for an hour last week."),
    ]
    day2 = _daily(tmp_path, "day2", day2_rows, taxonomy)
    second = push(day2, project_name, client=client, taxonomy=taxonomy)
    assert second.project_id == first.project_id and second.created == 4
    tasks = tasks_by_passage(client, first.project_id)
    by_doc = {t["data"]["doc_id"]: t["data"] for t in tasks.values()}
    pid = {t["data"]["doc_id"]: p for p, t in tasks.items()}
    c002, c003 = by_doc["c002"]["text"], by_doc["c003"]["text"]
    assert "07700" not in c002  # masked at ingest, as its own task shows it
    # d101 answers day 1's c003, which answers c002, which answers c001: three up
    assert by_doc["d101"]["context_parent"] == (
        f"{id_prefix('c001')}{COMMENTS[0][2]}\n{id_prefix('c002')}{c002}\n{id_prefix('c003')}{c003}"
    )
    assert by_doc["d101"]["parent_header"] == thread_header(["c003", "c002", "c001"])
    # a parent hidden behind its warning (its task's): a note naming its passage
    assert by_doc["c004"]["warning"]
    shown = by_doc["d102"]["context_parent"]
    assert hidden_parent("c004", [pid["c004"]]) in shown and "kill" not in shown
    # the thread mixes batches: d104's parent is in its own batch, the one above in day 1
    assert by_doc["d104"]["context_parent"].endswith(f"{id_prefix('d101')}{by_doc['d101']['text']}")
    assert by_doc["d104"]["context_parent"].startswith(id_prefix("c002"))
    # in neither batch
    assert by_doc["d103"]["context_parent"] == missing_parent("c099")
    # pushing day 2 again changes nothing (nothing new, no duplicate)
    again = push(day2, project_name, client=client, taxonomy=taxonomy)
    assert again.created == 0


def test_a_review_sets_replies_to_an_earlier_batch_show_their_parent(
    client: StudioClient, name: str, tmp_path: Path, taxonomy
) -> None:
    """The same two days pushed to a review set (``push -k 2``): each queue's copy of a
    reply to day 1 shows its parent's text, read from the queues."""
    from annotate.review.fanout import push_review
    from annotate.review.queue_tasks import reviewer_projects

    from .review_team import add_team

    team = list(add_team(("ana", "ben"), "thread.test"))
    day1 = _daily(tmp_path, "day1", COMMENTS[:3], taxonomy)
    push_review(day1, name, 2, reviewers=team, client=client, taxonomy=taxonomy)
    day2 = _daily(tmp_path, "day2", [("d101", "c002", "Thanks, I will call them.")], taxonomy)
    push_review(day2, name, 2, reviewers=team, client=client, taxonomy=taxonomy)
    shown = []
    for project in reviewer_projects(client, name).values():
        for task in tasks_by_passage(client, int(project["id"])).values():
            if task["data"]["doc_id"] == "d101":
                shown.append(task["data"]["context_parent"])
                c002 = next(
                    t["data"]["text"]
                    for t in tasks_by_passage(client, int(project["id"])).values()
                    if t["data"]["doc_id"] == "c002"
                )
    assert shown == [f"{id_prefix('c001')}{COMMENTS[0][2]}\n{id_prefix('c002')}{c002}"] * 2


def test_a_reply_to_a_copy_named_by_an_address_shows_its_text(
    client: StudioClient,
    project_name: str,
    tmp_path: Path,
    taxonomy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """reader57b #2, #3: a comment whose id is an address (an id column), dropped as an
    exact copy of another's text, and a reply to it. Label Studio gets the copy named by
    its keyed pseudonym (never the address), and the reply shows the text kept; a file an
    older ingest wrote (the copy by its raw id) is keyed by push alike, and ingesting it
    again and pushing adds no task."""
    from annotate.audit.passage_pseudonyms import default_key_path, document_pseudonym, load_key

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    spam = "Buy cheap followers now at the link in my profile!!!"
    jane = "jane@example.org"
    rows = [("k001", "", spam), (jane, "", spam), ("k003", jane, COMMENTS[5][2])]
    pre = _daily(tmp_path, "copies", rows, taxonomy)
    key = document_pseudonym(load_key(default_key_path()), jane)
    # as an ingest before stop 58 wrote it: the copy by its raw id
    older = [json.loads(line) for line in pre.read_text().splitlines()]
    for row in older:
        for field in ("exact_copies", "ingest_run"):
            row[field] = row[field].replace(key, jane) if row.get(field) else row.get(field)
    assert any(jane in (r["exact_copies"] or "") for r in older)
    old = tmp_path / "older.jsonl"
    old.write_text("".join(json.dumps(r) + "\n" for r in older), encoding="utf-8")
    first = push(old, project_name, client=client, taxonomy=taxonomy)
    assert first.created == 2
    again = push(pre, project_name, client=client, taxonomy=taxonomy)
    assert again.created == 0
    tasks = tasks_by_passage(client, first.project_id)
    assert jane not in json.dumps(tasks)
    by_doc = {t["data"]["doc_id"]: t["data"] for t in tasks.values()}
    assert set(by_doc) == {"k001", "k003"}
    assert by_doc["k003"]["parent_doc_id"] == key
    assert by_doc["k003"]["context_parent"] == spam
    (copy,) = json.loads(by_doc["k001"]["exact_copies"])["copies"]
    assert copy["doc_id"] == key
