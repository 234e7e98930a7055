"""The document model every reader fills and every structure finder reads.

A document is pages of blocks in reading order: paragraphs (text, bold, size) and tables
(grids of cells with row/column spans, bold, fill, page and box). Readers know formats
(text, DOCX, PDF, OCR); finders know only this model, so a DOCX merged cell, a PDF cell
closed by rulings and a shaded month cell reach them in the same shape.

`Line` is the reading-order view of the blocks that the line-oriented finders walk
(metadata, headings, declarations, statistics lines): a paragraph line, or one table row
whose `cells` are the row's texts laid on the table's grid (a merged cell's text stands in
its first column) and whose `row` keeps the cells themselves (spans, bold, fill).
"""

from dataclasses import dataclass, field

LOW_OCR_CONFIDENCE = 0.6      # an OCR'd table cell read with less confidence than this is said (and shown)


@dataclass(slots=True)
class Cell:
    text: str
    col: int                      # first grid column
    colspan: int = 1
    rowspan: int = 1
    bold: bool = False
    fill: str | None = None       # background colour (RRGGBB) of a shaded cell; None: no fill
    marked: bool = False          # a drawn bar or arrow crosses the cell (a schedule mark)
    covered: bool = False         # the continuation of a cell merged from the row above
    box: tuple[float, float, float, float] | None = None   # x0, top, x1, bottom (points)
    conf: float | None = None     # OCR confidence (0..1) of the text, where known
    image: bytes | None = None    # OCR: the cell as scanned (PNG), kept when read with low confidence

    @property
    def shaded(self) -> bool:
        return self.fill is not None


@dataclass(slots=True)
class Row:
    """One row of a table. In a ruled PDF or a DOCX a row is a real table row; in text
    and borderless PDF tables it is one printed line (a wrapped cell continues on the next)."""
    cells: list[Cell]
    page: int
    real: bool = True             # a real table row (not one printed line of a wrapped row)

    def texts(self, width: int) -> list[str]:
        out = [""] * max(width, max((c.col + 1 for c in self.cells), default=0))
        for c in self.cells:
            if not c.covered:
                out[c.col] = c.text
        return out

    def at(self, col: int) -> Cell | None:
        """The cell that covers grid column `col`."""
        for c in self.cells:
            if c.col <= col < c.col + c.colspan:
                return c
        return None

    @property
    def spanning(self) -> Cell | None:
        """The one cell of a row merged across (nearly) the whole table (a group heading)."""
        live = [c for c in self.cells if c.text.strip()]
        return live[0] if len(live) == 1 and live[0].colspan > 1 else None


@dataclass
class TableBlock:
    rows: list[Row]
    n_cols: int
    page: int
    ruled: bool = True            # cells closed by rulings or real table cells
    xs: list[float] | None = None  # the grid's column boundaries (points), where known

    def texts(self, k: int) -> list[str]:
        return self.rows[k].texts(self.n_cols)


@dataclass
class Paragraph:
    text: str
    page: int
    bold: bool = False
    size: float | None = None
    soft_wrap: bool = False       # printed lines joined by layout: a break is not a space


Block = Paragraph | TableBlock


@dataclass(slots=True)
class Line:
    """One printed line. `cells` are the table cells when the source knows them
    (tabs in text, table cells in DOCX, columns rebuilt from PDF geometry), else [text]."""
    text: str
    page: int
    cells: list[str] = field(default_factory=list)
    soft_wrap: bool = False      # the source wraps lines by layout (PDF): a line break is not a space
    row: Row | None = None       # the table row this line shows (spans, bold, fill)
    table: TableBlock | None = None
    bold: bool = False

    def __post_init__(self):
        if not self.cells:
            self.cells = [self.text]

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def row_line(table: TableBlock, row: Row, soft_wrap: bool = True) -> Line:
    cells = row.texts(table.n_cols)
    text = " ".join(c.replace("\n", " ") for c in cells if c)
    return Line(text=text, page=row.page, cells=cells, soft_wrap=soft_wrap, row=row, table=table,
                bold=any(c.bold for c in row.cells if c.text.strip()))


def lines_of(blocks: list[Block]) -> list[Line]:
    """The reading-order line view of blocks: a line per paragraph line, a line per table
    row, and a blank line after each table (tables are separate blocks)."""
    out: list[Line] = []
    for b in blocks:
        if isinstance(b, TableBlock):
            out.extend(row_line(b, r) for r in b.rows)
            out.append(Line(text="", page=b.rows[-1].page if b.rows else b.page))
        else:
            parts = b.text.split("\n") if b.text else [""]
            out.extend(Line(text=t.strip(), page=b.page, soft_wrap=b.soft_wrap, bold=b.bold) for t in parts)
    return out


def page_text(lines: list[Line]) -> str:
    """A page's text: table cells separated by tabs, lines by newlines."""
    return "\n".join("\t".join(ln.cells) if len(ln.cells) > 1 else ln.text for ln in lines)


def blocks_of_lines(lines: list[Line]) -> list[Block]:
    """Blocks from a line stream whose table lines carry cells (text and borderless PDF
    and OCR readers rebuild columns line by line): runs of lines with two or more cells
    become a table of printed lines (`Row.real` False), other lines paragraphs."""
    blocks: list[Block] = []
    run: list[Line] = []

    def flush():
        if run:
            if run[0].table is not None and all(ln.table is run[0].table for ln in run):
                blocks.append(run[0].table)      # a reader's real table
            else:
                width = max(len(ln.cells) for ln in run)
                rows = [Row([Cell(t, k) for k, t in enumerate(ln.cells)], ln.page, real=False) for ln in run]
                blocks.append(TableBlock(rows, width, run[0].page, ruled=False))
            run.clear()

    for ln in lines:
        if len(ln.cells) > 1:
            if run and ln.table is not None and run[-1].table is not ln.table:
                flush()
            run.append(ln)
            continue
        flush()
        blocks.append(Paragraph(ln.text, ln.page, bold=ln.bold, soft_wrap=ln.soft_wrap))
    flush()
    return blocks


@dataclass
class Page:
    no: int                      # 1-based
    text: str
    method: str = "text"         # text / repaired / ocr
    quality: float | None = None
    error: str | None = None
    lines: list[Line] = field(default_factory=list)
    images: int = 0              # image objects on the page (a scan has text only through OCR)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class SourceDoc:
    """What a reader returns: pages of blocks, and their lines in reading order."""
    source_format: str           # pdf / txt / docx
    pages: list[Page]
    lines: list[Line]
    encoding: str | None = None
    path: str | None = None
    page_total: int | None = None     # pages in the file (more than `pages` when limited)

    @property
    def blocks(self) -> list[Block]:
        return [b for p in self.pages for b in p.blocks]

    def relink(self) -> None:
        """Rebuild `lines` from the pages' lines (after a page was re-read, e.g. by OCR)."""
        self.lines = [ln for p in self.pages for ln in p.lines]
