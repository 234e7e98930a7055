"""A batch: walk the inputs, extract each document (in worker processes when asked),
write its files, and report. One document's failure never stops the batch."""

import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from output.store import clean_temporaries
from pipeline.document import doc_id_of
from pipeline.settings import SOURCE_SUFFIXES, Settings
from pipeline.worker import DocSummary, safe_extract


def collect_inputs(inputs: list[str]) -> list[Path]:
    """Files as given; folders walked for .pdf/.txt/.docx (hidden entries skipped)."""
    found, seen = [], set()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*")
                           if f.is_file() and f.suffix.lower() in SOURCE_SUFFIXES
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            files = [p]
        for f in files:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                found.append(f)
    return found


def already_extracted(out: Path) -> dict[str, tuple[str, str]]:
    """{doc_id: (pipeline_version, status)} of the documents the warehouse holds."""
    if not any((out / "documents").glob("*/*.parquet")):
        return {}
    import duckdb
    con = duckdb.connect()
    try:
        rows = con.execute(
            "SELECT doc_id, pipeline_version, status FROM read_parquet(?, hive_partitioning = true, "
            "union_by_name = true)", [str(out / "documents" / "*" / "*.parquet")]).fetchall()
    finally:
        con.close()
    return {d: (v, st) for d, v, st in rows}


def _skip_done(paths: list[Path], settings: Settings, report) -> tuple[list[Path], dict[int, DocSummary]]:
    """Resume: a document already extracted by this pipeline version is not done again."""
    from pipeline import PIPELINE_VERSION
    done = already_extracted(Path(settings.out)) if not settings.force else {}
    todo, skipped = [], {}
    for index, path in enumerate(paths):
        doc_id = doc_id_of(path, None, hash_file=True) if done else None
        if doc_id in done and done[doc_id][0] == PIPELINE_VERSION:
            summary = DocSummary(doc_id, str(path), "skipped", None, None, {}, 0, 0.0)
            summary.previous = done[doc_id][1]
            skipped[index] = summary
            report(summary)
        else:
            todo.append(path)
    return todo, skipped


def _main_importable() -> bool:
    """Workers re-import the main module (multiprocessing's rule); from an interactive or
    stdin session they cannot, so such a caller runs documents in its own process."""
    import __main__
    spec = getattr(__main__, "__spec__", None)
    path = getattr(__main__, "__file__", None)
    return spec is not None or (path is not None and Path(path).is_file())


def run_batch(paths: list[Path], settings: Settings, report=None, on_pages=None) -> list[DocSummary]:
    """`report(summary)` after each document; `on_pages(path, done, total)` as the pages of a running
    document are done (local executors). Ends with the supersession pass over the warehouse."""
    report = report or (lambda s: None)
    clean_temporaries(Path(settings.out))
    todo, skipped = _skip_done(paths, settings, report)
    if settings.executor == "dask":
        from pipeline.distributed import run_dask
        ran = run_dask(todo, settings, report)
    elif settings.isolate and _main_importable():
        from pipeline.isolation import run_isolated
        ran = run_isolated(todo, settings, report, on_pages)
    else:
        ran = _run_in_process(todo, settings, report, on_pages)
    from pipeline.plans import supersede
    supersede(Path(settings.out))            # one plan counted once, across the whole warehouse
    it = iter(ran)
    return [skipped[i] if i in skipped else next(it) for i in range(len(paths))]


def _run_in_process(paths: list[Path], settings: Settings, report, on_pages=None) -> list[DocSummary]:
    from pipeline.progress import set_page_hook
    out: list[DocSummary] = []
    if settings.workers <= 1 or len(paths) <= 1:
        for p in paths:
            if on_pages:
                set_page_hook(lambda done, total, p=p: on_pages(p, done, total))
            try:
                s = safe_extract(p, settings)
            finally:
                set_page_hook(None)
            report(s)
            out.append(s)
        return out
    with ProcessPoolExecutor(max_workers=settings.workers) as pool:
        for s in pool.map(safe_extract, paths, [settings] * len(paths)):
            report(s)
            out.append(s)
    return out


def print_summary(summaries: list[DocSummary], out: str, stream=None) -> None:
    stream = stream or sys.stdout
    by_status = {}
    for s in summaries:
        by_status[s.status] = by_status.get(s.status, 0) + 1
    totals = {}
    for s in summaries:
        for k, v in s.counts.items():
            totals[k] = totals.get(k, 0) + v
    seconds = sum(s.seconds for s in summaries)
    print(f"\n{len(summaries)} documents: " + ", ".join(f"{v} {k}" for k, v in sorted(by_status.items()))
          + f" in {seconds:.2f}s -> {out}/", file=stream)
    if totals:
        print("rows: " + ", ".join(f"{k} {v}" for k, v in totals.items()), file=stream)
