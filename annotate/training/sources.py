"""Labeled examples for training and evaluation, from three kinds of source.

1. An export directory written by ``annotate export`` (the retraining loop): rows of
   the corpus schema with resolved ``labels``, ``spans`` and a ``split``.
2. A table in the project's own format (JSONL/CSV/Parquet with ``text`` and ``labels``
   as taxonomy category names, optional ``doc_id``, ``title``, ``passage_index`` and
   ``spans`` as ``{text, label}`` or ``{start, end, label}``); split by document.
3. Any other table (TSV too) with a declared mapping file (YAML/JSON, see
   :class:`Mapping`) from its columns to the taxonomy.

Every example carries which labels it actually supervises (``known``): a public set
that only says "threatening or not" says nothing about news_reporting.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import json
import logging
import os
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from os.path import relpath
from pathlib import Path
from typing import Any, NoReturn

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from annotate._util.near_paths import missing_path_fix
from annotate._util.os_files import without_os_files
from annotate._util.plural import counted
from annotate._util.shown import shown
from annotate._util.validation import load_yaml, validation_error
from annotate.classifier.turn_text import recorded_conversation
from annotate.corpus.resolve import tied_categories, tied_spans
from annotate.corpus.schema import SPLITS
from annotate.errors import TrainingError
from annotate.settings import display_path
from annotate.taxonomy import Taxonomy, category_meant
from annotate.training.data_files import (
    DataSourceRecord,
    describe_files,
    export_files,
    location,
)
from annotate.training.table_licences import table_licences

log = logging.getLogger(__name__)


@dataclass
class Example:
    text: str
    labels: set[str]
    known: set[str]  # labels this example supervises (the others are masked out)
    split: str  # train / validation / test
    source: str
    doc_key: str
    index: int = 0
    title: str | None = None
    # gold evidence spans: (start, end, span label); None = not annotated
    spans: list[tuple[int, int, str]] | None = None
    # evidence spans a tied vote left undecided (marked by exactly half of the reviewers,
    # no lead yet): masked in span training, neither evidence nor a decided "no"
    undecided_spans: list[tuple[int, int, str]] = field(default_factory=list)
    weight: float = 1.0
    id: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    # near-duplicate group as the data gives it (an export's ``near_dup_group``: ingest's
    # MinHash LSH group across documents), None when it gives none; examples sharing one
    # are held out together (:mod:`annotate.training.validation_split`)
    near_dup_group: str | None = None
    # whether the passage's document is a conversation, as ingest recorded it (the row's
    # ``conversation`` column; None: not recorded): evaluate reads the passage as prelabel
    # does (annotate.classifier.turn_text.recorded_conversation)
    conversation: bool | None = None


# ---- mapping files --------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Rule(_Strict):
    """Rows whose columns equal all ``when`` values (a list value: any of them) and whose
    text matches ``text_matches`` (a regular expression, searched case-insensitively)
    get ``labels`` (first match wins).

    ``known``, when given, lists every label the rule supervises (``labels`` are added);
    the others are unknown. ``known: []`` with no labels makes an unlabeled row (a pool
    for manual labelling that supervises nothing)."""

    when: dict[str, Any] = Field(default_factory=dict)
    text_matches: str | None = None
    labels: list[str] = Field(default_factory=list)
    unknown: list[str] = Field(default_factory=list)  # extra labels this rule cannot tell
    known: list[str] | None = None
    drop: bool = False
    span: str | None = None  # span label for the whole text (own-voice harmful posts)


class Join(_Strict):
    path: str  # relative to the data file
    key: str  # column present in both tables
    columns: list[str]


class SplitSpec(_Strict):
    fixed: str | None = None  # every row of this file goes to this split
    validation: float = 0.1
    test: float = 0.1
    by: str | None = None  # column to group by (documents); default: the text
    # two columns that link rows into groups kept in one split (e.g. an entry id and the
    # id of its contrastive pair): rows connected through them share a split
    link: list[str] = Field(default_factory=list, max_length=2)

    @field_validator("fixed")
    @classmethod
    def _split(cls, v: str | None) -> str | None:
        if v is not None and v not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, found {v!r}")
        return v


class Mapping(_Strict):
    """How a foreign labeled table maps onto the taxonomy."""

    name: str
    license: str = "unknown"
    citation: str = ""
    description: str = ""
    sep: str | None = None  # column separator for CSV/TSV (default by extension)
    # how to read the files: csv, tsv, jsonl (JSON Lines, whatever the extension), json,
    # parquet; default by extension
    format: str | None = None
    skipinitialspace: bool = False  # CSV fields padded with a space after the separator
    # the text column; several columns make one example per column and row (e.g. a post
    # and its reply), and rules can match the column name in `_column`
    text: str | list[str] = "text"
    # keep only rows whose text looks English (common English function words)
    english_only: bool = False
    doc_id: str | None = None
    title: str | None = None
    passage_index: str | None = None
    join: list[Join] = Field(default_factory=list)
    rules: list[Rule] = Field(min_length=1)
    unknown: list[str] = Field(default_factory=list)  # labels this source never tells
    split: SplitSpec = Field(default_factory=SplitSpec)
    sample_train: dict[str, int] = Field(default_factory=dict)  # label set -> max rows
    weight: float = 1.0

    def check(self, tax: Taxonomy, source: str) -> None:
        """Raise TrainingError naming ``source`` (the mapping file), the key
        (``rules[0].labels``) and the label, with the label meant when one is close, for a
        label labels.yaml lacks; and for a rule that neither drops nor labels rows, a bad
        ``text_matches`` or ``format``."""
        at = f"mapping file {source}"
        for i, rule in enumerate(self.rules):
            named = [
                *((f"rules[{i}].labels", n) for n in rule.labels),
                *((f"rules[{i}].unknown", n) for n in rule.unknown),
                *((f"rules[{i}].known", n) for n in rule.known or []),
            ]
            for key, name in named:
                _known_label(at, key, name, tax.category_names, "category")
            if rule.span:
                _known_label(at, f"rules[{i}].span", rule.span, tax.span_names, "span label")
            if not rule.drop and not rule.labels and rule.known is None:
                raise TrainingError(
                    f"{at}: rules[{i}] neither drops rows nor gives labels.",
                    fix="add `labels: [...]`, `known: [...]` or `drop: true`.",
                )
            if rule.text_matches:
                try:
                    re.compile(rule.text_matches)
                except re.error as exc:
                    raise TrainingError(
                        f"{at}: rules[{i}].text_matches is not a regular expression ({exc}).",
                        fix="write a Python regular expression (re module syntax).",
                    ) from None
        if self.format and self.format not in READ_FORMATS:
            raise TrainingError(
                f"{at}: format: unknown format {self.format!r}.",
                fix=f"use one of {', '.join(READ_FORMATS)}.",
            )
        for name in self.unknown:
            _known_label(at, "unknown", name, tax.category_names, "category")


def _known_label(at: str, key: str, name: str, names: Sequence[str], kind: str) -> None:
    """Raise TrainingError when ``name`` (at ``key`` of the file ``at`` names) is not one
    of ``names`` (labels.yaml's categories or span labels: ``kind``)."""
    if name in names:
        return
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.75)
    meant = f"did you mean {close[0]!r}? Otherwise " if close else ""
    raise TrainingError(
        f"{at}: {key}: {name!r} is not a {kind} of labels.yaml.",
        fix=f"{meant}use one of {', '.join(names)}.",
    )


def load_mapping(path: str | Path, tax: Taxonomy) -> Mapping:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise TrainingError(f"mapping file {p}: {exc.strerror}.", fix="check the path.") from None
    try:
        if p.suffix == ".json":
            data = json.loads(text)
        else:  # a key written twice is refused, as in labels.yaml and a training config
            data = load_yaml(text, f"mapping file {p}", TrainingError)
        mapping = Mapping.model_validate(data)
    except json.JSONDecodeError as exc:
        raise TrainingError(f"mapping file {p} is not valid JSON: {exc}.") from None
    except ValidationError as err:
        raise validation_error(
            err,
            data,
            f"mapping file {p}",
            TrainingError,
            reference="models/mappings/*.yaml",
            schema=Mapping,
        ) from None
    mapping.check(tax, str(p))
    return mapping


# ---- splitting and sampling -----------------------------------------------------------
def stable_unit(*parts: object) -> float:
    """A deterministic number in [0, 1) from its arguments."""
    h = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64


def assign_split(key: str, seed: int, validation: float, test: float) -> str:
    u = stable_unit("split", seed, key)
    if u < test:
        return "test"
    if u < test + validation:
        return "validation"
    return "train"


def sample_train(examples: list[Example], caps: dict[str, int], seed: int) -> list[Example]:
    """Keep at most ``caps[label set]`` training examples per label set ("none", or
    "a+b" for several labels); validation and test rows are never sampled."""
    if not caps:
        return examples
    groups: dict[str, list[int]] = {}
    for i, ex in enumerate(examples):
        if ex.split == "train":
            groups.setdefault("+".join(sorted(ex.labels)), []).append(i)
    drop: set[int] = set()
    for key, cap in caps.items():
        idx = groups.get(key, [])
        if len(idx) > cap:
            rng = random.Random(f"{seed}:{key}")
            keep = set(rng.sample(idx, cap))
            drop.update(i for i in idx if i not in keep)
    return [ex for i, ex in enumerate(examples) if i not in drop]


# ---- readers ----------------------------------------------------------------------------
READ_FORMATS = ("csv", "tsv", "jsonl", "json", "parquet")
# the kind a training source record gives a `save_to_disk` DatasetDict read with its splits
SAVED_DATASET = "saved dataset"


def _read_frame(
    path: Path, sep: str | None = None, fmt: str | None = None, skipinitialspace: bool = False
):
    import pandas as pd

    if path.is_dir():
        return _read_saved_dataset(path)
    if path.is_file() and path.stat().st_size == 0:
        raise TrainingError(f"{path}: the file is empty.", fix="pass a file with rows.")
    suffix = path.suffix.lower()
    if fmt is None:
        fmt = {".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
        fmt = fmt.get(suffix) or ("tsv" if suffix in (".tsv", ".tab") else "csv")
    try:
        if fmt == "parquet":
            return pd.read_parquet(path)
        if fmt == "jsonl":
            return pd.read_json(path, lines=True, dtype=False)
        if fmt == "json":
            return pd.read_json(path, dtype=False)
        return pd.read_csv(
            path,
            sep=sep or ("\t" if fmt == "tsv" else ","),
            dtype=str,
            keep_default_na=False,
            skipinitialspace=skipinitialspace,
        )
    except (OSError, ValueError) as exc:
        if fmt == "json" and "Trailing data" in str(exc):
            # JSON Lines under a .json name (CrowdCounter's Train.json, many dumps)
            raise TrainingError(
                f"{path}: cannot read the table as one JSON document ({exc}): it looks like "
                "JSON Lines, one object per line.",
                fix="add `format: jsonl` to the mapping file.",
            ) from None
        raise TrainingError(
            f"{path}: cannot read the table as {fmt} ({exc}).",
            fix="set the mapping's `format:` (csv, tsv, jsonl, json, parquet) and `sep:` to "
            "match the file.",
        ) from None


def saved_dataset_files(path: Path) -> list[Path]:
    """The Arrow files of a ``datasets`` ``save_to_disk`` folder (a Dataset or a
    DatasetDict), sorted; empty for any other folder."""
    if (path / "dataset_dict.json").is_file():
        return sorted(path.glob("*/*.arrow"))
    if (path / "state.json").is_file():
        return sorted(path.glob("*.arrow"))
    return []


def _read_saved_dataset(path: Path):
    """A ``datasets`` ``save_to_disk`` folder as one frame: a DatasetDict's splits
    concatenated (the mapping's ``split`` assigns rows, as for any table; the saved split
    is the ``_split`` column, which rules may match). Raises TrainingError for any other
    folder."""
    import pandas as pd

    if not saved_dataset_files(path):
        raise TrainingError(
            f"{path} is a folder, not a table nor a `datasets` save_to_disk folder.",
            fix="pass a CSV, TSV, JSONL, JSON or Parquet file (a glob such as "
            "'folder/*.csv' reads several), or a folder written by `save_to_disk`.",
        )
    from datasets import DatasetDict, load_from_disk

    try:
        saved = load_from_disk(str(path))
    except (OSError, ValueError) as exc:
        raise TrainingError(f"{path}: cannot read the saved dataset ({exc}).") from None
    if isinstance(saved, DatasetDict):
        frames = [ds.to_pandas().assign(_split=name) for name, ds in saved.items()]
        return pd.concat(frames, ignore_index=True)
    return saved.to_pandas()


def _matches(row: dict[str, Any], rule: Rule, text: str) -> bool:
    for k, v in rule.when.items():
        cell = str(row.get(k, "")).strip()
        if isinstance(v, list):
            if cell not in {str(x).strip() for x in v}:
                return False
        elif cell != str(v).strip():
            return False
    return not rule.text_matches or re.search(rule.text_matches, text, re.I) is not None


# frequent function words of English and of the other languages common in public post
# sets (Spanish, Italian, Portuguese, French, Tagalog); a rough language filter
_EN_WORDS = (
    "the a an and or but of to in on at for with from by is are was were be been has have "
    "had it its this that these those he she they we you i my our your their his her not no "
    "will would can could should after before over about as into than what who"
)
_ENGLISH = frozenset(_EN_WORDS.split())
_FOREIGN_WORDS = (
    "de el en las los que y del por para con una es se al le les des du et est il di che sono "
    "nel della dei gli ed não em os uma com dos das ng mga sa ang po ay natin ni ako"
)
_FOREIGN = frozenset(_FOREIGN_WORDS.split())
_WORD = re.compile(r"[^\W\d_]+")


def looks_english(text: str) -> bool:
    """False when a text (links, mentions and hashtags removed) has more frequent
    function words of Spanish, Italian, Portuguese, French or Tagalog than of English,
    or is mostly written in a non-Latin script: a rough filter for short posts (headlines
    without function words pass), not a language identifier."""
    text = re.sub(r"(https?://\S+|[@#]\w+)", " ", text.lower())
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c > "\u024f" for c in letters) * 2 > len(letters):
        return False
    words = _WORD.findall(text)
    return sum(w in _FOREIGN for w in words) <= sum(w in _ENGLISH for w in words)


def _is_pattern(path: Path) -> bool:
    """Whether ``path`` is a glob pattern (``*``, ``?`` or ``[``), not one file's name."""
    return any(c in str(path) for c in "*?[")


def _glob(path: Path) -> list[Path]:
    if not _is_pattern(path):
        return [path]
    anchor = Path(path.anchor) if path.is_absolute() else Path()
    pattern = str(path.relative_to(anchor)) if path.is_absolute() else str(path)
    return sorted(p for p in anchor.glob(pattern) if p.is_file())


def _link_groups(df, cols: list[str]) -> list[str]:
    """Per row, a key shared by every row connected to it through the two ``cols``
    (union-find over their values)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    a, b = cols
    for u, v in zip(df[a].astype(str), df[b].astype(str), strict=True):
        if v.strip():
            parent[find(u)] = find(v)
    return [find(u) for u in df[a].astype(str)]


def _named_columns(mapping: Mapping) -> list[tuple[str, str]]:
    """(mapping key, column) for every column the mapping reads from the table."""
    text_cols = [mapping.text] if isinstance(mapping.text, str) else list(mapping.text)
    named = [("text", c) for c in text_cols]
    named += [
        (key, c) for key in ("doc_id", "title", "passage_index") if (c := getattr(mapping, key))
    ]
    if mapping.split.by:
        named.append(("split.by", mapping.split.by))
    named += [("split.link", c) for c in mapping.split.link]
    named += [(f"rules[{i}].when", c) for i, r in enumerate(mapping.rules) for c in r.when]
    return [(key, c) for key, c in named if c != "_column"]


def _check_columns(path: Path, mapping: Mapping, columns: list[str], joined: bool) -> None:
    """Raises TrainingError naming each column the mapping names that the table lacks.
    Before the joins (``joined`` False) only the join keys are checked (the other columns
    may come from a join); after them, every named column."""
    if joined:
        named = _named_columns(mapping)
    else:
        named = [(f"join[{i}].key", j.key) for i, j in enumerate(mapping.join)]
    missing = [(key, c) for key, c in named if c not in columns]
    if not missing:
        return
    names = ", ".join(f"{key}: {c!r}" for key, c in dict.fromkeys(missing))
    found = [c for c in columns if c not in ("_file", "_folder")]
    raise TrainingError(
        f"{path}: the table has no column {names} (named by mapping {mapping.name!r}); "
        f"its columns are {found}.",
        fix="fix the column names in the mapping file.",
    )


def read_mapped(path: Path, mapping: Mapping, tax: Taxonomy, seed: int) -> list[Example]:
    """Examples from one table, or every table a glob ``path`` matches (each row then has
    ``_file`` = file name without extension and ``_folder`` = its folder's name)."""
    import pandas as pd

    paths = _glob(path)
    if not paths:
        raise TrainingError(f"no file matches {path}.", fix="check the path or the pattern.")
    frames = []
    for f in paths:
        one = _read_frame(f, mapping.sep, mapping.format, mapping.skipinitialspace)
        one.columns = [str(c).strip() for c in one.columns]
        frames.append(one.assign(_file=f.stem, _folder=f.parent.name))
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    _check_columns(path, mapping, list(df.columns), joined=False)
    for j in mapping.join:
        other = _read_frame(paths[0].parent / j.path, mapping.sep)
        missing = [c for c in [j.key, *j.columns] if c not in other.columns]
        if missing:
            raise TrainingError(f"{path.parent / j.path}: missing column(s) {missing} for join.")
        other = other[[j.key, *j.columns]].drop_duplicates(subset=[j.key])
        df = df.merge(other, on=j.key, how="left").fillna("")
    _check_columns(path, mapping, list(df.columns), joined=True)
    text_cols = [mapping.text] if isinstance(mapping.text, str) else list(mapping.text)
    all_labels = set(tax.category_names)
    groups = _link_groups(df, mapping.split.link) if mapping.split.link else None
    out: list[Example] = []
    seen: set[str] = set()
    unmatched = 0
    for n, row, col in (
        (n, row, col) for n, row in enumerate(df.to_dict("records")) for col in text_cols
    ):
        text = " ".join(str(row[col]).split())
        if not text or text in seen:
            continue
        row["_column"] = col
        rule = next((r for r in mapping.rules if _matches(row, r, text)), None)
        if rule is None:
            unmatched += 1
            continue
        if rule.drop:
            continue
        if mapping.english_only and not looks_english(text):
            continue
        seen.add(text)
        rid = f"{n}" if len(text_cols) == 1 else f"{n}.{col}"
        doc = str(row[mapping.doc_id]) if mapping.doc_id else f"{mapping.name}:{rid}"
        if groups is not None:
            split_key = groups[n]
        else:
            split_key = str(row[mapping.split.by]) if mapping.split.by else text
            split_key = " ".join(split_key.split())
        split = mapping.split.fixed or assign_split(
            f"{mapping.name}:{split_key}", seed, mapping.split.validation, mapping.split.test
        )
        if rule.known is not None:
            known = set(rule.known)
        else:
            known = all_labels - set(mapping.unknown) - set(rule.unknown)
        spans = [(0, len(text), rule.span)] if rule.span else None
        out.append(
            Example(
                text=text,
                labels=set(rule.labels),
                known=known | set(rule.labels),
                split=split,
                source=mapping.name,
                doc_key=f"{mapping.name}:{doc}",
                index=_passage_index(row, mapping, path, n) if mapping.passage_index else 0,
                title=str(row[mapping.title]) if mapping.title and row[mapping.title] else None,
                spans=spans,
                weight=mapping.weight,
                id=f"{mapping.name}:{rid}",
                meta={"whole_text_span": True, "public": True} if spans else {"public": True},
            )
        )
    if not out:
        _nothing_mapped(path, mapping, df, unmatched)
    return sample_train(out, mapping.sample_train, seed)


def _nothing_mapped(path: Path, mapping: Mapping, df: Any, unmatched: int) -> NoReturn:
    """TrainingError for a mapped table that gave no example: empty, or no row matched
    a rule that labels it (the values each rule compares, as text, are named)."""
    if len(df) == 0:
        raise TrainingError(
            f"{path}: the table has no rows (mapping {mapping.name!r}).",
            fix="pass a table with rows.",
        )
    columns = sorted({c for r in mapping.rules for c in r.when if c in df.columns})
    shown = "; ".join(
        f"{c!r} holds "
        + ", ".join(repr(v) for v in sorted({str(x).strip() for x in df[c]})[:8])
        + (", ..." if df[c].nunique() > 8 else "")
        for c in columns
    )
    n_texts = len(df) * (1 if isinstance(mapping.text, str) else len(mapping.text))
    rest = n_texts - unmatched
    why = f"{unmatched} of its {n_texts} texts matched no rule" + (
        f", the other {rest} were dropped by a rule, empty, repeated or not English" if rest else ""
    )
    raise TrainingError(
        f"{path}: mapping {mapping.name!r} gave no example from its {len(df)} rows ({why})"
        + (f"; {shown}" if shown else "")
        + ".",
        fix="make the rules' `when` values those of the table (compared as text), or add a "
        "last rule `- when: {}` with the labels of every other row.",
    )


def _gold_spans(
    text: str, spans: Any, span_names: set[str], where: str
) -> list[tuple[int, int, str]] | None:
    """A row's gold evidence spans, or None when the row says nothing about spans (no
    ``spans`` column, or a missing value): such a passage is neither scored for spans by
    `evaluate` nor taught "no evidence here" by span training. An empty list means the
    passage was reviewed and holds no span."""
    if spans is None or (isinstance(spans, float) and spans != spans):
        return None
    return _locate_spans(text, spans, span_names, where)


def _locate_spans(text: str, spans: Iterable[Any], span_names: set[str], where: str) -> list:
    out = []
    if spans and (isinstance(spans, (str, bytes)) or not isinstance(spans, Iterable)):
        raise TrainingError(
            f"{where}: 'spans' is {type(spans).__name__} {str(spans)[:40]!r}; expected a list "
            "of {text, label} or {start, end, label} objects.",
            fix="write the spans as a JSON list, or leave the column out.",
        )
    for s in spans or []:
        if not isinstance(s, dict):
            log.warning("%s: span %r is not an object; skipped", where, str(s)[:40])
            continue
        label = s.get("label")
        if isinstance(label, list):
            label = label[0] if label else None
        if label not in span_names:
            log.warning("%s: span label %r is not in the taxonomy; skipped", where, label)
            continue
        if s.get("start") is not None and s.get("end") is not None:
            a, b = _offset(s["start"], where), _offset(s["end"], where)
        else:
            st = str(s.get("text", ""))
            a = text.find(st) if st else -1
            if a < 0:
                log.warning("%s: span text %r not found in the passage; skipped", where, st[:40])
                continue
            b = a + len(st)
        if 0 <= a < b <= len(text):
            out.append((a, b, label))
        else:
            log.warning(
                "%s: span %d-%d is outside the passage (%d characters); skipped",
                where,
                a,
                b,
                len(text),
            )
    return out


def _whole(value: Any) -> int | None:
    """``value`` as a whole number >= 0 (an int, a float such as 3.0, a digit string), or
    None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return int(value) if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _passage_index(row: dict[str, Any], mapping: Mapping, path: Path, n: int) -> int:
    """Row ``n``'s value of the mapping's ``passage_index`` column as an int; TrainingError
    naming the row (counted from 1) when it is not a whole number."""
    value = row[mapping.passage_index]
    got = _whole(value.strip() if isinstance(value, str) else value)
    if got is not None:
        return got
    raise TrainingError(
        f"{path} row {n + 1}: passage_index column {mapping.passage_index!r} holds "
        f"{value!r}, not a whole number.",
        fix="name a column of passage positions (0, 1, 2, ... within each document) in the "
        "mapping's `passage_index`, or leave it out.",
    )


def _offset(value: Any, where: str) -> int:
    """A span offset as an int; TrainingError naming the row when it is not a whole number."""
    got = _whole(value)
    if got is not None:
        return got
    raise TrainingError(
        f"{where}: span offset {value!r} is not a whole number.",
        fix="give span start/end as character offsets into the text (0-based), or give the "
        "span's text instead.",
    )


def native_delimiter(path: Path) -> str | None:
    """The field separator to read the CSV (or .tsv) table ``path`` with when its header,
    read with the default one (:func:`annotate.tables.csv_delimiter`), is one cell that
    another separator splits into columns that include 'labels' (a spreadsheet's "CSV"
    where the comma is the decimal mark: ``text;labels;doc_id``); None otherwise (not
    CSV, one column, read as is)."""
    from annotate.ingestion.readers import DELIMITERS
    from annotate.tables import csv_delimiter, table_columns, table_format

    if table_format(path) != "csv":
        return None
    columns = table_columns(path)
    if len(columns) != 1:
        return None
    read_with = csv_delimiter(path)
    for sep in DELIMITERS:
        if sep != read_with and sep in columns[0]:
            header = next(csv.reader([columns[0]], delimiter=sep), [])
            if "labels" in (c.strip() for c in header):
                return sep
    return None


def _labels_cell(value: Any, path: Path, where: str) -> Any:
    """A ``labels`` cell as a list of names: a string comma- (or ';'-) separated, or a
    JSON list (``["incitement", "violent_threat"]``, as pandas and most tools write a list
    to CSV; a Python list's repr too); a list of lists (a nested-list Parquet column)
    flattened; anything else returned as is for the caller to refuse."""
    if isinstance(value, str):
        cell = value.strip()
        if cell.startswith("[") or cell.endswith("]"):
            return _list_cell(cell, path, where)
        return [x for x in cell.replace(";", ",").split(",") if x.strip()]
    if isinstance(value, (list, tuple)):
        flat: list[Any] = []
        for item in value:
            if isinstance(item, (list, tuple)):
                flat.extend(item)
            elif isinstance(item, str) and item.strip().startswith("["):
                flat.extend(_list_cell(item.strip(), path, where))
            else:
                flat.append(item)
        return flat
    return value


def _list_cell(cell: str, path: Path, where: str) -> list[Any]:
    """A labels cell that looks like a list (``[...]``, or opening with ``[`` or closing
    with ``]``) as its items (JSON, else a Python literal); a TrainingError naming what it
    looks like when it is neither (a bracket missing: said so)."""
    import ast

    fix = (
        'write it as a JSON list of names (["incitement", "violent_threat"]) or '
        "comma-separated (incitement,violent_threat)."
    )
    if not (cell.startswith("[") and cell.endswith("]")):
        opens = cell.startswith("[")
        missing = "closing ']'" if opens else "opening '['"
        mended = f"{cell}]" if opens else f"[{cell}"
        raise TrainingError(
            f"{path}: {where} has 'labels' {cell[:60]!r}, a list with no {missing} (a "
            "broken list, not a category name).",
            fix=(f"add the missing bracket ({mended}), or " if len(mended) <= 80 else "") + fix,
        )
    try:
        items = json.loads(cell)
    except ValueError:
        try:
            items = ast.literal_eval(cell)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            items = None
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise TrainingError(
            f"{path}: {where} has 'labels' {cell[:60]!r}, which looks like a list but is "
            "not a JSON list of category names.",
            fix=fix,
        )
    return items


def _no_labels_column(path: Path, columns: list[str]) -> NoReturn:
    """TrainingError for a table without labels (``columns``: its columns; of a JSONL file,
    its first row's keys): most often ingest's passages, given before any review; a CSV
    header that looks separated by another delimiter is said to be."""
    from annotate.ingestion.readers import DELIMITERS, delimiter_name
    from annotate.tables import csv_delimiter, table_format

    if len(columns) == 1 and table_format(path) == "csv":
        read_with = csv_delimiter(path)
        found = [d for d in DELIMITERS if d != read_with and d in columns[0]]
        if found:
            raise TrainingError(
                f"{path} has no 'labels' column: its header {columns[0]!r} looks separated "
                f"by {delimiter_name(found[0])}, not by {delimiter_name(read_with)}, and "
                "read so it has no 'labels' column either.",
                fix="save it as comma-separated CSV with a 'labels' column of labels.yaml's "
                "category names, or pass --mapping FILE (with `sep:`) naming its columns.",
            )
    shown = ", ".join(repr(c) for c in columns[:8]) + (", ..." if len(columns) > 8 else "")
    ingested = "document_sha256" in columns or {"doc_id", "passage_index"} <= set(columns)
    what = (
        "it looks like `annotate ingest` output, passages nobody has labeled yet"
        if ingested
        else "training and evaluation need each passage's reviewed categories"
    )
    raise TrainingError(
        f"{path} has no 'labels' column (found {shown or 'no columns'}): {what}.",
        fix="pre-label it, push it for review and pass the export (`annotate prelabel`, "
        "`annotate push`, `annotate export --out DIR`, then --data DIR); or add a 'labels' "
        "column of labels.yaml's category names, or pass --mapping FILE for a table in "
        "another format.",
    )


def read_native(
    path: Path, tax: Taxonomy, seed: int, *, validation: float = 0.15, test: float = 0.15
) -> list[Example]:
    """The project's own labeled format. Rows without a ``split`` column are split by
    document (documents a ``near_dup_group`` column links: by their group) by a seeded
    hash of the document key (:func:`annotate.corpus.splits.assign_splits`,
    as `annotate export` does), so every passage of a document lands in one split and keeps
    it when rows are added or relabelled (the key is the file's stem and ``doc_id``, or the
    row number without one)."""
    from annotate.ingestion.readers import delimiter_name
    from annotate.tables import iter_rows_located, table_columns

    delimiter = native_delimiter(path)
    if delimiter is not None:  # a spreadsheet's ';' "CSV": read as such, and said
        log.warning(
            "%s: its header is separated by %s, not by commas: read it so%s.",
            shown(path),
            delimiter_name(delimiter),
            # the reason only ';' has: a '|' or tab is no spreadsheet's regional setting
            " (a spreadsheet's CSV where the comma is the decimal mark)"
            if delimiter == ";"
            else "",
        )
    columns = table_columns(path, delimiter=delimiter)
    if path.suffix.lower() != ".tsv" and {"scores", "model_version"} <= set(columns):
        # `annotate prelabel` output: its labels are the model's, not a reviewer's
        raise TrainingError(
            f"{path} is `annotate prelabel` output (it has 'scores' and 'model_version'): its "
            "'labels' are the model's own predictions, not reviewed labels.",
            fix="push it for review and pass the export (`annotate export --out DIR`, then "
            "--data DIR); a table of human labels must not carry the model's 'scores' and "
            "'model_version' columns.",
        )
    if "labels" not in columns:
        _no_labels_column(path, columns)
    if set(columns) >= EXPORT_ROW_COLUMNS:
        return read_export_rows_file(path, tax, seed, validation=validation, test=test)
    names = set(tax.category_names)
    span_names = set(tax.span_names)
    out = []
    counters: dict[str, int] = {}
    # where: the row as an editor counts it (JSONL line M, CSV/TSV row N (line M), Parquet
    # row N), for messages; n (the row's position) stays in ids and document keys
    rows = iter_rows_located(path, delimiter=delimiter)  # a .tsv file: with tabs
    for n, (where, row) in enumerate(rows, start=1):
        text = row.get("text")
        cell = row.get("labels")
        labels = _labels_cell(cell, path, where)
        if labels is not None and not isinstance(labels, (list, tuple)):
            raise TrainingError(
                f"{path}: {where} has 'labels' {labels!r} ({type(labels).__name__}); expected "
                "a list of category names (or one string of them, comma-separated).",
                fix="write the labels as names of labels.yaml's categories, or pass --mapping "
                "FILE for a table in another format.",
            )
        if text is not None and not isinstance(text, str):
            raise TrainingError(
                f"{path}: {where} has 'text' {str(text)[:40]!r} ({type(text).__name__}); "
                "expected a string.",
                fix="store the text column as strings.",
            )
        if not isinstance(text, str) or not text.strip():
            raise TrainingError(
                f"{path}: {where} needs a non-empty 'text' and 'labels' (category names).",
                fix="fill them, or pass --mapping for a table in another format.",
            )
        if not labels:
            raise _no_labels_error(path, where, cell, tax)
        labels = [str(x).strip() for x in labels]
        bad = [x for x in labels if x not in names]
        if bad:
            meant = [(x, m) for x in bad if (m := category_meant(x, tax, typos=True))]
            hint = "; ".join(f"{m} for {x!r}" for x, m in meant)
            raise TrainingError(
                f"{path}: {where} has unknown label(s) {bad}; expected category names of "
                f"labels.yaml ({', '.join(tax.category_names)}).",
                fix=(f"did you mean {hint}? Otherwise " if hint else "")
                + "fix the labels, or pass --mapping FILE mapping this table's columns.",
            )
        doc = str(row.get("doc_id") or f"row{n}")
        idx = row.get("passage_index")
        if idx is None or idx == "":
            idx = counters.get(doc, 0)
        elif _whole(idx) is None:
            raise TrainingError(
                f"{path}: {where} has 'passage_index' {idx!r}; expected a whole number >= 0.",
                fix="number each document's passages 0, 1, 2, ... or leave the column out.",
            )
        idx = _whole(idx)
        counters[doc] = idx + 1
        split = row.get("split")
        if isinstance(split, str):
            split = split.strip().lower()
        elif isinstance(split, float) and split != split:  # NaN: a missing value
            split = None
        if split not in (None, "", *SPLITS):
            raise TrainingError(
                f"{path}: {where} has 'split' {split!r}; expected train, validation or test "
                "(or no value: the row's document is then split by a seeded hash).",
                fix="rename the split (e.g. dev -> validation), or drop the column to let "
                "annotate split by document.",
            )
        out.append(
            Example(
                text=text,
                labels=set(labels),
                known=set(names),
                split=split,
                source=path.stem,
                doc_key=f"{path.stem}:{doc}",
                index=int(idx),
                title=row.get("title") or None,
                spans=_gold_spans(text, row.get("spans"), span_names, f"{path} {where}"),
                id=str(row.get("id") or f"{path.stem}:{n}"),
                meta={k: row.get(k) for k in ("genre", "severity") if k in row},
                near_dup_group=_group_value(row.get("near_dup_group"), path.stem),
                conversation=recorded_conversation(row),
            )
        )
        out[-1].split = split if split in SPLITS else ""
    todo = [ex for ex in out if not ex.split]
    if todo:
        from annotate.corpus.splits import assign_splits, leakage_groups

        # documents a near_dup_group column links share a split (as in an export); a
        # document without one keeps its own key, hence the split it had before
        keys = leakage_groups([ex.doc_key for ex in todo], [ex.near_dup_group for ex in todo])
        splits = assign_splits(keys, ratios=(1 - validation - test, validation, test), seed=seed)
        for ex, s in zip(todo, splits, strict=True):
            ex.split = s
    return out


def _no_labels_error(path: Path, where: str, cell: Any, tax: Taxonomy) -> TrainingError:
    """The error of a row whose ``labels`` cell (``cell``, as read) names no category:
    empty, or an empty list (``[]``, as pandas writes a list of none), which a user may
    have meant as "no harm": the taxonomy's none label is that."""
    none = tax.none_label
    found = (
        f"its 'labels' is {(cell.strip()[:60] if isinstance(cell, str) else cell)!r}"
        if (isinstance(cell, str) and cell.strip()) or isinstance(cell, (list, tuple))
        else "its 'labels' is empty"
    )
    return TrainingError(
        f"{path}: {where} has no label ({found}); expected at least one category name of "
        f"labels.yaml ({none!r} for a passage with no harm).",
        fix=f"write {none} in the 'labels' of a passage with no harm ({none}, or "
        f'["{none}"] as a list), its categories otherwise; or leave the row out.',
    )


def _group_value(value: Any, source: str) -> str | None:
    """A table's ``near_dup_group`` cell as a group key (``SOURCE:VALUE``), None when
    empty or missing (NaN)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return f"{source}:{text}" if text else None


def is_export_dir(path: Path) -> bool:
    """An ``annotate export`` output: ``manifest.json`` + ``hf/`` (or ``jsonl/``)."""
    return path.is_dir() and (
        (path / "hf" / "dataset_dict.json").is_file()
        or (path / "dataset_dict.json").is_file()
        or (path / "manifest.json").is_file()
    )


def takes_mapping(path: Path) -> bool:
    """Whether the command line's ``--mapping`` applies to the ``--data`` path: every
    path but an ``annotate export`` (a folder with its ``manifest.json``), whose labels
    are already the taxonomy's; a plain ``save_to_disk`` folder takes it."""
    return not (is_export_dir(path) and (path / "manifest.json").is_file())


def export_holding(path: Path) -> Path | None:
    """The ``annotate export`` folder ``path`` lies inside (one of its split files, or
    its ``jsonl/``, ``parquet/`` or ``hf/`` folder), or None."""
    for depth, up in enumerate(path.resolve().parents[:2]):
        if (up / "manifest.json").is_file() and is_export_dir(up):
            # named as given (corpus/parquet/x.parquet -> corpus) where the path has it
            return path.parents[depth] if len(path.parts) > depth + 1 else Path(relpath(up))
    return None


def _warn_if_altered(path: Path, manifest: dict[str, Any]) -> None:
    """Warn when an export no longer matches its manifest's checksums (`annotate verify`):
    its labels may not be the reviewers' any more. A manifest without checksums (not
    written by export) is not checked."""
    if not isinstance(manifest.get("files"), dict):
        return
    from annotate.audit.verify import VerifyError, check

    try:
        found = [str(m) for m in check(path).mismatches]
    except VerifyError as exc:
        found = [exc.what]
    if found:
        log.warning(
            "%s does not match its manifest (%s mismatch(es), e.g. %s): it changed after "
            "export, so its labels may not be the reviewers'; training on it anyway "
            "(`annotate verify %s` names every change; export again to train on what the "
            "reviewers decided)",
            path,
            f"{len(found):,}",
            found[0],
            path,
        )


def _warn_if_unfinished(path: Path, manifest: dict[str, Any]) -> None:
    """Warn when the export was made while tasks in Label Studio had no answer yet
    (manifest ``tasks_unanswered_in_label_studio``, exports since 2026-12)."""
    open_tasks = manifest.get("tasks_unanswered_in_label_studio")
    rows = (manifest.get("rows") or {}).get("total")
    if rows == 0:  # nothing reviewed: the error that it has no rows says it, without this
        return
    if isinstance(open_tasks, int) and open_tasks > 0:
        log.warning(
            "%s was exported while %s in Label Studio had no answer yet (it holds "
            "%s reviewed passage(s)): a model trained on it learns, and figures scored on "
            "it measure, part of the review; export again once the review is done",
            path,
            counted(open_tasks, "task"),
            f"{rows:,}" if isinstance(rows, int) else "its",
        )


def export_provenance(path: Path) -> dict[str, Any]:
    """What the model card records of an export it was trained on: the project, the export
    time and the SHA-256 of its ``manifest.json`` (which `annotate verify --manifest-sha256`
    checks, so the card names the exact corpus)."""
    manifest = path / "manifest.json"
    if not manifest.is_file():
        return {}
    from annotate.audit.verify import sha256_file

    out: dict[str, Any] = {"manifest_sha256": sha256_file(manifest)}
    try:
        info = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return out
    if isinstance(info, dict):
        project = info.get("project")
        if isinstance(project, dict) and isinstance(project.get("title"), str):
            out["project"] = project["title"]
        if isinstance(info.get("exported_at"), str):
            out["exported_at"] = info["exported_at"]
        if (licences := _export_licences(info.get("licenses"))) is not None:
            out["licenses"] = licences
    return out


def _export_licences(tally: Any) -> dict[str, int] | None:
    """Passages per licence of an export's manifest ``licenses`` (``by_license`` and
    ``unknown``, as ingest recorded them), for the model card: ``{"CC-BY-4.0": 10,
    "unknown": 4}``, most first; None when the manifest has no such tally."""
    if not isinstance(tally, dict) or not isinstance(tally.get("by_license"), dict):
        return None
    out = {
        str(name): int(entry["rows"])
        for name, entry in tally["by_license"].items()
        if isinstance(entry, dict) and isinstance(entry.get("rows"), int) and entry["rows"]
    }
    unknown = tally.get("unknown")
    if isinstance(unknown, dict) and isinstance(unknown.get("rows"), int) and unknown["rows"]:
        out["unknown"] = unknown["rows"]
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def read_export(path: Path, tax: Taxonomy, strict_labels: bool = False) -> list[Example]:
    """An ``annotate export`` directory (the retraining loop): its saved DatasetDict
    (``hf/``; ClassLabel ids decoded with the features' own names), else ``jsonl/``.
    Rows keep the export's train/validation/test split.

    A label of the export that labels.yaml lacks is refused (TrainingError), except when
    labels.yaml is an older version of the same major one than the export's (labels added
    since: dropped with a warning; ``strict_labels`` refuses them too); see
    :func:`_unknown_labels`."""
    manifest = path / "manifest.json"
    version = ""
    offered: set[str] | None = None
    if manifest.is_file():
        info = json.loads(manifest.read_text(encoding="utf-8"))
        _warn_if_altered(path, info)
        _warn_if_unfinished(path, info)
        version = str(info.get("taxonomy", {}).get("version", ""))
        offered = _offered_categories(info)
        if version and version.split(".")[0] != tax.version.split(".")[0]:
            raise TrainingError(
                f"{path} was exported with taxonomy {version}, labels.yaml is {tax.version} "
                "(a different major version: labels were removed or renamed).",
                fix=f"pass the labels.yaml the export was made with (--labels FILE, version "
                f"{version}), or export the project again with labels.yaml {tax.version}.",
            )
    rows: list[dict[str, Any]] = []
    hf = path / "hf" if (path / "hf" / "dataset_dict.json").is_file() else path
    if (hf / "dataset_dict.json").is_file():
        from datasets import load_from_disk

        for split, ds in load_from_disk(str(hf)).items():
            if "labels" not in ds.column_names:
                _no_labels_column(path, list(ds.column_names))
            if "text" not in ds.column_names:
                raise TrainingError(
                    f"{path}: split {split!r} has no 'text' column (found "
                    f"{', '.join(map(repr, ds.column_names))}).",
                    fix="name the passage text column 'text' (`ds.rename_column(OLD, 'text')`), "
                    "or write the data as a table and pass --mapping FILE.",
                )
            names = _classlabel_names(ds.features)
            for r in ds:
                r = _decode_classlabels(dict(r), names)
                r["split"] = split
                rows.append(r)
    elif (path / "jsonl").is_dir():
        from annotate.tables import iter_jsonl

        for f in without_os_files(sorted((path / "jsonl").glob("*.jsonl"))):
            if f.stat().st_size:
                for r in iter_jsonl(f):
                    r.setdefault("split", f.stem)
                    rows.append(r)
    if not rows:
        raise TrainingError(f"{path}: the export has no rows.", fix="export reviewed tasks first.")
    return _examples_of_export_rows(rows, path, tax, version, strict_labels, offered)


def _offered_categories(manifest: dict[str, Any]) -> set[str] | None:
    """The categories the export's labels.yaml offered its reviewers (manifest
    ``taxonomy.categories[].name``); None when the manifest does not list them."""
    cats = (manifest.get("taxonomy") or {}).get("categories")
    if not isinstance(cats, list):
        return None
    names = {str(c["name"]) for c in cats if isinstance(c, dict) and c.get("name")}
    return names or None


def _examples_of_export_rows(
    rows: list[dict[str, Any]],
    path: Path,
    tax: Taxonomy,
    version: str,
    strict_labels: bool,
    offered: set[str] | None = None,
) -> list[Example]:
    """Examples of an export's rows (label names, each row's ``split``; a row without one
    trains): a tie no lead decided trains on the categories its reviewers agreed on, those
    they split on evenly masked (and its evenly split spans); a row without a resolved
    category is left out; both with a warning naming ``path``. A category of labels.yaml
    that ``offered`` (the export's own labels.yaml's categories) lacks, one added since,
    is masked on every row, since no reviewer could choose it, with a warning."""
    from annotate.corpus.splits import ingest_group_column

    names = set(tax.category_names)
    not_offered = names - offered if offered else set()
    span_names = set(tax.span_names)
    # a group's first passage names it for the others; one of an earlier ingest run
    # (``ingest --previous``) carries none itself: ingest_group_column links it too
    groups = ingest_group_column(rows)
    out = []
    unresolved: dict[str, int] = {}
    undecided: Counter[str] = Counter()  # categories a tied row's reviewers split on
    undecided_spans = 0  # spans a tied row's reviewers split on (masked in span training)
    unknown: Counter[str] = Counter()  # labels this labels.yaml lacks -> passages
    only_unknown = 0
    dropped_from = 0  # passages that carry a label this labels.yaml lacks
    for n, (r, group) in enumerate(zip(rows, groups, strict=True)):
        split = r.get("split") if r.get("split") in SPLITS else "train"
        given = list(r.get("labels") or [])
        labels = [x for x in given if x in names]
        unknown.update({x for x in given if x not in names})
        dropped_from += len(labels) < len(given)
        if given and not labels:
            only_unknown += 1
            continue
        if not labels:  # unresolved (e.g. a tie) rows carry no label
            unresolved[split] = unresolved.get(split, 0) + 1
            continue
        split_on = tied_categories(r) & names
        undecided.update(split_on)
        text = r["text"]
        open_spans = [
            {"start": a, "end": b, "label": label} for a, b, label in sorted(tied_spans(r))
        ]
        located_open = _locate_spans(text, open_spans, span_names, str(path))
        undecided_spans += len(located_open)
        out.append(
            Example(
                text=text,
                labels=set(labels),
                # a category the vote left tied is neither a label nor a decided "no"
                known=names - split_on - not_offered,
                split=split,
                source=f"export:{path.name}",
                # a row of a DatasetDict saved without 'doc_id' or 'id' is a document
                # of its own, as a table's (read_native): not one document of every row
                doc_key=f"export:{r.get('doc_id') or r.get('id') or f'#row{n}'}",
                index=int(r.get("passage_index") or 0),
                title=r.get("title") or None,
                spans=_gold_spans(text, r.get("spans"), span_names, str(path)),
                undecided_spans=located_open,
                id=str(r.get("id") or ""),
                near_dup_group=f"export:{group}" if group else None,
                conversation=recorded_conversation(r),
            )
        )
    if unknown:
        _unknown_labels(path, tax, version, unknown, dropped_from, only_unknown, strict_labels)
    if not_offered and out:
        log.warning(
            "%s: labels.yaml %s has categories the export's labels.yaml (%s) did not "
            "offer its reviewers: %s; they are masked on its %s passage(s), neither label "
            "nor negative (not trained or scored on them): push passages with this "
            "labels.yaml and export again to have them reviewed for those",
            path,
            tax.version,
            version or "version not recorded",
            ", ".join(sorted(not_offered)),
            f"{len(out):,}",
        )
    if unresolved:
        log.warning(
            "%s: %s of %s exported passages have no resolved category (reviewers tied, or "
            "answered without one; `annotate adjudicate` sends ties to a lead) and are left "
            "out (%s)",
            path,
            f"{sum(unresolved.values()):,}",
            f"{len(rows):,}",
            ", ".join(f"{s} {unresolved[s]:,}" for s in SPLITS if s in unresolved),
        )
    if undecided:
        log.warning(
            "%s: on tied passages whose reviewers agreed on some categories, the ones they "
            "split on evenly are left out of training and scoring (%s), not taken as a "
            "decided no; `annotate adjudicate` sends ties to a lead",
            path,
            ", ".join(f"{name} on {n:,} passage(s)" for name, n in sorted(undecided.items())),
        )
    if undecided_spans:
        log.warning(
            "%s: %s evidence span(s) marked by exactly half of the reviewers of a tied "
            "passage (no lead has decided it yet) are masked in span training: neither "
            "evidence nor a decided no; `annotate adjudicate` sends ties to a lead",
            path,
            f"{undecided_spans:,}",
        )
    return out


def _version_tuple(version: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(p) for p in version.split("."))
    except ValueError:
        return None


def older_minor(labels_version: str, export_version: str) -> bool:
    """Whether labels.yaml ``labels_version`` is older than ``export_version`` within the
    same major version: labels the export has and it lacks were added since (a minor
    version adds labels; renaming or removing one takes a new major version)."""
    ours, theirs = _version_tuple(labels_version), _version_tuple(export_version)
    return ours is not None and theirs is not None and ours[0] == theirs[0] and ours < theirs


def _unknown_labels(
    path: Path,
    tax: Taxonomy,
    version: str,
    unknown: Counter[str],
    dropped_from: int,
    only_unknown: int,
    strict: bool,
) -> None:
    """Refuse (TrainingError) the export's labels that labels.yaml ``tax`` lacks, or warn
    when ``tax`` is an older labels.yaml of the export's major version and not ``strict``:
    training with it deliberately leaves out the labels added since (they are dropped from
    ``dropped_from`` passages, ``only_unknown`` of which are left out). Any other unknown
    label is a renamed or removed one, or another taxonomy: training would silently lose
    those passages' supervision, which export and evaluate refuse as well."""
    named = ", ".join(f"{x} ({counted(n, 'passage')})" for x, n in sorted(unknown.items()))
    made = f"labels.yaml {version}" if version else "a labels.yaml it does not record"
    lost = (
        f"{dropped_from:,} passage(s) would lose them, {only_unknown:,} of which have no other "
        "label and would be left out"
    )
    if version and older_minor(tax.version, version) and not strict:
        log.warning(
            "%s: %d label(s) of the export are not in labels.yaml %s, an older version (the "
            "export's is %s): labels added since, dropped: %s; %s passage(s) lose them and "
            "%s passage(s) had no other label and are left out. Train with the labels.yaml "
            "the export was made with (--labels FILE) to learn them, or pass --strict-labels "
            "(training config `strict_labels: true`) to refuse instead",
            path,
            len(unknown),
            tax.version,
            version,
            named,
            f"{dropped_from:,}",
            f"{only_unknown:,}",
        )
        return
    why = (
        f"labels added after labels.yaml {tax.version}: --strict-labels refuses them"
        if version and older_minor(tax.version, version)
        else "labels.yaml is not an older version of the same major one, so they were "
        "renamed or removed without a new major version, or it is another taxonomy"
    )
    raise TrainingError(
        f"{path}: {len(unknown)} label(s) of the export are not in labels.yaml {tax.version} "
        f"(expected only its categories; the export was made with {made}): {named}; "
        f"{lost} ({why}).",
        fix="pass the labels.yaml the export was made with (--labels FILE); a renamed "
        "or removed label needs a new major version of labels.yaml with a `migrations:` "
        "entry, then `annotate export` again with it.",
    )


def _decode_classlabels(row: dict[str, Any], names: dict[str, list[str]]) -> dict[str, Any]:
    """An export row with its ClassLabel ids (``labels``, span ``label``s, each
    annotation's ``categories`` and spans) replaced by their names (``names``: of
    :func:`_classlabel_names`); names already written stay as they are."""

    def label(x: Any, kind: str) -> Any:
        known = names.get(kind) or []
        if isinstance(x, int) and not isinstance(x, bool) and 0 <= x < len(known):
            return known[x]
        return x  # a name, or an id with no name: the caller tells

    def spans(items: Any) -> list[Any]:
        return [
            {**sp, "label": label(sp.get("label"), "spans")} if isinstance(sp, dict) else sp
            for sp in items or []
        ]

    row["labels"] = [label(x, "labels") for x in row.get("labels") or []]
    if row.get("spans") is not None:  # no spans column: nothing said about spans
        row["spans"] = spans(row.get("spans"))
    row["annotations"] = [
        {
            **a,
            "categories": [label(x, "labels") for x in a.get("categories") or []],
            "spans": spans(a.get("spans")),
        }
        if isinstance(a, dict)
        else a
        for a in row.get("annotations") or []
    ]
    return row


def _parquet_features(path: Path) -> Any:
    """The `datasets` Features a Parquet file records in its schema (an export's split
    file: ClassLabel names), or None."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    raw = meta.get(b"huggingface")
    if not raw:
        return None
    try:
        from datasets import Features

        return Features.from_dict(json.loads(raw)["info"]["features"])
    except (ValueError, KeyError, TypeError):
        return None


# columns only `annotate export` rows have: a split file of an export, read alone
EXPORT_ROW_COLUMNS = frozenset({"annotations", "label_tie", "resolution"})


def read_export_rows_file(
    path: Path, tax: Taxonomy, seed: int, *, validation: float = 0.15, test: float = 0.15
) -> list[Example]:
    """A split file of an ``annotate export`` (``jsonl/{split}.jsonl`` or
    ``parquet/{split}.parquet``) read without its folder, e.g. copied elsewhere: read as
    the export is (:func:`_examples_of_export_rows`: ClassLabel ids decoded with the
    features the Parquet file records, a tie's evenly split categories masked, rows
    without a resolved category left out with a warning), never as a plain table, whose
    empty or tied labels would be an error or a decided no. A row keeps its ``split``
    (JSONL rows carry it), else the file's name when it is a split's (``test.parquet``),
    else its document's seeded hash split (documents ingest's ``near_dup_group`` links
    together)."""
    from annotate.corpus.splits import assign_splits, ingest_group_column, leakage_groups
    from annotate.tables import iter_rows_located, table_format

    names: dict[str, list[str]] = {"labels": [], "spans": []}
    if table_format(path) == "parquet":
        features = _parquet_features(path)
        if features is not None:
            names = _classlabel_names(features)
    rows = [_decode_classlabels(dict(row), names) for _, row in iter_rows_located(path)]
    ids = sorted(
        {str(x) for r in rows for x in r.get("labels") or [] if isinstance(x, int)}, key=int
    )
    if ids:
        raise TrainingError(
            f"{path}: label ids {ids[:5]} with no names: an export's Parquet file names its "
            "ClassLabel ids in its schema (its `huggingface` metadata), and this copy has "
            "none (rewritten by another tool, e.g. pandas or polars?).",
            fix="copy the export's parquet/SPLIT.parquet as written, or its jsonl/SPLIT.jsonl "
            "(names, not ids), or pass the whole export folder.",
        )
    stem = path.stem.lower()
    todo = [r for r in rows if r.get("split") not in SPLITS]
    if todo and stem in SPLITS:
        for r in todo:
            r["split"] = stem
    elif todo:
        # as export splits: documents linked by ingest's near_dup_group share a split
        linked = dict(zip(map(id, rows), ingest_group_column(rows), strict=True))
        keys = leakage_groups(
            [f"export:{r.get('doc_id') or r.get('id')}" for r in todo],
            [linked[id(r)] for r in todo],
        )
        got = assign_splits(keys, ratios=(1 - validation - test, validation, test), seed=seed)
        for r, sp in zip(todo, got, strict=True):
            r["split"] = sp
    if not rows:
        raise TrainingError(f"{path}: the file has no rows.", fix="pass a file with rows.")
    version = str(rows[0].get("taxonomy_version") or "")
    return _examples_of_export_rows(rows, path, tax, version, False)


def _classlabel_names(features: Any) -> dict[str, list[str]]:
    """The ClassLabel names of a saved DatasetDict's ``labels`` and span ``label``
    features (an export's); empty for a feature that holds names as strings (a
    DatasetDict written by other code)."""

    def inner(feature: Any) -> Any:
        return feature[0] if isinstance(feature, list) else getattr(feature, "feature", None)

    def names(feature: Any) -> list[str]:
        return list(getattr(feature, "names", None) or [])

    span_feat = inner(features.get("spans"))
    return {
        "labels": names(inner(features.get("labels"))),
        "spans": names(span_feat.get("label") if isinstance(span_feat, dict) else None),
    }


def _spans_only(exs: Sequence[Example], path: str) -> None:
    """Mark ``exs`` as evidence-span training only (no label supervised). Raises
    TrainingError when none of them marks an evidence span (it would train nothing)."""
    if not any(ex.spans for ex in exs):
        raise TrainingError(
            f"{shown(path)}: `spans_only: true` but no row marks an evidence span "
            "(`spans`: [{text, label}]), so it would train nothing.",
            fix="annotate the rows' evidence spans, or drop `spans_only` to train the "
            "label heads on them.",
        )
    for ex in exs:
        ex.known = set()
        ex.meta["spans_only"] = True


@dataclass
class DataSource:
    path: str
    mapping: str | None = None
    split: str | None = None  # force every row of this source into one split
    weight: float = 1.0
    # the rows train only the evidence-span model: they supervise no label (``known``
    # emptied, ``meta["spans_only"]``); a source without span annotations is an error
    spans_only: bool = False
    # the labels the rows supervise (``known`` cut down to them); None: as read
    supervises: tuple[str, ...] | None = None
    # the path as the user gave it and the config it was written in (None: ``path`` as
    # given, with --data); recorded in the model's training.data
    given: str | None = None
    given_in: str | None = None


def _check_supervises(names: Sequence[str], tax: Taxonomy, path: str) -> None:
    bad = [n for n in names if n not in tax.category_names]
    if bad or not names:
        raise TrainingError(
            f"{path}: `supervises` names {bad or 'no label'}; expected categories of "
            f"labels.yaml: {', '.join(tax.category_names)}.",
            fix="list the labels this source's rows supervise (or leave `supervises` out).",
        )


def _export_part_as_given(src: DataSource, p: Path, whole: Path) -> tuple[str, str]:
    """(the data source ``p``, the export folder ``whole`` that holds it) as the user wrote
    them: ``corpus/jsonl/train.jsonl`` and ``corpus`` as a config beside the export names
    them, not by their path from the checkout (``../../../tmp/.../corpus``). The folder is
    the path as given less its parts below the export; where it cannot be (``train.jsonl``
    from inside ``corpus/jsonl``), it is named from the working directory (a --data path),
    else as recorded."""
    given = Path(src.given or src.path)
    try:
        depth = len(p.resolve().relative_to(whole.resolve()).parts)
    except ValueError:
        depth = 0
    if 0 < depth < len(given.parts) and ".." not in given.parts[-depth:]:
        return given.as_posix(), given.parents[depth - 1].as_posix()
    folder = os.path.relpath(whole) if not src.given_in else display_path(whole)
    return given.as_posix(), Path(folder).as_posix()


def _given_as(src: DataSource) -> str:
    given = src.given or src.path
    return f"`{given}` in {src.given_in}" if src.given_in else f"--data {given}"


def _refuse_repeated_sources(sources: Sequence[DataSource]) -> None:
    """Raise TrainingError for a data source given twice with the same settings (the same
    --data twice, or a config's entry again with --data): every passage of it would be
    read twice, trained on twice, or scored twice."""
    seen: dict[tuple[Any, ...], DataSource] = {}
    for src in sources:
        key = (
            os.path.realpath(src.path),
            os.path.realpath(src.mapping) if src.mapping else None,
            src.split,
            src.weight,
            src.spans_only,
            src.supervises,
        )
        if key in seen:
            raise TrainingError(
                f"{shown(src.path)} is given twice ({_given_as(seen[key])}, then "
                f"{_given_as(src)}): each of its passages would be read twice, so trained on "
                "or scored twice and counted twice in the held-out figures.",
                fix="pass each data source once (--data adds to a config's `data:`).",
            )
        seen[key] = src


def load_examples(
    sources: Sequence[DataSource], tax: Taxonomy, seed: int, strict_labels: bool = False
) -> tuple[list[Example], list[dict[str, Any]]]:
    """All examples, and a description of each source for the model card.
    ``strict_labels``: refuse an export's labels that an older labels.yaml of its major
    version lacks (:func:`read_export`; default: dropped with a warning)."""
    _refuse_repeated_sources(sources)
    examples: list[Example] = []
    described = []
    for src in sources:
        p = Path(src.path)
        if not p.exists() and not (src.mapping and _is_pattern(p) and _glob(p)):
            raise TrainingError(f"training data {p} not found.", fix=missing_path_fix(p))
        info: dict[str, Any] = {"path": display_path(src.path)}
        files: list[tuple[Path, str]] = []
        if src.mapping:
            m = load_mapping(src.mapping, tax)
            exs = read_mapped(p, m, tax, seed)
            files = [(f, "data") for f in _glob(p)]
            files += [(files[0][0].parent / j.path, "join") for j in m.join if files]
            if p.is_dir():  # a save_to_disk folder: its Arrow files
                files[:1] = [(f, "data") for f in saved_dataset_files(p)]
            files.append((Path(src.mapping), "mapping"))
            info.update(
                kind="mapped",
                mapping=display_path(src.mapping),
                name=m.name,
                license=m.license,
                citation=m.citation,
            )
        elif (whole := export_holding(p)) is not None:
            part, folder = _export_part_as_given(src, p, whole)
            raise TrainingError(
                f"{part} is part of the `annotate export` {folder}, "
                "which is read whole (its train/validation/test splits, its manifest's "
                "checks, its label names); read alone as a table, a file of it would have "
                "its rows split again by a hash of their documents, putting passages of "
                "the export's train split into test.",
                fix=f"name the export folder itself in the config's data: `path: {folder}`."
                if src.given_in
                else f"pass the export folder: `--data {folder}`.",
            )
        elif is_export_dir(p):
            exs = read_export(p, tax, strict_labels)
            # a DatasetDict another tool saved is no export: no manifest, no review record
            kind = "export" if (p / "manifest.json").is_file() else SAVED_DATASET
            info.update(kind=kind, **export_provenance(p))
            files = export_files(p)
        elif p.is_file():
            exs = read_native(p, tax, seed)
            info.update(kind="native")
            if (
                licences := table_licences(p, native_delimiter(p))
            ) is not None:  # the card: else not recorded
                info["licenses"] = licences
            files = [(p, "data")]
        elif saved_dataset_files(p):
            raise TrainingError(
                f"{p} is a `datasets` Dataset saved with save_to_disk, without splits: as "
                "training data it needs the project's columns in a DatasetDict, or a mapping.",
                fix="save it as a DatasetDict (`DatasetDict({'train': ds}).save_to_disk(...)`) "
                "or as Parquet (`ds.to_parquet('data.parquet')`), with 'text' and 'labels' "
                "(category names); or pass --mapping FILE mapping its columns.",
            )
        else:
            raise TrainingError(
                f"{p} is a directory but not an `annotate export` output.",
                fix="pass the export directory, or a table file.",
            )
        if src.split:
            info["split"] = src.split  # evaluate puts this source's rows in it again
        if src.supervises is not None:
            _check_supervises(src.supervises, tax, src.path)
            info["supervises"] = list(src.supervises)
        for ex in exs:
            if src.split:
                ex.split = src.split
            ex.weight *= src.weight
            if src.supervises is not None:
                ex.known &= set(src.supervises)
        if src.spans_only:
            _spans_only(exs, src.path)
            info["spans_only"] = True
        counts: dict[str, dict[str, int]] = {}
        for ex in exs:
            c = counts.setdefault(ex.split, {})
            for lab in ex.labels:
                c[lab] = c.get(lab, 0) + 1
        info["rows"] = len(exs)
        # sorted, so that a rebuild writes the same annotate_model.json (labels are sets)
        info["label_counts"] = {
            split: dict(sorted(c.items())) for split, c in sorted(counts.items())
        }
        info.update(given=src.given or src.path, given_in=src.given_in, **location(p))
        try:
            info["files"] = describe_files([f for f in files if f[0].is_file()])
        except OSError as exc:
            raise TrainingError(f"{shown(p)}: cannot read it ({exc}).") from None
        # validated by the schema annotate_model.json's training.data is read with
        described.append(DataSourceRecord.model_validate(info).model_dump(mode="json"))
        examples.extend(exs)
        log.info("%s: %d examples", p, len(exs))
    if not examples:
        raise TrainingError("no training examples were read.", fix="pass --data.")
    _warn_repeated_passages(examples)
    return examples, described


def _warn_repeated_passages(examples: Sequence[Example]) -> None:
    """A passage of two exports (the same export twice, or two exports of one project at
    different times, whose splits differ as the reviewed set grows) is trained on twice,
    or is in train in one and held out in the other: the held-out figures overstate."""
    splits: dict[str, list[str]] = {}
    for ex in examples:
        if ex.id and ex.source.startswith("export:"):
            splits.setdefault(ex.id, []).append(str(ex.split))
    repeated = {pid: s for pid, s in splits.items() if len(s) > 1}
    if not repeated:
        return
    crossing = sorted(pid for pid, s in repeated.items() if len(set(s)) > 1)
    log.warning(
        "%s passage(s) are in more than one --data export (e.g. %s), so they weigh more%s. "
        "Pass each passage once: the latest export of a project holds every passage "
        "reviewed so far",
        f"{len(repeated):,}",
        (crossing or sorted(repeated))[0],
        f"; {len(crossing):,} of them are in train in one and held out in another, so the "
        "validation and test figures overstate the model"
        if crossing
        else "",
    )
