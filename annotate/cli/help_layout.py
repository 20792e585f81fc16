"""Command help whose option names are never cut (passG52 G4).

Typer prints each option as a row of a rich table (required mark, long name, short
name, ``--no-`` name, type, help) whose columns rich shrinks alike when the terminal is
narrow: below about 120 columns (a pipe, ``less``, an 80-column terminal) names printed
cut (``--skip-bad-fil…``, ``--allow-other-…``), and the help column was about 20
characters wide. :func:`wide_option_names` lays the options table out in three columns
instead: the required mark, the names (the long name with the short one, the ``--no-``
name on the next line, the type of a value below them: a flag's ``<bool>`` left out),
never wrapped nor cut, and the help, which takes the rest of the width; where that is
under :data:`MIN_HELP_WIDTH` columns (a 40- or 45-column terminal) each option's help goes
under its names instead. It is installed when help is first printed (typer imports rich
then; a command that prints no help does not pay for it).
"""

from __future__ import annotations

from typing import Any

_INSTALLED = False
# below this many columns for the help beside the names, each option's help goes under
# its names instead
MIN_HELP_WIDTH = 20


def wide_option_names() -> None:
    """Make typer's rich help lay out options as the module doc says (once)."""
    global _INSTALLED
    if _INSTALLED:
        return
    import typer.rich_utils as rich_utils
    from rich.console import Group
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    class OptionsTable(Table):
        """Typer's options table (the one it adds rows to without declaring columns),
        its name cells joined in one column that rich neither wraps nor cuts."""

        def add_row(self, *cells: Any, **kwargs: Any) -> None:
            if getattr(self, "_names_joined", None) is None:
                # the commands table declares its columns before its rows
                self._names_joined = not self.columns and len(cells) in (6, 7)
                if self._names_joined:
                    if len(cells) == 7:
                        self.add_column(no_wrap=True)  # the required mark
                    self.add_column(no_wrap=True)
                    self.add_column(ratio=1)
            if not self._names_joined or len(cells) not in (6, 7):
                super().add_row(*cells, **kwargs)
                return
            required, rest = (cells[:1], cells[1:]) if len(cells) == 7 else ((), cells)
            long, short, no_long, no_short, kind, help_ = rest
            names = Text()
            for part, before in ((long, ""), (short, ", "), (no_long, "\n"), (no_short, ", ")):
                if isinstance(part, Text) and part.plain:
                    names.append(before if names.plain else "")
                    names.append(part)
            if isinstance(kind, Text) and kind.plain and kind.plain != "<bool>":  # a flag: no value
                names.append("\n" if names.plain else "")
                names.append(kind)
            super().add_row(*required, names, help_, **kwargs)
            self._stack_rows = [*getattr(self, "_stack_rows", []), (required, names, help_)]

        def __rich_console__(self, console: Any, options: Any) -> Any:
            rows = getattr(self, "_stack_rows", None)
            if rows:
                width = (self.width or options.max_width) - self._extra_width
                widths = self._calculate_column_widths(console, options.update_width(width))
                if widths[-1] < MIN_HELP_WIDTH:
                    yield from self._stacked(rows).__rich_console__(console, options)
                    return
            yield from super().__rich_console__(console, options)

        def _stacked(self, rows: list[tuple[tuple[Any, ...], Text, Any]]) -> Table:
            """This table with each option's help under its names (indented), in one
            column: at 40 columns the names left the help column no width, and no option
            showed any help (break7 L8)."""
            stacked = Table(
                show_header=False,
                box=self.box,
                expand=self.expand,
                padding=self.padding,
                show_edge=self.show_edge,
                pad_edge=self.pad_edge,
                highlight=self.highlight,
            )
            if any(required for required, _, _ in rows):
                stacked.add_column(no_wrap=True)
            for required, names, help_ in rows:
                cell = Group(names, Padding(help_, (0, 0, 0, 2))) if help_ else names
                stacked.add_row(*required, cell)
            return stacked

    rich_utils.Table = OptionsTable  # type: ignore[misc]
    _INSTALLED = True


def install() -> None:
    """Call :func:`wide_option_names` before typer formats any command's help."""
    import typer.core

    for cls in (typer.core.TyperCommand, typer.core.TyperGroup):
        if getattr(cls.format_help, "_wide_names", False):
            continue
        original = cls.format_help

        def format_help(self: Any, ctx: Any, formatter: Any, _original: Any = original) -> None:
            wide_option_names()
            _original(self, ctx, formatter)

        format_help._wide_names = True  # type: ignore[attr-defined]
        cls.format_help = format_help  # type: ignore[method-assign]


__all__ = ["install", "wide_option_names"]
