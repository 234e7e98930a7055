"""Plans grouped on two levels (LAYOUTS.md §2: นโยบาย -> กลยุทธ์), on small synthetic text plans:
the level nearest the project rows is the strategy, the level above is its parent, whose
subtotal ("รวมนโยบายที่ N") or declaration is checked against its strategies, never taken for a
strategy's total. The generated DOCX/PDF plans (tests/families.py, family two-level) are audited
in test_families.py."""

from decimal import Decimal

from extractors.plan import extract_strategies
from extractors.tables import find_tables
from extractors.text_reader import lines_of
from pipeline.checks import check_strategies


def _read(text):
    lines = lines_of(text.strip("\n"), 1)
    tables = find_tables(lines)
    return extract_strategies(lines, tables)


# one table: นโยบาย rows over กลยุทธ์ rows (numbered 1..3 across the plan), subtotals of both levels;
# the นโยบายที่ 1 subtotal is misprinted (it should be 60,000)
ONE_TABLE = """
ที่\tโครงการ\tงบประมาณ\tผู้รับผิดชอบ
นโยบายที่ 1 ด้านความปลอดภัย
กลยุทธ์ที่ 1 ส่งเสริมความปลอดภัย
1\tโรงเรียนปลอดภัย\t10,000\tกลุ่มส่งเสริมการจัดการศึกษา
2\tป้องกันยาเสพติด\t20,000\tกลุ่มส่งเสริมการจัดการศึกษา
รวมกลยุทธ์ที่ 1\t\t30,000\t
กลยุทธ์ที่ 2 เพิ่มโอกาสทางการศึกษา
3\tทุนการศึกษา\t30,000\tกลุ่มนโยบายและแผน
รวมกลยุทธ์ที่ 2\t\t30,000\t
รวมนโยบายที่ 1\t\t65,000\t
นโยบายที่ 2 ด้านคุณภาพ
กลยุทธ์ที่ 3 ยกระดับคุณภาพผู้เรียน
4\tพัฒนาการอ่าน\t5,000\tกลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา
รวมกลยุทธ์ที่ 3\t\t5,000\t
รวมนโยบายที่ 2\t\t5,000\t
รวมทั้งสิ้น\t\t65,000\t
"""


def test_one_table_two_levels():
    strategies, orphans = _read(ONE_TABLE)
    assert not orphans
    assert [(s.no, s.title_raw, s.table_total, len(s.projects)) for s in strategies] == [
        (1, "ส่งเสริมความปลอดภัย", Decimal("30000"), 2), (2, "เพิ่มโอกาสทางการศึกษา", Decimal("30000"), 1),
        (3, "ยกระดับคุณภาพผู้เรียน", Decimal("5000"), 1)]
    assert [(s.parent.kind, s.parent.no, s.parent.title_raw) for s in strategies] == [
        ("นโยบาย", 1, "ด้านความปลอดภัย"), ("นโยบาย", 1, "ด้านความปลอดภัย"), ("นโยบาย", 2, "ด้านคุณภาพ")]
    assert strategies[0].parent is strategies[1].parent
    assert strategies[0].parent.table_total == Decimal("65000")
    assert [(p.strategy_no, p.seq) for s in strategies for p in s.projects] == [(1, 1), (1, 2), (2, 3), (3, 4)]
    # the misprinted นโยบาย subtotal is one finding on the parent, not on strategy 1
    found = [(f.code, f.strategy_no, f.parent_no, f.expected, f.actual) for f in check_strategies(strategies)]
    assert found == [("TOTAL_MISMATCH", None, 1, "65000.00", "60000.00")]


# unnamed "รวม" for the strategies, "รวมยุทธศาสตร์ที่ N" above them; the last subtotal's amount
# broken over two lines (a row split by the page)
UNNAMED = """
ที่\tโครงการ\tงบประมาณ\tผู้รับผิดชอบ
ยุทธศาสตร์ที่ 1 จัดการศึกษาเพื่อความมั่นคง
กลยุทธ์ที่ 1 ส่งเสริมความปลอดภัย
1\tโรงเรียนปลอดภัย\t10,000\tกลุ่มส่งเสริมการจัดการศึกษา
รวม\t\t10,000\t
กลยุทธ์ที่ 2 เพิ่มโอกาสทางการศึกษา
1\tทุนการศึกษา\t30,000\tกลุ่มนโยบายและแผน
2\tพัฒนาการอ่าน\t969,750.50\tกลุ่มนิเทศ
รวม\t\t999,7\t
\t\t50.50\t
รวมยุทธศาสตร์ที่ 1\t\t1,009,750.50\t
ยุทธศาสตร์ที่ 2 พัฒนาศักยภาพ
กลยุทธ์ที่ 3 ยกระดับคุณภาพผู้เรียน
1\tพัฒนาครู\t5,000\tกลุ่มพัฒนาครูและบุคลากรทางการศึกษา
รวม\t\t5,000\t
รวมยุทธศาสตร์ที่ 2\t\t5,000\t
รวมงบประมาณทั้งสิ้น\t\t1,014,750.50\t
"""


def test_unnamed_subtotals_and_a_broken_one():
    strategies, orphans = _read(UNNAMED)
    assert not orphans
    assert [(s.no, s.table_total, s.parent.no) for s in strategies] == [
        (1, Decimal("10000"), 1), (2, Decimal("999750.50"), 1), (3, Decimal("5000"), 2)]
    assert [s.parent.table_total for s in strategies] == [Decimal("1009750.50")] * 2 + [Decimal("5000")]
    assert check_strategies(strategies) == []


# headings outside the tables: an overview of both levels, then นโยบาย headings with their own
# declaration (misstated for นโยบายที่ 2) and กลยุทธ์ headings each with a declaration and a table
HEADINGS = """
ส่วนที่ 2 ทิศทางการดำเนินงาน
นโยบายที่ 1 ด้านความปลอดภัย
- กลยุทธ์ที่ 1 ส่งเสริมความปลอดภัย
นโยบายที่ 2 ด้านโอกาส
- กลยุทธ์ที่ 2 เพิ่มโอกาสทางการศึกษา
- กลยุทธ์ที่ 3 ลดความเหลื่อมล้ำ

ส่วนที่ 3 โครงการ
นโยบายที่ 1 ด้านความปลอดภัย
ประกอบด้วย 1 กลยุทธ์ มีโครงการรวม 1 โครงการ งบประมาณรวม 10,000 บาท
กลยุทธ์ที่ 1 ส่งเสริมความปลอดภัย
มีโครงการ จำนวน 1 โครงการ รวมงบประมาณทั้งสิ้น 10,000 บาท
ที่\tโครงการ\tงบประมาณ\tผู้รับผิดชอบ
1\tโรงเรียนปลอดภัย\t10,000\tกลุ่มส่งเสริมการจัดการศึกษา
รวม\t\t10,000\t

นโยบายที่ 2 ด้านโอกาส
ประกอบด้วย 2 กลยุทธ์ มีโครงการรวม 3 โครงการ งบประมาณรวม 99,000 บาท
กลยุทธ์ที่ 2 เพิ่มโอกาสทางการศึกษา
จำนวน 1 โครงการ/กิจกรรม เป็นเงิน 30,000 บาท
ที่\tโครงการ\tงบประมาณ\tผู้รับผิดชอบ
2\tทุนการศึกษา\t30,000\tกลุ่มนโยบายและแผน
รวม\t\t30,000\t

กลยุทธ์ที่ 3 ลดความเหลื่อมล้ำ
มีโครงการ จำนวน 2 โครงการ รวมงบประมาณทั้งสิ้น 60,000 บาท
ที่\tโครงการ\tงบประมาณ\tผู้รับผิดชอบ
3\tเรียนรวม\t20,000\tกลุ่มส่งเสริมการจัดการศึกษา
4\tการศึกษาทางไกล\t40,000\tกลุ่มส่งเสริมการจัดการศึกษา
รวม\t\t60,000\t
"""


def test_headings_two_levels():
    strategies, orphans = _read(HEADINGS)
    assert not orphans
    assert [(s.no, s.title_raw, s.declared_project_count, s.declared_budget, s.table_total, s.parent.no)
            for s in strategies] == [
        (1, "ส่งเสริมความปลอดภัย", 1, Decimal("10000"), Decimal("10000"), 1),
        (2, "เพิ่มโอกาสทางการศึกษา", 1, Decimal("30000"), Decimal("30000"), 2),
        (3, "ลดความเหลื่อมล้ำ", 2, Decimal("60000"), Decimal("60000"), 2)]
    p2 = strategies[1].parent
    assert (p2.title_raw, p2.declared_project_count, p2.declared_budget) == ("ด้านโอกาส", 3, Decimal("99000"))
    found = [(f.code, f.strategy_no, f.parent_no, f.expected, f.actual) for f in check_strategies(strategies)]
    assert found == [("TOTAL_MISMATCH", None, 2, "99000.00", "90000.00")]


# one level, with OBEC's four policies listed in the introduction: they are not a level above
INTRO_LIST = """
นโยบาย สพฐ.
นโยบายที่ 1 ด้านความปลอดภัย
นโยบายที่ 2 ด้านโอกาส
นโยบายที่ 3 ด้านคุณภาพ
นโยบายที่ 4 ด้านประสิทธิภาพ

กลยุทธ์ที่ 1 ส่งเสริมความปลอดภัย
ที่\tโครงการ\tงบประมาณ\tผู้รับผิดชอบ
1\tโรงเรียนปลอดภัย\t10,000\tกลุ่มส่งเสริมการจัดการศึกษา
รวม\t\t10,000\t

กลยุทธ์ที่ 2 เพิ่มโอกาสทางการศึกษา
ที่\tโครงการ\tงบประมาณ\tผู้รับผิดชอบ
1\tทุนการศึกษา\t30,000\tกลุ่มนโยบายและแผน
รวม\t\t30,000\t
"""


def test_a_list_of_policies_is_not_a_level():
    strategies, _ = _read(INTRO_LIST)
    assert [(s.no, s.title_raw, s.table_total, s.parent) for s in strategies] == [
        (1, "ส่งเสริมความปลอดภัย", Decimal("10000"), None), (2, "เพิ่มโอกาสทางการศึกษา", Decimal("30000"), None)]
