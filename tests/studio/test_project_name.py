"""--project names as Label Studio keeps titles: it strips surrounding spaces (so a push
to 'Batch 1 ' never found its project again and made one more on every re-run), and it
refuses more than 50 characters (an empty $BATCH made an untitled project)."""

from __future__ import annotations

import pytest

from annotate.errors import InputError
from annotate.studio.projects import (
    MAX_TITLE,
    ProjectSet,
    check_numbered_titles,
    new_project_name,
    project_name,
)
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
        # a review set (a plain push asks the server first: an existing project of that
        # title is pushed into, tests/integration/test_numbered_projects.py)
        (["push", str(FIXTURES / "prelabels.jsonl"), "-q", "-k", "2"], "ends in '#3'"),
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


def _numbered(name: str, *numbers: int) -> ProjectSet:
    titles = [f"{name} #{k}" for k in numbers] or [name]
    return ProjectSet(name, "numbered", tuple({"id": i, "title": t} for i, t in enumerate(titles)))


@pytest.mark.parametrize(
    ("name_len", "existing", "room", "todo", "last"),
    [
        (48, (), 0, 25, 3),  # opens #1..#3: 'NAME #3' has 51 characters
        (47, (8, 9), 0, 5, 10),  # #10 after #9: 51
        (46, (8, 9), 3, 13, 10),  # 3 fill #9, 10 open #10: 50, fits
        (50, (), 0, 10, None),  # one project, titled NAME: fits
        (48, (), 4, 4, None),  # NAME exists with room for all: nothing opened
    ],
)
def test_a_name_too_long_for_the_numbered_projects_a_push_needs_is_refused_first(
    name_len: int, existing: tuple[int, ...], room: int, todo: int, last: int | None
) -> None:
    """A 43-50 character name was refused only on reaching 'NAME #1' (or '#10'), after
    the projects before it were filled: the push is checked before it sends anything."""
    name = "n" * name_len
    projects = _numbered(name, *existing) if existing or room else ProjectSet(name, "none", ())
    title = None if last is None else f"{name} #{last}"
    if last is None or len(str(title)) <= MAX_TITLE:
        check_numbered_titles(projects, room, todo, 10)
        return
    with pytest.raises(InputError) as err:
        check_numbered_titles(projects, room, todo, 10)
    assert f"{title!r} has {len(str(title))} characters" in err.value.what
    assert f"at most {MAX_TITLE - len(f' #{last}')} characters" in str(err.value.fix)
    assert "--max-tasks-per-project" in str(err.value.fix)
