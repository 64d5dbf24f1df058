"""Resource spreading and the Amt balance as pure functions, on hand-computed figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from leitwerk.priorities.planning import (
    MemberInput,
    ProjectInput,
    compute_balance,
    effort_by_year,
)


def test_effort_is_spread_over_years_by_days():
    # 1 Jul 2026 – 30 Jun 2027: 184 days in 2026, 181 in 2027, 365 in all.
    shares = effort_by_year(Decimal(365), dt.date(2026, 7, 1), dt.date(2027, 6, 30))
    assert shares == {2026: Decimal(184), 2027: Decimal(181)}


def test_effort_without_dates():
    assert effort_by_year(Decimal(10), None, None) == {None: Decimal(10)}
    assert effort_by_year(Decimal(10), None, dt.date(2027, 5, 1)) == {2027: Decimal(10)}
    assert effort_by_year(Decimal(10), dt.date(2026, 5, 1), None) == {2026: Decimal(10)}


def test_balance_hand_computed():
    # Members: Nord 2000 (50 %), Ost 1000 (25 %), Süd 1000 (25 %).
    # V1 100 000 € → Nord; V2 60 000 € → Nord, Ost; V3 40 000 € → Ost, Süd; V4 no budget → Süd;
    # V5 names nobody (Amt-wide) and is left out.
    # Vorhaben units: Nord 1 + ½ = 1.5, Ost ½ + ½ = 1, Süd ½ + 1 = 1.5 (of 4) → 37.5 / 25 / 37.5 %.
    # Budget: Nord 100k + 30k = 130k, Ost 30k + 20k = 50k, Süd 20k (of 200k) → 65 / 25 / 10 %.
    members = [
        MemberInput("nord", "Nord", 2000),
        MemberInput("ost", "Ost", 1000),
        MemberInput("sued", "Süd", 1000),
    ]
    projects = [
        ProjectInput(["nord"], Decimal(100000)),
        ProjectInput(["nord", "ost"], Decimal(60000)),
        ProjectInput(["ost", "sued"], Decimal(40000)),
        ProjectInput(["sued"], None),
        ProjectInput([], Decimal(5000)),
    ]
    balance = compute_balance(members, projects, Decimal(10))
    by = {m.key: m for m in balance.members}
    assert balance.unassigned == 1 and balance.total_budget == Decimal(200000)
    assert [by[k].initiatives for k in ("nord", "ost", "sued")] == [2, 2, 2]
    assert [by[k].initiative_share for k in ("nord", "ost", "sued")] == [
        Decimal("37.5"),
        Decimal(25),
        Decimal("37.5"),
    ]
    assert [by[k].budget_share for k in ("nord", "ost", "sued")] == [
        Decimal(65),
        Decimal(25),
        Decimal(10),
    ]
    assert by["nord"].initiative_deviation == Decimal("-12.5")
    assert by["sued"].budget_deviation == Decimal(-15)
    # Nord: −12.5 points in Vorhaben; Süd: −15 points in budget; Ost exactly balanced.
    assert (by["nord"].flagged, by["nord"].disadvantaged) == (True, True)
    assert (by["sued"].flagged, by["sued"].disadvantaged) == (True, True)
    assert (by["ost"].flagged, by["ost"].disadvantaged) == (False, False)
    # A looser threshold clears everybody.
    assert not any(m.flagged for m in compute_balance(members, projects, Decimal(20)).members)


def test_balance_without_projects_flags_nobody():
    balance = compute_balance([MemberInput(1, "Eins", 10)], [], Decimal(0))
    assert balance.members[0].flagged is False


def test_who_pays_is_compared_with_the_population_share():
    # Nord 3000 (75 %), Süd 1000 (25 %). V1 100 000 € paid 50/50, V2 20 000 € paid by Nord alone,
    # V3 50 000 € without recorded payers (not charged). Charged: 120 000 €.
    # Nord pays 50 000 + 20 000 = 70 000 (58.33 %, −16.67 points: pays less than its share);
    # Süd pays 50 000 (41.67 %, +16.67 points: pays more, so it comes off worse).
    members = [MemberInput("nord", "Nord", 3000), MemberInput("sued", "Süd", 1000)]
    projects = [
        ProjectInput(["nord", "sued"], Decimal(100000), {"nord": Decimal(50), "sued": Decimal(50)}),
        ProjectInput(["nord"], Decimal(20000), {"nord": Decimal(100)}),
        ProjectInput(["sued"], Decimal(50000)),
    ]
    balance = compute_balance(members, projects, Decimal(10))
    nord, sued = balance.members
    assert balance.total_paid == Decimal(120000)
    assert (nord.paid, sued.paid) == (Decimal(70000), Decimal(50000))
    assert round(sued.paid_deviation, 2) == Decimal("16.67")
    assert sued.disadvantaged is True
    # Nord pays less than its share but receives less too: budget 50 000 + 20 000 of 170 000
    # = 41.2 % against 75 % → also flagged as coming off worse on the benefit side.
    assert nord.budget == Decimal(70000)
    assert nord.disadvantaged is True


def test_compensation_counts_with_its_amount_in_the_balance_after():
    # Süd gets 10 % of 200 000 € (−15 points). 30 000 € compensation: 50 000 of 230 000 €
    # = 21.7 % (−3.3 points), so Süd no longer comes off worse; Nord's budget share drops.
    members = [
        MemberInput("nord", "Nord", 2000),
        MemberInput("ost", "Ost", 1000),
        MemberInput("sued", "Süd", 1000),
    ]
    projects = [
        ProjectInput(["nord"], Decimal(130000)),
        ProjectInput(["ost"], Decimal(50000)),
        ProjectInput(["sued"], Decimal(20000)),
    ]
    balance = compute_balance(members, projects, Decimal(10), {"sued": Decimal(30000)})
    by = {m.key: m for m in balance.members}
    assert balance.total_compensation == Decimal(30000)
    assert balance.total_budget_after == Decimal(230000)
    sued = by["sued"]
    assert (sued.budget_share, sued.budget_deviation) == (Decimal(10), Decimal(-15))
    assert (sued.compensation, sued.budget_after) == (Decimal(30000), Decimal(50000))
    assert round(sued.budget_share_after, 1) == Decimal("21.7")
    assert (sued.disadvantaged, sued.disadvantaged_after) == (True, False)
    assert sued.balanced_by_compensation
    assert round(by["nord"].budget_share_after, 1) == Decimal("56.5")
    # Without any measure, "after" equals "before".
    plain = {m.key: m for m in compute_balance(members, projects, Decimal(10)).members}
    assert plain["sued"].disadvantaged_after and plain["sued"].budget_after == Decimal(20000)
