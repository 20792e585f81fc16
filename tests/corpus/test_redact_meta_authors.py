"""A forum export's ``author`` user names ("angrydriver", "mod_kay") stayed in ``meta`` of
an ``export --redact`` folder (passH53 H14): a bare user name is personal data no detector
finds. Redaction revision 5 masks the string values of author-like meta keys
(``annotate.audit.redact.AUTHOR_KEYS``) whole as a handle, numbered with the document's
other handles; an ingest record made with revision 4 masks as it did."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from annotate.audit.redact import RedactionSettings, Redactor, author_key
from annotate.corpus.export import export
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.corpus.test_export_meta import _rows

META = {
    "author": "angrydriver",
    "reply_to": {"user_name": "mod_kay", "karma": 3},
    "channel": "sports",
    "authors": ["ana_b", "jane.roe@example.com"],
}


def test_export_redact_masks_author_like_meta_values(tmp_path: Path) -> None:
    tasks = copy.deepcopy(reviewed_tasks())
    tasks[0]["data"]["meta"] = json.dumps(META, sort_keys=True)
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(tasks), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    got = json.loads(_rows(out)[str(tasks[0]["data"]["passage_id"])]["meta"])
    assert got["author"].startswith("[HANDLE-") and got["channel"] == "sports"
    assert got["reply_to"]["user_name"].startswith("[HANDLE-")
    assert got["reply_to"]["karma"] == 3
    assert got["authors"][0].startswith("[HANDLE-") and got["authors"][1].startswith("[EMAIL-")
    text = "".join(p.read_text() for p in (out / "jsonl").glob("*.jsonl"))
    for name in ("angrydriver", "mod_kay", "ana_b"):
        assert name not in text
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["redaction"]["masked_at_export"]["placeholders"]["meta"]["handle"] >= 3


def test_the_name_is_numbered_with_the_same_handle_in_the_text() -> None:
    redactor = Redactor(RedactionSettings())
    numbering = redactor.numbering()
    text = redactor.redact("reply to @angrydriver and @mod_kay", numbering).text
    meta = json.loads(
        redactor.json_strings(json.dumps({"author": "AngryDriver"}), numbering) or "{}"
    )
    assert text == "reply to [HANDLE-1] and [HANDLE-2]" and meta == {"author": "[HANDLE-1]"}


def test_revision_4_keeps_them_as_they_were_masked() -> None:
    old = Redactor(RedactionSettings(revision=4))
    assert json.loads(old.json_strings(json.dumps({"author": "angrydriver"})) or "{}") == {
        "author": "angrydriver"
    }
    assert author_key("Author") and author_key("comment-author") and author_key("screen name")
    assert not author_key("channel") and not author_key("name")
