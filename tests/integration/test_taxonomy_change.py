"""A push whose labels.yaml renames a label of a reviewed project is refused, and the
project stays exportable (issue 12, item 10)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotate.corpus.export import export
from annotate.errors import TaxonomyError
from annotate.settings import resource
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from annotate.taxonomy import load_taxonomy

from .helpers import PRELABELS, choices, tasks_by_passage

pytestmark = pytest.mark.integration
TAX = load_taxonomy()


def renamed(tmp_path: Path, old: str, new: str) -> tuple[Path, Path]:
    """labels.yaml 2.0.0 with ``old`` renamed ``new``, and the fixture prelabels to match."""
    text = resource("labels.yaml").read_text(encoding="utf-8")
    labels = tmp_path / "labels-2.yaml"
    labels.write_text(
        re.sub(rf"\b{old}\b", new, text).replace("version: 1.0.0", "version: 2.0.0"),
        encoding="utf-8",
    )
    prelabels = tmp_path / "prelabels-2.jsonl"
    prelabels.write_text(
        re.sub(rf'"{old}"', f'"{new}"', PRELABELS.read_text(encoding="utf-8")), encoding="utf-8"
    )
    return labels, prelabels


@pytest.mark.parametrize(("old", "new"), [("incitement", "incitement_to_violence")])
@pytest.mark.parametrize("reviewed", [True, False])
def test_a_renamed_label_is_refused_for_a_reviewed_project(
    old: str, new: str, reviewed: bool, client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    first = push(PRELABELS, project_name, client=client)
    config_before = client.get_project(first.project_id)["label_config"]
    if reviewed:
        task = tasks_by_passage(client, first.project_id)["doc-a-p1"]
        client.sdk.annotations.create(
            id=task["id"],
            result=[choices("category", ["violent_threat", old])],
            completed_by=int(client.whoami()["id"]),
        )
    labels, prelabels = renamed(tmp_path, old, new)
    new_tax = load_taxonomy(labels)
    if not reviewed:  # nothing reviewed yet: the new labels may replace the old
        push(prelabels, project_name, client=client, taxonomy=new_tax)
        assert new in client.get_project(first.project_id)["label_config"]
        return
    with pytest.raises(TaxonomyError, match=rf"drops or renames label\(s\) .*{old}"):
        push(prelabels, project_name, client=client, taxonomy=new_tax)
    assert client.get_project(first.project_id)["label_config"] == config_before
    # reviewed work is intact and exports with the labels.yaml it was made with
    result = export(project_name, tmp_path / "out", client=client, salt="s")
    rows = [
        json.loads(line)
        for split in ("train", "validation", "test")
        for line in (tmp_path / "out" / "jsonl" / f"{split}.jsonl").read_text().splitlines()
    ]
    assert result.rows == 1 and rows[0]["annotations"][0]["categories"] == ["violent_threat", old]
