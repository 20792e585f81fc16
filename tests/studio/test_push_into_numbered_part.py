"""`push --project 'Weekly #2'` (a title copied from Label Studio's project list, to add a
batch to the part reviewers work in) was refused with the fix `--project 'Weekly 2'`,
which makes a new project beside the set: its passages would be reviewed a second time
(passE51 E5). The fix now names the set, which a push fills in order; a new name that
merely ends in ' #N' keeps the old fix."""

from __future__ import annotations

from typing import Any

from annotate.studio.projects import ProjectSet, reserved_name_error


class Listing:
    def __init__(self, titles: list[str]) -> None:
        self.projects = [{"id": i, "title": t, "description": ""} for i, t in enumerate(titles)]

    def list_projects(self, include: str | None = None) -> list[dict[str, Any]]:
        return self.projects


def test_a_part_of_a_numbered_set_is_refused_naming_the_set() -> None:
    client = Listing(["Weekly #1", "Weekly #2", "Weekly #3"])
    members = ProjectSet("Weekly #2", "single", (client.projects[1],))
    err = reserved_name_error(client, "Weekly #2", members)  # type: ignore[arg-type]
    assert err is not None
    assert "--project 'Weekly #2' is project 2 of the numbered set 'Weekly'" in str(err)
    assert str(err.fix).startswith("pass --project 'Weekly': the push fills"), err.fix
    assert "'Weekly 2'" not in str(err.fix)


def test_a_new_name_ending_in_a_number_keeps_its_fix() -> None:
    err = reserved_name_error(Listing(["Other"]), "Budget #2", ProjectSet("Budget #2", "none", ()))  # type: ignore[arg-type]
    assert err is not None and "--project 'Budget 2'" in str(err.fix)
    # a lone project of that title, no set beside it: pushed into as before
    lone = Listing(["Budget #2"])
    assert (
        reserved_name_error(
            lone, "Budget #2", ProjectSet("Budget #2", "single", (lone.projects[0],))
        )
        is None
    )  # type: ignore[arg-type]
