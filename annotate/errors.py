"""Domain errors. Every user-facing failure is an :class:`AnnotateError`.

Each error says what was expected, what was found and how to fix it, so the CLI can
print it as one line and exit non-zero without a traceback.
"""

from __future__ import annotations

import re

_BREAKS = re.compile(r"[ ]*[^\S ]\s*")  # a run of whitespace holding more than spaces


def one_line(text: str) -> str:
    """``text`` on one line: each run of whitespace holding a line break, tab or the like
    becomes one space; runs of plain spaces are kept, since they can be part of a name
    the message quotes (a project titled 'Team  Dec' was shown as 'Team Dec')."""
    return _BREAKS.sub(" ", text).strip()


class AnnotateError(Exception):
    """Base class: a failure the user can act on.

    ``what`` describes what was wrong (expected vs found); ``fix`` the likely fix.
    """

    exit_code = 1

    def __init__(self, what: str, *, fix: str | None = None) -> None:
        self.what = one_line(what)
        self.fix = one_line(fix) if fix else None
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.what} Fix: {self.fix}" if self.fix else self.what


class TaxonomyError(AnnotateError):
    """labels.yaml is missing, malformed or inconsistent."""


class InputError(AnnotateError):
    """An input file or table is not what the command expects."""


class EmptyTableError(InputError):
    """A table file without rows: empty, blank lines only, or a CSV header alone."""


class SchemaError(InputError):
    """A table lacks a required column or has one of the wrong type."""


class ModelError(AnnotateError):
    """A model cannot be loaded or does not match the taxonomy."""


class PredictionError(AnnotateError):
    """A prediction does not fit the labeling config."""


class StudioError(AnnotateError):
    """Label Studio could not be reached or refused a request."""


class StudioUnavailableError(StudioError):
    """No Label Studio answers at the configured URL, or a request's answer was lost.

    ``still_working``: the server may still be carrying the request out (the answer did
    not come within the client's timeout, a gateway answered 502 or 504), so what it
    makes can land after this error is raised.

    ``gone``: a retry cannot succeed, so it is reported at once rather than tried again:
    the server is known not to be there (the local server annotate started was stopped
    or its process ended, and nothing listens on its port), or it fails every write
    until someone mends it (its disk full or read-only).
    """

    def __init__(
        self,
        what: str,
        *,
        fix: str | None = None,
        still_working: bool = False,
        gone: bool = False,
    ) -> None:
        self.still_working = still_working
        self.gone = gone
        super().__init__(what, fix=fix)


class StudioNotFoundError(StudioError):
    """Label Studio answered 404 Not Found (a path it does not serve, an object deleted, a
    page of a listing past its last)."""


class StudioServerError(StudioError):
    """Label Studio failed with a server error (HTTP 5xx from the server itself).

    ``status``: the HTTP status; ``reason``: the server's reason, one line (a push
    compares them to tell a server that fails every import from rows it cannot store);
    ``read``: the failed request only read, so the same command run again is safe once
    the server reads again.
    """

    def __init__(
        self,
        what: str,
        *,
        fix: str | None = None,
        status: int | None = None,
        reason: str = "",
        read: bool = False,
    ) -> None:
        self.status = status
        self.reason = reason
        self.read = read
        super().__init__(what, fix=fix)


class StudioAuthError(StudioError):
    """Label Studio rejected the API token."""


class ProjectNotFoundError(StudioError):
    """The named Label Studio project does not exist."""


class ExportError(AnnotateError):
    """An export could not be completed or failed its consistency checks."""


class TrainingError(AnnotateError):
    """Training data or configuration is unusable."""
