"""A comments table with a parent column, ingested (``--parent-column``, ``--id-prefix``),
pre-labelled, pushed to a real Label Studio, reviewed and exported: the comments of one
reply thread share a split (newuser61 #9: a call to violence in test, the reply quoting
it in train). The documents hash to different splits on their own at seed 0 (asserted),
so the test fails without thread grouping."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from annotate.corpus.export import export
from annotate.corpus.splits import split_of
from annotate.ingestion import ingest
from annotate.prelabeling import prelabel
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from tests.conftest import project_taxonomy
from tests.fakes import KeywordClassifier

from .helpers import choices, tasks_by_passage

pytestmark = pytest.mark.integration
TAX = project_taxonomy()
COMMENTS = [  # comment id, the comment it replies to, text
    ("1", "", "Strike the invaders where they sleep, every one of them, tonight at the port."),
    ("5", "1", 'Someone just wrote "strike the invaders where they sleep": reported to the mods.'),
    ("6", "99", "The ferry timetable changes next week, check the harbour office notice board."),
    ("7", "99", "Agreed, and the parking by the harbour is closed for resurfacing as well."),
    ("2", "", "Lovely sunset over the bay this evening, the whole town came out to watch it."),
    ("3", "", "Does anyone know whether the library opens late on Thursdays during winter?"),
]


def test_a_reply_thread_is_exported_in_one_split(
    client: StudioClient, project_name: str, tmp_path: Path, taxonomy
) -> None:
    # on their own, the call and its reply (and the two replies to a comment not
    # exported) hash to different splits
    assert split_of("forum:1") != split_of("forum:5")
    assert split_of("forum:6") != split_of("forum:7")
    table = tmp_path / "comments.csv"
    with table.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["comment_id", "reply_to", "body"])
        writer.writerows(COMMENTS)
    passages = tmp_path / "passages.parquet"
    ingest(
        [table],
        passages,
        text_column="body",
        id_column="comment_id",
        parent_column="reply_to",
        id_prefix="forum:",
        min_chars=10,
    )
    pre = tmp_path / "prelabels.jsonl"
    prelabel(passages, pre, classifier=KeywordClassifier(list(TAX.category_names)))
    result = push(pre, project_name, client=client, taxonomy=taxonomy)
    assert result.created == len(COMMENTS)
    admin = int(client.whoami()["id"])
    for task in tasks_by_passage(client, result.project_id).values():
        client.sdk.annotations.create(
            id=int(task["id"]),
            result=[
                choices(TAX.interface.categories, [TAX.none_label]),
                choices(TAX.interface.severity, [TAX.severity_names[0]]),
            ],
            completed_by=admin,
        )
    out = tmp_path / "corpus"
    run = export(project_name, out, client=client, taxonomy=taxonomy, salt="s")
    split = {
        r["doc_id"]: f.stem
        for f in sorted((out / "jsonl").glob("*.jsonl"))
        for r in map(json.loads, f.read_text(encoding="utf-8").splitlines())
    }
    assert len(split) == len(COMMENTS)
    # each thread in the split of its smallest document id; the others in their own
    assert split["forum:1"] == split["forum:5"] == split_of("forum:1")
    assert split["forum:6"] == split["forum:7"] == split_of("forum:6")
    assert split["forum:2"] == split_of("forum:2") and split["forum:3"] == split_of("forum:3")
    threads = run.manifest["splits"]["reply_threads"]
    assert threads == {"threads": 2, "documents": 4, "passages": 4, "cross_split_threads": {}}
