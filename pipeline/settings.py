"""Tunables: named module constants, gathered in one Settings object per run."""

import math
from dataclasses import dataclass

OCR_MODES = ("auto", "never", "always")
DEFAULT_OUT = "warehouse"
SOURCE_SUFFIXES = {".pdf": "pdf", ".txt": "txt", ".docx": "docx"}
LINK_MIN_SCORE = 0.55          # below this a timeline name is not the project's name
LOW_QUALITY = 0.70             # page text scoring below this is flagged LOW_TEXT_QUALITY
MAX_PAGES = 2000               # pages read per document; the rest is left out (PAGE_LIMIT, partial)
TIMEOUT_S = 300                # seconds per document before its worker is stopped ...
TIMEOUT_PER_PAGE_S = 10.0      # ... or this many per page of it, if more (a long scan: OCR ~2 s a page)
MAX_MEMORY_MB = 2048           # address space per worker (a worker peaks near 500 MB on real plans)
MAX_FILE_MB = 500              # larger files are refused unread
DOCS_PER_WORKER = 100          # a worker process is replaced after this many documents (bounds leaks;
                               # a new worker costs 30-100 ms: fork, then its caches warm again)

# sane ranges of the limits a user sets (anything else is a usage error, exit 2)
MAX_WORKERS = 256
MAX_PAGES_RANGE = (1, 1_000_000)
TIMEOUT_RANGE_S = (0.1, 7 * 24 * 3600.0)
MEMORY_RANGE_MB = (256, 4 * 2**20)     # below 256 MB a worker cannot even load its modules
FILE_MB_RANGE = (0.001, 4 * 2**20)


class UsageError(Exception):
    """A problem with the command's arguments or its environment (--out unusable, the
    warehouse in use, a bad gold file): one line for the user, exit status 2."""


def _in_range(name: str, value, low, high) -> None:
    try:
        ok = math.isfinite(value) and low <= value <= high
    except TypeError:
        ok = False
    if not ok:
        raise UsageError(f"{name} must be a number from {low:g} to {high:g}, got {value!r}")


def validate_limits(workers=None, max_pages=None, timeout_s=None, max_memory_mb=None,
                    max_file_mb=None, timeout_per_page_s=None) -> None:
    """Raise UsageError for a limit that is not finite or not in its sane range (NaN and
    infinity would silently switch a limit off; a tiny memory limit fails every document)."""
    for name, value, (low, high) in (("--workers", workers, (1, MAX_WORKERS)),
                                     ("--max-pages", max_pages, MAX_PAGES_RANGE),
                                     ("--timeout", timeout_s, TIMEOUT_RANGE_S),
                                     ("--max-memory-mb", max_memory_mb, MEMORY_RANGE_MB),
                                     ("--max-file-mb", max_file_mb, FILE_MB_RANGE),
                                     ("--timeout-per-page", timeout_per_page_s, (0.0, TIMEOUT_RANGE_S[1]))):
        if value is not None:
            _in_range(name, value, low, high)


def time_limit(settings, pages: int | None) -> float:
    """Seconds a document may run: --timeout, or --timeout-per-page for each of its pages
    when that is more (pages known once the worker has opened the document)."""
    return max(settings.timeout_s, (pages or 0) * settings.timeout_per_page_s)


@dataclass(frozen=True)
class Settings:
    out: str = DEFAULT_OUT
    workers: int = 1
    ocr: str = "auto"
    link_min_score: float = LINK_MIN_SCORE
    low_quality: float = LOW_QUALITY
    verbose: bool = False
    password: str | None = None
    max_pages: int = MAX_PAGES
    timeout_s: float = TIMEOUT_S
    timeout_per_page_s: float = TIMEOUT_PER_PAGE_S
    max_memory_mb: int = MAX_MEMORY_MB
    max_file_mb: float = MAX_FILE_MB
    isolate: bool = True           # documents in worker processes, so limits hold and crashes stay there
    docs_per_worker: int = DOCS_PER_WORKER
    force: bool = False            # extract again documents this pipeline version already extracted
    executor: str = "local"        # local / dask
    scheduler: str | None = None   # dask scheduler address
    # each document's files flushed to disk before they appear; a local batch turns this off and
    # flushes the warehouse once at its end (output/store.py: the unsynced window)
    sync_each_file: bool = True
