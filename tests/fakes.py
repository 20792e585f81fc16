"""Test doubles for fast unit tests (the real classifier is tested in test_classifier*)."""

from __future__ import annotations

from collections.abc import Sequence

from annotate.classifier.base import PassageInput, Prediction, ProgressFn, Span


class KeywordClassifier:
    """Deterministic stand-in: 'kill' -> violent_threat, 'said' -> news_reporting."""

    version = "keyword-fake@0"

    def __init__(self, labels: list[str]) -> None:
        self.labels = list(labels)
        self.calls: list[int] = []

    def predict(
        self, passages: Sequence[PassageInput], *, progress: ProgressFn | None = None
    ) -> list[Prediction]:
        self.calls.append(len(passages))
        out = []
        for p in passages:
            scores = {label: 0.05 for label in self.labels}
            spans = []
            low = p.text.lower()
            if "kill" in low:
                scores["violent_threat"] = 0.9
                i = low.index("kill")
                spans.append(Span(i, i + 4, "threat", 0.9))
            if "said" in low:
                scores["news_reporting"] = 0.8
            labels = [k for k, v in scores.items() if v >= 0.5] or ["none"]
            if labels == ["none"]:
                scores["none"] = 0.9
            out.append(Prediction(scores=scores, labels=labels, spans=spans))
        if progress:
            progress(len(passages))
        return out


class StageRecorder:
    """A stand-in for the CLI's ``Bars`` (annotate._util.progress.StageFn): records, per
    stage, its unit, its total (as given or later set) and the units reported done."""

    def __init__(self) -> None:
        self.units: dict[str, str] = {}
        self.totals: dict[str, int | None] = {}
        self.done: dict[str, int] = {}

    def __call__(self, desc: str, *, unit: str, total: int | None = None) -> object:
        self.units[desc], self.totals[desc], self.done[desc] = unit, total, 0
        recorder = self

        class _Stage:
            def __call__(self, n: int) -> None:
                recorder.done[desc] += n

            def set_total(self, total: int) -> None:
                recorder.totals[desc] = total

        return _Stage()


def another_server() -> None:
    """A test about to push into a second fake server at the same URL as the first: the
    first one's projects, which its pushes recorded (annotate.studio.pushed_projects),
    are not this server's, so the record is dropped (else the push reports them gone)."""
    from annotate.studio import pushed_projects

    for record in pushed_projects.records_folder().glob("*.json"):
        record.unlink()
