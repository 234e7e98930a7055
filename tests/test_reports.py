"""Reports people look at: the audit page and the warehouse overview, opened in headless
Chromium; and the DuckDB views behind `thaiplan sql`."""

import html as html_mod
import json
import re
import shutil

import pytest
from PIL import Image

from browser import dom, run_script, screenshot
from conftest import ROOT, SAMPLE
from pipeline.cli import main

SCREENS = ROOT / "tests" / ".fixtures" / "screens"


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    """The audited sample, the same plan printed for the next fiscal year (a year-over-year
    change), the Lampang PDF fixture and a Chiang Rai family PDF, reported."""
    from families import build_all as build_families
    from fixtures import build_all
    out = tmp_path_factory.mktemp("wh")
    samples = tmp_path_factory.mktemp("samples")
    shutil.copy(SAMPLE, samples)
    shutil.copy(SAMPLE.with_name(SAMPLE.stem + ".gold.json"), samples)
    next_year = tmp_path_factory.mktemp("next") / "cme2-plan-2568.txt"
    next_year.write_text(SAMPLE.read_text("utf-8").replace("๒๕๖๗", "๒๕๖๘").replace("2567", "2568"), "utf-8")
    pdf = build_all() / "pdf" / "lampang-2571-budget-first.pdf"
    family = build_families() / "pdf" / "grid-shaded-chiangrai2.pdf"
    assert main(["audit", str(samples), "--out", str(out), "--min-f1", "0.99"]) == 0
    assert main(["extract", str(pdf), str(family), str(next_year), "--out", str(out)]) in (0, 1)
    assert main(["report", str(out)]) == 0
    return out


def _charts(html: str) -> dict[str, int]:
    """Bars drawn per chart id in the rendered DOM."""
    out = {}
    for m in re.finditer(r'<svg class="chart[^"]*" id="([^"]+)"(.*?)</svg>', html, re.S):
        out[m[1]] = len(re.findall(r'<rect class="bar"', m[2]))
    return out


def _doc_pages(html: str) -> dict[str, str]:
    """File name -> linked page, from the overview's documents table."""
    return {html_mod.unescape(name): href for href, name in
            re.findall(r'<a href="(_report/[0-9a-f]{64}\.html)">([^<]+)</a>', html)}


def test_overview_by_office_province_and_year_in_thai(reported):
    page = reported / "_report.html"
    html = dom(page)
    for label in ("สำนักงาน", "จังหวัด", "ปีงบประมาณ", "งบประมาณต่อนักเรียน (บาท)", "เปลี่ยนแปลงจากปีก่อน",
                  "ข้อสังเกตแยกตามรหัส", "budget per student"):
        assert label in html, label
    assert "สพป.เชียงใหม่ เขต 2" in html and "สพป.ลำปาง เขต 1" in html and "สพป.เชียงราย เขต 2" in html
    assert "57.62" in html                   # 1,455,115 baht for 25,254 students (students_by_level)
    assert "+0.0%" in html                   # the same budget printed again for 2568
    assert "ยอดรวมที่พิมพ์" in html and "TOTAL_MISMATCH" in html   # Thai sentence of a finding code
    links = _doc_pages(html)
    assert {"cme2-teacher-dev-plan-2567.txt", "cme2-plan-2568.txt", "lampang-2571-budget-first.pdf",
            "grid-shaded-chiangrai2.pdf"} <= set(links)
    assert all((reported / href).is_file() for href in links.values())
    assert _charts(html)["budget-by-group"] >= 5
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")   # nothing to fetch
    png = screenshot(page, SCREENS / "report.png")
    assert Image.open(png).convert("L").getextrema()[0] < 100    # something dark was drawn


def test_document_page_gantt_legend_and_thai_findings(reported):
    links = _doc_pages((reported / "_report.html").read_text("utf-8"))
    page = reported / links["cme2-teacher-dev-plan-2567.txt"]
    html = dom(page)
    assert "<h1>cme2-teacher-dev-plan-2567.txt</h1>" in html          # the file name heads the page
    charts = _charts(html)
    assert charts["gantt"] == 40 and charts["budget-by-strategy"] == 6
    assert "อยู่ในปีงบประมาณ" in html and "within the fiscal year" in html    # the Gantt's legend
    assert "วันที่ 2024-10-01 อยู่นอกปีงบประมาณ" in html or "อยู่นอกปีงบประมาณ" in html
    assert "strategy 2: declared budget" in html                     # the English message beside
    assert 'href="../_report.html"' in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    screenshot(page, SCREENS / "report-document.png")


SORT_AND_FILTER = """
var t=document.getElementById("documents"),ths=t.tHead.rows[0].cells,col=7;
function vals(){return Array.prototype.map.call(t.tBodies[0].rows,function(r){return r.cells[col].getAttribute("data-v");});}
ths[col].click();var asc=vals();ths[col].click();var desc=vals();
var inp=document.querySelector('input[data-table="documents"]');inp.value="ลำปาง";inp.dispatchEvent(new Event("input"));
var shown=Array.prototype.filter.call(t.tBodies[0].rows,function(r){return !r.hidden;}).map(function(r){return r.cells[0].textContent;});
var pre=document.createElement("pre");pre.id="result";
pre.textContent=JSON.stringify({head:ths[col].textContent,asc:asc,desc:desc,shown:shown,
  count:document.getElementById("documents-count").textContent});
document.body.appendChild(pre);
"""


def _result(html: str) -> dict:
    m = re.search(r'<pre id="result">(.*?)</pre>', html, re.S)
    assert m, "the probe script did not run"
    return json.loads(html_mod.unescape(m[1]))


def test_tables_sort_by_header_and_filter_in_chromium(reported):
    r = _result(run_script(reported / "_report.html", SORT_AND_FILTER))
    assert r["head"].startswith("งบประมาณ (บาท)")
    asc = [float(v) for v in r["asc"]]
    assert len(asc) == 4 and asc == sorted(asc) and asc != list(reversed(asc))
    assert [float(v) for v in r["desc"]] == sorted(asc, reverse=True)
    assert r["shown"] == ["lampang-2571-budget-first.pdf"] and r["count"] == "1"


PHONE_WIDTH = 390
FITS = """
var pre=document.createElement("pre");pre.id="result";
pre.textContent=JSON.stringify({inner:window.innerWidth,scroll:document.documentElement.scrollWidth});
document.body.appendChild(pre);
"""


def test_pages_fit_a_phone_screen(reported):
    links = _doc_pages((reported / "_report.html").read_text("utf-8"))
    for page in (reported / "_report.html", reported / links["cme2-teacher-dev-plan-2567.txt"]):
        r = _result(run_script(page, FITS, width=PHONE_WIDTH))
        assert r["inner"] == PHONE_WIDTH and r["scroll"] <= r["inner"], (page.name, r)
    screenshot(reported / "_report.html", SCREENS / "report-phone.png", width=PHONE_WIDTH, height=1400)


def test_pages_of_removed_documents_are_removed(reported, tmp_path):
    out = tmp_path / "wh"
    shutil.copytree(reported, out)
    links = _doc_pages((out / "_report.html").read_text("utf-8"))
    gone = links["lampang-2571-budget-first.pdf"]
    assert main(["remove", str(out), gone[len("_report/"):-len(".html")]]) == 0
    assert main(["report", str(out)]) == 0
    assert not (out / gone).exists() and (out / links["grid-shaded-chiangrai2.pdf"]).exists()
    assert "lampang-2571-budget-first.pdf" not in (out / "_report.html").read_text("utf-8")


def test_every_finding_code_has_a_thai_message():
    from output.thai import FINDINGS
    codes = set()
    for folder in ("pipeline", "extractors"):
        for f in (ROOT / folder).glob("*.py"):
            codes |= set(re.findall(r'Finding\(\s*"(?:error|warning|info)",\s*"([A-Z_]+)"', f.read_text("utf-8")))
    codes.add("SUPERSEDED")
    assert len(codes) >= 15 and not codes - set(FINDINGS), codes - set(FINDINGS)


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
    # sum of the rows, as printed: the sample, its copy for 2568 and the Lampang fixture
    assert out.count("1455115.00") == 3 and "2567" in out and "2568" in out and "2571" in out
    assert main(["sql", str(reported), "SELECT count(*) FROM project_details "
                                       "WHERE responsible_group = 'กลุ่มอำนวยการ' AND office LIKE '%เชียงใหม่%'"]) == 0
    assert re.search(r"│\s+6\s+│", capsys.readouterr().out)   # 3 in each year's plan
    assert main(["sql", str(reported), "SELECT count(*) AS n FROM project_months "
                                       "WHERE month = DATE '2024-02-01'"]) == 0
    assert re.search(r"│\s+\d+\s+│", capsys.readouterr().out)
