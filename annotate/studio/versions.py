"""Tasks of an earlier version of a pushed document (one edited, or split otherwise,
since it was pushed): every push path (one project, numbered projects, a review set's
queues) finds them by the same rule (:func:`is_earlier_version`; the staging database's
SQL, :meth:`annotate.studio.staging.Staging.other_versions`, mirrors it) and the CLI warns
once per push with the same words.

A task already in Label Studio, of a document of the file, whose passage the file does not
hold, is an earlier version only when

- the file holds the whole document: none of the file's rows of that document carries a
  neighbour's text (``context_before``/``context_after``, written by ``ingest --previous``
  for a passage whose neighbour the batch leaves out), or
- the file holds a row of that document at the task's ``passage_index`` (that position was
  rewritten), or
- the task's ``passage_index`` is past the document's end, when the file shows it: the
  file's row at its last position carries no neighbour after it (ingest writes the text of
  the next passage there when the batch leaves it out; none when there is none), so the
  edit ended the document there (a document that got shorter).

Any other such task is at a position a partial batch (``ingest --previous``) does not
write: an unchanged passage, left out of the batch as an exact copy, not counted. Nor is a
task of a passage a row carries as its neighbour: the edited document still holds it (an
unchanged passage that moved up, the edit having removed one before it).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field


@dataclass
class DocCover:
    """What a file holds of one document: ``whole`` (no row of it carries a neighbour's
    text), the ``positions`` (``passage_index``) of its rows, the passage ids of the
    neighbours its rows carry (``carried``), its ``last`` position and whether a row there
    carries the neighbour after it (``open_end``: the document goes on past the file's rows)."""

    whole: bool = True
    positions: set[int] = field(default_factory=set)
    carried: set[str] = field(default_factory=set)
    last: int | None = None
    open_end: bool = False

    def add(self, index: int | None, before: str | None = None, after: str | None = None) -> None:
        """Note one row of the document: its ``passage_index`` and the passage ids of the
        neighbours it carries before and after it (None: none carried)."""
        carried = {pid for pid in (before, after) if pid is not None}
        if carried:
            self.whole = False
            self.carried |= carried
        if index is None:
            return
        index = int(index)
        self.positions.add(index)
        if self.last is None or index > self.last:
            self.last, self.open_end = index, after is not None
        elif index == self.last:
            self.open_end = self.open_end or after is not None

    @property
    def end(self) -> int | None:
        """The document's last position when the file shows it (its last row carries no
        neighbour after it), else None."""
        return None if self.open_end else self.last


def is_earlier_version(cover: DocCover, task_index: int | None, passage: str) -> bool:
    """Whether a task of ``passage`` (its passage id), of a document the file covers as
    ``cover``, at ``task_index`` (its ``passage_index``; None: unknown), a passage the
    file does not hold, is an earlier version of a passage of the file (the module
    docstring gives the rule)."""
    if passage in cover.carried:
        return False
    if cover.whole:
        return True
    if task_index is None:
        return False
    end = cover.end
    return int(task_index) in cover.positions or (end is not None and int(task_index) > end)


def other_versions(
    file_docs: Mapping[str, DocCover],
    file_passages: Collection[str],
    listed: Iterable[tuple[str | None, int, str, int | None]],
    examples: int = 3,
) -> tuple[int, int, list[tuple[str, int]]]:
    """Of the tasks ``listed`` ((document id, task id, passage id, passage index) of tasks
    already in Label Studio), those of a document of the file (``file_docs``: document id
    -> what the file holds of it) whose passage the file does not hold
    (``file_passages``) and that :func:`is_earlier_version` counts: (tasks, documents, a
    few (document id, lowest task id) examples, by document id). A document counts once
    however many tasks (queues of a review set) hold its earlier passages."""
    first: dict[str, int] = {}
    tasks = 0
    for doc, task_id, pid, index in listed:
        if doc in (None, "") or pid in file_passages:
            continue
        cover = file_docs.get(str(doc))
        if cover is None or not is_earlier_version(cover, index, pid):
            continue
        tasks += 1
        first[str(doc)] = min(task_id, first.get(str(doc), task_id))
    shown = [(doc, first[doc]) for doc in sorted(first)[:examples]]
    return tasks, len(first), shown


def task_index(data: Mapping[str, object]) -> int | None:
    """A task's ``passage_index`` (None: none, or not a whole number)."""
    value = data.get("passage_index")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None
