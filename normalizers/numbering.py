"""The number a plan prints in a row's sequence cell.

Plans number projects "๑", "1.", "(1)", hierarchically "๑.๒" / "1.2.3" (the last part is
the project's number in its group), or not at all (a bullet "-", "•", or nothing).
"""

from dataclasses import dataclass
from functools import lru_cache

import regex

from normalizers.digits import thai_to_arabic

_NUMBER = regex.compile(r"^\s*\(?\s*(\d{1,4}(?:\s*\.\s*\d{1,4}){0,3})\s*[.)]?\s*$")
_BULLET = regex.compile(r"^\s*[-–•●○▪*]\s*$")


@dataclass(frozen=True)
class SeqNo:
    value: int | None            # the project's number (last part of a hierarchical one)
    parts: tuple[int, ...] = ()  # every printed part: (1, 2) for "๑.๒"
    bullet: bool = False         # a bullet: an unnumbered row

    @property
    def hierarchical(self) -> bool:
        return len(self.parts) > 1


def printed_number(text: str) -> int | None:
    """The number a sequence cell prints (a bullet or no number: None)."""
    seq = parse_seq(text)
    return seq.value if seq is not None else None


@lru_cache(maxsize=4096)
def parse_seq(text: str) -> SeqNo | None:
    """The sequence number in a cell, or None when the cell holds none (empty or text)."""
    t = thai_to_arabic(text or "")
    m = _NUMBER.match(t)
    if m:
        parts = tuple(int(p) for p in regex.split(r"\s*\.\s*", m[1]))
        return SeqNo(parts[-1], parts)
    if _BULLET.match(t):
        return SeqNo(None, (), bullet=True)
    return None
