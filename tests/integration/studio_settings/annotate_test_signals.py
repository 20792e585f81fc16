"""An app of the integration tests' Label Studio servers (annotate_test_studio.py lists
it): their deletions of whole projects one at a time within the server.

Label Studio 1.23.2 deletes a project (``ProjectAPI.perform_destroy``) inside
``core.utils.common.temporary_disconnect_all_signals``, which stashes every Django
signal's receivers on the instance and sets the signal's list to empty, then puts the
stash back. Two deletions at the same moment in the server's threads: the second stashes
the empty lists, the first puts the receivers back, the second then empties them again,
for good. From then on no answer counts on its task (``total_annotations``), and every
later test on that server that counts answers fails (CI 56a: 39 tests, "Label Studio
reports 0 annotated task(s) ... but the export snapshot gave N", "0 answered"; reproduced
on a local server: two DELETEs of one project at once, one round). The tests that run two
machines' pushes at once (separate lock folders, so no shared
annotate.studio.lock.deletion_lock) make such deletions on the one server of the whole
session. The library reports such a server (annotate.studio.answer_counters);
tests/studio/test_answer_counters.py checks that without a server.

Here each ``temporary_disconnect_all_signals`` holds one process-wide lock from its start
to its end, so such deletions take turns; nothing the tool sends or reads changes.
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any

from django.apps import AppConfig

log = logging.getLogger(__name__)

MODULES = ("core.utils.common", "label_studio.core.utils.common")


def one_at_a_time(cls: type) -> None:
    """Make ``cls`` (a context manager class) hold one lock from enter to exit."""
    if getattr(cls, "_annotate_one_at_a_time", False):
        return
    lock = threading.RLock()
    enter, leave = cls.__enter__, cls.__exit__

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


class SignalsOneAtATime(AppConfig):
    name = "annotate_test_signals"
    label = "annotate_test_signals"
    verbose_name = "annotate tests: project deletions one at a time"

    def ready(self) -> None:
        import core.utils.common  # noqa: F401  (Label Studio's; loads it if not yet)

        found = [sys.modules[m] for m in MODULES if m in sys.modules]
        classes = {getattr(m, "temporary_disconnect_all_signals", None) for m in found} - {None}
        if not classes:
            log.warning("annotate tests: no temporary_disconnect_all_signals to patch")
        for cls in classes:
            one_at_a_time(cls)
