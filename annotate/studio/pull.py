"""Export pull: what Label Studio gives back, parsed against the taxonomy.

Label Studio's export of a task (its data, annotations and predictions) -> reviewers'
votes (categories, evidence spans in code-point offsets, severity, comment); the
model's view of each annotation is :mod:`annotate.corpus.model_view`. Turning those
into corpus rows is :mod:`annotate.corpus.rows`.
"""

from __future__ import annotations

import json
import logging
import re
import time
from typing import TYPE_CHECKING, Any

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from annotate._util.server_time import recency, server_time, time_order
from annotate.corpus.licenses import PUSHED_LICENCES, pushed_licences
from annotate.corpus.resolve import ReviewedSpan
from annotate.errors import ExportError
from annotate.review.view import REVEAL
from annotate.studio.label_config import HistoryEntry, config_taxonomy_version, taxonomy_history
from annotate.studio.offsets import from_utf16
from annotate.studio.shown_text import (
    SOURCE_MAP_FIELD,
    SOURCE_TEXT_FIELD,
    MapError,
    ShownText,
    task_source,
)
from annotate.studio.tasks import (
    INGEST_RUN_FIELD,
    MODEL_ENCODER_FIELD,
    PASSAGE_ID_FIELD,
    PRELABEL_RUN_FIELD,
)
from annotate.taxonomy import Taxonomy

if TYPE_CHECKING:
    from annotate.studio.client import StudioClient

log = logging.getLogger(__name__)


def latest_annotations(task: dict[str, Any]) -> list[tuple[Any, dict[str, Any]]]:
    """One vote per reviewer: ``(reviewer id, their latest annotation)`` of a task from
    Label Studio's export, cancelled (skipped) annotations left out, oldest first."""
    latest: dict[Any, dict[str, Any]] = {}
    for ann in task.get("annotations") or []:
        if ann.get("was_cancelled"):
            continue
        by = ann.get("completed_by")
        user = by.get("id") if isinstance(by, dict) else by
        # as times: the server's stamps differ in offset and fraction of a second
        if user not in latest or recency(ann.get("updated_at")) >= recency(
            latest[user].get("updated_at")
        ):
            latest[user] = ann
    return sorted(latest.items(), key=lambda kv: time_order(kv[1].get("created_at")))


def account_id(value: Any) -> Any:
    """The user id of an annotation's ``completed_by``/``updated_by`` (an id, or a dict
    with ``id`` when the export expanded it; None when not recorded)."""
    return value.get("id") if isinstance(value, dict) else value


def written_by_other(ann: dict[str, Any]) -> Any:
    """The user id of the account that last wrote annotation ``ann`` (Label Studio's
    ``updated_by``: set by the server to the account whose request created or last
    changed it) when that is not the account it is credited to (``completed_by``); None
    when they are the same, or either is not recorded (a deleted account, a server that
    does not give it). An answer created through the API with another account's
    ``completed_by``, or changed by another account (the admin, a lead), is not its
    reviewer's own (passM55 #1)."""
    writer = account_id(ann.get("updated_by"))
    author = account_id(ann.get("completed_by"))
    if writer is None or author is None or writer == author:
        return None
    return writer


def span_offsets(value: dict[str, Any], text: str, *, where: str) -> tuple[int, int]:
    """Code-point (start, end) of a Label Studio text region.

    Label Studio counts code points, so the offsets are taken as they are. A region whose
    offsets do not fit, or whose ``text`` does not match, but which fits and matches when
    read as UTF-16 units is a pre-annotation pushed by an older version of this tool
    (which sent UTF-16 units) and is read that way. Raises :class:`ExportError` naming
    the region when neither reading fits the text.
    """
    fix = "fix or delete the region in Label Studio, then export again."
    try:
        start, end = int(value["start"]), int(value["end"])
    except (KeyError, ValueError, TypeError):
        raise ExportError(
            f"{where}: span {value.get('start')}-{value.get('end')} has no integer offsets.",
            fix=fix,
        ) from None
    fits = 0 <= start <= end <= len(text)
    shown = value.get("text")
    # no text ('' or none): the span is read from its offsets. Label Studio saves '' for
    # a span kept on a passage hidden behind its content warning (it computes the region
    # text while the passage is hidden, and the reveal does not update it: passC50 R3)
    if fits and (not isinstance(shown, str) or not shown or text[start:end] == shown):
        return start, end
    legacy: tuple[int, int] | None
    try:
        legacy = from_utf16(text, start), from_utf16(text, end)
    except ValueError:
        legacy = None
    if legacy is not None and isinstance(shown, str) and text[legacy[0] : legacy[1]] == shown:
        return legacy
    if not fits:
        raise ExportError(
            f"{where}: span {start}-{end} does not fit the text ({len(text)} characters).",
            fix=fix,
        )
    # ids and offsets only: the passage may be one hidden behind a content warning, whose
    # text a warning on the lead's terminal must not show (passC50 R3)
    log.warning(
        "%s: region text (%d characters) differs from the passage's characters %d-%d; offsets kept",
        where,
        len(shown) if isinstance(shown, str) else 0,
        start,
        end,
    )
    return start, end


def newer_version(version: str, than: str) -> bool:
    """Whether labels.yaml ``version`` (``1.2.0``) is newer than ``than``; False when
    either is no dotted number."""
    try:
        return tuple(map(int, version.split("."))) > tuple(map(int, than.split(".")))
    except ValueError:
        return False


def none_exclusive(categories: list[str], none_label: str, *, merged: bool) -> list[str]:
    """``categories`` (names in taxonomy order) with the taxonomy's rule that the none
    label means no other label, where a migration merged an old category into it
    (``merged``): the none label is dropped when another label remains (the answer named
    that one too), kept alone otherwise. Unchanged when ``merged`` is False: an answer
    that chose the none label and another one itself is read as it was made."""
    if merged and none_label in categories and len(categories) > 1:
        return [c for c in categories if c != none_label]
    return categories


def titles_to_names(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Title -> name of ``(name, title)`` pairs (labels.yaml's categories or span labels:
    the labeling config's ``value`` and ``alias``), for the titles that are one label's
    only and no label's name (an ambiguous title is read as no label)."""
    count: dict[str, int] = {}
    for _, title in pairs:
        count[title] = count.get(title, 0) + 1
    names = {name for name, _ in pairs}
    return {t: n for n, t in pairs if count[t] == 1 and t not in names}


def unknown_fix(fix: str, names: list[str], what: str, version: str | None) -> str:
    """The fix for an answer's label that is neither a name nor a title of labels.yaml:
    an answer made by a script with another value comes first (Label Studio's UI stores
    the name), then ``fix`` (a former label: a migration, or the labels.yaml it was
    labelled with). A newer labels.yaml's answer keeps ``fix`` alone."""
    if version and "which the answer was made under" in fix:
        return fix
    return (
        f"an answer stores a {what}'s name (the labeling config's `alias`, as Label "
        f"Studio's UI does: {', '.join(names)}) or its title; correct answers made by a "
        f"script, or, for a former {what}, {fix}"
    )


def by_title(value: str, names: list[str], titles: dict[str, str]) -> str:
    """``value`` as a label name: itself when a name, else the label its title is."""
    return value if value in names else titles.get(value, value)


def parse_result(
    result: list[dict[str, Any]],
    tax: Taxonomy,
    text: str,
    *,
    where: str,
    version: str | None = None,
    source: ShownText | None = None,
) -> dict[str, Any]:
    """Categories, spans (code-point offsets), severity and comment of one result list,
    in the label names of ``tax``.

    ``source``: the passage ``text`` shows (a subtitle cue shown without its markup:
    :func:`task_text`); the spans, checked against ``text``, are given on the passage's
    characters (:meth:`annotate.studio.shown_text.ShownText.to_raw`).

    ``version``: the labels.yaml version the answer was made under (None: unknown, read
    as ``tax``); its names are read through the migration ``tax`` declares from it
    (:meth:`annotate.taxonomy.Taxonomy.migration_from`); a category merged into the none
    label keeps that label exclusive (:func:`none_exclusive`). Raises :class:`ExportError`
    for a name that is not in ``tax`` after that, TaxonomyError for a major version
    without a declared migration.
    """
    ui = tax.interface
    migration = tax.migration_from(version)
    cats = migration.categories if migration else {}
    span_map = migration.spans if migration else {}
    sev_map = migration.severity if migration else {}
    made = f" (answer made under {version})" if version and version != tax.version else ""
    fix = (
        "declare a migration for it in labels.yaml (`migrations:`), or export with the "
        "labels.yaml the project was labelled with (--labels)."
    )
    if version and newer_version(version, tax.version):  # no migration reads a newer one
        fix = (
            f"use labels.yaml {version}, which the answer was made under (update labels.yaml, "
            "e.g. pull the repository that keeps it, or pass --labels)."
        )
    category_titles = titles_to_names([(c.name, c.title) for c in tax.categories])
    span_titles = titles_to_names([(s.name, s.title) for s in tax.spans])
    out: dict[str, Any] = {"categories": [], "spans": [], "severity": "", "comment": ""}
    for item in result:
        name = item.get("from_name")
        value = item.get("value") or {}
        if name == ui.categories:
            old_cats = list(value.get("choices") or [])
            chosen = [cats.get(c, c) for c in old_cats]
            # a choice's display value (its title, "Graphic violence") where Label
            # Studio's UI stores the alias (the name): an answer made through the API
            # with the config's `value` (passJ L1), read as the one category so titled
            chosen = [by_title(c, tax.category_names, category_titles) for c in chosen]
            bad = [c for c in chosen if c not in tax.category_names]
            if bad:
                raise ExportError(
                    f"{where}: category {bad[0]!r} is not in labels.yaml {tax.version}{made}.",
                    fix=unknown_fix(fix, tax.category_names, "category", version),
                )
            out["categories"] = none_exclusive(
                [c for c in tax.category_names if c in chosen],
                tax.none_label,
                merged=any(c != tax.none_label and cats.get(c) == tax.none_label for c in old_cats),
            )
        elif name == ui.spans:
            for old in value.get("labels") or []:
                label = by_title(span_map.get(old, old), tax.span_names, span_titles)
                if label not in tax.span_names:
                    raise ExportError(
                        f"{where}: span label {label!r} is not in labels.yaml {tax.version}{made}.",
                        fix=unknown_fix(fix, tax.span_names, "span label", version),
                    )
                start, end = span_offsets(value, text, where=where)
                if source is None:
                    out["spans"].append(ReviewedSpan(start, end, label, text[start:end]))
                    continue
                start, end = source.to_raw(start, end)  # on the passage's characters
                out["spans"].append(ReviewedSpan(start, end, label, source.raw[start:end]))
        elif name == ui.severity:
            chosen = [sev_map.get(c, c) for c in value.get("choices") or []]
            if chosen and chosen[0] not in tax.severity_names:
                raise ExportError(
                    f"{where}: severity {chosen[0]!r} is not in labels.yaml {tax.version}{made}.",
                    fix=fix,
                )
            out["severity"] = chosen[0] if chosen else ""
        elif name == ui.comment:
            texts = value.get("text") or []
            out["comment"] = "\n".join(texts) if isinstance(texts, list) else str(texts)
        elif name is not None and name != REVEAL:
            # an answer in a control annotate did not make (a project made by hand, a
            # config edited in Label Studio) would be read as an answer with no label
            raise ExportError(
                f"{where}: the answer uses control {name!r}, which the labeling config "
                f"of labels.yaml {tax.version} does not have (its controls: "
                f"{ui.categories!r}, {ui.spans!r}, {ui.severity!r}, {ui.comment!r}); the "
                "project's labeling config was not made by `annotate push`, or was edited "
                "in Label Studio.",
                fix="export such a project with Label Studio's own Export; to review "
                "passages with annotate, push them into a new project (--project).",
            )
    out["spans"] = sorted(set(out["spans"]), key=lambda s: (s.start, s.end, s.label))
    return out


def task_text(data: dict[str, Any], tax: Taxonomy, *, where: str) -> tuple[str, ShownText | None]:
    """The text a task shows reviewers (``data[text_field]``) and, for a subtitle cue
    shown without its markup, the :class:`annotate.studio.shown_text.ShownText` its data
    records (the passage's text, the map onto it; :func:`parse_result`'s ``source``),
    else None. Raises :class:`ExportError` for a record that does not fit the texts."""
    text = str(data.get(tax.interface.text_field) or "")
    try:
        return text, task_source(data, tax.interface.text_field)
    except MapError as exc:
        raise ExportError(
            f"{where}: the task's {SOURCE_TEXT_FIELD!r} and {SOURCE_MAP_FIELD!r} (the "
            f"subtitle cue's text as ingested, and how the text shown maps onto it) do not "
            f"fit its text: {exc}; the task's data was edited in Label Studio.",
            fix="push the passage again into a new project (--project), or restore the "
            "task's data as `annotate push` wrote it.",
        ) from None


SNAPSHOT_ATTEMPTS = 5
SNAPSHOT_WAIT_MAX_S = 8.0


class _SnapshotMoved(Exception):
    """A snapshot that does not fit the server's counts around it (taken again)."""

    def __init__(self, found: int, before: int, after: int) -> None:
        super().__init__(f"snapshot gave {found}, the server counted {before} then {after}")
        self.found, self.before, self.after = found, before, after


def snapshot_fits(found: int, before: int, after: int) -> bool:
    """Whether a snapshot of ``found`` reviewed tasks is a consistent view of the project.

    Reviewers only add answers while it is taken, so a snapshot read at one moment
    between the two counts holds at least the ``before`` and at most the ``after``
    reviewed tasks. Fewer than ``before`` means reviewed work is missing (or answers
    were deleted meanwhile); more than ``after`` cannot be one moment's view.
    """
    return before <= found <= max(before, after)


def consistent_snapshot(
    client: StudioClient, project_id: int, project: str, attempts: int = SNAPSHOT_ATTEMPTS
) -> tuple[list[dict[str, Any]], int]:
    """The reviewed tasks of a snapshot that fits the server's annotated-task counts
    taken just before and just after it (:func:`snapshot_fits`), and their number.

    Reviewers annotating during the export do not make it fail: a snapshot between the
    counts is one moment's view. A snapshot that misses reviewed work is taken again,
    up to ``attempts`` times with exponential backoff (1, 2, 4 ... at most
    ``SNAPSHOT_WAIT_MAX_S`` seconds, ``tenacity``); then :class:`ExportError` is raised
    and nothing is written.
    """

    def take() -> tuple[list[dict[str, Any]], int]:
        before = client.count_annotated_tasks(project_id)
        tasks = [t for t in client.export_snapshot(project_id) if latest_annotations(t)]
        tasks = stamp_provenance(tasks, project_id)
        after = client.count_annotated_tasks(project_id)
        if not snapshot_fits(len(tasks), before, after):
            raise _SnapshotMoved(len(tasks), before, after)
        if before != after:
            log.info(
                "project %r changed during its snapshot (%d then %d reviewed tasks); "
                "exporting the snapshot's %d",
                project,
                before,
                after,
                len(tasks),
            )
        return tasks, len(tasks)

    def warn(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        log.warning(
            "snapshot %d of project %r does not fit the server's counts (%s); taking it again",
            state.attempt_number,
            project,
            exc,
        )

    retrying = Retrying(
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=1.0, max=SNAPSHOT_WAIT_MAX_S),
        retry=retry_if_exception_type(_SnapshotMoved),
        before_sleep=warn,
        sleep=lambda seconds: time.sleep(seconds),  # looked up at call time (tests patch it)
        reraise=True,
    )
    try:
        return retrying(take)
    except _SnapshotMoved as exc:
        raise ExportError(
            f"Label Studio reports {exc.after} annotated task(s) in project {project!r} (its "
            f"tasks with total_annotations > 0: {exc.before} before the snapshot, {exc.after} "
            f"after) but the export snapshot gave {exc.found}, {attempts} times; nothing was "
            "written.",
            fix="reviewed work went missing from the snapshots (answers deleted during the "
            "export?): run the export again.",
        ) from None


_DESCRIPTION_VERSION_RE = re.compile(r"^\S+ (?P<version>\d+\.\d+\.\d+\S*): ")


def project_taxonomy_version(project: dict[str, Any]) -> str | None:
    """The labels.yaml version of a project's labeling config: recorded in the config
    (:func:`annotate.studio.label_config.config_taxonomy_version`), else in the
    description `annotate push` gave projects it created before configs recorded it;
    None when neither says.

    The config is the one the project's answers were made under: `annotate push` changes
    the config of a project with answers only by adding labels (a minor version), which
    leaves older answers' names valid.
    """
    found = config_taxonomy_version(str(project.get("label_config") or ""))
    if found:
        return found
    match = _DESCRIPTION_VERSION_RE.match(str(project.get("description") or ""))
    return match.group("version") if match else None


def labels_the_taxonomy_lacks(project: dict[str, Any], tax: Taxonomy) -> list[str]:
    """The labels (``control:name``, sorted) that a project's labeling config offers in
    labels.yaml's controls (categories, spans, severity) and ``tax`` does not render: a
    push of a newer labels.yaml added them, and ``tax`` is an older one. [] when the
    project has no config, or one that is not annotate's. Never raises."""
    from annotate.studio.label_config import project_label_config

    ui = tax.interface
    have = project_label_config(str(project.get("label_config") or "")).controls
    if ui.categories not in have:  # no config, or not one labels.yaml rendered
        return []
    known = {
        ui.categories: set(tax.category_names),
        ui.spans: set(tax.span_names),
        ui.severity: set(tax.severity_names),
    }
    return sorted(
        f"{name}:{value}"
        for name, names in known.items()
        if name in have
        for value in have[name].values - names
    )


def project_taxonomy_history(project: dict[str, Any]) -> list[HistoryEntry]:
    """The labels.yaml versions the project's labeling config was made from before its
    current one, with when each ended (:func:`annotate.studio.label_config.
    taxonomy_history`); [] when a push never moved it from one version to another."""
    return taxonomy_history(str(project.get("label_config") or ""))


def answered_under(
    ann: dict[str, Any], version: str | None, history: list[HistoryEntry]
) -> str | None:
    """The labels.yaml version answer ``ann`` was made under: the version of the first
    ``history`` entry (oldest first) that ended after the answer was last changed
    (``updated_at``, else ``created_at``), else the project's ``version``. An answer
    without a readable time: ``version``."""
    when = server_time(ann.get("updated_at")) or server_time(ann.get("created_at"))
    if when is None:
        return version
    for entry in history:
        until = server_time(entry.until)
        if until is not None and when < until:
            return entry.version
    return version


def stamp_taxonomy_versions(
    tasks: list[dict[str, Any]], version: str | None, history: list[HistoryEntry] | None = None
) -> None:
    """Record on each annotation and prediction the labels.yaml version it was made under
    (key ``taxonomy_version``; what :func:`parse_result` reads it with).

    Answers: the project's config ``version``, or, for an answer last changed before a
    push moved the config from an older version (``history``:
    :func:`project_taxonomy_history`), that older version (:func:`answered_under`): its
    reviewer could not choose the labels added since. A prediction imported with its
    task: the version the task was pushed with (``data.taxonomy_version``); a prediction
    added later (a newer model): the project's.
    """
    for task in tasks:
        data = task.get("data") or {}
        pushed = data.get("taxonomy_version") or version
        for ann in task.get("annotations") or []:
            ann.setdefault("taxonomy_version", answered_under(ann, version, history or []))
        for pred in task.get("predictions") or []:
            if isinstance(pred, dict):
                same = pred.get("model_version") == data.get("model_version")
                pred.setdefault("taxonomy_version", pushed if same else version)


def model_versions(tasks: list[dict[str, Any]]) -> list[str]:
    """Every model version with a prediction on an exported task (and each task's own)."""
    found = {str((t.get("data") or {}).get("model_version") or "") for t in tasks}
    for task in tasks:
        for pred in task.get("predictions") or []:
            if isinstance(pred, dict):
                found.add(str(pred.get("model_version") or ""))
    return sorted(found - {""})


def model_encoders(tasks: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Model version -> the encoders it ran with when pre-labelling (the tasks'
    ``model_encoder``, pushed from prelabel's rows; one entry per distinct identity).
    Versions pushed without it (prelabels made before 2026-12) are left out."""
    out: dict[str, list[dict[str, Any]]] = {}
    for task in tasks:
        data = task.get("data") or {}
        raw = data.get(MODEL_ENCODER_FIELD)
        if not raw:
            continue
        try:
            identity = json.loads(raw) if isinstance(raw, str) else dict(raw)
        except (ValueError, TypeError):
            identity = {"unreadable": str(raw)[:200]}
        seen = out.setdefault(str(data.get("model_version") or ""), [])
        if identity not in seen:
            seen.append(identity)
    return dict(sorted(out.items()))


def ingest_runs(tasks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Run id -> the ingest record (:mod:`annotate.ingestion.record`) of the tasks'
    ``ingest_run``, pushed from ingest's passages; tasks without one (passages ingested
    before 2026-12, or pre-labels not made from ingest's output) or with one that cannot
    be read are left out (export counts their rows)."""
    from annotate.ingestion.record import fuller, run_id, summarised

    out: dict[str, dict[str, Any]] = {}
    for task in tasks:
        raw = (task.get("data") or {}).get(INGEST_RUN_FIELD)
        run = run_id(raw)
        known = out.get(run)
        if run is None or (known is not None and not summarised(known)):
            continue  # a run's first record, unless it holds the summary of a list
        record = json.loads(raw) if isinstance(raw, str) else dict(raw)
        out[run] = fuller(known, record) or record
    return dict(sorted(out.items()))


def prelabel_runs(tasks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Run id -> the prelabel record (:func:`annotate.prelabeling.run_record`) of the
    tasks' ``prelabel_run`` (pre-labels made before Dec 2026, or by the ray engine, have
    none; one that cannot be read is left out)."""
    out: dict[str, dict[str, Any]] = {}
    for task in tasks:
        raw = (task.get("data") or {}).get(PRELABEL_RUN_FIELD)
        if not raw:
            continue
        try:
            record = json.loads(raw) if isinstance(raw, str) else dict(raw)
            run = str(record["run"])
        except (ValueError, TypeError, KeyError):
            continue
        out.setdefault(run, record)
    return dict(sorted(out.items()))


LS_TASKS = "ls_tasks"  # a pulled task's Label Studio records: [{project_id, task_id}]


def task_refs(task: dict[str, Any]) -> list[dict[str, int | None]]:
    """The Label Studio tasks a pulled task stands for (:func:`stamp_provenance`; a task
    not stamped: itself, with the ``project`` the server's export gives)."""
    refs = task.get(LS_TASKS)
    if refs:
        return [dict(r) for r in refs]
    project = task.get("project")
    project_id = None if project in (None, "") else int(project)
    return [{"project_id": project_id, "task_id": int(task["id"])}]


def stamp_provenance(tasks: list[dict[str, Any]], project_id: int) -> list[dict[str, Any]]:
    """Copies of the tasks of a snapshot of project ``project_id`` that record where each
    task and each of its annotations live in Label Studio (``ls_tasks``; ``ls_project_id``
    and ``ls_task_id`` per annotation), so merging the copies of a passage (several
    tasks, several reviewer projects) keeps every record an auditor may look up."""
    out = []
    for task in tasks:
        task_id = int(task["id"])
        anns = [
            {**a, "ls_project_id": int(project_id), "ls_task_id": task_id}
            if isinstance(a, dict)
            else a
            for a in task.get("annotations") or []
        ]
        refs = [{"project_id": int(project_id), "task_id": task_id}]
        out.append({**task, LS_TASKS: refs, "annotations": anns})
    return out


def merge_duplicate_passages(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One task per passage id: the annotations of tasks repeating a passage are pooled.

    A passage imported twice (e.g. by concurrent pushes of an older version) may have been
    reviewed in both tasks; writing both would put one passage in the corpus twice, with
    conflicting labels. The oldest task is kept, with every annotation and prediction of
    its duplicates, so the reviewers' votes are resolved together, and the licence each
    task records (:data:`annotate.corpus.licenses.PUSHED_LICENCES`: the row is exported
    under the latest push's, :func:`annotate.corpus.licenses.merged_license`).
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for task in sorted(tasks, key=lambda t: int(t["id"])):
        pid = (task.get("data") or {}).get(PASSAGE_ID_FIELD)
        key = str(pid) if pid not in (None, "") else f"ls-task-{task['id']}"
        groups.setdefault(key, []).append(task)
    merged: list[dict[str, Any]] = []
    for pid, group in groups.items():
        if len(group) == 1:
            merged.append(group[0])
            continue
        log.warning(
            "passage %r is in %d tasks (%s); their annotations are exported as one row",
            pid,
            len(group),
            ", ".join(str(t["id"]) for t in group),
        )
        base = dict(group[0])
        base["annotations"] = [a for t in group for a in t.get("annotations") or []]
        base["predictions"] = [p for t in group for p in t.get("predictions") or []]
        base[LS_TASKS] = [r for t in group for r in task_refs(t)]
        base[PUSHED_LICENCES] = [x for t in group for x in pushed_licences(t)]
        merged.append(base)
    return merged


def categories_offered(project: dict[str, Any], tax: Taxonomy) -> dict[str, set[str]]:
    """labels.yaml version -> the categories the project's labeling config offered its
    reviewers while it was of that version: the config's own (its version,
    :func:`project_taxonomy_version`), and for each version a push moved it from
    (:func:`project_taxonomy_history`, newest first) those less the categories the
    later versions added. {} when the project has no config rendered from labels.yaml
    or records no version. Never raises."""
    from annotate.studio.label_config import project_label_config

    control = tax.interface.categories
    have = project_label_config(str(project.get("label_config") or "")).controls
    version = project_taxonomy_version(project)
    if control not in have or not version:
        return {}
    offered = set(have[control].values)
    out = {version: set(offered)}
    for entry in reversed(project_taxonomy_history(project)):
        offered -= {a.split(":", 1)[1] for a in entry.added if a.startswith(f"{control}:")}
        out.setdefault(entry.version, set(offered))
    return out
