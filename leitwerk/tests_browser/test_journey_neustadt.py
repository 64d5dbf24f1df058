"""Issue 18, "Done when": a new municipality sets itself up in the browser, without /admin/ or
a terminal.

The operator (superuser) onboards "Neustadt" from the Gemeindeverzeichnis and invites its first
admin. The admin accepts the invitation, sets a password and the second factor, builds two
units, invites a project lead and a council member, configures single sign-on against the
test identity provider ("Verbindung prüfen" fetches its discovery document and keys), imports
a Leitbild and an action plan from the checklist, and announces a participation opportunity
that then appears on Neustadt's portal. Screenshots: docs/screenshots/admin-neustadt-*.png
(docs/HANDBUCH.md, "Kommune einrichten").
"""

from __future__ import annotations

import hashlib
import hmac
import re
import struct
import time
from base64 import b32decode
from urllib.parse import urlsplit

import pytest

from leitwerk.testing.oidc_provider import running_identity_provider

from .audit import run_axe
from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ADMIN = "verwaltung@neustadt.example"
PASSWORD = "Neustadt-richtet-sich-ein-2026!"  # noqa: S105 - the new admin's password here
SECRET_ENV = "LEITWERK_OIDC_SECRET_NEUSTADT"  # noqa: S105 - the variable's name, not a secret
PLAN_CSV = (
    "Nr.;Aktionsfeld;Vorhaben;Zielsetzung;Meilensteine\n"
    "1;Aktionsfeld A Bürgerservice;Termine online buchen;Kürzere Wartezeiten;Start im Bürgerbüro\n"
    "2;;Formulare in einfacher Sprache;Weniger Rückfragen;Zehn Formulare überarbeitet\n"
)
LEITBILD = """Leitbild der Gemeinde Neustadt

1. Offenheit
Wir hören einander zu.
Wir erklären unsere Entscheidungen.

2. Verantwortung
Wir gehen sorgsam mit öffentlichem Geld um.
"""


def _blocking(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['targets']}"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


def _totp(secret: str) -> str:
    """The code an authenticator app shows now (RFC 6238, 30 s, 6 digits)."""
    raw = secret.replace(" ", "").upper()
    raw += "=" * (-len(raw) % 8)
    digest = hmac.new(
        b32decode(raw), struct.pack(">Q", int(time.time()) // 30), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _page_as(browser, base_url: str, user=None, *, js: bool = True):
    """A fresh page, signed in as `user` through a server-side session (None: anonymous)."""
    from django.conf import settings
    from django.test import Client

    state = None
    if user is not None:
        client = Client()
        client.force_login(user)
        state = {
            "cookies": [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "domain": urlsplit(base_url).hostname,
                    "path": "/",
                    "httpOnly": True,
                    "secure": False,
                    "sameSite": "Lax",
                    "expires": -1,
                }
            ],
            "origins": [],
        }
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 1280, "height": 900},
        storage_state=state,
        java_script_enabled=js,
        locale="de-DE",
        timezone_id="Europe/Berlin",
        bypass_csp=True,  # axe is injected as a script tag
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def _invitation_link(email: str) -> str:
    # The live server shares the test's transaction, so the invitation mail (sent on commit)
    # never leaves; the journey builds the very link that mail carries.
    from leitwerk.accounts.invitations import invitation_token
    from leitwerk.accounts.models import Invitation

    invitation = (
        Invitation.objects.across_municipalities()
        .filter(user__email=email, accepted_at__isnull=True)
        .get()
    )
    return f"/konto/einladung/{invitation.pk}/{invitation_token(invitation)}/"


def _import_from_checklist(page, link: str, kind_label: str, name: str, content: str) -> None:
    page.goto("/arbeitsbereich/einrichten/")
    page.get_by_role("link", name=link).click()
    page.get_by_label(kind_label, exact=False).first.check()
    page.get_by_label("Datei", exact=True).set_input_files(
        {"name": name, "mimeType": "text/plain", "buffer": content.encode()}
    )
    page.get_by_role("button", name="Vorschau anzeigen").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Vorschau")
    title = page.get_by_label("Titel des Aktionsplans")
    if title.count():  # a plan file without a title: the preview asks for it
        title.fill("Aktionsplan Neustadt")
    page.get_by_role("button", name="Jetzt importieren").click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/import/laeufe/\d+/$"))
    assert page.get_by_text("fertig").count() >= 1


def test_neustadt_is_onboarded_and_sets_itself_up(browser, demo_server, tmp_path, monkeypatch):
    from leitwerk.accounts.models import User
    from leitwerk.devdata.demo.base import SUPERUSER_EMAIL
    from leitwerk.network.models import RegistryMunicipality

    RegistryMunicipality.objects.get_or_create(
        ags="01099999",
        defaults={"name": "Neustadt", "state": "Schleswig-Holstein", "population": 12400},
    )

    # 1. The operator finds Neustadt in the registry and invites its first admin.
    operator = _page_as(browser, demo_server, User.objects.get(email=SUPERUSER_EMAIL))
    operator.goto("/")
    operator.get_by_role("link", name="Kommunen anlegen").click()
    operator.get_by_label("Name oder Gemeindeschlüssel (AGS)").fill("Neustadt")
    operator.get_by_role("button", name="Suchen").click()
    row = operator.get_by_role("row").filter(has_text="01099999")
    row.get_by_role("link", name=re.compile("Übernehmen")).click()
    assert operator.locator("#id_slug").input_value() == "neustadt"
    operator.locator("#id_kind").select_option(label="Gemeinde")
    operator.get_by_label("E-Mail-Adresse der ersten Administration").fill(ADMIN)
    screenshot(operator, "admin-neustadt-onboarding", full_page=True)
    operator.get_by_role("button", name="Kommune anlegen und einladen").click()
    assert "Neustadt" in operator.locator(".messages").inner_text()

    # 2. The admin accepts the invitation, sets a password and the app code, and signs in.
    admin = _page_as(browser, demo_server)
    admin.goto(_invitation_link(ADMIN))
    assert "Neustadt" in admin.locator("main").inner_text()
    admin.locator("#id_password1").fill(PASSWORD)
    admin.locator("#id_password2").fill(PASSWORD)
    admin.get_by_role("button", name="Passwort speichern").click()
    admin.wait_for_url("**/konto/anmelden/**")
    login(admin, ADMIN, PASSWORD)
    admin.wait_for_url("**/konto/zwei-faktor/einrichten/")
    secret = admin.locator(".totp-secret").inner_text()
    admin.locator("#id_code").fill(_totp(secret))
    admin.get_by_role("button", name="Einrichtung abschließen").click()
    admin.get_by_role("link", name="Weiter").click()
    admin.get_by_role("link", name="Kommune einrichten").click()
    admin.wait_for_url("**/arbeitsbereich/einrichten/")
    assert "0 von 7 Schritten erledigt" in admin.locator("main").inner_text()
    screenshot(admin, "admin-neustadt-checklist-leer", full_page=True)

    # 3. Two units, the second below the first.
    admin.get_by_role("link", name="Organisationseinheiten").first.click()
    for unit, kind, parent in [
        ("Hauptamt", "Amt", None),
        ("Bürgerbüro", "Team", "Hauptamt"),
    ]:
        admin.get_by_role("link", name="Neue Einheit anlegen").click()
        admin.locator("#id_name").fill(unit)
        admin.locator("#id_kind").select_option(label=kind)
        if parent:
            admin.locator("#id_parent").select_option(label=parent)
        admin.get_by_role("button", name="Anlegen").click()
        admin.wait_for_url("**/arbeitsbereich/einrichten/einheiten/")
    table = admin.locator("table").inner_text()
    assert table.index("Hauptamt") < table.index("Bürgerbüro")

    # 4. A project lead of the Bürgerbüro and a council member.
    for email, first, last, role, unit in [
        ("projekt@neustadt.example", "Paula", "Plan", "Projektleitung", "Bürgerbüro"),
        ("rat@neustadt.example", "Rainer", "Rat", "Ratsmitglied", None),
    ]:
        admin.goto("/arbeitsbereich/personen/")
        admin.get_by_role("link", name="Person einladen").click()
        admin.locator("#id_email").fill(email)
        admin.locator("#id_first_name").fill(first)
        admin.locator("#id_last_name").fill(last)
        admin.get_by_label(role, exact=True).check()
        if unit:
            admin.locator("#id_unit").select_option(label=unit)
        admin.get_by_role("button", name="Einladung senden").click()
        admin.wait_for_url("**/arbeitsbereich/personen/")
        assert "ist eingeladen" in admin.locator(".messages").inner_text()
    people = admin.locator("main").inner_text()
    assert "Paula Plan" in people and "Rainer Rat" in people
    screenshot(admin, "admin-neustadt-personen", full_page=True)

    # 5. Single sign-on against the test identity provider, checked and switched on.
    monkeypatch.setenv(SECRET_ENV, "op-secret-" + "n" * 30)
    with running_identity_provider(
        tmp_path,
        client_id="leitwerk-neustadt",
        client_secret="op-secret-" + "n" * 30,
        redirect_uri=f"{demo_server}/konto/oidc/neustadt/login/callback/",
        users={"paula": ["projekt@neustadt.example", "leitwerk-projekte"]},
    ) as provider:
        admin.goto("/arbeitsbereich/einrichten/")
        admin.get_by_role("link", name="Anmeldung einrichten").click()
        admin.get_by_label("Bezeichnung").fill("Gemeindeverwaltung Neustadt")
        admin.get_by_label("Aussteller (Issuer)").fill(provider.issuer)
        admin.get_by_label("Client-ID").fill("leitwerk-neustadt")
        admin.get_by_label("Umgebungsvariable mit dem Client-Secret").fill(SECRET_ENV)
        admin.get_by_label("Angefragte Scopes").fill("openid profile email groups")
        admin.get_by_label("Gruppen → Rollen").fill("leitwerk-projekte = project_lead")
        admin.get_by_label("Erlaubte E-Mail-Domains").fill("neustadt.example")
        admin.get_by_label("Anmeldung über die Verwaltung einschalten").check()
        admin.get_by_role("button", name="Speichern").click()
        admin.get_by_role("button", name="Verbindung prüfen").click()
        result = admin.get_by_role("heading", name=re.compile("Ergebnis der Prüfung"))
        assert "alles in Ordnung" in result.inner_text()
        screenshot(admin, "admin-neustadt-anmeldung", full_page=True)

    # 6. Leitbild and action plan, both imported from the checklist.
    _import_from_checklist(admin, "Leitbild importieren", "Leitbild", "leitbild.txt", LEITBILD)
    _import_from_checklist(
        admin, "Aktionsplan importieren", "Aktionsplan", "aktionsplan.csv", PLAN_CSV
    )
    admin.get_by_role("link", name="Zum importierten Aktionsplan").click()
    assert admin.get_by_role("link", name="Termine online buchen").count() == 1

    # 7. How often Vorhaben report, and how early reminders go out.
    admin.goto("/arbeitsbereich/einrichten/")
    admin.get_by_role("link", name="Berichtsintervall und Erinnerungen").click()
    admin.get_by_label("Vorlauf der Erinnerung (Arbeitstage)").fill("5")
    admin.get_by_role("button", name="Einstellungen speichern").click()
    assert "gespeichert" in admin.locator(".messages").inner_text()
    screenshot(admin, "admin-neustadt-erinnerungen", full_page=True)
    assert _blocking(admin) == []

    # 8. A Rahmenkonzept framing the imported plan.
    admin.goto("/arbeitsbereich/einrichten/")
    admin.get_by_role("link", name="Rahmenkonzepte").click()
    admin.get_by_role("link", name="Neues Rahmenkonzept anlegen").click()
    admin.get_by_label("Titel").fill("Konzept Bürgerservice 2030")
    admin.get_by_label("gültig ab").fill("2026-01-01")
    admin.get_by_label("gültig bis").fill("2030-12-31")
    admin.get_by_role("group", name="Aktionspläne").get_by_role("checkbox").first.check()
    admin.get_by_role("button", name="Anlegen").click()
    admin.wait_for_url(re.compile(r"/arbeitsbereich/ziele/rahmenkonzepte/"))
    concept = admin.get_by_role("region", name=re.compile("Konzept Bürgerservice 2030"))
    assert "Aktionsplan Neustadt" in concept.inner_text()
    screenshot(admin, "admin-neustadt-rahmenkonzepte", full_page=True)
    assert _blocking(admin) == []

    # 9. A participation opportunity, public: it appears on Neustadt's portal.
    admin.goto("/arbeitsbereich/einrichten/")
    admin.get_by_role("link", name="Beteiligungsangebote").click()
    admin.get_by_role("link", name="Neues Beteiligungsangebot anlegen").click()
    admin.get_by_label("Titel").fill("Ortsrundgang Marktplatz")
    admin.get_by_label("Worum es geht").fill(
        "Wir gehen gemeinsam über den Marktplatz. Sie sagen uns, was fehlt."
    )
    admin.get_by_label("Für wen").fill("alle Einwohnerinnen und Einwohner")
    admin.get_by_label("Beginn").fill("2030-05-04T17:00")
    admin.get_by_label("Ende").fill("2030-05-04T19:00")
    admin.get_by_label("Ort", exact=True).fill("Marktplatz, vor dem Rathaus")
    admin.get_by_label("So machen Sie mit").fill("Kommen Sie einfach vorbei.")
    admin.get_by_label("öffentlich").check()
    screenshot(admin, "admin-neustadt-beteiligung", full_page=True)
    assert _blocking(admin) == []
    admin.get_by_role("button", name="Anlegen").click()
    admin.wait_for_url(re.compile(r"/arbeitsbereich/beteiligung/"))
    assert "Ortsrundgang Marktplatz" in admin.locator("main").inner_text()
    assert _blocking(admin) == []

    admin.goto("/arbeitsbereich/einrichten/")
    done = admin.locator(".lead").inner_text()
    screenshot(admin, "admin-neustadt-checklist", full_page=True)
    assert re.search(r"[5-7] von 7 Schritten erledigt", done), done

    citizen = _page_as(browser, demo_server, js=False)
    citizen.goto("/neustadt/mitmachen/")
    row = citizen.locator("#angebote-caption").locator("..")
    assert "Ortsrundgang Marktplatz" in row.inner_text()
    assert "alle Einwohnerinnen und Einwohner" in row.inner_text()
    screenshot(citizen, "admin-neustadt-portal-mitmachen", full_page=True)
