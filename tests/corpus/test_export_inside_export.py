"""`annotate export --out corpus/sub` wrote a second export inside a first one: `annotate
verify corpus` then failed ("sub/agreement.json: present but not listed in the
manifest ... the corpus changed after export") and the next export into corpus refused
its 28 foreign files. train, evaluate and report already refused such an --out."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.audit.verify import check
from annotate.corpus.export import export
from annotate.errors import ExportError
from tests.audit.fakes import FakeStudio, reviewed_tasks


def test_an_export_inside_another_export_is_refused_and_the_first_stays_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    monkeypatch.chdir(tmp_path)
    for inside in (Path("corpus/sub"), Path("corpus/parquet/again")):
        with pytest.raises(ExportError) as err:
            export("p", inside, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
        assert "is inside the export corpus" in str(err.value), err.value
        assert f"--out {inside.name}" in err.value.fix, err.value.fix
        assert not inside.exists()
    assert not check(out).mismatches
    # a folder whose manifest.json is no export's (a web app's) does not stop one
    app = tmp_path / "webapp"
    app.mkdir()
    (app / "manifest.json").write_text('{"name": "my app"}')
    export("p", app / "corpus", client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
