"""`annotate report` is the compliance gate (it exits non-zero on a corpus that does not
match its manifest), but it could not check the manifest against the SHA-256 recorded at
export: a manifest rewritten with its checksums and its own digest passed the gate. It
takes `--manifest-sha256` as `annotate verify` does, and the report says which it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotate.audit.verify import sha256_file, with_digest
from annotate.cli import main
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report-sha") / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    return out


def _report(corpus: Path, out: Path, *extra: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main(["report", str(corpus), "--out", str(out), "-q", *extra])
    return int(done.value.code or 0), (out / "report.md").read_text()


def test_a_rewritten_manifest_fails_the_report_against_the_recorded_digest(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recorded = sha256_file(corpus / "manifest.json")
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["review"] = {**(manifest.get("review") or {}), "flagged_reviewers": []}
    manifest["versions"]["annotate"] = "9.9.9"  # a claim rewritten, digest and all
    (copy / "manifest.json").write_text(json.dumps(with_digest(manifest)))

    code, md = _report(copy, tmp_path / "plain")
    assert code == 0  # its own checks cannot see it
    assert "not checked against the one recorded at export" in md

    code, md = _report(copy, tmp_path / "gate", "--manifest-sha256", recorded)
    err = capsys.readouterr().err
    assert code == 1 and "the manifest was replaced" in err
    assert "does NOT match the one given as recorded at export" in md and recorded in md
    numbers = json.loads((tmp_path / "gate" / "report.json").read_text())
    assert numbers["checksums"]["verified"] is False
    assert numbers["checksums"]["manifest_sha256_recorded"] == recorded


def test_the_recorded_digest_of_an_intact_corpus_passes(corpus: Path, tmp_path: Path) -> None:
    recorded = sha256_file(corpus / "manifest.json")
    code, md = _report(corpus, tmp_path / "ok", "--manifest-sha256", recorded.upper())
    assert code == 0
    assert f"manifest.json SHA-256 `{recorded}` is the one recorded at export." in md
