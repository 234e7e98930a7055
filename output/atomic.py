"""The one way thaiplan writes an output file: whole or not at all.

The data goes to a temporary name in the target's folder (`.<name>.<random hex>.tmp`, never
read as output: it is hidden and does not end in the output's suffix), is flushed and
fsync'ed, then renamed over the target, so a reader sees the old file or the new one, never
half of one. A failed write removes its temporary file; the temporaries a killed process
left behind are found by `is_temporary` and removed at the next start
(`output.store.clean_temporaries`). Parquet files, the audit's files and report.html all
go through here.
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
