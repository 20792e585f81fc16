"""An export made without --redact counts the rows holding a written e-mail address per
field, so an auditor knows what to mask. A forum export's author address kept in `meta`
(the table's other columns) and a file named by an address (`doc_id`) are personal data
in the export too; they were not counted, so the export's warning and the report said
the corpus held addresses in `text` only."""

from __future__ import annotations

import json

from annotate.audit.redact_export import unredacted_record


def _row(**fields: object) -> dict[str, object]:
    return {
        "text": "plain",
        "title": "",
        "source": "",
        "meta": None,
        "doc_id": "d1",
        "annotations": [{"comment": ""}],
        "adjudication": None,
        **fields,
    }


def test_meta_and_doc_id_addresses_are_counted() -> None:
    rows = [
        _row(meta=json.dumps({"author": "angryguy@example.com", "post_id": "t1-1"})),
        _row(meta={"thread": {"by": "x@example.org"}}),
        _row(doc_id="inbox/jane.doe@example.org.txt"),
        _row(meta=json.dumps({"post_id": "t1-2"})),
    ]
    found = unredacted_record(rows)["rows_with_email_addresses"]
    assert found["meta"] == 2
    assert found["doc_id"] == 1
    assert found["text"] == found["comments"] == 0
