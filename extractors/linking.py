"""Link each timeline row to its project, even when the two tables spell the name
differently (a word changed, punctuation dropped, wrapped at another place).

Similarity is rapidfuzz's normalized Indel ratio on white-space-free normalized names.
Timelines list projects in plan order, so the main pass is an order-preserving alignment
(maximum total similarity, like a sequence alignment); rows it leaves unmatched get a
second, greedy pass for projects listed out of order, with a stricter threshold.
"""

import numpy as np
from rapidfuzz import fuzz, process

from normalizers.text import compact
from datamodel.records import Project, TimelineRow

OUT_OF_ORDER_MIN = 0.80


def similarity(a: str, b: str) -> float:
    return fuzz.ratio(compact(a), compact(b)) / 100.0


def link_timeline(rows: list[TimelineRow], projects: list[Project], min_score: float) -> None:
    """Sets strategy_no, project_seq and link_score on the rows that match a project. Rows
    already linked (a schedule printed in the project's own row) keep their project."""
    done = {(r.strategy_no, r.project_seq) for r in rows if r.project_seq is not None}
    rows = [r for r in rows if r.project_seq is None]
    projects = [p for p in projects if (p.strategy_no, p.seq) not in done]
    n, m = len(rows), len(projects)
    if not n or not m:
        return
    keys_r = [compact(r.name_raw) for r in rows]
    keys_p = [compact(p.name_raw) for p in projects]
    # the whole matrix in one native call (float64: the same values as fuzz.ratio one by one)
    sim = (process.cdist(keys_r, keys_p, scorer=fuzz.ratio, dtype=np.float64) / 100.0).tolist()
    dp = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = max(dp[i - 1][j], dp[i][j - 1])
            s = sim[i - 1][j - 1]
            if s >= min_score:
                best = max(best, dp[i - 1][j - 1] + s)
            dp[i][j] = best
    pairs = {}
    i, j = n, m
    while i > 0 and j > 0:
        s = sim[i - 1][j - 1]
        if s >= min_score and dp[i][j] == dp[i - 1][j - 1] + s:
            pairs[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif dp[i][j] == dp[i - 1][j]:
            i -= 1
        else:
            j -= 1
    taken = set(pairs.values())
    for r in range(n):
        if r in pairs:
            continue
        candidates = [(sim[r][p], p) for p in range(m) if p not in taken]
        if candidates:
            s, p = max(candidates)
            if s >= max(min_score, OUT_OF_ORDER_MIN):
                pairs[r] = p
                taken.add(p)
    for r, p in pairs.items():
        rows[r].strategy_no = projects[p].strategy_no
        rows[r].project_seq = projects[p].seq
        rows[r].link_score = round(sim[r][p], 4)
