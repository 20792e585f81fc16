"""A lead's account (`annotate reviewers add EMAIL --lead`) gets no queue from a review push
without --reviewer (passL54 finding 4: the README's "Several reviewers" example gave the
lead a queue, so her adjudications were later flagged as by one of the passage's own
reviewers)."""

from __future__ import annotations

import pytest

from annotate.errors import InputError
from annotate.review import leads
from annotate.review.assignment import pick_reviewers
from annotate.review.fanout import push_review
from annotate.review.leads import leads_of, mark_lead
from annotate.review.reviewers import ReviewerLogin
from annotate.studio.pushed_projects import Server
from tests.test_cli import run
from tests.test_review_fanout import PRELABELS, ReviewStudio

ACCOUNTS = ["ana@x.org", "ben@x.org", "cai@x.org", "lea@x.org"]


def test_a_lead_is_left_out_unless_named() -> None:
    assert pick_reviewers(ACCOUNTS, None, 2, "http://ls", leads={"lea@x.org"}) == (
        ["ana@x.org", "ben@x.org", "cai@x.org"],
        [],
    )
    named = pick_reviewers(
        ACCOUNTS, ["lea@x.org", "ana@x.org"], 2, "http://ls", leads={"lea@x.org"}
    )
    assert named == (["lea@x.org", "ana@x.org"], [])
    with pytest.raises(InputError) as err:
        pick_reviewers(ACCOUNTS, None, 4, "http://ls", leads={"lea@x.org"})
    assert "1 lead(s) (lea@x.org), left out" in str(err.value)
    assert "A lead named with --reviewer gets a queue too" in str(err.value)


def test_a_push_without_reviewer_gives_a_lead_no_queue() -> None:
    client = ReviewStudio(("ana@x.org", "ben@x.org", "lea@x.org"))
    assert mark_lead(client, " Lea@x.org ", True) is True
    assert mark_lead(client, "lea@x.org", True) is False  # already
    assert leads_of(client) == {"lea@x.org"}
    result = push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert sorted(s.email for s in result.reviewers) == ["ana@x.org", "ben@x.org"]
    assert result.leads_left_out == ["lea@x.org"]
    assert len(client.projects) == 2  # two queues, none for the lead
    # named, she gets a queue (and no "left out")
    named = push_review(
        PRELABELS, "Other", 2, client=client, salt="s", reviewers=["lea@x.org", "ana@x.org"]
    )  # type: ignore[arg-type]
    assert sorted(s.email for s in named.reviewers) == ["ana@x.org", "lea@x.org"]
    assert named.leads_left_out == []
    # unmarked, a push takes her again
    assert mark_lead(client, "lea@x.org", False) is True and leads_of(client) == set()


def test_the_lead_mark_is_per_server() -> None:
    here, there = ReviewStudio(), ReviewStudio()
    there.url = "http://elsewhere"
    mark_lead(here, "lea@x.org", True)
    assert leads_of(here) == {"lea@x.org"} and leads_of(there) == set()


def test_the_lead_mark_holds_for_every_spelling_of_the_server() -> None:
    # break13 finding 7: marked through 127.0.0.1, a push through localhost gave her a queue
    typed = ReviewStudio()
    typed.url = "http://127.0.0.1:24913"
    mark_lead(typed, "lea@x.org", True)
    for url in ("http://localhost:24913", "http://LOCALHOST:24913/", "http://[::1]:24913"):
        other = ReviewStudio(("ana@x.org", "ben@x.org", "lea@x.org"))
        other.url = url
        assert leads_of(other) == {"lea@x.org"}, url
        result = push_review(PRELABELS, url, 2, client=other, salt="s")  # type: ignore[arg-type]
        assert result.leads_left_out == ["lea@x.org"], url
    elsewhere = ReviewStudio()
    elsewhere.url = "http://127.0.0.1:24914"  # another port: another server
    assert leads_of(elsewhere) == set()


def test_a_mark_kept_under_the_url_as_typed_is_still_read_and_moved() -> None:
    # a leads file written before the URL was normalised (keyed by "http://localhost:8080")
    client = ReviewStudio()
    client.url = "http://localhost:8080"
    old = leads._path("http://localhost:8080", None)
    assert old != leads.leads_path(Server(client.url))
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_text('{"server": "http://localhost:8080", "leads": ["lea@x.org"]}\n')
    assert leads_of(client) == {"lea@x.org"}
    assert mark_lead(client, "cai@x.org", True) is True
    assert not old.exists()  # folded into the file every spelling reads
    there = ReviewStudio()
    there.url = "http://127.0.0.1:8080"
    assert leads_of(there) == {"lea@x.org", "cai@x.org"}


@pytest.mark.parametrize("damaged", ['["lea@x.org"]\n', "{not json\n", '{"leads": "lea@x.org"}\n'])
def test_a_damaged_leads_file_is_never_written_over(
    damaged: str, caplog: pytest.LogCaptureFixture
) -> None:
    # break13 finding 14: a hand-edited list was read as none and replaced, lea's mark lost
    client = ReviewStudio()
    path = leads.leads_path(Server(client.url))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(damaged)
    with pytest.raises(InputError) as err:
        mark_lead(client, "ben@x.org", True)
    assert str(path) in str(err.value) and "cannot be read" in str(err.value)
    assert 'repair it to {"leads": [' in str(err.value)
    assert path.read_text() == damaged
    assert leads_of(client) == set()  # a push warns and takes every account
    assert "cannot be read" in caplog.text


def _studio(*emails: str) -> ReviewStudio:
    """A server whose admin (the token's account, id 1) is admin@x.org."""
    client = ReviewStudio(emails)
    client.url = "https://ls.example.org"
    client.accounts.insert(0, {"id": 1, "email": "admin@x.org"})
    return client


def _no_sign_up(monkeypatch: pytest.MonkeyPatch, client: ReviewStudio) -> list[str]:
    import annotate.review.reviewers
    import annotate.studio.client

    asked: list[str] = []

    def add(_client, email, **kw):  # type: ignore[no-untyped-def]
        asked.append(email)
        return ReviewerLogin(client.url, email, 9, "pw-1", True)

    monkeypatch.setattr(annotate.studio.client, "connect", lambda *a, **k: client)
    monkeypatch.setattr(annotate.review.reviewers, "add_reviewer", add)
    return asked


def test_not_lead_on_an_address_without_account_creates_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # break13 finding 8: `--not-lead` with a typo made an undeletable account with passages
    client = _studio("ana@x.org", "lea@x.org")
    asked = _no_sign_up(monkeypatch, client)
    mark_lead(client, "lea@x.org", True)
    ran = run("reviewers", "add", "lee@x.org", "--not-lead")
    assert ran.returncode != 0 and asked == []
    out = " ".join((ran.stdout + ran.stderr).split())
    assert "no account lee@x.org on https://ls.example.org" in out
    assert "Marked leads on this server: lea@x.org" in out
    assert "did you mean lea@x.org?" in out and "Traceback" not in out
    assert leads_of(client) == {"lea@x.org"}
    # a mark whose account is gone goes, still without an account made
    mark_lead(client, "gone@x.org", True)
    ran = run("reviewers", "add", "gone@x.org", "--not-lead")
    assert ran.returncode == 0, ran.stderr
    assert "no longer a lead" in ran.stdout + ran.stderr
    assert asked == [] and leads_of(client) == {"lea@x.org"}


def test_lead_refuses_a_likely_typo_but_creates_a_new_lead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = _studio("ana@x.org", "lea@x.org")
    asked = _no_sign_up(monkeypatch, client)
    ran = run("reviewers", "add", "lee@x.org", "--lead")
    out = " ".join((ran.stdout + ran.stderr).split())
    assert ran.returncode != 0 and asked == [] and leads_of(client) == set()
    assert "did you mean lea@x.org?" in out
    assert "`annotate reviewers add lee@x.org`, then mark it" in out
    ran = run("reviewers", "add", "zoe@x.org", "--lead")  # README: the lead's own account
    assert ran.returncode == 0, ran.stderr
    assert asked == ["zoe@x.org"] and leads_of(client) == {"zoe@x.org"}


def test_lead_refuses_the_admin_account(monkeypatch: pytest.MonkeyPatch) -> None:
    # break13 finding 14: the admin was "now a lead", a meaningless mark
    client = _studio("ana@x.org")
    asked = _no_sign_up(monkeypatch, client)
    ran = run("reviewers", "add", "Admin@x.org", "--lead")
    out = " ".join((ran.stdout + ran.stderr).split())
    assert ran.returncode != 0 and asked == [] and leads_of(client) == set()
    assert "admin@x.org is the admin account annotate works with" in out
    assert "`annotate reviewers add lea@example.org --lead`" in out


@pytest.mark.parametrize("created", [True, False])
def test_reviewers_add_lead_marks_the_account_and_list_shows_it(
    created: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotate.review.reviewers
    import annotate.studio.client

    client = _studio("lea@x.org")
    login = ReviewerLogin("https://ls.example.org", "lea@x.org", 5, "pw-1", created)
    monkeypatch.setattr(annotate.studio.client, "connect", lambda *a, **k: client)
    monkeypatch.setattr(annotate.review.reviewers, "add_reviewer", lambda *a, **k: login)
    ran = run("reviewers", "add", "lea@x.org", "--lead")
    assert ran.returncode == 0, ran.stderr
    assert "lea@x.org is now a lead: review pushes from this machine without --reviewer" in (
        ran.stdout + ran.stderr
    )
    assert leads_of(client) == {"lea@x.org"}
    again = run("reviewers", "add", "lea@x.org", "--not-lead")
    assert "lea@x.org is no longer a lead" in again.stdout + again.stderr
    assert leads_of(client) == set()
    plain = run("reviewers", "add", "lea@x.org")  # neither: the mark is left as it is
    assert "lead" not in plain.stdout + plain.stderr and leads_of(client) == set()
