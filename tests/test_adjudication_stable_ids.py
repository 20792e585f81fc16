"""Stop 48 F26 left over: push and export refuse a labels.yaml that renumbers a category
within a MAJOR version (Parquet/HF exports store ids), but `annotate adjudicate` replaced
its project's labeling config with such a labels.yaml's without a word. It now runs the
same check, on the reviewers' projects and the lead's project, before it changes
anything. No server (snapshot-shaped fakes)."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.errors import TaxonomyError
from annotate.review.adjudication import adjudicate, adjudication_config
from tests.conftest import project_taxonomy
from tests.test_adjudication_hiding import HeldStudio, tasks
from tests.test_taxonomy_stable_ids import _tax

OLD = project_taxonomy()  # 1.0.0: none is id 6


class Recording(HeldStudio):
    """The reviewers' project (id 7) and, once ``lead`` (an adjudication project made from
    labels.yaml 1.0.0, id 8), the lead's: both configs as the server gives them."""

    def __init__(self, *, lead: bool, reviewers: bool = True) -> None:
        super().__init__(tasks())
        # reviewers False: their config records no labels.yaml (written by hand)
        self.configs = {7: OLD.render_label_config() if reviewers else "<View></View>"}
        if lead:
            self.held.append({"id": 900, "data": {"passage_id": "doc-x-p0", "text": "x"}})
            self.configs[8] = adjudication_config(OLD)
        self.updated: list[int] = []

    def get_project(self, project_id: int) -> dict[str, Any]:
        title = "p · adjudication" if project_id == 8 else "p"
        return {"id": project_id, "title": title, "label_config": self.configs[project_id]}

    def find_project(self, title: str) -> dict[str, Any] | None:
        found = super().find_project(title)
        if found is not None and found["id"] == 8:
            found["label_config"] = self.configs[8]
        return found

    def update_project(self, project_id: int, **fields: Any) -> None:
        self.updated.append(project_id)
        self.configs[project_id] = fields["label_config"]


@pytest.mark.parametrize(
    ("lead", "reviewers", "where"),
    [(True, False, "p · adjudication"), (False, True, "p")],
    ids=["the-lead-project-config", "the-reviewers-config-first-run"],
)
def test_adjudicate_refuses_a_labels_yaml_that_moves_an_id(
    lead: bool, reviewers: bool, where: str
) -> None:
    studio = Recording(lead=lead, reviewers=reviewers)
    moved = _tax("1.1.0", before_none=True)  # harassment inserted before none
    with pytest.raises(TaxonomyError) as err:
        adjudicate(studio, "p", moved, salt="s")  # type: ignore[arg-type]
    said = str(err.value)
    assert "labels.yaml 1.1.0 moves the id of 1 category(ies) of labels.yaml 1.0.0" in said
    assert "none 6 -> 7" in said and f"the labeling config of project {where!r}" in said
    assert "after the existing ones" in err.value.fix
    assert studio.updated == [] and studio.imported == []  # nothing changed or made


def test_a_labels_yaml_that_appends_the_category_updates_the_lead_project() -> None:
    studio = Recording(lead=True)
    appended = _tax("1.1.0", before_none=False)
    adjudicate(studio, "p", appended, salt="s")  # type: ignore[arg-type]
    assert studio.updated == [8]
    assert "harassment" in studio.configs[8]
