"""The one way thaiplan writes an output file: whole or not at all.

The data goes to a temporary name in the target's folder (`.<name>.<random hex>.tmp`, never
read as output: it is hidden and does not end in the output's suffix), is flushed and
fsync'ed, then renamed over the target, so a reader sees the old file or the new one, never
half of one. A failed write removes its temporary file; the temporaries a killed process
left behind are found by `is_temporary` and removed at the next start
(`output.store.clean_temporaries`). Parquet files, the audit's files and report.html all
go through here.

A batch may skip the flush of each file (`AtomicGroup(sync=False)`) when it flushes the whole
warehouse once at its end instead (`sync_filesystem`; output/store.py: the unsynced window).
"""

import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

import regex

_TEMPORARY = regex.compile(r"^\..+\.[0-9a-f]{32}\.tmp$")


def temporary_name(path: Path) -> Path:
    """A fresh temporary name beside `path` (distinct for every writer, so that two
    processes writing the same file never share a temporary)."""
    return path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"


def is_temporary(path: Path) -> bool:
    """Whether `path` is a temporary file of this module."""
    return bool(_TEMPORARY.match(Path(path).name))


@contextmanager
def atomic_open(path: Path) -> Iterator[BinaryIO]:
    """A binary file handle whose contents replace `path` atomically when the block ends
    without an exception; on an exception `path` is left as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(path)
    try:
        with open(tmp, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


class AtomicGroup:
    """Several files that appear together, in order: each is written to its temporary name
    (`temporary(target)`), then `commit()` flushes them all to disk in one pass and renames
    them in the order they were added (a document's `documents` file last, so that its file
    still marks a complete document). One flush pass per group instead of one per file: the
    disk sees one burst of writes. Temporaries of a group that is not committed are removed
    when the `with` block ends."""

    def __init__(self, sync: bool = True):
        self.staged: list[tuple[Path, Path]] = []
        self.sync = sync

    def temporary(self, target: Path) -> Path:
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = temporary_name(target)
        self.staged.append((tmp, target))
        return tmp

    def commit(self, after_each=None) -> None:
        """Flush every temporary, then rename each over its target; `after_each(target)` runs
        after each rename (e.g. to remove the file's copies in other places). Without `sync` the
        files are renamed unflushed: whole for every process at once, on disk later."""
        for tmp, _ in self.staged if self.sync else ():
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        for tmp, target in self.staged:
            os.replace(tmp, target)
            if after_each is not None:
                after_each(target)

    def __enter__(self) -> "AtomicGroup":
        return self

    def __exit__(self, *exc) -> None:
        for tmp, _ in self.staged:
            tmp.unlink(missing_ok=True)


def sync_filesystem(path: Path) -> None:
    """Flush to disk everything written on the file system that holds `path`: one syncfs(2) on
    Linux (one flush for a whole batch's files instead of one per file), sync(2) elsewhere."""
    fd = os.open(path, os.O_RDONLY)
    try:
        if _syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def sync_folder(path: Path) -> None:
    """Flush a folder's entries (a file just renamed into it) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _syncfs(fd: int) -> int:
    try:
        import ctypes
        return ctypes.CDLL(None, use_errno=True).syncfs(fd)
    except (OSError, AttributeError):
        return -1


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write `data` (text as UTF-8) to `path` atomically; returns `path`."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with atomic_open(path) as fh:
        fh.write(data)
    return Path(path)


def move(src: Path, dst: Path) -> Path:
    """Move a file or folder to a new name in the same file system in one step (a rename: readers
    see it under the old name or the new one); used to move a warehouse's non-data files."""
    os.replace(src, dst)
    return Path(dst)
