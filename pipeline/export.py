"""`thaiplan export DIR DATASET|VIEW|"SELECT ..." --format csv|xlsx|json|parquet --to FILE`.

The rows come from the same DuckDB views as `thaiplan sql` (a dataset, an analytic view or a
query); the file is written whole or not at all (output/atomic.py):
- csv: UTF-8 with a byte-order mark, so Excel shows Thai; numbers as plain decimals, dates ISO;
- xlsx (openpyxl): real number cells (money with two decimals) and date cells, a bold header row,
  the header frozen;
- json: an array of records (UTF-8, Thai as is, money as numbers, dates ISO);
- parquet: the query's Arrow table.
"""

import csv
import io
import json
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from output.atomic import atomic_open, write_atomic
from output.schema import DATASETS
from output.warehouse import connect

FORMATS = ("csv", "xlsx", "json", "parquet")
VIEWS = ("project_details", "budget_by_office_year", "projects_by_group", "project_months",
         "strategy_totals", "current_documents", "plans")


class ExportError(Exception):
    """A query or name that cannot be exported; the message is shown as is."""


def _sql(what: str) -> str:
    name = what.strip()
    if name in DATASETS or name in VIEWS:
        return f'SELECT * FROM "{name}"'
    return what


def query_table(out: Path, what: str) -> pa.Table:
    import duckdb
    con = connect(Path(out))
    try:
        return con.sql(_sql(what)).to_arrow_table()
    except (duckdb.Error, AttributeError) as e:
        raise ExportError(f"query failed: {' '.join(str(e).split())}") from None
    finally:
        con.close()


def _plain(v):
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


def _json_value(v):
    if isinstance(v, Decimal):
        return float(v) if v != v.to_integral_value() else int(v)
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


def to_csv(table: pa.Table) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(table.column_names)
    for row in table.to_pylist():
        w.writerow(["" if v is None else _plain(v) for v in row.values()])
    return buf.getvalue().encode("utf-8-sig")


def to_json(table: pa.Table) -> bytes:
    rows = [{k: _json_value(v) for k, v in r.items()} for r in table.to_pylist()]
    return (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def to_xlsx(table: pa.Table, sheet: str = "thaiplan") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    ws.freeze_panes = "A2"
    header = []
    for name in table.column_names:
        c = WriteOnlyCell(ws, value=name)
        c.font = Font(bold=True)
        header.append(c)
    ws.append(header)
    formats = {}
    for field in table.schema:
        t = field.type
        formats[field.name] = ("#,##0.00" if pa.types.is_decimal(t) else
                               "yyyy-mm-dd hh:mm:ss" if pa.types.is_timestamp(t) else
                               "yyyy-mm-dd" if pa.types.is_date(t) else None)
    for row in table.to_pylist():
        cells = []
        for name, v in row.items():
            if isinstance(v, datetime) and v.tzinfo is not None:
                v = v.astimezone(timezone.utc).replace(tzinfo=None)   # Excel has no time zones (UTC)
            elif isinstance(v, (list, dict)):
                v = json.dumps(v, ensure_ascii=False, default=str)
            c = WriteOnlyCell(ws, value=v)
            if formats[name] and v is not None:
                c.number_format = formats[name]
            cells.append(c)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export(out: Path, what: str, fmt: str, target: Path) -> int:
    """Write the rows of `what` to `target` in `fmt`; returns the number of rows."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    table = query_table(out, what)
    target = Path(target)
    if fmt == "parquet":
        with atomic_open(target) as fh:
            pq.write_table(table, fh, compression="zstd")
    else:
        sheet = what.strip() if what.strip() in DATASETS + VIEWS else "query"
        data = {"csv": to_csv, "json": to_json}[fmt](table) if fmt != "xlsx" else to_xlsx(table, sheet)
        write_atomic(target, data)
    return table.num_rows
