"""The real FY2567 plan, end to end: Parquet layout, types, figures, findings, re-runs."""

import shutil
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq

from conftest import SAMPLE, query
from normalizers.digits import arabic_to_thai
from pipeline.cli import main


def test_layout_is_hive_partitioned_by_fiscal_year(warehouse):
    files = sorted(p.relative_to(warehouse).as_posix() for p in warehouse.rglob("*.parquet"))
    datasets = {f.split("/")[0] for f in files}
    assert datasets == {"documents", "strategies", "projects", "timeline", "stats", "findings", "pages"}
    for f in files:
        ds, part, name = f.split("/")
        assert part == "fiscal_year_be=2567"
        assert len(name) == len("0" * 64 + ".parquet")
    assert not [p for p in warehouse.rglob("*") if p.name.startswith(".")], "temporary files left behind"


def test_parquet_types_follow_the_contract(warehouse):
    schema = pq.read_schema(next((warehouse / "projects").rglob("*.parquet")))
    assert str(schema.field("budget_thb").type) == "decimal128(18, 2)"
    assert "fiscal_year_be" not in schema.names          # partition lives in the path only
    schema = pq.read_schema(next((warehouse / "timeline").rglob("*.parquet")))
    assert str(schema.field("start_date").type) == "date32[day]"
    assert str(schema.field("strategy_no").type) == "int16"
    schema = pq.read_schema(next((warehouse / "documents").rglob("*.parquet")))
    assert str(schema.field("extracted_at").type) == "timestamp[us, tz=UTC]"


def test_budget_sums_per_strategy_match_gold(warehouse, gold):
    got = dict(query(warehouse, "projects",
                     "SELECT strategy_no, sum(budget_thb) FROM {t} WHERE fiscal_year_be = 2567 GROUP BY 1"))
    want = {}
    for p in gold["projects"]:
        want[p["strategy_no"]] = want.get(p["strategy_no"], 0) + p["budget_thb"]
    assert got == {k: Decimal(v) for k, v in want.items()}


def test_document_metadata(warehouse, gold):
    (row,) = query(warehouse, "documents",
                   "SELECT title, office, province, area_no, area_level, fiscal_year_start, "
                   "fiscal_year_end, status, fiscal_year_be, text_method FROM {t}")
    g = gold["document"]
    assert row[0] == g["title"]
    assert row[1] == g["office"]
    assert row[2:5] == (g["province"], g["area_no"], g["area_level"])
    assert (str(row[5]), str(row[6])) == (g["fiscal_year_start"], g["fiscal_year_end"])
    assert row[7:] == ("ok", 2567, "text")


def test_total_mismatch_exactly_on_strategies_2_3_6(warehouse):
    rows = query(warehouse, "findings",
                 "SELECT strategy_no, expected, actual FROM {t} WHERE code = 'TOTAL_MISMATCH' ORDER BY 1")
    assert rows == [(2, "32050.00", "47050.00"), (3, "42125.00", "116425.00"), (6, "522045.00", "530265.00")]


def test_dates_before_the_fiscal_year_are_flagged(warehouse):
    rows = query(warehouse, "findings",
                 "SELECT seq, actual FROM {t} WHERE code = 'DATE_OUTSIDE_FY' ORDER BY seq")
    assert rows == [(10, "2023-04-01"), (12, "2023-01-01"), (15, "2023-06-01"), (16, "2023-04-01")]


def test_nothing_is_flagged_that_is_not_wrong(warehouse):
    codes = dict(query(warehouse, "findings", "SELECT code, count(*) FROM {t} GROUP BY 1"))
    assert "COUNT_MISMATCH" not in codes
    assert "UNLINKED_TIMELINE" not in codes
    assert "INVALID_DATE" not in codes and "DATE_ORDER" not in codes
    assert "STAT_TOTAL_MISMATCH" not in codes
    # the two continuation pages printed under the budget table's header
    assert codes["HEADER_MISMATCH"] == 2


def test_every_timeline_row_links_to_its_project(warehouse, gold):
    got = query(warehouse, "timeline", "SELECT seq, strategy_no, project_seq, link_score FROM {t} ORDER BY seq")
    assert [(s, st, p) for s, st, p, _ in got] == [
        (t["seq"], t["strategy_no"], t["project_seq"]) for t in gold["timeline"]]
    # names spelled differently in the two tables still link, with a score below 1
    scores = {s: sc for s, _, _, sc in got}
    assert 0.8 < scores[18] < 1.0 and 0.8 < scores[21] < 1.0


def test_raw_columns_keep_the_print(warehouse):
    (row,) = query(warehouse, "projects",
                   "SELECT name, name_raw, budget_raw FROM {t} WHERE strategy_no = 2 AND seq = 2")
    assert row == ("รับนักเรียน ปีการศึกษา 2567", "รับนักเรียน ปีการศึกษา ๒๕๖๗", "๑๐,๐๐๐")


def test_responsible_groups_are_canonical(warehouse):
    groups = {g for (g,) in query(warehouse, "projects", "SELECT DISTINCT responsible_group FROM {t}")}
    assert "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา" in groups
    assert not any("ติดตาม และ" in g or "และ ประเมินผล" in g for g in groups)
    raws = {g for (g,) in query(warehouse, "projects", "SELECT DISTINCT responsible_group_raw FROM {t}")}
    assert len(raws) > len(groups)


def _snapshot(out: Path, doc_id: str | None = None) -> dict:
    """Every row of one document (or of the whole warehouse), without ids and timestamps. One
    document's rows leave out its SUPERSEDED finding: that depends on the other documents of the
    warehouse it is in, not on the document."""
    where = f"WHERE doc_id = '{doc_id}'" if doc_id else ""
    snap = {}
    for ds in ("strategies", "projects", "timeline", "stats", "findings", "pages"):
        cond = " AND code <> 'SUPERSEDED'" if doc_id and ds == "findings" else ""
        snap[ds] = sorted(map(repr, query(out, ds, f"SELECT * EXCLUDE (doc_id) FROM {{t}} {where}{cond}")))
    snap["documents"] = query(out, "documents",
                              "SELECT title, office, province, area_no, area_level, fiscal_year_start, "
                              f"status, page_count FROM {{t}} {where}")
    return snap


def test_extracting_twice_leaves_one_set_of_rows(tmp_path):
    assert main(["extract", str(SAMPLE), "--out", str(tmp_path)]) == 0
    first = _snapshot(tmp_path)
    assert main(["extract", str(SAMPLE), "--out", str(tmp_path)]) == 0
    assert _snapshot(tmp_path) == first
    assert query(tmp_path, "projects", "SELECT count(*) FROM {t}") == [(40,)]


def test_tis620_copy_gives_identical_rows(tmp_path, warehouse):
    legacy = tmp_path / "src" / "legacy.txt"
    legacy.parent.mkdir()
    # Windows-874 is TIS-620 plus the punctuation (– “ ”) this plan uses; byte-identical on Thai.
    legacy.write_bytes(SAMPLE.read_text("utf-8").encode("cp874"))
    out = tmp_path / "wh"
    assert main(["extract", str(legacy), "--out", str(out)]) == 0
    assert _snapshot(out) == _snapshot(warehouse)
    assert query(out, "documents", "SELECT encoding FROM {t}") == [("tis-620",)]


def test_thai_and_arabic_digit_copies_agree(tmp_path, warehouse):
    """Printing every number in Thai digits changes the raw columns only."""
    thai = tmp_path / "thai.txt"
    thai.write_text(arabic_to_thai(SAMPLE.read_text("utf-8")), "utf-8")
    out = tmp_path / "wh"
    assert main(["extract", str(thai), "--out", str(out)]) == 0
    q = "SELECT strategy_no, seq, name, responsible_group, budget_thb FROM {t} ORDER BY 1, 2"
    assert query(out, "projects", q) == query(warehouse, "projects", q)


def test_audit_passes_on_samples(tmp_path, capsys):
    samples = tmp_path / "samples"
    shutil.copytree(SAMPLE.parent, samples)
    assert main(["audit", str(samples), "--out", str(tmp_path / "wh"), "--min-f1", "0.99"]) == 0
    out = capsys.readouterr().out
    assert "OVERALL" in out and "audit passed" in out
    assert (tmp_path / "wh" / "_audit" / "scores.json").exists()
    assert (tmp_path / "wh" / "_audit" / "report.md").exists()


def test_audit_fails_below_min_f1_when_gold_disagrees(tmp_path, gold):
    import json
    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(SAMPLE, samples / "x.txt")
    wrong = json.loads(json.dumps(gold))
    for p in wrong["projects"]:
        p["budget_thb"] += 1
    (samples / "x.gold.json").write_text(json.dumps(wrong, ensure_ascii=False), "utf-8")
    assert main(["audit", str(samples), "--out", str(tmp_path / "wh"), "--min-f1", "0.99"]) == 1
