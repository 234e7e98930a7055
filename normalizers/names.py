"""Names that must compare equal across tables and documents: provinces, offices, groups.

Responsible groups are printed with whatever wrapping the table cell had
("กลุ่มนิเทศ ติดตาม และประเมินผล การจัดการศึกษา"), abbreviated with ฯ ("กลุ่มนิเทศฯ"), or with
a misprint. `canonical_group` maps all of those to one spelling.
"""

from functools import lru_cache
from importlib import resources

import regex
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from normalizers.text import compact, normalize_text

GROUP_FUZZY_MIN = 92.0   # rapidfuzz ratio (0..100) on white-space-free forms
MIN_SLIP_PROVINCE = 6    # letters a province name needs before one misread letter still names it
                         # (a scan at 150 dpi read อุบลราชอธานี; short names are a letter apart)


def _data_lines(name: str) -> list[str]:
    text = resources.files("normalizers").joinpath("data", name).read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def provinces() -> tuple[str, ...]:
    """Longest first, so that a prefix never wins over the whole name."""
    return tuple(sorted(_data_lines("provinces.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def province_abbreviations() -> dict[str, str]:
    """'นม' -> 'นครราชสีมา': the abbreviations offices print (สพป.นม.๓, สพม.ขก.)."""
    return dict(ln.split(None, 1) for ln in _data_lines("province_abbr.txt"))


@lru_cache(maxsize=1)
def _groups() -> dict[str, str]:
    return {compact(g): g for g in _data_lines("groups.txt")}


def province_at(text: str) -> str | None:
    """The province name that `text` starts with (spaces ignored), if any."""
    t = text.lstrip()
    for p in provinces():
        if t.startswith(p):
            return p
    return None


def misread_province_at(text: str) -> tuple[str, int] | None:
    """(the province name `text` starts with, one letter misread, added or lost: OCR's
    "อุบลราชอธานี" for อุบลราชธานี; the characters of `text` it took) when exactly one long
    province name is that close; for a printed name no province_at matched."""
    t = text.lstrip()
    skip = len(text) - len(t)
    hits = set()
    for p in provinces():
        if len(p) < MIN_SLIP_PROVINCE:
            continue
        for n in (len(p) - 1, len(p), len(p) + 1):
            if Levenshtein.distance(p, t[:n]) <= 1:
                hits.add((p, skip + n))
                break
    return hits.pop() if len({p for p, _n in hits}) == 1 else None


def canonical_group(printed: str | None) -> str | None:
    """One spelling per responsible group; unknown groups keep their normalized print."""
    if printed is None:
        return None
    text = normalize_text(printed)
    if not text:
        return None
    key = compact(text)
    groups = _groups()
    if key in groups:
        return groups[key]
    if key.endswith("ฯ"):
        stem = key.rstrip("ฯ")
        hits = [g for k, g in groups.items() if k.startswith(stem)]
        if len(hits) == 1:
            return hits[0]
    best, best_score = None, 0.0
    for k, g in groups.items():
        score = fuzz.ratio(key, k)
        if score > best_score:
            best, best_score = g, score
    if best is not None and best_score >= GROUP_FUZZY_MIN:
        return best
    return text


class GroupCanon:
    """Per-document canonicaliser: groups not in the registry take the document's most
    frequent spelling of the same white-space-free name."""

    def __init__(self, printed_names):
        counts: dict[str, dict[str, int]] = {}
        for p in printed_names:
            c = canonical_group(p)
            if c is None:
                continue
            counts.setdefault(compact(c), {}).setdefault(c, 0)
            counts[compact(c)][c] += 1
        self._choice = {k: max(v.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]
                        for k, v in counts.items()}

    def __call__(self, printed: str | None) -> str | None:
        c = canonical_group(printed)
        if c is None:
            return None
        return self._choice.get(compact(c), c)


_AREA_LEVEL = {"ประถมศึกษา": "primary", "มัธยมศึกษา": "secondary"}


def area_level(word: str) -> str | None:
    return _AREA_LEVEL.get(word)


def office_name(level_word: str, province: str, area_no: int | None) -> str:
    name = f"สำนักงานเขตพื้นที่การศึกษา{level_word}{province}"
    return f"{name} เขต {area_no}" if area_no is not None else name


# "๔.๑๐ ", "1) ", "- "; the space after a number may be missing (OCR): "4.4ผู้อำนวยการ", "4.11เจ้าหน้าที่"
_NUMBERING = regex.compile(
    r"^\s*(?:[-•*]\s*)?(?:[0-9๐-๙]+(?:\.[0-9๐-๙]+)*[.)]?(?:\s+|(?=[\u0e01-\u0e2e\u0e40-\u0e44])))?")


def strip_numbering(text: str) -> str:
    """'๔.๑๐ อัตรากำลัง' -> 'อัตรากำลัง'; '๑) ...' and '- ...' likewise."""
    return _NUMBERING.sub("", text)
