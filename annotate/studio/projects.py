"""Which Label Studio projects make up a project name: the one rule push, export,
agreement and adjudicate share.

A name ``NAME`` stands for exactly one of:

- ``single``: the project titled ``NAME`` (what a push that fits one project makes);
- ``numbered``: ``NAME`` if it exists, then ``NAME #1``, ``NAME #2``, ... (a push beyond
  ``--max-tasks-per-project`` tasks fills one, then opens the next); they are one corpus;
- ``review``: a review set made by ``annotate push --reviewers-per-task K``: one project
  per reviewer, ``NAME · r-…`` (``NAME · LOCALPART`` before pseudonyms), recognised by the
  marker its description ends with.
  Review sets are not split into numbered projects.

Several projects with one title (``NAME``, or one ``NAME #k``) are an error naming them,
and so is a name that is both a review set and numbered projects: picking one silently
could push into, or export, the wrong one.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from annotate import defaults
from annotate.errors import InputError, StudioError
from annotate.studio.client import StudioClient, several_titled_error

# Label Studio's PROJECT_TITLE_MAX_LEN and PROJECT_TITLE_MIN_LEN (label_studio/core/
# settings/base.py, 1.23.2). A shorter name is refused only where a push would make the
# projects of a new name (:func:`short_name_error`): the server refused a project titled
# 'ab' (HTTP 400) but not 'ab #1' nor a review set's 'ab · r-…', so such a name worked only
# for a push large enough to be numbered, or for a review set; sets made so are still
# pushed into, and export and agreement read any title
MAX_TITLE = 50
MIN_TITLE = 3
NUMBERED_END = re.compile(r" #([1-9][0-9]*)$")  # how numbered_title ends a title
QUEUE_SEPARATOR = " · "  # between a review set's name and its queue's reviewer
REVIEW_MARKER = "[annotate-review]"
LIST_FIELDS = "id,title,description"  # what telling the projects of a name apart reads
DEFAULT_MAX_TASKS_PER_PROJECT = defaults.DEFAULT_MAX_TASKS_PER_PROJECT

Kind = Literal["single", "numbered", "review", "none"]


@dataclass(frozen=True)
class ProjectSet:
    """The projects of one name, in fill order (``review``: by reviewer email)."""

    name: str
    kind: Kind
    projects: tuple[dict[str, Any], ...]
    reviewers: tuple[str, ...] = ()  # review sets: the email of each project, same order
    # kind "none": names of existing projects or review sets that differ from ``name``
    # only in case or spacing (:func:`fold_name`), for a push to refuse a typo
    twins: tuple[str, ...] = ()

    @property
    def titles(self) -> dict[str, int]:
        return {str(p["title"]): int(p["id"]) for p in self.projects}


def project_name(name: str) -> str:
    """A ``--project`` name as Label Studio keeps a title: without surrounding spaces (the
    server strips them, so 'Batch 1 ' was never found again and every re-run made another
    project), 1 to :data:`MAX_TITLE` characters (a name to find), one line of printable
    text; InputError otherwise."""
    title = name.strip()
    if not title or len(title) > MAX_TITLE:
        raise InputError(
            f"--project {name!r} has {len(title)} characters (without surrounding spaces); "
            f"Label Studio titles hold 1 to {MAX_TITLE}.",
            fix="pass a project name of that length, e.g. --project 'Batch 2026-12'.",
        )
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in title):
        raise InputError(
            f"--project {name!r} holds a control character (a line break, a tab); expected "
            "one line of printable text.",
            fix="pass a name on one line, e.g. --project 'Batch 2026-12'.",
        )
    return title


def new_project_name(name: str) -> str:
    """A ``--project`` name that annotate makes projects under (push, demo):
    :func:`project_name`, and none of the endings that name the projects of another name:
    ``NAME #k`` (:func:`numbered_title`: 'Batch #2' would be read as the second project of
    'Batch', and its own second project be 'Batch #2 #2') or ``NAME · WHO`` (a review
    set's queues; 'Batch · adjudication' reads as the lead's project of 'Batch'). The
    names of existing projects are still read (export, agreement) whatever they hold."""
    title = project_name(name)
    if (m := NUMBERED_END.search(title)) is not None:
        base = title[: m.start()]
        raise InputError(
            f"--project {title!r} ends in '#{m.group(1)}', the way annotate numbers the "
            f"projects of a push too large for one ({base!r}, {base + ' #1'!r}, ...): it "
            f"would be read as project {m.group(1)} of {base!r}.",
            fix=f"pass a name without a ' #NUMBER' ending, e.g. --project '{base} {m.group(1)}'.",
        )
    if QUEUE_SEPARATOR in title:
        raise InputError(
            f"--project {title!r} holds '{QUEUE_SEPARATOR}', which separates a review set's "
            "name from its reviewer in queue titles (NAME · r-…).",
            fix=f"use another separator, e.g. --project '{title.replace(QUEUE_SEPARATOR, ' - ')}'.",
        )
    return title


def reserved_name_error(client: StudioClient, name: str, members: ProjectSet) -> InputError | None:
    """The error :func:`new_project_name` gives for a push into ``name`` (``members``:
    :func:`project_set` of it), None when it has none of those endings or names a
    project that exists (made before they were refused, stop 35) and is no member of an
    annotate set: one titled exactly ``name``, and for a ``NAME #k`` title no project
    ``NAME`` nor another ``NAME #j`` beside it (a push's numbered projects; a review
    set's queue is refused by the push itself). A push into it still works; a push too
    large for it continues in ``NAME #k #1``, ... One listing of the projects' titles."""
    try:
        new_project_name(name)
        return None
    except InputError as err:
        refused = err
    if members.kind != "single":
        return refused
    if (m := NUMBERED_END.search(name)) is not None:
        whole = name[: m.start()]
        base = re.compile(re.escape(whole) + r"(?: #([1-9][0-9]*))?")
        found = {
            str(proj.get("title") or "")
            for proj in client.list_projects(include=LIST_FIELDS)
            if base.fullmatch(str(proj.get("title") or ""))
        }
        if found - {name}:
            # one of the numbered projects of NAME: its fix is NAME, which fills the
            # set's projects in order; 'NAME N' would make a project beside the set and
            # its passages be reviewed again there (passE51 E5). The set's projects are
            # named as the server has them: a set made by a push too large for one
            # project has no plain NAME, so "continues in 'NAME', 'NAME #1'" described a
            # numbering it does not use, and "project 2" read as off by one (passK54 K5)
            ordered = sorted(found, key=lambda t: int(base.fullmatch(t).group(1) or 0))  # type: ignore[union-attr]
            return InputError(
                f"--project {name!r} is one of the projects of the numbered set {whole!r} "
                f"({_listed(ordered)}); a push is made into the set, not one of its "
                "projects.",
                fix=f"pass --project {whole!r}: the push fills the set's projects in "
                "order (the first with room, then a new numbered one) and leaves out "
                "passages any of them holds already.",
            )
    return None


def _listed(titles: list[str]) -> str:
    """Titles for a message: each quoted, or the first two and the last of more than
    four (``'W #1', 'W #2', ..., 'W #9'``)."""
    if len(titles) <= 4:
        return ", ".join(repr(t) for t in titles)
    return f"{titles[0]!r}, {titles[1]!r}, ..., {titles[-1]!r}"


def short_name_error(members: ProjectSet) -> InputError | None:
    """The error for a push that would make the projects of a new name (``members``:
    :func:`project_set` of it, kind ``none``) shorter than :data:`MIN_TITLE` characters,
    a project title Label Studio refuses; None for a longer name or one whose projects
    exist (a numbered push or a review set made under it before)."""
    name = members.name
    if members.kind != "none" or len(name) >= MIN_TITLE:
        return None
    return InputError(
        f"--project {name!r} has {len(name)} character{'' if len(name) == 1 else 's'}; "
        f"Label Studio refuses a project title of fewer than {MIN_TITLE}.",
        fix=f"pass a name of {MIN_TITLE} to {MAX_TITLE} characters, e.g. --project "
        f"'{name} 2026-12'.",
    )


def fold_name(name: str) -> str:
    """``name`` without case and with every run of spaces as one: two names equal under
    it are one name mistyped, not two batches."""
    return " ".join(name.casefold().split())


def twin_error(members: ProjectSet) -> InputError | None:
    """The error for a push that would make ``members.name`` beside a project or review
    set whose name differs only in case or spacing (its reviewers would get the same
    passages a second time, in other projects); None when there is none."""
    if members.kind != "none" or not members.twins:
        return None
    twin = members.twins[0]
    return InputError(
        f"no project {members.name!r} yet, but {twin!r} exists, a name that differs only in "
        "case or spacing; a push would make new projects beside it instead of adding to it "
        "(its passages reviewed a second time there).",
        fix=f"pass --project {twin!r}, or a name that differs in more than case and spaces.",
    )


def numbered_title(name: str, number: int) -> str:
    """``NAME #number``; raises InputError when it exceeds Label Studio's 50 characters."""
    title = f"{name} #{number}"
    if len(title) > MAX_TITLE:
        raise InputError(
            f"project title {title!r} has {len(title)} characters; Label Studio titles hold "
            f"{MAX_TITLE}.",
            fix=f"use a --project name of at most {MAX_TITLE - 8} characters for large pushes.",
        )
    return title


# the part size a plain push's set (NAME, NAME #1, ...) was cut at, a line of each of its
# projects' descriptions: a later push without --max-tasks-per-project keeps it
PART_SIZE_PREFIX = "[annotate-push] max_tasks_per_project="


def part_size_of(project: Mapping[str, Any]) -> int | None:
    """The part size ``project``'s description records (:data:`PART_SIZE_PREFIX`); None
    when it records none (a project pushed without --max-tasks-per-project, or before
    annotate recorded it)."""
    for line in str(project.get("description") or "").splitlines():
        if line.startswith(PART_SIZE_PREFIX):
            with contextlib.suppress(ValueError):
                size = int(line[len(PART_SIZE_PREFIX) :])
                if size >= 1:
                    return size
    return None


def recorded_part_size(projects: Iterable[Mapping[str, Any]]) -> int | None:
    """The part size the projects of a set (in fill order) record: the last one's that
    records one (the latest push's choice); None when none does."""
    found = [n for p in projects if (n := part_size_of(p)) is not None]
    return found[-1] if found else None


def with_part_size(description: str, size: int) -> str:
    """``description`` with its part-size line (:data:`PART_SIZE_PREFIX`) saying ``size``
    (added at the end, or replacing the one there)."""
    kept = [ln for ln in description.splitlines() if not ln.startswith(PART_SIZE_PREFIX)]
    return "\n".join([*kept, f"{PART_SIZE_PREFIX}{size}"])


def review_marker_prefix(name: str) -> str:
    return f"{REVIEW_MARKER} project={json.dumps(name)} reviewer="


ADJUDICATION_END = " · adjudication"  # a review set's lead project: NAME · adjudication
ADJUDICATION_DESCRIPTION_END = "its reviewers disagree on; a lead decides."


def adjudication_description(name: str) -> str:
    """The description `annotate adjudicate` gives the adjudication project of review set
    ``name``: :func:`adjudication_set_of` tells the project by it."""
    return f"Passages of {name!r} {ADJUDICATION_DESCRIPTION_END}"


def adjudication_set_of(project: dict[str, Any]) -> str | None:
    """The review set whose lead's adjudication project ``project`` is (titled
    ``NAME · adjudication``, described by :func:`adjudication_description`), None for
    any other project."""
    title = str(project.get("title") or "")
    description = str(project.get("description") or "").strip()
    if title.endswith(ADJUDICATION_END) and description.endswith(ADJUDICATION_DESCRIPTION_END):
        return title.removesuffix(ADJUDICATION_END)
    return None


def review_set_of(project: dict[str, Any]) -> str | None:
    """The review set a reviewer's project belongs to (by the marker line of its
    description), None for any other project."""
    for line in str(project.get("description") or "").splitlines():
        if line.startswith(f"{REVIEW_MARKER} project="):
            try:
                name, _ = json.JSONDecoder().raw_decode(line[len(REVIEW_MARKER) + 9 :])
            except json.JSONDecodeError:
                return None
            return str(name)
    return None


def _duplicates_error(client: StudioClient, title: str, found: list[dict[str, Any]]) -> StudioError:
    return several_titled_error(client.url, title, found, client.get_project)


def _two_queues_error(
    client: StudioClient, name: str, who: str, found: list[dict[str, Any]]
) -> StudioError:
    ids = ", ".join(str(p["id"]) for p in found)
    return StudioError(
        f"review set {name!r} at {client.url} has {len(found)} queues of reviewer {who} "
        f"(project ids {ids}: {', '.join(repr(str(p.get('title'))) for p in found)}); "
        "annotate would read one and leave the other's tasks and answers out (two pushes "
        "into a new review set at once, from two machines, make such twins).",
        fix="in Label Studio, delete the queue that holds no answers (or move its answered "
        "tasks by hand first), then run again.",
    )


def project_set(client: StudioClient, name: str) -> ProjectSet:
    """The projects that make up ``name`` (see the module docstring), each with all its
    fields: one listing of every project's id, title and description, then one request
    per project of the name.

    Raises StudioError when a title is held by several projects (naming their ids) or
    when ``name`` is both a review set and numbered projects or a project of that title.
    """
    pattern = re.compile(re.escape(name) + r" #([1-9][0-9]*)")
    prefix = review_marker_prefix(name)
    plain: list[dict[str, Any]] = []
    numbered: dict[int, list[dict[str, Any]]] = {}
    reviewers: dict[str, dict[str, Any]] = {}
    twins: set[str] = set()  # names equal to ``name`` but for case and spacing
    # the few fields matching needs (the full listing counts every project's tasks);
    # the projects that match are read in full below
    for proj in sorted(client.list_projects(include=LIST_FIELDS), key=lambda p: int(p["id"])):
        title = str(proj.get("title") or "")
        for line in str(proj.get("description") or "").splitlines():
            if line.startswith(prefix):
                who = line[len(prefix) :].strip()
                if who in reviewers:  # two queues of one reviewer: reading one hides the other
                    raise _two_queues_error(client, name, who, [reviewers[who], proj])
                reviewers[who] = proj
        other = review_set_of(proj) or re.sub(r" #[1-9][0-9]*$", "", title)
        if other != name and fold_name(other) == fold_name(name):
            twins.add(other)
        if title == name:
            plain.append(proj)
        elif (m := pattern.fullmatch(title)) is not None:
            numbered.setdefault(int(m.group(1)), []).append(proj)
    for title, found in [(name, plain)] + [
        (numbered_title(name, k), v) for k, v in numbered.items()
    ]:
        if len(found) > 1:
            raise _duplicates_error(client, title, found)
    if reviewers and numbered:
        titles = sorted(str(p[0]["title"]) for p in numbered.values())
        raise StudioError(
            f"{name!r} is both a review set ({len(reviewers)} reviewer projects) and numbered "
            f"projects ({', '.join(titles)}); annotate cannot tell which one is meant.",
            fix="rename the numbered projects or the review set in Label Studio.",
        )
    if reviewers and plain:  # a `push -k` into the name of a plain project
        raise StudioError(
            f"{name!r} is both a review set ({len(reviewers)} reviewer projects) and a "
            f"project of that title (id {plain[0]['id']}); annotate cannot tell which one is "
            "meant, and would leave the other out of export and agreement.",
            fix=f"rename the project titled {name!r} in Label Studio (and export it under "
            "its new name).",
        )
    full = {int(p["id"]): p for p in plain + [q for v in numbered.values() for q in v]}
    full.update({int(p["id"]): p for p in reviewers.values()})
    full = {i: {**p, **client.get_project(i)} for i, p in full.items()}
    plain = [full[int(p["id"])] for p in plain]
    numbered = {k: [full[int(p["id"])] for p in v] for k, v in numbered.items()}
    reviewers = {e: full[int(p["id"])] for e, p in reviewers.items()}
    if reviewers:
        emails = tuple(sorted(reviewers))
        return ProjectSet(name, "review", tuple(reviewers[e] for e in emails), emails)
    ordered = plain + [numbered[k][0] for k in sorted(numbered)]
    if numbered:
        return ProjectSet(name, "numbered", tuple(ordered))
    if plain:
        return ProjectSet(name, "single", tuple(plain))
    return ProjectSet(name, "none", (), twins=tuple(sorted(twins)))


def last_number(projects: ProjectSet) -> int:
    """The largest k of the ``NAME #k`` projects of ``projects`` (0: none)."""
    pattern = re.compile(re.escape(projects.name) + r" #([1-9][0-9]*)")
    numbers = [
        int(m.group(1))
        for p in projects.projects
        if (m := pattern.fullmatch(str(p["title"]))) is not None
    ]
    return max(numbers, default=0)


def next_numbered_title(projects: ProjectSet) -> str:
    """The title of the next project to open when the last one of ``projects`` is full."""
    return numbered_title(projects.name, last_number(projects) + 1)


def check_numbered_titles(projects: ProjectSet, room: int, todo: int, max_tasks: int) -> None:
    """InputError when a push of ``todo`` tasks into ``projects`` (``room``: the tasks
    their projects still take, of ``max_tasks`` each) must open a numbered project whose
    title ``NAME #k`` exceeds :data:`MAX_TITLE` characters: checked before the push sends
    anything, where :func:`numbered_title` found it only on reaching that project, after
    the tasks before it were pushed. Nothing to open, or everything in one new project
    (titled ``NAME``), passes."""
    if not projects.projects and todo <= max_tasks:
        return  # one project, titled with the name itself
    new = -(-max(0, todo - room) // max_tasks)  # projects to open: ceil
    if new == 0:
        return
    first, last = last_number(projects) + 1, last_number(projects) + new
    title = f"{projects.name} #{last}"
    if len(title) <= MAX_TITLE:
        return
    opened = f"{new} new project(s) ({projects.name!r} #{first}" + (
        f" to #{last})" if new > 1 else ")"
    )
    raise InputError(
        f"this push needs {opened} of at most {max_tasks:,} tasks each, and the title "
        f"{title!r} has {len(title)} characters; Label Studio titles hold {MAX_TITLE}.",
        fix=f"use a --project name of at most {MAX_TITLE - len(f' #{last}')} characters, or "
        "a larger --max-tasks-per-project.",
    )


def title_on_server(client: StudioClient, project_id: int) -> str | None:
    """The title project ``project_id`` has on the server now; None when there is no such
    project (404). Other errors (server down, token refused) are raised (StudioError)."""
    from annotate.errors import StudioNotFoundError

    try:
        project = client.get_project(project_id)
    except StudioNotFoundError:
        return None
    return str(project.get("title") or "")
