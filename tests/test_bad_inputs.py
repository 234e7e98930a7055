"""Bad input never loses data or stops the batch: every class of junk ends as a documents
row with a clear one-line error, and a good plan in the same batch extracts as it does alone."""

import shutil
import subprocess
import sys

import pytest
from hypothesis import given, strategies as st

import bad_inputs
from conftest import ROOT, SAMPLE, query
from normalizers.names import canonical_group, province_at, strip_numbering
from normalizers.quality import text_quality
from pipeline.cli import main
from test_sample_warehouse import _snapshot

LIMITS = ["--max-pages", "50", "--ocr", "never", "--timeout", "120", "--max-memory-mb", "1024"]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    from fixtures import build_all
    fx = build_all()
    folder = tmp_path_factory.mktemp("bad")
    expect = bad_inputs.build(folder, fx / "pdf" / "ruled-laksaman-thai.pdf",
                              next((fx / "scan").glob("*.pdf")))
    shutil.copy(SAMPLE, folder / "good-plan.txt")
    return folder, expect


@pytest.fixture(scope="session")
def bad_batch(corpus, tmp_path_factory):
    folder, expect = corpus
    out = tmp_path_factory.mktemp("wh")
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(folder), "--out", str(out),
                           *LIMITS], capture_output=True, text=True, cwd=ROOT)
    return out, expect, proc


def _rows(out):
    return {name: (status, error) for name, status, error in
            query(out, "documents", "SELECT source_name, status, error FROM {t}")}


def test_every_bad_file_gets_a_row_with_a_readable_error(bad_batch):
    out, expect, proc = bad_batch
    rows = _rows(out)
    for name, (status, fragment) in expect.items():
        got_status, error = rows[name]
        assert (got_status, fragment in (error or "")) == (status, True), (name, error)
        assert "\n" not in error and "Traceback" not in error and len(error) < 300


def test_batch_goes_on_and_exit_status_says_some_failed(bad_batch):
    out, expect, proc = bad_batch
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert len(_rows(out)) == len(expect) + 1
    assert _rows(out)["good-plan.txt"] == ("ok", None)
    logs = list((out / "_logs").glob("extract-*.log"))
    assert logs and "Traceback" in logs[0].read_text("utf-8")   # the detail is kept, not shown


def test_good_document_in_a_bad_batch_extracts_as_alone(bad_batch, warehouse):
    out, _, _ = bad_batch
    (doc,) = query(out, "documents", "SELECT doc_id FROM {t} WHERE source_name = 'good-plan.txt'")[0]
    assert _snapshot(out, doc) == _snapshot(warehouse)


def test_findings_say_what_is_missing(bad_batch):
    out, _, _ = bad_batch
    codes = query(out, "findings", "SELECT d.source_name, f.code FROM {t} f JOIN "
                  f"read_parquet('{out}/documents/*/*.parquet') d USING (doc_id)")
    assert ("many-pages.pdf", "PAGE_LIMIT") in codes
    assert ("not-a-plan.pdf", "MISSING_PROJECTS") in codes
    assert ("scan-ocr-never.pdf", "LOW_TEXT_QUALITY") in codes
    pages = query(out, "pages", "SELECT DISTINCT error FROM {t} WHERE error IS NOT NULL")
    assert ("image-only page, not read: OCR disabled (--ocr never)",) in pages


def test_encrypted_pdf_opens_with_its_password(corpus, tmp_path):
    folder, _ = corpus
    assert main(["extract", str(folder / "encrypted.pdf"), "--out", str(tmp_path / "a"),
                 "--password", "secret"]) == 0
    assert query(tmp_path / "a", "projects", "SELECT count(*) FROM {t}") == [(40,)]
    assert main(["extract", str(folder / "encrypted.pdf"), "--out", str(tmp_path / "b"),
                 "--password", "wrong"]) == 1
    (error,) = query(tmp_path / "b", "documents", "SELECT error FROM {t}")[0]
    assert error == "encrypted PDF: the password given (--password) does not open it"


def test_time_limit_stops_one_document(corpus, tmp_path):
    from fixtures import build_all
    scan = next((build_all() / "scan").glob("*.pdf"))
    assert main(["extract", str(scan), str(SAMPLE), "--out", str(tmp_path), "--timeout", "2",
                 "--timeout-per-page", "0"]) == 1
    rows = _rows(tmp_path)
    assert rows[scan.name] == ("failed", "timed out after 2 s (--timeout)")
    assert rows[SAMPLE.name] == ("ok", None)


def test_file_size_limit(tmp_path):
    assert main(["extract", str(SAMPLE), "--out", str(tmp_path), "--max-file-mb", "0.1"]) == 1
    (status, error) = _rows(tmp_path)[SAMPLE.name]
    assert status == "failed" and error.startswith("file too large: 0 MB (limit 0.1 MB")


def test_output_names_come_from_doc_id_only(tmp_path):
    src = tmp_path / "in" / "x..;rm -rf ~;'เอกสาร' $(x)"
    src.mkdir(parents=True)
    shutil.copy(SAMPLE, src / "แผน ปี ๖๗ ..;\\.txt")
    assert main(["extract", str(tmp_path / "in"), "--out", str(tmp_path / "wh")]) == 0
    for f in (tmp_path / "wh").rglob("*.parquet"):
        assert len(f.stem) == 64 and all(c in "0123456789abcdef" for c in f.stem)
        assert f.parent.name == "fiscal_year_be=2567"


def test_negative_limits_are_usage_errors(tmp_path):
    assert main(["extract", str(SAMPLE), "--out", str(tmp_path), "--max-pages", "0"]) == 2


# ---- every normalizer: any string in, a value or a clear rejection out ---------------------

@given(st.text(max_size=80))
def test_canonical_group_is_total_and_stable(s):
    c = canonical_group(s)
    assert c is None or canonical_group(c) == c


@given(st.text(max_size=40))
def test_names_helpers_are_total(s):
    assert isinstance(strip_numbering(s), str)
    p = province_at(s)
    assert p is None or s.lstrip().startswith(p)


@given(st.text(max_size=200))
def test_quality_is_total_and_bounded(s):
    q = text_quality(s)
    assert q is None or 0.0 <= q <= 1.0
