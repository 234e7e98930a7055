"""Thai digits (๐-๙) <-> Arabic digits (0-9); one character for one, so positions stay aligned."""

import re
from functools import lru_cache

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"

_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)
_TO_THAI = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)
# str.translate with a table walks Python dicts per character; most text has no Thai digit,
# and a regex search says so at C speed (this runs on every cell many times)
_THAI_DIGIT = re.compile(f"[{THAI_DIGITS}]")


@lru_cache(maxsize=1 << 14)
def thai_to_arabic(text: str) -> str:
    """Replace every Thai digit by its Arabic digit; nothing else changes (same length).
    Cached: the finders ask for the same line and cell texts many times over."""
    return text.translate(_TO_ARABIC) if _THAI_DIGIT.search(text) else text


def arabic_to_thai(text: str) -> str:
    """Replace every Arabic digit by its Thai digit (used to build test fixtures)."""
    return text.translate(_TO_THAI)


# Thai digits a scan's reading takes for one another (๒ read ๖ and ๔ read ๕ in group headings
# at 150 dpi; extractors/digit_reader.py's templates confuse the same pairs at low resolution)
LOOKALIKE_DIGITS = ({2, 6}, {4, 5}, {3, 7}, {0, 6}, {8, 9})


def lookalike_numbers(a: int, b: int) -> bool:
    """Do two numbers differ only in a last digit a scan's reading confuses (๔ and ๕)?"""
    return a != b and a // 10 == b // 10 and {a % 10, b % 10} in LOOKALIKE_DIGITS
