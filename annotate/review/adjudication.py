"""`annotate adjudicate`: the passages reviewers disagree on, in ``NAME · adjudication``.

A passage is *disputed* when two reviewers or more answered it and the vote did not
decide its categories or its severity (export's ``tie``: e.g. high vs critical from two
reviewers), or their category sets differ, or their severities are two levels apart or
more (:func:`annotate.corpus.resolve.disputed`, the rule export's ``resolution``
shares). The adjudication project gets exactly the disputed passages (gold passages
never): the same task data, a "Reviewers' answers" panel listing each answer under its
reviewer's pseudonym (labels by their labels.yaml titles), and each answer as a
prediction whose model version is that pseudonym, and an empty one, the newest, the
lead's answer starts from (:data:`BLANK_START`: never one reviewer's answer). A lead's
answer there overrides the vote in the export (``resolution =
adjudicated``). Idempotent: passages already in the adjudication project are not added
again, but their tasks are brought up to date (hiding, context, the answers panel and
the reviewers' answers as predictions), so tasks added before a rule changed or before
a reviewer answered again match a fresh run; the lead's answers stay. A task whose
passage is no longer disputed (a reviewer changed an answer) leaves the lead's queue but
is never deleted: Label Studio serves it to nobody any more (overlap 0, see
:func:`_retire`), whether the lead left it untouched, skipped it or holds a draft there;
it is marked ``no_longer_disputed``, its answers panel says so and the Queue tab lists it
last. A lead's answer there (given before, or after from the Data Manager) stays and
still decides the passage (export counts it as ``adjudicated_no_longer_disputed``). A
passage disputed again is put back in the queue.

A reviewers' vote settles a passage only through blind answers: a passage whose dispute
ended *only* through an answer made or changed after this project showed its answers
(every member can open it, so that answer could copy another reviewer's;
:func:`annotate.review.blindness.agreed_only_after_shown`) stays disputed, in (or back
in) the lead's queue, and its answers panel opens with who changed what, from the answer
this project showed to the one now (:data:`CHANGED_FIELD` keeps the former across runs),
so the lead can confirm it or decide otherwise. ``accept_changed_answers`` lets such a
vote settle it as before. A dispute ended by blind answers (one deleted, answers made
before the passage was shown) leaves the queue as above.

Graphic text is hidden from the lead by the reviewers' rule (:mod:`annotate.review.view`)
applied to the model *and* the reviewers' answers: a passage the model flags, that any
reviewer marked ``graphic_violence``, or that a reviewer rated ``high`` or above opens
behind its content warning (its predictions lose the "show" tick and the text of their
evidence spans; the answers panel sits inside the hidden view); a neighbour hidden that
way shows as a note in the context of the passages next to it.

The lead's queue is ordered by what the reviewers said (:func:`dispute_priority`, the
task's ``data.priority``, which the Queue tab sorts by; new tasks are imported in that
order): the reviewers' highest severity, then the share of harmful votes, then the model.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annotate._util.progress import StageFn, advance, stage
from annotate.corpus.offered import tasks_not_offered
from annotate.corpus.resolve import NotOffered, disputed, pseudonym, unoffered_of
from annotate.corpus.rows import HARMFUL_SEVERITY_NONE, contradiction_of, task_to_row
from annotate.errors import InputError
from annotate.review.blindness import agreed_only_after_shown, first_shown
from annotate.review.collect import (
    ADJUDICATION_SUFFIX,
    adjudication_title,
    lead_answers,
    lead_ignored,
    merged_tasks,
    task_states,
    usable_annotations,
)
from annotate.review.fanout import MAX_TITLE
from annotate.review.gold import gold_key
from annotate.review.late_copies import drop_extra_copies, passage_of
from annotate.review.parents import PARENT_FIELD, PARENT_ID_FIELD, hidden_parent, thread_chain
from annotate.review.queue_tasks import check_import_answer
from annotate.review.view import (
    CONTEXT_FIELDS,
    REVEAL,
    SOURCE_FIELDS,
    hidden_neighbour,
    hide_in_queue_tab,
    order_queue_tab,
    project_view_settings,
    reveal_result,
    reviewed_reasons,
    set_up_views,
    set_up_views_unless_made,
    warning_fields,
)
from annotate.studio.client import StudioClient, task_open
from annotate.studio.drafts import tasks_with_drafts
from annotate.studio.label_config import parse_label_config, same_label_config
from annotate.studio.project_copies import keep_oldest
from annotate.studio.projects import adjudication_description
from annotate.studio.pull import latest_annotations
from annotate.studio.push import (
    check_projects_ids,
    check_same_version_content,
    import_retrying,
    reworded_labels,
)
from annotate.studio.pushed_taxonomy import other_content_warning, read_pushed_taxonomies
from annotate.studio.shown_text import ShownText, task_source
from annotate.studio.tasks import PASSAGE_ID_FIELD, PRIORITY_FIELD, without_region_text
from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)

REVIEWS_FIELD = "reviews"
# the lead's answer starts blank: Label Studio pre-fills a new answer in the Data Manager
# with the task's newest prediction (1.23.2 lists a task's predictions newest first and
# takes ``predictions[0]``; seen in a browser), which was the answer of the reviewer whose
# pseudonym sorts last: an arbitrary reviewer's answer, one click from being submitted as
# the lead's. Each task's newest prediction is this one, empty (but for the "show" tick of
# a passage not hidden), so the lead starts from nothing and chooses every field; the
# reviewers' answers stay in the answers panel and as predictions of their own, each in
# its tab. (The labeling stream pre-fills nothing here: the project selects no model
# version.)
BLANK_START = "start blank (decide from the answers)"
# the lead's grid column saying what the reviewers disagree on (:func:`dispute_summary`)
DISPUTE_FIELD = "disputed"
# built-in grid columns the lead's Queue tab hides, so that title, preview and the
# dispute are in view (they came after these, off the screen: passC50 R7); the results
# columns would show the reviewers' evidence text of passages not hidden
ADJUDICATION_HIDDEN_COLUMNS = (
    "tasks:annotations_results",
    "tasks:annotations_ids",
    "tasks:predictions_results",
    "tasks:predictions_score",
    "tasks:predictions_model_versions",
)


@dataclass
class AdjudicationResult:
    """``project_id``/``project_url`` are None when nothing is disputed and the
    adjudication project does not exist yet (an empty one is not created)."""

    project: str
    project_id: int | None
    project_url: str | None
    disputed: int
    added: int
    already: int
    passages: list[str] = field(default_factory=list)
    compared: int = 0  # passages with answers of two reviewers or more
    updated: int = 0  # tasks already there whose data or reviewers' answers changed
    # of ``updated``: tasks of passages no longer disputed (in ``settled``, not ``already``)
    updated_settled: int = 0
    # tasks already there whose passage the reviewers no longer dispute (they changed an
    # answer) and that stay: the lead answered (that answer still decides the passage:
    # recorded as moot), skipped or started an answer (a draft) there; brought up to date
    settled: list[str] = field(default_factory=list)
    # of ``settled``: the lead answered them
    settled_answered: list[str] = field(default_factory=list)
    # of ``settled``: taken out of the lead's queue by this run (overlap 0: Label Studio
    # serves them to nobody; never deleted, so nothing a lead gave there is lost)
    retired: list[str] = field(default_factory=list)
    # passages disputed again whose task had been taken out of the queue: put back
    reopened: list[str] = field(default_factory=list)
    # a review set's open tasks (neither answered nor skipped) in its reviewers' queues
    # when this ran (only with ``mid_round``: refused otherwise; or when nothing was
    # disputed and no adjudication project was made: the round may dispute some yet)
    open_in_queues: int = 0
    # a shared project's (plain or numbered: every reviewer answers in the same projects)
    # open tasks when this ran: never refused (such projects are not blind anyway), but
    # answers still to come may dispute more passages (newuser60 #11)
    open_in_shared: int = 0
    # the review set's reviewers per passage (K) its queues record, read only when nothing
    # is disputed and no adjudication project exists (None: not read, or none recorded):
    # K = 1 (`push --gold` without -k) never has two answers to dispute
    reviewers_per_task: int | None = None
    # the lead's tasks there before this run, of passages still disputed, neither answered
    # nor skipped: "Label All Tasks" serves them (by task id) before the ``added`` ones
    open_before: int = 0
    # passages already shown here whose dispute ended only through an answer made or
    # changed after this project showed them (not blind): in ``passages`` (kept with the
    # lead) unless ``accept_changed_answers``, then in ``settled`` (their vote decides)
    agreed_only_after_shown: list[str] = field(default_factory=list)
    accept_changed_answers: bool = False
    # passages here whose lead's answer decides them, as export reads it
    # (:func:`annotate.review.collect.lead_ignored`)
    decided_by_lead: list[str] = field(default_factory=list)
    # passages here the lead answered with an answer deciding nothing, by why
    # (``none_with_other``, ``without_category``): export leaves them waiting for the lead
    # (disputed), or their vote deciding (no longer disputed)
    lead_answers_ignored: dict[str, list[str]] = field(default_factory=dict)


def adjudication_config(tax: Taxonomy) -> str:
    """The taxonomy's labeling config with a panel showing the reviewers' answers, inside
    the view a content warning hides (the answers quote the passage)."""
    panel = (
        '  <Header value="Reviewers\' answers (pseudonyms)" size="5"/>\n'
        f'  <Text name="{REVIEWS_FIELD}" value="${REVIEWS_FIELD}" valueType="text"/>\n'
    )
    config = tax.render_label_config()
    hidden = config.index('visibleWhen="choice-selected"')
    after = config.index("\n", hidden) + 1
    return config[:after] + panel + config[after:]


def _number(value: Any) -> float | None:
    """A task's ``data.priority`` as a number (None when missing or not one)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _position(data: dict[str, Any]) -> tuple[str, int] | None:
    if data.get("doc_id") in (None, "") or data.get("passage_index") is None:
        return None
    return str(data["doc_id"]), int(data["passage_index"])


def dispute_priority(
    anns: list[dict[str, Any]], model_priority: float | None, tax: Taxonomy
) -> float:
    """The lead's queue order (``data.priority``, highest first, in [0, 1)): the reviewers'
    highest severity first, then the share of reviewers who chose a harmful category, then
    the model's priority (:func:`annotate.studio.tasks.priority`, as the review set's task
    holds it) (passC50 R4: ordered by the model alone, the dispute a reviewer rated
    critical came last of 4). Lexicographic in one number, as the Queue tab sorts one
    column: ``(s * 101 + h + 0.999 m) / (L * 101)``, with ``s`` the index of the highest
    severity any reviewer gave among the L levels (0 when none), ``h`` the percentage of
    answers with a harmful category (0 to 100, rounded) and ``m`` the model's priority (0
    when the task has none). Ties keep the review set's order (a stable sort)."""
    levels = tax.severity_names
    ranks = [levels.index(a["severity"]) for a in anns if a.get("severity") in levels]
    top = max(ranks, default=0)
    harmful = sum(1 for a in anns if any(c in tax.harmful for c in a.get("categories") or []))
    share = round(100 * harmful / len(anns)) if anns else 0
    model = min(max(float(model_priority or 0.0), 0.0), 1.0)
    return round((top * 101 + share + 0.999 * model) / (max(len(levels), 1) * 101), 6)


def _hide_for_lead(
    data: dict[str, Any],
    predictions: list[dict[str, Any]],
    answers: list[dict[str, Any]],
    tax: Taxonomy,
) -> bool:
    """Apply the hiding rule to one lead task (in place); whether it is hidden."""
    text = str(data.get(tax.interface.text_field) or "")
    reasons = reviewed_reasons(
        data.get("model_labels") or [], data.get("model_scores") or {}, answers, tax, text
    )
    hidden = bool(reasons) or bool(data.get("warning"))  # the push's warning: the model's
    if reasons:
        data.update(warning_fields(text, reasons))
    for pred in predictions:
        result = [r for r in pred["result"] if r.get("from_name") != REVEAL]
        if hidden:
            pred["result"] = [without_region_text(r) for r in result]
        else:
            pred["result"] = [*result, reveal_result(tax)]  # opens at once
    return hidden


def dispute_summary(answers: list[dict[str, Any]], tax: Taxonomy) -> str:
    """The :data:`DISPUTE_FIELD` column of the lead's grid: what the reviewers chose, by
    labels.yaml title with how many chose it, then their severities, e.g. ``Violent threat
    1, None of these 1 · severity critical / none``. Label titles and severity names only,
    never the passage's or an evidence span's text (passC50 R7: the grid showed only
    ids, and the lead had to open each task to know what the dispute was)."""
    titles = {c.name: c.title for c in tax.categories}
    votes = Counter(c for a in answers for c in a.get("categories") or [])
    order = {c: i for i, c in enumerate(tax.category_names)}
    chosen = ", ".join(
        f"{titles.get(c, c)} {n}"
        for c, n in sorted(votes.items(), key=lambda kv: order.get(kv[0], len(order)))
    )
    severities = " / ".join(shown_severity(a, tax, short=True) for a in answers)
    return f"{chosen or '(no category)'} · severity {severities}"


def shown_severity(ann: dict[str, Any], tax: Taxonomy, *, short: bool = False) -> str:
    """A reviewer's severity as the lead reads it: the level chosen, ``-`` when none was.
    An answer whose severity contradicts its categories (a harmful category with the
    level-0 severity, or a harmful severity with no harmful category) votes no severity
    (``severity`` ""), but the lead is shown what the reviewer picked, marked: ``high
    (contradicts: no harmful category)``, ``none (contradicts: a harmful category)``, where
    it read ``-`` as if the reviewer had picked nothing. ``short``: ``high (contradicted)``
    (the grid's column, :func:`dispute_summary`)."""
    kind = contradiction_of(ann, tax.no_harm_severity)
    if kind is None:
        return str(ann.get("severity") or "-")
    picked = str(ann.get("severity_answered"))
    if short:
        return f"{picked} (contradicted)"
    why = "a harmful category" if kind == HARMFUL_SEVERITY_NONE else "no harmful category"
    return f"{picked} (contradicts: {why})"


def _describe(name: str, ann: dict[str, Any], tax: Taxonomy, shown: ShownText | None = None) -> str:
    """One line of the "Reviewers' answers" panel: the reviewer's pseudonym ``name``, then
    their answer ``ann`` (a row's annotation: ``categories``, ``severity``, ``spans``,
    ``comment``) in the words the lead's labeling view shows: category and span titles
    from labels.yaml (``Violent threat``, not ``violent_threat``); a name labels.yaml no
    longer has (an answer made under an older version) as it was stored. ``shown``: the
    text the task shows instead of the passage's (a subtitle cue without its markup),
    each span quoted from it."""
    cats = {c.name: c.title for c in tax.categories}
    kinds = {s.name: s.title for s in tax.spans}
    spans = "; ".join(
        f"{kinds.get(s['label'], s['label'])} «{_quoted(s, shown)}»" for s in ann["spans"]
    )
    chosen = ", ".join(cats.get(c, c) for c in ann["categories"])
    answered = [] if chosen else list(ann.get("categories_answered") or [])
    if answered:  # `none` with another category: read as no vote (export's rows)
        chosen = " + ".join(cats.get(c, c) for c in answered) + " (contradictory: no vote)"
    parts = [f"{name}: {chosen or '(no category)'}"]
    parts.append(f"severity {shown_severity(ann, tax)}")
    if spans:
        parts.append(f"evidence {spans}")
    if ann.get("comment"):
        parts.append(f"comment: {ann['comment']}")
    return " · ".join(parts)


def _quoted(span: dict[str, Any], shown: ShownText | None) -> str:
    """A row's span (on the passage's text) as the task shows it: its ``text``, or, on
    a text ``shown`` instead, that text's characters of it."""
    where = None if shown is None else shown.to_shown(int(span["start"]), int(span["end"]))
    return str(span["text"]) if shown is None or where is None else shown.shown[slice(*where)]


def _update_present(
    client: StudioClient,
    project_id: int,
    todo: list[dict[str, Any]],
    present: dict[str, list[dict[str, Any]]],
) -> list[str]:
    """Bring the tasks already in the adjudication project up to date with ``todo`` (their
    data: hiding fields, context, the answers panel; their predictions: one per reviewer,
    hidden or with the "show" tick): tasks imported before a rule changed, or before a
    reviewer answered again, would keep what they were imported with. Only what differs
    is sent; the lead's answers (annotations) are never touched. A reviewer's prediction
    a late request made twice is deleted down to the oldest (the other one would keep an
    answer the reviewer changed). Returns the passage ids of the tasks changed."""
    pairs = [
        (want, have)
        for want in todo
        for have in present.get(str(want["data"][PASSAGE_ID_FIELD]), [])
    ]
    if not pairs:
        return []
    by_task: dict[int, list[dict[str, Any]]] = {}
    for pred in client.list_predictions(project_id):
        if pred.get("task") is not None:
            by_task.setdefault(int(pred["task"]), []).append(pred)
    changed: list[str] = []
    for want, have in pairs:
        task_id = int(have["id"])
        touched = False
        if (have.get("data") or {}) != want["data"]:
            client.update_task_data(task_id, want["data"])
            touched = True
        old: dict[str, dict[str, Any]] = {}  # model version (a reviewer) -> its prediction
        for pred in sorted(by_task.get(task_id, []), key=lambda p: int(p["id"])):
            version = str(pred.get("model_version") or "")
            if version in old:  # made twice (a late request): the second would go stale
                log.warning("task %s: deleting prediction %s, made twice", task_id, pred["id"])
                client.delete_prediction(int(pred["id"]))
                touched = True
            else:
                old[version] = pred
        blank = old.pop(BLANK_START, None)
        # a reviewer's prediction newer than the blank start (an earlier annotate made it
        # first) takes the pre-fill: the blank start is made again, after it
        newer = blank is not None and any(int(p["id"]) > int(blank["id"]) for p in old.values())
        for pred in want["predictions"]:
            if pred["model_version"] == BLANK_START:
                continue
            there = old.pop(pred["model_version"], None)
            if there is None:
                client.create_prediction(task_id, pred["model_version"], pred["result"])
                touched = newer = True
            elif there.get("result") != pred["result"]:
                client.update_prediction(int(there["id"]), pred["result"])
                touched = True
        for gone in old.values():  # an answer no longer there (deleted by its reviewer)
            client.delete_prediction(int(gone["id"]))
            touched = True
        touched = _blank_newest(client, task_id, want["predictions"], blank, newer) or touched
        if touched:
            changed.append(str(want["data"][PASSAGE_ID_FIELD]))
    if changed:
        log.info(
            "adjudication project %d: %d task(s) already there updated", project_id, len(changed)
        )
    return changed


def _blank_newest(
    client: StudioClient,
    task_id: int,
    wanted: list[dict[str, Any]],
    blank: dict[str, Any] | None,
    newer: bool,
) -> bool:
    """Make the task's :data:`BLANK_START` prediction (from ``wanted``, the task's wanted
    predictions) its newest: made when missing (``blank`` None: a task an earlier annotate
    made), made again when a reviewer's prediction is ``newer`` (one added now, for an
    answer given since), else brought up to date. Whether anything was sent."""
    want = next(p for p in wanted if p["model_version"] == BLANK_START)
    if blank is not None and not newer:
        if blank.get("result") == want["result"]:
            return False
        client.update_prediction(int(blank["id"]), want["result"])
        return True
    if blank is not None:
        client.delete_prediction(int(blank["id"]))
    client.create_prediction(task_id, BLANK_START, want["result"])
    return True


# with skips: a task the lead skipped is their record (never taken for a late copy)
TASK_FIELDS = "id,data,overlap,is_labeled,total_annotations,cancelled_annotations,created_at"

# a task whose passage is no longer disputed: marked in its data (a Data Manager column),
# noted in its answers panel and listed last in the Queue tab (priorities lie in [0, 1])
MOOT_FIELD = "no_longer_disputed"
MOOT_MARK = "yes: the reviewers now agree"
# the lead's grid sizes (annotate.review.view.QUEUE_COLUMN_WIDTHS besides): the column
# of that mark had none (drawn 190 px, Label Studio's default for a data field) and ran
# past a 1400 px window, behind `disputed`; a narrower preview makes room for it (in
# Chromium every column of the lead's grid, this one too, is drawn within 1400 px:
# tests/integration/test_browser.py)
ADJUDICATION_COLUMN_WIDTHS = {"tasks:data.preview": 160, f"tasks:data.{MOOT_FIELD}": 60}
MOOT_NOTE = (
    "NO LONGER DISPUTED: a reviewer changed an answer (or one was deleted in Label Studio) "
    "and the answers left agree; their vote decides this passage. Nothing to decide here "
    "(an answer would still override their vote)."
)
MOOT_PRIORITY = -1.0

# a task kept with the lead because its dispute ended only through an answer made or
# changed after this project showed it: pseudonym -> that reviewer's answer as this
# project showed it before ("" when not known), kept across runs for the panel's note
CHANGED_FIELD = "changed_after_shown"
CHANGED_HEAD = "CHANGED AFTER ADJUDICATION OPENED (not blind): "


def _panel_answers(panel: str, names: set[str]) -> dict[str, str]:
    """The answers panel's answer of each reviewer in ``names`` (the line
    :func:`_describe` wrote, its pseudonym taken off; a comment's further lines kept)."""
    out: dict[str, str] = {}
    current: str | None = None
    for line in panel.split("\n"):
        name = next((n for n in names if line.startswith(f"{n}: ")), None)
        if name is not None:
            current = name
            out[name] = line.removeprefix(f"{name}: ")
        elif current is not None:
            out[current] += f"\n{line}"
    return out


def _note_changed(data: dict[str, Any], late: list[dict[str, Any]], before: dict[str, Any]) -> None:
    """The data of a task kept with the lead because its dispute ended only through the
    ``late`` answers (:func:`annotate.review.blindness.agreed_only_after_shown`), in place:
    its answers panel opens with who answered or changed their answer after this project
    showed the passage, from what (the answer the task ``before`` showed, or
    :data:`CHANGED_FIELD` recorded by an earlier run) to what."""
    names = {str(a["reviewer"]) for a in late}
    now = _panel_answers(str(data.get(REVIEWS_FIELD) or ""), names)
    shown = _panel_answers(str(before.get(REVIEWS_FIELD) or ""), names)
    kept = before.get(CHANGED_FIELD) if isinstance(before.get(CHANGED_FIELD), dict) else {}
    was: dict[str, str] = {}
    said: list[str] = []
    for a in sorted(late, key=lambda a: str(a["reviewer"])):
        name = str(a["reviewer"])
        old = kept.get(name) or (shown.get(name) if shown.get(name) != now.get(name) else "")
        was[name] = old or ""
        to = now.get(name, "")
        if old:
            said.append(f"{name} changed their answer from «{old}» to «{to}»")
        elif a["what"] == "made":
            said.append(f"{name} answered «{to}»")
        else:
            said.append(
                f"{name} changed their answer to «{to}» (what this project showed before "
                "is not known)"
            )
    data[CHANGED_FIELD] = was
    data[REVIEWS_FIELD] = (
        f"{CHANGED_HEAD}{'; '.join(said)}, after this project showed the passage's answers. "
        "The reviewers now agree only through that, so their vote does not settle the "
        "passage: confirm their answer (it is in that reviewer's prediction tab) or decide "
        f"otherwise.\n{data.get(REVIEWS_FIELD) or ''}"
    ).rstrip("\n")


def _keep_oldest(
    client: StudioClient, title: str, proj: dict[str, Any], tax: Taxonomy
) -> dict[str, Any]:
    """The lead's project just made (``proj``, of ``title``), or the oldest of its title
    where the creation made several (Label Studio on SQLite re-runs a creation that found
    its database locked, up to 15 times, a project each run) or an ``annotate
    adjudicate`` elsewhere made one at the same time: every other one still empty is
    deleted (:func:`annotate.studio.project_copies.keep_oldest`); it gets its Data
    Manager tab unless it has one."""
    mine = int(proj["id"])
    found = keep_oldest(client, title, mine)
    if found.kept == mine:
        set_up_views(client, mine, tax, by_priority=True)
        return proj
    log.warning(
        "another project titled %r (id %s) was made at the same time as this run's (id %s), "
        "by the server repeating our request or by a run elsewhere; using it%s",
        title,
        found.kept,
        mine,
        " and deleting ours" if found.listed else " (ours is gone)",
    )
    set_up_views_unless_made(client, found.kept, tax, by_priority=True)
    return client.get_project(found.kept)


def _present(
    client: StudioClient, project_id: int, include: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Passage -> its tasks in the adjudication project (``include``: the fields listed,
    default id and data)."""
    present: dict[str, list[dict[str, Any]]] = {}
    tasks = (
        client.iter_tasks(project_id)
        if include is None
        else client.iter_tasks(project_id, include=include)
    )
    for t in tasks:
        present.setdefault(str((t.get("data") or {}).get(PASSAGE_ID_FIELD)), []).append(t)
    return present


def _answered(tasks: list[dict[str, Any]]) -> bool:
    return any(int(t.get("total_annotations") or 0) for t in tasks)


def _lead_reading(
    client: StudioClient,
    proj: dict[str, Any],
    present: dict[str, list[dict[str, Any]]],
    answers_of: dict[str, list[dict[str, Any]]],
    tax: Taxonomy,
    salt: str,
    not_offered: NotOffered | None = None,
) -> dict[str, str | None]:
    """Passage -> why the lead's latest answer in ``proj`` decides nothing
    (:func:`annotate.review.collect.lead_ignored`, given its reviewers' answers
    ``answers_of``), None where it decides: the passages here with a lead's answer. The
    project's answers are read (one snapshot) only when a task here holds one."""
    if not any(_answered(ts) for ts in present.values()):
        return {}
    out: dict[str, str | None] = {}
    for pid, lead in lead_answers(client, proj, tax, salt).items():
        if pid not in present:
            continue
        answers = answers_of.get(pid) or []
        votes = [a["categories"] for a in answers]
        out[pid] = lead_ignored(lead["categories"], votes, tax, unoffered_of(answers, not_offered))
    return out


def _retired(task: dict[str, Any]) -> bool:
    """Out of the label stream: overlap 0 (see :func:`_retire`)."""
    return task.get("overlap") is not None and int(task["overlap"]) == 0


def _mark_moot(data: dict[str, Any]) -> None:
    """The data of a task whose passage is no longer disputed (in place)."""
    data[MOOT_FIELD] = MOOT_MARK
    data[PRIORITY_FIELD] = MOOT_PRIORITY
    data[REVIEWS_FIELD] = f"{MOOT_NOTE}\n{data.get(REVIEWS_FIELD) or ''}".rstrip("\n")


def _retire(
    client: StudioClient, moot: set[str], present: dict[str, list[dict[str, Any]]]
) -> set[str]:
    """Take the tasks of the passages in ``moot`` (no longer disputed) out of the lead's
    label stream; the passages whose tasks were taken out now.

    Nothing is deleted: a task is given overlap 0 and marked labeled
    (:meth:`StudioClient.set_task_overlap`), so Label Studio serves it to nobody ("Label
    All Tasks", its skipped and postponed-draft queues), whatever it holds. A lead who
    has it open, or opens it from the Data Manager, can still submit; that answer is kept
    and decides the passage (export: ``adjudicated_no_longer_disputed``). Deleting the
    task instead lost an answer submitted between the last read and the delete: Label
    Studio's API has no conditional delete, and deleting a task deletes its answers and
    drafts with it."""
    gone: set[str] = set()
    for pid in sorted(moot):
        for t in present.get(pid, []):
            if not _retired(t) or not t.get("is_labeled"):
                client.set_task_overlap(int(t["id"]), 0, labeled=True)
                gone.add(pid)
    if gone:
        log.info("%d task(s) no longer disputed taken out of the lead's queue", len(gone))
    return gone


def _reopen(
    client: StudioClient,
    project_id: int,
    disputed_again: set[str],
    present: dict[str, list[dict[str, Any]]],
) -> set[str]:
    """Put the tasks taken out of the label stream back (overlap 1) for the passages in
    ``disputed_again``; the passages put back. ``is_labeled`` is set from the answers each
    task holds, and read again afterwards (an answer saved meanwhile completes it)."""
    back: dict[int, str] = {}
    for pid in sorted(disputed_again):
        for t in present.get(pid, []):
            if _retired(t):
                answered = bool(int(t.get("total_annotations") or 0))
                client.set_task_overlap(int(t["id"]), 1, labeled=answered)
                back[int(t["id"])] = pid
    if not back:
        return set()
    for tasks in _present(client, project_id, TASK_FIELDS).values():
        for t in tasks:
            if int(t["id"]) in back and _answered([t]) and not t.get("is_labeled"):
                client.set_task_overlap(int(t["id"]), 1, labeled=True)
    log.info("%d task(s) disputed again put back in the lead's queue", len(back))
    return set(back.values())


def _open_in_queues(
    client: StudioClient, project: str, projects: dict[str, int]
) -> list[tuple[str, bool, str]]:
    """A review set's open tasks (passage id, whether a gold task, the queue's pseudonym
    as its title ends) in its reviewers' queues: neither answered nor skipped. Empty for a
    project that is no review set (its reviewers share one project, which is not blind
    anyway)."""
    queues = {
        t: pid for t, pid in projects.items() if t != project and not t.startswith(f"{project} #")
    }
    open_tasks: list[tuple[str, bool, str]] = []
    for title, pid in queues.items():
        found: list[tuple[str, bool]] = []
        task_states(client, [pid], set(), found)
        open_tasks += [(p, gold, title.rpartition(" · ")[2]) for p, gold in found]
    return open_tasks


def _open_in_shared(client: StudioClient, project: str, projects: dict[str, int]) -> int:
    """How many tasks of ``project``'s shared projects (the project of that title and its
    numbered ones, ``NAME #2``, ...) have neither an answer nor a skip: one listing of
    each, counts only. 0 for a review set (its queues are read by
    :func:`_open_in_queues`)."""
    shared = [pid for t, pid in projects.items() if t == project or t.startswith(f"{project} #")]
    return task_states(client, shared)[1] if shared else 0


def _open_by_queue(open_tasks: list[tuple[str, bool, str]]) -> str:
    """``r-aaa 5, r-bbb 3 (gold only)``: the open tasks per queue, most first."""
    count = Counter(q for _, _, q in open_tasks)
    regular = Counter(q for _, gold, q in open_tasks if not gold)
    return ", ".join(
        f"{q} {n}{'' if regular[q] else ' (gold only)'}" for q, n in count.most_common()
    )


def _check_round_over(
    project: str,
    open_tasks: list[tuple[str, bool, str]],
    todo: list[dict[str, Any]],
    mid_round: bool,
) -> None:
    """Refuse (InputError) to show reviewers' answers while a review set's round is
    still open, unless ``mid_round``; then log it."""
    disputed_now = {str(t["data"][PASSAGE_ID_FIELD]) for t in todo}
    on_disputed = sum(1 for pid, gold, _ in open_tasks if not gold and pid in disputed_now)
    what = (
        f"{len(open_tasks)} task(s) in the reviewer queues of {project!r} are still open "
        f"({on_disputed} of them on passages disputed now; by queue: "
        f"{_open_by_queue(open_tasks)})"
    )
    if mid_round:  # the CLI says so (AdjudicationResult.open_in_queues)
        log.info(
            "%s: the adjudication project shows the disputed passages' answers to every "
            "member, so the export records the answers made or changed after it showed "
            "their passage, and states the review blind only until then",
            what,
        )
        return
    raise InputError(
        f"{what}. The adjudication project shows each disputed passage's answers to every "
        "member of the Label Studio organization (Community cannot restrict it), so a "
        "reviewer still answering could read them and answer or change an answer to match: "
        "the review would no longer be blind.",
        fix="run it once the reviewers are done (`annotate review status` shows what is "
        "open, with each queue's e-mail; gold left alone with a reviewer who is gone is "
        "removed by `annotate review reassign --from THEM --to EMAIL`), or pass --mid-round "
        "to adjudicate now (the export then records the answers made or changed after and "
        "states the review blind only until then).",
    )


def adjudicate(
    client: StudioClient,
    project: str,
    tax: Taxonomy,
    *,
    salt: str,
    progress: StageFn | None = None,
    mid_round: bool = False,
    accept_changed_answers: bool = False,
    before_write: Callable[[], None] | None = None,
) -> AdjudicationResult:
    """Create or update ``NAME · adjudication`` with the disputed passages of ``project``.

    A review set whose reviewer queues still hold open tasks (neither answered nor
    skipped) is refused, before anything is created or changed, unless ``mid_round`` (a
    run that would create nothing, with nothing disputed and no adjudication project yet,
    goes on): every member of the Label Studio organization
    can open the adjudication project, which shows each disputed passage's answers, so a
    reviewer still answering could read them before answering or change an answer to
    match (the export then records those answers: :mod:`annotate.review.blindness`).
    With ``mid_round`` the open tasks are logged and the run goes on
    (:attr:`AdjudicationResult.open_in_queues`). Raises InputError (also: ``project`` is an
    adjudication project, the title is too long).

    A passage already here whose dispute ended only through an answer made or changed
    after this project showed it stays in the lead's queue (put back if a run took it
    out), its panel saying who changed what; with ``accept_changed_answers`` the
    reviewers' vote settles it like any passage no longer disputed
    (:attr:`AdjudicationResult.agreed_only_after_shown` names them either way).

    ``progress`` (:func:`annotate._util.progress.stage`): stages ``snapshot`` (Label
    Studio projects read), ``compare`` (tasks compared) and ``import`` (disputed
    passages sent to the adjudication project). ``before_write``: called once every check
    passed, before the first change on the server (the CLI stores the pseudonym salt
    there: a refused run leaves none behind)."""
    if project.endswith(ADJUDICATION_SUFFIX):  # the name Label Studio shows the lead
        base = project.removesuffix(ADJUDICATION_SUFFIX)
        raise InputError(
            f"{project!r} is the adjudication project of the review set {base!r}; "
            "adjudicate reads the review set's reviewer queues.",
            fix=f"pass --project {base!r}.",
        )
    snapshots = stage(progress, "snapshot", unit="project")
    # the review set's K, from the queues merged_tasks reads (reader60 #7: read again
    # below, one listing and one request per queue, only to learn it)
    set_k: dict[str, int | None] = {}
    tasks, _, projects = merged_tasks(client, project, snapshots=snapshots, salt=salt, set_k=set_k)
    # answers do not vote on categories their config did not offer (as export's collect)
    not_offered = tasks_not_offered(client, projects, tasks, tax)
    comparing = stage(progress, "compare", unit="task", total=len(tasks))
    todo: list[dict[str, Any]] = []
    agreed: list[dict[str, Any]] = []  # answered, not disputed (now, at least)
    answers_of: dict[str, list[dict[str, Any]]] = {}  # passage -> its row's answers
    compared = 0
    # passages hidden by the reviewers' answers, by place -> passage id (the note names it)
    hidden: dict[tuple[str, int], str | None] = {}
    for task in tasks:
        advance(comparing, 1)
        if gold_key(task) is not None or not usable_annotations(task.get("annotations") or []):
            continue
        row = task_to_row(task, tax, salt=salt, not_offered=not_offered)
        anns = row["annotations"]
        where = _position(task.get("data") or {})
        if where is not None and reviewed_reasons([], {}, anns, tax):
            pid = (task.get("data") or {}).get(PASSAGE_ID_FIELD)
            hidden[where] = None if pid is None else str(pid)
        # one answer left (another deleted in Label Studio since: a queue, task or answer
        # deleted) is no dispute: a task sent to the lead earlier leaves their queue
        compared += len(anns) >= 2
        is_disputed = len(anns) >= 2 and disputed(
            [a["categories"] for a in anns],
            [a["severity"] for a in anns],
            category_order=tax.category_names,
            severity_levels=tax.severity_names,
            unoffered=unoffered_of(anns, not_offered),
        )
        latest = dict(latest_annotations(task))
        predictions = [
            {"model_version": pseudonym(user, salt), "result": ann.get("result") or []}
            for user, ann in sorted(latest.items(), key=lambda kv: pseudonym(kv[0], salt))
        ] + [{"model_version": BLANK_START, "result": []}]  # made last: the newest
        data = dict(task.get("data") or {})
        # a subtitle cue shown without its markup: the evidence quoted as the lead reads it
        shown = task_source(data, tax.interface.text_field)
        data[REVIEWS_FIELD] = "\n".join(
            _describe(a["reviewer"], a, tax, shown) for a in row["annotations"]
        )
        _hide_for_lead(data, predictions, anns, tax)
        data[DISPUTE_FIELD] = dispute_summary(anns, tax)
        data[PRIORITY_FIELD] = dispute_priority(anns, _number(data.get(PRIORITY_FIELD)), tax)
        answers_of[str(data.get(PASSAGE_ID_FIELD))] = anns
        (todo if is_disputed else agreed).append({"data": data, "predictions": predictions})
    for t in [*todo, *agreed]:  # a neighbour the reviewers' answers hide is a note in the context
        where = _position(t["data"])
        if where is None:
            continue
        for name, other in zip(CONTEXT_FIELDS, (where[1] - 1, where[1] + 1), strict=True):
            if (where[0], other) in hidden and t["data"].get(name):
                t["data"][name] = hidden_neighbour(hidden[(where[0], other)])
    # a comment of a reply's thread (its parent, or one above) the reviewers' answers
    # hide: a note instead of the whole thread (the first such comment from the parent up)
    up = {
        str(t["data"]["doc_id"]): str(t["data"][PARENT_ID_FIELD])
        for t in [*todo, *agreed]
        if t["data"].get("doc_id") not in (None, "") and t["data"].get(PARENT_ID_FIELD)
    }
    for t in [*todo, *agreed]:
        parent = t["data"].get(PARENT_ID_FIELD)
        if not parent or not t["data"].get(PARENT_FIELD):
            continue
        own = t["data"].get("doc_id")
        for doc in thread_chain(str(parent), up, None if own in (None, "") else str(own)):
            gone = [pid or "" for (d, _), pid in sorted(hidden.items()) if d == doc]
            if gone:
                what = "parent comment" if doc == str(parent) else "comment above the parent"
                t["data"][PARENT_FIELD] = hidden_parent(doc, gone, what)
                break

    title = adjudication_title(project)
    if len(title) > MAX_TITLE:
        raise InputError(
            f"{title!r} is longer than Label Studio's {MAX_TITLE}-character project titles.",
            fix="use a shorter --project name for review sets (at most 35 characters).",
        )
    config = adjudication_config(tax)
    proj = client.find_project(title)
    if proj is None and not todo:
        log.info("%s: nothing disputed among %d passages, not created", title, compared)
        # nothing shown, so no refusal; but a round still open may dispute passages yet
        still_open = len(_open_in_queues(client, project, projects))
        open_shared = _open_in_shared(client, project, projects)
        k = set_k.get("reviewers_per_task")  # None: no review set, or no K recorded
        return AdjudicationResult(
            title,
            None,
            None,
            0,
            0,
            0,
            compared=compared,
            open_in_queues=still_open,
            open_in_shared=open_shared,
            reviewers_per_task=k,
        )
    # ids stable within a MAJOR version (F26), as push and export check: a labels.yaml
    # that renumbers the categories of the reviewers' projects' or of the lead's project's
    # config is refused before that config is replaced (or the lead's project made)
    check_projects_ids(
        client, [*projects.values(), *([] if proj is None else [int(proj["id"])])], tax
    )
    # the lead's project is rendered from ``tax``: reviewers' projects pushed with other
    # content of its version (labels.yaml edited without a version bump) are judged by the
    # lead under guidelines their reviewers did not see
    if proj is not None and not same_label_config(proj.get("label_config", ""), config):
        # the lead's answers were made under the content its config records (B11)
        check_same_version_content(
            client, proj, tax, reworded_labels(proj, parse_label_config(config), tax)
        )
    pushed = read_pushed_taxonomies(client, projects.values(), tax)
    if warned := other_content_warning(pushed, tax):
        log.warning("%s", warned)
    # nothing is shown before this check: no project is created or updated when refused
    open_tasks = _open_in_queues(client, project, projects)
    if open_tasks:
        _check_round_over(project, open_tasks, todo, mid_round)
    open_shared = _open_in_shared(client, project, projects)
    if before_write is not None:
        before_write()
    if proj is None:
        proj = client.create_project(
            title,
            config,
            description=adjudication_description(project),
            show_collab_predictions=True,
            sampling="Sequential sampling",
            **project_view_settings(tax),
        )
        proj = _keep_oldest(client, title, proj, tax)
    elif not same_label_config(proj.get("label_config", ""), config):
        client.update_project(int(proj["id"]), label_config=config)
    project_id = int(proj["id"])
    # the reviewers' answers quote evidence; a subtitle cue's source_text is its text
    hide_in_queue_tab(
        client,
        project_id,
        tax,
        [REVIEWS_FIELD, CHANGED_FIELD, *SOURCE_FIELDS],
        columns=ADJUDICATION_HIDDEN_COLUMNS,
        widths=ADJUDICATION_COLUMN_WIDTHS,
    )
    order_queue_tab(client, project_id, tax)  # dispute_priority; no longer disputed last
    present = _present(client, project_id, TASK_FIELDS)
    # a task an earlier run's lost import made after it was sent again: it goes
    made_twice = drop_extra_copies(
        client,
        project_id,
        [t for ts in present.values() for t in ts],
        passage_of,  # a task without a passage id (made by hand) is no copy
        lambda: tasks_with_drafts(client, project_id),
    )
    if made_twice:
        present = {
            pid: kept
            for pid, ts in present.items()
            if (kept := [t for t in ts if int(t["id"]) not in made_twice])
        }
    # a reviewers' vote settles a passage only through blind answers: one already shown
    # here whose dispute ended only through an answer made or changed since (it could
    # copy another's) stays with the lead, unless accept_changed_answers
    shown = first_shown((pid, t.get("created_at")) for pid, ts in present.items() for t in ts)
    late_of = {
        pid: late
        for t in agreed
        if (pid := str(t["data"][PASSAGE_ID_FIELD])) in present
        and (
            late := agreed_only_after_shown(
                pid,
                answers_of.get(pid) or [],
                shown.get(pid),
                category_order=tax.category_names,
                severity_levels=tax.severity_names,
                not_offered=not_offered,
            )
        )
    }
    if late_of and not accept_changed_answers:
        for t in agreed:
            pid = str(t["data"][PASSAGE_ID_FIELD])
            if pid in late_of:
                _note_changed(t["data"], late_of[pid], present[pid][0].get("data") or {})
                todo.append(t)
        agreed = [t for t in agreed if str(t["data"][PASSAGE_ID_FIELD]) not in late_of]
        log.info(
            "%d passage(s) agreed on only through an answer made or changed after %s "
            "showed them stay with the lead",
            len(late_of),
            title,
        )
    new = [t for t in todo if str(t["data"][PASSAGE_ID_FIELD]) not in present]
    # the lead's tasks of passages still disputed that wait for an answer: the new ones
    # come after them in "Label All Tasks" (by task id), whatever their priority
    open_before = sum(
        task_open(held) is True
        for t in todo
        for held in present.get(str(t["data"][PASSAGE_ID_FIELD])) or []
    )
    # imported in the lead's order (task ids follow it: "Label All Tasks" serves by id)
    new.sort(key=lambda t: -float(t["data"][PRIORITY_FIELD]))
    # a task whose passage is no longer disputed (a reviewer changed an answer) leaves the
    # lead's queue, never deleted (a lead's answer, skip or draft there stays; an answer
    # still decides the passage), and is brought up to date: its answers panel and
    # predictions must not show the lead the old answers
    settled = [t for t in agreed if str(t["data"][PASSAGE_ID_FIELD]) in present]
    for t in settled:
        _mark_moot(t["data"])
    moot = {str(t["data"][PASSAGE_ID_FIELD]) for t in settled}
    # the lead's answers read as export reads them (collect.lead_ignored): one that
    # decides nothing (none with another category; no category where the reviewers' vote
    # did not decide them) leaves its passage waiting, or its vote deciding
    lead_read = _lead_reading(client, proj, present, answers_of, tax, salt, not_offered)
    decided = {pid for pid, why in lead_read.items() if why is None}
    moot_answered = moot & decided
    retired = _retire(client, moot, present)
    reopened = _reopen(
        client, project_id, {str(t["data"][PASSAGE_ID_FIELD]) for t in todo}, present
    )
    changed = _update_present(client, project_id, [*todo, *settled], present)
    updated = len(changed)
    if new:
        importing = stage(progress, "import", unit="task", total=len(new))
        client.progress = (
            f"{updated} task(s) already there brought up to date, 0 of {len(new)} added"
        )
        # a lost answer is retried, sending only the passages the server did not create
        floor = max((int(t["id"]) for ts in present.values() for t in ts), default=None)
        answer = import_retrying(
            client,
            project_id,
            [(str(t["data"][PASSAGE_ID_FIELD]), t) for t in new],
            f"{title!r}, {len(new)} disputed passage(s)",
            floor,
            sole=True,
        )
        check_import_answer(answer, new, title)
        advance(importing, len(new))
    log.info("%s: %d disputed passages, %d added, %d updated", title, len(todo), len(new), updated)
    return AdjudicationResult(
        project=title,
        project_id=project_id,
        project_url=f"{client.url}/projects/{project_id}/data",
        disputed=len(todo),
        added=len(new),
        already=len(todo) - len(new),
        updated=updated,
        updated_settled=len(set(changed) & moot),
        passages=sorted(str(t["data"][PASSAGE_ID_FIELD]) for t in todo),
        compared=compared,
        settled=sorted(str(t["data"][PASSAGE_ID_FIELD]) for t in settled),
        settled_answered=sorted(moot_answered),
        retired=sorted(retired),
        reopened=sorted(reopened),
        open_in_queues=len(open_tasks),
        open_in_shared=open_shared,
        open_before=open_before,
        agreed_only_after_shown=sorted(late_of),
        accept_changed_answers=accept_changed_answers,
        decided_by_lead=sorted(decided),
        lead_answers_ignored={
            why: sorted(pid for pid, w in lead_read.items() if w == why)
            for why in sorted({w for w in lead_read.values() if w is not None})
        },
    )
