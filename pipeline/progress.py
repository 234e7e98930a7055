"""Progress of a batch: a redrawn bar on a terminal, plain lines in logs and pipes, and the
summary at the end.

The bar moves by pages: the document stages report pages done through `pages_done` (a hook a
worker process forwards to the batch through its pipe), so a long document moves it too. A timer
thread redraws the bar every second on a terminal and prints a `progress: ...` line every 10 s
in logs and pipes, whether or not a document finished. The bar is cut to the terminal's width
and each redraw clears to the end of the line, so nothing is left behind.
"""

import shutil
import sys
import threading
import time

PLAIN_EVERY_S = 10.0
TTY_EVERY_S = 1.0

# ---- the hook the document stages call (set in the process that runs the document) ----------

_page_hook = None


def set_page_hook(fn) -> None:
    """`fn(done, total)` is called as the pages of the running document are done (None: off)."""
    global _page_hook
    _page_hook = fn


def pages_done(done: int, total: int) -> None:
    if _page_hook is not None:
        try:
            _page_hook(done, total)
        except Exception:  # noqa: BLE001 - progress never stops a document
            pass


# ---- the batch's display ---------------------------------------------------------------------

def _eta(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}h{seconds // 60 % 60:02d}m" if seconds >= 3600 else f"{seconds // 60}m{seconds % 60:02d}s"


def _width(stream) -> int:
    return max(20, shutil.get_terminal_size((100, 24)).columns - 1)


class Progress:
    def __init__(self, total: int, stream=None, tty: bool | None = None, quiet: bool = False,
                 every: float | None = None):
        self.total, self.done, self.pages, self.failed, self.skipped = total, 0, 0, 0, 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.quiet = quiet
        self.every = every if every is not None else (TTY_EVERY_S if self.tty else PLAIN_EVERY_S)
        self.running: dict[str, tuple[int, int]] = {}     # path -> (pages done, pages) of documents under way
        self.start = time.monotonic()
        self.lock = threading.RLock()
        self._stop = threading.Event()
        self._timer = None

    # events
    def page(self, path, done: int, total: int) -> None:
        with self.lock:
            self.running[str(path)] = (done, total)
            if self.tty:
                self._draw()

    def update(self, summary) -> None:
        with self.lock:
            self.running.pop(str(summary.path), None)
            self.done += 1
            self.pages += summary.counts.get("pages", 0)
            self.failed += summary.status == "failed"
            self.skipped += summary.status == "skipped"
            if self.tty:
                self._draw()
            elif self.done == self.total:
                self._plain()

    def print_line(self, text: str, out=None) -> None:
        """A line on stdout above the bar (the bar is cleared, then drawn again)."""
        out = out or sys.stdout
        with self.lock:
            if self.tty and not self.quiet:
                self.stream.write("\r\033[K")
                self.stream.flush()
            print(text, file=out, flush=True)
            if self.tty:
                self._draw()

    # drawing
    def line(self, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        elapsed = max(now - self.start, 1e-6)
        partial = sum(d / t for d, t in self.running.values() if t)
        pages = self.pages + sum(d for d, _ in self.running.values())
        progress = self.done + partial
        rate = (progress - self.skipped) / elapsed
        left = self.total - progress
        eta = _eta(left / rate) if rate > 0 and left > 0 else "-"
        width = 24
        filled = min(width, int(width * progress / self.total)) if self.total else width
        bar = "#" * filled + "." * (width - filled)
        return (f"[{bar}] {self.done}/{self.total} documents · {pages} pages · "
                f"{self.failed} failed · {self.skipped} skipped · {pages / elapsed:.0f} pages/s · ETA {eta}")

    def _draw(self) -> None:
        if self.quiet:
            return
        self.stream.write("\r" + self.line()[:_width(self.stream)] + "\033[K")
        self.stream.flush()

    def _plain(self) -> None:
        if self.quiet:
            return
        self.stream.write("progress: " + self.line() + "\n")
        self.stream.flush()

    def _tick(self) -> None:
        while not self._stop.wait(self.every):
            with self.lock:
                self._draw() if self.tty else self._plain()

    def start_timer(self) -> "Progress":
        if not self.quiet and self._timer is None:
            self._timer = threading.Thread(target=self._tick, name="thaiplan-progress", daemon=True)
            self._timer.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._timer is not None:
            self._timer.join(5)
        if self.tty and not self.quiet:
            self.stream.write("\r\033[K" + self.line()[:_width(self.stream)] + "\n")
            self.stream.flush()


# ---- the end of a batch ------------------------------------------------------------------------

def effective_status(s) -> str:
    """A skipped document counts with the status of its earlier extraction."""
    return (s.previous or "ok") if s.status == "skipped" else s.status


def summary_lines(summaries: list, out: str, wall_s: float, missing: list[str] = (),
                  superseded: int = 0) -> list[str]:
    """The batch's last lines: counts by status, wall time, rows, and the failed documents."""
    by_status: dict[str, int] = {}
    for s in summaries:
        by_status[s.status] = by_status.get(s.status, 0) + 1
    if missing:
        by_status["missing"] = len(missing)
    totals: dict[str, int] = {}
    written = {s.doc_id: s.counts for s in summaries if s.doc_id}   # the same bytes twice: one document
    for counts in written.values():
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
    work = sum(s.seconds for s in summaries)
    lines = [f"{len(summaries) + len(missing)} documents: "
             + ", ".join(f"{v} {k}" for k, v in sorted(by_status.items()))
             + f" in {wall_s:.1f} s wall time ({work:.1f} s of document work) -> {out}/"]
    if totals:
        lines.append("rows: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    if superseded:
        lines.append(f"superseded: {superseded} document(s) are older or poorer copies of a plan "
                     "(documents.superseded_by); views and reports count the current one")
    failed = [s for s in summaries if effective_status(s) == "failed"]
    if failed or missing:
        lines.append("failed:")
        lines += [f"  {s.path}: {s.error or 'failed in an earlier run'}" for s in failed]
        lines += [f"  {m}: no such file or folder" for m in missing]
    return lines
