"""Project detail sheets (รายละเอียดโครงการ, แบบเสนอโครงการ): labelled fields, one per line.

A sheet starts at a "ชื่อโครงการ" (or "โครงการ") field and holds, numbered or not:
  สนองยุทธศาสตร์ / สอดคล้องกับกลยุทธ์ที่ N / นโยบายที่ N   -> the group it serves
  ลักษณะโครงการ (ใหม่ / ต่อเนื่อง), ผู้รับผิดชอบ(โครงการ)    -> a person and/or a group
  ระยะเวลาดำเนินการ / ระยะเวลา                              -> the project's schedule
  งบประมาณ ... บาท                                          -> its budget
The value follows its label on the same line (after ":" or spaces) or on the next line.
A "โครงการ" line counts as a sheet only when at least MIN_FIELDS other labels follow it
before the next sheet, so prose and headings that start with โครงการ are not sheets.
Activity tables and budget breakdowns (cells on one line) are not fields: their
activities and expense lines are neither projects nor schedules.
"""

from dataclasses import dataclass

import regex
from rapidfuzz.distance import Levenshtein

from datamodel.document import Line
from normalizers.digits import thai_to_arabic
from normalizers.labels import GROUP_WORDS
from normalizers.names import strip_numbering

MIN_FIELDS = 2          # labelled fields besides the name that make a sheet
MAX_VALUE_LINES = 3     # lines a value may wrap onto
LABEL_SLIPS = 8         # letters of a label per letter a scan may misread in it ("ซื่อโครงการ"
                        # for ชื่อโครงการ at 150 dpi: the sheet was lost, and every later sheet
                        # took the schedule of the one after it)

_M = "[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]*"
_LABELS = [
    ("name", regex.compile(r"^(?:ชื่อ\s*โครงการ|โครงการ)\s*[:：]?\s*(?P<v>.*)$")),
    ("group", regex.compile(r"^(?:สนอง|สอดคล้อง(?:กับ)?|ตอบสนอง)\s*(?P<v>.*)$")),
    ("kind", regex.compile(r"^ลักษณะ(?:ของ)?โครงการ\s*[:：]?\s*(?P<v>.*)$")),
    ("owner", regex.compile(r"^(?:ผู้รับผิดชอบ(?:โครงการ)?|หน่วยงาน(?:ที่)?รับผิดชอบ|กลุ่ม(?:งาน)?ที่รับผิดชอบ)\s*[:：]?\s*(?P<v>.*)$")),
    ("period", regex.compile(r"^ระยะเวลา(?:ดำเนินการ|ในการดำเนินการ|การดำเนินงาน|ดำเนินงาน)?\s*[:：]?\s*(?P<v>.*)$")),
    ("budget", regex.compile(r"^(?:งบประมาณ|วงเงิน)(?:ที่ใช้|ที่ได้รับ(?:จัดสรร)?|ทั้งสิ้น)?\s*[:：]?\s*(?P<v>.*)$")),
]
_STOP = regex.compile(r"^(?:หลักการ|วัตถุประสงค์|เป้าหมาย|กิจกรรม|วิธีดำเนินการ|ขั้นตอน|ผลที่คาดว่า|ตัวชี้วัด|การประเมินผล|สถานที่)")
# an item number a scan read as a symbol or a Latin letter or two (">. หลักการและเหตุผล",
# "bd. หลักการและเหตุผล" for ๖.): a number all the same, before Thai text
_SYMBOL_NUMBER = regex.compile(r"^\s*(?:[^\s\w\u0e01-\u0e5b]|[A-Za-z]){1,2}\s*[.)]\s*(?=[\u0e01-\u0e5b])")
_GROUP_NO = regex.compile(rf"(?:{GROUP_WORDS})\s*ที{_M}\s*(\d{{1,2}})")
_AMOUNT = regex.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(?:ล้าน)?\s*บาท|(\d{1,3}(?:,\d{3})+(?:\.\d+)?)")
_GROUP_NAME = regex.compile(r"(กลุ่ม\S.*|หน่วยตรวจสอบภายใน.*|หน่วย\S+.*)$")


@dataclass
class Sheet:
    name: str
    page: int
    line: int
    group_no: int | None = None
    owner: str | None = None
    period: str | None = None
    budget_raw: str | None = None      # the amount as printed ("๒๕,๐๐๐ บาท")

    @property
    def responsible_group(self) -> str | None:
        """The group part of the owner field ("นางสาว... กลุ่มส่งเสริมการจัดการศึกษา")."""
        if not self.owner:
            return None
        m = _GROUP_NAME.search(self.owner)
        return m[1].strip() if m else None


# a word every label above contains: a line without one is no field (cheap, most lines)
_LABEL_WORDS = ("โครงการ", "สนอง", "สอดคล้อง", "ลักษณะ", "รับผิดชอบ", "ระยะเวลา", "งบประมาณ", "วงเงิน")


# the labels as most often printed: a line starting a letter or so off one is that label
_PRINTED_LABELS = ("ชื่อโครงการ", "ลักษณะโครงการ", "ผู้รับผิดชอบโครงการ", "ผู้รับผิดชอบ",
                   "ระยะเวลาดำเนินการ", "ระยะเวลา", "งบประมาณ")


def _unnumbered(text: str) -> str:
    """A line without its item number, printed or misread as a symbol."""
    return _SYMBOL_NUMBER.sub("", strip_numbering(text.strip())).strip()


def _field(text: str):
    t = _unnumbered(text)
    fixed = _misread_label(t)
    if fixed is not None:
        t = fixed
    elif not any(w in text for w in _LABEL_WORDS):
        return None
    for name, pattern in _LABELS:
        m = pattern.match(t)
        if m:
            return name, m["v"].strip()
    return None


def _misread_label(t: str) -> str | None:
    """`t` with the label it starts with, misread by a letter per LABEL_SLIPS (a letter for a
    look-alike, one added or lost), spelled as printed; None when it starts with no label or
    with the longest it may be spelled right ("ระยะเวลาตดำเนินการ" is ระยะเวลาดำเนินการ, not
    ระยะเวลา and a value "ตดำเนินการ ...")."""
    best = None
    for label in _PRINTED_LABELS:
        allowed = max(1, len(label) // LABEL_SLIPS)
        for n in range(len(label) - allowed, len(label) + allowed + 1):
            if n < len(t) and _MARK.match(t[n]):
                continue                        # a label ends before a letter, not inside one
            d = Levenshtein.distance(label, t[:n])
            key = (-len(label), d, abs(n - len(label)))
            if d <= allowed and (best is None or key < best[0]):
                best = (key, n, label)
    if best is None or best[0][1] == 0:
        return None
    return best[2] + t[best[1]:]


_MARK = regex.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def find_sheets(lines: list[Line]) -> list[Sheet]:
    starts = []
    for i, ln in enumerate(lines):
        if ln.blank or len(ln.cells) > 1 or "โครงการ" not in ln.text:
            continue
        f = _field(ln.text)
        if f and f[0] == "name" and f[1]:
            starts.append(i)
    sheets = []
    for k, i in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        sheet = _read_sheet(lines, i, end)
        if sheet is not None:
            sheets.append(sheet)
    return sheets


def _value(lines: list[Line], j: int, first: str, end: int) -> tuple[str, int]:
    """A field's value: what follows the label, or the next lines when that is empty
    (a value wrapped over lines continues until the next label or a blank line)."""
    value, k = first, j + 1
    while k < end and k <= j + MAX_VALUE_LINES:
        nxt = lines[k]
        if nxt.blank or len(nxt.cells) > 1 or _field(nxt.text) or _STOP.match(_unnumbered(nxt.text)):
            break
        if value and not value.endswith(("-", "–")) and not _continues_value(value, nxt.text):
            break
        value = f"{value} {nxt.text.strip()}".strip()
        k += 1
    return value, k


def _continues_value(value: str, nxt: str) -> bool:
    """Does the next line continue a value (a name wrapped by layout) rather than start prose?"""
    return len(nxt.strip()) < 60 and not nxt.strip().endswith(("ดังนี้", ":"))


def _read_sheet(lines: list[Line], i: int, end: int) -> Sheet | None:
    name, j = _value(lines, i, _field(lines[i].text)[1], end)
    sheet = Sheet(name=name, page=lines[i].page, line=i)
    found = 0
    k = j
    while k < end:
        ln = lines[k]
        f = None if ln.blank or len(ln.cells) > 1 else _field(ln.text)
        if f is None or f[0] == "name":
            k += 1
            continue
        label, value = f
        value, nk = _value(lines, k, value, end)
        if label == "group" and sheet.group_no is None:
            m = _GROUP_NO.search(thai_to_arabic(value))
            if m:
                sheet.group_no = int(m[1])
            found += 1
        elif label == "owner" and sheet.owner is None:
            sheet.owner, found = value, found + 1
        elif label == "period" and sheet.period is None and value:
            sheet.period, found = value, found + 1
        elif label == "budget" and sheet.budget_raw is None:
            m = _AMOUNT.search(thai_to_arabic(value))
            if m:
                sheet.budget_raw = value[m.start():m.end()]     # digits keep their places
                found += 1
        elif label == "kind":
            found += 1
        k = max(nk, k + 1)
    return sheet if found >= MIN_FIELDS else None
