"""Timeline rows (project periods) from timeline tables, in both common forms:

- start/end columns ("เริ่มต้น" / "สิ้นสุด", or a single "ระยะเวลา" cell holding a range);
  when the header is wrong (a continuation page printed under the budget table's header),
  the columns are taken from where the dates are;
- a month grid (columns ต.ค. ... ก.ย.; a mark in each active month): the period runs from
  the first day of the first marked month to the last day of the last, precision "month",
  years taken from the fiscal year (ต.ค.-ธ.ค. belong to the year before).
Dates that cannot exist are kept raw, with the reason, for an INVALID_DATE finding.
"""

import calendar
from datetime import date

from extractors.tables import Table
from normalizers import Rejected
from normalizers.dates import (BE_OFFSET, MONTH_ABBR_PRINT, QUARTER_MONTHS, parse_period,
                               parse_thai_date)
from normalizers.numbering import parse_seq
from datamodel.records import TimelineRow

FISCAL_MONTH_ORDER = [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]


def _date_columns(table: Table) -> tuple[int | None, int | None]:
    start, end = table.col("start"), table.col("end")
    dated = table.dated
    if dated(start) and dated(end):
        return start, end
    skip = {table.col("seq"), table.col("name")}
    width = max((len(r.cells) for r in table.rows), default=0)
    cols = [i for i in range(width) if i not in skip and dated(i)]
    if len(cols) >= 2:
        return cols[0], cols[1]
    if len(cols) == 1:
        return cols[0], None
    return None, None


def _seq(row, col, fallback):
    seq = parse_seq(row.cell(col if col is not None else 0))
    return seq.value if seq is not None and seq.value is not None and not seq.hierarchical else fallback


def _period_row(tl: TimelineRow, raw: str, fiscal_year_be: int | None) -> TimelineRow:
    """A schedule printed in one cell: a range, ตลอดปีงบประมาณ, ไตรมาส ๒-๓, or one date."""
    tl.start_raw = tl.end_raw = raw or None
    try:
        p = parse_period(raw, fiscal_year_be)
    except Rejected as err:
        tl.start_error = tl.end_error = str(err)
        return tl
    tl.start, tl.end = (p.start.value if p.start else None), (p.end.value if p.end else None)
    tl.start_error, tl.end_error = p.start_error, p.end_error
    kinds = [x.precision for x in (p.start, p.end) if x is not None]
    tl.precision = ("day" if all(k == "day" for k in kinds) else "month") if kinds else None
    return tl


def _dated_rows(table: Table, first_seq: int, fiscal_year_be: int | None) -> list[TimelineRow]:
    start_col, end_col = _date_columns(table)
    name_col = table.col("name") if table.col("name") is not None else 1
    out = []
    for k, row in enumerate(table.rows):
        tl = TimelineRow(seq=_seq(row, table.col("seq"), first_seq + k), name_raw=row.cell(name_col),
                         start_raw=row.cell(start_col) or None, end_raw=row.cell(end_col) or None,
                         page=row.page)
        if end_col is None:
            out.append(_period_row(tl, row.cell(start_col), fiscal_year_be))
        else:
            out.append(_start_end(tl))
    return out


def _start_end(tl: TimelineRow) -> TimelineRow:
    """Start and end printed in two cells, each parsed on its own."""
    precisions = []
    for attr, raw, as_end in (("start", tl.start_raw, False), ("end", tl.end_raw, True)):
        if not raw:
            setattr(tl, f"{attr}_error", "no date printed")
            continue
        try:
            parsed = parse_thai_date(raw, as_end=as_end)
            setattr(tl, attr, parsed.value)
            precisions.append(parsed.precision)
        except Rejected as err:
            setattr(tl, f"{attr}_error", str(err))
    if precisions:
        tl.precision = "day" if all(p == "day" for p in precisions) else "month"
    return tl


def _marked_months(table: Table, row) -> list[tuple[int, int]]:
    """(month, BE year or None) of the months a row marks, in fiscal order; quarter columns
    mark their three months."""
    months = [(m, table.month_years.get(i)) for i, m in table.month_cols().items() if row.marked(i)]
    for i, q in table.quarter_cols().items():
        if row.marked(i):
            first, last = QUARTER_MONTHS[q]
            months += [(first, None), (last, None)]
    return sorted(months, key=lambda t: FISCAL_MONTH_ORDER.index(t[0]))


def _grid_rows(table: Table, first_seq: int, fiscal_year_be: int | None) -> list[TimelineRow]:
    name_col = table.col("name") if table.col("name") is not None else 1
    return [_grid_row(table, row, _seq(row, table.col("seq"), first_seq + k), row.cell(name_col), fiscal_year_be)
            for k, row in enumerate(table.rows)]


def _grid_row(table: Table, row, seq: int, name: str, fiscal_year_be: int | None) -> TimelineRow:
    """Marked months (text, shading or a drawn bar) -> first day of the first .. last day of
    the last, precision month; years from the cells printed over the months, else from
    the fiscal year (ต.ค.-ธ.ค. belong to the year before)."""
    marked = _marked_months(table, row)
    tl = TimelineRow(seq=seq, name_raw=name, start_raw=None, end_raw=None, page=row.page, precision="month")
    if not marked:
        tl.start_error = tl.end_error = "no month marked"
        return tl
    (first, y1), (last, y2) = marked[0], marked[-1]
    if fiscal_year_be is None and (y1 is None or y2 is None):
        tl.start_error = tl.end_error = "month grid without a known fiscal year"
        return tl
    y1 = y1 or fiscal_year_be - (1 if first >= 10 else 0)
    y2 = y2 or fiscal_year_be - (1 if last >= 10 else 0)
    tl.start_raw = f"{MONTH_ABBR_PRINT[first - 1]} {y1}"
    tl.end_raw = f"{MONTH_ABBR_PRINT[last - 1]} {y2}"
    tl.start = date(y1 - BE_OFFSET, first, 1)
    tl.end = date(y2 - BE_OFFSET, last, calendar.monthrange(y2 - BE_OFFSET, last)[1])
    return tl


def _project_schedules(table: Table, fiscal_year_be: int | None) -> list[TimelineRow]:
    """The schedule of each project row of a project table that prints one (a period
    column, start/end columns, or month/quarter columns), linked to its project."""
    name_col = table.col("name") if table.col("name") is not None else 1
    period = table.period_col()
    out = []
    for row in table.rows:
        name = row.cell(name_col)
        if table.month_cols() or table.quarter_cols():
            tl = _grid_row(table, row, 0, name, fiscal_year_be)
        else:
            tl = TimelineRow(seq=0, name_raw=name, start_raw=None, end_raw=None, page=row.page)
            if period is not None:
                _period_row(tl, row.cell(period), fiscal_year_be)
            else:
                tl.start_raw = row.cell(table.col("start")) or None
                tl.end_raw = row.cell(table.col("end")) or None
                _start_end(tl)
        tl.strategy_no, tl.project_seq, tl.link_score = row.strategy_no, row.project_seq, 1.0
        tl.printed_seq = row.seq.value if row.seq is not None and not row.seq.hierarchical else None
        out.append(tl)
    return out


def extract_timeline(tables: list[Table], fiscal_year_be: int | None) -> list[TimelineRow]:
    """Schedule tables' rows, and the schedules printed in project tables. A project
    table's schedule row takes the project's printed number when those numbers are unique
    in the plan, else its order in the document."""
    rows: list[TimelineRow] = []
    for t in tables:
        if t.kind == "projects" or t.kind == "grid" and (t.col("budget") is not None or t.col("group") is not None):
            if t.has_schedule:
                rows.extend(_project_schedules(t, fiscal_year_be))
        elif t.kind == "timeline":
            rows.extend(_dated_rows(t, len(rows) + 1, fiscal_year_be))
        elif t.kind == "grid":
            rows.extend(_grid_rows(t, len(rows) + 1, fiscal_year_be))
    printed = [r.printed_seq for r in rows if r.seq == 0]
    unique = None not in printed and len(set(printed)) == len(printed)
    for k, r in enumerate(rows, start=1):
        if r.seq == 0:
            r.seq = r.printed_seq if unique else k
    return rows


def sheet_schedules(sheets, fiscal_year_be: int | None, first_seq: int) -> list[TimelineRow]:
    """The ระยะเวลาดำเนินการ of each project detail sheet, in document order."""
    out = []
    for sh in sheets:
        if sh.period:
            tl = TimelineRow(seq=first_seq + len(out), name_raw=sh.name, start_raw=None, end_raw=None, page=sh.page)
            out.append(_period_row(tl, sh.period, fiscal_year_be))
    return out


PLAUSIBLE_YEARS = 5      # a schedule date further than this many years from the fiscal year is misread


def reject_implausible(rows: list[TimelineRow], fiscal_year_be: int | None) -> None:
    """A date whose year cannot belong to the plan (OCR: ๖๗ read as ๒๓, 2523 in a 2568 plan)
    is not a date of the plan: it becomes null with its reason (an INVALID_DATE finding),
    never a date decades away. Dates a year or two off stay (DATE_OUTSIDE_FY)."""
    if fiscal_year_be is None:
        return
    for r in rows:
        for attr in ("start", "end"):
            d = getattr(r, attr)
            if d is not None and abs(d.year + BE_OFFSET - fiscal_year_be) > PLAUSIBLE_YEARS:
                setattr(r, attr, None)
                setattr(r, f"{attr}_error", f"implausible year {d.year + BE_OFFSET} in a plan for fiscal "
                                            f"year {fiscal_year_be}")
