"""`annotate demo`: start Label Studio and fill a project with the pre-labelled sample."""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import Annotated

import typer

from annotate.cli.app import (
    Bars,
    LabelsOpt,
    QuietOpt,
    ThreadsOpt,
    app,
    command_name,
    counted,
    echo,
    new_project_name,
    note,
    said_on_interrupt,
)
from annotate.cli.studio import installing_line, server_pid_alive
from annotate.defaults import DEMO_PROJECT
from annotate.studio.connection import StudioPaths


@app.command("demo")
def demo_cli(
    project: Annotated[
        str, typer.Option("--project", "-p", callback=new_project_name, help="Project title.")
    ] = DEMO_PROJECT,
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus",
            help="Folder or file of your documents, read as `annotate ingest` reads it "
            "(default: the bundled sample).",
        ),
    ] = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="Model directory (default: the bundled one).")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", min=1, max=65535, help="Port to try first.")
    ] = None,
    labels_file: LabelsOpt = None,
    threads: ThreadsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Start the local Label Studio, ingest + pre-label the sample corpus and push it."""
    from annotate.classifier.threads import use_threads
    from annotate.demo import demo
    from annotate.studio import server
    from annotate.studio.connection import URL_ENV, studio_paths

    if os.environ.get(URL_ENV):
        note(
            f"note: the demo uses the local Label Studio, not {URL_ENV}={os.environ[URL_ENV]}.",
            quiet,
        )
    use_threads(threads)  # the pre-labelling's torch threads, chosen as prelabel does
    paths = studio_paths()
    was_running = server_pid_alive(paths) is not None  # a server it did not start
    said_on_interrupt(again=lambda: None, left=lambda: _left(paths, was_running))

    def starting() -> None:
        """Said once the demo's checks passed (corpus, labels.yaml, model), as the
        server starts: a mistake is said without a word of starting before it."""
        if not server.is_installed(paths):
            server.check_install_folder(paths)  # a refused folder is not announced first
            echo(installing_line(paths))
        if not server.status(paths).answers:
            slow = server.may_migrate(paths, server.chosen_database(paths))
            echo(
                "starting the local Label Studio"
                f"{' (a first start runs migrations, about a minute)' if slow else ''} ..."
            )

    with Bars(quiet) as bars:
        result = demo(
            project,
            corpus=corpus,
            model=model,
            taxonomy=labels_file,
            port=port,
            progress=bars,
            starting=starting,
        )
    p = result.push
    echo(
        f"{counted(result.documents, 'document')} -> {counted(result.passages, 'passage')}; "
        f"project {p.project!r}: "
        f"{p.created} created, {p.skipped} already there, {p.failed} failed "
        f"(model {p.model_version})"
    )
    echo("")
    echo(f"Review the pre-labelled tasks at {result.project_url}")
    echo(f"  login:    {result.username}")
    echo(f"  password: {result.password}")
    echo("Tasks are ordered likeliest harm first; the model's labels are pre-filled.")
    echo("")
    echo(f"Two blind reviewers each got their own queue of {result.team_project!r} (K=2):")
    for member in result.team:
        password = member.password or "(set earlier; see .annotate/demo/reviewers.json)"
        echo(f"  {member.email} / {password}  -> {member.project_url}")
    cmd = command_name()
    team = shlex.quote(result.team_project)
    echo("When they have answered, measure agreement and send disagreements to a lead:")
    echo(f"  {cmd} agreement --project {team}")
    echo(f"  {cmd} adjudicate --project {team}")
    echo("Export the reviewers' answers, or your own in the first project:")
    echo(f"  {cmd} export --project {team} --out out/team-corpus")
    echo(f"  {cmd} export --project {shlex.quote(p.project)} --out out/corpus")
    echo(f"Stop the server with `{cmd} studio stop`.")
    if p.failed:
        raise typer.Exit(1)


def _left(paths: StudioPaths, was_running: bool) -> str | None:
    """What an interrupted demo leaves besides its work in Label Studio: the server it
    started, which runs on in a session of its own (None: it started none, or the
    server is gone; the default message then says what stays in Label Studio)."""
    pid = None if was_running else server_pid_alive(paths)
    if pid is None:
        return None
    return (
        "what it already did in Label Studio stays, and the Label Studio it started "
        f"(pid {pid}) goes on running in the background: `annotate studio stop` stops it"
    )
