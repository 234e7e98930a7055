"""`thaiplan report DIR`: self-contained HTML pages over a warehouse, for analysts who want
budgets, timelines and findings without writing SQL first, in Thai (English beside it).

- `DIR/_report.html`, the overview: headline figures; budget by office and fiscal year (with
  students, budget per student and the change from the office's year before), by province and
  by fiscal year; every document (its file name linking to its page); budget by responsible
  group; findings counted by code.
- `DIR/_report/<doc_id>.html`, one page per document: its strategies (declared and summed),
  projects, Gantt chart (with a legend) and findings (Thai message and the English one).

Every table sorts by a click on its header; the long ones have a filter box. Pages of documents
no longer in the warehouse are removed. The warehouse is read with a handful of queries, not
one per document, so the pages of a few hundred documents are written in seconds.
"""

from collections import defaultdict
from datetime import date
from pathlib import Path

from output import html as h
from output import thai
from output.atomic import write_atomic
from output.warehouse import REPORT_FILE, connect

REPORT_PAGES_DIR = "_report"      # DIR/_report/<doc_id>.html, beside DIR/_report.html
MAX_GROUP_BARS = 25               # bars in the overview's budget-by-group chart (the largest)
FLAG_CODES = ("DATE_OUTSIDE_FY", "DATE_ORDER", "INVALID_DATE")
STUDENTS_TABLE = "students_by_level"
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _rows(con, sql: str, params=None):
    return con.execute(sql, params or []).fetchall()


def _dicts(con, sql: str, params=None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def doc_page_name(doc_id: str) -> str:
    return f"{REPORT_PAGES_DIR}/{doc_id}.html"


def _pct(new, old) -> tuple[str, float | None]:
    if new is None or not old:
        return ("", None)
    v = (float(new) - float(old)) / float(old) * 100
    return (f"{v:+.1f}%", v)


def _num(v, fmt=h.money) -> tuple[str, float | None]:
    return ("", None) if v is None else (fmt(v), float(v))


def _documents(con) -> list[dict]:
    return _dicts(con, f"""
        WITH b AS (SELECT doc_id, count(*) AS projects, sum(budget_thb) AS budget FROM projects GROUP BY 1),
             s AS (SELECT doc_id, sum(value) AS students FROM stats WHERE "table" = '{STUDENTS_TABLE}' GROUP BY 1),
             f AS (SELECT doc_id, count(*) FILTER (WHERE severity = 'error') AS errors,
                          count(*) FILTER (WHERE severity = 'warning') AS warnings FROM findings GROUP BY 1)
        SELECT d.doc_id, d.source_name, d.office, d.province, d.fiscal_year_be, d.title, d.status,
               d.page_count, d.text_method, d.error, d.superseded_by, d.fiscal_year_start, d.fiscal_year_end,
               coalesce(b.projects, 0) AS projects, b.budget, s.students,
               coalesce(f.errors, 0) AS errors, coalesce(f.warnings, 0) AS warnings
        FROM documents d LEFT JOIN b USING (doc_id) LEFT JOIN s USING (doc_id) LEFT JOIN f USING (doc_id)
        ORDER BY d.office, d.fiscal_year_be, d.source_name""")


def _office_years(docs: list[dict]) -> list[dict]:
    """Current documents summed per office and fiscal year; students are the office's count
    (the largest printed in its documents of that year, never summed over plans)."""
    acc: dict[tuple, dict] = {}
    for d in docs:
        key = (d["office"] or d["source_name"], d["fiscal_year_be"])
        a = acc.setdefault(key, {"office": key[0], "fy": key[1], "province": d["province"], "documents": 0,
                                 "projects": 0, "budget": None, "students": None})
        a["documents"] += 1
        a["projects"] += d["projects"]
        if d["budget"] is not None:
            a["budget"] = (a["budget"] or 0) + d["budget"]
        if d["students"]:
            a["students"] = max(a["students"] or 0, d["students"])
        a["province"] = a["province"] or d["province"]
    for a in acc.values():
        prev = acc.get((a["office"], a["fy"] - 1)) if a["fy"] is not None else None
        a["prev_budget"] = prev["budget"] if prev else None
        a["per_student"] = a["budget"] / a["students"] if a["budget"] is not None and a["students"] else None
    return sorted(acc.values(), key=lambda a: (a["office"], a["fy"] or 0))


def _rollup(office_years: list[dict], key) -> list[dict]:
    acc: dict = {}
    for a in office_years:
        k = key(a)
        r = acc.setdefault(k, {"key": k, "offices": set(), "documents": 0, "projects": 0, "budget": None,
                               "students": None})
        r["offices"].add(a["office"])
        r["documents"] += a["documents"]
        r["projects"] += a["projects"]
        if a["budget"] is not None:
            r["budget"] = (r["budget"] or 0) + a["budget"]
        if a["students"]:
            r["students"] = (r["students"] or 0) + a["students"]
    return list(acc.values())


def _status(st: str | None) -> str:
    return f"{thai.STATUS.get(st, st or '')} ({st})" if st else ""


def build_overview(con, docs: list[dict], out: Path) -> str:
    current = [d for d in docs if d["superseded_by"] is None]
    old = [d for d in docs if d["superseded_by"] is not None]
    by_id = {d["doc_id"]: d for d in docs}
    by_status = defaultdict(int)
    for d in current:
        by_status[d["status"]] += 1
    n_projects = sum(d["projects"] for d in current)
    budget = sum(d["budget"] or 0 for d in current)
    n_errors = sum(d["errors"] for d in current)

    def kpi(value, key, note=""):
        return f'<div><span class="kpi">{h.esc(value)}</span>{h.bi(key)}{h.esc(note)}</div>'
    body = ['<div class="kpis">',
            kpi(len(current), "documents",
                f" {by_status.get('ok', 0)} ok · {by_status.get('partial', 0)} partial · "
                f"{by_status.get('failed', 0)} failed" + (f" · {len(old)} superseded copies not counted" if old else "")),
            kpi(len({d["office"] for d in current if d["office"]}), "offices"),
            kpi(n_projects, "projects"), kpi(h.money(budget), "budget"), kpi(n_errors, "error_findings"),
            "</div>"]

    oy = _office_years(current)
    body.append(f"<h2>{h.bi('by_office')}</h2>")
    body.append(h.table(
        [h.bi("office"), h.bi("province"), h.bi("fiscal_year"), h.bi("documents"), h.bi("projects"),
         h.bi("budget"), h.bi("students"), h.bi("per_student"), h.bi("change")],
        [[h.Raw(f'<span title="{h.esc(a["office"])}">{h.esc(h.short_office(a["office"]))}</span>'),
          a["province"] or "", a["fy"], a["documents"], a["projects"], _num(a["budget"]),
          _num(a["students"], lambda v: f"{v:,}"), _num(a["per_student"]), _pct(a["budget"], a["prev_budget"])]
         for a in oy],
        numeric={2, 3, 4, 5, 6, 7, 8}, table_id="by-office", filter_box=True))

    provinces = sorted(_rollup(oy, lambda a: (a["province"] or "", a["fy"])), key=lambda r: r["key"])
    body.append(f"<h2>{h.bi('by_province')}</h2>")
    body.append(h.table(
        [h.bi("province"), h.bi("fiscal_year"), h.bi("offices"), h.bi("projects"), h.bi("budget"),
         h.bi("students"), h.bi("per_student")],
        [[r["key"][0] or thai.th("none"), r["key"][1], len(r["offices"]), r["projects"], _num(r["budget"]),
          _num(r["students"], lambda v: f"{v:,}"),
          _num(r["budget"] / r["students"] if r["budget"] is not None and r["students"] else None)]
         for r in provinces],
        numeric={1, 2, 3, 4, 5, 6}, table_id="by-province", filter_box=True))

    years = sorted(_rollup(oy, lambda a: a["fy"]), key=lambda r: (r["key"] is None, r["key"] or 0))
    budgets = {r["key"]: r["budget"] for r in years}
    body.append(f"<h2>{h.bi('by_year')}</h2>")
    body.append(h.table(
        [h.bi("fiscal_year"), h.bi("offices"), h.bi("documents"), h.bi("projects"), h.bi("budget"), h.bi("change")],
        [[r["key"], len(r["offices"]), r["documents"], r["projects"], _num(r["budget"]),
          _pct(r["budget"], budgets.get(r["key"] - 1) if r["key"] is not None else None)] for r in years],
        numeric={0, 1, 2, 3, 4, 5}, table_id="by-year"))

    body.append(f"<h2>{h.bi('documents')}</h2>")
    body.append(h.table(
        [h.bi("file"), h.bi("office"), h.bi("fiscal_year"), h.bi("title"), h.bi("status"), h.bi("pages"),
         h.bi("projects"), h.bi("budget"), h.bi("errors"), h.bi("warnings"), h.bi("error")],
        [[h.link(doc_page_name(d["doc_id"]), d["source_name"]), h.short_office(d["office"]), d["fiscal_year_be"],
          d["title"], _status(d["status"]), d["page_count"], d["projects"], _num(d["budget"]), d["errors"],
          d["warnings"], d["error"]] for d in current],
        numeric={2, 5, 6, 7, 8, 9}, classes=[d["status"] for d in current], table_id="documents",
        filter_box=True))
    if old:
        body.append(f"<h2>{h.bi('superseded')} ({len(old)})</h2>")
        body.append(h.table(
            [h.bi("file"), h.bi("office"), h.bi("fiscal_year"), h.bi("title"), h.bi("superseded_by")],
            [[h.link(doc_page_name(d["doc_id"]), d["source_name"]), h.short_office(d["office"]),
              d["fiscal_year_be"], d["title"],
              h.link(doc_page_name(d["superseded_by"]), by_id[d["superseded_by"]]["source_name"])
              if d["superseded_by"] in by_id else d["superseded_by"]] for d in old],
            numeric={2}, classes=["superseded"] * len(old), table_id="superseded"))

    groups = _rows(con, "SELECT responsible_group, projects, budget_thb FROM projects_by_group "
                        "ORDER BY budget_thb DESC NULLS LAST")
    body.append(f"<h2>{h.bi('by_group')}</h2>")
    body.append(h.bar_chart([(g or thai.th("none"), float(b or 0)) for g, _, b in groups[:MAX_GROUP_BARS]],
                            chart_id="budget-by-group", color=h.PALETTE[2]))
    if len(groups) > MAX_GROUP_BARS:
        body.append(h.table([h.bi("group"), h.bi("projects"), h.bi("budget")],
                            [[g or thai.th("none"), n, _num(b)] for g, n, b in groups],
                            numeric={1, 2}, table_id="by-group", filter_box=True))

    codes = _rows(con, "SELECT f.code, f.severity, count(*), count(DISTINCT f.doc_id) FROM findings f "
                       "JOIN current_documents USING (doc_id) GROUP BY 1, 2")
    codes.sort(key=lambda r: (SEVERITY_ORDER.get(r[1], 3), -r[2], r[0]))
    body.append(f"<h2>{h.bi('by_code')}</h2>")
    body.append(h.table(
        [h.bi("severity"), h.bi("code"), h.bi("message_th"), h.bi("count"), h.bi("documents")],
        [[f"{thai.SEVERITY.get(sev, sev)} ({sev})", code, thai.finding_th(code), n, nd] for code, sev, n, nd in codes],
        numeric={3, 4}, classes=[r[1] for r in codes], table_id="by-code"))
    return h.page(f"thaiplan · {thai.th('overview')} ({thai.en('overview')})", "".join(body), subtitle=str(out))


def build_document_page(doc: dict, strategies, projects, timeline, findings, flagged) -> str:
    back = h.link(f"../{REPORT_FILE}", f"← {thai.th('back')} ({thai.en('back')})")
    facts = [(thai.th("office"), doc["office"]), (thai.th("province"), doc["province"]),
             (thai.th("fiscal_year"), doc["fiscal_year_be"]), (thai.th("title"), doc["title"]),
             (thai.th("status"), _status(doc["status"])), (thai.th("pages"), doc["page_count"]),
             (thai.th("projects"), doc["projects"]), (thai.th("budget"), h.money(doc["budget"])),
             (thai.th("students"), f"{doc['students']:,}" if doc["students"] else ""),
             (thai.th("per_student"), h.money(doc["budget"] / doc["students"])
              if doc["budget"] is not None and doc["students"] else ""),
             (thai.th("error"), doc["error"] or ""), ("doc_id", doc["doc_id"])]
    body = [f"<p>{back}</p>", '<div class="scroll"><table>',
            "".join(f"<tr><th>{h.esc(k)}</th><td>{h.esc(v)}</td></tr>" for k, v in facts if v not in (None, "")),
            "</table></div>"]
    if doc["superseded_by"]:
        body.append(f'<p class="superseded-note">{h.esc(thai.finding_th("SUPERSEDED"))}: '
                    f'{h.link(doc["superseded_by"] + ".html", doc["superseded_by"][:12])}</p>')

    body.append(f"<h2>{h.bi('by_strategy')}</h2>")
    body.append(h.bar_chart([(f"กลยุทธ์ที่ {no} {t or ''}", float(c or 0)) for no, t, _, c, _ in strategies],
                            chart_id="budget-by-strategy"))
    body.append(h.table(
        [h.bi("strategy"), h.bi("strategy_title"), h.bi("declared"), h.bi("computed"), h.bi("projects")],
        [[no, t, _num(d), _num(c), n] for no, t, d, c, n in strategies], numeric={0, 2, 3, 4},
        classes=["error" if d is not None and c is not None and d != c else "" for _, _, d, c, _ in strategies],
        table_id="strategies"))

    body.append(f"<h2>{h.bi('projects')} ({len(projects)})</h2>")
    body.append(h.table(
        [h.bi("strategy"), h.bi("row"), h.bi("project"), h.bi("group"), h.bi("budget"), h.bi("start"),
         h.bi("end"), h.bi("page")],
        [[st, seq, name, grp, _num(b), s, e, pg] for st, seq, name, grp, b, s, e, pg in projects],
        numeric={0, 1, 4, 7}, table_id="projects", filter_box=True))

    body.append(f"<h2>{h.bi('timeline')}</h2>")
    if timeline:
        start = doc["fiscal_year_start"] or min((s for _, _, s, _ in timeline if s), default=date.today())
        end = doc["fiscal_year_end"] or max((e for _, _, _, e in timeline if e), default=start)
        body.append(h.gantt_legend())
        body.append(h.gantt([(f"{seq}. {name}", s, e, seq in flagged) for seq, name, s, e in timeline],
                            start, end, chart_id="gantt"))
    else:
        body.append(f'<p class="muted">{h.esc(thai.finding_th("MISSING_TIMELINE"))} (no timeline)</p>')

    body.append(f"<h2>{h.bi('findings')} ({len(findings)})</h2>")
    body.append(h.table(
        [h.bi("severity"), h.bi("code"), h.bi("message_th"), h.bi("message_en"), h.bi("strategy"), h.bi("row"),
         h.bi("page")],
        [[f"{thai.SEVERITY.get(sev, sev)} ({sev})", code, thai.finding_th(code, exp, act), msg, st, seq, pg]
         for sev, code, msg, st, seq, exp, act, pg in findings],
        numeric={4, 5, 6}, classes=[f[0] for f in findings], table_id="findings", filter_box=True))
    subtitle = " · ".join(str(x) for x in (h.short_office(doc["office"]), doc["fiscal_year_be"], doc["title"]) if x)
    return h.page(doc["source_name"] or doc["doc_id"], "".join(body), subtitle=subtitle)


def _grouped(rows, key=0) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = defaultdict(list)
    for r in rows:
        out[r[key]].append(tuple(r[:key]) + tuple(r[key + 1:]))
    return out


def build_pages(out: Path) -> dict[str, str]:
    """Every page of the report: {path relative to DIR: HTML}."""
    con = connect(out)
    try:
        docs = _documents(con)
        pages = {REPORT_FILE: build_overview(con, docs, out)}
        strategies = _grouped(_rows(con, "SELECT doc_id, strategy_no, title, declared_budget_thb, "
                                         "computed_budget_thb, project_count FROM strategies ORDER BY strategy_no"))
        projects = _grouped(_rows(con, """
            SELECT p.doc_id, p.strategy_no, p.seq, p.name, p.responsible_group, p.budget_thb, t.start_date,
                   t.end_date, p.page FROM projects p LEFT JOIN timeline t
              ON t.doc_id = p.doc_id AND t.strategy_no = p.strategy_no AND t.project_seq = p.seq
            ORDER BY p.strategy_no NULLS LAST, p.seq"""))
        timeline = _grouped(_rows(con, "SELECT doc_id, seq, name, start_date, end_date FROM timeline ORDER BY seq"))
        findings = _grouped(_rows(con, """
            SELECT doc_id, severity, code, message, strategy_no, seq, expected, actual, page FROM findings
            ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, code, strategy_no, seq"""))
        flagged = defaultdict(set)
        for doc_id, seq in _rows(con, "SELECT doc_id, seq FROM findings WHERE code IN "
                                      f"({', '.join(repr(c) for c in FLAG_CODES)})"):
            flagged[doc_id].add(seq)
    finally:
        con.close()
    for d in docs:
        i = d["doc_id"]
        pages[doc_page_name(i)] = build_document_page(d, strategies.get(i, []), projects.get(i, []),
                                                      timeline.get(i, []), findings.get(i, []), flagged[i])
    return pages


def build_report(out: Path) -> str:
    """The overview page alone."""
    return build_pages(Path(out))[REPORT_FILE]


def write_report(out: Path) -> Path:
    """Write the overview and the document pages (atomically, each); remove the pages of
    documents no longer in the warehouse. Returns the overview's path."""
    out = Path(out)
    pages = build_pages(out)
    for name, text in pages.items():
        write_atomic(out / name, text)
    folder = out / REPORT_PAGES_DIR
    for stale in folder.glob("*.html"):
        if f"{REPORT_PAGES_DIR}/{stale.name}" not in pages:
            stale.unlink()
    return out / REPORT_FILE
