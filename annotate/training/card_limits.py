"""The model card's generated "Known limitations" lines: what a model's own record
(``annotate_model.json``) says about how far its figures can be read, written whatever
its training config states. A model trained on a small reviewed export gets them; the
default model (thousands of test passages, every label in its test split, every span
threshold fitted on validation) gets none.

- a test split under :data:`MIN_TEST_PASSAGES` passages (or none at all);
- test passages with the text of a training or validation row (``metrics.test_copies``);
- labels without a gold positive in the test split (their figures are undefined);
- span thresholds that fell back (too few validation segments with, or without, the
  span label: ``metrics.spans.validation[LABEL].source == "fallback"``);
- no evidence-span model at all (``metrics.spans.trained`` false: no gold spans in the
  training or the validation split), since ``card_limits`` 3;
- labels no training passage of the data has, learned from derived rows alone
  (labels.yaml's examples: :func:`derived_only_labels`), since ``card_limits`` 4.

Only a model whose record says its card has them (``metrics.card_limits``, written by
every trainer since 2026-12-04) gets them: ``annotate verify --strict`` renders a card
again from its record and compares its "Known limitations", so an older model's card,
written without them, would otherwise stop matching its own record.
"""

from __future__ import annotations

from typing import Any

from annotate._util.plural import counted

# test passages under which a card says its held-out figures are rough: with under 100
# passages a label with a handful of positives moves by 10-20 points with one passage
MIN_TEST_PASSAGES = 100
# ``metrics.card_limits`` of a model whose card carries the generated lines (2: and
# :func:`borrowed_limitation_lines`; a card of 1 is rendered as it was written)
CARD_LIMITS_VERSION = 4
BORROWED_LIMITS_FROM = 2
SPAN_MODEL_FROM = 3  # :func:`span_model_lines`
DERIVED_ONLY_FROM = 4  # :func:`derived_only_lines`, and the words of passF52 F12, F13

# ``training.data[].kind`` of the rows a trainer makes from other rows or from labels.yaml
# (annotate.training.rows, annotate.training.train), not read from the data
DERIVED_KINDS = frozenset(
    {
        "taxonomy examples",
        "span examples",
        "sentence examples",
        "mixed documents",
        "untitled documents",
    }
)


def _names(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def test_size_lines(config: dict[str, Any]) -> list[str]:
    """A line when the test split (``metrics.test``) is missing or has fewer than
    :data:`MIN_TEST_PASSAGES` passages; [] otherwise."""
    test = (config.get("metrics") or {}).get("test")
    if not test:
        return [
            "- No test split: no passage of the training data fell in the test split, so "
            "this model was not measured on held-out data; evaluate it on other labeled "
            "data (`annotate evaluate --data ...`) before relying on it."
        ]
    n = int(test.get("n") or 0)
    if n >= MIN_TEST_PASSAGES:
        return []
    return [
        f"- The test split has {counted(n, 'passage')} (fewer than {MIN_TEST_PASSAGES}): "
        "one passage moves a label's recall by several points or more, so the held-out "
        "figures above are rough; review and export more documents, or evaluate on other "
        "labeled data."
    ]


def missing_test_labels(config: dict[str, Any]) -> list[str]:
    """Labels of the model (in its order) without a gold positive in its test split
    (``metrics.test.per_label[LABEL].support`` 0 or the label absent); [] without a test
    split (:func:`test_size_lines` says so)."""
    test = (config.get("metrics") or {}).get("test")
    if not test:
        return []
    per = test.get("per_label") or {}
    return [str(n) for n in config.get("labels") or [] if not (per.get(n) or {}).get("support")]


def missing_label_lines(config: dict[str, Any]) -> list[str]:
    """A line naming :func:`missing_test_labels`; [] when there are none."""
    missing = missing_test_labels(config)
    if not missing:
        return []
    one = len(missing) == 1
    return [
        f"- The test split has no example of {_names(missing)}: "
        + ("its" if one else "their")
        + " recall and F1 are undefined (–) and the macro F1 leaves "
        + ("it" if one else "them")
        + " out, so nothing above measures "
        + ("it" if one else "them")
        + "."
    ]


def span_fallbacks(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Span label -> its validation entry (``metrics.spans.validation``) for the span
    thresholds that fell back (``source`` "fallback"); {} for a model whose span
    thresholds were all fitted, or that recorded no sources (trained before them)."""
    spans = (config.get("metrics") or {}).get("spans") or {}
    return {
        str(n): v
        for n, v in (spans.get("validation") or {}).items()
        if isinstance(v, dict) and v.get("source") == "fallback"
    }


def span_fallback_descriptions(config: dict[str, Any], quote: str = "") -> list[str]:
    """Per :func:`span_fallbacks` label: "threat (2 validation positives, 40 negatives)"
    (segments), the name between ``quote`` marks (Markdown: "`")."""
    out = []
    for n, v in span_fallbacks(config).items():
        pos = counted(int(v.get("validation_positives") or 0), "validation positive")
        neg = counted(int(v.get("validation_negatives") or 0), "negative")
        out.append(f"{quote}{n}{quote} ({pos}, {neg})")
    return out


def span_fallback_lines(config: dict[str, Any]) -> list[str]:
    """A line naming the span thresholds that fell back, with their validation counts
    (candidate segments) and the fallback threshold; [] when none did."""
    fell = span_fallbacks(config)
    if not fell:
        return []
    from annotate.evaluation.model_card import fallback_rule_text

    need, fallback = fallback_rule_text(config)
    return [
        "- Evidence-span thresholds not fitted on validation (fitting needs at least "
        f"{need} among the validation segments): "
        + ", ".join(span_fallback_descriptions(config, "`"))
        + f"; {'its threshold is' if len(fell) == 1 else 'their thresholds are'} the fixed "
        f"fallback {fallback} on uncalibrated scores, so those spans are rough suggestions."
    ]


def copy_lines(config: dict[str, Any]) -> list[str]:
    """A line when test passages have the text of a training or validation row
    (``metrics.test_copies``, :mod:`annotate.training.held_out_copies`); [] when none do,
    or the model recorded no such count (trained before it)."""
    from annotate.training.held_out_copies import copy_warning

    text = copy_warning((config.get("metrics") or {}).get("test_copies"))
    return [f"- {text[0].upper()}{text[1:]}."] if text else []


def card_limits(config: dict[str, Any]) -> int:
    """The ``metrics.card_limits`` a model's record states (0: none)."""
    return int((config.get("metrics") or {}).get("card_limits") or 0)


def derived_only_labels(config: dict[str, Any]) -> dict[str, int]:
    """Label -> its training rows (``metrics.train_positives``), for the labels (the none
    label aside) that no training passage of the data had (``training.data[]`` that are
    read, not derived: their ``label_counts.train``) but derived rows did: their heads
    were fitted on labels.yaml's one or two examples alone, and nothing said so (passF52
    F5). {} when the record lacks the counts, or a data source recorded none per split."""
    positives = (config.get("metrics") or {}).get("train_positives")
    data = [
        d
        for d in (config.get("training") or {}).get("data") or []
        if isinstance(d, dict) and d.get("kind") not in DERIVED_KINDS
    ]
    if not isinstance(positives, dict) or not data:
        return {}
    if not all(isinstance(d.get("label_counts"), dict) for d in data):
        return {}
    seen = {k for d in data for k, v in ((d["label_counts"].get("train")) or {}).items() if v}
    return {
        str(n): int(positives[n])
        for n in config.get("labels") or []
        if n != config.get("none_label") and n not in seen and positives.get(n)
    }


def derived_only_said(config: dict[str, Any], quote: str = "", *, warning: bool = False) -> str:
    """:func:`derived_only_labels` in words ("" when none): the labels (between
    ``quote`` marks) with their training rows. ``warning``: the words of ``train``'s
    warning, ``incitement (only 3 example rows)`` (newuser58 #10: "has no passage of
    incitement (3 rows)" read as a contradiction); the card keeps ``(3 rows)``, the words
    ``annotate verify`` renders a card of ``metrics.card_limits`` 4 with."""
    found = derived_only_labels(config)
    if not found:
        return ""
    one = len(found) == 1
    names = ", ".join(
        f"{quote}{n}{quote} ({'only ' if warning else ''}"
        f"{counted(k, 'example row' if warning else 'row')})"
        for n, k in found.items()
    )
    return (
        f"no training passage of the data has {names}: "
        + ("its head was" if one else "their heads were")
        + " fitted on rows made from labels.yaml's examples alone, a sentence or two, so "
        + ("its scores are" if one else "their scores are")
        + " rough at best"
    )


def derived_only_lines(config: dict[str, Any]) -> list[str]:
    """The card's line for :func:`derived_only_labels` ([] for none, or a record whose
    ``metrics.card_limits`` is under :data:`DERIVED_ONLY_FROM`)."""
    if card_limits(config) < DERIVED_ONLY_FROM:
        return []
    said = derived_only_said(config, "`")
    if not said:
        return []
    return [f"- {said[0].upper()}{said[1:]}; review passages of them and train again."]


def generated_limitation_lines(config: dict[str, Any]) -> list[str]:
    """The card's generated limitation lines for ``config`` (``annotate_model.json``):
    :func:`test_size_lines`, :func:`copy_lines`, :func:`missing_label_lines`,
    :func:`span_fallback_lines`, in that order; [] for a model none of them applies to,
    or one trained before them (no ``metrics.card_limits``)."""
    if not (config.get("metrics") or {}).get("card_limits"):
        return []
    return (
        test_size_lines(config)
        + copy_lines(config)
        + missing_label_lines(config)
        + derived_only_lines(config)
        + span_fallback_lines(config)
        + span_model_lines(config)
    )


def no_span_model(config: dict[str, Any]) -> str:
    """What ``config`` (``annotate_model.json``) records when its trainer fitted no
    evidence-span model (``metrics.spans.trained`` false): why, with the passages with
    gold spans found in each split where recorded; "" when it has one (or its record
    says nothing of spans)."""
    spans = (config.get("metrics") or {}).get("spans") or {}
    if spans.get("trained", True):
        return ""
    if card_limits(config) >= DERIVED_ONLY_FROM and "train_rows" in spans:
        return _no_span_model_said(config, spans)
    counts = [
        counted(int(spans[key]), f"{split} passage") + " with gold spans"
        for key, split in (("train_rows", "training"), ("validation_rows", "validation"))
        if key in spans
    ]
    found = f" ({', '.join(counts)})" if counts else ""
    return f"{spans.get('reason') or 'no span-annotated rows'}{found}"


def _no_span_model_said(config: dict[str, Any], spans: dict[str, Any]) -> str:
    """:func:`no_span_model` of a record of ``card_limits`` 4 or more: the split that
    lacks passages with gold spans first, and how many of the training rows with spans the
    data had (the rest: labels.yaml's span examples). "no span-annotated rows (5
    training passages with gold spans, ...)" contradicted itself, the 5 being labels.yaml's
    examples (passF52 F13)."""
    t, v = int(spans.get("train_rows") or 0), int(spans.get("validation_rows") or 0)
    data = [
        d
        for d in (config.get("training") or {}).get("data") or []
        if isinstance(d, dict) and d.get("kind") == "span examples"
    ]
    own = int(data[0].get("passages_with_spans") or 0) if data else None
    if t and not v:
        if own == 0:
            of = "all from labels.yaml's examples; the data has none"
        elif own is not None and own < t:
            of = f"{own} from the data, the rest from labels.yaml's examples"
        else:
            of = ""
        rows = counted(t, "row") + " with spans"
        return f"no validation passage with gold spans (training: {rows}{f', {of}' if of else ''})"
    if v and not t:
        return (
            f"no training passage with gold spans (validation: {counted(v, 'passage')} with them)"
        )
    if not t and not v:
        return "no passage with gold spans in the training or the validation split"
    return (
        f"{spans.get('reason') or 'no span-annotated rows'} ({counted(t, 'training row')} "
        f"and {counted(v, 'validation passage')} with gold spans)"
    )


def span_model_lines(config: dict[str, Any]) -> list[str]:
    """The line for a model without an evidence-span model (:func:`no_span_model`); []
    for one with it, or whose ``metrics.card_limits`` is under :data:`SPAN_MODEL_FROM`."""
    if int((config.get("metrics") or {}).get("card_limits") or 0) < SPAN_MODEL_FROM:
        return []
    why = no_span_model(config)
    if not why:
        return []
    return [
        f"- No evidence-span model: {why}. The span model needs passages with gold "
        "evidence spans in both the training and the validation split, so `annotate "
        "prelabel` with this model marks no evidence spans (the threat grammar's "
        "sentences neither): reviewers get no span suggestions. Train on an export of "
        "reviewed passages with their spans, or add span examples to labels.yaml, and "
        "train again."
    ]


def borrowed_limitation_lines(config: dict[str, Any]) -> list[str]:
    """A line to print before the training config's own ``limitations:`` when the model
    was also trained on data given with ``--data`` beside that config
    (``training.data[].given`` without ``given_in``): those lines were written, with the
    scores and counts they state, for a model of the config's data alone (e.g.
    ``models/default.train.yaml``'s, measured on the default model). [] otherwise, and
    for a model whose ``metrics.card_limits`` is under :data:`BORROWED_LIMITS_FROM` (its
    card was written without the line)."""
    if int((config.get("metrics") or {}).get("card_limits") or 0) < BORROWED_LIMITS_FROM:
        return []
    tr = config.get("training") or {}
    data = tr.get("data") or []
    configs = sorted({str(d["given_in"]) for d in data if d.get("given_in")})
    added = [str(d["given"]) for d in data if d.get("given") and not d.get("given_in")]
    if not tr.get("limitations") or not configs or not added:
        return []
    return [
        f"- The limitations below were written in {_names(configs)} for a model of its own "
        f"data; this model was also trained on {_names(added)} (given with --data), so the "
        "scores, counts and comparisons they state were measured on that model, not on "
        "this one (their `{threshold:LABEL}` values aside): evaluate this model "
        "(`annotate evaluate`) before relying on them, or state its own in a training "
        "config of its own."
    ]
