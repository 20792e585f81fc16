"""Lead decisions made under the admin account annotate works with (the login `annotate
studio start` prints, whose token LABEL_STUDIO_API_KEY holds) are shared by whoever has
the token, so they name no person; the README tells the lead not to answer as the admin,
and only `annotate review status` showed it (passK54 K3): the export passed with no word.
Now it warns, and manifest.json (review.adjudicated_by_admin) and report.md record them;
a lead answering under her own account is not counted. Against a real Label Studio."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.corpus.resolve import pseudonym
from annotate.review.adjudication import adjudicate
from annotate.studio.client import StudioClient

from .helpers import SALT, TAX, CliRun, dispute, give_answer, new_reviewer, pushed_tasks

pytestmark = pytest.mark.integration


def test_decisions_under_the_admin_account_are_warned_of_and_recorded(
    client: StudioClient, name: str, tmp_path: Path, cli_run: CliRun
) -> None:
    admin = int(client.whoami()["id"])
    ana, ben, lea = new_reviewer(client), new_reviewer(client), new_reviewer(client, "lea")
    _, tasks = pushed_tasks(client, name)
    for pid in ("doc-a-p1", "doc-b-p0"):
        dispute(client, int(tasks[pid]["id"]), ana, ben)
    sent = adjudicate(client, name, TAX, salt=SALT)
    assert sent.project_id is not None
    lead_tasks = {t["data"]["passage_id"]: int(t["id"]) for t in client.iter_tasks(sent.project_id)}
    give_answer(client, lead_tasks["doc-a-p1"], admin, ["news_reporting"], "low")  # as admin
    give_answer(client, lead_tasks["doc-b-p0"], lea, ["none"])  # the lead, as herself

    out = tmp_path / "corpus"
    code, err = cli_run(["export", "--project", name, "--out", str(out)])
    assert code == 0, err
    said = " ".join(err.split())
    account = pseudonym(admin, SALT)
    assert (
        "warning: 1 passage(s) were decided in adjudication under the admin account annotate "
        f"works with ({account}," in said
    ), err
    assert f"answer them again in '{name} · adjudication'" in said, err
    record = json.loads((out / "manifest.json").read_text())["review"]["adjudicated_by_admin"]
    assert record == {"account": account, "passages": 1, "ids": ["doc-a-p1"]}
    md = " ".join((out / "report" / "report.md").read_text(encoding="utf-8").split())
    assert (
        "Lead decisions under the shared admin account: 1 passage(s) were decided in "
        f"adjudication by {account}" in md
    ), md
    assert "doc-b-p0" not in md.split("Lead decisions under the shared admin account", 1)[1][:400]
