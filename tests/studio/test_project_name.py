"""--project names as Label Studio keeps titles: it strips surrounding spaces (so a push
to 'Batch 1 ' never found its project again and made one more on every re-run), and it
refuses more than 50 characters (an empty $BATCH made an untitled project)."""

from __future__ import annotations

import pytest

from annotate.errors import InputError
from annotate.studio.projects import new_project_name, project_name
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


@pytest.mark.parametrize(
    ("name", "said", "fix"),
    [
        ("Batch #2", "ends in '#2'", "--project 'Batch 2'"),
        ("Batch · ana", "holds ' · '", "--project 'Batch - ana'"),
        ("Batch · adjudication", "holds ' · '", "--project 'Batch - adjudication'"),
    ],
)
def test_a_name_read_as_another_names_project_is_refused_where_projects_are_made(
    name: str, said: str, fix: str
) -> None:
    """'Batch #2' was taken for the second numbered project of 'Batch' (and made 'Batch #2
    #1' when full); 'Batch · ana' for a queue of review set 'Batch'."""
    with pytest.raises(InputError) as err:
        new_project_name(name)
    assert said in err.value.what and fix in str(err.value.fix)
    assert project_name(name) == name  # an existing project of that title is still read
    for ok in ("Batch 2", "Batch #2 of 3", "Batch#2", "Mod·2"):
        assert new_project_name(ok) == ok


@pytest.mark.parametrize("name", ["Batch\n2", "Batch\t2", "Batch\x1b[31m"])
def test_a_name_with_a_control_character_is_refused(name: str) -> None:
    with pytest.raises(InputError, match="holds a control character"):
        project_name(name)


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (["push", str(FIXTURES / "prelabels.jsonl"), "-q"], "ends in '#3'"),
        (["demo"], "ends in '#3'"),
    ],
)
def test_push_and_demo_refuse_it_before_asking_a_server(
    command: list[str], line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")  # answers nothing
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "a" * 40)
    said = _error_line(run(*command, "--project", "Weekly #3"))
    assert said.startswith("error: --project 'Weekly #3' " + line), said
    assert "Fix: pass a name without a ' #NUMBER' ending, e.g. --project 'Weekly 3'." in said
