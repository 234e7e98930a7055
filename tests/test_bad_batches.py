"""Bad input, part two (issue #13): ways a batch used to stop, hang or lose rows. Each test is
one reported problem; in every case the batch goes on, every input gets exactly one `documents`
row, no rows are left without their document, no traceback reaches the user, and nothing
outside --out is touched."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, SAMPLE
from pipeline.cli import main
from test_sample_warehouse import _snapshot

DATASETS = ("documents", "strategies", "projects", "timeline", "stats", "findings", "pages")


def _cli(*args, env=None, timeout=300, **kw):
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, **kw)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    return proc


def _files(out: Path, dataset: str) -> list[Path]:
    return sorted((Path(out) / dataset).glob("*/*.parquet"))


def _documents(out: Path) -> list[dict]:
    rows = []
    for f in _files(out, "documents"):
        rows += pq.read_table(f).to_pylist()
    return rows


def _assert_no_orphans(out: Path) -> None:
    docs = {f.stem for f in _files(out, "documents")}
    for ds in DATASETS[1:]:
        orphans = [f for f in _files(out, ds) if f.stem not in docs]
        assert not orphans, orphans


def _scan() -> Path:
    from fixtures import build_all
    return next((build_all() / "scan").glob("*.pdf"))


def _projects(out: Path, doc_id: str) -> int:
    return sum(pq.read_table(f).num_rows for f in _files(out, "projects") if f.stem == doc_id)


# ---- high ---------------------------------------------------------------------------------

def test_file_name_that_is_not_utf8(tmp_path):
    """#13.1: a TIS-620 file name crashed the batch while logging."""
    folder = tmp_path / "in"
    folder.mkdir()
    name = "แผนงาน.txt".encode("tis-620")           # not valid UTF-8
    shutil.copy(SAMPLE, os.path.join(os.fsencode(folder), name))
    out = tmp_path / "wh"
    proc = _cli("extract", folder, "--out", out)
    assert proc.returncode == 0, proc.stderr
    shown = name.decode("utf-8", "backslashreplace")
    (doc,) = _documents(out)
    assert doc["status"] == "ok" and doc["source_name"] == shown
    assert shown in proc.stdout
    _assert_no_orphans(out)


def test_fifo_and_devices_are_not_read(tmp_path):
    """#13.2: a FIFO, /dev/zero or /dev/urandom as input hung the batch for ever."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    out = tmp_path / "wh"
    for _ in range(2):                  # the second run's skip check must not block either
        proc = _cli("extract", fifo, "/dev/zero", "/dev/urandom", SAMPLE, "--out", out, "--timeout", "5",
                    timeout=120)
        assert proc.returncode == 1
    rows = {r["source_name"]: (r["status"], r["error"]) for r in _documents(out)}
    assert rows[SAMPLE.name] == ("ok", None)
    assert rows["pipe.txt"] == ("failed", "not a regular file (a FIFO): not read")
    assert rows["zero"][0] == rows["urandom"][0] == "failed"
    assert len(rows) == 4


def test_same_bytes_under_an_unsupported_name(tmp_path):
    """#13.3: plan.txt and plan.txt.orig (same bytes) made the good document one failed row."""
    good, orig = tmp_path / "plan.txt", tmp_path / "plan.txt.orig"
    shutil.copy(SAMPLE, good)
    shutil.copy(SAMPLE, orig)
    out = tmp_path / "wh"
    assert _cli("extract", good, orig, "--out", out).returncode == 1
    rows = {r["source_name"]: r for r in _documents(out)}
    assert rows["plan.txt"]["status"] == "ok"
    assert rows["plan.txt.orig"]["status"] == "failed"
    assert rows["plan.txt.orig"]["error"].startswith("unsupported file type '.orig'")
    assert rows["plan.txt"]["doc_id"] != rows["plan.txt.orig"]["doc_id"]
    assert _projects(out, rows["plan.txt"]["doc_id"]) == 40
    again = _cli("extract", good, orig, "--out", out)
    assert "already extracted by this version (ok)" in again.stdout
    assert _projects(out, rows["plan.txt"]["doc_id"]) == 40


def test_out_path_with_glob_characters_and_quotes(tmp_path):
    """#13.4: --out with [ ] was a glob; an apostrophe broke sql/report/audit; a folder name could
    inject SQL."""
    out = tmp_path / "wh [1]'); COPY (SELECT 1) TO 'x.csv'; --"
    proc = _cli("extract", SAMPLE, "--out", out)
    assert proc.returncode == 0
    again = _cli("extract", SAMPLE, "--out", out)
    assert "skipped" in again.stdout
    sql = _cli("sql", out, "SELECT count(*) AS n FROM projects")
    assert sql.returncode == 0 and "40" in sql.stdout
    assert _cli("report", out).returncode == 0 and (out / "_report.html").is_file()
    assert not list(ROOT.glob("x.csv")) and not list(tmp_path.glob("x.csv"))
    samples = tmp_path / "samples'x"
    samples.mkdir()
    shutil.copy(SAMPLE, samples)
    shutil.copy(SAMPLE.with_name(SAMPLE.stem + ".gold.json"), samples)
    assert _cli("audit", samples, "--out", out, "--min-f1", "0.99").returncode == 0


def test_second_run_into_a_warehouse_in_use_stops_with_exit_2(tmp_path, capsys):
    """#13.5: two extract runs into one --out deleted each other's temporary files."""
    from output.store import lock_warehouse, unlock_warehouse
    out = tmp_path / "wh"
    fd = lock_warehouse(out)                 # as a running batch holds it
    try:
        assert main(["extract", str(SAMPLE), "--out", str(out)]) == 2
    finally:
        unlock_warehouse(fd)
    err = capsys.readouterr().err
    assert f"in use by PID {os.getpid()}" in err and len(err.strip().splitlines()) == 1
    assert not _files(out, "documents")
    assert main(["extract", str(SAMPLE), "--out", str(out)]) == 0


def _mount_tmpfs(folder: Path, options: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


def test_failed_write_leaves_no_orphans_and_a_failed_row(tmp_path):
    """#13.6: when writing failed (disk full), orphan rows stayed and no failed row was written
    (here: a 32 kB file system, room for the failed row but not for all the datasets)."""
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "size=32k"):
        pytest.skip("needs root to mount a small tmpfs")
    try:
        out = disk / "wh"
        proc = _cli("extract", SAMPLE, "--out", out)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        (doc,) = _documents(out)
        assert doc["status"] == "failed" and doc["error"].startswith("cannot write output:") and doc["retryable"]
        _assert_no_orphans(out)
        assert [f for ds in DATASETS for f in _files(out, ds)] == _files(out, "documents")
    finally:
        subprocess.run(["umount", "--lazy", str(disk)])     # lazy: a process that is still exiting may hold it


def test_no_space_left_ends_in_one_line(tmp_path):
    """#13.6: with 0 bytes free the batch ended in a traceback."""
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "size=64k"):
        pytest.skip("needs root to mount a small tmpfs")
    try:
        (disk / "wh").mkdir()
        fd = os.open(disk / "ballast", os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            os.close(fd)
        proc = _cli("extract", SAMPLE, "--out", disk / "wh")
        assert proc.returncode in (1, 2) and proc.stderr.strip().count("\n") == 0, proc.stderr
        _assert_no_orphans(disk / "wh")
    finally:
        subprocess.run(["umount", "--lazy", str(disk)])     # lazy: a process that is still exiting may hold it


def test_dask_unreachable_scheduler_is_one_line(tmp_path):
    """#13.7: an unreachable scheduler ended in a traceback."""
    proc = _cli("extract", SAMPLE, "--out", tmp_path, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9",
                env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("thaiplan: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_dask_keeps_the_time_limit(tmp_path):
    """#13.7: --executor dask ignored --timeout (and --max-memory-mb: the same child process
    carries both limits)."""
    from distributed import LocalCluster
    scan = _scan()
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address=None) as cluster:
        out = tmp_path / "wh"
        assert main(["extract", str(scan), str(SAMPLE), "--out", str(out), "--executor", "dask",
                     "--scheduler", cluster.scheduler_address, "--timeout", "3"]) == 1
        rows = {r["source_name"]: (r["status"], r["error"]) for r in _documents(out)}
        assert rows == {scan.name: ("failed", "timed out after 3 s (--timeout)"), SAMPLE.name: ("ok", None)}


def test_dask_task_lost_with_its_worker_gets_a_failed_row(tmp_path, monkeypatch):
    """#13.7: a task lost with its Dask worker left no `documents` row. The worker running the
    scan is killed (kill -9) while its child reads it; with no retries allowed the task is lost
    for good, and the client writes its failed row."""
    import threading

    import dask
    import psutil
    from distributed import LocalCluster
    scan, killed = _scan(), []
    monkeypatch.setenv("TMPDIR", str(tmp_path))     # the killed worker's task leaves its temporary folder

    def kill_the_worker_reading_the_scan():
        deadline = time.monotonic() + 120
        while not killed and time.monotonic() < deadline:
            for child in psutil.Process().children(recursive=True):
                try:
                    if ("pipeline.isolation" in child.cmdline()
                            and "libtesseract" in Path(f"/proc/{child.pid}/maps").read_text()):
                        child.parent().kill()           # the Dask worker, not the child
                        killed.append(child.pid)
                except (psutil.NoSuchProcess, FileNotFoundError, ProcessLookupError, AttributeError):
                    pass
            time.sleep(0.1)
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address=None) as cluster:
        killer = threading.Thread(target=kill_the_worker_reading_the_scan, daemon=True)
        killer.start()
        out = tmp_path / "wh"
        code = main(["extract", str(scan), "--out", str(out), "--executor", "dask",
                     "--scheduler", cluster.scheduler_address])
        killer.join(5)
    assert killed, "the worker was not caught reading the scan"
    assert code == 1
    (doc,) = _documents(out)
    assert doc["source_name"] == scan.name and doc["status"] == "failed" and doc["retryable"] is True
    assert doc["error"].startswith("distributed task failed: KilledWorker"), doc["error"]
    _assert_no_orphans(out)


def test_dask_child_keeps_the_memory_limit(tmp_path):
    """#13.7: --executor dask ignored --max-memory-mb. A Dask task runs its document in a child
    (isolation.run_limited) under the limit: a PDF whose page expands to ~420 MB of drawing
    fails in about a second with 256 MB, where without the limit it takes gigabytes and runs
    into the time limit."""
    import bad_inputs
    from pipeline.isolation import run_limited
    from pipeline.settings import Settings
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(bad_inputs._pdf_with_stream(b"0 0 m 1 1 l S\n" * 1_000_000, repeat=30))
    out = tmp_path / "wh"
    summary = run_limited(bomb, Settings(out=str(out), max_memory_mb=256, timeout_s=20))
    assert summary.status == "failed" and "out of memory (limit 256 MB" in summary.error, summary.error
    assert "SIGKILL" not in summary.error            # the limit, not the kernel's OOM killer
    (doc,) = _documents(out)
    assert doc["error"] == summary.error and doc["retryable"] is True


# The child of a Dask task (python -m pipeline.isolation) loads this from PYTHONPATH: every
# Parquet write fails as it does when the child's memory limit is reached while writing.
WRITES_OUT_OF_MEMORY = """
import pyarrow.parquet as pq
def write_table(*args, **kwargs):
    raise MemoryError("malloc of size 64 failed")
pq.write_table = write_table
"""


def test_dask_child_that_cannot_write_gets_its_row_from_the_task(tmp_path, monkeypatch):
    """#13.6/7: a Dask task's child writes its document under --max-memory-mb; when memory ran
    out while writing, even its failed row could not be written, and the document had no
    `documents` row. The task (outside the child's limit) writes it."""
    from pipeline.isolation import run_limited
    from pipeline.settings import Settings
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(WRITES_OUT_OF_MEMORY, "utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")])))
    monkeypatch.chdir(ROOT)                         # the child runs `python -m pipeline.isolation`
    out = tmp_path / "wh"
    summary = run_limited(SAMPLE, Settings(out=str(out)))
    (doc,) = _documents(out)
    assert doc["status"] == "failed" and doc["retryable"] is True and summary.row is not None
    assert doc["error"] == summary.error == "cannot write output: malloc of size 64 failed"
    assert [f for ds in DATASETS for f in _files(out, ds)] == _files(out, "documents")


# ---- medium -------------------------------------------------------------------------------

def test_documents_that_failed_for_a_passing_reason_are_retried(tmp_path, capsys):
    """#13.8: a document whose worker was killed or timed out was skipped on every re-run; one
    that cannot change (an empty file) is still skipped."""
    scan, empty = _scan(), tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    out = tmp_path / "wh"
    args = ["extract", str(scan), str(empty), "--out", str(out), "--timeout", "2", "--timeout-per-page", "0"]
    assert main(args) == 1
    capsys.readouterr()
    assert main(args) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(ln.startswith("failed") and scan.name in ln and "timed out" in ln for ln in lines), lines
    assert any(ln.startswith("skipped") and "empty.pdf" in ln for ln in lines), lines
    rows = {r["source_name"]: r["retryable"] for r in _documents(out)}
    assert rows == {scan.name: True, "empty.pdf": False}


def test_worker_killed_from_outside_is_retried(tmp_path):
    """#13.8: kill -9 of a worker (the OOM killer) marked its document failed for good."""
    import psutil
    out = tmp_path / "wh"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "extract", str(_scan()), "--out", str(out)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    worker = None
    deadline = time.monotonic() + 120
    while worker is None and time.monotonic() < deadline and proc.poll() is None:
        for child in psutil.Process(proc.pid).children(recursive=True):
            try:
                if "libtesseract" in Path(f"/proc/{child.pid}/maps").read_text():    # OCR under way
                    worker = child
            except (psutil.NoSuchProcess, FileNotFoundError, ProcessLookupError):
                pass
        time.sleep(0.1)
    assert worker is not None
    worker.kill()
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "worker crashed (SIGKILL)" in stdout, stdout + stderr
    (doc,) = _documents(out)
    assert doc["retryable"] is True
    rerun = _cli("extract", _scan(), "--out", out, "--timeout", "1", "--timeout-per-page", "0")
    assert "skipped" not in rerun.stdout and "timed out" in rerun.stdout


def test_out_that_is_a_file_or_read_only(tmp_path):
    """#13.9: --out that is a file or on a read-only file system: traceback, exit 1."""
    afile = tmp_path / "afile"
    afile.write_text("x")
    proc = _cli("extract", SAMPLE, "--out", afile)
    assert proc.returncode == 2 and proc.stderr.strip().endswith("it is a file, not a folder")
    assert len(proc.stderr.strip().splitlines()) == 1 and afile.read_text() == "x"
    ro = tmp_path / "ro"
    if _mount_tmpfs(ro, "ro,size=64k"):
        try:
            proc = _cli("extract", SAMPLE, "--out", ro / "wh")
            assert proc.returncode == 2 and proc.stderr.strip().endswith("read-only file system"), proc.stderr
        finally:
            subprocess.run(["umount", "--lazy", str(ro)])


def test_audit_out_that_is_a_file(tmp_path, capsys):
    """#13.9: `thaiplan audit --out` a file ended in a traceback (FileExistsError)."""
    afile = tmp_path / "afile"
    afile.write_text("x")
    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(SAMPLE, samples)
    shutil.copy(SAMPLE.with_name(SAMPLE.stem + ".gold.json"), samples)
    assert main(["audit", str(samples), "--out", str(afile)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("it is a file, not a folder") and len(err.splitlines()) == 1
    assert afile.read_text() == "x"


def test_sql_is_read_only(warehouse, tmp_path, capsys):
    """#13.10: `thaiplan sql` could read any file, write any file and ATTACH databases."""
    target = tmp_path / "written.csv"
    for query in ("SELECT * FROM read_text('/etc/passwd')",
                  f"COPY (SELECT 1) TO '{target}'",
                  f"ATTACH '{tmp_path / 'x.db'}' AS x",
                  "SET enable_external_access = true"):
        assert main(["sql", str(warehouse), query]) == 2, query
    captured = capsys.readouterr()
    assert "root:" not in captured.out and not target.exists() and not (tmp_path / "x.db").exists()
    assert main(["sql", str(warehouse), "SELECT count(*) FROM project_details"]) == 0
    assert "40" in capsys.readouterr().out


def test_timeout_kills_the_workers_children_and_removes_its_temporaries(tmp_path):
    """#13.11: after --timeout killed a worker, its tesseract kept running and its temporary
    folder stayed."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = _cli("extract", _scan(), "--out", tmp_path / "wh", "--ocr", "always", "--timeout", "8", "--timeout-per-page", "0",
                env={"TMPDIR": str(tmp)})
    assert proc.returncode == 1 and "timed out after 8 s" in proc.stdout
    assert not list(tmp.iterdir())
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            assert str(tmp) not in os.readlink(f"/proc/{pid}/cwd")
        except (FileNotFoundError, PermissionError, ProcessLookupError):
            pass


# Every Python process of the batch loads this from PYTHONPATH; in a worker (its TMPDIR is its own
# thaiplan-worker-* folder) reading a file named spawns-* starts a child that outlives a plain
# kill of the worker (as tesseract did), then hangs until --timeout stops the worker.
SPAWNS_A_CHILD = """
import os, pathlib, subprocess, sys, time
_read_bytes = pathlib.Path.read_bytes
def read_bytes(self):
    if self.name.startswith("spawns-") and "thaiplan-worker-" in os.environ.get("TMPDIR", ""):
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", self.name],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(300)
    return _read_bytes(self)
pathlib.Path.read_bytes = read_bytes
"""


def _processes_naming(marker: str) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if marker in Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace"):
                found.append(int(pid))
        except (FileNotFoundError, PermissionError, ProcessLookupError):
            pass
    return found


def test_timeout_kills_what_the_worker_started(tmp_path):
    """#13.11: after --timeout killed a worker, the process it had started (tesseract) kept
    running. Here a worker starts a child and hangs; the timeout kills the worker's whole
    process group, so no process of that document is left."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SPAWNS_A_CHILD, "utf-8")
    src = tmp_path / "in" / f"spawns-{tmp_path.name}.txt"
    src.parent.mkdir()
    shutil.copy(SAMPLE, src)
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")]))}
    try:
        proc = _cli("extract", src, SAMPLE, "--out", tmp_path / "wh", "--timeout", "3", env=env)
        assert proc.returncode == 1 and f"{src.name}: timed out after 3 s" in proc.stdout, proc.stdout
        time.sleep(0.5)
        assert not _processes_naming(src.name)
    finally:
        for pid in _processes_naming(src.name):     # what a failing run left behind
            os.kill(pid, signal.SIGKILL)


def test_malformed_gold_file_is_named_before_extracting(tmp_path, capsys):
    """#13.12: a malformed gold.json gave a traceback after extracting, without naming the file."""
    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(SAMPLE, samples / "a.txt")
    (samples / "a.gold.json").write_text('{"document": {"office": "x"}, "projects": [', "utf-8")
    out = tmp_path / "wh"
    assert main(["audit", str(samples), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"thaiplan: {samples / 'a.gold.json'}: gold file is not valid JSON")
    assert len(err.splitlines()) == 1
    assert not _files(out, "documents")
    (samples / "a.gold.json").write_text('{"projects": {"seq": 1}}', "utf-8")
    assert main(["audit", str(samples), "--out", str(out)]) == 2
    assert "gold key 'projects' must be a list of objects" in capsys.readouterr().err


def test_corrupt_or_foreign_parquet_in_the_warehouse_is_skipped(tmp_path):
    """#13.13: one corrupt or foreign .parquet gave a traceback in extract, sql and report."""
    out = tmp_path / "wh"
    assert _cli("extract", SAMPLE, "--out", out).returncode == 0
    junk = out / "documents" / "fiscal_year_be=2567" / "junk.parquet"
    junk.write_bytes(os.urandom(3000))
    foreign = out / "projects" / "fiscal_year_be=2567" / "foreign.parquet"
    pq.write_table(pa.table({"doc_id": [1, 2], "weather": ["rain", "sun"]}), foreign)
    for args in (("extract", SAMPLE, "--out", out), ("sql", out, "SELECT count(*) FROM projects"), ("report", out)):
        proc = _cli(*args)
        assert proc.returncode == 0, proc.stderr
        assert f"skipping {junk}" in proc.stderr
        if args[0] != "extract":
            assert f"skipping {foreign}" in proc.stderr
    assert "40" in _cli("sql", out, "SELECT count(*) FROM projects").stdout


# ---- low ----------------------------------------------------------------------------------

@pytest.mark.parametrize("flag,value", [("--timeout", "nan"), ("--timeout", "inf"), ("--max-file-mb", "nan"),
                                        ("--max-memory-mb", "1"), ("--max-memory-mb", "999999999999"),
                                        ("--workers", "100000"), ("--max-pages", "-3")])
def test_limits_must_be_finite_and_sane(tmp_path, capsys, flag, value):
    """#13.14: NaN and infinity silently disabled limits; an absurd memory limit failed every
    document; --workers had no upper bound."""
    assert main(["extract", str(SAMPLE), "--out", str(tmp_path), flag, value]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"thaiplan: {flag} must be a number from") and len(err.splitlines()) == 1
    assert not _files(tmp_path, "documents")


@pytest.mark.parametrize("variant", ["utf-16-le", "utf-16-be", "cr"])
def test_utf16_without_bom_and_cr_line_endings(tmp_path, variant):
    """#13.15/17: UTF-16 without BOM was "binary"; CR-only line endings gave one line, 0 projects."""
    text = SAMPLE.read_text("utf-8")
    src = tmp_path / f"plan-{variant}.txt"
    if variant == "cr":
        src.write_bytes(text.replace("\r\n", "\n").replace("\n", "\r").encode("utf-8"))
    else:
        src.write_bytes(text.encode(variant))
    out = tmp_path / "wh"
    assert main(["extract", str(src), "--out", str(out)]) == 0
    (doc,) = _documents(out)
    assert doc["status"] == "ok" and _projects(out, doc["doc_id"]) == 40


def test_zero_width_spaces_give_identical_rows(tmp_path, warehouse):
    """#13.15: zero-width spaces (text pasted from the web) were kept in the lines the finders
    read: numbering, amounts and dates behind them were not found (the sample with one after
    every space and every seventh character: partial, 29 projects, no strategies, no fiscal
    year). The normalizers dropped them only from the values."""
    text = SAMPLE.read_text("utf-8").replace(" ", " \u200b")
    text = "".join(c + "\u200b" if k % 7 == 3 and c not in "\r\n\t" else c for k, c in enumerate(text))
    src = tmp_path / "in" / "pasted.txt"
    src.parent.mkdir()
    src.write_text(text, "utf-8")
    assert main(["extract", str(src), "--out", str(tmp_path / "wh")]) == 0
    assert _snapshot(tmp_path / "wh") == _snapshot(warehouse)


def test_zero_width_spaces_in_a_docx(tmp_path):
    """#13.15: the same in a Word document (a zero-width space after every space and at the end
    of every run): 0 strategies, F1 0.36; now as without them."""
    import re
    import zipfile

    from fixtures import build_all
    from pipeline.audit import run_audit
    from pipeline.settings import Settings
    plain = build_all() / "borderless-garuda-arabic.docx"
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(folder / plain.name, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = re.sub(r"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)",
                              lambda m: m[1] + m[2].replace(" ", " \u200b") + "\u200b" + m[3],
                              data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
    shutil.copy(plain.with_name("borderless-garuda-arabic.gold.json"), folder)
    result, (summary,) = run_audit(folder, Settings(out=str(tmp_path / "wh")))
    assert summary.status == "ok" and result.overall().f1 == 1.0


def test_newline_in_a_file_name_stays_on_one_line(tmp_path):
    """#13.18: a newline in a file name split its output line."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "plan\nfailed x.txt")
    proc = _cli("extract", folder, "--out", tmp_path / "wh")
    assert proc.returncode == 0
    (line,) = [ln for ln in proc.stdout.splitlines() if "plan" in ln]
    assert line.startswith("ok") and "plan\\nfailed x.txt" in line
    assert not any(ln.startswith("failed") for ln in proc.stdout.splitlines())


def test_summary_counts_rows_written_with_duplicate_files(tmp_path):
    """#13.18: with duplicate files the summary's row counts differed from the warehouse."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "a.txt")
    shutil.copy(SAMPLE, folder / "b.txt")
    out = tmp_path / "wh"
    proc = _cli("extract", folder, "--out", out)
    (rows_line,) = [ln for ln in proc.stdout.splitlines() if ln.startswith("rows: ")]
    counts = dict(part.rsplit(" ", 1) for part in rows_line[len("rows: "):].split(", "))
    for ds, n in counts.items():
        assert sum(pq.read_table(f).num_rows for f in _files(out, ds)) == int(n), ds


def _copies_of_a_document(out: Path, n: int) -> None:
    """`n` more documents in the warehouse: the one `documents` row there under new doc_ids,
    each its own plan (another office) from another source path."""
    import hashlib
    (src,) = _files(out, "documents")
    row = pq.read_table(src).to_pylist()[0]
    schema = pq.read_schema(src)
    for k in range(n):
        doc_id = hashlib.sha256(f"copy-{k}".encode()).hexdigest()
        copy = {**row, "doc_id": doc_id, "office": f"{row['office']} ชุดที่ {k}", "plan_id": None,
                "source_path": f"/elsewhere/copy-{k}.txt", "source_name": f"copy-{k}.txt"}
        pq.write_table(pa.Table.from_pylist([copy], schema=schema), src.parent / f"{doc_id}.parquet")


def test_rerun_reads_the_warehouse_file_by_file(tmp_path, monkeypatch):
    """#13.18: a re-run over a 10,000-document warehouse held 684 MB (measured here: 1.2 GB) in
    the batch process: the supersession pass and the summary's count scanned every `documents`
    file as one pyarrow dataset, which holds ~0.1 MB a file while it scans. Now the resume index
    and the supersession pass read the few columns they need file by file, and the count comes
    from the supersession pass: a re-run opens no pyarrow dataset over the warehouse, and still
    decides every document's plan. (The memory itself is measured by `make bench`, its re-run
    line: 210 MB over 10,000 documents; as a test assertion the process's peak RSS proved to
    depend on the machine's state, 23 to 261 MB above its start over 5,000 documents.)"""
    import pyarrow.dataset as pds

    from pipeline.batch import run_batch
    from pipeline.settings import Settings
    src = tmp_path / "in" / SAMPLE.name
    src.parent.mkdir()
    shutil.copy(SAMPLE, src)
    out = tmp_path / "wh"
    assert _cli("extract", src, "--out", out).returncode == 0
    _copies_of_a_document(out, 300)

    def whole_warehouse(*args, **kwargs):
        raise AssertionError("a pyarrow dataset opened over the warehouse's files")
    monkeypatch.setattr(pds, "dataset", whole_warehouse)
    superseded = []
    summaries = run_batch([src], Settings(out=str(out), isolate=False), on_superseded=superseded.extend)
    assert [s.status for s in summaries] == ["skipped"]
    docs = _documents(out)
    assert len(docs) == 301 and all(d["plan_id"] for d in docs) and superseded == []


# Every Python process of the batch (the parent, the fork server, its workers) loads this from
# PYTHONPATH: each dataset file but `documents` takes 0.3 s longer to write, so a document stays
# partly written (some of its dataset files, no `documents` file yet) for about 2 s instead of ~11 ms.
SLOW_WRITES = """
import time
import pyarrow.parquet as pq
_write_table = pq.write_table
def write_table(table, where, *args, **kwargs):
    _write_table(table, where, *args, **kwargs)
    if "doc_id" in table.column_names and "pipeline_version" not in table.column_names:
        time.sleep(0.3)
pq.write_table = write_table
import os
_replace = os.replace
def replace(src, dst, *args, **kwargs):      # a document's files are renamed in one by one
    _replace(src, dst, *args, **kwargs)
    name = str(dst)
    if name.endswith(".parquet") and "documents" not in os.path.basename(os.path.dirname(os.path.dirname(name))):
        time.sleep(0.3)
os.replace = replace
"""


def _partly_written(out: Path) -> list[Path]:
    """Dataset files of documents that have no `documents` file (yet)."""
    done = {f.stem for f in _files(out, "documents")}
    return [f for ds in DATASETS[1:] for f in _files(out, ds) if f.stem not in done]


@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_leaves_no_orphan_rows(tmp_path, presses):
    """#13.18: Ctrl-C left rows of half-written documents until the next run. The interrupt
    comes (to the whole process group, as a terminal sends it) while a worker is writing a
    document: some of its dataset files are there, its `documents` file is not. The batch kills
    its workers, removes those files and exits 130; a re-run finishes the rest. An impatient
    second Ctrl-C while it cleans up does not cut the cleanup short."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SLOW_WRITES, "utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    text = SAMPLE.read_text("utf-8")
    for k in range(8):
        (folder / f"area-{k:02d}.txt").write_text(text.replace("เขต ๒", f"เขต {k + 3}"), "utf-8")
    out = tmp_path / "wh"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "extract", str(folder), "--out", str(out),
                             "--workers", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, env=env)
    try:
        deadline = time.monotonic() + 240
        while not _partly_written(out) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _partly_written(out), "no document was caught half-written"
        for press in range(presses):
            if press:
                time.sleep(0.02)
            os.killpg(proc.pid, signal.SIGINT)       # Ctrl-C on a terminal: the whole group
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130 and "Traceback" not in stderr, stderr
    _assert_no_orphans(out)
    assert not list(out.rglob(".*.tmp"))
    assert _cli("extract", folder, "--out", out).returncode == 0
    assert len(_files(out, "documents")) == 8
    _assert_no_orphans(out)


def test_time_limit_scales_with_the_pages_of_a_scan(tmp_path):
    """#12: a long scan failed under the fixed --timeout (and was skipped on every re-run).
    The limit is --timeout or --timeout-per-page for each page, whichever is more: a 3-page
    scan that needs several seconds finishes under --timeout 1 with 60 s a page, and times out
    under the same --timeout with the per-page allowance off, saying which limit it was."""
    scan = _scan()
    ok = _cli("extract", scan, "--out", tmp_path / "a", "--timeout", "1", "--timeout-per-page", "60",
              "--max-pages", "3", timeout=600)
    assert "timed out" not in ok.stdout and any(ln.startswith("partial") for ln in ok.stdout.splitlines())
    cut = _cli("extract", scan, "--out", tmp_path / "b", "--timeout", "1", "--timeout-per-page", "0.1",
               "--max-pages", "3", timeout=600)
    assert "timed out after 1 s (--timeout)" in cut.stdout
