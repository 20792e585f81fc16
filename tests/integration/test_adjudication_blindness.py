"""Whether a review set stayed blind, stated truthfully, against a real Label Studio: every
member of the organization can open ``NAME · adjudication``, which shows each disputed
passage's answers by pseudonym, so a reviewer can change an answer to match once
`annotate adjudicate` ran mid-round. The manifest and report.md stated "no reviewer could
see another reviewer's answers" all the same. Now `adjudicate` refuses while reviewer
queues hold open tasks (unless --mid-round), and the export counts the answers made or
changed after their passage appeared there (per reviewer, with passage ids), checked here
with pandas against the answers' and adjudication tasks' times; a round adjudicated
after it was done reads "blind throughout"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from annotate.corpus.resolve import pseudonym
from annotate.review.queue_tasks import reviewer_projects
from annotate.review.reviewers import find_user
from annotate.studio.client import StudioClient

from .helpers import SALT, change_answer, choices
from .review_team import add_team, answer_as, push_set, run

pytestmark = pytest.mark.integration
DISPUTED = "doc-a-p1"
ALL = ("doc-a-p0", "doc-a-p1", "doc-b-p0", "doc-b-p1", "doc-c-p0", "doc-c-p1")


def _set_up(client: StudioClient, name: str) -> tuple[str, str, int, int]:
    """A review set of two fresh reviewers, K = 2 (each queue holds every passage)."""
    ana, ben = add_team(("ana", "ben"), "blind.test")
    push_set(name, (ana, ben), "-q")
    queues = reviewer_projects(client, name)
    return ana, ben, int(queues[ana]["id"]), int(queues[ben]["id"])


def _pseudonym(client: StudioClient, email: str) -> str:
    user = find_user(client, email)
    assert user is not None
    return pseudonym(user["id"], SALT)


def _export(name: str, out: Path) -> tuple[dict[str, Any], dict[str, Any], str, str]:
    said = run("export", "--project", name, "--out", str(out), "-q")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    report = json.loads((out / "report" / "report.json").read_text(encoding="utf-8"))
    md = " ".join((out / "report" / "report.md").read_text(encoding="utf-8").split())
    return manifest, report, md, said


def _answers(out: Path) -> pd.DataFrame:
    """One line per reviewer answer in the exported rows: passage, reviewer, times."""
    rows = pd.concat(
        [pd.read_json(p, lines=True) for p in sorted((out / "jsonl").glob("*.jsonl"))],
        ignore_index=True,
    )
    answers = rows[["id", "annotations"]].explode("annotations", ignore_index=True)
    flat = pd.json_normalize(answers["annotations"].tolist())
    flat["passage"] = answers["id"]
    for col in ("created_at", "updated_at"):
        flat[col] = pd.to_datetime(flat[col], utc=True, format="ISO8601")
    return flat


def test_an_answer_changed_after_a_mid_round_adjudication_is_reported(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben, ana_q, ben_q = _set_up(client, name)
    made = {p: answer_as(client, ana, ana_q, p, ["none"]) for p in ALL}
    answer_as(client, ben, ben_q, DISPUTED, ["news_reporting"], "low")
    bens = answer_as(client, ben, ben_q, "doc-b-p0", ["none"])  # his other four stay open

    refused = run("adjudicate", "--project", name, "-q", code=1)
    assert "4 task(s) in the reviewer queues" in refused and "--mid-round" in refused, refused
    assert "Traceback" not in refused
    assert client.find_project(f"{name} · adjudication") is None  # nothing shown yet
    warned = run("adjudicate", "--project", name, "--mid-round", "-q")
    assert "4 task(s) in the reviewer queues are still open" in warned, warned

    # ana reads the adjudication project and changes her answer to match ben's (from her
    # own login: her own change, not one another account wrote); ben saves his answer on a
    # passage the adjudication project never showed again (no exposure), and answers one
    # of his open tasks (new work: doc-b-p1 had 1 of its 2 answers then, newuser63 #6)
    change_answer(
        client,
        made[DISPUTED],
        int((find_user(client, ana) or {})["id"]),
        [choices("category", ["news_reporting"]), choices("severity", ["low"])],
    )
    change_answer(
        client,
        bens,
        int((find_user(client, ben) or {})["id"]),
        [choices("category", ["none"]), choices("severity", ["none"])],
    )
    answer_as(client, ben, ben_q, "doc-b-p1", ["none"])

    out = tmp_path / "corpus"
    manifest, report, md, said = _export(name, out)
    assert "warning: 1 answer(s) (e.g. passage doc-a-p1) were made or changed after" in said
    mode = manifest["review"]["mode"]
    assert report["review_mode"] == mode
    seen = mode["adjudication_exposure"]
    assert mode["kind"] == "blind_review_set" and mode["blind"] is False
    # not blind through ana's change alone: no answer was written by another account
    assert manifest["review"]["answers_written_by_another_account"]["answers"] == 0
    assert mode["statement"].startswith("Blind until adjudication started"), mode["statement"]
    ana_r, ben_r = _pseudonym(client, ana), _pseudonym(client, ben)
    assert seen["answers_after_exposure"] == 1 and seen["passages"] == [DISPUTED]
    assert seen["by_reviewer"][ana_r] == {
        "answers": 1,
        "made": 0,
        "changed": 1,
        "passages": [DISPUTED],
    }
    assert seen["by_reviewer"][ben_r]["answers"] == 0

    # the same count from the exported answers and the adjudication task's time
    adj = client.require_project(f"{name} · adjudication")
    (task,) = client.iter_tasks(int(adj["id"]), include="id,data,created_at")
    shown = pd.Timestamp(task["created_at"]).tz_convert("UTC")
    answers = _answers(out)
    on_shown = answers[answers["passage"] == task["data"]["passage_id"]]
    after = on_shown[(on_shown["created_at"] > shown) | (on_shown["updated_at"] > shown)]
    assert after.groupby("reviewer").size().to_dict() == {ana_r: 1}
    listed = pd.DataFrame(seen["answers"])
    assert listed.groupby("reviewer").size().to_dict() == {ana_r: 1}
    assert listed["what"].tolist() == ["changed"]
    assert pd.Timestamp(seen["adjudication_started_at"]) == shown

    assert "no reviewer could see another reviewer's answers" not in md
    assert f"Blind until adjudication started at {seen['adjudication_started_at']}" in md
    assert "1 answer was made or changed after its passage appeared there" in md
    assert f"({DISPUTED} by {ana_r} (changed))" in md
    # late changes (passD51 D8): every answer made or changed after adjudication started,
    # ben's change on a passage the adjudication project never showed included; his first
    # answer to a task still open then (1 of K=2 answers) is new work (newuser63 #6)
    late = manifest["review"]["answers_changed_after_round"]
    assert pd.Timestamp(late["since"]) == shown
    assert (late["answers"], late["made"], late["changed"]) == (2, 0, 2)
    assert late["by_reviewer"] == {ana_r: 1, ben_r: 1}
    assert late["passages"] == sorted([DISPUTED, "doc-b-p0"])
    assert (late["new_answers"], late["new_passages"]) == (1, 1)
    # ana's change is the exposure's, said once (passH53 H10): the late changes name ben's
    assert late["said_above"] == {"adjudication_exposure": 1}
    flat = " ".join(md.split())
    assert "1 answer was made or changed after adjudication started at" in flat
    assert "besides the 1 said above (1 after the adjudication project showed" in flat
    assert flat.count(f"{DISPUTED} by {ana_r} (changed)") == 1, flat
    flat = " ".join(said.split())
    assert "warning: 1 answer was made or changed after adjudication started" in flat, flat
    assert f"{DISPUTED} by {ana_r}" not in flat.split("after adjudication started", 1)[1]


def test_a_round_adjudicated_after_it_was_done_is_blind_throughout(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben, ana_q, ben_q = _set_up(client, name)
    for passage in ALL:
        answer_as(client, ana, ana_q, passage, ["none"])
        theirs = ["news_reporting"] if passage == DISPUTED else ["none"]
        answer_as(client, ben, ben_q, passage, theirs, "low" if passage == DISPUTED else "none")
    done = run("adjudicate", "--project", name, "-q")
    assert "1 disputed passage(s), 1 added" in done and "still open" not in done, done

    manifest, report, md, said = _export(name, tmp_path / "corpus")
    assert "made or changed after" not in said
    mode = manifest["review"]["mode"]
    assert mode["blind"] is True and report["review_mode"] == mode
    seen = mode["adjudication_exposure"]
    assert seen["answers_after_exposure"] == 0 and seen["passages_shown"] == 1
    assert all(r["answers"] == 0 for r in seen["by_reviewer"].values())
    assert len(seen["by_reviewer"]) == 2
    assert "How the review was run: Blind review throughout:" in md
    assert "no answer was made or changed after the adjudication project" in md
    assert manifest["review"]["answers_changed_after_round"]["answers"] == 0
    assert "late change" not in md


def test_agreement_leaves_out_an_answer_changed_after_adjudication(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    """Stop 48, F16: ben changed his answer to ana's after `adjudicate` showed both;
    `annotate agreement` counted it as agreement with no word, and the report's agreement
    section and alpha tables too. Now `agreement` warns as export does and both leave the
    answer out (Label Studio keeps no earlier version of it), saying so beside the
    figures; the alpha is checked with krippendorff over the exported answers made before
    their passage's adjudication task."""
    import krippendorff
    import numpy as np

    ana, ben, ana_q, ben_q = _set_up(client, name)
    other = "doc-b-p0"  # disputed too (none vs counter_speech), nobody changes it
    for passage in ALL:
        answer_as(
            client, ana, ana_q, passage, ["news_reporting"] if passage == DISPUTED else ["none"]
        )
    theirs = {DISPUTED: ["incitement"], other: ["counter_speech"]}
    made = {p: answer_as(client, ben, ben_q, p, theirs.get(p, ["none"])) for p in ALL}
    done = run("adjudicate", "--project", name, "-q")
    assert "2 disputed passage(s), 2 added" in done, done
    before = run("agreement", "--project", name, "-q")
    assert "made or changed after" not in before and "6 of 6 passages" in before, before

    change_answer(  # ben's own change, from his login: left out as not blind only
        client,
        made[DISPUTED],
        int((find_user(client, ben) or {})["id"]),
        [choices("category", ["news_reporting"]), choices("severity", ["none"])],
    )
    said = run("agreement", "--project", name, "-q")
    assert (
        f"warning: 1 answer(s) (e.g. passage {DISPUTED}) were made or changed after the "
        "adjudication project" in said
    ), said
    assert "they were not blind, so the agreement figures leave them out" in said
    assert "5 of 6 passages with a submitted answer" in said
    assert f"(not blind: {DISPUTED}) is left out of these figures; 1 passage no longer" in said

    out = tmp_path / "corpus"
    _, _, md, exported = _export(name, out)
    assert f"warning: 1 answer(s) (e.g. passage {DISPUTED}) were made or changed" in exported
    figures = json.loads((out / "agreement.json").read_text(encoding="utf-8"))
    left = figures["answers_after_adjudication"]
    assert left["answers"] == 1 and left["passages_without_two_blind_answers"] == [DISPUTED]
    # left out as not blind, not as another account's: ben changed it from his own login
    assert figures["answers_written_by_another_account"]["answers"] == 0
    assert figures["n_items"] == 5
    # stop 48 second pass #8: a reviewers' vote settles a passage only through blind
    # answers; the copied one settles nothing: the passage still waits for the lead,
    # undecided, and a re-run of adjudicate keeps it in the lead's queue, saying who
    # changed what
    said_once = " ".join(exported.split())
    assert (
        f"warning: 1 passage(s) sent to adjudication ({DISPUTED}) are no longer disputed "
        "only through an answer made or changed after the adjudication project" in said_once
    ), said_once
    assert "adjudication is no longer needed" not in said_once
    review = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["review"]
    assert review["answers_written_by_another_account"]["answers"] == 0  # ben's own change
    assert review["agreed_only_after_shown"] == [DISPUTED]
    assert review["changed_answers_accepted"] is False
    assert (review["awaiting_adjudication"], review["adjudication_no_longer_needed"]) == (2, 0)
    exported_rows = pd.concat(
        [pd.read_json(p, lines=True) for p in sorted((out / "jsonl").glob("*.jsonl"))]
    ).set_index("id")
    assert exported_rows.loc[DISPUTED, "resolution"] == "tie"
    assert bool(exported_rows.loc[DISPUTED, "label_tie"]) is True
    again = " ".join(run("adjudicate", "--project", name, "-q").split())
    assert "2 disputed passage(s), 0 added, 2 already there" in again, again
    assert f"1 passage(s) (e.g. {DISPUTED}) are no longer disputed only through" in again
    assert "out of the lead's queue" not in again
    held = {
        t["data"]["passage_id"]: t
        for t in client.iter_tasks(
            int(client.require_project(f"{name} · adjudication")["id"]), include="id,data,overlap"
        )
    }
    assert int(held[DISPUTED]["overlap"]) == 1
    assert "no_longer_disputed" not in held[DISPUTED]["data"]
    ben_r = _pseudonym(client, ben)
    panel = held[DISPUTED]["data"]["reviews"]
    assert panel.startswith(
        f"CHANGED AFTER ADJUDICATION OPENED (not blind): {ben_r} changed their answer from "
        # a harmful category with severity none reads as no severity (passC50 R1), shown
        # as picked and marked (s52-revlead)
        "«Incitement to violence · severity none (contradicts: a harmful category)» to "
        "«News reporting · severity none»"
    ), panel

    # the same alpha from the exported answers made before their passage was shown
    adj = client.require_project(f"{name} · adjudication")
    shown = {
        t["data"]["passage_id"]: pd.Timestamp(t["created_at"]).tz_convert("UTC")
        for t in client.iter_tasks(int(adj["id"]), include="id,data,created_at")
    }
    answers = _answers(out)
    seen_at = answers["passage"].map(shown)
    late = seen_at.notna() & ((answers["created_at"] > seen_at) | (answers["updated_at"] > seen_at))
    assert answers[late]["passage"].tolist() == [DISPUTED]
    blind = answers[~late]
    blind = blind[blind.groupby("passage")["reviewer"].transform("size") >= 2]
    chose = blind.assign(v=blind["categories"].map(lambda c: float("counter_speech" in c)))
    matrix = chose.pivot(index="reviewer", columns="passage", values="v").sort_index(axis=1)
    assert matrix.shape == (2, 5)
    expected = krippendorff.alpha(
        reliability_data=matrix.to_numpy(dtype=float),
        level_of_measurement="nominal",
        value_domain=[0, 1],
    )
    got = figures["categories"]["counter_speech"]
    assert got["n_items"] == 5 and got["alpha"] == pytest.approx(expected, abs=1e-4)
    assert np.isfinite(expected)

    assert "Not every answer above was blind: 1 answer made or changed after the" in md
    assert "Counting only blind answers: passages with two or more reviewers: 5;" in md
    assert "From `agreement.json`: 5 passages" in md
