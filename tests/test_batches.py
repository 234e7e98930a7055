"""Batches: resume after a kill, skip what is done, distribute over Dask, report progress."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE, query
from pipeline.cli import main
from test_sample_warehouse import _snapshot


def _corpus(folder: Path, n_text: int = 10) -> Path:
    """Distinct documents: the sample as printed by other areas, plus the PDF fixtures."""
    from fixtures import build_all
    folder.mkdir(parents=True, exist_ok=True)
    text = SAMPLE.read_text("utf-8")
    thai = "๐๑๒๓๔๕๖๗๘๙"
    for k in range(1, n_text + 1):
        area = "".join(thai[int(d)] for d in str(k + 2))
        (folder / f"area-{k:02d}.txt").write_text(text.replace("เชียงใหม่ เขต ๒", f"เชียงใหม่ เขต {area}"), "utf-8")
    for pdf in sorted((build_all() / "pdf").glob("*.pdf")):
        shutil.copy(pdf, folder / pdf.name)
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return _corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def uninterrupted(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("wh")
    assert main(["extract", str(corpus), "--out", str(out), "--workers", "2"]) == 0
    return out


def _cli(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_second_run_skips_what_is_done_and_force_redoes_it(corpus, uninterrupted, capsys):
    before = _snapshot(uninterrupted)
    assert main(["extract", str(corpus), "--out", str(uninterrupted)]) == 0
    out = capsys.readouterr().out
    n = len(list(corpus.iterdir()))
    assert out.count("skipped") >= n and f"{n} skipped" in out
    assert _snapshot(uninterrupted) == before
    assert main(["extract", str(corpus / "area-01.txt"), "--out", str(uninterrupted), "--force"]) == 0
    assert "ok " in capsys.readouterr().out
    assert _snapshot(uninterrupted) == before


def test_killed_batch_resumes_to_the_same_datasets(corpus, uninterrupted, tmp_path):
    out = tmp_path / "wh"
    proc = _cli("extract", str(corpus), "--out", str(out), "--workers", "2")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("documents/*/*.parquet"))) < 3:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)          # kill -9, mid-batch
    proc.wait()
    partial = len(list(out.glob("documents/*/*.parquet")))
    assert 3 <= partial < len(list(corpus.iterdir()))
    time.sleep(0.5)                            # let orphaned workers die with their fork server
    resumed = _cli("extract", str(corpus), "--out", str(out), "--workers", "2")
    stdout, _ = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stdout
    assert stdout.count("skipped") >= partial - 2
    assert _snapshot(out) == _snapshot(uninterrupted)
    assert not list(out.rglob(".*.tmp"))


def test_power_cut_mid_batch_resumes_to_the_same_datasets(corpus, uninterrupted, tmp_path):
    """A batch flushes its files to disk once, at its end (output/store.py: the unsynced window).
    A power cut before that leaves files renamed in but never written: empty, or zeros where the
    data should be. Simulated: kill -9 mid-batch, then such damage to files it wrote. The next run
    removes the damaged documents and extracts them again: the same datasets as an uninterrupted
    run (a document whose `projects` file is zeros would otherwise be skipped as done)."""
    from output.store import UNSYNCED_NAME
    out = tmp_path / "wh"
    proc = _cli("extract", str(corpus), "--out", str(out), "--workers", "2")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("documents/*/*.parquet"))) < 4:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(0.5)
    assert (out / UNSYNCED_NAME).exists()           # the batch never closed its window
    docs = sorted(out.glob("documents/*/*.parquet"))
    projects = [f for f in sorted(out.glob("projects/*/*.parquet")) if f.stem != docs[0].stem]
    docs[0].write_bytes(b"")                                         # empty
    projects[0].write_bytes(bytes(projects[0].stat().st_size))      # zeros over its length
    damaged = sorted({docs[0].stem, projects[0].stem})
    resumed = _cli("extract", str(corpus), "--out", str(out), "--workers", "2")
    stdout, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stdout + stderr
    assert "did not finish" in stderr and "2 document(s)" in stderr
    assert all(d[:12] in stderr for d in damaged)
    assert _snapshot(out) == _snapshot(uninterrupted)
    assert not (out / UNSYNCED_NAME).exists()


def test_a_finished_batch_leaves_no_unsynced_mark(uninterrupted):
    from output.store import UNSYNCED_NAME
    assert not (uninterrupted / UNSYNCED_NAME).exists()


def test_progress_lines_in_logs(corpus, tmp_path):
    proc = _cli("extract", str(corpus / "area-01.txt"), str(corpus / "area-02.txt"), "--out", str(tmp_path))
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert "progress: [########################] 2/2 documents · 2 pages · 0 failed · 0 skipped" in stderr


def test_dask_cluster_gives_the_same_rows(corpus, uninterrupted, tmp_path):
    from distributed import LocalCluster
    docs = [corpus / "area-01.txt", corpus / "area-02.txt", corpus / "borderless-garuda-arabic.pdf"]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        out = tmp_path / "wh"
        assert main(["extract", *map(str, docs), "--out", str(out), "--executor", "dask",
                     "--scheduler", cluster.scheduler_address]) == 0
    ids = query(out, "documents", "SELECT doc_id FROM {t}")
    assert len(ids) == 3
    for (doc,) in ids:
        assert _snapshot(out, doc) == _snapshot(uninterrupted, doc)


def test_recycled_workers_give_the_same_datasets(corpus, uninterrupted, tmp_path):
    """Workers take several documents each and are replaced after `docs_per_worker`: a batch
    whose workers are replaced after every second document gives the same rows."""
    from pipeline.batch import run_batch, collect_inputs
    from pipeline.settings import Settings
    out = tmp_path / "wh"
    summaries = run_batch(collect_inputs([str(corpus)]), Settings(out=str(out), workers=2, docs_per_worker=2))
    assert all(s.status == "ok" for s in summaries)
    assert _snapshot(out) == _snapshot(uninterrupted)
