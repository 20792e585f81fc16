"""The integration tests' Label Studio servers run with the settings module of
``studio_settings/`` (the local server's, annotate/studio/server_patches, with a fast
password hasher): what the project starts, with two variables changed in the server's
environment."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from annotate.studio.server_patches import PATCHES_DIR

SETTINGS_DIR = Path(__file__).resolve().parent / "studio_settings"
SETTINGS_MODULE = "annotate_test_studio"


def with_test_settings(server_env: Callable[..., dict[str, str]]) -> Callable[..., dict[str, str]]:
    """``annotate.studio.server.server_env`` with Label Studio pointed at the test settings
    (``label-studio start`` only sets DJANGO_SETTINGS_MODULE where it is unset)."""

    @wraps(server_env)
    def env(*args: Any, **kwargs: Any) -> dict[str, str]:
        out = server_env(*args, **kwargs)
        out["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
        out["PYTHONPATH"] = os.pathsep.join([str(SETTINGS_DIR), str(PATCHES_DIR)])
        return out

    return env
