"""`annotate adjudicate`: the passages reviewers disagree on, in ``NAME · adjudication``.

A passage is *disputed* when two reviewers or more answered it and the vote did not
decide its categories or its severity (export's ``tie``: e.g. high vs critical from two
reviewers), or their category sets differ, or their severities are two levels apart or
more (:func:`annotate.corpus.resolve.disputed`, the rule export's ``resolution``
shares). The adjudication project gets exactly the disputed passages (gold passages
never): the same task data, a "Reviewers' answers" panel listing each answer under its
reviewer's pseudonym, and each answer as a prediction whose model version is that
pseudonym. A lead's answer there overrides the vote in the export (``resolution =
adjudicated``). Idempotent: passages already in the adjudication project are not added
again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from annotate._util.progress import StageFn, advance, stage
from annotate.corpus.resolve import disputed, pseudonym
from annotate.corpus.rows import task_to_row
from annotate.errors import InputError
from annotate.review.collect import _usable, adjudication_title, merged_tasks
from annotate.review.fanout import MAX_TITLE, check_import_answer
from annotate.review.gold import gold_key
from annotate.review.view import project_view_settings, set_up_views
from annotate.studio.client import StudioClient
from annotate.studio.pull import latest_annotations
from annotate.studio.push import _normalise
from annotate.studio.tasks import PASSAGE_ID_FIELD
from annotate.taxonomy import Taxonomy

log = logging.getLogger(__name__)

REVIEWS_FIELD = "reviews"


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


def adjudication_config(tax: Taxonomy) -> str:
    """The taxonomy's labeling config with a panel showing the reviewers' answers."""
    panel = (
        '  <Header value="Reviewers\' answers (pseudonyms)" size="5"/>\n'
        f'  <Text name="{REVIEWS_FIELD}" value="${REVIEWS_FIELD}" valueType="text"/>\n'
    )
    config = tax.render_label_config()
    return config.replace("<View>\n", "<View>\n" + panel, 1)


def _describe(name: str, ann: dict[str, Any]) -> str:
    spans = "; ".join(f"{s['label']} «{s['text']}»" for s in ann["spans"])
    parts = [f"{name}: {', '.join(ann['categories']) or '(no category)'}"]
    parts.append(f"severity {ann['severity'] or '-'}")
    if spans:
        parts.append(f"evidence {spans}")
    if ann.get("comment"):
        parts.append(f"comment: {ann['comment']}")
    return " · ".join(parts)


def adjudicate(
    client: StudioClient,
    project: str,
    tax: Taxonomy,
    *,
    salt: str,
    progress: StageFn | None = None,
) -> AdjudicationResult:
    """Create or update ``NAME · adjudication`` with the disputed passages of ``project``.

    ``progress`` (:func:`annotate._util.progress.stage`): stages ``snapshot`` (Label
    Studio projects read), ``compare`` (tasks compared) and ``import`` (disputed
    passages sent to the adjudication project)."""
    snapshots = stage(progress, "snapshot", unit="project")
    tasks, _, _ = merged_tasks(client, project, snapshots=snapshots)
    comparing = stage(progress, "compare", unit="task", total=len(tasks))
    todo: list[dict[str, Any]] = []
    compared = 0
    for task in tasks:
        advance(comparing, 1)
        if gold_key(task) is not None or len(_usable(task.get("annotations") or [])) < 2:
            continue
        compared += 1
        row = task_to_row(task, tax, salt=salt, exported_at="")
        anns = row["annotations"]
        if not disputed(
            [a["categories"] for a in anns],
            [a["severity"] for a in anns],
            category_order=tax.category_names,
            severity_levels=tax.severity_names,
        ):
            continue
        latest = dict(latest_annotations(task))
        predictions = [
            {"model_version": pseudonym(user, salt), "result": ann.get("result") or []}
            for user, ann in sorted(latest.items(), key=lambda kv: pseudonym(kv[0], salt))
        ]
        data = dict(task.get("data") or {})
        data[REVIEWS_FIELD] = "\n".join(_describe(a["reviewer"], a) for a in row["annotations"])
        todo.append({"data": data, "predictions": predictions})

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
        return AdjudicationResult(title, None, None, 0, 0, 0, compared=compared)
    if proj is None:
        proj = client.create_project(
            title,
            config,
            description=f"Passages of {project!r} its reviewers disagree on; a lead decides.",
            show_collab_predictions=True,
            sampling="Sequential sampling",
            **project_view_settings(tax),
        )
        set_up_views(client, int(proj["id"]), tax)
    elif _normalise(proj.get("label_config", "")) != _normalise(config):
        client.update_project(int(proj["id"]), label_config=config)
    project_id = int(proj["id"])
    present = {str(t["data"].get(PASSAGE_ID_FIELD)) for t in client.iter_tasks(project_id)}
    new = [t for t in todo if str(t["data"][PASSAGE_ID_FIELD]) not in present]
    if new:
        importing = stage(progress, "import", unit="task", total=len(new))
        check_import_answer(client.import_tasks(project_id, new), new, title)
        advance(importing, len(new))
    log.info("%s: %d disputed passages, %d added", title, len(todo), len(new))
    return AdjudicationResult(
        project=title,
        project_id=project_id,
        project_url=f"{client.url}/projects/{project_id}/data",
        disputed=len(todo),
        added=len(new),
        already=len(todo) - len(new),
        passages=sorted(str(t["data"][PASSAGE_ID_FIELD]) for t in todo),
        compared=compared,
    )
