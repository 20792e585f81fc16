"""`annotate verify` checks ``report/`` too (passM55 finding 5): the report (the part a
regulator reads) was covered by no checksum, so an edited report.md verified, exit 0.
The manifest cannot list the report (the report records the manifest's SHA-256), so
verify writes the report again from the verified files and compares every file of it
byte for byte; files of the user's in ``report/`` (a sign-off) are named as covered by
no checksum. A report regenerated in place (`annotate report --manifest-sha256`, as the
README's audit package does) still verifies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotate.cli import main
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("verify_report") / "handout"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    return out


def _verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main(["verify", *args])
    return int(done.value.code or 0), " ".join(capsys.readouterr().err.split())


def test_an_edited_report_fails_verify_naming_it(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, said = _verify(capsys, str(corpus))
    assert code == 0 and "the report of the verified files" in said, said
    tamper = tmp_path / "tamper"  # another folder name: the report names the one exported
    shutil.copytree(corpus, tamper)
    md = tamper / "report" / "report.md"
    text = md.read_text(encoding="utf-8")
    assert "reviewed passages from" in text
    md.write_text(text.replace("reviewed passages from", "reviewed passages from 1 +"))
    code, said = _verify(capsys, str(tamper))
    assert code == 1 and "Traceback" not in said, said
    assert "report: report.md is not the report of the verified files" in said, said
    assert "annotate report" in said and "--out DIR" in said
    # the data itself still verified, and said so before the error
    assert said.index("verified ") < said.index("error:")
    # a figure too
    shutil.copy(corpus / "report" / "report.md", md)
    png = tamper / "report" / "figures" / "categories.png"
    png.write_bytes(png.read_bytes() + b"\0")
    code, said = _verify(capsys, str(tamper))
    assert code == 1 and "report: figures/categories.png is not the report" in said, said


def test_a_sign_off_is_named_as_covered_by_no_checksum(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    signed = tmp_path / "signed"
    shutil.copytree(corpus, signed)
    (signed / "report" / "sign-off.md").write_text("Approved, J. Doe\n", encoding="utf-8")
    code, said = _verify(capsys, str(signed))
    assert code == 0, said
    assert "1 file in" in said and "no checksum covers" in said and "sign-off.md" in said, said


def test_a_report_regenerated_in_place_with_the_manifest_sha_verifies(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import hashlib

    again = tmp_path / "again"
    shutil.copytree(corpus, again)
    digest = hashlib.sha256((again / "manifest.json").read_bytes()).hexdigest()
    with pytest.raises(SystemExit) as done:
        main(["report", str(again), "--manifest-sha256", digest])
    assert done.value.code in (0, None)
    capsys.readouterr()
    assert "is the one recorded at export" in (again / "report" / "report.md").read_text()
    code, said = _verify(capsys, str(again), "--manifest-sha256", digest)
    assert code == 0 and "the report of the verified files" in said, said
