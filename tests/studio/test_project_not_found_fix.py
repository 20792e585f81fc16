"""`annotate export --project 'Mod Rond'` said "Fix: did you mean 'Mod Round'? check the
name ...": the fix reads as the other did-you-mean fixes now, "did you mean 'Mod Round'?
Otherwise check the name ..."."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.errors import ProjectNotFoundError
from annotate.studio.client import StudioClient


class _Client(StudioClient):
    def __init__(self, titles: list[str]) -> None:  # no server
        self.url = "http://127.0.0.1:8080"
        self._titles = titles

    def list_projects(self, include: str | None = None) -> list[dict[str, Any]]:
        return [{"id": i, "title": t, "description": ""} for i, t in enumerate(self._titles)]

    def find_projects(self, title: str) -> list[dict[str, Any]]:
        return [p for p in self.list_projects() if p["title"] == title]


def test_a_close_name_then_otherwise() -> None:
    with pytest.raises(ProjectNotFoundError) as err:
        _Client(["Mod Round"]).require_project("Mod Rond")
    assert err.value.fix.startswith(
        "did you mean 'Mod Round'? Otherwise check the name (it is case-sensitive)"
    ), err.value.fix


def test_no_close_name_keeps_the_plain_fix() -> None:
    with pytest.raises(ProjectNotFoundError) as err:
        _Client(["Weekly"]).require_project("Mod Rond")
    assert err.value.fix.startswith("check the name (it is case-sensitive)"), err.value.fix
