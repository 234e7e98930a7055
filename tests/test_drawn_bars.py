"""Schedules drawn as bars (LAYOUTS.md §5): a month grid whose active months are marked by a
line or a filled strip drawn across them, no text and no cell shading. python-docx cannot draw
such shapes, so the bars are drawn into a real LibreOffice PDF of an empty month grid with
pdfium's path objects, where the grid's own cells are; gold by construction."""

import calendar
import ctypes
import json
from datetime import date
from pathlib import Path

import pytest

from fixtures import _set_font, export_pdf
from pipeline.audit import run_audit
from pipeline.settings import Settings

MONTHS = ["ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย."]
FY_MONTHS = [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]
# (name, first month index, last month index, drawn as: "line" (an arrow's shaft) or "strip")
PROJECTS = [("สถานศึกษาปลอดภัย", 0, 11, "line"), ("ป้องกันยาเสพติดในสถานศึกษา", 2, 5, "strip"),
            ("ลดความเหลื่อมล้ำทางการศึกษา", 6, 8, "line"), ("นิเทศ ติดตาม และประเมินผล", 9, 11, "strip")]
FY = 2568


def _docx(path: Path) -> None:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm
    d = docx.Document()
    _set_font(d.styles["Normal"], "Garuda", 14)
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = sec.page_height, sec.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(1.5))
    for line in ("แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๘", "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาขอนแก่น",
                 "กลยุทธ์ที่ ๑ พัฒนาคุณภาพการศึกษา"):
        d.add_paragraph(line)
    t = d.add_table(rows=1 + len(PROJECTS), cols=4 + 12)
    t.style = "Table Grid"
    for j, h in enumerate(["ที่", "โครงการ", "งบประมาณ", "ผู้รับผิดชอบ", *MONTHS]):
        t.cell(0, j).text = h
    for i, (name, *_rest) in enumerate(PROJECTS, start=1):
        for j, v in enumerate([str(i), name, f"{10000 * i:,}", "กลุ่มนโยบายและแผน"]):
            t.cell(i, j).text = v
    widths = [Cm(1), Cm(6), Cm(2.2), Cm(4)] + [Cm(1.0)] * 12
    t.autofit = False
    for col, w in zip(t.columns, widths):
        col.width = w
    for row in t.rows:
        for c, w in zip(row.cells, widths):
            c.width = w
    d.save(str(path))


def _draw_bars(pdf_path: Path, target: Path) -> None:
    """Bars across each project's months, placed on the grid the reader finds (its cell
    borders), drawn as pdfium path objects: a 1 pt line (an arrow's shaft) or a 4 pt strip."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from extractors.pdf_reader import read_pdf
    src = read_pdf(pdf_path)
    (table,) = [b for b in src.blocks if getattr(b, "xs", None)]
    pdf = pdfium.PdfDocument(str(pdf_path))
    page = pdf[table.page - 1]
    for k, (_name, first, last, kind) in enumerate(PROJECTS, start=1):
        row = table.rows[k]
        x0 = row.at(4 + first).box[0] + 4
        x1 = row.at(4 + last).box[2] - 4
        top, bottom = row.at(4 + first).box[1], row.at(4 + first).box[3]
        mid = (top + bottom) / 2
        if kind == "line":
            obj = raw.FPDFPageObj_CreateNewPath(x0, mid)
            raw.FPDFPath_LineTo(obj, x1, mid)
            raw.FPDFPageObj_SetStrokeColor(obj, 0, 0, 0, 255)
            raw.FPDFPageObj_SetStrokeWidth(obj, ctypes.c_float(1.0))
            raw.FPDFPath_SetDrawMode(obj, 0, 1)
        else:
            obj = raw.FPDFPageObj_CreateNewRect(x0, mid - 2, x1 - x0, 4)
            raw.FPDFPageObj_SetFillColor(obj, 40, 40, 40, 255)
            raw.FPDFPath_SetDrawMode(obj, raw.FPDF_FILLMODE_ALTERNATE, 0)
        raw.FPDFPage_InsertObject(page.raw, obj)
    assert raw.FPDFPage_GenerateContent(page.raw)
    pdf.save(str(target))
    pdf.close()


def _gold() -> dict:
    timeline = []
    for k, (name, first, last, _kind) in enumerate(PROJECTS, start=1):
        m0, m1 = FY_MONTHS[first], FY_MONTHS[last]
        y0 = FY - 543 - (1 if m0 >= 10 else 0)
        y1 = FY - 543 - (1 if m1 >= 10 else 0)
        timeline.append({"seq": k, "name": name, "start": date(y0, m0, 1).isoformat(),
                         "end": date(y1, m1, calendar.monthrange(y1, m1)[1]).isoformat(),
                         "strategy_no": 1, "project_seq": k})
    return {"timeline": timeline,
            "projects": [{"strategy_no": 1, "seq": k, "name": n, "budget_thb": 10000 * k}
                         for k, (n, *_r) in enumerate(PROJECTS, start=1)]}


@pytest.fixture(scope="module")
def barred(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bars")
    _docx(folder / "grid.docx")
    plain = export_pdf(folder / "grid.docx", folder)
    out = folder / "plan"
    out.mkdir()
    _draw_bars(plain, out / "bars.pdf")
    (out / "bars.gold.json").write_text(json.dumps(_gold(), ensure_ascii=False), "utf-8")
    return out


def test_months_marked_by_drawn_bars_are_the_schedule(barred, tmp_path):
    result, (summary,) = run_audit(barred, Settings(out=str(tmp_path / "wh")))
    assert summary.status == "ok"
    assert result.dataset("timeline").f1 == 1.0 and result.dataset("projects").f1 == 1.0


def test_a_bar_is_not_taken_for_a_row_border(barred):
    """A horizontal line inside a row does not end on the table's rulings: it marks cells and
    does not split the row in two."""
    from extractors.pdf_reader import read_pdf
    (table,) = [b for b in read_pdf(barred / "bars.pdf").blocks if getattr(b, "xs", None)]
    assert len(table.rows) == 1 + len(PROJECTS)
    marked = [[j - 4 for j in range(4, 16) if row.at(j).marked] for row in table.rows[1:]]
    assert marked == [list(range(first, last + 1)) for _n, first, last, _k in PROJECTS]
