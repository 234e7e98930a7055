"""Digits on a scan read by their shapes, against templates rendered from the Thai fonts
installed here: tesseract's Thai model confuses Thai digits (๖/๒, ๗/๓, ๐/๖, ๘ read as ส่), and
amounts, years and sequence numbers are the figures that matter most.

Templates: ๐-๙ and 0-9 drawn in every upright Thai font on the machine (Debian's fonts-thai-tlwg;
nothing is downloaded), trimmed to their ink and scaled to GRID x GRID; ๐-๙ also drawn small,
blurred and thresholded as a 150 dpi scan has them (_scanned). A number on the page
(a run of characters tesseract read as digits, separators and the letters it mistakes digits
for) is cut into glyphs at the blank columns between them; small blobs low on the line are
commas or full stops; every other glyph is the template nearest in shape (correlation) among
the script tesseract saw. The result keeps tesseract's reading when the glyphs cannot be cut
cleanly (touching digits of unequal count) — nothing is guessed beyond the shapes.
"""

from functools import lru_cache
from pathlib import Path

import regex

from extractors import opencv
from normalizers.digits import ARABIC_DIGITS, THAI_DIGITS

NO_GLYPH = "\u0e7f"        # an unassigned Thai code point: what a font draws for a glyph it lacks
RISE = 0.3                 # line heights above tesseract's line box a digit may reach
GROW = 0.5                 # line heights a number's box may grow to reach the blank columns around it
BRIDGE = 0.3               # line heights: a blank gap this narrow is between two glyphs of one number ...
BRIDGE_REACH = 1.0         # ... up to this far outside tesseract's box, whose edge lags the ink by up to a
                           # digit (ubon at 300 dpi: "35,500.00" boxed without its last 0)
GLYPH_HEIGHT = 0.5         # ink beyond such a gap this share of the number's height is a digit's, lower a separator or speck
SEP_WIDTH = 0.4            # a glyph narrower than this share of a digit's width ...
SEP_HEIGHT = 0.7           # ... and lower than this share of the digits' height is a separator
GRID = 20                  # template size (pixels a side)
RENDER_PX = 64             # font size the templates are drawn at
FONT_DIRS = ("/usr/share/fonts/truetype", "/usr/share/fonts/opentype")
SMALL_GLYPH = 0.45         # a blob lower than this share of the digits' height is a separator
COMMA_DESCENT = 0.08       # a separator reaching this share of the digits' height below their feet is a comma ...
COMMA_ASPECT = 1.25        # ... and where it reaches less (but below them), one this much taller than wide
CUT_STEP = 2               # pixels between the columns tried when cutting touching digits apart ...
FINE_WIDTH = 120           # ... every column below this width
MIN_PART = 0.5             # a cut glyph is this share of an equal share of the width at least ...
MAX_PART = 1.6             # ... and at most
ARABIC_OVERRIDE = 0.85     # a shape reading replaces a clean Arabic reading only matching this well
BROKEN_GAP = 0.15          # digits' widths: a glyph that is no digit is read with the next one this near
MIN_MATCH = 0.55           # correlation below which a glyph is not read as a digit at all
# what tesseract writes for a Thai digit now and then (seen on the scan fixtures)
CONFUSED = "ฒส่ซฐ«“”"
_NUMBERISH = regex.compile(rf"^[{THAI_DIGITS}{ARABIC_DIGITS},.{CONFUSED}]+$")
_DIGIT = regex.compile(rf"[{THAI_DIGITS}{ARABIC_DIGITS}]")
_DOUBLE_SEPARATOR = regex.compile(r"[,.]{2}")      # no number is printed so: a speck read as a stop
# a stop between digits with three more after it, then the end or another separator: a comma
# blurred round at 150 dpi ("๙๔.๒๕๐"), when another separator follows (baht have two decimals)
# or tesseract saw a comma ("๑.๕๐๐ ล้านบาท" keeps its stop)
_GROUPING_DOT = regex.compile(rf"(?<=[{THAI_DIGITS}{ARABIC_DIGITS}])\.(?=[{THAI_DIGITS}{ARABIC_DIGITS}]{{3}}(?:([.,])|$))")


def _thai_fonts() -> list[Path]:
    out = []
    for d in FONT_DIRS:
        for p in sorted(Path(d).glob("**/*.[to]tf")):
            name = p.stem.lower()
            if any(w in name for w in ("italic", "oblique", "mono", "typewriter", "typist", "typo")):
                continue
            out.append(p)
    return out


def _vector(ink):
    """A glyph's ink (2-D bool array, trimmed) as a normalized GRID x GRID vector: resampled
    as Pillow's bilinear resize does (a triangle filter as wide as the reduction), as two
    small matrix products (a third of Pillow's time per glyph, the same vector to 1e-3)."""
    import numpy as np
    out = _weights(ink.shape[0]) @ (ink.astype(np.float32) * 255.0) @ _weights(ink.shape[1]).T
    v = np.clip(np.round(out), 0, 255).ravel()
    v -= v.mean()
    n = float(np.linalg.norm(v))
    return v / n if n else v


@lru_cache(maxsize=1024)
def _weights(n_in: int):
    """The GRID x n_in resampling matrix (rows sum to 1)."""
    import numpy as np
    scale = n_in / GRID
    support = max(scale, 1.0)
    out = np.zeros((GRID, n_in), dtype=np.float32)
    for i in range(GRID):
        centre = (i + 0.5) * scale
        lo, hi = max(int(centre - support + 0.5), 0), min(int(centre + support + 0.5), n_in)
        xs = np.arange(lo, hi)
        w = np.maximum(0.0, 1.0 - np.abs((xs - centre + 0.5) / support))
        if w.sum() > 0:
            out[i, lo:hi] = w / w.sum()
    return out


def _trim(ink):
    import numpy as np
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows) or not len(cols):
        return None
    return ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


@lru_cache(maxsize=1)
def templates():
    """{script: (chars, matrix of template vectors, aspect ratios)} for 'thai' and 'arabic';
    empty when no Thai font is installed (the reader then keeps tesseract's digits)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont
    out = {}
    for script, digits in (("thai", THAI_DIGITS), ("arabic", ARABIC_DIGITS)):
        chars, vecs, aspects, drawn = [], [], [], []
        for path in _thai_fonts():
            try:
                font = ImageFont.truetype(str(path), RENDER_PX)
            except OSError:
                continue
            def draw(ch):
                img = Image.new("L", (RENDER_PX * 2, RENDER_PX * 2), 0)
                ImageDraw.Draw(img).text((RENDER_PX // 2, RENDER_PX // 4), ch, font=font, fill=255)
                return _trim(np.asarray(img) > 128)
            missing = draw(NO_GLYPH)
            small_fonts = [ImageFont.truetype(str(path), px) for px in SCANNED_PX] if script == "thai" else []
            for ch in digits:
                ink = draw(ch)
                if ink is None or missing is not None and ink.shape == missing.shape and (ink == missing).all():
                    continue          # the font has no such glyph (it draws its "missing" box)
                chars.append(ch)
                vecs.append(_vector(ink))
                aspects.append(ink.shape[1] / ink.shape[0])
                drawn.append(aspects[-1])
                for small_font in small_fonts:
                    small = _scanned(small_font, ch)
                    if small is not None:
                        chars.append(ch)
                        vecs.append(_vector(small))
                        aspects.append(small.shape[1] / small.shape[0])
        if chars:
            out[script] = (chars, np.stack(vecs), np.asarray(aspects, dtype=np.float32), float(np.median(drawn)))
    return out if "thai" in out else {}


SCANNED_PX = (30, 40)      # font sizes (pixels: 14-19 pt at 150 dpi) a Thai digit is also drawn at ...
SCANNED_BLUR = 0.8         # ... blurred this much (pixels) and thresholded, as a scan's are


def _scanned(font, ch: str):
    """A Thai digit as a 150 dpi scan has it: drawn small, blurred, thresholded (its ink).
    Among crisp templates a blurred, thickened stroke matched the bold face's: Norasi's ๔
    read as Norasi Bold's ๕ (lampang at 150 dpi). Arabic digits keep the crisp ones only:
    tesseract's clean reading of them stands unless a shape matches ARABIC_OVERRIDE well,
    a bound set on those."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter
    px = int(font.size)
    img = Image.new("L", (px * 3, px * 3), 255)
    ImageDraw.Draw(img).text((px, px // 2), ch, font=font, fill=0)
    img = img.filter(ImageFilter.GaussianBlur(SCANNED_BLUR))
    return _trim(np.asarray(img) < 128)


def numberish(text: str) -> bool:
    """Could tesseract's reading be a number (digits, separators, digits it misread)?"""
    return bool(_NUMBERISH.match(text)) and bool(_DIGIT.search(text))


def _best(piece, table) -> tuple[str, float]:
    import numpy as np
    chars, vecs, aspects, _usual = table
    piece = _trim(piece)
    if piece is None:
        return "", -1.0
    scores = vecs @ _vector(piece) - 0.5 * np.abs(aspects - piece.shape[1] / piece.shape[0])
    k = int(scores.argmax())
    return chars[k], float(scores[k])


def _touching(ink, count: int, table) -> tuple[str, float] | None:
    """Digits that touch (blur, a low resolution) cut apart where the glyphs match templates
    best: a dynamic programme over cut columns, each glyph between MIN_PART and MAX_PART of
    an equal share of the width and matching at least MIN_MATCH, into `count` glyphs or one
    more or fewer; the best mean match wins. (text, worst match) or None."""
    import numpy as np
    chars, vecs, aspects, _usual = table
    w = ink.shape[1]
    if count == 1:
        ch, score = _best(ink, table)
        return (ch, score) if score >= MIN_MATCH else None
    usual = w / count
    lo, hi = max(2, int(MIN_PART * usual)), int(MAX_PART * usual) + 1
    cuts = np.unique(np.append(np.arange(0, w, 1 if w < FINE_WIDTH else CUT_STEP), w))
    gap = cuts[None, :] - cuts[:, None]
    starts, ends = np.nonzero((gap >= lo) & (gap <= hi))       # spans by start, then end
    spans = list(zip(cuts[starts].tolist(), cuts[ends].tolist()))
    ok, matrix, asp = _span_vectors(ink, spans)
    if not len(ok):
        return None
    scores = matrix @ vecs.T - 0.5 * np.abs(aspects[None, :] - asp[:, None])
    top = scores.argmax(axis=1)
    tops = scores[np.arange(len(ok)), top]
    by_start: dict[int, list] = {}
    for k, t, sc in zip(ok[tops >= MIN_MATCH].tolist(), top[tops >= MIN_MATCH].tolist(),
                        tops[tops >= MIN_MATCH].tolist()):
        a, b = spans[k]
        by_start.setdefault(a, []).append((b, chars[t], sc))
    best = None
    reach = {0: (0.0, "", 1.0)}                      # position -> (sum, text, worst) after n glyphs
    for n in range(1, count + 2):                    # one pass: the counts tried are its steps
        nxt = {}
        for a in sorted(reach):                      # spans by start, as `seg` lists them: ties go alike
            total, text, worst = reach[a]
            for b, ch, sc in by_start.get(a, ()):
                if b not in nxt or total + sc > nxt[b][0]:
                    nxt[b] = (total + sc, text + ch, min(worst, sc))
        reach = nxt
        end = reach.get(w)
        if n >= count - 1 and end is not None and (best is None or end[0] / n > best[0]):
            best = (end[0] / n, end[1], end[2])
    return (best[1], best[2]) if best else None


def _span_vectors(ink, spans: list[tuple[int, int]]):
    """_vector of the trimmed ink of every column span [a, b) of `ink`, all at once (a
    touching run tries ~1,000 spans: one batched matrix product instead of one per span).
    (indices of the spans with ink, their vectors, their aspect ratios)."""
    import numpy as np
    h, w = ink.shape
    inked = np.flatnonzero(ink.any(axis=0))
    a, b = np.asarray(spans, dtype=np.int64).reshape(-1, 2).T
    first, last = np.searchsorted(inked, a), np.searchsorted(inked, b) - 1
    ok = np.flatnonzero(first <= last)
    if not len(ok):
        return ok, None, None
    c0, c1 = inked[first[ok]], inked[last[ok]] + 1             # trimmed columns
    cum = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(ink, axis=1, out=cum[:, 1:])
    rows = (cum[:, c1] - cum[:, c0]) > 0                       # h x spans: rows inked in each
    r0 = rows.argmax(axis=0)
    r1 = h - rows[::-1].argmax(axis=0)                         # trimmed rows
    widths, heights = c1 - c0, r1 - r0
    wide = int(widths.max())
    n = len(ok)
    col_w = np.zeros((n, wide, GRID), dtype=np.float32)        # each span's resampling, padded
    row_w = np.zeros((n, GRID, h), dtype=np.float32)
    for width in np.unique(widths):
        col_w[widths == width, :width, :] = _weights(int(width)).T
    for top, bottom in set(zip(r0.tolist(), r1.tolist())):
        row_w[(r0 == top) & (r1 == bottom), :, top:bottom] = _weights(bottom - top)
    padded = np.zeros((h, w + wide), dtype=np.float32)
    padded[:, :w] = ink
    padded *= 255.0
    windows = np.lib.stride_tricks.sliding_window_view(padded, wide, axis=1)[:, c0, :]   # h x n x wide
    out = row_w @ (windows.transpose(1, 0, 2) @ col_w)          # n x GRID x GRID
    v = np.clip(np.round(out), 0, 255).reshape(n, GRID * GRID)
    v -= v.mean(axis=1, keepdims=True)
    norm = np.linalg.norm(v, axis=1, keepdims=True)
    v = np.divide(v, norm, out=v, where=norm > 0)
    return ok, v, (widths / heights).astype(np.float32)


def _components(ink) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (top, bottom, left, right; ends exclusive) of the 8-connected pieces of
    ink of a small glyph array, in the order of their first pixel row by row (OpenCV's
    labelling: the same boxes as a flood fill, a tenth of the time)."""
    import numpy as np
    n, labels, stats, _ = opencv.cv2().connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    flat = labels.ravel()
    first = np.full(n, flat.size, dtype=np.int64)
    np.minimum.at(first, flat, np.arange(flat.size))
    return [(int(stats[k, 1]), int(stats[k, 1] + stats[k, 3]), int(stats[k, 0]), int(stats[k, 0] + stats[k, 2]))
            for k in sorted(range(1, n), key=lambda k: first[k])]


def _part_separators(ink, a: int, b: int) -> list[tuple[int, int]]:
    """A run of columns [a, b) as glyph column ranges: a comma or full stop that blur or a
    tight setting left without a blank column beside its digit ("๔," scanned as one blob) is
    split off when it is a piece of its own, small and low on the line, at the run's edge."""
    sub = ink[:, a:b]
    if b - a < 4 or not sub.any():
        return [(a, b)]
    line_h = ink.shape[0]
    comps = _components(sub)
    if len(comps) < 2:
        return [(a, b)]
    small = [c for c in comps if c[1] - c[0] < SMALL_GLYPH * line_h and c[0] >= 0.4 * line_h]
    body = [c for c in comps if c not in small]
    if not small or not body:
        return [(a, b)]
    left, right = min(c[2] for c in body), max(c[3] for c in body)
    out = [(a + left, a + right)]
    for c in small:
        if c[2] >= right - 1:                                   # after the digit
            out.append((a + max(c[2], right), a + c[3]))
        elif c[3] <= left + 1:                                  # before it
            out.insert(0, (a + c[2], a + min(c[3], left)))
    return [g for g in out if g[1] > g[0]]


def _read_glyphs(ink, glyphs: list[tuple[int, int]], table) -> tuple[str, float] | None:
    """Glyph column ranges of a number's ink as (text, worst match): separators by size and
    place, digits by shape (touching ones cut apart); None when one is not a digit."""
    import numpy as np
    pieces = [_trim(ink[:, a:b]) for a, b in glyphs]
    height = max(p.shape[0] for p in pieces if p is not None)
    usual = table[3] * height                            # a digit's usual width here

    def small(piece) -> bool:
        h, w = piece.shape
        return h < SMALL_GLYPH * height or (w < SEP_WIDTH * usual and h < SEP_HEIGHT * height)

    def rows_inked(a: int, b: int) -> tuple[int, int] | None:   # first and last, in the number's band
        rows = np.flatnonzero(ink[:, a:b].any(axis=1))
        return (int(rows[0]), int(rows[-1])) if len(rows) else None

    spans = [rows_inked(a, b) for a, b in glyphs]      # once a glyph: its place and its foot
    # digits stand on the baseline and a comma hangs below it, a full stop does not: where the
    # descent says so it decides, the aspect only where it is a pixel (a stop blurred tall read
    # as a comma: ubon at 300 dpi "35,500,00", nakhonratchasima at 150 dpi "0,00")
    feet = sorted(span[1] for span, p in zip(spans, pieces) if p is not None and not small(p))
    baseline = feet[len(feet) // 2] if feet else None
    text, worst = "", 1.0
    k = 0
    while k < len(glyphs):
        (a, b), piece, span = glyphs[k], pieces[k], spans[k]
        k += 1
        if piece is None:
            continue
        h, w = piece.shape
        if small(piece):
            if span[0] >= 0.4 * ink.shape[0]:                    # on the baseline: , or .
                descent = None if baseline is None else span[1] - baseline
                if descent is not None and descent >= COMMA_DESCENT * height:
                    text += ","
                elif descent is not None and descent <= 0:
                    text += "."
                else:
                    text += "," if h > COMMA_ASPECT * w else "."
                continue
            if h >= SMALL_GLYPH * height and k < len(glyphs) and glyphs[k][0] - b <= BROKEN_GAP * usual:
                joined = _touching(ink[:, a:glyphs[k][1]], 1, table)   # a ring parted in two (a small ๐)
                if joined is not None:
                    text += joined[0]
                    worst = min(worst, joined[1])
                    k += 1
            continue                                             # a speck higher up
        read = _touching(ink[:, a:b], max(1, round(w / usual)), table)
        if read is None and k < len(glyphs) and glyphs[k][0] - b <= BROKEN_GAP * usual:
            b = glyphs[k][1]                  # a digit broken in two (๒'s loop apart from its body)
            read = _touching(ink[:, a:b], max(1, round((b - a) / usual)), table)
            k += 1
        if read is None:
            return None
        text += read[0]
        worst = min(worst, read[1])
    return text, worst


def _grown(band, a: int, b: int, near: tuple[int, int], bridge: int) -> tuple[int, int]:
    """Columns [a, b) of a number's band of ink grown to the blank columns around it: first
    through ink within `near` (what touches tesseract's box), then on over blank gaps of at
    most `bridge` columns to a glyph's ink beyond (a digit's width is a gap wider than that:
    what is past it is another word). A ring cut by the threshold (a small ๐ at 300 dpi read
    at 200) parts with a gap of a pixel or two, and tesseract's box may end inside the
    number. A run too low to be a digit is a separator, taken only with a digit after it
    (rightwards: "๕๐๐" ".๐๐"), or a speck, never taken (a full stop does not start a number)."""
    cols = band.any(axis=0)
    n = len(cols)

    def height(x0: int, x1: int) -> int:               # of the ink in columns [x0, x1)
        rows = band[:, x0:x1].any(axis=1).nonzero()[0]
        return int(rows[-1] - rows[0] + 1) if len(rows) else 0

    def glyph(x0: int, x1: int) -> bool:
        return height(x0, x1) >= tall

    def run_from(k: int, step: int) -> int:            # the end of the ink run starting at k
        while 0 <= k + step < n and cols[k + step]:
            k += step
        return k

    def blank_from(k: int, step: int) -> int | None:     # the next inked column within the bridge
        j = k
        while 0 <= j < n and not cols[j] and abs(j - k) < bridge:
            j += step
        return j if 0 <= j < n and cols[j] else None

    while a > 0 and cols[a - 1] and a > near[0]:
        a -= 1
    while b < n and cols[b] and b < near[1]:
        b += 1
    own = height(a, b)
    if not own:
        return a, b
    tall = GLYPH_HEIGHT * own                            # of the number's own ink
    while a > 0:                                         # leftwards
        j = blank_from(a - 1, -1)
        if j is None or j == a - 1:
            break
        start = run_from(j, -1)
        if not glyph(start, j + 1):
            break
        a = start
    while b < n:                                         # rightwards
        j = blank_from(b, 1)
        if j is None or j == b:
            break
        end = run_from(j, 1) + 1
        if not glyph(j, end):
            k = blank_from(end, 1)                       # a separator, then a digit?
            if k is None or k == end or not glyph(k, run_from(k, 1) + 1):
                break
            end = run_from(k, 1) + 1
        b = end
    return a, b


def numberish_part(text: str) -> bool:
    """Could this be part of a number (digits, separators, misread digits)?"""
    return bool(_NUMBERISH.match(text))


def ink_runs(flags) -> list[list[int]]:
    """[start, end) of each run of true values (inked pixel rows or columns of an image, or
    blank ones), found at C speed: a line of a 300 dpi page is thousands of columns."""
    import numpy as np
    edges = np.flatnonzero(np.diff(np.concatenate(([False], np.asarray(flags, dtype=bool), [False])).astype(np.int8)))
    return [[a, b] for a, b in zip(edges[::2].tolist(), edges[1::2].tolist())]


def read_number(binary, box: tuple[int, int, int, int], seen: str,
                limits: tuple[int, int] | None = None, script: str | None = None,
                extent: list | None = None, start: int = 0) -> tuple[str, float] | None:
    """The number printed in `box` (left, top, right, bottom, pixels) of a binarized page
    (ink black), read by glyph shapes; `seen` is tesseract's reading (it says which script
    and how many digits); `limits` are the neighbouring words' edges, which the box does not
    grow into; `script` ("thai" / "arabic") overrides the script `seen` suggests. (text,
    lowest match) or None when it cannot be read cleanly. `extent`, if given, gets the
    columns of ink read ([left, right) pixels), so that the next number on the line starts
    after them: at `start`, left of which the ink was read already."""
    import numpy as np
    table = templates()
    if script is None:
        script = "arabic" if regex.search(f"[{ARABIC_DIGITS}]", seen) and not regex.search(
            f"[{THAI_DIGITS}]", seen) else "thai"
    if script not in table:
        return None
    left, top, right, bottom = box
    left = max(left, start)
    if right - left < 2:
        return None
    line_h = bottom - top
    reach = int(GROW * line_h)
    top = max(0, top - int(RISE * line_h))             # ๗ and ๙ reach above the line's box
    lo, hi = limits if limits else (0, binary.width)
    far = int(BRIDGE_REACH * line_h)
    x0, x1 = max(0, start, left - far, min(lo, left)), min(binary.width, right + far, max(hi, right))
    band = np.asarray(binary.crop((x0, top, x1, bottom)).convert("L"), dtype=np.uint8) < 128
    a, b = _grown(band, left - x0, right - x0, (left - x0 - reach, right - x0 + reach), int(BRIDGE * line_h))
    if extent is not None:
        extent[:] = [x0 + a, x0 + b]
    ink = band[:, a:b]
    rows = np.flatnonzero(ink.any(axis=1))
    if not len(rows):
        return None
    ink = ink[rows[0]:rows[-1] + 1]
    cols = ink.any(axis=0)
    glyphs = [tuple(r) for r in ink_runs(cols)]
    if not glyphs:
        return None
    got = _read_glyphs(ink, glyphs, table[script])
    if got is None:                  # a comma touching its digit ("๔," as one run of columns)?
        parted = [g for a, b in glyphs for g in _part_separators(ink, a, b)]
        if parted != glyphs:
            got = _read_glyphs(ink, parted, table[script])
    if got is None:
        return None
    text, worst = got
    if not _DIGIT.search(text):
        return None
    if script == "arabic" and worst < ARABIC_OVERRIDE and regex.fullmatch(r"[0-9,.]+", seen) \
            and not _DOUBLE_SEPARATOR.search(seen):
        return None            # tesseract reads Arabic digits well: its clean reading stands (not
                               # "20.,450.50" for a wrapped 20,450.50: two separators in a row)
    return _GROUPING_DOT.sub(lambda m: "," if "," in seen or m.group(1) else ".", text), worst
