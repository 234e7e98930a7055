"""Shared fixtures: the real sample plan, extracted once per session into a temp warehouse."""

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "cme2-teacher-dev-plan-2567.txt"
GOLD = ROOT / "samples" / "cme2-teacher-dev-plan-2567.gold.json"


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD.read_text("utf-8"))


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    """The sample extracted with the real CLI into a fresh warehouse."""
    out = tmp_path_factory.mktemp("wh")
    src = tmp_path_factory.mktemp("src") / SAMPLE.name
    shutil.copy(SAMPLE, src)
    assert main(["extract", str(src), "--out", str(out)]) == 0
    return out


def query(out: Path, dataset: str, sql: str):
    """Run `sql` where {t} is the dataset read straight from Parquet with hive partitioning."""
    t = f"read_parquet('{out}/{dataset}/*/*.parquet', hive_partitioning=true)"
    return duckdb.sql(sql.format(t=t)).fetchall()
