"""`annotate reviewers add|list|remove`: reviewer accounts on a Label Studio server."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Annotated

import typer

from annotate.cli.app import QuietOpt, counted, echo, note
from annotate.cli.review.groups import reviewers_app

if TYPE_CHECKING:
    from annotate.studio.client import StudioClient


@reviewers_app.command("add")
def reviewers_add(
    email: Annotated[str, typer.Argument(help="The reviewer's email (their login).")],
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="Display name, shown beside the reviewer's answers to every member who "
            "opens their queue (it undoes the queue's pseudonym; warned).",
        ),
    ] = None,
    new_domain: Annotated[
        bool,
        typer.Option(
            "--new-domain",
            help="Create it even though its domain is one letter from an existing account's "
            "(refused otherwise, as a likely typo: an account cannot be deleted).",
        ),
    ] = False,
    lead: Annotated[
        bool | None,
        typer.Option(
            "--lead/--not-lead",
            help="Mark the account a lead (an adjudicator): a review push without --reviewer "
            "gives it no queue (kept on this machine, per server); --not-lead undoes it. "
            "Works on an existing account too; --not-lead creates no account, and --lead "
            "refuses the admin account and a likely typo of an existing address.",
        ),
    ] = None,
    new_password: Annotated[
        bool,
        typer.Option(
            "--new-password",
            help="For an account that exists already (a reviewer who lost the password "
            "printed when it was made): set a new one and print it. The local server "
            "only; on a team server its admin runs `label-studio reset_password`.",
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Create a reviewer account (sign-up through the organization's invite link)."""
    import secrets

    from annotate.errors import StudioUnavailableError
    from annotate.review.reviewers import add_reviewer
    from annotate.studio.client import connect

    client = connect()
    if lead is not None:
        from annotate.review.leads import check_lead_account, mark_lead

        if not check_lead_account(client, email, lead) and not lead:
            # marked, but its account is gone: the mark goes, no account is made
            mark_lead(client, email, False)
            echo(f"{email.strip().lower()} (no account on {client.url}) is no longer a lead.")
            return
    if new_password:
        _check_account(client, email)
    password = secrets.token_urlsafe(12)
    sent: list[bool] = []  # the sign-up was sent: the account may exist with this password
    try:
        login = add_reviewer(
            client,
            email,
            name=name,
            new_domain=new_domain,
            password=password,
            on_signup=lambda: sent.append(True),
        )
    except (KeyboardInterrupt, StudioUnavailableError):
        if sent:  # a re-run leaves the account as it is: its password was lost with the run
            _signed_up_anyway(client, email, password)
        raise
    if not login.created and not new_password:
        echo(
            f"{login.email} already has an account on {login.url} (password unchanged; "
            "one who lost it gets a new one with --new-password)."
        )
    else:
        if login.created:
            echo(f"reviewer {login.email} created on {login.url}")
        else:
            stored = _new_password(client, login.email, password)
            login = dataclasses.replace(login, email=stored)
            echo(f"{login.email} has a new password on {login.url}")
        typer.echo(f"login:    {login.url}/user/login/")
        typer.echo(f"email:    {login.email}")
        typer.echo(f"password: {login.password if login.created else password}")
        echo("Send these privately; the reviewer can change the password under Account & Settings.")
        if tunnel := _loopback_note(login.url):
            note(tunnel, quiet)
    if name:
        echo(name_shown_warning(name))
    if lead is not None:
        changed = mark_lead(client, login.email, lead)
        if lead:
            echo(
                f"{login.email} is {'now' if changed else 'already'} a lead: review pushes "
                "from this machine without --reviewer give them no queue (name them with "
                "--reviewer to give them passages); they adjudicate under their own name. "
                "Kept on this machine: a push from another names its reviewers with --reviewer."
            )
        else:
            echo(
                f"{login.email} is {'no longer' if changed else 'not'} a lead: review pushes "
                "without --reviewer give them passages."
            )


def _check_account(client: StudioClient, email: str) -> None:
    """Refuse ``--new-password`` for an e-mail with no account (InputError): a typo
    would make an account that cannot be deleted."""
    from annotate.errors import InputError
    from annotate.review.reviewers import find_user

    if find_user(client, email.strip().lower()) is None:
        raise InputError(
            f"{email} has no account on {client.url}; --new-password sets the password of an "
            "existing account and makes none.",
            fix="check the spelling (`annotate reviewers list`), or leave --new-password "
            "out to create the account.",
        )


def _new_password(client: StudioClient, email: str, password: str) -> str:
    """Set ``password`` for the existing account ``email`` of the local server
    (:func:`annotate.studio.password.reset_password`); a server annotate did not start
    (no local data folder behind ``client``) is refused with what its admin runs; the
    account's e-mail as the server stores it (its login)."""
    from annotate.errors import StudioError
    from annotate.studio.password import reset_password, team_server_fix

    conn = getattr(client, "conn", None)
    if getattr(conn, "data_dir", None) is None:
        raise StudioError(
            f"{client.url} is not the local Label Studio of this work folder, so annotate "
            f"cannot set {email}'s password there (Label Studio's API cannot).",
            fix=team_server_fix(email),
        )
    return reset_password(email, password)


def name_shown_warning(name: str) -> str:
    """What ``reviewers add --name`` warns: Label Studio Community shows an answer's
    author by name to every member who opens the project, a colleague's queue included."""
    return (
        f"warning: Label Studio shows {name!r} beside each answer this reviewer gives, to "
        "every member who opens their queue (Community lets every member open every "
        "project): a colleague who opens it learns whose queue the pseudonym r-\u2026 is. "
        "Community cannot prevent this (the e-mail shows there too; docs/review.md, \u201cSeveral "
        "reviewers\u201d); leave --name out unless the team already knows who reviews what."
    )


def _signed_up_anyway(client: StudioClient, email: str, password: str) -> None:
    """Print the login of an account whose sign-up was sent by a run stopped before it
    printed it (Ctrl-C, the server's answer lost): a re-run says "already has an account
    (password unchanged)", and the password was nowhere."""
    from annotate.errors import StudioError
    from annotate.review.reviewers import find_user

    try:
        made = find_user(client, email.strip().lower()) is not None
    except (StudioError, KeyboardInterrupt):
        made = False  # not known: the server is gone, or a second Ctrl-C
    if made:
        echo(
            f"the account {email} was made before the stop (a re-run leaves it as it is): "
            f"login {client.url}/user/login/, password: {password}"
        )
        return
    # not found yet is no proof: the server may still be making it (hashing the password)
    echo(
        f"the account {email} may have been made before the stop: if `annotate reviewers "
        f"add {email}` then says it already has an account, its login is "
        f"{client.url}/user/login/, password: {password}"
    )


def _loopback_note(url: str) -> str:
    """For a server on 127.0.0.1 (the local one binds there only): how a reviewer on
    another machine reaches it, so the link works as printed; "" for any other host."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        return ""
    port = parts.port or 80
    return (
        f"note: {parts.hostname} is this machine only; a reviewer working on another one "
        f"first opens an SSH tunnel to it, `ssh -N -L {port}:127.0.0.1:{port} USER@THIS-HOST` "
        "(left open while reviewing), then the login link works as printed."
    )


@reviewers_app.command("list")
def reviewers_list(
    removed_only: Annotated[
        bool,
        typer.Option(
            "--removed",
            help="List instead the accounts `annotate reviewers remove` removed from this "
            "machine: e-mail, pseudonym (r-…), account id, server, time (this machine's "
            "record; no server needed).",
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """List the organization's reviewer accounts (everyone but the admin): e-mail, name,
    and the review sets where they are away (marked by `annotate review reassign`:
    pushes there without --reviewer skip them), tab-separated."""
    if removed_only:
        _list_removed(quiet)
        return
    from annotate.review.leads import leads_of
    from annotate.review.queues import away_marks
    from annotate.review.reviewers import list_reviewers, removed_accounts
    from annotate.studio.client import connect

    client = connect()
    salt = known_salt()
    away, strangers = away_marks(client, salt)
    reviewers = list_reviewers(client)
    leads = leads_of(client)
    for user in reviewers:
        marks = away.get(int(user["id"]), [])
        where = ", ".join(f"{m.review_set!r} (since {m.since})" for m in marks)
        line = f"{user['email']}\t{user.get('first_name') or ''}"
        if str(user["email"]).lower() in leads:
            line += "\tlead (no queue from a push without --reviewer)"
        typer.echo(f"{line}\taway in {where}" if marks else line.rstrip())
    if any(away.get(int(u["id"])) for u in reviewers):
        echo(
            "(away: `annotate review reassign` handed on their open tasks there; pushes into "
            "that review set without --reviewer skip them, naming them with --reviewer "
            "brings them back)"
        )
    if strangers:
        why = (
            "this machine's pseudonym salt (review sets pushed with another salt)"
            if salt is not None
            else "any salt: this folder has no pseudonym salt (no push or export ran here)"
        )
        note(
            f"note: {strangers} away mark(s) name a pseudonym of no account under {why}: "
            "not shown; run from the folder that pushed them, or set "
            "ANNOTATE_PSEUDONYM_SALT to the salt of the machine that pushed them",
            quiet,
        )
    removed = removed_accounts(client)
    if removed:
        echo(
            f"({removed} account(s) removed from the organization not listed: Label Studio "
            "keeps them without e-mail; `annotate review status` shows their queues by "
            "pseudonym, marked [account removed])"
        )


def _list_removed(quiet: bool) -> None:
    """Print the record of removed reviewers (tab-separated), or say there is none."""
    from annotate.review.removed_record import record_path, removed_reviewers

    removed = removed_reviewers()
    if not removed:
        note(
            f"note: no removal is recorded on this machine ({record_path()}): accounts are "
            "recorded when `annotate reviewers remove` removes them (since Dec 2026); one "
            "removed earlier, or from another machine or ANNOTATE_HOME, is not",
            quiet,
        )
        return
    for e in removed:
        typer.echo(
            f"{e.email}\t{e.pseudonym}\tuser {e.user_id}\t{e.server}\t"
            + (
                f"removed {e.removed_at}"
                if e.confirmed
                else f"removal not confirmed {e.removed_at}"
            )
        )
    note(
        f"note: from {record_path()} (this machine's record of removals; the pseudonym is "
        "under the salt of the folder that removed them)",
        quiet,
    )


def known_salt() -> str | None:
    """The pseudonym salt of this machine (as :func:`annotate.corpus.salt.reviewer_salt`
    reads it), None when it has none yet: a command that only reads makes none."""
    from annotate.corpus.salt import stored_salt

    return stored_salt()


@reviewers_app.command("remove")
def reviewers_remove(
    email: Annotated[str, typer.Argument(help="The reviewer's email.")],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Remove even with open tasks in a review set (they stay in their queue, "
            "unanswered, until `annotate review reassign` hands them on), or a hand-over "
            "from or to them that stopped midway.",
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Remove a reviewer from the organization (offboarding): the account and its answers
    stay; they can no longer open projects nor get passages."""
    from annotate.corpus.salt import keep_salt, reading_salt
    from annotate.review.offboard import remove_reviewer
    from annotate.studio.client import connect

    salt = reading_salt()  # stored only once the removal is about to be recorded
    removal = remove_reviewer(
        connect(), email, salt=salt, force=force, before_write=lambda: keep_salt(salt)
    )
    if removal.already_removed:
        echo(
            f"{removal.email} was removed from the organization on {removal.url} already: "
            "nothing to do (`annotate review status --project NAME` shows their queues by "
            "pseudonym, [account removed])"
        )
        return
    echo(
        f"{removal.email} removed from the organization on {removal.url} (the account is "
        "kept, not deleted, so their answers stay, in exports under their pseudonym "
        f"{removal.alias}; Label Studio lists it as 'Deleted User' and refuses it every "
        "project's tasks, though it can still log in and see project titles)"
    )
    echo(
        f"who {removal.alias} is ({removal.email}) is kept on this machine in "
        f"{removal.recorded} (private: keep it in-house, like the pseudonym salt); "
        f"`annotate pseudonym {removal.alias}` or `annotate reviewers list --removed` "
        "reads it, without the server"
    )
    for w in removal.queues:
        left = f", {w.open:,} open (left there unanswered)" if w.open else ""
        others = (
            f" (+{w.answered_by_others:,} by another account: `annotate review status` names them)"
            if w.answered_by_others
            else ""
        )
        if w.held_twice:
            left += (
                f", {w.held_twice:,} held in another queue too (not counted here: a hand-over "
                "stopped midway)"
            )
        typer.echo(
            f"  {w.review_set!r}: queue {w.queue.project.get('title')!s} kept: "
            f"{counted(w.tasks, 'task')}, {w.answered:,} answered{others}, {w.skipped:,} "
            f"skipped{left}"
        )
    gold_removed = sum(len(w.gold_removed) for w in removal.queues)
    if gold_removed:
        echo(
            f"{gold_removed} open gold task(s) removed from their queue(s): gold checks a "
            "reviewer, nobody else would answer it (left open, `annotate adjudicate` refuses "
            "and exports say the review is under way)"
        )
    for w in removal.queues:
        if w.gold_left and not w.open and not w.unfinished:
            echo(
                f"{w.gold_left} open gold task(s) holding a draft stay in {w.review_set!r} "
                "(`annotate adjudicate` refuses while they are open); remove them with: "
                f"annotate review reassign --project {w.review_set!r} --from {removal.alias} "
                "--to EMAIL --discard-drafts"
            )
    if removal.open:
        first = next(w for w in removal.queues if w.open)
        command = first.handing_on(removed=True)
        how = (
            f"finish the hand-over that stopped midway: {command}"
            if command and first.unfinished
            else command or f"`annotate review status --project {first.review_set!r}` says how"
        )
        echo(f"{removal.open} open task(s) stay unanswered until handed on: {how}")
    for w in removal.queues:
        for stop in w.finishing:
            echo(
                f"warning: a hand-over from {stop.source.name} to {removal.email} in "
                f"{w.review_set!r} stopped midway: {len(stop.passages)} passage(s) sit in both "
                "queues, and with the account removed no hand-over can finish it; `annotate "
                f"review status --project {w.review_set!r}` says what to do"
            )
    echo(
        "Label Studio cannot take a removal back nor sign the same e-mail up again: a "
        "returning reviewer gets an account under another e-mail."
    )
