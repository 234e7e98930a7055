"""Distributed executor: the same per-document function mapped over a Dask cluster.

`thaiplan extract DIR --executor dask --scheduler tcp://HOST:8786` sends one task per
document. Each task runs its document in a child process of the Dask worker under the same
limits as a local run (--timeout, --max-memory-mb; pipeline/isolation.py `run_limited`), and
that child writes the document's files itself (paths in the warehouse depend only on doc_id,
so workers share no state); the client only collects the one-line summaries. Inputs and --out
must be paths every worker can read and write (a shared file system). Dask's nanny restarts a
worker that crashes and the scheduler retries its task; a task lost for good (KilledWorker,
cancelled) gets its failed row from the client. A scheduler that cannot be reached within
Dask's connect timeout (`distributed.comm.timeouts.connect`, 30 s) is a one-line error, exit 2.
"""

from pathlib import Path

from pipeline.settings import UsageError


def _task(path: str, settings) -> object:
    from pipeline.isolation import run_limited
    return run_limited(Path(path), settings)


def run_dask(paths: list[Path], settings, report) -> list:
    from distributed import Client, as_completed

    from pipeline.worker import display_path, record_failure
    results: dict[int, object] = {}
    try:
        client = Client(settings.scheduler)
    except (OSError, TimeoutError, ValueError) as e:
        raise UsageError(f"cannot reach the Dask scheduler at {display_path(settings.scheduler)}: "
                         f"{' '.join(str(e).split())[:200] or e.__class__.__name__}") from None
    with client:
        futures = {client.submit(_task, str(p), settings, key=f"thaiplan-{i}-{display_path(p.name)}", pure=False): i
                   for i, p in enumerate(paths)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                summary = future.result()
            except Exception as e:  # noqa: BLE001 - a lost worker, a killed task
                summary = record_failure(paths[i], settings, f"distributed task failed: {e.__class__.__name__}: "
                                         f"{' '.join(str(e).split())[:200]}")
            results[i] = summary
            report(summary)
    return [results[i] for i in range(len(paths))]
