"""Filled areas on a scanned page (a shaded cell, a drawn bar): found on the deskewed grey page,
taken off the page before its rulings are found and its text is read, and given back to the
grid's cells as a text layer's filled rectangles are (Cell.fill, Cell.marked).

A fill darker than the text's threshold (a month shaded 7F7F7F) is a black block to the
binarized page: tesseract reads letters out of it and the rulings between neighbouring shaded
cells vanish inside it (a thick block is no ruling), so the cells merge and the table is lost.
A filled area is what stays of the page's non-paper pixels after an opening with a square wider
than any stroke: letters, rulings, a ✓ and specks are thinner, a cell's shading is not. Inside
it each pixel is divided by the fill's own grey there (the page's grey closed over the same
square: strokes printed on the fill are taken out, the fill's grey stays, whatever its shade):
the fill becomes paper and what is printed on it keeps its contrast.

A schedule mark tesseract does not read (a lone ✓ in a narrow month cell) is ink in a cell the
page reading left empty: such a cell is marked too (mark_inked_cells), as a drawn bar marks one.
"""

from dataclasses import dataclass

from extractors import opencv

FILL_DEPTH = 14            # grey levels under the paper's that a fill is at least (a light D9 shading
                           # on white paper is 38 under it, on a photocopy's grey paper 24; JPEG's
                           # noise on paper is a few levels)
FILL_STROKE_IN = 0.06      # inches: a fill is wider and taller than this everywhere; a bold letter's
                           # stroke at 14 pt is 0.02, a ruling 0.01, a speck less
EDGE_PX = 2                # pixels around a fill divided with it (its blurred edge)
FILL_SHARE = 0.8           # share of a cell's inside a fill covers that makes the cell shaded
BAR_SHARE = 0.6            # share of a cell's width a fill strip crosses that makes it a drawn bar
CELL_INSET_IN = 0.02       # inches inside a cell's borders measured (the rulings and their blur)
PAPER_SHARE = 0.5          # the paper's grey: the commonest of the page's lighter half


@dataclass
class Fills:
    """The filled areas of a page image: `mask` (uint8, 1 on a fill), `background` (the fill's
    grey at each pixel of a fill). Empty when the page has none."""
    mask: object | None
    background: object | None

    @property
    def found(self) -> bool:
        return self.mask is not None


def paper_level(grey) -> int:
    """The paper's grey: the commonest level among the page's lighter half (a shaded page's
    commonest level may be its shading; a photocopy's paper is grey)."""
    import numpy as np
    cv2 = opencv.cv2()
    hist = cv2.calcHist([grey], [0], None, [256], [0, 256]).ravel().astype(np.int64)
    half = int(np.searchsorted(np.cumsum(hist), PAPER_SHARE * grey.size))
    return half + int(hist[half:].argmax())


def find_fills(image, dpi: float) -> Fills:
    """The filled areas of a deskewed grey page (PIL)."""
    import numpy as np
    cv2 = opencv.cv2()
    grey = np.asarray(image.convert("L"), dtype=np.uint8)
    paper = paper_level(grey)
    side = max(3, int(round(FILL_STROKE_IN * dpi)) | 1)
    square = np.ones((side, side), np.uint8)
    mask = cv2.morphologyEx((grey < paper - FILL_DEPTH).astype(np.uint8), cv2.MORPH_OPEN, square)
    if not mask.any():
        return Fills(None, None)
    mask = _off_the_edge(mask)
    if not mask.any():
        return Fills(None, None)
    background = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, square)
    return Fills(mask, background)


def _off_the_edge(mask):
    """The mask without the areas that touch the image's border: a copier's dark edge or the
    scanner's lid around the paper, not shading printed on it (whitened, it moved the page's
    threshold and udon's photocopy at 150 dpi read worse: F1 0.943 -> 0.835)."""
    import numpy as np
    cv2 = opencv.cv2()
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    h, w = mask.shape
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    edge = (x == 0) | (y == 0) | (x + stats[:, cv2.CC_STAT_WIDTH] >= w) | (y + stats[:, cv2.CC_STAT_HEIGHT] >= h)
    edge[0] = False                               # the background label
    if not edge.any():
        return mask
    edge[0] = True
    return np.where(edge[labels], 0, mask).astype(np.uint8)


def unshaded(image, fills: Fills):
    """The page with its fills made paper: each pixel on (or at the edge of) a fill divided by
    the fill's grey there, so the fill is white and the ink printed on it (text, rulings) keeps
    its contrast to it."""
    if not fills.found:
        return image
    import numpy as np
    from PIL import Image
    cv2 = opencv.cv2()
    grey = np.asarray(image.convert("L"), dtype=np.uint8)
    near = cv2.dilate(fills.mask, np.ones((2 * EDGE_PX + 1, 2 * EDGE_PX + 1), np.uint8)).astype(bool)
    out = grey.copy()
    bg = np.maximum(fills.background[near].astype(np.float32), 1.0)
    out[near] = np.clip(grey[near].astype(np.float32) * (255.0 / bg), 0, 255).astype(np.uint8)
    return Image.fromarray(out, "L")


EDGE_RULE_PX = 3           # pixels between a ruling and the fill it borders (its blur, a slight slant)
EDGE_SHARE = 0.8           # share of a gap between two pieces of a ruling that a fill borders on one side


def join_along_fills(rules: list, fills: Fills, horizontal: bool) -> list:
    """Rulings (image_rulings.Rule) with the pieces of one ruling joined where the gap between
    them runs along a fill's edge, the fill on one side only: a thin ruling there is blurred
    into the fill, and divided by the fill's grey (unshaded) it comes out too faint to be ink
    (chiangrai's row border under two shaded months at 150 dpi was found in two pieces, the
    left one ending inside a month cell: taken for a bar, two projects made one row)."""
    if not fills.found or len(rules) < 2:
        return rules
    from extractors.image_rulings import Rule
    mask = fills.mask if horizontal else fills.mask.T
    n = mask.shape[0]
    out = sorted(rules, key=lambda r: (round(r.pos), r.a))
    joined: list = []
    for r in out:
        prev = next((k for k in reversed(joined) if abs(k.pos - r.pos) <= EDGE_RULE_PX
                     and k.b < r.a), None)
        if prev is not None and _along_fill(mask, n, (prev.pos + r.pos) / 2, prev.b, r.a,
                                            max(prev.thick, r.thick)):
            joined[joined.index(prev)] = Rule((prev.pos + r.pos) / 2, prev.a, r.b, max(prev.thick, r.thick))
        else:
            joined.append(r)
    return joined


def _along_fill(mask, n: int, pos: float, a: int, b: int, thick: int) -> bool:
    """Does a fill border the line at `pos` from `a` to `b` on one side (most of a band beside
    it) and not the other?"""
    if b - a < 1:
        return True
    reach = thick // 2 + EDGE_RULE_PX + 2 * EDGE_PX     # the band either side looked at
    lo, hi = int(pos) - reach, int(pos) + reach + 1
    if lo < 0 or hi > n:
        return False
    before = mask[lo:int(pos) - thick // 2, a:b].mean()  # the fill's mask runs over the
    after = mask[int(pos) + thick // 2 + 1:hi, a:b].mean()   # ruling by its blur: a share
    return max(before, after) >= EDGE_SHARE and min(before, after) < 1 - EDGE_SHARE


def paint_cells(lines, fills: Fills, scale: float, height_pt: float, dpi: float) -> None:
    """Each ruled table cell of the page's lines that a fill covers gets the fill's colour
    (Cell.fill, RRGGBB of its grey); one a fill strip crosses, lower than the cell, is marked
    (a drawn bar), as a text layer's filled rectangles paint them (ruled_grid)."""
    if not fills.found:
        return
    import numpy as np
    h, w = fills.mask.shape
    inset = max(1, int(round(CELL_INSET_IN * dpi)))
    for cell in ruled_cells(lines):
        c0, r0, c1, r1 = cell_pixels(cell, scale, height_pt, inset)
        c0, r0, c1, r1 = max(c0, 0), max(r0, 0), min(c1, w), min(r1, h)
        if c1 <= c0 or r1 <= r0:
            continue
        area = np.count_nonzero(fills.mask[r0:r1, c0:c1])   # the cells cover a page once: cheaper
        if area >= FILL_SHARE * (c1 - c0) * (r1 - r0):        # than a page's summed-area table
            shade = int(np.median(fills.background[r0:r1, c0:c1][fills.mask[r0:r1, c0:c1] > 0]))
            cell.fill = f"{shade:02X}" * 3
        elif area:
            across = fills.mask[r0:r1, c0:c1].sum(axis=1)
            if (across >= BAR_SHARE * (c1 - c0)).any():
                cell.marked = True


def ruled_cells(lines):
    """Each cell of the ruled tables the page's lines show, once: not covered by a span, with
    a box."""
    seen: set[int] = set()
    for ln in lines:
        if ln.row is None or ln.table is None or not ln.table.ruled:
            continue
        for cell in ln.row.cells:
            if not cell.covered and cell.box is not None and id(cell) not in seen:
                seen.add(id(cell))
                yield cell


def cell_pixels(cell, scale: float, height_pt: float, inset: int) -> tuple[int, int, int, int]:
    """A cell's box (points, y upwards: top > bottom) as page pixels (left, top, right,
    bottom), `inset` pixels inside its borders; not clipped to the page."""
    x0, top, x1, bottom = cell.box
    return (int(x0 * scale) + inset, int((height_pt - top) * scale) + inset,
            int(x1 * scale) - inset, int((height_pt - bottom) * scale) - inset)


MARK_MIN_IN = 0.05         # inches: a mark's ink (✓, x, ●) is at least this tall and wide; a speck
                           # the median filter left is smaller
MARK_MAX_SHARE = 0.5       # a mark is a character: it fills less than this share of the cell's inside


def mark_inked_cells(lines, ink_image, scale: float, height_pt: float, dpi: float) -> None:
    """An empty ruled cell with a character's worth of ink in it is marked: tesseract drops a
    lone ✓ in a narrow month cell (not a letter of its models), so the schedule it marks
    would be lost. `ink_image` is the binarized page with its rulings erased (ink black)."""
    import numpy as np
    cv2 = opencv.cv2()
    ink = np.asarray(ink_image, dtype=np.uint8) < 128
    h, w = ink.shape
    inset = max(1, int(round(CELL_INSET_IN * dpi)))
    least = MARK_MIN_IN * dpi
    for cell in ruled_cells(lines):
        if cell.text.strip() or cell.shaded:
            continue
        c0, r0, c1, r1 = cell_pixels(cell, scale, height_pt, inset)
        c0, r0, c1, r1 = max(c0, 0), max(r0, 0), min(c1, w), min(r1, h)
        if c1 - c0 < least or r1 - r0 < least:
            continue
        crop = ink[r0:r1, c0:c1]
        if not crop.any() or crop.mean() >= MARK_MAX_SHARE:
            continue
        n, _, stats, _ = cv2.connectedComponentsWithStats(crop.astype(np.uint8), connectivity=8)
        if any(stats[k, cv2.CC_STAT_WIDTH] >= least and stats[k, cv2.CC_STAT_HEIGHT] >= least
               for k in range(1, n)):
            cell.marked = True
