"""`annotate push -k` into a new review set whose name is a slip of an existing set's
(`... Dec-3` beside `... Dec-03`) against the real Label Studio: refused, naming the
set and the flag that confirms a new one; nothing made. Before, it made new queues and
the passages were reviewed again. --new-set makes it; the next batch's name (other
numbers) needs no flag."""

from __future__ import annotations

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.studio.client import StudioClient

from .helpers import PRELABELS
from .review_team import add_team, run

pytestmark = pytest.mark.integration


def test_a_new_set_named_like_an_existing_one_is_refused_unless_confirmed(
    client: StudioClient, name: str
) -> None:
    ana, ben = add_team(("ana", "ben"), "set-typo.test")
    push = ["push", str(PRELABELS), "-k", "2", "--reviewer", ana, "--reviewer", ben]
    run(*push, "--project", f"{name} Dec-03")
    out = run(*push, "--project", f"{name} Dec-3", code=1)
    assert f"close to the review set '{name} Dec-03'" in out, out
    assert "--new-set" in out and "Traceback" not in out, out
    assert reviewer_projects(client, f"{name} Dec-3") == {}  # no queue made
    run(*push, "--project", f"{name} Dec-04")  # the next batch: no flag needed
    assert len(reviewer_projects(client, f"{name} Dec-04")) == 2
    run(*push, "--project", f"{name} Dec-3", "--new-set")
    assert len(reviewer_projects(client, f"{name} Dec-3")) == 2


def test_a_plain_push_under_a_slip_of_a_project_name_is_refused_unless_confirmed(
    client: StudioClient, name: str
) -> None:
    """The same rule for a push without -k: `... Dec-3` beside the project `... Dec-03`
    made a second project and its passages were reviewed again."""
    run("push", str(PRELABELS), "--project", f"{name} Dec-03")
    out = run("push", str(PRELABELS), "--project", f"{name} Dec-3", code=1)
    assert f"close to the project '{name} Dec-03'" in out, out
    assert "--new-set" in out and "Traceback" not in out, out
    assert client.find_project(f"{name} Dec-3") is None  # nothing made
    run("push", str(PRELABELS), "--project", f"{name} Dec-04")  # the next batch
    run("push", str(PRELABELS), "--project", f"{name} Dec-3", "--new-set")
    assert client.find_project(f"{name} Dec-3") is not None
