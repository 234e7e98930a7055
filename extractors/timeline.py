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
from normalizers.dates import (BE_OFFSET, MONTH_ABBR_PRINT, looks_like_date, parse_date_range,
                               parse_thai_date)
from normalizers.digits import thai_to_arabic
from datamodel.records import TimelineRow

FISCAL_MONTH_ORDER = [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]


def _date_columns(table: Table) -> tuple[int | None, int | None]:
    start, end = table.col("start"), table.col("end")
    def dated(i):
        return i is not None and sum(looks_like_date(r.cell(i)) for r in table.rows) > len(table.rows) / 2
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
    t = thai_to_arabic(row.cell(col if col is not None else 0)).strip().rstrip(".")
    return int(t) if t.isdigit() else fallback


def _dated_rows(table: Table, first_seq: int) -> list[TimelineRow]:
    start_col, end_col = _date_columns(table)
    name_col = table.col("name") if table.col("name") is not None else 1
    out = []
    for k, row in enumerate(table.rows):
        tl = TimelineRow(seq=_seq(row, table.col("seq"), first_seq + k), name_raw=row.cell(name_col),
                         start_raw=row.cell(start_col) or None, end_raw=row.cell(end_col) or None,
                         page=row.page)
        if end_col is None and tl.start_raw:
            tl.end_raw = tl.start_raw
            try:
                s, e = parse_date_range(tl.start_raw)
                tl.start, tl.end = s.value, e.value
                tl.precision = "day" if s.precision == e.precision == "day" else "month"
            except Rejected as err:
                tl.start_error = tl.end_error = str(err)
            out.append(tl)
            continue
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
        out.append(tl)
    return out


def _grid_rows(table: Table, first_seq: int, fiscal_year_be: int | None) -> list[TimelineRow]:
    months = table.month_cols()
    name_col = table.col("name") if table.col("name") is not None else 1
    out = []
    for k, row in enumerate(table.rows):
        marked = [m for i, m in months.items() if row.cell(i).strip()]
        marked.sort(key=FISCAL_MONTH_ORDER.index)
        tl = TimelineRow(seq=_seq(row, table.col("seq"), first_seq + k), name_raw=row.cell(name_col),
                         start_raw=None, end_raw=None, page=row.page, precision="month")
        if not marked:
            tl.start_error = tl.end_error = "no month marked"
        elif fiscal_year_be is None:
            tl.start_error = tl.end_error = "month grid without a known fiscal year"
        else:
            first, last = marked[0], marked[-1]
            y1 = fiscal_year_be - (1 if first >= 10 else 0)
            y2 = fiscal_year_be - (1 if last >= 10 else 0)
            tl.start_raw = f"{MONTH_ABBR_PRINT[first - 1]} {y1}"
            tl.end_raw = f"{MONTH_ABBR_PRINT[last - 1]} {y2}"
            tl.start = date(y1 - BE_OFFSET, first, 1)
            tl.end = date(y2 - BE_OFFSET, last, calendar.monthrange(y2 - BE_OFFSET, last)[1])
        out.append(tl)
    return out


def extract_timeline(tables: list[Table], fiscal_year_be: int | None) -> list[TimelineRow]:
    rows: list[TimelineRow] = []
    for t in tables:
        if t.kind == "timeline":
            rows.extend(_dated_rows(t, len(rows) + 1))
        elif t.kind == "grid":
            rows.extend(_grid_rows(t, len(rows) + 1, fiscal_year_be))
    return rows
