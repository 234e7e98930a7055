"""Headless Chromium (Debian's package) for the report tests: the DOM after rendering, and
a screenshot. Flags as this machine needs them: no sandbox as root, no background network."""

import html
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--allow-file-access-from-files"]


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "Debian's chromium is needed for the browser tests (make setup installs it)"
    return exe


def _run(args: list[str]) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=120)


def dom(page: Path, width: int | None = None, height: int = 900) -> str:
    size = [f"--window-size={width},{height}"] if width else []
    proc = _run([*size, "--dump-dom", Path(page).resolve().as_uri()])
    assert proc.returncode == 0, proc.stderr[-500:]
    return proc.stdout


MIN_WINDOW = 500          # headless Chromium lays out no narrower than this: narrower goes in a frame


def run_script(page: Path, script: str, width: int | None = None) -> str:
    """The DOM after `script` ran at the end of `page` (after the page's own scripts): a copy of
    the page beside it (so relative links hold) with the script appended, rendered headless. The
    script reports by writing into the DOM (e.g. a <pre id="result">). With `width`, the page is
    laid out that wide (in a frame of that width when narrower than a window can be), and the
    DOM returned is the page's, as laid out."""
    page = Path(page)
    probe = page.with_name(f".probe-{page.name}")
    frame = page.with_name(f".frame-{page.name}")
    report = ("document.documentElement.setAttribute('data-probed','1');"
              "if(window.parent!==window){window.parent.document.getElementById('out').textContent="
              "document.documentElement.outerHTML;}")
    text = page.read_text("utf-8").replace("</body>", f"<script>{script};{report}</script></body>")
    probe.write_text(text, "utf-8")
    try:
        if not width or width >= MIN_WINDOW:
            return dom(probe, width=width)
        frame.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe src="{probe.name}" '
                         f'style="width:{width}px;height:900px;border:0"></iframe><textarea id="out">'
                         f"</textarea></body></html>", "utf-8")
        outer = dom(frame, width=MIN_WINDOW)
        m = re.search(r'<textarea id="out">(.*?)</textarea>', outer, re.S)
        assert m and m[1].strip(), "the framed page did not report (file frames need --allow-file-access-from-files)"
        return html.unescape(m[1])
    finally:
        probe.unlink()
        frame.unlink(missing_ok=True)


def screenshot(page: Path, png: Path, width: int = 1100, height: int = 1600) -> Path:
    """A PNG of the page laid out `width` px wide (narrower than a window: in a frame, cropped)."""
    png.parent.mkdir(parents=True, exist_ok=True)
    page = Path(page)
    target = page
    if width < MIN_WINDOW:
        target = page.with_name(f".frame-{page.name}")
        target.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe src="{page.name}" '
                          f'style="width:{width}px;height:{height}px;border:0"></iframe></body></html>', "utf-8")
    try:
        proc = _run([f"--screenshot={png}", f"--window-size={max(width, MIN_WINDOW)},{height}",
                     target.resolve().as_uri()])
    finally:
        if target != page:
            target.unlink()
    assert proc.returncode == 0 and png.exists(), proc.stderr[-500:]
    if width < MIN_WINDOW:
        from PIL import Image
        Image.open(png).crop((0, 0, width, height)).save(png)
    return png
