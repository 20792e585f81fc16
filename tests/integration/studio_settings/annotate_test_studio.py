"""The local server's settings (annotate/studio/server_patches/annotate_studio_settings.py:
Label Studio's own, with its project deletions one at a time) with one change, for the
integration tests' servers only.

Django's default password hasher (PBKDF2, 1,000,000 iterations in Django 5.2) costs
0.6-0.8 s of one core per sign-up and per log-in on the 2-core CI machine (measured: a
sign-up 0.64 s, a log-in 0.78 s, at load 3), and the tests sign up and log in hundreds of
reviewers. Django's documentation recommends a fast hasher for tests ("Speeding up the
tests": ``PASSWORD_HASHERS``); the passwords here are generated test ones. Nothing the
tool sends or reads changes: the sign-up form, the log-in and the API are the same.

Not a package of the project: the servers import it by name (``DJANGO_SETTINGS_MODULE``,
with this folder and the server patches' as ``PYTHONPATH``, see
tests/integration/studio_env.py).
"""

from annotate_studio_settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
