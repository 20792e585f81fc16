"""The Markdown pieces the audit reports share (``annotate report``'s ``report.md`` and
the licence and provenance sections it includes): exported values shown as text, never
as markup."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    """A Markdown table as lines: the ``header`` cells as they are, then one line per row
    of ``rows`` (each as long as ``header``), then an empty line. A cell shows None as
    n/a, a float with 3 decimals, a yes/no value (a reviewer flagged) as yes or no
    (report.json keeps it true/false), anything else as ``str``; a cell not starting with
    a backtick is escaped (:func:`escape_markdown`), and ``|`` and line breaks in any
    cell cannot break the table. Never raises for cells ``str`` accepts."""

    def cell(v: Any) -> str:
        if isinstance(v, bool):
            return "yes" if v else "no"
        text = "n/a" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)
        if not text.startswith("`"):  # exported values are data, never markup
            text = escape_markdown(text)
        return table_cell(text)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def table_cell(value: Any) -> str:
    """``value`` as the text of one Markdown table cell: ``str(value)`` with ``|``
    escaped (``\\|``: a bare one ends the cell) and each line break (``\\r\\n``, ``\\n``,
    ``\\r``) made a space (one ends the row). Nothing else is escaped. Never raises for a
    value ``str`` accepts."""
    text = str(value).replace("|", "\\|")
    return re.sub(r"\r\n|[\r\n]", " ", text)


def table_row(cells: Iterable[Any]) -> str:
    """One Markdown table row (``| a | b |``) of ``cells``, each made a cell by
    :func:`table_cell` (model cards, comparison and cross-source tables: every row of
    a table is written by it, so no cell text can break the table)."""
    return "| " + " | ".join(table_cell(c) for c in cells) + " |"


def escape_markdown(text: str) -> str:
    """Text from the export shown as text: HTML's ``&``, ``<`` and ``>`` escaped as
    entities, then Markdown's backslash, backtick and asterisk escaped with a backslash."""
    return re.sub(r"([\\`*])", r"\\\1", html.escape(text, quote=False))


def code_span(value: Any) -> str:
    """``str(value)`` as a Markdown code span, whatever it holds: fenced by one backtick
    more than its longest run of them (with a space inside when it starts or ends with
    one), so a backtick in an input's file name or a hand-made passage id cannot close
    the span and let the rest (``<img onerror=...>``) through as HTML into report.html;
    line breaks become spaces. Never raises for a value ``str`` accepts."""
    text = re.sub(r"\r\n|[\r\n]", " ", str(value))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
