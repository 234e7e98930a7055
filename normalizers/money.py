"""Printed amounts -> Decimal baht.

Handled forms: ๘๕,๔๕๐ / 85,450 / 85,450.00 / 85450.- / "๘๕,๔๕๐ บาท" / "๑.๕ ล้านบาท" /
"1.5 ล้าน" / a space around a thousands comma left by PDF extraction ("85, 450"); zero-width
characters (U+200B, U+FEFF, ...) that word processors leave in a cell are ignored.
A dash or empty cell means "no amount printed" and gives None. Anything else is rejected.
"""

from decimal import Decimal, InvalidOperation

import regex

from normalizers import Rejected
from normalizers.digits import thai_to_arabic
from normalizers.text import drop_zero_width

MAX_BAHT = Decimal("9999999999999999.99")  # decimal128(18, 2)

_NIL = {"", "-", "–", "—", "−", "ไม่ใช้งบประมาณ", "ไม่มี", "ไม่ใช้"}
_NUMBER = regex.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?$")
_MILLION = regex.compile(r"^(?P<n>[\d,]+(?:\.\d+)?)\s*ล้าน$")
_CURRENCY = regex.compile(r"(?:บาท|บ\.)$")
_SPACES = regex.compile(r"\s+")
_CLOSING_DASH = regex.compile(r"\.-$|-$")
_SPACED_COMMA = regex.compile(r"\s*,\s*")
_MILLION_NUMBER = regex.compile(r"^\d+(?:\.\d{1,4})?$")


class AmountRejected(Rejected):
    pass


def parse_baht(text: str | None) -> Decimal | None:
    """Decimal baht with two places, None for a printed nil, or AmountRejected."""
    if text is None:
        return None
    s = drop_zero_width(thai_to_arabic(str(text))).strip()
    s = _SPACES.sub(" ", s)
    if s in _NIL:
        return None
    s = _CURRENCY.sub("", s).strip()
    s = _CLOSING_DASH.sub("", s).strip()   # "85,450.-" is a common way to close an amount
    s = _SPACED_COMMA.sub(",", s)          # "85, 450" from PDF text layers
    if s in _NIL:
        return None
    million = _MILLION.match(s)
    if million:
        n = million["n"].replace(",", "")
        if not _MILLION_NUMBER.match(n):
            raise AmountRejected(f"not an amount: {text!r}")
        value = Decimal(n) * 1_000_000
    else:
        if not _NUMBER.match(s):
            raise AmountRejected(f"not an amount: {text!r}")
        try:
            value = Decimal(s.replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern above guards this
            raise AmountRejected(f"not an amount: {text!r}") from None
    if value > MAX_BAHT:
        raise AmountRejected(f"amount too large for decimal(18,2): {text!r}")
    quantized = value.quantize(Decimal("0.01"))
    if quantized != value:
        raise AmountRejected(f"amount finer than one satang: {text!r}")
    return quantized
