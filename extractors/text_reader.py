"""Plain-text plans: decode (UTF-8, UTF-16, or legacy TIS-620/cp874), split into pages
(form feed) and lines (tab-separated cells are table cells)."""

import codecs
from pathlib import Path

import regex

from normalizers.text import drop_zero_width, strip_markup
from datamodel.document import Line, Page, SourceDoc, blocks_of_lines

MIN_LEGACY_COVERAGE = 0.5     # ... and read as Thai words at least this well
MIN_THAI_SHARE_LEGACY = 0.2    # a cp874 decode must yield at least this share of Thai letters
_THAI = regex.compile(r"[\u0e01-\u0e5b]")
_LETTER = regex.compile(r"\p{L}")
_C1 = regex.compile(r"[\x80-\x9f]")
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = regex.compile(r"\r\n|\r|\n")


class UnreadableText(ValueError):
    pass


def _thai_share(text: str) -> float:
    letters = len(_LETTER.findall(text))
    return len(_THAI.findall(text)) / letters if letters else 0.0


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding). Raises UnreadableText with a one-line reason."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    if b"\x00" in data:
        raise UnreadableText("binary file, not text (contains NUL bytes)")
    try:
        return data.decode("utf-8", errors="strict"), "utf-8"
    except UnicodeDecodeError:
        pass
    # TIS-620 is a subset of cp874 (cp874 adds a few punctuation marks in 0x80-0x9f).
    try:
        text = data.decode("cp874", errors="strict")
    except UnicodeDecodeError:
        raise UnreadableText("text in an unknown encoding (not UTF-8, UTF-16 or TIS-620/cp874)") from None
    if _C1.search(text) or _thai_share(text) < MIN_THAI_SHARE_LEGACY or not _reads_as_thai(text):
        raise UnreadableText("text in an unknown encoding (not UTF-8, UTF-16 or TIS-620/cp874)")
    return text, "tis-620"


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark: an even length, NUL bytes (the high byte of ASCII
    characters) only at odd offsets (little-endian) or only at even ones (big-endian), and a
    strict decode that gives text (no NUL, no other control characters than tab, line and page
    breaks)."""
    if len(data) % 2 or b"\x00" not in data:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if even and odd:
        return None
    codec = "utf-16-le" if odd else "utf-16-be"
    try:
        text = data.decode(codec, errors="strict")
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(text):
        return None
    return text, codec


def _reads_as_thai(text: str) -> bool:
    """Bytes of another 8-bit encoding also decode as cp874 letters: real Thai has words."""
    from normalizers.quality import dictionary_coverage
    coverage = dictionary_coverage(text[:20000])
    return coverage is not None and coverage >= MIN_LEGACY_COVERAGE


def lines_of(text: str, page: int) -> list[Line]:
    out = []
    for raw in _LINE_BREAK.split(text):      # CRLF, LF, or CR alone (old Mac files)
        raw = strip_markup(raw)
        cells = [c.strip() for c in raw.split("\t")] if "\t" in raw else []
        out.append(Line(text=raw.strip(), page=page, cells=cells))
    return out


def read_text(path: Path) -> SourceDoc:
    text, encoding = decode_text(Path(path).read_bytes())
    # zero-width spaces and joiners (text pasted from the web) are not white space to `\s`: left
    # in, they hide a line's numbering, amounts and dates from the finders (issue 13, item 15)
    text = drop_zero_width(text.replace("\r\n", "\n"))
    pages, lines = [], []
    for no, page_text in enumerate(text.split("\f"), start=1):
        page_lines = lines_of(page_text, no)
        pages.append(Page(no=no, text=page_text, method="text", lines=page_lines,
                          blocks=blocks_of_lines(page_lines)))
        lines.extend(page_lines)
    return SourceDoc(source_format="txt", pages=pages, lines=lines, encoding=encoding)
