"""The taxonomy (labels.yaml): loaded once into a validated, immutable object.

It is the only place a label name is written. The classifier's label space, the Label
Studio labeling config and the export features are all derived from it.
"""

from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import quoteattr

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from annotate.errors import TaxonomyError

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
SEMVER_RE = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LABELS_ENV = "ANNOTATE_LABELS"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_name(value: str) -> str:
    if not NAME_RE.match(value):
        raise ValueError(
            f"expected a snake_case identifier (lowercase letters, digits, '_'), found {value!r}"
        )
    return value


class ExampleSpan(_Strict):
    text: str = Field(min_length=1)
    label: str


class Example(_Strict):
    text: str = Field(min_length=1)
    labels: list[str] = Field(min_length=1)
    spans: list[ExampleSpan] = Field(default_factory=list)

    @model_validator(mode="after")
    def _spans_in_text(self) -> Example:
        for span in self.spans:
            if span.text not in self.text:
                raise ValueError(f"span text {span.text!r} does not occur in the example text")
        return self


class Category(_Strict):
    name: str
    group: Literal["harmful", "context", "none"]
    title: str = Field(min_length=1)
    definition: str = Field(min_length=10)
    includes: list[str] = Field(default_factory=list)
    excludes: list[str] = Field(default_factory=list)
    examples: list[Example] = Field(default_factory=list)

    _name = field_validator("name")(_check_name)


class SpanLabel(_Strict):
    name: str
    title: str = Field(min_length=1)
    definition: str = Field(min_length=5)
    color: str = "#888888"

    _name = field_validator("name")(_check_name)

    @field_validator("color")
    @classmethod
    def _color(cls, value: str) -> str:
        if not COLOR_RE.match(value):
            raise ValueError(f"expected a colour like '#d62728', found {value!r}")
        return value


class SeverityLevel(_Strict):
    name: str
    level: int = Field(ge=0)
    definition: str = Field(min_length=5)

    _name = field_validator("name")(_check_name)


def _unique(names: list[str], what: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"duplicate {what} {name!r}: all {what}s must be unique")
        seen.add(name)


class LabelingInterface(_Strict):
    """Names of the Label Studio controls; push and export read them from here."""

    text_field: str = "text"
    passage: str = "passage"
    categories: str = "category"
    spans: str = "evidence"
    severity: str = "severity"
    comment: str = "comment"


class Taxonomy(_Strict):
    name: str
    version: str
    description: str = ""
    categories: list[Category] = Field(min_length=2)
    spans: list[SpanLabel] = Field(min_length=1)
    severity: list[SeverityLevel] = Field(min_length=2)
    interface: LabelingInterface = Field(default_factory=LabelingInterface)

    @field_validator("version")
    @classmethod
    def _semver(cls, value: str) -> str:
        if not SEMVER_RE.match(value):
            raise ValueError(f"expected a semantic version like '1.2.0', found {value!r}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Taxonomy:
        _unique([c.name for c in self.categories], "category name")
        _unique([s.name for s in self.spans], "span label")
        _unique([s.name for s in self.severity], "severity name")
        _unique([str(s.level) for s in self.severity], "severity level")
        nones = [c.name for c in self.categories if c.group == "none"]
        if len(nones) != 1:
            raise ValueError(
                f"expected exactly one category with group 'none', found {len(nones)}: {nones}"
            )
        if not any(c.group == "harmful" for c in self.categories):
            raise ValueError("expected at least one category with group 'harmful', found none")
        known = set(self.category_names)
        spans = set(self.span_names)
        for cat in self.categories:
            for ex in cat.examples:
                for label in ex.labels:
                    if label not in known:
                        raise ValueError(
                            f"example of {cat.name!r} uses unknown category {label!r}; "
                            f"known: {sorted(known)}"
                        )
                for span in ex.spans:
                    if span.label not in spans:
                        raise ValueError(
                            f"example of {cat.name!r} uses unknown span label {span.label!r}; "
                            f"known: {sorted(spans)}"
                        )
        return self

    # ---- label spaces -------------------------------------------------------------
    @cached_property
    def category_names(self) -> list[str]:
        return [c.name for c in self.categories]

    @cached_property
    def span_names(self) -> list[str]:
        return [s.name for s in self.spans]

    @cached_property
    def severity_names(self) -> list[str]:
        return [s.name for s in sorted(self.severity, key=lambda s: s.level)]

    @cached_property
    def harmful(self) -> list[str]:
        return [c.name for c in self.categories if c.group == "harmful"]

    @cached_property
    def context(self) -> list[str]:
        return [c.name for c in self.categories if c.group == "context"]

    @cached_property
    def none_label(self) -> str:
        return next(c.name for c in self.categories if c.group == "none")

    @cached_property
    def label2id(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.category_names)}

    @cached_property
    def id2label(self) -> dict[int, str]:
        return dict(enumerate(self.category_names))

    def category(self, name: str) -> Category:
        for cat in self.categories:
            if cat.name == name:
                return cat
        raise KeyError(name)

    # ---- derived artefacts --------------------------------------------------------
    def render_label_config(self) -> str:
        """The Label Studio labeling config (deterministic, XML-escaped)."""
        return render_label_config(self)

    def export_features(self) -> Any:
        """HF ``datasets.Features`` of the reviewed corpus (see annotate.corpus.export)."""
        from annotate.corpus.schema import corpus_features

        return corpus_features(self)


def render_label_config(tax: Taxonomy) -> str:
    ui = tax.interface
    a = quoteattr
    lines = [
        "<View>",
        '  <Header value="$title" size="4"/>',
        '  <Text name="provenance" value="$provenance" valueType="text"/>',
        f"  <Labels name={a(ui.spans)} toName={a(ui.passage)}>",
    ]
    for span in tax.spans:
        lines.append(
            f"    <Label value={a(span.name)} alias={a(span.name)} background={a(span.color)}"
            f" hint={a(span.title + ': ' + span.definition)}/>"
        )
    lines += [
        "  </Labels>",
        f'  <Text name={a(ui.passage)} value={a("$" + ui.text_field)} granularity="symbol"/>',
        '  <Header value="What does this passage do? (all that apply)" size="5"/>',
        f'  <Choices name={a(ui.categories)} toName={a(ui.passage)} choice="multiple"'
        ' required="true" showInline="false">',
    ]
    for cat in tax.categories:
        lines.append(
            f"    <Choice value={a(cat.name)} hint={a(cat.title + ': ' + cat.definition)}/>"
        )
    lines += [
        "  </Choices>",
        '  <Header value="Severity" size="5"/>',
        f'  <Choices name={a(ui.severity)} toName={a(ui.passage)} choice="single-radio"'
        ' showInline="true">',
    ]
    for sev in sorted(tax.severity, key=lambda s: s.level):
        lines.append(
            f"    <Choice value={a(sev.name)} hint={a(f'{sev.level}: {sev.definition}')}/>"
        )
    lines += [
        "  </Choices>",
        f'  <TextArea name={a(ui.comment)} toName={a(ui.passage)} editable="true"'
        ' maxSubmissions="1" rows="2" placeholder="Reviewer comment (optional)"/>',
        "</View>",
    ]
    return "\n".join(lines) + "\n"


def _loc(loc: tuple[Any, ...], data: Any) -> str:
    """Human path of a pydantic error location, using names where the list has them."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
            item = node[key]
            name = item.get("name") if isinstance(item, dict) else None
            parts.append(f"[{key}]" + (f"({name})" if name else ""))
            node = item
        else:
            parts.append(f".{key}" if parts else str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts) or "<top level>"


def _format_validation_error(err: ValidationError, data: Any, source: str) -> TaxonomyError:
    first = err.errors()[0]
    loc = _loc(tuple(first["loc"]), data)
    kind = first["type"]
    if kind == "extra_forbidden":
        what = f"{source}: unknown key {loc!r}."
        fix = "remove it or correct its spelling (see the keys documented in labels.yaml)."
    elif kind == "missing":
        what = f"{source}: required key {loc!r} is missing."
        fix = "add it (see the other entries in labels.yaml for its form)."
    else:
        msg = first["msg"].removeprefix("Value error, ")
        what = f"{source}: {loc}: {msg}."
        fix = "edit that entry in labels.yaml."
    more = len(err.errors()) - 1
    if more:
        what += f" ({more} more problem{'s' if more > 1 else ''} after this one.)"
    return TaxonomyError(what, fix=fix)


def default_labels_path() -> Path:
    """`$ANNOTATE_LABELS`, else ./labels.yaml, else the project's labels.yaml."""
    env = os.environ.get(LABELS_ENV)
    if env:
        return Path(env)
    local = Path.cwd() / "labels.yaml"
    if local.is_file():
        return local
    return PROJECT_ROOT / "labels.yaml"


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that rejects a key written twice in one mapping."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_taxonomy(text: str, source: str = "labels.yaml") -> Taxonomy:
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise TaxonomyError(
            f"{source} is not valid YAML{where}: {getattr(exc, 'problem', exc)}.",
            fix="fix the YAML syntax (indentation, quotes, colons) at that position.",
        ) from None
    if not isinstance(data, dict):
        raise TaxonomyError(
            f"{source}: expected a mapping with keys name, version, categories, spans, "
            f"severity; found {type(data).__name__}.",
            fix="start from the labels.yaml shipped with annotate.",
        )
    try:
        return Taxonomy.model_validate(data)
    except ValidationError as err:
        raise _format_validation_error(err, data, source) from None


def load_taxonomy(path: str | os.PathLike[str] | None = None) -> Taxonomy:
    """Load and validate labels.yaml; every problem becomes a one-line TaxonomyError."""
    p = Path(path) if path is not None else default_labels_path()
    if not p.is_file():
        raise TaxonomyError(
            f"taxonomy file {str(p)!r} not found.",
            fix=f"pass --labels PATH or set {LABELS_ENV} to the project's labels.yaml.",
        )
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TaxonomyError(f"{p} is not UTF-8 text.", fix="save labels.yaml as UTF-8.") from None
    return parse_taxonomy(text, source=str(p.name))
