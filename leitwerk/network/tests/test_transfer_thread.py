"""A transfer request that goes somewhere: answered, accepted with a contact, declined with a
reason, closed; both towns read the thread and hear about it (notice and e-mail)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.core.models import AuditLogEntry, Notice
from leitwerk.municipalities.models import Role
from leitwerk.municipalities.tests.factories import MembershipFactory
from leitwerk.network import corpus
from leitwerk.network.models import SharedInitiative
from leitwerk.network.services import transfer_request_create

pytestmark = pytest.mark.django_db


def person(municipality, role=Role.STRATEGY, email=None):
    user = UserFactory(**({"email": email} if email else {}))
    MembershipFactory(user=user, municipality=municipality, role=role)
    return user


@pytest.fixture
def asked():
    """Eichental asks Westerfeld about its shared Vorhaben."""
    _network, by_key = corpus.load()
    shared = SharedInitiative.objects.across_municipalities().get(
        initiative=by_key["westerfeld-hitze"]
    )
    asking, receiving = by_key["eichental-waerme"].municipality, shared.municipality
    asker = person(asking, email="frager@eichental.example")
    office = person(receiving, email="stab@westerfeld.example")
    request = transfer_request_create(
        municipality=asking,
        actor=asker,
        shared_initiative=shared,
        message="Wie haben Sie die Hitzeschutzräume ausgewählt?",
        contact_role="Stabsstelle",
    )
    return request, asker, office, by_key


def _url(name, request):
    return reverse(f"network:{name}", args=[request.pk])


def test_the_asked_town_answers_accepts_and_the_asker_then_sees_the_contact(
    asked, client_for, django_capture_on_commit_callbacks
):
    request, asker, office, _towns = asked
    receiver = client_for(office)
    page = receiver.get(_url("request_detail", request)).content.decode()
    assert "Hitzeschutzräume" in page and "Anfrage annehmen" in page
    asking = client_for(asker)
    before = asking.get(_url("request_detail", request)).content.decode()
    assert "stab@westerfeld.example" not in before and "sobald" in before
    with django_capture_on_commit_callbacks(execute=True):
        response = receiver.post(_url("request_reply", request), {"text": "Gern, kurz vorab: …"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "answered"
    assert Notice.objects.filter(recipient=asker, municipality=request.municipality).count() == 1
    assert [m.to for m in mail.outbox] == [["frager@eichental.example"]]
    with django_capture_on_commit_callbacks(execute=True):
        receiver.post(
            _url("request_accept", request),
            {"contact_name": "Petra Hitz", "contact_email": "hitz@westerfeld.example"},
        )
    after = asking.get(_url("request_detail", request)).content.decode()
    assert "Petra Hitz" in after and "hitz@westerfeld.example" in after
    assert "Gern, kurz vorab" in after and "angenommen" in after
    my_updates = asking.get(reverse("controlling:my_updates")).content.decode()
    assert "hat Ihre Anfrage zu" in my_updates and _url("request_detail", request) in my_updates
    assert AuditLogEntry.objects.filter(action="network.transfer_accepted").count() == 1


def test_a_declined_request_names_its_reason_and_takes_no_more_messages(asked, client_for):
    request, asker, office, _towns = asked
    receiver = client_for(office)
    short = receiver.post(_url("request_decline", request), {"note": "Nein."})
    assert short.status_code == 400 and "mindestens 10 Zeichen" in short.content.decode()
    receiver.post(_url("request_decline", request), {"note": "Das Projekt ruht bis 2027."})
    request.refresh_from_db()
    assert request.status == "declined" and request.contact_email == ""
    page = client_for(asker).get(_url("request_detail", request)).content.decode()
    assert "Das Projekt ruht bis 2027." in page and "Nachricht senden" not in page
    late = client_for(asker).post(_url("request_reply", request), {"text": "Schade!"})
    assert late.status_code == 400 and "abgelehnt" in late.content.decode()


def test_only_the_asked_town_accepts_and_strangers_get_404(asked, client_for):
    request, asker, _office, towns = asked
    accept = {"contact_name": "Ich", "contact_email": "ich@eichental.example"}
    response = client_for(asker).post(_url("request_accept", request), accept)
    assert response.status_code == 400 and "nur die angefragte Kommune" in response.content.decode()
    stranger = person(towns["nordhafen-termine"].municipality)
    assert client_for(stranger).get(_url("request_detail", request)).status_code == 404
    assert (
        client_for(stranger).post(_url("request_reply", request), {"text": "x"}).status_code == 404
    )
    viewer = person(request.municipality, Role.VIEWER)
    assert (
        client_for(viewer).post(_url("request_reply", request), {"text": "Hallo"}).status_code
        == 403
    )


def test_a_notice_is_marked_done_by_its_recipient_only(asked, client_for):
    request, asker, office, _towns = asked
    client_for(office).post(_url("request_close", request), {"note": ""})
    notice = Notice.objects.get(recipient=asker)
    other = person(request.municipality)
    assert (
        client_for(other).post(reverse("controlling:notice_done", args=[notice.pk])).status_code
        == 404
    )
    client_for(asker).post(reverse("controlling:notice_done", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.done_at is not None
    assert (
        "abgeschlossen"
        not in client_for(asker).get(reverse("controlling:my_updates")).content.decode()
    )


def test_transfer_cities_of_the_plan_lead_to_the_member_and_its_shared_vorhaben(asked, client_for):
    from leitwerk.plans.models import TransferCity

    request, asker, _office, towns = asked
    own = towns["eichental-waerme"]
    westerfeld = request.shared_initiative.municipality
    TransferCity.objects.create(municipality=own.municipality, initiative=own, name=westerfeld.name)
    TransferCity.objects.create(municipality=own.municipality, initiative=own, name="Fernhausen")
    page = client_for(asker).get(reverse("network:initiative", args=[own.pk])).content.decode()
    assert "Kommunen, von denen wir lernen wollen" in page
    assert reverse("network:shared", args=[request.shared_initiative.pk]) in page
    assert "nicht in unseren Netzwerken" in page  # Fernhausen
