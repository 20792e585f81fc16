"""`annotate verify` and `annotate report`: check and explain an exported corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from annotate._util.shell import sh
from annotate.audit.redact import RedactionSettings
from annotate.cli.app import BadValue, Bars, QuietOpt, app, counted, echo, note

if TYPE_CHECKING:
    from annotate.audit.model_verify import FileCheck
    from annotate.audit.verify import VerifyResult

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


_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256_hex(value: str | None) -> str | None:
    """``--manifest-sha256``'s callback: the 64 hex digits (case and a ``sha256:`` prefix
    aside). A shortened or mistyped digest was compared as it was and reported as "the
    manifest was replaced", telling an auditor that an intact corpus had been tampered
    with; it is a value the option cannot take (exit 2)."""
    if value is None:
        return None
    digest = value.strip().lower().removeprefix("sha256:")
    if not _SHA256.fullmatch(digest):
        raise BadValue(
            f"{value.strip()!r} is not a SHA-256 ({len(digest)} characters): expected the 64 "
            "hexadecimal digits `annotate export` printed for manifest.json",
            param_hint="'--manifest-sha256'",
            fix="pass all 64 digits of the `manifest.json SHA-256 ...` line `annotate export` "
            "printed (kept outside the folder); `annotate verify CORPUS` without the option "
            "prints the manifest's current one, to compare with it.",
        )
    return digest


CorpusArg = Annotated[
    Path, typer.Argument(help="Directory written by `annotate export` (has manifest.json).")
]
VerifiedArg = Annotated[
    Path,
    typer.Argument(
        help="Directory written by `annotate export` (has manifest.json), or a model "
        "folder written by `annotate train` (has annotate_model.json).",
        metavar="CORPUS_OR_MODEL",
    ),
]


@app.command("verify")
def verify_cli(
    corpus: VerifiedArg,
    manifest_sha256: Annotated[
        str | None,
        typer.Option(
            "--manifest-sha256",
            callback=sha256_hex,
            help="SHA-256 of manifest.json recorded at export (export prints it); a "
            "manifest rewritten since fails.",
        ),
    ] = None,
    same_as: Annotated[
        Path | None,
        typer.Option(
            "--same-as",
            help="Another export (e.g. an earlier one) to compare with: fails unless both "
            "verify and hold the same rows, review reports (agreement.json, ...) and "
            "report/ numbers (their export time left out).",
        ),
    ] = None,
    data_root: Annotated[
        Path | None,
        typer.Option(
            "--data-root",
            exists=True,
            file_okay=False,
            help="A model: a folder holding its training data, looked in first (as the "
            "checkout, and by the recorded path's last folders: DIR/implicit-hate/x.tsv; "
            "an export: DIR itself or DIR/corpus). Fails when none of the data is found.",
        ),
    ] = None,
    sources: Annotated[
        list[Path] | None,
        typer.Option(
            "--sources",
            help="An export: the folder holding a path `annotate ingest` was given (its "
            "parent: `ingest ../corpus` -> the parent of corpus; the manifest's "
            "ingest_runs[].input_paths names it); re-read each "
            "source document the rows name (input_file, input_row), compare its SHA-256 "
            "with document_sha256 and each passage with its text at start/end. Fails on a "
            "changed document, and when no document could be checked (all missing or not "
            "comparable, a --redact export's); --strict: also on any missing or unchecked "
            "one. Repeatable "
            "(files ingested from several folders): each file is read from the first DIR "
            "holding it.",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="A model: fail when a training data file or the encoder is not found too, "
            "or when the model records no digest of its training record (built before it); "
            "without it, a model none of whose training data is found passes (exit 0) with "
            "a warning that its data was not verified. "
            "With --sources: fail when a source document is missing or cannot be checked.",
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Recompute every checksum and row count in the corpus's manifest; fail on a mismatch.
    With --same-as, also say whether two exports hold the same data. For a model folder:
    check its version against its model card, re-hash the training data files it records
    and compare its encoder with the installed one."""
    from annotate.audit.verify import read_manifest, verify
    from annotate.classifier.model_files import is_model_dir
    from annotate.settings import DEFAULT_MODEL, default_model_dir

    if not corpus.exists() and corpus in (Path("default"), DEFAULT_MODEL):
        # as `prelabel --model` reads it: the shipped model, from a folder without one
        corpus = default_model_dir()
    # model_verify (imported only for a model) imports the training package, torch with it:
    # every export's verify paid that (12 s at load ~10), its errors too (newuser63 #14)
    if is_model_dir(corpus) and not (corpus / "manifest.json").is_file():
        if manifest_sha256 is not None or same_as is not None or sources is not None:
            raise typer.BadParameter(
                f"{corpus} is a model folder: --manifest-sha256, --same-as and --sources "
                "check an export; leave them out"
            )
        _verify_model(corpus, data_root, strict, quiet)
        return
    if data_root is not None or (strict and sources is None):
        raise typer.BadParameter(
            f"{corpus} is not a model folder (no annotate_model.json): --data-root and "
            "--strict check a model's training data (--strict also an export's --sources); "
            "leave them out for an export"
        )
    if same_as is not None:
        if same_as.resolve() == corpus.resolve():  # it said "same data: corpus and corpus"
            from annotate.errors import InputError

            raise InputError(
                f"--same-as {same_as} is {corpus} itself; expected another export to "
                "compare it with (an earlier export of the project, or a colleague's).",
                fix=f"pass the other export's folder: annotate verify {sh(str(corpus))} "
                "--same-as OTHER_DIR.",
            )
        # a mistyped --same-as failed only after the whole corpus was verified and printed
        read_manifest(same_as)
    read_manifest(corpus, or_model=True)  # a missing path: an export or a model was meant
    with Bars(quiet) as bars:  # hashing, reading the rows, the near-duplicate search
        result = verify(corpus, manifest_sha256=manifest_sha256, progress=bars)
    rows = ", ".join(f"{k} {v}" for k, v in result.rows.items())
    echo(f"verified {corpus}: {_files_match(result.files)} manifest.json ({rows} rows)")
    if result.os_files:
        shown = ", ".join(result.os_files[:3]) + (", ..." if len(result.os_files) > 3 else "")
        note(
            f"note: ignored {len(result.os_files)} file(s) an operating system left in the "
            f"folder ({shown}): not part of the export",
            quiet,
        )
    if manifest_sha256 is not None:
        echo(f"manifest.json SHA-256 {result.manifest_sha256} is the one recorded")
    else:
        echo(
            f"manifest.json SHA-256 {result.manifest_sha256}: compare it with the one recorded "
            "at export (or pass it as --manifest-sha256)"
        )
    report_error = _check_report(corpus, quiet) if (corpus / "report").is_dir() else None
    if not (corpus / "report").is_dir():  # export writes one: removed, or never handed out
        note(
            f"note: no report/ in {corpus}: no report to compare with the verified files "
            f"(export writes one; `annotate report {sh(corpus)} --out DIR` writes it again "
            "from them); a report.md handed out beside this folder is not checked",
            quiet,
        )
    if not result.self_digest:
        note(
            "note: this manifest records no digest of its own content (an export made before "
            "manifests had one): edits to it are found only with --manifest-sha256",
            quiet,
        )
    recorded = "recorded in manifest.json" if result.content_recorded else "recomputed"
    echo(
        f"content SHA-256 {result.content_sha256} (the rows without their export time; "
        f"{recorded}): equal for two exports of the same review state"
    )
    if result.formats_compared:
        echo(
            "jsonl, parquet and hf hold the same rows (compared row by row, field by field: "
            f"{', '.join(result.formats_compared)})"
        )
    _offsets_line(result)
    _splits_line(result, quiet)
    if result.reports_files:
        recorded = "recorded in manifest.json" if result.reports_recorded else "recomputed"
        echo(
            f"review reports SHA-256 {result.reports_sha256} "
            f"({', '.join(result.reports_files)} without their export time; {recorded})"
        )
    if same_as is not None:
        _same_data(corpus, same_as)
    if sources is not None:
        _verify_sources(corpus, sources, strict, quiet)
    if report_error is not None:  # after the rest is said: the data itself verified
        raise report_error


def _offsets_line(result: VerifyResult) -> None:
    """Say how many rows' passage offsets were checked against their text, and how many
    were passed over as not ingest's (:mod:`annotate.audit.offsets_fit`)."""
    if not result.offsets_checked and not result.offsets_passed_over:
        return
    passed = (
        f"; {counted(result.offsets_passed_over, 'row')} whose start/end no recorded ingest "
        "run wrote passed over (a table's own columns, not character offsets)"
        if result.offsets_passed_over
        else ""
    )
    echo(f"passage offsets fit the {counted(result.offsets_checked, 'row')} ingest cut{passed}")


def _splits_line(result: VerifyResult, quiet: bool) -> None:
    """Say whether the rows' splits were recomputed from the manifest's seed and ratios
    (:mod:`annotate.audit.splits_fit`), or why not (reader 62 finding 7: it was only
    logged, so an export whose splits went unchecked looked checked)."""
    if result.splits_recomputed:
        echo(
            f"splits recomputed from the manifest's seed and ratios: all "
            f"{counted(sum(result.rows.values()), 'row')} are in theirs"
        )
    elif result.splits_unchecked:
        note(f"note: splits not recomputed: {result.splits_unchecked}", quiet)


def _check_report(corpus: Path, quiet: bool) -> Exception | None:
    """Say whether ``corpus/report`` is the report of the verified files (written again
    and compared: :mod:`annotate.audit.report_check`) and which of its files no checksum
    covers; the VerifyError to raise when a report file differs (None when none does, or
    when the export was made by another annotate version: then a warning)."""
    from annotate._util.revision import tool_version
    from annotate.audit.report import installed_matplotlib
    from annotate.audit.report_check import check_report
    from annotate.audit.verify import VerifyError

    report = corpus / "report"
    found = check_report(corpus, tool_version())
    regenerate = f"`annotate report {sh(corpus)} --out DIR`"
    error: Exception | None = None
    if found.differ or found.missing:
        names = [*found.differ, *(f"{m} (missing)" for m in found.missing)]
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        if found.other_version:
            echo(
                f"warning: {report}: {shown} differ from the report this annotate "
                f"({tool_version()}) writes from the verified files; the export was made by "
                f"annotate {found.other_version}, whose report may be worded otherwise, so "
                f"this is no proof of an edit: read the one {regenerate} writes"
            )
        else:
            error = VerifyError(
                f"{report}: {shown} {'is' if len(names) == 1 else 'are'} not the report of "
                "the verified files (written again from them and compared byte for byte): "
                "edited, or left from another export, since the report was written.",
                fix=f"read (or hand out) the report {regenerate} writes from the verified "
                "files; a sign-off or notes go in files of your own (see docs/export-and-audit.md, "
                "\u201cAn audit package\u201d), never into the report's own files.",
            )
    else:
        echo(
            f"{report}: the report of the verified files ({counted(len(found.same), 'file')} "
            "written again from them and compared byte for byte: report.md, report.html, "
            "report.json, figures)"
        )
    if found.figures_other:
        shown = ", ".join(found.figures_other[:5]) + (
            f" and {len(found.figures_other) - 5} more" if len(found.figures_other) > 5 else ""
        )
        echo(
            f"warning: {report}: {shown} differ from the figures this matplotlib "
            f"({installed_matplotlib()}) draws from the verified files; report.json records "
            f"them as drawn by matplotlib {found.other_matplotlib}, whose pixels differ, so "
            "this is no proof of an edit (the text of the report was compared byte for "
            f"byte): look at the ones {regenerate} draws"
        )
    if found.uncovered:
        shown = ", ".join(found.uncovered[:5]) + (" ..." if len(found.uncovered) > 5 else "")
        note(
            f"note: {counted(len(found.uncovered), 'file')} in {report} no checksum covers "
            f"(not the report's: a sign-off, notes; unsigned by the manifest): {shown}; "
            "hand out their SHA-256 beside the manifest's, or keep a sign-off outside the "
            "export",
            quiet,
        )
    return error


SOURCE_LINES = 50  # changed or missing documents named one a line; the rest counted


def _listed(paths: list[Path], last: str) -> str:
    """``a``, ``a and b``, ``a, b and c`` (``last``: the word before the last one)."""
    shown = [str(p) for p in paths]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} {last} {shown[-1]}"


def _verify_sources(corpus: Path, sources: list[Path], strict: bool, quiet: bool) -> None:
    """Echo one line per changed, missing or unchecked document (those missing with their
    whole file: one line per file) and a summary; VerifyError (exit 1) when a document
    changed, when no document was checked (every one missing, the wrong folder; none that
    can be compared, an export made with --redact or before rows recorded their input
    file; none at all: nothing was verified, with or without ``strict``), or with
    ``strict`` when one is missing or was not checked. Several ``sources``: a line per
    folder says which documents were read from it, and a folder holding none of the
    export's input files is warned of (the wrong folder?)."""
    from annotate.audit.sources import CHANGED, MISSING, NOT_CHECKED, UNCHANGED, check_sources
    from annotate.audit.verify import VerifyError

    with Bars(quiet) as bars:
        result = check_sources(corpus, sources, progress=bars("sources", unit="document"))
    dirs = result.dirs
    lines: list[str] = []
    # documents intact at another row of their file (rows reordered, or one deleted above
    # them) are listed and counted apart, one line per file, after the real changes
    moved = [d for d in result.of(CHANGED) if d.only_moved]
    for doc in result.of(CHANGED):
        if not doc.only_moved:
            lines.append(f"changed: {doc.named}: {doc.what}")
    missing = result.of(MISSING)
    for name in dict.fromkeys(d.input_file for d in missing if not d.looked_for[0].exists()):
        of = [d for d in missing if d.input_file == name and not d.looked_for[0].exists()]
        looked = " or ".join(str(p) for p in of[0].looked_for)
        docs = f"{counted(len(of), 'document')} ({', '.join(d.doc_id for d in of[:3])}"
        docs += ", ...)" if len(of) > 3 else ")"
        line = f"missing: {name}, the input file of {docs}: looked for {looked}"
        # moved inside the folder (a masked name may stand for several files)
        now_at = list(dict.fromkeys(d.same_text_at for d in of if d.same_text_at is not None))
        if now_at:
            line += (
                f"; a file of that name holding the same text is at {now_at[0]}"
                if len(now_at) == 1
                else "; files of names that fit it holding their documents' text are at "
                + ", ".join(str(p) for p in now_at[:3])
                + (f" and {len(now_at) - 3} more" if len(now_at) > 3 else "")
            ) + " (moved? the export names the file as ingest was given it)"
        lines.append(line)
    for doc in missing:
        if doc.looked_for[0].exists():  # the file is there, the document is not
            lines.append(f"missing: {doc.named}: {doc.what}")
    lines += _moved_lines(moved)
    for line in lines[:SOURCE_LINES]:
        echo(line)
    if len(lines) > SOURCE_LINES:
        echo(f"... and {len(lines) - SOURCE_LINES} more changed or missing")
    gone = {d.input_file for d in missing if d.input_file and not d.looked_for[0].exists()}
    found_some = any(d.status != MISSING for d in result.documents if d.looked_for)
    if len(dirs) == 1 and gone and found_some:  # the rest may be under another folder
        echo(f"hint: {_elsewhere_hint(dirs[0], len(gone))}")
    unchecked = result.of(NOT_CHECKED)
    for reason in dict.fromkeys(d.what for d in unchecked):
        of = [d for d in unchecked if d.what == reason]
        note(f"note: {counted(len(of), 'document')} not checked: {reason}", quiet)
    if len(dirs) > 1:
        inputs = list(dict.fromkeys(d.input_file for d in result.documents if d.input_file))
        for folder in dirs:
            of = [d for d in result.documents if d.found_in == folder]
            if of:
                files = list(dict.fromkeys(str(d.input_file) for d in of))
                shown = ", ".join(files[:3]) + (", ..." if len(files) > 3 else "")
                echo(
                    f"under {folder}: {counted(len(of), 'document')} of "
                    f"{counted(len(files), 'input file')} ({shown})"
                )
        if len(result.empty_dirs) < len(dirs):  # all of them: the error below says so
            for folder in result.empty_dirs:
                echo(
                    f"warning: --sources {folder} holds none of the export's "
                    f"{counted(len(inputs), 'input file')} (the wrong folder?): nothing was "
                    "read from it. Pass the folder that holds the folders and files "
                    "`annotate ingest` was given (input_file starts with their names), or "
                    "leave it out."
                )
    summary = (
        f"sources of {corpus} in {_listed(dirs, 'and')}: "
        f"{counted(len(result.documents), 'document')}, "
        f"{result.count(UNCHANGED)} unchanged, {result.count(CHANGED) - len(moved)} changed, "
        + (f"{len(moved)} moved (text unchanged), " if moved else "")
        + f"{result.count(MISSING)} missing, {result.count(NOT_CHECKED)} not checked"
    )
    changed = result.of(CHANGED)
    if changed and all(d.only_moved for d in changed):  # rows moved, text intact
        raise VerifyError(
            f"{summary} (listed above): {counted(len(changed), 'source document')} "
            f"{'is' if len(changed) == 1 else 'are'} now at another row of the file than "
            "the export records, the text unchanged (the rows were reordered); the export's "
            "input_row no longer points at them.",
            fix="restore the file's row order, or ingest, review and export again to "
            "record the rows where they are now.",
        )
    if changed and all(d.only_offsets for d in changed):  # the export edited, not a file
        raise VerifyError(
            f"{summary} (listed above): the source files are the ones the export records "
            "(their SHA-256), but the export's passages are no longer at their offsets in "
            "them: the export's start/end or text were changed after ingest.",
            fix="verify the export against the manifest SHA-256 recorded at export "
            f"(`annotate verify {corpus} --manifest-sha256 HEX`); restore the export from a "
            "copy you trust, or export again.",
        )
    if not result.ok:
        raise VerifyError(
            f"{summary} (listed above): a source document no longer holds the text the "
            "export's passages were cut from.",
            fix="find out who changed the source files (the export records what was "
            "reviewed); ingest, review and export again to cover the new text.",
        )
    sought = [d for d in result.documents if d.looked_for]  # those with an input_file
    if sought and all(d.status == MISSING for d in sought):
        raise VerifyError(  # nothing verified: a script reading $? must not see a pass
            f"{summary}: none of the export's source documents is under "
            f"{_listed(dirs, 'or')}, so "
            "nothing was verified (the files looked for are listed above).",
            fix=_sources_fix(result.recorded, dirs),
        )
    if not result.count(UNCHANGED):  # nothing checked: a script reading $? saw a pass
        # break9 N8, s54: "0 unchanged, ..., 6 not checked" and exit 0 read as verified
        found_fix = _sources_fix(result.recorded, dirs)
        what, fix = _nothing_checked(unchecked, result.count(MISSING), found_fix)
        raise VerifyError(f"{summary}: {what}", fix=fix)
    if strict and not result.complete:
        raise VerifyError(
            f"{summary} (--strict): not every source document was found and checked.",
            fix=_sources_fix(result.recorded, dirs).rstrip(".") + ", or leave out --strict."
            if result.count(MISSING)
            else "the documents not checked cannot be (why: "
            + "; ".join(dict.fromkeys(d.what for d in unchecked))
            + "); leave out --strict to count them only.",
        )
    hint = " (--strict fails on them)" if result.count(MISSING) or unchecked else ""
    echo(f"{summary}{hint}")


def _moved_lines(moved: list[Any], named: int = 5) -> list[str]:
    """One ``moved:`` line per input file of the documents ``moved`` (each
    :attr:`~annotate.audit.sources.SourceCheck.only_moved`): how many, and the first
    ``named`` with the row the export records and the row they are at now."""
    out = []
    for name in dict.fromkeys(d.input_file for d in moved):
        of = [d for d in moved if d.input_file == name]
        shown = ", ".join(f"{d.doc_id} ({d.input_row}, now {d.other_row})" for d in of[:named])
        if len(of) > named:
            shown += f" and {len(of) - named} more"
        out.append(
            f"moved: {name}: {counted(len(of), 'document')} at another row than the export "
            f"records, text unchanged: {shown}"
        )
    return out


def _nothing_checked(unchecked: list[Any], missing: int, found_fix: str) -> tuple[str, str]:
    """What to say, and the fix, when no document of the export was checked against its
    source (none unchanged nor changed): why the ``unchecked`` ones cannot be, and what
    to do instead (an export made with --redact: export again without it, kept
    in-house); ``missing``: how many others were not found (``found_fix``: the fix for
    them, :func:`_sources_fix`)."""
    from annotate.audit.sources import REDACTED

    if not unchecked and not missing:
        return (
            "nothing was checked against the sources: the export holds no document to "
            "check (no rows).",
            "verify an export that holds rows, or leave out --sources.",
        )
    why = "; ".join(
        dict.fromkeys(REDACTED if d.what.startswith(REDACTED) else d.what for d in unchecked)
    )
    said = (
        f"nothing was checked against the sources: the export's "
        f"{counted(len(unchecked), 'document')} cannot be ({why})"
    )
    said += f" and {missing} {'is' if missing == 1 else 'are'} missing." if missing else "."
    if any(d.what.startswith(REDACTED) for d in unchecked):
        return said, (
            "verify the sources on an export of the same project made without "
            "--redact, kept in-house (`annotate export --project NAME --out audit/full "
            "--decision-records`, then `annotate verify audit/full --sources DIR`); hand "
            "out the --redact export."
        )
    fix = (
        "these rows cannot be compared with their input files: verify the sources of an "
        "export whose rows record them (passages ingested since 2026-12-04), or leave out "
        "--sources"
    )
    return said, f"{fix}; for the missing ones, {found_fix}" if missing else f"{fix}."


def _elsewhere_hint(folder: Path, files: int) -> str:
    """What to do about ``files`` input files not under the one ``--sources`` folder
    while others are: the rest may be under another folder, and --sources repeats."""
    some = counted(files, "input file")
    are = "is" if files == 1 else "are"
    lie = "it lies" if files == 1 else "they lie"
    return (
        f"{some} {are} not in {folder} (listed above); if {lie} in another folder (a "
        "corpus ingested from several folders), pass that folder too: --sources is "
        f"repeatable (--sources {sh(folder)} --sources OTHER), each input file is read from "
        "the first folder holding it."
    )


def _sources_fix(recorded: list[str], dirs: list[Path]) -> str:
    """The fix of documents missing under ``dirs``: the folders the export's ingest runs
    recorded (``recorded``: each path given to ingest's parent, absolute), named as
    --sources, else the rule (the folder holding each path ingest was given)."""
    if recorded and {str(Path(r)) for r in recorded} != {str(d.absolute()) for d in dirs}:
        shown = " ".join(f"--sources {sh(r)}" for r in recorded)
        return (
            f"pass {shown} (the folder{'s' if len(recorded) > 1 else ''} holding the paths "
            "`annotate ingest` was given, as its run recorded them: manifest.json "
            "ingest_runs[].input_paths; on another machine, the folders holding copies of "
            "those paths)."
        )
    return (
        "pass the folder holding each path `annotate ingest` was given as --sources (the "
        "rows' input_file is relative to it: for `ingest ../corpus`, the parent of corpus; "
        "the path itself works too)" + _repeatable(dirs)
    )


def _repeatable(dirs: list[Path]) -> str:
    """The end of a fix naming ``--sources``: with one folder given, that it repeats."""
    if len(dirs) != 1:
        return "."
    return (
        "; for files under several folders, repeat --sources for each (--sources "
        f"{sh(dirs[0])} --sources OTHER)."
    )


def exported_again_fix(model: Path, changed: list[Any], options: str) -> str:
    """The fix of a model whose mismatches are all exports written again since training
    with other rows (``changed``: :class:`annotate.audit.model_verify.ExportedAgain`);
    ``options``: the data options it was trained with, as recorded."""
    options = options or " ".join(f"--data {sh(e.folder)}" for e in changed)
    # a config whose data: is empty is not recorded (only the sources are)
    config = "" if "--config " in options else ", with the --config it was trained with, if any"
    then = ", ".join(e.then for e in changed)
    return (
        f"the training data changed since training: retrain on it into a new folder "
        f"(`annotate train {options} --out {sh(model.parent / (model.name + '-2'))}`{config}), "
        f"or restore the export of {then} the model was trained on (or pass its folder as "
        "--data-root DIR) to verify it; export into a new folder to keep a model's data "
        "(`annotate export` replaces one only with --overwrite)."
    )


def _verify_model(model: Path, data_root: Path | None, strict: bool, quiet: bool) -> None:
    """Echo one line per problem and a summary; ModelVerifyError (exit 1) on a mismatch,
    or with ``strict`` on a file not found."""
    from annotate.audit.model_verify import (
        DIFFERS,
        MATCH,
        NOT_CHECKED,
        NOT_FOUND,
        NOT_RECORDED,
        REWRITTEN,
        ModelVerifyError,
        check_model,
    )

    with Bars(quiet) as bars:
        result = check_model(model, data_root=data_root, progress=bars("hash", unit="megabyte"))
    for problem in result.problems:
        echo(f"mismatch: {problem}")
    missing = [f for f in result.files if f.status == NOT_FOUND]
    for source in dict.fromkeys(f.source for f in missing):
        of = [f for f in missing if f.source == source]
        if len(of) > 3:  # a pattern's many files: one line
            named = ", ".join(f.recorded.path for f in of[:3])
            echo(f"not found: {len(of)} files of source {source} (e.g. {named}){_looked(of[0])}")
            continue
        for f in of:
            echo(f"not found: {f.named}{_looked(f)}")
    enc = result.encoder
    if enc.status == NOT_FOUND:
        echo(f"not found: encoder {enc.ref}: {enc.what}")
    for line in export_lines(result.exports, data_root):
        note(line, quiet)
    rewritten = [f for f in result.files if f.status == REWRITTEN]
    for f in rewritten:
        note(
            f"note: {f.named}: {f.what}; `annotate train` on it again records this manifest", quiet
        )
    training = result.training
    if training.status == NOT_RECORDED:
        note(
            f"note: training record not recorded: {training.what}; a model trained by this "
            "annotate records it",
            quiet,
        )
    if result.card.reworded:
        named = ", ".join(h.lstrip("# ").replace("(top)", "header") for h in result.card.reworded)
        # each section's facts are compared, not its words (annotate.audit.card_check)
        bound = (
            "the figures, hashes, labels and data sources it states match its files"
            if not result.card.differs
            else "its figures, hashes, labels and data sources are checked apart (the "
            "mismatches above)"
        )
        note(
            f"note: model_card.md words {counted(len(result.card.reworded), 'section')} otherwise "
            f"than this annotate renders them from the model's files ({named}): a card written "
            f"by another annotate; {bound}",
            quiet,
        )
    if result.card.own:
        named = ", ".join(h.lstrip("# ") for h in result.card.own)
        note(
            f"note: model_card.md has {counted(len(result.card.own), 'section')} this annotate "
            f"does not render ({named}): not checked, no record of the model states "
            f"{'it' if len(result.card.own) == 1 else 'them'}",
            quiet,
        )
    if result.card.missing:
        named = ", ".join(h.lstrip("# ") for h in result.card.missing)
        note(
            f"note: model_card.md lacks {counted(len(result.card.missing), 'section')} its "
            f"files give ({named}): deleted from the card, or written by an older annotate"
            + ("" if strict else " (--strict fails on it)"),
            quiet,
        )
    if result.card.stale:
        at = ", ".join(map(str, result.card.stale))
        note(
            f"note: model_card.md line{'s' if len(result.card.stale) > 1 else ''} {at} (Known "
            f"limitations) {'state' if len(result.card.stale) > 1 else 'states'} the "
            "training record's limitation as written at training, "
            "not the figures the model's files give now "
            "(cross_source.json written or run again after the card): the record's own "
            "words, not an edit",
            quiet,
        )
    if result.fallback_warning:  # not a mismatch: what the record says of the model
        echo(f"warning: {result.fallback_warning}")
    if result.reading_warning:  # not a mismatch either: trained on another reading
        echo(f"warning: {result.reading_warning}")
    if result.sources_without_files:
        note(
            f"note: {counted(len(result.sources_without_files), 'data source')} record no "
            f"files (trained before models recorded them): "
            f"{', '.join(result.sources_without_files)}",
            quiet,
        )
    version = (
        f"version {result.version} as its model card records"
        if result.version is not None and result.version == result.card_version
        else "version not checked (no model card version)"
        if result.card_version is None
        else f"version not computed ({result.version_unknown}; its model card "
        f"records {result.card_version})"
        if result.version is None
        else "version DIFFERS from its model card's"
    )
    files = (
        f"{result.count(MATCH)} of {counted(len(result.files), 'training data file')} "
        f"match, {result.count(DIFFERS)} differ, {len(missing)} not found"
        + (
            f", {len(rewritten)} manifest(s) written again by a later export of the same rows"
            if rewritten
            else ""
        )
    )
    encoder = f"encoder {enc.ref} {enc.status}" + (
        f" ({enc.what})" if enc.status != DIFFERS else ""
    )
    record = f"training record {training.status}" + (
        f" ({training.what})" if training.status == NOT_CHECKED else ""
    )
    summary = f"{model}: {version}; {record}; {files}; {encoder}"
    if not result.ok:
        found = counted(len(result.problems), "mismatch", "mismatches")
        changed = [e for e in result.exported_again if not e.same_rows]
        raise ModelVerifyError(
            f"{model} does not match its records ({found}, listed above): {summary}.",
            fix=exported_again_fix(model, changed, result.retrain_options)
            if changed
            and len(changed) == len(result.exported_again)
            and all("written again" in p for p in result.problems)
            else "get the model and its data again from their source, or retrain the model; "
            "a file edited on purpose needs a new model and card.",
        )
    if data_root is not None and result.files and len(missing) == len(result.files):
        # nothing verified: a script reading $? must not see a pass
        raise ModelVerifyError(
            f"none of the {counted(len(result.files), 'training data file')} of {model} is "
            f"under --data-root {data_root} (nor where the model records them), so its "
            f"training data was not verified: {summary}.",
            fix="pass the folder that holds the data the model was trained on as --data-root "
            "(an export: its folder, holding manifest.json; files: the folder above the data "
            "set's own, as the `not found:` lines above say where they were looked for).",
        )
    if rewritten and strict:
        raise ModelVerifyError(
            f"{counted(len(rewritten), 'export')} {model} was trained on "
            f"{'was' if len(rewritten) == 1 else 'were'} written again since, the same rows "
            f"with a new manifest.json (--strict): {summary}.",
            fix="restore the manifest.json the model was trained on, or retrain on the export "
            "as it is now, or leave out --strict.",
        )
    if result.card.missing and strict:
        raise ModelVerifyError(
            f"{model / 'model_card.md'} lacks "
            f"{', '.join(h.lstrip('# ') for h in result.card.missing)} (--strict): {summary}.",
            fix="write the card again from the model's files (`annotate train` writes it), "
            "or leave out --strict.",
        )
    if missing and strict:
        raise ModelVerifyError(
            f"{counted(len(missing), 'training data file')} of {model} not found (--strict): "
            f"{summary}.",
            fix="pass the folder that holds them as --data-root DIR, or leave out --strict.",
        )
    if enc.status == NOT_FOUND and strict:
        raise ModelVerifyError(
            f"encoder {enc.ref} of {model} not found here (--strict): {enc.what}.",
            fix="install the encoder the model names, or leave out --strict.",
        )
    if training.status == NOT_RECORDED and strict:
        raise ModelVerifyError(
            f"{model} records no digest of its training record (--strict): {summary}.",
            fix="retrain the model (`annotate train` records training_sha256), or leave out "
            "--strict.",
        )
    hint = " (--strict fails on them; --data-root DIR looks elsewhere)" if missing else ""
    if result.files and len(missing) == len(result.files):
        # newuser59 #10: "verified ..." with every data file missing read as an audit of the
        # data; still exit 0 (a model handed out without its data, the shipped model in a
        # fresh clone), said loudly, and --strict or --data-root fail on it
        echo(
            f"warning: no training data file of {model} was found ("
            f"{counted(len(result.files), 'file')} recorded, listed above), so its training "
            "data was NOT verified, only the model's own files. To audit the data, pass the "
            "folder that holds it as --data-root DIR; --strict fails when a file is not found."
        )
        echo(f"checked, training data not verified: {summary}{hint}")
        return
    echo(f"verified {summary}{hint}")


def export_lines(exports: list[Any], data_root: Path | None) -> list[str]:
    """A ``note:`` per export the model was trained on whose comparison is worth saying
    (``exports``: :class:`annotate.audit.model_verify.ExportCompared`): the folder
    compared and its export time when ``--data-root`` was given or the time is not the
    one the model records; each folder passed over, with why."""
    from annotate.audit.model_verify import NO_MANIFEST

    out = []
    for e in exports:
        # a folder without a manifest above the export found (DIR for DIR/corpus) is no
        # news once the export is found
        passed = [(w, why) for w, why in e.rejected if e.folder is None or why != NO_MANIFEST]
        rejected = "; ".join(f"passed over {where}: {why}" for where, why in passed)
        if e.folder is None:
            if rejected or data_root is not None:
                out.append(
                    f"note: export {e.source}: no folder holding it was found"
                    + (f" ({rejected})" if rejected else "")
                )
            continue
        if data_root is None and e.same_export and not rejected:
            continue
        when = (
            f"exported_at {e.now}, the export the model was trained on"
            if e.same_export
            else f"exported_at {e.now}; the model was trained on the export of {e.then}"
        )
        out.append(
            f"note: export {e.source}: compared {e.folder} ({when})"
            + (f"; {rejected}" if rejected else "")
        )
    return out


def _looked(found: FileCheck) -> str:
    """`` (looked in A, B)``: the folders a file not found was looked for in."""
    where = ", ".join(dict.fromkeys(str(p) for p in found.looked_in))
    return f" (looked in {where})" if where else ""


def _same_redacted(handout: Path, original: Path) -> None:
    """Echo whether the redacted ``handout`` holds the review state of ``original`` (made
    without --redact), compared by what redaction keeps; VerifyError when not."""
    from annotate.audit.redacted_pair import NOT_COMPARED, compare_redacted
    from annotate.audit.verify import VerifyError

    found = compare_redacted(handout, original)
    if found.made_from:
        echo(
            f"{handout} was made from {original}: its manifest records that export's "
            f"manifest.json SHA-256 {found.original_sha256} (redaction.original_export)"
        )
    elif found.made_from is False:
        echo(
            f"warning: {handout} records another original export (manifest.json SHA-256 "
            f"{found.recorded_sha256}), not {original} ({found.original_sha256}); compared "
            "anyway"
        )
    else:
        echo(
            f"{handout} records no original export (made without `export --redact "
            "--original`); compared anyway"
        )
    masked = ", ".join(f"{k} in {n} row(s)" for k, n in sorted(found.masked.items()))
    not_compared = (
        f"not compared: {', '.join(NOT_COMPARED)}, comments and span offsets (masked or "
        "left out by --redact)"
        + (f", and masked or pseudonymised values: {masked}" if masked else "")
    )
    if found.reports_differ:
        not_compared += (
            f"; review reports {', '.join(found.reports_differ)} differ (they name "
            "pseudonymised passage ids and masked values)"
        )
    if found.same:
        echo(
            f"same review state: {handout} (--redact) and {original} hold the same "
            f"{found.paired} passage(s) with the same labels, splits, answers and the "
            f"provenance --redact keeps; {not_compared}"
        )
        return
    parts = []
    for what, ids in (
        (f"only in {handout}", found.only_in_redacted),
        (f"only in {original}", found.only_in_original),
    ):
        if ids:
            more = f" and {len(ids) - 3} more" if len(ids) > 3 else ""
            parts.append(f"{len(ids)} row(s) {what} (e.g. {', '.join(ids[:3])}{more})")
    if found.differ:
        named = [f"{i} [{', '.join(f)}]" for i, f in list(found.differ.items())[:3]]
        more = f" and {len(found.differ) - 3} more" if len(found.differ) > 3 else ""
        parts.append(
            f"{len(found.differ)} row(s) with other labels or provenance "
            f"(e.g. {', '.join(named)}{more})"
        )
    raise VerifyError(
        f"{handout} (--redact) and {original} hold other review states: {'; '.join(parts)} "
        f"({not_compared}).",
        fix="make the hand-out from the same review state: export --redact --original "
        f"{sh(original)} right after the in-house export, with the same options.",
    )


def _same_data(corpus: Path, other: Path) -> None:
    """Echo whether ``corpus`` and ``other`` hold the same rows; VerifyError when not."""
    from annotate.audit.redacted_pair import redacted
    from annotate.audit.verify import VerifyError, compare, read_manifest

    masked = [redacted(read_manifest(c)) for c in (corpus, other)]
    if masked[0] != masked[1]:  # a hand-out and its in-house original
        handout, original = (corpus, other) if masked[0] else (other, corpus)
        _same_redacted(handout, original)
        return
    found = compare(corpus, other)
    for missing in found.report_missing:  # part of what was asked not done: -q too
        echo(
            f"note: {missing / 'report' / 'report.json'} is missing or unreadable: the reports "
            f"were not compared (`annotate report {sh(missing)}` writes it)"
        )
    rows = ", ".join(f"{k} {v}" for k, v in found.b.rows.items())
    echo(
        f"verified {other}: {_files_match(found.b.files)} its manifest.json ({rows} rows); "
        f"its manifest.json SHA-256 {found.b.manifest_sha256}, content SHA-256 "
        f"{found.b.content_sha256}"
    )
    if found.same:
        reports = "rows and review reports" if found.a.reports_files else "rows"
        echo(f"same data: {corpus} and {other} hold the same {reports} (export time left out)")
        return
    if found.only_new_columns and not found.differ and not found.report_differs:
        # every value the same, a column one export lacks read as null (break8 M4)
        gained = sorted({*found.fields_only_in_a, *found.fields_only_in_b})
        newer = corpus if found.fields_only_in_a else other
        reports = "rows and review reports" if found.a.reports_files else "rows"
        echo(
            f"same data: {corpus} and {other} hold the same {reports} (export time left "
            f"out); schema gained {', '.join(gained)}: the rows of {newer} have "
            f"{'it' if len(gained) == 1 else 'them'}, null on every row, the other "
            "export's do not (exported by another version of annotate)"
        )
        return
    parts = []
    for what, ids in (
        (f"only in {corpus}", found.only_in_a),
        (f"only in {other}", found.only_in_b),
        ("with other content", found.differ),
    ):
        if ids:
            more = f" and {len(ids) - 3} more" if len(ids) > 3 else ""
            named = [
                f"{i} [{', '.join(found.differ_fields[i])}]" if i in found.differ_fields else i
                for i in ids[:3]
            ]
            parts.append(f"{len(ids)} row(s) {what} (e.g. {', '.join(named)}{more})")
    for where, fields, without in (
        (corpus, found.fields_only_in_a, other),
        (other, found.fields_only_in_b, corpus),
    ):
        if fields:
            columns = "column" if len(fields) == 1 else "columns"
            parts.append(
                f"schema gained {columns} {', '.join(fields)}: the rows of {where} have "
                f"{'it' if len(fields) == 1 else 'them'}, those of {without} do not "
                "(exported by another version of annotate; null on one side and absent on "
                "the other counts as the same)"
            )
    if found.reports_differ:
        parts.append(f"review reports {', '.join(found.reports_differ)} differ")
    if found.report_differs:
        parts.append(f"report/report.json differs in {', '.join(found.report_differs)}")
    titles = [(read_manifest(c).get("project") or {}).get("title") for c in (corpus, other)]
    projects = (
        f" (they are exports of two projects, {titles[0]!r} and {titles[1]!r})"
        if titles[0] != titles[1]
        else ""
    )
    records = [read_manifest(c).get("pseudonym_salt") for c in (corpus, other)]
    salts = [r.get("fingerprint") if isinstance(r, dict) else None for r in records]
    if None not in salts and salts[0] != salts[1]:
        projects += (
            f" (their reviewer ids were made with two pseudonym salts, fingerprints {salts[0]} "
            f"and {salts[1]}: every reviewer id differs)"
        )
    options = _export_options_differ(read_manifest(corpus), read_manifest(other))
    if options:
        projects += f" (exported with other options: {'; '.join(options)})"
    rows_differ = found.only_in_a or found.only_in_b or found.differ or found.reports_differ
    same_rows = not (
        found.only_in_a
        or found.only_in_b
        or found.differ
        or found.fields_only_in_a
        or found.fields_only_in_b
    )
    if options and same_rows:
        # not a review state that changed: the same answers, read with other options
        differ = [f"review reports {', '.join(found.reports_differ)}"] * bool(found.reports_differ)
        differ += [f"report/report.json in {', '.join(found.report_differs)}"] * bool(
            found.report_differs
        )
        raise VerifyError(
            f"{corpus} and {other} hold the same rows{projects}; "
            f"{' and '.join(differ) or 'their manifests'} differ by what those options record.",
            fix="to compare two review states, export both with the same options; the corpus "
            "rows themselves are the same.",
        )
    if found.report_differs and not (
        rows_differ or found.fields_only_in_a or found.fields_only_in_b
    ):
        # the rows and review reports are the same (so is the content SHA-256): what the
        # audit report read of Label Studio besides them changed
        raise VerifyError(
            f"{corpus} and {other} hold the same rows and review reports{projects}, but "
            f"their report/report.json differs in {', '.join(found.report_differs)}: what "
            "Label Studio held beside the corpus changed between the two exports (e.g. "
            "tasks pushed or still open, which the corpus leaves out, or re-posts recorded).",
            fix="if the audit needs one review state, export again once no push or answer "
            "comes in between; the corpus rows themselves are the same.",
        )
    differed = _settings_differ(corpus, other, options, salts, masked)
    if found.only_new_columns and not differed:
        gained = sorted({*found.fields_only_in_a, *found.fields_only_in_b})
        older = other if found.fields_only_in_a else corpus
        report = " (and report.json by what it reads of them)" * bool(found.report_differs)
        fix = (
            f"the rows differ only in {', '.join(gained)}, which the version of annotate "
            f"that exported {older} does not write{report}: that is no sign the review "
            f"changed. To compare the review states, export {older} again with this "
            "version (or compare two exports of one version)."
        )
    elif differed:
        fix = (
            f"they were exported with other {_listed_words(differed)}: to compare two review "
            "states, export both with the same; otherwise the review changed in between."
        )
    else:
        fix = (
            "their manifests record the same labels.yaml, pseudonym salt, --seed, "
            "--gold-min-accuracy, --near-dup-threshold and --redact, and exposure.json the "
            "same wellbeing hiding rule: the review changed in between (export both again at "
            "one time if they should be one review state)."
        )
    raise VerifyError(
        f"{corpus} and {other} both verify but hold different data{projects}: "
        + ("; ".join(parts) or "the rows differ")
        + ".",
        fix=fix,
    )


def _settings_differ(
    corpus: Path, other: Path, options: list[str], salts: list[Any], redacted: list[bool]
) -> list[str]:
    """What two exports were made with that differs, each named as the fix line names
    it: labels.yaml (its version and content digest in the manifests), its ``wellbeing``
    settings (not part of that digest: read from the hiding rule exposure.json names, for
    the passages whose tasks record none), the pseudonym salt, the export options
    (``options``: :func:`_export_options_differ`) and --redact; [] when none does (or the
    manifests do not record them: older exports)."""
    from annotate.audit.verify import read_manifest

    out = []
    taxonomies = [read_manifest(c).get("taxonomy") or {} for c in (corpus, other)]
    said = [f"{t.get('version')}, sha256 {str(t.get('sha256'))[:12]}" for t in taxonomies]
    if all(t.get("sha256") for t in taxonomies) and said[0] != said[1]:
        out.append(f"labels.yaml ({said[0]} and {said[1]}: `--labels`)")
    rules = [_hiding_rule_said(c) for c in (corpus, other)]
    # "": the rule decided no passage there (every task records what it hid), so which
    # rule it was is unknown: compared only when both name one
    if all(rules) and rules[0] != rules[1]:
        out.append(
            f"labels.yaml wellbeing settings (exposure.json's hiding rule {rules[0]!r} and "
            f"{rules[1]!r}: labels.yaml `wellbeing`, which its sha256 leaves out)"
        )
    if None not in salts and salts[0] != salts[1]:
        out.append("pseudonym salts (ANNOTATE_PSEUDONYM_SALT, or $ANNOTATE_HOME/pseudonym_salt)")
    out += [f"{option.split(' ', 1)[0]} ({option.split(' ', 1)[1]})" for option in options]
    if redacted[0] != redacted[1]:
        out.append("--redact (given for one of them)")
    return out


def _hiding_rule_said(corpus: Path) -> str | None:
    """labels.yaml's wellbeing hiding rule as exposure.json's ``graphic`` key names it
    (``model label graphic_violence, model score >= 0.1, ...``: where it decided a
    passage, one whose tasks record no ``graphic_hidden_by``), "" when it decided none
    (the rule is then unknown, not "no rule"); None without such a file or key. The
    sentence is :func:`annotate.review.exposure.exposure`'s ``graphic`` (a test pins
    the two together)."""
    try:
        said = json.loads((corpus / "exposure.json").read_text(encoding="utf-8")).get("graphic")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(said, str):
        return None
    rule = re.search(r"pushed before that record: (.*?), or anyone who", said)
    return rule.group(1) if rule else ""


def _listed_words(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


# export options the manifest records that change what an export holds, not the review:
# (option, where in manifest.json)
_EXPORT_OPTIONS = (
    ("--gold-min-accuracy", ("review", "gold_min_accuracy")),
    ("--gold-severity", ("review", "gold_flag_checks_severity")),
    ("--seed", ("splits", "seed")),
    ("--near-dup-threshold", ("near_duplicates", "export_search", "threshold")),
)


def _export_options_differ(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """``OPTION A_VALUE and B_VALUE`` for each export option two manifests record
    differently (``none``: not given); [] when none differs or a manifest does not record
    it (an older export)."""
    out = []
    for option, path in _EXPORT_OPTIONS:
        values = []
        for manifest in (a, b):
            node: Any = manifest
            for key in path:
                node = node.get(key, _MISSING) if isinstance(node, dict) else _MISSING
            values.append(node)
        if _MISSING not in values and values[0] != values[1]:
            shown = ["none" if v is None else str(v) for v in values]
            out.append(f"{option} {shown[0]} and {shown[1]}")
    return out


_MISSING = object()


@app.command("report")
def report_cli(
    corpus: CorpusArg,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Report directory (default: CORPUS/report; replaced)."),
    ] = None,
    manifest_sha256: Annotated[
        str | None,
        typer.Option(
            "--manifest-sha256",
            callback=sha256_hex,
            help="SHA-256 of manifest.json recorded at export (export prints it); a "
            "manifest rewritten since is a mismatch (report written, exit 1).",
        ),
    ] = None,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="Let --out be a folder holding report.md or figures that no annotate "
            "report wrote (no report.json of one) and replace them; other files are kept.",
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Write the audit report (Markdown, HTML, PNG figures, JSON numbers) of an exported
    corpus; exits non-zero when the corpus does not match its manifest (report written)."""
    from annotate.audit.report import REPORT_STEPS, write_report
    from annotate.audit.report_files import kept_note

    with Bars(quiet) as bars:
        result = write_report(
            corpus,
            out or corpus / "report",
            progress=bars("report", unit="step", total=REPORT_STEPS),
            manifest_sha256=manifest_sha256,
            overwrite=overwrite,
        )
    checksums = result.numbers["checksums"]
    state = "verified" if checksums["verified"] else "DOES NOT match its manifest"
    echo(
        f"wrote {result.html} and {result.markdown} ({counted(len(result.figures), 'figure')}); "
        f"corpus {state}"
    )
    if kept := kept_note(result.kept, result.out):
        note(kept, quiet)
    if not checksums["verified"]:  # the report is written (it says so); a gate must fail
        from annotate.audit.verify import WRONG_SHA256_FIX, VerifyError, only_the_given_sha256

        found = checksums["mismatches"]
        raise VerifyError(
            f"{corpus} does not match its manifest ({len(found)} mismatch(es), e.g. "
            f"{found[0] if found else 'unknown'}); the report was written and records it.",
            fix=WRONG_SHA256_FIX
            if only_the_given_sha256(found, manifest_sha256, checksums.get("manifest_sha256"))
            else f"re-export the corpus, or find out who changed it (`annotate verify "
            f"{sh(corpus)}` lists every mismatch).",
        )


def _files_match(n: int) -> str:
    """``1 file matches``, ``12 files match``."""
    return f"{counted(n, 'file')} {'matches' if n == 1 else 'match'}"
