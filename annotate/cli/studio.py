"""`annotate studio start|stop|status|env|recount`: the local Label Studio."""

from __future__ import annotations

import os
import shlex
from typing import TYPE_CHECKING, Annotated

import typer

from annotate.cli.app import QuietOpt, app, echo, note, said_on_interrupt
from annotate.settings import HOME_ENV, annotate_home
from annotate.studio.connection import (
    KEY_ENV,
    URL_ENV,
    StudioPaths,
    local_connection,
    read_credentials,
    read_state,
    resolve_connection,
    studio_paths,
)

if TYPE_CHECKING:
    from annotate.studio.database import Database

studio_app = typer.Typer(
    help="Run a local Label Studio (127.0.0.1; SQLite or PostgreSQL; data in .annotate/)."
)
app.add_typer(studio_app, name="studio")

PortOpt = Annotated[
    int | None,
    typer.Option(
        "--port",
        min=1,
        max=65535,
        help="Port to try first (default $ANNOTATE_STUDIO_PORT, else the port it last ran on, "
        "else 8080).",
    ),
]


DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="postgresql://USER:PASSWORD@HOST:PORT/DBNAME to run on a team's PostgreSQL, "
        "or `sqlite` (the default); remembered for later starts.",
    ),
]


@studio_app.command("start")
def start_cli(port: PortOpt = None, database: DatabaseOpt = None, quiet: QuietOpt = False) -> None:
    """Install (first use) and start the local Label Studio; wait until it answers."""
    from annotate.studio import server

    paths = studio_paths()
    db = server.chosen_database(paths, database)  # a malformed URL fails before any install
    running = server.status(paths).running
    if not running and not server.is_installed(paths):  # a running one is never installed
        server.check_install_folder(paths)  # a refused folder is not announced first
        note(installing_line(paths), quiet)
    said_on_interrupt(again=lambda: _said_again(paths), left=lambda: _said_left(paths))
    slow = (
        " (a first start runs migrations, a minute or more)"
        if server.may_migrate(paths, db)
        else ""
    )

    left = None if running else database_left_line(paths, db, database)

    def launching() -> None:  # said once the database check passed, not before one that fails
        if left is not None:
            echo(left)
        note(f"starting Label Studio on {server.database_label(db)}{slow} ...", quiet)

    st = server.start(paths, port=port, database=database, on_launch=launching)
    already = "already running" if running else "running"
    echo(f"Label Studio is {already} at {st.url} (pid {st.pid}); data in {paths.data}")
    if running and port is not None and st.url and not st.url.endswith(f":{port}"):
        # what was asked not done: -q too
        echo(f"note: --port {port} is not used: run `annotate studio stop` first to move it.")
    creds = read_credentials(paths)
    if creds is not None:  # -q: not shown; it stays in the credentials file (0600)
        note(f"login: {creds.username} / {creds.password}", quiet)
    note('for other tools: eval "$(annotate studio env)"', quiet)
    _say_url_env(paths, st.url, "is set, so other commands use {url}, not this one", quiet)


def database_left_line(paths: StudioPaths, db: Database | None, given: str | None) -> str | None:
    """The warning of a start that moves this folder's server to another database
    (``given``: ``--database``; ``db``: what it parsed to): annotate copies nothing between
    databases, so the projects, tasks and answers of the one it ran on stay there and the
    server starts with what the new one holds (newuser60 F14: a folder moved from SQLite
    to PostgreSQL found its review set gone, "neither a review set nor a project", and no
    line had said so). None when nothing is left behind: no ``--database``, the same
    database, or SQLite without its file yet."""
    from annotate.errors import StudioError
    from annotate.studio import server

    if given is None:
        return None
    try:
        was = server.chosen_database(paths)  # the remembered choice; None: SQLite
    except StudioError:  # an unreadable setting, which --database replaces: said nothing of
        return None
    if was is None and db is None:
        return None
    if was is not None and db is not None and was.redacted() == db.redacted():
        return None
    sqlite_file = paths.data / "label_studio.sqlite3"
    if was is None:
        if not sqlite_file.is_file():
            return None
        old = f"the SQLite database {sqlite_file}"
    else:
        old = was.redacted()
    return (
        f"warning: this folder's Label Studio ran on {old}; its projects, tasks and answers "
        f"stay there and are not copied to {server.database_label(db)}, which starts with "
        "what it holds (annotate moves nothing between databases). To go on with them: "
        f"`annotate studio stop`, then `annotate studio start --database "
        f"{'sqlite' if was is None else 'postgresql://...'}` (the one they are on)."
    )


def installing_line(paths: StudioPaths) -> str:
    """What `studio start` (and `demo`) say before installing Label Studio: where, and
    that the user's shared install (``paths.shared``) is made once for every work
    folder."""
    from annotate.studio import server
    from annotate.studio.connection import LABEL_STUDIO_VERSION

    once = "once per user, shared by every work folder" if paths.shared else "first use"
    return (
        f"installing Label Studio {LABEL_STUDIO_VERSION} into {paths.venv} ({once}, about "
        f"1 GB; {server.install_note()}) ..."
    )


def _say_url_env(paths: StudioPaths, running_url: str | None, said: str, quiet: bool) -> None:
    """The note that ``$LABEL_STUDIO_URL`` names a server other than the local one
    (``said``, with ``{url}`` for it, masked); none when it names this very server (as
    ``eval "$(annotate studio env)"`` sets it). A value that is no server URL at all is
    a warning (-q too) saying what is wrong and the fix: every command that talks to
    Label Studio stops on it (it was printed as if it were a server the commands use)."""
    from annotate._util.urls import masked
    from annotate.errors import StudioError
    from annotate.studio import server
    from annotate.studio.connection import check_url

    url = os.environ.get(URL_ENV, "").strip()
    if not url or server.names_local_server(url, paths, running_url):
        return
    try:
        check_url(url)
    except StudioError as exc:
        echo(
            f"warning: {exc.what} Commands that talk to Label Studio (push, export, "
            f"review ...) stop on it. Fix: {exc.fix}, or `unset {URL_ENV} {KEY_ENV}` to "
            "use the local server."
        )
        return
    note(f"note: {URL_ENV} " + said.format(url=masked(url)) + ".", quiet)


def server_pid_alive(paths: StudioPaths) -> int | None:
    """The pid of the server process the state file names, when it is alive (None
    otherwise): one `studio start` (or `demo`) launched goes on in a session of its own
    after the command is interrupted (Ctrl-C reaches the terminal's process group, not
    it)."""
    from annotate.studio import server

    pid = (read_state(paths) or {}).get("pid")
    return pid if isinstance(pid, int) and server.pid_alive(pid) else None


def _said_left(paths: StudioPaths) -> str | None:
    """What an interrupted `studio start` leaves: the server it launched, still
    starting (it said "nothing partial is left" while Label Studio went on in the
    background, holding its port)."""
    pid = server_pid_alive(paths)
    if pid is None:
        return None
    return (
        f"but Label Studio (pid {pid}) goes on starting in the background: "
        "`annotate studio status` says when it answers, `annotate studio stop` stops it"
    )


def _said_again(paths: StudioPaths) -> str | None:
    """What running `studio start` again does after an interruption (None: starts one)."""
    if server_pid_alive(paths) is None:
        return None
    return "it waits for that server rather than start another"


@studio_app.command("stop")
def stop_cli(quiet: QuietOpt = False) -> None:
    """Stop the local Label Studio (its data is kept)."""
    from annotate.studio import server

    if server.stop(studio_paths()):
        echo("Label Studio stopped.")
    else:
        echo("Label Studio was not running.")


@studio_app.command("recount")
def recount_cli(quiet: QuietOpt = False) -> None:
    """Stop the local Label Studio, recount every task's answer counters from its answers
    (`label-studio calculate_stats_all_orgs --from-scratch`) and start it again if it was
    running (a stopped server stays stopped): after "answer counters ... are behind its
    answers". Refused while a push or export of this machine runs (it would fail)."""
    from annotate.studio.recount import recount

    echo(
        "recounting the local Label Studio's answer counters (the server is stopped meanwhile) ..."
    )
    st = recount(studio_paths())
    if st.running:
        echo(f"recounted; Label Studio is running at {st.url} (pid {st.pid})")
    else:
        echo(
            "recounted; Label Studio was not running and is left stopped (`annotate studio start`)"
        )


@studio_app.command("status")
def status_cli(quiet: QuietOpt = False) -> None:
    """Say whether the local Label Studio runs and answers (exit 1 if it does not)."""
    from annotate.studio import server

    paths = studio_paths()
    st = server.status(paths)
    # after `eval "$(annotate studio env)"` the variable names this very server
    _say_url_env(paths, st.url, "is set; commands use {url}, not the local server", quiet)
    on = (read_state(st.paths) or {}).get("database", "sqlite")
    if st.answers:
        if st.authenticated:
            auth = "token accepted"
        elif st.api_status is not None and st.api_status >= 500:
            auth = f"but its API fails (HTTP {st.api_status}: is {on} up? see {st.paths.log})"
        else:
            auth = "TOKEN REJECTED" + _answered_by_another(st.url, st.pid)
        typer.echo(f"running: {st.url} (pid {st.pid}) on {on}, answers, {auth}")
        if not st.authenticated:
            raise typer.Exit(1)
    elif st.running and st.api_status is not None and st.api_status >= 500:
        typer.echo(
            f"failing: {st.url} (pid {st.pid}) on {on} answers HTTP {st.api_status}: is {on} "
            f"up? see {st.paths.log}"
        )
        raise typer.Exit(1)
    elif st.running:
        typer.echo(f"starting: pid {st.pid} is up but {st.url} does not answer yet")
        raise typer.Exit(1)
    elif paths.data.is_dir():  # this home has a server (stopped): the folder is right
        typer.echo(
            f"stopped: the local server of {paths.root} is not running (run `annotate "
            "studio start`; its data is kept)"
        )
        raise typer.Exit(1)
    else:
        typer.echo(
            f"stopped: no local server runs from {paths.root} (run `annotate "
            "studio start`; the server belongs to the nearest .annotate folder above the current "
            f"one: run from inside the project or set {HOME_ENV} to its .annotate folder)"
        )
        raise typer.Exit(1)


def _answered_by_another(url: str | None, pid: int | None) -> str:
    """ ", but by another program ..." when the server answering at ``url`` is not the
    process ``pid`` this folder launched (it took the port while ours migrated, newuser63
    #1), else "" (it is ours, or /proc cannot tell)."""
    from annotate.studio.port_holder import taken_from

    taken = taken_from(url, pid)
    if taken is None:
        return ""
    port, holder = taken
    return (
        f" by another program on port {port}{f' ({holder})' if holder else ''}, not by pid "
        f"{pid} (this folder's, still starting or stuck): `annotate studio stop`, then "
        "`annotate studio start` (it moves to a free port; keep the data folder)"
    )


@studio_app.command("env")
def env_cli(quiet: QuietOpt = False) -> None:
    """Print `export LABEL_STUDIO_URL=... LABEL_STUDIO_API_KEY=...` lines for `eval`, and
    for the local server `export ANNOTATE_HOME=...`, its work folder (the pseudonym salt
    that names its reviewers), so commands run from other folders use the same."""
    from annotate.studio import server

    conn = resolve_connection()
    paths = studio_paths()
    # a $LABEL_STUDIO_URL an earlier `studio env` set (the local server's URL, now or
    # before a restart moved it) gives way to the local server's: a command that found the
    # old URL dead says to run `eval "$(annotate studio env)"` again
    if conn.source != "local" and server.was_local_server_url(conn.url, paths):
        conn = local_connection(paths)
    typer.echo(f"export {URL_ENV}={shlex.quote(conn.url)}")
    typer.echo(f"export {KEY_ENV}={shlex.quote(conn.api_key)}")
    if conn.source == "local":
        # a push from the data folder made a salt of its own there: the review set's
        # queues then matched no account under the project folder's salt (reassign,
        # export and review status refused it)
        typer.echo(f"export {HOME_ENV}={shlex.quote(str(annotate_home()))}")
