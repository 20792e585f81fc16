"""Which categories of the labels.yaml an export reads with were not offered to the
reviewers of answers made under an older one (newuser57 F2): a category appended in a
MINOR version (``harassment`` in 1.1.0) was in no labeling config an answer made under
1.0.0 was made with, so its passages are neither a "decided no" nor a model's true
negative for it. The manifest's ``labels_not_offered`` records them per version of
answers; :func:`row_not_offered` reads them back per passage for the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotate.studio.client import StudioClient
    from annotate.taxonomy import Taxonomy

# the manifest key (written beside ``labels_not_offered``) saying how the rows' resolved
# labels read those answers: "left out" (they did not vote on the categories their config
# lacked; exports since stop 58). Absent beside a ``labels_not_offered``: an older export,
# whose labels counted those answers' forced "no" (training masks such categories)
NOT_OFFERED_VOTE_KEY = "labels_not_offered_vote"
NOT_OFFERED_LEFT_OUT = "left out"


def vote_record(manifest: Mapping[str, Any]) -> dict[str, list[str]] | None:
    """The export ``manifest``'s ``labels_not_offered`` where its rows were resolved over
    the answers offered each category (:data:`NOT_OFFERED_VOTE_KEY` says "left out"); None
    for an export without the record or made before that rule (its rows counted every
    answer: read as written)."""
    raw = manifest.get("labels_not_offered")
    if manifest.get(NOT_OFFERED_VOTE_KEY) != NOT_OFFERED_LEFT_OUT or not isinstance(raw, dict):
        return None
    return {str(v): [str(c) for c in cats] for v, cats in raw.items() if isinstance(cats, list)}


def labels_not_offered(
    client: StudioClient,
    projects: Mapping[str, int],
    rows: Sequence[dict[str, Any]],
    tax: Taxonomy,
) -> dict[str, list[str]]:
    """labels.yaml version of answers -> the categories of ``tax`` that no labeling
    config of the ``projects`` (title -> id) offered while it was of that version
    (:func:`annotate.studio.pull.categories_offered`), in ``tax``'s order; only the
    versions of the rows' answers older than ``tax``'s in its major version, with no
    declared migration (a minor version only adds labels), and that miss some. {} when
    every answer was made under ``tax``'s version. Reads each project once."""
    made = {str(a.get("taxonomy_version")) for r in rows for a in r.get("annotations") or []}
    return not_offered_by_version(client, projects, made, tax)


def tasks_not_offered(
    client: StudioClient,
    projects: Mapping[str, int],
    tasks: Sequence[dict[str, Any]],
    tax: Taxonomy,
) -> dict[str, list[str]]:
    """:func:`labels_not_offered` of Label Studio ``tasks`` (their latest answers'
    ``taxonomy_version``, stamped by :func:`annotate.studio.pull.stamp_taxonomy_versions`;
    an answer without one is read as ``tax``'s), before any row is made of them."""
    return not_offered_by_version(client, projects, answered_versions(tasks, tax), tax)


def answered_versions(tasks: Sequence[dict[str, Any]], tax: Taxonomy) -> set[str]:
    """The labels.yaml versions the latest answers of Label Studio ``tasks`` were made
    under (stamped; an answer without one is read as ``tax``'s)."""
    from annotate.studio.pull import latest_annotations

    return {
        str(ann.get("taxonomy_version") or tax.version)
        for task in tasks
        for _, ann in latest_annotations(task)
    }


def not_offered_in(
    projects: Sequence[dict[str, Any]], tasks: Sequence[dict[str, Any]], tax: Taxonomy
) -> dict[str, list[str]]:
    """:func:`tasks_not_offered` of Label Studio ``projects`` read already with their
    ``label_config`` (no request made)."""
    made = _older_versions(answered_versions(tasks, tax), tax)
    return _missing([dict(p) for p in projects], made, tax) if made else {}


def not_offered_by_version(
    client: StudioClient,
    projects: Mapping[str, int],
    versions: set[str],
    tax: Taxonomy,
) -> dict[str, list[str]]:
    """:func:`labels_not_offered` of the answers' labels.yaml ``versions``."""
    made = _older_versions(versions, tax)
    if not made:
        return {}
    return _missing([client.get_project(int(pid)) for pid in projects.values()], made, tax)


def _older_versions(versions: set[str], tax: Taxonomy) -> set[str]:
    """Of ``versions``, those older than ``tax``'s in its major version without a declared
    migration (a minor version only adds labels)."""
    major = tax.version.split(".")[0]
    return {
        v
        for v in versions
        if v != tax.version and v.split(".")[0] == major and tax.migration_from_declared(v) is None
    }


def _missing(
    projects: Sequence[dict[str, Any]], made: set[str], tax: Taxonomy
) -> dict[str, list[str]]:
    """Version of ``made`` -> the categories of ``tax`` no labeling config of ``projects``
    (read with their ``label_config``) offered under it, where some."""
    from annotate.studio.pull import categories_offered

    offered: dict[str, set[str]] = {}
    for proj in projects:
        for version, names in categories_offered(proj, tax).items():
            offered.setdefault(version, set()).update(names)
    out = {}
    for version in sorted(made):
        if version in offered:
            missing = [c for c in tax.category_names if c not in offered[version]]
            if missing:
                out[version] = missing
    return out


def row_not_offered(
    rows: Sequence[dict[str, Any]],
    recorded: Mapping[str, Sequence[str]] | None,
    *,
    left_out: bool = True,
) -> dict[str, set[str]]:
    """Passage id -> the categories none of its reviewers' answers could choose: each
    answer was made under a version ``recorded`` (the manifest's ``labels_not_offered``)
    lists them for (of the answers that chose a category, when any did: an answer without
    one does not vote). The resolved ``labels`` leave them out undecided, no "no" (nor a
    tie). Passages with no such category are left out; {} for an export without the
    record. ``left_out`` False (an export without :data:`NOT_OFFERED_VOTE_KEY`, made
    before its vote left those answers out): over every answer, as it was read then."""
    if not recorded:
        return {}
    out: dict[str, set[str]] = {}
    for row in rows:
        answers = row.get("annotations") or []
        if left_out:
            answers = [a for a in answers if a.get("categories")] or answers
        if not answers:
            continue
        # a category an answer chose was offered it, whatever its version says (an older
        # export is read as it was written)
        sets = [
            set(recorded.get(str(a.get("taxonomy_version")), ()))
            - (set(a.get("categories") or ()) if left_out else set())
            for a in answers
        ]
        common = set.intersection(*sets)
        if common:
            out[str(row["id"])] = common
    return out
