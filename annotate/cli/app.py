"""The Typer application and the options every command shares."""

from __future__ import annotations

import errno
import logging
import os
import re
import shlex
import shutil
import signal
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from annotate._util.plural import counted as _counted
from annotate._util.urls import mask_logged_urls, masked
from annotate.cli.help_layout import install as install_help_layout
from annotate.cli.progress_lines import ProgressLines, progress_interval
from annotate.errors import AnnotateError, StudioServerError, StudioUnavailableError

if TYPE_CHECKING:  # typer 0.29+ runs on its own copy (typer._click): click is not imported
    import click


# names of the signals annotate.cli.main's handler turned into KeyboardInterrupt (SIGTERM),
# so an interrupt DuckDB reports as RuntimeError("Query interrupted") is named right
SIGNALS_RECEIVED: list[str] = []


class ErrorContract(TyperGroup):
    """The one place a user-facing failure becomes ``error: … Fix: …`` on stderr and a
    non-zero exit, for every command (and under Typer's CliRunner in tests alike).
    A value an option cannot take (out of its range, not a number, not a choice) is one
    such line too, with exit 2 (:func:`bad_value`); a malformed command (an unknown or
    missing option, a missing argument) stays click's usage error, with the usage line."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            refuse_empty_paths(command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return self._invoke(ctx)
        finally:
            work_over()  # its summary (or error line) printed: a late Ctrl-C changes nothing

    def _invoke(self, ctx: click.Context) -> Any:
        _SAID_ON_INTERRUPT.clear()  # a command run before in this process said its own
        given = [*ctx._protected_args, *ctx.args]  # the command line, read before it runs
        try:
            return super().invoke(ctx)
        except _NoSuchOption as exc:
            raise other_command_meant(short_option_meant(exc), ctx.command) from None
        except typer.BadParameter as exc:
            if isinstance(exc, _MissingParameter):
                raise  # the command is incomplete: click shows its usage
            typer.echo(bad_value(exc), err=True)
            ctx.exit(exc.exit_code)
        except _UsageError as exc:
            raise repeat_meant(exc, given) from None
        except AnnotateError as exc:
            if exc.fix and (
                isinstance(exc, StudioUnavailableError)
                or (isinstance(exc, StudioServerError) and exc.read)
            ):
                # the server went away (or failed a read), perhaps in the middle of the
                # run: say what a re-run does once it answers again (a push resumes;
                # nothing else was kept)
                again = said_of(RESUMES, ctx, "it starts afresh")
                why = f" ({again})" if again else ""
                exc = StudioUnavailableError(
                    exc.what,
                    fix=f"{exc.fix.rstrip('.')}; then run the same command again{why}.",
                )
            typer.echo(f"error: {masked(str(exc))}", err=True)  # no URL credentials
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (see annotate.cli.main)
            _interrupted(ctx, str(exc) or "Ctrl-C")
        except RuntimeError as exc:
            # DuckDB (ingest's and push's scratch databases) turns a Ctrl-C or SIGTERM that
            # arrives during a query into RuntimeError("Query interrupted")
            if str(exc) != "Query interrupted":
                raise
            _interrupted(ctx, SIGNALS_RECEIVED[-1] if SIGNALS_RECEIVED else "Ctrl-C")
        except Exception as exc:  # OSError, or DuckDB's IO error (a full disk)
            if (said := duckdb_memory_error(exc)) is not None:
                left, again = _left_and_again(ctx)
                typer.echo(said.format(left=left, again=f" ({again})" if again else ""), err=True)
                ctx.exit(1)
            if not isinstance(exc, OSError):  # DuckDB's own, e.g. its file on a full disk
                full = duckdb_disk_error(exc)
                if full is None:
                    raise
                exc = full
            if exc.errno in ACCESS_ERRORS:
                typer.echo(access_error(exc), err=True)
                ctx.exit(1)
            if exc.errno not in DISK_ERRORS:
                raise
            where = f" writing {exc.filename}" if exc.filename else ""
            left, again = _left_and_again(ctx)
            fix = (
                file_size_fix()
                if exc.errno == errno.EFBIG
                else disk_full_fix(exc.filename, exc.errno)
            ).rstrip(".")
            typer.echo(
                f"error: {exc.strerror or 'the disk is full'}{where}; files it was writing "
                f"were removed, {left}. Fix: {fix}{f' ({again})' if again else ''}.",
                err=True,
            )
            ctx.exit(1)


# typer raises the exceptions of the click it runs on: the click package, or (typer 0.29+)
# its own copy, typer._click; typer.BadParameter is that click's, and so is this subclass
_MissingParameter: type[Exception] = sys.modules[typer.BadParameter.__module__].MissingParameter
_NoSuchOption: Any = sys.modules[typer.BadParameter.__module__].NoSuchOption
_UsageError: Any = sys.modules[typer.BadParameter.__module__].UsageError
EXTRA_ARGUMENTS = "Got unexpected extra argument"  # click's usage error, its start


def repeat_meant(exc: Any, given: list[str]) -> Any:
    """Click's "Got unexpected extra argument(s) (B)" for ``--data A B`` (the values of a
    repeatable option written after one flag, as the README's ``--data PATH...`` reads),
    adding that the option takes one value and the line that works (``--data A --data
    B``); ``given`` is the command line after ``annotate``. Any other usage error, or
    extra arguments that follow no repeatable option, is returned as it is."""
    command = exc.ctx.command if exc.ctx is not None else None
    if command is None or not str(exc.message).startswith(EXTRA_ARGUMENTS):
        return exc
    repeatable = {
        opt
        for param in command.params
        if getattr(param, "multiple", False) and param.param_type_name == "option"
        for opt in param.opts
    }
    hints = []
    for i, token in enumerate(given):
        if token not in repeatable or i + 1 >= len(given):
            continue
        values = [given[i + 1]]
        for value in given[i + 2 :]:
            if value.startswith("-"):
                break
            values.append(value)
        if len(values) > 1:
            line = " ".join(f"{token} {shlex.quote(v)}" for v in values)
            hints.append(f"{token} takes one value: repeat it for each ({line})")
    if not hints:
        return exc
    return _UsageError(f"{exc.message}. {'; '.join(hints)}.", ctx=exc.ctx)


def short_option_meant(exc: Any) -> Any:
    """Click's "No such option" for ``--k`` typed for the short ``-k`` (click suggests
    only long options close to it: none), saying the option meant (``-k
    (--reviewers-per-task)``); any other is returned as it is."""
    name = str(exc.option_name)
    command = exc.ctx.command if exc.ctx is not None else None
    if exc.possibilities or command is None or len(name) != 3 or not name.startswith("--"):
        return exc
    short = name[1:]
    for param in command.params:
        opts = [*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())]
        if short in opts and param.param_type_name == "option":
            long = next((o for o in opts if o.startswith("--")), None)
            meant = f"{short} ({long})" if long else short
            message = f"No such option: {name}. Did you mean {meant}?"
            return _NoSuchOption(name, message=message, ctx=exc.ctx)
    return exc


def other_command_meant(exc: Any, group: click.Command) -> Any:
    """Click's "No such option: --previous (Possible options: --reviewer)" for an option
    that is no option of the command run but is one of another command of ``group``
    (``push --previous``, ingest's): the message says which command has it. Any other
    (one :func:`short_option_meant` already answered included) is returned as it is."""
    name = str(exc.option_name)
    command = exc.ctx.command if exc.ctx is not None else None
    if command is None or "Did you mean" in str(exc.message):
        return exc
    owners = [
        f"`annotate {path}`"
        for path, other in _commands(group)
        if other is not command
        and any(
            name in (*getattr(p, "opts", ()), *getattr(p, "secondary_opts", ()))
            for p in other.params
            if p.param_type_name == "option"
        )
    ]
    if not owners:
        return exc
    here = exc.ctx.info_name or getattr(command, "name", "")
    message = f"No such option: {name}. {name} is an option of {' and '.join(owners[:3])}"
    message += f", not of `annotate {here}`."
    return _NoSuchOption(name, message=message, ctx=exc.ctx)


def _commands(group: click.Command, prefix: str = "") -> list[tuple[str, click.Command]]:
    """Every command under ``group`` (sub-groups' too) with its path (``studio start``)."""
    found: list[tuple[str, click.Command]] = []
    for name, sub in sorted(getattr(group, "commands", {}).items()):
        path = f"{prefix}{name}"
        if getattr(sub, "commands", None):
            found.extend(_commands(sub, f"{path} "))
        else:
            found.append((path, sub))
    return found


# text options whose command checks the value itself, with a message saying what it takes
CHECK_THEIR_OWN = frozenset({"--corpus", "--delimiter"})


def refuse_empty_paths(command: click.Command) -> None:
    """Make every path parameter of ``command`` (and of its subcommands: ``Path``,
    ``list[Path]``) refuse an empty value, ``--out ""`` (an unset shell variable): Python
    reads ``Path("")`` as ``.``, the current folder, so ``export --out ""`` said ``. exists
    and is not a previous export`` and ``ingest ""`` would read the whole folder. A usage
    error naming the option instead (:func:`bad_value`). Text options (``str``,
    ``list[str]``: ``--model ""`` read as a hub id, ``--database ""``, ``--reviewer ""``)
    refuse it too, unless their own check says what they take: a callback (``--project``,
    ``--manifest-sha256``) or the command's (:data:`CHECK_THEIR_OWN`). Once per parameter."""
    for sub in getattr(command, "commands", {}).values():
        refuse_empty_paths(sub)
    for param in command.params:
        desc = getattr(param, "type_descriptor", None)
        if desc is None or getattr(param, "_refuses_empty", False):
            continue
        if desc.annotation is Path or desc.annotation == list[Path]:
            expected = "a file or folder path"
        elif (desc.annotation is str or desc.annotation == list[str]) and not (
            param.callback is not None or set(param.opts) & CHECK_THEIR_OWN
        ):
            expected = "a value"
        else:
            continue
        param._refuses_empty = True  # type: ignore[attr-defined]
        param.process_value = _refusing_empty(param, param.process_value, expected)  # type: ignore[method-assign]


def _is_argument(param: Any) -> bool:
    """Whether ``param`` is a positional argument (typer may run on its own click copy)."""
    return getattr(param, "param_type_name", None) == "argument"


def _metavar(param: Any) -> str:
    """How the usage line names an argument (``ID``), not its Python name (``id_``)."""
    return str(param.metavar or (param.name or "value").rstrip("_").upper())


def _refusing_empty(param: click.Parameter, process: Any, expected: str) -> Any:
    def process_value(ctx: click.Context, value: Any) -> Any:
        values = value if isinstance(value, (list, tuple)) else [value]
        empty = [v for v in values if isinstance(v, str) and not v.strip()]
        if empty:
            names = [n for n in param.opts if n.startswith("--")][:1]
            shown = _metavar(param) if _is_argument(param) else param.name
            like = " ".join([*names, f'"${(shown or "path").upper()}"'])
            raise typer.BadParameter(
                f"expected {expected}, found an empty value ({empty[0]!r}; "
                f"an unset shell variable, as in {like}?)",
                ctx=ctx,
                param=param,
            )
        return process(ctx, value)

    return process_value


class BadValue(typer.BadParameter):
    """A value an option cannot take, found by the command itself (``--source`` naming no
    source of the config): a usage error, exit 2, as click's own, with the ``fix`` that
    the value calls for (click's message knows only the option's type)."""

    def __init__(self, message: str, *, param_hint: str, fix: str) -> None:
        super().__init__(message, param_hint=param_hint)
        self.fix = fix


def bad_value(exc: typer.BadParameter) -> str:
    """``error: invalid value for '--x': … Fix: …``: click's message for a parameter's value
    (which says what it takes: ``-2 is not in the range x>=1``) in the project's form."""
    message = exc.format_message()  # "Invalid value for '--x': ..." (or "Invalid value: ...")
    message = message[:1].lower() + message[1:]
    if isinstance(exc, BadValue):
        return f"error: {message.rstrip('.')}. Fix: {exc.fix}"
    where = exc.ctx.command_path if exc.ctx is not None else "annotate"
    names = list(getattr(exc.param, "opts", None) or [])
    if _is_argument(exc.param):  # its opts hold the Python name (``id_``)
        names = [_metavar(exc.param)]
    hint = f"{max(names, key=len)} " if names else ""
    return (
        f"error: {message.rstrip('.')}. Fix: give {hint}a value it takes "
        f"(`{where} --help` lists them)."
    )


def said_of(table: dict[str, str], ctx: click.Context, default: str) -> str:
    """What ``table`` says of the command that ``ctx`` (a group's context) invoked: the
    entry of its full name under the group (``review status``: a sub-group handles its
    own commands' errors) before the group's (``studio``), else ``default``."""
    names = []
    at: click.Context | None = ctx
    while at is not None and at.parent is not None:  # the root's name is the program's
        names.insert(0, at.info_name or "")
        at = at.parent
    command = " ".join([*names, ctx.invoked_subcommand or ""])
    for key in (command, *names[:1]):
        if key in table:
            return table[key]
    return default


# what the running command said a re-run does and what it leaves (said_on_interrupt):
# a command whose answer depends on its options (prelabel: the local engine resumes)
_SAID_ON_INTERRUPT: dict[str, Callable[[], str | None]] = {}


def said_on_interrupt(*, again: Callable[[], str | None], left: Callable[[], str | None]) -> None:
    """Set what an interruption's message says of the running command, asked when it is
    interrupted (what it keeps depends on how far it got): ``again()``, what the same
    command run again does (in place of :data:`RESUMES`), and ``left()``, what it keeps
    (in place of :data:`LEFT_BEHIND`); None: the command's default. For a command whose
    answer depends on its options and progress (``prelabel``: the local engine resumes
    from the windows it kept, when it kept any; the Ray engine starts afresh)."""
    _SAID_ON_INTERRUPT.update(again=again, left=left)


def _left_and_again(ctx: click.Context) -> tuple[str, str]:
    """What a command stopped midway (a signal, a full disk) leaves, and what the same
    command run again does: the running command's own answers (:func:`said_on_interrupt`:
    prelabel keeps the windows it finished) else the tables' (:data:`LEFT_BEHIND`,
    :data:`RESUMES`). A full disk said "nothing partial was left behind" while prelabel
    kept 2,048 scored passages to resume from (stop 49, faults F5)."""
    said = {k: ask() for k, ask in _SAID_ON_INTERRUPT.items()}
    _SAID_ON_INTERRUPT.clear()
    again = said.get("again") or said_of(RESUMES, ctx, "it starts afresh")
    # a command that changes Label Studio (or posts) leaves what it did before it stopped
    # (a hand-over's copies in both queues: `review status` shows them), so "nothing
    # partial is left" would be false for it
    left = said.get("left") or said_of(LEFT_BEHIND, ctx, "nothing partial is left")
    return left, again


# set by annotate.cli.console_main (the program, not main() called in-process nor a test's
# CliRunner): the signals a finished command ignores (:func:`work_over`); SIGTERM is then
# given its default action
LATE_SIGNALS: list[signal.Signals] = []


def work_over() -> None:
    """The command has run (its summary or error line printed, its exit code decided):
    from now on Ctrl-C (:data:`LATE_SIGNALS`) is ignored, and SIGTERM gets the system's
    default action (it ends the process, 143: a supervisor can still stop a shutdown that
    hangs, e.g. on a background thread, which an ignored SIGTERM would leave to
    ``kill -9``). A Ctrl-C that landed
    there, as the process closed (typer's own exit turns a KeyboardInterrupt into a
    silent exit 130; after Python restores the default handler at shutdown the signal
    kills it with 130), ended a push that had finished, its summary printed, with 130
    and no "interrupted" line (new-user pass 62 finding 8): the run looked stopped
    midway. Ignored, it exits with the command's own code. Does nothing where
    :data:`LATE_SIGNALS` is empty or off the main thread."""
    if not LATE_SIGNALS:
        return
    try:
        for sig in LATE_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    except ValueError:  # not the main thread: signals are the main thread's
        return


def _interrupted(ctx: click.Context, why: str) -> None:
    left, again = _left_and_again(ctx)
    typer.echo(
        f"error: interrupted ({why}); files it was writing were removed, {left}. "
        f"Fix: run the same command again{f' ({again})' if again else ''}.",
        err=True,
    )
    ctx.exit(exit_code(why))


def exit_code(why: str) -> int:
    """The shell's code for a run stopped by a signal, 128 + its number: 130 for Ctrl-C
    (SIGINT), 143 for SIGTERM (what service managers and ``timeout`` expect of a program
    that stopped cleanly on it)."""
    member = signal.Signals.__members__.get(why)
    return 128 + member.value if member is not None else INTERRUPTED


def project_name(value: str) -> str:
    """``--project``'s callback: the name as Label Studio keeps titles
    (:func:`annotate.studio.projects.project_name`; imported when a command runs)."""
    from annotate.studio.projects import project_name as checked

    return checked(value)


def new_project_name(value: str) -> str:
    """``--project``'s callback where the command makes the project titled NAME (demo):
    also none of the endings that name another name's projects
    (:func:`annotate.studio.projects.new_project_name`), and a title Label Studio takes
    (:func:`annotate.studio.projects.short_name_error`), said before any work."""
    from annotate.studio.projects import ProjectSet, short_name_error
    from annotate.studio.projects import new_project_name as checked

    title = checked(value)
    if (short := short_name_error(ProjectSet(title, "none", ()))) is not None:
        raise short
    return title


INTERRUPTED = 130  # the shell's code for a run stopped by Ctrl-C (128 + SIGINT)
# what a re-run after an interruption does, for the commands that do not start afresh
RESUMES = {
    "push": "a push resumes where it stopped, without duplicates",
    "adjudicate": "it adds only the passages still missing",
    "demo": "what was pushed is not pushed again",
    "escalations": "it posts only what was not delivered yet",
    # the sub-commands of a group by their full name (see said_of), else the group's
    "reviewers add": "accounts already made are left alone",
    "reviewers remove": "a reviewer removed already is a no-op",
    "reviewers list": "",  # only reads
    # `review reassign` stopped midway has marked the reviewer away and moved some tasks:
    # the same command finishes the move
    "review reassign": "a hand-over stopped midway is finished, no task moved twice",
    "review status": "",  # only reads
    "studio": "",  # `studio env` / `status` only read: nothing to resume or start afresh
}
# what an interrupted command that changes something outside its files leaves there
_IN_STUDIO = "what it already did in Label Studio stays"
LEFT_BEHIND = {
    "push": _IN_STUDIO,
    "adjudicate": _IN_STUDIO,
    "demo": _IN_STUDIO,
    "reviewers add": _IN_STUDIO,
    "reviewers remove": _IN_STUDIO,
    "review reassign": _IN_STUDIO,  # copies made, originals not yet removed
    "escalations": "what it already posted stays",
}
DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
ACCESS_ERRORS = {errno.EACCES, errno.EPERM, errno.EROFS}


_DUCKDB_DISK = {
    "No space left on device": errno.ENOSPC,
    "Disk quota exceeded": errno.EDQUOT,
    "File too large": errno.EFBIG,
}


def duckdb_memory_error(exc: BaseException) -> str | None:
    """The error line for DuckDB running out of the memory annotate gives it (ingest's
    and push's scratch databases, capped so that memory stays flat however large the
    input): what ran out and the setting that raises the cap, with ``{left}`` and
    ``{again}`` for :func:`_left_and_again`'s words; None for any other error."""
    module = type(exc).__module__ or ""
    if not module.lstrip("_").startswith("duckdb") or type(exc).__name__ != (
        "OutOfMemoryException"
    ):
        return None
    from annotate._util.scratch import MEMORY_ENV

    used = re.search(r"\(([^()]*/[^()]*) used\)", str(exc))
    given = os.environ.get(MEMORY_ENV, "").strip()
    now = f"{MEMORY_ENV}={given}" if given else "its default cap"
    return (
        "error: the scratch database ran out of the memory annotate gives it "
        f"({used.group(1) + ' used, ' if used else ''}{now}); files it was writing were "
        f"removed, {{left}}. Fix: raise the cap with the environment variable {MEMORY_ENV} "
        f"(e.g. `{MEMORY_ENV}=1GB annotate ...`) and run the same command again{{again}}."
    )


def duckdb_disk_error(exc: BaseException) -> OSError | None:
    """DuckDB's IO error for a full disk (its database or spill file: ingest's and push's
    scratch databases), ``IO Error: Could not write file "PATH": No space left on
    device``, as the OSError Python gives (errno, text, the file); None for any other.
    A commit that cannot write the write-ahead log (``.wal``) raises
    ``TransactionException`` ("Failed to commit: Could not write file ..."), not
    ``IOException``: it is one too (faults58 #1)."""
    module = type(exc).__module__ or ""
    if not module.lstrip("_").startswith("duckdb"):
        return None
    text = str(exc)
    kind = type(exc).__name__
    if kind != "IOException" and not (
        kind == "TransactionException" and "Could not write file" in text
    ):
        return None
    for why, code in _DUCKDB_DISK.items():
        if why in text:
            named = re.search(r'file "([^"]+)"', text)
            return OSError(code, why, named.group(1) if named else None)
    return None


def disk_full_fix(filename: object, code: int | None = errno.ENOSPC) -> str:
    """The fix of a full disk (``code`` ENOSPC) or a used-up disk quota (EDQUOT) when
    writing ``filename``: inside the system's temporary folder (push's spool and scratch
    database, ingest's and export's scratch files) the folder is named with ``TMPDIR``,
    which moves it; an output, or no file named, is freed or written elsewhere (also one
    under the temporary folder but on a disk of its own, e.g. a --out on a small disk
    mounted there). A quota is freed by deleting one's own files on that disk (``quota
    -s`` shows what is used and allowed), not by others' (``df`` may show room)."""
    tmp = Path(tempfile.gettempdir())
    try:
        inside = (
            filename is not None
            and Path(str(filename)).resolve().is_relative_to(tmp.resolve())
            and _device(Path(str(filename))) == _device(tmp)
        )
    except (OSError, ValueError):
        inside = False
    quota = code == errno.EDQUOT
    if inside:
        free = (
            f"free space within your disk quota in the temporary folder {tmp} (`quota -s` "
            "shows it: delete files of yours there)"
            if quota
            else f"free space in the temporary folder {tmp}"
        )
        return (
            f"{free}, or point TMPDIR at a folder on a disk with room "
            "(`TMPDIR=/path/with/room annotate ...`), and run the command again."
        )
    if quota:
        return (
            "free space within your disk quota on that disk (`quota -s` shows what is used "
            "and allowed: delete files of yours there), or write to a disk with room in "
            "your quota, and run the command again."
        )
    return "free disk space (or write to another disk) and run the command again."


def file_size_fix() -> str:
    """The fix of a file that grew past the largest this process may write (EFBIG, "File
    too large"): not a full disk, so freeing space does not help. The soft limit of
    ``ulimit -f`` when one is set (a shell, a job scheduler or a container may set it),
    else the file system's own largest file (4 GiB on FAT32)."""
    try:
        import resource
    except ImportError:  # Windows: no ulimit
        soft = None
    else:
        soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        soft = None if soft == resource.RLIM_INFINITY else soft
    if soft is not None:
        return (
            f"this process may write files of at most {soft:,} bytes (`ulimit -f` is "
            f"{soft // 1024:,}, in KiB): raise it (`ulimit -f unlimited`, or ask whoever "
            "set it: a job scheduler, a container) and run the command again."
        )
    return (
        "the file system holding the file limits a file's size (4 GiB on FAT32): write it "
        "on another file system (for a temporary file: `TMPDIR=/path/on/ext4 annotate "
        "...`) and run the command again."
    )


def _device(path: Path) -> int:
    """The device (file system) ``path`` is on, or would be on if created: that of its
    nearest existing folder. OSError when none can be read."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate.stat().st_dev
    raise FileNotFoundError(errno.ENOENT, "no existing folder", str(path))


def access_error(exc: OSError) -> str:
    """``error: … Fix: …`` for a file or folder the command may not read or write (a
    read-only folder or file system, another user's file). An output is written to a
    hidden ``.NAME.partial…`` file or folder beside it first, so a refused partial names
    the folder the output was to go to."""
    quoted = re.search(r"'([^']*\.partial[^']*)'", str(exc))  # pyarrow names no filename
    name = exc.filename or (quoted.group(1) if quoted else None)
    path = Path(str(name)) if name else None
    why = os.strerror(exc.errno) if exc.errno else "permission denied"
    if path is not None and ".partial" in path.name:
        return (
            f"error: cannot write in {path.parent} ({why.lower()}); nothing was written. "
            "Fix: pass an output path in a folder you can write to (or make this one "
            "writable) and run the command again."
        )
    where = f": {path}" if path is not None else ""
    return (
        f"error: {why.lower()}{where}. Fix: check that you can read every input and write "
        "where the output goes (a read-only folder, another user's file), then run the "
        "command again."
    )


# option names printed whole in help at any width (passG52 G4: cut below ~120 columns)
install_help_layout()

app = typer.Typer(
    cls=ErrorContract,
    name="annotate",
    help=(
        "Find violent content and violent-extremist propaganda in text, route it to human "
        "review in Label Studio, and export an auditable, retrainable corpus."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

MAX_SEED = 2**32 - 1  # numpy's seeds (training seeds numpy, torch and random alike)


def above_zero(value: float | None) -> float | None:
    """Typer callback of a number that must be above 0 (typer's ``min`` includes it): a
    usage error like typer's own bounds."""
    if value is not None and value <= 0:
        raise typer.BadParameter(f"{value:g} is not above 0.")
    return value


def between_zero_and_one(value: float | None) -> float | None:
    """Typer callback of a share or threshold that must lie strictly between 0 and 1
    (typer's ``min``/``max`` include both ends): a usage error like typer's own bounds."""
    if value is not None and not 0 < value < 1:
        raise typer.BadParameter(f"{value:g} is not above 0 and below 1.")
    return value


def a_share(value: float | None) -> float | None:
    """Typer callback of ``--gold-min-accuracy``, a share in [0, 1] (as
    :func:`annotate.review.report.check_min_accuracy` checks it for the library, naming the
    share meant when a percentage is given): a usage error, exit 2, like the other bounds."""
    from annotate.review.report import share_found

    if value is not None and not 0 <= value <= 1:
        raise typer.BadParameter(
            f"expected {share_found(value)}; e.g. 0.8 flags reviewers below 80 % on gold tasks"
        )
    return value


GoldMinAccuracyOpt = Annotated[
    float | None,
    typer.Option(
        "--gold-min-accuracy",
        help="Flag reviewers below this gold accuracy (a share: 0.8 for 80 %): the share "
        "of their gold passages with exactly the gold categories; severity is not checked.",
        callback=a_share,
    ),
]
GoldSeverityOpt = Annotated[
    bool,
    typer.Option(
        "--gold-severity",
        help="With --gold-min-accuracy: flag a reviewer whose severity accuracy on the gold "
        "passages with a gold severity is below it too (by default only the categories are "
        "checked).",
    ),
]
AcceptChangedAnswersOpt = Annotated[
    bool,
    typer.Option(
        "--accept-changed-answers",
        help="Let the reviewers' vote settle a passage sent to adjudication whose dispute "
        "ended only through an answer made or changed after the adjudication project "
        "showed its answers (not blind). Default: such a passage stays with the lead.",
    ),
]
LabelsOpt = Annotated[
    Path | None,
    typer.Option(
        "--labels",
        help="Taxonomy file (default: $ANNOTATE_LABELS, ./labels.yaml, the project's).",
        dir_okay=False,
    ),
]
DataRootOpt = Annotated[
    Path | None,
    typer.Option(
        "--data-root",
        exists=True,
        file_okay=False,
        help="With --config: a folder holding the config's data sets, looked in for "
        "each data path or mapping not found relative to the config (the path, then "
        "its last folders: DIR/implicit-hate/x.tsv), as `annotate verify MODEL "
        "--data-root`.",
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        help="No progress bars, progress lines nor notes: errors, warnings and the result only.",
    ),
]
ThreadsOpt = Annotated[
    int | None,
    typer.Option(
        "--threads",
        min=1,
        help="CPU threads for the encoder (default: $ANNOTATE_THREADS, else $OMP_NUM_THREADS, "
        "else the CPUs this process may use (affinity, cgroup CPU quota) less the tasks other "
        "processes keep running, at least 1).",
    ),
]


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``1 passage``, ``2 passages``, ``0 passages``, ``17,410 passages``: a count and its
    noun for the console, with thousands separators as progress lines and the other counts
    write them; ``plural`` where the noun does not just take an s (``1 exact copy``,
    ``2 exact copies``)."""
    return _counted(n, noun, plural)


def threads_said(count: int, source: str) -> str:
    """``1 torch thread (default: 2 usable CPUs, 3.0 other tasks running)``: the thread
    count a command ran with and where it came from, for its summary line."""
    return f"{counted(count, 'torch thread')} ({source})"


@app.callback()
def _root(
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="-v info, -vv debug.")
    ] = 0,
) -> None:
    from annotate.cli.console_log import configure

    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    configure(level)  # annotate's warnings as `warning: ...`, like the CLI's own lines
    mask_logged_urls()  # a LABEL_STUDIO_URL's user:password@ never reaches a log


class _Bar:
    """A progress callable over one tqdm bar; ``set_total`` (annotate._util.progress)
    gives the bar its total once the library knows it."""

    def __init__(self, bar: Any) -> None:
        self._bar = bar
        self._cached = 0  # units read from a cache (cached), not counted

    def __call__(self, n: int) -> None:
        self._bar.update(n)
        if self._bar.total is not None and self._bar.n >= self._bar.total:
            self._bar.close()  # a finished stage keeps its own time, not the command's

    def set_total(self, total: int) -> None:
        self._bar.total = total
        self._bar.refresh()

    def add_total(self, n: int) -> None:
        """``n`` more units to come (``annotate train``: the texts it embeds, told before
        the first is): the bar's total grows by them."""
        self._bar.total = (self._bar.total or 0) + n
        self._bar.refresh()

    def cached(self, n: int) -> None:
        """``n`` units that needed no work (read from a cache): shown after the bar's
        numbers, not counted (they would make the rate and the time left wrong)."""
        self._cached += n
        # "more" only beside texts the bar counts (none to encode: passF52 F10)
        more = " more" if self._bar.n or self._bar.total else ""
        self._bar.set_postfix_str(f"{self._cached:,}{more} read from the cache")

    def resume_at(self, done: int) -> None:
        """Count on from ``done`` units an earlier run finished; the rate tqdm shows is
        that of this run (it divides ``n - initial`` by the time taken)."""
        self._bar.n = self._bar.initial = self._bar.last_print_n = done
        self._bar.refresh()

    def begin(self) -> None:
        """The stage's work begins now: the bar's time and rate count from here (a push's
        bar waited while the push read what the server holds)."""
        self._bar.start_t = self._bar.last_print_t = self._bar._time()
        self._bar.refresh()

    def in_flight(self, n: int) -> None:
        """``n`` units sent whose answer has not come yet, after the bar's numbers (a bar
        left by a stopped command then shows them)."""
        self._bar.set_postfix_str(f"{n:,} sent, awaiting the answer" if n else "")

    def note(self, text: str) -> None:
        """What the stage is working on, after the bar's numbers."""
        self._bar.set_postfix_str(text)

    def close(self) -> None:
        self._bar.close()


def _logs_to_console() -> bool:
    """Whether the root logger writes to stderr/stdout (``logging.basicConfig``, as the
    CLI's callback sets it up): only then do its records need to go round the bars
    (``logging_redirect_tqdm`` would add a handler to a logger with none)."""
    return any(
        isinstance(h, logging.StreamHandler) and h.stream in (sys.stderr, sys.stdout)
        for h in logging.getLogger().handlers
    )


def bars_shown(quiet: bool = False) -> bool:
    """Whether progress bars are drawn: not with ``--quiet``, and only on a terminal. A bar
    redraws itself with carriage returns, which a log (``annotate ingest ... > log 2>&1``)
    keeps as fragments (``\ringest: 1doc [00:00, ...]\ringest: 260doc ...``); there a
    long stage writes a plain line now and then instead (:mod:`annotate.cli.progress_lines`)."""
    if quiet:
        return False
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(callable(isatty) and isatty())


class Bars:
    """The CLI's progress bars (library functions only take a ``progress`` callable).

    ``with Bars(quiet) as bars: ingest(..., progress=bars("ingest", unit="doc"))``;
    ``bars(...)`` gives None when quiet; when stderr is not a terminal
    (:func:`bars_shown`) it gives a :class:`~annotate.cli.progress_lines.ProgressLines`,
    a plain line now and then instead of a bar. Every bar is closed on exit; each also
    has ``note(text)`` (what it is working on) and ``close()``. While the block runs, log
    records go through ``tqdm.write`` so a warning starts on its own line instead of
    running into a bar's text (``ingest: 0doc [00:00, ?doc/s]WARNING ...``);
    so do Python warnings (a library's ``warnings.warn``, e.g. transformers' or
    scikit-learn's), as log records of ``py.warnings`` (as ``logging.captureWarnings``
    makes them), and :func:`echo`'s lines.
    """

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.drawn = bars_shown(quiet)
        # off a terminal: seconds between progress lines (a bad value fails before any work)
        self._interval = None if quiet or self.drawn else progress_interval()
        self._bars: list[Any] = []
        self._redirect: Any = None
        self._showwarning: Any = None  # warnings.showwarning before the block, to restore

    def __call__(
        self, desc: str, *, unit: str = "passage", total: int | None = None, verb: str = "done"
    ) -> _Bar | ProgressLines | None:
        if self.quiet:
            return None
        if self._interval is not None:
            lines = ProgressLines(
                desc, unit=unit, total=total, out=sys.stderr, interval=self._interval, verb=verb
            )
            self._bars.append(lines)
            return lines
        from tqdm.auto import tqdm

        bar = tqdm(desc=desc, unit=unit, total=total)
        self._bars.append(bar)
        return _Bar(bar)

    def __enter__(self) -> Bars:
        if self.drawn and _logs_to_console():
            from tqdm.contrib.logging import logging_redirect_tqdm

            self._redirect = logging_redirect_tqdm()
            self._redirect.__enter__()
            self._showwarning = warnings.showwarning
            warnings.showwarning = _warning_to_log
        return self

    def __exit__(self, *exc: object) -> None:
        failed = exc[0] is not None  # an error or a signal: a stage still open did not end
        for bar in self._bars:
            if failed and isinstance(bar, ProgressLines):
                bar.close(failed=True)
            else:
                bar.close()
        self._bars.clear()
        if self._showwarning is not None:
            warnings.showwarning, self._showwarning = self._showwarning, None
        if self._redirect is not None:
            redirect, self._redirect = self._redirect, None
            redirect.__exit__(None, None, None)


def _warning_to_log(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """``warnings.showwarning`` while bars are up: the warning as a ``py.warnings`` log
    record, which the bars' handler writes round them (``logging.captureWarnings``
    does the same, but is a no-op once anything turned it on, and is undone by any
    ``warnings.catch_warnings`` block that ends)."""
    text = warnings.formatwarning(message, category, filename, lineno, line)
    logging.getLogger("py.warnings").warning("%s", text.rstrip("\n"))


def command_name() -> str:
    """How to run this CLI again, as a user would type it: ``annotate`` when that name on
    PATH is this program, else this program's path (``.venv/bin/annotate`` after
    ``make setup``), else ``python -m annotate`` with this interpreter."""
    exe = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if exe is None or exe.name != "annotate" or not exe.is_file():
        return f"{shlex.quote(sys.executable)} -m annotate"
    on_path = shutil.which("annotate")
    if on_path and Path(on_path).resolve() == exe.resolve():
        return "annotate"
    try:
        return str(exe.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return shlex.quote(str(exe.resolve()))


def note(line: str, quiet: bool) -> None:
    """Echo ``line``, a ``note: ...`` line (something worth knowing that asks for nothing;
    a line that asks for something is a ``warning: ...``, echoed always), unless
    ``quiet``: ``-q`` keeps errors, warnings and the command's result. A note that is
    the result, i.e. says the output is empty or part of what was asked was not done
    (``--port`` not used, fewer gold tasks than ``--gold-rate``), is echoed as it is."""
    if not quiet:
        echo(line)


def echo(message: str) -> None:
    """User-facing output (stderr keeps stdout clean for data, e.g. `studio env`). While
    a progress bar is up, the line goes round it (``tqdm.write``: the bar is cleared,
    the line written, the bar drawn again below it) instead of running into its text."""
    std = sys.modules.get("tqdm.std")  # imported only once a bar was made
    if std is not None and any(
        not getattr(bar, "disable", True) for bar in list(getattr(std.tqdm, "_instances", ()))
    ):
        std.tqdm.write(message, file=sys.stderr)
        return
    typer.echo(message, err=True)
