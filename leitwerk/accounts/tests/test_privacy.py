"""Data subject requests for staff accounts (catalogue row F10): export and deletion.

`leitwerk user export EMAIL -o FILE` writes everything stored about a person;
`leitwerk user delete EMAIL` removes their personal data, and the audit trail and the
content they wrote name a pseudonym instead.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from leitwerk.accounts.privacy import PSEUDONYM_FIRST
from leitwerk.controlling.models import Comment
from leitwerk.controlling.services import comment_create
from leitwerk.controlling.tests.factories import StatusReportFactory
from leitwerk.core.audit import audit
from leitwerk.core.models import AuditLogEntry
from leitwerk.municipalities.models import Membership, Role
from leitwerk.municipalities.services import user_create
from leitwerk.testing.world import build_world

pytestmark = pytest.mark.django_db

EMAIL = "paula.person@musterstadt.test"


@pytest.fixture
def person(musterstadt, admin_user, viewer):
    """A project lead with a trail: created by the admin, responsible, commenting, reporting."""
    world = build_world(musterstadt, "EIGEN")
    user = user_create(
        email=EMAIL,
        municipality=musterstadt,
        role=Role.PROJECT_LEAD,
        unit_name=None,
        password="ein-langes-Passwort-2026",
        actor=admin_user,
    )
    user.first_name, user.last_name = "Paula", "Personsdottir"
    user.save()
    world.initiative.responsible_people.add(user)
    comment_create(
        initiative=world.initiative,
        actor=user,
        text="Wir brauchen noch eine Zahl für Q2.",
        feedback_from=[viewer],
    )
    comment_create(
        initiative=world.initiative,
        actor=admin_user,
        text="Bitte um Rückmeldung.",
        feedback_from=[user],
    )
    StatusReportFactory(
        municipality=musterstadt, initiative=world.initiative, author=user, text="Läuft."
    )
    audit(
        actor=admin_user,
        action="test.mention",
        target=world.initiative,
        data={"note": f"Übergabe an Paula Personsdottir ({EMAIL})"},
    )
    return user, world


def test_export_writes_everything_stored_about_the_person(person, tmp_path):
    user, world = person
    out = tmp_path / "auskunft.json"
    call_command("user", "export", EMAIL, "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))

    assert data["account"]["email"] == EMAIL
    assert data["account"]["last_name"] == "Personsdottir"
    assert [(m["municipality"], m["role"]) for m in data["memberships"]] == [
        ("musterstadt", "project_lead")
    ]
    assert "comment.create" in {e["action"] for e in data["audit_entries_by_person"]}
    about = {e["action"] for e in data["audit_entries_about_person"]}
    assert {"membership.create", "test.mention"} <= about
    related = data["related"]
    assert [r["id"] for r in related["plans.Initiative.responsible_people"]] == [
        world.initiative.pk
    ]
    assert [r["text"] for r in related["controlling.Comment.author"]] == [
        "Wir brauchen noch eine Zahl für Q2."
    ]
    assert [r["text"] for r in related["controlling.Comment.feedback_from"]] == [
        "Bitte um Rückmeldung."
    ]
    assert [r["text"] for r in related["plans.StatusReport.author"]] == ["Läuft."]
    # The password hash is not personal data to hand out, and a risk in a mailed file.
    assert "pbkdf2" not in out.read_text() and "argon2" not in out.read_text()
    assert data["account"]["has_usable_password"] is True


def test_export_of_an_unknown_person_is_one_german_error(db, tmp_path):
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("user", "export", "niemand@example.org", "-o", str(tmp_path / "x.json"))


def _residual(user_id: int, needles: list[str]) -> list[str]:
    """Every place a needle still occurs: user row columns and audit trail texts."""
    found = []
    row = get_user_model().objects.filter(pk=user_id).values().first() or {}
    for column, value in row.items():
        if any(n.lower() in str(value).lower() for n in needles):
            found.append(f"accounts.User.{column}")
    for entry in AuditLogEntry.objects.all():
        text = entry.target_repr + json.dumps(entry.data, ensure_ascii=False)
        if any(n.lower() in text.lower() for n in needles):
            found.append(f"AuditLogEntry {entry.pk} {entry.action}")
    return found


def test_delete_pseudonymises_the_trail_and_keeps_the_content(
    person, client, client_for, viewer, password
):
    user, world = person
    authored_by_person = AuditLogEntry.objects.filter(actor=user).count()
    assert authored_by_person >= 1
    assert _residual(user.pk, [EMAIL, "Personsdottir"])  # the check below can fail

    call_command("user", "delete", EMAIL)

    user.refresh_from_db()
    pseudonym = str(user)
    assert pseudonym.startswith(f"{PSEUDONYM_FIRST} #")
    assert _residual(user.pk, [EMAIL, "Personsdottir", "Paula Person"]) == []
    # No sign-in, no role, no responsibility, no open feedback request.
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post("/konto/anmelden/")
    assert authenticate(request, email=EMAIL, password="ein-langes-Passwort-2026") is None
    assert not user.is_active and not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    assert user not in world.initiative.responsible_people.all()
    assert not Comment.objects.filter(feedback_from=user).exists()
    # The trail keeps its entries, attributed to the pseudonym.
    assert AuditLogEntry.objects.filter(actor=user).count() == authored_by_person
    mention = AuditLogEntry.objects.get(action="test.mention")
    assert mention.data["note"] == f"Übergabe an {pseudonym} ({pseudonym})"
    # Content stays and names the pseudonym on the page.
    comment = Comment.objects.get(text="Wir brauchen noch eine Zahl für Q2.")
    assert comment.author_id == user.pk
    page = client_for(viewer).get(
        reverse("controlling:comments", kwargs={"pk": world.initiative.pk})
    )
    body = page.content.decode()
    assert "Wir brauchen noch eine Zahl für Q2." in body
    assert "Personsdottir" not in body
    assert AuditLogEntry.objects.filter(action="user.delete", target_id=str(user.pk)).exists()


def test_delete_twice_or_unknown_is_refused(person):
    call_command("user", "delete", EMAIL)
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("user", "delete", EMAIL)
    tombstone = get_user_model().objects.get(first_name=PSEUDONYM_FIRST)
    with pytest.raises(CommandError, match="bereits gelöscht"):
        call_command("user", "delete", tombstone.email)


def test_delete_leaves_other_people_alone(person, admin_user):
    before = get_user_model().objects.filter(pk=admin_user.pk).values().first()
    call_command("user", "delete", EMAIL)
    assert get_user_model().objects.filter(pk=admin_user.pk).values().first() == before
    assert Membership.objects.filter(user=admin_user).exists()
