"""Aggregating the ballots of a priority round into one list: Borda count and Schulze method.

Pure functions, no database. A ballot maps candidates (any hashable key, in practice the
Vorhaben's primary key) to a rank: 1 is best, equal ranks are ties, gaps do not matter (only
the order counts). Candidates a ballot does not mention share the bottom of that ballot: they
lose against every ranked candidate and tie with each other. That lets a body rank only the
Vorhaben it cares about without distorting the rest.

Borda count (tie-aware). On one ballot a candidate gets one point for every candidate ranked
strictly below it and half a point for every other candidate it is tied with. With n candidates
a strict full ranking gives n-1, n-2, ..., 0 points; a tie of two on places 2 and 3 gives both
the mean of the two places' points. The points of all ballots are added up.

Schulze method (winning votes). d[a, b] counts the ballots that prefer a to b. A direct link
a → b exists when more ballots prefer a to b than b to a; its strength is d[a, b]. The strength
of a path is its weakest link, and p[a, b] is the strongest path from a to b. a is placed before
b when p[a, b] > p[b, a]. This relation is transitive (Schulze 2011), so sorting by the number
of candidates a beats this way gives the Schulze order; the Condorcet winner, if there is one,
always comes first.

Deterministic tie-breaking (documented on the results page as well): candidates with equal
score keep a shared rank (`rank`, "1, 2, 2, 4"), and their `position` in the list is decided
by the other method's score (Borda ties by Schulze wins, Schulze ties by Borda points) and
finally by the order of `candidates` as given by the caller. The result therefore never depends
on the order of the ballots.

Disagreement: for each candidate its position on every ballot (a tie covering places 2–3 counts
as 2.5, the shared bottom as the mean of the remaining places), summarised as lowest, highest,
spread (highest − lowest) and standard deviation.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Generic, Literal, TypeVar

K = TypeVar("K", bound=Hashable)

Method = Literal["borda", "schulze"]
METHODS: tuple[Method, ...] = ("borda", "schulze")

Ballot = Mapping[K, int]


@dataclass(frozen=True)
class Disagreement:
    lowest: float  # best (smallest) position any ballot gave
    highest: float  # worst (largest) position any ballot gave
    spread: float
    stdev: float
    ranked_by: int  # ballots that ranked the candidate explicitly


@dataclass(frozen=True)
class Placed(Generic[K]):
    candidate: K
    position: int  # 1..n, unique after tie-breaking
    rank: int  # shared rank: equal scores share the best position of their group
    score: Fraction  # Borda points or Schulze wins, by method
    borda: Fraction
    schulze_wins: int
    disagreement: Disagreement


@dataclass(frozen=True)
class Result(Generic[K]):
    method: Method
    order: list[Placed[K]]
    pairwise: dict[tuple[K, K], int]  # d[a, b]: ballots preferring a to b
    strongest: dict[tuple[K, K], int]  # p[a, b]: Schulze strongest path strength

    @property
    def ranking(self) -> list[K]:
        return [placed.candidate for placed in self.order]


def _validate(candidates: Sequence[K], ballots: Sequence[Ballot[K]]) -> None:
    if len(set(candidates)) != len(candidates):
        raise ValueError("candidates must be unique")
    known = set(candidates)
    for ballot in ballots:
        for candidate, rank in ballot.items():
            if candidate not in known:
                raise ValueError(f"unknown candidate on ballot: {candidate!r}")
            if not isinstance(rank, int) or rank < 1:
                raise ValueError(f"rank must be a positive integer, got {rank!r}")


def _levels(candidates: Sequence[K], ballot: Ballot[K]) -> dict[K, int]:
    """Order level per candidate, 0 best; unranked candidates share the level below all."""
    distinct = sorted(set(ballot.values()))
    level_of_rank = {rank: i for i, rank in enumerate(distinct)}
    bottom = len(distinct)
    return {c: level_of_rank[ballot[c]] if c in ballot else bottom for c in candidates}


def _positions(candidates: Sequence[K], levels: dict[K, int]) -> dict[K, float]:
    """Fractional position (1-based) per candidate: a tie covering places 2 and 3 gives 2.5."""
    counts: dict[int, int] = {}
    for level in levels.values():
        counts[level] = counts.get(level, 0) + 1
    start: dict[int, int] = {}
    seen = 0
    for level in sorted(counts):
        start[level] = seen + 1
        seen += counts[level]
    return {c: start[levels[c]] + (counts[levels[c]] - 1) / 2 for c in candidates}


def borda_scores(candidates: Sequence[K], ballots: Sequence[Ballot[K]]) -> dict[K, Fraction]:
    _validate(candidates, ballots)
    scores = {c: Fraction(0) for c in candidates}
    for ballot in ballots:
        levels = _levels(candidates, ballot)
        for c in candidates:
            below = sum(1 for other in candidates if levels[other] > levels[c])
            tied = sum(1 for other in candidates if other != c and levels[other] == levels[c])
            scores[c] += below + Fraction(tied, 2)
    return scores


def pairwise_preferences(
    candidates: Sequence[K], ballots: Sequence[Ballot[K]]
) -> dict[tuple[K, K], int]:
    _validate(candidates, ballots)
    d = {(a, b): 0 for a in candidates for b in candidates if a != b}
    for ballot in ballots:
        levels = _levels(candidates, ballot)
        for a, b in d:
            if levels[a] < levels[b]:
                d[a, b] += 1
    return d


def schulze_strongest_paths(
    candidates: Sequence[K], d: Mapping[tuple[K, K], int]
) -> dict[tuple[K, K], int]:
    p = {
        (a, b): (d[a, b] if d[a, b] > d[b, a] else 0)
        for a in candidates
        for b in candidates
        if a != b
    }
    # Floyd–Warshall variant for widest paths.
    for i in candidates:
        for j in candidates:
            if i == j:
                continue
            for k in candidates:
                if k in (i, j):
                    continue
                p[j, k] = max(p[j, k], min(p[j, i], p[i, k]))
    return p


def schulze_wins(candidates: Sequence[K], p: Mapping[tuple[K, K], int]) -> dict[K, int]:
    return {a: sum(1 for b in candidates if a != b and p[a, b] > p[b, a]) for a in candidates}


def condorcet_winner(candidates: Sequence[K], d: Mapping[tuple[K, K], int]) -> K | None:
    """The candidate preferred to every other by a strict majority of pairwise comparisons."""
    for a in candidates:
        if all(d[a, b] > d[b, a] for b in candidates if b != a):
            return a
    return None


def _disagreements(candidates: Sequence[K], ballots: Sequence[Ballot[K]]) -> dict[K, Disagreement]:
    positions: dict[K, list[float]] = {c: [] for c in candidates}
    for ballot in ballots:
        for c, pos in _positions(candidates, _levels(candidates, ballot)).items():
            positions[c].append(pos)
    result = {}
    for c in candidates:
        values = positions[c]
        if not values:
            result[c] = Disagreement(0.0, 0.0, 0.0, 0.0, 0)
            continue
        mean = sum(values) / len(values)
        stdev = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
        result[c] = Disagreement(
            lowest=min(values),
            highest=max(values),
            spread=max(values) - min(values),
            stdev=round(stdev, 6),
            ranked_by=sum(1 for ballot in ballots if c in ballot),
        )
    return result


def aggregate(
    candidates: Sequence[K], ballots: Sequence[Ballot[K]], *, method: Method
) -> Result[K]:
    """One aggregated order of `candidates`; see the module docstring for the rules."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    _validate(candidates, ballots)
    borda = borda_scores(candidates, ballots)
    d = pairwise_preferences(candidates, ballots)
    p = schulze_strongest_paths(candidates, d)
    wins = schulze_wins(candidates, p)
    disagreement = _disagreements(candidates, ballots)
    index = {c: i for i, c in enumerate(candidates)}

    def primary(c: K) -> Fraction:
        return borda[c] if method == "borda" else Fraction(wins[c])

    def secondary(c: K) -> Fraction:
        return Fraction(wins[c]) if method == "borda" else borda[c]

    ordered = sorted(candidates, key=lambda c: (-primary(c), -secondary(c), index[c]))
    placed: list[Placed[K]] = []
    for position, c in enumerate(ordered, start=1):
        shared = position
        if placed and primary(placed[-1].candidate) == primary(c):
            shared = placed[-1].rank
        placed.append(
            Placed(
                candidate=c,
                position=position,
                rank=shared,
                score=primary(c),
                borda=borda[c],
                schulze_wins=wins[c],
                disagreement=disagreement[c],
            )
        )
    return Result(method=method, order=placed, pairwise=d, strongest=p)


def ranks_from_scores(scores: Mapping[K, int]) -> dict[K, int]:
    """Ranks (1 best, ties shared) from numeric scores where higher is better."""
    distinct = sorted(set(scores.values()), reverse=True)
    level = {value: i + 1 for i, value in enumerate(distinct)}
    return {c: level[value] for c, value in scores.items()}
