"""`thaiplan inspect FILE --page N`: the page drawn with what the extractors understood on it
(tables, column roles, row roles, cell boxes, schedule marks), on generated plans of other
offices (tests/families.py) and the real sample; the HTML opened in headless Chromium."""

import re

import pytest
from PIL import Image

from browser import dom, screenshot
from conftest import ROOT, SAMPLE
from pipeline.cli import main

SCREENS = ROOT / "tests" / ".fixtures" / "screens"
MARK_RGB = (0xF2, 0xC2, 0x30)     # output.inspect_view.ROLE_COLORS["mark"]


@pytest.fixture(scope="module")
def families():
    from families import build_all
    return build_all()


def _inspect(capsys, path, page, out) -> str:
    assert main(["inspect", str(path), "--page", str(page), "--out", str(out)]) == 0
    return capsys.readouterr().out


def test_ruled_month_grid_pdf_page_drawn_with_roles_boxes_and_marks(families, tmp_path, capsys):
    """Page 3 of the Chiang Rai grid: a strategy heading and four projects, shaded months."""
    page = tmp_path / "grid.html"
    text = _inspect(capsys, families / "pdf" / "grid-shaded-chiangrai2.pdf", 3, page)
    assert "page 3 of" in text and "table 1: grid, ruled" in text
    assert "seq | name | budget | group | month10 | month11" in text
    assert re.search(r"rows: \d+ header, 1 group, 4 project · (\d+) schedule marks", text)
    html = dom(page)
    assert 'src="data:image/png;base64,' in html                  # the page itself, inline
    assert len(re.findall(r'<rect class="row project"', html)) == 4
    assert len(re.findall(r'<rect class="row group"', html)) == 1
    assert len(re.findall(r'<rect class="mark"', html)) == int(re.search(r"(\d+) schedule marks", text)[1]) > 0
    labels = re.findall(r'<text class="label"[^>]*>([^<]+)</text>', html)
    assert {"seq", "name", "budget", "group", "month10", "month9"} <= set(labels)
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    png = screenshot(page, SCREENS / "inspect-grid.png", width=1000, height=1000)
    assert Image.open(png).convert("L").getextrema()[0] < 100


def test_png_output_has_the_page_and_the_marks(families, tmp_path, capsys):
    png = tmp_path / "grid.png"
    _inspect(capsys, families / "pdf" / "grid-shaded-chiangrai2.pdf", 3, png)
    img = Image.open(png).convert("RGB")
    assert img.width > 1000                           # the page at twice its size in points
    small = img.resize((img.width // 4, img.height // 4))
    raw = small.tobytes()
    near = sum(1 for k in range(0, len(raw), 3) if all(abs(raw[k + i] - MARK_RGB[i]) < 60 for i in range(3)))
    assert near > 50                                  # shaded month cells painted in the mark colour


def test_borderless_pdf_rows_listed_without_boxes(families, tmp_path, capsys):
    page = tmp_path / "borderless.html"
    text = _inspect(capsys, families / "pdf" / "borderless-wrap-surat3.pdf", 3, page)
    assert "projects, borderless" in text and "continuation" in text and "0 rows with cell boxes" in text
    html = dom(page)
    assert '<rect class="row' not in html                          # no geometry: no boxes guessed
    assert '<tr class="continuation">' in html and '<tr class="project">' in html


def test_docx_page_drawn_as_blocks_with_subtotals_and_total(families, tmp_path, capsys):
    page = tmp_path / "docx.html"
    text = _inspect(capsys, families / "grid-shaded-chiangrai2.docx", 1, page)
    assert re.search(r"rows: \d+ header, 4 group, 20 project, 4 subtotal, 1 total · \d+ schedule marks", text)
    html = dom(page)
    assert 'class="sheet drawn"' in html and '<rect class="paragraph"' in html
    assert len(re.findall(r'<rect class="row subtotal"', html)) == 4
    assert len(re.findall(r'<rect class="row total"', html)) == 1
    assert "กลุ่มบริหารงานการเงินและสินทรัพย์" in html


def test_text_sample_and_a_page_out_of_range(tmp_path, capsys):
    text = _inspect(capsys, SAMPLE, 1, tmp_path / "sample.png")
    assert "table 1: projects, borderless" in text and "total" in text
    assert Image.open(tmp_path / "sample.png").height > 1000
    assert main(["inspect", str(SAMPLE), "--page", "9", "--out", str(tmp_path / "x.html")]) == 1
    assert "no page 9" in capsys.readouterr().err
    assert main(["inspect", str(SAMPLE), "--page", "1", "--out", str(tmp_path / "x.pdf")]) == 2
