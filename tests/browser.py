"""Headless Chromium (Debian's package) for the report tests: the DOM after rendering, and
a screenshot. Flags as this machine needs them: no sandbox as root, no background network."""

import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "Debian's chromium is needed for the browser tests (make setup installs it)"
    return exe


def _run(args: list[str]) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=120)


def dom(page: Path) -> str:
    proc = _run(["--dump-dom", Path(page).resolve().as_uri()])
    assert proc.returncode == 0, proc.stderr[-500:]
    return proc.stdout


def screenshot(page: Path, png: Path, width: int = 1100, height: int = 1600) -> Path:
    png.parent.mkdir(parents=True, exist_ok=True)
    proc = _run([f"--screenshot={png}", f"--window-size={width},{height}", Path(page).resolve().as_uri()])
    assert proc.returncode == 0 and png.exists(), proc.stderr[-500:]
    return png
