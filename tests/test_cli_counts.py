"""Counts the CLI prints agree with their noun: `annotate demo` on a one-document corpus
printed "1 documents -> 1 passages", prelabel "1 passages pre-labelled", `review
status` "1 tasks" (annotate.cli.app.counted, the one helper for them)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from annotate.cli.app import counted, threads_said
from annotate.cli.audit import _files_match
from annotate.cli.train import split_headline
from annotate.settings import STUDIO_URL_ENV
from annotate.studio.push import PushResult
from tests.test_cli import run


@pytest.mark.parametrize(
    ("n", "said"), [(0, "0 passages"), (1, "1 passage"), (2, "2 passages"), (-1, "-1 passages")]
)
def test_counted(n: int, said: str) -> None:
    assert counted(n, "passage") == said


def test_counted_with_its_own_plural() -> None:
    assert counted(1, "exact copy", "exact copies") == "1 exact copy"
    assert counted(3, "exact copy", "exact copies") == "3 exact copies"


def test_summary_parts_of_one() -> None:
    assert threads_said(1, "--threads") == "1 torch thread (--threads)"
    assert _files_match(1) == "1 file matches" and _files_match(7) == "7 files match"
    summary, _ = split_headline({"test": {"n": 1, "macro_f1": 1.0, "per_label": {}}})
    assert summary == "macro F1 1.0 on 1 test passage"


def test_demo_of_one_document(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import annotate.demo
    from annotate.studio import server

    push = PushResult(
        project_id=1, project="demo", project_url="u", model_version="m", total=1, created=1
    )
    result = annotate.demo.DemoResult(
        url="u", project_url="u", username="a", password="p", documents=1, passages=1,
        push=push, workdir=tmp_path, team_project="demo team",
    )  # fmt: skip
    monkeypatch.setattr(annotate.demo, "demo", lambda *a, **k: result)
    monkeypatch.setattr(server, "is_installed", lambda paths: True)
    monkeypatch.setattr(server, "status", lambda paths: SimpleNamespace(answers=True))
    monkeypatch.delenv(STUDIO_URL_ENV, raising=False)
    ran = run("demo", "-q")
    assert ran.returncode == 0, ran.stderr
    assert "1 document -> 1 passage; project 'demo': 1 created" in ran.stderr, ran.stderr


def test_prelabel_of_one_passage(tmp_path: Path) -> None:
    src = tmp_path / "passages.jsonl"
    row = {"id": "d1-0", "doc_id": "d1", "text": "The council met on Tuesday."}
    src.write_text(json.dumps(row) + "\n", encoding="utf-8")
    ran = run("prelabel", str(src), "--out", str(tmp_path / "prelabels.jsonl"), "-q")
    assert ran.returncode == 0, ran.stderr
    assert "1 passage pre-labelled with" in ran.stderr, ran.stderr


def test_a_push_over_numbered_projects_names_each_ones_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A push split over `NAME #1..#3` printed `review at` the LAST project's URL only:
    sent that link, reviewers never saw #1, which holds the riskiest passages."""
    import annotate.studio.push

    projects = {"Mod #1": 11, "Mod #2": 12, "Mod #3": 13}
    result = PushResult(
        13, "Mod", "http://127.0.0.1:8080/projects/13/data", "m@1", total=28, created=28,
        project_created=True, projects=projects,
    )  # fmt: skip
    monkeypatch.setattr(annotate.studio.push, "push", lambda *a, **k: result)
    src = tmp_path / "prelabels.jsonl"
    src.write_text("{}\n", encoding="utf-8")
    ran = run("push", str(src), "--project", "Mod", "--max-tasks-per-project", "10")
    assert ran.returncode == 0, ran.stderr
    out = ran.stdout + ran.stderr
    for title, pid in projects.items():
        assert f"  {title}: http://127.0.0.1:8080/projects/{pid}/data" in out, out
    assert "review at http://127.0.0.1:8080/projects/13/data" not in out


def test_a_push_that_continues_a_numbered_set_says_updated_and_names_the_new_project(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A second batch that filled 'Mod #3' and opened 'Mod #4' said "project 'Mod'
    created", as if the set were new."""
    import annotate.studio.push

    projects = {"Mod #1": 1, "Mod #2": 2, "Mod #3": 3, "Mod #4": 4}
    result = PushResult(
        4, "Mod", "http://127.0.0.1:8080/projects/4/data", "m@1", total=3, created=3,
        project_created=True, projects=projects, projects_created=["Mod #4"],
    )  # fmt: skip
    monkeypatch.setattr(annotate.studio.push, "push", lambda *a, **k: result)
    src = tmp_path / "prelabels.jsonl"
    src.write_text("{}\n", encoding="utf-8")
    ran = run("push", str(src), "--project", "Mod", "--max-tasks-per-project", "10")
    assert ran.returncode == 0, ran.stderr
    out = ran.stdout + ran.stderr
    said = "projects 'Mod #1', 'Mod #2', 'Mod #3', 'Mod #4' updated (new: 'Mod #4'): 3 created"
    assert said in out, out
    assert "'Mod' created" not in out


@pytest.mark.parametrize(
    ("count", "said"),
    [
        (4, "projects 'Weekly #1', 'Weekly #2', 'Weekly #3', 'Weekly #4' created: 16 created"),
        (12, "projects 'Weekly #1' ... 'Weekly #12' (12) created: 16 created"),
    ],
)
def test_a_first_push_over_numbered_projects_names_them_not_the_plain_title(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, count: int, said: str
) -> None:
    """A first push split over 'Weekly #1..#4' said "project 'Weekly' created", a title
    no project has (passA50 P6)."""
    import annotate.studio.push

    projects = {f"Weekly #{k}": 4 + k for k in range(1, count + 1)}
    result = PushResult(
        4 + count, "Weekly", f"http://127.0.0.1:8080/projects/{4 + count}/data", "m@1",
        total=16, created=16, project_created=True, projects=projects,
        projects_created=list(projects),
    )  # fmt: skip
    monkeypatch.setattr(annotate.studio.push, "push", lambda *a, **k: result)
    src = tmp_path / "prelabels.jsonl"
    src.write_text("{}\n", encoding="utf-8")
    ran = run("push", str(src), "--project", "Weekly", "--max-tasks-per-project", "5")
    assert ran.returncode == 0, ran.stderr
    out = " ".join((ran.stdout + ran.stderr).split())
    assert said in out, out
    assert "project 'Weekly' created" not in out


def test_a_push_into_a_plain_project_still_names_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import annotate.studio.push

    result = PushResult(
        3, "Mod", "http://127.0.0.1:8080/projects/3/data", "m@1", total=2, created=2,
        project_created=True, projects={"Mod": 3}, projects_created=["Mod"],
    )  # fmt: skip
    monkeypatch.setattr(annotate.studio.push, "push", lambda *a, **k: result)
    src = tmp_path / "prelabels.jsonl"
    src.write_text("{}\n", encoding="utf-8")
    ran = run("push", str(src), "--project", "Mod")
    assert ran.returncode == 0, ran.stderr
    assert "project 'Mod' created: 2 created" in " ".join(ran.stderr.split()), ran.stderr


def test_a_push_raced_by_another_says_what_its_numbers_cover(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A push racing another push (another machine's) said "0 created, 1,000 skipped
    (already there), 0 failed, of 4,500 passages" and, on its own line, "removed 3,500
    tasks another push had also created": the numbers added up to 1,000 of 4,500
    (faults49 F7). The passages both imported are counted in the summary."""
    import annotate.studio.push

    result = PushResult(
        5, "F conc2", "http://127.0.0.1:8080/projects/5/data", "m@1", total=4500, created=0,
        skipped=1000, duplicates_removed=3500,
    )  # fmt: skip
    monkeypatch.setattr(annotate.studio.push, "push", lambda *a, **k: result)
    src = tmp_path / "prelabels.jsonl"
    src.write_text("{}\n", encoding="utf-8")
    ran = run("push", str(src), "--project", "F conc2")
    assert ran.returncode == 0, ran.stderr
    assert (
        "0 created, 1,000 skipped (already there), 3,500 imported by another push at the same "
        "time as this one (this push's copies removed, the other's kept), 0 failed, of 4,500 "
        "passages"
    ) in " ".join(ran.stderr.split()), ran.stderr


def test_a_push_that_leaves_another_pushs_copies_says_so_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The push racing another (another machine's) found 100 passages twice that it did
    not all make, left them alone, and said "4,500 created ... 0 failed", exit 0: had the
    other push been killed before its clean-up, the copies stayed with nothing said in
    the summary (faults49 F7). It says what it left and the fix, and exits 1."""
    import annotate.studio.push

    result = PushResult(
        5, "F conc2", "http://127.0.0.1:8080/projects/5/data", "m@1", total=4500, created=4500,
        repeated_left=100,
    )  # fmt: skip
    monkeypatch.setattr(annotate.studio.push, "push", lambda *a, **k: result)
    src = tmp_path / "prelabels.jsonl"
    src.write_text("{}\n", encoding="utf-8")
    ran = run("push", str(src), "--project", "F conc2")
    said = " ".join(ran.stderr.split())
    assert ran.returncode == 1, ran.stderr
    assert (
        "warning: 100 or more passage(s) are in 'F conc2' more than once, as copies another "
        "push made" in said
    ), said
    assert "Fix: once no other push into 'F conc2' runs, run the same `annotate push` again" in said
    result.repeated_left = 3
    ran = run("push", str(src), "--project", "F conc2")
    assert ran.returncode == 1 and "warning: 3 passage(s) are in 'F conc2'" in ran.stderr
    result.repeated_left = 0  # none left: exit 0, no word of it
    ran = run("push", str(src), "--project", "F conc2")
    assert ran.returncode == 0 and "more than once" not in ran.stderr, ran.stderr
