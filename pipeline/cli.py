"""thaiplan command line (see ../shared/CONTRACT.md and EXIT_STATUS below)."""

import argparse
import os
import sys
import time
from pathlib import Path

from pipeline.settings import (DEFAULT_OUT, MAX_FILE_MB, MAX_MEMORY_MB, MAX_PAGES, OCR_MODES,
                               TIMEOUT_PER_PAGE_S, TIMEOUT_S, Settings, UsageError, validate_limits)

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_SOME_PARTIAL = 0, 1, 2, 3
EXIT_STATUS = """exit status (the contract's):
  0  every document ok (audit: F1 at least --min-f1)
  1  some document failed or partial, or an input is missing (audit: F1 below --min-f1)
  2  usage error (bad option or argument, nothing to do)
with extract --detailed-exit (for schedulers):
  1  some document failed or an input is missing
  3  some document partial, none failed"""
PASSWORD_ENV = "THAIPLAN_PASSWORD"


class _Formatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Defaults shown in --help; the epilog (exit status) kept as written."""


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    from pipeline import PIPELINE_VERSION
    p = argparse.ArgumentParser(prog="thaiplan", description="Thai plan documents -> audited Parquet",
                                formatter_class=_Formatter, epilog=EXIT_STATUS)
    p.add_argument("--version", action="version", version=f"thaiplan {PIPELINE_VERSION}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    subs = {}

    def command(name, help):
        subs[name] = sub.add_parser(name, help=help, description=help, formatter_class=_Formatter,
                                    epilog=EXIT_STATUS)
        return subs[name]

    e = command("extract", "extract documents into a warehouse folder")
    e.add_argument("inputs", nargs="+", metavar="INPUT", help="files and folders (.pdf, .txt, .docx)")
    e.add_argument("--out", default=DEFAULT_OUT, help="warehouse folder")
    e.add_argument("--workers", type=int, default=1, help="worker processes")
    e.add_argument("--ocr", choices=OCR_MODES, default="auto", help="OCR pages without usable text")
    e.add_argument("--verbose", action="store_true", help="print full error detail")
    e.add_argument("--quiet", action="store_true", help="no progress and no line per document: the summary only")
    pw = e.add_mutually_exclusive_group()
    pw.add_argument("--password", default=None,
                    help=f"password for encrypted PDFs (visible to other users in ps: prefer "
                         f"--password-file or ${PASSWORD_ENV})")
    pw.add_argument("--password-file", default=None, metavar="FILE",
                    help="read the password for encrypted PDFs from the first line of FILE")
    e.add_argument("--max-pages", type=int, default=MAX_PAGES, help="pages read per document")
    e.add_argument("--timeout", type=float, default=TIMEOUT_S, help="seconds per document ...")
    e.add_argument("--timeout-per-page", type=float, default=TIMEOUT_PER_PAGE_S,
                   help="... or this many per page, when more (a long scan); local workers")
    e.add_argument("--max-memory-mb", type=int, default=MAX_MEMORY_MB, help="memory per worker")
    e.add_argument("--max-file-mb", type=float, default=MAX_FILE_MB, help="largest file read")
    e.add_argument("--force", action="store_true", help="extract again documents already extracted")
    e.add_argument("--executor", choices=("local", "dask"), default="local", help="where documents run")
    e.add_argument("--detailed-exit", action="store_true",
                   help="exit 3 (not 1) when some documents are partial and none failed")
    e.add_argument("--scheduler", default=None, help="dask scheduler address (with --executor dask)")

    a = command("audit", "extract samples and score them against their gold files")
    a.add_argument("samples_dir", metavar="SAMPLES_DIR", help="folder of X.<ext> with X.gold.json beside")
    a.add_argument("--out", default=DEFAULT_OUT, help="warehouse folder")
    a.add_argument("--min-f1", type=float, default=0.0, help="exit 1 below this overall F1")
    a.add_argument("--workers", type=int, default=1, help="worker processes")

    t = command("text", "print the recovered text of a document, page by page")
    t.add_argument("file", metavar="FILE", help="a .pdf, .txt or .docx")
    t.add_argument("--pages", default=None, help="A-B (1-based, inclusive; A- and -B too)")
    t.add_argument("--ocr", choices=OCR_MODES, default="auto", help="OCR pages without usable text")

    r = command("report", "write DIR/_report.html, an overview of a warehouse, and a page per "
                          "document in DIR/_report/")
    r.add_argument("dir", metavar="DIR", help="warehouse folder")
    # -- inspect (issue 15): one page drawn with what the extractors understood on it
    i = command("inspect", "draw one page with the tables, column and row roles, cell boxes and "
                           "schedule marks found on it; print a summary")
    i.add_argument("file", metavar="FILE", help="a .pdf, .txt or .docx")
    i.add_argument("--page", type=int, required=True, metavar="N", help="the page (1-based)")
    i.add_argument("--out", default=None, metavar="X.html|X.png",
                   help="write the drawing here (default: FILE's name + .page-N.html in the current folder)")
    i.add_argument("--ocr", choices=OCR_MODES, default="auto", help="OCR pages without usable text")

    q = command("sql", "run a query against the warehouse views")
    q.add_argument("dir", metavar="DIR", help="warehouse folder")
    q.add_argument("query", metavar="SELECT", help="the query")

    x = command("export", "write a dataset, a view or a query's rows to CSV, Excel, JSON or Parquet")
    x.add_argument("dir", metavar="DIR", help="warehouse folder")
    x.add_argument("what", metavar="DATASET|VIEW|SELECT", help="a dataset, a view of `thaiplan sql`, or a query")
    x.add_argument("--format", choices=("csv", "xlsx", "json", "parquet"), default=None,
                   help="file format (default: from the --to file's suffix)")
    x.add_argument("--to", required=True, metavar="FILE", help="file to write (atomically)")

    m = command("remove", "remove documents' rows from a warehouse")
    m.add_argument("dir", metavar="DIR", help="warehouse folder")
    m.add_argument("targets", nargs="+", metavar="DOC_ID|PATH",
                   help="a doc_id (or 8+ of its first hex digits) or a source path as extracted")

    c = command("schema", "print the data dictionary: every dataset's columns, types and meanings")
    c.add_argument("dataset", nargs="?", default=None, metavar="DATASET", help="one dataset (default: all)")
    _audit_tool_parsers(command)
    return p, subs


# ---- corrections and gold drafts (issue 15): pipeline/corrections.py, pipeline/gold.py ----------

def _audit_tool_parsers(command) -> None:
    k = command("correct", "record the right value of a wrong cell; applied now and at every re-extraction")
    k.add_argument("dir", metavar="DIR", help="warehouse folder (corrections kept in DIR/_corrections/)")
    k.add_argument("dataset", metavar="DATASET", help="documents, strategies, projects, timeline or stats")
    k.add_argument("key", metavar="KEY", help="strategies: strategy_no; projects: strategy_no/seq; timeline: seq; "
                                              "stats: table/label; documents: -")
    k.add_argument("column", metavar="COLUMN", help="the column to correct (thaiplan schema DATASET)")
    k.add_argument("value", metavar="VALUE", help='the right value (money 1234.50, dates YYYY-MM-DD; "" clears)')
    k.add_argument("--doc", required=True, help="the document: doc_id (8+ hex digits) or source path")
    k.add_argument("--who", required=True, help="who records the correction")
    k.add_argument("--why", required=True, help="why the extracted value is wrong")
    g = command("gold", "draft a gold file from the extraction, or mark one checked")
    gs = g.add_subparsers(dest="gold_command", required=True, metavar="draft|check")
    d = gs.add_parser("draft", help="write X.gold.json (status draft) and X.gold.html (pages beside their rows)",
                      formatter_class=_Formatter, epilog=EXIT_STATUS)
    d.add_argument("file", metavar="FILE", help="a .pdf, .txt or .docx")
    d.add_argument("--out", default=None, metavar="X.gold.json", help="gold file to write (default: beside FILE)")
    d.add_argument("--ocr", choices=OCR_MODES, default="auto", help="OCR pages without usable text")
    d.add_argument("--force", action="store_true", help="overwrite an existing gold file")
    c = gs.add_parser("check", help="validate a gold file and mark it checked (status, who, when)",
                      formatter_class=_Formatter, epilog=EXIT_STATUS)
    c.add_argument("gold", metavar="X.gold.json", help="the gold file")
    c.add_argument("--who", required=True, help="who checked it against the document")


def cmd_correct(args) -> int:
    from output.store import unlock_warehouse
    from pipeline.batch import open_warehouse
    from pipeline.corrections import (CorrectionError, key_values, load_corrections, make_correction,
                                      read_document, reapply, record_correction, row_key)
    from pipeline.plans import find_documents
    from pipeline.worker import input_id
    out = Path(args.dir)
    try:
        correction = make_correction(args.dataset, args.key, args.column, args.value, args.who, args.why)
    except CorrectionError as e:
        print(f"thaiplan correct: {e}", file=sys.stderr)
        return EXIT_USAGE
    hits = find_documents(out, args.doc) if out.is_dir() else []
    if not hits and Path(args.doc).is_file():
        hits = [input_id(Path(args.doc))]         # not extracted yet: applied when it is
    if len(hits) != 1:
        why = "no such document" if not hits else f"{len(hits)} documents match (give more of the doc_id)"
        print(f"thaiplan correct: --doc {args.doc}: {why} in {args.dir}", file=sys.stderr)
        return EXIT_USAGE
    doc_id = hits[0]
    lock = open_warehouse(out)
    try:
        stored = read_document(out, doc_id)
        if stored and not any(row_key(args.dataset, r) == key_values(args.dataset, args.key)
                              for r in stored[0].get(args.dataset, [])):
            print(f"thaiplan correct: {args.dataset} has no row {args.key!r} in document {doc_id[:12]}",
                  file=sys.stderr)
            return EXIT_USAGE
        corrections = [c for c in load_corrections(out, doc_id) if not c.same_cell(correction)] + [correction]
        record_correction(out, doc_id, correction, args.doc if Path(args.doc).is_file() else None)
        rows = reapply(out, doc_id, corrections)
    except CorrectionError as e:
        print(f"thaiplan correct: {e}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        unlock_warehouse(lock)
    if rows is None:
        print(f"recorded for {doc_id[:12]} (not in {args.dir} yet): applied when it is extracted")
        return EXIT_OK
    entry = rows["corrections"][-1]
    print(f"corrected {doc_id[:12]} {args.dataset} {args.key} {args.column}: "
          f"{entry['extracted_value']!r} -> {correction.value!r} (the extracted value is kept in `corrections`)")
    return EXIT_OK


def cmd_gold(args) -> int:
    from pipeline import gold
    if args.gold_command == "check":
        content = gold.check(Path(args.gold), args.who)
        print(f"{args.gold}: checked by {content['checked_by']} at {content['checked_at']}")
        return EXIT_OK
    src = Path(args.file)
    if not src.is_file():
        print(f"thaiplan gold draft: {src}: no such file", file=sys.stderr)
        return EXIT_USAGE
    target = Path(args.out) if args.out else gold.gold_path_for(src)
    if target.exists() and not args.force:
        print(f"thaiplan gold draft: {target} exists (--force overwrites it)", file=sys.stderr)
        return EXIT_USAGE
    d = gold.draft(src, Settings(ocr=args.ocr, password=os.environ.get(PASSWORD_ENV) or None))
    if d.status == "failed":
        print(f"thaiplan gold draft: {src}: {d.error}", file=sys.stderr)
        return EXIT_SOME_FAILED
    json_path, html_path = gold.write_draft(d, target)
    counts = ", ".join(f"{ds} {len(d.gold[ds])}" for ds in ("strategies", "projects", "timeline", "stats"))
    note = f" [{d.status}: {d.error}]" if d.error else ""
    print(f"draft written to {json_path} ({counts}){note}; check it beside {html_path}, then "
          f"`thaiplan gold check {json_path} --who NAME`")
    return EXIT_OK


def _line(s) -> str:
    fy = s.fiscal_year_be if s.fiscal_year_be is not None else "-"
    if s.status == "failed":
        return f"{s.status:<8} {fy!s:<5} {s.path}: {s.error}"
    if s.status == "skipped":
        return f"{s.status:<8} {'':<5} {s.path}: already extracted by this version ({s.previous}); --force redoes it"
    counts = ", ".join(f"{k} {v}" for k, v in s.counts.items() if k != "pages")
    extra = f"  [{s.error}]" if s.error else ""
    severe = f" · {s.errors} finding{'s' if s.errors != 1 else ''} of severity error" if s.errors else ""
    return f"{s.status:<8} {fy!s:<5} {s.path}  {counts}{severe}{extra}"


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
    """Full error detail goes to DIR/_logs/extract-<time>.log; the terminal gets one line each."""
    import datetime
    from output.warehouse import LOGS_DIR
    folder = out / LOGS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return _Log(folder / f"extract-{stamp}-{os.getpid()}.log")


def _password(args) -> str | None:
    """--password, else the first line of --password-file, else $THAIPLAN_PASSWORD."""
    if args.password_file:
        with open(args.password_file, encoding="utf-8") as fh:
            return fh.readline().rstrip("\r\n")
    return args.password if args.password is not None else os.environ.get(PASSWORD_ENV) or None


def exit_status(summaries, missing, detailed: bool = False) -> int:
    """1 when a document failed or an input is missing; for partial documents (none failed)
    1 as the contract says, or 3 with --detailed-exit; else 0."""
    from pipeline.progress import effective_status
    states = {effective_status(s) for s in summaries}
    if missing or "failed" in states:
        return EXIT_SOME_FAILED
    if "partial" in states:
        return EXIT_SOME_PARTIAL if detailed else EXIT_SOME_FAILED
    return EXIT_OK


def cmd_extract(args) -> int:
    started = time.monotonic()
    if args.executor == "local" and args.workers >= 1:
        from pipeline.isolation import warm_up
        warm_up()
    from output.warehouse import migrate_layout
    from pipeline.batch import check_out, collect_inputs, run_batch
    from pipeline.progress import Progress, summary_lines
    from pipeline.worker import display_path
    validate_limits(args.workers, args.max_pages, args.timeout, args.max_memory_mb, args.max_file_mb,
                    args.timeout_per_page)
    missing = [i for i in args.inputs if not Path(i).exists()]
    paths = collect_inputs([i for i in args.inputs if Path(i).exists()])
    if args.executor == "dask" and not args.scheduler:
        print("thaiplan: --executor dask needs --scheduler ADDRESS", file=sys.stderr)
        return EXIT_USAGE
    try:
        password = _password(args)
    except OSError as e:
        print(f"thaiplan: --password-file: {e.strerror or e}: {args.password_file}", file=sys.stderr)
        return EXIT_USAGE
    if not paths and not missing:
        print("thaiplan: no .pdf, .txt or .docx files found in the inputs", file=sys.stderr)
        return EXIT_USAGE
    settings = Settings(out=args.out, workers=args.workers, ocr=args.ocr, verbose=args.verbose,
                        password=password, max_pages=args.max_pages, timeout_s=args.timeout,
                        timeout_per_page_s=args.timeout_per_page,
                        max_memory_mb=args.max_memory_mb, max_file_mb=args.max_file_mb,
                        force=args.force, executor=args.executor, scheduler=args.scheduler)
    check_out(Path(args.out))
    migrate_layout(Path(args.out))
    log = _open_log(Path(args.out))
    progress = Progress(len(paths), quiet=args.quiet).start_timer()

    def report(s):
        progress.update(s)
        if not args.quiet:
            progress.print_line(_line(s))
        log.write(_line(s) + "\n")
        if s.detail:
            log.write(s.detail + "\n")
            if args.verbose:
                print(s.detail, file=sys.stderr)
        log.flush()
    for m in missing:
        print(f"{'failed':<8} {'-':<5} {display_path(m)}: no such file or folder")
    superseded = []

    def damaged(doc_ids):
        line = (f"warning: an earlier batch into {display_path(args.out)} did not finish (killed or a power cut): "
                f"{len(doc_ids)} document(s) it left damaged were removed and are extracted again: "
                + ", ".join(d[:12] for d in doc_ids[:10]) + (" ..." if len(doc_ids) > 10 else ""))
        progress.print_line(line, out=sys.stderr)
        log.write(line + "\n")
    try:
        summaries = run_batch(paths, settings, report, on_pages=progress.page, on_superseded=superseded.extend,
                              on_damaged=damaged)
    finally:
        progress.close()
    lines = summary_lines(summaries, args.out, time.monotonic() - started, missing, len(superseded))
    print("\n" + "\n".join(lines))
    log.write("\n".join(lines) + "\n")
    log.close()
    return exit_status(summaries, missing, args.detailed_exit)


def cmd_audit(args) -> int:
    from pipeline.audit import corrections_lines, find_samples, format_table, run_audit, write_audit
    if not Path(args.samples_dir).is_dir():
        print(f"thaiplan: {args.samples_dir} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    if not find_samples(Path(args.samples_dir)):
        print(f"thaiplan: no X.<ext> with X.gold.json beside it in {args.samples_dir}", file=sys.stderr)
        return EXIT_USAGE
    validate_limits(workers=args.workers)
    from output.warehouse import migrate_layout
    from pipeline.batch import check_out
    check_out(Path(args.out))          # a file, a read-only file system, in use: one line, exit 2
    migrate_layout(Path(args.out))
    # an audit measures this code: it always extracts again, never resumes
    settings = Settings(out=args.out, workers=args.workers, force=True)
    result, summaries = run_audit(Path(args.samples_dir), settings)
    for s in summaries:
        print(_line(s))
    print()
    print(format_table(result))
    for line in corrections_lines(result):
        print(line)
    folder = write_audit(result, Path(args.out), args.min_f1)
    f1 = result.overall().f1
    verdict = "passed" if f1 >= args.min_f1 else "FAILED"
    print(f"\naudit {verdict}: overall F1 {f1:.4f} (minimum {args.min_f1}); "
          f"{len(result.mismatches)} wrong or missing cells; written to {folder}/")
    return EXIT_OK if f1 >= args.min_f1 else EXIT_SOME_FAILED


def _page_range(spec: str | None, count: int) -> range:
    if not spec:
        return range(1, count + 1)
    a, _, b = spec.strip().partition("-")
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
    except ValueError:
        print(f"thaiplan text: bad --pages {args.pages!r}: expected A-B, A- or -B with page numbers "
              "from 1 (e.g. 2-5)", file=sys.stderr)
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


def _no_warehouse(folder: str, migrate: bool = False) -> bool:
    """Say so (one line) when a warehouse folder does not exist; else move an earlier layout's
    non-data files under their `_` names if asked."""
    if not Path(folder).is_dir():
        print(f"thaiplan: {folder} is not a folder", file=sys.stderr)
        return True
    if migrate:
        from output.warehouse import migrate_layout
        migrate_layout(Path(folder))
    return False


def cmd_sql(args) -> int:
    import duckdb
    from output.warehouse import connect
    if _no_warehouse(args.dir):
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
    if _no_warehouse(args.dir, migrate=True):
        return EXIT_USAGE
    target = write_report(Path(args.dir))
    print(f"report written to {target}")
    return EXIT_OK


def cmd_inspect(args) -> int:
    from output.atomic import write_atomic
    from output.inspect_view import render_html, render_png, summary
    from pipeline.document import InputError
    from pipeline.inspect import inspect_page
    path = Path(args.file)
    target = Path(args.out or f"{path.name}.page-{args.page}.html")
    if not path.is_file() or args.page < 1 or target.suffix.lower() not in (".html", ".png"):
        print(f"thaiplan inspect: need an existing FILE, --page N from 1 and --out X.html or X.png "
              f"(got {args.file}, {args.page}, {target})", file=sys.stderr)
        return EXIT_USAGE
    try:
        view = inspect_page(path, args.page, Settings(ocr=args.ocr))
    except InputError as e:
        print(f"thaiplan inspect: {path}: {e}", file=sys.stderr)
        return EXIT_SOME_FAILED
    print(summary(view))
    write_atomic(target, render_png(view) if target.suffix.lower() == ".png" else render_html(view))
    print(f"drawing written to {target}")
    return EXIT_OK


def cmd_export(args) -> int:
    from pipeline.export import ExportError, export
    if _no_warehouse(args.dir):
        return EXIT_USAGE
    fmt = args.format or Path(args.to).suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx", "json", "parquet"):
        print(f"thaiplan export: say --format csv|xlsx|json|parquet (cannot tell from {args.to!r})",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        n = export(Path(args.dir), args.what, fmt, Path(args.to))
    except ExportError as e:
        print(f"thaiplan export: {e}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{n} rows written to {args.to} ({fmt})")
    return EXIT_OK


def cmd_remove(args) -> int:
    from pipeline.plans import find_documents, remove, supersede
    if _no_warehouse(args.dir, migrate=True):
        return EXIT_USAGE
    found, unknown = [], []
    for t in args.targets:
        hits = find_documents(Path(args.dir), t)
        (found.extend(hits) if hits else unknown.append(t))
    for t in unknown:
        print(f"thaiplan remove: {t}: no such document in {args.dir}", file=sys.stderr)
    for doc_id in dict.fromkeys(found):
        remove(Path(args.dir), [doc_id])
        print(f"removed {doc_id}")
    supersede(Path(args.dir))          # a superseded copy may be current again
    return EXIT_USAGE if unknown else EXIT_OK


def cmd_schema(args) -> int:
    from output.schema import DATASETS, describe
    if args.dataset and args.dataset not in DATASETS:
        print(f"thaiplan schema: no dataset {args.dataset!r} (one of {', '.join(DATASETS)})", file=sys.stderr)
        return EXIT_USAGE
    for ds in [args.dataset] if args.dataset else DATASETS:
        print(ds)
        for name, typ, meaning in describe(ds):
            print(f"  {name:<24} {typ:<22} {meaning}")
        print()
    return EXIT_OK


COMMANDS = {"extract": cmd_extract, "audit": cmd_audit, "text": cmd_text, "sql": cmd_sql,
            "report": cmd_report, "inspect": cmd_inspect, "export": cmd_export, "remove": cmd_remove,
            "schema": cmd_schema, "correct": cmd_correct, "gold": cmd_gold}


def parse_args(argv=None) -> argparse.Namespace:
    """Arguments; an unknown option is reported with its command's usage, not the top level's."""
    parser, subs = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        subs[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as e:
        print(f"thaiplan: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        import signal
        signal.signal(signal.SIGINT, signal.SIG_IGN)    # a second Ctrl-C does not cut the exit short
        print("thaiplan: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
