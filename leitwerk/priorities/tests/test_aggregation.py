"""Borda and Schulze on hand-computed examples, and their properties (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leitwerk.priorities.aggregation import (
    aggregate,
    borda_scores,
    condorcet_winner,
    pairwise_preferences,
    ranks_from_scores,
)
from leitwerk.testing.examples import examples

ABCD = ["A", "B", "C", "D"]


def ballot(order: str) -> dict[str, int]:
    """'ACB' → {A: 1, C: 2, B: 3}; letters left out are unranked."""
    return {letter: i + 1 for i, letter in enumerate(order)}


# --- hand-computed examples -------------------------------------------------------------------


def test_borda_with_incomplete_ranking_hand_computed():
    # B1: A>B>C>D gives 3,2,1,0. B2: B>A>D>C gives B3 A2 D1 C0.
    # B3 ranks only A>C: A gets 3 (beats B, C, D), C gets 2, B and D tie at the bottom: 0.5 each.
    ballots = [ballot("ABCD"), ballot("BADC"), ballot("AC")]
    assert borda_scores(ABCD, ballots) == {
        "A": 8,
        "B": Fraction(11, 2),
        "C": 3,
        "D": Fraction(3, 2),
    }
    result = aggregate(ABCD, ballots, method="borda")
    assert result.ranking == ["A", "B", "C", "D"]
    assert [p.score for p in result.order] == [8, Fraction(11, 2), 3, Fraction(3, 2)]


def test_schulze_with_incomplete_ranking_hand_computed():
    ballots = [ballot("ABCD"), ballot("BADC"), ballot("AC")]
    d = pairwise_preferences(ABCD, ballots)
    # Unranked B loses to ranked C on the third ballot; unranked B and D tie there.
    assert (d["B", "C"], d["C", "B"]) == (2, 1)
    assert (d["B", "D"], d["D", "B"]) == (2, 0)
    assert (d["C", "D"], d["D", "C"]) == (2, 1)
    assert condorcet_winner(ABCD, d) == "A"
    result = aggregate(ABCD, ballots, method="schulze")
    assert result.ranking == ["A", "B", "C", "D"]
    assert [p.schulze_wins for p in result.order] == [3, 2, 1, 0]


def test_classic_schulze_example_from_the_literature():
    # Schulze (2011) / Wikipedia: 45 voters, five candidates; the winner is E, the order E>A>C>B>D,
    # although there is no Condorcet winner.
    groups = [
        (5, "ACBED"),
        (5, "ADECB"),
        (8, "BEDAC"),
        (3, "CABED"),
        (7, "CAEBD"),
        (2, "CBADE"),
        (7, "DCEBA"),
        (8, "EBADC"),
    ]
    ballots = [ballot(order) for count, order in groups for _ in range(count)]
    candidates = list("ABCDE")
    d = pairwise_preferences(candidates, ballots)
    assert d["A", "B"] == 20 and d["B", "A"] == 25
    assert d["E", "D"] == 31 and d["D", "E"] == 14
    assert condorcet_winner(candidates, d) is None
    result = aggregate(candidates, ballots, method="schulze")
    assert result.ranking == list("EACBD")
    # Strongest paths as published: p[E, A] = 25 over E→D→A... and p[A, E] = 24.
    assert result.strongest["E", "A"] == 25
    assert result.strongest["A", "E"] == 24
    assert result.strongest["A", "C"] == 28
    assert result.strongest["C", "A"] == 25


def test_ties_share_a_rank_and_are_broken_by_candidate_order():
    ballots = [ballot("ABC"), ballot("BAC")]
    for method in ("borda", "schulze"):
        result = aggregate(["A", "B", "C"], ballots, method=method)
        assert result.ranking == ["A", "B", "C"]
        assert [p.rank for p in result.order] == [1, 1, 3]
        assert [p.position for p in result.order] == [1, 2, 3]
    # Reversing the given candidate order reverses the tie-break, nothing else.
    assert aggregate(["B", "A", "C"], ballots, method="borda").ranking == ["B", "A", "C"]


def test_borda_tie_broken_by_schulze_before_candidate_order():
    # A and B end with equal Borda points, but B beats A head to head 2:1.
    # Borda: A = 1 + 1 + 2 = 4, B = 2 + 2 + 0 = 4, C = 0 + 0 + 1 = 1.
    ballots = [ballot("BAC"), ballot("BAC"), ballot("ACB")]
    scores = borda_scores(["A", "B", "C"], ballots)
    assert scores["A"] == scores["B"] == 4
    result = aggregate(["A", "B", "C"], ballots, method="borda")
    assert result.ranking[:2] == ["B", "A"]
    assert result.order[0].rank == result.order[1].rank == 1


def test_tie_on_a_ballot_splits_the_points_and_the_position():
    result = aggregate(["A", "B", "C"], [{"A": 1, "B": 1, "C": 2}], method="borda")
    scores = {p.candidate: p.borda for p in result.order}
    assert scores == {"A": Fraction(3, 2), "B": Fraction(3, 2), "C": 0}
    lowest = {p.candidate: p.disagreement.lowest for p in result.order}
    assert lowest == {"A": 1.5, "B": 1.5, "C": 3.0}


def test_disagreement_is_the_spread_of_positions_across_ballots():
    ballots = [ballot("ABCD"), ballot("DCBA"), ballot("AB")]
    result = aggregate(ABCD, ballots, method="borda")
    by = {p.candidate: p.disagreement for p in result.order}
    # D: 4th, 1st, and shared bottom with C on the third ballot (places 3–4 → 3.5).
    assert (by["D"].lowest, by["D"].highest, by["D"].spread) == (1.0, 4.0, 3.0)
    assert by["D"].ranked_by == 2
    assert by["B"].spread == 1.0  # 2nd, 3rd, 2nd


def test_empty_ballots_give_a_full_tie():
    result = aggregate(ABCD, [], method="schulze")
    assert result.ranking == ABCD
    assert {p.rank for p in result.order} == {1}


def test_invalid_input_is_refused():
    with pytest.raises(ValueError):
        aggregate(["A"], [{"Z": 1}], method="borda")
    with pytest.raises(ValueError):
        aggregate(["A"], [{"A": 0}], method="borda")
    with pytest.raises(ValueError):
        aggregate(["A"], [], method="majority")  # type: ignore[arg-type]


def test_ranks_from_scores_share_ranks_for_equal_scores():
    assert ranks_from_scores({"A": 12, "B": 9, "C": 12}) == {"A": 1, "B": 2, "C": 1}


# --- properties -------------------------------------------------------------------------------

CANDIDATES = st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=6, unique=True)


@st.composite
def elections(draw, min_ballots: int = 0):
    candidates = draw(CANDIDATES)
    ranked = st.lists(st.sampled_from(candidates), unique=True)
    ballots = []
    for _ in range(draw(st.integers(min_value=min_ballots, max_value=7))):
        chosen = draw(ranked)
        # Ranks with gaps and ties: any positive integer per chosen candidate.
        ranks = draw(st.lists(st.integers(1, 4), min_size=len(chosen), max_size=len(chosen)))
        ballots.append(dict(zip(chosen, ranks, strict=True)))
    return candidates, ballots


@settings(max_examples=examples(150), deadline=None)
@given(elections(), st.sampled_from(["borda", "schulze"]))
def test_result_is_a_permutation_of_the_candidates(election, method):
    candidates, ballots = election
    result = aggregate(candidates, ballots, method=method)
    assert sorted(result.ranking) == sorted(candidates)
    assert [p.position for p in result.order] == list(range(1, len(candidates) + 1))
    assert all(p.rank <= p.position for p in result.order)


@settings(max_examples=examples(150), deadline=None)
@given(elections(), st.sampled_from(["borda", "schulze"]), st.randoms(use_true_random=False))
def test_the_order_of_ballots_does_not_matter(election, method, rnd):
    candidates, ballots = election
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    first = aggregate(candidates, ballots, method=method)
    second = aggregate(candidates, shuffled, method=method)
    assert first.order == second.order


@settings(max_examples=examples(150), deadline=None)
@given(elections(min_ballots=1), st.data())
def test_a_vorhaben_ranked_first_by_every_ballot_wins_under_both(election, data):
    candidates, ballots = election
    favourite = data.draw(st.sampled_from(candidates))
    # Put the favourite strictly on top of every ballot (rank 0 is not allowed, so shift).
    lifted = [{**{c: r + 1 for c, r in b.items() if c != favourite}, favourite: 1} for b in ballots]
    for method in ("borda", "schulze"):
        result = aggregate(candidates, lifted, method=method)
        assert result.ranking[0] == favourite
        if len(candidates) > 1:
            assert result.order[1].rank > 1  # won outright, not by tie-break


@settings(max_examples=examples(200), deadline=None)
@given(elections(min_ballots=1))
def test_schulze_picks_the_condorcet_winner(election):
    candidates, ballots = election
    winner = condorcet_winner(candidates, pairwise_preferences(candidates, ballots))
    if winner is not None:
        result = aggregate(candidates, ballots, method="schulze")
        assert result.ranking[0] == winner
        assert result.order[0].schulze_wins == len(candidates) - 1
