"""`annotate prelabel`: passages -> the model's scores, labels and evidence spans."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annotate.cli.app import (
    Bars,
    LabelsOpt,
    QuietOpt,
    ThreadsOpt,
    app,
    counted,
    echo,
    note,
    said_on_interrupt,
    threads_said,
)
from annotate.errors import InputError

if TYPE_CHECKING:
    from annotate.prelabel_parts import LeftBehind


class Engine(str, Enum):
    local = "local"
    ray = "ray"


@app.command("prelabel")
def prelabel_cli(
    input_path: Annotated[
        Path,
        typer.Argument(metavar="INPUT", help="Passages: ingest output or a table with id, text."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output (.jsonl or .parquet).")],
    model: Annotated[
        str | None,
        typer.Option(help="Model directory or HF hub id (default: the model in models/default)."),
    ] = None,
    labels_file: LabelsOpt = None,
    engine: Annotated[
        Engine,
        typer.Option(
            help="local: this process (resumes an interrupted run); ray: a pool of Ray actors "
            "(Ray Data; starts afresh after an interruption)."
        ),
    ] = Engine.local,
    address: Annotated[
        str | None,
        typer.Option(help="--engine ray: a running Ray cluster (host:port); default: start one."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="--engine ray: actors, each with one model and --threads CPUs (default 2; "
            "a local Ray: no more than the idle CPUs hold, as --threads' default counts them).",
        ),
    ] = None,
    threads: ThreadsOpt = None,
    restart: Annotated[
        bool,
        typer.Option(
            "--restart",
            help="Discard the passages an interrupted run of this --out pre-labelled "
            "(kept beside it) and score every passage afresh (--engine ray refuses to run "
            "beside them without it).",
        ),
    ] = False,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="Replace an existing --out (refused without it). A run given it and "
            "interrupted resumes when the same command, --overwrite included, runs again.",
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Score every passage with a transformers classifier and write pre-labels. The local
    engine resumes: a run stopped by Ctrl-C, SIGTERM or a kill keeps the windows of 2,048
    passages it finished beside --out (the one being scored is lost), and the same command
    again scores only the rest (the output of an uninterrupted run); --restart starts
    afresh. The Ray engine does not resume: it starts afresh, and
    refuses an --out that an interrupted local run kept passages of (--restart discards them).

    With --engine ray, --threads is per actor (default 1: each actor has one CPU)."""
    from annotate.classifier.threads import resolve_threads, use_threads
    from annotate.prelabel_parts import parts_folder
    from annotate.prelabeling import CHUNK_SIZE, check_paths, prelabel, refuse_replacing_out
    from annotate.tables import row_count

    if engine is Engine.local and (address is not None or workers is not None):
        raise InputError(
            "--address and --workers only apply to --engine ray.",
            fix="add --engine ray, or drop them.",
        )
    from annotate.classifier.loader import check_hub_model

    check_hub_model(model)  # a hub id it cannot get: said before torch is imported
    recorded = None  # the thread count of the parts a local run resumes from
    if engine is Engine.ray:
        # per actor: --threads, $ANNOTATE_THREADS or $OMP_NUM_THREADS, else 1 (its one CPU)
        chosen = resolve_threads(threads, cpus=1, load=0.0)
        from annotate.prelabeling_ray import default_workers, warn_busy

        if workers is None:  # a local Ray: no more actors than the idle CPUs hold
            n_workers, _ = default_workers(chosen.count, local=address is None)
        else:
            n_workers = workers
            if address is None:
                warn_busy(n_workers, chosen.count)
        source = "one CPU per actor" if chosen.by_default else chosen.source
        used = f"{counted(n_workers, 'actor')} x {threads_said(chosen.count, source)}"
    else:
        from annotate.prelabel_parts import recorded_threads

        # a resume keeps the count its parts were scored with, unless one is set
        recorded = None if restart else recorded_threads(out)
        chosen = use_threads(threads, resumed=recorded)
        used = threads_said(chosen.count, chosen.source)
    check_paths(input_path, out)  # a mistake is one line, before a bar is drawn
    if not overwrite:
        refuse_replacing_out(out)
    if engine is Engine.local and recorded is not None and chosen.count != recorded:
        _refuse_other_threads(out, recorded, chosen.count, chosen.source)
    from annotate.prelabel_parts import left_behind

    for left in left_behind(input_path, out):  # the user's to resume or remove, never here
        echo(_left_behind_said(left, input_path, out))
    if engine is Engine.local:  # what an interruption's message says a re-run does
        folder = parts_folder(out)
        checked: list[bool] = []  # the kept parts compared with this run's (model loaded)

        def kept() -> bool:  # stopped before its first window (the model loading): none
            return any(folder.glob("part-*"))

        said_on_interrupt(
            again=lambda: _said_again(kept(), bool(checked), restart),
            left=lambda: (
                (
                    f"the passages pre-labelled so far are kept in {folder}"
                    if checked
                    else f"the passages an earlier run pre-labelled are still in {folder}"
                )
                if kept()
                else (
                    f"and no window of {CHUNK_SIZE:,} passages was complete, so none of the "
                    "passages scored was kept (a window is kept once all of it is scored, "
                    "labelled and written)"
                    if checked
                    else None
                )
            ),
        )
    carried: list[int] = []  # passages an earlier run scored, which this one resumed from
    with Bars(quiet) as bars:
        bar = bars(  # a stop says how many were scored and how many of those kept
            "prelabel",
            total=row_count(input_path) if input_path.is_file() else None,
            verb="scored",
        )
        if engine is Engine.ray:
            from annotate.prelabeling_ray import prelabel_ray

            # Ray's start and the actors' model loads wrote nothing for minutes, and its
            # progress comes a window at a time (passE51 E4): say what comes
            where = f"joining the Ray at {address}" if address else "starting a local Ray"

            def starting(actors: int) -> None:
                note(
                    f"note: ray: {where} for {counted(actors, 'actor')}; each loads its own "
                    "copy of the model first (a minute or more on a busy machine), and "
                    f"progress comes as each window of up to {CHUNK_SIZE:,} passages is done",
                    quiet,
                )

            stats = prelabel_ray(
                input_path,
                out,
                model=model,
                taxonomy=labels_file,
                workers=n_workers,
                address=address,
                threads=chosen.count,
                progress=bar,
                restart=restart,
                overwrite=overwrite,
                on_start=starting,
            )
            if stats.actors is not None and stats.actors != n_workers:  # fewer: say so
                used = f"{counted(stats.actors, 'actor')} x {threads_said(chosen.count, source)}"
        else:
            stats = prelabel(
                input_path,
                out,
                model=model,
                taxonomy=labels_file,
                progress=bar,
                restart=restart,
                on_resume=lambda resumed: (echo(resumed.said()), carried.append(resumed.done)),
                on_checked=lambda: checked.append(True),
                overwrite=overwrite,
            )
    # a resumed run's own work apart from the earlier run's (passE51 E3: its closing line
    # counted them as scored now, and a lead sizing the next run read 3x the real rate)
    now = (
        f"; {stats.passages - carried[0]:,} scored now, {carried[0]:,} carried over from an "
        "earlier run"
        if carried
        else ""
    )
    echo(
        f"{counted(stats.passages, 'passage')} pre-labelled with {stats.model_version} -> {out} "
        f"({stats.flagged:,} with a harmful label; {used}{now})"
    )
    if stats.fallback_warning:  # thresholds not fitted (a small export's model): once a run
        echo(f"warning: {stats.fallback_warning}")
    if stats.reading_warning:  # trained on text read otherwise: once a run
        echo(f"warning: {stats.reading_warning}")
    if stats.foreign:
        scripts = ", ".join(f"{k.title()} {v}" for k, v in sorted(stats.foreign_scripts.items()))
        echo(
            f"warning: {stats.foreign:,} passage(s) (the first: {stats.first_foreign}"
            f"{_of_document(stats.first_foreign_document)}) are mostly "
            f"in a script the model was not trained on ({scripts}; it was trained on "
            f"{', '.join(stats.trained_languages)} text): their scores and labels are "
            f"unreliable. {UNREADABLE_SAID} Review them without the model's pre-labels, or "
            "train a model on labelled text in their language (`annotate train`, any HF "
            "encoder that reads it)."
        )
    if stats.foreign_languages:
        from annotate.classifier.language_id import (
            MIN_CHARS,
            MIN_PROBABILITY,
            identifier_version,
            language_name,
        )

        n = sum(stats.foreign_languages.values())
        langs = ", ".join(
            f"{language_name(k)} {v:,}"
            for k, v in sorted(stats.foreign_languages.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        echo(
            f"warning: {n:,} passage(s) (the first: {stats.first_foreign_language}"
            f"{_of_document(stats.first_foreign_language_document)}) are in a "
            f"language the model was not trained on ({langs}; it was trained on "
            f"{', '.join(stats.trained_languages)} text; identified by "
            f"{identifier_version()}, passages of {MIN_CHARS} characters or more identified "
            f"with {MIN_PROBABILITY:.0%} confidence or more only): their scores and labels "
            f"are unreliable, a threat in them may be labelled none. {UNREADABLE_SAID} "
            "Review them without the model's pre-labels, or train a model on labelled text "
            "in their language (`annotate train`, with an HF encoder that reads it)."
        )
    if stats.cut:
        echo(
            f"warning: {stats.cut:,} passage(s) (the first: {stats.first_cut}) are longer than "
            f"the {stats.token_limit} tokens the model reads: the text after that was not "
            "scored, so a threat near their end is missed. Split the documents into shorter "
            "passages with `annotate ingest` (--max-chars, default 700; lower it, e.g. 300, "
            "for scripts of many tokens per character) and pre-label its output."
        )


# what the prelabels record of such passages, and what push does with them
UNREADABLE_SAID = (
    "Each is marked in the output's `model_language_warning` column; push tells its "
    "reviewers, hides it behind a content warning, pre-selects no category or severity "
    "for it and queues it with the least certain passages."
)


def _of_document(document: str) -> str:
    """``, in docs/sub/ar.txt`` for a warning's first passage; "" when none is known."""
    return f", in {document}" if document else ""


def _refuse_other_threads(out: Path, recorded: int, count: int, source: str) -> None:
    """InputError for a resume asked to score with another torch thread count than its
    kept parts were (passE51 E9: they were discarded at once with a warning, so a
    "go faster" tweak on the re-run of a long crashed job lost its work, and a second
    stop lost it all). The count can move a score's last digit, so a resume never mixes
    two; the user chooses which way loses nothing."""
    from annotate.errors import InputError
    from annotate.prelabel_parts import kept_rows, parts_folder

    kept = kept_rows(out)
    raise InputError(
        f"{counted(kept, 'passage')} pre-labelled by an interrupted run are kept in "
        f"{parts_folder(out)}, scored with {counted(recorded, 'torch thread')}; this run "
        f"would use {count} ({source}), and a resume scores the rest as its parts were "
        "(the thread count can move a score's last digit), so it would discard them.",
        fix=f"run the same command with --threads {recorded} to resume from them, or add "
        f"--restart to discard them and score everything with {count}.",
    )


def _left_behind_said(left: LeftBehind, input_path: Path, out: Path) -> str:
    """The note on the passages of ``input_path`` an unfinished run writing another
    --out kept (:func:`annotate.prelabel_parts.left_behind`): where, and the two ways on;
    for a run still running (it holds their folder's lock), where, and no way to discard
    them."""
    from annotate._util.shell import sh

    if left.running:  # it holds the folder's lock: its parts are not to be discarded
        return (
            f"note: {counted(left.rows, 'passage')} of {input_path} pre-labelled so far by "
            f"another run writing {left.out}, still running (it holds the lock of "
            f"{left.folder}, where they are kept); this run (--out {out}) does not use them "
            "and leaves them to that run."
        )
    return (
        f"note: {counted(left.rows, 'passage')} of {input_path} pre-labelled by an earlier "
        f"run writing {left.out}, which did not finish (it was stopped: no run holds their "
        "lock), are "
        f"kept in {left.folder}; this run (--out {out}) does not use them and leaves them "
        f"there. To finish that run: `annotate prelabel {sh(input_path)} --out "
        f"{sh(left.out)}` (with its model and options: it resumes from them); to discard "
        f"them: `rm -r {sh(left.folder)}`."
    )


def _said_again(kept: bool, checked: bool, restart: bool) -> str | None:
    """What the same ``prelabel`` command run again does with the parts beside --out, for
    an interruption's message: ``kept``, whether there are any; ``checked``, whether this
    run compared them with its own input, model and settings (it does once the model has
    loaded: then those left are its own); ``restart``, whether it was given --restart.
    None: no parts, the default message."""
    if not kept:
        return None
    if restart:
        return "--restart discards the passages kept and it starts afresh" + (
            "; without --restart it resumes from them" if checked else ""
        )
    if checked:
        return "it resumes from the passages already pre-labelled; --restart starts afresh"
    return (
        "it resumes from the passages kept only if an earlier run pre-labelled them with "
        "the same input, model, labels.yaml and settings on this machine, else it discards "
        "them, saying why, and starts afresh; --restart starts afresh"
    )
