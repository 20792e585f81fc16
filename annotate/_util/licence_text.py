"""What a recorded licence may be (one short line of text) and which table columns hold
it: shared by ingest (:mod:`annotate.ingestion.licenses`), which records it, and by what
reads it back from a task (:mod:`annotate.corpus.licenses`, a push's listing), without
the ingestion package's imports."""

from __future__ import annotations

# the first of these names a table has (any case) is its licence column
LICENSE_COLUMNS = ("license", "licence")
MAX_LICENSE_CHARS = 300  # an SPDX expression or a short statement, not a licence's text


def license_problem(text: str) -> str | None:
    """What keeps ``text`` (stripped) from being a licence as recorded: empty, a line
    break or control character, or over :data:`MAX_LICENSE_CHARS`; None when it is fine."""
    if not text:
        return "an empty one"
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        return "one holding a line break or control character"
    if len(text) > MAX_LICENSE_CHARS:
        return f"{len(text):,} characters (at most {MAX_LICENSE_CHARS})"
    return None
