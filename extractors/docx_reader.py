"""DOCX plans: paragraphs and real tables, in body order, as lines with cells.

A table row becomes one line whose cells are the row's cells (a merged cell counts once,
its paragraphs joined by newlines), so the same table finder reads DOCX, text and PDF.
DOCX has no fixed pages: explicit page breaks (and the page breaks Word recorded when it
last laid the document out) number the pages.
"""

import zipfile
from pathlib import Path

from normalizers.text import drop_zero_width
from datamodel.document import Cell, Page, Paragraph, Row, SourceDoc, TableBlock, lines_of, page_text

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class UnreadableDocx(ValueError):
    pass


def _breaks(element) -> int:
    n = 0
    for br in element.iter(f"{_W}br"):
        if br.get(f"{_W}type") == "page":
            n += 1
    n += sum(1 for _ in element.iter(f"{_W}lastRenderedPageBreak"))
    return n


MAX_UNPACKED_MB = 200      # a DOCX expanding to more than this is refused (decompression bomb)
MAX_RATIO = 200            # ... as is any member that expands more than this many times


def _check_package(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except zipfile.BadZipFile:
        raise UnreadableDocx("not a Word document (.docx): not a ZIP package") from None
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise UnreadableDocx("not a Word document (.docx): a ZIP without word/document.xml") from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_MB * 2**20:
        raise UnreadableDocx(f"decompression bomb: expands to {total / 2**20:.0f} MB "
                             f"(limit {MAX_UNPACKED_MB} MB)")
    for i in infos:
        if i.compress_size and i.file_size > 10 * 2**20 and i.file_size / i.compress_size > MAX_RATIO:
            raise UnreadableDocx(f"decompression bomb: {i.filename} expands {i.file_size // i.compress_size}x")


def _on(el) -> bool:
    """A toggle property (w:b) that is present and not switched off."""
    return el is not None and el.get(f"{_W}val") not in ("0", "false", "off")


def _para_text(p) -> tuple[str, bool]:
    """(text, bold): the paragraph's runs, tabs and line breaks kept; bold when every
    visible run is bold (or the paragraph style's run properties say so)."""
    parts, bolds = [], []
    ppr_bold = _on(p.find(f"{_W}pPr/{_W}rPr/{_W}b"))
    for r in p.iter(f"{_W}r"):
        text = ""
        for node in r:
            if node.tag == f"{_W}t":         # zero-width spaces pasted from the web hide numbering (#13.15)
                text += drop_zero_width(node.text or "")
            elif node.tag == f"{_W}tab":
                text += "\t"
            elif node.tag in (f"{_W}br", f"{_W}cr") and node.get(f"{_W}type") != "page":
                text += "\n"
        if text:
            parts.append(text)
            if text.strip():
                bolds.append(_on(r.find(f"{_W}rPr/{_W}b")) or ppr_bold)
    return "".join(parts), bool(bolds) and all(bolds)


def _fill(tcpr) -> str | None:
    shd = tcpr.find(f"{_W}shd") if tcpr is not None else None
    if shd is None:
        return None
    fill = (shd.get(f"{_W}fill") or "").upper()
    pattern = shd.get(f"{_W}val") or ""
    if fill in ("", "AUTO", "FFFFFF") and pattern in ("", "clear", "nil"):
        return None
    return fill if fill not in ("", "AUTO") else "000000"


def _table(tbl, page: int) -> tuple[TableBlock, int]:
    """A w:tbl as a grid: gridSpan gives column spans, vMerge row spans (the continued
    cells are `covered`), w:shd the fill. Returns the block and the page it ends on."""
    rows: list[Row] = []
    open_cells: dict[int, Cell] = {}       # grid column -> cell merged downwards from above
    width = 0
    for tr in tbl.iterchildren(f"{_W}tr"):
        page += _breaks(tr)
        cells: list[Cell] = []
        col = 0
        trpr = tr.find(f"{_W}trPr")
        if trpr is not None:
            before = trpr.find(f"{_W}gridBefore")
            if before is not None:
                col += int(before.get(f"{_W}val") or 0)
        for tc in tr.iterchildren(f"{_W}tc"):
            tcpr = tc.find(f"{_W}tcPr")
            span = 1
            vmerge = None
            if tcpr is not None:
                gs = tcpr.find(f"{_W}gridSpan")
                if gs is not None:
                    span = max(1, int(gs.get(f"{_W}val") or 1))
                vm = tcpr.find(f"{_W}vMerge")
                if vm is not None:
                    vmerge = vm.get(f"{_W}val") or "continue"
            texts, bolds = [], []
            for p in tc.iter(f"{_W}p"):
                t, b = _para_text(p)
                if t.strip():
                    texts.append(t.strip())
                    bolds.append(b)
            cell = Cell("\n".join(texts), col, colspan=span, bold=bool(bolds) and all(bolds),
                        fill=_fill(tcpr))
            if vmerge == "continue" and col in open_cells:
                top = open_cells[col]
                top.rowspan += 1
                cell.covered = True
                cell.text = ""
            elif vmerge == "restart":
                open_cells[col] = cell
            else:
                open_cells.pop(col, None)
            cells.append(cell)
            col += span
        width = max(width, col)
        rows.append(Row(cells, page))
    return TableBlock(rows, width, rows[0].page if rows else page), page


def read_docx(path: Path) -> SourceDoc:
    _check_package(path)
    try:
        import docx
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise UnreadableDocx(f"not a Word document (.docx): {' '.join(str(e).split())}") from None
    except Exception as e:  # lxml errors, missing parts
        raise UnreadableDocx(f"damaged Word document: {e.__class__.__name__}") from None
    page = 1
    blocks: list = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            page += _breaks(child)
            text, bold = _para_text(child)
            blocks.append(Paragraph(text.strip(), page, bold=bold))
        elif child.tag == f"{_W}tbl":
            table, page = _table(child, page)
            if table.rows:
                blocks.append(table)
    pages = []
    for no in range(1, page + 1):
        mine = [b for b in blocks if b.page == no]
        lines = lines_of(mine)
        pages.append(Page(no=no, text=page_text(lines), method="text", lines=lines, blocks=mine))
    src = SourceDoc(source_format="docx", pages=[p for p in pages if p.blocks or p.no == 1], lines=[])
    src.relink()
    return src
