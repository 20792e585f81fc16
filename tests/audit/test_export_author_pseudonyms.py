"""An author's or thread's keyed pseudonym (``pa_…``, ``pt_…``), which ``ingest --redact``
made in place of the value and push sent as the task's ``meta`` (passL54 finding 2), is
no personal data: an export without ``--redact`` counted some of them as handles (those
whose hex digits happened to hold five digits: 23 of 37 rows), and ``export --redact``
turned every one into ``[HANDLE-1]``, so two posts of one account no longer told. Both
now keep the pseudonym (the row's ``ingest_redaction`` record names it), and still mask
an author written out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.audit.redact import RedactionSettings, Redactor
from annotate.audit.redact_export import iter_redacted, unredacted_record
from annotate.corpus.export import export
from tests.audit.fakes import FakeStudio, reviewed_tasks

# hex pseudonyms as ingest makes them: the first two hold five digits or more (what the
# quick pre-check of a value read as a possible phone number), the third not
AUTHORS = ("pa_f6166e5b", "pa_3f27f886", "pa_edebfc14")


def _record(key: str, pseudonym: str) -> str:
    return json.dumps({"at": "ingest", "kinds": ["handle"], "context_keys": {key: pseudonym}})


def _row(pid: str, author: str, *, record: str | None) -> dict[str, Any]:
    return {
        "id": pid,
        "text": "plain words",
        "title": "",
        "source": "",
        "meta": json.dumps({"author": author, "parent_id": ""}),
        "doc_id": f"d-{pid}",
        "annotations": [{"comment": "", "spans": []}],
        "spans": [],
        "adjudication": None,
        "ingest_redaction": record,
    }


def test_ingest_pseudonyms_are_not_counted_as_personal_data() -> None:
    rows = [_row(f"p{i}", a, record=_record("author", a)) for i, a in enumerate(AUTHORS)]
    # an author written out: counted (no digit, no @: the quick pre-check skipped it)
    rows.append(_row("p9", "witness_tom", record=None))
    personal = unredacted_record(rows, Redactor())["rows_with_personal_data"]
    assert personal["rows"] == 1 and personal["passages"] == ["p9"]
    assert personal["fields"]["meta"]["handle"] == 1


def test_a_pseudonym_the_record_does_not_name_is_read_as_any_value() -> None:
    """Only the value the row's own record names is kept: a ``pa_``-like name a table
    wrote (no record, or another key's) is masked as before."""
    rows = [
        _row("p1", "pa_f6166e5b", record=None),
        _row("p2", "pa_f6166e5b", record=_record("author", "pa_00000000")),
    ]
    assert unredacted_record(rows, Redactor())["rows_with_personal_data"]["rows"] == 2
    out = list(iter_redacted(rows, Redactor()))
    assert [json.loads(r["meta"])["author"] for r in out] == ["[HANDLE-1]", "[HANDLE-1]"]


def test_export_redact_keeps_the_pseudonyms_apart() -> None:
    rows = [_row(f"p{i}", a, record=_record("author", a)) for i, a in enumerate(AUTHORS)]
    rows.append(_row("p3", AUTHORS[0], record=_record("author", AUTHORS[0])))  # same author
    rows.append(_row("p9", "witness_tom", record=None))
    out = list(iter_redacted(rows, Redactor()))
    authors = [json.loads(r["meta"])["author"] for r in out]
    assert authors == [*AUTHORS, AUTHORS[0], "[HANDLE-1]"]


def test_export_of_pushed_pseudonyms(tmp_path: Path) -> None:
    """End to end through export: the warning's count and the hand-out's meta."""
    tasks = reviewed_tasks()
    for t, author in zip(tasks, [*AUTHORS, AUTHORS[0], AUTHORS[1]], strict=False):
        t["data"]["meta"] = {"author": author, "thread": "pt_12345678"}
        t["data"]["redaction"] = json.dumps(
            {
                "at": "ingest",
                "kinds": ["handle"],
                "masked_in_text": {},
                "context_keys": {"author": author, "thread": "pt_12345678"},
            }
        )
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    redaction = json.loads((out / "manifest.json").read_text())["redaction"]
    assert redaction["rows_with_personal_data"]["fields"]["meta"]["handle"] == 0
    # the settings ingest masked with, once: not once per author's pseudonym
    assert len(redaction["at_ingest"]["settings"]) == 1, redaction["at_ingest"]
    hand = tmp_path / "handout"
    export(  # type: ignore[arg-type]
        "p", hand, client=FakeStudio(tasks), salt="s", redact=RedactionSettings(),
        id_key=tmp_path / "key", id_map=tmp_path / "map.jsonl",
    )  # fmt: skip
    rows = [json.loads(line) for f in (hand / "jsonl").glob("*.jsonl") for line in f.open()]
    metas = [json.loads(r["meta"]) for r in rows if r.get("meta")]
    assert metas and {m["author"] for m in metas} <= set(AUTHORS)
    assert len({m["author"] for m in metas}) > 1
    assert {m["thread"] for m in metas} == {"pt_12345678"}


def test_the_warning_tells_corpus_rows_from_gold_passages() -> None:
    """ "23 row(s) and 2 gold passage(s) of gold.jsonl" read as 23 rows of gold.jsonl."""
    from annotate.cli.export import personal_data_warning

    fields = {"meta": {"handle": 2}}
    said: list[str] = []
    personal_data_warning(
        {"rows_with_personal_data": {"rows": 23, "fields": fields}},
        said.append,
        {"file": "gold.jsonl", "rows_with_personal_data": {"rows": 2, "fields": fields}},
    )
    (warning,) = said
    assert warning.startswith(
        "warning: 23 row(s) of the corpus and 2 gold passage(s) in gold.jsonl hold personal"
    ), warning
