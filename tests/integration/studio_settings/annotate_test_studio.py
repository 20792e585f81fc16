"""The local server's settings (annotate/studio/server_patches/annotate_studio_settings.py:
Label Studio's own, with its project deletions one at a time) with two changes, for the
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

# SQLite without fsync (the tests' PostgreSQL runs with fsync=off likewise, postgres.py).
# In autocommit every write Label Studio makes is a transaction of its own, which SQLite
# makes durable with fdatasync calls: counted (strace), 2,724 in test_review.py (38 s in
# CI 59c), 3,604 in five export/push files (120 s), 2,000 in the migrations; one took
# 3.3 ms (median) at load 2 on this disk, so a server waited on the disk for ~10 % of the
# integration tests' time, while a core idled. With synchronous=OFF SQLite hands its
# writes to the operating system and goes on: the same transactions, locks and reads, and
# a killed server loses nothing the kernel was given; only an operating-system crash
# could (nothing here tests one). Django runs "init_command" on each new connection.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA synchronous=OFF;"  # noqa: F405
