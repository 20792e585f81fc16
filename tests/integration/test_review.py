"""Several blind reviewers against a real Label Studio: accounts, K=2 push with gold
tasks, answers given through each reviewer's own login and labeling stream, agreement
against hand-computed values, adjudication, export resolutions, gold accuracy."""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.corpus.resolve import pseudonym
from annotate.review.adjudication import BLANK_START, adjudicate
from annotate.review.queue_tasks import reviewer_projects
from annotate.review.reviewers import ReviewerSession, find_user
from annotate.studio.client import StudioClient
from tests.fakes import StageRecorder

from .helpers import GOLD, PRELABELS, TAX, choices, gold_pushed_as_data
from .review_team import push_set

pytestmark = pytest.mark.integration
EMAILS = [f"{n}@review.test" for n in ("ana", "ben", "cai")]  # fixed: the assignment is too

# what every reviewer answers (categories, severity) ...
TRUTH = {
    "doc-a-p0": (["news_reporting"], "none"),
    "doc-a-p1": (["violent_threat"], "critical"),
    "doc-b-p0": (["none"], "none"),
    "doc-b-p1": (["extremist_propaganda"], "high"),
    "doc-c-p0": (["counter_speech"], "low"),
    "doc-c-p1": (["graphic_violence"], "medium"),
}
# ... except the second holder (by email) of these passages
SECOND = {
    "doc-a-p1": (["violent_threat", "incitement"], "critical"),  # categories differ
    # severity a level apart (not "none": beside a harmful category it reads as no
    # severity given, passC50 R1)
    "doc-c-p1": (["graphic_violence"], "low"),
    "doc-b-p1": (["extremist_propaganda"], "medium"),  # high vs medium 1-1: a tie, disputed
}
GOLD_ANSWERS = {  # reviewer index -> gold passage -> answer
    0: {"doc-g-p0": (["none"], "none"), "doc-h-p0": (["violent_threat"], "high")},
    1: {"doc-g-p0": (["none"], "none"), "doc-h-p0": (["incitement"], "high")},
    2: {"doc-g-p0": (["none"], "none"), "doc-h-p0": (["violent_threat"], "critical")},
}


STAGES = ("snapshot", "compare", "import")  # adjudicate's progress stages


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def result_of(categories: list[str], severity: str) -> list[dict[str, Any]]:
    return [choices("category", categories), choices("severity", [severity])]


@pytest.fixture(scope="module")
def logins(studio: Any) -> dict[str, str]:
    out = {}
    for email, name in zip(EMAILS, ("Ana", "Ben", "Cai"), strict=True):
        text = run("reviewers", "add", email, "--name", name)
        out[email] = re.search(r"password: (\S+)", text).group(1)  # type: ignore[union-attr]
    assert "already has an account" in run("reviewers", "add", EMAILS[0])
    return out


def test_review_workflow(
    client: StudioClient,
    name: str,
    logins: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reviewer_opts = [x for e in EMAILS for x in ("--reviewer", e)]
    push = ["push", str(PRELABELS), "--project", name, "-k", "2", "-q"]
    push += ["--gold", str(GOLD), "--gold-rate", "0.25", *reviewer_opts]
    first = run(*push)
    again = run(*push)
    assert again.count(" 0 added (0 gold)") == 3  # a re-run adds nothing
    for email in EMAILS:  # the lead's terminal pairs each e-mail with its queue's pseudonym
        alias = pseudonym((find_user(client, email) or {})["id"], "test-salt")
        assert f"  {email} ({alias}): " in first, first

    projects = reviewer_projects(client, name)
    assert sorted(projects) == EMAILS
    for email in EMAILS:  # which pseudonym is whose: printed to the lead (README)
        alias = pseudonym((find_user(client, email) or {})["id"], "test-salt")
        assert f"  {email} ({alias}): 0 added (0 gold)" in again, again
    for email, proj in projects.items():  # every member sees these: pseudonyms only
        shown = f"{proj['title']}\n{proj['description']}"
        assert "@" not in shown and email.split("@")[0] not in shown, shown
        user = find_user(client, email) or {}
        assert proj["title"] == f"{name} · {pseudonym(user['id'], 'test-salt')}"
    holders: dict[str, list[str]] = {}
    for email, proj in projects.items():
        for task in client.iter_tasks(int(proj["id"])):
            holders.setdefault(task["data"]["passage_id"], []).append(email)
    for pid in TRUTH:
        assert len(holders[pid]) == 2, pid  # K = 2 different reviewers
    for pid in ("doc-g-p0", "doc-h-p0"):
        assert sorted(holders[pid]) == EMAILS  # every reviewer gets the same gold tasks
    ana, ben, cai = EMAILS
    # deterministic: in push order (priority), least load, then hash (passC50 R4's
    # priority puts doc-c-p1 before doc-b-p1 and doc-b-p0 before doc-c-p0)
    assert {p: sorted(holders[p]) for p in TRUTH} == {
        "doc-a-p1": [ana, cai],
        "doc-b-p1": [ana, ben],
        "doc-c-p1": [ben, cai],
        "doc-c-p0": [ana, ben],
        "doc-a-p0": [ana, cai],
        "doc-b-p0": [ben, cai],
    }
    alias: dict[str, str] = {}

    # each reviewer answers their own queue through the labeling stream, as themselves
    for index, email in enumerate(EMAILS):
        session = ReviewerSession(client.url, email, logins[email])
        alias[pseudonym(session.user_id, "test-salt")] = email.split("@")[0]
        pid_project = int(projects[email]["id"])
        answered = 0
        while True:
            resp = session.request("GET", f"/api/projects/{pid_project}/next/")
            if resp.status_code == 404:
                break
            task = resp.json()
            assert all(a["completed_by"] == session.user_id for a in task["annotations"])
            assert "annotate_gold" not in json.dumps(task["data"])  # gold looks like any task
            passage = task["data"]["passage_id"]
            if passage in GOLD_ANSWERS[index]:
                answer = GOLD_ANSWERS[index][passage]
            elif passage in SECOND and sorted(holders[passage])[1] == email:
                answer = SECOND[passage]
            else:
                answer = TRUTH[passage]
            session.post(
                f"/api/tasks/{task['id']}/annotations/",
                {"result": result_of(*answer), "project": pid_project},
            )
            answered += 1
        assert answered == len([p for p, h in holders.items() if email in h])
        # blind: everything this reviewer's project shows them is their own
        listed = session.get("/api/tasks/", project=pid_project, fields="all", page_size=100)
        authors = {a["completed_by"] for t in listed["tasks"] for a in t["annotations"]}
        assert authors == {session.user_id}
        session.close()

    report = json.loads(run("agreement", "--project", name, "--json", "-q"))
    assert report["n_items"] == 6
    cats = report["categories"]
    assert cats["violent_threat"]["alpha"] == 1.0
    # incitement: 1 disagreeing unit, 11 zeros and 1 one -> D_o = D_e = 2/12 -> 0
    assert cats["incitement"]["alpha"] == pytest.approx(0.0, abs=1e-4)
    assert cats["incitement"]["n_items"] == 6
    # severity (ordinal, levels 0-4): doc-c-p0's counter_speech with severity low is a
    # harmful severity with no harmful category, read as no severity (stop 51), so its
    # unit drops out: n = (4, 1, 2, 1, 2), 10 values, pairs (3,2) and (2,1);
    # d(1,2)^2 = (1+2-1.5)^2 = 2.25, d(2,3)^2 = 2.25: sum o*d^2 = 2*2.25 + 2*2.25 = 9;
    # sum over c<k of n_c*n_k*d^2 = 25+128+121+392+4.5+9+40.5+4.5+36+4.5 = 765, both
    # orders 1530 -> alpha = 1 - 9*9/1530 (was 1 - 11*17/3240 with doc-c-p0's low, low)
    assert report["severity"]["alpha"] == pytest.approx(1 - 9 * 9 / 1530, abs=1e-4)
    assert report["severity"]["n_items"] == 5
    assert report["tasks_severity_without_harm"] and report["tasks_harmful_severity_none"] == []
    gold = report["gold"]["reviewers"]
    assert sorted(g["exact"] for g in gold.values()) == [0.5, 1.0, 1.0]
    assert sorted(g["severity"] for g in gold.values()) == [0.5, 1.0, 1.0]
    assert all(g["n_items"] == 2 for g in gold.values())

    # progress off a terminal (CliRunner's stderr): a plain line per stage, here at once
    monkeypatch.setenv("ANNOTATE_PROGRESS_INTERVAL", "1e-9")  # every stage, however quick
    first = run("adjudicate", "--project", name)
    monkeypatch.delenv("ANNOTATE_PROGRESS_INTERVAL")
    assert "3 disputed passage(s), 3 added" in first
    # progress on stderr: projects read, tasks compared, disputed passages sent
    done = [ln for ln in first.splitlines() if " done in " in ln]
    assert all(any(ln.startswith(f"{bar}: ") for ln in done) for bar in STAGES), first
    assert "\r" not in first
    stages = StageRecorder()
    again = adjudicate(client, name, TAX, salt="test-salt", progress=stages)
    assert (again.disputed, again.added, again.already) == (3, 0, 3)
    assert stages.totals == {"snapshot": 3, "compare": len(TRUTH) + 2} == stages.done
    adj = client.require_project(f"{name} · adjudication")
    adj_tasks = {t["data"]["passage_id"]: t for t in client.iter_tasks(int(adj["id"]))}
    assert sorted(adj_tasks) == ["doc-a-p1", "doc-b-p1", "doc-c-p1"]
    preds = client._get("api/predictions/", "predictions", project=int(adj["id"]))
    answers = [p for p in preds if p["model_version"] != BLANK_START]  # the lead's start
    assert len(preds) == 9 and len(answers) == 6
    assert all(p["model_version"].startswith("r-") for p in answers)
    assert adj_tasks["doc-a-p1"]["data"]["reviews"].count("r-") == 2
    # the answers quote evidence (graphic text of hidden passages): not a grid column
    (tab,) = [v for v in client.list_views(int(adj["id"])) if v["data"]["title"] == "Queue"]
    assert "tasks:data.reviews" in tab["data"]["hiddenColumns"]["explore"]

    lead = int(client.whoami()["id"])
    client.sdk.annotations.create(
        id=adj_tasks["doc-a-p1"]["id"],
        result=result_of(["violent_threat"], "critical"),
        completed_by=lead,
    )
    out = tmp_path / "corpus"
    run("export", "--project", name, "--out", str(out), "--gold-min-accuracy", "0.75")
    read = json.loads((out / "manifest.json").read_text())["label_studio_projects"]
    assert read[f"{name} · adjudication"] == int(adj["id"])  # the lead's answers
    # reviewer projects by pseudonym, and no export artefact names a reviewer
    assert sum(title.startswith("reviewer r-") for title in read) == len(EMAILS)
    marks = [m for e in EMAILS for m in (f"· {e.split('@')[0]}", f"{e.split('@')[0]}@")]
    marks.append("review.test")
    files = [p for p in out.rglob("*") if p.is_file()]
    leaks = [
        (str(p.relative_to(out)), m) for p in files for m in marks if m.encode() in p.read_bytes()
    ]
    assert leaks == []
    rows = {}
    for split in ("train", "validation", "test"):
        for line in (out / "jsonl" / f"{split}.jsonl").read_text().splitlines():
            row = json.loads(line)
            rows[row["id"]] = row
    assert sorted(rows) == sorted(TRUTH)  # gold passages are not in the corpus
    res = {pid: r["resolution"] for pid, r in rows.items()}
    assert res == {
        "doc-a-p0": "unanimous",
        "doc-a-p1": "adjudicated",
        "doc-b-p0": "unanimous",
        "doc-b-p1": "tie",  # no severity majority, not adjudicated yet
        "doc-c-p0": "unanimous",
        "doc-c-p1": "tie",
    }
    assert rows["doc-a-p1"]["labels"] == ["violent_threat"]
    assert rows["doc-a-p1"]["adjudicator"].startswith("r-")
    # provenance: each answer's Label Studio record, every task, the lead's answer
    decided = rows["doc-a-p1"]
    reviewer_tasks = {
        int(proj["id"]): {
            t["data"]["passage_id"]: t["id"] for t in client.iter_tasks(int(proj["id"]))
        }
        for proj in projects.values()
    }
    for a in decided["annotations"]:
        assert reviewer_tasks[a["ls_project_id"]]["doc-a-p1"] == a["ls_task_id"]
        assert isinstance(a["ls_annotation_id"], int)
    lead_ref = {"project_id": int(adj["id"]), "task_id": adj_tasks["doc-a-p1"]["id"]}
    answered_in = [
        {"project_id": a["ls_project_id"], "task_id": a["ls_task_id"]}
        for a in decided["annotations"]
    ]
    assert decided["ls_tasks"][-1] == lead_ref
    key = lambda r: (r["project_id"], r["task_id"])  # noqa: E731
    assert sorted(decided["ls_tasks"][:-1], key=key) == sorted(answered_in, key=key)
    assert decided["adjudication"]["ls_task_id"] == lead_ref["task_id"]
    assert decided["last_annotated_at"] == decided["adjudication"]["updated_at"]
    assert all(len(r["annotations"]) == 2 for r in rows.values())  # every answer kept
    manifest = json.loads((out / "manifest.json").read_text())
    # 6 passages x 2 reviewers + 2 gold passages x 3 reviewers + the lead's 1 answer
    assert manifest["passages_annotated_in_label_studio"] == 6
    assert manifest["tasks_annotated_in_label_studio"] == 12 + 6 + 1
    assert manifest["tasks_annotated_by_project"][f"{name} · adjudication"] == 1
    assert (manifest["annotations"], manifest["adjudication_answers"]) == (12, 1)
    assert manifest["gold_annotations"] == 6
    assert manifest["review"]["gold_passages"] == 2
    assert len(manifest["review"]["flagged_reviewers"]) == 1
    agreement = json.loads((out / "agreement.json").read_text())
    flagged = manifest["review"]["flagged_reviewers"][0]
    assert agreement["gold"]["reviewers"][flagged]["exact"] == 0.5
    assert agreement["reviewer_vs_consensus"][flagged]["flagged"] is True
    assert (out / "exposure.json").is_file()
    # by hand (see the assignment above): each pair shares two passages
    kappa = {
        tuple(sorted(alias[r] for r in k["reviewers"])): k for k in agreement["pairwise_kappa"]
    }
    ab, ac, bc = kappa["ana", "ben"], kappa["ana", "cai"], kappa["ben", "cai"]
    assert ab["n_items"] == ac["n_items"] == bc["n_items"] == 2
    # ana/ben: propaganda [1,0] vs [1,0] -> 1; severity: doc-c-p0's low, low are read
    # as no severity (counter_speech: no harmful category, stop 51), so only doc-b-p1's
    # high vs medium: po = 0, pe = 0 -> 0 (was 1/3 with low, low); a category nobody
    # chose has no kappa
    assert ab["categories"]["extremist_propaganda"] == 1.0
    assert ab["categories"]["graphic_violence"] is None
    assert ab["severity"] == 0.0 and ab["severity_n_items"] == 1
    # ana/cai: incitement [0,0] vs [1,0]: po = 1/2, pe = 1/2 -> 0; severity identical -> 1
    assert ac["categories"]["incitement"] == 0.0 and ac["severity"] == 1.0
    # ben/cai: doc-c-p1 medium vs low, doc-b-p0 none vs none: po = 1/2, pe = 1/4 -> 1/3
    assert bc["severity"] == pytest.approx(1 / 3, abs=1e-4)
    cons = {alias[r]: v for r, v in agreement["reviewer_vs_consensus"].items()}
    # after adjudication doc-a-p1 is [violent_threat]: cai's extra incitement misses it;
    # the tied doc-b-p1 (ana, ben) and doc-c-p1 (ben, cai) have no consensus; the other
    # passages were decided by two agreeing answers, 1.0 by construction: left out
    # (passL54 finding 9), so ben, with no adjudicated passage, has no figure
    assert {
        n: (v["n_items"], v["n_ties_left_out"], v["n_two_answer_votes_left_out"], v["exact"])
        for n, v in cons.items()
    } == {
        "ana": (1, 1, 2, 1.0),
        "ben": (0, 2, 2, None),
        "cai": (1, 1, 2, 0.0),
    }
    assert alias[flagged] == "ben"  # ben's gold answer on doc-h-p0 was wrong

    # the audit report of this export (several reviewers, gold, an adjudicated passage):
    # its figures are the exported files' own, and the export verifies
    report = json.loads((out / "report" / "report.json").read_text())
    assert report["resolutions"] == {"adjudicated": 1, "tie": 2, "unanimous": 3}
    assert report["resolutions"] == dict(sorted(Counter(res.values()).items()))
    assert report["agreement"]["gold"] == agreement["gold"]  # gold accuracy per reviewer
    assert report["agreement"]["pairwise_kappa"] == agreement["pairwise_kappa"]
    assert report["checksums"]["verified"] is True
    assert sum(report["splits"]["sizes"].values()) == len(rows) == 6
    exported_answers = Counter(a["reviewer"] for r in rows.values() for a in r["annotations"])
    lead_answers = Counter(r["adjudicator"] for r in rows.values() if r["adjudicator"])
    assert {k: v["annotations"] for k, v in report["workload"].items()} == dict(
        exported_answers + lead_answers  # the lead's decision counts as the lead's answer
    )
    assert {k for k, v in report["workload"].items() if v["role"] == "adjudication"} == set(
        lead_answers
    )
    md = (out / "report" / "report.md").read_text()
    assert "adjudicated" in md and flagged in md
    # which gold passage each reviewer got wrong, by id (ben's doc-h-p0), never its text
    missed = {
        alias[r]: [(m["passage_id"], m["expected"], m["answered"]) for m in v]
        for r, v in report["gold_missed"].items()
    }
    assert missed == {"ana": [], "ben": [("doc-h-p0", ["violent_threat"], ["incitement"])],
                      "cai": []}  # fmt: skip
    assert f"| {flagged} | doc-h-p0 | violent_threat | incitement |" in md
    pngs = sorted((out / "report").rglob("*.png"))
    assert pngs and all(p.stat().st_size > 0 for p in pngs)
    verified = run("verify", str(out))
    assert "ok" in verified.lower() or "verified" in verified.lower()

    # escalations: ana and cai said critical on doc-a-p1, ana high on doc-b-p1 (gold: never),
    # and the lead decided critical on doc-a-p1
    listed = run("escalations", "--project", name).strip().splitlines()
    rows_esc = [line.split("\t") for line in listed if "\t" in line]
    assert sorted((r[0], r[1], r[3].endswith("(lead)")) for r in rows_esc) == [
        ("critical", "doc-a-p1", False),
        ("critical", "doc-a-p1", False),
        ("critical", "doc-a-p1", True),
        ("high", "doc-b-p1", False),
    ]
    # the reviewers' answers on the passage the lead decided carry the decision (passA50
    # P8); the tied doc-b-p1 no lead decided, and the lead's own line is the decision
    decided = "lead decided: critical (violent_threat)"
    assert sorted((r[1], r[3].endswith("(lead)"), r[-1] == decided) for r in rows_esc) == [
        ("doc-a-p1", False, True),
        ("doc-a-p1", False, True),
        ("doc-a-p1", True, False),
        ("doc-b-p1", False, False),
    ]
    assert "(2 on passages the lead has decided" in " ".join(listed)
    assert "0 escalation(s)" in run("escalations", "--project", name, "--since", "2999")
    received: list[dict[str, Any]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            size = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(size)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/hook"
    try:
        assert "delivered 4" in run("escalations", "--project", name, "--webhook", url)
        assert "0 escalation(s)" in run("escalations", "--project", name, "--webhook", url)
    finally:
        server.shutdown()
    assert len(received) == 4  # once each
    assert sorted(r["role"] for r in received) == ["adjudication"] + ["reviewer"] * 3
    assert {r["passage"] for r in received} == {"doc-a-p1", "doc-b-p1"}
    assert sorted(str(r["lead_decision"]) for r in received) == [
        "None",
        "None",
        *[str({"severity": "critical", "categories": ["violent_threat"]})] * 2,
    ]
    assert all(r["reviewer"].startswith("r-") and r["doc_id"] for r in received)


def test_adjudicate_with_nothing_disputed_creates_no_project(
    client: StudioClient, name: str
) -> None:
    run("push", str(PRELABELS), "--project", name, "-q")  # nobody has answered
    out = run("adjudicate", "--project", name)
    assert "no disputed passage among the 0 answered by two reviewers or more" in out
    assert client.find_project(f"{name} · adjudication") is None


def test_a_reviewer_removed_from_the_organization(client: StudioClient) -> None:
    """Label Studio keeps a removed member in /api/users/ as 'Deleted': annotate lists and
    assigns current members only, and says why the email cannot be signed up again."""
    from annotate.review.reviewers import find_user, list_reviewers

    email = f"leaver-{uuid.uuid4().hex[:6]}@review.test"
    run("reviewers", "add", email, "--name", "Leaver")
    user = find_user(client, email)
    assert user is not None
    org = client._get("api/organizations/", "reading the organization")[0]["id"]
    with client.guard("removing the reviewer"):
        client._http.request(f"api/organizations/{org}/memberships/{user['id']}/", method="DELETE")

    listed = run("reviewers", "list")
    assert email not in listed and "Deleted" not in listed
    assert all(u["email"] != "Deleted" for u in list_reviewers(client))
    again = CliRunner().invoke(app, ["reviewers", "add", email])
    assert again.exit_code == 1
    assert "User with this email already exists" in again.output
    assert "HTTP 200" not in again.output
    # a push naming them said "add the account: annotate reviewers add EMAIL", which fails
    push = ["push", str(PRELABELS), "--project", "never-made", "-k", "2", "--reviewer", email]
    push += ["--reviewer", EMAILS[0]]
    named = CliRunner().invoke(app, push)
    assert named.exit_code == 1 and "was removed from the organization" in named.output
    assert f"annotate reviewers add {email}" not in named.output
    assert client.find_project("never-made") is None


def test_reading_a_review_set_with_another_salt_is_refused(
    client: StudioClient,
    name: str,
    logins: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Run from another folder (a fresh .annotate/pseudonym_salt), export, agreement and
    adjudicate gave every reviewer a new pseudonym, other than the queue titles and earlier
    exports, without a word (review status and push refused)."""
    push_set(name, EMAILS[:2], "-q")
    for email, proj in reviewer_projects(client, name).items():
        session = ReviewerSession(client.url, email, logins[email])
        task = session.request("GET", f"/api/projects/{proj['id']}/next/").json()
        body = {"result": result_of(["none"], "none"), "project": int(proj["id"])}
        session.post(f"/api/tasks/{task['id']}/annotations/", body)
        session.close()
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "a-fresh-salt")
    out = tmp_path / "corpus"
    for args in (
        ["export", "--project", name, "--out", str(out)],
        ["agreement", "--project", name],
        ["adjudicate", "--project", name],
    ):
        result = CliRunner().invoke(app, [*args, "-q"])
        assert result.exit_code == 1, (args, result.output)
        assert "pushed with another salt" in result.output, result.output
        assert "Traceback" not in result.output
    assert not out.exists()
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "test-salt")
    run("export", "--project", name, "--out", str(out), "-q")


def test_a_second_push_into_a_review_set_keeps_the_gold_rate(
    client: StudioClient, name: str, logins: dict[str, str], tmp_path: Path
) -> None:
    """Gold tasks are about R / (1 - R) per regular task of the whole queue: a push of
    new passages mid-week adds gold too, not only what the new passages alone need."""
    lines = PRELABELS.read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "monday.jsonl", tmp_path / "wednesday.jsonl"
    first.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[3:]) + "\n", encoding="utf-8")
    opts = ["--project", name, "-k", "1", "--reviewer", EMAILS[0], "-q"]
    opts += ["--gold", str(GOLD), "--gold-rate", "0.25"]
    assert "4 added (1 gold)" in run("push", str(first), *opts)  # 3 regular: 1 gold
    # 6 regular tasks now: 2 gold (it added 3 and no gold: the new passages alone asked
    # for one, already held)
    assert "4 added (1 gold)" in run("push", str(second), *opts)
    assert "0 added (0 gold)" in run("push", str(second), *opts)  # a re-run adds nothing
    (queue,) = reviewer_projects(client, name).values()
    held = [t["data"]["passage_id"] for t in client.iter_tasks(int(queue["id"]))]
    assert sorted(held) == sorted([json.loads(x)["id"] for x in lines] + ["doc-g-p0", "doc-h-p0"])


def test_a_regular_passage_already_gold_is_skipped_with_a_warning(
    client: StudioClient, name: str, logins: dict[str, str], tmp_path: Path
) -> None:
    """Pushed as gold on Monday, in the regular pre-labels on Wednesday: it stays gold
    (export keeps it out of the corpus), and the push now says so and marks it for export
    (its gold key in the task's meta, read back through the task list)."""
    monday, wednesday = gold_pushed_as_data(tmp_path)
    gold = ("--gold", str(GOLD), "--gold-rate", "0.25", "-q")
    push_set(name, EMAILS[:2], *gold, source=monday)
    out = push_set(name, EMAILS[:2], source=wednesday)
    assert "warning: 1 passage(s) skipped because they are gold tasks" in out
    assert "'doc-h-p0'" in out
    queues = reviewer_projects(client, name).values()
    assert len(queues) == 2
    for queue in queues:
        tasks = list(client.iter_tasks(int(queue["id"]), include="id,data,meta"))
        copies = [t for t in tasks if t["data"]["passage_id"] == "doc-h-p0"]
        assert len(copies) == 1  # not pushed again as a regular task
        assert copies[0]["meta"]["annotate_gold"]["also_regular"] is True
