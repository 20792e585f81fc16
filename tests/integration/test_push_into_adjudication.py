"""A plain push into a review set's adjudication project, against a real Label Studio
(stop 48 new-user F22): `annotate push FILE --project 'NAME · adjudication'` (the title
the lead sees) was accepted into the project `annotate adjudicate` made, showed the lead
the model's pre-labels instead of the blank start and added passages of no dispute,
whose answers export and escalations never read. Now it is refused before anything is
sent, naming the review set and `annotate adjudicate`."""

from __future__ import annotations

import pytest

from annotate.errors import StudioError
from annotate.review.adjudication import adjudicate
from annotate.studio.client import StudioClient
from annotate.studio.push import push

from .helpers import PRELABELS, SALT, TAX, dispute, new_reviewer, pushed_tasks

pytestmark = pytest.mark.integration


def test_a_plain_push_into_the_adjudication_project_is_refused(
    client: StudioClient, name: str
) -> None:
    admin, second = int(client.whoami()["id"]), new_reviewer(client)
    _, ids = pushed_tasks(client, name)
    disputed = sorted(ids)[:2]
    for pid in disputed:
        dispute(client, int(ids[pid]["id"]), admin, second)
    made = adjudicate(client, name, TAX, salt=SALT)
    assert made.project_id and made.passages == disputed
    title = f"{name} · adjudication"
    before = sorted(int(t["id"]) for t in client.iter_tasks(made.project_id, include="id"))
    with pytest.raises(StudioError) as err:
        push(PRELABELS, title, client=client)
    assert f"the lead's adjudication project of the review set {name!r}" in str(err.value)
    assert f"--project {name!r}" in err.value.fix
    after = sorted(int(t["id"]) for t in client.iter_tasks(made.project_id, include="id"))
    assert after == before and len(after) == len(disputed)
