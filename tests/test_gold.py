"""Gold in minutes (issue 15): `thaiplan gold draft` writes a gold file from the extraction
(status draft) and a self-contained page to check it with; `thaiplan audit` refuses it until
`thaiplan gold check` marks it checked; a drafted, checked gold scores 1.000 against its own
document. Driven through the real CLI on the real sample and generated plans (DOCX, PDF)."""

import json
import shutil
from pathlib import Path

import pytest

from conftest import GOLD, SAMPLE
from families import build_all, build_docs
from pipeline.audit import AuditResult, compare
from pipeline.cli import main
from pipeline.gold import gold_of_rows
from pipeline.document import process_document
from pipeline.settings import Settings

FAMILY = "sheets-lampang1"        # projects from detail sheets, schedules only on the sheets
PDF_FAMILY = "grid-check-surin1"  # a landscape month grid


def _only_sources(folder: Path) -> None:
    for g in folder.glob("*.gold.json"):
        g.unlink()
    for t in folder.glob("*.txt"):
        t.unlink()


@pytest.fixture()
def plans(tmp_path) -> Path:
    """The real sample and a generated DOCX plan, without their gold files."""
    d = tmp_path / "plans"
    build_docs(d, only=[FAMILY])
    _only_sources(d)
    shutil.copy(SAMPLE, d / SAMPLE.name)
    return d


def test_a_drafted_checked_gold_scores_1_against_its_document(plans, tmp_path, capsys):
    for src in sorted(plans.iterdir()):
        assert main(["gold", "draft", str(src)]) == 0
    drafts = sorted(plans.glob("*.gold.json"))
    assert [d.name for d in drafts] == [f"{SAMPLE.stem}.gold.json", f"{FAMILY}.gold.json"]
    for d in drafts:
        gold = json.loads(d.read_text("utf-8"))
        assert gold["status"] == "draft"
        assert set(gold) >= {"document", "strategies", "projects", "timeline", "stats"}
        assert d.with_name(d.name.replace(".json", ".html")).is_file()
    capsys.readouterr()
    # the audit refuses drafts: one line naming the file, exit 2, nothing extracted
    out = tmp_path / "wh"
    assert main(["audit", str(plans), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(drafts[0]) in err and "draft" in err
    assert not (out / "documents").exists()
    for d in drafts:
        assert main(["gold", "check", str(d), "--who", "Somchai"]) == 0
        gold = json.loads(d.read_text("utf-8"))
        assert (gold["status"], gold["checked_by"]) == ("checked", "Somchai") and gold["checked_at"]
    assert main(["audit", str(plans), "--out", str(out), "--min-f1", "1.0"]) == 0
    scores = json.loads((out / "_audit" / "scores.json").read_text("utf-8"))
    assert scores["overall"]["f1"] == 1.0 and scores["overall"]["gold"] > 300
    assert set(scores["files"]) == {SAMPLE.name, f"{FAMILY}.docx"}


def test_the_draft_is_in_the_gold_form():
    """Drafted from the real sample, the draft agrees with the hand-checked gold fact for fact,
    and its text is as printed (Thai digits kept) where the printed text is the value."""
    result = process_document(SAMPLE, Settings())
    draft = gold_of_rows(result.rows, result.fiscal_year_be, SAMPLE)
    hand = json.loads(GOLD.read_text("utf-8"))
    scored = AuditResult()
    score = compare(hand, {ds: [_as_rows(ds, r) for r in (draft[k] if ds != "documents" else [draft[k]])]
                           for ds, k in (("documents", "document"), ("strategies", "strategies"),
                                         ("projects", "projects"), ("timeline", "timeline"), ("stats", "stats"))},
                    SAMPLE.name, scored)
    assert score.f1 == 1.0
    assert set(draft["projects"][0]) == set(hand["projects"][0])
    assert set(draft["timeline"][0]) == set(hand["timeline"][0])
    assert draft["projects"][1]["name"] == hand["projects"][1]["name"]      # "... พ.ศ. ๒๕๖๗" as printed


def _as_rows(ds: str, row: dict) -> dict:
    """A gold row read as a warehouse row (the audit's column names)."""
    rename = {"strategies": {"no": "strategy_no"}, "timeline": {"start": "start_date", "end": "end_date"}}
    return {rename.get(ds, {}).get(k, k): v for k, v in row.items()}


def test_the_page_of_a_pdf_draft_shows_each_page_beside_its_rows(tmp_path):
    corpus = build_all()
    src = tmp_path / f"{PDF_FAMILY}.pdf"
    shutil.copy(corpus / "pdf" / src.name, src)
    out = tmp_path / "drafts" / "surin.gold.json"
    assert main(["gold", "draft", str(src), "--out", str(out)]) == 0
    page = (out.parent / "surin.gold.html").read_text("utf-8")
    import pypdfium2 as pdfium
    pages = len(pdfium.PdfDocument(str(src)))
    assert page.count('src="data:image/png;base64,') == pages
    assert all(f'id="page-{n}"' in page for n in range(1, pages + 1))
    gold = json.loads(out.read_text("utf-8"))
    assert gold["projects"] and all(p["name"] in page for p in gold["projects"][:3])
    # self-contained: nothing fetched (inline SVG's namespace and inline scripts are not fetches)
    bare = page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http://" not in bare and "https://" not in bare and "<script src" not in page


def test_the_page_of_a_docx_draft_shows_its_text(plans):
    src = plans / f"{FAMILY}.docx"
    assert main(["gold", "draft", str(src)]) == 0
    page = (plans / f"{FAMILY}.gold.html").read_text("utf-8")
    gold = json.loads((plans / f"{FAMILY}.gold.json").read_text("utf-8"))
    assert "<pre>" in page and "data:image" not in page
    assert gold["document"]["office"] in page


def test_draft_does_not_overwrite_a_gold_file(plans, capsys):
    src = plans / SAMPLE.name
    target = plans / GOLD.name
    shutil.copy(GOLD, target)
    before = target.read_bytes()
    assert main(["gold", "draft", str(src)]) == 2
    assert "exists (--force overwrites it)" in capsys.readouterr().err
    assert target.read_bytes() == before
    assert main(["gold", "draft", str(src), "--force"]) == 0
    assert json.loads(target.read_text("utf-8"))["status"] == "draft"


@pytest.mark.parametrize("edit, message", [
    (lambda g: g.pop("timeline"), "key 'timeline' is missing"),
    (lambda g: g["projects"].append(dict(g["projects"][0])), "a second row with key 1/1"),
    (lambda g: g["timeline"][0].update(start="1 ต.ค. 66"), "timeline[1].start: '1 ต.ค. 66' is not an ISO date"),
    (lambda g: g["projects"][0].update(budget_thb="45,450"), "projects[1].budget_thb: '45,450' is not a number"),
    (lambda g: g["strategies"][0].pop("no"), "strategies[1]: key field(s) no must be given"),
])
def test_check_validates_the_structure(tmp_path, capsys, edit, message):
    gold = json.loads(GOLD.read_text("utf-8"))
    gold["status"] = "draft"
    edit(gold)
    path = tmp_path / "x.gold.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), "utf-8")
    before = path.read_bytes()
    assert main(["gold", "check", str(path), "--who", "me"]) == 2
    err = capsys.readouterr().err
    assert message in err and str(path) in err and err.count("\n") == 1, err
    assert path.read_bytes() == before


def test_a_hand_made_gold_without_status_is_still_audited(tmp_path):
    """Gold files written before drafts existed have no status: they are accepted as before."""
    d = tmp_path / "s"
    d.mkdir()
    shutil.copy(SAMPLE, d / SAMPLE.name)
    shutil.copy(GOLD, d / GOLD.name)
    assert "status" not in json.loads(GOLD.read_text("utf-8"))
    assert main(["audit", str(d), "--out", str(tmp_path / "wh"), "--min-f1", "1.0"]) == 0


def test_a_draft_of_a_two_level_plan_keeps_the_level_above(tmp_path):
    """A plan grouped นโยบาย -> กลยุทธ์: the draft's strategies carry parent_no / parent_title (the
    audit scores them), and a plan of one level has no such fields (before: never drafted, so a
    drafted gold of a two-level plan checked nothing of its upper level)."""
    d = tmp_path / "two"
    build_docs(d, only=["twolevel-onetable-buriram2-policy"])
    src = d / "twolevel-onetable-buriram2-policy.docx"
    result = process_document(src, Settings())
    draft = gold_of_rows(result.rows, result.fiscal_year_be, src)
    built = json.loads((d / "twolevel-onetable-buriram2-policy.gold.json").read_text("utf-8"))
    assert [(s["no"], s["parent_no"], s["parent_title"]) for s in draft["strategies"]] == \
        [(s["no"], s["parent_no"], s["parent_title"]) for s in built["strategies"]]
    one = process_document(SAMPLE, Settings())
    flat = gold_of_rows(one.rows, one.fiscal_year_be, SAMPLE)
    assert not any("parent_no" in s or "parent_title" in s for s in flat["strategies"])
