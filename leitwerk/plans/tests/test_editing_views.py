"""Journeys through the editing pages, as a person would click through them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leitwerk.controlling.tests.factories import MeasurementFactory
from leitwerk.core.tests.querycount import assert_constant_queries
from leitwerk.plans.models import Attachment, Initiative, Measurement, Milestone, StatusReport
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
)


def _initiative_form(initiative: Initiative, **overrides) -> dict:
    data = {
        "number": initiative.number,
        "title": initiative.title,
        "objective": initiative.objective,
        "description": initiative.description,
        "status": initiative.status,
        "lead_unit": initiative.lead_unit_id or "",
        "start_date": initiative.start_date or "",
        "end_date": initiative.end_date or "",
        "period_text": initiative.period_text,
        "weight": "1",
        "expected_version": initiative.version,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_strategy_office_creates_and_edits_a_vorhaben(strategy_user, musterstadt, client_for):
    client = client_for(strategy_user)
    field = ActionFieldFactory(municipality=musterstadt)
    url = reverse("plans:initiative_create", args=[field.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Titel des Vorhabens" in page.content.decode()

    missing = client.post(url, {"weight": "1", "status": "planned"})
    assert missing.status_code == 422
    html = missing.content.decode()
    assert 'class="error-summary"' in html and 'href="#id_title"' in html
    assert 'aria-describedby="id_title-error"' in html and 'aria-invalid="true"' in html

    created = client.post(url, {"title": "Bürgerportal", "weight": "1", "status": "planned"})
    initiative = Initiative.objects.get(title="Bürgerportal")
    assert created.status_code == 302
    assert created["Location"] == reverse("plans:initiative_detail", args=[initiative.pk])

    edit_url = reverse("plans:initiative_edit", args=[initiative.pk])
    assert client.get(edit_url).status_code == 200
    saved = client.post(edit_url, _initiative_form(initiative, objective="Alles online"))
    assert saved.status_code == 302
    initiative.refresh_from_db()
    assert initiative.objective == "Alles online" and initiative.version == 2


@pytest.mark.django_db
def test_concurrent_edit_shows_the_conflict_and_keeps_the_input(
    strategy_user, admin_user, musterstadt, client_for
):
    initiative = InitiativeFactory(municipality=musterstadt, title="Alt", objective="Ziel alt")
    anna, sina = client_for(admin_user), client_for(strategy_user)
    edit_url = reverse("plans:initiative_edit", args=[initiative.pk])
    # Both open the form at version 1.
    assert 'name="expected_version" value="1"' in anna.get(edit_url).content.decode()
    assert 'name="expected_version" value="1"' in sina.get(edit_url).content.decode()

    first = anna.post(edit_url, _initiative_form(initiative, title="Titel von Anna"))
    assert first.status_code == 302

    second = sina.post(
        edit_url, _initiative_form(initiative, title="Titel von Sina", objective="Ziel von Sina")
    )
    assert second.status_code == 409
    html = second.content.decode()
    assert "Jemand anderes hat inzwischen gespeichert" in html
    assert "Titel von Anna" in html  # the other person's change, side by side
    assert 'value="Titel von Sina"' in html  # Sina's input is still in the form
    assert "Ziel von Sina" in html
    assert 'name="expected_version" value="2"' in html
    initiative.refresh_from_db()
    assert initiative.title == "Titel von Anna"  # nothing overwritten silently

    # Sending again on purpose saves Sina's values over Anna's.
    again = sina.post(
        edit_url,
        _initiative_form(
            initiative, title="Titel von Sina", objective="Ziel von Sina", expected_version=2
        ),
    )
    assert again.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Titel von Sina" and initiative.version == 3


@pytest.mark.django_db
def test_project_lead_adds_a_milestone_and_marks_it_done_without_js(
    project_lead, led_initiative, client_for
):
    client = client_for(project_lead)
    response = client.post(
        reverse("plans:milestone_create", args=[led_initiative.pk]),
        {"title": "Konzept fertig", "due_date": "2026-09-30", "weight": "1", "order": "0"},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(title="Konzept fertig")
    profile = client.get(reverse("plans:initiative_detail", args=[led_initiative.pk]))
    html = profile.content.decode()
    assert reverse("plans:milestone_complete", args=[milestone.pk]) in html
    assert "htmx" in html  # the script is served locally for the inline edit

    done = client.post(
        reverse("plans:milestone_complete", args=[milestone.pk]), {"expected_version": 1}
    )
    assert done.status_code == 302
    assert done["Location"].endswith(f"#milestone-{milestone.pk}")
    milestone.refresh_from_db()
    assert milestone.done_on is not None and milestone.version == 2


@pytest.mark.django_db
def test_marking_a_milestone_done_with_htmx_returns_the_row(
    project_lead, musterstadt, led_initiative, client_for
):
    milestone = MilestoneFactory(municipality=musterstadt, initiative=led_initiative)
    client = client_for(project_lead)
    response = client.post(
        reverse("plans:milestone_complete", args=[milestone.pk]),
        {"expected_version": 1, "done_on": "2026-06-15"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="milestone-{milestone.pk}"')
    assert "erreicht am 15. Juni 2026" in html
    assert "<html" not in html
    # A second, stale click shows the current state instead of failing.
    stale = client.post(
        reverse("plans:milestone_complete", args=[milestone.pk]),
        {"expected_version": 1},
        headers={"HX-Request": "true"},
    )
    assert stale.status_code == 200 and "inzwischen geändert" in stale.content.decode()


@pytest.mark.django_db
def test_viewer_sees_no_edit_buttons_and_gets_403(viewer, led_initiative, client_for):
    client = client_for(viewer)
    html = client.get(reverse("plans:initiative_detail", args=[led_initiative.pk])).content.decode()
    assert "Vorhaben bearbeiten" not in html and "Sachstand melden" not in html
    assert client.get(reverse("plans:initiative_edit", args=[led_initiative.pk])).status_code == 403
    denied = client.post(
        reverse("plans:status_report_create", args=[led_initiative.pk]),
        {"health": "on_track", "text": "x"},
    )
    assert denied.status_code == 403
    assert not StatusReport.objects.exists()


@pytest.mark.django_db
def test_project_lead_records_a_measurement(project_lead, musterstadt, led_initiative, client_for):
    indicator = IndicatorFactory(municipality=musterstadt, initiative=led_initiative)
    client = client_for(project_lead)
    url = reverse("plans:measurement_create", args=[indicator.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"measured_on": "2026-06-30", "value": "27,5", "note": "Q2"})
    assert response.status_code == 302
    assert Measurement.objects.get(indicator=indicator).value == 27.5
    led_initiative.refresh_from_db()
    assert led_initiative.last_report_at is not None
    profile = client.get(reverse("plans:initiative_detail", args=[led_initiative.pk]))
    html = profile.content.decode()
    assert '<figure class="chart-figure"' in html and 'role="img"' in html
    assert "<title id=" in html and "<desc id=" in html


@pytest.mark.django_db
def test_status_report_off_track_without_note_is_refused(project_lead, led_initiative, client_for):
    client = client_for(project_lead)
    url = reverse("plans:status_report_create", args=[led_initiative.pk])
    refused = client.post(url, {"health": "off_track", "text": "Verzug."})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "Warum, und was passiert jetzt?" in html
    assert 'href="#id_off_track_note"' in html
    assert "Verzug." in html  # the text is kept
    accepted = client.post(
        url,
        {
            "health": "off_track",
            "text": "Verzug.",
            "off_track_note": "Neue Ausschreibung, Ende März.",
        },
    )
    assert accepted.status_code == 302
    assert StatusReport.objects.get().off_track_note == "Neue Ausschreibung, Ende März."


@pytest.mark.django_db
def test_upload_and_download_an_attachment(unit_editor, viewer, led_initiative, client_for):
    editor = client_for(unit_editor)
    url = reverse("plans:attachment_create", args=[led_initiative.pk])
    refused = editor.post(url, {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00")})
    assert refused.status_code == 422
    assert "passt nicht zu ihrer Endung" in refused.content.decode()
    ok = editor.post(url, {"file": SimpleUploadedFile("Protokoll.pdf", b"%PDF-1.7 Inhalt")})
    assert ok.status_code == 302
    attachment = Attachment.objects.get()
    download = client_for(viewer).get(reverse("plans:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert download.content == b"%PDF-1.7 Inhalt"
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Protokoll.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_attachment_of_another_municipality_is_not_found(
    other_town_admin, led_initiative, musterstadt, client_for
):
    from django.core.files.base import ContentFile

    attachment = Attachment(
        municipality=musterstadt,
        initiative=led_initiative,
        original_name="intern.txt",
        content_type="text/plain",
        size=6,
    )
    attachment.file.save("intern.txt", ContentFile(b"intern"), save=True)
    response = client_for(other_town_admin).get(
        reverse("plans:attachment_download", args=[attachment.pk])
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_history_and_state_as_of_a_date(strategy_user, musterstadt, client_for):
    client = client_for(strategy_user)
    initiative = InitiativeFactory(municipality=musterstadt, title="Erster Titel")
    client.post(
        reverse("plans:initiative_edit", args=[initiative.pk]),
        _initiative_form(initiative, title="Zweiter Titel"),
    )
    history = client.get(reverse("plans:initiative_history", args=[initiative.pk]))
    html = history.content.decode()
    assert "Arbeitstitel" in html and str(strategy_user) in html

    today = dt.date.today()
    as_of = client.get(
        reverse("plans:initiative_as_of", args=[initiative.pk]), {"datum": today.isoformat()}
    )
    assert "Zweiter Titel" in as_of.content.decode()
    before = client.get(
        reverse("plans:initiative_as_of", args=[initiative.pk]),
        {"datum": (today - dt.timedelta(days=3)).isoformat()},
    )
    assert "gab es das Vorhaben noch nicht" in before.content.decode()
    plan_as_of = client.get(
        reverse("plans:as_of", args=[initiative.action_field.plan_id]),
        {"datum": today.isoformat()},
    )
    assert "Zweiter Titel" in plan_as_of.content.decode()


@pytest.mark.django_db
def test_delete_asks_first(strategy_user, musterstadt, client_for):
    client = client_for(strategy_user)
    initiative = InitiativeFactory(municipality=musterstadt)
    url = reverse("plans:initiative_delete", args=[initiative.pk])
    assert "wirklich löschen" in client.get(url).content.decode()
    assert Initiative.objects.filter(pk=initiative.pk).exists()
    assert client.post(url).status_code == 302
    assert not Initiative.objects.filter(pk=initiative.pk).exists()


@pytest.mark.django_db
def test_profile_queries_do_not_grow_with_milestones_and_values(
    project_lead, musterstadt, led_initiative, client_for
):
    client = client_for(project_lead)
    indicator = IndicatorFactory(municipality=musterstadt, initiative=led_initiative)
    MilestoneFactory(municipality=musterstadt, initiative=led_initiative)
    MeasurementFactory(municipality=musterstadt, indicator=indicator)

    def add_rows():
        for n in range(4):
            MilestoneFactory(municipality=musterstadt, initiative=led_initiative)
            MeasurementFactory(
                municipality=musterstadt, indicator=indicator, measured_on=dt.date(2026, 4, n + 1)
            )
        IndicatorFactory(municipality=musterstadt, initiative=led_initiative)

    assert_constant_queries(
        lambda: client.get(reverse("plans:initiative_detail", args=[led_initiative.pk])), add_rows
    )


@pytest.mark.django_db
def test_plan_view_for_editors_does_not_grow_with_vorhaben(strategy_user, musterstadt, client_for):
    client = client_for(strategy_user)
    first = InitiativeFactory(municipality=musterstadt)
    plan = first.action_field.plan

    def add_rows():
        for _ in range(2):
            field = ActionFieldFactory(municipality=musterstadt, plan=plan)
            for _ in range(3):
                initiative = InitiativeFactory(municipality=musterstadt, action_field=field)
                MilestoneFactory(municipality=musterstadt, initiative=initiative)

    assert_constant_queries(lambda: client.get(reverse("plans:detail", args=[plan.pk])), add_rows)


@pytest.mark.django_db
def test_plan_view_filters_by_unit_status_and_health_and_shows_a_timeline(
    viewer, musterstadt, editor_unit, client_for
):
    from leitwerk.plans.models import InitiativeStatus

    field = ActionFieldFactory(municipality=musterstadt)
    mine = InitiativeFactory(
        municipality=musterstadt, action_field=field, title="Vorhaben FB3", lead_unit=editor_unit
    )
    InitiativeFactory(
        municipality=musterstadt,
        action_field=field,
        title="Vorhaben ohne Einheit",
        status=InitiativeStatus.PAUSED,
    )
    MilestoneFactory(
        municipality=musterstadt, initiative=mine, title="Start", due_date=dt.date(2026, 3, 1)
    )
    client = client_for(viewer)
    url = reverse("plans:detail", args=[field.plan_id])
    html = client.get(url).content.decode()
    assert "Vorhaben FB3" in html and "Vorhaben ohne Einheit" in html
    assert "Zeitleiste der Vorhaben und Meilensteine" in html
    assert "Meilenstein „Start“" in html

    by_unit = client.get(url, {"unit": editor_unit.pk}).content.decode()
    assert "Vorhaben FB3" in by_unit and "Vorhaben ohne Einheit" not in by_unit
    assert "1 von 2 Vorhaben" in by_unit
    by_status = client.get(url, {"status": "paused"}).content.decode()
    assert "Vorhaben ohne Einheit" in by_status and "Vorhaben FB3" not in by_status
    by_health = client.get(url, {"health": "done"}).content.decode()
    assert "0 von 2 Vorhaben" in by_health


@pytest.mark.django_db
def test_unit_editor_adds_edits_and_deletes_a_transfer_city(
    unit_editor, led_initiative, client_for
):
    from leitwerk.plans.models import TransferCity

    client = client_for(unit_editor)
    created = client.post(
        reverse("plans:transfer_city_create", args=[led_initiative.pk]),
        {"name": "Beispielhausen", "ags": "", "order": "0"},
    )
    assert created.status_code == 302
    city = TransferCity.objects.get()
    edit_url = reverse("plans:transfer_city_edit", args=[city.pk])
    page = client.get(edit_url).content.decode()
    assert reverse("plans:transfer_city_delete", args=[city.pk]) in page
    client.post(edit_url, {"name": "Probstadt", "ags": "", "order": "0", "expected_version": 1})
    city.refresh_from_db()
    assert city.name == "Probstadt" and city.version == 2
    assert client.post(reverse("plans:transfer_city_delete", args=[city.pk])).status_code == 302
    assert not TransferCity.objects.exists()
