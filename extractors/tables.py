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

from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import zip_longest
from functools import lru_cache

import regex
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from normalizers import Rejected
from normalizers.dates import looks_like_date, looks_like_period, month_number
from normalizers.digits import lookalike_numbers, thai_to_arabic
from normalizers.money import parse_baht
from normalizers.labels import (GroupHeading, group_heading, subtotal_group, subtotal_heading, total_kind,
                               unnumbered_heading)
from normalizers.numbering import SeqNo, parse_seq, printed_number
from normalizers.text import compact, join_wrapped
from datamodel.document import Line, Row, TableBlock

DATE_ROW_SHARE = 0.6       # share of rows with a date cell that makes a table a timeline
MAX_HEADER_CELL = 30       # characters (no spaces) a header label may have
MIN_GRID_MONTHS = 6        # month columns that make a header a month grid
FISCAL_FIRST_MONTH = 10    # ต.ค.: the fiscal year's first month, its months to ธ.ค. in the year before
MIN_MONTH_VOTES = 2        # month names read in their places (a majority of those read) that place the run
MIN_GRID_QUARTERS = 4      # quarter columns that make a header a quarter grid
BUDGET_ROW_SHARE = 0.5     # share of rows with an amount in the budget column that makes a project table
COL_SNAP = 3.0             # points: column borders of two pages of one table this close are the same
HEADER_MATCH = 90          # % similarity (rapidfuzz ratio) at which an OCR'd header repeats another
LABEL_SLIPS = 6            # letters of a header label per letter OCR may misread in it (a scan at
                           # 150 dpi reads กลุ่มทีรับมิดชอบ, ระบะเวลา, ลำตับ: one letter in 5 to 15)
MIN_SLIP_LABEL = 5         # letters a label needs before a misread one is still taken for it

_YEAR = regex.compile(r"(?:พ\s*\.?\s*ศ\s*\.?|ปี)\s*(\d{4}|\d{2})\b|^\s*(25\d\d)\s*$")
_QUARTER = regex.compile(r"^ไตรมาส(?:ที่|ที)?(\d)$")
_AMOUNT_IN = regex.compile(r"\d{1,3}(?:,\d{3})+")     # a header labels columns, it holds no amount
_PAGE_NO = regex.compile(r"^\s*-?\s*\d{1,4}\s*-?\s*$")
_AMOUNT_PART = regex.compile(r"[\d,.]*\d[\d,.]*")


_TONES = str.maketrans("", "", "\u0e48\u0e49\u0e4a\u0e4b\u0e4c")
_SEQ_WORDS = {w.translate(_TONES) for w in ("ที่", "ลำดับ", "ลำดับที่", "ข้อ", "no", "no.")}
_GROUP_WORDS = {w.translate(_TONES) for w in ("กลุ่ม", "กลุ่มงาน", "หน่วยงาน")}
_PERIOD_WORDS = tuple(w.translate(_TONES) for w in ("ระยะเวลา", "ช่วงเวลา", "ช่วงระยะเวลา", "กำหนดเวลา"))
_OTHER_WORDS = tuple(w.translate(_TONES) for w in (
    "หมายเหตุ", "ตัวชี้วัด", "เป้าหมาย", "หน้า", "ผลผลิต", "ผลลัพธ์", "วัตถุประสงค์"))


@lru_cache(maxsize=1 << 14)
def cell_role(text: str) -> str | None:
    """The column a header cell names. Tone marks are ignored: OCR often drops them
    ("เริมต้น" for เริ่มต้น) and no two header words differ only by a tone mark."""
    k = compact(text).lower().translate(_TONES)
    if not k or len(k) > MAX_HEADER_CELL:     # header cells are labels, not sentences
        return None
    if k in _SEQ_WORDS:
        return "seq"
    if "รับผิดชอบ" in k or k in _GROUP_WORDS:
        return "group"
    if k.startswith(("งบประมาณ", "จำนวนเงิน", "งบ(บาท)", "วงเงิน")):
        return "budget"
    if k.startswith(_PERIOD_WORDS):
        return "period"
    if k.startswith(_OTHER_WORDS):
        return "other"          # printed, but not data we extract
    if k.startswith(("เริม", "วันเริม")):
        return "start"
    if k.startswith(("สินสุด", "วันสินสุด")):
        return "end"
    q = _QUARTER.match(thai_to_arabic(k))
    if q and 1 <= int(q[1]) <= 4:
        return f"quarter{q[1]}"
    if k == "รวม":
        return "sum"
    if len(k) <= 9:
        m = month_number(k)
        if m is not None:
            return f"month{m}"
    if "โครงการ" in k or "แผนงาน" in k or k.startswith("ชือ"):
        return "name"
    if "กิจกรรม" in k or k.startswith(("ขันตอน", "วิธีดำเนินการ")):
        return "activity"       # a detail sheet's activity table: neither projects nor schedules
    return None


_SLIP_LABELS = [(w.translate(_TONES), role) for w, role in (
    ("ลำดับ", "seq"), ("ลำดับที่", "seq"),
    ("โครงการ", "name"), ("ชื่อโครงการ", "name"), ("โครงการ/กิจกรรม", "name"),
    ("กลุ่มที่รับผิดชอบ", "group"), ("ผู้รับผิดชอบ", "group"), ("หน่วยงานที่รับผิดชอบ", "group"),
    ("กลุ่มงานที่รับผิดชอบ", "group"), ("หน่วยที่รับผิดชอบ", "group"),
    ("งบประมาณ", "budget"), ("จำนวนเงิน", "budget"), ("วงเงิน", "budget"),
    ("ระยะเวลา", "period"), ("ช่วงเวลา", "period"), ("ระยะเวลาดำเนินการ", "period"),
    ("เริ่มต้น", "start"), ("สิ้นสุด", "end"), ("หมายเหตุ", "other"), ("ตัวชี้วัด", "other"),
    ("เป้าหมาย", "other"))]


@lru_cache(maxsize=1 << 12)
def misread_role(text: str) -> str | None:
    """The column a header cell names that OCR misread by a letter or two (a header line's
    cell no label matches: "กลุ่มทีรับมิดชอบ" for กลุ่มที่รับผิดชอบ, "ระบะ เวลา" for ระยะเวลา):
    the label within a letter per LABEL_SLIPS of the cell, or of its start for a label
    followed by more ("ระบะเวลาดำเนินงาน"). Only for cells of a line already a header."""
    k = compact(text).lower().translate(_TONES)
    if not k or len(k) > MAX_HEADER_CELL:
        return None
    best = None
    for label, role in _SLIP_LABELS:
        if len(label) < MIN_SLIP_LABEL:
            continue
        allowed = max(1, len(label) // LABEL_SLIPS)
        d = min(Levenshtein.distance(label, k), Levenshtein.distance(label, k[:len(label)]))
        if d <= allowed and (best is None or d < best[0]):
            best = (d, role)
    return best[1] if best else None


@dataclass
class TableRow:
    cells: list[str]
    page: int
    line_index: int
    role: str = "project"            # project / group / subtotal / total
    row: Row | None = None           # the model's row (spans, fills, marks) where the reader knows it
    seq: SeqNo | None = None         # the printed sequence number
    group: GroupHeading | None = None   # group rows: the heading; project rows: the group they are in
    strategy_no: int | None = None   # set when a project is made of the row
    project_seq: int | None = None

    def cell(self, i: int | None) -> str:
        if i is None or i >= len(self.cells):
            return ""
        return self.cells[i]

    def marked(self, i: int) -> bool:
        """Does column `i` carry a schedule mark: text, a shaded cell or a drawn bar?"""
        if self.cell(i).strip():
            return True
        c = self.row.at(i) if self.row is not None else None
        return c is not None and not c.covered and (c.shaded or c.marked)


@dataclass
class Table:
    start: int                       # index of the header line
    end: int                         # index one past the last line used
    page: int
    header: list[str]
    roles: list[str | None]
    rows: list[TableRow] = field(default_factory=list)      # project (data) rows
    total: TableRow | None = None    # the table's total row (a grand total where groups have subtotals)
    kind: str = "unknown"            # projects / timeline / grid / unknown
    header_kind: str = "unknown"
    header_lines: list[list[str]] = field(default_factory=list)   # as printed, line by line
    header_rows: list[Row | None] = field(default_factory=list)   # the model's header rows
    items: list[TableRow] = field(default_factory=list)     # every row in order: groups, projects, subtotals
    month_years: dict[int, int] = field(default_factory=dict)    # month column -> BE year printed above it
    block: TableBlock | None = None       # the model's table the header is printed in
    # group rows whose number was not read as printed: (page, kind, number read or None, number taken, why)
    renumbered: list[tuple] = field(default_factory=list)
    grand_total: tuple | None = None     # (printed amount, printed text, sum of the rows) of the
                                         # total row under several groups (a grand total)

    def col(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    def cols(self, role: str) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r == role]

    def month_cols(self) -> dict[int, int]:
        return {i: int(r[5:]) for i, r in enumerate(self.roles) if r and r.startswith("month")}

    def quarter_cols(self) -> dict[int, int]:
        return {i: int(r[7:]) for i, r in enumerate(self.roles) if r and r.startswith("quarter")}

    @property
    def groups(self) -> list[TableRow]:
        return [r for r in self.items if r.role == "group"]

    def subtotal(self, group_no: int | None, upper: frozenset = frozenset()) -> TableRow | None:
        """The subtotal row that closes group `group_no` inside this table. A subtotal that
        names a group of a level above the strategies (a kind in `upper`: "รวมนโยบายที่ ๑" over
        กลยุทธ์ rows) closes that group, never a strategy of the same number."""
        for k, r in enumerate(self.items):
            if r.role != "subtotal":
                continue
            named = subtotal_heading(row_label(r.cells))
            if named is not None:
                if named[1] == group_no and named[0] not in upper:
                    return r
                continue
            before = next((x for x in reversed(self.items[:k]) if x.role in ("project", "group")), None)
            if before is not None and (before.group.no if before.group else None) == group_no:
                return r
        return None

    def parent_subtotal(self, head: TableRow, upper: frozenset) -> TableRow | None:
        """The subtotal row that closes a group row of a level above the strategies (`head`,
        its kind in `upper`): the one that names it ("รวมนโยบายที่ ๑"), else an unnamed one
        printed right after another subtotal (its last strategy's) before the next group of
        that level."""
        k = next(i for i, r in enumerate(self.items) if r is head)
        unnamed = None
        for i in range(k + 1, len(self.items)):
            r = self.items[i]
            if r.role == "group" and r.group is not None and r.group.kind in upper:
                break
            if r.role != "subtotal":
                continue
            named = subtotal_heading(row_label(r.cells))
            if named is not None and named == (head.group.kind, head.group.no):
                return r
            if named is None and self.items[i - 1].role == "subtotal":
                unnamed = r
        return unnamed

    def dated(self, i: int | None) -> bool:
        """Do most of the table's rows hold a date or a period in column `i`?"""
        return i is not None and sum(looks_like_period(r.cell(i)) for r in self.rows) > len(self.rows) / 2

    def period_col(self) -> int | None:
        """The column of one-cell schedules: the one its header names so, or else one no header
        word names whose cells are mostly dates and periods (a scan's "ระยะ เว ล" for ระยะเวลา:
        rayong at 300 dpi lost its 10 schedules)."""
        named = self.col("period")
        if named is not None or self.col("start") is not None or self.col("end") is not None:
            return named
        return next((i for i, role in enumerate(self.roles) if role is None and self.dated(i)), None)

    @property
    def has_schedule(self) -> bool:
        return bool(set(self.roles) & {"period", "start", "end"} or self.month_cols() or self.quarter_cols()
                    or self.period_col() is not None)


def _roles_ok(roles) -> bool:
    have = set(roles)
    if not have & {"seq", "name"}:
        return False
    months = sum(1 for r in roles if r and r.startswith("month"))
    quarters = sum(1 for r in roles if r and r.startswith("quarter"))
    return bool(have & {"group", "budget", "period", "start", "end"}) or months >= MIN_GRID_MONTHS \
        or quarters >= MIN_GRID_QUARTERS


def is_header(line: Line, nxt: Line | None = None) -> list[str | None] | None:
    """The column roles a header line names, or None. A header printed over two rows (its
    labels in the second row under cells merged over them: "พ.ศ. ๒๕๖๖" over ต.ค.-ธ.ค.) is
    recognised with its next line `nxt`, which the table finder then reads as a sub-header."""
    if len(line.cells) < 2:
        return None
    roles = [cell_role(c) for c in line.cells]          # cached: most lines stop here
    if not set(roles) & {"seq", "name"} or "activity" in roles and "name" not in roles:
        return None
    if any(len(compact(c)) > MAX_HEADER_CELL for c in line.cells) or _holds_amount(line.cells):
        return None        # a sentence split at wide gaps ("มีโครงการ... | โครงการ | งบประมาณ 85,450 ...")
    if _roles_ok(roles):
        return _with_misread(roles, line.cells)
    if nxt is None or len(nxt.cells) < 2 or (line.table is not None and nxt.table is not line.table):
        return None
    if printed_number(nxt.cells[0]) is not None:
        return None
    both = [a or b for a, b in zip_longest(roles, (cell_role(c) for c in nxt.cells))]
    return _with_misread(roles, line.cells) if _roles_ok(both) else None


def _with_misread(roles: list, cells: list[str]) -> list:
    """A header's roles, its unlabelled cells given the label OCR misread in them (misread_role)."""
    return [r if r is not None or not c.strip() else misread_role(c) for r, c in zip_longest(roles, cells, fillvalue="")]


def _holds_amount(cells: list[str]) -> bool:
    """Does a line print an amount grouped in thousands? A header labels columns and holds
    none: such a line under a header is the first row, even with nothing in the sequence
    column (an unnumbered plan, or a bullet "-" a scan lost)."""
    return any(_AMOUNT_IN.search(thai_to_arabic(c)) for c in cells)


def _merge_subheader(roles: list, line: Line) -> bool:
    """Second header line (e.g. '\t\tเริ่มต้น\tสิ้นสุด', the month names, ไตรมาส ๑-๔, or the
    parts of a budget merged over sub-columns) fills roles."""
    sub = [cell_role(c) for c in line.cells]
    useful = [r for r in sub if r in {"start", "end", "sum"} or (r and r.startswith(("month", "quarter")))]
    if not useful or printed_number(line.cells[0]) is not None:
        return False
    while len(roles) < len(sub):
        roles.append(None)
    for i, r in enumerate(sub):
        if r and (roles[i] in (None, "period") or roles[i] == r):
            roles[i] = r
    _month_run(roles, line.cells, sub)
    return True


def _month_run(roles: list, cells: list[str], read: list) -> None:
    """Month columns stand side by side, month after month: where most of the month names
    read (`read`, the roles of `cells`) agree on the month of each column, every labelled
    cell of their run (twelve at most) is its month, whatever OCR made of it ("๓.ค." for
    ต.ค., "ม๊.ค." for มี.ค.: a wrapped abbreviation in a narrow cell reads badly)."""
    def free(i: int) -> bool:
        return bool(cells[i].strip()) and (roles[i] in (None, "period") or roles[i].startswith("month"))

    at = {i: int(r[5:]) for i, r in enumerate(read) if r and r.startswith("month")}
    votes = Counter((m - i) % 12 for i, m in at.items())
    if not votes:
        return
    shift, n = votes.most_common(1)[0]
    if n < MIN_MONTH_VOTES or 2 * n <= len(at):
        return
    agree = [i for i, m in at.items() if (m - i) % 12 == shift]
    lo, hi = min(agree), max(agree)
    if hi - lo >= 12 or not all(free(i) for i in range(lo, hi + 1)):
        return
    while hi - lo < 11 and lo > 0 and free(lo - 1):
        lo -= 1
    while hi - lo < 11 and hi + 1 < min(len(cells), len(roles)) and free(hi + 1):
        hi += 1
    for i in range(lo, hi + 1):
        roles[i] = f"month{(i + shift - 1) % 12 + 1}"


def _spans(table: Table, k: int):
    """(first column, column span) of each labelled cell of header line `k`: the model's
    spans where the reader knows them; in text, a label spans the empty cells after it."""
    hrow = table.header_rows[k] if k < len(table.header_rows) else None
    if hrow is not None:
        return [(c.col, c.colspan, c.text) for c in hrow.cells if not c.covered and c.text.strip()]
    cells = table.header_lines[k]
    out = []
    for i, c in enumerate(cells):
        if c.strip():
            j = i + 1
            while j < len(cells) and not cells[j].strip():
                j += 1
            out.append((i, j - i, c))
    return out


def _split_budget(table: Table) -> None:
    """A budget merged over sub-columns: the sub-column labelled รวม is the project's
    budget; without one, every sub-column is a part and the budget is their sum."""
    for k in range(len(table.header_lines) - 1):
        for col, span, text in _spans(table, k):
            if span < 2 or cell_role(text) != "budget":
                continue
            cols = [i for i in range(col, col + span) if i < len(table.roles)]
            total = [i for i in cols if table.roles[i] == "sum"]
            for i in cols:
                table.roles[i] = "budget" if total and i == total[0] else "budget_part"
    table.roles[:] = [None if r == "sum" else r for r in table.roles]


def _month_years(table: Table) -> None:
    """BE years printed over month columns (a cell "พ.ศ. ๒๕๖๖" merged over ต.ค.-ธ.ค.)."""
    months = table.month_cols()
    for hrow in table.header_rows:
        if hrow is None:
            continue
        for c in hrow.cells:
            if c.covered:
                continue
            m = _YEAR.search(thai_to_arabic(compact(c.text)).replace("พ.ศ.", "พ.ศ. "))
            if not m:
                continue
            year = int(m[1] or m[2])
            year = year + 2500 if year < 100 else year
            for i in range(c.col, c.col + c.colspan):
                if i in months:
                    table.month_years[i] = year
    _one_fiscal_year(table.month_years, months)


def _one_fiscal_year(years: dict[int, int], months: dict[int, int]) -> None:
    """The years over a run of month columns belong to one fiscal year (ต.ค.-ธ.ค. the year
    before the rest): a year cell that says otherwise (OCR: "พ.ศ. ๒๕95" over ต.ค.-ธ.ค. beside
    ๒๕๖๗) takes the fiscal year most of the month columns give."""
    fiscal = Counter(y + (1 if months[i] >= FISCAL_FIRST_MONTH else 0) for i, y in years.items())
    if len(fiscal) < 2:
        return
    (best, n), (_, second) = fiscal.most_common(2)
    if n > second:
        for i in years:
            years[i] = best - (1 if months[i] >= FISCAL_FIRST_MONTH else 0)


def _group_row(ln: Line, table: Table) -> GroupHeading | None:
    """A group heading printed as a row of the table: a cell merged across it (or the row's
    only text) that starts with กลยุทธ์ที่ N / นโยบายที่ N / ..."""
    live = [c for c in ln.cells if c.strip()]
    if not live:
        return None
    if len(live) > 1 and (ln.row is None or ln.row.spanning is None):
        return None
    if ln.table is None and table.rows and not table.groups and table.items[-1].role != "subtotal":
        return None    # a heading printed after a table without a total row starts the next group's part
    text = " ".join(live[0].split("\n"))
    head = group_heading(text)
    if head is None and ln.row is not None and ln.row.spanning is not None:
        head = unnumbered_heading(text)      # a merged row whose number a scan lost: _group_numbers
    return head


def _total_kind(cells: list[str], table: "Table | None" = None) -> str | None:
    """'grand' / 'sub' for a total row, else None. A total row's first cell says รวม... —
    or, squeezed into a narrow first column and wrapped ("รว" / "มงบประมาณ"), a
    non-numeric first cell, no name, and an amount."""
    kind = total_kind(row_label(cells))
    if kind:
        return kind
    if table is None or not cells or not cells[0].strip() or parse_seq(cells[0]) is not None:
        return None
    name_col = table.col("name")
    if name_col is None or (name_col < len(cells) and cells[name_col].strip()):
        return None
    return "sub" if compact(cells[0]).startswith("รว") and any(is_amount(c) for c in cells[1:]) else None


def row_label(cells: list[str]) -> str:
    """A row's label: its first printed cell (a total's "รวม...", whatever column it is in)."""
    return next((c for c in cells if c.strip()), "")


def _is_total(cells: list[str], table: "Table | None" = None) -> bool:
    return _total_kind(cells, table) is not None


def _header_kind(roles) -> str:
    have = set(roles)
    if sum(1 for r in roles if r and r.startswith("month")) >= MIN_GRID_MONTHS:
        return "grid"
    if sum(1 for r in roles if r and r.startswith("quarter")) >= MIN_GRID_QUARTERS:
        return "grid"
    if have & {"budget", "budget_part", "group"}:
        return "projects"            # a period column beside them is the projects' schedule
    if have & {"period", "start", "end"}:
        return "timeline"
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
    budget_cols = table.cols("budget") or table.cols("budget_part")
    if budget_cols and sum(1 for r in table.rows if any(is_amount(r.cell(i)) for i in budget_cols)) \
            >= BUDGET_ROW_SHARE * len(table.rows):
        return "projects"       # a project table, whatever schedule column it also has
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


def _repeated_periods(table: Table, cells: list[str]) -> bool:
    """Is a line the table's month (quarter) names printed again over its continuation, read
    otherwise than the first time (OCR)? Enough of them name their columns' periods."""
    same = sum(1 for i, c in enumerate(cells)
               if i < len(table.roles) and (r := cell_role(c)) and r.startswith(("month", "quarter"))
               and r == table.roles[i])
    return same >= MIN_MONTH_VOTES and printed_number(cells[0]) is None


def _next_line(lines: list[Line], i: int) -> Line | None:
    j = i + 1
    while j < len(lines) and lines[j].blank:
        j += 1
    return lines[j] if j < len(lines) else None


def _starts_row(ln: Line, table: Table, seq: SeqNo | None) -> bool:
    """Does a line with no printed number start a new (unnumbered) project row? Only in a
    table that numbers none of its rows: a real row of a ruled or DOCX table does, unless it
    continues a row broken by the page; a printed line of a text or borderless table does
    when it carries an amount in the budget column (a wrapped line carries none)."""
    if seq is not None and seq.bullet:
        return True
    if any(r.seq is not None and r.seq.value is not None for r in table.rows):
        return False
    name_col = table.col("name")
    if name_col is None or not table_cell(ln.cells, name_col).strip():
        return False
    if ln.row is not None and ln.row.real:
        prev = table.items[-1] if table.items else None
        broken = prev is not None and prev.row is not None and prev.row is not ln.row \
            and prev.page != ln.page and prev.role == "project"
        return not broken or bool(_budget_text(ln.cells, table))
    return bool(_budget_text(ln.cells, table)) or not table.rows


def _budget_text(cells: list[str], table: Table) -> str:
    cols = table.cols("budget") or table.cols("budget_part")
    return "".join(cells[i] for i in cols if i < len(cells) and is_amount(cells[i]))


def find_tables(lines: list[Line]) -> list[Table]:
    tables: list[Table] = []
    i, n = 0, len(lines)
    while i < n:
        roles = is_header(lines[i], _next_line(lines, i)) if len(lines[i].cells) > 1 else None
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
                          header_lines=[list(lines[i].cells)], header_rows=[lines[i].row],
                          block=lines[i].table)
        j = i + 1
        while j < n and lines[j].blank:
            j += 1
        if table is prev:
            # the repeated header's own wrapped lines are not the continued row's text
            while j < n and (any(same_header(h, lines[j].cells) for h in table.header_lines[1:])
                             or _repeated_periods(table, lines[j].cells)):
                j += 1
        seq_col = table.col("seq")
        while j < n and not table.rows and table is not prev:   # sub-header or wrapped header lines
            ln = lines[j]
            if _merge_subheader(table.roles, ln):
                table.header += [c for c in ln.cells if c]
                table.header_lines.append(list(ln.cells))
                table.header_rows.append(ln.row)
            elif (len(ln.cells) > 1 and not ln.cells[seq_col or 0].strip() and not _holds_amount(ln.cells)
                  and is_header(ln) is None and not _is_total(ln.cells) and _group_row(ln, table) is None):
                _append_cells(table.header, ln.cells, ln.soft_wrap)
                table.header_lines.append(list(ln.cells))
                table.header_rows.append(ln.row)
                for k, c in enumerate(table.header):
                    if k < len(table.roles) and table.roles[k] is None:
                        table.roles[k] = cell_role(c)
            else:
                break
            j += 1
        if table is not prev:
            _split_budget(table)
            _month_years(table)
        group = table.items[-1].group if table.items else None
        while j < n:
            ln = lines[j]
            if ln.blank or (len(ln.cells) == 1 and _PAGE_NO.match(thai_to_arabic(ln.text))):
                j += 1
                continue
            if is_header(ln) is not None:
                break
            cells = _aligned(ln, table)
            heading = _group_row(ln, table)
            if heading is not None:
                group = heading
                table.items.append(TableRow(list(cells), ln.page, j, role="group", row=ln.row, group=heading))
                j += 1
                table.end = j
                continue
            total = _total_kind(cells, table)
            if total is not None:
                row = TableRow(list(cells), ln.page, j, role="total", row=ln.row, group=group)
                named = subtotal_group(row_label(cells))
                if total == "sub" and (table.groups or named is not None):
                    row.role = "subtotal"
                    table.items.append(row)
                    j += 1
                    table.end = j
                    continue
                table.total = row
                table.items.append(row)
                j += 1
                while j < n and _wraps(lines[j], seq_col):    # its amount wrapped ("3,040,4" / "30")
                    _append_cells(row.cells, lines[j].cells, lines[j].soft_wrap)
                    j += 1
                table.end = j
                break
            if len(cells) < 2:
                break
            seq = parse_seq(table_cell(cells, seq_col))
            if seq is not None and seq.value is not None or _starts_row(ln, table, seq):
                row = TableRow(list(cells), ln.page, j, row=ln.row, seq=seq, group=group)
                table.rows.append(row)
                table.items.append(row)
            elif table.rows and not table_cell(cells, seq_col).strip() and table.items[-1].role == "project":
                last = table.rows[-1]
                _append_cells(last.cells, cells, ln.soft_wrap)   # a wrapped or page-broken row
                if ln.row is not None and last.row is not None and ln.row is not last.row:
                    last.row = _joined_row(last.row, ln.row)
            elif table.items and table.items[-1].role == "subtotal" and _amount_rest(cells, table.items[-1].cells):
                _append_cells(table.items[-1].cells, cells, True)   # its amount broken by the page: digits glue
            else:
                break
            j += 1
            table.end = j
        table.end = max(table.end, j if table.rows else table.end)
        table.header_kind = _header_kind(table.roles)
        table.kind = _content_kind(table)
        _group_numbers(table)
        tables.append(table)
        i = max(table.end, i + 1)
    return tables


def _group_numbers(table: Table) -> None:
    """A group row's number that its own rows and subtotal both give otherwise is misread
    (OCR: "กลยุทธ์ที่ ๕" over rows ๔.๑-๔.๔ and "รวมกลยุทธ์ที่ ๔", after group ๓): the number
    the rows' first parts agree on, when the subtotal (where it names one) says the same and
    it follows the group before. Where the rows are not numbered in groups, the number the
    subtotal names is taken when it follows the group before and the heading's is its
    look-alike (๕ for ๔ in Norasi at 200 dpi: strategy 4's rows went to strategy 5); a group
    row whose number was lost (unnumbered_heading, number 0) takes the subtotal's number, or
    the next after the group before; one that gets none is no group row."""
    before: dict[str, int] = {}       # kind -> the number of the last group row of that kind
    lost = []
    for k, item in enumerate(table.items):
        if item.role != "group" or item.group is None:
            continue
        heading = item.group
        last = before.get(heading.kind)
        own = []
        named = None
        for r in table.items[k + 1:]:
            if r.role == "group":
                break
            if r.role == "project" and r.seq is not None and r.seq.hierarchical:
                own.append(r.seq.parts[0])
            elif r.role == "subtotal":
                sub = subtotal_heading(row_label(r.cells))
                named = sub[1] if sub is not None and sub[0] == heading.kind else None
                break
        want = why = None
        if (own and len(set(own)) == 1 and own[0] != heading.no and named in (None, own[0])
                and (last is None or own[0] == last + 1)):
            want, why = own[0], "its rows' numbers"
        elif not own and named is not None and (last is None or named == last + 1) \
                and (heading.no == 0 or lookalike_numbers(named, heading.no)):
            want, why = named, "its subtotal row"
        elif not own and heading.no == 0 and last is not None and named is None:
            want, why = last + 1, "the group before"
        if want is not None:
            table.renumbered.append((item.page, heading.kind, heading.no or None, want, why))
            fixed = replace(heading, no=want)
            for r in table.items:
                if r.group is heading:
                    r.group = fixed
        elif heading.no == 0:
            lost.append(item)
            continue
        before[item.group.kind] = item.group.no
    for item in lost:
        table.items.remove(item)


def _amount_rest(cells: list[str], above: list[str]) -> bool:
    """Is a line nothing but the rest of the amounts of the row `above` ("50.50" under "969,7":
    a subtotal row broken by the page or wrapped in a narrow column): digits only, each under
    a cell of that row that holds text?"""
    live = [(k, thai_to_arabic(c).strip()) for k, c in enumerate(cells) if c.strip()]
    return bool(live) and all(_AMOUNT_PART.fullmatch(c) and k < len(above) and above[k].strip() for k, c in live)


def _wraps(ln: Line, seq_col: int | None) -> bool:
    """Is a printed line the wrapped rest of the row above it (text and borderless
    tables: nothing in the sequence column, a line of its own, not a real table row)?"""
    return (len(ln.cells) > 1 and not table_cell(ln.cells, seq_col).strip()
            and (ln.row is None or not ln.row.real) and is_header(ln) is None)


def _aligned(ln: Line, table: Table) -> list[str]:
    """A row's cells on the columns of its table's header. A ruled table continued on the
    next page may have other columns there (a page holding only the total row lacks the
    border between ที่ and โครงการ): its cells are placed by their left edges."""
    grid = table.block.xs if table.block is not None else None
    xs = ln.table.xs if ln.table is not None else None
    if grid is None or xs is None or ln.row is None or ln.table is table.block \
            or len(grid) == len(xs) and all(abs(a - b) < COL_SNAP for a, b in zip(grid, xs)):
        return ln.cells
    out = [""] * (len(grid) - 1)
    for c in ln.row.cells:
        if c.covered or c.box is None or not c.text:
            continue
        k = max((i for i in range(len(grid) - 1) if grid[i] - COL_SNAP <= c.box[0]), default=0)
        out[k] = join_wrapped(out[k], c.text, soft=True)
    return out


def table_cell(cells: list[str], col: int | None) -> str:
    i = 0 if col is None else col
    return cells[i] if i < len(cells) else ""


def _joined_row(a: Row, b: Row) -> Row:
    """One row of a row broken over a page: marks and fills of either part count."""
    cells = list(a.cells)
    for c in b.cells:
        mine = a.at(c.col)
        if mine is None:
            cells.append(c)
        elif (c.shaded or c.marked) and not (mine.shaded or mine.marked):
            cells[cells.index(mine)] = c
    return Row(cells, a.page, a.real)
