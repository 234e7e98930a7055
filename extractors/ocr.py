"""OCR of PDF pages with Debian's tesseract and its Thai model (tesseract-ocr-tha).

A page is rendered with pypdfium2 at its scan's resolution, deskewed, cleaned (speckle filter,
Otsu), read by tesseract (page layout, then the lines worth it alone; the readings reconciled
character by character), and the words with their boxes go through the same line/column
rebuilding as a text layer (extractors/pdf_reader.py), then through the Thai repair rules
(tesseract writes sara am as nikhahit + sara aa). A ruled table's cells are then read again
where the page reading is weak: number columns and schedule columns by glyph shape (the Thai
model alone for the months), Latin slips in Thai cells with the Thai model; an unsure cell keeps
its image for the audit report. The model files come from the Debian package; nothing is
downloaded. Measurements behind the choices: README, "Broken text layers and scans".
"""

import difflib
import io
import os
from functools import lru_cache
from pathlib import Path

import regex
from rapidfuzz.distance import Levenshtein

from extractors.digit_reader import (ARABIC_DIGITS, CONFUSED, THAI_DIGITS, ink_runs, numberish,
                                     numberish_part, read_number)
from extractors import opencv
from extractors.image_fills import cell_pixels, find_fills, join_along_fills, mark_inked_cells, paint_cells, unshaded
from extractors.image_rulings import erase_rulings, find_rulings, shifted, to_points
from extractors.pdf_reader import GAP_EM, SPACE_EM, Segment, lines_from_segments, open_pdf
from extractors.tables import cell_role
from normalizers.quality import is_word, thai_runs, word_share, words_of
from normalizers.digits import thai_to_arabic
from normalizers.labels import mend_heading_word
from normalizers.dates import MONTH_ABBR_PRINT, MONTH_FULL_PRINT, DateRejected, month_number, parse_period
from normalizers.text import join_wrapped, nfc
from normalizers.thai_repair import repair_thai
from datamodel.document import LOW_OCR_CONFIDENCE, Line, row_line

_THAI = regex.compile(r"[\u0e01-\u0e5b]")
_THAI_LETTER = regex.compile(r"[\u0e01-\u0e2e]")
_MARK_TEXT = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d"
_MARK_CHARS = set(_MARK_TEXT)

OCR_DPI = 200            # pages without a dominant image (measured: README)
MIN_DPI, MAX_DPI = 150, 400
OCR_LANGS = "tha+eng"
OCR_PSM = 6              # a uniform block of text keeps table rows on one line
LINE_PSM = 7             # each line read again as a single line (keeps stacked tone marks)
OCR_TIMEOUT = 120        # seconds per page
MIN_WORD_CONF = 10.0
NOISE_CONF = 60.0        # a short fragment recognised with less confidence than this is noise
OCR_COL_TOL = 15.0        # points: OCR word boxes start this far from their column at worst
JUNK_THAI_SHARE = 0.3    # a line with fewer Thai letters than this share ...
JUNK_CONF = 85.0         # ... read with less confidence than this is junk
MARK_ROW = 0.6           # a tesseract line lower than this share of the usual line is marks only
MAX_SKEW = 3.0           # degrees searched either way when deskewing a scan
SKEW_STEP = 0.1
SKEW_WIDTH = 800         # pixels: the page is measured at this width
SKEW_REDUCING_GAP = 1.5  # ... reduced by whole factors to at least this many times that width first
THAI_SPACE_EM = 0.5      # Thai separates phrases, not words: only a wide gap is a space
LINE_TO_FONT = 1.3       # a tesseract line box is about this many font sizes tall (measured: README)
REREAD_UP = 0.45         # a line is read again with this many line heights of room above it,
REREAD_DOWN = 0.1        # ... below it
REREAD_SIDE = 0.3        # ... and either side
RULE_LEVEL_UP = 40       # grey levels above the text's threshold that still count as a ruling's ink
RULE_LEVEL_MAX = 230
RULE_LEVEL_SHADED = 20     # ... and those that still count beside a shaded cell (image_rulings: strict)
DIGIT_CHARS = set(THAI_DIGITS + ARABIC_DIGITS)
NUMBER_CHARS = DIGIT_CHARS | set(",.-" + CONFUSED + "ต")     # and what tesseract makes of digits
NUMERIC_SHARE = 0.6      # share of a cell's characters that makes it a number (and of a column's cells)
EMPTY_CELL_MATCH = 0.8   # a number found in a cell the page reading left empty must match this well
GROUPED_MATCH = 0.6      # ... or this well when it is an amount grouped in thousands ("๙๓๘,๒๕๐": specks
                         # make no such number; a font's odd ๙ matches 0.63-0.72 at 150-300 dpi)
_GROUPED = regex.compile(r"[0-9๐-๙]{1,3}(?:,[0-9๐-๙]{3})+(?:\.[0-9๐-๙]{2})?")
CELL_INSET = 3           # pixels inside a cell's borders where its text starts
BAND_GAP = 0.3           # text lines of a cell closer than this share of a line's height are one
MIN_BAND_PX = 6          # a band lower than this is a speck
NUMBERED_MATCH = 0.8     # a lone character after "ที่" is read as a number only matching this well
DIGIT_GAP = 0.5          # line heights: digits of one number stand closer than this


class OcrUnavailable(RuntimeError):
    pass


# Debian's models (tesseract-ocr-tha, tesseract-ocr-eng); $TESSDATA_PREFIX, when set, instead
TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata")


def tessdata_dir() -> str | None:
    """The folder holding the models OCR_LANGS names (None: not installed)."""
    wanted = [f"{lang}.traineddata" for lang in OCR_LANGS.split("+")]
    env = os.environ.get("TESSDATA_PREFIX")
    for folder in [env] if env else TESSDATA_DIRS:
        if all((Path(folder) / name).is_file() for name in wanted):
            return folder
    return None


@lru_cache(maxsize=1)
def tesseract_status() -> str | None:
    """None when OCR can run, else the reason it cannot (said once per run by the caller)."""
    try:
        _tesserocr()
    except ImportError as e:
        return f"tesserocr does not load ({e}; pip install tesserocr)"
    if tessdata_dir() is None:
        return "tesseract has no Thai model (apt-get install tesseract-ocr-tha tesseract-ocr-eng)"
    try:
        _api(OCR_LANGS)
    except RuntimeError as e:
        return f"tesseract does not start: {e}"
    return None


def _tesserocr():
    """The tesserocr module, loaded with one thread: parallelism comes from the workers
    (Debian's libtesseract uses OpenMP, whose thread limit is read once, when the library
    loads; measured: 1.9 s a page instead of 0.4 s with OpenMP's threads on two cores)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    import tesserocr
    return tesserocr


_APIS: dict[tuple[int, str], object] = {}     # (process id, languages) -> tesseract with its model loaded


def _api(langs: str):
    """Tesseract in this process (tesserocr), its model loaded once per process and language
    set: the page and every second reading use it (the command line loaded the model ~0.2 s a
    run, four runs a page). Keyed by process id: a worker forked from a process that holds one
    makes its own (an object is never shared across a fork)."""
    key = (os.getpid(), langs)
    api = _APIS.get(key)
    if api is None:
        tesserocr = _tesserocr()
        folder = tessdata_dir()
        if folder is None:
            raise OcrUnavailable("tesseract has no Thai model (apt-get install tesseract-ocr-tha tesseract-ocr-eng)")
        api = tesserocr.PyTessBaseAPI(path=folder.rstrip("/") + "/", lang=langs, psm=tesserocr.PSM.SINGLE_BLOCK)
        _APIS[key] = api
    return api


def native_dpi(page) -> float | None:
    """Resolution of the largest image on the page: OCR at the scan's own resolution, since
    resampling it (measured: 150/250/300/400 dpi on a 200 dpi scan) costs accuracy."""
    import pypdfium2.raw as pdfium_c
    best = None
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        x0, y0, x1, y1 = obj.get_bounds()
        try:
            px_w, _ = obj.get_px_size()
        except Exception:   # noqa: BLE001 - an image pdfium cannot measure
            continue
        area = (x1 - x0) * (y1 - y0)
        if x1 > x0 and (best is None or area > best[0]):
            best = (area, px_w * 72.0 / (x1 - x0))
    return best[1] if best else None


def render_page(pdf_path: Path, page_no: int, dpi: int | None = None, password: str | None = None):
    """(grey page image, width pt, height pt, dpi): the page at `dpi`, or at its scan's own
    resolution (OCR_DPI when it has none). A page that is one scanned image and nothing else
    gives that image as scanned (scanned_image)."""
    pdf = open_pdf(pdf_path, password)
    try:
        page = pdf[page_no - 1]
        width_pt, height_pt = page.get_size()
        image = None
        if dpi is None:
            native = native_dpi(page)
            dpi = round(min(MAX_DPI, max(MIN_DPI, native))) if native else OCR_DPI
            if native and RAW_MIN_DPI <= native <= MAX_DPI:
                image = scanned_image(page, dpi)
        if image is None:
            image = page.render(scale=dpi / 72.0, grayscale=True).to_pil()
        page.close()
        return image, width_pt, height_pt, dpi
    finally:
        pdf.close()


READ_DPI = 200           # a finer scan is read at this resolution (read_resolution)


def read_resolution(image, dpi: int):
    """(image, dpi) to read: a scan finer than READ_DPI averaged down to it (Pillow's box
    filter; Lanczos and bicubic sharpen, and read the ruled plans far worse). Tesseract's Thai
    model reads 200 dpi best: the same plans scanned at 300 dpi read better resampled to 200
    (README, OCR), and it is 2.25x fewer pixels to turn, clean and lay out."""
    from PIL import Image
    if dpi <= READ_DPI:
        return image, dpi
    size = (max(1, round(image.width * READ_DPI / dpi)), max(1, round(image.height * READ_DPI / dpi)))
    return image.resize(size, Image.Resampling.BOX), READ_DPI


PAGE_FIT_PT = 1.0        # points: an image this near the page's edges covers the page
RAW_MIN_DPI = 200        # under this a scan is rendered all the same: pdfium's resampling of a
                         # 150 dpi scan (its 792.48 points on 1651 pixels) softens thin strokes,
                         # and Otsu's level on the raw pixels came 3-14 grey levels lower and broke
                         # them (khonkaen F1 0.817 -> 0.477, songkhla 0.908 -> 0.601; README, OCR)
PAPER_STEP = 7           # pixels: the image is sampled this sparsely for its paper ...
PAPER_GREY = 128         # ... whose median is lighter than this on a scanned page


def scanned_image(page, dpi: int):
    """The page's pixels without rendering: a page that is one 8-bit grey or colour image
    covering it, upright, at `dpi` (within a pixel), is that image, decoded as scanned (8x
    faster than rendering it, and at 150 dpi pdfium's placement of 792.48 points on 1651
    pixels resampled the scan). None otherwise, or when the image is mostly dark: not a page
    of paper, or one that a mask or an inverting decode array (pdfium applies those when it
    renders) makes one."""
    import numpy as np
    import pypdfium2.raw as pdfium_c
    objs = list(page.get_objects(max_depth=1))
    if len(objs) != 1 or objs[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE or page.get_rotation():
        return None
    obj = objs[0]
    left, bottom, right, top = page.get_cropbox()
    x0, y0, x1, y1 = obj.get_bounds()
    if max(abs(x0 - left), abs(y0 - bottom), abs(x1 - right), abs(y1 - top)) > PAGE_FIT_PT:
        return None
    m = obj.get_matrix()
    if not (m.a > 0 and m.d > 0 and m.b == 0 and m.c == 0):
        return None
    meta = obj.get_metadata()
    if (meta.bits_per_pixel, meta.colorspace) not in ((8, pdfium_c.FPDF_COLORSPACE_DEVICEGRAY),
                                                      (24, pdfium_c.FPDF_COLORSPACE_DEVICERGB)):
        return None
    width, height = page.get_size()
    if abs(meta.width - width * dpi / 72.0) > 1 or abs(meta.height - height * dpi / 72.0) > 1:
        return None
    try:
        image = obj.get_bitmap(render=False).to_pil()
    except Exception:   # noqa: BLE001 - an image pdfium cannot decode on its own: render the page
        return None
    image = image if image.mode == "L" else image.convert("L")
    if image.size != (meta.width, meta.height):
        return None
    paper = np.asarray(image)[::PAPER_STEP, ::PAPER_STEP]
    if float(np.median(paper)) < PAPER_GREY:       # no paper: leave masks and decode arrays to pdfium
        return None
    return image


TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"


def _tesseract(images: list, psm: int, langs: str = OCR_LANGS) -> str:
    """Tesseract's TSV for page images (grey PIL images), in process: image k's rows carry
    page_num k + 1. Raises OcrUnavailable (no model) or RuntimeError (tesseract gave up)."""
    reason = tesseract_status()
    if reason:
        raise OcrUnavailable(reason)
    api = _api(langs)
    api.SetPageSegMode(psm)
    out = [TSV_HEADER]
    try:
        for k, image in enumerate(images):
            grey = image if image.mode == "L" else image.convert("L")
            api.SetImageBytes(grey.tobytes(), grey.width, grey.height, 1, grey.width)
            if not api.Recognize(timeout=OCR_TIMEOUT * 1000):
                raise RuntimeError(f"tesseract gave up on an image of {grey.width}x{grey.height} pixels")
            out.append(api.GetTSVText(k))
    finally:
        api.Clear()                   # the page's results go: memory stays flat over a long scan
    return "".join(out)


def _tsv_lines(tsv: str) -> list[dict]:
    """Tesseract's lines (level 4) with their words (level 5): boxes in pixels; `image` is the
    1-based number of the image in a multi-image run."""
    lines: dict[tuple, dict] = {}
    for raw in tsv.split("\n"):                  # split by hand: csv's reader was a tenth of the OCR's own Python time
        row = raw.split("\t", 11)
        if len(row) < 11 or row[0] not in ("4", "5"):
            continue                              # the header lines, pages, blocks, paragraphs
        key = (row[1], row[2], row[3], row[4])
        left, top, width, height = int(row[6]), int(row[7]), int(row[8]), int(row[9])
        if row[0] == "4":
            lines[key] = {"image": int(row[1]), "left": left, "top": top, "height": height,
                          "bottom": top + height, "right": left + width, "words": []}
        elif len(row) > 11 and row[11].strip() and key in lines:
            conf = float(row[10] or -1)
            if conf >= MIN_WORD_CONF:
                lines[key]["words"].append((row[11].strip(), left, left + width, conf))
                lines[key].setdefault("tops", []).append(top)
    return [line for line in lines.values() if line["words"]]


MIN_NUMBER_DIGITS = 2    # a low line of numbers has this many digits at least (a lone "1" may be a mark)
_DECIMALS = regex.compile(r"[0-9๐-๙]{0,3}\.[0-9๐-๙]{2}")   # an amount's wrapped end ("4.00"): no mark reads so


def _shifted_line(ln: dict, dx: int, dy: int) -> dict:
    """A tesseract line read on a crop of the page, placed on the page."""
    ln.update(left=ln["left"] + dx, right=ln["right"] + dx, top=ln["top"] + dy, bottom=ln["bottom"] + dy,
              words=[(t, a + dx, b + dx, *rest) for t, a, b, *rest in ln["words"]])
    if "tops" in ln:
        ln["tops"] = [t + dy for t in ln["tops"]]
    return ln


def _text_lines(lines: list[dict], usual: int) -> list[dict]:
    """Lines of text, without the rows of stray tone marks and vowels that page layout
    analysis reads as lines of their own (a low row of letters is text: จัดการศึกษา with its
    marks cut off is no taller than its x-height)."""
    for ln in lines:
        _stray_words_off(ln)
    return [ln for ln in lines
            if not _junk_line(ln["words"])
            and not (ln["height"] < MARK_ROW * usual and not _THAI_LETTER.search("".join(w[0] for w in ln["words"]))
                     and not _sure_numbers(ln["words"]))]


_CLEAN_NUMBER = regex.compile(r"[0-9๐-๙][0-9๐-๙,.]*")


def _stray_words_off(ln: dict) -> None:
    """A line of text that reads as junk only for the stray marks read beside it loses those
    marks: a row's ✓ in twelve month cells read as ” % ¥ Y at confidences 14-83 made surin's
    line "1.1.3 นิเทศ ติดตาม และ 170,100. กลุ่มพัฒนาครู" junk at 300 dpi, and the project's name
    and group lost their first line. Stray: no Thai letter, not a clean number, read under
    JUNK_CONF; the rest is text when it is no junk line and its Thai words were read surely
    (a row of stray tone marks read as letters is read unsurely)."""
    words = ln["words"]
    if not _junk_line(words):
        return
    kept = [w for w in words if _THAI_LETTER.search(w[0]) or _CLEAN_NUMBER.fullmatch(w[0]) or w[3] >= JUNK_CONF]
    thai = [w[3] for w in kept if _THAI_LETTER.search(w[0])]
    if len(kept) < len(words) and thai and sum(thai) / len(thai) >= JUNK_CONF and not _junk_line(kept):
        ln["words"] = kept


def _sure_numbers(words) -> bool:
    """Is a low line numbers read surely (a cell's wrapped "2567", "66 67", the "0 00 00" of
    amounts wrapped in narrow columns), not stray marks? Marks read as digits are unsure; an
    amount's end with its decimals ("8.50") counts read less surely."""
    texts = [w[0] for w in words]
    return (all(_CLEAN_NUMBER.fullmatch(t) and w[3] >= JUNK_CONF
                or _DECIMALS.fullmatch(t) and w[3] >= NOISE_CONF for t, w in zip(texts, words))
            and sum(len(t) for t in texts) >= MIN_NUMBER_DIGITS)


def _reread(image, lines: list[dict], usual: int) -> None:
    """Read every line again on its own (--psm 7), cropped with room above it for stacked
    marks: page layout analysis (--psm 6) cuts a tone mark over an upper vowel (ขั้น, ที่, พื้น)
    off into a row of its own and loses it; read as one line it stays (README: OCR)."""
    if not lines:
        return
    got = _read_lines([_line_crop(image, ln, usual) for ln in lines], lines)
    if got is None:
        return                # the page layout reading stands on its own
    texts = {k: "".join(w[0] for w in words) for k, words in got.items()}
    for k, ln in enumerate(lines):
        if texts.get(k):
            ln["words"] = reconcile(ln["words"], texts[k])


THAI_LANGS = "tha"       # a line the page reading found no Latin in is read again by the Thai model alone
_LATIN = regex.compile("[A-Za-z]")


def _read_lines(crops: list, lines: list[dict]) -> dict[int, list] | None:
    """Line crops read again, each as one line (_read_crops): those whose page reading has
    Latin letters (O-NET, PLC) with both models, the others with the Thai one alone (tesseract
    tries the English model on every word the Thai one is unsure of: a fifth of the time of
    a second reading, for words a line of Thai does not hold)."""
    latin = [bool(_LATIN.search("".join(w[0] for w in ln["words"]))) for ln in lines]
    out: dict[int, list] = {}
    for langs, want in ((OCR_LANGS, True), (THAI_LANGS, False)):
        idx = [k for k, is_latin in enumerate(latin) if is_latin == want]
        if not idx:
            continue
        got = _read_crops([crops[k] for k in idx], langs)
        if got is None:
            return None
        out.update({idx[j]: words for j, words in got.items()})
    return out


def _line_crop(image, ln: dict, usual: int):
    """A tesseract line of the page cut out to be read on its own, with room for its stacked
    marks above it (REREAD_UP line heights), a little below and either side."""
    up, down, side = int(REREAD_UP * usual), int(REREAD_DOWN * usual), int(REREAD_SIDE * usual)
    return image.crop((max(0, ln["left"] - side), max(0, ln["top"] - up),
                       min(image.width, ln["right"] + side), min(image.height, ln["bottom"] + down)))


REREAD_ALL = False       # True: every line read again (2.95x plain tesseract); False: those worth it (2.5x, same F1; README)
REREAD_CONF = 75.0       # a line with a word read less surely than this is read again (not a
                         # number: numbers are read by their shapes next, read_digits; 32 of 99
                         # lines read again on the fixture pages were for numbers only)
ABOVE = 0.4              # line heights above a line's box searched for marks left out of it ...
ABOVE_PX = 6             # ... this many ink pixels there that no line's box holds
CAP = 0.35               # line heights above an upper vowel's box searched for its lost tone mark ...
CAP_PX = 4               # ... this many ink pixels there
MARK_NEAR = 0.6          # line heights: a row of marks this near above (below) a line is its own
MARK_SIGNS = 2           # signs of a lost mark (a row of marks near, ink above, ink over a bare vowel)
                         # a line sure of its words needs to be read again: one alone was ink of
                         # the line above or a letter's tail nearly always (15 of 251 such lines
                         # changed by their second reading, over the 218 scan fixture pages)


def _ink_above(ink, ln: dict, boxes: list[dict], usual: int) -> bool:
    """Is there ink just above a line's box, over its width, that no other line's box holds
    (a tone mark the page reading left out of the line: it is read with the line again)?"""
    top = max(0, ln["top"] - int(ABOVE * usual))
    band = ink[top:ln["top"], ln["left"]:ln["right"]].copy()
    if not band.size:
        return False
    for b in boxes:
        if b is ln or b["bottom"] <= top or b["top"] >= ln["top"]:
            continue
        y0, y1 = max(b["top"], top) - top, min(b["bottom"], ln["top"]) - top
        x0, x1 = max(b["left"], ln["left"]) - ln["left"], min(b["right"], ln["right"]) - ln["left"]
        if y1 > y0 and x1 > x0:
            band[y0:y1, x0:x1] = False
    return int(band.sum()) >= ABOVE_PX


_UPPER_VOWEL = set("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47")
_TONE = set("\u0e48\u0e49\u0e4a\u0e4b\u0e4c")


def _bare_vowel_capped(ink, ln: dict, usual: int) -> bool:
    """Does ink stand over an upper vowel the page reading gave no tone mark (ขั้น read as
    ขัน, สั่ง as สัง: the mark over the vowel is lost, and read again with the line)?"""
    words, tops = ln["words"], ln.get("tops") or []
    if len(tops) != len(words):
        return False
    for k, (text, left, right, _conf) in enumerate(words):
        if not text or text[-1] not in _UPPER_VOWEL:
            continue
        after = words[k + 1][0][:1] if k + 1 < len(words) else ""
        if after in _TONE:
            continue
        y1 = tops[k]
        y0 = max(0, y1 - int(CAP * usual))
        if int(ink[y0:y1, left:right].sum()) >= CAP_PX:
            return True
    return False


_LATIN_DATE = regex.compile(r"^[0-9]{0,2}[A-Za-z][A-Za-z.,]{0,4}\.$")   # "Taw." for "1 ก.พ.", "we." for พ.ย.
LATIN_DATE_CONF = 90.0   # ... read less surely than this


def _latin_dates(image, lines: list[dict], usual: int) -> None:
    """A date the English model read as Latin ("Taw." for "1 ก.พ.", "we." for พ.ย.) — a short
    Latin word ending in a full stop, read unsurely — read again with the Thai model alone, its
    digits by shape (as a schedule cell's line): taken when that gives a month."""
    todo = [(ln, k) for ln in lines for k, w in enumerate(ln["words"])
            if _LATIN_DATE.match(w[0]) and w[3] < LATIN_DATE_CONF]
    if not todo:
        return
    script = _script("".join(w[0] for w in ln["words"]) for ln in lines)
    side = int(REREAD_SIDE * usual)
    boxes, crops = [], []
    for ln, k in todo:
        words = ln["words"]
        left = max(words[k - 1][2] if k else 0, words[k][1] - side)
        right = min(words[k + 1][1] if k + 1 < len(words) else image.width, words[k][2] + side)
        box = (left, ln["top"], right, ln["bottom"])
        boxes.append(box)
        crops.append(_word_crop(image, box))
    got = _read_crops(crops, DATE_LANGS)
    if got is None:
        return
    for n, (ln, k) in enumerate(todo):
        box = boxes[n]
        pad = int(PAD_SHARE * (box[3] - box[1]))
        ws = [(t, a - pad + box[0], b - pad + box[0], c) for t, a, b, c in got.get(n, [])]
        if not ws:
            continue
        text, conf = _date_line(image, ws, box, script)
        if any(m in text for m in MONTH_ABBR_PRINT):
            w = ln["words"][k]
            ln["words"][k] = (text, w[1], w[2], min(w[3], 100 * conf))


# a project sheet's schedule label (forms.py), as tesseract gives it: sara am as nikhahit +
# sara aa, ด read ต (its words joined: gaps are measured later)
_PERIOD_LABEL = regex.compile(r"ระยะเวลา(?:(?:ใน)?(?:การ)?[ดต](?:ำ|ํา)เนิน(?:การ|งาน))?")


PERIOD_YEARS = 2         # a period read longer than this, or backwards, is misread (a year's digits lost)


def _period_ends(text: str) -> int:
    """How many ends of a schedule period a text gives (0-2); 0 for a period that ends before
    it starts or runs over PERIOD_YEARS ("... ๓๑ สิงหาคม ๒๕": the year's last digits lost)."""
    try:
        p = parse_period(text)
    except DateRejected:
        return 0
    if p.start is not None and p.end is not None and not (
            p.start.value <= p.end.value and p.end.value.year - p.start.value.year <= PERIOD_YEARS):
        return 0
    return (p.start is not None) + (p.end is not None)


def _period_fields(image, lines: list[dict], usual: int) -> None:
    """A project sheet's ระยะเวลาดำเนินการ line: what follows the label read again with the
    Thai model alone, months kept and digits read by shape, as a ruled table's schedule cell is
    (reread_date_cells); taken as one word when it gives more ends of a period, or both as the
    page reading does. The page reading ran Latin into the dates ("๖๕ - ม.ค. dd" for ต.ค. ๖๕ –
    ม.ค. ๖๖), and a dash between two dates, a word of its own, was dropped as a speck: each
    sheet lost its schedule."""
    todo = []
    for ln in lines:
        words = ln["words"]
        chars = [(ch, k) for k, w in enumerate(words) for ch in w[0]]
        seq = "".join(ch for ch, _k in chars)
        m = _PERIOD_LABEL.search(seq)
        if m is None or m.start() > len(seq) // 3:
            continue
        last = chars[m.end() - 1][1]
        if last + 1 >= len(words):
            continue
        box = (words[last][2] + 1, ln["top"], ln["right"], ln["bottom"])
        if box[2] - box[0] < usual:
            continue
        todo.append((ln, last, box))
    if not todo:
        return
    script = _script("".join(w[0] for w in ln["words"]) for ln in lines)
    crops = [_word_crop(image, box) for _ln, _last, box in todo]
    got = _read_crops(crops, DATE_LANGS)
    if got is None:
        return
    for n, (ln, last, box) in enumerate(todo):
        pad = int(PAD_SHARE * (box[3] - box[1]))
        ws = [(t, a - pad + box[0], b - pad + box[0], c) for t, a, b, c in got.get(n, [])]
        if not ws:
            continue
        text, conf = _date_line(image, ws, box, script)
        seen = "".join(w[0] for w in ln["words"][last + 1:])      # word gaps are not measured yet
        ends, seen_ends = _period_ends(text), _period_ends(repair_thai(nfc(seen)))
        if ends > seen_ends or ends == seen_ends == 2:    # one word: its dash is no speck of its own
            rest = ln["words"][last + 1:]
            ln["words"] = ln["words"][:last + 1] + [(text, rest[0][1], rest[-1][2], min(w[3] for w in rest))]


MARK_RESCALE = 1.5       # a line read once more this many times its size (tesseract's reading of a stacked mark depends on the scale)
_BARE_VOWEL = regex.compile("[\u0e31\u0e34-\u0e37](?![\u0e48-\u0e4b])")
_TONES_TRIED = "\u0e48\u0e49"  # mai ek, mai tho: the tone marks set over an upper vowel


def _bare_vowel_unworded(text: str) -> bool:
    """Would a tone mark over one of the line's upper vowels make more of it dictionary Thai,
    or as much in fewer words ("วันที" for วันที่, "สือสาร" for สื่อสาร, "ยังยืน" for ยั่งยืน)?
    Then its reading likely lost one."""
    share = None
    for m in _BARE_VOWEL.finditer(text):
        k = m.end()
        share = share or _worded([(c, 0) for c in text])      # only for a line with a bare vowel
        for tone in _TONES_TRIED:
            if _more_worded(_worded([(c, 0) for c in text[:k] + tone + text[k:]]), share):
                return True
    return False


def _more_worded(better: tuple[float, int], than: tuple[float, int]) -> bool:
    """More of the line dictionary Thai, or as much in fewer words, and never more words."""
    return better[0] >= than[0] and better[1] <= than[1] and better != than


def _worded(chars: list[tuple[str, int]]) -> tuple[float, int]:
    """A line's dictionary share and its number of words: a mark that splits a word into
    pieces the dictionary happens to hold (เตรี่ยม: การเต|รี่|ยม) makes more words, not more
    of the line Thai."""
    runs = thai_runs(repair_thai(nfc("".join(c for c, _ in chars))))
    return word_share(runs) or 0.0, len(words_of(" ".join(runs)))


def _rescaled_marks(image, lines: list[dict], usual: int) -> None:
    """A line whose upper vowel lacks the tone mark the dictionary expects over it is read once
    more, scaled by MARK_RESCALE, and the tone marks that reading has over its upper vowels are
    taken (never one the image does not give: the mark comes from tesseract's reading, the
    dictionary only picks the lines). Songkhla's hand-drawn font sets mai ek beside the tail of sara ii; at 200
    dpi both readings lost it ("(ข้อมูล ณ วันที ๑๐ มิถุนายน ๒๕๖๕)": the tables' date lost), at
    150 dpi and at 1.5 times the line it is read."""
    from PIL import Image
    todo = [ln for ln in lines if _bare_vowel_unworded("".join(w[0] for w in ln["words"]))]
    if not todo:
        return
    crops = []
    for ln in todo:
        crop = _line_crop(image, ln, usual)
        crops.append(crop.resize((round(crop.width * MARK_RESCALE), round(crop.height * MARK_RESCALE)), Image.BICUBIC))
    got = _read_lines(crops, todo)
    if got is None:
        return
    for k, ln in enumerate(todo):
        text = "".join(w[0] for w in got.get(k, []))
        if text:
            ln["words"] = _tones_over_vowels(ln["words"], text)


def _tones_over_vowels(words: list[tuple], again: str) -> list[tuple]:
    """The tone marks another reading (`again`) has over upper vowels where the line has
    none, put on those vowels; nothing else is taken from it (its letters and digits at
    another scale differ now and then, and the boxes are the page reading's). Each is kept
    only if it makes more of the line dictionary Thai, or as much in fewer words, and no more
    words (at 1.5 times, เตรียม was read เตรี่ยม: การเต|รี่|ยม)."""
    chars = [(ch, w) for w, (text, *_rest) in enumerate(words) for ch in text]
    base = "".join(ch for ch, _ in chars)
    out = list(chars)
    shift = 0
    share = None
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, base, again, autojunk=False).get_opcodes():
        if (op == "insert" and i1 > 0 and base[i1 - 1] in _UPPER_VOWEL
                and all(c in _TONE for c in again[j1:j2])):
            owner = chars[i1 - 1][1]
            candidate = out[:i1 + shift] + [(c, owner) for c in again[j1:j2]] + out[i1 + shift:]
            share = _worded(out) if share is None else share
            better = _worded(candidate)
            if _more_worded(better, share):
                out, share = candidate, better
                shift += j2 - j1
    if shift == 0:
        return words
    texts = [""] * len(words)
    for ch, w in out:
        texts[w] += ch
    return [(texts[w], *rest) for w, (_text, *rest) in enumerate(words)]


def _lost_marks(found: list[dict], kept: list[dict], usual: int, ink) -> list[dict]:
    """The lines worth a second reading: one with a word tesseract was unsure of (other than
    a number, which is read by its shape next), one with a short Latin word among Thai ones
    (_latin_in_thai), or one with MARK_SIGNS signs that the page reading cut a mark off it: a
    row of stray marks (dropped as a line of its own) just above or below it over its width,
    ink just above its box that no line holds, ink over an upper vowel it gave no tone mark.
    Each reading costs about as much as the line's share of the page's, so only these are
    read again (README, OCR: the same F1 as reading every line)."""
    ids = {id(ln) for ln in kept}
    rows = [ln for ln in found if id(ln) not in ids]
    out = []
    for ln in kept:
        if _unsure_unworded(ln["words"]) or _latin_in_thai(ln["words"]):
            out.append(ln)
            continue
        signs = any(min(ln["right"], r["right"]) - max(ln["left"], r["left"]) > 0
                    and (ln["top"] - MARK_NEAR * usual <= r["bottom"] <= ln["top"] + MARK_NEAR * usual
                         or ln["bottom"] - MARK_NEAR * usual <= r["top"] <= ln["bottom"] + MARK_NEAR * usual)
                    for r in rows)
        signs += _ink_above(ink, ln, kept, usual)
        if signs < MARK_SIGNS:
            signs += _bare_vowel_capped(ink, ln, usual)
        if signs >= MARK_SIGNS:
            out.append(ln)
    return out


_SHORT_LATIN = regex.compile(r"[A-Za-z]{0,4}[a-z][A-Za-z]{0,4}")
MIN_THAI_AROUND = 4      # Thai letters a line holds for a short Latin word in it to be a misreading


def _latin_in_thai(words: list[tuple]) -> bool:
    """A short Latin word with a small letter, however surely read, among Thai words: the
    English model's reading of a Thai word ("(ข้อมูล ณ Tun ๑๐ มิถุนายน ..." for วันที่: the
    statistics' date lost; an acronym, O-NET or PLC, is capitals)."""
    texts = [w[0] for w in words]
    if not any(_SHORT_LATIN.fullmatch(t) for t in texts):
        return False
    return len(_THAI_LETTER.findall("".join(texts))) >= MIN_THAI_AROUND


def _unsure_unworded(words: list[tuple]) -> bool:
    """A word read less surely than REREAD_CONF (not a number) in a line whose Thai is not all
    dictionary words. A line all words has nothing to gain from a second reading but marks
    (reconcile takes other letters only where they make more of the line Thai), and its lost
    marks are sought by the ink (_ink_above, _bare_vowel_capped) and the dictionary
    (_rescaled_marks) all the same: one in eight of the lines read again (README, OCR)."""
    if not any(w[3] < REREAD_CONF and not numberish(w[0]) for w in words):
        return False
    return _thai_share([(w[0], 0) for w in words]) < 1.0


def read_digits(image, line: dict, usual: int) -> list[tuple]:
    """A line's words with every number in it read again by glyph shape
    (extractors/digit_reader.py): a run of adjacent words that tesseract read as digits,
    separators or the letters it mistakes digits for becomes one word, its text the shapes'
    reading (tesseract's own when the shapes cannot be read cleanly)."""
    words = _bracketed(line["words"])
    out, k = [], 0
    used = [0, 0]            # the ink the last number read took: tesseract's boxes lag the ink, and
    while k < len(words):    # the next number's box may start on a digit already read
        if not numberish(words[k][0]):
            after_month, latin = _year_after_month(words, k), _unsure_latin(words[k])
            year = after_month or latin
            marks = len(words[k][0]) - len(words[k][0].lstrip(_MARK_TEXT))
            if year or _numbered_after(words, k, marks):  # "นโยบายที่ «": the number a heading needs
                seen = words[k][0][marks:]
                limits = (words[k - 1][2], words[k + 1][1] if k + 1 < len(words) else image.width)
                read = read_number(image, (words[k][1], line["top"], words[k][2], line["bottom"]), seen, limits,
                                   _script(w[0] for w in words) if year else None, extent=used, start=used[1])
                if read is not None and (read[1] >= YEAR_MATCH and bool((_YEAR if after_month else _BE_YEAR).fullmatch(read[0]))
                                         if year else read[1] >= NUMBERED_MATCH):
                    if marks:          # "่«": the tone mark of ที่ read into the number's word
                        out[-1] = (out[-1][0] + words[k][0][:marks], *out[-1][1:])
                    out.append((read[0], words[k][1], words[k][2], min(words[k][3], 100 * read[1])))
                    k += 1
                    continue
            out.append(words[k])
            k += 1
            continue
        j = k + 1
        while (j < len(words) and words[j][1] - words[j - 1][2] < DIGIT_GAP * usual
               and (numberish_part(words[j][0]) or _misread_digits(words[j][0])
                    or (j + 1 < len(words) and len(words[j][0]) <= 2 and _THAI_LETTER.fullmatch(words[j][0][:1])
                        and numberish_part(words[j + 1][0]) and words[j + 1][1] - words[j][2] < DIGIT_GAP * usual))):
            j += 1
        run = words[k:j]
        seen = "".join(w[0] for w in run)
        limits = (words[k - 1][2] if k else 0, words[j][1] if j < len(words) else image.width)
        read = read_number(image, (run[0][1], line["top"], run[-1][2], line["bottom"]), seen, limits,
                           extent=used, start=used[1])
        if read is None or not read[0]:
            out.extend(run)
        else:
            out.append((read[0], run[0][1], run[-1][2], min(w[3] for w in run)))
        k = j
    return out


BRACKET_WIDTH = 0.4      # a bracket's width, in digits' widths
_BRACKETED = regex.compile(r"^([(\[]?)(.+?)([)\]]?)$")


def _bracketed(words: list[tuple]) -> list[tuple]:
    """A bracket tesseract read into a number's word ("๑๕)" of "(... ๒๕๖๕)") as a word of its
    own, its box a share of the word's by characters, so that the number is read by shape."""
    out = []
    for w in words:
        m = _BRACKETED.match(w[0])
        if not m or not (m[1] or m[3]) or not numberish(m[2]):
            out.append(w)
            continue
        text, left, right, conf = w
        step = (right - left) / (len(m[2]) + BRACKET_WIDTH * (len(m[1]) + len(m[3])))
        a = left + round(step * BRACKET_WIDTH * len(m[1]))
        b = right - round(step * BRACKET_WIDTH * len(m[3]))
        if m[1]:
            out.append((m[1], left, a, conf))
        out.append((m[2], a, b, conf))
        if m[3]:
            out.append((m[3], b, right, conf))
    return out


def _misread_digits(text: str) -> bool:
    """Digits with a letter or two tesseract made of one ("ดล๔๐" for ๙๔๐): read on by shape
    after a number (the shapes decide; tesseract's reading stands if they are not digits).
    Two letters between digits ("๑๓๕," "ดล" "๕๐") are read on too."""
    return bool(regex.search(rf"[{THAI_DIGITS}{ARABIC_DIGITS}]", text)) and len(_THAI_LETTER.findall(text)) <= 2 \
        and bool(regex.fullmatch(rf"[\u0e01-\u0e2e{THAI_DIGITS}{ARABIC_DIGITS},.]+", text))


YEAR_MATCH = 0.7         # a year after a month is read by shape matching this well (a lone number, NUMBERED_MATCH)
_YEAR = regex.compile(r"[0-9๐-๙]{2}|[0-9๐-๙]{4}")
_BE_YEAR = regex.compile(r"[2๒][5๕][0-9๐-๙]{2}")   # what an unsure Latin word must read as (a schedule cell's "VE" is no year)
_NO_THAI_LETTER = regex.compile(r"[^\u0e01-\u0e4e]+")


def _year_after_month(words: list[tuple], k: int) -> bool:
    """Is word k, holding no Thai letter, right after a month's name: a year the English
    model read as Latin ("๑ มิถุนายน Wedd" for ๒๕๖๖ on a project sheet's ระยะเวลาดำเนินการ)?"""
    if k == 0 or not _NO_THAI_LETTER.fullmatch(words[k][0]) or not regex.search("[A-Za-z]", words[k][0]):
        return False
    before = "".join(w[0] for w in words[max(0, k - 10):k]).replace("\u0e4d\u0e32", "\u0e33").replace(" ", "")
    return before.endswith(tuple(MONTH_FULL_PRINT) + tuple(MONTH_ABBR_PRINT))


UNSURE_LATIN_CONF = 50.0  # a Latin word read less surely than this may be Thai digits ("abd" at 18 for ๒๕๖๖)


def _unsure_latin(word: tuple) -> bool:
    """A word of Latin letters only, read unsurely: the English model's guess at digits (a
    year wrapped alone onto a name's last line); read by shape, taken as a Buddhist-era year
    only (a schedule cell's "VE", read ๖๕, is left to the schedule's own reading)."""
    return word[3] < UNSURE_LATIN_CONF and bool(regex.fullmatch(r"[A-Za-z]{2,6}", word[0]))


def _numbered_after(words: list[tuple], k: int, marks: int = 0) -> bool:
    """Is word k a lone character where a number must stand: right after "ที่" (กลยุทธ์ที่ N,
    นโยบายที่ N, โครงการที่ N) or "จำนวน" (จำนวน N โครงการ)? Tesseract reads a Thai digit there
    as «, », ซ or ฐ now and then, and may put the last tone mark before it into its word
    ("่«": `marks`, the count of such leading marks)."""
    text = words[k][0][marks:]
    if not (k > 0 and 0 < len(text) <= 2 and text[0] not in _MARK_CHARS
            and not _THAI_LETTER.search(text[1:])):
        return False
    before = ("".join(w[0] for w in words[max(0, k - 8):k]) + words[k][0][:marks]).replace(
        "\u0e4d\u0e32", "\u0e33").replace(" ", "")
    return before.endswith(("ที", "ที่", "ทิ่", "จำนวน", "จ้านวน", "จ้ำนวน"))


def reconcile(words: list[tuple], again: str, always: bool = False) -> list[tuple]:
    """Two readings of a line, page layout (`words`, with boxes) and the line alone (`again`),
    made into one. Characters are aligned (difflib); where they differ:
    - marks that only the line reading has are taken (it keeps stacked tone marks: ขั้น, ที่);
    - any other difference is taken from the line reading only if that makes more of the
      line dictionary Thai (it sometimes invents a letter at a gap, กงบ for งบ; the page
      reading sometimes doubles or drops one, กการ, บเคลื่อน). Nothing is made up: every
      character comes from one of the two readings. The words keep their boxes. With
      `always`, every difference is taken (`again` was judged already: am_fix)."""
    chars = [(ch, w) for w, (text, *_rest) in enumerate(words) for ch in text]
    base = "".join(ch for ch, _ in chars)
    if base == again:
        return words
    out = list(chars)          # result so far, as (char, word it belongs to)
    share = None               # _thai_share(out), worked out when first needed
    shift = 0                  # where the opcodes' base positions sit in `out`
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, base, again, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        marks = all(c in _MARK_CHARS for c in again[j1:j2])
        if i2 > i1 or (i1 < len(chars) and not (marks and i1 > 0)):
            owner = chars[min(i1, len(chars) - 1)][1]     # letters lead the word they precede
        else:
            owner = chars[i1 - 1][1]                      # marks sit on the letter before
        piece = [(ch, owner) for ch in again[j1:j2]]
        candidate = out[:i1 + shift] + piece + out[i2 + shift:]
        if op == "insert" and i1 > 0 and marks:
            out, share = candidate, None
            shift += (j2 - j1) - (i2 - i1)
            continue
        if always:                                    # a reading already judged (am_fix)
            out = candidate
            shift += (j2 - j1) - (i2 - i1)
            continue
        if share is None:
            share = _thai_share(out)
        better = _thai_share(candidate)
        if better > share:
            out, share = candidate, better
            shift += (j2 - j1) - (i2 - i1)
    texts = [""] * len(words)
    for ch, w in out:
        texts[w] += ch
    return [(texts[w], *rest) for w, (_text, *rest) in enumerate(words) if texts[w]]


def _thai_share(chars: list[tuple[str, int]]) -> float:
    """Share of a line's Thai letters that are in dictionary words (the page score's measure)."""
    return word_share(thai_runs(repair_thai(nfc("".join(c for c, _ in chars))))) or 0.0


def read_image(image, scale: float, height_pt: float, cuts: list | None = None,
               box: tuple | None = None) -> list[Segment]:
    """OCR of a page image: page layout (--psm 6) finds the lines, the lines worth it
    (_lost_marks) are read again on their own, and the words become segments (`cuts`:
    vertical rulings, which end them)."""
    import numpy as np
    lines = _tsv_lines(_tesseract([image if box is None else image.crop(box)], OCR_PSM))
    if box is not None:
        lines = [_shifted_line(ln, box[0], box[1]) for ln in lines]
    if not lines:
        return []
    heights = sorted(line["height"] for line in lines)
    usual = heights[len(heights) // 2]
    found = lines
    lines = _text_lines(lines, usual)
    ink = np.asarray(image, dtype=np.uint8) < 128       # the page's ink: marks lost, gaps between words
    _reread(image, lines if REREAD_ALL else _lost_marks(found, lines, usual, ink), usual)
    _rescaled_marks(image, lines, usual)
    for ln in lines:
        ln["words"] = read_digits(image, ln, usual)
    _latin_dates(image, lines, usual)
    _period_fields(image, lines, usual)
    _ink_gaps(ink, lines, usual)
    for ln in lines:
        text = "".join(w[0] for w in ln["words"])
        fixed = am_fix(text) if _AM_SLIP.search(text) else text
        if _TWO_VOWELS.search(fixed):
            fixed = one_upper_vowel(fixed)
        fixed = letter_fix(fixed)
        if fixed != text:
            ln["words"] = reconcile(ln["words"], fixed, always=True)
    return line_segments(lines, usual / scale / LINE_TO_FONT, scale, height_pt, cuts or [])


INK_GAP_EM = 0.2         # font sizes: a run of blank pixel columns this wide is a word gap; narrower, a letter gap


def _ink_gaps(ink, lines: list[dict], usual: int) -> None:
    """Word boxes checked against the ink between them. Tesseract's boxes of Thai characters
    are its model's estimate, not the ink's: they lag by up to a letter's width ("ทัล" boxed
    10-40 pixels right of its ink at 300 dpi) and reach into a gap or short of it ("178,70" and
    กลุ่ม, a column apart, boxed 6.5 points apart at 300 dpi: one cell). Two corrections, both
    from runs of blank pixel columns over the line's height:
    - a run at least GAP_EM wide is a column gap: it goes to the word boundary whose box gap
      overlaps it most, and the words before it end where it starts, those after it begin
      where it ends (a box lying inside the run shrinks onto its edge);
    - a box gap of INK_GAP_EM or more with no run that wide between the two words' outer
      edges is a letter gap, and closed (a heading's "เห|ลื่อม" boxed 0.4 font sizes apart
      was cut at a table's column edge below it)."""
    import numpy as np
    em = usual / LINE_TO_FONT
    for ln in lines:
        words = [list(w) for w in ln["words"]]
        bounds = [k for k in range(1, len(words)) if words[k][0][:1] not in _MARK_CHARS]
        if not bounds:
            continue
        x0, x1 = max(0, min(w[1] for w in words)), min(ink.shape[1], max(w[2] for w in words))
        if x1 - x0 < 2:
            continue
        cols = ink[ln["top"]:ln["bottom"], x0:x1].any(axis=0)
        filled = np.flatnonzero(cols)
        if not filled.size:
            continue
        first = x0 + int(filled[0])               # gaps lie between the line's first and last ink
        runs = [(first + a, first + b) for a, b in ink_runs(~cols[filled[0]:filled[-1] + 1])
                if b - a >= INK_GAP_EM * em]
        for a, b in runs:
            if b - a < GAP_EM * em:
                continue
            k = max(bounds, key=lambda k: min(b, words[k][1]) - max(a, words[k - 1][2]))
            if min(b, words[k][1]) - max(a, words[k - 1][2]) <= 0:
                continue                          # no boundary's box gap meets it
            for w in words[:k]:
                w[2] = min(w[2], a)
                w[1] = min(w[1], w[2] - 1)
            for w in words[k:]:
                w[1] = max(w[1], b)
                w[2] = max(w[2], w[1] + 1)
        for k in bounds:
            before, after = words[k - 1], words[k]
            if after[1] - before[2] >= INK_GAP_EM * em and not any(
                    a < after[2] and b > before[1] for a, b in runs):
                after[1] = before[2]
        ln["words"] = [tuple(w) for w in words]


_TWO_VOWELS = regex.compile("[\u0e31\u0e34-\u0e37]{2}")


def one_upper_vowel(text: str) -> str:
    """Two upper vowels stacked on one letter (no Thai spelling has them: tesseract's doubt
    between two, "ประจำปึีงบประมาณ" on songkhla's cover at 300 dpi, which ran the cover's
    title into its fiscal-year line): the one that makes more of the line dictionary Thai, or
    as much in fewer words, is kept (the first when neither does)."""
    while (m := _TWO_VOWELS.search(text)) is not None:
        first = text[:m.start() + 1] + text[m.end():]
        second = text[:m.start()] + text[m.start() + 1:]
        pick = second if _more_worded(_worded([(c, 0) for c in second]),
                                      _worded([(c, 0) for c in first])) else first
        text = pick
    return text


_AMOUNT_THEN_THAI = regex.compile(r"^([0-9๐-๙][0-9๐-๙,.]*)(\p{Thai}.*)$")


def _cut_at_rulings(words: list, cuts: list, top: int, bottom: int) -> list:
    """Words (text, left, right, conf) cut at the vertical ruling their box runs over when
    the words after them start past it: tesseract boxes an amount set against a cell's right
    border over the next cell's Thai text ("163,750." boxed over กลุ่มบริหาร, the amount went
    to the next cell), or joins the two ("163,750.กลุ่ม": cut where the Thai begins)."""
    mid = (top + bottom) / 2
    out = []
    for k, word in enumerate(words):
        text, left, right, conf = word
        rule = next((r for r in cuts if left < r.pos < right and r.a <= mid <= r.b), None)
        if rule is None:
            out.append(word)
            continue
        cut = int(rule.pos)
        m = _AMOUNT_THEN_THAI.match(text)
        if m is not None:
            out += [(m[1], left, cut, conf), (m[2], cut + 1, right, conf)]
        elif k + 1 < len(words) and cut < words[k + 1][1] < right and (left + right) / 2 > cut:
            out.append((text, left, cut, conf))
        else:
            out.append(word)
    return out


def _ruled_between(cuts: list, before: tuple, after: tuple, top: int, bottom: int) -> bool:
    """Is there a vertical ruling (pixels) between two words of a line (between their
    middles: tesseract's boxes of letters next to an erased ruling reach over it)?"""
    mid = (top + bottom) / 2
    left, right = (before[1] + before[2]) / 2, (after[1] + after[2]) / 2
    return any(left < r.pos < right and r.a <= mid <= r.b for r in cuts)


def line_segments(lines: list[dict], size: float, scale: float, height_pt: float,
                  cuts: list | None = None) -> list[Segment]:
    """Segments (PDF points) from OCR lines. For Thai, tesseract reports nearly every
    character (marks included) as a 'word', in reading order; consecutive words of one line
    join without a space across a letter gap, with a space across a word gap, and a column
    gap starts a new segment, as in a text layer. One font size per page (`size`): a line's
    own box grows with its marks and would hide column gaps."""
    segs: list[Segment] = []
    fenced: set[int] = set()          # segments that begin at a ruling
    for line in lines:
        y = height_pt - line["bottom"] / scale
        cur = None
        prev = None
        for word in _cut_at_rulings(line["words"], cuts, line["top"], line["bottom"]) if cuts else line["words"]:
            text, left, right, conf = word
            x0, x1 = left / scale, right / scale
            gap = x0 - cur.x1 if cur is not None else None
            ruled = cur is not None and bool(cuts) and _ruled_between(cuts, prev, word, line["top"], line["bottom"])
            if cur is None or gap > GAP_EM * size or ruled:
                cur = Segment(x0, x1, y, size, text)
                if ruled:
                    fenced.add(id(cur))
                cur.confs = [conf]
                cur.pieces = [(x0, x1, text)]
                segs.append(cur)
            else:
                thai = _THAI.match(cur.text[-1]) and _THAI.match(text[0])
                sep = "" if gap < (THAI_SPACE_EM if thai else SPACE_EM) * size or text[0] in _MARK_CHARS else " "
                cur.text += sep + text
                cur.x1 = max(cur.x1, x1)
                cur.confs.append(conf)
                cur.pieces.append((x0, x1, sep + text))
            prev = word
    segs = _split_at_starts(segs, size, fenced)
    return [s for s in segs if not _noise(s)]


COLUMN_LINES = 3         # a column edge is where this many lines start (end) a segment (borderless tables)
SPLIT_GAP_EM = 0.45      # font sizes: the least gap a segment is split at, at a column edge
EDGES_GAP_EM = 0.2       # ... and where a column's right edge and the next one's left edge meet
START_TOL_EM = 0.5       # font sizes: how near a column edge a word must begin (end)


_WORDISH = regex.compile(r"[\u0e01-\u0e2e0-9๐-๙A-Za-z]")


def _popular(values: list[tuple[float, float]], tol: float) -> list[float]:
    """x positions (with the line's y) shared by at least COLUMN_LINES lines, within `tol`."""
    values = sorted(values)
    out = []
    for k, (x, _y) in enumerate(values):
        lines = {round(y, 1) for x2, y in values[k:] if x2 - x <= tol}
        if len(lines) >= COLUMN_LINES and not (out and x - out[-1] <= tol):
            out.append(x)
    return out


def _crossed(x: float, at: list[tuple[float, float]], segs: list[Segment], size: float, tol: float) -> bool:
    """Is an alignment at x crossed by more segments than line up on it? A column's edge has
    blank beside it down the table; a justified name column's phrase gaps line up now and then
    (four lines of surat3 at 300 dpi start a phrase at one x) while most of its lines run on
    through that x, and a heading above the table crossed a column edge with a letter gap there
    ("เห|ลื่อม": cut). A segment crosses x where no gap of EDGES_GAP_EM between its pieces
    lies within `tol` of it."""
    lined = sum(1 for v, _y in at if abs(v - x) <= tol)
    crossing = 0
    for seg in segs:
        if not (seg.x0 < x - tol and seg.x1 > x + tol):
            continue
        pieces = seg.pieces or []
        if not any(b[0] - a[1] >= EDGES_GAP_EM * size and a[1] <= x + tol and b[0] >= x - tol
                   for a, b in zip(pieces, pieces[1:])):
            crossing += 1
    return crossing > lined


def _spread(values: list[float]) -> float:
    return max(values) - min(values) if values else 0.0


def _split_at_starts(segs: list[Segment], size: float, fenced: set[int] = frozenset()) -> list[Segment]:
    """Column gaps of a borderless table by alignment. Locally a column gap and a word gap
    look alike: a narrow column sets its label a word gap from its neighbour's ("งบ
    ผู้รับผิดชอบ"), and a justified name stretches its phrase gaps ("กีฬา  สู่ความเป็น").
    Across lines they differ: where at least COLUMN_LINES lines start a segment other than
    their first at one x (a column's left edge), or end one other than their last (a
    right-aligned column's edge), a gap of SPLIT_GAP_EM parts a segment; two segments of
    words apart by less than JOIN_EM anywhere else are one (_join_phrases)."""
    tol = START_TOL_EM * size
    by_line: dict[float, list[Segment]] = {}
    for seg in segs:
        by_line.setdefault(round(seg.y, 1), []).append(seg)
    starts, ends, spans = [], [], []
    for y, line in by_line.items():
        line.sort(key=lambda sg: sg.x0)
        starts += [(sg.x0, y) for sg in line[1:]]
        ends += [(sg.x1, y) for sg in line[:-1]]
        spans += [(sg.x0, sg.x1) for sg in line]
    lefts = [x for x in _popular(starts, tol) if not _crossed(x, starts, segs, size, tol)]
    rights = [x for x in _popular(ends, tol) if not _crossed(x, ends, segs, size, tol)]
    # a column's edge, not a word's: the segments that start (end) there end (start) at
    # different places. A date column prints "ตุลาคม" and "2566" at the same places line after
    # line, and a letter gap inside "พฤศจิก|ายน" met both of those edges
    col_lefts = [x for x in lefts if _spread([b for a, b in spans if abs(a - x) <= tol]) > 2 * tol]
    col_rights = [x for x in rights if _spread([a for a, b in spans if abs(b - x) <= tol]) > 2 * tol]

    def edges(left_end: float, right_start: float) -> int:
        return any(abs(right_start - x) <= tol for x in lefts) + any(abs(left_end - x) <= tol for x in rights)

    def column_edges(left_end: float, right_start: float) -> bool:
        return any(abs(right_start - x) <= tol for x in col_lefts) and any(abs(left_end - x) <= tol for x in col_rights)

    def edge(left_end: float, right_start: float) -> bool:
        return edges(left_end, right_start) > 0

    def cuts_at(gap: float, left_end: float, right_start: float) -> bool:
        # a gap at one edge must be wider than a word gap; one where a right-aligned column
        # ends and a left-aligned one begins may be narrower (a label set tight: "งบ
        # ผู้รับผิดชอบ" measured 0.53 font sizes at 200 dpi, 0.41 at 300)
        return ((gap >= SPLIT_GAP_EM * size and edges(left_end, right_start) > 0)
                or (gap >= EDGES_GAP_EM * size and column_edges(left_end, right_start)))

    out = []
    for line in by_line.values():
        line = _join_phrases(line, size, edge, fenced)
        parts: list[Segment] = []
        for seg in line:
            pieces, confs = seg.pieces or [], seg.confs or []
            if len(pieces) != len(confs) or not pieces:
                parts.append(seg)
                continue
            cut = [k for k in range(1, len(pieces))
                   if cuts_at(pieces[k][0] - pieces[k - 1][1], pieces[k - 1][1], pieces[k][0])]
            bounds = [0] + cut + [len(pieces)]          # a part without a letter or digit is no cell
            cut = [c for k, c in enumerate(cut) if _WORDISH.search("".join(t for *_x, t in pieces[c:bounds[k + 2]]))
                   and _WORDISH.search("".join(t for *_x, t in pieces[bounds[k]:c]))]
            for a, b in zip([0] + cut, cut + [len(pieces)]):
                if a == 0 and b == len(pieces):
                    parts.append(seg)
                    continue
                part = pieces[a:b]
                text = "".join(t for _x0, _x1, t in part).strip()
                new = Segment(part[0][0], max(x1 for _x0, x1, _t in part), seg.y, seg.size, text)
                new.pieces = [(part[0][0], part[0][1], part[0][2].lstrip())] + part[1:]
                new.confs = confs[a:b]
                parts.append(new)
        out += parts
    return out


JOIN_EM = 1.0            # font sizes: a phrase gap of a justified line is narrower than this
_DIGITS = regex.compile(r"[0-9๐-๙]")


def _join_phrases(line: list[Segment], size: float, edge, fenced: set[int]) -> list[Segment]:
    """Segments of a line (sorted by x) joined back where the gap between them is a phrase
    gap, not a column gap: narrower than JOIN_EM, at no column edge (`edge`: alignment
    across lines), with no ruling between, and words on both sides (no digits: a number is a
    cell of its own; no header label: cell_role). OCR measures a phrase's space as a gap, and
    justification stretches it past GAP_EM: "พัฒนาห้องเรียนกีฬา  สู่ความเป็น" was two
    segments, and the second, nearer the amount's label than the name's, went to the
    amount's column (README: OCR)."""
    out: list[Segment] = []
    for seg in line:
        prev = out[-1] if out else None
        if (prev is not None and seg.x0 - prev.x1 < JOIN_EM * size and id(seg) not in fenced
                and not edge(prev.x1, seg.x0) and prev.pieces and seg.pieces
                and len(prev.pieces) == len(prev.confs or []) and len(seg.pieces) == len(seg.confs or [])
                and not _DIGITS.search(prev.text + seg.text)
                and cell_role(prev.text) is None and cell_role(seg.text) is None):
            first = seg.pieces[0]
            joined = Segment(prev.x0, max(prev.x1, seg.x1), prev.y, prev.size, f"{prev.text} {seg.text.lstrip()}")
            joined.pieces = prev.pieces + [(first[0], first[1], " " + first[2].lstrip())] + seg.pieces[1:]
            joined.confs = prev.confs + seg.confs
            out[-1] = joined
        else:
            out.append(seg)
    return out


def _junk_line(words) -> bool:
    """Tone marks and vowels of the line below read as a line of their own come out as a mix
    of Latin letters, Thai digits and signs at middling confidence; real English or numbers
    are read with high confidence or are numbers only."""
    text = "".join(w[0] for w in words)
    if not text or regex.fullmatch(r"[0-9๐-๙,.\-/() ]+", text):
        return False
    if _sure_word(words):
        return False
    letters = len(_THAI_LETTER.findall(text))
    mean_conf = sum(w[3] for w in words) / len(words)
    return letters < JUNK_THAI_SHARE * len(text) and mean_conf < JUNK_CONF


SURE_WORD_LETTERS = 3     # consecutive Thai letters read this surely ...
SURE_WORD_CONF = 95.0     # ... are a word, not a row of marks


def _sure_word(words) -> bool:
    """Does the line hold SURE_WORD_LETTERS Thai letters in a row read at SURE_WORD_CONF or more?
    A row of stray marks is read as marks, digits and Latin; a total row's "รวม" (conf 97)
    beside amounts read as a jumble of digits and marks (udon at 200 dpi) is a line of text:
    dropped as junk, the row lost its label and ran into the project above it
    ("794,250879,800")."""
    run = 0
    for text, *_box, conf in words:
        if conf >= SURE_WORD_CONF and _THAI_LETTER.fullmatch(text):
            run += 1
            if run >= SURE_WORD_LETTERS:
                return True
        elif not (text and all(c in _MARK_CHARS for c in text)):
            run = 0
    return False


SURE_LATIN = regex.compile(r"[A-Za-z]{3,}")   # a short Latin word ("PISA") read at SURE_WORD_CONF ...
ACRONYM_CONF = 90.0      # ... or a short run of capitals read this surely (PLC, (DMC), O-NET) is a word
_ACRONYM = regex.compile(r"[(\[]?[A-Z][A-Z0-9-]{1,5}[)\]]?")


def _noise(seg: Segment) -> bool:
    """Specks and stray marks read as letters: short, no Thai letter or digit, or unsure. A
    short Latin word read surely is text: a name's "PISA" or "PLC" wrapped onto a line of its
    own (conf 97) was dropped, and the project's name with it."""
    text = seg.text.strip()
    conf = sum(seg.confs) / len(seg.confs)
    if _ACRONYM.fullmatch(text) and min(seg.confs) >= ACRONYM_CONF:
        return False
    if _THAI_LETTER.search(text) or regex.search(r"\d", text):
        return conf < NOISE_CONF and len(text) <= 3
    if SURE_LATIN.fullmatch(text) and conf >= SURE_WORD_CONF:
        return False
    return len(text) <= 4 or conf < NOISE_CONF


def skew_angle(image) -> float:
    """Degrees to rotate the page by so that its text lines are level (skew_and_content)."""
    return skew_and_content(image)[0]


CONTENT_INK = 3          # thumbnail pixels of ink a row (column) of the content needs ...
CONTENT_RUN = 2          # ... in this many neighbouring rows (columns): a speck fills one
CONTENT_PAD_IN = 0.3     # inches of room kept around the content found
CONTENT_GREY = 200       # thumbnail pixels darker than this are content: a faint ruling or a
                         # shaded cell, paler than text, still is (a grey paper: all of the page)


def skew_and_content(image, dpi: float = OCR_DPI) -> tuple[float, tuple[int, int, int, int] | None]:
    """(angle, box): the degrees to rotate the page by so that its text lines are level, the
    angle whose horizontal projection profile is sharpest (text rows and gaps alternate
    most); and the box (pixels, the page turned) that holds its ink, with room around it, or
    None when that is the whole page. The profile at an angle is counted from the ink pixels'
    rotated rows (np.bincount), not from a rotated image: the same angles as rotating the page
    (every fixture page), a tenth of the time. Only the box is turned (deskew): a cover or a
    half-filled last page is mostly paper."""
    import numpy as np
    small = image.convert("L")
    # Pillow's, a box reduction first when the page is 2.4x as wide (reducing_gap 1.5: 0.012
    # instead of 0.029 s a 300 dpi page, the same angles on every fixture page; 1.0 turned
    # one page 0.6 degrees for 0.2; OpenCV's area averaging two 150 dpi pages 0.2 for 0.3)
    small.thumbnail((SKEW_WIDTH, SKEW_WIDTH * 2), reducing_gap=SKEW_REDUCING_GAP)
    ink = np.asarray(small) < 128
    h, w = ink.shape
    ys, xs = np.nonzero(ink)
    cx, cy = w / 2.0, h / 2.0
    xs = xs.astype(np.float32) - cx + 0.5
    ys = ys.astype(np.float32) - cy + 0.5

    def score(k: int) -> float:
        angle = np.deg2rad(k * SKEW_STEP)       # as Image.rotate: counter-clockwise
        rows = np.floor(ys * np.cos(angle) - xs * np.sin(angle) + cy).astype(np.int64)
        counts = np.bincount(rows[(rows >= 0) & (rows < h)], minlength=h).astype(np.float64)
        return float(np.square(np.diff(counts * 255.0)).sum())

    # every angle: the profile's peak is as narrow as a ruling is thin across the page (0.2
    # degrees on songkhla's ruled page), and a coarse grid of 0.5 degrees stepped over it at
    # 200 dpi (+0.3 taken for -0.3, the page turned twice as far: its table lost)
    steps = int(MAX_SKEW / SKEW_STEP)
    tried = {k: score(k) for k in range(-steps, steps + 1)}
    best = max(tried, key=lambda k: (tried[k], -abs(k)))
    angle = round(best * SKEW_STEP, 1)
    t = np.deg2rad(angle)
    ys, xs = np.nonzero(np.asarray(small) < CONTENT_GREY)   # faint rulings and shading are content too
    xs = xs.astype(np.float32) - cx + 0.5
    ys = ys.astype(np.float32) - cy + 0.5
    rows = np.floor(ys * np.cos(t) - xs * np.sin(t) + cy).astype(np.int64)
    cols = np.floor(xs * np.cos(t) + ys * np.sin(t) + cx).astype(np.int64)
    y_span, x_span = _content_span(rows, h), _content_span(cols, w)
    if y_span is None or x_span is None:
        return angle, None
    per = image.width / w                         # page pixels a thumbnail pixel
    pad = CONTENT_PAD_IN * dpi
    box = (max(0, int(x_span[0] * per - pad)), max(0, int(y_span[0] * per - pad)),
           min(image.width, int((x_span[1] + 1) * per + pad)), min(image.height, int((y_span[1] + 1) * per + pad)))
    whole = (0, 0, image.width, image.height)
    return angle, (None if box == whole else box)


def _content_span(pos, n: int) -> tuple[int, int] | None:
    """First and last thumbnail row (column) of a run of CONTENT_RUN rows with CONTENT_INK ink
    pixels each: specks, one pixel here and there, start no content."""
    import numpy as np
    counts = np.bincount(pos[(pos >= 0) & (pos < n)], minlength=n)
    full = counts >= CONTENT_INK
    run = full[:n - CONTENT_RUN + 1].copy()
    for k in range(1, CONTENT_RUN):
        run &= full[k:n - CONTENT_RUN + 1 + k]
    hits = np.nonzero(run)[0]
    if not hits.size:
        return None
    return int(hits[0]), int(hits[-1]) + CONTENT_RUN - 1


def otsu_threshold(image) -> int:
    """The grey level that best splits ink from paper (Otsu: largest between-class variance)."""
    return _otsu(_histogram(image))


def _histogram(image):
    import numpy as np
    return np.asarray(image.convert("L").histogram(), dtype=np.float64)


def _otsu(hist) -> int:
    import numpy as np
    p = hist / max(hist.sum(), 1.0)
    w = np.cumsum(p)
    mu = np.cumsum(p * np.arange(256))
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mu[-1] * w - mu) ** 2 / (w * (1.0 - w))
    between[~np.isfinite(between)] = -1.0
    return int(between.argmax())


INK_CONTRAST = 64        # grey levels: Otsu's darker side lies this far under its paper, or it split the paper
INK_GREY = 128           # ... and then ink is what is darker than this


def ink_level(grey) -> int:
    """The grey level under which a pixel is ink: Otsu's, unless its darker side is paper
    too (less than INK_CONTRAST under the lighter): a blank back page, or one line on one,
    whose split falls among the paper's own grain and makes every grain a speck (a blank
    page's 2,200 x 1,700 specks kept tesseract 2.8 s, the plain pass 0.15 s); then INK_GREY."""
    import numpy as np
    hist = _histogram(grey)
    level = _otsu(hist)
    shade = np.arange(256)
    dark, light = hist[:level + 1], hist[level + 1:]
    if not dark.sum() or not light.sum():
        return level
    contrast = (light @ shade[level + 1:]) / light.sum() - (dark @ shade[:level + 1]) / dark.sum()
    return level if contrast >= INK_CONTRAST else min(level, INK_GREY)


def rule_level(grey) -> int:
    """The grey level under which a pixel counts as a ruling's ink: more lenient than the
    text's threshold, since a thin line scanned at 150-300 dpi is grey, not black."""
    return min(RULE_LEVEL_MAX, otsu_threshold(grey) + RULE_LEVEL_UP)


def median3(image):
    """Pillow's MedianFilter(3) (edges repeated), the same pixels from OpenCV's medianBlur
    (0.002 s a 300 dpi page; Pillow 0.1 s, a numpy sorting network 0.026 s)."""
    import numpy as np
    from PIL import Image
    cv2 = opencv.cv2()
    return Image.fromarray(cv2.medianBlur(np.ascontiguousarray(np.asarray(image, dtype=np.uint8)), 3), "L")


def deskew(image, angle: float, box: tuple[int, int, int, int] | None = None):
    """The page turned `angle` degrees counter-clockwise about its centre (Image.rotate,
    bicubic, white where the turn uncovers the paper), only within `box` when given (the
    rest stays as scanned: paper and specks): the same pixels there as turning the whole
    page (OpenCV's bicubic turn is 2-3x faster, but its pixels differ by a grey level or two
    and that moved tesseract's letters: the scan matrix's F1 0.894 -> 0.879 on average)."""
    from PIL import Image
    if box is None:
        return image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    import math
    w, h = image.size
    t = -math.radians(angle)
    a, b, d, e = round(math.cos(t), 15), round(math.sin(t), 15), round(-math.sin(t), 15), round(math.cos(t), 15)
    cx, cy = w / 2.0, h / 2.0
    c = a * -cx + b * -cy + cx                    # Image.rotate's matrix, as Pillow builds it
    f = d * -cx + e * -cy + cy
    x0, y0, x1, y1 = box
    part = image.transform((x1 - x0, y1 - y0), Image.Transform.AFFINE,
                           (a, b, c + a * x0 + b * y0, d, e, f + d * x0 + e * y0),
                           resample=Image.BICUBIC, fillcolor=255)
    out = image.copy()
    out.paste(part, (x0, y0))
    return out


def clean_image(image, with_level: bool = False):
    """Speckles out (median filter), then black ink on white paper (Otsu). Measured on the
    scan fixture: character errors 3.1% -> 0.6%, tone marks over vowels (ขั้น, ที่) kept
    far more often; tesseract's own binarization sees the specks as ink. With `with_level`:
    (image, Otsu's level), the level the rulings are found by (rule_level) without a second
    pass."""
    grey = median3(image.convert("L"))
    level = ink_level(grey)
    clean = grey.point(lambda v: 255 if v > level else 0)
    return (clean, level) if with_level else clean


def ocr_page(pdf_path: Path, page_no: int, state: dict, dpi: int | None = None) -> list[Line]:
    """A scanned page: deskewed and cleaned; its table rulings found and erased before OCR,
    then given back to the grid builder, so a scan's ruled table becomes cells as a text
    layer's does."""
    image, _, height_pt, dpi = render_page(pdf_path, page_no, dpi)
    image, dpi = read_resolution(image, dpi)
    angle, box = skew_and_content(image, dpi)
    if angle:
        image = deskew(image, angle, box)
    fills = find_fills(image, dpi)                # shading taken off before rulings and text are read
    image = grey = unshaded(image, fills)
    image, level = clean_image(image, with_level=True)
    horizontal, vertical = find_rulings(grey if box is None else grey.crop(box), dpi,
                                        min(RULE_LEVEL_MAX, level + RULE_LEVEL_UP),   # rule_level
                                        min(RULE_LEVEL_MAX, level + RULE_LEVEL_SHADED))
    if box is not None:                           # the content holds every ruling (skew_and_content)
        horizontal = [shifted(r, box[1], box[0]) for r in horizontal]
        vertical = [shifted(r, box[0], box[1]) for r in vertical]
    horizontal = join_along_fills(horizontal, fills, horizontal=True)
    vertical = join_along_fills(vertical, fills, horizontal=False)
    if horizontal and vertical:
        image = erase_rulings(image, horizontal, vertical)
    scale = dpi / 72.0
    segs = read_image(image, scale, height_pt, vertical, box)
    state.setdefault("col_tol", OCR_COL_TOL)
    vert, horiz = to_points(horizontal, vertical, scale, height_pt)
    lines = lines_from_segments(segs, page_no, state, vert, horiz)
    paint_cells(lines, fills, scale, height_pt, dpi)
    mark_inked_cells(lines, image, scale, height_pt, dpi)
    reread_number_cells(image, lines, scale, height_pt)
    reread_date_cells(image, lines, scale, height_pt)
    reread_month_headers(image, lines, scale, height_pt)
    _am_lines(lines)
    _total_labels(lines)
    _heading_words(lines)
    keep_unsure_cells(image, lines, scale, height_pt)
    return lines


def _tables_of(lines: list[Line], ruled: bool = False) -> list[tuple]:
    """(table, the lines that show its rows) for each table on the page (only ruled ones when
    `ruled`), in the order the lines give them."""
    tables: dict[int, tuple] = {}
    for ln in lines:
        if ln.table is not None and (ln.table.ruled or not ruled):
            tables.setdefault(id(ln.table), (ln.table, []))[1].append(ln)
    return list(tables.values())


def _show_cells(table, rows: list[Line]) -> None:
    """The lines of a table's rows rebuilt from its cells, after cells were read again."""
    for ln in rows:
        fresh = row_line(table, ln.row)
        ln.cells, ln.text = fresh.cells, fresh.text


_TOTAL_SLIP = regex.compile("^ร[\u0e48\u0e49]วม")    # รวม with a tone mark made of its ร's hook
TOTAL_LABEL_LEN = 4      # a label this short, beside nothing but amounts, ...
TOTAL_LABEL_EDITS = 2    # ... this few letters from รวม, is รวม misread (ธรรม at 300 dpi read at 200)


def _total_labels(lines: list[Line]) -> None:
    """A total row's label read "ร่วม" (a hand-drawn ร's hook taken for mai ek when the line is
    read alone: songkhla's รวม at 200 and 300 dpi, not at 150) is "รวม": a row whose first
    printed cell starts so and whose every other printed cell is a number is a total row (a
    project named ร่วม... has its name beside a group and a sequence). A subtotal missed ends
    the table there and loses the rows below it."""
    for table, rows in _tables_of(lines):
        changed = False
        for row in table.rows:
            printed = [c for c in row.cells if c.text.strip()]
            if len(printed) < 2 or not all(_numeric(c.text) for c in printed[1:]):
                continue
            label = printed[0].text.strip()
            if _TOTAL_SLIP.match(label):
                printed[0].text = _TOTAL_SLIP.sub("รวม", label)
                changed = True
            elif label != "รวม" and len(label) <= TOTAL_LABEL_LEN and Levenshtein.distance(label, "รวม") <= TOTAL_LABEL_EDITS:
                printed[0].text = "รวม"           # ธรรม for รวม: a short label beside amounts only
                changed = True
        if changed:
            _show_cells(table, rows)


def _heading_words(lines: list[Line]) -> None:
    """A group heading word misread by a letter (กอยุทธ์ที่ ๔: ล read อ, both halves
    dictionary words, so no look-alike fix sees it) spelled right at the start of a paragraph
    line or of a row's first printed cell (labels.mend_heading_word): a heading missed loses
    its group, and a table's rows after it."""
    for ln in lines:
        if ln.table is None and ln.cells:
            ln.cells[0] = mend_heading_word(ln.cells[0])
            ln.text = mend_heading_word(ln.text)
    for table, rows in _tables_of(lines):
        changed = False
        for row in table.rows:
            first = next((c for c in row.cells if c.text.strip()), None)
            if first is not None:
                mended = mend_heading_word(first.text)
                changed |= mended != first.text
                first.text = mended
        if changed:
            _show_cells(table, rows)


def _am_lines(lines: list[Line]) -> None:
    """Sara am slips left after the Thai repair rules ("จํำนวน"), in paragraphs and cells."""
    for ln in lines:
        if ln.table is None and _AM_SLIP.search(ln.text):
            ln.text = am_fix(ln.text)
            ln.cells = [am_fix(c) for c in ln.cells]
    for table, rows in _tables_of(lines):
        changed = False
        for row in table.rows:
            for cell in row.cells:
                if _AM_SLIP.search(cell.text):
                    cell.text, changed = am_fix(cell.text), True
        if changed:
            _show_cells(table, rows)


MIN_DICT_LETTERS = 3     # Thai letters a cell needs for its dictionary share to count
CELL_IMAGE_PX = (360, 120)   # the largest a kept cell image is (pixels): small pages, a readable cell


def keep_unsure_cells(image, lines: list[Line], scale: float, height_pt: float) -> None:
    """The image of every ruled table cell read with low confidence, kept with the cell (a
    small PNG): the audit report shows it beside the value read (issue 12). A text cell's
    confidence is its words' (tesseract's) times the share of its Thai letters in dictionary
    words: tesseract is as sure of "งบดำเนิ็นงาน" as of any word (measured on the scan
    fixtures: its confidences of wrong and right cells overlap), the dictionary is not."""
    done = set()
    for ln in lines:
        if ln.table is None or not ln.table.ruled or id(ln.table) in done:
            continue
        done.add(id(ln.table))
        for row in ln.table.rows:
            for cell in row.cells:
                if cell.conf is None or not cell.text.strip() or cell.box is None:
                    continue
                if len(_THAI_LETTER.findall(cell.text)) >= MIN_DICT_LETTERS and not _numeric(cell.text):
                    share = word_share(thai_runs(repair_thai(nfc(cell.text))))
                    if share is not None:
                        cell.conf = round(cell.conf * share, 3)
                if cell.conf >= LOW_OCR_CONFIDENCE:
                    continue
                cell.image = cell_png(image, _cell_box(cell, scale, height_pt))


def cell_png(image, box: tuple[int, int, int, int]) -> bytes | None:
    """A region of a page image as a small PNG (grey, at most CELL_IMAGE_PX)."""
    if box[2] - box[0] < 2 or box[3] - box[1] < 2:
        return None
    crop = image.crop(box).convert("L")
    crop.thumbnail(CELL_IMAGE_PX)
    buf = io.BytesIO()
    crop.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _numeric(text: str) -> bool:
    t = "".join(text.split())
    return bool(t) and sum(1 for c in t if c in NUMBER_CHARS) >= NUMERIC_SHARE * len(t) and any(
        c in DIGIT_CHARS for c in t)


def reread_number_cells(image, lines: list[Line], scale: float, height_pt: float) -> None:
    """Each cell of a ruled table's number columns (most cells numbers: the sequence and
    amount columns) read again on its own, line by line, by glyph shape: the page reading
    confuses Thai digits and reads one as a letter (ซ for ๗) or a speck as a letter. A cell
    whose every line reads cleanly takes that reading, with its match as confidence."""
    for table, rows in _tables_of(lines, ruled=True):
        for col in range(table.n_cols):
            cells = [c for r in table.rows for c in r.cells if c.col == col and c.colspan == 1 and not c.covered]
            first = next((k for k, c in enumerate(cells) if _numeric(c.text)), None)
            if first is None:            # no number read in it: an amount column by its header?
                if not any(_AMOUNT_HEADER.search(c.text) for c in cells[:HEADER_ROWS]):
                    continue
                first = next((k for k, c in enumerate(cells) if not c.text.strip()), len(cells))
            # not the header's: the header ends at the first number or empty cell (the page
            # reading at 300 dpi left most sequence cells empty and read ๗ as "อป": a cell
            # between them is the table's, not its header's)
            first = min([first] + [k for k, c in enumerate(cells) if k and not c.text.strip()])
            cells = [c for k, c in enumerate(cells) if k >= first]
            printed = [c for c in cells if c.text.strip()]
            if sum(_numeric(c.text) for c in printed) < NUMERIC_SHARE * len(printed):
                continue
            unsure = []
            script = _script(c.text for c in printed)   # an empty cell's digits are its column's
            for cell in cells:          # empty ones too: the page reading may have missed a number
                read = _read_cell(image, cell, scale, height_pt, script)
                if read is not None and (cell.text.strip() or read[1] >= EMPTY_CELL_MATCH
                                         or (_GROUPED.fullmatch(read[0]) and read[1] >= GROUPED_MATCH)):
                    cell.marked = cell.marked and bool(cell.text.strip())   # an empty cell's ink was this number
                    cell.text, cell.conf = read
                elif read is not None and read[1] >= GROUPED_MATCH:
                    unsure.append((cell, read))
            _in_sequence(cells, unsure)
            _sequence_dots(cells)
        _show_cells(table, rows)


def _count(text: str) -> tuple[int, ...] | None:
    """A sequence number's parts: ๗ -> (7,), ๓.๑ -> (3, 1) (numbered in its group), else None."""
    parts = regex.split(r"[.,]", text.strip().rstrip("."))    # a dot read as a comma (_sequence_dots)
    if not all(p and all(c in DIGIT_CHARS for c in p) for p in parts):
        return None
    return tuple(int(thai_to_arabic(p)) for p in parts)


_SEQ_PARTS = regex.compile(r"[0-9๐-๙]{1,2}(?:[.,][0-9๐-๙]{1,2})+\.?")   # ๒.๔, ๑.๑.๓, ๒,๔


def _sequence_dots(cells: list) -> None:
    """In a column with no amount grouped in thousands, a number of one- or two-digit parts
    joined by commas is a sequence number whose dots were read as commas (๒,๔ for ๒.๔: at 150
    dpi a dot and a comma are a pixel apart; as text it was no sequence number, the row taken
    for the one above's continuation): an amount's comma groups three digits."""
    if any(_GROUPED.fullmatch(c.text.strip()) for c in cells):
        return
    for cell in cells:
        t = cell.text.strip()
        if "," in t and _SEQ_PARTS.fullmatch(t):
            cell.text = t.replace(",", ".")


def _follows(before: tuple[int, ...] | None, after: tuple[int, ...]) -> bool:
    """`after` is the number next after `before` in a column's count: one more in its last part
    (๗ -> ๘, ๓.๑ -> ๓.๒), or the first of the next group (๒.๔ -> ๓.๑)."""
    if before is None or len(before) != len(after):
        return False
    if before[:-1] == after[:-1]:
        return after[-1] == before[-1] + 1
    return (len(after) > 1 and after[-1] == 1 and before[:-2] == after[:-2]
            and after[-2] == before[-2] + 1)


def _in_sequence(cells: list, unsure: list[tuple]) -> None:
    """An empty cell's number read under EMPTY_CELL_MATCH is taken where it continues the
    column's count: it follows the number above it and the one below (if any) follows it,
    numbered in groups too (๑.๑, ๑.๒ read at 0.76 at 150 dpi: left empty, the row was taken
    for a continuation of the row above). Shape matches fall with the resolution (khonkaen
    at 150 dpi: its right sequence numbers matched 0.75-0.81, and an empty cell's ๑๖ at 0.77
    was left out: two projects made one); a speck matches no such pair of neighbours."""
    for cell, (text, match) in unsure:
        n, k = _count(text), cells.index(cell)
        if n is None:
            continue
        above = next((_count(c.text) for c in reversed(cells[:k]) if c.text.strip()), None)
        below = next((_count(c.text) for c in cells[k + 1:] if c.text.strip()), None)
        if _follows(above, n) and (below is None or _follows(n, below)):
            cell.text, cell.conf = text, match
            cell.marked = False          # its ink was the number's, not a mark's (mark_inked_cells)


_AMOUNT_HEADER = regex.compile(r"^\s*(?:รวม|งบประมาณ|จำนวนเงิน|วงเงิน|บาท|\(บาท\s*\))")
HEADER_ROWS = 3          # rows at a table's top where its header stands


def _read_cell(image, cell, scale: float, height_pt: float, script: str | None = None) -> tuple[str, float] | None:
    """A cell's number by glyph shape, line by line (`script`: the column's digits, for a
    cell the page reading left empty), or None."""
    import numpy as np
    x0, top, x1, bottom = cell.box           # points, y upwards: top > bottom
    box = (int(x0 * scale) + CELL_INSET, int((height_pt - top) * scale) + CELL_INSET,
           int(x1 * scale) - CELL_INSET, int((height_pt - bottom) * scale) - CELL_INSET)
    if box[2] - box[0] < 4 or box[3] - box[1] < 4:
        return None
    ink = np.asarray(image.crop(box).convert("L"), dtype=np.uint8) < 128
    bands = ink_runs(ink.sum(axis=1) > 0)
    merged = []
    for band in bands:                            # marks and commas a little apart are one line
        if merged and band[0] - merged[-1][1] <= BAND_GAP * (band[1] - band[0] + 1):
            merged[-1][1] = band[1]
        else:
            merged.append(band)
    merged = [b for b in merged if b[1] - b[0] >= MIN_BAND_PX]
    if not merged:
        return None
    text, worst = "", 1.0
    for a, b in merged:
        read = read_number(image, (box[0], box[1] + a, box[2], box[1] + b), cell.text,
                           (box[0], box[2]), script=None if cell.text.strip() else script)
        if read is None:
            return None
        text = join_wrapped(text, read[0], soft=True)
        worst = min(worst, read[1])
    return text, round(worst, 3)


# ---- schedule cells: months by tesseract, their digits by shape ---------------------------

DATE_LANGS = "tha"       # a schedule cell holds no Latin: the English model reads ๖๘ as "be"
MARK_GAP = 0.35          # line heights: a low row of ink this close to a line is its marks
LETTER_MATCH = 0.8       # Thai letters in a schedule cell are read as digits only matching this well
DATE_SHARE = 0.5         # share of a column's printed cells that look like dates or periods
_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_FULL_NAMES = [("".join(ch + f"[{_MARKS}]*" for ch in name.translate({ord(c): None for c in _MARK_CHARS})), k)
               for k, name in enumerate(MONTH_FULL_PRINT)]
_DATEISH = regex.compile("|".join([r"(?:มี|เม|มิ|[มกพสตธ])[\u0e34\u0e35\u0e38\u0e39]?\s?\.\s?[คพย]",
                                   r"รมาส", r"ตลอดปี", r"[0-9๐-๙]{2}\s?[-–]"] + [pat for pat, _k in _FULL_NAMES]))
_WHEN_HEADER = regex.compile(r"เวลา|ระยะ")       # ระยะเวลา / ช่วงเวลา / ระยะเวลาดำเนินการ
_KEEP = regex.compile("|".join(
    [f"(?P<m{k}>{pat})" for pat, k in _FULL_NAMES]
    + [r"(?P<abbr>(?:มี|เม|มิ|[มกพสตธ][\u0e34\u0e35]?)[\u0e38\u0e39]?\.?[\u0e38\u0e39]?(?:[พย]|[คด]{1,2})[\u0e38\u0e39]?\.?)",
       r"(?P<word>ไตรมาส(?:ที่)?|ตลอด[\u0e01-\u0e4e]*|พ\.?ศ\.?|ถึง)", r"(?P<dash>[-–—~])"]))


def reread_month_headers(image, lines: list[Line], scale: float, height_pt: float) -> None:
    """A header row of a ruled table with a month name read in it: each of its cells the page
    reading left empty though it holds ink (marked by mark_inked_cells) read again alone, as a
    line, with the Thai model, and given the letters it reads. A month abbreviation wrapped
    in a narrow cell (ต / .ค.) is often lost in the page's reading at 150 dpi (surin's grid:
    ten of twelve month names lost, their columns found by no run of names, the schedules
    that start in them read from มี.ค.); alone, each reads."""
    for table, rows in _tables_of(lines, ruled=True):
        changed = False
        for row in table.rows[:HEADER_ROWS]:
            cells = [c for c in row.cells if not c.covered and c.box is not None]
            todo = [c for c in cells if c.marked and not c.text.strip()]
            if not todo or not any(month_number(c.text) for c in cells):
                continue
            crops = []
            for cell in todo:
                crop = image.crop(_cell_box(cell, scale, height_pt))
                crops.append(_padded(crop, crop.height))
            words = _read_crops(crops, DATE_LANGS)
            if words is None:
                continue
            for k, cell in enumerate(todo):
                read = words.get(k, [])
                text = "".join(w[0] for w in read)
                if _THAI_LETTER.search(text):      # a month a letter off (ส.ด.) too: the run of
                                                    # names places it (tables._month_run)
                    cell.text, cell.marked = text, False
                    cell.conf = round(min(w[3] for w in read) / 100.0, 3)
                    changed = True
        if changed:
            _show_cells(table, rows)


def _bands(ink) -> list[list[int]]:
    """Text lines of a cell (rows of a 2-D ink array): runs of inked rows; a low run (marks
    above or below the letters) joins the nearer line."""
    runs = ink_runs(ink.any(axis=1))
    if not runs:
        return []
    tallest = max(b - a for a, b in runs)
    main = [r for r in runs if r[1] - r[0] >= 0.5 * tallest]
    for r in runs:
        if r in main:
            continue
        near = min(main, key=lambda m: min(abs(r[0] - m[1]), abs(m[0] - r[1])))
        if min(abs(r[0] - near[1]), abs(near[0] - r[1])) <= MARK_GAP * (near[1] - near[0]):
            near[0], near[1] = min(near[0], r[0]), max(near[1], r[1])
        else:                                   # a short line of its own (a digit: "๓" under "ไตรมาส ๑-")
            main.append(r)
    return sorted(m for m in main if m[1] - m[0] >= MIN_BAND_PX)


def _cell_box(cell, scale: float, height_pt: float) -> tuple[int, int, int, int]:
    return cell_pixels(cell, scale, height_pt, CELL_INSET)


def _script(texts) -> str:
    joined = "".join(texts)
    thai = sum(1 for c in joined if c in THAI_DIGITS)
    arabic = sum(1 for c in joined if c in ARABIC_DIGITS)
    return "arabic" if arabic > thai else "thai"


def reread_date_cells(image, lines: list[Line], scale: float, height_pt: float) -> None:
    """The cells of a ruled table's schedule column (most cells dates, month ranges, quarters
    or the whole year), read again line by line with the Thai model alone, which reads the
    month abbreviations (ม.ค., มิ.ย.) but confuses Thai digits; every run of characters
    that is not a month, a period word or a dash is then read by glyph shape
    (extractors/digit_reader.py). The page reading runs Latin into them ("Ue.be" for มิ.ย. ๖๘).
    In the same tesseract run, a cell with a short Latin run among Thai letters (the English
    model's reading of Thai: "จำนวน (AN)" for (คน)) is read with the Thai model alone, and
    that reading is taken when more of the cell is then dictionary Thai."""
    tables = _tables_of(lines, ruled=True)
    todo = []                                   # (cell, [(left, top, right, bottom) per line], script)
    page_script = _script(ln.text for ln in lines)
    for table, _rows in tables:
        dated = set()
        for col in range(table.n_cols):
            cells = [c for r in table.rows for c in r.cells
                     if c.col == col and c.colspan == 1 and not c.covered and c.box is not None]
            printed = [c for c in cells if c.text.strip()]
            if not printed or (sum(bool(_DATEISH.search(c.text)) for c in printed) < DATE_SHARE * len(printed)
                               and not _WHEN_HEADER.search(printed[0].text)):
                continue
            script = _script(c.text for c in printed)
            if not any(ch in DIGIT_CHARS for c in printed for ch in c.text):
                script = page_script
            for cell in printed:
                _add_bands(todo, image, cell, scale, height_pt, script)
            dated.add(col)
        for row in table.rows:                 # Thai letters read as Latin ones: "จำนวน (AN)" for (คน)
            for cell in row.cells:             # and cells the page reading left empty (_empty_cell)
                if (cell.col not in dated and not cell.covered and cell.box is not None
                        and ((_LATIN_SLIP.search(cell.text) and _THAI_LETTER.search(cell.text))
                             or not cell.text.strip())):
                    _add_bands(todo, image, cell, scale, height_pt, None)
    if not todo:
        return
    names, crops = [], []
    for k, (cell, bands, _script_, spans) in enumerate(todo):
        for j, (_x0, y0, _x1, y1) in enumerate(bands):
            h = y1 - y0
            x0, x1 = spans[j]
            crop = image.crop((x0, max(0, y0 - int(REREAD_UP * h)), x1, min(image.height, y1 + int(REREAD_DOWN * h))))
            crops.append(_padded(crop, h))
            names.append((k, j))
    words = _read_crops(crops, DATE_LANGS)
    if words is None:
        return
    texts: dict[int, list[str]] = {}
    found = {}
    for n, (k, j) in enumerate(names):
        _x0, y0, _x1, y1 = todo[k][1][j]
        start = todo[k][3][j][0]                # the crop's left edge (_inked_span)
        pad = int(PAD_SHARE * (y1 - y0))
        found[k, j] = [(t, left - pad + start, right - pad + start, c) for t, left, right, c in words.get(n, [])]
    for k, j in names:
        if todo[k][2] is not None and (k, j + 1) in found:
            _month_across_lines(found[k, j], found[k, j + 1])
    for k, j in names:
        cell, bands, script, _spans = todo[k]
        x0, y0, x1, y1 = bands[j]
        ws = found[k, j]
        if script is None:                      # a cell read again for its Latin slips
            line = "".join((" " if i and w[1] - ws[i - 1][2] > THAI_SPACE_EM * (y1 - y0) else "") + w[0]
                           for i, w in enumerate(ws))
            confs = [w[3] for w in ws]
            texts.setdefault(k, []).append((repair_thai(nfc(line)), sum(confs) / len(confs) / 100.0 if confs else 0.0))
            continue
        texts.setdefault(k, []).append(_date_line(image, ws, (x0, y0, x1, y1), script))
    for k, (cell, _bands_, script, _spans) in enumerate(todo):
        if script is None:
            text = ""
            for t, _c in texts.get(k, []):
                text = join_wrapped(text, t, soft=True)
            text = letter_fix(am_fix(text))
            if not cell.text.strip():
                share = _letters_in_words(text)
                if share >= EMPTY_CELL_WORDS and not _odd(text):
                    confs = [c for _t, c in texts.get(k, [])]
                    cell.text, cell.conf = text, round(share * min(confs), 3)
            elif _letters_in_words(text) > _letters_in_words(cell.text) and _odd(text) <= _odd(cell.text):
                cell.text = text
            continue
        if any(t for t, _c in texts.get(k, [])):
            text = ""
            for t, _c in texts[k]:
                text = join_wrapped(text, t, soft=True)
            cell.text = text
            cell.conf = round(min(c for _t, c in texts[k]), 3)
    for table, rows in tables:
        _show_cells(table, rows)


EMPTY_CELL_WORDS = 0.5   # share of an empty cell's reading in dictionary words for it to be taken
# A ruled cell the page reading left empty though it holds ink is read on its own with the
# Thai model: udon's photocopy at 150 dpi, its total row's bold "รวม" on grey was no line of
# the page reading at all, and the total row, unlabelled, was taken for a continuation of the
# project above it (794,250 run into 879,800). Only words are taken: a speck reads as no
# dictionary word, a number is the number columns' (reread_number_cells).
_LATIN_SLIP = regex.compile(r"(?<![A-Za-z])[A-Za-z]{1,3}(?![A-Za-z])")   # a short Latin run in a Thai cell


def _inked_span(ink, x0: int, x1: int, room: int) -> tuple[int, int]:
    """The columns of a band of a cell (its ink, a 2-D array, over page columns x0..x1)
    between its first and last ink, `room` pixels wider either side, within the cell: a
    cell's blank width costs tesseract as much as its letters (it reads a line's whole
    width), and a schedule cell's text fills half of it."""
    import numpy as np
    cols = np.flatnonzero(ink.any(axis=0))
    if not cols.size:
        return x0, x1
    return max(x0, x0 + int(cols[0]) - room), min(x1, x0 + int(cols[-1]) + 1 + room)


def _add_bands(todo: list, image, cell, scale: float, height_pt: float, script) -> None:
    """A cell's text lines to read again: (cell, band boxes across the cell, script, the
    columns each band is read over: _inked_span, from the same ink)."""
    import numpy as np
    box = _cell_box(cell, scale, height_pt)
    if box[2] - box[0] < 4 or box[3] - box[1] < 4:
        return
    ink = np.asarray(image.crop(box).convert("L"), dtype=np.uint8) < 128
    bands = _bands(ink)
    if bands:
        spans = [_inked_span(ink[a:b], box[0], box[2], int(REREAD_SIDE * (b - a))) for a, b in bands]
        todo.append((cell, [(box[0], box[1] + a, box[2], box[1] + b) for a, b in bands], script, spans))


def _odd(text: str) -> int:
    """Characters neither Thai, nor Latin letters, nor spaces and common punctuation (a Thai
    reading of "PLC" gives "260": not taken)."""
    return len(regex.findall(r"[^\u0e00-\u0e7fA-Za-z\s().,/\-]", text))


# ้า, ้ำ, ํำ where ำ is printed ("จ้านวน"); "จำ นวน"; a leading vowel made of ป's stem ("ไประกวด")
_AM_SLIP = regex.compile("(?P<am>\u0e49\u0e32|[\u0e49\u0e4d]\u0e33|\u0e33 (?=[\u0e01-\u0e2e]))"
                         "|(?P<lead>(?<![\u0e01-\u0e4e])[\u0e41\u0e44](?=\u0e1b))")


def am_fix(text: str) -> str:
    """Sara am read as mai tho + sara aa ("จ้านวน" for จำนวน, "ด้าเนินการ"): each such pair is
    read as sara am when that makes more of the text dictionary Thai, or as much in fewer,
    longer words ("จ้า|นวน" against "จำนวน"; ค้าขาย stays: both spellings are words), and so is
    sara aa alone after a tone mark (sara am's circle lost in it: "เหลื่อม|ล้า" for เหลื่อมล้ำ). A space
    tesseract's boxes put after sara am ("จำ นวน") goes by the same test, and so does a sara ai
    or sara ae tesseract makes of ป's stem at a word's start ("ไป|ระ|กวด" against ประกวด;
    ไปรษณีย์ and แปลง stay)."""
    if not _AM_SLIP.search(text):
        return text

    def score(t: str) -> tuple[float, int]:        # dictionary share, then fewer (longer) words
        runs = thai_runs(t)
        return (word_share(runs) or 0.0, -len(words_of(" ".join(runs))))

    best = score(text)
    for _round in range(3):                   # a fix may open the next ("จํำ นวน" -> "จำ นวน" -> "จำนวน")
        before = text
        for m in reversed(list(_AM_SLIP.finditer(text))):
            fixes = ["\u0e33" if m.lastgroup == "am" else ""]
            if m.group() == "\u0e49\u0e32":
                fixes.append("\u0e49\u0e33")       # sara am under a tone mark read as sara aa (ล้ำ, น้ำ)
            for fix in fixes:
                candidate = text[:m.start()] + fix + text[m.end():]
                got = score(candidate)
                if got > best:
                    text, best = candidate, got
                    break
        if text == before:
            break
    return text


# look-alikes tesseract's Thai model takes for one another (measured on the scan matrix's
# names and headings: a loopless bold face's ท read ห, กลยุหธ์, and ด read ต, ติจิหัล; ร read ว,
# สว้าง; ด read ต or ค; ช read ซ; sara i/ii, sara u/uu, sara ai maimalai/maimuan)
CONFUSED_LETTERS = {"ท": "ห", "ห": "ท", "ด": "ตค", "ต": "ด", "ค": "ด", "ช": "ซ", "ซ": "ช",
                    "ร": "ว", "ว": "ร", "\u0e34": "\u0e35", "\u0e35": "\u0e34",
                    "\u0e38": "\u0e39", "\u0e39": "\u0e38", "ใ": "ไ", "ไ": "ใ"}
LETTER_SWAPS = 2         # look-alikes changed at most in one stretch of unknown words (ติจิหัล: ด, ท)
SWAP_REACH = 8           # characters: two changes this near belong to one word
NEAR_UNKNOWN = 4         # characters either side of an unknown stretch where a slip may lie (ติ|จิ|หัล)
KNOWN_KEPT = 2           # a dictionary word longer than this is not changed (กล|ยุหธ์, ติ|จิ|หัล: short ones are)


LETTER_ROUNDS = 3         # unknown stretches of a line mended one after another


def letter_fix(text: str) -> str:
    """Look-alike letters tesseract confused (CONFUSED_LETTERS), changed back where the text
    has words not in the dictionary and the change makes strictly more of it dictionary Thai
    ("กลยุหธ์ที่ 1" -> กลยุทธ์ที่ 1: the heading was lost, and with it the strategy of every
    project under it). Only letters in or near an unknown stretch are tried, one or two
    near each other; a text of dictionary words is left as read (ค้าน stays: both are words)."""
    for _round in range(LETTER_ROUNDS):
        fixed = _letter_fix_once(text)
        if fixed == text:
            break
        text = fixed
    return _merging_fix(text)


MERGED_CHARS = 8         # characters: a look-alike change that joins words must make a word this long
                         # (shorter compounds come by chance: การ|วัด made การรัด, surat3's names lost)


def _merging_fix(text: str) -> str:
    """Look-alike letters changed back where the change joins two or more dictionary words
    into one longer word (MERGED_CHARS) and leaves no less of the text dictionary Thai:
    "ตำเนินการ" for ดำเนินการ splits into ตำเนิน|การ, words both, so no unknown stretch shows
    the slip (a sheet's ระยะเวลาตำเนินการ was no label, and every sheet lost its schedule).
    Words are found on the text with tesseract's nikhahit + sara aa read as sara am; the
    letters are changed where they were read."""
    if not _THAI_LETTER.search(text):
        return text
    for _round in range(LETTER_ROUNDS):
        spelled, at = "", []                  # the text as words are found in, where each char was read
        k = 0
        while k < len(text):
            if text.startswith("\u0e4d\u0e32", k):
                spelled, k = spelled + "\u0e33", k + 2
                at.append(k - 2)
            else:
                spelled, k = spelled + text[k], k + 1
                at.append(k - 1)
        tokens = _tokens(spelled)
        if not tokens:
            break
        starts, ends = {a for a, _b, _t in tokens}, {b for _a, b, _t in tokens}
        best, best_at = word_share(thai_runs(spelled)) or 0.0, None
        for a, b, _tok in tokens:
            for i in range(a, b):
                if spelled[i] not in CONFUSED_LETTERS:
                    continue
                for swap in _swaps(spelled, (i,)):
                    new = _tokens(swap) or []
                    hit = next(((x, y, t) for x, y, t in new if x <= i < y), None)
                    if (hit is None or len(hit[2]) < MERGED_CHARS or not is_word(hit[2])
                            or hit[0] not in starts or hit[1] not in ends or (hit[0], hit[1]) == (a, b)
                            or len(new) >= len(tokens)):
                        continue
                    got = word_share(thai_runs(swap)) or 0.0
                    if got >= best - 1e-9:
                        best, best_at = got, (at[i], swap[i])
        if best_at is None:
            break
        text = text[:best_at[0]] + best_at[1] + text[best_at[0] + 1:]
    return text


def _tokens(text: str) -> list[tuple[int, int, str]] | None:
    """The text's words (newmm) with where each stands in it."""
    tokens, pos = [], 0
    for tok in words_of(text):
        at = text.find(tok, pos)
        if at < 0:
            return None
        tokens.append((at, at + len(tok), tok))
        pos = at + len(tok)
    return tokens


def _letter_fix_once(text: str) -> str:
    tokens = _tokens(text)
    if not tokens:
        return text
    # an unknown stretch has two letters at least: a lone letter is a speck read as one
    # ("รวมอ": รวม would give way to รร|มอ)
    unknown = [k for k, (_a, _b, tok) in enumerate(tokens)
               if len(_THAI_LETTER.findall(tok)) >= 2 and not is_word(tok)]
    if not unknown:
        return text
    near = {i for k in unknown for i in range(max(0, tokens[k][0] - NEAR_UNKNOWN),
                                                min(len(text), tokens[k][1] + NEAR_UNKNOWN))}
    known = {i for a, b, tok in tokens if len(tok) > KNOWN_KEPT and is_word(tok) for i in range(a, b)}
    spots = sorted(i for i in near - known if text[i] in CONFUSED_LETTERS)
    if not spots:
        return text
    best, best_text = word_share(thai_runs(text)) or 0.0, text
    tries = [(i,) for i in spots]
    if LETTER_SWAPS > 1:
        tries += [(i, k) for n, i in enumerate(spots) for k in spots[n + 1:] if k - i <= SWAP_REACH]
    stretches = [tokens[k][:2] for k in unknown]
    for places in tries:
        for swap in _swaps(text, places):
            got = word_share(thai_runs(swap)) or 0.0
            if got > best + 1e-9 and _mends(swap, places, stretches):
                best, best_text = got, swap
    return best_text


def _mends(text: str, places: tuple, stretches: list[tuple[int, int]]) -> bool:
    """Does a change mend what it was tried for: each changed letter now stands in a
    dictionary word longer than KNOWN_KEPT (a two-letter word is too easily made: a stray sara
    aa after รวม, รว|มา, made รร|มา), and every unknown stretch it was near is now dictionary
    words whole (ศิลปนธ์, a garbled ศิลปหัตถกรรม, made ศีล|ปนธ์: one word more, the stretch
    still unknown)?"""
    tokens = _tokens(text) or []
    words = [(a, b) for a, b, tok in tokens if is_word(tok)]
    if not all(any(a <= i < b and b - a > KNOWN_KEPT for a, b in words) for i in places):
        return False
    near = [(a, b) for a, b in stretches if any(a - NEAR_UNKNOWN <= i < b + NEAR_UNKNOWN for i in places)]
    return all(any(wa <= i < wb for wa, wb in words) for a, b in near for i in range(a, b))


def _swaps(text: str, places: tuple) -> list[str]:
    out = [text]
    for i in places:
        out = [t[:i] + c + t[i + 1:] for t in out for c in CONFUSED_LETTERS[text[i]]]
    return out


def _letters_in_words(text: str) -> float:
    """Share of a cell's letters (Thai and Latin) that are Thai letters in dictionary words:
    a Thai reading of "(AN)" that gives "(คน)" makes more of the cell Thai words, a Thai
    reading of "PLC" does not."""
    thai = len(_THAI_LETTER.findall(text))
    latin = len(regex.findall(r"[A-Za-z]", text))
    if not thai + latin:
        return 0.0
    share = word_share(thai_runs(repair_thai(nfc(text)))) or 0.0
    return share * thai / (thai + latin)


_DATE_WORDS = MONTH_ABBR_PRINT + MONTH_FULL_PRINT + ["ตลอดปีงบประมาณ", "ตลอดปี", "ตลอด", "ปีงบประมาณ", "ไตรมาส"]


def _near_date_word(seen: str) -> str | None:
    """A month or period word one letter or mark off ("กล.พ." for ก.พ., "ตฑลอดปีงบประมาณ"):
    the word, when exactly one is that near (and an abbreviation keeps its full stops)."""
    text = seen.replace(" ", "")
    if len(_THAI_LETTER.findall(text)) < 2 or regex.search(r"[0-9๐-๙]", text):
        return None
    near = {w for w in _DATE_WORDS if Levenshtein.distance(text, w) <= 1 and ("." in w) == ("." in text)}
    return near.pop() if len(near) == 1 else None


UNREAD_CONF = 0.4        # the confidence of a schedule cell's run that is neither a month nor digits
PAD_SHARE = 0.3          # white margin around a line image, in line heights


def _read_crops(crops: list, langs: str) -> dict[int, list] | None:
    """Cropped images, each read as one line: their words by image index; None when tesseract
    fails (the caller keeps what it has)."""
    try:
        read = _tsv_lines(_tesseract(crops, LINE_PSM, langs))
    except RuntimeError:
        return None
    words: dict[int, list] = {}
    for r in read:
        words.setdefault(r["image"] - 1, []).extend(r["words"])
    return words


def _word_crop(image, box: tuple[int, int, int, int]):
    """A stretch of a line (`box`, page pixels) cut out to be read on its own: room for its
    stacked marks above it, a little below, and a white margin (_padded)."""
    h = box[3] - box[1]
    crop = image.crop((box[0], max(0, box[1] - int(REREAD_UP * h)), box[2], min(image.height, box[3] + int(REREAD_DOWN * h))))
    return _padded(crop, h)


def _padded(crop, h: int):
    from PIL import Image
    pad = int(PAD_SHARE * h)
    out = Image.new("L", (crop.width + 2 * pad, crop.height + 2 * pad), 255)
    out.paste(crop, (pad, pad))
    return out


_LETTERS_ONLY = regex.compile(r"^[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e]+$")
_FULL_MONTH = regex.compile("|".join(f"(?:{pat})" for pat, _k in _FULL_NAMES))


def _month_across_lines(line: list[tuple], below: list[tuple]) -> None:
    """A full month name broken over two lines of a narrow schedule cell ("พฤศจิกาย" over
    "น ๒๕๖๘"): the letters that end the name are moved up to its line (both lists of
    tesseract's words, changed in place), so the name is read whole and the line below
    holds only its digits."""
    def run(words):
        n = 0
        while n < len(words) and _LETTERS_ONLY.match(words[n][0]):
            n += 1
        return n
    tail = run(line[::-1])
    head = run(below)
    if not tail or not head:
        return
    joined = "".join(w[0] for w in line[len(line) - tail:] + below[:head])
    if _FULL_MONTH.fullmatch(joined) and not _FULL_MONTH.fullmatch("".join(w[0] for w in line[len(line) - tail:])):
        line.extend(below[:head])
        del below[:head]


_K_AS_D = regex.compile(r"[คด]{1,2}(?=[\u0e38\u0e39]?\.?$)")   # no month abbreviation ends in ด: the Thai
                                                           # model's ค at 150-200 dpi, or ค read twice


def _date_line(image, words: list[tuple], box: tuple[int, int, int, int], script: str) -> tuple[str, float]:
    """One line (`box`, page pixels) of a schedule cell from its words (tesseract's characters
    with boxes, page pixels): months (tolerant of the Thai model's ways: "พุย." for พ.ย.) as printed, period
    words and dashes kept, every other run of characters read as digits by shape. (text,
    confidence: the kept words' mean, or a digit run's shape match if less; a run that should
    be digits but is not read as digits is kept as tesseract read it, unsure.)"""
    chars = [(ch, w) for w, (text, *_r) in enumerate(words) for ch in text]
    seq = "".join(ch for ch, _ in chars)
    kind = [None] * len(words)                  # what each word is part of
    tokens = {}                                 # first word of a kept token -> its text
    for m in _KEEP.finditer(seq):
        ws = sorted({chars[i][1] for i in range(m.start(), m.end())})
        text = m.group()
        if m.lastgroup == "abbr":
            text = _K_AS_D.sub("ค", text)        # "กุด.", "ตุดด.", "ส.คด." for ก.ค., ต.ค., ส.ค.
            month = month_number(text)
            if month is None and not text.startswith("มี"):      # "สี.ค.": sara ii for sara i
                month = month_number(text.replace("\u0e35", "\u0e34"))
            if month is None or not regex.search(r"[.\u0e38\u0e39]", text):
                continue
            text = MONTH_ABBR_PRINT[month - 1]
        elif m.lastgroup.startswith("m"):
            text = MONTH_FULL_PRINT[int(m.lastgroup[1:])]
        elif m.lastgroup == "dash":
            text = "-"
        if any(kind[w] is not None for w in ws):
            continue
        for w in ws:
            kind[w] = "keep"
        tokens[ws[0]] = text
    out, k, unread = [], 0, False
    kept = [words[w][3] / 100.0 for w in range(len(words)) if kind[w] == "keep"]
    conf = sum(kept) / len(kept) if kept else 1.0
    left_end, top, right_end, bottom = box
    height = bottom - top
    while k < len(words):
        if kind[k] == "keep":
            if k in tokens:
                out.append(tokens[k])
            k += 1
            continue
        j = k + 1
        while j < len(words) and kind[j] is None and words[j][1] - words[j - 1][2] < DIGIT_GAP * height:
            j += 1
        run = words[k:j]
        seen = "".join(w[0] for w in run)
        limits = (words[k - 1][2] if k else left_end, words[j][1] if j < len(words) else right_end)
        got = read_number(image, (run[0][1], top, run[-1][2], bottom), seen, limits, script=script)
        if got is None and len(_THAI_LETTER.findall(seen)) <= 1:   # tesseract's box may be a speck of it
            got = read_number(image, (limits[0], top, limits[1], bottom), seen, limits, script=script)
        if got is not None and len(_THAI_LETTER.findall(seen)) > 1 and got[1] < LETTER_MATCH:
            got = None                          # a word, not digits tesseract misread
        if got is not None and got[0].rstrip(".,"):
            out.append(got[0].rstrip(".,"))          # a date ends in no separator (a dash read as one)
            conf = min(conf, got[1])
        elif _near_date_word(seen):
            out.append(_near_date_word(seen))   # "กล.พ." for ก.พ., "ตฑลอดปีงบประมาณ"
        elif regex.search(r"[\u0e01-\u0e2e0-9๐-๙]", seen):
            out.append(seen)
            unread = True
        k = j
    text = repair_thai(nfc(" ".join(out)))
    if unread and _near_date_word(text):       # a period word whose runs were read apart
        text, unread = _near_date_word(text), False
    if unread and regex.search(r"[0-9๐-๙]", text):     # a date with a part neither month nor digits
        conf = min(conf, UNREAD_CONF)
    return text, conf
