"""Distributed executor: the same per-document function mapped over a Dask cluster.

`thaiplan extract DIR --executor dask --scheduler tcp://HOST:8786` sends one task per
document. Each task extracts its document and writes that document's files itself (paths
in the warehouse depend only on doc_id, so workers share no state); the client only
collects the one-line summaries. Inputs and --out must be paths every worker can read and
write (a shared file system). Dask's nanny restarts a worker that crashes; the task is then
retried by the scheduler, and a document that keeps failing is recorded as failed.
"""

from pathlib import Path


def _task(path: str, settings) -> object:
    from dataclasses import replace

    from pipeline.worker import safe_extract
    # the worker process is the isolation here: no nested fork server inside a Dask worker
    return safe_extract(Path(path), replace(settings, isolate=False, executor="local"))


def run_dask(paths: list[Path], settings, report) -> list:
    from distributed import Client, as_completed

    from pipeline.document import doc_id_of
    from pipeline.worker import DocSummary
    results: dict[int, object] = {}
    with Client(settings.scheduler, timeout="30s") as client:
        futures = {client.submit(_task, str(p), settings, key=f"thaiplan-{i}-{p.name}", pure=False): i
                   for i, p in enumerate(paths)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                summary = future.result()
            except Exception as e:  # noqa: BLE001 - a lost worker, a killed task
                summary = DocSummary(doc_id_of(paths[i], None, hash_file=True), str(paths[i]), "failed",
                                     f"distributed task failed: {e.__class__.__name__}: {e}",
                                     None, {}, 0, 0.0)
            results[i] = summary
            report(summary)
    return [results[i] for i in range(len(paths))]
