"""`annotate verify MODEL_DIR`: check a trained model against what it records of itself.

Three checks, each reading the files again:

- **version**: the model's weights and ``annotate_model.json`` give a version
  (:func:`annotate.classifier.model_files.model_version`); the model card records the
  one it was trained as. Another version: the files changed after training.
- **training data**: each file ``annotate_model.json`` -> ``training.data[].files``
  records (:mod:`annotate.training.data_files`) is looked for and re-hashed (SHA-256 and
  size): *match*, *differs* or *not found*. A source's files are looked for under its
  ``resolved`` path, relative to its recorded root (the checkout annotate runs from, or
  the working directory); with ``data_root``, first under that folder, as the root and
  by the resolved path's trailing folders, down to the file's own folder
  (``DIR/implicit-hate/x.tsv`` for ``../shared/data/implicit-hate/x.tsv``, never
  ``DIR/x.tsv``: a bare name would match another data set's ``train.csv``). An export's
  files are all taken from one folder (:func:`_pick_export`): the first holding an export
  of the project the model records, whatever its export time (``data_root`` itself
  first: an export rewritten, then renamed, ``mv corpus corpus-old``); the folder
  compared and those passed over are recorded (:class:`ExportCompared`).
- **training record**: ``annotate_model.json``'s ``training`` (what the model was
  trained on and how) is not hashed into the version; the SHA-256 of it as canonical JSON
  (:func:`annotate.classifier.model_files.training_sha256`) is, as ``training_sha256``,
  written at build time. The record now against that digest: *match* or *differs* (a
  swapped or edited record; swapping the digest too changes the version, which the card
  catches). Models built before it: *not recorded* (the CLI's ``--strict`` fails on it).
  Since 2026-12-03 (stop 35) the version hashes ``training_content_sha256`` instead, the
  digest of the record less where it was built (checkout paths, git revision:
  :func:`annotate.classifier.model_files.training_content`); it is checked the same way.
  A model whose encoder is a local folder, built since 2026-12-04 (stop 36,
  ``encoder_versioned_by_digest``), has that digest computed without the encoder's path.
  A kind whose version hashes its whole training record (``annotate.encoder-head.v1``)
  is covered by the version check.
- **encoder**: the identity of the encoder recorded at training
  (:mod:`annotate.classifier.encoder_identity`) against the one installed here: its
  weights' SHA-256. A fine-tuned model carries its encoder's weights (in its version),
  so its base encoder is not checked.

A missing file is not a mismatch (the data of the shipped model is not part of a fresh
clone): :attr:`ModelCheck.not_found` counts them, and the CLI's ``--strict`` fails on
them. Nothing here prints; the CLI reports.
"""

from __future__ import annotations

import glob
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate._util.digest import sha256_file
from annotate._util.progress import ProgressFn, advance, set_total
from annotate._util.shell import sh
from annotate._util.shown import shown
from annotate.audit.card_check import CardCheck, check_card
from annotate.audit.formats import listed
from annotate.classifier.model_files import (
    BUILD_FIELDS,
    CARD_FILE,
    CONFIG_FILE,
    ENCODER_DIGEST_KEY,
    RUN_FOLDER_KEY,
    TRAINING_CONTENT_KEY,
    TRAINING_DIGEST_KEY,
    card_version,
    training_content_sha256,
    training_sha256,
)
from annotate.errors import AnnotateError, ModelError
from annotate.training.data_files import (
    ROOT_CHECKOUT,
    ROOT_CWD,
    DataFile,
    DataSourceRecord,
    invalid_records,
    read_records,
)
from annotate.training.data_files import located as located_at

log = logging.getLogger(__name__)

MATCH, DIFFERS, NOT_FOUND = "match", "differs", "not found"
# an export's manifest.json that a later export into the same folder wrote, every data
# file of the export still matching: the rows the model was trained on, a new manifest
# (not a mismatch; the CLI's --strict fails on it)
REWRITTEN = "rewritten"
NOT_RECORDED = "not recorded"  # a model built before it recorded the training digest
# a kind whose version hashes the training record itself (encoder-head): it is as good as
# the version check (check_training_record's answer, which check_model turns into MATCH
# or NOT_CHECKED)
COVERED_BY_VERSION = "covered by the version"
NOT_CHECKED = "not checked"
MEGABYTE = 1_000_000  # the unit of hashing progress
# training.data entries of rows made from other rows (annotate.training.train): no files
DERIVED_KINDS = (
    "taxonomy examples",
    "span examples",
    "sentence examples",
    "mixed documents",
    "untitled documents",
)
FINETUNED = "annotate.finetuned.v1"
ENCODER_HEAD = "annotate.encoder-head.v1"
# kind -> the module that reads it: its files_version(path) and VERSIONED_FILES
KINDS: dict[str, str] = {
    "annotate.frozen-linear.v1": "annotate.classifier.frozen_linear",
    FINETUNED: "annotate.classifier.finetuned",
    ENCODER_HEAD: "annotate.classifier.encoder_head",
}


class ModelVerifyError(AnnotateError):
    """A model folder cannot be verified (no readable ``annotate_model.json``, a kind
    annotate does not know)."""


@dataclass
class FileCheck:
    """One recorded training data file: where it was found (None: not found), its
    status (:data:`MATCH`, :data:`DIFFERS`, :data:`NOT_FOUND`) and why it differs."""

    source: str  # the data source, where it lies here (:func:`source_shown`)
    recorded: DataFile
    status: str = NOT_FOUND
    found_at: Path | None = None
    what: str = ""
    looked_in: list[Path] = field(default_factory=list)  # where a missing file was sought

    @property
    def named(self) -> str:
        """The file as a reader finds it: where it was found, else the recorded path
        under the source."""
        if self.found_at is not None:
            return str(self.found_at)
        return f"{self.recorded.path} (source {self.source})"


@dataclass
class EncoderCheck:
    """The encoder recorded at training against the one installed here: ``status``
    :data:`MATCH`, :data:`DIFFERS`, :data:`NOT_FOUND` (not installed, or no weights
    found locally) or ``not checked`` (``what`` says why)."""

    ref: str | None
    status: str
    what: str


@dataclass
class TrainingCheck:
    """The ``training`` record against the digest recorded at build time: ``status``
    :data:`MATCH`, :data:`DIFFERS` or :data:`NOT_RECORDED`; for a kind that hashes the
    record into its version, :data:`MATCH` when the version matches the card, else
    :data:`NOT_CHECKED`; ``what`` says more."""

    status: str
    what: str


@dataclass
class ExportedAgain:
    """An export the model was trained on that was written again since, into the same
    folder (its manifest records another ``exported_at``): ``folder`` as found, the two
    export times, and ``changed``: its data files that differ, each as ``hf/test (46 rows
    at training, 48 now)``; empty when every data file still matches (the same rows, a
    new manifest)."""

    folder: Path
    then: str
    now: str
    changed: list[str] = field(default_factory=list)

    @property
    def same_rows(self) -> bool:
        return not self.changed


@dataclass
class ExportCompared:
    """Which folder a training export was compared with (``folder``; None: none found)
    and the folders passed over (``rejected``: each with why), with the export times the
    model records (``then``) and the compared folder's manifest records (``now``)."""

    source: str  # the data source, where it lies here (:func:`source_shown`)
    folder: Path | None
    then: str | None
    now: str | None = None
    rejected: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def same_export(self) -> bool:
        """Whether the compared folder's manifest records the export time the model
        records (the export the model was trained on, not one written again)."""
        return self.folder is not None and self.then is not None and self.now == self.then


@dataclass
class ModelCheck:
    """What :func:`check_model` found. ``problems``: one line per mismatch (the version,
    an encoder, a data file that differs); ``not_found``: the files it could not find."""

    model: Path
    kind: str
    version: str | None  # from the files now; None: see ``version_unknown``
    card_version: str | None  # the model card's; None: no card or no version line
    encoder: EncoderCheck
    # why ``version`` is None: a weights file missing or unreadable, or a config that
    # does not validate (a field of the wrong type, e.g. an edited training_sha256)
    version_unknown: str = "a weights file is missing or unreadable"
    training: TrainingCheck = field(
        default_factory=lambda: TrainingCheck(NOT_RECORDED, "not checked")
    )
    files: list[FileCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # the card's text against the one its files render (annotate.audit.card_check)
    card: CardCheck = field(default_factory=lambda: CardCheck(False, "not checked"))
    sources_without_files: list[str] = field(default_factory=list)  # models before 2026-12-03
    # exports trained on that `annotate export` wrote again since (same folder)
    exported_again: list[ExportedAgain] = field(default_factory=list)
    # per export trained on: the folder compared and the candidates passed over
    exports: list[ExportCompared] = field(default_factory=list)
    # the data options of the `annotate train` that made the model, as recorded
    # (:func:`retrain_options`): what a retraining on the same sources passes
    retrain_options: str = ""
    # the labels whose threshold is the fallback, not fitted on validation (a model
    # trained on a small export): the warning to give, "" if none (not a mismatch)
    fallback_warning: str = ""
    # the model's examples were read otherwise than this annotate reads a passage
    # (annotate.evaluation.model_card.reading_warning): the warning, "" if none
    reading_warning: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def not_found(self) -> int:
        """Data files not found, plus an encoder whose weights are not installed."""
        return self.count(NOT_FOUND) + (self.encoder.status == NOT_FOUND)


def read_config(model: Path) -> dict[str, Any]:
    """``annotate_model.json`` of ``model`` as a dict. Raises ModelVerifyError."""
    p = model / CONFIG_FILE
    try:
        config = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelVerifyError(
            f"{p} cannot be read as JSON ({exc}): the model's record of itself is damaged.",
            fix="copy the model folder again, or retrain it.",
        ) from None
    if not isinstance(config, dict) or config.get("kind") not in KINDS:
        kind = config.get("kind") if isinstance(config, dict) else None
        raise ModelVerifyError(
            f"{p}: kind {kind!r} is not one `annotate train` writes ({', '.join(KINDS)}).",
            fix="upgrade annotate, or verify a folder `annotate train` wrote.",
        )
    return config


def check_model(
    model: Path, *, data_root: Path | None = None, progress: ProgressFn | None = None
) -> ModelCheck:
    """Check ``model`` (a folder ``annotate train`` wrote) against its records: its
    version against its model card's, its training data files (looked for as the module
    says; ``data_root``: a folder where an auditor keeps them) and its encoder.
    ``progress``: called with megabytes hashed (its total set first).

    Raises:
        ModelVerifyError: no readable ``annotate_model.json`` or an unknown kind.
    """
    import importlib

    from annotate.evaluation.model_card import fallback_warning, reading_warning

    config = read_config(model)
    kind = str(config["kind"])
    module = importlib.import_module(KINDS[kind])
    weights: tuple[str, ...] = module.VERSIONED_FILES
    result = ModelCheck(
        model=model,
        kind=kind,
        version=None,
        card_version=card_version(model),
        encoder=_check_encoder(config, kind),
        training=check_training_record(config),
        fallback_warning=fallback_warning(config, str(model)),
        reading_warning=reading_warning(config.get("training"), str(model)),
    )
    missing = [w for w in weights if not (model / w).is_file()]
    invalid_config = False
    if missing:
        result.problems.append(
            f"{model / missing[0]}: missing; the model's version cannot be computed"
        )
    else:
        try:
            result.version = module.files_version(model)
        except ModelError as exc:
            result.problems.append(str(exc.what))
            result.version_unknown = f"{CONFIG_FILE} is not a valid model config"
            invalid_config = True
        except OSError as exc:
            result.problems.append(f"{model}: a weights file cannot be read ({exc})")
    if result.card_version is None:  # every card annotate train writes has the line
        result.problems.append(
            f"{model / CARD_FILE}: missing, or records no `- version:` line: the version "
            f"{result.version or '(not computed)'} cannot be checked against it"
        )
    elif result.version is not None and result.version != result.card_version:
        result.problems.append(
            f"{model}: its files give version {result.version}, its {CARD_FILE} records "
            f"{result.card_version}: the weights or {CONFIG_FILE} changed after training "
            "(edited, or a damaged copy)"
        )
    if result.card_version is not None and not invalid_config:
        # a config that is no valid model config (the mismatch above) renders no card
        result.card = check_card(model, kind, result.card_version)
        for heading, line, got, should in result.card.differs:
            got, should = _where_they_differ(got, should)
            result.problems.append(
                f"{model / CARD_FILE} line {line} ({heading.lstrip('# ')}): the card states "
                f"{got!r}, its {CONFIG_FILE} gives {should!r}: "
                "the card was edited after training, or belongs to another model"
            )
    if result.training.status == COVERED_BY_VERSION:
        # this kind hashes its training record into the version: it matches only as far
        # as the version matches the card (a swapped record moves the version)
        result.training = (
            TrainingCheck(MATCH, result.training.what)
            if result.version is not None and result.version == result.card_version
            else TrainingCheck(
                NOT_CHECKED,
                "hashed into the version, which does not match its model card (or could "
                "not be computed): an edited or swapped training record is one cause",
            )
        )
    if result.training.status == DIFFERS:
        result.problems.append(f"{model / CONFIG_FILE}: {result.training.what}")
    if result.encoder.status == DIFFERS:
        result.problems.append(f"encoder {result.encoder.ref}: {result.encoder.what}")
    training = config.get("training") if isinstance(config.get("training"), dict) else {}
    for bad in invalid_records(training.get("data")):
        result.problems.append(
            f"{model / CONFIG_FILE}: {bad} is not a record annotate train writes (edited by "
            "hand, or damaged): the files it names cannot be checked"
        )
    records = read_records(training.get("data"))
    for record in records:
        if not record.files:
            if record.kind not in DERIVED_KINDS:
                result.sources_without_files.append(record.path)
            continue
        bases, roots = _places(record, data_root, _run_folder(model, training))
        picked = _pick_export(record, bases, data_root)
        if picked is not None:
            result.exports.append(picked)
            if picked.folder is not None:  # every file of one export, never of two
                bases = [(picked.folder, True)]
        for recorded in record.files:
            result.files.append(_find(source_shown(record), recorded, bases, roots))
    _hash_found(result.files, progress)
    result.exported_again = _explain_exported_again(records, result.files)
    result.retrain_options = retrain_options(records)
    for f in result.files:
        if f.status == DIFFERS:
            result.problems.append(f"{f.named}: {f.what}")
    return result


def _where_they_differ(got: str, should: str, around: int = 40) -> tuple[str, str]:
    """Two long lines cut to where they first differ (``around`` characters either
    side, ``…`` where cut), so a changed number in a paragraph is seen."""
    first = next(
        (i for i, (a, b) in enumerate(zip(got, should, strict=False)) if a != b),
        min(len(got), len(should)),
    )
    lo = max(0, first - around)

    def cut(text: str) -> str:
        end = first + around
        return ("…" if lo else "") + text[lo:end] + ("…" if end < len(text) else "")

    return cut(got), cut(should)


def _explain_exported_again(
    records: list[DataSourceRecord], files: list[FileCheck]
) -> list[ExportedAgain]:
    """The exports the model was trained on whose ``manifest.json`` now records another
    export time: written again (``annotate export --overwrite`` into the same folder, or
    an export before it refused to), not edited. When every data file still matches (an
    export of the same review state), the manifest is :data:`REWRITTEN`, not a mismatch:
    the rows are the ones the model was trained on. Otherwise its differing files say
    that the training data changed since training, naming each changed split file with
    its rows at training and now, instead of "edited in place"."""
    found: list[ExportedAgain] = []
    for record in records:
        then = (record.model_extra or {}).get("exported_at")
        mine = [f for f in files if f.source == source_shown(record)]
        manifest = next(
            (f for f in mine if f.recorded.role == "manifest" and f.status == DIFFERS), None
        )
        if record.kind != "export" or not isinstance(then, str) or manifest is None:
            continue
        try:
            assert manifest.found_at is not None
            now = json.loads(manifest.found_at.read_text(encoding="utf-8")).get("exported_at")
        except (OSError, ValueError, AttributeError, AssertionError):
            continue
        if not isinstance(now, str) or now == then:
            continue
        where = Path(os.path.normpath(manifest.found_at.parent))
        data = [f for f in mine if f is not manifest]
        changed_files = [_rows_then_and_now(f) for f in data if f.status != MATCH]
        again = ExportedAgain(where, then, now, changed_files)
        found.append(again)
        written = (
            f"the export was written again (exported_at {now}; the model was trained on the "
            f"export of {then})"
        )
        if data and again.same_rows:
            # an export of the same review state writes the same data files: only the
            # manifest records the new time
            manifest.status = REWRITTEN
            manifest.what = (
                f"{written}, and its {len(data)} data file(s) match: the rows are the ones "
                "the model was trained on, only the manifest is new"
            )
            continue
        changed = listed(again.changed[:3], len(again.changed))
        kept = len(data) - len(again.changed)
        for f in mine:
            if f.status == DIFFERS:
                f.what = f.what.replace(" (same size: edited in place)", "") + (
                    f": the training data changed since training: {written}, and its rows "
                    f"changed in {changed} ({kept} of "
                    f"{len(data)} data file(s) match; `annotate verify {sh(where)} --same-as "
                    "OLD_EXPORT` names the rows, where a copy of the old export is kept); "
                    "retrain on it into a new folder, or restore the export the model was "
                    "trained on"
                    if f is manifest
                    else ": the export was written again (see its manifest.json)"
                )
    return found


def retrain_options(records: list[DataSourceRecord]) -> str:
    """The data options of the `annotate train` run that made a model, from its
    ``training.data`` records: ``--config CFG`` for each config its sources were written
    in (``given_in``), ``--data PATH`` for each source given on the command line, as given
    (``--config small.train.yaml --data corpus``). A config that names no data is not
    recorded, so not here."""
    configs = list(dict.fromkeys(r.given_in for r in records if r.given_in))
    added = [r.given for r in records if r.given and not r.given_in]
    return " ".join([*(f"--config {sh(c)}" for c in configs), *(f"--data {sh(a)}" for a in added)])


def _rows_then_and_now(f: FileCheck) -> str:
    """A changed (or missing) data file of an export, with its rows at training and now:
    ``hf/test/data-00000-of-00001.arrow (46 rows at training, 48 now)``."""
    from annotate.training.data_files import count_rows

    then = f.recorded.rows
    now = count_rows(f.found_at) if f.found_at is not None else None
    if f.found_at is None:
        return f"{f.recorded.path} (not found)"
    if then is None or now is None:
        return f.recorded.path
    if then == now:
        return f"{f.recorded.path} ({then} rows at training, as many now)"
    return f"{f.recorded.path} ({then} rows at training, {now} now)"


def _digest_differs(what: str, now: str, key: str, recorded: Any) -> TrainingCheck | None:
    """A DIFFERS check when ``recorded`` (the config's ``key``) is not the digest ``now``
    of ``what``; None when it is."""
    if isinstance(recorded, str) and now == recorded.lower():
        return None
    shown = f"{recorded[:12]}…" if isinstance(recorded, str) else repr(recorded)
    return TrainingCheck(
        DIFFERS,
        f"{what} (SHA-256 {now[:12]}…) is not the one recorded at training ({key} {shown}): "
        "the training record was edited or swapped after training, so the data and settings "
        "it names are not what the model was trained on",
    )


def check_training_record(config: dict[str, Any]) -> TrainingCheck:
    """``config``'s ``training`` record against its ``training_sha256`` and, where
    recorded, its ``training_content_sha256`` (see the module)."""
    recorded = config.get(TRAINING_DIGEST_KEY)
    if recorded is None:
        if config.get("kind") == ENCODER_HEAD:  # check_model settles it by the version
            return TrainingCheck(
                COVERED_BY_VERSION, "hashed into the version (this kind's version covers it)"
            )
        return TrainingCheck(
            NOT_RECORDED,
            f"the model records no {TRAINING_DIGEST_KEY} (built before 2026-12-03): a "
            "swapped training record cannot be told apart",
        )
    training = config.get("training") or {}
    now = training_sha256(training)
    wrong = _digest_differs("its training record", now, TRAINING_DIGEST_KEY, recorded)
    content = config.get(TRAINING_CONTENT_KEY)  # hashed into the version (since stop 35)
    if wrong is None and content is not None:
        local = bool(config.get(ENCODER_DIGEST_KEY))
        less = training_content_sha256(training, local)
        # a fine-tuned model built before the thread count was left out hashed it
        if less != content and any(k in training for k in BUILD_FIELDS):
            kept = training_content_sha256(training, local, build_fields=True)
            less = kept if kept == content else less
        wrong = _digest_differs(
            "its training record less where it was built", less, TRAINING_CONTENT_KEY, content
        )
    if wrong is not None:
        return wrong
    return TrainingCheck(MATCH, f"SHA-256 {now[:12]}…, as recorded at training")


def _check_encoder(config: dict[str, Any], kind: str) -> EncoderCheck:
    """The recorded encoder identity against the installed encoder's."""
    from annotate.classifier.encoder_identity import EncoderIdentity, encoder_identity

    ref = config.get("encoder")
    raw = config.get("encoder_identity")
    if kind == FINETUNED:
        return EncoderCheck(
            ref, "not checked", "a fine-tuned model carries its encoder's weights (its version)"
        )
    if not isinstance(raw, dict):
        return EncoderCheck(
            ref, "not checked", "the model records no encoder identity (built before 2026-12)"
        )
    try:
        recorded = EncoderIdentity.model_validate(raw)
    except ValueError as exc:  # pydantic's ValidationError derives from it
        return EncoderCheck(ref, DIFFERS, f"the recorded encoder_identity is not valid ({exc})")
    if not recorded.weights_sha256:
        return EncoderCheck(recorded.ref, "not checked", "no weights digest was recorded")
    try:
        now = encoder_identity(recorded.ref)
    except AnnotateError as exc:
        return EncoderCheck(recorded.ref, NOT_FOUND, f"not installed here ({exc.what})")
    if not now.weights_sha256:
        return EncoderCheck(recorded.ref, NOT_FOUND, "no weights file found on this machine")
    here = " ".join(str(v) for v in (now.package, now.package_version) if v)
    then = " ".join(str(v) for v in (recorded.package, recorded.package_version) if v)
    unpacked = _unpacked_check(recorded.ref)
    if unpacked is not None and unpacked[0] == DIFFERS:
        return EncoderCheck(recorded.ref, DIFFERS, unpacked[1])
    if now.weights_sha256 == recorded.weights_sha256:
        return EncoderCheck(
            recorded.ref,
            MATCH,
            f"weights SHA-256 {now.weights_sha256[:12]}…"
            + (f", {here}" if here else "")
            + ", as trained with"
            + (f" ({unpacked[1]})" if unpacked is not None else ""),
        )
    return EncoderCheck(
        recorded.ref,
        DIFFERS,
        f"the weights installed here (SHA-256 {now.weights_sha256[:12]}…"
        + (f", {here}" if here else "")
        + f") are not the ones the model was trained with (SHA-256 "
        f"{recorded.weights_sha256[:12]}…"
        + (f", {then}" if then else "")
        + "): its scores differ from the model card's",
    )


def _unpacked_check(ref: str) -> tuple[str, str] | None:
    """A split-zip encoder (:mod:`annotate.classifier.packaged`) unpacked here, whose
    identity gives the pinned digest: its folder hashed file by file, the weights
    included, against the pins: (:data:`MATCH` or :data:`DIFFERS`, what). None for
    another encoder, or one not unpacked yet (the parts are checked when unpacked)."""
    from annotate.classifier.packaged import SPLIT_ZIP_ENCODERS, check_unpacked, encoder_dir

    spec = SPLIT_ZIP_ENCODERS.get(ref)
    if spec is None or not (encoder_dir(spec) / spec.weights).is_file():
        return None
    try:
        check_unpacked(spec, encoder_dir(spec), weights=True)
    except ModelError as exc:
        return DIFFERS, str(exc)
    return MATCH, f"the {1 + len(spec.files)} files of {encoder_dir(spec).name} hashed as pinned"


def _root(record: DataSourceRecord) -> Path:
    """The folder ``record.resolved`` is relative to, here: this checkout (when annotate
    runs from one) or the working directory."""
    from annotate.settings import PROJECT_ROOT, in_checkout

    if record.root == ROOT_CHECKOUT and in_checkout():
        return PROJECT_ROOT
    return Path.cwd()


def _tails(relative: str, folder: bool = False) -> list[Path]:
    """``relative`` and its trailing parts without their leading folders, down to a file
    and its folder (a bare file name, ``train.csv``, would match another data set's), or
    down to the folder itself when ``folder`` (an export: its files are named relative to
    it, ``DIR/corpus/manifest.json``); ``..``, ``/`` or ``~`` never leads one: ``a/b/c.tsv`` ->
    ``a/b/c.tsv``, ``b/c.tsv``."""
    parts = Path(relative).parts
    if parts and (Path(relative).is_absolute() or parts[0] == "~"):
        parts = parts[1:]  # an absolute record's (ROOT_ABSOLUTE): its folders, not its root
    last = max(1, len(parts) - (0 if folder else 1))
    return [Path(*parts[i:]) for i in range(last) if ".." not in parts[i:]]


# ``training.data[].kind`` of a source that is a folder whose files are recorded
# relative to it (``annotate.training.sources.SAVED_DATASET``: "saved dataset")
FOLDER_KINDS = ("export", "saved dataset")


def _has_magic(name: str) -> bool:
    return any(c in name for c in "*?[")


def _run_folder(model: Path, training: dict[str, Any]) -> Path | None:
    """The folder ``annotate train`` ran in, found from the model folder by the
    ``run_folder`` it records (models written under it since stop 54); None without."""
    run_folder = training.get(RUN_FOLDER_KEY)
    if not isinstance(run_folder, str) or not run_folder or Path(run_folder).is_absolute():
        return None
    return Path(os.path.normpath(model.absolute() / run_folder))


def _places(
    record: DataSourceRecord, data_root: Path | None, run_folder: Path | None = None
) -> tuple[list[tuple[Path, bool]], list[tuple[Path, bool]]]:
    """(the folders the source's own files are relative to, each with whether it is the
    source's own folder, searched below; the roots a mapping named from the root is
    relative to), in the order they are tried: under ``data_root`` first when given,
    then the recorded root, then the path as given from the config's folder. A source
    recorded relative to the working directory is also looked for under ``run_folder``
    (the folder training ran in, found from the model folder), so a model verifies from
    any working directory; a mapping (recorded relative to the checkout, or else to the
    working directory training ran in) is looked for under the checkout, the working
    directory and ``run_folder``, whatever its source's root."""
    from annotate.settings import PROJECT_ROOT, in_checkout

    root = _root(record)
    # (a root, whether to try the path's trailing parts under it: --data-root's only)
    roots = ([(data_root, True)] if data_root is not None else []) + [(root, False)]
    for other in (PROJECT_ROOT if in_checkout() else None, Path.cwd(), run_folder):
        if other is not None and other not in [r for r, _ in roots]:
            roots.append((other, False))
    if not record.resolved:
        return [], roots
    # an export's (or saved dataset's) files are named relative to its own folder
    folder = record.kind in FOLDER_KINDS
    located = [data_root / t for t in _tails(record.resolved, folder)] if data_root else []
    if (
        data_root is not None
        and record.kind == "export"
        and (data_root / "manifest.json").is_file()
    ):
        # the export itself, kept under another name (``mv corpus corpus-old``), or the
        # one written again since: --data-root is looked in first (_pick_export decides)
        located.insert(0, data_root)
    located.append(located_at(root, record.resolved))
    if record.root == ROOT_CWD and run_folder is not None and run_folder != root:
        located.append(located_at(run_folder, record.resolved))
    if record.given and Path(record.given).is_absolute():
        # an absolute path as given (--data /data/x.csv) names the same place from any
        # checkout; the path relative to the checkout it was trained in may not
        located.append(Path(record.given))
    if record.given and record.given_in and not Path(record.given).is_absolute():
        # the path as the config gives it, from the config's folder here: ``resolved``
        # went through links (``../shared`` a link in a worktree, a folder in the main
        # checkout), so it names another folder in a checkout of the other layout
        located.append(root / Path(record.given_in).parent / record.given)
    bases = []
    for where in located:
        # a pattern (``data/*/*.csv``): the folder before its first wildcard; a file's
        # folder; else a folder (an export, a folder of files)
        parts = where.parts
        wild = next((i for i, part in enumerate(parts) if _has_magic(part)), None)
        if wild is not None:
            base = Path(*parts[:wild])
        elif where.is_file() or (not where.exists() and where.suffix):
            base = where.parent  # a file's folder (a missing one's, by its suffix)
        else:
            base = where
        if base not in [b for b, _ in bases]:
            bases.append((base, base == where and where.is_dir()))
    return bases, roots


NO_MANIFEST = "it holds no manifest.json (not an export)"


def _manifest_of(folder: Path) -> tuple[str | None, str | None] | str:
    """(project title, exported_at) of the export in ``folder``; a string saying why
    not when it holds no readable ``manifest.json``."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return NO_MANIFEST
    except (OSError, ValueError) as exc:
        return f"its manifest.json cannot be read ({exc})"
    if not isinstance(manifest, dict):
        return "its manifest.json is not an export's (not a JSON object)"
    project = manifest.get("project")
    title = project.get("title") if isinstance(project, dict) else None
    when = manifest.get("exported_at")
    return (
        title if isinstance(title, str) else None,
        when if isinstance(when, str) else None,
    )


def source_shown(record: DataSourceRecord) -> str:
    """The data source of ``record`` as a message names it: where its resolved path lies
    here (relative to the working directory when under it, else absolute:
    :func:`annotate._util.shown.shown`), not relative to the checkout
    (``../../../tmp/x/corpus`` from a checkout in /work/a/b); ``record.path`` when no
    resolved path is recorded (models before 2026-12-03)."""
    if not record.resolved:
        return record.path
    return shown(located_at(_root(record), record.resolved))


def _pick_export(
    record: DataSourceRecord, bases: list[tuple[Path, bool]], data_root: Path | None = None
) -> ExportCompared | None:
    """The folder whose files stand for the export ``record`` names, and the candidates
    passed over, each with why: the first of ``bases`` (``--data-root`` first) that holds
    an export of the project the model records (its export time may differ: an export
    written again, or renamed, is compared and said to be so); a folder that holds
    another project's export, or no manifest, is passed over. None when ``record`` is no
    export; ``folder`` None when none of ``bases`` holds one."""
    if record.kind != "export":
        return None
    extra = record.model_extra or {}
    then = extra.get("exported_at") if isinstance(extra.get("exported_at"), str) else None
    project = extra.get("project") if isinstance(extra.get("project"), str) else None
    picked = ExportCompared(source=source_shown(record), folder=None, then=then)
    if data_root is not None and data_root not in [b for b, _ in bases]:
        # not an export itself (no manifest.json): named when no folder is found
        picked.rejected.append((Path(os.path.normpath(data_root)), NO_MANIFEST))
    for base, _ in bases:
        where = Path(os.path.normpath(base))
        if not base.is_dir():
            continue
        found = _manifest_of(base)
        if isinstance(found, str):
            picked.rejected.append((where, found))
            continue
        title, when = found
        if project is not None and title != project:
            picked.rejected.append(
                (
                    where,
                    f"it holds an export of project {title!r}; the model was trained on an "
                    f"export of {project!r}",
                )
            )
            continue
        picked.folder, picked.now = where, when
        break
    return picked


def _find(
    source: str,
    recorded: DataFile,
    bases: list[tuple[Path, bool]],
    roots: list[tuple[Path, bool]],
) -> FileCheck:
    """Where the file ``recorded`` is: under one of ``bases`` (a mapping named from the
    root: also under ``roots``), else the one file below a source's own folder by the
    same relative path (a saved dataset's files are recorded relative to the folder that
    holds its splits)."""
    check = FileCheck(source=source, recorded=recorded)
    candidates = [base / recorded.path for base, _ in bases]
    if recorded.role == "mapping":
        for root, tails in roots:
            candidates += (
                [root / t for t in _tails(recorded.path)] if tails else [root / recorded.path]
            )
    for c in candidates:
        if c.is_file():
            check.found_at = Path(os.path.normpath(c))  # no "checkout/../../data" in messages
            return check
    for base, own in bases:
        if own and not Path(recorded.path).is_absolute():
            below = sorted(p for p in base.rglob(glob.escape(recorded.path)) if p.is_file())
            if len(below) == 1:
                check.found_at = below[0]
                return check
    check.looked_in = [Path(os.path.normpath(c.parent)) for c in candidates]
    return check


def _megabytes(size: int) -> int:
    return -(-size // MEGABYTE)


def _hash_found(files: list[FileCheck], progress: ProgressFn | None) -> None:
    """Size, then SHA-256, of every file found; sets each one's status."""
    found = [f for f in files if f.found_at is not None]
    sizes = {id(f): os.stat(f.found_at).st_size for f in found if f.found_at is not None}
    set_total(progress, sum(_megabytes(s) for s in sizes.values()))
    for f in found:
        assert f.found_at is not None
        size, want = sizes[id(f)], f.recorded
        if size != want.bytes:
            f.status = DIFFERS
            f.what = f"{size} bytes, the model records {want.bytes} (SHA-256 {want.sha256[:12]}…)"
            advance(progress, _megabytes(size))
            continue
        try:
            digest = sha256_file(f.found_at, progress=progress, unit=MEGABYTE)
        except OSError as exc:
            f.status, f.what = DIFFERS, f"cannot be read ({exc.strerror or exc})"
            continue
        if digest == want.sha256:
            f.status = MATCH
        else:
            f.status = DIFFERS
            f.what = (
                f"SHA-256 {digest[:12]}… differs from the {want.sha256[:12]}… the model "
                "records (same size: edited in place)"
            )
