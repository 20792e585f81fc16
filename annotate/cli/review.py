"""`annotate reviewers add|list|remove`, `annotate agreement`, `annotate adjudicate`, and the
K-reviewer branch of `annotate push`."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from annotate.cli.app import (
    Bars,
    ErrorContract,
    LabelsOpt,
    QuietOpt,
    a_share,
    app,
    counted,
    echo,
    note,
    project_name,
)
from annotate.defaults import DEFAULT_STATUS_TOP as DEFAULT_TOP
from annotate.review.named import with_email

if TYPE_CHECKING:
    from annotate.review.adjudication import AdjudicationResult
    from annotate.review.fanout import ReviewerShare
    from annotate.review.gold_tells import GoldTells
    from annotate.review.gone_queues import GoneQueues
    from annotate.review.handover import Handover, QueueStatus, ShortOfK
    from annotate.review.held_back import Pruned
    from annotate.review.live_exposure import ReviewerExposure
    from annotate.review.project_status import LeadStatus, PartStatus
    from annotate.review.status_summary import QueueRow, Summary
    from annotate.studio.client import StudioClient

# each group handles its commands' errors itself, so that a message can tell `review status`
# (reads) from `review reassign` (changes queues) (annotate.cli.app.said_of)
reviewers_app = typer.Typer(
    cls=ErrorContract, help="Reviewer accounts on a Label Studio server you administer."
)
app.add_typer(reviewers_app, name="reviewers")
review_app = typer.Typer(
    cls=ErrorContract, help="A review set's queues: open work per reviewer, hand-overs."
)
app.add_typer(review_app, name="review")

ProjectOpt = Annotated[
    str, typer.Option("--project", "-p", callback=project_name, help="Label Studio project title.")
]


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
    quiet: QuietOpt = False,
) -> None:
    """Create a reviewer account (sign-up through the organization's invite link)."""
    import secrets

    from annotate.errors import StudioUnavailableError
    from annotate.review.reviewers import add_reviewer
    from annotate.studio.client import connect

    client = connect()
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
    if not login.created:
        echo(f"{login.email} already has an account on {login.url} (password unchanged).")
    else:
        echo(f"reviewer {login.email} created on {login.url}")
        typer.echo(f"login:    {login.url}/user/login/")
        typer.echo(f"email:    {login.email}")
        typer.echo(f"password: {login.password}")
        echo("Send these privately; the reviewer can change the password under Account & Settings.")
        if tunnel := _loopback_note(login.url):
            note(tunnel, quiet)
    if name:
        echo(name_shown_warning(name))


def name_shown_warning(name: str) -> str:
    """What ``reviewers add --name`` warns: Label Studio Community shows an answer's
    author by name to every member who opens the project, a colleague's queue included."""
    return (
        f"warning: Label Studio shows {name!r} beside each answer this reviewer gives, to "
        "every member who opens their queue (Community lets every member open every "
        "project): a colleague who opens it learns whose queue the pseudonym r-\u2026 is. "
        "Community cannot prevent this (the e-mail shows there too; README, \u201cSeveral "
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
def reviewers_list(quiet: QuietOpt = False) -> None:
    """List the organization's reviewer accounts (everyone but the admin): e-mail, name,
    and the review sets where they are away (marked by `annotate review reassign`:
    pushes there without --reviewer skip them), tab-separated."""
    from annotate.review.queues import away_marks
    from annotate.review.reviewers import list_reviewers, removed_accounts
    from annotate.studio.client import connect

    client = connect()
    salt = _known_salt()
    away, strangers = away_marks(client, salt)
    reviewers = list_reviewers(client)
    for user in reviewers:
        marks = away.get(int(user["id"]), [])
        where = ", ".join(f"{m.review_set!r} (since {m.since})" for m in marks)
        line = f"{user['email']}\t{user.get('first_name') or ''}"
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


def _known_salt() -> str | None:
    """The pseudonym salt of this machine (as :func:`annotate.corpus.salt.reviewer_salt`
    reads it), None when it has none yet: a command that only reads makes none."""
    import os

    from annotate.settings import SALT_ENV, annotate_home

    if os.environ.get(SALT_ENV):
        return os.environ[SALT_ENV]
    path = annotate_home() / "pseudonym_salt"
    return path.read_text(encoding="utf-8").strip() if path.is_file() else None


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
    from annotate.corpus.salt import reviewer_salt
    from annotate.review.offboard import remove_reviewer
    from annotate.studio.client import connect

    removal = remove_reviewer(connect(), email, salt=reviewer_salt(), force=force)
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
    for w in removal.queues:
        left = f", {w.open:,} open (left there unanswered)" if w.open else ""
        if w.held_twice:
            left += (
                f", {w.held_twice:,} held in another queue too (not counted here: a hand-over "
                "stopped midway)"
            )
        typer.echo(
            f"  {w.review_set!r}: queue {w.queue.project.get('title')!s} kept: "
            f"{counted(w.tasks, 'task')}, {w.answered:,} answered, {w.skipped:,} skipped{left}"
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


def push_review_cli(
    prelabels: Path,
    project: str,
    k: int,
    reviewer: list[str] | None,
    gold: Path | None,
    gold_rate: float,
    labels: Path | None,
    *,
    keep_reposts: bool = False,
    max_graphic: int | None = None,
    new_set: bool = False,
    quiet: bool = False,
    recreate_deleted: bool = False,
) -> None:
    from annotate.cli.push import (
        late_copies_note,
        other_licence_warning,
        other_versions_warning,
        renamed_documents_warning,
        reposts_note,
        unknown_neighbours_warning,
    )
    from annotate.review.fanout import push_review

    with Bars(quiet) as bars:  # as a plain push: every queue's tasks, regular and gold
        result = push_review(
            prelabels,
            project,
            k,
            reviewers=reviewer,
            gold=gold,
            gold_rate=gold_rate,
            labels=labels,
            keep_reposts=keep_reposts,
            max_graphic=max_graphic,
            new_set=new_set,
            recreate_deleted=recreate_deleted,
            progress=bars("push", unit="task"),
            reading=bars("read", unit="task"),  # the queues' tasks: a re-run reads them all
        )
    # a re-post is in the file's count but in no queue: the queues' lines sum to the rest
    left_out = f" ({result.reposts} re-posted, left out: see below)" if result.reposts else ""
    echo(
        f"{counted(result.total, 'passage')}{left_out}, {result.k} reviewer(s) each, in "
        f"{counted(len(result.reviewers), 'reviewer project')} (model {result.model_version}):"
    )
    for share in result.reviewers:
        echo(share_line(share))
    behind = import_order_note(result.reviewers)
    if behind:
        note(behind, quiet)
    late_copies_note(result.late_copies_removed)
    reposts_note(result.reposts, result.repost_examples)
    renamed_documents_warning(project, result.renamed, result.renamed_examples)
    if result.held_graphic:
        note(held_graphic_note(result.held_graphic, result.max_graphic), quiet)
    replaced: dict[str, list[str]] = {}
    for share in result.reviewers:
        if share.model_version_replaced:
            replaced.setdefault(share.model_version_replaced, []).append(share.alias)
    for before, aliases in replaced.items():
        # as a plain push says it: reviewers now start from this model's pre-annotations
        note(
            f"note: the queue(s) of {', '.join(aliases)} now show reviewers the "
            f"pre-annotations of {result.model_version} instead of {before} (both models' "
            f"predictions stay on their tasks); push {before}'s pre-labels again to show "
            "that model's instead.",
            quiet,
        )
    if result.without_queue:
        echo(
            f"  no passage for {', '.join(result.without_queue)} this push: no queue made "
            "(a later push makes it when they get passages)"
        )
    if result.gold_wanted:  # fewer gold tasks than asked: -q too
        echo(
            f"note: --gold-rate {gold_rate} asks for up to {result.gold_wanted} gold task(s) in "
            f"a queue, but {gold} holds {result.gold_available}: every queue got all of them, "
            "below the rate (add gold passages to the table and push again to reach it)"
        )
    gold_tells_warning(result.gold_tells, gold)
    if result.demo_left_out:
        note(
            f"note: the demo accounts ({', '.join(result.demo_left_out)}) were left out; "
            "name them with --reviewer to give them passages.",
            quiet,
        )
    if result.away_left_out:
        note(
            f"note: {', '.join(result.away_left_out)} left out: away since `annotate review "
            "reassign` handed on their open tasks in this review set; name them with "
            "--reviewer to give them passages again.",
            quiet,
        )
    if result.joined:
        who = ", ".join(result.joined)
        echo(
            f"warning: {who} joined {project!r} in this push (no queue in it before): a push "
            "without --reviewer gives passages to every reviewer account (`annotate reviewers "
            "list`). If that was not meant, "
            f"hand their open tasks on with `annotate review reassign --project {project!r} "
            "--from EMAIL --to EMAIL` and name the set's reviewers with --reviewer in later "
            "pushes."
        )
    if result.recreated:
        note(
            f"note: the queue(s) of {', '.join(result.recreated)} in {project!r} were made "
            "again (--recreate-deleted): the deleted queue took its answers along, so its "
            "passages are open for review again.",
            quiet,
        )
    if result.back:
        note(
            f"note: {', '.join(result.back)} named with --reviewer: no longer away in this "
            "review set (later pushes include them).",
            quiet,
        )
    other_versions_warning(
        project,
        result.other_version_tasks,
        result.other_version_documents,
        result.other_version_examples,
    )
    unknown_neighbours_warning(project, result.unknown_neighbours)
    other_licence_warning(project, result.other_licence, result.other_licence_examples)
    if result.skipped_gold:
        echo(
            f"warning: {len(result.skipped_gold)} passage(s) skipped because they are gold tasks "
            f"already in this review set (e.g. {result.skipped_gold[0]!r}): they stay gold and "
            "export keeps them out of the corpus (review status, agreement and export say so); "
            "push them under another id to review them."
        )


def import_order_note(shares: list[ReviewerShare]) -> str | None:
    """The note for tasks added to queues that hold earlier pushes' tasks: Label Studio's
    "Label All Tasks" serves a queue's open tasks by task id (import order), so a threat
    in today's batch comes after yesterday's open boilerplate, whatever its priority;
    "Label Tasks As Displayed" on the Queue tab (sorted by priority) serves them riskiest
    first. None when no task was added to a queue that held open tasks of earlier pushes
    (a queue whose earlier tasks are all answered serves the new ones first anyway)."""
    added = sum(
        s.created for s in shares if s.created and s.queued_before > s.already and s.open_before > 0
    )
    if not added:
        return None
    return (
        f"note: {counted(added, 'task')} added to queues that hold earlier pushes' open tasks: "
        "Label Studio's \"Label All Tasks\" serves them after those queues' open tasks "
        "(import order, not priority); reviewers who should take the riskiest first use "
        '"Label Tasks As Displayed" on the queue\'s Queue tab (sorted by priority).'
    )


def share_line(share: ReviewerShare) -> str:
    """One reviewer's line of a review push: tasks added (gold among them), already there
    (gold among them: a new batch holds no passage of the queue, so "1 already there"
    alone sent the lead looking for one), the queue's size, predictions added."""
    notes = [f"{share.already_gold} gold"] if share.already_gold else []
    if share.queued_before > share.already:
        notes.append(
            f"queue now {counted(share.queued_before + share.created, 'task')}, earlier "
            "pushes' included"
        )
    line = (
        f"  {share.email} ({share.alias}): {share.created:,} added ({share.gold:,} gold), "
        f"{share.already:,} already there" + (f" ({'; '.join(notes)})" if notes else "")
    )
    if share.predictions_added:
        line += f" ({share.predictions_added} given this model's predictions)"
    return f"{line} -> {share.project_url}"


def gold_tells_warning(tells: GoldTells, gold: Path | None) -> None:
    """The warning of a push whose gold tasks a reviewer can tell from the regular ones
    (:func:`annotate.review.gold_tells.gold_tells`)."""
    if not tells:
        return
    from annotate.studio.tasks import NO_PROVENANCE

    what = []
    if tells.no_provenance:
        what.append(
            f'{tells.no_provenance} show "{NO_PROVENANCE}" in the labeling view where every '
            "regular task names its source and document (and leave the grid's doc_id and "
            "source columns empty)"
        )
    if tells.unlike_ids:
        what.append(
            f"{tells.unlike_ids} have an id unlike the regular passages' p_… ids (e.g. "
            f"{tells.example_id!r}; the grid shows passage_id)"
        )
    echo(
        f"warning: the gold tasks of {gold} stand out from the regular ones: "
        f"{'; '.join(what)}, so a reviewer can tell which tasks check them. Fix: for later "
        "pushes, give the gold table doc_id, source and title columns (the documents its "
        "passages came from) and ids like the regular passages' (e.g. ingest the gold "
        "documents with `annotate ingest`, add gold_labels) and pre-label it again; the "
        "gold tasks already queued stay as they are."
    )


def gold_also_regular_warning(n: int, project: str) -> None:
    """The lasting warning of a review set holding gold passages that came in regular
    pre-labels too (a push skipped them): status and agreement print it, as export does,
    so a lead does not take them for reviewed data."""
    if n:
        echo(
            f"warning: {n} gold passage(s) of review set {project!r} came in regular "
            "pre-labels too (the push skipped them): they stay gold, are not reviewed as "
            "regular data and export keeps them out of the corpus; push them under another "
            "id to have them reviewed"
        )


@app.command("agreement")
def agreement_cli(
    project: ProjectOpt,
    labels: LabelsOpt = None,
    gold_min_accuracy: Annotated[
        float | None,
        typer.Option(
            "--gold-min-accuracy",
            help="Flag reviewers below this gold accuracy (a share: 0.8 for 80 %).",
            callback=a_share,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Print inter-reviewer agreement (Krippendorff's alpha, Cohen's kappa, consensus)."""
    from annotate.corpus.salt import reviewer_salt
    from annotate.review.agreement import summary_lines
    from annotate.review.collect import collect
    from annotate.review.gold import unmeasured_gold_note
    from annotate.review.report import check_min_accuracy, review_reports
    from annotate.studio.client import connect
    from annotate.taxonomy import load_taxonomy

    check_min_accuracy(gold_min_accuracy)
    tax = load_taxonomy(labels)
    client = connect()
    with Bars(quiet) as bars:
        collected = collect(client, project, tax, salt=reviewer_salt(), progress=bars)
        report = review_reports(
            collected.rows,
            collected.gold_rows,
            tax,
            min_accuracy=gold_min_accuracy,
            progress=bars("agreement", unit="resample"),
        )["agreement.json"]
    gold_also_regular_warning(len(collected.gold_also_regular), project)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    # the lead at this terminal: who each pseudonym is, as `review status` shows them
    named = sorted({*report.get("reviewer_vs_consensus", {}), *report["gold"]["reviewers"]})
    named += sorted({r for pair in report.get("pairwise_kappa", []) for r in pair["reviewers"]})
    emails = emails_of(list(dict.fromkeys(named)), client) if named else {}
    review_set = project if collected.review_set else None
    k = collected.reviewers_per_task
    for line in summary_lines(report, review_set=review_set, emails=emails, reviewers_per_task=k):
        typer.echo(line)
    for name, g in report["gold"]["reviewers"].items():
        flag = "  FLAGGED" if g["flagged"] else ""
        who = with_email(name, emails)
        typer.echo(f"  gold: {who} {g['exact']:.3f} exact (n={g['n_items']}){flag}")
    if unmeasured := unmeasured_gold_note(gold_min_accuracy, report["gold"]):
        echo(f"warning: {unmeasured}")
    from collections import Counter

    from annotate.cli.export import answer_version_warnings

    made_under = Counter(a["taxonomy_version"] for r in collected.rows for a in r["annotations"])
    for line in answer_version_warnings(
        dict(made_under),
        tax.version,
        where="each answer's labels.yaml version, as export records it",
    ):
        echo(line)


def emails_of(pseudonyms: list[str], client: StudioClient | None = None) -> dict[str, str | None]:
    """Pseudonym -> e-mail of the accounts Label Studio lists, made with this machine's
    salt, as `annotate review status` shows them; {} when the server cannot tell (the
    warning then names pseudonyms only). ``client``: the command's own (its account list
    is read once per client), else a new one."""
    from annotate.corpus.salt import reviewer_salt
    from annotate.errors import AnnotateError
    from annotate.review.queues import accounts
    from annotate.studio.client import connect

    try:
        found = accounts(client or connect(), reviewer_salt())
    except AnnotateError:
        return {}
    return {p: found[p][1] for p in pseudonyms if p in found}


@app.command("adjudicate")
def adjudicate_cli(
    project: ProjectOpt,
    labels: LabelsOpt = None,
    quiet: QuietOpt = False,
    mid_round: Annotated[
        bool,
        typer.Option(
            "--mid-round",
            help="Adjudicate a review set while reviewer queues still have open tasks "
            "(every member can open the adjudication project and read the answers; the "
            "export records answers made or changed after).",
        ),
    ] = False,
) -> None:
    """Create/update `PROJECT · adjudication` with the passages reviewers disagree on."""
    from annotate.corpus.salt import reviewer_salt
    from annotate.review.adjudication import adjudicate
    from annotate.studio.client import connect
    from annotate.taxonomy import load_taxonomy

    with Bars(quiet) as bars:
        result = adjudicate(
            connect(),
            project,
            load_taxonomy(labels),
            salt=reviewer_salt(),
            progress=bars,
            mid_round=mid_round,
        )
    if result.open_in_queues:
        echo(
            f"warning: {result.open_in_queues} task(s) in the reviewer queues are still open "
            "(--mid-round): every member can open the adjudication project and read the "
            "disputed passages' answers; the export records answers made or changed after "
            "and states the review blind only until then"
        )
    if result.project_url is None:
        echo(
            f"{project!r}: no disputed passage among the {result.compared} answered by two "
            f"reviewers or more; {result.project!r} was not created."
        )
        return
    echo(adjudication_summary(result))
    moot = [p for p in result.settled if p not in result.settled_answered]
    if moot:
        now = len(set(result.retired) & set(moot))
        echo(
            f"{len(moot)} task(s) no longer disputed (a reviewer changed an answer, or one was "
            f"deleted in Label Studio; e.g. "
            f"{moot[0]}) are out of the lead's queue ({now} taken out by this run): Label "
            "Studio serves them to nobody, the Queue tab lists them last, marked "
            "no_longer_disputed; nothing is deleted (a lead's draft or skip there stays); "
            "the reviewers' vote decides them, and a passage disputed again comes back"
        )
    if result.reopened:
        echo(
            f"{len(result.reopened)} task(s) disputed again (e.g. {result.reopened[0]}) are "
            "back in the lead's queue"
        )
    if result.settled_answered:
        note(
            f"note: {len(result.settled_answered)} task(s) a lead answered are no longer "
            f"disputed (e.g. {result.settled_answered[0]}): they stay, and the lead's answer "
            "still decides the passage (export: review.adjudicated_no_longer_disputed)",
            quiet,
        )


def adjudication_summary(result: AdjudicationResult) -> str:
    """The first line `annotate adjudicate` prints: the disputed passages (added, already
    there, and of those brought up to date), then the tasks of passages no longer disputed
    brought up to date, which are none of the disputed ones."""
    there = result.updated - result.updated_settled
    line = (
        f"{result.project!r}: {result.disputed} disputed passage(s), {result.added} added, "
        f"{result.already} already there ({there} updated)"
    )
    if result.updated_settled:
        line += (
            f"; {result.updated_settled} task(s) no longer disputed brought up to date "
            "(answers panel, reviewers' answers)"
        )
    return f"{line} -> {result.project_url}"


@app.command("escalations")
def escalations_cli(
    project: ProjectOpt,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only answers saved or edited from this ISO date/time on."),
    ] = None,
    webhook: Annotated[
        str | None, typer.Option("--webhook", help="POST each new escalation here (once).")
    ] = None,
    labels: LabelsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """List high and critical answers not yet escalated; with --webhook, deliver them."""
    from annotate.corpus.salt import reviewer_salt
    from annotate.review.escalations import check_webhook, deliver, parse_since, pending
    from annotate.studio.client import connect
    from annotate.taxonomy import load_taxonomy

    if since:
        parse_since(since)  # a date it cannot read fails before the server is asked
    if webhook:
        check_webhook(webhook)  # so does a webhook that is not a URL
    client = connect()
    found = pending(client, project, load_taxonomy(labels), salt=reviewer_salt(), since=since)
    # the lead at this terminal follows an escalation up with whoever raised it
    emails = emails_of(sorted({esc.reviewer for esc in found}), client) if found else {}
    for esc in found:
        who = with_email(esc.reviewer, emails)
        who = who if esc.role == "reviewer" else f"{who} (lead)"
        typer.echo(f"{esc.severity}\t{esc.passage}\tdoc {esc.doc_id}\t{who}\t{esc.answered_at}")
    echo(f"{len(found)} escalation(s) not yet delivered")
    if webhook and found:
        delivered, errors = deliver(project, found, webhook)
        echo(f"delivered {delivered} to {webhook}")
        shown = [e for e in errors if "): not attempted (" not in e]
        for error in shown:
            echo(f"failed: {error}")
        if len(errors) > len(shown):
            echo(
                f"not attempted: {counted(len(errors) - len(shown), 'more escalation')}, "
                "since the receiver could not be reached"
            )
        if errors:
            echo(
                f"error: {len(errors)} of {counted(len(found), 'escalation')} could not be "
                f"delivered to {webhook} (named above); they are kept for the next run. Fix: "
                "check that the receiver is up and accepts JSON POSTs at that URL, then run "
                "the same command again (what was delivered is not posted again)."
            )
            raise typer.Exit(1)


@review_app.command("status")
def review_status(
    project: ProjectOpt,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Count exposure from this ISO date or time on (UTC unless it has an offset, "
            "as escalations --since; default: today, UTC).",
        ),
    ] = None,
    graphic_limit: Annotated[
        int | None,
        typer.Option(
            "--graphic-limit",
            min=0,
            help="Graphic passages a reviewer may read in a UTC day; status flags those "
            "above it (default: $ANNOTATE_GRAPHIC_LIMIT, else 25, a team choice).",
        ),
    ] = None,
    labels_file: LabelsOpt = None,
    list_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="List every reviewer queue (and every numbered project); by default a set "
            "of more than --top lists the counts over all of them and the --top queues with "
            "the most open tasks.",
        ),
    ] = False,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            min=1,
            help="Queues (or numbered projects) listed by default: those with the most open "
            "tasks, plus removed or away reviewers' queues holding open tasks; and reviewers "
            "in the exposure lines: the most graphic, plus everyone above the limit.",
        ),
    ] = DEFAULT_TOP,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print one JSON document (every queue, the totals, the lead, passages short "
            "of K, held-back passages, exposure) on stdout instead of the lines; warnings "
            "stay on stderr.",
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Per reviewer queue: tasks, answered, skipped, open, drafts (removed reviewers flagged);
    for a project pushed without --reviewers-per-task, per project (numbered ones too).
    A set of more than --top queues shows the counts over all of them, the oldest open
    task and the --top queues with the most open tasks (--all: every queue; --json: all of
    it for scripts). Then each reviewer's exposure since --since (today): answers, graphic
    passages, high-severity answers, flagging days above --graphic-limit."""
    from annotate.corpus.salt import reviewer_salt
    from annotate.errors import InputError
    from annotate.review.gone_queues import gone_queues
    from annotate.review.handover import queue_status, short_of_k, unknown_name_error
    from annotate.review.held_back import prune_held, written_stamps
    from annotate.review.live_exposure import graphic_limit as limit_of
    from annotate.review.live_exposure import since_time
    from annotate.review.project_status import lead_status
    from annotate.review.status_json import projects_document, review_set_document
    from annotate.review.status_summary import queue_rows, summarise
    from annotate.review.unfinished import open_counts
    from annotate.studio.client import connect

    day, limit = since_time(since), limit_of(graphic_limit)  # bad input: before any request
    shown_top = None if list_all or as_json else top
    client = connect()
    stamps = written_stamps(client.url, project)  # before the queues: see prune_held
    salt = reviewer_salt()
    try:
        with Bars(quiet) as bars:  # every queue's tasks: minutes for a large review set
            found = queue_status(client, project, salt, progress=bars)
    except InputError as err:
        parts = _plain_status(client, project, shown_top, quiet=as_json)
        if parts is None:  # a review set's error, or no such name
            # a push that held back every passage made no queue: its record is all there is
            for line in held_back_lines(client.url, project, frozenset()):
                echo(line)
            raise unknown_name_error(client, project) or err from None
        if not as_json:
            _lead_status(client, project)
            _exposure_lines(client, project, {}, day, limit, labels_file, shown_top)
        else:
            lead = lead_status(client, project)
            _print_json(
                projects_document(
                    project,
                    parts=parts,
                    lead=lead,
                    held_back=held_back_dicts(client.url, project, frozenset()),
                    exposure=_exposure_json(client, project, {}, day, limit, labels_file),
                )
            )
        return
    counts = short_of_k(found)
    per = (
        f"{counts.k} reviewer(s) per passage"
        if counts.k is not None
        else "reviewers per passage not recorded (pushed by an older annotate; the next push "
        "records it)"
    )
    if not as_json:
        echo(f"review set {project!r}: {len(found)} reviewer queue(s), {per}")
    # a passage a stopped hand-over left in two queues counts once (see the warning)
    opened = open_counts(found)
    rows = queue_rows(found, opened)
    summary = summarise(rows, shown_top)
    if not as_json:
        for line in queue_lines(summary, top):
            typer.echo(line)
    if by_others := answered_by_others_line(rows, project):
        echo(by_others)  # stderr: a warning, with --json too
    lead = lead_status(client, project) if as_json else _lead_status(client, project)
    gone = gone_queues(client, project, [int(st.queue.project["id"]) for st in found], salt)
    if counts.k is not None and not as_json:
        echo(short_of_k_line(counts, deleted=gone is not None))
    if gone is not None:  # stderr: a warning, with --json too
        echo(gone_queues_line(gone, project, counts.k))
    queued = frozenset().union(*(st.passages for st in found))
    if not as_json:
        for line in held_back_lines(client.url, project, queued):
            echo(line)
    pruned = prune_held(client.url, project, queued, stamps=stamps)
    if pruned is not None and not as_json:
        note(pruned_line(pruned), quiet)
    gold_also_regular_warning(
        len(frozenset().union(*(st.gold_also_regular for st in found))), project
    )
    drafts = sum(c.drafts for c in opened.values())
    if drafts:
        echo(
            f"{drafts} open task(s) hold a draft: an answer started and not submitted (Label "
            "Studio shows it to its author only); `annotate review reassign` leaves them with "
            "their reviewer unless --discard-drafts"
        )
    _unfinished_lines(found, project)
    _answered_twice_lines(found, project, counts.k)
    _twin_queue_lines(found, project)

    def regular(st: QueueStatus) -> int:
        c = opened[int(st.queue.project["id"])]
        return c.open - c.gold

    orphans = [st for st in found if not st.member and regular(st)]
    if orphans:
        echo(
            f"{sum(regular(st) for st in orphans):,} open task(s) (gold not counted: "
            "it is no passage short of an answer) in queue(s) of removed reviewers: "
            f"annotate review reassign --project {project!r} --from {orphans[0].queue.alias} "
            "--to EMAIL"
        )
    names = {st.queue.alias: st.queue.name for st in found}
    if not as_json:
        gone = frozenset(st.queue.alias for st in found if not st.member)
        _exposure_lines(client, project, names, day, limit, labels_file, shown_top, gone)
    else:
        _print_json(
            review_set_document(
                project,
                k=counts.k,
                summary=summary,
                rows=rows,
                lead=lead,
                short_of_k=asdict(counts),
                held_back=held_back_dicts(client.url, project, queued),
                held_back_pruned=None if pruned is None else asdict(pruned),
                exposure=_exposure_json(client, project, names, day, limit, labels_file),
                deleted_queues=[] if gone is None else gone.dicts(),
            )
        )


def queue_lines(summary: Summary, top: int) -> list[str]:
    """`review status`'s lines on the queues (each indented): every queue's line when
    ``summary`` hides none (and, of several, the counts over them and the oldest open
    task); else those counts, the oldest open task, the queues shown and one line counting
    the others."""
    from annotate.review.status_summary import age, totals

    t, hidden = summary.totals, summary.hidden
    lines = [] if hidden else [_queue_line(r) for r in summary.shown]
    if t.queues > 1 or hidden:
        among = [f"{t.gold} gold"] if t.gold else []
        if t.drafts:
            among.append(f"{t.drafts} with a draft")
        extra = f" ({', '.join(among)})" if among else ""
        lines.append(
            f"  in all: {counted(t.tasks, 'task')}, {t.answered:,} answered, "
            f"{t.skipped:,} skipped, {t.open:,} open{extra}"
        )
    if summary.oldest is not None and summary.oldest.oldest_open:
        when = summary.oldest.oldest_open
        lines.append(
            f"  oldest open task: made {age(when)} ago ({when}), in {summary.oldest.name}'s queue"
        )
    if hidden and not summary.shown:  # nothing open: no queue is the busiest
        rest = totals(hidden)
        lines.append(
            f"  no queue holds an open task: {len(hidden)} queue(s), "
            f"{counted(rest.tasks, 'task')}, {rest.answered:,} answered, {rest.skipped:,} "
            "skipped (--all lists them, --json for scripts)"
        )
    elif hidden:
        busiest = min(top, len(summary.shown))
        extra = len(summary.shown) - busiest
        besides = (
            f", and {extra} more of a removed or away reviewer, holding open tasks" if extra else ""
        )
        lines.append(
            f"  the {busiest} queue(s) with the most open tasks{besides} (of "
            f"{t.queues}; --all lists every one):"
        )
        lines += [_queue_line(r) for r in summary.shown]
        rest = totals(hidden)
        lines.append(
            f"  {len(hidden)} more queue(s): {counted(rest.tasks, 'task')}, {rest.answered:,} "
            f"answered, {rest.skipped:,} skipped, {rest.open:,} open (--all lists them, --json for "
            "scripts)"
        )
    return lines


def _queue_line(r: QueueRow) -> str:
    among = [f"{r.gold:,} gold"] if r.gold else []
    if r.drafts:
        among.append(f"{r.drafts:,} with a draft")
    gold = f" ({', '.join(among)})" if among else ""
    twice = (
        f", {r.held_twice:,} held in another queue too (not counted here: a hand-over "
        "stopped midway, see below)"
        if r.held_twice
        else ""
    )
    gone = "" if r.member else " [account removed]"
    if r.member and r.away:
        gone = f" [away since {r.away}: pushes without --reviewer skip them]"
    others = (
        f" (+{r.answered_by_others:,} by another account, see below)"
        if r.answered_by_others
        else ""
    )
    return (
        f"  {r.name}{gone}: {counted(r.tasks, 'task')}, {r.answered:,} answered{others}, "
        f"{r.skipped:,} skipped, {r.open:,} open{gold}{twice} -> {r.url}"
    )


def answered_by_others_line(rows: Sequence[QueueRow], project: str) -> str | None:
    """Review status's warning on reviewer queues holding tasks answered only by another
    account than the queue's reviewer (:attr:`QueueRow.answered_by_others`: the admin, a
    lead, a colleague who opened it), which the queue lines do not count as the
    reviewer's; None when no queue holds any."""
    astray = [r for r in rows if r.answered_by_others]
    if not astray:
        return None
    first = astray[0]
    return (
        f"warning: {sum(r.answered_by_others for r in astray):,} task(s) in "
        f"{counted(len(astray), 'reviewer queue')} of {project!r} were answered by another "
        f"account than the queue's reviewer (e.g. {first.name}'s queue: "
        f"{first.answered_by_others:,}): the admin account, a lead, or a colleague who "
        "opened it (the exposure lines below name who answered); they are not counted as "
        "the reviewer's answers. `annotate export` counts them as one more reviewer's "
        "answers, not given blind: if they were tests or made for a reviewer, delete them "
        f"in Label Studio (the queue's Data Manager: {first.url})"
    )


def _print_json(doc: dict[str, Any]) -> None:
    typer.echo(json.dumps(doc, indent=1, sort_keys=True, default=str))


def _exposure_dict(
    found: list[ReviewerExposure],
    since: datetime,
    limit: int,
    shown: Mapping[str, str],
) -> dict[str, Any]:
    """The exposure part of the JSON status; ``shown``: pseudonym -> how the text lines
    name it (:func:`exposure_names`)."""
    return {
        "exposure": {
            "since": since.isoformat(),
            "graphic_limit": limit,
            "reviewers": [
                {**asdict(r), "name": shown.get(r.reviewer, r.reviewer)}
                for r in sorted(found, key=lambda r: r.reviewer)
            ],
        }
    }


def exposure_names(
    found: list[ReviewerExposure], names: Mapping[str, str], mails: Mapping[str, str | None]
) -> dict[str, str]:
    """Pseudonym -> how `review status` names each reviewer of ``found`` (its text lines,
    its warning and ``--json``'s ``name``): ``names`` (a queue line's name), else "e-mail
    (pseudonym)" when ``mails`` knows the account (the lead, an answerer of a plain
    project), else the pseudonym alone (a removed account, or a server that cannot tell)."""
    out: dict[str, str] = {}
    for r in found:
        mail = mails.get(r.reviewer)
        by_mail = f"{mail} ({r.reviewer})" if mail else r.reviewer
        out[r.reviewer] = names.get(r.reviewer) or by_mail
    return out


def _exposure_lines(
    client: StudioClient,
    project: str,
    names: dict[str, str],
    since: datetime,
    limit: int,
    labels_file: Path | None,
    top: int | None = None,
    removed: frozenset[str] = frozenset(),
) -> None:
    """`review status`'s exposure: per pseudonym who answered since ``since``, answers,
    graphic passages and high-severity answers as exposure.json counts them, flagged above
    ``limit`` graphic passages on a day; ``names``: pseudonym -> how the queue lines name
    them (others: by e-mail when the server tells); ``top``: see :func:`exposure_lines`;
    ``removed``: pseudonyms of queues whose account was removed from the organization."""
    found = _read_exposure(client, project, since, limit, labels_file)
    mails = _unnamed_mails(client, found, names)
    for line in exposure_lines(found, names, mails, since, limit, top=top, removed=removed):
        (typer.echo if line.startswith("  ") else echo)(line)


def _unnamed_mails(
    client: StudioClient, found: list[ReviewerExposure], names: Mapping[str, str]
) -> dict[str, str | None]:
    """:func:`emails_of` the pseudonyms of ``found`` that no queue line names."""
    unnamed = [r.reviewer for r in found if r.reviewer not in names]
    return emails_of(unnamed, client) if unnamed else {}


def _exposure_json(
    client: StudioClient,
    project: str,
    names: Mapping[str, str],
    since: datetime,
    limit: int,
    labels_file: Path | None,
) -> dict[str, Any]:
    """`review status --json`'s exposure, each reviewer named as the text lines name them."""
    found = _read_exposure(client, project, since, limit, labels_file)
    shown = exposure_names(found, names, _unnamed_mails(client, found, names))
    return _exposure_dict(found, since, limit, shown)


def _read_exposure(
    client: StudioClient, project: str, since: datetime, limit: int, labels_file: Path | None
) -> list[ReviewerExposure]:
    """Each pseudonym's exposure in ``project`` since ``since``, read live."""
    from annotate.corpus.salt import reviewer_salt
    from annotate.review.live_exposure import live_exposure
    from annotate.taxonomy import as_taxonomy

    tax = as_taxonomy(labels_file)
    return live_exposure(client, project, tax, salt=reviewer_salt(), since=since, limit=limit)


def exposure_lines(
    found: list[ReviewerExposure],
    names: dict[str, str],
    mails: dict[str, str | None],
    since: datetime,
    limit: int,
    now: datetime | None = None,
    *,
    top: int | None = None,
    removed: frozenset[str] = frozenset(),
) -> list[str]:
    """The lines of `review status`'s exposure: a heading, one line per reviewer (indented;
    sorted by how it names them, the e-mail, then pseudonym, so two runs print the same),
    and a warning naming those above ``limit``. ``names``: pseudonym -> the queue line's
    name; ``mails``: pseudonym -> e-mail of the others (None: an account Label Studio lists
    as removed from the organization). A removed account's line is marked and still
    counted, but the warning's advice of a break is for current reviewers only (those of
    ``removed`` and with a None e-mail are named apart, as no longer reviewing). Of more than
    ``top`` reviewers (None: no limit), the lines of those above the limit and of the
    ``top`` who read the most graphic passages (then answered most), in the same order,
    and one line counting the others."""
    from datetime import time, timezone

    today = (now or datetime.now(timezone.utc)).date()
    utc = since.astimezone(timezone.utc)
    if utc == datetime.combine(today, time(), tzinfo=timezone.utc):
        when = f"today ({today.isoformat()}, UTC)"
    elif utc.time() == time():
        when = f"since {utc.date().isoformat()} (UTC days)"
    else:
        when = f"since {utc.isoformat(timespec='seconds')} (answers created since then)"
    if not found:
        return [f"exposure {when}: no answers yet (graphic limit {limit} a day)"]

    gone = removed | {p for p, mail in mails.items() if p not in names and mail is None}
    naming = exposure_names(found, names, mails)

    def shown(r: ReviewerExposure) -> str:
        return naming[r.reviewer]

    ordered = sorted(found, key=lambda r: (shown(r).casefold(), r.reviewer))
    listed = ordered
    if top is not None and len(ordered) > top:
        most = sorted(ordered, key=lambda r: (-r.graphic, -r.answers, shown(r).casefold()))
        keep = {r.reviewer for r in most[:top]} | {r.reviewer for r in ordered if r.over}
        listed = [r for r in ordered if r.reviewer in keep]
    lines = [f"exposure {when}, graphic limit {limit} a day:"]
    for r in listed:
        lead = f" ({r.adjudications} as the lead)" if r.adjudications else ""
        over = (
            "  OVER LIMIT: " + ", ".join(f"{n} graphic on {d}" for d, n in sorted(r.over.items()))
            if r.over
            else ""
        )
        mark = " [account removed]" if r.reviewer in gone else ""
        lines.append(
            f"  {shown(r)}{mark}: {r.answers} answered{lead}, {r.graphic} graphic, "
            f"{r.high_severity} high severity{over}"
        )
    rest = [r for r in ordered if r not in listed]
    if rest:
        lines.append(
            f"  {len(rest)} more reviewer(s), none above the limit: "
            f"{sum(r.answers for r in rest)} answered, {sum(r.graphic for r in rest)} graphic, "
            f"{sum(r.high_severity for r in rest)} high severity (--all lists them)"
        )
    above = [r for r in ordered if r.over]
    flagged = [shown(r) for r in above if r.reviewer not in gone]
    if flagged:
        lines.append(
            f"warning: {len(flagged)} reviewer(s) above {limit} graphic passage(s) a day "
            f"({', '.join(flagged)}): consider a break or non-graphic work; `annotate push "
            "--max-graphic-per-reviewer N` holds graphic passages back from a queue."
        )
    left = [shown(r) for r in above if r.reviewer in gone]
    if left:
        # no nudge to someone no longer reviewing; the lead still sees what they read
        lines.append(
            f"{len(left)} removed account(s) were above {limit} graphic passage(s) a day "
            f"before leaving ({', '.join(left)}): counted above and in the export's "
            "exposure report."
        )
    return lines


def _twin_queue_lines(found: list[QueueStatus], project: str) -> None:
    """`review status`'s warning for a reviewer with two queues in the set (made by two
    pushes or hand-overs at once): status lists both, but export and push refuse the set
    until one is deleted, so it says so here rather than at export time."""
    by_alias: dict[str, list[QueueStatus]] = {}
    for st in found:
        by_alias.setdefault(st.queue.alias, []).append(st)
    for alias, twins in by_alias.items():
        if len(twins) < 2:
            continue
        shown = ", ".join(
            f"{st.queue.project['id']} ({counted(st.tasks, 'task')}, {st.answered:,} answered)"
            for st in twins
        )
        echo(
            f"warning: {alias} has {len(twins)} queues in {project!r} (project ids {shown}): "
            "made by two pushes or hand-overs at once; export and push refuse the review set "
            "until one is gone. Fix: in Label Studio, delete the queue that holds no answers "
            "(or move its answered tasks by hand first)."
        )


def _unfinished_lines(found: list[QueueStatus], project: str) -> None:
    """`review status`'s warning for each hand-over that stopped midway: its passages sit
    in two reviewers' queues until it is run again."""
    from annotate.review.unfinished import unfinished_handovers

    for stop in unfinished_handovers(found):
        src, dst, n = stop.source.name, stop.target.name, len(stop.passages)
        found_line = (
            f"warning: a hand-over from {src} to {dst} stopped midway: {n:,} passage(s) (e.g. "
            f"{stop.passages[0]!r}) sit in both their queues (copied into {dst}'s, not yet "
            "removed from the other): two holders where one is expected, each of whom may "
            "answer (the open counts above count each once)"
        )
        command = stop.command(project)
        if command is not None:
            echo(
                f"{found_line}. Finish it (no passage is copied twice, none lost; one "
                f"answered meanwhile stays with its reviewer): {command}"
            )
        else:
            echo(
                f"{found_line}; {dst}'s account was removed from the organization, so no "
                f"hand-over can finish it: delete the open tasks of those {n} passage(s) from "
                f"{dst}'s queue in Label Studio (Data Manager: select them, Delete tasks), "
                f"then hand {src}'s open tasks to a member: annotate review reassign --project "
                f"{project!r} --from {stop.source.email or stop.source.alias} --to EMAIL"
            )


def _answered_twice_lines(found: list[QueueStatus], project: str, k: int | None) -> None:
    """`review status`'s warning for passages a stopped hand-over left in two queues that
    were answered in both: K+1 answers, which every later step counts."""
    from annotate.review.unfinished import answered_twice

    more, of = (f"{k + 1}", f"the review set's {k}") if k else ("K+1", "its K")
    for pair in answered_twice(found):
        src, dst, n = pair.source.name, pair.target.name, len(pair.passages)
        shown = ", ".join(repr(p) for p in pair.passages[:5]) + (", ..." if n > 5 else "")
        echo(
            f"warning: {n} passage(s) answered both in {src}'s queue and in {dst}'s ({shown}): "
            f"a hand-over from {src} to {dst} copied them and stopped before removing the "
            f"originals, and both were answered, so each has {more} answers, one more than "
            f"{of} (finishing the hand-over leaves both). Every answer counts: export keeps "
            f"all {more} in the passage's row (manifest.json reviewers_per_passage counts it "
            f"under {more}), the vote that resolves it and `annotate agreement` use all of "
            "them (one voter more: it can break a tie), and `annotate adjudicate` sends it to "
            f"the lead only when those {more} answers dispute it. Nothing to do to keep them; "
            "to keep one answer out, delete its task in Label Studio (e.g. the copy in "
            f"{dst}'s queue: Data Manager, filter by passage_id, Delete tasks): its answer then "
            "leaves export, agreement and the reviewer's exposure record"
        )


def _lead_status(client: StudioClient, project: str) -> LeadStatus | None:
    """`review status`'s line on the lead's adjudication project (none: no line); returns
    what it read."""
    from annotate.review.project_status import lead_status

    lead = lead_status(client, project)
    if lead is None:
        return None
    out = (
        f", {lead.out_of_queue} no longer disputed (out of the lead's queue)"
        if lead.out_of_queue
        else ""
    )
    typer.echo(
        f"  lead, {lead.title}: {counted(lead.tasks, 'task')}, {lead.answered:,} answered, "
        f"{lead.waiting:,} waiting for a lead{out} -> {lead.url}"
    )
    return lead


def _plain_status(
    client: StudioClient, project: str, top: int | None, *, quiet: bool = False
) -> list[PartStatus] | None:
    """`review status` of a project that is no review set (one project, or numbered ones):
    its work per project (of more than ``top``, those with the most open tasks; None:
    every one); None when ``project`` is none of those. Returns what it read (``quiet``:
    prints nothing)."""
    from annotate.review.project_status import project_status

    parts = project_status(client, project)
    if not parts:
        return None
    if quiet:
        return parts
    echo(
        f"{project!r}: {len(parts)} project(s), no review set (pushed without "
        "--reviewers-per-task: every reviewer answers in the same tasks, so there are no "
        "reviewer queues; answered counts tasks with anyone's answer)"
    )
    shown = parts
    if top is not None and len(parts) > top:
        shown = sorted(parts, key=lambda p: -p.open)[:top]
        typer.echo(f"  the {top} project(s) with the most open tasks (--all lists every one):")
    for p in shown:
        drafts = f" ({p.open_drafts} with a draft)" if p.open_drafts else ""
        typer.echo(
            f"  {p.title}: {counted(p.tasks, 'task')}, {p.answered:,} answered, "
            f"{p.skipped:,} skipped, {p.open:,} open{drafts} -> {p.url}"
        )
    if len(shown) < len(parts):
        typer.echo(f"  {len(parts) - len(shown)} more project(s) (--all lists them)")
    if len(parts) > 1:
        tasks, answered, skipped, left = (
            sum(getattr(p, f) for p in parts) for f in ("tasks", "answered", "skipped", "open")
        )
        echo(
            f"in all: {counted(tasks, 'task')}, {answered:,} answered, {skipped:,} skipped, "
            f"{left:,} open"
        )
    return parts


@review_app.command("held-back")
def review_held_back(
    project: ProjectOpt,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write this machine's record of the set's held-back passages to FILE (JSON; "
            "`-`: stdout), for a lead on another machine to --merge.",
        ),
    ] = None,
    merge: Annotated[
        Path | None,
        typer.Option(
            "--merge",
            help="Merge a record another machine wrote with --out into this machine's "
            "(nothing recorded here is dropped; importing it twice adds nothing).",
        ),
    ] = None,
    quiet: QuietOpt = False,
) -> None:
    """Carry the record of the graphic passages a push held back from every queue between
    machines: it is kept where the push ran (Label Studio has no place for it that its
    members cannot see or that survives a queue's emptying), so `review status` elsewhere
    does not see it until it is merged there."""
    from annotate.errors import InputError
    from annotate.review.held_back import export_record, import_record
    from annotate.studio.client import connect

    if (out is None) == (merge is None):
        raise InputError(
            "review held-back needs one of --out FILE (write this machine's record) or "
            "--merge FILE (add another machine's), found "
            + ("both." if out is not None else "neither."),
            fix=f"annotate review held-back --project {project!r} --out held-back.json, then "
            "on the other machine --merge held-back.json.",
        )
    server = connect(check=False).url
    if out is not None:
        doc = export_record(server, project)
        text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
        n = sum(len(r["passages"]) for r in doc["records"].values())
        if str(out) == "-":
            typer.echo(text, nl=False)
        else:
            try:
                out.write_text(text, encoding="utf-8")
            except OSError as err:
                raise InputError(
                    f"cannot write the held-back record to {out}: {err.strerror or err}.",
                    fix="pass --out a file in a folder that exists and that you can write "
                    "(or `-` for stdout).",
                ) from None
        echo(
            f"held-back record of {project!r}: {counted(len(doc['records']), 'file')}, "
            f"{n} passage(s)" + ("" if str(out) == "-" else f" -> {out}")
        )
        return
    assert merge is not None
    try:
        doc = json.loads(merge.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(
            f"cannot read {merge} as JSON: {err}.",
            fix="pass the file `annotate review held-back --out FILE` wrote.",
        ) from None
    theirs = doc.get("project") if isinstance(doc, dict) else None
    if theirs is not None and theirs != project:
        raise InputError(
            f"{merge} holds the record of review set {theirs!r}, not {project!r}.",
            fix=f"annotate review held-back --project {theirs!r} --merge {merge}",
        )
    from filelock import Timeout

    try:
        done = import_record(server, project, doc)
    except Timeout:
        raise InputError(
            f"this machine's held-back record of {project!r} stayed locked by another "
            "annotate (a push or a status writing it) for a minute; nothing was merged.",
            fix="wait for the push to finish, then merge again (merging twice adds nothing).",
        ) from None
    except OSError as err:
        raise InputError(
            f"cannot write this machine's held-back record ({err.filename or ''}): "
            f"{err.strerror or err}.",
            fix="make ANNOTATE_HOME (annotate's folder) writable, or set it to one that is; "
            "then merge again (merging twice adds nothing).",
        ) from None
    from annotate._util.urls import masked

    other = str(doc.get("server") or "")
    if other and other != masked(server).rstrip("/"):
        note(
            f"note: {merge} was written for the server {other}; merged into the record of "
            f"{masked(server)} (the one this machine talks to)",
            quiet,
        )
    echo(
        f"merged {done.passages} held-back passage(s) of {counted(done.files, 'file')} new "
        f"here into {done.path}; `annotate review status --project {project!r}` shows those "
        "no queue holds"
    )


# the help as typer shows it: a paragraph after the first keeps its line breaks there (rich
# markup), so each is one string, not a wrapped docstring paragraph
REASSIGN_HELP = (
    "Move one reviewer's open tasks into another's queue (never a passage they hold); the "
    "reviewer handed from is then away in the review set, unless --not-away.\n\n"
    "The reviewer handed from is marked away even when they have no open task left (all "
    "answered or skipped: a reviewer who finished before leaving); the command then says "
    "that nothing moved and that they are marked. The reviewer handed to is marked back "
    "only when tasks come to them. A run that stopped midway (copies made, originals not "
    "yet removed: `annotate review status` shows it) is finished by running it again."
)


@review_app.command("reassign", help=REASSIGN_HELP)
def review_reassign(
    project: ProjectOpt,
    source: Annotated[
        str,
        typer.Option(
            "--from",
            help="The reviewer whose open tasks move: e-mail, or pseudonym r-… of a "
            "removed account (`annotate review status` lists them).",
        ),
    ],
    target: Annotated[str, typer.Option("--to", help="E-mail of the reviewer who takes them.")],
    labels: LabelsOpt = None,
    discard_drafts: Annotated[
        bool,
        typer.Option(
            "--discard-drafts",
            help="Move open tasks holding a draft (an answer started, not submitted) too; "
            "their drafts are deleted (default: they stay with the reviewer).",
        ),
    ] = False,
    not_away: Annotated[
        bool,
        typer.Option(
            "--not-away",
            help="Do not mark the reviewer handed from away (a rebalance: they are still "
            "at work, so later pushes without --reviewer still give them passages); clears "
            "an earlier hand-over's away mark. Default: marked away, also when they have "
            "no open task left.",
        ),
    ] = False,
    allow_over_graphic_cap: Annotated[
        bool,
        typer.Option(
            "--allow-over-graphic-cap",
            help="Move the tasks even where the reviewer handed to would then hold more "
            "open graphic tasks than the set's cap (push --max-graphic-per-reviewer N, as "
            "pushed from this machine). Default: such a hand-over is refused before "
            "anything moves, naming the reviewer, their count and the cap.",
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """``annotate review reassign``: its help is ``REASSIGN_HELP``."""
    from annotate.corpus.salt import reviewer_salt
    from annotate.review.handover import reassign
    from annotate.studio.client import connect
    from annotate.taxonomy import load_taxonomy

    result = reassign(
        connect(),
        project,
        source,
        target,
        load_taxonomy(labels),
        salt=reviewer_salt(),
        discard_drafts=discard_drafts,
        not_away=not_away,
        allow_over_graphic_cap=allow_over_graphic_cap,
    )
    made = " (new queue)" if result.created_queue else ""
    where = f" -> {result.target_url}" if result.target_url else " (no queue made)"
    if result.nothing_open:
        kept = (
            f"{result.source_closed} answered or skipped, which stay theirs"
            if result.source_closed
            else "their queue is empty"
        )
        echo(
            f"nothing to hand on: {result.source.name} has no open task in {project!r} "
            f"({kept}); nothing moved to {result.target.name}{where}"
        )
    elif (
        not result.moved
        and result.gold_removed
        and not (result.already_held or result.with_draft or result.gold_kept)
    ):
        echo(
            f"nothing moved from {result.source.name} to {result.target.name}{where}: "
            f"only gold tasks were open in {project!r} (why below)"
        )
    elif not result.moved:
        # the target holds them, they hold a draft, or gold only was left (gold moves only
        # along with passages): the lines below say why each stays, and what to run
        echo(
            f"nothing moved from {result.source.name} to {result.target.name}{where}: "
            f"their open tasks in {project!r} stay with {result.source.name} (why below)"
        )
    else:
        echo(
            f"{len(result.moved):,} open task(s) ({result.gold_moved:,} gold) moved from "
            f"{result.source.name} to {result.target.name}{made}{where}"
        )
    echo(_away_line(result, project))
    if result.target_was_away:
        echo(
            f"{result.target.name} was marked away in {project!r} (since "
            f"{result.target_was_away}): no longer, as they take tasks (later pushes into it "
            "give them passages)"
        )
    if result.already_held:
        _already_held_line(result, project, not_away)
    if result.with_draft:
        echo(
            f"{len(result.with_draft)} left with {result.source.name}: they hold a draft, an "
            f"answer started and not submitted (e.g. {result.with_draft[0]!r}; moving deletes "
            "it). Ask them to submit it and run again, or pass --discard-drafts to move them"
        )
    if result.drafts_discarded:
        echo(f"{result.drafts_discarded} draft(s) deleted with the tasks moved (--discard-drafts)")
    if (
        result.graphic_cap is not None
        and result.target_open_graphic is not None
        and result.target_open_graphic > result.graphic_cap
    ):
        echo(
            f"warning: {result.target.name} now holds {result.target_open_graphic} open graphic "
            f"task(s) in {project!r}, above the cap of {result.graphic_cap} it was pushed with "
            f"(push --max-graphic-per-reviewer {result.graphic_cap}; moved as "
            "--allow-over-graphic-cap allows, or above it before this hand-over): tell them, "
            "or hand some on to a reviewer with room"
        )
    _gold_kept_lines(result)
    if result.gold_removed:
        back = (
            ""  # a removed account gets no passages again
            if result.source.email is None
            else "; a push that names them with --reviewer gives them gold again"
        )
        echo(
            f"{len(result.gold_removed)} open gold task(s) removed from {result.source.name}'s "
            "queue: gold moves only along with passages short of an answer, and they hold no "
            "open one now, so nobody would answer these (left open, they would keep the round "
            f"open: adjudicate refuses, every export says the review is under way){back}"
        )
    if result.answered_meanwhile:
        echo(
            f"{len(result.answered_meanwhile)} answered during the move: left with "
            f"{result.source.name}"
        )
    if result.answered_twice:
        note(
            f"note: {len(result.answered_twice)} passage(s) (e.g. {result.answered_twice[0]!r}) "
            f"were answered both by {result.source.name} and, in the copy an earlier, "
            f"interrupted run made, by {result.target.name}: both answers stay and count "
            "(one more than the review set's reviewers per passage; `annotate review status "
            f"--project {project!r}` says what that means)",
            quiet,
        )


def _gold_kept_lines(result: Handover) -> None:
    """`review reassign`'s lines on the open gold tasks left in the source queue, by why:
    the target holds the same gold passage, or no passage short of an answer moved."""
    held = set(result.gold_held)
    same = [pid for pid in result.gold_kept if pid in held]
    alone = [pid for pid in result.gold_kept if pid not in held]
    if same:
        echo(
            f"{len(same)} open gold task(s) left with {result.source.name}: "
            f"{result.target.name} holds the same gold passage(s) already (e.g. {same[0]!r}; "
            "every queue of a review set gets the same gold, and nobody answers a passage "
            "twice)"
        )
    if alone:
        echo(
            f"{len(alone)} open gold task(s) left with {result.source.name}: gold "
            "moves only along with passages short of an answer (no gold-only queue), "
            "nothing to hand on"
        )


def _already_held_line(result: Handover, project: str, not_away: bool) -> None:
    """`review reassign`'s line on the open passages the target holds already (they stay:
    nobody answers a passage twice), with the command that hands them to someone else."""
    n, src, dst = len(result.already_held), result.source, result.target.name
    them = "all of them" if not result.moved else "them"
    command = (
        f"annotate review reassign --project {project!r} --from {src.email or src.alias} "
        f"--to EMAIL{' --not-away' if not_away else ''}"
    )
    if result.free_reviewers:
        who = f" (holding none of them: {', '.join(result.free_reviewers)})"
    else:
        who = (
            " (every other reviewer not away holds some of them: add one first, annotate "
            "reviewers add EMAIL)"
        )
    drafted = len(set(result.already_held) & set(result.with_draft))
    also = f"; {drafted} of them hold a draft too (below)" if drafted else ""
    echo(
        f"{n} open passage(s) left with {src.name}: {dst} already holds {them} "
        f"(e.g. {result.already_held[0]!r}; nobody answers a passage twice{also}). Hand "
        f"them to a reviewer who holds none of them: {command}{who}"
    )


def _away_line(result: Handover, project: str) -> str:
    """Whether `review reassign` left the reviewer handed from away in the review set."""
    who = result.source.name
    if result.source.email is None:
        return (
            f"{who} is not marked away: the account was removed from the organization, so "
            "no push gives them passages anyway"
        )
    if result.marked_away and result.nothing_open:
        return (
            f"{who} is marked away in {project!r} all the same (a hand-over marks whom it "
            "hands from, open tasks or not): later pushes into it without --reviewer give "
            "them no passages. Still at work? Run it again with --not-away to clear the mark"
        )
    if result.marked_away:
        return (
            f"{who} is now marked away in {project!r}: later pushes into it without "
            "--reviewer give them no passages; name them with --reviewer (or hand them "
            "tasks with --to) to bring them back (--not-away hands over without marking)"
        )
    if result.away_cleared:
        return (
            f"{who} is no longer marked away in {project!r} (--not-away): later pushes into "
            "it without --reviewer give them passages again"
        )
    if result.source.away:
        return (
            f"{who} stays marked away in {project!r} (since {result.source.away}): later "
            "pushes into it without --reviewer give them no passages (--not-away clears it)"
        )
    return (
        f"{who} is not marked away (--not-away): later pushes into {project!r} without "
        "--reviewer still give them passages"
    )


def held_graphic_note(held: Mapping[str, int], max_graphic: int | None) -> str:
    """The push's note on the graphic passages ``--max-graphic-per-reviewer`` held back
    (``held``: passage id -> reviewer tasks not made for it). With a cap of 0 no queue ever
    has room, so answering some does not let a re-push queue them."""
    head = (
        f"note: {len(held)} graphic passage(s) held back "
        f"({sum(held.values())} reviewer task(s) not made) by "
        f"--max-graphic-per-reviewer {max_graphic}"
    )
    if not max_graphic:
        return (
            f"{head} (no queue takes a graphic passage): push the same pre-labels again "
            "with a cap above 0, or without the option, when reviewers may read them "
            "(nothing already queued is added twice)."
        )
    return (
        f"{head} (a queue holds at most {max_graphic} open graphic passage(s), the riskiest "
        "first): push the same pre-labels again once reviewers have answered some (nothing "
        "already queued is added twice)."
    )


def held_back_lines(server: str, project: str, queued: frozenset[str]) -> list[str]:
    """Review status's lines on the graphic passages a push held back from every queue
    of ``project`` on the Label Studio at ``server`` (``queued``: the passages the queues
    hold): how many, why, and the push that queues
    them (:mod:`annotate.review.held_back`; pushes made on this machine)."""
    import shlex

    from annotate.review.held_back import held_back

    lines = []
    for rec in held_back(server, project, queued):
        push = (
            f"annotate push {shlex.quote(rec.prelabels)} --project {shlex.quote(project)} "
            f"-k {rec.k}"
        )
        if rec.max_graphic == 0:
            why = "a cap of 0 queues none"
            release = (
                "to queue them when reviewers may read them, push the same pre-labels again "
                f"with a cap above 0 (or without it): {push} --max-graphic-per-reviewer N"
            )
        else:
            why = f"every queue held {rec.max_graphic} open graphic passage(s)"
            release = (
                "they are queued by the same push once reviewers have answered some: "
                f"{push} --max-graphic-per-reviewer {rec.max_graphic}"
            )
        moved = (
            ""
            if Path(rec.prelabels).is_file()
            else f". The pre-labels file is no longer at {rec.prelabels}: push it from where "
            "it is now (the passages are known by id)"
        )
        lines.append(
            f"{len(rec.passages)} graphic passage(s) in no queue: held back by push "
            f"--max-graphic-per-reviewer {rec.max_graphic} ({why}; e.g. "
            f"{rec.passages[0]!r}); {release} (with the same --reviewer options, if any; "
            f"nothing queued is added twice){moved}"
        )
    return lines


def pruned_line(pruned: Pruned) -> str:
    """Review status's note on the held-back entries it pruned (:func:`annotate.review.
    held_back.prune_held`)."""
    files = f", the record of {counted(len(pruned.files), 'file')} with it" if pruned.files else ""
    return (
        f"note: {pruned.entries} held-back record entr(ies) pruned: passages a queue holds now "
        f"(e.g. {pruned.passages[0]!r}), queued since by a push (of another file, or from "
        "another machine), or held back from some queues only (an older annotate recorded "
        f"those too){files}; record "
        f"{pruned.path}"
    )


def held_back_dicts(server: str, project: str, queued: frozenset[str]) -> list[dict[str, Any]]:
    """The held-back records :func:`held_back_lines` tells of, as the JSON status lists
    them (each file's passages that no queue holds)."""
    from annotate.review.held_back import held_back

    return [asdict(rec) for rec in held_back(server, project, queued)]


def short_of_k_line(counts: ShortOfK, *, deleted: bool = False) -> str:
    """Review status's line on the passages short of K answers: open or skipped tasks, and
    tasks never made (``--max-graphic-per-reviewer`` held them back, too few reviewers,
    or a push that stopped midway), which no reviewer can answer until the pre-labels are
    pushed again; ``deleted``: a queue of the set was deleted (:func:`gone_queues_line`),
    so that push needs ``--recreate-deleted`` (refused without it)."""
    line = (
        f"{counts.short:,} of {counts.passages:,} passage(s) have fewer than {counts.k} answer(s)"
    )
    queued = counts.short - counts.unqueued
    skipped = (
        f"; {counts.skipped} of them with no task open, as a reviewer skipped theirs: a "
        "skipped task keeps its reviewer's place, so no push or hand-over gives the passage "
        "another reviewer (to have it answered, delete the skipped task in Label Studio's "
        "Data Manager, which drops its skip from the export's counts, and push the same "
        "pre-labels again, with --reviewer naming who may take it: the reviewer who skipped "
        "it may be given it back)"
        if counts.skipped
        else ""
    )
    if not counts.unqueued:
        return f"{line} (their other reviewers' tasks are open or skipped{skipped})"
    why = (
        f"{counts.unqueued} in fewer than {counts.k} queues: held back by push "
        "--max-graphic-per-reviewer, pushed to fewer reviewers, or left so by a push that "
        "stopped midway (killed, the server gone); push the same pre-labels again to queue "
        "them"
    )
    if deleted:
        why = (
            f"{counts.unqueued} in fewer than {counts.k} queues: a reviewer queue was deleted "
            "in Label Studio (named below), or they were held back by push "
            "--max-graphic-per-reviewer, pushed to fewer reviewers, or left so by a push that "
            "stopped midway; push the same pre-labels again with --recreate-deleted to queue "
            "them (refused without it while a queue is deleted)"
        )
    if not queued:
        return f"{line} ({why})"
    return f"{line} ({queued} with other reviewers' tasks open or skipped{skipped}; {why})"


def gone_queues_line(gone: GoneQueues, project: str, k: int | None) -> str:
    """Review status's warning on the queues of ``project`` that a push from this machine
    made and that are gone from the server (:mod:`annotate.review.gone_queues`): which,
    whose, and the push that makes them again."""
    import shlex

    n = len(gone.projects)
    reviewers = f" -k {k}" if k is not None else ""
    files = gone.prelabels
    # the file pushes from here sent (the record's); a placeholder where none is recorded
    first = shlex.quote(files[0]) if files else "PRELABELS"
    more = ""
    if len(files) > 1:
        shown_files = ", ".join(shlex.quote(f) for f in files[1:6])
        rest = f" and {len(files) - 6} more (listed in the record)" if len(files) > 6 else ""
        more = (
            f", then push each other pre-labels file pushed into the set the same way: "
            f"{shown_files}{rest}"
        )
    return (
        f"warning: {counted(n, 'reviewer queue')} of {project!r} that a push from this "
        f"machine made {'is' if n == 1 else 'are'} no longer on the server: {gone.shown()} "
        "(deleted in Label Studio, renamed, or the server's data restored from an older "
        f"backup; recorded in {gone.record}). A deleted queue took its tasks and answers "
        "along; its passages are in fewer queues until it is made again, and a push into "
        "the set is refused until then. If it was deleted by mistake, restore Label "
        "Studio's data from a backup; else make it again with the same pre-labels (and "
        f"--reviewer options, if any): annotate push {first} --project "
        f"{shlex.quote(project)}{reviewers} --recreate-deleted{more}"
    )
