"""`annotate verify` and `annotate report`: check and explain an exported corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotate.audit.redact import RedactionSettings
from annotate.cli.app import Bars, QuietOpt, app, echo

RedactOpt = Annotated[
    bool,
    typer.Option(
        "--redact",
        help="Mask e-mails, phone numbers, user URLs and @handles with typed placeholders "
        "(offsets and spans move with the text). Person names are not masked.",
    ),
]


def redaction(on: bool) -> RedactionSettings | None:
    """The default redaction settings when ``--redact`` is given."""
    return RedactionSettings() if on else None


CorpusArg = Annotated[
    Path, typer.Argument(help="Directory written by `annotate export` (has manifest.json).")
]


@app.command("verify")
def verify_cli(
    corpus: CorpusArg,
    manifest_sha256: Annotated[
        str | None,
        typer.Option(
            "--manifest-sha256",
            help="SHA-256 of manifest.json recorded at export (export prints it); a "
            "manifest rewritten since fails.",
        ),
    ] = None,
) -> None:
    """Recompute every checksum and row count in the corpus's manifest; fail on a mismatch."""
    from annotate.audit.verify import verify

    result = verify(corpus, manifest_sha256=manifest_sha256)
    rows = ", ".join(f"{k} {v}" for k, v in result.rows.items())
    echo(f"verified {corpus}: {result.files} files match manifest.json ({rows} rows)")
    if manifest_sha256 is not None:
        echo(f"manifest.json SHA-256 {result.manifest_sha256} is the one recorded")
    else:
        echo(
            f"manifest.json SHA-256 {result.manifest_sha256}: compare it with the one recorded "
            "at export (or pass it as --manifest-sha256)"
        )
    if (corpus / "report").is_dir():
        echo(
            f"note: {corpus / 'report'} is derived and not covered by the checksums: read the "
            f"one `annotate report {corpus} --out DIR` writes from the verified files"
        )
    if not result.self_digest:
        echo(
            "note: this manifest records no digest of its own content (an export made before "
            "manifests had one): edits to it are found only with --manifest-sha256"
        )


@app.command("report")
def report_cli(
    corpus: CorpusArg,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Report directory (default: CORPUS/report; replaced)."),
    ] = None,
    quiet: QuietOpt = False,
) -> None:
    """Write the audit report (Markdown, HTML, PNG figures, JSON numbers) of an exported
    corpus; exits non-zero when the corpus does not match its manifest (report written)."""
    from annotate.audit.report import REPORT_STEPS, write_report

    with Bars(quiet) as bars:
        result = write_report(
            corpus,
            out or corpus / "report",
            progress=bars("report", unit="step", total=REPORT_STEPS),
        )
    checksums = result.numbers["checksums"]
    state = "verified" if checksums["verified"] else "DOES NOT match its manifest"
    echo(
        f"wrote {result.html} and {result.markdown} ({len(result.figures)} figures); corpus {state}"
    )
    if not checksums["verified"]:  # the report is written (it says so); a gate must fail
        from annotate.audit.verify import VerifyError

        found = checksums["mismatches"]
        raise VerifyError(
            f"{corpus} does not match its manifest ({len(found)} mismatch(es), e.g. "
            f"{found[0] if found else 'unknown'}); the report was written and records it.",
            fix=f"re-export the corpus, or find out who changed it (`annotate verify {corpus}` "
            "lists every mismatch).",
        )
