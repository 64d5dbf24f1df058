"""Writes across municipalities: a person of Fremdstadt cannot change Musterstadt's rows.

The central isolation test only reads (GET); this one sends the forms (POST).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leitwerk.core.models import AuditLogEntry
from leitwerk.plans.models import Attachment, Initiative, Measurement, Milestone, StatusReport
from leitwerk.plans.tests.factories import IndicatorFactory, MilestoneFactory


@pytest.mark.django_db
def test_foreign_admin_cannot_write_to_another_municipality(
    other_town_admin, musterstadt, led_initiative, client_for
):
    milestone = MilestoneFactory(municipality=musterstadt, initiative=led_initiative)
    indicator = IndicatorFactory(municipality=musterstadt, initiative=led_initiative)
    client = client_for(other_town_admin)
    posts = [
        (reverse("plans:initiative_edit", args=[led_initiative.pk]), {"title": "gekapert"}),
        (reverse("plans:initiative_delete", args=[led_initiative.pk]), {}),
        (reverse("plans:milestone_complete", args=[milestone.pk]), {"expected_version": 1}),
        (reverse("plans:milestone_delete", args=[milestone.pk]), {}),
        (
            reverse("plans:measurement_create", args=[indicator.pk]),
            {"measured_on": "2026-06-30", "value": "1"},
        ),
        (
            reverse("plans:status_report_create", args=[led_initiative.pk]),
            {"health": "on_track", "text": "x"},
        ),
        (
            reverse("plans:attachment_create", args=[led_initiative.pk]),
            {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7")},
        ),
        (
            reverse("plans:initiative_create", args=[led_initiative.action_field_id]),
            {"title": "fremd", "weight": "1", "status": "planned"},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    led_initiative.refresh_from_db()
    assert led_initiative.title != "gekapert" and led_initiative.version == 1
    assert Initiative.objects.count() == 1
    assert Milestone.objects.get(pk=milestone.pk).done_on is None
    assert not Measurement.objects.exists() and not StatusReport.objects.exists()
    assert not Attachment.objects.exists()
    assert not AuditLogEntry.objects.exists()
