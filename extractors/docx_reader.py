"""DOCX plans: paragraphs and real tables, in body order, as lines with cells.

A table row becomes one line whose cells are the row's cells (a merged cell counts once,
its paragraphs joined by newlines), so the same table finder reads DOCX, text and PDF.
DOCX has no fixed pages: explicit page breaks (and the page breaks Word recorded when it
last laid the document out) number the pages.
"""

import zipfile
from pathlib import Path

from datamodel.document import Line, Page, SourceDoc

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


def read_docx(path: Path) -> SourceDoc:
    _check_package(path)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise UnreadableDocx(f"not a Word document (.docx): {' '.join(str(e).split())}") from None
    except Exception as e:  # lxml errors, missing parts
        raise UnreadableDocx(f"damaged Word document: {e.__class__.__name__}") from None
    page = 1
    lines: list[Line] = []
    texts: dict[int, list[str]] = {1: []}
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            para = Paragraph(child, document)
            page += _breaks(child)
            texts.setdefault(page, [])
            text = para.text
            for part in text.split("\n"):
                lines.append(Line(text=part.strip(), page=page))
                texts[page].append(part)
        elif child.tag == f"{_W}tbl":
            table = Table(child, document)
            for row in table.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append("\n".join(p.text.strip() for p in cell.paragraphs).strip())
                text = "\t".join(cells)
                lines.append(Line(text=text.replace("\n", " ").strip(), page=page, cells=cells))
                texts[page].append(text)
            lines.append(Line(text="", page=page))
    pages = [Page(no=n, text="\n".join(t), method="text") for n, t in sorted(texts.items())]
    return SourceDoc(source_format="docx", pages=pages, lines=lines)
