"""Plans laid out the way OTHER offices lay them out, generated with their gold by construction.

Each fixture is a seeded random `Plan` (office, level, fiscal year, title kind, groups of projects,
statistics, layout options and 1-3 planted errors). From that one description come:
  - a DOCX (python-docx: real tables, real merged cells, bold runs, shaded cells),
  - a PDF of that DOCX (LibreOffice headless, all fixtures in one soffice call),
  - for some fixtures a .txt form (tabs between cells, form feed at page breaks),
  - the gold JSON, written from the `Plan` (never from thaiplan's output), with an extra key
    "expected_findings" listing the planted errors.
The six families follow ../shared/LAYOUTS.md: one-table, sheets, grid, split-budget, borderless-wrap, and
two-level (นโยบาย -> กลยุทธ์: group rows of both levels in one table, or headings of both levels outside the
tables; the level nearest the projects is the strategy, the one above is its parent).
Gold holds what is PRINTED (a wrong subtotal is the gold table_total_thb; the finding reports it).

Run as a script to (re)build into a folder:  python tests/families.py [OUT_DIR]
Layout: OUT/<fixture>.docx (+ .txt) + .gold.json, OUT/pdf/<fixture>.pdf + .gold.json.
"""

import calendar
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fixtures import _no_borders, _repeat_header, _set_font, cached_build  # noqa: E402
from normalizers.dates import MONTH_ABBR_PRINT, MONTH_FULL_PRINT  # noqa: E402
from normalizers.digits import arabic_to_thai  # noqa: E402

OUT = ROOT / "tests" / ".families"      # not under .fixtures: fixtures.build_all clears that folder
FIXTURES_PY = ROOT / "tests" / "fixtures.py"


# ---- the description ---------------------------------------------------------------------

@dataclass
class Timeline:
    seq: int
    name: str
    start_text: str              # as printed (Arabic digits; rendered with Thai digits if the plan uses them)
    end_text: str
    start: date | None           # gold (None: the printed date does not exist)
    end: date | None
    months: tuple | None = None  # (first, last) fiscal-month index 0..11 for grids
    quarters: tuple | None = None
    joiner: str = " – "

    @property
    def period_text(self) -> str:
        return self.start_text if not self.end_text else f"{self.start_text}{self.joiner}{self.end_text}"


@dataclass
class Project:
    seq: int                     # gold seq
    label: str                   # the printed number ("3", "1.2", "1.1.4", "-", "")
    name: str
    group: str
    budget: Decimal | None       # None: "-" / "ไม่ใช้งบประมาณ"
    budget_text: str = ""
    parts: list = field(default_factory=list)     # split budget (Decimal or None per sub-column)
    timeline: Timeline | None = None
    sheet_name: str | None = None


@dataclass
class Strategy:
    no: int
    word: str                    # กลยุทธ์ / นโยบาย / ยุทธศาสตร์ / ประเด็นกลยุทธ์ / จุดเน้น
    title: str
    projects: list
    declared_count: int | None = None
    declared_budget: Decimal | None = None
    printed_total: Decimal | None = None
    declaration: str = ""
    parent: "Parent | None" = None

    @property
    def heading(self) -> str:
        return f"{self.word}ที่ {self.no} {self.title}"

    @property
    def computed(self) -> Decimal:
        return sum((p.budget or Decimal(0) for p in self.projects), Decimal(0))


@dataclass
class Parent:
    """A heading level above the strategies (นโยบายที่ N over กลยุทธ์ที่ M): its own subtotal
    ("รวมนโยบายที่ N") sums its strategies; it is not a strategy."""
    no: int
    word: str
    title: str
    strategies: list
    printed_total: Decimal | None = None
    declared_count: int | None = None
    declared_budget: Decimal | None = None
    declaration: str = ""

    @property
    def heading(self) -> str:
        return f"{self.word}ที่ {self.no} {self.title}"

    @property
    def computed(self) -> Decimal:
        return sum((s.computed for s in self.strategies), Decimal(0))


@dataclass
class StatTable:
    table: str
    header: tuple
    unit: str
    rows: list                   # (label, value)
    as_of: date | None


@dataclass
class Plan:
    name: str
    family: str
    seed: int
    font: str
    size: int
    thai_digits: bool
    ruled: bool
    province: str
    area_no: int | None
    level: str                   # primary / secondary
    fy: int                      # BE
    kind: str                    # แผนปฏิบัติการ, ...
    strategies: list = field(default_factory=list)
    parents: list = field(default_factory=list)
    stats: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    opts: dict = field(default_factory=dict)
    txt: bool = False

    @property
    def office(self) -> str:
        word = "ประถมศึกษา" if self.level == "primary" else "มัธยมศึกษา"
        area = f" เขต {self.area_no}" if self.area_no else ""
        return f"สำนักงานเขตพื้นที่การศึกษา{word}{self.province}{area}"

    @property
    def fy_start(self) -> date:
        return date(self.fy - 544, 10, 1)

    @property
    def fy_end(self) -> date:
        return date(self.fy - 543, 9, 30)

    @property
    def projects(self) -> list:
        return [p for s in self.strategies for p in s.projects]

    def t(self, text: str) -> str:
        """Text as printed: Thai digits where the plan uses them."""
        return arabic_to_thai(text) if self.thai_digits else text

    def money(self, x: Decimal | None, dash: str = "-") -> str:
        if x is None:
            return dash
        return f"{x:,.2f}" if self.opts.get("decimals") else f"{int(x):,}"


# ---- vocabulary --------------------------------------------------------------------------

GROUPS = ["กลุ่มนโยบายและแผน", "กลุ่มส่งเสริมการจัดการศึกษา", "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา",
          "กลุ่มบริหารงานบุคคล", "กลุ่มพัฒนาครูและบุคลากรทางการศึกษา", "กลุ่มบริหารงานการเงินและสินทรัพย์",
          "กลุ่มอำนวยการ", "หน่วยตรวจสอบภายใน", "กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร",
          "กลุ่มกฎหมายและคดี"]
POLICIES = ["ด้านความปลอดภัย", "ด้านโอกาส", "ด้านคุณภาพ", "ด้านประสิทธิภาพ"]
STRATEGY_TITLES = [
    "ส่งเสริม สนับสนุน ให้สถานศึกษามีความปลอดภัยจากภัยคุกคามทุกรูปแบบ",
    "เพิ่มโอกาสและความเสมอภาค เพื่อลดความเหลื่อมล้ำทางการศึกษาให้แก่ประชากรวัยเรียนทุกคน",
    "ยกระดับคุณภาพการศึกษาให้ผู้เรียนมีสมรรถนะตามหลักสูตรและทักษะที่จำเป็นในศตวรรษที่ 21",
    "พัฒนาครูและบุคลากรทางการศึกษาให้มีสมรรถนะตามมาตรฐานตำแหน่งและวิทยฐานะ",
    "พัฒนาระบบการบริหารจัดการศึกษาด้วยนวัตกรรมและเทคโนโลยีดิจิทัล",
    "ส่งเสริมการมีส่วนร่วมของภาคีเครือข่ายในการจัดการศึกษา",
]
# titles for plans with more strategies than STRATEGY_TITLES holds (two-level plans only: the other
# plans' random draws stay as they were)
MORE_STRATEGY_TITLES = [
    "ส่งเสริมการจัดการศึกษาเพื่อความปลอดภัยและการป้องกันยาเสพติดในสถานศึกษา",
    "สร้างโอกาสทางการศึกษาให้เด็กด้อยโอกาสและเด็กพิการอย่างทั่วถึง",
    "พัฒนาผู้เรียนให้มีทักษะอาชีพและการเรียนรู้ตลอดชีวิต",
    "ส่งเสริมการใช้เทคโนโลยีดิจิทัลเพื่อการเรียนรู้",
]
UPPER_TITLES = ["จัดการศึกษาเพื่อความมั่นคง", "พัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์",
                "สร้างโอกาสและความเสมอภาคทางการศึกษา", "พัฒนาประสิทธิภาพของระบบบริหารจัดการศึกษา"]
VERBS = ["ส่งเสริม", "พัฒนา", "ขับเคลื่อน", "ยกระดับ", "เสริมสร้าง", "นิเทศ ติดตาม และประเมินผล",
         "ประชุมเชิงปฏิบัติการ", "สนับสนุน", "อบรมพัฒนา", "ประกวด"]
OBJECTS = ["การจัดการเรียนรู้เชิงรุก (Active Learning)", "ระบบดูแลช่วยเหลือนักเรียน", "ความปลอดภัยในสถานศึกษา",
           "การอ่านออกเขียนได้ของนักเรียนชั้นประถมศึกษาปีที่ 1", "คุณภาพการจัดการศึกษาปฐมวัย", "โรงเรียนคุณธรรม",
           "สมรรถนะครูด้านดิจิทัล", "การจัดการเรียนการสอนภาษาอังกฤษเพื่อการสื่อสาร", "ลูกเสือ เนตรนารี และยุวกาชาด",
           "ศูนย์พัฒนาวิชาการกลุ่มโรงเรียน", "การประเมินคุณภาพการศึกษาระดับชาติ (O-NET)",
           "ระบบประกันคุณภาพภายในสถานศึกษา", "การป้องกันและแก้ไขปัญหายาเสพติดในสถานศึกษา",
           "การบริหารงบประมาณและพัสดุอย่างโปร่งใส", "เครือข่ายผู้ปกครองและชุมชน", "ห้องเรียนกีฬา",
           "การศึกษาเพื่อการมีงานทำ", "ผู้บริหารสถานศึกษาใหม่", "ครูผู้ช่วยในระหว่างการเตรียมความพร้อม",
           "ระบบสารสนเทศเพื่อการบริหาร (DMC)", "นักเรียนที่มีความต้องการจำเป็นพิเศษ (เรียนรวม)",
           "การควบคุมภายในและการบริหารความเสี่ยง", "งานวันครู", "การคัดเลือกนักเรียนและนักศึกษาพระราชทาน",
           "สวนพฤกษศาสตร์โรงเรียน", "ศิลปหัตถกรรมนักเรียน", "โรงเรียนขนาดเล็กให้มีคุณภาพ",
           "การวัดและประเมินผลการเรียนรู้ตามสภาพจริง", "วินัยทางการเงินการคลังของสถานศึกษา",
           "การรับนักเรียนและการจัดสรรโอกาสทางการศึกษา", "ทักษะการคิดวิเคราะห์ตามแนว PISA",
           "การสื่อสารองค์กรและประชาสัมพันธ์", "การเรียนรู้ประวัติศาสตร์ชาติไทยและหน้าที่พลเมือง"]
SUFFIXES = ["", "", "", " ประจำปีงบประมาณ พ.ศ. {fy}", " ปีการศึกษา {fy1}", " สู่ความเป็นเลิศ",
            " ของสำนักงานเขตพื้นที่การศึกษา", " แบบบูรณาการอย่างยั่งยืน", " ด้วยกระบวนการ PLC"]
PERSONS = ["นางสาวสุภาพร ใจดี", "นายสมชาย ศรีสุข", "นางวิไลวรรณ คำแสน", "นายประเสริฐ บุญมา",
           "นางสาวกัญญารัตน์ ทองดี", "นางพรทิพย์ แก้วมณี"]
ACTIVITIES = ["ประชุมคณะทำงานวางแผนการดำเนินงาน", "จัดอบรมเชิงปฏิบัติการ", "นิเทศ ติดตามการดำเนินงานในสถานศึกษา",
              "จัดทำสื่อและคู่มือ", "ประกวดผลงานและมอบเกียรติบัตร", "สรุปและรายงานผลการดำเนินงาน"]
DISTRICTS = {
    "ลำปาง": ["อำเภอเมืองลำปาง", "อำเภอแม่เมาะ", "อำเภอเกาะคา", "อำเภอห้างฉัตร", "อำเภอแม่ทะ"],
    "ขอนแก่น": ["อำเภอเมืองขอนแก่น", "อำเภอบ้านฝาง", "อำเภอน้ำพอง", "อำเภอชุมแพ"],
}
FY_MONTHS = [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]


def fy_month(plan: Plan, i: int) -> tuple[int, int]:
    """(CE year, month) of fiscal month index i (0 = October)."""
    m = FY_MONTHS[i]
    return (plan.fy - 544 if m >= 10 else plan.fy - 543), m


def last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def yy(y_ce: int) -> str:
    return str(y_ce + 543)[-2:]


def _names(rnd: random.Random, plan: Plan, n: int, long: bool = False) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        name = rnd.choice(VERBS) + rnd.choice(OBJECTS)
        if long or rnd.random() < 0.4:
            name += rnd.choice(SUFFIXES).format(fy=plan.fy, fy1=plan.fy - 1)
        if long and len(name) < 60:
            name += " เพื่อพัฒนาคุณภาพผู้เรียนอย่างยั่งยืน"
        if 10 <= len(name) <= 80 and name not in out:
            out.append(name)
    return out


def _budget(rnd: random.Random, plan: Plan) -> Decimal:
    x = rnd.choice([rnd.randrange(5000, 60000, 50), rnd.randrange(10000, 200000, 100),
                    rnd.randrange(5000, 40000, 10), rnd.randrange(100000, 900000, 250)])
    d = Decimal(x)
    if plan.opts.get("decimals") and rnd.random() < 0.3:
        d += Decimal("0.50")
    return d


# ---- schedules ---------------------------------------------------------------------------

def schedule(rnd: random.Random, plan: Plan, seq: int, name: str, style: str, plant: str | None = None) -> Timeline:
    """A printed period in `style` with its gold dates; `plant` makes it invalid / out of order / outside."""
    i1 = rnd.randrange(0, 9)
    i2 = rnd.randrange(i1, 12)
    (y1, m1), (y2, m2) = fy_month(plan, i1), fy_month(plan, i2)
    ab, full = MONTH_ABBR_PRINT, MONTH_FULL_PRINT
    if style == "fy":
        return Timeline(seq, name, "ตลอดปีงบประมาณ", "", plan.fy_start, plan.fy_end)
    if style == "quarter":
        q1 = rnd.randrange(1, 4)
        q2 = rnd.randrange(q1, 5)
        ys, ms = fy_month(plan, (q1 - 1) * 3)
        ye, me = fy_month(plan, q2 * 3 - 1)
        text = f"ไตรมาส {q1}" if q1 == q2 else f"ไตรมาส {q1}–{q2}"
        return Timeline(seq, name, text, "", date(ys, ms, 1), date(ye, me, last_day(ye, me)))
    if style in ("abbr", "full"):
        if style == "abbr":
            s, e = f"{ab[m1 - 1]} {yy(y1)}", f"{ab[m2 - 1]} {yy(y2)}"
        else:
            s, e = f"{full[m1 - 1]} {y1 + 543}", f"{full[m2 - 1]} {y2 + 543}"
        return Timeline(seq, name, s, e, date(y1, m1, 1), date(y2, m2, last_day(y2, m2)),
                        joiner=rnd.choice([" - ", " – "]))
    # day precision: "1 พ.ย. 67" / "1 พฤศจิกายน 2567"
    d1 = date(y1, m1, 1 if rnd.random() < 0.6 else rnd.randrange(2, 28))
    d2 = date(y2, m2, last_day(y2, m2))
    if i1 == i2:
        d2 = date(y2, m2, max(d1.day, 28))
    ps, pe = (d1.day, d1.month, d1.year), (d2.day, d2.month, d2.year)     # printed (day, month, CE year)
    if plant == "invalid":
        if (plan.fy - 543) % 4 and rnd.random() < 0.5:       # 29 February of a common CE year, as the start
            ps, d1 = (29, 2, plan.fy - 543), None
            ye, me = fy_month(plan, rnd.randrange(6, 12))
            d2 = date(ye, me, last_day(ye, me))
            pe = (d2.day, d2.month, d2.year)
        else:                                                 # 31 September, as the end
            pe, d2 = (31, 9, plan.fy - 543), None
    elif plant == "order":
        ys, ms = fy_month(plan, 5)
        ye, me = fy_month(plan, 3)
        d1, d2 = date(ys, ms, 1), date(ye, me, last_day(ye, me))
    elif plant == "outside":
        if rnd.random() < 0.5:
            d1 = date(plan.fy - 544, 9, 1)                    # a month before the fiscal year
        else:
            d2 = date(plan.fy - 543, 11, 30)                  # two months after it
    if plant in ("order", "outside"):
        ps, pe = (d1.day, d1.month, d1.year), (d2.day, d2.month, d2.year)

    def fmt(day, m, y):
        if style == "day_full":
            return f"{day} {full[m - 1]} {y + 543}"
        return f"{day} {ab[m - 1]} {yy(y)}"
    return Timeline(seq, name, fmt(*ps), fmt(*pe), d1, d2, joiner=rnd.choice([" – ", " - "]))


# ---- building a plan ---------------------------------------------------------------------

def _stats(rnd: random.Random, plan: Plan, tables: list[str]) -> list[StatTable]:
    as_of = date(plan.fy - 544, 6, 10)
    out = []
    for t in tables:
        if t == "schools_by_type":
            rows = [("โรงเรียนขนาดเล็ก", rnd.randrange(40, 120)), ("โรงเรียนขนาดกลาง", rnd.randrange(20, 60)),
                    ("โรงเรียนขนาดใหญ่", rnd.randrange(5, 20)), ("โรงเรียนขนาดใหญ่พิเศษ", rnd.randrange(1, 6))]
            out.append(StatTable(t, ("ขนาดโรงเรียน", "จำนวน (โรง)"), "school", rows, as_of))
        elif t == "students_by_level":
            levels = ["ก่อนประถมศึกษา", "ประถมศึกษา", "มัธยมศึกษาตอนต้น"]
            if plan.level == "secondary":
                levels = ["มัธยมศึกษาตอนต้น", "มัธยมศึกษาตอนปลาย"]
            rows = [(lv, rnd.randrange(1500, 30000)) for lv in levels]
            out.append(StatTable(t, ("ระดับการศึกษา", "จำนวนนักเรียน (คน)"), "person", rows, as_of))
        elif t == "staff_by_position":
            rows = [("ผู้บริหารสถานศึกษา", rnd.randrange(40, 200)), ("ครูผู้สอน", rnd.randrange(800, 3000)),
                    ("บุคลากรทางการศึกษา", rnd.randrange(20, 90)), ("ลูกจ้างประจำ", rnd.randrange(10, 80))]
            out.append(StatTable(t, ("ตำแหน่ง", "จำนวน (คน)"), "person", rows, as_of))
        elif t == "schools_by_district":
            rows = [(d, rnd.randrange(12, 60)) for d in DISTRICTS[plan.province]]
            out.append(StatTable(t, ("อำเภอ", "จำนวนโรงเรียน (โรง)"), "school", rows, None))
    return out


def _plant_total(rnd: random.Random, plan: Plan, s: Strategy) -> None:
    s.printed_total = s.computed + rnd.choice([Decimal(1000), Decimal(-500), Decimal(90), Decimal(10000)])
    plan.findings.append({"code": "TOTAL_MISMATCH", "strategy_no": s.no, "seq": None})


def _groups_of(rnd: random.Random, counts: list[int]) -> list[str]:
    return [rnd.choice(GROUPS) for _ in range(sum(counts))]


def make_plan(spec: dict) -> Plan:
    rnd = random.Random(spec["seed"])
    plan = Plan(name=spec["name"], family=spec["family"], seed=spec["seed"], font=spec["font"],
                size=spec.get("size", 16), thai_digits=spec.get("thai", True), ruled=spec.get("ruled", True),
                province=spec["province"], area_no=spec.get("area"), level=spec.get("level", "primary"),
                fy=spec["fy"], kind=spec.get("kind", "แผนปฏิบัติการ"), opts=dict(spec.get("opts", {})),
                txt=spec.get("txt", False))
    counts = spec["counts"]
    word = plan.opts.get("word", "กลยุทธ์")
    pool = STRATEGY_TITLES + MORE_STRATEGY_TITLES if spec.get("parents") else STRATEGY_TITLES
    titles = POLICIES if word == "นโยบาย" else rnd.sample(pool, len(counts))
    names = _names(rnd, plan, sum(counts), long=plan.opts.get("long_names", False))
    groups = _groups_of(rnd, counts)
    plants = dict(spec.get("plants", {}))        # code -> strategy index (or project index for dates)
    styles = plan.opts.get("periods", ["abbr"])
    date_plants = {plants[c]: c for c in ("invalid", "order", "outside") if c in plants}
    k = 0
    for si, n in enumerate(counts):
        s = Strategy(si + 1, word, titles[si], [])
        for j in range(n):
            k += 1
            numbering = plan.opts.get("numbering", "restart")
            seq = k if numbering == "continuous" else j + 1
            label = {"continuous": str(k), "restart": str(j + 1), "none": plan.opts.get("bullet", ""),
                     "hier": f"{s.no}.{j + 1}" if not plan.opts.get("hier3") else f"{s.no}.1.{j + 1}"}[numbering]
            budget = _budget(rnd, plan)
            if plan.opts.get("zero_budget") and k in plan.opts["zero_budget"]:
                budget = None
            p = Project(seq, label, names[k - 1], groups[k - 1], budget)
            p.budget_text = plan.money(budget, dash=plan.opts.get("zero_text", "-"))
            style = styles[(k - 1) % len(styles)]
            plant = date_plants.get(k)
            if plant:
                style = plan.opts.get("plant_style", "day_abbr")
            p.timeline = schedule(rnd, plan, k, p.name, style, plant)
            if plant:
                plan.findings.append({"code": {"invalid": "INVALID_DATE", "order": "DATE_ORDER",
                                               "outside": "DATE_OUTSIDE_FY"}[plant],
                                      "strategy_no": s.no, "seq": k})
            s.projects.append(p)
        s.printed_total = s.computed
        plan.strategies.append(s)
    if "total" in plants:
        _plant_total(rnd, plan, plan.strategies[plants["total"]])
    if spec.get("parents"):
        _make_parents(rnd, plan, spec["parents"], plants)
    FAMILY_SETUP[plan.family](rnd, plan, plants)
    if spec.get("stats"):
        plan.stats = _stats(rnd, plan, spec["stats"])
    return plan


def _setup_one_table(rnd, plan, plants):
    pass


def _make_parents(rnd, plan, sizes: list[int], plants) -> None:
    """The level above the strategies: parent i holds the next sizes[i] strategies (numbered 1..K
    across the plan); its printed subtotal is the sum of its strategies' rows (planted: off)."""
    word = plan.opts.get("parent_word", "นโยบาย")
    titles = POLICIES if word == "นโยบาย" else rnd.sample(UPPER_TITLES, len(sizes))
    assert sum(sizes) == len(plan.strategies)
    it = iter(plan.strategies)
    for i, n in enumerate(sizes):
        p = Parent(i + 1, word, titles[i], [next(it) for _ in range(n)])
        for s in p.strategies:
            s.parent = p
        p.printed_total = p.computed
        plan.parents.append(p)
    if "parent_total" in plants:
        p = plan.parents[plants["parent_total"]]
        p.printed_total += Decimal(2000)
        plan.findings.append({"code": "TOTAL_MISMATCH", "strategy_no": None, "seq": None, "parent_no": p.no})


def _setup_sheets(rnd, plan, plants):
    phrasings = [
        "มีโครงการรองรับการดำเนินงานตามกลยุทธ์ จำนวน {n} โครงการ งบประมาณ {b} บาท",
        "มีโครงการ จำนวน {n} โครงการ รวมงบประมาณทั้งสิ้น {b} บาท",
        "จำนวน {n} โครงการ/กิจกรรม เป็นเงิน {b} บาท",
    ]
    for i, s in enumerate(plan.strategies):
        s.declared_count = len(s.projects)
        s.declared_budget = s.printed_total
        if plants.get("count") == i:
            s.declared_count += 1
            plan.findings.append({"code": "COUNT_MISMATCH", "strategy_no": s.no, "seq": None})
        if plants.get("declared") == i:
            s.declared_budget = s.computed + Decimal(5000)
            plan.findings.append({"code": "TOTAL_MISMATCH", "strategy_no": s.no, "seq": None})
        s.declaration = phrasings[(i + plan.seed) % len(phrasings)].format(
            n=s.declared_count, b=plan.money(s.declared_budget))
    for p in plan.projects:
        p.sheet_name = p.name
        p.timeline.name = p.name
    if plan.opts.get("renamed"):
        # the sheet spells the name differently from the summary (a word dropped or changed)
        for p in plan.projects[1::3]:
            words = p.name.split(" ")
            if len(words) > 1:
                p.sheet_name = " ".join(words[:-1])
            elif p.name.startswith("ส่งเสริม"):
                p.sheet_name = "การส่งเสริม" + p.name[len("ส่งเสริม"):]
            else:
                p.sheet_name = "โครงการ" + p.name
            p.timeline.name = p.sheet_name


def _setup_grid(rnd, plan, plants):
    for k, p in enumerate(plan.projects, 1):
        if plan.opts.get("quarters"):
            q1 = rnd.randrange(1, 5)
            q2 = rnd.randrange(q1, 5)
            ys, ms = fy_month(plan, (q1 - 1) * 3)
            ye, me = fy_month(plan, q2 * 3 - 1)
            p.timeline = Timeline(k, p.name, "", "", date(ys, ms, 1), date(ye, me, last_day(ye, me)), quarters=(q1, q2))
        else:
            i1 = rnd.randrange(0, 12)
            i2 = min(11, i1 + rnd.choice([0, 1, 2, 3, 5, 11]))
            if rnd.random() < 0.2:
                i1, i2 = 0, 11
            (y1, m1), (y2, m2) = fy_month(plan, i1), fy_month(plan, i2)
            p.timeline = Timeline(k, p.name, "", "", date(y1, m1, 1), date(y2, m2, last_day(y2, m2)), months=(i1, i2))


def _setup_split(rnd, plan, plants):
    quarters = plan.opts.get("split") == "quarters"
    for p in plan.projects:
        if p.budget is None:
            p.parts = [None] * (4 if quarters else 3)
            continue
        if quarters:
            n_q = rnd.randrange(1, 5)
            first = rnd.randrange(0, 5 - n_q)
            share = [Decimal(0)] * 4
            rest = p.budget
            for q in range(first, first + n_q - 1):
                share[q] = (rest * Decimal(rnd.choice([0.3, 0.4, 0.5]))).quantize(Decimal(1))
                rest -= share[q]
            share[first + n_q - 1] = rest
            p.parts = [x if x else None for x in share]
        else:
            op = (p.budget * Decimal(rnd.choice([0, 0.2, 0.5, 1]))).quantize(Decimal(1))
            if op > p.budget:
                op = p.budget
            p.parts = [op or None, (p.budget - op) or None, p.budget]
    # per-table totals: quarter columns (B) or op / quality / total (A)
    for i, s in enumerate(plan.strategies):
        n = 4 if quarters else 3
        s.col_totals = [sum((p.parts[c] or Decimal(0) for p in s.projects), Decimal(0)) for c in range(n)]
        if plants.get("total") == i:
            if quarters:
                c = next(c for c in range(4) if s.col_totals[c])
                s.col_totals[c] += Decimal(1000)
                s.printed_total = sum(s.col_totals, Decimal(0))
            else:
                s.col_totals[2] = s.printed_total
        s.printed_total = sum(s.col_totals, Decimal(0)) if quarters else s.col_totals[2]
    if plan.opts.get("declare"):
        for i, s in enumerate(plan.strategies):
            s.declared_count = len(s.projects) + (1 if plants.get("count") == i else 0)
            s.declared_budget = s.printed_total
            s.declaration = f"จำนวน {s.declared_count} โครงการ/กิจกรรม เป็นเงิน {plan.money(s.declared_budget)} บาท"
        if "count" in plants:
            plan.findings.append({"code": "COUNT_MISMATCH", "strategy_no": plants["count"] + 1, "seq": None})


def _setup_borderless(rnd, plan, plants):
    pass


def _setup_two_level(rnd, plan, plants):
    """Headings outside the tables: each strategy declares its count and budget; a parent may
    declare its strategies, projects and budget."""
    if plan.opts["layout"] != "headings":
        return
    phrasings = [
        "มีโครงการรองรับการดำเนินงานตาม{word} จำนวน {n} โครงการ งบประมาณ {b} บาท",
        "มีโครงการ จำนวน {n} โครงการ รวมงบประมาณทั้งสิ้น {b} บาท",
        "จำนวน {n} โครงการ/กิจกรรม เป็นเงิน {b} บาท",
    ]
    for i, s in enumerate(plan.strategies):
        s.declared_count = len(s.projects)
        s.declared_budget = s.computed
        if plants.get("count") == i:
            s.declared_count += 1
            plan.findings.append({"code": "COUNT_MISMATCH", "strategy_no": s.no, "seq": None})
        s.declaration = phrasings[(i + plan.seed) % len(phrasings)].format(
            word=s.word, n=s.declared_count, b=plan.money(s.declared_budget))
    if not plan.opts.get("parent_declare"):
        return
    for i, p in enumerate(plan.parents):
        p.declared_count = sum(len(s.projects) for s in p.strategies)
        p.declared_budget = p.computed
        if plants.get("parent_declared") == i:
            p.declared_budget += Decimal(5000)
            plan.findings.append({"code": "TOTAL_MISMATCH", "strategy_no": None, "seq": None, "parent_no": p.no})
        p.declaration = (f"ประกอบด้วย {len(p.strategies)} {p.strategies[0].word} มีโครงการรวม {p.declared_count} "
                         f"โครงการ งบประมาณรวม {plan.money(p.declared_budget)} บาท")


FAMILY_SETUP = {"one-table": _setup_one_table, "sheets": _setup_sheets, "grid": _setup_grid,
                "split-budget": _setup_split, "borderless-wrap": _setup_borderless, "two-level": _setup_two_level}


# ---- the fixtures --------------------------------------------------------------------------

SPECS = [
    # 1. one-table ---------------------------------------------------------------------------
    dict(name="onetable-khonkaen-sec-policy", family="one-table", seed=101, font="Garuda", size=16,
         province="ขอนแก่น", level="secondary", fy=2568, kind="แผนปฏิบัติการ", txt=True,
         counts=[5, 6, 7, 4], plants={"total": 1, "invalid": 9},
         stats=["schools_by_type", "students_by_level", "staff_by_position"],
         opts=dict(word="นโยบาย", numbering="continuous", periods=["abbr", "full", "day_abbr", "fy", "quarter"],
                   columns="no name budget group period", repeat_header=True, widths=[1.2, 6.0, 2.1, 4.3, 3.4],
                   subtotal="รวม{word}ที่ {no}", grand="รวมทั้งสิ้น", group_fill="D9D9D9")),
    dict(name="onetable-nakhonratchasima3-strategy", family="one-table", seed=102, font="Kinnari", size=15,
         province="นครราชสีมา", area=3, fy=2569, kind="แผนปฏิบัติราชการ", thai=False,
         counts=[6, 5, 7, 4, 4], plants={"total": 3, "order": 4, "outside": 20},
         stats=["schools_by_type", "students_by_level", "staff_by_position"],
         opts=dict(word="กลยุทธ์", numbering="continuous", periods=["day_abbr", "abbr", "full"], decimals=True,
                   columns="no name period group budget", repeat_header=False, widths=[1.3, 5.8, 3.5, 4.0, 2.0],
                   subtotal="รวม{word}ที่ {no}", grand="รวมงบประมาณทั้งสิ้น", row_split=True)),
    dict(name="onetable-songkhla-sec-zero", family="one-table", seed=103, font="Purisa", size=14,
         province="สงขลา", level="secondary", fy=2566, kind="แผนการใช้จ่ายงบประมาณ",
         counts=[4, 4, 5, 3], plants={"total": 2, "invalid": 6},
         stats=["schools_by_type", "staff_by_position"],
         opts=dict(word="นโยบาย", numbering="continuous", periods=["fy", "abbr", "quarter", "day_abbr"],
                   zero_budget=[3, 11], zero_text="ไม่ใช้งบประมาณ", plant_style="day_full",
                   columns="no name group budget period", repeat_header=True, widths=[1.4, 6.2, 3.6, 2.4, 3.4],
                   subtotal="รวม", grand="รวมทั้งหมด", obec_line=True)),
    dict(name="onetable-rayong-sec-typo", family="one-table", seed=104, font="Tlwg Typo", size=14,
         province="ระยอง", level="secondary", fy=2567, kind="แผนปฏิบัติการ", thai=False,
         counts=[3, 4, 3], plants={"total": 1},
         stats=["students_by_level"],
         opts=dict(word="จุดเน้น", numbering="continuous", periods=["fy", "abbr", "day_abbr"],
                   columns="no name budget group period", repeat_header=True, widths=[1.2, 6.0, 2.4, 4.2, 3.2],
                   subtotal="รวม{word}ที่ {no}", grand="รวมทั้งสิ้น")),
    # 2. sheets -------------------------------------------------------------------------------
    dict(name="sheets-lampang1", family="sheets", seed=201, font="Norasi", size=16,
         province="ลำปาง", area=1, fy=2566, kind="แผนปฏิบัติการ", txt=True,
         counts=[2, 3, 2], plants={"count": 1, "invalid": 5}, stats=["schools_by_district"],
         opts=dict(periods=["day_full", "abbr"], plant_style="day_full", numbered_fields=True,
                   sheet_title="รายละเอียดโครงการ")),
    dict(name="sheets-ubon2-renamed", family="sheets", seed=202, font="Sawasdee", size=15,
         province="อุบลราชธานี", area=2, fy=2568, kind="แผนพัฒนาครูและบุคลากรทางการศึกษา", thai=False,
         counts=[3, 2, 3], plants={"declared": 2, "outside": 4},
         opts=dict(periods=["abbr", "day_full"], plant_style="day_abbr", numbered_fields=False, renamed=True,
                   sheet_title="แบบเสนอโครงการ", decimals=True)),
    dict(name="sheets-nakhonsi1", family="sheets", seed=203, font="Umpush", size=14,
         province="นครศรีธรรมราช", area=1, fy=2570, kind="แผนปฏิบัติการ",
         counts=[2, 2, 2, 2], plants={"count": 3, "order": 3},
         opts=dict(periods=["day_full"], plant_style="day_full", numbered_fields=True,
                   sheet_title="รายละเอียดโครงการ", zero_budget=[6], zero_text="-")),
    # 3. grid -----------------------------------------------------------------------------------
    dict(name="grid-shaded-chiangrai2", family="grid", seed=301, font="Waree", size=14,
         province="เชียงราย", area=2, fy=2567, kind="แผนปฏิบัติการ", counts=[5, 6, 5, 4], plants={"total": 2},
         opts=dict(numbering="hier", marks="shade", subtotals=True, repeat_header=True)),
    dict(name="grid-check-surin1", family="grid", seed=302, font="Loma", size=15, thai=False,
         province="สุรินทร์", area=1, fy=2569, kind="แผนปฏิบัติราชการ", counts=[4, 5, 6], plants={"total": 0},
         opts=dict(numbering="hier", hier3=True, marks="check", subtotals=True, repeat_header=False, decimals=True)),
    dict(name="grid-quarter-phitsanulok3", family="grid", seed=303, font="Laksaman", size=16,
         province="พิษณุโลก", area=3, fy=2570, kind="แผนปฏิบัติการ", counts=[4, 4, 5], plants={"total": 1},
         opts=dict(numbering="hier", marks="shade", quarters=True, subtotals=True, repeat_header=True)),
    # 4. split-budget ---------------------------------------------------------------------------
    dict(name="split-opqual-udon-sec", family="split-budget", seed=401, font="Garuda", size=15,
         province="อุดรธานี", level="secondary", fy=2568, kind="แผนปฏิบัติการ", txt=True,
         counts=[4, 3, 5], plants={"total": 1, "count": 2, "outside": 7},
         opts=dict(word="ยุทธศาสตร์", split="opqual", declare=True, periods=["abbr", "day_abbr", "fy"],
                   schedule="period", numbering="restart")),
    dict(name="split-quarters-chonburi2", family="split-budget", seed=402, font="Kinnari", size=16, thai=False,
         province="ชลบุรี", area=2, fy=2567, kind="แผนการใช้จ่ายงบประมาณ",
         counts=[3, 4, 3, 2], plants={"total": 3, "invalid": 8},
         opts=dict(word="ประเด็นกลยุทธ์", split="quarters", periods=["day_abbr"], plant_style="day_abbr",
                   schedule="startend", numbering="restart", decimals=True)),
    dict(name="split-unnumbered-yasothon1", family="split-budget", seed=403, font="Umpush", size=16,
         province="ยโสธร", area=1, fy=2569, kind="แผนปฏิบัติการ",
         counts=[3, 3, 4], plants={"order": 5},
         opts=dict(word="จุดเน้น", split="opqual", periods=["full", "day_full"], plant_style="day_full",
                   schedule="startend", numbering="none", bullet="-")),
    # 5. borderless-wrap --------------------------------------------------------------------------
    dict(name="borderless-wrap-nakhonpathom1", family="borderless-wrap", seed=501, font="Sawasdee", size=16,
         thai=False, ruled=False, province="นครปฐม", area=1, fy=2568, kind="แผนปฏิบัติการ",
         counts=[6, 7, 6, 5], plants={"total": 1, "outside": 15, "invalid": 20},
         opts=dict(periods=["day_abbr"], plant_style="day_abbr", long_names=True, decimals=True)),
    dict(name="borderless-wrap-surat3", family="borderless-wrap", seed=502, font="Loma", size=14,
         thai=False, ruled=False, province="สุราษฎร์ธานี", area=3, fy=2570, kind="แผนปฏิบัติราชการ",
         counts=[8, 6, 8], plants={"order": 10},
         opts=dict(periods=["day_abbr"], plant_style="day_abbr", long_names=True)),
    # 6. two-level (นโยบาย -> กลยุทธ์) --------------------------------------------------------------
    dict(name="twolevel-onetable-buriram2-policy", family="two-level", seed=601, font="Norasi", size=15,
         province="บุรีรัมย์", area=2, fy=2569, kind="แผนปฏิบัติการ",
         counts=[3, 2, 4, 2, 3, 3, 2], parents=[2, 1, 2, 2], plants={"total": 2, "invalid": 12},
         stats=["schools_by_type", "students_by_level"],
         opts=dict(layout="table", parent_word="นโยบาย", word="กลยุทธ์", numbering="continuous",
                   periods=["abbr", "fy", "day_abbr", "quarter", "full"],
                   columns="no name budget group period", repeat_header=True, widths=[1.2, 6.0, 2.2, 4.2, 3.4],
                   subtotal="รวม{word}ที่ {no}", parent_subtotal="รวม{word}ที่ {no}", grand="รวมทั้งสิ้น",
                   parent_fill="D9D9D9")),
    dict(name="twolevel-onetable-lopburi-sec-arabic", family="two-level", seed=602, font="Waree", size=14,
         province="ลพบุรี", level="secondary", fy=2567, kind="แผนปฏิบัติราชการ", thai=False, txt=True,
         counts=[4, 3, 3, 5, 2, 4], parents=[3, 1, 2], plants={"parent_total": 0, "order": 8},
         stats=["staff_by_position"],
         opts=dict(layout="table", parent_word="ยุทธศาสตร์", word="กลยุทธ์", numbering="restart", decimals=True,
                   periods=["day_abbr", "abbr", "full"], columns="no name period group budget",
                   repeat_header=False, widths=[1.3, 5.8, 3.5, 4.0, 2.2], row_split=True,
                   subtotal="รวม", parent_subtotal="รวม{word}ที่ {no}", grand="รวมงบประมาณทั้งสิ้น",
                   group_fill="F2F2F2", parent_fill="BFBFBF")),
    dict(name="twolevel-headings-phrae1", family="two-level", seed=603, font="Laksaman", size=16,
         province="แพร่", area=1, fy=2568, kind="แผนปฏิบัติการ", txt=True,
         counts=[2, 3, 2, 3, 2, 2], parents=[2, 2, 1, 1],
         plants={"count": 3, "parent_declared": 1, "outside": 6},
         opts=dict(layout="headings", parent_word="นโยบาย", word="กลยุทธ์", numbering="continuous",
                   periods=["abbr", "day_full", "fy"], plant_style="day_abbr", parent_declare=True, overview=True,
                   columns="no name budget group period", widths=[1.2, 6.3, 2.4, 3.9, 3.2])),
    dict(name="twolevel-headings-trang-sec", family="two-level", seed=604, font="Purisa", size=14,
         province="ตรัง", level="secondary", fy=2570, kind="แผนการใช้จ่ายงบประมาณ", thai=False,
         counts=[3, 2, 2, 4, 3], parents=[2, 2, 1], plants={"total": 3, "invalid": 4},
         opts=dict(layout="headings", parent_word="นโยบาย", word="กลยุทธ์", numbering="restart",
                   periods=["day_abbr"], plant_style="day_abbr", schedule="startend",
                   columns="no name group budget", widths=[1.2, 8.2, 4.6, 3.0])),
]
FIXTURES = [s["name"] for s in SPECS]


def plans() -> list[Plan]:
    return [make_plan(s) for s in SPECS]


# ---- gold ------------------------------------------------------------------------------------

def _num(x: Decimal | None):
    if x is None:
        return None
    return int(x) if x == x.to_integral_value() else float(x)


def gold(plan: Plan) -> dict:
    strategies, projects, timeline = [], [], []
    for s in plan.strategies:
        row = {"no": s.no, "title": s.title, "declared_project_count": s.declared_count,
               "declared_budget_thb": _num(s.declared_budget), "table_total_thb": _num(s.printed_total)}
        if s.parent is not None:
            row.update(parent_no=s.parent.no, parent_title=s.parent.title)
        strategies.append(row)
        for p in s.projects:
            projects.append({"strategy_no": s.no, "seq": p.seq, "name": p.name, "responsible_group": p.group,
                             "budget_thb": _num(p.budget)})
            t = p.timeline
            timeline.append({"seq": t.seq, "name": t.name,
                             "start": t.start.isoformat() if t.start else None,
                             "end": t.end.isoformat() if t.end else None,
                             "strategy_no": s.no, "project_seq": p.seq})
    stats, totals = [], {}
    for st in plan.stats:
        for label, value in st.rows:
            stats.append({"table": st.table, "label": label, "value": value, "unit": st.unit,
                          "as_of": st.as_of.isoformat() if st.as_of else None})
        totals[st.table] = sum(v for _, v in st.rows)
    return {
        "document": {"title": plan.kind, "fiscal_year_be": plan.fy,
                     "fiscal_year_start": plan.fy_start.isoformat(), "fiscal_year_end": plan.fy_end.isoformat(),
                     "office": plan.office, "province": plan.province, "area_no": plan.area_no,
                     "area_level": plan.level},
        "strategies": strategies, "projects": projects, "timeline": timeline, "stats": stats,
        "declared_totals": totals,
        "expected_findings": plan.findings,
        "generator": {"family": plan.family, "seed": plan.seed, "font": plan.font, "size": plan.size,
                      "thai_digits": plan.thai_digits, "ruled": plan.ruled},
    }


# ---- a layout model rendered to DOCX and to text --------------------------------------------

@dataclass
class C:
    text: str = ""
    span: int = 1
    vspan: int = 1
    bold: bool = False
    fill: str | None = None
    align: str | None = None      # center / right
    size: int | None = None       # font size (pt) when not the document's


@dataclass
class Table:
    widths: list                  # cm
    rows: list                    # list of rows, each a list of C placed left to right in free positions
    header_rows: int = 1
    repeat_header: bool = False
    ruled: bool = True
    cant_split: bool = False
    margin: float | None = None   # left/right cell margin, cm (Word's default is 0.19)


@dataclass
class P:
    text: str
    bold: bool = False
    align: str | None = None
    page_break: bool = False
    size: int | None = None


PAGE = "page"


def _placed(table: Table):
    """(row, col, cell) for every cell, skipping grid positions covered by a vertical span."""
    covered = set()
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in covered:
                c += 1
            yield r, c, cell
            for dr in range(cell.vspan):
                for dc in range(cell.span):
                    covered.add((r + dr, c + dc))
            c += cell.span


def render_docx(plan: Plan, blocks: list, path: Path, landscape: bool = False) -> None:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    align = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT, None: None}
    document = docx.Document()
    _set_font(document.styles["Normal"], plan.font, plan.size)
    document.styles["Normal"].paragraph_format.space_after = Pt(0)
    document.styles["Normal"].paragraph_format.line_spacing = 1.0
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5 if landscape else 2))

    def bold_run(run):
        run.bold = True
        rpr = run._r.get_or_add_rPr()
        rpr.append(rpr.makeelement(qn("w:bCs"), {}))

    pending_break = False
    for b in blocks:
        if b == PAGE:
            pending_break = True
            continue
        if isinstance(b, P):
            p = document.add_paragraph()
            run = p.add_run(plan.t(b.text))
            if b.bold:
                bold_run(run)
            if b.size:
                run.font.size = Pt(b.size)
                rpr = run._r.get_or_add_rPr()
                rpr.append(rpr.makeelement(qn("w:szCs"), {qn("w:val"): str(b.size * 2)}))
            if b.align:
                p.alignment = align[b.align]
            if pending_break or b.page_break:
                p.paragraph_format.page_break_before = True
                pending_break = False
            continue
        if pending_break:   # a table right after a page break: an empty paragraph carries the break
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            pending_break = False
        ncols = len(b.widths)
        table = document.add_table(rows=len(b.rows), cols=ncols)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        if b.ruled:
            table.style = "Table Grid"
        else:
            _no_borders(table)
        table.autofit = False
        if b.margin is not None:
            tblpr = table._tbl.tblPr
            mar = tblpr.makeelement(qn("w:tblCellMar"), {})
            for edge in ("left", "right"):
                mar.append(mar.makeelement(qn(f"w:{edge}"), {qn("w:w"): str(int(b.margin * 567)),
                                                             qn("w:type"): "dxa"}))
            tblpr.append(mar)
        for ci, w in enumerate(b.widths):
            table.columns[ci].width = Cm(w)
        row_cells = [list(r.cells) for r in table.rows]
        for r, row in enumerate(table.rows):
            for ci in range(ncols):
                row_cells[r][ci].width = Cm(b.widths[ci])
            if r < b.header_rows and b.repeat_header:
                _repeat_header(row)
            if b.cant_split:
                trpr = row._tr.get_or_add_trPr()
                trpr.append(trpr.makeelement(qn("w:cantSplit"), {qn("w:val"): "true"}))
        placed = list(_placed(b))
        merges = []
        for r, c, cell in placed:
            if cell.span > 1 or cell.vspan > 1:
                merges.append((r, c, cell))
        for r, c, cell in merges:   # merge first: python-docx merges move and drop <w:tc> elements
            table.cell(r, c).merge(table.cell(r + cell.vspan - 1, c + cell.span - 1))
        for r, c, cell in placed:
            tc = table.cell(r, c)
            par = tc.paragraphs[0]
            if cell.text:
                run = par.add_run(plan.t(cell.text))
                if cell.bold:
                    bold_run(run)
                if cell.size:
                    run.font.size = Pt(cell.size)
                    rpr = run._r.get_or_add_rPr()
                    rpr.append(rpr.makeelement(qn("w:szCs"), {qn("w:val"): str(cell.size * 2)}))
            if cell.align:
                par.alignment = align[cell.align]
            if cell.fill:
                tcpr = tc._tc.get_or_add_tcPr()
                tcpr.append(tcpr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto",
                                                           qn("w:fill"): cell.fill}))
            # a merged cell keeps the empty paragraphs of the cells it swallowed: drop them
            for extra in tc.paragraphs[1:]:
                if not extra.text:
                    extra._p.getparent().remove(extra._p)
        document.add_paragraph()
    document.save(str(path))


def render_txt(plan: Plan, blocks: list) -> str:
    lines: list[str] = []
    for b in blocks:
        if b == PAGE:
            lines.append("\f")
            continue
        if isinstance(b, P):
            lines.append(plan.t(b.text))
            continue
        ncols = len(b.widths)
        grid = [[""] * ncols for _ in b.rows]
        for r, c, cell in _placed(b):
            grid[r][c] = plan.t(cell.text)
            if cell.span == ncols:
                grid[r] = [grid[r][c]]
        for g in grid:
            lines.append("\t".join(g).rstrip("\t"))
        lines.append("")
    text = "\n".join(lines)
    return text.replace("\n\f\n", "\f")


# ---- families: Plan -> blocks -----------------------------------------------------------------

HEADERS = {"no": ["ที่", "ลำดับ", "ลำดับที่"], "name": ["โครงการ", "ชื่อโครงการ", "โครงการ/กิจกรรม"],
           "budget": ["งบประมาณ (บาท)", "งบประมาณ", "วงเงิน"],
           "group": ["ผู้รับผิดชอบ", "กลุ่มที่รับผิดชอบ", "หน่วยงานที่รับผิดชอบ"],
           "period": ["ระยะเวลา", "ระยะเวลาดำเนินการ", "ช่วงเวลา"]}


def _cover(plan: Plan) -> list:
    out = [P(""), P(""), P(f"{plan.kind}ประจำปีงบประมาณ พ.ศ. {plan.fy}", bold=True, align="center",
                        size=plan.size + 6),
           P(""), P(plan.office, bold=True, align="center", size=plan.size + 2)]
    if plan.opts.get("obec_line"):
        out.append(P("สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน กระทรวงศึกษาธิการ", align="center"))
    out.append(PAGE)
    out.append(P("คำนำ", bold=True, align="center"))
    out.append(P(f"{plan.office} ได้จัดทำ{plan.kind}ประจำปีงบประมาณ พ.ศ. {plan.fy} เพื่อใช้เป็นกรอบและทิศทาง"
                 "ในการดำเนินงานให้บรรลุเป้าหมาย สอดคล้องกับนโยบายของสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"))
    out.append(PAGE)
    return out


def _stats_blocks(plan: Plan) -> list:
    if not plan.stats:
        return []
    out = [P("ส่วนที่ 1 ข้อมูลพื้นฐาน", bold=True, align="center")]
    titles = {"schools_by_type": "จำนวนสถานศึกษา จำแนกตามขนาด",
              "students_by_level": "จำนวนนักเรียน จำแนกตามระดับการศึกษา",
              "staff_by_position": "จำนวนข้าราชการครูและบุคลากรทางการศึกษา จำแนกตามตำแหน่ง",
              "schools_by_district": "จำนวนสถานศึกษา จำแนกตามอำเภอ"}
    for i, st in enumerate(plan.stats, 1):
        out.append(P(f"ตารางที่ {i} {titles[st.table]}", bold=True))
        rows = [[C(st.header[0], bold=True, align="center"), C(st.header[1], bold=True, align="center")]]
        rows += [[C(label), C(f"{v:,}", align="right")] for label, v in st.rows]
        total = sum(v for _, v in st.rows)
        rows.append([C("รวม", bold=True, align="center"), C(f"{total:,}", bold=True, align="right")])
        out.append(Table([7.0, 4.0], rows, ruled=plan.ruled))
        if st.as_of:
            d = st.as_of
            out.append(P(f"(ข้อมูล ณ วันที่ {d.day} {MONTH_FULL_PRINT[d.month - 1]} {d.year + 543})"))
        out.append(P(""))
    out.append(PAGE)
    return out


def blocks_one_table(plan: Plan) -> list:
    o = plan.opts
    keys = o["columns"].split()
    widths = o["widths"]
    rnd = random.Random(plan.seed + 7)
    header = [C(rnd.choice(HEADERS[k]) if k != "no" else ("ที่" if plan.seed % 2 else "ลำดับ"), bold=True,
                align="center") for k in keys]
    rows = [header]
    bi = keys.index("budget")
    for s in plan.strategies:
        rows.append([C(s.heading, span=len(keys), bold=True, fill=o.get("group_fill"))])
        for p in s.projects:
            vals = {"no": C(p.label, align="center"), "name": C(p.name), "budget": C(p.budget_text, align="right"),
                    "group": C(p.group), "period": C(p.timeline.period_text, align="center")}
            rows.append([vals[k] for k in keys])
        label = o["subtotal"].format(word=s.word, no=s.no)
        rows.append([C(label, span=2, bold=True, align="center")] +
                    [C(plan.money(s.printed_total) if i == bi else "", bold=True, align="right" if i == bi else None)
                     for i in range(2, len(keys))])
    grand = sum((s.computed for s in plan.strategies), Decimal(0))
    rows.append([C(o["grand"], span=2, bold=True, align="center")] +
                [C(plan.money(grand) if i == bi else "", bold=True, align="right" if i == bi else None)
                 for i in range(2, len(keys))])
    return (_cover(plan) + _stats_blocks(plan) +
            [P(f"ส่วนที่ 3 โครงการตาม{plan.kind}ประจำปีงบประมาณ พ.ศ. {plan.fy}", bold=True, align="center"),
             P(f"{plan.office} จัดสรรงบประมาณเพื่อดำเนินโครงการ จำแนกตาม{plan.strategies[0].word} ดังนี้"),
             Table(widths, rows, repeat_header=o.get("repeat_header", False), ruled=plan.ruled,
                   cant_split=not o.get("row_split"))])


def blocks_sheets(plan: Plan) -> list:
    o = plan.opts
    rnd = random.Random(plan.seed + 11)
    out = _cover(plan) + _stats_blocks(plan)
    out.append(P("ส่วนที่ 3 กลยุทธ์และโครงการ", bold=True, align="center"))
    for s in plan.strategies:
        out.append(P(s.heading, bold=True))
        out.append(P(s.declaration))
        rows = [[C("ที่", bold=True, align="center"), C("โครงการ", bold=True, align="center"),
                 C("งบประมาณ", bold=True, align="center"), C("กลุ่มที่รับผิดชอบ", bold=True, align="center")]]
        for p in s.projects:
            rows.append([C(p.label, align="center"), C(p.name), C(p.budget_text, align="right"), C(p.group)])
        rows.append([C("รวม", span=2, bold=True, align="center"), C(plan.money(s.printed_total), bold=True,
                                                                     align="right"), C("")])
        out.append(Table([1.2, 8.0, 2.6, 5.2], rows, ruled=plan.ruled, cant_split=True))
        out.append(P(""))
    sheet_no = 0
    for s in plan.strategies:
        for p in s.projects:
            sheet_no += 1
            n = iter(range(1, 20))

            def lab(text):
                return f"{next(n)}. {text}" if o.get("numbered_fields") else text
            out.append(PAGE)
            out.append(P(o["sheet_title"], bold=True, align="center"))
            out.append(P(lab(f"ชื่อโครงการ  {p.sheet_name}"), bold=True))
            out.append(P(lab(f"สนอง{s.word}ที่ {s.no}  {s.title}")))
            out.append(P(lab(f"ลักษณะโครงการ  {rnd.choice(['โครงการต่อเนื่อง', 'โครงการใหม่'])}")))
            out.append(P(lab(f"ผู้รับผิดชอบโครงการ  {rnd.choice(PERSONS)} {p.group}")))
            out.append(P(lab(f"ระยะเวลาดำเนินการ  {p.timeline.period_text}")))
            out.append(P(lab("หลักการและเหตุผล"), bold=True))
            out.append(P("        การจัดการศึกษาให้มีคุณภาพต้องอาศัยความร่วมมือจากทุกภาคส่วน สำนักงานเขตพื้นที่การศึกษา"
                         "จึงได้จัดทำโครงการนี้ขึ้นเพื่อส่งเสริม สนับสนุน และพัฒนาการดำเนินงานของสถานศึกษาในสังกัด "
                         "ให้เป็นไปตามนโยบายและบรรลุเป้าหมายที่กำหนดไว้อย่างมีประสิทธิภาพ"))
            out.append(P(lab("วัตถุประสงค์"), bold=True))
            out.append(P("        เพื่อพัฒนาคุณภาพการดำเนินงานของสถานศึกษาและติดตามผลอย่างเป็นระบบ"))
            out.append(P(lab("เป้าหมาย"), bold=True))
            out.append(P(f"        เชิงปริมาณ สถานศึกษาในสังกัด จำนวน {rnd.randrange(20, 150)} โรง  "
                         "เชิงคุณภาพ สถานศึกษาดำเนินงานได้อย่างมีคุณภาพ"))
            out.append(P(lab("กิจกรรมและระยะเวลาดำเนินการ"), bold=True))
            acts = rnd.sample(ACTIVITIES, rnd.randrange(2, 5))
            rows = [[C("กิจกรรม", bold=True, align="center"), C("ระยะเวลา", bold=True, align="center"),
                     C("ผู้รับผิดชอบ", bold=True, align="center")]]
            for a in acts:
                i = rnd.randrange(0, 12)
                y, m = fy_month(plan, i)
                when = rnd.choice([f"{MONTH_ABBR_PRINT[m - 1]} {yy(y)}",
                                   f"{rnd.randrange(1, 28)} {MONTH_FULL_PRINT[m - 1]} {y + 543}"])
                rows.append([C(a), C(when, align="center"), C(rnd.choice(["คณะทำงาน", p.group]))])
            out.append(Table([8.0, 3.6, 5.4], rows, ruled=plan.ruled))
            if p.budget is None:
                out.append(P(lab("งบประมาณ  ไม่ใช้งบประมาณ")))
            else:
                out.append(P(lab(f"งบประมาณ  {plan.money(p.budget)} บาท")))
                a = (p.budget * Decimal("0.3")).quantize(Decimal(1))
                b_ = (p.budget * Decimal("0.5")).quantize(Decimal(1))
                c = p.budget - a - b_
                rows = [[C("รายการ", bold=True, align="center"), C("จำนวนเงิน (บาท)", bold=True, align="center")],
                        [C("ค่าตอบแทน"), C(plan.money(a), align="right")],
                        [C("ค่าใช้สอย"), C(plan.money(b_), align="right")],
                        [C("ค่าวัสดุ"), C(plan.money(c), align="right")],
                        [C("รวม", bold=True, align="center"), C(plan.money(p.budget), bold=True, align="right")]]
                out.append(Table([8.0, 4.0], rows, ruled=plan.ruled))
            out.append(P(lab("ผลที่คาดว่าจะได้รับ"), bold=True))
            out.append(P("        สถานศึกษาในสังกัดได้รับการพัฒนาและดำเนินงานบรรลุตามเป้าหมาย"))
    return out


def blocks_grid(plan: Plan) -> list:
    o = plan.opts
    quarters = o.get("quarters")
    nper = 4 if quarters else 12
    per_w = 2.4 if quarters else 1.1
    widths = [1.6, 26.7 - 1.6 - 2.4 - 3.8 - per_w * nper, 2.4, 3.8] + [per_w] * nper
    head = [C("ที่", vspan=2, bold=True, align="center"), C("โครงการ/กิจกรรม", vspan=2, bold=True, align="center"),
            C("งบประมาณ", vspan=2, bold=True, align="center"), C("ผู้รับผิดชอบ", vspan=2, bold=True, align="center")]
    if quarters:
        head.append(C(f"ปีงบประมาณ พ.ศ. {plan.fy}", span=4, bold=True, align="center"))
        sub = [C(f"ไตรมาส {q}", bold=True, align="center") for q in range(1, 5)]
    else:
        head += [C(f"พ.ศ. {plan.fy - 1}", span=3, bold=True, align="center"),
                 C(f"พ.ศ. {plan.fy}", span=9, bold=True, align="center")]
        sub = [C(MONTH_ABBR_PRINT[m - 1], bold=True, align="center", size=min(plan.size, 13)) for m in FY_MONTHS]
    rows = [head, sub]
    ncols = len(widths)
    for s in plan.strategies:
        rows.append([C(s.heading, span=ncols, bold=True)])
        for p in s.projects:
            t = p.timeline
            lo, hi = (t.quarters[0] - 1, t.quarters[1] - 1) if quarters else t.months
            marks = []
            for i in range(nper):
                on = lo <= i <= hi
                if o["marks"] == "shade":
                    marks.append(C("", fill="7F7F7F" if on else None))
                else:
                    marks.append(C("✓" if on else "", align="center"))
            rows.append([C(p.label, align="center"), C(p.name), C(p.budget_text, align="right"), C(p.group)] + marks)
        if o.get("subtotals"):
            rows.append([C(f"รวม{s.word}ที่ {s.no}", span=2, bold=True, align="center"),
                         C(plan.money(s.printed_total), bold=True, align="right")] + [C("") for _ in range(ncols - 3)])
    grand = sum((s.computed for s in plan.strategies), Decimal(0))
    rows.append([C("รวมทั้งสิ้น", span=2, bold=True, align="center"), C(plan.money(grand), bold=True, align="right")]
                + [C("") for _ in range(ncols - 3)])
    return (_cover(plan) +
            [P(f"ปฏิทินการดำเนินงานตาม{plan.kind}ประจำปีงบประมาณ พ.ศ. {plan.fy}", bold=True, align="center"),
             P(plan.office, align="center"),
             Table(widths, rows, header_rows=2, repeat_header=o.get("repeat_header", False), ruled=plan.ruled,
                   margin=0.06, cant_split=True)])


def blocks_split(plan: Plan) -> list:
    o = plan.opts
    quarters = o["split"] == "quarters"
    subs = ([f"ไตรมาส {q}" for q in range(1, 5)] if quarters else ["งบดำเนินงาน", "งบพัฒนาคุณภาพ", "รวม"])
    sub_w = [2.0] * 4 if quarters else [2.3, 2.3, 2.1]
    name_w = 17.0 - 1.0 - sum(sub_w) - 3.3
    widths = [1.0, name_w] + sub_w + [3.3]
    out = _cover(plan) + [P(f"ส่วนที่ 3 โครงการตาม{plan.kind}", bold=True, align="center")]
    for s in plan.strategies:
        out.append(P(s.heading, bold=True))
        if s.declaration:
            out.append(P(s.declaration))
        rows = [[C("ที่", vspan=2, bold=True, align="center"), C("โครงการ", vspan=2, bold=True, align="center"),
                 C("งบประมาณ (บาท)", span=len(subs), bold=True, align="center"),
                 C("ผู้รับผิดชอบ", vspan=2, bold=True, align="center")],
                [C(x, bold=True, align="center") for x in subs]]
        for p in s.projects:
            rows.append([C(p.label, align="center"), C(p.name)] +
                        [C(plan.money(x), align="right") for x in p.parts] + [C(p.group)])
        rows.append([C("รวม", span=2, bold=True, align="center")] +
                    [C(plan.money(x), bold=True, align="right") for x in s.col_totals] + [C("")])
        out.append(Table(widths, rows, header_rows=2, ruled=plan.ruled, margin=0.1, cant_split=True))
        out.append(P(""))
    out.append(PAGE)
    out.append(P("ระยะเวลาดำเนินการโครงการ", bold=True, align="center"))
    if o["schedule"] == "period":
        rows = [[C("ที่", bold=True, align="center"), C("โครงการ", bold=True, align="center"),
                 C("ระยะเวลาดำเนินการ", bold=True, align="center")]]
        for p in plan.projects:
            rows.append([C(str(p.timeline.seq), align="center"), C(p.timeline.name),
                         C(p.timeline.period_text, align="center")])
        out.append(Table([1.2, 10.3, 5.5], rows, ruled=plan.ruled, repeat_header=True, cant_split=True))
    else:
        rows = [[C("ที่", vspan=2, bold=True, align="center"), C("โครงการ", vspan=2, bold=True, align="center"),
                 C("ระยะเวลา", span=2, bold=True, align="center")],
                [C("เริ่มต้น", bold=True, align="center"), C("สิ้นสุด", bold=True, align="center")]]
        for p in plan.projects:
            t = p.timeline
            rows.append([C(str(t.seq), align="center"), C(t.name), C(t.start_text, align="center"),
                         C(t.end_text or t.start_text, align="center")])
        out.append(Table([1.2, 9.8, 3.0, 3.0], rows, header_rows=2, ruled=plan.ruled, repeat_header=True,
                         cant_split=True))
    return out


def blocks_borderless(plan: Plan) -> list:
    out = _cover(plan) + [P("ส่วนที่ 3 โครงการ", bold=True, align="center")]
    for s in plan.strategies:
        out.append(P(s.heading, bold=True))
        rows = [[C("ที่", bold=True), C("โครงการ", bold=True), C("งบประมาณ", bold=True, align="right"),
                 C("ผู้รับผิดชอบ", bold=True)]]
        for p in s.projects:
            rows.append([C(p.label), C(p.name), C(p.budget_text, align="right"), C(p.group)])
        rows.append([C("รวม", span=2, bold=True), C(plan.money(s.printed_total), bold=True, align="right"), C("")])
        # narrow: names, groups and amounts wrap
        out.append(Table([1.1, 7.3, 2.1, 4.3], rows, ruled=False))
        out.append(P(""))
    out.append(PAGE)
    out.append(P("ระยะเวลาในการดำเนินการโครงการ", bold=True, align="center"))
    rows = [[C("ที่", bold=True), C("โครงการ", bold=True), C("เริ่มต้น", bold=True), C("สิ้นสุด", bold=True),
             C("ผู้รับผิดชอบ", bold=True)]]
    for p in plan.projects:
        t = p.timeline
        rows.append([C(str(t.seq)), C(t.name), C(t.start_text), C(t.end_text), C(p.group)])
    # narrow date columns: "30 ก.ย." over "67"; rows may split across the page break
    out.append(Table([1.2, 5.8, 2.2, 2.2, 4.0], rows, ruled=False, repeat_header=False))
    return out


def _header_cells(plan: Plan, keys: list[str]) -> list:
    rnd = random.Random(plan.seed + 7)
    return [C(rnd.choice(HEADERS[k]) if k != "no" else ("ที่" if plan.seed % 2 else "ลำดับ"), bold=True,
              align="center") for k in keys]


def _project_cells(p: Project, keys: list[str]) -> list:
    vals = {"no": C(p.label, align="center"), "name": C(p.name), "budget": C(p.budget_text, align="right"),
            "group": C(p.group), "period": C(p.timeline.period_text, align="center") if p.timeline else C("")}
    return [vals[k] for k in keys]


def _total_cells(plan: Plan, label: str, amount: Decimal, keys: list[str]) -> list:
    """A total row: its label over the first two columns, the amount in the budget column."""
    bi = keys.index("budget")
    return [C(label, span=2, bold=True, align="center")] + \
        [C(plan.money(amount) if i == bi else "", bold=True, align="right" if i == bi else None)
         for i in range(2, len(keys))]


def blocks_two_level(plan: Plan) -> list:
    return (_two_level_table if plan.opts["layout"] == "table" else _two_level_headings)(plan)


def _two_level_table(plan: Plan) -> list:
    """One ruled table: a parent row (นโยบายที่ N, merged across, bold, shaded), under it each
    strategy's row (กลยุทธ์ที่ M, merged across), its projects and its subtotal, then the
    parent's subtotal (the sum of its strategies); a grand total at the end."""
    o = plan.opts
    keys = o["columns"].split()
    rows = [_header_cells(plan, keys)]
    for par in plan.parents:
        rows.append([C(par.heading, span=len(keys), bold=True, fill=o.get("parent_fill"))])
        for s in par.strategies:
            rows.append([C(s.heading, span=len(keys), bold=True, fill=o.get("group_fill"))])
            rows += [_project_cells(p, keys) for p in s.projects]
            rows.append(_total_cells(plan, o["subtotal"].format(word=s.word, no=s.no), s.printed_total, keys))
        rows.append(_total_cells(plan, o["parent_subtotal"].format(word=par.word, no=par.no), par.printed_total,
                                 keys))
    grand = sum((s.computed for s in plan.strategies), Decimal(0))
    rows.append(_total_cells(plan, o["grand"], grand, keys))
    return (_cover(plan) + _stats_blocks(plan) +
            [P(f"ส่วนที่ 3 โครงการตาม{plan.kind}ประจำปีงบประมาณ พ.ศ. {plan.fy}", bold=True, align="center"),
             P(f"{plan.office} จัดสรรงบประมาณเพื่อดำเนินโครงการ จำแนกตาม{plan.parents[0].word}และ"
               f"{plan.strategies[0].word} ดังนี้"),
             Table(o["widths"], rows, repeat_header=o.get("repeat_header", False), ruled=plan.ruled,
                   cant_split=not o.get("row_split"))])


def _two_level_headings(plan: Plan) -> list:
    """Headings outside the tables: a parent heading (with its declaration), then each strategy's
    heading, declaration sentence and own table closed by "รวม"; optionally an overview of both
    levels first, and the schedule in a table of its own at the end."""
    o = plan.opts
    keys = o["columns"].split()
    out = _cover(plan) + _stats_blocks(plan)
    if o.get("overview"):
        out.append(P("ส่วนที่ 2 ทิศทางการดำเนินงาน", bold=True, align="center"))
        for par in plan.parents:
            out.append(P(par.heading, bold=True))
            out += [P(f"- {s.heading}") for s in par.strategies]
        out.append(PAGE)
    out.append(P(f"ส่วนที่ 3 โครงการตาม{plan.kind}ประจำปีงบประมาณ พ.ศ. {plan.fy}", bold=True, align="center"))
    for par in plan.parents:
        out.append(P(par.heading, bold=True))
        if par.declaration:
            out.append(P(par.declaration))
        for s in par.strategies:
            out.append(P(s.heading, bold=True))
            out.append(P(s.declaration))
            rows = [_header_cells(plan, keys)] + [_project_cells(p, keys) for p in s.projects]
            rows.append(_total_cells(plan, "รวม", s.printed_total, keys))
            out.append(Table(o["widths"], rows, ruled=plan.ruled, cant_split=True))
            out.append(P(""))
    if o.get("schedule") == "startend":
        out.append(PAGE)
        out.append(P("ระยะเวลาดำเนินการโครงการ", bold=True, align="center"))
        rows = [[C("ที่", vspan=2, bold=True, align="center"), C("โครงการ", vspan=2, bold=True, align="center"),
                 C("ระยะเวลา", span=2, bold=True, align="center")],
                [C("เริ่มต้น", bold=True, align="center"), C("สิ้นสุด", bold=True, align="center")]]
        for p in plan.projects:
            t = p.timeline
            rows.append([C(str(t.seq), align="center"), C(t.name), C(t.start_text, align="center"),
                         C(t.end_text or t.start_text, align="center")])
        out.append(Table([1.2, 9.8, 3.0, 3.0], rows, header_rows=2, ruled=plan.ruled, repeat_header=True,
                         cant_split=True))
    return out


RENDER = {"one-table": blocks_one_table, "sheets": blocks_sheets, "grid": blocks_grid,
          "split-budget": blocks_split, "borderless-wrap": blocks_borderless, "two-level": blocks_two_level}


# ---- building ------------------------------------------------------------------------------

def export_pdfs(docx_paths: list[Path], out_dir: Path) -> list[Path]:
    """All DOCX to PDF in ONE LibreOffice run (start-up dominates the cost of one conversion)."""
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, docx_paths)],
            check=True, capture_output=True, timeout=900)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdfs = [out_dir / (p.stem + ".pdf") for p in docx_paths]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not produce {missing}")
    return pdfs


def _fingerprint() -> str:
    h = hashlib.sha256(Path(__file__).read_bytes() + FIXTURES_PY.read_bytes())
    return h.hexdigest()[:16]


def build_docs(out: Path, only: list[str] | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    docs = []
    for plan in plans():
        if only and plan.name not in only:
            continue
        blocks = RENDER[plan.family](plan)
        path = out / f"{plan.name}.docx"
        render_docx(plan, blocks, path, landscape=plan.family == "grid")
        g = json.dumps(gold(plan), ensure_ascii=False, indent=1)
        (out / f"{plan.name}.gold.json").write_text(g, "utf-8")
        if plan.txt:
            (out / f"{plan.name}.txt").write_text(render_txt(plan, blocks), "utf-8")
        docs.append(path)
    return docs


def build_all(out: Path = OUT) -> Path:
    """Every fixture (DOCX, PDF, optional TXT, gold) into `out`; cached by this file's content."""
    return cached_build(out, _fingerprint(), _build_fixtures)


def _build_fixtures(out: Path) -> None:
    docs = build_docs(out)
    pdf_dir = out / "pdf"
    export_pdfs(docs, pdf_dir)
    for d in docs:
        shutil.copy(out / f"{d.stem}.gold.json", pdf_dir / f"{d.stem}.gold.json")


if __name__ == "__main__":
    t0 = time.time()
    where = build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(where, f"{time.time() - t0:.1f}s")
