"""Phrasings and layouts other offices use, on small synthetic plans (one regression
test per variant). The real sample is covered in test_sample_warehouse.py."""

from datetime import date
from decimal import Decimal

from extractors.metadata import extract_metadata
from extractors.plan import extract_strategies, parse_declaration
from extractors.stats import extract_stats
from extractors.tables import find_tables
from extractors.text_reader import lines_of
from extractors.timeline import extract_timeline
from pipeline.document import process_document
from pipeline.settings import Settings


def _lines(text):
    return lines_of(text.strip("\n"), 1)


def test_declaration_sentence_families():
    assert parse_declaration("มีโครงการรองรับกลยุทธ์ที่ ๒ โครงการ งบประมาณ ๘๕,๔๕๐ บาท ดังนี้")[:2] == (2, Decimal("85450.00"))
    assert parse_declaration("มีโครงการพัฒนารองรับกลยุทธ์ที่ ๒ จำนวน ๔ โครงการ งบประมาณ ๓๒,๐๕๐ บาท")[:2] == (4, Decimal("32050.00"))
    assert parse_declaration("จำนวน 3 โครงการ งบประมาณทั้งสิ้น 1.5 ล้านบาท")[:2] == (3, Decimal("1500000.00"))
    assert parse_declaration("มีโครงการทั้งสิ้น 12 โครงการ งบประมาณรวม 250,000.50 บาท")[:2] == (12, Decimal("250000.50"))


VARIANT = """
แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2568
สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาลำปาง ลำพูน

ยุทธศาสตร์ที่ 1: พัฒนาคุณภาพผู้เรียน
ทุกระดับชั้น

จำนวน 3 โครงการ งบประมาณทั้งสิ้น 60,000.50 บาท

ลำดับ\tชื่อโครงการ\tงบประมาณ\tผู้รับผิดชอบ
1\tพัฒนาการอ่าน\t10,000\tกลุ่มนิเทศฯ
2\tค่ายวิทยาศาสตร์ สำหรับ\t20,000.50\tกลุ่มส่งเสริม การจัดการศึกษา
\tนักเรียนมัธยม\t\t
3\tแข่งขันทักษะ\t30,000\tกลุ่มส่งเสริมการจัดการศึกษา
รวม\t\t60,000.50\t

ระยะเวลาดำเนินงาน

ที่\tโครงการ\tระยะเวลา
1\tพัฒนาการอ่าน\t1 ต.ค. 67 - 31 มี.ค. 68
2\tค่ายวิทยาศาสตร์ สำหรับนักเรียนมัธยม\tพ.ย. 67 – ม.ค. 68
3\tโครงการที่ไม่มีในแผน\t1 ก.ย. 68 - 30 ส.ค. 68
"""


def test_variant_plan_structures():
    lines = _lines(VARIANT)
    meta = extract_metadata(lines)
    assert meta.title == "แผนปฏิบัติการ"
    assert meta.fiscal_year_be == 2568 and meta.fiscal_year_start == date(2024, 10, 1)
    assert meta.office == "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาลำปาง ลำพูน"
    assert (meta.province, meta.area_no, meta.area_level) == ("ลำปาง", None, "secondary")

    tables = find_tables(lines)
    assert [t.kind for t in tables] == ["projects", "timeline"]
    strategies, orphans = extract_strategies(lines, tables)
    assert not orphans
    (s,) = strategies
    assert s.title_raw == "พัฒนาคุณภาพผู้เรียน\nทุกระดับชั้น"          # raw keeps the line break
    assert (s.declared_project_count, s.declared_budget, s.table_total) == (3, Decimal("60000.50"), Decimal("60000.50"))
    assert [p.budget for p in s.projects] == [Decimal("10000.00"), Decimal("20000.50"), Decimal("30000.00")]
    assert s.projects[1].name_raw == "ค่ายวิทยาศาสตร์ สำหรับ\nนักเรียนมัธยม"      # wrapped cell
    assert s.projects[0].group_raw == "กลุ่มนิเทศฯ"

    rows = extract_timeline(tables, meta.fiscal_year_be)
    assert [(r.start, r.end, r.precision) for r in rows[:2]] == [
        (date(2024, 10, 1), date(2025, 3, 31), "day"), (date(2024, 11, 1), date(2025, 1, 31), "month")]


def test_variant_plan_findings(tmp_path):
    src = tmp_path / "variant.txt"
    src.write_text(VARIANT, "utf-8")
    result = process_document(src, Settings(out=str(tmp_path / "wh")))
    assert result.status == "ok"
    codes = sorted((f["code"], f["seq"]) for f in result.rows["findings"] if f["severity"] != "info")
    assert ("DATE_ORDER", 3) in codes
    assert ("UNLINKED_TIMELINE", 3) in codes
    assert not any(c == "TOTAL_MISMATCH" for c, _ in codes)
    groups = {p["responsible_group"] for p in result.rows["projects"]}
    assert groups == {"กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา", "กลุ่มส่งเสริมการจัดการศึกษา"}


GRID = """
ที่\tโครงการ\tต.ค.\tพ.ย.\tธ.ค.\tม.ค.\tก.พ.\tมี.ค.\tเม.ย.\tพ.ค.\tมิ.ย.\tก.ค.\tส.ค.\tก.ย.
1\tพัฒนาการอ่าน\t\t✓\t✓\t✓\t\t\t\t\t\t\t\t
2\tค่ายวิทยาศาสตร์\t\t\t\t\t\t\t\t\t\t✓\t✓\t✓
"""


def test_month_grid_timeline():
    tables = find_tables(_lines(GRID))
    assert tables[0].kind == "grid"
    rows = extract_timeline(tables, 2567)
    assert [(r.start, r.end, r.precision) for r in rows] == [
        (date(2023, 11, 1), date(2024, 1, 31), "month"), (date(2024, 7, 1), date(2024, 9, 30), "month")]


def test_impossible_and_implausible_dates_become_findings(tmp_path):
    text = """แผนปฏิบัติการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๗

กลยุทธ์ที่ ๑ ทดสอบ

จำนวน ๒ โครงการ งบประมาณ ๓,๐๐๐ บาท

ที่\tโครงการ\tกลุ่มที่รับผิดชอบ\tงบประมาณ
๑\tก\tกลุ่มอำนวยการ\t๑,๐๐๐
รวม\t\t\t๓,๐๐๐

ที่\tโครงการ\tเริ่มต้น\tสิ้นสุด
๑\tก\t๒๙ กุมภาพันธ์ ๒๕๖๖\t๓๐ กันยายน ๖๕๖๗
"""
    src = tmp_path / "bad-dates.txt"
    src.write_text(text, "utf-8")
    result = process_document(src, Settings())
    f = {(x["code"], x["actual"]) for x in result.rows["findings"]}
    assert ("INVALID_DATE", "๒๙ กุมภาพันธ์ ๒๕๖๖") in f
    assert ("INVALID_DATE", "๓๐ กันยายน ๖๕๖๗") in f
    assert ("COUNT_MISMATCH", "1") in f
    assert ("TOTAL_MISMATCH", "1000.00") in f
    (tl,) = result.rows["timeline"]
    assert tl["start_date"] is None and tl["start_raw"] == "๒๙ กุมภาพันธ์ ๒๕๖๖"


def test_stats_with_as_of_before_the_block_and_a_wrong_total():
    text = """๑. จำนวนนักเรียน จำนวนทั้งสิ้น ๑๐๐ คน
ข้อมูล ณ วันที่ ๑๐ มิถุนายน ๒๕๖๖

๑.๑ ระดับปฐมวัย จำนวน ๔๐ คน
๑.๒ ระดับประถมศึกษา จำนวน ๕๐ คน
"""
    (block,) = extract_stats(_lines(text))
    assert block.table == "students_by_level" and block.declared_total == 100
    assert [(s.label_raw, s.value, s.as_of) for s in block.stats] == [
        ("ระดับปฐมวัย", 40, date(2023, 6, 10)), ("ระดับประถมศึกษา", 50, date(2023, 6, 10))]
    from pipeline.checks import check_stats
    (finding,) = check_stats([block])
    assert (finding.code, finding.expected, finding.actual) == ("STAT_TOTAL_MISMATCH", "100", "90")


def test_ocr_tolerant_headings_and_headers():
    """Seen in OCR of the scanned fixture: a mark too many in a heading word, a letter too many
    in a repeated header, a declaration split at wide gaps that looks like a header."""
    from normalizers.labels import group_heading
    from extractors.tables import is_header, same_header
    from datamodel.document import Line
    assert group_heading("กลยุทธิ์ที่ 2 เพิ่มโอกาส").no == 2
    assert group_heading("กลยุทธ์ที่ต้องทำ") is None
    assert same_header(["ที่", "โครงการ", "กลุ่มที่รับผิดชอบ", "กงบ"], ["ที่", "โครงการ", "กลุ่มที่รับผิดชอบ", "งบ"])
    assert same_header(["", "", "ดำเนินการ"], ["", "", "ดำเนินการ", ""])
    assert not same_header(["ที่", "โครงการ", "งบประมาณ"], ["ที่", "โครงการ", "ระยะเวลา"])
    sentence = ["มีโครงการรองรับกลยุทธ์ที่ 2", "โครงการ", "งบประมาณ", "85,450 บาท ดังนี้"]
    assert is_header(Line(text=" ".join(sentence), page=1, cells=sentence)) is None
    header = ["ที่", "โครงการ", "กลุ่มที่รับผิดชอบ", "งบประมาณ"]
    assert is_header(Line(text=" ".join(header), page=1, cells=header)) is not None


def test_projects_before_any_strategy_heading_are_kept_and_flagged(tmp_path):
    """Noted in session 1: a plan whose project table has no strategy heading above it was
    reported MISSING_PROJECTS (status partial) although its rows were extracted."""
    plan = tmp_path / "no-heading.txt"
    plan.write_text("แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๗\nสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต ๒\n\n"
                    "ที่\tโครงการ\tกลุ่มที่รับผิดชอบ\tงบประมาณ (บาท)\n"
                    "๑\tสถานศึกษาปลอดภัย\tกลุ่มส่งเสริมการจัดการศึกษา\t๔๕,๔๕๐\n"
                    "๒\tรับนักเรียน ปีการศึกษา ๒๕๖๗\tกลุ่มส่งเสริมการจัดการศึกษา\t๑๐,๐๐๐\n", "utf-8")
    result = process_document(plan, Settings(out=str(tmp_path / "wh")))
    codes = {f["code"] for f in result.rows["findings"]}
    assert result.status == "ok" and "MISSING_PROJECTS" not in codes
    assert "UNASSIGNED_PROJECTS" in codes
    rows = [(p["seq"], p["strategy_no"], p["budget_thb"]) for p in result.rows["projects"]]
    assert rows == [(1, None, Decimal("45450.00")), (2, None, Decimal("10000.00"))]


def test_one_table_with_group_rows_subtotals_and_a_wrong_grand_total(tmp_path):
    """LAYOUTS.md §2: group rows inside one table, subtotal rows, a grand total; a period
    column. The grand total printed here is 1,000 baht short: a finding, never a fix."""
    plan = tmp_path / "one-table.txt"
    plan.write_text(
        "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๘\nสำนักงานเขตพื้นที่การศึกษามัธยมศึกษาขอนแก่น\n\n"
        "ที่\tโครงการ\tงบประมาณ (บาท)\tผู้รับผิดชอบ\tระยะเวลา\n"
        "นโยบายที่ ๑ ด้านความปลอดภัย\n"
        "๑\tสถานศึกษาปลอดภัย\t๑๐,๐๐๐\tกลุ่มส่งเสริมการจัดการศึกษา\tต.ค. ๖๗ - ก.ย. ๖๘\n"
        "๒\tป้องกันยาเสพติด\t๕,๐๐๐\tกลุ่มส่งเสริมการจัดการศึกษา\tตลอดปีงบประมาณ\n"
        "รวมนโยบายที่ ๑\t\t๑๕,๐๐๐\n"
        "นโยบายที่ ๒ ด้านโอกาส\n"
        "๓\tลดความเหลื่อมล้ำ\t๒๐,๐๐๐\tกลุ่มนโยบายและแผน\tไตรมาส ๒–๓\n"
        "รวมนโยบายที่ ๒\t\t๒๐,๐๐๐\n"
        "รวมทั้งสิ้น\t\t๓๔,๐๐๐\n", "utf-8")
    result = process_document(plan, Settings(out=str(tmp_path / "wh")))
    strategies = [(s["strategy_no"], s["title"], s["table_total_thb"]) for s in result.rows["strategies"]]
    assert strategies == [(1, "ด้านความปลอดภัย", Decimal("15000.00")), (2, "ด้านโอกาส", Decimal("20000.00"))]
    assert [(p["strategy_no"], p["seq"]) for p in result.rows["projects"]] == [(1, 1), (1, 2), (2, 3)]
    timeline = [(t["seq"], t["start_date"].isoformat(), t["end_date"].isoformat(), t["project_seq"])
                for t in result.rows["timeline"]]
    assert timeline == [(1, "2024-10-01", "2025-09-30", 1), (2, "2024-10-01", "2025-09-30", 2),
                        (3, "2025-01-01", "2025-06-30", 3)]
    totals = [(f["strategy_no"], f["expected"], f["actual"]) for f in result.rows["findings"]
              if f["code"] == "TOTAL_MISMATCH"]
    assert totals == [(None, "34000.00", "35000.00")]


def test_fiscal_year_is_decided_by_all_mentions_and_a_misread_cover_is_a_finding(tmp_path):
    """Issue 12: OCR read ๒๕๖๗ on a cover as ๒๕๐๒; every other mention of the plan says 2567.
    The plan is 2567, and the cover's 2502 is an INVALID_DATE finding; a schedule date read
    decades away (๒๕๒๓) is null with its reason, not a date."""
    plan = tmp_path / "misread-cover.txt"
    plan.write_text(
        "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๐๒\nสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต ๒\n\n"
        "คำนำ\nแผนฉบับนี้จัดทำขึ้นเพื่อใช้ในปีงบประมาณ พ.ศ. ๒๕๖๗ ตามนโยบายปีงบประมาณ ๒๕๖๗\n\n"
        "กลยุทธ์ที่ ๑ พัฒนาคุณภาพ\n"
        "ที่\tโครงการ\tงบประมาณ (บาท)\tกลุ่มที่รับผิดชอบ\tระยะเวลา\n"
        "๑\tสถานศึกษาปลอดภัย\t๑๐,๐๐๐\tกลุ่มส่งเสริมการจัดการศึกษา\t๑ ต.ค. ๒๕๖๖ - ๓๐ ก.ย. ๒๕๖๗\n"
        "๒\tนิเทศภายใน\t๕,๐๐๐\tกลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา\t๑ ต.ค. ๒๕๒๓ - ๓๑ มี.ค. ๒๕๖๗\n"
        "รวม\t\t๑๕,๐๐๐\n", "utf-8")
    result = process_document(plan, Settings(out=str(tmp_path / "wh")))
    assert result.fiscal_year_be == 2567
    invalid = [(f["expected"], f["actual"]) for f in result.rows["findings"] if f["code"] == "INVALID_DATE"]
    assert ("2567", "2502") in invalid
    assert [(f["seq"], f["actual"]) for f in result.rows["findings"]
            if f["code"] == "INVALID_DATE" and f["seq"] is not None] == [(2, "๑ ต.ค. ๒๕๒๓ - ๓๑ มี.ค. ๒๕๖๗")]
    (t1, t2) = result.rows["timeline"]
    assert t1["start_date"].isoformat() == "2023-10-01" and t2["start_date"] is None
    assert t2["end_date"].isoformat() == "2024-03-31"


def test_a_titles_year_phrase_with_its_era_misread_is_not_title():
    """lampang's sheets at 150 dpi: the cover's "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๖" read
    with "พ.ศ." as "wa.", and the title kept the year phrase. The era read as one or two short
    words with full stops before the year is the era; other words after ประจำปี stay."""
    from extractors.metadata import find_title
    assert find_title(_lines("แผนปฏิบัติการประจำปีงบประมาณ wa. 2566")) == "แผนปฏิบัติการ"
    assert find_title(_lines("แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๖")) == "แผนปฏิบัติการ"
    assert find_title(_lines("แผนพัฒนาครู ประจำปี ครู ก. 2566")) == "แผนพัฒนาครู ประจำปี ครู ก. 2566"
