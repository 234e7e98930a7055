"""The scan plans at every resolution (issue 12: the method must not depend on the dpi a plan
was scanned at): each plan of tests/scans.py built at 150, 200 and 300 dpi with its other
degradations, audited, and printed as F1, budget cells exact and fiscal year per plan x dpi.
Run:  python tests/scan_matrix.py [OUT] [--dpi 150,200,300] [--only NAME-PART]"""

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import families  # noqa: E402
import scans  # noqa: E402

DPIS = (150, 200, 300)


def variants(dpis=DPIS, only: str | None = None) -> list[tuple[scans.Scan, int]]:
    """Every plan of `scans.SCANS` at every dpi, with its seed (the plan's, whatever the dpi)."""
    out = []
    for scan in scans.SCANS:
        if only and only not in scan.fixture:
            continue
        for dpi in dpis:
            out.append((dataclasses.replace(scan, dpi=dpi), scans.seed_of(scan)))
    return out


def build(out: Path, todo) -> Path:
    """The scans of `todo` (those not built yet) in a folder of `out` named by the content of
    the scan and family generators, so a change to either builds afresh."""
    corpus = families.build_all()
    out = out / scans.fingerprint()
    out.mkdir(parents=True, exist_ok=True)
    for scan, seed in todo:
        target = out / f"{scan.name}.pdf"
        if not target.exists():
            scans.scan_pdf(corpus / "pdf" / f"{scan.fixture}.pdf", target, scan, seed)
            gold = (corpus / "pdf" / f"{scan.fixture}.gold.json").read_text("utf-8")
            (out / f"{scan.name}.gold.json").write_text(gold, "utf-8")
    return out


def main() -> None:
    from pipeline.audit import run_audit
    from pipeline.settings import Settings
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", default=str(HERE / ".scan_matrix"))
    ap.add_argument("--dpi", default=",".join(map(str, DPIS)))
    ap.add_argument("--only")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--mismatches", action="store_true")
    a = ap.parse_args()
    todo = variants(tuple(int(d) for d in a.dpi.split(",")), a.only)
    folder = build(Path(a.out), todo)
    with tempfile.TemporaryDirectory() as tmp:
        samples = Path(tmp) / "in"
        samples.mkdir()
        for scan, _ in todo:
            for ext in (".pdf", ".gold.json"):
                (samples / f"{scan.name}{ext}").symlink_to(folder.resolve() / f"{scan.name}{ext}")
        result, _ = run_audit(samples, Settings(out=str(Path(tmp) / "wh"), workers=a.workers))
    for scan, _ in todo:
        name = f"{scan.name}.pdf"
        gold = json.loads((folder / f"{scan.name}.gold.json").read_text("utf-8"))
        budgets = sum(1 for p in gold.get("projects", []) if p.get("budget_thb") is not None)
        miss = [m for m in result.mismatches if m["file"] == name]
        wrong = sum(1 for m in miss if m["field"] == "budget_thb" and m["gold"] is not None)
        docs = [m for m in miss if m["dataset"] == "documents"]
        print(f"{scan.name:48s} F1 {result.files[name].f1:.3f}  budgets {budgets - wrong}/{budgets}"
              f"  documents {'exact' if not docs else len(docs)}")
        if a.mismatches:
            for m in miss:
                print("    ", m["dataset"], m["field"], m["key"], "gold", m["gold"], "got", m["extracted"], "p", m["page"])


if __name__ == "__main__":
    main()
