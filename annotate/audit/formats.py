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
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

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


def _float32(value: float) -> float:
    import numpy as np

    return float(np.float32(value))


def normalize(spec: Any, value: Any) -> Any:
    """``value`` as names and comparable numbers under the HF feature ``spec`` (JSON):
    ClassLabel ids become names, float32 values are rounded to float32 (JSONL holds them
    as written, Arrow as stored), structs keep the spec's keys (a missing one is None)."""
    if value is None:
        return None
    if isinstance(spec, list):  # [feature]: a list of it (older `datasets` spelling)
        return [normalize(spec[0], v) for v in value] if isinstance(value, list) else value
    if not isinstance(spec, dict):
        return value
    kind = spec.get("_type")
    if kind is None:  # a struct
        if not isinstance(value, dict):
            return value
        return {k: normalize(sub, value.get(k)) for k, sub in spec.items()}
    if kind in ("List", "Sequence", "LargeList"):
        if not isinstance(value, list):
            return value
        return [normalize(spec.get("feature"), v) for v in value]
    if kind == "ClassLabel":
        names = spec.get("names") or []
        if type(value) is int:
            return names[value] if 0 <= value < len(names) else f"<label id {value}>"
        return value
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "Value" and spec.get("dtype") in ("float32", "float16") and number:
        return _float32(value)
    return value


def _jsonl_rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError(f"{path} line {n + 1} is not a row")
            yield row


def _parquet(path: Path) -> tuple[dict[str, Any] | None, Iterator[dict[str, Any]]]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)

    def rows() -> Iterator[dict[str, Any]]:
        for batch in pf.iter_batches(batch_size=BATCH_ROWS):
            yield from batch.to_pylist()

    return _features(pf.schema_arrow), rows()


def _arrow_batches(path: Path) -> Iterator[Any]:
    import pyarrow as pa

    with pa.memory_map(str(path)) as source:
        try:
            stream: Any = pa.ipc.open_stream(source)
        except pa.ArrowInvalid:
            reader = pa.ipc.open_file(source)
            for i in range(reader.num_record_batches):
                yield reader.get_batch(i)
            return
        yield from stream


def _arrow_schema(path: Path) -> Any:
    import pyarrow as pa

    with pa.memory_map(str(path)) as source:
        try:
            return pa.ipc.open_stream(source).schema
        except pa.ArrowInvalid:
            return pa.ipc.open_file(source).schema


def _hf(folder: Path) -> tuple[dict[str, Any] | None, Iterator[dict[str, Any]]]:
    shards = sorted(folder.glob("*.arrow"))
    if not shards:
        raise OSError(f"{folder} holds no .arrow shard")

    def rows() -> Iterator[dict[str, Any]]:
        for shard in shards:
            for batch in _arrow_batches(shard):
                yield from batch.to_pylist()

    return _features(_arrow_schema(shards[0])), rows()


@dataclass
class FormatDiff:
    """Where one split's formats do not hold the same rows."""

    split: str
    # format (or "all" when the three disagree) -> [(row id, fields)], first NAMED_ROWS
    rows: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # rows per odd format
    lengths: dict[str, int] = field(default_factory=dict)  # rows read per format
    order: str = ""  # the first position whose row ids differ, when they do
    no_features: list[str] = field(default_factory=list)  # Arrow formats without HF features

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
        if self.order:
            out.append((self.split, self.order))
        for fmt, named in self.rows.items():
            n = self.counts[fmt]
            listed = ", ".join(f"{rid} ({', '.join(fields)})" for rid, fields in named)
            more = f" and {n - len(named)} more" if n > len(named) else ""
            if fmt == "all":
                out.append(
                    (
                        self.split,
                        f"jsonl, parquet and hf disagree with each other on {n} row(s): "
                        f"{listed}{more}",
                    )
                )
                continue
            others = " and ".join(format_path(f, self.split) for f in FORMATS if f != fmt)
            out.append(
                (
                    format_path(fmt, self.split),
                    f"{n} row(s) differ from {others}, which agree: {listed}{more}; the "
                    "formats no longer hold the same rows",
                )
            )
        return out


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


def compare_split(corpus: Path, split: str) -> FormatDiff:
    """Read ``split`` in the three formats side by side (see the module).

    Raises OSError or ValueError (pyarrow's errors derive from these) for an unreadable
    file."""
    diff = FormatDiff(split=split)
    jsonl = _jsonl_rows(corpus / format_path("jsonl", split))
    spec_p, parquet = _parquet(corpus / format_path("parquet", split))
    spec_h, hf = _hf(corpus / format_path("hf", split))
    diff.no_features = [f for f, s in (("parquet", spec_p), ("hf", spec_h)) if s is None]
    if diff.no_features:
        return diff
    assert spec_p is not None and spec_h is not None
    fields = list(dict.fromkeys([*spec_p, *spec_h]))
    diff.lengths = dict.fromkeys(FORMATS, 0)
    missing = object()
    for pos, (a, b, c) in enumerate(zip_longest(jsonl, parquet, hf, fillvalue=missing)):
        for fmt, row in zip(FORMATS, (a, b, c), strict=True):
            if row is not missing:
                diff.lengths[fmt] += 1
        if missing in (a, b, c):
            continue
        ids = (a.get("id"), b.get("id"), c.get("id"))
        if len(set(ids)) > 1:
            if not diff.order:
                diff.order = (
                    f"row {pos + 1} is {ids[0]!r} in jsonl, {ids[1]!r} in parquet, {ids[2]!r} "
                    "in hf: the formats hold other rows or another order"
                )
            continue
        odd: dict[str, list[str]] = {}
        for name in fields:
            x = normalize(spec_p.get(name, spec_h.get(name)), a.get(name))
            y = normalize(spec_p.get(name), b.get(name))
            z = normalize(spec_h.get(name), c.get(name))
            who = _odd_one(x, y, z)
            if who is not None:
                odd.setdefault(who, []).append(name)
        for who, names in odd.items():
            diff.counts[who] = diff.counts.get(who, 0) + 1
            named = diff.rows.setdefault(who, [])
            if len(named) < NAMED_ROWS:
                named.append((str(ids[0]), names))
    return diff
