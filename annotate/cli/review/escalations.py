"""`annotate escalations`: high and critical answers not yet escalated, listed or sent to a
webhook."""

from __future__ import annotations

from typing import Annotated

import typer

from annotate.cli.app import LabelsOpt, QuietOpt, app, counted, echo
from annotate.cli.review.emails import lead_names
from annotate.cli.review.groups import ProjectOpt
from annotate.review.named import with_email


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
    from annotate.corpus.rows import HARMFUL_SEVERITY_NONE, SEVERITY_WITHOUT_HARM
    from annotate.corpus.salt import reading_salt, reviewer_salt
    from annotate.review.escalations import (
        check_webhook,
        contradiction_said,
        deliver,
        lead_decided,
        parse_since,
        pending,
    )
    from annotate.studio.client import connect
    from annotate.taxonomy import load_taxonomy

    if since:
        parse_since(since)  # a date it cannot read fails before the server is asked
    if webhook:
        check_webhook(webhook)  # so does a webhook that is not a URL
    client = connect()
    # one for the answers and the e-mails beside them; only a delivery writes pseudonyms
    # where they last (the POSTed escalations, the record of what was delivered), so a
    # listing makes no salt (as `review status`)
    salt = reviewer_salt() if webhook else reading_salt()
    found = pending(client, project, load_taxonomy(labels), salt=salt, since=since)
    # the lead at this terminal follows an escalation up with whoever raised it
    emails = lead_names(sorted({esc.reviewer for esc in found}), client, salt) if found else {}
    for esc in found:
        who = with_email(esc.reviewer, emails)
        who = who if esc.role == "reviewer" else f"{who} (lead)"
        line = f"{esc.severity}\t{esc.passage}\tdoc {esc.doc_id}\t{who}\t{esc.answered_at}"
        if esc.also_in_count:  # the same text posted elsewhere, dropped there by ingest
            more = esc.also_in_count - len(esc.also_in)
            line += f"\talso posted in {esc.also_in_count}: " + ", ".join(
                [*(f"doc {d}" for d in esc.also_in), *([f"{more} more"] if more else [])]
            )
        if esc.lead_decision is not None:  # a passage the lead has decided
            line += f"\t{lead_decided(esc.lead_decision)}"
        if contradicts := contradiction_said(esc.contradiction):  # read as none by export
            line += f"\t{contradicts}"
        typer.echo(line)
    decided = sum(esc.lead_decision is not None for esc in found)
    echo(
        f"{len(found)} escalation(s) not yet delivered"
        + (
            f" ({decided} on passages the lead has decided in the adjudication project: "
            "marked `lead decided: SEVERITY (CATEGORIES)`)"
            if decided
            else ""
        )
    )
    if harm_none := sum(esc.contradiction == HARMFUL_SEVERITY_NONE for esc in found):
        echo(
            f"warning: {harm_none} of them chose a harmful category with severity `none` "
            "(no harmful content), marked `harmful category with severity none: export "
            "reads no severity`: a contradiction export, agreement and review status read "
            "as no severity given; listed all the same, at `none`, as nobody gave its "
            "level. Fix: have them choose the severity in Label Studio (open the task, "
            "choose a severity, update); a corrected answer below `high` is no longer listed"
        )
    if contradicted := sum(esc.contradiction == SEVERITY_WITHOUT_HARM for esc in found):
        echo(
            f"warning: {contradicted} of them chose a harmful severity with no harmful "
            "category (only `none` or context labels such as `news_reporting`), marked `no "
            "harmful category: export reads no severity`: a contradiction export, agreement "
            "and review status read as no severity given; listed all the same, as the "
            "severity was chosen. Fix: have them choose the harmful category, or severity "
            "`none`, in Label Studio (open the task, correct it, update); a corrected "
            "answer at `none` or `low` is no longer listed"
        )
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
