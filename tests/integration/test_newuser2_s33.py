"""Stop 33's senior review against a real Label Studio: a reviewer removed from the
organization above the daily graphic limit is counted but gets no wellbeing nudge; the
e-mails that `escalations` and `agreement` now print beside pseudonyms stay on the lead's
terminal (the webhook and `agreement --json` keep pseudonyms only)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from annotate.corpus.salt import reviewer_salt
from annotate.review.queue_tasks import reviewer_projects
from annotate.review.queues import accounts
from annotate.review.reviewers import find_user
from annotate.studio.client import StudioClient

from .review_team import add_team, answer_as, push_set, run

pytestmark = pytest.mark.integration
GRAPHIC = "doc-c-p1"  # the fixture's one passage the model flags graphic_violence


def remove_from_organization(client: StudioClient, email: str) -> None:
    user = find_user(client, email)
    assert user is not None, email
    org = client._get("api/organizations/", "reading the organization")[0]["id"]
    with client.guard("removing the reviewer"):
        client._http.request(f"api/organizations/{org}/memberships/{user['id']}/", method="DELETE")


def test_a_removed_reviewer_above_the_graphic_limit_gets_no_nudge(
    client: StudioClient, name: str
) -> None:
    ana, ben = add_team(("ana", "ben"), "exposure.test")
    push_set(name, (ana, ben))
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, name).items()}
    for who in (ana, ben):
        answer_as(client, who, queues[who], GRAPHIC, ["graphic_violence"], "high")
        answer_as(client, who, queues[who], "doc-a-p0", ["graphic_violence"], "medium")
    before = run("review", "status", "--project", name, "--graphic-limit", "1")
    assert "warning: 2 reviewer(s) above 1 graphic passage(s) a day" in before, before

    gone = {p for p, (_, email) in accounts(client, reviewer_salt()).items() if email == ana}
    remove_from_organization(client, ana)
    status = run("review", "status", "--project", name, "--graphic-limit", "1")
    (warning,) = [x for x in status.splitlines() if "consider a break" in x]
    assert "1 reviewer(s) above 1" in warning and ben in warning, warning
    assert not any(p in warning for p in gone), warning
    exposure = [x for x in status.splitlines() if " answered, " in x and " graphic, " in x]
    (removed,) = [x for x in exposure if "[account removed]" in x]
    assert "2 graphic, 1 high severity  OVER LIMIT: 2 graphic on" in removed, removed
    assert any(p in removed for p in gone), removed
    assert "1 removed account(s) were above 1 graphic passage(s) a day" in status, status


def test_escalation_and_agreement_emails_stay_on_the_terminal(
    client: StudioClient, name: str
) -> None:
    ana, ben = add_team(("ana", "ben"), "privacy.test")
    push_set(name, (ana, ben))
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, name).items()}
    for who, severity in ((ana, "critical"), (ben, "low")):
        answer_as(client, who, queues[who], "doc-a-p1", ["violent_threat"], severity)
        answer_as(client, who, queues[who], "doc-b-p0", ["none"])

    listed = [x.split("\t") for x in run("escalations", "--project", name).splitlines()]
    (row,) = [r for r in listed if len(r) == 5]
    assert row[0] == "critical" and row[1] == "doc-a-p1" and f"({ana})" in row[3], row
    pseudonym = row[3].split(" ")[0]

    received: list[dict[str, Any]] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        hook = f"http://127.0.0.1:{server.server_port}/hook"
        assert "delivered 1" in run("escalations", "--project", name, "--webhook", hook)
    finally:
        server.shutdown()
        server.server_close()
    (body,) = received
    assert body["reviewer"] == pseudonym, body
    assert ana not in json.dumps(body) and ben not in json.dumps(body), body

    shown = run("agreement", "--project", name)
    assert f"({ana})" in shown and f"({ben})" in shown, shown
    report = run("agreement", "--project", name, "--json")
    assert pseudonym in report and ana not in report and ben not in report, report
