"""Label Studio-shaped tasks and an in-memory studio, to export a corpus in unit tests.

The integration tests export from a real Label Studio; these build the same task shape
(as the snapshot export returns it) so the audit code is tested fast as well.
"""

from __future__ import annotations

from typing import Any

from tests.integration.helpers import choices, comment, span  # code points, as the UI

MODEL = "fixture-model-1"


def annotation(
    ann_id: int, user: int, result: list[dict[str, Any]], *, minute: int, lead_time: float | None
) -> dict[str, Any]:
    stamp = f"2026-06-01T10:{minute:02d}:00Z"
    return {
        "id": ann_id,
        "completed_by": user,
        "result": result,
        "lead_time": lead_time,
        "created_at": stamp,
        "updated_at": stamp,
        "was_cancelled": False,
        "ground_truth": False,
    }


def task(
    task_id: int,
    passage_id: str,
    text: str,
    *,
    doc: str,
    index: int,
    model_labels: list[str],
    annotations: list[dict[str, Any]],
    source: str | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    return {
        "id": task_id,
        "data": {
            "text": text,
            "passage_id": passage_id,
            "doc_id": doc,
            "title": title or f"Title of {doc}",
            "source": source or f"https://example.org/{doc}",
            "date": "2026-05-01",
            "start": index * 10_000,  # clear of the passage before (ingest never overlaps them)
            "end": index * 10_000 + len(text),
            "passage_index": index,
            "model_version": MODEL,
            "model_scores": {label: 0.9 for label in model_labels},
            "model_labels": model_labels,
        },
        "predictions": [
            {"model_version": MODEL, "result": [choices("category", model_labels)]},
        ],
        "annotations": annotations,
    }


THREAT = "We will come for you at the depot tonight 🔥 and nobody leaves alive."
NEWS = 'Police said the suspect posted "burn their cities" before the attack.'
MUSEUM = "The museum's new wing covers the siege of Leningrad with letters and maps."
PERSONAL = (
    "Mail me at jane.roe@example.com or call +44 20 7946 0958, 🦁 ask @jane_roe99 "
    "or see https://twitter.com/janeroe99 — then kill them all."
)


def reviewed_tasks() -> list[dict[str, Any]]:
    """Five reviewed tasks over three documents, three reviewers (users 1, 2, 3)."""
    return [
        task(
            11,
            "doc-a-p0",
            NEWS,
            doc="doc-a",
            index=0,
            model_labels=["news_reporting"],
            annotations=[
                annotation(
                    101,
                    1,
                    [
                        choices("category", ["news_reporting"]),
                        span(NEWS, "burn their cities", "quoted_propaganda"),
                        choices("severity", ["low"]),
                    ],
                    minute=1,
                    lead_time=10.0,
                ),
            ],
        ),
        task(
            12,
            "doc-a-p1",
            THREAT,
            doc="doc-a",
            index=1,
            model_labels=["violent_threat", "incitement"],
            annotations=[
                annotation(
                    102,
                    1,
                    [
                        choices("category", ["violent_threat"]),
                        span(THREAT, "nobody leaves alive", "threat"),
                        choices("severity", ["high"]),
                    ],
                    minute=2,
                    lead_time=31.5,
                ),
                annotation(
                    103,
                    2,
                    [
                        choices("category", ["violent_threat", "incitement"]),
                        span(THREAT, "nobody leaves alive", "threat"),
                        choices("severity", ["critical"]),
                    ],
                    minute=3,
                    lead_time=12.0,
                ),
                annotation(
                    104,
                    3,
                    [choices("category", ["violent_threat"]), choices("severity", ["high"])],
                    minute=4,
                    lead_time=20.0,
                ),
            ],
        ),
        task(
            13,
            "doc-b-p0",
            MUSEUM,
            doc="doc-b",
            index=0,
            model_labels=["none"],
            annotations=[
                annotation(105, 2, [choices("category", ["none"])], minute=5, lead_time=4.0),
                annotation(106, 3, [choices("category", ["none"])], minute=6, lead_time=6.0),
            ],
        ),
        task(
            14,
            "doc-c-p0",
            PERSONAL,
            doc="doc-c",
            index=0,
            model_labels=["none"],
            source="https://twitter.com/janeroe99/status/1234567890",
            title="Post by @jane_roe99",
            annotations=[
                annotation(
                    107,
                    2,
                    [
                        choices("category", ["incitement"]),
                        span(PERSONAL, "kill them all", "call_to_violence"),
                        span(PERSONAL, "jane.roe@example.com", "threat"),
                        choices("severity", ["medium"]),
                        comment("reported by john.smith@example.net, phone 020 7946 0018"),
                    ],
                    minute=7,
                    lead_time=45.0,
                ),
            ],
        ),
        task(
            15,
            "doc-c-p1",
            "Nothing to see here.",
            doc="doc-c",
            index=1,
            model_labels=["violent_threat"],
            annotations=[
                annotation(108, 1, [choices("category", ["none"])], minute=8, lead_time=None),
            ],
        ),
    ]


class FakeStudio:
    """The calls `export` makes, answered from a list of snapshot-shaped tasks."""

    url = "http://127.0.0.1:1"

    def __init__(self, tasks: list[dict[str, Any]]) -> None:
        self.tasks = tasks

    def require_project(self, title: str) -> dict[str, Any]:
        return {"id": 7, "title": title}

    def get_project(self, project_id: int) -> dict[str, Any]:
        return {"id": project_id, "title": "p"}

    def export_snapshot(self, project_id: int) -> list[dict[str, Any]]:
        return self.tasks

    def count_annotated_tasks(self, project_id: int) -> int:
        return sum(1 for t in self.tasks if any(not a["was_cancelled"] for a in t["annotations"]))

    def skipped_snapshot(self, project_id: int) -> list[dict[str, Any]]:
        """The skipped tasks with their skips (cancelled annotations) only, as Label
        Studio's snapshot filtered to skipped tasks and annotations gives them."""
        return [
            {**t, "annotations": [a for a in t["annotations"] if a["was_cancelled"]]}
            for t in self.export_snapshot(project_id)
            if any(a["was_cancelled"] for a in t["annotations"])
        ]

    def iter_tasks(self, project_id: int, include: str = "id,data") -> list[dict[str, Any]]:
        """The task listing: id, data and the counts of answers and skips (cancelled
        annotations), as Label Studio's task list gives them."""
        return [
            {
                "id": t["id"],
                "data": t["data"],
                "meta": t.get("meta") or {},
                "total_annotations": sum(not a["was_cancelled"] for a in t["annotations"]),
                "cancelled_annotations": sum(a["was_cancelled"] for a in t["annotations"]),
            }
            for t in self.export_snapshot(project_id)
        ]

    def server_version(self) -> str:
        return "fake"

    def find_project(self, title: str) -> dict[str, Any] | None:
        """Only the exported project exists (no adjudication project)."""
        return None if title.endswith("adjudication") else self.require_project(title)

    def find_projects(self, title: str) -> list[dict[str, Any]]:
        """The projects of the title as :meth:`find_project` knows them (a project made
        by ``create_project`` alone is listed by none: taken as not listed yet)."""
        found = self.find_project(title)
        return [] if found is None else [found]

    def list_projects(self, include: str | None = None) -> list[dict[str, Any]]:
        return self._get("api/projects/", "listing projects")["results"]

    def _get(self, path: str, what: str, **params: Any) -> Any:
        """The project listing the review-set lookup reads: one project, not a review set."""
        assert path == "api/projects/", path
        return {"results": [self.require_project("p")], "next": None}


ADJUDICATION = {"id": 9, "title": "p · adjudication"}


def lead_task(passage_id: str, text: str, result: list[dict[str, Any]]) -> dict[str, Any]:
    """A task of `p · adjudication` answered by the lead (user 4)."""
    return {
        "id": 90,
        "data": {"text": text, "passage_id": passage_id},
        "predictions": [],
        "annotations": [annotation(901, 4, result, minute=30, lead_time=8.0)],
    }


class StudioWithLead(FakeStudio):
    """FakeStudio plus `p · adjudication`, holding the lead's tasks (:func:`lead_task`)."""

    def __init__(self, tasks: list[dict[str, Any]], lead: list[dict[str, Any]]) -> None:
        super().__init__(tasks)
        self.lead = lead

    def find_project(self, title: str) -> dict[str, Any] | None:
        return ADJUDICATION if title == ADJUDICATION["title"] else super().find_project(title)

    def export_snapshot(self, project_id: int) -> list[dict[str, Any]]:
        return self.lead if project_id == ADJUDICATION["id"] else self.tasks
