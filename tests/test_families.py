"""Plans of other offices' layouts (tests/families.py): six families, DOCX + PDF (+ TXT for some),
each audited against gold written from the generator's description, never from thaiplan's output.

The corpus is built once (cached under tests/.fixtures/families by a fingerprint of the generator).
"""

import json
import shutil
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import query
from families import FIXTURES, SPECS, build_all, build_docs, gold, plans
from normalizers.text import compact
from pipeline.audit import run_audit
from pipeline.settings import Settings

FORMATS = [(s["name"], "docx") for s in SPECS] + [(s["name"], "pdf") for s in SPECS] + \
          [(s["name"], "txt") for s in SPECS if s.get("txt")]
MIN_F1 = 0.98


def _file(fixture: str, fmt: str) -> str:
    return f"pdf/{fixture}.pdf" if fmt == "pdf" else f"{fixture}.{fmt}"


@pytest.fixture(scope="module")
def corpus() -> Path:
    assert shutil.which("soffice"), "LibreOffice (soffice) is needed to build the PDF fixtures: make setup"
    return build_all()


@pytest.fixture(scope="module")
def audits(corpus, tmp_path_factory):
    """file ('pdf/x.pdf', 'x.docx', 'x.txt') -> (score, warehouse, audit result, doc_id, status, error)."""
    out = {}
    for sub in ("pdf", "."):
        wh = tmp_path_factory.mktemp("families-audit")
        result, summaries = run_audit(corpus / sub, Settings(out=str(wh)))
        by_name = {Path(s.path).name: s for s in summaries}
        for name, score in result.files.items():
            s = by_name[name]
            key = f"pdf/{name}" if sub == "pdf" else name
            out[key] = (score, wh, result, s.doc_id, s.status, getattr(s, "error", None))
    return out


@pytest.mark.parametrize("fixture,fmt", FORMATS)
def test_family_audit_f1(audits, fixture, fmt):
    score, _, result, _, status, error = audits[_file(fixture, fmt)]
    name = Path(_file(fixture, fmt)).name
    wrong = [m for m in result.mismatches if m["file"] == name]
    assert status == "ok", error
    assert score.f1 >= MIN_F1, (round(score.f1, 4), wrong[:12])


def _gold(corpus: Path, fixture: str) -> dict:
    return json.loads((corpus / f"{fixture}.gold.json").read_text("utf-8"))


@pytest.mark.parametrize("fixture,fmt", FORMATS)
def test_planted_errors_are_found(corpus, audits, fixture, fmt):
    _, wh, _, doc, _, _ = audits[_file(fixture, fmt)]
    found = query(wh, "findings", f"SELECT code, strategy_no, seq, parent_no FROM {{t}} WHERE doc_id = '{doc}'")
    missing = []
    for f in _gold(corpus, fixture)["expected_findings"]:
        ok = any(code == f["code"]
                 and (f["strategy_no"] is None or s == f["strategy_no"])
                 and (f["seq"] is None or q == f["seq"])
                 and (f.get("parent_no") is None or p == f["parent_no"]) for code, s, q, p in found)
        if not ok:
            missing.append(f)
    assert not missing, (missing, sorted(found, key=str))


@pytest.mark.parametrize("fixture,fmt", FORMATS)
def test_group_numbers_are_read_as_printed(audits, fixture, fmt):
    """Text layers print their group numbers: no group row of any family is renumbered from its
    subtotal or its rows (GROUP_NUMBER_READ is a scan's look-alike or lost digit, never a
    printed plan's)."""
    _, wh, _, doc, _, _ = audits[_file(fixture, fmt)]
    assert query(wh, "findings", f"SELECT actual, expected FROM {{t}} WHERE doc_id = '{doc}' "
                                 "AND code = 'GROUP_NUMBER_READ'") == []


def _rows(wh: Path, doc: str) -> dict:
    def money(x):
        return None if x is None else Decimal(x).normalize()
    projects = sorted((s, q, compact(n), money(b)) for s, q, n, b in query(
        wh, "projects", f"SELECT strategy_no, seq, name, budget_thb FROM {{t}} WHERE doc_id = '{doc}'"))
    timeline = sorted((q, compact(n), str(a), str(b), s, p) for q, n, a, b, s, p in query(
        wh, "timeline", "SELECT seq, name, start_date, end_date, strategy_no, project_seq FROM {t} "
                        f"WHERE doc_id = '{doc}'"))
    strategies = sorted((n, compact(t), c, money(d), money(x), pn, compact(pt or ""))
                        for n, t, c, d, x, pn, pt in query(
        wh, "strategies", "SELECT strategy_no, title, declared_project_count, declared_budget_thb, table_total_thb, "
                          f"parent_no, parent_title FROM {{t}} WHERE doc_id = '{doc}'"))
    return {"projects": projects, "timeline": timeline, "strategies": strategies}


@pytest.mark.parametrize("fixture", FIXTURES)
def test_pdf_and_docx_give_the_same_rows(audits, fixture):
    _, wh_pdf, _, doc_pdf, _, _ = audits[_file(fixture, "pdf")]
    _, wh_docx, _, doc_docx, _, _ = audits[_file(fixture, "docx")]
    a, b = _rows(wh_pdf, doc_pdf), _rows(wh_docx, doc_docx)
    assert a["projects"], "no projects extracted from the PDF"
    for ds in ("projects", "timeline", "strategies"):
        only_pdf = sorted(set(a[ds]) - set(b[ds]), key=str)
        only_docx = sorted(set(b[ds]) - set(a[ds]), key=str)
        assert not only_pdf and not only_docx, (ds, only_pdf[:5], only_docx[:5])


# ---- the generator itself (fast: no LibreOffice, no extraction) ------------------------------

def _by_code(g: dict) -> dict:
    out = defaultdict(set)
    for f in g["expected_findings"]:
        out[f["code"]].add(f["seq"] if f["code"].startswith(("DATE", "INVALID")) else f["strategy_no"])
    return out


def test_generator_gold_is_consistent():
    all_plans = plans()
    assert len(all_plans) == len(set(p.name for p in all_plans)) >= 12
    assert {p.font for p in all_plans} >= {"Garuda", "Kinnari", "Laksaman", "Loma", "Norasi", "Sawasdee",
                                           "Umpush", "Waree", "Purisa"}
    assert {p.fy for p in all_plans} >= {2566, 2567, 2568, 2569, 2570}
    assert {p.family for p in all_plans} == {"one-table", "sheets", "grid", "split-budget", "borderless-wrap",
                                             "two-level"}
    for plan in all_plans:
        g = gold(plan)
        planted = _by_code(g)
        assert 1 <= len(g["expected_findings"]) <= 3, plan.name
        doc = g["document"]
        fy_start, fy_end = date.fromisoformat(doc["fiscal_year_start"]), date.fromisoformat(doc["fiscal_year_end"])
        fy_ce = doc["fiscal_year_be"] - 543
        assert (fy_start, fy_end) == (date(fy_ce - 1, 10, 1), date(fy_ce, 9, 30))
        assert (doc["area_no"] is None) == (doc["area_level"] == "secondary"), plan.name
        keys = [(p["strategy_no"], p["seq"]) for p in g["projects"]]
        assert len(keys) == len(set(keys)), plan.name
        for s in g["strategies"]:
            rows = [p for p in g["projects"] if p["strategy_no"] == s["no"]]
            total = sum(Decimal(str(p["budget_thb"] or 0)) for p in rows)
            wrong_total = Decimal(str(s["table_total_thb"])) != total
            if s["declared_budget_thb"] is not None:
                wrong_total |= Decimal(str(s["declared_budget_thb"])) != total
            assert wrong_total == (s["no"] in planted["TOTAL_MISMATCH"]), (plan.name, s["no"])
            if s["declared_project_count"] is not None:
                assert (s["declared_project_count"] != len(rows)) == (s["no"] in planted["COUNT_MISMATCH"])
            else:
                assert s["no"] not in planted["COUNT_MISMATCH"]
        seqs = [t["seq"] for t in g["timeline"]]
        assert len(seqs) == len(set(seqs)) == len(g["projects"]), plan.name
        for t in g["timeline"]:
            assert (t["strategy_no"], t["project_seq"]) in keys, (plan.name, t)
            start = date.fromisoformat(t["start"]) if t["start"] else None
            end = date.fromisoformat(t["end"]) if t["end"] else None
            assert (start is None or end is None) == (t["seq"] in planted["INVALID_DATE"]), (plan.name, t)
            if start and end:
                assert (end < start) == (t["seq"] in planted["DATE_ORDER"]), (plan.name, t)
                outside = start < fy_start or end > fy_end
                assert outside == (t["seq"] in planted["DATE_OUTSIDE_FY"]), (plan.name, t)
        for p in g["projects"]:
            assert 10 <= len(p["name"]) <= 80, p["name"]
            assert p["budget_thb"] is None or 5000 <= p["budget_thb"] <= 900000
        for st in g["stats"]:
            assert st["unit"] in ("school", "person") and st["value"] > 0
        # two levels: strategies numbered 1..K across the plan, each under one parent, parents in order
        parents = [s.get("parent_no") for s in g["strategies"]]
        if plan.family == "two-level":
            assert [s["no"] for s in g["strategies"]] == list(range(1, len(parents) + 1)), plan.name
            assert None not in parents and parents == sorted(parents) and len(set(parents)) >= 2, plan.name
            assert all(s["parent_title"] for s in g["strategies"]), plan.name
        else:
            assert set(parents) == {None}, plan.name
        # the expected findings name existing strategies (or parents) and timeline rows
        for f in g["expected_findings"]:
            if f.get("parent_no") is not None:
                assert f["strategy_no"] is None and f["parent_no"] in parents, (plan.name, f)
            else:
                assert f["strategy_no"] in {s["no"] for s in g["strategies"]}
            assert f["seq"] is None or f["seq"] in seqs


def test_generator_writes_real_merges_shading_and_bold(tmp_path):
    """The DOCX carry the structure the PDF shows: gridSpan / vMerge merges, w:shd fills, bold runs."""
    import docx
    from docx.oxml.ns import qn
    names = ["grid-shaded-chiangrai2", "onetable-khonkaen-sec-policy", "split-quarters-chonburi2",
             "twolevel-onetable-buriram2-policy"]
    build_docs(tmp_path, only=names)
    for name in names:
        body = docx.Document(str(tmp_path / f"{name}.docx")).element.body
        spans = body.findall(".//" + qn("w:gridSpan"))
        assert spans, name
        assert body.findall(".//" + qn("w:bCs")), name
        if name.startswith(("grid", "split")):
            assert body.findall(".//" + qn("w:vMerge")), name
    grid = docx.Document(str(tmp_path / "grid-shaded-chiangrai2.docx"))
    shaded = [c for c in grid.element.body.iter(qn("w:tc"))
              if c.find(".//" + qn("w:shd")) is not None and not "".join(c.itertext()).strip()]
    assert len(shaded) >= 20     # months marked by fill alone
    # two levels in one table: the นโยบาย rows merged across the table, bold and shaded, above กลยุทธ์ rows
    two = docx.Document(str(tmp_path / "twolevel-onetable-buriram2-policy.docx")).tables[-1]
    merged = [r.cells[0] for r in two.rows if len({id(c._tc) for c in r.cells}) == 1]
    texts = [c.text.split(" ")[0] for c in merged]
    assert texts.count("นโยบายที่") == 4 and texts.count("กลยุทธ์ที่") == 7, texts
    assert all(c._tc.find(".//" + qn("w:shd")) is not None for c in merged if c.text.startswith("นโยบาย"))
    assert (tmp_path / "onetable-khonkaen-sec-policy.gold.json").exists()
    g = json.loads((tmp_path / "onetable-khonkaen-sec-policy.gold.json").read_text("utf-8"))
    assert g["document"]["office"] == "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาขอนแก่น" and g["document"]["area_no"] is None
