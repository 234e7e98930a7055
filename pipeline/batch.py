"""A batch: walk the inputs, extract each document (in worker processes when asked),
write its files, and report. One document's failure never stops the batch."""

import sys
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from output.store import write_document
from pipeline.document import DocResult, doc_id_of, process_document
from pipeline.settings import SOURCE_SUFFIXES, Settings


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


def collect_inputs(inputs: list[str]) -> list[Path]:
    """Files as given; folders walked for .pdf/.txt/.docx (hidden entries skipped)."""
    found, seen = [], set()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*")
                           if f.is_file() and f.suffix.lower() in SOURCE_SUFFIXES
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            files = [p]
        for f in files:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                found.append(f)
    return found


def _summarize(result: DocResult) -> DocSummary:
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
    return _summarize(result)


def _safe_extract(path: Path, settings: Settings) -> DocSummary:
    try:
        return extract_one(path, settings)
    except Exception as e:  # noqa: BLE001 - last line of defence for one document
        return DocSummary(doc_id_of(path, None), str(path), "failed", f"internal error: {e}",
                          None, {}, 0, 0.0, traceback.format_exc())


def run_batch(paths: list[Path], settings: Settings, report=None) -> list[DocSummary]:
    report = report or (lambda s: None)
    clean_temporaries(Path(settings.out))
    if settings.isolate:
        from pipeline.isolation import run_isolated
        return run_isolated(paths, settings, report)
    out: list[DocSummary] = []
    if settings.workers <= 1 or len(paths) <= 1:
        for p in paths:
            s = _safe_extract(p, settings)
            report(s)
            out.append(s)
        return out
    with ProcessPoolExecutor(max_workers=settings.workers) as pool:
        for s in pool.map(_safe_extract, paths, [settings] * len(paths)):
            report(s)
            out.append(s)
    return out


def clean_temporaries(out: Path) -> None:
    """Temporary files a killed run left behind (never read: they are not *.parquet)."""
    if out.is_dir():
        for tmp in out.glob("*/*/.*.tmp"):
            tmp.unlink(missing_ok=True)


def print_summary(summaries: list[DocSummary], out: str, stream=None) -> None:
    stream = stream or sys.stdout
    by_status = {}
    for s in summaries:
        by_status[s.status] = by_status.get(s.status, 0) + 1
    totals = {}
    for s in summaries:
        for k, v in s.counts.items():
            totals[k] = totals.get(k, 0) + v
    seconds = sum(s.seconds for s in summaries)
    print(f"\n{len(summaries)} documents: " + ", ".join(f"{v} {k}" for k, v in sorted(by_status.items()))
          + f" in {seconds:.2f}s -> {out}/", file=stream)
    if totals:
        print("rows: " + ", ".join(f"{k} {v}" for k, v in totals.items()), file=stream)
