"""`annotate pseudonym`: a pseudonymous id of an `export --redact` folder to its ingest
id, and back (the exporter's key or map, :mod:`annotate.audit.pseudonym_lookup`)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from annotate.cli.app import QuietOpt, app, echo, note


@app.command("pseudonym")
def pseudonym_cli(
    id_: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A pseudonym of a redacted export (pp_… a passage, pd_… a document), or an "
            "ingest passage or document id to find its pseudonym; or a reviewer's (r-…) "
            "whose account `annotate reviewers remove` removed from this machine.",
        ),
    ],
    id_key: Annotated[
        Path | None,
        typer.Option(
            "--id-key",
            dir_okay=False,
            help="The key the export was made with (export's --id-key): recomputes a "
            "pseudonym from an ingest id.",
        ),
    ] = None,
    id_map: Annotated[
        Path | None,
        typer.Option(
            "--id-map",
            dir_okay=False,
            help="The map export --redact wrote (default $ANNOTATE_HOME/passage_pseudonyms"
            ".jsonl, when it exists or neither --id-key nor --passages is given).",
        ),
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus",
            file_okay=False,
            help="The export the id was read in: its manifest's key fingerprint picks the "
            "map's entries and checks --id-key.",
        ),
    ] = None,
    passages: Annotated[
        Path | None,
        typer.Option(
            "--passages",
            dir_okay=False,
            help="An ingest or prelabel table (with --id-key): its ids are pseudonymised "
            "to find the passage, whose text is shown.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the matches as JSON.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Look up a pseudonymous passage or document id of an `export --redact` folder (or the
    pseudonym of an ingest id) with the exporter's key or map."""
    from annotate.audit.passage_pseudonyms import default_map_path
    from annotate.audit.pseudonym_lookup import (
        UNUSED_NOTE,
        as_pseudonym,
        export_fingerprint,
        export_ids,
        is_pseudonym,
        lookup,
        not_a_pseudonym,
        not_in_export,
        read_key,
        read_map,
        refuse_reviewer_pseudonym,
        used_in_export,
    )
    from annotate.errors import InputError

    id_ = as_pseudonym(id_)
    if _removed_reviewer(id_, as_json):  # a removed reviewer this machine recorded
        return
    try:
        refuse_reviewer_pseudonym(id_)  # before the map: its absence is not what is wrong
    except InputError as err:
        raise InputError(f"{err.what} {_not_recorded()}", fix=err.fix) from None
    if passages is not None and id_key is None:
        raise typer.BadParameter(
            "--passages needs --id-key: the table's ids are pseudonymised with the key",
            param_hint="--passages",
        )
    if id_map is None and (default_map_path().is_file() or (id_key is None and passages is None)):
        id_map = default_map_path()  # the exporter's own (an error when neither is given)
    problem = not_a_pseudonym(id_)
    if problem is not None and id_key is None and id_map is not None and not id_map.is_file():
        # no map to find an ingest id in: what the input is comes first (stop 48 F5)
        raise InputError(problem[0], fix=problem[1])
    key = read_key(id_key) if id_key is not None else None
    entries = read_map(id_map) if id_map is not None else None
    rows = None
    if passages is not None:
        from annotate.tables import iter_rows

        rows = list(iter_rows(passages))
    found = lookup(
        id_,
        key=key,
        map_entries=entries,
        corpus_fingerprint=export_fingerprint(corpus) if corpus is not None else None,
        passages=rows,
    )
    said = ""
    if key is not None and not is_pseudonym(id_) and all(f.source is None for f in found):
        # computed with the key: whether the export uses the pseudonym (stop 48 F6)
        said = UNUSED_NOTE
        if corpus is not None:
            found, said = used_in_export(found, id_, export_ids(corpus))
    elsewhere = (
        not_in_export(id_, found, export_ids(corpus), corpus)
        if corpus is not None and is_pseudonym(id_)
        else None
    )
    if as_json:
        echo(json.dumps([asdict(f) for f in found], ensure_ascii=False, indent=2))
        if elsewhere:
            echo(f"warning: {elsewhere}")
        if said:
            note(f"note: {said}", quiet)
        return
    for f in found:
        if f.kind == "document":
            line = f"{f.pseudonym}  document {f.doc_id}"
        else:
            line = f"{f.pseudonym}  passage {f.passage_id}"
            line += f" of document {f.doc_id}" if f.doc_id is not None else ""
        line += f" (project {f.project!r})" if f.project else ""
        line += f" [key {f.key_fingerprint}]" if f.key_fingerprint else ""
        echo(line)
        if f.text is not None:
            echo(f"  text: {f.text}")
    if elsewhere:
        echo(f"warning: {elsewhere}")
    if said:
        note(f"note: {said}", quiet)


def _entries(n: int) -> str:
    return f"{n} entr{'y' if n == 1 else 'ies'}"


def _not_recorded() -> str:
    """What this machine's record of removals says of a reviewer pseudonym not in it."""
    from annotate.review.removed_record import record_path, removed_reviewers

    path = record_path()
    if not path.is_file():
        return f"This machine records no removal ({path} does not exist)."
    return (
        f"It is not in this machine's record of removals ({path}: "
        f"{_entries(len(removed_reviewers()))})."
    )


_PENDING = "removal asked, not confirmed by the server,"


def _removed_reviewer(id_: str, as_json: bool) -> bool:
    """Print who the reviewer pseudonym ``id_`` was, when this machine recorded its
    account's removal (:mod:`annotate.review.removed_record`); whether it did."""
    from annotate.audit.pseudonym_lookup import REVIEWER_PSEUDONYM
    from annotate.cli.review.reviewers import known_salt
    from annotate.review.removed_record import record_path, who_was

    if not REVIEWER_PSEUDONYM.fullmatch(id_.strip().lower()):
        return False
    found = who_was(id_, salt=known_salt())
    if not found:
        return False
    if as_json:
        echo(json.dumps([asdict(e) for e in found], ensure_ascii=False, indent=2))
        return True
    for e in found:
        echo(
            f"{id_.strip().lower()}  reviewer {e.email} (account {e.user_id} on {e.server}, "
            f"{'removed from the organization' if e.confirmed else _PENDING} "
            f"{e.removed_at}; this machine's record "
            f"{record_path()})"
        )
    return True
