"""Write one document's datasets as Hive-partitioned Parquet, atomically.

Layout: DIR/<dataset>/fiscal_year_be=<YYYY>/<doc_id>.parquet. Each file is written to a
temporary name in its final folder, flushed to disk, then renamed over the old one
(output/atomic.py), so a reader sees the old file or the new one, never half of one. File names come from
`doc_id` alone (hex SHA-256), never from the input path. A re-run of the same document
replaces its files and removes its files in other partitions (the fiscal year may have
changed), so rows are never duplicated. `documents` is written last: its file marks a
completely written document.
"""

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import regex

from output.atomic import atomic_open, is_temporary
from output.schema import DATASETS, DEFAULT_PARTITION, PARTITION, SCHEMAS

_DOC_ID = regex.compile(r"^[0-9a-f]{64}$")


def partition_dir(fiscal_year_be: int | None) -> str:
    return f"{PARTITION}={DEFAULT_PARTITION if fiscal_year_be is None else int(fiscal_year_be)}"


def to_table(dataset: str, rows: list[dict]) -> pa.Table:
    schema = SCHEMAS[dataset]
    return pa.Table.from_pylist([{k: r.get(k) for k in schema.names} for r in rows], schema=schema)


def write_parquet(table: pa.Table, path: Path) -> None:
    """One Parquet file, written atomically (output/atomic.py)."""
    with atomic_open(path) as fh:
        pq.write_table(table, fh, compression="zstd")


def existing_files(out: Path, dataset: str, doc_id: str) -> list[Path]:
    return list((out / dataset).glob(f"{PARTITION}=*/{doc_id}.parquet"))


def write_document(out: Path, doc_id: str, fiscal_year_be: int | None,
                   rows: dict[str, list[dict]]) -> None:
    if not _DOC_ID.match(doc_id):
        raise ValueError(f"doc_id must be a hex SHA-256, got {doc_id!r}")
    out = Path(out)
    part = partition_dir(fiscal_year_be)
    for dataset in sorted(DATASETS, key=lambda d: d == "documents"):
        target = out / dataset / part / f"{doc_id}.parquet"
        data = rows.get(dataset, [])
        if data:
            write_parquet(to_table(dataset, data), target)
        for old in existing_files(out, dataset, doc_id):
            if old != target or not data:
                old.unlink(missing_ok=True)


def clean_temporaries(out: Path) -> None:
    """Temporary files a killed run left behind in the warehouse: beside the datasets' files,
    the audit's files and report.html (never read: they are hidden and not *.parquet)."""
    out = Path(out)
    if out.is_dir():
        for pattern in (".*.tmp", "*/.*.tmp", "*/*/.*.tmp"):
            for tmp in out.glob(pattern):
                if is_temporary(tmp):
                    tmp.unlink(missing_ok=True)
