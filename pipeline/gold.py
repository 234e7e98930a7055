"""Gold files in minutes: draft one from the extraction, have a person check it, mark it checked.

`thaiplan gold draft FILE` extracts FILE (in this process, no warehouse) and writes
`X.gold.json` in the samples' gold format (document, strategies, projects, timeline, stats; text
as printed, white space collapsed, where the printed text is the extracted value up to the
audit's comparison, else the extracted value), with `"status": "draft"` at the top, and
`X.gold.html` beside it: every page (a PDF page as a small inline PNG rendered by pypdfium2; the
text of a DOCX or text file) next to the rows read from it, so a person checks the JSON against
the page. `thaiplan gold check X.gold.json --who NAME` validates the file's structure and marks it
`"status": "checked"` with who and when; `thaiplan audit` refuses drafts (pipeline/audit.py).
"""

import base64
import io
import json
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

from normalizers.text import compact
from output.atomic import write_atomic
from pipeline.audit import CHECKED, DRAFT, GOLD_KEY, GOLD_STATUS_KEY, SPECS, canon, load_gold
from pipeline.document import DocContext, process_document, read_source, source_format
from pipeline.settings import Settings, UsageError

GOLD_SUFFIX = ".gold.json"
PAGE_DPI = 60                 # page images in the draft's HTML: small, enough to read a table's rows
POINTS_PER_INCH = 72
# gold field -> (warehouse column, the column holding the same text as printed)
FIELDS = {
    "documents": {"title": ("title", None), "fiscal_year_be": ("fiscal_year_be", None),
                  "fiscal_year_start": ("fiscal_year_start", None), "fiscal_year_end": ("fiscal_year_end", None),
                  "office": ("office", None), "province": ("province", None), "area_no": ("area_no", None),
                  "area_level": ("area_level", None)},
    "strategies": {"no": ("strategy_no", None), "title": ("title", "title_raw"),
                   "declared_project_count": ("declared_project_count", None),
                   "declared_budget_thb": ("declared_budget_thb", None), "table_total_thb": ("table_total_thb", None),
                   # plans grouped on two levels only (gold_of_rows drops them otherwise)
                   "parent_no": ("parent_no", None), "parent_title": ("parent_title", None)},
    "projects": {"strategy_no": ("strategy_no", None), "seq": ("seq", None), "name": ("name", "name_raw"),
                 "responsible_group": ("responsible_group", "responsible_group_raw"),
                 "budget_thb": ("budget_thb", None)},
    "timeline": {"seq": ("seq", None), "name": ("name", "name_raw"), "start": ("start_date", None),
                 "end": ("end_date", None), "strategy_no": ("strategy_no", None),
                 "project_seq": ("project_seq", None)},
    "stats": {"table": ("table", None), "label": ("label", "label_raw"), "value": ("value", None),
              "unit": ("unit", None), "as_of": ("as_of", None)},
}
DATE_FIELDS = {"fiscal_year_start", "fiscal_year_end", "start", "end", "as_of"}
NUMBER_FIELDS = {"fiscal_year_be", "area_no", "no", "parent_no", "declared_project_count", "declared_budget_thb",
                 "table_total_thb", "strategy_no", "seq", "budget_thb", "project_seq", "value"}


@dataclass
class Draft:
    gold: dict
    html: str
    status: str            # the extraction's status (ok / partial / failed)
    error: str | None


def gold_value(value):
    """A warehouse value in the gold's JSON form: dates ISO, money a number (an int when whole)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def printed_form(value, raw):
    """The text as printed (NFC, white space collapsed) when the audit reads it as the extracted
    value; else the extracted value."""
    if isinstance(value, str) and raw:
        printed = " ".join(unicodedata.normalize("NFC", raw).split())
        if compact(printed) == compact(value):
            return printed
    return value


def gold_row(dataset: str, row: dict) -> dict:
    return {name: gold_value(printed_form(row.get(col), row.get(raw) if raw else None))
            for name, (col, raw) in FIELDS[dataset].items()}


def gold_of_rows(rows: dict[str, list[dict]], fiscal_year_be: int | None, source: Path) -> dict:
    """A draft gold file from a document's rows (as `build_rows` makes them)."""
    doc = dict(rows["documents"][0], fiscal_year_be=fiscal_year_be)
    gold = {GOLD_STATUS_KEY: DRAFT, "drafted_from": source.name,
            "drafted_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "document": gold_row("documents", doc)}
    for ds in ("strategies", "projects", "timeline", "stats"):
        gold[ds] = [gold_row(ds, r) for r in rows.get(ds, [])]
    if not any(r.get("parent_no") is not None for r in gold["strategies"]):
        for r in gold["strategies"]:            # one level of groups: no parent fields to check
            r.pop("parent_no", None)
            r.pop("parent_title", None)
    return gold


def draft(path: Path, settings: Settings) -> Draft:
    """Extract `path` and make its draft gold and the HTML page to check it with."""
    result = process_document(Path(path), settings)
    if result.status == "failed":
        return Draft({}, "", result.status, result.error)
    gold = gold_of_rows(result.rows, result.fiscal_year_be, Path(path))
    return Draft(gold, draft_html(Path(path), gold, result.rows, settings), result.status, result.error)


def gold_path_for(source: Path) -> Path:
    return source.with_name(source.stem + GOLD_SUFFIX)


def html_path_for(gold_path: Path) -> Path:
    name = gold_path.name
    stem = name[: -len(".json")] if name.endswith(".json") else name
    return gold_path.with_name(stem + ".html")


def write_draft(d: Draft, out: Path) -> tuple[Path, Path]:
    write_atomic(out, json.dumps(d.gold, ensure_ascii=False, indent=1) + "\n")
    page = html_path_for(out)
    write_atomic(page, d.html)
    return out, page


# ---- the page to check with ---------------------------------------------------------------

def page_images(path: Path, password: str | None = None) -> dict[int, str]:
    """{page number: PNG data URI} of a PDF's pages at PAGE_DPI (grey); {} when it cannot be
    rendered (the page then shows its text)."""
    import pypdfium2 as pdfium
    out = {}
    try:
        pdf = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError:
        return out
    try:
        for i in range(len(pdf)):
            image = pdf[i].render(scale=PAGE_DPI / POINTS_PER_INCH, grayscale=True).to_pil()
            buf = io.BytesIO()
            image.save(buf, format="PNG", optimize=True)
            out[i + 1] = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    finally:
        pdf.close()
    return out


def page_texts(path: Path, settings: Settings) -> dict[int, str]:
    """{page number: text} as read (DOCX, text files; a PDF whose pages cannot be rendered)."""
    ctx = DocContext(path=path, settings=settings)
    try:
        ctx.data = path.read_bytes()
        read_source(ctx)
    except Exception:  # noqa: BLE001 - the page shows no text rather than failing the draft
        return {}
    return {p.no: p.text for p in ctx.source.pages}


def draft_html(path: Path, gold: dict, rows: dict[str, list[dict]], settings: Settings) -> str:
    from output import html as h
    images = page_images(path, settings.password) if source_format(path) == "pdf" else {}
    texts = {} if images else page_texts(path, settings)
    pages = sorted(set(images) | set(texts) | {r.get("page") for ds in FIELDS for r in rows.get(ds, [])
                                               if r.get("page") is not None})
    style = ("<style>body{max-width:none}"
             ".pg{display:flex;gap:16px;align-items:flex-start;border-top:2px solid #ccc;padding:8px 0}"
             ".pg img{border:1px solid #999;flex:none}.pg pre{white-space:pre-wrap;max-width:420px;flex:none;"
             "font-size:12px;background:#fafafa;margin:0}.rows{overflow-x:auto}</style>")
    body = [style, f'<p>Draft gold of <b>{h.esc(path.name)}</b>: check each row against its page, edit the '
                   f'JSON, then run <code>thaiplan gold check FILE --who NAME</code>.</p>', "<h2>Document</h2>",
            h.table(list(gold["document"]), [list(gold["document"].values())])]
    for n in pages:
        left = (f'<img src="{images[n]}" alt="page {n}">' if n in images
                else f"<pre>{h.esc(texts.get(n, ''))}</pre>")
        right = []
        for ds in FIELDS:
            here = [gold_row(ds, r) for r in rows.get(ds, []) if r.get("page") == n]
            if here and ds != "documents":
                right.append(f"<h3>{ds}</h3>" + h.table(list(FIELDS[ds]), [list(r.values()) for r in here]))
        body.append(f'<div class="pg" id="page-{n}"><div><b>page {n}</b><br>{left}</div>'
                    f'<div class="rows">{"".join(right) or "<p class=muted>no rows read from this page</p>"}'
                    f"</div></div>")
    return h.page(f"thaiplan · draft gold · {path.name}", "".join(body), subtitle=str(path))


# ---- checking -------------------------------------------------------------------------

def structure_errors(gold: dict) -> list[str]:
    """What keeps a gold file from being scored as one: a missing dataset, a row without its key
    or with a key already used, a date that is not ISO, a number that is not a number."""
    errors = []
    for ds, (key_fields, _) in SPECS.items():
        name = GOLD_KEY.get(ds, ds)
        value = gold.get(name)
        if value is None:
            errors.append(f"key {name!r} is missing")
            continue
        rows = [value] if ds == "documents" else value
        if ds == "documents" and not isinstance(value, dict):
            errors.append(f"key {name!r} must be an object")
            continue
        seen = set()
        for i, r in enumerate(rows, 1):
            where = f"{name}[{i}]" if ds != "documents" else name
            if any(r.get(k) is None for k in key_fields if k != "strategy_no"):
                errors.append(f"{where}: key field(s) {', '.join(key_fields)} must be given")
            key = tuple(canon(r.get(k)) for k in key_fields)
            if key_fields and key in seen:
                errors.append(f"{where}: a second row with key {'/'.join(str(r.get(k)) for k in key_fields)}")
            seen.add(key)
            for f, v in r.items():
                if v is None:
                    continue
                if f in DATE_FIELDS and not _is_iso_date(v):
                    errors.append(f"{where}.{f}: {v!r} is not an ISO date YYYY-MM-DD")
                if f in NUMBER_FIELDS and (isinstance(v, bool) or not isinstance(v, (int, float))):
                    errors.append(f"{where}.{f}: {v!r} is not a number")
    return errors


def _is_iso_date(v) -> bool:
    try:
        return isinstance(v, str) and len(v) == 10 and date.fromisoformat(v) is not None
    except ValueError:
        return False


def check(path: Path, who: str) -> dict:
    """Mark a gold file checked by `who` (UsageError, one line naming the file, when its structure
    is wrong); returns the file's new content."""
    if not (who or "").strip():
        raise UsageError("--who NAME is needed: who checked the gold file")
    gold = load_gold(Path(path))
    errors = structure_errors(gold)
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise UsageError(f"{path}: not a gold file yet: {errors[0]}{more}")
    checked = {GOLD_STATUS_KEY: CHECKED, "checked_by": who.strip(),
               "checked_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    out = {**checked, **{k: v for k, v in gold.items() if k not in checked}}
    write_atomic(Path(path), json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    return out
