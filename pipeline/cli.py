"""thaiplan command line (see ../shared/CONTRACT.md). Exit: 0 all ok, 1 some documents
failed or were partial (audit: F1 below --min-f1), 2 usage error."""

import argparse
import os
import sys
from pathlib import Path

from pipeline.settings import (DEFAULT_OUT, MAX_FILE_MB, MAX_MEMORY_MB, MAX_PAGES, OCR_MODES, TIMEOUT_S,
                               Settings, UsageError, validate_limits)

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="thaiplan", description="Thai plan documents -> audited Parquet")
    sub = p.add_subparsers(dest="command", required=True)

    e = sub.add_parser("extract", help="extract documents into a warehouse folder")
    e.add_argument("inputs", nargs="+", metavar="INPUT")
    e.add_argument("--out", default=DEFAULT_OUT)
    e.add_argument("--workers", type=int, default=1)
    e.add_argument("--ocr", choices=OCR_MODES, default="auto")
    e.add_argument("--verbose", action="store_true", help="print full error detail")
    e.add_argument("--password", default=None, help="password for encrypted PDFs")
    e.add_argument("--max-pages", type=int, default=MAX_PAGES, help="pages read per document")
    e.add_argument("--timeout", type=float, default=TIMEOUT_S, help="seconds per document")
    e.add_argument("--max-memory-mb", type=int, default=MAX_MEMORY_MB, help="memory per worker")
    e.add_argument("--max-file-mb", type=float, default=MAX_FILE_MB, help="largest file read")
    e.add_argument("--force", action="store_true", help="extract again documents already extracted")
    e.add_argument("--executor", choices=("local", "dask"), default="local")
    e.add_argument("--scheduler", default=None, help="dask scheduler address (with --executor dask)")

    a = sub.add_parser("audit", help="extract samples and score them against their gold files")
    a.add_argument("samples_dir", metavar="SAMPLES_DIR")
    a.add_argument("--out", default=DEFAULT_OUT)
    a.add_argument("--min-f1", type=float, default=0.0)
    a.add_argument("--workers", type=int, default=1)

    t = sub.add_parser("text", help="print the recovered text of a document, page by page")
    t.add_argument("file", metavar="FILE")
    t.add_argument("--pages", default=None, help="A-B (1-based, inclusive)")
    t.add_argument("--ocr", choices=OCR_MODES, default="auto")

    r = sub.add_parser("report", help="overview of a warehouse")
    r.add_argument("dir", metavar="DIR")

    q = sub.add_parser("sql", help="run a query against the warehouse views")
    q.add_argument("dir", metavar="DIR")
    q.add_argument("query", metavar="SELECT")
    return p


def _line(s) -> str:
    fy = s.fiscal_year_be if s.fiscal_year_be is not None else "-"
    if s.status == "failed":
        return f"{s.status:<8} {fy!s:<5} {s.path}: {s.error}"
    if s.status == "skipped":
        return f"{s.status:<8} {'':<5} {s.path}: already extracted by this version ({s.previous}); --force redoes it"
    counts = ", ".join(f"{k} {v}" for k, v in s.counts.items() if k != "pages")
    extra = f"  [{s.error}]" if s.error else ""
    return f"{s.status:<8} {fy!s:<5} {s.path}  {counts} ({s.errors} errors){extra}"


class _Log:
    """The extract log, best effort: a full disk never stops the batch over it."""

    def __init__(self, path: Path):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.fh = open(path, "a", encoding="utf-8", errors="backslashreplace")
        except OSError:
            self.fh = None

    def __getattr__(self, name):           # write, flush, close
        def call(*args):
            try:
                return self.fh and getattr(self.fh, name)(*args)
            except OSError:
                return None
        return call


def _open_log(out: Path):
    """Full error detail goes to DIR/logs/extract-<time>.log; the terminal gets one line each."""
    import datetime
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return _Log(out / "logs" / f"extract-{stamp}-{os.getpid()}.log")


def cmd_extract(args) -> int:
    if args.executor == "local" and args.workers >= 1:
        from pipeline.isolation import warm_up
        warm_up()
    from pipeline.batch import check_out, collect_inputs, print_summary, run_batch
    from pipeline.worker import display_path
    validate_limits(args.workers, args.max_pages, args.timeout, args.max_memory_mb, args.max_file_mb)
    missing = [i for i in args.inputs if not Path(i).exists()]
    paths = collect_inputs([i for i in args.inputs if Path(i).exists()])
    if args.executor == "dask" and not args.scheduler:
        print("thaiplan: --executor dask needs --scheduler ADDRESS", file=sys.stderr)
        return EXIT_USAGE
    settings = Settings(out=args.out, workers=args.workers, ocr=args.ocr, verbose=args.verbose,
                        password=args.password, max_pages=args.max_pages, timeout_s=args.timeout,
                        max_memory_mb=args.max_memory_mb, max_file_mb=args.max_file_mb,
                        force=args.force, executor=args.executor, scheduler=args.scheduler)
    check_out(Path(args.out))
    log = _open_log(Path(args.out))
    from pipeline.progress import Progress
    progress = Progress(len(paths))

    def report(s):
        progress.update(s)
        if progress.tty:
            sys.stderr.write("\r\033[K")
        print(_line(s), flush=True)
        log.write(_line(s) + "\n")
        if s.detail:
            log.write(s.detail + "\n")
            if args.verbose:
                print(s.detail, file=sys.stderr)
        log.flush()
    for m in missing:
        print(f"{'failed':<8} {'-':<5} {display_path(m)}: no such file or folder")
    summaries = run_batch(paths, settings, report)
    progress.close()
    log.close()
    print_summary(summaries, args.out)
    if not paths and not missing:
        print("thaiplan: no .pdf, .txt or .docx files found in the inputs", file=sys.stderr)
        return EXIT_USAGE
    bad = missing or any((s.previous if s.status == "skipped" else s.status) != "ok" for s in summaries)
    return EXIT_SOME_FAILED if bad else EXIT_OK


def cmd_audit(args) -> int:
    from pipeline.audit import find_samples, format_table, run_audit, write_audit
    if not Path(args.samples_dir).is_dir():
        print(f"thaiplan: {args.samples_dir} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    if not find_samples(Path(args.samples_dir)):
        print(f"thaiplan: no X.<ext> with X.gold.json beside it in {args.samples_dir}", file=sys.stderr)
        return EXIT_USAGE
    validate_limits(workers=args.workers)
    # an audit measures this code: it always extracts again, never resumes
    settings = Settings(out=args.out, workers=args.workers, force=True)
    result, summaries = run_audit(Path(args.samples_dir), settings)
    for s in summaries:
        print(_line(s))
    print()
    print(format_table(result))
    folder = write_audit(result, Path(args.out), args.min_f1)
    f1 = result.overall().f1
    verdict = "passed" if f1 >= args.min_f1 else "FAILED"
    print(f"\naudit {verdict}: overall F1 {f1:.4f} (minimum {args.min_f1}); "
          f"{len(result.mismatches)} wrong or missing cells; written to {folder}/")
    return EXIT_OK if f1 >= args.min_f1 else EXIT_SOME_FAILED


def _page_range(spec: str | None, count: int) -> range:
    if not spec:
        return range(1, count + 1)
    a, _, b = spec.partition("-")
    start = int(a) if a else 1
    end = int(b) if b else (start if not _ else count)
    if start < 1 or end < start:
        raise ValueError(f"bad page range {spec!r}")
    return range(start, min(end, count) + 1)


def cmd_text(args) -> int:
    from pipeline.document import DocContext, InputError, read_source, recover_pages, score_pages
    path = Path(args.file)
    if not path.is_file():
        print(f"thaiplan: {path}: no such file", file=sys.stderr)
        return EXIT_USAGE
    try:
        wanted = _page_range(args.pages, 10**6)
    except ValueError as e:
        print(f"thaiplan: {e}", file=sys.stderr)
        return EXIT_USAGE
    ctx = DocContext(path=path, settings=Settings(ocr=args.ocr), pages_wanted=wanted)
    ctx.data = path.read_bytes()
    try:
        read_source(ctx)
    except InputError as e:
        print(f"thaiplan: {path}: {e}", file=sys.stderr)
        return EXIT_SOME_FAILED
    ctx.source.pages = [p for p in ctx.source.pages if p.no in wanted]
    score_pages(ctx)
    recover_pages(ctx)
    for p in ctx.source.pages:
        q = "-" if p.quality is None else f"{p.quality:.2f}"
        note = f" · {p.error}" if p.error else ""
        print(f"=== page {p.no} · method {p.method} · quality {q}{note} ===")
        print(p.text.rstrip("\n"))
    return EXIT_OK


def cmd_sql(args) -> int:
    import duckdb
    from output.warehouse import connect
    if not Path(args.dir).is_dir():
        print(f"thaiplan: {args.dir} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    con = connect(Path(args.dir))
    try:
        rel = con.sql(args.query)
    except duckdb.Error as e:
        print(f"thaiplan: query failed: {' '.join(str(e).split())}", file=sys.stderr)
        return EXIT_USAGE
    if rel is not None:
        rel.show(max_width=200, max_rows=1000)
    return EXIT_OK


def cmd_report(args) -> int:
    from pipeline.report import write_report
    if not Path(args.dir).is_dir():
        print(f"thaiplan: {args.dir} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    target = write_report(Path(args.dir))
    print(f"report written to {target}")
    return EXIT_OK


COMMANDS = {"extract": cmd_extract, "audit": cmd_audit, "text": cmd_text, "sql": cmd_sql,
            "report": cmd_report}


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as e:
        print(f"thaiplan: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("thaiplan: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
