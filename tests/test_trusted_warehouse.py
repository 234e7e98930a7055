"""Issue #14 on a real warehouse: several documents (one plan as text, PDF and DOCX, another
office's plan, a document that is not a plan, a failed one), read by every tool, one plan counted
once, exported, described, with exit codes, progress and CLI habits."""

import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, SAMPLE, query
from pipeline.cli import main

CM2 = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต 2"
DATASETS = ("documents", "strategies", "projects", "timeline", "stats", "findings", "pages")


def _docs(out: Path) -> dict[str, tuple]:
    return {name: (doc, plan, by, status) for name, doc, plan, by, status in query(
        out, "documents", "SELECT source_name, doc_id, plan_id, superseded_by, status FROM {t}")}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    from fixtures import build_all
    fx = build_all()
    src = tmp_path_factory.mktemp("in")
    shutil.copy(SAMPLE, src / "plan.txt")
    shutil.copy(fx / "pdf" / "ruled-laksaman-thai.pdf", src / "plan.pdf")
    shutil.copy(fx / "ruled-laksaman-thai.docx", src / "plan.docx")
    shutil.copy(fx / "pdf" / "lampang-2571-budget-first.pdf", src / "lampang.pdf")
    (src / "empty.txt").write_bytes(b"")
    # the same plan three times with equal facts: the latest file wins (the DOCX)
    for k, name in enumerate(("plan.txt", "plan.pdf", "plan.docx")):
        os.utime(src / name, (1_700_000_000 + k, 1_700_000_000 + k))
    return src


@pytest.fixture(scope="module")
def built(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("wh")
    code = main(["extract", str(inputs), "--out", str(out), "--workers", "2"])
    assert main(["report", str(out)]) == 0
    return out, code


# ---- 1. one plan counted once ----------------------------------------------------------------

def test_one_plan_three_files_counted_once(built, capsys):
    out, _ = built
    docs = _docs(out)
    plan = {docs[n][1] for n in ("plan.txt", "plan.pdf", "plan.docx")}
    assert len(plan) == 1 and None not in plan
    assert docs["lampang.pdf"][1] not in plan and docs["empty.txt"][1] is None   # unknown office/year
    current = docs["plan.docx"][0]
    assert docs["plan.docx"][2] is None
    assert docs["plan.txt"][2] == current and docs["plan.pdf"][2] == current
    superseded = query(out, "findings", "SELECT doc_id, actual FROM {t} WHERE code = 'SUPERSEDED' ORDER BY 1")
    assert superseded == sorted([(docs["plan.txt"][0], current), (docs["plan.pdf"][0], current)])
    # the views count the plan once
    assert main(["sql", str(out), "SELECT projects, budget_thb FROM budget_by_office_year "
                                  f"WHERE office = '{CM2}'"]) == 0
    shown = capsys.readouterr().out
    assert "1455115.00" in shown and "4365345.00" not in shown and "│       40 │" in shown
    assert main(["sql", str(out), "SELECT documents FROM plans WHERE fiscal_year_be = 2567"]) == 0
    assert "│         3 │" in capsys.readouterr().out


def test_report_headline_counts_current_documents(built):
    out, _ = built
    html = (out / "_report.html").read_text("utf-8")
    assert ('<span class="kpi">3</span>เอกสาร<span class="en">documents</span> 2 ok · 0 partial · 1 failed · '
            "2 superseded copies not counted") in html
    assert '<span class="kpi">80</span>โครงการ' in html
    assert '<span class="en">superseded documents</span> (2)' in html


def test_corrected_file_at_the_same_path_supersedes_the_old_one(tmp_path):
    from normalizers.digits import arabic_to_thai
    src = tmp_path / "in" / "plan.txt"
    src.parent.mkdir()
    shutil.copy(SAMPLE, src)
    out = tmp_path / "wh"
    assert main(["extract", str(src), "--out", str(out)]) == 0
    (old,) = query(out, "documents", "SELECT doc_id FROM {t}")[0]
    src.write_text(arabic_to_thai(SAMPLE.read_text("utf-8")), "utf-8")    # re-published: other bytes
    os.utime(src, (1_000_000_000, 1_000_000_000))     # even with an older mtime the newer extraction wins
    assert main(["extract", str(src), "--out", str(out)]) == 0
    rows = dict(query(out, "documents", "SELECT doc_id, superseded_by FROM {t}"))
    (new,) = set(rows) - {old}
    assert rows == {old: new, new: None}
    assert query(out, "projects", "SELECT count(*) FROM {t}") == [(80,)]        # both kept, raw
    con = __import__("output.warehouse", fromlist=["connect"]).connect(out)
    assert con.execute("SELECT count(*) FROM project_details").fetchone() == (40,)


def test_remove_by_path_and_doc_id_recomputes_supersession(inputs, tmp_path, capsys):
    out = tmp_path / "wh"
    shutil.copytree(inputs, tmp_path / "in")
    for name in ("plan.txt", "plan.pdf", "plan.docx"):
        os.utime(tmp_path / "in" / name, (os.stat(inputs / name).st_mtime,) * 2)
    assert main(["extract", str(tmp_path / "in" / "plan.pdf"), str(tmp_path / "in" / "plan.docx"),
                 str(tmp_path / "in" / "empty.txt"), "--out", str(out)]) == 1
    docs = _docs(out)
    assert docs["plan.pdf"][2] == docs["plan.docx"][0]
    assert main(["remove", str(out), str(tmp_path / "in" / "plan.docx")]) == 0
    docs = _docs(out)
    assert set(docs) == {"plan.pdf", "empty.txt"} and docs["plan.pdf"][2] is None     # current again
    assert query(out, "findings", "SELECT count(*) FROM {t} WHERE code = 'SUPERSEDED'") == [(0,)]
    assert main(["remove", str(out), docs["empty.txt"][0][:12]]) == 0
    assert set(_docs(out)) == {"plan.pdf"}
    assert not list(out.glob("*/fiscal_year_be=__HIVE_DEFAULT_PARTITION__/*.parquet"))
    assert main(["remove", str(out), "0123456789abcdef"]) == 2
    assert "no such document" in capsys.readouterr().err


# ---- 2. every tool reads the warehouse as is ------------------------------------------------------

def test_non_data_files_are_under_underscore_names(built):
    out, _ = built
    assert sorted(p.name for p in out.iterdir()) == sorted(["_lock", "_logs", "_report.html", "_report", *DATASETS])


def test_pandas_reads_every_dataset_and_the_root(built):
    import pandas as pd
    out, _ = built
    docs = pd.read_parquet(out / "documents")
    assert len(docs) == 5
    years = docs.set_index("source_name")["fiscal_year_be"]
    assert pd.isna(years["empty.txt"]) and years["plan.txt"] == 2567 and years["lampang.pdf"] == 2571
    for name in DATASETS:
        assert len(pd.read_parquet(out / name)) == query(out, name, "SELECT count(*) FROM {t}")[0][0]
    root = pd.read_parquet(out, columns=["doc_id"])
    assert len(root) == sum(query(out, n, "SELECT count(*) FROM {t}")[0][0] for n in DATASETS)


def test_polars_reads_every_dataset(built):
    import polars as pl
    out, _ = built
    docs = pl.read_parquet(out / "documents", hive_partitioning=True)
    assert docs.height == 5 and docs["fiscal_year_be"].null_count() == 1
    for name in DATASETS:
        assert pl.scan_parquet(out / name).collect().height == \
            query(out, name, "SELECT count(*) FROM {t}")[0][0]
    budget = (pl.read_parquet(out / "projects").join(docs.filter(pl.col("superseded_by").is_null())
                                                     .select("doc_id"), on="doc_id")["budget_thb"].sum())
    assert budget == Decimal("2910230.00")
    # the root holds seven datasets: polars reads them together through a glob
    root = pl.scan_parquet(out / "*" / "*" / "*.parquet", hive_partitioning=True, extra_columns="ignore",
                           missing_columns="insert").select("doc_id").collect()
    assert root.height > 0


def test_pyarrow_dataset_and_duckdb_read_root_and_datasets(built):
    import duckdb
    out, _ = built
    root = ds.dataset(out, format="parquet", partitioning="hive")
    assert all(f.endswith(".parquet") and "/_" not in f for f in root.files)
    assert root.to_table(columns=["doc_id"]).num_rows > 0
    for name in DATASETS:
        t = ds.dataset(out / name, format="parquet", partitioning="hive").to_table()
        assert t.num_rows == query(out, name, "SELECT count(*) FROM {t}")[0][0]
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/*/*/*.parquet', hive_partitioning = true, "
                   "union_by_name = true)").fetchall()[0][0]
    assert n == root.count_rows()
    years = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/documents/*/*.parquet', "
                       "hive_partitioning = true) WHERE fiscal_year_be IS NULL").fetchall()
    assert years == [(1,)]


def test_old_layout_is_moved_under_underscore_names(tmp_path):
    out = tmp_path / "wh"
    assert main(["extract", str(SAMPLE), "--out", str(out)]) == 0
    (out / "_logs").rename(out / "logs")
    (out / "audit").mkdir()
    (out / "audit" / "scores.json").write_text("{}")
    (out / "report.html").write_text("old")
    assert main(["report", str(out)]) == 0
    names = {p.name for p in out.iterdir()}
    assert {"_logs", "_audit", "_report.html"} <= names and not names & {"logs", "audit", "report.html"}
    assert (out / "_audit" / "scores.json").exists() and list((out / "_logs").glob("extract-*.log"))


# ---- 3. export -----------------------------------------------------------------------------------

def test_export_csv_xlsx_json_parquet(built, tmp_path):
    from openpyxl import load_workbook
    out, _ = built
    q = "SELECT office, fiscal_year_be, strategy_no, seq, name, budget_thb, start_date FROM project_details"
    assert main(["export", str(out), q, "--format", "csv", "--to", str(tmp_path / "p.csv")]) == 0
    raw = (tmp_path / "p.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and CM2.encode("utf-8") in raw
    assert raw.decode("utf-8-sig").count("\n") == 81                 # header + 80 current projects
    assert main(["export", str(out), q, "--to", str(tmp_path / "p.xlsx")]) == 0
    ws = load_workbook(tmp_path / "p.xlsx").active
    assert [c.value for c in ws[1]] == ["office", "fiscal_year_be", "strategy_no", "seq", "name",
                                        "budget_thb", "start_date"]
    assert ws.max_row == 81
    row = [c for c in ws[2]]
    assert row[5].data_type == "n" and isinstance(row[5].value, (int, float))
    assert row[6].is_date and row[6].value.year >= 2022
    assert main(["export", str(out), "budget_by_office_year", "--format", "json",
                 "--to", str(tmp_path / "b.json")]) == 0
    records = json.loads((tmp_path / "b.json").read_text("utf-8"))
    assert {r["office"]: r["budget_thb"] for r in records}[CM2] == 1455115
    assert main(["export", str(out), "documents", "--to", str(tmp_path / "d.parquet")]) == 0
    assert pq.read_table(tmp_path / "d.parquet").num_rows == 5
    assert main(["export", str(out), "SELEC nonsense", "--to", str(tmp_path / "x.csv")]) == 2
    assert not (tmp_path / "x.csv").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# ---- 4. data dictionary --------------------------------------------------------------------------

def test_every_column_has_its_meaning_in_the_parquet_schema(built, capsys):
    out, _ = built
    for name in DATASETS:
        schema = pq.read_schema(next((out / name).rglob("*.parquet")))
        for field in schema:
            assert field.metadata and field.metadata[b"description"].strip(), (name, field.name)
    budget = pq.read_schema(next((out / "projects").rglob("*.parquet"))).field("budget_thb")
    assert b"baht" in budget.metadata[b"description"]
    assert main(["schema", "projects"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("projects\n") and "budget_thb" in printed and "decimal128(18, 2)" in printed
    assert "fiscal_year_be" in printed
    assert main(["schema"]) == 0
    printed = "\n" + capsys.readouterr().out
    assert all(f"\n{n}\n" in printed for n in DATASETS)
    assert main(["schema", "nope"]) == 2


# ---- 5. exit codes and summary -------------------------------------------------------------------

def test_exit_1_when_failed_with_wall_time_and_failed_list(built, inputs, tmp_path, capsys):
    out, code = built
    assert code == 1
    assert main(["extract", str(inputs), "--out", str(tmp_path / "wh")]) == 1
    printed = capsys.readouterr().out
    assert "wall time" in printed
    tail = printed[printed.index("\nfailed:\n"):]
    assert "empty.txt: empty file (0 bytes)" in tail
    assert "errors)" not in printed and "3 findings of severity error" in printed
    # a resumed batch keeps the earlier status: still 1
    assert main(["extract", str(inputs), "--out", str(tmp_path / "wh")]) == 1


def test_exit_3_when_partial_and_none_failed(tmp_path):
    """The contract's exit status by default (1 for partial); 3 with --detailed-exit."""
    notplan = tmp_path / "memo.txt"
    notplan.write_text("บันทึกข้อความ\nเรื่อง ขอเชิญประชุม\nด้วยสำนักงานจะจัดประชุมครูในวันจันทร์\n", "utf-8")
    out = tmp_path / "wh"
    assert main(["extract", str(notplan), str(SAMPLE), "--out", str(out)]) == 1
    assert main(["extract", str(notplan), str(SAMPLE), "--out", str(out), "--force", "--detailed-exit"]) == 3
    assert dict(query(out, "documents", "SELECT source_name, status FROM {t}"))["memo.txt"] == "partial"
    assert main(["extract", str(SAMPLE), "--out", str(out)]) == 0


# ---- 6. progress -----------------------------------------------------------------------------------

def test_workers_report_pages_while_a_document_runs(inputs, tmp_path):
    from pipeline.batch import run_batch
    from pipeline.settings import Settings
    events, finished = [], []
    run_batch([inputs / "plan.pdf", inputs / "plan.txt"], Settings(out=str(tmp_path / "wh")),
              report=lambda s: finished.append((len(events), s.path)),
              on_pages=lambda path, done, total: events.append((Path(path).name, done, total)))
    pdf = [(d, t) for n, d, t in events if n == "plan.pdf"]
    assert pdf and pdf[-1] == (69, 69)
    assert finished[0][0] >= 1            # the pages came before the document's summary


def test_plain_progress_lines_come_on_time_not_only_when_a_document_ends():
    from pipeline.progress import Progress
    stream = io.StringIO()
    p = Progress(3, stream=stream, tty=False, every=0.05).start_timer()
    p.page("a.pdf", 10, 40)
    deadline = time.monotonic() + 30
    while "progress:" not in stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    p.close()
    first = stream.getvalue().splitlines()[0]
    assert first.startswith("progress: [") and "0/3 documents · 10 pages" in first


def test_bar_fits_the_terminal_and_clears_to_the_end(monkeypatch):
    from pipeline import progress
    from pipeline.progress import Progress
    monkeypatch.setattr(progress.shutil, "get_terminal_size", lambda fallback=None: os.terminal_size((80, 24)))
    stream = io.StringIO()
    p = Progress(1000, stream=stream, tty=True)
    p.page("a.pdf", 5, 10)
    p.close()
    draws = [d for d in stream.getvalue().split("\r") if d]
    assert draws and all(len(d.rstrip("\n").replace("\033[K", "")) <= 79 for d in draws)
    assert all(d.startswith("\033[K") or d.rstrip("\n").endswith("\033[K") for d in draws)
    assert "#" in draws[0].split("]")[0] or "." in draws[0]


# ---- 7. CLI habits ----------------------------------------------------------------------------------

def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300)


def test_version_help_defaults_and_subcommand_usage():
    r = _cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("thaiplan ")
    r = _cli("extract", "--help")
    assert "(default: 2000)" in r.stdout and "exit status (the contract's):" in r.stdout
    assert "  3  some document partial" in r.stdout
    r = _cli("extract", "--bogus", str(SAMPLE))
    assert r.returncode == 2 and r.stderr.startswith("usage: thaiplan extract")
    assert "unrecognized arguments: --bogus" in r.stderr


def test_bad_page_range_is_one_line(capsys):
    assert main(["text", str(SAMPLE), "--pages", "x-y"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad --pages 'x-y'" in err


def test_quiet_prints_the_summary_only(tmp_path):
    r = _cli("extract", str(SAMPLE), "--out", str(tmp_path / "wh"), "--quiet")
    assert r.returncode == 0 and r.stderr == ""
    assert r.stdout.lstrip().startswith("1 documents: 1 ok")


def test_password_from_a_file_or_the_environment(inputs, tmp_path):
    import pikepdf
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(inputs / "plan.pdf") as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="owner-pw", user="secret"))
    assert main(["extract", str(locked), "--out", str(tmp_path / "a")]) == 1
    (tmp_path / "pw").write_text("secret\n")
    assert main(["extract", str(locked), "--out", str(tmp_path / "b"), "--password-file", str(tmp_path / "pw")]) == 0
    r = _cli("extract", str(locked), "--out", str(tmp_path / "c"), "--quiet", env={"THAIPLAN_PASSWORD": "secret"})
    assert r.returncode == 0, r.stdout + r.stderr
