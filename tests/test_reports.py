"""Reports people look at: the audit page and the warehouse overview, opened in headless
Chromium; and the DuckDB views behind `thaiplan sql`."""

import re
import shutil

import pytest
from PIL import Image

from browser import dom, screenshot
from conftest import ROOT, SAMPLE
from pipeline.cli import main

SCREENS = ROOT / "tests" / ".fixtures" / "screens"


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    from fixtures import build_all
    out = tmp_path_factory.mktemp("wh")
    samples = tmp_path_factory.mktemp("samples")
    shutil.copy(SAMPLE, samples)
    shutil.copy(SAMPLE.with_name(SAMPLE.stem + ".gold.json"), samples)
    pdf = build_all() / "pdf" / "lampang-2571-budget-first.pdf"
    assert main(["audit", str(samples), "--out", str(out), "--min-f1", "0.99"]) == 0
    assert main(["extract", str(pdf), "--out", str(out)]) == 0
    assert main(["report", str(out)]) == 0
    return out


def _charts(html: str) -> dict[str, int]:
    """Bars drawn per chart id in the rendered DOM."""
    out = {}
    for m in re.finditer(r'<svg class="chart[^"]*" id="([^"]+)"(.*?)</svg>', html, re.S):
        out[m[1]] = len(re.findall(r'<rect class="bar"', m[2]))
    return out


def test_warehouse_report_renders_charts(reported):
    page = reported / "_report.html"
    html = dom(page)
    charts = _charts(html)
    assert charts["budget-by-strategy"] == 12          # 6 strategies in each of 2 documents
    assert charts["budget-by-group"] >= 5
    gantts = [k for k in charts if k.startswith("gantt-")]
    assert len(gantts) == 2 and all(charts[k] == 40 for k in gantts)
    assert "สพป.เชียงใหม่ เขต 2" in html and "สพป.ลำปาง เขต 1" in html
    assert "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา" in html
    assert "TOTAL_MISMATCH" in html and "DATE_OUTSIDE_FY" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")   # nothing to fetch
    png = screenshot(page, SCREENS / "report.png")
    assert Image.open(png).convert("L").getextrema()[0] < 100    # something dark was drawn


def test_audit_report_renders_scores_and_findings(reported):
    page = reported / "_audit" / "report.html"
    html = dom(page)
    charts = _charts(html)
    assert charts["by-dataset"] == 15 and charts["by-field"] == 3 * 23
    assert "F1 1.0000" in html and "passed" in html
    assert "Wrong or missing cells (0)" in html
    assert "TOTAL_MISMATCH" in html and "strategy 2: declared budget" in html
    screenshot(page, SCREENS / "audit.png")


def test_audit_report_shows_wrong_cells_with_source_text(tmp_path, gold_wrong):
    out = tmp_path / "wh"
    assert main(["audit", str(gold_wrong), "--out", str(out), "--min-f1", "1.0"]) == 1
    html = dom(out / "_audit" / "report.html")
    assert "FAILED" in html
    assert "รับนักเรียน ปีการศึกษา ๒๕๖๗" in html          # the printed source of a wrong cell


@pytest.fixture
def gold_wrong(tmp_path, gold):
    import json
    folder = tmp_path / "samples"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "x.txt")
    wrong = json.loads(json.dumps(gold))
    wrong["projects"][3]["name"] = "ชื่อที่ไม่ตรง"
    (folder / "x.gold.json").write_text(json.dumps(wrong, ensure_ascii=False), "utf-8")
    return folder


def test_views_answer_the_readme_questions(reported, capsys):
    assert main(["sql", str(reported), "SELECT office, fiscal_year_be, projects, budget_thb "
                                       "FROM budget_by_office_year ORDER BY 2"]) == 0
    out = capsys.readouterr().out
    assert out.count("1455115.00") == 2 and "2567" in out and "2571" in out   # sum of the rows, as printed
    assert main(["sql", str(reported), "SELECT projects FROM projects_by_group "
                                       "WHERE responsible_group = 'กลุ่มอำนวยการ'"]) == 0
    assert re.search(r"│\s+6\s+│", capsys.readouterr().out)   # 3 per document
    assert main(["sql", str(reported), "SELECT count(*) AS n FROM project_months "
                                       "WHERE month = DATE '2024-02-01'"]) == 0
    assert re.search(r"│\s+\d+\s+│", capsys.readouterr().out)
