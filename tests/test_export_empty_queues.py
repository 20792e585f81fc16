"""A review set's queue nobody answered in yet is named in the manifest and the report as
the answered ones are, ``reviewer r-…`` by the pseudonym it is marked with (its title's),
with its Label Studio id beside it; it was ``reviewer project ID (no answers)``, a name
that changed once the reviewer answered and repeated the id the report shows next to it.
A queue made before pseudonyms (marked with an e-mail) stays ``reviewer project ID``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from annotate.studio.projects import review_marker_prefix
from tests.test_export_pseudonymous_projects import NAME, REVIEWERS, ReviewSetStudio

WAITING = pseudonym(4, "s")  # a reviewer whose queue holds no answer yet


class WithEmptyQueues(ReviewSetStudio):
    def __init__(self) -> None:
        super().__init__()
        marker = review_marker_prefix(NAME)
        self.projects[24] = {
            "id": 24,
            "title": f"{NAME} · {WAITING}",
            "description": f"Reviewer queue.\n{marker}{WAITING}",
        }
        self.projects[25] = {  # made before pseudonyms
            "id": 25,
            "title": f"{NAME} · dana",
            "description": f"Reviewer queue.\n{marker}dana@reviewers.test",
        }

    def _mine(self, project_id: int) -> list[dict[str, Any]]:
        if project_id in (24, 25):
            return [{**t, "annotations": []} for t in self.tasks]
        return super()._mine(project_id)


def test_a_queue_nobody_answered_is_named_by_its_pseudonym(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export(NAME, out, client=WithEmptyQueues(), salt="s")  # type: ignore[arg-type]
    named = json.loads((out / "manifest.json").read_text())["label_studio_projects"]
    assert named == {
        **{f"reviewer {pseudonym(user, 's')}": pid for user, (pid, _) in REVIEWERS.items()},
        f"reviewer {WAITING}": 24,
        "reviewer project 25": 25,
    }
    md = (out / "report" / "report.md").read_text()
    # named as `review status` names a queue, not quoted as if a title (stop 46's note)
    assert f"{WAITING}'s queue (id 24)" in md and f"'reviewer {WAITING}'" not in md, md
    assert "a reviewer's queue (id 25)" in md
    assert "no answers" not in md and "dana" not in md
