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


def test_a_tab_its_lead_resized_is_sized_and_trimmed_once(client: StudioClient, name: str) -> None:
    """break10 B11 on the real server: a Queue tab holding only the lead's own column
    sizes (resized before annotate sized the columns) gets annotate's sizes, the lead's
    kept, and the read-elsewhere columns hidden, once: a column the lead shows again
    afterwards stays shown. The server stores and returns the tab's sizes as sent."""
    from annotate.review.view import GRID_OFF_FIELDS, QUEUE_COLUMN_WIDTHS, hide_in_queue_tab
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy()
    project_id = push(PRELABELS, name, client=client).project_id

    def tab() -> dict:
        (view,) = [v for v in client.list_views(project_id) if v["data"]["title"] == "Queue"]
        return view

    old = dict(tab()["data"])
    old["columnsWidth"] = {"tasks:id": 80}  # the lead's
    old["hiddenColumns"] = {
        mode: [c for c in cols if c.removeprefix("tasks:data.") not in GRID_OFF_FIELDS]
        for mode, cols in old["hiddenColumns"].items()
    }
    client.update_view(int(tab()["id"]), project_id, old)
    assert "tasks:data.passage_id" not in tab()["data"]["hiddenColumns"]["explore"]
    hide_in_queue_tab(client, project_id, tax, ["reviews"])
    data = dict(tab()["data"])
    assert data["columnsWidth"] == {**QUEUE_COLUMN_WIDTHS, "tasks:id": 80}, data["columnsWidth"]
    assert "tasks:data.passage_id" in data["hiddenColumns"]["explore"]
    data["hiddenColumns"] = {
        mode: [c for c in cols if c != "tasks:data.passage_id"]
        for mode, cols in data["hiddenColumns"].items()
    }
    client.update_view(int(tab()["id"]), project_id, data)
    hide_in_queue_tab(client, project_id, tax, ["reviews"])
    assert "tasks:data.passage_id" not in tab()["data"]["hiddenColumns"]["explore"]
