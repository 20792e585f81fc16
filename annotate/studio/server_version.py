"""Which Label Studio releases the tool is tested against, and what it says about another.

A team may point the tool at its own server (``$LABEL_STUDIO_URL``), which may run another
release than the one ``annotate studio start`` installs
(:data:`annotate.studio.connection.LABEL_STUDIO_VERSION`). On connect the client reads
the server's ``/api/version`` answer (``{"release": "1.23.2", ...}``, :func:`release`);
:func:`check` returns the warning for a release outside the range of
:data:`TESTED_VERSIONS` (or one it cannot read), None for a release within it.

:func:`require` refuses a step an older release cannot do safely (one line: the version
found, the one needed, the fix); :data:`REVIEWER_REMOVAL_MINIMUM` is the only such step.

Versions are compared as PEP 440 orders them (``packaging.version``), local labels left
out (``1.23.2+g1a2b3c`` is 1.23.2): a pre-release or dev build comes before its release
(``1.23.1rc1`` and ``1.23.1.dev0`` are older than 1.23.1). So one within the tested
range is silent, one of the oldest tested release is warned about as older, and one of
:data:`REVIEWER_REMOVAL_MINIMUM` is refused: it may have been built before the change
that release carries.
"""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

from annotate.errors import StudioError
from annotate.studio.connection import LABEL_STUDIO_VERSION

# releases the whole push -> review -> adjudicate -> export path was run against (the
# integration tests; docs/label-studio.md, "Label Studio versions"), oldest first
TESTED_VERSIONS: tuple[str, ...] = ("1.20.0", "1.21.0", "1.22.0", LABEL_STUDIO_VERSION)
# `reviewers remove`: before this release a member removed from the organization can still
# read the projects' tasks through the API (measured on 1.20.0, 1.21.0, 1.22.0 and 1.23.0:
# GET /api/tasks/?project=ID answers 200 with the passages; 1.23.1 and 1.23.2 answer 403;
# tests/integration/test_reviewers_remove.py)
REVIEWER_REMOVAL_MINIMUM = "1.23.1"


def parse(version: str | None) -> Version | None:
    """``"1.23.2"`` -> ``Version("1.23.2")``, a PEP 440 version without its local label
    (``"1.22.0.dev0+g090298d"`` -> ``1.22.0.dev0``; ``"1.20"`` equals ``1.20.0``); None
    for anything that is not a PEP 440 version (``"develop"``, ``None``)."""
    try:
        return Version(Version(version or "").public)
    except InvalidVersion:
        return None


def release(answer: object) -> str | None:
    """The release named by an ``/api/version`` answer, None when it names none."""
    if not isinstance(answer, dict):
        return None
    found = answer.get("release")
    if not found:
        package = answer.get("label-studio-os-package")
        found = package.get("version") if isinstance(package, dict) else None
    return str(found) if found else None


def check(version: str | None, url: str) -> str | None:
    """What to tell the user about the server at ``url`` running ``version``: None for a
    release within the tested range (from the oldest to the newest of
    :data:`TESTED_VERSIONS`), else a one-line warning naming the tested releases."""
    found = parse(version)
    tested = ", ".join(TESTED_VERSIONS)
    if found is None:
        said = f"it says {version!r}" if version else "no release in its answer"
        return (
            f"could not read the Label Studio version of {url} from /api/version ({said}); "
            f"annotate is tested with Label Studio {tested}."
        )
    oldest, newest = _tested_range()
    if oldest <= found <= newest:
        return None
    return (
        f"Label Studio at {url} is version {version}, {'newer' if found > newest else 'older'} "
        f"than the versions annotate is tested with ({tested}); if a command fails, "
        f"compare with Label Studio {LABEL_STUDIO_VERSION} (`annotate studio start`)."
    )


def require(version: str | None, url: str, minimum: str, step: str, lacks: str) -> None:
    """Refuse ``step`` on a server older than ``minimum``, which ``lacks`` what it needs.

    A ``version`` that cannot be read passes (connect warned about it already).
    Raises StudioError (the version found, the one needed, the fix).
    """
    found, needed = parse(version), parse(minimum)
    assert needed is not None
    if found is None or found >= needed:
        return
    if Version(found.base_version) >= needed:  # 1.23.1rc1, 1.23.1.dev0: built before it
        where = (
            f", a pre-release of {found.base_version} that may not have the change it "
            f"brings (before Label Studio {minimum}, {lacks})"
        )
    else:
        where = f", where {lacks}"
    raise StudioError(
        f"Label Studio at {url} is version {version}{where}; {step} needs "
        f"Label Studio {minimum} or newer.",
        fix=f"upgrade that server to Label Studio {LABEL_STUDIO_VERSION} (`pip install -U "
        f"label-studio=={LABEL_STUDIO_VERSION}`), or use the local server (unset "
        "LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY, run `annotate studio start`).",
    )


def _tested_range() -> tuple[Version, Version]:
    parsed = [p for p in map(parse, TESTED_VERSIONS) if p is not None]
    return min(parsed), max(parsed)
