"""Held-out passages that are near-copies of a model's own training rows.

A reviewed export is split by document, and export groups near-duplicates within the
export it writes; but a model trained on an earlier export (or on a project table) may
have a near-copy of a passage that is now held out, in another document or another
export. Its figures on that passage are then not held-out figures. Before scoring,
``annotate evaluate`` (and a comparison, per model) reads the model's training record
(``annotate_model.json`` ``training.data``), loads the training rows of its project
data (exports, ``datasets`` folders and project tables; mapped public tables are left
out: they are large and no review exports them) with the seed it was trained with (a
source its config put in one split, in that split: an all-test source holds no training
row), and counts the scored passages that are near-copies of one of them.

Near-copy: shingles as ingest's near-duplicate search makes them (word 3-grams, character
n-grams in scripts written without spaces: :func:`annotate.ingestion.near_dups.shingles`),
MinHash LSH candidates (datasketch,
``NUM_PERM`` permutations and the bands of ingest, chosen for recall; the training texts'
index in memory, about 4 KB a text with 12 bands, the scored texts signed ``CHUNK`` at a time), each
candidate checked by the exact Jaccard
similarity of the two shingle sets, at least ``DEFAULT_NEAR_DUP_THRESHOLD`` (0.8).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate.classifier.base import Classifier
from annotate.corpus.schema import FIT_SPLITS
from annotate.defaults import DEFAULT_NEAR_DUP_THRESHOLD
from annotate.errors import AnnotateError
from annotate.evaluation.trained_splits import source_split, trained_table, training_data
from annotate.taxonomy import Taxonomy
from annotate.training.sources import SAVED_DATASET, DataSource, Example

log = logging.getLogger(__name__)

# training sources read for the search: the project's own data (exports, DatasetDict
# folders in the project's columns, project tables)
SEARCHED_KINDS = ("export", SAVED_DATASET, "native")
EXAMPLES_KEPT = 10  # near-copy pairs listed in the report
CHUNK = 5_000  # texts signed at a time (memory: one chunk of signatures and shingles)


@dataclass
class NearCopySearch:
    """What :func:`training_near_copies` found. ``count``: scored passages that are
    near-copies of a training row (None: the model records no training data that could
    be read, so nothing was searched); ``training_rows``: training rows searched;
    ``sources``: training data read; ``skipped``: ``{"path", "why"}`` of training data
    not read; ``examples``: up to :data:`EXAMPLES_KEPT` ``{"id", "training_id",
    "training_source", "jaccard"}``."""

    count: int | None
    training_rows: int = 0
    sources: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    examples: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report's ``training_near_copy_search``: the fields above, with the Jaccard
        ``threshold`` and the ``training_splits`` searched."""
        return {
            "count": self.count,
            "threshold": DEFAULT_NEAR_DUP_THRESHOLD,
            "training_rows": self.training_rows,
            "training_splits": list(FIT_SPLITS),
            "sources": self.sources,
            "skipped": self.skipped,
            "examples": self.examples,
        }


def _located(entry: dict[str, Any]) -> Path | None:
    """Where a ``training.data`` entry's data is here: its resolved path under its
    recorded root, else its path as recorded (from the working directory); None when
    neither exists."""
    from annotate.settings import PROJECT_ROOT, in_checkout
    from annotate.training.data_files import ROOT_CHECKOUT, located

    tried = []
    if entry.get("resolved"):
        root = PROJECT_ROOT if entry.get("root") == ROOT_CHECKOUT and in_checkout() else Path.cwd()
        tried.append(located(root, str(entry["resolved"])))
    if entry.get("path"):
        tried.append(Path(str(entry["path"])))
    return next((p for p in tried if p.exists()), None)


def _trained_seed(clf: Classifier) -> int:
    from annotate.evaluation.evaluate import split_seed

    return split_seed(clf, None)[0]


@contextmanager
def _quiet_training_loaders() -> Iterator[None]:
    """Warnings of the training data's loaders (``annotate.training.*``) held back while
    the search reads a model's training data: they were given when the model was trained
    (a tied export passage left out, a span not found), and printed again here they read
    as warnings about the scored data, under a path relative to the training checkout."""
    logger = logging.getLogger("annotate.training")
    before = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(before)


def training_rows(clf: Classifier, tax: Taxonomy) -> tuple[list[Example], NearCopySearch]:
    """The train and validation rows of ``clf``'s project training data (its
    ``training.data`` entries of kind export, saved dataset or native that exist here),
    split with the seed it was trained with, a source the config put in one split
    (``split: test`` etc.) in that split, as in training (an all-test source is not
    read); and the search record so far (``count`` None when there
    was nothing to read)."""
    from annotate.training.sources import load_examples

    found = NearCopySearch(count=None)
    rows: list[Example] = []
    for entry in training_data(clf):
        path = str(entry.get("path") or "")
        kind = entry.get("kind")
        if kind not in SEARCHED_KINDS:
            if kind == "mapped":
                found.skipped.append({"path": path, "why": "a mapped public table"})
            continue
        one = source_split(entry)  # the config put every row of it in this split
        if one == "test":
            found.skipped.append({"path": path, "why": "every row was a test row"})
            continue
        where = _located(entry)
        if where is None:
            found.skipped.append({"path": path, "why": "not found here"})
            continue
        try:
            log.debug(
                "reading %s, training data of %s (its loaders' warnings held back)",
                where,
                clf.version,
            )
            source = DataSource(str(where), split=one)
            if kind == "native":  # split under its recorded name, near-copies as then
                name, near_dups = trained_table(entry)
                source = DataSource(str(where), split=one, near_dups=near_dups, split_name=name)
            with _quiet_training_loaders():
                examples, _ = load_examples([source], tax, _trained_seed(clf))
        except AnnotateError as err:  # changed or unreadable since: say so, search the rest
            found.skipped.append({"path": path, "why": f"unreadable: {err}"})
            continue
        rows += [e for e in examples if e.split in FIT_SPLITS]
        found.sources.append(path)
    if found.sources:
        found.count = 0
    found.training_rows = len(rows)
    return rows, found


def _key(e: Example) -> tuple[str, str]:
    return (e.id, e.text)


def near_copy_pairs(
    scored: Sequence[str],
    training: Sequence[str],
    threshold: float = DEFAULT_NEAR_DUP_THRESHOLD,
    chunk: int = CHUNK,
) -> list[tuple[int, int, float]]:
    """(i, j, Jaccard) for each scored text ``scored[i]`` with a training text
    ``training[j]`` whose shingle sets (:func:`annotate.ingestion.near_dups.shingles`)
    have a Jaccard similarity of at least ``threshold``: MinHash LSH candidates
    (datasketch, the bands of :func:`annotate.ingestion.near_dups.bands_for`), checked
    exactly; the most similar training text per scored text, in scored order.

    Memory: the LSH index of the training texts (about 4 KB a text, 12 bands) and one ``chunk`` of
    scored texts' signatures at a time; shingle sets are built per text when needed, so
    100,000 held-out passages cost no more than ``chunk`` of them. Raises InputError
    unless 0 < threshold < 1."""
    if not scored or not training:
        return []
    from datasketch import MinHash, MinHashLSH  # imports scipy: only when searching

    from annotate.ingestion.near_dups import NUM_PERM, bands_for, shingles

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, params=bands_for(threshold))
    for start in range(0, len(training), chunk):
        part = [shingles(t) for t in training[start : start + chunk]]
        for j, m in enumerate(MinHash.bulk(part, num_perm=NUM_PERM), start):
            lsh.insert(j, m)
    out = []
    for start in range(0, len(scored), chunk):
        part = [shingles(t) for t in scored[start : start + chunk]]
        for i, m in enumerate(MinHash.bulk(part, num_perm=NUM_PERM), start):
            best: tuple[float, int] | None = None
            mine = set(part[i - start])
            for j in lsh.query(m):
                theirs = set(shingles(training[j]))
                jac = len(mine & theirs) / len(mine | theirs)
                if jac >= threshold and (best is None or jac > best[0]):
                    best = (jac, j)
            if best is not None:
                out.append((i, best[1], round(best[0], 4)))
    return out


def training_near_copies(
    clf: Classifier, tax: Taxonomy, scored: Sequence[Example]
) -> NearCopySearch:
    """How many of the ``scored`` passages are near-copies of ``clf``'s training rows
    (:func:`training_rows`; module docstring). A scored passage that is itself one of
    those rows (same id and text) in the train or validation split is not a held-out
    passage and is not counted (the report's "not held out" note covers it); the same
    passage in the test split is (an exact copy)."""
    rows, found = training_rows(clf, tax)
    if found.count is None:
        return found
    own = {_key(e) for e in rows}
    held = [e for e in scored if not (e.split in FIT_SPLITS and _key(e) in own)]
    pairs = near_copy_pairs([e.text for e in held], [e.text for e in rows])
    found.count = len(pairs)
    found.examples = [
        {
            "id": held[i].id,
            "training_id": rows[j].id,
            "training_source": rows[j].source,
            "jaccard": jac,
        }
        for i, j, jac in pairs[:EXAMPLES_KEPT]
    ]
    log.info(
        "near-copy search: %d of %d held-out passages are near-copies of %s's %d training rows",
        len(pairs),
        len(held),
        clf.version,
        len(rows),
    )
    return found


def near_copy_note(count: int | None, version: str, report: str = "report.json") -> str:
    """The console's and report's warning for a non-zero ``count`` ("" otherwise), naming
    the ``report`` file that lists examples."""
    if not count:
        return ""
    one = count == 1
    are = "is a near-copy" if one else "are near-copies"
    return (
        f"{count} scored passage{'' if one else 's'} {are}"
        f" (Jaccard >= {DEFAULT_NEAR_DUP_THRESHOLD} of word 3-grams, character n-grams in "
        "Chinese, Japanese or Thai) of "
        f"{'a passage' if one else 'passages'} {version} was trained on, so its figures on "
        f"{'it' if one else 'them'} are not held-out figures ({report} "
        "`training_near_copy_search` lists examples); evaluate on passages it has not seen."
    )
