"""`annotate verify` and `annotate report`: check and explain an exported corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotate.cli.app import app, echo

CorpusArg = Annotated[
    Path, typer.Argument(help="Directory written by `annotate export` (has manifest.json).")
]


@app.command("verify")
def verify_cli(corpus: CorpusArg) -> None:
    """Recompute every checksum and row count in the corpus's manifest; fail on a mismatch."""
    from annotate.audit.verify import verify

    result = verify(corpus)
    rows = ", ".join(f"{k} {v}" for k, v in result.rows.items())
    echo(f"verified {corpus}: {result.files} files match manifest.json ({rows} rows)")
