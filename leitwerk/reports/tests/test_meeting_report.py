"""The report shaped for a meeting: scope options, Sitzungsvorlage fields, retry and cancel,
scheduled reports, the briefing book and office files that look right."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from leitwerk.core.models import Notice
from leitwerk.reports import services
from leitwerk.reports.builder import build_snapshot
from leitwerk.reports.models import Consultation, Report, ReportSchedule, ReportStatus
from leitwerk.reports.renderers import render_html, render_xlsx
from leitwerk.reports.tests.factories import ReportFactory
from leitwerk.reports.vorlage_docx import CHAR_CM, column_widths

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


def _vorlage(body, day=dt.date(2026, 7, 14), agenda="5"):
    return services.VorlageInput(
        kind="decision",
        facts="Der Rat hat den Plan im Januar beschlossen.",
        finance_text="Keine zusätzlichen Mittel.",
        attachments="Maßnahmenliste\nKarte Radwege",
        consultations=(services.ConsultationInput(body, day, agenda, "decide"),),
    )


# --- the concise report --------------------------------------------------------------------


def test_the_pdf_html_leads_with_what_needs_attention_and_leaves_the_series_to_the_xlsx(
    report_plan,
):
    s = build_snapshot(plan=report_plan, as_of=AS_OF, decisions_requested="Zustimmen.")
    html = render_html(s)
    assert html.index("Auf einen Blick") < html.index("Die Vorhaben im Einzelnen")
    assert "B1 Radweg Nord" in s["attention"]["critical"][0]["label"]
    assert "Lieferengpass" in s["attention"]["critical"][0]["why"]
    # One compact row per Vorhaben with its latest value, target and sparkline ...
    assert html.count('class="spark"') == 1 and "Warum und was nun?" in html
    # ... and no table of measurements: the series is in the XLSX.
    assert "Messwerte „" not in html
    wb = load_workbook(io.BytesIO(render_xlsx(s)))
    assert [row[4] for row in wb["Messwerte"].iter_rows(min_row=2, values_only=True)] == [15, 30]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("plan", ["A1 Online-Terminvergabe", "B1 Radweg Nord"]),
        ("field", ["A1 Online-Terminvergabe"]),
        ("unit", ["A1 Online-Terminvergabe"]),
        ("deviations", ["B1 Radweg Nord"]),
    ],
)
def test_a_report_can_cover_the_plan_one_field_one_unit_or_only_deviations(
    report_plan, editor_unit, scope, expected
):
    field = report_plan.action_fields.get(code="A")
    s = build_snapshot(
        plan=report_plan,
        as_of=AS_OF,
        scope=scope,
        action_field_id=field.pk,
        unit_id=editor_unit.pk,
    )
    shown = [r["label"] for b in s["blocks"] for r in b["rows"] if not r["label"].startswith("A2")]
    assert shown == expected
    if scope != "plan":
        assert any(sentence.startswith("Dieser Bericht zeigt") for sentence in s["summary"])


def test_what_changed_since_the_last_report_compares_both_days(report_plan, strategy_user):
    from leitwerk.controlling.tests.factories import MeasurementFactory
    from leitwerk.plans.models import Indicator

    today = timezone.localdate()
    first = services.report_create(plan=report_plan, fmt="pdf", as_of=today, actor=strategy_user)
    later = today + dt.timedelta(days=30)
    with time_machine.travel(dt.datetime.combine(later, dt.time(9), tzinfo=dt.UTC)):
        indicator = Indicator.objects.get(title="Anteil Online-Buchungen")
        MeasurementFactory(
            municipality=indicator.municipality, indicator=indicator, measured_on=later, value=60
        )
        second = services.report_create(
            plan=report_plan, fmt="pdf", as_of=later, actor=strategy_user
        )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.snapshot["changes"] is None
    changes = second.snapshot["changes"]
    assert changes["since"] == today.isoformat()
    assert changes["new_values"] == 1 and changes["changed"] >= 1
    assert "Was hat sich seit dem letzten Bericht geändert?" in render_html(second.snapshot)


# --- Sitzungsvorlage fields ----------------------------------------------------------------


def test_the_form_takes_the_vorlage_fields_and_the_docx_carries_them_one_to_one(
    report_plan, strategy_user, client_for, council_body, strategy_unit
):
    response = client_for(strategy_user).post(
        reverse("reports:list"),
        {
            "plan": report_plan.pk,
            "fmt": "docx",
            "as_of": AS_OF.isoformat(),
            "title": "Sachstand Aktionsplan – 2. Quartal",
            "kind": "decision",
            "lead_unit": strategy_unit.pk,
            "scope": "plan",
            "body_1": council_body.pk,
            "meeting_1": "2026-07-14",
            "agenda_1": "TOP 7",
            "role_1": "decide",
            "decisions_requested": "Der Rat nimmt den Bericht zur Kenntnis.",
            "facts": "Der Rat hat den Plan im Januar beschlossen.",
            "finance_text": "Keine zusätzlichen Mittel.",
            "climate_relevance": "Positiv: weniger Autoverkehr.",
            "attachments": "Maßnahmenliste\nKarte",
        },
    )
    report = Report.objects.get()
    assert response.status_code == 302 and report.status == ReportStatus.DONE
    consultation = Consultation.objects.get()
    assert (consultation.body, consultation.meeting_date) == (council_body, dt.date(2026, 7, 14))
    doc = Document(report.file.open("rb"))
    text = [p.text for p in doc.paragraphs]
    assert "Sachstand Aktionsplan – 2. Quartal" in text
    assert "Der Rat nimmt den Bericht zur Kenntnis." in text
    assert "Positiv: weniger Autoverkehr." in text
    assert "Anlage 3: Karte" in text
    head = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert ["Vorlagenart", "Beschlussvorlage"] in head
    assert ["Federführende Stelle", str(strategy_unit)] in head
    consult = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert consult[1] == [council_body.name, "14.07.2026", "TOP 7", "Entscheidung"]


def test_a_meeting_row_without_a_date_is_refused_naming_the_row(
    report_plan, strategy_user, client_for, council_body
):
    response = client_for(strategy_user).post(
        reverse("reports:list"),
        {"plan": report_plan.pk, "fmt": "pdf", "as_of": "2026-07-02", "body_1": council_body.pk},
    )
    assert "Beratungsfolge Zeile 1: Bitte das Sitzungsdatum angeben." in response.content.decode()
    assert not Report.objects.exists()


def test_docx_columns_are_never_narrower_than_their_longest_word():
    headers = ["Vorhaben", "Zuständigkeit", "Einschätzung"]
    rows = [["Bürgerservicezentrum Nord", "Verwaltungsdigitalisierung", "gefährdet"]] * 3
    widths = column_widths(headers, rows, total_cm=16.6)
    longest = [len("Bürgerservicezentrum"), len("Verwaltungsdigitalisierung"), len("Einschätzung")]
    assert all(w >= n * CHAR_CM for w, n in zip(widths, longest, strict=True))
    assert abs(sum(widths) - 16.6) < 0.05


def test_xlsx_has_typed_dates_german_formats_filters_and_a_frozen_header(report_plan):
    wb = load_workbook(io.BytesIO(render_xlsx(build_snapshot(plan=report_plan, as_of=AS_OF))))
    assert wb.sheetnames[:2] == ["Vorlage", "Vorhaben kompakt"]
    ws = wb["Vorhaben"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    start = ws["F2"]
    assert isinstance(start.value, dt.datetime) and start.number_format == "DD.MM.YYYY"
    budget = next(c for c in ws[2] if c.column_letter == "O")
    assert budget.number_format == '#,##0.00 "€"'
    assert ws.column_dimensions["C"].width > 12


# --- jobs: retry, cancel, no worker ---------------------------------------------------------


def test_a_failed_report_shows_its_error_and_can_be_made_again(
    report_plan, strategy_user, client_for
):
    report = ReportFactory(
        municipality=report_plan.municipality,
        plan=report_plan,
        status=ReportStatus.FAILED,
        error="OSError: Platte voll",
    )
    client = client_for(strategy_user)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Platte voll" in page and "Erneut erstellen" in page
    client.post(reverse("reports:retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.error == ""


def test_a_waiting_report_can_be_cancelled_and_a_reader_may_not(
    report_plan, strategy_user, council_member, client_for
):
    with time_machine.travel(timezone.now() - dt.timedelta(minutes=11)):
        report = ReportFactory(
            municipality=report_plan.municipality, plan=report_plan, status=ReportStatus.QUEUED
        )
    url = reverse("reports:cancel", args=[report.pk])
    assert client_for(council_member).post(url).status_code == 403
    client = client_for(strategy_user)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Der Hintergrunddienst läuft nicht" in page and "Auftrag abbrechen" in page
    client.post(url)
    report.refresh_from_db()
    assert report.status == ReportStatus.CANCELLED
    # A render that starts after the cancel leaves it cancelled.
    services.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.CANCELLED and not report.file


# --- scheduled reports -------------------------------------------------------------------------


def test_a_schedule_makes_one_report_before_each_meeting_and_notifies_people(
    report_plan, strategy_user, council_body, django_capture_on_commit_callbacks
):
    schedule = services.schedule_create(
        plan=report_plan,
        body=council_body,
        lead_days=14,
        meeting_dates=[dt.date(2026, 7, 14), dt.date(2026, 9, 22)],
        fmt="pdf",
        recipients=[strategy_user],
        actor=strategy_user,
    )
    assert schedule.next_run(dt.date(2026, 6, 1)) == dt.date(2026, 6, 30)
    assert services.report_schedules_run(today=dt.date(2026, 6, 29)) == []
    with django_capture_on_commit_callbacks(execute=True):
        made = services.report_schedules_run(today=dt.date(2026, 7, 1))
    assert len(made) == 1
    report = Report.objects.get()
    assert report.schedule == schedule and report.status == ReportStatus.DONE
    assert report.consultations.get().meeting_date == dt.date(2026, 7, 14)
    assert "Sitzung am 14.07.2026" in report.title
    assert Notice.objects.filter(recipient=strategy_user).count() == 1
    assert [m.to for m in mail.outbox] == [[strategy_user.email]]
    # The next day's run does not make a second report for the same meeting.
    assert services.report_schedules_run(today=dt.date(2026, 7, 2)) == []
    assert ReportSchedule.objects.get().reports.count() == 1


def test_the_daily_job_command_runs_the_schedules(report_plan, council_body, strategy_user):
    from django.core.management import call_command

    services.schedule_create(
        plan=report_plan,
        body=council_body,
        lead_days=7,
        meeting_dates=[dt.date(2026, 7, 8)],
        fmt="pdf",
        recipients=[],
        actor=strategy_user,
    )
    out = io.StringIO()
    call_command("run_report_schedules", "--today", "2026-07-02", stdout=out)
    assert "1 Bericht(e)" in out.getvalue()


def test_schedule_form_names_a_bad_date(strategy_user, client_for, report_plan, council_body):
    response = client_for(strategy_user).post(
        reverse("reports:schedules"),
        {
            "plan": report_plan.pk,
            "body": council_body.pk,
            "lead_days": 14,
            "meeting_dates": "14.07.2026\n31.02.2026",
            "fmt": "pdf",
        },
    )
    assert response.status_code == 400
    assert "Zeile 2: „31.02.2026“ ist kein Datum" in response.content.decode()
    assert not ReportSchedule.objects.exists()


# --- briefing book -----------------------------------------------------------------------------


@pytest.fixture
def two_papers(report_plan, strategy_user, council_body):
    later = services.report_create(
        plan=report_plan,
        fmt="pdf",
        as_of=AS_OF,
        actor=strategy_user,
        title="Zweite Vorlage",
        vorlage=_vorlage(council_body, agenda="12"),
    )
    first = services.report_create(
        plan=report_plan,
        fmt="docx",
        as_of=AS_OF,
        actor=strategy_user,
        title="Erste Vorlage",
        vorlage=_vorlage(council_body, agenda="3"),
    )
    return first, later


def test_the_briefing_book_bundles_a_meetings_papers_in_agenda_order(
    two_papers, council_member, client_for, council_body
):
    client = client_for(council_member)
    query = f"?gremium={council_body.pk}&datum=2026-07-14"
    page = client.get(reverse("reports:briefing_book") + query).content.decode()
    assert page.index("TOP 3") < page.index("TOP 12")
    pdf = client.get(reverse("reports:briefing_book_pdf") + query)
    assert pdf["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(io.BytesIO(pdf.content))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[:3] == [
        f"Sitzungsmappe {council_body.name}, Sitzung am 14.07.2026",
        "Erste Vorlage",
        "Zweite Vorlage",
    ]
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.trailer["/Root"]["/Lang"] == "de"
    contents = reader.pages[0].extract_text()
    assert re.search(r"TOP 3: Erste Vorlage.*Seite \d", contents, re.S)
    package = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("reports:briefing_book_zip") + query).content)
    )
    assert package.namelist() == [
        "01-TOP-3-erste-vorlage.docx",
        "02-TOP-12-zweite-vorlage.docx",
    ]


def test_a_foreign_body_has_no_briefing_book(
    two_papers, other_town_admin, client_for, council_body
):
    query = f"?gremium={council_body.pk}&datum=2026-07-14"
    response = client_for(other_town_admin).get(reverse("reports:briefing_book_pdf") + query)
    assert response.status_code == 404


# --- look: colour and logo ---------------------------------------------------------------------


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), "#7a1f1f").save(out, format="PNG")
    return out.getvalue()


def test_the_municipalitys_colour_and_logo_go_into_pdf_and_docx(
    report_plan, strategy_user, musterstadt
):
    from django.core.exceptions import ValidationError

    from leitwerk.reports.renderers import render_docx

    with pytest.raises(ValidationError, match="zu hell"):
        services.report_look_set(
            municipality=musterstadt,
            colour="#ffdd00",
            logo=None,
            remove_logo=False,
            actor=strategy_user,
        )
    with pytest.raises(ValidationError, match="PNG- oder JPEG"):
        services.report_look_set(
            municipality=musterstadt,
            colour="#7a1f1f",
            logo=b"<svg/>",
            remove_logo=False,
            actor=strategy_user,
        )
    services.report_look_set(
        municipality=musterstadt, colour="#7a1f1f", logo=_png(), remove_logo=False, actor=None
    )
    s = build_snapshot(plan=report_plan, as_of=AS_OF)
    assert s["look"]["colour"] == "#7a1f1f" and s["look"]["logo_type"] == "image/png"
    html = render_html(s)
    assert 'alt="Logo Musterstadt"' in html and "#7a1f1f" in html
    doc = Document(io.BytesIO(render_docx(s)))
    assert doc.sections[0].header.part.package.image_parts
    assert doc.styles["Heading 1"].font.color.rgb == doc.styles["Title"].font.color.rgb
    assert str(doc.styles["Heading 1"].font.color.rgb) == "7A1F1F"


def test_readers_may_not_change_the_look(council_member, strategy_user, client_for):
    assert client_for(council_member).get(reverse("reports:look")).status_code == 403
    response = client_for(strategy_user).post(reverse("reports:look"), {"colour": "#eeeeee"})
    assert response.status_code == 400 and "zu hell" in response.content.decode()


def test_an_archived_version_1_snapshot_keeps_its_long_layout(report_plan):
    s = build_snapshot(plan=report_plan, as_of=AS_OF)
    assert s["version"] == 2 and "Die Vorhaben im Einzelnen" in render_html(s)
    old = render_html({**s, "version": 1})
    assert "3. Sachstand nach Aktionsfeldern" in old and "<h2>4. Die Vorhaben" not in old
