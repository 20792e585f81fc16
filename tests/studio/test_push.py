"""push's partial-failure policy (on_error) and progress, against a fake client that
refuses chosen batches. The real server path is tests/integration/test_push.py."""

from __future__ import annotations

import pytest

from annotate.errors import InputError, StudioError
from annotate.studio.push import push
from tests.conftest import FIXTURES


class RefusingClient:
    """Just enough of StudioClient for push; import batch numbers in ``refuse`` fail."""

    url = "http://fake"

    def __init__(self, refuse: set[int]) -> None:
        self.refuse = refuse
        self.calls = 0
        self.imported: list[dict] = []

    def find_project(self, title):
        return None

    def create_project(self, title, label_config, **kw):
        return {"id": 1, "title": title, "label_config": label_config, **kw}

    def iter_tasks(self, project_id):
        return iter(())

    def import_tasks(self, project_id, batch):
        self.calls += 1
        if self.calls in self.refuse:
            raise StudioError("the server refused the batch (400).")
        self.imported += batch
        return list(range(len(self.imported) - len(batch), len(self.imported)))

    def update_project(self, project_id, **kw):
        return None


PRELABELS = FIXTURES / "prelabels.jsonl"


def test_continue_records_the_failed_batch_and_goes_on(taxonomy):
    client = RefusingClient(refuse={2})
    seen: list[int] = []
    result = push(
        PRELABELS, "p", taxonomy=taxonomy, client=client, batch_size=2, progress=seen.append
    )
    assert result.failed == 2 and len(result.errors) == 1 and "batch 2" in result.errors[0]
    assert result.created == result.total - 2
    assert sum(seen) == result.total  # progress counts every batch, failed ones too


def test_stop_records_the_failed_batch_and_imports_no_more(taxonomy):
    client = RefusingClient(refuse={2})
    result = push(PRELABELS, "p", taxonomy=taxonomy, client=client, batch_size=2, on_error="stop")
    assert (result.created, result.failed, client.calls) == (2, 2, 2)


def test_raise_fails_at_once(taxonomy):
    client = RefusingClient(refuse={1})
    with pytest.raises(StudioError, match="refused"):
        push(PRELABELS, "p", taxonomy=taxonomy, client=client, batch_size=2, on_error="raise")
    assert client.imported == []


def test_unknown_policy_is_an_input_error(taxonomy):
    with pytest.raises(InputError, match="on_error must be one of continue, stop, raise"):
        push(PRELABELS, "p", taxonomy=taxonomy, client=RefusingClient(set()), on_error="skip")
