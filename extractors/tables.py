"""Find tables in a stream of lines and say what they hold, by header *and* by content.

A table starts at a header line whose cells name a sequence/name column and at least one
of: responsible group, budget, period, start/end, or months. Header synonyms handled:
  seq:    ที่ / ลำดับ / ลำดับที่ / ข้อ
  name:   โครงการ / ชื่อโครงการ / โครงการ/กิจกรรม / กิจกรรม
  group:  กลุ่มที่รับผิดชอบ / ผู้รับผิดชอบ / หน่วยงานที่รับผิดชอบ / กลุ่มงานที่รับผิดชอบ (anything "รับผิดชอบ")
  budget: งบประมาณ / งบประมาณ (บาท) / จำนวนเงิน
  period: ระยะเวลา... (with an optional sub-header เริ่มต้น / สิ้นสุด), or month columns ต.ค. ... ก.ย.
Rows are lines whose sequence cell is a number; a wrapped row continues on lines whose
sequence cell is empty; a row whose first cell starts with "รวม" is the total row.
Blank lines and lone page numbers inside a table are skipped (page breaks). Lines between
a header and the first row with an empty sequence cell continue the header (wrapped header
cells). A header that repeats the previous table's header right after it (a table continued
on the next page) continues that table instead of starting a new one.

The kind of a table is decided by its rows: a continuation page of a timeline printed
under the budget table's header is still a timeline (and `header_kind` keeps what the
header claimed, for a finding).
"""

from dataclasses import dataclass, field
from functools import lru_cache

import regex
from rapidfuzz import fuzz

from normalizers import Rejected
from normalizers.dates import looks_like_date, month_number
from normalizers.digits import thai_to_arabic
from normalizers.money import parse_baht
from normalizers.text import compact, join_wrapped
from datamodel.document import Line

DATE_ROW_SHARE = 0.6       # share of rows with a date cell that makes a table a timeline
MAX_HEADER_CELL = 30       # characters (no spaces) a header label may have
MIN_GRID_MONTHS = 6        # month columns that make a header a month grid
HEADER_MATCH = 90          # % similarity (rapidfuzz ratio) at which an OCR'd header repeats another

_SEQ = regex.compile(r"^\s*(\d{1,4})\s*\.?\s*$")
_AMOUNT_IN = regex.compile(r"\d{1,3}(?:,\d{3})+")     # a header labels columns, it holds no amount
_PAGE_NO = regex.compile(r"^\s*-?\s*\d{1,4}\s*-?\s*$")


_TONES = str.maketrans("", "", "\u0e48\u0e49\u0e4a\u0e4b\u0e4c")
_SEQ_WORDS = {w.translate(_TONES) for w in ("ที่", "ลำดับ", "ลำดับที่", "ข้อ", "no", "no.")}


@lru_cache(maxsize=1 << 14)
def cell_role(text: str) -> str | None:
    """The column a header cell names. Tone marks are ignored: OCR often drops them
    ("เริมต้น" for เริ่มต้น) and no two header words differ only by a tone mark."""
    k = compact(text).lower().translate(_TONES)
    if not k or len(k) > MAX_HEADER_CELL:     # header cells are labels, not sentences
        return None
    if k in _SEQ_WORDS:
        return "seq"
    if "รับผิดชอบ" in k:
        return "group"
    if k.startswith(("งบประมาณ", "จำนวนเงิน", "งบ(บาท)")):
        return "budget"
    if k.startswith("ระยะเวลา"):
        return "period"
    if k.startswith(("เริม", "วันเริม")):
        return "start"
    if k.startswith(("สินสุด", "วันสินสุด")):
        return "end"
    if len(k) <= 9:
        m = month_number(k)
        if m is not None:
            return f"month{m}"
    if "โครงการ" in k or "กิจกรรม" in k or k.startswith("ชือ"):
        return "name"
    return None


@dataclass
class TableRow:
    cells: list[str]
    page: int
    line_index: int

    def cell(self, i: int | None) -> str:
        if i is None or i >= len(self.cells):
            return ""
        return self.cells[i]


@dataclass
class Table:
    start: int                       # index of the header line
    end: int                         # index one past the last line used
    page: int
    header: list[str]
    roles: list[str | None]
    rows: list[TableRow] = field(default_factory=list)
    total: TableRow | None = None
    kind: str = "unknown"            # projects / timeline / grid / unknown
    header_kind: str = "unknown"
    header_lines: list[list[str]] = field(default_factory=list)   # as printed, line by line

    def col(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    def month_cols(self) -> dict[int, int]:
        return {i: int(r[5:]) for i, r in enumerate(self.roles) if r and r.startswith("month")}


def _is_header(line: Line) -> list[str | None] | None:
    if len(line.cells) < 2:
        return None
    if any(len(compact(c)) > MAX_HEADER_CELL or _AMOUNT_IN.search(thai_to_arabic(c)) for c in line.cells):
        return None        # a sentence split at wide gaps ("มีโครงการ... | โครงการ | งบประมาณ 85,450 ...")
    roles = [cell_role(c) for c in line.cells]
    have = set(roles)
    if not have & {"seq", "name"}:
        return None
    months = sum(1 for r in roles if r and r.startswith("month"))
    if have & {"group", "budget", "period", "start", "end"} or months >= MIN_GRID_MONTHS:
        return roles
    return None


def _merge_subheader(roles: list, line: Line) -> bool:
    """Second header line (e.g. '\t\tเริ่มต้น\tสิ้นสุด' or the month names) fills roles."""
    sub = [cell_role(c) for c in line.cells]
    useful = [r for r in sub if r in {"start", "end"} or (r and r.startswith("month"))]
    if not useful or _SEQ.match(thai_to_arabic(line.cells[0])):
        return False
    while len(roles) < len(sub):
        roles.append(None)
    for i, r in enumerate(sub):
        if r and (roles[i] in (None, "period") or roles[i] == r):
            roles[i] = r
    return True


def _seq_of(cells: list[str], seq_col: int | None) -> int | None:
    i = 0 if seq_col is None else seq_col
    if i >= len(cells):
        return None
    m = _SEQ.match(thai_to_arabic(cells[i]))
    return int(m[1]) if m else None


def _is_total(cells: list[str], table: "Table | None" = None) -> bool:
    """A total row: its first cell says รวม... — or, squeezed into a narrow first column and
    wrapped ("รว" / "มงบประมาณ"), a non-numeric first cell, no name, and an amount."""
    first = next((c for c in cells if c.strip()), "")
    if compact(first).startswith("รวม"):
        return True
    if table is None or not cells or not cells[0].strip() or _SEQ.match(thai_to_arabic(cells[0])):
        return False
    name_col = table.col("name")
    if name_col is None or (name_col < len(cells) and cells[name_col].strip()):
        return False
    return compact(cells[0]).startswith("รว") and any(is_amount(c) for c in cells[1:])


def _header_kind(roles) -> str:
    have = set(roles)
    if sum(1 for r in roles if r and r.startswith("month")) >= MIN_GRID_MONTHS:
        return "grid"
    if have & {"period", "start", "end"}:
        return "timeline"
    if have & {"budget", "group"}:
        return "projects"
    return "unknown"


def is_amount(text: str) -> bool:
    try:
        return parse_baht(text) is not None
    except Rejected:
        return False


def _content_kind(table: Table) -> str:
    if table.header_kind == "grid":
        return "grid"
    if not table.rows:
        return table.header_kind
    name_col, seq_col = table.col("name"), table.col("seq")
    dated = 0
    for row in table.rows:
        others = [c for i, c in enumerate(row.cells) if i not in (name_col, seq_col)]
        if any(looks_like_date(c) for c in others):
            dated += 1
    if dated >= DATE_ROW_SHARE * len(table.rows):
        return "timeline"
    if any(is_amount(c) for row in table.rows for c in row.cells[1:]):
        return "projects"
    return table.header_kind


def _append_cells(target: list[str], cells: list[str], soft: bool) -> None:
    for k, c in enumerate(cells):
        if c.strip():
            while len(target) <= k:
                target.append("")
            target[k] = join_wrapped(target[k], c, soft)


def _trimmed(cells: list[str]) -> list[str]:
    """Cells without the empty ones at the end (a column added later by a sub-header)."""
    while cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def same_header(a: list[str], b: list[str]) -> bool:
    """The same header printed twice: equal cells, or (OCR: a letter read twice or missed)
    nearly equal text in the same number of cells."""
    ka, kb = _trimmed([compact(c) for c in a]), _trimmed([compact(c) for c in b])
    if ka == kb:
        return True
    return len(ka) == len(kb) and fuzz.ratio("|".join(ka), "|".join(kb)) >= HEADER_MATCH


def _continues(prev: Table | None, header: list[str], lines: list[Line], start: int) -> bool:
    """Is this header a repeat of `prev`'s (its first printed line), with nothing but blank
    lines between them?"""
    if prev is None:
        return False
    first = prev.header_lines[0] if prev.header_lines else prev.header[:len(header)]
    if not same_header(first, header):
        return False
    return all(lines[k].blank or len(lines[k].cells) == 1 and _PAGE_NO.match(thai_to_arabic(lines[k].text))
               for k in range(prev.end, start))


def find_tables(lines: list[Line]) -> list[Table]:
    tables: list[Table] = []
    i, n = 0, len(lines)
    while i < n:
        roles = _is_header(lines[i])
        if roles is None:
            i += 1
            continue
        prev = tables[-1] if tables else None
        if _continues(prev, lines[i].cells, lines, i) and prev.total is None:
            table = prev
            tables.pop()
        else:
            table = Table(start=i, end=i + 1, page=lines[i].page,
                          header=list(lines[i].cells), roles=list(roles),
                          header_lines=[list(lines[i].cells)])
        j = i + 1
        while j < n and lines[j].blank:
            j += 1
        if table is prev:
            # the repeated header's own wrapped lines are not the continued row's text
            while j < n and any(same_header(h, lines[j].cells) for h in table.header_lines[1:]):
                j += 1
        seq_col = table.col("seq")
        while j < n and not table.rows:   # sub-header or wrapped header lines
            ln = lines[j]
            if _merge_subheader(table.roles, ln):
                table.header += [c for c in ln.cells if c]
                table.header_lines.append(list(ln.cells))
            elif (table is not prev and len(ln.cells) > 1 and not ln.cells[seq_col or 0].strip()
                  and _is_header(ln) is None and not _is_total(ln.cells)):
                _append_cells(table.header, ln.cells, ln.soft_wrap)
                table.header_lines.append(list(ln.cells))
                for k, c in enumerate(table.header):
                    if k < len(table.roles) and table.roles[k] is None:
                        table.roles[k] = cell_role(c)
            else:
                break
            j += 1
        while j < n:
            ln = lines[j]
            if ln.blank or (len(ln.cells) == 1 and _PAGE_NO.match(thai_to_arabic(ln.text))):
                j += 1
                continue
            if _is_header(ln) is not None:
                break
            cells = ln.cells
            if _is_total(cells, table):
                table.total = TableRow(list(cells), ln.page, j)
                j += 1
                table.end = j
                break
            seq = _seq_of(cells, seq_col)
            if seq is not None and len(cells) > 1:
                table.rows.append(TableRow(list(cells), ln.page, j))
            elif len(cells) > 1 and table.rows and not cells[seq_col or 0].strip():
                _append_cells(table.rows[-1].cells, cells, ln.soft_wrap)   # a wrapped row
            else:
                break
            j += 1
            table.end = j
        table.end = max(table.end, j if table.rows else table.end)
        table.header_kind = _header_kind(table.roles)
        table.kind = _content_kind(table)
        tables.append(table)
        i = max(table.end, i + 1)
    return tables
