"""A changed labels.yaml wellbeing rule, pushed again, reaches the tasks already waiting in
reviewers' queues on a real Label Studio (passA50 P1): an open task the new terms hide
loses its "show" tick and gets its warning, one they no longer hide opens at once; an
answered task keeps what its reviewer saw; the push says what it changed."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.studio.client import StudioClient
from tests.conftest import ROOT
from tests.test_graphic_backstop import _row
from tests.test_wellbeing_repush import MOSQUE, NOTICE

from .review_team import add_team, answer_as, push_set, run

pytestmark = pytest.mark.integration


def _labels(tmp_path: Path, terms: str) -> Path:
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    head = text[: text.index("\nwellbeing:")]
    path = tmp_path / f"labels-{terms}.yaml"
    path.write_text(head + f"\nwellbeing:\n  hide_terms: [{terms}]\n", encoding="utf-8")
    return path


def _view(client: StudioClient, project_id: int) -> dict[str, tuple[str, bool]]:
    """Passage -> (graphic_hidden_by, whether a prediction holds the "show" tick)."""
    out = {}
    for task in client.iter_tasks(project_id):
        full = client.sdk.tasks.get(str(task["id"]))
        reveal = any(r["from_name"] == "reveal" for p in full.predictions or [] for r in p.result)
        out[full.data["passage_id"]] = (full.data["graphic_hidden_by"], reveal)
    return out


def test_a_changed_term_list_reaches_open_tasks_at_the_next_push(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    rows = [
        {**_row(MOSQUE, 0.02, ["news_reporting"]), "id": "wb-mosque"},
        {**_row(NOTICE, 0.02, ["news_reporting"]), "id": "wb-notice", "passage_index": 1},
        {**_row(MOSQUE, 0.02, ["news_reporting"]), "id": "wb-seen", "doc_id": "d2"},
    ]
    path = tmp_path / "prelabels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    team = add_team(("ana", "ben"), "repush.test")
    ana, _ = team
    burn, library = _labels(tmp_path, "burn"), _labels(tmp_path, "library")
    first = push_set(name, team, "--labels", str(burn), source=path)
    assert "wellbeing:" not in first, first
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, name).items()}
    before = _view(client, queues[ana])
    assert before["wb-mosque"] == ("term \u201cburn\u201d", False), before
    assert before["wb-notice"] == ("", True), before
    answer_as(client, ana, queues[ana], "wb-seen", ["violent_threat"], "high")

    out = push_set(name, team, "--labels", str(library), source=path)
    assert "wellbeing: labels.yaml's hiding rule applied to 5 open task(s) already queued: " in out
    assert "2 now hidden behind a content warning (e.g. wb-notice); 3 now shown at once" in out
    assert "wellbeing: 1 answered or skipped task(s) would be hidden or shown" in out, out
    for email, queue in queues.items():
        after = _view(client, queue)
        assert after["wb-mosque"] == ("", True), (email, after)
        assert after["wb-notice"] == ("term \u201clibrary\u201d", False), (email, after)
        # ben's open copy follows the rule now; ana's answered one keeps what she saw
        seen = ("term \u201cburn\u201d", False) if email == ana else ("", True)
        assert after["wb-seen"] == seen, (email, after)
    again = push_set(name, team, "--labels", str(library), source=path)
    assert "hiding rule applied" not in again, again  # nothing left to change
    assert "wellbeing: 1 answered or skipped task(s)" in again, again  # still true, said

    # exposure counts what reviewers were shown (the tasks' records), so exports read
    # under either labels.yaml agree (passA50 P2): ana read wb-seen hidden under "burn",
    # ben wb-notice hidden under "library" and wb-mosque shown
    ben = next(e for e in team if e != ana)
    answer_as(client, ben, queues[ben], "wb-mosque", ["violent_threat"], "medium")
    answer_as(client, ben, queues[ben], "wb-notice", ["none"])
    records = []
    for labels in (burn, library):
        out = tmp_path / f"export-{labels.stem}"
        run("export", "--project", name, "--out", str(out), "--labels", str(labels), "-q")
        records.append((out / "exposure.json").read_text(encoding="utf-8"))
    assert records[0] == records[1], records
    days = json.loads(records[0])["reviewers"]
    graphic = {who: sum(d["graphic"] for d in by_day.values()) for who, by_day in days.items()}
    assert sorted(graphic.values()) == [1, 1], days


def test_a_plain_push_applies_a_changed_term_list_to_its_open_tasks_too(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    rows = [
        {**_row(MOSQUE, 0.02, ["news_reporting"]), "id": "pl-mosque"},
        {**_row(NOTICE, 0.02, ["news_reporting"]), "id": "pl-notice", "passage_index": 1},
        {**_row(MOSQUE, 0.02, ["news_reporting"]), "id": "pl-seen", "doc_id": "d2"},
    ]
    path = tmp_path / "prelabels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (ana,) = add_team(("ana",), "plain.test")
    burn, library = _labels(tmp_path, "burn"), _labels(tmp_path, "library")
    run("push", str(path), "--project", name, "--labels", str(burn))
    project_id = int(client.require_project(name)["id"])
    answer_as(client, ana, project_id, "pl-seen", ["violent_threat"], "high")
    out = run("push", str(path), "--project", name, "--labels", str(library))
    assert "applied to 2 open task(s) already queued: 1 now hidden behind a content " in out
    assert "1 answered or skipped task(s) would be hidden or shown" in out, out
    after = _view(client, project_id)
    assert after == {
        "pl-mosque": ("", True),
        "pl-notice": ("term \u201clibrary\u201d", False),
        "pl-seen": ("term \u201cburn\u201d", False),  # answered: as ana saw it
    }, after


def test_the_daily_graphic_limit_counts_a_reviewer_across_review_sets(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    """passA50 P3: one graphic passage in each of two sets the same day is above a limit of
    1, though neither set alone is; the status of either set says so."""
    rows = [{**_row(MOSQUE, 0.02, ["news_reporting"]), "id": "day-mosque"}]
    path = tmp_path / "prelabels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    team = add_team(("ana", "ben"), "day.test")
    ana, _ = team
    burn = _labels(tmp_path, "burn")
    sets = (name, f"{name}-b")
    for each in sets:
        new = ["--new-set"] if each != name else []  # a name close to the first's
        push_set(each, team, "--labels", str(burn), *new, source=path)
        queue = int(reviewer_projects(client, each)[ana]["id"])
        answer_as(client, ana, queue, "day-mosque", ["violent_threat"], "high")
    today = datetime.now(timezone.utc).date().isoformat()
    for each in sets:
        status = run("review", "status", "--project", each, "--graphic-limit", "1")
        line = next(x for x in status.splitlines() if ana in x and "graphic" in x)
        assert line.endswith(
            "1 answered, 1 graphic, 1 high severity; over all projects: 2 answered, 2 graphic, "
            f"2 high severity  OVER LIMIT: 2 graphic on {today}"
        ), status
        assert (
            "warning: 1 reviewer(s) above 1 graphic passage(s) a day (a UTC day, over every "
            in status
        )
