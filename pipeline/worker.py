"""The unit of work of every executor: extract one document, write its files, and hand back a
one-line summary. Local batches (pipeline/batch.py), worker processes (pipeline/isolation.py)
and Dask tasks (pipeline/distributed.py) all run documents through here; none of them imports
another for it."""

import traceback
from dataclasses import dataclass
from pathlib import Path

from output.store import write_document
from pipeline.document import DocResult, doc_id_of, failed_result, process_document
from pipeline.settings import Settings


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


def summarize(result: DocResult) -> DocSummary:
    counts = {k: len(v) for k, v in result.rows.items() if k != "documents"}
    errors = sum(1 for f in result.rows.get("findings", []) if f["severity"] == "error")
    return DocSummary(result.doc_id, result.path, result.status, result.error,
                      result.fiscal_year_be, counts, errors, result.seconds, result.detail)


def extract_one(path: Path, settings: Settings) -> DocSummary:
    """Extract and write one document; the unit of work for local and distributed runs."""
    result = process_document(path, settings)
    try:
        write_document(Path(settings.out), result.doc_id, result.fiscal_year_be, result.rows)
    except Exception as e:  # noqa: BLE001 - report, keep the batch going
        return DocSummary(result.doc_id, str(path), "failed", f"cannot write output: {e}",
                          result.fiscal_year_be, {}, 0, result.seconds, traceback.format_exc())
    return summarize(result)


def safe_extract(path: Path, settings: Settings) -> DocSummary:
    """extract_one that never raises: an internal error becomes the document's failed summary."""
    try:
        return extract_one(path, settings)
    except Exception as e:  # noqa: BLE001 - last line of defence for one document
        return DocSummary(doc_id_of(path, None), str(path), "failed", f"internal error: {e}",
                          None, {}, 0, 0.0, traceback.format_exc())


def record_failure(path: Path, settings: Settings, error: str) -> DocSummary:
    """Write the failed row of a document that could not be extracted where it ran (its worker
    timed out, crashed or failed before writing), and summarize it."""
    result = failed_result(path, settings, error)
    write_document(Path(settings.out), result.doc_id, None, result.rows)
    return summarize(result)
