"""The exposure part of `annotate review status`: per reviewer, answers and graphic
passages since a time, as text lines or JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from annotate.cli.app import counted, echo
from annotate.cli.review.emails import emails_of

if TYPE_CHECKING:
    from annotate.review.contradictions import Contradictions
    from annotate.review.live_exposure import ReviewerExposure
    from annotate.studio.client import StudioClient


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


def print_exposure(
    client: StudioClient,
    project: str,
    names: dict[str, str],
    since: datetime,
    limit: int,
    labels_file: Path | None,
    top: int | None = None,
    removed: frozenset[str] = frozenset(),
    full: bool = False,
) -> None:
    """`review status`'s exposure: per pseudonym who answered since ``since``, answers,
    graphic passages and high-severity answers as exposure.json counts them, flagged above
    ``limit`` graphic passages on a day; ``names``: pseudonym -> how the queue lines name
    them (others: by e-mail when the server tells); ``top``: see :func:`exposure_lines`;
    ``removed``: pseudonyms of queues whose account was removed from the organization;
    ``full``: :func:`read_contradictions`' (``--full``)."""
    found = _read_exposure(client, project, since, limit, labels_file, names)
    read_contradictions(client, project, labels_file, full)
    mails = _unnamed_mails(client, found, names)
    for line in exposure_lines(found, names, mails, since, limit, top=top, removed=removed):
        (typer.echo if line.startswith("  ") else echo)(line)


def _unnamed_mails(
    client: StudioClient, found: list[ReviewerExposure], names: Mapping[str, str]
) -> dict[str, str | None]:
    """:func:`emails_of` the pseudonyms of ``found`` that no queue line names; one the
    server no longer lists whose removal this machine recorded maps to None, as a
    removed account the server lists does, so its line is marked removed too (it read
    as an unknown pseudonym: s56 left #4)."""
    from annotate.corpus.salt import reading_salt
    from annotate.review.removed_record import removed_emails

    unnamed = [r.reviewer for r in found if r.reviewer not in names]
    if not unnamed:
        return {}
    salt = reading_salt()  # the exposure's own: no salt file made, one salt per run
    mails = emails_of(unnamed, client, salt)
    unlisted = [p for p in unnamed if p not in mails]
    if unlisted:
        mails.update(dict.fromkeys(removed_emails(unlisted, salt)))
    return mails


def exposure_json(
    client: StudioClient,
    project: str,
    names: Mapping[str, str],
    since: datetime,
    limit: int,
    labels_file: Path | None,
    full: bool = False,
) -> dict[str, Any]:
    """`review status --json`'s exposure, each reviewer named as the text lines name them,
    and the project's open contradictions (:func:`read_contradictions`; their warnings go
    to stderr as without --json)."""
    found = _read_exposure(client, project, since, limit, labels_file, names)
    contradictions = read_contradictions(client, project, labels_file, full)
    # read with them, said apart: no contradiction (None: the answers could not be read)
    written = contradictions.pop("answers_written_by_another_account", None)
    shown = exposure_names(found, names, _unnamed_mails(client, found, names))
    return {
        **_exposure_dict(found, since, limit, shown),
        "contradictions": contradictions,
        "answers_written_by_another_account": written,
    }


def read_contradictions(
    client: StudioClient, project: str, labels_file: Path | None, full: bool = False
) -> dict[str, Any]:
    """Every open contradiction of ``project``, whenever answered (not only since
    --since: see :mod:`annotate.review.contradictions`): its warnings echoed, and returned
    as `review status --json`'s ``contradictions``: per kind (``harmful_severity_none``,
    ``severity_without_harm``, ``unreadable``: answered tasks skipped as the labels.yaml
    cannot read them) ``total`` and ``named`` (task ids and pseudonyms, never text),
    ``unreadable_why`` (the first skipped task's reason), ``tasks_read`` (by this run),
    ``answered_tasks`` (all the listing covers, read now or remembered),
    ``full_read`` (false: only the answered tasks changed since the last run were read, the
    others' contradictions remembered in the work folder,
    :mod:`annotate.review.contradiction_memory`; ``full``: read them all), and ``error``
    (why none could be listed; else null). The answers of the same read last written by
    another account than the one credited are warned of too (:func:`written_by_line`) and
    returned as ``answers_written_by_another_account`` (:func:`written_by_dict`), which
    :func:`exposure_json` puts beside the contradictions."""
    from annotate.corpus.salt import reading_salt
    from annotate.errors import AnnotateError, StudioUnavailableError
    from annotate.review.contradiction_memory import memory_path
    from annotate.review.contradictions import open_contradictions
    from annotate.taxonomy import as_taxonomy

    try:
        found = open_contradictions(
            client,
            project,
            as_taxonomy(labels_file),
            salt=reading_salt(),  # a reading command makes no salt
            memory=memory_path(client.url, project),
            full=full,
        )
    except StudioUnavailableError:
        raise  # the server gone: nothing else is right either
    except AnnotateError as err:
        echo(
            "warning: the answers whose severity contradicts their categories could not be "
            f"listed: {err}"
        )
        return {"error": str(err)}
    for line in contradiction_status_lines(found):
        echo(line)
    if said := written_by_line(found, project):
        echo(said)
    return {
        "answers_written_by_another_account": written_by_dict(found),
        "harmful_severity_none": asdict(found.harmful_severity_none),
        "severity_without_harm": asdict(found.severity_without_harm),
        "unreadable": asdict(found.unreadable),
        "unreadable_why": found.unreadable_why or None,
        "tasks_read": found.tasks,
        "answered_tasks": found.answered,
        "full_read": found.full_read,
        "error": None,
    }


def _read_exposure(
    client: StudioClient,
    project: str,
    since: datetime,
    limit: int,
    labels_file: Path | None,
    names: Mapping[str, str],
) -> list[ReviewerExposure]:
    """Each pseudonym's exposure in ``project`` since ``since``, read live; the daily
    limit checked over every project of the server (a reviewer's day across review sets).
    Listed without an answer here, with their day elsewhere: the queue owners of a review
    set (``names``' pseudonyms), or, for a plain or numbered project (``names`` empty),
    anyone above the limit elsewhere."""
    from annotate.corpus.salt import reading_salt
    from annotate.review.live_exposure import live_exposure, server_projects
    from annotate.taxonomy import as_taxonomy

    tax = as_taxonomy(labels_file)
    unread: list[str] = []
    salt = reading_salt()  # a reading command makes no salt
    found = live_exposure(
        client,
        project,
        tax,
        salt=salt,
        since=since,
        limit=limit,
        across=server_projects(client),
        unread=unread,
        owners=list(names) or None,
    )
    if unread:
        named = ", ".join(map(repr, unread[:3])) + (", ..." if len(unread) > 3 else "")
        echo(
            "warning: the daily graphic limit counts every project of the server, but "
            f"{len(unread)} could not be read and are left out of it ({named}): `annotate "
            "review status --project NAME` on one says why."
        )
    return found


def written_by_dict(found: Contradictions) -> dict[str, Any]:
    """`review status --json`'s ``answers_written_by_another_account``: the reviewer
    answers (``answers``) and lead answers (``lead_answers``) of the project last written by
    another account than the one credited, whenever made; ``by_writer`` and
    ``by_reviewer`` (pseudonym -> answers), ``named`` (the first ten of each, ``task ID
    (r-…)``, ``passage ID (lead r-…)``)."""
    return {
        "answers": found.written_by_other.total,
        "lead_answers": found.lead_written_by_other.total,
        "by_writer": dict(sorted(found.written_by.items())),
        "by_reviewer": dict(sorted(found.written_for.items())),
        "named": found.written_by_other.named + found.lead_written_by_other.named,
    }


def written_by_line(found: Contradictions, project: str) -> str | None:
    """`review status`'s warning on the answers of ``project`` last written by another
    account than the one credited (Label Studio's ``updated_by``), as export warns of them
    (its ``written_by``): they count as the reviewer's answers here and in export and vote,
    but the agreement figures leave them out; None when there are none."""
    mine, lead = found.written_by_other, found.lead_written_by_other
    n = mine.total + lead.total
    if not n:
        return None
    one = n == 1
    parts = [f"{counted(mine.total, 'answer')}"] if mine.total else []
    if lead.total:
        parts.append(f"{counted(lead.total, 'lead answer')} in adjudication")
    by = ", ".join(f"{who}: {k}" for who, k in sorted(found.written_by.items()))
    first = (mine.named or lead.named)[0]
    it, they = ("it", "it") if one else ("them", "they")
    votes = "it votes" if one else "they vote"
    whose = "that reviewer's answer" if one else "their reviewers' answers"
    credited = "the reviewer it is" if one else "the one each is"
    counts = (
        f"{they.capitalize()} {'is' if one else 'are'} counted as {whose} here and in "
        f"export, where {votes}, but the agreement figures leave {it} out (`annotate "
        "agreement`, export's agreement.json answers_written_by_another_account: not the "
        "reviewer's own judgement) and "
        if mine.total
        else f"Export reads {it} as the lead's decision, but "
    )
    return (
        f"warning: {' and '.join(parts)} in {project!r} {'was' if one else 'were'} last "
        f"written by another account than {credited} credited to ({by}; e.g. {first}, "
        f"written by {found.first_writer}): changed by that account in Label Studio, or "
        f"made through the API in the reviewer's name. {counts}"
        "export states the review not blind (manifest.json "
        "review.answers_written_by_another_account; `export --strict` fails on "
        f"{it}). Fix: have the reviewer answer {it} again from their own login (their "
        f"latest answer counts), or delete {it} in Label Studio"
    )


def contradiction_status_lines(found: Contradictions) -> list[str]:
    """`review status`'s warnings on the project's answers whose severity contradicts their
    categories (:func:`annotate.review.contradictions.open_contradictions`: all of them,
    whenever answered), one per kind: a harmful category with severity `none`, a harmful
    severity with no harmful category; by task id and pseudonym (the first few), never by
    text, so the lead can ask their reviewers to correct them."""
    lines = []
    for kind, what, fix in (
        (
            found.harmful_severity_none,
            "chose a harmful category with severity `none` (labels.yaml: no harmful content)",
            "ask their reviewers to choose the severity in Label Studio (open the task, "
            "choose a severity, update)",
        ),
        (
            found.severity_without_harm,
            "chose a harmful severity (`low` or above) with no harmful category (only `none` "
            "or context labels such as `news_reporting`)",
            "ask their reviewers to choose the harmful category, or severity `none`, in "
            "Label Studio (open the task, correct it, update)",
        ),
    ):
        if not kind.total:
            continue
        more = kind.total - len(kind.named)
        named = ", ".join(kind.named) + (f" and {more} more" if more > 0 else "")
        lines.append(
            f"warning: {kind.total} answer(s) of this project (all of them, whenever "
            f"answered) {what}: {named}. agreement and export read them as no severity "
            f"given. Fix: {fix}"
        )
    bad = found.unreadable
    if bad.total:
        more = bad.total - len(bad.named)
        named = ", ".join(bad.named) + (f" and {more} more" if more > 0 else "")
        lines.append(
            f"warning: {bad.total} answered task(s) of this project could not be read with "
            f"this labels.yaml and were left out of the contradictions above ({named}); "
            f"the first: {found.unreadable_why}"
        )
    return lines


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
        elsewhere = r.everywhere.get("answers", r.answers) > r.answers
        also = (
            f"; over all projects: {r.everywhere['answers']} answered, "
            f"{r.everywhere['graphic']} graphic, {r.everywhere['high_severity']} high severity"
            if elsewhere
            else ""
        )
        over = (
            "  OVER LIMIT: " + ", ".join(f"{n} graphic on {d}" for d, n in sorted(r.over.items()))
            if r.over
            else ""
        )
        mark = " [account removed]" if r.reviewer in gone else ""
        lines.append(
            f"  {shown(r)}{mark}: {r.answers} answered{lead}, {r.graphic} graphic, "
            f"{r.high_severity} high severity{also}{over}"
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
            f"(a UTC day, over every project of the server) ({', '.join(flagged)}): "
            "consider a break or non-graphic work; `annotate push "
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
