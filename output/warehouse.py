"""Read a warehouse folder back with DuckDB: one view per dataset over its Parquet files.

Everything in a warehouse that is not a dataset's Parquet lives under a name starting with `_`
(`_logs/`, `_audit/`, `_report.html`), which pyarrow, pandas, polars and Spark skip, so that any
of them can read the warehouse root or a dataset folder as is. `migrate_layout` moves the
locations of earlier versions (`logs/`, `audit/`, `report.html`) there.
"""

from importlib import resources
from pathlib import Path

import duckdb

from output.schema import DATASETS


LOGS_DIR = "_logs"
AUDIT_DIR = "_audit"
REPORT_FILE = "_report.html"
_OLD_NAMES = {"logs": LOGS_DIR, "audit": AUDIT_DIR, "report.html": REPORT_FILE}


def migrate_layout(out: Path) -> None:
    """Move the non-data files of an earlier layout under their `_` names (a folder whose new
    name exists already is merged into it)."""
    import shutil

    from output.atomic import move
    out = Path(out)
    for old, new in _OLD_NAMES.items():
        src, dst = out / old, out / new
        if not src.exists():
            continue
        if not dst.exists():
            move(src, dst)
        elif src.is_dir() and dst.is_dir():
            for item in src.iterdir():
                if not (dst / item.name).exists():
                    move(item, dst / item.name)
            shutil.rmtree(src, ignore_errors=True)
        else:
            src.unlink()                     # an old report.html beside a newer _report.html


def dataset_glob(out: Path, dataset: str) -> str:
    return str(Path(out) / dataset / "*" / "*.parquet")


def connect(out: Path) -> duckdb.DuckDBPyConnection:
    """In-memory DuckDB with a view per dataset that has files (empty views otherwise)."""
    from output.schema import SCHEMAS
    con = duckdb.connect()
    out = Path(out)
    for ds in DATASETS:
        if any((out / ds).glob("*/*.parquet")):
            source = (f"read_parquet('{dataset_glob(out, ds)}', hive_partitioning = true, "
                      f"union_by_name = true)")
            have = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
            # columns added since some files were written read as NULL there, and everywhere
            missing = "".join(f', CAST(NULL AS {_duck_type(f.type)}) AS "{f.name}"'
                              for f in SCHEMAS[ds] if f.name not in have)
            con.execute(f"CREATE VIEW {ds} AS SELECT *{missing} FROM {source}")
        else:
            cols = ", ".join(f'CAST(NULL AS {_duck_type(f.type)}) AS "{f.name}"' for f in SCHEMAS[ds])
            con.execute(f"CREATE VIEW {ds} AS SELECT {cols}, CAST(NULL AS BIGINT) AS fiscal_year_be "
                        f"WHERE false")
    con.execute(resources.files("output").joinpath("views.sql").read_text("utf-8"))
    return con


def _duck_type(t) -> str:
    import pyarrow as pa
    if pa.types.is_decimal(t):
        return f"DECIMAL({t.precision},{t.scale})"
    if pa.types.is_date(t):
        return "DATE"
    if pa.types.is_timestamp(t):
        return "TIMESTAMPTZ"
    if pa.types.is_floating(t):
        return "DOUBLE"
    if pa.types.is_integer(t):
        return "BIGINT"
    return "VARCHAR"


def rows_for(con, dataset: str, doc_id: str) -> list[dict]:
    cur = con.execute(f"SELECT * FROM {dataset} WHERE doc_id = ?", [doc_id])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]
