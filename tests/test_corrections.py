"""Corrections that stick (issue 15): `thaiplan correct` records an auditor's value, the
warehouse shows it at once, every re-extraction applies it again with the extracted value kept
beside it, the audit scores as extracted and after corrections apart, and a correction whose row
is gone is reported (CORRECTION_ORPHANED), never dropped. Driven through the real CLI on the
real sample and a generated plan (tests/families.py)."""

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import GOLD, SAMPLE, query
from families import build_docs
from pipeline.cli import main
from pipeline.corrections import CORRECTIONS_DIR, corrections_path

FAMILY = "onetable-khonkaen-sec-policy"     # a secondary office, stats tables, continuous numbering


@pytest.fixture()
def samples(tmp_path) -> Path:
    """The real sample and its gold in a folder of their own."""
    d = tmp_path / "samples"
    d.mkdir()
    shutil.copy(SAMPLE, d / SAMPLE.name)
    shutil.copy(GOLD, d / GOLD.name)
    return d


def _correct(out, *args, doc, who="auditor", why="printed otherwise on the page"):
    return main(["correct", str(out), *args, "--doc", str(doc), "--who", who, "--why", why])


def _budget(out, strategy_no, seq):
    return query(out, "projects", f"SELECT budget_thb FROM {{t}} WHERE strategy_no = {strategy_no} AND seq = {seq}")


def test_a_correction_survives_a_rerun_and_shows_in_the_audit(samples, tmp_path, capsys):
    out, src = tmp_path / "wh", samples / SAMPLE.name
    assert main(["extract", str(src), "--out", str(out)]) == 0
    assert _budget(out, 1, 1) == [(Decimal("45450.00"),)]
    assert _correct(out, "projects", "1/1", "budget_thb", "45,451", doc=src, why="page 12 prints 45,451") == 0
    assert "45450.00" in capsys.readouterr().out
    # applied at once, the extracted value kept beside it
    assert _budget(out, 1, 1) == [(Decimal("45451.00"),)]
    log = query(out, "corrections", "SELECT dataset, key, \"column\", extracted_value, corrected_value, who, why, "
                                    "status, applied_at IS NOT NULL FROM {t}")
    assert log == [("projects", "1/1", "budget_thb", "45450.00", "45451.00", "auditor", "page 12 prints 45,451",
                    "applied", True)]
    # the file: one per document under DIR/_corrections, named by doc_id
    files = list((out / CORRECTIONS_DIR).glob("*.json"))
    assert [f.stem for f in files] == [query(out, "documents", "SELECT doc_id FROM {t}")[0][0]]
    # a re-run extracts again and applies it again
    assert main(["extract", str(src), "--out", str(out), "--force"]) == 0
    assert _budget(out, 1, 1) == [(Decimal("45451.00"),)]
    assert query(out, "corrections", "SELECT count(*), min(extracted_value) FROM {t}") == [(1, "45450.00")]
    capsys.readouterr()
    # the audit re-extracts too: as extracted the code is right (1.000); after corrections one fact differs
    assert main(["audit", str(samples), "--out", str(out), "--min-f1", "1.0"]) == 0
    printed = capsys.readouterr().out
    assert "corrections: 1 applied, 0 orphaned; F1 as extracted 1.0000, after corrections 0.9976" in printed
    scores = json.loads((out / "_audit" / "scores.json").read_text("utf-8"))
    assert scores["overall"]["f1"] == 1.0
    assert scores["after_corrections"]["overall"]["correct"] == scores["overall"]["correct"] - 1
    assert scores["corrections"]["applied"] == 1 and scores["corrections"]["orphaned"] == 0
    assert scores["corrections"]["list"][0]["corrected_value"] == "45451.00"
    html = (out / "_audit" / "report.html").read_text("utf-8")
    assert "Corrections (1 applied, 0 orphaned)" in html and "45451.00" in html


def test_a_second_correction_of_the_same_cell_replaces_the_first(samples, tmp_path):
    out, src = tmp_path / "wh", samples / SAMPLE.name
    assert main(["extract", str(src), "--out", str(out)]) == 0
    assert _correct(out, "projects", "1/1", "budget_thb", "1", doc=src) == 0
    assert _correct(out, "projects", "1/1", "budget_thb", "2", doc=src) == 0
    assert _budget(out, 1, 1) == [(Decimal("2.00"),)]
    assert query(out, "corrections", "SELECT extracted_value, corrected_value FROM {t}") == [("45450.00", "2.00")]
    # an empty value clears the cell
    assert _correct(out, "projects", "1/1", "budget_thb", "", doc=src) == 0
    assert _budget(out, 1, 1) == [(None,)]


def test_corrections_of_every_dataset(tmp_path):
    """Documents (also the fiscal year, which moves the partition), strategies, projects by
    strategy_no/seq, timeline by seq, stats by table/label (label matched as the audit compares)."""
    build_docs(tmp_path / "src", only=[FAMILY])
    src = tmp_path / "src" / f"{FAMILY}.docx"
    out = tmp_path / "wh"
    assert main(["extract", str(src), "--out", str(out)]) == 0
    label, table = query(out, "stats", "SELECT label, \"table\" FROM {t} ORDER BY label LIMIT 1")[0]
    seq = query(out, "timeline", "SELECT min(seq) FROM {t}")[0][0]
    no, pseq = query(out, "projects", "SELECT strategy_no, seq FROM {t} ORDER BY ALL LIMIT 1")[0]
    fy = query(out, "documents", "SELECT fiscal_year_be FROM {t}")[0][0]
    spaced = " ".join(label)                       # white space does not matter in a stats label
    for args in (["documents", "-", "office", "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาขอนแก่น (แก้)"],
                 ["documents", "-", "fiscal_year_be", "2571"],
                 ["strategies", str(no), "title", "กลยุทธ์ที่แก้แล้ว"],
                 ["projects", f"{no}/{pseq}", "responsible_group", "กลุ่มนโยบายและแผน"],
                 ["timeline", str(seq), "end_date", "2024-09-30"],
                 ["stats", f"{table}/{spaced}", "value", "๑๒"]):
        assert _correct(out, *args, doc=src) == 0, args
    assert query(out, "documents", "SELECT office, fiscal_year_be FROM {t}") == [
        ("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาขอนแก่น (แก้)", 2571)]
    assert {p.parent.name for p in out.glob("*/*/*.parquet")} == {"fiscal_year_be=2571"}
    assert query(out, "strategies", f"SELECT title FROM {{t}} WHERE strategy_no = {no}") == [("กลยุทธ์ที่แก้แล้ว",)]
    assert query(out, "timeline", f"SELECT end_date::VARCHAR FROM {{t}} WHERE seq = {seq}") == [("2024-09-30",)]
    assert query(out, "stats", f"SELECT value FROM {{t}} WHERE label = '{label}'") == [(12,)]
    assert query(out, "corrections", "SELECT count(*) FROM {t} WHERE status = 'applied'") == [(6,)]
    # every dataset of the document moved with its fiscal year; a re-run does the same again
    assert main(["extract", str(src), "--out", str(out), "--force"]) == 0
    assert {p.parent.name for p in out.glob("*/*/*.parquet")} == {"fiscal_year_be=2571"}
    assert query(out, "corrections", "SELECT extracted_value FROM {t} WHERE \"column\" = 'fiscal_year_be'") == \
        [(str(fy),)]
    assert query(out, "projects", f"SELECT responsible_group FROM {{t}} WHERE strategy_no = {no} AND seq = {pseq}") \
        == [("กลุ่มนโยบายและแผน",)]


def test_an_orphaned_correction_is_reported(tmp_path, capsys):
    """Recorded before the document was extracted (as after an extractor change), a correction of
    a row the extraction does not have: not applied, kept, a finding and a line in the audit."""
    src_dir = tmp_path / "samples"
    build_docs(src_dir, only=[FAMILY])
    (src_dir / f"{FAMILY}.txt").unlink(missing_ok=True)
    src, out = src_dir / f"{FAMILY}.docx", tmp_path / "wh"
    assert _correct(out, "projects", "9/99", "budget_thb", "100", doc=src, who="somchai") == 0
    assert "applied when it is extracted" in capsys.readouterr().out
    assert main(["extract", str(src), "--out", str(out)]) == 0
    assert query(out, "findings", "SELECT severity, code, strategy_no, seq, expected FROM {t} "
                                  "WHERE code = 'CORRECTION_ORPHANED'") == [("warning", "CORRECTION_ORPHANED", 9, 99,
                                                                             "100.00")]
    assert query(out, "corrections", "SELECT key, status, extracted_value FROM {t}") == [("9/99", "orphaned", None)]
    assert corrections_path(out, query(out, "documents", "SELECT doc_id FROM {t}")[0][0]).is_file()
    capsys.readouterr()
    assert main(["audit", str(src_dir), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "corrections: 0 applied, 1 orphaned" in printed
    assert f"CORRECTION_ORPHANED {FAMILY}.docx projects 9/99 budget_thb: no such row (recorded by somchai" in printed
    assert "CORRECTION_ORPHANED" in (out / "_audit" / "report.md").read_text("utf-8")


@pytest.mark.parametrize("args, message", [
    (["projects", "1/1", "budget_thb", "12a"], "projects.budget_thb is money in baht: '12a' is not a number"),
    (["projects", "1/1", "budget_thb", "1.234"], "at most 2 decimals"),
    (["timeline", "1", "start_date", "2024-02-30"], "timeline.start_date is a date: '2024-02-30' is not an ISO date"),
    (["timeline", "1", "start_date", "1 ต.ค. 66"], "is not an ISO date"),
    (["strategies", "1", "declared_project_count", "2.5"], "is a whole number: '2.5' is not one"),
    (["documents", "-", "area_no", "70000"], "is a 16-bit whole number: 70000 is out of range"),
    (["projects", "1", "budget_thb", "5"], "projects rows are named by strategy_no/seq (e.g. 2/3)"),
    (["projects", "1/x", "budget_thb", "5"], "seq 'x' is not a number"),
    (["projects", "1/1", "seq", "5"], "projects.seq is part of the row's key"),
    (["projects", "1/1", "nonsense", "5"], "projects has no column 'nonsense'"),
    (["findings", "1", "code", "X"], "cannot correct dataset 'findings'"),
    (["projects", "1/99", "budget_thb", "5"], "projects has no row '1/99'"),
])
def test_a_bad_correction_is_one_line_and_exit_2(samples, tmp_path, capsys, args, message):
    out, src = tmp_path / "wh", samples / SAMPLE.name
    assert main(["extract", str(src), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    assert _correct(out, *args, doc=src) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err
    assert not (out / CORRECTIONS_DIR).exists()            # nothing recorded
    assert _budget(out, 1, 1) == [(Decimal("45450.00"),)]


def test_the_document_is_named_by_doc_id_or_path(samples, tmp_path, capsys):
    out, src = tmp_path / "wh", samples / SAMPLE.name
    assert main(["extract", str(src), "--out", str(out), "--quiet"]) == 0
    doc_id = query(out, "documents", "SELECT doc_id FROM {t}")[0][0]
    assert _correct(out, "stats", "schools_by_district/อำเภอแม่แตง", "value", "36", doc=doc_id[:10]) == 0
    assert query(out, "stats", "SELECT value FROM {t} WHERE label = 'อำเภอแม่แตง'") == [(36,)]
    capsys.readouterr()
    assert _correct(out, "stats", "schools_by_district/อำเภอแม่แตง", "value", "36", doc="deadbeefdead") == 2
    assert "--doc deadbeefdead: no such document" in capsys.readouterr().err


def test_an_unreadable_corrections_file_is_a_finding_not_a_failure(samples, tmp_path):
    out, src = tmp_path / "wh", samples / SAMPLE.name
    assert main(["extract", str(src), "--out", str(out), "--quiet"]) == 0
    doc_id = query(out, "documents", "SELECT doc_id FROM {t}")[0][0]
    path = corrections_path(out, doc_id)
    path.parent.mkdir()
    path.write_text("{not json", "utf-8")
    assert main(["extract", str(src), "--out", str(out), "--force", "--quiet"]) == 0
    assert query(out, "findings", "SELECT code FROM {t} WHERE code LIKE 'CORRECTION%'") == [("CORRECTIONS_UNREADABLE",)]
    assert _budget(out, 1, 1) == [(Decimal("45450.00"),)]
