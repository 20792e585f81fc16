"""`--model models/v2` typed in another folder than the one holding models/ is read as a
Hugging Face hub id (it has that shape); offline, the error said only that the hub could
not be reached and proposed `hf download models/v2`. It now names the folder a relative
path is read from, and the fix says to pass the path from there or an absolute one."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.classifier import load_classifier
from annotate.errors import ModelError
from annotate.taxonomy import load_taxonomy


def test_a_relative_model_path_from_another_folder_names_that_folder(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ModelError) as err:
        load_classifier("models/v2", load_taxonomy())
    text = f"{err.value} {err.value.fix}"
    assert f"no such folder in {tmp_path}" in text
    assert "pass the model directory's path from this folder, or an absolute path" in text


def _model_dir(path: Path) -> Path:
    path.mkdir(parents=True)
    (path / "annotate_model.json").write_text("{}", encoding="utf-8")
    return path


@pytest.mark.parametrize("typed", ["models/defualt", "./models/defualt", "models/defualt/"])
def test_a_typo_in_a_model_path_names_the_model_directory_meant(
    typed: str, tmp_path: Path, monkeypatch
):
    """`--model models/defualt` beside models/default proposed `hf download
    models/defualt` (offline) or "check the path" (./models/...), never the folder meant."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache
    monkeypatch.chdir(tmp_path)
    _model_dir(tmp_path / "models" / "default")
    (tmp_path / "models" / "defaults-notes").mkdir()  # close by name, but no model
    with pytest.raises(ModelError) as err:
        load_classifier(typed, load_taxonomy())
    meant = typed.rstrip("/").replace("defualt", "default")
    assert (err.value.fix or "").startswith(
        f"did you mean {meant!r} (a model directory)? Otherwise "
    )


def test_a_model_path_with_no_close_model_directory_suggests_none(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.chdir(tmp_path)
    _model_dir(tmp_path / "models" / "default")
    with pytest.raises(ModelError) as err:
        load_classifier("./models/batch-2026-12", load_taxonomy())
    assert "did you mean" not in (err.value.fix or "")


@pytest.mark.parametrize("name", ["models/default", "default"])
def test_the_default_model_by_name_from_a_folder_without_one(tmp_path: Path, monkeypatch, name):
    """`annotate evaluate --help` says `--model` defaults to models/default, and every
    model version reads `default@…`; a user comparing the retrained model with the shipped
    one typed `--model models/default` (or `default`) in their project folder, which has
    no models/ folder: the error called it a hub id and proposed `hf download
    models/default`. Where no such folder exists, the name means the shipped model."""
    from annotate.classifier import DEFAULT_MODEL_DIR
    from annotate.classifier.loader import model_kind

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache
    monkeypatch.chdir(tmp_path)
    clf = load_classifier(name, load_taxonomy())
    assert clf.kind == model_kind(DEFAULT_MODEL_DIR)
    assert clf.version == load_classifier(None, load_taxonomy()).version
    assert clf.version.startswith("default@")


def test_a_local_models_default_folder_wins_over_the_shipped_model(tmp_path: Path, monkeypatch):
    """The name means the shipped model only where the folder does not exist: a project's
    own models/default (e.g. a copy being edited) is what it names there."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models" / "default").mkdir(parents=True)
    with pytest.raises(ModelError, match="is not a model directory"):
        load_classifier("models/default", load_taxonomy())


@pytest.mark.parametrize("typed", ["runs/nomodel", "./runs/nomodel"])
def test_a_missing_model_under_a_local_folder_lists_its_models_and_no_hub_download(
    typed: str, tmp_path: Path, monkeypatch
):
    """`--model runs/nomodel` beside a runs/ folder (no close name in it) proposed `hf
    download runs/nomodel --local-dir models/nomodel`: runs/ exists, so it is a local
    path, not a hub id. The error says the folder does not exist and lists the model
    directories in runs/."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.chdir(tmp_path)
    _model_dir(tmp_path / "runs" / "batch-2026-11")
    _model_dir(tmp_path / "runs" / "batch-2026-12")
    (tmp_path / "runs" / "logs").mkdir()  # no model
    with pytest.raises(ModelError) as err:
        load_classifier(typed, load_taxonomy())
    assert str(err.value).startswith(f"model directory {typed!r} does not exist")
    folder = typed.rsplit("/", 1)[0]
    assert err.value.fix == (
        f"pass one of the model directories in {folder}/: {folder}/batch-2026-11, "
        f"{folder}/batch-2026-12."
    )
    assert "hf download" not in f"{err.value} {err.value.fix}"


def test_a_missing_model_in_a_local_folder_without_models_says_so(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runs").mkdir()
    with pytest.raises(ModelError) as err:
        load_classifier("runs/nomodel", load_taxonomy())
    assert (err.value.fix or "").startswith("runs/ holds no model directory")
    assert "hf download" not in f"{err.value} {err.value.fix}"


@pytest.mark.parametrize("typed", ["models/defualt", "./models/defualt"])
def test_a_typo_of_the_shipped_models_name_suggests_it_where_no_folder_has_it(
    typed: str, tmp_path: Path, monkeypatch
):
    """A project folder with its own models/b12 and no models/default: `--model
    models/defualt` (meaning the model it replaces, as the README's evaluate line shows)
    proposed only `models/b12`, the retrained model, never the shipped default the name
    `models/default` stands for there."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.chdir(tmp_path)
    _model_dir(tmp_path / "models" / "b12")
    with pytest.raises(ModelError) as err:
        load_classifier(typed, load_taxonomy())
    fix = err.value.fix or ""
    assert fix.startswith("did you mean 'models/default' (the default model shipped with "), fix
    assert "models/b12" in fix  # the folder's own models are still listed


@pytest.mark.parametrize("typed", ["mpnet", "models/mpnet", "models/mpnet/"])
def test_the_shipped_mpnet_model_is_found_by_name_from_another_folder(
    typed: str, tmp_path: Path, monkeypatch
):
    """`--model models/mpnet` typed in a data folder was read as a hub id (offline: "hub
    unreachable", fix `hf download models/mpnet`); like `default`, the opt-in model shipped
    beside it in the checkout is found by its name where no such folder exists here."""
    from annotate.classifier.loader import DEFAULT_MODEL_DIR, hub_id, named_model_dir

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.chdir(tmp_path)
    assert named_model_dir(typed) == DEFAULT_MODEL_DIR.parent / "mpnet"
    assert hub_id(typed) is None
    try:
        load_classifier(typed, load_taxonomy())
    except ModelError as err:  # the encoder is opt-in (`make mpnet`), not a hub download
        text = f"{err} {err.fix}"
        assert "make mpnet" in text and "hf download" not in text, text


def test_a_local_folder_named_like_a_shipped_model_wins(tmp_path: Path, monkeypatch):
    from annotate.classifier.loader import named_model_dir

    monkeypatch.chdir(tmp_path)
    own = _model_dir(tmp_path / "models" / "mpnet")
    assert named_model_dir("models/mpnet") == Path("models/mpnet")
    assert (Path.cwd() / named_model_dir("models/mpnet")).resolve() == own.resolve()


@pytest.mark.parametrize(
    ("typed", "meant"), [("defualt", "default"), ("models/defualt", "models/default")]
)
def test_a_typo_of_the_shipped_models_name_in_a_folder_without_models(
    typed: str, meant: str, tmp_path: Path, monkeypatch
):
    """New-user pass 62: `prelabel --model defualt` (or `models/defualt`) in a work folder
    with no models/ folder is read as a hub id; offline, the error proposed `hf download
    defualt` and "e.g. models/default", a path that does not exist there, never the name
    meant. It now starts with the shipped model's name, and no hub download."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ModelError) as err:
        load_classifier(typed, load_taxonomy())
    fix = err.value.fix or ""
    assert fix.startswith(f"did you mean {meant!r} (the default model shipped with "), fix
    assert "hf download" not in fix
    assert "e.g. models/default" not in fix
