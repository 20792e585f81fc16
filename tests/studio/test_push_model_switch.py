"""A push of another model's pre-labels into a project makes that model the one whose
pre-annotations reviewers see: the push says so, naming the model it replaced (an ML
engineer who pushed an older model's pre-labels into a project that showed the newer
one's got only "added 6 predictions of this model to tasks already there")."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.studio.push import push
from tests.studio.test_push import PRELABELS, ReadCountingClient


class VersionedClient(ReadCountingClient):
    """Keeps the project's model_version as Label Studio does (set on create/update)."""

    def __init__(self) -> None:
        super().__init__()
        self.version = ""

    def create_project(self, title, label_config, **kw):
        self.version = kw.get("model_version", "")
        return super().create_project(title, label_config, **kw)

    def list_projects(self, include=None):
        projects = super().list_projects(include)
        return [{**p, "model_version": self.version} for p in projects]

    def update_project(self, project_id, **kw):
        self.version = kw.get("model_version", self.version)


def _as_model(tmp_path: Path, version: str) -> Path:
    rows = [json.loads(line) for line in PRELABELS.read_text().splitlines() if line.strip()]
    out = tmp_path / f"{version}.jsonl"
    out.write_text("".join(json.dumps({**r, "model_version": version}) + "\n" for r in rows))
    return out


def test_pushing_another_models_prelabels_names_the_model_it_replaced(taxonomy, tmp_path):
    client = VersionedClient()
    first = push(_as_model(tmp_path, "new@2"), "pro", taxonomy=taxonomy, client=client)
    assert first.model_version_replaced == {}
    second = push(_as_model(tmp_path, "old@1"), "pro", taxonomy=taxonomy, client=client)
    assert client.version == "old@1"
    assert second.model_version_replaced == {"pro": "new@2"}
    again = push(_as_model(tmp_path, "old@1"), "pro", taxonomy=taxonomy, client=client)
    assert again.model_version_replaced == {}
