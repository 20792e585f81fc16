"""The reviewer queues of a review set that a push from this machine made or filled and
that are gone from the server (deleted in Label Studio, renamed, or the server's data
restored from an older backup), for `annotate review status` and `annotate export`: their
passages are in fewer than K queues, their answers are gone, and the next push into the
set is refused until told ``--recreate-deleted`` (:mod:`annotate.studio.pushed_projects`,
whose record this reads)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotate.review.queues import queue_owners
from annotate.studio import pushed_projects
from annotate.studio.client import StudioClient


@dataclass(frozen=True)
class GoneQueues:
    """The recorded queues of one review set that the server no longer holds."""

    projects: dict[int, str]  # project id -> title, as the record holds them
    owners: dict[str, str]  # title -> the e-mail of whose queue it was, where known
    record: Path  # the record they are in
    # the pre-labels files pushes from this machine sent into the set, the latest last
    # (the record lists none for pushes by an earlier version)
    prelabels: tuple[str, ...] = ()

    def dicts(self) -> list[dict[str, object]]:
        """Each queue as `review status --json` lists it: ``project_id``, ``title`` and
        ``reviewer`` (the e-mail, None where not known), by id."""
        return [
            {"project_id": pid, "title": title, "reviewer": self.owners.get(title)}
            for pid, title in sorted(self.projects.items())
        ]

    def manifest_dicts(self, project: str) -> list[dict[str, object]]:
        """Each queue as an export's manifest records it (``reviewer_queues_deleted``):
        ``project_id`` and ``reviewer``, the pseudonym its title shows (None for a queue
        titled before pseudonyms: that title names the reviewer, so it is left out), by id."""
        prefix = f"{project} · "
        out: list[dict[str, object]] = []
        for pid, title in sorted(self.projects.items()):
            alias = title[len(prefix) :] if title.startswith(prefix) else ""
            out.append({"project_id": pid, "reviewer": alias if alias.startswith("r-") else None})
        return out

    def shown(self) -> str:
        """``'T' (id 4, the queue of a@b.org), ...``, as a refused push names them."""
        return pushed_projects.shown(self.projects, self.owners)


def gone_queues(
    client: StudioClient, project: str, present: Iterable[int], salt: str | None
) -> GoneQueues | None:
    """The queues of review set ``project`` recorded by pushes from this machine that are
    not among ``present`` (the ids of the queues the server holds now); None when none
    is gone. ``salt``: the pseudonym salt naming the queues (None: this machine has none,
    so no owner is named)."""
    server = pushed_projects.server_of(client)
    gone = pushed_projects.missing(server, project, present)
    if not gone:
        return None
    owners = queue_owners(client, project, salt) if salt is not None else {}
    return GoneQueues(
        dict(gone),
        owners,
        pushed_projects.record_path(server, project),
        tuple(pushed_projects.pushed_files(server, project)),
    )
