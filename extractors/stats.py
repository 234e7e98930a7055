"""Basic statistics of the office: schools by district and by type, students by level,
staff by position, each with its as-of date.

A statistics block is a run of lines shaped "[numbering] label [จำนวน] N unit" (unit โรง,
โรงเรียน, แห่ง or คน), under a heading line that says what is counted and often the total
("... จำนวนทั้งสิ้น ๑๓๑ โรงเรียน ..."). A line "(ข้อมูล ณ วันที่ ๑๐ มิถุนายน ๒๕๖๖)" dates the
block right above it, or else the block right below it.
Which table a block is: schools whose labels are districts (อำเภอ/กิ่งอำเภอ/เขต) or whose
heading says อำเภอ -> schools_by_district; other schools -> schools_by_type; people under a
heading about students (นักเรียน) -> students_by_level; about staff -> staff_by_position.
"""

import regex

from normalizers import Rejected
from normalizers.dates import parse_thai_date
from normalizers.digits import thai_to_arabic
from normalizers.labels import total_kind
from normalizers.names import strip_numbering
from datamodel.document import Line
from datamodel.records import Stat, StatBlock

MIN_BLOCK_LINES = 2
HEADING_LINES = 3

_STAT = regex.compile(
    r"^(?P<label>.+?)\s*(?:จำนวน|มี)?\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*(?P<unit>โรงเรียน|โรง|แห่ง|คน)\s*$")
_AS_OF = regex.compile(r"(?:ข้อมูล\s*)?ณ\s*วันที่\s*(?P<d>[^)]+)")
_TOTAL = regex.compile(r"(?:ทั้งสิ้น|จำนวน|รวม)\s*(\d{1,3}(?:,\d{3})+|\d+)\s*(?:โรงเรียน|โรง|แห่ง|คน)")
_DISTRICT = regex.compile(r"^(?:อำเภอ|กิ่งอำเภอ|เขต)")
_HEADING_START = regex.compile(r"^\s*[0-9๐-๙]+\.\s")
_UNITS = {"โรงเรียน": "school", "โรง": "school", "แห่ง": "school", "คน": "person"}
_UNIT_WORDS = tuple(_UNITS)


def _stat_line(text: str):
    """(label as printed, value, unit) or None. Thai digits keep their place in the label."""
    printed = " ".join(text.split())
    if not printed.endswith(_UNIT_WORDS):      # cheap: the pattern backtracks over every line
        return None
    m = _STAT.match(thai_to_arabic(printed))
    if not m:
        return None
    label = strip_numbering(printed[m.start("label"):m.end("label")]).strip()
    if not label or len(label) > 120:
        return None
    return label, int(m["n"].replace(",", "")), _UNITS[m["unit"]]


def _table_name(heading: str, labels: list[str], unit: str) -> str | None:
    if unit == "school":
        if "อำเภอ" in heading or all(_DISTRICT.match(lb) for lb in labels):
            return "schools_by_district"
        return "schools_by_type"
    if "นักเรียน" in heading:
        return "students_by_level"
    if any(w in heading for w in ("ข้าราชการ", "บุคลากร", "อัตรากำลัง", "ครู")):
        return "staff_by_position"
    return None


def _as_of(text: str):
    m = _AS_OF.search(text)
    if not m:
        return None
    try:
        return parse_thai_date(m["d"]).value
    except Rejected:
        return None


def _heading_before(lines: list[Line], i: int) -> tuple[str, str]:
    """The paragraph above a block: up to HEADING_LINES lines (a heading wrapped by layout),
    skipping as-of lines, stopping at a blank line or another statistics line."""
    h = i - 1
    while h >= 0 and (lines[h].blank or _as_of(lines[h].text) is not None):
        h -= 1
    parts = []
    while h >= 0 and len(parts) < HEADING_LINES and not lines[h].blank:
        numbered = _HEADING_START.match(lines[h].text)    # "๓. จำนวนนักเรียน ..." starts it
        if not numbered and _stat_line(lines[h].text) is not None:
            break
        parts.insert(0, lines[h].text)
        if numbered:
            break
        h -= 1
    raw = " ".join(parts)
    return thai_to_arabic(raw), raw


_HEAD_UNIT = regex.compile(r"\(\s*(โรงเรียน|โรง|แห่ง|คน)\s*\)|(?:จำนวน)?(นักเรียน|โรงเรียน|บุคลากร)\s*\(?\s*(คน|โรง)?")
_INT = regex.compile(r"^\s*(\d{1,3}(?:,\d{3})+|\d+)\s*(?:โรงเรียน|โรง|แห่ง|คน)?\s*$")
_LABEL_TABLES = (("อำเภอ", "schools_by_district"), ("ขนาด", "schools_by_type"), ("ประเภทโรงเรียน", "schools_by_type"),
                 ("ระดับ", "students_by_level"), ("ชั้น", "students_by_level"), ("ตำแหน่ง", "staff_by_position"),
                 ("ประเภทบุคลากร", "staff_by_position"), ("บุคลากร", "staff_by_position"))


def _count(text: str) -> int | None:
    m = _INT.match(thai_to_arabic(text or ""))
    return int(m[1].replace(",", "")) if m else None


def _stat_header(ln: Line):
    """(label column, value column, unit, table) of a statistics table's header line:
    a label column (ขนาดโรงเรียน / อำเภอ / ระดับการศึกษา / ตำแหน่ง) and a count column
    whose label names the unit ("จำนวน (โรง)", "จำนวนนักเรียน (คน)"); with several count
    columns (ชาย | หญิง | รวม) the รวม column."""
    if len(ln.cells) < 2 or not any(word in ln.text for word, _ in _LABEL_TABLES):
        return None
    keys = [compact_label(c) for c in ln.cells]
    table = None
    label_col = None
    for k, key in enumerate(keys):
        for word, name in _LABEL_TABLES:
            if key.startswith(word) and len(key) <= 30:
                table, label_col = name, k
                break
        if table:
            break
    if table is None:
        return None
    counts = [k for k, key in enumerate(keys) if k != label_col and ("จำนวน" in key or key.startswith("รวม"))]
    if not counts:
        return None
    value_col = next((k for k in counts if keys[k].startswith("รวม")), counts[0])
    unit_text = " ".join(ln.cells[k] for k in counts)
    unit = "person" if "คน" in unit_text or table in ("students_by_level", "staff_by_position") else "school"
    if table in ("schools_by_district", "schools_by_type") and "คน" in unit_text and "โรง" not in unit_text:
        table = "students_by_level" if "นักเรียน" in unit_text else "staff_by_position"
    return label_col, value_col, unit, table


def compact_label(text: str) -> str:
    return "".join(thai_to_arabic(text).split())


def _stat_table(lines: list[Line], i: int, head) -> tuple[StatBlock | None, int]:
    """The rows under a statistics table's header, up to its total row (kept as the
    block's declared total: a check, not a category)."""
    label_col, value_col, unit, table = head
    block = StatBlock(table=table, heading=" | ".join(lines[i].cells), page=lines[i].page)
    j = i + 1
    while j < len(lines) and not lines[j].blank:
        cells = lines[j].cells
        label = strip_numbering(cells[label_col]).strip() if label_col < len(cells) else ""
        value = _count(cells[value_col]) if value_col < len(cells) else None
        if total_kind(label) or total_kind(cells[0]):
            total = value if value is not None else next((_count(c) for c in cells if _count(c) is not None), None)
            block.declared_total = total
            j += 1
            break
        if not label or value is None:
            break
        block.stats.append(Stat(table=table, label_raw=label, value=value, unit=unit, page=lines[j].page))
        j += 1
    return (block if block.stats else None), j


def extract_stats(lines: list[Line]) -> list[StatBlock]:
    blocks: list[StatBlock] = []
    i, n = 0, len(lines)
    last_block_end = -10
    pending_as_of = None
    while i < n:
        ln = lines[i]
        head = _stat_header(ln) if len(ln.cells) > 1 else None
        if head is not None:
            block, j = _stat_table(lines, i, head)
            if block is not None:
                for st in block.stats:
                    st.as_of = pending_as_of
                pending_as_of = None
                blocks.append(block)
                last_block_end = j
                i = j
                continue
        as_of = _as_of(ln.text) if not ln.blank and "ณ" in ln.text else None
        if as_of is not None:
            gap = all(lines[k].blank for k in range(last_block_end, i)) if last_block_end >= 0 else False
            if blocks and gap and blocks[-1].stats and blocks[-1].stats[0].as_of is None:
                for s in blocks[-1].stats:
                    s.as_of = as_of
            else:
                pending_as_of = as_of
            i += 1
            continue
        parsed = _stat_line(ln.text) if not ln.blank else None
        if parsed is None:
            i += 1
            continue
        j, run = i, []
        while j < n and not lines[j].blank:
            p, used = _stat_line(lines[j].text), 1
            if p is None and j + 1 < n and len(lines[j + 1].text.split()) <= 2:
                # "... จำนวน ๔๒" / "คน": a statistics line wrapped by layout
                p, used = _stat_line(f"{lines[j].text} {lines[j + 1].text}"), 2
            if p is None:
                break
            run.append((p, lines[j]))
            j += used
        if len(run) < MIN_BLOCK_LINES:
            i = j
            continue
        heading, heading_raw = _heading_before(lines, i)
        labels = [thai_to_arabic(p[0]) for p, _ in run]
        unit = run[0][0][2]
        table = _table_name(heading, labels, unit)
        if table is not None:
            total = _TOTAL.search(heading)
            block = StatBlock(table=table, heading=heading_raw, page=ln.page,
                              declared_total=int(total[1].replace(",", "")) if total else None)
            for (label, value, u), line in run:
                block.stats.append(Stat(table=table, label_raw=label, value=value, unit=u,
                                        page=line.page, as_of=pending_as_of))
            pending_as_of = None
            blocks.append(block)
            last_block_end = j
        i = j
    return blocks
