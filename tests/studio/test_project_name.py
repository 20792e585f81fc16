"""--project names as Label Studio keeps titles: it strips surrounding spaces (so a push
to 'Batch 1 ' never found its project again and made one more on every re-run), and it
refuses more than 50 characters (an empty $BATCH made an untitled project)."""

from __future__ import annotations

import pytest

from annotate.errors import InputError
from annotate.studio.projects import project_name
from tests.conftest import FIXTURES
from tests.test_cli import _error_line, run


def test_surrounding_spaces_are_dropped_as_label_studio_drops_them() -> None:
    assert project_name("  Batch 1 ") == "Batch 1"


@pytest.mark.parametrize("name", ["", "   ", "x" * 51])
def test_names_label_studio_refuses_are_an_error(name: str) -> None:
    with pytest.raises(InputError, match="Label Studio titles hold 1 to 50"):
        project_name(name)


@pytest.mark.parametrize(
    "args",
    [
        ["push", str(FIXTURES / "prelabels.jsonl"), "--project", " "],
        ["export", "--project", "", "--out", "x"],
        ["agreement", "--project", "x" * 51],
    ],
)
def test_every_command_checks_it_before_asking_a_server(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")  # answers nothing
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "a" * 40)
    assert "Label Studio titles hold 1 to 50" in _error_line(run(*args))
