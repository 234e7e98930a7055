"""The unit of work of every executor: extract one document, write its files, and hand back a
one-line summary. Local batches (pipeline/batch.py), worker processes (pipeline/isolation.py)
and Dask tasks (pipeline/distributed.py) all run documents through here; none of them imports
another for it.

Every input ends with exactly one `documents` row: a file that cannot be read (not a regular
file, an unsupported type) gets a failed row without being opened, under an id made from its
path (so it never takes the `doc_id` of a good document with the same bytes); a document whose
files cannot be written (disk full, memory) has its half-written files removed and gets a
failed row. `retryable` says whether the next run should try a failed document again.
"""

import os
import stat
import traceback
from dataclasses import dataclass
from pathlib import Path

import regex

from output.schema import PARTITION
from output.store import remove_document, write_document
from pipeline.corrections import correct_result
from pipeline.document import DocContext, DocResult, build_rows, doc_id_of, process_document, source_format
from pipeline.plans import DOC_COLUMNS
from pipeline.settings import Settings

# failures of process_document that depend on the run, not on the file's bytes: tried again
RETRYABLE_READ_ERRORS = ("file too large", "cannot read file", "ran out of memory")
NO_ROW = "; no row written"     # a summary's error ends so when not even its failed row could be written
_CONTROL = regex.compile(r"[\p{Cc}\p{Zl}\p{Zp}]")


@dataclass
class DocSummary:
    doc_id: str
    path: str
    status: str
    error: str | None
    fiscal_year_be: int | None
    counts: dict
    errors: int
    seconds: float
    detail: str | None = None
    previous: str | None = None      # for a skipped document: its status from the earlier run
    row: dict | None = None          # its `documents` row as written (INDEX_COLUMNS); None: no row


def storable_text(text: str) -> str:
    """A file name as valid Unicode: bytes that are not UTF-8 (a TIS-620 name) as \\xNN."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def display_path(path) -> str:
    """A path for one line of output: not-UTF-8 bytes as \\xNN, control characters (a newline in
    a file name) escaped, so that each document stays on its own line."""
    def escape(m):
        c = m.group()
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or c.encode("unicode_escape").decode("ascii")
    return _CONTROL.sub(escape, storable_text(str(path)))


def refusal(path: Path) -> str | None:
    """Why `path` is not read at all (None when it is read): only regular files of a supported
    type are opened; a FIFO or a device would block or never end."""
    if source_format(path) is None:
        return f"unsupported file type {display_path(path.suffix or '(none)')!r} (expected .pdf, .txt or .docx)"
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None                  # missing or unreadable: process_document says which
    if not stat.S_ISREG(mode):
        kind = ("a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "a special file")
        return f"not a regular file ({kind}): not read"
    return None


def input_id(path: Path) -> str:
    """The doc_id an input gets, computed without ever blocking: the SHA-256 of a regular file
    of a supported type; for anything else an id from its path."""
    path = Path(path)
    if refusal(path):
        return doc_id_of(path, None)
    return doc_id_of(path, None, hash_file=True)


# what a batch keeps of each document's row: resume (pipeline_version, status, retryable) and
# supersession (pipeline/plans.py)
INDEX_COLUMNS = [*DOC_COLUMNS, "pipeline_version", "retryable"]


def index_row(row: dict, fiscal_year_be: int | None) -> dict:
    """The INDEX_COLUMNS of a `documents` row about to be written (the partition column from
    the fiscal year it is written under, as a read of the file gives it)."""
    return {c: fiscal_year_be if c == PARTITION else row.get(c) for c in INDEX_COLUMNS}


def summarize(result: DocResult) -> DocSummary:
    counts = {k: len(v) for k, v in result.rows.items() if k != "documents"}
    errors = sum(1 for f in result.rows.get("findings", []) if f["severity"] == "error")
    docs = result.rows.get("documents") or []
    return DocSummary(result.doc_id, display_path(result.path), result.status, result.error,
                      result.fiscal_year_be, counts, errors, result.seconds, result.detail,
                      row=index_row(docs[0], result.fiscal_year_be) if docs else None)


def _finish_rows(result: DocResult, retryable: bool) -> DocResult:
    for doc in result.rows.get("documents", []):
        doc["retryable"] = retryable
        for key in ("source_path", "source_name"):
            if doc.get(key) is not None:
                doc[key] = storable_text(doc[key])
    return result


def failure_result(path: Path, settings: Settings, error: str, retryable: bool,
                   doc_id: str | None = None, detail: str | None = None) -> DocResult:
    """The rows of a document that failed outside the stages (refused, timed out, crashed,
    could not be written)."""
    path = Path(path)
    ctx = DocContext(path=path, settings=settings)
    ctx.doc_id = doc_id or input_id(path)
    rows = build_rows(ctx, "failed", error, 0.0)
    return _finish_rows(DocResult(doc_id=ctx.doc_id, path=str(path), status="failed", error=error,
                                  fiscal_year_be=None, rows=rows, seconds=0.0, detail=detail), retryable)


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split()) or e.__class__.__name__


def write_result(settings: Settings, result: DocResult) -> DocSummary:
    """Write a result; when that fails, leave none of its files and write a failed row instead
    (when even that fails, e.g. 0 bytes free, the summary says so and nothing is left)."""
    out = Path(settings.out)
    try:
        write_document(out, result.doc_id, result.fiscal_year_be, result.rows, settings.sync_each_file)
        return summarize(result)
    except Exception as e:  # noqa: BLE001 - disk full, memory, permissions: report, go on
        error, detail = f"cannot write output: {_one_line(e)}", traceback.format_exc()
    try:
        remove_document(out, result.doc_id)
        failed = failure_result(Path(result.path), settings, error, True, result.doc_id, detail)
        write_document(out, failed.doc_id, None, failed.rows, settings.sync_each_file)
        return summarize(failed)
    except Exception as e:  # noqa: BLE001
        try:
            remove_document(out, result.doc_id)
        except OSError:
            pass
        return DocSummary(result.doc_id, display_path(result.path), "failed",
                          f"{error}{NO_ROW} ({_one_line(e)})", None, {}, 0, result.seconds,
                          detail + traceback.format_exc())


def extract_result(path: Path, settings: Settings) -> DocResult:
    """One document's rows, ready to write (`write_result`): what a local worker process hands
    to the batch, which writes them while the worker goes on with the next document."""
    path = Path(path)
    reason = refusal(path)
    if reason:
        return failure_result(path, settings, reason, retryable=False)
    result = process_document(path, settings)
    result = correct_result(Path(settings.out), result)     # an auditor's corrections (pipeline/corrections.py)
    retryable = result.status == "failed" and (result.error or "").startswith(RETRYABLE_READ_ERRORS)
    return _finish_rows(result, retryable)


def extract_one(path: Path, settings: Settings) -> DocSummary:
    """Extract and write one document; the unit of work for in-process and distributed runs."""
    return write_result(settings, extract_result(path, settings))


def safe_extract(path: Path, settings: Settings) -> DocSummary:
    """extract_one that never raises: an internal error becomes the document's failed row."""
    try:
        return extract_one(path, settings)
    except Exception as e:  # noqa: BLE001 - last line of defence for one document
        summary = record_failure(path, settings, f"internal error: {e.__class__.__name__}: {_one_line(e)}")
        summary.detail = traceback.format_exc()
        return summary


def record_failure(path: Path, settings: Settings, error: str, retryable: bool = True) -> DocSummary:
    """Write the failed row of a document that could not be extracted where it ran (its worker
    timed out, crashed or failed before writing), and summarize it. Never raises."""
    try:
        result = failure_result(path, settings, error, retryable)
    except Exception as e:  # noqa: BLE001
        return DocSummary("", display_path(path), "failed", f"{error}; no row written ({_one_line(e)})",
                          None, {}, 0, 0.0, traceback.format_exc())
    return write_result(settings, result)
