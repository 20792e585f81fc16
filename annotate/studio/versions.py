"""Tasks of an earlier version of a pushed document (one edited, or split otherwise,
since it was pushed): every push path (one project, numbered projects, a review set's
queues) finds them the same way and the CLI warns once per push with the same words."""

from __future__ import annotations

from collections.abc import Collection, Iterable


def other_versions(
    file_docs: Collection[str],
    file_passages: Collection[str],
    listed: Iterable[tuple[str | None, int, str]],
    examples: int = 3,
) -> tuple[int, int, list[tuple[str, int]]]:
    """Of the tasks ``listed`` ((document id, task id, passage id) of tasks already in Label
    Studio), those of a document of the file (``file_docs``) whose passage the file does
    not hold (``file_passages``): (tasks, documents, a few (document id, lowest task id)
    examples, by document id). A document counts once however many tasks (queues of a
    review set) hold its earlier passages."""
    first: dict[str, int] = {}
    tasks = 0
    for doc, task_id, pid in listed:
        if doc in (None, "") or doc not in file_docs or pid in file_passages:
            continue
        tasks += 1
        first[str(doc)] = min(task_id, first.get(str(doc), task_id))
    shown = [(doc, first[doc]) for doc in sorted(first)[:examples]]
    return tasks, len(first), shown
