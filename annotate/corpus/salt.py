"""The pseudonym salt of this machine: what reviewer pseudonyms are keyed with.

A module of its own (no pandas, pyarrow or Label Studio client), so the review commands
that only need the salt do not import the exporter.
"""

from __future__ import annotations

import os
import secrets

from annotate._util.atomic import atomic_output
from annotate.settings import SALT_ENV, annotate_home


def reviewer_salt() -> str:
    """``$ANNOTATE_PSEUDONYM_SALT``, else a secret kept in ``$ANNOTATE_HOME/pseudonym_salt``
    (made on first use: 32 hex characters, a file only its owner reads).

    The same salt gives the same pseudonyms in every export; share it (not the mapping)
    between the people who export a project.
    """
    kept = stored_salt()
    if kept is not None:
        return kept
    path = annotate_home() / "pseudonym_salt"
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(16)
    try:
        # under its name only where none is: of two first commands at once, the later
        # rename replaced the salt the other had named reviewers (queues) with (faults58 #7)
        with atomic_output(path, replace=False) as tmp:
            tmp.write_text(value + "\n", encoding="utf-8")
            tmp.chmod(0o600)
    except FileExistsError:
        kept = stored_salt()
        if kept is not None:
            return kept
        raise
    return value


def reading_salt() -> str:
    """The salt of a command that only reads (``review status``): the stored one
    (:func:`stored_salt`); without one, a random value kept in memory only, so that a
    folder without ``.annotate/pseudonym_salt`` is left without one (newuser57 F8). Its
    pseudonyms then match no queue's, and the command says the salt differs."""
    kept = stored_salt()
    if kept is not None:
        return kept
    if not _UNSTORED:  # one per process: the command's every pseudonym alike
        _UNSTORED.append(secrets.token_hex(16))
    return _UNSTORED[0]


_UNSTORED: list[str] = []  # reading_salt's value where no salt is stored


def unstored_salt_note() -> str | None:
    """The note of a reading command that printed reviewer pseudonyms keyed with
    :func:`reading_salt`'s in-memory value (no salt stored yet): they are this run's only,
    and the next run, the export and the report name the same reviewers otherwise
    (newuser60 F2: ana was r-6138356595 in `review status`, r-6948ba16e5 in `agreement`,
    r-6c5e123d05 in the next). None when a salt is stored (or set in the environment)."""
    if stored_salt() is not None or not _UNSTORED:
        return None
    return (
        "note: the reviewer pseudonyms (r-…) above are this run's only: no pseudonym salt "
        f"is stored yet ({annotate_home() / 'pseudonym_salt'}; the first `annotate export` "
        "or `adjudicate` makes it; another folder of the team copies the first lead's, or "
        "sets $ANNOTATE_PSEUDONYM_SALT), so the next run and "
        "the export name these reviewers otherwise; go by the e-mails beside them"
    )


def keep_salt(salt: str) -> None:
    """Store ``salt`` (a command's :func:`reading_salt`) as this machine's salt where none
    is stored yet: called by a command that read with it (``adjudicate``, ``review
    reassign``, ``reviewers remove``) once its input checks passed and it is about to
    write pseudonyms keyed with it, so that a refused run leaves no salt file behind. A
    salt stored already (or ``$ANNOTATE_PSEUDONYM_SALT``) is kept: nothing is written.
    Raises InputError when another command stored another salt meanwhile (the
    pseudonyms this one computed would match none of its)."""
    kept = stored_salt()
    if kept is None:
        path = annotate_home() / "pseudonym_salt"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with atomic_output(path, replace=False) as tmp:
                tmp.write_text(salt + "\n", encoding="utf-8")
                tmp.chmod(0o600)
            return
        except FileExistsError:
            kept = stored_salt()
    if kept is not None and kept != salt:
        from annotate.errors import InputError

        raise InputError(
            f"another annotate command stored the pseudonym salt "
            f"({annotate_home() / 'pseudonym_salt'}) while this one ran; the reviewer "
            "pseudonyms it computed are keyed with another salt.",
            fix="run the command again.",
        )


def stored_salt() -> str | None:
    """The salt :func:`reviewer_salt` gives when there is one, without making one: None
    when ``$ANNOTATE_PSEUDONYM_SALT`` is unset and ``$ANNOTATE_HOME/pseudonym_salt`` is
    not there (a command refused before it names anything leaves no salt behind).

    Raises InputError when the file holds nothing (it was read as the salt ``""``, which
    silently changed every reviewer pseudonym; faults59 #4); the file is left."""
    env = os.environ.get(SALT_ENV)
    if env:
        return env
    path = annotate_home() / "pseudonym_salt"
    if not path.is_file():
        return None
    value = path.read_text(encoding="utf-8").strip()
    if not value:
        from annotate.errors import InputError

        raise InputError(
            f"{path} is empty; it held the salt every reviewer pseudonym (queue names, "
            "export's reviewer ids) is keyed with, and another salt would rename them all.",
            fix=f"restore it from a backup, or set {SALT_ENV} to the salt the other "
            f"exporters of these projects use; if no review set or export used it yet, "
            f"delete {path} and a new salt is made.",
        )
    return value
