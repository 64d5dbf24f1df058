"""Web import: upload → preview (nothing saved) → confirm (saved), for the roles allowed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leitwerk.plans.models import ActionPlan, Initiative

PLAN_CSV = (
    "Nr.;Aktionsfeld;Vorhaben;Zielsetzung;Meilensteine;Indikatoren\n"
    "1;Aktionsfeld A Digitale Verwaltung;Online-Terminvergabe;Kürzere Wartezeiten;"
    "Ausschreibung fertig;Wartezeit in Minuten\n"
    "2;;Digitale Akte;Weniger Papier;Pilot im Bürgeramt;Anteil digitaler Vorgänge\n"
).encode()


def upload(client, content=PLAN_CSV, name="aktionsplan.csv", kind="plan"):
    return client.post(
        reverse("imports:upload"),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize("persona", ["viewer", "council_member", "project_lead", "unit_editor"])
def test_only_strategy_office_and_admins_may_import(request, persona, client_for):
    client = client_for(request.getfixturevalue(persona))
    plans_before = ActionPlan.objects.count()
    assert client.get(reverse("imports:upload")).status_code == 404
    assert upload(client).status_code == 404
    assert ActionPlan.objects.count() == plans_before


def test_preview_shows_the_tree_and_saves_nothing(strategy_user, client_for):
    client = client_for(strategy_user)
    response = upload(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Online-Terminvergabe" in page and "Digitale Akte" in page
    assert "Jetzt importieren" in page
    assert not ActionPlan.objects.exists()


def test_confirming_the_preview_imports_the_plan(strategy_user, client_for, musterstadt):
    client = client_for(strategy_user)
    token = upload(client).context["token"]
    response = client.post(reverse("imports:confirm"), {"token": token, "action": "import"})
    plan = ActionPlan.objects.get(municipality=musterstadt)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert set(
        Initiative.objects.filter(municipality=musterstadt).values_list("title", flat=True)
    ) == {
        "Online-Terminvergabe",
        "Digitale Akte",
    }


def test_cancel_discards_the_upload(strategy_user, client_for):
    client = client_for(strategy_user)
    token = upload(client).context["token"]
    client.post(reverse("imports:confirm"), {"token": token, "action": "cancel"})
    response = client.post(reverse("imports:confirm"), {"token": token, "action": "import"})
    assert response.status_code == 302
    assert not ActionPlan.objects.exists()


def test_a_broken_file_is_explained_in_german_and_changes_nothing(strategy_user, client_for):
    response = upload(client_for(strategy_user), b"PK\x03\x04 kaputt", name="plan.xlsx")
    assert response.status_code == 422
    assert "konnte nicht importiert werden" in response.content.decode()
    assert "Es wurde nichts gespeichert" in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_another_persons_upload_cannot_be_confirmed(
    strategy_user, admin_user, other_town_admin, client_for
):
    token = upload(client_for(strategy_user)).context["token"]
    for intruder in (admin_user, other_town_admin):
        client_for(intruder).post(reverse("imports:confirm"), {"token": token, "action": "import"})
    assert not ActionPlan.objects.exists()
