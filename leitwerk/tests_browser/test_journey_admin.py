"""The municipality's admin sets Musterstadt up in the browser, without /admin/ or a terminal.

Checklist → two units as a tree → a project lead invited → the invitation mail, queued and
retried once after the mail server hung up → the invitee sets a password from the
link and signs in → the admin gives them a second role. Screenshots: docs/screenshots/admin-*.
The invitee works without JavaScript; the admin's pages are checked with axe.
"""

from __future__ import annotations

import re

import pytest

from .audit import run_axe
from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

INVITEE = "neu.projekt@musterstadt.example"
NEW_PASSWORD = "Ein-langes-Passwort-2026!"  # noqa: S105 - the invitee's password in this journey


def _blocking(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['targets']}"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


def _invitation_link_from_the_mail() -> str:
    """Run the queued invitation mail as the worker would and read the link from the mail.

    The server shares the test's transaction, so the task queued on commit never starts by
    itself. The first attempt meets a mail server that hangs up: the mail is tried again
    (core/mail.py) and arrives.
    """
    from django.core import mail
    from django.test import override_settings

    from leitwerk.accounts.models import Invitation
    from leitwerk.accounts.tasks import send_invitation_mail
    from leitwerk.testing.mail import FailingBackend

    invitation = (
        Invitation.objects.across_municipalities()
        .filter(user__email=INVITEE, accepted_at__isnull=True)
        .get()
    )
    FailingBackend.reset(fail_next=1)
    with override_settings(EMAIL_BACKEND="leitwerk.testing.mail.FailingBackend"):
        send_invitation_mail.enqueue(invitation.pk)
    assert FailingBackend.attempts == 2
    sent = [m for m in mail.outbox if m.to == [INVITEE]]
    assert len(sent) == 1, [m.to for m in mail.outbox]
    link = re.search(r"/konto/einladung/\d+/[0-9a-f]+/", sent[0].body)
    assert link, sent[0].body
    return link.group(0)


def test_admin_sets_up_units_invites_a_project_lead_and_changes_a_role(new_page):
    page = new_page("musterstadt-admin")  # with JS: axe checks the pages
    page.goto("/")
    page.get_by_role("link", name="Kommune einrichten").click()
    page.wait_for_url("**/arbeitsbereich/einrichten/")
    assert page.get_by_role("heading", name="Kommune einrichten", level=1).is_visible()
    screenshot(page, "admin-checklist", full_page=True)
    assert _blocking(page) == []

    # Two units, the second below the first.
    page.get_by_role("link", name="Organisationseinheiten").first.click()
    for name, kind, parent in [
        ("Dezernat Zukunft", "Dezernat", None),
        ("Team Digitalisierung", "Team", "Dezernat Zukunft"),
    ]:
        page.get_by_role("link", name="Neue Einheit anlegen").click()
        page.locator("#id_name").fill(name)
        page.locator("#id_kind").select_option(label=kind)
        if parent:
            page.locator("#id_parent").select_option(label=parent)
        page.get_by_role("button", name="Anlegen").click()
        page.wait_for_url("**/arbeitsbereich/einrichten/einheiten/")
    table = page.locator("table").inner_text()
    assert table.index("Dezernat Zukunft") < table.index("Team Digitalisierung")
    screenshot(page, "admin-units", full_page=True)
    assert _blocking(page) == []

    # Invite a project lead of the new team.
    page.goto("/arbeitsbereich/personen/")
    page.get_by_role("link", name="Person einladen").click()
    page.locator("#id_email").fill(INVITEE)
    page.locator("#id_first_name").fill("Nora")
    page.locator("#id_last_name").fill("Neumann")
    page.get_by_label("Projektleitung", exact=True).check()
    page.locator("#id_unit").select_option(label="Team Digitalisierung")
    screenshot(page, "admin-invite", full_page=True)
    assert _blocking(page) == []
    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_url("**/arbeitsbereich/personen/")
    assert "ist eingeladen" in page.locator(".messages").inner_text()
    row = page.get_by_role("row", name=re.compile("Nora Neumann"))
    assert "eingeladen" in row.inner_text()
    screenshot(page, "admin-people", full_page=True)
    assert _blocking(page) == []

    # The invitee opens the link, sets a password and signs in.
    invitee = new_page("anonym", js=False)
    invitee.goto(_invitation_link_from_the_mail())
    assert "Musterstadt" in invitee.locator("main").inner_text()
    invitee.locator("#id_password1").fill(NEW_PASSWORD)
    invitee.locator("#id_password2").fill(NEW_PASSWORD)
    screenshot(invitee, "admin-invitation-accept", full_page=True)
    invitee.get_by_role("button", name="Passwort speichern").click()
    invitee.wait_for_url("**/konto/anmelden/**")
    login(invitee, INVITEE, NEW_PASSWORD)
    assert "Nora Neumann" in invitee.locator("header").inner_text()

    # The admin sees the person active now and gives them a second role.
    page.goto("/arbeitsbereich/personen/")
    page.get_by_role("link", name="Nora Neumann").click()
    assert "aktiv" in page.locator(".facts").inner_text()
    page.get_by_label("Lesezugriff", exact=True).check()
    page.get_by_role("button", name="Rollen speichern").click()
    page.wait_for_url("**/arbeitsbereich/personen/")
    row = page.get_by_role("row", name=re.compile("Nora Neumann"))
    assert "Projektleitung" in row.inner_text() and "Lesezugriff" in row.inner_text()
    assert "aktiv" in row.inner_text()
