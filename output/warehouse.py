"""Read a warehouse folder back with DuckDB: one view per dataset over its Parquet files."""

from importlib import resources
from pathlib import Path

import duckdb

from output.schema import DATASETS


def dataset_glob(out: Path, dataset: str) -> str:
    return str(Path(out) / dataset / "*" / "*.parquet")


def connect(out: Path) -> duckdb.DuckDBPyConnection:
    """In-memory DuckDB with a view per dataset that has files (empty views otherwise)."""
    from output.schema import SCHEMAS
    con = duckdb.connect()
    out = Path(out)
    for ds in DATASETS:
        if any((out / ds).glob("*/*.parquet")):
            con.execute(
                f"CREATE VIEW {ds} AS SELECT * FROM read_parquet('{dataset_glob(out, ds)}', "
                f"hive_partitioning = true, union_by_name = true)")
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
