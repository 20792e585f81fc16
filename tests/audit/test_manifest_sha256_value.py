"""`annotate verify --manifest-sha256` given a shortened digest (the 12 digits verify's own
messages show) or one written `sha256:HEX` said "the manifest was replaced" and exited 1:
an intact corpus reported as tampered with. A value that is no SHA-256 is a usage error."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.audit.verify import sha256_file
from annotate.cli import main
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sha-value") / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    return out


def _verify(corpus: Path, digest: str) -> int:
    """The exit code of ``annotate verify CORPUS --manifest-sha256 DIGEST``."""
    with pytest.raises(SystemExit) as done:
        main(["verify", str(corpus), "--manifest-sha256", digest])
    return int(done.value.code or 0)


@pytest.mark.parametrize("cut", [12, 63])
def test_a_shortened_digest_is_a_usage_error_not_a_tampered_corpus(
    corpus: Path, cut: int, capsys: pytest.CaptureFixture[str]
) -> None:
    digest = sha256_file(corpus / "manifest.json")
    code = _verify(corpus, digest[:cut])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2, err
    assert "is not a SHA-256" in err and "replaced" not in err and "--manifest-sha256" in err


def test_a_prefixed_upper_case_digest_is_the_same_digest(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    digest = sha256_file(corpus / "manifest.json")
    code = _verify(corpus, f" sha256:{digest.upper()} ")
    err = capsys.readouterr().err
    assert code == 0 and "is the one recorded" in err, err


def test_another_full_digest_still_fails_as_a_replaced_manifest(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _verify(corpus, "0" * 64)
    err = capsys.readouterr().err
    assert code == 1 and "the manifest was replaced" in err, err


def test_another_exports_digest_is_not_called_a_replaced_manifest(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An intact corpus given another export's SHA-256 (an auditor pasting the wrong
    one) was told "the manifest was replaced ... the corpus changed after export:
    restore it or export again" (stop 48 new-user F4): the folder cannot tell a
    replaced manifest from a wrong SHA-256, so both are said, and the fix is to compare
    the SHA-256 given with the one export printed first."""
    other = tmp_path / "other"
    export("p", other, client=FakeStudio(reviewed_tasks()), salt="t")  # type: ignore[arg-type]
    code = _verify(corpus, sha256_file(other / "manifest.json"))
    err = " ".join(capsys.readouterr().err.split())
    assert code == 1, err
    assert "does not match the SHA-256 given" in err, err
    assert "or the SHA-256 given is another export's" in err
    assert "Fix: compare the SHA-256 given with the one `annotate export` printed" in err
    assert "the corpus changed after export" not in err

    with pytest.raises(SystemExit) as done:  # the report's gate says the same
        main(["report", str(corpus), "--out", str(tmp_path / "r"), "-q",
              "--manifest-sha256", sha256_file(other / "manifest.json")])  # fmt: skip
    err = " ".join(capsys.readouterr().err.split())
    assert done.value.code == 1
    assert "Fix: compare the SHA-256 given" in err, err
    assert "another export's" in (tmp_path / "r" / "report.md").read_text()


def test_a_changed_corpus_given_a_wrong_digest_still_says_it_changed(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Files that do not match the manifest are the corpus changing, whatever the
    SHA-256 given: the fix stays restore or export again."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    jsonl = next((copy / "jsonl").glob("*.jsonl"))
    jsonl.write_text(jsonl.read_text() + "\n")
    code = _verify(copy, "0" * 64)
    err = " ".join(capsys.readouterr().err.split())
    assert code == 1 and "Fix: the corpus changed after export" in err, err
    # one file changed, the SHA-256 given right: the file is the mismatch, not the SHA-256
    code = _verify(copy, sha256_file(corpus / "manifest.json"))
    err = " ".join(capsys.readouterr().err.split())
    assert code == 1 and "Fix: the corpus changed after export" in err, err


def test_a_shortened_digest_names_the_fix_itself(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """newuser59: the fix was click's generic `give --manifest-sha256 a value it takes
    (annotate verify --help lists them)`; the help lists nothing a user could take: the fix
    is the whole digest export printed, which `annotate verify CORPUS` also prints."""
    digest = sha256_file(corpus / "manifest.json")
    code = _verify(corpus, digest[:8])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2, err
    assert "--help` lists them" not in err, err
    assert "Fix: pass all 64 digits" in err and "manifest.json SHA-256" in err, err
