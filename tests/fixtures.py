"""Build PDF and DOCX test fixtures from the real sample plan, with their gold files.

Each variant rewrites the sample's text (digits, dates, office, fiscal year), lays it out as
a Word document with python-docx (tab-separated lines with 3+ cells become real tables),
and LibreOffice (headless, Debian's Thai fonts) exports it to PDF. Each variant's gold is
derived from the sample's hand-checked gold by the same rewrite, never from thaiplan's output.

Run as a script to (re)build into a folder:  python tests/fixtures.py OUT_DIR
"""

import calendar
import copy
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from normalizers.dates import FULL_MONTHS, MONTH_ABBR_PRINT, parse_thai_date  # noqa: E402
from normalizers.digits import arabic_to_thai, thai_to_arabic  # noqa: E402

SAMPLE = ROOT / "samples" / "cme2-teacher-dev-plan-2567.txt"
GOLD = ROOT / "samples" / "cme2-teacher-dev-plan-2567.gold.json"
CACHE = ROOT / "tests" / ".fixtures"
FY_MONTHS = [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]


@dataclass
class Variant:
    name: str
    font: str
    ruled: bool = True
    arabic_digits: bool = False
    short_dates: bool = False
    budget_first: bool = False
    month_grid: bool = False
    repeat_header: bool = True
    replace: list = field(default_factory=list)     # (old, new) text replacements
    year_shift: int = 0
    area_no: int | None = None                      # when `replace` changes the office
    compact: bool = False                           # only cover, statistics, strategies, timelines


VARIANTS = [
    Variant("ruled-laksaman-thai", font="Laksaman"),
    Variant("borderless-garuda-arabic", font="Garuda", ruled=False, arabic_digits=True,
            short_dates=True, repeat_header=False),
    Variant("lampang-2571-budget-first", font="Loma", budget_first=True, year_shift=4, area_no=1,
            replace=[("เชียงใหม่ เขต ๒", "ลำปาง เขต ๑"), ("เชียงใหม่", "ลำปาง"),
                     ("๒๕๖๗", "๒๕๗๑"), ("๒๕๖๖", "๒๕๗๐")]),
    Variant("month-grid", font="Laksaman", month_grid=True),
    # the scan's layout with its text layer: rows split across pages under a header wrapped
    # over several lines (regression: the wrapped header lines swallowed the continued row)
    Variant("compact-garuda", font="Garuda", ruled=False, arabic_digits=True, compact=True),
]
# rasterised with skew and noise into an image-only PDF (see build_scan)
SCAN_VARIANT = Variant("scan-compact", font="Garuda", ruled=False, arabic_digits=True, compact=True)
SCAN_DPI = 200
SCAN_SKEW = (0.6, -0.4, 0.3)      # degrees, page after page


# ---- text rewrites, applied identically to the plan and to its gold ------------------

def rewrite(text: str, v: Variant) -> str:
    for old, new in v.replace:
        text = text.replace(old, new)
    if v.arabic_digits:
        text = thai_to_arabic(text)
    return text


def shift(iso: str | None, years: int) -> str | None:
    if iso is None or not years:
        return iso
    d = date.fromisoformat(iso)
    return d.replace(year=d.year + years).isoformat()


def short_date(cell: str) -> str:
    """'๑ ตุลาคม ๒๕๖๖' -> '1 ต.ค. 66'."""
    m = regex.match(r"^(\S+)\s+(\S+)\s+(\S+)$", cell.strip())
    if not m or m[2] not in FULL_MONTHS:
        return cell
    year = thai_to_arabic(m[3])
    return f"{thai_to_arabic(m[1])} {MONTH_ABBR_PRINT[FULL_MONTHS[m[2]] - 1]} {year[-2:]}"


def derive_gold(v: Variant) -> dict:
    gold = json.loads(GOLD.read_text("utf-8"))
    out = copy.deepcopy(gold)

    def fix(obj):
        if isinstance(obj, dict):
            return {k: fix(x) for k, x in obj.items()}
        if isinstance(obj, list):
            return [fix(x) for x in obj]
        if isinstance(obj, str):
            if regex.match(r"^\d{4}-\d\d-\d\d$", obj):
                return shift(obj, v.year_shift)
            # gold text is written with Arabic digits where the sample has Thai ones
            return thai_to_arabic(rewrite(arabic_to_thai(obj), v))
        return obj

    out = fix(out)
    doc = out["document"]
    doc["fiscal_year_be"] = gold["document"]["fiscal_year_be"] + v.year_shift
    if v.area_no is not None:
        doc["area_no"] = v.area_no
    if v.month_grid:
        fy_start = date.fromisoformat(doc["fiscal_year_start"])
        fy_end = date.fromisoformat(doc["fiscal_year_end"])
        for t in out["timeline"]:
            s = max(date.fromisoformat(t["start"]), fy_start)
            e = min(date.fromisoformat(t["end"]), fy_end)
            t["start"] = s.replace(day=1).isoformat()
            t["end"] = e.replace(day=calendar.monthrange(e.year, e.month)[1]).isoformat()
    return out


# ---- layout --------------------------------------------------------------------------

def _is_row(line: str) -> bool:
    return line.count("\t") >= 2


def _blocks(text: str):
    """('p', line) for paragraphs, ('t', rows) for tables: runs of lines with 3+ tab-separated
    cells; a blank line inside a run (a page break in the source) does not end the table."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not _is_row(lines[i]):
            yield "p", lines[i]
            i += 1
            continue
        rows = []
        while i < len(lines):
            if _is_row(lines[i]):
                rows.append([c.strip() for c in lines[i].split("\t")])
            elif not (not lines[i].strip() and i + 1 < len(lines) and _is_row(lines[i + 1])):
                break
            i += 1
        yield "t", rows


def _set_font(run_or_style, font: str, size: int = 16):
    from docx.oxml.ns import qn
    from docx.shared import Pt
    f = run_or_style.font
    f.name = font
    f.size = Pt(size)
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), font)
    szcs = rpr.makeelement(qn("w:szCs"), {qn("w:val"): str(size * 2)})
    rpr.append(szcs)


def _no_borders(table):
    from docx.oxml.ns import qn
    tblpr = table._tbl.tblPr
    borders = tblpr.makeelement(qn("w:tblBorders"), {})
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(borders.makeelement(qn(f"w:{edge}"), {qn("w:val"): "nil"}))
    tblpr.append(borders)


def _repeat_header(row):
    from docx.oxml.ns import qn
    trpr = row._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))


def _grid_rows(rows: list[list[str]], v: Variant) -> list[list[str]]:
    """A start/end timeline table as a month grid with a ✓ in every active month."""
    months = [MONTH_ABBR_PRINT[m - 1] for m in FY_MONTHS]
    if v.arabic_digits is False:
        months = [arabic_to_thai(m) for m in months]
    out = [["ที่", "โครงการ", *months]]
    fy_start, fy_end = date(2023 + v.year_shift, 10, 1), date(2024 + v.year_shift, 9, 30)
    for r in rows:
        if not thai_to_arabic(r[0]).strip().isdigit():
            continue
        s = max(parse_thai_date(r[2]).value, fy_start)
        e = min(parse_thai_date(r[3]).value, fy_end)
        marks = []
        for m in FY_MONTHS:
            y = fy_start.year if m >= 10 else fy_end.year
            first, last = date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
            marks.append("✓" if first <= e and last >= s else "")
        out.append([r[0], r[1], *marks])
    return out


def _compact(text: str) -> str:
    """The plan without its long prose: cover, basic statistics, strategies and timelines."""
    lines = text.split("\n")

    def at(prefix):
        return next(i for i, ln in enumerate(lines) if ln.startswith(prefix) and "\t" not in ln)
    keep = (lines[:at("คำนำ")] + lines[at("๒. ข้อมูลพื้นฐาน"):at("๒. บทบาทอำนาจหน้าที่")]
            + lines[at("ส่วนที่ ๓"):at("ส่วนที่ ๔")])
    return "\n".join(keep)


def build_scan(pdf_path: Path, out_path: Path, dpi: int = SCAN_DPI, seed: int = 7) -> Path:
    """An image-only PDF of `pdf_path`: pages rendered to grey, slightly rotated, specks of noise."""
    import random

    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter
    rnd = random.Random(seed)
    pdf = pdfium.PdfDocument(str(pdf_path))
    images = []
    for i in range(len(pdf)):
        img = pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        img = img.rotate(SCAN_SKEW[i % len(SCAN_SKEW)], resample=Image.BICUBIC, fillcolor=255)
        px = img.load()
        w, h = img.size
        for _ in range(w * h // 2000):
            px[rnd.randrange(w), rnd.randrange(h)] = rnd.choice((0, 90, 160))
        images.append(img.filter(ImageFilter.GaussianBlur(0.4)))
    pdf.close()
    images[0].save(out_path, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out_path


def build_docx(v: Variant, path: Path) -> None:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm

    text = SAMPLE.read_text("utf-8")
    text = rewrite(_compact(text) if v.compact else text, v)
    document = docx.Document()
    _set_font(document.styles["Normal"], v.font)
    section = document.sections[0]
    if v.month_grid:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    in_timeline = False
    for kind, item in _blocks(text):
        if kind == "p":
            line = item.replace("**", "")
            if line.startswith("ส่วนที่") or line.startswith("ระยะเวลาในการดำเนินการโครงการ"):
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            if line.startswith("ระยะเวลาในการดำเนินการโครงการ"):
                in_timeline = True
            elif line.startswith("ส่วนที่"):
                in_timeline = False
            if line.strip():
                p = document.add_paragraph(line)
                p.paragraph_format.space_after = 0
            continue
        rows = item
        is_timeline = in_timeline
        if is_timeline and v.short_dates:
            rows = [[short_date(c) for c in r] for r in rows]
        if is_timeline and v.month_grid:
            rows = _grid_rows(rows, v)
        elif not is_timeline and v.budget_first and len(rows[0]) == 4:
            rows = [[r[0], r[1], r[3], r[2]] for r in rows]
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        if v.ruled:
            table.style = "Table Grid"
        else:
            _no_borders(table)
        if v.month_grid and is_timeline:
            widths = [Cm(1.2), Cm(9)] + [Cm(1.35)] * (width - 2)
        elif width == 4:
            widths = [Cm(1.3), Cm(8.2), Cm(5), Cm(2.5)]
        else:
            widths = [Cm(17 / width)] * width
        table.autofit = False
        for c_i, w in enumerate(widths):
            table.columns[c_i].width = w
        for r_i, r in enumerate(rows):
            row = table.rows[r_i]
            if r_i == 0 and v.repeat_header:
                _repeat_header(row)
            for c_i in range(width):
                cell = row.cells[c_i]
                cell.width = widths[c_i]
                cell.text = r[c_i] if c_i < len(r) else ""
    document.save(str(path))


def export_pdf(docx_path: Path, out_dir: Path) -> Path:
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)],
            check=True, capture_output=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return out_dir / (docx_path.stem + ".pdf")


def _fingerprint() -> str:
    h = hashlib.sha256(Path(__file__).read_bytes() + SAMPLE.read_bytes() + GOLD.read_bytes())
    return h.hexdigest()[:16]


def cached_build(out: Path, fingerprint: str, build) -> Path:
    """`build(out)` into a fresh `out` unless it holds a build of this fingerprint already (a
    `.built-<fingerprint>` stamp, written only once the build is complete)."""
    out = Path(out)
    stamp = out / f".built-{fingerprint}"
    if stamp.exists():
        return out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    build(out)
    stamp.write_text("ok")
    return out


def build_all(out: Path = CACHE) -> Path:
    """Build every variant (DOCX + PDF + gold for each) into `out`; cached by content."""
    return cached_build(out, _fingerprint(), _build_variants)


def _build_variants(out: Path) -> None:
    for v in VARIANTS:
        gold = json.dumps(derive_gold(v), ensure_ascii=False, indent=1)
        docx_path = out / f"{v.name}.docx"
        build_docx(v, docx_path)
        (out / f"{v.name}.gold.json").write_text(gold, "utf-8")
        pdf_dir = out / "pdf"
        pdf_dir.mkdir(exist_ok=True)
        export_pdf(docx_path, pdf_dir)
        (pdf_dir / f"{v.name}.gold.json").write_text(gold, "utf-8")
    scan_dir = out / "scan"
    scan_dir.mkdir()
    v = SCAN_VARIANT
    build_docx(v, scan_dir / f"{v.name}.docx")
    text_pdf = export_pdf(scan_dir / f"{v.name}.docx", scan_dir)
    build_scan(text_pdf, scan_dir / f"{v.name}.scan.pdf")
    text_pdf.unlink()
    (scan_dir / f"{v.name}.docx").unlink()
    (scan_dir / f"{v.name}.scan.gold.json").write_text(
        json.dumps(derive_gold(v), ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    print(build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else CACHE))
