"""Statistical disclosure control for survey results: minimum group size k and
complementary suppression. Pure functions, no Django; every result view, export and
indicator reads its figures through here.

The model: a table of counts (groups × answer values) is published together with its
margins (row totals, column totals, grand total). A cell with 0 < n < k is suppressed
("primary"). Because the margins are published, a lone hidden cell in a row or column could
be computed back, so further cells are hidden ("complementary") until every hidden cell lies
on a cycle of hidden cells. Why a cycle suffices: with the margins negated, every row and
column of the extended table sums to zero, so the hidden cells are the edges of a bipartite
graph (row lines × column lines). A hidden cell is determined by the published figures
exactly when its edge is a bridge of that graph; on a cycle, adding +1/−1 alternately along
the cycle gives another table with the same published figures. Complements are only chosen
among cells with n ≥ 1, so every hidden cell is ≥ 1 and that shift stays non-negative: the
attacker cannot pin the value even using "counts are never negative".

Means are one more equation per row, so a mean is only published where it adds nothing:
when every cell of its row is published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

MIN_K = 5
CITIZEN_DEFAULT_K = 5
STAFF_DEFAULT_K = 7


class DisclosureConfigError(ValueError):
    pass


def validate_k(k: int) -> int:
    """The minimum group size in force; configurations below 5 are refused, not clamped."""
    if k < MIN_K:
        raise DisclosureConfigError(f"k={k} is below the minimum of {MIN_K}")
    return k


def default_k(*, staff: bool) -> int:
    return STAFF_DEFAULT_K if staff else CITIZEN_DEFAULT_K


def is_primary(n: int, k: int) -> bool:
    return 0 < n < k


# --------------------------------------------------------------------------- vectors


@dataclass(frozen=True)
class ProtectedVector:
    """Group sizes (e.g. respondents per location) and their total, None where hidden."""

    k: int
    values: tuple[int | None, ...]
    total: int | None


def protect_vector(counts: Sequence[int], *, k: int) -> ProtectedVector:
    """One line with a published total: hide small groups and, if only one group is hidden
    while the total is shown, also the next-smallest group."""
    validate_k(k)
    total = sum(counts)
    hidden = {i for i, n in enumerate(counts) if is_primary(n, k)}
    total_hidden = is_primary(total, k)
    if len(hidden) == 1 and not total_hidden:
        candidates = sorted((n, i) for i, n in enumerate(counts) if i not in hidden and n > 0)
        if candidates:
            hidden.add(candidates[0][1])
        else:  # pragma: no cover – a lone small group among empty ones makes the total small
            # too, so it is hidden above; kept so a change of is_primary cannot publish it.
            total_hidden = True
    return ProtectedVector(
        k=k,
        values=tuple(None if i in hidden else n for i, n in enumerate(counts)),
        total=None if total_hidden else total,
    )


# --------------------------------------------------------------------------- tables

Pos = tuple[int, int]


@dataclass
class ProtectedTable:
    """A table with margins after suppression; `None` means "fewer than k or hidden".

    `cells[i][j]` inner counts, `row_totals[i]`, `col_totals[j]`, `grand_total`. `hidden`
    holds the hidden positions in the extended (R+1)×(C+1) layout, where row R holds the
    column totals and column C the row totals.
    """

    k: int
    cells: list[list[int | None]]
    row_totals: list[int | None]
    col_totals: list[int | None]
    grand_total: int | None
    hidden: set[Pos] = field(default_factory=set)
    primary: set[Pos] = field(default_factory=set)
    fully_hidden: bool = False


def _bridges(edges: set[Pos], n_rows: int, n_cols: int) -> list[Pos]:
    """Edges of the bipartite line graph whose removal disconnects their two lines."""
    adjacency: dict[tuple[str, int], set[tuple[str, int]]] = {}
    for r, c in edges:
        adjacency.setdefault(("r", r), set()).add(("c", c))
        adjacency.setdefault(("c", c), set()).add(("r", r))
    result = []
    for r, c in sorted(edges):
        start, goal = ("r", r), ("c", c)
        seen = {start}
        stack = [start]
        found = False
        while stack and not found:
            node = stack.pop()
            for nxt in adjacency[node]:
                if node == start and nxt == goal:
                    continue  # the edge under test itself
                if nxt == goal:
                    found = True
                    break
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        if not found:
            result.append((r, c))
    return result


def _component(edges: set[Pos], start: tuple[str, int]) -> set[tuple[str, int]]:
    adjacency: dict[tuple[str, int], set[tuple[str, int]]] = {}
    for r, c in edges:
        adjacency.setdefault(("r", r), set()).add(("c", c))
        adjacency.setdefault(("c", c), set()).add(("r", r))
    seen = {start}
    stack = [start]
    while stack:
        node = stack.pop()
        for nxt in adjacency.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def protect_table(
    counts: Sequence[Sequence[int]],
    *,
    k: int,
    row_totals: ProtectedVector | None = None,
) -> ProtectedTable:
    """Suppress a groups × values table with all margins published.

    `row_totals` fixes which group sizes are hidden (from `protect_vector` over the groups),
    so every question of a survey hides the same group sizes: the margins are shared between
    tables and must not be hidden in one and shown in another. Row totals are the sums of
    the rows, so the caller includes a "no answer" column.
    """
    validate_k(k)
    n_rows = len(counts)
    n_cols = len(counts[0]) if n_rows else 0
    R, C = n_rows, n_cols
    ext = _with_margins(counts, R, C)

    if row_totals is None:
        row_totals = protect_vector([ext[(i, C)] for i in range(R)], k=k)
    fixed = {(i, C) for i in range(R)} | {(R, C)}
    hidden: set[Pos] = {pos for pos, n in ext.items() if pos not in fixed and is_primary(n, k)}
    primary = set(hidden) | {pos for pos in fixed if is_primary(ext[pos], k)}
    for i in range(R):
        if row_totals.values[i] is None:
            hidden.add((i, C))
    if row_totals.total is None:
        hidden.add((R, C))

    fully_hidden = not _hide_complements(hidden, ext, fixed, R, C)
    if fully_hidden:
        hidden |= {pos for pos in ext if pos not in fixed}

    def shown(pos: Pos) -> int | None:
        return None if pos in hidden else ext[pos]

    return ProtectedTable(
        k=k,
        cells=[[shown((i, j)) for j in range(C)] for i in range(R)],
        row_totals=[shown((i, C)) for i in range(R)],
        col_totals=[shown((R, j)) for j in range(C)],
        grand_total=shown((R, C)),
        hidden=hidden,
        primary=primary,
        fully_hidden=fully_hidden,
    )


def _with_margins(counts: Sequence[Sequence[int]], R: int, C: int) -> dict[Pos, int]:
    """The table extended by its row totals (column C), column totals (row R) and grand total."""
    ext: dict[Pos, int] = {}
    for i in range(R):
        for j in range(C):
            ext[(i, j)] = counts[i][j]
        ext[(i, C)] = sum(counts[i])
    for j in range(C):
        ext[(R, j)] = sum(counts[i][j] for i in range(R))
    ext[(R, C)] = sum(ext[(i, C)] for i in range(R))
    return ext


def _hide_complements(
    hidden: set[Pos], ext: dict[Pos, int], fixed: set[Pos], R: int, C: int
) -> bool:
    """Hide cells until no hidden cell is a bridge; False if that cannot be done."""
    for _ in range((R + 1) * (C + 1) + 1):
        bridges = _bridges(hidden, R + 1, C + 1)
        if not bridges:
            return True
        if not _add_complement(bridges[0], hidden, ext, fixed):
            return False
    return False  # pragma: no cover - the loop adds one cell per round and the table is finite


def _add_complement(bridge: Pos, hidden: set[Pos], ext: dict[Pos, int], fixed: set[Pos]) -> bool:
    """Hide one more non-zero cell so that `bridge` comes closer to lying on a cycle.

    Best: a cell joining the two sides of the bridge (closes a cycle at once). Otherwise a
    cell on one of the bridge's lines, which extends the path; the loop goes on from there.
    Smallest counts first, to lose as little information as possible.
    """
    r, c = bridge
    rest = hidden - {bridge}
    side_a = _component(rest, ("r", r))
    side_b = _component(rest, ("c", c))

    def free(pos: Pos) -> bool:
        return pos not in hidden and pos not in fixed and ext[pos] > 0

    closing = [
        (ext[(i, j)], (i, j))
        for (i, j) in ext
        if free((i, j))
        and (
            (("r", i) in side_a and ("c", j) in side_b)
            or (("r", i) in side_b and ("c", j) in side_a)
        )
    ]
    if closing:
        hidden.add(min(closing)[1])
        return True
    extending = [(ext[(i, j)], (i, j)) for (i, j) in ext if free((i, j)) and (i == r or j == c)]
    if extending:
        hidden.add(min(extending)[1])
        return True
    extending = [(ext[pos], pos) for pos in ext if free(pos)]
    if extending:
        hidden.add(min(extending)[1])
        return True
    return False


def mean_of(values: Sequence[int], counts: Sequence[int | None]) -> float | None:
    """Mean of a published distribution; None when any count is hidden or nobody answered."""
    if any(n is None for n in counts):
        return None
    total = sum(n for n in counts if n is not None)
    if total == 0:
        return None
    return sum(v * n for v, n in zip(values, counts, strict=True) if n is not None) / total


def may_show_free_text(group_size: int | None, *, k: int) -> bool:
    """Free text only for groups of at least k whose size is itself published."""
    return group_size is not None and group_size >= k
