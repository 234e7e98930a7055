"""Audit: extract every sample that has a gold file, read the warehouse back with DuckDB,
and score it field by field against the hand-checked gold.

A fact is one non-null value of one field of one row. Rows are matched on their key
(strategies: no; projects: strategy_no+seq; timeline: seq; stats: table+label).
Text is compared after NFC, Thai->Arabic digits and removal of all white space; numbers
and dates exactly. precision = correct / extracted facts, recall = correct / gold facts.

An auditor's corrections (pipeline/corrections.py) are not extraction successes: the scores
are of the rows as extracted (the corrections undone); the rows after corrections are scored
apart ("after corrections"), the corrections are counted, and one that found no row
(CORRECTION_ORPHANED) is listed. A gold file drafted by `thaiplan gold draft` is refused until
a person has checked it (`thaiplan gold check`).
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from normalizers.text import compact
from output.atomic import write_atomic
from output.warehouse import AUDIT_DIR, connect, rows_for
from pipeline.batch import run_batch
from pipeline.corrections import APPLIED, revert
from pipeline.settings import SOURCE_SUFFIXES, Settings, UsageError

# dataset -> (gold key fields, {gold field name: warehouse column})
SPECS = {
    "documents": ((), {}),
    "strategies": (("no",), {"no": "strategy_no"}),
    "projects": (("strategy_no", "seq"), {}),
    "timeline": (("seq",), {"start": "start_date", "end": "end_date"}),
    "stats": (("table", "label"), {}),
}
GOLD_KEY = {"documents": "document"}
GOLD_STATUS_KEY = "status"
DRAFT, CHECKED = "draft", "checked"
# the printed text behind an extracted field, shown next to a wrong cell
RAW = {("strategies", "title"): "title_raw", ("strategies", "declared_project_count"): "declaration_raw",
       ("strategies", "declared_budget_thb"): "declaration_raw", ("projects", "budget_thb"): "budget_raw",
       ("projects", "responsible_group"): "responsible_group_raw", ("timeline", "start"): "start_raw",
       ("timeline", "end"): "end_raw", ("stats", "value"): "label_raw"}


def _source(ds: str, field_name: str, row: dict | None):
    if not row:
        return None
    return row.get(RAW.get((ds, field_name), "name_raw")) or row.get("name_raw") or row.get("title_raw")


def canon(v):
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float, Decimal)):
        return Decimal(str(v))
    return compact(str(v))


@dataclass
class Score:
    gold: int = 0
    extracted: int = 0
    correct: int = 0

    def add(self, other: "Score") -> None:
        self.gold += other.gold
        self.extracted += other.extracted
        self.correct += other.correct

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else (1.0 if not self.extracted else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"gold": self.gold, "extracted": self.extracted, "correct": self.correct,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


@dataclass
class AuditResult:
    fields: dict = field(default_factory=dict)      # (dataset, field) -> Score
    files: dict = field(default_factory=dict)       # file name -> Score
    mismatches: list = field(default_factory=list)
    corrections: list = field(default_factory=list)   # rows of the `corrections` dataset, with "file"
    after: "AuditResult | None" = None                 # the same documents scored after corrections

    @property
    def applied(self) -> list:
        return [c for c in self.corrections if c["status"] == APPLIED]

    @property
    def orphaned(self) -> list:
        return [c for c in self.corrections if c["status"] != APPLIED]

    def overall(self) -> Score:
        total = Score()
        for s in self.fields.values():
            total.add(s)
        return total

    def dataset(self, name: str) -> Score:
        total = Score()
        for (ds, _), s in self.fields.items():
            if ds == name:
                total.add(s)
        return total


def _key(ds, row, key_fields, colmap):
    vals = []
    for k in key_fields:
        v = row.get(colmap.get(k, k))
        vals.append(canon(v))
    return tuple(vals)


def compare(gold: dict, extracted: dict[str, list[dict]], name: str, result: AuditResult) -> Score:
    file_score = Score()
    for ds, (key_fields, colmap) in SPECS.items():
        g_rows = gold.get(GOLD_KEY.get(ds, ds))
        if g_rows is None:
            continue
        if isinstance(g_rows, dict):
            g_rows = [g_rows]
        x_rows = extracted.get(ds, [])
        g_by_key = {_key(ds, r, key_fields, {}): r for r in g_rows}
        x_by_key = {_key(ds, r, key_fields, colmap): r for r in x_rows}
        fields_ = [f for f in dict.fromkeys(k for r in g_rows for k in r) if f not in key_fields]
        for f in fields_:
            col = colmap.get(f, f)
            s = Score()
            s.gold = sum(1 for r in g_rows if r.get(f) is not None)
            s.extracted = sum(1 for r in x_rows if r.get(col) is not None)
            for k, gr in g_by_key.items():
                gv, xr = canon(gr.get(f)), x_by_key.get(k)
                xv = canon(xr.get(col)) if xr else None
                if gv is not None and gv == xv:
                    s.correct += 1
                elif gv is not None or xv is not None:
                    result.mismatches.append({
                        "file": name, "dataset": ds, "key": [str(x) for x in k], "field": f,
                        "gold": None if gr.get(f) is None else str(gr.get(f)),
                        "extracted": None if not xr or xr.get(col) is None else str(xr.get(col)),
                        "page": xr.get("page") if xr else None, "source": _source(ds, f, xr)})
            for k in x_by_key.keys() - g_by_key.keys():
                if x_by_key[k].get(col) is not None:
                    result.mismatches.append({
                        "file": name, "dataset": ds, "key": [str(x) for x in k], "field": f,
                        "gold": None, "extracted": str(x_by_key[k].get(col)),
                        "page": x_by_key[k].get("page"), "source": _source(ds, f, x_by_key[k])})
            result.fields.setdefault((ds, f), Score()).add(s)
            file_score.add(s)
    result.files[name] = file_score
    return file_score


def find_samples(samples_dir: Path) -> list[tuple[Path, Path]]:
    pairs = []
    for gold in sorted(Path(samples_dir).glob("*.gold.json")):
        stem = gold.name[: -len(".gold.json")]
        for suffix in SOURCE_SUFFIXES:
            src = gold.with_name(stem + suffix)
            if src.exists():
                pairs.append((src, gold))
    return pairs


def load_gold(path: Path) -> dict:
    """A gold file, checked: UsageError naming the file and what is wrong with it."""
    try:
        gold = json.loads(Path(path).read_text("utf-8"))
    except OSError as e:
        raise UsageError(f"{path}: cannot read gold file: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: gold file is not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise UsageError(f"{path}: gold file is not valid JSON: {e.msg} (line {e.lineno}, column {e.colno})") from None
    if not isinstance(gold, dict):
        raise UsageError(f"{path}: gold file must hold a JSON object, not {type(gold).__name__}")
    for ds, (key_fields, _) in SPECS.items():
        key = GOLD_KEY.get(ds, ds)
        value = gold.get(key)
        if value is None:
            continue
        rows = [value] if isinstance(value, dict) and ds == "documents" else value
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise UsageError(f"{path}: gold key {key!r} must be a list of objects")
        for r in rows:
            bad = [k for k, v in r.items() if isinstance(v, (dict, list))]
            if bad:
                raise UsageError(f"{path}: gold key {key!r}: field {bad[0]!r} must be a plain value")
    return gold


def refuse_draft(path: Path, gold: dict) -> None:
    """UsageError for a gold file nobody has checked yet (status "draft", or one not known)."""
    status = gold.get(GOLD_STATUS_KEY)
    if status is None or status == CHECKED:
        return
    if status == DRAFT:
        raise UsageError(f"{path}: gold file is a draft, not checked: check it against the document and mark "
                         f"it with `thaiplan gold check {path} --who NAME`")
    raise UsageError(f"{path}: gold file has status {status!r} (expected {CHECKED!r} or none)")


def run_audit(samples_dir: Path, settings: Settings) -> tuple[AuditResult, list]:
    pairs = find_samples(samples_dir)
    golds = [load_gold(gold_path) for _, gold_path in pairs]    # every gold file checked before extracting
    for (_, gold_path), gold in zip(pairs, golds):
        refuse_draft(gold_path, gold)
    summaries = run_batch([src for src, _ in pairs], settings)
    con = connect(Path(settings.out))
    result, after = AuditResult(), AuditResult()
    for (src, gold_path), gold, summary in zip(pairs, golds, summaries):
        corrected = {ds: rows_for(con, ds, summary.doc_id) for ds in SPECS}
        log = rows_for(con, "corrections", summary.doc_id)
        result.corrections += [{**c, "file": src.name} for c in log]
        compare(gold, revert(corrected, log), src.name, result)     # as extracted
        compare(gold, corrected, src.name, after)
    result.after = after
    return result, summaries


def corrections_lines(result: AuditResult) -> list[str]:
    """The corrections part of the audit, for the terminal and report.md: the counts, the
    scores after corrections, and a line per orphaned correction."""
    if not result.corrections:
        return []
    after = result.after.overall() if result.after else result.overall()
    lines = [f"corrections: {len(result.applied)} applied, {len(result.orphaned)} orphaned; "
             f"F1 as extracted {result.overall().f1:.4f}, after corrections {after.f1:.4f}"]
    for c in result.orphaned:
        lines.append(f"CORRECTION_ORPHANED {c['file']} {c['dataset']} {c['key']} {c['column']}: "
                     f"no such row (recorded by {c['who']}: {c['why']})")
    return lines


def format_table(result: AuditResult) -> str:
    head = f"{'dataset':<11} {'field':<24} {'gold':>5} {'extr':>5} {'corr':>5} {'prec':>6} {'rec':>6} {'F1':>6}"
    lines = [head, "-" * len(head)]
    for (ds, f), s in result.fields.items():
        lines.append(f"{ds:<11} {f:<24} {s.gold:>5} {s.extracted:>5} {s.correct:>5} "
                     f"{s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}")
    lines.append("-" * len(head))
    for ds in SPECS:
        s = result.dataset(ds)
        if s.gold or s.extracted:
            lines.append(f"{ds:<11} {'(all fields)':<24} {s.gold:>5} {s.extracted:>5} {s.correct:>5} "
                         f"{s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}")
    s = result.overall()
    lines.append(f"{'OVERALL':<11} {'':<24} {s.gold:>5} {s.extracted:>5} {s.correct:>5} "
                 f"{s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}")
    return "\n".join(lines)


def write_audit(result: AuditResult, out: Path, min_f1: float) -> Path:
    folder = Path(out) / AUDIT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    overall = result.overall()
    doc = {
        "overall": overall.as_dict(), "min_f1": min_f1, "passed": overall.f1 >= min_f1,
        "datasets": {ds: {"total": result.dataset(ds).as_dict(),
                          "fields": {f: s.as_dict() for (d, f), s in result.fields.items() if d == ds}}
                     for ds in SPECS},
        "files": {name: s.as_dict() for name, s in result.files.items()},
        "mismatches": result.mismatches,
        "corrections": {"applied": len(result.applied), "orphaned": len(result.orphaned),
                        "list": [{k: _json_value(v) for k, v in c.items() if k != "doc_id"}
                                 for c in result.corrections]},
    }
    if result.after is not None:
        doc["after_corrections"] = {
            "overall": result.after.overall().as_dict(),
            "datasets": {ds: result.after.dataset(ds).as_dict() for ds in SPECS}}
    write_atomic(folder / "scores.json", json.dumps(doc, ensure_ascii=False, indent=1))
    md = ["# thaiplan audit", "", f"Overall F1 **{overall.f1:.4f}** (minimum {min_f1}).", "",
          "```", format_table(result), "```", "", "## Files", ""]
    md += [f"- {name}: F1 {s.f1:.4f} ({s.correct}/{s.gold} gold facts)" for name, s in result.files.items()]
    if result.corrections:
        md += ["", "## Corrections", ""] + [f"- {line}" for line in corrections_lines(result)]
    md += ["", "## Wrong or missing cells", ""]
    if not result.mismatches:
        md.append("None.")
    for m in result.mismatches:
        md.append(f"- {m['file']} {m['dataset']} {'/'.join(m['key'])} `{m['field']}`: "
                  f"gold {m['gold']!r}, extracted {m['extracted']!r} (page {m['page']})")
    write_atomic(folder / "report.md", "\n".join(md) + "\n")
    write_atomic(folder / "report.html", audit_html(result, Path(out), min_f1))
    return folder


def _json_value(v):
    return v.isoformat() if isinstance(v, (date, datetime)) else v


def audit_html(result: AuditResult, out: Path, min_f1: float) -> str:
    """The audit as a page: scores as charts, every wrong or missing cell with its source
    text, and the findings of each audited document."""
    from output import html as h
    from output.warehouse import connect
    overall = result.overall()
    verdict = "passed" if overall.f1 >= min_f1 else "FAILED"
    body = [f'<p><span class="kpi">F1 {overall.f1:.4f}</span> · precision {overall.precision:.4f} · '
            f'recall {overall.recall:.4f} · {overall.correct}/{overall.gold} gold facts · '
            f'<span class="{"ok" if verdict == "passed" else "failed"}">{verdict}</span> '
            f'(minimum {min_f1})</p>']
    body.append("<h2>By dataset</h2>")
    body.append(h.metric_chart([(ds, s.precision, s.recall, s.f1) for ds in SPECS
                                for s in [result.dataset(ds)] if s.gold or s.extracted], chart_id="by-dataset"))
    body.append("<h2>By field</h2>")
    body.append(h.metric_chart([(f"{ds}.{f}", s.precision, s.recall, s.f1) for (ds, f), s in result.fields.items()],
                               chart_id="by-field"))
    body.append(h.table(["dataset", "field", "gold", "extracted", "correct", "precision", "recall", "F1"],
                        [[ds, f, s.gold, s.extracted, s.correct, f"{s.precision:.3f}", f"{s.recall:.3f}",
                          f"{s.f1:.3f}"] for (ds, f), s in result.fields.items()], numeric={2, 3, 4, 5, 6, 7}))
    if result.corrections:
        after = result.after.overall() if result.after else overall
        body.append(f"<h2>Corrections ({len(result.applied)} applied, {len(result.orphaned)} orphaned)</h2>")
        body.append(f"<p>Scores above are of the rows as extracted. After corrections: F1 {after.f1:.4f} · "
                    f"precision {after.precision:.4f} · recall {after.recall:.4f}</p>")
        body.append(h.table(["file", "dataset", "key", "column", "extracted", "corrected", "who", "why", "status"],
                            [[c["file"], c["dataset"], c["key"], c["column"], c["extracted_value"],
                              c["corrected_value"], c["who"], c["why"],
                              "CORRECTION_ORPHANED" if c["status"] != APPLIED else c["status"]]
                             for c in result.corrections],
                            classes=["warning" if c["status"] != APPLIED else "" for c in result.corrections]))
    body.append("<h2>Files</h2>")
    body.append(h.table(["file", "gold facts", "correct", "F1"],
                        [[n, s.gold, s.correct, f"{s.f1:.4f}"] for n, s in result.files.items()], numeric={1, 2, 3}))
    con = connect(out)
    names = list(result.files)
    findings = con.execute(
        "SELECT d.source_name, f.severity, f.code, f.strategy_no, f.seq, f.message, f.page, f.actual, f.image "
        "FROM findings f JOIN documents d USING (doc_id) WHERE list_contains(?, d.source_name) "
        "ORDER BY 1, CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, 3",
        [names]).fetchall()
    scans = _cell_images(findings)
    body.append(f"<h2>Wrong or missing cells ({len(result.mismatches)})</h2>")
    body.append(h.table(["file", "dataset", "key", "field", "gold", "extracted", "page", "source text", "as scanned"],
                        [[m["file"], m["dataset"], "/".join(m["key"]), m["field"], m["gold"], m["extracted"],
                          m["page"], m.get("source"), _scanned(scans, m)] for m in result.mismatches])
                if result.mismatches else '<p class="ok">none</p>')
    body.append(f"<h2>Findings per document ({len(findings)})</h2>")
    body.append(h.table(["document", "severity", "code", "strategy", "row", "message", "page", "as scanned"],
                        [[*f[:7], _img(f[8])] for f in findings], numeric={3, 4, 6},
                        classes=[f[1] for f in findings]))
    return h.page("thaiplan · audit", "".join(body), subtitle=str(out))


def _img(data: str | None):
    """A scanned cell (base64 PNG) inline, or nothing."""
    from output.html import Raw
    if not data:
        return ""
    return Raw(f'<img class="cell-scan" alt="cell as scanned" src="data:image/png;base64,{data}">')


def _cell_images(findings: list) -> dict:
    """(document, page) -> [(the cell's text, compacted; its image)] of the low-confidence
    OCR cells that kept their image."""
    out: dict = {}
    for f in findings:
        if f[8] and f[7]:
            out.setdefault((f[0], f[6]), []).append((compact(str(f[7])), f[8]))
    return out


def _scanned(scans: dict, m: dict):
    """The image of the scanned cell a wrong value was read from, when that cell was read
    with low confidence (its text holds the extracted value or its printed source)."""
    cells = scans.get((m["file"], m["page"]))
    if not cells:
        return ""
    wanted = [compact(str(v)) for v in (m.get("source"), m.get("extracted")) if v not in (None, "")]
    wanted = [w.removesuffix(".00") for w in wanted if w]
    for text, data in cells:
        digits = text.translate(_TO_ARABIC).replace(",", "")
        if any(w and (w in text or w in digits or text in w) for w in wanted):
            return _img(data)
    return ""


_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
