"""Text normalization for the text columns of every dataset.

The contract: NFC, Thai digits -> Arabic, runs of white space -> one space. Rules run in a
fixed order, each a small `str -> str` function, applied to one value (a cell, a title),
never to a whole page: collapsing white space over a page would destroy its lines.
"""

import unicodedata
from functools import lru_cache

import regex

from normalizers.digits import thai_to_arabic

CACHE_SIZE = 1 << 16     # distinct strings remembered by the cached normalizers (per process)

# Zero-width characters that word processors leave between Thai words; they are not
# white space to `\s`, but they break comparisons and joins.
_ZERO_WIDTH = regex.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Sara am written as nikhahit + sara aa (PDF text layers, tesseract); a tone mark may sit
# between them. Result: tone mark (if any) then SARA AM, the order Unicode text uses.
_DECOMPOSED_SARA_AM = regex.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")
_WHITESPACE = regex.compile(r"\s+")
# Markdown emphasis that text exports of plans carry around headings (**...**).
_MARKUP = regex.compile(r"(\*\*|__)")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def is_nfc(text: str) -> bool:
    """Whether `nfc(text) == text` (a quick check for the common case)."""
    return unicodedata.is_normalized("NFC", text)


def drop_zero_width(text: str) -> str:
    return _ZERO_WIDTH.sub("", text) if not text.isascii() else text


def compose_sara_am(text: str) -> str:
    return _DECOMPOSED_SARA_AM.sub("\\1\u0e33", text) if "\u0e4d" in text else text


def collapse_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def strip_markup(text: str) -> str:
    return _MARKUP.sub("", text)


# The fixed order of rules for a text column.
TEXT_RULES = (nfc, drop_zero_width, compose_sara_am, thai_to_arabic, collapse_whitespace)


@lru_cache(maxsize=CACHE_SIZE)
def normalize_text(text: str | None) -> str | None:
    """Canonical form of a printed text value (None stays None). Cached: the table finders
    ask for the same cells again and again."""
    if text is None:
        return None
    for rule in TEXT_RULES:
        text = rule(text)
    return text


@lru_cache(maxsize=CACHE_SIZE)
def compact(text: str | None) -> str:
    """Comparison key: normalized text with all white space removed (as the audit compares)."""
    if not text:
        return ""
    return _WHITESPACE.sub("", normalize_text(text))


_GLUE_END = regex.compile(r"[\u0e01-\u0e4e\u0e50-\u0e590-9,.]")
_GLUE_START = regex.compile(r"[\u0e01-\u0e4e\u0e50-\u0e590-9]|[.,][\u0e50-\u0e590-9]|\.[\u0e01-\u0e2e]")
# (".ค." of "ต.ค.", ".00" and ",326,200" of an amount wrapped before its separator)


def join_wrapped(a: str, b: str, soft: bool) -> str:
    """Join two pieces of one cell or title split over lines. A soft (layout) wrap between
    Thai letters adds no space, since Thai writes words without spaces; anything else keeps
    a line break, which normalization turns into one space. Digits wrapped inside an
    amount ("๓๓" / "๓,๒๐๐") join the same way."""
    if not a:
        return b
    if not b:
        return a
    if soft and _GLUE_END.match(a[-1]) and _GLUE_START.match(b[:2]):
        return a + b
    return f"{a}\n{b}"
