"""`annotate review held-back`: the record of the passages a push held back, carried
between machines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from annotate.cli.app import QuietOpt, counted, echo, note
from annotate.cli.review.groups import ProjectOpt, review_app


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
