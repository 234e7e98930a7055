"""Self-contained HTML with inline SVG charts: no scripts, styles or fonts from the network
(Thai renders with the system's Thai fonts)."""

import html
from datetime import date

WIDTH = 960
LABEL_W = 380
ROW_H = 22
PALETTE = ("#2f6f9f", "#e08a2e", "#4a9b5f", "#b8443b", "#7a5aa6", "#8c6d46")
MONTH_TH = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]

CSS = """
body{font-family:"Laksaman","Garuda","Loma","Noto Sans Thai",sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:26px;margin:0 0 4px} h2{font-size:20px;margin:28px 0 8px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:14px;margin:6px 0 16px} td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#f3f3f3;text-align:left} td.num{text-align:right;font-variant-numeric:tabular-nums}
.error{color:#b8443b;font-weight:bold} .warning{color:#b8792e} .info{color:#666}
.ok{color:#2f7d46} .failed{color:#b8443b;font-weight:bold} .partial{color:#b8792e;font-weight:bold} .superseded{color:#888;text-decoration:line-through}
svg text{font-family:inherit} .muted{color:#777;font-size:13px} .kpi{font-size:34px;font-weight:bold}
"""


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


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


def page(title: str, body: str, subtitle: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="th"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f"<style>{CSS}</style></head><body><h1>{esc(title)}</h1>"
            f'<div class="muted">{esc(subtitle)}</div>{body}</body></html>\n')


def table(headers: list[str], rows: list[list], numeric: set[int] = frozenset(), classes=None) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for i, row in enumerate(rows):
        cls = f' class="{classes[i]}"' if classes and classes[i] else ""
        cells = "".join(f'<td class="num">{esc(v)}</td>' if j in numeric else f"<td>{esc(v)}</td>"
                        for j, v in enumerate(row))
        body.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def bar_chart(items: list[tuple[str, float]], fmt=lambda v: f"{v:,.0f}", chart_id: str = "",
              color: str = PALETTE[0]) -> str:
    """Horizontal bars, one per (label, value)."""
    if not items:
        return '<p class="muted">no data</p>'
    top = max(v for _, v in items) or 1
    plot = WIDTH - LABEL_W - 110
    h = ROW_H * len(items) + 10
    parts = [f'<svg class="chart" id="{esc(chart_id)}" width="{WIDTH}" height="{h}" role="img" '
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
    parts = [f'<svg class="chart" id="{esc(chart_id)}" width="{WIDTH}" height="{h}" role="img" '
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
    parts = [f'<svg class="chart gantt" id="{esc(chart_id)}" width="{WIDTH}" height="{h}" role="img" '
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
