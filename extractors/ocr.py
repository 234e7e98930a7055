"""OCR of PDF pages with Debian's tesseract and its Thai model (tesseract-ocr-tha).

A page is rendered with pypdfium2, tesseract returns words with boxes (TSV), and the words
go through the same line/column rebuilding as a text layer (extractors/pdf_reader.py), then
through the Thai repair rules (tesseract writes sara am as nikhahit + sara aa).
The model files come from the Debian package; nothing is downloaded.
"""

import csv
import io
import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from extractors.pdf_reader import GAP_EM, SPACE_EM, Segment, lines_from_segments, open_pdf
from pipeline.models import Line

import regex

_THAI = regex.compile(r"[\u0e01-\u0e5b]")

OCR_DPI = 300            # measured: see README (200 loses tone marks, 400 is slower for no gain)
OCR_LANGS = "tha+eng"
OCR_PSM = "6"            # a uniform block of text keeps table rows on one line
OCR_TIMEOUT = 120        # seconds per page
MIN_WORD_CONF = 10.0
THAI_SPACE_EM = 0.5      # Thai separates phrases, not words: only a wide gap is a space
LINE_TO_FONT = 1.3       # a tesseract line box is about this many font sizes tall


class OcrUnavailable(RuntimeError):
    pass


@lru_cache(maxsize=1)
def tesseract_status() -> str | None:
    """None when OCR can run, else the reason it cannot (said once per run by the caller)."""
    exe = shutil.which("tesseract")
    if exe is None:
        return "tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-tha)"
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as e:
        return f"tesseract does not run: {e}"
    langs = set((out.stdout + out.stderr).split())
    if "tha" not in langs:
        return "tesseract has no Thai model (apt-get install tesseract-ocr-tha)"
    return None


def render_page(pdf_path: Path, page_no: int, dpi: int = OCR_DPI, password: str | None = None):
    pdf = open_pdf(pdf_path, password)
    try:
        page = pdf[page_no - 1]
        image = page.render(scale=dpi / 72.0, grayscale=True).to_pil()
        width_pt, height_pt = page.get_size()
        page.close()
        return image, width_pt, height_pt
    finally:
        pdf.close()


def _run_tesseract(image) -> str:
    reason = tesseract_status()
    if reason:
        raise OcrUnavailable(reason)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}     # parallelism comes from workers, not threads
    with tempfile.TemporaryDirectory(prefix="thaiplan-ocr-") as tmp:
        png = Path(tmp) / "page.png"
        image.save(png)
        proc = subprocess.run(["tesseract", str(png), "stdout", "-l", OCR_LANGS, "--psm", OCR_PSM, "tsv"],
                              capture_output=True, text=True, timeout=OCR_TIMEOUT, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"tesseract failed: {' '.join(proc.stderr.split())[:200]}")
    return proc.stdout


def ocr_segments(tsv: str, scale: float, height_pt: float) -> list[Segment]:
    """Segments (PDF points) from tesseract's TSV. For Thai, tesseract reports nearly every
    character (marks included) as a 'word', in reading order; consecutive words of one line
    join without a space across a letter gap, with a space across a word gap, and a column
    gap starts a new segment, as in a text layer."""
    lines: dict[tuple, dict] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        key = (row["block_num"], row["par_num"], row["line_num"])
        left, top, width, height = (int(row[k]) for k in ("left", "top", "width", "height"))
        if row["level"] == "4":
            lines[key] = {"bottom": top + height, "height": height, "words": []}
        elif row["level"] == "5" and (row.get("text") or "").strip() and key in lines:
            if float(row.get("conf") or -1) >= MIN_WORD_CONF:
                lines[key]["words"].append((row["text"].strip(), left, left + width))
    segs: list[Segment] = []
    for line in lines.values():
        size = line["height"] / scale / LINE_TO_FONT
        y = height_pt - line["bottom"] / scale
        cur = None
        for text, left, right in line["words"]:
            x0, x1 = left / scale, right / scale
            gap = x0 - cur.x1 if cur is not None else None
            if cur is None or gap > GAP_EM * size:
                cur = Segment(x0, x1, y, size, text)
                segs.append(cur)
            else:
                thai = _THAI.match(cur.text[-1]) and _THAI.match(text[0])
                cur.text += ("" if gap < (THAI_SPACE_EM if thai else SPACE_EM) * size else " ") + text
                cur.x1 = max(cur.x1, x1)
    return segs


def ocr_page(pdf_path: Path, page_no: int, state: dict, dpi: int = OCR_DPI) -> list[Line]:
    image, _, height_pt = render_page(pdf_path, page_no, dpi)
    segs = ocr_segments(_run_tesseract(image), dpi / 72.0, height_pt)
    return lines_from_segments(segs, page_no, state)
