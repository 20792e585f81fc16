"""The path rules of annotate/settings.py: checkout copy vs packaged copy, env overrides."""

from pathlib import Path

import pytest

from annotate import settings
from tests.conftest import ROOT


def test_a_checkout_reads_its_own_resources():
    assert settings.in_checkout()
    assert settings.default_model_dir() == ROOT / "models" / "default"
    assert settings.resource("labels.yaml") == ROOT / "labels.yaml"


def test_an_installed_package_reads_the_copies_inside_it(monkeypatch, tmp_path):
    # what an installed wheel looks like: site-packages has no pyproject.toml
    monkeypatch.setattr(settings, "PROJECT_ROOT", tmp_path)
    assert not settings.in_checkout()
    assert settings.default_model_dir() == settings.PACKAGED_RESOURCES / "models" / "default"
    monkeypatch.delenv(settings.LABELS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert settings.default_labels_path() == settings.PACKAGED_RESOURCES / "labels.yaml"
    monkeypatch.delenv(settings.CACHE_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert settings.cache_dir() == tmp_path / "xdg" / "annotate"


def test_an_installed_packages_caches_ignore_a_relative_xdg_cache_home(monkeypatch, tmp_path):
    """The XDG rule, as for Label Studio's install (settings.user_cache_dir): a relative
    $XDG_CACHE_HOME is ignored, so the embedding cache, compiled encoders and unpacked
    models do not land in a folder of that name under whichever folder a command runs
    from, while Label Studio's install stays in ~/.cache."""
    monkeypatch.setattr(settings, "PROJECT_ROOT", tmp_path)
    monkeypatch.delenv(settings.CACHE_DIR_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    home_cache = tmp_path / "user" / ".cache" / "annotate"
    assert settings.user_cache_dir() == home_cache
    assert settings.cache_dir() == home_cache
    assert settings.encoders_dir() == home_cache / "models"


def test_labels_lookup_order(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(settings.LABELS_ENV, raising=False)
    assert settings.default_labels_path() == ROOT / "labels.yaml"
    (tmp_path / "labels.yaml").write_text("name: x\n")
    assert settings.default_labels_path() == tmp_path / "labels.yaml"
    monkeypatch.setenv(settings.LABELS_ENV, "/elsewhere/labels.yaml")
    assert settings.default_labels_path() == Path("/elsewhere/labels.yaml")


@pytest.mark.parametrize(("env", "expected"), [("/c", Path("/c")), (None, None)])
def test_cache_dir_env_wins(monkeypatch, env, expected):
    if env is None:
        monkeypatch.delenv(settings.CACHE_DIR_ENV, raising=False)
        expected = ROOT / ".annotate" / "cache"
    else:
        monkeypatch.setenv(settings.CACHE_DIR_ENV, env)
    assert settings.cache_dir() == expected


def test_home_is_absolute_and_follows_the_env(monkeypatch, tmp_path):
    monkeypatch.setenv(settings.HOME_ENV, str(tmp_path / "h"))
    assert settings.annotate_home() == (tmp_path / "h").resolve()
    monkeypatch.delenv(settings.HOME_ENV)
    monkeypatch.chdir(tmp_path)
    assert settings.annotate_home() == (tmp_path / ".annotate").resolve()


@pytest.mark.parametrize(
    ("layout", "run_from", "expected"),
    [
        ([".annotate/", "notebooks/"], "notebooks", ".annotate"),  # Jupyter runs in notebooks/
        ([".annotate/", "a/b/c/"], "a/b/c", ".annotate"),
        (["labels.yaml", "notebooks/"], "notebooks", ".annotate"),  # no home yet: project root
        (["pyproject.toml", "src/pkg/"], "src/pkg", ".annotate"),
        (["labels.yaml", "sub/.annotate/", "sub/x/"], "sub/x", "sub/.annotate"),  # the nearest
        (["plain/"], "plain", "plain/.annotate"),  # nothing found: the current folder
    ],
)
def test_home_is_found_from_any_sub_folder(monkeypatch, tmp_path, layout, run_from, expected):
    """Issue 12, item 9: the home does not depend on which folder a command runs from."""
    monkeypatch.delenv(settings.HOME_ENV, raising=False)
    root = tmp_path / "project"
    for item in layout:
        target = root / item
        if item.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("")
    monkeypatch.chdir(root / run_from)
    assert settings.annotate_home() == (root / expected).resolve()
