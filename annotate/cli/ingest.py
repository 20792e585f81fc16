"""`annotate ingest`: documents -> passages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annotate.cli.app import Bars, QuietOpt, app, between_zero_and_one, echo, note
from annotate.cli.app import counted as _count
from annotate.cli.audit import RedactOpt, redaction
from annotate.defaults import DEFAULT_MAX_CHARS, DEFAULT_MIN_CHARS, DEFAULT_NEAR_DUP_THRESHOLD

if TYPE_CHECKING:
    from annotate.ingestion import IngestStats


# what a user may take --redact to take as a value (it takes none): read as input paths
_REDACT_WORDS = {"email", "emails", "e-mail", "e-mails", "phone", "phones", "url", "urls"}
_REDACT_WORDS |= {"handle", "handles", "name", "names", "user_url", "user_urls", "all"}
_REDACT_WORDS |= {"home_user", "home_users", "path", "paths"}


def _refuse_redact_value(paths: list[Path]) -> None:
    """InputError when an input that does not exist is a word like ``email`` or
    ``emails,phones``: a value meant for ``--redact``, which takes none, read as a path
    (it said "email: no such file or folder. Fix: check the path")."""
    from annotate.errors import InputError

    for path in paths:
        words = {w.strip().lower() for w in str(path).split(",")}
        if not path.exists() and words and words <= _REDACT_WORDS:
            raise InputError(
                f"{str(path)!r} was read as an input path (no such file or folder): "
                "--redact takes no value; it masks every kind it knows, e-mails, phone "
                "numbers, user URLs and post links, @handles, the user names of home-folder "
                "paths, postal addresses and the person names its rules find (what it misses: "
                "docs/privacy.md#what-it-misses).",
                fix=f"leave {str(path)!r} out of the command (`--redact` alone).",
            )


def _near_dups_said(stats: IngestStats, drop: bool, *, this_run: bool) -> str:
    """The summary's part on near-duplicate groups whose first passage is this run's (a
    near-copy of an earlier run's passage, ``--previous``, is told by :func:`_previous_said`)."""
    said = f", {_count(stats.near_dup_groups, 'near-duplicate group')} across documents"
    said += " of this run" if this_run else ""
    if not stats.near_dup_groups:
        return said
    if drop:
        dropped = stats.near_duplicates_dropped - stats.near_copies_of_previous
        return said + f" ({_count(dropped, 'near-duplicate')} dropped)"
    # each group's first passage carries the group id too
    marked = stats.near_duplicates + stats.near_dup_groups - stats.near_copies_of_previous
    return said + f" ({_count(marked, 'passage')} marked in near_dup_group)"


def _previous_said(stats: IngestStats, files: int, near_dups: bool, drop: bool) -> str:
    """The summary's part on copies of the passages of the ``--previous`` files (counted
    as files: one file may hold several runs, an export's splits are files of one run)."""
    said = (
        f"; against the passages of {_count(files, '--previous file')}: "
        f"{_count(stats.duplicates_of_previous, 'exact copy', 'exact copies')} dropped"
    )
    if not near_dups:
        return said
    n = stats.near_copies_of_previous
    if drop:
        copies = "near-copy of an earlier run's passage" if n == 1 else "near-copies of them"
        return said + f", {n} {copies} dropped"
    copies = (
        "a near-copy of an earlier run's" if n == 1 else "near-copies of earlier runs' passages"
    )
    return said + (
        f", {_count(n, 'passage')} marked as {copies} (near_dup_group: the earlier passage's id)"
    )


@app.command("ingest")
def ingest_cli(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="txt/md files (vtt/srt subtitles, html/htm web pages too) or folders, "
            "JSONL/CSV/Parquet tables, HF dataset folders."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output passages (.parquet or .jsonl).")],
    text_column: Annotated[
        str,
        typer.Option(
            help="Text column of table inputs: one name for every table of this run "
            "(ingest tables whose text columns differ in separate runs, or rename).",
        ),
    ] = "text",
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            help="Field separator of CSV inputs: one character, e.g. ';' or '|', or 'tab' "
            "(every CSV and .tsv file of this run; default: ',' for .csv, tab for .tsv). "
            "A header that looks separated by another one is an error naming it.",
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            metavar="CODEC",
            help="Fallback encoding of legacy files, e.g. cp1252 or latin-1: each .txt/.md, "
            "CSV, TSV or JSONL file is still read as UTF-8 when it is UTF-8, and one that is "
            "not is read as CODEC (a byte CODEC leaves undefined is a bad file). Each file "
            "so read is listed in the run's ingest_run (decoded_files).",
        ),
    ] = None,
    id_column: Annotated[
        str | None,
        typer.Option(
            help="Column of table inputs with each row's own id, e.g. post_id (default: "
            "doc_id, id or document_id; without one, rows are named by their position)."
        ),
    ] = None,
    date_column: Annotated[
        str | None,
        typer.Option(
            help="Column of table inputs with each row's date, e.g. 'Posted (UTC)' (default: "
            "the first of date, published, posted_at, created_at, created_utc, timestamp, ... "
            "each table has; a column not taken stays in meta)."
        ),
    ] = None,
    parent_column: Annotated[
        str | None,
        typer.Option(
            help="Column of table inputs naming the comment each row replies to (its id), "
            "e.g. answers_to: reviewers see that comment above the reply (default: the "
            "first of parent_id, in_reply_to_id, reply_to_id, in_reply_to_status_id, ... "
            "each table has).",
        ),
    ] = None,
    day_first: Annotated[
        bool | None,
        typer.Option(
            "--day-first/--month-first",
            help="How dates written 03/04/2026 read: --day-first 3 April (a European "
            "export), --month-first 4 March. Default: as each date column tells (day first "
            "when a value such as 25/03/2026 has a day above 12 first; otherwise month "
            "first, warned of when no value tells).",
        ),
    ] = None,
    id_prefix: Annotated[
        str | None,
        typer.Option(
            help="Put before every document id of the run, e.g. discord: (row 1 becomes "
            "discord:1), so two sources' rows with the same id and text keep apart; text "
            "files of the run get it too. Give each source its own run and prefix, the "
            "same on every run of it (docs/ingest.md).",
        ),
    ] = None,
    max_chars: Annotated[
        int,
        typer.Option(
            min=50,
            help="Longest passage (characters). Given alone below the default "
            f"--min-chars ({DEFAULT_MIN_CHARS}), --min-chars is lowered to it.",
        ),
    ] = DEFAULT_MAX_CHARS,
    min_chars: Annotated[
        int,
        typer.Option(
            min=0,
            help="Shorter passages merge with the next (at most --max-chars; both given "
            "with --min-chars above --max-chars is an error). Merging can dilute a short "
            "harmful paragraph: for forum or chat posts saved as paragraphs use a lower "
            "value (e.g. 20; 0 never merges).",
        ),
    ] = DEFAULT_MIN_CHARS,
    turns: Annotated[
        bool,
        typer.Option(
            "--turns/--no-turns",
            help="Split a .txt/.md conversation (forum posts, chat log, transcript) at "
            "each speaker's turn; --no-turns splits it as prose. Table rows: one text "
            "either way (docs/ingest.md#conversations).",
        ),
    ] = True,
    keep_duplicates: Annotated[bool, typer.Option(help="Keep exact duplicate passages.")] = False,
    near_dup_threshold: Annotated[
        float,
        typer.Option(
            "--near-dup-threshold",
            callback=between_zero_and_one,
            help="Passages of different documents whose word 3-grams (character n-grams "
            "in Chinese, Japanese, Thai) overlap this much (Jaccard; MinHash LSH "
            "candidates, checked exactly) share a near_dup_group; export keeps a group in "
            "one split (above 0, below 1).",
        ),
    ] = DEFAULT_NEAR_DUP_THRESHOLD,
    near_dups: Annotated[
        bool,
        typer.Option(
            "--near-dups/--no-near-dups", help="Search for near-duplicates across documents."
        ),
    ] = True,
    drop_near_duplicates: Annotated[
        bool,
        typer.Option(
            "--drop-near-duplicates",
            help="Keep only the first passage of each near-duplicate group.",
        ),
    ] = False,
    previous: Annotated[
        list[Path] | None,
        typer.Option(
            "--previous",
            help="Passages file of an earlier ingest run (repeatable): exact copies of its "
            "passages are dropped, near-copies get its passage's id as near_dup_group "
            "(--drop-near-duplicates drops them), so a batch does not send reviewers "
            "what they already reviewed.",
        ),
    ] = None,
    allow_other_previous_settings: Annotated[
        bool,
        typer.Option(
            "--allow-other-previous-settings",
            help="Compare with --previous files ingested with other --max-chars, "
            "--min-chars, --no-turns, --id-prefix or masking settings (refused otherwise: the same "
            "document gives other "
            "passages, so only passages cut and masked alike are found).",
        ),
    ] = False,
    corpus: Annotated[
        str | None,
        typer.Option(
            "--corpus",
            metavar="NAME",
            help="A name for the corpus (e.g. forum-2026), recorded in every passage's "
            "ingest_run and shown in the export manifest and `annotate report`; "
            "--previous warns of an earlier file recorded under another name.",
        ),
    ] = None,
    license: Annotated[
        str | None,
        typer.Option(
            "--license",
            metavar="SPDX_OR_TEXT",
            help="The licence or terms the documents were obtained under (e.g. CC-BY-4.0, "
            "or 'vendor contract 2026-07'), recorded on every passage; a table's own "
            "license column wins for its rows (docs/ingest.md#licences).",
        ),
    ] = None,
    strict_license: Annotated[
        bool,
        typer.Option(
            "--strict-license",
            help="Refuse a licence (--license, or a table's license column) that is not an "
            "SPDX licence expression (e.g. CC-BY-4.0, MIT OR Apache-2.0, LicenseRef-NAME for "
            "contract terms), instead of recording it as given with a warning.",
        ),
    ] = False,
    skip_bad_files: Annotated[
        bool,
        typer.Option(
            "--skip-bad-files",
            help="Leave out the input files that cannot be read (not UTF-8, binary, "
            "empty, a table without the text column) and ingest the rest, each named with "
            "its fix and listed in ingest_run.skipped_files. Without it, one error names "
            "them all before any work.",
        ),
    ] = False,
    skip_bad_lines: Annotated[
        bool,
        typer.Option(
            "--skip-bad-lines",
            help="Skip the JSONL and CSV lines that are no row (not JSON, not an object, "
            "more fields than the header, unpaired quotes, a JSONL text that is a number), "
            "each written with its file, line number, reason and raw text to "
            "OUT.rejects.jsonl beside it. "
            "Without it, one such line refuses its file.",
        ),
    ] = False,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="Replace an existing --out (refused without it: a passages file a later "
            "--previous or `verify --sources` relies on is not replaced by mistake).",
        ),
    ] = False,
    quiet: QuietOpt = False,
    redact: RedactOpt = False,
) -> None:
    """Split documents into passages with stable IDs and character offsets."""
    from annotate.ingestion import ingest

    min_chars = _min_chars(ctx, min_chars, max_chars)
    if redact:
        _refuse_redact_value(paths)

    with Bars(quiet) as bars:
        stats = ingest(
            paths,
            out,
            text_column=text_column,
            id_column=id_column,
            date_column=date_column,
            parent_column=parent_column,
            day_first=day_first,
            skip_bad_lines=skip_bad_lines,
            id_prefix=id_prefix,
            delimiter=_delimiter(delimiter),
            max_chars=max_chars,
            min_chars=min_chars,
            dedupe=not keep_duplicates,
            progress=bars("ingest", unit="doc"),
            redact=redaction(redact),
            near_dup_threshold=near_dup_threshold if near_dups else None,
            drop_near_duplicates=drop_near_duplicates,
            previous=previous or (),
            allow_other_previous_settings=allow_other_previous_settings,
            corpus=corpus,
            license=license,
            strict_license=strict_license,
            skip_bad_files=skip_bad_files,
            encoding=encoding,
            turns=turns,
            overwrite=overwrite,
        )
    # copies of the --previous files' passages are told apart (_previous_said), not here too
    own = stats.duplicates - stats.duplicates_of_previous
    msg = (
        f"{_count(stats.documents, 'document')} -> {_count(stats.passages, 'passage')} in {out} "
        f"({_count(own, 'exact duplicate')}{' of this run' if previous else ''} removed"
        + (": -v names each, and the passage kept lists them in exact_copies" if own else "")
    )
    if stats.documents_only_copies:
        docs = _count(stats.documents_only_copies, "document")
        were = "was" if stats.documents_only_copies == 1 else "were"
        if previous:  # a copy of an earlier run's passage is in no row of this output
            msg += (
                f"; {docs} {were} all copies (no passage of its own: a copy of this run's "
                "passages named in the kept one's exact_copies, of the --previous files' in "
                "ingest_run.exact_copies_dropped)"
            )
        else:
            msg += f"; {docs} {were} all copies (no passage of its own, named in exact_copies)"
    if near_dups:
        msg += _near_dups_said(stats, drop_near_duplicates, this_run=bool(previous))
    if previous:
        msg += _previous_said(stats, len(previous), near_dups, drop_near_duplicates)
    if stats.empty_documents:
        msg += f", {_count(stats.empty_documents, 'empty document')} skipped"
    if stats.rows_without_text_field:
        rows = _count(stats.rows_without_text_field, "row")
        msg += f", {rows} without a {text_column!r} field skipped"
    if stats.rows_without_text:
        msg += " (the table rows without text are listed in ingest_run.rows_without_text)"
    if stats.bad_lines_skipped:
        lines = _count(stats.bad_lines_skipped, "bad line")
        if stats.bad_line_lines > stats.bad_lines_skipped:  # rows whose quotes ran over lines
            lines = f"{_count(stats.bad_lines_skipped, 'bad row')} ({stats.bad_line_lines:,} lines)"
        msg += f", {lines} skipped (--skip-bad-lines; written to {stats.rejects_file})"
    if stats.control_characters:
        msg += f", {_count(stats.control_characters, 'control character')} removed"
    if stats.long_sentences_cut:
        msg += f", {_count(stats.long_sentences_cut, 'sentence')} longer than a passage cut"
    if stats.documents_with_turns:
        docs = _count(stats.documents_with_turns, "document")
        msg += f", {docs} split at speaker turns (--no-turns splits them as prose)"
    if stats.bidi_controls.passages:
        held = _count(stats.bidi_controls.passages, "passage")
        msg += f", {held} with bidirectional override characters kept as written"
    if stats.skipped_files:
        msg += (
            f", {_count(len(stats.skipped_files), 'file')} of unsupported type skipped "
            "(listed in ingest_run.skipped_files)"
        )
    if stats.bad_files_skipped:
        msg += (
            f", {_count(len(stats.bad_files_skipped), 'bad file')} left out "
            "(--skip-bad-files; listed in ingest_run.skipped_files)"
        )
    if encoding is not None:
        msg += (
            f", {_count(len(stats.decoded_files), 'file')} not UTF-8 read as {encoding} "
            "(--encoding; listed in ingest_run.decoded_files)"
        )
    if stats.declared_pages:
        msg += (
            f", {_count(len(stats.declared_pages), 'web page')} not UTF-8 read as the charset "
            "each declares (listed in ingest_run.decoded_files)"
        )
    if stats.marked_files:
        msg += (
            f", {_count(len(stats.marked_files), 'file')} in UTF-16 or UTF-32 read as "
            "the byte-order mark says (listed in ingest_run.decoded_files)"
        )
    if redact:
        msg += (
            "; e-mails, phone numbers, user URLs, @handles, home-folder user names, postal "
            "addresses and the person names its rules find masked, other names not"
        )
    echo(msg + ")")
    if stats.rows_without_text_field:
        # not empty text: their text may be under another key (a merged export)
        echo(
            f"warning: {_count(stats.rows_without_text_field, 'JSONL row')} had no "
            f"{text_column!r} field and {'was' if stats.rows_without_text_field == 1 else 'were'} "
            f"left out (first: {stats.first_without_text_field}"
            f"{'; -v names each' if stats.rows_without_text_field > 1 else ''}). "
            "Fix: if their text is "
            f"under another name, ingest them in a run of their own with --text-column NAME "
            "(or rename the field); rows that hold no text can stay as they are."
        )
    if stats.bad_files_skipped:
        shown = ", ".join(stats.bad_files_skipped[:3])
        more = len(stats.bad_files_skipped) - 3
        echo(
            f"warning: {_count(len(stats.bad_files_skipped), 'input file')} left out, not "
            f"ingested: {shown}{f' and {more:,} more' if more > 0 else ''} (the warnings above "
            "name each with its fix). Fix: fix them, then run the same command again with "
            f"--previous {out} and a new --out: only their passages are written (or rewrite "
            f"{out} with the same command and --overwrite)"
        )
    if stats.prefixed_rows and stats.prefixed_files:
        note(
            f"note: --id-prefix {id_prefix!r} is one per run: it went before the ids of the "
            f"{_count(stats.prefixed_files, 'document')} of text files (e.g. "
            f"{stats.prefixed_file_example!r}) as well as the "
            f"{_count(stats.prefixed_rows, 'table row')}; to prefix only one source, ingest "
            "each in a run of its own, with its own prefix (docs/ingest.md).",
            quiet,
        )
    if stats.license_unknown:
        note(
            f"note: no licence recorded for {_count(stats.license_unknown, 'document')} of "
            f"{stats.documents:,} (export and the audit report show them as unknown). Fix: "
            "pass --license SPDX_OR_TEXT (e.g. --license CC-BY-4.0), or give tables a "
            "license column.",
            quiet,
        )
    if stats.license_normalised:
        note(normalised_note(stats.license_normalised), quiet)
    if stats.parent_columns:  # taken without --parent-column: say which (break13 #11)
        named = " and ".join(repr(c) for c in stats.parent_columns[:3])
        note(
            f"note: replies: column {named} taken as the comment each row replies to (push "
            "shows that comment above the reply); if it is not, pass --parent-column NAME.",
            quiet,
        )
    if stats.license_not_spdx:
        echo(not_spdx_warning(stats.license_not_spdx))
    if stats.passages == 0:
        # a batch with nothing new: prelabel refuses the empty table ("has no rows");
        # the result (an empty table): -q too
        why = (
            "every passage is a copy of an earlier run's (--previous)"
            if previous and stats.duplicates_of_previous
            else "every passage was dropped or empty"
        )
        echo(
            f"note: {out} holds no passage ({why}): there is nothing to pre-label or push "
            "from this run"
        )


def normalised_note(normalised: dict[tuple[str, str], int], shown: int = 3) -> str:
    """The note on licences recorded in their canonical SPDX form (``IngestStats.
    license_normalised``): the first few (as given -> as recorded, documents), then a count."""
    items = sorted(normalised.items(), key=lambda kv: (-kv[1], kv[0]))
    said = "; ".join(f"{a!r} -> {b!r} ({_count(n, 'document')})" for (a, b), n in items[:shown])
    more = f"; and {len(items) - shown} more" if len(items) > shown else ""
    return (
        f"note: licence recorded as its SPDX expression: {said}{more} (the license column "
        "holds the canonical form; the audit report lists it)"
    )


def not_spdx_warning(values: dict[str, int], shown: int = 3) -> str:
    """The warning on licences that are no SPDX expression, kept as given (``IngestStats.
    license_not_spdx``): the first few with their documents and the closest SPDX id, then
    a count, and the fix."""
    from annotate._util.spdx import SPDX_EXAMPLES, licence_hint

    items = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
    parts = []
    for value, n in items[:shown]:
        hint = licence_hint(value)
        parts.append(f"{value!r} ({_count(n, 'document')}" + (f"; {hint})" if hint else ")"))
    more = f", and {len(items) - shown} more" if len(items) > shown else ""
    docs = sum(values.values())
    return (
        f"warning: the licence of {_count(docs, 'document')} is not an SPDX licence "
        f"expression and was recorded as given: {', '.join(parts)}{more}. Fix: if it names "
        f"a licence, pass its SPDX id ({SPDX_EXAMPLES}); contract terms can stay as they "
        "are (the audit report marks them not SPDX); --strict-license makes this an error"
    )


def _delimiter(value: str | None) -> str | None:
    """--delimiter as typed -> the character: ``tab`` (any case) and ``\\t`` are a tab;
    None (not given) -> None: each file's own default (:func:`annotate.tables.csv_delimiter`)."""
    if value is None:
        return None
    return "\t" if value.lower() in ("tab", "\\t") else value


def _min_chars(ctx: typer.Context, min_chars: int, max_chars: int) -> int:
    """--min-chars to use: lowered to --max-chars when only --max-chars was given below
    the default minimum; InputError when both were given and min is above max."""
    if min_chars <= max_chars:
        return min_chars
    source = ctx.get_parameter_source("min_chars")
    if source is not None and source.name != "DEFAULT":
        from annotate.errors import InputError

        raise InputError(
            f"--min-chars {min_chars} is above --max-chars {max_chars}; a passage cannot be both.",
            fix=f"e.g. --min-chars {max_chars // 2} --max-chars {max_chars}, or drop --min-chars.",
        )
    return max_chars
