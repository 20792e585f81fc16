"""The Queue tab's grid against a real Label Studio: a tab that names its hidden columns
replaces the Data Manager's own defaults, so every column Label Studio keeps out of a
grid by default (Upload filename, Storage filename, Created at, "Annotation results": a
reviewer's answer as raw JSON, span text and all) was shown, and the columns read first
(title, preview, model_labels) sat some 30 columns to the right (passI53 I9). The tab
now hides every column the server hides by default (but the model's score, which only a
reviewer's queue hides) and the audit-trail fields; the server's own column list says
which those are."""

from __future__ import annotations

import pytest

from annotate.review.view import TRAIL_FIELDS
from annotate.studio.client import StudioClient
from annotate.studio.push import push

from .helpers import PRELABELS

pytestmark = pytest.mark.integration


def test_the_queue_tab_hides_what_the_server_hides_by_default(
    client: StudioClient, name: str
) -> None:
    project_id = push(PRELABELS, name, client=client).project_id
    (tab,) = [v for v in client.list_views(project_id) if v["data"]["title"] == "Queue"]
    hidden = set(tab["data"]["hiddenColumns"]["explore"])
    columns = client._get("api/dm/columns", "columns", project=project_id)["columns"]
    by_id = {
        f"{c['target']}:{c['parent'] + '.' if c.get('parent') else ''}{c['id']}": c for c in columns
    }
    off = {
        key
        for key, c in by_id.items()
        if (c.get("visibility_defaults") or {}).get("explore") is False
    }
    assert off, sorted(by_id)  # the server still says which it hides
    assert off - {"tasks:predictions_score"} <= hidden, sorted(off - hidden)
    shown = [key for key in by_id if key not in hidden and key != "tasks:data"]
    for first in ("tasks:data.title", "tasks:data.preview", "tasks:data.model_labels"):
        assert first in shown, shown
    trail = [k for k in by_id if k.removeprefix("tasks:data.") in TRAIL_FIELDS]
    assert {"tasks:data.start", "tasks:data.end"} <= set(trail), sorted(by_id)
    assert not set(trail) & set(shown)
    print(len(by_id), "columns,", len(shown), "shown:", shown)
