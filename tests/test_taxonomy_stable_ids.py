"""Category ids stay stable within a MAJOR labels.yaml version (stop 48 new-user F26).

A category is its position in labels.yaml, and Parquet/HF exports store that id
(ClassLabel). labels.yaml 1.1.0 with `harassment` inserted before `none` (a MINOR bump,
which `taxonomy check` and push accepted) made `none` id 7 where 1.0.0 exports had it at 6:
the two exports read together relabelled every old `none` row `harassment`, silently.
Now such a version is refused by `taxonomy check --against OLD`, by a push into a project
made from the older version, and by a push that makes a new project on a server holding
one; appending the category at the end, or bumping MAJOR, passes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import TaxonomyError
from annotate.studio.push import ensure_project
from annotate.taxonomy import Taxonomy, check_stable_ids, parse_taxonomy
from tests.conftest import ROOT, project_taxonomy

HARASSMENT = (
    "  - name: harassment\n    group: harmful\n    title: Harassment\n"
    "    definition: Targeted abuse.\n\n"
)


def _text(version: str, *, before_none: bool) -> str:
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    if before_none:
        added = text.replace("  - name: none\n", HARASSMENT + "  - name: none\n", 1)
    else:
        added = text.replace("\nspans:", "\n" + HARASSMENT + "spans:", 1)
    assert added != text
    return added.replace("version: 1.0.0", f"version: {version}", 1)


def _tax(version: str, *, before_none: bool) -> Taxonomy:
    return parse_taxonomy(_text(version, before_none=before_none))


def test_a_minor_version_that_moves_an_id_is_refused_with_the_fix() -> None:
    old = project_taxonomy()
    with pytest.raises(TaxonomyError) as err:
        check_stable_ids(
            old.category_names, old.version, _tax("1.1.0", before_none=True), where="x"
        )
    said = str(err.value)
    assert "labels.yaml 1.1.0 moves the id of 1 category(ies) of labels.yaml 1.0.0" in said
    assert "none 6 -> 7" in said
    assert "after the existing ones" in err.value.fix and "version 2.0.0" in err.value.fix
    assert err.value.fix.index("counter_speech, none, harassment") > 0


def test_appending_or_a_major_version_passes() -> None:
    old = project_taxonomy()
    appended = _tax("1.1.0", before_none=False)
    check_stable_ids(old.category_names, old.version, appended, where="x")
    assert appended.label2id["none"] == old.label2id["none"] == 6
    check_stable_ids(old.category_names, old.version, _tax("2.0.0", before_none=True), where="x")


def test_taxonomy_check_against_an_older_labels_yaml_or_an_export(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text((ROOT / "labels.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    moved = tmp_path / "moved.yaml"
    moved.write_text(_text("1.1.0", before_none=True), encoding="utf-8")
    appended = tmp_path / "appended.yaml"
    appended.write_text(_text("1.1.0", before_none=False), encoding="utf-8")
    export = tmp_path / "corpus"
    export.mkdir()
    tax = project_taxonomy()
    record = {"version": tax.version, "categories": [{"name": n} for n in tax.category_names]}
    (export / "manifest.json").write_text(json.dumps({"taxonomy": record}), encoding="utf-8")
    runner = CliRunner()
    for against in (old, export, export / "manifest.json"):
        ran = runner.invoke(
            app, ["taxonomy", "check", "--labels", str(moved), "--against", str(against)]
        )
        assert ran.exit_code != 0, ran.output
        said = " ".join(ran.output.split())
        assert "moves the id" in said and "none 6 -> 7" in said and "Traceback" not in said
        ran = runner.invoke(
            app, ["taxonomy", "check", "--labels", str(appended), "--against", str(against)]
        )
        assert ran.exit_code == 0, ran.output
    # without --against: compared with the project's labels.yaml and the default model
    # (tests/test_taxonomy_check_records.py)
    ran = runner.invoke(app, ["taxonomy", "check", "--labels", str(moved)])
    assert ran.exit_code == 1 and "none 6 -> 7" in " ".join(ran.output.split())
    ran = runner.invoke(
        app, ["taxonomy", "check", "--labels", str(moved), "--against", str(tmp_path)]
    )
    said = " ".join(ran.output.split())
    assert ran.exit_code != 0 and "found a folder without a manifest.json (an export's)" in said


class Server:
    """Projects by title, each with its labeling config."""

    def __init__(self, projects: dict[str, str]) -> None:
        self.projects = dict(projects)
        self.updated: list[str] = []
        self.created: list[str] = []

    def find_project(self, title: str) -> dict[str, Any] | None:
        if title not in self.projects:
            return None
        return {"id": 1, "title": title, "label_config": self.projects[title]}

    def list_projects(self, include: str | None = None) -> list[dict[str, Any]]:
        return [
            {"id": n, "title": t, "label_config": c}
            for n, (t, c) in enumerate(self.projects.items(), start=1)
        ]

    def update_project(self, project_id: int, **fields: Any) -> None:
        self.updated.append(str(fields))

    def count_annotated_tasks(self, project_id: int) -> int:
        return 0

    def create_project(self, title: str, label_config: str, **kw: Any) -> dict[str, Any]:
        self.created.append(title)
        raise AssertionError("not reached")


def test_push_refuses_a_version_that_moves_ids_of_the_project_or_the_server() -> None:
    old, moved = project_taxonomy(), _tax("1.1.0", before_none=True)
    server = Server({"Batch 1": old.render_label_config()})
    with pytest.raises(TaxonomyError, match=r"project 'Batch 1'.*none 6 -> 7"):
        ensure_project(server, "Batch 1", moved.render_label_config(), moved, "m")  # type: ignore[arg-type]
    assert server.updated == []  # the project's config left as it was
    # the next batch, a new project: the older project on the server records the ids
    with pytest.raises(TaxonomyError, match=r"project 'Batch 1'.*none 6 -> 7"):
        ensure_project(server, "Batch 2", moved.render_label_config(), moved, "m")  # type: ignore[arg-type]
    assert server.created == []
    appended = _tax("1.1.0", before_none=False)
    ensure_project(server, "Batch 1", appended.render_label_config(), appended, "m")  # type: ignore[arg-type]
    assert server.updated


def test_export_refuses_a_labels_yaml_that_renumbers_the_projects_categories(
    tmp_path: Path,
) -> None:
    """An export with the inserted-category labels.yaml, never pushed (the project's
    labeling config still 1.0.0), wrote `none` as id 7 beside 1.0.0 exports' 6."""
    from annotate.corpus.export import export
    from tests.audit.fakes import FakeStudio, reviewed_tasks

    old = project_taxonomy()

    class Made(FakeStudio):
        def get_project(self, project_id: int) -> dict[str, Any]:
            return {"id": project_id, "title": "p", "label_config": old.render_label_config()}

    with pytest.raises(TaxonomyError, match=r"project 'p'.*none 6 -> 7"):
        export(
            "p",
            tmp_path / "moved",
            client=Made(reviewed_tasks()),  # type: ignore[arg-type]
            taxonomy=_tax("1.1.0", before_none=True),
            salt="s",
        )
    assert not (tmp_path / "moved").exists()
    appended = _tax("1.1.0", before_none=False)
    export("p", tmp_path / "ok", client=Made(reviewed_tasks()), taxonomy=appended, salt="s")  # type: ignore[arg-type]
    features = json.loads((tmp_path / "ok" / "manifest.json").read_text())["taxonomy"]
    assert [c["name"] for c in features["categories"]][6:] == ["none", "harassment"]


def test_against_what_is_not_there_or_not_an_export_said_in_words(tmp_path: Path) -> None:
    """--against a missing path said "taxonomy file ... not found. Fix: pass --labels
    PATH", the other option; a folder without a manifest said "(FileNotFoundError)", a
    broken one "(JSONDecodeError)" (s56 left #7)."""
    labels = str(ROOT / "labels.yaml")
    (tmp_path / "empty").mkdir()
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "other.json").write_text('{"rows": 3}', encoding="utf-8")
    runner = CliRunner()
    expected = {
        "old.yaml": "found no such file or folder",
        "empty": "found a folder without a manifest.json (an export's) or annotate_model.json",
        "broken.json": "broken.json is not JSON",
        "other.json": "without a taxonomy record",
    }
    for name, found in expected.items():
        against = str(tmp_path / name)
        ran = runner.invoke(app, ["taxonomy", "check", "--labels", labels, "--against", against])
        said = " ".join(ran.output.split())
        assert ran.exit_code == 1, said
        assert f"--against {against!r}: expected an older labels.yaml" in said, said
        assert found in said, said
        assert "--labels" not in said and "Error" not in said.replace("error:", ""), said
