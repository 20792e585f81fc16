"""A row says which lead skipped it in adjudication (``skipped_in_adjudication_by``):
before, the lead's skips were only counted in the manifest (review.skipped_in_adjudication)
and the row's ``skipped_by`` named reviewers only. Snapshot-shaped tasks."""

from __future__ import annotations

from pathlib import Path

from annotate.corpus.resolve import pseudonym
from tests.audit.fakes import NEWS, THREAT, FakeStudio, StudioWithLead, lead_task, reviewed_tasks
from tests.corpus.test_lead_skips import _export, _skip
from tests.integration.helpers import choices


def test_each_row_names_the_leads_who_skipped_it(tmp_path: Path) -> None:
    skipped_only = lead_task("doc-a-p1", THREAT, [])
    skipped_only["annotations"] = [_skip(902, 4), _skip(904, 6)]  # two leads skipped it
    skipped_then_answered = lead_task("doc-a-p0", NEWS, [choices("category", ["none"])])
    skipped_then_answered["id"] = 91
    skipped_then_answered["annotations"].insert(0, _skip(903, 4))
    studio = StudioWithLead(reviewed_tasks(), [skipped_only, skipped_then_answered])
    rows, manifest = _export(tmp_path, studio)
    assert rows["doc-a-p1"]["skipped_in_adjudication_by"] == sorted(
        [pseudonym(4, "s"), pseudonym(6, "s")]
    )
    assert rows["doc-a-p0"]["skipped_in_adjudication_by"] == [pseudonym(4, "s")]
    assert rows["doc-a-p1"]["skipped_by"] == []  # reviewers' skips stay apart
    others = [r for k, r in rows.items() if k not in ("doc-a-p0", "doc-a-p1")]
    assert others and all(r["skipped_in_adjudication_by"] == [] for r in others)
    # the manifest's counts are unchanged by it
    assert manifest["review"]["skipped_in_adjudication"]["by"] == {
        pseudonym(4, "s"): 2,
        pseudonym(6, "s"): 1,
    }


def test_without_an_adjudication_project_every_row_has_an_empty_list(tmp_path: Path) -> None:
    rows, _ = _export(tmp_path, FakeStudio(reviewed_tasks()))
    assert rows and all(r["skipped_in_adjudication_by"] == [] for r in rows.values())
