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
  rewritten).

Any other such task is at a position a partial batch (``ingest --previous``) does not
write: an unchanged passage, left out of the batch as an exact copy, not counted. (A
document that shrank leaves its last positions out of that count.)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field


@dataclass
class DocCover:
    """What a file holds of one document: ``whole`` (no row of it carries a neighbour's
    text) and the ``positions`` (``passage_index``) of its rows."""

    whole: bool = True
    positions: set[int] = field(default_factory=set)

    def add(self, index: int | None, carries_neighbour: bool) -> None:
        """Note one row of the document (its ``passage_index``; whether it carries a
        neighbour's text)."""
        if carries_neighbour:
            self.whole = False
        if index is not None:
            self.positions.add(int(index))


def is_earlier_version(cover: DocCover, task_index: int | None) -> bool:
    """Whether a task of a document the file covers as ``cover``, at ``task_index`` (its
    ``passage_index``; None: unknown), whose passage the file does not hold, is an earlier
    version of a passage of the file (the module docstring gives the rule)."""
    return cover.whole or (task_index is not None and int(task_index) in cover.positions)


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
        if cover is None or not is_earlier_version(cover, index):
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
