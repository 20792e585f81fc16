"""model_card.md for a trained encoder-head model, written from its config and metrics."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from annotate._util.plural import counted
from annotate.audit.markdown import table_row
from annotate.corpus.schema import SPLITS
from annotate.evaluation.card_values import limitation_text

INTENDED_USE = """\
Pre-labeling passages for **human review** in Label Studio: the scores order the
review queue and the labels/spans are suggestions a reviewer confirms or corrects.
It is not meant to take moderation decisions on its own, and its scores are not
evidence about a person."""


def untrained_labels(config: dict[str, Any]) -> list[str]:
    """Labels (but the none label) no training row of ``annotate_model.json`` had: the
    model has not learned them. Empty when the training data is not recorded per label,
    or when labels.yaml's examples were trained on too, unless the fit counted each
    label's training rows (``metrics.train_positives``, derived rows included: a label
    added to labels.yaml without examples and absent from the data is named)."""
    positives = (config.get("metrics") or {}).get("train_positives")
    if isinstance(positives, dict):
        return [
            n for n in config["labels"] if not positives.get(n) and n != config.get("none_label")
        ]
    tr = config.get("training") or {}
    if tr.get("taxonomy_examples_weight") or not all(
        "label_counts" in d for d in tr.get("data") or [{}]
    ):
        return []
    seen = {k for d in tr["data"] for k, v in d["label_counts"].get("train", {}).items() if v}
    return [n for n in config["labels"] if n not in seen and n != config.get("none_label")]


def untrained_line(config: dict[str, Any]) -> list[str]:
    """The model card's limitation line for :func:`untrained_labels` (none: [])."""
    missing = untrained_labels(config)
    if not missing:
        return []
    return [
        "- No training example of "
        + ", ".join(f"`{n}`" for n in missing)
        + ": the model has not learned "
        + ("it" if len(missing) == 1 else "them")
        + " and its scores for "
        + ("it" if len(missing) == 1 else "them")
        + " mean nothing; review passages of "
        + ("that label" if len(missing) == 1 else "those labels")
        + " and train again."
    ]


DEFAULT_THRESHOLD_RULE = "default (no validation positives)"  # classifier.head's rule


def threshold_sources(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``annotate_model.json``'s per-label threshold sources (``metrics.threshold_sources``:
    ``source`` "validation" / "fallback" / "not used", ``validation_positives``,
    ``validation_negatives``, ``threshold``); {} for a model trained before they were
    recorded."""
    return dict((config.get("metrics") or {}).get("threshold_sources") or {})


def fallback_labels(config: dict[str, Any]) -> list[str]:
    """Labels whose threshold is the fallback, not fitted on validation: too few
    validation positives or negatives (``operating_point.min_validation_positives`` /
    ``min_validation_negatives``); for a model trained before threshold sources were
    recorded, those with the old default rule (no validation positive)."""
    src = threshold_sources(config)
    labels = [str(n) for n in config.get("labels") or []]
    if src:
        return [n for n in labels if (src.get(n) or {}).get("source") == "fallback"]
    rules = (config.get("metrics") or {}).get("threshold_rules") or {}
    return [n for n in labels if rules.get(n) == DEFAULT_THRESHOLD_RULE]


def uncalibrated_labels(config: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Labels of ``annotate_model.json`` whose validation examples could not fit their
    calibration but whose threshold was fitted there, and those whose threshold is the
    fallback (:func:`fallback_labels`, never calibrated either): (identity Platt, i.e. the
    head's raw probability; fallback threshold)."""
    cal = config.get("calibration") or {}
    labels = [str(n) for n in config.get("labels") or []]
    default = fallback_labels(config)
    raw = [
        n
        for n in labels
        if isinstance(cal.get(n), dict)
        and (cal[n].get("a"), cal[n].get("b")) == (1.0, 0.0)
        and n not in default
    ]
    return raw, default


def fallback_descriptions(config: dict[str, Any]) -> list[str]:
    """Per :func:`fallback_labels` label: "`name` (1 validation positive, 16 negatives)"
    (the counts left out for a model that did not record them)."""
    src = threshold_sources(config)
    out = []
    for n in fallback_labels(config):
        s = src.get(n) or {}
        if "validation_positives" in s:
            counts = (
                f" ({counted(s['validation_positives'], 'validation positive')}, "
                f"{counted(s['validation_negatives'], 'negative')})"
            )
        else:
            counts = " (no validation positive)"
        out.append(f"`{n}`{counts}")
    return out


def fallback_rule_text(config: dict[str, Any]) -> tuple[str, str]:
    """(the minimums, e.g. "5 validation positives and 5 negatives"; the fallback
    threshold, e.g. "0.5") of ``annotate_model.json``'s operating point (the code
    defaults for a model trained before they existed)."""
    from annotate.training.config import OperatingPoint

    op = OperatingPoint.model_validate(
        {
            k: v
            for k, v in ((config.get("training") or {}).get("operating_point") or {}).items()
            if k in OperatingPoint.model_fields
        }
    )
    return (
        f"{counted(op.min_validation_positives, 'validation positive')} and "
        f"{counted(op.min_validation_negatives, 'negative')}",
        f"{op.fallback_threshold:g}",
    )


def all_harmful_fall_back(config: dict[str, Any]) -> bool:
    """Whether every harmful label of ``annotate_model.json`` has the fallback threshold
    (:func:`fallback_labels`): no label the review queue is ordered by was fitted."""
    harmful = [str(n) for n in config.get("harmful") or []]
    fell = set(fallback_labels(config))
    return bool(harmful) and all(n in fell for n in harmful)


def fallback_thresholds_said(config: dict[str, Any], whose: str = "its", aside: str = "") -> str:
    """The console's account of :func:`fallback_labels` ("" when there are none), e.g.
    "the thresholds of violent_threat (0 validation positives, 4 negatives), incitement
    (...) are the fallback 0.5 on uncalibrated scores, not fitted on validation (fitting
    needs at least 5 validation positives and 5 negatives)"; it starts "none of its
    harmful labels has a fitted threshold: " (``whose``: "its") when
    :func:`all_harmful_fall_back`; ``aside`` goes inside the closing parenthesis. What
    `annotate train`, `annotate prelabel` and `annotate verify MODEL` warn with."""
    fell = [d.replace("`", "") for d in fallback_descriptions(config)]
    if not fell:
        return ""
    need, fallback = fallback_rule_text(config)
    one = len(fell) == 1
    lead, others = "", ""
    if all_harmful_fall_back(config):
        lead = f"none of {whose} harmful labels has a fitted threshold: "
        # the harmful ones after that lead; the others apart, not read as harmful ones
        # (news_reporting and counter_speech were listed among them: passF52 F8)
        harmful = {str(n) for n in config.get("harmful") or []}
        context = {str(n) for n in config.get("context") or []}
        names = fallback_labels(config)
        rest = [d for n, d in zip(names, fell, strict=True) if n not in harmful]
        fell = [d for n, d in zip(names, fell, strict=True) if n in harmful]
        one = len(fell) == 1
        if rest:
            kind = "context" if all(n in context for n in names if n not in harmful) else "other"
            others = f" (and those of the {kind} label{'' if len(rest) == 1 else 's'} " + (
                f"{', '.join(rest)})"
            )
    return (
        f"{lead}the threshold{'' if one else 's'} of {', '.join(fell)}{others} "
        f"{'is' if one and not others else 'are'} the fallback {fallback} on uncalibrated "
        f"scores, not fitted on validation (fitting needs at least {need}{aside})"
    )


def fallback_warning(config: dict[str, Any], model: str) -> str:
    """The warning ("" if none) of a tool that labels passages with model ``model`` (its
    version or folder) whose ``annotate_model.json`` ``config`` records fallback thresholds
    (:func:`fallback_thresholds_said`): their labels are unreliable. `annotate prelabel`
    says it once per run, `annotate verify MODEL` once per model."""
    said = fallback_thresholds_said(config)
    if not said:
        return ""
    one = len(fallback_labels(config)) == 1
    them = "it" if one else "them"
    return (
        f"model {model}: {said}, because its training data had too few validation "
        f"examples of {them}. Its labels for {them} are unreliable (the raw scores of a "
        "model trained on few passages sit near the fallback, so ordinary text can cross "
        "it) and a riskiest-first review queue can fill with false flags: review more "
        f"passages of {them} and train again, or read {'its' if one else 'their'} scores as "
        "a ranking only (the model card lists them)."
    )


def reading_warning(training: Any, model: str) -> str:
    """The warning ("" if none) of a tool that scores passages with model ``model`` (its
    version or folder) whose training record (``training``, as :func:`annotate.classifier.
    base.training_record` reads it) says its examples were read otherwise than this
    annotate reads a passage (``reading``: :data:`annotate.classifier.turn_text.
    TRAINING_READING_VERSION`, the part of prelabel's reading that train gives its
    examples; a record without it: trained on the text as written, before
    ``annotate train`` read examples as prelabel does). "" for a model with no training
    record (a hub model). `annotate prelabel` says it once per run, `annotate verify
    MODEL` once per model."""
    from annotate.classifier.turn_text import TRAINING_READING_VERSION
    from annotate.prelabel_parts import read_as

    if not isinstance(training, Mapping) or not training:
        return ""
    recorded = training.get("reading")
    if recorded == TRAINING_READING_VERSION:
        return ""
    was = (
        f"passages read as {read_as(recorded)}"
        if "reading" in training
        else "its passages' text as written (trained before annotate recorded how it read them)"
    )
    return (
        f"model {model} was trained on {was}; this annotate scores "
        f"passages {read_as(TRAINING_READING_VERSION)}, so the model is given text it was not "
        "trained on (subtitle cues and transcripts most). Train it again with this "
        "annotate (`annotate train --config ...`) to train on what it is given."
    )


def cross_fitted_said(config: dict[str, Any]) -> str:
    """Which labels' thresholds were cross-fitted ("" if none), e.g. "violent_threat (2
    validation positives; 18 positives out of fold and in validation), incitement (...)
    ... fitted on out-of-fold predictions over the training documents (5 folds by
    document) pooled with validation, their validation alone being too thin"
    (:mod:`annotate.training.cross_fit`); every other label's threshold source is in
    the card's threshold table. What `annotate train` notes and the card says."""
    src = threshold_sources(config)
    fitted = [(n, s) for n, s in src.items() if (s or {}).get("source") == "cross-fitted"]
    if not fitted:
        return ""
    folds = max(int(s.get("cross_fit_folds", 0)) for _, s in fitted)
    one = len(fitted) == 1
    listed = ", ".join(
        f"{n} ({counted(s['validation_positives'], 'validation positive')}; "
        f"{counted(s['cross_fit_positives'], 'positive')} out of fold and in validation)"
        for n, s in fitted
    )
    return (
        f"the threshold{'' if one else 's'} of {listed} {'was' if one else 'were'} fitted "
        f"on out-of-fold predictions over the training documents ({folds} folds by "
        "document) pooled with validation, validation alone having too few positives; "
        "the other labels' thresholds were fitted on validation, or are the fallback"
    )


# why a fine-tuned model's thin labels keep the fallback (annotate.training.finetune)
FINETUNE_NOT_CROSS_FITTED = (
    "the fine-tune trainer does not cross-fit thresholds as the frozen trainer does: each "
    "of the 5 folds would be a fine-tune of its own (measured on a 258-passage export: "
    "1,329 s on top of a 315 s fit), and its out-of-fold models are other models than the "
    "one calibrated: on 93 passages reviewed later, macro F1 0.446 with the fallback, "
    "0.401 cross-fitted (counter_speech 0.42 -> 0). Train with `trainer: frozen` (it "
    "cross-fits them), or review more passages of them"
)


def finetune_fallback_said(config: dict[str, Any]) -> str:
    """Why a fine-tuned model's fallback labels (:func:`fallback_labels`) were not
    cross-fitted ("" for another trainer, or no fallback label): what `annotate train`
    notes and the card says under its threshold fallback."""
    trainer = (config.get("training") or {}).get("trainer")
    if trainer != "finetune" or not fallback_labels(config):
        return ""
    return FINETUNE_NOT_CROSS_FITTED


def uncalibrated_lines(config: dict[str, Any]) -> list[str]:
    """The card's note under the threshold table for :func:`uncalibrated_labels` ([]
    when every label was calibrated on validation and has a fitted threshold)."""
    from annotate.classifier.head import PLATT_MIN_EXAMPLES

    raw, default = uncalibrated_labels(config)
    out = []
    if said := cross_fitted_said(config):
        out.append(
            "**Cross-fitted thresholds**: "
            + said.replace("the threshold", "The threshold", 1)
            + "."
        )
    if raw:
        out.append(
            "Not calibrated (fewer than "
            f"{PLATT_MIN_EXAMPLES} validation passages with, or without, the label): "
            + ", ".join(f"`{n}`" for n in raw)
            + "; their scores are the head's own probabilities (class-weighted, so "
            "inflated for rare labels), not calibrated ones: read them as a ranking."
        )
    if default:
        need, fallback = fallback_rule_text(config)
        out.append(
            "**Threshold fallback** (a label's threshold and calibration are fitted on "
            f"validation only with at least {need}): "
            + ", ".join(fallback_descriptions(config))
            + f"; their thresholds are the fixed fallback {fallback}, not chosen on "
            "validation, and their scores the head's own probabilities: review more "
            "passages of them and train again before trusting their labels."
        )
    if said := finetune_fallback_said(config):
        out.append("**Not cross-fitted**: " + said[0].upper() + said[1:] + ".")
    return [line for note in out for line in ("", note)]


def limitation_lines(config: dict[str, Any]) -> list[str]:
    """Known limitations: the ones that follow from this model's encoder, data and
    thresholds, then the ones its training config states (``limitations:``)."""
    tr = config["training"]
    met = config["metrics"]
    op = config["operating_point"]
    out = [
        f"- The encoder is frozen (`{config['encoder']}`, {config['encoder_max_length']} "
        "tokens max per passage); longer passages are truncated, and the head can only "
        "separate what the frozen embeddings and the context features separate."
    ]
    if any(d.get("mapping") for d in tr["data"]):
        out.append(
            "- Public tables were mapped onto this taxonomy by rules (listed above); the "
            "mapping is an approximation, and their original labels are noisy."
        )
    fell_back = [n for n, r in met.get("threshold_rules", {}).items() if "unreachable" in r]
    if fell_back and op.get("harmful_min_recall") is not None:
        out.append(
            f"- On validation, recall >= {op['harmful_min_recall']} with precision >= "
            f"{op.get('harmful_min_precision')} was out of reach for "
            + ", ".join(f"`{n}`" for n in fell_back)
            + ": their thresholds follow the F1 rule, so their recall is well below "
            f"{op['harmful_min_recall']} (see the held-out results)."
        )
    small = [
        f"{src} (n={rep['n']})"
        for src, rep in (met.get("test") or {}).get("by_source", {}).items()
        if rep["n"] < 200
    ]
    if small:
        out.append("- Small test sets have wide confidence intervals: " + ", ".join(small) + ".")
    out.append(
        "- Evidence spans are candidate sentences and quotations scored by a small head; "
        "they are coarse (whole sentences or whole quotations). A fired threat, incitement "
        "or propaganda label always carries its best-scoring segment as evidence, even below "
        "the span threshold (its score says how sure)."
    )
    out += untrained_line(config)
    from annotate.training.card_limits import borrowed_limitation_lines, generated_limitation_lines

    out += generated_limitation_lines(config)
    out += borrowed_limitation_lines(config)
    out += [f"- {limitation_text(line, config, None)}" for line in tr.get("limitations", [])]
    return out


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


# a label with fewer gold positives than this is flagged in the metric tables: one
# passage moves its recall by more than 20 points (as operating_point's minimum of 5
# validation positives for fitting a threshold)
FEW_POSITIVES = 5

UNDEFINED_NOTE = (
    "– undefined, not 0: recall and F1 need at least one gold positive (support 0), "
    "precision at least one passage the model gave the label."
)
FEW_NOTE = (
    f"\\* fewer than {FEW_POSITIVES} gold positives: one passage moves recall by 20 points "
    "or more, so these figures say little."
)


def metrics_table(rep: dict[str, Any], labels: list[str]) -> list[str]:
    """Per label (scored on at least one passage): support, precision, recall, F1, AUPRC,
    ECE, "–" where undefined (None); a support of 1 to :data:`FEW_POSITIVES` - 1 is
    starred. Footnotes below the table say what "–" and "*" mean when it has them."""
    lines = [
        "| label | support | precision | recall | F1 | AUPRC | ECE |",
        "|---|---|---|---|---|---|---|",
    ]
    undefined = few = False
    for name in labels:
        m = rep["per_label"].get(name)
        if m is None or m["n"] == 0:
            continue
        cells = [m["precision"], m["recall"], m["f1"]]
        undefined |= any(v is None for v in cells)
        star = "\\*" if 0 < m["support"] < FEW_POSITIVES else ""
        few |= bool(star)
        lines.append(
            table_row(
                [
                    name,
                    f"{m['support']}{star}",
                    *(_fmt(m[k]) for k in ("precision", "recall", "f1", "auprc", "ece")),
                ]
            )
        )
    for note in [UNDEFINED_NOTE] * undefined + [FEW_NOTE] * few:
        lines += ["", note]
    return lines


def context_lines(rep: dict[str, Any]) -> list[str]:
    out = []
    for c, v in rep.get("context_confusion", {}).items():
        if v["n"]:
            out.append(
                f"- gold `{c}` passages (no harmful gold label, n={v['n']}): "
                f"false-flag rate (any harmful label predicted) **{_fmt(v['false_flag_rate'])}**; "
                + ", ".join(f"{h} {_fmt(r)}" for h, r in v["harmful_label_rate"].items())
            )
    return out


def threshold_table(labels: list[str], config: dict[str, Any], met: dict[str, Any]) -> list[str]:
    """The card's threshold table: per label, its threshold, the rule that chose it and,
    where the model records it, its threshold source (validation / fallback) with the
    validation positives and negatives it saw."""
    src = threshold_sources(config)
    if not src:
        return [
            "| label | threshold | rule |",
            "|---|---|---|",
            *(
                table_row([name, config["thresholds"][name], met["threshold_rules"].get(name, "")])
                for name in labels
            ),
        ]
    rows = []
    for name in labels:
        s = src.get(name) or {}
        rows.append(
            table_row(
                [
                    name,
                    config["thresholds"][name],
                    s.get("source", ""),
                    s.get("validation_positives", ""),
                    s.get("validation_negatives", ""),
                    met["threshold_rules"].get(name, ""),
                ]
            )
        )
    return [
        "| label | threshold | threshold source | validation positives | negatives | rule |",
        "|---|---|---|---|---|---|",
        *rows,
    ]


def training_data_lines(data: list[dict[str, Any]]) -> list[str]:
    """One Markdown bullet per training source of ``annotate_model.json``'s
    ``training.data`` (name, kind, mapping, licence, citation, rows, label counts per
    split), followed by the mapping's own description lines."""
    lines: list[str] = []
    for d in data:
        counts = split_counts(d)
        name = Path(d["path"]).name
        if d.get("name"):
            name = f"{d['name']}: {name}"
        lic = f", licence {d['license']}" if d.get("license") else ""
        licences = d.get("licenses") if isinstance(d.get("licenses"), dict) else None
        if licences is not None:  # an export or a table: its passages' licences
            shown = [f"{name} {counted(n, 'passage')}" for name, n in licences.items()]
            lic = f", licences: {', '.join(shown) or 'no passage'}"
            if d.get("license_source"):  # e.g. project-written data: the project's licence
                lic += f" ({d['license_source']})"
        elif d.get("kind") == "native":  # a table in the project's format without one
            lic = ", licence not recorded"
        cite = f" — {d['citation']}" if d.get("citation") else ""
        mp = f", mapping `{Path(d['mapping']).name}`" if d.get("mapping") else ""
        if d.get("manifest_sha256"):  # an export: which corpus exactly (annotate verify)
            of = f", project {d['project']!r}" if d.get("project") else ""
            at = f", exported {d['exported_at']}" if d.get("exported_at") else ""
            mp += f"{of}{at}, manifest.json SHA-256 `{d['manifest_sha256']}`"
        if d.get("kind") == "span examples":
            lines.append(span_examples_line(d))
            continue
        lines.append(f"- **{name}** ({d['kind']}{mp}{lic}){cite}: {d['rows']} rows. {counts}")
        if isinstance(d.get("review_caveats"), dict) and d["review_caveats"]:
            from annotate.training.sources.exports import caveats_sentence

            lines.append(
                f"  Review caveats (from the export's manifest.json): "
                f"{caveats_sentence(d['review_caveats'])}."
            )
        from annotate.training.prelabel_answers import card_line
        from annotate.training.sources.export_taxonomy import taxonomy_read_lines

        lines += card_line(d)
        lines += taxonomy_read_lines(d)
        if licences and licences.get("unknown"):
            why = (
                "their rows have no value in the table's `license` column"
                if d.get("kind") == "native"
                else "their documents were ingested without one (`annotate ingest "
                "--license`, or a `license` column)"
            )
            lines.append(
                f"  Licence unknown for {counted(licences['unknown'], 'passage')}: {why}; "
                "check the terms before sharing this model or its data."
            )
        elif d.get("kind") == "native" and licences is None:
            lines.append(
                "  Licence not recorded: the table has no `license` column (nor Parquet "
                "`license` metadata); check the terms before sharing this model or its data."
            )
        lines += data_file_lines(d)
        if d.get("mapping"):
            lines += mapping_lines(d["mapping"], d)
    return lines


def split_counts(d: dict[str, Any]) -> str:
    """A training-data entry's label counts per split (``test: none 3, violent_threat 2;
    train: ...``), and its rows with no label per split where the entry records them
    (``unlabelled_counts``: a source of negatives, such as a mapped data set's rows that
    are negatives for some labels only, ``negatives_for``): "test: no label 1437
    (negatives for violent_threat, incitement)" instead of an empty "test: " (passD51 D3)."""
    labelled = d.get("label_counts") or {}
    unlabelled = d.get("unlabelled_counts") or {}
    negatives = d.get("negatives_for")
    what = f" (negatives for {', '.join(negatives)})" if negatives else ""
    parts = []
    for split in sorted(set(labelled) | set(unlabelled)):
        shown = [f"{k} {v}" for k, v in sorted((labelled.get(split) or {}).items())]
        if unlabelled.get(split):
            shown.append(f"no label {unlabelled[split]}{what}")
        parts.append(f"{split}: " + ", ".join(shown))
    return "; ".join(parts)


def span_examples_line(d: dict[str, Any]) -> str:
    """The card's bullet for the ``span examples`` entry of ``training.data``: what its
    row count counts (own-voice spans made passages of their own, for the category
    heads) and, where recorded, the gold spans the evidence-span model is trained on
    (quoted ones included), which that count does not include."""
    line = (
        f"- **{d['path']}** (span examples): {counted(d['rows'], 'extra training row')} for "
        "the category heads: each own-voice gold span (a `span_categories` label, at least "
        "12 characters, in a training passage that has its category) as a passage of its own."
    )
    if "gold_spans" in d:
        line += (
            " The evidence-span model is trained on the gold spans of the training passages "
            f"themselves, quoted ones included: {counted(d['gold_spans'], 'span')} in "
            f"{counted(d['passages_with_spans'], 'passage')}."
        )
    return line


FILES_SHOWN = 20  # files listed per data source (annotate_model.json lists them all)


def resolved_against(root: str | None) -> str:
    """What a training source's resolved path is relative to, as the card says it
    (``training.data[].root``). It was "relative to the checkout", read as the reader's
    own: the path is the trainer's (the shipped models were trained in another folder,
    and an installed package has no checkout; stop 48)."""
    from annotate.training.data_files import ROOT_ABSOLUTE, ROOT_CHECKOUT, ROOT_CWD

    if root == ROOT_CHECKOUT:
        return (
            "relative to the annotate source checkout `annotate train` ran from, on the "
            "machine that trained the model"
        )
    if root == ROOT_CWD:
        return "relative to the folder `annotate train` ran in"
    if root == ROOT_ABSOLUTE:
        return (
            "outside the checkout and the folder `annotate train` ran in, on the machine "
            "that trained the model; `~` its user's home folder"
        )
    return f"relative to the {root}"


def data_file_lines(entry: dict[str, Any]) -> list[str]:
    """Where a training source was and which files it read, as ``training.data`` records
    them (:class:`annotate.training.data_files.DataSourceRecord`): the path as given, the
    resolved path and its root, and each file's rows and SHA-256 (``sha256sum`` checks
    them). None for a model trained before these were recorded."""
    from annotate.training.data_files import read_records

    records = read_records([entry])
    if not records or (not records[0].files and records[0].given is None):
        return []
    rec = records[0]
    given = f"given as `{rec.given}`" + (f" in `{rec.given_in}`" if rec.given_in else "")
    out = [f"  Data: {given}; resolved `{rec.resolved}` ({resolved_against(rec.root)})."]
    for f in rec.files[:FILES_SHOWN]:
        rows = f", {f.rows} rows" if f.rows is not None else ""
        out.append(f"  - `{f.path}` ({f.role}{rows}, {f.bytes} bytes): SHA-256 `{f.sha256}`")
    if len(rec.files) > FILES_SHOWN:
        out.append(
            f"  - ... and {len(rec.files) - FILES_SHOWN} more files (`annotate_model.json` "
            "`training.data`)."
        )
    return out


def _mapping_file(mapping_path: str) -> Path:
    """Where the mapping ``training.data[].mapping`` names is: the path as recorded, else,
    for a relative one, under the checkout (``display_path`` records a mapping passed
    by its absolute path relative to the checkout, whatever folder train ran in)."""
    from annotate.settings import PROJECT_ROOT, in_checkout

    p = Path(mapping_path)
    if not p.is_file() and not p.is_absolute() and in_checkout():
        return PROJECT_ROOT / p
    return p


# a published split file's stem: the split names and their common other spellings
SPLIT_NAMES = (*SPLITS, "valid", "dev")


def split_line(m: dict[str, Any], entry: dict[str, Any] | None) -> str:
    """How a mapped source's rows were split, for the card: the config's or mapping's
    fixed split, else the seeded re-split (the mapping's ``split:``). A source published
    as train/validation/test files (``entry``'s files named so) is re-split all the same,
    so its test rows here are not its published test set (passJ54 L4)."""
    fixed = (entry or {}).get("split") or (m.get("split") or {}).get("fixed")
    if fixed:
        return f"  Split: every row in the {fixed} split (set in the config or mapping)."
    spec = m.get("split") or {}
    v, t = float(spec.get("validation", 0.1)), float(spec.get("test", 0.1))
    link = spec.get("link") or []
    by = (
        f"rows linked through {' / '.join(f'`{c}`' for c in link)} kept together"
        if link
        else f"by `{spec['by']}`"
        if spec.get("by")
        else "by text"
    )
    from annotate.training.data_files import read_records

    records = read_records([entry]) if entry else []
    names = sorted(
        Path(f.path).name
        for f in (records[0].files if records else [])
        if f.role == "data" and Path(f.path).stem.lower() in SPLIT_NAMES
    )
    published = (
        f"; the source's own split ({', '.join(f'`{n}`' for n in names)}) is not kept: its "
        "files are read together and split again, so the test rows here are not its "
        "published test set"
        if names
        else ""
    )
    return (
        f"  Split: seeded hash, {by} (validation {v:.0%}, test {t:.0%}, the rest train){published}."
    )


def mapping_lines(mapping_path: str, entry: dict[str, Any] | None = None) -> list[str]:
    """The rules of a mapping file, one line each (first match wins), then how its rows
    were split (:func:`split_line`, with the training-data ``entry``); [] when it cannot
    be read."""
    import yaml

    try:
        m = yaml.safe_load(_mapping_file(mapping_path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return []
    out = [f"  Mapping `{Path(mapping_path).name}` (first matching rule wins):"]
    if m.get("description"):
        out.insert(0, f"  {' '.join(str(m['description']).split())}")
    for r in m.get("rules", []):
        when = ", ".join(f"{k}={v}" for k, v in (r.get("when") or {}).items()) or "any other row"
        if r.get("drop"):
            out.append(f"  - {when} -> dropped")
            continue
        extra = []
        if r.get("unknown"):
            extra.append("not supervised: " + ", ".join(r["unknown"]))
        if r.get("span"):
            extra.append(f"whole post = `{r['span']}` evidence")
        labels = ", ".join(r.get("labels", []))
        if not labels:  # a rule of negatives: no label, some labels known (passD51 D3)
            known = r.get("known")
            labels = (
                f"no label: a negative for {', '.join(known)} only, every other label unknown"
                if known
                else "no label (a negative for every label)"
            )
        out.append(f"  - {when} -> {labels}" + (f" ({'; '.join(extra)})" if extra else ""))
    if m.get("unknown"):
        out.append(f"  - never supervised by this source: {', '.join(m['unknown'])}")
    if m.get("sample_train"):
        caps = ", ".join(
            f"{k or 'rows without a label'} <= {v}" for k, v in m["sample_train"].items()
        )
        out.append(f"  - training rows subsampled (seeded): {caps}; validation/test rows are not")
    if has_held_out_rows(m, entry):
        out.append(split_line(m, entry))
    return out


def has_held_out_rows(m: dict[str, Any], entry: dict[str, Any] | None) -> bool:
    """Whether a mapped source has rows in a split the card's test tables could show: a
    fixed split, or a validation or test share above 0 (a source wholly in train, e.g.
    isis-twitter, needs no split line)."""
    spec = m.get("split") or {}
    if (entry or {}).get("split") or spec.get("fixed"):
        return True
    return float(spec.get("test", 0.1)) > 0 or float(spec.get("validation", 0.1)) > 0


def recall_lines(rep: dict[str, Any], harmful: list[str]) -> list[str]:
    return [
        f"- recall of `{h}`: **{_fmt(rep['per_label'][h]['recall'])}** "
        f"(n={rep['per_label'][h]['support']}, precision {_fmt(rep['per_label'][h]['precision'])})"
        for h in harmful
        if rep["per_label"].get(h, {}).get("support")
    ]


def span_table(validation: dict[str, dict[str, Any]]) -> list[str]:
    """The card's evidence-span table: per span label, support, threshold and validation
    precision / recall / F1 at that threshold ("–" where undefined); where the model
    records them, the threshold's source (validation / fallback) and the validation
    positives and negatives (segments) it saw."""
    # models before 2026-12-04 record no threshold source: their table has no such columns
    sourced = any("source" in v for v in validation.values())
    extra = ["threshold source", "validation positives", "negatives"] if sourced else []
    head = ["span label", "support", "threshold", *extra, "precision", "recall", "F1"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, v in validation.items():
        seen = [v.get(k, "") for k in ("source", "validation_positives", "validation_negatives")]
        cells = [name, v["support"], v["threshold"], *(seen if sourced else [])]
        cells += [_fmt(v["precision"]), _fmt(v["recall"]), _fmt(v["f1"])]
        lines.append(table_row(cells))
    return lines


def scored_as_lines(test: dict[str, Any]) -> list[str]:
    """How the test tables were made, as train recorded it (``scored_as``): ``evaluate``,
    each passage predicted as ``annotate evaluate`` predicts it
    (annotate.training.row_training.predicted_report); ``heads``, by the fitted heads and
    thresholds alone, before the decision rules applied at prediction time (the
    encoder-head trainer). A model trained before the record: no line (its card as it
    was written)."""
    how = test.get("scored_as")
    if how == "evaluate":
        said = (
            "Each test passage is predicted as `annotate evaluate --split test` and "
            "`prelabel` predict it (the model's decision rules applied), so `annotate "
            "evaluate` gives these figures for this model on the same data."
        )
    elif how == "heads":
        said = (
            "Heads only: each test passage is scored by the fitted heads and thresholds, "
            "before the decision rules that `annotate evaluate` and `prelabel` apply, so "
            "`annotate evaluate --split test` can give other figures for this model on the "
            "same data."
        )
    else:
        return []
    return [said, ""]


def held_out_lines(
    test: dict[str, Any] | None, labels: list[str], harmful: list[str], *, detailed: bool
) -> list[str]:
    """The held-out results section's body: the metrics table of all test sources, the
    false-flag and recall lines, then one table per source. ``detailed``: with macro F1
    and ECE, and the false-flag and recall lines of each source too."""
    if test is None:
        return ["No test split was available."]
    lines = scored_as_lines(test)
    lines += [f"All test sources together (n={test['n']}):", "", *metrics_table(test, labels), ""]
    if detailed:
        lines += [
            f"Macro F1 {_fmt(test['macro_f1'])}; expected calibration error {_fmt(test['ece'])}.",
            "",
        ]
    lines += context_lines(test) + recall_lines(test, harmful)
    for src, rep in test.get("by_source", {}).items():
        lines += ["", f"### Test: {src} (n={rep['n']})", "", *metrics_table(rep, labels)]
        cl = context_lines(rep) + recall_lines(rep, harmful) if detailed else []
        if cl:
            lines += ["", *cl]
    return lines


def write_model_card(path: Path, config: dict[str, Any], version: str) -> None:
    from annotate.training.card import encoder_line  # it imports this module

    tr = config["training"]
    met = config["metrics"]
    labels = config["labels"]
    lines = [
        f"# Model card: {config['name']}",
        "",
        f"- version: `{version}`",
        f"- kind: `{config['kind']}` (frozen encoder + context head); taxonomy "
        f"{config['taxonomy']['name']} {config['taxonomy']['version']}",
        f"- encoder: `{config['encoder']}` (mean pooling + L2), max {config['encoder_max_length']} "
        "tokens; the encoder weights are not stored here",
        encoder_line(config.get("encoder_identity")),
        f"- head: MLP, hidden {config['head']['hidden']}, over features `{config['features']}` "
        "(passage, neighbour-mean, title and document-mean embeddings + stylistic cues)"
        + (
            f"; a passage-only head (the same passage as if it stood alone) is blended "
            f"{config['solo_head_blend']} into the logits of "
            + ", ".join(f"`{n}`" for n in config.get("solo_head_labels", []))
            if config.get("solo_head_blend")
            else ""
        ),
        f"- trained {config['created_at']} on {tr['device']}, "
        + (f"annotate {tr['annotate']}, " if tr.get("annotate") else "")
        + f"torch {tr['torch']}, "
        f"seed {tr['seed']}",
        "",
        "## Intended use",
        "",
        INTENDED_USE,
        "",
        "## Training data and label mapping",
        "",
    ]
    lines += training_data_lines(tr["data"])
    lines += [
        "",
        "Public tables are mapped with the files in `models/mappings/` (each documents its "
        "choices); a mapped source supervises only the labels it can tell (the others are "
        "masked out of the loss). Project-written tables are split by document, by a "
        "seeded hash of the document (70/15/15), so no document straddles two splits; "
        "mapped public "
        "tables by a seeded hash of the text (Gab: its own test file is the test split). "
        "The labels.yaml examples and the own-voice evidence spans cut out of training "
        "passages are extra training rows only.",
        "",
        "## Calibration and thresholds (fitted on the validation split only)",
        "",
        "Per-label Platt scaling of the head's logits, then per-label thresholds: "
        f"harmful labels at recall >= {config['operating_point']['harmful_min_recall']} with "
        f"precision >= {config['operating_point']['harmful_min_precision']} where reachable "
        "(else the F1 rule); context labels by the F1 rule: "
        + (
            "half the maximal validation F1 (the F1-optimal threshold for calibrated scores, "
            "Lipton et al. 2014; steadier than the arg-max on a small validation split). "
            if config["operating_point"].get("half_max_f1")
            else "the arg-max of validation F1. "
        )
        + "`none` is predicted exactly when no other label fires.",
        "",
        *threshold_table(labels, config, met),
        *uncalibrated_lines(config),
    ]
    test = met.get("test")
    lines += [
        "",
        "## Held-out results (test split: never used for training, calibration or thresholds)",
        "",
    ]
    lines += held_out_lines(test, labels, config["harmful"], detailed=True)
    sp = met.get("spans", {})
    if sp.get("trained"):
        lines += [
            "",
            "## Evidence spans",
            "",
            f"Span head trained on {sp['n_train']} candidate segments; validation "
            f"({counted(sp['n_validation'], 'segment')}) at the chosen thresholds:",
            "",
            *span_table(sp["validation"]),
        ]
    lines += ["", "## Known limitations", "", *limitation_lines(config), ""]
    (path / "model_card.md").write_text("\n".join(lines), encoding="utf-8")
