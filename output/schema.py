"""The pyarrow schema of every dataset, in one place (see ../shared/CONTRACT.md).

Contract columns come first, in contract order; columns this project adds follow.
The partition column `fiscal_year_be` lives in the path only.

Every field carries its meaning in the Parquet field metadata (key `description`), so the
data dictionary travels with the files (`thaiplan schema [DATASET]` prints it). Every file
also carries a small `pandas` schema note naming the partition column's type, so that
`pandas.read_parquet(DIR/<dataset>)` reads a dataset that has a default (NULL) partition:
without it pyarrow makes the partition column a dictionary per directory and cannot join the
NULL directory's dictionary to the others ("Cannot yet unify dictionaries with nulls",
pandas-dev/pandas#55400); with it pandas reads `fiscal_year_be` as nullable int64.
"""

import json

import pyarrow as pa

SCHEMA_VERSION = 1
MONEY = pa.decimal128(18, 2)
PARTITION = "fiscal_year_be"
DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__"
PARTITION_DESCRIPTION = ("fiscal year in the Buddhist era (the Hive partition, in the path only; "
                         "NULL for the default partition: fiscal year unknown)")

_ID = "hex SHA-256 of the source file's bytes (the file's identity)"
_STRATEGY = "N of the group the row belongs to (ยุทธศาสตร์ / กลยุทธ์ / นโยบาย / จุดเน้น ที่ N); null if none"
_PAGE = "page (1-based) the row was read from"

# dataset -> [(column, type, meaning)]; the contract's columns first, added ones after "# added"
_COLUMNS: dict[str, list[tuple[str, pa.DataType, str]]] = {
    "documents": [
        ("doc_id", pa.string(), _ID),
        ("source_path", pa.string(), "path of the source file as given to thaiplan extract"),
        ("source_name", pa.string(), "file name of the source"),
        ("source_format", pa.string(), "pdf / txt / docx"),
        ("page_count", pa.int32(), "pages in the source (all of them, also those left unread)"),
        ("title", pa.string(), "the plan's name as printed on the cover, without its fiscal-year phrase"),
        ("office", pa.string(), "the office that issued the plan (normalized full name)"),
        ("province", pa.string(), "province of the office"),
        ("area_no", pa.int16(), "educational service area number (เขต N); null for an office without one"),
        ("area_level", pa.string(), "primary / secondary"),
        ("fiscal_year_start", pa.date32(), "first day of the fiscal year (1 October, Gregorian)"),
        ("fiscal_year_end", pa.date32(), "last day of the fiscal year (30 September, Gregorian)"),
        ("status", pa.string(), "ok / partial (some parts could not be read, see error) / failed (nothing read)"),
        ("error", pa.string(), "one-line reason for partial or failed; null when ok"),
        ("text_method", pa.string(), "how the text was obtained: text / repaired / ocr / mixed"),
        ("pipeline_version", pa.string(), "thaiplan version that extracted the document"),
        ("extracted_at", pa.timestamp("us", tz="UTC"), "when the document was extracted (UTC)"),
        # added
        ("source_bytes", pa.int64(), "size of the source file in bytes"),
        ("encoding", pa.string(), "character encoding of a text source (utf-8, utf-16, tis-620)"),
        ("seconds", pa.float32(), "seconds spent extracting the document"),
        ("schema_version", pa.int16(), "version of this output schema"),
        ("plan_id", pa.string(), "the plan's identity: short hash of (office, fiscal year, title); the same "
                                 "for every file of one plan (PDF and DOCX, corrected re-publication); "
                                 "null when office or fiscal year is unknown"),
        ("superseded_by", pa.string(), "doc_id of the current document of the same plan when this one is "
                                       "superseded; null for the current document (views count only those)"),
        ("source_mtime", pa.timestamp("us", tz="UTC"), "modification time of the source file (UTC)"),
        ("retryable", pa.bool_(), "a failed document is extracted again by the next run (it failed for a "
                                  "reason that may pass: a time or memory limit, a crash, a failed write); "
                                  "false when the file itself is at fault"),
    ],
    "strategies": [
        ("doc_id", pa.string(), _ID),
        ("strategy_no", pa.int16(), "N of the group (ยุทธศาสตร์ / กลยุทธ์ / ประเด็นกลยุทธ์ / นโยบาย / จุดเน้น ที่ N)"),
        ("title", pa.string(), "the group's heading without 'กลยุทธ์ที่ N'"),
        ("declared_project_count", pa.int32(), "number of projects stated in the sentence before the table"),
        ("declared_budget_thb", MONEY, "budget stated in the sentence before the table (baht)"),
        ("table_total_thb", MONEY, "printed total of the group's rows: its total or subtotal row (baht)"),
        ("computed_budget_thb", MONEY, "sum of the group's project rows (baht)"),
        ("project_count", pa.int32(), "project rows found in the group"),
        ("page", pa.int32(), _PAGE),
        # added
        ("title_raw", pa.string(), "the heading exactly as printed"),
        ("declaration_raw", pa.string(), "the sentence stating count and budget, as printed"),
        ("parent_no", pa.int16(), "plans grouped on two levels (นโยบายที่ N over กลยุทธ์ที่ M; the level nearest "
                                  "the projects is the strategy): N of the group above this one; else null"),
        ("parent_title", pa.string(), "the heading of the group above, without 'นโยบายที่ N'; else null"),
    ],
    "projects": [
        ("doc_id", pa.string(), _ID),
        ("strategy_no", pa.int16(), _STRATEGY),
        ("seq", pa.int32(), "the number printed for the project (last part of '1.2'); 1, 2, ... where unnumbered"),
        ("name", pa.string(), "project name (normalized)"),
        ("name_raw", pa.string(), "project name as printed"),
        ("responsible_group", pa.string(), "responsible group, canonical name"),
        ("responsible_group_raw", pa.string(), "responsible group as printed"),
        ("budget_thb", MONEY, "the project's budget in baht (its total where split over several columns)"),
        ("page", pa.int32(), _PAGE),
        # added
        ("budget_raw", pa.string(), "the budget as printed"),
    ],
    "timeline": [
        ("doc_id", pa.string(), _ID),
        ("seq", pa.int32(), "the schedule row's printed number, or its order in the document"),
        ("name", pa.string(), "name of the scheduled project (normalized)"),
        ("start_date", pa.date32(), "first day of the period (Gregorian); null if it does not exist"),
        ("end_date", pa.date32(), "last day of the period (Gregorian); null if it does not exist"),
        ("start_raw", pa.string(), "start as printed"),
        ("end_raw", pa.string(), "end as printed"),
        ("date_precision", pa.string(), "day / month (a month range runs from the 1st to the month's last day)"),
        ("strategy_no", pa.int16(), "strategy of the linked project; null when no project matches"),
        ("project_seq", pa.int32(), "seq of the linked project; null when no project matches"),
        ("link_score", pa.float32(), "how well the row's name matches its project (0..1; 1 = same row)"),
        ("page", pa.int32(), _PAGE),
        # added
        ("name_raw", pa.string(), "name as printed"),
    ],
    "stats": [
        ("doc_id", pa.string(), _ID),
        ("table", pa.string(), "schools_by_district / schools_by_type / students_by_level / staff_by_position"),
        ("label", pa.string(), "the row's label (district, school type, level, position), normalized"),
        ("value", pa.int64(), "the count"),
        ("unit", pa.string(), "what is counted (schools, students, persons)"),
        ("as_of", pa.date32(), "date the figures refer to, when printed"),
        # added
        ("label_raw", pa.string(), "label as printed"),
        ("page", pa.int32(), _PAGE),
    ],
    "findings": [
        ("doc_id", pa.string(), _ID),
        ("severity", pa.string(), "error / warning / info"),
        ("code", pa.string(), "finding code (TOTAL_MISMATCH, DATE_OUTSIDE_FY, SUPERSEDED, ...; see README)"),
        ("message", pa.string(), "what was found, in one line"),
        ("strategy_no", pa.int16(), "strategy concerned, if any"),
        ("seq", pa.int32(), "row (project or timeline seq) concerned, if any"),
        ("expected", pa.string(), "the printed or expected value (for totals: the printed figure)"),
        ("actual", pa.string(), "the value found (for totals: the sum of the rows)"),
        ("page", pa.int32(), "page concerned, if any"),
        # added
        ("image", pa.string(), "LOW_OCR_CONFIDENCE: the cell as scanned, a small PNG in base64 (else null)"),
        ("parent_no", pa.int16(), "the group above the strategies concerned (strategies.parent_no), for a finding "
                                  "on it (its subtotal or declaration against its strategies' rows); else null"),
    ],
    "pages": [
        ("doc_id", pa.string(), _ID),
        ("page_no", pa.int32(), "page number (1-based)"),
        ("method", pa.string(), "text / repaired / ocr"),
        ("quality", pa.float32(), "share of the page's Thai text in dictionary words, 0..1"),
        ("chars", pa.int32(), "characters of text on the page"),
        # added
        ("error", pa.string(), "why the page could not be read fully, if so"),
    ],
    # added dataset: an auditor's corrections (thaiplan correct), applied at every extraction;
    # a document without corrections has no file here
    "corrections": [
        ("doc_id", pa.string(), _ID),
        ("dataset", pa.string(), "dataset of the corrected cell (documents, strategies, projects, timeline, stats)"),
        ("key", pa.string(), "the row's key: strategy_no (strategies), strategy_no/seq (projects), seq "
                             "(timeline), table/label (stats), '-' (documents); '-' in a part is null"),
        ("column", pa.string(), "the corrected column"),
        ("extracted_value", pa.string(), "the value as extracted, in text form (decimal, ISO date); null "
                                         "when the cell was empty or the row no longer exists"),
        ("corrected_value", pa.string(), "the value the auditor recorded, in text form; null clears the cell"),
        ("who", pa.string(), "who recorded the correction"),
        ("why", pa.string(), "why, in the auditor's words"),
        ("recorded_at", pa.timestamp("us", tz="UTC"), "when the correction was recorded (UTC)"),
        ("applied_at", pa.timestamp("us", tz="UTC"), "when it was applied to these rows (UTC)"),
        ("status", pa.string(), "applied / orphaned (no such row in this extraction: not applied, "
                                "finding CORRECTION_ORPHANED)"),
    ],
}

_PANDAS_NOTE = json.dumps({
    "index_columns": [], "column_indexes": [],
    "columns": [{"name": PARTITION, "field_name": PARTITION, "pandas_type": "int64",
                 "numpy_type": "int64[pyarrow]", "metadata": None}],
    "creator": {"library": "thaiplan"},
}).encode()


def _schema(columns) -> pa.Schema:
    return pa.schema([pa.field(name, typ, metadata={"description": meaning})
                      for name, typ, meaning in columns], metadata={b"pandas": _PANDAS_NOTE})


SCHEMAS: dict[str, pa.Schema] = {ds: _schema(cols) for ds, cols in _COLUMNS.items()}
DATASETS = tuple(SCHEMAS)


def describe(dataset: str) -> list[tuple[str, str, str]]:
    """(column, type, meaning) of a dataset, the partition column last, from the field metadata."""
    out = [(f.name, str(f.type), (f.metadata or {}).get(b"description", b"").decode("utf-8"))
           for f in SCHEMAS[dataset]]
    return out + [(PARTITION, "int (path)", PARTITION_DESCRIPTION)]
