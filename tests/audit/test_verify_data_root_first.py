"""`annotate verify MODEL --data-root DIR` after `export --overwrite` (same rows, a new
manifest), the export renamed (`mv corpus corpus-old`) and a new one written as corpus/
with a changed answer (stop 46 new-user #4): DIR itself was passed over (its exported_at
is not the model's), the new corpus/ was hashed instead, and verify said "training data
changed since training", never naming corpus-old. With corpus/ absent it said "0 of 4
training data files match, 4 not found" and exited 0. Now --data-root is looked in first,
the folder compared and those passed over are named, and a --data-root under which none of
the training data is found fails."""

from __future__ import annotations

import shutil

import pytest

from tests.audit.test_verify_model_reexported import _export, _run

pytestmark = pytest.mark.slow  # trains a real (small) model

T1, T2, T3 = (f"2026-12-0{d}T10:00:00+00:00" for d in (1, 2, 3))


def test_data_root_is_compared_first_and_named(tmp_path, taxonomy, monkeypatch, capsys):
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    corpus = tmp_path / "corpus"
    _export(corpus, taxonomy, T1)
    model = tmp_path / "models" / "m1"
    code, err = _run(["train", "--data", str(corpus), "--out", str(model), "--quiet"], capsys)
    assert code == 0, err
    _export(corpus, taxonomy, T2)  # export --overwrite of the same review state
    old = tmp_path / "corpus-old"
    corpus.rename(old)
    _export(corpus, taxonomy, T3, reviewed_again=True)  # one answer changed since

    code, err = _run(["verify", str(model), "--data-root", str(old)], capsys)
    said = " ".join(err.split())
    assert code == 0, err
    assert "training data changed" not in said and f"{corpus}/" not in said, said
    assert f"note: export {corpus}: compared {old} (exported_at {T2}; the model was " in said
    assert f"trained on the export of {T1})" in said
    assert "1 manifest(s) written again by a later export of the same rows" in said
    code, err = _run(["verify", str(model), "--data-root", str(old), "--strict"], capsys)
    assert code == 1 and "written again since" in err, err

    shutil.rmtree(corpus)  # corpus-old alone
    code, err = _run(["verify", str(model), "--data-root", str(old)], capsys)
    assert code == 0 and f"compared {old} (exported_at {T2}" in " ".join(err.split()), err

    # a folder holding none of it: a failure, saying where it looked
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    code, err = _run(["verify", str(model), "--data-root", str(empty)], capsys)
    said = " ".join(err.split())
    assert code == 1, err
    assert f"none of the 4 training data files of {model} is under --data-root {empty}" in said
    assert f"passed over {empty}: it holds no manifest.json (not an export)" in said, said

    # another project's export under --data-root is passed over, with why
    _export(corpus, taxonomy, T1)
    stranger = tmp_path / "stranger"
    _export(stranger, taxonomy, T1)
    manifest = stranger / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"title": "p"', '"title": "q"'))
    code, err = _run(["verify", str(model), "--data-root", str(stranger)], capsys)
    said = " ".join(err.split())
    assert f"passed over {stranger}: it holds an export of project 'q'; the model was " in said
    assert f"note: export {corpus}: compared {corpus} (exported_at {T1}, the export the" in said
    assert code == 0, err
