"""The steps the row-based trainers share (``trainer: frozen`` and ``trainer: finetune``):
load rows (annotate.training.rows) -> split -> fit on the train split, calibrate and
choose thresholds on the validation split (the trainer's ``fit``) -> measure the test
split per source (never used to fit anything) -> write the model directory atomically,
with its model card.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd
import torch

from annotate._util.atomic import disk_full_named
from annotate._util.progress import StageFn, finish, stage
from annotate._util.revision import tool_version
from annotate.classifier.turn_text import TRAINING_READING_VERSION
from annotate.corpus.schema import SPLITS, TEST
from annotate.evaluation.metrics import classification_report
from annotate.taxonomy import Taxonomy
from annotate.training.card_limits import CARD_LIMITS_VERSION
from annotate.training.config import TrainConfig, check_config, fit_to_taxonomy
from annotate.training.harmful_rows import require_harmful_passages
from annotate.training.model_folder import (
    discard_on_failure,
    partial_model_folder,
    put_model_in_place,
)
from annotate.training.rows import load_rows
from annotate.training.validation_split import require_fit_splits

if TYPE_CHECKING:
    from annotate.training.train import TrainResult

log = logging.getLogger(__name__)

# the stage of the model card's test pass (the model saved predicts the test split)
TEST_PASS_STAGE = "train (test passages scored)"

# files of the last cross-source evaluation, kept when the model directory is replaced
KEPT_FILES = ("cross_source.json", "cross_source.md")

# fit(train rows, validation rows) -> (fitted model, what the run recorded: device, ...)
FitFn = Callable[[pd.DataFrame, pd.DataFrame], tuple[Any, dict[str, Any]]]


def split_rows(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``rows`` by their ``split`` column (train, validation, test), each indexed from 0.
    Raises TrainingError when the train or validation split is empty."""
    split = {s: rows[rows.split == s].reset_index(drop=True) for s in SPLITS}
    require_fit_splits({k: len(v) for k, v in split.items()})
    log.info("rows: %s", {k: len(v) for k, v in split.items()})
    return split


def _report_by_source(
    pr: np.ndarray, pred: np.ndarray, rows: pd.DataFrame, labels: list[str], tax: Taxonomy
) -> dict[str, Any]:
    """classification_report of scores ``pr`` and decisions ``pred`` (passages x
    ``labels``) against ``rows``' labels: all rows, then ``by_source``."""
    from annotate.training.finetune import label_matrix

    Y = label_matrix(rows)
    y, m = np.clip(Y, 0, 1).astype(np.float32), (Y >= 0).astype(np.float32)
    rep = classification_report(pr, y, m, pred, labels, tax.harmful, tax.context)
    by_src = {}
    for s in sorted(rows.source.unique()):
        sel = (rows.source == s).to_numpy()
        by_src[s] = classification_report(
            pr[sel], y[sel], m[sel], pred[sel], labels, tax.harmful, tax.context
        )
    rep["by_source"] = by_src
    return rep


class Scored(NamedTuple):
    """A model's predictions of ``rows`` (``spans_only`` rows left out): scores ``pr``
    and decisions ``pred`` (passages x the taxonomy's labels)."""

    rows: pd.DataFrame
    pr: np.ndarray
    pred: np.ndarray


def predicted_scores(
    folder: Path,
    tax: Taxonomy,
    rows: pd.DataFrame,
    progress: Callable[[int], None] | None = None,
    **options: Any,
) -> Scored | None:
    """The model saved in ``folder`` predicts ``rows`` as ``annotate evaluate`` and
    ``prelabel`` predict them (:func:`annotate.evaluation.evaluate.predict_passages`: the
    model loaded from its files, its passages as written, in their documents, every
    decision rule of the model applied: the threat grammar, page furniture, an attributed
    quote read as news, quoted blocks read by their content). The model is loaded as
    ``evaluate`` loads it (``options``: none; the loader's precision ``auto``, the one its
    heads were calibrated at). ``progress(n)``: n more passages predicted. None without
    rows."""
    from annotate.classifier.base import PassageInput
    from annotate.classifier.loader import load_classifier
    from annotate.evaluation.evaluate import predict_passages

    if "spans_only" in rows:  # rows that supervise no label
        rows = rows[~rows["spans_only"].astype(bool)].reset_index(drop=True)
    if len(rows) == 0:
        return None
    clf = load_classifier(folder, tax, **options)
    labels = tax.category_names
    written = rows["written_text"] if "written_text" in rows else rows["text"]

    def flag(row: Any, name: str) -> bool | None:
        v = row.get(name) if hasattr(row, "get") else None
        return None if v is None or pd.isna(v) else bool(v)

    def seconds(row: Any, name: str) -> float | None:
        v = row.get(name) if hasattr(row, "get") else None
        return None if v is None or pd.isna(v) else float(v)

    passages = [
        PassageInput(
            id=str(row["id"]),
            text=str(text),
            doc_id=str(row["doc_id"]),
            title=row["title"] if isinstance(row["title"], str) else None,
            passage_index=int(row["passage_index"]),
            conversation=flag(row, "conversation"),
            subtitles=flag(row, "subtitles"),
            cue_start=seconds(row, "cue_start"),
            cue_end=seconds(row, "cue_end"),
        )
        for (_, row), text in zip(rows.iterrows(), written, strict=True)
    ]
    preds = predict_passages(clf, passages, progress)
    pr = np.array([[p.scores[n] for n in labels] for p in preds], np.float32)
    pred = np.array([[float(n in p.labels) for n in labels] for p in preds], np.float32)
    return Scored(rows, pr, pred)


def scored_report(
    scored: Scored, tax: Taxonomy, keep: np.ndarray | None = None
) -> dict[str, Any] | None:
    """classification_report of ``scored`` (all sources, then ``by_source``), of its rows
    where ``keep`` (bool, one per row) is true when given; None when no row is kept."""
    rows, pr, pred = scored
    if keep is not None:
        rows, pr, pred = rows[keep].reset_index(drop=True), pr[keep], pred[keep]
    if len(rows) == 0:
        return None
    rep = _report_by_source(pr, pred, rows, tax.category_names, tax)
    # how the figures were made (the card says so): as `annotate evaluate` makes them
    rep["scored_as"] = "evaluate"
    return rep


def predicted_report(
    folder: Path, tax: Taxonomy, rows: pd.DataFrame, **options: Any
) -> dict[str, Any] | None:
    """classification_report of the model saved in ``folder`` on ``rows`` (all sources,
    then ``by_source``), each passage predicted as ``annotate evaluate`` predicts it
    (:func:`predicted_scores`). So the model card's test tables are the figures
    ``annotate evaluate --split test`` gives the model on the same data (the fitted
    model's ``decide`` alone leaves the rules out: passJ54 M2). None without rows."""
    scored = predicted_scores(folder, tax, rows, **options)
    return None if scored is None else scored_report(scored, tax)


def rows_test_copies(
    split: dict[str, pd.DataFrame], kept: list[np.ndarray] | None = None
) -> dict[str, Any] | None:
    """:func:`annotate.training.held_out_copies.find_test_copies` of the split rows (the
    test rows the report scores: ``spans_only`` rows left out, as :func:`predicted_scores`
    does). ``kept``, when given and some test rows are copies, gets the mask (bool, one per
    scored test row) of the test rows that are no copy: the caller scores them from the
    test pass it makes anyway (``macro_f1_without_copies``,
    ``test_passages_without_copies``: the headline the copies do not inflate, passJ L2)."""
    from annotate.training.held_out_copies import find_test_copies

    parts = []
    for name in SPLITS:
        rows = split[name]
        if name == TEST and "spans_only" in rows:
            rows = rows[~rows["spans_only"].astype(bool)]
        parts.append(rows)
    rows = pd.concat(parts, ignore_index=True)
    copies_at: list[int] = []
    record = find_test_copies(
        rows["text"].tolist(),
        rows["split"].tolist(),
        rows["source"].tolist(),
        rows["id"].tolist(),
        copies_at,
    )
    if record is not None and copies_at and kept is not None:
        start = sum(len(p) for p in parts[: SPLITS.index(TEST)])
        keep = np.ones(len(parts[SPLITS.index(TEST)]), dtype=bool)
        keep[[i - start for i in copies_at]] = False
        kept.append(keep)
    return record


def train_positives(rows: pd.DataFrame, labels: list[str]) -> dict[str, int]:
    """Per label (``labels``: the rows' label-vector order), the rows of ``rows`` (a
    split's training rows, each ``labels`` a 1/0/-1 vector) that have it."""
    from annotate.training.finetune import label_matrix

    y = label_matrix(rows)
    if not len(y):
        return dict.fromkeys(labels, 0)
    return {name: int((y[:, j] > 0).sum()) for j, name in enumerate(labels)}


def training_record(
    cfg: TrainConfig, described: list[dict[str, Any]], ran_on: dict[str, Any]
) -> dict[str, Any]:
    """The ``training`` record of a model trained from ``cfg`` (already cut to its
    taxonomy: :func:`~annotate.training.config.fit_to_taxonomy`): its settings, ``data``
    (``described``: each data source's files, hashes and rows), where it ran (``ran_on``:
    ``device``, ``precision``, ``threads``), torch's and annotate's versions and how the
    examples were read. Its digest (``training_content_sha256``) is hashed into the
    model's version."""
    return {
        **cfg.model_dump(),
        "data": described,
        **ran_on,
        "torch": torch.__version__,
        "annotate": tool_version(),  # with the git revision of a checkout
        # how the examples were read (annotate.training.reading): prelabel and
        # evaluate read passages so; verify warns when this annotate reads otherwise
        "reading": TRAINING_READING_VERSION,
    }


def train_on_rows(
    cfg: TrainConfig,
    out: str | Path,
    tax: Taxonomy,
    fit: FitFn,
    prepare: Callable[[dict[str, pd.DataFrame]], None] | None = None,
    *,
    replace: bool = True,
    scoring: StageFn | None = None,
    allow_no_harmful: bool = False,
) -> TrainResult:
    """Train with ``fit`` (see :data:`FitFn`; the model it returns has ``rules``,
    ``threshold_sources``, ``span_info``, ``fit_info`` and ``save(dir, extra) ->
    version``) and replace the model directory ``out`` whole. ``prepare(split)``, when
    given, is called with the rows of each split before ``fit`` (the frozen trainer
    embeds every text there, in one call). ``replace=False`` (no ``--overwrite``): a
    model another run wrote at ``out`` meanwhile is not replaced
    (:func:`annotate.training.model_folder.put_model_in_place`). ``scoring`` (a
    :data:`annotate._util.progress.StageFn`): asked for the progress of the model card's
    test pass, :data:`TEST_PASS_STAGE`, its total the test passages, when the pass
    begins (every test passage is embedded again there). Raises TrainingError
    (config, empty split, no training passage of the data with a harmful label unless
    ``allow_no_harmful``: :func:`~annotate.training.harmful_rows.require_harmful_passages`,
    ``out`` taken meanwhile), InputError (unreadable data)."""
    from annotate.training.card import write_card
    from annotate.training.train import TrainResult

    t0 = time.time()
    out = Path(out)
    cfg = fit_to_taxonomy(cfg, tax)  # defaulted label settings: the labels tax has
    check_config(cfg, tax)
    rows, described = load_rows(cfg, tax)
    split = split_rows(rows)
    require_harmful_passages(split["train"], tax, allow=allow_no_harmful)
    if prepare is not None:
        prepare(split)
    model, ran_on = fit(split["train"], split["validation"])
    kept: list[np.ndarray] = []  # the test rows no copy of a training row (a mask)
    metrics = {
        # the test tables: after the model is saved, from the model saved (below)
        "test": None,
        # test passages whose text a train or validation row has (another source's)
        "test_copies": rows_test_copies(split, kept),
        "threshold_rules": model.rules,
        # per label: threshold fitted on validation, or the fallback (too few there)
        "threshold_sources": model.threshold_sources,
        "spans": model.span_info,
        "fit": model.fit_info,
        "examples": {k: len(v) for k, v in split.items()},
        # per label: training rows that have it (labels.yaml's examples and the other
        # derived rows included); a label with none is not learned (untrained_labels)
        "train_positives": train_positives(split["train"], tax.category_names),
        "card_limits": CARD_LIMITS_VERSION,  # the card writes its generated limitations
    }
    training = training_record(cfg, described, ran_on)
    # the build's wall time is a metric, not a setting: in ``training`` it would move
    # ``training_sha256``, hence the version, on every rebuild of the same model
    metrics["seconds"] = round(time.time() - t0, 1)
    tmp = partial_model_folder(out)
    try:
        version = model.save(tmp, {"training": training, "metrics": metrics})
        # the test tables as `annotate evaluate` gives them for the model saved (its
        # decision rules applied), then the model's files again with them (metrics are
        # not in the version: the same version). One pass over the test split: the figure
        # without copies is scored from its predictions (each passage predicted in its
        # whole document), as the headline is.
        test_rows = split["test"]
        if "spans_only" in test_rows:  # rows that supervise no label: not scored
            test_rows = test_rows[~test_rows["spans_only"].astype(bool)]
        scoring_stage = (
            stage(scoring, TEST_PASS_STAGE, unit="passage", total=len(test_rows))
            if len(test_rows)
            else None
        )
        scored = predicted_scores(tmp, tax, test_rows.reset_index(drop=True), scoring_stage)
        finish(scoring_stage)  # (on an error, the CLI's bars say the stage stopped)
        if scored is not None:
            metrics["test"] = scored_report(scored, tax)
            if kept and metrics["test_copies"]:
                clean = scored_report(scored, tax, kept[0])
                metrics["test_copies"]["macro_f1_without_copies"] = (
                    clean["macro_f1"] if clean else None
                )
                metrics["test_copies"]["test_passages_without_copies"] = clean["n"] if clean else 0
            version = model.save(tmp, {"training": training, "metrics": metrics})
        for name in KEPT_FILES:
            if (out / name).is_file():
                shutil.copy2(out / name, tmp / name)
        write_card(tmp, version)
        # the previous model's own files are replaced; a user's notes in the folder stay
        kept = put_model_in_place(tmp, out, version, replace=replace)
    except BaseException as exc:
        named = disk_full_named(exc, tmp, out)  # a full disk: named by --out
        if named is not None:
            raise named from exc
        raise
    finally:
        discard_on_failure(tmp)  # gone already once renamed into place (or kept aside)
    secs = time.time() - t0
    log.info("trained %s in %.0f s", version, secs)
    return TrainResult(out, version, metrics, secs, kept)
