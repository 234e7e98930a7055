"""PDF and DOCX plans: fixtures generated from the real sample (python-docx + LibreOffice with
Debian's Thai fonts), each audited against gold derived from the sample's gold."""

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE, query
from fixtures import VARIANTS, build_all
from pipeline.audit import run_audit
from pipeline.cli import main
from pipeline.settings import Settings

FIXTURES = [f"pdf/{v.name}.pdf" for v in VARIANTS] + [f"{v.name}.docx" for v in VARIANTS]


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    assert shutil.which("soffice"), "LibreOffice (soffice) is needed to build the PDF fixtures: make setup"
    return build_all()


@pytest.fixture(scope="session")
def audits(fixtures_dir, tmp_path_factory):
    out = {}
    for sub in ("pdf", "."):
        wh = tmp_path_factory.mktemp("audit")
        result, summaries = run_audit(fixtures_dir / sub, Settings(out=str(wh)))
        ids = {Path(s.path).name: s.doc_id for s in summaries}
        for name, score in result.files.items():
            out[f"pdf/{name}" if sub == "pdf" else name] = (score, wh, result, ids[name])
        assert all(s.status == "ok" for s in summaries), [(s.path, s.error) for s in summaries]
    return out


@pytest.mark.parametrize("fixture", FIXTURES)
def test_fixture_audit_f1(audits, fixture):
    score, _, result, _ = audits[fixture]
    wrong = [m for m in result.mismatches if m["file"] == Path(fixture).name]
    assert score.f1 >= 0.99, wrong[:10]


def _findings(out: Path, source_name: str):
    """Findings of one document; text compared as the audit compares it (layout may wrap names).
    SUPERSEDED is left out: it says which copy of the plan is current, not what the copy holds."""
    from normalizers.text import compact
    return sorted((c, s, q, compact(e), compact(a)) for c, s, q, e, a in query(out, "findings",
                        "SELECT f.code, f.strategy_no, f.seq, f.expected, f.actual FROM {t} f "
                        f"JOIN read_parquet('{out}/documents/*/*.parquet') d USING (doc_id) "
                        f"WHERE d.source_name = '{source_name}' AND f.code <> 'SUPERSEDED'"))


def test_findings_on_pdfs_match_the_text_form(fixtures_dir, tmp_path):
    out = tmp_path / "wh"
    sources = [SAMPLE, fixtures_dir / "pdf" / "ruled-laksaman-thai.pdf",
               fixtures_dir / "pdf" / "borderless-garuda-arabic.pdf", fixtures_dir / "ruled-laksaman-thai.docx"]
    assert main(["extract", *map(str, sources), "--out", str(out)]) == 0
    text_form = _findings(out, SAMPLE.name)
    assert {c for c, *_ in text_form} >= {"TOTAL_MISMATCH", "DATE_OUTSIDE_FY", "HEADER_MISMATCH"}
    for src in sources[1:]:
        assert _findings(out, src.name) == text_form, src.name


def test_pdf_text_is_correct_thai_and_rows_have_pages(audits):
    _, wh, _, doc = audits["pdf/ruled-laksaman-thai.pdf"]
    names = [n for (n,) in query(wh, "projects", f"SELECT name FROM {{t}} WHERE doc_id = '{doc}'")]
    assert any("ขับเคลื่อน" in n for n in names) and any("ดำเนิน" in n for n in names)
    assert not any("\u0e4d\u0e32" in n or "(cid:" in n for n in names)
    pages = query(wh, "projects", f"SELECT min(page), max(page), count(page) FROM {{t}} WHERE doc_id = '{doc}'")[0]
    (page_count,) = query(wh, "documents", f"SELECT page_count FROM {{t}} WHERE doc_id = '{doc}'")[0]
    assert 1 < pages[0] <= pages[1] <= page_count and pages[2] == 40
    assert query(wh, "pages", f"SELECT count(*), min(method), max(method) FROM {{t}} WHERE doc_id = '{doc}'") == [
        (page_count, "text", "text")]


def test_month_grid_gives_month_precision(audits):
    _, wh, _, doc = audits["pdf/month-grid.pdf"]
    rows = query(wh, "timeline", f"SELECT date_precision, count(*) FROM {{t}} WHERE doc_id = '{doc}' GROUP BY 1")
    assert rows == [("month", 40)]
    (start, end) = query(wh, "timeline", f"SELECT start_date, end_date FROM {{t}} WHERE doc_id = '{doc}' AND seq = 37")[0]
    assert (str(start), str(end)) == ("2023-11-01", "2023-12-31")


def test_budget_column_before_group_and_other_office(audits):
    _, wh, _, doc = audits["pdf/lampang-2571-budget-first.pdf"]
    assert query(wh, "documents", f"SELECT office, fiscal_year_be FROM {{t}} WHERE doc_id = '{doc}'") == [
        ("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาลำปาง เขต 1", 2571)]
    rows = query(wh, "projects", "SELECT responsible_group, budget_thb FROM {t} "
                                 f"WHERE doc_id = '{doc}' AND strategy_no = 6 AND seq = 9")
    assert [(g, int(b)) for g, b in rows] == [("กลุ่มบริหารงานบุคคล", 300000)]


def test_pages_with_rotate_90_read_as_without(fixtures_dir, tmp_path):
    """Issue 13 (16): pages with /Rotate 90 got stray spaces inside 13 of 40 project names
    ("จ ำนวน"): pdfium orders a rotated page's characters otherwise and emits a word's last
    letters elsewhere; touching runs of one line are one run of text, wherever emitted."""
    import pikepdf
    rotated = tmp_path / "in" / "ruled-laksaman-thai.pdf"
    rotated.parent.mkdir()
    with pikepdf.open(fixtures_dir / "pdf" / "ruled-laksaman-thai.pdf") as pdf:
        for page in pdf.pages:
            page.Rotate = 90
        pdf.save(rotated)
    shutil.copy(fixtures_dir / "pdf" / "ruled-laksaman-thai.gold.json", rotated.parent)
    result, (summary,) = run_audit(rotated.parent, Settings(out=str(tmp_path / "wh")))
    assert summary.status == "ok" and result.overall().f1 == 1.0
