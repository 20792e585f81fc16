"""The lead's comment on an adjudication (the reason for the decision) is kept in the
row's `adjudication.comment`, masked by `export --redact`, but report.md did not show it:
an auditor reading the report's adjudication figures saw that a lead decided, not why.
report.md's "Adjudication" subsection lists each decided passage with its lead, decided
categories and the comment (masked when the export ran with --redact), and each tie no
lead has decided yet."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.audit.redact import RedactionSettings
from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from tests.audit.fakes import THREAT, StudioWithLead, lead_task, reviewed_tasks
from tests.audit.test_report_undecided_categories import _tied_task
from tests.integration.helpers import choices, comment

REASON = "quotes the call | but endorses it; asked jane.doe@example.org"


def _studio() -> StudioWithLead:
    result = [choices("category", ["incitement"]), choices("severity", ["high"]), comment(REASON)]
    return StudioWithLead(
        [*reviewed_tasks(), _tied_task()], [lead_task("doc-a-p1", THREAT, result)]
    )


def _adjudication_section(out: Path) -> str:
    md = (out / "report" / "report.md").read_text(encoding="utf-8")
    return md.split("### Adjudication", 1)[1].split("\n## ", 1)[0]


def test_report_md_shows_the_leads_comment_beside_the_decision(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export("p", out, client=_studio(), salt="s")  # type: ignore[arg-type]
    section = _adjudication_section(out)
    lead = pseudonym(4, "s")
    # the comment's "|" escaped, so the table keeps its columns
    escaped = REASON.replace("|", "\\|")
    assert f"| doc-a-p1 | {lead} | incitement | high |" in section
    assert f"| {escaped} |" in section
    assert "did not run `--redact`" in section
    # the tie no lead decided yet, with the category its reviewers split on
    assert "Undecided: 1 tied passage(s)" in section
    assert "| doc-t-p0 | incitement | no | 2 |" in section
    numbers = json.loads((out / "report" / "report.json").read_text(encoding="utf-8"))
    (decided,) = numbers["adjudications"]["decided"]
    assert (decided["id"], decided["comment"], decided["adjudicator"]) == ("doc-a-p1", REASON, lead)


def test_report_md_shows_the_comment_masked_after_export_redact(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export("p", out, client=_studio(), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    section = _adjudication_section(out)
    assert "jane.doe@example.org" not in (out / "report" / "report.md").read_text()
    assert "[EMAIL-1]" in section and "masked: the export ran with `--redact`" in section
