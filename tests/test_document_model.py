"""The document model and the pieces the structure finders share: ruled grids with spans,
fills and drawn bars; sequence numbers; group headings and total labels; schedule periods;
DOCX merged cells. Real PDFs and DOCX of every layout family are in test_families.py."""

from datetime import date
from pathlib import Path

import pytest

from datamodel.document import Cell, Line, Row, TableBlock, blocks_of_lines, lines_of
from extractors.ruled_grid import Piece, find_grids
from normalizers.dates import DateRejected, parse_period
from normalizers.labels import group_heading, subtotal_group, total_kind
from normalizers.numbering import parse_seq


def _box(x0, y0, x1, y1):
    """The four rulings of a rectangle: vertical (x, y0, y1), horizontal (y, x0, x1)."""
    return [(x0, y0, y1), (x1, y0, y1)], [(y0, x0, x1), (y1, x0, x1)]


def _grid_rulings():
    """A 3-row, 4-column table (x 0..400, y 300..0): row 1 a heading merged across;
    row 2 'ที่ | โครงการ | ต.ค. | พ.ย.'; row 3 a project row. A schedule bar is drawn across
    the two month cells of row 3 (a line that does not end on the rulings)."""
    xs, ys = [0, 50, 200, 300, 400], [300, 200, 100, 0]
    vert = [(0, 0, 300), (400, 0, 300)] + [(x, 0, 200) for x in xs[1:-1]]   # row 1 has no inner borders
    horiz = [(y, 0, 400) for y in ys]
    bar = (50.0, 210.0, 390.0)           # y, x0, x1: inside row 3, across both month columns
    return vert, horiz + [bar]


def test_ruled_grid_spans_text_and_bar():
    vert, horiz = _grid_rulings()
    pieces = [Piece(10, 150, 250, 12, "นโยบายที่ 1 ด้านความปลอดภัย"),
              Piece(10, 30, 150, 12, "ที่"), Piece(60, 120, 150, 12, "โครงการ"),
              Piece(230, 260, 150, 12, "ต.ค."), Piece(330, 360, 150, 12, "พ.ย."),
              Piece(20, 26, 50, 12, "1"), Piece(60, 190, 60, 12, "โครงการสถานศึกษา"),
              Piece(60, 120, 40, 12, "ปลอดภัย"), Piece(10, 100, 400, 12, "outside the table")]
    grids, outside = find_grids(pieces, vert, horiz, [(210, 1, 290, 99, "BFBFBF")], page_no=3)
    assert [p.text for p in outside] == ["outside the table"]
    (grid,) = grids
    table = grid.table
    assert table.n_cols == 4 and len(table.rows) == 3 and table.page == 3
    heading = table.rows[0]
    assert heading.spanning is not None and heading.spanning.colspan == 4
    assert heading.texts(4) == ["นโยบายที่ 1 ด้านความปลอดภัย", "", "", ""]
    assert table.texts(1) == ["ที่", "โครงการ", "ต.ค.", "พ.ย."]
    row = table.rows[2]
    assert row.texts(4)[:2] == ["1", "โครงการสถานศึกษาปลอดภัย"]     # wrapped Thai joins without a space
    assert row.at(2).fill == "BFBFBF" and row.at(2).shaded              # the fill covers the cell
    assert row.at(2).marked and row.at(3).marked                        # the bar crosses both months
    assert not row.at(1).marked and not table.rows[1].at(2).marked


def test_a_fill_in_the_row_below_does_not_mark_the_row_above():
    vert, horiz = _grid_rulings()
    grids, _ = find_grids([], vert, horiz[:-1], [(210, 1, 290, 101, "D9D9D9")], page_no=1)
    rows = grids[0].table.rows
    assert rows[2].at(2).shaded and not rows[1].at(2).marked and not rows[1].at(2).shaded


def test_a_row_border_running_a_little_past_the_frame_is_a_border():
    """chonburi's plan scanned at 150 dpi, page 8: the border between projects 5 and 6 was
    measured 3.8 points past the frame's right edge (blur, a speck at its end), so it met no
    vertical there and was taken for a drawn bar: the two projects made one row ("56"). A
    border may run a little past the frame's outer verticals; a bar inside the frame stays a
    bar, and a line running far past the frame is none of the table's borders."""
    vert, horiz = _grid_rulings()
    overrun = [(y, 0, 404) if y == 100 else (y, x0, x1) for y, x0, x1 in horiz]
    (grid,) = find_grids([], vert, overrun, [], page_no=1)[0]
    assert len(grid.table.rows) == 3 and grid.table.rows[2].at(2).marked      # the bar in row 3 too
    far = [(y, 0, 440) if y == 100 else (y, x0, x1) for y, x0, x1 in horiz]
    (grid,) = find_grids([], vert, far, [], page_no=1)[0]
    assert len(grid.table.rows) == 2


def test_vertical_merge_covers_the_cells_below():
    vert = [(0, 0, 200), (100, 0, 200), (200, 0, 200), (300, 100, 200), (400, 0, 200)]
    horiz = [(200, 0, 400), (0, 0, 400), (100, 200, 400)]       # ที่/โครงการ span both rows
    grids, _ = find_grids([Piece(10, 30, 100, 12, "ที่")], vert, horiz, [], page_no=1)
    t = grids[0].table
    first = t.rows[0].at(0)
    assert first.rowspan == 2 and first.text == "ที่"
    assert t.rows[1].at(0).covered and t.rows[0].at(2).colspan == 2 - 1
    assert t.rows[1].texts(t.n_cols)[0] == ""


def test_lines_and_blocks_round_trip():
    table = TableBlock([Row([Cell("ที่", 0), Cell("โครงการ", 1)], 1),
                        Row([Cell("กลยุทธ์ที่ 1", 0, colspan=2)], 1)], 2, 1)
    lines = lines_of([table])
    assert lines[0].cells == ["ที่", "โครงการ"] and lines[1].cells == ["กลยุทธ์ที่ 1", ""]
    assert lines[1].row.spanning is not None and lines[-1].blank
    blocks = blocks_of_lines(lines)
    assert blocks[0] is table                       # a reader's table stays itself
    text_blocks = blocks_of_lines([Line("ที่\tชื่อ", 1, ["ที่", "ชื่อ"]), Line("1\tก", 1, ["1", "ก"]),
                                   Line("ย่อหน้า", 1)])
    assert isinstance(text_blocks[0], TableBlock) and not text_blocks[0].ruled
    assert not text_blocks[0].rows[0].real and text_blocks[1].text == "ย่อหน้า"


@pytest.mark.parametrize("text,value,parts,bullet", [
    ("๑", 1, (1,), False), ("12.", 12, (12,), False), ("(3)", 3, (3,), False),
    ("๑.๒", 2, (1, 2), False), ("1.2.3", 3, (1, 2, 3), False), ("-", None, (), True), ("•", None, (), True)])
def test_sequence_numbers(text, value, parts, bullet):
    seq = parse_seq(text)
    assert (seq.value, seq.parts, seq.bullet) == (value, parts, bullet)


@pytest.mark.parametrize("text", ["", "โครงการ", "ก.ย."])
def test_not_sequence_numbers(text):
    assert parse_seq(text) is None


@pytest.mark.parametrize("text,kind,no,title", [
    ("นโยบายที่ ๑ ด้านความปลอดภัย", "นโยบาย", 1, "ด้านความปลอดภัย"),
    ("กลยุทธ์ที่ 2: พัฒนาครู", "กลยุทธ์", 2, "พัฒนาครู"),
    ("ประเด็นกลยุทธ์ที่ ๓ การศึกษา", "ประเด็นกลยุทธ์", 3, "การศึกษา"),
    ("ยุทธศาสตร์ที่ 4", "ยุทธศาสตร์", 4, ""),
    ("จุดเน้นที่ ๕ คุณภาพ", "จุดเน้น", 5, "คุณภาพ"),
    ("เป้าประสงค์ที่ 1 ผู้เรียน", "เป้าประสงค์", 1, "ผู้เรียน"),
    ("- กลยุทธิ์ที่ 2 เพิ่มโอกาส", "กลยุทธ์", 2, "เพิ่มโอกาส")])       # OCR: a mark too many
def test_group_headings(text, kind, no, title):
    g = group_heading(text)
    assert (g.kind, g.no, g.title) == (kind, no, title)


@pytest.mark.parametrize("text", ["กลยุทธ์ที่ต้องทำ", "มีโครงการรองรับกลยุทธ์ที่ 2", "ยุทธศาสตร์ที่ 1.2 ย่อย"])
def test_not_group_headings(text):
    assert group_heading(text) is None


@pytest.mark.parametrize("text,kind,group", [
    ("รวม", "sub", None), ("รวมนโยบายที่ ๒", "sub", 2), ("รวมกลยุทธ์ที่ 3", "sub", 3),
    ("รวมทั้งสิ้น", "grand", None), ("รวม งบประมาณทั้งสิ้น", "grand", None), ("รวมทั้งหมด", "grand", None),
    ("โครงการ", None, None)])
def test_total_labels(text, kind, group):
    assert total_kind(text) == kind and subtotal_group(text) == group


@pytest.mark.parametrize("text,start,end", [
    ("ต.ค. ๖๗ - ก.ย. ๖๘", date(2024, 10, 1), date(2025, 9, 30)),
    ("ตุลาคม ๒๕๖๗ – กันยายน ๒๕๖๘", date(2024, 10, 1), date(2025, 9, 30)),
    ("๑ พ.ย. ๖๗ – ๓๑ ส.ค. ๖๘", date(2024, 11, 1), date(2025, 8, 31)),
    ("ตลอดปีงบประมาณ", date(2024, 10, 1), date(2025, 9, 30)),
    ("ตลอดปี", date(2024, 10, 1), date(2025, 9, 30)),
    ("ไตรมาส ๑", date(2024, 10, 1), date(2024, 12, 31)),
    ("ไตรมาส ๒–๓", date(2025, 1, 1), date(2025, 6, 30)),
    ("ไตรมาสที่ 3 - 4", date(2025, 4, 1), date(2025, 9, 30)),
    ("ธ.ค. 67", date(2024, 12, 1), date(2024, 12, 31))])
def test_periods(text, start, end):
    p = parse_period(text, 2568)
    assert (p.start.value, p.end.value) == (start, end) and not p.start_error and not p.end_error


def test_period_with_an_impossible_end_keeps_its_start():
    p = parse_period("๑ ต.ค. ๖๗ – ๓๑ ก.ย. ๖๘", 2568)
    assert p.start.value == date(2024, 10, 1) and p.end is None and "31" in p.end_error
    p = parse_period("๒๙ ก.พ. ๖๘ - ๓๐ มี.ค. ๖๘", 2568)          # 2025 is not a leap year
    assert p.start is None and "leap" in p.start_error and p.end.value == date(2025, 3, 30)


def test_fiscal_year_periods_need_the_fiscal_year():
    with pytest.raises(DateRejected):
        parse_period("ตลอดปีงบประมาณ", None)
    with pytest.raises(DateRejected):
        parse_period("ไตรมาส 5", 2568)


def test_docx_merged_and_shaded_cells(tmp_path: Path):
    import docx
    from docx.oxml.ns import qn

    from extractors.docx_reader import read_docx
    d = docx.Document()
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "ที่"
    t.cell(0, 2).merge(t.cell(0, 3)).text = "พ.ศ. ๒๕๖๗"
    t.cell(1, 2).text, t.cell(1, 3).text = "ต.ค.", "พ.ย."
    t.cell(2, 0).text = "1"
    run = t.cell(2, 1).paragraphs[0].add_run("โครงการ")
    run.bold = True
    tcpr = t.cell(2, 3)._tc.get_or_add_tcPr()
    tcpr.append(tcpr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:fill"): "BFBFBF"}))
    path = tmp_path / "merged.docx"
    d.save(path)
    src = read_docx(path)
    (table,) = [b for b in src.blocks if isinstance(b, TableBlock)]
    assert table.n_cols == 4
    assert table.rows[0].at(0).rowspan == 2 and table.rows[1].at(0).covered
    assert table.rows[0].at(3).colspan == 2 and table.texts(0) == ["ที่", "", "พ.ศ. ๒๕๖๗", ""]
    assert table.texts(1) == ["", "", "ต.ค.", "พ.ย."]
    assert table.rows[2].at(3).fill == "BFBFBF" and table.rows[2].at(2).fill is None
    assert table.rows[2].at(1).bold and not table.rows[2].at(0).bold
