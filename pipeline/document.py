"""One document through a plain list of stages.

Each stage is a function `stage(ctx) -> None` that reads and fills a `DocContext`.
The runner never raises: a failure while reading the source makes the document `failed`
with a one-line error; a failure in a later stage is recorded (finding STAGE_ERROR) and
makes it `partial`, keeping everything the other stages produced.
"""

import hashlib
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from extractors.linking import link_timeline
from extractors.metadata import extract_metadata
from extractors.forms import Sheet, find_sheets
from extractors.plan import extract_strategies, projects_from_sheets
from extractors.stats import extract_stats
from extractors.tables import Table, find_tables
from extractors.text_reader import read_text
from extractors.timeline import extract_timeline, reject_implausible, sheet_schedules
from normalizers.quality import text_quality
from pipeline import PIPELINE_VERSION, checks, rows
from pipeline.identity import file_sha256
from datamodel.document import SourceDoc, blocks_of_lines, page_text
from datamodel.records import DocumentMeta, Finding, Project, StatBlock, Strategy, TimelineRow
from pipeline.progress import pages_done
from pipeline.settings import SOURCE_SUFFIXES, Settings
from output.schema import SCHEMA_VERSION


MIN_TEXT_CHARS = 20     # a page with fewer characters than this has no usable text layer


class InputError(Exception):
    """A source that cannot be read as a plan; the message is shown to the user as is."""


@dataclass
class DocContext:
    path: Path
    settings: Settings
    pages_wanted: range | None = None     # read only these pages (thaiplan text --pages)
    data: bytes = b""
    doc_id: str = ""
    source: SourceDoc | None = None
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    tables: list[Table] = field(default_factory=list)
    strategies: list[Strategy] = field(default_factory=list)
    orphans: list[Project] = field(default_factory=list)
    timeline: list[TimelineRow] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)
    stat_blocks: list[StatBlock] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    stage_errors: list[str] = field(default_factory=list)
    debug: list[str] = field(default_factory=list)

    @property
    def projects(self) -> list[Project]:
        return [p for s in self.strategies for p in s.projects] + self.orphans


@dataclass
class DocResult:
    doc_id: str
    path: str
    status: str
    error: str | None
    fiscal_year_be: int | None
    rows: dict[str, list[dict]]
    seconds: float
    detail: str | None = None     # full traceback, for --verbose and the log


def source_format(path: Path) -> str | None:
    return SOURCE_SUFFIXES.get(path.suffix.lower())


# ---- stages -------------------------------------------------------------------------

def read_source(ctx: DocContext) -> None:
    fmt = source_format(ctx.path)
    if fmt is None:
        raise InputError(f"unsupported file type {ctx.path.suffix or '(none)'!r} (expected .pdf, .txt or .docx)")
    if not ctx.data:
        raise InputError("empty file (0 bytes)")
    from extractors.docx_reader import UnreadableDocx, read_docx
    from extractors.pdf_reader import UnreadablePdf, read_pdf
    from extractors.text_reader import UnreadableText
    wanted = ctx.pages_wanted or range(1, ctx.settings.max_pages + 1)
    readers = {"txt": read_text, "docx": read_docx,
               "pdf": lambda p: read_pdf(p, password=ctx.settings.password, pages_wanted=wanted)}
    try:
        ctx.source = readers[fmt](ctx.path)
    except (UnreadableText, UnreadablePdf, UnreadableDocx) as e:
        raise InputError(str(e)) from None
    except MemoryError:
        raise InputError(f"ran out of memory while reading (limit {ctx.settings.max_memory_mb} MB, "
                         "--max-memory-mb)") from None
    total = ctx.source.page_total
    if total is not None and ctx.pages_wanted is None and total > ctx.settings.max_pages:
        ctx.findings.append(Finding(
            "warning", "PAGE_LIMIT",
            f"only the first {ctx.settings.max_pages} of {total} pages were read (--max-pages)",
            expected=f"<= {ctx.settings.max_pages}", actual=str(total)))


def score_pages(ctx: DocContext) -> None:
    for page in ctx.source.pages:
        if page.quality is None:
            page.quality = text_quality(page.text)


def _wants_ocr(page, mode: str, threshold: float) -> bool:
    """--ocr always: every page; auto: pages whose text scores low, or that carry images
    and (almost) no text (a scan); never: none. Good text is never OCRed under auto."""
    if mode == "always":
        return True
    if mode == "never":
        return False
    if page.quality is not None:
        return page.quality < threshold
    return is_scan(page)


def is_scan(page) -> bool:
    return page.images > 0 and len(page.text.strip()) < MIN_TEXT_CHARS


def recover_pages(ctx: DocContext) -> None:
    """OCR the pages whose text layer is missing or could not be repaired (PDF only)."""
    from extractors.ocr import OcrUnavailable, ocr_page, tesseract_status
    src = ctx.source
    total = len(src.pages)
    if src.source_format != "pdf":
        pages_done(total, total)
        return
    if ctx.settings.ocr == "never":
        for p in src.pages:
            if is_scan(p):
                p.error = "image-only page, not read: OCR disabled (--ocr never)"
        pages_done(total, total)
        return
    todo = [p for p in src.pages if _wants_ocr(p, ctx.settings.ocr, ctx.settings.low_quality)]
    pages_done(total - len(todo), total)     # progress by pages: the rest wait for OCR
    if not todo:
        return
    reason = tesseract_status()
    if reason:
        warn_once(f"OCR unavailable: {reason}; {len(todo)} page(s) of {ctx.path.name} left as they are")
        for p in todo:
            p.error = f"OCR unavailable: {reason}"
        return
    state: dict = {}
    for k, p in enumerate(todo, 1):
        pages_done(total - len(todo) + k - 1, total)
        try:
            lines = ocr_page(ctx.path, p.no, state)
        except (OcrUnavailable, RuntimeError, OSError) as e:
            p.error = f"OCR failed: {' '.join(str(e).split())[:200]}"
            continue
        text = page_text(lines)
        quality = text_quality(text)
        if p.quality is None or quality is None or quality >= p.quality or ctx.settings.ocr == "always":
            p.lines, p.method, p.quality, p.text = lines, "ocr", quality, text
            p.blocks = blocks_of_lines(lines)
    src.relink()


_WARNED: set[str] = set()


def warn_once(message: str) -> None:
    import sys
    key = message.split(";")[0]
    if key not in _WARNED:
        _WARNED.add(key)
        print(f"thaiplan: {message}", file=sys.stderr)


def find_metadata(ctx: DocContext) -> None:
    ctx.meta = extract_metadata(ctx.source.lines)


def find_structures(ctx: DocContext) -> None:
    ctx.tables = find_tables(ctx.source.lines)
    ctx.strategies, ctx.orphans = extract_strategies(ctx.source.lines, ctx.tables)
    ctx.sheets = find_sheets(ctx.source.lines)
    if not ctx.projects and ctx.sheets:       # the sheets are the only list of projects
        ctx.strategies, ctx.orphans = projects_from_sheets(ctx.sheets, ctx.source.lines, ctx.tables)


def find_timeline(ctx: DocContext) -> None:
    """Schedule tables and schedule columns first; where the plan prints none, the
    projects' detail sheets (each linked to its summary row by name)."""
    ctx.timeline = extract_timeline(ctx.tables, ctx.meta.fiscal_year_be)
    if not ctx.timeline and ctx.sheets:
        ctx.timeline = sheet_schedules(ctx.sheets, ctx.meta.fiscal_year_be, 1)
    reject_implausible(ctx.timeline, ctx.meta.fiscal_year_be)
    link_timeline(ctx.timeline, ctx.projects, ctx.settings.link_min_score)


def find_stats(ctx: DocContext) -> None:
    ctx.stat_blocks = extract_stats(ctx.source.lines)


def run_checks(ctx: DocContext) -> None:
    ctx.findings += checks.check_pages(ctx.source.pages, ctx.settings.low_quality)
    ctx.findings += checks.check_ocr_cells(ctx.source.pages)
    ctx.findings += checks.check_tables(ctx.tables)
    ctx.findings += checks.check_strategies(ctx.strategies)
    ctx.findings += checks.check_fiscal_year(ctx.meta)
    ctx.findings += checks.check_timeline(ctx.timeline, ctx.meta)
    ctx.findings += checks.check_links(ctx.timeline, ctx.projects)
    ctx.findings += checks.check_stats(ctx.stat_blocks)
    ctx.findings += checks.check_coverage(ctx.meta, ctx.strategies, ctx.timeline, ctx.orphans)


STAGES = [read_source, score_pages, recover_pages, find_metadata, find_structures, find_timeline, find_stats, run_checks]
PARTIAL_CODES = {"MISSING_PROJECTS", "MISSING_FISCAL_YEAR", "PAGE_LIMIT"}


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split()) or err.__class__.__name__
    return text if isinstance(err, InputError) else f"{err.__class__.__name__}: {text}"


def doc_id_of(path: Path, data: bytes | None, hash_file: bool = False) -> str:
    """SHA-256 of the file's bytes (streamed for large files); an unreadable file gets a
    stable id from its path, since it has no bytes to hash."""
    if data is not None:
        return hashlib.sha256(data).hexdigest()
    if hash_file:
        digest = file_sha256(Path(path))
        if digest is not None:
            return digest
    return hashlib.sha256(f"unreadable:{Path(path).resolve()}".encode()).hexdigest()


def failed_result(path: Path, settings: Settings, error: str, detail: str | None = None) -> DocResult:
    """The rows of a document whose worker could not finish (timeout, crash)."""
    path = Path(path)
    ctx = DocContext(path=path, settings=settings)
    ctx.doc_id = doc_id_of(path, None, hash_file=True)
    rows = build_rows(ctx, "failed", error, 0.0)
    return DocResult(doc_id=ctx.doc_id, path=str(path), status="failed", error=error,
                     fiscal_year_be=None, rows=rows, seconds=0.0, detail=detail)


def process_document(path: Path, settings: Settings) -> DocResult:
    t0 = time.perf_counter()
    path = Path(path)
    ctx = DocContext(path=path, settings=settings)
    status, error, detail = "ok", None, None
    try:
        size = path.stat().st_size
        if size > settings.max_file_mb * 1024 * 1024:
            ctx.doc_id = doc_id_of(path, None, hash_file=True)
            status, error = "failed", (f"file too large: {size / 2**20:.0f} MB "
                                       f"(limit {settings.max_file_mb:g} MB, --max-file-mb)")
        else:
            ctx.data = path.read_bytes()
            ctx.doc_id = doc_id_of(path, ctx.data)
    except OSError as e:
        ctx.doc_id = doc_id_of(path, None)
        status, error = "failed", f"cannot read file: {e.strerror or e}"
    if status == "ok":
        for stage in STAGES:
            try:
                stage(ctx)
            except Exception as e:  # noqa: BLE001 - a stage failure is data, not a crash
                if stage is read_source:
                    status, error = "failed", _one_line(e)
                    detail = traceback.format_exc()
                    break
                msg = f"{stage.__name__}: {_one_line(e)}"
                ctx.stage_errors.append(msg)
                ctx.findings.append(Finding("error", "STAGE_ERROR", msg))
                detail = (detail or "") + traceback.format_exc()
    if status == "ok" and (ctx.stage_errors or any(f.code in PARTIAL_CODES for f in ctx.findings)):
        status = "partial"
        error = "; ".join(ctx.stage_errors) or "; ".join(
            f.message for f in ctx.findings if f.code in PARTIAL_CODES)
    seconds = time.perf_counter() - t0
    out = build_rows(ctx, status, error, seconds)
    return DocResult(doc_id=ctx.doc_id, path=str(path), status=status, error=error,
                     fiscal_year_be=ctx.meta.fiscal_year_be, rows=out, seconds=seconds, detail=detail)


def _mtime(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
    except OSError:
        return None


def build_rows(ctx: DocContext, status: str, error: str | None, seconds: float) -> dict[str, list[dict]]:
    doc_id = ctx.doc_id
    pages = ctx.source.pages if ctx.source else []
    doc = rows.document_row(
        doc_id, ctx.meta, source_path=str(ctx.path), source_name=ctx.path.name,
        source_format=source_format(ctx.path),
        page_count=(ctx.source.page_total or len(pages)) if ctx.source else None,
        status=status, error=error, text_method=rows.text_method(pages),
        pipeline_version=PIPELINE_VERSION, extracted_at=datetime.now(timezone.utc),
        source_bytes=len(ctx.data) if ctx.data else None,
        encoding=ctx.source.encoding if ctx.source else None, seconds=seconds,
        schema_version=SCHEMA_VERSION, source_mtime=_mtime(ctx.path))
    return {
        "documents": [doc],
        "strategies": rows.strategy_rows(doc_id, ctx.strategies),
        "projects": rows.project_rows(doc_id, ctx.projects),
        "timeline": rows.timeline_rows(doc_id, ctx.timeline),
        "stats": rows.stat_rows(doc_id, ctx.stat_blocks),
        "findings": rows.finding_rows(doc_id, ctx.findings),
        "pages": rows.page_rows(doc_id, pages),
    }
