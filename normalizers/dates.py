"""Buddhist-era dates as printed in Thai plans -> Gregorian `date`.

Handled forms (Thai or Arabic digits, optional "วันที่" and "พ.ศ."):
  "๑ ตุลาคม ๒๕๖๖", "1 ต.ค. 66", "1 ต.ค.2566", "ตุลาคม 2566" / "ต.ค. 66" (month precision),
  "1/10/2566", "01-10-66"; ranges "1 ต.ค. 66 - 30 ก.ย. 67", "ต.ค. 66 – ก.ย. 67",
  "1-15 ตุลาคม 2566", "ตุลาคม - ธันวาคม 2566", "... ถึง ...".
Two-digit years are BE (66 -> 2566). Leap years are decided on the CE year (BE - 543).
An impossible day or an implausible year is rejected with a reason, never guessed.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import regex

from normalizers import Rejected
from normalizers.digits import thai_to_arabic
from normalizers.text import drop_zero_width

BE_OFFSET = 543
MIN_BE_YEAR = 2500   # 1957 CE; plans before this are not digitised
MAX_BE_YEAR = 2700   # 2157 CE

FULL_MONTHS = {
    "มกราคม": 1, "กุมภาพันธ์": 2, "มีนาคม": 3, "เมษายน": 4, "พฤษภาคม": 5, "มิถุนายน": 6,
    "กรกฎาคม": 7, "สิงหาคม": 8, "กันยายน": 9, "ตุลาคม": 10, "พฤศจิกายน": 11, "ธันวาคม": 12,
    # misspellings seen in print
    "กรกฏาคม": 7, "กุมภาพันธุ์": 2, "พฤศจิกยน": 11,
}
# Month names read without some of their marks (OCR: "กนยายน") are still one month each: the
# twelve names stay distinct with every mark removed, so that form is accepted too.
_MARKS = str.maketrans("", "", "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c")
FULL_MONTHS.update({name.translate(_MARKS): n for name, n in list(FULL_MONTHS.items())})
# Abbreviations are compared with dots and spaces removed ("ต.ค." / "ต. ค." / "ตค").
ABBR_MONTHS = {
    "มค": 1, "กพ": 2, "มีค": 3, "เมย": 4, "พค": 5, "มิย": 6,
    "กค": 7, "สค": 8, "กย": 9, "ตค": 10, "พย": 11, "ธค": 12,
}
MONTH_ABBR_PRINT = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
MONTH_FULL_PRINT = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
                    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]

_FULL = "|".join(sorted(FULL_MONTHS, key=len, reverse=True))
# (OCR reads an abbreviation's full stop as sara u/uu below the line, "พุยุ" for พ.ย., or adds one
#  after it, "พ.ุย.", and adds a stray sara i now and then, "สิ.ค.": all are accepted in an
#  abbreviation, never in a full name)
_ABBR = r"(?:มี|เม|มิ|[มกพสตธ]\u0e34?)[\u0e38\u0e39]?\s?\.?[\u0e38\u0e39]?\s?[คพยย][\u0e38\u0e39]?\s?\.?"
_MONTH = rf"(?:{_FULL}|{_ABBR})"
_TEXT_DATE = regex.compile(
    rf"^(?:(?P<d>\d{{1,2}})\s*)?(?P<m>{_MONTH})\s*(?:(?P<y>\d{{4}}|\d{{2}}))?$")
_NUMERIC_DATE = regex.compile(r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})$")
_DAY_ONLY = regex.compile(r"^(?P<d>\d{1,2})$")
_RANGE_SPLIT = regex.compile(r"\s*(?:ถึง|[-–—~]|\bto\b)\s*")
# words and signs around a date that carry no part of it (quotes and bullets: OCR specks)
_SPACES = regex.compile(r"\s+")
_DOTS_SPACES = regex.compile(r"[.\s]")
_OCR_DOTS = regex.compile(r"[.\s\u0e38\u0e39]")
_DIGIT = regex.compile(r"\d")
_NOISE = regex.compile(r"วันที่|พ\.\s?ศ\.?|พ\s?ศ\s|\(|\)|,|[\"'«»“”‘’•·|]")


class DateRejected(Rejected):
    pass


@dataclass(frozen=True)
class ParsedDate:
    value: date          # first day of the month for month precision, unless `as_end`
    precision: str       # "day" or "month"


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[date, date]:
    """Fiscal year N (BE) runs 1 Oct (N-544 CE) .. 30 Sep (N-543 CE)."""
    check_be_year(fiscal_year_be)
    ce = fiscal_year_be - BE_OFFSET
    return date(ce - 1, 10, 1), date(ce, 9, 30)


def check_be_year(year_be: int) -> int:
    if not MIN_BE_YEAR <= year_be <= MAX_BE_YEAR:
        raise DateRejected(f"implausible Buddhist-era year {year_be}")
    return year_be


def month_number(token: str) -> int | None:
    t = token.strip()
    if t in FULL_MONTHS:
        return FULL_MONTHS[t]
    if t.translate(_MARKS) in FULL_MONTHS:
        return FULL_MONTHS[t.translate(_MARKS)]
    key = _DOTS_SPACES.sub("", t)
    if key in ABBR_MONTHS:
        return ABBR_MONTHS[key]
    key = _OCR_DOTS.sub("", t)                       # OCR: a full stop read as sara u ("พุยุ")
    if key in ABBR_MONTHS:
        return ABBR_MONTHS[key]
    if len(key) == 3 and key[1] == "\u0e34":         # ... and a stray sara i ("สิค")
        return ABBR_MONTHS.get(key[0] + key[2])
    return None


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    y = int(text)
    if len(text) == 2:
        y += 2500
    return check_be_year(y)


def _clean(text: str) -> str:
    s = drop_zero_width(thai_to_arabic(text))
    s = _NOISE.sub(" ", s)
    return _SPACES.sub(" ", s).strip()


@dataclass(frozen=True)
class _Parts:
    day: int | None
    month: int | None
    year_be: int | None


def _parts(text: str) -> _Parts:
    s = _clean(text)
    m = _NUMERIC_DATE.match(s)
    if m:
        return _Parts(int(m["d"]), int(m["m"]), _year(m["y"]))
    m = _TEXT_DATE.match(s)
    if m:
        month = month_number(m["m"])
        if month is None:
            raise DateRejected(f"unknown month in {text!r}")
        return _Parts(int(m["d"]) if m["d"] else None, month, _year(m["y"]))
    m = _DAY_ONLY.match(s)
    if m:
        return _Parts(int(m["d"]), None, None)
    raise DateRejected(f"not a date: {text!r}")


def _build(p: _Parts, original: str, as_end: bool) -> ParsedDate:
    if p.month is None or p.year_be is None:
        raise DateRejected(f"incomplete date (no month or year): {original!r}")
    if not 1 <= p.month <= 12:
        raise DateRejected(f"month {p.month} does not exist: {original!r}")
    ce = p.year_be - BE_OFFSET
    if p.day is None:
        day = calendar.monthrange(ce, p.month)[1] if as_end else 1
        return ParsedDate(date(ce, p.month, day), "month")
    try:
        return ParsedDate(date(ce, p.month, p.day), "day")
    except ValueError:
        leap = " (not a leap year)" if p.month == 2 and p.day == 29 else ""
        raise DateRejected(
            f"day {p.day} does not exist in {MONTH_FULL_PRINT[p.month - 1]} "
            f"{p.year_be} BE = {ce} CE{leap}: {original!r}") from None


def parse_thai_date(text: str, *, as_end: bool = False) -> ParsedDate:
    """One printed date. `as_end` puts a month-precision date on the month's last day."""
    if text is None or not str(text).strip():
        raise DateRejected("empty date")
    return _build(_parts(str(text)), str(text), as_end)


def _range_ends(left_text: str, right_text: str) -> tuple[_Parts, _Parts]:
    """The two ends of a printed range; the left borrows the month/year it omits from the
    right ("๑ - ๓๑ ต.ค. ๖๗"), and "พ.ย. - ม.ค. 67" cannot run backwards: its left month is
    in the year before."""
    left, right = _parts(left_text), _parts(right_text)
    month = left.month if left.month is not None else right.month
    year = left.year_be
    if year is None:
        year = right.year_be
        if year is not None and month is not None and right.month is not None and month > right.month:
            year -= 1
    return _Parts(left.day, month, year), right


def parse_date_range(text: str) -> tuple[ParsedDate, ParsedDate]:
    """A printed period; the left side borrows the month/year it omits from the right."""
    if text is None or not str(text).strip():
        raise DateRejected("empty date range")
    s = _clean(str(text))
    if _NUMERIC_DATE.match(s):
        raise DateRejected(f"a single date, not a range: {text!r}")
    sides = [x for x in _RANGE_SPLIT.split(s) if x]
    if len(sides) != 2:
        raise DateRejected(f"not a date range: {text!r}")
    left, right = _range_ends(sides[0], sides[1])
    start = _build(left, str(text), as_end=False)
    end = _build(right, str(text), as_end=True)
    return start, end


@lru_cache(maxsize=1 << 14)
def looks_like_date(text: str) -> bool:
    """Cheap test used to classify table columns: does this cell hold a date or period?
    Cached: a table's kind is decided by asking it of every cell, again per table."""
    if not text or not text.strip():
        return False
    try:
        parse_thai_date(text)
        return True
    except Rejected:
        pass
    try:
        parse_date_range(text)
        return True
    except Rejected:
        pass
    s = _clean(text)
    # a date with an impossible day or year is still a date-shaped cell
    return bool(_TEXT_DATE.match(s) and _DIGIT.search(s)) or bool(_NUMERIC_DATE.match(s))


# ---- periods: what a schedule cell prints ------------------------------------------------

_WHOLE_YEAR = regex.compile(r"^ตลอด\s*(?:ปี|ทั้งปี|ปีงบประมาณ|ปีการศึกษา)")
_QUARTERS = regex.compile(r"^ไตรมาส\s*(?:ที่)?\s*(\d)\s*(?:(?:ถึง|[-–—,]|และ)\s*(?:ไตรมาส\s*(?:ที่)?\s*)?(\d))?\s*$")
QUARTER_MONTHS = {1: (10, 12), 2: (1, 3), 3: (4, 6), 4: (7, 9)}


@dataclass(frozen=True)
class Period:
    """A printed schedule period: each end parsed on its own, so one impossible date (31
    September) leaves the other end; an end that cannot be read keeps its reason."""
    start: ParsedDate | None
    end: ParsedDate | None
    start_error: str | None = None
    end_error: str | None = None


def quarter_bounds(fiscal_year_be: int, first: int, last: int) -> tuple[date, date]:
    """ไตรมาส 1 = Oct-Dec of the year before the fiscal year ... ไตรมาส 4 = Jul-Sep."""
    ce = fiscal_year_be - BE_OFFSET
    m0, m1 = QUARTER_MONTHS[first][0], QUARTER_MONTHS[last][1]
    y0, y1 = (ce - 1 if m0 >= 10 else ce), (ce - 1 if m1 >= 10 else ce)
    return date(y0, m0, 1), date(y1, m1, calendar.monthrange(y1, m1)[1])


def parse_period(text: str, fiscal_year_be: int | None = None) -> Period:
    """A schedule cell: a date range ("ต.ค. ๖๗ - ก.ย. ๖๘", "๑ พ.ย. ๖๗ – ๓๑ ส.ค. ๖๘"), one
    date or month, the whole fiscal year ("ตลอดปีงบประมาณ"), or quarters ("ไตรมาส ๒–๓").
    Raises DateRejected only when nothing in it is a date."""
    if text is None or not str(text).strip():
        raise DateRejected("no date printed")
    s = _clean(str(text))
    if _WHOLE_YEAR.match(s.replace(" ", "")) or _QUARTERS.match(s):
        if fiscal_year_be is None:
            raise DateRejected(f"a period of the fiscal year without a known fiscal year: {text!r}")
        if _WHOLE_YEAR.match(s.replace(" ", "")):
            a, b = fiscal_year_bounds(fiscal_year_be)
        else:
            m = _QUARTERS.match(s)
            q0, q1 = int(m[1]), int(m[2] or m[1])
            if not (1 <= q0 <= 4 and 1 <= q1 <= 4):
                raise DateRejected(f"quarter {max(q0, q1)} does not exist: {text!r}")
            a, b = quarter_bounds(fiscal_year_be, q0, q1)
        return Period(ParsedDate(a, "month"), ParsedDate(b, "month"))
    if _NUMERIC_DATE.match(s):
        sides = [s]
    else:
        sides = [x for x in _RANGE_SPLIT.split(s) if x]
    if len(sides) == 1:
        p = _parts(sides[0])
        start, end, errs = None, None, [None, None]
        try:
            start = _build(p, str(text), as_end=False)
            end = _build(p, str(text), as_end=True)
        except DateRejected as e:
            errs = [str(e), str(e)]
        return Period(start, end, *errs)
    if len(sides) != 2:
        raise DateRejected(f"not a date range: {text!r}")
    left, right = _range_ends(sides[0], sides[1])
    out, errs = [None, None], [None, None]
    for k, (p, as_end) in enumerate(((left, False), (right, True))):
        try:
            out[k] = _build(p, str(text), as_end=as_end)
        except DateRejected as e:
            errs[k] = str(e)
    return Period(out[0], out[1], errs[0], errs[1])


def looks_like_period(text: str) -> bool:
    """Does a schedule cell hold a date, a range, the whole fiscal year or quarters? A schedule
    column is known by its cells: udon's prints ตลอดปีงบประมาณ in 4 of its 12 rows, and with
    two ranges read unsurely the dates alone were half the column, not more (every row lost its
    dates)."""
    if looks_like_date(text):
        return True
    s = _clean(str(text or ""))
    return bool(s) and bool(_WHOLE_YEAR.match(s.replace(" ", "")) or _QUARTERS.match(s))
