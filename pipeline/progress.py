"""Progress of a batch: a redrawn bar on a terminal, plain lines in logs and pipes."""

import sys
import time

PLAIN_EVERY_S = 10.0


def _eta(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}h{seconds // 60 % 60:02d}m" if seconds >= 3600 else f"{seconds // 60}m{seconds % 60:02d}s"


class Progress:
    def __init__(self, total: int, stream=None, tty: bool | None = None):
        self.total, self.done, self.pages, self.failed, self.skipped = total, 0, 0, 0, 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.start = self.last_plain = time.monotonic()

    def update(self, summary) -> None:
        self.done += 1
        self.pages += summary.counts.get("pages", 0)
        self.failed += summary.status == "failed"
        self.skipped += summary.status == "skipped"
        now = time.monotonic()
        if self.tty:
            self.stream.write("\r" + self.line(now) + "\033[K")
            self.stream.flush()
        elif now - self.last_plain >= PLAIN_EVERY_S or self.done == self.total:
            self.last_plain = now
            self.stream.write("progress: " + self.line(now) + "\n")
            self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-6)
        rate = (self.done - self.skipped) / elapsed
        left = self.total - self.done
        eta = _eta(left / rate) if rate > 0 and left else "-"
        width = 24
        filled = int(width * self.done / self.total) if self.total else width
        bar = "#" * filled + "." * (width - filled)
        return (f"[{bar}] {self.done}/{self.total} documents · {self.pages} pages · "
                f"{self.failed} failed · {self.skipped} skipped · {rate:.1f} docs/s · ETA {eta}")

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
