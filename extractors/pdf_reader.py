"""PDF plans: per-page characters with positions (pypdfium2) and ruling lines, rebuilt into
lines whose cells follow the page's table columns.

Why pypdfium2: it returns correct Thai from word-processor exports (ขับเคลื่อน, ดำเนิน) where
pdfplumber splits marks and sara am, and it is far faster. Ruling lines are the page's thin
path objects (bounds from pdfium), so no second parser is needed.

Steps per page:
1. characters in content order -> segments (a run on one baseline with no wide gap);
   Thai marks never start a segment, they follow their base character;
2. segments -> visual lines (same baseline), top to bottom;
3. lines crossed by two or more vertical rulings are rows of a ruled table: cells are the
   intervals between rulings, and visual lines between the same horizontal rulings merge
   into one row (wrapped or vertically centred cells);
4. other lines: after a table header, column starts come from the header's (and its
   sub-header's) cells; following lines that fit those columns become table lines with
   empty cells where nothing is printed; a line that crosses a column start ends the table;
5. a vertical gap much larger than the line pitch becomes a blank line (paragraph break).
Page numbers are kept; the table finder skips lone numbers.
"""

import ctypes
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex

from extractors.tables import cell_role, is_header
from normalizers.digits import thai_to_arabic
from normalizers.text import compact, is_nfc, nfc
from normalizers.thai_repair import LATIN1_TONE_MARKS, may_need_repair, repair_thai
from datamodel.document import Line, Page, SourceDoc, blocks_of_lines, page_text, row_line
from extractors.ruled_grid import END_TOUCH, TOUCH, find_grids

try:                                   # built by `pip install` (setup.py); optional
    from extractors import _fastchars
except ImportError:                    # pragma: no cover - no C compiler at install time
    _fastchars = None

GAP_EM = 0.6            # a horizontal gap wider than this many font sizes splits segments
TOUCH_EM = 0.1          # segments of a line closer than this many font sizes are one run of text
SPACE_EM = 0.25        # a generated space counts only across a gap this wide (font sizes)
# Some producers map the glyph of sara am to a box that holds its nikhahit only: the sara aa
# drawn after it looks like a gap, and pdfium puts a space there ("จำ แนก", "สำ นัก", measured on
# the two budget bills of ../shared/wild: gaps of 0.25-0.42 font sizes after boxes 0.13-0.27 wide;
# a full sara am is ~0.45 wide). After such a box a generated space needs the aa's width more.
AM_NARROW_EM = 0.3
AM_AA_EM = 0.25
BASELINE_EM = 0.35      # baselines closer than this many font sizes are the same line
PARAGRAPH_PITCH = 1.7   # a line gap above this multiple of the usual pitch is a paragraph break
RULE_MAX = 2.0          # a path thinner than this (points) is a ruling line
SNAP = 2.5              # rulings closer than this (points) are the same
MIN_FONT_SIZE = 3.0     # below this pdfium's font size is the text matrix's job; measure glyphs
TIE_PT = 0.5            # overlaps within this many points are a tie when placing a mark
SUBHEADER_MONTHS = 3    # month names in a line under a header that make it a month sub-header
SPLIT_TOL = 15.0        # points: how far a cut may sit from the column boundary it serves
SPLIT_GAP_EM = 0.35     # OCR: a word gap (or a gap this wide and SPLIT_GAP_RATIO times the
SPLIT_GAP_RATIO = 2.5   # segment's usual letter gap) at a column start separates two cells
SMALL_EM = 2.0          # segments narrower than this many font sizes are not share-tested
FIT_SHARE = 0.8         # share of a segment that must lie in one column of a borderless table
WHITE = 245             # a fill whose channels are all this light is paper, not shading
CUT_TOL = 1.0           # points: a ruling this close to a character still separates it from its neighbour
COL_TOL = 3.0           # points of slack when fitting text into columns

_MARKS = set(range(0x0E31, 0x0E32)) | set(range(0x0E34, 0x0E3B)) | set(range(0x0E47, 0x0E4F))


class UnreadablePdf(ValueError):
    pass


@dataclass(slots=True)
class Segment:
    x0: float
    x1: float
    y: float                 # baseline
    size: float
    text: str = ""
    repaired: bool = False       # the repair rules changed this text
    pieces: list | None = None   # OCR: (x0, x1, text with its leading separator) per word
    confs: list | None = None    # OCR: the words' confidences


@dataclass(slots=True)
class VLine:
    y: float
    size: float
    segs: list[Segment] = field(default_factory=list)


@dataclass
class _Cluster:
    """A base character with the marks that sit on it."""
    text: str
    x0: float
    x1: float
    y: float
    size: float
    space: bool = False
    generated: bool = False
    mx0: float = 0.0              # horizontal extent of the marks drawn on it
    mx1: float = 0.0
    tab: bool = False             # a tab came before this cluster


def _chars(textpage, pdfium_c) -> list[_Cluster]:
    """Characters in content order, each mark attached to the base it is drawn over.

    Word processors may emit a mark after later characters (LibreOffice does for some
    glyph clusters), so a mark that does not sit over the preceding base character is
    moved to the base character whose box it overlaps on the nearest baseline.
    Cost matters here (every character of every page): the text comes in one call, and a
    base character needs three calls: its loose box (advance), its origin (the baseline: a
    box's bottom moves with glyphs such as ฏ that reach below it) and its font size."""
    n = pdfium_c.FPDFText_CountChars(textpage)
    if n <= 0:
        return []
    buf = (ctypes.c_ushort * (n + 1))()
    got = pdfium_c.FPDFText_GetText(textpage, 0, n, buf)
    codes = buf[:max(0, got - 1)] if got else []
    if len(codes) != n:                       # surrogate pairs: fall back to one call each
        codes = [pdfium_c.FPDFText_GetUnicode(textpage, i) for i in range(n)]
    out: list[_Cluster] = []
    l, r, b, t = (ctypes.c_double() for _ in range(4))
    loose = pdfium_c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    get_loose, get_box = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetCharBox
    get_origin, get_size = pdfium_c.FPDFText_GetCharOrigin, pdfium_c.FPDFText_GetFontSize
    tab = False
    prev_base: _Cluster | None = None
    last_y, last_size = None, 10.0
    for i, u in enumerate(codes):
        if u in (0x0D, 0x0A):             # pdfium's line breaks: unreliable, geometry decides
            continue
        if u in (0xFFFE, 0x02, 0x00):
            continue
        if u == 0x09:                     # a tab separates, like a wide gap
            tab = True
            continue
        if u in LATIN1_TONE_MARKS and prev_base is not None and _thai(prev_base.text[:1]):
            u = LATIN1_TONE_MARKS[u]      # shifted tone-mark glyph with no Unicode mapping
        elif u in LATIN1_TONE_MARKS:      # ... emitted after other characters ("ที 1 : É")
            get_box(textpage, i, ctypes.byref(l), ctypes.byref(r), ctypes.byref(b), ctypes.byref(t))
            get_origin(textpage, i, ctypes.byref(ox), ctypes.byref(oy))
            if _thai_under(out, l.value, r.value, oy.value):
                u = LATIN1_TONE_MARKS[u]
        if u in _MARKS:
            get_box(textpage, i, ctypes.byref(l), ctypes.byref(r), ctypes.byref(b), ctypes.byref(t))
            get_origin(textpage, i, ctypes.byref(ox), ctypes.byref(oy))
            x0, x1 = l.value, r.value
            host = _host(out, x0, x1, oy.value)
            if host is not None:
                host.text += chr(u)
                if x1 > x0:
                    host.mx0 = min(host.mx0, x0) if host.mx1 > host.mx0 else x0
                    host.mx1 = max(host.mx1, x1)
            continue
        get_loose(textpage, i, ctypes.byref(loose))
        get_origin(textpage, i, ctypes.byref(ox), ctypes.byref(oy))
        if oy.value != last_y:            # the size changes with the line or run, not per letter
            last_y = oy.value
            last_size = get_size(textpage, i)
            if last_size < MIN_FONT_SIZE:  # size carried by the text matrix: measure the glyph box
                last_size = (loose.top - loose.bottom) or 10.0
        size = last_size
        space = u == 0x20
        c = _Cluster(chr(u), loose.left, max(loose.right, loose.left), oy.value, size, space=space,
                     generated=space and bool(pdfium_c.FPDFText_IsGenerated(textpage, i)),
                     tab=tab)
        out.append(c)
        if not space:
            prev_base = c
        tab = False
    return out


def _thai_under(clusters: list[_Cluster], x0: float, x1: float, y: float) -> bool:
    """Is a Thai letter on the line at `y` drawn where [x0, x1] is? (A Latin-1 glyph there is
    a shifted tone mark that lost its Unicode mapping.)"""
    for c in reversed(clusters[-400:]):
        if not c.space and _near_line(c, y) and "\u0e01" <= c.text[:1] <= "\u0e2e" \
                and min(x1, c.x1) - max(x0, c.x0) > 0:
            return True
    return False


def _extent(c: _Cluster) -> tuple[float, float]:
    if c.mx1 > c.mx0:
        return min(c.x0, c.mx0), max(c.x1, c.mx1)
    return c.x0, c.x1


def _near_line(c: _Cluster, mark_baseline: float) -> bool:
    """Is a mark whose origin is on `mark_baseline` drawn on the line of `c`?"""
    return abs(c.y - mark_baseline) < 0.5 * c.size


def _host(clusters: list[_Cluster], x0: float, x1: float, y: float) -> _Cluster | None:
    """The base character a mark is drawn over: the preceding one when the mark sits on it
    (the usual case, cheap), else the one on the nearest baseline whose extent (the base and
    the marks already on it: a tone mark stacks on a vowel) it overlaps most."""
    mid = (x0 + x1) / 2
    last = next((c for c in reversed(clusters[-3:]) if not c.space), None)
    if last is not None and last.x0 <= mid <= last.x1 and _near_line(last, y):
        return last
    best, best_score = None, 0.0
    for c in reversed(clusters[-400:]):
        if c.space or not _near_line(c, y):
            continue
        e0, e1 = _extent(c)
        overlap = min(x1, e1) - max(x0, e0)
        score = overlap if overlap > 0 else -abs((e0 + e1) / 2 - mid)
        # a mark sits at its base's right edge and may overhang it: on a near tie the
        # left-hand candidate is the base
        if (best is None or score > best_score + TIE_PT
                or (score > best_score - TIE_PT and overlap > 0 and c.x0 < best.x0)):
            best, best_score = c, max(score, best_score) if best is not None else score
    if best is not None and best_score > -0.5 * best.size:
        return best
    return last


def _thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e5b"


def _crosses(cuts: list[float], x1: float, x0: float, y: float) -> bool:
    """Does a vertical ruling (flat x, y0, y1 triples in `cuts`) stand between a segment's
    end `x1` and the next character's start `x0` on baseline y? A cell border ends a segment
    even where the gap is narrow (a number against its name, month names in narrow columns)."""
    for i in range(0, len(cuts) - 2, 3):
        x = cuts[i]
        if cuts[i + 1] - 1.0 <= y <= cuts[i + 2] + 1.0 and x1 <= x + CUT_TOL and x0 >= x - CUT_TOL:
            return True
    return False


def _space_needed(prev: _Cluster | None, size: float) -> float:
    """The gap (font sizes) a generated space of font size `size` needs after `prev`: more after
    a sara am drawn wider than its box (AM_NARROW_EM, AM_AA_EM)."""
    if prev is not None and prev.text.endswith("\u0e33") and prev.x1 - prev.x0 < AM_NARROW_EM * size:
        return SPACE_EM + AM_AA_EM
    return SPACE_EM


def _raw_segments_py(textpage, pdfium_c, cuts=()) -> list[Segment]:
    """Characters -> clusters -> segments, in Python (the reference for the native pass)."""
    clusters = _chars(textpage, pdfium_c)
    segs: list[Segment] = []
    cur: Segment | None = None
    for k, c in enumerate(clusters):
        if c.tab:
            cur = None                    # a tab starts a new segment
        if c.space:
            if cur is None or cur.text.endswith(" "):
                continue
            if c.generated:
                # pdfium invents spaces where glyph advances look odd: keep one only where the
                # next letter really stands a word gap away
                nxt = next((d for d in clusters[k + 1:k + 4] if not d.space), None)
                prev = next((d for d in clusters[max(0, k - 3):k][::-1] if not d.space), None)
                if nxt is None or nxt.x0 - cur.x1 < _space_needed(prev, c.size) * c.size:
                    continue
            cur.text += " "
            continue
        if (cur is None or abs(c.y - cur.y) > BASELINE_EM * c.size
                or c.x0 - cur.x1 > GAP_EM * c.size or c.x0 < cur.x0 - 0.5 * c.size
                or cuts and _crosses(cuts, cur.x1, c.x0, c.y)):
            cur = Segment(c.x0, c.x1, c.y, c.size, c.text)
            segs.append(cur)
        else:
            cur.text += c.text
            cur.x1 = max(cur.x1, c.x1)
    return segs


_CHAR_FUNCTIONS = ("FPDFText_CountChars", "FPDFText_GetUnicode", "FPDFText_GetLooseCharBox",
                   "FPDFText_GetCharBox", "FPDFText_GetCharOrigin", "FPDFText_GetFontSize",
                   "FPDFText_IsGenerated")
_OBJECT_FUNCTIONS = ("FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFPageObj_GetType",
                     "FPDFPageObj_GetBounds")


@lru_cache(maxsize=4)
def _addresses(pdfium_c, names: tuple[str, ...]) -> tuple[int, ...]:
    """Addresses of pdfium functions for the native passes (the ones pypdfium2 loaded)."""
    return tuple(ctypes.cast(getattr(pdfium_c, n), ctypes.c_void_p).value for n in names)


def _raw_segments(textpage, pdfium_c, native: bool = True, cuts=()) -> list[Segment]:
    """Segments of a page before repair: the native pass when it is built (same result,
    several times faster), else Python. `cuts`: vertical rulings as flat (x, y0, y1)."""
    if native and _fastchars is not None:
        addr = ctypes.cast(textpage, ctypes.c_void_p).value or 0
        raw = _fastchars.raw_segments(addr, _addresses(pdfium_c, _CHAR_FUNCTIONS), MIN_FONT_SIZE, TIE_PT,
                                      GAP_EM, SPACE_EM, BASELINE_EM, list(cuts), CUT_TOL, AM_NARROW_EM, AM_AA_EM)
        if raw is not None:
            return [Segment(x0, x1, y, size, text) for x0, x1, y, size, text in raw]
    return _raw_segments_py(textpage, pdfium_c, cuts)


def _segments(textpage, pdfium_c, native: bool = True, cuts=()) -> list[Segment]:
    raw = [s for s in _raw_segments(textpage, pdfium_c, native, cuts) if s.text.strip()]
    # most pages are canonical and need no repair: one test over the page (the repair's
    # triggers never span a newline, and NFC does not reach across one) instead of one a segment
    joined = "\n".join(s.text for s in raw)
    if is_nfc(joined) and not may_need_repair(joined):
        return raw
    for s in raw:
        canonical = nfc(s.text)          # canonical mark order is normalization, not repair
        fixed = repair_thai(canonical) if may_need_repair(canonical) else canonical
        s.repaired = fixed != canonical
        s.text = fixed
    return raw


def _vlines(segs: list[Segment]) -> list[VLine]:
    lines: list[VLine] = []
    for s in sorted(segs, key=lambda s: (-s.y, s.x0)):
        if lines and abs(lines[-1].y - s.y) <= BASELINE_EM * max(s.size, lines[-1].size):
            lines[-1].segs.append(s)
        else:
            lines.append(VLine(s.y, s.size, [s]))
    for ln in lines:
        ln.segs = _touching(sorted(ln.segs, key=lambda s: s.x0))
    return lines


def _touching(segs: list[Segment]) -> list[Segment]:
    """Segments of one line that touch are one run of text: a producer (or pdfium's order on
    a /Rotate page) may emit a word's last letters elsewhere in the stream ("จ" ... "ำนวน"),
    and a space between them would split the word. OCR segments keep their own gaps."""
    out: list[Segment] = []
    for s in segs:
        prev = out[-1] if out else None
        if (prev is not None and prev.pieces is None and s.pieces is None
                and s.x0 - prev.x1 < TOUCH_EM * min(prev.size, s.size) and s.x1 > prev.x1):
            prev.text += s.text
            prev.x1 = s.x1
            prev.repaired = prev.repaired or s.repaired
        else:
            out.append(s)
    return out


def _page_objects(page, pdfium_c, native: bool = True):
    """(type, (x0, y0, x1, y1)) of the page's top-level path, image and form objects;
    `page` is pdfium's raw page handle."""
    kinds = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM)
    if native and _fastchars is not None:
        addr = ctypes.cast(page, ctypes.c_void_p).value or 0
        return _fastchars.page_objects(addr, _addresses(pdfium_c, _OBJECT_FUNCTIONS), kinds)
    return list(_page_objects_py(page, pdfium_c, kinds))


def _page_objects_py(page, pdfium_c, kinds):
    """The reference for the native pass, through the raw API."""
    raw = page
    l, b, r, t = (ctypes.c_float() for _ in range(4))
    for k in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, k)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind in kinds:
            if pdfium_c.FPDFPageObj_GetBounds(obj, ctypes.byref(l), ctypes.byref(b), ctypes.byref(r), ctypes.byref(t)):
                yield kind, (l.value, b.value, r.value, t.value)


def _rulings(objects, pdfium_c):
    vert, horiz = [], []
    for kind, (x0, y0, x1, y1) in objects:
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        w, h = x1 - x0, y1 - y0
        if w <= RULE_MAX and h > RULE_MAX:
            vert.append(((x0 + x1) / 2, y0, y1))
        elif h <= RULE_MAX and w > RULE_MAX:
            horiz.append(((y0 + y1) / 2, x0, x1))
    return vert, horiz


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _fills(page, pdfium_c, objects) -> list:
    """Non-white filled rectangles larger than a ruling (cell shading, drawn bars):
    (x0, y0, x1, y1, "RRGGBB"). Colours are read only on pages that have such paths."""
    if not any(kind == pdfium_c.FPDF_PAGEOBJ_PATH and x1 - x0 > RULE_MAX and y1 - y0 > RULE_MAX
               for kind, (x0, y0, x1, y1) in objects):
        return []
    raw = page
    out = []
    l, b, r, t = (ctypes.c_float() for _ in range(4))
    cr, cg, cb, ca = (ctypes.c_uint() for _ in range(4))
    mode, stroke = ctypes.c_int(), ctypes.c_int()
    for k in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, k)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, ctypes.byref(l), ctypes.byref(b), ctypes.byref(r), ctypes.byref(t)):
            continue
        if r.value - l.value <= RULE_MAX or t.value - b.value <= RULE_MAX:
            continue
        if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(mode), ctypes.byref(stroke)) or not mode.value:
            continue
        if not pdfium_c.FPDFPageObj_GetFillColor(obj, ctypes.byref(cr), ctypes.byref(cg), ctypes.byref(cb), ctypes.byref(ca)):
            continue
        if ca.value < 16 or min(cr.value, cg.value, cb.value) >= WHITE:
            continue
        out.append((l.value, b.value, r.value, t.value, f"{cr.value:02X}{cg.value:02X}{cb.value:02X}"))
    return out


def _page_lines(segs: list[Segment], vert, horiz, fills, page_no: int, state: dict,
                end_touch: float = END_TOUCH) -> list[Line]:
    """Reading-order lines of a page: ruled tables (cells with spans, fills and marks from
    extractors.ruled_grid), the rest line by line (borderless tables by column starts)."""
    grids, rest = find_grids(segs, vert, horiz, fills, page_no, end_touch)
    vlines = _vlines(rest)
    items = sorted([(vl.y, 0, vl) for vl in vlines] + [(g.box[3], 1, g) for g in grids],
                   key=lambda t: -t[0])
    out: list[Line] = []
    pitch = _usual_pitch(vlines)
    prev_y = None
    for y, is_grid, item in items:
        if is_grid:
            state["starts"] = None
            out.extend(row_line(item.table, row) for row in item.table.rows)
            prev_y = item.box[1]
            continue
        if prev_y is not None and pitch and prev_y - y > PARAGRAPH_PITCH * pitch:
            out.append(Line(text="", page=page_no, soft_wrap=True))
        prev_y = y
        out.append(_borderless(item, page_no, state))
    return out


def _usual_pitch(vlines: list[VLine]) -> float | None:
    gaps = sorted(a.y - b.y for a, b in zip(vlines, vlines[1:]) if a.y - b.y > 0)
    return gaps[len(gaps) // 2] if gaps else None


def _borderless(vl: VLine, page_no: int, state: dict) -> Line:
    texts = [s.text.strip() for s in vl.segs]
    plain = Line(text=" ".join(texts), page=page_no, cells=texts if len(texts) > 1 else [], soft_wrap=True)
    if is_header(plain) is not None:
        # a header printed again on the next page gets back the columns it had (its
        # sub-header, which added the start/end columns, may not be repeated or read)
        key = tuple(compact(t) for t in texts)
        state["header_key"] = key
        known = state.get("known", {}).get(key)
        state["starts"] = list(known[0] if known else [s.x0 for s in vl.segs])
        state["ends"] = dict(known[1] if known else {round(s.x0, 1): s.x1 for s in vl.segs})
        state["header"] = True
        state["after_total"] = False
        return plain
    starts = state.get("starts")
    if not starts:
        return Line(text=plain.text, page=page_no, soft_wrap=True)
    if state.get("header"):              # header lines until the first numbered row
        if texts and thai_to_arabic(texts[0]).strip().rstrip(".").isdigit():
            state["header"] = False
        else:
            roles = [cell_role(t) for t in texts]
            months = sum(1 for r in roles if r and r.startswith("month"))
            if {"start", "end"} & set(roles) or months >= SUBHEADER_MONTHS:
                state["starts"] = starts = _snap(starts + [s.x0 for s in vl.segs])
                state.setdefault("ends", {}).update({round(s.x0, 1): s.x1 for s in vl.segs})
                state.setdefault("known", {})[state.get("header_key")] = (list(starts), dict(state["ends"]))
    cells = _fit_starts(vl, state)
    if cells is None:
        cells = _fit_middles(vl, state)      # text not aligned with its header (a centred header)
    if cells is None or state.get("after_total") and cells[0].strip():
        state["starts"] = None
        return Line(text=plain.text, page=page_no, soft_wrap=True)
    if state.get("after_total"):
        state["starts"] = None              # the total row's wrapped amount, then the table ends
    elif cells[0].replace(" ", "").startswith("รวม"):
        state["after_total"] = True         # a total row closes the table (after its wrapped lines)
    return Line(text=plain.text, page=page_no, cells=cells, soft_wrap=True)


def _fit_middles(vl: VLine, state: dict) -> list[str] | None:
    """Cells by the middles between header labels, for text not aligned with its label (a
    centred or right-aligned header over left-aligned names, amounts wider than their
    label): a segment goes to the column that holds its centre, and crosses (None) when it
    covers most of another column's label."""
    starts, ends = state["starts"], state.get("ends") or {}
    if not ends:
        return None
    labels = [(x, ends.get(round(x, 1), x)) for x in starts]
    bounds = [float("-inf")]
    for k in range(len(starts) - 1):
        end = labels[k][1]
        bounds.append((end + starts[k + 1]) / 2 if end < starts[k + 1] else starts[k + 1])
    bounds.append(float("inf"))
    cells = [""] * len(starts)
    for s in _split_numbers(vl.segs, bounds):
        mid = (s.x0 + s.x1) / 2
        k = next(i for i in range(len(starts)) if bounds[i] <= mid < bounds[i + 1])
        for m, (a, b) in enumerate(labels):
            if m != k and b > a and min(s.x1, b) - max(s.x0, a) > LABEL_SHARE * (b - a):
                return None
        cells[k] = f"{cells[k]} {s.text.strip()}".strip()
    return cells


_LEADING_NUMBER = regex.compile(r"^(\d{1,3}(?:\.\d{1,3})*\.?)\s+(\S.*)$")
LABEL_SHARE = 0.5       # a segment covering this share of another column's label crosses into it
DIGIT_EM = 0.55         # a digit's width in font sizes, to place a number glued to its row's name


def _split_numbers(segs: list[Segment], bounds: list[float]) -> list[Segment]:
    """A row's number printed close to its name ("1 พัฒนา..." as one segment) across the
    first column's border: the number to the first column, the name to its own."""
    out = []
    for s in segs:
        m = _LEADING_NUMBER.match(thai_to_arabic(s.text.strip()))
        if m and len(bounds) > 2 and s.x0 < bounds[1] < s.x1:
            cut = s.x0 + DIGIT_EM * s.size * len(m[1])
            if cut <= bounds[1]:
                number = s.text.strip()[:len(m[1])]
                out += [Segment(s.x0, cut, s.y, s.size, number),
                        Segment(max(cut, bounds[1]), s.x1, s.y, s.size, s.text.strip()[len(m[1]):].strip())]
                continue
        out.append(s)
    return out


def _fit_starts(vl: VLine, state: dict) -> list[str] | None:
    """Cells by column starts (text left-aligned under its label); None when a segment
    crosses a column start."""
    starts = state["starts"]
    cells = [""] * len(starts)
    bounds = [x - COL_TOL for x in starts] + [float("inf")]
    for s in _split_at_columns(vl.segs, bounds):
        # the column holding most of the segment; text mostly outside it crosses columns,
        # which ends the table (OCR boxes are loose, so this is by share, not by edge)
        width = max(s.x1 - s.x0, 1e-6)
        overlaps = [min(s.x1, bounds[k + 1]) - max(s.x0, bounds[k]) for k in range(len(starts))]
        k = max(range(len(starts)), key=overlaps.__getitem__)
        tol = state.get("col_tol", COL_TOL)     # OCR boxes are loose: the OCR stage widens it
        small = width < SMALL_EM * s.size        # a number or short word: its centre decides
        if small:
            # ... unless it starts at a later column's start (OCR: "1" of "1 ธันวาคม" with a
            # loose box reaching back into the column before)
            later = [m for m in range(k + 1, len(starts)) if starts[m] - tol <= s.x0 < starts[m] < s.x1
                     or starts[m] <= s.x0]
            if later:
                k = later[-1]
        if s.x0 < starts[k] - tol or (not small and overlaps[k] < FIT_SHARE * width):
            return None
        cells[k] = f"{cells[k]} {s.text.strip()}".strip()
    return cells


def open_pdf(path: Path, password: str | None = None):
    import pypdfium2 as pdfium
    try:
        return pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as e:
        msg = str(e).lower()
        if "password" in msg:
            if password:
                raise UnreadablePdf("encrypted PDF: the password given (--password) does not open it") from None
            raise UnreadablePdf("encrypted PDF: a password is needed (--password)") from None
        raise UnreadablePdf(f"not a readable PDF ({' '.join(str(e).split())})") from None


def _letter_gap(pieces: list) -> float:
    """The usual gap between neighbouring OCR pieces of a segment (letters, mostly)."""
    gaps = sorted(max(0.0, q[0] - p[1]) for p, q in zip(pieces, pieces[1:]))
    return gaps[len(gaps) // 2] if gaps else 0.0


def _split_at_columns(segs: list[Segment], bounds: list[float]) -> list[Segment]:
    """OCR may run two cells together; split such a segment at the word gap that straddles a
    column boundary (and only there, and only if that gap is wide enough to be one)."""
    out = []
    for s in segs:
        if not s.pieces or len(s.pieces) < 2:
            out.append(s)
            continue
        cuts = set()
        for b in bounds[1:-1]:
            if not s.x0 < b < s.x1:
                continue
            # the widest word gap near the boundary (the nearest may be between two letters)
            gaps = [(q[0] - p[1], k)
                    for k, (p, q) in enumerate(zip(s.pieces, s.pieces[1:]), start=1)
                    if p[1] - SPLIT_TOL <= b <= q[0] + SPLIT_TOL]
            if gaps:
                width, k = max(gaps)
                spaced = s.pieces[k][2].startswith(" ")       # OCR saw a word gap there
                if spaced or width >= max(SPLIT_GAP_EM * s.size, SPLIT_GAP_RATIO * _letter_gap(s.pieces)):
                    cuts.add(k)
        if not cuts:
            out.append(s)
            continue
        part = None
        for k, (x0, x1, text) in enumerate(s.pieces):
            if part is None or k in cuts:
                part = Segment(x0, x1, s.y, s.size, text.lstrip())
                out.append(part)
            else:
                part.text += text
                part.x1 = max(part.x1, x1)
    return out


def read_pdf(path: Path, password: str | None = None, pages_wanted: range | None = None) -> SourceDoc:
    import pypdfium2.raw as pdfium_c
    pdf = open_pdf(path, password)
    pages = []
    state: dict = {}
    try:
        total = len(pdf)
        numbers = range(1, total + 1)
        if pages_wanted is not None:
            numbers = range(max(1, pages_wanted.start), min(len(pdf), pages_wanted.stop - 1) + 1)
        for no in numbers:
            pages.append(_read_page(pdf, no, pdfium_c, state))
    finally:
        pdf.close()
    src = SourceDoc(source_format="pdf", pages=pages, lines=[], path=str(path), page_total=total)
    src.relink()
    return src


def _read_page(pdf, no: int, pdfium_c, state: dict) -> Page:
    """One page through pdfium's raw API (its page and text page are closed here, at once:
    the helper objects' finalizers cost a tenth of the reading on a text PDF)."""
    page = pdfium_c.FPDF_LoadPage(pdf.raw, no - 1)
    if not page:
        raise UnreadablePdf(f"page {no} cannot be read (damaged page)")
    textpage = None
    try:
        textpage = pdfium_c.FPDFText_LoadPage(page)
        if not textpage:
            raise UnreadablePdf(f"page {no}: its text cannot be read (damaged page)")
        objects = _page_objects(page, pdfium_c)
        vert, horiz = _rulings(objects, pdfium_c)
        segs = _on_page(_segments(textpage, pdfium_c, cuts=[v for x in vert for v in x]), _page_box(page, pdfium_c))
        lines = _page_lines(segs, vert, horiz, _fills(page, pdfium_c, objects), no, state)
    finally:
        if textpage:
            pdfium_c.FPDFText_ClosePage(textpage)
        pdfium_c.FPDF_ClosePage(page)
    images = sum(1 for kind, _ in objects if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE)
    if not images and any(kind == pdfium_c.FPDF_PAGEOBJ_FORM for kind, _ in objects):
        images = _images_in_forms(pdf, no, pdfium_c)
    return Page(no=no, text=page_text(lines), lines=lines, images=images, blocks=blocks_of_lines(lines),
                method="repaired" if any(s.repaired for s in segs) else "text")


def _page_box(page, pdfium_c) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of the page's visible box (media box within the crop box);
    an empty box when pdfium cannot say (then nothing is left out)."""
    rect = pdfium_c.FS_RECTF()
    if not pdfium_c.FPDF_GetPageBoundingBox(page, rect):
        return (0.0, 0.0, 0.0, 0.0)
    return (rect.left, rect.bottom, rect.right, rect.top)


def _images_in_forms(pdf, no: int, pdfium_c) -> int:
    """Images inside form XObjects (a scan wrapped in a form): pypdfium2's object walk."""
    page = pdf[no - 1]
    try:
        return sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))
    finally:
        page.close()


def _on_page(segs: list[Segment], box) -> list[Segment]:
    """The segments printed on the page: text placed outside its visible box (the back cover and
    spine of a cover spread cropped to the front) is not on the page, as in pdftotext."""
    left, bottom, right, top = box
    if right - left <= 1 or top - bottom <= 1:
        return segs
    return [s for s in segs if s.x1 > left and s.x0 < right and bottom - s.size < s.y < top]


def lines_from_segments(segs: list[Segment], page_no: int, state: dict, vert=(), horiz=()) -> list[Line]:
    """Lines with cells from segments recognised by OCR (repaired like a text layer); ruled
    tables from the rulings found on the image, as a text layer's."""
    for s in segs:
        s.text = repair_thai(nfc(s.text))
    return _page_lines([s for s in segs if s.text.strip()], list(vert), list(horiz), [], page_no, state,
                       end_touch=TOUCH)           # rulings measured on an image end less exactly
