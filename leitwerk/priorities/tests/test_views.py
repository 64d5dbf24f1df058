"""The priority pages through the test client: a whole round, balance, resources, isolation."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from leitwerk.municipalities.models import Municipality, Role
from leitwerk.municipalities.tests.factories import (
    AmtFactory,
    MemberMunicipalityFactory,
    MembershipFactory,
    OrganisationalUnitFactory,
)
from leitwerk.plans.models import InitiativeStatus
from leitwerk.plans.tests.factories import InitiativeFactory
from leitwerk.priorities.models import PriorityRound, RoundStatus
from leitwerk.priorities.tests.factories import (
    CompensationMeasureFactory,
    DecisionFactory,
    PriorityRoundFactory,
    RoundParticipantFactory,
)

from .conftest import BALLOTS, EXPECTED

pytestmark = pytest.mark.django_db

CANARY = "KANARIE-Fremdstadt"


def order_in(round, scene):
    by_pk = {i.pk: letter for letter, i in scene.initiatives.items()}
    return [by_pk[item.initiative_id] for item in round.items.order_by("rank")]


def test_end_to_end_round_with_three_bodies(scene, strategy_user, client_for):
    office = client_for(strategy_user)
    i = scene.initiatives

    # 1. The strategy office opens the round.
    response = office.post(
        reverse("priorities:create"),
        {
            "title": "Prioritäten 2027",
            "year": "2027",
            "ballot_mode": "rank",
            "candidates": [i[x].pk for x in "ABCD"],
            "bodies": [b.pk for b in scene.bodies],
        },
    )
    round = PriorityRound.objects.get(title="Prioritäten 2027")
    assert response.status_code == 302 and response["Location"] == reverse(
        "priorities:detail", args=[round.pk]
    )

    # 2. Each body's council member fills in their ballot; the only participant is preselected.
    for voter, body, ballot in zip(scene.voters, scene.bodies, BALLOTS, strict=True):
        client = client_for(voter)
        detail = client.get(reverse("priorities:detail", args=[round.pk])).content.decode()
        assert "Stimmzettel ausfüllen" in detail
        url = reverse("priorities:ballot", args=[round.pk])
        page = client.get(url)
        assert page.status_code == 200
        assert f"Stimmzettel für {body.name}" in page.content.decode()
        participant = page.context["participant"]
        data = {f"rank_{i[x].pk}": rank for x, rank in ballot.items()}
        data["stelle"] = participant.pk
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
    assert round.ballots.count() == 3

    # 3. Results page: both methods, explained, and a note that they differ.
    results_url = reverse("priorities:results", args=[round.pk])
    page = office.get(results_url)
    text = page.content.decode()
    assert "Borda-Zählung" in text and "Schulze-Methode" in text
    assert "unterschiedlichen Reihenfolgen" in text
    by_pk = {v.pk: k for k, v in i.items()}
    for method in ("borda", "schulze"):
        shown = [by_pk[row.initiative.pk] for row in page.context[method]]
        assert shown == EXPECTED[method]

    # 4. Store the list by either method; the round closes.
    office.post(results_url, {"method": "borda"})
    round.refresh_from_db()
    assert round.status == RoundStatus.CLOSED
    assert order_in(round, scene) == EXPECTED["borda"]
    office.post(results_url, {"method": "schulze"})
    assert order_in(round, scene) == EXPECTED["schulze"]

    # 5. The Rat adopts the list.
    response = office.post(
        reverse("priorities:adopt", args=[round.pk]),
        {
            "body": scene.bodies[0].pk,
            "adopted_on": "2026-12-10",
            "decision_reference": "Vorlage 2026/114",
            "oparl_url": "https://ris.musterstadt.test/oparl/paper/114",
        },
    )
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.status == RoundStatus.ADOPTED and round.adopted_by == scene.bodies[0]
    assert round.versions.count() == 1

    # 6. A change without a justification is refused with an error summary ...
    change_url = reverse("priorities:change", args=[round.pk])
    change = {
        "initiative": i["D"].pk,
        "new_rank": 1,
        "justification": "",
        "changed_on": "2027-03-01",
    }
    response = office.post(change_url, change)
    assert response.status_code == 422
    assert 'class="error-summary"' in response.content.decode()
    assert "braucht eine Begründung" in response.content.decode()
    assert order_in(round, scene) == EXPECTED["schulze"]

    # ... and accepted with one, counted as an ad-hoc change of direction.
    change["justification"] = "Fördermittel laufen aus; der Antrag muss im März gestellt werden."
    assert office.post(change_url, change).status_code == 302
    assert order_in(round, scene) == ["D", "A", "B", "C"]
    listing = office.get(reverse("priorities:list"))
    assert listing.context["rounds"][0].change_count == 1
    assert "Ad-hoc-Richtungsänderungen nach Beschluss" in listing.content.decode()
    detail = office.get(reverse("priorities:detail", args=[round.pk]))
    assert detail.context["page"].change_count == 1
    # Each version names the day the body decided it and the decision, not the typing day.
    html = re.sub(r"\s+", " ", detail.content.decode())
    assert f"Fassung 1, beschlossen am 10. Dezember 2026 durch {scene.bodies[0].name}" in html
    assert "Fassung 2, beschlossen am 1. März 2027" in html
    assert 'href="https://ris.musterstadt.test/oparl/paper/114">Vorlage 2026/114</a>' in html
    decisions = office.get(reverse("priorities:decisions")).content.decode()
    assert "Fördermittel laufen aus" in decisions


def test_viewer_reads_but_cannot_vote_or_manage(scene, strategy_user, viewer, client_for):
    round = PriorityRoundFactory(municipality=scene.bodies[0].municipality)
    round.candidates.set(scene.initiatives.values())
    RoundParticipantFactory(round=round, body=scene.bodies[0])
    client = client_for(viewer)
    assert client.get(reverse("priorities:detail", args=[round.pk])).status_code == 200
    page = client.get(reverse("priorities:ballot", args=[round.pk]))
    assert page.status_code == 200 and "keinen Stimmzettel" in page.content.decode()
    rank = {f"rank_{scene.initiatives['A'].pk}": 1}
    # The round is visible to the viewer, the actions are not allowed: 403 (no longer 404).
    assert client.post(reverse("priorities:ballot", args=[round.pk]), rank).status_code == 403
    assert client.get(reverse("priorities:create")).status_code == 403
    assert (
        client.post(reverse("priorities:results", args=[round.pk]), {"method": "borda"}).status_code
        == 403
    )
    assert client.post(reverse("priorities:adopt", args=[round.pk]), {}).status_code == 403
    assert client.post(reverse("priorities:change", args=[round.pk]), {}).status_code == 403
    assert client.post(reverse("priorities:decisions"), {}).status_code == 403
    # Missing stays 404: a participant id that is none of this round's, a round that is none.
    assert (
        client.get(reverse("priorities:ballot", args=[round.pk]), {"stelle": "99999"}).status_code
        == 404
    )
    assert client.post(reverse("priorities:adopt", args=[round.pk + 999]), {}).status_code == 404


def test_score_ballot_form_needs_complete_rows(musterstadt, scene, strategy_user, client_for):
    round = PriorityRoundFactory(municipality=musterstadt, ballot_mode="score")
    round.candidates.set(scene.initiatives.values())
    participant = RoundParticipantFactory(round=round, body=scene.bodies[0])
    client = client_for(scene.voters[0])
    url = reverse("priorities:ballot", args=[round.pk])
    a = scene.initiatives["A"].pk
    response = client.post(url, {"stelle": participant.pk, f"benefit_{a}": "5"})
    assert response.status_code == 422
    assert "vollständig" in response.content.decode()
    response = client.post(
        url,
        {"stelle": participant.pk, f"benefit_{a}": "5", f"urgency_{a}": "4", f"effort_{a}": "2"},
    )
    assert response.status_code == 302
    assert participant.ballot.entries.get().benefit == 5
    page = client.get(reverse("priorities:results", args=[round.pk]))
    rows = page.context["results"].effort_benefit
    assert [(r["initiative"], r["benefit"], r["effort"], r["ratio"]) for r in rows] == [
        (scene.initiatives["A"], 5, 2, 2.5)
    ]
    assert "Nutzen je Aufwand" in page.content.decode()


def test_balance_view_on_an_amt_with_three_members(client_for):
    # Same figures as test_planning.test_balance_hand_computed, now through the page.
    amt = AmtFactory(name="Amt Probe", slug="amt-probe")
    nord = MemberMunicipalityFactory(parent=amt, name="Nord", slug="nord", population=2000)
    ost = MemberMunicipalityFactory(parent=amt, name="Ost", slug="ost", population=1000)
    sued = MemberMunicipalityFactory(parent=amt, name="Süd", slug="sued", population=1000)
    for beneficiaries, budget in (
        ([nord], 100000),
        ([nord, ost], 60000),
        ([ost, sued], 40000),
        ([sued], None),
        ([], 5000),
    ):
        initiative = InitiativeFactory(municipality=amt, budget_eur=budget)
        initiative.affected_municipalities.set(beneficiaries)
    cancelled = InitiativeFactory(
        municipality=amt, budget_eur=999999, status=InitiativeStatus.CANCELLED
    )
    cancelled.affected_municipalities.set([ost])
    CompensationMeasureFactory(
        municipality=amt, member=sued, title="Amt trägt den Eigenanteil", amount_eur=20000
    )
    user = MembershipFactory(municipality=amt, role=Role.STRATEGY).user
    client = client_for(user)
    response = client.get(reverse("priorities:balance"))
    assert response.status_code == 200
    rows = {row["b"].name: row for row in response.context["rows"]}
    figures = {
        name: (r["b"].population_share, r["b"].initiative_share, r["b"].budget_share)
        for name, r in rows.items()
    }
    assert figures == {
        "Nord": (Decimal(50), Decimal("37.5"), Decimal(65)),
        "Ost": (Decimal(25), Decimal(25), Decimal(25)),
        "Süd": (Decimal(25), Decimal("37.5"), Decimal(10)),
    }
    assert [rows[n]["b"].disadvantaged for n in ("Nord", "Ost", "Süd")] == [True, False, True]
    text = re.sub(r"\s+", " ", response.content.decode())
    assert "37,5 % (-12,5)" in text and "10,0 % (-15,0)" in text
    before = text.split('id="after-title"')[0]
    assert before.count("kommt zu kurz") == 2
    # Süd's 20.000 Euro compensation counts: 40.000 of 220.000 Euro (18,2 %, -6,8) after.
    sued_after = rows["Süd"]["b"]
    assert (sued_after.budget_after, sued_after.balanced_by_compensation) == (Decimal(40000), True)
    assert "10,0 % → 18,2 % (-6,8)" in text and "(durch Ausgleich)" in text
    assert "Amt trägt den Eigenanteil (20.000 Euro)" in text
    assert "1 Vorhaben nennen keine Gemeinde" in text

    # A stricter threshold and a new measure, through the forms.
    response = client.post(reverse("priorities:balance_threshold"), {"threshold_points": "20"})
    assert response.status_code == 302
    text = client.get(reverse("priorities:balance")).content.decode()
    assert "kommt zu kurz" not in text
    response = client.post(
        reverse("priorities:balance_compensation"),
        {"member": nord.pk, "title": "Vorrang beim Radwegebau"},
    )
    assert response.status_code == 302
    assert "Vorrang beim Radwegebau" in client.get(reverse("priorities:balance")).content.decode()


def test_balance_view_explains_itself_outside_an_amt(viewer, client_for):
    response = client_for(viewer).get(reverse("priorities:balance"))
    assert response.status_code == 200
    assert "kein Amt" in response.content.decode()


def test_resources_warn_about_over_commitment(musterstadt, viewer, client_for):
    unit = OrganisationalUnitFactory(
        municipality=musterstadt, name="Bauamt", code="FB 6", capacity_person_days=100
    )
    InitiativeFactory(
        municipality=musterstadt,
        lead_unit=unit,
        effort_person_days=150,
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2027, 12, 31),
    )
    InitiativeFactory(
        municipality=musterstadt,
        lead_unit=unit,
        effort_person_days=500,
        status=InitiativeStatus.COMPLETED,
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2027, 12, 31),
    )
    response = client_for(viewer).get(reverse("priorities:resources"))
    cells = response.context["cells"]
    assert [(c.year, c.effort, c.capacity, c.over_committed) for c in cells] == [
        (2027, Decimal(150), Decimal(100), True)
    ]
    assert "überlastet" in response.content.decode()


def test_decisions_log_lists_and_records(musterstadt, strategy_user, viewer, client_for):
    DecisionFactory(municipality=musterstadt, title="Start Online-Termine")
    assert (
        "Start Online-Termine"
        in client_for(viewer).get(reverse("priorities:decisions")).content.decode()
    )
    office = client_for(strategy_user)
    data = {
        "kind": "budget",
        "title": "Mehr Budget für Breitband",
        "justification": "",
        "decided_on": "2027-02-01",
    }
    response = office.post(reverse("priorities:decisions"), data)
    assert response.status_code == 422 and "begründen" in response.content.decode()
    data["justification"] = "Die Ausschreibung ergab höhere Preise als geplant."
    assert office.post(reverse("priorities:decisions"), data).status_code == 302
    # The viewer reads the log but may not record: 403 (no longer 404).
    assert client_for(viewer).post(reverse("priorities:decisions"), data).status_code == 403


def test_another_municipalitys_round_is_a_404_without_canary(
    other_town, other_town_admin, viewer, strategy_user, client_for
):
    round = PriorityRoundFactory(municipality=other_town, title=f"{CANARY} Runde")
    DecisionFactory(municipality=other_town, title=f"{CANARY} Entscheidung")
    for user in (viewer, strategy_user):
        client = client_for(user)
        for name in ("detail", "ballot", "results", "adopt", "change"):
            response = client.get(reverse(f"priorities:{name}", args=[round.pk]))
            assert response.status_code == 404
            assert CANARY not in response.content.decode()
        for name in ("list", "decisions", "resources", "balance"):
            assert CANARY not in client.get(reverse(f"priorities:{name}")).content.decode()
        response = client.post(reverse("priorities:results", args=[round.pk]), {"method": "borda"})
        assert response.status_code == 404
    # The owner still sees it: the 404 is about the tenant, not the row.
    assert (
        client_for(other_town_admin).get(reverse("priorities:detail", args=[round.pk])).status_code
        == 200
    )


def test_balance_view_on_the_demo_amt(client_for):
    """Amt Musterland from `leitwerk demo`, figures computed by hand from the demo's specs.

    Members: Seedorf 2410, Lindenau 940, Birkenfelde 5300 inhabitants (8650 in all), so the
    population shares are 27.9 %, 10.9 %, 61.3 %.

    Vorhaben, whom they benefit and their budgets: 1.1 Seedorf + Lindenau 240 000 €,
    1.2 Birkenfelde + Seedorf 60 000 €, 2.1 all three 90 000 €, 2.2 Lindenau 150 000 €.

    Vorhaben split equally: Seedorf ½ + ½ + ⅓ = 4/3, Lindenau ½ + ⅓ + 1 = 11/6,
    Birkenfelde ½ + ⅓ = 5/6, of 4 in all → 33.3 %, 45.8 %, 20.8 %.

    Budget split the same way: Seedorf 120 000 + 30 000 + 30 000 = 180 000, Lindenau
    120 000 + 30 000 + 150 000 = 300 000, Birkenfelde 30 000 + 30 000 = 60 000, of 540 000
    → 33.3 %, 55.6 %, 11.1 %; Birkenfelde 11.1 − 61.3 = −50.2 points.

    Who pays (cost shares on 1.2: Birkenfelde 69 %, Seedorf 31 %; on 2.1: Seedorf 28 %,
    Lindenau 11 %, Birkenfelde 61 %): Seedorf 18 600 + 25 200 = 43 800, Lindenau 9 900,
    Birkenfelde 41 400 + 54 900 = 96 300, of 150 000 → 29.2 %, 6.6 %, 64.2 %; nobody pays
    more than 10 points above its population share.

    With the threshold of 10 points Seedorf stays within (+5.5 at most), Lindenau is above its
    share, Birkenfelde comes off worse (−40.4 and −50.2 points), and it is Birkenfelde the
    demo's compensation measure is for.
    """
    from leitwerk.accounts.models import User
    from leitwerk.devdata.demo import demo_load

    demo_load(today=dt.date(2026, 11, 22))
    client = client_for(User.objects.get(email="lesen@amt-musterland.example"))
    response = client.get(reverse("priorities:balance"))
    rows = {row["b"].name: row["b"] for row in response.context["rows"]}
    q = Decimal("0.1")
    assert {n: b.population_share.quantize(q) for n, b in rows.items()} == {
        "Seedorf": Decimal("27.9"),
        "Lindenau": Decimal("10.9"),
        "Birkenfelde": Decimal("61.3"),
    }
    assert {n: b.initiative_units for n, b in rows.items()} == pytest.approx(
        {"Seedorf": Decimal(4) / 3, "Lindenau": Decimal(11) / 6, "Birkenfelde": Decimal(5) / 6}
    )
    assert {n: b.initiative_share.quantize(q) for n, b in rows.items()} == {
        "Seedorf": Decimal("33.3"),
        "Lindenau": Decimal("45.8"),
        "Birkenfelde": Decimal("20.8"),
    }
    assert rows["Birkenfelde"].initiative_deviation.quantize(q) == Decimal("-40.4")
    assert [
        (rows[n].flagged, rows[n].disadvantaged) for n in ("Seedorf", "Lindenau", "Birkenfelde")
    ] == [
        (False, False),
        (True, False),
        (True, True),
    ]
    assert {n: b.budget for n, b in rows.items()} == {
        "Seedorf": Decimal(180000),
        "Lindenau": Decimal(300000),
        "Birkenfelde": Decimal(60000),
    }
    assert {n: b.budget_share.quantize(q) for n, b in rows.items()} == {
        "Seedorf": Decimal("33.3"),
        "Lindenau": Decimal("55.6"),
        "Birkenfelde": Decimal("11.1"),
    }
    assert rows["Birkenfelde"].budget_deviation.quantize(q) == Decimal("-50.2")
    assert {n: b.paid for n, b in rows.items()} == {
        "Seedorf": Decimal(43800),
        "Lindenau": Decimal(9900),
        "Birkenfelde": Decimal(96300),
    }
    assert {n: b.paid_share.quantize(q) for n, b in rows.items()} == {
        "Seedorf": Decimal("29.2"),
        "Lindenau": Decimal("6.6"),
        "Birkenfelde": Decimal("64.2"),
    }
    balance = response.context["view"].balance
    assert (balance.total_budget, balance.total_paid) == (Decimal(540000), Decimal(150000))
    compensated = {m.name for m in Municipality.objects.filter(compensation_measures__isnull=False)}
    assert compensated == {n for n, b in rows.items() if b.disadvantaged} == {"Birkenfelde"}


def test_amt_cost_shares_and_member_sign_off_through_the_pages(client_for):
    amt = AmtFactory(name="Amt Probe", slug="amt-probe")
    nord = MemberMunicipalityFactory(parent=amt, name="Nord", slug="nord", population=3000)
    sued = MemberMunicipalityFactory(parent=amt, name="Süd", slug="sued", population=1000)
    initiative = InitiativeFactory(municipality=amt, budget_eur=100000, title="Feuerwehrhaus")
    initiative.affected_municipalities.set([nord, sued])
    client = client_for(MembershipFactory(municipality=amt, role=Role.STRATEGY).user)
    url = reverse("priorities:balance_costs")
    data = {
        "initiative": initiative.pk,
        f"share_{nord.pk}": "50",
        f"share_{sued.pk}": "40",
    }
    response = client.post(url, data)
    assert response.status_code == 422 and "genau 100 %" in response.content.decode()
    data[f"share_{sued.pk}"] = "50"
    assert client.post(url, data).status_code == 302
    response = client.get(reverse("priorities:balance"))
    rows = {row["b"].name: row["b"] for row in response.context["rows"]}
    assert rows["Süd"].paid == Decimal(50000) and rows["Süd"].disadvantaged
    assert "Süd 50 %" in response.content.decode()

    round = PriorityRoundFactory(municipality=amt, status=RoundStatus.ADOPTED)
    detail = reverse("priorities:detail", args=[round.pk])
    assert "noch offen" in client.get(detail).content.decode()
    response = client.post(
        detail,
        {
            "member": sued.pk,
            "council": "Gemeindevertretung Süd",
            "signed_on": "2027-01-20",
            "reference": "GV 3/2027",
        },
    )
    assert response.status_code == 302
    assert "zugestimmt am 20. Januar 2027" in client.get(detail).content.decode()
