"""Strategies, their declared project count and budget, and their project tables.

Headings handled: "กลยุทธ์ที่ ๑ ...", "ประเด็นกลยุทธ์ที่ 1 ...", "ยุทธศาสตร์ที่ ๑ ...", with a
bullet or markdown emphasis around them, the title wrapped onto following lines.
Declaration sentences handled (the number right before "โครงการ" is the count):
  "มีโครงการพัฒนารองรับกลยุทธ์ที่ ๒ จำนวน ๔ โครงการ งบประมาณ ๓๒,๐๕๐ บาท ดังนี้"
  "มีโครงการรองรับกลยุทธ์ที่ ๒ โครงการ งบประมาณ ๘๕,๔๕๐ บาท"  (strategy number omitted)
  "จำนวน ๓ โครงการ งบประมาณทั้งสิ้น ๑.๕ ล้านบาท", "มีโครงการทั้งสิ้น 4 โครงการ ..."
A project table belongs to the nearest strategy heading above it; a table continued on
the next page (with its header repeated) keeps adding to the same strategy.
Headings that never get a table or declaration (e.g. the list in the plan's overview)
only supply a title.
Plans grouped on two levels (นโยบายที่ N over กลยุทธ์ที่ M, as headings before the tables or as
rows inside one table): the level nearest the project rows is the strategy; the level above
(`_upper_kinds`) is each strategy's `parent`, never a strategy itself: its declaration and its
subtotal row ("รวมนโยบายที่ N") are kept on the parent and checked against its strategies.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import regex

from extractors.tables import Table, TableRow, is_amount
from normalizers import Rejected
from normalizers.digits import lookalike_numbers, thai_to_arabic
from normalizers.labels import group_heading
from normalizers.money import parse_baht
from normalizers.text import compact, join_wrapped
from datamodel.document import Line
from datamodel.records import ParentGroup, Project, Strategy

MAX_TITLE_LINES = 4
AMOUNT_COLUMN_SHARE = 0.6   # a column with amounts in this share of rows is the budget column
MAX_TAIL = 30          # a wrapped sentence's tail ("บาท ดังนี้") is short
MAX_PARENT_GAP = 8     # lines from a heading of the level above to the strategy heading right under it
                       # (its title wrapped, a declaration sentence of two lines between)

_COUNT = regex.compile(r"(?:โครงการ|จำนวน|ทั้งสิ้น|รองรับ|ที่)\D{0,40}?(\d{1,3})\s*โครงการ")
_BUDGET = regex.compile(
    r"(?:งบประมาณ|เป็นเงิน|วงเงิน)\s*(?:ทั้งสิ้น|รวม(?:ทั้งสิ้น)?)?\s*(?:จำนวน)?\s*(?:เงิน)?\s*"
    r"(\d[\d,]*(?:\.\d+)?\s*(?:ล้าน)?)\s*บาท")
# Lines that end a wrapped title: section labels that follow a heading.
_NOT_TITLE = regex.compile(
    r"^\s*(?:[-•*]|\d+[.)]|เป้าประสงค์|แนวทาง|ตัวชี้วัด|มาตรการ|กลยุทธ์|ยุทธศาสตร์|ส่วนที่|มีโครงการ|โครงการ|ที่\s)")


@dataclass
class _Heading:
    no: int
    title: str
    line: int
    page: int
    kind: str = ""


def _headings(lines: list[Line], table_lines: set[int]) -> list[_Heading]:
    out = []
    for i, ln in enumerate(lines):
        if i in table_lines or ln.blank:
            continue
        g = group_heading(ln.text)
        if g is None:
            continue
        title = g.title
        j, count = i + 1, 1
        while j < len(lines) and count < MAX_TITLE_LINES and j not in table_lines:
            nxt = lines[j]
            if nxt.blank or len(nxt.cells) > 1 or _NOT_TITLE.match(thai_to_arabic(nxt.text)) \
                    or is_declaration(nxt.text) or group_heading(nxt.text) is not None:
                break
            title = join_wrapped(title, nxt.text.strip(), nxt.soft_wrap)
            count += 1
            j += 1
        out.append(_Heading(g.no, title, i, ln.page, g.kind))
    _renumber_misread(out)
    return out


def _renumber_misread(heads: list[_Heading]) -> None:
    """Group headings are numbered in order: a heading whose number breaks the run of its
    kind where the number it skips is a look-alike of the one read (normalizers.digits.LOOKALIKE_DIGITS) is the
    skipped number, when the next heading of its kind confirms it (1, "6", 3: 2) or it is the
    last and no heading prints the skipped number (1, 2, 3, "5": 4)."""
    for kind in {h.kind for h in heads}:
        run = [h for h in heads if h.kind == kind]
        printed = {h.no for h in run}
        for k in range(1, len(run)):
            want = run[k - 1].no + 1
            got = run[k].no
            if not lookalike_numbers(got, want):
                continue
            if k + 1 < len(run) and run[k + 1].no == want + 1 or k + 1 == len(run) and want not in printed:
                run[k].no = want


def _titles(heads: list[_Heading], upper: frozenset = frozenset()) -> dict[int, str]:
    """The first title printed for each group number (an overview list may print it first);
    headings of a level above the strategies (kinds in `upper`) are not strategies' titles."""
    titles: dict[int, str] = {}
    for h in heads:
        if h.title and h.no not in titles and h.kind not in upper:
            titles[h.no] = h.title
    return titles


def _upper_kinds(heads: list[_Heading], tables: list[Table]) -> frozenset:
    """Heading kinds printed as a level ABOVE the strategies (นโยบายที่ N over กลยุทธ์ที่ M),
    from the order of headings (paragraphs and group rows of tables) and project rows. The
    strategy is the level nearest the projects: a kind that is the last heading before project
    rows is a strategy kind. Another kind is the level above when its headings stand right over
    a strategy heading that has rows of its own (within MAX_PARENT_GAP lines, nothing between):
    two or more of its headings do, or its only one does. So a list of OBEC's policies in the
    introduction, or a line of prose that starts with "นโยบายที่ ๓", is not a level."""
    seq = [(h.line, h.kind) for h in heads]
    for t in tables:
        for r in t.items:
            if r.role == "group" and r.group is not None:
                seq.append((r.line_index, r.group.kind))
            elif r.role == "project":
                seq.append((r.line_index, None))
    seq.sort(key=lambda e: e[0])
    leaf, last = set(), None
    for _, kind in seq:
        if kind is None:
            if last is not None:
                leaf.add(last)
        else:
            last = kind
    printed, over = Counter(), Counter()
    for i, (line, kind) in enumerate(seq):
        if kind is None or kind in leaf:
            continue
        printed[kind] += 1
        if (i + 2 < len(seq) and seq[i + 1][1] in leaf and seq[i + 1][0] - line <= MAX_PARENT_GAP
                and seq[i + 2][1] is None):
            over[kind] += 1
    return frozenset(k for k, n in over.items() if n >= 2 or n == printed[k] == 1)


def _sentence(lines: list[Line], i: int, table_lines: set[int]) -> str:
    """The declaration line plus the lines it wraps onto ("... งบประมาณ ๓๒,๐๕๐" / "บาท ดังนี้")."""
    text = lines[i].text
    j = i + 1
    while (j < len(lines) and j < i + 3 and j not in table_lines and not lines[j].blank
           and (len(lines[j].cells) == 1 or len(lines[j].text) <= MAX_TAIL)
           and group_heading(lines[j].text) is None
           and not _BUDGET.search(thai_to_arabic(text))):
        text = join_wrapped(text, lines[j].text, lines[j].soft_wrap)
        j += 1
    return text


def is_declaration(text: str) -> bool:
    if "โครงการ" not in text:                # cheap: most lines are not declarations
        return False
    t = thai_to_arabic(text)
    return bool(_COUNT.search(t)) and ("งบประมาณ" in t or "รองรับ" in t or "จำนวน" in t)


def parse_declaration(text: str) -> tuple[int | None, object, str | None]:
    """(project count, budget Decimal or None, budget error)."""
    t = thai_to_arabic(text)
    count = _COUNT.search(t)
    budget, error = None, None
    m = _BUDGET.search(t)
    if m:
        try:
            budget = parse_baht(m[1])
        except Rejected as e:
            error = str(e)
    return (int(count[1]) if count else None), budget, error


def _columns(table: Table) -> tuple:
    """(name, group, budget columns, budget is a sum of parts) of a project table."""
    seq_col, name_col, group_col = table.col("seq"), table.col("name"), table.col("group")
    budget_cols, parts = table.cols("budget")[:1], False
    if not budget_cols and table.cols("budget_part"):
        budget_cols, parts = table.cols("budget_part"), True
    if not budget_cols:     # header misprinted or misread: the column that holds amounts
        found = _amount_column(table, {seq_col, name_col, group_col})
        budget_cols = [found] if found is not None else []
    if name_col is None:   # no name header: the widest text column that has no other role
        widths = {}
        for row in table.rows:
            for i, c in enumerate(row.cells):
                if table.roles[i:i + 1] in ([None], []) and i != seq_col:
                    widths[i] = widths.get(i, 0) + len(c)
        name_col = max(widths, key=widths.get) if widths else 1
    return name_col, group_col, budget_cols, parts


def _budget(row: TableRow, cols: list[int], parts: bool):
    """(raw text, amount, error) of a row's budget: one column, or the sum of its parts
    (งบดำเนินงาน | งบพัฒนาคุณภาพ, or amounts per quarter) when no column gives the total."""
    if not cols:
        return None, None, None
    if not parts:
        raw = row.cell(cols[0])
        try:
            return raw, parse_baht(raw), None
        except Rejected as e:
            return raw, None, str(e)
    raws = [row.cell(i) for i in cols]
    total, errors = None, []
    for raw in raws:
        try:
            v = parse_baht(raw)
        except Rejected as e:
            errors.append(str(e))
            continue
        if v is not None:
            total = v if total is None else total + v
    return " + ".join(r for r in raws if r.strip()) or None, total, "; ".join(errors) or None


def _projects_from(table: Table, rows: list[TableRow], strategy_no: int | None, start_seq: int) -> list[Project]:
    name_col, group_col, budget_cols, parts = _columns(table)
    out = []
    for k, row in enumerate(rows):
        seq = row.seq.value if row.seq is not None and row.seq.value is not None else start_seq + k
        budget_raw, budget, error = _budget(row, budget_cols, parts)
        row.strategy_no, row.project_seq = strategy_no, seq
        out.append(Project(
            strategy_no=strategy_no, seq=seq, name_raw=row.cell(name_col),
            group_raw=row.cell(group_col) if group_col is not None else None,
            budget_raw=budget_raw, budget=budget, page=row.page, budget_error=error))
    return out


def _amount_column(table: Table, taken: set) -> int | None:
    width = max((len(r.cells) for r in table.rows), default=0)
    best, best_share = None, AMOUNT_COLUMN_SHARE
    for i in range(width):
        if i in taken:
            continue
        cells = [r.cell(i) for r in table.rows]
        share = sum(1 for c in cells if is_amount(c)) / max(1, len(cells))
        if share >= best_share:
            best, best_share = i, share
    return best


def total_of(row: TableRow | None, table: Table | None = None):
    """(amount, printed text) of a total row: the amount in the budget column, the sum of
    the budget's parts where it is split without a total column, else the last amount."""
    if row is None:
        return None, None
    if table is not None:
        _, _, cols, parts = _columns(table)
        if cols:
            raw, value, _ = _budget(row, cols, parts)
            if value is not None:
                return value, raw
    for c in reversed(row.cells):
        if not c.strip() or compact(c).startswith("รวม"):
            continue
        try:
            value = parse_baht(c)
        except Rejected:
            continue
        if value is not None:
            return value, c
    return None, None


def extract_strategies(lines: list[Line], tables: list[Table]) -> tuple[list[Strategy], list[Project]]:
    """(strategies that own a table or a declaration, projects outside any strategy)."""
    table_lines = {i for t in tables for i in range(t.start, t.end)}
    project_tables = [t for t in tables if t.kind == "projects"
                      or t.kind == "grid" and (t.col("budget") is not None or t.col("group") is not None)]
    heads = _headings(lines, table_lines)
    upper = _upper_kinds(heads, project_tables)
    st = _Groups(_titles(heads, upper), upper)

    events = [(h.line, "heading", h) for h in heads]
    events += [(t.start, "table", t) for t in project_tables]
    events += [(i, "declaration", _sentence(lines, i, table_lines)) for i, ln in enumerate(lines)
               if i not in table_lines and not ln.blank and is_declaration(ln.text)]
    events.sort(key=lambda e: (e[0], e[1] != "heading"))

    for _, kind, item in events:
        if kind == "heading":
            st.heading(item.kind, item.no, item.title, item.page)
        elif kind == "declaration":
            st.declaration(item)
        else:
            _take_table(item, st)
    return sorted(st.strategies.values(), key=lambda s: s.no), st.orphans


class _Groups:
    """The strategies (and the groups above them) as the headings, declarations and tables
    of a plan come in order."""

    def __init__(self, titles: dict[int, str], upper: frozenset):
        self.titles, self.upper = titles, upper
        self.strategies: dict[int, Strategy] = {}
        self.orphans: list[Project] = []
        self.current: Strategy | None = None
        self.parent: ParentGroup | None = None       # the group above, where the plan has two levels
        self.parents: dict[tuple[str, int], ParentGroup] = {}
        self.holding: set[int] = set()                # parents (id) that hold a strategy already

    def heading(self, kind: str, no: int, title: str, page: int) -> None:
        if kind in self.upper:
            p = self.parents.get((kind, no))
            if p is None:
                p = self.parents[(kind, no)] = ParentGroup(kind=kind, no=no, title_raw=title, page=page)
            elif not p.title_raw and title:
                p.title_raw = title
            self.parent, self.current = p, None
            return
        self.current = self.strategy(no, title, page)

    def strategy(self, no: int, title: str, page: int) -> Strategy:
        s = self.strategies.get(no) or Strategy(no=no, title_raw=title or self.titles.get(no, ""), page=page)
        if not s.title_raw and (title or self.titles.get(no)):
            s.title_raw = title or self.titles[no]
        if s.parent is None:
            s.parent = self.parent
        return s

    def keep(self, s: Strategy) -> None:
        self.strategies[s.no] = s
        if s.parent is not None:
            self.holding.add(id(s.parent))

    def declaration(self, text: str) -> None:
        count, budget, _ = parse_declaration(text)
        if self.current is None:        # right under a heading of the level above: its own
            p = self.parent
            if p is not None and id(p) not in self.holding and p.declaration_raw is None:
                p.declared_project_count, p.declared_budget, p.declaration_raw = count, budget, text
            return
        if self.current.projects:
            return
        self.current.declared_project_count = count
        self.current.declared_budget = budget
        self.current.declaration_raw = text
        self.keep(self.current)


def _take_table(table: Table, st: _Groups) -> None:
    """A project table's rows into strategies: rows under a group row inside the table go to
    that group; rows before any group row to the heading above the table. A group row of the
    level above (st.upper) starts a parent and takes its subtotal row. The strategy current
    after the table is its last group."""
    runs: list[tuple[object, list[TableRow]]] = []
    for r in table.items:
        if r.role == "group":
            runs.append((r, []))
        elif r.role == "project":
            if not runs:
                runs.append((None, []))
            runs[-1][1].append(r)
    if not runs and table.rows:
        runs = [(None, list(table.rows))]
    groups = [g for g in table.groups if g.group.kind not in st.upper]
    made: list[Project] = []
    for head, rows in runs:
        if head is not None:
            st.heading(head.group.kind, head.group.no, head.group.title, head.page)
            if head.group.kind in st.upper:
                sub = table.parent_subtotal(head, st.upper)
                total, raw = total_of(sub, table)
                if raw is not None:
                    p = st.parent
                    p.table_total, p.table_total_raw, p.table_total_page = total, raw, sub.page
        current = st.current
        if current is None:
            new = _projects_from(table, rows, None, len(st.orphans) + 1)
            st.orphans.extend(new)
            made += new
            continue
        new = _projects_from(table, rows, current.no, len(current.projects) + 1)
        current.projects.extend(new)
        made += new
        st.keep(current)
        sub = table.subtotal(head.group.no if head is not None else None, st.upper) if groups else None
        if sub is None and (not groups or head is groups[-1] and table.total is not None and len(groups) == 1):
            sub = table.total
        total, raw = total_of(sub, table)
        if raw is not None:
            current.table_total, current.table_total_raw = total, raw
    if table.groups and table.total is not None:
        value, raw = total_of(table.total, table)
        amounts = [p.budget for p in made if p.budget is not None]
        if value is not None:
            table.grand_total = (value, raw, sum(amounts, Decimal("0.00")) if amounts else None)


def projects_from_sheets(sheets, lines: list[Line], tables: list[Table]) -> tuple[list[Strategy], list[Project]]:
    """Projects of a plan that lists them only on detail sheets: each sheet's group (the
    strategy it serves) and order within that group; titles from the plan's headings."""
    table_lines = {i for t in tables for i in range(t.start, t.end)}
    titles = _titles(_headings(lines, table_lines))
    strategies: dict[int, Strategy] = {}
    orphans: list[Project] = []
    for sh in sheets:
        try:
            budget, error = parse_baht(sh.budget_raw) if sh.budget_raw else None, None
        except Rejected as e:
            budget, error = None, str(e)
        if sh.group_no is None:
            target, no = orphans, None
        else:
            s = strategies.setdefault(sh.group_no, Strategy(no=sh.group_no, title_raw=titles.get(sh.group_no, ""),
                                                             page=sh.page))
            target, no = s.projects, sh.group_no
        target.append(Project(strategy_no=no, seq=len(target) + 1, name_raw=sh.name,
                              group_raw=sh.responsible_group, budget_raw=sh.budget_raw, budget=budget,
                              page=sh.page, budget_error=error))
    return sorted(strategies.values(), key=lambda s: s.no), orphans
