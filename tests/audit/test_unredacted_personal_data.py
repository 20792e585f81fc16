"""An export made without ``--redact`` counts what ``--redact`` would mask, per field and
kind, with the redactor's own detectors (passD51 D5): a phone number, an @handle, a
user's URL or a home folder typed into a reviewer's comment was not counted (only e-mail
addresses were), so the export warned of nothing and the report said nothing. Counts,
fields and passage ids only: no value found is written to the manifest, the report or
the warning."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.audit.redact import NOT_DETECTED, Redactor
from annotate.audit.redact_export import unredacted_record
from annotate.corpus.export import export
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.integration.helpers import comment

COMMENT = "poster is dave_k77 at 14 Cedar Lane, phone 07700 900123, /home/dave/x, @dave_k77"
SECRETS = ("555-0142", "07700 900123", "07700", "dave_k77", "/home/dave")


def _row(pid: str, **fields: object) -> dict[str, object]:
    return {
        "id": pid,
        "text": "plain",
        "title": "",
        "source": "",
        "meta": None,
        "doc_id": "d1",
        "annotations": [{"comment": ""}],
        "adjudication": None,
        **fields,
    }


def test_what_redact_would_mask_is_counted_per_field_and_kind() -> None:
    rows = [
        _row("p1", text="Residents can call 555-0142."),
        _row("p2", annotations=[{"comment": COMMENT}, {"comment": "agreed"}]),
        _row("p3", source="https://twitter.com/dave_k77"),
        _row("p4", meta=json.dumps({"author": "@dave_k77", "phone": 4155552671})),
        _row("p5", adjudication={"comment": "mail jane@example.org"}),
        _row("p6", text="A count of 1,250 in 2024-0142."),
    ]
    record = unredacted_record(rows, Redactor())
    personal = record["rows_with_personal_data"]
    fields = personal["fields"]
    assert fields["text"]["phone"] == 1
    assert {k: n for k, n in fields["comments"].items() if n} == {
        "phone": 1,
        "handle": 1,
        "home_user": 1,
        "email": 1,
        "address": 1,  # 14 Cedar Lane (detection revision 7)
    }
    assert fields["source"]["user_url"] == 1
    assert {k: n for k, n in fields["meta"].items() if n} == {"handle": 1, "phone": 1}
    assert personal["rows"] == 5 and personal["passages"] == ["p1", "p2", "p3", "p4", "p5"]
    assert record["not_detected"] == list(NOT_DETECTED)
    assert record["rows_with_email_addresses"]["comments"] == 1  # as before
    said = json.dumps({k: v for k, v in record.items() if k != "not_detected"})
    assert not [s for s in SECRETS if s in said]


def test_an_export_without_redact_states_it_in_manifest_and_report(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    tasks[0]["data"]["text"] += " Call 555-0142."  # doc-c-p0 holds a +44 number already
    for a in tasks[1]["annotations"]:
        a["result"].append(comment(COMMENT))
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]

    redaction = json.loads((out / "manifest.json").read_text())["redaction"]
    fields = redaction["rows_with_personal_data"]["fields"]
    assert fields["text"]["phone"] == 2
    # a comment of the fixtures names an address and a GB number already
    assert fields["comments"] == {
        "email": 1,
        "phone": 2,
        "user_url": 0,
        "handle": 1,
        "home_user": 1,
        "name": 0,
        "address": 1,  # 14 Cedar Lane (detection revision 7)
    }
    assert redaction["rows_with_personal_data"]["rows"] == 3
    md = " ".join((out / "report" / "report.md").read_text().split())
    assert "**3 row(s) hold personal data that `--redact` would mask**" in md
    assert "text: email 1, phone 2," in md
    assert "comments: email 1, phone 2, handle 1, home user 1, address 1" in md
    assert "**Not counted**" in md and "postal addresses without a house number" in md
    report = (out / "report" / "report.md").read_text()
    assert "07700" not in report


def test_the_warning_gives_counts_and_fields_and_suggests_redact() -> None:
    from annotate.cli.export import personal_data_warning

    redaction = unredacted_record(
        [_row("p1", text="call 555-0142", annotations=[{"comment": COMMENT}])], Redactor()
    )
    said: list[str] = []
    personal_data_warning(redaction, said.append)
    (warning,) = said
    assert warning.startswith("warning: 1 row(s) hold personal data that --redact would mask")
    assert "text: phone 1; comments: phone 1, handle 1, home user 1" in warning
    assert "export again with --redact" in warning
    assert "most person names and bare user names are not detected" in warning
    assert not [s for s in SECRETS if s in warning]
