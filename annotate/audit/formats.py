"""Whether an export's three formats hold the same rows.

An export writes every row three times: ``jsonl/{split}.jsonl`` (names), and
``parquet/{split}.parquet`` and ``hf/{split}/*.arrow`` (``datasets`` encoding: ClassLabel
ids, the HF features in the Arrow schema metadata). The manifest's checksums and
``content_sha256`` (taken over the JSONL rows) are consistent after someone rewrites the
JSONL and the manifest together, while Parquet and HF keep the original labels; so verify
reads the three formats side by side, row by row in the order export wrote them, decodes
each Arrow format with its own features (ClassLabel ids to names, float32 values rounded
alike) and names the format that differs from the other two, with the rows and fields.

The files are streamed (one JSONL line, one Arrow record batch at a time): no format is
held in memory whole. Only the fields of the Arrow formats' features are compared (a JSONL
key they do not have cannot disagree), so older exports with fewer fields compare too.
"""

from __future__ import annotations

import json
import struct
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from annotate._util.os_files import without_os_files

FORMATS = ("jsonl", "parquet", "hf")
BATCH_ROWS = 1024
NAMED_ROWS = 5  # rows named per mismatch; the count covers the rest


def format_path(fmt: str, split: str) -> str:
    """The path of ``split`` in format ``fmt``, relative to the corpus folder."""
    return {
        "jsonl": f"jsonl/{split}.jsonl",
        "parquet": f"parquet/{split}.parquet",
        "hf": f"hf/{split}",
    }[fmt]


def _features(schema: Any) -> dict[str, Any] | None:
    """The HF features (as JSON) recorded in an Arrow schema's metadata, or None."""
    raw = (schema.metadata or {}).get(b"huggingface")
    if raw is None:
        return None
    features = json.loads(raw).get("info", {}).get("features")
    return features if isinstance(features, dict) else None


_F32 = struct.Struct("<f")
Normalizer = Callable[[Any], Any]


def _float32(value: float) -> float:
    try:
        return float(_F32.unpack(_F32.pack(value))[0])
    except (OverflowError, struct.error):  # out of float32's range: compared as it is
        return float(value)


def compile_spec(spec: Any) -> Normalizer | None:
    """A function giving a value as names and comparable numbers under the HF feature
    ``spec`` (JSON): ClassLabel ids become names, float32 values are rounded to float32
    (JSONL holds them as written, Arrow as stored), structs keep the spec's keys (a missing
    one is None). None when values under ``spec`` compare as they are (no ClassLabel and
    no float32 below it), the common case, so those are compared without a call."""
    if isinstance(spec, list):  # [feature]: a list of it (older `datasets` spelling)
        return _list_of(compile_spec(spec[0]) if spec else None)
    if not isinstance(spec, dict):
        return None
    kind = spec.get("_type")
    if kind is None:  # a struct
        items = [(k, compile_spec(sub)) for k, sub in spec.items()]

        def struct_(value: Any) -> Any:
            if not isinstance(value, dict):
                return value
            return {k: (value.get(k) if f is None else f(value.get(k))) for k, f in items}

        return struct_
    if kind in ("List", "Sequence", "LargeList"):
        return _list_of(compile_spec(spec.get("feature")))
    if kind == "ClassLabel":
        names = list(spec.get("names") or [])

        def label(value: Any) -> Any:
            if type(value) is int:
                return names[value] if 0 <= value < len(names) else f"<label id {value}>"
            return value

        return label
    if kind == "Value" and spec.get("dtype") in ("float32", "float16"):

        def number(value: Any) -> Any:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return _float32(value)
            return value

        return number
    return None


def _list_of(inner: Normalizer | None) -> Normalizer:
    def list_(value: Any) -> Any:
        if not isinstance(value, list):
            return value
        return list(value) if inner is None else [inner(v) for v in value]

    return list_


def normalize(spec: Any, value: Any) -> Any:
    """``value`` under ``spec`` as :func:`compile_spec` makes it comparable."""
    f = compile_spec(spec)
    return value if f is None or value is None else f(value)


def jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number from 1, row) of each non-blank line of an export's JSONL file. Raises
    OSError, ValueError (a line that is not a JSON object; JSONDecodeError included)."""
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError(f"{path} line {n + 1} is not a row")
            yield n + 1, row


def _jsonl_rows(path: Path) -> Iterator[dict[str, Any]]:
    return (row for _, row in jsonl_rows(path))


def _hf_table(folder: Path) -> Any:
    """The HF split as one Arrow table over its memory-mapped shards (nothing is copied
    into memory; the pages are read as the rows are)."""
    import pyarrow as pa

    shards = without_os_files(sorted(folder.glob("*.arrow")))
    if not shards:
        raise OSError(f"{folder} holds no .arrow shard")
    tables = []
    for shard in shards:
        source = pa.memory_map(str(shard))
        try:
            tables.append(pa.ipc.open_stream(source).read_all())
        except pa.ArrowInvalid:
            tables.append(pa.ipc.open_file(source).read_all())
    return pa.concat_tables(tables) if len(tables) > 1 else tables[0]


def _arrow_rows(parquet: Path, hf: Path) -> tuple[Any, Any, Iterator[tuple[Any, Any, bool]]]:
    """The HF features of Parquet and HF, and their rows side by side: (parquet row, hf
    row, whether the two are equal as stored). Parquet is read a record batch at a time
    and compared with the same rows of HF in Arrow first: only where they differ is the
    HF batch turned into Python rows too."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(parquet)
    table = _hf_table(hf)

    def rows() -> Iterator[tuple[Any, Any, bool]]:
        offset = 0
        for batch in pf.iter_batches(batch_size=BATCH_ROWS):
            mine = batch.to_pylist()
            theirs = table.slice(offset, batch.num_rows)
            offset += batch.num_rows
            same = theirs.num_rows == batch.num_rows and theirs.schema.equals(batch.schema)
            if same:
                same = pa.Table.from_batches([batch]).equals(theirs)
            other = mine if same else theirs.to_pylist()
            for i, row in enumerate(mine):
                yield row, other[i] if i < len(other) else _MISSING, same
        for row in table.slice(offset).to_pylist() if offset < table.num_rows else []:
            yield _MISSING, row, False

    return _features(pf.schema_arrow), _features(table.schema), rows()


_MISSING: Any = object()


@dataclass
class FormatDiff:
    """Where one split's formats do not hold the same rows."""

    split: str
    # format (or "all" when the three disagree) -> [(row id, fields)], first NAMED_ROWS
    rows: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # rows per odd format
    lengths: dict[str, int] = field(default_factory=dict)  # rows read per format
    order: str = ""  # the first position whose row ids differ, when they do
    order_at: tuple[int, tuple[Any, Any, Any]] = (0, (None, None, None))  # its index, ids
    no_features: list[str] = field(default_factory=list)  # Arrow formats without HF features
    # format -> row ids the other two formats hold and it lacks (a row deleted from it),
    # those only it holds (a row added), and those it holds more often than the others
    # (a row copied); first NAMED_ROWS of each, with the count
    lacks: dict[str, tuple[list[str], int]] = field(default_factory=dict)
    adds: dict[str, tuple[list[str], int]] = field(default_factory=dict)
    repeats: dict[str, tuple[list[str], int]] = field(default_factory=dict)

    @property
    def same(self) -> bool:
        return not self.rows and not self.order and len(set(self.lengths.values())) <= 1

    def messages(self) -> list[tuple[str, str]]:
        """(path, what) for each difference, worded for the verify report."""
        out: list[tuple[str, str]] = []
        for fmt in self.no_features:
            out.append(
                (
                    format_path(fmt, self.split),
                    "has no HF features in its schema metadata: its labels cannot be "
                    "compared with the JSONL's",
                )
            )
        if len(set(self.lengths.values())) > 1:
            held = ", ".join(f"{format_path(f, self.split)} {n}" for f, n in self.lengths.items())
            out.append((self.split, f"the formats hold different numbers of rows ({held})"))
        for fmt, (ids, n) in self.lacks.items():
            rest = " and ".join(format_path(f, self.split) for f in FORMATS if f != fmt)
            what = f"lacks {n} row(s) that {rest} hold: {listed(ids, n)}"
            out.append((format_path(fmt, self.split), what))
        for fmt, (ids, n) in self.adds.items():
            what = f"holds {n} row(s) that the other two formats lack: {listed(ids, n)}"
            out.append((format_path(fmt, self.split), what))
        for fmt, (ids, n) in self.repeats.items():
            what = f"holds {n} row(s) more times than the other two formats (copied): " + listed(
                ids, n
            )
            out.append((format_path(fmt, self.split), what))
        if self.order and not (self.lacks or self.adds or self.repeats):
            out.append((self.split, self.order))
        for fmt, named in self.rows.items():
            n = self.counts[fmt]
            rows = listed([f"{rid} ({', '.join(fields)})" for rid, fields in named], n)
            if fmt == "all":
                out.append(
                    (
                        self.split,
                        f"jsonl, parquet and hf disagree with each other on {n} row(s): {rows}",
                    )
                )
                continue
            others = " and ".join(format_path(f, self.split) for f in FORMATS if f != fmt)
            out.append(
                (
                    format_path(fmt, self.split),
                    f"{n} row(s) differ from {others}, which agree: {rows}; the "
                    "formats no longer hold the same rows",
                )
            )
        return out


def listed(ids: list[str], n: int) -> str:
    """``ids`` (those named) joined, with how many more of ``n`` were not named:
    ``"a, b and 3 more"``."""
    return ", ".join(ids) + (f" and {n - len(ids)} more" if n > len(ids) else "")


def _odd_one(a: Any, b: Any, c: Any) -> str | None:
    """Which of (jsonl, parquet, hf) differs from the other two; "all"; None: equal."""
    if a == b == c:
        return None
    if b == c:
        return "jsonl"
    if a == c:
        return "parquet"
    if a == b:
        return "hf"
    return "all"


def compare_split(
    corpus: Path, split: str, jsonl: Iterator[dict[str, Any]] | None = None
) -> FormatDiff:
    """Read ``split`` in the three formats side by side (see the module). ``jsonl``: the
    rows of its JSONL file, from a reader that hands them to other checks as well
    (:mod:`annotate.audit.rows_read`); None: read here.

    Raises OSError or ValueError (pyarrow's errors derive from these) for an unreadable
    file."""
    diff = FormatDiff(split=split)
    if jsonl is None:
        jsonl = _jsonl_rows(corpus / format_path("jsonl", split))
    spec_p, spec_h, arrow = _arrow_rows(
        corpus / format_path("parquet", split), corpus / format_path("hf", split)
    )
    diff.no_features = [f for f, s in (("parquet", spec_p), ("hf", spec_h)) if s is None]
    same_spec = spec_p == spec_h
    # per field: (name, normalizer of jsonl, of parquet, of hf); None: compare as they are.
    # A format without features (a Parquet file re-saved by pandas) cannot decode its
    # labels: only the row ids, plain strings in every format, are compared then, so a
    # deleted, added or copied row is still named (newuser59 #4)
    plan = []
    if diff.no_features:
        spec_p = spec_h = {}
    assert spec_p is not None and spec_h is not None
    for name in dict.fromkeys([*spec_p, *spec_h]):
        fp = compile_spec(spec_p[name]) if name in spec_p else None
        fh = fp if same_spec else (compile_spec(spec_h[name]) if name in spec_h else None)
        fj = fp if name in spec_p else fh
        plan.append((name, fj, fp, fh))
    diff.lengths = dict.fromkeys(FORMATS, 0)
    # row id -> times held, per format: only ids are kept (the rows are streamed), to name
    # the rows a format lacks or adds when the formats no longer line up
    held: dict[str, Counter[str]] = {fmt: Counter() for fmt in FORMATS}
    pairs = zip_longest(jsonl, arrow, fillvalue=_MISSING)
    for pos, (a, pair) in enumerate(pairs):
        b, c, stored_same = (_MISSING, _MISSING, False) if pair is _MISSING else pair
        for fmt, row in zip(FORMATS, (a, b, c), strict=True):
            if row is not _MISSING:
                diff.lengths[fmt] += 1
                held[fmt][str(row.get("id"))] += 1
        if a is _MISSING or b is _MISSING or c is _MISSING:
            continue
        ids = (a.get("id"), b.get("id"), c.get("id"))
        if not ids[0] == ids[1] == ids[2]:
            if not diff.order:
                diff.order_at = (pos, ids)
                diff.order = (
                    f"row {pos + 1} is {ids[0]!r} in jsonl, {ids[1]!r} in parquet, {ids[2]!r} "
                    "in hf: the formats hold other rows or another order"
                )
            continue
        odd: dict[str, list[str]] = {}
        for name, fj, fp, fh in plan:
            x, y, z = a.get(name), b.get(name), c.get(name)
            if same_spec and (stored_same or y == z):  # one encoding: decode one of them
                if fj is not None and x is not None:
                    x = fj(x)
                if fp is not None and y is not None:
                    y = fp(y)
                if x != y:
                    odd.setdefault("jsonl", []).append(name)
                continue
            x = x if fj is None or x is None else fj(x)
            y = y if fp is None or y is None else fp(y)
            z = z if fh is None or z is None else fh(z)
            who = _odd_one(x, y, z)
            if who is not None:
                odd.setdefault(who, []).append(name)
        for who, names in odd.items():
            diff.counts[who] = diff.counts.get(who, 0) + 1
            named = diff.rows.setdefault(who, [])
            if len(named) < NAMED_ROWS:
                named.append((str(ids[0]), names))
    if diff.order or len(set(diff.lengths.values())) > 1:
        _name_moved_rows(diff, held)
    if diff.order and held["jsonl"] == held["parquet"] == held["hf"]:
        diff.order = _reordered_said(diff.order_at, diff.split)
    return diff


def _reordered_said(at: tuple[int, tuple[Any, Any, Any]], split: str) -> str:
    """What the three formats holding the same row ids in another order says (audit61:
    "other rows or another order" left an auditor to find out which): the format in
    another order, when the other two agree, and the first row where it differs."""
    pos, ids = at
    odd = [f for f, i in zip(FORMATS, ids, strict=True) if list(ids).count(i) == 1]
    where = ", ".join(f"{ids[FORMATS.index(f)]!r} in {f}" for f in FORMATS)
    if len(odd) == 1:
        others = " and ".join(format_path(f, split) for f in FORMATS if f != odd[0])
        head = (
            f"{format_path(odd[0], split)} holds the same rows (by id) as {others}, "
            "in another order than theirs"
        )
    else:
        head = "jsonl, parquet and hf hold the same rows (by id), each in another order"
    return (
        f"{head}: row {pos + 1} is {where}; rows out of the export's order are not "
        "compared field by field (none is missing, added or copied)"
    )


def _name_moved_rows(diff: FormatDiff, held: dict[str, Counter[str]]) -> None:
    """Fill ``diff.lacks``/``adds``/``repeats``: per format, the row ids the other two
    (which agree) hold and it lacks, those only it holds, and those it holds more often."""
    for fmt in FORMATS:
        a, b = (held[f] for f in FORMATS if f != fmt)
        if a != b:
            continue  # the other two disagree as well: no format to name as the odd one
        mine = held[fmt]
        lacks = sorted(i for i in a if i not in mine)
        adds = sorted(i for i in mine if i not in a)
        repeats = sorted(i for i in mine if i in a and mine[i] > a[i])
        for found, ids in ((diff.lacks, lacks), (diff.adds, adds), (diff.repeats, repeats)):
            if ids:
                found[fmt] = (ids[:NAMED_ROWS], len(ids))
