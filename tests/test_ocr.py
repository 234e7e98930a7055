"""OCR's engine and image steps (issue 12): tesseract in process (tesserocr over Debian's
libtesseract), one model per process, no thread and no file of its own; the fast median filter
gives Pillow's pixels; a justified name's phrase gap is not a column gap."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def scan_pdf():
    sys.path.insert(0, str(ROOT / "tests"))
    import scans
    return scans.build_all() / "onetable-khonkaen-sec-policy-200dpi.pdf"


def test_median_filter_gives_pillows_pixels(scan_pdf):
    """clean_image's 3x3 median (OpenCV's, a fiftieth of the time) is Pillow's MedianFilter(3),
    pixel for pixel, on a scanned page and at its edges."""
    import numpy as np
    from PIL import Image, ImageFilter

    from extractors.ocr import median3, render_page
    page, *_ = render_page(scan_pdf, 2)
    assert np.array_equal(np.asarray(median3(page)), np.asarray(page.filter(ImageFilter.MedianFilter(3))))
    rnd = Image.fromarray(np.random.default_rng(7).integers(0, 256, (31, 57), dtype=np.uint8))
    assert np.array_equal(np.asarray(median3(rnd)), np.asarray(rnd.filter(ImageFilter.MedianFilter(3))))


def test_only_the_content_is_turned_and_its_pixels_are_image_rotates(scan_pdf):
    """The deskew turns only the box that holds the page's ink (a cover is mostly paper): inside
    it the pixels are Image.rotate's of the whole page (the same readings), and no ink of the
    page turned whole lies outside it; a page with ink to its edges is turned whole."""
    import numpy as np
    from PIL import Image

    from extractors.ocr import clean_image, deskew, render_page, skew_and_content
    for page_no in (1, 3):
        page, _, _, dpi = render_page(scan_pdf, page_no)
        angle, box = skew_and_content(page, dpi)
        assert angle and box is not None
        x0, y0, x1, y1 = box
        assert (x1 - x0) * (y1 - y0) < 0.9 * page.width * page.height
        whole = page.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
        part = deskew(page, angle, box)
        inside = np.abs(np.asarray(whole, dtype=int)[y0:y1, x0:x1] - np.asarray(part, dtype=int)[y0:y1, x0:x1])
        assert inside.max() <= 1
        ink = np.asarray(clean_image(whole)) < 128
        ink[y0:y1, x0:x1] = False
        assert ink.sum() < 20                     # a speck or two the median left
    edge = Image.new("L", (400, 500), 0)
    edge.paste(255, (8, 8, 392, 492))              # a frame drawn to the page's edges
    assert skew_and_content(edge, 100)[1] is None


def test_a_scanned_page_is_its_image_and_anything_else_is_rendered(scan_pdf, tmp_path):
    """A page that is one grey scan at 200 dpi and above is that image as scanned: the pixels
    pdfium's rendering gives, without rendering; a page of text, a dark image (an inverting
    decode array or a photograph: pdfium knows what it draws) are rendered."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    from extractors.ocr import render_page, scanned_image
    doc = pdfium.PdfDocument(str(scan_pdf))
    try:
        raw = scanned_image(doc[2], 200)
        drawn = doc[2].render(scale=200 / 72, grayscale=True).to_pil()
        assert raw is not None and np.array_equal(np.asarray(raw), np.asarray(drawn))
        assert scanned_image(doc[2], 300) is None          # not at the resolution asked for
    finally:
        doc.close()
    dark = tmp_path / "dark.pdf"
    Image.new("L", (400, 500), 40).save(dark, "PDF", resolution=200)
    doc = pdfium.PdfDocument(str(dark))
    try:
        assert scanned_image(doc[0], 200) is None
    finally:
        doc.close()
    image, *_ = render_page(dark, 1)
    assert image.size == (400, 500) and np.asarray(image).mean() < 60
    import families
    doc = pdfium.PdfDocument(str(next(families.build_all().rglob("onetable-khonkaen-sec-policy.pdf"))))
    try:
        assert scanned_image(doc[0], 200) is None
    finally:
        doc.close()


SCRIPT = """
import os, sys, tempfile
from pathlib import Path
import numpy                       # OpenBLAS starts its threads on import, OCR none
from extractors import ocr
def threads():
    return len(os.listdir("/proc/self/task"))
before, tmp = threads(), set(os.listdir(tempfile.gettempdir()))
lines = ocr.ocr_page(Path(sys.argv[1]), 2, {})
api = ocr._api(ocr.OCR_LANGS)
ocr.ocr_page(Path(sys.argv[1]), 3, {})
print(before, threads(), len(lines), api is ocr._api(ocr.OCR_LANGS),
      len(set(os.listdir(tempfile.gettempdir())) - tmp))
"""


def test_ocr_runs_in_process_without_threads_or_files(scan_pdf, tmp_path):
    """Tesseract runs in the worker (its model loaded once per process, kept for every
    page), starts no thread (OpenMP held to one: the workers are the parallelism) and writes
    no image file; no tesseract process is started."""
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(scan_pdf)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    before, after, lines, same_api, new_files = proc.stdout.split()
    assert before == after and int(lines) > 3 and same_api == "True" and new_files == "0"
    assert not list(tmp_path.iterdir())


def _line(top: int, words: list[tuple[str, int, int]]) -> dict:
    return {"image": 1, "top": top, "bottom": top + 40, "height": 40, "left": words[0][1],
            "right": words[-1][2], "words": [(t, a, b, 95.0) for t, a, b in words]}


def test_phrase_gap_is_joined_and_column_gaps_are_not():
    """A borderless table as tesseract reads it at 200 dpi (pixels): a justified name whose
    phrase gap (23 px, 0.68 of the font size) is wider than the segment gap, amounts
    right-aligned at one x, the responsible group starting at one x a narrow gap (18 px)
    after them. The name stays one segment, so no half of it reaches the amount's column;
    the amount and the group stay apart (their edges are aligned over the rows); digits are
    never joined to words."""
    from extractors.ocr import line_segments
    rows = [
        [("1", 286, 297), ("พัฒนาห้องเรียนกีฬา", 343, 695), ("สู่ความเป็น", 718, 925), ("484,750", 961, 1078),
         ("กลุ่มส่งเสริมการ", 1096, 1374)],
        [("เลิศเพื่อพัฒนาคุณภาพผู้เรียน", 372, 856), ("ศึกษาทางไกล", 1111, 1335)],
        [("2", 283, 302), ("อบรมพัฒนาเครือข่ายผู้ปกครอง", 347, 907), ("92,900", 963, 1078), ("กลุ่มนิเทศ", 1098, 1300)],
        [("และชุมชน ประจำปีงบประมาณ", 372, 885), ("และประเมินผล", 1112, 1355)],
        [("3", 284, 302), ("ประกวดคุณภาพการจัดการ", 344, 821), ("851,250", 962, 1078), ("กลุ่มบริหารงาน", 1098, 1363)],
        [("ศึกษาปฐมวัย", 371, 574), ("บุคคล", 1110, 1207)],
        [("4", 282, 302), ("พัฒนาโรงเรียนคุณธรรม", 343, 749), ("58,600", 963, 1078), ("กลุ่มส่งเสริมการ", 1096, 1374)],
    ]
    lines = [_line(300 + 90 * k, words) for k, words in enumerate(rows)]
    scale = 200 / 72
    segs = line_segments(lines, 12.2, scale, 842.0)
    first = sorted((s for s in segs if abs(s.y - (842.0 - 340 / scale)) < 1), key=lambda s: s.x0)
    assert [s.text for s in first] == ["1", "พัฒนาห้องเรียนกีฬา สู่ความเป็น", "484,750", "กลุ่มส่งเสริมการ"]


def _page_segments(name: str, page: int):
    """The segments OCR makes of one page of a generated scan (tests/scans.py), as ocr_page
    reads it up to the line rebuilding."""
    sys.path.insert(0, str(ROOT / "tests"))
    import scans
    from PIL import Image

    from extractors import ocr
    image, _, height_pt, dpi = ocr.render_page(scans.build_all() / name, page)
    angle = ocr.skew_angle(image)
    if angle:
        image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    return ocr.read_image(ocr.clean_image(image), dpi / 72.0, height_pt)


def test_a_column_gap_is_measured_on_the_ink():
    """surat3 at 300 dpi, the table's last row alone on a page: tesseract boxed "178,70" and
    กลุ่มส่งเสริมการ 6.5 points apart (under the segment gap), their ink is a column apart. Read
    from the boxes they were one segment, the row one cell, and the project was lost; the gap
    is now the blank between their ink."""
    texts = [s.text for s in _page_segments("borderless-wrap-surat3-300dpi.pdf", 6)]
    assert "178,70" in texts and "กลุ่มส่งเสริมการ" in texts


def test_a_heading_is_not_cut_at_the_table_columns_below_it():
    """surat3 at 300 dpi: a strategy's heading above its table runs across the table's column
    edges; tesseract's boxes put a letter gap of 0.4 font sizes inside เหลื่อม right at the
    amount column's edge, and a justified name column's phrase gaps lined up at one x inside
    และ|ความ. Both cut the heading (its title read "เพิ่มโอกาสและ ความเสมอภาค ... ความเห ลื่อม").
    The first is no gap on the ink; the second is no column edge: more lines run on through it
    than line up on it."""
    texts = [s.text for s in _page_segments("borderless-wrap-surat3-300dpi.pdf", 5)]
    assert any("และความเสมอภาค" in t for t in texts) and any("ลดความเหลื่อม" in t for t in texts)


def test_a_tone_mark_lost_at_one_scale_is_read_at_another():
    """songkhla at 200 dpi: its hand-drawn font sets mai ek beside sara ii's tail, and both the
    page and the line reading gave "(ข้อมูล ณ วันที ๑๐ มิถุนายน ๒๕๖๕)": the date of both
    statistics tables was lost (8 facts). A line whose upper vowel lacks the tone mark the
    dictionary expects there is read again at 1.5 times, and the tone mark that reading has
    over the vowel is taken."""
    sys.path.insert(0, str(ROOT / "tests"))
    import scans

    from extractors import ocr
    lines = ocr.ocr_page(scans.build_all() / "onetable-songkhla-sec-zero-200dpi.pdf", 3, {})
    dated = [ln.text for ln in lines if "มิถุนายน" in ln.text]
    assert len(dated) == 2 and all("วันที่" in t for t in dated)


def test_two_upper_vowels_on_one_letter_keep_the_one_that_spells(tmp_path):
    """songkhla's cover scanned at 300 dpi (its first page, as tests/scan_matrix.py builds it):
    tesseract read "ประจำปึีงบประมาณ", two upper vowels on one letter, and the cover's title ran
    into its fiscal-year line (the document's title wrong). No Thai spelling stacks two; the
    one that makes the line dictionary Thai stays."""
    import dataclasses
    sys.path.insert(0, str(ROOT / "tests"))
    import families
    import scans

    from extractors import ocr
    scan = dataclasses.replace(next(s for s in scans.SCANS if s.fixture == "onetable-songkhla-sec-zero"),
                               dpi=300, pages=(1,))
    pdf = tmp_path / "cover.pdf"
    scans.scan_pdf(families.build_all() / "pdf" / f"{scan.fixture}.pdf", pdf, scan, scans.seed_of(scan))
    lines = [ln.text for ln in ocr.ocr_page(pdf, 1, {})]
    assert any("งบประมาณประจำปีงบประมาณ" in t for t in lines)
    assert not any(ocr._TWO_VOWELS.search(t) for t in lines)


def test_a_finer_scan_is_read_at_200_dpi_and_a_misread_subtotal_label_stays_a_total():
    """Tesseract's Thai model reads 200 dpi best: a 300 dpi scan is averaged down to 200 before
    it is read (khonkaen at 300 dpi F1 0.945 -> 0.968, surat3 0.910 -> 0.952; README). Read so,
    songkhla's subtotal label รวม came out "ธรรม", the row was no total and its group's heading
    and projects below were lost: a label that short beside nothing but amounts, two letters
    from รวม, is รวม."""
    sys.path.insert(0, str(ROOT / "tests"))
    import scan_matrix
    import scans
    from PIL import Image

    from extractors.ocr import ocr_page, read_resolution
    image, dpi = read_resolution(Image.new("L", (2550, 3300), 255), 300)
    assert dpi == 200 and image.size == (1700, 2200)
    assert read_resolution(image, 200)[0] is image
    folder = scan_matrix.build(scans.HERE / ".scan_matrix", scan_matrix.variants((300,), "songkhla"))
    lines = ocr_page(folder / "onetable-songkhla-sec-zero-300dpi.pdf", 6, {})
    rows = [[c.text.strip() for c in row.cells if c.text.strip()] for ln in lines if ln.table is not None
            for row in ln.table.rows]
    assert ["รวม", "๑,๔๔๘,๖๗๐"] in rows


def test_a_cells_band_is_read_on_its_ink_not_its_blank_width():
    """A schedule cell's text fills about half of its width (0.54 over the scan fixtures'
    date cells), and tesseract's line model reads a crop's blank columns at the cost of
    letters (a blank 800-pixel line costs what 800 pixels of text do): a band is cut to its
    ink and a little room either side, never wider than the cell."""
    import numpy as np
    from PIL import Image, ImageDraw

    from extractors.ocr import _inked_span
    page = Image.new("L", (400, 100), 255)
    ImageDraw.Draw(page).rectangle((120, 40, 180, 60), fill=0)      # the text, left of the middle

    def span(box, room):
        return _inked_span(np.asarray(page.crop(box)) < 128, box[0], box[2], room)
    assert span((100, 30, 300, 70), 8) == (112, 189)
    assert span((115, 30, 300, 70), 8) == (115, 189)   # no wider than the cell
    assert span((200, 30, 300, 70), 8) == (200, 300)   # a blank band stays as it is
