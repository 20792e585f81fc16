"""What `annotate push` says of a set of numbered projects (passE51 E2/E6): each project's
tasks and what this push put there with its priority range; a note when this push's
riskiest passages went to a project after `#1` (which holds an earlier push's riskiest);
and a note on the part size the set records. The part size itself is a description
line of the set's projects."""

from __future__ import annotations

from annotate.cli.push import _placed, riskiest_line, size_lines
from annotate.studio.projects import part_size_of, recorded_part_size, with_part_size
from annotate.studio.push import PushResult


def _result(**kw: object) -> PushResult:
    base = {"project_id": 3, "project": "Daily", "project_url": "http://x/projects/3/data"}
    return PushResult(model_version="m", **base, **kw)  # type: ignore[arg-type]


PROJECTS = {"Daily #1": 1, "Daily #2": 2, "Daily #3": 3, "Daily #4": 4}


def test_a_later_push_names_where_its_riskiest_went() -> None:
    later = _result(
        projects=PROJECTS,
        placed={"Daily #3": (809, 0.7125, 0.0202), "Daily #4": (821, 0.0199, 0.0004)},
        held={"Daily #1": 2000, "Daily #2": 2000, "Daily #3": 2000, "Daily #4": 821},
        max_tasks=2000,
        max_tasks_recorded=2000,
    )
    assert _placed(later, "Daily #1") == "  (2,000 tasks)"
    assert _placed(later, "Daily #3") == "  (2,000 tasks; +809 now, priority 0.7125..0.0202)"
    line = riskiest_line(later)
    assert line is not None
    assert line.startswith(
        "note: this push's riskiest passages (priority up to 0.7125) went to 'Daily #3', the "
        "first project with room; 'Daily #1' holds the riskiest of earlier pushes."
    ), line
    # the set's first push: its riskiest are in #1, nothing to say
    first = _result(projects=PROJECTS, placed={"Daily #1": (2000, 0.71, 0.01)})
    assert riskiest_line(first) is None
    assert riskiest_line(_result(projects=PROJECTS)) is None  # nothing sent


def test_a_resumed_push_is_judged_by_where_the_files_riskiest_are() -> None:
    """passK54 K2: killed after 1,000 tasks landed in `KillTest #1`, the push run again
    put the rest in `#2` and said its riskiest went there, `#1` holding "the riskiest of
    earlier pushes": `#1` held this file's riskiest (0.162), 6x above `#2`'s."""
    projects = {"KillTest #1": 1, "KillTest #2": 2, "KillTest #3": 3}
    resumed = _result(
        projects=projects,
        placed={"KillTest #2": (1000, 0.0244, 0.0093), "KillTest #3": (500, 0.0093, 0.0001)},
        already={"KillTest #1": (1000, 0.162, 0.0245)},
        held={"KillTest #1": 1000, "KillTest #2": 1000, "KillTest #3": 500},
        max_tasks=1000,
    )
    assert riskiest_line(resumed) is None  # working them in order reaches the riskiest first
    assert _placed(resumed, "KillTest #1") == (
        "  (1,000 tasks; 1,000 of this file already there, priority 0.162..0.0245)"
    )
    assert _placed(resumed, "KillTest #2") == "  (1,000 tasks; +1,000 now, priority 0.0244..0.0093)"
    # the first run went to #2 (#1 full of an earlier week's): #2 is named, as already there
    later = _result(
        projects=projects,
        placed={"KillTest #3": (500, 0.0093, 0.0001)},
        already={"KillTest #2": (1000, 0.162, 0.0245)},
    )
    line = riskiest_line(later)
    assert line is not None and line.startswith(
        "note: this file's riskiest passages (priority up to 0.162) are in 'KillTest #2', "
        "which held 1,000 of them before this push"
    ), line
    assert "'KillTest #1' holds the riskiest of earlier pushes" in line
    assert "Have 'KillTest #2' worked first" in line
    # nothing new to send: the note still says where they are
    assert riskiest_line(_result(projects=projects, already=later.already)) == line


def test_the_part_size_note() -> None:
    kept = _result(projects=PROJECTS, max_tasks=2000, max_tasks_recorded=2000)
    assert size_lines(kept, None) == [
        "note: 'Daily' is cut at 2,000 tasks a project (recorded by an earlier push's "
        "--max-tasks-per-project; pass it to change that)"
    ]
    assert size_lines(kept, 2000) == []
    changed = size_lines(kept, 1000)
    assert changed and "this push used 1,000 (--max-tasks-per-project)" in changed[0]
    assert size_lines(_result(projects=PROJECTS), None) == []  # nothing recorded
    inferred = _result(projects=PROJECTS, max_tasks=2000, max_tasks_inferred=True)
    assert size_lines(inferred, None) == [
        "note: 'Daily' recorded no part size (cut by an earlier annotate); its first project "
        "holds 2,000 tasks, taken as the size and recorded (--max-tasks-per-project changes it)"
    ]


def test_the_part_size_line_of_a_description() -> None:
    made = "labels 1.0: pre-labelled passages. Created by annotate push."
    marked = with_part_size(made, 2000)
    assert marked.startswith(made) and part_size_of({"description": marked}) == 2000
    again = with_part_size(marked, 500)
    assert part_size_of({"description": again}) == 500 and again.count("max_tasks") == 1
    assert part_size_of({"description": made}) is None
    assert part_size_of({"description": "[annotate-push] max_tasks_per_project=x"}) is None
    parts = [{"description": made}, {"description": marked}, {"description": again}]
    assert recorded_part_size(parts) == 500 and recorded_part_size(parts[:1]) is None
