"""The pyarrow schema of every dataset, in one place (see ../shared/CONTRACT.md).

Contract columns come first, in contract order; columns this project adds follow.
The partition column `fiscal_year_be` lives in the path only.
"""

import pyarrow as pa

SCHEMA_VERSION = 1
MONEY = pa.decimal128(18, 2)
PARTITION = "fiscal_year_be"
DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__"

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", pa.string()), ("source_path", pa.string()), ("source_name", pa.string()),
        ("source_format", pa.string()), ("page_count", pa.int32()), ("title", pa.string()),
        ("office", pa.string()), ("province", pa.string()), ("area_no", pa.int16()),
        ("area_level", pa.string()), ("fiscal_year_start", pa.date32()),
        ("fiscal_year_end", pa.date32()), ("status", pa.string()), ("error", pa.string()),
        ("text_method", pa.string()), ("pipeline_version", pa.string()),
        ("extracted_at", pa.timestamp("us", tz="UTC")),
        # added
        ("source_bytes", pa.int64()), ("encoding", pa.string()), ("seconds", pa.float32()),
        ("schema_version", pa.int16()), ("retryable", pa.bool_()),
    ]),
    "strategies": pa.schema([
        ("doc_id", pa.string()), ("strategy_no", pa.int16()), ("title", pa.string()),
        ("declared_project_count", pa.int32()), ("declared_budget_thb", MONEY),
        ("table_total_thb", MONEY), ("computed_budget_thb", MONEY),
        ("project_count", pa.int32()), ("page", pa.int32()),
        # added
        ("title_raw", pa.string()), ("declaration_raw", pa.string()),
    ]),
    "projects": pa.schema([
        ("doc_id", pa.string()), ("strategy_no", pa.int16()), ("seq", pa.int32()),
        ("name", pa.string()), ("name_raw", pa.string()), ("responsible_group", pa.string()),
        ("responsible_group_raw", pa.string()), ("budget_thb", MONEY), ("page", pa.int32()),
        # added
        ("budget_raw", pa.string()),
    ]),
    "timeline": pa.schema([
        ("doc_id", pa.string()), ("seq", pa.int32()), ("name", pa.string()),
        ("start_date", pa.date32()), ("end_date", pa.date32()), ("start_raw", pa.string()),
        ("end_raw", pa.string()), ("date_precision", pa.string()), ("strategy_no", pa.int16()),
        ("project_seq", pa.int32()), ("link_score", pa.float32()), ("page", pa.int32()),
        # added
        ("name_raw", pa.string()),
    ]),
    "stats": pa.schema([
        ("doc_id", pa.string()), ("table", pa.string()), ("label", pa.string()),
        ("value", pa.int64()), ("unit", pa.string()), ("as_of", pa.date32()),
        # added
        ("label_raw", pa.string()), ("page", pa.int32()),
    ]),
    "findings": pa.schema([
        ("doc_id", pa.string()), ("severity", pa.string()), ("code", pa.string()),
        ("message", pa.string()), ("strategy_no", pa.int16()), ("seq", pa.int32()),
        ("expected", pa.string()), ("actual", pa.string()), ("page", pa.int32()),
    ]),
    "pages": pa.schema([
        ("doc_id", pa.string()), ("page_no", pa.int32()), ("method", pa.string()),
        ("quality", pa.float32()), ("chars", pa.int32()),
        # added
        ("error", pa.string()),
    ]),
}

DATASETS = tuple(SCHEMAS)
