"""Deleting tasks on a real Label Studio whose signals were lost (two deletions of one
project at once, on a server of its own started without the project's patch,
annotate/studio/server_patches): an answer made since counts nowhere in the task's
stored counters, so a deletion deciding "unanswered" from them would delete it. The
client reads the answers themselves first and refuses; the guarded deletion's own
filters keep the answered task too."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from annotate.settings import HOME_ENV
from annotate.studio import server
from annotate.studio.answer_guard import DeletionRefusedError
from annotate.studio.client import StudioClient
from annotate.studio.connection import (
    KEY_ENV,
    URL_ENV,
    VENV_ENV,
    Connection,
    read_credentials,
    studio_paths,
)
from annotate.studio.guarded_delete import delete_open_tasks, open_filters

from . import prestart, studio_template
from .conftest import studio_venv
from .test_deletions_at_once import an_answer_counts, delete_twice_at_once, new_project

ROUNDS = 10  # tries at losing the signals (the first or second did on a local server)


def unpatched(server_env):  # type: ignore[no-untyped-def]
    def env(*args, **kwargs):  # type: ignore[no-untyped-def]
        out = server_env(*args, **kwargs)
        out["DJANGO_SETTINGS_MODULE"] = "label_studio.core.settings.label_studio"
        out.pop("PYTHONPATH", None)
        return out

    return env


@pytest.fixture(scope="module")
def bare_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connection]:
    """A server of this module only, with Label Studio's own settings (no patch)."""
    mp = pytest.MonkeyPatch()
    mp.setenv(HOME_ENV, str(tmp_path_factory.mktemp("annotate-home-bare")))
    mp.setenv(VENV_ENV, str(studio_venv()))
    mp.delenv(URL_ENV, raising=False)
    mp.delenv(KEY_ENV, raising=False)
    mp.setattr(server, "server_env", unpatched(server.server_env))
    paths = studio_paths()
    try:
        # its database: a copy of the run's migrated one (studio_template.py)
        studio_template.seeded(paths, studio_template.template_root(tmp_path_factory))
        port = server.free_port(random.randint(20000, 32000))
        st = server.start(paths, port=port, timeout=prestart.SQLITE_TIMEOUT_S)
        creds = read_credentials(paths)
        assert creds is not None and st.url
        yield Connection(
            url=st.url,
            api_key=creds.token,
            source="local",
            username=creds.username,
            password=creds.password,
            data_dir=paths.data,
        )
    finally:
        server.stop(paths)
        mp.undo()


def test_answered_tasks_on_a_server_counting_nothing_are_not_deleted(
    bare_studio: Connection, tmp_path: Path
) -> None:
    client = StudioClient(bare_studio)
    with httpx.Client(
        base_url=bare_studio.url,
        headers={"Authorization": f"Token {bare_studio.api_key}"},
        timeout=120,
    ) as http:
        probe = new_project(http, "probe")
        for k in range(1, ROUNDS + 1):
            delete_twice_at_once(bare_studio, new_project(http, f"gone-{k}"))
            if an_answer_counts(http, client, probe) == 0:
                break
        else:
            pytest.skip(f"the server kept its signals through {ROUNDS} double deletions")
        tasks = sorted(int(t["id"]) for t in client.iter_tasks(probe, include="id"))
        answered = tasks[-1]  # answered after the signals were lost: counted 0
        resp = http.post(f"/api/projects/{probe}/import", json=[{"text": "open"}])
        assert resp.status_code == 201, resp.text[:300]
        both = [answered, max(int(t["id"]) for t in client.iter_tasks(probe, include="id"))]

        with pytest.raises(DeletionRefusedError) as err:
            client.delete_tasks(both, project_id=probe)
        assert answered in err.value.task_ids
        left = {int(t["id"]) for t in client.iter_tasks(probe, include="id")}
        assert set(both) <= left, "nothing is deleted when refused"

        # the guarded deletion's filters alone (the check skipped): the answered task stays
        client._bulk_delete(probe, both, open_filters())
        left = {int(t["id"]) for t in client.iter_tasks(probe, include="id")}
        assert answered in left and both[1] not in left
        # the guarded deletion (its filters keep answered tasks) leaves the stale answered
        # task out instead of refusing the whole clean-up (reader57 #4)
        delete_open_tasks(client, probe, [answered])
        left = {int(t["id"]) for t in client.iter_tasks(probe, include="id")}
        assert answered in left
