"""CLI behaviour: exit codes, failed rows that do not stop a batch, text and sql commands."""

import os
import shutil

from conftest import SAMPLE, query
from pipeline.cli import main


def test_bad_files_fail_alone_and_the_batch_goes_on(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLE, src / "good.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(os.urandom(2000) + b"\x00")
    out = tmp_path / "wh"
    assert main(["extract", str(src), "--out", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "Traceback" not in printed
    rows = dict(query(out, "documents", "SELECT source_name, status || ': ' || coalesce(error, '') FROM {t}"))
    assert rows["good.txt"] == "ok: "
    assert rows["empty.txt"] == "failed: empty file (0 bytes)"
    assert rows["binary.txt"].startswith("failed: binary file")
    # the failed documents go to the default partition, the good one keeps its rows
    assert query(out, "documents", "SELECT count(*) FROM {t} WHERE fiscal_year_be IS NULL") == [(2,)]
    assert query(out, "projects", "SELECT count(*) FROM {t}") == [(40,)]


def test_usage_errors_exit_2(tmp_path):
    import pytest
    with pytest.raises(SystemExit) as e:
        main(["extract"])
    assert e.value.code == 2
    with pytest.raises(SystemExit) as e:
        main(["extract", str(SAMPLE), "--ocr", "sometimes"])
    assert e.value.code == 2
    empty = tmp_path / "nothing"
    empty.mkdir()
    assert main(["extract", str(empty), "--out", str(tmp_path / "wh")]) == 2


def test_missing_input_is_reported_and_exit_1(tmp_path, capsys):
    assert main(["extract", str(SAMPLE), str(tmp_path / "nope.pdf"), "--out", str(tmp_path / "wh")]) == 1
    assert "no such file" in capsys.readouterr().out


def test_two_workers_give_the_same_rows(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLE, src / "a.txt")
    (src / "b.txt").write_bytes(SAMPLE.read_text("utf-8").encode("cp874"))
    assert main(["extract", str(src), "--out", str(tmp_path / "w2"), "--workers", "2"]) == 0
    assert main(["extract", str(src), "--out", str(tmp_path / "w1")]) == 0
    q = "SELECT strategy_no, seq, budget_thb FROM {t} ORDER BY ALL"
    assert query(tmp_path / "w2", "projects", q) == query(tmp_path / "w1", "projects", q)


def test_text_command_prints_pages(capsys):
    assert main(["text", str(SAMPLE), "--pages", "1-1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("=== page 1 · method text · quality 0.")
    assert "มีโครงการรองรับกลยุทธ์ที่ ๒ โครงการ" in out


def test_sql_command(warehouse, capsys):
    assert main(["sql", str(warehouse), "SELECT count(*) AS n FROM projects"]) == 0
    assert "40" in capsys.readouterr().out
    assert main(["sql", str(warehouse), "SELEC nonsense"]) == 2
