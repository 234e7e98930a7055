"""Typed records that pass between stages: the structures found in a document -> rows.

Structures keep what was printed (`*_raw`) next to parsed values; normalization to the
contract's text form happens once, when rows are built (pipeline/rows.py).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass
class DocumentMeta:
    title: str | None = None
    office: str | None = None
    province: str | None = None
    area_no: int | None = None
    area_level: str | None = None
    fiscal_year_be: int | None = None
    fiscal_year_start: date | None = None
    fiscal_year_end: date | None = None
    suspect_fiscal_years: list[int] = field(default_factory=list)   # printed as the fiscal year, implausible


@dataclass
class Project:
    strategy_no: int | None
    seq: int
    name_raw: str
    group_raw: str | None
    budget_raw: str | None
    budget: Decimal | None
    page: int
    budget_error: str | None = None


@dataclass
class ParentGroup:
    """A heading level above the strategies (นโยบายที่ N over กลยุทธ์ที่ M): not a strategy; what
    it states (its declaration, its subtotal row "รวมนโยบายที่ N") is checked against the sum
    of its strategies' project rows."""
    kind: str                    # the heading word: นโยบาย / ยุทธศาสตร์ / ...
    no: int
    title_raw: str
    page: int
    declared_project_count: int | None = None
    declared_budget: Decimal | None = None
    declaration_raw: str | None = None
    table_total: Decimal | None = None
    table_total_raw: str | None = None
    table_total_page: int | None = None


@dataclass
class Strategy:
    no: int
    title_raw: str
    page: int
    declared_project_count: int | None = None
    declared_budget: Decimal | None = None
    declaration_raw: str | None = None
    table_total: Decimal | None = None
    table_total_raw: str | None = None
    projects: list[Project] = field(default_factory=list)
    parent: ParentGroup | None = None     # the group above it, in a plan of two levels

    @property
    def computed_budget(self) -> Decimal | None:
        amounts = [p.budget for p in self.projects if p.budget is not None]
        return sum(amounts, Decimal("0.00")) if amounts else None


@dataclass
class TimelineRow:
    seq: int
    name_raw: str
    start_raw: str | None
    end_raw: str | None
    page: int
    start: date | None = None
    end: date | None = None
    precision: str | None = None
    start_error: str | None = None
    end_error: str | None = None
    strategy_no: int | None = None
    project_seq: int | None = None
    link_score: float | None = None
    printed_seq: int | None = None    # the project's printed number, for a schedule printed in a project table


@dataclass
class Stat:
    table: str
    label_raw: str
    value: int
    unit: str
    page: int
    as_of: date | None = None


@dataclass
class StatBlock:
    """A run of statistics lines under one heading, with the total the heading declares."""
    table: str
    heading: str
    page: int
    stats: list[Stat] = field(default_factory=list)
    declared_total: int | None = None


@dataclass
class Finding:
    severity: str                # error / warning / info
    code: str
    message: str
    strategy_no: int | None = None
    seq: int | None = None
    expected: str | None = None
    actual: str | None = None
    page: int | None = None
    image: str | None = None     # the scanned cell concerned (PNG, base64), for an OCR finding
    parent_no: int | None = None   # the group above the strategies concerned (ParentGroup.no), if any


@dataclass
class HeaderNote:
    """A table whose printed header does not fit its rows (kept for a finding)."""
    page: int
    printed: str
    detected: str
