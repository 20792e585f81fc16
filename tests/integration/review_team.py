"""Helpers of the review-set tests written apart from the shared review round
(test_review_k, test_gold_regular, test_handover_order, test_adjudication_moot): the CLI
run in process, fresh reviewer accounts, answers given as a reviewer."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from annotate.cli import app
from annotate.review.reviewers import find_user
from annotate.studio.client import StudioClient

from .helpers import PASSWORDS, PRELABELS, answer_of, choices


def run(*args: str, code: int = 0) -> str:
    """``annotate ARGS`` in process; its output (stdout and stderr). Fails on another exit
    code."""
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def add_team(names: tuple[str, ...], domain: str) -> dict[str, str]:
    """Fresh reviewer accounts ``NAME-xxxxxx@DOMAIN`` (signed up as `annotate reviewers
    add` does): e-mail -> password."""
    tag = uuid.uuid4().hex[:6]
    out = {}
    for name in names:
        email = f"{name}-{tag}@{domain}"
        text = run("reviewers", "add", email)
        out[email] = re.search(r"password: (\S+)", text).group(1)  # type: ignore[union-attr]
    PASSWORDS.update(out)
    return out


def reviewer_flags(emails: Iterable[str]) -> list[str]:
    """``--reviewer EMAIL`` for each of ``emails``, in order."""
    return [arg for email in emails for arg in ("--reviewer", email)]


def push_set(
    name: str,
    reviewers: Iterable[str],
    *extra: str,
    source: Path = PRELABELS,
    code: int = 0,
) -> str:
    """``annotate push SOURCE --project NAME -k 2 --reviewer ... EXTRA`` in process (a
    review set of two reviewers per passage); its output. Fails on another exit code."""
    args = ["push", str(source), "--project", name, "-k", "2", *reviewer_flags(reviewers)]
    return run(*args, *extra, code=code)


def answer_as(
    client: StudioClient,
    email: str,
    project_id: int,
    passage: str,
    categories: list[str],
    severity: str = "none",
) -> int:
    """An answer of ``email``'s account to ``passage`` in project ``project_id``, made
    logged in as that reviewer when the tests signed the account up (:func:`add_team`,
    helpers.new_reviewer: Label Studio then records the reviewer as its author and last
    writer), else with the admin token, completed by that reviewer (recorded as written by
    the admin): helpers.answer_of; the annotation id."""
    user = find_user(client, email)
    assert user is not None, email
    (task,) = [t for t in client.iter_tasks(project_id) if t["data"]["passage_id"] == passage]
    result: list[dict[str, Any]] = [
        choices("category", categories),
        choices("severity", [severity]),
    ]
    return answer_of(client, int(task["id"]), int(user["id"]), result)
