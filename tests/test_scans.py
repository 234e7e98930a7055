"""Scans as offices make them (issue 12): ruled tables rebuilt from the rulings on the image,
numbers read by glyph shape, the fiscal year decided by all its mentions. Real inputs: page
images drawn with the installed Thai fonts, and the layout families scanned at 150-300 dpi
(tests/scans.py) read by Debian's tesseract."""

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from extractors.digit_reader import read_number, templates
from extractors.image_rulings import erase_rulings, find_rulings
from pipeline.audit import run_audit, write_audit
from pipeline.settings import Settings

FONT = Path("/usr/share/fonts/truetype/tlwg/Garuda.ttf")


def _font(size: int):
    if not FONT.exists():
        pytest.skip("Debian's fonts-thai-tlwg is not installed")
    return ImageFont.truetype(str(FONT), size)


def _scan_like(img: Image.Image, blur: float = 0.6) -> Image.Image:
    """Grey, blurred, then binarized as the OCR stage does (ink black on white)."""
    grey = img.convert("L").filter(ImageFilter.GaussianBlur(blur))
    return grey.point(lambda v: 0 if v < 160 else 255)


def test_rulings_of_a_drawn_table_and_not_of_its_text():
    """A 3 x 4 grid of thin grey lines at 200 dpi, with bold Thai text in its cells: every
    border is found whole (thin lines scan dashed), no letter's stroke is a ruling, and
    erasing the rulings leaves the text."""
    dpi = 200
    img = Image.new("L", (1400, 700), 255)
    d = ImageDraw.Draw(img)
    xs, ys = [100, 300, 900, 1300], [100, 250, 400, 550]
    for x in xs:
        d.line([(x, ys[0]), (x, ys[-1])], fill=110, width=2)
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill=110, width=2)
    font = _font(44)
    for y in ys[:-1]:
        d.text((130, y + 40), "๑๒", font=font, fill=0)
        d.text((330, y + 40), "ส่งเสริมสร้างความปลอดภัย", font=font, fill=0, stroke_width=1)
    grey = img.filter(ImageFilter.GaussianBlur(0.8))
    horizontal, vertical = find_rulings(grey, dpi, 200)
    assert sorted(round(r.pos) for r in horizontal) == pytest.approx(ys, abs=3)
    assert sorted(round(r.pos) for r in vertical) == pytest.approx(xs, abs=3)
    assert all(r.b - r.a > 1100 for r in horizontal) and all(r.b - r.a > 400 for r in vertical)
    clean = erase_rulings(_scan_like(grey), horizontal, vertical)
    ink = sum(1 for v in clean.crop((330, 130, 890, 240)).get_flattened_data() if v < 128)
    assert ink > 2000                                           # the text stays
    assert sum(1 for v in clean.crop((100, 98, 1300, 103)).get_flattened_data() if v < 128) == 0   # the ruling goes


def test_rulings_beside_a_shaded_row_at_150_dpi():
    """A group row shaded grey 217 between thin rulings, scanned at 150 dpi, where the lenient
    level came out 217 too (the page's histogram follows the resolution): the rulings above and
    below the shading are found whole (at the lenient level they are one block with it, too
    thick for a ruling), and no piece of the shading, nor the bold heading's stems, is one."""
    dpi = 150
    img = Image.new("L", (1100, 500), 255)
    d = ImageDraw.Draw(img)
    xs, ys = [60, 140, 1040], [60, 180, 243, 400]
    d.rectangle([xs[0], ys[1], xs[-1], ys[2]], fill=217)
    for x in xs:
        d.line([(x, ys[0]), (x, ys[1])], fill=60, width=1)
        d.line([(x, ys[2]), (x, ys[-1])], fill=60, width=1)
    for x in (xs[0], xs[-1]):
        d.line([(x, ys[0]), (x, ys[-1])], fill=60, width=1)
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill=60, width=1)
    d.text((80, 190), "นโยบายที่ ๒ ด้านโอกาส", font=_font(30), fill=0, stroke_width=1)
    grey = img.filter(ImageFilter.GaussianBlur(0.6))
    horizontal, vertical = find_rulings(grey, dpi, 218, 198)
    assert sorted(round(r.pos) for r in horizontal) == pytest.approx(ys, abs=2)
    assert all(r.b - r.a > 950 for r in horizontal)
    inside = [r for r in vertical if ys[1] + 3 < (r.a + r.b) / 2 < ys[2] - 3 and xs[0] + 3 < r.pos < xs[-1] - 3]
    assert not inside


def test_a_ruled_page_is_deskewed_at_its_angle():
    """songkhla's last page scanned at 200 dpi, turned 0.3 degrees by the scan: its profile
    peaks over 0.2 degrees only, and the 0.5 degree coarse grid once stepped over the peak
    (+0.3 for -0.3: the page turned twice as far, its table lost). Every angle is tried now,
    and the page is levelled at every resolution."""
    import scan_matrix
    import scans
    from extractors.ocr import render_page, skew_angle
    for dpi in (150, 200, 300):
        name = f"onetable-songkhla-sec-zero-{dpi}dpi.pdf"
        folder = scans.build_all()
        if not (folder / name).exists():          # not a fixture: built as the matrix builds it
            folder = scan_matrix.build(scans.HERE / ".scan_matrix", scan_matrix.variants((dpi,), "songkhla"))
        image, *_ = render_page(folder / name, 6)
        assert skew_angle(image) == pytest.approx(-0.3)


def _scan_page_rulings(name: str, page: int):
    """A generated scan's page as ocr_page sees it (rendered at its resolution, deskewed) with
    its rulings: (rulings in points as the grid builder takes them, dpi)."""
    import scans
    from PIL import Image as PILImage
    from extractors.image_rulings import to_points
    from extractors.ocr import RULE_LEVEL_SHADED, RULE_LEVEL_UP, clean_image, render_page, skew_angle
    image, _, height_pt, dpi = render_page(scans.build_all() / name, page)
    angle = skew_angle(image)
    if angle:
        image = image.rotate(angle, resample=PILImage.BICUBIC, fillcolor=255)
    _, level = clean_image(image, with_level=True)
    horizontal, vertical = find_rulings(image, dpi, level + RULE_LEVEL_UP, level + RULE_LEVEL_SHADED)
    return horizontal, vertical, to_points(horizontal, vertical, dpi / 72.0, height_pt)


def test_a_shaded_bold_heading_is_no_ruling_and_a_broken_border_stays_whole():
    """khonkaen at 150 dpi, page 9: a shaded group row with a bold heading, the column borders
    broken at it. At the lenient level the shading fills the gaps between the heading's letters
    (a 1.5 inch "ruling" through them, which was erased and left "ด้านจๆประสิทธิภาพ"); and
    the border between the sequence and name columns, at 98.6 points above the group row and
    99.2 below it, lost its lower piece when collinear rulings were merged (the table's rows
    below read as one cell of sequence and name: four projects lost). Every row border runs the
    table's width, and each body row has its five cells."""
    from extractors.ruled_grid import TOUCH, find_grids
    horizontal, _, (vert, horiz) = _scan_page_rulings("onetable-khonkaen-sec-policy-150dpi.pdf", 9)
    widest = max(r.b - r.a for r in horizontal)
    assert len(horizontal) >= 6 and all(r.b - r.a > 0.95 * widest for r in horizontal)
    grids, _ = find_grids([], vert, horiz, [], 9, end_touch=TOUCH)     # as for OCR
    assert len(grids) == 1
    rows = grids[0].table.rows
    assert grids[0].table.n_cols == 5
    assert [len(r.cells) for r in rows] == [5, 1, 5, 5, 5, 5]        # header, group, 4 projects


def test_a_sequence_number_read_unsurely_is_taken_where_it_counts_on():
    """khonkaen at 150 dpi, page 8: the page reading left the sequence cell of project 16
    empty, and its shape reading ๑๖ matched 0.77, under the bar for an empty cell (0.8; the
    column's printed numbers matched 0.75-0.81 at 150 dpi): the row was taken for a
    continuation of project 15, two projects made one. Between ๑๕ and ๑๗ it is taken."""
    import scans
    from extractors.ocr import _tables_of, ocr_page
    lines = ocr_page(scans.build_all() / "onetable-khonkaen-sec-policy-150dpi.pdf", 8, {})
    (table, _), = _tables_of(lines, ruled=True)
    seq = [c.text for r in table.rows for c in r.cells if c.col == 0 and not c.covered]
    assert seq[-6:-1] == ["๑๔", "๑๕", "๑๖", "๑๗", "๑๘"]


def _scan(name: str) -> Path:
    """A generated scan: a fixture, or built as the matrix builds it (tests/scan_matrix.py)."""
    import scan_matrix
    import scans
    folder = scans.build_all()
    if (folder / f"{name}.pdf").exists():
        return folder / f"{name}.pdf"
    todo = [v for v in scan_matrix.variants() if v[0].name == name]
    return scan_matrix.build(scans.HERE / ".scan_matrix", todo) / f"{name}.pdf"


def test_look_alike_letters_are_read_as_the_words_they_make():
    """surat3 at 150 dpi, page 3: tesseract read the loopless bold heading's ท as ห and ด as ต
    ("กลยุหธ์ที่ 1 ... เทคโนโลยีติจิหัล"), the heading was no heading, and the eight projects
    under it lost their strategy (F1 0.769). Look-alikes are changed back where that makes
    more of the line dictionary words; a total row's "รวม" with a speck read sara aa after it
    stays รวม (udon at 300 dpi, page 5: รว|มา would have been รร|มา, a subtotal lost; a
    two-letter word is too easily made), and so does the sample scan's "ศิลป" beside a garbled
    "นธ์" (ศีล|ปนธ์ is one word more, the stretch still unknown: the timeline name lost)."""
    from extractors.ocr import ocr_page
    from normalizers.labels import group_heading
    lines = ocr_page(_scan("borderless-wrap-surat3-150dpi"), 3, {})
    heads = [group_heading(ln.text) for ln in lines if group_heading(ln.text)]
    assert heads and heads[0].no == 1 and heads[0].title.endswith("เทคโนโลยีดิจิทัล")
    lines = ocr_page(_scan("split-opqual-udon-sec-300dpi-copy"), 5, {})
    assert [ln.cells[0] for ln in lines if ln.cells[0].startswith("ร") and "๑๓๕,๙๔๐" in ln.text] == ["รวม"]
    from fixtures import build_all
    lines = ocr_page(build_all() / "scan" / "scan-compact.scan.pdf", 24, {})
    assert any("กิจกรรมศิลป" in ln.text for ln in lines) and not any("ศีล" in ln.text for ln in lines)


def test_a_label_the_page_reading_missed_is_read_from_its_cell():
    """udon's photocopy at 150 dpi, page 3: the total row's bold "รวม" on grey was in no line
    of the page reading, the row came out unlabelled and was taken for a continuation of
    project 4 (its budget 794,250 run into the total 879,800). A ruled cell left empty that
    holds ink is read on its own, and taken when it reads as dictionary words."""
    from extractors.ocr import _tables_of, ocr_page
    lines = ocr_page(_scan("split-opqual-udon-sec-150dpi-copy"), 3, {})
    (table, _), = _tables_of(lines, ruled=True)
    last = [c for c in table.rows[-1].cells if not c.covered]
    assert last[0].text == "รวม" and "๘๗๙,๘๐๐" in [c.text for c in last]


@pytest.mark.parametrize("text", ["๑๒,๓๔๕", "๒๕๖๗", "๘,๘๔๐", "๖๙๗", "๓๐,๖๐๐.๕๐", "2,345.50"])
def test_numbers_are_read_by_their_shapes(text):
    """Thai digits tesseract confuses (๖/๒, ๗/๓, ๐/๖, ๘) read by shape at 200 dpi, 16 pt,
    with separators; Arabic ones too."""
    assert templates(), "no Thai font installed"
    font = _font(44)                 # 16 pt at 200 dpi
    img = Image.new("L", (600, 120), 255)
    ImageDraw.Draw(img).text((20, 20), text, font=font, fill=0)
    binary = _scan_like(img)
    box = binary.point(lambda v: 255 - v).getbbox()
    seen = text.replace("๖", "๒").replace("๗", "๓")               # what tesseract may have said
    read = read_number(binary, (box[0], 10, box[2], 110), seen)
    assert read is not None and read[0] == text


def _norasi_150(text: str, blur: float = 1.0):
    path = Path("/usr/share/fonts/truetype/tlwg/Norasi.ttf")
    if not path.exists():
        pytest.skip("Debian's fonts-thai-tlwg is not installed")
    img = Image.new("L", (400, 100), 255)
    ImageDraw.Draw(img).text((20, 20), text, font=ImageFont.truetype(str(path), 33), fill=0)
    binary = _scan_like(img, blur=blur)
    box = binary.point(lambda v: 255 - v).getbbox()
    return binary, (box[0], 10, box[2], 90)


@pytest.mark.parametrize("text", ["๔๕", "๕๔๔", "๙๔,๒๕๐", "๖๒,๓๗๐", "๑๙๓,๓๐๐.๕๐"])
def test_a_blurred_number_at_150_dpi_keeps_its_fours_and_commas(text):
    """Norasi at 16 pt scanned at 150 dpi (33 pixels) with a blur of one pixel: its ๔ matched
    Norasi Bold's ๕ best among the crisp templates (a blurred stroke is a bold one): lampang's
    plan read ๙๔,๒๕๐ as ๙๕,๒๕๐ and "จำนวน ๔ โครงการ" as ๕, four figures wrong. Templates
    drawn small, blurred and thresholded as a scan's are matched too. Its commas, blurred
    round, were full stops ("๙๔.๒๕๐", ubon's 193.300.50: not amounts): a stop with three
    digits after it is a comma when another separator follows or tesseract saw a comma."""
    binary, box = _norasi_150(text)
    read = read_number(binary, box, text)
    assert read is not None and read[0] == text


def test_a_stop_tesseract_saw_before_three_digits_stays_a_stop():
    """"๑.๕๐๐ ล้านบาท" is one and a half million: a lone stop before three digits is kept when
    tesseract read no comma there (a comma would make it 1,500 million)."""
    binary, box = _norasi_150("๑.๕๐๐", blur=0.6)
    read = read_number(binary, box, "๑.๕๐๐")
    assert read is not None and read[0] == "๑.๕๐๐"


def test_a_plans_fours_at_150_dpi_are_fours():
    """lampang's plan at 150 dpi, page 4: the declaration "จำนวน ๔ โครงการ ... ๙๔,๒๕๐ บาท"
    (read ๕ and ๙๕,๒๕๐ before the scanned templates)."""
    line = next(ln.text for ln in _family_page("sheets-lampang1", 4, dpi=150) if "ทั้งสิ้น" in ln.text)
    assert "๔โครงการ" in line.replace(" ", "") and "๙๔,๒๕๐" in line


def test_touching_digits_are_cut_apart():
    """Blur runs digits together (seen at 200 dpi: ๔๓ as one blob): the cut where the glyphs
    match best."""
    font = _font(44)                 # 16 pt at 200 dpi
    img = Image.new("L", (400, 90), 255)
    d = ImageDraw.Draw(img)
    x = 20
    for ch in "๔๓๗๑":
        d.text((x, 15), ch, font=font, fill=0)
        x += int(font.getlength(ch))                               # set tight, blur joins them
    binary = _scan_like(img, blur=1.0)
    box = binary.point(lambda v: 255 - v).getbbox()
    read = read_number(binary, (box[0], 5, box[2], 85), "๕๓๓๑")
    assert read is not None and read[0] == "๔๓๗๑"


@pytest.fixture(scope="module")
def scan_audit(tmp_path_factory):
    import scans
    out = tmp_path_factory.mktemp("scans")
    result, summaries = run_audit(scans.build_all(), Settings(out=str(out), workers=2))
    write_audit(result, out, 0.0)
    return result, summaries, out


def test_fiscal_year_and_cover_are_exact_on_every_scan(scan_audit):
    """Issue 12: ๒๕๖๗ read as ๒๕๐๒ gave the wrong year; now the year is decided by all its
    mentions and every scan's document facts are exact (150 dpi included)."""
    result, *_ = scan_audit
    assert result.dataset("documents").f1 == 1.0


@pytest.mark.parametrize("name,floor", [
    ("onetable-khonkaen-sec-policy-200dpi.pdf", 0.96),
    ("split-opqual-udon-sec-300dpi-copy.pdf", 0.955),
    ("onetable-songkhla-sec-zero-150dpi.pdf", 0.91),
    ("borderless-wrap-surat3-200dpi.pdf", 0.95),
    # the other families (session 7), at the bar: before 0.818 / 0.155 / 0.255 (grid: ✓,
    # shaded quarters, shaded months), 0.821 / 0.776 (one table), 0.945 / 0.931 (sheets),
    # 0.528 / 0.500 (split); measured 0.985 / 0.983 / 0.966, 0.957 / 0.969, 0.982 / 0.964, 1.000 / 1.000
    ("grid-check-surin1-200dpi.pdf", 0.95),
    ("grid-quarter-phitsanulok3-200dpi.pdf", 0.95),
    ("grid-shaded-chiangrai2-200dpi.pdf", 0.95),
    ("onetable-nakhonratchasima3-strategy-200dpi.pdf", 0.95),
    ("onetable-rayong-sec-typo-200dpi.pdf", 0.95),
    ("sheets-nakhonsi1-200dpi.pdf", 0.95),
    ("sheets-ubon2-renamed-200dpi.pdf", 0.95),
    ("split-quarters-chonburi2-200dpi.pdf", 0.95),
    ("split-unnumbered-yasothon1-200dpi.pdf", 0.95),
    # lampang (session 10): 0.826 at first, 0.940 (ค read ด in its schedules: "ม.ุด.") -> 0.965
    ("sheets-lampang1-200dpi.pdf", 0.95),
])
def test_scans_are_read_as_tables(scan_audit, name, floor):
    """Ruled tables with Thai digits, scanned with skew, specks, blur, JPEG (and a photocopy's
    grey), and a borderless one: measured F1 0.982 / 0.961 / 0.920 / 0.960 (README, session 6); before the
    rulings and the digit reader, 0.04-0.08 (borderless 0.41), before the schedule cells and
    the column edges by alignment 0.87 / 0.78 / 0.82 / 0.42, before phrase gaps were told from
    column gaps (borderless) 0.939. The target (0.95, 0.90 at 150 dpi) is reached on all four
    (200, 300, 150 dpi, and the borderless one at 200 dpi): the floors guard what is."""
    result, *_ = scan_audit
    assert result.files[name].f1 >= floor


def _budgets(result, name: str) -> tuple[int, int]:
    """(exact, printed) budget cells of one scan."""
    import json

    import scans
    gold = json.loads((scans.OUT / name.replace(".pdf", ".gold.json")).read_text("utf-8"))
    printed = sum(1 for p in gold.get("projects", []) if p.get("budget_thb") is not None)
    wrong = sum(1 for m in result.mismatches
                if m["file"] == name and m["field"] == "budget_thb" and m["gold"] is not None)
    return printed - wrong, printed


@pytest.mark.parametrize("name,floor,budgets", [
    ("onetable-khonkaen-sec-policy-150dpi.pdf", 0.93, 22),
    ("onetable-khonkaen-sec-policy-300dpi.pdf", 0.95, 22),
    ("onetable-songkhla-sec-zero-200dpi.pdf", 0.96, 14),
    ("borderless-wrap-surat3-300dpi.pdf", 0.95, 22),
    ("borderless-wrap-surat3-150dpi.pdf", 0.92, 21),
    ("split-opqual-udon-sec-150dpi-copy.pdf", 0.93, 12),
    # the grid plans (session 7), at the bar (0.90 at 150 dpi, 0.95 at 300): before 0.913 /
    # 0.529 / 0.540 at 150 dpi (a lost ๑.๒, a border along a shaded edge, ๓,๒ for ๓.๒, month
    # names lost from the header), 0.963 / 1.000 / 0.989 at 300; measured 0.996 / 0.966 / 0.966
    # and 0.985 / 1.000 / 0.989
    ("grid-check-surin1-150dpi.pdf", 0.90, 14),
    ("grid-quarter-phitsanulok3-150dpi.pdf", 0.90, 13),
    ("grid-shaded-chiangrai2-150dpi.pdf", 0.90, 20),
    ("grid-check-surin1-300dpi.pdf", 0.95, 15),
    ("grid-quarter-phitsanulok3-300dpi.pdf", 0.95, 13),
    ("grid-shaded-chiangrai2-300dpi.pdf", 0.95, 20),
    # the other families at 150 and 300 dpi (session 10), at the bar; measured 0.949 / 0.969
    # (nakhonratchasima), 0.918 / 0.990 (rayong: 0.896 before ค read ด was ค), 0.923 / 0.951
    # (lampang: 0.864 before the scanned digit templates and the title's misread era), 0.989 /
    # 0.965 (nakhonsi), 0.994 / 0.964 (ubon), 0.950 / 0.982 (chonburi), 0.984 / 0.989 (yasothon);
    # budget cells exact of those printed: 24 of 26, 6 of 7 (lampang both), 6 of 8 (ubon 300);
    # session 11, every one: a number's last digits outside tesseract's box and a small ๐ parted
    # in two by the threshold are read (lampang's ๖,๕๓ for ๖,๕๓๐), a full stop is told from a
    # comma by its foot, not its aspect (ubon's 35,500,0 and nakhonratchasima's 0,00), and two
    # separators in a row are no clean reading of tesseract's (20.,450.50)
    ("onetable-nakhonratchasima3-strategy-150dpi.pdf", 0.90, 26),
    ("onetable-nakhonratchasima3-strategy-300dpi.pdf", 0.95, 26),
    ("onetable-rayong-sec-typo-150dpi.pdf", 0.90, 10),
    ("onetable-rayong-sec-typo-300dpi.pdf", 0.95, 10),
    ("sheets-lampang1-150dpi.pdf", 0.90, 7),
    ("sheets-lampang1-300dpi.pdf", 0.95, 7),
    ("sheets-nakhonsi1-150dpi.pdf", 0.90, 7),
    ("sheets-nakhonsi1-300dpi.pdf", 0.95, 7),
    ("sheets-ubon2-renamed-150dpi.pdf", 0.90, 8),
    ("sheets-ubon2-renamed-300dpi.pdf", 0.95, 8),
    ("split-quarters-chonburi2-150dpi.pdf", 0.90, 12),
    ("split-quarters-chonburi2-300dpi.pdf", 0.95, 12),
    ("split-unnumbered-yasothon1-150dpi.pdf", 0.90, 10),
    ("split-unnumbered-yasothon1-300dpi.pdf", 0.95, 10),
])
def test_the_same_plans_at_other_resolutions(scan_audit, name, floor, budgets):
    """Issue 12: the method must not depend on the dpi a plan was scanned at. The fixtures'
    plans at another resolution (tests/scan_matrix.py, README) read before: khonkaen at 150
    dpi F1 0.489 with 5 of 22 budgets (a ruling beside a shaded group row lost, a bold stem
    taken for a ruling), khonkaen at 300 dpi 0.936 (22), songkhla at 200 dpi 0.500 with 6 of 14
    (deskew turned a page twice as far; "ร่วม" for a subtotal's รวม ended the table), surat3
    at 300 dpi 0.746 with none of 22 (its header's "งบ ผู้รับผิดชอบ" gap 0.41 font sizes, under
    the split gap). Then 0.817 (16), 0.936 (22), 0.925 (14), 0.881 (21); khonkaen at 150 dpi now
    0.946 (22: a shaded heading's "ruling", a border broken at the group row merged away, a
    sequence number under the empty-cell bar); surat3 at 150 dpi 0.769 (13) -> 0.936 (21: its
    heading's look-alike letters, กลยุหธ์), udon at 150 dpi 0.881 (11) -> 0.943 (12: the same
    border fix, and a total's label read from its cell).
    At higher resolutions khonkaen at 300 dpi
    0.945, songkhla at 200 dpi 0.963, surat3 at 300 dpi 0.910 (22): gaps measured on the ink,
    not on tesseract's lagging boxes (surat3's last row, alone on a page, was one cell), an
    alignment more lines run through is no column edge (a heading was cut at one), and a tone
    mark lost over an upper vowel read at 1.5 times the line (songkhla's tables' date, ยั่งยืน,
    พื้นที่): the floors hold it."""
    result, *_ = scan_audit
    assert result.files[name].f1 >= floor
    exact, printed = _budgets(result, name)
    assert exact >= budgets and printed >= budgets


def test_amounts_on_scans_are_exact(scan_audit):
    """Issue 12: at least 99.5% of budget cells exact, over every scan fixture (150, 200 and
    300 dpi). Budget cells read by glyph shape (a comma touching its digit split off, an amount
    column known by its header) and, on the borderless scan, a name's phrase gap no longer
    taken for a column gap: 70 of 70 exact over the first four scans (41 before the digit
    reader). Over all 40: 561 of 568 at the end of session 10 (98.8%), 567 of 568 in session 11
    (a number's digits outside tesseract's box, a ๐ parted in two, a stop told by its foot)."""
    import scans
    result, *_ = scan_audit
    names = {f"{scan.name}.pdf" for scan in scans.SCANS + scans.VARIANTS}
    cells = [_budgets(result, name) for name in names]
    exact, printed = sum(e for e, _ in cells), sum(p for _, p in cells)
    assert printed >= 560
    assert exact >= 0.995 * printed
    assert not [m for m in result.mismatches if m["field"] == "budget_thb" and m["gold"] is None
                and m["file"] in names]    # none made up


def test_no_budget_on_any_scan_is_read_as_another_figure(scan_audit):
    """Correct or flagged: over all 40 scan fixtures (150-300 dpi) a budget cell or declared
    budget is either exact or left unread (not an amount, flagged), never another figure.
    Measured (session 10): 561 of 568 project budgets exact, the 7 others unread; before the
    scanned digit templates lampang's ๙๔,๒๕๐ read ๙๕,๒๕๐ and its 34,950 as 35,950."""
    result, *_ = scan_audit
    wrong = [(m["file"], m["key"], m["gold"], m["extracted"]) for m in result.mismatches
             if m["field"] in ("budget_thb", "declared_budget_thb") and m["extracted"] is not None]
    assert wrong == []


CELL_IMAGES = """
window.addEventListener('load', () => {
  const imgs = [...document.querySelectorAll('img.cell-scan')];
  const low = [...document.querySelectorAll('tr')].filter(tr => tr.textContent.includes('LOW_OCR_CONFIDENCE'));
  const r = {images: imgs.length, decoded: imgs.filter(i => i.complete && i.naturalWidth > 4 && i.naturalHeight > 4).length,
             shown: imgs.filter(i => i.getBoundingClientRect().width > 4).length,
             low: low.length, lowWithImage: low.filter(tr => tr.querySelector('img.cell-scan')).length,
             wrongWithImage: [...document.querySelectorAll('tr')].filter(tr => tr.querySelector('img.cell-scan')
                                && !tr.textContent.includes('LOW_OCR_CONFIDENCE')).length};
  const pre = document.createElement('pre'); pre.id = 'result'; pre.textContent = JSON.stringify(r);
  document.body.appendChild(pre);
});
"""


REPORT_BYTES_PER_SCAN = 40_000   # the audit report's size a scan audited (1 MB for 25 scans before)


def test_audit_report_shows_the_scanned_cell_beside_an_unsure_value(scan_audit):
    """Issue 12: "the audit report shows the cell image beside the value". Every
    LOW_OCR_CONFIDENCE finding of the scans carries its cell as scanned (a small PNG in the
    findings dataset), the report shows it inline beside the finding and beside a wrong value
    read from such a cell, and Chromium decodes and lays out every one; the page stays small."""
    import json
    import re

    import pyarrow.dataset as ds
    from browser import run_script
    result, _, out = scan_audit
    findings = ds.dataset(out / "findings", format="parquet", partitioning="hive").to_table().to_pylist()
    low = [f for f in findings if f["code"] == "LOW_OCR_CONFIDENCE"]
    assert low, "the scans have cells read with low confidence"
    assert all(f["image"] for f in low)
    assert all(f["image"] is None for f in findings if f["code"] != "LOW_OCR_CONFIDENCE")
    report = out / "_audit" / "report.html"
    assert report.stat().st_size < REPORT_BYTES_PER_SCAN * len(result.files)   # 1.1 MB for 40 scans
    dom = run_script(report, CELL_IMAGES)
    r = json.loads(re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)[1])
    assert r["low"] == len(low) and r["lowWithImage"] == len(low)
    assert r["images"] == r["decoded"] == r["shown"] > len(low)
    assert r["wrongWithImage"] >= 1


@pytest.fixture(scope="module")
def udon_200(tmp_path_factory):
    """udon's plan (the photocopy) scanned at 200 dpi, as tests/scan_matrix.py builds it,
    extracted."""
    import dataclasses

    import families
    import scans
    from pipeline.cli import main
    scan = dataclasses.replace(next(s for s in scans.SCANS if s.fixture == "split-opqual-udon-sec"), dpi=200)
    tmp = tmp_path_factory.mktemp("udon200")
    pdf = tmp / f"{scan.name}.pdf"
    scans.scan_pdf(families.build_all() / "pdf" / f"{scan.fixture}.pdf", pdf, scan, scans.seed_of(scan))
    assert main(["extract", str(pdf), "--out", str(tmp / "wh")]) in (0, 1)
    return tmp / "wh"


def test_a_total_row_read_among_jumbled_amounts_keeps_its_label(udon_200):
    """udon at 200 dpi: the page reading of strategy 1's total row gave "รวม" (confidence 97)
    beside its amounts read as a jumble of digits and marks; the whole line was taken for a row
    of stray marks and dropped, the row lost its label and its amounts ran into project 4's
    ("794,250879,800": the budget and the table's total lost). Three Thai letters in a row read
    that surely are a word."""
    from conftest import query
    (budget,) = query(udon_200, "projects", "SELECT budget_thb FROM {t} WHERE strategy_no = 1 AND seq = 4")[0]
    assert budget == 794250
    (total,) = query(udon_200, "strategies", "SELECT table_total_thb FROM {t} WHERE strategy_no = 1")[0]
    assert total == 879800


def test_a_schedule_column_is_known_by_its_periods_too(udon_200):
    """udon at 200 dpi: its schedule column prints ตลอดปีงบประมาณ in 4 of 12 rows; with two
    ranges read unsurely, the cells that parse as dates were half the column, not more, and
    every row lost its dates. The whole year and quarters count as the column's dates."""
    from conftest import query
    dated = query(udon_200, "timeline", "SELECT count(*) FROM {t} WHERE start_date IS NOT NULL")[0][0]
    assert dated >= 10


def _scanned_pages(fixture: str, pages: tuple, dpi: int = 200) -> list:
    """The OCR'd lines of some pages of a family plan scanned at `dpi`, seeded as its scan
    fixture (tests/scans.py): the fixture itself at its resolution, another resolution built
    as tests/scan_matrix.py builds it (cached under tests/.scan_matrix)."""
    import scan_matrix
    import scans

    from extractors.ocr import ocr_page
    scan = scans.Scan(fixture, dpi)
    pdf = scans.build_all() / f"{scan.name}.pdf"
    if not pdf.exists():
        pdf = scan_matrix.build(scans.HERE / ".scan_matrix", [(scan, scans.seed_of(scan))]) / f"{scan.name}.pdf"
    return [ln for k in pages for ln in ocr_page(pdf, k, {})]


def test_unnumbered_rows_of_a_split_budget_are_rows_not_header():
    """yasothon (split budget งบดำเนินงาน | งบพัฒนาคุณภาพ | รวม under a merged งบประมาณ, rows
    bulleted "-") at 200 dpi: the scan loses the bullets, so the rows under the two-row
    header had nothing in the ที่ column and were read as more header lines: no project, no
    total, 0.50 F1. A line with an amount grouped in thousands is no header line."""
    from extractors.plan import extract_strategies
    from extractors.tables import find_tables
    lines = _scanned_pages("split-unnumbered-yasothon1", (3, 4))
    strategies, _ = extract_strategies(lines, find_tables(lines))
    got = {s.no: [(p.budget, p.group_raw[:12]) for p in s.projects] for s in strategies}
    assert [b for b, _g in got[1]] == [54850, 76400, 52200]
    assert [b for b, _g in got[2]] == [9100, 85500, 50600]
    assert strategies[0].table_total == 183450


def test_a_group_heading_with_a_letter_slipped_is_a_heading():
    """chonburi (quarter amounts under a merged งบประมาณ) at 200 dpi: OCR read the headings
    "ประเด็นกลอยุทธ์ที่ 2" and "ประเด็นกอยุทธ์ที่ 3"; strategies 2-4 were lost and their
    projects counted in strategy 1 (0.53 F1). One letter more, less or other in the long heading
    words is still the heading."""
    from extractors.plan import extract_strategies
    from extractors.tables import find_tables
    lines = _scanned_pages("split-quarters-chonburi2", (3, 4, 5))
    strategies, _ = extract_strategies(lines, find_tables(lines))
    assert [(s.no, len(s.projects)) for s in strategies][:3] == [(1, 3), (2, 4), (3, 2)]


def test_a_month_broken_over_two_lines_of_a_schedule_cell_is_one_month():
    """yasothon at 200 dpi prints full month names in narrow schedule cells, where they wrap
    ("๑พฤศจิกาย" over "น ๒๕๖๘"): each line was read on its own, the first made a month and
    the second kept a stray "น" ("พฤศจิกายนน ๒๕๖๘"), or, with the letters run into the year,
    read "ธิ์๒๕๒๓" (6 dates lost). The letters that end a month name are read with its line."""
    from datetime import date

    from extractors.tables import find_tables
    from extractors.timeline import extract_timeline
    lines = _scanned_pages("split-unnumbered-yasothon1", (7,))
    got = {r.seq: (r.start, r.end) for r in extract_timeline(find_tables(lines), 2569)}
    assert got[2][0] == date(2025, 11, 1)
    assert got[6][1] == date(2026, 2, 28)
    assert got[7][1] == date(2026, 5, 31)


def test_amounts_and_words_a_scan_reading_drops_in_a_split_budget_table():
    """chonburi at 200 dpi: a total row's amounts, wrapped in narrow quarter columns, read by
    the page as one run in one cell and the empty cells read by shape as Thai digits (its
    column's Arabic ones are tried now: the table total 12,897 for 72,061); a name's "PISA"
    wrapped onto a line of its own dropped as a speck (a short Latin word read surely is a
    word); a name's "2567" wrapped below it dropped as a row of marks (a low line of numbers
    read surely is text); เหลื่อมล้ำ read "เหลื่อมล้า" (sara am under a tone mark)."""
    lines = _scanned_pages("split-quarters-chonburi2", (6, 8, 9))
    rows = [[c.text for c in row.cells if c.text.strip()] for ln in lines if ln.table is not None
            for row in ln.table.rows]
    assert any(r[0] == "รวม" and r[-3:] == ["7,568.00", "12,897.00", "51,596.00"] for r in rows)
    names = [r[1] for r in rows if len(r) > 1]
    assert any(n.endswith("PISA") for n in names) and any(n.endswith("2567") for n in names)
    assert any("เหลื่อมล้ำ" in ln.text for ln in lines)


def test_the_wrapped_ends_of_a_total_rows_amounts_at_300_dpi():
    """chonburi at 300 dpi (read at 200): the total row's amounts wrap in the narrow quarter
    columns ("15,440." over "00", "419,76" over "4.00"); the low line of their ends, read
    "00 4.00 8.00 8.50" at confidence 65-97, was dropped as stray marks and strategy 1's total
    was 1,024,260.50 for 1,039,700.50. An amount's end with its decimals is no mark."""
    lines = _scanned_pages("split-quarters-chonburi2", (3,), dpi=300)
    rows = [[c.text for c in row.cells if c.text.strip()] for ln in lines if ln.table is not None
            for row in ln.table.rows]
    assert ["รวม", "15,440.00", "419,764.00", "349,858.00", "254,638.50"] in rows


def _family_page(fixture: str, page: int, dpi: int = 200, seed: int | None = None):
    """One page of a layout family's plan scanned as tests/scans.py scans (skew, specks, blur,
    JPEG), read by ocr_page: its lines. The page alone, seeded scans.SEED; or with `seed` the
    whole plan so seeded (the specks of a page depend on the pages before it), as the audit of
    the other families scans them. Cached under tests/.scans/pages by the scan and family
    generators' content."""
    import dataclasses

    import families
    import scans
    from fixtures import cached_build
    from extractors.ocr import ocr_page
    scan = dataclasses.replace(scans.Scan(fixture, dpi), pages=None if seed else (page,))

    def build(out):
        scans.scan_pdf(families.build_all() / "pdf" / f"{fixture}.pdf", out / "scan.pdf", scan, seed or scans.SEED)
    name = f"{fixture}-{dpi}-seed{seed}" if seed else f"{fixture}-p{page}-{dpi}"
    folder = cached_build(scans.HERE / ".scans" / "pages" / name, scans.fingerprint(), build)
    return ocr_page(folder / "scan.pdf", page if seed else 1, {})


def _table_rows(lines):
    return [[(c.col, c.colspan, c.text) for c in ln.row.cells] for ln in lines if ln.table is not None]


def test_a_header_border_running_into_a_bold_heading_is_cut_back_to_its_row():
    """rayong's plan at 200 dpi, page 4: the border between the ลำดับ and โครงการ header
    cells runs on through the row border below into the stem of a letter of the bold group
    heading (0.17 inch), so it ended on no ruling and was dropped: the two header cells were
    one, the sequence column took the name column's role, and every project's name was its
    number. Cut back to the rulings it crosses, it is a border."""
    rows = _table_rows(_family_page("onetable-rayong-sec-typo", 4))
    header = rows[0]
    assert [c for c, _s, _t in header] == [0, 1, 2, 3, 4]
    assert "ดับ" in header[0][2] and header[1][2] == "โครงการ"
    projects = [r for r in rows if len(r) == 5 and r[0][2].strip().isdigit()]
    assert len(projects) >= 6 and all(len(r[1][2]) > 10 for r in projects)


def test_a_group_heading_misread_by_a_letter_is_a_heading():
    """nakhonratchasima3's plan at 200 dpi, page 7: strategy 4's heading row read "กอยุทธ์ที่4"
    (ล read อ; กอ and ยุทธ์ are both words, so no look-alike fix saw it): no group row, and
    strategies 4 and 5 were lost with their 8 projects. A heading word a letter off, before
    ที่ N, is the heading word."""
    from normalizers.labels import group_heading
    rows = _table_rows(_family_page("onetable-nakhonratchasima3-strategy", 7))
    headings = [group_heading(r[0][2]) for r in rows if len(r) == 1]
    assert [(h.kind, h.no) for h in headings if h] == [("กลยุทธ์", 4)]


def test_a_heading_number_read_with_the_tone_mark_before_it_is_read_by_shape():
    """nakhonsi's plan at 300 dpi, page 4: strategy 4's heading read "กลยุทธ์ที่«", the tone
    mark of ที่ and the misread ๔ one word ("่«"), so the lone-character test after ที่ did not
    see it: no heading, and strategy 4's projects overwrote strategy 3's (F1 0.77). The tone
    mark goes back to ที่ and the character is read by the digits' shapes."""
    from normalizers.labels import group_heading
    lines = _family_page("sheets-nakhonsi1", 4, dpi=300)
    headings = [group_heading(ln.text) for ln in lines if ln.text.startswith("กลยุทธ์")]
    assert [(h.kind, h.no) for h in headings if h] == [("กลยุทธ์", 3), ("กลยุทธ์", 4)]


def test_a_thai_word_read_as_a_short_latin_one_is_read_again():
    """nakhonratchasima3's plan at 300 dpi, page 4: the page reading gave "(ข้อมูล ณ Tun 10
    มิถุนายน 2568)", วันที่ read surely by the English model, so the statistics lost their
    date. A short Latin word with a small letter among Thai words is read again with the line
    (an acronym, O-NET or PLC, is capitals)."""
    lines = _family_page("onetable-nakhonratchasima3-strategy", 4, dpi=300)
    dated = [ln.text.replace(" ", "") for ln in lines if "มิถุนายน" in ln.text]
    assert dated and all("วันที่10มิถุนายน" in t for t in dated)


def test_an_acronym_alone_on_a_line_is_no_speck():
    """nakhonratchasima3's plan at 200 dpi, page 8: project 19's name wraps its last word,
    "PLC", onto a line of its own, read at 97: a short run of Latin letters was taken for a
    speck and dropped, and the name with it. A surely read acronym is a word."""
    rows = _table_rows(_family_page("onetable-nakhonratchasima3-strategy", 8))
    name = next(r[1][2] for r in rows if r[0][2] == "19")
    assert name.replace("\n", " ").rstrip().endswith("PLC")


def _period_line(lines) -> str:
    import regex
    text = next(ln.text for ln in lines if ln.table is None and "ระยะเวลา" in ln.text and "กิจกรรม" not in ln.text)
    return regex.sub(r"\s+", "", text)


def test_a_sheets_period_reads_its_label_and_its_dates():
    """lampang's plan at 200 dpi, page 6 (a project sheet): "๕. ระยะเวลาดำเนินการ ๑ มิถุนายน
    ๒๕๖๖ - ๓๐ กันยายน ๒๕๖๖" read "ระยะเวลาตำเนินการ ๑มิถุนายน ๒๕๒5» ๓๐กันยายน ๒๕๒5»": ต for ด
    in two dictionary words (ตำเนิน|การ) that the look-alike fix did not see, so no label and
    no schedule for the sheet; a ๒ whose loop the binarization parted from its body read as
    no digit; the dash, a word of its own, dropped as a speck. Now: a look-alike change that
    joins words into one long word, a digit broken in two read whole, the period read again
    as one word."""
    assert _period_line(_family_page("sheets-lampang1", 6)) == "๕.ระยะเวลาดำเนินการ๑มิถุนายน๒๕๖๖-๓๐กันยายน๒๕๖๖"


def test_a_sheets_period_is_read_again_as_a_schedule_cell():
    """lampang's plan at 200 dpi, page 12: the sheet's period "ธ.ค. ๖๕ – ก.ค. ๖๖" read
    "กธุค. ๖๕ - ก.ค. dd" (the English model's Latin for ๖๖): the line after the label is read
    again as a ruled table's schedule cell is (Thai model, months kept, digits by shape) and
    taken when it gives more ends of the period."""
    assert _period_line(_family_page("sheets-lampang1", 12)) == "๕.ระยะเวลาดำเนินการธ.ค.๖๕-ก.ค.๖๖"


def test_a_year_read_as_latin_after_its_month_is_read_by_shape():
    """lampang's plan at 200 dpi, page 16: "พ.ค. ๖๖" read "พ.ค. dd": a word with no Thai
    letter right after a month's name is its year, read by the digits' shapes."""
    assert _period_line(_family_page("sheets-lampang1", 16)).startswith("๕.ระยะเวลาดำเนินการพ.ค.๖๖")


def test_a_months_ko_khwai_read_as_do_dek_is_the_month():
    """The Thai model reads a month abbreviation's ค as ด at 150-200 dpi, alone or beside the ค
    read too: lampang's sheets at 200 dpi "ม.ุด. ๖๖" (ม.ค.) and "ส.ค. ด. ๖๖" (ส.ค.: the sheet's
    end taken from elsewhere, May for August), rayong's one table at 150 dpi "กุด. 67", "ตุดด.
    66", "8 ต ุด 66" (three schedules lost). No month abbreviation ends in ด: it is ค."""
    assert _period_line(_family_page("sheets-lampang1", 8)) == "๕.ระยะเวลาดำเนินการต.ค.๖๕-ม.ค.๖๖"
    assert _period_line(_family_page("sheets-lampang1", 16)) == "๕.ระยะเวลาดำเนินการพ.ค.๖๖-ส.ค.๖๖"
    when = [r[-1][2] for r in _table_rows(_family_page("onetable-rayong-sec-typo", 4, dpi=150))]
    assert "ธ.ค. 66 -\nก.ค. 67" in when and "ต.ค. 66 -\nก.ย. 67" in when and "8 ต.ค. 66\n- 29 ก.พ.67" in when


LAMPANG_SEED = 2006          # lampang's plan as the audit of the other families scans it


def test_a_year_wrapped_alone_and_read_as_latin_is_read_by_shape():
    """lampang's plan at 200 dpi, page 5: project 2's name wraps its year, ๒๕๖๖, onto a line of
    its own, which the English model read "abd" at 18: dropped as a speck, and the name lost
    its year. An unsure word of Latin letters is read by the digits' shapes, and taken when it
    is a year."""
    rows = _table_rows(_family_page("sheets-lampang1", 5, seed=LAMPANG_SEED))
    name = next(r[1][2] for r in rows if r[0][2] == "๒")
    assert name.replace(" ", "").endswith("พ.ศ.๒๕๖๖")


@pytest.fixture(scope="module")
def grid_scans():
    """The grid family (LAYOUTS.md section 5) scanned at 200 dpi, scan fixtures of
    tests/scans.py: months marked by shaded cells (7F7F7F), shaded quarters, ✓ in narrow
    month cells."""
    import scans
    folder = scans.build_all()
    return {name: folder / f"{name}-200dpi.pdf"
            for name in ("grid-shaded-chiangrai2", "grid-quarter-phitsanulok3", "grid-check-surin1")}


def _project_rows(lines) -> list:
    """The table rows of a page's lines numbered like projects (๑.๒, 1.1.3)."""
    from normalizers.numbering import parse_seq
    return [ln.row for ln in lines if ln.row is not None and ln.cells and
            (seq := parse_seq(ln.cells[0])) is not None and seq.hierarchical]


def test_shaded_months_of_a_scan_are_cells_with_their_fill(grid_scans):
    """A month shaded 7F7F7F is darker than the text's threshold: the binarized scan had a
    black block there, the rulings between shaded neighbours vanished inside it and the page
    read as no table at all (chiangrai's grid at 200 dpi F1 0.255). The fill is found on the
    grey page, taken off before the rulings and text are read, and given to the cells."""
    from extractors.ocr import ocr_page
    rows = _project_rows(ocr_page(grid_scans["grid-shaded-chiangrai2"], 3, {}))
    filled = [[c.col for c in row.cells if c.fill] for row in rows]
    assert filled == [list(range(8, 14)), [14], [4, 5], list(range(4, 16))]
    greys = {int(c.fill[:2], 16) for row in rows for c in row.cells if c.fill}
    assert all(abs(g - 0x7F) <= 0x10 for g in greys)
    assert not any(c.text.strip() for row in rows for c in row.cells if c.fill)


def test_check_marks_tesseract_drops_are_marks(grid_scans):
    """A lone ✓ in a narrow month cell is no letter of tesseract's models: it read none of
    them and surin's schedules were lost (F1 0.818). An empty ruled cell holding a
    character's worth of ink is marked."""
    from extractors.ocr import ocr_page
    from extractors.tables import find_tables
    (table,) = [t for t in find_tables(ocr_page(grid_scans["grid-check-surin1"], 3, {})) if t.rows]
    months = table.month_cols()
    assert [[i for i in months if r.marked(i)] for r in table.rows] == [[14], [13], list(range(4, 16)), [8, 9]]


GRID_SEED = 2000            # the grid plans at 150 and 300 dpi as they were measured (each seeded alike)


def _grid_scan(name: str, dpi: int) -> Path:
    """One grid plan scanned at `dpi` as the families' audit scans it (GRID_SEED)."""
    import scan_matrix
    import scans
    scan = scans.Scan(name, dpi)
    return scan_matrix.build(scans.HERE / ".scan_matrix", [(scan, GRID_SEED)]) / f"{scan.name}.pdf"


def test_a_numbered_in_group_number_read_unsurely_is_taken_where_it_counts_on():
    """phitsanulok's grid at 150 dpi, page 3: the page reading left ๑.๒ out (its shape read
    0.76, under the bar for an empty cell) and its ink marked the cell: the row was taken for
    a continuation of ๑.๑, two projects made one (F1 0.529). Between ๑.๑ and ๑.๓ it is taken."""
    from extractors.ocr import _tables_of, ocr_page
    lines = ocr_page(_grid_scan("grid-quarter-phitsanulok3", 150), 3, {})
    (table, _), = _tables_of(lines, ruled=True)
    seq = [c for r in table.rows for c in r.cells if c.col == 0 and not c.covered]
    assert [c.text for c in seq[-4:]] == ["๑.๑", "๑.๒", "๑.๓", "๑.๔"]
    assert not any(c.marked for c in seq)


def test_a_row_border_along_a_shaded_months_edge_is_one_border():
    """chiangrai's grid at 150 dpi, page 5: the border between ๒.๔ and ๒.๕ runs along the
    lower edge of ๒.๔'s shaded พ.ค.-มิ.ย.; blurred into the fill and divided by its grey it was
    too faint there, found in two pieces, the left one ending inside a month cell (a bar, no
    border): the two projects one row. The pieces of a ruling whose gap runs along a fill's
    edge are one ruling."""
    from extractors.ocr import ocr_page
    rows = _project_rows(ocr_page(_grid_scan("grid-shaded-chiangrai2", 150), 5, {}))
    assert [row.cells[0].text for row in rows][:3] == ["๒.๔", "๒.๕", "๒.๖"]


def test_a_sequence_numbers_dot_read_as_a_comma_is_a_dot():
    """chiangrai's grid at 150 dpi, page 6: ๓.๒-๓.๔ read ๓,๒-๓,๔ (a dot and a comma a pixel
    apart), no sequence numbers: the rows were continuations and ๓.๕, unsure, followed none.
    In a column with no amount grouped in thousands they are sequence numbers."""
    from extractors.ocr import ocr_page
    rows = _project_rows(ocr_page(_grid_scan("grid-shaded-chiangrai2", 150), 6, {}))
    assert [row.cells[0].text for row in rows][:5] == ["๓.๒", "๓.๓", "๓.๔", "๓.๕", "๔.๑"]


def test_month_names_the_page_reading_lost_are_read_from_their_cells():
    """surin's grid at 150 dpi, page 3: the page reading lost ten of the twelve wrapped month
    abbreviations (their ink marked the header cells), no run of month names placed the
    columns and the schedules started in มี.ค. (F1 0.913). Read alone, each header cell reads."""
    from extractors.ocr import ocr_page
    from extractors.tables import find_tables
    (table,) = [t for t in find_tables(ocr_page(_grid_scan("grid-check-surin1", 150), 3, {})) if t.rows]
    assert list(table.month_cols().values()) == [10, 11, 12] + list(range(1, 10))


def test_a_line_of_text_with_check_marks_read_as_signs_keeps_its_text():
    """surin's grid at 300 dpi, page 3: the first line of ๑.๑.๓ (its number, นิเทศ ติดตาม และ,
    its amount, กลุ่มพัฒนาครู) ran on into the ✓ of all twelve months, read as ” % ¥ Y unsurely:
    the whole line was dropped as junk and the name and group lost their first words (F1
    0.963). Without those signs the line is text."""
    from extractors.ocr import ocr_page
    rows = _project_rows(ocr_page(_grid_scan("grid-check-surin1", 300), 3, {}))
    row = next(r for r in rows if r.cells[0].text == "1.1.3")
    assert row.cells[1].text.startswith("นิเทศ ติดตาม และ")
    assert row.cells[3].text.startswith("กลุ่มพัฒนาครู")


def test_a_schedule_column_whose_header_was_misread_is_known_by_its_periods():
    """rayong's plan at 300 dpi, page 4: the schedule column's header ระยะเวลา was read "ระยะ
    เว ล", no header word: the table had no schedule and all 10 projects lost their dates
    (F1 0.662). A column no header word names whose cells are mostly periods is the schedule."""
    from extractors.tables import find_tables
    from extractors.timeline import extract_timeline
    lines = _scanned_pages("onetable-rayong-sec-typo", (4,), dpi=300)
    rows = extract_timeline(find_tables(lines), 2567)
    assert len(rows) == 7
    assert sum(1 for r in rows if r.start is not None and r.end is not None) >= 6


def test_header_labels_misread_by_a_letter_name_their_columns():
    """rayong's plan at 150 dpi, page 4: the header read "ลำตับ | โครงการ | งบประมาณ |
    กลุ่มทีรับมิดชอบ | ระบะ เวลา": the group and schedule columns had no role, and every
    project lost its group and its dates (0.49 F1). A cell of a header line a letter per
    six off a label names that label's column."""
    from extractors.tables import find_tables
    lines = _scanned_pages("onetable-rayong-sec-typo", (4,), dpi=150)
    table = find_tables(lines)[0]
    assert {"seq", "name", "budget", "group", "period"} <= set(table.roles)
    assert table.rows[0].cell(table.roles.index("group")).startswith("กลุ่มบริหารงาน")


def test_a_cover_province_misread_by_a_letter_is_the_province():
    """ubon2's plan at 150 dpi, cover: the office line read "...ประถมศึกษาอุบลราชอธานีเขต 2"
    (a letter added): no office name printed a province, and the office, province, area and
    level were all lost. A long province name a letter off, where no office line prints one
    exactly, is that province."""
    from extractors.metadata import extract_metadata
    meta = extract_metadata(_scanned_pages("sheets-ubon2-renamed", (1,), dpi=150))
    assert (meta.province, meta.area_no, meta.area_level) == ("อุบลราชธานี", 2, "primary")
    assert meta.office == "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาอุบลราชธานี เขต 2"


def test_a_sheets_label_misread_by_a_letter_starts_the_sheet():
    """ubon2's plan at 150 dpi, page 7 (a project sheet): "ชื่อโครงการ" read "ซื่อโครงการ"
    (ซ for ช; both words): the sheet was lost, and every later sheet's schedule went to the
    project before it (31 timeline mismatches). A line starting a letter off a label is that
    label."""
    from extractors.forms import find_sheets
    sheets = find_sheets(_scanned_pages("sheets-ubon2-renamed", (7,), dpi=150))
    assert [s.name for s in sheets] == ["การส่งเสริมการวัดและประเมินผลการเรียนรู้ตามสภาพจริง"]
    assert sheets[0].period.startswith("1 มีนาคม 2568")


def test_a_group_heading_number_misread_as_a_look_alike_keeps_the_order():
    """lampang's plan at 150 dpi, pages 4-5: the headings read กลยุทธ์ที่ ๑, "๖", ๓ (๒ read
    ๖): strategy 2 was lost and its projects and sheets went to a strategy 6 (0.68 F1).
    A heading number out of order, a look-alike of the number it skips, is that number."""
    from extractors.plan import extract_strategies
    from extractors.tables import find_tables
    lines = [ln for k in (4, 5) for ln in _family_page("sheets-lampang1", k, dpi=150, seed=LAMPANG_SEED)]
    strategies, _ = extract_strategies(lines, find_tables(lines))
    assert [s.no for s in strategies] == [1, 2, 3]
    assert strategies[1].declared_budget == 94250 or strategies[1].table_total == 94250


def test_a_sheets_period_ends_at_an_item_number_misread_and_keeps_a_misread_label_whole():
    """lampang's plan at 150 dpi, project sheets of pages 6 and 18: the item number of the
    line after the period read ">." and "bd." (๖.), so "หลักการและเหตุผล" and the prose under
    it ran into the period, and no date was read (5 schedules lost); page 18's label read
    "ระยะเวลาตดำเนินการ", taken as ระยะเวลา and a value "ตดำเนินการ ...". A symbol or a Latin
    letter or two before a full stop is an item number; the longest label a letter off wins."""
    from extractors.forms import find_sheets
    got = {s.page: s.period for k in (6, 18)
           for s in find_sheets(_family_page("sheets-lampang1", k, dpi=150, seed=LAMPANG_SEED))}
    assert got[6] == "๑ มิถุนายน ๒๕๖๖ - ๓๐ กันยายน ๒๕๖๖"
    assert got[18].startswith("๑ มิถุนายน") and "หลักการ" not in got[18]


@pytest.fixture(scope="module")
def buriram_200(tmp_path_factory):
    """The two-level plan (นโยบาย rows over กลยุทธ์ rows in one ruled table, Norasi, Thai digits)
    scanned at 200 dpi, extracted."""
    import families
    import scans
    from pipeline.cli import main
    scan = scans.Scan("twolevel-onetable-buriram2-policy", 200)
    tmp = tmp_path_factory.mktemp("buriram200")
    pdf = tmp / f"{scan.name}.pdf"
    scans.scan_pdf(families.build_all() / "pdf" / f"{scan.fixture}.pdf", pdf, scan, 3001)
    assert main(["extract", str(pdf), "--out", str(tmp / "wh")]) in (0, 1)
    return tmp / "wh"


def test_group_rows_whose_number_a_scan_misread_or_lost(buriram_200):
    """On the scan, "กลยุทธ์ที่ ๔" was read ๕ (Norasi's ๔ and ๕ at 200 dpi) and "กลยุทธ์ที่ ๗" lost
    its number: strategy 4's two projects went to strategy 5, strategy 7 and its two projects
    were lost (F1 0.841). The number the group's subtotal names ("รวมกลยุทธ์ที่ ๔"), following the
    group before, and look-alike of the one read, is the group's; a group row with no number
    takes its subtotal's (F1 0.937; what is left is letters)."""
    from conftest import query
    rows = query(buriram_200, "projects", "SELECT strategy_no, seq FROM {t} ORDER BY seq")
    assert rows == [(1, 1), (1, 2), (1, 3), (2, 4), (2, 5), (3, 6), (3, 7), (3, 8), (3, 9), (4, 10), (4, 11),
                    (5, 12), (5, 13), (5, 14), (6, 15), (6, 16), (6, 17), (7, 18), (7, 19)]
    totals = query(buriram_200, "strategies", "SELECT strategy_no, table_total_thb, parent_no FROM {t} ORDER BY 1")
    assert [(no, int(total), parent) for no, total, parent in totals] == [
        (1, 536550, 1), (2, 535700, 1), (3, 463600, 2), (4, 615750, 3), (5, 84590, 3), (6, 298810, 4), (7, 258540, 4)]
    said = query(buriram_200, "findings", "SELECT actual, expected FROM {t} WHERE code = 'GROUP_NUMBER_READ' ORDER BY 2")
    assert said == [("5", "4"), (None, "7")]          # inferred, so said: never silent
