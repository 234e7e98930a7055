"""`thaiplan report DIR`: a self-contained HTML overview of a warehouse, for analysts who
want budgets and timelines without writing SQL first."""

from datetime import date
from pathlib import Path

from output import html as h
from output.atomic import write_atomic
from output.warehouse import REPORT_FILE, connect

MAX_GANTT_DOCS = 50


def _rows(con, sql: str, params=None):
    return con.execute(sql, params or []).fetchall()


def build_report(out: Path) -> str:
    con = connect(out)
    # one plan counted once: figures, charts and timelines come from current documents only
    docs = _rows(con, "SELECT doc_id, coalesce(office, source_name), fiscal_year_be, title, status, page_count, "
                      "text_method, error, fiscal_year_start, fiscal_year_end FROM current_documents "
                      "ORDER BY 2, 3, source_name")
    n_projects, budget = _rows(con, "SELECT count(*), coalesce(sum(budget_thb), 0) FROM projects "
                                    "JOIN current_documents USING (doc_id)")[0]
    n_errors = _rows(con, "SELECT count(*) FROM findings JOIN current_documents USING (doc_id) "
                          "WHERE severity = 'error'")[0][0]
    by_status = dict(_rows(con, "SELECT status, count(*) FROM current_documents GROUP BY 1"))
    old = _rows(con, "SELECT d.source_name, coalesce(d.office, d.source_name), d.fiscal_year_be, d.title, "
                     "c.source_name FROM documents d JOIN documents c ON c.doc_id = d.superseded_by "
                     "ORDER BY 2, 3, 1")
    body = [f'<p><span class="kpi">{len(docs)}</span> documents ({by_status.get("ok", 0)} ok, '
            f'{by_status.get("partial", 0)} partial, {by_status.get("failed", 0)} failed'
            + (f'; {len(old)} superseded copies not counted' if old else '') + ') · '
            f'<span class="kpi">{n_projects}</span> projects · <span class="kpi">{h.money(budget)}</span> baht · '
            f'<span class="kpi">{n_errors}</span> error findings</p>']

    body.append("<h2>Documents by office and fiscal year</h2>")
    body.append(h.table(["office", "fiscal year", "title", "status", "pages", "text", "error"],
                        [[o, fy, t, st, pc, tm, err] for _, o, fy, t, st, pc, tm, err, _, _ in docs],
                        numeric={1, 4}, classes=[d[4] for d in docs]))
    if old:
        body.append(f"<h2>Superseded documents ({len(old)})</h2>")
        body.append(h.table(["file", "office", "fiscal year", "title", "superseded by"],
                            [list(r) for r in old], numeric={2}, classes=["superseded"] * len(old)))

    strat = _rows(con, "SELECT office, fiscal_year_be, strategy_no, title, declared_budget_thb, "
                       "computed_budget_thb, project_count FROM strategy_totals ORDER BY 1, 2, 3")
    body.append("<h2>Budget by strategy</h2>")
    body.append(h.bar_chart([(f"{h.short_office(o)} {fy} · กลยุทธ์ที่ {no} {t or ''}", float(c or 0))
                             for o, fy, no, t, _, c, _ in strat], chart_id="budget-by-strategy"))
    body.append(h.table(["office", "year", "strategy", "title", "declared (baht)", "sum of rows (baht)", "projects"],
                        [[o, fy, no, t, h.money(d), h.money(c), n] for o, fy, no, t, d, c, n in strat],
                        numeric={1, 2, 4, 5, 6},
                        classes=["error" if d is not None and c is not None and d != c else ""
                                 for _, _, _, _, d, c, _ in strat]))

    groups = _rows(con, "SELECT responsible_group, projects, budget_thb FROM projects_by_group "
                        "ORDER BY budget_thb DESC NULLS LAST")
    body.append("<h2>Budget by responsible group</h2>")
    body.append(h.bar_chart([(g or "(none)", float(b or 0)) for g, _, b in groups], chart_id="budget-by-group",
                            color=h.PALETTE[2]))

    body.append("<h2>Project timelines</h2>")
    flagged = {(d, s) for d, s in _rows(con, "SELECT doc_id, seq FROM findings WHERE code IN "
                                             "('DATE_OUTSIDE_FY', 'DATE_ORDER', 'INVALID_DATE')")}
    for doc_id, office, fy, title, status, *_, fy_start, fy_end in docs[:MAX_GANTT_DOCS]:
        rows = _rows(con, "SELECT seq, name, start_date, end_date FROM timeline WHERE doc_id = ? ORDER BY seq",
                     [doc_id])
        if not rows:
            continue
        start = fy_start or min((s for _, _, s, _ in rows if s), default=date.today())
        end = fy_end or max((e for _, _, _, e in rows if e), default=start)
        body.append(f"<h3>{h.esc(h.short_office(office))} · {h.esc(fy)} · {h.esc(title)}</h3>")
        body.append(h.gantt([(f"{seq}. {name}", s, e, (doc_id, seq) in flagged) for seq, name, s, e in rows],
                            start, end, chart_id=f"gantt-{doc_id[:12]}"))
    if len(docs) > MAX_GANTT_DOCS:
        body.append(f'<p class="muted">timelines of the first {MAX_GANTT_DOCS} documents shown</p>')

    findings = _rows(con, "SELECT f.severity, f.code, coalesce(d.office, d.source_name), d.fiscal_year_be, "
                          "f.strategy_no, f.seq, f.message, f.page FROM findings f JOIN current_documents d USING (doc_id) "
                          "ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, 2, 3")
    body.append(f"<h2>Findings ({len(findings)})</h2>")
    body.append(h.table(["severity", "code", "document", "year", "strategy", "row", "message", "page"],
                        [list(f) for f in findings], numeric={3, 4, 5, 7}, classes=[f[0] for f in findings]))
    return h.page("thaiplan · warehouse overview", "".join(body), subtitle=str(out))


def write_report(out: Path) -> Path:
    return write_atomic(Path(out) / REPORT_FILE, build_report(Path(out)))
