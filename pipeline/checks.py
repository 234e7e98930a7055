"""Consistency checks that turn extracted structures into findings.

Nothing here changes a figure: a stated total that disagrees with its rows stays as
printed and gets a finding with the stated value (`expected`) and the sum of the rows
(`actual`).
"""

import base64
from decimal import Decimal

from extractors.tables import Table
from normalizers.text import compact, normalize_text
from datamodel.document import LOW_OCR_CONFIDENCE, Page, TableBlock
from datamodel.records import DocumentMeta, Finding, ParentGroup, Project, StatBlock, Strategy, TimelineRow


def _money(v) -> str | None:
    return None if v is None else f"{v:.2f}"


def _against_rows(name: str, rows_said: str, n_rows: int, computed: Decimal | None,
                  declared_budget: Decimal | None, table_total: Decimal | None, total_source: str,
                  declared_count: int | None, page: int, total_page: int | None = None, found_in: str = "",
                  **where) -> list[Finding]:
    """What a group states against its project rows: TOTAL_MISMATCH for each figure (its declared
    budget, its total row; one finding where both state the same) that differs from the rows'
    sum, COUNT_MISMATCH for a declared count that differs from the rows found. `where` names
    the group in the finding (strategy_no or parent_no)."""
    out = []
    stated: dict = {}
    if declared_budget is not None:
        stated.setdefault(declared_budget, []).append("declared budget")
    if table_total is not None:
        stated.setdefault(table_total, []).append(total_source)
    if computed is not None:
        for value, sources in stated.items():
            if value != computed:
                out.append(Finding(
                    "error", "TOTAL_MISMATCH",
                    f"{name}: {' and '.join(sources)} {value:,.2f} baht, but its {rows_said} sum to "
                    f"{computed:,.2f} (difference {computed - value:+,.2f})",
                    expected=_money(value), actual=_money(computed),
                    page=total_page if total_source in sources and total_page else page, **where))
    if declared_count is not None and declared_count != n_rows:
        out.append(Finding(
            "error", "COUNT_MISMATCH", f"{name}: {declared_count} projects declared, {n_rows} rows found{found_in}",
            expected=str(declared_count), actual=str(n_rows), page=page, **where))
    return out


def check_strategies(strategies: list[Strategy]) -> list[Finding]:
    out = []
    for s in strategies:
        out += _against_rows(f"strategy {s.no}", f"{len(s.projects)} project rows", len(s.projects),
                             s.computed_budget, s.declared_budget, s.table_total, "table total row",
                             s.declared_project_count, s.page, strategy_no=s.no)
        for p in s.projects:
            if p.budget_error:
                out.append(Finding("error", "INVALID_AMOUNT",
                                   f"strategy {s.no} project {p.seq}: {p.budget_error}",
                                   strategy_no=s.no, seq=p.seq, actual=p.budget_raw, page=p.page))
    return out + check_parents(strategies)


def check_parents(strategies: list[Strategy]) -> list[Finding]:
    """The groups above the strategies (นโยบายที่ N over กลยุทธ์ที่ M): a parent's subtotal row
    ("รวมนโยบายที่ N") and declared budget against the sum of its strategies' project rows, its
    declared count against their rows. Never a strategy's figure: the finding names the parent
    (`parent_no`), its strategy_no is empty."""
    out = []
    parents: dict[int, tuple[ParentGroup, list[Strategy]]] = {}
    for s in strategies:
        if s.parent is not None:
            parents.setdefault(id(s.parent), (s.parent, []))[1].append(s)
    for parent, kids in parents.values():
        budgets = [s.computed_budget for s in kids if s.computed_budget is not None]
        rows = sum(len(s.projects) for s in kids)
        out += _against_rows(f"{parent.kind}ที่ {parent.no} (over strategies {', '.join(str(s.no) for s in kids)})",
                             f"strategies' {rows} project rows", rows,
                             sum(budgets, Decimal("0.00")) if budgets else None,
                             parent.declared_budget, parent.table_total, "subtotal row",
                             parent.declared_project_count, parent.page, total_page=parent.table_total_page,
                             found_in=" in its strategies", parent_no=parent.no)
    return out


def check_timeline(rows: list[TimelineRow], meta: DocumentMeta) -> list[Finding]:
    out = []
    fy_start, fy_end = meta.fiscal_year_start, meta.fiscal_year_end
    for r in rows:
        for which, raw, err in (("start", r.start_raw, r.start_error), ("end", r.end_raw, r.end_error)):
            if err is None:
                continue
            if raw:
                out.append(Finding("error", "INVALID_DATE", f"timeline row {r.seq}: {which} date {err}",
                                   strategy_no=r.strategy_no, seq=r.seq, actual=raw, page=r.page))
            else:
                out.append(Finding("warning", "MISSING_DATE", f"timeline row {r.seq}: no {which} date printed",
                                   strategy_no=r.strategy_no, seq=r.seq, page=r.page))
        if r.start and r.end and r.end < r.start:
            out.append(Finding("error", "DATE_ORDER",
                               f"timeline row {r.seq}: ends {r.end} before it starts {r.start}",
                               strategy_no=r.strategy_no, seq=r.seq, expected=f">= {r.start}",
                               actual=str(r.end), page=r.page))
        if fy_start is None:
            continue
        for which, value, raw in (("start", r.start, r.start_raw), ("end", r.end, r.end_raw)):
            if value is not None and not fy_start <= value <= fy_end:
                side = "before" if value < fy_start else "after"
                out.append(Finding(
                    "warning", "DATE_OUTSIDE_FY",
                    f"timeline row {r.seq}: {which} date {value} (printed {raw!r}) is {side} "
                    f"fiscal year {meta.fiscal_year_be} ({fy_start}..{fy_end})",
                    strategy_no=r.strategy_no, seq=r.seq, expected=f"{fy_start}..{fy_end}",
                    actual=str(value), page=r.page))
    return out


def check_links(rows: list[TimelineRow], projects: list[Project]) -> list[Finding]:
    out = []
    if not rows:
        return out
    by_key = {(p.strategy_no, p.seq): p for p in projects}
    linked = set()
    for r in rows:
        if r.project_seq is None:
            out.append(Finding("warning", "UNLINKED_TIMELINE",
                               f"timeline row {r.seq} ({r.name_raw!r}) matches no project",
                               seq=r.seq, actual=r.name_raw, page=r.page))
            continue
        linked.add((r.strategy_no, r.project_seq))
        p = by_key.get((r.strategy_no, r.project_seq))
        if p is not None and compact(p.name_raw) != compact(r.name_raw):
            out.append(Finding("info", "NAME_MISMATCH",
                               f"timeline row {r.seq} names strategy {r.strategy_no} project "
                               f"{r.project_seq} differently (similarity {r.link_score:.2f})",
                               strategy_no=r.strategy_no, seq=r.seq, expected=normalize_text(p.name_raw),
                               actual=normalize_text(r.name_raw), page=r.page))
    for p in projects:
        if (p.strategy_no, p.seq) not in linked:
            out.append(Finding("warning", "UNLINKED_TIMELINE",
                               f"strategy {p.strategy_no} project {p.seq} ({p.name_raw!r}) has no timeline row",
                               strategy_no=p.strategy_no, seq=p.seq, expected=p.name_raw, page=p.page))
    return out


def check_tables(tables: list[Table]) -> list[Finding]:
    out = []
    for t in tables:
        if t.grand_total is not None and t.grand_total[2] is not None and t.grand_total[0] != t.grand_total[2]:
            stated, raw, rows = t.grand_total
            out.append(Finding("error", "TOTAL_MISMATCH",
                               f"table on page {t.page}: grand total {stated:,.2f} baht ({raw!r}), but its "
                               f"{len(t.rows)} project rows sum to {rows:,.2f} (difference {rows - stated:+,.2f})",
                               expected=_money(stated), actual=_money(rows), page=t.total.page if t.total else t.page))
        for page, kind, read, taken, why in t.renumbered:   # a key inferred, not read: said, never silent
            printed = f"{kind}ที่ {read}" if read is not None else f"{kind}ที่ (no number)"
            out.append(Finding("warning", "GROUP_NUMBER_READ",
                               f"table on page {page}: group row read as {printed!r}, numbered {taken} "
                               f"as {why} say", expected=str(taken), actual=None if read is None else str(read),
                               page=page))
        if t.header_kind != "unknown" and t.kind != "unknown" and t.header_kind != t.kind:
            out.append(Finding("warning", "HEADER_MISMATCH",
                               f"table on page {t.page} has a {t.header_kind} header "
                               f"({' | '.join(c for c in t.header if c)}) but {t.kind} rows; read as {t.kind}",
                               expected=t.kind, actual=t.header_kind, page=t.page))
    return out


def check_stats(blocks: list[StatBlock]) -> list[Finding]:
    out = []
    for b in blocks:
        total = sum(s.value for s in b.stats)
        if b.declared_total is not None and b.declared_total != total:
            out.append(Finding("error", "STAT_TOTAL_MISMATCH",
                               f"{b.table}: heading states {b.declared_total}, rows sum to {total}",
                               expected=str(b.declared_total), actual=str(total), page=b.page))
    return out


LOW_CELL_CONFIDENCE = LOW_OCR_CONFIDENCE   # an OCR'd table cell read with less confidence than this is said


def check_ocr_cells(pages: list[Page]) -> list[Finding]:
    """Table cells of scanned pages read with low confidence (tesseract's word confidences,
    or the glyph-shape match of a number): the value stands, and the finding says where to
    look (page, the cell's text and box) and shows the cell as scanned (the audit report)."""
    out = []
    for p in pages:
        if p.method != "ocr":
            continue
        for b in p.blocks:
            if not isinstance(b, TableBlock):
                continue
            for row in b.rows:
                for c in row.cells:
                    if c.conf is not None and c.conf < LOW_CELL_CONFIDENCE and c.text.strip():
                        where = "" if c.box is None else " at ({:.0f}, {:.0f})-({:.0f}, {:.0f}) pt".format(*c.box)
                        out.append(Finding("warning", "LOW_OCR_CONFIDENCE",
                                           f"page {p.no}: cell {c.text.strip()!r}{where} read with confidence "
                                           f"{c.conf:.2f}", expected=f">= {LOW_CELL_CONFIDENCE:.2f}",
                                           actual=c.text.strip(), page=p.no,
                                           image=base64.b64encode(c.image).decode("ascii") if c.image else None))
    return out


def check_pages(pages: list[Page], threshold: float) -> list[Finding]:
    out = []
    for p in pages:
        if p.quality is not None and p.quality < threshold:
            why = f"; {p.error}" if p.error else ""
            out.append(Finding("warning", "LOW_TEXT_QUALITY",
                               f"page {p.no}: text quality {p.quality:.2f} is below {threshold:.2f} "
                               f"({p.method}){why}",
                               expected=f">= {threshold:.2f}", actual=f"{p.quality:.2f}", page=p.no))
        elif p.quality is None and p.error:
            out.append(Finding("warning", "LOW_TEXT_QUALITY", f"page {p.no}: no readable text; {p.error}",
                               expected=f">= {threshold:.2f}", page=p.no))
    return out


def check_fiscal_year(meta: DocumentMeta) -> list[Finding]:
    """Years printed as the plan's fiscal year that its other mentions outvote (a misread or
    misprinted cover, 2502 in a 2567 plan): the plan keeps the year its mentions agree on."""
    return [Finding("error", "INVALID_DATE",
                    f"fiscal year printed as {y}, but the plan's other mentions (its fiscal-year "
                    f"phrases and dates) say {meta.fiscal_year_be}; read as {meta.fiscal_year_be}",
                    expected=str(meta.fiscal_year_be), actual=str(y))
            for y in meta.suspect_fiscal_years if meta.fiscal_year_be is not None]


def check_coverage(meta: DocumentMeta, strategies: list[Strategy], timeline: list[TimelineRow],
                   orphans: list[Project] = ()) -> list[Finding]:
    """What a plan should have and this one did not yield (a reason for status partial)."""
    out = []
    if meta.fiscal_year_be is None:
        out.append(Finding("warning", "MISSING_FISCAL_YEAR", "no fiscal year found on the cover"))
    if not any(s.projects for s in strategies) and not orphans:
        out.append(Finding("warning", "MISSING_PROJECTS", "no project table found"))
    if orphans:
        pages = sorted({p.page for p in orphans if p.page})
        out.append(Finding("warning", "UNASSIGNED_PROJECTS",
                           f"{len(orphans)} project rows come before any strategy heading; their strategy_no is empty",
                           actual=str(len(orphans)), page=pages[0] if pages else None))
    if not timeline:
        out.append(Finding("info", "MISSING_TIMELINE", "no timeline table found"))
    return out
