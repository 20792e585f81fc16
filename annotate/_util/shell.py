"""A path or value as it must be typed in a shell command a message suggests."""

from __future__ import annotations

import shlex


def sh(value: object) -> str:
    """``value`` quoted for a POSIX shell: ``out dir/corpus`` -> ``'out dir/corpus'``, a
    plain ``corpus/`` unchanged, so a command a message prints can be pasted as it is."""
    return shlex.quote(str(value))
