"""The training configuration (`annotate train --config`): pydantic schema + loader."""

from __future__ import annotations

import difflib
import glob
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from annotate._util.near_paths import missing_path_fix, near_paths
from annotate._util.validation import load_yaml, validation_error, yaml_kind
from annotate.classifier.encoder import PACKAGED_ENCODER
from annotate.classifier.model_paths import is_local_path
from annotate.corpus.schema import SplitName
from annotate.errors import TrainingError
from annotate.settings import display_path
from annotate.taxonomy import Taxonomy


# ------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DataEntry(_Strict):
    path: str
    mapping: str | None = None
    # every row of this source into one split (a misspelt name would put them in none)
    split: SplitName | None = None
    weight: float = Field(default=1.0, gt=0)  # 0 or below: use no row / unlearn them
    # true: the source trains only the evidence-span model (its rows supervise no label
    # head, calibration or threshold; they are left out of the test report); its rows
    # must carry span annotations
    spans_only: bool = False
    # the labels this source's rows supervise (the others left open for them: no head
    # learns from the rows but these labels'); None: every label
    supervises: list[str] | None = None
    # a project table without `split` and `near_dup_group` columns: documents sharing a
    # near-duplicate passage (MinHash LSH, shingle Jaccard >= 0.8, as ingest searches)
    # are split together, so a repost of a training passage is not scored as held out;
    # false: each document split alone (as before 6 Dec 2026)
    near_dup_split: bool = True
    # the path as written in a config (``path`` is then resolved against the config's
    # folder) and that config; None: ``path`` is as given (--data)
    _given: str | None = PrivateAttr(default=None)
    _given_in: str | None = PrivateAttr(default=None)

    @property
    def given(self) -> str:
        """The path as the user gave it (a config's ``data[].path`` as written)."""
        return self._given or self.path

    @property
    def given_in(self) -> str | None:
        """The config the path was written in (None: given with --data)."""
        return self._given_in


class HeadConfig(_Strict):
    hidden: int = 256
    dropout: float = 0.2
    epochs: int = Field(default=60, ge=1)
    lr: float = 1e-3
    weight_decay: float = 1e-2
    batch_size: int = Field(default=256, ge=1)
    patience: int = 8
    max_pos_weight: float = 10.0
    span_hidden: int = 128
    span_epochs: int = 40
    # ensemble size (heads trained with seeds seed, seed+1, ...)
    members: int = Field(default=1, ge=1)


class OperatingPoint(_Strict):
    """Harmful labels: the highest threshold reaching ``harmful_min_recall`` on
    validation with precision >= ``harmful_min_precision`` (else half the maximal F1);
    context labels: half the maximal F1; each threshold the mean of that rule's picks on
    ``threshold_bootstrap`` bootstrap resamples of the validation rows. Code defaults
    equal models/default.train.yaml (the measured choices are commented there)."""

    # fractions of the validation rows (0.9, not 90): a target above 1 is never reached
    harmful_min_recall: float | None = Field(default=0.9, gt=0, le=1)  # None: max F1 too
    harmful_min_precision: float = Field(default=0.5, ge=0, le=1)
    context: str = "max_f1"
    # weigh validation rows so that every data source counts the same when choosing
    # thresholds (the small project-written set is the target domain; the public sets
    # would otherwise decide alone)
    balance_sources: bool = False
    # choose thresholds on the validation rows of the target domain only (project-written
    # and exported passages, i.e. not mapped public tables) for every label with at least
    # `min_target_positives` positives there; the other labels use all validation rows
    target_domain_thresholds: bool = False
    # max-F1 labels: threshold = half the maximal validation F1 (optimal for calibrated
    # scores, and steadier than the arg-max on a small validation split)
    half_max_f1: bool = True
    min_target_positives: int = Field(default=5, ge=1)
    # harmful labels whose recall target is out of reach: maximise F-beta (beta > 1
    # weighs recall higher: a missed threat costs more than a reviewer's glance)
    harmful_fallback_beta: float = Field(default=1.0, gt=0)
    # per label, instead of the above: the beta of its fallback F-beta (beta < 1 weighs
    # precision higher; beta 1 with half_max_f1: half the maximal F1). Labels the
    # taxonomy does not have are left out (see `fit_to_taxonomy`).
    label_beta: dict[str, Annotated[float, Field(gt=0)]] = Field(
        default_factory=lambda: {"extremist_propaganda": 0.5}
    )
    # each label's threshold = the mean (or median), over this many bootstrap resamples
    # of the validation rows (positives and negatives resampled apart), of the threshold
    # the rule above picks on the resample: bagging the threshold (Breiman 1996),
    # steadier than one pick on a validation split with few positives (measured on the
    # cross-source folds: models/default.train.yaml, operating_point). 0: one pick on
    # all rows.
    threshold_bootstrap: int = Field(default=200, ge=0, le=10000)
    threshold_bootstrap_seed: int = Field(default=0, ge=0)
    # mean: a smooth function of the rows (Buhlmann & Yu 2002), between the two clusters
    # the picks fall in where the recall target is reached on some resamples and not on
    # others; median: robust to a few extreme picks, but jumps between such clusters
    threshold_bootstrap_stat: Literal["median", "mean"] = "mean"
    # the evidence-span thresholds (F1*/2 or max F1 on the validation segments: see
    # span_half_max_f1) bagged the same way (threshold_bootstrap resamples of the
    # segments, same seed and stat)
    span_threshold_bootstrap: bool = True
    # the evidence-span thresholds: half the maximal F1 of the validation segments
    # (F1*/2) instead of the arg-max of F1, as `half_max_f1` for the labels: the
    # F1-optimal threshold of calibrated scores (Lipton, Elkan & Narayanaswamy 2014,
    # "Optimal thresholding of classifiers to maximize F1 measure"; the span scores are
    # Platt-calibrated on the same segments). The maximal F1 is a smooth function of the
    # segments, its arg-max is not: on a flat F1 curve (54 quoted_propaganda validation
    # spans) a small change of the scores moves the arg-max far (0.30 -> 0.39 between two
    # rebuilds). Bagged as above with span_threshold_bootstrap; floor 0.2 either way.
    span_half_max_f1: bool = True
    # a label's threshold (and Platt calibration) is fitted on validation only when its
    # supervised validation rows hold at least this many positives and negatives; else
    # the threshold is `fallback_threshold` and the score the head's own probability,
    # with a warning and the model card saying so. 5: below it one passage moves the
    # validation recall by more than 20 points, the recall >= 0.9 target means "catch
    # every one" (the threshold is the lowest positive's score), and a bootstrap resample
    # of 1-4 positives repeats the same few scores; 5 is also where target-domain
    # thresholds (`min_target_positives`) and the span Platt fit already start. The
    # default model's labels have hundreds of validation positives (unchanged by it).
    min_validation_positives: int = Field(default=5, ge=1)
    min_validation_negatives: int = Field(default=5, ge=1)
    # the threshold of a label below those minimums. Training never starts from a
    # trained model's heads (they are fitted anew on the encoder's features), so there
    # is no base model threshold to keep: 0.5 on the head's class-balanced probability,
    # the point where it weighs the label's positives and negatives equally
    fallback_threshold: float = Field(default=0.5, gt=0, lt=1)

    @field_validator("threshold_bootstrap")
    @classmethod
    def _enough_resamples(cls, v: int) -> int:
        if 0 < v < 10:
            raise ValueError(
                f"{v} resamples give an average as noisy as one pick; write 0 (off) or at "
                "least 10 (e.g. 200)"
            )
        return v


class FinetuneSettings(_Strict):
    """End-to-end fine-tuning of the encoder (``trainer: finetune``). Code defaults equal
    models/default.train.yaml."""

    max_length: int = 128  # tokens per window (passage window + context + specials)
    context_tokens: int = 32  # at most this many tokens of context per window
    epochs: float = Field(default=1.0, gt=0)
    batch_size: int = Field(default=16, ge=1)
    # LP-FT: first fit the heads as logistic regressions on the frozen encoder's
    # features (a linear probe), then fine-tune everything from there at a small rate:
    # fine-tuning from a random head distorts the pretrained features and generalises
    # worse to other sources (Kumar et al. 2022, arXiv:2202.10054)
    linear_probe: bool = True
    probe_c: float = 1.0  # inverse L2 strength of the probe's logistic regressions
    lr: float = 2e-5  # encoder
    head_lr: float = 2e-4  # category and span heads
    weight_decay: float = 0.01
    warmup: float = 0.06  # share of the steps with a linear warm-up
    dropout: float = 0.1
    max_pos_weight: float = 10.0
    span_loss_weight: float = 0.5
    # public sources: at most this many training rows each (seeded sample)
    max_rows_per_source: int | None = 600
    # public sources: at most this many validation and this many test rows each
    max_eval_rows_per_source: int | None = 250
    # all training rows: at most this many (seeded sample; None = all)
    max_train_rows: int | None = None
    # encoder layers below this index stay frozen (0: every layer is trained)
    freeze_layers: int = 0


class FrozenMember(_Strict):
    c: float = Field(default=1.0, gt=0)
    balance_sources: bool = False
    # the categories this member fits (None: every one); a label's logit is the mean over
    # the members that fit it
    labels: list[str] | None = Field(default=None, min_length=1)
    # the categories this member leaves to the others (None: none), taken out of
    # `labels` (or of every category): "all but counter_speech" without naming the
    # rest, so a project's own labels.yaml keeps its other labels fitted by the member
    skip_labels: list[str] | None = Field(default=None, min_length=1)
    # fit the derived rows too (labels.yaml's examples, span examples); false: the
    # config's data only
    derived_rows: bool = True

    def fits(self, name: str) -> bool:
        """Whether this member fits category ``name``."""
        return (self.labels is None or name in self.labels) and name not in (self.skip_labels or ())


class FrozenSettings(_Strict):
    """The frozen-encoder linear model (``trainer: frozen``, annotate.training.frozen).
    Code defaults equal models/default.train.yaml."""

    # per label, the mean logit of one L2 logistic regression per member (its own C;
    # balance_sources: every data source supervising the label weighs the same; labels:
    # the categories it fits, default all)
    members: list[FrozenMember] = Field(
        default_factory=lambda: [
            FrozenMember(c=1.0),
            FrozenMember(c=0.3, skip_labels=["counter_speech"]),
            FrozenMember(c=0.3, balance_sources=True, skip_labels=["counter_speech"]),
            FrozenMember(c=10.0, labels=["news_reporting"]),
            FrozenMember(c=1.0, labels=["violent_threat", "counter_speech"], derived_rows=False),
            FrozenMember(c=1.0, balance_sources=True, labels=["none"]),
        ],
        min_length=1,
    )
    spans: bool = True  # fit the evidence-span model
    span_c: float = Field(default=0.05, gt=0)


# The defaults of the settings that name labels of the project's labels.yaml (its span
# labels and categories). labels.yaml does not say which span label evidences which
# category, nor which is the quotation, so these name the shipped labels.yaml's; a
# setting left at its default keeps only the names the taxonomy a model is trained with
# has (`fit_to_taxonomy`), while a name written in a config must be in labels.yaml.
DEFAULT_OWN_VOICE_SPANS = ("threat", "call_to_violence", "glorification")
DEFAULT_QUOTED_SPAN = "quoted_propaganda"
DEFAULT_SPAN_CATEGORIES = {
    "threat": "violent_threat",
    "call_to_violence": "incitement",
    "glorification": "extremist_propaganda",
    "graphic_detail": "graphic_violence",
}
DEFAULT_ATTRIBUTED_QUOTE_LABEL = "news_reporting"
DEFAULT_THREAT_GRAMMAR = "violent_threat"


class TrainConfig(_Strict):
    """``annotate train --config``. Code defaults equal models/default.train.yaml (the
    default model's recipe; its comments record why each was chosen) except the data and
    what names or describes a model: a config that leaves a setting out gets what the
    default model was measured with. The settings naming labels apply only to the labels
    the taxonomy has (:func:`fit_to_taxonomy`)."""

    name: str = "annotate-model"
    # frozen: frozen encoder pooled features + one logistic regression per label
    # (annotate.frozen-linear.v1); finetune: the encoder fine-tuned end to end
    # (annotate.finetuned.v1); encoder-head: frozen encoder + context-feature MLP head
    # (annotate.encoder-head.v1)
    trainer: Literal["frozen", "finetune", "encoder-head"] = "frozen"
    frozen: FrozenSettings = Field(default_factory=FrozenSettings)
    finetune: FinetuneSettings = Field(default_factory=FinetuneSettings)
    encoder: str = PACKAGED_ENCODER
    # the cross-source table's yardstick: frozen embeddings of this encoder + logistic
    # regression (the packaged MiniLM whatever `encoder` is, so tables stay comparable)
    baseline_encoder: str = PACKAGED_ENCODER
    encoder_max_length: int = 256
    precision: str = "auto"
    seed: int = Field(default=13, ge=0, le=2**32 - 1)  # numpy's seeds
    data: list[DataEntry] = Field(default_factory=list)
    # an export's labels that labels.yaml lacks are refused, except when labels.yaml is an
    # older version of the export's major one (labels added since): those are dropped with
    # a warning unless this is set (annotate.training.sources.read_export)
    strict_labels: bool = False
    head: HeadConfig = Field(default_factory=HeadConfig)
    operating_point: OperatingPoint = Field(default_factory=OperatingPoint)
    # span labels for harmful words in the author's own voice, and the label the same
    # words get when quoted inside a non-harmful (reporting, rebutting) passage
    own_voice_spans: list[str] = Field(default_factory=lambda: list(DEFAULT_OWN_VOICE_SPANS))
    quoted_span: str | None = DEFAULT_QUOTED_SPAN
    description: str = ""
    # ISO 639-1 codes of the training text's languages (stored with the model's training
    # settings): prelabel warns about passages written in a script none of them uses
    # (annotate.classifier.writing_system). Empty: not declared, not checked.
    languages: list[str] = Field(default_factory=list)
    # category prototypes: similarity to the embedded labels.yaml definitions/examples
    prototypes: bool = True
    # also train on the labeled examples written in labels.yaml (weight per example)
    taxonomy_examples_weight: float = Field(default=2.0, ge=0)
    # evidence spans of own-voice harmful words, taken out of their passage, are short
    # training passages of the category they evidence (train split only): they teach the
    # blunt, context-free form of each category. span label -> category; weight per row.
    span_categories: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_SPAN_CATEGORIES))
    span_examples_weight: float = Field(default=2.0, ge=0)
    # sentence examples: each sentence of a multi-sentence project training passage that
    # carries no harmful label (news, counter-speech, ordinary text), out of its passage,
    # as a negative of the harmful labels only (the context labels and `none` are left
    # open); quoted sentences and those touching a gold span are left out. They balance
    # the span examples (short harmful fragments only) with short harmless ones of the
    # same writing. Weight per row; 0: off (derived rows: `derived_rows: false` members
    # skip them as they skip the span examples).
    sentence_examples_weight: float = Field(default=2.0, ge=0)
    # the harmful labels the sentence examples supervise (as 0); None: every harmful label.
    # Default: extremist_propaganda alone (models/default.train.yaml: measured with all
    # harmful labels and without violent_threat, the others raised false flags)
    sentence_examples_labels: list[str] | None = Field(
        default_factory=lambda: ["extremist_propaganda"]
    )
    # mixed documents: copies of training documents with one passage of another document
    # inserted (its own labels kept), so that the document context informs a passage's
    # labels without deciding them (forum threads and comment sections mix voices)
    mixed_documents: int = 0
    # share of project training passages added once more as if they stood alone (no
    # neighbours, title or document): the passage's own words must carry its labels
    context_dropout: float = 0.0
    # context labels fire only when more probable than `none` (stored with the model)
    context_yields_to_none: bool = True
    # own-voice harmful labels (the categories of `own_voice_spans` via `span_categories`)
    # yield to a more probable context label (stored with the model)
    own_voice_yields_to_context: bool = True
    # page furniture standing alone (a byline, dateline, credit line, timestamp, section
    # label or "read more" prompt: annotate.classifier.boilerplate) gets no context label
    # (stored with the model; harmful labels are not touched)
    page_furniture_none: bool = True
    # a passage where no label fires, that attributes speech and has a quoted segment
    # clearing its evidence-span threshold, gets this context label (the reporting one)
    # with that quoted span (stored with the model; needs the span head, so the fold
    # models of the cross-source run, which have none, cannot score it; it never adds or
    # removes a harmful label). None: off
    attributed_quote_label: str | None = DEFAULT_ATTRIBUTED_QUOTE_LABEL
    # the harmful category that an explicit threat in the author's own voice, read by its
    # grammar (annotate.classifier.threat_grammar: direct intent, normative, second
    # person), evidences: such a passage's score for it is at least the rule's precision
    # on the training rows (stored with the model); labels then follow the thresholds and
    # decision rules as for any score. None: off
    threat_grammar: str | None = DEFAULT_THREAT_GRAMMAR
    # a paragraph after an attribution line ending in a colon ("the commander says:",
    # "The statement reads:") is a candidate quotation at prediction time, and the
    # attribution sentence is no candidate span (annotate.classifier.quote_blocks; stored
    # with the model; spans only, plus `attributed_quote_label` for such a block)
    colon_quote_blocks: bool = True
    # each such quoted block is read alone by the category head: it is quoted violent
    # speech (a `quoted_span` over it) only when an own-voice harmful label clears its
    # threshold on its words, and it explains the passage's own-voice harmful labels
    # when the rest of the passage read alone clears none (then the reporting label;
    # annotate.classifier.quoted_content; stored with the model; scores unchanged).
    # Fires on no row of the public sources (none has such a block): measured on the
    # project's fixtures (tests/classifier/test_colon_quote_regression.py)
    quoted_blocks_by_content: bool = True
    # a passage warning of a lawful, platform or institutional consequence and naming no
    # physical harm ("We will see you in court.", "You will be reported and banned.":
    # annotate.classifier.threat_grammar.lawful_warning) has its threat score (the
    # `threat_grammar` label's) capped at this share of that label's threshold (stored with
    # the model; applied with the grammar's floor, so the cross-source folds score it).
    # None: off
    lawful_warning_cap: float | None = 0.5
    # a short passage whose only violent verbs have the author as their object ("My mum is
    # going to kill me when she sees my grades.", "these stairs are going to kill me":
    # annotate.classifier.threat_grammar.self_directed) has its threat score capped at
    # this share of that label's threshold, like ``lawful_warning_cap`` (stored with the
    # model; scored by the cross-source folds). None: off
    self_directed_cap: float | None = 0.5
    # a short passage whose violent words are all idioms ("I'm going to kill it at the
    # audition", "I could murder a pizza", "we got slaughtered in the final", "kill the
    # engine", "break a leg": annotate.classifier.idioms.idiomatic) and in which the threat
    # grammar reads no threat has its threat score (the `threat_grammar` label's) capped at
    # this share of that label's threshold, like ``self_directed_cap`` (stored with the
    # model; scored by the cross-source folds). None: off
    idiom_cap: float | None = 0.5
    # an unquoted sentence of a passage that is not harmful is shown as a `quoted_span`
    # only where the category head, reading that sentence's embedding (its tokens pooled
    # in the passage), rates some harmful label at least this share of its threshold (the
    # reporter's own sentence, "Prosecutors said he wrote to the mayor at ...", has no
    # harmful words to quote; stored with the model; spans only, so the cross-source
    # folds, which have no span head, cannot score it). None: off
    quoted_span_min_harm: float | None = 1.0
    # share of titled project training documents added once more without their title
    # (neighbours kept): many ingested documents have no title line, and a model that
    # only ever saw titled documents reads a missing title as a signal
    untitled_documents: float = 0.0
    # passage-only head: a second head reads each passage as if it stood alone
    # (solo_features); the blended labels' logits (default: the harmful labels) are
    # (1 - w) * context head + w * passage-only head, so one threat in an ordinary
    # thread is judged on its own words too
    solo_head_blend: float = Field(default=0.0, ge=0.0, le=1.0)
    solo_head_labels: list[str] | None = None
    # decision-rule variants scored by `annotate evaluate --cross-source` on the same fitted
    # fold models (name -> changed settings: the rule flags above and/or
    # `operating_point` fields, whose thresholds are then chosen again on the fold's
    # validation rows); AUPRC does not depend on them, recall and false flags do
    rule_variants: dict[str, dict[str, Any]] = Field(default_factory=dict)
    # known limitations of this model, written by whoever trains it, for the model card
    # (the card adds the ones that follow from the data and the thresholds by itself)
    limitations: list[str] = Field(default_factory=list)
    # the file it was read from, as shown (load_train_config); None: built in code
    _source: str | None = PrivateAttr(default=None)

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, v: list[str]) -> list[str]:
        # a language name ('english') would turn prelabel's script check off unnoticed
        for lang in v:
            if not _LANGUAGE_CODE.fullmatch(str(lang)):
                raise ValueError(
                    f"{lang!r} is not an ISO 639-1 language code (two letters, optionally "
                    "with a region: en, ar, pt-BR); write e.g. [en] for English text"
                )
        return v

    @field_validator("limitations")
    @classmethod
    def _no_hand_written_thresholds(cls, v: list[str]) -> list[str]:
        # a threshold typed into the text goes stale on the next rebuild: the card fills
        # in {threshold:LABEL} / {span_threshold:SPAN} from the built model
        from annotate.evaluation.card_values import limitation_problems

        for n, text in enumerate(v):
            problems = limitation_problems(text)
            if problems:
                raise ValueError(f"limitation {n + 1}: " + "; ".join(problems))
        return v

    @field_validator("rule_variants")
    @classmethod
    def _known_rule_settings(cls, v: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for name, upd in v.items():
            bad = sorted(set(upd) - set(RULE_SETTINGS))
            if bad:
                raise ValueError(
                    f"rule variant {name!r}: {', '.join(bad)} cannot vary (allowed: "
                    f"{', '.join(RULE_SETTINGS)})"
                )
            op = upd.get("operating_point")
            if op is not None:
                OperatingPoint.model_validate({**OperatingPoint().model_dump(), **op})
        return v


# an ISO 639-1 code, optionally with a region or script subtag (BCP 47: en, pt-BR, zh-Hant)
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2}(-[A-Za-z0-9]{2,8})*")

# the settings a rule variant may change: decision rules applied after the heads, and
# the operating point (thresholds), none of which refits anything
RULE_SETTINGS = (
    "context_yields_to_none",
    "own_voice_yields_to_context",
    "page_furniture_none",
    "threat_grammar",
    "operating_point",
)


def _encoder_beside_config(cfg: TrainConfig, key: str, config: Path) -> None:
    """A local encoder folder a config names (``encoder: ./minilm``) is read relative to
    the config's folder, as its data paths are: set to that folder when it is there and is
    not what the same words name from the working directory. A hub id or a ``pkg:``
    encoder is left as it is. Raises TrainingError, naming the config, for a value that is
    a local path (``./x``, ``../x``, ``/x``, ``~/x``) with no folder there."""
    ref = getattr(cfg, key)
    if not ref or ref.startswith("pkg:"):
        return
    given = Path(ref).expanduser()
    beside = given if given.is_absolute() else (config.parent / given).resolve()
    if beside.is_dir():
        if beside != given.resolve():
            setattr(cfg, key, str(beside))
        return
    if is_local_path(ref) and not given.is_dir():
        raise TrainingError(
            f"training config {config}: {key} {ref!r} names a local folder"
            + (
                f" (read relative to the config's folder, {config.parent.resolve()})"
                if not given.is_absolute()
                else ""
            )
            + f" and there is none at {beside}.",
            fix="check the path (write it relative to the config file, or absolute); a "
            "Hugging Face hub id has no leading ./, ../ or /.",
        )


def check_hub_encoders(
    cfg: TrainConfig,
    config: str | Path | None,
    keys: tuple[str, ...] = ("encoder", "baseline_encoder"),
) -> None:
    """Raise TrainingError, naming the config and its key, when an encoder of ``keys`` is
    a Hugging Face hub id that the cache lacks while the hub cannot be reached
    (:func:`annotate.classifier.hub.unreachable_reason`). Reads no model and imports
    neither torch nor transformers, so training says it before seconds of imports; a
    local folder or a ``pkg:`` encoder is left to its loader. ``config``: the file ``cfg``
    was read from; None for a TrainConfig built in code (the fix then names its field)."""
    from annotate.classifier import hub
    from annotate.classifier.model_paths import is_local_path

    for key in keys:
        ref = getattr(cfg, key)
        if not ref or ref.startswith("pkg:") or Path(ref).expanduser().exists():
            continue
        if is_local_path(ref) or hub.cached(ref):
            continue
        reason = hub.unreachable_reason()
        if reason is None:
            return  # the hub answers: the loader fetches it
        name = ref.rstrip("/").rsplit("/", 1)[-1]
        offline = (
            f"{key} {ref!r} is a Hugging Face hub id that is not in the Hugging Face cache, "
            f"and the hub cannot be reached (offline: {reason})."
        )
        if config is None:
            folder = Path.cwd() / "encoders" / name
            raise TrainingError(
                f"TrainConfig {offline}",
                fix=f"set TrainConfig's `{key}` to a local encoder folder, e.g. download it "
                f"where the hub is reachable with `hf download {ref} --local-dir {folder}` "
                f"and pass `{key}={str(folder)!r}`; or train where the hub is reachable.",
            )
        p = Path(config)
        folder = p.parent / "encoders" / name
        raise TrainingError(
            f"training config {p}: {offline}",
            fix=f"set `{key}:` in {p} to a local encoder folder (read relative to the "
            f"config's folder), e.g. download it where the hub is reachable with "
            f"`hf download {ref} --local-dir {folder}` and set `{key}: "
            f"./{folder.relative_to(p.parent).as_posix()}`; or train where the hub is "
            "reachable.",
        )


def _near_in_config(config: Path, given: str, fix: str) -> str:
    """The fix of a config path ``given`` (relative to ``config``'s folder) that is not
    there: ``did you mean '../corpus1/'? Otherwise FIX``, the close names spelled as the
    config writes paths (relative to its folder), when a name beside it is close; else
    ``fix``. A glob pattern gets ``fix``."""
    if any(c in given for c in "*?["):
        return fix
    folder = "" if str(config.parent) == "." else f"{config.parent}/"
    near = [n.removeprefix(folder) for n in near_paths(config.parent / given)]
    if not near:
        return fix
    return f"did you mean {' or '.join(map(repr, near))}? Otherwise {fix}"


def _there(path: str) -> bool:
    """Whether the config path ``path`` (absolute) names a file or folder, or, holding glob
    characters, matches one. The name is tried first: a folder such as ``data [v2]`` is
    a name, and read as a pattern (``[v2]``: one of v, 2) it matched nothing, so an
    existing file was refused as missing (break7 L12)."""
    if Path(path).exists():
        return True
    return any(c in path for c in "*?[") and bool(glob.glob(path))


def _topmost_missing(path: Path) -> Path:
    """The outermost folder of ``path`` (absolute) that does not exist (``path`` itself when
    only it is missing)."""
    missing = path
    for parent in path.parents:
        if parent.exists():
            break
        missing = parent
    return missing


def _refuse_missing_entries(cfg: TrainConfig, p: Path) -> None:
    """TrainingError naming every data entry of the config ``p`` whose relative path (data
    or mapping) is not there, when more than one is: the first alone was named, with a fix
    (write absolute paths, keep the config beside its data) that did not fit the shipped
    config, whose public data sets are all expected in ``../shared/data`` (passF52 F7).
    When all lie under one folder that does not exist, that folder is named, with where
    the data sets are described. One missing entry: :func:`load_train_config` names it
    (with a close name)."""
    missing: list[tuple[int, str, Path]] = []
    for i, d in enumerate(cfg.data):
        for attr in ("path", "mapping"):
            v = getattr(d, attr)
            if v and not Path(v).is_absolute():
                resolved = (p.parent / v).resolve()
                if not _there(str(resolved)):
                    missing.append((i, attr, resolved))
    if len(missing) < 2:
        return
    named = []
    for i, attr, _ in missing:
        d = cfg.data[i]
        source = Path(d.mapping).stem if d.mapping else Path(d.path).name
        named.append(f"data[{i}]{'.mapping' if attr == 'mapping' else ''} {source}")
    roots = {_topmost_missing(r) for _, _, r in missing}
    relative = f"(paths in a config are read relative to its folder, {p.parent.resolve()})"
    if len(roots) == 1 and (root := roots.pop()) not in {r for _, _, r in missing}:
        raise TrainingError(
            f"training config {p}: {len(missing)} data entries are not there, all under "
            f"{root}, which does not exist {relative}: {', '.join(named)}.",
            fix=f"put the data sets in {root} (public ones: each mapping file, in "
            "models/mappings/ for the default recipe, names its data set, source and "
            'licence; docs/model.md, "Public data sets"), pass the folder that holds them as '
            "`annotate train --data-root DIR` (`annotate evaluate --cross-source` takes it "
            "too), or drop those entries from a copy of the "
            f"config kept in {p.parent} (so that its other paths hold).",
        )
    raise TrainingError(
        f"training config {p}: {len(missing)} data entries are not there {relative}: "
        f"{', '.join(named)}.",
        fix="write the paths relative to the config's folder or absolute, or drop those "
        "entries from the config.",
    )


def config_path_tails(relative: str) -> list[Path]:
    """``relative`` (a config's data path) and its trailing parts without their leading
    folders, down to a file and its folder; ``..`` never leads one:
    ``../shared/data/implicit-hate/x.tsv`` -> ``shared/data/implicit-hate/x.tsv``,
    ``data/implicit-hate/x.tsv``, ``implicit-hate/x.tsv``; a folder (no suffix) down to
    itself (as ``annotate verify MODEL --data-root`` looks a model's data up)."""
    parts = [q for q in Path(relative).parts if q != "."]
    start = next((i for i in range(len(parts)) if ".." not in parts[i:]), len(parts))
    end = len(parts) - (1 if parts and Path(parts[-1]).suffix else 0)  # a folder: itself
    return [Path(*parts[i:]) for i in range(start, max(start + 1, end))]


def _under_data_root(cfg: TrainConfig, p: Path, data_root: Path) -> None:
    """Each relative data path or mapping of the config ``p`` that is not there relative
    to the config's folder, looked up under ``data_root`` (the path, then its trailing
    parts: :func:`config_path_tails`) and rewritten to the absolute path found there."""
    for d in cfg.data:
        for attr in ("path", "mapping"):
            v = getattr(d, attr)
            if not v or Path(v).is_absolute() or _there(str((p.parent / v).resolve())):
                continue
            for tail in config_path_tails(v):
                found = (data_root / tail).resolve()
                if _there(str(found)):
                    if attr == "path":
                        d._given, d._given_in = v, display_path(p)
                    setattr(d, attr, str(found))
                    break


def _shipped_recipe(path: Path) -> Path | None:
    """The checkout's ``models/NAME.train.yaml`` (beside the default model) when
    ``path``, a config that does not exist, names it as the docs write it
    (``models/default.train.yaml`` or ``default.train.yaml``, typed in a work folder
    outside the checkout); else None (an installed annotate ships no recipe)."""
    from annotate.settings import default_model_dir

    if path.is_absolute() or path.parent not in (Path("."), Path("models")):
        return None
    shipped = default_model_dir().parent / path.name
    return shipped if path.name.endswith(".train.yaml") and shipped.is_file() else None


def load_train_config(path: str | Path, data_root: Path | None = None) -> TrainConfig:
    """The training config in ``path``, its relative paths resolved against its folder.
    ``data_root``: a folder where a data path or mapping missing there is looked for
    (as ``annotate verify MODEL --data-root``: the path, then its last folders, e.g.
    DIR/implicit-hate/x.tsv). Raises TrainingError for an unreadable or invalid config
    or data that is not there."""
    p = Path(path)
    try:
        data = load_yaml(p.read_text(encoding="utf-8"), f"training config {p}", TrainingError) or {}
        if not isinstance(data, dict):
            raise TrainingError(
                f"training config {p} must be a YAML mapping of settings (`key: value` "
                f"lines such as `name: default`); it holds {yaml_kind(data)}.",
                fix="start from models/default.train.yaml: copy it and edit its values.",
            )
        cfg = TrainConfig.model_validate(data)
    except OSError as exc:
        fix = missing_path_fix(p) if isinstance(exc, FileNotFoundError) else "check the path."
        shipped = _shipped_recipe(p) if isinstance(exc, FileNotFoundError) else None
        if shipped is not None and not near_paths(p):
            fix = (
                f"did you mean '{shipped}' (the default model's recipe, in annotate's "
                "checkout; its data paths are relative to it)? Otherwise check the path."
            )
        raise TrainingError(f"training config {p}: {exc.strerror}.", fix=fix) from None
    except ValidationError as err:
        raise validation_error(
            err,
            data,
            f"training config {p}",
            TrainingError,
            reference="models/default.train.yaml",
            schema=TrainConfig,
        ) from None
    # paths in the config are relative to the config file's directory
    for key in ("encoder", "baseline_encoder"):
        _encoder_beside_config(cfg, key, p)
    if data_root is not None:
        _under_data_root(cfg, p, data_root)
    _refuse_missing_entries(cfg, p)
    for i, d in enumerate(cfg.data):
        for attr in ("path", "mapping"):
            v = getattr(d, attr)
            if v and Path(v).is_absolute() and not _there(v):
                raise TrainingError(
                    f"training config {p}: data[{i}].{attr} {v!r} does not exist"
                    + (" (no file matches the pattern)." if any(c in v for c in "*?[") else "."),
                    fix=missing_path_fix(Path(v), "check the path in the config."),
                )
            if v and not Path(v).is_absolute():
                resolved = str((p.parent / v).resolve())
                if not _there(resolved):
                    # a copied config (cp models/default.train.yaml /tmp/) keeps paths that
                    # were relative to its old folder
                    raise TrainingError(
                        f"training config {p}: data[{i}].{attr} {v!r} is read relative to "
                        f"the config's folder ({p.parent.resolve()}) and is not there "
                        f"({resolved}).",
                        fix=_near_in_config(
                            p,
                            v,
                            "paths in a config are relative to the config file: write "
                            "absolute paths, or keep the config beside its data and mappings.",
                        ),
                    )
                if attr == "path":
                    d._given, d._given_in = v, display_path(p)
                setattr(d, attr, resolved)
    cfg._source = display_path(p)
    return cfg


def fit_to_taxonomy(cfg: TrainConfig, tax: Taxonomy) -> TrainConfig:
    """``cfg`` with each label-naming setting it leaves at its default (``own_voice_spans``,
    ``quoted_span``, ``span_categories``, ``sentence_examples_labels``,
    ``attributed_quote_label``, ``threat_grammar``, ``operating_point.label_beta``,
    ``frozen.members[].labels``: a member left with no label is dropped) cut to the labels
    ``tax`` has: the defaults name the shipped labels.yaml's labels, and a project with its
    own labels.yaml gets them where it has those labels and no error where it does not. A
    setting the config writes is kept as written (:func:`check_config` names a label it
    has not). Idempotent."""
    spans, cats = set(tax.span_names), set(tax.category_names)
    given = cfg.model_fields_set
    update: dict[str, Any] = {}
    if "own_voice_spans" not in given:
        update["own_voice_spans"] = [s for s in cfg.own_voice_spans if s in spans]
    if "quoted_span" not in given and cfg.quoted_span not in spans:
        update["quoted_span"] = None
    if "span_categories" not in given:
        update["span_categories"] = {
            s: c for s, c in cfg.span_categories.items() if s in spans and c in cats
        }
    if "sentence_examples_labels" not in given and cfg.sentence_examples_labels is not None:
        update["sentence_examples_labels"] = [
            n for n in cfg.sentence_examples_labels if n in set(tax.harmful)
        ]
    if "attributed_quote_label" not in given and cfg.attributed_quote_label not in tax.context:
        update["attributed_quote_label"] = None
    if "threat_grammar" not in given and (
        cfg.threat_grammar not in tax.harmful or cfg.trainer != "frozen"
    ):
        update["threat_grammar"] = None  # a rule of the frozen-linear model alone
    fz = cfg.frozen
    if "members" not in fz.model_fields_set:
        members = [
            m.model_copy(
                update={
                    "labels": None if m.labels is None else [n for n in m.labels if n in cats],
                    "skip_labels": [n for n in m.skip_labels if n in cats] or None
                    if m.skip_labels is not None
                    else None,
                }
            )
            for m in fz.members
        ]
        members = [m for m in members if any(m.fits(n) for n in tax.category_names)]
        if members != fz.members:
            fz = fz.model_copy(update={"members": members})
            fz.__pydantic_fields_set__.discard("members")
            update["frozen"] = fz
    op = cfg.operating_point
    if "label_beta" not in op.model_fields_set:
        beta = {k: v for k, v in op.label_beta.items() if k in cats}
        if beta != op.label_beta:
            op = op.model_copy(update={"label_beta": beta})
            # model_copy(update=) marks label_beta as given; it is still the default
            op.__pydantic_fields_set__.discard("label_beta")
            update["operating_point"] = op
    update = {k: v for k, v in update.items() if v != getattr(cfg, k)}
    if not update:
        return cfg
    out = cfg.model_copy(update=update)
    # still defaults (cut to the taxonomy), not settings the config wrote
    out.__pydantic_fields_set__.difference_update(set(update) - given)
    return out


def _meant(name: str, names: Sequence[str]) -> str:
    """``"did you mean 'violent_threat'? Otherwise "`` when ``name``, a label a config
    writes that labels.yaml lacks, is close to one of ``names`` (difflib ratio 0.75 or
    more); else ``""``: the start of the error's fix."""
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.75)
    return f"did you mean {close[0]!r}? Otherwise " if close else ""


def _where(cfg: TrainConfig) -> tuple[str, str]:
    """How an error of ``cfg`` names it: (``"training config PATH: "``, ``""``) for a
    config read from a file, (``""``, ``" of the training config"``) for one built in
    code."""
    if cfg._source:
        return f"training config {cfg._source}: ", ""
    return "", " of the training config"


def check_config(cfg: TrainConfig, tax: Taxonomy) -> None:
    """What a config needs before any data is read: some data, span labels of labels.yaml.

    Raises TrainingError naming the problem: the config file (when read from one), the
    key and the label, and the label meant when one is close.
    """
    at, of = _where(cfg)
    if not cfg.data:
        raise TrainingError(
            f"{at}no training data given.",
            fix="pass --data PATH (or a `data:` list in the config).",
        )
    spans = [("own_voice_spans", s) for s in cfg.own_voice_spans]
    if cfg.quoted_span:
        spans.append(("quoted_span", cfg.quoted_span))
    for key, span in spans:
        if span not in tax.span_names:
            raise TrainingError(
                f"{at}{key}: span label {span!r}{of} is not in labels.yaml.",
                fix=f"{_meant(span, tax.span_names)}use one of {', '.join(tax.span_names)}.",
            )
    for (i, mb), key in (
        (im, k) for im in enumerate(cfg.frozen.members) for k in ("labels", "skip_labels")
    ):
        bad = [n for n in getattr(mb, key) or [] if n not in tax.category_names]
        if bad:
            raise TrainingError(
                f"{at}frozen.members[{i}].{key}: {', '.join(map(repr, bad))}{of} "
                f"{'is not a category' if len(bad) == 1 else 'are not categories'} of "
                "labels.yaml.",
                fix=f"{_meant(bad[0], tax.category_names)}use some of "
                f"{', '.join(tax.category_names)}, or leave `{key}` out.",
            )
    uncovered = [n for n in tax.category_names if not any(mb.fits(n) for mb in cfg.frozen.members)]
    if uncovered and cfg.trainer == "frozen":
        raise TrainingError(
            f"{at}frozen.members: no member fits {', '.join(uncovered)}.",
            fix="give one member without `labels` (it fits every category).",
        )
    if cfg.threat_grammar and cfg.trainer != "frozen":
        raise TrainingError(
            f"{at}threat_grammar is a decision rule of trainer frozen; this config's trainer "
            f"is {cfg.trainer}.",
            fix="leave threat_grammar out (or set it to null), or use trainer: frozen.",
        )
    if cfg.threat_grammar and cfg.threat_grammar not in tax.harmful:
        raise TrainingError(
            f"{at}threat_grammar: {cfg.threat_grammar!r}{of} is not a harmful category of "
            "labels.yaml.",
            fix=f"{_meant(cfg.threat_grammar, tax.harmful)}use one of "
            f"{', '.join(tax.harmful)}, or leave it out.",
        )
    if cfg.attributed_quote_label and cfg.attributed_quote_label not in tax.context:
        raise TrainingError(
            f"{at}attributed_quote_label: {cfg.attributed_quote_label!r}{of} is not a context "
            "label of labels.yaml.",
            fix=f"{_meant(cfg.attributed_quote_label, tax.context)}use one of "
            f"{', '.join(tax.context)}, or leave it out.",
        )
    cats = ", ".join(tax.category_names)
    for i, entry in enumerate(cfg.data):
        bad = [n for n in entry.supervises or [] if n not in tax.category_names]
        if bad:  # checked again with the rows (sources._check_supervises); here, early
            name = bad[0]
            span = name in tax.span_names
            meant = cfg.span_categories.get(name) if span else None
            raise TrainingError(
                f"{at}data[{i}].supervises: {name!r}{of} is not a category of labels.yaml"
                + (
                    " (it is a span label, an evidence span; `supervises` names the categories "
                    "the source's rows teach)."
                    if span
                    else "."
                ),
                fix=(
                    f"did you mean {meant!r}? Otherwise "
                    if meant
                    else _meant(name, tax.category_names)
                )
                + f"list some of {cats}, or leave `supervises` out.",
            )
    named = [
        *((f"operating_point.label_beta.{k}", k) for k in cfg.operating_point.label_beta),
        *((f"span_categories.{s}", c) for s, c in cfg.span_categories.items()),
        *(("solo_head_labels", n) for n in cfg.solo_head_labels or []),
    ]
    for where, name in named:
        if name not in tax.category_names:
            raise TrainingError(
                f"{at}{where}: {name!r}{of} is not a category of labels.yaml "
                "(the setting would silently apply to no label).",
                fix=f"{_meant(name, tax.category_names)}use one of {cats}, or leave it out.",
            )
    for span in cfg.span_categories:
        if span not in tax.span_names:
            raise TrainingError(
                f"{at}span_categories: span label {span!r}{of} is not in labels.yaml.",
                fix=f"{_meant(span, tax.span_names)}use one of {', '.join(tax.span_names)}.",
            )
    from annotate.evaluation.card_values import unknown_names

    unknown = unknown_names(cfg.limitations, tax.category_names, tax.span_names)
    if unknown:
        raise TrainingError(
            f"{at}limitations: {', '.join(unknown)} name no category or span label of "
            "labels.yaml (the model card could not fill in the value).",
            fix=f"use {{threshold:CATEGORY}} with one of {cats}, or "
            f"{{span_threshold:SPAN}} with one of {', '.join(tax.span_names)}.",
        )
