"""The `annotate reviewers` and `annotate review` command groups, and the ``--project``
option the review commands share."""

from __future__ import annotations

from typing import Annotated

import typer

from annotate.cli.app import ErrorContract, app, project_name

# each group handles its commands' errors itself, so that a message can tell `review status`
# (reads) from `review reassign` (changes queues) (annotate.cli.app.said_of)
reviewers_app = typer.Typer(
    cls=ErrorContract, help="Reviewer accounts on a Label Studio server you administer."
)
app.add_typer(reviewers_app, name="reviewers")
review_app = typer.Typer(
    cls=ErrorContract, help="A review set's queues: open work per reviewer, hand-overs."
)
app.add_typer(review_app, name="review")

ProjectOpt = Annotated[
    str, typer.Option("--project", "-p", callback=project_name, help="Label Studio project title.")
]
