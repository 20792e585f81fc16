"""export --redact finds a conversation's speakers across its document's rows, as
ingest --redact finds them on the whole document (newuser57 F1): a chat split a turn to
a passage (ingest's default) kept ``[10:07] alex: ...`` in the hand-out, and the
pre-export count said ``name: 0``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from annotate.audit.redact import RedactionSettings, Redactor
from annotate.audit.redact_export import iter_redacted, unredacted_record
from annotate.ingestion import ingest

CHATS = {
    "chat.txt": "[10:02] alex: hey\n[10:03] sam: what's up\n[10:07] alex: i'm serious, ask sam\n",
    "whatsapp.txt": (
        "12/05/26, 21:04 - Jane Roe: I will find you\n"
        "12/05/26, 21:05 - Bo Dee: leave it\n"
        "12/05/26, 21:06 - Jane Roe: no\n"
    ),
    "irc.txt": "<dave_k> you again\n<mo_b> yes me\n<dave_k> watch out\n",
}


def _export_shape(rows: pd.DataFrame) -> list[dict[str, object]]:
    out = []
    for row in rows.astype(object).where(rows.notna(), None).to_dict("records"):
        out.append({**row, "annotations": [], "spans": [], "meta": None})
    return out


@pytest.mark.parametrize("name", sorted(CHATS))
def test_export_masks_a_turn_split_chats_speakers_as_ingest_does(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_text(CHATS[name], encoding="utf-8")
    plain, masked = tmp_path / "plain.parquet", tmp_path / "masked.parquet"
    ingest([folder], plain, min_chars=0)
    ingest([folder], masked, redact=RedactionSettings(), min_chars=0)
    rows = _export_shape(pd.read_parquet(plain))
    assert len(rows) == 3  # a turn to a passage
    at_export = [r["text"] for r in iter_redacted(rows, Redactor())]
    assert at_export == list(pd.read_parquet(masked)["text"])
    assert all("NAME-" in text for text in at_export), at_export
    # the pre-export count (a plain export's warning, report.md's Redaction) counts them
    counted = unredacted_record(rows, Redactor())["rows_with_personal_data"]
    assert counted["fields"]["text"]["name"] == 3 and counted["rows"] == 3


def test_one_exported_row_of_a_chat_has_its_stamped_speaker_masked() -> None:
    """A document only one row of which is exported: the speaker its label names."""
    row = {
        "id": "p1",
        "doc_id": "chat.txt",
        "text": "[10:07] alex: i'm serious, alex means it",
        "title": None,
        "source": None,
        "annotations": [{"comment": "alex threatens", "spans": []}],
        "spans": [],
        "meta": None,
    }
    (out,) = iter_redacted([row], Redactor())
    assert out["text"] == "[10:07] [NAME-1]: i'm serious, [NAME-1] means it"
    assert out["annotations"][0]["comment"] == "[NAME-1] threatens"
