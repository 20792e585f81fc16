"""Public tables read through a mapping file (YAML/JSON) from their columns to the taxonomy."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from annotate._util.validation import load_yaml, validation_error
from annotate.corpus.schema import SPLITS
from annotate.errors import TrainingError
from annotate.taxonomy import Taxonomy
from annotate.training.sources.examples import Example, assign_split, sample_train, whole_number
from annotate.training.sources.tables import READ_FORMATS, glob_paths, read_frame


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

    paths = glob_paths(path)
    if not paths:
        raise TrainingError(f"no file matches {path}.", fix="check the path or the pattern.")
    frames = []
    for f in paths:
        one = read_frame(f, mapping.sep, mapping.format, mapping.skipinitialspace)
        one.columns = [str(c).strip() for c in one.columns]
        frames.append(one.assign(_file=f.stem, _folder=f.parent.name))
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    _check_columns(path, mapping, list(df.columns), joined=False)
    for j in mapping.join:
        other = read_frame(paths[0].parent / j.path, mapping.sep)
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


def _passage_index(row: dict[str, Any], mapping: Mapping, path: Path, n: int) -> int:
    """Row ``n``'s value of the mapping's ``passage_index`` column as an int; TrainingError
    naming the row (counted from 1) when it is not a whole number."""
    value = row[mapping.passage_index]
    got = whole_number(value.strip() if isinstance(value, str) else value)
    if got is not None:
        return got
    raise TrainingError(
        f"{path} row {n + 1}: passage_index column {mapping.passage_index!r} holds "
        f"{value!r}, not a whole number.",
        fix="name a column of passage positions (0, 1, 2, ... within each document) in the "
        "mapping's `passage_index`, or leave it out.",
    )
