"""Worker processes for documents, so that limits hold and failures stay there.

A worker sets its address-space limit (--max-memory-mb), then takes documents one at a time:
it extracts each and sends its rows back through a pipe, and the parent writes them (while the
worker reads the next document). The parent enforces the
time limit (--timeout) and, when a worker is killed, crashes or runs out of memory, writes that
document's `failed` row itself and starts another worker. A worker is replaced after
`docs_per_worker` documents (settings), or after a document failed inside it. Workers fork from a fork
server that has loaded the modules and the dictionary (pipeline/preload.py): start-up stays
cheap, and no worker inherits threads of the parent.

Each worker leads its own process group (so a stop kills what it started too, tesseract
included, and a Ctrl-C on the terminal reaches the batch only) and keeps its temporary files in
a folder of its own, which the parent removes when the worker is gone.
"""

import multiprocessing as mp
import os
import resource
import shutil
import signal
import tempfile
import time
import traceback
from contextlib import contextmanager
from multiprocessing.connection import wait
from pathlib import Path

POLL_S = 0.2
STOP_WAIT_S = 5                # seconds a worker gets to exit before it is killed
WORKER_TMP_PREFIX = "thaiplan-worker-"


@contextmanager
def uninterrupted():
    """Ctrl-C held off while the batch cleans up after an interrupt (workers killed, files of
    half-written documents removed): a second Ctrl-C would leave that cleanup half done. Only
    the main thread can set signal handlers; elsewhere this does nothing."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


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


def _own_group_and_temp(tmpdir: str) -> None:
    os.setpgrp()
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # the batch decides what an interrupt stops
    os.environ["TMPDIR"] = tmpdir
    tempfile.tempdir = tmpdir


def _serve(conn, settings, tmpdir: str) -> None:
    """A worker: documents one at a time from the parent, their rows back (the parent writes them
    while this worker reads the next) or a failure's summary, until
    `settings.docs_per_worker` are done, the parent says stop (None), or a document fails inside it (a
    process that ran out of memory or hit an internal error is not trusted with the next)."""
    from pipeline.progress import set_page_hook
    from pipeline.worker import DocSummary, extract_result
    set_page_hook(lambda done, total: conn.send(("pages", done, total)))   # progress within a document
    _die_with_parent()
    _own_group_and_temp(tmpdir)
    _limit_memory(settings.max_memory_mb)
    try:
        for _ in range(max(1, settings.docs_per_worker)):
            try:
                path = conn.recv()
            except (EOFError, OSError):
                break
            if path is None:
                break
            healthy = True
            try:
                summary = extract_result(path, settings)     # the rows: the parent writes them
            except MemoryError:
                healthy = False
                summary = DocSummary("", str(path), "failed",
                                     f"ran out of memory (limit {settings.max_memory_mb} MB, --max-memory-mb)",
                                     None, {}, 0, 0.0, traceback.format_exc())
            except BaseException as e:  # noqa: BLE001 - report everything to the parent
                healthy = False
                summary = DocSummary("", str(path), "failed", f"internal error: {e.__class__.__name__}: {e}",
                                     None, {}, 0, 0.0, traceback.format_exc())
            conn.send(summary)
            if not healthy:
                break
    finally:
        conn.close()
        os._exit(0)


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


class _Slot:
    """One worker process and the document it is on (None when idle)."""

    def __init__(self, ctx, settings):
        self.conn, child = ctx.Pipe(duplex=True)
        self.tmpdir = tempfile.mkdtemp(prefix=WORKER_TMP_PREFIX)
        self.proc = ctx.Process(target=_serve, args=(child, settings, self.tmpdir), daemon=True)
        self.proc.start()
        child.close()
        self.task: tuple[int, Path] | None = None
        self.started = 0.0
        self.served = 0
        self.pages = None            # pages of the document under way, once the worker has said
        self.stopped = False

    def give(self, index: int, path: Path) -> bool:
        try:
            self.conn.send(path)
        except (OSError, ValueError):
            return False                     # the worker is gone: the caller starts another
        self.task, self.started, self.pages = (index, path), time.monotonic(), None
        return True

    def kill_group(self) -> None:
        """SIGKILL to the worker and everything it started (its process group)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, TypeError):
            pass
        if self.proc.is_alive():
            self.proc.kill()

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.kill_group()
        else:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                pass
        self.proc.join(STOP_WAIT_S)
        if self.proc.is_alive():
            self.kill_group()
            self.proc.join(STOP_WAIT_S)
        self.kill_group()                    # children it left behind, if any
        self.conn.close()
        shutil.rmtree(self.tmpdir, ignore_errors=True)
        self.stopped = True


def run_isolated(paths: list[Path], settings, report, on_pages=None) -> list:
    """Documents over `settings.workers` worker processes forked from the fork server, which
    send back each document's rows; this process writes them while the worker reads its next
    document (on a 2-core machine the writing no longer waits for the reading). A worker
    does up to `settings.docs_per_worker` documents (forking one per document cost ~30 ms each); one that
    crashes, runs out of memory or overruns --timeout is replaced, and the document it was on
    gets its failed row from here. Workers report pages done (`on_pages(path, done, total)`)."""
    from pipeline.document import DocResult
    from pipeline.settings import time_limit
    from pipeline.worker import record_failure, write_result
    ctx = _context()
    pending = list(enumerate(paths))
    slots: list[_Slot] = []
    started: list[_Slot] = []        # every worker not yet stopped, busy or on its way out
    results: dict[int, object] = {}

    def new_slot() -> _Slot:
        started[:] = [sl for sl in started if not sl.stopped]
        sl = _Slot(ctx, settings)
        started.append(sl)
        return sl

    def finish(index, summary):
        results[index] = summary
        report(summary)

    def feed():
        """Every idle worker gets a document, and new workers start while documents wait."""
        for sl in [sl for sl in slots if sl.task is None]:
            if not pending:
                break
            index, path = pending.pop(0)
            if not sl.give(index, path):
                slots.remove(sl)
                sl.stop(kill=True)
                pending.insert(0, (index, path))
        while pending and len(slots) < max(1, settings.workers):
            sl = new_slot()
            slots.append(sl)
            index, path = pending.pop(0)
            if not sl.give(index, path):
                raise RuntimeError("a new worker process did not start")

    try:
        while pending or any(sl.task for sl in slots):
            feed()
            busy = {sl.conn: sl for sl in slots if sl.task}
            for conn in wait(list(busy), timeout=POLL_S):
                sl = busy[conn]
                index, path = sl.task
                try:
                    summary = conn.recv()
                except (EOFError, OSError):
                    sl.task = None
                    slots.remove(sl)
                    sl.proc.join(5)
                    finish(index, record_failure(path, settings, _death_reason(sl.proc.exitcode, settings)))
                    sl.stop(kill=True)
                    continue
                if isinstance(summary, tuple):        # ("pages", done, total) of the document under way
                    sl.pages = summary[2]             # its time limit grows with its pages
                    if on_pages:
                        on_pages(path, summary[1], summary[2])
                    continue
                sl.task = None
                sl.served += 1
                if summary.status == "failed" or sl.served >= max(1, settings.docs_per_worker):
                    slots.remove(sl)         # retired: it has exited after an internal failure or its
                    sl.stop()                # quota, or exits on the stop message
                feed()                       # the next document is under way while this one is written
                if isinstance(summary, DocResult):
                    summary = write_result(settings, summary)
                elif not summary.doc_id:     # the worker failed before it had rows
                    detail = summary.detail
                    summary = record_failure(path, settings, summary.error)
                    summary.detail = detail
                finish(index, summary)
            now = time.monotonic()
            for sl in [sl for sl in slots if sl.task and now - sl.started > time_limit(settings, sl.pages)]:
                index, path = sl.task
                slots.remove(sl)
                sl.stop(kill=True)
                limit = time_limit(settings, sl.pages)
                why = (f"timed out after {limit:g} s (--timeout)" if limit == settings.timeout_s else
                       f"timed out after {limit:g} s ({sl.pages} pages x --timeout-per-page)")
                finish(index, record_failure(path, settings, why))
    except BaseException:
        with uninterrupted():            # interrupted: no worker outlives the batch, nor writes after it
            for sl in started:           # (one being retired or timed out when the interrupt came too)
                if not sl.stopped:
                    sl.stop(kill=True)
        raise
    for sl in slots:
        sl.stop()
    return [results[i] for i in range(len(paths))]


# ---- one document in a fresh child process (Dask tasks) ---------------------------------------

TASK_FILE, SUMMARY_FILE = "task.pickle", "summary.pickle"


def run_limited(path: Path, settings):
    """One document in a child process (`python -m pipeline.isolation`) under --max-memory-mb
    and --timeout, in its own session and temporary folder: for executors whose processes may
    not fork workers of their own (Dask's workers are daemon processes). The document gets its
    failed row from here when the child overruns, crashes or runs out of memory."""
    import pickle
    import subprocess
    import sys
    from pipeline.worker import NO_ROW, record_failure
    tmpdir = tempfile.mkdtemp(prefix=WORKER_TMP_PREFIX)
    try:
        with open(os.path.join(tmpdir, TASK_FILE), "wb") as fh:
            pickle.dump((str(path), settings), fh)
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.isolation", tmpdir], start_new_session=True,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=settings.timeout_s)
        except subprocess.TimeoutExpired:
            _kill_session(proc.pid)
            proc.wait()
            return record_failure(path, settings, f"timed out after {settings.timeout_s:g} s (--timeout)")
        finally:
            _kill_session(proc.pid)
        try:
            with open(os.path.join(tmpdir, SUMMARY_FILE), "rb") as fh:
                summary = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError):
            return record_failure(path, settings, _death_reason(proc.returncode, settings))
        if not summary.doc_id or summary.row is None:
            # failed before it had rows, or could not write even its failed row (the child's memory
            # limit, a full disk): the row is written from here, outside the child's limits
            detail = summary.detail
            summary = record_failure(path, settings, summary.error.partition(NO_ROW)[0])
            summary.detail = detail
        return summary
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def _kill_session(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _child_main(tmpdir: str) -> None:
    import pickle

    from output.atomic import write_atomic
    from pipeline.worker import DocSummary, extract_one
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["TMPDIR"] = tmpdir
    tempfile.tempdir = tmpdir
    with open(os.path.join(tmpdir, TASK_FILE), "rb") as fh:
        path, settings = pickle.load(fh)
    _limit_memory(settings.max_memory_mb)
    try:
        summary = extract_one(Path(path), settings)
    except MemoryError:
        summary = DocSummary("", path, "failed", f"ran out of memory (limit {settings.max_memory_mb} MB, "
                             "--max-memory-mb)", None, {}, 0, 0.0, traceback.format_exc())
    except BaseException as e:  # noqa: BLE001 - report everything to the parent
        summary = DocSummary("", path, "failed", f"internal error: {e.__class__.__name__}: {e}",
                             None, {}, 0, 0.0, traceback.format_exc())
    write_atomic(Path(tmpdir) / SUMMARY_FILE, pickle.dumps(summary))


if __name__ == "__main__":
    import sys as _sys
    _child_main(_sys.argv[1])
