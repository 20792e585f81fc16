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
