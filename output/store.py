"""Write one document's datasets as Hive-partitioned Parquet, atomically.

Layout: DIR/<dataset>/fiscal_year_be=<YYYY>/<doc_id>.parquet. Each file is written to a
temporary name in its final folder, flushed to disk, then renamed over the old one
(output/atomic.py), so a reader sees the old file or the new one, never half of one. File names come from
`doc_id` alone (hex SHA-256), never from the input path. A re-run of the same document
replaces its files and removes its files in other partitions (the fiscal year may have
changed), so rows are never duplicated. `documents` is written last: its file marks a
completely written document (a re-run removes it before its new files are renamed in, so a
write cut off half-way leaves a document without its `documents` file, which `remove_orphans`
clears, never old and new rows mixed under the old `documents` row).

Durability: a file is flushed to disk before it is renamed in, so that a power cut never
leaves a renamed but empty file. A local batch does that once for all its files: it opens an
unsynced window (`begin_unsynced`: DIR/_unsynced, itself on disk before any file of the batch
is written), its workers rename their files in unflushed, and `end_unsynced` flushes the file
system once and removes the mark (measured on the bench corpus: 7 flushes a document took
1-3 ms each, 10-25% of the batch). A batch that did not end (power cut, kill -9) leaves the
mark: the next run reads back every data file written since it was made and removes the
documents with a damaged one, so that they are extracted again (`damaged_documents`).
"""

import fcntl
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import regex

from output.atomic import AtomicGroup, is_temporary, sync_filesystem, sync_folder, write_atomic
from output.schema import DATASETS, DEFAULT_PARTITION, PARTITION, SCHEMAS

_DOC_ID = regex.compile(r"^[0-9a-f]{64}$")
LOCK_NAME = "_lock"     # DIR/_lock: held (flock) by the one run that writes the warehouse
UNSYNCED_NAME = "_unsynced"     # DIR/_unsynced: files written since it was made may not be on disk yet
MTIME_SLACK_S = 2.0     # files this much older than the mark are checked too (coarse clocks)


class WarehouseBusy(Exception):
    """Another process holds the warehouse's lock."""

    def __init__(self, out: Path, pid: str):
        super().__init__(f"warehouse {out} in use by PID {pid or '?'} (another thaiplan extract or audit); "
                         "try again when it has finished")


def partition_dir(fiscal_year_be: int | None) -> str:
    return f"{PARTITION}={DEFAULT_PARTITION if fiscal_year_be is None else int(fiscal_year_be)}"


def to_table(dataset: str, rows: list[dict]) -> pa.Table:
    schema = SCHEMAS[dataset]
    return pa.Table.from_pydict({k: [r.get(k) for r in rows] for k in schema.names}, schema=schema)


# No dictionary pages: a document's file holds a few dozen rows, where dictionaries make the
# file larger (measured: 57 kB vs 54 kB a document) and writing twice as slow.
PARQUET_OPTIONS = {"compression": "zstd", "use_dictionary": False}


def _write_table(table: pa.Table, where) -> None:
    pq.write_table(table, where, **PARQUET_OPTIONS)


def read_small(path: Path, columns=None) -> pa.Table:
    """A document's file (a few dozen rows) read in this thread: pyarrow's thread pools cost
    more than the read and make the memory a batch holds depend on timing."""
    with pq.ParquetFile(path) as pf:
        return pf.read(columns=columns, use_threads=False)


def write_parquet_group(files: list[tuple[pa.Table, Path]], sync: bool = True) -> None:
    """Several Parquet files that appear together and in order (the last one last), flushed in
    one pass (output/atomic.py: AtomicGroup; not flushed inside an unsynced window: `sync`)."""
    with AtomicGroup(sync) as group:
        for table, path in files:
            _write_table(table, group.temporary(path))
        group.commit()


def existing_files(out: Path, dataset: str, doc_id: str) -> list[Path]:
    """The document's files of `dataset`, in whichever partition they are."""
    base = Path(out) / dataset
    try:
        parts = os.listdir(base)
    except OSError:
        return []
    name = f"{doc_id}.parquet"
    return [base / p / name for p in parts if p.startswith(f"{PARTITION}=") and os.path.isfile(base / p / name)]


def write_document(out: Path, doc_id: str, fiscal_year_be: int | None,
                   rows: dict[str, list[dict]], sync: bool = True) -> None:
    """The document's files, `documents` last; each flushed before it is renamed in, unless
    `sync` is off (inside an unsynced window, which flushes them all at its end)."""
    if not _DOC_ID.match(doc_id):
        raise ValueError(f"doc_id must be a hex SHA-256, got {doc_id!r}")
    out = Path(out)
    part = partition_dir(fiscal_year_be)
    order = sorted(DATASETS, key=lambda d: d == "documents")

    def drop_others(dataset: str, keep: Path | None) -> None:
        for old in existing_files(out, dataset, doc_id):
            if old != keep:
                old.unlink(missing_ok=True)
    with AtomicGroup(sync) as group:
        for dataset in order:
            data = rows.get(dataset, [])
            if data:
                _write_table(to_table(dataset, data), group.temporary(out / dataset / part / f"{doc_id}.parquet"))
        # a re-run: the document is incomplete (no `documents` file) until it is written again;
        # the datasets without rows lose their old files, then each written file replaces its
        # old copies (other partitions: the fiscal year may have changed); documents last
        drop_others("documents", None)
        for dataset in order:
            if not rows.get(dataset):
                drop_others(dataset, None)
        group.commit(lambda target: drop_others(target.parent.parent.name, target))


def remove_document(out: Path, doc_id: str) -> None:
    """Remove every file of one document (a write that failed half-way leaves none behind)."""
    for dataset in sorted(DATASETS, key=lambda d: d != "documents"):
        for old in existing_files(Path(out), dataset, doc_id):
            old.unlink(missing_ok=True)


def remove_orphans(out: Path) -> int:
    """Remove the files of documents that have no `documents` file (a run interrupted while it
    wrote them: `documents` is written last). Returns how many files were removed."""
    out = Path(out)
    done = {f.stem for f in (out / "documents").glob(f"{PARTITION}=*/*.parquet")}
    removed = 0
    for dataset in DATASETS:
        if dataset == "documents":
            continue
        for f in (out / dataset).glob(f"{PARTITION}=*/*.parquet"):
            if _DOC_ID.match(f.stem) and f.stem not in done:
                f.unlink(missing_ok=True)
                removed += 1
    return removed


def lock_warehouse(out: Path) -> int:
    """Take the warehouse's lock (flock on DIR/_lock, which records the holder's PID) and return
    its descriptor; raises WarehouseBusy when another process holds it, OSError when DIR cannot
    be created or written (a file, a read-only file system)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        os.close(fd)
        raise WarehouseBusy(out, pid) from None
    except OSError:
        os.close(fd)
        raise
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    return fd


def unlock_warehouse(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def damaged_documents(out: Path, since: float) -> set[str]:
    """doc_ids with a data file modified at or after `since` (epoch seconds) that cannot be read
    back whole: what a power cut leaves of files renamed in before they reached the disk (empty,
    cut short, zeros)."""
    damaged = set()
    for dataset in DATASETS:
        base = Path(out) / dataset
        try:
            parts = [e for e in os.scandir(base) if e.is_dir() and e.name.startswith(f"{PARTITION}=")]
        except OSError:
            continue
        for part in parts:
            for entry in os.scandir(part.path):
                stem = entry.name[:-len(".parquet")]
                if not (entry.name.endswith(".parquet") and _DOC_ID.match(stem)) or stem in damaged:
                    continue
                try:
                    if entry.stat().st_mtime < since:
                        continue
                    read_small(Path(entry.path))
                except Exception:  # noqa: BLE001 - any failure to read it back means damaged
                    damaged.add(stem)
    return damaged


def begin_unsynced(out: Path) -> list[str]:
    """Open the unsynced window (see the module's docstring); when the last one was never closed,
    first remove the documents it left damaged and flush what it left intact. Returns the doc_ids
    removed (they are extracted again when they are among the inputs)."""
    out = Path(out)
    mark = out / UNSYNCED_NAME
    damaged: list[str] = []
    if mark.exists():
        damaged = sorted(damaged_documents(out, mark.stat().st_mtime - MTIME_SLACK_S))
        for doc_id in damaged:
            remove_document(out, doc_id)
        sync_filesystem(out)
    write_atomic(mark, f"{os.getpid()}\n")      # its time is the window's start
    sync_folder(out)                            # on disk before the first unflushed file
    return damaged


def end_unsynced(out: Path) -> None:
    """Close the window: everything written is flushed to disk, then the mark goes."""
    out = Path(out)
    sync_filesystem(out)
    (out / UNSYNCED_NAME).unlink(missing_ok=True)


def clean_temporaries(out: Path) -> None:
    """Temporary files a killed run left behind in the warehouse: beside the datasets' files,
    the audit's files and report.html (never read: they are hidden and not *.parquet)."""
    out = Path(out)
    if out.is_dir():
        for pattern in (".*.tmp", "*/.*.tmp", "*/*/.*.tmp"):
            for tmp in out.glob(pattern):
                if is_temporary(tmp):
                    tmp.unlink(missing_ok=True)
