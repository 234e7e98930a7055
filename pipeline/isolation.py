"""One forked worker process per document, so that limits hold and failures stay there.

The worker sets its address-space limit (--max-memory-mb), extracts and writes the document,
and sends its summary back through a pipe. The parent enforces the time limit (--timeout)
and, when a worker is killed, crashes or runs out of memory, writes the document's `failed`
row itself. Workers fork from a fork server that has loaded the modules and the dictionary
(pipeline/preload.py): start-up stays cheap, and no worker inherits threads of the parent.
"""

import multiprocessing as mp
import os
import resource
import signal
import time
import traceback
from multiprocessing.connection import wait
from pathlib import Path

POLL_S = 0.2


def _limit_memory(mb: int) -> None:
    if mb and mb > 0:
        limit = int(mb) * 2**20
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _die_with_parent() -> None:
    """Linux: a worker whose fork server went away (the batch was killed) is killed too."""
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)     # PR_SET_PDEATHSIG
    except OSError:
        pass


def _worker(conn, path: Path, settings) -> None:
    from pipeline.batch import DocSummary, extract_one
    _die_with_parent()
    try:
        _limit_memory(settings.max_memory_mb)
        summary = extract_one(path, settings)
    except MemoryError:
        summary = DocSummary("", str(path), "failed",
                             f"ran out of memory (limit {settings.max_memory_mb} MB, --max-memory-mb)",
                             None, {}, 0, 0.0, traceback.format_exc())
    except BaseException as e:  # noqa: BLE001 - report everything to the parent
        summary = DocSummary("", str(path), "failed", f"internal error: {e.__class__.__name__}: {e}",
                             None, {}, 0, 0.0, traceback.format_exc())
    try:
        conn.send(summary)
    finally:
        conn.close()
        os._exit(0)


def _failure(path: Path, settings, error: str):
    """Write the failed row of a document whose worker did not report, and summarize it."""
    from output.store import write_document
    from pipeline.batch import _summarize
    from pipeline.document import failed_result
    result = failed_result(path, settings, error)
    write_document(Path(settings.out), result.doc_id, None, result.rows)
    return _summarize(result)


def _death_reason(exitcode: int | None, settings) -> str:
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        return (f"worker crashed ({name}): out of memory (limit {settings.max_memory_mb} MB, "
                "--max-memory-mb) or a damaged file")
    return f"worker stopped without a result (exit code {exitcode})"


_CONTEXT = None


def _context():
    global _CONTEXT
    if _CONTEXT is None:
        _CONTEXT = mp.get_context("forkserver")
        _CONTEXT.set_forkserver_preload(["pipeline.preload"])
    return _CONTEXT


def warm_up() -> None:
    """Start the fork server (and its preload) in the background, so that it loads while the
    caller still imports and lists its inputs: start-up counts on every batch."""
    import threading
    from multiprocessing import forkserver
    _context()
    threading.Thread(target=forkserver.ensure_running, daemon=True).start()


def run_isolated(paths: list[Path], settings, report) -> list:
    ctx = _context()
    pending = list(enumerate(paths))
    running: dict = {}            # conn -> (index, path, process, started)
    results: dict[int, object] = {}
    while pending or running:
        while pending and len(running) < max(1, settings.workers):
            index, path = pending.pop(0)
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_worker, args=(child, path, settings), daemon=True)
            proc.start()
            child.close()
            running[parent] = (index, path, proc, time.monotonic())
        ready = wait(list(running), timeout=POLL_S)
        for conn in ready:
            index, path, proc, _ = running.pop(conn)
            try:
                summary = conn.recv()
            except (EOFError, OSError):
                proc.join(5)
                summary = _failure(path, settings, _death_reason(proc.exitcode, settings))
            else:
                proc.join(5)
                if not summary.doc_id:       # the worker failed before it could write anything
                    detail = summary.detail
                    summary = _failure(path, settings, summary.error)
                    summary.detail = detail
            conn.close()
            results[index] = summary
            report(summary)
        now = time.monotonic()
        for conn, (index, path, proc, started) in list(running.items()):
            if now - started > settings.timeout_s:
                proc.kill()
                proc.join(5)
                running.pop(conn)
                conn.close()
                summary = _failure(path, settings,
                                   f"timed out after {settings.timeout_s:g} s (--timeout)")
                results[index] = summary
                report(summary)
    return [results[i] for i in range(len(paths))]
