"""A Django app of the local Label Studio server (annotate_studio_settings.py lists it):
its deletions of whole projects one at a time within the server.

Label Studio 1.23.2 deletes a project (``ProjectAPI.perform_destroy``) inside
``core.utils.common.temporary_disconnect_all_signals``, which stashes every Django
signal's receivers on the instance and sets the signal's list to empty, then puts the
stash back. Two deletions at the same moment in the server's threads: the second stashes
the empty lists, the first puts the receivers back, the second then empties them again,
for good. From then on no answer counts on its task (``total_annotations``) until the
server restarts (CI 56a: 39 integration tests failed so; reproduced on a local server:
two DELETEs of one project at once, one round). The tool reports such a server
(annotate.studio.answer_counters) and refuses deletions it would misjudge
(annotate.studio.answer_guard).

Here each ``temporary_disconnect_all_signals`` holds one process-wide lock from its start
to its end, so such deletions take turns; nothing the tool sends or reads changes. Fails
safe: where Label Studio has no such context manager class (another version), a warning
goes to the server log and the server runs unpatched.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from typing import Any

from django.apps import AppConfig

log = logging.getLogger(__name__)

MODULES = ("core.utils.common", "label_studio.core.utils.common")
NAME = "temporary_disconnect_all_signals"


def one_at_a_time(cls: type) -> None:
    """Make ``cls`` (a context manager class) hold one lock from enter to exit."""
    if getattr(cls, "_annotate_one_at_a_time", False):
        return
    lock = threading.RLock()
    enter, leave = cls.__enter__, cls.__exit__  # type: ignore[attr-defined]

    def __enter__(self: Any) -> Any:
        lock.acquire()
        try:
            return enter(self)
        except BaseException:
            lock.release()
            raise

    def __exit__(self: Any, *exc: Any) -> Any:
        try:
            return leave(self, *exc)
        finally:
            lock.release()

    cls.__enter__, cls.__exit__ = __enter__, __exit__  # type: ignore[attr-defined]
    cls._annotate_one_at_a_time = True  # type: ignore[attr-defined]


def patch() -> int:
    """Patch Label Studio's context manager class (under both its module names); the
    classes patched, 0 (with a warning) where there is none to patch."""
    try:
        importlib.import_module(MODULES[0])  # Label Studio's; loads it if not yet
    except Exception as exc:  # another layout: run unpatched
        log.warning("annotate: cannot import %s (%s)", MODULES[0], exc)
    found = [sys.modules[m] for m in MODULES if m in sys.modules]
    classes = {getattr(m, NAME, None) for m in found} - {None}
    usable = [c for c in classes if isinstance(c, type) and hasattr(c, "__enter__")]
    if not usable:
        log.warning(
            "annotate: Label Studio has no %s class to patch (written for 1.23.2); project "
            "deletions are not made one at a time: delete projects one at a time",
            NAME,
        )
    for cls in usable:
        one_at_a_time(cls)
    return len(usable)


class SignalsOneAtATime(AppConfig):
    name = "annotate_studio_signals"
    label = "annotate_studio_signals"
    verbose_name = "annotate: project deletions one at a time"

    def ready(self) -> None:
        patch()
