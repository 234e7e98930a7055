"""Structures -> dataset rows in the contract's form (normalized text next to `*_raw`)."""

from normalizers.names import GroupCanon
from normalizers.text import normalize_text
from datamodel.document import Page
from datamodel.records import DocumentMeta, Finding, Project, StatBlock, Strategy, TimelineRow
from pipeline.plans import plan_id


def _opt_int(v):
    return None if v is None else int(v)


def strategy_rows(doc_id: str, strategies: list[Strategy]) -> list[dict]:
    return [{
        "doc_id": doc_id, "strategy_no": s.no, "title": normalize_text(s.title_raw) or None,
        "declared_project_count": s.declared_project_count, "declared_budget_thb": s.declared_budget,
        "table_total_thb": s.table_total, "computed_budget_thb": s.computed_budget,
        "project_count": len(s.projects), "page": s.page, "title_raw": s.title_raw or None,
        "declaration_raw": s.declaration_raw,
        "parent_no": s.parent.no if s.parent else None,
        "parent_title": normalize_text(s.parent.title_raw) or None if s.parent else None,
    } for s in strategies]


def project_rows(doc_id: str, projects: list[Project]) -> list[dict]:
    canon = GroupCanon(p.group_raw for p in projects)
    return [{
        "doc_id": doc_id, "strategy_no": p.strategy_no, "seq": p.seq,
        "name": normalize_text(p.name_raw), "name_raw": p.name_raw,
        "responsible_group": canon(p.group_raw), "responsible_group_raw": p.group_raw,
        "budget_thb": p.budget, "page": p.page, "budget_raw": p.budget_raw,
    } for p in projects]


def timeline_rows(doc_id: str, rows: list[TimelineRow]) -> list[dict]:
    return [{
        "doc_id": doc_id, "seq": r.seq, "name": normalize_text(r.name_raw),
        "start_date": r.start, "end_date": r.end, "start_raw": r.start_raw, "end_raw": r.end_raw,
        "date_precision": r.precision, "strategy_no": r.strategy_no, "project_seq": r.project_seq,
        "link_score": r.link_score, "page": r.page, "name_raw": r.name_raw,
    } for r in rows]


def stat_rows(doc_id: str, blocks: list[StatBlock]) -> list[dict]:
    return [{
        "doc_id": doc_id, "table": s.table, "label": normalize_text(s.label_raw), "value": s.value,
        "unit": s.unit, "as_of": s.as_of, "label_raw": s.label_raw, "page": s.page,
    } for b in blocks for s in b.stats]


def finding_rows(doc_id: str, findings: list[Finding]) -> list[dict]:
    return [{
        "doc_id": doc_id, "severity": f.severity, "code": f.code, "message": normalize_text(f.message),
        "strategy_no": f.strategy_no, "seq": f.seq, "expected": f.expected, "actual": f.actual,
        "page": f.page, "image": f.image, "parent_no": f.parent_no,
    } for f in findings]


def page_rows(doc_id: str, pages: list[Page]) -> list[dict]:
    return [{
        "doc_id": doc_id, "page_no": p.no, "method": p.method, "quality": p.quality,
        "chars": len(p.text), "error": p.error,
    } for p in pages]


def text_method(pages: list[Page]) -> str | None:
    methods = {p.method for p in pages}
    if not methods:
        return None
    return methods.pop() if len(methods) == 1 else "mixed"


def document_row(doc_id: str, meta: DocumentMeta, **fields) -> dict:
    """The document's row; `plan_id` names its plan (pipeline/plans.py), `superseded_by` stays null
    until the supersession pass after the batch says otherwise."""
    failed = fields.get("status") == "failed"
    return {
        "doc_id": doc_id, "title": meta.title, "office": meta.office, "province": meta.province,
        "area_no": _opt_int(meta.area_no), "area_level": meta.area_level,
        "fiscal_year_start": meta.fiscal_year_start, "fiscal_year_end": meta.fiscal_year_end,
        "plan_id": None if failed else plan_id(meta.office, meta.fiscal_year_be, meta.title),
        "superseded_by": None,
        **fields,
    }
