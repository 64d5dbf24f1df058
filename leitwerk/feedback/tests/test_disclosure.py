"""k-anonymity with complementary suppression (F3, F4), attacked from the published figures."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from leitwerk.feedback import disclosure
from leitwerk.feedback.disclosure import ProtectedTable, protect_table, protect_vector

# --------------------------------------------------------------------------- the attacker


def _extended(counts: list[list[int]]) -> dict[tuple[int, int], int]:
    R, C = len(counts), len(counts[0])
    ext = {}
    for i in range(R):
        for j in range(C):
            ext[(i, j)] = counts[i][j]
        ext[(i, C)] = sum(counts[i])
    for j in range(C):
        ext[(R, j)] = sum(counts[i][j] for i in range(R))
    ext[(R, C)] = sum(ext[(i, C)] for i in range(R))
    return ext


def _published(table: ProtectedTable) -> dict[tuple[int, int], int | None]:
    R, C = len(table.cells), len(table.cells[0])
    pub: dict[tuple[int, int], int | None] = {}
    for i in range(R):
        for j in range(C):
            pub[(i, j)] = table.cells[i][j]
        pub[(i, C)] = table.row_totals[i]
    for j in range(C):
        pub[(R, j)] = table.col_totals[j]
    pub[(R, C)] = table.grand_total
    return pub


def _equations(R: int, C: int) -> list[list[tuple[tuple[int, int], int]]]:
    """Every row and column of the extended table: inner cells − margin = 0."""
    eqs = []
    for i in range(R + 1):
        eqs.append([((i, j), 1) for j in range(C)] + [((i, C), -1)])
    for j in range(C + 1):
        eqs.append([((i, j), 1) for i in range(R)] + [((R, j), -1)])
    return eqs


def recovered_by_linear_algebra(pub, R: int, C: int) -> set[tuple[int, int]]:
    """Hidden positions whose value follows uniquely from the published sums.

    Gaussian elimination over the rationals on the unknowns: an unknown is determined iff
    its unit vector is in the row space, i.e. its RREF row has no other non-zero entry.
    """
    unknowns = sorted(pos for pos, v in pub.items() if v is None)
    index = {pos: n for n, pos in enumerate(unknowns)}
    rows = []
    for eq in _equations(R, C):
        row = [Fraction(0)] * len(unknowns)
        for pos, coef in eq:
            if pos in index:
                row[index[pos]] += coef
        if any(row):
            rows.append(row)
    pivot_rows: list[tuple[int, list[Fraction]]] = []
    r = 0
    for col in range(len(unknowns)):
        pivot = next((k for k in range(r, len(rows)) if rows[k][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][col]
        rows[r] = [x / lead for x in rows[r]]
        for k in range(len(rows)):
            if k != r and rows[k][col] != 0:
                factor = rows[k][col]
                rows[k] = [a - factor * b for a, b in zip(rows[k], rows[r], strict=True)]
        pivot_rows.append((col, rows[r]))
        r += 1
    determined = set()
    for col, row in pivot_rows:
        if all(x == 0 for n, x in enumerate(row) if n != col):
            determined.add(unknowns[col])
    return determined


def recovered_by_bounds(pub, R: int, C: int) -> set[tuple[int, int]]:
    """Interval propagation with "counts are never negative": lower = upper ⇒ recovered."""
    big = 10**9
    lo = {pos: (v if v is not None else 0) for pos, v in pub.items()}
    hi = {pos: (v if v is not None else big) for pos, v in pub.items()}
    changed = True
    while changed:
        changed = False
        for eq in _equations(R, C):
            # sum(inner) = margin: each term bounded by the others.
            inner = [pos for pos, coef in eq if coef == 1]
            margin = next(pos for pos, coef in eq if coef == -1)
            new_hi_margin = sum(hi[p] for p in inner)
            new_lo_margin = sum(lo[p] for p in inner)
            if new_hi_margin < hi[margin]:
                hi[margin], changed = new_hi_margin, True
            if new_lo_margin > lo[margin]:
                lo[margin], changed = new_lo_margin, True
            for p in inner:
                others_lo = sum(lo[q] for q in inner if q != p)
                others_hi = sum(hi[q] for q in inner if q != p)
                if hi[margin] - others_lo < hi[p]:
                    hi[p], changed = hi[margin] - others_lo, True
                if lo[margin] - others_hi > lo[p]:
                    lo[p], changed = lo[margin] - others_hi, True
    return {pos for pos, v in pub.items() if v is None and lo[pos] == hi[pos]}


def small_cells_leaked(counts: list[list[int]], k: int) -> list[tuple[int, int]]:
    table = protect_table(counts, k=k)
    R, C = len(counts), len(counts[0])
    ext = _extended(counts)
    pub = _published(table)
    shown_small = [pos for pos, v in pub.items() if v is not None and 0 < v < k]
    recovered = recovered_by_linear_algebra(pub, R, C) | recovered_by_bounds(pub, R, C)
    return shown_small + [pos for pos in recovered if 0 < ext[pos] < k]


# --------------------------------------------------------------------------- tests


def test_k_below_five_is_rejected_and_defaults_are_5_and_7():
    """Catalogue row F3."""
    with pytest.raises(disclosure.DisclosureConfigError):
        disclosure.validate_k(4)
    assert disclosure.default_k(staff=False) == 5
    assert disclosure.default_k(staff=True) == 7
    with pytest.raises(disclosure.DisclosureConfigError):
        protect_table([[1, 2]], k=3)


def test_single_small_cell_in_a_row_gets_a_complement():
    # Row A has one small cell (2); with the row total shown it would be 20 − 18.
    table = protect_table([[2, 18, 10], [9, 11, 10]], k=5)
    assert table.cells[0][0] is None
    hidden_in_row = [v for v in table.cells[0] if v is None]
    assert len(hidden_in_row) >= 2
    # …and the column of the small cell needs a second hidden cell as well.
    assert (
        sum(1 for i in range(2) if table.cells[i][0] is None) + (table.col_totals[0] is None) >= 2
    )


def test_vector_hides_next_smallest_when_one_group_is_small():
    vec = protect_vector([3, 40, 12, 25], k=5)
    assert vec.values[0] is None and vec.values[2] is None
    assert vec.values[1] == 40 and vec.total == 80


def test_zero_is_shown_and_large_tables_stay_intact():
    table = protect_table([[0, 10, 12], [7, 0, 30]], k=5)
    assert table.hidden == set()
    assert table.cells == [[0, 10, 12], [7, 0, 30]]


def test_mean_only_for_complete_rows():
    assert disclosure.mean_of([1, 2, 3], [5, None, 5]) is None
    assert disclosure.mean_of([1, 2, 3], [5, 0, 5]) == 2


def _random_table(rng: random.Random) -> tuple[list[list[int]], int]:
    rows = rng.randint(1, 6)
    cols = rng.randint(2, 7)
    k = rng.choice([5, 5, 7, 10])
    style = rng.random()
    counts = []
    for _ in range(rows):
        row = []
        for _ in range(cols):
            if style < 0.4:
                row.append(rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20]))
            elif style < 0.8:
                row.append(rng.randint(0, 3 * k))
            else:
                row.append(int(rng.expovariate(1 / (k + 1))))
        counts.append(row)
    return counts, k


def _leaks(count: int) -> list:
    """The first `count` tables of one fixed random sequence that leak a small cell."""
    rng = random.Random(20260322)
    leaks = []
    for n in range(count):
        counts, k = _random_table(rng)
        leaked = small_cells_leaked(counts, k)
        if leaked:
            leaks.append((n, counts, k, leaked))
    return leaks


def test_a_thousand_random_tables_leak_no_small_cell():
    """F4 in the default run: the first 1,000 tables of the sequence the slow run checks."""
    leaks = _leaks(1_000)
    assert leaks == [], leaks[:3]


@pytest.mark.slow
def test_ten_thousand_random_tables_leak_no_small_cell():
    """F4: 10,000 generated tables; the attacker solves from row/column sums (exact linear
    algebra) and from non-negativity bounds. 0 cells with 0 < n < k may be recoverable."""
    leaks = _leaks(10_000)
    assert leaks == [], leaks[:3]


def test_shared_group_sizes_hide_the_same_groups_in_every_question():
    """F4: Group sizes are margins shared by all questions: fixed once, used by every table."""
    sizes = protect_vector([3, 30, 14], k=5)
    first = protect_table([[1, 2], [10, 20], [7, 7]], k=5, row_totals=sizes)
    second = protect_table([[3, 0], [29, 1], [14, 0]], k=5, row_totals=sizes)
    assert first.row_totals == second.row_totals == [None, 30, None]
    assert first.grand_total == second.grand_total == 47


def test_attacker_finds_a_naive_suppression():
    """The attacker is not toothless: hiding only the small cell is caught."""
    counts = [[2, 18], [9, 11]]
    naive = ProtectedTable(
        k=5,
        cells=[[None, 18], [9, 11]],
        row_totals=[20, 20],
        col_totals=[11, 29],
        grand_total=40,
    )
    assert (0, 0) in recovered_by_linear_algebra(_published(naive), 2, 2)
    assert small_cells_leaked(counts, 5) == []
