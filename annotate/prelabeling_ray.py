"""Pre-label on Ray Data: ``annotate prelabel --engine ray``.

The input is read with ``ray.data``; rows are put in buckets by document (a stable hash
of ``doc_id``, or of the passage id for a row without one), so every document is whole
in one bucket; a pool of actors (``map_groups`` with a callable class, the model loaded
once per actor) sorts each bucket by document and ``passage_index`` (required only for a
model that reads neighbours) and labels it in the
same windows of passages with neighbour context as the local engine
(:mod:`annotate.prelabeling`), so documents of any length work in bounded memory and
every passage gets the local engine's result. The driver validates the input first (the
local engine's checks and messages), then streams the results into the output file
(.parquet or .jsonl, written atomically) and reports progress as buckets finish.

Rows come out grouped by bucket and document, not in input order. Nothing leaves the
machine: a Ray started here has no dashboard and Ray's usage statistics are off
(``RAY_USAGE_STATS_ENABLED=0``), and it writes nothing outside a temporary folder of its
own, removed when it shuts down (its session files, logs and sockets; its authentication
token is passed in the environment, not written to ``~/.ray/auth_token``: see
:func:`ray_session`); with ``address`` the tool joins that cluster instead
(where ``annotate``, the model directory and the input must be at the same paths; a
cluster without ``workers * threads + 1`` CPUs is refused: see :func:`check_cpus`).
"""

from __future__ import annotations

import logging
import math
import os
import secrets
import shutil
import socket
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, redirect_stdout
from pathlib import Path
from typing import Any, NoReturn

import pyarrow as pa

from annotate._util.licence_tally import LicenceTally, pushed_license
from annotate._util.progress import ProgressFn, advance, set_total
from annotate._util.stderr_lines import dropping_lines
from annotate._util.windows import document_windows
from annotate.classifier.writing_system import model_scripts, trained_languages
from annotate.errors import AnnotateError, InputError, ModelError
from annotate.prelabel_parts import fingerprint, fresh_run
from annotate.prelabeling import (
    CHUNK_SIZE,
    LICENSE_COLUMN,
    MODEL_ENCODER,
    PrelabelStats,
    check_classifier,
    check_paths,
    checked_rows,
    context_passages,
    count_cut,
    count_foreign,
    cpu_threads,
    cue_reach,
    document_key,
    encoder_json,
    fallback_harmful_of,
    fallback_warning_of,
    label_window,
    order_key,
    output_schema,
    precheck_rows,
    precision_choice_of,
    reading_warning_of,
    run_record,
    runs_on,
    token_limit,
)
from annotate.table_schemas import PRELABEL_RUN_COLUMN, prelabel_fields
from annotate.tables import TableWriter, csv_delimiter, table_columns, table_format
from annotate.taxonomy import Taxonomy, TaxonomyRef, as_taxonomy

log = logging.getLogger(__name__)

BUCKET = "__annotate_bucket"
# What Ray's core worker logs (as an error, straight to fd 2) on creating each actor of a
# Ray Data actor pool: the pool's actors restart when they die (Ray Data's default,
# max_restarts=-1) and take Ray Data's own objects (its DataContext and map transformer,
# put in the object store by the driver) as constructor arguments, which Ray cannot
# rebuild should they be lost (ray-project/ray#53727). The driver holds them for the
# whole run on its own node, so they are not lost while a restart could need them; Ray
# logs it for every Ray Data actor pool, however small its arguments (ray#57733, open).
# Only this line is dropped (annotate._util.stderr_lines); every other one comes through.
RESTART_ARGS_NOTICE = "has constructor arguments in the object store and max_restarts > 0"
# Set in the driver before Ray starts; a local Ray passes it on to its processes.
RAY_ENV = {"RAY_USAGE_STATS_ENABLED": "0"}
# Ray's switch for token authentication, which a cluster joined by address may require
# (Ray 2.60 turns it on for `ray start` where a token exists; ray.init() never turns it on
# for an explicit address, so the token is not sent to a host it was not meant for)
RAY_AUTH_MODE = "RAY_AUTH_MODE"
# Where Ray 2.60 looks for that token before ~/.ray/auth_token (the variable, then a file
# it names). A new local Ray turns token authentication on and, finding no token, writes a
# new one to ~/.ray/auth_token: a file in the user's home the user did not ask for.
RAY_AUTH_TOKEN = "RAY_AUTH_TOKEN"
RAY_AUTH_TOKEN_PATH = "RAY_AUTH_TOKEN_PATH"
# What Ray's GCS client logs (a warning, straight to fd 2) once a second while it retries
# a cluster that answers but refuses the join (a token it needs, another Ray version):
# ~20 lines before ray.init() gives up. Dropped while joining; the reason is kept for the
# one-line error (see :func:`_refusal`).
JOIN_RETRY_NOTICE = "Failed to get cluster ID from GCS server"
_TEMP_PREFIX = "annotate-ray-"  # short: Ray's socket paths below it must fit (see below)
# Ray's Unix sockets lie at <temp dir>/session_<date>_<time>_<microseconds>_<pid>/sockets/
# plasma_store (up to ~64 bytes below the temp dir); a socket path has at most 107 bytes
# on Linux, 103 on macOS (the bound kept here), which Ray checks before it starts
_SOCKET_TAIL = 70
_SOCKET_MAX = 103
_local_token: str | None = None


def _ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise InputError(
            "--engine ray needs Ray, which is not installed.",
            fix="install it with `pip install 'annotate[ray]'` (`make setup` does), or use "
            "--engine local.",
        ) from None
    return ray


def _check_reachable(address: str) -> None:
    """A one-line error when nothing answers at ``host:port`` (``auto`` and ``ray://``
    addresses are left to Ray)."""
    if address == "auto" or "://" in address:
        return
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise InputError(
            f"--address {address!r} is not host:port.",
            fix="pass the address `ray start --head` printed, e.g. 10.0.0.5:6379.",
        )
    try:
        with socket.create_connection((host, int(port)), timeout=5):
            pass
    except OSError as exc:
        raise InputError(
            f"cannot reach a Ray cluster at {address} ({exc.strerror or exc}).",
            fix="start one with `ray start --head` and pass the address it prints, or leave "
            "out --address to run Ray on this machine.",
        ) from None


def _warn_oversubscribed(workers: int, threads: int) -> None:
    """Warn when a local Ray's actors would run more torch threads than this process may
    use (its affinity mask capped by its cgroup CPU quota: the local engine's
    :func:`annotate.classifier.threads.use_threads` warns on the same count). Ray is
    told ``workers * threads + 1`` CPUs whatever the machine has, so it would not stop
    them."""
    from annotate.classifier.threads import cpu_limit

    limit = cpu_limit()
    if workers * threads > limit.cpus:
        log.warning(
            "%d actors x %d thread%s on %s: they take turns on the CPUs, each actor with its "
            "own model in memory (--workers %d --threads 1 fits)",
            workers,
            threads,
            "s" if threads != 1 else "",
            limit.said(),
            limit.cpus,
        )


DEFAULT_WORKERS = 2  # --workers when not given (a cluster's, or an idle machine's)


def default_workers(
    threads: int, *, local: bool, cpus: int | None = None, load: float | None = None
) -> tuple[int, str]:
    """``--workers`` when not given, and why (for the summary line): DEFAULT_WORKERS on a
    cluster; for a local Ray, no more than the idle CPUs hold at ``threads`` each, by the
    rule that picks the local engine's ``--threads``
    (:func:`annotate.classifier.threads.default_threads`: the usable CPUs less the tasks
    other processes keep running), at least 1. Two actors on a 2-core machine already
    running other work were slower than one, and both slower than the local engine
    (passK54 F7: 7 min 44 s, 6 min 39 s, 3 min 57 s for 2,500 passages). ``cpus`` and
    ``load`` (the other tasks that want a CPU) default to
    :func:`annotate.classifier.threads.cpu_limit` and ``machine_load`` (tests pass theirs)."""
    if not local:
        return DEFAULT_WORKERS, f"default {DEFAULT_WORKERS}"
    from annotate.classifier import threads as t

    usable = t.cpu_limit().cpus if cpus is None else cpus
    others, said = t.machine_load() if load is None else (load, f"{load:.1f} other tasks running")
    idle = t.default_threads(usable, others)
    count = max(1, min(DEFAULT_WORKERS, idle // max(1, threads)))
    why = f"default: {idle} idle of {usable} usable CPU{'s' if usable != 1 else ''}, {said}"
    log.info("ray actors: %d (%s)", count, why)
    if count < DEFAULT_WORKERS:
        log.warning(
            "%d Ray actor(s), not %d: %s; on a busy machine the local engine (one "
            "process, no Ray) is usually faster",
            count,
            DEFAULT_WORKERS,
            why.removeprefix("default: "),
        )
    return count, why


def warn_busy(
    workers: int, threads: int, *, cpus: int | None = None, load: float | None = None
) -> None:
    """Warn when a local Ray's ``workers`` actors of ``threads`` (``--workers`` given)
    need more CPUs than are idle (the usable CPUs less the tasks other processes keep
    running, :func:`default_workers`'s rule): they would share cores with that work."""
    from annotate.classifier import threads as t

    usable = t.cpu_limit().cpus if cpus is None else cpus
    others, said = t.machine_load() if load is None else (load, f"{load:.1f} other tasks running")
    idle = t.default_threads(usable, others)
    if others is not None and others >= 0.5 and workers * threads > idle:
        log.warning(
            "%d actor(s) x %d thread(s) on %d idle of %d usable CPU(s) (%s): they share "
            "cores with that work, and may be slower than fewer (--workers %d) or than "
            "--engine local",
            workers,
            threads,
            idle,
            usable,
            said,
            max(1, idle // max(1, threads)),
        )


def actors_for(workers: int, threads: int, windows: int, *, local: bool) -> int:
    """How many actors to start: ``workers``, but no more than the input's ``windows``
    (an actor with no window loads its model for nothing: 8 actors, 4.4 GB, for 31
    passages, passE51 E7), nor, for a local Ray, than the usable CPUs hold actors of
    ``threads`` (more take turns on the CPUs, each with its own model in memory, and Ray
    warns of its worker processes); at least 1. Each cut is logged as a warning."""
    actors = min(workers, max(1, windows))
    if actors < workers:
        log.warning(
            "%d actor(s) started, not %d (--workers): the input makes %d window(s) of "
            "passages, one actor's work each",
            actors,
            workers,
            windows,
        )
    if local:
        from annotate.classifier.threads import cpu_limit

        limit = cpu_limit()
        fit = max(1, limit.cpus // threads)
        if actors > fit:
            log.warning(
                "%d actor(s) started, not %d: %s hold %d actor(s) of %d thread%s; more "
                "would take turns on the CPUs, each with its own model in memory (a "
                "cluster's --address gives more)",
                fit,
                actors,
                limit.said(),
                fit,
                threads,
                "s" if threads != 1 else "",
            )
            actors = fit
    return actors


def check_cpus(ray: Any, workers: int, threads: int, address: str | None = None) -> None:
    """Raise InputError when the Ray that ``ray`` is connected to has fewer CPUs than
    ``workers`` actors of ``threads`` CPUs each plus one for Ray Data's read and shuffle
    tasks: with fewer, the actors hold every CPU and the run waits for ever (a cluster of
    `ray start --head --num-cpus 1` and --workers 1 did)."""
    cpus = int(ray.cluster_resources().get("CPU", 0))
    need = workers * threads + 1
    if cpus >= need:
        return
    where = f"at {address}" if address else "this process joined"
    fits = f"--workers {cpus - 1} --threads 1 fits, or start" if cpus >= 2 else "start"
    raise InputError(
        f"the Ray cluster {where} has {cpus} CPU(s); --workers {workers} x --threads "
        f"{threads} needs {need} ({workers * threads} for the actors, 1 for reading the "
        "input), or the run waits for ever.",
        fix=f"{fits} the cluster with more (`ray start --head --num-cpus {need}`).",
    )


def _token() -> str:
    """This process's token for the Ray clusters it starts: made once (as Ray makes one,
    256 random bits in hex) and kept, since Ray's driver caches the first token it reads
    for the life of the process, and a later local Ray given another would refuse it."""
    global _local_token
    if _local_token is None:
        _local_token = secrets.token_hex(32)
    return _local_token


def _scratch_base() -> str:
    """Where a local Ray's temporary folder is made: where Ray 2.60 puts its own
    (``$RAY_TMPDIR``, else ``$TMPDIR`` on Linux, else ``/tmp`` on Linux and macOS, else
    the system's), or ``/tmp`` when Ray's socket paths below a folder made there would be
    too long (a long ``$TMPDIR``)."""
    base = os.environ.get("RAY_TMPDIR") or ""
    if not base and sys.platform.startswith("linux"):
        base = os.environ.get("TMPDIR") or ""
    if not base:
        base = "/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir()
    longest = len(os.fsencode(os.path.abspath(base))) + len(_TEMP_PREFIX) + 10 + _SOCKET_TAIL
    if longest > _SOCKET_MAX and os.path.isdir("/tmp"):
        return "/tmp"
    return base


_PID_FILE = "annotate.pid"  # in a local Ray's temporary folder: the process that made it


def _discard_killed(base: Path) -> list[Path]:
    """Remove this user's ``annotate-ray-*`` folders in ``base`` whose :data:`_PID_FILE`
    names a process that is gone (a run killed outright); returns them. The process id is
    kept in a file, not in the name as push's and ingest's folders keep it
    (:func:`annotate._util.scratch.discard_stale`), since Ray's socket paths below the
    folder must fit in 107 bytes. Folders without the file (an older annotate's, or one
    being made) and those of running processes stay; never raises."""
    from annotate._util.scratch import process_running

    removed: list[Path] = []
    try:
        entries = [e for e in base.iterdir() if e.name.startswith(_TEMP_PREFIX)]
    except OSError:
        return removed
    for entry in entries:
        try:
            if entry.is_symlink() or not entry.is_dir() or entry.stat().st_uid != os.getuid():
                continue
            pid = int((entry / _PID_FILE).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue
        if process_running(pid):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
        log.warning(  # as push and ingest say theirs (annotate._util.scratch)
            "removed %s, the temporary folder of an interrupted ray run (process %s, no "
            "longer running)",
            entry,
            pid,
        )
    return removed


@contextmanager
def _local_ray_scratch() -> Iterator[Path]:
    """A temporary folder for a local Ray's session files (``ray.init(_temp_dir=...)``:
    its logs, sockets and session record, else left in ``/tmp/ray`` for good), removed on
    exit; and, while it is open, the environment that keeps Ray 2.60 from writing
    ``~/.ray/auth_token``: ``RAY_AUTH_TOKEN`` set to :func:`_token` (Ray reads it before
    that file) unless ``RAY_AUTH_TOKEN`` or ``RAY_AUTH_TOKEN_PATH`` already names a token,
    which is then used. The cluster keeps Ray's token authentication (the mode Ray turns
    on is left as it is, or as ``RAY_AUTH_MODE`` says). ``RAY_AUTH_MODE`` and
    ``RAY_AUTH_TOKEN`` are restored on exit (Ray sets the mode for the process). Raises
    OSError when the folder cannot be made. The folder records this process's id in
    :data:`_PID_FILE`: a run killed outright (``kill -9``) cannot remove it, and the next
    local Ray run removes those whose process is gone (:func:`_discard_killed`)."""
    base = _scratch_base()
    _discard_killed(Path(base))
    scratch = Path(os.path.abspath(tempfile.mkdtemp(prefix=_TEMP_PREFIX, dir=base)))
    (scratch / _PID_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")
    saved = {k: os.environ.get(k) for k in (RAY_AUTH_MODE, RAY_AUTH_TOKEN)}
    try:
        if not (os.environ.get(RAY_AUTH_TOKEN) or os.environ.get(RAY_AUTH_TOKEN_PATH)):
            os.environ[RAY_AUTH_TOKEN] = _token()
        yield scratch
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(scratch, ignore_errors=True)
        if scratch.exists():
            log.warning("could not remove Ray's temporary folder %s", scratch)


def _refusal(exc: BaseException) -> str:
    """Why a cluster refused a join, from the error Ray raised (its cause's text): the
    reason the dropped :data:`JOIN_RETRY_NOTICE` lines gave, or "" when it names none."""
    said = f"{exc} {exc.__cause__ or ''}"
    if "InvalidAuthToken" in said or "Unauthenticated" in said:
        return " (it refused this process's authentication token, or the lack of one)"
    return ""


@contextmanager
def ray_session(address: str | None = None, workers: int = 1, threads: int = 1) -> Iterator[Any]:
    """Ray for one run: the caller's when already initialised, else a cluster joined at
    ``address``, else a local one with ``workers * threads + 1`` CPUs, no dashboard and
    no usage statistics, its files in a temporary folder removed at the end and its token
    in the environment, none written to the user's home (:func:`_local_ray_scratch`; shut
    down at the end). Ray's retry warnings while a join is refused are left out of
    standard error. Raises InputError when Ray is missing or the cluster cannot be
    reached or refuses the join."""
    os.environ.update(RAY_ENV)
    ray = _ray()
    if ray.is_initialized():
        yield ray
        return
    with ExitStack() as stack:
        # the driver prints its cluster's error messages ("(raylet) WARNING: 8 PYTHON
        # worker processes have been started ...") on standard output, where `annotate
        # prelabel ... > log` captured them (passE51 E7): Ray's lines go to stderr
        stack.enter_context(redirect_stdout(sys.stderr))
        try:
            if address:
                _check_reachable(address)
                # joining starts no process of Ray's here, so none inherits the filter
                with dropping_lines([JOIN_RETRY_NOTICE]):
                    ray.init(address=address, log_to_driver=False, logging_level=logging.ERROR)
            else:
                _warn_oversubscribed(workers, threads)
                scratch = stack.enter_context(_local_ray_scratch())
                ray.init(
                    # a Ray of its own, not the one a `ray start` on this machine left
                    # running (ray.init() joins that, or $RAY_ADDRESS, where no address is
                    # given)
                    address="local",
                    num_cpus=workers * threads + 1,
                    include_dashboard=False,
                    log_to_driver=False,
                    logging_level=logging.ERROR,
                    # Ray's documented (underscored) option for its root temp directory
                    _temp_dir=str(scratch),
                )
        except AnnotateError:
            raise
        except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError...
            _refused(exc, address)
        try:
            yield ray
        finally:
            ray.shutdown()


def _refused(exc: Exception, address: str | None) -> NoReturn:
    """Raise the one-line InputError for a Ray that could not start or be joined."""
    where = f"at {address}" if address else "on this machine"
    fix = "check the address and that the cluster runs the same Ray version, or use "
    if address and os.environ.get(RAY_AUTH_MODE, "").lower() != "token":
        fix += (
            "--engine local. A cluster whose `ray start` said `Token authentication is "
            "enabled` (Ray does so where ~/.ray/auth_token exists) needs "
            f"{RAY_AUTH_MODE}=token here too, with its token in ~/.ray/auth_token or "
            "$RAY_AUTH_TOKEN."
        )
    else:
        fix += "--engine local."
    first = str(exc).splitlines()[0] if str(exc) else str(exc)
    raise InputError(
        f"could not start or join Ray {where}: {first}{_refusal(exc) if address else ''}",
        fix=fix,
    ) from None


def _transport_schema(schema: pa.Schema) -> pa.Schema:
    """The output schema with float64 scores, category and span scores both, so rounded
    scores reach the driver as the local engine writes them (the writer narrows them for
    Parquet; through float32, a span's 0.261 reached JSONL as 0.261000007390975)."""
    scores = schema.field("scores")
    wide = pa.struct([pa.field(f.name, pa.float64()) for f in scores.type])
    schema = schema.set(schema.get_field_index("scores"), pa.field("scores", wide))
    span = schema.field("spans").type.value_type
    wide_span = pa.struct(
        [pa.field(f.name, pa.float64()) if f.name == "score" else f for f in span]
    )
    return schema.set(schema.get_field_index("spans"), pa.field("spans", pa.list_(wide_span)))


class _Labeler:
    """One actor of the pool: loads the model once, labels whole buckets."""

    def __init__(
        self,
        model: str | None,
        tax: Taxonomy,
        chunk_size: int,
        schema: pa.Schema,
        threads: int = 1,
        tally: Any = None,
        tell_every: float = 0.25,
        input_record: dict[str, Any] | None = None,
    ) -> None:
        from annotate.classifier import load_classifier
        from annotate.classifier.threads import use_threads

        use_threads(threads)  # before the model loads: its engine reads the count
        self.tax = tax
        self.classifier = load_classifier(model, tax)
        check_classifier(self.classifier, tax)
        self.context = context_passages(self.classifier)
        self.chunk_size = chunk_size
        self.schema = schema
        self.tally = tally  # a _Tally actor's handle: passages scored, told as they are
        self.tell_every = tell_every
        # every row's prelabel_run, as the local engine writes it, of where this actor's
        # model runs (its device and threads); the driver gives the input's record
        self.run = (
            None
            if input_record is None
            else actor_run_record(self.classifier, tax, self.context, chunk_size, input_record)
        )

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows = batch.drop_columns([BUCKET]).to_pylist()
        for row in rows:
            row["id"] = str(row["id"])
            if row.get(LICENSE_COLUMN) is not None:  # as ingest records it (see _plan)
                row[LICENSE_COLUMN] = pushed_license(row[LICENSE_COLUMN])
        rows.sort(key=lambda r: (_doc_of(r), order_key(r)))
        out: list[dict[str, Any]] = []
        told = _Telling(self.tally, self.tell_every) if self.tally is not None else None
        windows = document_windows(rows, self.chunk_size, self.context, document_key, cue_reach)
        for window in windows:
            out.extend(label_window(self.classifier, self.tax, window, progress=told))
        if told is not None:
            told.flush()
        for row in out:
            row[PRELABEL_RUN_COLUMN] = self.run
        return pa.Table.from_pylist(out, schema=self.schema)


def actor_run_record(
    classifier: Any, tax: Taxonomy, context: int, chunk_size: int, input_record: dict[str, Any]
) -> str:
    """The ``prelabel_run`` record (:func:`annotate.prelabeling.run_record`, engine "ray")
    of rows a Ray actor scores with ``classifier``: the same fields as the local engine's,
    where this actor computes (its device, precision and torch threads), the input as the
    driver read it (``input_record``: ``{"path", "size", "sha256"}``; the file need not be
    on the actor's node). The local engine's record was missing from Ray's rows (s56 left
    #3)."""
    compute = runs_on(classifier)
    fp = fingerprint(
        Path(str(input_record["path"])),
        model_version=classifier.version,
        encoder=encoder_json(classifier),
        taxonomy_sha256=tax.content_sha256,
        chunk_size=chunk_size,
        context=context,
        compute=compute,
        threads=cpu_threads(compute),
        input_record=input_record,
    )
    return run_record(
        fp,
        Path(str(input_record["path"])),
        engine="ray",
        fallback_harmful=fallback_harmful_of(classifier),
        precision_choice=precision_choice_of(classifier),
    )


TELL_EVERY = 0.25  # seconds: how often an actor tells the tally what it has scored
POLL_EVERY = 0.5  # seconds: how often the driver reads the tally


class _Tally:
    """A Ray actor (no CPU of its own): the passages the labelers have scored since the
    driver last took the count. The labelers tell it per model batch (:class:`_Telling`);
    the driver takes it twice a second (:class:`_Progress`), so progress moves while a
    bucket (up to 2,048 passages, one model call's window) is scored, not only when its
    rows come back."""

    def __init__(self) -> None:
        self.scored = 0

    def add(self, n: int) -> None:
        self.scored += n

    def take(self) -> int:
        n, self.scored = self.scored, 0
        return n


class _Telling:
    """A labeler's ``progress``: adds up the passages its model batches finish and tells
    the tally every ``every`` seconds (:data:`TELL_EVERY`; and at the bucket's end, :meth:`flush`),
    not once per batch of a few dozen passages."""

    def __init__(self, tally: Any, every: float = TELL_EVERY) -> None:
        self.tally = tally
        self.every = every
        self.pending = 0
        self.at = time.monotonic()

    def __call__(self, n: int) -> None:
        self.pending += n
        if time.monotonic() - self.at >= self.every:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.tally.add.remote(self.pending)
            self.pending = 0
        self.at = time.monotonic()


class _Progress:
    """The driver's ``progress`` for a Ray run of ``total`` passages: moved on to the
    passages the actors have scored (the tally, read by a thread every
    :data:`POLL_EVERY` seconds) or the rows that came back, whichever is further, never
    past ``total`` (an actor Ray restarts scores its bucket again). Nothing is told as
    kept: the Ray engine does not resume, its output is written whole at the end. One
    lock: the thread and the driver's loop never call ``progress`` at once."""

    def __init__(self, ray: Any, progress: ProgressFn, total: int) -> None:
        self.ray = ray
        self.progress = progress
        self.total = total
        self.shown = self.scored = self.written = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.tally = ray.remote(num_cpus=0)(_Tally).remote()
        self.thread = threading.Thread(target=self._poll, name="annotate-ray-progress", daemon=True)

    def __enter__(self) -> _Progress:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=10)

    def _poll(self) -> None:
        every = POLL_EVERY
        while not self.stop.wait(every):
            try:
                n = self.ray.get(self.tally.take.remote(), timeout=max(1.0, every * 4))
            except Exception:  # a slow or ending cluster: the rows still count
                continue
            self.scored += n
            self._reach(self.scored)

    def wrote(self, n: int) -> None:
        self.written += n
        self._reach(self.written)

    def _reach(self, done: int) -> None:
        with self.lock:
            done = min(done, self.total)
            if done > self.shown:
                advance(self.progress, done - self.shown)
                self.shown = done


def _doc_of(row: dict[str, Any]) -> str:
    doc = document_key(row)
    return doc if doc is not None else "\x00" + str(row["id"])


def _add_bucket(batch: pa.Table, n_buckets: int) -> pa.Table:
    ids = batch.column("id").to_pylist()
    docs = batch.column("doc_id").to_pylist() if "doc_id" in batch.column_names else None
    buckets = []
    for i, pid in enumerate(ids):
        key = _doc_of({"id": pid, "doc_id": docs[i] if docs is not None else None})
        buckets.append(zlib.crc32(key.encode("utf-8")) % n_buckets)
    return batch.append_column(BUCKET, pa.array(buckets, pa.int64()))


def _plan(
    path: Path, n_first: int = CHUNK_SIZE, context: int | None = 1
) -> tuple[int, list[dict[str, Any]]]:
    """Validate every row as the local engine does for a model reading ``context``
    neighbours (:func:`annotate.prelabeling.checked_rows`). For a model that reads
    neighbours (``context`` not 0), also require a distinct ``passage_index`` within each
    document of several passages: the order Ray cannot otherwise know. Returns the row
    count and the first ``n_first`` rows (for the output schema, as the local engine
    infers it from its first window)."""
    from annotate.tables import iter_rows_located

    n, first = 0, []
    prev: tuple[str, int] | None = None
    ordered = context != 0
    at = [""]

    def located() -> Iterator[tuple[str, dict[str, Any]]]:
        for where, row in iter_rows_located(path):
            at[0] = where  # checked_rows pulls one row at a time: this is the row yielded
            yield where, row

    licences = LicenceTally()  # the workers write each licence as the local engine does
    for row in checked_rows(located(), path, context=1 if ordered else 0, licences=licences):
        n += 1
        if len(first) < n_first:
            first.append(row)
        doc = document_key(row)
        if doc is None or not ordered:
            prev = None
            continue
        index = row.get("passage_index")
        if prev is not None and prev[0] == doc and (index is None or order_key(row) <= prev[1]):
            raise InputError(
                f"{path}: document {doc!r} has passages without distinct passage_index "
                f"values ({at[0]}); --engine ray orders a document's passages by it.",
                fix="number each document's passages 0, 1, 2, ... (as `annotate ingest` "
                "does), or use --engine local.",
            )
        prev = (doc, order_key(row))
    licences.log(log, str(path))
    return n, first


def _read(ray: Any, path: Path, carried: pa.Schema) -> Any:
    """``path`` as a Ray dataset. Ray's read tasks run in the cluster's working directory,
    not the driver's: the path is made absolute (a relative one was not found on a
    cluster joined by address)."""
    fmt = table_format(path)
    path = path.absolute()
    if fmt == "parquet":
        return ray.data.read_parquet(str(path))
    if fmt == "csv":
        from pyarrow import csv

        columns = table_columns(path)
        return ray.data.read_csv(
            str(path),
            parse_options=csv.ParseOptions(newlines_in_values=True, delimiter=csv_delimiter(path)),
            convert_options=csv.ConvertOptions(
                column_types=dict.fromkeys(columns, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    from pyarrow import json

    # lines=False is pyarrow's JSON reader, which reads newline-delimited JSON and takes
    # the local engine's column types (Ray's lines=True reader takes no parse options)
    return ray.data.read_json(
        str(path),
        lines=False,
        parse_options=json.ParseOptions(explicit_schema=carried, unexpected_field_behavior="infer"),
    )


def _cause(exc: BaseException) -> AnnotateError | None:
    """The project error a Ray task raised, however deeply Ray wrapped it."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, AnnotateError):
            return e
        stack.extend([getattr(e, "cause", None), e.__cause__, e.__context__])
    return None


def prelabel_ray(
    input_path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    model: str | os.PathLike[str] | None = None,
    taxonomy: TaxonomyRef = None,
    workers: int = 2,
    address: str | None = None,
    threads: int = 1,
    chunk_size: int = CHUNK_SIZE,
    progress: ProgressFn | None = None,
    restart: bool = False,
    overwrite: bool = True,
    on_start: Callable[[int], None] | None = None,
) -> PrelabelStats:
    """Pre-label ``input_path`` into ``out`` on Ray Data; the rows and scores of
    :func:`annotate.prelabeling.prelabel` (scores equal within float noise of batching,
    see benchmarks/README.md), grouped by document instead of in input order.

    ``workers``: actors in the pool, each with one model and ``threads`` CPUs (its torch
    threads; default 1). ``address``: a running Ray cluster (``host:port``, ``auto`` or
    ``ray://...``); None starts a local Ray for this run (or uses the one this process
    already initialised; an actor waits for ``threads`` free CPUs there). ``chunk_size``:
    passages per model call besides the neighbours read as context. ``progress(n)`` is
    called as the actors score passages (their model batches' counts, read from them
    twice a second: :class:`_Progress`), not only as whole buckets come back. The Ray
    engine does not resume: the parts an
    interrupted local run of ``out`` kept beside it are refused (InputError, before Ray
    starts), or removed with ``restart``; the lock of those parts is held for the whole
    run, so a local run of ``out`` started meanwhile is refused
    (:func:`annotate.prelabel_parts.fresh_run`). ``overwrite``: False refuses an ``out``
    that exists (:func:`annotate.prelabeling.refuse_replacing_out`). ``on_start(n)``: told
    the actors it starts (:func:`actors_for`) just before Ray starts, once the input and
    model have passed their checks (the CLI says what comes: Ray's start and the actors'
    model loads count nothing for a minute or more).

    Raises the local engine's errors (InputError, SchemaError, TaxonomyError,
    ModelError), and InputError when Ray is not installed, the cluster cannot be
    reached or joined, or it has too few CPUs (:func:`check_cpus`).
    """
    path, out_path = Path(input_path), Path(out)
    if workers < 1:
        raise InputError(f"--workers {workers}: need at least 1.", fix="pass --workers 1 or more.")
    if threads < 1:
        raise InputError(f"--threads {threads}: need at least 1.", fix="pass --threads 1 or more.")
    check_paths(path, out_path)
    if not overwrite:  # the CLI without --overwrite
        from annotate.prelabeling import refuse_replacing_out

        refuse_replacing_out(out_path)
    with fresh_run(out_path, table_format(out_path, output=True), restart=restart):
        return _prelabel_ray(
            path,
            out_path,
            model=model,
            taxonomy=taxonomy,
            workers=workers,
            address=address,
            threads=threads,
            chunk_size=chunk_size,
            progress=progress,
            on_start=on_start,
        )


def _prelabel_ray(
    path: Path,
    out_path: Path,
    *,
    model: str | os.PathLike[str] | None,
    taxonomy: TaxonomyRef,
    workers: int,
    address: str | None,
    threads: int,
    chunk_size: int,
    progress: ProgressFn | None,
    on_start: Callable[[int], None] | None = None,
) -> PrelabelStats:
    """:func:`prelabel_ray` once ``out_path``'s parts lock is held."""
    set_total(progress, precheck_rows(path))  # a bad row fails before Ray and the model
    _ray()
    if address:
        _check_reachable(address)  # before the model loads: a wrong address fails fast
    tax = as_taxonomy(taxonomy)
    from annotate.classifier import load_classifier

    probe = load_classifier(model, tax)  # errors before Ray starts; one model per actor
    check_classifier(probe, tax)
    stats = PrelabelStats(model_version=probe.version)
    # the driver checks what it writes, as the local engine does: passages longer than
    # the model reads, passages in a script its training languages do not use
    limit = token_limit(probe)
    stats.token_limit = limit[1] if limit else None
    stats.trained_languages = trained_languages(probe)
    stats.fallback_warning = fallback_warning_of(probe)
    stats.reading_warning = reading_warning_of(probe)
    scripts = model_scripts(stats.trained_languages)
    context = context_passages(probe)
    log.info("model %s reads %s neighbours each side", probe.version, context)
    encoder = encoder_json(probe) is not None  # the actors write model_encoder too
    del probe
    n_rows, first = _plan(path, chunk_size, context)
    schema = output_schema(path, first, tax, encoder=encoder)
    # the input's own prelabel_run (a pre-labelled file labelled again) is not carried:
    # each row gets this run's
    added = {f.name for f in prelabel_fields(tax)} | {MODEL_ENCODER, PRELABEL_RUN_COLUMN}
    carried = pa.schema([f for f in schema if f.name not in added])
    inp = fingerprint(
        path,
        model_version="",
        encoder=None,
        taxonomy_sha256="",
        chunk_size=chunk_size,
        context=context,
    )["input"]
    transport = _transport_schema(schema)
    harmful = set(tax.harmful)
    # a Ray this process starts runs on this machine's CPUs; a joined or given one may not
    local = not address and not _ray().is_initialized()
    workers = actors_for(workers, threads, math.ceil(n_rows / chunk_size), local=local)
    stats.actors = workers
    if on_start is not None:
        on_start(workers)
    n_buckets = max(workers, math.ceil(n_rows / chunk_size))
    model_ref = (
        None if model is None else str(Path(model).resolve() if Path(model).exists() else model)
    )
    # Ray started before fd 2 is filtered: its own processes keep the real stderr
    with ray_session(address, workers, threads) as ray, dropping_lines([RESTART_ARGS_NOTICE]):
        check_cpus(ray, workers, threads, address)
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False  # progress goes to ``progress(n)``, bars to the CLI
        ctx.print_on_execution_start = False
        # a sort-based shuffle runs as tasks; the hash shuffle starts aggregator actors,
        # a dozen extra processes that a small machine has no cores for
        ctx.shuffle_strategy = ray.data.context.ShuffleStrategy.SORT_SHUFFLE_PULL_BASED
        ray_data_log = logging.getLogger("ray.data")  # Ray Data's own notices: not for users
        level = ray_data_log.level
        ray_data_log.setLevel(logging.ERROR)
        stack = ExitStack()  # the progress thread: stopped before Ray shuts down
        try:
            ds = _read(ray, path, carried)
            ds = ds.map_batches(
                _add_bucket, fn_args=(n_buckets,), batch_format="pyarrow", batch_size=None
            )
            # the sort behind groupby keeps the number of blocks: one per bucket, so
            # that every actor of the pool gets work
            ds = ds.repartition(n_buckets)
            told = (
                stack.enter_context(_Progress(ray, progress, n_rows))
                if progress is not None
                else None
            )
            ds = ds.groupby(BUCKET, num_partitions=n_buckets).map_groups(
                _Labeler,
                fn_constructor_args=(
                    model_ref,
                    tax,
                    chunk_size,
                    transport,
                    threads,
                    told.tally if told is not None else None,
                    TELL_EVERY,
                    inp,
                ),
                batch_format="pyarrow",
                compute=ray.data.ActorPoolStrategy(size=workers),
                num_cpus=threads,
            )
            with TableWriter(out_path, schema=schema) as writer:
                for batch in ds.iter_batches(batch_format="pyarrow", batch_size=None):
                    rows = batch.to_pylist()
                    if rows and not stats.run_record:  # the first actor's, as the CLI says it
                        stats.run_record = str(rows[0][PRELABEL_RUN_COLUMN] or "")
                    count_foreign(stats, scripts, rows)  # writes each row's language warning
                    writer.write(rows)
                    stats.passages += len(rows)
                    stats.flagged += sum(bool(harmful.intersection(r["labels"])) for r in rows)
                    if cut := count_cut(limit, rows):
                        stats.first_cut = stats.first_cut or cut[0]
                        stats.cut += len(cut)
                    if told is not None:
                        told.wrote(len(rows))
                if stats.passages != n_rows:
                    raise ModelError(
                        f"Ray returned {stats.passages} rows for {n_rows} passages; "
                        f"{out_path} not written.",
                        fix="this is a bug in the Ray engine; report it and use --engine local.",
                    )
        except AnnotateError:
            raise
        except Exception as exc:
            cause = _cause(exc)
            if cause is not None:
                raise cause from None
            raise
        finally:
            stack.close()
            ray_data_log.setLevel(level)
    log.info(
        "pre-labelled %d passages with %s on Ray (%d workers x %d threads, %d flagged harmful)",
        stats.passages,
        stats.model_version,
        workers,
        threads,
        stats.flagged,
    )
    return stats
