"""The taxonomy (labels.yaml): loaded once into a validated, immutable object.

It is the only place a label name is written. The classifier's label space, the Label
Studio labeling config and the export features are all derived from it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from annotate._util.validation import load_yaml, validation_error
from annotate.errors import TaxonomyError
from annotate.settings import LABELS_ENV, PROJECT_ROOT, default_labels_path  # noqa: F401

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
SEMVER_RE = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_name(value: str) -> str:
    if not NAME_RE.match(value):
        raise ValueError(
            f"expected a snake_case identifier (lowercase letters, digits, '_'), found {value!r}"
        )
    return value


class SeedExampleSpan(_Strict):
    """An evidence span of a :class:`SeedExample`, given by its exact text."""

    text: str = Field(min_length=1)
    label: str


class SeedExample(_Strict):
    """A worked example written in labels.yaml (shown in the guidelines, used as a
    training row); not the training data's example (``annotate.training.sources.Example``)."""

    text: str = Field(min_length=1)
    labels: list[str] = Field(min_length=1)
    spans: list[SeedExampleSpan] = Field(default_factory=list)

    @model_validator(mode="after")
    def _spans_in_text(self) -> SeedExample:
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
    examples: list[SeedExample] = Field(default_factory=list)

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


def _opening(text: str, limit: int = 40) -> str:
    """The first ``limit`` characters of an example's text, quoted, to find it by."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


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


class Migration(_Strict):
    """How answers made under an older labels.yaml read under this one: old name -> new
    name, per kind (a rename, or several old labels merged into one). A name not listed
    keeps its name. Declared in labels.yaml under ``migrations``; export applies it to
    every answer (and prediction) made under version ``from``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_version: str = Field(alias="from")
    categories: dict[str, str] = Field(default_factory=dict)
    spans: dict[str, str] = Field(default_factory=dict)
    severity: dict[str, str] = Field(default_factory=dict)

    @field_validator("from_version", mode="before")
    @classmethod
    def _semver(cls, value: object) -> str:
        if not isinstance(value, str) or not SEMVER_RE.match(value):
            raise ValueError(f"expected a semantic version like '1.0.0', found {value!r}")
        return value

    def record(self) -> dict[str, Any]:
        """``{"from", "categories", "spans", "severity"}`` (for manifests)."""
        return {
            "from": self.from_version,
            "categories": dict(self.categories),
            "spans": dict(self.spans),
            "severity": dict(self.severity),
        }


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# the hiding score labels.yaml's wellbeing leaves unset (annotate.review.exposure's
# HIDE_GRAPHIC_SCORE, which imports nothing from here: written again, checked by a test)
DEFAULT_HIDE_GRAPHIC_SCORE = 0.1


class ReviewerWellbeing(_Strict):
    """One reviewer's stricter rule (labels.yaml ``wellbeing.reviewers.EMAIL``), one of
    the two or both: ``hide_graphic_score``, the model's graphic score (a probability in
    [0, 1], at most the set-wide ``hide_graphic_score``) at or above which a passage is
    hidden in that reviewer's queue, the rest of the hiding rule (the model's label, the
    terms) as for everyone; ``max_graphic``, the open graphic passages (a count, 0 or
    more) a push leaves in that reviewer's queue, as ``push --max-graphic-per-reviewer``
    does for every queue (the stricter of the two applies:
    :func:`annotate.review.graphic_cap.reviewer_cap`)."""

    hide_graphic_score: float | None = None
    max_graphic: int | None = None

    @field_validator("hide_graphic_score")
    @classmethod
    def _score(cls, value: float | None) -> float | None:
        if value is not None and not 0.0 <= value <= 1.0:
            raise ValueError(
                "expected the model's graphic score (a probability between 0 and 1) at or "
                f"above which this reviewer's passages are hidden, e.g. 0.02, found {value:g}"
            )
        return value

    @field_validator("max_graphic", mode="before")
    @classmethod
    def _cap(cls, value: Any) -> Any:
        if value is None:
            return value
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(
                "expected max_graphic as a whole number of open graphic passages, 0 or more, "
                "that a push leaves in this reviewer's queue (e.g. max_graphic: 5; 0 gives "
                f"them none), found {value!r}"
            )
        return value

    @model_validator(mode="after")
    def _some_rule(self) -> ReviewerWellbeing:
        if self.hide_graphic_score is None and self.max_graphic is None:
            raise ValueError(
                "expected hide_graphic_score (e.g. 0.02), max_graphic (e.g. 5) or both "
                "for this reviewer, found neither"
            )
        return self


class Wellbeing(_Strict):
    """What hides a passage as graphic behind its content warning, besides the model's
    ``graphic_violence`` label (labels.yaml ``wellbeing``; :class:`annotate.review.
    exposure.HidingRule`): ``hide_graphic_score``, the model's graphic score (a probability
    in [0, 1]) at or above which a passage is hidden (None: the measured default,
    :data:`annotate.review.exposure.HIDE_GRAPHIC_SCORE`); ``hide_terms``, graphic-injury
    terms that hide a passage whatever the model says (None: the built-in list,
    :data:`annotate.review.graphic_terms.DEFAULT_HIDE_TERMS`; []: none);
    ``hide_harmful_score``, the calibrated score at or above which a harmful category the
    model labels hides a passage as likely harmful (None: 0.5, more likely than not,
    :data:`annotate.review.view.HIDE_HARMFUL_SCORE`; :func:`annotate.review.view.
    harmful_reason`)."""

    hide_graphic_score: float | None = Field(default=None, ge=0.0, le=1.0)
    hide_terms: list[str] | None = None
    hide_harmful_score: float | None = None
    # reviewer e-mail -> that reviewer's stricter rule (annotate.review.reviewer_rule)
    reviewers: dict[str, ReviewerWellbeing] = Field(default_factory=dict)
    # set on the copy :func:`annotate.review.reviewer_rule.reviewer_taxonomy` makes: the
    # reviewer whose own rule this is ("" for the set-wide rule), never read from YAML
    _for_reviewer: str = PrivateAttr(default="")

    @property
    def for_reviewer(self) -> str:
        """The e-mail whose own rule this copy holds; "" for the set-wide rule."""
        return self._for_reviewer

    @field_validator("reviewers")
    @classmethod
    def _emails(cls, value: dict[str, ReviewerWellbeing]) -> dict[str, ReviewerWellbeing]:
        bad = [e for e in value if not EMAIL_RE.match(e)]
        if bad:
            raise ValueError(
                "expected reviewers by the e-mail of their Label Studio account (as "
                f"`annotate reviewers list` shows it), found {bad[0]!r}"
            )
        lower = [e.lower() for e in value]
        twice = sorted({e for e in lower if lower.count(e) > 1})
        if twice:
            raise ValueError(f"expected each reviewer once, found {twice[0]!r} twice")
        return value

    @model_validator(mode="after")
    def _stricter(self) -> Wellbeing:
        bar = (
            DEFAULT_HIDE_GRAPHIC_SCORE
            if self.hide_graphic_score is None
            else self.hide_graphic_score
        )
        for email, own in self.reviewers.items():
            if own.hide_graphic_score is not None and own.hide_graphic_score > bar:
                raise ValueError(
                    f"reviewers.{email}.hide_graphic_score {own.hide_graphic_score:g} is above "
                    f"the set-wide hide_graphic_score {bar:g}: a reviewer's own rule can only "
                    f"hide more (a lower score), e.g. {min(bar, 0.02):g}"
                )
        return self

    def of_reviewer(self, email: str) -> Wellbeing:
        """This rule with ``email``'s own ``hide_graphic_score`` (a copy that says whose
        it is: :attr:`for_reviewer`); itself when ``reviewers`` names no such e-mail, or
        gives it no score of its own."""
        own = self.reviewer(email)
        if own is None or own.hide_graphic_score is None:  # a graphic cap only
            return self
        copy = self.model_copy(update={"hide_graphic_score": own.hide_graphic_score})
        copy._for_reviewer = email
        return copy

    def reviewer(self, email: str) -> ReviewerWellbeing | None:
        """The stricter rule of the reviewer with this e-mail (case aside), else None."""
        for name, own in self.reviewers.items():
            if name.lower() == email.lower():
                return own
        return None

    @field_validator("hide_harmful_score")
    @classmethod
    def _harmful_score(cls, value: float | None) -> float | None:
        if value is not None and not 0.0 <= value <= 1.0:
            raise ValueError(
                "expected a calibrated score between 0 and 1 (0.5: more likely than not; "
                f"a harmful label the model gives at this score or more hides the passage), "
                f"found {value:g}"
            )
        return value

    @field_validator("hide_terms")
    @classmethod
    def _terms(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and any(not t.strip() or t.strip() == "*" for t in value):
            raise ValueError("expected terms of one or more words, found an empty one")
        return value


class Taxonomy(_Strict):
    """labels.yaml, validated: categories (passage-level labels, each in a group:
    harmful, context or none), span labels (evidence inside a passage), severity levels
    and the names of the labeling interface. The only place a label name is written;
    the labeling config, the classifier's label map and the export features derive
    from it. Load with :func:`load_taxonomy`."""

    name: str
    version: str
    description: str = ""
    categories: list[Category] = Field(min_length=2)
    spans: list[SpanLabel] = Field(min_length=1)
    severity: list[SeverityLevel] = Field(min_length=2)
    interface: LabelingInterface = Field(default_factory=LabelingInterface)
    migrations: list[Migration] = Field(default_factory=list)
    # a review setting, not part of the label space: left out of model_dump, so of
    # content_sha256 (a model trained under labels.yaml still matches when it changes)
    wellbeing: Wellbeing = Field(default_factory=Wellbeing, exclude=True)

    @field_validator("version", mode="before")
    @classmethod
    def _semver(cls, value: object) -> str:
        # before type checks: YAML reads `version: 1.0` as a float, `1` as an int
        if not isinstance(value, str) or not SEMVER_RE.match(value):
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
            for n, ex in enumerate(cat.examples, start=1):
                # which example: a renamed category is named by several of them
                which = f"example {n} of {cat.name!r} ({_opening(ex.text)})"
                for label in ex.labels:
                    if label not in known:
                        raise ValueError(
                            f"{which} uses unknown category {label!r}; known: {sorted(known)}"
                        )
                for span in ex.spans:
                    if span.label not in spans:
                        raise ValueError(
                            f"{which} uses unknown span label {span.label!r}; "
                            f"known: {sorted(spans)}"
                        )
        self._check_migrations()
        return self

    def _check_migrations(self) -> None:
        _unique([m.from_version for m in self.migrations], "migration 'from' version")
        targets = {
            "categories": set(self.category_names),
            "spans": set(self.span_names),
            "severity": set(self.severity_names),
        }
        for m in self.migrations:
            if m.from_version == self.version:
                raise ValueError(
                    f"migration from {m.from_version} is this file's own version; declare "
                    "migrations from older versions only"
                )
            for kind, known in targets.items():
                for old, new in getattr(m, kind).items():
                    if new not in known:
                        raise ValueError(
                            f"migration from {m.from_version} maps {kind} {old!r} to {new!r}, "
                            f"which is not in this file; known: {sorted(known)}"
                        )

    def migration_from_declared(self, version: str) -> Migration | None:
        """The ``migrations:`` entry from ``version``, or None when labels.yaml declares
        none (never raises; :meth:`migration_from` tells when one is needed)."""
        return next((m for m in self.migrations if m.from_version == version), None)

    def migration_from(self, version: str | None) -> Migration | None:
        """The mapping that reads answers made under labels.yaml ``version``.

        None when nothing needs mapping: ``version`` unknown (None), this version, or
        the same major version without a declared migration (a minor or patch change
        only adds labels or rewords them). Raises :class:`TaxonomyError` for another
        major version (labels removed or renamed) without a declared migration.
        """
        if version is None or version == self.version:
            return None
        for m in self.migrations:
            if m.from_version == version:
                return m
        if version.split(".")[0] == self.version.split(".")[0]:
            return None
        raise TaxonomyError(
            f"answers were made under labels.yaml {version}, and labels.yaml {self.version} "
            f"declares no migration from {version} (a major version renames or removes labels).",
            fix=f"add to labels.yaml: `migrations: [{{from: {version}, categories: {{OLD: NEW}}}}]`"
            f", or use the labels.yaml {version} the answers were made with (--labels).",
        )

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
    def no_harm_severity(self) -> str | None:
        """The severity that says "no harmful content": level 0 (``none`` in the shipped
        labels.yaml); None when labels.yaml has no level 0 (its lowest level is already
        harmful, so no severity means no harm)."""
        return next((s.name for s in self.severity if s.level == 0), None)

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

    @cached_property
    def content_sha256(self) -> str:
        """Hex SHA-256 of the validated taxonomy (its canonical JSON: sorted keys, no
        whitespace), not of the file: comments and formatting do not change it, any
        category, span, severity level, example, colour or migration does. Models and
        exports record it, so a labels.yaml edited without a version bump is still told
        apart."""
        canonical = json.dumps(
            self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def identity(self) -> dict[str, str]:
        """What a model records of the taxonomy it was trained for: ``{"name", "version",
        "sha256"}`` (:attr:`content_sha256`)."""
        return {"name": self.name, "version": self.version, "sha256": self.content_sha256}

    def category(self, name: str) -> Category:
        for cat in self.categories:
            if cat.name == name:
                return cat
        raise KeyError(name)

    # ---- derived artefacts --------------------------------------------------------
    def render_label_config(self) -> str:
        """The Label Studio labeling config (XML text, deterministic; see
        :func:`annotate.studio.label_config.render_label_config`)."""
        from annotate.studio.label_config import render_label_config

        return render_label_config(self)

    def export_features(self) -> Any:
        """HF ``datasets.Features`` of the reviewed corpus (see annotate.corpus.export)."""
        from annotate.corpus.schema import corpus_features

        return corpus_features(self)


def parse_taxonomy(text: str, source: str = "labels.yaml") -> Taxonomy:
    data = load_yaml(text, source, TaxonomyError)
    if not isinstance(data, dict):
        raise TaxonomyError(
            f"{source}: expected a mapping with keys name, version, categories, spans, "
            f"severity; found {type(data).__name__}.",
            fix="start from the labels.yaml shipped with annotate.",
        )
    try:
        return Taxonomy.model_validate(data)
    except ValidationError as err:
        raise validation_error(
            err,
            data,
            source,
            TaxonomyError,
            reference="the labels.yaml shipped with annotate",
            schema=Taxonomy,
        ) from None


def check_stable_ids(
    old_names: list[str], old_version: str | None, tax: Taxonomy, *, where: str
) -> None:
    """Refuse ``tax`` when it gives a category of an older labels.yaml of the same MAJOR
    version another id than that version did: ids are the categories' positions in
    labels.yaml (:attr:`Taxonomy.label2id`), which Parquet/HF exports store (ClassLabel),
    so a category inserted before ``none`` would make ``none`` rows of an older export
    read as the new category when both exports are read together. ``old_names``: the
    older version's categories in their order; ``old_version``: its version (None:
    unknown, taken as the same MAJOR); ``where``: what recorded them, for the message.
    Another MAJOR version may renumber (it renames or removes labels anyway). Raises
    :class:`TaxonomyError` naming the moved categories and the fix."""
    major = tax.version.split(".")[0]
    if old_version is not None and old_version.split(".")[0] != major:
        return
    new = tax.label2id
    moved = [
        (name, i, new[name]) for i, name in enumerate(old_names) if name in new and new[name] != i
    ]
    if not moved:
        return
    was = f"labels.yaml {old_version}" if old_version else "the older labels.yaml"
    shown = ", ".join(f"{name} {old} -> {now}" for name, old, now in moved)
    added = [n for n in tax.category_names if n not in old_names]
    order = ", ".join(old_names + added)
    raise TaxonomyError(
        f"labels.yaml {tax.version} moves the id of {len(moved)} category(ies) of {was} "
        f"({where}): {shown}. A category's id is its position in `categories`, and "
        "Parquet/HF exports store ids: exports of the two versions read together would read "
        "one category as another.",
        fix=f"list new categories after the existing ones (in this order: {order}), or, "
        f"if the renumbering is meant, bump MAJOR (version {int(major) + 1}.0.0) and do not "
        "read exports of the two versions together by id.",
    )


TaxonomyRef = Taxonomy | str | os.PathLike[str] | None


def as_taxonomy(taxonomy: TaxonomyRef) -> Taxonomy:
    """``taxonomy`` itself when already loaded, else :func:`load_taxonomy` of that path
    (None: the default labels.yaml). Library functions take either."""
    return taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)


def category_meant(value: str, tax: Taxonomy, *, typos: bool = False) -> str | None:
    """The category a label that is no category name of ``tax`` stands for: its title as
    reviewers see it (``Violent threat``) or its name written with spaces, hyphens or
    capitals (``violent threat``, ``Counter-speech``), or one word of exactly one name
    (``threat``); with ``typos``, else the name closest to it by spelling (difflib ratio
    0.8 or more: ``news_reportng``). None when none fits."""

    def key(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum())

    for c in tax.categories:
        if key(value) in (key(c.name), key(c.title)):
            return c.name
    # one word of exactly one category's name (``threat`` for violent_threat, also the
    # name of a span label reviewers mark in such passages; ``propaganda``)
    words = [c.name for c in tax.categories if key(value) in c.name.lower().split("_")]
    if len(words) == 1:
        return words[0]
    if typos:
        import difflib

        close = difflib.get_close_matches(value, tax.category_names, n=1, cutoff=0.8)
        return close[0] if close else None
    return None


def load_taxonomy(path: str | os.PathLike[str] | None = None) -> Taxonomy:
    """Load and validate a taxonomy file (YAML; see labels.yaml).

    ``path`` None: :func:`annotate.settings.default_labels_path` ($ANNOTATE_LABELS,
    ./labels.yaml, the project's). Raises TaxonomyError (one line, with the fix) when the
    file is missing, not UTF-8, not valid YAML or not a valid taxonomy.
    """
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
    return parse_taxonomy(text, source=str(p))
