"""The lead's Queue tab sizes the ``no_longer_disputed`` column: it had no width, and
Label Studio's default for a data field (170 px, drawn 190) put it past a 1400 px window
behind ``disputed`` whenever a passage was marked (measured in Chromium:
tests/integration/test_browser.py, the lead's grid). A narrower preview makes room; a tab
of an earlier batch gets both sizes, unless its lead resized the preview."""

from __future__ import annotations

from annotate.review.adjudication import MOOT_FIELD, adjudicate
from annotate.review.view import QUEUE_COLUMN_WIDTHS, grid_view, hide_in_queue_tab
from tests.conftest import project_taxonomy
from tests.corpus.test_severity_tie import AdjudicationStudio
from tests.test_adjudication_hiding import tasks

MOOT = f"tasks:data.{MOOT_FIELD}"


def test_the_lead_s_new_tab_sizes_the_no_longer_disputed_column() -> None:
    studio = AdjudicationStudio(tasks())
    adjudicate(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    (queue,) = studio.views
    sizes = queue["data"]["columnsWidth"]
    assert sizes[MOOT] <= 80
    assert sizes["tasks:data.preview"] < QUEUE_COLUMN_WIDTHS["tasks:data.preview"]
    assert sizes["tasks:data.disputed"] == QUEUE_COLUMN_WIDTHS["tasks:data.disputed"]


def test_an_earlier_tab_gets_the_size_and_keeps_its_lead_s_own() -> None:
    tax = project_taxonomy()
    old = grid_view(tax, by_priority=True)  # sized before this: no size for the mark
    studio = AdjudicationStudio(tasks())
    studio.views.append({"id": 5, "project": 8, "data": old})
    resized = grid_view(tax, by_priority=True)
    resized["columnsWidth"]["tasks:data.preview"] = 300  # a lead who widened the preview
    studio.views.append({"id": 6, "project": 9, "data": resized})
    for project in (8, 9):
        hide_in_queue_tab(studio, project, tax, [], widths={MOOT: 60, "tasks:data.preview": 160})  # type: ignore[arg-type]
    (eight,) = studio.list_views(8)
    (nine,) = studio.list_views(9)
    assert eight["data"]["columnsWidth"][MOOT] == 60
    assert eight["data"]["columnsWidth"]["tasks:data.preview"] == 160
    assert nine["data"]["columnsWidth"][MOOT] == 60
    assert nine["data"]["columnsWidth"]["tasks:data.preview"] == 300
