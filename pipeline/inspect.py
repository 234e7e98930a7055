"""`thaiplan inspect FILE --page N`: what the extractors understood on one page, drawn over it.

The document is read and its structure found by the pipeline's own stages (read, score,
OCR where needed, metadata, structures) for pages 1..N (a table that starts earlier keeps its
header), then every table row on page N is classified: header, group, project, subtotal, total,
or continuation (a wrapped or continued line folded into the row above). A PDF page is rendered
with pypdfium2 and the rows' cell boxes, schedule marks (shaded or marked cells) and a label
over each column (its role) are laid over it; a DOCX or TXT page, which has no geometry, is
drawn as its blocks stacked as boxes of text. Rows without boxes (borderless PDF tables) are
listed in the page's tables, not boxed. output/inspect_view.py draws the HTML or PNG.
"""

import io
from pathlib import Path

from datamodel.document import Paragraph, TableBlock
from extractors.tables import is_header
from output.inspect_view import PageView, RowView, Shape, TableView
from pipeline.document import (DocContext, InputError, find_metadata, find_structures, read_source,
                               recover_pages, score_pages)
from pipeline.settings import Settings

RENDER_SCALE = 2.0          # page image pixels per PDF point
SYNTH_WIDTH = 595.0         # a DOCX/TXT page drawn on an A4-wide sheet (points)
SYNTH_MARGIN = 24.0
SYNTH_LINE = 14.0           # points per line of text in a drawn block
SYNTH_GAP = 6.0
SYNTH_CHARS = 90            # characters per line of a paragraph box across the sheet


def read_structure(path: Path, page_no: int, settings: Settings | None = None) -> DocContext:
    """The pipeline's read and structure stages over pages 1..page_no."""
    ctx = DocContext(path=Path(path), settings=settings or Settings(), pages_wanted=range(1, page_no + 1))
    ctx.data = ctx.path.read_bytes()
    for stage in (read_source, score_pages, recover_pages, find_metadata, find_structures):
        stage(ctx)
    return ctx


def _row_roles(ctx: DocContext, table) -> list[tuple[int, str, object]]:
    """(line index, role, TableRow or None) of every non-blank line the table spans."""
    items = {it.line_index: it for it in table.items}
    first = min(items, default=table.end)
    lines = ctx.source.lines
    out = []
    for j in range(table.start, min(table.end, len(lines))):
        ln = lines[j]
        if ln.blank:
            continue
        if j in items:
            out.append((j, items[j].role, items[j]))
        elif j < first or is_header(ln, lines[j + 1] if j + 1 < len(lines) else None):
            out.append((j, "header", None))
        else:
            out.append((j, "continuation", None))
    return out


def _flip(box, height: float):
    """A model box (x0, top, x1, bottom; y upwards) as x0, top, x1, bottom with y downwards."""
    x0, top, x1, bottom = box
    return (min(x0, x1), height - max(top, bottom), max(x0, x1), height - min(top, bottom))


def _table_views(ctx: DocContext, page_no: int) -> list[TableView]:
    views = []
    for k, table in enumerate(ctx.tables, 1):
        rows = []
        for j, role, item in _row_roles(ctx, table):
            ln = ctx.source.lines[j]
            if ln.page != page_no:
                continue
            texts = list(item.cells) if item is not None else list(ln.cells)
            model = ln.row if ln.row is not None else (item.row if item is not None else None)
            cells, marks = [], set()
            for c in (model.cells if model is not None else []):
                if c.covered:
                    continue
                if c.shaded or c.marked:
                    marks.update(range(c.col, c.col + c.colspan))
                cells.append((c.col, c.colspan, c.box, c.shaded or c.marked, c.text))
            rows.append(RowView(role=role, texts=texts, cells=cells, marks=sorted(marks), line=j,
                                seq=".".join(map(str, item.seq.parts)) if item is not None and item.seq is not None
                                and item.seq.parts else None))
        if rows:
            ruled = bool(table.block is not None and table.block.ruled)
            views.append(TableView(no=k, kind=table.kind, first_page=table.page, roles=list(table.roles),
                                   ruled=ruled, rows=rows))
    return views


def _pdf_shapes(tables: list[TableView], height: float) -> list[Shape]:
    shapes = []
    for t in tables:
        cols: dict[int, tuple[float, float, float]] = {}      # col -> x0, x1, top of its first box
        for r in t.rows:
            boxes = [(col, span, _flip(b, height), mark) for col, span, b, mark, _ in r.cells if b is not None]
            if not boxes:
                continue
            x0 = min(b[0] for _, _, b, _ in boxes)
            x1 = max(b[2] for _, _, b, _ in boxes)
            top = min(b[1] for _, _, b, _ in boxes)
            bottom = max(b[3] for _, _, b, _ in boxes)
            shapes.append(Shape("row", (x0, top, x1, bottom), r.role, f"{r.role} · line {r.line}"))
            for col, span, b, mark in boxes:
                shapes.append(Shape("cell", b, r.role, ""))
                if mark:
                    shapes.append(Shape("mark", b, "mark", "schedule mark"))
                if span == 1:
                    c = cols.get(col)
                    cols[col] = (min(b[0], c[0]), max(b[2], c[1]), min(b[1], c[2])) if c else (b[0], b[2], b[1])
        if cols:
            top = min(c[2] for c in cols.values())
            for col, (x0, x1, _) in sorted(cols.items()):
                role = t.roles[col] if col < len(t.roles) else None
                shapes.append(Shape("label", (x0, top - 11, x1, top - 1), "label", role or "·"))
    return shapes


def _synthetic(ctx: DocContext, page, tables: list[TableView]) -> tuple[float, list[Shape]]:
    """A page without geometry: its blocks stacked top to bottom as boxes of text."""
    shapes: list[Shape] = []
    y = SYNTH_MARGIN
    inner = SYNTH_WIDTH - 2 * SYNTH_MARGIN
    by_line = {r.line: (t, r) for t in tables for r in t.rows}
    line_no = {id(ln): j for j, ln in enumerate(ctx.source.lines)}
    page_lines = [ln for ln in ctx.source.lines if ln.page == page.no]
    shown_labels: set[int] = set()
    for ln in page_lines:
        j = line_no[id(ln)]
        hit = by_line.get(j)
        if ln.blank and hit is None:
            y += SYNTH_GAP
            continue
        if hit is None:
            n = max(1, -(-len(ln.text) // SYNTH_CHARS))
            h = n * SYNTH_LINE + 4
            shapes.append(Shape("paragraph", (SYNTH_MARGIN, y, SYNTH_MARGIN + inner, y + h), "paragraph", ln.text))
            y += h + 2
            continue
        t, r = hit
        width = max(len(t.roles), len(r.texts), 1)
        weights = [3.0 if (t.roles[i] if i < len(t.roles) else None) == "name" else 1.0 for i in range(width)]
        total = sum(weights)
        xs = [SYNTH_MARGIN]
        for w in weights:
            xs.append(xs[-1] + inner * w / total)
        if t.no not in shown_labels:
            shown_labels.add(t.no)
            for i in range(width):
                role = t.roles[i] if i < len(t.roles) else None
                shapes.append(Shape("label", (xs[i], y, xs[i + 1], y + 11), "label", role or "·"))
            y += 12
        n = max([1] + [-(-len(s) // max(1, int(SYNTH_CHARS * weights[i] / total))) for i, s in enumerate(r.texts) if s])
        h = min(n, 4) * SYNTH_LINE + 4
        shapes.append(Shape("row", (xs[0], y, xs[-1], y + h), r.role, f"{r.role} · line {r.line}"))
        for i, s in enumerate(r.texts):
            shapes.append(Shape("cell", (xs[i], y, xs[i + 1], y + h), r.role, s))
            if i in r.marks:
                shapes.append(Shape("mark", (xs[i], y, xs[i + 1], y + h), "mark", "schedule mark"))
        y += h
    return y + SYNTH_MARGIN, shapes


def _render_pdf(path: Path, page_no: int, password: str | None) -> tuple[float, float, bytes]:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(path), password=password)
    try:
        page = doc[page_no - 1]
        width, height = page.get_size()
        img = page.render(scale=RENDER_SCALE).to_pil().convert("RGB")
        buf = io.BytesIO()
        img.save(buf, format="PNG", optimize=True)
        return width, height, buf.getvalue()
    finally:
        doc.close()


def inspect_page(path: Path, page_no: int, settings: Settings | None = None) -> PageView:
    """The drawing of page `page_no` of `path` with what was understood on it."""
    path = Path(path)
    ctx = read_structure(path, page_no, settings)
    pages = {p.no: p for p in ctx.source.pages}
    if page_no not in pages:
        raise InputError(f"no page {page_no} (the document has {ctx.source.page_total or len(pages)})")
    page = pages[page_no]
    tables = _table_views(ctx, page_no)
    if ctx.source.source_format == "pdf":
        width, height, png = _render_pdf(path, page_no, ctx.settings.password)
        shapes = _pdf_shapes(tables, height)
    else:
        png = None
        width = SYNTH_WIDTH
        height, shapes = _synthetic(ctx, page, tables)
    blocks = sum(1 for b in page.blocks if isinstance(b, (Paragraph, TableBlock)))
    return PageView(path=str(path), name=path.name, page_no=page_no,
                    page_count=ctx.source.page_total or len(ctx.source.pages),
                    source_format=ctx.source.source_format, method=page.method, quality=page.quality,
                    width=width, height=height, png=png, shapes=shapes, tables=tables, blocks=blocks,
                    office=ctx.meta.office, fiscal_year_be=ctx.meta.fiscal_year_be)
