"""Bytes of an uploaded CSV to text (SPEC §4): UTF-8 with or without BOM, UTF-16 LE/BE
with BOM (Excel's "Unicode Text"). Anything else is one file error that names the
encoding the file looks like and how to save it as "CSV UTF-8" — never a guess that
silently turns ``Bjørg`` into ``BjÃ¸rg``."""

from __future__ import annotations

import codecs

from partnerhub.csvfiles.errors import CsvFileError

SAVE_AS_UTF8 = (
    'Save it as "CSV UTF-8": in Excel, File → Save As → "CSV UTF-8 (Comma delimited) '
    '(*.csv)"; in LibreOffice, Save As → Text CSV with character set "Unicode (UTF-8)".'
)
# Python codec names (charset-normalizer's answers) as people know them.
ENCODING_NAMES = {
    "cp1252": 'Windows-1252 (Western European, Excel\'s plain "CSV" on Windows)',
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1257": "Windows-1257 (Baltic)",
    "latin_1": "ISO-8859-1 (Latin-1)",
    "iso8859_15": "ISO-8859-15 (Latin-9)",
    "iso8859_2": "ISO-8859-2 (Latin-2)",
    "mac_roman": "Mac Roman",
    "cp850": "DOS code page 850",
    "cp437": "DOS code page 437",
    "shift_jis": "Shift JIS",
    "cp932": "Shift JIS (Windows-31J)",
    "gb2312": "GB2312",
    "gb18030": "GB18030",
    "big5": "Big5",
    "koi8_r": "KOI8-R",
}
DEFAULT_GUESS = "cp1252"


def likely_encoding(content: bytes) -> str:
    """The name of the encoding ``content`` (not UTF-8) most likely is in. Western
    8-bit encodings cannot be told apart reliably from a few names, so anything that
    reads as Windows-1252 is called that (what Excel writes for "CSV" on Windows)."""
    from charset_normalizer import from_bytes

    best = from_bytes(content[:65536]).best()
    guess = best.encoding if best is not None else DEFAULT_GUESS
    if guess in ("latin_1", "iso8859_15", "cp1250", "iso8859_2", "mac_roman", "cp850"):
        try:
            content.decode("cp1252")
            guess = DEFAULT_GUESS
        except UnicodeDecodeError:
            pass
    return ENCODING_NAMES.get(guess, guess)


def decode_text(content: bytes, *, what: str) -> str:
    """The text of the file. ``what`` names the file in messages ("users CSV")."""
    if content.startswith(codecs.BOM_UTF8):
        return _utf8(content[len(codecs.BOM_UTF8) :], content)
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _utf16(content, what=what)
    if content.startswith(b"PK\x03\x04"):
        raise CsvFileError(
            f"This is a spreadsheet workbook (.xlsx), not a CSV file. {SAVE_AS_UTF8}"
        )
    if b"\x00" in content[:4096]:
        raise CsvFileError(
            "This is not a text file (it looks binary, for example a spreadsheet, or "
            f"UTF-16 without its byte-order mark). {SAVE_AS_UTF8}"
        )
    return _utf8(content, content)


def _utf8(body: bytes, content: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        raise CsvFileError(
            f"The file is not UTF-8: it looks like {likely_encoding(content)} (line {line} "
            f"cannot be read as UTF-8). {SAVE_AS_UTF8}"
        ) from None


def _utf16(content: bytes, *, what: str) -> str:
    damaged = (
        f'The file starts as UTF-16 text (Excel\'s "Unicode Text") but is cut off or '
        f'damaged: {{}}. Export the {what} again, or save it as "CSV UTF-8".'
    )
    if len(content) % 2:
        raise CsvFileError(damaged.format(f"it has an odd number of bytes ({len(content)})"))
    try:
        return content.decode("utf-16")
    except UnicodeDecodeError as error:
        raise CsvFileError(
            damaged.format(f"bytes {error.start + 1}–{error.end} are not a character")
        ) from None
