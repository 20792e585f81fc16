"""model_card.md of a frozen-linear or fine-tuned model (kinds ``annotate.frozen-linear.v1``,
``annotate.finetuned.v1``), written from its annotate_model.json, and the cross-source
table (cross_source.json) when present."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate._util.plural import counted
from annotate.evaluation.card_values import limitation_text
from annotate.evaluation.model_card import (
    INTENDED_USE,
    held_out_lines,
    span_table,
    threshold_table,
    training_data_lines,
    uncalibrated_lines,
    untrained_line,
)
from annotate.training.card_limits import (
    DERIVED_ONLY_FROM,
    borrowed_limitation_lines,
    card_limits,
    generated_limitation_lines,
    no_span_model,
    span_fallbacks,
)


def threat_grammar_lines(config: dict[str, Any]) -> list[str]:
    """The card's paragraph on the decision rule threat_grammar (none when it is off)."""
    label = config.get("threat_grammar")
    if not label:
        return []
    fit = config.get("metrics", {}).get("fit", {}).get("threat_grammar", {})
    rows = "public training rows" if fit.get("rows") == "public" else "training rows"
    precision = config.get("threat_grammar_precision")
    on = (
        f"on the {fit.get('rows_fired', '?')} {rows} it reads ({fit.get('positives', '?')} "
        "of them threats)"
    )
    span = config.get("threat_grammar_span")
    why = (
        "the model has no evidence-span model: see Known limitations"
        if no_span_model(config)
        else f"none of the model's evidence-span labels is `{label}`'s"
    )
    marked = (
        f"the sentence is a `{span}` span scored {precision}, the rule's Laplace-smoothed "
        f"precision {on}."
        if span
        else f"no span is marked on the sentence ({why}); the rule's Laplace-smoothed "
        f"precision is {precision} {on}."
    )
    return [
        "",
        f"Threat grammar (`threat_grammar`, annotate/classifier/threat_grammar.py): a passage "
        "with a sentence that states an explicit violent threat in the author's own voice "
        f"gets at least the `{label}` threshold "
        f"({config.get('thresholds', {}).get(label, float('nan')):.4f}) as its score, so the "
        f"label fires unless another decision rule takes it; {marked}",
    ]


def idiom_cap_lines(config: dict[str, Any]) -> list[str]:
    """The card's paragraph on the decision rule idiom_cap (none when it or the threat
    grammar is off: the cap lowers the grammar's label)."""
    cap, label = config.get("idiom_cap"), config.get("threat_grammar")
    if cap is None or not label:
        return []
    threshold = config.get("thresholds", {}).get(label, float("nan"))
    return [
        "",
        f"Idioms (`idiom_cap`, annotate/classifier/idioms.py): a passage of at most two "
        'sentences and 40 words whose violent words are all idioms ("kill it at the '
        'audition", "I could murder a pizza", "we got slaughtered in the final", '
        '"kill the lights", "mondays are murder", "break a leg") and in which the '
        f"threat grammar reads no threat has its `{label}` score capped at {cap} x its "
        f'threshold ({cap * threshold:.4f}); a violent word outside the idiom ("bring a '
        "coffin\") or a person as the verb's object outside a contest keeps the "
        "classifier's score.",
    ]


def cross_source_lines(report: dict[str, Any]) -> list[str]:
    """The cross-source tables (annotate.training.crosssource.markdown) without their
    top heading."""
    from annotate.training.crosssource import markdown

    lines = markdown(report).splitlines()
    while lines and (lines[0].startswith("# ") or not lines[0].strip()):
        lines.pop(0)
    return lines


def _member_text(m: dict[str, Any]) -> str:
    return (
        f"C={m['c']}"
        + (", every data source weighing the same" if m["balance_sources"] else "")
        + (f", {' and '.join(m['labels'])} only" if m.get("labels") else "")
        + (f", not {' or '.join(m['skip_labels'])}" if m.get("skip_labels") else "")
    )


def _members_text(members: list[dict[str, Any]]) -> str:
    """How the per-label logistic regressions were combined."""
    return (
        f"per label, the mean logit of {len(members)} L2 logistic regression(s) "
        f"({'; '.join(_member_text(m) for m in members)}; class weights balanced), "
        "stored as one linear layer"
    )


def encoder_line(identity: dict[str, Any] | None) -> str:
    """The card's line on the encoder's identity at training (package, version, weights
    digest), or that the build did not record it (models built before 2026-12)."""
    if not identity:
        return "- encoder identity: not recorded (a model built before 2026-12)"
    package = (
        f"package {identity['package']} {identity.get('package_version') or '(version unknown)'}"
        if identity.get("package")
        else "no package (a path or hub id)"
        + "".join(
            f", {what} `{identity[key]}`"
            for key, what in (("name_or_path", "config name"), ("revision", "hub commit"))
            if identity.get(key)
        )
    )
    digest = identity.get("weights_sha256")
    weights = (
        f"{identity.get('weights_file')} sha256 `{digest}` ({identity.get('digest')})"
        if digest
        else f"weights digest {identity.get('digest')}"
    )
    return f"- encoder identity: `{identity['ref']}`, {package}, {weights}"


def _tool(training: dict[str, Any]) -> str:
    """ "annotate 0.1.0 (git 1a2b3c4), " as the model recorded it ("" before 2026-12)."""
    return f"annotate {training['annotate']}, " if training.get("annotate") else ""


def threads_said(training: dict[str, Any]) -> str:
    """ ", 2 torch threads" as the model's training record keeps the count its weights
    were fitted with ("" in records from before it was kept)."""
    threads = training.get("threads")
    if not isinstance(threads, int):
        return ""
    return f", {threads} torch thread{'' if threads == 1 else 's'}"


def reading_said(training: dict[str, Any]) -> str:
    """ " Every passage was read as ..." for a model whose training record keeps the
    reading its examples were read with (``reading``: annotate.training.reading); "" in
    records from before it was kept (trained on the text as written)."""
    from annotate.prelabel_parts import read_as

    version = training.get("reading")
    if not isinstance(version, int) or isinstance(version, bool):
        return ""
    return (
        " Every passage (its split's rows and the rows derived from it) was read as "
        f"`annotate prelabel` and `annotate evaluate` read it, {read_as(version)}, but a "
        "subtitle cue alone (its labels are its own words'); its gold evidence spans moved "
        "onto that text (one wholly inside removed markup or a speaker label left out)."
    )


def write_card(path: Path, version: str) -> None:
    config = json.loads((path / "annotate_model.json").read_text(encoding="utf-8"))
    tr = config["training"]
    met = config["metrics"]
    ft = tr["finetune"]
    fit = met.get("fit", {})
    # the whole build's seconds: a metric (models before 2026-12-03 kept it in training)
    build_s = met.get("seconds", tr.get("seconds"))
    labels = config["labels"]
    lines = [f"# Model card: {config['name']}", "", f"- version: `{version}`"]
    content = config.get("training_content_sha256")
    if config.get("training_sha256"):  # what `annotate verify MODEL_DIR` checks it against
        lines.append(
            f"- training record: SHA-256 `{config['training_sha256']}` (of "
            "`annotate_model.json`'s `training` as canonical JSON"
            + ("" if content else "; in the version")
            + ")"
        )
    if content:
        lines.append(
            f"- training content: SHA-256 `{content}` (of the same record less where it was "
            "built: data paths, git revision; in the version, so a build from another "
            "checkout or commit on the same data and settings has the same version)"
        )
    if config["kind"] == "annotate.frozen-linear.v1":
        lines += [
            f"- kind: `{config['kind']}`: the frozen encoder `{config['encoder']}` (not "
            f"fine-tuned; at most {config['encoder_max_length']} tokens per passage) gives its "
            "sentence embedding (mean pooling, L2-normalised; the baseline's features); "
            + _members_text(tr["frozen"]["members"]),
            _taxonomy_line(config["taxonomy"]),
            f"- trained {config['created_at']} on {tr['device']} ({tr.get('precision')}"
            f"{threads_said(tr)}), "
            f"{_tool(tr)}torch {tr['torch']}, seed {tr['seed']}: "
            f"{fit.get('train_rows')} training rows, "
            f"fitting {fit.get('seconds')} s, whole build (embedding included) "
            f"{build_s} s",
        ]
    else:
        lines += [
            f"- kind: `{config['kind']}`: the encoder `{config['encoder']}` fine-tuned end to "
            "end on (passage, context) text pairs (context = title + neighbouring passages, "
            f"at most {config['context_tokens']} tokens); windows of {config['max_length']} "
            "tokens, a longer passage is read in overlapping windows and its scores are the "
            "maximum over them (nothing is truncated); weights stored as fp16 safetensors",
            _taxonomy_line(config["taxonomy"]),
            f"- trained {config['created_at']} on {tr['device']} ({fit.get('autocast')} "
            f"autocast{threads_said(tr)}), {_tool(tr)}torch {tr['torch']}, seed {tr['seed']}: "
            f"{fit.get('train_rows')} "
            f"training rows, {ft['epochs']} epoch(s), batch {ft['batch_size']}, lr {ft['lr']}, "
            f"{fit.get('examples_per_s')} examples/s, fine-tuning {fit.get('seconds')} s, "
            f"whole build {build_s} s",
        ]
    lines.append(encoder_line(config.get("encoder_identity")))
    lines += [
        "",
        "## Intended use",
        "",
        INTENDED_USE,
        "",
        "## Training data, licences and label mapping",
        "",
    ]
    lines += training_data_lines(tr["data"])
    cap = ft.get("max_rows_per_source") if tr.get("trainer") == "finetune" else None
    lines += [
        "",
        "A mapped source supervises only the labels it can tell (the others are masked out "
        "of the loss)."
        + (f" Public sources give at most {cap} training rows each (seeded sample)." if cap else "")
        + reading_said(tr),
        "",
        "## Cross-source evaluation (one public source held out at a time)",
        "",
    ]
    cross_file = path / "cross_source.json"
    cross = json.loads(cross_file.read_text(encoding="utf-8")) if cross_file.is_file() else None
    if cross is not None:
        lines += cross_source_lines(cross)
    else:
        lines.append("Not run for this build (`annotate evaluate --cross-source`).")
    lines += [
        "",
        "## Calibration and thresholds (validation split only)",
        "",
        "Per-label Platt scaling of the logits; harmful labels at recall >= "
        f"{config['training']['operating_point']['harmful_min_recall']} with precision >= "
        f"{config['training']['operating_point']['harmful_min_precision']} where reachable, "
        "else the F1 rule; `none` is predicted exactly when no other label fires.",
        "",
        *threshold_table(labels, config, met),
        *uncalibrated_lines(config),
        *threat_grammar_lines(config),
        *idiom_cap_lines(config),
    ]
    test = met.get("test")
    lines += ["", "## Held-out results (project test split)", ""]
    lines += held_out_lines(test, labels, config["harmful"], detailed=False)
    sp = met.get("spans", {})
    if sp.get("trained"):
        lines += [
            "",
            "## Evidence spans",
            "",
            span_calibration_sentence(config)
            + f". Validation ({counted(sp['n_validation_segments'], 'segment')}) at the "
            "chosen thresholds:",
            "",
            *span_table(sp["validation"]),
        ]
    lines += ["", "## Known limitations", ""]
    lines += untrained_line(config)
    lines += generated_limitation_lines(config)
    lines += borrowed_limitation_lines(config)
    # the config's own lines, figures filled in from the record (evaluation.card_values)
    lines += [f"- {limitation_text(line, config, cross)}" for line in tr.get("limitations", [])]
    (path / "model_card.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def span_calibration_sentence(config: dict[str, Any]) -> str:
    """The card's "Evidence spans" opening (without its full stop): the span head is
    Platt-calibrated on validation, a span score a probability, but for the span labels
    whose threshold fell back (too few validation segments). A card whose record has
    ``card_limits`` :data:`DERIVED_ONLY_FROM` or more says, when every span label fell
    back, that none was calibrated: "Platt-calibrated ... (not for" all five contradicted
    itself (passF52 F12)."""
    lead = (
        "Candidate segments (sentences, quotations) scored by a span head from the same "
        "forward pass"
    )
    fell = list(span_fallbacks(config))
    names = [str(n) for n in (config.get("span_labels") or [])]
    if fell and names and set(names) <= set(fell) and card_limits(config) >= DERIVED_ONLY_FROM:
        return (
            f"{lead}; no span label was calibrated (too few validation segments with, or "
            "without, each span), so span scores are the head's raw scores, not "
            "probabilities, and every span threshold is the fallback (see Known limitations)"
        )
    return f"{lead}, Platt-calibrated on validation: a span score is a probability" + (
        f" (not for {', '.join(f'`{n}`' for n in fell)}: too few validation "
        "segments with, or without, the span; their threshold is the fallback, see "
        "Known limitations)"
        if fell
        else ""
    )


def _taxonomy_line(tax: dict[str, str]) -> str:
    digest = f" (content sha256 `{tax['sha256']}`)" if tax.get("sha256") else ""
    return f"- taxonomy {tax['name']} {tax['version']}{digest}"
