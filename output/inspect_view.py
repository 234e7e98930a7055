"""The drawing of `thaiplan inspect`: one page with what the extractors understood on it, as a
self-contained HTML page (the page image as a PNG data URI under an SVG overlay, or the page's
blocks as boxes of text), as a PNG, and as a short text summary.

Boxes are in page points, x rightwards and y downwards from the page's top-left corner."""

import base64
import io
from dataclasses import dataclass, field
from pathlib import Path

from output.html import esc, page, short

ROLE_COLORS = {"header": "#2f7d46", "group": "#7a5aa6", "project": "#2f6f9f", "subtotal": "#e08a2e",
               "total": "#b8443b", "continuation": "#8a8a8a", "paragraph": "#bbbbbb",
               "mark": "#f2c230", "label": "#2f7d46"}
ROLES = ("header", "group", "project", "subtotal", "total", "continuation")
PNG_SCALE = 2.0              # PNG pixels per point for pages drawn without an image
LABEL_FONT_PT = 8
TEXT_FONT_PT = 9
THAI_FONTS = ("/usr/share/fonts/truetype/tlwg/Garuda.ttf", "/usr/share/fonts/truetype/tlwg/Loma.ttf",
              "/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf")


@dataclass
class Shape:
    kind: str                       # row / cell / mark / label / paragraph
    box: tuple[float, float, float, float]     # x0, top, x1, bottom (points, y downwards)
    role: str                       # colour key: a row role, "mark", "label" or "paragraph"
    text: str = ""                  # the label, the cell's text (drawn pages) or a tooltip


@dataclass
class RowView:
    role: str                       # header / group / project / subtotal / total / continuation
    texts: list[str]
    cells: list[tuple]              # (col, colspan, model box or None, marked, text)
    marks: list[int]                # grid columns carrying a schedule mark (shaded or drawn)
    line: int                       # index of the printed line in the document
    seq: str | None = None


@dataclass
class TableView:
    no: int                         # the table's number in the document (1-based)
    kind: str
    first_page: int
    roles: list[str | None]
    ruled: bool
    rows: list[RowView] = field(default_factory=list)


@dataclass
class PageView:
    path: str
    name: str
    page_no: int
    page_count: int
    source_format: str
    method: str
    quality: float | None
    width: float
    height: float
    png: bytes | None               # the rendered page (PDF), None for a drawn page
    shapes: list[Shape]
    tables: list[TableView]
    blocks: int
    office: str | None = None
    fiscal_year_be: int | None = None


def summary(view: PageView) -> str:
    """A few lines for the terminal: the page, then each table's roles and row roles."""
    q = "-" if view.quality is None else f"{view.quality:.2f}"
    out = [f"{view.name} · page {view.page_no} of {view.page_count} · {view.source_format} · "
           f"text {view.method} · quality {q} · {view.blocks} blocks · {len(view.tables)} tables"]
    if view.office or view.fiscal_year_be:
        out.append(f"  office {view.office or '-'} · fiscal year {view.fiscal_year_be or '-'}")
    for t in view.tables:
        counts = {r: sum(1 for x in t.rows if x.role == r) for r in ROLES}
        rows = ", ".join(f"{n} {r}" for r, n in counts.items() if n)
        marks = sum(len(r.marks) for r in t.rows)
        boxed = sum(1 for r in t.rows if any(c[2] is not None for c in r.cells))
        cont = "" if t.first_page == view.page_no else f" (continued from page {t.first_page})"
        out.append(f"  table {t.no}: {t.kind}, {'ruled' if t.ruled else 'borderless'}{cont}")
        out.append(f"    columns: {' | '.join(r or '·' for r in t.roles)}")
        out.append(f"    rows: {rows or 'none'} · {marks} schedule marks · {boxed} rows with cell boxes")
    if not view.tables:
        out.append("  no table found on this page")
    return "\n".join(out)


def _svg(view: PageView) -> str:
    parts = [f'<svg class="overlay" viewBox="0 0 {view.width:.1f} {view.height:.1f}" '
             f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="none">']
    drawn = view.png is None
    if drawn:
        parts.append(f'<rect x="0" y="0" width="{view.width:.1f}" height="{view.height:.1f}" fill="#fff"/>')
    for s in view.shapes:
        x0, top, x1, bottom = s.box
        w, hgt = max(0.5, x1 - x0), max(0.5, bottom - top)
        color = ROLE_COLORS.get(s.role, "#444")
        if s.kind == "row":
            parts.append(f'<rect class="row {esc(s.role)}" x="{x0:.1f}" y="{top:.1f}" width="{w:.1f}" '
                         f'height="{hgt:.1f}" fill="{color}" fill-opacity="0.13" stroke="{color}" '
                         f'stroke-width="1.2"><title>{esc(s.text)}</title></rect>')
        elif s.kind == "cell":
            parts.append(f'<rect class="cell" x="{x0:.1f}" y="{top:.1f}" width="{w:.1f}" height="{hgt:.1f}" '
                         f'fill="none" stroke="{color}" stroke-width="0.5"/>')
            if drawn and s.text:
                parts.append(f'<text x="{x0 + 2:.1f}" y="{top + TEXT_FONT_PT + 1:.1f}" font-size="{TEXT_FONT_PT}">'
                             f'<title>{esc(s.text)}</title>{esc(short(s.text.replace(chr(10), " "), max(3, int(w / 5))))}</text>')
        elif s.kind == "mark":
            parts.append(f'<rect class="mark" x="{x0 + 1:.1f}" y="{top + 1:.1f}" width="{max(0.5, w - 2):.1f}" '
                         f'height="{max(0.5, hgt - 2):.1f}" fill="{color}" fill-opacity="0.45" stroke="#a07800" '
                         f'stroke-dasharray="2 1"><title>{esc(s.text)}</title></rect>')
        elif s.kind == "label":
            parts.append(f'<rect x="{x0:.1f}" y="{top:.1f}" width="{w:.1f}" height="{hgt:.1f}" fill="#fff" '
                         f'fill-opacity="0.85" stroke="{color}" stroke-width="0.4"/>'
                         f'<text class="label" x="{(x0 + x1) / 2:.1f}" y="{bottom - 2:.1f}" text-anchor="middle" '
                         f'font-size="{LABEL_FONT_PT}" fill="{color}">{esc(s.text)}</text>')
        elif s.kind == "paragraph":
            parts.append(f'<rect class="paragraph" x="{x0:.1f}" y="{top:.1f}" width="{w:.1f}" height="{hgt:.1f}" '
                         f'fill="#f6f6f6" stroke="{color}" stroke-width="0.5"/>'
                         f'<text x="{x0 + 3:.1f}" y="{top + TEXT_FONT_PT + 2:.1f}" font-size="{TEXT_FONT_PT}">'
                         f'<title>{esc(s.text)}</title>{esc(short(s.text, int(w / 4.5)))}</text>')
    parts.append("</svg>")
    return "".join(parts)


INSPECT_CSS = """
.sheet{position:relative;max-width:100%;border:1px solid #ccc;margin:8px 0}
.sheet img,.sheet svg.overlay{display:block;width:100%;height:auto}
.sheet svg.overlay{position:absolute;left:0;top:0;height:100%}
.sheet.drawn svg.overlay{position:static;height:auto}
.legend span{display:inline-block;padding:1px 8px;margin:2px;border-radius:3px;color:#fff;font-size:13px}
tr.header td{background:#e7f3ea} tr.group td{background:#efe9f7} tr.subtotal td{background:#fcefdf}
tr.total td{background:#f7e1df} tr.continuation td{color:#777} td.marked{background:#f7e59a}
"""


def _legend() -> str:
    items = [*ROLES, "mark"]
    return '<p class="legend">' + "".join(
        f'<span style="background:{ROLE_COLORS[r]}">{esc(r)}</span>' for r in items) + "</p>"


def _grid(t: TableView) -> str:
    width = max([len(t.roles)] + [len(r.texts) for r in t.rows])
    head = "".join(f"<th>{esc(t.roles[i] if i < len(t.roles) else '') or '·'}</th>" for i in range(width))
    body = []
    for r in t.rows:
        tds = "".join(f'<td{" class=marked" if i in r.marks else ""}>{esc(short((r.texts[i] if i < len(r.texts) else "").replace(chr(10), " "), 60))}</td>'
                      for i in range(width))
        body.append(f'<tr class="{esc(r.role)}"><td>{esc(r.role)}</td>{tds}</tr>')
    return (f"<h2>table {t.no}: {esc(t.kind)}, {'ruled' if t.ruled else 'borderless'}, "
            f"first printed on page {t.first_page}</h2><div class=scroll><table><thead><tr><th>row role</th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>")


def render_html(view: PageView) -> str:
    if view.png is not None:
        uri = "data:image/png;base64," + base64.b64encode(view.png).decode("ascii")
        sheet = f'<div class="sheet"><img src="{uri}" alt="page {view.page_no}">{_svg(view)}</div>'
    else:
        sheet = f'<div class="sheet drawn">{_svg(view)}</div>'
    summary_text = f"<pre class=summary>{esc(summary(view))}</pre>"
    body = _legend() + summary_text + sheet + "".join(_grid(t) for t in view.tables)
    return page(f"{view.name} · page {view.page_no}", body,
                subtitle=f"thaiplan inspect · {view.path}", extra_css=INSPECT_CSS)


def _font(size: int):
    from PIL import ImageFont
    for f in THAI_FONTS:
        if Path(f).exists():
            return ImageFont.truetype(f, size)
    return ImageFont.load_default()


def render_png(view: PageView) -> bytes:
    """The page with the overlay drawn in (PIL): the same shapes as the HTML's SVG."""
    from PIL import Image, ImageDraw
    if view.png is not None:
        base = Image.open(io.BytesIO(view.png)).convert("RGB")
    else:
        base = Image.new("RGB", (int(view.width * PNG_SCALE), int(view.height * PNG_SCALE)), "white")
    scale = base.width / view.width
    over = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(over)
    label_font, text_font = _font(int(LABEL_FONT_PT * scale)), _font(int(TEXT_FONT_PT * scale))

    def rgb(hexcolor: str, alpha: int):
        return tuple(int(hexcolor[i:i + 2], 16) for i in (1, 3, 5)) + (alpha,)
    for s in view.shapes:
        box = [v * scale for v in s.box]
        color = ROLE_COLORS.get(s.role, "#444444")
        if s.kind == "row":
            draw.rectangle(box, fill=rgb(color, 34), outline=rgb(color, 255), width=max(1, int(scale)))
        elif s.kind == "cell":
            draw.rectangle(box, outline=rgb(color, 160), width=1)
            if view.png is None and s.text:
                draw.text((box[0] + 3, box[1] + 2), short(s.text.replace("\n", " "), max(3, int((box[2] - box[0]) / (5 * scale)))),
                          fill=(30, 30, 30, 255), font=text_font)
        elif s.kind == "mark":
            draw.rectangle([box[0] + 2, box[1] + 2, box[2] - 2, box[3] - 2], fill=rgb(color, 115))
        elif s.kind == "label":
            draw.rectangle(box, fill=(255, 255, 255, 220), outline=rgb(color, 255))
            draw.text(((box[0] + box[2]) / 2, box[3] - 1), s.text, fill=rgb(color, 255), font=label_font, anchor="mb")
        elif s.kind == "paragraph":
            draw.rectangle(box, fill=(246, 246, 246, 255), outline=rgb(color, 255))
            draw.text((box[0] + 4, box[1] + 2), short(s.text, int((box[2] - box[0]) / (4.5 * scale))),
                      fill=(30, 30, 30, 255), font=text_font)
    out = Image.alpha_composite(base.convert("RGBA"), over).convert("RGB")
    buf = io.BytesIO()
    out.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
