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


MIGRATION = "\nmigrations:\n  - from: 1.0.0\n    categories: {incitement: incitement_to_violence}\n"


@pytest.mark.parametrize("declared", [True, False], ids=["with-migration", "without"])
def test_a_project_reviewed_under_1_exports_with_labels_2(
    declared: bool, client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    """Labels.yaml moves to 2.0.0 (a rename) while a project is reviewed under 1.0.0: the
    export with 2.0.0 reads the old answers through the declared migration and records
    the version each answer was made under; without a migration it is one clear error."""
    first = push(PRELABELS, project_name, client=client)
    config = client.get_project(first.project_id)["label_config"]
    # the version and the content digest (audit 49 A10: an edit without a version bump)
    assert "<!-- annotate labels.yaml violent-content 1.0.0 sha256 " in config
    tasks = tasks_by_passage(client, first.project_id)
    me = int(client.whoami()["id"])
    client.sdk.annotations.create(
        id=tasks["doc-a-p1"]["id"],
        result=[choices("category", ["violent_threat", "incitement"])],
        completed_by=me,
    )
    client.sdk.annotations.create(
        id=tasks["doc-b-p0"]["id"], result=[choices("category", ["none"])], completed_by=me
    )
    labels, prelabels = renamed(tmp_path, "incitement", "incitement_to_violence")
    if declared:
        labels.write_text(labels.read_text(encoding="utf-8") + MIGRATION, encoding="utf-8")
    v2 = load_taxonomy(labels)
    # the push of 2.0.0 into the reviewed project is still refused, config unchanged
    with pytest.raises(TaxonomyError, match="drops or renames"):
        push(prelabels, project_name, client=client, taxonomy=v2)
    assert client.get_project(first.project_id)["label_config"] == config

    out = tmp_path / "out"
    if not declared:
        with pytest.raises(TaxonomyError, match=r"declares no migration from 1\.0\.0"):
            export(project_name, out, client=client, taxonomy=v2, salt="s")
        assert not out.exists()
        return
    result = export(project_name, out, client=client, taxonomy=v2, salt="s")
    rows = {
        r["id"]: r
        for split in ("train", "validation", "test")
        for r in map(json.loads, (out / "jsonl" / f"{split}.jsonl").read_text().splitlines())
    }
    assert result.rows == 2
    assert rows["doc-a-p1"]["labels"] == ["violent_threat", "incitement_to_violence"]
    assert rows["doc-b-p0"]["labels"] == ["none"]
    assert all(r["taxonomy_version"] == "2.0.0" for r in rows.values())
    assert [a["taxonomy_version"] for r in rows.values() for a in r["annotations"]] == [
        "1.0.0",
        "1.0.0",
    ]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["taxonomy"]["version"] == "2.0.0"
    assert manifest["taxonomy_versions_of_answers"] == {"1.0.0": 2}
    assert manifest["taxonomy_migrations_applied"][0]["categories"] == {
        "incitement": "incitement_to_violence"
    }
    # and with the labels.yaml it was made with, it exports as before
    same = export(project_name, tmp_path / "out-1", client=client, salt="s")
    assert same.rows == 2 and same.manifest["taxonomy_versions_of_answers"] == {"1.0.0": 2}


def test_a_control_added_in_label_studio_is_named_as_an_edit_there(
    client: StudioClient, project_name: str
) -> None:
    """A lead added a `lang` choice to a reviewed project's labeling config in Label
    Studio; the next push with the same labels.yaml said it "drops or renames label(s)
    lang:en, lang:other" and to "push with the labels.yaml the project was made with":
    the one pushed. Undone in Label Studio as the fix says, the push goes through."""
    first = push(PRELABELS, project_name, client=client)
    config = client.get_project(first.project_id)["label_config"]
    head, tail = config.rsplit("</View>", 1)
    edited = (
        f'{head}  <Choices name="lang" toName="passage"><Choice value="en"/>'
        f'<Choice value="other"/></Choices>\n</View>{tail}'
    )
    client.update_project(first.project_id, label_config=edited)
    task = tasks_by_passage(client, first.project_id)["doc-a-p1"]
    client.sdk.annotations.create(
        id=task["id"],
        result=[choices("category", ["violent_threat"])],
        completed_by=int(client.whoami()["id"]),
    )
    with pytest.raises(TaxonomyError) as err:
        push(PRELABELS, project_name, client=client)
    assert "'lang'" in str(err.value) and "edited in Label Studio" in str(err.value)
    assert "Settings > Labeling Interface" in err.value.fix
    assert client.get_project(first.project_id)["label_config"] == edited
    client.update_project(first.project_id, label_config=config)  # the fix
    again = push(PRELABELS, project_name, client=client)
    assert again.created == 0


def test_an_export_with_labels_edited_without_a_version_bump_warns(
    client: StudioClient, project_name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A definition edited in labels.yaml without a version bump (audit 49 A10): the
    export with the edited file warns and records both digests; with the file the project
    was pushed with it is "as pushed" (the real server keeps the digest in the config's
    comment and the instructions as pushed)."""
    import logging

    from annotate.studio.pushed_taxonomy import read_pushed_taxonomies
    from annotate.taxonomy import parse_taxonomy

    first = push(PRELABELS, project_name, client=client)
    task = tasks_by_passage(client, first.project_id)["doc-a-p1"]
    client.sdk.annotations.create(
        id=task["id"],
        result=[choices("category", ["violent_threat"])],
        completed_by=int(client.whoami()["id"]),
    )
    (found,) = read_pushed_taxonomies(client, [first.project_id], TAX)
    assert found.sha256 == TAX.content_sha256 and not found.instructions_differ
    assert found.reworded == ()
    edited = parse_taxonomy(
        resource("labels.yaml")
        .read_text(encoding="utf-8")
        .replace("The author states an intent", "EDITED GUIDELINE. The author states an intent")
    )
    with caplog.at_level(logging.WARNING):
        export(project_name, tmp_path / "edited", client=client, salt="s", taxonomy=edited)
    said = [r.getMessage() for r in caplog.records if "pushed with" in r.getMessage()]
    assert len(said) == 1 and "violent_threat" in said[0], said
    assert "guidelines shown before labeling" in said[0], said
    manifest = json.loads((tmp_path / "edited" / "manifest.json").read_text())
    assert manifest["taxonomy"]["sha256"] == edited.content_sha256
    assert manifest["taxonomy"]["sha256_pushed"] == TAX.content_sha256
    assert manifest["taxonomy"]["content_as_pushed"] is False
    export(project_name, tmp_path / "pushed", client=client, salt="s")
    manifest = json.loads((tmp_path / "pushed" / "manifest.json").read_text())
    assert manifest["taxonomy"]["content_as_pushed"] is True
