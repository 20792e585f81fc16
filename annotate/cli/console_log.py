"""How log records read on the console: a library warning like the CLI's own lines.

The CLI writes its own notices as ``warning: ...`` (:func:`annotate.cli.app.echo`);
library code only logs (``log.warning(...)``). Without this, those records came out in
logging's style, ``WARNING annotate.training.sources: ...``, beside the CLI's
``warning: ...`` lines. :class:`ConsoleFormatter` writes a record of level WARNING and
above from annotate's own loggers (``annotate``, ``annotate.*``) as ``warning: ...``
(``error: ...``). At debug level (``-vv``) every record keeps its level and logger name,
so a debug log still says where each line came from; other libraries' records
(``py.warnings``, transformers, ...) keep them always.
"""

from __future__ import annotations

import logging
import sys

PLAIN_FORMAT = "%(levelname)s %(name)s: %(message)s"  # other loggers, and -vv
OWN_LOGGER = "annotate"


def is_own(name: str) -> bool:
    """Whether ``name`` is one of annotate's loggers (``annotate`` or ``annotate.*``)."""
    return name == OWN_LOGGER or name.startswith(OWN_LOGGER + ".")


class ConsoleFormatter(logging.Formatter):
    """``warning: MESSAGE`` for annotate's records of level WARNING and above (``error:``,
    ``critical:`` by level), :data:`PLAIN_FORMAT` for the rest; ``named``: every record
    in :data:`PLAIN_FORMAT` (the debug level's). A traceback (``exc_info``) follows the
    message either way."""

    def __init__(self, *, named: bool = False) -> None:
        super().__init__(PLAIN_FORMAT)
        self.named = named

    def formatMessage(self, record: logging.LogRecord) -> str:
        if not self.named and record.levelno >= logging.WARNING and is_own(record.name):
            return f"{record.levelname.lower()}: {record.message}"
        return super().formatMessage(record)


def configure(level: int) -> None:
    """Set up the root logger for the console at ``level`` (logging.DEBUG: names kept),
    as ``logging.basicConfig`` does: only when it has no handler yet (a test's capture,
    a program embedding the CLI keep theirs)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(ConsoleFormatter(named=level <= logging.DEBUG))
    logging.basicConfig(level=level, handlers=[handler])
