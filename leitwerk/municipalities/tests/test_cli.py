"""The command-line contracts other tools rely on (`leitwerk municipality|user create`)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from leitwerk.core.models import AuditLogEntry
from leitwerk.municipalities.models import Membership, Municipality, OrganisationalUnit

pytestmark = pytest.mark.django_db


def test_municipality_create_stores_the_tenant_and_audits_it():
    call_command("municipality", "create", "neustadt", "--name", "Neustadt", "--ags", "09123456")
    town = Municipality.objects.get(slug="neustadt")
    assert (town.name, town.ags, town.kind) == ("Neustadt", "09123456", "stadt")
    assert AuditLogEntry.objects.filter(action="municipality.create", municipality=town).exists()


def test_member_municipality_points_to_its_amt():
    call_command("municipality", "create", "amt-x", "--name", "Amt X", "--kind", "amt")
    call_command(
        "municipality",
        "create",
        "dorf",
        "--name",
        "Dorf",
        "--kind",
        "gemeinde",
        "--parent",
        "amt-x",
    )
    assert Municipality.objects.get(slug="dorf").parent.slug == "amt-x"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "Nochmal"], "gibt es schon"),
        (["--name", "K", "--kind", "planet"], "Unbekannte Art"),
        (["--name", "K", "--ags", "123"], "8 Ziffern"),
        (["--name", "K", "--parent", "fehlt"], "gibt es nicht"),
    ],
)
def test_municipality_create_rejects_bad_input_and_changes_nothing(args, message):
    Municipality.objects.create(name="Bestand", slug="bestand")
    slug = "bestand" if "Nochmal" in args else "neu"
    with pytest.raises(CommandError, match=message):
        call_command("municipality", "create", slug, *args)
    assert list(Municipality.objects.values_list("slug", flat=True)) == ["bestand"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "K", "--ags", "0912345x"], "8 Ziffern"),
        (["--name", "K", "--ags", "091234567"], "8 Ziffern"),
        (["--name", "K", "--ags", "09123456"], "hat schon die Kommune „Bestand“"),
        (["--name", "K", "--kind", "amt", "--parent", "amt-x"], "Ein Amt kann nicht Mitglied"),
        (["--name", "K", "--kind", "kreis", "--parent", "amt-x"], "Ein Kreis kann nicht Mitglied"),
        (["--name", "K", "--kind", "gemeinde", "--parent", "bestand"], "ist kein Amt"),
        (["--name", ""], "Name: "),
        (["--name", "K", "--population", "-3"], "Einwohnerzahl: "),
    ],
)
def test_municipality_create_refuses_nonsense_and_changes_nothing(args, message):
    Municipality.objects.create(name="Bestand", slug="bestand", ags="09123456")
    Municipality.objects.create(name="Amt X", slug="amt-x", kind="amt")
    with pytest.raises(CommandError, match=message):
        call_command("municipality", "create", "neu", *args)
    assert not Municipality.objects.filter(slug="neu").exists()


def test_a_missing_required_option_is_named_in_german():
    with pytest.raises(CommandError, match="Pflichtangabe fehlt: --name"):
        call_command("municipality", "create", "neu")


def test_reserved_slug_is_refused_because_the_portal_lives_at_the_slug():
    with pytest.raises(CommandError, match="reserviert"):
        call_command("municipality", "create", "admin", "--name", "Admin")


def test_user_create_gives_a_role_that_can_sign_in():
    town = Municipality.objects.create(name="Neustadt", slug="neustadt")
    OrganisationalUnit.objects.create(municipality=town, name="Stadtplanung", code="FB 61")
    call_command(
        "user",
        "create",
        "Planer@Example.org",
        "--municipality",
        "neustadt",
        "--role",
        "unit_editor",
        "--unit",
        "FB 61",
        "--password",
        "Lange-Passphrase-2027",
    )
    user = get_user_model().objects.get(email="planer@example.org")
    assert user.check_password("Lange-Passphrase-2027")
    membership = Membership.objects.get(user=user)
    assert (membership.municipality, membership.role, membership.unit.code) == (
        town,
        "unit_editor",
        "FB 61",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--municipality", "neustadt", "--role", "emperor"], "Unbekannte Rolle"),
        (["--municipality", "fehlt", "--role", "viewer"], "gibt es nicht"),
        (
            ["--municipality", "neustadt", "--role", "viewer", "--unit", "FB 99"],
            "Organisationseinheit",
        ),
        (["--municipality", "neustadt", "--role", "viewer", "--password", "123"], "zu kurz"),
        (
            ["--municipality", "neustadt", "--role", "unit_editor"],
            "braucht eine Organisationseinheit",
        ),
        (["--municipality", "neustadt"], "Pflichtangabe fehlt: --role"),
    ],
)
def test_user_create_rejects_bad_input_and_changes_nothing(args, message):
    Municipality.objects.create(name="Neustadt", slug="neustadt")
    with pytest.raises(CommandError, match=message):
        call_command("user", "create", "person@example.org", *args)
    assert not get_user_model().objects.exists()
    assert not Membership.objects.exists()


def test_user_create_refuses_an_invalid_email():
    Municipality.objects.create(name="Neustadt", slug="neustadt")
    with pytest.raises(CommandError, match="keine gültige E-Mail"):
        call_command(
            "user", "create", "kein-at-zeichen", "--municipality", "neustadt", "--role", "viewer"
        )
    assert not get_user_model().objects.exists()


def test_the_same_person_can_hold_roles_in_two_municipalities():
    Municipality.objects.create(name="A", slug="a")
    Municipality.objects.create(name="B", slug="b")
    for slug in ("a", "b"):
        call_command("user", "create", "p@example.org", "--municipality", slug, "--role", "viewer")
    assert Membership.objects.filter(user__email="p@example.org").count() == 2
