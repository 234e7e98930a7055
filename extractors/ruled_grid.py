"""Ruled tables from rulings: the grid of cells a page's lines enclose, with spans.

Works on geometry only (rulings, filled rectangles and positioned text pieces), so the PDF
reader and a scan's line detector can share it. Coordinates are PDF points, y upwards.

1. rulings that touch each other form a table (a connected set with at least two vertical
   and two horizontal rulings);
2. the table's columns are its vertical rulings' positions, its rows its horizontal ones';
3. two neighbouring grid cells with no ruling between them are one merged cell (a group
   heading merged across the table, a header cell over two rows, "พ.ศ. ๒๕๖๖" over three
   month columns): union-find over the missing boundaries gives column and row spans;
4. text goes to the cell that holds the middle of its line; the lines of a cell are
   joined as wrapped text;
5. a filled rectangle covering most of a cell is the cell's fill (a shaded month); a bar
   or an arrow (a filled strip lower than the cell, or a line that does not end on the
   table's rulings) marks the cells it crosses.
A horizontal line counts as a ruling only where both its ends meet vertical rulings, so a
drawn schedule bar is not taken for a row boundary.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from datamodel.document import Cell, Row, TableBlock
from normalizers.text import join_wrapped

SNAP = 2.5              # points: rulings closer than this are the same line
END_TOUCH = 1.5         # points: a border's ends lie on the rulings across it (a bar's stop short)
TOUCH = 3.0             # points: a ruling's end this close to another ruling meets it
FILL_SHARE = 0.6        # share of a cell's area a filled rectangle covers to be its fill
MARK_SHARE = 0.5        # share of a cell's width a bar crosses to mark it
TOUCH_EM = 0.1          # font sizes: pieces of a line closer than this are one run of text
MIN_BAR = 4.0           # points: shorter drawings (arrowheads, ticks) mark nothing alone
OVERRUN = 6.0           # points: a border may run this far past the frame's outer verticals


@dataclass
class Piece:
    """A run of text on one baseline: x0, x1, baseline y, font size, text."""
    x0: float
    x1: float
    y: float
    size: float
    text: str


@dataclass
class Grid:
    table: TableBlock
    box: tuple[float, float, float, float]      # x0, y0 (bottom), x1, y1 (top)
    xs: list[float] = None                      # column borders, left to right
    ys: list[float] = None                      # row borders, top to bottom
    owner: dict = None                          # grid cell index (row * n_cols + col) -> merged Cell

    def holds(self, x: float, y: float) -> bool:
        x0, y0, x1, y1 = self.box
        return x0 - SNAP <= x <= x1 + SNAP and y0 - SNAP <= y <= y1 + SNAP


def _snap(values) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _merge_collinear(lines):
    """(pos, a, b) segments on the same position (within SNAP of one another) with touching
    extents -> one segment. Positions are grouped first, then each group's segments taken
    along their extent: rounded positions (pos / SNAP) put a column's upper piece at 98.6 and
    its lower one at 99.2 points in two buckets, and the upper one, met first, swallowed the
    lower one's extent (a scan's column border broken at a shaded group row, khonkaen at 150
    dpi: the border below the group row lost, two columns made one)."""
    groups: list[list] = []
    for seg in sorted(lines):
        if groups and seg[0] - groups[-1][-1][0] <= SNAP:
            groups[-1].append(seg)
        else:
            groups.append([seg])
    out = []
    for group in groups:
        merged: list[tuple] = []
        for pos, a, b in sorted(group, key=lambda t: t[1]):
            if merged and a <= merged[-1][2] + TOUCH:
                p, a0, b0 = merged[-1]
                merged[-1] = (p, a0, max(b0, b))
            else:
                merged.append((pos, a, b))
        out += merged
    return out


def _components(vert, horiz):
    """Groups of rulings that touch: (verticals, horizontals) per group."""
    n_v = len(vert)
    parent = list(range(n_v + len(horiz)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (x, y0, y1) in enumerate(vert):
        for j, (y, x0, x1) in enumerate(horiz):
            if x0 - TOUCH <= x <= x1 + TOUCH and y0 - TOUCH <= y <= y1 + TOUCH:
                parent[find(i)] = find(n_v + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, v in enumerate(vert):
        groups.setdefault(find(i), ([], []))[0].append(v)
    for j, h in enumerate(horiz):
        groups.setdefault(find(n_v + j), ([], []))[1].append(h)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _at(lines, positions: list[float]) -> list[list[tuple[float, float]]]:
    """The extents of the rulings that stand at each of `positions` (within SNAP)."""
    out: list[list[tuple[float, float]]] = [[] for _ in positions]
    for p, a, b in lines:
        k = bisect_left(positions, p - SNAP)
        while k < len(positions) and positions[k] <= p + SNAP:
            out[k].append((a, b))
            k += 1
    return out


def _covers(extents, mid) -> bool:
    return any(a - TOUCH <= mid <= b + TOUCH for a, b in extents)


def find_grids(pieces: list[Piece], vert, horiz, fills, page_no: int,
               end_touch: float = END_TOUCH) -> tuple[list[Grid], list[Piece]]:
    """(ruled tables on the page, the pieces outside them). `vert` holds (x, y0, y1),
    `horiz` (y, x0, x1), `fills` (x0, y0, x1, y1, colour) of non-white filled rectangles;
    `end_touch`: how near its ends must lie to the verticals for a horizontal line to be a
    border (a text layer's borders meet exactly; rulings measured on a scan, less so)."""
    vert, horiz = _merge_collinear(vert), _merge_collinear(horiz)
    grids: list[Grid] = []
    for vs, hs in _components(vert, horiz):
        xs = _snap(v[0] for v in vs)
        # a horizontal line is a ruling when both its ends meet verticals, or run a little
        # past the frame's outer ones (a scan's blur or a speck at a border's end: chonburi at
        # 150 dpi, a row border 3.8 points past the frame, two projects made one); else a
        # drawn bar (a bar never leaves the frame)
        left, right = xs[0], xs[-1]
        rules = [h for h in hs if (any(abs(h[1] - x) <= end_touch for x in xs) or left - OVERRUN <= h[1] < left)
                 and (any(abs(h[2] - x) <= end_touch for x in xs) or right < h[2] <= right + OVERRUN)]
        bars = [h for h in hs if h not in rules]
        ys = sorted(_snap(h[0] for h in rules), reverse=True)       # top to bottom
        if len(xs) < 2 or len(ys) < 2:
            continue
        grids.append(_grid(xs, ys, vs, rules, bars, fills, page_no))
    if not grids:
        return [], pieces
    outside, inside = [], {id(g): [] for g in grids}
    for p in pieces:
        mx, my = (p.x0 + p.x1) / 2, p.y + 0.3 * p.size
        g = next((g for g in grids if g.holds(mx, my)), None)
        (inside[id(g)] if g else outside).append(p)
    for g in grids:
        _place_text(g, inside[id(g)])
    return grids, outside


def _grid(xs, ys, vs, rules, bars, fills, page_no) -> Grid:
    n_r, n_c = len(ys) - 1, len(xs) - 1
    parent = list(range(n_r * n_c))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    at_x = _at(vs, xs)
    at_y = _at(rules, sorted(ys))[::-1]              # ys run top to bottom
    for i in range(n_r):
        ymid = (ys[i] + ys[i + 1]) / 2
        for j in range(n_c - 1):
            if not _covers(at_x[j + 1], ymid):
                parent[find(i * n_c + j + 1)] = find(i * n_c + j)
    for i in range(n_r - 1):
        for j in range(n_c):
            xmid = (xs[j] + xs[j + 1]) / 2
            if not _covers(at_y[i + 1], xmid):
                parent[find((i + 1) * n_c + j)] = find(i * n_c + j)
    regions: dict[int, list[int]] = {}
    for k in range(n_r * n_c):
        regions.setdefault(find(k), []).append(k)
    owner: dict[int, Cell] = {}
    rows = [Row([], page_no) for _ in range(n_r)]
    for members in regions.values():
        r0 = min(k // n_c for k in members)
        r1 = max(k // n_c for k in members)
        c0 = min(k % n_c for k in members)
        c1 = max(k % n_c for k in members)
        box = (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])
        cell = Cell("", c0, colspan=c1 - c0 + 1, rowspan=r1 - r0 + 1, box=box)
        rows[r0].cells.append(cell)
        for r in range(r0 + 1, r1 + 1):
            rows[r].cells.append(Cell("", c0, colspan=c1 - c0 + 1, covered=True, box=box))
        for k in members:
            owner[k] = cell
    for row in rows:
        row.cells.sort(key=lambda c: c.col)
    _paint(owner, xs, ys, n_c, fills, bars)
    table = TableBlock(rows, n_c, page_no, ruled=True, xs=list(xs))
    return Grid(table, (xs[0], ys[-1], xs[-1], ys[0]), xs, ys, owner)


def _span(xs, ys, x0, x1, y0, y1):
    """Grid cell indices (row * n_cols + col) a rectangle may touch (bisection on the borders)."""
    n_c, neg = len(xs) - 1, [-y for y in ys]
    j0, j1 = max(0, bisect_right(xs, x0) - 1), min(n_c - 1, bisect_left(xs, x1))
    i0, i1 = max(0, bisect_right(neg, -y1) - 1), min(len(ys) - 2, bisect_left(neg, -y0))
    return [i * n_c + j for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)]


def _paint(owner, xs, ys, n_c, fills, bars) -> None:
    """Fills and drawn bars onto the cells they lie on."""
    for x0, y0, x1, y1, colour in fills:
        for k in _span(xs, ys, x0, x1, y0, y1):
            cell = owner[k]
            i, j = divmod(k, n_c)
            cx0, cx1, ctop, cbot = xs[j], xs[j + 1], ys[i], ys[i + 1]
            w = min(x1, cx1) - max(x0, cx0)
            h = min(y1, ctop) - max(y0, cbot)
            if w <= 0 or h <= 0:
                continue
            if w * h >= FILL_SHARE * (cx1 - cx0) * (ctop - cbot):
                cell.fill = colour
            elif w >= MARK_SHARE * (cx1 - cx0) and x1 - x0 >= MIN_BAR and cbot < (y0 + y1) / 2 < ctop:
                cell.marked = True       # a bar drawn inside the row (not a neighbour's fill)
    for y, x0, x1 in bars:
        if x1 - x0 < MIN_BAR:
            continue
        for k in _span(xs, ys, x0, x1, y, y):
            cell = owner[k]
            i, j = divmod(k, n_c)
            if ys[i + 1] < y < ys[i] and min(x1, xs[j + 1]) - max(x0, xs[j]) >= MARK_SHARE * (xs[j + 1] - xs[j]):
                cell.marked = True


def _place_text(grid: Grid, pieces: list[Piece]) -> None:
    """Each piece to the cell that holds its middle (found by bisection on the borders);
    a cell's lines top to bottom, joined as wrapped text."""
    xs, neg_ys, n_c = grid.xs, [-y for y in grid.ys], len(grid.xs) - 1
    by_cell: dict[int, list[Piece]] = {}
    for p in pieces:
        j = min(max(bisect_right(xs, (p.x0 + p.x1) / 2) - 1, 0), n_c - 1)
        i = min(max(bisect_right(neg_ys, -(p.y + 0.3 * p.size)) - 1, 0), len(neg_ys) - 2)
        cell = grid.owner[i * n_c + j]
        by_cell.setdefault(id(cell), [cell]).append(p)
    for cell, *ps in by_cell.values():
        ps.sort(key=lambda p: (-p.y, p.x0))
        lines: list[list[Piece]] = []
        for p in ps:
            if lines and abs(lines[-1][0].y - p.y) <= 0.35 * max(p.size, lines[-1][0].size):
                lines[-1].append(p)
            else:
                lines.append([p])
        text = ""
        for ln in lines:
            ln.sort(key=lambda p: p.x0)
            run = ln[0].text.strip()
            for a, b in zip(ln, ln[1:]):        # pieces that touch are one run (no space between)
                run += ("" if b.x0 - a.x1 < TOUCH_EM * min(a.size, b.size) else " ") + b.text.strip()
            text = join_wrapped(text, run, soft=True)
        cell.text = text
        confs = [c for p in ps for c in (getattr(p, "confs", None) or [])]
        if confs:                                  # OCR: the cell's mean word confidence, 0..1
            cell.conf = round(sum(confs) / len(confs) / 100.0, 3)
