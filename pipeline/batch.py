"""A batch: walk the inputs, extract each document (in worker processes when asked),
write its files, and report. One document's failure never stops the batch.

A batch holds the warehouse's lock (DIR/_lock) from start to end: a second extract or audit
into the same folder stops at once with "warehouse DIR in use by PID N" (exit 2) instead of
deleting the first one's temporary files. Under the lock, leftovers of an interrupted run
(temporary files, files of documents without a `documents` file) are removed at the start,
and again when this run is interrupted (Ctrl-C).

Files reach the disk once per batch: the batch opens the warehouse's unsynced window, local
workers write their files without flushing each, and the window's close flushes them all
(output/store.py). A batch that never closed its window (power cut, kill -9) gets its damaged
documents removed by the next one, which extracts them again. Dask's workers, on other machines,
flush their own files.
"""

import errno
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from output.store import (WarehouseBusy, begin_unsynced, clean_temporaries, end_unsynced, lock_warehouse,
                          remove_orphans, unlock_warehouse)
from output.warehouse import read_columns
from pipeline.settings import SOURCE_SUFFIXES, Settings, UsageError
from pipeline.worker import INDEX_COLUMNS, DocSummary, display_path, input_id, safe_extract


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


def is_done(entry: dict | None, version: str) -> bool:
    """Whether a document's row in the warehouse means it need not run again: extracted by this
    pipeline version, and not failed for a reason that can change (timeout, crash, memory,
    disk; rows written before `retryable` existed count as retryable)."""
    if not entry or entry["pipeline_version"] != version:
        return False
    return entry["status"] != "failed" or entry["retryable"] is False


def _skip_done(paths: list[Path], settings: Settings, report,
               known: dict[str, dict]) -> tuple[list[Path], dict[int, DocSummary]]:
    """Resume: a document already extracted by this pipeline version (`known`: the warehouse's
    documents by doc_id) is not done again."""
    from pipeline import PIPELINE_VERSION
    done = known if not settings.force else {}
    todo, skipped = [], {}
    for index, path in enumerate(paths):
        doc_id = input_id(path) if done else None
        if is_done(done.get(doc_id), PIPELINE_VERSION):
            summary = DocSummary(doc_id, display_path(path), "skipped", None, None, {}, 0, 0.0)
            summary.previous = done[doc_id]["status"]
            skipped[index] = summary
            report(summary)
        else:
            todo.append(path)
    return todo, skipped


def _main_importable() -> bool:
    """Workers re-import the main module (multiprocessing's rule); from an interactive or
    stdin session they cannot, so such a caller runs documents in its own process."""
    import __main__
    spec = getattr(__main__, "__spec__", None)
    path = getattr(__main__, "__file__", None)
    return spec is not None or (path is not None and Path(path).is_file())


def open_warehouse(out: Path) -> int:
    """Create --out if needed and take its lock; UsageError (one line) when it is not a usable
    folder (a file, a read-only file system) or another run holds it."""
    try:
        return lock_warehouse(Path(out))
    except WarehouseBusy as e:
        raise UsageError(str(e)) from None
    except OSError as e:
        why = {errno.EEXIST: "it is a file, not a folder", errno.ENOTDIR: "a part of it is a file, not a folder",
               errno.EROFS: "read-only file system"}.get(e.errno, e.strerror or str(e))
        raise UsageError(f"cannot write to --out {display_path(out)}: {why}") from None


def check_out(out: Path) -> None:
    """Fail early (UsageError) when --out cannot be written or is in use."""
    unlock_warehouse(open_warehouse(out))


def run_batch(paths: list[Path], settings: Settings, report=None, on_pages=None,
              on_superseded=None, on_damaged=None) -> list[DocSummary]:
    """`report(summary)` after each document; `on_pages(path, done, total)` as the pages of a running
    document are done (local executors). Holds the warehouse's lock; ends with the supersession
    pass over the warehouse, whose (superseded, current) pairs go to `on_superseded(pairs)`;
    `on_damaged(doc_ids)` hears of documents an unfinished earlier batch left damaged (removed,
    so extracted again)."""
    report = report or (lambda s: None)
    out = Path(settings.out)
    lock = open_warehouse(out)
    try:
        clean_temporaries(out)
        damaged = begin_unsynced(out)
        if damaged and on_damaged:
            on_damaged(damaged)
        if settings.executor != "dask":
            settings = replace(settings, sync_each_file=False)
        remove_orphans(out)
        # the warehouse's documents, read once: for the resume, then kept as the batch writes, for
        # the supersession pass at the end (which would otherwise read every file again)
        index = {r["doc_id"]: r for r in read_columns(out, "documents", INDEX_COLUMNS)}
        todo, skipped = _skip_done(paths, settings, report, index)

        def written(summary: DocSummary) -> None:
            if summary.status != "skipped" and summary.doc_id:
                if summary.row is not None:
                    index[summary.doc_id] = summary.row
                else:                           # nothing of it is left in the warehouse
                    index.pop(summary.doc_id, None)
            report(summary)
        if settings.executor == "dask":
            from pipeline.distributed import run_dask
            ran = run_dask(todo, settings, written)
        elif settings.isolate and _main_importable():
            from pipeline.isolation import run_isolated
            ran = run_isolated(todo, settings, written, on_pages)
        else:
            ran = _run_in_process(todo, settings, written, on_pages)
        from pipeline.plans import facts_of, supersede
        facts = {s.doc_id: facts_of(s.counts) for s in ran if s.doc_id and s.status != "failed"}
        pairs = supersede(out, sync=False, known_facts=facts,         # one plan counted once,
                          docs=list(index.values()))                  # across the whole warehouse
        end_unsynced(out)
        if on_superseded:
            on_superseded(pairs)
    except KeyboardInterrupt:
        from pipeline.isolation import uninterrupted
        with uninterrupted():            # a second Ctrl-C does not cut the cleanup short
            remove_orphans(out)          # documents cut off mid-write: none of their files stay
            clean_temporaries(out)
        raise
    finally:
        unlock_warehouse(lock)
    it = iter(ran)
    return [skipped[i] if i in skipped else next(it) for i in range(len(paths))]


def _run_in_process(paths: list[Path], settings: Settings, report, on_pages=None) -> list[DocSummary]:
    from pipeline.progress import set_page_hook
    out: list[DocSummary] = []
    if settings.workers <= 1 or len(paths) <= 1:
        for p in paths:
            if on_pages:
                set_page_hook(lambda done, total, p=p: on_pages(p, done, total))
            try:
                s = safe_extract(p, settings)
            finally:
                set_page_hook(None)
            report(s)
            out.append(s)
        return out
    with ProcessPoolExecutor(max_workers=settings.workers) as pool:
        for s in pool.map(safe_extract, paths, [settings] * len(paths)):
            report(s)
            out.append(s)
    return out


