"""What `--redact` does not mask is stated where an auditor reads a redacted export: the
manifest's ``redaction.not_detected`` and report.md's Redaction section, from one list in
the code that README's "What it misses" list names item for item (audit 49, A5). And a
reviewer's comment that names the row's account without ``https://``
(``twitter.com/ironfist88``) or a home folder (``/home/laura/…``) no longer re-identifies
the handle and URL masked in the row's title and source (A4)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from annotate.audit.redact import NOT_DETECTED, RedactionSettings
from annotate.corpus.export import export
from tests.audit.fakes import THREAT, StudioWithLead, lead_task, reviewed_tasks
from tests.docs_text import docs_text
from tests.integration.helpers import choices, comment


def _readme_misses() -> list[str]:
    """The bold first words of each item of the "What it misses" list (docs/privacy.md)."""
    text = docs_text()  # the list is in docs/privacy.md
    after = text[text.index("## What it misses\n\n") + len("## What it misses\n\n") :]
    items = re.match(r"[^\n]*(?:\n[^\n-][^\n]*)*\n\n((?:- [^\n]*\n(?:  [^\n]*\n)*)+)", after)
    assert items is not None, "docs' 'What it misses' is no longer a list"
    return re.findall(r"^- \*\*(.+?)\*\*", items.group(1), flags=re.MULTILINE)


def test_readme_lists_what_the_code_says_is_not_detected() -> None:
    assert _readme_misses() == list(NOT_DETECTED)


def test_a_redacted_export_states_what_it_did_not_mask(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    row = tasks[0]
    row["data"]["title"] = "Post by @ironfist88"
    row["data"]["source"] = "https://twitter.com/ironfist88/status/1"
    note = "see /home/laura/cases/case-4411.pdf, twitter.com/ironfist88"
    for a in row["annotations"]:
        a["result"].append(comment(note))
    lead = [choices("category", ["incitement"]), comment(f"agreed; {note}")]
    studio = StudioWithLead(tasks, [lead_task("doc-a-p1", THREAT, lead)])
    out = tmp_path / "corpus"
    export("p", out, client=studio, salt="s", redact=RedactionSettings())  # type: ignore[arg-type]

    redaction = json.loads((out / "manifest.json").read_text())["redaction"]
    assert redaction["not_detected"] == list(NOT_DETECTED)
    md = " ".join((out / "report" / "report.md").read_text().split())
    assert "**Not masked** (no detector finds them, so they stay as written): " in md
    assert "; ".join(NOT_DETECTED) in md

    rows = [json.loads(x) for f in (out / "jsonl").glob("*.jsonl") for x in f.open()]
    (masked,) = [r for r in rows if any("case-4411" in a["comment"] for a in r["annotations"])]
    assert masked["title"] == "Post by [HANDLE-1]"
    said = {a["comment"] for a in masked["annotations"]}
    assert said == {"see /home/[HOME_USER-1]/cases/case-4411.pdf, [USER_URL-1]"}
    assert re.fullmatch(r"\[USER_URL-\d+\]", masked["source"])  # a status URL: another value
    for path in (p for p in out.rglob("*") if p.is_file()):
        content = path.read_bytes().decode("utf-8", errors="replace")
        for secret in ("ironfist88", "/home/laura"):
            assert secret not in content, f"{secret!r} left in {path.relative_to(out)}"


def test_an_unassigned_north_american_number_left_is_named_as_missed() -> None:
    """newuser57 F3: ``555-123-4567`` stays (phonenumbers: not valid), and the list an
    auditor reads names that case."""
    from annotate.audit.redact import Redactor

    text = "call me at 555-123-4567"
    if Redactor().redact(text).text == text:
        assert any("555-123-4567" in x for x in NOT_DETECTED), NOT_DETECTED
