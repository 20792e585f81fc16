"""The Label Studio labeling config: rendered from the taxonomy, parsed back into its
controls, and used to check every prediction result before it is sent.

Label Studio stores a result whose control or label is not in the project's config
without complaint (and the reviewer then sees nothing), hence :func:`validate_results`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

from annotate.errors import PredictionError
from annotate.studio.offsets import ls_length

if TYPE_CHECKING:
    from annotate.taxonomy import Taxonomy


# what names each part of the labeling view: the neighbours of the same document are
# shown grey for context, and without these words a reviewer saw nothing in the page
# (only the instructions) saying which text is the one to label (measured in a browser,
# stop 46: a reply condemning a threat opened under the threat, both plain paragraphs)
CONTEXT_BEFORE_HEADER = "Context: the passage before (not to label; empty at a document's start)"
PASSAGE_HEADER = "The passage to label"
CONTEXT_AFTER_HEADER = "Context: the passage after (not to label; empty at a document's end)"
# what Label Studio says to a reviewer who submits a hidden passage without revealing it:
# an answer to a passage its reviewer never read (the model's pre-selected labels, sent
# unread) was stored and exported as a reviewed decision (seen in a browser, stop 46); a
# reviewer who would rather not read it skips the task instead
REVEAL_REQUIRED = (
    "This passage is hidden behind its content warning. Tick \u201cShow the passage\u201d and "
    "read it before you submit, or skip the task (Skip, under \u201cLabel All Tasks\u201d)."
)
# each line of a shown text (passage, neighbours, provenance) takes the direction of its
# first strong letter, as a browser's dir="auto" does: Label Studio lays every text out
# left to right, which put a Hebrew or Arabic line's closing full stop (and any neutral
# at its ends) on the wrong side, before its first word (seen in a browser, stop 46).
# Lines stay aligned left. An internal class name of Label Studio 1.23's text tag (each
# line an inline-block span): were it renamed, texts read left to right again, no worse.
BIDI_STYLE = ".lsf-richtext__line { unicode-bidi: plaintext; }"
# the thread's view (the comments a reply answers: annotate.review.parents) is drawn only
# when its heading says something: a comment replying to none has "" in both fields, and
# Label Studio shows an element by the answer's state only (a View's visibleWhen: regions
# and choices, never the task's data), so an empty thread left a grey bar with nothing in
# it above every top-level comment. A browser's :has() hides the view when its text is
# one empty line (the class is the project's own, given to the View by its className; the
# line class is Label Studio 1.23's, as BIDI_STYLE's: were it renamed, the bar would show
# again, empty, no worse, never hide a thread; tests/integration/test_push_thread_context.py
# checks it in Chromium)
THREAD_CLASS = "annotate-thread"
THREAD_STYLE = f".{THREAD_CLASS}:has(.lsf-richtext__line:only-child:empty) {{ display: none; }}"


def render_label_config(tax: Taxonomy) -> str:
    """The labeling view: title, provenance, a content warning with a reveal tick, the
    comment the passage replies to (grey, under a heading naming it; both "" for a passage
    replying to none: :mod:`annotate.review.parents`), the
    passage between its (grey, secondary) neighbours, each part named in the page
    (:data:`CONTEXT_BEFORE_HEADER`, :data:`PASSAGE_HEADER`, :data:`CONTEXT_AFTER_HEADER`),
    categories by display name; every text's paragraphs read in their own direction
    (:data:`BIDI_STYLE`)."""
    from annotate.review.parents import PARENT_FIELD, PARENT_HEADER_FIELD
    from annotate.review.view import REVEAL, REVEAL_TEXT, REVEAL_VALUE

    ui = tax.interface
    a = quoteattr
    secondary = a(
        "color:#777;font-size:0.85em;border-left:3px solid #ddd;padding-left:8px;margin:6px 0"
    )
    context_header = a("font-size:0.9em;font-weight:600;color:#777;margin:0")
    lines = [
        "<View>",
        f"  {version_comment(tax)}",
        f"  <Style>{BIDI_STYLE} {THREAD_STYLE}</Style>",
        '  <Header value="$title" size="4"/>',
        '  <Text name="provenance" value="$provenance" valueType="text"/>',
        '  <Text name="warning" value="$warning" valueType="text"/>',
        f'  <Choices name={a(REVEAL)} toName={a(ui.passage)} choice="single" showInline="true"'
        f' required="true" requiredMessage={a(REVEAL_REQUIRED)}>',
        f"    <Choice value={a(REVEAL_TEXT)} alias={a(REVEAL_VALUE)}/>",
        "  </Choices>",
        f'  <View visibleWhen="choice-selected" whenTagName={a(REVEAL)}'
        f" whenChoiceValue={a(REVEAL_VALUE)}>",
        f"  <View className={a(THREAD_CLASS)} style={secondary}>",
        f'    <Header value="${PARENT_HEADER_FIELD}" size="6" style={context_header}/>',
        f'    <Text name="{PARENT_FIELD}" value="${PARENT_FIELD}" valueType="text"/>',
        "  </View>",
        f"  <View style={secondary}>",
        f'    <Header value={a(CONTEXT_BEFORE_HEADER)} size="6" style={context_header}/>',
        '    <Text name="context_before" value="$context_before" valueType="text"/>',
        "  </View>",
        f'  <Header value={a(PASSAGE_HEADER)} size="5"/>',
        f"  <Labels name={a(ui.spans)} toName={a(ui.passage)}>",
    ]
    for span in tax.spans:
        lines.append(
            f"    <Label value={a(span.title)} alias={a(span.name)} background={a(span.color)}"
            f" hint={a(span.title + ': ' + span.definition)}/>"
        )
    lines += [
        "  </Labels>",
        f'  <Text name={a(ui.passage)} value={a("$" + ui.text_field)} granularity="symbol"/>',
        f"  <View style={secondary}>",
        f'    <Header value={a(CONTEXT_AFTER_HEADER)} size="6" style={context_header}/>',
        '    <Text name="context_after" value="$context_after" valueType="text"/>',
        "  </View>",
        "  </View>",
        '  <Header value="What does this passage do? (all that apply)" size="5"/>',
        f'  <Choices name={a(ui.categories)} toName={a(ui.passage)} choice="multiple"'
        ' required="true" showInline="false">',
    ]
    for cat in tax.categories:
        lines.append(
            f"    <Choice value={a(cat.title)} alias={a(cat.name)}"
            f" hint={a(cat.title + ': ' + cat.definition)}/>"
        )
    lines += [
        "  </Choices>",
        f'  <Header value={a(severity_header(tax))} size="5"/>',
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


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def severity_header(tax: Taxonomy) -> str:
    """The Severity section's heading, stating the rule export and agreement read answers
    by (:func:`annotate.corpus.rows.severity_contradicted`): a severity above level 0
    needs a harmful category, and a harmful category a severity above level 0; otherwise
    the severity is read as not given. Reviewers were never told it while answering
    (break5 B9: a news report quoting a threat marked News reporting + low). Generated
    from labels.yaml: its non-harmful categories' titles and its level-0 severity (none:
    leave the severity empty)."""
    others = [c.title for c in tax.categories if c.group != "harmful"]
    zero = [s.name for s in tax.severity if s.level == 0]
    if not others:
        return "Severity of the harmful content"
    when = f"when only {_either(others)} apply"
    if zero:
        above = [s.name for s in sorted(tax.severity, key=lambda s: s.level) if s.level > 0]
        need = f"; {above[0]} and above need a harmful category" if above else ""
        return f"Severity of the harmful content: {zero[0]} {when}{need}"
    return f"Severity of the harmful content: leave it empty {when}"


VERSION_TAG = "annotate labels.yaml"
# the content digest after the version (configs rendered before 6 Dec 2026 record none)
_VERSION_RE = re.compile(
    r"<!--\s*"
    + re.escape(VERSION_TAG)
    + r"\s+(?P<name>\S+)\s+(?P<version>\S+?)(?:\s+sha256\s+(?P<sha256>[0-9a-f]{64}))?\s*-->"
)


def version_comment(tax: Taxonomy) -> str:
    """``<!-- annotate labels.yaml NAME VERSION sha256 HEX -->``: the labeling config
    records the taxonomy it was rendered from, so an export knows which labels.yaml the
    project's answers were made under (:func:`config_taxonomy_version`) and whether the
    one it reads with has the same content (:func:`config_taxonomy_sha256`, the
    taxonomy's :attr:`~annotate.taxonomy.Taxonomy.content_sha256`: a labels.yaml edited
    without a version bump still differs)."""
    return f"<!-- {VERSION_TAG} {tax.name} {tax.version} sha256 {tax.content_sha256} -->"


# answers made before labels.yaml moved on: a push that changes the labeling config of a
# project from one labels.yaml version to another keeps, in the new config, when the old
# one ended and which labels the new one added (``<!-- annotate labels.yaml history:
# answers before 2026-12-04T21:10:00+00:00 were made under 1.0.0; 1.1.0 added
# category:harassment -->``): Label Studio keeps no history of a config, and an answer
# made before the change never offered the labels added (:func:`taxonomy_history`)
HISTORY_TAG = "annotate labels.yaml history:"
_HISTORY_RE = re.compile(
    r"<!--\s*"
    + re.escape(HISTORY_TAG)
    + r"\s+answers before (?P<until>\S+) were made under (?P<version>[^;\s]+)"
    + r"(?:; (?P<next>\S+) added (?P<added>[^\s]*))?\s*-->"
)


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a project's labeling config between labels.yaml versions: answers
    made (last changed) before ``until`` (ISO 8601, UTC) were made under ``version``;
    ``added``: the labels (``control:name``) the next version brought in, which those
    answers could not choose."""

    version: str
    until: str
    added: tuple[str, ...] = ()
    next_version: str | None = None

    def comment(self) -> str:
        tail = (
            f"; {self.next_version} added {','.join(self.added)}"
            if self.added and self.next_version
            else ""
        )
        return (
            f"<!-- {HISTORY_TAG} answers before {self.until} were made under "
            f"{self.version}{tail} -->"
        )


def taxonomy_history(xml: str | None) -> list[HistoryEntry]:
    """The labels.yaml versions a labeling config was made from before its own
    (:data:`HISTORY_TAG` comments, oldest first); [] for a config never changed from one
    version to another by a push (or changed before 2026-12-04). Never raises."""
    found = [
        HistoryEntry(
            m.group("version"),
            m.group("until"),
            tuple(a for a in (m.group("added") or "").split(",") if a),
            m.group("next"),
        )
        for m in _HISTORY_RE.finditer(xml or "")
    ]
    return sorted(found, key=lambda e: e.until)


def with_history(xml: str, history: list[HistoryEntry]) -> str:
    """``xml`` (a rendered labeling config) with ``history``'s comments after its version
    comment (else before its closing tag); ``xml`` itself when ``history`` is empty."""
    if not history:
        return xml
    lines = "".join(f"  {e.comment()}\n" for e in history)
    found = _VERSION_RE.search(xml)
    if found:
        end = xml.find("\n", found.end())
        at = len(xml) if end < 0 else end + 1
        return xml[:at] + lines + xml[at:]
    head, sep, tail = xml.rpartition("</View>")
    return f"{head}{lines}{sep}{tail}" if sep else xml + lines


def without_history(xml: str) -> str:
    """``xml`` without the :data:`HISTORY_TAG` comments (each with its line's indent)."""
    return re.sub(r"[ \t]*" + _HISTORY_RE.pattern + r"[ \t]*\n?", "", xml)


def config_taxonomy_version(xml: str) -> str | None:
    """The labels.yaml version a labeling config was rendered from (None: a config
    rendered before configs recorded it, or written by hand)."""
    found = _VERSION_RE.search(xml or "")
    return found.group("version") if found else None


def config_taxonomy_sha256(xml: str | None) -> str | None:
    """The content SHA-256 of the labels.yaml a labeling config was rendered from
    (:attr:`annotate.taxonomy.Taxonomy.content_sha256`); None: a config rendered before
    configs recorded it (6 Dec 2026), or written by hand."""
    found = _VERSION_RE.search(xml or "")
    return found.group("sha256") if found else None


def config_taxonomy_name(xml: str | None) -> str | None:
    """The labels.yaml ``name`` a labeling config was rendered from (None: not recorded)."""
    found = _VERSION_RE.search(xml or "")
    return found.group("name") if found else None


def label_words(config: LabelConfig, controls: Collection[str]) -> dict[str, tuple[str, str, str]]:
    """What reviewers see of each label of ``controls`` (control names: the taxonomy's
    categories, spans and severity) in a parsed labeling config, by ``"control:name"``
    (the alias results store, else the value): ``(shown value, hint, background)``, which
    labels.yaml's titles, definitions and colours render."""
    return {k: v for k, v in config.words.items() if k.split(":", 1)[0] in controls}


def same_label_config(first: str, second: str) -> bool:
    """Whether two labeling configs (XML text) are the same but for whitespace (any
    space, tab or line break, anywhere): Label Studio may hand back a saved config
    re-indented, and a push or adjudication run updates a project's config only when
    this says it differs. The history comments a push keeps (:func:`taxonomy_history`)
    are no difference: labels.yaml renders none. Never raises."""
    first, second = without_history(first), without_history(second)
    return "".join(first.split()) == "".join(second.split())


@dataclass(frozen=True)
class Control:
    name: str
    tag: str  # "choices", "labels", "textarea", ...
    to_name: str
    values: frozenset[str]
    multiple: bool
    # the labels (alias, else value) in the config's order: for the categories control of
    # a config rendered from labels.yaml, the categories by id (Taxonomy.label2id)
    order: tuple[str, ...] = ()


@dataclass(frozen=True)
class LabelConfig:
    controls: dict[str, Control]
    objects: dict[str, str]  # object tag name -> task data field it shows
    # "control:name" (the alias results store, else the value) -> (shown value, hint,
    # background) of every choice and label of a control: what reviewers see of it
    words: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    @property
    def data_fields(self) -> set[str]:
        return set(self.objects.values())


RESULT_TYPE = {"choices": "choices", "labels": "labels", "textarea": "textarea"}


def parse_label_config(xml: str) -> LabelConfig:
    """Controls (name, tag, toName, allowed values), objects and label words of a labeling
    config. Raises PredictionError for text that is no valid XML."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise PredictionError(
            f"the labeling config is not valid XML ({exc}).",
            fix="check labels.yaml with `annotate taxonomy config`.",
        ) from None
    controls: dict[str, Control] = {}
    objects: dict[str, str] = {}
    words: dict[str, tuple[str, str, str]] = {}
    for number, el in enumerate(root.iter()):
        tag = el.tag.lower()
        name = el.get("name")
        value = el.get("value") or ""
        if name and el.get("toName"):
            labels = [child for child in el if child.tag.lower() in ("choice", "label")]
            # results store the alias when there is one
            values = frozenset(child.get("alias") or child.get("value", "") for child in labels)
            for child in labels:
                key = child.get("alias") or child.get("value", "")
                shown = (child.get("value", ""), child.get("hint", ""), child.get("background", ""))
                words[f"{name}:{key}"] = shown
            multiple = el.get("choice", "single") == "multiple" or tag == "labels"
            order = tuple(child.get("alias") or child.get("value", "") for child in labels)
            controls[name] = Control(name, tag, el.get("toName", ""), values, multiple, order)
        elif value.startswith("$"):
            objects[name or f"{tag}#{number}"] = value[1:]
    return LabelConfig(controls=controls, objects=objects, words=words)


def project_label_config(xml: str | None) -> LabelConfig:
    """A project's labeling config as Label Studio holds it, parsed once: empty (no
    control, object or word) when it has none or it is no valid XML. Never raises."""
    try:
        return parse_label_config(xml or "")
    except PredictionError:
        return LabelConfig(controls={}, objects={})


def validate_results(
    results: list[dict[str, Any]], config: LabelConfig, text: str, *, where: str
) -> None:
    """Check each result against the config: control, target, type, values, offsets."""
    text_units = ls_length(text)  # code points, as Label Studio counts them
    for result in results:
        name = result.get("from_name")
        control = config.controls.get(str(name))
        if control is None:
            raise PredictionError(
                f"{where}: result for control {name!r}, which the labeling config does not have "
                f"(controls: {', '.join(sorted(config.controls))}).",
                fix="render the project's config from the same labels.yaml (`annotate push` does).",
            )
        if result.get("to_name") != control.to_name:
            raise PredictionError(
                f"{where}: control {name!r} targets {control.to_name!r}, the result targets "
                f"{result.get('to_name')!r}.",
                fix="use the toName of the labeling config.",
            )
        expected_type = RESULT_TYPE.get(control.tag, control.tag)
        if result.get("type") != expected_type:
            raise PredictionError(
                f"{where}: control {name!r} expects result type {expected_type!r}, found "
                f"{result.get('type')!r}.",
                fix="fix the result type.",
            )
        value = result.get("value") or {}
        if control.tag in ("choices", "labels"):
            chosen = value.get(expected_type)
            if not isinstance(chosen, list) or not chosen:
                raise PredictionError(
                    f"{where}: control {name!r} needs a non-empty list value[{expected_type!r}].",
                    fix="send at least one label or leave the result out.",
                )
            unknown = [v for v in chosen if v not in control.values]
            if unknown:
                raise PredictionError(
                    f"{where}: {', '.join(map(repr, unknown))} not allowed in control {name!r} "
                    f"(allowed: {', '.join(sorted(control.values))}).",
                    fix="use labels of labels.yaml, or re-run prelabel with this labels.yaml.",
                )
            if not control.multiple and len(chosen) > 1:
                raise PredictionError(
                    f"{where}: control {name!r} takes one choice, found {chosen}.",
                    fix="send a single choice.",
                )
        if control.tag == "labels":
            start, end = value.get("start"), value.get("end")
            ok = isinstance(start, int) and isinstance(end, int)
            if not (ok and 0 <= start < end <= text_units):
                raise PredictionError(
                    f"{where}: span [{start}, {end}) is outside the text (length {text_units} "
                    "characters) or empty.",
                    fix="check the span offsets in the prelabel file.",
                )
