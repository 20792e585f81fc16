"""A name that is a plain project and a review set: `push -k` into the name of a plain
project made the review set beside it, and export then read only the review set (the
plain project's answers were left out without a word)."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.errors import InputError, StudioError
from annotate.review.fanout import push_review
from annotate.studio.projects import project_set
from tests.conftest import FIXTURES, project_taxonomy

MARK = '[annotate-review] project="{name}" reviewer={email}'


class Projects:
    """Just enough of StudioClient for project_set and the start of push_review."""

    url = "http://fake"

    def __init__(self, projects: list[dict[str, Any]]) -> None:
        self.projects = projects
        self.created: list[str] = []

    def list_projects(self, include: str | None = None) -> list[dict[str, Any]]:
        keep = include.split(",") if include else None  # the server sends only those
        return [{k: v for k, v in p.items() if keep is None or k in keep} for p in self.projects]

    def get_project(self, project_id: int) -> dict[str, Any]:
        return next(dict(p) for p in self.projects if p["id"] == project_id)

    def whoami(self) -> dict[str, Any]:
        return {"id": 1}

    def users(self) -> list[dict[str, Any]]:
        return [{"id": 2, "email": "ana@x.org"}, {"id": 3, "email": "ben@x.org"}]

    def create_project(self, title: str, *a: Any, **kw: Any) -> dict[str, Any]:
        self.created.append(title)
        return {"id": 99, "title": title}


def test_a_name_that_is_a_project_and_a_review_set_is_refused() -> None:
    client = Projects(
        [
            {"id": 1, "title": "Batch", "description": ""},
            {"id": 2, "title": "Batch · ana", "description": MARK.format(name="Batch", email="a")},
        ]
    )
    with pytest.raises(StudioError, match=r"both a review set .* and a project of that title"):
        project_set(client, "Batch")  # type: ignore[arg-type]


def test_a_review_push_into_a_plain_projects_name_is_refused_before_creating_any() -> None:
    config = project_taxonomy().render_label_config()  # a plain push made it
    client = Projects([{"id": 1, "title": "Batch", "description": "", "label_config": config}])
    with pytest.raises(InputError, match="'Batch' is a project pushed without"):
        push_review(
            FIXTURES / "prelabels.jsonl",
            "Batch",
            2,
            taxonomy=project_taxonomy(),
            client=client,  # type: ignore[arg-type]
            salt="s",  # else the work folder's salt is made: the repository's, from its root
        )
    assert client.created == []


@pytest.mark.parametrize("typed", ["batch 12", "Batch  12", "BATCH 12"])
def test_a_review_push_into_a_name_that_differs_only_in_case_or_spaces_is_refused(
    typed: str,
) -> None:
    """`push -k 2 --project 'batch 12'` beside the review set 'Batch 12' made a second set
    of queues, and each reviewer got the same passages again there."""
    mark = MARK.format(name="Batch 12", email="r-1")
    client = Projects([{"id": 2, "title": "Batch 12 · r-1", "description": mark}])
    with pytest.raises(InputError, match="differs only in case or spacing") as exc:
        push_review(FIXTURES / "prelabels.jsonl", typed, 2, client=client, salt="s")  # type: ignore[arg-type]
    assert "--project 'Batch 12'" in str(exc.value) and client.created == []


def test_a_plain_push_into_a_twin_of_a_numbered_name_is_refused() -> None:
    from annotate.studio.projects import twin_error

    client = Projects([{"id": 1, "title": "Batch #1", "description": ""}])
    assert twin_error(project_set(client, "batch")) is not None  # type: ignore[arg-type]
    assert project_set(client, "Batch").kind == "numbered"  # type: ignore[arg-type]
    assert twin_error(project_set(client, "Batch 2")) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("projects", "name", "said"),
    [
        ([{"id": 1, "title": "Batch", "description": ""}], "Batch", "is a project annotate"),
        ([{"id": 1, "title": "Batch #1", "description": ""}], "Batch", "numbered projects"),
        (
            [
                {
                    "id": 2,
                    "title": "Dec-03 · r-1",
                    "description": MARK.format(name="Dec-03", email="r-1"),
                }
            ],
            "Dec-3",
            "is no review set yet, and its name is close",
        ),
        (  # queues named under a salt this machine does not have
            [
                {
                    "id": 2,
                    "title": "Batch · r-1",
                    "description": MARK.format(name="Batch", email="r-1"),
                }
            ],
            "Batch",
            "pushed with another salt",
        ),
    ],
)
def test_a_refused_review_push_makes_no_pseudonym_salt(
    projects: list[dict[str, Any]],
    name: str,
    said: str,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The salt was made before the name was checked against the server's projects: a
    refused push left a new ``.annotate/pseudonym_salt`` (where a set pushed with another
    salt, a second salt beside the one the fix asks for)."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))
    monkeypatch.delenv("ANNOTATE_PSEUDONYM_SALT", raising=False)
    client = Projects(projects)
    with pytest.raises((InputError, StudioError), match=said):
        push_review(
            FIXTURES / "prelabels.jsonl",
            name,
            2,
            taxonomy=project_taxonomy(),
            client=client,  # type: ignore[arg-type]
        )
    assert client.created == [] and not (tmp_path / "pseudonym_salt").exists()
    from annotate.corpus.salt import reviewer_salt, stored_salt

    assert stored_salt() is None
    made = reviewer_salt()  # what an accepted push makes, once
    assert stored_salt() == made == (tmp_path / "pseudonym_salt").read_text().strip()


def test_queues_of_another_salt_name_the_salt_file_and_the_folder_fix(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review set pushed from the data folder (a .annotate of its own there) and handed
    over from the project folder: the error said "this machine's pseudonym salt" and to
    copy "the salt of the machine that pushed it", on the one machine there was."""
    from annotate.review.queues import Queue, unknown_salt_error

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "project" / ".annotate"))
    monkeypatch.delenv("ANNOTATE_PSEUDONYM_SALT", raising=False)
    error = unknown_salt_error([Queue("r-1", None, None, {"id": 2})], "Batch")
    assert error is not None
    assert str(tmp_path / "project" / ".annotate" / "pseudonym_salt") in str(error), error
    assert "pushed with another salt" in str(error)
    assert "from the folder it was pushed from" in error.fix, error.fix
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "s" * 32)
    error = unknown_salt_error([Queue("r-1", None, None, {"id": 2})], "Batch")
    assert error is not None and "$ANNOTATE_PSEUDONYM_SALT" in str(error), error


@pytest.mark.parametrize(
    ("tasks", "said", "fix"),
    [
        # the copy a creation left (Label Studio on SQLite repeats a creation that found
        # its database locked): named, and the fix deletes it
        (
            [0, 48],
            "; id 4 holds no task, most likely a copy made when",
            "delete the empty project (id 4)",
        ),
        ([48, 0, 0], "; ids 5, 6 hold no task", "delete the empty projects (ids 5, 6)"),
        ([48, 12], ".", "rename or delete all but one of them"),  # which to keep: the user's
    ],
)
def test_a_title_of_several_projects_names_the_empty_copies(
    tasks: list[int], said: str, fix: str
) -> None:
    client = Projects([{"id": 4 + i, "title": "W", "task_number": n} for i, n in enumerate(tasks)])
    with pytest.raises(StudioError) as err:
        project_set(client, "W")  # type: ignore[arg-type]
    ids = ", ".join(str(4 + i) for i in range(len(tasks)))
    assert f"are titled 'W' (ids {ids}){said}" in str(err.value)
    assert err.value.fix.startswith(fix)
