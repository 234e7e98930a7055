"""Document metadata from the cover and first pages: title, office, province, area number,
primary/secondary, fiscal year.

Variants handled:
- title on its own line ("แผนพัฒนาครูและบุคลากรทางการศึกษา") or with the year on the same
  line ("แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๗"); the year phrase is not part of the title;
- office written in full ("สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต ๒"), abbreviated
  ("สพป.เชียงใหม่ เขต ๒", "สพม.ลำปาง ลำพูน"), with or without spaces, Thai or Arabic digits;
- fiscal year as "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗", "ปีงบประมาณ 2567", "พ.ศ.๒๕๖๗".
"""

from collections import Counter

import regex

from normalizers import Rejected
from normalizers.dates import check_be_year, fiscal_year_bounds
from normalizers.digits import thai_to_arabic
from normalizers.names import area_level, misread_province_at, office_name, province_abbreviations, province_at
from normalizers.text import normalize_text
from datamodel.document import Line
from datamodel.records import DocumentMeta

COVER_LINES = 40      # non-blank lines that count as the cover / first page
COVER_VOTE = 6        # weight of "ปีงบประมาณ YYYY" on the cover when the fiscal year is decided
FISCAL_VOTE = 3       # ... of the same phrase in the body
YEAR_VOTE = 1         # ... of any other BE year printed (a date, "พ.ศ. YYYY")
PLAUSIBLE_YEARS = 5   # a fiscal year printed further than this from the plan's is implausible

_FISCAL = regex.compile(r"ปีงบประมาณ\s*(?:พ\s*\.\s*ศ\s*\.?)?\s*(\d{4})")
# the year phrase a title ends with; "พ.ศ." as OCR may give it ("wa.": two short words with stops)
_YEAR_TAIL = regex.compile(r"\s*(?:ประจำปี(?:งบประมาณ)?|ปีงบประมาณ)\s*"
                           r"(?:พ\s*\.\s*ศ\s*\.?|(?:[^\s\d.]{1,2}\s*\.\s*){1,2}(?=\d{4}))?\s*(?:\d{4}.*)?$")
_OFFICE = regex.compile(
    r"(?:สำนักงานเขตพื้นที่การศึกษา\s*(?P<level>ประถมศึกษา|มัธยมศึกษา)|(?P<abbr>สพป|สพม)\s*\.?)\s*(?P<rest>.+)")
_AREA = regex.compile(r"^\s*เขต\s*(\d{1,3})\b")
_SHORT = regex.compile(r"^\s*(?P<p>[ก-ฮ]{2,3})\s*\.\s*(?:เขต\s*)?(?P<n>\d{1,2})?")   # สพป.นม.๓, สพม.ขก.
_ABBR_LEVEL = {"สพป": "ประถมศึกษา", "สพม": "มัธยมศึกษา"}
_BE_YEAR = regex.compile(r"(?<!\d)(25\d\d)(?!\d)")
_TITLE_START = regex.compile(r"^\s*(?:แผน|โครงการ|รายงาน)")


def _cover(lines: list[Line]) -> list[str]:
    out = []
    for ln in lines:
        if not ln.blank:
            out.append(thai_to_arabic(ln.text))
            if len(out) >= COVER_LINES:
                break
    return out


def fiscal_year_votes(lines: list[Line]) -> Counter:
    """Every year a plan gives for itself: "ปีงบประมาณ (พ.ศ.) YYYY" on the cover (worth most)
    and in the body, and the BE years of its dates and "พ.ศ. YYYY" mentions, which lie in
    the fiscal year or the year before it. One misread cover (OCR: ๒๕๖๗ as ๒๕๐๒) is outvoted."""
    votes: Counter = Counter()
    cover = set(_cover(lines))
    for ln in lines:
        if "25" not in ln.text and "\u0e52\u0e55" not in ln.text:    # no BE year printed (๒๕..)
            continue
        text = thai_to_arabic(ln.text)
        for m in (_FISCAL.finditer(text) if "ปีงบประมาณ" in text else ()):
            votes[int(m[1])] += COVER_VOTE if text in cover else FISCAL_VOTE
        for m in _BE_YEAR.finditer(text):
            year = int(m[1])
            votes[year] += YEAR_VOTE          # a date or a year in the fiscal year ...
            votes[year + 1] += YEAR_VOTE      # ... or in the months before it (ต.ค.-ธ.ค.)
    return votes


def find_fiscal_year(lines: list[Line]) -> tuple[int | None, list[int]]:
    """(the plan's fiscal year, the years it prints for itself that disagree with it). The
    year is decided by all its mentions (`fiscal_year_votes`), among the years printed as a
    fiscal year; an implausible year is never chosen. Suspect: a year printed as the fiscal
    year on the cover that lost the vote, or one far from the plan's."""
    votes = fiscal_year_votes(lines)
    printed = Counter()
    for ln in lines:
        if "ปีงบประมาณ" not in ln.text:
            continue
        for m in _FISCAL.finditer(thai_to_arabic(ln.text)):
            printed[int(m[1])] += 1
    cover = {int(m[1]) for text in _cover(lines) for m in _FISCAL.finditer(text)}
    best = None
    for year in sorted(printed, key=lambda y: (-votes[y], -printed[y], y)):
        try:
            best = check_be_year(year)
            break
        except Rejected:
            continue
    if best is None:
        return None, sorted(printed)
    # a plan names other fiscal years too (last year's results): only a cover that disagrees,
    # or a year far from the plan's (2502 in a 2567 plan), is suspect
    return best, sorted(y for y in printed if y != best and (y in cover or abs(y - best) > PLAUSIBLE_YEARS))


def find_title(lines: list[Line]) -> str | None:
    for text in _cover(lines):
        if _TITLE_START.match(text):
            title = _YEAR_TAIL.sub("", text).strip()
            if title:
                return normalize_text(title)
    return None


def find_office(lines: list[Line]):
    """(office, province, area_no, area_level) from the first office name printed; where no
    office name prints a province exactly (a scan's misread letter), from the first one
    printing a province a letter off (misread_province_at)."""
    cover = _cover(lines)
    # an office name broken over two cover lines ("...ประถมศึกษา" / "นครราชสีมา เขต ๓")
    joined = [f"{a} {b}" for a, b in zip(cover, cover[1:] + [""])]
    candidates = joined + [thai_to_arabic(ln.text) for ln in lines]
    found = _office_in(candidates, exact=True)
    return found if found[1] is not None else _office_in(candidates, exact=False)


def _office_in(candidates: list[str], exact: bool):
    for text in candidates:
        for m in _OFFICE.finditer(text):
            level_word = m["level"] or _ABBR_LEVEL[m["abbr"]]
            province = province_at(m["rest"])
            taken = len(m["rest"]) - len(m["rest"].lstrip()) + len(province or "")
            if province is None and not exact and (slip := misread_province_at(m["rest"])):
                province, taken = slip
            if province is None:
                short = _SHORT.match(m["rest"]) if m["abbr"] else None
                province = province_abbreviations().get(short["p"]) if short else None
                if province is None:
                    continue
                area_no = int(short["n"]) if short["n"] else None
                return (office_name(level_word, province, area_no), province, area_no, area_level(level_word))
            after = m["rest"][taken:]
            seat, extra = province, []
            # secondary offices may cover several provinces: "สพม.ลำปาง ลำพูน"
            while (more := province_at(after)) is not None and after[:1] == " ":
                extra.append(more)
                after = after.lstrip()[len(more):]
            area = _AREA.match(after)
            area_no = int(area[1]) if area else None
            name = office_name(level_word, " ".join([seat, *extra]), area_no)
            return name, seat, area_no, area_level(level_word)
    return None, None, None, None


def extract_metadata(lines: list[Line]) -> DocumentMeta:
    meta = DocumentMeta(title=find_title(lines))
    meta.office, meta.province, meta.area_no, meta.area_level = find_office(lines)
    meta.fiscal_year_be, meta.suspect_fiscal_years = find_fiscal_year(lines)
    if meta.fiscal_year_be is not None:
        meta.fiscal_year_start, meta.fiscal_year_end = fiscal_year_bounds(meta.fiscal_year_be)
    return meta
