"""Label Studio's own settings with one app added: project deletions one at a time within
the server (annotate_studio_signals.py). Imported by the Label Studio server process by
name (``DJANGO_SETTINGS_MODULE``, this folder its ``PYTHONPATH``:
annotate.studio.server_patches.patched_env), never by the tool itself.
"""

import os

# Label Studio's settings module reads django.conf.settings while it is imported (its
# Sentry set-up), which builds a first Settings from the module named by
# DJANGO_SETTINGS_MODULE as it stands: that is Label Studio's own while it is imported,
# then this one again (or the module importing this one), which Django's set-up, under
# way, reads whole once that module ends
_ENV = "DJANGO_SETTINGS_MODULE"
_THIS = os.environ.get(_ENV, "annotate_studio_settings")
os.environ[_ENV] = "label_studio.core.settings.label_studio"
from label_studio.core.settings.label_studio import *  # noqa: E402, F403

os.environ[_ENV] = _THIS

# project deletions one at a time within the server (annotate_studio_signals.py)
INSTALLED_APPS = [*INSTALLED_APPS, "annotate_studio_signals.SignalsOneAtATime"]  # noqa: F405

# `label-studio start` serves with Django's runserver (socketserver, HTTP/1.1 keep-alive),
# which writes a response's headers and its body in two writes with Nagle's algorithm on:
# the body waits for the client's delayed ACK (40 ms on Linux) on every request of a kept
# connection (measured: GET /api/current-user/whoami 64 ms -> 7.7 ms with TCP_NODELAY).
# Python's socketserver sets TCP_NODELAY on each accepted connection where asked to.
import socketserver  # noqa: E402

socketserver.StreamRequestHandler.disable_nagle_algorithm = True
