"""What the local Label Studio server loads from this project (``annotate studio start``
and the integration tests' servers): Label Studio's own settings plus one app that makes
its project deletions take turns within the server.

Label Studio 1.23.2 deletes a project inside ``core.utils.common.
temporary_disconnect_all_signals``, which is not thread-safe: two deletions at the same
moment leave the server with no Django signals until it restarts, and no answer made
meanwhile counts on its task (:mod:`annotate.studio.answer_counters`). Taking turns
prevents that lasting loss only: while even one deletion runs, the server's signals are
off for all its threads, and an answer saved then is not counted on its task until a
recount (``annotate studio recount``). The two modules of
this folder are imported by the server process by their own names (this folder is its
``PYTHONPATH``, ``annotate_studio_settings`` its ``DJANGO_SETTINGS_MODULE``); nothing
here imports Django in the tool's own process.
"""

from __future__ import annotations

from pathlib import Path

PATCHES_DIR = Path(__file__).resolve().parent
SETTINGS_MODULE = "annotate_studio_settings"


def patched_env() -> dict[str, str]:
    """The server's environment variables that load the settings of this folder."""
    return {"DJANGO_SETTINGS_MODULE": SETTINGS_MODULE, "PYTHONPATH": str(PATCHES_DIR)}
