"""The files under a folder given to ingest, linked folders followed.

``Path.rglob("*")`` does not go into a folder that is a symbolic link (Python 3.11): a
shared drive or a ``latest -> batch-12`` linked inside an input folder was passed over
without a word, its files never read nor recorded (passG52 G1). :func:`walk_folder`
lists what ``sorted(folder.rglob("*"))`` listed, hidden entries (a name starting with
``.``) left out, and goes into each linked folder as into a folder, its files named under
the link (``docs/shared/a.txt``), except a link that would read a folder twice:

- a link to a folder above it, or to itself (``up -> ..``): a loop (:data:`LOOP`);
- a link to a folder read already, or to be read, through the folder given or another
  link (``latest -> batch-12`` beside ``batch-12``; two links to one folder: the first in
  name order is followed): :data:`READ_ALREADY`.

Those are not followed: ingest warns of each and lists it in the run record's
``skipped_files`` (its ``problem``, and the real folder), so nothing is left out unsaid.

A link to a hidden folder, or to one inside a hidden folder (``docs -> .archive``), is
followed as any other: a hidden folder is never read under its own name, so its files are
read under the link's (``docs/a.txt``); it was reported as read already, its files left out
while the warning said none was (stop 53). Two or more links to one hidden folder (or to
folders inside one another in it: ``docs -> .archive``, ``old -> .archive/2024``) are
:attr:`FolderWalk.ambiguous`, which ingest refuses: the first in name order named its
files, so adding a link that sorts first renamed them, and changed their document and
passage ids, while the other link was warned of with "nothing to do" (break8 M5).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

LOOP = "link to a folder above it (a loop), not followed"
READ_ALREADY = "link to a folder read already, not followed"


@dataclass(frozen=True)
class LinkNotFollowed:
    """A linked folder :func:`walk_folder` did not go into."""

    path: Path  # as walked: the folder given joined with the link's path
    target: Path  # the real folder it names
    problem: str  # LOOP or READ_ALREADY


@dataclass(frozen=True)
class HiddenLinks:
    """Links under the folder walked to one hidden folder (or to folders one inside the
    other in it): the one first in name order names its files."""

    target: Path  # the outermost real folder they name
    links: list[Path]  # as walked, in name order


@dataclass(frozen=True)
class FolderWalk:
    paths: list[Path]  # every file and folder, sorted as sorted(rglob) sorts them
    not_followed: list[LinkNotFollowed] = field(default_factory=list)
    # each real folder whose whole tree is read (the folder given, each link followed),
    # with the path it is read under
    trees: dict[Path, Path] = field(default_factory=dict)
    ambiguous: list[HiddenLinks] = field(default_factory=list)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def read_in(path: Path, tree: Path) -> bool:
    """Whether walking ``tree`` reads ``path``: inside it, and not under a hidden name."""
    if not _inside(path, tree):
        return False
    return not any(part.startswith(".") for part in path.relative_to(tree).parts)


def walk_folder(root: Path) -> FolderWalk:
    """The files and folders under ``root`` (see the module doc), without hidden ones.
    A folder that cannot be listed is passed over, as ``rglob`` passed over it."""
    real_root = Path(os.path.realpath(root))
    # each real folder whose whole tree is read: the folder given, and each link followed
    trees = [real_root]
    read_as = {real_root: root}
    found: list[Path] = []
    skipped: list[LinkNotFollowed] = []
    hidden: list[tuple[Path, Path]] = []  # (link as walked, real target) into hidden folders
    # depth first, in name order, so which of two links to one folder is followed is fixed
    stack: list[tuple[Path, Path]] = [(root, real_root)]
    while stack:
        folder, real = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            log.debug("%s: not listed (%s); passed over", folder, exc)
            continue
        below: list[tuple[Path, Path]] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            try:
                is_dir = entry.is_dir()  # a link to a folder too
                is_link = entry.is_symlink()
            except OSError:
                found.append(path)
                continue
            if not is_dir:
                found.append(path)
                continue
            if not is_link:
                if real / entry.name in trees:  # under a link to a folder above a tree read
                    skipped.append(LinkNotFollowed(path, real / entry.name, READ_ALREADY))
                    continue
                found.append(path)
                below.append((path, real / entry.name))
                continue
            target = Path(os.path.realpath(path))
            if _inside(real, target):
                skipped.append(LinkNotFollowed(path, target, LOOP))
                continue
            if _hidden_in(target, trees):
                hidden.append((path, target))
            if any(read_in(target, tree) for tree in trees):
                skipped.append(LinkNotFollowed(path, target, READ_ALREADY))
                continue
            trees.append(target)
            read_as[target] = path
            found.append(path)
            below.append((path, target))
        stack.extend(reversed(below))
    return FolderWalk(sorted(found), skipped, read_as, _ambiguous(hidden))


def _hidden_in(target: Path, trees: list[Path]) -> bool:
    """Whether ``target`` lies in a tree read, under a hidden name there: never read under
    its own name, so the link to it names its files."""
    return any(_inside(target, tree) and not read_in(target, tree) for tree in trees)


def _ambiguous(hidden: list[tuple[Path, Path]]) -> list[HiddenLinks]:
    """The groups of two or more ``hidden`` links (as walked, real target) whose targets
    overlap (one inside the other), each by its outermost target."""
    groups: list[tuple[Path, list[Path]]] = []
    for link, target in sorted(hidden, key=lambda h: len(h[1].parts)):
        group = next((g for g in groups if _inside(target, g[0])), None)
        if group is None:
            groups.append((target, [link]))
        else:
            group[1].append(link)
    return [HiddenLinks(t, sorted(links)) for t, links in groups if len(links) > 1]


__all__ = [
    "LOOP",
    "READ_ALREADY",
    "FolderWalk",
    "HiddenLinks",
    "LinkNotFollowed",
    "read_in",
    "walk_folder",
]
