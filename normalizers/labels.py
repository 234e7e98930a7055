"""Labels a plan prints on its own rows and headings: group headings and total rows.

Group headings: ยุทธศาสตร์ที่ N, กลยุทธ์ที่ N, ประเด็นกลยุทธ์ที่ N, นโยบายที่ N, จุดเน้นที่ N,
เป้าประสงค์ที่ N, with a bullet or emphasis before them and the title after a ":" or "." or
nothing. OCR drops or adds a mark now and then (กลยุทธิ์, ยุทธศาสตร, ที), so marks after the
heading words' letters are optional; in the long words it may slip a letter too (ประเด็นกลอยุทธ์).
Total rows: "รวม", "รวมกลยุทธ์ที่ ๑", "รวมนโยบายที่ ๑" close a group (a subtotal; the named ones
say which: in a plan of two levels "รวมนโยบายที่ ๑" closes the level above "รวมกลยุทธ์ที่ ๑");
"รวมทั้งสิ้น", "รวมทั้งหมด", "รวมงบประมาณทั้งสิ้น", "รวมทุกกลยุทธ์" close the whole plan.
"""

from dataclasses import dataclass
from functools import lru_cache

import regex
from rapidfuzz.distance import Levenshtein

from normalizers.digits import thai_to_arabic
from normalizers.text import compact

_M = "[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]*"
GROUP_WORDS = (rf"(?:ประเด็น{_M}\s*)?(?:กลยุ?ทธ{_M}|ยุ?ทธศาสตร{_M})|นโยบาย{_M}|จุดเน{_M}น{_M}|เป{_M}าประสงค{_M}")
# OCR's letter slips in the long heading words ("ประเด็นกลอยุทธ์", "ประเด็นกอยุทธ์"): one letter
# more, less or other is still the word, so long that no other word is one letter from it
_SLIPPED = rf"(?P<slip>ประเด็น{_M}\s*(?:กลยุทธ){{e<=1}}{_M}|(?:ยุทธศาสตร){{e<=1}}{_M})"
_GROUP = regex.compile(
    rf"^\s*(?:[-•*]\s*)?(?P<word>{GROUP_WORDS}|{_SLIPPED})\s*ที{_M}\s*(?P<no>\d{{1,2}})(?!\s*[.]\s*\d)\s*[:.)]?\s*(?P<title>.*)$")
_GRAND = regex.compile(r"^รวม(?:งบประมาณ|เงิน)?(?:ทั้งสิ้น|ทั้งหมด|ทุก|ทั้งแผน)|^รวมทั้งสิ้น|^ยอดรวมทั้งสิ้น")
_SUB_GROUP = regex.compile(rf"^รวม(?P<word>{GROUP_WORDS})ที{_M}(?P<no>\d{{1,2}})")


@dataclass(frozen=True)
class GroupHeading:
    kind: str        # the heading word as printed, without marks' variation: กลยุทธ์ / นโยบาย / ...
    no: int
    title: str       # the rest of the line, as printed (Thai digits kept)


_KINDS = (("ประเด็น", "ประเด็นกลยุทธ์"), ("กลยุ", "กลยุทธ์"), ("ยุทธ", "ยุทธศาสตร์"), ("ยทธ", "ยุทธศาสตร์"),
          ("นโยบาย", "นโยบาย"), ("จุดเน", "จุดเน้น"), ("เป", "เป้าประสงค์"))


@lru_cache(maxsize=8192)
def group_heading(text: str) -> GroupHeading | None:
    """The group heading a line or cell starts with, or None."""
    t = thai_to_arabic(text or "")
    m = _GROUP.match(t)
    if not m:
        return None
    word = m["word"].replace(" ", "")
    if m["slip"]:
        word = "ประเด็น" if word.startswith("ประเด็น") else "ยุทธ"
    title = text[m.start("title"):].strip() if m["title"] else ""
    return GroupHeading(_kind(word), int(m["no"]), title)


_UNNUMBERED = regex.compile(rf"^\s*(?:[-•*]\s*)?(?P<word>{GROUP_WORDS})\s*ที{_M}\s+(?P<title>[\u0e01-\u0e2e\u0e40-\u0e44].*)$")


def unnumbered_heading(text: str) -> GroupHeading | None:
    """A group heading without its number ("กลยุทธ์ที่ พัฒนาระบบ...": a scan's reading lost the
    digit), as number 0: only a table's group row is read so, its number then given by the
    subtotal that names it or the group before (extractors/tables.py _group_numbers)."""
    m = _UNNUMBERED.match(thai_to_arabic(text or ""))
    if not m:
        return None
    return GroupHeading(_kind(m["word"].replace(" ", "")), 0, text[m.start("title"):].strip())


def _kind(word: str) -> str:
    return next((k for prefix, k in _KINDS if word.startswith(prefix)), word)


HEADING_WORDS = ("ประเด็นกลยุทธ์", "กลยุทธ์", "ยุทธศาสตร์", "นโยบาย", "จุดเน้น", "เป้าประสงค์")
HEADING_EDITS = 1        # letters a misread heading word is off by (OCR: กอยุทธ์ for กลยุทธ์)
_NUMBERED_WORD = regex.compile(rf"^(?P<lead>\s*(?:[-•*]\s*)?(?:รวม)?)(?P<word>[\u0e01-\u0e4e]{{5,16}}?)(?=\s*ที{_M}\s*\d)")


def mend_heading_word(text: str) -> str:
    """A text that starts with a word HEADING_EDITS letter off a group heading word, then
    "ที่ N" (OCR's กอยุทธ์ที่ ๔, รวมกอยุทธ์ที่ ๓), with that word spelled right; any other text
    as it is. Only for OCR: a text layer prints what it prints."""
    t = thai_to_arabic(text or "")
    m = _NUMBERED_WORD.match(t)
    if not m or group_heading(t[len(m["lead"]):]) is not None:
        return text
    word = m["word"]
    near = [w for w in HEADING_WORDS if Levenshtein.distance(word, w) <= HEADING_EDITS]
    if len(near) != 1 or near[0] == word:
        return text
    return text[:m.start("word")] + near[0] + text[m.end("word"):]


@lru_cache(maxsize=8192)
def total_kind(text: str) -> str | None:
    """'grand' for a plan's total row label, 'sub' for any other total (a group's or a
    table's), None when the label is not a total."""
    k = compact(thai_to_arabic(text or ""))
    if not k.startswith(("รวม", "ยอดรวม")):
        return None
    return "grand" if _GRAND.match(k) else "sub"


def subtotal_group(text: str) -> int | None:
    """The group a subtotal names ("รวมนโยบายที่ ๒" -> 2), or None."""
    named = subtotal_heading(text)
    return named[1] if named else None


def subtotal_heading(text: str) -> tuple[str, int] | None:
    """(kind, number) of the group a subtotal names ("รวมนโยบายที่ ๒" -> ("นโยบาย", 2)), or None;
    the kind spelled as group_heading gives it."""
    m = _SUB_GROUP.match(compact(thai_to_arabic(text or "")))
    return (_kind(m["word"]), int(m["no"])) if m else None
