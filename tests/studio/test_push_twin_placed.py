"""A push whose every task another push (from another machine, at the same time) also made
removes its copies, and its summary must not say it put them there: `+N now` per project
counted tasks it then deleted (found pushing one file twice at once, with
--max-tasks-per-project, against a real Label Studio)."""

from __future__ import annotations

import json

from annotate.studio.push import push
from tests.studio.test_push import PRELABELS, RefusingClient


class TwinClient(RefusingClient):
    """Each batch is imported first by another run (its tasks get the smaller ids), then
    by this one; deletes remove tasks."""

    def import_tasks(self, project_id, batch):
        super().import_tasks(project_id, batch)  # the other push's, a moment before ours
        return super().import_tasks(project_id, batch)

    def delete_tasks(self, ids, project_id=None):
        gone = set(ids)
        self.tasks = [t for t in self.tasks if t["id"] not in gone]


def test_a_push_whose_copies_were_all_removed_says_it_placed_none(taxonomy):
    client = TwinClient(set())
    result = push(PRELABELS, "pro", taxonomy=taxonomy, client=client, batch_size=2)
    total = len([x for x in PRELABELS.read_text().splitlines() if x.strip()])
    assert (result.created, result.duplicates_removed) == (0, total)
    assert sorted(t["data"]["passage_id"] for t in client.tasks) == sorted(
        json.loads(x)["id"] for x in PRELABELS.read_text().splitlines() if x.strip()
    )
    assert result.placed == {}  # none of its tasks is left anywhere
    assert result.held == {"pro": total}  # the other push's, as the project holds them
