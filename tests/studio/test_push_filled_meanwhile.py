"""Two pushes into one numbered set at once, from two machines (the lock only orders
pushes of one machine), each filled 'NAME #1' from what it had read: against a real
Label Studio with --max-tasks-per-project 500, two files of 600 passages left 'concG #1'
with 1,000 tasks, both pushes exiting 0 without a word. A push that may fill a project
now asks the server what the project holds before each batch and moves on to the next
project when another push has filled it."""

from __future__ import annotations

from annotate.studio.client import ImportAnswer
from annotate.studio.push import push
from tests.studio.test_push import PRELABELS
from tests.studio.test_push_project_made_twice import TwiceStudio


class Beside(TwiceStudio):
    """After this push's first import into a project, another push adds two tasks of its
    own passages there."""

    def __init__(self) -> None:
        super().__init__(None)
        self.filled: set[int] = set()

    def import_tasks(self, project_id, batch):
        answer: ImportAnswer = super().import_tasks(project_id, batch)
        if project_id not in self.filled:
            self.filled.add(project_id)
            for n in range(2):
                self.tasks.append(
                    {
                        "id": len(self.tasks) + 1,
                        "project": project_id,
                        "data": {"passage_id": f"other-{project_id}-{n}"},
                        "predictions": [{"model_version": "other"}],
                    }
                )
        return answer


def test_a_project_another_push_filled_meanwhile_is_not_filled_past_its_size(taxonomy):
    client = Beside()
    result = push(
        PRELABELS, "pro", taxonomy=taxonomy, client=client, batch_size=2, max_tasks_per_project=4
    )
    held = {p["title"]: len(client._of(pid)) for pid, p in client.projects.items()}
    assert max(held.values()) <= 4, held
    assert result.created == 6 and result.failed == 0
    assert sum(held.values()) == 6 + 2 * len(held)  # every passage, each project's others'


def test_the_count_warning_names_the_project_by_its_title(taxonomy, caplog):
    """s58 odds #4: a project of the set that another push filled meanwhile was named by
    its id alone (``project 1 holds 4 tasks ...``) beside a summary that names projects
    by title; the warning names it as the summary does."""
    import logging

    client = Beside()
    with caplog.at_level(logging.WARNING):
        push(
            PRELABELS,
            "pro",
            taxonomy=taxonomy,
            client=client,
            batch_size=2,
            max_tasks_per_project=4,
        )
    said = [r.getMessage() for r in caplog.records if "re-reading it to repair" in r.getMessage()]
    assert said, caplog.text
    assert said[0].startswith("'pro #1' (id 1) holds 4 tasks and 4 predictions, expected 2"), said
    assert "project 1 holds" not in caplog.text
