"""Corrections that stick: an auditor's right value for a wrong cell, kept per document and
applied at every extraction.

Where: `DIR/_corrections/<doc_id>.json` in the warehouse (a `_` name, so readers of the
datasets skip it): one file per document, a list of corrections, each naming a dataset, the
row's key, a column, the value (in text form, type-checked against the dataset's schema), who
and why. `thaiplan correct` records one and applies it to the warehouse at once; every later
extraction of the same bytes (same `doc_id`) applies the file again after the stages, before
the rows are written (pipeline/worker.py). The extracted value is kept beside the corrected one
in the `corrections` dataset (one row per correction, `status` applied or orphaned); a
correction whose row no longer exists is not applied, is an `orphaned` row there and a
`CORRECTION_ORPHANED` finding. `revert` gives back the rows as extracted (the audit scores
both).

Rows are named by their key as the audit matches them: strategies by strategy_no, projects by
strategy_no/seq, timeline by seq, stats by table/label (label compared as the audit compares
text), documents by `-`. Key columns themselves cannot be corrected (the row would no longer
be found by its key).
"""

import json
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import regex

from normalizers.text import compact, normalize_text
from output.atomic import write_atomic
from output.schema import PARTITION, SCHEMAS
from output.store import existing_files, write_document
from pipeline.document import DocResult

CORRECTIONS_DIR = "_corrections"
KEY_COLUMNS = {"documents": (), "strategies": ("strategy_no",), "projects": ("strategy_no", "seq"),
               "timeline": ("seq",), "stats": ("table", "label")}
KEY_SEPARATOR = "/"
NULL_PART = "-"                       # a key part that is null, and the key of `documents`
ORPHANED = "CORRECTION_ORPHANED"
UNREADABLE = "CORRECTIONS_UNREADABLE"
APPLIED, ORPHANED_STATUS = "applied", "orphaned"
MONEY_PLACES = Decimal("0.01")
MONEY_MAX_DIGITS = 16                 # decimal128(18, 2): 16 digits before the point
FORMAT_VERSION = 1
_INTEGER = regex.compile(r"^[+-]?[0-9]+$")
_ISO_DATE = regex.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# the partition column: not in the files, but a document's fiscal year can be corrected
_DOCUMENT_EXTRA = {PARTITION: pa.int16()}


class CorrectionError(ValueError):
    """A correction that cannot be recorded (unknown dataset or column, a bad key, a value of
    the wrong type, an unreadable corrections file): one line for the user."""


@dataclass(frozen=True)
class Correction:
    dataset: str
    key: str               # as typed, checked: "2/3", "schools_by_district/อำเภอแม่แตง", "-"
    column: str
    value: str | None      # canonical text form of the typed value; None clears the cell
    who: str
    why: str
    recorded_at: str       # ISO UTC

    def same_cell(self, other: "Correction") -> bool:
        return (self.dataset, self.column) == (other.dataset, other.column) and \
            key_values(self.dataset, self.key) == key_values(other.dataset, other.key)


# ---- types ----------------------------------------------------------------------------

def column_type(dataset: str, column: str) -> pa.DataType:
    if dataset not in KEY_COLUMNS:
        raise CorrectionError(f"cannot correct dataset {dataset!r} (one of {', '.join(KEY_COLUMNS)})")
    schema = SCHEMAS[dataset]
    if dataset == "documents" and column in _DOCUMENT_EXTRA:
        return _DOCUMENT_EXTRA[column]
    if column not in schema.names or column == "doc_id":
        names = [n for n in schema.names if n != "doc_id" and n not in KEY_COLUMNS[dataset]]
        raise CorrectionError(f"{dataset} has no column {column!r} to correct (one of {', '.join(names)})")
    if column in KEY_COLUMNS[dataset]:
        raise CorrectionError(f"{dataset}.{column} is part of the row's key and cannot be corrected")
    return schema.field(column).type


def parse_value(dataset: str, column: str, text: str | None):
    """The typed value of `text` for a column (money -> Decimal, dates -> date, ints -> int);
    "" or None -> None (clears the cell). CorrectionError (one line) when it does not fit."""
    typ = column_type(dataset, column)
    if text is None or not str(text).strip():
        return None
    text = unicodedata.normalize("NFC", str(text).strip())
    where = f"{dataset}.{column}"
    if not pa.types.is_string(typ):
        text = normalize_text(text)           # Thai digits read as Arabic ones
    if pa.types.is_decimal(typ):
        try:
            value = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise CorrectionError(f"{where} is money in baht: {text!r} is not a number "
                                  "(e.g. 12500 or 1,234.50)") from None
        if not value.is_finite() or value != value.quantize(MONEY_PLACES) or \
                abs(value) >= Decimal(10) ** MONEY_MAX_DIGITS:
            raise CorrectionError(f"{where} is money in baht: {text!r} needs at most 2 decimals and "
                                  f"{MONEY_MAX_DIGITS} digits before the point")
        return value.quantize(MONEY_PLACES)
    if pa.types.is_date(typ):
        try:
            if not _ISO_DATE.match(text):
                raise ValueError
            return date.fromisoformat(text)
        except ValueError:
            raise CorrectionError(f"{where} is a date: {text!r} is not an ISO date YYYY-MM-DD "
                                  "(Gregorian, e.g. 2024-09-30)") from None
    if pa.types.is_integer(typ):
        if not _INTEGER.match(text):
            raise CorrectionError(f"{where} is a whole number: {text!r} is not one")
        value, bits = int(text), typ.bit_width
        if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
            raise CorrectionError(f"{where} is a {bits}-bit whole number: {text} is out of range")
        return value
    if pa.types.is_floating(typ):
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if value != value or value in (float("inf"), float("-inf")):
            raise CorrectionError(f"{where} is a number: {text!r} is not a finite number")
        return value
    if pa.types.is_boolean(typ):
        if text.lower() not in ("true", "false"):
            raise CorrectionError(f"{where} is true or false, not {text!r}")
        return text.lower() == "true"
    if pa.types.is_timestamp(typ):
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise CorrectionError(f"{where} is a time: {text!r} is not ISO 8601") from None
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    # text: the normalized columns as the contract says; *_raw as typed (NFC)
    return text if column.endswith("_raw") else normalize_text(text)


def value_text(value) -> str | None:
    """A typed value in the text form the corrections keep (Decimal as is, dates ISO)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def key_values(dataset: str, key: str) -> tuple:
    """The key's parts, typed and in comparison form: ints for numbers, compacted text for a
    stats label. CorrectionError when the key does not fit the dataset."""
    names = KEY_COLUMNS.get(dataset)
    if names is None:
        raise CorrectionError(f"cannot correct dataset {dataset!r} (one of {', '.join(KEY_COLUMNS)})")
    text = unicodedata.normalize("NFC", str(key).strip())
    if not names:
        if text not in (NULL_PART, ""):
            raise CorrectionError(f"documents has one row: its KEY is {NULL_PART!r}, not {key!r}")
        return ()
    parts = text.split(KEY_SEPARATOR, len(names) - 1)
    form = KEY_SEPARATOR.join(names)
    if len(parts) != len(names) or any(not p.strip() for p in parts):
        raise CorrectionError(f"{dataset} rows are named by {form} (e.g. {_example(dataset)}), not {key!r}")
    out = []
    for name, part in zip(names, parts):
        part = part.strip()
        if part == NULL_PART and name == "strategy_no":
            out.append(None)
        elif name in ("strategy_no", "seq"):
            digits = normalize_text(part)
            if not _INTEGER.match(digits):
                raise CorrectionError(f"{dataset} rows are named by {form}: {name} {part!r} is not a number")
            out.append(int(digits))
        else:
            out.append(compact(part))
    return tuple(out)


def _example(dataset: str) -> str:
    return {"strategies": "2", "projects": "2/3", "timeline": "12",
            "stats": "schools_by_district/อำเภอแม่แตง"}.get(dataset, NULL_PART)


def row_key(dataset: str, row: dict) -> tuple:
    out = []
    for name in KEY_COLUMNS[dataset]:
        v = row.get(name)
        out.append(compact(v) if isinstance(v, str) else (None if v is None else int(v)))
    return tuple(out)


def make_correction(dataset: str, key: str, column: str, value: str | None, who: str, why: str,
                    now: datetime | None = None) -> Correction:
    """A checked correction (CorrectionError, one line, when any part of it does not fit)."""
    typed = parse_value(dataset, column, value)
    key_values(dataset, key)
    if not (who or "").strip():
        raise CorrectionError("--who NAME is needed: who recorded the correction")
    if not (why or "").strip():
        raise CorrectionError("--why TEXT is needed: why the extracted value is wrong")
    stamp = (now or datetime.now(timezone.utc)).isoformat()
    return Correction(dataset, unicodedata.normalize("NFC", key.strip()) or NULL_PART, column,
                      value_text(typed), who.strip(), " ".join(why.split()), stamp)


# ---- the file ---------------------------------------------------------------------------

def corrections_path(out: Path, doc_id: str) -> Path:
    return Path(out) / CORRECTIONS_DIR / f"{doc_id}.json"


def load_corrections(out: Path, doc_id: str) -> list[Correction]:
    """The document's corrections (none when it has no file); CorrectionError naming the file
    when it cannot be read or is not shaped like one."""
    path = corrections_path(out, doc_id)
    if not path.is_file():
        return []
    try:
        doc = json.loads(path.read_text("utf-8"))
        items = doc["corrections"]
        found = [Correction(**{k: item.get(k) for k in Correction.__dataclass_fields__}) for item in items]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as e:
        raise CorrectionError(f"{path}: not a readable corrections file ({e.__class__.__name__}: "
                              f"{' '.join(str(e).split())[:120]})") from None
    for c in found:                      # a hand-edited file is checked like the command's input
        try:
            parse_value(c.dataset, c.column, c.value)
            key_values(c.dataset, c.key)
        except CorrectionError as e:
            raise CorrectionError(f"{path}: {e}") from None
    return found


def record_correction(out: Path, doc_id: str, correction: Correction, source_path: str | None) -> Path:
    """Add a correction to the document's file (replacing an earlier one of the same cell),
    written atomically."""
    current = [c for c in load_corrections(out, doc_id) if not c.same_cell(correction)]
    doc = {"format": FORMAT_VERSION, "doc_id": doc_id, "source_path": source_path,
           "corrections": [asdict(c) for c in current + [correction]]}
    return write_atomic(corrections_path(out, doc_id), json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


# ---- applying ---------------------------------------------------------------------------

def _finding(doc_id: str, c: Correction) -> dict:
    parts = key_values(c.dataset, c.key)
    names = KEY_COLUMNS[c.dataset]
    known = dict(zip(names, parts))
    return {"doc_id": doc_id, "severity": "warning", "code": ORPHANED,
            "message": (f"correction of {c.dataset} {c.key} {c.column} (by {c.who}, {c.recorded_at[:10]}) "
                        f"not applied: no such row in this extraction"),
            "strategy_no": known.get("strategy_no"), "seq": known.get("seq"),
            "expected": c.value, "actual": None, "page": None}


def apply_corrections(rows: dict[str, list[dict]], fiscal_year_be: int | None, corrections: list[Correction],
                      doc_id: str, now: datetime | None = None) -> int | None:
    """Apply corrections to a document's rows as extracted (in place): the cells take the
    corrected values, `corrections` gets a row per correction (with the extracted value), a
    correction without its row a CORRECTION_ORPHANED finding. Returns the fiscal year
    (a corrected `documents.fiscal_year_be` moves the document's partition)."""
    now = now or datetime.now(timezone.utc)
    for doc in rows.get("documents", []):
        doc[PARTITION] = fiscal_year_be
    log = rows.setdefault("corrections", [])
    for c in corrections:
        want = key_values(c.dataset, c.key)
        targets = [r for r in rows.get(c.dataset, []) if row_key(c.dataset, r) == want]
        extracted = value_text(targets[0].get(c.column)) if targets else None
        for r in targets:
            r[c.column] = parse_value(c.dataset, c.column, c.value)
        if not targets:
            rows.setdefault("findings", []).append(_finding(doc_id, c))
        log.append({"doc_id": doc_id, "dataset": c.dataset, "key": c.key, "column": c.column,
                    "extracted_value": extracted, "corrected_value": c.value, "who": c.who, "why": c.why,
                    "recorded_at": datetime.fromisoformat(c.recorded_at), "applied_at": now,
                    "status": APPLIED if targets else ORPHANED_STATUS})
    docs = rows.get("documents", [])
    fy = docs[0].get(PARTITION) if docs else fiscal_year_be
    for doc in docs:
        doc.pop(PARTITION, None)
    return fy


def revert(rows: dict[str, list[dict]], log: list[dict]) -> dict[str, list[dict]]:
    """The rows as extracted: a copy of `rows` (as read back, after corrections) with every
    applied correction of `log` (rows of the `corrections` dataset) undone."""
    out = {ds: [dict(r) for r in rs] for ds, rs in rows.items()}
    for entry in log:
        if entry.get("status") != APPLIED or entry["dataset"] not in out:
            continue
        want = key_values(entry["dataset"], entry["key"])
        old = entry.get("extracted_value")
        value = None if old is None else parse_value(entry["dataset"], entry["column"], old)
        for r in out[entry["dataset"]]:
            if row_key(entry["dataset"], r) == want:
                r[entry["column"]] = value
    return out


def correct_result(out: Path, result: DocResult) -> DocResult:
    """The extraction's hook: apply the document's stored corrections to its rows (after the
    stages, before they are written). Never raises: an unreadable corrections file is a
    CORRECTIONS_UNREADABLE finding and the rows stay as extracted."""
    if not result.doc_id:
        return result
    try:
        found = load_corrections(out, result.doc_id)
    except CorrectionError as e:
        result.rows.setdefault("findings", []).append({
            "doc_id": result.doc_id, "severity": "error", "code": UNREADABLE,
            "message": f"corrections not applied: {e}", "strategy_no": None, "seq": None,
            "expected": None, "actual": None, "page": None})
        return result
    if found:
        result.fiscal_year_be = apply_corrections(result.rows, result.fiscal_year_be, found, result.doc_id)
    return result


# ---- the warehouse ----------------------------------------------------------------------

def read_document(out: Path, doc_id: str) -> tuple[dict[str, list[dict]], int | None] | None:
    """A document's rows as stored (every dataset) and its fiscal year; None when the
    warehouse does not hold it."""
    docs = existing_files(Path(out), "documents", doc_id)
    if not docs:
        return None
    part = docs[0].parent.name.partition("=")[2]
    fy = int(part) if part.isdigit() else None
    rows = {ds: [r for f in existing_files(Path(out), ds, doc_id) for r in pq.read_table(f).to_pylist()]
            for ds in SCHEMAS}
    return rows, fy


def reapply(out: Path, doc_id: str, corrections: list[Correction]) -> dict[str, list[dict]] | None:
    """Apply a document's corrections to its rows in the warehouse now (the earlier
    corrections undone first, so each cell is corrected from its extracted value); the caller
    holds the warehouse's lock. Returns the rows written, None when the document is not there."""
    found = read_document(out, doc_id)
    if found is None:
        return None
    rows, fy = found
    log = rows.pop("corrections", [])
    fy = _extracted_fy(rows, log, fy)
    rows = revert(rows, log)
    rows["findings"] = [f for f in rows.get("findings", []) if f.get("code") not in (ORPHANED, UNREADABLE)]
    fy = apply_corrections(rows, fy, corrections, doc_id)
    write_document(Path(out), doc_id, fy, rows)
    return rows


def _extracted_fy(rows: dict, log: list[dict], fy: int | None) -> int | None:
    for entry in log:
        if entry.get("status") == APPLIED and entry["dataset"] == "documents" and entry["column"] == PARTITION:
            old = entry.get("extracted_value")
            return None if old is None else int(old)
    return fy
