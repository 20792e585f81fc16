"""A plain push's Queue tab lists its tasks riskiest first (``data.priority``, as a
number), whatever push made them: a later push's riskier passages, imported after the
first push's, come first there. Label Studio's "Label All Tasks" serves by task id
whatever the tab says (Sequential sampling; the front end sends no ordering), so the push
says where tasks land behind earlier pushes' open ones."""

from __future__ import annotations

import json

from annotate.cli.push import import_order_line
from annotate.review.view import QUEUE_COLUMN_TYPES, QUEUE_ORDERING, QUEUE_TAB
from annotate.studio.push import push
from tests.studio.test_push import PRELABELS, ReadCountingClient


class TabClient(ReadCountingClient):
    """The fake server of tests/studio/test_push.py with Data Manager tabs, and the tasks
    of one project listed by the Queue tab's ordering."""

    def __init__(self) -> None:
        super().__init__()
        self.views: list[dict] = []

    def find_project(self, title):
        if not self.tasks:
            return None
        return {**self.create_project(title, self.config), "show_collab_predictions": True}

    def create_project(self, title, label_config, **kw):
        self.config = label_config
        return super().create_project(title, label_config, **kw)

    def list_views(self, project_id):
        return self.views

    def create_view(self, project_id, data):
        self.views.append({"id": len(self.views) + 1, "data": data})

    def update_view(self, view_id, project_id, data):
        next(v for v in self.views if v["id"] == view_id)["data"] = data

    def listed(self) -> list[float]:
        """Priorities as the Queue tab lists them (its ordering applied, as the server does)."""
        (tab,) = [v for v in self.views if v["data"]["title"] == QUEUE_TAB]
        rows = [float(t["data"]["priority"]) for t in sorted(self.tasks, key=lambda t: t["id"])]
        if tab["data"].get("ordering") == QUEUE_ORDERING:
            assert tab["data"]["columnsDisplayType"] == QUEUE_COLUMN_TYPES
            return sorted(rows, reverse=True)
        assert not tab["data"].get("ordering")
        return rows  # the server's default: by id


def _rows_by_priority(taxonomy) -> list[str]:
    """The fixture's rows, least risky first (the riskiest come by a later push)."""
    from annotate.studio.tasks import priority

    lines = [x for x in PRELABELS.read_text().splitlines() if x.strip()]
    return sorted(lines, key=lambda x: priority(json.loads(x)["scores"], taxonomy))


def test_a_later_push_s_riskier_passages_come_first_in_the_queue_tab(taxonomy, tmp_path):
    lines = _rows_by_priority(taxonomy)
    first = tmp_path / "monday.jsonl"
    first.write_text("\n".join(lines[:3]) + "\n")
    client = TabClient()
    push(first, "pro", taxonomy=taxonomy, client=client)
    (tab,) = client.views
    assert tab["data"]["ordering"] == QUEUE_ORDERING  # a new project's tab: by priority
    result = push(PRELABELS, "pro", taxonomy=taxonomy, client=client)
    listed = client.listed()
    assert listed == sorted(listed, reverse=True)
    ids = sorted(client.tasks, key=lambda t: t["id"])
    assert float(ids[0]["data"]["priority"]) < listed[0]  # the riskiest came second
    note = import_order_line(result)
    assert note is not None and "'pro': +" in note and "after 3 there before" in note
    assert "Label Tasks As Displayed" in note


def test_an_older_unordered_queue_tab_is_ordered_by_the_next_push(taxonomy, tmp_path):
    lines = _rows_by_priority(taxonomy)
    first = tmp_path / "monday.jsonl"
    first.write_text("\n".join(lines[:3]) + "\n")
    client = TabClient()
    push(first, "pro", taxonomy=taxonomy, client=client)
    data = client.views[0]["data"]
    data.pop("ordering")  # a tab made before plain pushes' tabs were ordered
    data.pop("columnsDisplayType")
    push(PRELABELS, "pro", taxonomy=taxonomy, client=client)
    assert len(client.views) == 1
    assert client.views[0]["data"]["ordering"] == QUEUE_ORDERING
    listed = client.listed()
    assert listed == sorted(listed, reverse=True)


def test_a_first_push_says_nothing_of_the_import_order(taxonomy):
    client = TabClient()
    result = push(PRELABELS, "pro", taxonomy=taxonomy, client=client)
    assert import_order_line(result) is None


def test_a_push_cut_short_and_run_again_says_nothing_of_the_import_order(taxonomy, tmp_path):
    """passS57: a push killed after its first batches, run again, added the rest behind
    the first run's tasks, which are this file's riskiest: "Label All Tasks" serves them
    first, as it should, yet the push said tasks were added behind earlier pushes' tasks."""
    lines = _rows_by_priority(taxonomy)
    first = tmp_path / "cut.jsonl"
    first.write_text("\n".join(lines[-3:]) + "\n")  # the riskiest: the first run's batches
    client = TabClient()
    push(first, "pro", taxonomy=taxonomy, client=client)
    result = push(PRELABELS, "pro", taxonomy=taxonomy, client=client)
    assert result.already["pro"][0] == 3 and result.placed["pro"][0] == len(lines) - 3
    assert import_order_line(result) is None


class AnsweredClient(TabClient):
    """TabClient whose server counts its finished tasks, as Label Studio's project does
    (``finished_task_number``): the first ``answered`` tasks by id."""

    answered = 0

    def get_project(self, project_id):
        return {**super().get_project(project_id), "finished_task_number": self.answered}


def test_no_import_order_note_where_every_earlier_task_is_answered(taxonomy, tmp_path):
    """newuser60 F6: week 2's push into 'Mod Week #6' said its tasks came after "the open
    tasks already there" when all 42 there were answered (review status: 0 open); Label
    Studio serves the new tasks first then."""
    lines = _rows_by_priority(taxonomy)
    first = tmp_path / "monday.jsonl"
    first.write_text("\n".join(lines[:3]) + "\n")
    client = AnsweredClient()
    push(first, "pro", taxonomy=taxonomy, client=client)
    client.answered = 3  # the reviewers answered the 3 of monday
    result = push(PRELABELS, "pro", taxonomy=taxonomy, client=client)
    assert result.open_before == {"pro": 0}
    assert import_order_line(result) is None


def test_the_import_order_note_counts_the_open_tasks_before(taxonomy, tmp_path):
    lines = _rows_by_priority(taxonomy)
    first = tmp_path / "monday.jsonl"
    first.write_text("\n".join(lines[:3]) + "\n")
    client = AnsweredClient()
    push(first, "pro", taxonomy=taxonomy, client=client)
    client.answered = 1  # two of monday's 3 still open
    note = import_order_line(push(PRELABELS, "pro", taxonomy=taxonomy, client=client))
    assert note is not None and "after 3 there before, 2 of them open" in note, note
