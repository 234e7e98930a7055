"""Self-contained HTML with inline SVG charts and a few lines of inline script (sortable and
filterable tables): nothing from the network (Thai renders with the system's Thai fonts).
Pages are readable at phone width: charts scale to the screen, wide tables scroll inside
their own box, and the page itself never scrolls sideways."""

import html
from datetime import date

from output import thai

WIDTH = 960
LABEL_W = 380
ROW_H = 22
PALETTE = ("#2f6f9f", "#e08a2e", "#4a9b5f", "#b8443b", "#7a5aa6", "#8c6d46")
MONTH_TH = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
BE_OFFSET = 543

CSS = """
*{box-sizing:border-box}
body{font-family:"Laksaman","Garuda","Loma","Noto Sans Thai",sans-serif;margin:0 auto;padding:16px;color:#222;max-width:1100px}
h1{font-size:24px;margin:0 0 4px;overflow-wrap:anywhere} h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd}
h3{font-size:16px;margin:18px 0 6px}
.scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;font-size:14px;margin:6px 0 16px} td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#f3f3f3;text-align:left} td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.sortable th{cursor:pointer;user-select:none} table.sortable th[aria-sort=ascending]::after{content:" ▲"}
table.sortable th[aria-sort=descending]::after{content:" ▼"}
th .en,h2 .en,.kpis .en{display:block;font-weight:normal;font-size:11px;color:#777}
.error{color:#b8443b;font-weight:bold} .warning{color:#b8792e} .info{color:#666}
.ok{color:#2f7d46} .failed{color:#b8443b;font-weight:bold} .partial{color:#b8792e;font-weight:bold} .superseded{color:#888;text-decoration:line-through}
svg text{font-family:inherit} svg.chart{max-width:100%;height:auto} .muted{color:#777;font-size:13px;overflow-wrap:anywhere}
.kpis{display:flex;flex-wrap:wrap;gap:8px 24px;margin:10px 0} .kpi{font-size:30px;font-weight:bold;display:block}
input.filter{font:inherit;padding:4px 8px;width:min(100%,360px);margin:4px 0}
.legend{font-size:13px} .legend i{display:inline-block;width:14px;height:10px;margin:0 4px 0 10px;vertical-align:middle}
pre{white-space:pre-wrap;overflow-wrap:anywhere}
img.cell-scan{display:block;max-width:240px;max-height:90px;border:1px solid #ccc;background:#fff}
@media (max-width:600px){body{padding:8px} h1{font-size:20px} table{font-size:12px} .kpi{font-size:22px}}
"""

# click a header to sort its table (numbers by data-v, text in Thai order); type in a filter box
# to keep the rows that contain the text
SCRIPT = """
(function(){
function key(r,i){var c=r.cells[i];if(!c)return "";var v=c.getAttribute("data-v");return v!==null&&v!==""?parseFloat(v):c.textContent.trim();}
function cmp(x,y){var nx=typeof x==="number",ny=typeof y==="number";if(nx&&ny)return x-y;if(nx)return -1;if(ny)return 1;return x.localeCompare(y,"th");}
document.querySelectorAll("table.sortable").forEach(function(t){
 t.querySelectorAll("thead th").forEach(function(th,i){th.addEventListener("click",function(){
  var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),asc=th.getAttribute("aria-sort")!=="ascending";
  t.querySelectorAll("thead th").forEach(function(x){x.removeAttribute("aria-sort");});
  th.setAttribute("aria-sort",asc?"ascending":"descending");
  rows.sort(function(a,c){var r=cmp(key(a,i),key(c,i));return asc?r:-r;});
  rows.forEach(function(r){b.appendChild(r);});});});});
document.querySelectorAll("input.filter").forEach(function(inp){
 var t=document.getElementById(inp.getAttribute("data-table"));
 inp.addEventListener("input",function(){var q=inp.value.trim().toLowerCase(),n=0;
  Array.prototype.forEach.call(t.tBodies[0].rows,function(r){var hide=q!==""&&r.textContent.toLowerCase().indexOf(q)<0;r.hidden=hide;if(!hide)n++;});
  var out=document.getElementById(inp.getAttribute("data-table")+"-count");if(out)out.textContent=n;});});
})();
"""


class Raw(str):
    """Markup made here (a link, a two-language label): written as is, not escaped."""


def esc(value) -> str:
    if isinstance(value, Raw):
        return value
    return html.escape("" if value is None else str(value))


def bi(key: str) -> Raw:
    """A label in Thai with its English under it."""
    return Raw(f'{esc(thai.th(key))}<span class="en">{esc(thai.en(key))}</span>')


def link(href: str, text) -> Raw:
    return Raw(f'<a href="{esc(href)}">{esc(text)}</a>')


def short(text: str, n: int = 48) -> str:
    text = str(text or "")
    return text if len(text) <= n else text[: n - 1] + "…"


def short_office(office: str | None) -> str:
    """'สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต 2' -> 'สพป.เชียงใหม่ เขต 2'."""
    text = str(office or "")
    return (text.replace("สำนักงานเขตพื้นที่การศึกษาประถมศึกษา", "สพป.")
                .replace("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา", "สพม."))


def money(v) -> str:
    return "" if v is None else f"{v:,.2f}"


def page(title: str, body: str, subtitle: str = "", extra_css: str = "", script: bool = True) -> str:
    return (f'<!DOCTYPE html>\n<html lang="th"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{CSS}{extra_css}</style></head><body><h1>{esc(title)}</h1>"
            f'<div class="muted">{esc(subtitle)}</div>{body}'
            + (f"<script>{SCRIPT}</script>" if script else "") + "</body></html>\n")


def _cell(value, numeric: bool) -> str:
    """A cell: a value, Raw markup, or (shown, sort key) for a number shown formatted."""
    shown, sort = (value if isinstance(value, tuple) else (value, value))
    if numeric:
        v = "" if sort is None or isinstance(sort, str) and not sort else sort
        try:
            v = f"{float(v):.6g}" if v != "" else ""
        except (TypeError, ValueError):
            v = ""
        return f'<td class="num" data-v="{v}">{esc(shown)}</td>'
    return f"<td>{esc(shown)}</td>"


def table(headers: list, rows: list[list], numeric: set[int] = frozenset(), classes=None,
          table_id: str | None = None, filter_box: bool = False) -> str:
    """A sortable table (click a header), with a filter box above it when asked (needs an id)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for i, row in enumerate(rows):
        cls = f' class="{classes[i]}"' if classes and classes[i] else ""
        body.append(f"<tr{cls}>{''.join(_cell(v, j in numeric) for j, v in enumerate(row))}</tr>")
    tid = f' id="{esc(table_id)}"' if table_id else ""
    box = ""
    if filter_box and table_id:
        box = (f'<div><input class="filter" type="search" data-table="{esc(table_id)}" '
               f'placeholder="{esc(thai.th("filter"))} · {esc(thai.en("filter"))}" aria-label="filter"> '
               f'<span class="muted"><span id="{esc(table_id)}-count">{len(rows)}</span> / {len(rows)} · '
               f'{esc(thai.th("sort_hint"))}</span></div>')
    return (f'{box}<div class="scroll"><table class="sortable"{tid}><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def bar_chart(items: list[tuple[str, float]], fmt=lambda v: f"{v:,.0f}", chart_id: str = "",
              color: str = PALETTE[0]) -> str:
    """Horizontal bars, one per (label, value)."""
    if not items:
        return '<p class="muted">no data</p>'
    top = max(v for _, v in items) or 1
    plot = WIDTH - LABEL_W - 110
    h = ROW_H * len(items) + 10
    parts = [f'<svg class="chart" id="{esc(chart_id)}" width="{WIDTH}" height="{h}" viewBox="0 0 {WIDTH} {h}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value) in enumerate(items):
        y = 5 + i * ROW_H
        w = max(1.0, plot * (value / top)) if value else 0
        parts.append(f'<text x="{LABEL_W - 8}" y="{y + 15}" text-anchor="end" font-size="13">'
                     f"<title>{esc(label)}</title>{esc(short(label))}</text>")
        parts.append(f'<rect class="bar" x="{LABEL_W}" y="{y + 3}" width="{w:.1f}" height="{ROW_H - 6}" '
                     f'fill="{color}"><title>{esc(label)}: {esc(fmt(value))}</title></rect>')
        parts.append(f'<text x="{LABEL_W + w + 6:.1f}" y="{y + 15}" font-size="12">{esc(fmt(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def metric_chart(rows: list[tuple[str, float, float, float]], chart_id: str = "") -> str:
    """Precision, recall and F1 (0..1) side by side for each label."""
    if not rows:
        return '<p class="muted">no data</p>'
    plot = WIDTH - LABEL_W - 60
    group = ROW_H * 3 + 8
    h = group * len(rows) + 30
    parts = [f'<svg class="chart" id="{esc(chart_id)}" width="{WIDTH}" height="{h}" viewBox="0 0 {WIDTH} {h}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for k, name in enumerate(("precision", "recall", "F1")):
        parts.append(f'<rect x="{LABEL_W + k * 110}" y="4" width="12" height="12" fill="{PALETTE[k]}"/>'
                     f'<text x="{LABEL_W + k * 110 + 16}" y="14" font-size="12">{name}</text>')
    for i, (label, *values) in enumerate(rows):
        y0 = 26 + i * group
        parts.append(f'<text x="{LABEL_W - 8}" y="{y0 + ROW_H + 10}" text-anchor="end" font-size="13">'
                     f"{esc(short(label))}</text>")
        for k, v in enumerate(values):
            y = y0 + k * ROW_H
            w = max(1.0, plot * v)
            parts.append(f'<rect class="bar" x="{LABEL_W}" y="{y + 3}" width="{w:.1f}" height="{ROW_H - 6}" '
                         f'fill="{PALETTE[k]}"><title>{esc(label)} {("precision", "recall", "F1")[k]} '
                         f'{v:.3f}</title></rect>')
            parts.append(f'<text x="{LABEL_W + w + 6:.1f}" y="{y + 15}" font-size="12">{v:.3f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _months(start: date, end: date):
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield date(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def gantt(rows: list[tuple[str, date | None, date | None, bool]], start: date, end: date,
          chart_id: str = "") -> str:
    """One bar per project from its start to its end date over the fiscal year's months;
    flagged rows (a date outside the year, or no date) are drawn in the warning colour."""
    if not rows:
        return '<p class="muted">no timeline</p>'
    dates = [d for _, s, e, _ in rows for d in (s, e) if d]
    lo = min([start, *dates])
    hi = max([end, *dates])
    span = (hi - lo).days or 1
    plot = WIDTH - LABEL_W - 20
    h = ROW_H * len(rows) + 40

    def x(d: date) -> float:
        return LABEL_W + plot * (d - lo).days / span
    parts = [f'<svg class="chart gantt" id="{esc(chart_id)}" width="{WIDTH}" height="{h}" viewBox="0 0 {WIDTH} {h}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg">']
    months = list(_months(lo, hi))
    every = max(1, -(-36 * len(months) // plot))       # a label needs about 36 px
    for k, m in enumerate(months):
        parts.append(f'<line x1="{x(m):.1f}" y1="18" x2="{x(m):.1f}" y2="{h}" stroke="#e3e3e3"/>')
        if k % every == 0:
            parts.append(f'<text x="{x(m) + 2:.1f}" y="13" font-size="10">{MONTH_TH[m.month - 1]}'
                         f"{(m.year + 543) % 100:02d}</text>")
    parts.append(f'<rect x="{x(start):.1f}" y="18" width="{x(end) - x(start):.1f}" height="{h - 18}" '
                 f'fill="#2f6f9f" fill-opacity="0.05"/>')
    for i, (label, s, e, flagged) in enumerate(rows):
        y = 24 + i * ROW_H
        parts.append(f'<text x="{LABEL_W - 8}" y="{y + 14}" text-anchor="end" font-size="12">'
                     f"<title>{esc(label)}</title>{esc(short(label, 52))}</text>")
        if s and e and e >= s:
            color = PALETTE[1] if flagged else PALETTE[0]
            parts.append(f'<rect class="bar" x="{x(s):.1f}" y="{y + 3}" width="{max(2.0, x(e) - x(s)):.1f}" '
                         f'height="{ROW_H - 8}" fill="{color}"><title>{esc(label)}: {s} – {e}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


def gantt_legend() -> str:
    """What the Gantt's colours mean, in Thai and English."""
    items = [(PALETTE[0], "legend_in_year"), (PALETTE[1], "legend_flagged")]
    parts = [f'<i style="background:{c}"></i>{esc(thai.th(k))} ({esc(thai.en(k))})' for c, k in items]
    parts.append(f'<i style="background:{PALETTE[0]};opacity:0.15"></i>{esc(thai.th("legend_year"))} '
                 f'({esc(thai.en("legend_year"))})')
    return f'<p class="legend">{"".join(parts)}</p>'
