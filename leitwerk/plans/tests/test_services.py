"""Services of the action plan: audit, optimistic locking, tenant checks, attachments."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from leitwerk.core.editing import ConflictError
from leitwerk.core.models import AuditLogEntry
from leitwerk.goals.tests.factories import GoalFactory
from leitwerk.plans import services
from leitwerk.plans.models import Attachment, Initiative, Milestone
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    InitiativeFactory,
    MilestoneFactory,
)


def _audited(action: str) -> AuditLogEntry:
    return AuditLogEntry.objects.get(action=action)


@pytest.mark.django_db
def test_create_update_delete_write_audit_entries(musterstadt, strategy_user):
    plan = services.plan_create(municipality=musterstadt, actor=strategy_user, title="Plan 2027")
    field = services.action_field_create(plan=plan, actor=strategy_user, title="Digitales")
    initiative = services.initiative_create(
        action_field=field, actor=strategy_user, title="E-Akte", values={"number": "1.1"}
    )
    assert initiative.version == 1 and initiative.municipality == musterstadt
    updated = services.initiative_update(
        initiative=initiative,
        actor=strategy_user,
        expected_version=1,
        changes={"objective": "Papier sparen"},
    )
    assert updated.version == 2
    entry = _audited("initiative.update")
    assert entry.actor == strategy_user and entry.data["fields"] == ["objective"]
    for action in ("plan.create", "action_field.create", "initiative.create"):
        assert _audited(action).municipality == musterstadt
    services.initiative_delete(initiative=updated, actor=strategy_user)
    assert not Initiative.objects.filter(pk=initiative.pk).exists()
    assert _audited("initiative.delete").target_id == str(initiative.pk)


@pytest.mark.django_db
def test_history_records_the_author_of_an_update(musterstadt, strategy_user):
    initiative = InitiativeFactory(municipality=musterstadt)
    services.initiative_update(
        initiative=initiative, actor=strategy_user, expected_version=1, changes={"title": "Neu"}
    )
    latest = initiative.history.first()
    assert latest.title == "Neu" and latest.history_user == strategy_user


@pytest.mark.django_db
def test_stale_version_raises_conflict_with_current_values(musterstadt, strategy_user):
    initiative = InitiativeFactory(municipality=musterstadt, title="Alt")
    services.initiative_update(
        initiative=initiative, actor=strategy_user, expected_version=1, changes={"title": "A"}
    )
    with pytest.raises(ConflictError) as caught:
        services.initiative_update(
            initiative=initiative,
            actor=strategy_user,
            expected_version=1,
            changes={"title": "B", "objective": initiative.objective},
        )
    assert caught.value.current.title == "A"
    assert caught.value.current.version == 2
    assert caught.value.changed_fields == ["title"]
    initiative.refresh_from_db()
    assert initiative.title == "A"  # nothing overwritten
    assert AuditLogEntry.objects.filter(action="initiative.update").count() == 1


@pytest.mark.django_db
def test_update_rejects_links_to_another_municipality(musterstadt, other_town, strategy_user):
    initiative = InitiativeFactory(municipality=musterstadt)
    foreign_goal = GoalFactory(municipality=other_town)
    with pytest.raises(ValidationError):
        services.initiative_update(
            initiative=initiative,
            actor=strategy_user,
            expected_version=1,
            changes={"goals": [foreign_goal]},
        )
    assert initiative.goals.count() == 0


@pytest.mark.django_db
def test_schedule_end_before_start_is_refused(musterstadt, strategy_user):
    field = ActionFieldFactory(municipality=musterstadt)
    with pytest.raises(ValidationError):
        services.initiative_create(
            action_field=field,
            actor=strategy_user,
            title="X",
            values={"start_date": dt.date(2027, 1, 1), "end_date": dt.date(2026, 1, 1)},
        )


@pytest.mark.django_db
def test_unknown_fields_are_a_programming_error(musterstadt, strategy_user):
    plan = ActionPlanFactory(municipality=musterstadt)
    with pytest.raises(ValueError):
        services.plan_update(
            plan=plan, actor=strategy_user, expected_version=1, changes={"municipality": None}
        )


@pytest.mark.django_db
def test_milestone_complete_sets_date_and_version(musterstadt, project_lead, led_initiative):
    milestone = MilestoneFactory(municipality=musterstadt, initiative=led_initiative)
    done = services.milestone_complete(
        milestone=milestone, actor=project_lead, expected_version=1, done_on=dt.date(2026, 5, 1)
    )
    assert done.done_on == dt.date(2026, 5, 1) and done.version == 2
    assert _audited("milestone.complete").actor == project_lead
    with pytest.raises(ConflictError):
        services.milestone_complete(
            milestone=milestone, actor=project_lead, expected_version=1, done_on=dt.date.today()
        )
    with pytest.raises(ValidationError):
        services.milestone_complete(
            milestone=Milestone.objects.get(pk=milestone.pk),
            actor=project_lead,
            expected_version=2,
            done_on=dt.date.today() + dt.timedelta(days=30),
        )


# --- attachments ---------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


ALLOWED = [
    ("bericht.pdf", b"%PDF-1.7\n%...", "application/pdf"),
    ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "image/png"),
    ("foto.jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 20, "image/jpeg"),
    ("notiz.txt", "Grüße aus dem Rathaus".encode(), "text/plain"),
    ("liste.csv", b"a;b\n1;2\n", "text/csv"),
    (
        "text.docx",
        _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "tabelle.xlsx",
        _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "text.odt",
        _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}),
        "application/vnd.oasis.opendocument.text",
    ),
    (
        "tabelle.ods",
        _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
]


@pytest.mark.parametrize(("name", "data", "content_type"), ALLOWED)
def test_allowed_types_are_recognised_by_content(name, data, content_type):
    assert services.check_upload(SimpleUploadedFile(name, data)) == content_type


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("schad.pdf", b"MZ\x90\x00 not a pdf"),  # an executable renamed to .pdf
        ("bild.png", b"%PDF-1.4"),  # a PDF pretending to be a picture
        ("text.docx", _zip({"xl/workbook.xml": b"<w/>"})),  # a spreadsheet renamed to .docx
        ("programm.exe", b"MZ\x90\x00"),
        ("seite.html", b"<html><script>alert(1)</script>"),
        ("binär.txt", b"abc\x00\x01\x02"),
        ("leer.pdf", b""),
    ],
)
def test_forbidden_or_disguised_files_are_refused(name, data):
    with pytest.raises(ValidationError):
        services.check_upload(SimpleUploadedFile(name, data))


def test_files_over_ten_megabytes_are_refused():
    big = SimpleUploadedFile("gross.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="10 MB"):
        services.check_upload(big)


@pytest.mark.django_db(transaction=True)
def test_attachment_is_stored_under_a_random_name_and_removed_with_it(musterstadt, strategy_user):
    initiative = InitiativeFactory(municipality=musterstadt)
    attachment = services.attachment_add(
        initiative=initiative,
        actor=strategy_user,
        uploaded=SimpleUploadedFile("Protokoll Juni.pdf", b"%PDF-1.7 test"),
    )
    assert attachment.original_name == "Protokoll Juni.pdf"
    assert "Protokoll" not in attachment.file.name
    assert attachment.file.name.startswith(f"attachments/{musterstadt.pk}/")
    storage = attachment.file.storage
    assert storage.exists(attachment.file.name)
    assert _audited("attachment.add").data["type"] == "application/pdf"
    name = attachment.file.name
    services.attachment_delete(attachment=attachment, actor=strategy_user)
    assert not Attachment.objects.exists()
    assert not storage.exists(name)  # removed on commit
