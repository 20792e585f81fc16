"""Label Studio's own settings with two changes, for the integration tests' servers only.

Django's default password hasher (PBKDF2, 1,000,000 iterations in Django 5.2) costs
0.6-0.8 s of one core per sign-up and per log-in on the 2-core CI machine (measured: a
sign-up 0.64 s, a log-in 0.78 s, at load 3), and the tests sign up and log in hundreds of
reviewers. Django's documentation recommends a fast hasher for tests ("Speeding up the
tests": ``PASSWORD_HASHERS``); the passwords here are generated test ones. Nothing the
tool sends or reads changes: the sign-up form, the log-in and the API are the same.

The second: project deletions take turns within the server (annotate_test_signals.py:
Label Studio 1.23.2 loses its signals for good when two run at once, CI 56a).

Not a package of the project: the servers import it by name (``DJANGO_SETTINGS_MODULE``,
with this folder as ``PYTHONPATH``, see tests/integration/studio_env.py).
"""

import os

# Label Studio's settings module reads django.conf.settings while it is imported (its
# Sentry set-up), which builds a first Settings from the module named by
# DJANGO_SETTINGS_MODULE as it stands: that is Label Studio's own while it is imported,
# then this one again, which Django's set-up, under way, reads whole once this file ends
_ENV = "DJANGO_SETTINGS_MODULE"
_THIS = os.environ[_ENV]
os.environ[_ENV] = "label_studio.core.settings.label_studio"
from label_studio.core.settings.label_studio import *  # noqa: E402, F403

os.environ[_ENV] = _THIS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# project deletions one at a time within the server (annotate_test_signals.py)
INSTALLED_APPS = [*INSTALLED_APPS, "annotate_test_signals.SignalsOneAtATime"]  # noqa: F405
