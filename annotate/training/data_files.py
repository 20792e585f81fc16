"""Which files a model was trained on, as its ``annotate_model.json`` records them.

``training.data`` holds one :class:`DataSourceRecord` per data source: the path as
given (``--data`` or a config's ``data[].path``), the resolved path relative to a stated
root (the checkout, else the working directory), and per file read: its path, SHA-256,
bytes and rows. An auditor holding only the model can then tell which files it was
trained on (``sha256sum``), wherever the checkout was. Models trained before 2026-12-03
lack ``given``/``root``/``resolved``/``files``: :func:`read_records` reads them with
those empty.
"""

from __future__ import annotations

import csv
import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from annotate._util.digest import sha256_file
from annotate.settings import PROJECT_ROOT, in_checkout, outside_path
from annotate.tables import row_count

log = logging.getLogger(__name__)

ROOT_CHECKOUT = "checkout"  # the annotate source checkout (its pyproject.toml's folder)
ROOT_CWD = "working directory"  # where `annotate train` ran (outside a checkout)
# outside both: the path itself (``~/...`` under the home folder: settings.outside_path)
ROOT_ABSOLUTE = "absolute"


class DataFile(BaseModel):
    """One file a data source read (``path`` relative to the source's resolved path: a
    folder's member, or the file's own name; ``role`` data, manifest, mapping or join;
    ``rows`` None where the file is no table)."""

    model_config = ConfigDict(extra="forbid")

    path: str
    role: str = "data"
    sha256: str
    bytes: int
    rows: int | None = None


class PrelabelAnswers(BaseModel):
    """One split's human answers of an export, by the model pre-labels they started from
    (an entry of :attr:`DataSourceRecord.prelabel_answers`): ``answers`` all of them,
    ``started_from`` per model version those recording a start from its prediction
    (``annotations[].started_from_prediction``), ``no_start_recorded`` the others (a
    blank start, an answer through the API, or an export made before 2026-12-06, which
    records no start), ``shown`` per model version the answers whose task showed its
    pre-labels, started from them or not. Reviewers lean towards the pre-labels they are
    shown (automation bias): a model trained on these answers learnt, in part, that
    model's choices."""

    model_config = ConfigDict(extra="allow")

    answers: int = 0
    started_from: dict[str, int] = Field(default_factory=dict)
    no_start_recorded: int = 0
    shown: dict[str, int] = Field(default_factory=dict)


# DataSourceRecord fields left out of a record when None (a source that is no export),
# not written as null into every entry: the records of models trained before them stay
# as they were
_OMITTED_WHEN_NONE = ("prelabel_answers",)


class DataSourceRecord(BaseModel):
    """One entry of ``annotate_model.json`` ``training.data``. ``path``: as shown before
    (relative to the checkout, or the file name; ``evaluate`` matches sources on it);
    kind-specific fields (``mapping``, ``license``, ``manifest_sha256``, ...) are kept
    as they are."""

    model_config = ConfigDict(extra="allow")

    path: str
    kind: str
    rows: int = 0
    label_counts: dict[str, dict[str, int]] = Field(default_factory=dict)
    given: str | None = None  # as given: --data PATH, or the config's data[].path
    given_in: str | None = None  # the config it was written in (relative to it)
    root: str | None = None  # what ``resolved`` is relative to: ROOT_CHECKOUT or ROOT_CWD
    resolved: str | None = None
    files: list[DataFile] = Field(default_factory=list)
    # an export: per split, its answers by the pre-labels they started from (None: no
    # export, or a model trained before 2026-12-07)
    prelabel_answers: dict[str, PrelabelAnswers] | None = None

    @classmethod
    def dump(cls, info: dict[str, Any]) -> dict[str, Any]:
        """``info`` validated as a record and dumped as JSON values, without the optional
        fields that are None (:data:`_OMITTED_WHEN_NONE`). Raises pydantic's
        ValidationError when ``info`` is no record."""
        out = cls.model_validate(info).model_dump(mode="json")
        for key in _OMITTED_WHEN_NONE:
            if out.get(key) is None:
                out.pop(key, None)
        return out


def location(path: str | os.PathLike[str]) -> dict[str, str]:
    """``{"root", "resolved"}``: ``path`` resolved (POSIX separators), relative to the
    checkout when annotate runs from one and the path is in it, or beside it (the public
    data in ``../shared/data``) and not under the working directory, else relative to the
    working directory when it is in it, else absolute (:data:`ROOT_ABSOLUTE`; ``~/...``
    under the home folder:
    :func:`annotate.settings.outside_path`). A path under the working directory outside
    the checkout (``/tmp/run/corpus``) is not recorded as ``../../tmp/run/corpus``: a
    shared model's card named the trainer's folders (stop 49 A11); nor one outside both
    as ``../../../../tmp/x.jsonl``, nor ``../../../home/NAME/x.jsonl`` (break49 B12)."""
    full = Path(path).resolve()
    cwd = Path.cwd().resolve()
    if in_checkout():
        checkout = PROJECT_ROOT.resolve()
        # beside the checkout but under the working directory (a work folder next to the
        # clone, /tmp/nu59/work beside /tmp/nu59/main): relative to the working directory,
        # which verify also looks in from the model's run_folder; relative to the checkout,
        # another clone found none of it (newuser59)
        beside = full.is_relative_to(checkout.parent) and not full.is_relative_to(cwd)
        if full.is_relative_to(checkout) or beside:
            rel = os.path.relpath(full, checkout)
            return {"root": ROOT_CHECKOUT, "resolved": Path(rel).as_posix()}
    if full.is_relative_to(cwd):
        return {"root": ROOT_CWD, "resolved": full.relative_to(cwd).as_posix()}
    return {"root": ROOT_ABSOLUTE, "resolved": outside_path(full)}


def located(root: Path, resolved: str) -> Path:
    """Where a recorded ``resolved`` path is, ``root`` being what it is relative to
    here: an absolute one (:data:`ROOT_ABSOLUTE`) is itself, ``~`` expanded."""
    return root / Path(resolved).expanduser()


def count_rows(path: Path) -> int | None:
    """Rows of a table file by its suffix (JSONL lines that are not blank, CSV/TSV records
    after the header, Parquet and Arrow row counts, a JSON list's length, the lines of JSON
    Lines saved as ``.json``); None for
    another kind of file or one that cannot be read as its suffix says."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson"):
            with path.open("rb") as fh:
                return sum(1 for line in fh if line.strip())
        if suffix in (".csv", ".tsv", ".tab"):
            with path.open(encoding="utf-8", newline="") as fh:
                delimiter = "," if suffix == ".csv" else "\t"
                return max(0, sum(1 for _ in csv.reader(fh, delimiter=delimiter)) - 1)
        if suffix == ".parquet":
            rows = row_count(path)  # from the footer; None for a file pyarrow cannot read
            if rows is None:
                log.warning("%s: rows not counted (not a readable Parquet file)", path)
            return rows
        if suffix == ".arrow":
            import pyarrow as pa

            with pa.memory_map(str(path)) as source:
                return int(pa.ipc.open_stream(source).read_all().num_rows)
        if suffix == ".json":
            text = path.read_text(encoding="utf-8")
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                if not exc.msg.startswith("Extra data"):
                    raise
                # JSON Lines saved as .json (CrowdCounter's Train.json): a line per record
                return sum(1 for line in text.splitlines() if line.strip())
            return len(data) if isinstance(data, list) else None
    except (OSError, ValueError, UnicodeDecodeError, csv.Error) as exc:
        log.warning("%s: rows not counted (%s)", path, exc)
    except Exception as exc:  # pyarrow's errors: the file is still recorded, by its digest
        log.warning("%s: rows not counted (%s)", path, exc)
    return None


def describe_files(files: Sequence[tuple[Path, str]]) -> list[DataFile]:
    """A :class:`DataFile` per ``(file, role)``. ``path`` is relative to the folder that
    holds the source's own files (data, joins, an export's manifest; one file: its name; an export:
    ``hf/train/data-00000-of-00001.arrow``); a mapping outside it (in the checkout
    beside data in another folder) is named as :func:`location` resolves it, relative to
    the checkout or the working directory (``models/mappings/gab.yaml``), never by a
    parent folder the two happen to share. Each file is read once for its digest and once
    for its rows (tables only). Raises OSError when one cannot be read."""
    if not files:
        return []
    resolved = [f.resolve() for f, _ in files]
    own = [full for full, (_, role) in zip(resolved, files, strict=True) if role != "mapping"]
    base = Path(os.path.commonpath([f.parent for f in own or resolved]))
    out = []
    for (f, role), full in zip(files, resolved, strict=True):
        name = (
            full.relative_to(base).as_posix()
            if full.is_relative_to(base)
            else location(full)["resolved"]
        )
        out.append(
            DataFile(
                path=name,
                role=role,
                sha256=sha256_file(f),
                bytes=f.stat().st_size,
                rows=count_rows(f) if role == "data" else None,
            )
        )
    return out


def export_files(path: Path) -> list[tuple[Path, str]]:
    """The files of an ``annotate export`` that training reads: ``manifest.json`` and the
    ``hf/`` split files when the saved DatasetDict is there, else ``jsonl/*.jsonl``."""
    from annotate._util.os_files import without_os_files

    out: list[tuple[Path, str]] = []
    if (path / "manifest.json").is_file():
        out.append((path / "manifest.json", "manifest"))
    hf = path / "hf" if (path / "hf" / "dataset_dict.json").is_file() else path
    if (hf / "dataset_dict.json").is_file():
        out += [(f, "data") for f in sorted(hf.glob("*/*.arrow"))]
    elif (path / "jsonl").is_dir():
        out += [(f, "data") for f in without_os_files(sorted((path / "jsonl").glob("*.jsonl")))]
    return out


def read_records(data: Sequence[Any] | None) -> list[DataSourceRecord]:
    """``training.data`` of an ``annotate_model.json`` (any version) as records; an entry
    that does not validate (a hand-edited file) is logged and skipped."""
    out = []
    for i, entry in enumerate(data or []):
        try:
            out.append(DataSourceRecord.model_validate(entry))
        except ValidationError as err:
            log.warning("training.data[%d] is not a data source record (%s)", i, _why(err))
    return out


def invalid_records(data: Sequence[Any] | None) -> list[str]:
    """One line per entry of ``training.data`` that :func:`read_records` skips:
    ``training.data[I] (FIELD: what is wrong; ...)``."""
    out = []
    for i, entry in enumerate(data or []):
        try:
            DataSourceRecord.model_validate(entry)
        except ValidationError as err:
            out.append(f"training.data[{i}] ({_why(err)})")
    return out


def _why(err: ValidationError) -> str:
    """A validation error in one line (pydantic's own text takes several, with a URL)."""
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'entry'}: {e['msg'].lower()}" for e in err.errors()
    )
