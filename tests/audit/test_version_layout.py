"""Same data + settings -> same model and version, wherever and from what cache it is
built (issue 8: "seeded and reproducible"; auditors). Two real small builds of one
config: the second from another folder whose data folder is a link to the first's (as
``../shared`` is a link in a worktree and a folder in the main checkout), at another
git revision, from an embedding cache another run filled. Before, the version hashed
the training record's resolved paths and commit, and a warm cache moved the weights."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file

from annotate.cli import main
from tests.test_train_loop import _native_rows

# the fixture rows hold no harmful label (train refuses those unless told)
NO_HARM = "--allow-no-harmful-passages"

pytestmark = pytest.mark.slow  # trains a real (small) model twice


def _train(cfg: Path, out: Path) -> None:
    try:
        main(
            ["train", "--config", str(cfg), "--out", str(out), "--quiet", "--threads", "1", NO_HARM]
        )
    except SystemExit as exc:
        assert not exc.code, exc.code


def _config(folder: Path) -> Path:
    cfg = folder / "small.train.yaml"
    cfg.write_text("name: small\ntrainer: frozen\nseed: 3\ndata:\n  - path: data/base.jsonl\n")
    return cfg


def test_a_build_elsewhere_from_a_warm_cache_gives_the_same_model_and_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotate.classifier.encoder import Encoder
    from annotate.classifier.frozen_linear import files_version
    from annotate.training import data_files, row_training
    from annotate.training.embedding_cache import EmbeddingCache

    rows = _native_rows()
    real = tmp_path / "main" / "data"
    real.mkdir(parents=True)
    (real / "base.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cold"))
    _train(_config(tmp_path / "main"), tmp_path / "a")

    linked = tmp_path / "worktree"
    linked.mkdir()
    (linked / "data").symlink_to(real, target_is_directory=True)
    warm = tmp_path / "warm"  # filled by another run: some of these texts among others
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the cache's file is per thread count, as the build's
    try:
        some = [r["text"] for r in rows[::3]] + [f"{r['text']} Then it rained." for r in rows]
        EmbeddingCache(Encoder(max_length=256), root=warm).encode(some, [[] for _ in some])
    finally:
        torch.set_num_threads(threads)
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(warm))
    monkeypatch.setattr(row_training, "tool_version", lambda: "0.1.0 (git 0123abc)")
    # another checkout: the data's resolved path is recorded relative to it
    monkeypatch.setattr(data_files, "PROJECT_ROOT", linked)
    _train(_config(linked), tmp_path / "b")

    assert len(list(warm.glob("*.sqlite"))) == 1  # the build read the file filled above
    a, b = tmp_path / "a", tmp_path / "b"
    ca = json.loads((a / "annotate_model.json").read_text(encoding="utf-8"))
    cb = json.loads((b / "annotate_model.json").read_text(encoding="utf-8"))
    # where it was built is recorded (provenance) ...
    assert ca["training"]["data"][0]["resolved"] != cb["training"]["data"][0]["resolved"]
    assert ca["training"]["annotate"] != cb["training"]["annotate"]
    assert ca["training_sha256"] != cb["training_sha256"]
    # ... but is not the model: same weights, bitwise, and the same version
    wa, wb = load_file(str(a / "linear.safetensors")), load_file(str(b / "linear.safetensors"))
    assert wa.keys() == wb.keys()
    for k in wa:
        assert np.array_equal(wa[k], wb[k]), k
    assert ca["thresholds"] == cb["thresholds"] and ca["calibration"] == cb["calibration"]
    assert ca["training_content_sha256"] == cb["training_content_sha256"]
    assert files_version(a) == files_version(b)
    card = (b / "model_card.md").read_text(encoding="utf-8")
    assert f"- version: `{files_version(a)}`" in card
    shutil.rmtree(tmp_path / "cold")


def test_training_content_leaves_out_where_it_was_built() -> None:
    from annotate.classifier.model_files import training_content, training_content_sha256

    record = {
        "seed": 13,
        "annotate": "0.1.0 (git 1a2b3c4)",
        "data": [
            {
                "path": "../shared/data/x/a.tsv",
                "given": "../../shared/data/x/a.tsv",
                "given_in": "models/default.train.yaml",
                "root": "checkout",
                "resolved": "../../shared/data/x/a.tsv",
                "mapping": "models/mappings/x.yaml",
                "kind": "mapped",
                "rows": 3,
                "files": [
                    {"path": "a.tsv", "role": "data", "sha256": "ab", "bytes": 5, "rows": 3},
                    {"path": "models/mappings/x.yaml", "role": "mapping", "sha256": "cd"},
                ],
            }
        ],
    }
    got = training_content(record)
    assert got["annotate"] == "0.1.0" and got["seed"] == 13
    assert got["data"] == [
        {
            "kind": "mapped",
            "rows": 3,
            "files": [
                {"path": "a.tsv", "role": "data", "sha256": "ab", "bytes": 5, "rows": 3},
                {"path": "x.yaml", "role": "mapping", "sha256": "cd"},
            ],
        }
    ]
    elsewhere = json.loads(json.dumps(record))
    elsewhere["data"][0]["resolved"] = "../shared/data/x/a.tsv"
    elsewhere["annotate"] = "0.1.0 (git 9f9f9f9, dirty)"
    assert training_content_sha256(elsewhere) == training_content_sha256(record)
    elsewhere["data"][0]["files"][0]["sha256"] = "ef"  # other data: another digest
    assert training_content_sha256(elsewhere) != training_content_sha256(record)
    assert record["data"][0]["resolved"] == "../../shared/data/x/a.tsv"  # not changed


def test_a_local_encoder_folder_reached_by_another_path_gives_the_same_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A config naming its encoder folder beside it (``encoder: ./enc``) read from another
    directory records the folder's absolute path: the same project in /a/proj and
    /b/proj gave two versions. Since stop 36 the version names a local encoder by its
    identity (weights digest), and the model still verifies."""
    from annotate.audit.model_verify import MATCH, check_training_record
    from annotate.classifier.frozen_linear import files_version
    from annotate.classifier.model_files import versioned_config
    from tests.classifier.test_encoder_identity_offline import _tiny_encoder

    rows = _native_rows()
    project = tmp_path / "a" / "proj"
    (project / "data").mkdir(parents=True)
    (project / "data" / "base.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    _tiny_encoder(project / "enc")
    (project / "small.train.yaml").write_text(
        "name: small\ntrainer: frozen\nseed: 3\nencoder: ./enc\nencoder_max_length: 64\n"
        "data:\n  - path: data/base.jsonl\n"
    )
    moved = tmp_path / "b" / "elsewhere" / "proj"
    shutil.copytree(project, moved)
    ENCODER_DIGEST_KEY = "encoder_versioned_by_digest"
    configs = []
    for name, proj in (("a", project), ("b", moved)):
        monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / f"cache-{name}"))
        _train(proj / "small.train.yaml", tmp_path / f"model-{name}")
        configs.append(
            json.loads((tmp_path / f"model-{name}" / "annotate_model.json").read_text("utf-8"))
        )
    ca, cb = configs
    assert files_version(tmp_path / "model-a") == files_version(tmp_path / "model-b")
    assert ca["encoder"] == str(project / "enc") and cb["encoder"] == str(moved / "enc")
    assert ca["training"]["encoder"] != cb["training"]["encoder"]  # recorded as it was
    assert ca[ENCODER_DIGEST_KEY] is True
    assert ca["encoder_identity"]["weights_sha256"] == cb["encoder_identity"]["weights_sha256"]
    assert ca["training_content_sha256"] == cb["training_content_sha256"]
    assert check_training_record(ca).status == MATCH  # annotate verify's training check
    # the marker is what makes the path unversioned: without it, the path is hashed
    older = {**ca, ENCODER_DIGEST_KEY: None}
    assert versioned_config(older)["encoder"] == str(project / "enc")
    assert "encoder" not in versioned_config(ca)
