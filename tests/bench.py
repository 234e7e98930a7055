"""make bench: speed and memory of thaiplan beside pdftotext and pdfplumber, on one corpus.

Builds distinct plan PDFs (the sample laid out in several Thai fonts, ruled and borderless,
each copied into several distinct files), then times, in one run:
  - thaiplan extract with 1 and 2 workers (whole pipeline: read, repair, score, tables, Parquet),
  - poppler's pdftotext over the same files (text only: the speed yardstick), each right after
    a 1-worker run of thaiplan, three times (the ratio's median and range),
  - pdfplumber's extract_text over a subset (it is slow; per page it is comparable),
a batch of many small documents while sampling the batch process's memory, and a re-run over a
warehouse of 10,000 documents (the batch process's peak memory).
Numbers are printed; nothing is asserted (timings belong here, not in tests).
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import fixtures  # noqa: E402

FONTS = ["Laksaman", "Garuda", "Loma", "Norasi", "Kinnari", "Sawasdee"]
THAIPLAN = [sys.executable, "-m", "pipeline.cli"]


def build_corpus(folder: Path, copies: int) -> list[Path]:
    """The 12 layouts of the sample and the 14 plans of the layout families (tests/families.py),
    each as `copies` distinct files (a comment after %%EOF changes the bytes, so the doc_id, and
    nothing a reader sees): a batch long enough that start-up (about a second: imports, the fork
    server) weighs as little as it does on a real run."""
    import families
    layouts = _layouts(folder / "layouts") + sorted((families.build_all() / "pdf").glob("*.pdf"))
    folder.mkdir(parents=True, exist_ok=True)
    pdfs = []
    for src in layouts:
        data = src.read_bytes()
        for k in range(copies):
            target = folder / f"{src.stem}-{k:02d}.pdf"
            if not target.exists():
                target.write_bytes(data + f"\n% bench copy {k}\n".encode())
            pdfs.append(target)
    return pdfs


def _layouts(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pdfs = []
    for font in FONTS:
        for ruled in (True, False):
            v = fixtures.Variant(f"bench-{font.lower()}-{'ruled' if ruled else 'plain'}", font=font, ruled=ruled,
                                 arabic_digits=not ruled)
            target = folder / f"{v.name}.pdf"
            if not target.exists():
                docx = folder / f"{v.name}.docx"
                fixtures.build_docx(v, docx)
                fixtures.export_pdf(docx, folder)
                docx.unlink()
            pdfs.append(target)
    return pdfs


def pages_of(pdfs) -> int:
    import pypdfium2 as pdfium
    total = 0
    for p in pdfs:
        doc = pdfium.PdfDocument(str(p))
        total += len(doc)
        doc.close()
    return total


def timed(cmd, **kw) -> tuple[float, int]:
    """(seconds, peak RSS in MB of the process tree) of one command, via GNU time."""
    with tempfile.NamedTemporaryFile("r") as out:
        t0 = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-o", out.name, "-f", "%M", *cmd], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
        seconds = time.perf_counter() - t0
        return seconds, int(out.read().strip().splitlines()[-1]) // 1024


def rss_mb(pid: int) -> float:
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (the fork server and its workers), from /proc."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, ValueError, IndexError):
            continue
    found, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == p]
        found += kids
        frontier += kids
    return found


def memory_run(folder: Path, n: int, workers: int) -> None:
    text = (ROOT / "samples" / "cme2-teacher-dev-plan-2567.txt").read_text("utf-8")
    docs = folder / "many"
    docs.mkdir(exist_ok=True)
    for k in range(n):
        (docs / f"doc-{k:05d}.txt").write_text(text + f"\nสำเนาที่ {k}\n", "utf-8")
    out = folder / "wh-many"
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.Popen([*THAIPLAN, "extract", str(docs), "--out", str(out), "--workers", str(workers)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    samples = []

    def sample():
        while proc.poll() is None:
            done = len(list((out / "documents").glob("*/*.parquet"))) if out.exists() else 0
            samples.append((done, rss_mb(proc.pid), max([rss_mb(c) for c in descendants(proc.pid)] or [0])))
            time.sleep(0.25)
    t = threading.Thread(target=sample)
    t.start()
    t0 = time.perf_counter()
    proc.communicate()
    t.join()
    seconds = time.perf_counter() - t0
    early = [(m, w) for d, m, w in samples if d <= n * 0.1] or [(0, 0)]
    late = [(m, w) for d, m, w in samples if d >= n * 0.9] or [(0, 0)]
    print(f"memory: {n} documents with {workers} workers in {seconds:.0f} s; batch process RSS "
          f"{max(m for m, _ in early):.0f} MB in the first tenth, {max(m for m, _ in late):.0f} MB in the "
          f"last tenth; largest worker {max(w for _, w in early):.0f} MB and {max(w for _, w in late):.0f} MB "
          f"(a worker is replaced every 100 documents)")


def rerun_memory_run(folder: Path, n: int) -> None:
    """A re-run over a warehouse of `n` documents, all of them already there (the issue's case:
    10,000): peak RSS of the batch process itself (tests/peak_rss.py; no worker starts, every
    document is skipped; then the supersession pass over the whole warehouse). The inputs are
    `n` distinct text plans; the warehouse holds, for each, the rows of the first one extracted
    for real, copied under its doc_id, each its own plan (another office): as a first run of
    these files leaves it, without ~2 minutes of extraction."""
    import hashlib

    import pyarrow as pa
    import pyarrow.parquet as pq
    from output.schema import DATASETS, PARTITION
    from pipeline.plans import plan_id
    text = (ROOT / "samples" / "cme2-teacher-dev-plan-2567.txt").read_text("utf-8")
    docs = folder / "rerun-in"
    docs.mkdir(parents=True, exist_ok=True)
    inputs = []
    for k in range(n):
        path = docs / f"doc-{k:05d}.txt"
        data = (text + f"\nสำเนาที่ {k}\n").encode("utf-8")
        if not path.exists() or path.stat().st_size != len(data):
            path.write_bytes(data)
        inputs.append((path, hashlib.sha256(data).hexdigest()))
    base = folder / "rerun-base"
    shutil.rmtree(base, ignore_errors=True)
    subprocess.run([*THAIPLAN, "extract", str(inputs[0][0]), "--out", str(base), "--quiet"], cwd=ROOT,
                   stdout=subprocess.DEVNULL, check=True)
    tables = {ds: (f.parent.name, pq.read_table(f)) for ds in DATASETS
              for f in (base / ds).glob(f"{PARTITION}=*/*.parquet")}
    out = folder / "rerun-wh"
    shutil.rmtree(out, ignore_errors=True)
    fy = int(tables["documents"][0].split("=")[1])
    for k, (path, doc_id) in enumerate(inputs):
        for ds, (part, t) in tables.items():
            t = t.set_column(t.schema.get_field_index("doc_id"), "doc_id", pa.array([doc_id] * t.num_rows, pa.string()))
            if ds == "documents":
                row = t.to_pylist()[0]
                office = f"{row['office']} ชุดที่ {k}"
                row.update(source_path=str(path), source_name=path.name, office=office,
                           plan_id=plan_id(office, fy, row["title"]), superseded_by=None)
                t = pa.Table.from_pylist([row], schema=t.schema)
            target = out / ds / part / f"{doc_id}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(t, target, compression="zstd")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(HERE / "peak_rss.py"), "extract", str(docs), "--out", str(out),
                           "--quiet"], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    peak, baseline = (float(part.split("=")[1]) for part in proc.stderr.strip().splitlines()[-1].split())
    print(f"re-run memory: {n} documents already in the warehouse, all skipped, in {seconds:.0f} s; batch process "
          f"peak RSS {peak:.0f} MB ({baseline:.0f} MB after start-up: +{peak - baseline:.0f} MB)")


def ocr_run(folder: Path, pages: int) -> None:
    """Seconds per scanned page: thaiplan's OCR (render, deskew, clean, rulings, tesseract in
    process for the page and the second readings, digits by shape, tables; its start-up too:
    the model and the digit templates, loaded once) against one plain tesseract pass (the
    command line, --psm 6, Thai) over the same page images (the scan's own, at its
    resolution), one process each, one page at a time. The issue's bound: at most 1.3x the
    plain pass."""
    import pypdfium2 as pdfium
    import scans
    from extractors.ocr import native_dpi
    from pipeline.document import DocContext, read_source, recover_pages, score_pages
    from pipeline.settings import Settings
    corpus = scans.build_all()
    pdfs = sorted(corpus.glob("*.pdf"))
    plain = ours = 0.0
    done = 0
    with tempfile.TemporaryDirectory() as tmp:
        for pdf_path in pdfs:
            doc = pdfium.PdfDocument(str(pdf_path))
            n = min(len(doc), pages)
            for k in range(n):
                page = doc[k]
                dpi = native_dpi(page) or 200
                img = page.render(scale=dpi / 72, grayscale=True).to_pil()
                name = Path(tmp) / f"p{done}.png"
                img.save(name)
                t0 = time.perf_counter()
                subprocess.run(["tesseract", str(name), "stdout", "-l", "tha+eng", "--psm", "6"],
                               check=True, capture_output=True, env={**__import__("os").environ,
                                                                     "OMP_THREAD_LIMIT": "1"})
                plain += time.perf_counter() - t0
                done += 1
            doc.close()
            ctx = DocContext(path=pdf_path, settings=Settings(ocr="always"), pages_wanted=range(1, n + 1))
            ctx.data = pdf_path.read_bytes()
            t0 = time.perf_counter()
            read_source(ctx)
            score_pages(ctx)
            recover_pages(ctx)
            ours += time.perf_counter() - t0
    print(f"ocr: {done} scanned pages ({len(pdfs)} scans, 150-300 dpi): thaiplan {ours / done:.2f} s/page, "
          f"plain tesseract {plain / done:.2f} s/page: {ours / plain:.2f}x")


REPORT_DOCS = 300
REPORT_BASE = ["grid-shaded-chiangrai2.pdf", "onetable-khonkaen-sec-policy.pdf", "borderless-wrap-surat3.pdf"]


def synthetic_warehouse(base: Path, out: Path, n: int) -> None:
    """`n` documents made by copying the Parquet rows of the documents in `base` under new
    doc_ids, offices (a third as many as documents, three fiscal years each) and plan ids."""
    import hashlib

    import pyarrow as pa
    import pyarrow.parquet as pq
    from output.schema import DATASETS, PARTITION
    shutil.rmtree(out, ignore_errors=True)
    docs = sorted((base / "documents").glob(f"{PARTITION}=*/*.parquet"))
    for k in range(n):
        src = docs[k % len(docs)].stem
        new = hashlib.sha256(f"synthetic-{k}".encode()).hexdigest()
        fy = 2566 + k % 3
        for ds in DATASETS:
            for f in (base / ds).glob(f"{PARTITION}=*/{src}.parquet"):
                t = pq.read_table(f)
                t = t.set_column(t.schema.get_field_index("doc_id"), "doc_id", pa.array([new] * t.num_rows))
                if ds == "documents":
                    row = t.to_pylist()[0]
                    row.update(office=f"{row['office'] or 'สำนักงาน'} ชุดที่ {k // 3 + 1}",
                               province=f"{row['province'] or 'จังหวัด'}{k // 3 % 77}",
                               plan_id=hashlib.sha256(f"plan-{k}".encode()).hexdigest(), superseded_by=None,
                               source_name=f"synthetic-{k:03d}-{row['source_name']}")
                    t = pa.Table.from_pylist([row], schema=t.schema)
                target = out / ds / f"{PARTITION}={fy}" / f"{new}.parquet"
                target.parent.mkdir(parents=True, exist_ok=True)
                pq.write_table(t, target)


def report_run(folder: Path, n: int = REPORT_DOCS) -> None:
    """`thaiplan report` over a synthetic warehouse of `n` documents: seconds to write, size of
    each page, and Chromium's time to render the overview and a document page (printed)."""
    import families
    from browser import dom
    base = folder / "report-base"
    if not (base / "documents").is_dir():
        fam = families.build_all() / "pdf"
        subprocess.run([*THAIPLAN, "extract", str(ROOT / "samples"), *[str(fam / f) for f in REPORT_BASE],
                        "--out", str(base), "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL)   # 1: partial is fine
    out = folder / f"report-{n}"
    synthetic_warehouse(base, out, n)
    seconds, peak = timed([*THAIPLAN, "report", str(out)], cwd=ROOT)
    overview = out / "_report.html"
    pages = sorted((out / "_report").glob("*.html"), key=lambda p: p.stat().st_size)
    mb = 2 ** 20
    print(f"report: {n} documents in {seconds:.1f} s (peak RSS {peak} MB); overview {overview.stat().st_size / mb:.2f} MB; "
          f"{len(pages)} document pages, median {pages[len(pages) // 2].stat().st_size / mb:.3f} MB, "
          f"largest {pages[-1].stat().st_size / mb:.3f} MB (target < 2 MB a page)")
    for name, page in (("overview", overview), ("largest document page", pages[-1])):
        t0 = time.perf_counter()
        dom(page)
        print(f"report: Chromium renders the {name} in {time.perf_counter() - t0:.2f} s (target < 2 s; "
              "includes starting the browser)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=str(ROOT / "tests" / ".bench"))
    ap.add_argument("--memory-docs", type=int, default=1000)
    ap.add_argument("--rerun-docs", type=int, default=10000, help="documents of the re-run memory line (0: none)")
    ap.add_argument("--plumber-files", type=int, default=2)
    ap.add_argument("--copies", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3, help="pairs of thaiplan (1 worker) and pdftotext runs")
    ap.add_argument("--ocr-pages", type=int, default=3, help="pages of each scan fixture timed (0: none)")
    ap.add_argument("--report-docs", type=int, default=REPORT_DOCS, help="documents of the report run (0: none)")
    ap.add_argument("--only-report", action="store_true", help="the report run alone")
    ap.add_argument("--only-rerun", action="store_true", help="the re-run memory line alone")
    ap.add_argument("--only-ocr", action="store_true", help="the OCR line alone")
    args = ap.parse_args()
    folder = Path(args.dir)
    if args.only_ocr:
        ocr_run(folder, args.ocr_pages)
        return
    if args.only_report:
        report_run(folder, args.report_docs)
        return
    if args.only_rerun:
        rerun_memory_run(folder, args.rerun_docs)
        return
    pdfs = build_corpus(folder / "pdf", args.copies)
    pages = pages_of(pdfs)
    print(f"corpus: {len(pdfs)} PDFs, {pages} pages ({folder / 'pdf'})")
    results = {}

    def thaiplan(workers: int) -> float:
        out = folder / f"wh-{workers}"
        shutil.rmtree(out, ignore_errors=True)
        seconds, peak = timed([*THAIPLAN, "extract", *map(str, pdfs), "--out", str(out),
                               "--workers", str(workers)], cwd=ROOT)
        print(f"thaiplan  {workers} worker(s): {seconds:6.2f} s  {pages / seconds:7.1f} pages/s  "
              f"peak RSS {peak} MB")
        return seconds

    def pdftotext() -> float:
        script = "for f in \"$@\"; do pdftotext \"$f\" /dev/null; done"
        seconds, peak = timed(["bash", "-c", script, "_", *map(str, pdfs)])
        print(f"pdftotext 1 process : {seconds:6.2f} s  {pages / seconds:7.1f} pages/s  peak RSS {peak} MB")
        return seconds

    # thaiplan (1 worker) and pdftotext one after the other, `repeat` times: each ratio is taken
    # from a pair run seconds apart (a shared machine's load moves single runs by 20%)
    ratios = []
    for _ in range(max(1, args.repeat)):
        results[1] = thaiplan(1)
        results["pdftotext"] = pdftotext()
        ratios.append(results[1] / results["pdftotext"])
    results[2] = thaiplan(2)
    subset = pdfs[: args.plumber_files]
    sub_pages = pages_of(subset)
    code = ("import sys, pdfplumber\nfor f in sys.argv[1:]:\n    with pdfplumber.open(f) as pdf:\n"
            "        [p.extract_text() for p in pdf.pages]\n")
    seconds, peak = timed([sys.executable, "-c", code, *map(str, subset)])
    print(f"pdfplumber extract_text ({sub_pages} pages): {seconds:6.2f} s  {sub_pages / seconds:7.1f} pages/s  "
          f"peak RSS {peak} MB")
    ratios.sort()
    print(f"ratio thaiplan (1 worker) / pdftotext time, {len(ratios)} pairs: median {ratios[len(ratios) // 2]:.2f}x "
          f"(from {ratios[0]:.2f}x to {ratios[-1]:.2f}x); speed-up 1 -> 2 workers: {results[1] / results[2]:.2f}x")
    if args.ocr_pages:
        ocr_run(folder, args.ocr_pages)
    if args.memory_docs:
        memory_run(folder, args.memory_docs, 2)
    if args.rerun_docs:
        rerun_memory_run(folder, args.rerun_docs)
    if args.report_docs:
        report_run(folder, args.report_docs)


if __name__ == "__main__":
    main()
