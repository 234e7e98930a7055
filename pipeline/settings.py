"""Tunables: named module constants, gathered in one Settings object per run."""

from dataclasses import dataclass

OCR_MODES = ("auto", "never", "always")
DEFAULT_OUT = "warehouse"
SOURCE_SUFFIXES = {".pdf": "pdf", ".txt": "txt", ".docx": "docx"}
LINK_MIN_SCORE = 0.55          # below this a timeline name is not the project's name
LOW_QUALITY = 0.70             # page text scoring below this is flagged LOW_TEXT_QUALITY
MAX_PAGES = 2000               # pages read per document; the rest is left out (PAGE_LIMIT, partial)
TIMEOUT_S = 300                # seconds per document before its worker is stopped
MAX_MEMORY_MB = 2048           # address space per worker (a worker peaks near 500 MB on real plans)
MAX_FILE_MB = 500              # larger files are refused unread
DOCS_PER_WORKER = 25           # a worker process is replaced after this many documents (bounds leaks)


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
    max_memory_mb: int = MAX_MEMORY_MB
    max_file_mb: float = MAX_FILE_MB
    isolate: bool = True           # documents in worker processes, so limits hold and crashes stay there
    docs_per_worker: int = DOCS_PER_WORKER
    force: bool = False            # extract again documents this pipeline version already extracted
    executor: str = "local"        # local / dask
    scheduler: str | None = None   # dask scheduler address
