"""Read a warehouse folder back with DuckDB: one view per dataset over its Parquet files.

Everything in a warehouse that is not a dataset's Parquet lives under a name starting with `_`
(`_logs/`, `_audit/`, `_report.html`), which pyarrow, pandas, polars and Spark skip, so that any
of them can read the warehouse root or a dataset folder as is. `migrate_layout` moves the
locations of earlier versions (`logs/`, `audit/`, `report.html`) there.

The files are listed and checked here (a file that is not readable Parquet, or whose columns
are not the dataset's, is skipped with a warning naming it) and handed to DuckDB as pyarrow
datasets: no path is ever pasted into SQL text, and DuckDB itself opens no file. After the
views exist the connection is locked down (no file access, no ATTACH, no COPY ... TO, settings
frozen), so `thaiplan sql` can only read the warehouse.
"""

import sys
from importlib import resources
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from output.schema import DATASETS, PARTITION, SCHEMAS

PARTITION_TYPE = pa.int64()
READ_ONLY_SETTINGS = ("SET enable_external_access = false", "SET lock_configuration = true")


def warn_stderr(message: str) -> None:
    print(f"thaiplan: warning: {message}", file=sys.stderr)


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


def _unreadable(e: Exception) -> str:
    return f"not a readable Parquet file ({' '.join(str(e).split())[:120]})"


def _foreign_schema(schema: pa.Schema, dataset: str) -> str | None:
    """Why a file with this schema is not a file of `dataset` (None when it is one)."""
    want = SCHEMAS[dataset]
    if "doc_id" not in schema.names:
        return f"not a {dataset} file (no doc_id column)"
    for name in schema.names:
        if name in want.names and schema.field(name).type != want.field(name).type:
            return f"not a {dataset} file (column {name} is {schema.field(name).type})"
    return None


def _foreign(path: Path, dataset: str) -> str | None:
    """Why `path` is not a file of `dataset` (None when it is one)."""
    try:
        schema = pq.read_schema(path)
    except Exception as e:  # noqa: BLE001 - any unreadable file is skipped, never fatal
        return _unreadable(e)
    return _foreign_schema(schema, dataset)


def partition_value(path: Path) -> int | None:
    """The fiscal year a dataset file's folder names (`fiscal_year_be=2567`; None for the default
    partition or a folder that names none)."""
    name, _, value = Path(path).parent.name.partition("=")
    return int(value) if name == PARTITION and value.isdigit() else None


def read_columns(out: Path, dataset: str, columns, warn=warn_stderr):
    """The dataset's rows as dicts of `columns` only (PARTITION from the folder name; a column a
    file lacks, such as one added later, reads as None), one file at a time: a re-run over a
    warehouse of many thousands of documents holds the rows it asked for and no more (a pyarrow
    dataset over as many files holds about 0.1 MB a file while it scans). Files that are not
    the dataset's are skipped with a warning, as in `dataset_files`."""
    columns = list(columns)
    stored = [c for c in columns if c != PARTITION]
    for f in sorted((Path(out) / dataset).glob(f"{PARTITION}=*/*.parquet")):
        try:
            with pq.ParquetFile(f) as pf:       # read in this thread, as output.store.read_small
                reason = _foreign_schema(pf.schema_arrow, dataset)
                if reason is None:
                    names = pf.schema_arrow.names
                    table = pf.read(columns=[c for c in stored if c in names], use_threads=False)
        except Exception as e:  # noqa: BLE001 - a damaged file is skipped, never fatal
            reason = _unreadable(e)
        if reason:
            warn(f"skipping {f}: {reason}")
            continue
        fiscal_year = partition_value(f)
        data = table.to_pydict()
        for i in range(table.num_rows):
            yield {c: fiscal_year if c == PARTITION else data[c][i] if c in data else None for c in columns}


def dataset_files(out: Path, dataset: str, warn=warn_stderr) -> list[Path]:
    """The dataset's Parquet files that can be read as such; the others are reported by `warn`."""
    good = []
    for f in sorted((Path(out) / dataset).glob(f"{PARTITION}=*/*.parquet")):
        reason = _foreign(f, dataset)
        if reason:
            warn(f"skipping {f}: {reason}")
        else:
            good.append(f)
    return good


def arrow_dataset(out: Path, dataset: str, warn=warn_stderr) -> "pyarrow.dataset.Dataset":
    """The dataset's readable files as one pyarrow dataset: the schema of output/schema.py
    (columns a file lacks, such as ones added later, read as NULL) plus the partition column.
    pyarrow.dataset is imported here, not with the module: `extract` never needs it (0.4 s)."""
    import pyarrow.dataset as pds
    partitioning = pds.partitioning(pa.schema([(PARTITION, PARTITION_TYPE)]), flavor="hive")
    schema = SCHEMAS[dataset].append(pa.field(PARTITION, PARTITION_TYPE))
    files = [str(f) for f in dataset_files(out, dataset, warn)]
    return pds.dataset(files, schema=schema, format="parquet", partitioning=partitioning,
                       partition_base_dir=str(Path(out) / dataset))


def connect(out: Path, warn=warn_stderr):
    """In-memory DuckDB with a view per dataset (empty views for datasets without files) and
    the analytic views of views.sql; read-only from then on. (DuckDB is imported here: an
    extract run never needs it, and it costs a second of start-up.)"""
    import duckdb
    con = duckdb.connect()
    out = Path(out)
    for ds in DATASETS:
        con.register(f"{ds}_files", arrow_dataset(out, ds, warn))
        con.execute(f"CREATE VIEW {ds} AS SELECT * FROM {ds}_files")
    con.execute(resources.files("output").joinpath("views.sql").read_text("utf-8"))
    for statement in READ_ONLY_SETTINGS:
        con.execute(statement)
    return con


def rows_for(con, dataset: str, doc_id: str) -> list[dict]:
    cur = con.execute(f"SELECT * FROM {dataset} WHERE doc_id = ?", [doc_id])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]
