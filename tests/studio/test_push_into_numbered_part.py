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
    assert (
        "--project 'Weekly #2' is one of the projects of the numbered set 'Weekly' "
        "('Weekly #1', 'Weekly #2', 'Weekly #3')" in str(err)
    ), err
    # no plain 'Weekly' in that set: the message describes no numbering it does not use
    # (passK54 K5: "continues in 'Weekly', 'Weekly #1', ...", "project 2")
    assert "'Weekly', " not in str(err) and "project 2" not in str(err)
    assert str(err.fix).startswith("pass --project 'Weekly': the push fills"), err.fix
    assert "'Weekly 2'" not in str(err.fix)


def test_a_set_with_a_plain_project_is_named_as_the_server_has_it() -> None:
    titles = ["Daily", *(f"Daily #{i}" for i in (10, 2, 1, 3))]
    client = Listing(titles)
    members = ProjectSet("Daily #2", "single", (client.projects[2],))
    err = reserved_name_error(client, "Daily #2", members)  # type: ignore[arg-type]
    assert err is not None
    assert "numbered set 'Daily' ('Daily', 'Daily #1', ..., 'Daily #10')" in str(err), err


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
