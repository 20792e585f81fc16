"""`annotate demo`: the whole loop on the bundled sample corpus, ending in Label Studio.

Starts the local Label Studio (installing it on first use), ingests
``annotate/resources/sample_corpus/*.txt``, pre-labels the passages with the default
model and pushes them to a project, then returns where a reviewer finds them. Running
it again re-uses the server and adds nothing to the project.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate import defaults
from annotate._util.progress import ProgressFn, finish
from annotate.errors import InputError
from annotate.settings import annotate_home
from annotate.studio import server
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection, read_credentials, studio_paths
from annotate.studio.push import PushResult, push
from annotate.taxonomy import TaxonomyRef, as_taxonomy

log = logging.getLogger(__name__)

SAMPLE_CORPUS = Path(__file__).resolve().parent / "resources" / "sample_corpus"
DEMO_PROJECT = defaults.DEMO_PROJECT


@dataclass
class DemoResult:
    url: str
    project_url: str
    username: str
    password: str
    documents: int
    passages: int
    push: PushResult
    workdir: Path
    team: list[Any] = field(default_factory=list)  # the demo reviewers (K=2 review set)
    team_project: str = ""


def demo(
    project: str = DEMO_PROJECT,
    *,
    corpus: str | os.PathLike[str] | None = None,
    model: str | os.PathLike[str] | None = None,
    taxonomy: TaxonomyRef = None,
    port: int | None = None,
    progress: Callable[..., ProgressFn | None] | None = None,
    starting: Callable[[], None] | None = None,
) -> DemoResult:
    """Run start -> ingest -> prelabel -> push on the sample corpus (local server).

    ``progress(stage, unit=...)`` gives each stage its progress callable (the CLI's
    :class:`annotate.cli.app.Bars`); None: no progress. ``corpus``: a folder or file of your
    documents, read as ``annotate ingest CORPUS`` reads it (default: the bundled sample's
    .txt files). The work tables are written under ``$ANNOTATE_HOME/demo``.
    ``starting()`` is called once the checks passed (the corpus ingested, labels.yaml
    read, the model found), just before the server starts (the CLI says "starting" then:
    a mistake is said without a word of starting before it). Raises InputError (a corpus
    ingest refuses), TaxonomyError, ModelError (no such model), all before the server
    starts, and StudioError.
    """
    from annotate.ingestion import ingest
    from annotate.prelabeling import prelabel

    # the sample's files are ingested by name (their document ids, and so passage ids, stay
    # those of earlier demos); your corpus as `annotate ingest CORPUS` reads it: every
    # supported file, in sub-folders too, empty ones skipped and counted
    docs = [Path(corpus)] if corpus is not None else sorted(SAMPLE_CORPUS.glob("*.txt"))
    if not docs:
        raise InputError(
            f"no .txt documents in {SAMPLE_CORPUS}.",
            fix="reinstall annotate (it bundles a sample), or pass --corpus DIR.",
        )
    work = annotate_home() / "demo"
    work.mkdir(parents=True, exist_ok=True)
    passages = work / "passages.parquet"
    prelabels = work / "prelabels.parquet"

    def stage(name: str, unit: str) -> ProgressFn | None:
        return progress(name, unit=unit) if progress is not None else None

    # before the server starts: a corpus ingest refuses is an error in seconds
    ingesting = stage("ingest", "doc")
    ingested = ingest(docs, passages, progress=ingesting)
    finish(ingesting)  # its "done in N s" is the ingest's, not the whole demo's
    log.info("ingested %d documents into %d passages", ingested.documents, ingested.passages)
    tax = as_taxonomy(taxonomy)  # a bad labels.yaml, a model that is not there: said now
    _check_model(model, tax)
    if starting is not None:
        starting()
    paths = studio_paths()
    status = server.start(paths, port=port)
    creds = read_credentials(paths)
    assert creds is not None and status.url
    client = StudioClient(
        Connection(
            url=status.url,
            api_key=creds.token,
            source="local",
            username=creds.username,
            password=creds.password,
        )
    )
    client.whoami()

    labelling = stage("prelabel", "passage")
    prelabel(passages, prelabels, model=model, taxonomy=tax, progress=labelling)
    finish(labelling)
    # a demo project deleted in Label Studio since an earlier demo is made again (logged):
    # it holds only the sample corpus, and `make demo` has no --recreate-deleted to pass
    pushed = push(
        prelabels,
        project,
        taxonomy=tax,
        client=client,
        progress=stage("push", "task"),
        recreate_deleted=True,
    )
    from annotate.review.demo_team import demo_team

    team_project = f"{project} · team"
    team, _ = demo_team(client, prelabels, team_project, work, taxonomy=tax)
    return DemoResult(
        url=status.url,
        project_url=pushed.project_url,
        username=creds.username,
        password=creds.password,
        documents=ingested.documents,
        passages=ingested.passages,
        push=pushed,
        workdir=work,
        team=team,
        team_project=team_project,
    )


def _check_model(model: str | os.PathLike[str] | None, tax: Any) -> None:
    """Raise the ModelError prelabel would give for a ``model`` that names no model (no
    such folder, a folder with no model files, the default model missing, a hub id the
    cache lacks offline), without loading one: said before the server starts, not after
    a minute of starting it."""
    from annotate.classifier.loader import (
        DEFAULT_MODEL_DIR,
        check_hub_model,
        hub_id,
        load_classifier,
        model_kind,
        named_model_dir,
    )

    if hub_id(model) is not None:
        check_hub_model(model)
        return
    path = DEFAULT_MODEL_DIR if model is None else named_model_dir(model)
    if not path.is_dir():
        load_classifier(model, tax)  # raises its ModelError before loading anything
    else:
        from annotate.classifier.model_files import (
            check_trained_labels,
            check_transformers_labels,
            recorded_labels,
        )

        # a folder that holds no model (`--model data`), or a model of another labels.yaml:
        # its files say so, read without the weights (annotate_model.json's labels; a
        # transformers model's config.json id2label)
        kind = model_kind(path)
        trained = recorded_labels(path)
        if trained is not None:
            check_trained_labels(path, trained, tax.category_names)
        elif kind == "transformers.sequence-classification.v1":  # hf.KIND (hf imports torch)
            check_transformers_labels(path, tax.category_names)
