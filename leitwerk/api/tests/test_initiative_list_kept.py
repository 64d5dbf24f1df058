"""The API's list of Vorhaben is kept in the cache until the municipality's next audited write
(issue 21): a change shows on the next request, one town's list never reaches another, and the
linked ids read for a whole page are the ones a single Vorhaben shows."""

from __future__ import annotations

from leitwerk.accounts.tests.factories import UserFactory

API = "/api/v1"


def _row(page: dict, pk: int) -> dict:
    return next(row for row in page["results"] if row["id"] == pk)


def test_a_status_report_shows_in_the_list_on_the_next_request(
    worlds, token_client, strategy_user, musterstadt
):
    own, _other = worlds
    client = token_client(strategy_user, musterstadt)
    pk = own.initiative.pk
    before = _row(client.get(f"{API}/initiatives/").json(), pk)["progress"]
    assert before["owner_health"] != "off_track"
    answer = client.post(
        f"{API}/initiatives/{pk}/status-reports/",
        {"health": "off_track", "text": "Verzug", "off_track_note": "Lieferant insolvent"},
        format="json",
    )
    assert answer.status_code == 201
    after = _row(client.get(f"{API}/initiatives/").json(), pk)["progress"]
    assert after["owner_health"] == "off_track"


def test_the_kept_list_of_one_town_is_never_served_to_another(
    worlds, token_client, strategy_user, other_town_admin, musterstadt, other_town
):
    own, other = worlds
    ours = token_client(strategy_user, musterstadt)
    theirs = token_client(other_town_admin, other_town)
    for _round in range(2):
        our_ids = {row["id"] for row in ours.get(f"{API}/initiatives/").json()["results"]}
        their_ids = {row["id"] for row in theirs.get(f"{API}/initiatives/").json()["results"]}
        assert own.initiative.pk in our_ids and own.initiative.pk not in their_ids
        assert other.initiative.pk in their_ids and other.initiative.pk not in our_ids


def test_the_list_names_the_responsible_people_in_the_same_order_as_the_vorhaben_itself(
    worlds, token_client, strategy_user, musterstadt
):
    own, _other = worlds
    initiative = own.initiative
    # Created first, but sorted last by name: the order is the people's, not the ids'.
    zander = UserFactory(email="zander@musterstadt.test", last_name="Zander")
    adler = UserFactory(email="adler@musterstadt.test", last_name="Adler")
    initiative.responsible_people.add(zander, adler)
    client = token_client(strategy_user, musterstadt)
    listed = _row(client.get(f"{API}/initiatives/").json(), initiative.pk)
    single = client.get(f"{API}/initiatives/{initiative.pk}/").json()
    for name in ("responsible_people", "statements", "goals"):
        assert listed[name] == single[name], name
    people = listed["responsible_people"]
    assert people.index(adler.pk) < people.index(zander.pk)
    assert listed["statements"] and listed["goals"]
