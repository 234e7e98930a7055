"""Run one thaiplan command in this process and report the batch (main) process's memory:
`python tests/peak_rss.py extract IN --out DIR ...` prints, on its last line of stderr,
`peak_rss_mb=P baseline_mb=B` — P the process's own peak resident set (getrusage: the fork server
and its workers are other processes and not counted), B its resident set once thaiplan's modules
are loaded, before the command runs. Used by make bench and by tests/test_bad_batches.py."""

import resource
import sys
from pathlib import Path


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from pipeline import cli
    import pipeline.batch, pipeline.isolation, pipeline.plans, pipeline.progress  # noqa: E401,F401 - in the baseline
    baseline = rss_mb()
    try:
        code = cli.main(argv)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 2
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak_rss_mb={peak:.0f} baseline_mb={baseline:.0f}", file=sys.stderr)
    return code


if __name__ == "__main__":            # workers re-import this file as their main module: only run here
    sys.exit(main(sys.argv[1:]))
