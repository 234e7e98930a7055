"""Table rulings on a scanned page image, so that a scan's ruled tables are rebuilt by the same
grid builder as a text layer's (extractors/ruled_grid.py), and the rulings are erased before
OCR (tesseract reads them as "|", "l" and stray letters, and runs cells together).

On the deskewed, binarized page (ink = black): a horizontal ruling is a run of ink along a
pixel row at least MIN_RULE_IN long; runs in neighbouring rows that overlap are one ruling
(a printed line is 1-4 pixels thick after blur). Vertical rulings likewise down the columns.
Letters are far shorter than a table cell's border, so text never makes a ruling; an
underline would, and costs nothing: a lone horizontal line makes no table.
"""

from dataclasses import dataclass

MIN_RULE_IN = 0.3          # inches: the shortest border a table cell has (a month column, a row)
MAX_THICK_IN = 0.04        # inches: thicker ink is a filled area (shading, a bar), not a ruling
LONG_RULE_IN = 1.5         # inches: a ruling this long stands on its own (a table's top and bottom)
TOUCH_IN = 0.04            # inches: a ruling's end this close to a ruling across meets it
GAP_IN = 0.03             # inches of paper a dashed (faint) ruling may skip
FILL_SHARE = 0.8          # share of a bridged run that must be ink
JOIN_PX = 2                # pixel rows between two runs of one ruling (a slight residual skew)
ERASE_PX = 1               # pixels either side of a ruling erased with it
FRAME_ROUNDS = 3           # short rulings framed by short rulings framed by long ones, and so on


@dataclass
class Rule:
    pos: float              # y of a horizontal ruling, x of a vertical one (pixels)
    a: int                  # extent along the ruling (pixels)
    b: int
    thick: int


def shifted(rule: Rule, across: int, along: int) -> Rule:
    """A ruling found on a part of the page, placed on the page: `across` pixels added to its
    position, `along` to its extent."""
    return Rule(rule.pos + across, rule.a + along, rule.b + along, rule.thick)


def _runs(ink, min_len: int, gap: int):
    """(line index, start, end) of every run of ink along axis 1 at least `min_len` long,
    bridging gaps of up to `gap` pixels (a thin ruling scanned grey comes out dashed) as long
    as ink covers FILL_SHARE of the run (a row through text has wide gaps between letters).
    Only lines with that much ink in all are searched (most of a page: a fifth of the time)."""
    import numpy as np
    lines = np.flatnonzero(ink.sum(axis=1, dtype=np.int32) >= FILL_SHARE * min_len)
    sub = ink[lines]
    width = sub.shape[1] + 2
    padded = np.zeros((len(lines), width), dtype=np.int8)
    padded[:, 1:-1] = sub
    d = np.diff(padded.ravel())                  # the zero columns part the lines
    changes = np.flatnonzero(d)
    up = d[changes] == 1
    starts, stops = changes[up] + 1, changes[~up] + 1
    rows, x0, ends = lines[starts // width], starts % width - 1, stops % width - 1
    if not len(x0):
        return rows, x0, ends
    brk = np.ones(len(x0), dtype=bool)
    brk[1:] = (rows[1:] != rows[:-1]) | (x0[1:] - ends[:-1] > gap)
    group = np.cumsum(brk) - 1
    first = np.flatnonzero(brk)
    last = np.append(first[1:], len(x0)) - 1
    inked = np.bincount(group, weights=ends - x0)
    g_rows, g_x0, g_x1 = rows[first], x0[first], ends[last]
    span = g_x1 - g_x0
    keep = (span >= min_len) & (inked >= FILL_SHARE * span)
    return g_rows[keep], g_x0[keep], g_x1[keep]


def _rules(ink, min_len: int, max_thick: int, gap: int) -> list[Rule]:
    rows, x0s, x1s = _runs(ink, min_len, gap)
    open_: list[list] = []          # [first row, last row, x0, x1, rows summed, count]
    done: list[list] = []
    for y, x0, x1 in zip(rows.tolist(), x0s.tolist(), x1s.tolist()):
        hit = None
        for r in open_:
            if r[1] >= y - JOIN_PX and min(x1, r[3]) - max(x0, r[2]) > 0.5 * min(x1 - x0, r[3] - r[2]):
                hit = r
                break
        if hit is None:
            open_.append([y, y, x0, x1, y, 1])
        else:
            hit[1] = y
            hit[2], hit[3] = min(hit[2], x0), max(hit[3], x1)
            hit[4] += y
            hit[5] += 1
        if len(open_) > 64:                       # close rulings the scan has left behind
            done += [r for r in open_ if r[1] < y - JOIN_PX]
            open_ = [r for r in open_ if r[1] >= y - JOIN_PX]
    done += open_
    return [Rule(r[4] / r[5], r[2], r[3], r[1] - r[0] + 1) for r in done if r[1] - r[0] + 1 <= max_thick]


def find_rulings(image, dpi: float, level: int = 128, strict: int | None = None) -> tuple[list[Rule], list[Rule]]:
    """(horizontal, vertical) rulings of a page image (PIL, ink dark): pixels darker than
    `level` are ink (a lenient level finds thin grey rulings whole). With `strict` (the text's
    level), rulings found at that level too where the lenient one found none: a ruling along
    a shaded row is one thick block with its shading at the lenient level when the shading
    is as dark as that level (a group row's grey 217 against a level of 217 at 150 dpi, 202
    at 200 dpi: the level follows the page's grey histogram, which follows the resolution)."""
    import numpy as np
    grey = np.asarray(image.convert("L"), dtype=np.uint8)
    min_len = int(MIN_RULE_IN * dpi)
    max_thick = max(3, int(MAX_THICK_IN * dpi))
    gap = max(1, int(GAP_IN * dpi))
    horizontal, vertical = [], []
    strict = strict if strict is not None and strict < level else None
    for lv in [level] + ([strict] if strict is not None else []):
        ink = (grey < lv).astype(np.int8)
        found_h = _rules(ink, min_len, max_thick, gap)
        found_v = _rules(np.ascontiguousarray(ink.T), min_len, max_thick, gap)
        if lv == level and strict is not None:
            found_h = [r for r in found_h if not _in_fill(r, grey, level, strict)]
            found_v = [r for r in found_v if not _in_fill(r, grey.T, level, strict)]
        horizontal += found_h
        vertical += found_v
    long_, touch = LONG_RULE_IN * dpi, TOUCH_IN * dpi
    # a short ruling must end on rulings that are themselves long or framed: a bold letter's
    # stem bridged to its tone mark (0.31 inch at 150 dpi) ends on the line of text below it
    # only, a run along the letters' feet that meets no ruling
    kept_h = [r for r in horizontal if r.b - r.a >= long_]
    kept_v = [r for r in vertical if r.b - r.a >= long_]
    for _ in range(FRAME_ROUNDS):
        kept_h, kept_v = (_framed_rules(horizontal, kept_v, long_, touch, min_len),
                          _framed_rules(vertical, kept_h, long_, touch, min_len))
    return _longest(kept_h, max_thick, min_len), _longest(kept_v, max_thick, min_len)


def _framed_rules(rules: list[Rule], across: list[Rule], long_: float, touch: float, min_len: int) -> list[Rule]:
    """The rulings that stand on their own (long) or end on rulings across them (framed), an
    overrunning one cut back to the rulings across it that it crosses (_cut_to_frame)."""
    kept = []
    for r in rules:
        if r.b - r.a >= long_ or _framed(r, across, touch):
            kept.append(r)
        else:
            cut = _cut_to_frame(r, across, touch)
            if cut is not None and cut.b - cut.a >= min_len:
                kept.append(cut)
    return kept


def _cut_to_frame(rule: Rule, across: list[Rule], touch: float) -> Rule | None:
    """A ruling that runs on past the ruling across it where it ends, cut back to the
    outermost rulings across that it crosses, or None when it crosses fewer than two. A
    header cell's border carries on through the row border below into the stem of a bold
    letter of the group heading under it (rayong's ลำดับ | โครงการ border at 200 dpi ran 0.17
    inch into จุดเน้น and was dropped as unframed: the sequence and name columns one header
    cell, every project's name its number). A piece between two rulings across is a cell's
    border whatever ran on from it."""
    crossed = sorted(c.pos for c in across
                     if rule.a - touch <= c.pos <= rule.b + touch and c.a - touch <= rule.pos <= c.b + touch)
    if len(crossed) < 2:
        return None
    a = rule.a if abs(crossed[0] - rule.a) <= touch else int(round(crossed[0]))
    b = rule.b if abs(crossed[-1] - rule.b) <= touch else int(round(crossed[-1]))
    return Rule(rule.pos, a, b, rule.thick)


FILL_SIDE = 0.5            # share of lenient ink beside a ruling that makes that side a shaded cell
LINE_OVER_SIDE = 1.5       # a ruling is this many times as inked as either side of it at the strict level


def _in_fill(rule: Rule, grey, level: int, strict: int) -> bool:
    """Is a ruling found at the lenient level a piece of a shaded cell: lenient ink beside it
    (a faint real ruling has paper either side), and at the strict level either paper or no
    darker than beside it? A bold heading in a shaded row at 150 dpi is half ink at the strict
    level down its letters' bodies, and at the lenient level the shading fills the gaps between
    them: a 1.5 inch "ruling" through the heading, no more inked than the rows above it, split
    khonkaen's group row and lost the table below it. `grey` has the ruling along its rows."""
    half = rule.thick / 2 + 1
    lo, hi = int(rule.pos - half), int(rule.pos + half) + 1
    if lo < 0 or hi > grey.shape[0]:
        return False
    width = max(2, rule.thick)
    sides = [grey[max(0, lo - 1 - width):max(0, lo - 1), rule.a:rule.b + 1],
             grey[hi + 1:hi + 1 + width, rule.a:rule.b + 1]]
    sides = [side for side in sides if side.size]
    own = (grey[lo:hi, rule.a:rule.b + 1] < strict).mean()
    if own >= 0.5 and all(own >= LINE_OVER_SIDE * (side < strict).mean() for side in sides):
        return False
    return any((side < level).mean() >= FILL_SIDE for side in sides)


def _longest(rules: list[Rule], near: int, beyond: int) -> list[Rule]:
    """The longest of the rulings that lie along one another (found at both levels; within
    `near` pixels across, overlapping along): a speckled shading's fragment at the lenient
    level gives way to the whole ruling found beside it at the strict one. Each was framed on
    its own first: at the lenient level a short border may run on into a speck past the
    ruling it ends on (songkhla's row border at 200 dpi, 0.04 inch too long). One that runs
    on past the longest by `beyond` (a cell border's length) is the rest of the same ruling,
    found apart where a slight residual slant stepped it a pixel row (phitsanulok's row
    border under shaded quarters at 200 dpi: its right half lost, the last row with it)."""
    kept: list[Rule] = []
    for r in sorted(rules, key=lambda r: r.a - r.b):
        k = next((k for k in kept if abs(r.pos - k.pos) <= near and min(r.b, k.b) > max(r.a, k.a)), None)
        if k is None:
            kept.append(r)
        elif max(k.a - r.a, r.b - k.b) >= beyond:
            kept[kept.index(k)] = Rule(k.pos, min(k.a, r.a), max(k.b, r.b), max(k.thick, r.thick))
    return kept


def _framed(rule: Rule, across: list[Rule], touch: float) -> bool:
    """Does a ruling end on rulings across it at both ends (a cell border)? A letter's stroke
    through the lenient threshold (the head of ร, ส in bold text) floats inside a cell."""
    def meets(end: float) -> bool:
        return any(abs(c.pos - end) <= touch and c.a - touch <= rule.pos <= c.b + touch for c in across)
    return meets(rule.a) and meets(rule.b)


def erase_rulings(image, horizontal: list[Rule], vertical: list[Rule]):
    """The page without its rulings (white where they were), for OCR."""
    from PIL import ImageDraw
    out = image.copy()
    draw = ImageDraw.Draw(out)
    for r in horizontal:
        half = r.thick / 2 + ERASE_PX
        draw.rectangle([r.a - ERASE_PX, r.pos - half, r.b + ERASE_PX, r.pos + half], fill=255)
    for r in vertical:
        half = r.thick / 2 + ERASE_PX
        draw.rectangle([r.pos - half, r.a - ERASE_PX, r.pos + half, r.b + ERASE_PX], fill=255)
    return out


def to_points(horizontal: list[Rule], vertical: list[Rule], scale: float, height_pt: float):
    """Rulings in PDF points (y upwards) as the grid builder takes them: vertical (x, y0, y1),
    horizontal (y, x0, x1)."""
    vert = [(r.pos / scale, height_pt - r.b / scale, height_pt - r.a / scale) for r in vertical]
    horiz = [(height_pt - r.pos / scale, r.a / scale, r.b / scale) for r in horizontal]
    return vert, horiz
