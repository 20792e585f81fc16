"""`annotate pseudonym`: a pseudonymous id of an `export --redact` folder to its ingest
id, and back (the exporter's key or map, :mod:`annotate.audit.pseudonym_lookup`)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from annotate.cli.app import QuietOpt, app, echo


@app.command("pseudonym")
def pseudonym_cli(
    id_: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A pseudonym of a redacted export (pp_… a passage, pd_… a document), or an "
            "ingest passage or document id to find its pseudonym.",
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
        export_fingerprint,
        lookup,
        read_key,
        read_map,
        refuse_reviewer_pseudonym,
    )

    refuse_reviewer_pseudonym(id_)  # before the map: its absence is not what is wrong
    if passages is not None and id_key is None:
        raise typer.BadParameter(
            "--passages needs --id-key: the table's ids are pseudonymised with the key",
            param_hint="--passages",
        )
    if id_map is None and (default_map_path().is_file() or (id_key is None and passages is None)):
        id_map = default_map_path()  # the exporter's own (an error when neither is given)
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
    if as_json:
        echo(json.dumps([asdict(f) for f in found], ensure_ascii=False, indent=2))
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
