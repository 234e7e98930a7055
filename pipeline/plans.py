"""Plan identity and supersession: one plan counted once.

A document's `doc_id` is the hash of its bytes, so the same plan as PDF and DOCX, a corrected
re-publication or a re-download are several documents. `plan_id` names the plan itself: a short
hash of (office, fiscal year, title), the title standing for the plan's kind (แผนปฏิบัติการ,
แผนพัฒนาครูและบุคลากรทางการศึกษา, ...); null when office or fiscal year is unknown.

Among the documents of one plan exactly one is current; the others get `superseded_by` = the
current doc_id and a `SUPERSEDED` finding. Which one is current:
1. of documents extracted from the same source path, only the newest extraction counts
   (a corrected file downloaded over the old one replaces it);
2. of the rest: ok before partial, then the one with more extracted facts (strategies,
   projects, timeline and stats rows), then the later file modification time, then the
   richer format (docx > pdf > txt), then the later extraction, then doc_id (so the choice is
   always the same).
`supersede(DIR)` recomputes this over the whole warehouse after every batch (and after
`thaiplan remove`) and rewrites, atomically, the `documents` and `findings` files of the
documents whose state changed. `remove(DIR, targets)` deletes documents' rows.
"""

import hashlib
import os
from datetime import datetime, timezone
from pathlib import Path

import pyarrow.parquet as pq

from normalizers.text import normalize_text
from pipeline.identity import file_sha256
from output.schema import DATASETS, PARTITION
from output.store import existing_files, read_small, to_table, write_parquet_group

FORMAT_RANK = {"docx": 3, "pdf": 2, "txt": 1}
STATUS_RANK = {"ok": 2, "partial": 1}
SUPERSEDED = "SUPERSEDED"


def _key_text(s: str | None) -> str:
    return "".join((normalize_text(s) or "").split())


def plan_id(office: str | None, fiscal_year_be: int | None, title: str | None) -> str | None:
    """Short (16 hex) hash of the normalized (office, fiscal year, title); None when office or
    fiscal year is unknown (such a document is its own plan)."""
    if not office or fiscal_year_be is None:
        return None
    key = "\x1f".join((_key_text(office), str(int(fiscal_year_be)), _key_text(title)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


FACT_DATASETS = ("projects", "strategies", "timeline", "stats")


def facts_of(counts: dict[str, int]) -> int:
    """A document's extracted facts from its rows per dataset (the rank's second key)."""
    return sum(counts.get(ds, 0) for ds in FACT_DATASETS)


DOC_COLUMNS = ["doc_id", "source_path", "source_format", "status", "office", "title", PARTITION,
                "extracted_at", "source_mtime", "plan_id", "superseded_by"]


def _documents(out: Path) -> list[dict]:
    """Every document's row, only the columns the rule reads, read file by file (a warehouse of
    10,000 documents is read in a few MB, not whole; a pyarrow dataset scan over as many files
    held ~1 GB); `facts` filled in later where it matters."""
    from output.warehouse import read_columns
    rows = list(read_columns(out, "documents", DOC_COLUMNS))
    for r in rows:
        r["facts"] = None
    return rows


def _count_facts(out: Path, doc_id: str) -> int:
    """Rows a document has in the fact datasets, from the Parquet footers of its own files."""
    return sum(pq.ParquetFile(f).metadata.num_rows
               for ds in FACT_DATASETS for f in existing_files(out, ds, doc_id))


def _epoch() -> datetime:
    return datetime(1970, 1, 1, tzinfo=timezone.utc)


def _rank(d: dict) -> tuple:
    return (STATUS_RANK.get(d["status"], 0), d["facts"], d["source_mtime"] or _epoch(),
            FORMAT_RANK.get(d["source_format"], 0), d["extracted_at"] or _epoch(), d["doc_id"])


def _same_path(d: dict) -> str:
    return os.path.normpath(d["source_path"] or d["doc_id"])


def decide(docs: list[dict], facts=None) -> dict[str, tuple[str | None, str | None]]:
    """{doc_id: (plan_id, superseded_by)} for every document (the rule above); `facts(doc)`
    counts a document's extracted facts, asked only of documents that share a plan."""
    result, plans = {}, {}
    for d in docs:
        pid = plan_id(d["office"], d["fiscal_year_be"], d["title"]) if d["status"] != "failed" else None
        result[d["doc_id"]] = (pid, None)
        if pid:
            plans.setdefault(pid, []).append(d)
    for pid, group in plans.items():
        if len(group) < 2:
            continue
        newest = {}
        for d in group:                      # rule 1: the newest extraction of each source path
            k = _same_path(d)
            if k not in newest or (d["extracted_at"] or _epoch()) > (newest[k]["extracted_at"] or _epoch()):
                newest[k] = d
        for d in newest.values():
            if d.get("facts") is None:
                d["facts"] = facts(d) if facts else 0
        current = max(newest.values(), key=_rank)     # rule 2
        for d in group:
            if d["doc_id"] != current["doc_id"]:
                result[d["doc_id"]] = (pid, current["doc_id"])
    return result


def _finding(doc: dict, current: str) -> dict:
    return {"doc_id": doc["doc_id"], "severity": "info", "code": SUPERSEDED,
            "message": f"superseded by {current[:12]} (the same plan: office, fiscal year and title); "
                       "the views and reports count only the current document",
            "expected": None, "actual": current}


def _rewrite(out: Path, doc: dict, pid: str | None, superseded_by: str | None, sync: bool) -> None:
    """The document's findings (SUPERSEDED added or dropped), then its documents row, atomically."""
    doc_id = doc["doc_id"]
    findings = existing_files(out, "findings", doc_id)
    rows = read_small(findings[0]).to_pylist() if findings else []
    rows = [r for r in rows if r.get("code") != SUPERSEDED]
    if superseded_by:
        rows.append(_finding(doc, superseded_by))
    for path in existing_files(out, "documents", doc_id):
        target = findings[0] if findings else path.parent.parent.parent / "findings" / path.parent.name / path.name
        if not rows:
            target.unlink(missing_ok=True)
        (drow,) = read_small(path).to_pylist()
        drow.update(plan_id=pid, superseded_by=superseded_by)
        # findings first, the documents row last: its file still marks a complete document
        write_parquet_group(([(to_table("findings", rows), target)] if rows else [])
                            + [(to_table("documents", [drow]), path)], sync)


def supersede(out: Path, sync: bool = True, known_facts: dict[str, int] | None = None,
              docs: list[dict] | None = None) -> list[tuple[str, str]]:
    """Recompute plan identity and supersession over the whole warehouse; returns the
    (superseded doc_id, current doc_id) pairs. `sync` off: the files rewritten are not flushed
    one by one (a batch's unsynced window flushes them; output/store.py). `known_facts`: the
    facts of documents just written, by doc_id (their files' footers are not read again).
    `docs`: every document's DOC_COLUMNS as the caller knows them (a batch: read at its start,
    then kept up to date as it writes), instead of reading the warehouse again."""
    out = Path(out)
    if docs is None:
        if not any((out / "documents").glob(f"{PARTITION}=*/*.parquet")):
            return []
        docs = _documents(out)
    else:
        docs = [{**d, "facts": None} for d in docs]
    known = known_facts or {}

    def facts(d: dict) -> int:
        n = known.get(d["doc_id"])
        return _count_facts(out, d["doc_id"]) if n is None else n
    wanted = decide(docs, facts)
    for d in docs:
        pid, by = wanted[d["doc_id"]]
        if (d["plan_id"], d["superseded_by"]) != (pid, by):
            _rewrite(out, d, pid, by, sync)
    return sorted((doc, by) for doc, (_, by) in wanted.items() if by)


def find_documents(out: Path, target: str) -> list[str]:
    """doc_ids a `thaiplan remove` argument names: a doc_id (or a prefix of 8+ hex digits), a
    source path as extracted, or a file whose bytes hash to a doc_id in the warehouse."""
    docs = _documents(Path(out))
    t = target.strip().lower()
    if len(t) >= 8 and all(c in "0123456789abcdef" for c in t):
        hits = [d["doc_id"] for d in docs if d["doc_id"].startswith(t)]
        if hits:
            return hits
    norm, absolute = os.path.normpath(target), os.path.abspath(target)
    hits = {d["doc_id"] for d in docs if d["source_path"] and
            (os.path.normpath(d["source_path"]) == norm or os.path.abspath(d["source_path"]) == absolute)}
    if Path(target).is_file():
        digest = file_sha256(Path(target))
        hits |= {d["doc_id"] for d in docs if d["doc_id"] == digest}
    return sorted(hits)


def remove(out: Path, doc_ids: list[str]) -> int:
    """Delete every row of these documents (their `documents` file first, so no document looks
    complete while half removed); returns the files removed."""
    out, n = Path(out), 0
    for doc_id in doc_ids:
        for dataset in sorted(DATASETS, key=lambda d: d != "documents"):
            for path in existing_files(out, dataset, doc_id):
                path.unlink(missing_ok=True)
                n += 1
    return n
