"""Reading text the way users save it: byte-order marks, legacy encodings, control
characters.

- A UTF-8 byte-order mark (spreadsheets' "CSV UTF-8", Notepad) is dropped by every
  reader; left in, it hides the first column's name (``\\ufeffid`` is not ``id``).
- Text that is not UTF-8 is an error naming the byte's position in the *file* and the
  encoding ``charset-normalizer`` finds most likely (e.g. cp1252, whose quotes, dashes and
  euro sign Latin-1 would turn into C1 control characters), unless a fallback encoding
  is given (``ingest --encoding``, :func:`check_fallback_encoding`): a file that is not
  UTF-8 is then read as that encoding, strictly (:func:`decode_bytes`,
  :func:`fallback_problem`); a UTF-8 file is still read as UTF-8.
- Control characters a database or Label Studio refuses (NUL, the rest of C0 but tab,
  newline and carriage return, DEL, and lone surrogates) are counted and removed (a form
  feed or vertical tab, which separates words, is made a line break instead); C1
  controls (U+0080-U+009F) are an error: they almost always mean text decoded with the
  wrong encoding.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from annotate.errors import InputError

BOM = "\ufeff"
_SURROGATES = r"\ud800-\udfff"  # lone UTF-16 surrogates (JSON can escape one): not text
SURROGATE = re.compile(f"[{_SURROGATES}]")
_REMOVED = re.compile(rf"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f{_SURROGATES}]")
# of those, the ones that separate words: a form feed (pdftotext's page break) and a
# vertical tab (Word's manual line break in text it exports); removed outright they
# joined the words on either side ("page.\fNext" -> "page.Next")
_LINE_BREAKS = re.compile(r"[\x0b\x0c]")
_C1 = re.compile(r"[\x80-\x9f]")
_BAD = re.compile(f"{_REMOVED.pattern}|{_C1.pattern}")


@dataclass(frozen=True)
class BadByte:
    offset: int  # bytes from the start of the file, from 0
    line: int  # 1-based
    reason: str
    column: int = 1  # 1-based, in characters, as an editor counts (a leading BOM not counted)

    def said(self) -> str:
        """``byte offset 3 (line 1, column 4)``: where an editor shows it, the offset kept."""
        return f"byte offset {self.offset} (line {self.line}, column {self.column})"


def utf16_unmarked(head: bytes) -> int | None:
    """The offset of the first NUL byte when ``head`` (a file's first bytes) reads as
    UTF-16 without a byte-order mark: a NUL in every second byte, as ASCII text has in
    UTF-16 (valid UTF-8 byte for byte, so no decoding fails on it); None otherwise (a
    UTF-8 file with a stray NUL included, and UTF-16 with its mark, which is no UTF-8)."""
    head = head[: min(len(head), _UTF16_SAMPLE) // 2 * 2]
    if len(head) < 8 or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    first, second = head[0::2], head[1::2]
    for nuls, chars in ((second, first), (first, second)):  # little-, big-endian
        if nuls.count(0) >= 0.9 * len(nuls) and chars.count(0) <= 0.1 * len(chars):
            return head.index(0)
    return None


_UTF16_SAMPLE = 1024  # bytes


def first_bad_utf8(path: Path, chunk: int = 1 << 20) -> BadByte | None:
    """Where ``path`` first stops being UTF-8 (file offset and line), or None. A file that
    reads as UTF-16 without a byte-order mark (:func:`utf16_unmarked`) stops at its first
    NUL byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0  # bytes read before this chunk
    with path.open("rb") as fh:
        while True:
            data = fh.read(chunk)
            if offset == 0 and (nul := utf16_unmarked(data)) is not None:
                line, column = _place_of(path, nul)
                return BadByte(nul, line, "a NUL byte in every second byte: UTF-16?", column)
            pending = decoder.getstate()[0]  # the start of a character split across chunks
            try:
                decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:  # exc.object is pending + data
                bad = offset - len(pending) + exc.start
                line, column = _place_of(path, bad)
                return BadByte(bad, line, exc.reason, column)
            if not data:
                return None
            offset += len(data)


_CONTINUATION = bytes(range(0x80, 0xC0))  # UTF-8 bytes that start no character


def _place_of(path: Path, offset: int, chunk: int = 1 << 20) -> tuple[int, int]:
    """(line, column) of the byte at ``offset``, both from 1, the column in characters
    (the bytes before it are valid UTF-8); a BOM at the start of the file is no column."""
    line, chars = 1, 0  # chars: characters of its line before the byte
    with path.open("rb") as fh:
        if fh.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8 or offset < len(codecs.BOM_UTF8):
            fh.seek(0)
        read = fh.tell()
        while read < offset:
            data = fh.read(min(chunk, offset - read))
            if not data:
                break
            read = fh.tell()
            cut = data.rfind(b"\n")
            if cut >= 0:
                line += data.count(b"\n")
                data, chars = data[cut + 1 :], 0
            chars += len(data.translate(None, _CONTINUATION))
    return line, chars + 1


def _sample(path: Path, size: int = 4 << 20) -> bytes:
    with path.open("rb") as fh:
        return fh.read(size)


def _guess(raw: bytes) -> tuple[str | None, str | None]:
    """(the likeliest encoding of ``raw``, why ``raw`` does not look like text at all):
    at most one of them is not None (both None: an empty sample)."""
    from charset_normalizer import from_bytes

    if not raw:
        return None, None
    matches = list(from_bytes(raw))
    if not matches:
        return None, "no known encoding reads it cleanly"
    best = matches[0]
    share = _control_share(raw)
    wide = str(best.encoding).startswith(("utf_16", "utf_32"))  # ASCII there holds NULs
    if not wide and share > _MOST_CONTROLS:
        controls = round(share * len(raw))  # the count back (exact below 2**52 bytes)
        return None, f"{controls} of its first {len(raw)} bytes are NUL or other control bytes"
    # Windows-1252 when it reads the sample about as cleanly as the best guess (within
    # 0.05 of its "chaos"): on short or mostly-ASCII samples the detector's first pick is
    # often a rare DOS code page that fits as well, while cp1252 is what spreadsheets
    # and Windows editors write
    for match in matches:
        if "cp1252" in match.could_be_from_charset and match.chaos <= best.chaos + 0.05:
            return "cp1252", None
    guess = str(best.encoding)
    if guess.startswith(_DOS_AND_MAC) and _reads_as_cp1252(raw):
        return "cp1252", None  # a DOS/Mac code page fits by chance; Windows software wrote it
    if (
        guess.startswith(_EAST_ASIAN)
        and _reads_as_cp1252(raw)
        and (not _east_asian_text(raw, guess) or _latin_accents(raw))
    ):
        # a lone 0xA1-0xDF byte (a pound sign or an accented letter in cp1252) is one
        # half-width katakana in cp932/Shift JIS, which the detector then ranks first
        # ("a \xa315.8m signing"); an accented letter before an ASCII one is one
        # ideograph in Big5 ("J\xe9r\xf4me: \xc7a va ?", a Latin-1 subtitle file, read
        # as big5); converting from either would garble the file
        return "cp1252", None
    return guess, None


# bytes text never holds but in a wide (UTF-16/32) encoding: C0 but tab, newline, form
# feed and carriage return, and DEL; above this share of them a file is binary
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_MOST_CONTROLS = 0.1
_DOS_AND_MAC = ("cp437", "cp7", "cp8", "mac_")
_EAST_ASIAN = (
    "cp932",
    "shift_jis",
    "euc_",
    "gb",
    "big5",
    "cp949",
    "cp950",
    "johab",
    "hz",
    "iso2022",
)


def _east_asian_text(raw: bytes, codec: str) -> bool:
    """Whether ``raw`` read as ``codec`` holds kana, CJK ideographs or Hangul: what text
    really written in that encoding holds (half-width katakana alone is not evidence)."""
    text = raw.decode(codec, errors="ignore")
    return any(
        "\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af"
        for c in text
    )


_HIGH_RUN = re.compile(r"[^\x00-\x7f]+")  # a run of non-ASCII characters


def _latin_accents(raw: bytes) -> bool:
    """Whether ``raw`` (which :func:`_reads_as_cp1252`) reads as a Western European
    language's accented letters in ASCII text: each run of its non-ASCII bytes is one or
    two letters, and at least 3 in 4 of the runs touch an ASCII letter (``J\xe9r\xf4me``,
    ``Gr\xfc\xdfe``; ``\xe0 la`` stands alone). Text in a double-byte East Asian
    encoding has its bytes in pairs and its characters side by side (``\xc4\xe3\xba\xc3``,
    GBK's two ideographs, read as cp1252), so that runs are longer or stand apart from
    ASCII words."""
    text = raw.decode("cp1252")
    runs = [m.span() for m in _HIGH_RUN.finditer(text)]
    if not runs or any(b - a > 2 for a, b in runs):
        return False
    touching = sum(
        _ascii_letter(text[a - 1 : a]) or _ascii_letter(text[b : b + 1]) for a, b in runs
    )
    return touching * 4 >= len(runs) * 3


def _ascii_letter(c: str) -> bool:
    return c.isascii() and c.isalpha()


def _reads_as_cp1252(raw: bytes) -> bool:
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:  # a byte cp1252 leaves undefined
        return False
    odd = [
        c
        for c in text
        if ord(c) > 127
        and not (
            c.isalpha() or c in "\u201c\u201d\u2018\u2019\u2013\u2014\u20ac\u2026\u00a0\u00b0\u00a3"
        )
    ]
    return not odd


# Python codec names that iconv (glibc, libiconv) spells differently
_ICONV_NAMES = {
    "latin_1": "ISO-8859-1",
    "mac_roman": "MACINTOSH",
    "utf_16_le": "UTF-16LE",
    "utf_16_be": "UTF-16BE",
    "utf_32_le": "UTF-32LE",
    "utf_32_be": "UTF-32BE",
}


def iconv_name(codec: str) -> str:
    """The name iconv knows for a Python codec name (``iso8859_10`` -> ``ISO-8859-10``,
    ``cp1252`` -> ``CP1252``, ``utf_16`` -> ``UTF-16``): iconv rejects the
    underscore spellings charset-normalizer reports."""
    try:
        name = codecs.lookup(codec).name.replace("-", "_")
    except LookupError:
        name = codec.lower()
    if name in _ICONV_NAMES:
        return _ICONV_NAMES[name]
    if name.startswith("iso8859_"):
        return "ISO-8859-" + name.removeprefix("iso8859_")
    return name.replace("_", "-").upper()


def decode_error(path: Path, *, ingest: bool = False) -> InputError:
    """The one-line error for a file that is not UTF-8, with a suggested encoding (or,
    when its bytes do not look like text in any encoding, saying so). ``ingest``: the
    command is ``annotate ingest``, whose ``--encoding`` the fix names first (other
    commands reading a table have no such option)."""
    return decode_problem(path, ingest=ingest)[1]


def check_fallback_encoding(name: str | None) -> str | None:
    """``ingest --encoding NAME``: the codec's Python name (``CP1252`` -> ``cp1252``,
    ``latin-1`` -> ``iso8859-1``), or None when not given. Raises InputError for a name
    Python knows no text codec by, and for one that does not read ASCII as ASCII (UTF-16,
    UTF-32, UTF-7, EBCDIC): a fallback is tried only where UTF-8 fails, and a table's
    lines, commas and quotes are found as ASCII bytes."""
    if name is None:
        return None
    examples = "e.g. --encoding cp1252 (Windows-1252) or --encoding latin-1"
    try:
        info = codecs.lookup(name)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise InputError(
            f"--encoding {name!r}: no such text encoding; expected a codec name Python "
            f"knows ({examples}).",
            fix=f"pass the encoding the files that are not UTF-8 were saved in, {examples}.",
        )
    if not ascii_compatible(info.name):
        raise InputError(
            f"--encoding {name!r}: {info.name} does not read ASCII bytes as ASCII; expected "
            f"an encoding that does ({examples}, shift_jis, gb18030): UTF-16, UTF-32, UTF-7 "
            "and EBCDIC are not supported as a fallback.",
            fix=f"convert such files to UTF-8 first, e.g. `iconv -f {iconv_name(info.name)} "
            "-t utf-8 FILE > FILE.utf8`, then ingest them without --encoding.",
        )
    return info.name


def ascii_compatible(codec: str) -> bool:
    """Whether ``codec`` reads each ASCII byte as that ASCII character (cp1252, Shift JIS:
    yes; UTF-16, EBCDIC: no)."""
    try:
        return all(bytes([b]).decode(codec) == chr(b) for b in range(128))
    except (UnicodeDecodeError, LookupError):
        return False


UTF8 = "utf-8-sig"  # the codec of a UTF-8 file: a leading BOM dropped

# UTF-32 before UTF-16: UTF-32LE's mark (FF FE 00 00) starts with UTF-16LE's (FF FE)
_MARKED = (
    ((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "utf-32"),
    ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-16"),
)


def marked_codec(path: Path) -> str | None:
    """``utf-32`` or ``utf-16`` when the file ``path`` starts with that encoding's
    byte-order mark and the codec (which reads the mark to choose the byte order, and
    drops it) decodes the whole file, strictly; else None. A file so marked is no guess:
    Notepad's "Unicode" and Excel's "Unicode Text" save UTF-16 with its mark (passG52 G6)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
    except OSError:
        return None
    for marks, codec in _MARKED:
        if head.startswith(marks):
            # a code unit cut at the sample's end is held back, not read as U+FFFD
            sample = codecs.getincrementaldecoder(codec)(errors="replace").decode(head)
            if _looks_like_text(sample) and first_undecodable(path, codec) is None:
                return codec
    return None


def _looks_like_text(text: str) -> bool:
    """Whether ``text`` (a file's start, decoded by its UTF-16/32 mark) reads as text: no
    control character but white space, no unassigned or private-use code point, and at
    least one character of the Basic Latin or Latin-1 blocks or of CJK punctuation (a
    space, a line end, a digit, ``。``). Bytes that only start as the mark does (a
    legacy or binary file opening with 0xFF 0xFE) decode to CJK ideographs alone or to
    unassigned code points, and stay a bad file."""
    body = text.removeprefix(BOM)
    common = False
    for ch in body:
        kind = unicodedata.category(ch)
        if (kind == "Cc" and ch not in "\t\n\r\f\v") or kind in ("Cn", "Co", "Cs"):
            return False
        if ch == "\ufffd":  # a code unit the codec does not read
            return False
        common = (
            common or ord(ch) < 0x100 or 0x3000 <= ord(ch) <= 0x303F or 0xFF00 <= ord(ch) <= 0xFF65
        )
    return common


def decode_bytes(
    raw: bytes, path: Path, encoding: str | None = None, *, chosen: str | None = None
) -> tuple[str, str | None]:
    """(the text of ``raw``, the file ``path``'s bytes, and the codec it was read with
    when not UTF-8): UTF-8 first (a BOM dropped), else ``encoding`` (a
    :func:`check_fallback_encoding` name), strictly. Raises InputError when neither
    reads it (:func:`decode_error`, :func:`fallback_problem`). ``chosen``: the file's
    codec, already chosen (:data:`UTF8`, or the fallback the input check found reads it:
    :class:`annotate.ingestion.bad_files.ReadAs`): read with it, strictly, and nothing
    chosen again (InputError, :func:`decode_error`, when it does not read ``raw``: the
    file changed since)."""
    if chosen is not None:
        try:
            return strip_bom(raw.decode(chosen), chosen), None if chosen == UTF8 else chosen
        except UnicodeDecodeError:
            raise decode_error(path, ingest=True) from None
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        if encoding is None:
            raise decode_error(path, ingest=True) from None
    problem = fallback_problem(path, encoding)
    if problem is not None:
        raise problem[1]
    return strip_bom(raw.decode(encoding), encoding), encoding


def file_codec(path: Path, encoding: str | None, chosen: str | None = None) -> str:
    """The codec to read the file ``path`` with: ``utf-8-sig`` (:data:`UTF8`, a BOM
    dropped) when it is UTF-8 or no fallback ``encoding`` is given, else ``encoding`` (a
    file it does not read is an error: :func:`fallback_problem`). Reads the whole file
    when ``encoding`` is given, unless the codec was ``chosen`` already (as
    :func:`decode_bytes` takes it): then that, the file not read."""
    if chosen is not None:
        return chosen
    if encoding is None or first_bad_utf8(path) is None:
        return UTF8
    problem = fallback_problem(path, encoding)
    if problem is not None:
        raise problem[1]
    return encoding


def first_undecodable(path: Path, codec: str, chunk: int = 1 << 20) -> tuple[int, str] | None:
    """(file offset, reason) of the first byte of ``path`` that ``codec`` does not decode
    (e.g. 0x81, which cp1252 leaves undefined), or None when it decodes the whole file."""
    decoder = codecs.getincrementaldecoder(codec)()
    offset = 0
    with path.open("rb") as fh:
        while True:
            data = fh.read(chunk)
            pending = decoder.getstate()[0]
            try:
                decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                return offset - len(pending) + exc.start, exc.reason
            if not data:
                return None
            offset += len(data)


def fallback_problem(path: Path, encoding: str) -> tuple[str, InputError] | None:
    """For a file that is not UTF-8, read with the fallback ``encoding``: None when
    ``encoding`` reads it, else (what it is, the error), as :func:`decode_problem` gives
    them: a binary file (mostly control bytes, which a one-byte codec would read as
    text) is one still, and a byte ``encoding`` leaves undefined is named with its
    offset and the codec."""
    raw = _sample(path)
    if raw and _control_share(raw) > _MOST_CONTROLS:
        return decode_problem(path, encoding)
    undecodable = first_undecodable(path, encoding)
    if undecodable is None:
        return _c1_problem(path, encoding)
    offset, reason = undecodable
    with path.open("rb") as fh:
        fh.seek(offset)
        byte = fh.read(1)
    guess, not_text = _guess(raw)
    if not_text:
        return decode_problem(path, encoding)
    guess = guess if guess != encoding else None
    bad = first_bad_utf8(path)
    if bad is not None and bad.offset == offset:  # one byte is neither
        where = (
            f"{bad.said()}, byte 0x{byte.hex()}, is not valid UTF-8 ({bad.reason}) and is "
            f"undefined in {encoding} (--encoding)"
        )
    else:
        utf8 = f"{bad.said()} is not valid UTF-8" if bad else "it is not valid UTF-8"
        where = (
            f"{utf8}, and byte offset {offset}, byte 0x{byte.hex()}, is undefined in "
            f"{encoding} (--encoding; {reason})"
        )
    said = f"; it looks like {guess}" if guess else ""
    other = guess if guess and ascii_compatible(guess) else "its real encoding"
    return guess or f"not {encoding}", InputError(
        f"{path}: {where}{said}; expected UTF-8 or {encoding} text.",
        fix=f"ingest it in a separate run with --encoding {other}, or re-encode it as UTF-8 "
        f"with iconv from its real encoding, or move it out of the input.",
    )


def _c1_problem(path: Path, encoding: str, chunk: int = 1 << 20) -> tuple[str, InputError] | None:
    """(what, the error) when ``path`` read as ``encoding`` holds a C1 control character
    (Latin-1 reads every byte, cp1252's quotes and dashes as C1 controls: the wrong
    fallback, which :func:`clean_text` would refuse half-way through the run), else None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    chars = 0
    with path.open("rb") as fh:
        while data := fh.read(chunk):
            text = decoder.decode(data)
            if (c1 := _C1.search(text)) is not None:
                guess, _ = _guess(_sample(path))
                guess = guess if guess != encoding else None
                said = f"; it looks like {guess}" if guess else ""
                fix = (
                    f"pass --encoding {guess} (e.g. cp1252's quotes and dashes are C1 "
                    "controls in latin-1)"
                    if guess and ascii_compatible(guess)
                    else "re-encode it as UTF-8 from its real encoding with iconv"
                )
                return guess or f"not {encoding}", InputError(
                    f"{path}: not valid UTF-8, and read as {encoding} (--encoding) it holds a "
                    f"C1 control character (U+{ord(c1.group()):04X} at character "
                    f"{chars + c1.start()}): the wrong encoding{said}.",
                    fix=f"{fix}, or move it out of the input.",
                )
            chars += len(text)
    return None


def _control_share(raw: bytes) -> float:
    """The share of ``raw`` (not empty) that is C0 control bytes text never holds."""
    return (len(raw) - len(raw.translate(None, _CONTROL_BYTES))) / len(raw)


def decode_problem(
    path: Path, encoding: str | None = None, *, ingest: bool = False
) -> tuple[str, InputError]:
    """(what ``path`` is, its :func:`decode_error`) for a file that is not UTF-8: what is
    ``binary`` (no text in any encoding), ``ENCODING`` (the likely one, e.g. ``cp1252``)
    or ``not UTF-8`` (no likely encoding found). ``encoding``: the fallback the run was
    given (``--encoding``), not suggested again; ``ingest``: the command has
    ``--encoding`` (``annotate ingest``), so the fix names it first."""
    bad = first_bad_utf8(path)
    where = f"{bad.said()} is not valid UTF-8 ({bad.reason})" if bad else ("it is not valid UTF-8")
    guess, not_text = _guess(_sample(path))
    if not_text:
        return "binary", InputError(
            f"{path}: {where}; it does not look like a text file in any encoding "
            f"({not_text}); expected UTF-8 text.",
            fix="ingest text files only: if this is an image, archive or other binary file "
            "with a text extension, move it out of the input (or rename it).",
        )
    source = guess or "cp1252"
    # a converted copy beside it, the original kept as received (its SHA-256 is the
    # evidence's: passG52 G6), named after it so several bad files' commands never write
    # the same output; moved out of the input folder so the original is not read twice
    tmp = path.with_name(f"{path.stem}.utf8{path.suffix}")
    said = f"; it looks like {guess}" if guess else ""
    option = (
        f"read the files that are not UTF-8 as {source} with `--encoding {source}` (UTF-8 "
        "files are still read as UTF-8; each file so read is listed in the run record), "
        "or "
        if ingest and encoding is None and ascii_compatible(source)
        else ""
    )
    return guess or "not UTF-8", InputError(
        f"{path}: {where}{said}; expected UTF-8 text.",
        fix=f"{option}ingest a UTF-8 copy, e.g. `iconv -f {iconv_name(source)} -t utf-8 "
        f"{_quoted(path)} > {_quoted(tmp)}`, and move the original out of the input (keep "
        "it unchanged: it is the file you received).",
    )


def _quoted(path: Path) -> str:
    """``path`` as one POSIX shell word in single quotes, an apostrophe in it written as
    ``'\\''`` (``don't.txt`` -> ``'don'\\''t.txt'``), so a suggested command runs as shown."""
    return "'" + str(path).replace("'", "'\\''") + "'"


def strip_bom(text: str, codec: str | None = None) -> str:
    """``text`` without a leading byte-order mark: U+FEFF, or (``codec``, the fallback
    encoding it was read with) a UTF-8 mark's three bytes as ``codec`` reads them
    (``ï»¿`` in cp1252: an editor that added a UTF-8 mark to a legacy file)."""
    if text.startswith(BOM):
        return text[1:]
    mark = _utf8_mark_as(codec) if codec else ""
    return text[len(mark) :] if mark and text.startswith(mark) else text


def _utf8_mark_as(codec: str) -> str:
    """The UTF-8 byte-order mark's bytes read as ``codec`` ("" when it does not read them)."""
    try:
        return codecs.BOM_UTF8.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return ""


def utf8_mark_note(path: Path, codec: str) -> str | None:
    """For a file read as the fallback ``codec`` (it is not UTF-8): a note when it starts
    with a UTF-8 byte-order mark anyway (the mark is dropped; its text is read as
    ``codec``), else None."""
    with path.open("rb") as fh:
        if fh.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
            return None
    bad = first_bad_utf8(path)
    where = f" ({bad.said()} is not)" if bad is not None else ""
    return (
        f"{path} starts with a UTF-8 byte-order mark but is not UTF-8{where}: read as "
        f"{codec} (--encoding), the mark dropped. A UTF-8 mark means the program that saved "
        f"it meant UTF-8: if the text is not {codec} (check its accented letters and "
        "quotes), save it again as UTF-8 in that program."
    )


def clean_text(text: str, *, where: str) -> tuple[str, int]:
    """``text`` without the control characters servers refuse, and how many were removed;
    a form feed or vertical tab, which separates words, becomes a line break (counted too),
    so the words on either side stay apart and the text keeps its length.

    Raises InputError when ``text`` holds C1 control characters (a wrong decoding).
    """
    c1 = _C1.search(text)
    if c1:
        count = len(_C1.findall(text))
        raise InputError(
            f"{where}: {count} C1 control character(s) (first U+{ord(c1.group()):04X} at "
            f"character {c1.start()}); the text was probably decoded with the wrong encoding "
            "(e.g. Latin-1 for Windows-1252).",
            fix="re-encode the source as UTF-8 from its real encoding (often cp1252).",
        )
    broken, breaks = _LINE_BREAKS.subn("\n", text)
    cleaned, removed = _REMOVED.subn("", broken)
    return cleaned, removed + breaks


def bad_characters(text: str) -> list[tuple[int, str]]:
    """(position, character) of every character a server may refuse (see module doc)."""
    if _BAD.search(text) is None:  # the usual case, one scan in C
        return []
    return [(m.start(), m.group()) for m in _BAD.finditer(text)]
